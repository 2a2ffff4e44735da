//! Caps over a month, a quarter or the year, on one rule or shared by several (`cap donations "…"
//! 40 in year` declared once, `cap donations` on each rule): what counts is what takes the cap's
//! running total towards its limit, months in order and rules in policy order; what is past it is
//! not counted, and explanations say which cap took it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{d, run};

const ROSTER: &str = "person,name,department\nA,甲,办公室\nB,乙,办公室\n";

/// Rural credit rules: donations earn by bands, all of them together at most 40 points a year
/// (文登区农村居民信用积分 附件, 社会公益); trainings earn 1 point each, at most 3 a year; helping a
/// neighbour and volunteering for the poor share "at most 1 point a month"; a late arrival costs 5,
/// at most 20 a year; a quarterly "clean household" check earns 1, once a quarter.
const POLICY: &str = r#"policy "封顶" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record donation "捐款" by person { yuan: number >= 0 }
record training "培训" by person
record neighbour "邻里互助" by person
record poor_help "志愿帮扶" by person
record late "迟到" by person
record clean "清洁户" by person

cap donations "区级平台捐款" 40 in year
cap helping "邻里帮扶" 1

section s "s" 100 {
  item i "考勤" 100 {
    [1] per late -5 cap 20 in year
  }
}

adjustments bonus "加分" {
  [2.1] per donation where yuan >= 100 and yuan <= 1000: +floor(yuan / 100) cap donations
  [2.2] per donation where yuan > 1000 and yuan <= 5000: +floor(yuan / 400) cap donations
  [2.3] per donation where yuan > 5000: +floor(yuan / 500) cap donations
  [3] per training +1 cap 3 in year
  [4.1] per neighbour +1 cap helping
  [4.2] per poor_help +1 cap helping
  [5] per clean +1 cap 1 in quarter
}

grades {
  A >= 90 "a"
  B "b"
}
"#;

fn records(rows: &[&str]) -> String {
    let mut out = String::from("date,kind,person,yuan\n");
    for r in rows {
        out.push_str(r);
        out.push('\n');
    }
    out
}

#[test]
fn a_shared_yearly_cap_counts_what_came_first() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            // January: 900 yuan → 9, 4000 yuan → 10: 19 in all.
            "2020-01-05,donation,A,900",
            "2020-01-20,donation,A,4000",
            // March: 8000 yuan → 16: 35 so far.
            "2020-03-05,donation,A,8000",
            // June: 2000 → 5, 1000 → 10: only 5 of the 15 fit under 40.
            "2020-06-01,donation,A,2000",
            "2020-06-02,donation,A,1000",
            // December: nothing is left.
            "2020-12-01,donation,A,600",
        ]),
    );
    let outside = |m: u8| r.person("A").months[usize::from(m) - 1].outside.get();
    assert_eq!(outside(1), d("19"));
    assert_eq!(outside(3), d("16"));
    // Rule [2.1] comes before [2.2] in the policy: its 10 points are counted first, 5 of them.
    assert_eq!(outside(6), d("5"));
    assert_eq!(outside(12), d("0"));
    // B is not touched by A's cap.
    assert_eq!(r.person("B").months[0].outside.get(), d("0"));
}

#[test]
fn own_caps_over_a_year_a_quarter_and_a_month() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            "2020-01-05,training,A,",
            "2020-01-06,training,A,",
            "2020-02-05,training,A,",
            "2020-02-06,training,A,",
            "2020-05-05,training,A,",
            "2020-01-10,clean,A,",
            "2020-02-10,clean,A,",
            "2020-04-10,clean,A,",
            "2020-03-01,neighbour,A,",
            "2020-03-02,poor_help,A,",
            "2020-04-01,poor_help,A,",
            "2020-04-02,poor_help,A,",
        ]),
    );
    let outside = |m: u8| r.person("A").months[usize::from(m) - 1].outside.get();
    // Trainings: 2 in January, 1 of 2 in February, none in May. Clean: once in the first quarter
    // (January), again in April. Helping: 1 a month, shared by the two rules.
    assert_eq!(outside(1), d("3"));
    assert_eq!(outside(2), d("1"));
    assert_eq!(outside(3), d("1"));
    assert_eq!(outside(4), d("2"));
    assert_eq!(outside(5), d("0"));
}

#[test]
fn a_yearly_cap_on_deductions() {
    let rows: Vec<String> = (1..=6).map(|m| format!("2020-{m:02}-03,late,A,")).collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let r = run(POLICY, ROSTER, &records(&rows));
    // -5 a month until -20 in the year: April is the last month that costs anything.
    let items: Vec<_> = (1..=6).map(|m| r.item("A", m, "i").unwrap()).collect();
    assert_eq!(
        items,
        [d("95"), d("95"), d("95"), d("95"), d("100"), d("100")]
    );
}

fn errors(policy: &str) -> Vec<String> {
    common::check_errors(policy)
}

#[test]
fn caps_are_checked() {
    assert!(errors(POLICY).is_empty(), "{:?}", errors(POLICY));
    assert_eq!(
        errors(&POLICY.replace("+1 cap 3 in year", "+1 cap 3 in year cap helping")),
        ["tally::misplaced: a rule has at most one cap"]
    );
    assert_eq!(
        errors(&POLICY.replace("cap helping \"邻里帮扶\" 1", "cap helping \"邻里帮扶\" 0")),
        ["tally::bad-range: a cap must be above zero"]
    );
    assert_eq!(
        errors(&POLICY.replace(
            "cap helping \"邻里帮扶\" 1",
            "cap helping \"邻里帮扶\" 1\ncap helping \"又一个\" 2"
        )),
        ["tally::duplicate-id: the cap `helping` is declared twice"]
    );
    assert_eq!(
        errors(&POLICY.replace("+1 cap helping\n  [4.2]", "+1 cap helpin\n  [4.2]")),
        ["tally::unknown-cap: unknown cap `helpin`"]
    );
    assert_eq!(
        errors(&POLICY.replace(
            "  [1] per late -5 cap 20 in year\n",
            "  [1] per late -5 cap 20 in year\n    [1] when count(late) > 9: -1 cap helping\n"
        )),
        ["tally::misplaced: `cap` belongs to a `per` rule"]
    );
}

#[test]
fn explain_names_the_cap_that_took_points() {
    let out = common::on_files(
        "explain",
        POLICY,
        ROSTER,
        &records(&[
            "2020-01-05,donation,A,900",
            "2020-01-20,donation,A,4000",
            "2020-03-05,donation,A,8000",
            "2020-06-01,donation,A,2000",
            "2020-06-02,donation,A,1000",
            "2020-06-03,training,A,",
            "2020-06-04,training,A,",
            "2020-06-05,training,A,",
            "2020-06-06,training,A,",
        ]),
        &["--person", "A", "--period", "2020-06"],
    )
    .ok();
    insta::assert_snapshot!(out);
}

#[test]
fn declared_caps_and_from_total_caps_are_checked_like_the_rest() {
    let all = common::check_diags;
    assert_eq!(
        all(&POLICY.replace("cap helping \"邻里帮扶\" 1", "cap helping \"\" 1")),
        ["tally::empty-label: the cap `helping` has an empty label"]
    );
    // A cap on points taken from the total is not stopped by the item's floor: no warning.
    assert_eq!(
        all(&POLICY.replace(
            "[1] per late -5 cap 20 in year",
            "[1] per late -5 from total cap 200"
        )),
        Vec::<String>::new()
    );
    assert_eq!(
        all(&POLICY.replace("[1] per late -5 cap 20 in year", "[1] per late -5 cap 200")),
        ["tally::cap-never-binds: `cap 200` can never bind"]
    );
}
