//! `freeze BLOCK` on a balance card (文登区社会成员信用积分 第十七条: 信用加分信息只作为记录，不能改变
//! 信用积分和等级, while a directly graded fault is not corrected): on the days the freezing entry
//! counts, the block gives the person its record names nothing; the bonuses count again, while
//! valid, once it ends.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{check_errors, on_files};

const POLICY: &str = r#"policy "冻结加分" year 2020 total 1000
card balance

record direct_c "直接判为C级" by person { corrected: date optional }
record honor "表彰" by person
record fault "失信" by person { points: points 1..500 }
record donation "捐款" by person { cause: text optional }
record dept_honor "集体表彰" by department

section credit "信用积分" 1000 {
  item score "基础分" 1000 {
    [20.2] per fault -points valid 1 year
  }
}

adjustments direct "直接判级" {
  [12] per direct_c grade C valid 3 years
  [17] per direct_c freeze trust valid 3 years until corrected
}

adjustments trust "守信加分" {
  [0.5.13] per honor +30 valid 1 year
  [0.5.10] per donation +5 valid 1 year highest per cause
}

adjustments other "其他" {
  [0.6] per dept_honor +10 valid 1 year
}

grades {
  A >= 960
  B >= 850
  C >= 600
  D
}
"#;

const ROSTER: &str = "person,name,department\nA,甲,办\nB,乙,办\nC,丙,办\n";

const RECORDS: &str = "date,kind,person,department,corrected,cause
2019-11-05,direct_c,A,,2020-06-01,
2020-03-03,honor,A,,,
2020-03-04,donation,A,,,
2020-02-01,direct_c,B,,,
2020-04-01,honor,B,,,
2020-05-01,dept_honor,,办,,
2020-04-01,honor,C,,,
";

fn eval(as_of: &str, records: &str) -> String {
    let args = ["--as-of", as_of, "--format", "csv"];
    on_files("eval", POLICY, ROSTER, records, &args).ok()
}

#[test]
fn bonuses_count_nothing_while_the_fault_is_uncorrected_and_again_after() {
    let out = eval("2021-01-05", RECORDS);
    for expected in [
        // A: graded C 2019-11-05, corrected 2020-06-01: the +30 and +5 of March are held back
        // through May, then count while valid; the department's +10 (another block) counts.
        "A,甲,2020-03,1000.00,",
        "A,甲,2020-05,1010.00,",
        "A,甲,2020-06,1045.00,",
        "A,甲,2020,1045.00,C",
        // B: never corrected: its +30 never counts; the department's +10 does.
        "B,乙,2020-04,1000.00,",
        "B,乙,2020,1010.00,C",
        // C: nothing frozen: +30 and the department's +10.
        "C,丙,2020,1040.00,A",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
}

#[test]
fn explain_names_the_entry_that_freezes_a_bonus() {
    let records: String = RECORDS
        .lines()
        .filter(|l| !l.starts_with("2020-05") && !l.contains(",B,"))
        .map(|l| format!("{}\n", l.replace("2020-06-01", "")))
        .collect();
    for lang in ["en", "zh"] {
        let args = ["--as-of", "2020-04-30", "--person", "A", "--lang", lang];
        let out = on_files("explain", POLICY, ROSTER, &records, &args).ok();
        insta::assert_snapshot!(format!("explain_A_{lang}"), out);
    }
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
fn check_refuses_an_unknown_block_a_monthly_card_a_when_rule_and_department_records() {
    for (from, to, code, said) in [
        (
            "freeze trust",
            "freeze trusts",
            "tally::unknown-block",
            "trusts",
        ),
        (
            "[17] per direct_c freeze trust valid 3 years until corrected",
            "[17] when count(direct_c) in year > 0: freeze trust",
            "tally::misplaced",
            "`per` rule",
        ),
        (
            "[17] per direct_c freeze trust valid 3 years until corrected",
            "[17] per dept_honor freeze trust valid 3 years",
            "tally::misplaced",
            "dept_honor",
        ),
        (
            "[17] per direct_c freeze trust valid 3 years until corrected",
            "[17] per direct_c freeze trust valid 3 years until corrected when count(honor) in year = 0",
            "tally::misplaced",
            "a freeze",
        ),
    ] {
        let errors = check_errors(&POLICY.replace(from, to));
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(code) && e.contains(said)),
            "{to}: {errors:?}"
        );
    }
    let monthly = POLICY
        .replace("card balance", "annual = sum(months) / 12")
        .replace(" valid 1 year", "")
        .replace(" valid 3 years until corrected", "")
        .replace(" valid 3 years", "");
    let errors = check_errors(&monthly);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("tally::misplaced") && e.contains("balance card")),
        "{errors:?}"
    );
}
