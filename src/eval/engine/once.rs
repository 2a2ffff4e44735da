//! `once` groups: of the records that are one act (one subject, the same key, the same period),
//! the rules of the group count one effect, the largest by size. Every candidate is kept until the
//! records are read; then each act keeps its winner, which is applied in its own month, and the
//! others count nothing (the traced person's are kept to be shown).

use super::*;
use crate::check::model::OnceBy;
use crate::ops::Period;

/// What makes records one act, besides their subject and period.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum ActKey {
    /// Only the subject and the period.
    Period,
    Date(u8, u8),
    /// A field's value, as a `highest per` group is keyed.
    Field(GroupKey),
    /// An empty field: the record is an act of its own.
    Alone(Origin),
}

/// One act: its subject, its year (a balance card reads earlier years' records), its period
/// (the month, the quarter or 0 for the year) and its key.
pub(super) type Act = (Subject, i32, u8, ActKey);

/// A record's effect that `once` kept aside, and the act's winner, for the traced person.
#[derive(Clone, Debug)]
pub struct Dropped {
    pub rule: usize,
    pub month: u8,
    pub origin: Origin,
    /// The points the record would have given.
    pub points: Exact,
    /// Counted outside the item (`from total`, or an adjustments rule).
    pub outside: bool,
    /// The group (index into the policy's `onces`).
    pub group: usize,
    /// The rule and record that count for the act instead.
    pub winner: (usize, Origin),
}

impl Engine<'_> {
    /// The act a record of rule `r` belongs to in group `g`.
    pub(super) fn act_of(&self, g: usize, rec: &Record<'_>) -> Option<Act> {
        let once = self.policy.onces.get(g)?;
        let period = match once.period {
            Some(Period::Month) => rec.month,
            Some(Period::Quarter) => (rec.month.clamp(1, 12) - 1) / 3 + 1,
            Some(Period::Year) | None => 0,
        };
        let key = match &once.by {
            OnceBy::Period => ActKey::Period,
            OnceBy::Date => ActKey::Date(rec.month, rec.day),
            OnceBy::Field { of_kind, .. } => {
                let value = of_kind
                    .get(rec.kind)
                    .copied()
                    .flatten()
                    .and_then(|f| rec.fields.get(f));
                match GroupKey::of(value, rec.origin) {
                    GroupKey::Alone(origin) => ActKey::Alone(origin),
                    key => ActKey::Field(key),
                }
            }
        };
        // On a balance card an act named by a field with no period written is one act across
        // years (a fault of December and its sanction of January); else it is within its year.
        let year = match (&once.by, once.period) {
            (OnceBy::Field { .. }, None) if self.policy.balance => 0,
            _ => rec.year,
        };
        Some((rec.subject, year, period, key))
    }

    /// Keeps a record's computed effect as a candidate of its act.
    pub(super) fn once_candidate(&mut self, g: usize, cand: Candidate, act: Act) {
        if let Some(acts) = self.once.get_mut(g) {
            acts.entry(act).or_default().push(cand);
        }
    }

    /// Applies each act's winner (on a balance card: keeps it as an entry, with its validity),
    /// and keeps the traced person's dropped effects; call once, after the last record (and
    /// after merging every reading thread's engine), before `settle_validity`.
    pub(super) fn settle_once(&mut self) {
        for g in 0..self.once.len() {
            let acts = std::mem::take(&mut self.once[g]);
            let mut acts: Vec<Vec<Candidate>> = acts.into_values().collect();
            for act in &mut acts {
                act.sort_by_key(|c| (c.year, c.month, c.day, c.origin, c.rule));
            }
            acts.sort_by_key(|a| {
                a.first()
                    .map(|c| (c.year, c.month, c.day, c.origin, c.rule))
            });
            for act in acts {
                let Some(best) = winner(&act, |r| self.direct_grade(r)) else {
                    continue;
                };
                let w = &act[best];
                match w.lasts {
                    Some(lasts) => {
                        let start = crate::date::Date {
                            year: w.year,
                            month: w.month,
                            day: w.day,
                        };
                        self.keep_entry(
                            w.rule, w.subject, start, lasts, &w.amounts, &w.named, w.origin,
                        );
                    }
                    None => self.apply(w.rule, w.subject, w.month, w.origin, &w.amounts, &w.named),
                }
                if self.trace.is_some() {
                    for (i, c) in act.iter().enumerate() {
                        if i != best {
                            self.trace_dropped(g, c, (w.rule, w.origin));
                        }
                    }
                }
            }
        }
    }

    /// The direct grade (`grade D`) rule `r` sets, if any: the lowest of them.
    fn direct_grade(&self, r: usize) -> Option<usize> {
        let RuleBody::Per { effects, .. } = &self.rules.get(r)?.rule.body else {
            return None;
        };
        effects.iter().filter_map(Effect::direct_grade).max()
    }

    /// Keeps a dropped effect if it would have reached the traced person.
    fn trace_dropped(&mut self, g: usize, c: &Candidate, winner: (usize, Origin)) {
        let Some(p) = self.trace else { return };
        let r = c.rule;
        let rule = self.rules[r].rule;
        let home = self.rules[r].home;
        let RuleBody::Per { effects, .. } = &rule.body else {
            return;
        };
        // Per amount: its target, whether it counts outside the item, its points and the person
        // a `to FIELD` names. A direct grade without an amount reaches the record's subject.
        let mut reached: Vec<(Target, bool, Exact, Option<usize>)> = Vec::new();
        for (e, (effect, amount)) in effects.iter().zip(&c.amounts).enumerate() {
            if let Effect::Points {
                target, from_total, ..
            } = effect
            {
                let named = c.named.get(e).copied().flatten();
                reached.push((*target, *from_total, amount.unwrap_or_default(), named));
            }
        }
        if reached.is_empty() {
            reached.push((Target::Subject, false, Exact::ZERO, None));
        }
        for (target, from_total, points, named) in reached {
            if !self.would_reach(r, c.subject, target, c.origin, named, p) {
                continue;
            }
            if let Some(lasts) = c.lasts {
                // A balance card shows it among the entries, with the act's winner.
                self.trace_dropped_entry(c, lasts, (g, winner.0, winner.1));
                return;
            }
            self.dropped.push(Dropped {
                rule: r,
                month: c.month,
                origin: c.origin,
                points,
                outside: from_total || home == Home::Adjustments,
                group: g,
                winner,
            });
        }
    }
}

/// The index of an act's winner among its candidates (sorted by date, file and line, then rule):
/// a direct grade before any amount, the lowest grade first (第十八条 2, 按直接判级或最高减分计算);
/// then the largest amount by size; the first of those on a tie. `grade_of` gives a rule's direct
/// grade (a grade's index: a larger one is a lower grade).
fn winner(act: &[Candidate], grade_of: impl Fn(usize) -> Option<usize>) -> Option<usize> {
    let mut best: Option<(usize, (usize, Exact))> = None;
    for (i, c) in act.iter().enumerate() {
        let rank = (
            grade_of(c.rule).map_or(0, |g| g.saturating_add(1)),
            super::validity::size(&c.amounts),
        );
        if best.is_none_or(|(_, b)| rank > b) {
            best = Some((i, rank));
        }
    }
    best.map(|(i, _)| i)
}
