//! What the evaluation did for one person, kept so that explanations only show it: per month, each
//! item's base (which one, and its value), the rules that took effect with their records and what a
//! cap took off, what the clamp did, the section totals; for the year, the months' sum and what
//! the annual formula and its rounding did to it. Explanations render this and compute nothing.

use super::Origin;
use rust_decimal::Decimal;

use super::card::{Card, WhenHit, Withheld};
use super::engine::{Contribution, Dropped};
use super::expr;
use super::outcome::PersonResult;
use super::plan::{Home, RuleRef, flat_rules};
use crate::check::model::{Policy, RuleBody};
use crate::exact::Exact;
use crate::ops::Period;

/// One person's evaluation, step by step.
#[derive(Clone, Debug)]
pub struct Trace {
    pub person: usize,
    pub result: PersonResult,
    /// January first.
    pub months: Vec<MonthTrace>,
    pub year: YearTrace,
    /// Every aggregate the policy reads, for this person, per month (index 0 = January).
    pub aggregates: Vec<Vec<expr::Result<Exact>>>,
    /// Each flag of the year with the rule that first raised it (rules numbered as
    /// [`flat_rules`] numbers them).
    pub flag_rules: Vec<(String, usize)>,
    /// The rule that raised the annual grade cap.
    pub cap_rule: Option<usize>,
    /// The rules that set the year's grade and score.
    pub set_grade_rule: Option<usize>,
    pub set_score_rule: Option<usize>,
    /// The rule that first excluded the person from the year.
    pub exclude_rule: Option<usize>,
    /// On a balance card: the snapshot (0-based month) that is the year's result, and its day.
    pub reading: Option<(usize, crate::date::Date)>,
    /// On a balance card: every entry that reaches the person, with its validity.
    pub windows: Vec<super::engine::EntryWindow>,
    /// The groups' bests of the items scaled to them (§32).
    pub bests: Option<Box<super::relative::Bests>>,
    /// On a yearly card that carries (§31): the earlier years' records carried into the card for
    /// the person, and those of the person's own records not carried (corrected before the year).
    pub carried: Vec<super::engine::Carried>,
    /// Whether every sum the lines show fits in what tally computes with. The scores themselves
    /// were computed exactly either way; only a sum in a different order (a section's items, a
    /// rule's records) can need more digits.
    pub fits: bool,
}

/// One month of the card.
#[derive(Clone, Debug)]
pub struct MonthTrace {
    /// The card's exact total and its points outside the items.
    pub total: Exact,
    pub outside: Exact,
    /// Per item (numbered as [`flat_rules`] numbers them); `None` where the item does not apply.
    pub items: Vec<Option<ItemTrace>>,
    /// Per section: the sum of its items' scores.
    pub sections: Vec<Exact>,
    /// The rules that took effect, in policy order; a rule whose points go both into its item and
    /// outside it has a line for each.
    pub rules: Vec<RuleLine>,
}

/// How an item's score came about in one month.
#[derive(Clone, Copy, Debug)]
pub struct ItemTrace {
    /// Which of the item's bases gave its base (index into `item.bases`); `None`: the budget.
    pub base_rule: Option<usize>,
    /// The base's value.
    pub base: Exact,
    /// The rules' points in the item, before the clamp.
    pub effects: Exact,
    /// Base plus effects.
    pub running: Exact,
    /// What the clamp to 0..budget (or a `zero`) added to `running` to give the score.
    pub clamp: Exact,
    /// A `zero` effect hit the item.
    pub zeroed: bool,
    pub score: Exact,
    /// An item scaled to its group's best (§32): the best, and `running` ÷ best × budget (before
    /// the clamp, which `clamp` then shows).
    pub relative: Option<(Exact, Exact)>,
}

/// A rule that took effect in a month.
#[derive(Clone, Debug)]
pub struct RuleLine {
    /// Numbered as [`flat_rules`] numbers rules.
    pub rule: usize,
    /// Counted outside the items (`from total`, or an adjustments rule).
    pub outside: bool,
    /// The points counted.
    pub points: Exact,
    /// When the rule's cap bound, or its guard held its points back: the records' sum before it,
    /// and what was removed (`points` minus that sum).
    pub capped: Option<(Exact, Exact)>,
    /// The points were held back by the rule's `when` guard (not by a cap).
    pub held: bool,
    /// The record lines behind the points, in order, each once.
    pub records: Vec<Origin>,
    /// The rule zeroed its item.
    pub zeroes: bool,
    /// The records whose effect a `once` group did not count (another rule's or record's counts
    /// for the act), in order.
    pub dropped: Vec<Dropped>,
}

/// The year: the monthly totals and the step to the published result.
#[derive(Clone, Copy, Debug)]
pub struct YearTrace {
    /// The sum of the exact monthly totals.
    pub months: Exact,
    /// What the annual formula and its rounding gave, minus `months`.
    pub to_published: Exact,
    /// A score set for the year (`score 0`): the set score minus what the formula gave.
    pub set: Option<Exact>,
}

/// Adds, remembering in `fits` when a sum does not fit.
fn plus(fits: &mut bool, a: Exact, b: Exact) -> Exact {
    a.checked_add(b).unwrap_or_else(|| {
        *fits = false;
        a
    })
}

/// The trace of one person's card, with the per-record contributions the engine kept for them.
pub(super) fn assemble(
    policy: &Policy,
    card: Card,
    contributions: &[Contribution],
    dropped: &[Dropped],
    aggregates: Vec<Vec<expr::Result<Exact>>>,
) -> Trace {
    let mut fits = true;
    let (rules, items) = flat_rules(policy);
    let months = card
        .parts
        .iter()
        .enumerate()
        .map(|(m, parts)| {
            month_trace(
                policy,
                &card,
                (&rules, &items),
                (contributions, dropped),
                m,
                parts,
                &mut fits,
            )
        })
        .collect();
    let result = card.result;
    let sum = result
        .months
        .iter()
        .fold(Exact::ZERO, |acc, m| plus(&mut fits, acc, m.total.get()));
    let mut minus = |a: Decimal, b: Exact| {
        Exact::from_decimal(a).checked_sub(b).unwrap_or_else(|| {
            fits = false;
            Exact::ZERO
        })
    };
    let annual = &result.annual;
    let by_formula = annual
        .set_score
        .as_deref()
        .map_or(annual.published, |&(_, f, _)| f);
    let to_published = minus(by_formula, sum);
    let set = annual
        .set_score
        .as_deref()
        .map(|&(_, f, _)| minus(annual.published, Exact::from_decimal(f)));
    Trace {
        reading: card
            .reading
            .map(|m| (m, crate::date::Date::end_of_month(policy.year, 12))),
        windows: Vec::new(),
        bests: None,
        carried: Vec::new(),
        person: result.person,
        result,
        months,
        year: YearTrace {
            months: sum,
            to_published,
            set,
        },
        aggregates,
        flag_rules: card.flag_rules,
        cap_rule: card.cap_rule,
        set_grade_rule: card.set_grade_rule,
        set_score_rule: card.set_score_rule,
        exclude_rule: card.exclude_rule,
        fits,
    }
}

/// The trace of the card of month `m` (or of the year's one card), its items' `parts`: the
/// sections' sums and the line of every rule that took effect.
fn month_trace(
    policy: &Policy,
    card: &Card,
    (rules, items): (&[RuleRef<'_>], &[(usize, usize)]),
    (contributions, dropped): (&[Contribution], &[Dropped]),
    m: usize,
    parts: &[Option<ItemTrace>],
    fits: &mut bool,
) -> MonthTrace {
    // The months the card covers: its own, its quarter's, or all twelve for one card a year.
    let months = match policy.card {
        Period::Year => 1..=12u8,
        // Quarter `m` (0-based) of quarterly cards: its three months.
        Period::Quarter if !policy.balance => (3 * m + 1) as u8..=(3 * m + 3) as u8,
        _ => (m + 1) as u8..=(m + 1) as u8,
    };
    let mut sections = vec![Exact::ZERO; policy.sections.len()];
    for (&(s, _), part) in items.iter().zip(parts) {
        if let Some(part) = part {
            sections[s] = plus(fits, sections[s], part.score);
        }
    }
    let lines = (0..rules.len())
        .flat_map(|r| [(r, false), (r, true)])
        .filter_map(|(r, outside)| {
            let from_total = matches!(&rules[r].rule.body, RuleBody::Per { .. })
                && rules[r].rule.body.from_total();
            // A capped rule's sum goes where its points go: outside the item for
            // adjustments and `from total` rules, else into its item.
            let here = (rules[r].home == Home::Adjustments || from_total) == outside;
            let capped = card
                .capped
                .iter()
                .filter(|w| here && w.rule == r && months.contains(&w.month))
                .fold(None, |acc: Option<Withheld>, w| {
                    Some(match acc {
                        None => *w,
                        Some(a) => Withheld {
                            raw: plus(fits, a.raw, w.raw),
                            counted: plus(fits, a.counted, w.counted),
                            held: a.held && w.held,
                            ..a
                        },
                    })
                });
            let taken = Taken {
                contributions,
                dropped,
                when_hits: &card.when_hits,
            };
            rule_line(fits, r, &months, outside, capped.as_ref(), &taken)
        })
        .collect();
    let (total, outside) = match (card.year_card, card.result.months.get(m)) {
        (Some(year), _) => year,
        (None, Some(r)) => (r.total.get(), r.outside.get()),
        (None, None) => (Exact::ZERO, Exact::ZERO),
    };
    MonthTrace {
        total,
        outside,
        items: parts.to_vec(),
        sections,
        rules: lines,
    }
}

/// What the rules took for the traced person: per-record contributions, the records a `once`
/// group did not count, and the `when` rules that held.
struct Taken<'a> {
    contributions: &'a [Contribution],
    dropped: &'a [Dropped],
    when_hits: &'a [WhenHit],
}

/// The line of rule `r` in a month, on one side of its item (`outside`), if it took effect there.
fn rule_line(
    fits: &mut bool,
    r: usize,
    months: &std::ops::RangeInclusive<u8>,
    outside: bool,
    capped: Option<&Withheld>,
    taken: &Taken<'_>,
) -> Option<RuleLine> {
    let Taken {
        contributions,
        dropped,
        when_hits,
    } = *taken;
    let mut points = Exact::ZERO;
    let mut records = Vec::new();
    let mut zeroes = false;
    let mut hit = false;
    for c in contributions
        .iter()
        .filter(|c| c.rule == r && months.contains(&c.month) && c.outside == outside)
    {
        points = plus(fits, points, c.points);
        zeroes |= c.zero;
        hit = true;
        records.push(c.origin);
    }
    for w in when_hits
        .iter()
        .filter(|w| w.rule == r && months.contains(&w.month) && w.outside == outside)
    {
        points = plus(fits, points, w.points);
        zeroes |= w.zero;
        hit = true;
    }
    let mut dropped: Vec<Dropped> = dropped
        .iter()
        .filter(|d| d.rule == r && months.contains(&d.month) && d.outside == outside)
        .cloned()
        .collect();
    dropped.sort_by_key(|d| (d.month, d.origin));
    if !hit && capped.is_none() && dropped.is_empty() {
        return None;
    }
    records.sort();
    records.dedup();
    if let Some(w) = capped {
        points = w.counted;
    }
    let held = capped.is_some_and(|w| w.held);
    let capped = capped.filter(|w| w.raw != w.counted).map(|w| {
        let removed = w.counted.checked_sub(w.raw).unwrap_or_else(|| {
            *fits = false;
            Exact::ZERO
        });
        (w.raw, removed)
    });
    Some(RuleLine {
        rule: r,
        outside,
        points,
        capped,
        held,
        records,
        zeroes,
        dropped,
    })
}
