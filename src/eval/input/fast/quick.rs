//! The quickest reading of a line: a record of a kind whose fields are all summed numbers (or
//! that has none), written as exports write it (its kind's id or label, a `2020-03-02` date, an
//! id of the roster's shape, its numbers, nothing else in it), taken straight from the raw cells.
//! Anything else about a line, even a space around a cell, leaves it to [`Job::cells`], which
//! reads it in full: what this takes, `cells` would have taken the same way, and this never gives
//! up on a file itself.

use super::line::{Cut, LineBatch};
use super::*;
use crate::date::Date;
use crate::exact::decimal_scaled;

/// The kinds a line may be read quickly as, by the names that find them as written; and per
/// kind, its fields with the counters they are summed into (every field of a kind read quickly).
pub(super) struct Quick<'p> {
    kinds: Kinds<'p>,
    sums: Vec<Vec<(usize, usize)>>,
    /// The policy's year as written in a date, `2020`.
    year: [u8; 4],
    /// Per month (1 to 12), bit `d` for each day `d` of it in the policy's year up to the
    /// report day: the days a line read quickest may be dated.
    days: [u32; 13],
    /// Per kind, per field: what a number written plainly in it must be ([`Bounds`]).
    bounds: Vec<Vec<Option<Bounds>>>,
}

/// A number field's type as the quickest reading checks a plain number against it: whole or
/// not, and its least and greatest values times `10^scale` (the counters' places), rounded
/// inwards, when they fit.
#[derive(Clone, Copy)]
struct Bounds {
    whole: bool,
    low: Option<i128>,
    high: Option<i128>,
}

impl Bounds {
    /// The bounds of a field of type `ty` summed in counters of `scale` places; `None` for a
    /// field of another type, or bounds past 128 bits.
    fn of(ty: &ValueType, scale: u32) -> Option<Bounds> {
        use rust_decimal::prelude::ToPrimitive;
        let ValueType::Number {
            whole, min, max, ..
        } = ty
        else {
            return None;
        };
        let up = Decimal::from(10i64.checked_pow(scale)?);
        let low = match min {
            Some(m) => Some(m.checked_mul(up)?.ceil().to_i128()?),
            None => None,
        };
        let high = match max {
            Some(m) => Some(m.checked_mul(up)?.floor().to_i128()?),
            None => None,
        };
        Some(Bounds {
            whole: *whole,
            low,
            high,
        })
    }

    /// A number written plainly (digits, at most one point with digits on both sides, at most
    /// eighteen digits: the form the decimal reading takes at once) times `10^scale`, when it is
    /// of the field's type and has no more places than that; `None` for anything else, which the
    /// full check reads.
    fn scaled(&self, text: &[u8], scale: u32) -> Option<i64> {
        let (m, places) = plain_digits(text)?;
        if self.whole && m % 10i64.checked_pow(places)? != 0 {
            return None;
        }
        let v = i128::from(m).checked_mul(10i128.checked_pow(scale.checked_sub(places)?)?)?;
        if self.low.is_some_and(|l| v < l) || self.high.is_some_and(|h| v > h) {
            return None;
        }
        i64::try_from(v).ok()
    }
}

impl<'p> Quick<'p> {
    /// The kinds of `voc` counted by `kernel` whose records are about a person, with no rule
    /// that computes from them and every field (if any) a number summed, by every name that finds
    /// them as written.
    pub(super) fn new(voc: &Vocabulary<'p>, kernel: &Kernel, as_of: Date) -> Quick<'p> {
        let mut names = FxHashMap::default();
        let mut sums = vec![Vec::new(); voc.policy.kinds.len()];
        for (k, kind) in voc.policy.kinds.iter().enumerate() {
            let Some(ops) = kernel.kinds.get(k) else {
                continue;
            };
            let counted = kernel.routed.get(k) == Some(&false) && ops.computed.is_empty();
            // Each field summed, in the kind's order.
            let summed = ops.sums.len() == kind.fields.len()
                && ops.sums.iter().enumerate().all(|(i, &(f, _))| f == i)
                && kind.fields.iter().all(|f| f.ty != ValueType::Person);
            if !counted || !summed || !kind.subjects.person {
                continue;
            }
            sums[k].clone_from(&ops.sums);
            for name in [kind.id.as_str(), kind.label.as_str()] {
                // Only a name the full reading finds as it is written (no space to trim, the
                // same kind by it).
                if !name.is_empty() && trimmed(name) == name && voc.kinds.get(name) == Some(&k) {
                    names.insert(name, k);
                }
            }
        }
        let year = voc.policy.year;
        let mut days = [0u32; 13];
        for (month, bits) in (1u8..).zip(days.iter_mut().skip(1)) {
            for day in 1..=31u8 {
                if Date::new(year, month, day).is_some_and(|d| d <= as_of) {
                    *bits |= 1 << day;
                }
            }
        }
        // A year of other than four digits is never written `2020-03-02`: no line is dated so.
        let digits = format!("{year:04}");
        let year = <[u8; 4]>::try_from(digits.as_bytes())
            .ok()
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .unwrap_or([0; 4]);
        let bounds = (voc.policy.kinds.iter())
            .map(|kind| {
                (kind.fields.iter())
                    .map(|f| Bounds::of(&f.ty, kernel.scale))
                    .collect()
            })
            .collect();
        Quick {
            kinds: Kinds::new(names),
            sums,
            year,
            days,
            bounds,
        }
    }

    /// The month of a date written `2020-03-02` that is a day of the policy's year up to the
    /// report day (as the full reading parses and checks it); `None` for any other text.
    fn month(&self, date: &[u8]) -> Option<u8> {
        let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *date else {
            return None;
        };
        if [y0, y1, y2, y3] != self.year {
            return None;
        }
        let two = |a: u8, b: u8| {
            let (a, b) = (a.wrapping_sub(b'0'), b.wrapping_sub(b'0'));
            (a < 10 && b < 10).then_some(a * 10 + b)
        };
        let (month, day) = (two(m0, m1)?, two(d0, d1)?);
        let bits = *self.days.get(usize::from(month))?;
        (day < 32 && (bits >> day) & 1 == 1).then_some(month)
    }
}

impl Job<'_, '_> {
    /// Reads a line of a kind [`Quick`] knows, exactly as [`Job::cells`] would; `false` when the
    /// line is anything else, for `cells` to read.
    pub(super) fn quick(&self, cut: &Cut<'_>, batch: &mut LineBatch<'_>) -> bool {
        self.quick_row(cut, batch).is_some()
    }

    fn quick_row(&self, cut: &Cut<'_>, batch: &mut LineBatch<'_>) -> Option<()> {
        let layout = self.layout;
        if cut.cells != layout.names.len() {
            return None;
        }
        let k = *self.quick.kinds.get_bytes(cut.raw(layout.kind)?)?;
        // A date as the full reading parses it, written `2020-03-02`, in the year and not after
        // the report day.
        let month = self.quick.month(cut.raw(layout.date)?)?;
        let id = cut.raw(layout.person?)?;
        // An id of the roster's shape, with no space to trim.
        let plain = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
        if !plain(id.first()) || !plain(id.last()) {
            return None;
        }
        let n = self.voc.people.number(id)??;
        let empty = |c: usize| cut.raw(c).is_some_and(<[u8]>::is_empty);
        if !layout.department.is_none_or(empty) {
            return None;
        }
        for &c in layout.foreign.get(k)? {
            if !empty(c) {
                return None;
            }
        }
        let first = batch.adds.len();
        for &(f, counter) in self.quick.sums.get(k)? {
            let Some(v) = self.summed(cut, k, f) else {
                batch.adds.truncate(first);
                return None;
            };
            batch.adds.push((counter, v));
        }
        batch.counted(n, k, month, first)
    }

    /// Field `f` of a line of kind `k` as its sum's counter takes it: a number written with no
    /// space to trim, checked against the field's type as the full reading checks it.
    fn summed(&self, cut: &Cut<'_>, k: usize, f: usize) -> Option<i64> {
        let field = self.voc.policy.kinds.get(k)?.fields.get(f)?;
        let col = (*self.layout.fields.get(k)?.get(f)?)?;
        let text = cut.raw_text(col)?;
        if text.is_empty() || trimmed(text).len() != text.len() {
            return None;
        }
        // A plain number, checked and scaled as below without making a decimal of it.
        let bounds = self
            .quick
            .bounds
            .get(k)
            .and_then(|b| b.get(f))
            .copied()
            .flatten();
        if let Some(v) = bounds.and_then(|b| b.scaled(text.as_bytes(), self.kernel.scale)) {
            return Some(v);
        }
        let Value::Number(n) = parse_value(text, &field.ty).ok()? else {
            return None;
        };
        decimal_scaled(n, self.kernel.scale)
    }
}
