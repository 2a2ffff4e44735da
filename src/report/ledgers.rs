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
