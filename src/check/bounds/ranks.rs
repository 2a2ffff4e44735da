//! What the ranks that give (`rank … +{ 1: 10, 2: 8 }`, `rank … scaled 600`) do to the range of
//! the published result, in the order they are declared: points by place widen it by the table's
//! least and most (a person may get nothing); a result scaled to the group's best lies in 0..N
//! when no result is below 0, and is unbounded otherwise (a best below 0 turns the ratio round).

use super::range::{End, Range};
use crate::check::model::{Policy, RankGives};
use crate::exact::Exact;

pub(super) fn after_ranks(policy: &Policy, mut published: Range) -> Range {
    for rank in &policy.ranks {
        match &rank.gives {
            None => {}
            Some(RankGives::Points(table)) => {
                let points = table.iter().map(|&(_, p)| Exact::from_decimal(p));
                let least = points.clone().fold(Exact::ZERO, Exact::min);
                let most = points.fold(Exact::ZERO, Exact::max);
                published = published.add(&Range {
                    lo: End::At(least),
                    hi: End::At(most),
                });
            }
            Some(RankGives::Scaled(n)) => {
                let never_below_zero = published.lo.value().is_some_and(|lo| lo >= Exact::ZERO);
                published = if never_below_zero {
                    Range {
                        lo: End::At(Exact::ZERO),
                        hi: End::At(Exact::from_decimal(*n)),
                    }
                } else {
                    let why = crate::tr!(
                        "a result below 0 scaled to a best below 0",
                        "低于 0 的结果按低于 0 的最高分折算"
                    );
                    Range {
                        lo: End::Open(why.to_string()),
                        hi: End::Open(why.to_string()),
                    }
                };
            }
        }
    }
    published
}
