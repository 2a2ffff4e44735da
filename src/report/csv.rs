//! The CSV form: exactly `person,name,period,total,grade,final,flags`, as PRODUCT.md fixes it,
//! with a column per ledger after `total` on a policy that declares ledgers (§30).

use std::borrow::Cow;

use super::{Period, score};
use crate::check::Policy;
use crate::eval::Roster;
use crate::eval::outcome::{Outcome, PersonResult};

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
    let parts = csv_parts(policy, roster, outcome, period);
    String::from_utf8(parts.concat()).unwrap_or_default()
}

/// The CSV of [`csv`] in parts, to be written one after the other: the header, then the rows of
/// one slice of people after another.
pub fn csv_parts(
    policy: &Policy,
    roster: &Roster,
    outcome: &Outcome,
    period: Period,
) -> Vec<Vec<u8>> {
    // A district's results are over a million rows, tens of megabytes: the people are written
    // in a few slices at once, each straight into its own buffer, and the buffers are written
    // out in order without being joined.
    const SLICE: usize = 16_384;
    let header = if policy.ledgers.is_empty() {
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
    };
    let slices: Vec<&[PersonResult]> = outcome.people.chunks(SLICE).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(slices.len());
    let write = |slices: &[&[PersonResult]]| -> Vec<Vec<u8>> {
        slices
            .iter()
            .map(|people| rows(policy, roster, outcome.year, people, period))
            .collect()
    };
    let parts: Vec<Vec<u8>> = if threads <= 1 {
        write(&slices)
    } else {
        let per = slices.len().div_ceil(threads);
        std::thread::scope(|scope| {
            // A thread that cannot be had, or that fails, leaves its slices to be written here.
            let handles: Vec<_> = slices
                .chunks(per)
                .map(|mine| {
                    let h = std::thread::Builder::new()
                        .spawn_scoped(scope, move || write(mine))
                        .ok();
                    (mine, h)
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|(mine, h)| h.and_then(|h| h.join().ok()).unwrap_or_else(|| write(mine)))
                .collect()
        })
    };
    std::iter::once(header).chain(parts).collect()
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
