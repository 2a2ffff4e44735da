//! A scenario's inputs made ready for evaluation: its roster read, its record files found, and
//! rows written in the scenario handed to the reader as text held in memory.
//!
//! Inline rows are made into CSV text **on the same line numbers** as in the scenario (the header
//! on the first line of the text, which the reader counts from there, the lines between blank
//! rows, which the reader skips), so that every record line the reader or an explanation names is
//! the scenario's own line; only the name is swapped for the scenario's. The reader's messages
//! about those rows become diagnostics on the scenario's text, pointing at the cell concerned.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::load::{Loaded, shown};
use super::rows;
use super::{Block, Place, tidy};
use crate::check::Policy;
use crate::diag::{self, Code, Diag, Problems, Stage};
use crate::eval::Roster;
use crate::eval::input;
use crate::span::Span;

/// One row written in the scenario: where it is, and its cells by column.
struct RowAt {
    span: Span,
    cells: Vec<(String, Span)>,
}

/// A CSV text made of rows from one part, held in memory.
struct Written {
    /// The name the reader knows it by (unique among the scenario's texts).
    name: PathBuf,
    part: usize,
    /// The scenario's line the text's header stands on.
    first_line: usize,
    /// Where the header points: the header row, or the block's keyword.
    header: Span,
    keyword: Span,
    rows: BTreeMap<usize, RowAt>,
}

/// A problem with a scenario's inputs: a diagnostic on a part's text, or a line about a file.
pub enum Problem {
    Diag(usize, Diag),
    Text(String),
}

/// The inputs ready for evaluation.
pub struct Prepared {
    pub roster: Roster,
    pub files: Vec<PathBuf>,
    /// The name to show for each file: the scenario or used file for rows written there.
    pub shown: Vec<PathBuf>,
    /// How the roster and record files named by the scenario are encoded (its own rows are
    /// UTF-8, as the scenario is).
    pub encoding: input::Encoding,
    /// The record files made of the scenario's rows, named in `files`.
    pub memory: Vec<input::InMemory>,
    written: Vec<Written>,
}

/// The CSV text of rows written in the scenario: the header on its first line (the scenario's
/// line `first`), each row on the line it has in the scenario. The lines between hold a single
/// space, a blank row that the reader skips.
fn csv_text(header: &[String], rows: &BTreeMap<usize, Vec<String>>, first: usize) -> String {
    let mut out = join(header);
    out.push('\n');
    let mut line = first + 1;
    for (&at, cells) in rows {
        while line < at {
            out.push_str(" \n");
            line += 1;
        }
        out.push_str(&join(cells));
        out.push('\n');
        line += 1;
    }
    out
}

fn join(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect();
    quoted.join(",")
}

/// The rows as a text held in memory, under `name`, its header on the scenario's line `first`.
fn in_memory(
    name: PathBuf,
    header: &[String],
    rows: &BTreeMap<usize, Vec<String>>,
    first: usize,
) -> input::InMemory {
    input::InMemory {
        name,
        bytes: csv_text(header, rows, first).into_bytes().into(),
        first_line: first,
    }
}

impl Loaded {
    fn dir(&self, part: usize) -> PathBuf {
        self.parts[part]
            .path
            .parent()
            .map_or_else(PathBuf::new, Path::to_path_buf)
    }

    /// Reads the roster and finds the record files, making inline rows texts held in memory.
    /// `Err` holds every problem found.
    pub fn prepare(
        &self,
        policy: &Policy,
        encoding: input::Encoding,
    ) -> Result<Prepared, PrepareError> {
        let mut written = Vec::new();
        let mut problems = Vec::new();
        let Some((rpart, place)) = &self.roster else {
            return Err(PrepareError::default());
        };
        let read = match place {
            Place::Paths { paths, .. } => {
                let tok = paths.first().map_or("", |t| t.text.as_str());
                input::read_roster_in(policy, &self.dir(*rpart).join(tok), encoding)
            }
            Place::Inline(block) => {
                let name = tidy(&self.parts[*rpart].path);
                let (w, text) = roster_text(policy, block, *rpart, name, &mut problems);
                written.push(w);
                input::read_roster_from(policy, &text)
            }
        };
        let mut prepared = Prepared {
            roster: Roster::default(),
            files: Vec::new(),
            shown: Vec::new(),
            encoding,
            memory: Vec::new(),
            written,
        };
        let roster = match read {
            Ok(r) => r,
            Err(errors) => {
                problems.extend(prepared.problems(&errors));
                return Err(PrepareError { problems });
            }
        };
        let mut external = Vec::new();
        let mut inline: Vec<(usize, &Block)> = Vec::new();
        for (part, place) in &self.records {
            match place {
                Place::Paths { paths, .. } => {
                    external.extend(paths.iter().map(|t| self.dir(*part).join(&t.text)));
                }
                Place::Inline(block) => inline.push((*part, block)),
            }
        }
        let mut files = input::record_files(&external).map_err(|e| PrepareError {
            problems: vec![Problem::Text(format!(
                "{}{}",
                diag::error_mark(),
                tidy_error(&e)
            ))],
        })?;
        let mut shown: Vec<PathBuf> = files.iter().map(|f| tidy(f)).collect();
        let named = |part: usize, n: usize| {
            PathBuf::from(format!("{}#{n}", tidy(&self.parts[part].path).display()))
        };
        for (w, text) in record_texts(policy, &roster, &inline, named, &mut problems) {
            files.push(w.name.clone());
            shown.push(tidy(&self.parts[w.part].path));
            prepared.written.push(w);
            prepared.memory.push(text);
        }
        if !problems.is_empty() {
            return Err(PrepareError { problems });
        }
        prepared.roster = roster;
        prepared.files = files;
        prepared.shown = shown;
        Ok(prepared)
    }
}

/// Why a scenario's inputs could not be prepared: every problem found.
#[derive(Default)]
pub struct PrepareError {
    pub problems: Vec<Problem>,
}

/// A reader's problem on a line of its own, its file named as the scenario's folder shows it.
fn tidy_error(e: &Diag) -> String {
    let mut e = e.clone();
    if !e.data_file().is_empty() {
        let at = e.place_mut();
        at.file = shown(Path::new(&at.file));
    }
    diag::plain(&e)
}

fn is_header(row: &super::Row, first: &str) -> bool {
    row.cells
        .first()
        .is_some_and(|c| c.text.eq_ignore_ascii_case(first))
}

/// The roster rows of a block, with the usual columns unless the block starts with a header, as a
/// text held in memory named `name`.
fn roster_text(
    policy: &Policy,
    block: &Block,
    part: usize,
    name: PathBuf,
    problems: &mut Vec<Problem>,
) -> (Written, input::InMemory) {
    let mut rows = block.rows.iter().peekable();
    let (header, header_span, first): (Vec<String>, Span, usize) = match rows.peek() {
        Some(r) if is_header(r, "person") => {
            let h = r.cells.iter().map(|c| c.text.clone()).collect();
            let (span, line) = (r.span, r.line);
            rows.next();
            (h, span, line)
        }
        _ => (
            ["person", "name", "department"]
                .into_iter()
                .map(str::to_string)
                .chain(policy.columns.iter().map(|c| c.name.clone()))
                .collect(),
            block.keyword,
            block.line,
        ),
    };
    let mut text_rows = BTreeMap::new();
    let mut at = BTreeMap::new();
    for row in rows {
        if is_header(row, "person") {
            problems.push(Problem::Diag(
                part,
                Diag::error(
                    Code::ScenarioSyntax,
                    row.span,
                    crate::tr!("a second header row", "第二行表头"),
                )
                .label(crate::tr!(
                    "a header in the middle of the roster",
                    "花名册中间又出现了表头"
                ))
                .help(crate::tr!(
                    "a roster block has at most one header, on its first row",
                    "花名册块最多一行表头，而且在第一行"
                )),
            ));
            continue;
        }
        text_rows.insert(row.line, row.cells.iter().map(|c| c.text.clone()).collect());
        at.insert(row.line, row_at(row, &header));
    }
    let text = in_memory(name.clone(), &header, &text_rows, first);
    let written = Written {
        name,
        part,
        first_line: first,
        header: header_span,
        keyword: block.keyword,
        rows: at,
    };
    (written, text)
}

fn row_at(row: &super::Row, header: &[String]) -> RowAt {
    RowAt {
        span: row.span,
        cells: header
            .iter()
            .cloned()
            .zip(row.cells.iter().map(|c| c.span))
            .collect(),
    }
}

/// Rows by line, as CSV cells.
type Rows = BTreeMap<usize, Vec<String>>;
/// Rows under a header row of their own: the text to be, its header, its rows.
type Table = (Written, Vec<String>, Rows);
/// A part's rows in the usual columns: the first block's keyword and line, the rows, where each
/// came from.
type Plain = (Span, usize, Rows, BTreeMap<usize, RowAt>);

/// Every inline record block as texts held in memory: one per part for rows in the usual columns,
/// one per header row for rows under a header of their own; `named` names the `n`th of a part.
fn record_texts(
    policy: &Policy,
    roster: &Roster,
    blocks: &[(usize, &Block)],
    named: impl Fn(usize, usize) -> PathBuf,
    problems: &mut Vec<Problem>,
) -> Vec<(Written, input::InMemory)> {
    let union = rows::union_header(policy);
    let mut plain: BTreeMap<usize, Plain> = BTreeMap::new();
    let mut out = Vec::new();
    let mut n = 0;
    let mut finish = |(mut w, header, rows): Table| {
        n += 1;
        w.name = named(w.part, n);
        let text = in_memory(w.name.clone(), &header, &rows, w.first_line);
        (w, text)
    };
    for &(part, block) in blocks {
        let mut table: Option<Table> = None;
        for row in &block.rows {
            if is_header(row, "date") {
                if let Some(t) = table.take() {
                    out.push(finish(t));
                }
                let header: Vec<String> = row.cells.iter().map(|c| c.text.clone()).collect();
                table = Some((
                    Written {
                        name: PathBuf::new(),
                        part,
                        first_line: row.line,
                        header: row.span,
                        keyword: block.keyword,
                        rows: BTreeMap::new(),
                    },
                    header,
                    BTreeMap::new(),
                ));
                continue;
            }
            if let Some((w, header, rows)) = &mut table {
                rows.insert(row.line, row.cells.iter().map(|c| c.text.clone()).collect());
                w.rows.insert(row.line, row_at(row, header));
                continue;
            }
            let entry = plain
                .entry(part)
                .or_insert_with(|| (block.keyword, block.line, BTreeMap::new(), BTreeMap::new()));
            match rows::plain_row(policy, roster, &union, row) {
                Ok((cells, names)) => {
                    entry.2.insert(row.line, cells);
                    entry.3.insert(
                        row.line,
                        RowAt {
                            span: row.span,
                            cells: names,
                        },
                    );
                }
                Err(d) => problems.push(Problem::Diag(part, d)),
            }
        }
        if let Some(t) = table.take() {
            out.push(finish(t));
        }
    }
    for (part, (keyword, first, rows, at)) in plain {
        let written = Written {
            name: PathBuf::new(),
            part,
            first_line: first,
            header: keyword,
            keyword,
            rows: at,
        };
        out.push(finish((written, union.clone(), rows)));
    }
    out
}

impl Prepared {
    fn written(&self, file: &str) -> Option<&Written> {
        self.written
            .iter()
            .find(|w| w.name.display().to_string() == file)
    }

    /// Problems found reading or scoring as the user should see them, then the line counting
    /// those left out.
    pub fn problems(&self, problems: &Problems) -> Vec<Problem> {
        let mut out: Vec<Problem> = problems
            .list
            .iter()
            .map(|e| match problems.stage {
                Stage::Reading => self.input_problem(e),
                Stage::Scoring => self.eval_problem(e),
            })
            .collect();
        if let Some(line) = problems.closing_line() {
            out.push(Problem::Text(line));
        }
        out
    }

    /// A reader's problem as the user should see it: on the scenario's line when the row was
    /// written there, else as a line naming the file.
    fn input_problem(&self, e: &Diag) -> Problem {
        let Some(w) = self.written(e.data_file()) else {
            return Problem::Text(format!("{}{}", diag::error_mark(), tidy_error(e)));
        };
        let column = e.place().and_then(|p| p.column.as_ref());
        let (span, label) = match e.data_line() {
            None => (w.keyword, String::new()),
            Some(line) if line == w.first_line => (
                w.header,
                crate::tr!("in the columns", "在列名里").to_string(),
            ),
            Some(line) => match w.rows.get(&line) {
                None => (w.keyword, String::new()),
                Some(row) => {
                    let cell = column
                        .and_then(|c| row.cells.iter().find(|(name, _)| name.as_str() == &**c));
                    match (cell, column) {
                        (Some((_, span)), _) => (*span, String::new()),
                        (None, Some(c)) => (
                            row.span,
                            crate::tr!(format!("column `{c}`"), format!("`{c}` 列")),
                        ),
                        (None, None) => (row.span, String::new()),
                    }
                }
            },
        };
        let mut d = Diag::error(Code::ScenarioInput, span, e.message.clone()).label(label);
        d.help = e.help.clone();
        Problem::Diag(w.part, d)
    }

    /// A problem found while scoring, placed like [`Prepared::input_problem`].
    fn eval_problem(&self, e: &Diag) -> Problem {
        let place = e.place();
        let file = place
            .and_then(|p| p.record_file)
            .and_then(|i| self.files.get(i as usize))
            .map(|f| f.display().to_string());
        let line = place.and_then(|p| p.line);
        if let (Some(file), Some(line)) = (&file, line) {
            if let Some(w) = self.written(file) {
                let span = w.rows.get(&line).map_or(w.keyword, |r| r.span);
                let mut d = Diag::error(Code::ScenarioInput, span, e.message.clone());
                d.help = e.help.clone();
                return Problem::Diag(w.part, d);
            }
        }
        let mut e = e.clone();
        e.name_files(&self.shown);
        Problem::Text(format!("{}{}", diag::error_mark(), diag::plain(&e)))
    }
}
