//! The accumulation pass: every record is looked at once, its per-event effects are added to dense
//! per-person-per-month accumulators, and the aggregates that conditions and bases read are kept per
//! subject and month. Memory grows with people × months × items, never with the number of records.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

use super::expr::{self, Env, Gap, RecordEnv};
use super::input::Sink;
use super::outcome::{Override, scoring_problem};
use super::plan::{Home, RuleRef, flat_rules, roster_holds};
use super::prefetch::prefetch;
use super::{Origin, Person, Record, Roster, Subject, Value};
use crate::check::model::{AggId, Effect, GroupWho, Policy, RuleBody, Target, ValueType};
use crate::codes::Code;
use crate::diag::Diag;
use crate::exact::Exact;
use crate::ops::{AggFn, Window};

mod carry;
mod cells;
mod compiled;
mod layout;
mod once;
mod problems;
mod reach;
mod reading;
mod records;
mod repair;
mod steps;
mod validity;

pub use carry::{Carried, policy_carries};
pub use layout::accumulator_bytes;
use layout::*;
use once::Act;
pub use once::Dropped;
use problems::*;
use reach::*;
use records::*;
use validity::Entry;
pub use validity::EntryWindow;

pub use super::kernel::MONTHS;

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
    /// Per roster column: its groups, for a `group` column (`household: group`).
    pub(super) groups: Vec<Option<Groups>>,
    /// Per rule: some effect goes `to FIELD` (a person a record field names).
    pub(super) field_targets: Vec<bool>,
    /// Per rule with a `for` of its own or on its item: whether it applies to each person.
    pub rule_applies: Vec<Option<Vec<bool>>>,
    /// Every running sum, laid out [subject][month][slot] so that one record touches one or two
    /// adjacent cache lines: a district's records hit people at random, and the accumulators, not
    /// the parsing, decide the speed. Slots: the items' uncapped per-event sums, the points outside
    /// the items, one per capped rule, then each aggregate's value and count (as it needs them).
    /// Each is a whole number of millionths ([`cells::PLACES`]): eight bytes, where a decimal
    /// takes sixteen, so a district's year of them takes half the memory.
    cells: Vec<i64>,
    /// Per subject, as the cells are laid out: whether any of its cells, its part beside them
    /// or (for a person) its items' zeros was ever written. A subject never written has every
    /// cell 0 and no item zeroed, and the cards do not read them: on a roster with few records
    /// that is most of the cells, memory never touched.
    written: Vec<bool>,
    /// A month's cells of a subject never written (all 0).
    blank_cells: Vec<i64>,
    /// A month's items' zeros of a person never written (none).
    blank_zeros: Vec<bool>,
    /// Per (subject, month), the `min` and `max` aggregates' values so far (`extremes` of them):
    /// a record's value, kept as it is written, whatever its places.
    extremes: Vec<Decimal>,
    xstride: usize,
    extreme_slot: Vec<Option<usize>>,
    /// Cells whose exact value millionths cannot hold (a third of a point, a value with more
    /// places, or a sum past nine million million): the part of the cell's sum kept here, by
    /// cell index. Empty on nearly every policy; reading a cell adds both.
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
    item_zero: Vec<bool>,
    /// Per person: (month, flag text index, rule) raised by per-event rules.
    pub flags: Raised<(u8, usize, usize)>,
    pub flag_texts: Vec<String>,
    /// Per rule: a `when` rule whose condition reads only year-window values, the roster and
    /// constants, so that it holds, or not, alike in every month of a person's year.
    pub steady: Vec<bool>,
    /// Every month in which nothing happened to a person has the same card (see
    /// [`quiet_months_alike`]).
    pub quiet_alike: bool,
    /// The rules a month's card decides, in policy order: capped or guarded `per` rules (summed
    /// apart) and `when` rules. The other `per` rules' points are in their items' sums already.
    pub decided: Vec<usize>,
    /// Months are made in whole millionths where they can be, with this plan
    /// ([`crate::eval::card::IntegerPlan`]): set when the records are read the compiled way, on a
    /// policy whose months allow it at all ([`integer_cards`]); unset, every month is made with
    /// exact fractions (the records read one by one check the one against the other).
    pub integer_plan: Option<crate::eval::card::IntegerPlan<'p>>,
    /// Per person: (month, grade, rule) caps raised by per-event rules.
    pub caps: Raised<(u8, usize, usize)>,
    /// Per person: (month, override, rule) set by per-event rules (`grade 零星级`, `score 0`).
    pub overrides: Raised<(u8, Override, usize)>,
    /// Facts: every record's value, with its origin, per (aggregate, subject).
    facts: HashMap<(AggId, usize), Vec<Fact>>,
    highest: Vec<HashMap<(Subject, GroupKey), Candidate>>,
    /// Per `once` group: each act's candidates, until the records are read.
    once: Vec<HashMap<Act, Vec<Candidate>>>,
    /// The traced person's effects that a `once` group did not count.
    pub dropped: Vec<Dropped>,
    pub trace: Option<usize>,
    pub traced: Vec<Contribution>,
    /// Per rule and person (`rule * people + person`): how often the rule's effects reached the
    /// person. Kept only when asked for (coverage reports); scoring then pays one branch per effect.
    pub hits: Option<Vec<u32>>,
    pub errors: Vec<Diag>,
    /// Reused for each record's computed amounts.
    amounts: Vec<Option<Exact>>,
    /// On a balance card: every entry, counted on the snapshots once all records are in.
    entries: Vec<Entry>,
    /// On a balance card: the `when` rules with `valid` and the records they read.
    steps: steps::Steps,
    /// On a balance card: the day the year is read (the report day, at most December 31).
    pub reading: crate::date::Date,
    /// The report day (`--as-of`): on a yearly card that carries, a correction after the year
    /// and up to this day is known, and leaves the fault uncorrected through the year (§31).
    pub report_day: crate::date::Date,
    /// On a balance card: the traced person's entries with their validity.
    pub windows: Vec<EntryWindow>,
    /// The bests of the items scaled to their group's best (§32), once every card was made a
    /// first time; `None` while it is made.
    pub relative: Option<Box<crate::eval::relative::Bests>>,
    /// On a yearly card that carries (§31): the earlier years' records its carrying rules read.
    pub carried: Vec<Carried>,
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

impl<'p> Engine<'p> {
    pub fn new(policy: &'p Policy, roster: &'p Roster, trace: Option<usize>) -> Self {
        let people = roster.people.len();
        let depts = roster.departments.len();
        let (rules, items) = flat_rules(policy);
        let steps = steps::Steps::new(policy, &rules);
        let (by_kind, flag_texts) = rules_by_kind(policy, &rules);
        let mut aggs_by_kind = vec![Vec::new(); policy.kinds.len()];
        for (id, a) in policy.aggregates.iter().enumerate() {
            aggs_by_kind[a.kind].push(id);
        }
        let (members, heads) = departments(policy, roster);
        let groups = Groups::of_roster(policy, roster);
        let field_targets = rules.iter().map(names_a_field).collect();
        let rule_applies = rules
            .iter()
            .map(|rr| applies_to(policy, roster, &items, rr))
            .collect();
        let Slots {
            stride,
            capped_slot,
            value_slot,
            count_slot,
            extreme_slot,
            extremes: xstride,
        } = slots(policy, &rules, items.len());
        let subjects = people + depts + 1;
        let cells = vec![0; subjects * MONTHS * stride];
        let extremes = first_extremes(policy, &extreme_slot, xstride, subjects);
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
        let steady = rules.iter().map(|rr| steady(policy, rr)).collect();
        let quiet_alike = quiet_months_alike(policy, &rules);
        let decided = (0..rules.len())
            .filter(|&r| {
                capped_slot[r].is_some() || matches!(rules[r].rule.body, RuleBody::When { .. })
            })
            .collect();
        Engine {
            integer_plan: None,
            decided,
            steady,
            quiet_alike,
            policy,
            roster,
            by_kind,
            aggs_by_kind,
            members,
            dept_of: roster.people.iter().map(|p| p.department).collect(),
            heads,
            groups,
            field_targets,
            rule_applies,
            cells,
            written: vec![false; subjects],
            blank_cells: vec![0; stride],
            blank_zeros: vec![false; items.len()],
            extremes,
            xstride,
            extreme_slot,
            spill: FxHashMap::default(),
            overflowed: FxHashSet::default(),
            stride,
            capped_slot,
            value_slot,
            count_slot,
            touched,
            item_zero: vec![false; people * MONTHS * items.len()],
            flags: Raised::default(),
            flag_texts,
            caps: Raised::default(),
            overrides: Raised::default(),
            facts: HashMap::new(),
            highest,
            once: policy.onces.iter().map(|_| HashMap::new()).collect(),
            dropped: Vec::new(),
            rules,
            items,
            trace,
            traced: Vec::new(),
            hits: None,
            errors: Vec::new(),
            amounts: Vec::new(),
            entries: Vec::new(),
            steps,
            reading: crate::date::Date::end_of_month(policy.year, 12),
            report_day: crate::date::Date::end_of_month(policy.year, 12),
            windows: Vec::new(),
            relative: None,
            carried: Vec::new(),
        }
    }

    pub fn subject_index(&self, s: Subject) -> usize {
        let people = self.roster.people.len();
        match s {
            Subject::Person(p) => p,
            Subject::Department(d) => people + d,
            Subject::Town => people + self.roster.departments.len(),
        }
    }
}

/// What per-event rules raised (flags, grade caps, overrides), per person: kept for the few
/// people something was raised for, in the order raised. A list per person of a district would
/// be megabytes written before anything is read.
#[derive(Clone, Debug)]
pub struct Raised<T>(FxHashMap<usize, Vec<T>>);

impl<T> Default for Raised<T> {
    fn default() -> Self {
        Raised(FxHashMap::default())
    }
}

impl<T> Raised<T> {
    /// What was raised for person `p`.
    pub fn of(&self, p: usize) -> &[T] {
        self.0.get(&p).map_or(&[], Vec::as_slice)
    }

    /// Notes `x` raised for person `p`, after what was raised for them before.
    pub fn push(&mut self, p: usize, x: T) {
        self.0.entry(p).or_default().push(x);
    }

    /// What another engine raised, after what this one raised, person by person.
    pub fn absorb(&mut self, other: Raised<T>) {
        for (p, raised) in other.0 {
            self.0.entry(p).or_default().extend(raised);
        }
    }
}

/// Whether a policy's months can be made in whole millionths at all: not on a balance card (its
/// caps over a year are taken entry by entry), nor with an item scaled to its group's best (made
/// in two passes). The rest is decided person by person and month by month.
pub fn integer_cards(policy: &Policy) -> bool {
    !policy.balance && (policy.sections.iter()).all(|s| s.items.iter().all(|i| i.scaled.is_none()))
}

/// Whether a rule is a `when` rule whose condition gives the same in every month of a person's
/// year: it reads no aggregate or fact but over the whole year.
fn steady(policy: &Policy, rr: &RuleRef<'_>) -> bool {
    let RuleBody::When { condition, .. } = &rr.rule.body else {
        return false;
    };
    steady_expr(policy, condition)
}

/// Whether an expression gives the same in every month of a person's year: it reads no
/// aggregate or fact but over the whole year.
fn steady_expr(policy: &Policy, e: &crate::check::model::Expr) -> bool {
    e.aggregates().iter().all(|&(_, id)| {
        policy
            .aggregates
            .get(id)
            .is_some_and(|a| a.window == crate::ops::Window::Year)
    })
}

/// Whether every month of a person's year in which nothing happened (no record, no points, no
/// flag: see [`Engine::quiet_months`]) has the same card: monthly cards, and every `when` rule's
/// condition and points, and every base, read only the year and the roster. The cards of such
/// months are then made once per person.
fn quiet_months_alike(policy: &Policy, rules: &[RuleRef<'_>]) -> bool {
    let when_rules = rules.iter().all(|rr| match &rr.rule.body {
        RuleBody::When {
            condition,
            effects,
            validity,
        } => {
            validity.is_none()
                && steady_expr(policy, condition)
                && effects.iter().all(|e| match e {
                    Effect::Points { amount, .. } => steady_expr(policy, amount),
                    _ => true,
                })
        }
        _ => true,
    });
    let bases = policy.sections.iter().all(|s| {
        s.items
            .iter()
            .all(|i| i.scaled.is_none() && i.bases.iter().all(|b| steady_expr(policy, &b.value)))
    });
    policy.card == crate::ops::Period::Month && !policy.balance && when_rules && bases
}

/// Per record kind, the per-event rules that read it; and the texts of the rules' flags and
/// exclusions (each is kept by the index of its text).
fn rules_by_kind(policy: &Policy, rules: &[RuleRef<'_>]) -> (Vec<Vec<usize>>, Vec<String>) {
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
            // Flags and exclusions are kept by the index of their text.
            if let Effect::Flag(t) | Effect::Exclude(t) = e {
                if !flag_texts.contains(t) {
                    flag_texts.push(t.clone());
                }
            }
        }
    }
    (by_kind, flag_texts)
}

/// Per department: its members in roster order, and its head (the first person the roster's
/// `head` column marks `true`).
fn departments(policy: &Policy, roster: &Roster) -> (Vec<Vec<usize>>, Vec<Option<usize>>) {
    let depts = roster.departments.len();
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
    (members, heads)
}

/// Whether some effect of a rule goes `to FIELD` (a person a record field names).
fn names_a_field(rr: &RuleRef<'_>) -> bool {
    match &rr.rule.body {
        RuleBody::Per { effects, .. } => effects.iter().any(|e| {
            matches!(
                e,
                Effect::Points {
                    target: Target::Field(_),
                    ..
                }
            )
        }),
        RuleBody::When { .. } => false,
    }
}

/// For a rule with a `for` of its own or on its item: whether it applies to each person.
fn applies_to(
    policy: &Policy,
    roster: &Roster,
    items: &[(usize, usize)],
    rr: &RuleRef<'_>,
) -> Option<Vec<bool>> {
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
}

/// The `min` and `max` aggregates of `subjects` subjects, before any record: the largest and
/// the smallest decimal.
fn first_extremes(
    policy: &Policy,
    extreme_slot: &[Option<usize>],
    xstride: usize,
    subjects: usize,
) -> Vec<Decimal> {
    let mut extremes = vec![Decimal::ZERO; subjects * MONTHS * xstride];
    for (a, x) in policy.aggregates.iter().zip(extreme_slot) {
        let (Some(x), Some(func)) = (x, a.func) else {
            continue;
        };
        let start = if func == AggFn::Min {
            Decimal::MAX
        } else {
            Decimal::MIN
        };
        for c in extremes.chunks_exact_mut(xstride) {
            c[*x] = start;
        }
    }
    extremes
}

/// The groups of a roster `group` column: whose group each person is in, each group's members in
/// roster order, and its head (from the column `head of` it, if any).
pub(super) struct Groups {
    pub(super) of_person: Vec<usize>,
    pub(super) members: Vec<Vec<usize>>,
    pub(super) heads: Vec<Option<usize>>,
    /// Each group's value, as the roster writes it.
    pub(super) names: Vec<String>,
}

impl Groups {
    fn of_roster(policy: &Policy, roster: &Roster) -> Vec<Option<Groups>> {
        let mut all: Vec<Option<Groups>> = policy
            .columns
            .iter()
            .enumerate()
            .map(|(c, col)| {
                (col.ty == ValueType::Group).then(|| {
                    let mut index: HashMap<String, usize> = HashMap::new();
                    let mut g = Groups {
                        of_person: Vec::with_capacity(roster.people.len()),
                        members: Vec::new(),
                        heads: Vec::new(),
                        names: Vec::new(),
                    };
                    for (i, p) in roster.people.iter().enumerate() {
                        let key = match p.values.get(c) {
                            Some(Value::Text(t)) => t.clone(),
                            _ => String::new(),
                        };
                        let id = *index.entry(key.clone()).or_insert_with(|| {
                            g.members.push(Vec::new());
                            g.heads.push(None);
                            g.names.push(key);
                            g.members.len() - 1
                        });
                        g.of_person.push(id);
                        g.members[id].push(i);
                    }
                    g
                })
            })
            .collect();
        for (hc, col) in policy.columns.iter().enumerate() {
            let ValueType::HeadOf(gc) = col.ty else {
                continue;
            };
            let Some(Some(g)) = all.get_mut(gc) else {
                continue;
            };
            for (i, p) in roster.people.iter().enumerate() {
                if p.values.get(hc) == Some(&Value::Bool(true)) {
                    if let Some(h) = g.of_person.get(i).and_then(|&id| g.heads.get_mut(id)) {
                        h.get_or_insert(i);
                    }
                }
            }
        }
        all
    }
}
