//! The help line for a syntax error: the common slips (Chinese punctuation, a missing sign, a
//! missing `:`, quotes or brace) and characters the language does not have.

use super::*;

/// A hint for the common slips: Chinese punctuation, a missing sign, a missing `:`, quotes or brace.
/// `at` is where parsing stopped, `problem` where the mistake is reported.
pub(super) fn help_for(
    found: Option<&str>,
    expected: &[String],
    text: &str,
    at: usize,
    problem: usize,
) -> Option<String> {
    found
        .and_then(|tok| char_help(tok, text, at))
        .or_else(|| token_help(found, expected, text, at))
        .or_else(|| when_help(text, problem))
        .or_else(|| line_help(found, expected, text, at))
        .or_else(|| unclosed_block(found, text, at))
}

/// A missing sign, a quote where none belongs or one not closed, a text without quotes.
fn token_help(found: Option<&str>, expected: &[String], text: &str, at: usize) -> Option<String> {
    let starts_with_digit = found.is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
    if expected
        .iter()
        .any(|e| e == word(Rule::sign) || (starts_with_digit && e == word(Rule::effects)))
    {
        return Some(
            crate::tr!(
                "write the sign of the points: `-5` takes points, `+5` gives them",
                "分值前面要写正负号：`-5` 是扣分，`+5` 是加分"
            )
            .into(),
        );
    }
    if found == Some("\"") {
        let rest = &text[at + 1..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        return Some(match line.split_once('"') {
            Some((name, _)) if expected.iter().any(|e| e == word(Rule::ident)) => crate::tr!(
                format!("names are written without quotes: `{name}`"),
                format!("名称不加引号：`{name}`")
            ),
            Some(_) => crate::tr!(
                "a quoted text is not expected here",
                "这里不该有带引号的文字"
            )
            .into(),
            None => crate::tr!(
                "a quoted text ends with `\"` on the same line; close it there",
                "带引号的文字要在同一行用 `\"` 收尾，请在这一行补上"
            )
            .into(),
        });
    }
    if let Some(tok) = found.filter(|t| t.starts_with(|c: char| c.is_alphanumeric() || c == '_')) {
        if expected.iter().any(|e| e == word(Rule::string)) {
            return Some(crate::tr!(
                format!("put the text in double quotes: `\"{tok}\"`"),
                format!("文字要加英文双引号：`\"{tok}\"`")
            ));
        }
    }
    None
}

/// A `when` rule without the `:` between its condition and its effect.
fn when_help(text: &str, problem: usize) -> Option<String> {
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
            crate::tr!(
                "a `when` rule puts `:` between its condition and its effect: `when count(absent) in year > 5: zero`",
                "`when` 条款的条件和处理之间要用英文冒号 `:` 隔开：`when count(absent) in year > 5: zero`"
            )
            .into(),
        );
    }
    None
}

/// A `)` that closes nothing, an operator without a value before it, a `(` not closed, a `from`
/// out of place, a word after a complete rule.
fn line_help(found: Option<&str>, expected: &[String], text: &str, at: usize) -> Option<String> {
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
        return Some(
            crate::tr!(
                "this `)` closes no `(`; delete it",
                "这个 `)` 前面没有对应的 `(`，请删掉"
            )
            .into(),
        );
    }
    if let Some(tok) = found {
        if expected.iter().any(|e| e == word(Rule::expr)) && operator(tok) {
            return Some(crate::tr!(
                format!(
                    "`{tok}` needs a value before it: a number, a field or an aggregate like `count(late)`"
                ),
                format!("`{tok}` 前面要有一个值：数字、字段，或 `count(late)` 这样的统计")
            ));
        }
        if open > closed && unclosed && tok != "(" {
            return Some(
                crate::tr!(
                    "a `(` is not closed: add `)` where the bracketed part ends",
                    "有个 `(` 没有配对：在括号内容结束的地方补上 `)`"
                )
                .into(),
            );
        }
        let is_word = tok.starts_with(|c: char| c.is_alphanumeric() || c == '_');
        let ends_rule = expected.iter().any(|e| e == word(Rule::rule));
        // `from` after the other modifiers: it belongs right after what it qualifies.
        if tok == "from" && ends_rule {
            return Some(if before.contains("valid") {
                crate::tr!(
                    "`from FIELD` comes right after the duration it qualifies: `valid 1 year from ended repeat * 2`",
                    "`from 字段` 紧跟在它所说明的期限后面：`valid 1 year from ended repeat * 2`"
                )
                .into()
            } else {
                crate::tr!(
                    "`from total` comes right after its amount: `-100 from total, flag \"…\"`",
                    "`from total` 紧跟在分值后面：`-100 from total, flag \"…\"`"
                )
                .into()
            });
        }
        if is_word && ends_rule {
            return Some(crate::tr!(
                format!(
                    "the rule is complete before `{tok}`: delete it, or start a new rule with `per`, `when` or `base`"
                ),
                format!(
                    "这条条款在 `{tok}` 之前已经写完整了：删掉它，或者另起一条以 `per`、`when` 或 `base` 开头的条款"
                )
            ));
        }
    }
    None
}

/// The end of the file inside a block.
fn unclosed_block(found: Option<&str>, text: &str, at: usize) -> Option<String> {
    if found.is_none() && text[..at].matches('{').count() > text[..at].matches('}').count() {
        return Some(
            crate::tr!(
                "a `{` is not closed: add `}` at the end of the block",
                "有个 `{` 没有配对：在这一块的末尾补上 `}`"
            )
            .into(),
        );
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
            crate::tr!(
                format!("`。` is the Chinese full stop; write `.` between the numbers: `{fixed}`"),
                format!("`。` 是中文句号，数字之间要用英文点 `.`：`{fixed}`")
            )
        } else {
            crate::tr!(
                format!("remove the Chinese full stop `{tok}`"),
                format!("删掉中文句号 `{tok}`")
            )
        });
    }
    if first == '%' || first == '％' {
        return Some(
            crate::tr!(
                "a percentage is written as a number: `50%` is `0.5` (or `* 50 / 100`)",
                "百分比要写成小数：`50%` 写作 `0.5`（或 `* 50 / 100`）"
            )
            .to_string(),
        );
    }
    if first == '&' || first == '＆' {
        return Some(crate::tr!(
            format!("`{tok}` is not an operator here; write `and`"),
            format!("`{tok}` 在这里不是运算符，请写 `and`")
        ));
    }
    if first == '；' {
        return Some(
            crate::tr!(
                "`；` is Chinese punctuation and the policy language has no `;`: separate effects with \
                 `,` and start each rule on its own line",
                "`；` 是中文标点，政策文件里不用分号：几项处理之间用英文逗号 `,` 隔开，每条条款单独占一行"
            )
            .to_string(),
        );
    }
    if tok.chars().count() == 1 {
        let (ascii, kind) = chars::ime(first)?;
        return Some(crate::tr!(
            format!("`{tok}` is {kind}; write `{ascii}` instead"),
            crate::lang::spaced(&format!("`{tok}` 是{kind}，请改成 `{ascii}`"))
        ));
    }
    let fixed = chars::to_ascii(tok);
    (fixed != tok).then(|| {
        crate::tr!(
            format!(
                "`{tok}` is typed in full width (the Chinese input mode); write `{fixed}` instead"
            ),
            format!("`{tok}` 是全角字符（中文输入法打出来的），请改成 `{fixed}`")
        )
    })
}
