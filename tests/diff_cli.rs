//! `tally diff OLD NEW` as a user runs it: the rules that differ, the people whose result changes,
//! the grades before and after, in every form; and revisions that cannot be compared.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

const OLD: &str = "policies/dashuipo-2020.policy";
const ROSTER: &str = "policies/dashuipo-2020/roster.csv";
const RECORDS: &str = "policies/dashuipo-2020/records";

use common::tally_output as tally;

/// The Dashuipo policy with `edits` (old text, new text) applied, in a fresh folder.
fn revision(tag: &str, edits: &[(&str, &str)]) -> (PathBuf, PathBuf) {
    let dir = common::temp_dir(tag);
    let mut text = common::DASHUIPO.to_string();
    for (old, new) in edits {
        assert!(text.contains(old), "the policy has no `{old}`");
        text = text.replace(old, new);
    }
    let path = dir.join("revised.policy");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn diff(new: &Path, format: &str) -> (String, i32) {
    let new = new.display().to_string();
    tally(&[
        "diff",
        OLD,
        &new,
        "--roster",
        ROSTER,
        "--records",
        RECORDS,
        "--format",
        format,
    ])
}

fn placeholder(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[TMP]")
}

/// One of each structural change: amounts (2.1.1), a removed rule (3.9), an added rule (3.11),
/// two item budgets, a grade threshold.
const REVISION: &[(&str, &str)] = &[
    (
        "[2.1.1] per late, early_leave, absent -5",
        "[2.1.1] per late, early_leave, absent -10",
    ),
    (
        "  [3.9] per temp_assignment +10\n",
        "  [3.11] per temp_assignment +20\n",
    ),
    (
        "item attendance \"机关作息及请销假制度\" 40",
        "item attendance \"机关作息及请销假制度\" 50",
    ),
    (
        "item hygiene \"卫生管理制度\" 60",
        "item hygiene \"卫生管理制度\" 50",
    ),
    ("  五星级 >= 950 ", "  五星级 >= 960 "),
];

#[test]
fn a_policy_compared_with_itself_changes_nothing() {
    let (out, code) = tally(&["diff", OLD, OLD, "--roster", ROSTER, "--records", RECORDS]);
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn a_revision_as_a_table() {
    let (dir, new) = revision("table", REVISION);
    let (out, code) = diff(&new, "table");
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!(placeholder(&out, &dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_revision_as_csv() {
    let (dir, new) = revision("csv", REVISION);
    let (out, code) = diff(&new, "csv");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("person,name,department,before,after,delta,grade_before,grade_after,flags_before,flags_after\n")
    );
    insta::assert_snapshot!(placeholder(&out, &dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_revision_as_json() {
    let (dir, new) = revision("json", REVISION);
    let (out, code) = diff(&new, "json");
    assert_eq!(code, 0, "{out}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["people_total"], 20);
    insta::assert_snapshot!(placeholder(&out, &dir));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A flag is part of a person's result: a revision that changes only a flag lists the people it
/// flags otherwise, with a column of flags (in the table, the CSV and the JSON).
#[test]
fn a_changed_flag_is_a_changed_result() {
    let (dir, new) = revision(
        "flags",
        &[("flag \"取消评先资格\"", "flag \"取消评先评优资格\"")],
    );
    let (out, code) = diff(&new, "table");
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!(placeholder(&out, &dir));
    let (csv, _) = diff(&new, "csv");
    assert!(
        csv.lines()
            .any(|l| l.ends_with(",取消评先资格,取消评先评优资格")),
        "{csv}"
    );
    let (json, _) = diff(&new, "json");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        value["people"][0]["flags_after"], "取消评先评优资格",
        "{json}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The people come largest change first, and the grade counts add up to the roster both times.
#[test]
fn people_are_sorted_by_the_size_of_their_change() {
    let (_, new) = revision("sorted", REVISION);
    let (out, _) = diff(&new, "json");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let deltas: Vec<f64> = value["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["delta"].as_str().unwrap().parse::<f64>().unwrap().abs())
        .collect();
    assert!(deltas.windows(2).all(|w| w[0] >= w[1]), "{deltas:?}");
    for side in ["before", "after"] {
        let n: u64 = value["grades"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g[side].as_u64().unwrap())
            .sum();
        assert_eq!(n, 20, "{side}");
    }
}

#[test]
fn revisions_for_different_years_cannot_be_compared() {
    let (dir, new) = revision(
        "year",
        &[(
            "policy \"大水泊镇2020年机关干部信用管理办法\" year 2020",
            "policy \"大水泊镇2021年机关干部信用管理办法\" year 2021",
        )],
    );
    let (out, code) = diff(&new, "table");
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!(placeholder(&out, &dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn revisions_reading_different_records_cannot_be_compared() {
    // The revision calls a late arrival `tardy`: the records' `late` rows do not fit it.
    let (dir, new) = revision(
        "vocabulary",
        &[
            (
                "record late \"迟到\" by person",
                "record tardy \"迟到登记\" by person",
            ),
            (
                "per late, early_leave, absent",
                "per tardy, early_leave, absent",
            ),
        ],
    );
    let (out, code) = diff(&new, "table");
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!(placeholder(&out, &dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_revision_with_errors_is_not_compared() {
    let (dir, new) = revision("errors", &[("per hygiene_fail -5", "per hygiene_fial -5")]);
    let (out, code) = diff(&new, "table");
    assert_eq!(code, 1, "{out}");
    assert!(placeholder(&out, &dir).contains(
        "the policy has errors; run `tally check [TMP]/revised.policy` and fix them first"
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A rule whose text changes beyond its numbers, and one that moves to another item.
#[test]
fn a_rewritten_rule_and_a_moved_rule() {
    let (dir, new) = revision(
        "rewritten",
        &[
            (
                "[2.1.1] per late, early_leave, absent -5",
                "[2.1.1] per late, absent -5",
            ),
            ("    [2.1.7] per utility_breach -10\n", ""),
            (
                "    [2.1.2] per hygiene_fail -5\n",
                "    [2.1.2] per hygiene_fail -5\n    [2.1.7] per utility_breach -10\n",
            ),
        ],
    );
    let (out, code) = diff(&new, "table");
    assert_eq!(code, 0, "{out}");
    let rules: String = out
        .lines()
        .take_while(|l| !l.starts_with("people"))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!(placeholder(&rules, &dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_changed_annual_formula_is_listed_and_moves_everybody() {
    // Sixty points added to the year's sum raise every annual result by 60 / 12 = 5.
    let (dir, new) = revision(
        "annual",
        &[(
            "annual = sum(months) / 12",
            "annual = (sum(months) + 60) / 12",
        )],
    );
    let (out, code) = diff(&new, "table");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("annual: annual = sum(months) / 12 → annual = (sum(months) + 60) / 12"),
        "{out}"
    );
    assert!(
        out.contains("people whose annual result changes: 20 of 20"),
        "{out}"
    );
    let deltas = out.lines().filter(|l| l.contains(" +5.00 ")).count();
    assert_eq!(deltas, 20, "{out}");
}

#[test]
fn each_revision_keeps_its_own_rounding() {
    // Rounded to whole points after: 948.50 before becomes 949 after (half-up), not "949 → 949".
    let (dir, new) = revision("rounding", &[("round 2 half-up", "round 0 half-up")]);
    let (out, code) = diff(&new, "table");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{out}");
    let d14 = out.lines().find(|l| l.contains("D14")).unwrap();
    let cells: Vec<&str> = d14.split_whitespace().collect();
    assert_eq!(cells[3..6], ["948.50", "949", "+0.50"], "{out}");
}

#[test]
fn layout_and_comments_are_not_changes() {
    // The same rules written differently: spacing, a rule over two lines with a comment inside.
    let (dir, new) = revision(
        "layout",
        &[
            (
                "[2.1.1] when count(absent) in year > 5: zero",
                "[2.1.1] when count(absent)   in year>5 :zero",
            ),
            (
                "[2.1.7] per utility_breach -10",
                "[2.1.7] per utility_breach  # 水电 10\n      -10",
            ),
        ],
    );
    let (out, code) = diff(&new, "table");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("rules that differ: none"), "{out}");
}

#[test]
fn who_an_item_applies_to_is_compared() {
    // The liaison cadres (包村干部) move from the villages item to the projects item.
    let (dir, new) = revision(
        "applies",
        &[
            (
                "item villages \"包片、包村人员\" 300 for role in {包片委员, 片长, 包村干部}",
                "item villages \"包片、包村人员\" 300 for role in {包片委员, 片长}",
            ),
            (
                "item projects \"项目服务人员\" 300 for role in {项目服务人员}",
                "item projects \"项目服务人员\" 300 for role in {项目服务人员, 包村干部}",
            ),
        ],
    );
    let (out, code) = diff(&new, "table");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("rules that differ: 2"), "{out}");
    assert!(
        out.contains("who has item villages 包片、包村人员: for role in {包片委员, 片长, 包村干部} → for role in {包片委员, 片长}"),
        "{out}"
    );
}

#[test]
fn a_shared_cap_added_and_then_changed() {
    let first = revision(
        "cap-added",
        &[
            (
                "[2.1.1] per late, early_leave, absent -5",
                "[2.1.1] per late, early_leave, absent -5 cap lateness",
            ),
            (
                "\ngrades {",
                "\ncap lateness \"迟到早退缺岗\" 10 in year\n\ngrades {",
            ),
        ],
    );
    let (out, code) = diff(&first.1, "table");
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!("cap_added", placeholder(&out, &first.0));
    let (out, code) = tally(&[
        "diff",
        &first.1.display().to_string(),
        &{
            let text = std::fs::read_to_string(&first.1)
                .unwrap()
                .replace("10 in year", "15 in quarter");
            let path = first.0.join("again.policy");
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        },
        "--roster",
        ROSTER,
        "--records",
        RECORDS,
    ]);
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!("cap_changed", placeholder(&out, &first.0));
}

#[test]
fn a_once_group_added() {
    let (dir, path) = revision(
        "once-added",
        &[
            (
                "[2.1.1] per late, early_leave, absent -5",
                "[2.1.1] per late, early_leave, absent -5 once same_day",
            ),
            (
                "\ngrades {",
                "\nonce same_day \"同日考勤\" per date\n\ngrades {",
            ),
        ],
    );
    let (out, code) = diff(&path, "table");
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!("once_added", placeholder(&out, &dir));
}
