//! Grade bands with `>` (above the threshold, not at it: "1060分（不含）以上") beside `>=`: a score
//! exactly at a `>` threshold gets the grade below, and the checker orders the two kinds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::run;

fn policy(bands: &str) -> String {
    format!(
        r#"policy "等次" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record late "迟到" by person

section s "s" 100 {{
  item i "i" 100 {{
    [1] when count(late) in year > 0: -5 * count(late) in year
  }}
}}

grades {{
{bands}
}}
"#
    )
}

#[test]
fn a_score_at_a_strict_threshold_gets_the_grade_below() {
    let bands = "  A > 90 \"above 90\"\n  B >= 90 \"90 itself\"\n  C > 80\n  D";
    let roster = "person,name,department\nP1,一,办\nP2,二,办\nP3,三,办\nP4,四,办\n";
    let mut records = String::from("date,kind,person\n");
    for (person, lates) in [("P1", 1), ("P2", 2), ("P3", 3), ("P4", 4)] {
        for day in 1..=lates {
            records.push_str(&format!("2020-01-0{day},late,{person}\n"));
        }
    }
    let r = run(&policy(bands), roster, &records);
    let grades: Vec<String> = ["P1", "P2", "P3", "P4"]
        .iter()
        .map(|p| r.grade(p))
        .collect();
    // 95, 90, 85 and 80 points.
    assert_eq!(grades, ["A", "B", "C", "D"]);
}

fn errors(bands: &str) -> Vec<String> {
    common::check_errors(&policy(bands))
}

#[test]
fn bands_must_fall_from_the_highest_threshold() {
    assert!(errors("  A > 90\n  B >= 90\n  C").is_empty());
    assert!(errors("  A >= 90\n  B > 80\n  C >= 80\n  D").is_empty());
    assert_eq!(
        errors("  A >= 90\n  B > 90\n  C"),
        ["tally::grade-order: `B` (> 90) comes after `A` (>= 90)"]
    );
    assert_eq!(
        errors("  A > 90\n  B > 90\n  C"),
        ["tally::grade-unreachable: no score can get the grade `B`"]
    );
    assert_eq!(
        errors("  A > 90\n  B > 95\n  C"),
        ["tally::grade-order: `B` (> 95) comes after `A` (> 90)"]
    );
    assert_eq!(
        errors("  A > 90\n  B > 80"),
        ["tally::grade-order: no grade for scores below 80"]
    );
}

#[test]
fn fmt_keeps_a_strict_threshold() {
    let text = policy("  A  >  90 \"a\"\n  B >=90\n  C");
    let out = tally::fmt::format(&tally::diag::Source::new("p.policy", &text)).unwrap();
    assert!(out.contains("  A > 90 \"a\"\n  B >= 90\n  C\n"), "{out}");
}
