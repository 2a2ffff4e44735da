//! A person's year as a table of results shows it, and nothing more: each month's published
//! total, the year's published total and its grade. A district's cards are nearly all whole
//! millionths with no flag, no grade set and no problem; for those the months are made in
//! millionths ([`Maker::integer_total`]) and the year from their totals, without the pieces a
//! card keeps for explanations. Whatever this does not make the same way (a month in exact
//! fractions, a flag, an override, a gap, a problem to tell, a policy with ledgers or with cards
//! other than monthly ones) gives `None`, and the person's card is made in full: both give the
//! same rows.

use super::*;

/// What a table of results shows of one person's year.
#[derive(Clone, Copy)]
pub struct Quick {
    /// Per month: its total as published.
    pub months: [Decimal; MONTHS],
    /// The year's total as published, and its grade.
    pub annual: Decimal,
    pub grade: usize,
}

/// Whether [`quick`] can make anybody's year under `engine`'s policy: its cards are monthly,
/// months can be made in millionths, and it declares no ledger (whose cells a [`Quick`] lacks).
pub fn quick_policy(engine: &Engine<'_>) -> bool {
    let policy = engine.policy;
    engine.integer_plan.is_some()
        && policy.card == Period::Month
        && !policy.balance
        && policy.ledgers.is_empty()
}

/// Person `p`'s year as [`card`] makes it, without explanations, when it is made in millionths
/// with nothing to flag or to tell (see the module's doc); `None` otherwise, having noted nothing
/// anywhere. Whether months and year are final is not asked: with nothing missing they are as
/// the report day makes them.
pub fn quick(engine: &Engine<'_>, p: usize) -> Option<Quick> {
    if !quick_policy(engine) {
        return None;
    }
    // Any problem met here is told when the card is made in full.
    let mut noted = Vec::new();
    let mut maker = maker(engine, p, false, &mut noted);
    if !maker.integer {
        return None;
    }
    let plan = engine.integer_plan.as_ref()?;
    let policy = engine.policy;
    let year = year_cache(engine);
    let mut totals: [Stored; MONTHS] = std::array::from_fn(|_| Stored::Millionths(0));
    let mut months = [Decimal::ZERO; MONTHS];
    // Each cap's running total as the months go.
    let mut used = plan.unused();
    // The first month in which nothing happened to the person, on a policy where all such
    // months are alike: its total and the total published.
    let mut quiet: Option<(i64, Decimal)> = None;
    for (m, (total, published)) in totals.iter_mut().zip(&mut months).enumerate() {
        let is_quiet = (maker.quiet_months >> m) & 1 == 1;
        let (t, shown) = match quiet.filter(|_| is_quiet) {
            Some(alike) => {
                plan.start_month(&mut used, m);
                alike
            }
            None => {
                let env = CardEnv {
                    engine,
                    person: p,
                    month: m,
                    year: &year,
                };
                let (t, _) = maker.integer_total(m, &env, &mut used, None)?;
                let shown =
                    Exact::round_scaled(t, STORED_PLACES, policy.round_places, policy.rounding)?;
                if is_quiet {
                    quiet = Some((t, shown));
                }
                (t, shown)
            }
        };
        *total = Stored::Millionths(t);
        *published = shown;
    }
    let annual = expr::number(&policy.annual, &MonthsEnv(&totals)).ok()?;
    let shown = maker.fail.publish(policy, annual, None);
    let Failures { gaps, errors, .. } = maker.fail;
    if !gaps.is_empty() || !errors.is_empty() {
        return None;
    }
    Some(Quick {
        months,
        annual: shown,
        grade: grade_of(policy, shown),
    })
}
