//! The command line's help in Chinese. The clap definitions (in English) stay the one source of
//! commands and arguments; for a Chinese user the built [`Command`] is rewritten here before it
//! parses: every about and argument help from [`TEXTS`], the placeholders from [`VALUE_NAMES`],
//! and the headings, usage, possible values and defaults that clap writes in English in our own
//! words. The man pages and the completion scripts are made from the English definitions.

use clap::builder::{Str, StyledStr};
use clap::{Arg, Command};

/// The Chinese texts, keyed by command name (its about), `COMMAND ARG` (an argument's help, by
/// its id), `* ARG` (an argument said the same in every command) and `… ARG=VALUE` (the help of
/// one of its values).
const TEXTS: &[(&str, &str)] = &[
    (
        "tally",
        "检查、计算和解释考核计分政策：政策照着它执行的规定原文来写",
    ),
    ("check", "解析并检查政策，列出每个错误和警告"),
    ("eval", "按花名册和记录计算政策：每个人每月和全年的分数"),
    (
        "explain",
        "把一个人的分数展开成树：每一分都追溯到它的条款和记录行",
    ),
    ("test", "运行政策旁边的测试场景，把结果和预期比对"),
    (
        "fmt",
        "把政策改写成标准格式，保留所有注释；加 `--check` 什么都不改",
    ),
    (
        "diff",
        "在同一批记录上比较政策的两个版本：哪些条款、人员和等次有变化",
    ),
    ("lsp", "为编辑器运行语言服务器（LSP，经标准输入和输出）"),
    (
        "completions",
        "输出 bash、zsh、fish 或 PowerShell 的命令补全脚本",
    ),
    (
        "manpage",
        "把使用手册（`tally.1`、`tally-check.1` 等）写到一个文件夹",
    ),
    (
        "publish",
        "生成一个期间的公示表：可直接打印的工作簿（.xlsx）或网页（.html）",
    ),
    (
        "template",
        "按政策生成记录录入工作簿：一张花名册表，每种记录类型一张表",
    ),
    ("help", "显示本说明，或所给子命令的说明"),
    ("* help", "显示帮助"),
    ("* version", "显示版本"),
    (
        "* lang",
        "消息的语言：zh（中文）或 en；不给时，区域设置（LC_ALL、LC_MESSAGES、LANG）以 `zh` 开头的用中文，其他用英文",
    ),
    ("* policy", "政策文件"),
    ("* roster", "花名册 CSV 文件：每人一行"),
    (
        "* records",
        "记录文件（CSV），或放记录文件的文件夹（里面所有 `*.csv`，按文件名）",
    ),
    (
        "* as_of",
        "报告日期（YYYY-MM-DD）；年度结束前，按年度计的值都是暂定的",
    ),
    (
        "* encoding",
        "CSV 文件的编码（默认：UTF-8；不是 UTF-8 而是 GBK 的文件按 GBK 读）",
    ),
    ("* encoding=gb18030", "GB18030，GBK 是它的一部分"),
    ("* encoding=gbk", "按 GB18030 读，GBK 是它的一部分"),
    (
        "check files",
        "要检查的政策文件，或文件夹（里面所有 `*.policy`）",
    ),
    ("check format", "诊断的输出方式"),
    ("check format=human", "便于阅读的报告，在出错的原文下面划线"),
    ("check format=json", "每条诊断一行 JSON 对象"),
    (
        "check deny_warnings",
        "把警告当作错误（有任何警告就以 1 退出）",
    ),
    (
        "check bounds",
        "同时列出每个项目、部分和总分在一个月和一年里最少、最多能得多少分，以及能评出哪些等次（加 `--format json` 时每个政策一个 JSON 对象）",
    ),
    (
        "eval format",
        "输出形式（默认：`--output` 以 `.xlsx` 结尾时为 xlsx，在终端上为 table，否则为 csv）",
    ),
    (
        "eval format=json",
        "结果为 JSON；如有问题，以 JSON 行写到标准错误",
    ),
    (
        "eval format=xlsx",
        "工作簿（配合 `--output FILE.xlsx`）：每月一张表，全年一张",
    ),
    (
        "eval output",
        "把结果写到这个文件，而不是标准输出（整个替换，不会只写一半）",
    ),
    (
        "eval period",
        "只显示一个期间：月份如 `2020-03`，或全年如 `2020`",
    ),
    ("explain person", "人员编号，即花名册 `person` 列的值"),
    (
        "explain period",
        "月份如 `2020-03`，或全年如 `2020`（默认）",
    ),
    ("explain format", "输出形式"),
    ("explain format=text", "缩进的树"),
    (
        "explain format=json",
        "同一棵树的数据形式：每个节点的分值是其子节点之和；如有问题，以 JSON 行写到标准错误",
    ),
    (
        "test paths",
        "政策（其测试场景在旁边的 `NAME.tests/` 里）、场景文件夹，或单个场景文件",
    ),
    (
        "test accept",
        "把实际结果写进没通过的场景，并给还没有预期的场景填上预期",
    ),
    (
        "test encoding",
        "场景所用花名册和记录 CSV 文件的编码（默认：UTF-8；不是 UTF-8 而是 GBK 的文件按 GBK 读）",
    ),
    (
        "fmt files",
        "政策文件，或文件夹（里面所有 `*.policy`）；`-` 从标准输入读，结果写到标准输出",
    ),
    (
        "fmt check",
        "什么都不写：列出每个不是标准格式的文件，显示会改什么，并以 1 退出",
    ),
    ("diff old", "现行的政策"),
    ("diff new", "修改后的政策"),
    (
        "diff format",
        "输出形式：供阅读的表格、结果有变化的人员的 CSV，或包含全部内容的 JSON",
    ),
    (
        "diff format=json",
        "全部内容为 JSON；如有问题，以 JSON 行写到标准错误",
    ),
    ("diff output", "把比较结果写到这个文件，而不是标准输出"),
    (
        "lsp stdio",
        "为传这个参数的编辑器而接受；总是使用标准输入和输出",
    ),
    ("completions shell", "补全脚本所用的 shell"),
    (
        "manpage output",
        "写入使用手册的文件夹（没有就新建）；同名的手册会被替换",
    ),
    (
        "publish period",
        "公示的期间：月份如 `2020-03`，或全年如 `2020`",
    ),
    (
        "publish output",
        "要写的公示表：`公示.xlsx`（按 A4 设好的工作簿）或 `公示.html`（从浏览器打印）",
    ),
    (
        "publish unit",
        "公示单位，如 `大水泊镇党委`（不给就留空，打印后手写）",
    ),
    (
        "template roster",
        "用来填模板里花名册表的花名册（CSV 或工作簿）",
    ),
    ("template output", "要写的工作簿，如 `记录模板.xlsx`"),
    (
        "template replace",
        "输出文件已经存在时替换它（里面可能已经填了记录）",
    ),
];

/// The placeholders of values (`--roster <FILE>`) in Chinese.
const VALUE_NAMES: &[(&str, &str)] = &[
    ("POLICY", "政策文件"),
    ("FILE", "文件"),
    ("PATH", "路径"),
    ("DATE", "日期"),
    ("ENCODING", "编码"),
    ("FORMAT", "格式"),
    ("PERIOD", "期间"),
    ("ID", "编号"),
    ("OLD", "原政策"),
    ("NEW", "新政策"),
    ("NAME", "名称"),
    ("DIR", "文件夹"),
    ("LANG", "语言"),
    ("SHELL", "shell"),
    ("COMMAND", "命令"),
];

/// The Chinese text of `key`, else of the same argument in every command (`* ARG…`).
fn text(command: &str, key: &str) -> Option<&'static str> {
    let find = |k: &str| TEXTS.iter().find(|(k2, _)| *k2 == k).map(|(_, t)| *t);
    find(&format!("{command} {key}")).or_else(|| find(&format!("* {key}")))
}

fn value_name(name: &str) -> Option<&'static str> {
    VALUE_NAMES
        .iter()
        .find(|(en, _)| *en == name)
        .map(|(_, zh)| *zh)
}

/// The whole command tree in Chinese. `cmd` is built here first, so that clap's own `--help`,
/// `--version` and `help` exist to be rewritten too.
pub fn localise(mut cmd: Command) -> Command {
    cmd.build();
    command(cmd)
}

fn command(cmd: Command) -> Command {
    let name = cmd.get_name().to_string();
    let about = TEXTS.iter().find(|(k, _)| *k == name).map(|(_, t)| *t);
    let mut cmd = cmd
        .mut_args(|a| argument(&name, a))
        .subcommand_value_name(value_name("COMMAND"));
    if let Some(about) = about {
        cmd = cmd.about(about);
    }
    // The usage clap makes (with the placeholders above), its English `[OPTIONS]` replaced.
    let usage = cmd.render_usage().ansi().to_string();
    let usage = usage
        .find("Usage:")
        .and_then(|at| usage[at..].find(' ').map(|space| at + space + 1))
        .map_or(usage.as_str(), |start| &usage[start..])
        .replace("[OPTIONS]", "[选项]");
    let template = template(&cmd);
    cmd.override_usage(StyledStr::from(usage))
        .help_template(template)
        .mut_subcommands(command)
}

/// The layout of clap's default help, with Chinese headings.
fn template(cmd: &Command) -> StyledStr {
    let styles = cmd.get_styles();
    let (usage, header) = (styles.get_usage(), styles.get_header());
    let mut sections = Vec::new();
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        sections.push(format!("{header}命令：{header:#}\n{{subcommands}}"));
    }
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        sections.push(format!("{header}参数：{header:#}\n{{positionals}}"));
    }
    if cmd
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_hide_set())
    {
        sections.push(format!("{header}选项：{header:#}\n{{options}}"));
    }
    StyledStr::from(format!(
        "{{about-with-newline}}\n{usage}用法：{usage:#}{{usage}}\n\n{}",
        sections.join("\n\n")
    ))
}

/// One argument in Chinese: its help, placeholders, possible values and default.
fn argument(command: &str, arg: Arg) -> Arg {
    let id = arg.get_id().to_string();
    let names: Vec<Str> = arg
        .get_value_names()
        .unwrap_or_default()
        .iter()
        .map(|n| value_name(n.as_str()).map_or_else(|| n.clone(), Str::from))
        .collect();
    let mut arg = if names.is_empty() {
        arg
    } else {
        arg.value_names(names)
    };
    let Some(help) = text(command, &id) else {
        return arg;
    };
    if id == "help" && arg.get_long_help().is_some() {
        // clap's help flag where some argument says more with `--help` than with `-h`.
        return arg
            .help(format!("{help}（用 '--help' 看详细说明）"))
            .long_help(format!("{help}（用 '-h' 看摘要）"));
    }
    let (short, long) = specs(command, &arg);
    if short.is_empty() {
        return arg.help(help);
    }
    arg = arg
        .help(format!("{help} {}", short.join(" ")))
        .long_help(format!("{help}\n\n{}", long.join("\n\n")));
    arg.hide_possible_values(true).hide_default_value(true)
}

/// What clap adds after an argument's help, in Chinese: its default and possible values, in a
/// line (`-h`) and in paragraphs (`--help`, where values with a help are listed one a line).
fn specs(command: &str, arg: &Arg) -> (Vec<String>, Vec<String>) {
    let (mut short, mut long) = (Vec::new(), Vec::new());
    let takes_values = arg.get_action().takes_values();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if takes_values && !defaults.is_empty() && !arg.is_hide_default_value_set() {
        short.push(format!("[默认：{}]", defaults.join("、")));
    }
    let values: Vec<_> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    if takes_values && !values.is_empty() && !arg.is_hide_possible_values_set() {
        let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
        short.push(format!("[可选值：{}]", names.join("、")));
        let id = arg.get_id().as_str();
        let helps: Vec<Option<&str>> = values
            .iter()
            .map(|v| {
                v.get_help()
                    .and_then(|_| text(command, &format!("{id}={}", v.get_name())))
            })
            .collect();
        if helps.iter().any(Option::is_some) {
            let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
            let lines: Vec<String> = names
                .iter()
                .zip(&helps)
                .map(|(name, help)| match help {
                    Some(h) => format!("- {name}：{:pad$}{h}", "", pad = width - name.len()),
                    None => format!("- {name}"),
                })
                .collect();
            long.push(format!("可选值：\n{}", lines.join("\n")));
            long.extend(short.iter().filter(|s| s.starts_with("[默认")).cloned());
            return (short, long);
        }
    }
    long.clone_from(&short);
    (short, long)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every command, argument and value with an English help has a Chinese one, and every
    /// placeholder a Chinese name.
    #[test]
    fn everything_the_help_shows_has_a_chinese_text() {
        let mut cmd = super::super::Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        let mut commands = vec![&cmd];
        while let Some(c) = commands.pop() {
            let name = c.get_name();
            if c.get_about().is_some() && !TEXTS.iter().any(|(k, _)| *k == name) {
                missing.push(name.to_string());
            }
            for a in c.get_arguments() {
                let id = a.get_id().as_str();
                if text(name, id).is_none() {
                    missing.push(format!("{name} {id}"));
                }
                for v in a.get_possible_values() {
                    let key = format!("{id}={}", v.get_name());
                    if v.get_help().is_some() && text(name, &key).is_none() {
                        missing.push(format!("{name} {key}"));
                    }
                }
                let names = a
                    .get_value_names()
                    .filter(|_| a.get_action().takes_values());
                for n in names.unwrap_or_default() {
                    if !VALUE_NAMES.iter().any(|(en, _)| *en == n.as_str()) {
                        missing.push(format!("value name {n}"));
                    }
                }
            }
            commands.extend(c.get_subcommands());
        }
        assert!(missing.is_empty(), "no Chinese text for {missing:?}");
    }

    /// No text is left over from a command or argument that is gone.
    #[test]
    fn every_chinese_text_is_used() {
        let mut cmd = super::super::Cli::command();
        cmd.build();
        let mut keys = Vec::new();
        let mut commands = vec![&cmd];
        while let Some(c) = commands.pop() {
            keys.push(c.get_name().to_string());
            for a in c.get_arguments() {
                let id = a.get_id().as_str();
                for k in [format!("{} {id}", c.get_name()), format!("* {id}")] {
                    keys.push(k.clone());
                    for v in a.get_possible_values() {
                        keys.push(format!("{k}={}", v.get_name()));
                    }
                }
            }
            commands.extend(c.get_subcommands());
        }
        for (k, _) in TEXTS {
            assert!(keys.iter().any(|used| used == k), "`{k}` is not used");
        }
    }
}
