//! Steps on a year's running total on a balance card (docs/language.md §25): a `when` rule with
//! `valid` is decided as its records arrive, on the year's sums and counts so far; each higher
//! amount of a year is an entry valid as written, and of one year's valid entries the largest
//! counts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{check_errors, on_files};

const POLICY: &str = r#"policy "志愿服务" year 2020 total 1000
card balance

record volunteer "志愿服务" by person { hours: hours >= 0 }
record drill "演练" by person

section credit "信用积分" 1000 {
  item score "基础分" 1000 {
  }
}

adjustments trust "守信加分" {
  [0.5.4] when sum(volunteer.hours) in year >= 10: +sum(volunteer.hours) in year {
    >= 300: 50,
    >= 250: 40,
    >= 200: 30,
    >= 150: 25,
    >= 100: 20,
    >= 80: 15,
    >= 50: 10,
    >= 20: 5,
    else: 2
  } valid 1 year
  [9] when count(drill) in year >= 2: +count(drill) in year { >= 3: 3, else: 1 } valid 6 months
}

grades {
  AAA >= 1050
  A
}
"#;

const ROSTER: &str = "person,name,department\nP1,甲,办公室\nP2,乙,办公室\n";

const RECORDS: &str = "date,kind,person,hours
2019-09-01,volunteer,P1,25
2020-04-18,volunteer,P1,30
2020-10-15,volunteer,P1,25
2019-12-30,volunteer,P2,8
2020-01-05,volunteer,P2,8
2020-03-01,volunteer,P2,1
2020-03-01,volunteer,P2,1
2020-06-01,volunteer,P2,300
2020-02-01,drill,P2,
2020-02-01,drill,P2,
2020-05-01,drill,P2,
";

fn totals() -> Vec<String> {
    let args = ["--as-of", "2021-01-05", "--format", "csv"];
    common::period_totals(&on_files("eval", POLICY, ROSTER, RECORDS, &args).ok())
}

#[test]
fn each_step_counts_a_year_from_the_day_it_is_reached_the_highest_of_a_year_counting() {
    let got = totals();
    for expected in [
        // P1: 2019-09-01 25 h, +5 through 2020-08-31; 2020-04-18 30 h, +5 (2020's own);
        // 2020-10-15 55 h, +10 in its place. January 1005; April 1010 (both years' +5); September
        // 1005 (2019's expired); from October 1010.
        "P1,2020-01,1005.00",
        "P1,2020-04,1010.00",
        "P1,2020-08,1010.00",
        "P1,2020-09,1005.00",
        "P1,2020-10,1010.00",
        "P1,2020,1010.00",
        // P2: 8 h in 2019 reach no step; 2020 starts again from 0: 8 h (Jan 5), then two records of
        // 1 h on March 1 decided together, 10 h: +2; 310 h on June 1: +50. Drills: two on
        // February 1 (+1, six months: through 2020-07-31), a third on May 1 (+3, through
        // 2020-10-31). January 1000; February 1001; March 1003; May 1005; June 1053; August 1053
        // (the +1 expired, the +3 counts); November 1050.
        "P2,2020-01,1000.00",
        "P2,2020-02,1001.00",
        "P2,2020-03,1003.00",
        "P2,2020-05,1005.00",
        "P2,2020-06,1053.00",
        "P2,2020-08,1053.00",
        "P2,2020-11,1050.00",
        "P2,2020,1050.00",
    ] {
        assert!(got.iter().any(|l| l == expected), "{expected}: {got:?}");
    }
}

#[test]
fn explain_lists_every_step_as_an_entry() {
    let args = ["--as-of", "2021-01-05", "--person", "P1"];
    let out = on_files("explain", POLICY, ROSTER, RECORDS, &args).ok();
    insta::assert_snapshot!(out);
    let zh = ["--lang", "zh", "--as-of", "2021-01-05", "--person", "P2"];
    let out = on_files("explain", POLICY, ROSTER, RECORDS, &zh).ok();
    insta::assert_snapshot!("explain_zh", out);
}

#[test]
fn the_policy_checks_clean_and_is_canonical() {
    let out = common::in_folder(
        &[("p.policy", POLICY)],
        &["check", "--deny-warnings", "p.policy"],
    );
    assert_eq!(out.code, Some(0), "{}", out.both());
    let formatted = tally::fmt::format(&tally::diag::Source::new("p.policy", POLICY)).unwrap();
    assert_eq!(formatted, POLICY);
}

#[test]
fn a_step_rule_is_refused_where_it_cannot_be_decided_as_records_arrive() {
    let drill = "[9] when count(drill) in year >= 2: +count(drill) in year { >= 3: 3, else: 1 } valid 6 months";
    let variants: Vec<(&str, String)> = vec![
        ("as written", POLICY.to_string()),
        (
            "a monthly card",
            POLICY.replace("card balance\n", "annual = sum(months) / 12\n"),
        ),
        (
            "a duration by a field",
            POLICY.replace("valid 6 months", "valid hours { >= 1: 1 year }"),
        ),
        (
            "from a field",
            POLICY.replace("valid 6 months", "valid 6 months from ended"),
        ),
        (
            "a repeat",
            POLICY.replace("valid 6 months", "valid 6 months repeat * 2"),
        ),
        (
            "a flag",
            POLICY.replace(
                ": +count(drill) in year {",
                ": flag \"演练\", +count(drill) in year {",
            ),
        ),
        (
            "a maximum",
            POLICY.replace(
                "when count(drill) in year >= 2",
                "when max(volunteer.hours) in year >= 2",
            ),
        ),
        (
            "no records read",
            POLICY.replace(drill, "[9] when 1 > 0: +1 valid 6 months"),
        ),
    ];
    let mut shown = String::new();
    for (what, variant) in &variants {
        shown.push_str(&format!("{what}:\n"));
        for e in check_errors(variant) {
            shown.push_str(&format!("  {e}\n"));
        }
    }
    insta::assert_snapshot!(shown);
    let text = POLICY.replace(
        "when count(drill) in year >= 2",
        "when max(volunteer.hours) in year >= 2",
    );
    let out = common::in_folder(
        &[("p.policy", &text)],
        &["--lang", "zh", "check", "p.policy"],
    );
    insta::assert_snapshot!("refused_zh", out.stderr);
}

#[test]
fn bounds_count_one_step_of_each_year_valid_on_one_day() {
    // One reading holds a step of two years for each rule: 2 × 50 + 2 × 3 = 106.
    let out = common::in_folder(&[("p.policy", POLICY)], &["check", "--bounds", "p.policy"]);
    assert!(
        out.both()
            .contains("trust      守信加分             0   106"),
        "{}",
        out.both()
    );
}
