//! The kinds of person the bounds tell apart: the combinations of the roster columns that the
//! `for` conditions read, so that items that are alternatives are never added together.

use super::*;

pub(super) type Combo = Vec<Option<Val>>;

/// Whether a `for` holds for a kind of person: `None` when it reads what the kind does not tell.
pub(super) fn applies(e: Option<&Expr>, combo: &Combo) -> Option<bool> {
    match e {
        None => Some(true),
        Some(e) => budget::holds(e, combo),
    }
}

/// The kinds of person: every combination of the enumeration and bool columns any `for` reads; or,
/// when those are too many, of the columns the items' and bases' `for` read (which decide whose
/// card has which item), the rules' `for` then taken as holding or not; or, past that, one kind of
/// whom no `for` is known. Looser bounds, sound still, in a time an editor can wait for on every
/// change.
pub(super) fn person_kinds(policy: &Policy) -> Vec<Combo> {
    let mut item_columns = Vec::new();
    for item in policy.sections.iter().flat_map(|s| &s.items) {
        let fors = item
            .applies
            .iter()
            .chain(item.bases.iter().filter_map(|b| b.applies.as_ref()));
        for e in fors {
            budget::columns_read(e, &mut item_columns);
        }
    }
    let mut columns = item_columns.clone();
    let rules = policy
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| &i.rules)
        .chain(policy.adjustments.iter().flat_map(|a| &a.rules));
    for e in rules.filter_map(|r| r.applies.as_ref()) {
        budget::columns_read(e, &mut columns);
    }
    let kinds = |columns: &[usize]| {
        budget::combinations_of(&policy.columns, columns).filter(|k| k.len() <= MAX_KINDS)
    };
    kinds(&columns)
        .or_else(|| kinds(&item_columns))
        .unwrap_or_else(|| vec![vec![None; policy.columns.len()]])
}

/// The most kinds of person the bounds tell apart.
const MAX_KINDS: usize = 256;
