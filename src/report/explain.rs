//! Explanations: one person's score as a tree (total → section → item → rule), each line with its
//! clause, its points and the record lines behind it. Every node's points are exactly the sum of its
//! children's points, so the printed lines add up to the printed total.

use std::cell::Cell;
use std::path::PathBuf;

use serde::Serialize;

use super::{month_label, score};
use crate::check::Policy;
use crate::check::model::{Expr, ExprKind, FormulaPart, RuleBody};
use crate::eval::plan::{Home, base_for, flat_rules};
use crate::eval::{Origin, Roster, Trace};
use crate::exact::Exact;
use crate::ops::{AggFn, BinOp, Window};

#[derive(Clone, Debug, Serialize)]
pub struct Node {
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// Exact points; `None` for lines that only inform.
    pub points: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
    #[serde(skip)]
    value: Option<Exact>,
}

thread_local! {
    /// Set when a sum of the tree did not fit: the tree is then refused, never shown wrong.
    static INEXACT: Cell<bool> = const { Cell::new(false) };
}

/// Sums of values the evaluation already computed; in a different order a partial sum can still
/// need more digits than tally computes with, and then the tree is refused (see [`Context::tree`]).
fn plus(a: Exact, b: Exact) -> Exact {
    a.checked_add(b).unwrap_or_else(|| {
        INEXACT.with(|f| f.set(true));
        a
    })
}

fn minus(a: Exact, b: Exact) -> Exact {
    a.checked_sub(b).unwrap_or_else(|| {
        INEXACT.with(|f| f.set(true));
        a
    })
}

impl Node {
    fn new(label: impl Into<String>, value: Option<Exact>) -> Self {
        Node {
            label: label.into(),
            clause: None,
            points: value.map(|v| v.plain()),
            records: Vec::new(),
            notes: Vec::new(),
            children: Vec::new(),
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

/// `records/2020-03.csv:4, :17, :22`: consecutive lines of one file folded after the first.
pub fn fold_origins(files: &[PathBuf], origins: &mut Vec<Origin>) -> Vec<String> {
    origins.sort();
    origins.dedup();
    let mut out: Vec<String> = Vec::new();
    let mut last_file = None;
    for o in origins.iter() {
        let file = files
            .get(o.file as usize)
            .map_or(std::path::Path::new(""), |f| f.as_path());
        if last_file == Some(o.file) {
            out.push(crate::sheet_path::next_line(file, o.line));
        } else {
            out.push(crate::sheet_path::place(file, o.line));
            last_file = Some(o.file);
        }
    }
    out
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
                    _ => "missing".to_string(),
                };
                let every = if agg.window == Window::Year {
                    " (year window: the same in every month)"
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
        INEXACT.with(|f| f.set(false));
        let node = match scope {
            Scope::Month(m) => self.month(m),
            Scope::Year => self.year(),
        };
        if INEXACT.with(Cell::get) {
            return Err("the lines of this explanation need more digits than tally computes with, so they cannot be shown exactly; the scores themselves were computed exactly".into());
        }
        Ok(node)
    }

    fn header(&self) -> String {
        let p = &self.roster.people[self.trace.person];
        let dept = self
            .roster
            .departments
            .get(p.department)
            .cloned()
            .unwrap_or_default();
        format!("{} {} ({dept})", p.id, p.name)
    }

    fn month(&self, m: u8) -> Node {
        let idx = usize::from(m.clamp(1, 12)) - 1;
        let result = &self.trace.card.result.months[idx];
        let person = &self.roster.people[self.trace.person];
        let (rules, items) = flat_rules(self.policy);
        let mut root = Node::new(
            format!("{} — {}", self.header(), month_label(self.policy.year, m)),
            Some(result.total.get()),
        );
        let rule_node = |r: usize, outside: bool| -> Option<Node> {
            let rule = rules[r].rule;
            let mut points = Exact::ZERO;
            let mut origins = Vec::new();
            let mut zero = false;
            let mut hit = false;
            for c in self
                .trace
                .contributions
                .iter()
                .filter(|c| c.rule == r && c.month == m && c.outside == outside)
            {
                points = plus(points, c.points);
                zero |= c.zero;
                hit = true;
                origins.push(c.origin);
            }
            for w in self
                .trace
                .card
                .when_hits
                .iter()
                .filter(|w| w.rule == r && w.month == m && w.outside == outside)
            {
                points = plus(points, w.points);
                zero |= w.zero;
                hit = true;
            }
            let capped = self
                .trace
                .card
                .capped
                .iter()
                .find(|(cr, cm, _, _)| *cr == r && *cm == m);
            // A capped rule's sum goes where its points go: outside the item for adjustments
            // and `from total` rules, else into its item.
            let capped_here = capped.is_some()
                && {
                    let from_total = matches!(&rule.body, RuleBody::Per { effects, .. }
                    if effects.iter().any(|e| matches!(e, crate::check::model::Effect::Points { from_total: true, .. })));
                    (rules[r].home == Home::Adjustments || from_total) == outside
                };
            if !hit && !capped_here {
                return None;
            }
            let mut node = Node::new(rule.text.clone(), None);
            node.clause = rule.clause.clone();
            node.records = fold_origins(self.files, &mut origins);
            if let (true, Some((_, _, _, counted))) = (capped_here, capped) {
                points = *counted;
            }
            // A cap that bound: the records' sum, then what the cap took off.
            if let (true, Some((_, _, raw, counted))) = (capped_here, capped.filter(|c| c.2 != c.3))
            {
                let mut records = Node::new(format!("{} record(s)", origins.len()), Some(*raw));
                records.records = std::mem::take(&mut node.records);
                node.children.push(records);
                node.children.push(Node::new(
                    format!(
                        "cap: {} → {} counted",
                        raw.display_places(0),
                        counted.display_places(0)
                    ),
                    Some(minus(*counted, *raw)),
                ));
                points = *counted;
            }
            if zero {
                node.notes.push("zeroes the item".to_string());
            }
            if let RuleBody::When { condition, .. } = &rule.body {
                node.notes.extend(self.values(condition, idx));
                // The rule gave points, so its condition held.
                node.notes.extend(
                    self.put_in(&rule.formula, idx)
                        .map(|c| format!("{c} holds")),
                );
            }
            node.value = Some(points);
            node.points = Some(points.plain());
            Some(node)
        };
        for (s, section) in self.policy.sections.iter().enumerate() {
            let mut snode = Node::new(format!("{} {}", section.id, section.label), None);
            let mut stotal = Exact::ZERO;
            for (flat, &(si, i)) in items.iter().enumerate() {
                if si != s {
                    continue;
                }
                let item = &section.items[i];
                let (Some(score_v), Some(Some(part))) =
                    (result.items.get(flat), self.trace.card.parts[idx].get(flat))
                else {
                    continue;
                };
                let base = &part.base;
                let mut inode = Node::new(
                    format!(
                        "{} {} (budget {})",
                        item.id,
                        item.label,
                        item.budget.normalize()
                    ),
                    Some(score_v),
                );
                let mut bnode = match base_for(item, person).map(|(_, b)| b) {
                    Some(b) => {
                        let mut n = Node::new(format!("base: {}", b.text), Some(*base));
                        n.clause = b.clause.clone();
                        n.notes = self.values(&b.value, idx);
                        n.notes.extend(self.base_formula(&b.formula, idx, *base));
                        n
                    }
                    None => Node::new("base: the budget", Some(*base)),
                };
                bnode.points = Some(base.plain());
                inode.children.push(bnode);
                for (r, rr) in rules.iter().enumerate() {
                    if rr.home != Home::Item(flat) {
                        continue;
                    }
                    if let Some(n) = rule_node(r, false) {
                        inode.children.push(n);
                    }
                }
                // What the clamp did, as the card did it.
                let running = plus(part.base, part.effects);
                let adjust = part.clamp;
                if !adjust.is_zero() {
                    let label = if part.zeroed {
                        "item zeroed".to_string()
                    } else if running.is_negative() {
                        format!("{} → item floor 0", running.display_places(0))
                    } else {
                        format!(
                            "{} → item budget {}",
                            running.display_places(0),
                            item.budget.normalize()
                        )
                    };
                    inode.children.push(Node::new(label, Some(adjust)));
                }
                stotal = plus(stotal, score_v);
                snode.children.push(inode);
            }
            if snode.children.is_empty() {
                continue;
            }
            snode.value = Some(stotal);
            snode.points = Some(stotal.plain());
            root.children.push(snode);
        }
        let mut outside = Node::new(
            "outside the items (from the total, rewards and penalties)",
            Some(result.outside.get()),
        );
        for r in 0..rules.len() {
            if let Some(n) = rule_node(r, true) {
                outside.children.push(n);
            }
        }
        if !result.outside.get().is_zero() || !outside.children.is_empty() {
            root.children.push(outside);
        }
        root.notes.push(format!(
            "published {}",
            score(result.published, self.policy.round_places)
        ));
        for f in &result.flags {
            root.notes.push(format!("flag: {f}"));
        }
        if !result.is_final {
            root.notes.push("not final".to_string());
        }
        root
    }

    fn year(&self) -> Node {
        let result = &self.trace.card.result;
        let annual = &result.annual;
        // The year's line is the published result: the monthly totals, then one line that takes
        // them to it (the annual formula and the rounding), so that the lines add up exactly.
        let mut root = Node::new(
            format!("{} — {}", self.header(), self.policy.year),
            Some(Exact::from_decimal(annual.published)),
        );
        let sum = result
            .months
            .iter()
            .fold(Exact::ZERO, |acc, m| plus(acc, m.total.get()));
        let places = self.policy.round_places;
        let mut months = Node::new("sum of the monthly totals", Some(sum));
        for m in &result.months {
            // The annual formula takes the exact monthly totals, not the published ones.
            let mut label = month_label(self.policy.year, m.month);
            if Exact::from_decimal(m.published) != m.total.get() {
                label.push_str(&format!(" (published {})", score(m.published, places)));
            }
            months.children.push(Node::new(label, Some(m.total.get())));
        }
        root.children.push(months);
        let formula = match &self.policy.annual.kind {
            ExprKind::Binary(BinOp::Div, a, b) => match (&a.kind, &b.kind) {
                (ExprKind::Months(AggFn::Sum), ExprKind::Number(n)) => format!("÷ {n}"),
                _ => "the annual formula".to_string(),
            },
            _ => "the annual formula".to_string(),
        };
        let mut step = Node::new(
            format!(
                "{formula} = {}, published {} ({} to {places} decimals)",
                exact(annual.total, places),
                score(annual.published, places),
                self.policy.rounding.keyword()
            ),
            Some(minus(Exact::from_decimal(annual.published), sum)),
        );
        step.clause = None;
        root.children.push(step);
        let grade = |g: usize| self.policy.grades.get(g).map_or("", |g| g.name.as_str());
        root.notes
            .push(format!("grade by score: {}", grade(annual.grade_by_score)));
        if let Some((cap, month)) = annual.grade_cap {
            let why = self.cap_rule();
            root.notes.push(format!(
                "grade at most {} ({}{}): grade {}",
                grade(cap),
                month_label(self.policy.year, month),
                why,
                grade(annual.grade)
            ));
        }
        for f in &annual.flags {
            root.notes.push(format!("flag: {f}{}", self.flag_rule(f)));
        }
        for m in &result.missing {
            root.notes.push(format!("missing: {m}"));
        }
        if !annual.is_final {
            root.notes.push("not final".to_string());
        }
        root
    }

    /// ", by [2.1]": the clause of the rule that raised the grade cap.
    fn cap_rule(&self) -> String {
        self.trace
            .card
            .cap_rule
            .and_then(|r| self.clause_of(r))
            .map_or_else(String::new, |c| format!(", by [{c}]"))
    }

    /// " (raised by [2.1])": the clause of the rule that first raised the flag for this person.
    fn flag_rule(&self, flag: &str) -> String {
        self.trace
            .card
            .flag_rules
            .iter()
            .find(|(f, _)| f == flag)
            .and_then(|&(_, r)| self.clause_of(r))
            .map_or_else(String::new, |c| format!(" (raised by [{c}])"))
    }

    fn clause_of(&self, r: usize) -> Option<String> {
        let (rules, _) = flat_rules(self.policy);
        rules.get(r)?.rule.clause.clone()
    }
}

/// A value as the text tree shows it: exactly, with at least the policy's decimals, so that the
/// lines add up as printed; a repeating value with its repeat in brackets (`825.(3)`).
fn exact(v: Exact, places: u32) -> String {
    v.display_places(places)
}

/// The tree as indented text: points in a right-aligned column on the left, so that long rule
/// texts never push them out of sight, and the tree to their right.
pub fn render(node: &Node, places: u32) -> String {
    let mut lines: Vec<(String, String)> = Vec::new();
    walk(node, "", "", places, &mut lines);
    let width = lines
        .iter()
        .map(|(_, p)| p.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (label, points) in lines {
        out.push_str(&format!("{points:>width$}  {label}"));
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('\n');
    }
    out
}

fn walk(node: &Node, first: &str, rest: &str, places: u32, lines: &mut Vec<(String, String)>) {
    // Rule and base labels are their source text, citation included.
    let points = node.value.map_or_else(String::new, |v| {
        let s = exact(v, places);
        if v.is_positive() && !first.is_empty() {
            format!("+{s}")
        } else {
            s
        }
    });
    lines.push((format!("{first}{}", node.label), points));
    if !node.records.is_empty() {
        lines.push((
            format!("{rest}    records: {}", node.records.join(", ")),
            String::new(),
        ));
    }
    for n in &node.notes {
        lines.push((format!("{rest}    {n}"), String::new()));
    }
    let count = node.children.len();
    for (i, child) in node.children.iter().enumerate() {
        let last = i + 1 == count;
        let (f, r) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        walk(
            child,
            &format!("{rest}{f}"),
            &format!("{rest}{r}"),
            places,
            lines,
        );
    }
}

/// Every node with children must add up; returns the labels of the ones that do not.
pub fn unbalanced(node: &Node) -> Vec<String> {
    let mut out = Vec::new();
    let with_points: Vec<Exact> = node.children.iter().filter_map(|c| c.value).collect();
    if let Some(v) = node.value {
        if !node.children.is_empty() && with_points.len() == node.children.len() {
            let sum = with_points.iter().fold(Exact::ZERO, |acc, x| plus(acc, *x));
            if sum != v {
                out.push(format!("{}: {} != {}", node.label, v, sum));
            }
        }
    }
    for c in &node.children {
        out.extend(unbalanced(c));
    }
    out
}
