//! What a balance card allows of caps: a cap per reading (`cap N`), or a cap over a year, which
//! counts the entries of the records dated in each year, per person. A cap over a quarter has no
//! meaning there, and a cap over a year needs to know, when each record's entry is made, the
//! one person it reaches and the whole of its amount.

use super::*;
use crate::ops::Period;

/// Reports what a rule's cap cannot do on a balance card.
pub(super) fn balance_cap(
    cx: &mut Checker,
    rule: &ast::Rule,
    kinds: &[model::KindId],
    effects: &[model::Effect],
    cap: Option<model::CapId>,
    (highest, guard): (bool, bool),
) {
    if !cx.balance {
        return;
    }
    let Some(c) = cap.and_then(|c| cx.caps.get(c)) else {
        return;
    };
    let period = c.period;
    let span = rule
        .modifiers
        .iter()
        .find(|m| matches!(m, Modifier::Cap(..) | Modifier::SharedCap(_)))
        .map_or(*rule.span, Modifier::span);
    if period == Period::Month {
        return;
    }
    if period != Period::Year {
        let period_zh = period.chinese();
        cx.push(
            Diag::error(
                Code::Misplaced,
                span,
                crate::tr!(
                    format!("a balance card has no {} to count a cap in", period.keyword()),
                    format!("按余额记分时不能按{period_zh}计算封顶")
                ),
            )
            .label(crate::tr!(
                format!("a cap over a {}", period.keyword()),
                format!("按{period_zh}计算的封顶")
            ))
            .help(crate::tr!(
                "on a balance card a cap counts per reading (`cap N`: at most N points from the rule on one day) or per year of the records' dates (`cap N in year`)",
                "按余额记分时，封顶按每次读数计算（`cap N`：这条条款一天最多 N 分），或者按记录日期所在的年份计算（`cap N in year`）"
            )),
        );
        return;
    }
    // A cap over a year counts each record's entry as it is made: the entry's amount must be
    // all it gives (no `highest per` or guard deciding later) and reach the person it names.
    let why = why_not_yearly(cx, kinds, effects, (highest, guard));
    if let Some(why) = why {
        cx.push(
            Diag::error(
                Code::Misplaced,
                span,
                crate::tr!(
                    "on a balance card a cap over a year counts only records that give their points to the person they name",
                    "按余额记分时，按年封顶只能用于把分记给记录上那个人的条款"
                ),
            )
            .label(crate::tr!(
                format!("a cap over a year, but {why}"),
                crate::lang::spaced(&format!("按年封顶，但{why}"))
            ))
            .help(crate::tr!(
                "the cap counts each person's entries of a year in the order of their dates; keep the rule `by person` without `to`, `highest per` or a guard, or cap it per reading with `cap N`",
                "这个封顶按日期顺序累计每个人一年里的分；让条款只针对 `by person` 的记录，不写 `to`、`highest per` 或条件，或者用 `cap N` 按每次读数封顶"
            )),
        );
    }
}

/// Why a rule's cap over a year cannot be counted as each entry is made, if it cannot.
fn why_not_yearly(
    cx: &Checker,
    kinds: &[model::KindId],
    effects: &[model::Effect],
    (highest, guard): (bool, bool),
) -> Option<&'static str> {
    if highest {
        Some(crate::tr!(
            "`highest per` decides on each day which entry counts",
            "`highest per` 要到每一天才决定哪一笔计入"
        ))
    } else if guard {
        Some(crate::tr!(
            "its `when` guard decides on each day whether the points count",
            "它的 `when` 条件要到每一天才决定分计不计入"
        ))
    } else if kinds.iter().any(|&k| {
        cx.kinds
            .get(k)
            .is_some_and(|k| k.subjects.department || k.subjects.town)
    }) {
        Some(crate::tr!(
            "a record of its kind can name a department or the town, and reach several people",
            "它的记录类型可以记在部门或全镇名下，一条记录会给好几个人"
        ))
    } else if effects.iter().any(|e| {
        matches!(e, model::Effect::Points { target, .. }
            if !matches!(target, Target::Subject | Target::Person))
    }) {
        Some(crate::tr!(
            "its points go to somebody else than the person the record names",
            "它的分给的不是记录上的那个人"
        ))
    } else {
        None
    }
}
