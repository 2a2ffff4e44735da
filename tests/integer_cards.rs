//! Months made in whole millionths give the cards months made in exact fractions give: checked
//! on generated policies (caps of every period, shared and guarded, bases, `zero`, `from total`,
//! flags, a ledger, points that are thirds, every rounding) and generated records, including
//! values that millionths cannot hold. The compiled reading makes months in millionths where it
//! can; the one-by-one reading always in fractions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use tally::compile::compile;
use tally::eval::{Date, Options, Reading, evaluate, input};

/// The policy's varying parts, each chosen from a few ways of writing it.
#[derive(Clone, Debug)]
struct Variant {
    round: &'static str,
    late: &'static str,
    late_cap: &'static str,
    shared: &'static str,
    base: &'static str,
    leave: &'static str,
    hours: &'static str,
    /// Points of a `when` rule and of a capped rule, in their item or `from total`.
    month_when: &'static str,
    fault: &'static str,
}

fn variant() -> impl Strategy<Value = Variant> {
    (
        prop::sample::select(vec!["2 half-up", "0 half-even", "1 down", "3 up", "0 up"]),
        prop::sample::select(vec!["-5", "-2.5", "-1/3", "-0.000001"]),
        prop::sample::select(vec![
            "",
            " cap 10",
            " cap 12.5 in quarter",
            " cap 7 in year",
        ]),
        prop::sample::select(vec!["7.5 in quarter", "3", "10 in year"]),
        prop::sample::select(vec![
            "",
            "[1] base 95 - count(fault) in year",
            "[1] base 100 - 1/3",
            "[1] base 90",
        ]),
        prop::sample::select(vec!["-20", "-1/3", "-0.5"]),
        prop::sample::select(vec!["+0.5 cap 10", "+0.25", "+1/3 cap 2"]),
        prop::sample::select(vec!["-4", "-4 from total"]),
        prop::sample::select(vec!["-2", "-2 from total"]),
    )
        .prop_map(
            |(round, late, late_cap, shared, base, leave, hours, month_when, fault)| Variant {
                round,
                late,
                late_cap,
                shared,
                base,
                leave,
                hours,
                month_when,
                fault,
            },
        )
}

fn policy_text(v: &Variant) -> String {
    format!(
        r#"policy "integer" year 2020 total 150
annual = sum(months) / 12
round {round}
ledger money "元"

roster {{
  role: 甲 | 乙
}}

record late "迟到" by person
record leave "事假" by person {{ days: whole days >= 1 }}
record volunteer "志愿服务" by person {{ hours: hours >= 0 }}
record fault "违纪" by person
record praise "表扬" by person

cap shared "共用" {shared}

section office "机关" 150 {{
  item attendance "考勤" 100 {{
    {base}
    [1] per late {late}{late_cap}
    [1] per fault {fault} cap shared
    [1] when sum(leave.days) in year > 3: {leave}
    [1] when count(late) > 2: {month_when}
    [1] when count(fault) in year > 4: zero
  }}
  item work "工作" 50 for role in {{甲}} {{
    [2] per volunteer.hours {hours}
    [2] per praise +2.5 cap shared when count(fault) in year < 3
    [2] per fault -1 from total
    [2] when count(praise) in year > 12: flag "表扬多"
  }}
  item other "其他" 50 for role in {{乙}} {{
    [5] per late -1.25
  }}
}}

section bonus "奖金" 300 in money {{
  item full "全勤奖" 300 {{
    [4] per late -1
  }}
}}

adjustments extra "加分" {{
  [3] per praise +1 cap 2
}}

grades {{
  A >= 140 "top"
  B "rest"
}}
"#,
        round = v.round,
        late = v.late,
        late_cap = v.late_cap,
        shared = v.shared,
        base = v.base,
        leave = v.leave,
        hours = v.hours,
        month_when = v.month_when,
        fault = v.fault,
    )
}

const PEOPLE: usize = 3;
const KINDS: [&str; 5] = ["late", "leave", "volunteer", "fault", "praise"];

/// One record: its kind, person, month, and a value (days or hours, by kind).
type Row = (usize, usize, u8, u16);

fn records_text(rows: &[Row]) -> String {
    let mut text = String::from("date,kind,person,days,hours\n");
    for &(kind, person, month, value) in rows {
        let (days, hours) = match kind {
            1 => ((value % 9 + 1).to_string(), String::new()),
            // Now and then a value millionths cannot hold.
            2 if value % 17 == 0 => (String::new(), "0.1234567".to_string()),
            2 => (String::new(), format!("{}.{}", value % 12, value % 8 * 125)),
            _ => (String::new(), String::new()),
        };
        text.push_str(&format!(
            "2020-{month:02}-{:02},{},P{person},{days},{hours}\n",
            value % 28 + 1,
            KINDS[kind]
        ));
    }
    text
}

/// Every person's results (months, items, totals as kept, year), or every problem, as text.
fn evaluated(policy: &str, records: &str, reading: Reading, as_of: Date) -> String {
    let policy = compile("test.policy", policy.as_bytes()).policy.unwrap();
    let mut roster = String::from("person,name,department,role\n");
    for p in 0..PEOPLE {
        let role = if p % 2 == 0 { "甲" } else { "乙" };
        roster.push_str(&format!("P{p},人{p},部门,{role}\n"));
    }
    let roster = input::InMemory {
        name: PathBuf::from("roster.csv"),
        bytes: roster.into_bytes().into(),
        first_line: 1,
    };
    let roster = input::read_roster_from(&policy, &roster).unwrap();
    let file = PathBuf::from("records.csv");
    let options = Options {
        as_of,
        trace: None,
        encoding: input::Encoding::Auto,
        memory: vec![input::InMemory {
            name: file.clone(),
            bytes: records.as_bytes().to_vec().into(),
            first_line: 1,
        }],
        reading,
        threads: Some(1),
    };
    match evaluate(&policy, &roster, &[file], &options) {
        Ok((outcome, _)) => format!("{:#?}", outcome.people),
        Err(problems) => common::problems_text(&problems),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn months_in_millionths_are_the_months_in_fractions(
        v in variant(),
        rows in prop::collection::vec((0..5usize, 0..PEOPLE, 1..=12u8, 0..400u16), 0..150),
        month in 1..=12u8,
    ) {
        let policy = policy_text(&v);
        // Records dated up to the report day (a later one is an error both ways).
        let rows: Vec<Row> = rows.into_iter().map(|(k, p, m, v)| (k, p, (m - 1) % month + 1, v)).collect();
        let records = records_text(&rows);
        let as_of = Date { year: 2020, month, day: 28 };
        let fractions = evaluated(&policy, &records, Reading::OneByOne, as_of);
        let millionths = evaluated(&policy, &records, Reading::Compiled, as_of);
        prop_assert_eq!(millionths, fractions);
    }
}

/// The generated policies are valid, whichever way each part is written.
#[test]
fn every_variant_compiles() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..200 {
        let v = variant().new_tree(&mut runner).unwrap().current();
        let text = policy_text(&v);
        let compiled = compile("test.policy", text.as_bytes());
        assert!(compiled.policy.is_some(), "{v:?} does not compile");
    }
}
