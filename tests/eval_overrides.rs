//! Overrides of the year's result: `grade G` sets the grade whatever the score (直接判级), `score N`
//! sets the published result whatever the months gave (直接判级得分为零分); the lowest set wins, a
//! grade cap still applies, and explanations say which rule set what.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{d, run};

const ROSTER: &str = "person,name,department\nA,甲,村委\nB,乙,村委\nC,丙,村委\nD,丁,村委\n";

const POLICY: &str = r#"policy "直接判级" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record late "迟到" by person
record serious "严重失信" by person
record refused "拒不改正" by person
record sanction "处分" by person

section s "s" 100 {
  item i "i" 100 {
    [1] per late -5
  }
}

adjustments direct "直接判级" {
  [29.1] per serious grade 零星, score 0
  [29.3] when count(refused) in year > 0: grade 一星
  [33] per sanction grade at most 二星
}

grades {
  五星 > 95
  四星 > 90
  二星 > 80
  一星 > 50
  零星
}
"#;

const RECORDS: &str = "date,kind,person
2020-03-02,late,A
2020-05-09,serious,B
2020-02-01,refused,C
2020-08-01,serious,C
2020-04-01,refused,D
2020-06-01,sanction,D
";

#[test]
fn set_grades_and_scores_replace_the_results() {
    let r = run(POLICY, ROSTER, RECORDS);
    // A: one late arrival in March, 100 - 5/12: graded by score.
    assert_eq!(r.grade("A"), "五星");
    // B: a serious fault: 零星 and 0, whatever the months gave.
    assert_eq!(r.grade("B"), "零星");
    assert_eq!(r.person("B").annual.published, "0".parse().unwrap());
    assert_eq!(r.annual("B"), d("0"));
    // C: 一星 by one rule, 零星 by the other: the lower wins.
    assert_eq!(r.grade("C"), "零星");
    // D: set to 一星, and capped at 二星 (a higher grade): the lower of the two.
    assert_eq!(r.grade("D"), "一星");
    // The months are untouched: B's monthly totals are still 100.
    assert_eq!(r.month("B", 5), d("100"));
}

#[test]
fn explain_says_which_rule_set_what() {
    let files = [
        ("p.policy", POLICY),
        ("roster.csv", ROSTER),
        ("records.csv", RECORDS),
    ];
    let explain = |person: &str| {
        common::in_folder(
            &files,
            &[
                "explain",
                "p.policy",
                "--roster",
                "roster.csv",
                "--records",
                "records.csv",
                "--person",
                person,
            ],
        )
        .ok()
    };
    insta::assert_snapshot!("explain_set_score", explain("B"));
    insta::assert_snapshot!("explain_set_grade", explain("D"));
}

#[test]
fn overrides_are_checked() {
    let errors = common::check_errors;
    assert!(errors(POLICY).is_empty(), "{:?}", errors(POLICY));
    assert_eq!(
        errors(&POLICY.replace("grade 零星, score 0", "grade 零級, score 0")),
        ["tally::unknown-grade: unknown grade `零級`"]
    );
    assert_eq!(
        errors(&POLICY.replace("score 0", "score -1")),
        ["tally::syntax: expected a number, found `-`"]
    );
    let fmt = tally::fmt::format(&tally::diag::Source::new(
        "p.policy",
        POLICY.replace("grade 零星, score 0", "grade   零星 ,score   0"),
    ))
    .unwrap();
    assert!(
        fmt.contains("[29.1] per serious grade 零星, score 0\n"),
        "{fmt}"
    );
}

#[test]
fn a_set_score_is_published_with_the_policys_rounding_and_graded_by_it() {
    let with = |round: &str, score: &str| {
        POLICY
            .replace("round 2 half-up", round)
            .replace("grade 零星, score 0", &format!("score {score}"))
    };
    let grade_and_total = |text: &str| {
        let r = run(text, ROSTER, RECORDS);
        (r.grade("B"), r.person("B").annual.published.to_string())
    };
    // 89.996 publishes as 90.00 under half-up to 2 places, and 90.00 is graded, not 89.996.
    let text =
        with("round 2 half-up", "89.996").replace("  二星 > 80\n", "  三星 >= 90\n  二星 > 80\n");
    assert_eq!(
        grade_and_total(&text),
        ("三星".to_string(), "90.00".to_string())
    );
    assert_eq!(grade_and_total(&with("round 0 down", "2.9")).1, "2");
    assert_eq!(grade_and_total(&with("round 1 up", "2.51")).1, "2.6");
    assert_eq!(grade_and_total(&with("round 0 half-even", "2.5")).1, "2");
}

#[test]
fn a_score_too_large_to_publish_is_refused_by_check() {
    let text = POLICY.replace("grade 零星, score 0", "score 79228162514264337593543950335");
    let codes = common::check_errors(&text);
    assert_eq!(codes, ["tally::too-large: a score too large to publish"]);
}
