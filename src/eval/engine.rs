//! The accumulation pass: every record is looked at once, its per-event effects are added to dense
//! per-person-per-month accumulators, and the aggregates that conditions and bases read are kept per
//! subject and month. Memory grows with people × months × items, never with the number of records.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

use super::expr::{self, Env, Gap};
use super::input::Sink;
use super::outcome::EvalError;
use super::plan::{Home, RuleRef, flat_rules, roster_holds};
use super::prefetch::prefetch;
use super::{Origin, Person, Record, Roster, Subject, Value};
use crate::check::model::{AggId, Effect, Policy, RuleBody, Target, ValueType};
use crate::codes::Code;
use crate::exact::{Exact, decimal_add, decimal_sum};
use crate::ops::{AggFn, Window};

pub const MONTHS: usize = 12;

/// A per-event contribution kept for the traced person (explanations).
#[derive(Clone, Debug)]
pub struct Contribution {
    pub rule: usize,
    pub month: u8,
    pub origin: Origin,
    pub points: Exact,
    pub zero: bool,
    /// Counted outside the item (`from total`, or an adjustments rule).
    pub outside: bool,
}

/// A record kept by a `highest per` rule until the year is read.
#[derive(Clone, Debug)]
struct Candidate {
    amounts: Vec<Option<Exact>>,
    month: u8,
    day: u8,
    origin: Origin,
    subject: Subject,
}

/// Who a record's effect reaches: one person (no allocation on the common path) or several.
enum Reach {
    One(usize),
    Many(Vec<usize>),
}

/// Where each running sum lives within a (subject, month) cell.
struct Slots {
    stride: usize,
    capped_slot: Vec<Option<usize>>,
    value_slot: Vec<Option<usize>>,
    count_slot: Vec<Option<usize>>,
}

/// Slots, in order: items, outside, capped rules, aggregates.
fn slots(policy: &Policy, rules: &[RuleRef<'_>], items: usize) -> Slots {
    let mut stride = items + 1;
    let mut slot = || {
        stride += 1;
        Some(stride - 1)
    };
    let capped_slot: Vec<Option<usize>> = rules
        .iter()
        .map(|rr| match &rr.rule.body {
            RuleBody::Per { cap: Some(_), .. } => slot(),
            _ => None,
        })
        .collect();
    let mut value_slot = Vec::new();
    let mut count_slot = Vec::new();
    for a in &policy.aggregates {
        let (value, count) = match a.func {
            None => (false, false),
            Some(AggFn::Count) => (false, true),
            Some(AggFn::Sum) => (true, false),
            Some(AggFn::Mean | AggFn::Min | AggFn::Max) => (true, true),
        };
        value_slot.push(if value { slot() } else { None });
        count_slot.push(if count { slot() } else { None });
    }
    Slots {
        stride,
        capped_slot,
        value_slot,
        count_slot,
    }
}

/// The bytes of running sums one engine keeps for this policy and roster.
pub fn accumulator_bytes(policy: &Policy, roster: &Roster) -> usize {
    let (rules, items) = flat_rules(policy);
    let subjects = roster.people.len() + roster.departments.len() + 1;
    let stride = slots(policy, &rules, items.len()).stride;
    subjects * MONTHS * stride * std::mem::size_of::<Decimal>()
}

/// How two engines' values of one slot combine.
#[derive(Clone, Copy)]
enum Merge {
    Add,
    Min,
    Max,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum GroupKey {
    Enum(usize),
    Number(Decimal),
    Text(u64),
}

/// One year fact as read: where it came from, its month and its value.
type Fact = (Origin, u8, Decimal);

pub struct Engine<'p> {
    pub policy: &'p Policy,
    pub roster: &'p Roster,
    pub rules: Vec<RuleRef<'p>>,
    pub items: Vec<(usize, usize)>,
    by_kind: Vec<Vec<usize>>,
    aggs_by_kind: Vec<Vec<AggId>>,
    pub members: Vec<Vec<usize>>,
    /// Per person: the department (kept apart from the roster rows, which are large and cold).
    dept_of: Vec<usize>,
    pub heads: Vec<Option<usize>>,
    /// Per rule with a `for` of its own or on its item: whether it applies to each person.
    pub rule_applies: Vec<Option<Vec<bool>>>,
    /// Every running sum, laid out [subject][month][slot] so that one record touches one or two
    /// adjacent cache lines: a district's records hit people at random, and the accumulators, not
    /// the parsing, decide the speed. Slots: the items' uncapped per-event sums, the points outside
    /// the items, one per capped rule, then each aggregate's value and count (as it needs them).
    cells: Vec<Decimal>,
    /// Cells whose exact value a decimal cannot hold (a third of a point, or more than 28 digits):
    /// the part of the cell's sum kept here, by cell index. Empty unless a policy divides
    /// per-event amounts; reading a cell adds both.
    spill: FxHashMap<usize, Exact>,
    /// Cells whose overflow has been reported.
    overflowed: FxHashSet<usize>,
    stride: usize,
    /// Per rule with a cap: its slot (summed per person and month, clamped when the card is made).
    capped_slot: Vec<Option<usize>>,
    /// Per aggregate: the slot of its value (sum, min or max) and of its count.
    value_slot: Vec<Option<usize>>,
    count_slot: Vec<Option<usize>>,
    /// Per record kind: the slots a record of that kind about a person adds to (for prefetching).
    touched: Vec<Vec<usize>>,
    /// [person][month][item]: whether a `zero` effect hit the item.
    pub item_zero: Vec<bool>,
    /// Per person: (month, flag text index, rule) raised by per-event rules.
    pub flags: Vec<Vec<(u8, usize, usize)>>,
    pub flag_texts: Vec<String>,
    /// Per person: (month, grade, rule) caps raised by per-event rules.
    pub caps: Vec<Vec<(u8, usize, usize)>>,
    /// Facts: every record's value, with its origin, per (aggregate, subject).
    facts: HashMap<(AggId, usize), Vec<Fact>>,
    highest: Vec<HashMap<(Subject, GroupKey), Candidate>>,
    pub trace: Option<usize>,
    pub traced: Vec<Contribution>,
    /// Per rule and person (`rule * people + person`): how often the rule's effects reached the
    /// person. Kept only when asked for (coverage reports); scoring then pays one branch per effect.
    pub hits: Option<Vec<u32>>,
    pub errors: Vec<EvalError>,
    /// Reused for each record's computed amounts.
    amounts: Vec<Option<Exact>>,
}

/// The environment of one record: its fields, and the roster row of the person it names.
struct RecordEnv<'a> {
    fields: &'a [Value],
    person: Option<&'a Person>,
}

impl Env for RecordEnv<'_> {
    fn field(&self, field: usize) -> Option<&Value> {
        self.fields.get(field)
    }
    fn person(&self) -> Option<&Person> {
        self.person
    }
    fn aggregate(&self, id: AggId) -> expr::Result<Exact> {
        Err(Gap::Missing(id))
    }
}

fn text_hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl Sink for Engine<'_> {
    fn add(&mut self, rec: &Record<'_>) {
        self.add_record(rec);
    }

    fn prefetch(&self, rec: &Record<'_>) {
        let Subject::Person(p) = rec.subject else {
            return;
        };
        let month = usize::from(rec.month.clamp(1, 12) - 1);
        let base = (p * MONTHS + month) * self.stride;
        for &slot in self.touched.get(rec.kind).map_or(&[][..], Vec::as_slice) {
            if let Some(cell) = self.cells.get(base + slot) {
                prefetch(cell);
            }
        }
    }
}

/// Per record kind, the slots its aggregates and per-event rules add to, one per cache line
/// (slots are 16 bytes, four to a line) and in order.
fn touched_slots(
    by_kind: &[Vec<usize>],
    aggs_by_kind: &[Vec<AggId>],
    rules: &[RuleRef<'_>],
    capped_slot: &[Option<usize>],
    value_slot: &[Option<usize>],
    count_slot: &[Option<usize>],
    items: usize,
) -> Vec<Vec<usize>> {
    by_kind
        .iter()
        .zip(aggs_by_kind)
        .map(|(rs, aggs)| {
            let mut slots: Vec<usize> = aggs
                .iter()
                .flat_map(|&a| [value_slot[a], count_slot[a]])
                .flatten()
                .collect();
            for &r in rs {
                slots.push(match (capped_slot[r], rules[r].home) {
                    (Some(c), _) => c,
                    (None, Home::Item(i)) => i,
                    (None, Home::Adjustments) => items,
                });
            }
            slots.sort_unstable();
            slots.dedup_by_key(|s| *s / 4);
            slots
        })
        .collect()
}

impl<'p> Engine<'p> {
    pub fn new(policy: &'p Policy, roster: &'p Roster, trace: Option<usize>) -> Self {
        let people = roster.people.len();
        let depts = roster.departments.len();
        let (rules, items) = flat_rules(policy);
        let mut by_kind = vec![Vec::new(); policy.kinds.len()];
        let mut flag_texts: Vec<String> = Vec::new();
        for (r, rr) in rules.iter().enumerate() {
            let effects = match &rr.rule.body {
                RuleBody::Per {
                    events, effects, ..
                } => {
                    for ev in events {
                        if !by_kind[ev.kind].contains(&r) {
                            by_kind[ev.kind].push(r);
                        }
                    }
                    effects
                }
                RuleBody::When { effects, .. } => effects,
            };
            for e in effects {
                if let Effect::Flag(t) = e {
                    if !flag_texts.contains(t) {
                        flag_texts.push(t.clone());
                    }
                }
            }
        }
        let mut aggs_by_kind = vec![Vec::new(); policy.kinds.len()];
        for (id, a) in policy.aggregates.iter().enumerate() {
            aggs_by_kind[a.kind].push(id);
        }
        let mut members = vec![Vec::new(); depts];
        for (i, p) in roster.people.iter().enumerate() {
            if let Some(m) = members.get_mut(p.department) {
                m.push(i);
            }
        }
        let head_col = policy
            .columns
            .iter()
            .position(|c| c.name == "head" && c.ty == ValueType::Bool);
        let mut heads = vec![None; depts];
        if let Some(hc) = head_col {
            for (i, p) in roster.people.iter().enumerate() {
                if p.values.get(hc) == Some(&Value::Bool(true)) {
                    if let Some(h) = heads.get_mut(p.department) {
                        h.get_or_insert(i);
                    }
                }
            }
        }
        let rule_applies = rules
            .iter()
            .map(|rr| {
                // The item's `for` gates every rule in it, as the rule's own `for` does.
                let item = match rr.home {
                    Home::Item(i) => items
                        .get(i)
                        .and_then(|&(s, i)| policy.sections[s].items[i].applies.as_ref()),
                    Home::Adjustments => None,
                };
                let conds: Vec<_> = rr.rule.applies.iter().chain(item).collect();
                (!conds.is_empty()).then(|| {
                    let holds = |p: &Person| conds.iter().all(|a| roster_holds(a, p));
                    roster.people.iter().map(holds).collect()
                })
            })
            .collect();
        let Slots {
            stride,
            capped_slot,
            value_slot,
            count_slot,
        } = slots(policy, &rules, items.len());
        let subjects = people + depts + 1;
        let mut cells = vec![Decimal::ZERO; subjects * MONTHS * stride];
        for (a, v) in policy.aggregates.iter().zip(&value_slot) {
            let start = match a.func {
                Some(AggFn::Min) => Decimal::MAX,
                Some(AggFn::Max) => Decimal::MIN,
                _ => continue,
            };
            if let Some(v) = v {
                for c in cells.chunks_exact_mut(stride) {
                    c[*v] = start;
                }
            }
        }
        let touched = touched_slots(
            &by_kind,
            &aggs_by_kind,
            &rules,
            &capped_slot,
            &value_slot,
            &count_slot,
            items.len(),
        );
        let highest = rules.iter().map(|_| HashMap::new()).collect();
        Engine {
            policy,
            roster,
            by_kind,
            aggs_by_kind,
            members,
            dept_of: roster.people.iter().map(|p| p.department).collect(),
            heads,
            rule_applies,
            cells,
            spill: FxHashMap::default(),
            overflowed: FxHashSet::default(),
            stride,
            capped_slot,
            value_slot,
            count_slot,
            touched,
            item_zero: vec![false; people * MONTHS * items.len()],
            flags: vec![Vec::new(); people],
            flag_texts,
            caps: vec![Vec::new(); people],
            facts: HashMap::new(),
            highest,
            rules,
            items,
            trace,
            traced: Vec::new(),
            hits: None,
            errors: Vec::new(),
            amounts: Vec::new(),
        }
    }

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
        for (key, facts) in other.facts {
            self.facts.entry(key).or_default().extend(facts);
        }
        for (mine, theirs) in self.highest.iter_mut().zip(other.highest) {
            for (key, cand) in theirs {
                match mine.entry(key) {
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
    fn cell(&self, idx: usize) -> expr::Result<Exact> {
        let v = Exact::from_decimal(self.cells[idx]);
        if self.spill.is_empty() {
            return Ok(v);
        }
        match self.spill.get(&idx) {
            None => Ok(v),
            Some(s) => v.checked_add(*s).ok_or(Gap::Overflow),
        }
    }

    /// Adds points or a record's value to a running sum: in its decimal cell while the sum is a
    /// decimal that fits, else exactly beside it. A sum too large even for that is an error, told
    /// once per cell.
    fn add_to_cell(&mut self, idx: usize, v: Exact, origin: Option<Origin>) {
        if let Some(d) = v.to_decimal() {
            if let Some(sum) = decimal_add(self.cells[idx], d) {
                self.cells[idx] = sum;
                return;
            }
        }
        self.spill_add(idx, v, origin);
    }

    fn spill_add(&mut self, idx: usize, v: Exact, origin: Option<Origin>) {
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
    fn cell_overflow(&self, idx: usize, origin: Option<Origin>) -> EvalError {
        let slot = idx % self.stride;
        let month = (idx / self.stride) % MONTHS + 1;
        let subject = idx / self.stride / MONTHS;
        let people = self.roster.people.len();
        let whom = match subject.checked_sub(people) {
            None => format!("`{}`", self.roster.people[subject].id),
            Some(d) => match self.roster.departments.get(d) {
                Some(name) => format!("department `{name}`"),
                None => "the town".to_string(),
            },
        };
        let items = self.items.len();
        let what = if slot < items {
            let (s, i) = self.items[slot];
            format!(
                "the points of item `{}`",
                self.policy.sections[s].items[i].id
            )
        } else if slot == items {
            "the points outside the items".to_string()
        } else if let Some(r) = self.capped_slot.iter().position(|c| *c == Some(slot)) {
            format!("the points of rule {}", self.rules[r].rule.text)
        } else {
            let agg = self
                .value_slot
                .iter()
                .chain(&self.count_slot)
                .position(|c| *c == Some(slot))
                .map(|a| a % self.policy.aggregates.len().max(1));
            match agg {
                Some(a) => format!("`{}`", self.policy.aggregates[a].text),
                None => "a running sum".to_string(),
            }
        };
        EvalError {
            code: Code::ArithmeticOverflow,
            origin,
            message: format!(
                "{what} for {whom} in {}-{month:02}: the sum needs more digits than tally can compute exactly",
                self.policy.year
            ),
            help: Some(
                "look for a wrong amount in the policy or a wrong value in the records".into(),
            ),
        }
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

    pub fn subject_index(&self, s: Subject) -> usize {
        let people = self.roster.people.len();
        match s {
            Subject::Person(p) => p,
            Subject::Department(d) => people + d,
            Subject::Town => people + self.roster.departments.len(),
        }
    }

    /// Takes one record: updates the aggregates of its kind and applies its per-event rules.
    pub fn add_record(&mut self, rec: &Record<'_>) {
        let person = match rec.subject {
            Subject::Person(p) => self.roster.people.get(p),
            _ => None,
        };
        let env = RecordEnv {
            fields: rec.fields,
            person,
        };
        let month = usize::from(rec.month.clamp(1, 12) - 1);
        let subject = self.subject_index(rec.subject);
        let policy = self.policy;
        for k in 0..self.aggs_by_kind[rec.kind].len() {
            let id = self.aggs_by_kind[rec.kind][k];
            let agg = &policy.aggregates[id];
            if let Some(f) = &agg.filter {
                match expr::truth(f, &env) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(gap) => {
                        let what = format!("the filter of `{}`", agg.text);
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
            let Some(v) = self.value_slot[id] else {
                if agg.func.is_none() {
                    self.facts
                        .entry((id, subject))
                        .or_default()
                        .push((rec.origin, rec.month, value));
                }
                continue;
            };
            let slot = &mut self.cells[base + v];
            match agg.func {
                Some(AggFn::Min) => *slot = (*slot).min(value),
                Some(AggFn::Max) => *slot = (*slot).max(value),
                _ => match decimal_add(*slot, value) {
                    Some(sum) => *slot = sum,
                    None => self.spill_add(base + v, Exact::from_decimal(value), Some(rec.origin)),
                },
            }
        }
        for i in 0..self.by_kind[rec.kind].len() {
            let r = self.by_kind[rec.kind][i];
            self.per_event(r, rec, &env);
        }
    }

    fn per_event(&mut self, r: usize, rec: &Record<'_>, env: &RecordEnv<'_>) {
        let rule = self.rules[r].rule;
        let RuleBody::Per {
            events,
            filter,
            effects,
            highest,
            ..
        } = &rule.body
        else {
            return;
        };
        let Some(ev) = events.iter().find(|e| e.kind == rec.kind) else {
            return;
        };
        if let Some(f) = filter {
            match expr::truth(f, env) {
                Ok(true) => {}
                Ok(false) => return,
                Err(gap) => return self.record_gap(r, rec, gap),
            }
        }
        let factor = match ev.per_field.and_then(|f| rec.fields.get(f)) {
            Some(Value::Number(n)) => Some(Exact::from_decimal(*n)),
            Some(_) => return,
            None => None,
        };
        let mut amounts = std::mem::take(&mut self.amounts);
        amounts.clear();
        for e in effects {
            let Effect::Points { amount, .. } = e else {
                amounts.push(None);
                continue;
            };
            let a = expr::number(amount, env).and_then(|a| match factor {
                None => Ok(a),
                Some(f) => a.checked_mul(f).ok_or(Gap::Overflow),
            });
            match a {
                Ok(a) => amounts.push(Some(a)),
                Err(gap) => {
                    self.amounts = amounts;
                    return self.record_gap(r, rec, gap);
                }
            }
        }
        if let Some(field) = highest {
            let key = match rec.fields.get(*field) {
                Some(Value::Enum(i)) => GroupKey::Enum(*i),
                Some(Value::Number(n)) => GroupKey::Number(n.normalize()),
                Some(Value::Text(t)) => GroupKey::Text(text_hash(t)),
                _ => GroupKey::Text(0),
            };
            let cand = Candidate {
                amounts: amounts.clone(),
                month: rec.month,
                day: rec.day,
                origin: rec.origin,
                subject: rec.subject,
            };
            let slot = self.highest[r].entry((rec.subject, key));
            match slot {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(cand);
                }
                std::collections::hash_map::Entry::Occupied(mut o) => {
                    if better(&cand, o.get()) {
                        o.insert(cand);
                    }
                }
            }
        } else {
            self.apply(r, rec.subject, rec.month, rec.origin, &amounts);
        }
        self.amounts = amounts;
    }

    /// A per-event rule that cannot compute its amount or filter for a record: an error at the
    /// record's line (a record kind's fields are all there, so only the arithmetic can fail).
    fn record_gap(&mut self, r: usize, rec: &Record<'_>, gap: Gap) {
        let what = format!("rule {}", self.rules[r].rule.text);
        let error = record_problem(&what, rec.origin, gap);
        self.errors.push(error);
    }

    /// Applies a record's effects (amounts already computed) to every target of the rule.
    fn apply(
        &mut self,
        r: usize,
        subject: Subject,
        month: u8,
        origin: Origin,
        amounts: &[Option<Exact>],
    ) {
        let rule = self.rules[r].rule;
        let home = self.rules[r].home;
        let RuleBody::Per { effects, .. } = &rule.body else {
            return;
        };
        let m = usize::from(month.clamp(1, 12) - 1);
        for (effect, amount) in effects.iter().zip(amounts) {
            let target = match effect {
                Effect::Points { target, .. } => *target,
                _ => Target::Subject,
            };
            let Some(reach) = self.targets(r, subject, target, origin) else {
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
                            traced.1 = true;
                        }
                    }
                    Effect::Flag(t) => {
                        let id = self.flag_texts.iter().position(|x| x == t).unwrap_or(0);
                        self.flags[p].push((month, id, r));
                    }
                    Effect::GradeCap(g) => self.caps[p].push((month, *g, r)),
                }
                if self.trace == Some(p) && (matches!(effect, Effect::Points { .. } | Effect::Zero))
                {
                    self.traced.push(Contribution {
                        rule: r,
                        month,
                        origin,
                        points: traced.0,
                        zero: traced.1,
                        outside: traced.2,
                    });
                }
            }
        }
    }

    fn clause_of(&self, r: usize) -> String {
        self.rules[r]
            .rule
            .clause
            .as_ref()
            .map_or_else(String::new, |c| format!("[{c}] "))
    }

    /// The people a record's effect reaches, or `None` after reporting why it reaches nobody.
    fn targets(
        &mut self,
        r: usize,
        subject: Subject,
        target: Target,
        origin: Origin,
    ) -> Option<Reach> {
        // The common case first, without touching anything but the record.
        if let (Target::Subject | Target::Person, Subject::Person(p)) = (target, subject) {
            return Some(Reach::One(p));
        }
        let dept = match subject {
            Subject::Person(p) => self.dept_of.get(p).copied(),
            Subject::Department(d) => Some(d),
            Subject::Town => None,
        };
        let reach = match (target, subject) {
            (Target::Subject | Target::Person, Subject::Person(p)) => Reach::One(p),
            (Target::Subject, Subject::Town) => {
                Reach::Many((0..self.roster.people.len()).collect())
            }
            (Target::Person, _) => {
                let clause = self.clause_of(r);
                self.errors.push(EvalError {
                    code: Code::NoPerson,
                    origin: Some(origin),
                    message: format!("rule {clause}gives points to the person named on the record, but this record names none"),
                    help: Some("put the person's id in the `person` column".into()),
                });
                return None;
            }
            (Target::Subject | Target::Members, _) => Reach::Many(self.members.get(dept?)?.clone()),
            (Target::Staff, _) => {
                let d = dept?;
                let head = self.heads.get(d).copied().flatten();
                Reach::Many(
                    self.members
                        .get(d)?
                        .iter()
                        .copied()
                        .filter(|&p| Some(p) != head)
                        .collect(),
                )
            }
            (Target::Head, _) => {
                let d = dept?;
                match self.heads.get(d).copied().flatten() {
                    Some(h) => Reach::One(h),
                    None => {
                        let clause = self.clause_of(r);
                        let name = self.roster.departments.get(d).cloned().unwrap_or_default();
                        self.errors.push(EvalError {
                            code: Code::NoHead,
                            origin: Some(origin),
                            message: format!("rule {clause}takes points from the head of `{name}`, but the roster names no head there"),
                            help: Some("mark the department's head `true` in the roster's `head` column".into()),
                        });
                        return None;
                    }
                }
            }
        };
        Some(reach)
    }

    /// Applies the winners of `highest per` rules; call once, after the last record.
    pub fn settle_highest(&mut self) {
        for r in 0..self.highest.len() {
            let mut winners: Vec<Candidate> =
                std::mem::take(&mut self.highest[r]).into_values().collect();
            winners.sort_by_key(|c| (c.month, c.day, c.origin));
            for c in winners {
                self.apply(r, c.subject, c.month, c.origin, &c.amounts);
            }
        }
    }

    /// Reads an aggregate for a person in a month.
    pub fn aggregate(&self, id: AggId, person: usize, month: usize) -> expr::Result<Exact> {
        let agg = &self.policy.aggregates[id];
        let kind = &self.policy.kinds[agg.kind];
        let subject = if kind.subjects.person {
            Subject::Person(person)
        } else if kind.subjects.department {
            Subject::Department(self.roster.people.get(person).map_or(0, |p| p.department))
        } else {
            Subject::Town
        };
        let s = self.subject_index(subject);
        let months = match agg.window {
            Window::Year => 0..MONTHS,
            Window::Month => month..month + 1,
        };
        let cells = months.map(|m| (s * MONTHS + m) * self.stride);
        let total = |slot: usize| -> expr::Result<Exact> {
            // Most sums are decimals that fit: add the cells as scaled integers, exactly.
            if self.spill.is_empty() {
                if let Some(sum) = decimal_sum(cells.clone().map(|base| self.cells[base + slot])) {
                    return Ok(sum);
                }
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
        let v = self.value_slot[id].unwrap_or(0);
        let sum = || total(v);
        let extreme = |pick: fn(Decimal, Decimal) -> Decimal, start: Decimal| {
            Exact::from_decimal(
                cells
                    .clone()
                    .map(|base| self.cells[base + v])
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
                            .filter(|(_, m, _)| {
                                agg.window == Window::Year || usize::from(*m) == month + 1
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
        let agg = &self.policy.aggregates[id];
        let kind = &self.policy.kinds[agg.kind];
        let subject = if kind.subjects.person {
            Subject::Person(person)
        } else if kind.subjects.department {
            Subject::Department(self.roster.people.get(person).map_or(0, |p| p.department))
        } else {
            Subject::Town
        };
        let mut origins: Vec<Origin> = self
            .facts
            .get(&(id, self.subject_index(subject)))
            .map(|v| v.iter().map(|(o, _, _)| *o).collect())
            .unwrap_or_default();
        origins.sort();
        origins
    }
}

/// Of two records of a `highest per` group: the larger first effect by size (the biggest reward,
/// the most severe deduction), then the earlier date.
fn better(new: &Candidate, old: &Candidate) -> bool {
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
    (new.month, new.day, new.origin) < (old.month, old.day, old.origin)
}

/// What cannot be computed for one record (`what`: the rule or the filter): an error at the
/// record's line. A record kind's fields are all there, so only the arithmetic can fail.
fn record_problem(what: &str, origin: Origin, gap: Gap) -> EvalError {
    let (code, message, help) = match gap {
        Gap::DivisionByZero => (
            Code::DividesByZero,
            format!("{what} divides by zero for this record"),
            "a value it divides by is zero here; correct the record, or divide by something that cannot be zero",
        ),
        Gap::Overflow => (
            Code::ArithmeticOverflow,
            format!("{what} needs more digits than tally can compute exactly for this record"),
            "look for a wrong amount in the policy or a wrong value in the record",
        ),
        Gap::Missing(_) | Gap::Repeated(_) => (
            Code::Internal,
            format!("{what} reads a value this record does not give"),
            "report this policy to the tally maintainers: `check` should have refused it",
        ),
    };
    EvalError {
        code,
        origin: Some(origin),
        message,
        help: Some(help.into()),
    }
}
