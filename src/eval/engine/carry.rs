//! A yearly card's carry (§31; 文登区农村居民信用积分 第三十条: "失信信息处于未改正的持续状态时，有效期
//! 顺延至下一年度，直至整改完成年度"). A `per` rule with `valid until FIELD` and no duration, on a
//! `card year` policy, counts its records of the policy's year as any rule does, and a record of an
//! earlier year as well, at its full value, dated January 1, while FIELD is empty or falls in the
//! policy's year or later: its validity runs to December 31 of the year of FIELD. A record
//! corrected in an earlier year ended there and counts nothing. Earlier years' records count in no
//! aggregate, and give nothing through any other rule.

use super::*;
use crate::check::model::Validity;
use crate::date::Date;

/// A record of an earlier year on a yearly card that carries: carried into this year's card by a
/// rule, or not (corrected before the year, or read by no rule that carries).
#[derive(Clone, Debug, PartialEq)]
pub struct Carried {
    /// The rule that carries it, or that would have: `None` when no rule that carries reads it.
    pub rule: Option<usize>,
    pub kind: usize,
    pub origin: Origin,
    /// The record's own date.
    pub date: Date,
    /// Its `until` field's day, when filled.
    pub corrected: Option<Date>,
    /// Counted on this year's card; `false`: corrected in an earlier year, so its validity ended.
    pub counts: bool,
    /// The person the record names, if it names one.
    pub person: Option<usize>,
}

/// Whether a rule's validity is a yearly card's carry: `valid until FIELD`, with no duration.
pub fn carries(v: &Validity) -> bool {
    v.durations.is_empty() && v.until.is_some()
}

/// Whether some rule of a yearly card carries (`valid until FIELD`): its earlier years' records
/// are then read.
pub fn policy_carries(policy: &Policy) -> bool {
    if policy.balance {
        return false;
    }
    let (rules, _) = super::super::plan::flat_rules(policy);
    rules.iter().any(|rr| match &rr.rule.body {
        RuleBody::Per { validity, .. } => validity.as_deref().is_some_and(carries),
        RuleBody::When { .. } => false,
    })
}

impl Engine<'_> {
    /// The `until` field of rule `r` when it carries (not on a balance card, which reads every
    /// entry's validity on a day).
    pub(super) fn carry_field(&self, r: usize) -> Option<usize> {
        if self.policy.balance {
            return None;
        }
        self.validity(r)
            .filter(|v| carries(v))
            .and_then(|v| v.until)
    }

    /// Whether a record of the policy's year may go through rule `r`: its `until` day, when the
    /// rule carries, is neither before the record's date nor after the report day (each reported
    /// at the record's line).
    pub(super) fn carry_checked(&mut self, r: usize, rec: &Record<'_>) -> bool {
        match self.carry_field(r) {
            Some(f) => self.corrected_day(r, rec, f).is_some(),
            None => true,
        }
    }

    /// The day in the `until` field `f` of a record through a rule that carries: `Some(None)`
    /// when it is empty; `None` after reporting a day before the record's date, or after the
    /// report day (a day not come yet). A day after the year and up to the report day is a
    /// correction already known, of a later year: the fault was uncorrected through this year.
    fn corrected_day(&mut self, r: usize, rec: &Record<'_>, f: usize) -> Option<Option<Date>> {
        let start = rec.date();
        match rec.fields.get(f) {
            // Before the record's date: reported as on a balance card.
            Some(Value::Date(d)) if *d < start => self.day_of(r, rec, f, "until"),
            Some(Value::Date(d)) if *d > self.report_day => {
                self.not_yet(r, rec, (f, *d), "until", true)
            }
            Some(Value::Date(d)) => Some(Some(*d)),
            _ => Some(None),
        }
    }

    /// A record of an earlier year on a yearly card: through each rule of its kind that carries,
    /// counted on this year's card as a record of January 1 while it is uncorrected (its `until`
    /// field empty, or in this year or later), else kept as not carried for the explanation, as
    /// is the traced person's record that no rule that carries reads.
    pub(super) fn carry_record(&mut self, rec: &Record<'_>, env: &RecordEnv<'_>) {
        let year = self.policy.year;
        let person = match rec.subject {
            Subject::Person(p) => Some(p),
            _ => None,
        };
        let date = rec.date();
        let mut read = false;
        for i in 0..self.by_kind[rec.kind].len() {
            let r = self.by_kind[rec.kind][i];
            let Some(f) = self.carry_field(r) else {
                continue;
            };
            let RuleBody::Per { events, filter, .. } = &self.rules[r].rule.body else {
                continue;
            };
            let per_field = events
                .iter()
                .find(|e| e.kind == rec.kind)
                .and_then(|e| e.per_field);
            match expr::rule_reads(filter.as_ref(), per_field, env) {
                Ok(Some(_)) => {}
                Ok(None) => continue,
                Err(gap) => {
                    self.record_gap(r, rec, gap);
                    continue;
                }
            }
            read = true;
            let Some(corrected) = self.corrected_day(r, rec, f) else {
                continue;
            };
            let counts = corrected.is_none_or(|d| d.year >= year);
            self.carried.push(Carried {
                rule: Some(r),
                kind: rec.kind,
                origin: rec.origin,
                date,
                corrected,
                counts,
                person,
            });
            if counts {
                let moved = Record {
                    year,
                    month: 1,
                    day: 1,
                    ..*rec
                };
                self.per_event(r, &moved, env);
            }
        }
        // Ended with its year (第三十条): shown on the card of the person it names.
        if !read && person.is_some() && person == self.trace {
            self.carried.push(Carried {
                rule: None,
                kind: rec.kind,
                origin: rec.origin,
                date,
                corrected: None,
                counts: false,
                person,
            });
        }
    }
}
