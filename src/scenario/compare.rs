//! Expectations against results: each expectation line checked against the policy and the roster
//! (people, items, grades, the year), then compared, value by value, with what the policy gives.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::exact::Exact;

use super::accept::{Actual, LineResult};
use super::flags::{flag_set, flags_text};
use super::inputs::Prepared;
use super::{Check, ExpectLine, Expected, PeriodSpec, Tok};
use crate::check::Policy;
use crate::diag::{Code, Diag, did_you_mean, list_names};
use crate::eval::outcome::{MonthResult, Outcome, PersonResult};
use crate::report::period_label;
use crate::syntax::ast::Span;

/// One expected value that the policy does not give.
#[derive(Clone, Debug)]
pub struct Failure {
    /// The expectation's line in the scenario.
    pub line: usize,
    pub person: String,
    pub name: String,
    /// `2020-03` or `2020`.
    pub period: String,
    /// The month (1..=12), or `None` for the year.
    pub month: Option<u8>,
    /// `total`, `grade`, `flags`, `final` or `item attendance`.
    pub key: String,
    pub expected: String,
    pub actual: String,
    /// Actual minus expected, for numbers.
    pub delta: Option<Exact>,
}

/// An expectation line checked against the policy and roster.
pub struct Resolved<'a> {
    pub line: &'a ExpectLine,
    pub person: usize,
    /// Per check: what it expects, resolved.
    pub checks: Vec<Slot>,
}

pub enum Slot {
    /// The year is not evaluated (`total excluded`, `grade excluded`).
    Excluded,
    Total(Decimal),
    Grade(usize),
    Flags(Vec<String>),
    /// A flat item index and the expected score.
    Item(usize, Option<Decimal>),
    Final(bool),
    /// A ledger's index and the expected value (§30).
    Ledger(usize, Decimal),
}

/// Every expectation line with its person, period and checks found in the roster and the policy;
/// `Err` with every problem found.
pub fn resolve<'a>(
    policy: &Policy,
    prepared: &Prepared,
    lines: &'a [ExpectLine],
) -> Result<Vec<Resolved<'a>>, Vec<Diag>> {
    let roster = &prepared.roster;
    let items: Vec<&crate::check::model::Item> =
        policy.sections.iter().flat_map(|s| &s.items).collect();
    let mut diags = Vec::new();
    let mut out = Vec::new();
    // (person, month or 0 for the year, slot) → the check's span, for duplicates.
    let mut seen: HashMap<(usize, u8, String), Span> = HashMap::new();
    for line in lines {
        let who = &line.person;
        let Some(person) = roster.people.iter().position(|p| p.id == who.text) else {
            diags.push(unknown_person(roster, who));
            continue;
        };
        let period = line.period.node;
        if period.year() != policy.year {
            diags.push(outside_year(policy, line));
            continue;
        }
        let is_year = matches!(period, PeriodSpec::Year(_));
        if let Some(d) = wrong_period_kind(policy, line) {
            diags.push(d);
            continue;
        }
        let mut checks = Vec::new();
        let mut ok = true;
        for check in &line.checks {
            let slot = match slot(policy, &items, line, check, is_year) {
                Ok(slot) => slot,
                Err(d) => {
                    diags.push(*d);
                    ok = false;
                    continue;
                }
            };
            let months: Vec<u8> = if is_year { vec![0] } else { period.months() };
            for m in months {
                let key = (person, m, check.what.slot());
                let span = check.key.span.to(check.value);
                if let Some(first) = seen.get(&key) {
                    diags.push(expected_twice(policy, check, &who.text, m, span, *first));
                    ok = false;
                    break;
                }
                seen.insert(key, span);
            }
            checks.push(slot);
        }
        if ok {
            out.push(Resolved {
                line,
                person,
                checks,
            });
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// An expectation of a person the roster does not have.
fn unknown_person(roster: &crate::eval::Roster, who: &Tok) -> Diag {
    let help = roster.unknown_person_help(&who.text, crate::tr!("the id is", "编号是"));
    Diag::error(
        Code::ScenarioUnknownName,
        who.span,
        crate::tr!(
            format!("no person `{}` in the roster", who.text),
            format!("花名册里没有 `{}` 这个人", who.text)
        ),
    )
    .label(crate::tr!(
        "not in the scenario's roster",
        "不在这个场景的花名册里"
    ))
    .help_opt(help)
}

/// An expectation of a period outside the policy year.
fn outside_year(policy: &Policy, line: &ExpectLine) -> Diag {
    Diag::error(
        Code::ScenarioBadValue,
        line.period.span,
        crate::tr!(
            format!("`{}` is outside the policy year", line.period.node.text()),
            format!("`{}` 不在政策文件的年度内", line.period.node.text())
        ),
    )
    .label(crate::tr!(
        format!("the policy is for {}", policy.year),
        format!("政策文件考核的是 {} 年", policy.year)
    ))
    .help(if quarterly(policy) {
        let year = policy.year;
        crate::tr!(
            format!("write `{year}` for the year or `{year}-Q1` for a quarter"),
            format!("全年写 `{year}`，季度写成 `{year}-Q1` 这样")
        )
    } else {
        crate::tr!(
            format!(
                "write `{}` for the year or `{}-03` for a month",
                policy.year, policy.year
            ),
            format!(
                "全年写 `{}`，单月写成 `{}-03` 这样",
                policy.year, policy.year
            )
        )
    })
}

/// A value expected a second time for one person and period.
fn expected_twice(
    policy: &Policy,
    check: &Check,
    who: &str,
    m: u8,
    span: Span,
    first: Span,
) -> Diag {
    Diag::error(
        Code::ScenarioDuplicate,
        span,
        crate::tr!(
            format!(
                "`{}` is expected twice for `{}` in {}",
                check.what.slot(),
                who,
                unit_label(policy, m)
            ),
            format!(
                "`{}` 对 `{}` 在 {} 的预期写了两次",
                check.what.slot(),
                who,
                unit_label(policy, m)
            )
        ),
    )
    .label(crate::tr!("again here", "这里又写了一次"))
    .also(first, crate::tr!("first here", "第一次在这里"))
    .help(crate::tr!(
        "keep one expectation per person, period and value",
        "同一个人、同一时段、同一项只留一条预期"
    ))
}

/// What one expectation checks, its names found in the policy; a grade or an item the policy does
/// not have, or a year's value on a month's line, is a problem.
// Long on purpose: one arm per kind of expectation, each with its problem; a table, read down.
fn slot(
    policy: &Policy,
    items: &[&crate::check::model::Item],
    line: &ExpectLine,
    check: &super::Check,
    is_year: bool,
) -> Result<Slot, Box<Diag>> {
    let who = &line.person;
    Ok(match &check.what {
        Expected::Total(d) => Slot::Total(*d),
        Expected::Excluded(_) if !is_year => {
            return Err(Box::new(per_period(
                check.key.span,
                line,
                crate::tr!(
                    "a person is excluded for the year",
                    "不参加考核是按全年算的"
                ),
                crate::tr!(
                    format!(
                        "put it on the year's line: `{} {} total excluded`",
                        who.text, policy.year
                    ),
                    format!(
                        "写在全年那一行：`{} {} total excluded`",
                        who.text, policy.year
                    )
                ),
            )));
        }
        Expected::Excluded(_) => Slot::Excluded,
        Expected::Flags(f) => Slot::Flags(f.clone()),
        Expected::Final(b) => Slot::Final(*b),
        Expected::Grade(g) if !is_year => {
            return Err(Box::new(per_period(
                check.key.span,
                line,
                crate::tr!("a grade is given for the year", "等次是按全年评的"),
                crate::tr!(
                    format!(
                        "put it on the year's line: `{} {} grade {}`",
                        who.text, policy.year, g.text
                    ),
                    format!(
                        "写在全年那一行：`{} {} grade {}`",
                        who.text, policy.year, g.text
                    )
                ),
            )));
        }
        Expected::Grade(g) => match policy.grades.iter().position(|x| x.name == g.text) {
            Some(i) => Slot::Grade(i),
            None => return Err(Box::new(unknown_grade(policy, g))),
        },
        Expected::Item { item, .. } if is_year && quarterly(policy) => {
            return Err(Box::new(per_period(
                check.key.span,
                line,
                crate::tr!("items are scored per quarter", "项目是按季度计分的"),
                crate::tr!(
                    format!(
                        "give a quarter or quarters: `{} {}-Q1 item {} …`",
                        who.text, policy.year, item.text
                    ),
                    format!(
                        "写一个季度或几个季度：`{} {}-Q1 item {} …`",
                        who.text, policy.year, item.text
                    )
                ),
            )));
        }
        Expected::Item { item, .. } if is_year && policy.card != crate::ops::Period::Year => {
            return Err(Box::new(per_period(
                check.key.span,
                line,
                crate::tr!("items are scored per month", "项目是按月计分的"),
                crate::tr!(
                    format!(
                        "give a month or months: `{} {}-03 item {} …`",
                        who.text, policy.year, item.text
                    ),
                    format!(
                        "写一个月或几个月：`{} {}-03 item {} …`",
                        who.text, policy.year, item.text
                    )
                ),
            )));
        }
        Expected::Ledger { ledger, value } => {
            match policy.ledgers.iter().position(|l| l.id == ledger.text) {
                Some(l) => Slot::Ledger(l, *value),
                None => return Err(Box::new(super::ledger::unknown_ledger(policy, ledger))),
            }
        }
        Expected::Item { item, score } => {
            match items
                .iter()
                .position(|i| i.id == item.text || i.label == item.text)
            {
                Some(flat) => Slot::Item(flat, *score),
                None => return Err(Box::new(unknown_item(items, item))),
            }
        }
    })
}

/// An expected grade the policy does not have.
fn unknown_grade(policy: &Policy, g: &Tok) -> Diag {
    let names: Vec<&str> = policy.grades.iter().map(|x| x.name.as_str()).collect();
    Diag::error(
        Code::ScenarioUnknownName,
        g.span,
        crate::tr!(
            format!("unknown grade `{}`", g.text),
            format!("没有 `{}` 这个等次", g.text)
        ),
    )
    .label(crate::tr!(
        "the policy has no such grade",
        "政策文件里没有这个等次"
    ))
    .help(
        did_you_mean(&g.text, names.iter().copied()).unwrap_or_else(|| {
            crate::tr!(
                format!("the grades are {}", list_names(&names)),
                format!("等次有 {}", list_names(&names))
            )
        }),
    )
}

/// An expected item the policy does not have.
fn unknown_item(items: &[&crate::check::model::Item], item: &Tok) -> Diag {
    let names = items.iter().flat_map(|i| [i.id.as_str(), i.label.as_str()]);
    Diag::error(
        Code::ScenarioUnknownName,
        item.span,
        crate::tr!(
            format!("unknown item `{}`", item.text),
            format!("没有 `{}` 这个项目", item.text)
        ),
    )
    .label(crate::tr!(
        "the policy has no such item",
        "政策文件里没有这个项目"
    ))
    .help(did_you_mean(&item.text, names).unwrap_or_else(|| {
        crate::tr!(
            "name an item by its id, as `tally explain` shows it",
            "照 `tally explain` 显示的那样，用项目的名称来写"
        )
        .to_string()
    }))
}

fn per_period(span: Span, line: &ExpectLine, message: &str, help: String) -> Diag {
    Diag::error(Code::ScenarioBadValue, span, message)
        .label(crate::tr!("not for this period", "不是这个时段的"))
        .also(line.period.span, crate::tr!("this period", "这个时段"))
        .help(help)
}

pub fn unit_label(policy: &Policy, month: u8) -> String {
    if month == 0 {
        policy.year.to_string()
    } else {
        period_label(policy, month)
    }
}

/// The scenario's units of an expectation: the year (0), or each month of the period.
fn units(period: PeriodSpec) -> Vec<u8> {
    match period {
        PeriodSpec::Year(_) => vec![0],
        PeriodSpec::Months { .. } | PeriodSpec::Quarters { .. } => period.months(),
    }
}

/// What the policy gave for one check in one unit: shown value, whether it matches, the delta.
fn actual(
    policy: &Policy,
    p: &PersonResult,
    month: u8,
    slot: &Slot,
) -> (String, bool, Option<Exact>) {
    let card = if quarterly(policy) {
        usize::from(month / 3)
    } else {
        usize::from(month)
    };
    let m = (month > 0).then(|| p.months.get(card - 1)).flatten();
    if month > 0 && m.is_none() {
        // A policy with one card a year has no monthly results to compare.
        return (
            crate::tr!(
                "no monthly card (`card year`)",
                "没有月度考核卡（`card year`）"
            )
            .to_string(),
            false,
            None,
        );
    }
    match slot {
        Slot::Total(_) | Slot::Grade(_) if m.is_none() && p.annual.excluded.is_some() => {
            ("excluded".to_string(), false, None)
        }
        Slot::Excluded => match &p.annual.excluded {
            Some(_) => ("excluded".to_string(), true, None),
            None => (p.annual.published.normalize().to_string(), false, None),
        },
        Slot::Total(expected) => total(policy, p, m, *expected),
        Slot::Grade(g) => {
            let name = policy
                .grades
                .get(p.annual.grade)
                .map_or_else(String::new, |x| x.name.clone());
            (name, p.annual.grade == *g, None)
        }
        Slot::Flags(expected) => {
            let flags = m.map_or(&p.annual.flags, |m| &m.flags);
            let set = flag_set(flags.iter().map(String::as_str));
            (flags_text(flags), set == *expected, None)
        }
        Slot::Item(flat, expected) => {
            // The year's line of a policy with one card a year reads that card's items.
            let card = m.or(p.year_card.as_deref());
            let got = card.and_then(|m| m.items.get(*flat));
            let text = got.map_or_else(|| "none".to_string(), |d| d.display_places(0));
            let expected = expected.map(Exact::from_decimal);
            let delta = match (got, expected) {
                (Some(a), Some(e)) => a.checked_sub(e),
                _ => None,
            };
            (text, got == expected, delta)
        }
        Slot::Ledger(l, expected) => super::ledger::actual(policy, p, m, *l, *expected),
        Slot::Final(expected) => {
            let got = m.map_or(p.annual.is_final, |m| m.is_final);
            (
                (if got { "yes" } else { "no" }).to_string(),
                got == *expected,
                None,
            )
        }
    }
}

/// A total compared: the published one, or the exact one when the expectation has more decimals
/// than the policy publishes.
fn total(
    policy: &Policy,
    p: &PersonResult,
    m: Option<&MonthResult>,
    expected: Decimal,
) -> (String, bool, Option<Exact>) {
    let (exact, published) = match m {
        Some(m) => (m.total.get(), m.published),
        None => (p.annual.total, p.annual.published),
    };
    // An expectation with more decimals than the policy publishes is of the exact value.
    let value = if expected.scale() > policy.round_places {
        exact
    } else {
        Exact::from_decimal(published)
    };
    let expected = Exact::from_decimal(expected);
    (
        value.display_places(0),
        value == expected,
        value.checked_sub(expected),
    )
}

/// One expectation line compared: what the policy gives for each of its values in each month (or
/// the year) it covers, and what failed. `checks` counts the values compared.
pub fn compare<'a>(
    policy: &Policy,
    prepared: &Prepared,
    outcome: &Outcome,
    r: &Resolved<'a>,
    checks: &mut usize,
    failures: &mut Vec<Failure>,
) -> LineResult<'a> {
    let person = &prepared.roster.people[r.person];
    let result = &outcome.people[r.person];
    let mut lr = LineResult {
        line: r.line,
        units: Vec::new(),
    };
    for month in units(r.line.period.node) {
        let mut actuals = Vec::new();
        for (check, slot) in r.line.checks.iter().zip(&r.checks) {
            let (text, ok, delta) = actual(policy, result, month, slot);
            *checks += 1;
            if !ok {
                failures.push(Failure {
                    line: r.line.line,
                    person: person.id.clone(),
                    name: person.name.clone(),
                    period: unit_label(policy, month),
                    month: (month > 0).then_some(month),
                    key: check.what.slot(),
                    expected: expected_text(&check.what),
                    actual: text.clone(),
                    delta,
                });
            }
            actuals.push(Actual { text, ok });
        }
        let spec = if month == 0 {
            PeriodSpec::Year(policy.year)
        } else if quarterly(policy) {
            PeriodSpec::Quarters {
                year: policy.year,
                from: month / 3,
                to: month / 3,
            }
        } else {
            PeriodSpec::Months {
                year: policy.year,
                from: month,
                to: month,
            }
        };
        lr.units.push((spec, actuals));
    }
    lr
}

fn expected_text(e: &Expected) -> String {
    match e {
        Expected::Total(d) => d.normalize().to_string(),
        Expected::Grade(g) => g.text.clone(),
        Expected::Flags(f) => flags_text(f),
        Expected::Item { score, .. } => {
            score.map_or_else(|| "none".into(), |d| d.normalize().to_string())
        }
        Expected::Final(b) => (if *b { "yes" } else { "no" }).into(),
        Expected::Excluded(_) => "excluded".into(),
        Expected::Ledger { value, .. } => value.normalize().to_string(),
    }
}

/// Whether the policy keeps quarterly cards (`card quarter`).
fn quarterly(policy: &Policy) -> bool {
    policy.card == crate::ops::Period::Quarter && !policy.balance
}

/// A month on quarterly cards, or a quarter on any other card.
fn wrong_period_kind(policy: &Policy, line: &ExpectLine) -> Option<Diag> {
    let year = policy.year;
    let text = line.period.node.text();
    let (message, help) = match (line.period.node, quarterly(policy)) {
        (PeriodSpec::Months { .. }, true) => (
            crate::tr!(
                format!(
                    "the policy keeps quarterly cards (`card quarter`), so there is no `{text}`"
                ),
                format!("这个政策文件按季度记分（`card quarter`），没有 `{text}` 这个时段")
            ),
            crate::tr!(
                format!("write a quarter, `{year}-Q1` to `{year}-Q4`, or `{year}` for the year"),
                format!("季度写 `{year}-Q1` 到 `{year}-Q4`，全年写 `{year}`")
            ),
        ),
        (PeriodSpec::Quarters { .. }, false) => (
            crate::tr!(
                format!("only a policy with quarterly cards (`card quarter`) has `{text}`"),
                format!("只有按季度记分（`card quarter`）的政策文件才有 `{text}` 这个时段")
            ),
            crate::tr!(
                format!("write `{year}` for the year or `{year}-03` for a month"),
                format!("全年写 `{year}`，单月写成 `{year}-03` 这样")
            ),
        ),
        _ => return None,
    };
    Some(
        Diag::error(Code::ScenarioBadValue, line.period.span, message)
            .label(crate::tr!(
                "not a period of this policy",
                "不是这个政策文件的时段"
            ))
            .help(help),
    )
}
