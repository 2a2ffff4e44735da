//! The notes of a person's places under the policy's ranks (`rank standing "村内名次" of village`):
//! the place, the group and its size, and the group's best published result with who has it.

use super::Context;
use crate::eval::outcome::RankNote;

impl Context<'_> {
    /// "rank `standing` 村内名次 (village 东山, 6 people): 2 of 6 by published result; the best
    /// 1073.50 (R05 陈静)".
    pub(super) fn rank_note(&self, n: &RankNote) -> Option<String> {
        let rank = self.policy.ranks.get(n.rank)?;
        let best = crate::report::score(n.best, self.policy.round_places);
        let who: Vec<String> = n
            .best_people
            .iter()
            .filter_map(|&p| self.roster.people.get(p))
            .map(|p| format!("{} {}", p.id, p.name))
            .collect();
        let who = who.join(crate::tr!(", ", "、"));
        let group = if n.group.is_empty() {
            crate::tr!("everybody", "全体人员").to_string()
        } else {
            n.group.clone()
        };
        Some(crate::tr!(
            format!(
                "rank `{}` {} ({group}, {} people): {} of {} by published result; the best {best} ({who})",
                rank.id, rank.label, n.group_size, n.place, n.group_size
            ),
            format!(
                "排名 `{}` {}（{group}，共 {} 人）：按公布得分第 {} 名；最高 {best}（{who}）",
                rank.id, rank.label, n.group_size, n.place
            )
        ))
    }
}
