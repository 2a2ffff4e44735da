//! A month's card in whole millionths: the same steps as [`Maker::month`]'s, on 64-bit integers
//! instead of exact fractions. A district's million person-months are nearly all whole numbers
//! of points, and this is several times faster. Whatever it does not do the same way (a value
//! that is not a whole number of millionths, a sum past 64 bits, a problem to tell, an effect
//! other than points or `zero`) gives up before anything is kept, and the month is made the
//! general way: both give the same card.

use smallvec::SmallVec;

use super::maker::monthly_when;
use super::*;
use crate::exact::{STORED_PLACES, Stored};

/// `x` clamped to `low..=high` as [`Exact::clamp`] does it (never panics, whatever the bounds).
fn clamped(x: i64, low: i64, high: i64) -> i64 {
    if x < low {
        low
    } else if x > high {
        high
    } else {
        x
    }
}

/// An exact value as millionths, when it is a whole number of them that fits.
fn millionths(e: Exact) -> Option<i64> {
    e.to_scaled(STORED_PLACES)
}

/// A month's sums while it is made, in millionths.
struct Month {
    /// Per item: its points before the clamp.
    sums: SmallVec<[i64; 8]>,
    /// The points outside the items.
    outside: i64,
    /// Per item: a `zero` hit it.
    zero: SmallVec<[bool; 8]>,
    /// Per cap: its running total in the cap's period.
    used: SmallVec<[i64; 4]>,
}

impl Month {
    /// Books `points` where a rule of `home` puts them: into its item, or outside the items.
    fn book(&mut self, home: Home, from_total: bool, points: i64) -> Option<()> {
        let into = match (home, from_total) {
            (Home::Item(i), false) => self.sums.get_mut(i)?,
            _ => &mut self.outside,
        };
        *into = into.checked_add(points)?;
        Some(())
    }
}

impl Maker<'_, '_> {
    /// Month `m` (0-based) as [`Maker::month`] makes it, in millionths; `None` when it cannot be,
    /// with nothing changed but caches of what expressions gave.
    pub(super) fn integer_month(
        &mut self,
        m: usize,
        month_final: bool,
        env: &CardEnv<'_, '_>,
    ) -> Option<MonthResult> {
        let engine = self.engine;
        let policy = engine.policy;
        let (p, n) = (self.p, engine.items.len());
        let month = (m + 1) as u8;
        let mut sums = Month {
            sums: (0..n)
                .map(|i| engine.cell_millionths(p, m, i))
                .collect::<Option<_>>()?,
            outside: engine.cell_millionths(p, m, n)?,
            zero: SmallVec::from_slice(engine.zeroed(p, m)),
            used: SmallVec::with_capacity(policy.caps.len()),
        };
        // Each cap's running total as the month starts: from nothing when its period does.
        for (c, u) in policy.caps.iter().zip(&self.used) {
            sums.used.push(if c.period.starts(month) {
                0
            } else {
                millionths(*u)?
            });
        }
        for &r in &engine.decided {
            if engine.rule_applies[r].as_ref().is_none_or(|a| a[p]) {
                self.integer_rule(r, m, env, &mut sums)?;
            }
        }
        let (items, total) = self.integer_items(env, &sums)?;
        // Nothing gave up: the caps' running totals move on (from nothing where a period starts).
        for (u, n) in self.used.iter_mut().zip(&sums.used) {
            if u.to_scaled(STORED_PLACES) != Some(*n) {
                *u = Exact::from_scaled(i128::from(*n), STORED_PLACES);
            }
        }
        let exact_total = Exact::from_scaled(i128::from(total), STORED_PLACES);
        Some(MonthResult {
            month,
            total: Stored::Millionths(total),
            published: self.fail.publish(policy, exact_total, Some(month)),
            items,
            outside: Stored::Millionths(sums.outside),
            flags: Vec::new(),
            is_final: month_final,
        })
    }

    /// A rule the card decides, as [`Maker::held_or_capped`] and [`Maker::when_rule`] do it.
    fn integer_rule(
        &mut self,
        r: usize,
        m: usize,
        env: &CardEnv<'_, '_>,
        sums: &mut Month,
    ) -> Option<()> {
        let engine = self.engine;
        let rr = &engine.rules[r];
        if let Some(slot) = engine.capped_slot(r) {
            let RuleBody::Per { cap, guard, .. } = &rr.rule.body else {
                return Some(());
            };
            let raw = engine.cell_millionths(self.p, m, slot)?;
            if raw == 0 {
                return Some(());
            }
            // Held back by its guard: nothing counts.
            if let Some(g) = guard {
                if !expr::truth(g, env).ok()? {
                    return Some(());
                }
            }
            let counted = match cap {
                None => raw,
                Some(c) => {
                    let limit = millionths(*self.limits.get(*c)?)?;
                    let before = *sums.used.get(*c)?;
                    let after = clamped(before.checked_add(raw)?, limit.checked_neg()?, limit);
                    *sums.used.get_mut(*c)? = after;
                    after.checked_sub(before)?
                }
            };
            return sums.book(rr.home, rr.rule.body.from_total(), counted);
        }
        let Some((condition, effects)) = monthly_when(&rr.rule.body) else {
            return Some(());
        };
        if !self.holds(r, condition, env).ok()? {
            return Some(());
        }
        for effect in effects {
            match effect {
                Effect::Points {
                    amount, from_total, ..
                } => {
                    let points = millionths(expr::number(amount, env).ok()?)?;
                    sums.book(rr.home, *from_total, points)?;
                }
                Effect::Zero => {
                    if let Home::Item(i) = rr.home {
                        *sums.zero.get_mut(i)? = true;
                    }
                }
                Effect::Freeze(_) => {}
                // Flags, grades, overrides: the general way.
                _ => return None,
            }
        }
        Some(())
    }

    /// Every item's score (its base plus its points, clamped to 0..budget, or 0 when zeroed) and
    /// the month's total, as [`Maker::items`] gives them.
    fn integer_items(&mut self, env: &CardEnv<'_, '_>, sums: &Month) -> Option<(ItemScores, i64)> {
        let engine = self.engine;
        let mut items = ItemScores::with_capacity(engine.items.len());
        let mut total = sums.outside;
        for (flat, &(s, _)) in engine.items.iter().enumerate() {
            let Some((budget, base_rule)) = self.setup.get(flat).copied().flatten() else {
                items.push(None);
                continue;
            };
            let budget = millionths(budget)?;
            let base = match base_rule {
                None => budget,
                Some((_, b)) => millionths(expr::number(&b.value, env).ok()?)?,
            };
            let running = base.checked_add(*sums.sums.get(flat)?)?;
            let score = if *sums.zero.get(flat)? {
                0
            } else {
                clamped(running, 0, budget)
            };
            if engine.policy.sections[s].ledger.is_none() {
                total = total.checked_add(score)?;
            }
            items.push_millionths(score);
        }
        Some((items, total))
    }
}
