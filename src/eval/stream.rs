//! A year whose cards are made as they are written: for a policy where no person's result
//! depends on another's (no rank, no quota, no scaled item), a district's cards need not be held
//! all at once. The writer asks for the cards of a slice of people, writes their rows and lets
//! them go, so memory stays a few slices large and each card is still warm when it is written.
//! Any problem met making a card is kept, and [`Stream::finish`] gives them all: the writer then
//! publishes nothing.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Mutex;

use super::Roster;
use super::card;
pub use super::card::Quick;
use super::engine::{Engine, MONTHS};
use super::outcome::{MonthResult, Outcome, PersonResult};
use super::run::{self, Options, Trace};
use crate::check::Policy;
use crate::diag::{Diag, Problems};

/// What an evaluation gave: every card made, or the cards still to make.
// One is made per run, and moved once or twice: the sizes of its variants do not matter.
#[allow(clippy::large_enum_variant)]
pub enum Scored<'p> {
    Whole(Outcome, Option<Trace>),
    Streamed(Stream<'p>),
}

impl Scored<'_> {
    /// Every card made, with the problems met making them.
    pub fn whole(self) -> Result<(Outcome, Option<Trace>), Problems> {
        match self {
            Scored::Whole(outcome, trace) => Ok((outcome, trace)),
            Scored::Streamed(stream) => stream.whole().map(|outcome| (outcome, None)),
        }
    }
}

/// The years of people nothing in the records touched, by their roster rows' values: a few
/// dozen kinds of people at most (a role, a flag), each year made once.
struct Blank {
    /// The policy gives such people alike the same year ([`Engine::cards_read_own_rows`]).
    alike: bool,
    /// Per kind of people met so far: one of them, and their year (`None`: it is made as a
    /// whole card, as every such person's is).
    years: Vec<(usize, Option<Quick>)>,
}

impl Blank {
    /// Kinds of people kept, at most.
    const KEPT: usize = 64;

    /// [`card::quick`] of person `p`: taken from another person's with the same values when
    /// nothing touched either (and not tried again when it could not be had for that one).
    fn quick(&mut self, engine: &Engine<'_>, p: usize) -> Option<Quick> {
        if !self.alike || !engine.untouched(p) {
            return card::quick(engine, p);
        }
        let people = &engine.roster.people;
        let values = &people.get(p)?.values;
        let same =
            |&&(q, _): &&(usize, Option<Quick>)| people.get(q).is_some_and(|q| q.values == *values);
        if let Some((_, year)) = self.years.iter().find(same) {
            return *year;
        }
        let year = card::quick(engine, p);
        if self.years.len() < Self::KEPT {
            self.years.push((p, year));
        }
        year
    }
}

/// One person's year as [`Stream::years`] gives it.
// Many are made, a slice at a time, and each is moved once into its slice's list.
#[allow(clippy::large_enum_variant)]
pub enum Year {
    /// Person `.0`'s year, without the card's pieces.
    Quick(usize, Quick),
    Card(PersonResult),
}

/// The records of the year, read and settled, whose cards are made on demand.
pub struct Stream<'p> {
    engine: Engine<'p>,
    finals: [bool; MONTHS],
    year_complete: bool,
    files: Vec<PathBuf>,
    /// The problems met making cards so far.
    errors: Mutex<Vec<Diag>>,
    /// Lists of months of cards written and let go, for the months of the next cards.
    spare: Mutex<Vec<Vec<MonthResult>>>,
}

/// Whether no person's result can depend on another's, and nothing of the run is kept for an
/// explanation: the cards can then be made in slices as they are written.
pub fn streams(policy: &Policy, options: &Options) -> bool {
    options.trace.is_none()
        && policy.ranks.is_empty()
        && policy.grades.iter().all(|g| g.quota.is_none())
        && !super::relative::needed(policy)
}

/// Reads every record as [`run::evaluate`] does. On a policy whose cards can be made as they are
/// written (see [`streams`]) and records without problems, the cards are left to make; otherwise
/// they are all made here, with the same problems and results as [`run::evaluate`].
pub fn evaluate_streamed<'p>(
    policy: &'p Policy,
    roster: &'p Roster,
    files: &[PathBuf],
    options: &Options,
) -> Result<Scored<'p>, Problems> {
    let engine = run::read_year(policy, roster, files, options, false)?;
    if !streams(policy, options) || !engine.errors.is_empty() {
        // Problems in the records are told together with those of the cards, as they always are.
        let (outcome, trace, _) = run::score(engine, files, options, false)?;
        return Ok(Scored::Whole(outcome, trace));
    }
    let (finals, year_complete) = run::finals(policy, options.as_of);
    Ok(Scored::Streamed(Stream {
        engine,
        finals,
        year_complete,
        files: files.to_vec(),
        errors: Mutex::new(Vec::new()),
        spare: Mutex::new(Vec::new()),
    }))
}

impl Stream<'_> {
    /// How many people there are cards for.
    pub fn len(&self) -> usize {
        self.engine.roster.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The year scored.
    pub fn year(&self) -> i32 {
        self.engine.policy.year
    }

    /// Which months are final, and whether the year is, as the report day makes them.
    pub fn finals(&self) -> (&[bool; MONTHS], bool) {
        (&self.finals, self.year_complete)
    }

    /// The years of the people in `range`, in roster order: what a table of results shows of
    /// each, where it can be had without the whole card ([`card::quick`]), else the card. A
    /// problem met making a card is kept for [`Stream::finish`].
    pub fn years(&self, range: Range<usize>) -> Vec<Year> {
        let range = range.start.min(self.len())..range.end.min(self.len());
        if !card::quick_policy(&self.engine) {
            return self.cards(range).into_iter().map(Year::Card).collect();
        }
        let mut years = Vec::with_capacity(range.len());
        // The people since the last quick year, whose cards are made together.
        let mut carded = range.start..range.start;
        let mut blank = Blank {
            alike: self.engine.cards_read_own_rows(),
            years: Vec::new(),
        };
        for p in range.clone() {
            if let Some(quick) = blank.quick(&self.engine, p) {
                years.extend(self.cards(carded).into_iter().map(Year::Card));
                years.push(Year::Quick(p, quick));
                carded = p + 1..p + 1;
            } else {
                carded.end = p + 1;
            }
        }
        years.extend(self.cards(carded).into_iter().map(Year::Card));
        years
    }

    /// The cards of the people in `range`, in roster order. A problem met making them is kept
    /// for [`Stream::finish`].
    pub fn cards(&self, range: Range<usize>) -> Vec<PersonResult> {
        let range = range.start.min(self.len())..range.end.min(self.len());
        if range.is_empty() {
            return Vec::new();
        }
        let mut spare = {
            // Taking lists out of the pool or putting them back cannot leave it half-changed.
            let mut pool = self.spare.lock().unwrap_or_else(|e| e.into_inner());
            let keep = pool.len().saturating_sub(range.len());
            pool.split_off(keep)
        };
        let (people, _, errors) = run::cards_of(
            &self.engine,
            range,
            (&self.finals, self.year_complete),
            None,
            &mut spare,
        );
        if !errors.is_empty() {
            // A thread that panicked while holding the list cannot have left it half-changed:
            // `extend` of owned values is all it does.
            let mut kept = self.errors.lock().unwrap_or_else(|e| e.into_inner());
            kept.extend(errors);
        }
        people
    }

    /// Years written: the lists of months of their cards go back to the pool, for the next
    /// cards made.
    pub fn let_go(&self, years: Vec<Year>) {
        let lists = years.into_iter().filter_map(|y| match y {
            Year::Card(p) => Some(p.months),
            Year::Quick(..) => None,
        });
        let mut pool = self.spare.lock().unwrap_or_else(|e| e.into_inner());
        pool.extend(lists);
    }

    /// Every problem met making cards so far, as [`run::evaluate`] gives them; `Ok` when there was
    /// none.
    pub fn finish(&self) -> Result<(), Problems> {
        let mut errors =
            std::mem::take(&mut *self.errors.lock().unwrap_or_else(|e| e.into_inner()));
        if errors.is_empty() {
            return Ok(());
        }
        run::sort_problems(&mut errors);
        Err(run::scoring(errors, &self.files))
    }

    /// Every card made at once, as [`run::evaluate`] makes them.
    pub fn whole(self) -> Result<Outcome, Problems> {
        let (people, _, errors) =
            run::all_cards(&self.engine, &self.finals, self.year_complete, None);
        let (year, year_complete) = (self.year(), self.year_complete);
        self.errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(errors);
        self.finish()?;
        Ok(Outcome {
            year,
            year_complete,
            people,
        })
    }
}
