//! Types and units of arithmetic and comparisons: what may be added, multiplied, divided or
//! compared with what, and the diagnostics when units differ or a divisor can be zero.

use super::*;

pub(super) fn expect_bool(cx: &mut Checker, ty: &Ty, span: Span, what: &str) {
    if !matches!(ty, Ty::Bool | Ty::Error) {
        cx.push(
            Diag::error(
                Code::TypeMismatch,
                span,
                format!("{what} needs a condition"),
            )
            .label(format!("this is {}", ty.describe()))
            .help("compare it with something, like `count(late) > 3`"),
        );
    }
}

pub(super) fn expect_number(cx: &mut Checker, ty: Ty, span: Span, what: &str) -> Ty {
    match ty {
        Ty::Num(_) | Ty::Lit | Ty::Error => ty,
        other => {
            cx.push(
                Diag::error(Code::TypeMismatch, span, format!("{what} needs a number"))
                    .label(format!("this is {}", other.describe()))
                    .help("only numbers can be added, multiplied or compared by size"),
            );
            Ty::Error
        }
    }
}

/// The unit two quantities share when added, subtracted or compared.
pub(super) fn same_unit(a: &Ty, b: &Ty) -> Option<Ty> {
    match (a, b) {
        (Ty::Error, _) | (_, Ty::Error) => Some(Ty::Error),
        (Ty::Lit, x) | (x, Ty::Lit) => Some(x.clone()),
        (Ty::Num(u), Ty::Num(v)) if u == v => Some(Ty::Num(*u)),
        _ => None,
    }
}

pub(super) fn binary(
    cx: &mut Checker,
    op: BinOp,
    l: &ast::Expr,
    r: &ast::Expr,
    span: Span,
    scope: &Scope,
) -> (model::Expr, Ty) {
    let left = lower_raw(cx, l, scope);
    let right = lower_raw(cx, r, scope);
    combine(cx, op, (l, left), (r, right), span, scope)
}

/// Types an operator applied to two lowered operands.
pub(super) fn combine(
    cx: &mut Checker,
    op: BinOp,
    (l, (lx, lt)): (&ast::Expr, (model::Expr, Ty)),
    (r, (rx, rt)): (&ast::Expr, (model::Expr, Ty)),
    span: Span,
    scope: &Scope,
) -> (model::Expr, Ty) {
    let make =
        |lx: model::Expr, rx: model::Expr| node(M::Binary(op, Box::new(lx), Box::new(rx)), span);
    match op {
        BinOp::And | BinOp::Or => {
            let (lx, lt) = settle(cx, (lx, lt), scope);
            let (rx, rt) = settle(cx, (rx, rt), scope);
            expect_bool(cx, &lt, *l.span, &format!("`{}`", op.symbol()));
            expect_bool(cx, &rt, *r.span, &format!("`{}`", op.symbol()));
            (make(lx, rx), Ty::Bool)
        }
        BinOp::Eq | BinOp::Ne => {
            let (lx, rx) = match (&lt, &rt) {
                (Ty::Enum(values), Ty::Name(n, s)) => {
                    let v = enum_value(cx, values, n, *s)
                        .map_or(M::Number(Decimal::ZERO), M::EnumValue);
                    (lx, node(v, rx.span))
                }
                (Ty::Name(n, s), Ty::Enum(values)) => {
                    let v = enum_value(cx, values, n, *s)
                        .map_or(M::Number(Decimal::ZERO), M::EnumValue);
                    (node(v, lx.span), rx)
                }
                _ => {
                    let (lx, lt) = settle(cx, (lx, lt.clone()), scope);
                    let (rx, rt) = settle(cx, (rx, rt.clone()), scope);
                    let ok = match (&lt, &rt) {
                        (Ty::Error, _) | (_, Ty::Error) => true,
                        (Ty::Enum(a), Ty::Enum(b)) => a == b,
                        (Ty::Text, Ty::Text) | (Ty::Bool, Ty::Bool) | (Ty::Time, Ty::Time) => true,
                        (a, b) if a.is_numeric() && b.is_numeric() => {
                            if same_unit(a, b).is_none() {
                                unit_mismatch(cx, op, l, &lt, r, &rt);
                            }
                            true
                        }
                        _ => false,
                    };
                    if !ok {
                        let at = operator_span(cx, op, *l.span, *r.span);
                        cx.push(
                            Diag::error(
                                Code::TypeMismatch,
                                at,
                                format!("cannot compare {} with {}", lt.describe(), rt.describe()),
                            )
                            .label("these two cannot be equal")
                            .also(l.span, lt.describe())
                            .also(r.span, rt.describe())
                            .help("compare a field with one of its values, or two numbers"),
                        );
                    }
                    (lx, rx)
                }
            };
            (make(lx, rx), Ty::Bool)
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let (lx, lt) = settle(cx, (lx, lt), scope);
            let (rx, rt) = settle(cx, (rx, rt), scope);
            if lt == Ty::Time || rt == Ty::Time {
                times(cx, op, (l, &lt), (r, &rt));
                return (make(lx, rx), Ty::Bool);
            }
            let lt = expect_number(cx, lt, *l.span, &format!("`{}`", op.symbol()));
            let rt = expect_number(cx, rt, *r.span, &format!("`{}`", op.symbol()));
            if same_unit(&lt, &rt).is_none() {
                unit_mismatch(cx, op, l, &lt, r, &rt);
            }
            (make(lx, rx), Ty::Bool)
        }
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
            let (lx, lt) = settle(cx, (lx, lt), scope);
            let (rx, rt) = settle(cx, (rx, rt), scope);
            if lt == Ty::Time || rt == Ty::Time {
                return time_arithmetic(cx, op, (l, lx, &lt), (r, rx, &rt), span);
            }
            let lt = expect_number(cx, lt, *l.span, &format!("`{}`", op.symbol()));
            let rt = expect_number(cx, rt, *r.span, &format!("`{}`", op.symbol()));
            let number = Ty::Num(Unit::Number);
            let result = match op {
                BinOp::Add | BinOp::Sub => same_unit(&lt, &rt),
                BinOp::Mul => match (&lt, &rt) {
                    (Ty::Error, _) | (_, Ty::Error) => Some(Ty::Error),
                    (Ty::Lit, x) | (x, Ty::Lit) => Some(x.clone()),
                    (a, b) if *a == number => Some(b.clone()),
                    (a, b) if *b == number => Some(a.clone()),
                    _ => None,
                },
                _ => match (&lt, &rt) {
                    (Ty::Error, _) | (_, Ty::Error) => Some(Ty::Error),
                    (x, Ty::Lit) => Some(x.clone()),
                    (x, b) if *b == number => Some(x.clone()),
                    (a, b) if a == b => Some(number),
                    (Ty::Lit, _) => Some(number),
                    _ => None,
                },
            };
            let ty = match result {
                Some(t) => t,
                None => {
                    unit_mismatch(cx, op, l, &lt, r, &rt);
                    Ty::Error
                }
            };
            if op == BinOp::Div && !rt.is_error() && !ty.is_error() {
                divisor(cx, &rx, *r.span, scope);
            }
            let made = make(lx, rx);
            if !ty.is_error() {
                too_large(cx, &made, span);
            }
            (made, ty)
        }
    }
}

/// A divisor that is always 0 is an error; one that can be 0 for some records or some person is
/// a warning (the evaluation then stops with an error for that person and period).
pub(super) fn divisor(cx: &mut Checker, rx: &model::Expr, span: Span, scope: &Scope) {
    // Written numbers are computed exactly first (`1 / 3 * 3 - 1` is 0, though 28-digit
    // decimals make it -1e-28).
    let exactly_zero = matches!(constant(rx), Some(Some(v)) if v.is_zero());
    if exactly_zero || interval::always_zero(cx, rx, &scope.record_kinds) {
        cx.push(
            Diag::error(Code::DivisionByZero, span, "division by zero")
                .label("this is always 0")
                .help("divide by a number other than 0"),
        );
    } else if interval::may_be_zero(cx, rx, &scope.record_kinds) {
        cx.push(
            Diag::warning(Code::DivisorMayBeZero, span, "the divisor can be 0")
                .label("can be 0 for some person or month")
                .help("where it is 0 the evaluation gives no score but an error for that person and period; for an average of records write `mean(…)`, or divide by a number"),
        );
    }
}

/// A quantity's unit as a noun: "days", "a plain number".
pub(super) fn unit_noun(ty: &Ty) -> String {
    match ty {
        Ty::Num(Unit::Number) => "a plain number".into(),
        Ty::Num(u) => u.name().into(),
        other => other.describe(),
    }
}

/// The operator between two operands, found in the text between them; the whole expression when
/// it cannot be told.
pub(super) fn operator_span(cx: &Checker, op: BinOp, l: Span, r: Span) -> Span {
    let text: &str = &cx.source.text;
    let found = text
        .get(l.end..r.start)
        .and_then(|gap| gap.rfind(op.symbol()));
    match found {
        Some(i) => Span::new(l.end + i, l.end + i + op.symbol().len()),
        None => l.to(r),
    }
}

pub(super) fn unit_mismatch(
    cx: &mut Checker,
    op: BinOp,
    l: &ast::Expr,
    lt: &Ty,
    r: &ast::Expr,
    rt: &Ty,
) {
    let (ln, rn) = (unit_noun(lt), unit_noun(rt));
    let message = match op {
        BinOp::Add => format!("cannot add {ln} and {rn}"),
        BinOp::Sub => format!("cannot subtract {rn} from {ln}"),
        BinOp::Mul => format!("cannot multiply {ln} by {rn}"),
        BinOp::Div => format!("cannot divide {ln} by {rn}"),
        _ => format!("cannot compare {ln} with {rn}"),
    };
    let plain = [lt, rt].contains(&&Ty::Num(Unit::Number));
    let help = match op {
        BinOp::Mul | BinOp::Div => {
            "multiply or divide a quantity by a written number or a plain `number`, like `5 * sum(volunteer.hours)`".to_string()
        }
        _ if plain => {
            "a field declared `number` has no unit; declare both in the same unit, or compare with a written number like `15`, which takes the unit of what it meets".to_string()
        }
        _ => {
            "days go with days and hours with hours; a written number like `15` takes the unit of what it meets".to_string()
        }
    };
    let at = operator_span(cx, op, *l.span, *r.span);
    let side = |t: &Ty| match t {
        Ty::Num(Unit::Number) => "a plain number".to_string(),
        other => other.describe(),
    };
    cx.push(
        Diag::error(Code::UnitMismatch, at, message)
            .label("the units differ")
            .also(l.span, side(lt))
            .also(r.span, side(rt))
            .help(help),
    );
}

/// Whether the amount reads like a rate: a written number times a quantity (`5 * (100 - …)`), or
/// a function of rates (`min(2 * hours, 10)`, `floor(0.5 * days)`).
pub fn is_rate(e: &ast::Expr) -> bool {
    match &e.kind {
        A::Paren(x) => is_rate(x),
        A::Binary(BinOp::Mul, a, b) => is_literal(a) || is_literal(b),
        A::Call(func, args) => match func.node {
            crate::ops::Func::Min | crate::ops::Func::Max => {
                args.iter().any(is_rate) && args.iter().all(|a| is_rate(a) || is_literal(a))
            }
            _ => args.first().is_some_and(is_rate),
        },
        _ => false,
    }
}

pub(super) fn is_literal(e: &ast::Expr) -> bool {
    match &e.kind {
        A::Number(_) => true,
        A::Paren(x) | A::Neg(x) => is_literal(x),
        _ => false,
    }
}

/// A comparison with a time of day: both sides are times (`arrived > 9:00`).
fn times(cx: &mut Checker, op: BinOp, (l, lt): (&ast::Expr, &Ty), (r, rt): (&ast::Expr, &Ty)) {
    if matches!(
        (lt, rt),
        (Ty::Time, Ty::Time) | (Ty::Error, _) | (_, Ty::Error)
    ) {
        return;
    }
    let at = operator_span(cx, op, *l.span, *r.span);
    cx.push(
        Diag::error(
            Code::TypeMismatch,
            at,
            format!("cannot compare {} with {}", unit_noun(lt), unit_noun(rt)),
        )
        .label("a time of day compares with another")
        .also(l.span, lt.describe())
        .also(r.span, rt.describe())
        .help("compare a time with a clock time like `9:00`; for minutes late, subtract: `arrived - 9:00 > 30`"),
    );
}

/// Arithmetic with a time of day: only the difference of two times, in minutes (`arrived -
/// 8:30`); the times are seconds since midnight, so the difference is divided by 60, exactly.
fn time_arithmetic(
    cx: &mut Checker,
    op: BinOp,
    (l, lx, lt): (&ast::Expr, model::Expr, &Ty),
    (r, rx, rt): (&ast::Expr, model::Expr, &Ty),
    span: Span,
) -> (model::Expr, Ty) {
    let diff = node(M::Binary(BinOp::Sub, Box::new(lx), Box::new(rx)), span);
    match (op, lt, rt) {
        (BinOp::Sub, Ty::Time, Ty::Time) => {
            let sixty = node(M::Number(Decimal::from(60)), span);
            (
                node(M::Binary(BinOp::Div, Box::new(diff), Box::new(sixty)), span),
                Ty::Num(Unit::Minutes),
            )
        }
        (_, Ty::Error, _) | (_, _, Ty::Error) => (diff, Ty::Error),
        _ => {
            let at = operator_span(cx, op, *l.span, *r.span);
            cx.push(
                Diag::error(
                    Code::TypeMismatch,
                    at,
                    format!("`{}` with {} and {}", op.symbol(), unit_noun(lt), unit_noun(rt)),
                )
                .label("a time of day is only compared, or subtracted from another time")
                .also(l.span, lt.describe())
                .also(r.span, rt.describe())
                .help("the difference of two times is in minutes: `arrived - 8:30`; compare it with minutes, or turn it into points with a rate like `1 * ceil((arrived - 9:00) / 30)`"),
            );
            (diff, Ty::Error)
        }
    }
}
