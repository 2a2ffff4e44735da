//! The bounds of each rule: its amounts for one record, the parts it adds to its item or outside
//! it in a month and over the year, and the values it computes (for the overflow claim).

use super::*;

impl Analysis<'_> {
    /// The range of a rule's amount for one record (its `per` field's value multiplied in).
    pub(super) fn per_multiplier(&self, body: &RuleBody) -> (Vec<KindId>, Iv) {
        let RuleBody::Per { events, .. } = body else {
            return (Vec::new(), Iv::point(Exact::ONE));
        };
        let kinds: Vec<KindId> = events.iter().map(|e| e.kind).collect();
        let mut factor: Option<Iv> = None;
        for e in events {
            let f = match e.per_field {
                None => Iv::point(Exact::ONE),
                Some(f) => self
                    .policy
                    .kinds
                    .get(e.kind)
                    .and_then(|k| k.fields.get(f))
                    .map_or(Iv::ANY, |f| value::declared(&f.ty)),
            };
            factor = Some(factor.map_or(f, |x| x.hull(f)));
        }
        (kinds, factor.unwrap_or(Iv::point(Exact::ONE)))
    }

    /// Each amount of a rule (for one record, or once for a `when` rule), and whether it is taken
    /// `from total`.
    pub(super) fn amounts(&self, rule: &Rule) -> Vec<(bool, Iv)> {
        let (kinds, factor) = self.per_multiplier(&rule.body);
        let (RuleBody::Per { effects, .. } | RuleBody::When { effects, .. }) = &rule.body;
        // A `when` rule's amount is read only where its condition holds.
        let mut narrow = Vec::new();
        if let RuleBody::When { condition, .. } = &rule.body {
            value::narrowed(condition, &mut narrow);
        }
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Points {
                    amount, from_total, ..
                } => {
                    let v = value::value_where(self.policy, amount, &kinds, None, &narrow);
                    let v = match rule.body {
                        RuleBody::Per { .. } => v.mul(factor),
                        RuleBody::When { .. } => v,
                    };
                    Some((*from_total, v))
                }
                _ => None,
            })
            .collect()
    }

    pub(super) fn sides_of_caps(&self) -> Vec<(bool, bool)> {
        let mut sides = vec![(false, false); self.policy.caps.len()];
        for rule in self.all_rules() {
            if let RuleBody::Per { cap: Some(c), .. } = &rule.body {
                let raw = self
                    .amounts(rule)
                    .into_iter()
                    .fold(Iv::point(Exact::ZERO), |acc, (_, v)| acc.add(v));
                if let Some(s) = sides.get_mut(*c) {
                    s.0 |= raw.can_be_negative();
                    s.1 |= raw.can_be_positive();
                }
            }
        }
        sides
    }

    /// On a balance card, how many years' entries of the rules under cap `c` (a cap over a year)
    /// one reading can hold: the calendar years an entry valid on one day can be dated in. `None`
    /// when there is no such bound (an entry `valid … from FIELD` lasts while its fault does).
    pub(super) fn reading_years(&self, c: CapId) -> Option<i64> {
        let mut most = 1;
        for rule in self.all_rules() {
            let RuleBody::Per {
                cap: Some(rc),
                validity,
                ..
            } = &rule.body
            else {
                continue;
            };
            // Without `valid` an entry lasts until its year ends: one year.
            let Some(v) = validity.as_ref().filter(|_| *rc == c) else {
                continue;
            };
            most = most.max(validity_years(v)?);
        }
        Some(most)
    }

    pub(super) fn all_rules(&self) -> impl Iterator<Item = &Rule> {
        self.policy
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .flat_map(|i| &i.rules)
            .chain(self.policy.adjustments.iter().flat_map(|a| &a.rules))
    }

    /// [`Analysis::rule`], computed once a rule.
    pub(super) fn rule_once(
        &mut self,
        rule: &Rule,
        in_item: bool,
        raised: &mut Raised,
    ) -> Vec<Part> {
        let key = std::ptr::from_ref(rule) as usize;
        if let Some((parts, r)) = self.rules.get(&key) {
            raised.absorb(r.clone());
            return parts.clone();
        }
        let mut r = Raised::default();
        let parts = self.rule(rule, in_item, &mut r);
        raised.absorb(r.clone());
        self.rules.insert(key, (parts.clone(), r));
        parts
    }

    /// A rule's points for one person, and what else it raises.
    pub(super) fn rule(&mut self, rule: &Rule, in_item: bool, raised: &mut Raised) -> Vec<Part> {
        let card = self.policy.card;
        let mut parts = Vec::new();
        let (RuleBody::Per { effects, .. } | RuleBody::When { effects, .. }) = &rule.body;
        for e in effects {
            match e {
                Effect::Zero if in_item => raised.zero = true,
                Effect::SetScore(n) => raised.scores.push((Exact::from_decimal(*n), cited(rule))),
                Effect::SetGrade(g) => raised.grades.push((*g, cited(rule))),
                Effect::GradeCap(g) => raised.caps.push((*g, cited(rule))),
                Effect::Demote { grade, floor } => {
                    raised.caps.push((*grade, cited(rule)));
                    raised
                        .scores
                        .push((Exact::from_decimal(*floor), cited(rule)));
                }
                Effect::Exclude(_) => raised.excluded.push(cited(rule)),
                _ => {}
            }
        }
        let amounts = self.amounts(rule);
        match &rule.body {
            RuleBody::Per { cap: Some(c), .. } => {
                parts.extend(self.capped(rule, *c, &amounts, in_item));
            }
            RuleBody::Per { guard, .. } => {
                // A guarded rule's points are held or counted together: all outside the item
                // when any of its amounts is taken `from total`.
                let all_out = guard.is_some() && rule.body.from_total();
                for (from_total, v) in amounts {
                    let why = crate::tr!(
                        format!("`{}`: any number of records count, and no cap", rule.text),
                        format!("`{}`：记录多少条都算，又没有封顶", rule.text)
                    );
                    let r = Range {
                        lo: if v.can_be_negative() {
                            End::Open(why.clone())
                        } else {
                            End::At(Exact::ZERO)
                        },
                        hi: if v.can_be_positive() {
                            End::Open(why)
                        } else {
                            End::At(Exact::ZERO)
                        },
                    };
                    parts.push(Part {
                        outside: !in_item || from_total || all_out,
                        month: r.clone(),
                        year: r,
                        group: None,
                    });
                }
            }
            RuleBody::When { validity, .. } => {
                // A balance's steps: one entry of each year whose entries can be valid on a day.
                let years = match validity {
                    Some(v) if self.policy.balance => validity_years(v).unwrap_or(1),
                    _ => 1,
                };
                for (from_total, v) in amounts {
                    let once = Range::of(v.with_zero(), |side| {
                        crate::tr!(
                            format!("`{}`: its amount has no {side} bound", rule.text),
                            format!("`{}`：分值没有{}限", rule.text, zh_side(side))
                        )
                    });
                    let year = match card {
                        Period::Month | Period::Quarter => once.times(super::card::periods(card)),
                        _ => once.clone(),
                    };
                    parts.push(Part {
                        outside: !in_item || from_total,
                        month: once.times(years),
                        year,
                        group: None,
                    });
                }
            }
        }
        parts
    }

    /// A capped `per` rule's one part: what it can take the cap's running total by, a month and
    /// over the year.
    fn capped(&self, rule: &Rule, c: CapId, amounts: &[(bool, Iv)], in_item: bool) -> Option<Part> {
        let cap = self.policy.caps.get(c)?;
        let limit = Exact::from_decimal(cap.limit);
        let raw = amounts
            .iter()
            .fold(Iv::point(Exact::ZERO), |acc, (_, v)| acc.add(*v));
        let (neg, pos) = self.cap_sides.get(c).copied().unwrap_or((true, true));
        let one_side = !(neg && pos);
        // What one rule counts in a month: it takes the cap's running total from where it
        // was towards its side, at most across the whole cap when rules take both sides.
        let step = if one_side {
            Some(limit)
        } else {
            limit.checked_add(limit)
        }?;
        let side = |can: bool, x: Exact| if can { x } else { Exact::ZERO };
        let month = Range {
            lo: End::At(side(raw.can_be_negative(), negate(step))),
            hi: End::At(side(raw.can_be_positive(), step)),
        };
        // On a balance card a cap over a year holds each year's entries: one reading holds
        // those of every year whose entries can still be valid on its day.
        let balance_years = self.policy.balance && cap.period == Period::Year;
        let (month, one_side) = match (balance_years, self.reading_years(c)) {
            (false, _) => (month, one_side),
            (true, Some(k)) => (month.times(k), one_side),
            (true, None) => {
                let why = crate::tr!(
                    format!(
                        "`{}`: a cap over a year, and entries of any number of years valid on one day",
                        rule.text
                    ),
                    format!(
                        "`{}`：按年封顶，但同一天可能有任意多年的分仍然有效",
                        rule.text
                    )
                );
                let open = |can: bool| {
                    if can {
                        End::Open(why.clone())
                    } else {
                        End::At(Exact::ZERO)
                    }
                };
                let month = Range {
                    lo: open(raw.can_be_negative()),
                    hi: open(raw.can_be_positive()),
                };
                (month, false)
            }
        };
        // Over the year: the cap once a period, or twelve months of the most a month.
        let year = month.times(if one_side { periods(cap.period) } else { 12 });
        // On a quarter's card a monthly cap counts in each of its three months.
        let month = if self.policy.card == Period::Quarter && cap.period == Period::Month {
            month.times(3)
        } else {
            month
        };
        Some(Part {
            outside: !in_item || rule.body.from_total(),
            month,
            year,
            group: one_side.then_some(c),
        })
    }

    /// Notes the numbers a rule's filter, guard, condition and amounts compute, every part of
    /// them.
    pub(super) fn note_rule(&mut self, rule: &Rule) {
        let mut exprs: Vec<&Expr> = Vec::new();
        let (RuleBody::Per { effects, .. } | RuleBody::When { effects, .. }) = &rule.body;
        let kinds: Vec<KindId> = match &rule.body {
            RuleBody::Per {
                events,
                filter,
                guard,
                ..
            } => {
                exprs.extend(filter.iter().chain(guard));
                events.iter().map(|e| e.kind).collect()
            }
            RuleBody::When { condition, .. } => {
                exprs.push(condition);
                Vec::new()
            }
        };
        for e in effects {
            match e {
                Effect::Points { amount, .. } => exprs.push(amount),
                Effect::SetScore(n) => self.seen.note(
                    &Iv::point(Exact::from_decimal(*n)),
                    crate::tr!("a set score", "直接定的分"),
                ),
                _ => {}
            }
        }
        for e in exprs {
            self.note_expr(e, &kinds, None, &rule.text);
        }
        // `repeat * N` multiplies a repeat's amounts by N (before its cap).
        let repeat = match &rule.body {
            RuleBody::Per { validity, .. } => validity.as_ref().and_then(|v| v.repeat),
            RuleBody::When { .. } => None,
        };
        // `per KIND.FIELD` multiplies the amounts by the record's value.
        for (_, v) in self.amounts(rule) {
            if let Some(f) = repeat {
                let repeated = v.mul(Iv::point(Exact::from_decimal(f)));
                let what = crate::tr!(
                    format!("a repeat of `{}`", rule.text),
                    format!("`{}` 加倍计的分", rule.text)
                );
                self.seen.note(&repeated, &what);
            }
            self.seen.note(&v, &value_of(&rule.text));
        }
    }

    /// Notes the values of a number expression and of every number within it.
    pub(super) fn note_expr(
        &mut self,
        e: &Expr,
        kinds: &[KindId],
        months: Option<&Months>,
        what: &str,
    ) {
        use crate::check::model::ExprKind as M;
        if self.seen.open.is_some() {
            return;
        }
        if value_is_number(self.policy, e, kinds) {
            let v = value::value(self.policy, e, kinds, months);
            self.seen.note(&v, &value_of(what));
        }
        match &e.kind {
            M::Not(a) | M::Neg(a) | M::Member(a, _) => self.note_expr(a, kinds, months, what),
            M::Binary(_, a, b) => {
                self.note_expr(a, kinds, months, what);
                self.note_expr(b, kinds, months, what);
            }
            M::Call(_, args) => {
                for a in args {
                    self.note_expr(a, kinds, months, what);
                }
            }
            M::Table {
                key,
                entries,
                default,
            } => {
                self.note_expr(key, kinds, months, what);
                for (_, v) in entries {
                    self.note_expr(v, kinds, months, what);
                }
                if let Some(d) = default {
                    self.note_expr(d, kinds, months, what);
                }
            }
            M::Aggregate(id) | M::Fact(id) => {
                // A filter inside an aggregate reads the aggregate's kind.
                let filter = self
                    .policy
                    .aggregates
                    .get(*id)
                    .and_then(|a| a.filter.as_ref().map(|f| (f.clone(), a.kind)));
                if let Some((f, k)) = filter {
                    self.note_expr(&f, &[k], months, what);
                }
            }
            _ => {}
        }
    }
}

/// How many calendar years the records of entries valid on one day can be dated in, for entries
/// lasting as `v` says; `None` when an entry can last while its fault continues (`from FIELD`).
fn validity_years(v: &crate::check::model::Validity) -> Option<i64> {
    if v.from.is_some() {
        return None;
    }
    let mut most = 1;
    for d in &v.durations {
        let n = i64::from(d.count);
        let years = match d.unit {
            crate::date::TimeUnit::Year => n,
            crate::date::TimeUnit::Month => (n + 11) / 12,
            crate::date::TimeUnit::Day => (n + 364) / 365,
        };
        most = most.max(years + 1);
    }
    Some(most)
}
