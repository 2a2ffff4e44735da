//! `once` groups: one act matching several items counts once, across kinds, at the most severe
//! deduction or the largest reward ("不重复计分，就高"). The declaration says which records are one
//! act (`per FIELD`, `per date`, `in month|quarter|year`); the rules say `once ID`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{d, run};

const POLICY: &str = r#"policy "不重复计分" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record drunk_driving "醉驾" by person { case: text }
record sanction "党纪处分" by person { case: text optional, points: points 1..40 }
record criticism "通报批评" by person { case: text }
record late "迟到" by person
record absent "旷工" by person
record volunteer "志愿者认定" by person
record volunteer_star "星级志愿者" by person { stars: whole number 3..5 }

once incident "同一违法违纪行为，按最重的扣分" per case
once attendance "同日考勤" per date
once collector "志愿者认定，就高" in year

section work "工作" 100 {
  item duty "职责" 100 {
    [1.1] per drunk_driving -30 once incident
    [1.2] per sanction -points once incident
    [1.3] per criticism -10 once incident
    [1.4] per late -2 once attendance
    [1.5] per absent -5 once attendance
  }
}

adjustments bonus "加分" {
  [2.1] per volunteer +5 once collector
  [2.2] per volunteer_star +stars { 5: 30, 4: 20, else: 10 } once collector
}

grades {
  good >= 90 "好"
  poor "差"
}
"#;

const ROSTER: &str = "person,name,department\nA,甲,办\nB,乙,办\n";

fn records(rows: &[&str]) -> String {
    let mut s = String::from("date,kind,person,case,points,stars\n");
    for r in rows {
        s += r;
        s.push('\n');
    }
    s
}

#[test]
fn one_act_in_three_kinds_counts_once_at_the_most_severe_deduction() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            "2020-03-02,drunk_driving,A,2020-017,,",
            "2020-03-09,sanction,A,2020-017,40,",
            "2020-03-20,criticism,A,2020-017,,",
            // Another act of the same person counts on its own.
            "2020-03-25,criticism,A,2020-031,,",
        ]),
    );
    assert_eq!(r.month("A", 3), d("50"));
}

#[test]
fn the_act_counts_in_the_month_of_the_record_that_counts() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            "2020-03-02,drunk_driving,A,2020-017,,",
            "2020-05-09,sanction,A,2020-017,20,",
            "2020-06-09,sanction,B,2020-017,20,",
        ]),
    );
    assert_eq!(r.month("A", 3), d("70"));
    assert_eq!(r.month("A", 5), d("100"));
    // The same case number for another person is another act.
    assert_eq!(r.month("B", 6), d("80"));
}

#[test]
fn acts_across_months_keep_the_later_record_when_it_is_more_severe() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            "2020-03-02,criticism,A,2020-017,,",
            "2020-11-09,sanction,A,2020-017,35,",
        ]),
    );
    assert_eq!(r.month("A", 3), d("100"));
    assert_eq!(r.month("A", 11), d("65"));
}

#[test]
fn on_a_tie_between_kinds_the_earliest_record_counts_then_the_first_line() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            "2020-04-09,sanction,A,2020-017,30,",
            "2020-02-02,drunk_driving,A,2020-017,,",
        ]),
    );
    assert_eq!(r.month("A", 2), d("70"));
    assert_eq!(r.month("A", 4), d("100"));
    // The same date: the line that comes first in the file.
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            "2020-04-09,sanction,A,2020-017,30,",
            "2020-04-09,drunk_driving,A,2020-017,,",
        ]),
    );
    assert_eq!(r.month("A", 4), d("70"));
}

#[test]
fn an_empty_act_field_makes_the_record_an_act_of_its_own() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            "2020-04-09,sanction,A,,10,",
            "2020-04-10,sanction,A,,10,",
            "2020-04-11,drunk_driving,A,2020-017,,",
        ]),
    );
    assert_eq!(r.month("A", 4), d("50"));
}

#[test]
fn records_of_one_date_are_one_act_per_date() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            "2020-04-09,late,A,,,",
            "2020-04-09,absent,A,,,",
            "2020-04-10,late,A,,,",
            "2020-04-10,late,B,,,",
        ]),
    );
    assert_eq!(r.month("A", 4), d("93"));
    assert_eq!(r.month("B", 4), d("98"));
}

#[test]
fn the_largest_reward_of_the_year_counts_instead_of_the_smaller_ones() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            "2020-02-01,volunteer,A,,,",
            "2020-06-01,volunteer_star,A,,,4",
            "2020-09-01,volunteer_star,A,,,3",
            "2020-09-01,volunteer,B,,,",
        ]),
    );
    assert_eq!(r.month("A", 2), d("100"));
    assert_eq!(r.month("A", 6), d("120"));
    assert_eq!(r.month("A", 9), d("100"));
    // Alone, the plain qualification counts.
    assert_eq!(r.month("B", 9), d("105"));
}

#[test]
fn equal_rewards_in_two_kinds_count_once() {
    let text = POLICY.replace("per volunteer +5", "per volunteer +10");
    let r = run(
        &text,
        ROSTER,
        &records(&[
            "2020-06-01,volunteer_star,A,,,3",
            "2020-02-01,volunteer,A,,,",
        ]),
    );
    assert_eq!(r.month("A", 2), d("110"));
    assert_eq!(r.month("A", 6), d("100"));
}

#[test]
fn a_period_splits_acts() {
    let text = POLICY.replace(
        "once collector \"志愿者认定，就高\" in year",
        "once collector \"志愿者认定，就高\" in quarter",
    );
    let r = run(
        &text,
        ROSTER,
        &records(&[
            "2020-02-01,volunteer,A,,,",
            "2020-03-01,volunteer_star,A,,,3",
            "2020-04-01,volunteer,A,,,",
        ]),
    );
    assert_eq!(r.month("A", 2), d("100"));
    assert_eq!(r.month("A", 3), d("110"));
    assert_eq!(r.month("A", 4), d("105"));
    let text = POLICY.replace(
        "once incident \"同一违法违纪行为，按最重的扣分\" per case",
        "once incident \"同一违法违纪行为，按最重的扣分\" per case in month",
    );
    let r = run(
        &text,
        ROSTER,
        &records(&[
            "2020-03-02,criticism,A,2020-017,,",
            "2020-03-09,drunk_driving,A,2020-017,,",
            "2020-04-09,criticism,A,2020-017,,",
        ]),
    );
    assert_eq!(r.month("A", 3), d("70"));
    assert_eq!(r.month("A", 4), d("90"));
}

#[test]
fn explain_shows_what_was_not_counted_and_what_counts_instead() {
    let out = common::on_files(
        "explain",
        POLICY,
        ROSTER,
        &records(&[
            "2020-03-02,drunk_driving,A,2020-017,,",
            "2020-03-09,sanction,A,2020-017,40,",
            "2020-03-20,criticism,A,2020-017,,",
            "2020-03-21,volunteer,A,,,",
            "2020-03-22,volunteer_star,A,,,5",
        ]),
        &["--person", "A", "--period", "2020-03"],
    )
    .ok();
    insta::assert_snapshot!(out);
}

#[test]
fn groups_are_checked() {
    assert!(
        common::check_diags(POLICY).is_empty(),
        "{:?}",
        common::check_diags(POLICY)
    );
    for (from, to, code) in [
        // A group no declaration names.
        (
            "-30 once incident",
            "-30 once incidents",
            "tally::unknown-once",
        ),
        // Rewards and deductions in one group.
        (
            "+5 once collector",
            "-5 once collector",
            "tally::once-mixed-signs",
        ),
        (
            "-10 once incident",
            "+10 once incident",
            "tally::once-mixed-signs",
        ),
        // A kind of the group without its field.
        (
            "-2 once attendance",
            "-2 once incident",
            "tally::unknown-field",
        ),
        // The field with another type in one kind.
        (
            "record criticism \"通报批评\" by person { case: text }",
            "record criticism \"通报批评\" by person { case: number }",
            "tally::type-mismatch",
        ),
        // Nothing to compare, or two amounts.
        (
            "-10 once incident",
            "flag \"批评\" once incident",
            "tally::misplaced",
        ),
        (
            "-10 once incident",
            "-10, -5 from total once incident",
            "tally::misplaced",
        ),
        // Two groups on one rule, with `highest per`, on a `when` rule.
        (
            "-10 once incident",
            "-10 once incident once attendance",
            "tally::misplaced",
        ),
        (
            "-10 once incident",
            "-10 once incident highest per case",
            "tally::misplaced",
        ),
        (
            "[1.5] per absent -5 once attendance",
            "[1.5] when count(absent) > 2: -5 once attendance",
            "tally::misplaced",
        ),
        // Declarations: one id each, a label.
        (
            "once collector \"志愿者认定，就高\" in year",
            "once collector \"志愿者认定，就高\" in year\nonce collector \"再一次\" in year",
            "tally::duplicate-id",
        ),
        (
            "once collector \"志愿者认定，就高\" in year",
            "once collector \"\" in year",
            "tally::empty-label",
        ),
    ] {
        assert!(POLICY.contains(from), "{from}");
        let text = POLICY.replacen(from, to, 1);
        let found = common::check_errors(&text);
        assert_eq!(found.len(), 1, "{to}: {found:?}");
        assert!(found[0].starts_with(code), "{to}: {found:?}");
    }
}

#[test]
fn a_group_of_amounts_read_from_fields_needs_their_signs_known() {
    let text = POLICY
        .replace("points: points 1..40", "points: points")
        .replace("-points once incident", "+points once incident");
    let found = common::check_errors(&text);
    assert_eq!(
        found,
        [
            "tally::once-mixed-signs: the group `incident` can give a reward for one record and a deduction for another"
        ]
    );
}

#[test]
fn the_group_round_trips_through_fmt() {
    let parsed = tally::compile::compile("p.policy", POLICY.as_bytes());
    assert!(parsed.policy.is_some());
    let out = common::in_folder(&[("p.policy", POLICY)], &["fmt", "--check", "p.policy"]);
    assert_eq!(out.code, Some(0), "{}", out.both());
}

#[test]
fn acts_read_on_several_threads_count_once() {
    // Over 8 MB of records, so that they are read on every processor: each act's two records
    // are half a file apart, and most likely read by different threads, whose candidates merge.
    // The points are taken outside the items, unclamped, so that any act counted twice or not at
    // all shows in the year's total.
    let policy = r#"policy "t" year 2020 total 100
annual = sum(months) / 12

record drunk_driving "醉驾" by person { case: text }
record sanction "处分" by person { case: text, points: points 1..40 }

once incident "同一行为" per case

section s "S" 100 {
  item i "I" 100 {
    [1] base 100
  }
}

adjustments a "处理" {
  [2] per drunk_driving -30 once incident
  [3] per sanction -points once incident
}

grades {
  A >= 60
  B
}
"#;
    let dir = common::temp_dir("once-threads");
    let acts = 132_000;
    let mut records = String::with_capacity(acts * 80);
    records.push_str("date,kind,person,case,points\n");
    for i in 0..acts {
        let month = 1 + i % 12;
        records.push_str(&format!("2020-{month:02}-01,drunk_driving,A,c{i},\n"));
    }
    for i in 0..acts {
        // One act in ten: the sanction (40) is more severe than the drunk driving (30).
        let points = if i % 10 == 0 { 40 } else { 20 };
        let month = 1 + (i + 5) % 12;
        records.push_str(&format!("2020-{month:02}-02,sanction,A,c{i},{points}\n"));
    }
    assert!(records.len() > 8 << 20, "{} bytes", records.len());
    std::fs::write(dir.join("p.policy"), policy).unwrap();
    std::fs::write(dir.join("roster.csv"), ROSTER).unwrap();
    std::fs::write(dir.join("records.csv"), &records).unwrap();
    let arg = |name: &str| dir.join(name).display().to_string();
    let out = common::cli([
        "eval".to_string(),
        arg("p.policy"),
        "--roster".into(),
        arg("roster.csv"),
        "--records".into(),
        arg("records.csv"),
        "--as-of".into(),
        "2021-01-05".into(),
        "--format".into(),
        "csv".into(),
        "--period".into(),
        "2020".into(),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // 118 800 acts at 30 and 13 200 at 40: 4 092 000 from 12 × 100; the year is a twelfth.
    let row = out.stdout.lines().find(|l| l.starts_with("A,")).unwrap();
    assert!(row.contains(",-340900.00,"), "{row}");
}
