//! A direct grade in a `once` group (第十八条 2, "按直接判级或最高减分计算"): an act that matches a
//! direct grade and a deduction counts the direct grade only; of two direct grades the lower; a
//! grade ranks before any amount, on a monthly card and on a balance card.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{check_errors, d, on_files, run};

const MONTHLY: &str = r#"policy "直接判级优先" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record fault "违纪" by person { case: text optional, points: points 1..40 }
record demoted "直接降为合格" by person { case: text optional }
record failed "直接判为不合格" by person { case: text optional }
record both "扣分并降级" by person { case: text optional }

once act "一个行为，按直接判级或最高减分" per case

section work "工作" 100 {
  item duty "职责" 100 {
    [1] per fault -points once act
    [2] per both -20, grade 合格 once act
  }
}

adjustments direct "直接判级" {
  [3] per demoted grade 合格 once act
  [4] per failed grade 不合格 once act
}

grades {
  优秀 >= 90
  合格 >= 60
  不合格
}
"#;

const ROSTER: &str = "person,name,department\nA,甲,办\nB,乙,办\nC,丙,办\nD,丁,办\nE,戊,办\n";

fn records(rows: &[&str]) -> String {
    let mut s = String::from("date,kind,person,case,points\n");
    for r in rows {
        s += r;
        s.push('\n');
    }
    s
}

#[test]
fn a_direct_grade_beats_any_deduction_of_the_same_act_before_or_after_it() {
    let r = run(
        MONTHLY,
        ROSTER,
        &records(&[
            // A: the deduction first, the direct grade later: only the grade counts.
            "2020-03-02,fault,A,K1,40",
            "2020-05-02,demoted,A,K1,",
            // B: the grade first, then two deductions of the act, the largest 40.
            "2020-02-01,demoted,B,K2,",
            "2020-02-03,fault,B,K2,10",
            "2020-06-03,fault,B,K2,40",
            // C: a deduction of another act counts beside the grade.
            "2020-04-01,demoted,C,K3,",
            "2020-04-02,fault,C,K4,12",
        ]),
    );
    for m in 1..=12 {
        assert_eq!(r.month("A", m), d("100"), "A month {m}");
        assert_eq!(r.month("B", m), d("100"), "B month {m}");
    }
    assert_eq!(r.grade("A"), "合格");
    assert_eq!(r.grade("B"), "合格");
    assert_eq!(r.month("C", 4), d("88"));
    assert_eq!(r.grade("C"), "合格");
}

#[test]
fn of_two_direct_grades_of_one_act_the_lower_counts_whatever_their_order() {
    for rows in [
        ["2020-03-01,demoted,A,K1,", "2020-04-01,failed,A,K1,"],
        ["2020-03-01,failed,A,K1,", "2020-04-01,demoted,A,K1,"],
    ] {
        let r = run(MONTHLY, ROSTER, &records(&rows));
        assert_eq!(r.grade("A"), "不合格", "{rows:?}");
        assert_eq!(r.annual("A"), d("100"));
    }
    // Two grades of two acts: the lowest grade of the year wins, as without `once`.
    let r = run(
        MONTHLY,
        ROSTER,
        &records(&["2020-03-01,demoted,A,K1,", "2020-04-01,failed,A,K2,"]),
    );
    assert_eq!(r.grade("A"), "不合格");
}

#[test]
fn a_rule_with_a_grade_and_an_amount_wins_as_a_grade_and_keeps_its_amount() {
    // [2] gives −20 and grade 合格; the act's other record, −40, is dropped although larger.
    let r = run(
        MONTHLY,
        ROSTER,
        &records(&["2020-03-01,fault,A,K1,40", "2020-03-05,both,A,K1,"]),
    );
    assert_eq!(r.month("A", 3), d("80"));
    assert_eq!(r.grade("A"), "合格");
    // Against a lower direct grade it is dropped whole: its −20 as well.
    let r = run(
        MONTHLY,
        ROSTER,
        &records(&["2020-03-01,failed,A,K1,", "2020-03-05,both,A,K1,"]),
    );
    assert_eq!(r.month("A", 3), d("100"));
    assert_eq!(r.grade("A"), "不合格");
}

#[test]
fn records_with_no_act_are_acts_of_their_own() {
    let r = run(
        MONTHLY,
        ROSTER,
        &records(&["2020-03-01,demoted,A,,", "2020-03-05,fault,A,,30"]),
    );
    assert_eq!(r.month("A", 3), d("70"));
    assert_eq!(r.grade("A"), "合格");
}

#[test]
fn explain_shows_the_dropped_records_and_why() {
    let rows = records(&[
        "2020-03-02,fault,A,K1,40",
        "2020-05-02,demoted,A,K1,",
        "2020-06-02,failed,A,K1,",
    ]);
    let args = ["--person", "A", "--period", "2020-03"];
    let out = on_files("explain", MONTHLY, ROSTER, &rows, &args).ok();
    insta::assert_snapshot!("explain_monthly_march", out);
    let args = ["--person", "A", "--period", "2020-05"];
    let out = on_files("explain", MONTHLY, ROSTER, &rows, &args).ok();
    insta::assert_snapshot!("explain_monthly_may", out);
    let args = ["--person", "A", "--period", "2020-03", "--lang", "zh"];
    let out = on_files("explain", MONTHLY, ROSTER, &rows, &args).ok();
    insta::assert_snapshot!("explain_monthly_zh", out);
}

const BALANCE: &str = r#"policy "直接判级优先（信用）" year 2020 total 1000
card balance

record fault "失信" by person { act: text optional, points: points 1..200 }
record direct_c "直接判为C级" by person { act: text optional }
record direct_d "直接判为D级" by person { act: text optional }

once fault_act "一个失信行为，按直接判级或最高减分" per act

section credit "信用积分" 1000 {
  item score "基础分" 1000 {
    [20.2] per fault -points valid { <= 40: 1 year, else: 2 years } once fault_act
  }
}

adjustments direct "直接判级" {
  [12] per direct_c grade C valid 3 years once fault_act
  [13] per direct_d grade D valid 1 year once fault_act
}

grades {
  A >= 960
  B >= 850
  C >= 600
  D
}
"#;

const BALANCE_RECORDS: &str = "date,kind,person,act,points
2019-03-01,direct_d,A,K1,
2019-02-01,fault,A,K1,100
2020-02-01,fault,B,K2,60
2020-05-01,direct_c,B,K2,
2020-06-01,fault,B,K3,30
";

#[test]
fn on_a_balance_the_direct_grade_is_the_acts_entry_and_the_deduction_never_counts() {
    let args = ["--as-of", "2021-01-05", "--format", "csv"];
    let got =
        common::period_totals(&on_files("eval", BALANCE, ROSTER, BALANCE_RECORDS, &args).ok());
    for expected in [
        // A: D of 2019-03-01 (a year: through 2020-02-29) and its act's −100 of 2019-02-01
        // (two years) : the D counts, and after it expires the −100 does not come back.
        "A,2020-01,1000.00",
        "A,2020-03,1000.00",
        "A,2020,1000.00",
        // B: the act K2's −60 of February is dropped for the C of May, on every snapshot
        // (the act is taken as a whole); K3's −30 counts.
        "B,2020-02,1000.00",
        "B,2020-05,1000.00",
        "B,2020-06,970.00",
        "B,2020,970.00",
    ] {
        assert!(got.iter().any(|l| l == expected), "{expected}: {got:?}");
    }
    let out = on_files("eval", BALANCE, ROSTER, BALANCE_RECORDS, &args).ok();
    assert!(out.contains("B,乙,2020,970.00,C"), "{out}");
    // Read on 2020-02-15, A's D is still valid.
    let early: String = BALANCE_RECORDS
        .lines()
        .take(3)
        .map(|l| format!("{l}\n"))
        .collect();
    let args = ["--as-of", "2020-02-15", "--format", "csv"];
    let out = on_files("eval", BALANCE, ROSTER, &early, &args).ok();
    assert!(out.contains("A,甲,2020,1000.00,D"), "{out}");
}

#[test]
fn explain_on_a_balance_names_the_direct_grade_that_counts() {
    let args = ["--as-of", "2021-01-05", "--person", "B"];
    let out = on_files("explain", BALANCE, ROSTER, BALANCE_RECORDS, &args).ok();
    insta::assert_snapshot!("explain_balance", out);
}

#[test]
fn the_policies_check_clean() {
    for policy in [MONTHLY, BALANCE] {
        let out = common::in_folder(
            &[("p.policy", policy)],
            &["check", "--deny-warnings", "p.policy"],
        );
        assert_eq!(out.code, Some(0), "{}", out.both());
    }
}

#[test]
fn check_refuses_a_grade_beside_rewards_and_a_rule_with_neither_grade_nor_amount() {
    // A direct grade in a group of rewards.
    let rewards = MONTHLY
        .replace(
            "[1] per fault -points once act",
            "[1] per fault +points once act",
        )
        .replace(
            "[2] per both -20, grade 合格 once act",
            "[2] per both +20 once act",
        );
    let errors = check_errors(&rewards);
    assert!(
        errors.iter().any(|e| e.contains("tally::once-mixed-signs")
            && e.contains("holds a direct grade and a reward")),
        "{errors:?}"
    );
    // Two grades on one rule, and a rule that only flags.
    for (from, to, said) in [
        (
            "[3] per demoted grade 合格 once act",
            "[3] per demoted grade 合格, grade 不合格 once act",
            "several direct grades",
        ),
        (
            "[3] per demoted grade 合格 once act",
            "[3] per demoted flag \"降级\" once act",
            "no amount",
        ),
    ] {
        let errors = check_errors(&MONTHLY.replace(from, to));
        assert!(
            errors
                .iter()
                .any(|e| e.contains("tally::misplaced") && e.contains(said)),
            "{to}: {errors:?}"
        );
    }
}

/// The refusals as a user sees them, in English and in Chinese.
#[test]
fn the_refusals_as_the_user_sees_them() {
    let rewards = MONTHLY
        .replace(
            "[1] per fault -points once act",
            "[1] per fault +points once act",
        )
        .replace(
            "[2] per both -20, grade 合格 once act",
            "[2] per both +20 once act",
        );
    let two = MONTHLY.replace(
        "[3] per demoted grade 合格 once act",
        "[3] per demoted grade 合格, grade 不合格 once act",
    );
    for (name, text) in [("grade_and_reward", &rewards), ("two_grades", &two)] {
        for lang in ["en", "zh"] {
            let out = common::in_folder(
                &[("p.policy", text.as_str())],
                &["check", "--lang", lang, "p.policy"],
            );
            insta::assert_snapshot!(format!("check_{name}_{lang}"), out.both());
        }
    }
}

/// A demotion (`demote to GRADE`) is a direct grade too: it ranks before any amount of its act.
#[test]
fn a_demotion_in_a_group_counts_as_its_direct_grade() {
    let policy = MONTHLY.replace(
        "[3] per demoted grade 合格 once act",
        "[3] per demoted demote to 合格 once act",
    );
    let r = run(
        &policy,
        ROSTER,
        &records(&["2020-03-02,fault,A,K1,40", "2020-05-02,demoted,A,K1,"]),
    );
    assert_eq!(r.month("A", 3), d("100"));
    assert_eq!(r.annual("A"), d("60"));
    assert_eq!(r.grade("A"), "合格");
    // Against a lower direct grade of the act it is dropped: neither its cap nor its floor.
    let r = run(
        &policy,
        ROSTER,
        &records(&["2020-03-01,demoted,A,K1,", "2020-04-01,failed,A,K1,"]),
    );
    assert_eq!(r.annual("A"), d("100"));
    assert_eq!(r.grade("A"), "不合格");
}
