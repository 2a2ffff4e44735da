//! The running sums: exact reads and adds (a decimal cell, and beside it what a decimal cannot
//! hold), their overflow, and merging the engines of several reading threads.

use super::*;

/// How two engines' values of one slot combine.
#[derive(Clone, Copy)]
pub(super) enum Merge {
    Add,
    Min,
    Max,
}

impl<'p> Engine<'p> {
    /// Adds what another engine read (a share of the same records, on another thread) to this
    /// one. Sums add, counts add, minima and maxima combine, lists join; `highest per` groups keep
    /// the better candidate. The result is the same whichever engine saw which record.
    pub fn merge(&mut self, other: Engine<'p>) {
        let mut op = vec![Merge::Add; self.stride];
        for (a, v) in self.policy.aggregates.iter().zip(&self.value_slot) {
            if let Some(v) = v {
                match a.func {
                    Some(AggFn::Min) => op[*v] = Merge::Min,
                    Some(AggFn::Max) => op[*v] = Merge::Max,
                    _ => {}
                }
            }
        }
        let mut spilled = Vec::new();
        for (cell, (mine, theirs)) in self
            .cells
            .chunks_exact_mut(self.stride)
            .zip(other.cells.chunks_exact(self.stride))
            .enumerate()
        {
            for (slot, ((m, t), op)) in mine.iter_mut().zip(theirs).zip(&op).enumerate() {
                if t.is_zero() && matches!(op, Merge::Add) {
                    continue;
                }
                *m = match op {
                    Merge::Add => decimal_add(*m, *t).unwrap_or_else(|| {
                        spilled.push((cell * self.stride + slot, Exact::from_decimal(*t)));
                        *m
                    }),
                    Merge::Min => (*m).min(*t),
                    Merge::Max => (*m).max(*t),
                };
            }
        }
        spilled.extend(other.spill);
        self.overflowed.extend(other.overflowed);
        spilled.sort_unstable_by_key(|(idx, _)| *idx);
        for (idx, v) in spilled {
            self.spill_add(idx, v, None);
        }
        for (m, t) in self.item_zero.iter_mut().zip(&other.item_zero) {
            *m |= *t;
        }
        for (m, t) in self.flags.iter_mut().zip(other.flags) {
            m.extend(t);
        }
        for (m, t) in self.caps.iter_mut().zip(other.caps) {
            m.extend(t);
        }
        for (m, t) in self.overrides.iter_mut().zip(other.overrides) {
            m.extend(t);
        }
        self.entries.extend(other.entries);
        self.steps.merge(other.steps);
        for (key, facts) in other.facts {
            self.facts.entry(key).or_default().extend(facts);
        }
        for (mine, theirs) in self.highest.iter_mut().zip(other.highest) {
            for (key, cand) in theirs {
                keep_better(mine, key, cand);
            }
        }
        for (mine, theirs) in self.once.iter_mut().zip(other.once) {
            for (act, cands) in theirs {
                mine.entry(act).or_default().extend(cands);
            }
        }
        self.traced.extend(other.traced);
        self.traced.sort_by_key(|c| (c.origin, c.rule));
        if let (Some(mine), Some(theirs)) = (&mut self.hits, other.hits) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m = m.saturating_add(t);
            }
        }
        self.errors.extend(other.errors);
    }

    /// The exact value of one running sum: its decimal cell and any part spilled beside it.
    pub(super) fn cell(&self, idx: usize) -> expr::Result<Exact> {
        let v = Exact::from_decimal(self.cells[idx]);
        if self.spill.is_empty() {
            return Ok(v);
        }
        // A sum that overflowed lost records: it has no value (its error is told already).
        if self.overflowed.contains(&idx) {
            return Err(Gap::Reported);
        }
        match self.spill.get(&idx) {
            None => Ok(v),
            Some(s) => v.checked_add(*s).ok_or(Gap::Overflow),
        }
    }

    /// Adds points or a record's value to a running sum: in its decimal cell while the sum is a
    /// decimal that fits, else exactly beside it. A sum too large even for that is an error, told
    /// once per cell.
    pub(super) fn add_to_cell(&mut self, idx: usize, v: Exact, origin: Option<Origin>) {
        if let Some(d) = v.to_decimal() {
            if let Some(sum) = decimal_add(self.cells[idx], d) {
                self.cells[idx] = sum;
                return;
            }
        }
        self.spill_add(idx, v, origin);
    }

    pub(super) fn spill_add(&mut self, idx: usize, v: Exact, origin: Option<Origin>) {
        let entry = self.spill.entry(idx).or_insert(Exact::ZERO);
        match entry.checked_add(v) {
            Some(sum) => *entry = sum,
            None => {
                if self.overflowed.insert(idx) {
                    let error = self.cell_overflow(idx, origin);
                    self.errors.push(error);
                }
            }
        }
    }

    /// The error for a running sum that no longer fits: what it sums, for whom, in which month.
    pub(super) fn cell_overflow(&self, idx: usize, origin: Option<Origin>) -> Diag {
        let slot = idx % self.stride;
        let month = (idx / self.stride) % MONTHS + 1;
        let subject = idx / self.stride / MONTHS;
        let people = self.roster.people.len();
        let whom = match subject.checked_sub(people) {
            None => format!("`{}`", self.roster.people[subject].id),
            Some(d) => match self.roster.departments.get(d) {
                Some(name) => crate::tr!(format!("department `{name}`"), format!("部门 `{name}`")),
                None => crate::tr!("the town", "全镇").to_string(),
            },
        };
        let items = self.items.len();
        let what = if slot < items {
            let (s, i) = self.items[slot];
            let id = &self.policy.sections[s].items[i].id;
            crate::tr!(
                format!("the points of item `{id}`"),
                format!("项目 `{id}` 的分")
            )
        } else if slot == items {
            crate::tr!("the points outside the items", "项目以外的分").to_string()
        } else if let Some(r) = self.capped_slot.iter().position(|c| *c == Some(slot)) {
            let rule = &self.rules[r].rule.text;
            crate::tr!(
                format!("the points of rule {rule}"),
                format!("条款 {rule} 的分")
            )
        } else {
            let agg = self
                .value_slot
                .iter()
                .chain(&self.count_slot)
                .position(|c| *c == Some(slot))
                .map(|a| a % self.policy.aggregates.len().max(1));
            match agg {
                Some(a) => format!("`{}`", self.policy.aggregates[a].text),
                None => crate::tr!("a running sum", "一笔累计").to_string(),
            }
        };
        scoring_problem(
            Code::ArithmeticOverflow,
            origin,
            crate::tr!(
                format!(
                    "{what} for {whom} in {}-{month:02}: the sum needs more digits than tally can compute exactly",
                    self.policy.year
                ),
                format!(
                    "{whom} {}-{month:02} {what}：累计的位数太多，tally 算不精确",
                    self.policy.year
                )
            ),
            Some(
                crate::tr!(
                    "look for a wrong amount in the policy or a wrong value in the records",
                    "查一查政策文件里有没有写错的分值，记录里有没有填错的值"
                )
                .into(),
            ),
        )
    }

    /// A person's running sums in a month: the items' (uncapped per-event points), written into
    /// `items`, and the points outside the items, returned.
    pub fn item_sums(
        &self,
        person: usize,
        month: usize,
        items: &mut Vec<Exact>,
    ) -> expr::Result<Exact> {
        let base = (person * MONTHS + month) * self.stride;
        let n = self.items.len();
        items.clear();
        for idx in base..base + n {
            items.push(self.cell(idx)?);
        }
        self.cell(base + n)
    }

    /// What a capped rule summed for a person in a month, before its cap.
    pub fn capped(&self, rule: usize, person: usize, month: usize) -> Option<expr::Result<Exact>> {
        let slot = self.capped_slot[rule]?;
        Some(self.cell((person * MONTHS + month) * self.stride + slot))
    }
}
