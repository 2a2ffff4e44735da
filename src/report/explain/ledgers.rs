//! A card's ledgers as trees (§30): on a policy with ledgers the card has a subtree for its
//! points and one per ledger, each summing exactly: a ledger's sections with their items, then
//! the values derived from the card's total.

use super::{Context, Node};
use crate::eval::ledger::ledgers_of;
use crate::eval::trace::MonthTrace;

impl Context<'_> {
    /// The card's points tree beside one tree per ledger, under the card's label.
    pub(super) fn with_ledgers(&self, points: Node, traced: &MonthTrace, idx: usize) -> Node {
        let policy = self.policy;
        let mut card = Node::new(points.label.clone(), None);
        let mut points = points;
        points.label = crate::tr!("points", "分数").to_string();
        card.children.push(points);
        let values = ledgers_of(policy, traced.total, |flat| {
            traced.items.get(flat).copied().flatten().map(|p| p.score)
        });
        for (l, ledger) in policy.ledgers.iter().enumerate() {
            let total = values.totals.get(l).copied().flatten();
            let mut node = Node::new(format!("{} ({})", ledger.id, ledger.unit), total);
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
}
