//! pest's errors, said in words a policy writer knows.

use super::Rule;
use super::chars;
use crate::diag::{Code, Diag};
use crate::syntax::ast::Span;
use pest::error::{ErrorVariant, InputLocation};

mod help;
mod words;

use help::help_for;
use words::{expected_words, word};

/// How the parser should set the broken text aside before trying again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recovery {
    /// Blank the line around this offset (or its declaration, if the line opens or closes a block).
    Line(usize),
    /// A block whose `{` is missing: blank from the line of its header (the first offset) to the
    /// `}` that would have closed it, found from the second offset on.
    Unopened(usize, usize),
}

/// A pest error said in words: one of the special cases tried in order, else the general message
/// at the token found or at the end of the line before; and where parsing goes on.
pub fn convert(err: &pest::error::Error<Rule>, text: &str) -> (Diag, Recovery) {
    let at = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let at = at.min(text.len());
    let found = found_at(text, at);
    let expected = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => expected_words(positives),
        ErrorVariant::CustomError { message } => vec![message.clone()],
    };
    if let Some(special) = found.and_then(|tok| reserved_as_name(tok, &expected, at)) {
        return (special, Recovery::Line(at));
    }
    if let Some(special) = unclosed_citation(found, text, at) {
        return (special, Recovery::Line(at));
    }
    let unseen = found
        .and_then(|tok| tok.chars().next())
        .filter(|&c| chars::invisible(c));
    let what = described(found, unseen);
    let wants_open = matches!(&err.variant, ErrorVariant::ParsingError { positives, .. }
        if positives.contains(&Rule::open));
    if let Some(unopened) = wants_open.then(|| unopened_block(text, at)).flatten() {
        return unopened;
    }
    // When what comes next starts a new line and a new rule or block, the mistake is at the end of
    // the line before (`cap` without its number, a header without `{`): point there. At the end of
    // the file, point at the last thing written.
    let unfinished = match found {
        Some(tok) if starts_something(tok) => previous_token(text, at, true),
        Some(_) => None,
        None => previous_token(text, at, false),
    };
    let wanted = if expected.is_empty() {
        String::new()
    } else {
        crate::diag::join_or(&expected)
    };
    let message = general_message(text, found, &what, unfinished, &wanted);
    let mut diag = match unfinished {
        Some(prev) => Diag::error(Code::Syntax, prev, message).label(match found {
            Some(_) => crate::tr!("something is missing after this", "这后面少写了东西"),
            None => crate::tr!("the file ends after this", "文件写到这里就结束了"),
        }),
        None => {
            let span = Span::new(at, at + found.map_or(0, str::len));
            Diag::error(Code::Syntax, span, message).label(match (found, unseen) {
                (_, Some(c)) if c.is_whitespace() => {
                    crate::tr!("not an ordinary space", "不是普通空格")
                }
                (_, Some(_)) => crate::tr!("an invisible character", "看不见的字符"),
                (Some(_), None) => crate::tr!("not expected here", "这里不该有这个"),
                (None, _) => crate::tr!("the file ends here", "文件在这里结束"),
            })
        }
    };
    if let Some(help) = help_for(
        found,
        &expected,
        text,
        at,
        unfinished.map_or(at, |p| p.start),
    ) {
        diag = diag.help(help);
    }
    let recovery = match (unfinished, found) {
        (Some(prev), Some(_)) => Recovery::Line(prev.start),
        _ => Recovery::Line(at),
    };
    (diag, recovery)
}

/// What was found, as a message names it: the token (cut at 40 characters), an invisible
/// character, or the end of the file.
fn described(found: Option<&str>, unseen: Option<char>) -> String {
    match (found, unseen) {
        (_, Some(c)) => chars::describe(c),
        (Some(tok), None) => match tok.char_indices().nth(40) {
            Some((cut, _)) => format!("`{}…`", &tok[..cut]),
            None => format!("`{tok}`"),
        },
        (None, _) => word(Rule::EOI).to_string(),
    }
}

/// The general message: what was expected, after the token before when the mistake is at the end
/// of a line, or instead of what was found.
fn general_message(
    text: &str,
    found: Option<&str>,
    what: &str,
    unfinished: Option<Span>,
    wanted: &str,
) -> String {
    match (unfinished, wanted.is_empty()) {
        (_, true) => crate::tr!(
            format!("unexpected {what}"),
            crate::lang::spaced(&format!("这里不该出现{what}"))
        ),
        (Some(prev), false) if found.is_some() => {
            let prev = &text[prev.start..prev.end];
            if prev.starts_with('"')
                || prev.chars().count() > 24
                || prev.chars().any(chars::invisible)
            {
                crate::tr!(
                    format!("expected {wanted} at the end of the line"),
                    crate::lang::spaced(&format!("这一行末尾应当有{wanted}"))
                )
            } else {
                crate::tr!(
                    format!("expected {wanted} after `{prev}`"),
                    crate::lang::spaced(&format!("`{prev}` 后面应当有{wanted}"))
                )
            }
        }
        _ => crate::tr!(
            format!("expected {wanted}, found {what}"),
            crate::lang::spaced(&format!("这里应当是{wanted}，写的却是{what}"))
        ),
    }
}

/// A reserved word where a name was expected (`record per "…"`, `item for "…"`): said as such, with
/// how to rename it.
fn reserved_as_name(tok: &str, expected: &[String], at: usize) -> Option<Diag> {
    use pest::Parser;
    let wants_name = expected.iter().any(|e| {
        [
            Rule::ident,
            Rule::event,
            Rule::field,
            Rule::band,
            Rule::entry,
            Rule::field_type,
        ]
        .into_iter()
        .any(|r| e == word(r))
    });
    let reserved = super::PolicyParser::parse(Rule::reserved, tok)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_some_and(|pair| pair.as_str().len() == tok.len());
    if !wants_name || !reserved {
        return None;
    }
    Some(
        Diag::error(
            Code::Syntax,
            Span::new(at, at + tok.len()),
            crate::tr!(
                format!("`{tok}` is a reserved word and cannot be a name"),
                format!("`{tok}` 是保留字，不能用作名称")
            ),
        )
        .label(crate::tr!("reserved word", "保留字"))
        .help(crate::tr!(
            format!(
                "rename it, here and wherever it is used: `{tok}_1`, a longer word or a Chinese name \
                 (reserved: {})",
                RESERVED.join(", ")
            ),
            format!(
                "换个名称，这里和用到它的地方一起改：`{tok}_1`、更长的词或中文名称（保留字有：{}）",
                RESERVED.join("、")
            )
        )),
    )
}

/// The words the grammar reserves (`reserved` in grammar/policy.pest).
pub(super) const RESERVED: &[&str] = &[
    "per",
    "when",
    "base",
    "for",
    "in",
    "where",
    "to",
    "from",
    "cap",
    "zero",
    "flag",
    "grade",
    "highest",
    "and",
    "or",
    "not",
    "item",
    "section",
    "record",
    "roster",
    "grades",
    "adjustments",
    "policy",
    "else",
];

/// A clause citation whose `]` is missing (`[2.1.2 per late -5`): pest sees only that the rule
/// cannot start with `[`.
fn unclosed_citation(found: Option<&str>, text: &str, at: usize) -> Option<Diag> {
    if found != Some("[") {
        return None;
    }
    let rest = text[at + 1..].trim_start_matches([' ', '\t']);
    let body = text.len() - rest.len();
    // Written with the Chinese input mode (`[2。1。2]`, `[2.1.2】`): say what to write.
    let cited = rest
        .find(|c: char| c.is_whitespace() || c == '\n')
        .map_or(rest, |i| &rest[..i]);
    let cited = cited.find(['】', '］', ']']).map_or(cited, |i| {
        &cited[..i + cited[i..].chars().next().map_or(0, char::len_utf8)]
    });
    let fixed = chars::to_ascii(cited);
    if fixed != cited && fixed.starts_with(|c: char| c.is_ascii_digit()) {
        let fixed = fixed.trim_end_matches(']');
        return Some(
            Diag::error(
                Code::Syntax,
                Span::new(at, body + cited.len()),
                crate::tr!(
                    format!("the clause citation `[{cited}` is typed with Chinese punctuation"),
                    format!("条款编号 `[{cited}` 用了中文标点")
                ),
            )
            .label(crate::tr!(
                "Chinese punctuation in the citation",
                "条款编号里有中文标点"
            ))
            .help(crate::tr!(
                format!("write `[{fixed}]`"),
                format!("改成 `[{fixed}]`")
            )),
        );
    }
    let id_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let id = rest[..id_len].trim_end_matches('.');
    let after = rest[id_len..].trim_start_matches([' ', '\t']);
    if id.is_empty() || after.starts_with(']') {
        return None;
    }
    Some(
        Diag::error(
            Code::Syntax,
            Span::new(at, body + id.len()),
            crate::tr!(
                format!("the clause citation `[{id}` is missing its `]`"),
                format!("条款编号 `[{id}` 少了 `]`")
            ),
        )
        .label(crate::tr!("`]` missing after this", "这后面少了 `]`"))
        .help(crate::tr!(
            format!("close it: `[{id}]`"),
            format!("补上右括号：`[{id}]`")
        )),
    )
}

/// Whether a token begins a rule, a block or a declaration: after an unfinished line, this is
/// where pest notices, one line too late.
fn starts_something(tok: &str) -> bool {
    matches!(
        tok,
        "[" | "}"
            | "per"
            | "when"
            | "base"
            | "item"
            | "section"
            | "adjustments"
            | "record"
            | "roster"
            | "grades"
            | "policy"
            | "annual"
            | "round"
    )
}

/// The last token before `at`, skipping white space and comments, when it does not open or close a
/// block (and, with `other_line`, only when it is on an earlier line).
fn previous_token(text: &str, at: usize, other_line: bool) -> Option<Span> {
    let mut end = at;
    let mut crossed_line = false;
    loop {
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let code = strip_comment(&text[line_start..end]);
        let trimmed = code.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
        if !trimmed.is_empty() {
            end = line_start + trimmed.len();
            break;
        }
        if line_start == 0 {
            return None;
        }
        crossed_line = true;
        end = line_start - 1;
    }
    if other_line && !crossed_line {
        return None;
    }
    let before = &text[..end];
    let last = before.chars().next_back()?;
    if matches!(last, '{' | '}') {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '-';
    let start = if last == '"' {
        // a quoted text: back to its opening quote
        before[..end - 1].rfind('"').unwrap_or(end - 1)
    } else if is_word(last) {
        before
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_word(c))
            .last()
            .map_or(end - last.len_utf8(), |(i, _)| i)
    } else {
        end - last.len_utf8()
    };
    Some(Span::new(start, end))
}

/// A line without its `#` comment (a `#` inside a quoted text is kept).
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '#' {
            return &line[..i];
        }
    }
    line
}

/// The report for a block whose `{` is missing, the parser having expected one at `at`: pointed at
/// the end of the block's header, which is the last line with code before `at` (comment and blank
/// lines in between do not count). `None` when that line heads no block.
fn unopened_block(text: &str, at: usize) -> Option<(Diag, Recovery)> {
    let mut end = at;
    let (line_start, header) = loop {
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let code = strip_comment(&text[line_start..end]).trim();
        if !code.is_empty() || line_start == 0 {
            break (line_start, code);
        }
        end = line_start - 1;
    };
    let block = match header.split_whitespace().next()? {
        "item" if header.contains(" for ") => {
            crate::tr!("the item's `for` condition", "项目的 `for` 条件")
        }
        "item" => crate::tr!("the item budget", "项目分值"),
        "section" => crate::tr!("the section budget", "板块分值"),
        "adjustments" => crate::tr!("the block's label", "这一块的名称"),
        "grades" => crate::tr!("the word `grades`", "`grades` 一词"),
        "roster" => crate::tr!("the word `roster`", "`roster` 一词"),
        _ => return None,
    };
    // The header's last word, where the `{` belongs.
    let header_end = text[line_start..]
        .find(header)
        .map_or(at, |i| line_start + i + header.len());
    let last = header.rsplit(char::is_whitespace).next().unwrap_or(header);
    let span = Span::new(header_end - last.len(), header_end);
    let diag = Diag::error(
        Code::Syntax,
        span,
        crate::tr!(
            format!("expected `{{` after {block}"),
            crate::lang::spaced(&format!("{block}后面应当有 `{{`"))
        ),
    )
    .label(crate::tr!("`{` expected after this", "这后面应当有 `{`"))
    .help(crate::tr!(
        format!("open the block at the end of its first line: `{header} {{`"),
        format!("在这一块第一行的末尾写上 `{{`：`{header} {{`")
    ));
    Some((diag, Recovery::Unopened(line_start, at)))
}

/// The token at `at`: a word, a number, or a single other character.
fn found_at(text: &str, at: usize) -> Option<&str> {
    let rest = &text[at..];
    let first = rest.chars().next()?;
    let punct = |c: char| !c.is_alphanumeric() && chars::ime(c).is_some();
    let len = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len())
    } else if punct(first) {
        // a run typed in the Chinese input mode, as `＞＝`
        rest.find(|c: char| !punct(c)).unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    Some(&rest[..len])
}
