//! The checked policy: what the evaluator consumes. Every name is resolved to an index, every
//! expression is typed, and every span that a report may want to show is kept as a plain byte span.
//!
//! Semantics (READING.md, "Time and the annual result" and "Items"):
//! - every person gets a card for every month of `year`;
//! - an item starts at its base (the first `bases` entry whose `applies` holds, else its budget),
//!   takes the effects of its rules in that month, and is clamped to `[0, budget]`; a `zero` effect
//!   wins over everything else in that item for that month;
//! - effects with `from_total`, and every effect of an adjustments block, go to the monthly total
//!   unclamped;
//! - a rule whose expressions read a year window is evaluated with the whole year's records, and its
//!   effect applies in every month.

use rust_decimal::Decimal;

use crate::ops::Period;
use crate::syntax::ast::{Rounding, Span};

pub type KindId = usize;
pub type FieldId = usize;
pub type ColumnId = usize;
pub type GradeId = usize;
pub type AggId = usize;
pub type CapId = usize;
pub type OnceId = usize;

mod expr;
mod groups;
mod ledger;
pub use expr::{Aggregate, Expr, ExprKind, TableKey};
pub use ledger::{Derive, Ledger, LedgerExpr};

#[derive(Clone, Debug)]
pub struct Policy {
    pub title: String,
    pub year: i32,
    pub total: Decimal,
    pub annual: Expr,
    /// The annual formula as written, on one line (for `tally diff`).
    pub annual_text: String,
    pub round_places: u32,
    pub rounding: Rounding,
    /// One card a month (and the annual formula over them), or one card a year (`card year`).
    pub card: Period,
    /// `card balance`: one card read on a day; the monthly cards are its snapshots on each
    /// month's last day, and entries count while they are valid ([`Validity`]).
    pub balance: bool,
    /// Declared roster columns, after the built-in `person`, `name` and `department`.
    pub columns: Vec<Column>,
    pub kinds: Vec<Kind>,
    pub sections: Vec<Section>,
    pub adjustments: Vec<Adjustments>,
    /// Highest first; the last has `min == None` and takes everything below.
    pub grades: Vec<Grade>,
    /// Every aggregate any rule reads, so the evaluator can keep one accumulator per aggregate.
    pub aggregates: Vec<Aggregate>,
    /// Every cap: the declared ones (shared by the rules that name them) first, then each rule's
    /// own `cap N`.
    pub caps: Vec<Cap>,
    /// The declared groups of rules that count once per act (`once incident "…" per case`).
    pub onces: Vec<Once>,
    /// `rank ID "LABEL" of GROUP`: places by published result, once every result is published.
    pub ranks: Vec<Rank>,
    /// Ledgers beside the points (`ledger money "元"`, §30), in order of declaration.
    pub ledgers: Vec<Ledger>,
    /// Values booked in a ledger from each card's total (`derive pay … in money = …`), in order.
    pub derives: Vec<Derive>,
}

/// `+{ 1: 10, 2: 8, 3: 6 }` (points by place, signed) or `scaled 600` (result ÷ best × 600).
#[derive(Clone, Debug, PartialEq)]
pub enum RankGives {
    Points(Vec<(usize, Decimal)>),
    Scaled(Decimal),
}

/// `rank standing "村内名次" of village`.
#[derive(Clone, Debug)]
pub struct Rank {
    pub id: String,
    pub label: String,
    /// The groups people are ranked within (as a grade's quota is shared).
    pub of: QuotaGroup,
    /// `of village, category`: the further columns; a group is one combination of values (§32).
    pub also: Vec<QuotaGroup>,
    /// `by EXPR`: a person's value in the year, read once every card is made; `None`: the
    /// published result.
    pub by: Option<Expr>,
    /// `by lowest …`: the lowest value first.
    pub lowest: bool,
    /// The value as written (`mean(rating.place) in year`), for explanations.
    pub by_text: String,
    /// What a place gives, changing the published result: points by place, or the result scaled
    /// to the group's best.
    pub gives: Option<RankGives>,
    pub span: Span,
}

/// A group of rules that must not stack: records of one subject that are the same act (the same
/// value of a field, the same date, the same period) count one effect among the group's rules, the
/// largest by size (the biggest reward, the most severe deduction).
#[derive(Clone, Debug)]
pub struct Once {
    pub id: String,
    pub label: String,
    pub by: OnceBy,
    /// `in month`, `in quarter`, `in year`; `None`: the year (the records the card reads).
    pub period: Option<Period>,
    pub span: Span,
}

/// What makes two records one act, besides their subject and period.
#[derive(Clone, Debug, PartialEq)]
pub enum OnceBy {
    /// Only the subject and the period.
    Period,
    /// `per date`: the record's date.
    Date,
    /// `per FIELD`: the field's value; per record kind, the field's index (`None` for a kind no
    /// rule of the group reads).
    Field {
        name: String,
        of_kind: Vec<Option<FieldId>>,
    },
}

impl Once {
    /// ``once `collector` in year``, as explanations name it.
    pub fn describe(&self) -> String {
        let mut key = Vec::new();
        match &self.by {
            OnceBy::Period => {}
            OnceBy::Date => key.push("per date".to_string()),
            OnceBy::Field { name, .. } => key.push(format!("per {name}")),
        }
        if let Some(p) = self.period {
            key.push(format!("in {}", p.keyword()));
        }
        format!("once `{}` {}", self.id, key.join(" "))
    }
}

/// At most `limit` points, by size, from the rules under the cap together, per person and
/// `period`. Within a period the cap counts what came first: months in order and, within a month,
/// rules in policy order; what is past the cap is not counted.
#[derive(Clone, Debug)]
pub struct Cap {
    pub limit: Decimal,
    pub period: Period,
    /// A declared cap's id and label; `None` for a rule's own `cap N`.
    pub name: Option<(String, String)>,
    pub span: Span,
}

impl Cap {
    /// `cap 40` as written on a rule, or `cap donations (40 in year)`.
    pub fn describe(&self) -> String {
        let limit = self.limit.normalize();
        let period = match self.period {
            Period::Month => String::new(),
            p => format!(" in {}", p.keyword()),
        };
        match &self.name {
            Some((id, _)) => format!("cap `{id}` ({limit}{period})"),
            None => format!("cap {limit}{period}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    Points,
    Days,
    Hours,
    Households,
    /// A duration in minutes: the difference of two times of day (not a unit fields declare).
    Minutes,
    /// A plain count or rating, without a unit.
    Number,
}

impl Unit {
    pub const ALL: &'static [(&'static str, Unit)] = &[
        ("points", Unit::Points),
        ("days", Unit::Days),
        ("hours", Unit::Hours),
        ("households", Unit::Households),
        ("number", Unit::Number),
    ];

    pub fn name(self) -> &'static str {
        match self {
            Unit::Points => "points",
            Unit::Days => "days",
            Unit::Hours => "hours",
            Unit::Households => "households",
            Unit::Minutes => "minutes",
            Unit::Number => "number",
        }
    }

    /// The unit in Chinese, and a quantity of it: `天`, `天数`.
    pub fn chinese(self) -> (&'static str, &'static str) {
        match self {
            Unit::Points => ("分", "分数"),
            Unit::Days => ("天", "天数"),
            Unit::Hours => ("小时", "小时数"),
            Unit::Households => ("户", "户数"),
            Unit::Minutes => ("分钟", "分钟数"),
            Unit::Number => ("", "数"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueType {
    Number {
        unit: Unit,
        whole: bool,
        min: Option<Decimal>,
        max: Option<Decimal>,
    },
    Text,
    Bool,
    Enum(Vec<String>),
    /// A person of the roster, by id (`beneficiary: person`): a record field only, for `to FIELD`.
    Person,
    /// A time of day (`arrived: time`): a record field only, read as seconds since midnight;
    /// compared with clock times (`arrived > 9:00`), and subtracted from another time in minutes.
    Time,
    /// A roster column whose equal values make a group (`household: group`): a text.
    Group,
    /// A calendar day (`ended: date optional`): a record field only, read by `valid … from FIELD`.
    Date,
    /// A roster column marking with `true` the head of each group of the `group` column it names
    /// (`householder: head of household`).
    HeadOf(ColumnId),
}

#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    pub ty: ValueType,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Subjects {
    pub person: bool,
    pub department: bool,
    pub town: bool,
}

#[derive(Clone, Debug)]
pub struct Kind {
    pub id: String,
    pub label: String,
    pub subjects: Subjects,
    pub fields: Vec<Field>,
    /// Declared `not scored`: records are read and validated, never scored.
    pub not_scored: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub ty: ValueType,
    pub optional: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Section {
    pub id: String,
    pub label: String,
    pub budget: Decimal,
    pub items: Vec<Item>,
    pub span: Span,
    /// `in money`: the index of the ledger the items are booked in, outside the points (§30).
    pub ledger: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Item {
    pub id: String,
    pub label: String,
    pub budget: Decimal,
    /// Who has this item at all (`for role in {…}`); a person it does not apply to has no such item.
    pub applies: Option<Expr>,
    /// The `for` condition as written, in the canonical layout (for `tally diff`).
    pub applies_text: Option<String>,
    /// `scaled of GROUP, …`: the item's own value ÷ the best of its group in the card × the
    /// budget (§32); the groups as a rank's (empty: everybody).
    pub scaled: Option<Vec<QuotaGroup>>,
    pub bases: Vec<Base>,
    pub rules: Vec<Rule>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Base {
    pub clause: Option<String>,
    /// The rule's source text, one line, for explanations.
    pub text: String,
    /// The value's source text, cut where its aggregates and facts stand, so that an explanation
    /// can show the formula with their values put in. Empty when it cannot be cut cleanly.
    pub formula: Vec<FormulaPart>,
    pub value: Expr,
    pub applies: Option<Expr>,
    pub span: Span,
}

/// A piece of a formula or a condition: source text, or where an aggregate's or a fact's value
/// goes.
#[derive(Clone, Debug, PartialEq)]
pub enum FormulaPart {
    Text(String),
    Value(AggId),
}

#[derive(Clone, Debug)]
pub struct Adjustments {
    pub id: String,
    pub label: String,
    pub rules: Vec<Rule>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Grade {
    pub name: String,
    /// The threshold; `None` on the last grade, which takes every lower score.
    pub min: Option<Decimal>,
    /// The score must be above `min` (`> 1060`), not only at it (`>= 1060`).
    pub above: bool,
    /// At most this share of a group holds the grade (`top 20% of department`).
    pub quota: Option<Quota>,
    pub text: String,
    pub span: Span,
}

/// `top 20% of department`: at most `percent` of each group (rounded down) holds the grade, the
/// best by published result; people tied at the cut are all left out, as a quota is a maximum.
#[derive(Clone, Debug)]
pub struct Quota {
    pub percent: Decimal,
    pub of: QuotaGroup,
    /// `of village, category`: the further columns; a group is one combination of values (§32).
    pub also: Vec<QuotaGroup>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaGroup {
    Everybody,
    Department,
    Column(ColumnId),
}

impl Grade {
    /// Whether a published score gets this grade or a higher one.
    pub fn takes(&self, score: Decimal) -> bool {
        match self.min {
            None => true,
            Some(min) if self.above => score > min,
            Some(min) => score >= min,
        }
    }

    /// [`Grade::takes`] for an exact score.
    pub fn takes_exact(&self, score: crate::exact::Exact) -> bool {
        let min = self.min.map(crate::exact::Exact::from_decimal);
        match min {
            None => true,
            Some(min) if self.above => score > min,
            Some(min) => score >= min,
        }
    }

    /// `>= 950` or `> 1060`.
    pub fn threshold(&self) -> Option<String> {
        let min = self.min?.normalize();
        Some(if self.above {
            format!("> {min}")
        } else {
            format!(">= {min}")
        })
    }
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub clause: Option<String>,
    /// Roster condition on the person receiving the effect (`for role in {…}`).
    pub applies: Option<Expr>,
    pub body: RuleBody,
    /// The rule's source text, one line, for explanations.
    pub text: String,
    /// A `when` rule's condition cut around its aggregates (see [`Base::formula`]); else empty.
    pub formula: Vec<FormulaPart>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum RuleBody {
    /// One effect per record of any of `kinds` passing `filter`, in the month of the record's date.
    Per {
        events: Vec<EventSpec>,
        filter: Option<Expr>,
        effects: Vec<Effect>,
        /// The cap on the rule's points (index into [`Policy::caps`]).
        cap: Option<CapId>,
        /// `when CONDITION` after the effects: the points count only in the months where it holds
        /// for the person they reach (bonuses frozen while a fault is uncorrected).
        guard: Option<Expr>,
        /// Of the year's records of one subject with the same value of this field, only the one with
        /// the largest effect by size counts (the biggest reward, the most severe deduction; the
        /// earliest on a tie), in its own month.
        highest: Option<FieldId>,
        /// `once ID`: the group of rules (index into [`Policy::onces`]) among which one act
        /// counts one effect.
        once: Option<OnceId>,
        /// `valid 2 years` (on a `card balance` policy): how long each entry counts.
        validity: Option<Box<Validity>>,
    },
    /// The effects apply in every month where the condition holds.
    When {
        condition: Expr,
        effects: Vec<Effect>,
        /// `valid 1 year` (on a `card balance` policy): the rule is decided as its records
        /// arrive, each larger amount an entry that counts that long (steps on a year's total).
        validity: Option<Box<Validity>>,
    },
}

impl RuleBody {
    /// Whether some amount of the rule is taken `from total` (a capped or guarded rule's points
    /// then all go outside the items).
    pub fn from_total(&self) -> bool {
        match self {
            RuleBody::Per { effects, .. } | RuleBody::When { effects, .. } => {
                effects.iter().any(|e| {
                    matches!(
                        e,
                        Effect::Points {
                            from_total: true,
                            ..
                        }
                    )
                })
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct EventSpec {
    pub kind: KindId,
    /// `per volunteer.hours +5`: the amount is multiplied by this field's value.
    pub per_field: Option<FieldId>,
}

#[derive(Clone, Debug)]
pub enum Effect {
    Zero,
    Flag(String),
    GradeCap(GradeId),
    /// The person is not evaluated this year: no annual result, no grade (the reason is shown).
    Exclude(String),
    /// The year's grade, whatever the score (the lowest such grade raised in the year wins).
    SetGrade(GradeId),
    /// The year's published result, whatever the months gave (the lowest raised wins).
    SetScore(Decimal),
    /// `demote to C`: the grade at most `grade`, and the year's result at most `floor`, the
    /// grade's lowest score.
    Demote {
        grade: GradeId,
        floor: Decimal,
    },
    /// `freeze trust`: while the entry counts, the adjustments block (its index) gives the
    /// person nothing (a balance card only).
    Freeze(usize),
    Points {
        /// Signed: `-5` is stored as a negation of 5.
        amount: Expr,
        target: Target,
        from_total: bool,
        span: Span,
    },
}

impl Effect {
    /// The grade a direct grading gives (`grade D`, `grade at most B`, `demote to C`): in a `once`
    /// group it ranks before every amount, the lowest grade first (第十八条 2, 按直接判级……计算).
    pub fn direct_grade(&self) -> Option<GradeId> {
        match self {
            Effect::SetGrade(g) | Effect::GradeCap(g) | Effect::Demote { grade: g, .. } => Some(*g),
            _ => None,
        }
    }
}

/// A rule's first amount of points: what `highest per`, a `once` group and a table of durations by
/// size compare records by.
pub fn first_points(effects: &[Effect]) -> Option<&Expr> {
    effects.iter().find_map(|e| match e {
        Effect::Points { amount, .. } => Some(amount),
        _ => None,
    })
}

/// Who receives a per-event effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The record's subject: its person, or every member of its department, or everybody for a town
    /// record. For `when` rules: the person being scored.
    Subject,
    /// The person named on the record.
    Person,
    /// Every member of the record's department (or the person's department), head included.
    Members,
    /// Every member except the head.
    Staff,
    /// The head of the record's department, or of the department of the person it names.
    Head,
    /// The person a field of the record names (`to beneficiary`, a `person` field).
    Field(FieldId),
    /// In the group of a roster `group` column that the record's person belongs to
    /// (`to head of household`): every member, every member but the head, or the head.
    Group(GroupWho, ColumnId),
    /// Everyone holding a role (a `bool` roster column) in the department of the record (or of
    /// its person), or, with a group column, in the group of the record's person
    /// (`to secretary`, `to secretary of village`).
    Role(ColumnId, Option<ColumnId>),
}

/// Whom `to … of GROUP` reaches in the group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupWho {
    Members,
    Staff,
    Head,
}

pub use crate::date::{Duration, TimeUnit};

/// How long the entries of a `per` rule count (`valid …`), and what a repeat counts (`repeat * 2`).
#[derive(Clone, Debug, PartialEq)]
pub struct Validity {
    /// The durations the rule can give, in the order written.
    pub durations: Vec<Duration>,
    /// Which of `durations` an entry takes.
    pub pick: ValidPick,
    /// `repeat * N`: an entry dated within the validity of an earlier entry of the rule for the
    /// same subject counts N times its amount.
    pub repeat: Option<Decimal>,
    /// `from FIELD`: a date field of the record the duration runs from when it is filled (the end
    /// of a continuing fault); while it is empty the entry counts from its date on.
    pub from: Option<FieldId>,
    /// `since FIELD`: a date field the entry starts on (a repair); no entry while it is empty.
    pub since: Option<FieldId>,
    /// `until FIELD`: a date field the entry ends on, the day before (a correction), when filled.
    pub until: Option<FieldId>,
    /// The modifiers as written (`valid 1 year repeat * 2`), for explanations and `tally diff`.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValidPick {
    /// The one duration.
    Fixed,
    /// A table: keyed by a record field, or (`None`) by the size of the entry's first amount.
    /// Each entry gives an index into the durations; `default` is the `else` entry.
    Table {
        field: Option<FieldId>,
        entries: Vec<(TableKey, usize)>,
        default: Option<usize>,
    },
}
