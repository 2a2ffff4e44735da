//! Making the cards: after every record is in, each person's twelve monthly cards (bases, `when`
//! rules, clamps, caps) and the annual result (formula, rounding, grade, grade cap, flags).

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::engine::{Engine, MONTHS};
use super::expr::{self, Env, Gap};
use super::outcome::{
    AnnualResult, ItemScores, MonthResult, Override, PersonResult, scoring_problem,
};
use super::plan::{Home, base_for, roster_holds};
use super::trace::ItemTrace;
use crate::diag::Diag;

mod balance;
mod failures;
mod integer;
pub use integer::Plan as IntegerPlan;
pub mod ledger;
mod maker;
mod quarter;
mod quick;
pub use quick::{Quick, quick, quick_policy};
mod relative;
mod year;

use super::{Few, Person, Value};
use crate::check::model::{AggId, Effect, Policy, RuleBody};
use crate::codes::Code;
use crate::exact::{Exact, STORED_PLACES, Stored};
use crate::ops::{AggFn, Period, Window};
use failures::Failures;
use maker::Maker;

/// One person in one month, as expressions see it.
struct CardEnv<'a, 'p> {
    engine: &'a Engine<'p>,
    person: usize,
    month: usize,
    /// Year-window aggregates are the same in every month: each is computed once per person.
    year: &'a [OnceCell<expr::Result<Exact>>],
}

/// An empty cache of year-window aggregates for one person.
fn year_cache(engine: &Engine<'_>) -> Few<OnceCell<expr::Result<Exact>>> {
    (0..engine.policy.aggregates.len())
        .map(|_| OnceCell::new())
        .collect()
}

impl Env for CardEnv<'_, '_> {
    fn person(&self) -> Option<&Person> {
        self.engine.roster.people.get(self.person)
    }
    fn field(&self, _: usize) -> Option<&Value> {
        None
    }
    fn aggregate(&self, id: AggId) -> expr::Result<Exact> {
        let whole_year = self.engine.policy.aggregates[id].window == Window::Year;
        match self.year.get(id) {
            Some(cached) if whole_year => cached
                .get_or_init(|| self.engine.aggregate(id, self.person, self.month))
                .clone(),
            _ => self.engine.aggregate(id, self.person, self.month),
        }
    }
}

/// The months' totals as the annual formula reads them: a card's months, or their totals alone.
struct MonthsEnv<'a, T>(&'a [T]);

/// What holds a month's total.
trait Total {
    fn total(&self) -> &Stored;
}

impl Total for MonthResult {
    fn total(&self) -> &Stored {
        &self.total
    }
}

impl Total for Stored {
    fn total(&self) -> &Stored {
        self
    }
}

impl<T: Total> MonthsEnv<'_, T> {
    /// The sum of the totals: added as millionths when every one is kept as such (nearly
    /// always), else exactly.
    fn sum(&self) -> Option<Exact> {
        let millionths: Option<i128> = self.0.iter().try_fold(0i128, |sum, m| match m.total() {
            Stored::Millionths(n) => sum.checked_add(i128::from(*n)),
            Stored::Other(_) => None,
        });
        match millionths {
            Some(n) => Some(Exact::from_scaled(n, STORED_PLACES)),
            None => Exact::sum(self.0.iter().map(|m| m.total().get())),
        }
    }
}

impl<T: Total> Env for MonthsEnv<'_, T> {
    fn person(&self) -> Option<&Person> {
        None
    }
    fn aggregate(&self, id: AggId) -> expr::Result<Exact> {
        Err(Gap::Missing(id))
    }
    fn months(&self, func: AggFn) -> expr::Result<Exact> {
        let it = self.0.iter().map(|m| m.total().get());
        // Twelve monthly totals, or four quarterly ones.
        let twelve = Exact::from_int(self.0.len() as i64);
        match func {
            AggFn::Sum => self.sum().ok_or(Gap::Overflow),
            AggFn::Mean => self
                .sum()
                .and_then(|s| s.checked_div(twelve))
                .ok_or(Gap::Overflow),
            AggFn::Min => Ok(it.min().unwrap_or(Exact::ZERO)),
            AggFn::Max => Ok(it.max().unwrap_or(Exact::ZERO)),
            AggFn::Count => Ok(twelve),
        }
    }
}

/// What a `when` rule or base reading gave in one month, kept for explanations.
#[derive(Clone, Debug)]
pub struct WhenHit {
    pub rule: usize,
    pub month: u8,
    pub points: Exact,
    pub zero: bool,
    /// Counted outside the item (`from total`, or an adjustments rule).
    pub outside: bool,
}

/// What a capped or guarded rule had in a month, and what it counted.
#[derive(Clone, Copy, Debug)]
pub struct Withheld {
    pub rule: usize,
    pub month: u8,
    /// The sum of the rule's points from its records.
    pub raw: Exact,
    pub counted: Exact,
    /// Its guard did not hold: nothing counted.
    pub held: bool,
}

/// Everything computed for one person, with the pieces explanations show.
pub struct Card {
    pub result: PersonResult,
    /// Per month, per item that applies: how its score came about.
    pub parts: Vec<Vec<Option<ItemTrace>>>,
    pub when_hits: Vec<WhenHit>,
    /// Per month, per rule with a cap or a guard that had points: what it counted.
    pub capped: Vec<Withheld>,
    /// Each flag of the year with the rule that first raised it (rules numbered as
    /// [`super::plan::flat_rules`] numbers them).
    pub flag_rules: Vec<(String, usize)>,
    /// The rule that raised the annual grade cap.
    pub cap_rule: Option<usize>,
    /// The rule that set the year's grade.
    pub set_grade_rule: Option<usize>,
    /// The rule that set the year's score.
    pub set_score_rule: Option<usize>,
    /// The rule that first excluded the person from the year.
    pub exclude_rule: Option<usize>,
    /// On a policy with one card a year: the card's total and its points outside the items.
    pub year_card: Option<(Exact, Exact)>,
    /// On a balance card: the month (0-based) whose snapshot is the year's result.
    pub reading: Option<usize>,
}

/// Computes one person's card: person `p`, the months that are final, whether the year is, and
/// `keep`, which keeps the pieces explanations show (`parts`, `when_hits`, `capped`); without it
/// they stay empty, so that scoring a whole district allocates little. The months are made in
/// `months` (emptied first): a list let go by an earlier card, so that a district's cards, made
/// slice after slice, need no new memory for them.
pub fn card(
    engine: &Engine<'_>,
    (p, finals, year_final, keep): (usize, &[bool; MONTHS], bool, bool),
    errors: &mut Vec<Diag>,
    mut months: Vec<MonthResult>,
) -> Card {
    let policy: &Policy = engine.policy;
    let mut maker = maker(engine, p, keep, errors);
    let year = year_cache(engine);
    let envs: [CardEnv<'_, '_>; MONTHS] = std::array::from_fn(|m| CardEnv {
        engine,
        person: p,
        month: m,
        year: &year,
    });
    if policy.card == Period::Year {
        let (total, outside, items, _) = maker.period_card(&envs);
        let mut card = maker.finish(Vec::new(), year_final, Some(total));
        card.year_card = Some((total, outside));
        let annual = &card.result.annual;
        card.result.year_card = Some(Box::new(MonthResult {
            month: MONTHS as u8,
            total: total.into(),
            published: annual.published,
            items,
            outside: outside.into(),
            flags: annual.flags.clone(),
            is_final: annual.is_final,
        }));
        return card;
    }
    if policy.balance {
        return balance::balance_card(maker, &envs, finals, year_final);
    }
    if policy.card == Period::Quarter {
        return quarter::quarter_card(maker, &envs, finals, year_final);
    }
    months.clear();
    for ((m, &month_final), env) in finals.iter().enumerate().zip(&envs) {
        months.push(maker.month(m, month_final, env));
    }
    maker.finish(months, year_final, None)
}

/// A card about to be made for person `p`, its problems noted in `errors`.
fn maker<'a, 'p>(
    engine: &'a Engine<'p>,
    p: usize,
    keep: bool,
    errors: &'a mut Vec<Diag>,
) -> Maker<'a, 'p> {
    let policy: &'p Policy = engine.policy;
    let person = &engine.roster.people[p];
    let n_items = engine.items.len();
    Maker {
        engine,
        p,
        person,
        keep,
        fail: Failures {
            person: &person.id,
            year: policy.year,
            gaps: BTreeSet::new(),
            reported: BTreeSet::new(),
            errors,
        },
        used: smallvec::smallvec![Exact::ZERO; policy.caps.len()],
        steady: smallvec::smallvec![None; engine.rules.len()],
        integer: engine.integer_plan.is_some()
            && !keep
            && engine.flags.of(p).is_empty()
            && engine.caps.of(p).is_empty()
            && engine.overrides.of(p).is_empty(),
        quiet_card: None,
        quiet_months: if engine.quiet_alike && !keep {
            engine.quiet_months(p)
        } else {
            0
        },
        limits: policy
            .caps
            .iter()
            .map(|c| Exact::from_decimal(c.limit))
            .collect(),
        setup: maker::item_setup(engine, person),
        sums: Few::with_capacity(n_items),
        zero: Few::with_capacity(n_items),
        when_hits: Vec::new(),
        capped: Vec::new(),
        parts: Vec::new(),
        year_flags: BTreeSet::new(),
        flag_rules: BTreeMap::new(),
        grade_cap: None,
        set_grade: None,
        set_score: None,
        floor: None,
        excluded: None,
    }
}

/// The grade a published annual score falls in (grades are listed highest first).
pub fn grade_of(policy: &Policy, score: Decimal) -> usize {
    policy
        .grades
        .iter()
        .position(|g| g.takes(score))
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
        let year = year_cache(engine);
        let setup = maker::item_setup(engine, person);
        for m in 0..MONTHS {
            let env = CardEnv {
                engine,
                person: p,
                month: m,
                year: &year,
            };
            for (r, rr) in engine.rules.iter().enumerate() {
                let RuleBody::When { condition, .. } = &rr.rule.body else {
                    continue;
                };
                let applies = engine.rule_applies[r].as_ref().is_none_or(|a| a[p])
                    && match rr.home {
                        Home::Item(i) => setup.get(i).is_some_and(Option::is_some),
                        Home::Adjustments => true,
                    };
                if !when[r] && applies {
                    when[r] = matches!(expr::truth(condition, &env), Ok(true));
                }
            }
            for (flat, item) in setup.iter().enumerate() {
                if let Some((_, Some((b, base)))) = item {
                    if expr::number(&base.value, &env).is_ok() {
                        bases[flat][*b] = true;
                    }
                }
            }
        }
    }
    (when, bases)
}
