//! Corrections and repairs on a balance card: `valid … until FIELD` ends an entry on the day a
//! date field of its record gives (a fault corrected, 第十七条; a direct grade repaired, 第十九条),
//! and `valid … since FIELD` starts one there (the deduction a repair leaves, kept its duration
//! from the repair), with no entry while the field is empty.

use super::validity::Lasts;
use super::*;
use crate::check::model::Validity;
use crate::date::Date;

impl Engine<'_> {
    /// How long a record's entry through a rule with `validity` lasts: its duration (and `from`),
    /// then where `since` starts it and `until` ends it. `None`: no entry (a `since` field still
    /// empty), or a date before the record's own, reported.
    pub(super) fn lasts(
        &mut self,
        r: usize,
        validity: Option<&Validity>,
        rec: &Record<'_>,
        amounts: &[Option<Exact>],
    ) -> Option<Lasts> {
        let mut lasts = self.lasts_from(r, validity, rec, amounts)?;
        let Some(v) = validity else {
            return Some(lasts);
        };
        if let Some(f) = v.from {
            // Its day before the record's was reported already; here a day not come yet.
            self.day_of(r, rec, f, "from")?;
        }
        if let Some(f) = v.since {
            // The duration runs from the day it starts.
            let day = self.day_of(r, rec, f, "since")??;
            lasts.starts = Some(day);
            lasts.from = Some(day);
            lasts.continuing = false;
        }
        if let Some(f) = v.until {
            lasts.until = self.day_of(r, rec, f, "until")?;
        }
        Some(lasts)
    }

    /// The day in date field `f` of the record: `Some(None)` when it is empty; `None` after
    /// reporting a day before the record's date (`word`: the modifier that reads it).
    pub(super) fn day_of(
        &mut self,
        r: usize,
        rec: &Record<'_>,
        f: usize,
        word: &str,
    ) -> Option<Option<Date>> {
        let start = rec.date();
        let d = match rec.fields.get(f) {
            Some(Value::Date(d)) => *d,
            _ => return Some(None),
        };
        if d > self.reading {
            return self.not_yet(r, rec, (f, d), word, false);
        }
        if d >= start {
            return Some(Some(d));
        }
        let clause = self.clause_of(r);
        let field = self.field_name(r, f);
        self.errors.push(crate::eval::outcome::scoring_problem(
            Code::OutOfRange,
            Some(rec.origin),
            crate::tr!(
                format!("rule {clause}reads `{word} {field}`, {d}, which is before the record's date {start}"),
                format!(
                    "{}读 `{word} {field}` 的 {d}，这一天早于记录日期 {start}",
                    super::problems::zh_rule(&clause)
                )
            ),
            Some(crate::tr!(
                format!("`{field}` is the day the fault was corrected or repaired, on or after the record's date; correct one of them"),
                format!("`{field}` 是问题改正或信用修复的日子，不早于记录日期；改正其中一个")
            )),
        ));
        None
    }
}

impl Engine<'_> {
    /// Reports a date field read by `word` (`from`, `since`, `until`) whose day `d` is after the
    /// day the card is read (`report`: after the report day, on a yearly card that carries, which
    /// takes a correction after its year): a day that has not come (a typo in the year, 2109 for
    /// 2019).
    pub(super) fn not_yet<T>(
        &mut self,
        r: usize,
        rec: &Record<'_>,
        (f, d): (usize, Date),
        word: &str,
        report: bool,
    ) -> Option<T> {
        let clause = self.clause_of(r);
        let field = self.field_name(r, f);
        let zh_rule = super::problems::zh_rule(&clause);
        let (message, help) = if report {
            let report_day = self.report_day;
            (
                crate::tr!(
                    format!(
                        "rule {clause}reads `{word} {field}`, {d}, which is after the report day {report_day}"
                    ),
                    format!(
                        "{zh_rule}读 `{word} {field}` 的 {d}，这一天在报告日 {report_day} 之后"
                    )
                ),
                crate::tr!(
                    format!(
                        "a fault cannot have been corrected on a day that has not come: correct the year if it is a typo, or leave `{field}` empty until that day"
                    ),
                    format!(
                        "还没到的日子不能算整改完毕：如果年份写错了就改正，否则到那一天之前 `{field}` 先空着"
                    )
                ),
            )
        } else {
            let reading = self.reading;
            (
                crate::tr!(
                    format!(
                        "rule {clause}reads `{word} {field}`, {d}, which is after the day the card is read, {reading}"
                    ),
                    format!(
                        "{zh_rule}读 `{word} {field}` 的 {d}，这一天在记分卡的读数日 {reading} 之后"
                    )
                ),
                crate::tr!(
                    format!(
                        "a day that has not come yet cannot have ended or repaired anything: correct the year if it is a typo, or leave `{field}` empty until that day"
                    ),
                    format!(
                        "还没到的日子不能算整改或修复完毕：如果年份写错了就改正，否则到那一天之前 `{field}` 先空着"
                    )
                ),
            )
        };
        self.errors.push(crate::eval::outcome::scoring_problem(
            Code::AfterReportDay,
            Some(rec.origin),
            message,
            Some(help),
        ));
        None
    }
}

/// Per person, adjustments block and snapshot (its month): the freezing entry (its rule and
/// record) that holds the block back that day (`freeze BLOCK`, 第十七条).
pub(super) type Frozen = FxHashMap<(usize, usize, u8), (usize, Origin)>;

impl Engine<'_> {
    /// The adjustments block rule `r` is in (its index), if it is in one.
    fn block_of(&self, r: usize) -> Option<usize> {
        let in_items: usize = self
            .policy
            .sections
            .iter()
            .flat_map(|s| s.items.iter())
            .map(|i| i.rules.len())
            .sum();
        let mut at = r.checked_sub(in_items)?;
        for (b, block) in self.policy.adjustments.iter().enumerate() {
            if at < block.rules.len() {
                return Some(b);
            }
            at -= block.rules.len();
        }
        None
    }

    /// The days each freezing entry holds its block back for the person its record names: the
    /// snapshots (`days`, one a month) it is valid on. Entries are `(entry, first day past it)`.
    pub(super) fn frozen_days<'e>(
        &self,
        entries: impl Iterator<Item = (&'e super::validity::Entry, Date)>,
        days: &[Date],
    ) -> Frozen {
        let mut frozen = Frozen::default();
        for (e, past) in entries {
            let Subject::Person(p) = e.subject else {
                continue;
            };
            let (RuleBody::Per { effects, .. } | RuleBody::When { effects, .. }) =
                &self.rules[e.rule].rule.body;
            for effect in effects {
                let Effect::Freeze(b) = effect else { continue };
                for (m, day) in days.iter().enumerate() {
                    if e.start <= *day && *day < past {
                        let month = (m + 1) as u8;
                        let by = (e.rule, e.origin);
                        let first = frozen.entry((p, *b, month)).or_insert(by);
                        *first = (*first).min(by);
                    }
                }
            }
        }
        frozen
    }

    /// Whether an entry of rule `r` for `subject` is held back in `month` by a freeze.
    pub(super) fn held_by_freeze(
        &self,
        frozen: &Frozen,
        r: usize,
        subject: Subject,
        month: u8,
    ) -> Option<(usize, Origin)> {
        if frozen.is_empty() {
            return None;
        }
        let Subject::Person(p) = subject else {
            return None;
        };
        let b = self.block_of(r)?;
        frozen.get(&(p, b, month)).copied()
    }

    /// Marks the traced person's entries that a freeze holds back on the reading day (of
    /// `month`): they do not count, and explanations say which entry freezes them.
    pub(super) fn trace_frozen(&mut self, frozen: &Frozen, month: u8) {
        let Some(t) = self.trace else { return };
        let mut marks = Vec::new();
        for (i, w) in self.windows.iter().enumerate() {
            if !w.counts {
                continue;
            }
            if let Some(by) = self.held_by_freeze(frozen, w.rule, Subject::Person(t), month) {
                marks.push((i, by));
            }
        }
        for (i, by) in marks {
            if let Some(w) = self.windows.get_mut(i) {
                w.counts = false;
                w.frozen = Some(by);
            }
        }
    }
}
