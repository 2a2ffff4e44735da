//! Ledgers beside the points (§30 of the reference): on each card, what the sections booked in a
//! ledger hold (their items' scores, clamped as every item is) plus the values derived from the
//! card's total; over the year, the sum of the cards (the money paid over the year).
//!
//! Worked out from a card's item scores and total after the card is made, so the engine and its
//! storage are the same with ledgers or without.

use num_traits::ToPrimitive;

use crate::check::model::{LedgerExpr, Policy};
use crate::codes::Code;
use crate::diag::Diag;
use crate::eval::outcome::{MonthResult, PersonResult, scoring_problem};
use crate::exact::Exact;
use crate::ops::{BinOp, Func};
use crate::syntax::ast::Rounding;

/// One card's ledgers.
#[derive(Clone, Debug, PartialEq)]
pub struct CardLedgers {
    /// Per ledger: what its sections hold on the card.
    pub booked: Vec<Exact>,
    /// Per derived value, in declaration order.
    pub derived: Vec<Exact>,
    /// Per ledger: booked plus derived; `None` past what tally can count.
    pub totals: Vec<Option<Exact>>,
}

/// A card's ledgers (`None` for a value past what tally can count).
pub fn card_ledgers(policy: &Policy, card: &MonthResult) -> CardLedgers {
    ledgers_of(policy, card.total.get(), |flat| card.items.get(flat))
}

/// The ledgers of a card with this exact points total and these item scores (by flat item,
/// sections' items in order; `None` where the item does not apply).
pub fn ledgers_of(
    policy: &Policy,
    total: Exact,
    item: impl Fn(usize) -> Option<Exact>,
) -> CardLedgers {
    let n = policy.ledgers.len();
    let mut booked = vec![Some(Exact::ZERO); n];
    let mut flat = 0;
    for section in &policy.sections {
        for _ in &section.items {
            if let (Some(l), Some(score)) = (section.ledger, item(flat)) {
                if let Some(slot) = booked.get_mut(l) {
                    *slot = slot.and_then(|b| b.checked_add(score));
                }
            }
            flat += 1;
        }
    }
    let mut derived: Vec<Option<Exact>> = Vec::with_capacity(policy.derives.len());
    for d in &policy.derives {
        let v = value(&d.formula, total, &booked, &derived);
        derived.push(v);
    }
    let mut totals = booked.clone();
    for (d, v) in policy.derives.iter().zip(&derived) {
        if let Some(slot) = totals.get_mut(d.ledger) {
            *slot = slot.zip(*v).and_then(|(a, b)| a.checked_add(b));
        }
    }
    CardLedgers {
        booked: booked.iter().map(|b| b.unwrap_or(Exact::ZERO)).collect(),
        derived: derived.iter().map(|d| d.unwrap_or(Exact::ZERO)).collect(),
        totals,
    }
}

/// A person's cards: the twelve months, the four quarters, or the one yearly card.
pub fn cards(result: &PersonResult) -> Vec<&MonthResult> {
    match &result.year_card {
        Some(card) => vec![card.as_ref()],
        None => result.months.iter().collect(),
    }
}

/// Per ledger, the sum of a person's cards over the year.
pub fn year_ledgers(policy: &Policy, result: &PersonResult) -> Vec<Option<Exact>> {
    let mut sums = vec![Some(Exact::ZERO); policy.ledgers.len()];
    for card in cards(result) {
        for (sum, v) in sums.iter_mut().zip(card_ledgers(policy, card).totals) {
            *sum = sum.zip(v).and_then(|(a, b)| a.checked_add(b));
        }
    }
    sums
}

fn value(
    e: &LedgerExpr,
    total: Exact,
    booked: &[Option<Exact>],
    derived: &[Option<Exact>],
) -> Option<Exact> {
    let v = |x: &LedgerExpr| value(x, total, booked, derived);
    match e {
        LedgerExpr::Number(n) => Some(*n),
        LedgerExpr::Total => Some(total),
        LedgerExpr::Booked(l) => booked.get(*l).copied().flatten(),
        LedgerExpr::Derived(d) => derived.get(*d).copied().flatten(),
        LedgerExpr::Neg(x) => v(x)?.checked_neg(),
        LedgerExpr::Binary(op, l, r) => {
            let (a, b) = (v(l)?, v(r)?);
            match op {
                BinOp::Add => a.checked_add(b),
                BinOp::Sub => a.checked_sub(b),
                BinOp::Mul => a.checked_mul(b),
                _ => a.checked_div(b),
            }
        }
        LedgerExpr::Call(func, args) => {
            let mut values = Vec::with_capacity(args.len());
            for a in args {
                values.push(v(a)?);
            }
            let first = *values.first()?;
            match func {
                Func::Min => values.into_iter().min(),
                Func::Max => values.into_iter().max(),
                Func::Floor => Some(first.floor()),
                Func::Ceil => Some(first.ceil()),
                Func::Round => {
                    let places = values.get(1).and_then(|p| p.to_decimal());
                    let places = places.and_then(|p| p.trunc().to_u32())?;
                    first.round_exact(places, Rounding::HalfUp)
                }
            }
        }
    }
}

/// An error for each card, and for the year, whose ledger value is past what tally can count
/// exactly: a derived value too large, or a sum of many. Like every overflow, it stops the
/// results from being published (a ledger's column is never left empty).
pub fn overflows(policy: &Policy, person: &str, result: &PersonResult, errors: &mut Vec<Diag>) {
    if policy.ledgers.is_empty() {
        return;
    }
    let mut periods: Vec<String> = Vec::new();
    for card in cards(result) {
        if card_ledgers(policy, card)
            .totals
            .iter()
            .any(Option::is_none)
        {
            periods.push(crate::report::card_label(policy, card.month));
        }
    }
    if periods.is_empty() && year_ledgers(policy, result).iter().any(Option::is_none) {
        periods.push(policy.year.to_string());
    }
    if let Some(period) = periods.first() {
        errors.push(scoring_problem(
            Code::ArithmeticOverflow,
            None,
            crate::tr!(
                format!(
                    "a ledger value of `{person}` in {period} needs more digits than tally can compute exactly"
                ),
                format!("`{person}` {period} 的分账值位数太多，tally 算不精确")
            ),
            Some(
                crate::tr!(
                    "look for a wrong factor in the `derive` formulas, or a wrong value in the records",
                    "查一查 `derive` 公式里有没有写错的系数，记录里有没有填错的值"
                )
                .into(),
            ),
        ));
    }
}
