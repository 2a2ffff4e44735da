//! Making the cards: after every record is in, each person's twelve monthly cards (bases, `when`
//! rules, clamps, caps) and the annual result (formula, rounding, grade, grade cap, flags).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::{Decimal, RoundingStrategy};

use super::engine::{Engine, Home, MONTHS, roster_holds};
use super::expr::{self, Env, Gap};
use super::outcome::{AnnualResult, EvalError, MonthResult, PersonResult};
use super::{Person, Value};
use crate::check::model::{AggId, Effect, Policy, RuleBody};
use crate::syntax::ast::{AggFn, Rounding};

pub fn round(d: Decimal, places: u32, mode: Rounding) -> Decimal {
    let strategy = match mode {
        Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        Rounding::Down => RoundingStrategy::ToZero,
        Rounding::Up => RoundingStrategy::AwayFromZero,
    };
    d.round_dp_with_strategy(places, strategy)
}

/// One person in one month, as expressions see it.
struct CardEnv<'a, 'p> {
    engine: &'a Engine<'p>,
    person: usize,
    month: usize,
}

impl Env for CardEnv<'_, '_> {
    fn person(&self) -> Option<&Person> {
        self.engine.roster.people.get(self.person)
    }
    fn field(&self, _: usize) -> Option<&Value> {
        None
    }
    fn aggregate(&self, id: AggId) -> expr::Result<Decimal> {
        self.engine.aggregate(id, self.person, self.month)
    }
}

struct MonthsEnv<'a>(&'a [Decimal]);

impl Env for MonthsEnv<'_> {
    fn person(&self) -> Option<&Person> {
        None
    }
    fn aggregate(&self, id: AggId) -> expr::Result<Decimal> {
        Err(Gap::Missing(id))
    }
    fn months(&self, func: AggFn) -> Decimal {
        let it = self.0.iter().copied();
        match func {
            AggFn::Sum => it.fold(Decimal::ZERO, Decimal::saturating_add),
            AggFn::Mean => it.fold(Decimal::ZERO, Decimal::saturating_add) / Decimal::from(MONTHS),
            AggFn::Min => it.fold(Decimal::MAX, Decimal::min),
            AggFn::Max => it.fold(Decimal::MIN, Decimal::max),
            AggFn::Count => Decimal::from(MONTHS),
        }
    }
}

/// What a `when` rule or base reading gave in one month, kept for explanations.
#[derive(Clone, Debug)]
pub struct WhenHit {
    pub rule: usize,
    pub month: u8,
    pub points: Decimal,
    pub zero: bool,
    /// Counted outside the item (`from total`, or an adjustments rule).
    pub outside: bool,
}

/// Everything computed for one person, with the pieces explanations show.
pub struct Card {
    pub result: PersonResult,
    /// Per month, per item: (base, sum of effects before the clamp) for items that apply.
    pub parts: Vec<Vec<Option<(Decimal, Decimal)>>>,
    pub when_hits: Vec<WhenHit>,
    /// Per month, per rule with a cap: (sum before cap, counted).
    pub capped: Vec<(usize, u8, Decimal, Decimal)>,
    /// Each flag of the year with the rule that first raised it (rules numbered as
    /// [`super::engine::flat_rules`] numbers them).
    pub flag_rules: Vec<(String, usize)>,
    /// The rule that raised the annual grade cap.
    pub cap_rule: Option<usize>,
}

/// Computes one person's card. `keep` keeps the pieces explanations show (`parts`, `when_hits`,
/// `capped`); without it they stay empty, so that scoring a whole district allocates little.
pub fn card(
    engine: &Engine<'_>,
    p: usize,
    finals: &[bool; MONTHS],
    year_final: bool,
    keep: bool,
    errors: &mut Vec<EvalError>,
) -> Card {
    let policy: &Policy = engine.policy;
    let person = &engine.roster.people[p];
    let n_items = engine.items.len();
    let mut gaps: BTreeSet<Gap> = BTreeSet::new();
    let mut months = Vec::with_capacity(MONTHS);
    let mut parts = Vec::new();
    let mut sums: Vec<Decimal> = Vec::with_capacity(n_items);
    let mut zero: Vec<bool> = Vec::with_capacity(n_items);
    let mut when_hits = Vec::new();
    let mut capped_out = Vec::new();
    let mut year_flags: BTreeSet<usize> = BTreeSet::new();
    // The first rule (by month, then policy order) that raised each flag of the year.
    let mut flag_rules: BTreeMap<usize, (u8, usize)> = BTreeMap::new();
    let raise_flag = |raised: &mut BTreeMap<usize, (u8, usize)>, f: usize, month: u8, r: usize| {
        let first = raised.entry(f).or_insert((month, r));
        *first = (*first).min((month, r));
    };
    // The lowest grade any rule allows, the first month it was raised, and the rule that did.
    let mut cap: Option<(usize, u8, usize)> = None;
    let raise_cap = |cap: &mut Option<(usize, u8, usize)>, g: usize, month: u8, r: usize| {
        if cap.is_none_or(|(c, cm, cr)| g > c || (g == c && (month, r) < (cm, cr))) {
            *cap = Some((g, month, r));
        }
    };
    for (m, &month_final) in finals.iter().enumerate() {
        let month = (m + 1) as u8;
        let env = CardEnv {
            engine,
            person: p,
            month: m,
        };
        let cell = p * MONTHS + m;
        let (item_sums, mut outside) = engine.item_sums(p, m);
        sums.clear();
        sums.extend_from_slice(item_sums);
        zero.clear();
        zero.extend_from_slice(&engine.item_zero[cell * n_items..(cell + 1) * n_items]);
        let mut flags: BTreeSet<usize> = BTreeSet::new();
        for &(fm, f, r) in &engine.flags[p] {
            if fm == month {
                flags.insert(f);
                raise_flag(&mut flag_rules, f, month, r);
            }
        }
        for &(cm, g, r) in &engine.caps[p] {
            if cm == month {
                raise_cap(&mut cap, g, month, r);
            }
        }
        for (r, rr) in engine.rules.iter().enumerate() {
            if engine.rule_applies[r].as_ref().is_some_and(|a| !a[p]) {
                continue;
            }
            if let (
                Some(acc),
                RuleBody::Per {
                    cap: Some(limit), ..
                },
            ) = (engine.capped(r, p, m), &rr.rule.body)
            {
                let raw = acc;
                let counted = raw.clamp(-*limit, *limit);
                if keep && raw != Decimal::ZERO {
                    capped_out.push((r, month, raw, counted));
                }
                let from_total = matches!(&rr.rule.body, RuleBody::Per { effects, .. }
                    if effects.iter().any(|e| matches!(e, Effect::Points { from_total: true, .. })));
                match (rr.home, from_total) {
                    (Home::Item(i), false) => sums[i] = sums[i].saturating_add(counted),
                    _ => outside = outside.saturating_add(counted),
                }
                continue;
            }
            let RuleBody::When { condition, effects } = &rr.rule.body else {
                continue;
            };
            match expr::truth(condition, &env) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(g) => {
                    gaps.insert(g);
                    continue;
                }
            }
            for effect in effects {
                match effect {
                    Effect::Points {
                        amount, from_total, ..
                    } => {
                        let a = match expr::number(amount, &env) {
                            Ok(a) => a,
                            Err(g) => {
                                gaps.insert(g);
                                continue;
                            }
                        };
                        let outside_item = *from_total || rr.home == Home::Adjustments;
                        if keep {
                            when_hits.push(WhenHit {
                                rule: r,
                                month,
                                points: a,
                                zero: false,
                                outside: outside_item,
                            });
                        }
                        match (rr.home, from_total) {
                            (Home::Item(i), false) => sums[i] = sums[i].saturating_add(a),
                            _ => outside = outside.saturating_add(a),
                        }
                    }
                    Effect::Zero => {
                        if let Home::Item(i) = rr.home {
                            zero[i] = true;
                            if keep {
                                when_hits.push(WhenHit {
                                    rule: r,
                                    month,
                                    points: Decimal::ZERO,
                                    zero: true,
                                    outside: false,
                                });
                            }
                        }
                    }
                    Effect::Flag(t) => {
                        if let Some(id) = engine.flag_texts.iter().position(|x| x == t) {
                            flags.insert(id);
                            raise_flag(&mut flag_rules, id, month, r);
                        }
                    }
                    Effect::GradeCap(g) => raise_cap(&mut cap, *g, month, r),
                }
            }
        }
        let mut items = Vec::with_capacity(n_items);
        let mut item_parts = Vec::with_capacity(if keep { n_items } else { 0 });
        let mut total = outside;
        for (flat, &(s, i)) in engine.items.iter().enumerate() {
            let item = &policy.sections[s].items[i];
            if item
                .applies
                .as_ref()
                .is_some_and(|a| !roster_holds(a, person))
            {
                items.push(None);
                if keep {
                    item_parts.push(None);
                }
                continue;
            }
            let base = match item
                .bases
                .iter()
                .find(|b| b.applies.as_ref().is_none_or(|a| roster_holds(a, person)))
            {
                None => item.budget,
                Some(b) => expr::number(&b.value, &env).unwrap_or_else(|g| {
                    gaps.insert(g);
                    Decimal::ZERO
                }),
            };
            let score = if zero[flat] {
                Decimal::ZERO
            } else {
                base.saturating_add(sums[flat])
                    .clamp(Decimal::ZERO, item.budget)
            };
            total = total.saturating_add(score);
            items.push(Some(score));
            if keep {
                item_parts.push(Some((base, sums[flat])));
            }
        }
        year_flags.extend(flags.iter().copied());
        months.push(MonthResult {
            month,
            total,
            published: round(total, policy.round_places, policy.rounding),
            items,
            outside,
            flags: flags
                .iter()
                .map(|f| engine.flag_texts[*f].clone())
                .collect(),
            is_final: month_final,
        });
        if keep {
            parts.push(item_parts);
        }
    }
    let totals: Vec<Decimal> = months.iter().map(|m| m.total).collect();
    let annual_total = expr::number(&policy.annual, &MonthsEnv(&totals)).unwrap_or_else(|g| {
        gaps.insert(g);
        Decimal::ZERO
    });
    let published = round(annual_total, policy.round_places, policy.rounding);
    let grade_by_score = grade_of(policy, published);
    let grade = cap.map_or(grade_by_score, |(c, _, _)| grade_by_score.max(c));
    let mut missing = Vec::new();
    for g in &gaps {
        match g {
            Gap::Missing(id) => {
                missing.push(format!("no record for `{}`", policy.aggregates[*id].text))
            }
            Gap::DivisionByZero => missing.push("a division by zero".to_string()),
            Gap::Repeated(id) => {
                let agg = &policy.aggregates[*id];
                let kind = &policy.kinds[agg.kind].id;
                errors.push(EvalError {
                    origin: engine.fact_origins(*id, p).get(1).copied(),
                    message: format!(
                        "`{}` is recorded more than once for `{}`, but the policy reads one value (`{}`)",
                        kind, person.id, agg.text
                    ),
                    help: Some(format!("keep one `{kind}` record and delete the others")),
                });
            }
        }
    }
    let complete = missing.is_empty();
    for m in &mut months {
        m.is_final &= complete;
    }
    Card {
        result: PersonResult {
            person: p,
            annual: AnnualResult {
                total: annual_total,
                published,
                grade,
                grade_by_score,
                grade_cap: cap.map(|(g, m, _)| (g, m)),
                flags: year_flags
                    .iter()
                    .map(|f| engine.flag_texts[*f].clone())
                    .collect(),
                is_final: year_final && complete,
            },
            months,
            missing,
        },
        parts,
        when_hits,
        capped: capped_out,
        flag_rules: flag_rules
            .into_iter()
            .map(|(f, (_, r))| (engine.flag_texts[f].clone(), r))
            .collect(),
        cap_rule: cap.map(|(_, _, r)| r),
    }
}

/// The grade a published annual score falls in (grades are listed highest first).
pub fn grade_of(policy: &Policy, score: Decimal) -> usize {
    policy
        .grades
        .iter()
        .position(|g| g.min.is_none_or(|min| score >= min))
        .unwrap_or(policy.grades.len().saturating_sub(1))
}

/// Which `when` rules held and which bases gave a value, for somebody in some month: for coverage
/// reports (`tally test`), never on the scoring path. A rule counts only for people it applies to
/// and who have its item. Returns one flag per rule (per-event rules stay `false`: the engine
/// counts those as records arrive) and, per flat item, one per base.
pub fn when_and_base_coverage(engine: &Engine<'_>) -> (Vec<bool>, Vec<Vec<bool>>) {
    let policy = engine.policy;
    let mut when = vec![false; engine.rules.len()];
    let mut bases: Vec<Vec<bool>> = engine
        .items
        .iter()
        .map(|&(s, i)| vec![false; policy.sections[s].items[i].bases.len()])
        .collect();
    for (p, person) in engine.roster.people.iter().enumerate() {
        let has_item: Vec<bool> = engine
            .items
            .iter()
            .map(|&(s, i)| {
                policy.sections[s].items[i]
                    .applies
                    .as_ref()
                    .is_none_or(|a| roster_holds(a, person))
            })
            .collect();
        for m in 0..MONTHS {
            let env = CardEnv {
                engine,
                person: p,
                month: m,
            };
            for (r, rr) in engine.rules.iter().enumerate() {
                let RuleBody::When { condition, .. } = &rr.rule.body else {
                    continue;
                };
                let applies = engine.rule_applies[r].as_ref().is_none_or(|a| a[p])
                    && match rr.home {
                        Home::Item(i) => has_item.get(i).copied().unwrap_or(false),
                        Home::Adjustments => true,
                    };
                if !when[r] && applies {
                    when[r] = matches!(expr::truth(condition, &env), Ok(true));
                }
            }
            for (flat, &(s, i)) in engine.items.iter().enumerate() {
                if !has_item[flat] {
                    continue;
                }
                let item = &policy.sections[s].items[i];
                let chosen = item
                    .bases
                    .iter()
                    .position(|b| b.applies.as_ref().is_none_or(|a| roster_holds(a, person)));
                if let Some(b) = chosen {
                    if expr::number(&item.bases[b].value, &env).is_ok() {
                        bases[flat][b] = true;
                    }
                }
            }
        }
    }
    (when, bases)
}
