//! A balance card (`card balance`): every entry (one record through one `per` rule) is kept until
//! the last record is in, then counted on each monthly snapshot whose day it is valid on, with
//! repeats within the validity of an earlier entry multiplied (`repeat * 2`). Unlike the monthly
//! accumulators, these entries grow with the number of records: a balance policy is read once
//! per person's history, not a district's stream of daily records.

use super::*;
use crate::check::model::{ValidPick, Validity};
use crate::date::{Date, Duration, days_in_month};
use crate::ops::Period;

/// How long an entry lasts.
#[derive(Clone, Copy, Debug)]
pub(super) struct Lasts {
    /// `None`: until the end of its record's year (a rule without `valid`).
    pub(super) duration: Option<Duration>,
    /// `valid … from FIELD` with the field filled: the day the duration runs from.
    pub(super) from: Option<Date>,
    /// `valid … from FIELD` with the field empty: the fault continues, and the entry with it.
    pub(super) continuing: bool,
    /// `valid … since FIELD`: the day the entry starts on, instead of its record's date.
    pub(super) starts: Option<Date>,
    /// `valid … until FIELD` with the field filled: the first day the entry no longer counts.
    pub(super) until: Option<Date>,
}

/// One record's effects through one rule, waiting for the snapshots.
#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub(super) rule: usize,
    pub(super) subject: Subject,
    pub(super) start: Date,
    pub(super) lasts: Lasts,
    pub(super) amounts: Vec<Option<Exact>>,
    pub(super) named: Vec<Option<usize>>,
    pub(super) origin: Origin,
    /// Its group of a `highest per` rule: on each day only the best of the group's valid
    /// entries counts.
    pub(super) group: Option<GroupKey>,
    /// Its points before a cap over a year took some of them off.
    pub(super) capped: Option<Exact>,
}

impl Entry {
    /// Its points, summed over the rule's amounts.
    fn points(&self) -> Exact {
        self.amounts
            .iter()
            .flatten()
            .fold(Exact::ZERO, |acc, a| acc.checked_add(*a).unwrap_or(acc))
    }
}

/// Past every day a record can have: the end of a continuing fault's entry.
const NEVER: Date = Date {
    year: i32::MAX,
    month: 12,
    day: 31,
};

/// The first day an entry starting on `start` no longer counts.
fn past(start: Date, lasts: Lasts) -> Date {
    let end = match (lasts.continuing, lasts.duration) {
        // A continuing fault counts on every day from its record's on.
        (true, _) => NEVER,
        (false, Some(d)) => lasts.from.unwrap_or(start).after(d),
        (false, None) => Date {
            year: start.year + 1,
            month: 1,
            day: 1,
        },
    };
    // Corrected or repaired (`until FIELD`): it stops counting on that day.
    lasts.until.map_or(end, |u| end.min(u))
}

/// An entry as the traced person's explanation shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryWindow {
    pub rule: usize,
    pub origin: Origin,
    pub start: Date,
    /// The last day it counts; `None` while its fault continues (`valid … from FIELD`, empty).
    pub last: Option<Date>,
    /// The factor of a repeat (`repeat * 2`), when it is one.
    pub repeat: Option<Decimal>,
    /// Its points (after the factor), summed over the rule's amounts.
    pub points: Exact,
    /// Valid on the reading day.
    pub counts: bool,
    /// Valid on the reading day, but another entry of its `highest per` group counts instead.
    pub outranked: bool,
    /// Its points before its cap over a year took some off (`points` is what is left).
    pub capped: Option<Exact>,
    /// Not an entry: a record of a `once` act that another record of the act counts for; the
    /// group, and the rule and record of the one that counts.
    pub dropped: Option<(usize, usize, Origin)>,
    /// Ended by its `until FIELD` (corrected, repaired) before its validity ran out: that day.
    pub ended: Option<Date>,
    /// Valid on the reading day, but held back by a `freeze` of its block: the freezing rule
    /// and record.
    pub frozen: Option<(usize, Origin)>,
}

/// The first amount's size: what a table of durations by size reads, and what picks a `once`
/// act's winner.
pub(super) fn size(amounts: &[Option<Exact>]) -> Exact {
    amounts
        .iter()
        .flatten()
        .next()
        .copied()
        .unwrap_or_default()
        .abs()
}

/// The duration an entry takes: the one written, or the table's entry for the record's field or
/// for the size of the entry's points.
pub(super) fn duration_of(v: &Validity, fields: &[Value], amounts: &[Option<Exact>]) -> Duration {
    let index = match &v.pick {
        ValidPick::Fixed => Some(0),
        ValidPick::Table {
            field,
            entries,
            default,
        } => {
            // The table reads the record's field, or the size of the entry's points.
            let value = match field {
                Some(f) => expr::value(fields.get(*f).unwrap_or(&Value::Missing)),
                None => expr::V::Num(size(amounts)),
            };
            let hit = entries.iter().find(|(k, _)| expr::key_holds(k, &value));
            hit.map(|(_, i)| *i).or(*default)
        }
    };
    // `check` gives every table an `else` or every value an entry; a record whose optional
    // field is empty, with no `else`, takes the first duration written.
    index
        .and_then(|i| v.durations.get(i).copied())
        .or_else(|| v.durations.first().copied())
        .unwrap_or(Duration {
            count: 1,
            unit: crate::date::TimeUnit::Day,
        })
}

impl Engine<'_> {
    /// The rule's validity, if it has one.
    pub(super) fn validity(&self, r: usize) -> Option<&Validity> {
        match &self.rules[r].rule.body {
            RuleBody::Per { validity, .. } => validity.as_deref(),
            RuleBody::When { .. } => None,
        }
    }

    /// How long a record's entry through a rule with `validity` lasts, without `since` and
    /// `until` ([`Engine::lasts`] adds them); `None` after reporting a `from` date before the
    /// record's own.
    pub(super) fn lasts_from(
        &mut self,
        r: usize,
        validity: Option<&Validity>,
        rec: &Record<'_>,
        amounts: &[Option<Exact>],
    ) -> Option<Lasts> {
        let Some(v) = validity else {
            return Some(Lasts {
                duration: None,
                from: None,
                continuing: false,
                starts: None,
                until: None,
            });
        };
        let duration = Some(duration_of(v, rec.fields, amounts));
        let Some(f) = v.from else {
            return Some(Lasts {
                duration,
                from: None,
                continuing: false,
                starts: None,
                until: None,
            });
        };
        let start = rec.date();
        match rec.fields.get(f) {
            Some(Value::Date(d)) if *d < start => {
                let clause = self.clause_of(r);
                let field = self.field_name(r, f);
                self.errors.push(crate::eval::outcome::scoring_problem(
                    Code::OutOfRange,
                    Some(rec.origin),
                    crate::tr!(
                        format!("rule {clause}counts this record from `{field}`, {d}, which is before the record's date {start}"),
                        format!(
                            "{}从 `{field}` 的 {d} 起算这条记录，这一天早于记录日期 {start}",
                            super::problems::zh_rule(&clause)
                        )
                    ),
                    Some(crate::tr!(
                        format!("`{field}` is the day the fault ended, on or after the record's date; correct one of them"),
                        format!("`{field}` 是问题整改完的日子，不早于记录日期；改正其中一个")
                    )),
                ));
                None
            }
            Some(Value::Date(d)) => Some(Lasts {
                duration,
                from: Some(*d),
                continuing: false,
                starts: None,
                until: None,
            }),
            _ => Some(Lasts {
                duration,
                from: None,
                continuing: true,
                starts: None,
                until: None,
            }),
        }
    }

    /// The name of field `f` of the rule's (first) record kind.
    pub(super) fn field_name(&self, r: usize, f: usize) -> String {
        match &self.rules[r].rule.body {
            RuleBody::Per { events, .. } => events
                .first()
                .and_then(|e| self.policy.kinds.get(e.kind))
                .and_then(|k| k.fields.get(f))
                .map_or_else(String::new, |f| f.name.clone()),
            RuleBody::When { .. } => String::new(),
        }
    }

    /// Keeps a record's effects through rule `r` until the snapshots are read.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn keep_entry(
        &mut self,
        r: usize,
        subject: Subject,
        start: Date,
        lasts: Lasts,
        amounts: &[Option<Exact>],
        named: &[Option<usize>],
        origin: Origin,
    ) {
        self.entries.push(Entry {
            rule: r,
            subject,
            start: lasts.starts.unwrap_or(start),
            lasts,
            amounts: amounts.to_vec(),
            named: named.to_vec(),
            origin,
            group: None,
            capped: None,
        });
    }

    /// Counts every entry on each snapshot it is valid on: the last day of each month of the
    /// year, or the reading day in the month it falls in. Call once, after `settle_highest`.
    // Long: the snapshot days, the repeats, the caps over a year and the `highest per` groups
    // are one pass over the entries, in that order.
    pub fn settle_validity(&mut self) {
        if !self.policy.balance {
            return;
        }
        let year = self.policy.year;
        let reading = self.reading;
        let days: Vec<Date> = (1..=12u8)
            .map(|m| {
                let end = Date {
                    year,
                    month: m,
                    day: days_in_month(year, m),
                };
                if reading.year == year && reading.month == m {
                    reading
                } else {
                    end
                }
            })
            .collect();
        self.step_entries();
        let mut entries = std::mem::take(&mut self.entries);
        // The entries of `highest per` groups, each group in the order first met.
        let mut groups: HashMap<(usize, Subject, GroupKey), usize> = HashMap::new();
        let mut grouped: Vec<Vec<(Entry, Date, Option<Decimal>)>> = Vec::new();
        entries.sort_by_key(|e| (e.rule, e.subject, e.start, e.origin));
        // Per rule and subject: the latest first day past the window of the entries so far. They
        // are in the order of their first days, so an entry falls inside an earlier one's window
        // exactly when it starts before that day (one comparison, not one per earlier entry).
        let mut before: Option<Date> = None;
        let mut group: Option<(usize, Subject)> = None;
        let mut timed: Vec<(Entry, Date, Option<Decimal>)> = Vec::with_capacity(entries.len());
        for mut e in entries {
            if group != Some((e.rule, e.subject)) {
                group = Some((e.rule, e.subject));
                before = None;
            }
            let past = past(e.start, e.lasts);
            let factor = self.validity(e.rule).and_then(|v| v.repeat);
            let repeat = factor.filter(|_| before.is_some_and(|p| e.start < p));
            before = Some(before.map_or(past, |p| p.max(past)));
            if let Some(f) = repeat {
                self.multiply(&mut e, f);
            }
            timed.push((e, past, repeat));
        }
        self.cap_years(&mut timed);
        let frozen = self.frozen_days(timed.iter().map(|(e, past, _)| (e, *past)), &days);
        for (e, past, repeat) in timed {
            match &e.group {
                Some(key) => {
                    let at = *groups
                        .entry((e.rule, e.subject, key.clone()))
                        .or_insert_with(|| {
                            grouped.push(Vec::new());
                            grouped.len() - 1
                        });
                    grouped[at].push((e, past, repeat));
                }
                None => {
                    if self.trace.is_some() {
                        self.trace_entry(&e, past, repeat, false);
                    }
                    for (m, day) in days.iter().enumerate() {
                        let month = (m + 1) as u8;
                        if e.start <= *day
                            && *day < past
                            && self
                                .held_by_freeze(&frozen, e.rule, e.subject, month)
                                .is_none()
                        {
                            self.apply(e.rule, e.subject, month, e.origin, &e.amounts, &e.named);
                        }
                    }
                }
            }
        }
        // `highest per` on a balance: on each day, of a group's entries valid that day, the one
        // with the largest first amount by size counts (the earliest on a tie).
        for group in grouped {
            let best = |day: Date| {
                group
                    .iter()
                    .enumerate()
                    .filter(|(_, (e, past, _))| e.start <= day && day < *past)
                    .max_by(|(_, (a, _, _)), (_, (b, _, _))| {
                        size(&a.amounts)
                            .cmp(&size(&b.amounts))
                            .then((b.start, b.origin).cmp(&(a.start, a.origin)))
                    })
                    .map(|(i, _)| i)
            };
            let on_reading = best(reading);
            for (m, day) in days.iter().enumerate() {
                if let Some((e, _, _)) = best(*day).and_then(|i| group.get(i)) {
                    let month = (m + 1) as u8;
                    if self
                        .held_by_freeze(&frozen, e.rule, e.subject, month)
                        .is_none()
                    {
                        self.apply(e.rule, e.subject, month, e.origin, &e.amounts, &e.named);
                    }
                }
            }
            if self.trace.is_some() {
                for (i, (e, past, repeat)) in group.iter().enumerate() {
                    let valid = e.start <= reading && reading < *past;
                    self.trace_entry(e, *past, *repeat, valid && on_reading != Some(i));
                }
            }
        }
        // The reading day's snapshot is the one of its month (or December's, read after the year).
        if let Some(m) = days.iter().position(|d| *d == reading) {
            self.trace_frozen(&frozen, (m + 1) as u8);
        } else if reading.year > year {
            self.trace_frozen(&frozen, 12);
        }
    }

    /// A repeat's amounts, `factor` times the original.
    fn multiply(&mut self, e: &mut Entry, factor: Decimal) {
        let f = Exact::from_decimal(factor);
        for a in e.amounts.iter_mut().flatten() {
            match a.checked_mul(f) {
                Some(x) => *a = x,
                None => {
                    let what = crate::tr!(
                        format!("rule {}", self.rules[e.rule].rule.text),
                        format!("条款 {}", self.rules[e.rule].rule.text)
                    );
                    self.errors
                        .push(problems::record_problem(&what, e.origin, Gap::Overflow));
                }
            }
        }
    }

    /// Caps over a year on a balance card: per person, the entries of the records dated in one
    /// year from the rules under the cap take its running total towards its limit, in the order
    /// of their dates, then files and lines, then rules; each entry keeps the part that fits
    /// (`check` lets only rules whose records reach the person they name have such a cap).
    fn cap_years(&mut self, timed: &mut [(Entry, Date, Option<Decimal>)]) {
        let policy = self.policy;
        let capped_by = |e: &Entry| match &self.rules[e.rule].rule.body {
            RuleBody::Per { cap: Some(c), .. } => policy
                .caps
                .get(*c)
                .filter(|c| c.period == Period::Year)
                .map(|_| *c),
            _ => None,
        };
        let mut order: Vec<(usize, Subject, i32, Date, Origin, usize, usize)> = timed
            .iter()
            .enumerate()
            .filter_map(|(i, (e, _, _))| {
                let c = capped_by(e)?;
                // A rule whose `for` leaves the person out gives them nothing, and takes no cap.
                let left_out = match e.subject {
                    Subject::Person(p) => self.rule_applies[e.rule].as_ref().is_some_and(|a| !a[p]),
                    _ => false,
                };
                (!left_out).then_some((c, e.subject, e.start.year, e.start, e.origin, e.rule, i))
            })
            .collect();
        order.sort_unstable();
        let mut used = Exact::ZERO;
        let mut period = None;
        for (c, subject, year, _, _, _, i) in order {
            if period != Some((c, subject, year)) {
                period = Some((c, subject, year));
                used = Exact::ZERO;
            }
            let limit = policy
                .caps
                .get(c)
                .map_or(Exact::ZERO, |c| Exact::from_decimal(c.limit));
            let Some((e, _, _)) = timed.get_mut(i) else {
                continue;
            };
            let before = e.points();
            for a in e.amounts.iter_mut().flatten() {
                let after = used
                    .checked_add(*a)
                    .unwrap_or(limit)
                    .clamp(limit.checked_neg().unwrap_or(Exact::ZERO), limit);
                // Both within the cap, so the difference fits.
                *a = after.checked_sub(used).unwrap_or(Exact::ZERO);
                used = after;
            }
            if e.points() != before {
                e.capped = Some(before);
            }
        }
    }

    /// Shows a `once` act's record that does not count on a balance card (its act's winner does):
    /// the window it would have had, and `dropped` (the group, the winner's rule and record).
    pub(super) fn trace_dropped_entry(
        &mut self,
        c: &records::Candidate,
        lasts: Lasts,
        dropped: (usize, usize, Origin),
    ) {
        let start = lasts.starts.unwrap_or(Date {
            year: c.year,
            month: c.month,
            day: c.day,
        });
        let past = past(start, lasts);
        let points = c
            .amounts
            .iter()
            .flatten()
            .fold(Exact::ZERO, |acc, a| acc.checked_add(*a).unwrap_or(acc));
        self.windows.push(EntryWindow {
            rule: c.rule,
            origin: c.origin,
            start,
            last: (past != NEVER).then(|| past.before()),
            repeat: None,
            points,
            counts: false,
            outranked: false,
            capped: None,
            dropped: Some(dropped),
            ended: None,
            frozen: None,
        });
    }

    /// Keeps the entry's window when it reaches the traced person.
    fn trace_entry(&mut self, e: &Entry, past: Date, repeat: Option<Decimal>, outranked: bool) {
        let Some(t) = self.trace else {
            return;
        };
        let (RuleBody::Per { effects, .. } | RuleBody::When { effects, .. }) =
            &self.rules[e.rule].rule.body;
        let mut reaches = false;
        for (i, effect) in effects.iter().enumerate() {
            let target = match effect {
                Effect::Points { target, .. } => *target,
                _ => Target::Subject,
            };
            let named = e.named.get(i).copied().flatten();
            // Whom it reaches is reported (when nobody) as the entry is applied, and only if it
            // is: an entry valid on no snapshot is no error, traced or not.
            reaches |= self.would_reach(e.rule, e.subject, target, e.origin, named, t);
        }
        if !reaches {
            return;
        }
        let points = e.points();
        let last = (past != NEVER).then(|| past.before());
        self.windows.push(EntryWindow {
            rule: e.rule,
            origin: e.origin,
            start: e.start,
            last,
            repeat,
            points,
            counts: !outranked && e.start <= self.reading && self.reading < past,
            outranked,
            capped: e.capped,
            dropped: None,
            ended: e.lasts.until.filter(|u| *u == past),
            frozen: None,
        });
    }
}
