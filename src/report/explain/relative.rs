//! The lines of an item scaled to its group's best (§32): the scaling, with the group, its best
//! and who has it, then the clamp of the scaled value.

use super::{Context, Node};
use crate::check::model::Item;
use crate::eval::trace::ItemTrace;
use crate::exact::Exact;
use crate::ops::Period;

impl Context<'_> {
    /// "scaled to the best of 东山村: 300 ÷ 400 (P1 甲) × 600 = 450", and "−150 → item floor 0"
    /// when the scaled value is below 0. `idx` is the month (0-based) the card is shown for.
    pub(super) fn relative_nodes(
        &self,
        item: &Item,
        flat: usize,
        part: &ItemTrace,
        idx: usize,
    ) -> Vec<Node> {
        let Some((best, scaled)) = part.relative else {
            return Vec::new();
        };
        let policy = self.policy;
        // The card's last month, under which its bests are kept.
        let month = match policy.card {
            _ if policy.balance => idx + 1,
            Period::Year => 12,
            Period::Quarter => idx / 3 * 3 + 3,
            Period::Month => idx + 1,
        };
        let found = self
            .trace
            .bests
            .as_deref()
            .and_then(|b| b.lookup(flat, self.trace.person, month as u8));
        let group = match found {
            Some((g, _)) if !g.is_empty() => g.to_string(),
            _ => crate::tr!("everybody", "全体人员").to_string(),
        };
        let who: Vec<String> = found
            .and_then(|(_, b)| b)
            .map(|b| b.people.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|&p| self.roster.people.get(p))
            .map(|p| format!("{} {}", p.id, p.name))
            .collect();
        let who = who.join(crate::tr!(", ", "、"));
        let shown = |x: Exact| x.display_places(0);
        let budget = item.budget.normalize();
        let label = if best.is_positive() {
            crate::tr!(
                format!(
                    "scaled to the best of {group}: {} ÷ {} ({who}) × {budget} = {}",
                    shown(part.running),
                    shown(best),
                    shown(scaled)
                ),
                crate::lang::spaced(&format!(
                    "按{group}的最高分折算：{} ÷ {}（{who}）× {budget} = {}",
                    shown(part.running),
                    shown(best),
                    shown(scaled)
                ))
            )
        } else {
            crate::tr!(
                format!(
                    "scaled to the best of {group}: the best is {}, and the card is not over yet: 0",
                    shown(best)
                ),
                crate::lang::spaced(&format!(
                    "按{group}的最高分折算：最高分是 {}，本期还没结束：0",
                    shown(best)
                ))
            )
        };
        let to_scaled = scaled.checked_sub(part.running).unwrap_or(Exact::ZERO);
        let mut out = vec![Node::new(label, Some(to_scaled))];
        if !part.clamp.is_zero() {
            out.push(Node::new(
                crate::tr!(
                    format!("{} → item floor 0", shown(scaled)),
                    format!("{} → 项目最低 0 分", shown(scaled))
                ),
                Some(part.clamp),
            ));
        }
        out
    }
}
