//! The range of an item scaled to its group's best (§32): whatever its own value, the scaled
//! score is held to `0..budget` on each card, and the group's best gets the whole budget.

use super::{Range, Scores, periods};
use crate::exact::Exact;
use crate::ops::Period;

/// `0..budget` a card; on monthly or quarterly cards, the cards' sum over the year.
pub(super) fn scaled(card: Period, budget: Exact) -> Scores {
    let one = Range::point(Exact::ZERO).hull(&Range::point(budget));
    match card {
        Period::Month | Period::Quarter => Scores {
            year: one.times(periods(card)),
            month: Some(one),
        },
        _ => Scores {
            month: None,
            year: one,
        },
    }
}

/// Why overflow is not ruled out on a policy with a scaled item: its score is divided by the
/// group's best, which can be any value, so its steps have no bound.
pub(super) fn any_best(item: &str) -> String {
    crate::tr!(
        format!(
            "item `{item}` is scaled to its group's best: a score over any best is a fraction of any size, and the cards' sum over the year can need more digits than tally computes exactly"
        ),
        format!(
            "项目 `{item}` 按组内最高分折算：除以任意的最高分，得分可以是任意的分数，一年各期相加可能超出 tally 能精确计算的位数"
        )
    )
}
