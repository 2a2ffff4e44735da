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
    let (fewest, most, shape) = match func.node {
        Func::Min | Func::Max => (
            2,
            usize::MAX,
            format!("`{name}(a, b)`, with two or more values"),
        ),
        Func::Floor | Func::Ceil => (1, 1, format!("`{name}(x)`, with one value")),
        Func::Round => (
            1,
            2,
            "`round(x)`, or `round(x, places)` with a whole number of places".to_string(),
        ),
    };
    if args.len() < fewest || args.len() > most {
        let mut d = Diag::error(
            Code::FunctionArguments,
            span,
            format!("`{name}` takes {}", takes(fewest, most)),
        )
        .label(format!("given {}", values(args.len())))
        .help(format!("write {shape}"));
        if matches!(func.node, Func::Min | Func::Max) && args.len() == 1 {
            d = d.help(format!(
                "write {shape}; the least or largest value of a field over the records is the aggregate `{name}(kind.field)`"
            ));
        }
        cx.push(d);
    }
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
                        format!("`{name}` of {} and {}", unit_noun(&ty), unit_noun(&t)),
                    )
                    .label(format!("this is {}", t.describe()))
                    .also(args[0].span, ty.describe())
                    .help("give it values of one unit: convert one of them first (`hours / 8`)"),
                );
                Ty::Error
            }
        };
        lowered.push(x);
    }
    (node(M::Call(func.node, lowered), span), ty)
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
                    "`round` takes its places as a whole number from 0 to 10",
                )
                .label("not a whole number of places")
                .help("write how many decimals to keep: `round(x, 1)`; `round(x)` keeps none"),
            );
            node(M::Number(Decimal::ZERO), *arg.span)
        }
    }
}

fn takes(fewest: usize, most: usize) -> String {
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
    match n {
        0 => "no value".into(),
        1 => "one value".into(),
        2 => "two values".into(),
        n => format!("{n} values"),
    }
}
