//! The shipped Dashuipo policy on its example year: it checks clean, the tool agrees with the
//! hand-computed table in `policies/dashuipo-2020/EXPECTED.md`, and the whole year's results are
//! pinned as a snapshot.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

const POLICY: &str = "policies/dashuipo-2020.policy";
const ROSTER: &str = "policies/dashuipo-2020/roster.csv";
const RECORDS: &str = "policies/dashuipo-2020/records";

fn year_csv() -> String {
    common::cli([
        "eval",
        POLICY,
        "--roster",
        ROSTER,
        "--records",
        RECORDS,
        "--format",
        "csv",
        "--as-of",
        "2021-01-05",
    ])
    .ok()
}

#[test]
fn the_shipped_policy_checks_clean_with_warnings_denied() {
    let out = common::cli(["check", "--deny-warnings", POLICY]);
    assert_eq!(out.code, Some(0), "{}", out.both());
}

/// Every row of the ```expected block of EXPECTED.md (worked out by hand from READING.md and the
/// records) matches the tool's output: total, grade and flags.
#[test]
fn the_tool_agrees_with_the_hand_computed_table() {
    let expected_md = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/policies/dashuipo-2020/EXPECTED.md"
    ))
    .unwrap();
    let block = expected_md
        .split("```expected\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("EXPECTED.md has an ```expected block");
    let actual = year_csv();
    // person,name,period,total,grade,final,flags → (person, period) → (total, grade, flags)
    let mut got: BTreeMap<(String, String), (String, String, String)> = BTreeMap::new();
    let mut reader = csv::Reader::from_reader(actual.as_bytes());
    for row in reader.records() {
        let row = row.unwrap();
        assert_eq!(
            &row[5], "true",
            "every result of the example year is final: {row:?}"
        );
        got.insert(
            (row[0].to_string(), row[2].to_string()),
            (row[3].to_string(), row[4].to_string(), row[6].to_string()),
        );
    }
    let mut reader = csv::Reader::from_reader(block.as_bytes());
    let mut checked = 0;
    let mut people = std::collections::BTreeSet::new();
    for row in reader.records() {
        let row = row.unwrap();
        let key = (row[0].to_string(), row[1].to_string());
        let want = (row[2].to_string(), row[3].to_string(), row[4].to_string());
        let have = got
            .get(&key)
            .unwrap_or_else(|| panic!("no result for {key:?}"));
        assert_eq!(have, &want, "{} {}", key.0, key.1);
        people.insert(key.0);
        checked += 1;
    }
    assert!(people.len() >= 8, "EXPECTED.md covers at least 8 people");
    assert_eq!(
        checked,
        people.len() * 13,
        "12 months and the year for each person"
    );
}

#[test]
fn the_whole_year_as_csv() {
    insta::assert_snapshot!(year_csv());
}
