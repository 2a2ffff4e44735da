//! Types and units of arithmetic and comparisons: what may be added, multiplied, divided or
//! compared with what, and the diagnostics when units differ or a divisor can be zero.

use super::*;

pub(super) fn expect_bool(cx: &mut Checker, ty: &Ty, span: Span, what: &str) {
    if !matches!(ty, Ty::Bool | Ty::Error) {
        cx.push(
            Diag::error(
                Code::TypeMismatch,
                span,
                crate::tr!(
                    format!("{what} needs a condition"),
                    crate::lang::spaced(&format!("{what}需要一个条件"))
                ),
            )
            .label(crate::tr!(
                format!("this is {}", ty.describe()),
                crate::lang::spaced(&format!("这是{}", ty.describe()))
            ))
            .help(crate::tr!(
                "compare it with something, like `count(late) > 3`",
                "拿它和别的作比较，比如 `count(late) > 3`"
            )),
        );
    }
}

pub(super) fn expect_number(cx: &mut Checker, ty: Ty, span: Span, what: &str) -> Ty {
    match ty {
        Ty::Num(_) | Ty::Lit | Ty::Error => ty,
        other => {
            cx.push(
                Diag::error(
                    Code::TypeMismatch,
                    span,
                    crate::tr!(
                        format!("{what} needs a number"),
                        crate::lang::spaced(&format!("{what}需要一个数"))
                    ),
                )
                .label(crate::tr!(
                    format!("this is {}", other.describe()),
                    crate::lang::spaced(&format!("这是{}", other.describe()))
                ))
                .help(crate::tr!(
                    "only numbers can be added, multiplied or compared by size",
                    "只有数才能相加、相乘或比较大小"
                )),
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
                    comparable(cx, op, (l, &lt), (r, &rt));
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
            let result = arithmetic_unit(op, &lt, &rt);
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

/// `=` and `!=` between two settled operands: a list value with one of its list, text with text,
/// a condition with a condition, a time with a time, numbers of one unit; anything else is reported.
fn comparable(cx: &mut Checker, op: BinOp, (l, lt): (&ast::Expr, &Ty), (r, rt): (&ast::Expr, &Ty)) {
    let ok = match (lt, rt) {
        (Ty::Error, _) | (_, Ty::Error) => true,
        (Ty::Enum(a), Ty::Enum(b)) => a == b,
        (Ty::Text, Ty::Text) | (Ty::Bool, Ty::Bool) | (Ty::Time, Ty::Time) => true,
        (a, b) if a.is_numeric() && b.is_numeric() => {
            if same_unit(a, b).is_none() {
                unit_mismatch(cx, op, l, lt, r, rt);
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
                crate::tr!(
                    format!("cannot compare {} with {}", lt.describe(), rt.describe()),
                    crate::lang::spaced(&format!("{}和{}不能比较", lt.describe(), rt.describe()))
                ),
            )
            .label(crate::tr!("these two cannot be equal", "这两个不可能相等"))
            .also(l.span, lt.describe())
            .also(r.span, rt.describe())
            .help(crate::tr!(
                "compare a field with one of its values, or two numbers",
                "拿字段和它的某个取值比较，或者比较两个数"
            )),
        );
    }
}

/// The unit of `lt op rt` for `+ - * /`: one unit added to itself, a unit times or divided by a
/// plain number, a unit divided by itself a plain number; `None` where the units do not combine.
fn arithmetic_unit(op: BinOp, lt: &Ty, rt: &Ty) -> Option<Ty> {
    let number = Ty::Num(Unit::Number);
    match op {
        BinOp::Add | BinOp::Sub => same_unit(lt, rt),
        BinOp::Mul => match (lt, rt) {
            (Ty::Error, _) | (_, Ty::Error) => Some(Ty::Error),
            (Ty::Lit, x) | (x, Ty::Lit) => Some(x.clone()),
            (a, b) if *a == number => Some(b.clone()),
            (a, b) if *b == number => Some(a.clone()),
            _ => None,
        },
        _ => match (lt, rt) {
            (Ty::Error, _) | (_, Ty::Error) => Some(Ty::Error),
            (x, Ty::Lit) => Some(x.clone()),
            (x, b) if *b == number => Some(x.clone()),
            (a, b) if a == b => Some(number),
            (Ty::Lit, _) => Some(number),
            _ => None,
        },
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
            Diag::error(
                Code::DivisionByZero,
                span,
                crate::tr!("division by zero", "除数为零"),
            )
            .label(crate::tr!("this is always 0", "这里总是 0"))
            .help(crate::tr!(
                "divide by a number other than 0",
                "除以一个不为 0 的数"
            )),
        );
    } else if interval::may_be_zero(cx, rx, &scope.record_kinds) {
        cx.push(
            Diag::warning(Code::DivisorMayBeZero, span, crate::tr!(
                "the divisor can be 0",
                "除数可能为 0"
            ))
                .label(crate::tr!("can be 0 for some person or month", "对某些人或某些月份可能为 0"))
                .help(crate::tr!(
                    "where it is 0 the evaluation gives no score but an error for that person and period; for an average of records write `mean(…)`, or divide by a number",
                    "除数为 0 时，这个人这一期算不出分数，只会报错；要求记录的平均值请用 `mean(…)`，或者除以一个数"
                )),
        );
    }
}

/// A quantity's unit as a noun: "days", "a plain number" (天数, 不带单位的数).
pub(super) fn unit_noun(ty: &Ty) -> String {
    match ty {
        Ty::Num(Unit::Number) => crate::tr!("a plain number", "不带单位的数").into(),
        Ty::Num(u) => crate::tr!(u.name(), u.chinese().1).into(),
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
        BinOp::Add => crate::tr!(
            format!("cannot add {ln} and {rn}"),
            crate::lang::spaced(&format!("{ln}和{rn}不能相加"))
        ),
        BinOp::Sub => crate::tr!(
            format!("cannot subtract {rn} from {ln}"),
            crate::lang::spaced(&format!("{ln}不能减去{rn}"))
        ),
        BinOp::Mul => crate::tr!(
            format!("cannot multiply {ln} by {rn}"),
            crate::lang::spaced(&format!("{ln}不能乘以{rn}"))
        ),
        BinOp::Div => crate::tr!(
            format!("cannot divide {ln} by {rn}"),
            crate::lang::spaced(&format!("{ln}不能除以{rn}"))
        ),
        _ => crate::tr!(
            format!("cannot compare {ln} with {rn}"),
            crate::lang::spaced(&format!("{ln}和{rn}不能比较"))
        ),
    };
    let plain = [lt, rt].contains(&&Ty::Num(Unit::Number));
    let help = match op {
        BinOp::Mul | BinOp::Div => {
            crate::tr!(
                "multiply or divide a quantity by a written number or a plain `number`, like `5 * sum(volunteer.hours)`",
                "一个量只能乘以或除以写出来的数或不带单位的 `number`，比如 `5 * sum(volunteer.hours)`"
            ).to_string()
        }
        _ if plain => {
            crate::tr!(
                "a field declared `number` has no unit; declare both in the same unit, or compare with a written number like `15`, which takes the unit of what it meets",
                "声明为 `number` 的字段没有单位；把两边声明成同一单位，或者和写出来的数比较，比如 `15`，它会取对方的单位"
            ).to_string()
        }
        _ => {
            crate::tr!(
                "days go with days and hours with hours; a written number like `15` takes the unit of what it meets",
                "天数和天数比，小时和小时比；写出来的数比如 `15` 会取对方的单位"
            ).to_string()
        }
    };
    let at = operator_span(cx, op, *l.span, *r.span);
    let side = |t: &Ty| match t {
        Ty::Num(Unit::Number) => crate::tr!("a plain number", "不带单位的数").to_string(),
        other => other.describe(),
    };
    cx.push(
        Diag::error(Code::UnitMismatch, at, message)
            .label(crate::tr!("the units differ", "单位不一样"))
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
            crate::tr!(
                format!("cannot compare {} with {}", unit_noun(lt), unit_noun(rt)),
                crate::lang::spaced(&format!("{}和{}不能比较", unit_noun(lt), unit_noun(rt)))
            ),
        )
        .label(crate::tr!("a time of day compares with another", "时刻只能和时刻比较"))
        .also(l.span, lt.describe())
        .also(r.span, rt.describe())
        .help(crate::tr!(
            "compare a time with a clock time like `9:00`; for minutes late, subtract: `arrived - 9:00 > 30`",
            "拿时刻和钟点比较，比如 `9:00`；要算迟到几分钟就相减：`arrived - 9:00 > 30`"
        )),
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
                    crate::tr!(
                        format!("`{}` with {} and {}", op.symbol(), unit_noun(lt), unit_noun(rt)),
                        crate::lang::spaced(&format!(
                            "`{}` 用在{}和{}之间",
                            op.symbol(),
                            unit_noun(lt),
                            unit_noun(rt)
                        ))
                    ),
                )
                .label(crate::tr!(
                    "a time of day is only compared, or subtracted from another time",
                    "时刻只能比较，或者和另一个时刻相减"
                ))
                .also(l.span, lt.describe())
                .also(r.span, rt.describe())
                .help(crate::tr!(
                    "the difference of two times is in minutes: `arrived - 8:30`; compare it with minutes, or turn it into points with a rate like `1 * ceil((arrived - 9:00) / 30)`",
                    "两个时刻相减得到的是分钟数：`arrived - 8:30`；拿它和分钟数比较，或者乘上分值换算成分，比如 `1 * ceil((arrived - 9:00) / 30)`"
                )),
            );
            (diff, Ty::Error)
        }
    }
}
