//! The year of a balance card: the card on the reading day, then every entry that reaches the
//! person with the days it is valid on.

use super::super::score;
use super::{Context, Node};
use crate::check::model::{Effect, Rule, RuleBody};
use crate::date::Date;
use crate::eval::plan::flat_rules;
use crate::eval::trace::MonthTrace;
use crate::eval::{EntryWindow, fold_origins};
use crate::exact::Exact;

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
        if annual.excluded.is_none() {
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
                node.children.push(self.entry_line(w, rr.rule, counts, day));
            }
            if !node.children.is_empty() {
                root.children.push(node);
            }
        }
        root
    }

    /// One entry: its clause and kind, its points, whether it is valid on the reading day and the
    /// days it is valid on, and its record.
    fn entry_line(&self, w: &EntryWindow, rule: &Rule, counts: bool, day: Date) -> Node {
        let state = match (counts, w.start > day, w.outranked) {
            (true, _, _) => crate::tr!("valid", "有效"),
            (false, true, _) => crate::tr!("not yet valid", "尚未生效"),
            (false, false, true) => crate::tr!(
                "valid, but a larger one of its `highest per` counts,",
                "有效，但按 `highest per` 计入的是更大的一笔，"
            ),
            (false, false, false) => crate::tr!("expired", "已过期"),
        };
        let repeat = w.repeat.map_or(String::new(), |f| {
            crate::tr!(
                format!(", a repeat counted × {}", f.normalize()),
                format!("，重复计 × {}", f.normalize())
            )
        });
        let what = match &rule.body {
            RuleBody::Per { events, .. } => events
                .iter()
                .filter_map(|e| self.policy.kinds.get(e.kind).map(|k| k.id.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            RuleBody::When { .. } => String::new(),
        };
        let clause = rule
            .clause
            .as_ref()
            .map_or(String::new(), |c| format!("[{c}] "));
        // The points it gives, when it gives any (a direct grade gives none).
        let gives_points = match &rule.body {
            RuleBody::Per { effects, .. } => {
                effects.iter().any(|e| matches!(e, Effect::Points { .. }))
            }
            RuleBody::When { .. } => false,
        };
        let points = match (gives_points, w.points > Exact::ZERO) {
            (false, _) => String::new(),
            (true, true) => format!(" +{}", w.points.display_places(0)),
            (true, false) => format!(" {}", w.points.display_places(0)),
        };
        let days = match w.last {
            Some(last) => crate::tr!(
                format!("{} to {last}", w.start),
                format!("{} 至 {last}", w.start)
            ),
            None => crate::tr!(
                format!("from {}, while the fault continues", w.start),
                format!("自 {} 起，整改完成前一直有效", w.start)
            ),
        };
        let mut line = Node::new(
            crate::tr!(
                format!("{clause}{what}{points}: {state} {days}{repeat}"),
                format!("{clause}{what}{points}：{state} {days}{repeat}")
            ),
            None,
        );
        line.records = fold_origins(self.files, &[w.origin]);
        line
    }
}
