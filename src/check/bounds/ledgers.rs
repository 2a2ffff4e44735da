//! The bounds of the ledgers (§30): what each value derived in a ledger and each ledger's value
//! can be on one card, and over the year (the sum of the cards), from the bounds of the card's
//! points total and of the sections booked in the ledger.
//!
//! Sound as the rest: a derived formula is evaluated over the intervals of what it reads (`total`
//! as the card's total can be, a ledger's name as its sections can sum to), each operation taking
//! the least and the most its inputs allow. The year adds the sections' own year (tighter than
//! twelve of their months) to the derived values of every card.

use rust_decimal::prelude::ToPrimitive;

use super::value::{Ext, pow10};
use super::*;
use crate::check::model::LedgerExpr;
use crate::ops::{BinOp, Func};

/// A ledger's bounds: each value derived in it, then its value (its sections plus its derived
/// values) on a card and over the year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerBounds {
    pub id: String,
    pub unit: String,
    /// The values derived in the ledger, in declaration order.
    pub derived: Vec<Row>,
    pub value: Scores,
}

/// A score's range on one card: a month's or a quarter's, or the year's card.
fn on_card(s: &Scores) -> Range {
    s.month.clone().unwrap_or_else(|| s.year.clone())
}

impl Analysis<'_> {
    /// Every ledger's bounds; its values are noted for the overflow claim.
    pub(super) fn ledgers(
        &mut self,
        sections: &[SectionBounds],
        total: &Scores,
    ) -> Vec<LedgerBounds> {
        let policy = self.policy;
        let count = policy.ledgers.len();
        if count == 0 {
            return Vec::new();
        }
        let card = policy.card;
        let n = card::periods(card);
        let (booked_card, booked_year) = booked(policy, sections);
        let rows = self.derived_rows(&on_card(total), &booked_card);
        let mut out = Vec::with_capacity(count);
        for (l, ledger) in policy.ledgers.iter().enumerate() {
            let mut on = booked_card.get(l).cloned().unwrap_or_else(Range::zero);
            let mut year = booked_year.get(l).cloned().unwrap_or_else(Range::zero);
            let mut derived_rows = Vec::new();
            for (_, row, range) in rows.iter().filter(|(x, ..)| *x == l) {
                on = on.add(range);
                year = year.add(&range.times(n));
                derived_rows.push(row.clone());
            }
            let value = Scores {
                month: (card != Period::Year).then(|| on.clone()),
                year: if card == Period::Year { on } else { year },
            };
            for r in value.month.iter().chain([&value.year]) {
                match first_open(&[&r.lo, &r.hi]) {
                    Some(w) => {
                        self.seen.open.get_or_insert(w);
                    }
                    None => self.seen.note(
                        &Iv {
                            den: Some(1),
                            ..r.to_iv()
                        },
                        crate::tr!("a ledger's value", "分账的值"),
                    ),
                }
            }
            out.push(LedgerBounds {
                id: ledger.id.clone(),
                unit: ledger.unit.clone(),
                derived: derived_rows,
                value,
            });
        }
        out
    }

    /// Each derived value's row (a card's range, and every card's over the year), with its
    /// ledger and its range on one card; each is noted for the overflow claim.
    fn derived_rows(
        &mut self,
        total_card: &Range,
        booked_card: &[Range],
    ) -> Vec<(usize, Row, Range)> {
        let policy = self.policy;
        let card = policy.card;
        let n = card::periods(card);
        // What the formulas read comes in the steps of what scoring adds up.
        let step = self.seen.step.or(Some(1));
        let iv = |r: &Range| Iv {
            den: step,
            ..r.to_iv()
        };
        let booked: Vec<Iv> = booked_card.iter().map(iv).collect();
        // Why a derived value is unbounded when what it reads is.
        let mut read: Vec<&End> = vec![&total_card.lo, &total_card.hi];
        read.extend(booked_card.iter().flat_map(|r| [&r.lo, &r.hi]));
        let inherited = first_open(&read);
        let mut values: Vec<Iv> = Vec::with_capacity(policy.derives.len());
        let mut rows: Vec<(usize, Row, Range)> = Vec::new();
        for d in &policy.derives {
            let v = derived(&d.formula, iv(total_card), &booked, &values);
            values.push(v);
            self.seen.note(
                &v,
                crate::tr!("a value derived in a ledger", "分账的派生值"),
            );
            let range = Range::of(v, |side| {
                inherited.clone().unwrap_or_else(|| {
                    crate::tr!(
                        format!("the formula of `{}` has no {side} bound", d.id),
                        format!("`{}` 的公式没有{}限", d.id, zh_side(side))
                    )
                })
            });
            let label = match policy.ledgers.get(d.ledger) {
                Some(l) => crate::tr!(
                    format!("{} (in {} {})", d.label, l.id, l.unit),
                    format!("{}（记入 {} {}）", d.label, l.id, l.unit)
                ),
                None => d.label.clone(),
            };
            let row = Row {
                id: d.id.clone(),
                label,
                scores: Scores {
                    month: (card != Period::Year).then(|| range.clone()),
                    year: range.times(n),
                },
                everybody: true,
            };
            rows.push((d.ledger, row, range));
        }
        rows
    }
}

/// Per ledger, what its sections can hold on one card and over the year.
fn booked(policy: &Policy, sections: &[SectionBounds]) -> (Vec<Range>, Vec<Range>) {
    let count = policy.ledgers.len();
    let mut on = vec![Range::zero(); count];
    let mut year = vec![Range::zero(); count];
    for (section, b) in policy.sections.iter().zip(sections) {
        let Some(l) = section.ledger else { continue };
        if let (Some(c), Some(y)) = (on.get_mut(l), year.get_mut(l)) {
            *c = c.add(&on_card(&b.row.scores));
            *y = y.add(&b.row.scores.year);
        }
    }
    (on, year)
}

/// The values a derived formula can take, from those of the card's total, of what each ledger's
/// sections hold and of the values derived before it; as evaluation computes it.
fn derived(e: &LedgerExpr, total: Iv, booked: &[Iv], before: &[Iv]) -> Iv {
    let v = |x: &LedgerExpr| derived(x, total, booked, before);
    match e {
        LedgerExpr::Number(n) => Iv::point(*n),
        LedgerExpr::Total => total,
        LedgerExpr::Booked(l) => booked.get(*l).copied().unwrap_or(Iv::ANY),
        LedgerExpr::Derived(d) => before.get(*d).copied().unwrap_or(Iv::ANY),
        LedgerExpr::Neg(x) => v(x).neg(),
        LedgerExpr::Binary(op, a, b) => match op {
            BinOp::Add => v(a).add(v(b)),
            BinOp::Sub => v(a).add(v(b).neg()),
            BinOp::Mul => v(a).mul(v(b)),
            _ => v(a).div(v(b)),
        },
        LedgerExpr::Call(func, args) => {
            let mut all = args.iter().map(v);
            let Some(first) = all.next() else {
                return Iv::ANY;
            };
            match func {
                // Each is increasing in every argument: the ends go to the ends.
                Func::Min | Func::Max => all.fold(first, |acc, x| {
                    let pick = |a: Ext, b: Ext| {
                        if *func == Func::Min {
                            a.min(b)
                        } else {
                            a.max(b)
                        }
                    };
                    Iv {
                        lo: pick(acc.lo, x.lo),
                        hi: pick(acc.hi, x.hi),
                        den: value::lcm(acc.den, x.den),
                    }
                }),
                Func::Floor => first.map(|x| Some(x.floor()), Some(1)),
                Func::Ceil => first.map(|x| Some(x.ceil()), Some(1)),
                Func::Round => {
                    // As evaluation reads the places: a whole number written in the policy.
                    let places = match args.get(1) {
                        Some(LedgerExpr::Number(p)) => {
                            p.to_decimal().and_then(|p| p.trunc().to_u32()).unwrap_or(0)
                        }
                        _ => 0,
                    };
                    first.map(
                        |x| x.round_exact(places, crate::exact::Rounding::HalfUp),
                        pow10(places),
                    )
                }
            }
        }
    }
}
