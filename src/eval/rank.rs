//! Ranks (`rank standing "村内名次" of village`): once every card is made and every quota met, each
//! person's place in their group, by published result or by a value of the year (`by lowest
//! mean(rating.place) in year`). Equal values share a place, one more than the number of better
//! values (1, 2, 2, 4), so a place never depends on the roster's order or on how the people were
//! split among threads. People not evaluated this year are in no group; people whose value is
//! missing (a mean over no records) are in their group's count but have no place. A rank reads the
//! results and changes none of them.

use super::engine::Engine;
use super::expr::{self, Env, Gap};
use super::outcome::{PersonResult, RankNote};
use super::{Person, outcome::scoring_problem};
use crate::check::model::{AggId, Policy, Rank, RankGives};
use crate::codes::Code;
use crate::diag::Diag;
use crate::exact::Exact;

/// Ranks every person under every `rank` of the policy; the problems of computing a value (a
/// division by zero, a number too large) are returned, to be reported with the others.
pub fn apply(engine: &Engine<'_>, people: &mut [PersonResult]) -> Vec<Diag> {
    let (policy, roster) = (engine.policy, engine.roster);
    let mut errors = Vec::new();
    for (r, rank) in policy.ranks.iter().enumerate() {
        let values: Vec<Option<Exact>> = people
            .iter()
            .map(|p| value(engine, rank, p, &mut errors))
            .collect();
        for (group, members) in super::quota::groups(policy, roster, people, rank.of, &rank.also) {
            rank_group(people, (r, rank.lowest), group, &members, &values);
            if let Some(gives) = &rank.gives {
                give(
                    (policy, roster),
                    people,
                    (r, rank),
                    gives,
                    &members,
                    &mut errors,
                );
            }
        }
    }
    errors
}

/// The value person `p` is ranked by: the published result, or the rank's `by` for the year;
/// `None` when a fact it reads is missing, or after noting why it cannot be computed.
fn value(
    engine: &Engine<'_>,
    rank: &Rank,
    p: &PersonResult,
    errors: &mut Vec<Diag>,
) -> Option<Exact> {
    // Somebody not evaluated this year is in no group: nothing to compute for them.
    if p.annual.excluded.is_some() {
        return None;
    }
    let Some(by) = &rank.by else {
        return Some(Exact::from_decimal(p.annual.published));
    };
    let env = YearEnv {
        engine,
        person: p.person,
    };
    match expr::number(by, &env) {
        Ok(v) => Some(v),
        Err(Gap::Missing(_) | Gap::Repeated(_) | Gap::Reported) => None,
        Err(gap) => {
            let who = engine.roster.people.get(p.person);
            errors.push(value_problem(rank, who, &gap));
            None
        }
    }
}

/// One person over the whole year, as a rank's value reads them (the checker lets it read only
/// year windows, the same in every month).
struct YearEnv<'a, 'p> {
    engine: &'a Engine<'p>,
    person: usize,
}

impl Env for YearEnv<'_, '_> {
    fn person(&self) -> Option<&Person> {
        self.engine.roster.people.get(self.person)
    }
    fn aggregate(&self, id: AggId) -> expr::Result<Exact> {
        self.engine.aggregate(id, self.person, 11)
    }
}

#[cold]
fn value_problem(rank: &Rank, who: Option<&Person>, gap: &Gap) -> Diag {
    let (code, verb, verb_zh, help) = match gap {
        Gap::DivisionByZero => (
            Code::DividesByZero,
            "divides by zero",
            "除以零",
            crate::tr!(
                "write the rank's value so that it cannot divide by zero",
                "改写排名依据的值，避免除以零"
            ),
        ),
        _ => (
            Code::ArithmeticOverflow,
            "needs more digits than tally can compute exactly",
            "位数太多，tally 算不精确",
            crate::tr!(
                "look for a wrong factor in the rank's value, or a wrong value in the records",
                "查一查排名依据的值里有没有写错的系数，记录里有没有填错的值"
            ),
        ),
    };
    let id = who.map_or("", |p| p.id.as_str());
    scoring_problem(
        code,
        None,
        crate::tr!(
            format!("the value of rank `{}` {verb} for `{id}`", rank.id),
            crate::lang::spaced(&format!("排名 `{}` 的依据对 `{id}` {verb_zh}", rank.id))
        ),
        Some(help.into()),
    )
}

/// The places of one group's `members` (by their place in `people`) under rank `r`, `lowest`
/// first or highest first.
fn rank_group(
    people: &mut [PersonResult],
    (r, lowest): (usize, bool),
    group: String,
    members: &[usize],
    values: &[Option<Exact>],
) {
    // Better first: the highest values, or the lowest for `by lowest`.
    let better = |a: &Exact, b: &Exact| if lowest { a < b } else { a > b };
    let mut ranked: Vec<Exact> = members.iter().filter_map(|&i| values[i]).collect();
    ranked.sort_unstable_by(|a, b| if lowest { a.cmp(b) } else { b.cmp(a) });
    let best = ranked.first().copied();
    let best_people: Vec<usize> = members
        .iter()
        .filter(|&&i| values[i].is_some() && values[i] == best)
        .map(|&i| people[i].person)
        .collect();
    for &i in members {
        let own = values[i];
        // The values are better first: the better ones are those before the first equal one.
        let place = own.map(|v| ranked.partition_point(|x| better(x, &v)) + 1);
        people[i].annual.ranks.push(RankNote {
            rank: r,
            group: group.clone(),
            group_size: members.len(),
            place,
            value: own,
            best,
            best_people: best_people.clone(),
            gave: None,
        });
    }
}

/// What the places of one group give under rank `r`: points by place, or each result scaled to
/// the group's best; the results are published again and graded again. A result set by a rule
/// (`score 0`) stays as set.
fn give(
    (policy, roster): (&Policy, &super::Roster),
    people: &mut [PersonResult],
    (r, rank): (usize, &Rank),
    gives: &RankGives,
    members: &[usize],
    errors: &mut Vec<Diag>,
) {
    for &i in members {
        let p = &mut people[i];
        if p.annual.set_score.is_some() {
            continue;
        }
        let Some(note) = p.annual.ranks.iter().rposition(|n| n.rank == r) else {
            continue;
        };
        let (place, best) = (p.annual.ranks[note].place, p.annual.ranks[note].best);
        let before = p.annual.published;
        let total = match gives {
            RankGives::Points(table) => {
                let points = place
                    .and_then(|place| table.iter().find(|&&(q, _)| q == place))
                    .map(|&(_, points)| points);
                let Some(points) = points else { continue };
                p.annual.total.checked_add(Exact::from_decimal(points))
            }
            RankGives::Scaled(n) => {
                let Some(best) = best else { continue };
                // A best of 0 divides by zero; a best below 0 would turn the order round (the
                // worst result scaled to the most): neither can be scaled.
                if !best.is_positive() {
                    errors.push(zero_best(rank, &p.annual.ranks[note].group, best));
                    return;
                }
                Exact::from_decimal(before)
                    .checked_mul(Exact::from_decimal(*n))
                    .and_then(|x| x.checked_div(best))
            }
        };
        // A demoted person's result stays at most the grade's lowest score (§29.2).
        let total = match (total, p.annual.floor) {
            (Some(t), Some(f)) => Some(t.min(Exact::from_decimal(f))),
            (t, _) => t,
        };
        let published = total.and_then(|t| t.round(policy.round_places, policy.rounding));
        let (Some(total), Some(published)) = (total, published) else {
            errors.push(value_problem(
                rank,
                roster.people.get(p.person),
                &Gap::Overflow,
            ));
            continue;
        };
        let annual = &mut p.annual;
        if annual.before_ranks.is_none() {
            annual.before_ranks = Some(Box::new((annual.total, annual.published)));
        }
        annual.total = total;
        annual.published = published;
        annual.grade_by_score = super::card::grade_of(policy, published);
        let grade = annual.set_grade.map_or(annual.grade_by_score, |(g, _)| g);
        annual.grade = annual.grade_cap.map_or(grade, |(c, _)| grade.max(c));
        annual.ranks[note].gave = Some((before, published));
    }
}

/// `scaled N` in a group whose best result is 0 or below: every result would divide by zero,
/// or be turned round.
#[cold]
fn zero_best(rank: &Rank, group: &str, best: Exact) -> Diag {
    let group = if group.is_empty() {
        crate::tr!("everybody", "全体人员")
    } else {
        group
    };
    let best = best.plain();
    scoring_problem(
        Code::DividesByZero,
        None,
        crate::tr!(
            format!(
                "rank `{}` scales the results of `{group}` to its best, which is {best}",
                rank.id
            ),
            format!("排名 `{}` 按 `{group}` 的最高分折算，但最高分是 {best}", rank.id)
        ),
        Some(
            crate::tr!(
                "only a group whose best result is above 0 can be scaled (a best of 0 divides by zero, one below 0 would put the worst result first); check its records",
                "只有最高分大于 0 的组才能折算（最高分为 0 会除以零，小于 0 会把最差的排到最前）；检查这个组的记录"
            )
            .into(),
        ),
    )
}
