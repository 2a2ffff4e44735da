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
