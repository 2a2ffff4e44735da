//! Tables keyed by bounds (`hours { >= 300: 50, >= 100: 20, else: 0 }`): the first entry whose bound
//! the value meets gives the amount, so step bonuses on a cumulative total and piecewise amounts by
//! band (文登区农村居民信用积分: volunteer hours 10/20/50/…; donations 100—1000 / 1001—5000 / …)
//! are one rule each.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{d, run};

const ROSTER: &str = "person,name,department\nA,甲,办公室\nB,乙,办公室\nC,丙,办公室\n";

const POLICY: &str = r#"policy "步进" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record volunteer "志愿服务" by person { hours: hours >= 0 }
record donation "捐款" by person { yuan: number >= 0 }

section s "s" 100 {
  item i "i" 100 {
    [1] base 80
  }
}

adjustments bonus "加分" {
  [2] when sum(volunteer.hours) in year >= 10: +sum(volunteer.hours) in year { >= 300: 50, >= 250: 40, >= 200: 30, >= 150: 25, >= 100: 20, >= 80: 15, >= 50: 10, >= 20: 5, else: 2 }
  [3] per donation +yuan { < 100: 0, <= 1000: floor(yuan / 100), <= 5000: floor(yuan / 400), <= 10000: floor(yuan / 500), else: floor(yuan / 1000) }
}

grades {
  A >= 90 "a"
  B "b"
}
"#;

#[test]
fn the_first_bound_met_gives_the_amount() {
    let records = "date,kind,person,hours,yuan
2020-01-05,volunteer,A,6,
2020-07-05,volunteer,A,4,
2020-03-05,volunteer,B,99.5,
2020-04-05,volunteer,C,300,
2020-02-01,donation,A,,99
2020-02-02,donation,A,,100
2020-02-03,donation,A,,1000
2020-02-04,donation,A,,1001
2020-02-05,donation,A,,5000
2020-02-06,donation,A,,10000
2020-02-07,donation,A,,12345
";
    let r = run(POLICY, ROSTER, records);
    let outside = |p: &str, m: u8| r.person(p).months[usize::from(m) - 1].outside.get();
    // 10 hours in the year: +2 in every month; 99.5 hours: +15; 300 hours: +50.
    assert_eq!(outside("A", 1), d("2"));
    assert_eq!(outside("B", 1), d("15"));
    assert_eq!(outside("C", 12), d("50"));
    // February's donations: 0 + 1 + 10 + 2 + 12 + 20 + 12, and A's +2 for the hours.
    assert_eq!(outside("A", 2), d("59"));
}

fn diags(policy: &str) -> Vec<String> {
    common::check_diags(policy)
}

#[test]
fn bounds_are_checked() {
    assert!(diags(POLICY).is_empty(), "{:?}", diags(POLICY));
    // Listed from the least demanding: the later bounds are never reached.
    assert_eq!(
        diags(&POLICY.replace("{ >= 300: 50, >= 250: 40,", "{ >= 250: 40, >= 300: 50,")),
        ["tally::never-fires: no value reaches `>= 300`"]
    );
    assert_eq!(
        diags(&POLICY.replace("{ < 100: 0, <= 1000:", "{ <= 1000: 0, < 100:")),
        ["tally::never-fires: no value reaches `< 100`"]
    );
    // A bound on a value from a list, and a numeric table without `else`.
    let listed = POLICY.replace(
        "record donation \"捐款\" by person { yuan: number >= 0 }",
        "record donation \"捐款\" by person { yuan: number >= 0, level: city | province }",
    );
    let found = diags(&listed.replace("+yuan { < 100: 0,", "+level { < 100: 0, city: 1,"));
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(
        found
            .iter()
            .all(|d| d == "tally::type-mismatch: this key does not fit the table's value"),
        "{found:?}"
    );
    assert_eq!(
        diags(&POLICY.replace(", else: 2 }", " }")),
        ["tally::incomplete-table: a table over numbers needs an `else` entry"]
    );
}

#[test]
fn fmt_writes_bounds_with_one_space() {
    let text = POLICY
        .replace("{ >= 300: 50,", "{>=300: 50,")
        .replace("< 100: 0", "<100:0");
    let out = tally::fmt::format(&tally::diag::Source::new("p.policy", &text)).unwrap();
    // A long table has one entry a line.
    assert!(
        out.contains("\n    >= 300: 50,\n    >= 250: 40,\n"),
        "{out}"
    );
    assert!(
        out.contains("\n    < 100: 0,\n    <= 1000: floor(yuan / 100),\n"),
        "{out}"
    );
}

#[test]
fn a_comment_may_stand_between_a_bound_and_its_number() {
    let text = POLICY.replace("{ < 100: 0,", "{ < # under a hundred\n 100: 0,");
    let diags = common::check_diags(&text);
    assert!(diags.is_empty(), "{diags:?}");
}
