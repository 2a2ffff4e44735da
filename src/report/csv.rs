//! The CSV form: exactly `person,name,period,total,grade,final,flags`, as PRODUCT.md fixes it,
//! with a column per ledger after `total` on a policy that declares ledgers (§30).

use std::borrow::Cow;
use std::ops::Range;

use super::{Period, score};
use crate::check::Policy;
use crate::eval::Roster;
use crate::eval::outcome::{Outcome, PersonResult};
use crate::eval::stream::Stream;

/// A text cell as a spreadsheet may safely open it: one that starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return (or their full-width forms) would be run as a formula (a roster name like
/// `=cmd|' /C calc'!A0`), so it gets a leading `'`, which spreadsheets show as text (the OWASP
/// advice for CSV injection). Only text goes through here: numbers such as `-5.00` stay numbers.
pub fn text_cell(text: &str) -> Cow<'_, str> {
    const FORMULA: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
    if text.starts_with(FORMULA) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

pub fn csv(policy: &Policy, roster: &Roster, outcome: &Outcome, period: Period) -> String {
    let mut text = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_csv(policy, roster, outcome, period, &mut text);
    String::from_utf8(text).unwrap_or_default()
}

/// People per slice of rows made at once.
const SLICE: usize = 4096;

/// Writes the CSV of [`csv`] to `out` as it is made. A district's results are over a million
/// rows, tens of megabytes: slices of people are made into rows by a thread per core, each
/// handing its slices over in turn through a lane two slices deep, and written in order as they
/// come. The writing overlaps the making, and only a few slices are in memory at once.
pub fn write_csv(
    policy: &Policy,
    roster: &Roster,
    outcome: &Outcome,
    period: Period,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let made = |range: Range<usize>| {
        let people = outcome.people.get(range).unwrap_or(&[]);
        rows(policy, roster, outcome.year, people, period)
    };
    write_slices(policy, outcome.people.len(), &made, out)
}

/// [`write_csv`] of a year whose cards are made slice by slice as their rows are (see
/// [`Stream`]): the cards are made by the threads that make the rows, and let go once written.
/// The caller asks [`Stream::finish`] afterwards whether any card had a problem.
pub fn write_csv_streamed(
    policy: &Policy,
    roster: &Roster,
    stream: &Stream<'_>,
    period: Period,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let made =
        |range: Range<usize>| rows(policy, roster, stream.year(), &stream.cards(range), period);
    write_slices(policy, stream.len(), &made, out)
}

/// The header, then the rows of `n` people made by `made` a slice at a time (see [`write_csv`]).
fn write_slices(
    policy: &Policy,
    n: usize,
    made: &(dyn Fn(Range<usize>) -> Vec<u8> + Sync),
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    out.write_all(&header(policy))?;
    let slices: Vec<Range<usize>> = (0..n)
        .step_by(SLICE)
        .map(|start| start..(start + SLICE).min(n))
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(slices.len());
    if threads <= 1 {
        return slices
            .iter()
            .try_for_each(|people| out.write_all(&made(people.clone())));
    }
    std::thread::scope(|scope| {
        // A lane whose thread cannot be had, or fails, has its slices made here.
        let lanes: Vec<Option<std::sync::mpsc::Receiver<Vec<u8>>>> = (0..threads)
            .map(|lane| {
                let (give, take) = std::sync::mpsc::sync_channel(2);
                let mine = slices.iter().skip(lane).step_by(threads);
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || {
                        // The writer stopped (a write failed): nothing more is wanted.
                        mine.map(|people| made(people.clone()))
                            .try_for_each(|rows| give.send(rows))
                    })
                    .ok()
                    .map(|_| take)
            })
            .collect();
        for (i, people) in slices.iter().enumerate() {
            let lane = lanes.get(i % threads).and_then(Option::as_ref);
            match lane.and_then(|take| take.recv().ok()) {
                Some(rows) => out.write_all(&rows)?,
                None => out.write_all(&made(people.clone()))?,
            }
        }
        Ok(())
    })
}

/// The header row: a column per ledger after `total` on a policy that declares ledgers (§30).
fn header(policy: &Policy) -> Vec<u8> {
    if policy.ledgers.is_empty() {
        b"person,name,period,total,grade,final,flags\n".to_vec()
    } else {
        // A column per ledger after `total` (§30), named as the ledger is.
        let mut h = String::from("person,name,period,total");
        for l in &policy.ledgers {
            h.push(',');
            h.push_str(&text_cell(&l.id));
        }
        h.push_str(",grade,final,flags\n");
        h.into_bytes()
    }
}

/// The rows of some people, without the header.
fn rows(
    policy: &Policy,
    roster: &Roster,
    year: i32,
    people: &[PersonResult],
    period: Period,
) -> Vec<u8> {
    // The buffer is made about as large as the rows once, rather than doubled (and copied into
    // fresh memory) as it fills: a row is an id, a name and some forty bytes more.
    let (rows, row) = people.first().map_or((0, 0), |p| {
        let months = p.months.iter().filter(|m| period.shows_month(m.month));
        let named = roster.people.get(p.person);
        (
            months.count() + usize::from(period.shows_year()),
            named.map_or(0, |n| n.id.len() + n.name.len()) + 48,
        )
    });
    // Only a guess from the first person: at most 64 MiB is asked for at once, and if even that
    // cannot be had the buffer grows as it fills.
    let mut buffer = Vec::new();
    let _ = buffer.try_reserve(
        people
            .len()
            .saturating_mul(rows.saturating_mul(row))
            .min(64 << 20),
    );
    let mut w = ::csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(buffer);
    let places = policy.round_places;
    let months: Vec<String> = (1..=12).map(|m| super::period_label(policy, m)).collect();
    let year = year.to_string();
    let mut flags = String::new();
    for p in people {
        let Some(person) = roster.people.get(p.person) else {
            continue;
        };

        for m in p.months.iter().filter(|m| period.shows_month(m.month)) {
            let label = months
                .get(usize::from(m.month).saturating_sub(1))
                .map_or("", String::as_str);
            join_into(&mut flags, &m.flags);
            // Writing to a Vec cannot fail; an error here would be a bug in the csv crate.
            let ledgers = super::ledgers::card_cells(policy, m);
            record(
                &mut w,
                [
                    &*text_cell(&person.id),
                    &*text_cell(&person.name),
                    label,
                    score(m.published, places).as_str(),
                    "",
                    if m.is_final { "true" } else { "false" },
                    &*text_cell(&flags),
                ],
                &ledgers,
            );
        }
        if period.shows_year() {
            let grade = super::grade_name(policy, p);
            join_into(&mut flags, &p.annual.flags);
            let ledgers = super::ledgers::year_cells(policy, p);
            record(
                &mut w,
                [
                    &*text_cell(&person.id),
                    &*text_cell(&person.name),
                    year.as_str(),
                    super::annual_total(p, places).as_str(),
                    &*text_cell(&grade),
                    if p.annual.is_final { "true" } else { "false" },
                    &*text_cell(&flags),
                ],
                &ledgers,
            );
        }
    }
    w.into_inner().unwrap_or_default()
}

/// Writes a row: its seven cells, with the ledgers' cells after `total` when there are any.
fn record(w: &mut ::csv::Writer<Vec<u8>>, cells: [&str; 7], ledgers: &[String]) {
    // Writing to a Vec cannot fail; an error here would be a bug in the csv crate.
    if ledgers.is_empty() {
        let _ = w.write_record(cells);
        return;
    }
    let (head, tail) = cells.split_at(4);
    let row = head
        .iter()
        .copied()
        .chain(ledgers.iter().map(String::as_str))
        .chain(tail.iter().copied());
    let _ = w.write_record(row);
}

fn join_into(out: &mut String, flags: &[String]) {
    out.clear();
    for (i, f) in flags.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(f);
    }
}
