//! A rule's cap: its own (`cap 40`, `cap 3 in year`) or a declared one it shares.

use super::*;
use crate::ops::Period;

/// The cap a `cap …` modifier puts on its rule: the rule's own (`cap 40`, `cap 3 in year`), or a
/// declared one it shares (`cap donations`); `None` after reporting a cap that cannot be.
pub(super) fn rule_cap(
    cx: &mut Checker,
    m: &Modifier,
    item: Option<&ast::ItemDecl>,
) -> Option<model::CapId> {
    match m {
        Modifier::Cap(c, period) => {
            if c.node <= rust_decimal::Decimal::ZERO {
                cx.push(
                    Diag::error(
                        Code::BadRange,
                        c.span,
                        crate::tr!("a cap must be above zero", "封顶必须大于零"),
                    )
                    .label(crate::tr!("not above zero", "没有大于零"))
                    .help(crate::tr!(
                        "write how many points the rule may give or take in a month, like `cap 40`",
                        "写明这条条款一个月最多能加或扣多少分，比如 `cap 40`"
                    )),
                );
            }
            let period = period.as_ref().map_or(Period::Month, |p| p.node);
            if let (Some(item), Period::Month) = (item, period) {
                if c.node >= item.budget.node {
                    cx.push(
                        Diag::warning(
                            Code::CapNeverBinds,
                            c.span,
                            crate::tr!(
                                format!("`cap {}` can never bind", c.node),
                                format!("`cap {}` 永远不起作用", c.node)
                            ),
                        )
                        .label(crate::tr!(
                            format!("the item holds only {} points", item.budget.node),
                            format!("这个项目只有 {} 分", item.budget.node)
                        ))
                        .also(
                            item.budget.span,
                            crate::tr!("the item's budget", "项目分值"),
                        )
                        .help(crate::tr!(
                            "the item's floor stops deductions first; lower the cap or remove it",
                            "项目扣到 0 分就不再扣了，封顶起不到作用；调低封顶或者去掉它"
                        )),
                    );
                }
            }
            cx.caps.push(model::Cap {
                limit: c.node,
                period,
                name: None,
                span: m.span(),
            });
            Some(cx.caps.len() - 1)
        }
        Modifier::SharedCap(name) => shared_cap(cx, name),
        _ => None,
    }
}

/// The declared cap a `cap NAME` modifier shares; `None` after reporting a name no cap has.
fn shared_cap(cx: &mut Checker, name: &ast::Name) -> Option<model::CapId> {
    let found = cx
        .caps
        .iter()
        .position(|c| c.name.as_ref().is_some_and(|(id, _)| *id == name.node));
    match found {
        Some(id) => Some(id),
        None => {
            let declared: Vec<&str> = cx
                .caps
                .iter()
                .filter_map(|c| c.name.as_ref().map(|(id, _)| id.as_str()))
                .collect();
            let help = crate::diag::did_you_mean(&name.node, declared.iter().copied())
                .unwrap_or_else(|| crate::tr!(
                    format!(
                        "declare it before the sections: `cap {} \"…\" 40 in year`, or write the rule's own `cap 40`",
                        name.node
                    ),
                    format!(
                        "在各板块之前声明它：`cap {} \"…\" 40 in year`，或者给这条条款单独写 `cap 40`",
                        name.node
                    )
                ));
            cx.push(
                Diag::error(
                    Code::UnknownCap,
                    name.span,
                    crate::tr!(
                        format!("unknown cap `{}`", name.node),
                        format!("没有 `{}` 这个封顶", name.node)
                    ),
                )
                .label(crate::tr!(
                    "no cap declared with this id",
                    "没有声明过这个代号的封顶"
                ))
                .help(help)
                .fix(
                    name.span,
                    crate::diag::closest(&name.node, declared.iter().copied()),
                ),
            );
            None
        }
    }
}

/// Sets the rule's cap; a second cap on one rule is an error (one cap decides what counts).
pub(super) fn set_cap(
    cx: &mut Checker,
    cap: &mut Option<(model::CapId, Span)>,
    id: model::CapId,
    span: Span,
) {
    match cap {
        Some((_, first)) => cx.push(
            Diag::error(
                Code::Misplaced,
                span,
                crate::tr!("a rule has at most one cap", "一条条款最多只能有一个封顶"),
            )
            .label(crate::tr!("second cap", "第二个封顶"))
            .also(*first, crate::tr!("first cap", "第一个封顶"))
            .help(crate::tr!(
                "keep one: a rule's own `cap 40`, or the shared cap it counts towards",
                "只留一个：条款自己的 `cap 40`，或者它计入的共用封顶"
            )),
        ),
        None => *cap = Some((id, span)),
    }
}
