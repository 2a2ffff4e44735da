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
        crate::tr!(
            format!("{name} is a control character that editors do not show; delete it"),
            format!("{name} 是编辑器里看不见的控制字符，请删掉")
        )
    } else if c.is_whitespace() {
        crate::tr!(
            format!(
                "{name} looks like a space but is not one (it comes with text pasted from Word, \
                 WeChat or a web page); replace it with an ordinary space"
            ),
            format!(
                "{name} 看着像空格，其实不是（从 Word、微信或网页复制过来的文字常带这种字符）；请换成普通空格"
            )
        )
    } else {
        crate::tr!(
            format!(
                "{name} is invisible (it comes with text pasted from Word, WeChat or a web page); \
                 delete it"
            ),
            format!(
                "{name} 是看不见的字符（从 Word、微信或网页复制过来的文字常带这种字符）；请删掉"
            )
        )
    }
}

/// What the Chinese input mode typed `c` for, and what `c` is called: `５` is a full-width digit
/// for `5`, `≥` the sign for `>=`. `None` for characters that are no such slip.
pub fn ime(c: char) -> Option<(&'static str, &'static str)> {
    let punct = crate::tr!("Chinese punctuation", "中文标点");
    let found = match c {
        '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' => {
            ("\"", crate::tr!("a Chinese quotation mark", "中文引号"))
        }
        '，' | '、' => (",", punct),
        '：' => (":", punct),
        '（' => ("(", punct),
        '）' => (")", punct),
        '【' | '〔' | '［' => ("[", punct),
        '】' | '〕' | '］' => ("]", punct),
        '｛' => ("{", punct),
        '｝' => ("}", punct),
        '．' => (".", crate::tr!("a full-width full stop", "全角句点")),
        '≥' => (">=", crate::tr!("the sign for `>=`", "`>=` 的符号")),
        '≤' => ("<=", crate::tr!("the sign for `<=`", "`<=` 的符号")),
        '≠' => ("!=", crate::tr!("the sign for `!=`", "`!=` 的符号")),
        '×' => ("*", crate::tr!("the multiplication sign", "乘号")),
        '÷' => ("/", crate::tr!("the division sign", "除号")),
        '－' => ("-", crate::tr!("a full-width minus sign", "全角减号")),
        '−' => ("-", crate::tr!("the typeset minus sign", "排版用的减号")),
        '–' | '—' | '‐' | '‑' => (
            "-",
            crate::tr!("a dash, not the minus sign", "破折号或连接号，不是减号"),
        ),
        '＋' => ("+", crate::tr!("a full-width plus sign", "全角加号")),
        '＝' => ("=", crate::tr!("a full-width equals sign", "全角等号")),
        '＜' => ("<", crate::tr!("a full-width less-than sign", "全角小于号")),
        '＞' => (
            ">",
            crate::tr!("a full-width greater-than sign", "全角大于号"),
        ),
        '！' => (
            "!",
            crate::tr!("a full-width exclamation mark", "全角感叹号"),
        ),
        '＊' => ("*", crate::tr!("a full-width asterisk", "全角星号")),
        '／' => ("/", crate::tr!("a full-width slash", "全角斜杠")),
        '｜' => ("|", crate::tr!("a full-width bar", "全角竖线")),
        '＃' => ("#", crate::tr!("a full-width number sign", "全角井号")),
        '＿' => ("_", crate::tr!("a full-width underscore", "全角下划线")),
        '＂' => ("\"", crate::tr!("a full-width quotation mark", "全角引号")),
        '％' => ("%", crate::tr!("a full-width percent sign", "全角百分号")),
        '；' => (";", punct),
        '《' | '》' | '〈' | '〉' => ("\"", crate::tr!("a Chinese title mark", "中文书名号")),
        '\u{FF01}'..='\u{FF5E}' => {
            // The full-width forms stand for ASCII `!` to `~`, in the same order.
            let i = (u32::from(c) - 0xFF01) as usize;
            let ascii = PRINTABLE.get(i..=i).unwrap_or("");
            let kind = if c.is_numeric() {
                crate::tr!("a full-width digit", "全角数字")
            } else if c.is_alphabetic() {
                crate::tr!("a full-width letter", "全角字母")
            } else {
                crate::tr!("a full-width sign", "全角符号")
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
