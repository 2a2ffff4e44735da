//! Static score bounds (`tally check --bounds`): the least and the most every item, section,
//! adjustments block and the total can score in a month and in a year, the annual result's range,
//! and which grades can be given, computed from the checked policy alone.
//!
//! Sound first: whatever the records and the roster, every evaluated score lies inside its bounds.
//! Then as tight as is simple:
//! - people are split into kinds by the roster columns the `for` conditions read (as the budget
//!   check does), so items that are alternatives are never added together;
//! - an item is its base plus its points, clamped to `0..budget`, or 0 where a `zero` can hit it;
//! - a `per` rule without a cap counts any number of records: unbounded on the side its amount
//!   takes; with a cap, at most the cap a month, and over the year at most the cap once a period;
//!   rules sharing a declared cap count it once together (when all take the same side);
//! - a `when` rule adds its amount or nothing, its aggregates held on the side of a number its
//!   condition compares them with; amounts and bases are bounded by the fields' ranges, tables,
//!   bands and the functions;
//! - the annual formula is evaluated over the months' range and the year's sum, and held between
//!   its values on twelve equal months at the least and at the most when it never falls as a
//!   month rises; a `score N` adds N.
//!
//! The per-kind ranges are then joined: a row's range holds every kind of person's.

pub mod lints;
mod range;
pub mod show;
mod value;

use std::collections::{BTreeMap, HashMap};

pub use range::{End, Range};
use value::{Iv, Months};

use super::budget::{self, Val};
use super::model::{CapId, Effect, Expr, GradeId, KindId, Policy, Rule, RuleBody};
use crate::exact::Exact;
use crate::ops::Period;

/// A score's range in one month (none on a policy with `card year`) and over the year: the twelve
/// months added up, or the year's card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scores {
    pub month: Option<Range>,
    pub year: Range,
}

impl Scores {
    fn hull(&self, o: &Scores) -> Scores {
        Scores {
            month: match (&self.month, &o.month) {
                (Some(a), Some(b)) => Some(a.hull(b)),
                _ => None,
            },
            year: self.year.hull(&o.year),
        }
    }

    fn add(&self, o: &Scores) -> Scores {
        Scores {
            month: match (&self.month, &o.month) {
                (Some(a), Some(b)) => Some(a.add(b)),
                _ => None,
            },
            year: self.year.add(&o.year),
        }
    }

    fn zero(card: Period) -> Scores {
        Scores {
            month: (card == Period::Month).then(Range::zero),
            year: Range::zero(),
        }
    }
}

/// One line of the card: an item, a section, an adjustments block or the total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub label: String,
    pub scores: Scores,
    /// Whether every person has it (an item with a `for` may be on some cards only).
    pub everybody: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionBounds {
    pub row: Row,
    pub items: Vec<Row>,
}

/// How a grade can be given, or nothing when it cannot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GradeReach {
    pub name: String,
    pub threshold: Option<String>,
    /// "by score", "set by `…`", "lowered to by `…`", "left out of `G`'s quota"; empty when no
    /// person can get it.
    pub by: Vec<String>,
    /// Whether the published annual result can reach the threshold (always for the last grade).
    pub threshold_reachable: bool,
}

/// Whether scoring can overflow what tally computes exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overflow {
    /// Every value scoring computes lies within `±largest`, in steps of `1/step`, so sums of fewer
    /// than `10^records` such values a person and month stay exact.
    Impossible {
        largest: Exact,
        step: i128,
        records: u32,
    },
    /// Not ruled out, and why.
    Possible(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub card: Period,
    /// `card balance`: the one range of each row is what the card can read on any day.
    pub balance: bool,
    pub sections: Vec<SectionBounds>,
    /// Points outside the items: each adjustments block, then the items' amounts `from total`.
    pub outside: Vec<Row>,
    pub total: Scores,
    /// The annual formula's result (a policy with one card a month).
    pub annual: Option<Range>,
    /// The published annual result: the formula's or the card's, rounded, or a `score N`.
    pub published: Range,
    pub grades: Vec<GradeReach>,
    pub overflow: Overflow,
    /// The rules that can leave a person out of the year (`exclude`): no result and no grade.
    pub excluded: Vec<String>,
}

impl Bounds {
    /// The item with this id, and its section.
    pub fn item(&self, id: &str) -> Option<&Row> {
        self.sections
            .iter()
            .flat_map(|s| &s.items)
            .find(|i| i.id == id)
    }
}

/// The id and label of the row of amounts taken `from total` in items.
pub const FROM_TOTAL: (&str, &str) = ("from total", "");

/// One part of a rule's points: where it goes and what it can be.
#[derive(Clone)]
struct Part {
    outside: bool,
    month: Range,
    year: Range,
    /// A declared or own cap whose rules all take one side: the rules under it count it once
    /// together.
    group: Option<CapId>,
}

/// What the rules a kind of person can meet raise besides points.
#[derive(Clone, Default)]
struct Raised {
    zero: bool,
    scores: Vec<(Exact, String)>,
    grades: Vec<(GradeId, String)>,
    caps: Vec<(GradeId, String)>,
    excluded: Vec<String>,
}

impl Raised {
    fn absorb(&mut self, o: Raised) {
        self.zero |= o.zero;
        self.scores.extend(o.scores);
        self.grades.extend(o.grades);
        self.caps.extend(o.caps);
        self.excluded.extend(o.excluded);
    }
}

/// The values every expression scoring computes can take, for the overflow claim.
#[derive(Default)]
struct Seen {
    largest: Exact,
    step: Option<i128>,
    open: Option<String>,
}

impl Seen {
    fn note(&mut self, iv: &Iv, what: &str) {
        if self.open.is_some() {
            return;
        }
        match (iv.magnitude(), iv.den) {
            (Some(m), Some(d)) => {
                self.largest = self.largest.max(m);
                // Values in steps of 1/a and 1/b add up in steps of 1/lcm(a, b).
                match value::lcm(Some(self.step.unwrap_or(1)), Some(d)) {
                    Some(l) => self.step = Some(l),
                    None => self.open = Some(any_fraction(what)),
                }
            }
            (None, _) => {
                self.open = Some(crate::tr!(
                    format!("{what} has no bound"),
                    crate::lang::spaced(&format!("{what}没有界限"))
                ))
            }
            (_, None) => self.open = Some(any_fraction(what)),
        }
    }
}

struct Analysis<'p> {
    policy: &'p Policy,
    /// Per cap: whether the rules under it can take points away, and give them.
    cap_sides: Vec<(bool, bool)>,
    seen: Seen,
    /// Each rule's parts and what it raises, by the rule's address: the same for every kind of
    /// person it applies to.
    rules: HashMap<usize, (Vec<Part>, Raised)>,
}

type Combo = Vec<Option<Val>>;

/// Whether a `for` holds for a kind of person: `None` when it reads what the kind does not tell.
fn applies(e: Option<&Expr>, combo: &Combo) -> Option<bool> {
    match e {
        None => Some(true),
        Some(e) => budget::holds(e, combo),
    }
}

/// The kinds of person: every combination of the enumeration and bool columns any `for` reads; or,
/// when those are too many, of the columns the items' and bases' `for` read (which decide whose
/// card has which item), the rules' `for` then taken as holding or not; or, past that, one kind of
/// whom no `for` is known. Looser bounds, sound still, in a time an editor can wait for on every
/// change.
fn person_kinds(policy: &Policy) -> Vec<Combo> {
    let mut item_columns = Vec::new();
    for item in policy.sections.iter().flat_map(|s| &s.items) {
        let fors = item
            .applies
            .iter()
            .chain(item.bases.iter().filter_map(|b| b.applies.as_ref()));
        for e in fors {
            budget::columns_read(e, &mut item_columns);
        }
    }
    let mut columns = item_columns.clone();
    let rules = policy
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| &i.rules)
        .chain(policy.adjustments.iter().flat_map(|a| &a.rules));
    for e in rules.filter_map(|r| r.applies.as_ref()) {
        budget::columns_read(e, &mut columns);
    }
    let kinds = |columns: &[usize]| {
        budget::combinations_of(&policy.columns, columns).filter(|k| k.len() <= MAX_KINDS)
    };
    kinds(&columns)
        .or_else(|| kinds(&item_columns))
        .unwrap_or_else(|| vec![vec![None; policy.columns.len()]])
}

/// The most kinds of person the bounds tell apart.
const MAX_KINDS: usize = 256;

/// How many periods of a cap a year holds.
fn periods(p: Period) -> i64 {
    match p {
        Period::Month => 12,
        Period::Quarter => 4,
        Period::Year => 1,
    }
}

pub fn bounds(policy: &Policy) -> Bounds {
    let mut a = Analysis {
        policy,
        cap_sides: vec![(false, false); policy.caps.len()],
        seen: Seen::default(),
        rules: HashMap::new(),
    };
    a.cap_sides = a.sides_of_caps();
    // Every value the rules and bases compute, whoever they apply to.
    let rules = policy
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| &i.rules)
        .chain(policy.adjustments.iter().flat_map(|a| &a.rules));
    for rule in rules {
        a.note_rule(rule);
    }
    // A clamp gives a budget, a cap its limit, a `score N` its N: their fractions count too.
    for item in policy.sections.iter().flat_map(|s| &s.items) {
        a.seen.note(
            &Iv::point(Exact::from_decimal(item.budget)),
            crate::tr!("a budget", "项目分值"),
        );
    }
    for cap in &policy.caps {
        a.seen.note(
            &Iv::point(Exact::from_decimal(cap.limit)),
            crate::tr!("a cap", "封顶"),
        );
    }
    for b in policy
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| &i.bases)
    {
        a.note_expr(&b.value, &[], None, &b.text);
    }
    let mut joined: Option<Joined> = None;
    for combo in person_kinds(policy) {
        let one = a.kind(&combo);
        joined = Some(match joined {
            None => one,
            Some(j) => j.join(one),
        });
    }
    let Some(j) = joined else {
        // Unreachable: there is always at least one kind of person.
        return a.finish(Joined::empty(policy));
    };
    a.finish(j)
}

/// A section's range and its items' (`None`: not on the card), and whether every person joined
/// has each item.
struct JoinedSection {
    scores: Scores,
    items: Vec<Option<Scores>>,
    every: Vec<bool>,
}

/// One kind of person's ranges, or several kinds' joined.
struct Joined {
    /// Per section: its range and its items' (`None`: not on the card).
    sections: Vec<JoinedSection>,
    outside: Vec<Scores>,
    total: Scores,
    raised: Raised,
}

impl Joined {
    fn empty(policy: &Policy) -> Joined {
        Joined {
            sections: Vec::new(),
            outside: Vec::new(),
            total: Scores::zero(policy.card),
            raised: Raised::default(),
        }
    }

    fn join(self, o: Joined) -> Joined {
        let join = |a: Option<Scores>, b: Option<Scores>| match (a, b) {
            (Some(a), Some(b)) => Some(a.hull(&b)),
            (a, b) => a.or(b),
        };
        let sections = self
            .sections
            .into_iter()
            .zip(o.sections)
            .map(|(a, b)| {
                let every = a
                    .every
                    .iter()
                    .zip(&b.every)
                    .zip(a.items.iter().zip(&b.items))
                    .map(|((x, y), (i, j))| *x && *y && i.is_some() && j.is_some())
                    .collect();
                let items = a
                    .items
                    .into_iter()
                    .zip(b.items)
                    .map(|(x, y)| join(x, y))
                    .collect();
                JoinedSection {
                    scores: a.scores.hull(&b.scores),
                    items,
                    every,
                }
            })
            .collect();
        let outside = self
            .outside
            .iter()
            .zip(&o.outside)
            .map(|(a, b)| a.hull(b))
            .collect();
        let mut raised = self.raised;
        raised.absorb(o.raised);
        Joined {
            sections,
            outside,
            total: self.total.hull(&o.total),
            raised,
        }
    }
}

impl Analysis<'_> {
    /// The range of a rule's amount for one record (its `per` field's value multiplied in).
    fn per_multiplier(&self, body: &RuleBody) -> (Vec<KindId>, Iv) {
        let RuleBody::Per { events, .. } = body else {
            return (Vec::new(), Iv::point(Exact::ONE));
        };
        let kinds: Vec<KindId> = events.iter().map(|e| e.kind).collect();
        let mut factor: Option<Iv> = None;
        for e in events {
            let f = match e.per_field {
                None => Iv::point(Exact::ONE),
                Some(f) => self
                    .policy
                    .kinds
                    .get(e.kind)
                    .and_then(|k| k.fields.get(f))
                    .map_or(Iv::ANY, |f| value::declared(&f.ty)),
            };
            factor = Some(factor.map_or(f, |x| x.hull(f)));
        }
        (kinds, factor.unwrap_or(Iv::point(Exact::ONE)))
    }

    /// Each amount of a rule (for one record, or once for a `when` rule), and whether it is taken
    /// `from total`.
    fn amounts(&self, rule: &Rule) -> Vec<(bool, Iv)> {
        let (kinds, factor) = self.per_multiplier(&rule.body);
        let (RuleBody::Per { effects, .. } | RuleBody::When { effects, .. }) = &rule.body;
        // A `when` rule's amount is read only where its condition holds.
        let mut narrow = Vec::new();
        if let RuleBody::When { condition, .. } = &rule.body {
            value::narrowed(condition, &mut narrow);
        }
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Points {
                    amount, from_total, ..
                } => {
                    let v = value::value_where(self.policy, amount, &kinds, None, &narrow);
                    let v = match rule.body {
                        RuleBody::Per { .. } => v.mul(factor),
                        RuleBody::When { .. } => v,
                    };
                    Some((*from_total, v))
                }
                _ => None,
            })
            .collect()
    }

    fn sides_of_caps(&self) -> Vec<(bool, bool)> {
        let mut sides = vec![(false, false); self.policy.caps.len()];
        for rule in self.all_rules() {
            if let RuleBody::Per { cap: Some(c), .. } = &rule.body {
                let raw = self
                    .amounts(rule)
                    .into_iter()
                    .fold(Iv::point(Exact::ZERO), |acc, (_, v)| acc.add(v));
                if let Some(s) = sides.get_mut(*c) {
                    s.0 |= raw.can_be_negative();
                    s.1 |= raw.can_be_positive();
                }
            }
        }
        sides
    }

    fn all_rules(&self) -> impl Iterator<Item = &Rule> {
        self.policy
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .flat_map(|i| &i.rules)
            .chain(self.policy.adjustments.iter().flat_map(|a| &a.rules))
    }

    /// [`Analysis::rule`], computed once a rule.
    fn rule_once(&mut self, rule: &Rule, in_item: bool, raised: &mut Raised) -> Vec<Part> {
        let key = std::ptr::from_ref(rule) as usize;
        if let Some((parts, r)) = self.rules.get(&key) {
            raised.absorb(r.clone());
            return parts.clone();
        }
        let mut r = Raised::default();
        let parts = self.rule(rule, in_item, &mut r);
        raised.absorb(r.clone());
        self.rules.insert(key, (parts.clone(), r));
        parts
    }

    /// A rule's points for one person, and what else it raises.
    fn rule(&mut self, rule: &Rule, in_item: bool, raised: &mut Raised) -> Vec<Part> {
        let card = self.policy.card;
        let mut parts = Vec::new();
        let (RuleBody::Per { effects, .. } | RuleBody::When { effects, .. }) = &rule.body;
        for e in effects {
            match e {
                Effect::Zero if in_item => raised.zero = true,
                Effect::SetScore(n) => raised.scores.push((Exact::from_decimal(*n), cited(rule))),
                Effect::SetGrade(g) => raised.grades.push((*g, cited(rule))),
                Effect::GradeCap(g) => raised.caps.push((*g, cited(rule))),
                Effect::Exclude(_) => raised.excluded.push(cited(rule)),
                _ => {}
            }
        }
        let amounts = self.amounts(rule);
        match &rule.body {
            RuleBody::Per { cap: Some(c), .. } => {
                let Some(cap) = self.policy.caps.get(*c) else {
                    return parts;
                };
                let limit = Exact::from_decimal(cap.limit);
                let raw = amounts
                    .iter()
                    .fold(Iv::point(Exact::ZERO), |acc, (_, v)| acc.add(*v));
                let (neg, pos) = self.cap_sides.get(*c).copied().unwrap_or((true, true));
                let one_side = !(neg && pos);
                // What one rule counts in a month: it takes the cap's running total from where it
                // was towards its side, at most across the whole cap when rules take both sides.
                let Some(step) = (if one_side {
                    Some(limit)
                } else {
                    limit.checked_add(limit)
                }) else {
                    return parts;
                };
                let side = |can: bool, x: Exact| if can { x } else { Exact::ZERO };
                let month = Range {
                    lo: End::At(side(raw.can_be_negative(), negate(step))),
                    hi: End::At(side(raw.can_be_positive(), step)),
                };
                // Over the year: the cap once a period, or twelve months of the most a month.
                let year = month.times(if one_side { periods(cap.period) } else { 12 });
                parts.push(Part {
                    outside: !in_item || rule.body.from_total(),
                    month,
                    year,
                    group: one_side.then_some(*c),
                });
            }
            RuleBody::Per { guard, .. } => {
                // A guarded rule's points are held or counted together: all outside the item
                // when any of its amounts is taken `from total`.
                let all_out = guard.is_some() && rule.body.from_total();
                for (from_total, v) in amounts {
                    let why = crate::tr!(
                        format!("`{}`: any number of records count, and no cap", rule.text),
                        format!("`{}`：记录多少条都算，又没有封顶", rule.text)
                    );
                    let r = Range {
                        lo: if v.can_be_negative() {
                            End::Open(why.clone())
                        } else {
                            End::At(Exact::ZERO)
                        },
                        hi: if v.can_be_positive() {
                            End::Open(why)
                        } else {
                            End::At(Exact::ZERO)
                        },
                    };
                    parts.push(Part {
                        outside: !in_item || from_total || all_out,
                        month: r.clone(),
                        year: r,
                        group: None,
                    });
                }
            }
            RuleBody::When { .. } => {
                for (from_total, v) in amounts {
                    let once = Range::of(v.with_zero(), |side| {
                        crate::tr!(
                            format!("`{}`: its amount has no {side} bound", rule.text),
                            format!("`{}`：分值没有{}限", rule.text, zh_side(side))
                        )
                    });
                    let year = match card {
                        Period::Month => once.times(12),
                        _ => once.clone(),
                    };
                    parts.push(Part {
                        outside: !in_item || from_total,
                        month: once,
                        year,
                        group: None,
                    });
                }
            }
        }
        parts
    }

    /// Notes the numbers a rule's filter, guard, condition and amounts compute, every part of
    /// them.
    fn note_rule(&mut self, rule: &Rule) {
        let mut exprs: Vec<&Expr> = Vec::new();
        let (RuleBody::Per { effects, .. } | RuleBody::When { effects, .. }) = &rule.body;
        let kinds: Vec<KindId> = match &rule.body {
            RuleBody::Per {
                events,
                filter,
                guard,
                ..
            } => {
                exprs.extend(filter.iter().chain(guard));
                events.iter().map(|e| e.kind).collect()
            }
            RuleBody::When { condition, .. } => {
                exprs.push(condition);
                Vec::new()
            }
        };
        for e in effects {
            match e {
                Effect::Points { amount, .. } => exprs.push(amount),
                Effect::SetScore(n) => self.seen.note(
                    &Iv::point(Exact::from_decimal(*n)),
                    crate::tr!("a set score", "直接定的分"),
                ),
                _ => {}
            }
        }
        for e in exprs {
            self.note_expr(e, &kinds, None, &rule.text);
        }
        // `repeat * N` multiplies a repeat's amounts by N (before its cap).
        let repeat = match &rule.body {
            RuleBody::Per { validity, .. } => validity.as_ref().and_then(|v| v.repeat),
            RuleBody::When { .. } => None,
        };
        // `per KIND.FIELD` multiplies the amounts by the record's value.
        for (_, v) in self.amounts(rule) {
            if let Some(f) = repeat {
                let repeated = v.mul(Iv::point(Exact::from_decimal(f)));
                let what = crate::tr!(
                    format!("a repeat of `{}`", rule.text),
                    format!("`{}` 加倍计的分", rule.text)
                );
                self.seen.note(&repeated, &what);
            }
            self.seen.note(&v, &value_of(&rule.text));
        }
    }

    /// Notes the values of a number expression and of every number within it.
    fn note_expr(&mut self, e: &Expr, kinds: &[KindId], months: Option<&Months>, what: &str) {
        use super::model::ExprKind as M;
        if self.seen.open.is_some() {
            return;
        }
        if value_is_number(self.policy, e, kinds) {
            let v = value::value(self.policy, e, kinds, months);
            self.seen.note(&v, &value_of(what));
        }
        match &e.kind {
            M::Not(a) | M::Neg(a) | M::Member(a, _) => self.note_expr(a, kinds, months, what),
            M::Binary(_, a, b) => {
                self.note_expr(a, kinds, months, what);
                self.note_expr(b, kinds, months, what);
            }
            M::Call(_, args) => {
                for a in args {
                    self.note_expr(a, kinds, months, what);
                }
            }
            M::Table {
                key,
                entries,
                default,
            } => {
                self.note_expr(key, kinds, months, what);
                for (_, v) in entries {
                    self.note_expr(v, kinds, months, what);
                }
                if let Some(d) = default {
                    self.note_expr(d, kinds, months, what);
                }
            }
            M::Aggregate(id) | M::Fact(id) => {
                // A filter inside an aggregate reads the aggregate's kind.
                let filter = self
                    .policy
                    .aggregates
                    .get(*id)
                    .and_then(|a| a.filter.as_ref().map(|f| (f.clone(), a.kind)));
                if let Some((f, k)) = filter {
                    self.note_expr(&f, &[k], months, what);
                }
            }
            _ => {}
        }
    }

    /// Sums parts, counting each one-sided shared cap once.
    fn sum(&self, parts: &[&Part], year: bool) -> Range {
        let mut total = Range::zero();
        let mut grouped: BTreeMap<CapId, Range> = BTreeMap::new();
        for p in parts {
            let r = if year { &p.year } else { &p.month };
            match p.group {
                Some(c) => {
                    let g = grouped.entry(c).or_insert_with(Range::zero);
                    *g = g.add(r);
                }
                None => total = total.add(r),
            }
        }
        for (c, r) in grouped {
            let Some(cap) = self.policy.caps.get(c) else {
                continue;
            };
            let k = if year { periods(cap.period) } else { 1 };
            let Some(whole) = Exact::from_decimal(cap.limit).checked_mul(Exact::from_int(k)) else {
                total = total.add(&r);
                continue;
            };
            let (neg, pos) = self.cap_sides.get(c).copied().unwrap_or((true, true));
            let lo = if neg { negate(whole) } else { Exact::ZERO };
            let hi = if pos { whole } else { Exact::ZERO };
            total = total.add(&r.within(Some(lo), Some(hi)));
        }
        total
    }

    /// One kind of person's ranges.
    fn kind(&mut self, combo: &Combo) -> Joined {
        let policy = self.policy;
        let card = policy.card;
        let mut raised = Raised::default();
        let mut outside_parts: Vec<(Option<usize>, Part)> = Vec::new();
        let mut sections = Vec::new();
        let mut total = Scores::zero(card);
        for section in &policy.sections {
            let mut items = Vec::new();
            let mut sum = Scores::zero(card);
            let mut every = Vec::new();
            for item in &section.items {
                let has = applies(item.applies.as_ref(), combo);
                if has == Some(false) {
                    items.push(None);
                    every.push(false);
                    continue;
                }
                let mut item_raised = Raised::default();
                let mut parts = Vec::new();
                for rule in &item.rules {
                    if applies(rule.applies.as_ref(), combo) == Some(false) {
                        continue;
                    }
                    for p in self.rule_once(rule, true, &mut item_raised) {
                        if p.outside {
                            outside_parts.push((None, p));
                        } else {
                            parts.push(p);
                        }
                    }
                }
                // A `zero` zeroes its own item; the rest counts for the year.
                let zero = item_raised.zero;
                item_raised.zero = false;
                raised.absorb(item_raised);
                let scores = self.item(item, combo, &parts, zero);
                // An item some of this kind may not have adds nothing for them.
                let counted = if has.is_none() {
                    Scores {
                        month: scores.month.as_ref().map(Range::with_zero),
                        year: scores.year.with_zero(),
                    }
                } else {
                    scores.clone()
                };
                sum = sum.add(&counted);
                every.push(has == Some(true));
                items.push(Some(scores));
            }
            total = total.add(&sum);
            sections.push(JoinedSection {
                scores: sum,
                items,
                every,
            });
        }
        for (b, block) in policy.adjustments.iter().enumerate() {
            for rule in &block.rules {
                if applies(rule.applies.as_ref(), combo) == Some(false) {
                    continue;
                }
                for p in self.rule_once(rule, false, &mut raised) {
                    outside_parts.push((Some(b), p));
                }
            }
        }
        let mut outside = Vec::new();
        let blocks = policy.adjustments.len();
        for b in (0..blocks).map(Some).chain([None]) {
            let parts: Vec<&Part> = outside_parts
                .iter()
                .filter(|(o, _)| *o == b)
                .map(|(_, p)| p)
                .collect();
            outside.push(Scores {
                month: (card == Period::Month).then(|| self.sum(&parts, false)),
                year: self.sum(&parts, true),
            });
        }
        // The outside parts all together, so that a shared cap counts once across blocks.
        let all: Vec<&Part> = outside_parts.iter().map(|(_, p)| p).collect();
        total = total.add(&Scores {
            month: (card == Period::Month).then(|| self.sum(&all, false)),
            year: self.sum(&all, true),
        });
        Joined {
            sections,
            outside,
            total,
            raised,
        }
    }

    /// An item's range: its base plus its points, clamped to `0..budget`, or 0 when zeroed.
    fn item(
        &mut self,
        item: &super::model::Item,
        combo: &Combo,
        parts: &[Part],
        zero: bool,
    ) -> Scores {
        let budget = Exact::from_decimal(item.budget);
        // The first base whose `for` holds; one whose `for` may not hold adds its range and lets
        // the next ones in.
        let mut base: Option<Range> = None;
        let mut decided = false;
        for b in &item.bases {
            match applies(b.applies.as_ref(), combo) {
                Some(false) => continue,
                holds => {
                    let v = value::value(self.policy, &b.value, &[], None);
                    let r = Range::of(v, |side| {
                        crate::tr!(
                            format!("`{}`: the base has no {side} bound", b.text),
                            format!("`{}`：基础分没有{}限", b.text, zh_side(side))
                        )
                    });
                    base = Some(base.map_or(r.clone(), |x| x.hull(&r)));
                    if holds == Some(true) {
                        decided = true;
                        break;
                    }
                }
            }
        }
        if !decided {
            let b = Range::point(budget);
            base = Some(base.map_or(b.clone(), |x| x.hull(&b)));
        }
        let base = base.unwrap_or_else(|| Range::point(budget));
        let refs: Vec<&Part> = parts.iter().collect();
        let points_month = self.sum(&refs, false);
        let points_year = self.sum(&refs, true);
        let clamp = |r: &Range| {
            let mut c = r.within(Some(Exact::ZERO), Some(budget));
            if zero {
                c.lo = End::At(Exact::ZERO);
            }
            c
        };
        match self.policy.card {
            Period::Month => {
                let raw = base.add(&points_month);
                let month = clamp(&raw);
                let mut year = month.times(12);
                // Twelve months of base plus the year's points, where the clamp cannot cut.
                let twelve = base.times(12).add(&points_year);
                let never_above = raw.hi.value().is_some_and(|h| h <= budget);
                let never_below = raw.lo.value().is_some_and(|l| l >= Exact::ZERO);
                year = year.tighten(
                    if never_above && !zero {
                        twelve.lo.value()
                    } else {
                        None
                    },
                    if never_below { twelve.hi.value() } else { None },
                );
                Scores {
                    month: Some(month),
                    year,
                }
            }
            _ => Scores {
                month: None,
                year: clamp(&base.add(&points_year)),
            },
        }
    }

    fn finish(mut self, j: Joined) -> Bounds {
        let policy = self.policy;
        let mut sections = Vec::new();
        for (section, js) in policy.sections.iter().zip(j.sections) {
            let JoinedSection {
                scores,
                items,
                every,
            } = js;
            let rows = section
                .items
                .iter()
                .zip(items)
                .zip(every)
                .map(|((item, s), every)| Row {
                    id: item.id.clone(),
                    label: item.label.clone(),
                    scores: s.unwrap_or_else(|| Scores::zero(policy.card)),
                    everybody: every,
                })
                .collect();
            sections.push(SectionBounds {
                row: Row {
                    id: section.id.clone(),
                    label: section.label.clone(),
                    scores,
                    everybody: true,
                },
                items: rows,
            });
        }
        let mut outside: Vec<Row> = policy
            .adjustments
            .iter()
            .zip(&j.outside)
            .map(|(a, s)| Row {
                id: a.id.clone(),
                label: a.label.clone(),
                scores: s.clone(),
                everybody: true,
            })
            .collect();
        let has_from_total = policy
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .flat_map(|i| &i.rules)
            .any(|r| r.body.from_total());
        if let (true, Some(s)) = (has_from_total, j.outside.last()) {
            outside.push(Row {
                id: FROM_TOTAL.0.into(),
                label: FROM_TOTAL.1.into(),
                scores: s.clone(),
                everybody: true,
            });
        }
        let total = j.total;
        let (annual, result) = match (&total.month, policy.card) {
            // A balance card's result is the card on one reading day: what one snapshot can be.
            (Some(reading), _) if policy.balance => (None, reading.clone()),
            (Some(month), Period::Month) => {
                let months = Months {
                    month: month.to_iv(),
                    year: total.year.to_iv(),
                };
                let v = value::value(policy, &policy.annual, &[], Some(&months));
                let why_lo = first_open(&[&month.lo, &total.year.lo, &month.hi, &total.year.hi]);
                let why_hi = first_open(&[&month.hi, &total.year.hi, &month.lo, &total.year.lo]);
                let r = Range::of(v, |side| {
                    let inherited = if side == "lower" { &why_lo } else { &why_hi };
                    inherited.clone().unwrap_or_else(|| {
                        crate::tr!(
                            format!(
                                "the annual formula `{}` has no {side} bound",
                                policy.annual_text
                            ),
                            format!("年度公式 `{}` 没有{}限", policy.annual_text, zh_side(side))
                        )
                    })
                });
                // A formula that never falls when a month rises is at least its value on twelve
                // months at the least, and at most on twelve at the most.
                let at = |end: Option<Exact>| {
                    let m = Iv::point(end?);
                    let twelve = m.mul(Iv::point(Exact::from_int(12)));
                    let v = value::value(
                        policy,
                        &policy.annual,
                        &[],
                        Some(&Months {
                            month: m,
                            year: twelve,
                        }),
                    );
                    match (v.lo, v.hi) {
                        (value::Ext::At(lo), value::Ext::At(hi)) => Some((lo, hi)),
                        _ => None,
                    }
                };
                let r = match value::polarity(&policy.annual) {
                    Some(1) => r.tighten(
                        at(month.lo.value()).map(|(lo, _)| lo),
                        at(month.hi.value()).map(|(_, hi)| hi),
                    ),
                    Some(-1) => r.tighten(
                        at(month.hi.value()).map(|(lo, _)| lo),
                        at(month.lo.value()).map(|(_, hi)| hi),
                    ),
                    _ => r,
                };
                (Some(r.clone()), r)
            }
            _ => (None, total.year.clone()),
        };
        let round = |e: &End| match e {
            End::At(x) => x.round(policy.round_places, policy.rounding).map_or_else(
                || End::Open(crate::tr!("too large to publish", "太大，发布不了").into()),
                |d| End::At(Exact::from_decimal(d)),
            ),
            End::Open(w) => End::Open(w.clone()),
        };
        let mut published = Range {
            lo: round(&result.lo),
            hi: round(&result.hi),
        };
        let by_formula = published.clone();
        for (n, _) in &j.raised.scores {
            published = published.hull(&Range::point(*n));
        }
        let grades = grades(policy, &by_formula, &j.raised);
        // Every row and the annual result are finite too.
        let rows = sections
            .iter()
            .flat_map(|s| std::iter::once(&s.row).chain(&s.items))
            .chain(&outside)
            .map(|r| &r.scores)
            .chain([&total]);
        for s in rows {
            for r in s.month.iter().chain([&s.year]) {
                let iv = Iv {
                    den: Some(1),
                    ..r.to_iv()
                };
                let why = first_open(&[&r.lo, &r.hi]);
                if let Some(w) = why {
                    if self.seen.open.is_none() {
                        self.seen.open = Some(w);
                    }
                } else {
                    self.seen.note(&iv, crate::tr!("a score", "分数"));
                }
            }
        }
        if let Some(a) = &annual {
            if let Some(w) = first_open(&[&a.lo, &a.hi]) {
                self.seen.open.get_or_insert(w);
            } else {
                // The totals come in the steps of what they add up.
                let step = self.seen.step.or(Some(1));
                let months = Months {
                    month: Iv {
                        den: step,
                        ..total.month.as_ref().map_or(Iv::ANY, Range::to_iv)
                    },
                    year: Iv {
                        den: step,
                        ..total.year.to_iv()
                    },
                };
                let what = policy.annual_text.clone();
                self.note_expr(&policy.annual, &[], Some(&months), &what);
            }
        }
        let overflow = overflow(&self.seen);
        let mut excluded: Vec<String> = Vec::new();
        for r in &j.raised.excluded {
            if !excluded.contains(r) {
                excluded.push(r.clone());
            }
        }
        let mut bounds = Bounds {
            card: policy.card,
            balance: false,
            sections,
            outside,
            total,
            annual,
            published,
            grades,
            overflow,
            excluded,
        };
        if policy.balance {
            bounds.as_readings();
        }
        bounds
    }
}

impl Bounds {
    /// On a balance card, what a month's bounds say is what one reading (a snapshot, or the year's
    /// reading day) can be: each row becomes that one range. Caps count per reading and `when`
    /// rules once a reading, as they do in a month; uncapped rules are open as in a month, since
    /// entries of any number of records (earlier years' included) can be valid on one day.
    fn as_readings(&mut self) {
        let reading = |s: &mut Scores| {
            if let Some(m) = s.month.take() {
                s.year = m;
            }
        };
        for section in &mut self.sections {
            reading(&mut section.row.scores);
            for item in &mut section.items {
                reading(&mut item.scores);
            }
        }
        for row in &mut self.outside {
            reading(&mut row.scores);
        }
        reading(&mut self.total);
        self.card = Period::Year;
        self.balance = true;
    }
}

fn value_is_number(policy: &Policy, e: &Expr, kinds: &[KindId]) -> bool {
    use super::model::ExprKind as M;
    use super::model::ValueType as T;
    match &e.kind {
        M::Number(_) | M::Aggregate(_) | M::Fact(_) | M::Months(_) | M::Neg(_) | M::Call(..) => {
            true
        }
        M::Binary(op, ..) => op.is_arithmetic(),
        M::Column(c) => policy
            .columns
            .get(*c)
            .is_some_and(|c| matches!(c.ty, super::model::ValueType::Number { .. })),
        M::Table { .. } => true,
        // A number or a time of day (a key of a table of values or a text is no number).
        M::RecordField(f) => kinds.iter().any(|&k| {
            policy
                .kinds
                .get(k)
                .and_then(|kind| kind.fields.get(*f))
                .is_some_and(|field| matches!(field.ty, T::Number { .. } | T::Time))
        }),
        _ => false,
    }
}

/// A rule as a reason names it: by its clause, else by its text.
fn cited(rule: &Rule) -> String {
    match &rule.clause {
        Some(c) => format!("[{c}]"),
        None => format!("`{}`", rule.text),
    }
}

/// `-x`; an exact number's negation always fits (its numerator is never `i128::MIN`).
fn negate(x: Exact) -> Exact {
    x.checked_neg().unwrap_or(x)
}

fn first_open(ends: &[&End]) -> Option<String> {
    ends.iter().find_map(|e| match e {
        End::Open(w) => Some(w.clone()),
        End::At(_) => None,
    })
}

fn overflow(seen: &Seen) -> Overflow {
    if let Some(w) = &seen.open {
        return Overflow::Possible(w.clone());
    }
    let step = seen.step.unwrap_or(1);
    // A sum of n values of at most `largest` in steps of 1/step has a numerator of at most
    // n * largest * step.
    let per_value = seen
        .largest
        .ceil()
        .numer()
        .max(1)
        .checked_mul(step)
        .unwrap_or(i128::MAX);
    let room = i128::MAX / per_value.max(1);
    let records = room.checked_ilog10().unwrap_or(0);
    if records < 9 {
        let steps = if step <= 1_000_000 {
            format!("1/{step}")
        } else {
            crate::tr!(
                "less than a millionth (a record's number can have 28 decimals)",
                "不到百万分之一（记录里的数可以有 28 位小数）"
            )
            .to_string()
        };
        return Overflow::Possible(crate::tr!(
            format!(
                "values up to {} in steps of {steps}: exact sums of them hold for fewer than 10^9 records",
                seen.largest.display_places(0)
            ),
            format!(
                "值最大到 {}，以 {steps} 为单位：这样的值精确相加，放不下 10^9 条记录",
                seen.largest.display_places(0)
            )
        ));
    }
    Overflow::Impossible {
        largest: seen.largest,
        step,
        records,
    }
}

/// Which grades a published result in `published`, a `grade` effect, a `grade at most` or a quota
/// can give.
fn grades(policy: &Policy, published: &Range, raised: &Raised) -> Vec<GradeReach> {
    let (lo, hi) = (published.lo.value(), published.hi.value());
    let n = policy.grades.len();
    let mut by: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut threshold_reachable = vec![true; n];
    for (i, g) in policy.grades.iter().enumerate() {
        // The result can reach the threshold…
        let up = match g.min.map(Exact::from_decimal) {
            None => true,
            Some(t) => hi.is_none_or(|h| if g.above { h > t } else { h >= t }),
        };
        threshold_reachable[i] = up;
        // …and stay below the grade above.
        let down = match i.checked_sub(1).and_then(|p| policy.grades.get(p)) {
            None => true,
            Some(p) => match p.min.map(Exact::from_decimal) {
                None => true,
                Some(t) => lo.is_none_or(|l| if p.above { l <= t } else { l < t }),
            },
        };
        if up && down {
            by[i].push(crate::tr!("by score", "凭分数").to_string());
        }
    }
    // A `score N` gives the grade of N.
    let mut scored: Vec<Vec<&str>> = vec![Vec::new(); n];
    for (score, rule) in &raised.scores {
        if let Some(i) = policy.grades.iter().position(|g| g.takes_exact(*score)) {
            for t in threshold_reachable.iter_mut().skip(i) {
                *t = true;
            }
            if !scored[i].contains(&rule.as_str()) {
                scored[i].push(rule);
            }
        }
    }
    for g in 0..n {
        if !scored[g].is_empty() {
            by[g].push(crate::tr!(
                format!("by the score {} sets", scored[g].join(", ")),
                format!("凭 {} 定的分", scored[g].join("、"))
            ));
        }
    }
    let mut set: Vec<Vec<&str>> = vec![Vec::new(); n];
    for (g, rule) in &raised.grades {
        if let Some(s) = set.get_mut(*g).filter(|s| !s.contains(&rule.as_str())) {
            s.push(rule);
        }
    }
    let mut lowered: Vec<Vec<&str>> = vec![Vec::new(); n];
    for (g, rule) in &raised.caps {
        if let Some(s) = lowered.get_mut(*g).filter(|s| !s.contains(&rule.as_str())) {
            s.push(rule);
        }
    }
    for g in 0..n {
        if !set[g].is_empty() {
            by[g].push(crate::tr!(
                format!("set by {}", set[g].join(", ")),
                format!("由 {} 直接定", set[g].join("、"))
            ));
        }
    }
    for g in 0..n {
        // A cap lowers a higher grade, given by score or set.
        if !lowered[g].is_empty() && (0..g).any(|j| !by[j].is_empty()) {
            by[g].push(crate::tr!(
                format!("lowered to it by {}", lowered[g].join(", ")),
                format!("由 {} 降到这个等次", lowered[g].join("、"))
            ));
        }
    }
    for i in 0..n.saturating_sub(1) {
        if policy.grades[i].quota.is_some() && !by[i].is_empty() {
            let s = crate::tr!(
                format!("left out of the quota of `{}`", policy.grades[i].name),
                format!("`{}` 名额以外的", policy.grades[i].name)
            );
            by[i + 1].push(s);
        }
    }
    policy
        .grades
        .iter()
        .zip(by)
        .zip(threshold_reachable)
        .map(|((g, by), threshold_reachable)| GradeReach {
            name: g.name.clone(),
            threshold: g.threshold(),
            by,
            threshold_reachable,
        })
        .collect()
}

/// `lower` or `upper` (a side of a range) in Chinese: `下`, `上`.
fn zh_side(side: &str) -> &'static str {
    if side == "lower" { "下" } else { "上" }
}

/// Why values of `what` have no common step.
fn any_fraction(what: &str) -> String {
    crate::tr!(
        format!("{what} can be a fraction of any size"),
        crate::lang::spaced(&format!("{what}可以是任意小的分数"))
    )
}

/// What a rule's or an expression's values are called in a reason.
fn value_of(what: &str) -> String {
    crate::tr!(format!("a value of `{what}`"), format!("`{what}` 的值"))
}
