//! The help of every command and clap's parse errors, in English and in Chinese (`--lang zh` or a
//! `zh` locale): under Chinese nothing clap says is left in English.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::tally_command;

/// Runs tally with `args` and `vars`: exit code, standard output, standard error.
fn run(args: &[&str], vars: &[(&str, &str)]) -> (i32, String, String) {
    let out = tally_command()
        .args(args)
        .envs(vars.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The help, printed on standard output with exit 0.
fn help(args: &[&str]) -> String {
    let (code, out, err) = run(args, &[]);
    assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
    out
}

/// A parse error, printed on standard error with exit 2.
fn error(args: &[&str]) -> String {
    let (code, out, err) = run(args, &[]);
    assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
    err
}

const COMMANDS: [&str; 11] = [
    "check",
    "eval",
    "explain",
    "test",
    "fmt",
    "diff",
    "lsp",
    "completions",
    "manpage",
    "publish",
    "template",
];

/// What clap writes in English around the texts: none of it may be left in a Chinese help.
const CLAP_ENGLISH: [&str; 12] = [
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Possible values",
    "possible values",
    "[default",
    "Print",
    "OPTIONS",
    "error",
    "tip:",
    "For more information",
];

fn assert_no_english(text: &str, what: &str) {
    for word in CLAP_ENGLISH {
        assert!(!text.contains(word), "`{word}` in {what}:\n{text}");
    }
}

#[test]
fn the_help_in_both_languages() {
    insta::assert_snapshot!("help_en", help(&["--help"]));
    insta::assert_snapshot!("help_zh", help(&["--help", "--lang", "zh"]));
    insta::assert_snapshot!("eval_help_en", help(&["eval", "--help"]));
    insta::assert_snapshot!("eval_help_zh", help(&["eval", "--help", "--lang", "zh"]));
    insta::assert_snapshot!(
        "check_short_help_zh",
        help(&["check", "-h", "--lang", "zh"])
    );
}

/// Every command's help, short and long, and through `tally help`, is Chinese under Chinese, and
/// says every argument the English help says.
#[test]
fn every_help_is_chinese_under_chinese() {
    for command in COMMANDS.iter().map(|c| vec![*c]).chain([vec![]]) {
        for flag in ["-h", "--help"] {
            let mut args = command.clone();
            args.extend([flag, "--lang", "zh"]);
            let zh = help(&args);
            assert_no_english(&zh, &format!("{args:?}"));
            let en = help(&args[..args.len() - 2]);
            let flags = |t: &str| {
                t.split_whitespace()
                    .filter(|w| w.starts_with('-'))
                    .map(|w| w.trim_end_matches(','))
                    .filter(|w| !w.contains('`'))
                    .map(str::to_string)
                    .collect::<std::collections::BTreeSet<_>>()
            };
            assert_eq!(flags(&en), flags(&zh), "{args:?}");
        }
        // `help` takes the rest as command names: `--lang` goes before it.
        let mut args = vec!["--lang", "zh", "help"];
        args.extend(&command);
        let by_help = help(&args);
        let mut long = command.clone();
        long.extend(["--help", "--lang", "zh"]);
        assert_eq!(by_help, help(&long), "{args:?}");
    }
}

/// A Chinese locale gives the Chinese help as `--lang zh` does; `--lang en` wins over it.
#[test]
fn the_locale_chooses_the_language_of_the_help() {
    let zh = help(&["eval", "--help", "--lang", "zh"]);
    let (code, by_locale, _) = run(&["eval", "--help"], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!((code, by_locale), (0, zh));
    let (_, en, _) = run(&["eval", "--help", "--lang=en"], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(en, help(&["eval", "--help"]));
}

#[test]
fn parse_errors_in_both_languages() {
    for lang in ["en", "zh"] {
        let with = |args: &[&str]| error(&[args, &["--lang", lang]].concat());
        insta::assert_snapshot!(
            format!("unknown_argument_{lang}"),
            with(&["eval", "p.policy", "--fomat", "csv"])
        );
        insta::assert_snapshot!(
            format!("missing_arguments_{lang}"),
            with(&["eval", "p.policy"])
        );
        insta::assert_snapshot!(
            format!("invalid_value_{lang}"),
            with(&["check", "--format", "xml", "p.policy"])
        );
        insta::assert_snapshot!(format!("unknown_command_{lang}"), with(&["evl"]));
    }
}

/// Every kind of mistake our command line can meet is said in Chinese, with exit 2.
#[test]
fn every_parse_error_is_chinese_under_chinese() {
    let mistakes: &[&[&str]] = &[
        &["evl"],
        &["check"],
        &["check", "--bound", "p"],
        &["check", "--records", "p"],
        &["eval", "p", "q", "--roster", "r", "--records", "x"],
        &[
            "eval",
            "p",
            "--roster",
            "r",
            "--records",
            "x",
            "--format",
            "csv",
            "--format",
            "json",
        ],
        &["eval", "p", "--roster", "r", "--records"],
        &[
            "eval",
            "p",
            "--roster",
            "r",
            "--records",
            "x",
            "--encoding",
            "big5",
        ],
        &["eval", "p", "--roster", "", "--records", "x"],
        &["explain", "p", "--roster", "r", "--records", "x"],
        &["completions", "tcsh"],
        &["--lang", "zh"],
        &["fmt", "--check=yes", "p"],
        &["help", "evl"],
    ];
    for args in mistakes {
        let err = error(&[&["--lang", "zh"][..], args].concat());
        assert!(err.starts_with("错误："), "{args:?}: {err}");
        assert_no_english(&err, &format!("{args:?}"));
    }
    // Without anything to do, the help on standard error, as clap gives it.
    let (code, out, err) = run(&[], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(err, help(&["--help", "--lang", "zh"]));
}

/// The version is printed as it is, in both languages, with exit 0.
#[test]
fn the_version_is_the_same_in_both_languages() {
    assert_eq!(help(&["-V"]), help(&["-V", "--lang", "zh"]));
}
