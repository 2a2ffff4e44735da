//! The CSV form: exactly `person,name,period,total,grade,final,flags`, as PRODUCT.md fixes it,
//! with a column per ledger after `total` on a policy that declares ledgers (§30).

use std::borrow::Cow;
use std::io::Write as _;
use std::ops::Range;

use rust_decimal::Decimal;

use super::Period;
use crate::check::Policy;
use crate::eval::Roster;
use crate::eval::outcome::{Outcome, PersonResult};
use crate::eval::stream::{Quick, Stream, Year};

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
const SLICE: usize = 1024;

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
/// [`Stream`]): the years are made by the threads that make the rows, and let go once written.
/// The caller asks [`Stream::finish`] afterwards whether any card had a problem.
pub fn write_csv_streamed(
    policy: &Policy,
    roster: &Roster,
    stream: &Stream<'_>,
    period: Period,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let made = |range: Range<usize>| {
        let years = stream.years(range);
        let mut rows = Rows::new(policy, roster, stream.year(), period);
        let first = years.first().map(|year| match year {
            Year::Card(p) => (p.person, shown(p.months.iter().map(|m| m.month), period)),
            Year::Quick(p, _) => (*p, shown(1..=12, period)),
        });
        let mut out = buffer_for(roster, first, years.len());
        let finals = stream.finals();
        for year in &years {
            match year {
                Year::Card(p) => rows.card(&mut out, p),
                Year::Quick(p, quick) => rows.quick(&mut out, *p, quick, finals),
            }
        }
        stream.let_go(years);
        out
    };
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
    let first =
        (people.first()).map(|p| (p.person, shown(p.months.iter().map(|m| m.month), period)));
    let mut out = buffer_for(roster, first, people.len());
    let mut rows = Rows::new(policy, roster, year, period);
    for p in people {
        rows.card(&mut out, p);
    }
    out
}

/// What makes rows, shared by all those of a slice of people.
///
/// A row is made by copying bytes: the text cells a row shares with others (a person's id and
/// name, the periods, the grades) are quoted by the csv crate once ([`Quoted`]), and numbers,
/// which never need quoting, are written straight in ([`put_score`]).
struct Rows<'a> {
    policy: &'a Policy,
    roster: &'a Roster,
    period: Period,
    quoted: Quoted,
    /// Per month, its period's cell; the year's cell; per grade, its cell.
    months: Vec<Vec<u8>>,
    year: Vec<u8>,
    grades: Vec<Vec<u8>>,
    /// `id,name,` of the person whose rows are made.
    person_cells: Vec<u8>,
    /// Room to join a row's flags in.
    flags: String,
    scores: Scores,
}

impl<'a> Rows<'a> {
    fn new(policy: &'a Policy, roster: &'a Roster, year: i32, period: Period) -> Self {
        let mut quoted = Quoted::new();
        let months = (1..=12)
            .map(|m| quoted.cell(&super::period_label(policy, m)))
            .collect();
        let year = quoted.cell(&year.to_string());
        let grades = (policy.grades.iter())
            .map(|g| quoted.cell(&text_cell(&g.name)))
            .collect();
        Rows {
            policy,
            roster,
            period,
            quoted,
            months,
            year,
            grades,
            person_cells: Vec::new(),
            flags: String::new(),
            scores: Scores::default(),
        }
    }

    /// Makes `id,name,` of person `p`, the same on each of their rows; `false` if there is no
    /// such person.
    fn person(&mut self, p: usize) -> bool {
        let Some(person) = self.roster.people.get(p) else {
            return false;
        };
        self.person_cells.clear();
        self.quoted
            .put(&text_cell(&person.id), &mut self.person_cells);
        self.person_cells.push(b',');
        self.quoted
            .put(&text_cell(&person.name), &mut self.person_cells);
        self.person_cells.push(b',');
        true
    }

    /// A person's rows from their card.
    fn card(&mut self, out: &mut Vec<u8>, p: &PersonResult) {
        if !self.person(p.person) {
            return;
        }
        let (policy, places, period) = (self.policy, self.policy.round_places, self.period);
        for m in p.months.iter().filter(|m| period.shows_month(m.month)) {
            let ledgers = super::ledgers::card_values(policy, m);
            self.month_row(out, m.month, m.published, (&ledgers, m.is_final, &m.flags));
        }
        if period.shows_year() {
            let ledgers = super::ledgers::year_values(policy, p);
            let annual = &p.annual;
            self.year_start(out, annual.shown_total());
            put_ledgers(out, &ledgers, places);
            self.year_end(out, annual.shown_grade(), annual.is_final, &annual.flags);
        }
    }

    /// Person `p`'s rows from what a table shows of their year, `finals` saying which months
    /// are final and whether the year is.
    fn quick(
        &mut self,
        out: &mut Vec<u8>,
        p: usize,
        quick: &Quick,
        (finals, year_final): (&[bool; 12], bool),
    ) {
        if !self.person(p) {
            return;
        }
        // The last row made in full: where it is in `out`, its month, what it shows.
        let mut made: Option<(Range<usize>, u8, Decimal, bool)> = None;
        for (m, (&published, &is_final)) in (1..).zip(quick.months.iter().zip(finals)) {
            if !self.period.shows_month(m) {
                continue;
            }
            if let Some((row, month, _, _)) =
                (made.as_ref()).filter(|&&(_, _, d, f)| d == published && f == is_final)
            {
                if self.copy_row(out, row.clone(), *month, m) {
                    continue;
                }
            }
            let start = out.len();
            self.month_row(out, m, published, (&[], is_final, &[]));
            made = Some((start..out.len(), m, published, is_final));
        }
        if self.period.shows_year() {
            self.year_start(out, Some(quick.annual));
            self.year_end(out, Some(quick.grade), year_final, &[]);
        }
    }

    /// The row of the same person at `row` in `out`, for `month` instead of `from`: a month that
    /// shows the same as another (a quiet month is like every other) is written by copying the
    /// other's row and putting in its period, when both periods' cells are as long. `false`, with
    /// nothing written, when they are not.
    fn copy_row(&self, out: &mut Vec<u8>, row: Range<usize>, from: u8, month: u8) -> bool {
        let label = |m: u8| self.months.get(usize::from(m).saturating_sub(1));
        let (Some(old), Some(new)) = (label(from), label(month)) else {
            return false;
        };
        if old.len() != new.len() || row.end > out.len() {
            return false;
        }
        let start = out.len();
        out.extend_from_within(row);
        let at = start + self.person_cells.len();
        match out.get_mut(at..at + new.len()) {
            Some(cell) => {
                cell.copy_from_slice(new);
                true
            }
            None => {
                out.truncate(start);
                false
            }
        }
    }

    /// A month's row: its total as published, its ledgers' cells, whether it is final, and its
    /// flags.
    fn month_row(
        &mut self,
        out: &mut Vec<u8>,
        month: u8,
        published: Decimal,
        (ledgers, is_final, flags): (&[Option<Decimal>], bool, &[String]),
    ) {
        let places = self.policy.round_places;
        let label = self.months.get(usize::from(month).saturating_sub(1));
        out.extend_from_slice(&self.person_cells);
        out.extend_from_slice(label.map_or(&[][..], Vec::as_slice));
        out.push(b',');
        self.scores.put(out, published, places);
        put_ledgers(out, ledgers, places);
        out.extend_from_slice(b",,");
        put_end(out, is_final, flags, &mut self.flags, &mut self.quoted);
    }

    /// The year's row up to its ledgers: the year's total as shown (none for somebody not
    /// evaluated).
    fn year_start(&mut self, out: &mut Vec<u8>, total: Option<Decimal>) {
        out.extend_from_slice(&self.person_cells);
        out.extend_from_slice(&self.year);
        out.push(b',');
        if let Some(total) = total {
            self.scores.put(out, total, self.policy.round_places);
        }
    }

    /// The rest of the year's row after its ledgers: the grade as shown, whether the year is
    /// final, its flags.
    fn year_end(
        &mut self,
        out: &mut Vec<u8>,
        grade: Option<usize>,
        is_final: bool,
        flags: &[String],
    ) {
        out.push(b',');
        let grade = grade.and_then(|g| self.grades.get(g));
        out.extend_from_slice(grade.map_or(&[][..], Vec::as_slice));
        out.push(b',');
        put_end(out, is_final, flags, &mut self.flags, &mut self.quoted);
    }
}

/// A buffer about as large as the rows of `n` people will be, made once rather than doubled (and
/// copied into fresh memory) as it fills: a row is an id, a name and some forty bytes more.
/// `first`: the first person, and how many rows they have.
fn buffer_for(roster: &Roster, first: Option<(usize, usize)>, n: usize) -> Vec<u8> {
    let (rows, row) = first.map_or((0, 0), |(p, rows)| {
        let named = roster.people.get(p);
        (rows, named.map_or(0, |n| n.id.len() + n.name.len()) + 48)
    });
    // Only a guess from the first person: at most 64 MiB is asked for at once, and if even that
    // cannot be had the buffer grows as it fills.
    let mut out = Vec::new();
    let _ = out.try_reserve(n.saturating_mul(rows.saturating_mul(row)).min(64 << 20));
    out
}

/// How many rows `period` shows of a year with cards for `months`.
fn shown(months: impl Iterator<Item = u8>, period: Period) -> usize {
    months.filter(|&m| period.shows_month(m)).count() + usize::from(period.shows_year())
}

/// A row's last cells `final,flags` and its end; `flags` is room to join them in.
fn put_end(
    out: &mut Vec<u8>,
    is_final: bool,
    raised: &[String],
    flags: &mut String,
    quoted: &mut Quoted,
) {
    out.extend_from_slice(if is_final { b"true," } else { b"false," });
    // Most cards raise no flag: an empty cell.
    if !raised.is_empty() {
        join_into(flags, raised);
        quoted.put(&text_cell(flags), out);
    }
    out.push(b'\n');
}

/// A cell per ledger, each after a comma: the value as published, or empty past what tally can
/// count (as [`super::ledgers::card_cells`] shows it).
fn put_ledgers(out: &mut Vec<u8>, values: &[Option<Decimal>], places: u32) {
    for v in values {
        out.push(b',');
        if let Some(v) = v {
            put_score(out, *v, places);
        }
    }
}

/// Writes `d` as [`super::score`] shows it (exactly `places` decimals), by the decimal's own
/// formatting, without making a String: a number never needs quoting.
pub(super) fn put_score(out: &mut Vec<u8>, d: Decimal, places: u32) {
    let mut x = d;
    x.rescale(places);
    // Writing to a Vec cannot fail.
    let _ = write!(out, "{x}");
}

/// Scores as [`put_score`] writes them, kept for the next row that shows the same one: a
/// hundred thousand people's cards have a few thousand different totals at most. Kept in a table
/// of [`Scores::SLOTS`] slots by a hash of the decimal and the places, each slot the last score
/// that fell in it: a row finds its score without a hash map's probing.
struct Scores {
    slots: Vec<Option<Kept>>,
}

/// A score as written: the decimal (its digits and places, as it serializes) and the places it is
/// written to, and the text.
struct Kept {
    key: ([u8; 16], u32),
    len: u8,
    text: [u8; 30],
}

impl Default for Scores {
    fn default() -> Self {
        Scores {
            slots: (0..Self::SLOTS).map(|_| None).collect(),
        }
    }
}

impl Scores {
    /// Slots in the table (a few hundred kilobytes).
    const SLOTS: usize = 8192;

    /// Writes `d` as [`put_score`] does.
    fn put(&mut self, out: &mut Vec<u8>, d: Decimal, places: u32) {
        let key = (d.serialize(), places);
        let bits = u128::from_le_bytes(key.0);
        let mixed = (bits as u64 ^ (bits >> 64) as u64 ^ u64::from(places))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let at = (mixed >> 51) as usize % Self::SLOTS;
        if let Some(Some(kept)) = self.slots.get(at) {
            if kept.key == key {
                out.extend_from_slice(kept.text.get(..usize::from(kept.len)).unwrap_or_default());
                return;
            }
        }
        let start = out.len();
        put_score(out, d, places);
        let written = out.get(start..).unwrap_or_default();
        let mut text = [0; 30];
        if let (Some(room), Ok(len), Some(slot)) = (
            text.get_mut(..written.len()),
            u8::try_from(written.len()),
            self.slots.get_mut(at),
        ) {
            room.copy_from_slice(written);
            *slot = Some(Kept { key, len, text });
        }
    }
}

/// Text cells quoted by the csv crate as in a row of many cells, to be copied into rows.
struct Quoted {
    writer: ::csv::Writer<Vec<u8>>,
    /// Where the next cell starts in the writer's Vec.
    start: usize,
}

impl Quoted {
    fn new() -> Self {
        let writer = ::csv::WriterBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1024)
            .from_writer(Vec::new());
        Quoted { writer, start: 0 }
    }

    /// Appends `text` to `out` as the csv crate writes it as a cell of a row.
    fn put(&mut self, text: &str, out: &mut Vec<u8>) {
        // An empty cell is nothing between its commas (a row of that one empty cell alone
        // would be written `""`, to tell it from no row).
        if text.is_empty() {
            return;
        }
        // Nearly every cell (an id, a name) has nothing the csv crate quotes: it is written as
        // it is.
        if !text
            .bytes()
            .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
        {
            out.extend_from_slice(text.as_bytes());
            return;
        }
        // Writing to a Vec cannot fail; an error here would be a bug in the csv crate.
        let _ = self.writer.write_record([text]);
        let _ = self.writer.flush();
        let written = self.writer.get_ref();
        let cell = written.get(self.start..).unwrap_or(&[]);
        out.extend_from_slice(cell.strip_suffix(b"\n").unwrap_or(cell));
        self.start = written.len();
    }

    /// `text` as [`Quoted::put`] writes it.
    fn cell(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        self.put(text, &mut out);
        out
    }
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

#[cfg(test)]
mod tests {
    use super::{Decimal, Scores, put_score};

    /// A score written from the kept ones is the one the decimal's formatting writes: for the
    /// same number at other places (1.5 and 1.50 are equal decimals, not equal cells), signs,
    /// the roundings to fewer places, and past the number kept.
    #[test]
    fn kept_scores_are_written_as_the_decimal_writes_them() {
        let mut scores = Scores::default();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for i in 0..3 * Scores::SLOTS {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Few values at first, so that most are kept and met again; then many.
            let spread = if i < Scores::SLOTS { 500 } else { 1 << 40 };
            let mantissa = (state % spread) as i64 - (spread / 2) as i64;
            let d = Decimal::new(mantissa, (state >> 50) as u32 % 5);
            let places = (state >> 58) as u32 % 4;
            let (mut kept, mut made) = (b"x,".to_vec(), b"x,".to_vec());
            scores.put(&mut kept, d, places);
            put_score(&mut made, d, places);
            assert_eq!(kept, made, "{d} at {places} places");
        }
        assert!(scores.slots.iter().filter(|s| s.is_some()).count() > Scores::SLOTS / 2);
    }

    /// A cell is written as the csv crate writes it in a row of many cells: every byte alone,
    /// between letters and at the ends, and texts of several characters.
    #[test]
    fn a_cell_is_quoted_as_the_csv_crate_quotes_it() {
        let mut texts: Vec<String> = Vec::new();
        for b in 0..=0x7f_u8 {
            let c = char::from(b);
            texts.extend([
                format!("{c}"),
                format!("a{c}b"),
                format!("{c}张"),
                format!("三{c}"),
            ]);
        }
        texts.extend(
            [
                "张三",
                "P0001",
                "a \"b\", c",
                "  ",
                "'=1",
                "全角，逗号",
                "\u{3000}",
            ]
            .map(String::from),
        );
        let mut quoted = super::Quoted::new();
        for text in &texts {
            let mut got = Vec::new();
            quoted.put(text, &mut got);
            let mut writer = ::csv::WriterBuilder::new().from_writer(Vec::new());
            writer
                .write_record(["x", text.as_str(), "y"])
                .unwrap_or_default();
            let row = writer.into_inner().unwrap_or_default();
            let want = row
                .strip_prefix(b"x,")
                .and_then(|r| r.strip_suffix(b",y\n"))
                .unwrap_or_default();
            assert_eq!(got, want, "{text:?}");
        }
    }
}
