//! The values a checked expression can take, as an interval of exact numbers whose ends may be
//! infinite, with the finest step its values come in (`den`: every value times `den` is a whole
//! number; `None` when no such bound is known, as for a mean over any number of records).
//!
//! Sound first: the true value is always inside. An end that cannot be computed exactly (too large
//! for an exact number) becomes infinite, never a wrong number.

use rust_decimal::prelude::ToPrimitive;

use crate::check::model::{AggId, Expr, ExprKind as M, KindId, Policy, ValueType};
use crate::exact::{Exact, Rounding};
use crate::ops::{AggFn, BinOp, Func};

/// An end of an interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ext {
    NegInf,
    At(Exact),
    PosInf,
}

/// The values an expression can take, and the step they come in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Iv {
    pub lo: Ext,
    pub hi: Ext,
    pub den: Option<i128>,
}

/// The most decimals a decimal (a record's or a roster's number) can have.
const DECIMAL_PLACES: u32 = 28;

impl Iv {
    pub const ANY: Iv = Iv {
        lo: Ext::NegInf,
        hi: Ext::PosInf,
        den: None,
    };

    pub fn point(x: Exact) -> Iv {
        Iv {
            lo: Ext::At(x),
            hi: Ext::At(x),
            den: Some(x.denom()),
        }
    }

    pub fn new(lo: Ext, hi: Ext, den: Option<i128>) -> Iv {
        Iv { lo, hi, den }
    }

    /// The interval with 0 added (a condition that may not hold, a missing value counted as 0).
    pub fn with_zero(self) -> Iv {
        let zero = Ext::At(Exact::ZERO);
        Iv {
            lo: self.lo.min(zero),
            hi: self.hi.max(zero),
            den: self.den,
        }
    }

    pub fn hull(self, other: Iv) -> Iv {
        Iv {
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
            den: lcm(self.den, other.den),
        }
    }

    pub fn can_be_negative(&self) -> bool {
        self.lo < Ext::At(Exact::ZERO)
    }

    pub fn can_be_positive(&self) -> bool {
        self.hi > Ext::At(Exact::ZERO)
    }

    pub fn is_finite(&self) -> bool {
        matches!((self.lo, self.hi), (Ext::At(_), Ext::At(_)))
    }

    /// The largest size of a value, when both ends are finite.
    pub fn magnitude(&self) -> Option<Exact> {
        match (self.lo, self.hi) {
            (Ext::At(l), Ext::At(h)) => Some(l.abs().max(h.abs())),
            _ => None,
        }
    }

    pub fn neg(self) -> Iv {
        Iv {
            lo: neg(self.hi),
            hi: neg(self.lo),
            den: self.den,
        }
    }

    pub fn add(self, o: Iv) -> Iv {
        Iv {
            lo: add(self.lo, o.lo, Ext::NegInf),
            hi: add(self.hi, o.hi, Ext::PosInf),
            den: lcm(self.den, o.den),
        }
    }

    pub fn mul(self, o: Iv) -> Iv {
        let corners = [
            mul(self.lo, o.lo),
            mul(self.lo, o.hi),
            mul(self.hi, o.lo),
            mul(self.hi, o.hi),
        ];
        Iv {
            lo: corners.iter().copied().min().unwrap_or(Ext::NegInf),
            hi: corners.iter().copied().max().unwrap_or(Ext::PosInf),
            den: self.den.zip(o.den).and_then(|(a, b)| a.checked_mul(b)),
        }
    }

    pub fn div(self, o: Iv) -> Iv {
        let zero = Ext::At(Exact::ZERO);
        if o.lo <= zero && o.hi >= zero {
            return Iv::ANY;
        }
        let inv = |e: Ext| match e {
            Ext::At(x) => Exact::ONE.checked_div(x).map_or(Ext::PosInf, Ext::At),
            Ext::NegInf | Ext::PosInf => zero,
        };
        // 1/x is decreasing on each side of 0, and the divisor keeps one side.
        let recip = Iv {
            lo: inv(o.hi),
            hi: inv(o.lo),
            den: None,
        };
        let mut q = self.mul(recip);
        // A constant divisor p/q multiplies the step by p.
        q.den = match (o.lo, o.hi) {
            (Ext::At(a), Ext::At(b)) if a == b => self
                .den
                .and_then(|d| d.checked_mul(a.numer().checked_abs()?)),
            _ => None,
        };
        q
    }

    pub(super) fn map(self, f: impl Fn(Exact) -> Option<Exact>, den: Option<i128>) -> Iv {
        let at = |e: Ext, inf: Ext| match e {
            Ext::At(x) => f(x).map_or(inf, Ext::At),
            other => other,
        };
        Iv {
            lo: at(self.lo, Ext::NegInf),
            hi: at(self.hi, Ext::PosInf),
            den,
        }
    }
}

fn neg(e: Ext) -> Ext {
    match e {
        Ext::NegInf => Ext::PosInf,
        Ext::PosInf => Ext::NegInf,
        Ext::At(x) => x.checked_neg().map_or(Ext::PosInf, Ext::At),
    }
}

/// A sum of two ends; `overflow` is the infinity a sum too large to compute goes to (the side
/// of the interval the end is on).
fn add(a: Ext, b: Ext, overflow: Ext) -> Ext {
    match (a, b) {
        (Ext::At(x), Ext::At(y)) => x.checked_add(y).map_or(overflow, Ext::At),
        (Ext::NegInf, _) | (_, Ext::NegInf) if overflow == Ext::NegInf => Ext::NegInf,
        (Ext::PosInf, _) | (_, Ext::PosInf) if overflow == Ext::PosInf => Ext::PosInf,
        // A lower end is never +inf, nor an upper one -inf: the other side cannot occur.
        _ => overflow,
    }
}

fn sign(e: Ext) -> i8 {
    match e {
        Ext::NegInf => -1,
        Ext::PosInf => 1,
        Ext::At(x) if x.is_negative() => -1,
        Ext::At(x) if x.is_positive() => 1,
        Ext::At(_) => 0,
    }
}

fn mul(a: Ext, b: Ext) -> Ext {
    let s = sign(a) * sign(b);
    let inf = if s < 0 { Ext::NegInf } else { Ext::PosInf };
    match (a, b) {
        _ if s == 0 => Ext::At(Exact::ZERO),
        (Ext::At(x), Ext::At(y)) => x.checked_mul(y).map_or(inf, Ext::At),
        _ => inf,
    }
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs()
}

pub fn lcm(a: Option<i128>, b: Option<i128>) -> Option<i128> {
    let (a, b) = (a?, b?);
    let g = gcd(a, b);
    if g == 0 {
        return Some(a.max(b));
    }
    (a / g).checked_mul(b)
}

pub(super) fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// The values of a declared number type: its range, and its step (a whole number's is 1, another
/// number's the finest a decimal holds).
pub fn declared(ty: &ValueType) -> Iv {
    match ty {
        ValueType::Number {
            whole, min, max, ..
        } => Iv {
            lo: min.map_or(Ext::NegInf, |m| Ext::At(Exact::from_decimal(m))),
            hi: max.map_or(Ext::PosInf, |m| Ext::At(Exact::from_decimal(m))),
            den: if *whole {
                Some(1)
            } else {
                pow10(DECIMAL_PLACES)
            },
        },
        // A time of day is a whole number of seconds since midnight.
        ValueType::Time => Iv {
            lo: Ext::At(Exact::ZERO),
            hi: Ext::At(Exact::from_decimal(rust_decimal::Decimal::from(86_399))),
            den: Some(1),
        },
        _ => Iv::ANY,
    }
}

/// What the twelve months give the annual formula: the range of one month's total and of their
/// sum.
#[derive(Clone, Copy, Debug)]
pub struct Months {
    pub month: Iv,
    pub year: Iv,
    /// How many cards the year has: 12 months, or 4 quarters (`card quarter`).
    pub count: i64,
}

/// The values of a number expression. `kinds` are the record kinds whose fields bare names read
/// (a `per` rule's kinds); `months`, what the annual formula's `months` can be.
pub fn value(policy: &Policy, e: &Expr, kinds: &[KindId], months: Option<&Months>) -> Iv {
    value_where(policy, e, kinds, months, &[])
}

/// What a `when` rule's condition tells of the aggregates and facts it compares with a number:
/// `sum(visit.households) in year < 100` holds only for sums below 100 (its amount is read only
/// then). Each entry narrows the aggregate's values to an end.
pub fn narrowed(e: &Expr, out: &mut Vec<(AggId, Iv)>) {
    match &e.kind {
        M::Binary(BinOp::And, a, b) => {
            narrowed(a, out);
            narrowed(b, out);
        }
        M::Binary(op, a, b) if op.is_comparison() => {
            let (id, n, op) = match (&a.kind, &b.kind) {
                (M::Aggregate(id) | M::Fact(id), M::Number(n)) => (*id, *n, *op),
                (M::Number(n), M::Aggregate(id) | M::Fact(id)) => (*id, *n, flipped(*op)),
                _ => return,
            };
            let n = Ext::At(Exact::from_decimal(n));
            let (lo, hi) = match op {
                BinOp::Lt | BinOp::Le => (Ext::NegInf, n),
                BinOp::Gt | BinOp::Ge => (n, Ext::PosInf),
                BinOp::Eq => (n, n),
                _ => return,
            };
            out.push((id, Iv::new(lo, hi, None)));
        }
        _ => {}
    }
}

/// `a < b` as `b > a`.
fn flipped(op: BinOp) -> BinOp {
    match op {
        BinOp::Lt => BinOp::Gt,
        BinOp::Le => BinOp::Ge,
        BinOp::Gt => BinOp::Lt,
        BinOp::Ge => BinOp::Le,
        other => other,
    }
}

/// [`value`] where the aggregates and facts of `narrow` lie within its ends.
pub fn value_where(
    policy: &Policy,
    e: &Expr,
    kinds: &[KindId],
    months: Option<&Months>,
    narrow: &[(AggId, Iv)],
) -> Iv {
    let v = |x: &Expr| value_where(policy, x, kinds, months, narrow);
    match &e.kind {
        M::Number(n) => Iv::point(Exact::from_decimal(*n)),
        M::RecordField(f) => {
            let mut ranges = kinds.iter().filter_map(|&k| {
                let field = policy.kinds.get(k)?.fields.get(*f)?;
                Some(declared(&field.ty))
            });
            match ranges.next() {
                Some(first) => ranges.fold(first, Iv::hull),
                None => Iv::ANY,
            }
        }
        M::Column(c) => policy.columns.get(*c).map_or(Iv::ANY, |c| declared(&c.ty)),
        M::Fact(id) | M::Aggregate(id) => {
            let all = aggregate(policy, *id);
            // Narrowed where a condition keeps it within an end (`x < 100`: at most 100).
            narrow
                .iter()
                .filter(|(n, _)| n == id)
                .fold(all, |acc, (_, within)| Iv {
                    lo: acc.lo.max(within.lo),
                    hi: acc.hi.min(within.hi),
                    den: acc.den,
                })
        }
        M::Months(func) => match (func, months) {
            (AggFn::Count, Some(m)) => Iv::point(Exact::from_int(m.count)),
            (AggFn::Count, None) => Iv::point(Exact::from_int(12)),
            (AggFn::Sum, Some(m)) => m.year,
            (AggFn::Mean, Some(m)) => m.year.div(Iv::point(Exact::from_int(m.count))),
            (AggFn::Min | AggFn::Max, Some(m)) => m.month,
            (_, None) => Iv::ANY,
        },
        M::Neg(a) => v(a).neg(),
        M::Binary(op, a, b) => match op {
            BinOp::Add => v(a).add(v(b)),
            BinOp::Sub => v(a).add(v(b).neg()),
            BinOp::Mul => v(a).mul(v(b)),
            BinOp::Div => v(a).div(v(b)),
            _ => Iv::ANY,
        },
        M::Call(func, args) => call(*func, args, v),
        M::Table {
            entries, default, ..
        } => {
            let mut all = entries.iter().map(|(_, x)| x).chain(default.as_deref());
            match all.next() {
                Some(first) => all.fold(v(first), |acc, x| acc.hull(v(x))),
                None => Iv::ANY,
            }
        }
        M::Text(_) | M::EnumValue(_) | M::Not(_) | M::Member(..) => Iv::ANY,
    }
}

/// A function's values from its arguments' (`v`).
fn call(func: Func, args: &[Expr], v: impl Fn(&Expr) -> Iv) -> Iv {
    let mut all = args.iter().map(v);
    let Some(first) = all.next() else {
        return Iv::ANY;
    };
    match func {
        // Each is increasing in every argument: the ends go to the ends.
        Func::Min | Func::Max => {
            let pick = |x: Ext, y: Ext| {
                if func == Func::Min {
                    x.min(y)
                } else {
                    x.max(y)
                }
            };
            all.fold(first, |acc, x| Iv {
                lo: pick(acc.lo, x.lo),
                hi: pick(acc.hi, x.hi),
                den: lcm(acc.den, x.den),
            })
        }
        Func::Floor => first.map(|x| Some(x.floor()), Some(1)),
        Func::Ceil => first.map(|x| Some(x.ceil()), Some(1)),
        Func::Round => {
            let places = match args.get(1).map(|a| &a.kind) {
                // As evaluation reads it.
                Some(M::Number(n)) => n.to_u32().unwrap_or(0),
                _ => 0,
            };
            // Half away from zero, as evaluation rounds: increasing.
            first.map(
                |x| x.round_exact(places, Rounding::HalfUp),
                pow10(places.min(DECIMAL_PLACES)),
            )
        }
    }
}

/// The values of an aggregate or a fact, from its field's declared range.
fn aggregate(policy: &Policy, id: AggId) -> Iv {
    let Some(agg) = policy.aggregates.get(id) else {
        return Iv::ANY;
    };

    let field = agg
        .field
        .and_then(|f| policy.kinds.get(agg.kind)?.fields.get(f))
        .map_or(Iv::ANY, |f| declared(&f.ty));
    let zero = Ext::At(Exact::ZERO);
    match agg.func {
        Some(AggFn::Count) => Iv::new(zero, Ext::PosInf, Some(1)),
        // Over no records a sum is 0; over many it grows without a bound on the side
        // its values are on.
        Some(AggFn::Sum) => Iv::new(
            if field.lo >= zero { zero } else { Ext::NegInf },
            if field.hi <= zero { zero } else { Ext::PosInf },
            field.den,
        ),
        // A missing value counts as 0 where it is read.
        None | Some(AggFn::Min | AggFn::Max) => field.with_zero(),
        Some(AggFn::Mean) => Iv {
            den: None,
            ..field.with_zero()
        },
    }
}

/// How the annual formula moves when one month's total rises: `Some(1)` never down (`sum(months)
/// / 12`, and `sum(months) - min(months)`, the months but the lowest), `Some(-1)` never up,
/// `Some(0)` not at all; `None` when that is not plain from how it is written.
pub fn polarity(e: &Expr) -> Option<i8> {
    let both = |a: Option<i8>, b: Option<i8>| match (a?, b?) {
        (x, 0) | (0, x) => Some(x),
        (x, y) if x == y => Some(x),
        _ => None,
    };
    // A number as written, or negated (`-2 * max(months)`).
    let constant = |c: &Expr| match &c.kind {
        M::Number(n) => Some(*n),
        M::Neg(x) => match &x.kind {
            M::Number(n) => Some(-*n),
            _ => None,
        },
        _ => None,
    };
    let by_constant = |p: Option<i8>, c: &Expr| match constant(c)? {
        n if n.is_zero() => Some(0),
        n if n.is_sign_negative() => p.map(|p| -p),
        _ => p,
    };
    match &e.kind {
        M::Number(_) | M::Months(AggFn::Count) => Some(0),
        M::Months(_) => Some(1),
        M::Neg(a) => polarity(a).map(|p| -p),
        M::Binary(BinOp::Add, a, b) => both(polarity(a), polarity(b)),
        M::Binary(BinOp::Sub, a, b) if minus_order_statistics(a, b) => Some(1),
        M::Binary(BinOp::Sub, a, b) => both(polarity(a), polarity(b).map(|p| -p)),
        M::Binary(BinOp::Mul, a, b) if constant(a).is_some() => by_constant(polarity(b), a),
        M::Binary(BinOp::Mul, a, b) => by_constant(polarity(a), b),
        // Dividing by 0 gives no result at all.
        M::Binary(BinOp::Div, a, b) => match constant(b)? {
            n if n.is_zero() => None,
            _ => by_constant(polarity(a), b),
        },
        M::Call(Func::Min | Func::Max, args) => args
            .iter()
            .map(polarity)
            .try_fold(0i8, |acc, p| both(Some(acc), p)),
        M::Call(Func::Floor | Func::Ceil | Func::Round, args) => args.first().and_then(polarity),
        _ => None,
    }
}

/// `sum(months) - min(months)`, `sum(months) - max(months)` or `sum(months) - min(months) -
/// max(months)`: the months but the lowest, the highest or both, which never falls when a month
/// rises (the months left in are order statistics).
fn minus_order_statistics(a: &Expr, b: &Expr) -> bool {
    let stat = |e: &Expr| match e.kind {
        M::Months(AggFn::Min) => Some(AggFn::Min),
        M::Months(AggFn::Max) => Some(AggFn::Max),
        _ => None,
    };
    match (&a.kind, stat(b)) {
        (M::Months(AggFn::Sum), Some(_)) => true,
        (M::Binary(BinOp::Sub, s, first), Some(second)) => {
            matches!(s.kind, M::Months(AggFn::Sum)) && stat(first).is_some_and(|f| f != second)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic)]

    use super::polarity;

    fn of(annual: &str) -> Option<i8> {
        let text = format!(
            "policy \"p\" year 2020 total 100\nannual = {annual}\n\nrecord late \"迟到\" by person\n\nsection s \"s\" 100 {{\n  item a \"a\" 100 {{\n    [1] per late -5\n  }}\n}}\n\ngrades {{\n  A >= 90\n  B\n}}\n"
        );
        let compiled = crate::compile::compile("p.policy", text.as_bytes());
        let policy = compiled
            .policy
            .unwrap_or_else(|| panic!("{annual}: {:?}", compiled.diags));
        polarity(&policy.annual)
    }

    /// Rising with every month, falling with every month, or not plainly either.
    #[test]
    fn how_annual_formulas_move_with_a_month() {
        for up in [
            "sum(months) / 12",
            "mean(months)",
            "min(months)",
            "(sum(months) - min(months)) / 11",
            "(sum(months) - max(months)) / 11",
            "(sum(months) - min(months) - max(months)) / 10",
            "(sum(months) - max(months) - min(months)) / 10",
            "round(max(sum(months) / 12, min(months)) * 2, 1)",
            "floor(0.5 * mean(months)) + 10",
        ] {
            assert_eq!(of(up), Some(1), "{up}");
        }
        for down in [
            "-sum(months) / 12",
            "100 - mean(months)",
            "-2 * max(months)",
        ] {
            assert_eq!(of(down), Some(-1), "{down}");
        }
        for unknown in [
            "(sum(months) - min(months) - min(months)) / 10",
            "sum(months) - 2 * min(months)",
            "mean(months) - min(months)",
            "sum(months) / count(months) - max(months)",
        ] {
            assert_eq!(of(unknown), None, "{unknown}");
        }
    }
}
