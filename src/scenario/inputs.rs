//! A scenario's inputs made ready for evaluation: its roster read, its record files found, and
//! rows written in the scenario put where the record reader can read them.
//!
//! Inline rows are written to temporary CSV files **on the same line numbers** as in the scenario
//! (the lines between are blank rows, which the reader skips), so that every record line the reader or an explanation names is
//! the scenario's own line; only the file name is swapped back. The reader's messages about those
//! rows become diagnostics on the scenario's text, pointing at the cell concerned.

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

/// A temporary folder, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Result<TempDir, String> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tally-scenario-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| {
            format!(
                "cannot make a temporary folder for the scenario's rows: {}",
                input::io_reason(&e)
            )
        })?;
        Ok(TempDir(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One row written to a temporary file: where it is in the scenario, and its cells by column.
struct RowAt {
    span: Span,
    cells: Vec<(String, Span)>,
}

/// A temporary CSV file made of rows from one part.
struct Written {
    path: PathBuf,
    part: usize,
    /// Where the reader's line 1 (the header) points: the header row, or the block's keyword.
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
    /// How the roster and record files named by the scenario are encoded (the files written from
    /// its rows start with UTF-8's byte-order mark, and so are read as UTF-8 whatever this is).
    pub encoding: input::Encoding,
    written: Vec<Written>,
}

/// Builds the CSV text of a temporary file: the header on line 1, each row on the line it has in
/// the scenario. The lines between hold a single space, a blank row that the reader skips.
fn csv_text(header: &[String], rows: &BTreeMap<usize, Vec<String>>) -> String {
    let mut out = join(header);
    out.push('\n');
    let mut line = 2;
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

fn write_file(
    dir: &Path,
    name: String,
    header: &[String],
    rows: &BTreeMap<usize, Vec<String>>,
) -> Result<PathBuf, String> {
    let path = dir.join(name);
    // With a byte-order mark: UTF-8 whatever `--encoding` says of the files the scenario names.
    let text = format!("\u{feff}{}", csv_text(header, rows));
    std::fs::write(&path, text).map_err(|e| {
        format!(
            "cannot write the scenario's rows to a temporary file: {}",
            input::io_reason(&e)
        )
    })?;
    Ok(path)
}

impl Loaded {
    fn dir(&self, part: usize) -> PathBuf {
        self.parts[part]
            .path
            .parent()
            .map_or_else(PathBuf::new, Path::to_path_buf)
    }

    /// Reads the roster and finds the record files, writing inline rows to `tmp`. `Err` holds every
    /// problem found.
    pub fn prepare(
        &self,
        policy: &Policy,
        tmp: &TempDir,
        encoding: input::Encoding,
    ) -> Result<Prepared, PrepareError> {
        let mut written = Vec::new();
        let mut problems = Vec::new();
        let Some((rpart, place)) = &self.roster else {
            return Err(PrepareError::default());
        };
        let roster_path = match place {
            Place::Paths { paths, .. } => {
                let tok = paths.first().map_or("", |t| t.text.as_str());
                self.dir(*rpart).join(tok)
            }
            Place::Inline(block) => {
                let w = roster_file(policy, block, *rpart, tmp, &mut problems)?;
                let path = w.path.clone();
                written.push(w);
                path
            }
        };
        let mut prepared = Prepared {
            roster: Roster::default(),
            files: Vec::new(),
            shown: Vec::new(),
            encoding,
            written,
        };
        let roster = match input::read_roster_in(policy, &roster_path, encoding) {
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
            problems: vec![Problem::Text(format!("error: {}", tidy_error(&e)))],
        })?;
        let mut shown: Vec<PathBuf> = files.iter().map(|f| tidy(f)).collect();
        for w in record_files_inline(policy, &roster, &inline, tmp, &mut problems)? {
            files.push(w.path.clone());
            shown.push(tidy(&self.parts[w.part].path));
            prepared.written.push(w);
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

impl From<String> for PrepareError {
    fn from(message: String) -> Self {
        PrepareError {
            problems: vec![Problem::Text(format!("error: {message}"))],
        }
    }
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

/// The roster rows of a block, with the usual columns unless the block starts with a header.
fn roster_file(
    policy: &Policy,
    block: &Block,
    part: usize,
    tmp: &TempDir,
    problems: &mut Vec<Problem>,
) -> Result<Written, String> {
    let mut rows = block.rows.iter().peekable();
    let (header, header_span): (Vec<String>, Span) = match rows.peek() {
        Some(r) if is_header(r, "person") => {
            let h = r.cells.iter().map(|c| c.text.clone()).collect();
            let span = r.span;
            rows.next();
            (h, span)
        }
        _ => (
            ["person", "name", "department"]
                .into_iter()
                .map(str::to_string)
                .chain(policy.columns.iter().map(|c| c.name.clone()))
                .collect(),
            block.keyword,
        ),
    };
    let mut text_rows = BTreeMap::new();
    let mut at = BTreeMap::new();
    for row in rows {
        if is_header(row, "person") {
            problems.push(Problem::Diag(
                part,
                Diag::error(Code::ScenarioSyntax, row.span, "a second header row")
                    .label("a header in the middle of the roster")
                    .help("a roster block has at most one header, on its first row"),
            ));
            continue;
        }
        text_rows.insert(row.line, row.cells.iter().map(|c| c.text.clone()).collect());
        at.insert(row.line, row_at(row, &header));
    }
    let path = write_file(tmp.path(), "roster.csv".into(), &header, &text_rows)?;
    Ok(Written {
        path,
        part,
        header: header_span,
        keyword: block.keyword,
        rows: at,
    })
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
/// Rows under a header row of their own: the file to be, its header, its rows.
type Table = (Written, Vec<String>, Rows);
/// A part's rows in the usual columns: the block keyword, the rows, where each came from.
type Plain = (Span, Rows, BTreeMap<usize, RowAt>);

/// Every inline record block as temporary files: one per part for rows in the usual columns,
/// one per header row for rows under a header of their own.
fn record_files_inline(
    policy: &Policy,
    roster: &Roster,
    blocks: &[(usize, &Block)],
    tmp: &TempDir,
    problems: &mut Vec<Problem>,
) -> Result<Vec<Written>, String> {
    let union = rows::union_header(policy);
    let mut plain: BTreeMap<usize, Plain> = BTreeMap::new();
    let mut out = Vec::new();
    let mut n = 0;
    for &(part, block) in blocks {
        let mut table: Option<Table> = None;
        for row in &block.rows {
            if is_header(row, "date") {
                if let Some(t) = table.take() {
                    out.push(finish_table(tmp, &mut n, t)?);
                }
                let header: Vec<String> = row.cells.iter().map(|c| c.text.clone()).collect();
                table = Some((
                    Written {
                        path: PathBuf::new(),
                        part,
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
                .or_insert_with(|| (block.keyword, BTreeMap::new(), BTreeMap::new()));
            match rows::plain_row(policy, roster, &union, row) {
                Ok((cells, names)) => {
                    entry.1.insert(row.line, cells);
                    entry.2.insert(
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
            out.push(finish_table(tmp, &mut n, t)?);
        }
    }
    for (part, (keyword, rows, at)) in plain {
        n += 1;
        let path = write_file(tmp.path(), format!("records-{n}.csv"), &union, &rows)?;
        out.push(Written {
            path,
            part,
            header: keyword,
            keyword,
            rows: at,
        });
    }
    Ok(out)
}

fn finish_table(
    tmp: &TempDir,
    n: &mut usize,
    (mut w, header, rows): Table,
) -> Result<Written, String> {
    *n += 1;
    w.path = write_file(tmp.path(), format!("records-{n}.csv"), &header, &rows)?;
    Ok(w)
}

impl Prepared {
    fn written(&self, file: &str) -> Option<&Written> {
        self.written
            .iter()
            .find(|w| w.path.display().to_string() == file)
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
            return Problem::Text(format!("error: {}", tidy_error(e)));
        };
        let column = e.place().and_then(|p| p.column.as_ref());
        let (span, label) = match e.data_line() {
            None => (w.keyword, String::new()),
            Some(1) => (w.header, "in the columns".to_string()),
            Some(line) => match w.rows.get(&line) {
                None => (w.keyword, String::new()),
                Some(row) => {
                    let cell = column
                        .and_then(|c| row.cells.iter().find(|(name, _)| name.as_str() == &**c));
                    match (cell, column) {
                        (Some((_, span)), _) => (*span, String::new()),
                        (None, Some(c)) => (row.span, format!("column `{c}`")),
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
        Problem::Text(format!("error: {}", diag::plain(&e)))
    }
}
