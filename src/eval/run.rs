//! The whole evaluation: read, accumulate, make the cards.

use super::*;

use std::path::PathBuf;

use crate::check::Policy;
use crate::syntax::ast::Window;
use engine::{Contribution, Engine, MONTHS};
use outcome::{EvalError, Outcome};

/// A calendar date, as `--as-of` gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub struct Options {
    /// The day the report is made: year-window values are final only once the year is over.
    pub as_of: Date,
    /// A person whose every contribution is kept, for explanations.
    pub trace: Option<usize>,
}

/// Everything kept about the traced person.
pub struct Trace {
    pub person: usize,
    pub card: card::Card,
    pub contributions: Vec<Contribution>,
    /// Every aggregate the policy reads, for this person, per month (index 0 = January).
    pub aggregates: Vec<Vec<expr::Result<rust_decimal::Decimal>>>,
}

/// What went wrong with the inputs: problems from reading, and problems found while scoring.
pub struct Problems {
    pub input: Vec<input::InputError>,
    pub eval: Vec<EvalError>,
}

/// Reads every record, scores every person. Nothing is returned on partial data: any problem in
/// any file gives `Err` with all problems found.
pub fn evaluate(
    policy: &Policy,
    roster: &Roster,
    files: &[PathBuf],
    options: &Options,
) -> Result<(Outcome, Option<Trace>), Problems> {
    let mut engines: Vec<Engine<'_>> = (0..reading_threads(policy, roster, files))
        .map(|_| Engine::new(policy, roster, options.trace))
        .collect();
    let input_errors =
        input::read_records(policy, roster, files, &mut engines, &|e, rec| e.add(rec));
    let mut rest = engines.into_iter();
    let Some(mut engine) = rest.next() else {
        return Err(Problems {
            input: input_errors,
            eval: Vec::new(),
        });
    };
    for other in rest {
        engine.merge(other);
    }
    if !input_errors.is_empty() {
        return Err(Problems {
            input: input_errors,
            eval: Vec::new(),
        });
    }
    engine.settle_highest();
    let year_complete = options.as_of
        >= Date {
            year: policy.year,
            month: 12,
            day: 31,
        };
    let uses_year = policy.aggregates.iter().any(|a| a.window == Window::Year);
    let mut finals = [false; MONTHS];
    for (m, f) in finals.iter_mut().enumerate() {
        let month = (m + 1) as u8;
        let month_over = options.as_of
            >= Date {
                year: policy.year,
                month,
                day: days_in_month(policy.year, month),
            };
        *f = year_complete || (!uses_year && month_over);
    }
    let mut errors = std::mem::take(&mut engine.errors);
    let traced = std::mem::take(&mut engine.traced);
    let (people, cards, card_errors) = all_cards(&engine, &finals, year_complete, options.trace);
    errors.extend(card_errors);
    let trace = cards.map(|card| {
        let p = card.result.person;
        let aggregates = (0..policy.aggregates.len())
            .map(|id| (0..MONTHS).map(|m| engine.aggregate(id, p, m)).collect())
            .collect();
        Trace {
            person: p,
            card,
            contributions: traced,
            aggregates,
        }
    });
    if !errors.is_empty() {
        errors.sort();
        errors.dedup();
        return Err(Problems {
            input: Vec::new(),
            eval: errors,
        });
    }
    Ok((
        Outcome {
            year: policy.year,
            year_complete,
            people,
        },
        trace,
    ))
}

/// Every person's card, people split among the available processors (cards are independent of
/// each other). Returns the results in roster order, the traced person's whole card, and the
/// problems found.
fn all_cards(
    engine: &Engine<'_>,
    finals: &[bool; MONTHS],
    year_complete: bool,
    trace: Option<usize>,
) -> (
    Vec<outcome::PersonResult>,
    Option<card::Card>,
    Vec<EvalError>,
) {
    let n = engine.roster.people.len();
    let run = |range: std::ops::Range<usize>| {
        let mut results = Vec::with_capacity(range.len());
        let mut kept = None;
        let mut errors = Vec::new();
        for p in range {
            let keep = trace == Some(p);
            let c = card::card(engine, p, finals, year_complete, keep, &mut errors);
            if keep {
                results.push(c.result.clone());
                kept = Some(c);
            } else {
                results.push(c.result);
            }
        }
        (results, kept, errors)
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    // Below a few thousand people a thread costs more than it saves.
    let threads = threads.min(n / 2048).max(1);
    if threads == 1 {
        return run(0..n);
    }
    let chunk = n.div_ceil(threads);
    let run = &run;
    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        let mut parts = Vec::new();
        for t in 0..threads {
            let range = (t * chunk).min(n)..((t + 1) * chunk).min(n);
            let mine = range.clone();
            match std::thread::Builder::new().spawn_scoped(scope, move || run(mine)) {
                Ok(h) => handles.push((range, h)),
                // No thread to be had: score these people here.
                Err(_) => parts.push((range.start, run(range))),
            }
        }
        for (range, h) in handles {
            match h.join() {
                Ok(part) => parts.push((range.start, part)),
                // A card never panics; if one did, score its people again on this thread.
                Err(_) => parts.push((range.start, run(range))),
            }
        }
        parts.sort_by_key(|(start, _)| *start);
        let mut people = Vec::with_capacity(n);
        let mut kept = None;
        let mut errors = Vec::new();
        for (_, (results, k, e)) in parts {
            people.extend(results);
            kept = kept.or(k);
            errors.extend(e);
        }
        (people, kept, errors)
    })
}

/// How many threads read the records: one per processor (at most four) once the files are large
/// enough for a second thread to pay for its own accumulators, and as long as those extra
/// accumulators stay small (a district's roster on a long policy reads on one thread, so that
/// memory stays well under a gigabyte).
fn reading_threads(policy: &Policy, roster: &Roster, files: &[PathBuf]) -> usize {
    /// What every extra thread's accumulators may take together.
    const EXTRA: usize = 320 << 20;
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    if bytes < 8 << 20 {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let each = engine::accumulator_bytes(policy, roster).max(1);
    cores.min(1 + EXTRA / each)
}
