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
        let Some((_, Some(best))) = bests.lookup(flat, self.p, month) else {
            return (Exact::ZERO, None);
        };
        // A best of 0 or below cannot be scaled to: in a card that is over it is an error, told
        // once for the group (`relative::problems`); in a card still to come, every score is 0.
        if !best.value.is_positive() {
            return (Exact::ZERO, Some((best.value, Exact::ZERO)));
        }
        // Kept to the policy's published places (`round 2 half-up`): a month's own value over a
        // best of any size is a fraction of any denominator, and a year of them added could not
        // be held exactly; the regulations' tables show a scaled item so.
        let policy = engine.policy;
        let scaled = own
            .checked_mul(budget)
            .and_then(|x| x.checked_div(best.value))
            .and_then(|x| x.round_exact(policy.round_places, policy.rounding));
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
