//! One line of a record file in the fast reading: cut at its commas, checked as the validating
//! reader checks a row, and either kept to be counted or handed on to the engine whole.

use super::*;
use crate::exact::decimal_scaled;

impl Job<'_, '_> {
    /// Checks one line already cut at its commas (a line without quotes or carriage returns) and,
    /// when it is plainly valid, adds what it counts to `batch`.
    pub(super) fn cells(&self, cells: &Cut<'_>, batch: &mut LineBatch<'_>) -> Option<()> {
        let layout = self.layout;
        if cells.len() != layout.names.len() {
            return None;
        }
        let voc = self.voc;
        let k = *voc.kinds.get(cells.cell(layout.kind)?)?;
        let kind = &voc.policy.kinds[k];
        let date = Date::parse(cells.cell(layout.date)?)?;
        if date.year != voc.policy.year || date > self.as_of {
            return None;
        }
        let person = layout.person.map_or(Some(""), |c| cells.cell(c))?;
        let department = layout.department.map_or(Some(""), |c| cells.cell(c))?;
        for &c in &layout.foreign[k] {
            if !cells.cell(c)?.is_empty() {
                return None;
            }
        }
        if self.kernel.routed.get(k).copied().unwrap_or(true) {
            // Whom it names, as the validating reader finds it; a problem sends the files back
            // to that reader, which tells it (so it is not kept here).
            let mut problems = Problems::new(Stage::Reading);
            let line = usize::try_from(batch.line).ok()?;
            let found = (person, None);
            let subject = subject(
                voc,
                layout,
                kind,
                found,
                department,
                "",
                line,
                &mut problems,
            );
            let subject = subject.filter(|_| problems.is_empty())?;
            return self.route(k, kind, date, subject, cells, batch);
        }
        // The kernel counts records about one person.
        if person.is_empty() || !department.is_empty() || !kind.subjects.person {
            return None;
        }
        self.count(k, kind, date.month, person, cells, batch)
    }

    /// A record of a kind the kernel counts: its fields checked, what it adds worked out, and
    /// the row kept in the batch until its person is found.
    fn count(
        &self,
        k: usize,
        kind: &Kind,
        month: u8,
        person: &str,
        cells: &Cut<'_>,
        batch: &mut LineBatch<'_>,
    ) -> Option<()> {
        let (voc, layout) = (self.voc, self.layout);
        let ops = &self.kernel.kinds[k];
        let first = batch.adds.len();
        // The record's values, when a rule computes from them.
        let keep = !ops.computed.is_empty();
        batch.values.clear();
        for (f, (field, col)) in kind.fields.iter().zip(&layout.fields[k]).enumerate() {
            let text = col.map_or(Some(""), |c| cells.cell(c))?;
            let summed = ops.sums.iter().find(|&&(sf, _)| sf == f).map(|&(_, c)| c);
            if text.is_empty() {
                if field.optional && summed.is_none() {
                    if keep {
                        batch.values.push(Value::Missing);
                    }
                    continue;
                }
                return None;
            }
            if field.ty == ValueType::Person {
                return None;
            }
            let value = parse_value(text, &field.ty).ok()?;
            if let Some(c) = summed {
                let Value::Number(n) = value else {
                    return None;
                };
                batch.adds.push((c, decimal_scaled(n, self.kernel.scale)?));
            }
            if keep {
                batch.values.push(value);
            }
        }
        for op in &ops.computed {
            if let Some(v) = computed(op, &batch.values, self.kernel.scale)? {
                batch.adds.push((op.counter, v));
            }
        }
        let who = match voc.people.number(person.as_bytes()) {
            Some(n) => Who::Number(u32::try_from(n?).ok()?),
            None => {
                let key = IdKey::new(person);
                batch.keys.push((voc.people.hash(&key), key));
                Who::Key(u32::try_from(batch.keys.len() - 1).ok()?)
            }
        };
        batch.push(who, k, month, first)
    }

    /// A record of a kind the kernel does not count: its fields checked as the validating reader
    /// checks them, and handed on with its line.
    fn route(
        &self,
        k: usize,
        kind: &Kind,
        date: Date,
        subject: Subject,
        cells: &Cut<'_>,
        batch: &mut LineBatch<'_>,
    ) -> Option<()> {
        let people = &self.voc.people;
        let mut fields = Vec::with_capacity(kind.fields.len());
        for (field, col) in kind.fields.iter().zip(&self.layout.fields[k]) {
            let text = col.map_or(Some(""), |c| cells.cell(c))?;
            fields.push(match (text.is_empty(), &field.ty) {
                (true, _) if field.optional => Value::Missing,
                (true, _) => return None,
                (false, ValueType::Person) => Value::Person(people.get(&IdKey::new(text))?),
                (false, ty) => parse_value(text, ty).ok()?,
            });
        }
        batch.routed.push(Routed {
            kind: k,
            month: date.month,
            day: date.day,
            subject,
            fields,
            origin: Origin {
                file: self.file,
                line: batch.line,
            },
        });
        Some(())
    }

    /// Finds the batch's people, then adds its rows to the counters. People are looked up in a
    /// loop of nothing else, and each row's counters are requested a few rows before they are
    /// added to: the lookups and the counters are scattered over large tables, and waiting for
    /// several of them at once is much faster than waiting for each in turn.
    pub(super) fn flush(&self, batch: &mut LineBatch<'_>, counters: &mut Counters) -> Option<()> {
        let people = &self.voc.people;
        for row in &mut batch.rows {
            let person = match row.who {
                Who::Number(n) => people.numbered(n as usize)?,
                Who::Found(p) => p as usize,
                Who::Key(i) => {
                    let (hash, key) = batch.keys.get(i as usize)?;
                    people.find(*hash, key)?
                }
            };
            row.who = Who::Found(u32::try_from(person).ok()?);
        }
        let cell = |r: &Row| match r.who {
            Who::Found(p) => Some(p as usize * MONTHS + usize::from(r.month)),
            _ => None,
        };
        for (i, row) in batch.rows.iter().enumerate() {
            if let Some(ahead) = batch.rows.get(i + AHEAD).and_then(cell) {
                counters.prefetch(ahead);
            }
            let at = counters.at(cell(row)?, 0);
            let ops = self.kernel.kinds.get(row.kind as usize)?;
            if let Some(c) = ops.count {
                counters.add(at + c, 1)?;
            }
            let adds = usize::try_from(row.adds.start).ok()?..usize::try_from(row.adds.end).ok()?;
            for &(c, v) in batch.adds.get(adds)? {
                counters.add(at + c, v)?;
            }
        }
        batch.rows.clear();
        batch.adds.clear();
        batch.keys.clear();
        Some(())
    }
}

/// A line cut at its commas: where each cell ends in the text. A cell is trimmed only when it
/// is read; most lines have cells no rule of their kind reads, and empty cells.
pub(super) struct Cut<'t> {
    pub(super) text: &'t str,
    /// Where the line starts in `text`.
    pub(super) start: usize,
    /// Where each cell ends in `text` (at its comma, or at the line's end before any carriage
    /// return), as many as the file has columns: the first `cells` are the line's.
    pub(super) ends: Vec<usize>,
    /// The line's cells so far.
    pub(super) cells: usize,
}

impl<'t> Cut<'t> {
    fn len(&self) -> usize {
        self.cells
    }

    /// Where the next cell of a line starting at `line_start` starts.
    pub(super) fn next_start(&self, line_start: usize) -> usize {
        match self.cells.checked_sub(1).and_then(|c| self.ends.get(c)) {
            Some(comma) => comma + 1,
            None => line_start,
        }
    }

    /// Where cell `c` is in `text`; `None` past the line's last cell.
    #[inline(always)]
    fn span(&self, c: usize) -> Option<std::ops::Range<usize>> {
        if c >= self.cells {
            return None;
        }
        let end = *self.ends.get(c)?;
        let start = match c.checked_sub(1) {
            Some(before) => self.ends.get(before)? + 1,
            None => self.start,
        };
        Some(start..end)
    }

    /// Cell `c` as written (untrimmed); `None` past the line's last cell.
    #[inline(always)]
    pub(super) fn raw(&self, c: usize) -> Option<&'t [u8]> {
        self.text.as_bytes().get(self.span(c)?)
    }

    /// Cell `c` as written, as text.
    pub(super) fn raw_text(&self, c: usize) -> Option<&'t str> {
        self.text.get(self.span(c)?)
    }

    /// Cell `c`, trimmed; `None` past the line's last cell.
    fn cell(&self, c: usize) -> Option<&'t str> {
        let span = self.span(c)?;
        if span.is_empty() {
            return Some("");
        }
        self.text.get(span).map(trimmed)
    }
}

/// Lines checked and waiting to be counted.
pub(super) struct LineBatch<'r> {
    pub(super) rows: Vec<Row>,
    /// What the rows add to counters beyond their kinds' counts: (counter, value), each row's
    /// in a run of its own.
    pub(super) adds: Vec<(usize, i64)>,
    /// The ids of the rows named by key (see [`Who::Key`]), with their hashes.
    pub(super) keys: Vec<(u64, IdKey)>,
    /// The fields of the line being checked, when a rule computes from them.
    pub(super) values: Vec<Value>,
    /// The line being checked.
    pub(super) line: u32,
    /// Where the records of the kinds the kernel does not count go.
    pub(super) routed: &'r mut Vec<Routed>,
}

/// What a computed effect adds for one record (as an integer of `scale` places; 1 for a
/// `zero`): `Some(None)` when its filter does not hold or its `per` field is empty, as the
/// engine then skips the rule; `None` when the record's amount cannot be worked out here.
fn computed(op: &Computed, values: &[Value], scale: u32) -> Option<Option<i64>> {
    // Only what the record says: the kernel computes no rule that reads the person's row.
    let env = expr::RecordEnv {
        fields: values,
        person: None,
    };
    let Some(factor) = expr::rule_reads(op.filter.as_ref(), op.per_field, &env).ok()? else {
        return Some(None);
    };
    let Some(amount) = &op.amount else {
        return Some(Some(1));
    };
    let a = expr::effect_points(amount, &env, factor).ok()?;
    decimal_scaled(a.to_decimal()?, scale).map(Some)
}

impl LineBatch<'_> {
    /// A row of kind `k` in `month` (1 to 12) naming the person numbered `n` (by
    /// [`People::number`]), whose adds are those of the batch's from `first` on.
    #[inline(always)]
    pub(super) fn counted(&mut self, n: usize, k: usize, month: u8, first: usize) -> Option<()> {
        self.push(Who::Number(u32::try_from(n).ok()?), k, month, first)
    }

    /// A row of kind `k` in `month` (1 to 12) naming `who`, whose adds are those of the batch's
    /// from `first` on.
    #[inline]
    fn push(&mut self, who: Who, k: usize, month: u8, first: usize) -> Option<()> {
        self.rows.push(Row {
            who,
            kind: u32::try_from(k).ok()?,
            month: month.checked_sub(1)?,
            adds: u32::try_from(first).ok()?..u32::try_from(self.adds.len()).ok()?,
        });
        Some(())
    }
}

/// Rows per batch.
pub(super) const ROWS: usize = 256;

/// A checked line: whom it names (found when the batch is flushed), its kind, month (0 to 11)
/// and where what it adds to counters is in the batch's adds. Small, as a batch holds hundreds.
pub(super) struct Row {
    who: Who,
    kind: u32,
    month: u8,
    adds: std::ops::Range<u32>,
}

/// Whom a row names: the id's number when the roster's ids have one shape, else where its key
/// is in the batch's keys; once the batch is flushed, the person found.
#[derive(Clone, Copy)]
enum Who {
    Number(u32),
    Key(u32),
    Found(u32),
}

#[cfg(test)]
mod tests {
    /// The separators found 64 bytes at a time are every comma and line break, in order, at
    /// every length and alignment, among bytes of every value (UTF-8 text, other controls).
    #[test]
    fn separators_are_every_comma_and_line_break() {
        let alphabet: Vec<u8> = [b',', b'\n', b'a', b'\r', b'"', b' ', 0, 0xff, 0xe8, b'.']
            .into_iter()
            .chain(0..=255u8)
            .collect();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for len in (0..300).chain([1023, 1024, 1025, 4096 + 17]) {
            for _ in 0..4 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        // Half the bytes from the first ten, so that separators are as
                        // common as they are in a CSV file.
                        let pick = (state >> 1) as usize;
                        if state.is_multiple_of(2) {
                            alphabet[pick % 10]
                        } else {
                            alphabet[pick % alphabet.len()]
                        }
                    })
                    .collect();
                let want: Vec<(usize, bool)> = bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| matches!(b, b',' | b'\n'))
                    .map(|(i, &b)| (i, b == b'\n'))
                    .collect();
                let got: Vec<(usize, bool)> = super::super::blocks(&bytes)
                    .flat_map(|(base, commas, breaks)| {
                        (0..64)
                            .filter(move |bit| ((commas | breaks) >> bit) & 1 == 1)
                            .map(move |bit| (base + bit, (breaks >> bit) & 1 == 1))
                    })
                    .collect();
                assert_eq!(got, want, "{len} bytes: {bytes:?}");
            }
        }
    }
}
