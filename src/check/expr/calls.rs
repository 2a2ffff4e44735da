//! Functions of numbers: `min(a, b, …)`, `max(a, b, …)`, `floor(x)`, `ceil(x)`, `round(x)` and
//! `round(x, places)`. Their values keep the unit of what they are given, as `+` does.

use super::*;
use crate::ops::Func;

/// The most decimals `round(x, places)` takes: more than a score ever needs.
const MAX_PLACES: u32 = 10;

pub(super) fn call(
    cx: &mut Checker,
    func: &ast::Spanned<Func>,
    args: &[ast::Expr],
    span: Span,
    scope: &Scope,
) -> (model::Expr, Ty) {
    let name = func.node.keyword();
    arity(cx, func, args.len(), span);
    let mut lowered = Vec::with_capacity(args.len());
    let mut ty = Ty::Lit;
    for (i, arg) in args.iter().enumerate() {
        if func.node == Func::Round && i == 1 {
            lowered.push(places(cx, arg));
            continue;
        }
        let (x, t) = lower(cx, arg, scope);
        let t = expect_number(cx, t, *arg.span, &format!("`{name}`"));
        ty = match same_unit(&ty, &t) {
            Some(u) => u,
            None => {
                cx.push(
                    Diag::error(
                        Code::UnitMismatch,
                        arg.span,
                        crate::tr!(
                            format!("`{name}` of {} and {}", unit_noun(&ty), unit_noun(&t)),
                            crate::lang::spaced(&format!(
                                "`{name}` 的参数有{}，也有{}",
                                unit_noun(&ty),
                                unit_noun(&t)
                            ))
                        ),
                    )
                    .label(crate::tr!(
                        format!("this is {}", t.describe()),
                        crate::lang::spaced(&format!("这是{}", t.describe()))
                    ))
                    .also(args[0].span, ty.describe())
                    .help(crate::tr!(
                        "give it values of one unit: convert one of them first (`hours / 8`)",
                        "参数的单位要一致：先换算其中一个（`hours / 8`）"
                    )),
                );
                Ty::Error
            }
        };
        lowered.push(x);
    }
    (node(M::Call(func.node, lowered), span), ty)
}

/// How many values `func` takes, and how to write it: reports a call with too few or too many.
fn arity(cx: &mut Checker, func: &ast::Spanned<Func>, given: usize, span: Span) {
    let name = func.node.keyword();
    let (fewest, most, shape) = match func.node {
        Func::Min | Func::Max => (
            2,
            usize::MAX,
            crate::tr!(
                format!("`{name}(a, b)`, with two or more values"),
                format!("`{name}(a, b)`，至少两个值")
            ),
        ),
        Func::Floor | Func::Ceil => (
            1,
            1,
            crate::tr!(
                format!("`{name}(x)`, with one value"),
                format!("`{name}(x)`，只有一个值")
            ),
        ),
        Func::Round => (
            1,
            2,
            crate::tr!(
                "`round(x)`, or `round(x, places)` with a whole number of places",
                "`round(x)`，或者 `round(x, places)`，小数位数为整数"
            )
            .to_string(),
        ),
    };
    if given < fewest || given > most {
        let mut d = Diag::error(
            Code::FunctionArguments,
            span,
            crate::tr!(
                format!("`{name}` takes {}", takes(fewest, most)),
                crate::lang::spaced(&format!("`{name}` 需要{}", takes(fewest, most)))
            ),
        )
        .label(crate::tr!(
            format!("given {}", values(given)),
            format!("给了 {}", values(given))
        ))
        .help(crate::tr!(
            format!("write {shape}"),
            format!("写成 {shape}")
        ));
        if matches!(func.node, Func::Min | Func::Max) && given == 1 {
            d = d.help(crate::tr!(
                format!(
                    "write {shape}; the least or largest value of a field over the records is the aggregate `{name}(kind.field)`"
                ),
                format!("写成 {shape}；要取各条记录中某字段的最小或最大值，用统计 `{name}(kind.field)`")
            ));
        }
        cx.push(d);
    }
}

/// `round`'s places: a whole number written in the policy, from 0 to [`MAX_PLACES`].
fn places(cx: &mut Checker, arg: &ast::Expr) -> model::Expr {
    let n = match &arg.kind {
        A::Number(n) if n.fract().is_zero() && *n <= Decimal::from(MAX_PLACES) => Some(*n),
        _ => None,
    };
    match n {
        Some(n) => node(M::Number(n.trunc()), *arg.span),
        None => {
            cx.push(
                Diag::error(
                    Code::FunctionArguments,
                    arg.span,
                    crate::tr!(
                        "`round` takes its places as a whole number from 0 to 10",
                        "`round` 的小数位数必须是 0 到 10 的整数"
                    ),
                )
                .label(crate::tr!(
                    "not a whole number of places",
                    "小数位数不是整数"
                ))
                .help(crate::tr!(
                    "write how many decimals to keep: `round(x, 1)`; `round(x)` keeps none",
                    "写明保留几位小数：`round(x, 1)`；`round(x)` 不保留小数"
                )),
            );
            node(M::Number(Decimal::ZERO), *arg.span)
        }
    }
}

fn takes(fewest: usize, most: usize) -> String {
    if crate::lang::current() == crate::lang::Lang::Zh {
        return match (fewest, most) {
            (1, 1) => "1 个值".into(),
            (a, usize::MAX) => format!("至少 {a} 个值"),
            (a, b) => format!("{a} 到 {b} 个值"),
        };
    }
    match (fewest, most) {
        (1, 1) => "one value".into(),
        (a, usize::MAX) => format!(
            "{} or more values",
            values(a)
                .trim_end_matches(" values")
                .trim_end_matches(" value")
        ),
        (a, b) => format!(
            "{} or {}",
            values(a)
                .trim_end_matches(" value")
                .trim_end_matches(" values"),
            values(b)
        ),
    }
}

fn values(n: usize) -> String {
    if crate::lang::current() == crate::lang::Lang::Zh {
        return match n {
            0 => "没有值".into(),
            n => format!("{n} 个值"),
        };
    }
    match n {
        0 => "no value".into(),
        1 => "one value".into(),
        2 => "two values".into(),
        n => format!("{n} values"),
    }
}
