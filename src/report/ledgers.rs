//! The ledgers' cells (§30): one per ledger on each card and on the year, rounded for
//! publication as the points are. Empty when the policy declares no ledger.

use super::score;
use crate::check::Policy;
use crate::eval::ledger::{card_ledgers, year_ledgers};
use crate::eval::outcome::{MonthResult, PersonResult};
use crate::exact::Exact;

/// A value as published (an empty cell past what tally can count).
pub fn shown(policy: &Policy, value: Option<Exact>) -> String {
    let places = policy.round_places;
    value
        .and_then(|v| v.round(places, policy.rounding))
        .map(|d| score(d, places))
        .unwrap_or_default()
}

/// A value rounded for publication (`None` past what tally can count).
fn published(policy: &Policy, value: Option<Exact>) -> Option<rust_decimal::Decimal> {
    value.and_then(|v| v.round(policy.round_places, policy.rounding))
}

/// Per ledger, a card's published value; empty without ledgers.
pub fn card_values(policy: &Policy, card: &MonthResult) -> Vec<Option<rust_decimal::Decimal>> {
    if policy.ledgers.is_empty() {
        return Vec::new();
    }
    let values = card_ledgers(policy, card).totals;
    values.into_iter().map(|v| published(policy, v)).collect()
}

/// Per ledger, the year's published value (the sum of the cards); empty without ledgers.
pub fn year_values(policy: &Policy, person: &PersonResult) -> Vec<Option<rust_decimal::Decimal>> {
    if policy.ledgers.is_empty() {
        return Vec::new();
    }
    // Not evaluated this year (`exclude`): no year's result, in points or in a ledger.
    if person.annual.excluded.is_some() {
        return vec![None; policy.ledgers.len()];
    }
    let values = year_ledgers(policy, person);
    values.into_iter().map(|v| published(policy, v)).collect()
}

/// The header with a column per ledger inserted at `at` (after the total).
pub fn header<'a>(policy: &'a Policy, header: &[&'a str], at: usize) -> Vec<&'a str> {
    let mut out = header.to_vec();
    let ids = policy.ledgers.iter().map(|l| l.id.as_str());
    out.splice(at..at, ids);
    out
}

/// One cell per ledger for a card.
pub fn card_cells(policy: &Policy, card: &MonthResult) -> Vec<String> {
    if policy.ledgers.is_empty() {
        return Vec::new();
    }
    let values = card_ledgers(policy, card).totals;
    values.into_iter().map(|v| shown(policy, v)).collect()
}

/// One cell per ledger for the year: the sum of the person's cards.
pub fn year_cells(policy: &Policy, person: &PersonResult) -> Vec<String> {
    if policy.ledgers.is_empty() {
        return Vec::new();
    }
    if person.annual.excluded.is_some() {
        return vec![String::new(); policy.ledgers.len()];
    }
    let values = year_ledgers(policy, person);
    values.into_iter().map(|v| shown(policy, v)).collect()
}

/// The ledgers' names and cells, for the JSON form; `None` without ledgers.
pub fn named(
    policy: &Policy,
    cells: Vec<String>,
) -> Option<std::collections::BTreeMap<String, String>> {
    if policy.ledgers.is_empty() {
        return None;
    }
    Some(
        policy
            .ledgers
            .iter()
            .map(|l| l.id.clone())
            .zip(cells)
            .collect(),
    )
}
