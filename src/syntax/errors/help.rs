//! The help line for a syntax error: the common slips (Chinese punctuation, a missing sign, a
//! missing `:`, quotes or brace) and characters the language does not have.

use super::*;

// A list of the common slips, each tried in turn and independent of the others: a table, read
// down; a new slip is one more entry.
/// A hint for the common slips: Chinese punctuation, a missing sign, a missing `:`, quotes or brace.
/// `at` is where parsing stopped, `problem` where the mistake is reported.
pub(super) fn help_for(
    found: Option<&str>,
    expected: &[String],
    text: &str,
    at: usize,
    problem: usize,
) -> Option<String> {
    if let Some(tok) = found {
        if let Some(help) = char_help(tok, text, at) {
            return Some(help);
        }
    }
    let starts_with_digit = found.is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
    if expected
        .iter()
        .any(|e| e.contains("`+` or `-`") || (starts_with_digit && e.starts_with("an effect")))
    {
        return Some("write the sign of the points: `-5` takes points, `+5` gives them".into());
    }
    if found == Some("\"") {
        let rest = &text[at + 1..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        return Some(match line.split_once('"') {
            Some((name, _)) if expected.iter().any(|e| e == "a name") => {
                format!("names are written without quotes: `{name}`")
            }
            Some(_) => "a quoted text is not expected here".into(),
            None => "a quoted text ends with `\"` on the same line; close it there".into(),
        });
    }
    if let Some(tok) = found.filter(|t| t.starts_with(|c: char| c.is_alphanumeric() || c == '_')) {
        if expected.iter().any(|e| e.starts_with("a quoted text")) {
            return Some(format!("put the text in double quotes: `\"{tok}\"`"));
        }
    }
    let line_start = text[..problem].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[problem..]
        .find('\n')
        .map_or(text.len(), |i| problem + i);
    let line = strip_comment(&text[line_start..line_end]);
    let rule = line.trim_start();
    let rule = match rule.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or(rest, |(_, r)| r),
        None => rule,
    };
    let when_without_colon = rule.trim_start().starts_with("when ") && !line.contains(':');
    if when_without_colon {
        return Some(
            "a `when` rule puts `:` between its condition and its effect: `when count(absent) in year > 5: zero`"
                .into(),
        );
    }
    let operator = |t: &str| {
        matches!(
            t,
            "*" | "/" | "+" | "=" | "<" | ">" | "!" | ":" | "," | ")" | "and" | "or"
        )
    };
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = strip_comment(&text[line_start..at]);
    let open = before.matches('(').count();
    let closed = before.matches(')').count();
    // A `(` is unclosed only if the whole line has more `(` than `)`: one closed after the place
    // where parsing stopped is not missing.
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let whole = strip_comment(&text[line_start..line_end]);
    let unclosed = whole.matches('(').count() > whole.matches(')').count();
    if found == Some(")") && closed >= open {
        return Some("this `)` closes no `(`; delete it".into());
    }
    if let Some(tok) = found {
        if expected.iter().any(|e| e == "an expression") && operator(tok) {
            return Some(format!(
                "`{tok}` needs a value before it: a number, a field or an aggregate like `count(late)`"
            ));
        }
        if open > closed && unclosed && tok != "(" {
            return Some("a `(` is not closed: add `)` where the bracketed part ends".into());
        }
        let word = tok.starts_with(|c: char| c.is_alphanumeric() || c == '_');
        // `from` after the other modifiers: it belongs right after what it qualifies.
        if tok == "from" && expected.iter().any(|e| e.starts_with("a rule")) {
            return Some(if before.contains("valid") {
                "`from FIELD` comes right after the duration it qualifies: `valid 1 year from ended repeat * 2`".into()
            } else {
                "`from total` comes right after its amount: `-100 from total, flag \"…\"`".into()
            });
        }
        if word && expected.iter().any(|e| e.starts_with("a rule")) {
            return Some(format!(
                "the rule is complete before `{tok}`: delete it, or start a new rule with `per`, `when` or `base`"
            ));
        }
    }
    if found.is_none() && text[..at].matches('{').count() > text[..at].matches('}').count() {
        return Some("a `{` is not closed: add `}` at the end of the block".into());
    }
    None
}

/// A hint for a character the language does not have but the writer meant another: an invisible
/// one, or one typed in the Chinese input mode.
fn char_help(tok: &str, text: &str, at: usize) -> Option<String> {
    let first = tok.chars().next()?;
    if chars::invisible(first) {
        return Some(chars::invisible_help(first));
    }
    if first == '。' {
        // Between numbers, as in `[2。1。2]`, it stands for `.`.
        let is_id = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || c == '。';
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_id(c) || c == '.')
            .last()
            .map_or(at, |(i, _)| i);
        let end = text[at..]
            .find(|c: char| !(is_id(c) || c == '.'))
            .map_or(text.len(), |i| at + i);
        let run = &text[start..end];
        let fixed = chars::to_ascii(run);
        return Some(if fixed.contains('.') && start < at {
            format!("`。` is the Chinese full stop; write `.` between the numbers: `{fixed}`")
        } else {
            format!("remove the Chinese full stop `{tok}`")
        });
    }
    if first == '%' || first == '％' {
        return Some(
            "a percentage is written as a number: `50%` is `0.5` (or `* 50 / 100`)".to_string(),
        );
    }
    if first == '&' || first == '＆' {
        return Some(format!("`{tok}` is not an operator here; write `and`"));
    }
    if first == '；' {
        return Some(
            "`；` is Chinese punctuation and the policy language has no `;`: separate effects with \
             `,` and start each rule on its own line"
                .to_string(),
        );
    }
    if tok.chars().count() == 1 {
        let (ascii, kind) = chars::ime(first)?;
        return Some(format!("`{tok}` is {kind}; write `{ascii}` instead"));
    }
    let fixed = chars::to_ascii(tok);
    (fixed != tok).then(|| {
        format!("`{tok}` is typed in full width (the Chinese input mode); write `{fixed}` instead")
    })
}
