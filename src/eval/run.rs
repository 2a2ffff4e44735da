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
    let mut engine = Engine::new(policy, roster, options.trace);
    let input_errors = input::read_records(policy, roster, files, &mut |rec| engine.add(rec));
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
    let mut people = Vec::with_capacity(roster.people.len());
    let mut trace = None;
    for p in 0..roster.people.len() {
        let c = card::card(&engine, p, &finals, year_complete, &mut errors);
        if options.trace == Some(p) {
            people.push(c.result.clone());
            let aggregates = (0..policy.aggregates.len())
                .map(|id| (0..MONTHS).map(|m| engine.aggregate(id, p, m)).collect())
                .collect();
            trace = Some(Trace {
                person: p,
                card: c,
                contributions: std::mem::take(&mut engine.traced),
                aggregates,
            });
        } else {
            people.push(c.result);
        }
    }
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
