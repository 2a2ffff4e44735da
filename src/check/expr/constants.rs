//! Numbers written in the policy that cannot be computed exactly.

use super::*;

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
        _ => return None,
    })
}

/// The numbers written in a product (`sum(months) * 100 * 12` gives 1200), when there are some.
pub(super) fn constant_factor(e: &model::Expr) -> Option<Option<Exact>> {
    match &e.kind {
        model::ExprKind::Binary(BinOp::Mul, a, b) => match (constant_factor(a), constant_factor(b))
        {
            (Some(x), Some(y)) => Some(x.zip(y).and_then(|(x, y)| x.checked_mul(y))),
            (Some(x), None) | (None, Some(x)) => Some(x),
            (None, None) => None,
        },
        _ => constant(e).filter(|v| v.is_none_or(|v| !v.is_zero())),
    }
}

/// Numbers written in the policy that no evaluation could compute: an arithmetic on them that
/// does not fit, or a product whose written factors alone take any value that is not 0 past the
/// largest score tally can publish. Reported once, where it first happens.
pub(super) fn too_large(cx: &mut Checker, e: &model::Expr, span: Span) {
    let model::ExprKind::Binary(op, a, b) = &e.kind else {
        return;
    };
    let fits = |x: &model::Expr| !matches!(constant(x), Some(None));
    if !fits(a) || !fits(b) {
        return;
    }
    let (label, help) = if matches!(constant(e), Some(None)) && *op != BinOp::Div {
        (
            "too large to compute exactly",
            "write the number the policy means; no score can be this large",
        )
    } else if *op == BinOp::Mul && constant(e).is_none() {
        let parts_fit = |x: &model::Expr| !matches!(constant_factor(x), Some(None));
        let largest = Exact::from_decimal(Decimal::MAX);
        match constant_factor(e) {
            Some(f) if parts_fit(a) && parts_fit(b) && f.is_none_or(|f| f.abs() > largest) => (
                "multiplies any score past the largest tally can publish",
                "a factor this large gives no score but an error for everyone; write the rate the regulation means",
            ),
            _ => return,
        }
    } else {
        return;
    };
    cx.push(
        Diag::error(Code::TooLarge, span, "a number too large to compute")
            .label(label)
            .help(help),
    );
}
