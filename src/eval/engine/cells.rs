//! The running sums: exact reads and adds (a cell of millionths, and beside it what millionths
//! cannot hold), their overflow, and merging the engines of several reading threads.

use super::*;

/// Decimal places of a cell: a cell holds its sum times `10^PLACES`. Six places hold every
/// amount of the shipped policies and every record value the compiled reader sums.
pub(super) const PLACES: u32 = 6;

/// A decimal in millionths, when it is a whole number of them that fits an `i64`.
pub(super) fn millionths(d: Decimal) -> Option<i64> {
    crate::exact::decimal_scaled(d, PLACES)
}

impl<'p> Engine<'p> {
    /// Adds what another engine read (a share of the same records, on another thread) to this
    /// one. Sums add, counts add, minima and maxima combine, lists join; `highest per` groups keep
    /// the better candidate. The result is the same whichever engine saw which record.
    pub fn merge(&mut self, other: Engine<'p>) {
        let mut spilled = Vec::new();
        for (idx, (m, t)) in self.cells.iter_mut().zip(&other.cells).enumerate() {
            if *t == 0 {
                continue;
            }
            match m.checked_add(*t) {
                Some(sum) => *m = sum,
                None => spilled.push((idx, Exact::from_scaled(i128::from(*t), PLACES))),
            }
        }
        // Per extreme: whether it is a `max` (else a `min`).
        let mut is_max = vec![false; self.xstride];
        for (a, x) in self.policy.aggregates.iter().zip(&self.extreme_slot) {
            if let (Some(x), Some(AggFn::Max)) = (x, a.func) {
                is_max[*x] = true;
            }
        }
        for (mine, theirs) in self
            .extremes
            .chunks_exact_mut(self.xstride.max(1))
            .zip(other.extremes.chunks_exact(self.xstride.max(1)))
        {
            for ((m, t), max) in mine.iter_mut().zip(theirs).zip(&is_max) {
                *m = if *max { (*m).max(*t) } else { (*m).min(*t) };
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
        for (m, t) in self.written.iter_mut().zip(&other.written) {
            *m |= *t;
        }
        self.flags.absorb(other.flags);
        self.caps.absorb(other.caps);
        self.overrides.absorb(other.overrides);
        self.entries.extend(other.entries);
        self.carried.extend(other.carried);
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

    /// Notes that the subject of cell `idx` has a cell written.
    fn note_written(&mut self, idx: usize) {
        self.mark_written(idx / (MONTHS * self.stride).max(1));
    }

    /// Notes that `subject` has a cell, a part beside one or an item's zero written.
    pub(super) fn mark_written(&mut self, subject: usize) {
        if let Some(w) = self.written.get_mut(subject) {
            *w = true;
        }
    }

    /// Whether nothing the records gave touches person `p`: none of their running sums, parts
    /// beside them or items' zeros written, no flag, grade cap or override raised for them, and no
    /// fact recorded about them. Every such person's card reads the same blank year; only their
    /// roster row tells them apart.
    pub fn untouched(&self, p: usize) -> bool {
        let facts = (self.policy.aggregates.iter().enumerate())
            .filter(|(_, agg)| agg.func.is_none())
            .any(|(id, _)| self.facts.contains_key(&(id, p)));
        !self.was_written(p)
            && self.flags.of(p).is_empty()
            && self.caps.of(p).is_empty()
            && self.overrides.of(p).is_empty()
            && !facts
    }

    /// Whether a person's card reads nothing but their own records and their roster row's
    /// values: every kind of record is about a person (none about a department or the town,
    /// which people of two departments read differently) and no roster column groups people. Two
    /// people nothing touched ([`Engine::untouched`]) whose rows hold the same values then have
    /// the same card.
    pub fn cards_read_own_rows(&self) -> bool {
        let kinds = (self.policy.kinds.iter())
            .all(|k| k.subjects.person && !k.subjects.department && !k.subjects.town);
        kinds && self.groups.iter().all(Option::is_none)
    }

    /// Whether any cell, part beside one or item's zero of `subject` was written (if not, all are
    /// 0 and none is read).
    pub(super) fn was_written(&self, subject: usize) -> bool {
        self.written.get(subject).is_none_or(|&w| w)
    }

    /// The exact value of one running sum: its decimal cell and any part spilled beside it.
    pub(super) fn cell(&self, idx: usize) -> expr::Result<Exact> {
        let v = Exact::from_scaled(i128::from(self.cells[idx]), PLACES);
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

    /// Adds points or a record's value to a running sum: in its cell while the sum is a whole
    /// number of millionths that fits, else exactly beside it. A sum too large even for that is
    /// an error, told once per cell.
    pub(super) fn add_to_cell(&mut self, idx: usize, v: Exact, origin: Option<Origin>) {
        if let Some(n) = v.to_scaled(PLACES) {
            self.add_millionths(idx, n, origin);
        } else {
            self.spill_add(idx, v, origin);
        }
    }

    /// Adds a record's decimal value to a running sum, as [`Engine::add_to_cell`] does.
    pub(super) fn add_decimal(&mut self, idx: usize, d: Decimal, origin: Option<Origin>) {
        match millionths(d) {
            Some(n) => self.add_millionths(idx, n, origin),
            None => self.spill_add(idx, Exact::from_decimal(d), origin),
        }
    }

    /// Adds `n` millionths to a running sum; what overflows its cell is kept beside it.
    pub(super) fn add_millionths(&mut self, idx: usize, n: i64, origin: Option<Origin>) {
        self.note_written(idx);
        match self.cells[idx].checked_add(n) {
            Some(sum) => self.cells[idx] = sum,
            None => self.spill_add(idx, Exact::from_scaled(i128::from(n), PLACES), origin),
        }
    }

    pub(super) fn spill_add(&mut self, idx: usize, v: Exact, origin: Option<Origin>) {
        self.note_written(idx);
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
        items: &mut crate::eval::Few<Exact>,
    ) -> expr::Result<Exact> {
        let base = self.at(person, month, 0);
        let n = self.items.len();
        items.clear();
        for idx in base..base + n {
            items.push(self.cell(idx)?);
        }
        self.cell(base + n)
    }

    /// The months in which nothing happened to a person, bit `m` for month `m` (0-based): every
    /// running sum of the month is 0 with nothing beside it, no item was zeroed, and no record
    /// raised a flag, a grade cap or an override. Found in one pass over the person's year.
    pub fn quiet_months(&self, person: usize) -> u16 {
        let n = self.items.len();
        let year = |per: usize| person * MONTHS * per..(person + 1) * MONTHS * per;
        let (Some(cells), Some(zeros)) = (
            self.cells.get(year(self.stride)),
            self.item_zero.get(year(n)),
        ) else {
            return 0;
        };
        if !self.spill.is_empty() {
            return 0;
        }
        let mut quiet = 0u16;
        if !self.was_written(person) {
            quiet = (1 << MONTHS) - 1;
        } else {
            for (m, row) in cells.chunks_exact(self.stride).enumerate() {
                let zeroed = (zeros.get(m * n..(m + 1) * n)).is_some_and(|z| z.contains(&true));
                if !zeroed && row.iter().all(|&c| c == 0) {
                    quiet |= 1 << m;
                }
            }
        }
        let raised = (self.flags.of(person).iter().map(|&(m, ..)| m))
            .chain(self.caps.of(person).iter().map(|&(m, ..)| m))
            .chain(self.overrides.of(person).iter().map(|&(m, ..)| m));
        for month in raised {
            if (1..=MONTHS as u8).contains(&month) {
                quiet &= !(1 << (month - 1));
            }
        }
        quiet
    }

    /// Where a person's running sum in a month (0-based) at `slot` is among the cells.
    fn at(&self, person: usize, month: usize, slot: usize) -> usize {
        (person * MONTHS + month) * self.stride + slot
    }

    /// A person's running sums in a month (0-based), every slot, as the whole numbers of
    /// millionths the cells hold; `None` when part of any of them is kept beside its cell (or
    /// was lost).
    pub fn plain_cells(&self, person: usize, month: usize) -> Option<&[i64]> {
        let at = self.at(person, month, 0);
        let slots = at..at + self.stride;
        if !self.spill.is_empty()
            && slots
                .clone()
                .any(|i| self.spill.contains_key(&i) || self.overflowed.contains(&i))
        {
            return None;
        }
        if !self.was_written(person) {
            return Some(&self.blank_cells);
        }
        self.cells.get(slots)
    }

    /// Which of a person's items a `zero` effect hit in a month (0-based), in item order.
    pub fn zeroed(&self, person: usize, month: usize) -> &[bool] {
        if !self.was_written(person) {
            return &self.blank_zeros;
        }
        let n = self.items.len();
        let at = (person * MONTHS + month) * n;
        self.item_zero.get(at..at + n).unwrap_or(&[])
    }

    /// The slot of a capped or guarded rule's points (summed apart, decided on the card).
    pub fn capped_slot(&self, rule: usize) -> Option<usize> {
        self.capped_slot.get(rule).copied().flatten()
    }

    /// What a capped rule summed for a person in a month, before its cap.
    pub fn capped(&self, rule: usize, person: usize, month: usize) -> Option<expr::Result<Exact>> {
        let slot = self.capped_slot[rule]?;
        Some(self.cell(self.at(person, month, slot)))
    }
}

#[cfg(test)]
mod tests {
    use super::millionths;
    use rust_decimal::Decimal;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn decimals_become_millionths_only_when_exact() {
        assert_eq!(millionths(d("-5")), Some(-5_000_000));
        assert_eq!(millionths(d("0.000001")), Some(1));
        assert_eq!(millionths(d("1.5000000000")), Some(1_500_000));
        assert_eq!(millionths(d("0.0000001")), None);
        assert_eq!(millionths(d("9223372036854.775807")), Some(i64::MAX));
        assert_eq!(millionths(d("9223372036854.775808")), None);
        assert_eq!(millionths(Decimal::MAX), None);
        assert_eq!(millionths(Decimal::MIN), None);
    }
}
