//! The fast reading of plain CSV record files into a [`Kernel`]'s counters: each file split at
//! line breaks between threads, each line cut at its commas, only what the kernel counts taken
//! from it, and every cell still checked as the validating reader checks it.
//!
//! It reads only what it is sure of: a quote, a carriage return inside a line, a blank line, a
//! row of the wrong length, an unknown kind or person, a date outside the year or after the report
//! day, any cell the validating reader would refuse, an empty field the kernel sums, a counter
//! that would overflow, a workbook, a GB18030 file or one held in memory. On any of these it gives
//! up (`None`) and the validating reader reads everything again, so that every problem is told as
//! it always is, with its file, line and column. What it does read, it counts exactly as adding the
//! records one by one would.

use std::io::{Read, Seek, SeekFrom};

use super::*;
use crate::date::Date;
use crate::eval::expr;
use crate::eval::kernel::{Computed, Counters, Kernel, MONTHS};

/// Bytes read at a time by each thread.
const BLOCK: usize = 1 << 20;

/// A part of a file at least 1/`TOUCH` the size of its thread's counters has about as many
/// records as they have pages, or more: [`Counters::touch`] pays.
const TOUCH: u64 = 64;

/// Files smaller than this together are read on one thread (unless told otherwise).
const SMALL: u64 = 8 << 20;

/// The record files to count, and how.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    pub files: &'a [PathBuf],
    /// Texts standing for some of the files (which the kernel leaves to the validating reader).
    pub memory: &'a [InMemory],
    pub encoding: Encoding,
    /// Threads to count on; `None`: one per processor (at most four) for large files.
    pub threads: Option<usize>,
}

/// What the fast reading gives: the kernel's counters (none when the files have no records),
/// and the records of the kinds the kernel hands to the engine, in file and line order.
pub struct Counted {
    pub counters: Option<Counters>,
    pub routed: Vec<Routed>,
}

/// A checked record of a kind the kernel does not count, for the engine to add.
pub struct Routed {
    pub kind: usize,
    pub month: u8,
    pub day: u8,
    pub subject: Subject,
    pub fields: Vec<Value>,
    pub origin: Origin,
}

/// One thread's share of the reading: its counters and the records it hands on.
struct Part {
    counters: Counters,
    routed: Vec<Routed>,
}

/// Counts the records of `files` into a kernel's counters; `None` when anything in them is not
/// plainly valid (see the module's documentation).
pub fn count_records(
    policy: &Policy,
    roster: &Roster,
    sources: Sources<'_>,
    kernel: &Kernel,
    as_of: Date,
) -> Option<Counted> {
    let Sources {
        files,
        memory,
        encoding,
        threads,
    } = sources;
    if encoding == Encoding::Gb18030
        || files
            .iter()
            .any(|f| crate::sheet_path::split(f).is_some() || memory.iter().any(|m| m.name == *f))
    {
        return None;
    }
    let voc = Vocabulary::new(policy, roster);
    let quick = Quick::new(&voc, kernel, as_of);
    let people = roster.people.len();
    let threads =
        threads.unwrap_or_else(|| threads_for(files, Counters::bytes(people, kernel.width)));
    // One set of counters per thread, kept from file to file and added up at the end.
    let mut own: Vec<Part> = (0..threads.max(1))
        .map(|_| {
            Some(Part {
                counters: Counters::new(people, kernel.width)?,
                routed: Vec::new(),
            })
        })
        .collect::<Option<_>>()?;
    // Whether any file has a line after its header.
    let mut rows = false;
    for (index, path) in files.iter().enumerate() {
        let (layout, body) = header(&voc, path)?;
        let size = std::fs::metadata(path).ok()?.len();
        // A header without a line break after it ends the file (the reader counts the break it
        // adds): no rows.
        if body >= size {
            continue;
        }
        rows = true;
        let job = Job {
            voc: &voc,
            quick: &quick,
            layout: &layout,
            kernel,
            as_of,
            path,
            file: u32::try_from(index).ok()?,
        };
        job.split((body, size), &mut own)?;
    }
    if !rows {
        // No record at all: the counters were never touched, and nothing need read them.
        return Some(Counted {
            counters: None,
            routed: Vec::new(),
        });
    }
    let mut all = own.into_iter();
    let Part {
        mut counters,
        mut routed,
    } = all.next()?;
    for part in all {
        counters.merge(&part.counters)?;
        routed.extend(part.routed);
    }
    routed.sort_by_key(|r| r.origin);
    Some(Counted {
        counters: Some(counters),
        routed,
    })
}

/// The number of line breaks in the file before each of `points` (in increasing order).
fn breaks_before(path: &Path, points: &[u64]) -> Option<Vec<u64>> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; BLOCK];
    let (mut at, mut seen) = (0u64, 0u64);
    let mut counts = Vec::with_capacity(points.len());
    for &point in points {
        while at < point {
            let want = usize::try_from(point - at).map_or(BLOCK, |w| w.min(BLOCK));
            let got = file.read(&mut buf[..want]).ok()?;
            if got == 0 {
                break;
            }
            seen += memchr::memchr_iter(b'\n', &buf[..got]).count() as u64;
            at += got as u64;
        }
        counts.push(seen);
    }
    Some(counts)
}

/// How many threads count `files` into counters of `each` bytes: see [`reading_threads`]. Each
/// thread beyond the first costs a set of counters written into fresh memory and added up at the
/// end, which takes about as long as reading records of a third to a half of their size: files
/// smaller than half a set are read on one thread. (A hundred thousand people's 38 MB of
/// counters: a million records, 34 MB, measured 6–11% faster on two threads; 300 000 records,
/// 10 MB, the same either way.)
fn threads_for(files: &[PathBuf], each: usize) -> usize {
    reading_threads(
        files,
        each,
        SMALL.max(u64::try_from(each / 2).unwrap_or(u64::MAX)),
    )
}

/// A file's column layout and where its rows start; `None` when its header is anything but
/// plainly valid.
fn header(voc: &Vocabulary<'_>, path: &Path) -> Option<(Layout, u64)> {
    let file = crate::sheet_path::shown(path);
    let mut reader = open(path).ok()?;
    let header = read_header(&mut reader, &file, Encoding::Utf8).ok()??;
    let body = reader.position().byte();
    let mut errors = Problems::new(Stage::Reading);
    let layout = layout(voc, header, &file, &mut errors)?;
    if !errors.is_empty() || layout.person.is_none() {
        return None;
    }
    Some((layout, body))
}

/// One file's reading: what each line is checked against and counted into.
struct Job<'a, 'p> {
    voc: &'a Vocabulary<'p>,
    /// The kinds whose lines are read quickest.
    quick: &'a Quick<'p>,
    layout: &'a Layout,
    kernel: &'a Kernel,
    as_of: Date,
    path: &'a Path,
    /// The file's index in the list read, for the origins of the records handed on.
    file: u32,
}

impl Job<'_, '_> {
    /// Counts the rows in `body..size` of the file, cut in one part per set of counters, each
    /// part on a thread of its own when there are several.
    fn split(&self, (body, size): (u64, u64), own: &mut [Part]) -> Option<()> {
        let parts = own.len() as u64;
        let step = (size - body).div_ceil(parts.max(1));
        let part = |t: u64| {
            (
                (body + t * step).min(size),
                (body + (t + 1) * step).min(size),
            )
        };
        // Where each part starts reading (a part after the first from the byte before its
        // start), and, when records are handed on with their lines, the line breaks before it.
        let froms: Vec<u64> = (0..parts)
            .map(|t| if t == 0 { body } else { part(t).0 - 1 })
            .collect();
        let lines = if self.kernel.routed.contains(&true) {
            breaks_before(self.path, &froms)?
        } else {
            vec![0; froms.len()]
        };
        if let [only] = own {
            return self.scan((body, size), true, lines.first().copied()?, only);
        }
        let counted: Vec<bool> = std::thread::scope(|scope| {
            let handles: Vec<_> = own
                .iter_mut()
                .zip(0..)
                .zip(&lines)
                .map(|((mine, t), &before)| {
                    let range = part(t);
                    std::thread::Builder::new()
                        .spawn_scoped(scope, move || self.scan(range, t == 0, before, mine))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.ok().and_then(|h| h.join().ok()).flatten().is_some())
                .collect()
        });
        (!counted.contains(&false)).then_some(())
    }

    /// Counts the lines that start in `start..end` (the first part of a file starts on a line;
    /// any other skips the line it starts within, which the part before it reads). `before`: the
    /// line breaks in the file before where it starts reading.
    fn scan(
        &self,
        (start, end): (u64, u64),
        first: bool,
        before: u64,
        mine: &mut Part,
    ) -> Option<()> {
        // A part whose records will touch most pages of the counters writes them all first.
        if (end - start).saturating_mul(TOUCH) >= mine.counters.size() as u64 {
            mine.counters.touch();
        }
        let mut file = std::fs::File::open(self.path).ok()?;
        // From the byte before `start`, so that a part starting exactly on a line skips only
        // the line break before it.
        let from = if first { start } else { start - 1 };
        file.seek(SeekFrom::Start(from)).ok()?;
        let mut buf = vec![0u8; BLOCK];
        let mut held = 0;
        // Where `buf[0]` is in the file.
        let mut at = from;
        let mut skip = !first;
        // The number of the next line to be read.
        let mut line_no = before + 1;
        loop {
            let got = file.read(&mut buf[held..]).ok()?;
            let filled = held + got;
            let last = got == 0;
            // The complete lines of the buffer; at the end of the file, all of it.
            let upto = if last {
                filled
            } else {
                match memchr::memrchr(b'\n', &buf[..filled]) {
                    Some(i) => i + 1,
                    // A line longer than the buffer: grow it and read on.
                    None if filled == buf.len() => {
                        buf.resize(buf.len() * 2, 0);
                        held = filled;
                        continue;
                    }
                    None => {
                        held = filled;
                        continue;
                    }
                }
            };
            let mut pos = 0;
            if skip {
                match memchr::memchr(b'\n', &buf[..upto]) {
                    Some(i) => pos = i + 1,
                    None if last => return Some(()),
                    None => {
                        held = filled;
                        continue;
                    }
                }
                skip = false;
                line_no += 1;
            }
            let text = simdutf8::basic::from_utf8(&buf[pos..upto]).ok()?;
            let at_text = at + pos as u64;
            if self.lines(text, (at_text, end), last, &mut line_no, mine)? {
                return Some(());
            }
            if last {
                return Some(());
            }
            buf.copy_within(upto..filled, 0);
            held = filled - upto;
            at += upto as u64;
        }
    }

    /// Counts the lines of `text` (which starts at `at` in the file) that start before `end`;
    /// at the end of the file (`last`) the text may end without a line break. `Some(true)` once a
    /// line starting at `end` or later is reached.
    fn lines(
        &self,
        text: &str,
        (at, end): (u64, u64),
        last: bool,
        line_no: &mut u64,
        mine: &mut Part,
    ) -> Option<bool> {
        let counters = &mut mine.counters;
        let mut batch = LineBatch {
            rows: Vec::with_capacity(ROWS),
            adds: Vec::with_capacity(ROWS),
            keys: Vec::new(),
            values: Vec::new(),
            line: 0,
            routed: &mut mine.routed,
        };
        // At the end of the file, a last line without a line break ends there.
        let unended = (last && !text.is_empty() && !text.ends_with('\n')).then_some(text.len());
        let lines = Lines {
            text,
            at,
            end,
            unended,
        };
        let reached = self.plain_lines(lines, line_no, &mut batch, counters)?;
        self.flush(&mut batch, counters)?;
        Some(reached)
    }

    /// The lines of [`Job::lines`]: their commas and line breaks found in one pass, 64 bytes at
    /// a time, and each line's cells cut as they are found. `Some(true)` once a line starting at
    /// the part's end is reached (the batch is left to flush).
    ///
    /// A text with a quote is left to the validating reader (a quoted cell is not read here), as
    /// is one with a carriage return anywhere but at the end of a line; a line ending in one
    /// (as Excel writes CSV on Windows) loses it.
    fn plain_lines(
        &self,
        lines: Lines<'_>,
        line_no: &mut u64,
        batch: &mut LineBatch<'_>,
        counters: &mut Counters,
    ) -> Option<bool> {
        let text = lines.text;
        let bytes = text.as_bytes();
        if memchr::memchr(b'"', bytes).is_some() {
            return None;
        }
        let crlf = memchr::memchr(b'\r', bytes).is_some();
        let line_end = |r: usize| bytes.get(r + 1) == Some(&b'\n') || Some(r + 1) == lines.unended;
        if crlf && !memchr::memchr_iter(b'\r', bytes).all(line_end) {
            return None;
        }
        let mut cut = Cut {
            text,
            start: 0,
            ends: vec![0; self.layout.names.len()],
            cells: 0,
        };
        let mut line_start = 0;
        let unended = lines.unended.map(|at| (at, 0, 1));
        for (base, commas, breaks) in blocks(bytes).chain(unended) {
            let mut any = commas | breaks;
            while any != 0 {
                let bit = any.trailing_zeros();
                any &= any - 1;
                let at = base + bit as usize;
                if (breaks >> bit) & 1 == 0 {
                    // A line with more cells than the file has columns is told at its end.
                    if let Some(end) = cut.ends.get_mut(cut.cells) {
                        *end = at;
                    }
                    cut.cells += 1;
                    continue;
                }
                if lines.reached(line_start) {
                    return Some(true);
                }
                // The last cell of a line ends before its carriage return.
                let cell_start = cut.next_start(line_start);
                let end = if crlf && at > cell_start && bytes.get(at - 1) == Some(&b'\r') {
                    at - 1
                } else {
                    at
                };
                // A blank line: the validating reader tells what it makes of it.
                if end == line_start {
                    return None;
                }
                // Past the file's columns: the validating reader tells the row's length.
                *cut.ends.get_mut(cut.cells)? = end;
                cut.cells += 1;
                cut.start = line_start;
                line_start = at + 1;
                self.next_line(line_no, batch, counters, |batch| {
                    if self.quick(&cut, batch) {
                        return Some(());
                    }
                    self.cells(&cut, batch)
                })?;
                cut.cells = 0;
            }
        }
        Some(false)
    }

    /// One more line, numbered `line_no`, checked and kept by `check`; the batch is counted once
    /// it is full.
    fn next_line(
        &self,
        line_no: &mut u64,
        batch: &mut LineBatch<'_>,
        counters: &mut Counters,
        check: impl FnOnce(&mut LineBatch<'_>) -> Option<()>,
    ) -> Option<()> {
        batch.line = u32::try_from(*line_no).ok()?;
        *line_no += 1;
        check(batch)?;
        if batch.rows.len() == ROWS {
            self.flush(batch, counters)?;
        }
        Some(())
    }
}

/// The text [`Job::lines`] reads: where it starts in the file, where the part ends, and where a
/// last line without a line break ends (at the end of the file).
#[derive(Clone, Copy)]
struct Lines<'t> {
    text: &'t str,
    at: u64,
    end: u64,
    unended: Option<usize>,
}

impl Lines<'_> {
    /// Whether a line starting at `line_start` in the text starts at the part's end or later.
    fn reached(&self, line_start: usize) -> bool {
        self.at + line_start as u64 >= self.end
    }
}

/// A text 64 bytes at a time: where each block starts, and bit masks of its commas and of its
/// line breaks ([`masks`]).
fn blocks(bytes: &[u8]) -> impl Iterator<Item = (usize, u64, u64)> + '_ {
    bytes
        .chunks(64)
        .zip((0..).step_by(64))
        .map(|(chunk, base)| {
            let (commas, breaks) = match <&[u8; 64]>::try_from(chunk) {
                Ok(full) => masks(full),
                Err(_) => short_masks(chunk),
            };
            (base, commas, breaks)
        })
}

/// Bit `i` set where byte `i` is a comma, and where it is a line break: sixteen bytes compared
/// at once, by the vector instructions every x86-64 processor has.
#[cfg(target_arch = "x86_64")]
#[inline]
fn masks(chunk: &[u8; 64]) -> (u64, u64) {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    let (mut commas, mut breaks) = (0u64, 0u64);
    for (i, part) in chunk.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of every x86-64 processor; the load reads the sixteen bytes of
        // `part`, which `chunks_exact` makes exactly sixteen long, and needs no alignment.
        let (c, b) = unsafe {
            let bytes = _mm_loadu_si128(part.as_ptr().cast());
            (
                _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(b',' as i8))),
                _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'\n' as i8))),
            )
        };
        // A mask of sixteen compares is sixteen bits: the casts keep them whole.
        commas |= u64::from(c as u16) << (16 * i);
        breaks |= u64::from(b as u16) << (16 * i);
    }
    (commas, breaks)
}

/// Bit `i` set where byte `i` is a comma, and where it is a line break.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn masks(chunk: &[u8; 64]) -> (u64, u64) {
    short_masks(chunk)
}

/// [`masks`] of fewer than 64 bytes.
fn short_masks(chunk: &[u8]) -> (u64, u64) {
    let (mut commas, mut breaks) = (0u64, 0u64);
    for (i, &b) in chunk.iter().enumerate() {
        commas |= u64::from(b == b',') << i;
        breaks |= u64::from(b == b'\n') << i;
    }
    (commas, breaks)
}

mod line;
mod quick;

use line::{Cut, LineBatch, ROWS};
use quick::Quick;
