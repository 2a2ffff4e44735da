//! Typed expressions, their table keys and the aggregates they read.

use rust_decimal::Decimal;

use super::{AggId, ColumnId, FieldId, KindId};
use crate::ops::Func;
use crate::syntax::ast::{AggFn, BinOp, Span, Window};

/// A typed expression. The checker guarantees that numbers meet numbers and conditions conditions.
#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    /// Every aggregate and fact the expression reads, with where it stands, in reading order.
    pub fn aggregates(&self) -> Vec<(Span, AggId)> {
        fn walk(e: &Expr, out: &mut Vec<(Span, AggId)>) {
            match &e.kind {
                ExprKind::Aggregate(id) | ExprKind::Fact(id) => out.push((e.span, *id)),
                ExprKind::Not(a) | ExprKind::Neg(a) | ExprKind::Member(a, _) => walk(a, out),
                ExprKind::Binary(_, a, b) => {
                    walk(a, out);
                    walk(b, out);
                }
                ExprKind::Call(_, args) => {
                    for a in args {
                        walk(a, out);
                    }
                }
                ExprKind::Table {
                    key,
                    entries,
                    default,
                } => {
                    walk(key, out);
                    for (_, v) in entries {
                        walk(v, out);
                    }
                    if let Some(d) = default {
                        walk(d, out);
                    }
                }
                ExprKind::Number(_)
                | ExprKind::Text(_)
                | ExprKind::EnumValue(_)
                | ExprKind::RecordField(_)
                | ExprKind::Column(_)
                | ExprKind::Months(_) => {}
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Number(Decimal),
    Text(String),
    /// An enumeration value, by its index in the enumeration it is compared with.
    EnumValue(usize),
    /// A field of the record being looked at (inside `per` rules and aggregate filters).
    RecordField(FieldId),
    /// A roster column of the person being scored.
    Column(ColumnId),
    /// The single year-window value of a field (`liaison_assessed.score`): the fact about the person,
    /// their department or the town, as the kind says. Missing or repeated facts are reported.
    Fact(AggId),
    Aggregate(AggId),
    /// The 12 monthly totals, in the annual formula only.
    Months(AggFn),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `min(a, b, …)` and `max(…)` of two or more numbers; `floor(x)`, `ceil(x)`; `round(x)` and
    /// `round(x, places)`, half away from zero (四舍五入), `places` being a written whole number.
    Call(Func, Vec<Expr>),
    /// Membership of an enumeration value in a set of value indices.
    Member(Box<Expr>, Vec<usize>),
    /// Lookup: the entry whose key equals the value, else the `else` entry.
    Table {
        key: Box<Expr>,
        entries: Vec<(TableKey, Expr)>,
        default: Option<Box<Expr>>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum TableKey {
    Enum(usize),
    Number(Decimal),
    /// Every value for which `value OP n` holds (`>= 300`), among those no entry before took.
    Bound(BinOp, Decimal),
}

/// One accumulator the evaluator keeps per subject and month.
#[derive(Clone, Debug)]
pub struct Aggregate {
    /// `None` for a fact (the single value of `field`).
    pub func: Option<AggFn>,
    pub kind: KindId,
    pub field: Option<FieldId>,
    pub filter: Option<Expr>,
    pub window: Window,
    /// How it reads, for explanations: `sum(personal_leave.days) in year`.
    pub text: String,
}
