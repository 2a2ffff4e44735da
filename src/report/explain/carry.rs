//! A yearly card's carry in the explanation (§31): under a rule, each record of an earlier year
//! it carried into the card, with the record's date and whether it has been corrected; at the
//! end, the person's earlier records the rule did not carry, corrected before the year.

use super::{Context, Node};
use crate::eval::plan::flat_rules;
use crate::eval::{Carried, fold_origins};

impl Context<'_> {
    /// The records of an earlier year that rule `r` carried into the card.
    pub(super) fn carried_nodes(&self, r: usize) -> Vec<Node> {
        self.trace
            .carried
            .iter()
            .filter(|c| c.counts && c.rule == Some(r))
            .map(|c| {
                let year = c.date.year;
                let date = c.date;
                let state = match c.corrected {
                    None => crate::tr!("not corrected", "尚未整改").to_string(),
                    Some(d) => crate::tr!(
                        format!("corrected {d}: counts through {}", d.year),
                        format!("{d} 整改完毕：计入到 {} 年度为止", d.year)
                    ),
                };
                let mut node = Node::new(
                    crate::tr!(
                        format!("carried from {year} (its record of {date}), {state}"),
                        format!("由 {year} 年顺延（记录日期 {date}），{state}")
                    ),
                    None,
                );
                node.records = fold_origins(self.files, &[c.origin]);
                node.carried_from = Some(date.to_string());
                node
            })
            .collect()
    }

    /// The person's records of earlier years not carried: corrected in a year before the card's,
    /// or of a kind no rule carries, each valid only to the end of the year it ended in.
    pub(super) fn not_carried_node(&self) -> Option<Node> {
        let (rules, _) = flat_rules(self.policy);
        let children: Vec<Node> = self
            .trace
            .carried
            .iter()
            .filter(|c| !c.counts)
            .map(|c| self.not_carried(c, c.rule.and_then(|r| rules.get(r)).map(|r| r.rule)))
            .collect();
        if children.is_empty() {
            return None;
        }
        let mut node = Node::new(
            crate::tr!(
                "records of earlier years not carried: their validity ended before this year",
                "以前年度的记录，不顺延：有效期在本年度之前已结束"
            ),
            None,
        );
        node.children = children;
        Some(node)
    }

    fn not_carried(&self, c: &Carried, rule: Option<&crate::check::model::Rule>) -> Node {
        let date = c.date;
        let label = match (rule, c.corrected) {
            (Some(rule), Some(d)) => crate::tr!(
                format!(
                    "{} — its record of {date}: corrected {d}, valid through {}-12-31",
                    rule.text, d.year
                ),
                format!(
                    "{} — 记录日期 {date}：{d} 整改完毕，有效期到 {}-12-31 为止",
                    rule.text, d.year
                )
            ),
            _ => {
                let kind = self.policy.kinds.get(c.kind);
                let kind = kind.map_or_else(String::new, |k| format!("{} {}", k.id, k.label));
                crate::tr!(
                    format!(
                        "{kind} — its record of {date}: valid through {}-12-31, no rule carries it",
                        date.year
                    ),
                    format!(
                        "{kind} — 记录日期 {date}：有效期到 {}-12-31 为止，没有条款把它顺延",
                        date.year
                    )
                )
            }
        };
        let mut node = Node::new(label, None);
        node.clause = rule.and_then(|r| r.clause.clone());
        node.records = fold_origins(self.files, &[c.origin]);
        node
    }
}
