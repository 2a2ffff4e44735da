//! Coverage in the rule editor's terms: which rules and bases of the policy no scenario exercised,
//! each named by its line in the policy and its text with the clause it cites.

use crate::check::Policy;
use crate::diag::Source;
use crate::eval::Coverage;
use crate::eval::plan::flat_rules;

/// Adds what one scenario exercised to what the others did.
pub fn combine(into: &mut Coverage, other: &Coverage) {
    if into.rules.len() < other.rules.len() {
        into.rules.resize(other.rules.len(), false);
    }
    for (a, b) in into.rules.iter_mut().zip(&other.rules) {
        *a |= *b;
    }
    if into.bases.len() < other.bases.len() {
        into.bases.resize(other.bases.len(), Vec::new());
    }
    for (a, b) in into.bases.iter_mut().zip(&other.bases) {
        if a.len() < b.len() {
            a.resize(b.len(), false);
        }
        for (x, y) in a.iter_mut().zip(b) {
            *x |= *y;
        }
    }
}

/// A rule or base no scenario exercised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unexercised {
    /// 1-based line in the policy.
    pub line: usize,
    /// The rule's text, clause included.
    pub text: String,
}

/// How many rules and bases the policy has, and those not exercised, in the policy's order.
pub fn unexercised(
    policy: &Policy,
    source: &Source,
    coverage: &Coverage,
) -> (usize, Vec<Unexercised>) {
    let (rules, items) = flat_rules(policy);
    let mut all: Vec<(usize, String, bool)> = Vec::new();
    for (r, rr) in rules.iter().enumerate() {
        let hit = coverage.rules.get(r).copied().unwrap_or(false);
        all.push((rr.rule.span.start, rr.rule.text.clone(), hit));
    }
    for (flat, &(s, i)) in items.iter().enumerate() {
        let item = &policy.sections[s].items[i];
        for (b, base) in item.bases.iter().enumerate() {
            let hit = coverage
                .bases
                .get(flat)
                .and_then(|v| v.get(b))
                .copied()
                .unwrap_or(false);
            all.push((base.span.start, base.text.clone(), hit));
        }
    }
    all.sort_by_key(|(at, _, _)| *at);
    let total = all.len();
    let missed = all
        .into_iter()
        .filter(|(_, _, hit)| !hit)
        .map(|(at, text, _)| Unexercised {
            line: source.line_col(at).0,
            text,
        })
        .collect();
    (total, missed)
}
