//! A card as a tree: its sections with their items, each item's base and rules with the records
//! behind them, and what caps, clamps and `once` groups did; a month's card with its published
//! score.

use super::super::{period_label, score};
use super::{Context, Node};
use crate::check::model::{Item, Rule, RuleBody};
use crate::eval::fold_origins;
use crate::eval::plan::{Home, flat_rules};
use crate::eval::trace::{ItemTrace, MonthTrace, RuleLine};

impl Context<'_> {
    /// A rule's line: its points, the records behind them, what a cap took off.
    fn rule_node(&self, rule: &Rule, line: &RuleLine, month: usize) -> Node {
        let mut node = Node::new(rule.text.clone(), Some(line.points));
        node.clause = rule.clause.clone();
        let records = fold_origins(self.files, &line.records);
        match line.capped {
            // A cap that bound: the records' sum, then what the cap took off.
            Some((before, removed)) => {
                let mut sum = Node::new(
                    crate::tr!(
                        format!("{} record(s)", line.records.len()),
                        format!("{} 条记录", line.records.len())
                    ),
                    Some(before),
                );
                sum.records = records;
                node.children.push(sum);
                // A rule's own monthly cap is plain `cap`; a cap over a longer period, or one
                // shared with other rules, says which; a guard that did not hold says so.
                let which = match &rule.body {
                    RuleBody::Per { .. } if line.held => crate::tr!(
                        "held back (its `when` does not hold)",
                        "未计入（它的 `when` 条件不成立）"
                    )
                    .to_string(),
                    RuleBody::Per { cap: Some(c), .. } => self
                        .policy
                        .caps
                        .get(*c)
                        .filter(|c| c.name.is_some() || c.period != crate::ops::Period::Month)
                        .map_or_else(|| crate::tr!("cap", "封顶").to_string(), |c| c.describe()),
                    _ => crate::tr!("cap", "封顶").to_string(),
                };
                node.children.push(Node::new(
                    crate::tr!(
                        format!(
                            "{which}: {} → {} counted",
                            before.display_places(0),
                            line.points.display_places(0)
                        ),
                        format!(
                            "{which}：{} → 计入 {}",
                            before.display_places(0),
                            line.points.display_places(0)
                        )
                    ),
                    Some(removed),
                ));
            }
            None => node.records = records,
        }
        for d in &line.dropped {
            node.children.push(self.dropped_node(d));
        }
        node.children.extend(self.carried_nodes(line.rule));
        if line.zeroes {
            node.notes
                .push(crate::tr!("zeroes the item", "本项目清零").to_string());
        }
        if let RuleBody::Per {
            guard: Some(guard), ..
        } = &rule.body
        {
            node.notes.extend(self.values(guard, month));
        }
        // A balance's steps (`valid` on a `when` rule) read the totals of each day they were
        // decided on: the entries below show them, not the year's totals.
        if let RuleBody::When {
            condition,
            validity: None,
            ..
        } = &rule.body
        {
            node.notes.extend(self.values(condition, month));
            // The rule gave points, so its condition held.
            node.notes.extend(
                self.put_in(&rule.formula, month)
                    .map(|c| crate::tr!(format!("{c} holds"), format!("{c} 成立"))),
            );
        }
        node
    }

    /// A record a `once` group did not count: what it would have given, and what counts instead.
    fn dropped_node(&self, d: &crate::eval::Dropped) -> Node {
        let (rules, _) = flat_rules(self.policy);
        let group = self
            .policy
            .onces
            .get(d.group)
            .map_or_else(String::new, |o| o.describe());
        let (winner_rule, winner_origin) = d.winner;
        let clause = rules
            .get(winner_rule)
            .and_then(|r| r.rule.clause.as_ref())
            .map_or_else(String::new, |c| {
                crate::tr!(format!(" of [{c}]"), format!(" [{c}]"))
            });
        let place = fold_origins(self.files, &[winner_origin]).join("");
        let amount = d.points.display_places(0);
        let amount = if d.points.is_positive() {
            format!("+{amount}")
        } else {
            amount
        };
        let amount = super::once::dropped_grade(self.policy, &d.points, d.rule).unwrap_or(amount);
        let why = super::once::why(self.policy, d.rule, winner_rule);
        let mut node = Node::new(
            crate::tr!(
                format!(
                    "{amount} not counted: the same act as {place}{clause}, which counts ({group}){why}"
                ),
                format!(
                    "{amount} 未计入：与 {place}{clause} 是同一件事，以那一条为准（{group}）{why}"
                )
            ),
            None,
        );
        node.records = fold_origins(self.files, &[d.origin]);
        node
    }

    /// An item's line: its base, its rules, what the clamp did.
    fn item_node(&self, item: &Item, flat: usize, part: &ItemTrace, month: usize) -> Node {
        let (rules, _) = flat_rules(self.policy);
        let mut node = Node::new(
            crate::tr!(
                format!(
                    "{} {} (budget {})",
                    item.id,
                    item.label,
                    item.budget.normalize()
                ),
                format!(
                    "{} {}（分值 {}）",
                    item.id,
                    item.label,
                    item.budget.normalize()
                )
            ),
            Some(part.score),
        );
        let base = match part.base_rule.and_then(|b| item.bases.get(b)) {
            Some(b) => {
                let mut n = Node::new(
                    crate::tr!(format!("base: {}", b.text), format!("基础分：{}", b.text)),
                    Some(part.base),
                );
                n.clause = b.clause.clone();
                n.notes = self.values(&b.value, month);
                n.notes
                    .extend(self.base_formula(&b.formula, month, part.base));
                n
            }
            None => Node::new(
                crate::tr!("base: the budget", "基础分：项目分值"),
                Some(part.base),
            ),
        };
        node.children.push(base);
        let lines = self
            .trace
            .months
            .get(self.card_slot(month))
            .map_or(&[][..], |t| &t.rules);
        for line in lines {
            if !line.outside && rules[line.rule].home == Home::Item(flat) {
                node.children
                    .push(self.rule_node(rules[line.rule].rule, line, month));
            }
        }
        if part.relative.is_some() {
            node.children
                .extend(self.relative_nodes(item, flat, part, month));
            return node;
        }
        if !part.clamp.is_zero() {
            let label = if part.zeroed {
                crate::tr!("item zeroed", "项目清零").to_string()
            } else if part.running.is_negative() {
                crate::tr!(
                    format!("{} → item floor 0", part.running.display_places(0)),
                    format!("{} → 项目最低 0 分", part.running.display_places(0))
                )
            } else {
                crate::tr!(
                    format!(
                        "{} → item budget {}",
                        part.running.display_places(0),
                        item.budget.normalize()
                    ),
                    format!(
                        "{} → 项目满分 {}",
                        part.running.display_places(0),
                        item.budget.normalize()
                    )
                )
            };
            node.children.push(Node::new(label, Some(part.clamp)));
        }
        node
    }

    /// Which card month `idx` (0-based) is on: quarterly cards keep quarter `idx / 3` (under its
    /// last month; aggregates read the same in each of its months).
    fn card_slot(&self, idx: usize) -> usize {
        if self.policy.card == crate::ops::Period::Quarter && !self.policy.balance {
            idx / 3
        } else {
            idx
        }
    }

    pub(super) fn month(&self, m: u8) -> Node {
        let idx = usize::from(m.clamp(1, 12)) - 1;
        let slot = self.card_slot(idx);
        let (Some(result), Some(traced)) = (
            self.trace.result.months.get(slot),
            self.trace.months.get(slot),
        ) else {
            return Node::new(self.header(), None);
        };
        let mut root = self.card_node(
            format!("{} — {}", self.header(), period_label(self.policy, m)),
            traced,
            idx,
        );
        root.notes.push(crate::tr!(
            format!(
                "published {}",
                score(result.published, self.policy.round_places)
            ),
            format!("公布 {}", score(result.published, self.policy.round_places))
        ));
        let ledgers = crate::eval::ledger::card_ledgers(self.policy, result);
        self.ledger_notes(&mut root, &ledgers.totals);
        for f in &result.flags {
            root.notes
                .push(crate::tr!(format!("flag: {f}"), format!("备注：{f}")));
        }
        if !result.is_final {
            root.notes
                .push(crate::tr!("not final", "未最终确定").to_string());
        }
        root
    }

    /// A card as a tree: its sections with their items, then what it counts outside the items.
    /// `idx` is the month (0-based) whose values the notes show.
    pub(super) fn section_items(&self, s: usize, traced: &MonthTrace, idx: usize) -> Vec<Node> {
        let (_, items) = flat_rules(self.policy);
        let section = &self.policy.sections[s];
        let mut out = Vec::new();
        for (flat, &(si, i)) in items.iter().enumerate() {
            if si != s {
                continue;
            }
            if let Some(Some(part)) = traced.items.get(flat) {
                out.push(self.item_node(&section.items[i], flat, part, idx));
            }
        }
        out
    }

    pub(super) fn card_node(&self, label: String, traced: &MonthTrace, idx: usize) -> Node {
        let (rules, items) = flat_rules(self.policy);
        let mut root = Node::new(label, Some(traced.total));
        for (s, section) in self.policy.sections.iter().enumerate() {
            // A section booked in a ledger has its own subtree (§30), outside the points.
            if section.ledger.is_some() {
                continue;
            }
            let mut snode = Node::new(
                format!("{} {}", section.id, section.label),
                traced.sections.get(s).copied(),
            );
            for (flat, &(si, i)) in items.iter().enumerate() {
                if si != s {
                    continue;
                }
                if let Some(Some(part)) = traced.items.get(flat) {
                    snode
                        .children
                        .push(self.item_node(&section.items[i], flat, part, idx));
                }
            }
            if !snode.children.is_empty() {
                root.children.push(snode);
            }
        }
        let mut outside = Node::new(
            crate::tr!(
                "outside the items (from the total, rewards and penalties)",
                "项目之外（从总分中扣加、奖惩）"
            ),
            Some(traced.outside),
        );
        for line in traced.rules.iter().filter(|l| l.outside) {
            outside
                .children
                .push(self.rule_node(rules[line.rule].rule, line, idx));
        }
        if !traced.outside.is_zero() || !outside.children.is_empty() {
            root.children.push(outside);
        }
        if self.policy.ledgers.is_empty() {
            return root;
        }
        self.with_ledgers(root, traced, idx)
    }
}
