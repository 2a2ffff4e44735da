//! A score's least and most, each either a number or unbounded with the reason (the first rule that
//! leaves that side open).

use super::value::{Ext, Iv};
use crate::exact::Exact;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    At(Exact),
    /// No bound on this side, and why.
    Open(String),
}

impl End {
    pub fn value(&self) -> Option<Exact> {
        match self {
            End::At(x) => Some(*x),
            End::Open(_) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range {
    pub lo: End,
    pub hi: End,
}

/// Why a sum has no bound: it does not fit.
fn too_large() -> String {
    crate::tr!("a sum too large to compute exactly", "和太大，算不精确").to_string()
}

impl Range {
    pub fn point(x: Exact) -> Range {
        Range {
            lo: End::At(x),
            hi: End::At(x),
        }
    }

    pub fn zero() -> Range {
        Range::point(Exact::ZERO)
    }

    /// An expression's values, an infinite end given `why`.
    pub fn of(iv: Iv, why: impl Fn(&str) -> String) -> Range {
        let end = |e: Ext, side: &str| match e {
            Ext::At(x) => End::At(x),
            Ext::NegInf | Ext::PosInf => End::Open(why(side)),
        };
        Range {
            lo: end(iv.lo, "lower"),
            hi: end(iv.hi, "upper"),
        }
    }

    pub fn is_finite(&self) -> bool {
        matches!((&self.lo, &self.hi), (End::At(_), End::At(_)))
    }

    pub fn add(&self, o: &Range) -> Range {
        let add = |a: &End, b: &End| match (a, b) {
            (End::At(x), End::At(y)) => x
                .checked_add(*y)
                .map_or_else(|| End::Open(too_large()), End::At),
            (End::Open(w), _) | (_, End::Open(w)) => End::Open(w.clone()),
        };
        Range {
            lo: add(&self.lo, &o.lo),
            hi: add(&self.hi, &o.hi),
        }
    }

    /// The range times a whole number `k` above 0 (twelve months of a month's range).
    pub fn times(&self, k: i64) -> Range {
        let k = Exact::from_int(k);
        let mul = |a: &End| match a {
            End::At(x) => x
                .checked_mul(k)
                .map_or_else(|| End::Open(too_large()), End::At),
            End::Open(w) => End::Open(w.clone()),
        };
        Range {
            lo: mul(&self.lo),
            hi: mul(&self.hi),
        }
    }

    pub fn hull(&self, o: &Range) -> Range {
        let pick = |a: &End, b: &End, low: bool| match (a, b) {
            (End::At(x), End::At(y)) => End::At(if low { *x.min(y) } else { *x.max(y) }),
            (End::Open(w), _) | (_, End::Open(w)) => End::Open(w.clone()),
        };
        Range {
            lo: pick(&self.lo, &o.lo, true),
            hi: pick(&self.hi, &o.hi, false),
        }
    }

    pub fn with_zero(&self) -> Range {
        self.hull(&Range::zero())
    }

    /// The range cut to what lies within `lo..hi` (either may be absent): the values a clamp or a
    /// cap leaves.
    pub fn within(&self, lo: Option<Exact>, hi: Option<Exact>) -> Range {
        let cut = |e: &End| match e {
            End::At(x) => End::At(match (lo, hi) {
                (Some(l), _) if *x < l => l,
                (_, Some(h)) if *x > h => h,
                _ => *x,
            }),
            End::Open(w) => End::Open(w.clone()),
        };
        let (mut low, mut high) = (cut(&self.lo), cut(&self.hi));
        if let (End::Open(_), Some(l)) = (&low, lo) {
            low = End::At(l);
        }
        if let (End::Open(_), Some(h)) = (&high, hi) {
            high = End::At(h);
        }
        // Cut from both sides at once, an open end may land past the other bound.
        if let (End::At(l), Some(h)) = (&low, hi) {
            if *l > h {
                low = End::At(h);
            }
        }
        if let (End::At(h), Some(l)) = (&high, lo) {
            if *h < l {
                high = End::At(l);
            }
        }
        Range { lo: low, hi: high }
    }

    /// The lower end raised to at least `floor` and the upper lowered to at most `ceiling`, where
    /// they are given: a second, independent bound on the same score.
    pub fn tighten(&self, floor: Option<Exact>, ceiling: Option<Exact>) -> Range {
        let lo = match (&self.lo, floor) {
            (End::At(x), Some(f)) => End::At(*x.max(&f)),
            (End::Open(_), Some(f)) => End::At(f),
            (e, None) => e.clone(),
        };
        let hi = match (&self.hi, ceiling) {
            (End::At(x), Some(c)) => End::At(*x.min(&c)),
            (End::Open(_), Some(c)) => End::At(c),
            (e, None) => e.clone(),
        };
        Range { lo, hi }
    }

    pub fn to_iv(&self) -> Iv {
        Iv {
            lo: self.lo.value().map_or(Ext::NegInf, Ext::At),
            hi: self.hi.value().map_or(Ext::PosInf, Ext::At),
            den: None,
        }
    }
}
