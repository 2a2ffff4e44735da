//! The year of a balance card: the card on the reading day, then every entry that reaches the
//! person with the days it is valid on.

use super::super::score;
use super::{Context, Node};
use crate::date::Date;
use crate::eval::plan::flat_rules;
use crate::eval::trace::MonthTrace;

impl Context<'_> {
    /// The year of a balance card: its snapshot on the reading day (as a card), the published
    /// result, and every entry that reaches the person with the days it counts, those counted on
    /// the reading day first.
    pub(super) fn balance_year(
        &self,
        label: String,
        m: usize,
        day: Date,
        card: &MonthTrace,
    ) -> Node {
        let annual = &self.trace.result.annual;
        let places = self.policy.round_places;
        let mut root = self.card_node(
            crate::tr!(
                format!("{label}: the balance on {day}"),
                format!("{label}：{day} 的余额")
            ),
            card,
            m,
        );
        if let (None, Some(&(_, by_card, month))) = (&annual.excluded, annual.set_score.as_deref())
        {
            let set = super::once::demotion(self.policy, self.trace.set_score_rule);
            let when = super::super::month_label(self.policy.year, month);
            let by = self.by_rule(self.trace.set_score_rule);
            let (published, read) = (score(annual.published, places), score(by_card, places));
            root.notes.push(crate::tr!(
                format!(
                    "published {published}: the balance reads {read}, and the score is set to {published}{set} ({when}{by})"
                ),
                format!("公布 {published}：余额为 {read}，分数定为 {published}{set}（{when}{by}）")
            ));
        } else if annual.excluded.is_none() {
            root.notes.push(crate::tr!(
                format!(
                    "published {} ({} to {places} decimals)",
                    score(annual.published, places),
                    self.policy.rounding.keyword()
                ),
                format!(
                    "公布 {}（{}，保留 {places} 位小数）",
                    score(annual.published, places),
                    self.policy.rounding.keyword()
                )
            ));
        }
        let (rules, _) = flat_rules(self.policy);
        for counts in [true, false] {
            let title = if counts {
                crate::tr!(
                    format!("entries counted on {day}"),
                    format!("{day} 计入的分")
                )
            } else {
                crate::tr!(
                    format!("entries not counted on {day}"),
                    format!("{day} 不计入的分")
                )
            };
            let mut node = Node::new(title, None);
            for w in self.trace.windows.iter().filter(|w| w.counts == counts) {
                let Some(rr) = rules.get(w.rule) else {
                    continue;
                };
                node.children.push(self.entry_node(w, rr, day, counts));
            }
            if !node.children.is_empty() {
                root.children.push(node);
            }
        }
        root
    }
}
