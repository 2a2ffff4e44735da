//! Expressions: lowering to [`model::Expr`] with their types. By concern: `names` (what a name
//! means where it stands), `aggregates`, `units` (arithmetic and comparisons), `tables`,
//! `constants` (numbers too large to compute).

use rust_decimal::Decimal;

use super::Checker;
use super::interval;
use super::model::{self, ExprKind as M, KindId, Unit, ValueType};
use crate::diag::{Code, Diag, did_you_mean, list_names};
use crate::exact::Exact;
use crate::syntax::ast::{self, AggFn, BinOp, ExprKind as A, Span, TableKey, Window};

mod aggregates;
mod calls;
mod constants;
mod names;
mod quarters;
mod tables;
mod units;

use aggregates::*;
use calls::*;
pub use constants::beyond_publication;
use constants::*;
use names::*;
pub use names::{resolve_field, resolve_kind};
use quarters::*;
use tables::*;
pub use units::is_rate;
use units::*;

/// What an expression may read where it stands.
#[derive(Clone, Debug)]
pub struct Scope {
    /// Kinds whose fields a bare name may name (the record being looked at).
    pub record_kinds: Vec<KindId>,
    /// Aggregates and year facts allowed.
    pub aggregates: bool,
    /// `sum(months)` allowed (the annual formula).
    pub months: bool,
    /// Where the expression stands, for messages: "a `for` condition".
    pub place: &'static str,
    /// Worked out once per record, before the record reaches anybody (a `per` rule's filter and
    /// amounts): a roster column has a value only on a record that names a person.
    pub before_reaching: bool,
    /// A table's values stand for durations (`valid { <= 40: 1 year }`): a missing `else` is
    /// told to add a duration, not `else: 0` (a validity of no time is refused).
    pub durations: bool,
}

impl Scope {
    pub fn annual() -> Self {
        Scope {
            record_kinds: Vec::new(),
            aggregates: false,
            months: true,
            place: crate::tr!("the annual formula", "年度计算公式"),
            before_reaching: false,
            durations: false,
        }
    }

    pub fn roster_only(place: &'static str) -> Self {
        Scope {
            record_kinds: Vec::new(),
            aggregates: false,
            months: false,
            place,
            before_reaching: false,
            durations: false,
        }
    }

    /// Inside a `per` rule: one record at a time, its fields by name. The engine sees that record
    /// alone, so aggregates and year facts cannot be read there.
    pub fn record(record_kinds: Vec<KindId>, place: &'static str) -> Self {
        Scope {
            record_kinds,
            aggregates: false,
            months: false,
            place,
            before_reaching: false,
            durations: false,
        }
    }

    /// The same scope, for a table whose values stand for durations.
    pub fn durations(self) -> Self {
        Scope {
            durations: true,
            ..self
        }
    }

    /// The same scope, for an expression worked out before the record reaches anybody.
    pub fn before_reaching(self) -> Self {
        Scope {
            before_reaching: true,
            ..self
        }
    }

    pub fn rule(record_kinds: Vec<KindId>, place: &'static str) -> Self {
        Scope {
            record_kinds,
            aggregates: true,
            months: false,
            place,
            before_reaching: false,
            durations: false,
        }
    }
}

/// The type of an expression while it is checked.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Num(Unit),
    /// A number written in the policy: it takes the unit of what it meets.
    Lit,
    Bool,
    Text,
    Enum(Vec<String>),
    /// A time of day: a `time` field or a clock time written in the policy (`9:00`).
    Time,
    /// A bare name that is neither a field nor a column: an enumeration value if it meets one.
    Name(String, Span),
    /// Already reported.
    Error,
}

impl Ty {
    pub fn is_numeric(&self) -> bool {
        matches!(self, Ty::Num(_) | Ty::Lit)
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Ty::Error)
    }

    pub fn describe(&self) -> String {
        match self {
            Ty::Num(Unit::Number) => crate::tr!("a number", "数").into(),
            Ty::Num(u) => crate::tr!(format!("in {}", u.name()), u.chinese().1.to_string()),
            Ty::Lit => crate::tr!("a number", "数").into(),
            Ty::Bool => crate::tr!("a condition (true or false)", "条件（真或假）").into(),
            Ty::Text => crate::tr!("text", "文字").into(),
            Ty::Enum(values) => crate::tr!(
                format!("one of {}", list_names(values)),
                format!("{} 中的一个", list_names(values))
            ),
            Ty::Time => crate::tr!("a time of day", "时刻").into(),
            Ty::Name(n, _) => crate::tr!(format!("the name `{n}`"), format!("名称 `{n}`")),
            Ty::Error => crate::tr!("unknown", "未知类型").into(),
        }
    }

    pub fn of_value(ty: &ValueType) -> Ty {
        match ty {
            ValueType::Number { unit, .. } => Ty::Num(*unit),
            // A person field is only a target (`to FIELD`); the checker refuses reading it.
            // A date field is only read by `valid … from FIELD`; the checker refuses reading it.
            ValueType::Text | ValueType::Person | ValueType::Group | ValueType::Date => Ty::Text,
            ValueType::Bool | ValueType::HeadOf(_) => Ty::Bool,
            ValueType::Enum(v) => Ty::Enum(v.clone()),
            ValueType::Time => Ty::Time,
        }
    }
}

fn node(kind: M, span: Span) -> model::Expr {
    model::Expr { kind, span }
}

fn error_node(span: Span) -> (model::Expr, Ty) {
    (node(M::Number(Decimal::ZERO), span), Ty::Error)
}

/// Lowers an expression and settles any bare name left over (reporting it as unknown).
pub fn lower(cx: &mut Checker, e: &ast::Expr, scope: &Scope) -> (model::Expr, Ty) {
    let out = lower_raw(cx, e, scope);
    settle(cx, out, scope)
}

/// Lowers a condition: it must be true or false.
pub fn condition(cx: &mut Checker, e: &ast::Expr, scope: &Scope) -> model::Expr {
    let (expr, ty) = lower(cx, e, scope);
    if !matches!(ty, Ty::Bool | Ty::Error) {
        cx.push(
            Diag::error(
                Code::TypeMismatch,
                e.span,
                crate::tr!(
                    format!("{} must be true or false", scope.place),
                    crate::lang::spaced(&format!("{}必须是真或假", scope.place))
                ),
            )
            .label(crate::tr!(
                format!("this is {}", ty.describe()),
                crate::lang::spaced(&format!("这是{}", ty.describe()))
            ))
            .help(if scope.aggregates {
                crate::tr!(
                    "compare it with something, like `count(late) > 3`",
                    "拿它和别的作比较，比如 `count(late) > 3`"
                )
            } else {
                crate::tr!(
                    "name a yes-or-no column like `head`, or compare one, like `role in {片长}`",
                    "写一个是否列，比如 `head`，或者拿一列作比较，比如 `role in {片长}`"
                )
            }),
        );
    }
    expr
}

/// A bare name nobody resolved: report it in the terms of the scope.
fn settle(cx: &mut Checker, (expr, ty): (model::Expr, Ty), scope: &Scope) -> (model::Expr, Ty) {
    let Ty::Name(name, span) = &ty else {
        return (expr, ty);
    };
    unknown_name(cx, name, *span, scope);
    (expr, Ty::Error)
}

fn lower_raw(cx: &mut Checker, e: &ast::Expr, scope: &Scope) -> (model::Expr, Ty) {
    let span = e.span;
    match &e.kind {
        A::Number(n) => (node(M::Number(*n), *span), Ty::Lit),
        // A time of day is read as seconds since midnight, like a `time` field.
        A::Clock(s) => (node(M::Number(Decimal::from(*s)), *span), Ty::Time),
        A::Text(t) => {
            let what = crate::tr!(format!("the text `\"{t}\"`"), format!("文字 `\"{t}\"`"));
            super::decls::spaced_ends(cx, (t, span), &what);
            (node(M::Text(t.clone()), *span), Ty::Text)
        }
        A::Error => error_node(*span),
        A::Paren(inner) => lower_raw(cx, inner, scope),
        A::Convert(name, _) if !cx.ledger_ids.contains(&name.node) => {
            cx.push(
                Diag::error(
                    Code::Syntax,
                    *span,
                    crate::tr!(
                        format!("there is no function or ledger `{}`", name.node),
                        format!("没有叫 `{}` 的函数或分账", name.node)
                    ),
                )
                .help(crate::tr!(
                    "the functions are `min`, `max`, `floor`, `ceil` and `round`; a ledger is declared with `ledger money \"元\"`",
                    "函数有 `min`、`max`、`floor`、`ceil` 和 `round`；分账用 `ledger money \"元\"` 声明"
                )),
            );
            error_node(*span)
        }
        A::Convert(ledger, _) => {
            cx.push(
                Diag::error(
                    Code::LedgerMismatch,
                    *span,
                    crate::tr!(
                        format!("`{}(…)` counts points in a ledger only in a `derive`", ledger.node),
                        format!("`{}(…)` 只能在 `derive` 里把分数换算到分账", ledger.node)
                    ),
                )
                .help(crate::tr!(
                    "rules give points; a ledger's values are booked by its sections and its `derive`s",
                    "规则给的是分数；分账的值由它的板块和 `derive` 记入"
                )),
            );
            error_node(*span)
        }
        A::Path(name, None) => bare_name(cx, name, scope),
        A::Path(kind, Some(field)) => {
            aggregate(cx, e, None, kind, Some(field), None, Window::Year, scope)
        }
        A::Aggregate {
            func,
            of,
            field,
            filter,
        } => {
            // Without a window an aggregate reads the card's period: the month, or the year
            // on a policy with one card a year.
            let window = match cx.card {
                crate::ops::Period::Year => Window::Year,
                _ if cx.balance => Window::Year,
                crate::ops::Period::Quarter => Window::Quarter,
                _ => Window::Month,
            };
            aggregate(
                cx,
                e,
                Some(*func),
                of,
                field.as_ref(),
                filter.as_deref(),
                window,
                scope,
            )
        }
        A::Windowed(inner, window) => windowed(cx, inner, window, scope),
        A::Not(inner) => not(cx, inner, *span, scope),
        A::Neg(inner) => neg(cx, inner, *span, scope),
        A::Binary(op, l, r) => binary(cx, *op, l, r, *span, scope),
        A::Member(inner, names) => member(cx, inner, names, *span, scope),
        A::Table(key, entries) => table(cx, key, entries, *span, scope),
        A::Call(func, args) => call(cx, func, args, *span, scope),
    }
}

// Each construct has its own function, so that the frame of `lower_raw`, which stays on the
// stack once per level of a deep expression, holds only what every level needs.

fn windowed(
    cx: &mut Checker,
    inner: &ast::Expr,
    window: &ast::Spanned<Window>,
    scope: &Scope,
) -> (model::Expr, Ty) {
    no_month_to_read(cx, window);
    quarter_window(cx, window);
    let mut target = inner;
    while let A::Paren(x) = &target.kind {
        target = x;
    }
    match &target.kind {
        A::Aggregate {
            func,
            of,
            field,
            filter,
        } => aggregate(
            cx,
            target,
            Some(*func),
            of,
            field.as_ref(),
            filter.as_deref(),
            window.node,
            scope,
        ),
        A::Path(kind, Some(field)) => aggregate(
            cx,
            target,
            None,
            kind,
            Some(field),
            None,
            window.node,
            scope,
        ),
        _ => {
            cx.push(
                Diag::error(
                    Code::Misplaced,
                    window.span,
                    crate::tr!(
                        "a window applies to an aggregate",
                        "时间范围只能跟在统计后面"
                    ),
                )
                .label(crate::tr!(
                    "nothing to count or sum here",
                    "这里没有可计数或求和的"
                ))
                .help(crate::tr!(
                    "write the window right after an aggregate: `count(absent) in year`",
                    "把时间范围紧跟在统计后面写：`count(absent) in year`"
                )),
            );
            lower_raw(cx, inner, scope)
        }
    }
}

/// `in month` where there is no month: on a balance card, or on a card a year.
fn no_month_to_read(cx: &mut Checker, window: &ast::Spanned<Window>) {
    if window.node == Window::Month && cx.balance {
        cx.push(
            Diag::error(
                Code::Misplaced,
                window.span,
                crate::tr!("a policy with a balance card has no month to read", "按余额记分的政策文件没有月份可读"),
            )
            .label(crate::tr!("no monthly card", "没有月度记分卡"))
            .help(crate::tr!(
                "write `in year`, or leave the window out: on a balance card an aggregate reads the year's records",
                "写 `in year`，或者不写时间范围：按余额记分时统计读的是全年的记录"
            )),
        );
    } else if window.node == Window::Month && cx.card == crate::ops::Period::Year {
        cx.push(
            Diag::error(
                Code::Misplaced,
                window.span,
                crate::tr!(
                    "a policy with one card a year has no month to read",
                    "一年一张记分卡的政策文件没有月份可读"
                ),
            )
            .label(crate::tr!("no monthly card", "没有月度记分卡"))
            .help(crate::tr!(
                "write `in year`, or leave the window out: on a yearly card an aggregate reads the year",
                "写 `in year`，或者不写时间范围：按年记分时统计读的是全年"
            )),
        );
    }
}

fn not(cx: &mut Checker, inner: &ast::Expr, span: Span, scope: &Scope) -> (model::Expr, Ty) {
    let (x, ty) = lower(cx, inner, scope);
    expect_bool(cx, &ty, *inner.span, "`not`");
    (node(M::Not(Box::new(x)), span), Ty::Bool)
}

fn neg(cx: &mut Checker, inner: &ast::Expr, span: Span, scope: &Scope) -> (model::Expr, Ty) {
    let (x, ty) = lower(cx, inner, scope);
    let ty = expect_number(cx, ty, *inner.span, "`-`");
    (node(M::Neg(Box::new(x)), span), ty)
}

fn member(
    cx: &mut Checker,
    inner: &ast::Expr,
    names: &[ast::Name],
    span: Span,
    scope: &Scope,
) -> (model::Expr, Ty) {
    let (x, ty) = lower(cx, inner, scope);
    let indices = match &ty {
        Ty::Enum(values) => names
            .iter()
            .filter_map(|n| enum_value(cx, values, &n.node, *n.span))
            .collect(),
        Ty::Error => Vec::new(),
        other => {
            cx.push(
                Diag::error(
                    Code::TypeMismatch,
                    inner.span,
                    crate::tr!(
                        "`in {…}` needs a value from a list",
                        "`in {…}` 要用在有固定取值的值上"
                    ),
                )
                .label(crate::tr!(
                    format!("this is {}", other.describe()),
                    crate::lang::spaced(&format!("这是{}", other.describe()))
                ))
                .help(crate::tr!(
                    "use `in {…}` with a column or field whose type lists its values, like `role`",
                    "对类型列出了取值的列或字段用 `in {…}`，比如 `role`"
                )),
            );
            Vec::new()
        }
    };
    (node(M::Member(Box::new(x), indices), span), Ty::Bool)
}
