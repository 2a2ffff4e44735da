//! `exclude "REASON"`: somebody not evaluated this year (在校学生, 迁出, 立案查处: 第二十八条) is
//! shown as excluded, not scored: the year's row has no result and no grade and carries the
//! reason, in every output; quotas do not count them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

const POLICY: &str = r#"policy "不参加评价" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

roster {
  student: bool
}

record late "迟到" by person
record investigation "立案查处" by person

section s "s" 100 {
  item i "i" 100 {
    [1] per late -5
  }
}

adjustments excluded "不参加评价" {
  [28.1] when student: exclude "在校学生"
  [28.3] per investigation exclude "因涉嫌违法被立案查处尚未结案"
}

grades {
  优秀 >= 90 top 50%
  合格
}
"#;

const ROSTER: &str = "person,name,department,student\nA,甲,一组,false\nB,乙,一组,true\nC,丙,一组,false\nD,丁,一组,false\n";

const RECORDS: &str = "date,kind,person\n2020-03-02,late,A\n2020-06-01,investigation,C\n2020-07-01,late,D\n2020-07-02,late,D\n";

fn run(args: &[&str]) -> String {
    let dir = common::temp_dir("exclusion");
    common::write(&dir, "p.policy", POLICY);
    common::write(&dir, "roster.csv", ROSTER);
    common::write(&dir, "records.csv", RECORDS);
    let arg = |name: &str| dir.join(name).display().to_string();
    let mut all = vec![
        args[0].to_string(),
        arg("p.policy"),
        "--roster".into(),
        arg("roster.csv"),
        "--records".into(),
        arg("records.csv"),
    ];
    all.extend(args[1..].iter().map(|a| a.to_string()));
    let out = common::cli(all).ok().replace(dir.to_str().unwrap(), "DIR");
    let _ = std::fs::remove_dir_all(&dir);
    out
}

#[test]
fn the_year_row_shows_the_reason_and_no_result() {
    let csv = run(&["eval", "--format", "csv", "--period", "2020"]);
    insta::assert_snapshot!("csv", csv);
    // Two evaluated people, so 50% is one place: A (99.58) keeps 优秀 and D (99.17) does not;
    // B and C are in no group.
    let json = run(&["eval", "--format", "json", "--period", "2020"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(4), "{json}");
    let annual = |i: usize| &v[i]["annual"];
    assert_eq!(annual(1)["total"], serde_json::Value::Null);
    assert_eq!(annual(1)["grade"], serde_json::Value::Null);
    assert_eq!(annual(1)["excluded"], "在校学生");
    assert_eq!(annual(2)["excluded"], "因涉嫌违法被立案查处尚未结案");
    assert_eq!(annual(0)["grade"], "优秀");
    assert_eq!(annual(3)["grade"], "合格");
    assert!(annual(0).get("excluded").is_none());
}

#[test]
fn explain_says_why() {
    let out = run(&["explain", "--person", "C"]);
    let head: Vec<&str> = out.lines().take(4).collect();
    insta::assert_snapshot!(head.join("\n"));
}

#[test]
fn an_exclusion_needs_a_reason() {
    let text = POLICY.replace("exclude \"在校学生\"", "exclude \"  \"");
    let codes = common::check_errors(&text);
    assert_eq!(
        codes,
        ["tally::empty-label: an exclusion with an empty reason"]
    );
}

#[test]
fn test_accept_writes_what_a_scenario_can_expect_of_an_excluded_person() {
    let dir = common::temp_dir("exclusion-accept");
    common::write(&dir, "p.policy", POLICY);
    std::fs::create_dir_all(dir.join("p.tests")).unwrap();
    let scenario = dir.join("p.tests").join("a.scenario");
    std::fs::write(
        &scenario,
        "scenario \"student\"\nroster\n  person, name, department, student\n  A, 甲, 一组, false\n  B, 乙, 一组, true\nrecords\n  2020-03-02, late, A\nexpect\n  A 2020 total 1 grade 合格\n  B 2020 total 1 grade 合格\n",
    )
    .unwrap();
    let policy = dir.join("p.policy").display().to_string();
    let out = common::cli(["test", policy.as_str(), "--accept"]);
    assert_ne!(out.code, Some(2), "{}", out.both());
    let written = std::fs::read_to_string(&scenario).unwrap();
    assert!(
        written.contains("B 2020 total excluded grade excluded"),
        "{written}"
    );
    let again = common::cli(["test", policy.as_str()]);
    assert_eq!(again.code, Some(0), "{}\n{written}", again.both());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_shows_no_result_for_a_year_not_evaluated() {
    let dir = common::temp_dir("exclusion-diff");
    common::write(&dir, "new.policy", POLICY);
    common::write(
        &dir,
        "old.policy",
        &POLICY.replace("exclude \"在校学生\"", "flag \"在校学生\""),
    );
    common::write(&dir, "roster.csv", ROSTER);
    common::write(&dir, "records.csv", RECORDS);
    let arg = |name: &str| dir.join(name).display().to_string();
    let out = common::cli([
        "diff".to_string(),
        arg("old.policy"),
        arg("new.policy"),
        "--roster".into(),
        arg("roster.csv"),
        "--records".into(),
        arg("records.csv"),
        "--format".into(),
        "csv".into(),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    let row = out
        .stdout
        .lines()
        .find(|l| l.contains(",B,") || l.starts_with("B,"))
        .unwrap_or_else(|| panic!("{}", out.both()))
        .to_string();
    // B: 100.00 before; not evaluated after: no result, no delta, grade `excluded`.
    assert!(row.contains(",100.00,,,"), "{row}");
    assert!(row.contains("excluded"), "{row}");
}
