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

mod card;
mod finish;
mod ledgers;
pub mod lints;
mod person;
mod range;
mod ranks;
mod reach;
mod relative;
mod rules;
pub mod show;
mod value;

use std::collections::{BTreeMap, HashMap};

use card::{Joined, JoinedSection, periods};
pub use ledgers::LedgerBounds;
use person::{Combo, applies, person_kinds};
pub use range::{End, Range};
use reach::grades;
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
            month: (card != Period::Year).then(Range::zero),
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
    /// Each ledger's derived values and its value (§30); empty without ledgers.
    pub ledgers: Vec<LedgerBounds>,
    /// The items scaled to their group's best whose own value is never above 0 in any card:
    /// no group's best can be divided by (§32).
    pub never_positive: Vec<String>,
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
    /// Per item scaled to its group's best (§32), by id: the highest its own value can be in a
    /// card, over every kind of person (`None`: no bound).
    scaled_own: HashMap<String, Option<Exact>>,
}

pub fn bounds(policy: &Policy) -> Bounds {
    let mut a = Analysis {
        policy,
        cap_sides: vec![(false, false); policy.caps.len()],
        seen: Seen::default(),
        rules: HashMap::new(),
        scaled_own: HashMap::new(),
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
