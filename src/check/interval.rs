//! What a checked expression's value can be, as far as the declared ranges tell: the bounds of a
//! number, for divisions (a divisor that is always 0, or can be 0) and for `highest per` (an
//! amount that can be a reward or a deduction). Unknown bounds are `None`; every sum and product is
//! checked, so that large bounds give "unknown", never an overflow.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::Checker;
use super::model::{Expr, ExprKind as M, KindId, ValueType};
use crate::ops::Func;
use crate::syntax::ast::{AggFn, BinOp};

/// Lower and upper bound of a number; `None` is unbounded (or unknown).
pub type Bounds = (Option<Decimal>, Option<Decimal>);

const UNKNOWN: Bounds = (None, None);

fn declared(ty: &ValueType) -> Bounds {
    match ty {
        ValueType::Number { min, max, .. } => (*min, *max),
        // Seconds since midnight.
        ValueType::Time => (Some(Decimal::ZERO), Some(Decimal::from(86_399))),
        _ => UNKNOWN,
    }
}

/// The bounds of a number expression. `record_kinds` are the kinds whose fields bare names read
/// (a `per` rule's kinds; they share the field's type).
// Long on purpose: one arm per kind of expression.
pub fn bounds(cx: &Checker, e: &Expr, record_kinds: &[KindId]) -> Bounds {
    match &e.kind {
        M::Number(n) => (Some(*n), Some(*n)),
        M::RecordField(f) => record_kinds
            .first()
            .and_then(|&k| cx.kinds.get(k)?.fields.get(*f))
            .map_or(UNKNOWN, |f| declared(&f.ty)),
        M::Column(c) => cx.columns.get(*c).map_or(UNKNOWN, |c| declared(&c.ty)),
        M::Fact(id) | M::Aggregate(id) => {
            let Some(agg) = cx.aggregates.get(*id) else {
                return UNKNOWN;
            };
            let field = agg
                .field
                .and_then(|f| cx.kinds.get(agg.kind)?.fields.get(f))
                .map_or(UNKNOWN, |f| declared(&f.ty));
            match agg.func {
                Some(AggFn::Count) => (Some(Decimal::ZERO), None),
                // A sum over no records is 0; over many it grows without a bound.
                Some(AggFn::Sum) => (
                    field
                        .0
                        .filter(|lo| *lo >= Decimal::ZERO)
                        .map(|_| Decimal::ZERO),
                    field
                        .1
                        .filter(|hi| *hi <= Decimal::ZERO)
                        .map(|_| Decimal::ZERO),
                ),
                // Over no records these are missing, never a number: the field's range holds.
                None | Some(AggFn::Mean | AggFn::Min | AggFn::Max) => field,
            }
        }
        M::Months(AggFn::Count) => {
            let twelve = Decimal::from(12);
            (Some(twelve), Some(twelve))
        }
        M::Neg(a) => {
            let (lo, hi) = bounds(cx, a, record_kinds);
            (hi.map(|h| -h), lo.map(|l| -l))
        }
        M::Binary(op, a, b) => {
            let (al, ah) = bounds(cx, a, record_kinds);
            let (bl, bh) = bounds(cx, b, record_kinds);
            let both =
                |x: Option<Decimal>,
                 y: Option<Decimal>,
                 f: fn(Decimal, Decimal) -> Option<Decimal>| { f(x?, y?) };
            match op {
                BinOp::Add => (
                    both(al, bl, Decimal::checked_add),
                    both(ah, bh, Decimal::checked_add),
                ),
                BinOp::Sub => (
                    both(al, bh, Decimal::checked_sub),
                    both(ah, bl, Decimal::checked_sub),
                ),
                BinOp::Mul => corners(al, ah, bl, bh, Decimal::checked_mul),
                BinOp::Div if !contains_zero((bl, bh)) => {
                    corners(al, ah, bl, bh, Decimal::checked_div)
                }
                _ => UNKNOWN,
            }
        }
        M::Call(func, args) => call_bounds(cx, *func, args, record_kinds),
        M::Table {
            entries, default, ..
        } => {
            let mut all = entries.iter().map(|(_, v)| v).chain(default.as_deref());
            let Some(first) = all.next() else {
                return UNKNOWN;
            };
            all.fold(bounds(cx, first, record_kinds), |(lo, hi), v| {
                let (l, h) = bounds(cx, v, record_kinds);
                (
                    lo.zip(l).map(|(a, b)| a.min(b)),
                    hi.zip(h).map(|(a, b)| a.max(b)),
                )
            })
        }
        _ => UNKNOWN,
    }
}

/// The bounds of a function's value: `min` and `max` take the least and largest ends; `floor`,
/// `ceil` and `round` never move a value by a whole unit or more, and keep its order.
fn call_bounds(cx: &Checker, func: Func, args: &[Expr], record_kinds: &[KindId]) -> Bounds {
    let mut all = args.iter().map(|a| bounds(cx, a, record_kinds));
    let Some(first) = all.next() else {
        return UNKNOWN;
    };
    let whole = |d: Option<Decimal>, f: fn(&Decimal) -> Decimal| d.map(|d| f(&d));
    match func {
        // The least of several values is at least the least of their lower ends (known only when
        // every one is), and at most the least upper end known.
        Func::Min => all.fold(first, |(lo, hi), (l, h)| {
            (
                lo.zip(l).map(|(a, b)| a.min(b)),
                match (hi, h) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (x, None) | (None, x) => x,
                },
            )
        }),
        Func::Max => all.fold(first, |(lo, hi), (l, h)| {
            (
                match (lo, l) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (x, None) | (None, x) => x,
                },
                hi.zip(h).map(|(a, b)| a.max(b)),
            )
        }),
        Func::Floor => (
            whole(first.0, Decimal::floor),
            whole(first.1, Decimal::floor),
        ),
        Func::Ceil => (whole(first.0, Decimal::ceil), whole(first.1, Decimal::ceil)),
        // Rounding to some places moves a value by at most half a unit of the last place, and
        // keeps its order: the ends rounded down and up at those places hold it.
        Func::Round => {
            let places = match args.get(1).map(|a| &a.kind) {
                Some(M::Number(n)) => n.to_u32().unwrap_or(0),
                _ => 0,
            };
            let at = |d: Option<Decimal>, s: RoundingStrategy| {
                d.map(|d| d.round_dp_with_strategy(places, s))
            };
            (
                at(first.0, RoundingStrategy::ToNegativeInfinity),
                at(first.1, RoundingStrategy::ToPositiveInfinity),
            )
        }
    }
}

/// The bounds of `f` over two intervals, when all four ends are known.
fn corners(
    al: Option<Decimal>,
    ah: Option<Decimal>,
    bl: Option<Decimal>,
    bh: Option<Decimal>,
    f: fn(Decimal, Decimal) -> Option<Decimal>,
) -> Bounds {
    let (Some(al), Some(ah), Some(bl), Some(bh)) = (al, ah, bl, bh) else {
        return UNKNOWN;
    };
    // A product or a quotient of non-zero numbers is never 0; a decimal that rounds it to 0 (it
    // keeps 28 places) would claim a zero the exact value does not have, so that gives "unknown".
    let values: Option<Vec<Decimal>> = [(al, bl), (al, bh), (ah, bl), (ah, bh)]
        .into_iter()
        .map(|(x, y)| f(x, y).filter(|v| !v.is_zero() || x.is_zero() || y.is_zero()))
        .collect();
    match values {
        Some(v) => (v.iter().copied().min(), v.iter().copied().max()),
        None => UNKNOWN,
    }
}

fn contains_zero((lo, hi): Bounds) -> bool {
    lo.is_none_or(|l| l <= Decimal::ZERO) && hi.is_none_or(|h| h >= Decimal::ZERO)
}

/// Whether the expression is 0 whatever the records and the roster say (`0`, `1 - 1`).
pub fn always_zero(cx: &Checker, e: &Expr, record_kinds: &[KindId]) -> bool {
    bounds(cx, e, record_kinds) == (Some(Decimal::ZERO), Some(Decimal::ZERO))
}

/// Whether the expression can be 0 for some records or some person.
pub fn may_be_zero(cx: &Checker, e: &Expr, record_kinds: &[KindId]) -> bool {
    match &e.kind {
        M::Neg(a) | M::Binary(BinOp::Div, a, _) => may_be_zero(cx, a, record_kinds),
        M::Binary(BinOp::Mul, a, b) => {
            may_be_zero(cx, a, record_kinds) || may_be_zero(cx, b, record_kinds)
        }
        _ => contains_zero(bounds(cx, e, record_kinds)),
    }
}
