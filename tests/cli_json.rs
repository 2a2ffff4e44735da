//! `--format json` on `eval`, `explain` and `diff` when the inputs have problems: standard error
//! holds one JSON object per problem and line (the fields of `tally check --format json`, and
//! `column_name`), then `{"more": N}` when problems were left out, and nothing else; standard output
//! stays empty.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

const POLICY: &str = "policies/dashuipo-2020.policy";
const ROSTER: &str = "policies/dashuipo-2020/roster.csv";
const RECORDS: &str = "policies/dashuipo-2020/records";

/// A fresh folder holding `files` (name, text).
fn folder(tag: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = common::temp_dir(tag);
    for (name, text) in files {
        common::write(&dir, name, text);
    }
    dir
}

/// Runs tally in the crate root with `args` (`DIR` standing for `dir`), and checks what every run
/// with problems must give: exit 1 (or `exit`), nothing on standard output, and standard error made
/// of JSON objects only. Returns those objects and standard error with the folder shown as `DIR`.
fn run(dir: &Path, args: &[&str], exit: i32) -> (Vec<Value>, String) {
    let shown = dir.display().to_string();
    let args: Vec<String> = args.iter().map(|a| a.replace("DIR", &shown)).collect();
    let out = common::cli(&args);
    let _ = std::fs::remove_dir_all(dir);
    assert_eq!(out.code, Some(exit), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "published:\n{}", out.stdout);
    let lines = common::json_lines(&out.stderr);
    assert!(!lines.is_empty());
    (lines, out.stderr.replace(&shown, "DIR"))
}

/// Every problem object has the fields of `tally check --format json` (and `column_name`), with
/// the same types or null, and the `{"more": N}` object is last if there.
fn assert_problem_shape(lines: &[Value]) {
    for (i, line) in lines.iter().enumerate() {
        let object = line.as_object().unwrap();
        if object.contains_key("more") {
            assert_eq!(i + 1, lines.len(), "the count of problems left out is last");
            assert!(object["more"].as_u64().unwrap() > 0);
            assert_eq!(object.len(), 1, "{line}");
            continue;
        }
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.retain(|k| *k != "policy"); // in `diff`: the revision the inputs were read against
        keys.sort_unstable();
        let mut expected = [
            "code",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "column_name",
            "help",
        ];
        expected.sort_unstable();
        assert_eq!(keys, expected, "{line}");
        assert!(line["code"].is_string() || line["code"].is_null(), "{line}");
        assert_eq!(line["severity"], "error");
        assert!(line["message"].is_string(), "{line}");
        for number in ["line", "column"] {
            assert!(line[number].is_u64() || line[number].is_null(), "{line}");
        }
        for text in ["file", "column_name", "help"] {
            assert!(line[text].is_string() || line[text].is_null(), "{line}");
        }
    }
}

fn codes(lines: &[Value]) -> Vec<&str> {
    lines.iter().filter_map(|l| l["code"].as_str()).collect()
}

const BAD_RECORDS: &str = "date,kind,person,department,days
2020-02-30,late,D02,,
2020-03-02,lat,D02,,
2020-03-03,late,D99,,
2020-03-04,sick_leave,D02,,1e3
2020-03-05,late,D02,,,extra
";

#[test]
fn a_records_file_with_several_problems() {
    let dir = folder("json-records", &[("records.csv", BAD_RECORDS)]);
    let (lines, stderr) = run(
        &dir,
        &[
            "eval",
            POLICY,
            "--roster",
            ROSTER,
            "--records",
            "DIR/records.csv",
            "--as-of",
            "2021-01-05",
            "--format",
            "json",
        ],
        1,
    );
    assert_problem_shape(&lines);
    assert_eq!(
        codes(&lines),
        [
            "tally::bad-date",
            "tally::unknown-kind",
            "tally::unknown-person",
            "tally::not-a-number",
            "tally::too-many-cells",
        ]
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_roster_with_several_problems() {
    let roster = "person,name,department,role,head,temporary
D01,王建国,党政办公室,包片委员,true,false
D01,李秀英,党政办公室,包村干部,false,false
D03,,党政办公室,包村干部,yes,false
D04,张伟,党政办公室,包村干部,true,false
";
    let dir = folder("json-roster", &[("roster.csv", roster)]);
    let (lines, stderr) = run(
        &dir,
        &[
            "eval",
            POLICY,
            "--roster",
            "DIR/roster.csv",
            "--records",
            RECORDS,
            "--as-of",
            "2021-01-05",
            "--format",
            "json",
        ],
        1,
    );
    assert_problem_shape(&lines);
    insta::assert_snapshot!(stderr);
}

const DIVIDES: &str = "policy \"算术\" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record late \"迟到\" by person

section s \"s\" 100 {
  item i \"i\" 100 {
    [1] base 100 / count(late) in year
  }
}

grades {
  A >= 90 \"a\"
  B \"b\"
}
";

const SMALL_ROSTER: &str = "person,name,department\nA,甲,办公室\nB,乙,办公室\n";

/// `B` has no `late` record, so the base divides by zero for `B`.
#[test]
fn a_division_by_zero_while_scoring() {
    let dir = folder(
        "json-divides",
        &[
            ("p.policy", DIVIDES),
            ("roster.csv", SMALL_ROSTER),
            ("records.csv", "date,kind,person\n2020-03-02,late,A\n"),
        ],
    );
    let (lines, stderr) = run(
        &dir,
        &[
            "eval",
            "DIR/p.policy",
            "--roster",
            "DIR/roster.csv",
            "--records",
            "DIR/records.csv",
            "--as-of",
            "2021-01-05",
            "--format",
            "json",
        ],
        1,
    );
    assert_problem_shape(&lines);
    assert_eq!(codes(&lines), ["tally::divides-by-zero"]);
    insta::assert_snapshot!(stderr);
}

/// The old revision scores everybody; the new one divides by zero for `B`: the problem names the
/// revision in `policy`.
#[test]
fn diff_with_a_revision_that_cannot_score() {
    let old = DIVIDES.replace("base 100 / count(late) in year", "base 100");
    let dir = folder(
        "json-diff",
        &[
            ("old.policy", &old),
            ("new.policy", DIVIDES),
            ("roster.csv", SMALL_ROSTER),
            ("records.csv", "date,kind,person\n2020-03-02,late,A\n"),
        ],
    );
    let (lines, stderr) = run(
        &dir,
        &[
            "diff",
            "DIR/old.policy",
            "DIR/new.policy",
            "--roster",
            "DIR/roster.csv",
            "--records",
            "DIR/records.csv",
            "--as-of",
            "2021-01-05",
            "--format",
            "json",
        ],
        1,
    );
    assert_problem_shape(&lines);
    assert_eq!(codes(&lines), ["tally::divides-by-zero"]);
    assert!(lines[0]["policy"].as_str().unwrap().ends_with("new.policy"));
    insta::assert_snapshot!(stderr);
}

#[test]
fn diff_on_records_neither_revision_accepts() {
    let dir = folder("json-diff-records", &[("records.csv", BAD_RECORDS)]);
    let (lines, stderr) = run(
        &dir,
        &[
            "diff",
            POLICY,
            POLICY,
            "--roster",
            ROSTER,
            "--records",
            "DIR/records.csv",
            "--as-of",
            "2021-01-05",
            "--format",
            "json",
        ],
        1,
    );
    assert_problem_shape(&lines);
    assert_eq!(lines.len(), 5);
    assert!(lines.iter().all(|l| l["policy"] == POLICY));
    insta::assert_snapshot!(stderr);
}

#[test]
fn explain_on_a_bad_records_file() {
    let dir = folder("json-explain", &[("records.csv", BAD_RECORDS)]);
    let (lines, stderr) = run(
        &dir,
        &[
            "explain",
            POLICY,
            "--roster",
            ROSTER,
            "--records",
            "DIR/records.csv",
            "--as-of",
            "2021-01-05",
            "--person",
            "D02",
            "--format",
            "json",
        ],
        1,
    );
    assert_problem_shape(&lines);
    assert_eq!(lines.len(), 5);
    insta::assert_snapshot!(stderr);
}

#[test]
fn explain_of_a_person_not_in_the_roster() {
    let dir = folder("json-explain-person", &[]);
    let (lines, stderr) = run(
        &dir,
        &[
            "explain",
            POLICY,
            "--roster",
            ROSTER,
            "--records",
            RECORDS,
            "--as-of",
            "2021-01-05",
            "--person",
            "D7",
            "--format",
            "json",
        ],
        1,
    );
    assert_problem_shape(&lines);
    assert_eq!(codes(&lines), ["tally::unknown-person"]);
    insta::assert_snapshot!(stderr);
}

/// Past the first 50 problems the rest are counted, in a last object that is not a problem.
#[test]
fn problems_past_the_first_fifty_are_a_count() {
    let rows: String = (0..60).map(|_| "2020-02-30,late,D02,,\n").collect();
    let records = format!("date,kind,person,department,days\n{rows}");
    let dir = folder("json-more", &[("records.csv", &records)]);
    let (lines, _) = run(
        &dir,
        &[
            "eval",
            POLICY,
            "--roster",
            ROSTER,
            "--records",
            "DIR/records.csv",
            "--as-of",
            "2021-01-05",
            "--format",
            "json",
        ],
        1,
    );
    assert_problem_shape(&lines);
    assert_eq!(lines.len(), 51);
    assert_eq!(lines[50], serde_json::json!({ "more": 10 }));
}

/// A policy with errors: its errors as `check --format json` gives them.
#[test]
fn a_policy_with_errors() {
    let broken = common::DASHUIPO.replace("[2.1.1] per late", "[2.1.1] per lat");
    let dir = folder("json-policy", &[("p.policy", &broken)]);
    let (lines, stderr) = run(
        &dir,
        &[
            "eval",
            "DIR/p.policy",
            "--roster",
            ROSTER,
            "--records",
            RECORDS,
            "--format",
            "json",
        ],
        1,
    );
    assert_problem_shape(&lines);
    assert_eq!(codes(&lines), ["tally::unknown-record"]);
    insta::assert_snapshot!(stderr);
}

/// What stops the command from running at all is JSON too.
#[test]
fn inputs_that_cannot_be_read() {
    let dir = folder("json-unreadable", &[]);
    let (lines, stderr) = run(
        &dir,
        &[
            "eval",
            "DIR/none.policy",
            "--roster",
            ROSTER,
            "--records",
            RECORDS,
            "--format",
            "json",
        ],
        2,
    );
    assert_problem_shape(&lines);
    assert_eq!(codes(&lines), ["tally::cannot-read"]);
    insta::assert_snapshot!("a_missing_policy", stderr);

    let dir = folder("json-unreadable", &[]);
    let (lines, stderr) = run(
        &dir,
        &[
            "eval",
            POLICY,
            "--roster",
            "DIR/none.csv",
            "--records",
            "DIR/none",
            "--format",
            "json",
        ],
        2,
    );
    assert_problem_shape(&lines);
    assert_eq!(codes(&lines), ["tally::cannot-read", "tally::cannot-read"]);
    insta::assert_snapshot!("a_missing_roster_and_records", stderr);

    let dir = folder("json-output", &[]);
    let (lines, stderr) = run(
        &dir,
        &[
            "eval",
            POLICY,
            "--roster",
            ROSTER,
            "--records",
            RECORDS,
            "--as-of",
            "2020-13-01",
            "--format",
            "json",
        ],
        2,
    );
    assert_problem_shape(&lines);
    insta::assert_snapshot!("a_report_day_that_is_not_a_day", stderr);

    let dir = folder("json-output", &[]);
    let (lines, stderr) = run(
        &dir,
        &[
            "eval",
            POLICY,
            "--roster",
            ROSTER,
            "--records",
            RECORDS,
            "--output",
            ROSTER,
            "--format",
            "json",
        ],
        2,
    );
    assert_problem_shape(&lines);
    assert!(lines[0]["help"].is_string());
    insta::assert_snapshot!("an_output_over_an_input", stderr);
}

/// Cells holding quotes, backslashes, a line break, a tab, control characters and Chinese text are
/// echoed in messages: each problem stays one line of valid JSON with the text intact.
#[test]
fn cells_with_any_text_stay_one_json_line_each() {
    let records = "date,kind,person,department,days\n\
                   2020-03-02,\"la\"\"te\\\",D02,,\n\
                   2020-03-03,\"la\nte\",D02,,\n\
                   2020-03-04,la\tte\u{1},D02,,\n\
                   2020-03-05,迟到,张三\u{200b},,\n";
    let dir = folder("json-text", &[("records.csv", records)]);
    let (lines, _) = run(
        &dir,
        &[
            "eval",
            POLICY,
            "--roster",
            ROSTER,
            "--records",
            "DIR/records.csv",
            "--as-of",
            "2021-01-05",
            "--format",
            "json",
        ],
        1,
    );
    assert_problem_shape(&lines);
    let messages: Vec<&str> = lines
        .iter()
        .map(|l| l["message"].as_str().unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{messages:#?}");
    assert!(messages[0].contains("la\"te\\"), "{}", messages[0]);
    assert!(messages[1].contains("la\nte"), "{}", messages[1]);
    assert!(messages[2].contains("la\tte\u{1}"), "{}", messages[2]);
    assert!(messages[3].contains("张三"), "{}", messages[3]);
}
