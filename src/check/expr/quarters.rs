//! What an expression reads on a policy with quarterly cards (`card quarter`): the annual formula
//! combines `quarters`, not `months`; an aggregate's window is `in quarter` or `in year`, never
//! `in month`; and `in quarter` belongs to quarterly cards only.

use super::*;
use crate::ops::Period;

/// `months` or `quarters` in the annual formula (`sum(quarters)`, a bare `quarters`): the card
/// totals it combines, when the word is the card's; else a diagnostic. `None`: not such a word.
pub(super) fn card_totals(
    cx: &mut Checker,
    word: &ast::Name,
    func: Option<AggFn>,
    span: Span,
) -> Option<(model::Expr, Ty)> {
    let quarterly = cx.card == Period::Quarter && !cx.balance;
    let right = match (word.node.as_str(), quarterly) {
        ("months", false) | ("quarters", true) => true,
        ("months", true) | ("quarters", false) => false,
        _ => return None,
    };
    if !right {
        wrong_totals(cx, word, quarterly);
        return Some(error_node(span));
    }
    Some(match func {
        Some(AggFn::Count) => (node(M::Months(AggFn::Count), span), Ty::Num(Unit::Number)),
        Some(f) => (node(M::Months(f), span), Ty::Num(Unit::Points)),
        None => {
            cx.push(
                Diag::error(
                    Code::BadAnnual,
                    *word.span,
                    crate::tr!(
                        "`quarters` is the four quarterly totals, not one number",
                        "`quarters` 是四个季度的季度总分，不是一个数"
                    ),
                )
                .label(crate::tr!("four numbers", "四个数"))
                .help(crate::tr!(
                    "write `sum(quarters)`, `mean(quarters)`, `min(quarters)` or `max(quarters)`",
                    "写 `sum(quarters)`、`mean(quarters)`、`min(quarters)` 或 `max(quarters)`"
                )),
            );
            error_node(span)
        }
    })
}

/// `months` on quarterly cards, or `quarters` on monthly ones.
fn wrong_totals(cx: &mut Checker, word: &ast::Name, quarterly: bool) {
    let (message, label, help) = if quarterly {
        (
            crate::tr!(
                "a policy with quarterly cards has no monthly totals",
                "按季度记分的政策文件没有月度总分"
            ),
            crate::tr!("no monthly card", "没有月度记分卡"),
            crate::tr!(
                "combine the four quarterly totals: `annual = sum(quarters)` or `mean(quarters)`",
                "合计四个季度的总分：`annual = sum(quarters)` 或 `mean(quarters)`"
            ),
        )
    } else {
        (
            crate::tr!(
                "only a policy with quarterly cards (`card quarter`) has quarterly totals",
                "只有按季度记分（`card quarter`）的政策文件才有季度总分"
            ),
            crate::tr!("no quarterly card", "没有季度记分卡"),
            crate::tr!(
                "combine the monthly totals: `annual = sum(months) / 12`, or add `card quarter`",
                "合计月度总分：`annual = sum(months) / 12`，或者加上 `card quarter`"
            ),
        )
    };
    cx.push(
        Diag::error(Code::BadAnnual, *word.span, message)
            .label(label)
            .help(help),
    );
}

/// `in month` on quarterly cards (there is no monthly card), or `in quarter` on a policy without
/// them.
pub(super) fn quarter_window(cx: &mut Checker, window: &ast::Spanned<Window>) {
    let quarterly = cx.card == Period::Quarter && !cx.balance;
    if window.node == Window::Month && quarterly {
        cx.push(
            Diag::error(
                Code::Misplaced,
                window.span,
                crate::tr!(
                    "a policy with quarterly cards has no month to read",
                    "按季度记分的政策文件没有月份可读"
                ),
            )
            .label(crate::tr!("no monthly card", "没有月度记分卡"))
            .help(crate::tr!(
                "write `in quarter` or `in year`, or leave the window out: on a quarterly card an aggregate reads the quarter",
                "写 `in quarter` 或 `in year`，或者不写时间范围：按季度记分时统计读的是本季度"
            )),
        );
    } else if window.node == Window::Quarter && !quarterly {
        cx.push(
            Diag::error(
                Code::Misplaced,
                window.span,
                crate::tr!(
                    "only a policy with quarterly cards (`card quarter`) reads a quarter",
                    "只有按季度记分（`card quarter`）的政策文件才能读季度"
                ),
            )
            .label(crate::tr!("no quarterly card", "没有季度记分卡"))
            .help(crate::tr!(
                "write `in month` or `in year`, or add `card quarter` after the `policy` line",
                "写 `in month` 或 `in year`，或者在 `policy` 那一行后面加上 `card quarter`"
            )),
        );
    }
}
