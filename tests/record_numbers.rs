//! Number cells in records and the roster: only the documented form (an optional sign, digits, an
//! optional `.` and digits) is read; `1e3`, `1_000`, `.5`, `5.`, full-width digits and the like
//! are errors with the form to write instead, never read as something else.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Year;

/// Line 2 of March is `2020-03-02,sick_leave,D13,,25,…`: its `days` cell, as `cell`.
fn march_days(cell: &str) -> common::Out {
    let year = Year::new("numbers");
    let path = year.path("records/2020-03.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let from = "2020-03-02,sick_leave,D13,,25,";
    assert!(text.contains(from));
    let cell = if cell.contains(',') {
        format!("\"{cell}\"")
    } else {
        cell.to_string()
    };
    let edited = text.replace(from, &format!("2020-03-02,sick_leave,D13,,{cell},"));
    std::fs::write(&path, edited).unwrap();
    year.with_inputs(&["eval", "year.policy", "--format", "csv"])
}

#[test]
fn numbers_in_forms_the_format_lacks_are_refused() {
    let mut seen = String::new();
    for cell in [
        "1e3",
        "25e0",
        "2.5E1",
        "1e-2",
        "1e99999",
        "1_000",
        "1,000",
        "1，000",
        ".5",
        "-.5",
        "5.",
        "２５",
        "－３",
        "−5",
        "0x10",
        "NaN",
        "inf",
        "e5",
        "2 5",
        "2５",
        "99999999999999999999999999999",
        "25.0000000000000000000000000001",
        "0.00000000000000000000000000001",
    ] {
        let out = march_days(cell);
        assert_eq!(out.code, Some(1), "{cell}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{cell}");
        let first: Vec<&str> = out.stderr.lines().take(2).collect();
        seen.push_str(&first.join("\n"));
        seen.push('\n');
    }
    insta::assert_snapshot!(seen);
}

#[test]
fn numbers_in_the_documented_form_are_read() {
    let expected = march_days("25").ok();
    for cell in [
        "+25",
        "025",
        "25.0",
        "25.000",
        " 25 ",
        "25.000000000000000000000000000000",
    ] {
        assert_eq!(march_days(cell).ok(), expected, "{cell}");
    }
}

/// The roster's number columns are read the same way.
#[test]
fn roster_numbers_too() {
    let year = Year::new("roster-numbers");
    let policy = std::fs::read_to_string(year.path("year.policy")).unwrap();
    let from = "  temporary: bool\n";
    assert!(policy.contains(from));
    std::fs::write(
        year.path("year.policy"),
        policy.replace(from, "  temporary: bool\n  seniority: number\n"),
    )
    .unwrap();
    let roster = std::fs::read_to_string(year.path("roster.csv")).unwrap();
    let mut lines: Vec<String> = roster.lines().map(str::to_string).collect();
    for (i, line) in lines.iter_mut().enumerate() {
        line.push_str(match i {
            0 => ",seniority",
            2 => ",1e3",
            3 => ",.5",
            _ => ",12",
        });
    }
    std::fs::write(year.path("roster.csv"), lines.join("\n") + "\n").unwrap();
    let out = year.with_inputs(&["eval", "year.policy", "--format", "csv"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    insta::assert_snapshot!(out.stderr);
}
