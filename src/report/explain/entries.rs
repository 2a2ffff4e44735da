//! The entries of a balance card's year, as `tally explain` lists them: each with its window,
//! whether it counts on the reading day and why not, and what a repeat, a cap over a year or a
//! `once` act did to it.

use super::*;
use crate::check::model::RuleBody;
use crate::eval::plan::RuleRef;
use crate::eval::{EntryWindow, fold_origins};

impl Context<'_> {
    /// One entry's line, with its record.
    pub(super) fn entry_node(
        &self,
        w: &EntryWindow,
        rr: &RuleRef<'_>,
        day: crate::date::Date,
        counts: bool,
    ) -> Node {
        let state = self.entry_state(w, rr, day, counts);
        let repeat = w.repeat.map_or(String::new(), |f| {
            crate::tr!(
                format!(", a repeat counted × {}", f.normalize()),
                format!("，重复计 × {}", f.normalize())
            )
        });
        // What a cap over a year took off the entry: `cap `donations` (40 in year): 15 → 5`.
        let capped = match (&rr.rule.body, w.capped) {
            (RuleBody::Per { cap: Some(c), .. }, Some(before)) => {
                let cap = self
                    .policy
                    .caps
                    .get(*c)
                    .map_or_else(String::new, |c| c.describe());
                let (before, after) = (before.display_places(0), w.points.display_places(0));
                crate::tr!(
                    format!(", {cap}: {before} → {after} counted"),
                    format!("，{cap}：{before} → 计入 {after}")
                )
            }
            _ => String::new(),
        };
        let what = self.entry_what(rr);
        let clause = rr
            .rule
            .clause
            .as_ref()
            .map_or(String::new(), |c| format!("[{c}] "));
        // The points it gives, when it gives any (a direct grade gives none).
        let (RuleBody::Per { effects, .. } | RuleBody::When { effects, .. }) = &rr.rule.body;
        let gives_points = effects
            .iter()
            .any(|e| matches!(e, crate::check::model::Effect::Points { .. }));
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
        let ended = super::once::ended(self.policy, w);
        let mut line = Node::new(
            crate::tr!(
                format!("{clause}{what}{points}: {state} {days}{repeat}{capped}{ended}"),
                format!("{clause}{what}{points}：{state} {days}{repeat}{capped}{ended}")
            ),
            None,
        );
        line.records = fold_origins(self.files, &[w.origin]);
        line
    }

    /// What an entry is of: its rule's record kinds, or for a step the sums and counts it read.
    fn entry_what(&self, rr: &RuleRef<'_>) -> String {
        match &rr.rule.body {
            RuleBody::Per { events, .. } => events
                .iter()
                .filter_map(|e| self.policy.kinds.get(e.kind).map(|k| k.id.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            // A step: the sums and counts it read.
            RuleBody::When { .. } => rr
                .rule
                .formula
                .iter()
                .filter_map(|f| match f {
                    crate::check::model::FormulaPart::Value(id) => {
                        self.policy.aggregates.get(*id).map(|a| a.text.as_str())
                    }
                    crate::check::model::FormulaPart::Text(_) => None,
                })
                .fold(Vec::new(), |mut seen: Vec<&str>, t| {
                    if !seen.contains(&t) {
                        seen.push(t);
                    }
                    seen
                })
                .join(", "),
        }
    }

    /// Whether an entry counts on the reading day, and why not.
    fn entry_state(
        &self,
        w: &EntryWindow,
        rr: &RuleRef<'_>,
        day: crate::date::Date,
        counts: bool,
    ) -> String {
        let dropped = self.dropped_state(w).or_else(|| self.frozen_state(w));
        let state = match (counts, w.start > day, w.outranked) {
            (true, _, _) => crate::tr!("valid", "有效"),
            (false, true, _) => crate::tr!("not yet valid", "尚未生效"),
            (false, false, true) if matches!(rr.rule.body, RuleBody::When { .. }) => {
                crate::tr!(
                    "valid, but a higher step of the same year counts,",
                    "有效，但计入的是同一年更高的一档，"
                )
            }
            (false, false, true) => crate::tr!(
                "valid, but a larger one of its `highest per` counts,",
                "有效，但按 `highest per` 计入的是更大的一笔，"
            ),
            (false, false, false) => crate::tr!("expired", "已过期"),
        };
        dropped.unwrap_or_else(|| state.to_string())
    }

    /// An entry valid on the reading day that a `freeze` of its block holds back (第十七条): the
    /// rule and record that freeze it.
    fn frozen_state(&self, w: &EntryWindow) -> Option<String> {
        let (rule, origin) = w.frozen?;
        let (rules, _) = flat_rules(self.policy);
        let clause = rules
            .get(rule)
            .and_then(|r| r.rule.clause.as_ref())
            .map_or_else(String::new, |c| {
                crate::tr!(format!(" of [{c}]"), format!(" [{c}]"))
            });
        let place = fold_origins(self.files, &[origin]).join("");
        Some(crate::tr!(
            format!(
                "valid, but held back: {place}{clause} freezes its block on this day; its window"
            ),
            format!("有效，但被冻结：{place}{clause} 在这一天冻结它所在的奖惩块；有效期")
        ))
    }

    /// A `once` act's record that another record of the act counts for, on a balance card: which
    /// record counts instead, and the group.
    fn dropped_state(&self, w: &EntryWindow) -> Option<String> {
        let (group, rule, origin) = w.dropped?;
        let (rules, _) = flat_rules(self.policy);
        let group = self
            .policy
            .onces
            .get(group)
            .map_or_else(String::new, |o| o.describe());
        let clause = rules
            .get(rule)
            .and_then(|r| r.rule.clause.as_ref())
            .map_or_else(String::new, |c| {
                crate::tr!(format!(" of [{c}]"), format!(" [{c}]"))
            });
        let place = fold_origins(self.files, &[origin]).join("");
        let why = super::once::why(self.policy, w.rule, rule);
        Some(crate::tr!(
            format!(
                "not counted: the same act as {place}{clause} counts ({group}){why}; its window"
            ),
            format!("未计入：与 {place}{clause} 是同一件事，以那一条为准（{group}）{why}；有效期")
        ))
    }
}
