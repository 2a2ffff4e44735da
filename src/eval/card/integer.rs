//! A month's card in whole millionths: the same steps as [`Maker::month`]'s, on 64-bit integers
//! instead of exact fractions. A district's million person-months are nearly all whole numbers
//! of points, and this is several times faster. Whatever it does not do the same way (a value
//! that is not a whole number of millionths, a sum past 64 bits, a problem to tell, an effect
//! other than points or `zero`) gives up before anything is kept, and the month is made the
//! general way: both give the same card.
//!
//! What the policy decides alike for every person and month (each cap's limit and the months
//! its period starts in, each item's budget, which rules the card decides and where their points
//! go) is worked out once, as a [`Plan`].

use smallvec::SmallVec;

use super::maker::monthly_when;
use super::*;
use crate::check::model::Expr;
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

/// What every month made in millionths needs of the policy, worked out once for everybody.
pub struct Plan<'p> {
    /// Per cap: its limit, and the months (bit 0: January) in which its period starts.
    caps: Vec<(i64, u16)>,
    /// The rules a month's card decides ([`Engine::decided`]), in order.
    steps: Vec<Step<'p>>,
    /// Per item, in flat order: its budget, and whether its score counts in the month's total
    /// (it does not on a ledger).
    items: Vec<(i64, bool)>,
}

/// A rule a month's card decides.
enum Step<'p> {
    /// A capped or guarded `per` rule, whose points the engine summed at `slot`.
    Held {
        rule: usize,
        slot: usize,
        cap: Option<usize>,
        guard: Option<&'p Expr>,
        into: Into,
    },
    /// A `when` rule decided month by month.
    When {
        rule: usize,
        condition: &'p Expr,
        effects: Vec<Does<'p>>,
    },
}

/// Where a rule's points go: into an item's sum, or outside the items.
#[derive(Clone, Copy)]
enum Into {
    Item(usize),
    Outside,
}

impl Into {
    fn of(home: Home, from_total: bool) -> Into {
        match (home, from_total) {
            (Home::Item(i), false) => Into::Item(i),
            _ => Into::Outside,
        }
    }
}

/// What an effect of a `when` rule does to a month made in millionths.
enum Does<'p> {
    Points(&'p Expr, Into),
    /// `zero` on the item.
    Zero(usize),
    /// Nothing to a month (`freeze`, which only a balance card's `per` rules have; `zero`
    /// outside the items).
    Nothing,
    /// A flag, a grade, an override: the month is made the general way.
    Other,
}

impl<'p> Plan<'p> {
    /// The plan of `engine`'s policy; `None` when a cap's limit or an item's budget is not a
    /// whole number of millionths (every month is then made the general way).
    pub fn new(engine: &Engine<'p>) -> Option<Plan<'p>> {
        let policy: &'p Policy = engine.policy;
        let caps = policy
            .caps
            .iter()
            .map(|c| {
                let limit = millionths(Exact::from_decimal(c.limit))?;
                let starts = (1..=MONTHS as u8)
                    .filter(|&m| c.period.starts(m))
                    .fold(0u16, |bits, m| bits | (1 << (m - 1)));
                Some((limit, starts))
            })
            .collect::<Option<Vec<_>>>()?;
        let items = engine
            .items
            .iter()
            .map(|&(s, i)| {
                let budget = millionths(Exact::from_decimal(policy.sections[s].items[i].budget))?;
                Some((budget, policy.sections[s].ledger.is_none()))
            })
            .collect::<Option<Vec<_>>>()?;
        let mut steps = Vec::with_capacity(engine.decided.len());
        for &r in &engine.decided {
            let rr = &engine.rules[r];
            let rule: &'p crate::check::model::Rule = rr.rule;
            let into = Into::of(rr.home, rule.body.from_total());
            if let Some(slot) = engine.capped_slot(r) {
                if let RuleBody::Per { cap, guard, .. } = &rule.body {
                    steps.push(Step::Held {
                        rule: r,
                        slot,
                        cap: *cap,
                        guard: guard.as_ref(),
                        into,
                    });
                }
                continue;
            }
            let Some((condition, effects)) = monthly_when(&rule.body) else {
                continue;
            };
            let effects = effects
                .iter()
                .map(|effect| match (effect, rr.home) {
                    (
                        Effect::Points {
                            amount, from_total, ..
                        },
                        home,
                    ) => Does::Points(amount, Into::of(home, *from_total)),
                    (Effect::Zero, Home::Item(i)) => Does::Zero(i),
                    (Effect::Zero | Effect::Freeze(_), _) => Does::Nothing,
                    _ => Does::Other,
                })
                .collect();
            steps.push(Step::When {
                rule: r,
                condition,
                effects,
            });
        }
        Some(Plan { caps, steps, items })
    }
}

/// A month's sums while it is made, in millionths.
struct Month {
    /// Per item: its points before the clamp.
    sums: SmallVec<[i64; 8]>,
    /// The points outside the items.
    outside: i64,
}

impl Month {
    /// Books `points` where a rule puts them.
    fn book(&mut self, into: Into, points: i64) -> Option<()> {
        let sum = match into {
            Into::Item(i) => self.sums.get_mut(i)?,
            Into::Outside => &mut self.outside,
        };
        *sum = sum.checked_add(points)?;
        Some(())
    }
}

/// Each cap's running total, in millionths, as months made in millionths carry it.
pub(super) type Used = SmallVec<[i64; 4]>;

impl Plan<'_> {
    /// Each cap's running total `used` from nothing where its period starts in month `m`
    /// (0-based).
    pub(super) fn start_month(&self, used: &mut [i64], m: usize) {
        for (&(_, starts), u) in self.caps.iter().zip(used) {
            if (starts >> m) & 1 == 1 {
                *u = 0;
            }
        }
    }

    /// Every cap's running total at nothing.
    pub(super) fn unused(&self) -> Used {
        smallvec::smallvec![0; self.caps.len()]
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
        let plan = engine.integer_plan.as_ref()?;
        let month = (m + 1) as u8;
        // Each cap's running total as the month starts (a total that is not a whole number of
        // millionths does not matter where the cap's period starts again).
        let mut used = plan.unused();
        for ((&(_, starts), u), total) in plan.caps.iter().zip(&self.used).zip(&mut used) {
            if (starts >> m) & 1 == 0 {
                *total = millionths(*u)?;
            }
        }
        let mut items = ItemScores::with_capacity(plan.items.len());
        let (total, outside) = self.integer_total(m, env, &mut used, Some(&mut items))?;
        // Nothing gave up: the caps' running totals move on.
        for (u, n) in self.used.iter_mut().zip(&used) {
            if u.to_scaled(STORED_PLACES) != Some(*n) {
                *u = Exact::from_scaled(i128::from(*n), STORED_PLACES);
            }
        }
        let policy = engine.policy;
        let published =
            match Exact::round_scaled(total, STORED_PLACES, policy.round_places, policy.rounding) {
                Some(published) => published,
                None => {
                    let exact_total = Exact::from_scaled(i128::from(total), STORED_PLACES);
                    self.fail.publish(policy, exact_total, Some(month))
                }
            };
        Some(MonthResult {
            month,
            total: Stored::Millionths(total),
            published,
            items,
            outside: Stored::Millionths(outside),
            flags: Vec::new(),
            is_final: month_final,
        })
    }

    /// Month `m`'s total and its points outside the items, in millionths, with each item's score
    /// pushed to `items` if given; `used` is each cap's running total before the month, moved on
    /// to after it. `None` when the month cannot be made so, with nothing changed but caches of
    /// what expressions gave (and what was pushed to `items`).
    // One pass over the plan's steps, in the order the general month takes them: cut into
    // pieces, each would take the month's sums, zeros and caps' totals as arguments.
    pub(super) fn integer_total(
        &mut self,
        m: usize,
        env: &CardEnv<'_, '_>,
        used: &mut Used,
        items: Option<&mut ItemScores>,
    ) -> Option<(i64, i64)> {
        let engine = self.engine;
        let plan = engine.integer_plan.as_ref()?;
        let p = self.p;
        let n = plan.items.len();
        let cells = engine.plain_cells(p, m)?;
        let mut sums = Month {
            sums: SmallVec::from_slice(cells.get(..n)?),
            outside: *cells.get(n)?,
        };
        let mut zero: SmallVec<[bool; 8]> = SmallVec::from_slice(engine.zeroed(p, m));
        // Each cap's running total as the month starts: from nothing when its period does.
        let mut running = used.clone();
        plan.start_month(&mut running, m);
        let applies = |r: usize| engine.rule_applies[r].as_ref().is_none_or(|a| a[p]);
        for step in &plan.steps {
            match step {
                Step::Held {
                    rule,
                    slot,
                    cap,
                    guard,
                    into,
                } => {
                    let raw = *cells.get(*slot)?;
                    if raw == 0 || !applies(*rule) {
                        continue;
                    }
                    // Held back by its guard: nothing counts.
                    if let Some(g) = guard {
                        if !expr::truth(g, env).ok()? {
                            continue;
                        }
                    }
                    let counted = match cap {
                        None => raw,
                        Some(c) => {
                            let (limit, _) = *plan.caps.get(*c)?;
                            let before = *running.get(*c)?;
                            let after =
                                clamped(before.checked_add(raw)?, limit.checked_neg()?, limit);
                            *running.get_mut(*c)? = after;
                            after.checked_sub(before)?
                        }
                    };
                    sums.book(*into, counted)?;
                }
                Step::When {
                    rule,
                    condition,
                    effects,
                } => {
                    if !applies(*rule) || !self.holds(*rule, condition, env).ok()? {
                        continue;
                    }
                    for effect in effects {
                        match effect {
                            Does::Points(amount, into) => {
                                let points = millionths(expr::number(amount, env).ok()?)?;
                                sums.book(*into, points)?;
                            }
                            Does::Zero(i) => *zero.get_mut(*i)? = true,
                            Does::Nothing => {}
                            Does::Other => return None,
                        }
                    }
                }
            }
        }
        let total = self.integer_items(plan, env, (&sums, &zero), items)?;
        *used = running;
        Some((total, sums.outside))
    }

    /// Every item's score (its base plus its points, clamped to 0..budget, or 0 when zeroed),
    /// pushed to `items` if given, and the month's total, as [`Maker::items`] gives them.
    fn integer_items(
        &mut self,
        plan: &Plan<'_>,
        env: &CardEnv<'_, '_>,
        (sums, zero): (&Month, &[bool]),
        mut items: Option<&mut ItemScores>,
    ) -> Option<i64> {
        let mut total = sums.outside;
        for (flat, &(budget, counted)) in plan.items.iter().enumerate() {
            let Some((_, base_rule)) = self.setup.get(flat)? else {
                if let Some(items) = items.as_mut() {
                    items.push(None);
                }
                continue;
            };
            let base = match base_rule {
                None => budget,
                Some((_, b)) => millionths(expr::number(&b.value, env).ok()?)?,
            };
            let running = base.checked_add(*sums.sums.get(flat)?)?;
            let score = if *zero.get(flat)? {
                0
            } else {
                clamped(running, 0, budget)
            };
            if counted {
                total = total.checked_add(score)?;
            }
            if let Some(items) = items.as_mut() {
                items.push_millionths(score);
            }
        }
        Some(total)
    }
}
