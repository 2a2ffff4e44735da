//! The year's tree: the year's card or the monthly totals taken to the published result, and the
//! notes on how the year was published, graded and held to its quotas.

use rust_decimal::Decimal;

use super::super::{period_label, score};
use super::text::exact;
use super::{Context, Node};
use crate::check::model::ExprKind;
use crate::eval::outcome::QuotaNote;
use crate::exact::Exact;
use crate::ops::{AggFn, BinOp, Period};

impl Context<'_> {
    pub(super) fn year(&self) -> Node {
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
                root.children.extend(self.not_carried_node());
                let rounding = self.policy.rounding.keyword();
                match (annual.set_score.as_deref(), &annual.excluded) {
                    // Not evaluated: the exclusion's note (below) says so; nothing is published.
                    (_, Some(_)) => {}
                    (Some(&(_, by_card, month)), None) => root.notes.push(crate::tr!(
                        format!(
                            "published {}: the card gives {} ({rounding} to {places} decimals), and the score is set to {}{} ({}{})",
                            score(annual.published, places),
                            score(by_card, places),
                            score(annual.published, places),
                            super::once::demotion(self.policy, self.trace.set_score_rule),
                            period_label(self.policy, month),
                            self.by_rule(self.trace.set_score_rule)
                        ),
                        format!(
                            "公布 {}：记分卡得 {}（{rounding}，保留 {places} 位小数），分数定为 {}{}（{}{}）",
                            score(annual.published, places),
                            score(by_card, places),
                            score(annual.published, places),
                            super::once::demotion(self.policy, self.trace.set_score_rule),
                            period_label(self.policy, month),
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
                if annual.excluded.is_none() {
                    let sums = crate::eval::ledger::year_ledgers(self.policy, &self.trace.result);
                    self.ledger_notes(&mut root, &sums);
                }
                root
            }
            // With ledgers (§30): the points' year beside each ledger's sum of the cards.
            _ if !self.policy.ledgers.is_empty() => {
                let points = self.year_of_months(label);
                self.year_with_ledgers(points)
            }
            _ => self.year_of_months(label),
        };
        self.year_notes(&mut root);
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
        let sum_label = if self.policy.card == Period::Quarter {
            crate::tr!("sum of the quarterly totals", "季度总分合计")
        } else {
            crate::tr!("sum of the monthly totals", "月度总分合计")
        };
        let mut months = Node::new(sum_label, Some(self.trace.year.months));
        for m in &result.months {
            // The annual formula takes the exact monthly totals, not the published ones.
            let mut label = period_label(self.policy, m.month);
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
        // What the formula gave, before a score set by a rule or a rank's change replaced it.
        let (formula_total, by_formula) = match (annual.set_score.as_deref(), &annual.before_ranks)
        {
            (Some(&(t, p, _)), _) => (t, p),
            (None, Some(before)) => **before,
            (None, None) => (annual.total, annual.published),
        };
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
                        "score set to {}{} ({}{})",
                        score(annual.published, places),
                        super::once::demotion(self.policy, self.trace.set_score_rule),
                        period_label(self.policy, month),
                        self.by_rule(self.trace.set_score_rule)
                    ),
                    format!(
                        "分数定为 {}{}（{}{}）",
                        score(annual.published, places),
                        super::once::demotion(self.policy, self.trace.set_score_rule),
                        period_label(self.policy, month),
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
                    period_label(self.policy, *month),
                    self.by_rule(self.trace.exclude_rule)
                ),
                format!(
                    "本年度不参加考核：{reason}（{}{}）；不公布分数，也不评等次：以下各行只是记录本身的分数",
                    period_label(self.policy, *month),
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
                    period_label(self.policy, month),
                    self.by_rule(self.trace.set_grade_rule)
                ),
                crate::lang::spaced(&format!(
                    "等次定为{}（{}{}）",
                    grade(set),
                    period_label(self.policy, month),
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
                    period_label(self.policy, month),
                    why,
                    grade(annual.grade)
                ),
                crate::lang::spaced(&format!(
                    "等次最高为{}（{}{}）：评为{}",
                    grade(cap),
                    period_label(self.policy, month),
                    why,
                    grade(annual.grade)
                ))
            ));
        }
        root.notes
            .extend(annual.quota.iter().filter_map(|q| self.quota_note(q)));
        root.notes
            .extend(annual.ranks.iter().filter_map(|n| self.rank_note(n)));
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

    /// A quota's note: the person's rank among those who reached its grade, and whether they kept
    /// a place.
    fn quota_note(&self, q: &QuotaNote) -> Option<String> {
        let grade = |g: usize| self.policy.grades.get(g).map_or("", |g| g.name.as_str());
        let g = self.policy.grades.get(q.grade)?;
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
        Some(crate::tr!(
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
        ))
    }
}
