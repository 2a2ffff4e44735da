//! The notes of a person's places under the policy's ranks (`rank standing "村内名次" of village`):
//! the place, the group and its size, what the person is ranked by, and the group's best with who
//! has it.

use super::Context;
use crate::check::model::RankGives;
use crate::eval::outcome::RankNote;
use crate::exact::Exact;

impl Context<'_> {
    /// "rank `standing` 村内名次 (village 东山, 6 people), by published result: 2 of 6; the best
    /// 1073.50 (R05 陈静)".
    pub(super) fn rank_note(&self, n: &RankNote) -> Option<String> {
        let rank = self.policy.ranks.get(n.rank)?;
        let by_result = rank.by.is_none();
        let shown = |v: Exact| match v.to_decimal() {
            Some(d) if by_result => crate::report::score(d, self.policy.round_places),
            _ => v.plain(),
        };
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
        let (by, by_zh) = match rank.by.as_ref().map(|_| &rank.by_text) {
            None => ("by published result".to_string(), "按公布得分".to_string()),
            Some(e) => {
                let order = if rank.lowest { "lowest" } else { "highest" };
                let order_zh = if rank.lowest {
                    "从低到高"
                } else {
                    "从高到低"
                };
                let value = n.value.map_or_else(|| "-".to_string(), shown);
                (
                    format!("by {order} {} = {value}", e),
                    format!("按 {} {order_zh}（本人 {value}）", e),
                )
            }
        };
        let best = n.best.map_or_else(String::new, |b| {
            crate::tr!(
                format!("; the best {} ({who})", shown(b)),
                format!("；最好 {}（{who}）", shown(b))
            )
        });
        let place = match n.place {
            Some(p) => crate::tr!(format!("{p} of {}", n.group_size), format!("第 {p} 名")),
            None => crate::tr!(
                "no place: a value it reads has no record",
                "没有名次：依据的值没有记录"
            )
            .to_string(),
        };
        let places = self.policy.round_places;
        let gave = n.gave.map_or_else(String::new, |(before, after)| {
            let (before, after) = (
                crate::report::score(before, places),
                crate::report::score(after, places),
            );
            match &rank.gives {
                Some(RankGives::Scaled(x)) => crate::tr!(
                    format!("; scaled, result ÷ best × {x}: {before} → {after}"),
                    format!("；按 得分 ÷ 最高分 × {x} 折算：{before} → {after}")
                ),
                _ => crate::tr!(
                    format!("; points by place: {before} → {after}"),
                    format!("；名次加减分：{before} → {after}")
                ),
            }
        });
        Some(crate::tr!(
            format!(
                "rank `{}` {} ({group}, {} people), {by}: {place}{best}{gave}",
                rank.id, rank.label, n.group_size
            ),
            format!(
                "排名 `{}` {}（{group}，共 {} 人），{by_zh}：{place}{best}{gave}",
                rank.id, rank.label, n.group_size
            )
        ))
    }
}
