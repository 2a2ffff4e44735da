//! `once` groups on a balance card (docs/language.md §25; 第十八条 2、3): the records of one act
//! are compared, the one largest by size becomes the act's entry with its own validity, and the
//! others give no entry; an act named by a field is one act across years.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::on_files;

const POLICY: &str = r#"policy "不重复计分" year 2020 total 1000
card balance

record drunk_driving "醉驾" by person { case: text }
record sanction "党纪处分" by person { case: text, points: points 1..100 }
record criticism "通报批评" by person { case: text }
record honor "表彰" by person { level: district | city }
record award "公务员奖励" by person { award: commendation | second_class }

once incident "同一失信行为，按最高减分" per case
once merit "同一守信事项，按最高加分" per date

section credit "信用积分" 1000 {
  item conduct "纪律" 1000 {
    [18.2] per drunk_driving -30 valid 1 year once incident
    [18.2] per sanction -points valid { <= 40: 1 year, else: 2 years } once incident
    [18.2] per criticism -10 valid 1 year repeat * 2 once incident
  }
}

adjustments trust "守信加分" {
  [18.3] per honor +level { district: 5, city: 30 } valid level { district: 1 year, city: 2 years }
      once merit
  [18.3] per award +award { commendation: 20, second_class: 40 } valid 1 year once merit
}

grades {
  AAA >= 1050
  A >= 960
  B >= 850
  D
}
"#;

const ROSTER: &str = "person,name,department\nP1,甲,办公室\nP2,乙,办公室\nP3,丙,办公室\n";

const RECORDS: &str = "date,kind,person,case,points,level,award
2019-11-01,drunk_driving,P1,A1,,,
2020-02-01,sanction,P1,A1,50,,
2020-03-01,criticism,P1,A1,,,
2020-06-01,criticism,P1,B1,,,
2020-04-10,honor,P2,,,city,
2020-04-10,award,P2,,,,second_class
2020-07-01,honor,P2,,,district,
2020-07-01,award,P2,,,,commendation
2020-09-01,honor,P2,,,city,
2020-09-01,honor,P2,,,city,
2020-01-10,criticism,P3,C1,,,
2020-01-20,sanction,P3,C1,50,,
2020-05-01,criticism,P3,C2,,,
2020-08-01,criticism,P3,C3,,,
";

/// `person,period,total` of every line of `eval --format csv` as of 2021-01-05.
fn totals() -> Vec<String> {
    let args = ["--as-of", "2021-01-05", "--format", "csv"];
    common::period_totals(&on_files("eval", POLICY, ROSTER, RECORDS, &args).ok())
}

#[test]
fn one_act_counts_its_most_severe_record_with_that_records_validity() {
    let got = totals();
    for expected in [
        // P1: case A1 is one act across years: drunk driving 2019-11-01 (−30), the sanction
        // 2020-02-01 (−50, over 40: two years) and a criticism 2020-03-01 (−10): the sanction
        // counts, from its date. Case B1's criticism 2020-06-01 counts −10 of its own: the
        // dropped A1 criticism is no earlier entry, so it is no repeat. January 1000 (the drunk
        // driving is dropped, as the act's whole is known); February 950; from June 940.
        "P1,2020-01,1000.00",
        "P1,2020-02,950.00",
        "P1,2020-05,950.00",
        "P1,2020-06,940.00",
        "P1,2020,940.00",
        // P2: one act a day. 04-10 a city honour (+30) and a 二等功 (+40): +40, a year. 07-01 a
        // district honour (+5) and a 嘉奖 (+20): +20. 09-01 two city honours (+30 each, a tie):
        // the first counts, +30. March 1000; April 1040; July 1060; September 1090.
        "P2,2020-03,1000.00",
        "P2,2020-04,1040.00",
        "P2,2020-07,1060.00",
        "P2,2020-09,1090.00",
        "P2,2020,1090.00",
        // P3: case C1, criticism (−10) then sanction 50 (−50): −50. C2's criticism 2020-05-01 is
        // no repeat (C1's was dropped): −10, through 2021-04-30. C3's 2020-08-01 falls within
        // it: a repeat, −10 × 2 = −20. January 950; May 940; from August 920.
        "P3,2020-01,950.00",
        "P3,2020-05,940.00",
        "P3,2020-08,920.00",
        "P3,2020,920.00",
    ] {
        assert!(got.iter().any(|l| l == expected), "{expected}: {got:?}");
    }
}

#[test]
fn a_period_written_keeps_an_act_within_its_year() {
    // With `in year` the drunk driving of 2019 and the sanction of 2020 are two acts: on
    // 2020-01-31 P1 reads 1000 − 30 = 970; from February the sanction counts too (950 − 30 =
    // 920) until the drunk driving expires after 2020-10-31 (950); June's criticism of B1 −10:
    // 940 on 2020-12-31, and 910 from June to October.
    let policy = POLICY.replace("per case\n", "per case in year\n");
    let args = ["--as-of", "2021-01-05", "--format", "csv"];
    let out = on_files("eval", &policy, ROSTER, RECORDS, &args).ok();
    for expected in [
        "P1,甲,2020-01,970.00",
        "P1,甲,2020-02,920.00",
        "P1,甲,2020-06,910.00",
        "P1,甲,2020-10,910.00",
        "P1,甲,2020-11,940.00",
        "P1,甲,2020,940.00",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
}

#[test]
fn explain_lists_the_dropped_records_with_the_one_that_counts() {
    for person in ["P1", "P2"] {
        let args = ["--as-of", "2021-01-05", "--person", person];
        let out = on_files("explain", POLICY, ROSTER, RECORDS, &args).ok();
        insta::assert_snapshot!(format!("explain_{person}"), out);
    }
    let args = ["--lang", "zh", "--as-of", "2021-01-05", "--person", "P1"];
    let out = on_files("explain", POLICY, ROSTER, RECORDS, &args).ok();
    insta::assert_snapshot!("explain_P1_zh", out);
}

#[test]
fn the_policy_checks_clean() {
    let out = common::in_folder(
        &[("p.policy", POLICY)],
        &["check", "--deny-warnings", "p.policy"],
    );
    assert_eq!(out.code, Some(0), "{}", out.both());
}
