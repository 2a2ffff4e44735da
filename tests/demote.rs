//! `demote to GRADE` (降级, 第十八条 7: 降级指标对应的扣分分值均按该等级最低分数计算): the grade at most
//! GRADE and the year's result at most GRADE's lowest score, on a monthly card, a year card and a
//! balance card; refused for a grade without a lowest score.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{check_errors, d, on_files, run};

const MONTHLY: &str = r#"policy "降级" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record late "迟到" by person
record demoted "降为合格" by person
record failed "降为基本合格" by person

section work "工作" 100 {
  item duty "职责" 100 {
    [1] per late -5
  }
}

adjustments results "结果运用" {
  [2] per demoted demote to 合格
  [3] per failed demote to 基本合格
  [4] when count(late) in year >= 10: demote to 合格
}

grades {
  优秀 >= 90
  合格 >= 70
  基本合格 >= 60
  不合格
}
"#;

const ROSTER: &str = "person,name,department\nA,甲,办\nB,乙,办\nC,丙,办\nD,丁,办\n";

fn records(rows: &[&str]) -> String {
    let mut s = String::from("date,kind,person\n");
    for r in rows {
        s += r;
        s.push('\n');
    }
    s
}

#[test]
fn a_demotion_holds_the_result_at_the_grades_lowest_score_and_caps_the_grade() {
    let r = run(
        MONTHLY,
        ROSTER,
        &records(&[
            // A: 100 every month, demoted to 合格: 70, 合格; the months are not changed.
            "2020-05-01,demoted,A",
            // B: two demotions: the lower floor, 60, 基本合格.
            "2020-03-01,demoted,B",
            "2020-08-01,failed,B",
            // C: 10 lates in one month: 100 × 11 + 50 = 1150 / 12 = 95.83, demoted by the
            // `when` rule to 合格 at 70.
            "2020-02-03,late,C",
            "2020-02-04,late,C",
            "2020-02-05,late,C",
            "2020-02-06,late,C",
            "2020-02-07,late,C",
            "2020-02-10,late,C",
            "2020-02-11,late,C",
            "2020-02-12,late,C",
            "2020-02-13,late,C",
            "2020-02-14,late,C",
        ]),
    );
    assert_eq!(r.annual("A"), d("70"));
    assert_eq!(r.grade("A"), "合格");
    assert_eq!(r.month("A", 5), d("100"));
    assert_eq!(r.annual("B"), d("60"));
    assert_eq!(r.grade("B"), "基本合格");
    assert_eq!(r.annual("C"), d("70"));
    assert_eq!(r.grade("C"), "合格");
    // D: nothing: 100, 优秀.
    assert_eq!(r.annual("D"), d("100"));
    assert_eq!(r.grade("D"), "优秀");
}

#[test]
fn a_result_already_below_the_floor_stays_where_it_is() {
    // 12 lates a month for eleven months would be far below; here 14 lates in each of 12 months
    // (−70): 30 a month, 30 for the year; a demotion to 合格 (70) keeps 30 and 不合格.
    let mut rows = Vec::new();
    for m in 1..=12 {
        for day in 1..=14 {
            rows.push(format!("2020-{m:02}-{day:02},late,A"));
        }
    }
    rows.push("2020-12-20,demoted,A".to_string());
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let r = run(MONTHLY, ROSTER, &records(&refs));
    assert_eq!(r.annual("A"), d("30"));
    assert_eq!(r.grade("A"), "不合格");
}

#[test]
fn explain_shows_the_score_the_demotion_set_and_the_grade_cap() {
    let rows = records(&["2020-05-01,demoted,A"]);
    for lang in ["en", "zh"] {
        let args = ["--person", "A", "--lang", lang];
        let out = on_files("explain", MONTHLY, ROSTER, &rows, &args).ok();
        insta::assert_snapshot!(format!("explain_{lang}"), out);
    }
    let rows = "date,kind,person,points\n2020-02-01,demoted_c,B,\n";
    let args = ["--person", "B", "--as-of", "2021-01-05"];
    let out = on_files("explain", BALANCE, ROSTER, rows, &args).ok();
    insta::assert_snapshot!("explain_balance", out);
}

const BALANCE: &str = r#"policy "降级（信用）" year 2020 total 1000
card balance

record fault "失信" by person { points: points 1..1000 }
record demoted_c "降为C级" by person
record honor "表彰" by person

section credit "信用积分" 1000 {
  item score "基础分" 1000 {
    [20.2] per fault -points valid 1 year
  }
}

adjustments trust "加分" {
  [0.5] per honor +30 valid 1 year
}

adjustments direct "降级" {
  [18.7] per demoted_c demote to C valid 1 year
}

grades {
  A >= 960
  B >= 850
  C >= 600
  D
}
"#;

#[test]
fn on_a_balance_the_demotion_counts_while_it_is_valid() {
    let rows = "date,kind,person,points
2019-06-01,demoted_c,A,
2020-03-01,honor,A,
2020-02-01,demoted_c,B,
2020-04-01,fault,B,500
";
    let out = on_files(
        "eval",
        BALANCE,
        ROSTER,
        rows,
        &["--as-of", "2021-01-05", "--format", "csv"],
    )
    .ok();
    // A: demoted 2019-06-01 for a year (through 2020-05-31): read on 2020-12-31 it has expired,
    // 1030, A.
    assert!(out.contains("A,甲,2020,1030.00,A"), "{out}");
    // B: demoted 2020-02-01 (through 2021-01-31) and a fault of 500: 500 is below C's 600: D.
    assert!(out.contains("B,乙,2020,500.00,D"), "{out}");
    // Read on 2020-04-30, A's demotion holds: 600, C.
    let early: String = rows
        .lines()
        .filter(|l| !l.starts_with("2020-04"))
        .map(|l| format!("{l}\n"))
        .collect();
    let args = ["--as-of", "2020-04-30", "--format", "csv"];
    let out = on_files("eval", BALANCE, ROSTER, &early, &args).ok();
    assert!(out.contains("A,甲,2020,600.00,C"), "{out}");
    assert!(out.contains("B,乙,2020,600.00,C"), "{out}");
}

#[test]
fn the_policies_check_clean_and_keep_their_layout() {
    for policy in [MONTHLY, BALANCE] {
        let out = common::in_folder(
            &[("p.policy", policy)],
            &["check", "--deny-warnings", "p.policy"],
        );
        assert_eq!(out.code, Some(0), "{}", out.both());
        let out = common::in_folder(&[("p.policy", policy)], &["fmt", "--check", "p.policy"]);
        assert_eq!(out.code, Some(0), "{}", out.both());
    }
}

#[test]
fn check_refuses_a_grade_without_a_lowest_score_or_unknown() {
    for (to, code) in [
        ("demote to 不合格", "tally::grade-without-floor"),
        ("demote to 合 格", "tally::syntax"),
        ("demote to 合", "tally::unknown-grade"),
    ] {
        let text = MONTHLY.replace("demote to 合格\n  [3]", &format!("{to}\n  [3]"));
        let errors = check_errors(&text);
        assert!(
            errors.iter().any(|e| e.starts_with(code)),
            "{to}: {errors:?}"
        );
    }
    let above = MONTHLY.replace("合格 >= 70", "合格 > 70");
    let errors = check_errors(&above);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("tally::grade-without-floor") && e.contains("`合格 > 70`")),
        "{errors:?}"
    );
}

#[test]
fn bounds_count_the_lowest_score_and_the_grade_cap() {
    let out = common::in_folder(&[("p.policy", MONTHLY)], &["check", "--bounds", "p.policy"]);
    insta::assert_snapshot!("bounds", out.both());
}
