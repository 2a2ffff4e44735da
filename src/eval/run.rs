//! The whole evaluation: read, accumulate, make the cards.

use super::*;

use std::path::PathBuf;

use crate::check::Policy;
use crate::codes::Code;
use crate::diag::{Diag, Problems, Stage};
use crate::ops::Window;
use engine::{Engine, MONTHS};
use outcome::{Outcome, scoring_problem};

pub use crate::date::{Date, days_in_month};

#[derive(Clone)]
pub struct Options {
    /// The day the report is made: year-window values are final only once the year is over.
    pub as_of: Date,
    /// A person whose every contribution is kept, for explanations.
    pub trace: Option<usize>,
    /// How the record files' text is encoded.
    pub encoding: input::Encoding,
    /// Record files held in memory: a file of `files` named like one of them is read from it.
    pub memory: Vec<input::InMemory>,
    /// How the records are read.
    pub reading: Reading,
    /// How many threads read the records; `None`: one per processor (at most four) for files
    /// large enough to pay for them.
    pub threads: Option<usize>,
}

/// How the records are read: both ways give the same results and the same problems.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reading {
    /// Counted by the policy's compiled kernel where the policy and the files allow it (see
    /// `eval::engine::Kernel`), else one by one.
    #[default]
    Compiled,
    /// Every record checked and added one by one.
    OneByOne,
}

pub use super::trace::Trace;

/// Problems found while scoring, every one, each record's file named as in `files`.
pub(super) fn scoring(mut list: Vec<Diag>, files: &[PathBuf]) -> Problems {
    for d in &mut list {
        d.name_files(files);
    }
    Problems {
        list,
        ..Problems::new(Stage::Scoring)
    }
}

/// Which rules and bases of the policy took effect for somebody: a rule whose effects reached a
/// person who has its item, a `when` rule whose condition held for such a person, a base that gave
/// a value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Per rule, numbered as [`plan::flat_rules`] numbers them.
    pub rules: Vec<bool>,
    /// Per flat item (as [`plan::flat_rules`] lists them), per base in the item's order.
    pub bases: Vec<Vec<bool>>,
}

/// Reads every record, scores every person. Nothing is returned on partial data: any problem in
/// any file gives `Err` with all problems found.
pub fn evaluate(
    policy: &Policy,
    roster: &Roster,
    files: &[PathBuf],
    options: &Options,
) -> Result<(Outcome, Option<Trace>), Problems> {
    run(policy, roster, files, options, false).map(|(outcome, trace, _)| (outcome, trace))
}

/// [`evaluate`], also saying which rules took effect for somebody (`tally test`'s coverage).
pub fn evaluate_with_coverage(
    policy: &Policy,
    roster: &Roster,
    files: &[PathBuf],
    options: &Options,
) -> Result<(Outcome, Option<Trace>, Coverage), Problems> {
    run(policy, roster, files, options, true)
        .map(|(outcome, trace, coverage)| (outcome, trace, coverage.unwrap_or_default()))
}

pub(super) type Evaluated = (Outcome, Option<Trace>, Option<Coverage>);

fn run(
    policy: &Policy,
    roster: &Roster,
    files: &[PathBuf],
    options: &Options,
    cover: bool,
) -> Result<Evaluated, Problems> {
    let engine = read_year(policy, roster, files, options, cover)?;
    score(engine, files, options, cover)
}

/// Every record of the year read into one engine, with the highest-per and validity rules
/// settled: all that is known before any card is made.
pub(super) fn read_year<'p>(
    policy: &'p Policy,
    roster: &'p Roster,
    files: &[PathBuf],
    options: &Options,
    cover: bool,
) -> Result<Engine<'p>, Problems> {
    let year_start = Date {
        year: policy.year,
        month: 1,
        day: 1,
    };
    if options.as_of < year_start {
        return Err(scoring(
            vec![report_day_before_year(policy, options)],
            files,
        ));
    }
    let conditions = plan::roster_condition_problems(policy, roster);
    if !conditions.is_empty() {
        return Err(scoring(conditions, files));
    }
    let mut engine = read_all(policy, roster, files, options, cover)?;
    if options.reading == Reading::Compiled && engine::integer_cards(policy) {
        engine.integer_plan = card::IntegerPlan::new(&engine);
    }
    engine.settle_highest();
    engine.settle_validity();
    Ok(engine)
}

/// Every card made from the records read, and what needs all of them (ranks, quotas, scaled
/// items).
pub(super) fn score(
    mut engine: Engine<'_>,
    files: &[PathBuf],
    options: &Options,
    cover: bool,
) -> Result<Evaluated, Problems> {
    let (policy, roster) = (engine.policy, engine.roster);
    let (finals, year_complete) = finals(policy, options.as_of);
    let mut errors = std::mem::take(&mut engine.errors);
    let traced = std::mem::take(&mut engine.traced);
    let dropped = std::mem::take(&mut engine.dropped);
    let mut windows = std::mem::take(&mut engine.windows);
    windows.sort_by_key(|w| (w.start, w.origin, w.rule));
    let carried = carried_for(&mut engine, &traced);
    // Items scaled to their group's best (§32): the cards are made once for the own values,
    // whose bests the second making scales to.
    if relative::needed(policy) {
        let (first, _, _) = all_cards(&engine, &finals, year_complete, None);
        let bests = relative::Bests::from_results(policy, roster, &engine.items, &first);
        errors.extend(bests.problems(policy, &engine.items, engine.reading));
        engine.relative = Some(Box::new(bests));
    }
    let (mut people, cards, card_errors) =
        all_cards(&engine, &finals, year_complete, options.trace);
    errors.extend(card_errors);
    // Ranks first: what a place gives (`+{ 1: 10 }`, `scaled 600`) changes results and grades,
    // which the quotas then share out.
    errors.extend(super::rank::apply(&engine, &mut people));
    if policy.grades.iter().any(|g| g.quota.is_some()) {
        quota::apply(policy, roster, &mut people);
    }
    let trace = cards.map(|mut card| {
        let p = card.result.person;
        // The quotas are met once every card is made: the traced card takes its final grade.
        if let Some(done) = people.get(p) {
            card.result.annual = done.annual.clone();
        }
        let aggregates = (0..policy.aggregates.len())
            .map(|id| (0..MONTHS).map(|m| engine.aggregate(id, p, m)).collect())
            .collect();
        let mut trace = trace::assemble(policy, card, &traced, &dropped, aggregates);
        if let Some((_, day)) = &mut trace.reading {
            *day = engine.reading;
        }
        trace.windows = windows;
        trace.carried = carried;
        trace.bests = engine.relative.clone();
        trace
    });
    if !errors.is_empty() {
        sort_problems(&mut errors);
        return Err(scoring(errors, files));
    }
    let coverage = cover.then(|| coverage(&engine));
    Ok((
        Outcome {
            year: policy.year,
            year_complete,
            people,
        },
        trace,
        coverage,
    ))
}

/// The earlier years' records a yearly card carries (§31) that the traced person's explanation
/// shows: those carried into what the rules gave them, and their own records not carried, in the
/// order of their dates.
fn carried_for(engine: &mut Engine<'_>, traced: &[engine::Contribution]) -> Vec<super::Carried> {
    let Some(p) = engine.trace else {
        return Vec::new();
    };
    let mut carried: Vec<super::Carried> = std::mem::take(&mut engine.carried)
        .into_iter()
        .filter(|c| {
            if c.counts {
                traced
                    .iter()
                    .any(|t| Some(t.rule) == c.rule && t.origin == c.origin)
            } else {
                c.person == Some(p)
            }
        })
        .collect();
    carried.sort_by_key(|c| (c.date, c.origin, c.rule));
    carried
}

/// A report day before the policy's year: nothing of the year is read yet.
#[cold]
fn report_day_before_year(policy: &Policy, options: &Options) -> Diag {
    scoring_problem(
        Code::ReportDayBeforeYear,
        None,
        crate::tr!(
            format!(
                "the report day {} is before {}, the policy's year",
                options.as_of, policy.year
            ),
            format!(
                "统计日 {} 早于政策文件的年度 {} 年",
                options.as_of, policy.year
            )
        ),
        Some(crate::tr!(
            format!(
                "give `--as-of` a day in {} for the results so far, or after it for the final results",
                policy.year
            ),
            format!(
                "`--as-of` 给 {} 年内的一天，得到截至那天的结果；给那年以后的一天，得到最终结果",
                policy.year
            )
        )),
    )
}

/// The scoring problems in the order of their codes, then of the records they are about, each
/// once.
pub(super) fn sort_problems(errors: &mut Vec<Diag>) {
    let key = |d: &Diag| {
        let at = d.place();
        (
            d.code,
            at.and_then(|a| a.record_file),
            at.and_then(|a| a.line),
            d.message.clone(),
            d.help.clone(),
        )
    };
    errors.sort_by_cached_key(key);
    errors.dedup_by(|a, b| key(a) == key(b));
}

/// Every record read into one engine: its accumulators filled with the records up to the report
/// day. `Err` with the reader's problems, or with the records dated after the report day.
fn read_all<'p>(
    policy: &'p Policy,
    roster: &'p Roster,
    files: &[PathBuf],
    options: &Options,
    cover: bool,
) -> Result<Engine<'p>, Problems> {
    if !cover && options.reading == Reading::Compiled {
        if let Some(engine) = counted(policy, roster, files, options) {
            return Ok(engine);
        }
    }
    let make = || {
        let mut engines = new_engines(
            options
                .threads
                .unwrap_or_else(|| reading_threads(policy, roster, files)),
            policy,
            roster,
            options.trace,
        );
        if cover {
            let cells = engines
                .first()
                .map_or(0, |e| e.rules.len() * roster.people.len());
            for e in &mut engines {
                e.hits = Some(vec![0; cells]);
            }
        }
        engines
            .into_iter()
            .map(|mut engine| {
                engine.reading = reading_day(policy, options.as_of);
                engine.report_day = options.as_of;
                Until {
                    engine,
                    as_of: options.as_of,
                    late: Vec::new(),
                }
            })
            .collect::<Vec<Until<'_>>>()
    };
    let (sinks, input_errors) = input::read_records(
        policy,
        roster,
        files,
        &options.memory,
        options.encoding,
        make,
    );
    let mut late = Vec::new();
    let engines: Vec<Engine<'_>> = sinks
        .into_iter()
        .map(|s| {
            late.extend(s.late);
            s.engine
        })
        .collect();
    let mut rest = engines.into_iter();
    let Some(mut engine) = rest.next() else {
        return Err(input_errors);
    };
    for other in rest {
        engine.merge(other);
    }
    if !input_errors.is_empty() {
        return Err(input_errors);
    }
    if !late.is_empty() {
        return Err(scoring(
            vec![late_records(late, files, options.as_of)],
            files,
        ));
    }
    Ok(engine)
}

/// Whether the policy's records can be counted by its compiled kernel (for this roster), rather
/// than read one by one: see `eval::engine::Kernel`.
pub fn compiles(policy: &Policy, roster: &Roster) -> bool {
    Engine::new(policy, roster, None).kernel().is_some()
}

/// Whether `files` are counted by the policy's compiled kernel (a policy that compiles, files
/// plainly valid), rather than handed to the reading one by one. The scores are the same either
/// way; only the time differs.
pub fn read_by_kernel(
    policy: &Policy,
    roster: &Roster,
    files: &[PathBuf],
    options: &Options,
) -> bool {
    counted(policy, roster, files, options).is_some()
}

/// The records counted by the compiled kernel, when the policy has one and the files are plainly
/// valid; `None` leaves them to the record-by-record reading, which tells every problem.
fn counted<'p>(
    policy: &'p Policy,
    roster: &'p Roster,
    files: &[PathBuf],
    options: &Options,
) -> Option<Engine<'p>> {
    let mut engine = Engine::new(policy, roster, options.trace);
    engine.reading = reading_day(policy, options.as_of);
    engine.report_day = options.as_of;
    let kernel = engine.kernel()?;
    let sources = input::Sources {
        files,
        memory: &options.memory,
        encoding: options.encoding,
        threads: options.threads,
    };
    let counted = input::count_records(policy, roster, sources, &kernel, options.as_of)?;
    if let Some(counters) = &counted.counters {
        let threads = options.threads.unwrap_or_else(input::cores);
        if !engine.absorb(&kernel, counters, threads) {
            return None;
        }
    }
    // The records of the kinds the kernel does not count, one by one, in file and line order.
    for r in &counted.routed {
        engine.add_record(&Record {
            kind: r.kind,
            year: policy.year,
            month: r.month,
            day: r.day,
            subject: r.subject,
            fields: &r.fields,
            origin: r.origin,
        });
    }
    Some(engine)
}

/// Which months are final as of the report day (all, once the year is over; none before it when
/// a rule reads the whole year), and whether the year is over.
pub(super) fn finals(policy: &Policy, as_of: Date) -> ([bool; MONTHS], bool) {
    let year_complete = as_of
        >= Date {
            year: policy.year,
            month: 12,
            day: 31,
        };
    let uses_year = policy.aggregates.iter().any(|a| a.window == Window::Year);
    let mut finals = [false; MONTHS];
    for (m, f) in finals.iter_mut().enumerate() {
        let month = (m + 1) as u8;
        let month_over = as_of
            >= Date {
                year: policy.year,
                month,
                day: days_in_month(policy.year, month),
            };
        *f = year_complete || (!uses_year && month_over);
    }
    (finals, year_complete)
}

fn coverage(engine: &Engine<'_>) -> Coverage {
    let (mut rules, bases) = card::when_and_base_coverage(engine);
    let people = &engine.roster.people;
    let hits = engine.hits.as_deref().unwrap_or(&[]);
    for (r, rr) in engine.rules.iter().enumerate() {
        let item = match rr.home {
            plan::Home::Item(i) => engine
                .items
                .get(i)
                .map(|&(s, i)| &engine.policy.sections[s].items[i]),
            plan::Home::Adjustments => None,
        };
        let reached = people.iter().enumerate().any(|(p, person)| {
            hits.get(r * people.len() + p).is_some_and(|&h| h > 0)
                && item.is_none_or(|it| {
                    it.applies
                        .as_ref()
                        .is_none_or(|a| plan::roster_holds(a, person))
                })
        });
        if let Some(x) = rules.get_mut(r) {
            *x |= reached;
        }
    }
    Coverage { rules, bases }
}

/// Every person's card, people split among the available processors (cards are independent of
/// each other). Returns the results in roster order, the traced person's whole card, and the
/// problems found.
pub(super) fn all_cards(
    engine: &Engine<'_>,
    finals: &[bool; MONTHS],
    year_complete: bool,
    trace: Option<usize>,
) -> (Vec<outcome::PersonResult>, Option<card::Card>, Vec<Diag>) {
    let n = engine.roster.people.len();
    let run = |range: std::ops::Range<usize>| {
        cards_of(
            engine,
            range,
            (finals, year_complete),
            trace,
            &mut Vec::new(),
        )
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

/// The cards of the people in `range`, in roster order, with the problems met making them; the
/// card of `trace`, if among them, kept whole for its explanation. Their months are made in the
/// lists of `spare` while it has some.
pub(super) fn cards_of(
    engine: &Engine<'_>,
    range: std::ops::Range<usize>,
    (finals, year_complete): (&[bool; MONTHS], bool),
    trace: Option<usize>,
    spare: &mut Vec<Vec<outcome::MonthResult>>,
) -> (Vec<outcome::PersonResult>, Option<card::Card>, Vec<Diag>) {
    let mut results = Vec::with_capacity(range.len());
    let mut kept = None;
    let mut errors = Vec::new();
    for p in range {
        let keep = trace == Some(p);
        let months = spare.pop().unwrap_or_else(|| Vec::with_capacity(MONTHS));
        let how = (p, finals, year_complete, keep);
        let c = card::card(engine, how, &mut errors, months);
        let id = &engine.roster.people[p].id;
        card::ledger::overflows(engine.policy, id, &c.result, &mut errors);
        if keep {
            results.push(c.result.clone());
            kept = Some(c);
        } else {
            results.push(c.result);
        }
    }
    (results, kept, errors)
}

/// `n` engines, built side by side: each fills large accumulators, which takes a while.
/// The day a balance card is read for the year: the report day while the year runs, else its
/// last day.
pub fn reading_day(policy: &Policy, as_of: Date) -> Date {
    as_of.min(Date::end_of_month(policy.year, 12))
}

/// An engine that takes the records dated up to the report day and keeps where the later ones
/// are: those have not happened yet as of that day, and counting them would be wrong.
struct Until<'p> {
    engine: Engine<'p>,
    as_of: Date,
    late: Vec<Origin>,
}

impl input::Sink for Until<'_> {
    fn add(&mut self, rec: &Record<'_>) {
        let date = rec.date();
        if date > self.as_of {
            self.late.push(rec.origin);
        } else {
            self.engine.add(rec);
        }
    }

    fn prefetch(&self, rec: &Record<'_>) {
        self.engine.prefetch(rec);
    }
}

/// How many record lines a problem lists before it says how many more there are.
const LISTED: usize = 20;

/// One problem naming the records dated after the report day (`file:line`, the first
/// [`LISTED`] of them).
fn late_records(mut late: Vec<Origin>, files: &[PathBuf], as_of: Date) -> Diag {
    late.sort();
    late.dedup();
    let n = late.len();
    let mut listed = late.clone();
    listed.truncate(LISTED);
    let mut at = fold_origins(files, &listed).join(", ");
    if n > LISTED {
        at.push_str(&crate::tr!(
            format!(" and {} more", n - LISTED),
            format!(" 等，另有 {} 条", n - LISTED)
        ));
    }
    let (count, are) = if n == 1 {
        ("1 record is".to_string(), "it")
    } else {
        (format!("{n} records are"), "them")
    };
    scoring_problem(
        Code::AfterReportDay,
        None,
        crate::tr!(
            format!("{count} dated after the report day {as_of}: {at}"),
            format!("{n} 条记录的日期在统计日 {as_of} 之后：{at}")
        ),
        Some(crate::tr!(
            format!(
                "as of {as_of} they have not happened yet; give `--as-of` a later day, or keep {are} out of the records until then"
            ),
            format!(
                "到 {as_of} 为止这些事还没发生；`--as-of` 给晚一些的日子，或者到那时之前先别把它们放进记录"
            )
        )),
    )
}

fn new_engines<'p>(
    n: usize,
    policy: &'p Policy,
    roster: &'p Roster,
    trace: Option<usize>,
) -> Vec<Engine<'p>> {
    if n <= 1 {
        return vec![Engine::new(policy, roster, trace)];
    }
    std::thread::scope(|scope| {
        // A thread that cannot be had, or that fails, leaves its engine to be built here.
        let others: Vec<_> = (1..n)
            .map(|_| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || Engine::new(policy, roster, trace))
                    .ok()
            })
            .collect();
        let mut engines = vec![Engine::new(policy, roster, trace)];
        for h in others {
            engines.push(
                h.and_then(|h| h.join().ok())
                    .unwrap_or_else(|| Engine::new(policy, roster, trace)),
            );
        }
        engines
    })
}

/// How many threads read the records one by one: see [`input::reading_threads`]; from 8 MiB of
/// files, when a second thread pays for its own accumulators.
fn reading_threads(policy: &Policy, roster: &Roster, files: &[PathBuf]) -> usize {
    let each = engine::accumulator_bytes(policy, roster);
    input::reading_threads(files, each, 8 << 20)
}
