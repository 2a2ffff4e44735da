//! Messages in Chinese: `--lang zh`, or a `zh` locale. What is translated so far: the summaries of
//! `check`, `fmt` and `test`, the scenario report, and the tables of `eval` and `diff`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::tally_command;

const POLICY: &str = "policies/dashuipo-2020.policy";
const INPUTS: [&str; 6] = [
    "--roster",
    "policies/dashuipo-2020/roster.csv",
    "--records",
    "policies/dashuipo-2020/records",
    "--as-of",
    "2021-01-05",
];

/// Runs tally from the crate root with `vars` set; standard output, then standard error.
fn run(args: &[&str], vars: &[(&str, &str)]) -> String {
    let out = tally_command()
        .args(args)
        .envs(vars.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap()
    )
}

#[test]
fn a_chinese_locale_gets_the_check_summary_in_chinese() {
    let en = run(&["check", POLICY], &[]);
    assert_eq!(en, "checked 1 file: 0 errors, 0 warnings\n");
    for vars in [
        &[("LANG", "zh_CN.UTF-8")][..],
        &[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "en_US.UTF-8")],
        &[("LC_MESSAGES", "zh_TW")],
    ] {
        assert_eq!(
            run(&["check", POLICY], vars),
            "已检查 1 个文件：0 个错误，0 个警告\n",
            "{vars:?}"
        );
    }
    // `--lang` wins over the locale, before or after the subcommand.
    assert_eq!(
        run(&["check", "--lang", "zh", POLICY], &[]),
        run(&["--lang", "zh", "check", POLICY], &[])
    );
    assert_eq!(
        run(
            &["check", "--lang", "en", POLICY],
            &[("LANG", "zh_CN.UTF-8")]
        ),
        en
    );
    // A locale that is not Chinese, or C, gives English.
    assert_eq!(run(&["check", POLICY], &[("LANG", "C")]), en);
    assert_eq!(
        run(
            &["check", POLICY],
            &[("LC_ALL", "fr_FR.UTF-8"), ("LANG", "zh_CN")]
        ),
        en
    );
}

#[test]
fn a_bad_lang_is_refused() {
    let out = tally_command()
        .args(["check", "--lang", "fr", POLICY])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("invalid value 'fr' for '--lang <LANG>'"),
        "{stderr}"
    );
}

#[test]
fn the_eval_table_in_chinese() {
    let mut args = vec!["eval", POLICY, "--lang", "zh", "--format", "table"];
    args.extend(INPUTS);
    insta::assert_snapshot!(run(&args, &[]));
    args.extend(["--period", "2020-03"]);
    insta::assert_snapshot!("the_eval_table_in_chinese_march", run(&args, &[]));
}

#[test]
fn fmt_and_test_summaries_in_chinese() {
    let fmt = run(
        &[
            "fmt",
            "--check",
            "--lang",
            "zh",
            POLICY,
            "tests/fixtures/readme/untidy.policy",
        ],
        &[],
    );
    let summary = fmt.lines().last().unwrap_or_default().to_string();
    assert_eq!(summary, "已检查 2 个文件：1 个不是标准格式");
    // The file named above its differences is in Chinese too, as the summary under them is.
    assert!(
        fmt.lines()
            .any(|l| l == "tests/fixtures/readme/untidy.policy：不是标准格式"),
        "{fmt}"
    );
    assert!(!fmt.contains("not in the canonical layout"), "{fmt}");
    insta::assert_snapshot!(run(&["test", "--lang", "zh", POLICY], &[]));
    insta::assert_snapshot!(
        "a_failing_scenario_in_chinese",
        run(
            &[
                "test",
                "--lang",
                "zh",
                "tests/fixtures/readme/revised.policy"
            ],
            &[]
        )
    );
}

#[test]
fn the_diff_table_in_chinese() {
    let mut args = vec![
        "diff",
        POLICY,
        "tests/fixtures/readme/revised.policy",
        "--lang",
        "zh",
    ];
    args.extend(INPUTS);
    insta::assert_snapshot!(run(&args, &[]));
}
