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
    fn day_of(&mut self, r: usize, rec: &Record<'_>, f: usize, word: &str) -> Option<Option<Date>> {
        let start = Date {
            year: rec.year,
            month: rec.month,
            day: rec.day,
        };
        let d = match rec.fields.get(f) {
            Some(Value::Date(d)) => *d,
            _ => return Some(None),
        };
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
