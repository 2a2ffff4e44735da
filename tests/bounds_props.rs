//! The score bounds of `tally check --bounds` are sound: on generated rosters and records, for the
//! shipped policies and for small generated ones, no evaluated item, section, total, annual or
//! published result falls outside its bounds, and every grade given is one the bounds call
//! reachable; on policies with ledgers, no derived value and no ledger's value on a card or over
//! the year falls outside its bounds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use proptest::prelude::*;
use tally::check::bounds::{self, Bounds, End, Range, Scores};
use tally::check::model::{Policy, ValueType};
use tally::exact::Exact;

const DASHUIPO: &str = include_str!("../policies/dashuipo-2020.policy");
const WENDENG: &str = include_str!("../policies/wendeng-rural-2020.policy");
const CREDIT: &str = include_str!("../policies/wendeng-credit-2020.policy");
const LEDGERS: &str = include_str!("fixtures/ledgers/pay.policy");

/// One record, as seeds the policy turns into a kind, a date, a subject and field values.
#[derive(Clone, Debug)]
struct Seed {
    kind: u32,
    month: u8,
    day: u8,
    subject: u32,
    fields: Vec<u32>,
}

fn seeds(max: usize) -> impl Strategy<Value = Vec<Seed>> {
    proptest::collection::vec(
        (
            any::<u32>(),
            1u8..=12,
            1u8..=28,
            any::<u32>(),
            proptest::collection::vec(any::<u32>(), 4),
        )
            .prop_map(|(kind, month, day, subject, fields)| Seed {
                kind,
                month,
                day,
                subject,
                fields,
            }),
        0..max,
    )
}

const PEOPLE: usize = 6;
const DEPARTMENTS: [&str; 2] = ["办公室", "村委"];

fn person(i: usize) -> String {
    format!("P{i}")
}

/// A roster for the policy's columns: roles and flags from the people's seeds (the first member of
/// each department holding every role), two departments with the first member of each their head,
/// households of two with the first their head.
fn roster(policy: &Policy, people: &[u32]) -> String {
    let mut out = String::from("person,name,department");
    for c in &policy.columns {
        out.push(',');
        out.push_str(&c.name);
    }
    out.push('\n');
    for (i, seed) in people.iter().enumerate() {
        out.push_str(&format!("{},人{i},{}", person(i), DEPARTMENTS[i % 2]));
        for (c, column) in policy.columns.iter().enumerate() {
            let s = seed.rotate_left(5 * c as u32);
            let cell = match &column.ty {
                ValueType::Enum(values) => values[s as usize % values.len()].clone(),
                ValueType::Bool if column.name == "head" => (i < 2).to_string(),
                // The first of each department holds every role, so that `to ROLE` reaches someone.
                ValueType::Bool => (i < 2 || s % 2 == 0).to_string(),
                ValueType::Group => format!("户{}", i / 2),
                ValueType::HeadOf(_) => (i % 2 == 0).to_string(),
                ValueType::Number {
                    min, max, whole, ..
                } => number(*min, *max, *whole, s),
                ValueType::Text | ValueType::Person | ValueType::Time | ValueType::Date => {
                    "x".to_string()
                }
            };
            out.push(',');
            out.push_str(&cell);
        }
        out.push('\n');
    }
    out
}

/// A number in the declared range: near its ends, or anywhere up to 300 beyond a known end.
fn number(
    min: Option<rust_decimal::Decimal>,
    max: Option<rust_decimal::Decimal>,
    whole: bool,
    seed: u32,
) -> String {
    use rust_decimal::Decimal;
    let lo = min.unwrap_or_else(|| max.map_or(Decimal::from(-50), |m| m - Decimal::from(300)));
    let hi = max.unwrap_or(lo + Decimal::from(300));
    let span = hi - lo;
    let step = if whole {
        Decimal::ONE
    } else {
        Decimal::new(5, 1)
    };
    let steps = (span / step).floor();
    let k = match seed % 5 {
        0 => Decimal::ZERO,
        1 => steps,
        _ if steps.is_zero() => Decimal::ZERO,
        _ => Decimal::from(seed / 5) % (steps + Decimal::ONE),
    };
    let v = lo + k * step;
    let v = if whole { v.ceil() } else { v };
    v.min(hi).max(lo).normalize().to_string()
}

/// The records as CSV, the single facts kept to one record a subject.
fn records(policy: &Policy, seeds: &[Seed]) -> String {
    let scored: Vec<usize> = (0..policy.kinds.len())
        .filter(|&k| !policy.kinds[k].not_scored)
        .collect();
    let facts: Vec<usize> = policy
        .aggregates
        .iter()
        .filter(|a| a.func.is_none())
        .map(|a| a.kind)
        .collect();
    let mut fields: Vec<String> = Vec::new();
    for k in &policy.kinds {
        for f in &k.fields {
            if !fields.contains(&f.name) {
                fields.push(f.name.clone());
            }
        }
    }
    // No empty column after `department` when the kinds have no fields.
    let columns: String = fields.iter().map(|f| format!(",{f}")).collect();
    let mut out = format!("date,kind,person,department{columns}\n");
    let mut seen_facts: Vec<(usize, String)> = Vec::new();
    for s in seeds {
        if scored.is_empty() {
            break;
        }
        let k = scored[s.kind as usize % scored.len()];
        let kind = &policy.kinds[k];
        // A kind that can name a person names one: a rule may send its points `to person`.
        let mut subjects = Vec::new();
        if kind.subjects.person {
            subjects.push((person(s.subject as usize % PEOPLE), String::new()));
        } else if kind.subjects.department {
            subjects.push((
                String::new(),
                DEPARTMENTS[s.subject as usize % 2].to_string(),
            ));
        }
        if kind.subjects.town {
            subjects.push((String::new(), String::new()));
        }
        let (who, dept) = subjects[(s.subject as usize / 7) % subjects.len()].clone();
        if facts.contains(&k) {
            let key = (k, format!("{who}/{dept}"));
            if seen_facts.contains(&key) {
                continue;
            }
            seen_facts.push(key);
        }
        // A balance card also counts earlier years' records while they are valid.
        let year = if policy.balance {
            2018 + s.kind % 3
        } else {
            2020
        };
        let mut cells = vec![String::new(); fields.len()];
        for (i, f) in kind.fields.iter().enumerate() {
            let seed = s.fields[i % s.fields.len()].rotate_left(3 * i as u32);
            let value = match &f.ty {
                ValueType::Number {
                    min, max, whole, ..
                } => number(*min, *max, *whole, seed),
                ValueType::Enum(values) => values[seed as usize % values.len()].clone(),
                ValueType::Bool => (seed % 2 == 0).to_string(),
                ValueType::Text => ["甲", "乙"][seed as usize % 2].to_string(),
                ValueType::Person => person(seed as usize % PEOPLE),
                ValueType::Group | ValueType::HeadOf(_) => "x".to_string(),
                ValueType::Time => format!("{}:{:02}", 7 + seed % 4, seed % 60),
                // A continuing fault's end, or still going on (optional fields).
                ValueType::Date if f.optional && seed % 3 == 0 => String::new(),
                // The day it ended: on or after the record's own (its day is at most the 28th).
                ValueType::Date => {
                    format!("{year}-{:02}-28", (1 + seed % 12).max(u32::from(s.month)))
                }
            };
            let at = fields.iter().position(|n| *n == f.name).unwrap();
            cells[at] = value;
        }
        let cells: String = cells.iter().map(|c| format!(",{c}")).collect();
        out.push_str(&format!(
            "{year}-{:02}-{:02},{},{who},{dept}{cells}\n",
            s.month, s.day, kind.id,
        ));
    }
    out
}

fn inside(r: &Range, x: Exact) -> bool {
    let above = match &r.lo {
        End::At(lo) => x >= *lo,
        End::Open(_) => true,
    };
    let below = match &r.hi {
        End::At(hi) => x <= *hi,
        End::Open(_) => true,
    };
    above && below
}

fn sum(values: impl IntoIterator<Item = Exact>) -> Exact {
    Exact::sum(values).unwrap()
}

/// Every result of the run lies inside the bounds.
fn within_bounds(policy_text: &str, people: &[u32], seeds: &[Seed]) -> Result<(), TestCaseError> {
    let policy = common::policy(policy_text);
    let b: Bounds = bounds::bounds(&policy);
    let roster = roster(&policy, people);
    let records = records(&policy, seeds);
    let run = match common::try_run(policy_text, &roster, &records) {
        Ok(run) => run,
        // A division by zero is the records' problem, not the bounds'.
        Err(e) if e.contains("by zero") => return Ok(()),
        Err(e) => return Err(TestCaseError::fail(format!("{e}\n{}\n{records}", roster))),
    };
    let items: Vec<&bounds::Row> = b.sections.iter().flat_map(|s| &s.items).collect();
    let why = || format!("roster:\n{roster}\nrecords:\n{records}");
    for (p, result) in run.outcome.people.iter().enumerate() {
        let who = person(p);
        let cards: Vec<&tally::eval::outcome::MonthResult> = match &result.year_card {
            Some(card) => vec![&**card],
            None => result.months.iter().collect(),
        };
        let monthly = result.year_card.is_none();
        // A month's range, or on a card a year and on a balance card (each snapshot a reading)
        // the one range.
        let pick = |s: &Scores| -> Range { s.month.clone().unwrap_or_else(|| s.year.clone()) };
        for card in &cards {
            let scores: Vec<Option<Exact>> = (0..items.len()).map(|i| card.items.get(i)).collect();
            let mut flat = 0;
            for s in &b.sections {
                let mut section = Vec::new();
                for item in &s.items {
                    if let Some(x) = scores[flat] {
                        let r = &pick(&item.scores);
                        prop_assert!(
                            inside(r, x),
                            "{who} item {} = {x:?} outside {r:?}\n{}",
                            item.id,
                            why()
                        );
                        section.push(x);
                    }
                    flat += 1;
                }
                let r = &pick(&s.row.scores);
                let x = sum(section);
                prop_assert!(
                    inside(r, x),
                    "{who} section {} = {x:?} outside {r:?}\n{}",
                    s.row.id,
                    why()
                );
            }
            let (mut lo, mut hi) = (Some(Exact::ZERO), Some(Exact::ZERO));
            let blocks: Vec<&bounds::Row> = b.outside.iter().collect();
            // The adjustments blocks and the amounts from total, added up.
            for o in &blocks {
                let r = &pick(&o.scores);
                lo = lo.zip(r.lo.value()).and_then(|(a, b)| a.checked_add(b));
                hi = hi.zip(r.hi.value()).and_then(|(a, b)| a.checked_add(b));
            }
            let x = card.outside.get();
            if !blocks.is_empty() || !x.is_zero() {
                prop_assert!(
                    lo.is_none_or(|l| x >= l) && hi.is_none_or(|h| x <= h),
                    "{who} outside = {x:?} outside {lo:?}..{hi:?}\n{}",
                    why()
                );
            }
            let r = &pick(&b.total);
            let x = card.total.get();
            prop_assert!(inside(r, x), "{who} total = {x:?} outside {r:?}\n{}", why());
            // Each derived value and each ledger's value on the card (§30).
            let values = tally::eval::ledger::card_ledgers(&policy, card);
            let derived = b.ledgers.iter().flat_map(|l| &l.derived);
            for (d, x) in policy.derives.iter().zip(&values.derived) {
                let row = derived.clone().find(|r| r.id == d.id).unwrap();
                let r = &pick(&row.scores);
                prop_assert!(
                    inside(r, *x),
                    "{who} {} = {x:?} outside {r:?}\n{}",
                    d.id,
                    why()
                );
            }
            for (l, x) in b.ledgers.iter().zip(&values.totals) {
                let (r, x) = (&pick(&l.value), x.unwrap());
                prop_assert!(
                    inside(r, x),
                    "{who} ledger {} = {x:?} outside {r:?}\n{}",
                    l.id,
                    why()
                );
            }
        }
        // A ledger's year: the sum of the cards.
        let year = tally::eval::ledger::year_ledgers(&policy, result);
        for (l, x) in b.ledgers.iter().zip(year) {
            let x = x.unwrap();
            prop_assert!(
                inside(&l.value.year, x),
                "{who} ledger {} year = {x:?} outside {:?}\n{}",
                l.id,
                l.value.year,
                why()
            );
        }
        if monthly && !b.balance {
            for (i, item) in items.iter().enumerate() {
                let scores: Vec<Exact> = result
                    .months
                    .iter()
                    .filter_map(|m| m.items.get(i))
                    .collect();
                if !scores.is_empty() {
                    let x = sum(scores);
                    prop_assert!(
                        inside(&item.scores.year, x),
                        "{who} item {} year = {x:?} outside {:?}\n{}",
                        item.id,
                        item.scores.year,
                        why()
                    );
                }
            }
            let x = sum(result.months.iter().map(|m| m.total.get()));
            prop_assert!(
                inside(&b.total.year, x),
                "{who} year = {x:?} outside {:?}\n{}",
                b.total.year,
                why()
            );
        }
        let annual = &result.annual;
        if annual.excluded.is_some() {
            continue;
        }
        if let (Some(r), None) = (&b.annual, &annual.set_score) {
            prop_assert!(
                inside(r, annual.total),
                "{who} annual = {:?} outside {r:?}\n{}",
                annual.total,
                why()
            );
        }
        let published = Exact::from_decimal(annual.published);
        prop_assert!(
            inside(&b.published, published),
            "{who} published = {published:?} outside {:?}\n{}",
            b.published,
            why()
        );
        let grade = &b.grades[annual.grade];
        prop_assert!(
            !grade.by.is_empty(),
            "{who} got `{}`, which the bounds call unreachable\n{}",
            grade.name,
            why()
        );
    }
    Ok(())
}

/// A small policy from choices: caps of each period and shared, `zero`, bases read from records,
/// alternatives by `for`, amounts from tables and functions, `from total`, `highest per` with a
/// guard, `score N`, `grade at most` and `demote to`, `exclude`, a quota, a card a month or a year and three
/// annual formulas.
#[derive(Clone, Debug)]
struct Shape {
    budgets: (u32, u32),
    late: u32,
    late_cap: Option<(u32, &'static str)>,
    zero_after: Option<u32>,
    hours_rate: u32,
    hours_cap: Option<u32>,
    base_rate: u32,
    levels: (u32, u32),
    fault_from_total: bool,
    fault_cap: Option<(u32, &'static str)>,
    shared: (u32, &'static str),
    dept_bonus: u32,
    steps: u32,
    score: Option<u32>,
    capped_grade: bool,
    quota: bool,
    card: u8,
    grades: (u32, u32),
}

fn period() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(""), Just(" in quarter"), Just(" in year")]
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        (1u32..60, 1u32..60),
        1u32..30,
        proptest::option::of((1u32..40, period())),
        proptest::option::of(0u32..4),
        (1u32..10, proptest::option::of(1u32..30), 0u32..5),
        (
            (0u32..30, 0u32..80),
            any::<bool>(),
            proptest::option::of((1u32..50, period())),
        ),
        ((1u32..40, period()), 1u32..20, 1u32..10),
        (
            proptest::option::of(0u32..50),
            any::<bool>(),
            any::<bool>(),
            0u8..5,
            (0u32..150, 0u32..150),
        ),
    )
        .prop_map(
            |(
                budgets,
                late,
                late_cap,
                zero_after,
                (hours_rate, hours_cap, base_rate),
                (levels, fault_from_total, fault_cap),
                (shared, dept_bonus, steps),
                (score, capped_grade, quota, card, grades),
            )| Shape {
                budgets,
                late,
                late_cap,
                zero_after,
                hours_rate,
                hours_cap,
                base_rate,
                levels,
                fault_from_total,
                fault_cap,
                shared,
                dept_bonus,
                steps,
                score,
                capped_grade,
                quota,
                card,
                grades,
            },
        )
}

fn policy_text(s: &Shape) -> String {
    let (a, b) = s.budgets;
    let total = a + b;
    let header = match s.card {
        0 => "annual = sum(months) / 12".to_string(),
        1 => "annual = (sum(months) - min(months)) / 11".to_string(),
        2 => "card year".to_string(),
        3 => "card quarter\nannual = mean(quarters)".to_string(),
        _ => "card quarter\nannual = (sum(quarters) - min(quarters)) / 3".to_string(),
    };
    let cap = |c: &Option<(u32, &str)>| c.map_or(String::new(), |(n, p)| format!(" cap {n}{p}"));
    let zero = s.zero_after.map_or(String::new(), |k| {
        format!("    [2] when count(fault) in year > {k}: zero\n")
    });
    let hours_cap = s.hours_cap.map_or(String::new(), |n| format!(" cap {n}"));
    let from_total = if s.fault_from_total {
        " from total"
    } else {
        ""
    };
    let (hi, lo) = (s.grades.0.max(s.grades.1), s.grades.0.min(s.grades.1));
    let hi = if hi == lo { hi + 1 } else { hi };
    let quota = if s.quota { " top 20%" } else { "" };
    let score = s.score.map_or(String::new(), |n| {
        format!("  [9] per fault where level = high and sev >= 2: score {n}\n")
    });
    let capped = if s.capped_grade {
        "  [10] per fault where level = low and sev = 3: grade at most B\n  [14] per fault where level = low and sev = 2: demote to B\n"
    } else {
        ""
    };
    format!(
        r#"policy "生成" year 2020 total {total}
{header}

roster {{
  role: a | b
}}

record late "迟到" by person
record hours "时长" by person {{ hours: hours 0..{hmax} }}
record fault "失信" by person {{ level: low | high, sev: whole number 1..3 }}
record rating "评议" by person {{ score: number 0..100 }}
record bonus "加分" by person {{ points: points 0..20, cause: text }}
record dept "部门表彰" by department

cap shared "共享" {shared}{shared_period}

section s "s" {total} {{
  item first "first" {a} {{
    [1] per late -{late}{late_cap}
{zero}    [3] per hours.hours +{rate}{hours_cap}
    [11] per bonus +points highest per cause when count(late) in year = 0
  }}
  item second "second" {b} for role in {{a}} {{
    [4] base {b} * mean(rating.score) in year / 100 - {base_rate} * count(late) in year
    [5] per fault -level {{ low: {l1}, high: {l2} }}{from_total}{fault_cap}
  }}
  item third "third" {b} for role in {{b}} {{
    [6] per fault -min(sev * {l1}, {l2}){from_total}
  }}
}}

adjustments adj "adj" {{
  [7] per bonus +points cap shared
  [7] per dept +{dept} cap shared
  [8] when sum(hours.hours) in year >= 1: +{rate} * min(floor(sum(hours.hours) in year / {steps}), 5)
  [13] when sum(hours.hours) in year < {floor_hours}: -{rate} * ({floor_hours} - sum(hours.hours) in year)
{score}{capped}  [12] per fault where level = high and sev = 1: exclude "不参加评价"
}}

grades {{
  A >= {hi}{quota}
  B >= {lo}
  C
}}
"#,
        hmax = 10,
        shared = s.shared.0,
        shared_period = s.shared.1,
        late = s.late,
        late_cap = cap(&s.late_cap),
        rate = s.hours_rate,
        base_rate = s.base_rate,
        l1 = s.levels.0,
        l2 = s.levels.1,
        fault_cap = cap(&s.fault_cap),
        dept = s.dept_bonus,
        steps = s.steps,
        floor_hours = s.steps * 3,
    )
}

/// A ledger beside a small policy's points: a section booked in it (its rule with a cap or
/// not), and values derived from the card's total, the ledger and each other by every function.
#[derive(Clone, Debug)]
struct LedgerShape {
    bonus: u32,
    per: u32,
    cap: Option<u32>,
    pay: u32,
    threshold: u32,
    rate: u32,
    formula: u8,
}

fn ledger_shape() -> impl Strategy<Value = LedgerShape> {
    (
        1u32..400,
        1u32..20,
        proptest::option::of(1u32..50),
        0u32..5000,
        0u32..150,
        1u32..10,
        0u8..5,
    )
        .prop_map(
            |(bonus, per, cap, pay, threshold, rate, formula)| LedgerShape {
                bonus,
                per,
                cap,
                pay,
                threshold,
                rate,
                formula,
            },
        )
}

fn ledger_policy_text(s: &Shape, l: &LedgerShape) -> String {
    let text = policy_text(s);
    let cap = l.cap.map_or(String::new(), |n| format!(" cap {n}"));
    let extra = match l.formula {
        0 => "floor(money(total) / 3)".to_string(),
        1 => "round(money(total) * 0.37, 1) - pay".to_string(),
        2 => format!("min(money, pay) + ceil(money(total) / {})", l.rate),
        3 => format!("-(money(total) - {}) * 2 + money", l.threshold),
        _ => "max(money(total), money, pay / 4) - min(0, money(-total))".to_string(),
    };
    let section = format!(
        "section bonus \"全勤奖\" {b} in money {{\n  item full \"全勤奖\" {b} {{\n    [20] per late -{per}{cap}\n  }}\n}}\n\nderive pay \"绩效\" in money = max(0, {pay} - {rate} * money(max(0, {t} - total)))\nderive extra \"其他\" in money = {extra}\n\ngrades {{",
        b = l.bonus,
        per = l.per,
        pay = l.pay,
        rate = l.rate,
        t = l.threshold,
    );
    text.replacen("\nroster {", "ledger money \"元\"\n\nroster {", 1)
        .replacen("grades {", &section, 1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn ledger_fixture_results_lie_within_the_bounds(
        people in proptest::collection::vec(any::<u32>(), PEOPLE),
        seeds in seeds(80),
    ) {
        within_bounds(LEDGERS, &people, &seeds)?;
    }

    #[test]
    fn small_ledger_policies_results_lie_within_their_bounds(
        shape in shape(),
        ledger in ledger_shape(),
        people in proptest::collection::vec(any::<u32>(), PEOPLE),
        seeds in seeds(40),
    ) {
        let text = ledger_policy_text(&shape, &ledger);
        let compiled = tally::compile::compile("p.policy", text.as_bytes());
        prop_assert!(
            compiled.policy.is_some(),
            "{text}\n{:?}",
            compiled.diags.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
        within_bounds(&text, &people, &seeds)?;
    }

    #[test]
    fn dashuipo_results_lie_within_the_bounds(
        people in proptest::collection::vec(any::<u32>(), PEOPLE),
        seeds in seeds(60),
    ) {
        within_bounds(DASHUIPO, &people, &seeds)?;
    }

    #[test]
    fn wendeng_results_lie_within_the_bounds(
        people in proptest::collection::vec(any::<u32>(), PEOPLE),
        seeds in seeds(80),
    ) {
        within_bounds(WENDENG, &people, &seeds)?;
    }

    #[test]
    fn credit_balance_results_lie_within_the_bounds(
        people in proptest::collection::vec(any::<u32>(), PEOPLE),
        seeds in seeds(80),
    ) {
        within_bounds(CREDIT, &people, &seeds)?;
    }

    #[test]
    fn small_policies_results_lie_within_their_bounds(
        shape in shape(),
        people in proptest::collection::vec(any::<u32>(), PEOPLE),
        seeds in seeds(40),
    ) {
        let text = policy_text(&shape);
        let compiled = tally::compile::compile("p.policy", text.as_bytes());
        prop_assert!(
            compiled.policy.is_some(),
            "{text}\n{:?}",
            compiled.diags.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
        within_bounds(&text, &people, &seeds)?;
    }
}

/// The generator makes records every policy reads, and the runs evaluate: a generator whose
/// records were all refused would check nothing.
#[test]
fn generated_records_are_evaluated() {
    let seeds: Vec<Seed> = (0..40u32)
        .map(|i| Seed {
            kind: i,
            month: (i % 12) as u8 + 1,
            day: (i % 28) as u8 + 1,
            subject: i * 7,
            fields: vec![i, i * 3, i * 5, i * 11],
        })
        .collect();
    let people: Vec<u32> = (0..PEOPLE as u32).collect();
    for text in [DASHUIPO, WENDENG, CREDIT] {
        let policy = common::policy(text);
        let run = common::try_run(text, &roster(&policy, &people), &records(&policy, &seeds));
        assert!(run.is_ok(), "{}", run.err().unwrap_or_default());
    }
}
