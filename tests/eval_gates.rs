//! An item's `for` gates every rule in it: points inside and outside the item (`from total`),
//! flags, grade caps, and the facts its `when` rules read. A person the item does not apply to is
//! scored as if the item were not written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{d, run};

const HEAD: &str = r#"policy "测试办法" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

roster {
  role: teacher | nurse
}

record late "迟到" by person
record exam "考试" by person { score: number 0..100 }
record honor "表彰" by town

section work "工作" 60 {
  item duty "职责" 60 {
    [1.1] per late -1
  }
}

grades {
  good >= 90 "好"
  fair >= 60 "中"
  poor "差"
}
"#;

/// The policy with a second section holding a teachers-only item with the given rules, and a
/// nurses-only item that takes 1 point per late.
fn policy(rules: &str) -> String {
    format!(
        "{HEAD}\nsection teach \"教学\" 40 {{\n  item lessons \"课堂\" 40 for role in {{teacher}} {{\n{rules}\n  }}\n  item care \"保育\" 40 for role in {{nurse}} {{\n    [2.2] per late -1\n  }}\n}}\n"
    )
}

const ROSTER: &str = "person,name,department,role\nT,甲,学校,teacher\nN,乙,幼儿园,nurse\n";
const HEADER: &str = "date,kind,person,department,score\n";

fn records(rows: &[&str]) -> String {
    let mut s = String::from(HEADER);
    for r in rows {
        s += r;
        s.push('\n');
    }
    s
}

#[test]
fn from_total_points_reach_only_people_the_item_applies_to() {
    let r = run(
        &policy("    [2.1] per late -10 from total"),
        ROSTER,
        &records(&["2020-03-02,late,T,,", "2020-03-02,late,N,,"]),
    );
    // The teacher: 60 - 1 + 40 - 10; the nurse: 60 - 1 + 40 - 1, nothing from the teachers' item.
    assert_eq!(r.month("T", 3), d("89"));
    assert_eq!(r.month("N", 3), d("98"));
    assert_eq!(r.person("N").months[2].outside.get(), d("0"));
}

#[test]
fn town_records_reach_only_people_the_item_applies_to() {
    let r = run(
        &policy("    [2.1] per honor +5 from total"),
        ROSTER,
        &records(&["2020-04-02,honor,,,"]),
    );
    assert_eq!(r.month("T", 4), d("105"));
    assert_eq!(r.month("N", 4), d("100"));
}

#[test]
fn flags_reach_only_people_the_item_applies_to() {
    let r = run(
        &policy("    [2.1] per late flag \"教学事故\""),
        ROSTER,
        &records(&["2020-03-02,late,T,,", "2020-03-02,late,N,,"]),
    );
    assert_eq!(r.person("T").annual.flags, vec!["教学事故".to_string()]);
    assert!(r.person("N").annual.flags.is_empty());
    assert!(r.person("N").months[2].flags.is_empty());
}

#[test]
fn grade_caps_reach_only_people_the_item_applies_to() {
    let r = run(
        &policy("    [2.1] per late grade at most poor"),
        ROSTER,
        &records(&["2020-03-02,late,T,,", "2020-03-02,late,N,,"]),
    );
    assert_eq!(r.grade("T"), "poor");
    assert!(r.person("N").annual.grade_cap.is_none());
    // 100 a month, less 2 in March: the nurse's own score decides her grade.
    assert_eq!(r.grade("N"), "good");
}

#[test]
fn when_rules_with_flags_and_caps_reach_only_people_the_item_applies_to() {
    let r = run(
        &policy(
            "    [2.1] when count(late) in year >= 1: flag \"迟到\", grade at most poor, -3 from total",
        ),
        ROSTER,
        &records(&["2020-03-02,late,T,,", "2020-03-02,late,N,,"]),
    );
    assert_eq!(r.person("T").annual.flags, vec!["迟到".to_string()]);
    assert_eq!(r.grade("T"), "poor");
    assert!(r.person("N").annual.flags.is_empty());
    assert!(r.person("N").annual.grade_cap.is_none());
    assert_eq!(r.month("N", 7), d("100"));
    assert_eq!(r.month("T", 7), d("97"));
}

#[test]
fn when_rules_read_no_facts_for_people_the_item_does_not_apply_to() {
    let r = run(
        &policy("    [2.1] when exam.score < 60: -10"),
        ROSTER,
        &records(&["2020-12-20,exam,T,,50"]),
    );
    // The nurse has no exam, and needs none: her card is final.
    assert!(
        r.person("N").missing.is_empty(),
        "{:?}",
        r.person("N").missing
    );
    assert!(r.person("N").annual.is_final);
    assert_eq!(r.month("T", 1), d("90"));
    assert_eq!(r.month("N", 1), d("100"));
}

#[test]
fn capped_rules_reach_only_people_the_item_applies_to() {
    let r = run(
        &policy("    [2.1] per late -4 from total cap 6"),
        ROSTER,
        &records(&[
            "2020-03-02,late,T,,",
            "2020-03-03,late,T,,",
            "2020-03-02,late,N,,",
            "2020-03-03,late,N,,",
        ]),
    );
    assert_eq!(r.month("T", 3), d("92"));
    // The nurse: 60 - 2 + 40 - 2.
    assert_eq!(r.month("N", 3), d("96"));
}
