//! clap's errors (an unknown flag, a missing argument, a bad value) said in Chinese, from the
//! error's kind and context, in the layout clap gives them in English: the error, its tips, the
//! usage and where to read more.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The Chinese text of a parse error, ending in a newline; `None` for what is not an error (the
/// help, the version), which clap prints itself.
pub fn message(e: &clap::Error) -> Option<String> {
    let first = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        kind => said(e, kind),
    };
    let mut out = format!("错误：{first}");
    let tips = tips(e);
    if !tips.is_empty() {
        out.push('\n');
        for tip in tips {
            out.push_str(&format!("\n  提示：{tip}"));
        }
    }
    if let Some(ContextValue::StyledStr(usage)) = e.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
        out.push_str(&format!("\n\n用法：{usage}"));
    }
    out.push_str("\n\n想了解更多，请用 '--help'。\n");
    Some(out)
}

fn string(e: &clap::Error, kind: ContextKind) -> Option<&str> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s),
        _ => None,
    }
}

fn strings(e: &clap::Error, kind: ContextKind) -> Vec<&str> {
    match e.get(kind) {
        Some(ContextValue::Strings(s)) => s.iter().map(String::as_str).collect(),
        Some(ContextValue::String(s)) => vec![s.as_str()],
        _ => Vec::new(),
    }
}

fn number(e: &clap::Error, kind: ContextKind) -> isize {
    match e.get(kind) {
        Some(ContextValue::Number(n)) => *n,
        _ => 0,
    }
}

/// `[可选值：a、b]` on a line of its own, when there are values to list.
fn listed(name: &str, values: &[&str]) -> String {
    if values.is_empty() {
        String::new()
    } else {
        format!("\n  [{name}：{}]", values.join("、"))
    }
}

/// The error itself, as clap's `write_dynamic_context` says it in English.
fn said(e: &clap::Error, kind: ErrorKind) -> String {
    let arg = string(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = string(e, ContextKind::InvalidValue).unwrap_or_default();
    match kind {
        ErrorKind::ArgumentConflict => conflict(e),
        ErrorKind::NoEquals => format!("给 `{arg}` 的值要用等号连接"),
        ErrorKind::InvalidValue if value.is_empty() => format!("`{arg}` 需要一个值，但没有给"),
        ErrorKind::InvalidValue => format!(
            "`{value}` 不是 `{arg}` 能取的值{}",
            listed("可选值", &strings(e, ContextKind::ValidValue))
        ),
        // Our values are read by clap's own parsers (paths, text, lists), which say a wrong value
        // with InvalidValue: this kind is said without the parser's English reason.
        ErrorKind::ValueValidation => format!("`{value}` 不是 `{arg}` 能取的值"),
        ErrorKind::InvalidSubcommand => format!(
            "没有 `{}` 这个子命令",
            string(e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingRequiredArgument => {
            let mut s = "缺少下列必需的参数：".to_string();
            for a in strings(e, ContextKind::InvalidArg) {
                s.push_str(&format!("\n  {a}"));
            }
            s
        }
        ErrorKind::MissingSubcommand => format!(
            "`{}` 后面要跟一个子命令，但没有给{}",
            string(e, ContextKind::InvalidSubcommand).unwrap_or_default(),
            listed("子命令", &strings(e, ContextKind::ValidSubcommand))
        ),
        ErrorKind::InvalidUtf8 => "参数里有不是 UTF-8 的文字".to_string(),
        ErrorKind::TooManyValues => format!("`{arg}` 不再要值了，多出了 `{value}`"),
        ErrorKind::TooFewValues => format!(
            "`{arg}` 需要 {} 个值，只给了 {} 个",
            number(e, ContextKind::MinValues),
            number(e, ContextKind::ActualNumValues)
        ),
        ErrorKind::WrongNumberOfValues => format!(
            "`{arg}` 需要 {} 个值，给了 {} 个",
            number(e, ContextKind::ExpectedNumValues),
            number(e, ContextKind::ActualNumValues)
        ),
        ErrorKind::UnknownArgument if arg.starts_with('-') => format!("没有 `{arg}` 这个参数"),
        ErrorKind::UnknownArgument => format!("多出了参数 `{arg}`"),
        // Io and Format are clap failing to write, not a user's mistake, and never reach here
        // (the help and version are printed by clap); kinds a later clap adds are said as clap
        // says them.
        _ => e
            .render()
            .to_string()
            .trim_start_matches("error: ")
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

/// An argument given twice (the only conflict our command line has), or with one it excludes.
fn conflict(e: &clap::Error) -> String {
    let (what, name) = match string(e, ContextKind::InvalidArg) {
        Some(arg) => ("参数", arg),
        None => (
            "子命令",
            string(e, ContextKind::InvalidSubcommand).unwrap_or_default(),
        ),
    };
    match e.get(ContextKind::PriorArg) {
        Some(ContextValue::String(prior)) if prior == name => {
            format!("{what} `{name}` 只能给一次")
        }
        Some(ContextValue::String(prior)) => {
            format!("{what} `{name}` 不能和 `{prior}` 一起用")
        }
        Some(ContextValue::Strings(prior)) => {
            let mut s = format!("{what} `{name}` 不能和下列参数一起用：");
            for p in prior {
                s.push_str(&format!("\n  {p}"));
            }
            s
        }
        _ => format!("{what} `{name}` 不能和给出的其他参数一起用"),
    }
}

/// The tips under the error: a similar subcommand, argument or value, and clap's own tips.
fn tips(e: &clap::Error) -> Vec<String> {
    let mut tips = Vec::new();
    for kind in [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ] {
        let similar = strings(e, kind);
        if !similar.is_empty() {
            let quoted: Vec<String> = similar.iter().map(|s| format!("`{s}`")).collect();
            tips.push(format!("是不是要写 {}？", quoted.join(" 或 ")));
        }
    }
    if let Some(ContextValue::StyledStrs(suggested)) = e.get(ContextKind::Suggested) {
        tips.extend(suggested.iter().map(|s| tip(&s.to_string())));
    }
    tips
}

/// One of the tips clap writes in English (clap keeps no parts of them), in Chinese.
fn tip(english: &str) -> String {
    let quoted: Vec<&str> = english.split('\'').skip(1).step_by(2).collect();
    match quoted.as_slice() {
        [value, usage] if english.starts_with("to pass ") => {
            format!("要把 `{value}` 当作值，请写 `{usage}`")
        }
        [sub, _] if english.starts_with("subcommand ") => {
            format!("有 `{sub}` 这个子命令；要用它，去掉它前面的 `--`")
        }
        [exists] if english.ends_with("' exists") => format!("有 `{exists}`"),
        // No other tip is made by clap for a command line like ours.
        _ => english.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::tip;

    #[test]
    fn clap_tips_in_chinese() {
        assert_eq!(
            tip("to pass '-x' as a value, use '-- -x'"),
            "要把 `-x` 当作值，请写 `-- -x`"
        );
        assert_eq!(
            tip("subcommand 'eval' exists; to use it, remove the '--' before it"),
            "有 `eval` 这个子命令；要用它，去掉它前面的 `--`"
        );
        assert_eq!(tip("'eval --period' exists"), "有 `eval --period`");
    }
}
