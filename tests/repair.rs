//! Corrections and repairs on a balance card (文登区社会成员信用积分 第十七条, 第十九条):
//! `valid … until FIELD` ends an entry on the day a date field of its record gives, and
//! `valid … since FIELD` starts one there, with no entry while the field is empty.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{check_errors, on_files};

const POLICY: &str = r#"policy "信用修复" year 2020 total 1000
card balance

record debtor "失信被执行人" by person { repaired: date optional }
record fault "失信" by person { points: points 1..100, corrected: date optional }

section credit "信用积分" 1000 {
  item score "基础分" 1000 {
    [20.2] per fault -points valid 1 year until corrected
  }
}

adjustments direct "直接判级" {
  [13] per debtor grade D valid 5 years until repaired
  [19.1] per debtor -50 valid 2 years since repaired
}

grades {
  A >= 960
  B >= 850
  C >= 600
  D
}
"#;

const ROSTER: &str = "person,name,department\nA,甲,办\nB,乙,办\nC,丙,办\nD,丁,办\n";

const RECORDS: &str = "date,kind,person,points,repaired,corrected
2019-08-01,debtor,A,,2020-06-30,
2020-03-01,debtor,B,,,
2018-01-10,debtor,C,,2018-05-01,
2020-02-01,fault,D,30,,2020-04-15
2019-05-01,fault,D,20,,2020-09-01
2020-06-01,fault,D,10,,
";

fn eval(as_of: &str, records: &str) -> String {
    let args = ["--as-of", as_of, "--format", "csv"];
    on_files("eval", POLICY, ROSTER, records, &args).ok()
}

#[test]
fn a_repair_ends_the_direct_grade_and_starts_the_deduction_it_leaves() {
    let out = eval("2021-01-05", RECORDS);
    for expected in [
        // A: D from 2019-08-01 until the repair of 2020-06-30; then −50 for two years from it.
        "A,甲,2020-05,1000.00,",
        "A,甲,2020-06,950.00,",
        "A,甲,2020,950.00,B",
        // B: not repaired: the D counts, and no deduction.
        "B,乙,2020,1000.00,D",
        // C: repaired 2018-05-01: its −50 ran two years, through 2020-04-30.
        "C,丙,2020-04,950.00,",
        "C,丙,2020-05,1000.00,",
        "C,丙,2020,1000.00,A",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
    // Read on 2020-06-29, the day before the repair (not known yet), A is still D.
    let early: String = RECORDS
        .lines()
        .filter(|l| !l.starts_with("2020-06"))
        .map(|l| {
            format!(
                "{}\n",
                l.replace("2020-06-30", "").replace("2020-09-01", "")
            )
        })
        .collect();
    let out = eval("2020-06-29", &early);
    assert!(out.contains("A,甲,2020,1000.00,D"), "{out}");
}

#[test]
fn a_correction_ends_an_entry_only_when_it_falls_within_its_validity() {
    let out = eval("2021-01-05", RECORDS);
    for expected in [
        // D: −20 of 2019-05-01 corrected 2020-09-01, after its year ran out (counts its year,
        // through 2020-04-30); −30 of 02-01 corrected 04-15 (counts through 04-14); −10 of
        // 06-01 uncorrected (its year).
        "D,丁,2020-01,980.00,",
        "D,丁,2020-03,950.00,",
        "D,丁,2020-04,980.00,",
        "D,丁,2020-05,1000.00,",
        "D,丁,2020-06,990.00,",
        "D,丁,2020,990.00,A",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
}

#[test]
fn explain_says_which_field_ended_an_entry() {
    let args = ["--as-of", "2021-01-05", "--person", "A"];
    let out = on_files("explain", POLICY, ROSTER, RECORDS, &args).ok();
    insta::assert_snapshot!("explain_A", out);
    let args = ["--as-of", "2021-01-05", "--person", "A", "--lang", "zh"];
    let out = on_files("explain", POLICY, ROSTER, RECORDS, &args).ok();
    insta::assert_snapshot!("explain_A_zh", out);
}

#[test]
fn a_day_before_the_records_date_is_refused_at_its_line() {
    for (row, word) in [
        ("2020-03-01,debtor,A,,2020-02-01,", "since repaired"),
        ("2020-03-01,fault,A,10,,2020-02-01", "until corrected"),
    ] {
        let records = format!("date,kind,person,points,repaired,corrected\n{row}\n");
        let out = on_files("eval", POLICY, ROSTER, &records, &["--as-of", "2021-01-05"]);
        assert_ne!(out.code, Some(0));
        assert!(
            out.both().contains("tally::out-of-range") && out.both().contains(word),
            "{}",
            out.both()
        );
    }
    let records = "date,kind,person,points,repaired,corrected\n2020-03-01,debtor,A,,2020-02-01,\n";
    let out = on_files(
        "eval",
        POLICY,
        ROSTER,
        records,
        &["--as-of", "2021-01-05", "--lang", "zh"],
    );
    insta::assert_snapshot!("refused_zh", out.both());
    let out = on_files("eval", POLICY, ROSTER, records, &["--as-of", "2021-01-05"]);
    insta::assert_snapshot!("refused", out.both());
}

#[test]
fn the_policy_checks_clean_and_keeps_its_layout() {
    let out = common::in_folder(
        &[("p.policy", POLICY)],
        &["check", "--deny-warnings", "p.policy"],
    );
    assert_eq!(out.code, Some(0), "{}", out.both());
    let out = common::in_folder(&[("p.policy", POLICY)], &["fmt", "--check", "p.policy"]);
    assert_eq!(out.code, Some(0), "{}", out.both());
}

#[test]
fn check_refuses_a_field_that_is_not_a_date_or_not_there_and_a_step_that_names_one() {
    for (from, to, code) in [
        (
            "valid 1 year until corrected",
            "valid 1 year until points",
            "tally::type-mismatch",
        ),
        (
            "valid 2 years since repaired",
            "valid 2 years since repair",
            "tally::unknown-field",
        ),
        (
            "valid 2 years since repaired",
            "valid 2 years from repaired since repaired",
            "tally::syntax",
        ),
        (
            "valid 1 year until corrected",
            "valid 1 year until corrected until corrected",
            "tally::syntax",
        ),
    ] {
        let errors = check_errors(&POLICY.replace(from, to));
        assert!(
            errors.iter().any(|e| e.starts_with(code)),
            "{to}: {errors:?}"
        );
    }
    let steps = POLICY.replace(
        "  [19.1] per debtor -50 valid 2 years since repaired\n",
        "  [19.1] per debtor -50 valid 2 years since repaired\n  [19.2] when count(debtor) in year >= 1: -5 valid 1 year until repaired\n",
    );
    let errors = check_errors(&steps);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("tally::misplaced") && e.contains("`repaired`")),
        "{errors:?}"
    );
    // Without a balance card, `valid` itself is refused.
    let monthly = POLICY.replace("card balance", "annual = sum(months) / 12");
    let errors = check_errors(&monthly);
    assert!(
        errors.iter().any(|e| e.starts_with("tally::misplaced")),
        "{errors:?}"
    );
}

/// A correction, repair or end of a fault dated after the day the card is read has not happened
/// yet: a typo in the year (2109 for 2019), or a day entered early. It is refused at its line,
/// whichever of `from`, `since` and `until` reads it.
#[test]
fn a_day_after_the_reading_day_is_refused_at_its_line() {
    let policy = POLICY.replace(
        "record fault \"失信\" by person { points: points 1..100, corrected: date optional }",
        "record fault \"失信\" by person { points: points 1..100, corrected: date optional, ended: date optional }\nrecord lasting \"持续失信\" by person { ended: date optional }",
    )
    .replace(
        "    [20.2] per fault -points valid 1 year until corrected\n",
        "    [20.2] per fault -points valid 1 year until corrected\n    [20.5] per lasting -10 valid 1 year from ended\n",
    );
    for (as_of, row, word) in [
        (
            "2021-01-05",
            "2019-03-01,debtor,A,,2109-06-30,,",
            "since repaired",
        ),
        (
            "2020-06-30",
            "2020-03-01,fault,A,10,,2020-07-15,",
            "until corrected",
        ),
        (
            "2021-01-05",
            "2020-03-01,lasting,A,,,,2021-01-03",
            "from ended",
        ),
    ] {
        let records = format!("date,kind,person,points,repaired,corrected,ended\n{row}\n");
        let out = on_files("eval", &policy, ROSTER, &records, &["--as-of", as_of]);
        assert_ne!(out.code, Some(0), "{row}");
        assert!(
            out.both().contains("tally::after-report-day")
                && out.both().contains(word)
                && out.both().contains("records.csv:2"),
            "{row}: {}",
            out.both()
        );
    }
    let records =
        "date,kind,person,points,repaired,corrected,ended\n2019-03-01,debtor,A,,2109-06-30,,\n";
    for lang in ["en", "zh"] {
        let out = on_files(
            "eval",
            &policy,
            ROSTER,
            records,
            &["--as-of", "2021-01-05", "--lang", lang],
        );
        insta::assert_snapshot!(format!("not_yet_{lang}"), out.both());
    }
    // On the reading day itself it is accepted.
    let records =
        "date,kind,person,points,repaired,corrected,ended\n2020-03-01,fault,A,10,,2020-06-30,\n";
    let out = on_files("eval", &policy, ROSTER, records, &["--as-of", "2020-06-30"]);
    assert_eq!(out.code, Some(0), "{}", out.both());
}
