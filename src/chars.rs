//! Characters a writer cannot see or cannot tell from the ones wanted, in a policy or a record:
//! invisible spaces and format characters (named by code point, since they cannot be shown), and
//! what the Chinese input mode types instead of ASCII. On the ground floor: the checker, the
//! reader of records and the did-you-mean of every diagnostic use them.

/// Whether a reader cannot see `c`, or sees a plain space where it is something else: control
/// characters, every white space but the ordinary space, and the invisible format characters.
pub fn invisible(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// `U+00A0 NO-BREAK SPACE`: a character by its code point and Unicode name.
pub fn describe(c: char) -> String {
    let name = match c {
        '\0' => "NUL".to_string(),
        '\t' => "TAB".to_string(),
        '\n' => "LINE FEED".to_string(),
        '\r' => "CARRIAGE RETURN".to_string(),
        '\u{07}' => "BELL".to_string(),
        '\u{08}' => "BACKSPACE".to_string(),
        '\u{0B}' => "LINE TABULATION".to_string(),
        '\u{0C}' => "FORM FEED".to_string(),
        '\u{1A}' => "SUBSTITUTE".to_string(),
        '\u{1B}' => "ESCAPE".to_string(),
        '\u{7F}' => "DELETE".to_string(),
        '\u{85}' => "NEXT LINE".to_string(),
        _ => unicode_names2::name(c).map_or_else(
            || {
                if c.is_control() {
                    "CONTROL CHARACTER".to_string()
                } else {
                    "UNNAMED CHARACTER".to_string()
                }
            },
            |n| n.to_string(),
        ),
    };
    format!("U+{:04X} {name}", u32::from(c))
}

/// What to do about an invisible character where code was expected.
pub fn invisible_help(c: char) -> String {
    let name = describe(c);
    if c.is_control() && !c.is_whitespace() {
        format!("{name} is a control character that editors do not show; delete it")
    } else if c.is_whitespace() {
        format!(
            "{name} looks like a space but is not one (it comes with text pasted from Word, WeChat \
             or a web page); replace it with an ordinary space"
        )
    } else {
        format!(
            "{name} is invisible (it comes with text pasted from Word, WeChat or a web page); \
             delete it"
        )
    }
}

/// What the Chinese input mode typed `c` for, and what `c` is called: `５` is a full-width digit
/// for `5`, `≥` the sign for `>=`. `None` for characters that are no such slip.
pub fn ime(c: char) -> Option<(&'static str, &'static str)> {
    const PUNCT: &str = "Chinese punctuation";
    let found = match c {
        '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' => {
            ("\"", "a Chinese quotation mark")
        }
        '，' | '、' => (",", PUNCT),
        '：' => (":", PUNCT),
        '（' => ("(", PUNCT),
        '）' => (")", PUNCT),
        '【' | '〔' | '［' => ("[", PUNCT),
        '】' | '〕' | '］' => ("]", PUNCT),
        '｛' => ("{", PUNCT),
        '｝' => ("}", PUNCT),
        '．' => (".", "a full-width full stop"),
        '≥' => (">=", "the sign for `>=`"),
        '≤' => ("<=", "the sign for `<=`"),
        '≠' => ("!=", "the sign for `!=`"),
        '×' => ("*", "the multiplication sign"),
        '÷' => ("/", "the division sign"),
        '－' => ("-", "a full-width minus sign"),
        '−' => ("-", "the typeset minus sign"),
        '–' | '—' | '‐' | '‑' => ("-", "a dash, not the minus sign"),
        '＋' => ("+", "a full-width plus sign"),
        '＝' => ("=", "a full-width equals sign"),
        '＜' => ("<", "a full-width less-than sign"),
        '＞' => (">", "a full-width greater-than sign"),
        '！' => ("!", "a full-width exclamation mark"),
        '＊' => ("*", "a full-width asterisk"),
        '／' => ("/", "a full-width slash"),
        '｜' => ("|", "a full-width bar"),
        '＃' => ("#", "a full-width number sign"),
        '＿' => ("_", "a full-width underscore"),
        '＂' => ("\"", "a full-width quotation mark"),
        '％' => ("%", "a full-width percent sign"),
        '；' => (";", PUNCT),
        '《' | '》' | '〈' | '〉' => ("\"", "a Chinese title mark"),
        '\u{FF01}'..='\u{FF5E}' => {
            // The full-width forms stand for ASCII `!` to `~`, in the same order.
            let i = (u32::from(c) - 0xFF01) as usize;
            let ascii = PRINTABLE.get(i..=i).unwrap_or("");
            let kind = if c.is_numeric() {
                "a full-width digit"
            } else if c.is_alphabetic() {
                "a full-width letter"
            } else {
                "a full-width sign"
            };
            (ascii, kind)
        }
        _ => return None,
    };
    Some(found)
}

/// ASCII from `!` to `~`.
const PRINTABLE: &str = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// `text` with every input-mode character replaced by what it stands for (the Chinese full stop
/// between digits becomes `.`, as in `[2。1。2]`).
pub fn to_ascii(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let digit_at = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|&d| d.is_ascii_digit() || ('０'..='９').contains(&d))
        };
        if c == '。' && digit_at(i.checked_sub(1)) && digit_at(Some(i + 1)) {
            out.push('.');
        } else if let Some((ascii, _)) = ime(c) {
            out.push_str(ascii);
        } else {
            out.push(c);
        }
    }
    out
}
