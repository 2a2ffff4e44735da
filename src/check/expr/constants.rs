//! Numbers written in the policy that cannot be computed exactly.

use super::*;
use crate::ops::Func;
use rust_decimal::prelude::ToPrimitive;

/// The exact value of an expression made of numbers written in the policy: `None` when it reads
/// anything else, `Some(None)` when it cannot be computed exactly (too large, or a division by 0).
pub(super) fn constant(e: &model::Expr) -> Option<Option<Exact>> {
    Some(match &e.kind {
        model::ExprKind::Number(n) => Some(Exact::from_decimal(*n)),
        model::ExprKind::Neg(x) => constant(x)?.and_then(Exact::checked_neg),
        model::ExprKind::Binary(op, a, b) => {
            let (a, b) = (constant(a)?, constant(b)?);
            let (a, b) = (a?, b?);
            match op {
                BinOp::Add => a.checked_add(b),
                BinOp::Sub => a.checked_sub(b),
                BinOp::Mul => a.checked_mul(b),
                BinOp::Div => a.checked_div(b),
                _ => return None,
            }
        }
        // A table looked up by a written number is its entry: `12 { >= 99: 100, else: 0 }` is 0.
        model::ExprKind::Table {
            key,
            entries,
            default,
        } => {
            let k = constant(key)??;
            let hit = entries.iter().find(|(tk, _)| match tk {
                model::TableKey::Number(n) => Exact::from_decimal(*n) == k,
                model::TableKey::Bound(op, n) => {
                    let n = Exact::from_decimal(*n);
                    match op {
                        BinOp::Ge => k >= n,
                        BinOp::Gt => k > n,
                        BinOp::Le => k <= n,
                        _ => k < n,
                    }
                }
                model::TableKey::Enum(_) => false,
            });
            match (hit, default) {
                (Some((_, v)), _) => constant(v)?,
                (None, Some(d)) => constant(d)?,
                (None, None) => Some(Exact::ZERO),
            }
        }
        model::ExprKind::Call(func, args) => {
            let mut values = Vec::with_capacity(args.len());
            for a in args {
                values.push(constant(a)?);
            }
            let values: Option<Vec<Exact>> = values.into_iter().collect();
            let values = match values {
                Some(v) if !v.is_empty() => v,
                _ => return Some(None),
            };
            match func {
                Func::Min => values.iter().copied().min(),
                Func::Max => values.iter().copied().max(),
                Func::Floor => Some(values[0].floor()),
                Func::Ceil => Some(values[0].ceil()),
                Func::Round => {
                    let places = values.get(1).map_or(Some(0), |p| p.to_decimal()?.to_u32());
                    values[0].round_exact(places.unwrap_or(0), crate::exact::Rounding::HalfUp)
                }
            }
        }
        _ => return None,
    })
}

/// What the numbers written in a chain of products and divisions multiply the rest by
/// (`sum(months) * 100 * 12 / 3` gives 400), when there are some; a written 0 makes it 0.
fn constant_factor(e: &model::Expr) -> Option<Option<Exact>> {
    match &e.kind {
        model::ExprKind::Binary(BinOp::Mul, a, b) => match (constant_factor(a), constant_factor(b))
        {
            (Some(Some(z)), _) | (_, Some(Some(z))) if z.is_zero() => Some(Some(z)),
            (Some(x), Some(y)) => Some(x.zip(y).and_then(|(x, y)| x.checked_mul(y))),
            (Some(x), None) | (None, Some(x)) => Some(x),
            (None, None) => None,
        },
        model::ExprKind::Binary(BinOp::Div, a, b) => match constant(b)? {
            Some(d) if !d.is_zero() => {
                let x = constant_factor(a).unwrap_or(Some(Exact::ONE));
                Some(x.and_then(|x| x.checked_div(d)))
            }
            _ => None,
        },
        _ => constant(e),
    }
}

/// Numbers written in the policy that no evaluation could compute: an arithmetic on them that
/// does not fit exactly. Reported once, where it first happens.
pub(super) fn too_large(cx: &mut Checker, e: &model::Expr, span: Span) {
    let model::ExprKind::Binary(op, a, b) = &e.kind else {
        return;
    };
    let fits = |x: &model::Expr| !matches!(constant(x), Some(None));
    // A division by a written 0 is `division-by-zero`'s.
    if *op == BinOp::Div || !fits(a) || !fits(b) || !matches!(constant(e), Some(None)) {
        return;
    }
    cx.push(
        Diag::error(
            Code::TooLarge,
            span,
            crate::tr!(
                "numbers tally cannot compute exactly",
                "数字太大，tally 无法精确计算"
            ),
        )
        .label(crate::tr!(
            "needs more digits than tally computes with",
            "位数超出了 tally 的计算精度"
        ))
        .help(crate::tr!(
            "write the number the policy means",
            "写上政策实际要用的数"
        )),
    );
}

/// A whole amount, base or annual formula that multiplies whatever it reads by numbers written in
/// the policy whose product is past the largest score tally can publish: any value but 0 gives
/// an error for everyone, so it is refused here. (Only the whole expression is judged: a factor
/// divided down again later is fine.)
pub fn beyond_publication(cx: &mut Checker, e: &model::Expr) {
    let mut top = e;
    while let model::ExprKind::Neg(x) = &top.kind {
        top = x;
    }
    // A function of such chains (`floor(x * 1e28 * 1e28)`, `max(…, 0)`) carries them through.
    if let model::ExprKind::Call(_, args) = &top.kind {
        for a in args {
            beyond_publication(cx, a);
        }
        return;
    }
    let chain = matches!(
        &top.kind,
        model::ExprKind::Binary(BinOp::Mul | BinOp::Div, ..)
    );
    if !chain || constant(top).is_some() {
        return;
    }
    let largest = Exact::from_decimal(Decimal::MAX);
    if let Some(f) = constant_factor(top) {
        if f.is_none_or(|f| f.abs() > largest) {
            cx.push(
                Diag::error(Code::TooLarge, top.span, crate::tr!(
                    "a factor too large for any score",
                    "乘数太大，任何分数都放不下"
                ))
                    .label(crate::tr!(
                        "multiplies any score past the largest tally can publish",
                        "任何分数乘上它都会超出 tally 能公布的最大值"
                    ))
                    .help(crate::tr!(
                        "a factor this large gives no score but an error for everyone; write the rate the regulation means",
                        "这么大的乘数不会算出分数，只会让每个人都报错；写上制度实际规定的分值"
                    )),
            );
        }
    }
}
