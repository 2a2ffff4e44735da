//! The JSON form: every person with every month's items, totals exact and published, the annual
//! result with its grade, cap and flags, and what is missing. Numbers are strings, so no reader
//! turns them into floats.

use serde::Serialize;

use std::collections::BTreeMap;

use super::{Period, ledgers, period_label, score};
use crate::check::Policy;
use crate::eval::Roster;
use crate::eval::outcome::Outcome;
use crate::exact::Exact;

#[derive(Serialize)]
struct Person<'a> {
    person: &'a str,
    name: &'a str,
    department: &'a str,
    months: Vec<Month<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annual: Option<Annual<'a>>,
    missing: &'a [String],
}

#[derive(Serialize)]
struct Month<'a> {
    period: String,
    total: String,
    exact: String,
    items: Vec<Item<'a>>,
    outside_items: String,
    flags: &'a [String],
    #[serde(rename = "final")]
    is_final: bool,
    /// Per ledger, the card's value (§30); left out without ledgers.
    #[serde(skip_serializing_if = "Option::is_none")]
    ledgers: Option<BTreeMap<String, String>>,
}

#[derive(Serialize)]
struct Item<'a> {
    item: &'a str,
    label: &'a str,
    score: String,
}

#[derive(Serialize)]
struct Annual<'a> {
    period: String,
    /// `null` for somebody not evaluated this year, as are `exact` and the grades.
    total: Option<String>,
    exact: Option<String>,
    grade: Option<&'a str>,
    grade_by_score: Option<&'a str>,
    /// Why the person is not evaluated this year (`exclude "…"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    excluded: Option<&'a str>,
    grade_cap: Option<&'a str>,
    flags: &'a [String],
    /// The person's place under each `rank` of the policy (absent when it declares none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ranks: Vec<Rank<'a>>,
    #[serde(rename = "final")]
    is_final: bool,
    /// Per ledger, the sum of the cards (§30); left out without ledgers.
    #[serde(skip_serializing_if = "Option::is_none")]
    ledgers: Option<BTreeMap<String, String>>,
}

/// A place under a rank: 1-based, equal results sharing one; the group's key (empty for
/// everybody), how many it ranks and its best published result.
#[derive(Serialize)]
struct Rank<'a> {
    rank: &'a str,
    group: &'a str,
    /// `null` when the person's value is missing.
    place: Option<usize>,
    of: usize,
    value: Option<String>,
    best: Option<String>,
}

pub fn json(policy: &Policy, roster: &Roster, outcome: &Outcome, period: Period) -> String {
    let places = policy.round_places;
    let items: Vec<(&str, &str)> = policy
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .map(|i| (i.id.as_str(), i.label.as_str()))
        .collect();
    let grade = |g: usize| policy.grades.get(g).map_or("", |g| g.name.as_str());
    let people: Vec<Person> = outcome
        .people
        .iter()
        .filter_map(|p| {
            let person = roster.people.get(p.person)?;
            let months = p
                .months
                .iter()
                .filter(|m| period.shows_month(m.month))
                .map(|m| Month {
                    period: period_label(policy, m.month),
                    total: score(m.published, places),
                    exact: m.total.get().plain(),
                    items: m
                        .items
                        .iter()
                        .zip(&items)
                        .filter_map(|(s, (id, label))| {
                            s.map(|s| Item {
                                item: id,
                                label,
                                score: s.plain(),
                            })
                        })
                        .collect(),
                    outside_items: m.outside.get().plain(),
                    flags: &m.flags,
                    is_final: m.is_final,
                    ledgers: ledgers::named(policy, ledgers::card_cells(policy, m)),
                })
                .collect();
            let annual = period.shows_year().then(|| Annual {
                period: outcome.year.to_string(),
                total: p.annual.shown_total().map(|t| score(t, places)),
                exact: p.annual.shown_total().map(|_| p.annual.total.plain()),
                grade: p.annual.shown_grade().map(grade),
                grade_by_score: p
                    .annual
                    .shown_grade()
                    .map(|_| grade(p.annual.grade_by_score)),
                excluded: p.annual.excluded.as_deref().map(|(r, _)| r.as_str()),
                grade_cap: p.annual.grade_cap.map(|(g, _)| grade(g)),
                flags: &p.annual.flags,
                ranks: p
                    .annual
                    .ranks
                    .iter()
                    .map(|n| {
                        let by_result = policy.ranks.get(n.rank).is_none_or(|r| r.by.is_none());
                        let shown = |v: Exact| match v.to_decimal() {
                            Some(d) if by_result => score(d, places),
                            _ => v.plain(),
                        };
                        Rank {
                            rank: policy.ranks.get(n.rank).map_or("", |r| r.id.as_str()),
                            group: &n.group,
                            place: n.place,
                            of: n.group_size,
                            value: n.value.map(shown),
                            best: n.best.map(shown),
                        }
                    })
                    .collect(),
                is_final: p.annual.is_final,
                ledgers: ledgers::named(policy, ledgers::year_cells(policy, p)),
            });
            Some(Person {
                person: &person.id,
                name: &person.name,
                department: roster
                    .departments
                    .get(person.department)
                    .map_or("", String::as_str),
                months,
                annual,
                missing: &p.missing,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&people).unwrap_or_default();
    out.push('\n');
    out
}
