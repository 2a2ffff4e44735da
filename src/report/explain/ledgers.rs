//! A card's ledgers as trees (§30): on a policy with ledgers the card has a subtree for its
//! points and one per ledger, each summing exactly: a ledger's sections with their items, then
//! the values derived from the card's total.

use super::{Context, Node};
use crate::eval::ledger::{card_ledgers, ledgers_of, year_ledgers};
use crate::eval::trace::MonthTrace;
use crate::exact::Exact;

impl Context<'_> {
    /// The card's points tree beside one tree per ledger, under the card's label.
    pub(super) fn with_ledgers(&self, points: Node, traced: &MonthTrace, idx: usize) -> Node {
        let policy = self.policy;
        // The top line is the card's points; each ledger's value is a line of its own below it.
        let mut card = Node::new(points.label.clone(), points.value);
        let mut points = points;
        points.label = crate::tr!("points", "分数").to_string();
        card.children.push(points);
        let values = ledgers_of(policy, traced.total, |flat| {
            traced.items.get(flat).copied().flatten().map(|p| p.score)
        });
        for (l, ledger) in policy.ledgers.iter().enumerate() {
            let total = values.totals.get(l).copied().flatten();
            let mut node = Node::new(format!("{} ({})", ledger.id, ledger.unit), total);
            node.ledger = Some(ledger.id.clone());
            for (s, section) in policy.sections.iter().enumerate() {
                if section.ledger != Some(l) {
                    continue;
                }
                let mut snode = Node::new(
                    format!("{} {}", section.id, section.label),
                    traced.sections.get(s).copied(),
                );
                snode.children = self.section_items(s, traced, idx);
                if !snode.children.is_empty() {
                    node.children.push(snode);
                }
            }
            for (d, derive) in policy.derives.iter().enumerate() {
                if derive.ledger != l {
                    continue;
                }
                node.children.push(Node::new(
                    format!("{} {} = {}", derive.id, derive.label, derive.text),
                    values.derived.get(d).copied(),
                ));
            }
            card.children.push(node);
        }
        card
    }

    /// The year of monthly or quarterly cards: the points' year beside each ledger, whose year is
    /// the sum of its cards, one line a card.
    pub(super) fn year_with_ledgers(&self, points: Node) -> Node {
        let policy = self.policy;
        let result = &self.trace.result;
        let mut year = Node::new(points.label.clone(), points.value);
        let mut points = points;
        points.label = crate::tr!("points", "分数").to_string();
        year.children.push(points);
        let sums = year_ledgers(policy, result);
        if result.annual.excluded.is_none() {
            self.ledger_notes(&mut year, &sums);
        }
        let cards: Vec<_> = crate::eval::ledger::cards(result)
            .into_iter()
            .map(|m| (m.month, card_ledgers(policy, m).totals))
            .collect();
        for (l, ledger) in policy.ledgers.iter().enumerate() {
            let mut node = Node::new(
                crate::tr!(
                    format!("{} ({}), the sum of the cards", ledger.id, ledger.unit),
                    format!("{}（{}），各卡之和", ledger.id, ledger.unit)
                ),
                sums.get(l).copied().flatten(),
            );
            node.ledger = Some(ledger.id.clone());
            for (month, values) in &cards {
                node.children.push(Node::new(
                    crate::report::card_label(policy, *month),
                    values.get(l).copied().flatten(),
                ));
            }
            year.children.push(node);
        }
        year
    }

    /// Each ledger's value as published, a line each under the top line: `money: 3050.00 元`.
    pub(super) fn ledger_notes(&self, node: &mut Node, values: &[Option<Exact>]) {
        let policy = self.policy;
        for (ledger, v) in policy.ledgers.iter().zip(values) {
            let shown = crate::report::ledgers::shown(policy, *v);
            node.notes.push(crate::tr!(
                format!("{}: {shown} {}", ledger.id, ledger.unit),
                format!("{}：{shown} {}", ledger.id, ledger.unit)
            ));
        }
    }
}
