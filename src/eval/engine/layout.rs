//! Where each running sum lives: the slots of a (subject, month) cell, and which of them a
//! record of each kind touches.

use super::*;

/// Where each running sum lives within a (subject, month) cell.
pub(super) struct Slots {
    pub(super) stride: usize,
    pub(super) capped_slot: Vec<Option<usize>>,
    pub(super) value_slot: Vec<Option<usize>>,
    pub(super) count_slot: Vec<Option<usize>>,
    /// Per aggregate `min` or `max`: its place among the (subject, month)'s extremes, which are
    /// kept apart as decimals (a record's value, whatever its places, not a sum).
    pub(super) extreme_slot: Vec<Option<usize>>,
    pub(super) extremes: usize,
}

/// Slots, in order: items, outside, capped rules, aggregates.
pub(super) fn slots(policy: &Policy, rules: &[RuleRef<'_>], items: usize) -> Slots {
    let mut stride = items + 1;
    let mut slot = || {
        stride += 1;
        Some(stride - 1)
    };
    let capped_slot: Vec<Option<usize>> = rules
        .iter()
        .map(|rr| match &rr.rule.body {
            // Capped and guarded rules sum their points apart: the card decides what counts.
            RuleBody::Per { cap: Some(_), .. } | RuleBody::Per { guard: Some(_), .. } => slot(),
            _ => None,
        })
        .collect();
    let mut value_slot = Vec::new();
    let mut count_slot = Vec::new();
    let mut extreme_slot = Vec::new();
    let mut extremes = 0;
    for a in &policy.aggregates {
        let (value, count, extreme) = match a.func {
            None => (false, false, false),
            Some(AggFn::Count) => (false, true, false),
            Some(AggFn::Sum) => (true, false, false),
            Some(AggFn::Mean) => (true, true, false),
            Some(AggFn::Min | AggFn::Max) => (false, true, true),
        };
        value_slot.push(if value { slot() } else { None });
        count_slot.push(if count { slot() } else { None });
        extreme_slot.push(extreme.then(|| {
            extremes += 1;
            extremes - 1
        }));
    }
    Slots {
        stride,
        capped_slot,
        value_slot,
        count_slot,
        extreme_slot,
        extremes,
    }
}

/// The bytes of running sums one engine keeps for this policy and roster.
pub fn accumulator_bytes(policy: &Policy, roster: &Roster) -> usize {
    let (rules, items) = flat_rules(policy);
    let subjects = roster.people.len() + roster.departments.len() + 1;
    let slots = slots(policy, &rules, items.len());
    subjects
        * MONTHS
        * (slots.stride * std::mem::size_of::<i64>()
            + slots.extremes * std::mem::size_of::<Decimal>())
}

/// Per record kind, the slots its aggregates and per-event rules add to, one per cache line
/// (slots are 8 bytes, eight to a line) and in order.
pub(super) fn touched_slots(
    by_kind: &[Vec<usize>],
    aggs_by_kind: &[Vec<AggId>],
    rules: &[RuleRef<'_>],
    capped_slot: &[Option<usize>],
    value_slot: &[Option<usize>],
    count_slot: &[Option<usize>],
    items: usize,
) -> Vec<Vec<usize>> {
    by_kind
        .iter()
        .zip(aggs_by_kind)
        .map(|(rs, aggs)| {
            let mut slots: Vec<usize> = aggs
                .iter()
                .flat_map(|&a| [value_slot[a], count_slot[a]])
                .flatten()
                .collect();
            for &r in rs {
                slots.push(match (capped_slot[r], rules[r].home) {
                    (Some(c), _) => c,
                    (None, Home::Item(i)) => i,
                    (None, Home::Adjustments) => items,
                });
            }
            slots.sort_unstable();
            slots.dedup_by_key(|s| *s / 8);
            slots
        })
        .collect()
}
