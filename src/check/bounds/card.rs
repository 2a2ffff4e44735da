//! One kind of person's ranges: each item (its base plus its points, clamped to its budget), each
//! section, the points outside the items and the total; and several kinds joined into one range
//! per row.

use super::*;

/// How many periods of a cap a year holds.
pub(super) fn periods(p: Period) -> i64 {
    match p {
        Period::Month => 12,
        Period::Quarter => 4,
        Period::Year => 1,
    }
}

/// A section's range and its items' (`None`: not on the card), and whether every person joined
/// has each item.
pub(super) struct JoinedSection {
    pub(super) scores: Scores,
    pub(super) items: Vec<Option<Scores>>,
    pub(super) every: Vec<bool>,
}

/// One kind of person's ranges, or several kinds' joined.
pub(super) struct Joined {
    /// Per section: its range and its items' (`None`: not on the card).
    pub(super) sections: Vec<JoinedSection>,
    pub(super) outside: Vec<Scores>,
    pub(super) total: Scores,
    pub(super) raised: Raised,
}

impl Joined {
    pub(super) fn empty(policy: &Policy) -> Joined {
        Joined {
            sections: Vec::new(),
            outside: Vec::new(),
            total: Scores::zero(policy.card),
            raised: Raised::default(),
        }
    }

    pub(super) fn join(self, o: Joined) -> Joined {
        let join = |a: Option<Scores>, b: Option<Scores>| match (a, b) {
            (Some(a), Some(b)) => Some(a.hull(&b)),
            (a, b) => a.or(b),
        };
        let sections = self
            .sections
            .into_iter()
            .zip(o.sections)
            .map(|(a, b)| {
                let every = a
                    .every
                    .iter()
                    .zip(&b.every)
                    .zip(a.items.iter().zip(&b.items))
                    .map(|((x, y), (i, j))| *x && *y && i.is_some() && j.is_some())
                    .collect();
                let items = a
                    .items
                    .into_iter()
                    .zip(b.items)
                    .map(|(x, y)| join(x, y))
                    .collect();
                JoinedSection {
                    scores: a.scores.hull(&b.scores),
                    items,
                    every,
                }
            })
            .collect();
        let outside = self
            .outside
            .iter()
            .zip(&o.outside)
            .map(|(a, b)| a.hull(b))
            .collect();
        let mut raised = self.raised;
        raised.absorb(o.raised);
        Joined {
            sections,
            outside,
            total: self.total.hull(&o.total),
            raised,
        }
    }
}

impl Analysis<'_> {
    /// Sums parts, counting each one-sided shared cap once.
    pub(super) fn sum(&self, parts: &[&Part], year: bool) -> Range {
        let mut total = Range::zero();
        let mut grouped: BTreeMap<CapId, Range> = BTreeMap::new();
        for p in parts {
            let r = if year { &p.year } else { &p.month };
            match p.group {
                Some(c) => {
                    let g = grouped.entry(c).or_insert_with(Range::zero);
                    *g = g.add(r);
                }
                None => total = total.add(r),
            }
        }
        for (c, r) in grouped {
            let Some(cap) = self.policy.caps.get(c) else {
                continue;
            };
            // One reading of a balance card holds a cap over a year once for each year whose
            // entries can be valid on its day.
            let k = match (year, self.policy.balance && cap.period == Period::Year) {
                (true, _) => periods(cap.period),
                (false, true) => self.reading_years(c).unwrap_or(1),
                // A monthly cap counts three times on a quarter's card.
                (false, false) if self.policy.card == Period::Quarter => {
                    if cap.period == Period::Month { 3 } else { 1 }
                }
                (false, false) => 1,
            };
            let Some(whole) = Exact::from_decimal(cap.limit).checked_mul(Exact::from_int(k)) else {
                total = total.add(&r);
                continue;
            };
            let (neg, pos) = self.cap_sides.get(c).copied().unwrap_or((true, true));
            let lo = if neg { negate(whole) } else { Exact::ZERO };
            let hi = if pos { whole } else { Exact::ZERO };
            total = total.add(&r.within(Some(lo), Some(hi)));
        }
        total
    }

    /// One kind of person's ranges.
    pub(super) fn kind(&mut self, combo: &Combo) -> Joined {
        let policy = self.policy;
        let card = policy.card;
        let mut raised = Raised::default();
        let mut outside_parts: Vec<(Option<usize>, Part)> = Vec::new();
        let mut sections = Vec::new();
        let mut total = Scores::zero(card);
        for section in &policy.sections {
            let js = self.section(section, combo, &mut raised, &mut outside_parts);
            // A section booked in a ledger (§30) is not in the points total.
            if section.ledger.is_none() {
                total = total.add(&js.scores);
            }
            sections.push(js);
        }
        for (b, block) in policy.adjustments.iter().enumerate() {
            for rule in &block.rules {
                if applies(rule.applies.as_ref(), combo) == Some(false) {
                    continue;
                }
                for p in self.rule_once(rule, false, &mut raised) {
                    outside_parts.push((Some(b), p));
                }
            }
        }
        let mut outside = Vec::new();
        let blocks = policy.adjustments.len();
        for b in (0..blocks).map(Some).chain([None]) {
            let parts: Vec<&Part> = outside_parts
                .iter()
                .filter(|(o, _)| *o == b)
                .map(|(_, p)| p)
                .collect();
            outside.push(Scores {
                month: (card != Period::Year).then(|| self.sum(&parts, false)),
                year: self.sum(&parts, true),
            });
        }
        // The outside parts all together, so that a shared cap counts once across blocks.
        let all: Vec<&Part> = outside_parts.iter().map(|(_, p)| p).collect();
        total = total.add(&Scores {
            month: (card != Period::Year).then(|| self.sum(&all, false)),
            year: self.sum(&all, true),
        });
        Joined {
            sections,
            outside,
            total,
            raised,
        }
    }

    /// A section's range and its items' for one kind of person; the parts its rules give outside
    /// the items are left in `outside_parts`.
    fn section(
        &mut self,
        section: &super::super::model::Section,
        combo: &Combo,
        raised: &mut Raised,
        outside_parts: &mut Vec<(Option<usize>, Part)>,
    ) -> JoinedSection {
        let mut items = Vec::new();
        let mut sum = Scores::zero(self.policy.card);
        let mut every = Vec::new();
        for item in &section.items {
            let has = applies(item.applies.as_ref(), combo);
            if has == Some(false) {
                items.push(None);
                every.push(false);
                continue;
            }
            let mut item_raised = Raised::default();
            let mut parts = Vec::new();
            for rule in &item.rules {
                if applies(rule.applies.as_ref(), combo) == Some(false) {
                    continue;
                }
                for p in self.rule_once(rule, true, &mut item_raised) {
                    if p.outside {
                        outside_parts.push((None, p));
                    } else {
                        parts.push(p);
                    }
                }
            }
            // A `zero` zeroes its own item; the rest counts for the year.
            let zero = item_raised.zero;
            item_raised.zero = false;
            raised.absorb(item_raised);
            let scores = self.item(item, combo, &parts, zero);
            // An item some of this kind may not have adds nothing for them.
            let counted = if has.is_none() {
                Scores {
                    month: scores.month.as_ref().map(Range::with_zero),
                    year: scores.year.with_zero(),
                }
            } else {
                scores.clone()
            };
            sum = sum.add(&counted);
            every.push(has == Some(true));
            items.push(Some(scores));
        }
        JoinedSection {
            scores: sum,
            items,
            every,
        }
    }

    /// An item's range: its base plus its points, clamped to `0..budget`, or 0 when zeroed.
    pub(super) fn item(
        &mut self,
        item: &super::super::model::Item,
        combo: &Combo,
        parts: &[Part],
        zero: bool,
    ) -> Scores {
        let budget = Exact::from_decimal(item.budget);
        // The first base whose `for` holds; one whose `for` may not hold adds its range and lets
        // the next ones in.
        let mut base: Option<Range> = None;
        let mut decided = false;
        for b in &item.bases {
            match applies(b.applies.as_ref(), combo) {
                Some(false) => continue,
                holds => {
                    let v = value::value(self.policy, &b.value, &[], None);
                    let r = Range::of(v, |side| {
                        crate::tr!(
                            format!("`{}`: the base has no {side} bound", b.text),
                            format!("`{}`：基础分没有{}限", b.text, zh_side(side))
                        )
                    });
                    base = Some(base.map_or(r.clone(), |x| x.hull(&r)));
                    if holds == Some(true) {
                        decided = true;
                        break;
                    }
                }
            }
        }
        if !decided {
            let b = Range::point(budget);
            base = Some(base.map_or(b.clone(), |x| x.hull(&b)));
        }
        let base = base.unwrap_or_else(|| Range::point(budget));
        let refs: Vec<&Part> = parts.iter().collect();
        let points_month = self.sum(&refs, false);
        let points_year = self.sum(&refs, true);
        if item.scaled.is_some() {
            return self.scaled_item(item, budget, &base, &points_month, &points_year, zero);
        }
        let clamp = |r: &Range| {
            let mut c = r.within(Some(Exact::ZERO), Some(budget));
            if zero {
                c.lo = End::At(Exact::ZERO);
            }
            c
        };
        match self.policy.card {
            // Monthly or quarterly cards: `month` is one card's range, `year` the cards' sum.
            card @ (Period::Month | Period::Quarter) => {
                let n = periods(card);
                let raw = base.add(&points_month);
                let month = clamp(&raw);
                let mut year = month.times(n);
                // Twelve months (or four quarters) of base plus the year's points, where the clamp
                // cannot cut.
                let twelve = base.times(n).add(&points_year);
                let never_above = raw.hi.value().is_some_and(|h| h <= budget);
                let never_below = raw.lo.value().is_some_and(|l| l >= Exact::ZERO);
                year = year.tighten(
                    if never_above && !zero {
                        twelve.lo.value()
                    } else {
                        None
                    },
                    if never_below { twelve.hi.value() } else { None },
                );
                Scores {
                    month: Some(month),
                    year,
                }
            }
            _ => Scores {
                month: None,
                year: clamp(&base.add(&points_year)),
            },
        }
    }
}

impl Analysis<'_> {
    /// An item scaled to its group's best (§32): own ÷ best × budget, kept to the published
    /// places, so `0..budget` in their steps; its own value's highest is kept for the check that
    /// some best can be above 0.
    fn scaled_item(
        &mut self,
        item: &super::super::model::Item,
        budget: Exact,
        base: &Range,
        points_month: &Range,
        points_year: &Range,
        zero: bool,
    ) -> Scores {
        let step = super::value::pow10(self.policy.round_places);
        let iv = Iv::new(value::Ext::At(Exact::ZERO), value::Ext::At(budget), step);
        self.seen.note(&iv, &format!("item `{}`", item.id));
        // One card's own value: a month's or a quarter's points, or the year's on a card a year.
        let points = match self.policy.card {
            Period::Month | Period::Quarter => points_month,
            _ => points_year,
        };
        let own = base.add(points);
        // A `zero` makes the own value 0, which is not above 0 either.
        let hi = if zero {
            own.hi.value().map(|h| h.max(Exact::ZERO))
        } else {
            own.hi.value()
        };
        let seen = self.scaled_own.entry(item.id.clone()).or_insert(hi);
        *seen = match (*seen, hi) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        super::relative::scaled(self.policy.card, budget)
    }
}
