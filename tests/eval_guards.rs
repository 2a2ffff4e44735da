//! A `per` rule's `when` guard (`per honor +5 when count(fault) in year = 0`): its points count
//! only in the months where the condition holds for the person they reach ("有失信信息未整改的，
//! 不享受加分"); the records are still read and shown, and explanations say what was held back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{d, run};

const ROSTER: &str = "person,name,department\nA,甲,办公室\nB,乙,办公室\n";

const POLICY: &str = r#"policy "冻结" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record fault "失信" by person
record honor "表彰" by person
record help "帮扶" by person

section s "s" 100 {
  item i "守信" 100 {
    [1] base 100
    [1] per fault -10
  }
}

adjustments bonus "加分" {
  [2] per honor +5 when count(fault) in year = 0
  [3] per help +1 when count(fault) in month = 0 cap 2 in year
  when count(help) in year > 10: +1
}

grades {
  A >= 90 "a"
  B "b"
}
"#;

fn records(rows: &[&str]) -> String {
    let mut out = String::from("date,kind,person\n");
    for r in rows {
        out.push_str(r);
        out.push('\n');
    }
    out
}

#[test]
fn points_count_only_where_the_guard_holds() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            "2020-02-01,honor,A",
            "2020-02-01,honor,B",
            "2020-06-01,fault,B",
            "2020-03-01,help,A",
            "2020-03-02,help,B",
            "2020-06-03,help,B",
            "2020-07-03,help,B",
            "2020-08-03,help,B",
            "2020-09-03,help,B",
        ]),
    );
    let outside = |p: &str, m: u8| r.person(p).months[usize::from(m) - 1].outside.get();
    // A has no fault: the honour counts. B's fault in June freezes the honour of February too
    // (the condition reads the whole year).
    assert_eq!(outside("A", 2), d("5"));
    assert_eq!(outside("B", 2), d("0"));
    // Help: B's March help counts, June's is held back (a fault that month), then July's counts
    // and the yearly cap of 2 is reached: August and September count nothing.
    assert_eq!(outside("A", 3), d("1"));
    assert_eq!(outside("B", 3), d("1"));
    assert_eq!(outside("B", 6), d("0"));
    assert_eq!(outside("B", 7), d("1"));
    assert_eq!(outside("B", 8), d("0"));
    assert_eq!(outside("B", 9), d("0"));
}

fn errors(policy: &str) -> Vec<String> {
    common::check_errors(policy)
}

#[test]
fn guards_are_checked() {
    assert!(errors(POLICY).is_empty(), "{:?}", errors(POLICY));
    // A `when` rule right after a `per` rule is still a rule of its own.
    let parsed = tally::compile::compile("p.policy", POLICY.as_bytes());
    let bonus = &parsed.policy.as_ref().unwrap().adjustments[0];
    assert_eq!(bonus.rules.len(), 3);
    for (from, to, code) in [
        (
            "+5 when count(fault) in year = 0",
            "+5, flag \"表彰\" when count(fault) in year = 0",
            "tally::misplaced",
        ),
        (
            "+5 when count(fault) in year = 0",
            "+5 when count(fault) in year = 0 when count(help) in year = 0",
            "tally::misplaced",
        ),
        (
            "+5 when count(fault) in year = 0",
            "+5 when count(fault) in year",
            "tally::type-mismatch",
        ),
        (
            "when count(help) in year > 10: +1",
            "when count(help) in year > 10: +1 when count(fault) in year = 0",
            "tally::misplaced",
        ),
        (
            "+5 when count(fault) in year = 0",
            "+5 when count(faults) in year = 0",
            "tally::unknown-record",
        ),
    ] {
        let text = POLICY.replace(from, to);
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{to}: {found:?}");
        assert!(found[0].starts_with(code), "{to}: {found:?}");
    }
}

#[test]
fn explain_shows_what_a_guard_held_back() {
    let out = common::on_files(
        "explain",
        POLICY,
        ROSTER,
        &records(&["2020-02-01,honor,B", "2020-06-01,fault,B"]),
        &["--person", "B", "--period", "2020-02"],
    )
    .ok();
    insta::assert_snapshot!(out);
}

#[test]
fn a_guard_that_reads_the_record_is_pointed_to_the_filter() {
    let text = POLICY
        .replace(
            "record honor \"表彰\" by person",
            "record honor \"表彰\" by person { level: city | province }",
        )
        .replace("+5 when count(fault) in year = 0", "+5 when level = city");
    let diags = common::check_errors(&text);
    assert_eq!(
        diags,
        ["tally::misplaced: a `when` after the effects cannot read the record's `level`"]
    );
}
