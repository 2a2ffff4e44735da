//! What `tally eval` prints, in each form, on the Dashuipo example year.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

const INPUTS: [&str; 5] = [
    "policies/dashuipo-2020.policy",
    "--roster",
    "policies/dashuipo-2020/roster.csv",
    "--records",
    "policies/dashuipo-2020/records",
];

fn eval(extra: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tally"))
        .arg("eval")
        .args(INPUTS)
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn ok(extra: &[&str]) -> String {
    let (code, out, err) = eval(extra);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
    out
}

#[test]
fn table() {
    insta::assert_snapshot!(ok(&["--as-of", "2021-01-05", "--format", "table"]));
}

#[test]
fn csv_of_one_month() {
    insta::assert_snapshot!(ok(&[
        "--as-of",
        "2021-01-05",
        "--format",
        "csv",
        "--period",
        "2020-03"
    ]));
}

#[test]
fn json_of_the_year() {
    insta::assert_snapshot!(ok(&[
        "--as-of",
        "2021-01-05",
        "--format",
        "json",
        "--period",
        "2020"
    ]));
}

/// Before the year is over, year-window values are provisional: results are not final.
#[test]
fn csv_before_the_year_is_over() {
    insta::assert_snapshot!(ok(&[
        "--as-of",
        "2020-06-30",
        "--format",
        "csv",
        "--period",
        "2020-05"
    ]));
}

#[test]
fn a_period_outside_the_year() {
    let (code, out, err) = eval(&["--period", "2020-13"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    insta::assert_snapshot!(err);
}

#[test]
fn output_to_a_file() {
    let dir = common::temp_dir("output");
    let path = dir.join("scores.csv");
    let printed = ok(&[
        "--as-of",
        "2021-01-05",
        "--format",
        "csv",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert!(printed.is_empty());
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, ok(&["--as-of", "2021-01-05", "--format", "csv"]));
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    let _ = std::fs::remove_dir_all(&dir);
}
