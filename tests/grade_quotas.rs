//! Grades with a quota (`优秀 >= 90 top 20% of department`): at most that share of each group,
//! rounded down, holds the grade, the best by published result; people tied at the cut are all
//! left out (a quota is a maximum) and take the next grade down, where its own quota counts them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::run;

fn policy(bands: &str) -> String {
    format!(
        r#"policy "定额" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

roster {{
  role: 干部 | 职工
}}

record late "迟到" by person

section s "s" 100 {{
  item i "i" 100 {{
    [1] when count(late) in year > 0: -count(late) in year
  }}
}}

grades {{
{bands}
}}
"#
    )
}

/// Ten people in two departments; `lates[i]` late arrivals for person `P{i}` (score 100 - lates).
fn roster_and_records(lates: &[usize]) -> (String, String) {
    let mut roster = String::from("person,name,department,role\n");
    let mut records = String::from("date,kind,person\n");
    for (i, &n) in lates.iter().enumerate() {
        let dept = if i < 5 { "一组" } else { "二组" };
        let role = if i % 2 == 0 { "干部" } else { "职工" };
        roster.push_str(&format!("P{i},人{i},{dept},{role}\n"));
        for d in 0..n {
            records.push_str(&format!("2020-01-{:02},late,P{i}\n", d + 1));
        }
    }
    (roster, records)
}

fn grades(bands: &str, lates: &[usize]) -> Vec<String> {
    let (roster, records) = roster_and_records(lates);
    let r = run(&policy(bands), &roster, &records);
    (0..lates.len())
        .map(|i| r.grade(&format!("P{i}")))
        .collect()
}

#[test]
fn the_best_of_each_group_keep_the_grade() {
    // 40% of five people is two places per department.
    let bands = "  优秀 >= 90 top 40% of department\n  合格";
    let got = grades(bands, &[0, 1, 2, 3, 20, 5, 4, 3, 2, 1]);
    assert_eq!(
        got,
        [
            "优秀", "优秀", "合格", "合格", "合格", "合格", "合格", "合格", "优秀", "优秀"
        ]
    );
}

#[test]
fn a_tie_at_the_cut_leaves_all_tied_out() {
    // Two places; scores 100, 98, 98: the two 98s cannot both fit, so neither keeps it.
    let bands = "  优秀 >= 90 top 40% of department\n  合格";
    let got = grades(bands, &[0, 2, 2, 30, 30, 0, 0, 0, 0, 0]);
    assert_eq!(&got[..5], ["优秀", "合格", "合格", "合格", "合格"]);
    // Five tied at 100 for two places: nobody keeps it.
    assert_eq!(&got[5..], ["合格"; 5]);
}

#[test]
fn those_left_out_meet_the_next_quota_too() {
    // 优秀: 10% of everybody (1 place); 良好: 20% (2 places).
    let bands = "  优秀 >= 95 top 10%\n  良好 >= 90 top 20%\n  合格";
    let got = grades(bands, &[0, 1, 2, 3, 4, 6, 7, 8, 9, 10]);
    assert_eq!(
        got,
        [
            "优秀", "良好", "良好", "合格", "合格", "合格", "合格", "合格", "合格", "合格"
        ]
    );
}

#[test]
fn a_quota_by_roster_column() {
    let bands = "  优秀 >= 90 top 20% of role\n  合格";
    // 干部: P0 P2 P4 P6 P8 (one place); 职工: P1 P3 P5 P7 P9 (one place).
    let got = grades(bands, &[3, 1, 2, 0, 5, 4, 1, 2, 0, 9]);
    assert_eq!(
        got,
        [
            "合格", "合格", "合格", "优秀", "合格", "合格", "合格", "合格", "优秀", "合格"
        ]
    );
}

#[test]
fn quotas_are_checked() {
    let errors = |bands: &str| common::check_errors(&policy(bands));
    assert_eq!(
        errors("  优秀 >= 90 top 0%\n  合格"),
        ["tally::bad-range: a quota is a share from above 0 to 100 percent"]
    );
    assert_eq!(
        errors("  优秀 >= 90 top 120%\n  合格"),
        ["tally::bad-range: a quota is a share from above 0 to 100 percent"]
    );
    assert_eq!(
        errors("  优秀 >= 90 top 20% of rol\n  合格"),
        ["tally::unknown-column: the roster has no column `rol`"]
    );
    assert_eq!(
        errors("  优秀 >= 90\n  合格 top 20%"),
        ["tally::grade-order: the last grade cannot have a quota"]
    );
    let out = tally::fmt::format(&tally::diag::Source::new(
        "p.policy",
        policy("  优秀 >= 90  top 20%  of  department \"前20%\"\n  合格"),
    ))
    .unwrap();
    assert!(
        out.contains("  优秀 >= 90 top 20% of department \"前20%\"\n"),
        "{out}"
    );
}

#[test]
fn explain_shows_the_quota() {
    let (roster, records) = roster_and_records(&[0, 2, 2, 30, 30, 0, 1, 2, 3, 4]);
    let dir = common::temp_dir("quotas");
    common::write(
        &dir,
        "p.policy",
        &policy("  优秀 >= 90 top 40% of department\n  合格"),
    );
    common::write(&dir, "roster.csv", &roster);
    common::write(&dir, "records.csv", &records);
    let arg = |name: &str| dir.join(name).display().to_string();
    let explain = |person: &str| {
        let out = common::cli([
            "explain".to_string(),
            arg("p.policy"),
            "--roster".into(),
            arg("roster.csv"),
            "--records".into(),
            arg("records.csv"),
            "--person".into(),
            person.into(),
        ])
        .ok();
        out.lines().take(4).collect::<Vec<_>>().join("\n")
    };
    insta::assert_snapshot!("quota_kept", explain("P0"));
    insta::assert_snapshot!("quota_left_out", explain("P1"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_lists_a_changed_quota() {
    let (roster, records) = roster_and_records(&[0, 1, 2, 3, 20, 5, 4, 3, 2, 1]);
    let dir = common::temp_dir("quota-diff");
    common::write(
        &dir,
        "old.policy",
        &policy("  优秀 >= 90 top 40% of department\n  合格"),
    );
    common::write(&dir, "new.policy", &policy("  优秀 >= 90 top 40%\n  合格"));
    common::write(&dir, "roster.csv", &roster);
    common::write(&dir, "records.csv", &records);
    let arg = |name: &str| dir.join(name).display().to_string();
    let out = common::cli([
        "diff".to_string(),
        arg("old.policy"),
        arg("new.policy"),
        "--roster".into(),
        arg("roster.csv"),
        "--records".into(),
        arg("records.csv"),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.stdout
            .contains("grade 优秀: >= 90 top 40% of department → >= 90 top 40%"),
        "{}",
        out.both()
    );
}
