//! Explanations: one person's score as a tree (total → section → item → rule), each line with its
//! clause, its points and the record lines behind it. Every node's points are exactly the sum of its
//! children's points, so the printed lines add up to the printed total.

use std::path::PathBuf;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{month_label, score};

mod entries;
mod text;

use crate::check::Policy;
use crate::check::model::{Expr, ExprKind, FormulaPart, Item, Rule, RuleBody};
use crate::eval::plan::{Home, flat_rules};
use crate::eval::trace::{ItemTrace, MonthTrace, RuleLine};
use crate::eval::{Roster, Trace, fold_origins};
use crate::exact::Exact;
use crate::ops::{AggFn, BinOp, Period, Window};
use text::exact;
pub use text::{render, unbalanced};

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
        let mut node = Node::new(
            crate::tr!(
                format!(
                    "{amount} not counted: the same act as {place}{clause}, which counts ({group})"
                ),
                format!("{amount} 未计入：与 {place}{clause} 是同一件事，以那一条为准（{group}）")
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
        let lines = &self.trace.months[month].rules;
        for line in lines {
            if !line.outside && rules[line.rule].home == Home::Item(flat) {
                node.children
                    .push(self.rule_node(rules[line.rule].rule, line, month));
            }
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

    fn month(&self, m: u8) -> Node {
        let idx = usize::from(m.clamp(1, 12)) - 1;
        let (Some(result), Some(traced)) = (
            self.trace.result.months.get(idx),
            self.trace.months.get(idx),
        ) else {
            return Node::new(self.header(), None);
        };
        let mut root = self.card_node(
            format!("{} — {}", self.header(), month_label(self.policy.year, m)),
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
    fn card_node(&self, label: String, traced: &MonthTrace, idx: usize) -> Node {
        let (rules, items) = flat_rules(self.policy);
        let mut root = Node::new(label, Some(traced.total));
        for (s, section) in self.policy.sections.iter().enumerate() {
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
        root
    }

    fn year(&self) -> Node {
        let label = format!("{} — {}", self.header(), self.policy.year);
        let balance = self
            .trace
            .reading
            .and_then(|(m, day)| Some((m, day, self.trace.months.get(m)?)));
        let mut root = match (self.policy.card, self.trace.months.first()) {
            // A balance: the card on the reading day, then every entry with its validity.
            _ if balance.is_some() => match balance {
                Some((m, day, card)) => self.balance_year(label, m, day, card),
                None => Node::new(label, None),
            },
            // One card a year: the card itself, then how it is published.
            (Period::Year, Some(card)) => {
                let annual = &self.trace.result.annual;
                let places = self.policy.round_places;
                let mut root = self.card_node(label, card, 0);
                let rounding = self.policy.rounding.keyword();
                match (annual.set_score.as_deref(), &annual.excluded) {
                    // Not evaluated: the exclusion's note (below) says so; nothing is published.
                    (_, Some(_)) => {}
                    (Some(&(_, by_card, month)), None) => root.notes.push(crate::tr!(
                        format!(
                            "published {}: the card gives {} ({rounding} to {places} decimals), and the score is set to {} ({}{})",
                            score(annual.published, places),
                            score(by_card, places),
                            score(annual.published, places),
                            month_label(self.policy.year, month),
                            self.by_rule(self.trace.set_score_rule)
                        ),
                        format!(
                            "公布 {}：记分卡得 {}（{rounding}，保留 {places} 位小数），分数定为 {}（{}{}）",
                            score(annual.published, places),
                            score(by_card, places),
                            score(annual.published, places),
                            month_label(self.policy.year, month),
                            self.by_rule(self.trace.set_score_rule)
                        )
                    )),
                    (None, None) => root.notes.push(crate::tr!(
                        format!(
                            "published {} ({rounding} to {places} decimals)",
                            score(annual.published, places)
                        ),
                        format!(
                            "公布 {}（{rounding}，保留 {places} 位小数）",
                            score(annual.published, places)
                        )
                    )),
                }
                root
            }
            _ => self.year_of_months(label),
        };
        self.year_notes(&mut root);
        root
    }

    /// The year of a balance card: its snapshot on the reading day (as a card), the published
    /// result, and every entry that reaches the person with the days it counts, those counted on
    /// the reading day first.
    fn balance_year(
        &self,
        label: String,
        m: usize,
        day: crate::date::Date,
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
                node.children.push(self.entry_node(w, rr, day, counts));
            }
            if !node.children.is_empty() {
                root.children.push(node);
            }
        }
        root
    }

    /// The year of a policy with monthly cards: the monthly totals, then one line that takes them
    /// to the published result (the annual formula and the rounding), so that the lines add up
    /// exactly.
    fn year_of_months(&self, label: String) -> Node {
        let result = &self.trace.result;
        let annual = &result.annual;
        let mut root = Node::new(label, Some(Exact::from_decimal(annual.published)));
        let places = self.policy.round_places;
        let mut months = Node::new(
            crate::tr!("sum of the monthly totals", "月度总分合计"),
            Some(self.trace.year.months),
        );
        for m in &result.months {
            // The annual formula takes the exact monthly totals, not the published ones.
            let mut label = month_label(self.policy.year, m.month);
            if Exact::from_decimal(m.published) != m.total.get() {
                label.push_str(&crate::tr!(
                    format!(" (published {})", score(m.published, places)),
                    format!("（公布 {}）", score(m.published, places))
                ));
            }
            months.children.push(Node::new(label, Some(m.total.get())));
        }
        root.children.push(months);
        let formula = match &self.policy.annual.kind {
            ExprKind::Binary(BinOp::Div, a, b) => match (&a.kind, &b.kind) {
                (ExprKind::Months(AggFn::Sum), ExprKind::Number(n)) => format!("÷ {n}"),
                _ => crate::tr!("the annual formula", "年度计算公式").to_string(),
            },
            _ => crate::tr!("the annual formula", "年度计算公式").to_string(),
        };
        let (formula_total, by_formula) = annual
            .set_score
            .as_deref()
            .map_or((annual.total, annual.published), |&(t, p, _)| (t, p));
        root.children.push(Node::new(
            crate::tr!(
                format!(
                    "{formula} = {}, published {} ({} to {places} decimals)",
                    exact(formula_total, places),
                    score(by_formula, places),
                    self.policy.rounding.keyword()
                ),
                format!(
                    "{formula} = {}，公布 {}（{}，保留 {places} 位小数）",
                    exact(formula_total, places),
                    score(by_formula, places),
                    self.policy.rounding.keyword()
                )
            ),
            Some(self.trace.year.to_published),
        ));
        if let (Some(&(_, _, month)), Some(set)) =
            (annual.set_score.as_deref(), self.trace.year.set)
        {
            root.children.push(Node::new(
                crate::tr!(
                    format!(
                        "score set to {} ({}{})",
                        score(annual.published, places),
                        month_label(self.policy.year, month),
                        self.by_rule(self.trace.set_score_rule)
                    ),
                    format!(
                        "分数定为 {}（{}{}）",
                        score(annual.published, places),
                        month_label(self.policy.year, month),
                        self.by_rule(self.trace.set_score_rule)
                    )
                ),
                Some(set),
            ));
        }
        root
    }

    /// The year's notes: exclusion, grade by score, grades set and capped, quotas, flags, what is
    /// missing.
    fn year_notes(&self, root: &mut Node) {
        let result = &self.trace.result;
        let annual = &result.annual;
        let grade = |g: usize| self.policy.grades.get(g).map_or("", |g| g.name.as_str());
        if let Some((reason, month)) = annual.excluded.as_deref() {
            root.notes.push(crate::tr!(
                format!(
                    "not evaluated this year: {reason} ({}{}); nothing is published, and no grade given: the lines below are only what the records gave",
                    month_label(self.policy.year, *month),
                    self.by_rule(self.trace.exclude_rule)
                ),
                format!(
                    "本年度不参加考核：{reason}（{}{}）；不公布分数，也不评等次：以下各行只是记录本身的分数",
                    month_label(self.policy.year, *month),
                    self.by_rule(self.trace.exclude_rule)
                )
            ));
        }
        if annual.excluded.is_none() {
            root.notes.push(crate::tr!(
                format!("grade by score: {}", grade(annual.grade_by_score)),
                format!("按分数评定等次：{}", grade(annual.grade_by_score))
            ));
        }
        if let Some((set, month)) = annual.set_grade {
            root.notes.push(crate::tr!(
                format!(
                    "grade set to {} ({}{})",
                    grade(set),
                    month_label(self.policy.year, month),
                    self.by_rule(self.trace.set_grade_rule)
                ),
                crate::lang::spaced(&format!(
                    "等次定为{}（{}{}）",
                    grade(set),
                    month_label(self.policy.year, month),
                    self.by_rule(self.trace.set_grade_rule)
                ))
            ));
        }
        if let Some((cap, month)) = annual.grade_cap {
            let why = self.cap_rule();
            root.notes.push(crate::tr!(
                format!(
                    "grade at most {} ({}{}): grade {}",
                    grade(cap),
                    month_label(self.policy.year, month),
                    why,
                    grade(annual.grade)
                ),
                crate::lang::spaced(&format!(
                    "等次最高为{}（{}{}）：评为{}",
                    grade(cap),
                    month_label(self.policy.year, month),
                    why,
                    grade(annual.grade)
                ))
            ));
        }
        for q in &annual.quota {
            let Some(g) = self.policy.grades.get(q.grade) else {
                continue;
            };
            let share = g.quota.as_ref().map_or(Decimal::ZERO, |x| x.percent);
            let group = if q.group.is_empty() {
                String::new()
            } else {
                crate::tr!(format!(" of {}", q.group), format!("，{} 内", q.group))
            };
            let outcome = if q.kept {
                crate::tr!(
                    format!("within its {} place(s)", q.places),
                    format!("在 {} 个名额之内", q.places)
                )
            } else if q.rank <= q.places {
                // A quota is a maximum: people tied at the cut are all left out.
                crate::tr!(
                    format!(
                        "tied at the cut of its {} place(s), so left out: grade {}",
                        q.places,
                        grade(q.grade + 1)
                    ),
                    crate::lang::spaced(&format!(
                        "在{}个名额的分界处并列，因此都不占名额：评为{}",
                        q.places,
                        grade(q.grade + 1)
                    ))
                )
            } else {
                crate::tr!(
                    format!(
                        "past its {} place(s): grade {}",
                        q.places,
                        grade(q.grade + 1)
                    ),
                    crate::lang::spaced(&format!(
                        "超出{}个名额：评为{}",
                        q.places,
                        grade(q.grade + 1)
                    ))
                )
            };
            root.notes.push(crate::tr!(
                format!(
                    "quota of {} (top {}%{group}, {} people): rank {} of {} by score, {outcome}",
                    g.name,
                    share.normalize(),
                    q.group_size,
                    q.rank,
                    q.holders
                ),
                format!(
                    "{0} 名额（前 {1}%{group}，共 {2} 人）：按分数在 {4} 人中排第 {3} 名，{outcome}",
                    g.name,
                    share.normalize(),
                    q.group_size,
                    q.rank,
                    q.holders
                )
            ));
        }
        for f in &annual.flags {
            root.notes.push(crate::tr!(
                format!("flag: {f}{}", self.flag_rule(f)),
                format!("备注：{f}{}", self.flag_rule(f))
            ));
        }
        for m in &result.missing {
            root.notes
                .push(crate::tr!(format!("missing: {m}"), format!("缺少：{m}")));
        }
        if !annual.is_final {
            root.notes
                .push(crate::tr!("not final", "未最终确定").to_string());
        }
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
