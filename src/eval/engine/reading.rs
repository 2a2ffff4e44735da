//! Reading aggregates and facts for a person and month, when the cards are made.

use super::cells::PLACES;
use super::*;

impl Engine<'_> {
    /// Whose records an aggregate reads for a person: theirs, their department's, or the town's
    /// (as a subject index).
    fn subject_of(&self, id: AggId, person: usize) -> usize {
        let kind = &self.policy.kinds[self.policy.aggregates[id].kind];
        let subject = if kind.subjects.person {
            Subject::Person(person)
        } else if kind.subjects.department {
            Subject::Department(self.roster.people.get(person).map_or(0, |p| p.department))
        } else {
            Subject::Town
        };
        self.subject_index(subject)
    }

    /// Reads an aggregate for a person in a month.
    pub fn aggregate(&self, id: AggId, person: usize, month: usize) -> expr::Result<Exact> {
        let agg = &self.policy.aggregates[id];
        let s = self.subject_of(id, person);
        let months = match agg.window {
            Window::Year => 0..MONTHS,
            Window::Month => month..month + 1,
            Window::Quarter => month / 3 * 3..month / 3 * 3 + 3,
        };
        let cells = months.clone().map(|m| (s * MONTHS + m) * self.stride);
        let total = |slot: usize| -> expr::Result<Exact> {
            // Most sums are whole millionths that fit: twelve of them always fit an `i128`.
            if self.spill.is_empty() {
                if !self.was_written(s) {
                    return Ok(Exact::ZERO);
                }
                let sum: i128 = cells
                    .clone()
                    .map(|base| i128::from(self.cells[base + slot]))
                    .sum();
                return Ok(Exact::from_scaled(sum, PLACES));
            }
            cells.clone().try_fold(Exact::ZERO, |acc, base| {
                acc.checked_add(self.cell(base + slot)?)
                    .ok_or(Gap::Overflow)
            })
        };
        let count = match self.count_slot[id] {
            Some(c) => total(c)?,
            None => Exact::ZERO,
        };
        let sum = || total(self.value_slot[id].unwrap_or(0));
        let x = self.extreme_slot[id].unwrap_or(0);
        let extreme = |pick: fn(Decimal, Decimal) -> Decimal, start: Decimal| {
            Exact::from_decimal(
                months
                    .clone()
                    .map(|m| self.extremes[(s * MONTHS + m) * self.xstride + x])
                    .fold(start, pick),
            )
        };
        match agg.func {
            None => {
                let facts: Vec<&(Origin, u8, Decimal)> = self
                    .facts
                    .get(&(id, s))
                    .map(|v| {
                        v.iter()
                            .filter(|(_, m, _)| match agg.window {
                                Window::Year => true,
                                Window::Month => usize::from(*m) == month + 1,
                                Window::Quarter => usize::from(*m).div_ceil(3) == month / 3 + 1,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                match facts.as_slice() {
                    [] => Err(Gap::Missing(id)),
                    [one] => Ok(Exact::from_decimal(one.2)),
                    _ => Err(Gap::Repeated(id)),
                }
            }
            Some(AggFn::Count) => Ok(count),
            Some(AggFn::Sum) => sum(),
            Some(AggFn::Mean) => {
                if count.is_zero() {
                    return Err(Gap::Missing(id));
                }
                sum()?.checked_div(count).ok_or(Gap::Overflow)
            }
            Some(AggFn::Min) if !count.is_zero() => Ok(extreme(Decimal::min, Decimal::MAX)),
            Some(AggFn::Max) if !count.is_zero() => Ok(extreme(Decimal::max, Decimal::MIN)),
            Some(_) => Err(Gap::Missing(id)),
        }
    }

    /// The origins of the records behind a repeated fact, for the error message.
    pub fn fact_origins(&self, id: AggId, person: usize) -> Vec<Origin> {
        let mut origins: Vec<Origin> = self
            .facts
            .get(&(id, self.subject_of(id, person)))
            .map(|v| v.iter().map(|(o, _, _)| *o).collect())
            .unwrap_or_default();
        origins.sort();
        origins
    }
}
