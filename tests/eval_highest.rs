//! `highest per FIELD` keeps, of a group, the record with the largest effect by size: the biggest
//! reward, and for deductions the most severe one ("only the largest deduction counts"), in its
//! own month; the earliest on a tie.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{d, run};

const POLICY: &str = r#"policy "测试办法" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record sanction "处分" by person { points: points 1..40, cause: text }
record honor "表彰" by person { points: points 1..40, award: text }

section work "工作" 100 {
  item duty "职责" 100 {
    [1.1] base 100
  }
}

adjustments results "奖惩" {
  [2.1] per sanction -points highest per cause
  [2.2] per honor +points highest per award
}

grades {
  good >= 90 "好"
  poor "差"
}
"#;

const ROSTER: &str = "person,name,department\nA,甲,办\n";

fn records(rows: &[&str]) -> String {
    let mut s = String::from("date,kind,person,points,cause,award\n");
    for r in rows {
        s += r;
        s.push('\n');
    }
    s
}

#[test]
fn the_most_severe_deduction_of_a_group_counts_in_its_own_month() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            "2020-03-02,sanction,A,10,drunk,",
            "2020-05-02,sanction,A,30,drunk,",
            "2020-07-02,sanction,A,20,drunk,",
            "2020-08-02,sanction,A,5,late,",
        ]),
    );
    assert_eq!(r.month("A", 3), d("100"));
    assert_eq!(r.month("A", 5), d("70"));
    assert_eq!(r.month("A", 7), d("100"));
    // Another cause is another group.
    assert_eq!(r.month("A", 8), d("95"));
}

#[test]
fn the_biggest_reward_of_a_group_counts_in_its_own_month() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&["2020-03-02,honor,A,10,,city", "2020-05-02,honor,A,30,,city"]),
    );
    assert_eq!(r.month("A", 3), d("100"));
    assert_eq!(r.month("A", 5), d("130"));
}

#[test]
fn on_a_tie_the_earliest_counts() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            "2020-05-02,sanction,A,30,drunk,",
            "2020-03-02,sanction,A,30,drunk,",
        ]),
    );
    assert_eq!(r.month("A", 3), d("70"));
    assert_eq!(r.month("A", 5), d("100"));
}

/// Groups are told apart by the value itself, whatever the field's type: `true` and `false` are
/// two groups, each record with an empty optional field is a group of its own, and texts that differ are never
/// one group.
#[test]
fn every_type_of_group_field_keeps_its_values_apart() {
    let policy = POLICY.replace(
        "record honor \"表彰\" by person { points: points 1..40, award: text }",
        "record honor \"表彰\" by person { points: points 1..40, award: text, team: bool, level: text optional }\nrecord praise \"通报表扬\" by person { points: points 1..40, level: text optional }",
    )
    .replace(
        "[2.2] per honor +points highest per award",
        "[2.2] per honor +points highest per team\n  [2.3] per praise +points highest per level",
    );
    let rows = "date,kind,person,points,cause,award,team,level\n\
        2020-03-02,honor,A,10,,x,true,\n\
        2020-04-02,honor,A,20,,x,false,\n\
        2020-05-02,honor,A,5,,x,true,\n\
        2020-06-02,praise,A,1,,,,\n\
        2020-07-02,praise,A,2,,,,甲\n\
        2020-08-02,praise,A,3,,,,乙\n\
        2020-09-02,praise,A,4,,,,\n";
    let r = run(&policy, ROSTER, rows);
    assert_eq!(r.month("A", 3), d("110"));
    assert_eq!(r.month("A", 4), d("120"));
    assert_eq!(r.month("A", 5), d("100"));
    // An empty level is a group of its own, as an act of its own in a `once` group: both 1 and
    // 4 count; 甲 and 乙 are two more groups.
    assert_eq!(r.month("A", 6), d("101"));
    assert_eq!(r.month("A", 7), d("102"));
    assert_eq!(r.month("A", 8), d("103"));
    assert_eq!(r.month("A", 9), d("104"));
}
