//! Explanations: one person's score as a tree (total → section → item → rule), each line with its
//! clause, its points and the record lines behind it. Every node's points are exactly the sum of its
//! children's points, so the printed lines add up to the printed total.

use std::path::PathBuf;

use serde::Serialize;

mod balance;
mod card;
mod carry;
mod entries;
mod ledgers;
mod once;
mod ranks;
mod relative;
mod text;
mod year;

use crate::check::Policy;
use crate::check::model::{Expr, FormulaPart};
use crate::eval::plan::flat_rules;
use crate::eval::{Roster, Trace};
use crate::exact::Exact;
use crate::ops::{Period, Window};
pub use text::{render, unbalanced};

#[derive(Clone, Debug, Serialize)]
pub struct Node {
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// Exact points; `None` for lines that only inform.
    pub points: Option<String>,
    /// On a ledger's subtree (§30): the ledger its values are counted in, never added to the
    /// points of the line above it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
    /// A record of an earlier year carried into a yearly card (§31): the record's own date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<String>,
    #[serde(skip)]
    value: Option<Exact>,
}

impl Node {
    fn new(label: impl Into<String>, value: Option<Exact>) -> Self {
        Node {
            label: label.into(),
            clause: None,
            points: value.map(|v| v.plain()),
            ledger: None,
            records: Vec::new(),
            notes: Vec::new(),
            children: Vec::new(),
            carried_from: None,
            value,
        }
    }
}

/// What the tree is about: one month (1..=12) or the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Month(u8),
    Year,
}

pub struct Context<'a> {
    pub policy: &'a Policy,
    pub roster: &'a Roster,
    pub files: &'a [PathBuf],
    pub trace: &'a Trace,
}

impl Context<'_> {
    /// "`sum(personal_leave.days) in year` = 18" for every aggregate the expression reads.
    fn values(&self, e: &Expr, month: usize) -> Vec<String> {
        let mut ids: Vec<usize> = Vec::new();
        for (_, id) in e.aggregates() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids.iter()
            .map(|&id| {
                let agg = &self.policy.aggregates[id];
                let value = match self.trace.aggregates.get(id).and_then(|v| v.get(month)) {
                    Some(Ok(v)) => v.display_places(0),
                    _ => crate::tr!("missing", "缺失").to_string(),
                };
                let every = if agg.window == Window::Year && self.policy.card == Period::Month {
                    crate::tr!(
                        " (year window: the same in every month)",
                        "（按全年统计：每个月都一样）"
                    )
                } else {
                    ""
                };
                format!("`{}` = {value}{every}", agg.text)
            })
            .collect()
    }

    /// A formula or a condition with its values put in (`200 * (0.5 * 92 + 0.5 * 90.5) / 100`),
    /// when it has values and all of them are known.
    fn put_in(&self, parts: &[FormulaPart], month: usize) -> Option<String> {
        let mut text = String::new();
        let mut any = false;
        for part in parts {
            match part {
                FormulaPart::Text(t) => text.push_str(t),
                FormulaPart::Value(id) => {
                    let Some(Ok(v)) = self.trace.aggregates.get(*id).and_then(|v| v.get(month))
                    else {
                        return None;
                    };
                    text.push_str(&v.display_places(0));
                    any = true;
                }
            }
        }
        any.then(|| text.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// A base's formula with its values put in and its result (`= 300 * 92 / 100 = 276`).
    fn base_formula(&self, parts: &[FormulaPart], month: usize, result: Exact) -> Option<String> {
        if parts.len() < 2 {
            // A lone value (`base head_assessed.score`): its line above says it all.
            return None;
        }
        self.put_in(parts, month)
            .map(|text| format!("= {text} = {}", result.display_places(0)))
    }

    /// The tree of a month or the year; an error when its lines cannot be added up exactly.
    pub fn tree(&self, scope: Scope) -> Result<Node, String> {
        if !self.trace.fits {
            return Err(crate::tr!(
                "the lines of this explanation need more digits than tally computes with, so they cannot be shown exactly; the scores themselves were computed exactly",
                "这份说明的各行需要的位数超出了 tally 的计算精度，无法精确列出；分数本身是精确算出的"
            ).into());
        }
        Ok(match scope {
            Scope::Month(m) => self.month(m),
            Scope::Year => self.year(),
        })
    }

    fn header(&self) -> String {
        let p = &self.roster.people[self.trace.person];
        let dept = self
            .roster
            .departments
            .get(p.department)
            .cloned()
            .unwrap_or_default();
        crate::tr!(
            format!("{} {} ({dept})", p.id, p.name),
            format!("{} {}（{dept}）", p.id, p.name)
        )
    }

    /// ", by [2.1]": the clause of the rule that raised the grade cap.
    fn cap_rule(&self) -> String {
        self.by_rule(self.trace.cap_rule)
    }

    /// ", by [2.1]": the clause of a rule, when it cites one.
    fn by_rule(&self, rule: Option<usize>) -> String {
        rule.and_then(|r| self.clause_of(r))
            .map_or_else(String::new, |c| {
                crate::tr!(format!(", by [{c}]"), format!("，依据 [{c}]"))
            })
    }

    /// " (raised by [2.1])": the clause of the rule that first raised the flag for this person.
    fn flag_rule(&self, flag: &str) -> String {
        self.trace
            .flag_rules
            .iter()
            .find(|(f, _)| f == flag)
            .and_then(|&(_, r)| self.clause_of(r))
            .map_or_else(String::new, |c| {
                crate::tr!(format!(" (raised by [{c}])"), format!("（依据 [{c}]）"))
            })
    }

    fn clause_of(&self, r: usize) -> Option<String> {
        let (rules, _) = flat_rules(self.policy);
        rules.get(r)?.rule.clause.clone()
    }
}
