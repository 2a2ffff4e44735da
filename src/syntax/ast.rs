//! The syntax tree of a policy, exactly as written, with a byte span on every name and expression.
//!
//! Nothing here is resolved or checked: a name is only a string, a budget only a number. The checker
//! turns an [`Ast`] into a [`crate::check::Policy`]. Nodes keep their
//! spans as [`At`], which equality ignores, so `==` on two trees compares what they say (the
//! formatter's safety net relies on this).

use rust_decimal::Decimal;

pub use crate::span::{At, Span};

#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: At,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: impl Into<At>) -> Self {
        Spanned {
            node,
            span: span.into(),
        }
    }
}

pub type Name = Spanned<String>;

/// A `#` comment, kept aside from the tree with its span; `text` excludes the `#`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub text: String,
    pub span: At,
    /// True when code stands before the comment on its line.
    pub trailing: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ast {
    pub decls: Vec<Decl>,
    pub comments: Vec<Comment>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Decl {
    Policy(PolicyDecl),
    Annual(AnnualDecl),
    Round(RoundDecl),
    Card(CardDecl),
    Roster(RosterDecl),
    Record(RecordDecl),
    Cap(CapDecl),
    Once(OnceDecl),
    Rank(RankDecl),
    Section(SectionDecl),
    Adjustments(AdjustmentsDecl),
    Grades(GradesDecl),
    /// `ledger money "元"` (§30).
    Ledger(LedgerDecl),
    /// `derive pay "绩效工资" in money = …` (§30).
    Derive(DeriveDecl),
}

impl Decl {
    pub fn span(&self) -> Span {
        match self {
            Decl::Policy(d) => *d.span,
            Decl::Annual(d) => *d.span,
            Decl::Round(d) => *d.span,
            Decl::Card(d) => *d.span,
            Decl::Roster(d) => *d.span,
            Decl::Record(d) => *d.span,
            Decl::Cap(d) => *d.span,
            Decl::Once(d) => *d.span,
            Decl::Rank(d) => *d.span,
            Decl::Section(d) => *d.span,
            Decl::Adjustments(d) => *d.span,
            Decl::Grades(d) => *d.span,
            Decl::Ledger(d) => *d.span,
            Decl::Derive(d) => *d.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PolicyDecl {
    pub title: Spanned<String>,
    pub year: Spanned<u32>,
    pub total: Spanned<Decimal>,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnnualDecl {
    pub formula: Expr,
    pub span: At,
}

pub use crate::exact::Rounding;

#[derive(Clone, Debug, PartialEq)]
pub struct RoundDecl {
    pub places: Spanned<u32>,
    pub mode: Spanned<Rounding>,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RosterDecl {
    pub columns: Vec<FieldDecl>,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RecordDecl {
    pub id: Name,
    pub label: Spanned<String>,
    pub subjects: Vec<Name>,
    pub fields: Vec<FieldDecl>,
    /// `not scored`: kept on file, never read by a rule (no unused-record warning).
    pub not_scored: bool,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldDecl {
    pub name: Name,
    pub ty: FieldType,
    pub optional: bool,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    /// `a | b | c`
    Enum(Vec<Name>),
    /// `head of household`: a roster column marking, with `true`, the head of each group of a
    /// `group` column.
    HeadOf(Name),
    /// `[whole] unit [range]`, where `unit` is also how `text` and `bool` are written.
    Scalar {
        whole: bool,
        unit: Name,
        range: Option<Spanned<RangeDecl>>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct RangeDecl {
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SectionDecl {
    pub id: Name,
    pub label: Spanned<String>,
    pub budget: Spanned<Decimal>,
    /// `in money`: the items are booked in this ledger, not in the points total (§30).
    pub ledger: Option<Name>,
    pub items: Vec<ItemDecl>,
    pub span: At,
}

/// `ledger money "元"`: a column of values beside the points, in its own unit (§30).
#[derive(Clone, Debug, PartialEq)]
pub struct LedgerDecl {
    pub id: Name,
    pub unit: Spanned<String>,
    pub span: At,
}

/// `derive pay "绩效工资" in money = 3000 - 5 * money(max(0, 900 - total))`: a value booked in
/// a ledger on each card, worked out from the card's points total (§30).
#[derive(Clone, Debug, PartialEq)]
pub struct DeriveDecl {
    pub id: Name,
    pub label: Spanned<String>,
    pub ledger: Name,
    pub formula: Expr,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ItemDecl {
    pub id: Name,
    pub label: Spanned<String>,
    pub budget: Spanned<Decimal>,
    /// `scaled of GROUP, …`: the item relative to the best of its group in each card (§32).
    pub scaled: Option<ItemScaled>,
    pub applies: Option<Expr>,
    pub rules: Vec<Rule>,
    pub span: At,
}

/// `scaled of department`, `scaled of village, category`, `scaled` (everybody): an item's score
/// is its own value ÷ the best own value of the item in the group × its budget.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemScaled {
    /// The columns (or `department`) whose values make the groups; empty: everybody.
    pub of: Vec<Name>,
    pub span: At,
}

/// `card year`: one card a year instead of one a month.
#[derive(Clone, Debug, PartialEq)]
pub struct CardDecl {
    pub period: Spanned<Period>,
    /// `card balance`: one card read on a day (the period is then `Month`: a snapshot a month).
    pub balance: bool,
    pub span: At,
}

/// `cap donations "区级平台捐款" 40 in year`: a cap several rules share (`cap donations` on each).
#[derive(Clone, Debug, PartialEq)]
pub struct CapDecl {
    pub id: Name,
    pub label: Spanned<String>,
    pub limit: Spanned<Decimal>,
    /// `None`: each month.
    pub period: Option<Spanned<Period>>,
    pub span: At,
}

/// `once incident "同一行为" per case`: a group of rules that must not stack. Records of one subject
/// with the same value of `by` (`per date`: the same date) and in the same `period` are one act;
/// of the effects the group's rules give for one act, only the largest by size counts.
#[derive(Clone, Debug, PartialEq)]
pub struct OnceDecl {
    pub id: Name,
    pub label: Spanned<String>,
    /// `per FIELD` or `per date`.
    pub by: Option<Name>,
    /// `in month`, `in quarter`, `in year`.
    pub period: Option<Spanned<Period>>,
    pub span: At,
}

/// `rank standing "村内名次" of village`: each person's place in their group by published result,
/// once every result is published.
#[derive(Clone, Debug, PartialEq)]
pub struct RankDecl {
    pub id: Name,
    pub label: Spanned<String>,
    /// The roster column (or `department`) whose values make the groups; `None`: everybody.
    pub of: Option<Name>,
    /// `of village, category`: the further columns; a group is one combination of the values.
    pub also: Vec<Name>,
    /// `by EXPR`: the value people are ranked by (the published result without it).
    pub by: Option<Expr>,
    /// `by lowest EXPR`: the lowest value first (a mean of places given by raters).
    pub lowest: bool,
    /// What the place gives: points by place, or the result scaled to the group's best.
    pub gives: Option<Spanned<RankGives>>,
    pub span: At,
}

/// `+{ 1: 10, 2: 8 }` or `scaled 600` after a rank.
#[derive(Clone, Debug, PartialEq)]
pub enum RankGives {
    /// `-{ … }` takes the points; (place, points) as written.
    Points {
        minus: bool,
        entries: Vec<(Spanned<Decimal>, Spanned<Decimal>)>,
    },
    /// `scaled N`: result ÷ best × N.
    Scaled(Spanned<Decimal>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct AdjustmentsDecl {
    pub id: Name,
    pub label: Spanned<String>,
    pub rules: Vec<Rule>,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GradesDecl {
    pub bands: Vec<Band>,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub name: Name,
    pub min: Option<Spanned<Decimal>>,
    /// `> 1060` (above it, not at it) rather than `>= 1060`.
    pub above: bool,
    /// `top 20%` or `top 20% of department`: at most that share of the group holds the grade.
    pub quota: Option<Quota>,
    pub text: Option<Spanned<String>>,
    pub span: At,
}

/// `top 20% of department`.
#[derive(Clone, Debug, PartialEq)]
pub struct Quota {
    pub percent: Spanned<Decimal>,
    /// The roster column (or `department`) whose values make the groups; `None`: everybody.
    pub of: Option<Name>,
    /// `of village, category`: the further columns; a group is one combination of the values.
    pub also: Vec<Name>,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub citation: Option<Spanned<String>>,
    pub body: RuleBody,
    pub modifiers: Vec<Modifier>,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RuleBody {
    /// `per late, early_leave where … : effects`
    Per {
        events: Vec<Event>,
        filter: Option<Expr>,
        effects: Vec<Effect>,
    },
    /// `when condition: effects`
    When {
        condition: Expr,
        effects: Vec<Effect>,
    },
    /// `base expression`
    Base { value: Expr },
}

/// `kind` or `kind.field` (the effect is then multiplied by the field's value).
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub kind: Name,
    pub per_field: Option<Name>,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Zero(At),
    Flag(Spanned<String>),
    /// `exclude "在校学生"`: the person is not evaluated this year (no annual result, no grade).
    Exclude(Spanned<String>),
    GradeCap {
        grade: Name,
        span: At,
    },
    /// `grade 零星级`: the year's grade, whatever the score (直接判级).
    SetGrade {
        grade: Name,
        span: At,
    },
    /// `score 0`: the year's published result, whatever the months gave.
    SetScore(Spanned<Decimal>),
    /// `demote to C`: the grade at most C, the result at most C's lowest score.
    Demote {
        grade: Name,
        span: At,
    },
    /// `freeze trust`: while the entry counts, the adjustments block gives the person nothing.
    Freeze {
        block: Name,
        span: At,
    },
    Amount(Amount),
}

impl Effect {
    pub fn span(&self) -> Span {
        match self {
            Effect::Zero(s) => **s,
            Effect::Flag(f) | Effect::Exclude(f) => *f.span,
            Effect::GradeCap { span, .. }
            | Effect::SetGrade { span, .. }
            | Effect::Demote { span, .. }
            | Effect::Freeze { span, .. } => **span,
            Effect::SetScore(n) => *n.span,
            Effect::Amount(a) => *a.span,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    Plus,
    Minus,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Amount {
    pub sign: Sign,
    pub value: Expr,
    /// `-points in 15..40`: the range the amount must lie in.
    pub within: Option<Spanned<RangeDecl>>,
    pub target: Option<Name>,
    /// `to head of household`: the roster `group` column the target is taken in.
    /// Boxed: rare, and `Effect` stays small.
    pub target_group: Option<Box<Name>>,
    pub from_total: bool,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Modifier {
    /// `cap 40`, `cap 3 in year`: the rule's own cap (each month when no period is written).
    Cap(Spanned<Decimal>, Option<Spanned<Period>>),
    /// `cap donations`: a cap declared with `cap donations "…" 40 in year`, shared with other rules.
    SharedCap(Name),
    Highest {
        field: Name,
        span: At,
    },
    /// `once incident`: the rule is in a declared group of rules that count once per act.
    Once(Name),
    For(Expr),
    /// `when CONDITION` after a `per` rule's effects: its points count only in the months where
    /// the condition holds for the person they reach.
    Guard(Expr),
    /// `valid 2 years`, `valid { <= 40: 1 year, else: 2 years }`: how long an entry counts.
    /// Boxed: rare, and `Modifier` stays small.
    Valid(Box<Validity>),
    /// `repeat * 2`: an entry within the validity of an earlier one counts this many times.
    Repeat(Spanned<Decimal>),
}

pub use crate::date::{Duration, TimeUnit};

/// `valid 2 years`, `valid { <= 40: 1 year, else: 2 years }`, `valid level { city: 2 years, … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Validity {
    /// A fixed duration, or a table keyed by the size of the points or by `field`.
    pub durations: Durations,
    /// `from ended`: the duration runs from this date field of the record, when it is filled
    /// (the end of a continuing fault), and the entry counts until then while it is empty.
    pub from: Option<Name>,
    /// `since repaired`: the entry starts on this date field of the record and runs its
    /// duration from there; there is no entry while the field is empty.
    pub since: Option<Name>,
    /// `until corrected`: the entry ends the day before this date field of the record, when it
    /// is filled.
    pub until: Option<Name>,
    pub span: At,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Durations {
    /// `valid until FIELD` with no duration (a yearly card, §31): to the end of the record's
    /// year, carried into each later year until the year of FIELD.
    Unwritten,
    Fixed(Spanned<Duration>),
    Table {
        /// The record field the table is keyed by; `None`: the size of the entry's points.
        field: Option<Name>,
        entries: Vec<DurationEntry>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct DurationEntry {
    pub key: Spanned<TableKey>,
    pub duration: Spanned<Duration>,
}

impl Modifier {
    pub fn span(&self) -> Span {
        match self {
            Modifier::Cap(c, period) => period.as_ref().map_or(*c.span, |p| c.span.to(p.span)),
            Modifier::SharedCap(n) | Modifier::Once(n) => *n.span,
            Modifier::Highest { span, .. } => **span,
            Modifier::For(e) | Modifier::Guard(e) => *e.span,
            Modifier::Valid(v) => *v.span,
            Modifier::Repeat(n) => *n.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: At,
}

pub use crate::ops::{AggFn, BinOp, Func, Period, Window};

#[derive(Clone, Debug, PartialEq)]
pub enum TableKey {
    Else,
    Name(String),
    Number(Decimal),
    /// `>= 300: 50`: the entry for every value at or above 300 not taken by an entry before it.
    Bound(BinOp, Decimal),
}

#[derive(Clone, Debug, PartialEq)]
pub struct TableEntry {
    pub key: Spanned<TableKey>,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Number(Decimal),
    /// A time of day written `9:00` or `8:30:15`: seconds since midnight (0 to 86 399).
    Clock(u32),
    Text(String),
    /// `name` or `name.field`
    Path(Name, Option<Name>),
    Aggregate {
        func: AggFn,
        of: Name,
        field: Option<Name>,
        filter: Option<Box<Expr>>,
    },
    /// `min(a, b)`, `floor(x)`, `round(x, 1)`: a function of numbers.
    Call(Spanned<Func>, Vec<Expr>),
    /// `aggregate in year` / `in month`
    Windowed(Box<Expr>, Spanned<Window>),
    Member(Box<Expr>, Vec<Name>),
    Table(Box<Expr>, Vec<TableEntry>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Paren(Box<Expr>),
    /// `money(x)`: points counted in a ledger one for one; only a `derive` reads it (§30).
    Convert(Name, Box<Expr>),
    /// Stands where an expression could not be built (too deep); its error is reported already.
    Error,
}
