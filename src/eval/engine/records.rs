//! Taking records: aggregates, per-event rules and their effects, `highest per` candidates.

use super::*;

/// A record kept by a `highest per` rule until the year is read.
#[derive(Clone, Debug)]
pub(super) struct Candidate {
    /// The rule whose effect this is (a `once` group's candidates come from several rules).
    pub(super) rule: usize,
    pub(super) amounts: Vec<Option<Exact>>,
    pub(super) year: i32,
    pub(super) month: u8,
    pub(super) day: u8,
    pub(super) origin: Origin,
    pub(super) subject: Subject,
    /// Per effect, the person its `to FIELD` target names on the record.
    pub(super) named: Vec<Option<usize>>,
    /// On a balance card, how long a `once` act's record lasts if it is the act's winner.
    pub(super) lasts: Option<validity::Lasts>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum GroupKey {
    Enum(usize),
    Number(Decimal),
    /// The text itself: two texts are one group only when they are equal (a hash of them could
    /// be made to collide).
    Text(Box<str>),
    Bool(bool),
    Person(usize),
    Date(crate::date::Date),
    /// An optional field left empty: the record is a group of its own, as an act of its own in
    /// a `once` group (an award or an act nobody named is not the same as another).
    Alone(Origin),
}

impl GroupKey {
    /// The key of a record's field value (`None`: the field is not there), for the record at
    /// `origin`.
    pub(super) fn of(value: Option<&Value>, origin: Origin) -> GroupKey {
        match value {
            Some(Value::Enum(i)) => GroupKey::Enum(*i),
            Some(Value::Number(n)) => GroupKey::Number(n.normalize()),
            Some(Value::Text(t)) => GroupKey::Text(t.as_str().into()),
            Some(Value::Bool(b)) => GroupKey::Bool(*b),
            Some(Value::Person(p)) => GroupKey::Person(*p),
            Some(Value::Date(d)) => GroupKey::Date(*d),
            Some(Value::Missing) | None => GroupKey::Alone(origin),
        }
    }
}

/// One year fact as read: where it came from, its month and its value.
pub(super) type Fact = (Origin, u8, Decimal);

/// Of two records of a `highest per` group: the larger first effect by size (the biggest reward,
/// the most severe deduction), then the earlier date.
pub(super) fn better(new: &Candidate, old: &Candidate) -> bool {
    let size = |c: &Candidate| {
        c.amounts
            .iter()
            .flatten()
            .next()
            .copied()
            .unwrap_or_default()
            .abs()
    };
    let (a, b) = (size(new), size(old));
    if a != b {
        return a > b;
    }
    (new.year, new.month, new.day, new.origin) < (old.year, old.month, old.day, old.origin)
}

impl Candidate {
    /// A record's effects kept as a candidate of rule `r`.
    fn of(
        r: usize,
        rec: &Record<'_>,
        amounts: &[Option<Exact>],
        named: Vec<Option<usize>>,
        lasts: Option<validity::Lasts>,
    ) -> Candidate {
        Candidate {
            rule: r,
            amounts: amounts.to_vec(),
            year: rec.year,
            month: rec.month,
            day: rec.day,
            origin: rec.origin,
            subject: rec.subject,
            named,
            lasts,
        }
    }
}

/// Keeps `cand` in its `highest per` group unless the group holds a better one.
pub(super) fn keep_better(
    groups: &mut HashMap<(Subject, GroupKey), Candidate>,
    key: (Subject, GroupKey),
    cand: Candidate,
) {
    match groups.entry(key) {
        std::collections::hash_map::Entry::Vacant(v) => {
            v.insert(cand);
        }
        std::collections::hash_map::Entry::Occupied(mut o) => {
            if better(&cand, o.get()) {
                o.insert(cand);
            }
        }
    }
}

/// Each effect's amount for one record into `amounts` (cleared first): `None` for an effect
/// that gives no points, and times the record's `per` field (`factor`) when the rule has one.
#[inline]
fn amounts_of(
    effects: &[Effect],
    env: &RecordEnv<'_>,
    factor: Option<Exact>,
    amounts: &mut Vec<Option<Exact>>,
) -> Result<(), Gap> {
    amounts.clear();
    for e in effects {
        let Effect::Points { amount, .. } = e else {
            amounts.push(None);
            continue;
        };
        amounts.push(Some(expr::effect_points(amount, env, factor)?));
    }
    Ok(())
}

impl Engine<'_> {
    /// Takes one record: updates the aggregates of its kind and applies its per-event rules.
    pub fn add_record(&mut self, rec: &Record<'_>) {
        if self.policy.balance {
            self.keep_step_record(rec);
        }
        let person = match rec.subject {
            Subject::Person(p) => self.roster.people.get(p),
            _ => None,
        };
        let env = RecordEnv {
            fields: rec.fields,
            person,
        };
        let policy = self.policy;
        // An earlier year's record on a yearly card: only the rules that carry read it (§31).
        if rec.year < policy.year && !policy.balance {
            return self.carry_record(rec, &env);
        }
        let month = usize::from(rec.month.clamp(1, 12) - 1);
        let subject = self.subject_index(rec.subject);
        // Earlier years' records (a balance card) count in no aggregate: they only give entries
        // to rules with `valid`.
        let aggregates = if rec.year == policy.year {
            self.aggs_by_kind[rec.kind].len()
        } else {
            0
        };
        for k in 0..aggregates {
            let id = self.aggs_by_kind[rec.kind][k];
            let agg = &policy.aggregates[id];
            if let Some(f) = &agg.filter {
                match expr::truth(f, &env) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(gap) => {
                        let what = crate::tr!(
                            format!("the filter of `{}`", agg.text),
                            format!("`{}` 的筛选条件", agg.text)
                        );
                        self.errors.push(record_problem(&what, rec.origin, gap));
                        continue;
                    }
                }
            }
            let value = match agg.field.and_then(|f| rec.fields.get(f)) {
                Some(Value::Number(n)) => *n,
                Some(_) if agg.field.is_some() => continue,
                _ => Decimal::ZERO,
            };
            let base = (subject * MONTHS + month) * self.stride;
            if let Some(c) = self.count_slot[id] {
                self.add_to_cell(base + c, Exact::ONE, Some(rec.origin));
            }
            if let Some(v) = self.value_slot[id] {
                self.add_decimal(base + v, value, Some(rec.origin));
            } else if let Some(x) = self.extreme_slot[id] {
                let at = &mut self.extremes[(subject * MONTHS + month) * self.xstride + x];
                *at = match agg.func {
                    Some(AggFn::Max) => (*at).max(value),
                    _ => (*at).min(value),
                };
            } else if agg.func.is_none() {
                self.facts
                    .entry((id, subject))
                    .or_default()
                    .push((rec.origin, rec.month, value));
            }
        }
        for i in 0..self.by_kind[rec.kind].len() {
            let r = self.by_kind[rec.kind][i];
            self.per_event(r, rec, &env);
        }
    }

    /// Applies one per-event rule to a record: its filter and amounts, then its effects, applied
    /// at once or kept (a `once` act's candidate, a `highest per` group's, a balance entry).
    pub(super) fn per_event(&mut self, r: usize, rec: &Record<'_>, env: &RecordEnv<'_>) {
        let rule = self.rules[r].rule;
        let RuleBody::Per {
            events,
            filter,
            effects,
            highest,
            once,
            ..
        } = &rule.body
        else {
            return;
        };
        let Some(ev) = events.iter().find(|e| e.kind == rec.kind) else {
            return;
        };
        let factor = match expr::rule_reads(filter.as_ref(), ev.per_field, env) {
            Ok(Some(factor)) => factor,
            Ok(None) => return,
            Err(gap) => return self.record_gap(r, rec, gap),
        };
        if !self.carry_checked(r, rec) {
            return;
        }
        let mut amounts = std::mem::take(&mut self.amounts);
        if let Err(gap) = amounts_of(effects, env, factor, &mut amounts) {
            self.amounts = amounts;
            return self.record_gap(r, rec, gap);
        }
        // Per effect, the person a `to FIELD` target names. Most rules name nobody in a field: no
        // list is made for them (`named` is empty).
        let named = if self.field_targets[r] {
            named_people(effects, rec.fields)
        } else {
            Vec::new()
        };
        if self.policy.balance {
            self.keep_balance(r, rec, &amounts, named);
        } else if let Some(g) = *once {
            self.keep_once(g, r, rec, &amounts, named, None);
        } else if let Some(field) = *highest {
            let key = GroupKey::of(rec.fields.get(field), rec.origin);
            let cand = Candidate::of(r, rec, &amounts, named, None);
            keep_better(&mut self.highest[r], (rec.subject, key), cand);
        } else {
            self.apply(r, rec.subject, rec.month, rec.origin, &amounts, &named);
        }
        self.amounts = amounts;
    }

    /// On a balance card: a record's effects with how long they last, kept as an entry (or as a
    /// `once` act's candidate) to be counted on each day they are valid.
    fn keep_balance(
        &mut self,
        r: usize,
        rec: &Record<'_>,
        amounts: &[Option<Exact>],
        named: Vec<Option<usize>>,
    ) {
        let rule = self.rules[r].rule;
        let RuleBody::Per {
            highest,
            once,
            validity,
            ..
        } = &rule.body
        else {
            return;
        };
        let Some(lasts) = self.lasts(r, validity.as_deref(), rec, amounts) else {
            return;
        };
        if let Some(g) = *once {
            return self.keep_once(g, r, rec, amounts, named, Some(lasts));
        }
        // A balance compares a `highest per` group's entries on each day, among those valid
        // then: every entry is kept with its group.
        let key = highest.map(|field| GroupKey::of(rec.fields.get(field), rec.origin));
        let start = rec.date();
        self.keep_entry(r, rec.subject, start, lasts, amounts, &named, rec.origin);
        if let (Some(key), Some(e)) = (key, self.entries.last_mut()) {
            e.group = Some(key);
        }
    }

    /// A record of a `once` group's rule: a candidate of its act (on a balance card the act's
    /// winner becomes an entry, with its validity `lasts`).
    fn keep_once(
        &mut self,
        g: usize,
        r: usize,
        rec: &Record<'_>,
        amounts: &[Option<Exact>],
        named: Vec<Option<usize>>,
        lasts: Option<validity::Lasts>,
    ) {
        if let Some(act) = self.act_of(g, rec) {
            let cand = Candidate::of(r, rec, amounts, named, lasts);
            self.once_candidate(g, cand, act);
        }
    }

    /// Applies a record's effects (amounts already computed) to every target of the rule.
    pub(super) fn apply(
        &mut self,
        r: usize,
        subject: Subject,
        month: u8,
        origin: Origin,
        amounts: &[Option<Exact>],
        named: &[Option<usize>],
    ) {
        let rule = self.rules[r].rule;
        let home = self.rules[r].home;
        // A `when` rule's entries on a balance card (steps) are applied like a record's.
        let (RuleBody::Per { effects, .. } | RuleBody::When { effects, .. }) = &rule.body;
        let m = usize::from(month.clamp(1, 12) - 1);
        for (e, (effect, amount)) in effects.iter().zip(amounts).enumerate() {
            let target = match effect {
                Effect::Points { target, .. } => *target,
                _ => Target::Subject,
            };
            let named = named.get(e).copied().flatten();
            let Some(reach) = self.targets(r, subject, target, origin, named) else {
                continue;
            };
            let one;
            let targets: &[usize] = match &reach {
                Reach::One(p) => {
                    one = [*p];
                    &one
                }
                Reach::Many(v) => v,
            };
            for &p in targets {
                if self.rule_applies[r].as_ref().is_some_and(|a| !a[p]) {
                    continue;
                }
                if let Some(hits) = &mut self.hits {
                    if let Some(h) = hits.get_mut(r * self.dept_of.len() + p) {
                        *h = h.saturating_add(1);
                    }
                }
                let cell = p * MONTHS + m;
                let base = cell * self.stride;
                let mut traced = (Exact::ZERO, false, home == Home::Adjustments);
                match effect {
                    Effect::Points { from_total, .. } => {
                        let a = amount.unwrap_or_default();
                        traced.0 = a;
                        traced.2 |= *from_total;
                        let slot = match (self.capped_slot[r], home, from_total) {
                            (Some(c), _, _) => c,
                            (None, Home::Item(i), false) => i,
                            _ => self.items.len(),
                        };
                        self.add_to_cell(base + slot, a, Some(origin));
                    }
                    Effect::Zero => {
                        if let Home::Item(i) = home {
                            self.item_zero[cell * self.items.len() + i] = true;
                            self.mark_written(p);
                            traced.1 = true;
                        }
                    }
                    _ => self.mark(p, month, r, effect),
                }
                if self.trace == Some(p) && (matches!(effect, Effect::Points { .. } | Effect::Zero))
                {
                    self.trace_contribution(r, month, origin, traced);
                }
            }
        }
    }

    /// A flag, a grade cap or an override that effect `effect` of rule `r` raises for person `p`.
    fn mark(&mut self, p: usize, month: u8, r: usize, effect: &Effect) {
        match effect {
            Effect::Flag(t) => {
                let id = self.flag_texts.iter().position(|x| x == t).unwrap_or(0);
                self.flags.push(p, (month, id, r));
            }
            Effect::GradeCap(g) => self.caps.push(p, (month, *g, r)),
            Effect::SetGrade(g) => self.overrides.push(p, (month, Override::Grade(*g), r)),
            Effect::Exclude(t) => {
                let id = self.flag_texts.iter().position(|x| x == t).unwrap_or(0);
                self.overrides.push(p, (month, Override::Exclude(id), r));
            }
            Effect::SetScore(n) => self.overrides.push(p, (month, Override::Score(*n), r)),
            Effect::Demote { grade, floor } => {
                self.caps.push(p, (month, *grade, r));
                self.overrides.push(p, (month, Override::Floor(*floor), r));
            }
            // A freeze holds back entries while it counts: see `settle_validity`.
            Effect::Points { .. } | Effect::Zero | Effect::Freeze(_) => {}
        }
    }

    /// Keeps what a rule gave the traced person (`traced`: the points, whether it zeroed the
    /// item, whether it counts outside the item).
    #[cold]
    fn trace_contribution(
        &mut self,
        r: usize,
        month: u8,
        origin: Origin,
        traced: (Exact, bool, bool),
    ) {
        self.traced.push(Contribution {
            rule: r,
            month,
            origin,
            points: traced.0,
            zero: traced.1,
            outside: traced.2,
        });
    }

    /// Applies the winners of `highest per` rules and `once` groups; call once, after the last
    /// record.
    pub fn settle_highest(&mut self) {
        self.settle_once();
        for r in 0..self.highest.len() {
            let mut winners: Vec<Candidate> =
                std::mem::take(&mut self.highest[r]).into_values().collect();
            winners.sort_by_key(|c| (c.year, c.month, c.day, c.origin));
            for c in winners {
                self.apply(r, c.subject, c.month, c.origin, &c.amounts, &c.named);
            }
        }
    }
}
