//! The analysis's result: every row's range, the annual and published results, the grades that
//! can be given, and whether scoring can overflow; on a balance card, each row as one reading.

use super::*;

impl Analysis<'_> {
    pub(super) fn finish(mut self, j: Joined) -> Bounds {
        let policy = self.policy;
        let (sections, outside) = rows(policy, j.sections, &j.outside);
        let total = j.total;
        let (annual, result) = annual_range(policy, &total);
        let round = |e: &End| match e {
            End::At(x) => x.round(policy.round_places, policy.rounding).map_or_else(
                || End::Open(crate::tr!("too large to publish", "太大，发布不了").into()),
                |d| End::At(Exact::from_decimal(d)),
            ),
            End::Open(w) => End::Open(w.clone()),
        };
        let published = Range {
            lo: round(&result.lo),
            hi: round(&result.hi),
        };
        // What the ranks give is added to the published result, which is published again.
        let after = super::ranks::after_ranks(policy, published);
        let mut published = Range {
            lo: round(&after.lo),
            hi: round(&after.hi),
        };
        let by_formula = published.clone();
        for (n, _) in &j.raised.scores {
            published = published.hull(&Range::point(*n));
        }
        let grades = grades(policy, &by_formula, &j.raised);
        // Every row and the annual result are finite too.
        self.note_rows(&sections, &outside, &total, annual.as_ref());
        let ledgers = self.ledgers(&sections, &total);
        let overflow = overflow(&self.seen);
        let mut excluded: Vec<String> = Vec::new();
        for r in &j.raised.excluded {
            if !excluded.contains(r) {
                excluded.push(r.clone());
            }
        }
        let mut never_positive: Vec<String> = policy
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .filter(|i| {
                self.scaled_own
                    .get(&i.id)
                    .is_some_and(|hi| hi.is_some_and(|h| !h.is_positive()))
            })
            .map(|i| i.id.clone())
            .collect();
        never_positive.dedup();
        let mut bounds = Bounds {
            card: policy.card,
            balance: false,
            sections,
            outside,
            total,
            annual,
            published,
            grades,
            overflow,
            excluded,
            ledgers,
            never_positive,
        };
        if policy.balance {
            bounds.as_readings();
        }
        bounds
    }

    /// Notes every row's and the annual result's range for the overflow claim: each is finite, or
    /// says why not.
    fn note_rows(
        &mut self,
        sections: &[SectionBounds],
        outside: &[Row],
        total: &Scores,
        annual: Option<&Range>,
    ) {
        let rows = sections
            .iter()
            .flat_map(|s| std::iter::once(&s.row).chain(&s.items))
            .chain(outside)
            .map(|r| &r.scores)
            .chain([total]);
        for s in rows {
            for r in s.month.iter().chain([&s.year]) {
                let iv = Iv {
                    den: Some(1),
                    ..r.to_iv()
                };
                let why = first_open(&[&r.lo, &r.hi]);
                if let Some(w) = why {
                    if self.seen.open.is_none() {
                        self.seen.open = Some(w);
                    }
                } else {
                    self.seen.note(&iv, crate::tr!("a score", "分数"));
                }
            }
        }
        if let Some(a) = annual {
            if let Some(w) = first_open(&[&a.lo, &a.hi]) {
                self.seen.open.get_or_insert(w);
            } else {
                // The totals come in the steps of what they add up.
                let step = self.seen.step.or(Some(1));
                let months = Months {
                    month: Iv {
                        den: step,
                        ..total.month.as_ref().map_or(Iv::ANY, Range::to_iv)
                    },
                    year: Iv {
                        den: step,
                        ..total.year.to_iv()
                    },
                    count: super::card::periods(self.policy.card),
                };
                let policy = self.policy;
                self.note_expr(&policy.annual, &[], Some(&months), &policy.annual_text);
            }
        }
    }
}

/// The rows of the sections, their items and the points outside the items.
fn rows(
    policy: &Policy,
    joined: Vec<JoinedSection>,
    outside_scores: &[Scores],
) -> (Vec<SectionBounds>, Vec<Row>) {
    let mut sections = Vec::new();
    for (section, js) in policy.sections.iter().zip(joined) {
        let JoinedSection {
            scores,
            items,
            every,
        } = js;
        let rows = section
            .items
            .iter()
            .zip(items)
            .zip(every)
            .map(|((item, s), every)| Row {
                id: item.id.clone(),
                label: item.label.clone(),
                scores: s.unwrap_or_else(|| Scores::zero(policy.card)),
                everybody: every,
            })
            .collect();
        sections.push(SectionBounds {
            row: Row {
                id: section.id.clone(),
                // A section booked in a ledger (§30) says so: it is not in the total below.
                label: match section.ledger.and_then(|l| policy.ledgers.get(l)) {
                    Some(l) => crate::tr!(
                        format!("{} (in {} {})", section.label, l.id, l.unit),
                        format!("{}（记入 {} {}）", section.label, l.id, l.unit)
                    ),
                    None => section.label.clone(),
                },
                scores,
                everybody: true,
            },
            items: rows,
        });
    }
    let mut outside: Vec<Row> = policy
        .adjustments
        .iter()
        .zip(outside_scores)
        .map(|(a, s)| Row {
            id: a.id.clone(),
            label: a.label.clone(),
            scores: s.clone(),
            everybody: true,
        })
        .collect();
    let has_from_total = policy
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| &i.rules)
        .any(|r| r.body.from_total());
    if let (true, Some(s)) = (has_from_total, outside_scores.last()) {
        outside.push(Row {
            id: FROM_TOTAL.0.into(),
            label: FROM_TOTAL.1.into(),
            scores: s.clone(),
            everybody: true,
        });
    }
    (sections, outside)
}

/// The annual formula's range (on a policy with monthly cards) and the result's, before
/// rounding.
fn annual_range(policy: &Policy, total: &Scores) -> (Option<Range>, Range) {
    match (&total.month, policy.card) {
        // A balance card's result is the card on one reading day: what one snapshot can be.
        (Some(reading), _) if policy.balance => (None, reading.clone()),
        (Some(month), card @ (Period::Month | Period::Quarter)) => {
            let n = super::card::periods(card);
            let months = Months {
                month: month.to_iv(),
                year: total.year.to_iv(),
                count: n,
            };
            let v = value::value(policy, &policy.annual, &[], Some(&months));
            let why_lo = first_open(&[&month.lo, &total.year.lo, &month.hi, &total.year.hi]);
            let why_hi = first_open(&[&month.hi, &total.year.hi, &month.lo, &total.year.lo]);
            let r = Range::of(v, |side| {
                let inherited = if side == "lower" { &why_lo } else { &why_hi };
                inherited.clone().unwrap_or_else(|| {
                    crate::tr!(
                        format!(
                            "the annual formula `{}` has no {side} bound",
                            policy.annual_text
                        ),
                        format!("年度公式 `{}` 没有{}限", policy.annual_text, zh_side(side))
                    )
                })
            });
            // A formula that never falls when a month rises is at least its value on twelve
            // months at the least, and at most on twelve at the most.
            let at = |end: Option<Exact>| {
                let m = Iv::point(end?);
                let twelve = m.mul(Iv::point(Exact::from_int(n)));
                let v = value::value(
                    policy,
                    &policy.annual,
                    &[],
                    Some(&Months {
                        month: m,
                        year: twelve,
                        count: n,
                    }),
                );
                match (v.lo, v.hi) {
                    (value::Ext::At(lo), value::Ext::At(hi)) => Some((lo, hi)),
                    _ => None,
                }
            };
            let r = match value::polarity(&policy.annual) {
                Some(1) => r.tighten(
                    at(month.lo.value()).map(|(lo, _)| lo),
                    at(month.hi.value()).map(|(_, hi)| hi),
                ),
                Some(-1) => r.tighten(
                    at(month.hi.value()).map(|(lo, _)| lo),
                    at(month.lo.value()).map(|(_, hi)| hi),
                ),
                _ => r,
            };
            (Some(r.clone()), r)
        }
        _ => (None, total.year.clone()),
    }
}

impl Bounds {
    /// On a balance card, what a month's bounds say is what one reading (a snapshot, or the year's
    /// reading day) can be: each row becomes that one range. Caps count per reading and `when`
    /// rules once a reading, as they do in a month; uncapped rules are open as in a month, since
    /// entries of any number of records (earlier years' included) can be valid on one day.
    fn as_readings(&mut self) {
        let reading = |s: &mut Scores| {
            if let Some(m) = s.month.take() {
                s.year = m;
            }
        };
        for section in &mut self.sections {
            reading(&mut section.row.scores);
            for item in &mut section.items {
                reading(&mut item.scores);
            }
        }
        for row in &mut self.outside {
            reading(&mut row.scores);
        }
        reading(&mut self.total);
        self.card = Period::Year;
        self.balance = true;
    }
}

pub(super) fn overflow(seen: &Seen) -> Overflow {
    if let Some(w) = &seen.open {
        return Overflow::Possible(w.clone());
    }
    let step = seen.step.unwrap_or(1);
    // A sum of n values of at most `largest` in steps of 1/step has a numerator of at most
    // n * largest * step.
    let per_value = seen
        .largest
        .ceil()
        .numer()
        .max(1)
        .checked_mul(step)
        .unwrap_or(i128::MAX);
    let room = i128::MAX / per_value.max(1);
    let records = room.checked_ilog10().unwrap_or(0);
    if records < 9 {
        let steps = if step <= 1_000_000 {
            format!("1/{step}")
        } else {
            crate::tr!(
                "less than a millionth (a record's number can have 28 decimals)",
                "不到百万分之一（记录里的数可以有 28 位小数）"
            )
            .to_string()
        };
        return Overflow::Possible(crate::tr!(
            format!(
                "values up to {} in steps of {steps}: exact sums of them hold for fewer than 10^9 records",
                seen.largest.display_places(0)
            ),
            format!(
                "值最大到 {}，以 {steps} 为单位：这样的值精确相加，放不下 10^9 条记录",
                seen.largest.display_places(0)
            )
        ));
    }
    Overflow::Impossible {
        largest: seen.largest,
        step,
        records,
    }
}
