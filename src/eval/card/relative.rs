//! An item scaled to its group's best (§32) on one card: its own value ÷ the group's best in the
//! card × its budget, then clamped to 0..budget.

use super::*;

impl Maker<'_, '_> {
    /// The score of scaled item `flat` whose own value is `running`, on the card of `month` (its
    /// last month), and (the group's best, the scaled value) for explanations. While the cards are
    /// made a first time (no bests yet) the score is the own value, unclamped, which the bests are
    /// then taken from; a zeroed item's own value is 0.
    pub(super) fn scaled(
        &mut self,
        flat: usize,
        running: Exact,
        budget: Exact,
        month: u8,
    ) -> (Exact, Option<(Exact, Exact)>) {
        let own = if self.zero[flat] {
            Exact::ZERO
        } else {
            running
        };
        let engine = self.engine;
        let Some(bests) = engine.relative.as_deref() else {
            return (own, None);
        };
        if self.zero[flat] {
            return (Exact::ZERO, None);
        }
        // No group, or nobody of it evaluated this year: nothing to scale to.
        let Some((group, Some(best))) = bests.lookup(flat, self.p, month) else {
            return (Exact::ZERO, None);
        };
        if !best.value.is_positive() {
            // A card not over yet (a month still to come) may have no points at all: it scores 0.
            let over = crate::date::Date::end_of_month(engine.policy.year, month) <= engine.reading;
            if over {
                let (s, i) = engine.items[flat];
                let item = &engine.policy.sections[s].items[i];
                self.fail
                    .errors
                    .push(zero_best(engine.policy, &item.id, group, month, best.value));
            }
            return (Exact::ZERO, Some((best.value, Exact::ZERO)));
        }
        let scaled = own
            .checked_mul(budget)
            .and_then(|x| x.checked_div(best.value));
        match scaled {
            Some(x) => (x.clamp(Exact::ZERO, budget), Some((best.value, x))),
            None => {
                let (s, i) = engine.items[flat];
                let id = &engine.policy.sections[s].items[i].id;
                self.fail.note(
                    Gap::Overflow,
                    &crate::tr!(
                        format!("the points of item `{id}`"),
                        format!("项目 `{id}` 的分")
                    ),
                    Some(month),
                );
                (Exact::ZERO, None)
            }
        }
    }
}

/// A group whose best own value of a scaled item is 0 or below in a card that is over: every
/// score would divide by zero, or be turned round.
#[cold]
fn zero_best(policy: &Policy, item: &str, group: &str, month: u8, best: Exact) -> Diag {
    let group = if group.is_empty() {
        crate::tr!("everybody", "全体人员")
    } else {
        group
    };
    let card = if policy.card == Period::Year && !policy.balance {
        policy.year.to_string()
    } else {
        crate::report::period_label(policy, month)
    };
    let best = best.plain();
    scoring_problem(
        Code::DividesByZero,
        None,
        crate::tr!(
            format!(
                "item `{item}` is scaled to the best of `{group}` in {card}, which is {best}"
            ),
            format!("项目 `{item}` 按 `{group}` {card} 的最高分折算，但最高分是 {best}")
        ),
        Some(
            crate::tr!(
                "only a group whose best is above 0 can be scaled (a best of 0 divides by zero, one below 0 would put the worst first); check the group's records, or give the item a base",
                "只有最高分大于 0 的组才能折算（最高分为 0 会除以零，小于 0 会把最差的排到最前）；检查这个组的记录，或者给项目一个基础分"
            )
            .into(),
        ),
    )
}
