//! Messages in Chinese: `--lang zh`, or a `zh` locale. What is translated so far: the summaries of
//! `check`, `fmt` and `test`, the diagnostics of `check` (see `check_fixtures_zh.rs`), the
//! scenario report, the tables of `eval` and `diff`, the trees of `explain`, and the lines closing a
//! list of input problems.

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

/// The tree of `explain` in Chinese: a year with a grade cap and a flag, and a month with a zeroed
/// item, clamps and values read over the year. The policy's own text (rules, labels, `half-up`)
/// stays as written.
#[test]
fn the_explain_tree_in_chinese() {
    let mut args = vec!["explain", POLICY, "--lang", "zh", "--person", "D15"];
    args.extend(INPUTS);
    let year = run(&args, &[]);
    assert!(year.contains("等次最高为"), "{year}");
    insta::assert_snapshot!("the_explain_tree_in_chinese_year", year);
    let mut args = vec!["explain", POLICY, "--lang", "zh", "--person", "D07"];
    args.extend(INPUTS);
    args.extend(["--period", "2020-05"]);
    let month = run(&args, &[]);
    assert!(month.contains("项目清零"), "{month}");
    insta::assert_snapshot!("the_explain_tree_in_chinese_month", month);
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
    assert!(
        fmt.lines()
            .any(|l| l == "+++ tests/fixtures/readme/untidy.policy（排版后）"),
        "{fmt}"
    );
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

/// The tree of a balance card in Chinese: the entries counted on the reading day and those not,
/// with their validity.
#[test]
fn the_explain_tree_of_a_balance_in_chinese() {
    let read = |name: &str| {
        std::fs::read_to_string(common::root().join("tests/fixtures/validity").join(name)).unwrap()
    };
    let (policy, roster, records) = (
        read("credit.policy"),
        read("roster.csv"),
        read("records.csv"),
    );
    let out = common::in_folder(
        &[
            ("credit.policy", &policy),
            ("roster.csv", &roster),
            ("records.csv", &records),
        ],
        &[
            "explain",
            "credit.policy",
            "--roster",
            "roster.csv",
            "--records",
            "records.csv",
            "--as-of",
            "2020-12-31",
            "--person",
            "B",
            "--lang",
            "zh",
        ],
    )
    .ok();
    assert!(out.contains("2020-12-31 计入的分"), "{out}");
    insta::assert_snapshot!(out);
}

/// A policy file or folder `check` cannot read is said in Chinese too.
#[test]
fn a_file_check_cannot_read_is_said_in_chinese() {
    let out = run(&["check", "--lang", "zh", "no-such.policy"], &[]);
    assert_eq!(
        out,
        "错误：读不了 `no-such.policy`：没有这个文件或文件夹 [tally::cannot-read]\n"
    );
    let out = run(
        &[
            "check",
            "--lang",
            "zh",
            "tests/fixtures/readme/revised.tests",
        ],
        &[],
    );
    assert!(
        out.starts_with("错误：`tests/fixtures/readme/revised.tests` 里没有 `*.policy` 文件"),
        "{out}"
    );
}

/// `eval` in Chinese: the table is, and so are the lines closing a list of problems and the one
/// sending a policy with errors to `tally check`.
#[test]
fn eval_problems_close_in_chinese() {
    let policy = std::fs::read_to_string(POLICY).unwrap();
    let roster = std::fs::read_to_string("policies/dashuipo-2020/roster.csv").unwrap();
    let last = |files: &[(&str, &str)]| {
        let out = common::in_folder(
            files,
            &[
                "--lang",
                "zh",
                "eval",
                "p.policy",
                "--roster",
                "roster.csv",
                "--records",
                "records.csv",
            ],
        );
        out.stderr.lines().last().unwrap_or_default().to_string()
    };
    let records = "date,kind,person\n2020-03-02,no_such_kind,D01\n";
    assert_eq!(
        last(&[
            ("p.policy", &policy),
            ("roster.csv", &roster),
            ("records.csv", records)
        ]),
        "输入的文件里有 1 个问题，没有算出结果"
    );
    let roster_problems = last(&[
        ("p.policy", &policy),
        ("roster.csv", "person,name\nD01,王建国\n"),
        ("records.csv", records),
    ]);
    assert!(
        roster_problems.starts_with("花名册里有 ")
            && roster_problems.ends_with(" 个问题，没有算出结果"),
        "{roster_problems}"
    );
    // Past the problems listed, how many more there are.
    let many: String = std::iter::once("date,kind,person\n".to_string())
        .chain((0..60).map(|_| "2020-03-02,no_such_kind,D01\n".to_string()))
        .collect();
    let out = common::in_folder(
        &[
            ("p.policy", &policy),
            ("roster.csv", &roster),
            ("records.csv", &many),
        ],
        &[
            "--lang",
            "zh",
            "eval",
            "p.policy",
            "--roster",
            "roster.csv",
            "--records",
            "records.csv",
        ],
    );
    assert!(
        out.stderr
            .contains("另外还有 10 个问题；先改好上面这些，再运行一次"),
        "{}",
        out.stderr
    );
    let broken = policy
        .replacen("grades {", "grades {\n  ", 1)
        .replacen("annual", "annul", 1);
    assert_eq!(
        last(&[
            ("p.policy", &broken),
            ("roster.csv", &roster),
            ("records.csv", records)
        ]),
        "政策有错误；请先运行 `tally check DIR/p.policy` 并改正"
    );
}

/// `check --bounds` in Chinese: the heading, the table's columns and rows, the grades, the
/// overflow line and the reasons for each unbounded end.
#[test]
fn the_bounds_table_in_chinese() {
    let out = run(&["check", POLICY, "--bounds", "--lang", "zh"], &[]);
    assert!(out.contains("的分值范围"), "{out}");
    assert!(out.contains("记录多少条都算，又没有封顶"), "{out}");
    insta::assert_snapshot!(out);
}

/// A `--period` the policy does not have is said in Chinese: outside its year, or a month of a
/// policy with one card a year.
#[test]
fn a_period_the_policy_does_not_have_is_said_in_chinese() {
    let mut args = vec!["eval", POLICY, "--lang", "zh", "--period", "2020-13"];
    args.extend(INPUTS);
    assert_eq!(
        run(&args, &[]),
        "错误：`2020-13` 不是这个政策文件的考核时段：全年写 `2020`，单月写成 `2020-03` 这样 [tally::bad-argument]\n"
    );
    let yearly = "tests/fixtures/yearly";
    let (policy, roster, records) = (
        format!("{yearly}/card.policy"),
        format!("{yearly}/roster.csv"),
        format!("{yearly}/records.csv"),
    );
    for command in ["eval", "explain"] {
        let mut args = vec![command, &policy, "--roster", &roster, "--records", &records];
        args.extend(["--lang", "zh", "--period", "2020-03"]);
        if command == "explain" {
            args.extend(["--person", "A"]);
        }
        let out = run(&args, &[]);
        assert!(
            out.contains(
                "这个政策文件一年一张记分卡（`card year`），没有 `2020-03` 这个时段：写 `2020` [tally::bad-argument]"
            ),
            "{command}: {out}"
        );
    }
}
