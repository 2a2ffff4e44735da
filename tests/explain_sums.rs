//! `tally explain`: for every person and every period of the Dashuipo example year, the lines of
//! the tree add up (each line's points are the sum of the lines under it) and the top line is the
//! total that `tally eval` publishes. Then snapshots of the trees a user reads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::process::Command;

use rust_decimal::Decimal;
use serde_json::Value;

const POLICY: &str = "policies/dashuipo-2020.policy";
const ROSTER: &str = "policies/dashuipo-2020/roster.csv";
const RECORDS: &str = "policies/dashuipo-2020/records";

fn tally(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .args([
            "--roster",
            ROSTER,
            "--records",
            RECORDS,
            "--as-of",
            "2021-01-05",
        ])
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

fn points(node: &Value) -> Option<Decimal> {
    node["points"].as_str().map(|p| p.parse().unwrap())
}

/// Checks one node and everything under it; returns how many nodes were checked.
fn check_sums(node: &Value, path: &str) -> usize {
    let children = node["children"].as_array().cloned().unwrap_or_default();
    let label = node["label"].as_str().unwrap_or("");
    let here = format!("{path} / {label}");
    let with_points: Vec<Decimal> = children.iter().filter_map(points).collect();
    if let Some(total) = points(node) {
        if !children.is_empty() && with_points.len() == children.len() {
            let sum: Decimal = with_points.iter().sum();
            assert_eq!(sum, total, "the lines under `{here}` do not add up");
        }
    }
    1 + children.iter().map(|c| check_sums(c, &here)).sum::<usize>()
}

#[test]
fn every_tree_adds_up_to_the_published_total() {
    let (code, csv, err) = tally(&["eval", POLICY, "--format", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    let mut published: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    for row in csv::Reader::from_reader(csv.as_bytes()).records() {
        let row = row.unwrap();
        published.insert(
            (row[0].to_string(), row[2].to_string()),
            row[3].parse().unwrap(),
        );
    }
    let people: Vec<String> = published
        .keys()
        .map(|(p, _)| p.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(people.len(), 20);
    let mut nodes = 0;
    for person in &people {
        let periods = (1..=12)
            .map(|m| format!("2020-{m:02}"))
            .chain(["2020".to_string()]);
        for period in periods {
            let (code, json, err) = tally(&[
                "explain", POLICY, "--person", person, "--period", &period, "--format", "json",
            ]);
            assert_eq!(code, Some(0), "{err}");
            let tree: Value = serde_json::from_str(&json).unwrap();
            nodes += check_sums(&tree, &format!("{person} {period}"));
            let top = points(&tree).unwrap();
            let want = published[&(person.clone(), period.clone())];
            assert_eq!(
                top.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
                want,
                "{person} {period}: the tree's total is not the published one"
            );
        }
    }
    assert!(nodes > 20 * 13 * 10, "only {nodes} lines checked");
}

#[test]
fn the_year_of_a_person_with_a_flag() {
    let (code, out, err) = tally(&["explain", POLICY, "--person", "D07"]);
    assert_eq!(code, Some(0), "{err}");
    insta::assert_snapshot!(out);
}

#[test]
fn a_month_with_clamps_zeroes_and_year_windows() {
    let (code, out, err) = tally(&["explain", POLICY, "--person", "D07", "--period", "2020-05"]);
    assert_eq!(code, Some(0), "{err}");
    insta::assert_snapshot!(out);
}

#[test]
fn a_grade_cap() {
    let (code, out, err) = tally(&["explain", POLICY, "--person", "D15", "--period", "2020"]);
    assert_eq!(code, Some(0), "{err}");
    insta::assert_snapshot!(out);
}

#[test]
fn an_unknown_person() {
    let (code, out, err) = tally(&["explain", POLICY, "--person", "D7"]);
    assert_eq!(code, Some(1));
    assert!(out.is_empty());
    insta::assert_snapshot!(err);
}
