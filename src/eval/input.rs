//! Reading and validating the roster and the record files against a checked policy.
//!
//! Every problem becomes an [`InputError`] naming the file, the line and the column, with a
//! did-you-mean where a name was misspelt. Nothing is dropped silently: a row is either a valid
//! record handed to the sink, a blank row, or an error. Records are read in one streaming pass
//! (`csv::ByteRecord`, one reused buffer); memory does not grow with the number of records.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::hash::BuildHasher;

use super::{Origin, Person, Record, Roster, Subject, Value};
use crate::check::Policy;
use crate::check::model::{Kind, ValueType};
use crate::codes::Code;
use crate::diag::{closest, list_names};

/// How many problems are listed before the rest are only counted.
pub const MAX_ERRORS: usize = 50;

/// Whether the command could not read its inputs at all, or read them and found them wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// A file is missing or unreadable: the command could not run.
    Unreadable,
    /// The data does not fit the policy.
    Invalid,
}

/// One problem with an input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub severity: Severity,
    /// What kind of problem it is; `None` on the line that counts the problems left out.
    pub code: Option<Code>,
    /// The file as given on the command line.
    pub file: String,
    /// 1-based line, when the problem is on a line.
    pub line: Option<usize>,
    /// The column's header name, when the problem is in one cell.
    pub column: Option<String>,
    /// The 1-based position of the cell in its row (or in the header), when that is known (and
    /// below 65536: kept small, as every `Result` of the reader carries an `InputError`).
    pub position: Option<std::num::NonZeroU16>,
    pub message: String,
    pub help: Option<String>,
    /// On the line that closes a long list, how many problems it stands for; 0 on a problem.
    pub more: u32,
}

impl InputError {
    fn invalid(code: Code, file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        InputError {
            severity: Severity::Invalid,
            code: Some(code),
            file: file.to_string(),
            line,
            column: None,
            position: None,
            message: message.into(),
            help: None,
            more: 0,
        }
    }

    fn unreadable(code: Code, file: &str, message: impl Into<String>) -> Self {
        InputError {
            severity: Severity::Unreadable,
            ..InputError::invalid(code, file, None, message)
        }
    }

    fn column(mut self, column: &str) -> Self {
        self.column = Some(column.to_string());
        self
    }

    /// The cell's 0-based index in its row.
    fn at_cell(mut self, index: usize) -> Self {
        self.position = u16::try_from(index + 1)
            .ok()
            .and_then(std::num::NonZeroU16::new);
        self
    }

    fn at_maybe(self, index: Option<usize>) -> Self {
        match index {
            Some(i) => self.at_cell(i),
            None => self,
        }
    }

    fn help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Problems not about one file (the count of problems left out) have no place to name.
        if !self.file.is_empty() {
            write!(f, "{}", self.file)?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            if let Some(column) = &self.column {
                write!(f, ": column `{column}`")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(code) = self.code {
            write!(f, " [{}]", code.as_str())?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// An I/O error as a user reads it, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    if let Some(own) = e.get_ref() {
        // A reason tally gave itself.
        return own.to_string();
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

/// Collects problems up to [`MAX_ERRORS`], then only counts them.
struct Errors {
    list: Vec<InputError>,
    more: usize,
}

impl Errors {
    fn new() -> Self {
        Errors {
            list: Vec::new(),
            more: 0,
        }
    }

    fn push(&mut self, e: InputError) {
        if self.list.len() < MAX_ERRORS {
            self.list.push(e);
        } else {
            self.more += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    fn finish(mut self, file: &str) -> Vec<InputError> {
        if self.more > 0 {
            let more = self.more;
            self.list.push(InputError {
                more: u32::try_from(more).unwrap_or(u32::MAX),
                code: None,
                ..InputError::invalid(
                    Code::CannotRead,
                    file,
                    None,
                    format!(
                        "and {more} more problem{}; fix the ones above and run again",
                        if more == 1 { "" } else { "s" }
                    ),
                )
            });
        }
        self.list
    }
}

/// How many problems a list of them stands for: those listed, and those its closing line counts.
pub fn count(errors: &[InputError]) -> usize {
    errors.iter().map(|e| e.more.max(1) as usize).sum()
}

fn did_you_mean<'a>(wrong: &str, names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(wrong, names).map(|c| format!("did you mean `{c}`?"))
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// A CSV file being read by bytes.
type CsvReader = csv::Reader<Terminated<std::fs::File>>;

/// A file as the CSV reader sees it: with a final line break added when the file lacks one, so
/// that every row ends with a `\n` and the line it starts on can be counted back from the end
/// (see [`next_row`]); and its quotes watched (see [`Quotes`]).
struct Terminated<R> {
    inner: R,
    last: u8,
    done: bool,
    quotes: Quotes,
}

impl<R: std::io::Read> std::io::Read for Terminated<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.done {
            self.quotes.end();
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if let Some(read) = buf.get(..n).filter(|b| !b.is_empty()) {
            self.last = read.last().copied().unwrap_or(self.last);
            self.quotes.scan(read);
            return Ok(n);
        }
        self.done = true;
        match buf.first_mut() {
            Some(first) if self.last != b'\n' => {
                *first = b'\n';
                self.quotes.scan(b"\n");
                Ok(1)
            }
            _ => {
                self.quotes.end();
                Ok(0)
            }
        }
    }
}

/// What went wrong with a quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum QuoteProblem {
    /// Opened and never closed: every line after it was read into the cell.
    Unclosed,
    /// Closed in the middle of the cell: text follows the closing quote (`"ab"c`).
    ClosedInside,
    /// After spaces at the start of a cell, where it opens nothing (` "a,b"`).
    AfterSpaces,
}

/// Where the CSV reader is in a row, as far as quotes go (the states of `csv_core`'s reader with
/// the settings of [`open`], which this follows byte for byte).
#[derive(Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    /// At the start of a cell (or of a row).
    Start,
    /// Inside a cell that does not start with a quote: a quote is text.
    Plain,
    /// Spaces at the start of a cell.
    Spaces,
    /// Inside a quoted cell.
    Quoted,
    /// Right after a quote inside a quoted cell: it closes the cell or, doubled, is a quote.
    Closed,
    /// Spaces after the closing quote.
    ClosedSpaces,
}

/// Watches the quotes of a CSV file as the reader reads it. The `csv` crate takes what it is given
/// leniently: a quote never closed swallows every following row into one cell, and text after a
/// closing quote is joined to the cell. Both are found here, by the line the quote opened on, and
/// [`next_row`]'s callers turn them into errors for the row that holds them.
struct Quotes {
    state: QuoteState,
    /// The line being read (1-based).
    line: u64,
    /// The line the current quoted cell opened on.
    opened: u64,
    /// Problems found and not yet claimed by a row, in line order.
    found: std::collections::VecDeque<(u64, QuoteProblem)>,
    /// Whether bytes have been scanned: the reader skips a byte-order mark at the very start.
    started: bool,
}

impl Quotes {
    fn new() -> Self {
        Quotes {
            state: QuoteState::Start,
            line: 1,
            opened: 1,
            found: std::collections::VecDeque::new(),
            started: false,
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        use QuoteState::{Closed, ClosedSpaces, Plain, Quoted, Spaces, Start};
        // As `csv_core` does: a byte-order mark in the first bytes read is not part of the text.
        let first = !self.started;
        self.started |= !bytes.is_empty();
        let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) if first => rest,
            _ => bytes,
        };
        for &b in bytes {
            let space = matches!(b, b' ' | b'\t' | b'\r');
            let ends = matches!(b, b',' | b'\n');
            self.state = match self.state {
                Start if b == b'"' => {
                    self.opened = self.line;
                    Quoted
                }
                Start | Plain | Spaces | ClosedSpaces if ends => Start,
                Start | Spaces if space => Spaces,
                Spaces if b == b'"' => {
                    self.found.push_back((self.line, QuoteProblem::AfterSpaces));
                    Plain
                }
                Start | Plain | Spaces => Plain,
                Quoted if b == b'"' => Closed,
                Quoted => Quoted,
                Closed if b == b'"' => Quoted,
                Closed if ends => Start,
                Closed | ClosedSpaces if space => ClosedSpaces,
                Closed | ClosedSpaces => {
                    self.found
                        .push_back((self.opened, QuoteProblem::ClosedInside));
                    Plain
                }
            };
            if b == b'\n' {
                self.line += 1;
            }
        }
    }

    /// The end of the file: a quoted cell still open was never closed.
    fn end(&mut self) {
        if self.state == QuoteState::Quoted {
            self.found.push_back((self.opened, QuoteProblem::Unclosed));
            self.state = QuoteState::Start;
        }
    }
}

/// The first quote problem of the row just read, if any (see [`Quotes`]): the problems on the
/// lines the reader has gone past are this row's, the row having been read whole.
fn quote_problem(reader: &mut CsvReader, file: &str) -> Option<InputError> {
    let end = reader.position().line();
    let found = &mut reader.get_mut().quotes.found;
    let mut first = None;
    while let Some(&(line, problem)) = found.front() {
        if line >= end {
            break;
        }
        found.pop_front();
        first.get_or_insert((line, problem));
    }
    let (line, problem) = first?;
    let (code, message, help) = match problem {
        QuoteProblem::Unclosed => (
            Code::UnclosedQuote,
            "a quote (\") opens a cell here and is never closed, so every line after it was \
             read as part of this cell",
            "close the cell's quote; a quote inside a quoted cell is written twice (\"\")",
        ),
        QuoteProblem::ClosedInside => (
            Code::MisplacedQuote,
            "a quoted cell that opens here is closed in the middle: text follows its closing \
             quote (\")",
            "put the whole cell in quotes, and write a quote inside it twice (\"\"), like \
             \"a \"\"b\"\" c\"",
        ),
        QuoteProblem::AfterSpaces => (
            Code::MisplacedQuote,
            "a quote (\") after spaces does not open a quoted cell: the cell is read as it \
             stands, and a comma inside it starts another cell",
            "remove the spaces before the quote",
        ),
    };
    let line = usize::try_from(line).unwrap_or(usize::MAX);
    Some(InputError::invalid(code, file, Some(line), message).help(Some(help.into())))
}

/// Opens a CSV file for reading by bytes. Headers are read by the caller.
fn open(path: &Path) -> Result<CsvReader, InputError> {
    let file = std::fs::File::open(path).map_err(|e| {
        InputError::unreadable(
            Code::CannotRead,
            &display(path),
            format!("cannot read this file: {}", io_reason(&e)),
        )
    })?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(InputError::unreadable(
            Code::CannotRead,
            &display(path),
            "this is a folder, not a CSV file",
        ));
    }
    // Rows end at `\n` only: a `\r` before it stays at the end of the last cell, where trimming
    // removes it. With `\r` as a terminator too, a CRLF row would end at its `\r`, and its `\n`
    // would be counted on the next row's account.
    Ok(csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(Terminated {
            inner: file,
            last: b'\n',
            done: false,
            quotes: Quotes::new(),
        }))
}

/// Reads the next row into `row`, with the line it starts on as its position. `Ok(false)` at the
/// end of the file.
///
/// The reader dates a row from where the previous one ended, which is before any blank lines it
/// skips; so the line is counted back from the row's end instead: every row ends with one `\n`
/// (see [`Terminated`]), and a quoted cell may hold more.
fn next_row(
    reader: &mut CsvReader,
    row: &mut csv::ByteRecord,
    file: &str,
) -> Result<bool, InputError> {
    let more = reader.read_byte_record(row).map_err(|e| {
        let line = e.position().map(|p| p.line() as usize);
        let message = match e.kind() {
            csv::ErrorKind::Io(io) => format!("cannot read this file: {}", io_reason(io)),
            _ => format!("this line is not valid CSV: {e}"),
        };
        InputError::invalid(Code::CannotRead, file, line, message)
    })?;
    if more {
        let end = reader.position().line();
        if let Some(mut start) = row.position().cloned() {
            if end != start.line() + 1 {
                let inside = row.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
                start.set_line(end.saturating_sub(inside + 1).max(1));
                row.set_position(Some(start));
            }
        }
    }
    Ok(more)
}

fn line_of(row: &csv::ByteRecord) -> usize {
    row.position().map_or(0, |p| p.line() as usize)
}

fn is_blank(row: &csv::ByteRecord) -> bool {
    row.iter()
        .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
}

/// A cell as text, trimmed; `Err` when it is not UTF-8.
fn cell_text(cell: &[u8]) -> Result<&str, ()> {
    std::str::from_utf8(cell).map(str::trim).map_err(|_| ())
}

fn not_utf8(file: &str, line: usize) -> InputError {
    InputError::invalid(
        Code::NotUtf8,
        file,
        Some(line),
        "this file is not UTF-8 text",
    )
    .help(Some(
        "it was probably saved in a Chinese legacy encoding (GBK); in Excel or WPS choose \
         \"Save as\" → \"CSV UTF-8\""
            .into(),
    ))
}

/// The header row of a file: the line it is on (blank lines may come before it) and the column
/// names, trimmed, a UTF-8 byte-order mark removed.
struct Header {
    line: usize,
    names: Vec<String>,
}

fn read_header(reader: &mut CsvReader, file: &str) -> Result<Option<Header>, InputError> {
    let mut row = csv::ByteRecord::new();
    loop {
        if !next_row(reader, &mut row, file)? {
            return Ok(None);
        }
        if let Some(e) = quote_problem(reader, file) {
            return Err(e);
        }
        if !is_blank(&row) {
            break;
        }
    }
    let line = line_of(&row);
    let mut names = Vec::with_capacity(row.len());
    for (i, cell) in row.iter().enumerate() {
        let cell = if i == 0 {
            cell.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(cell)
        } else {
            cell
        };
        let text = cell_text(cell).map_err(|()| not_utf8(file, line))?;
        if text.contains('\r') && !text.contains('\n') {
            // Only `\n` ends a row, so a file whose lines end with `\r` alone is one long row.
            return Err(InputError::invalid(
                Code::CrLineEndings,
                file,
                Some(line),
                "the lines of this file end with a carriage return alone (an old Mac format)",
            )
            .help(Some(
                "in Excel or WPS choose \"Save as\" → \"CSV UTF-8\"".into(),
            )));
        }
        names.push(text.to_string());
    }
    Ok(Some(Header { line, names }))
}

/// A header cell with no name. Its column cannot be read: every cell needs a column name.
fn unnamed_column(file: &str, line: usize, position: usize) -> InputError {
    InputError::invalid(
        Code::UnnamedColumn,
        file,
        Some(line),
        format!("column {} of the header has no name", position + 1),
    )
    .at_cell(position)
    .help(Some(
        "write the column's name in the header, or delete the column if it holds nothing".into(),
    ))
}

/// A row with more cells than the header has names: which cell is past the last column, and what
/// usually put it there.
fn too_many_cells(file: &str, line: usize, row: &csv::ByteRecord, columns: usize) -> InputError {
    let extra = row.iter().enumerate().skip(columns).find_map(|(i, cell)| {
        let text = String::from_utf8_lossy(cell);
        let text = text.trim();
        (!text.is_empty()).then(|| (i, text.chars().take(40).collect::<String>()))
    });
    let cell = extra.as_ref().map_or(columns, |(i, _)| *i);
    let help = match extra {
        Some((i, text)) => format!(
            "cell {} holds `{text}` but has no column; a value that contains a comma must be in \
             double quotes (\"…\"), or the header needs a name for this column",
            i + 1
        ),
        None => "the cells past the last column are empty: remove the commas at the end of the row"
            .into(),
    };
    InputError::invalid(
        Code::TooManyCells,
        file,
        Some(line),
        format!(
            "this row has {} cells but the header has {columns}",
            row.len()
        ),
    )
    .at_cell(cell)
    .help(Some(help))
}

/// The help for a cell that is not a number.
const NUMBER_HELP: &str = "write digits with an optional `.` and sign, like `2` or `1.5`";

/// Whether `text` is a number as records write them: an optional sign, digits, and an optional
/// `.` followed by digits (`2`, `-1.5`, `+3`). No exponent (`1e3`), no `_` or thousands
/// separator, no bare `.` at either end: the forms the policy language takes.
fn is_plain_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

/// Reads a number cell, refusing every form the documented format does not have, with the form
/// to write instead where there is one.
fn parse_number(text: &str) -> Result<Decimal, Problem> {
    let not = |help: String| {
        Err((
            Code::NotANumber,
            format!("`{text}` is not a number"),
            Some(help),
        ))
    };
    if !is_plain_number(text) {
        // Full-width digits and signs from a Chinese input method, and the minus sign U+2212.
        let ascii: String = text
            .chars()
            .map(|c| match c {
                '０'..='９' | '．' | '＋' | '－' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                '−' | '–' | '—' => '-',
                c => c,
            })
            .collect();
        if ascii != text && is_plain_number(&ascii) {
            return not(format!("write `{ascii}`, in half-width characters"));
        }
        let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
        if unsigned.contains(['e', 'E'])
            && unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            && unsigned
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, 'e' | 'E' | '.' | '+' | '-'))
        {
            let full = Decimal::from_scientific(text)
                .ok()
                .map(|n| format!(", like `{}`", n.normalize()))
                .unwrap_or_default();
            return not(format!(
                "exponents are not read: write the number in full{full}"
            ));
        }
        let plain: String = text
            .chars()
            .filter(|c| !matches!(c, '_' | ',' | '，' | '\'' | ' '))
            .collect();
        if plain != text && is_plain_number(&plain) {
            return not(format!(
                "write `{plain}`, without separators between the digits"
            ));
        }
        if let Some(fraction) = unsigned.strip_prefix('.').filter(|f| is_plain_number(f)) {
            let sign = &text[..text.len() - unsigned.len()];
            return not(format!("write `{sign}0.{fraction}`"));
        }
        if let Some(whole) = text.strip_suffix('.').filter(|w| is_plain_number(w)) {
            return not(format!("write `{whole}`, or digits after the `.`"));
        }
        return not(NUMBER_HELP.into());
    }
    let too_long = || {
        (
            Code::NotANumber,
            format!("`{text}` has more digits than a number here can hold"),
            Some("write a number of at most 28 digits".into()),
        )
    };
    let n: Decimal = text.parse().map_err(|_| too_long())?;
    // The parser rounds digits it cannot hold; a rounded value is not the one written.
    if n.normalize().to_string() != exact_digits(text) {
        return Err(too_long());
    }
    Ok(n)
}

/// A number in the documented form as its shortest writing: no `+`, no leading zeros, no
/// trailing zeros after the `.`, `0` for any zero.
fn exact_digits(text: &str) -> String {
    let negative = text.starts_with('-');
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    let mut out = String::new();
    if negative && !(whole.is_empty() && fraction.is_empty()) {
        out.push('-');
    }
    out.push_str(if whole.is_empty() { "0" } else { whole });
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// What is wrong with a cell: its code, the message and the help (the caller adds where).
type Problem = (Code, String, Option<String>);

/// Parses a value of a declared type. The error is the message to show (the caller adds where).
fn parse_value(text: &str, ty: &ValueType) -> Result<Value, Problem> {
    match ty {
        ValueType::Text => Ok(Value::Text(text.to_string())),
        ValueType::Bool => match text.to_lowercase().as_str() {
            "true" | "是" => Ok(Value::Bool(true)),
            "false" | "否" => Ok(Value::Bool(false)),
            _ => Err((
                Code::NotInList,
                format!("`{text}` is neither `true` nor `false`"),
                Some("write `true` or `false` (or `是` or `否`)".into()),
            )),
        },
        ValueType::Enum(values) => match values.iter().position(|v| v == text) {
            Some(i) => Ok(Value::Enum(i)),
            None => Err((
                Code::NotInList,
                format!("`{text}` is not one of {}", list_names(values)),
                did_you_mean(text, values.iter().map(String::as_str))
                    .or_else(|| Some("write one of these values as the policy spells it".into())),
            )),
        },
        ValueType::Number {
            unit,
            whole,
            min,
            max,
        } => {
            let n = parse_number(text)?;
            let unit = match unit.name() {
                "number" => String::new(),
                name => format!(" {name}"),
            };
            if *whole && !n.fract().is_zero() {
                let of = if unit.is_empty() {
                    String::new()
                } else {
                    format!(" of{unit}")
                };
                return Err((
                    Code::NotWhole,
                    format!("`{text}` is not a whole number{of}"),
                    Some("the policy counts this field in whole numbers, like `2`".into()),
                ));
            }
            let below = min.is_some_and(|m| n < m);
            let above = max.is_some_and(|m| n > m);
            if below || above {
                let range = match (min, max) {
                    (Some(a), Some(b)) => format!("from {a} to {b}"),
                    (Some(a), None) => format!("at least {a}"),
                    (None, Some(b)) => format!("at most {b}"),
                    (None, None) => String::new(),
                };
                return Err((
                    Code::OutOfRange,
                    format!("{n}{unit} is out of range: the policy allows {range}"),
                    Some(
                        "correct the value; if it is right, the policy's range for this field \
                         needs changing"
                            .into(),
                    ),
                ));
            }
            Ok(Value::Number(n.normalize()))
        }
    }
}

// ------------------------------------------------------------------------------------- roster

const ROSTER_BUILTIN: [&str; 3] = ["person", "name", "department"];

/// Reads the roster: one row per person, the built-in columns `person`, `name`, `department` and
/// the columns the policy's roster declaration names (a `note` column is allowed and ignored).
pub fn read_roster(policy: &Policy, path: &Path) -> Result<Roster, Vec<InputError>> {
    let file = display(path);
    let mut errors = Errors::new();
    let mut reader = open(path).map_err(|e| vec![e])?;
    let Some(header) = read_header(&mut reader, &file).map_err(|e| vec![e])? else {
        return Err(vec![InputError::invalid(
            Code::EmptyRoster,
            &file,
            None,
            "the roster is empty: it needs a header row and one row per person",
        )]);
    };

    // Which header position holds each built-in and declared column.
    let known: Vec<&str> = ROSTER_BUILTIN
        .iter()
        .copied()
        .chain(policy.columns.iter().map(|c| c.name.as_str()))
        .chain(["note"])
        .collect();
    let Header {
        line: header_line,
        names: header,
    } = header;
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        if name.is_empty() {
            errors.push(unnamed_column(&file, header_line, i));
        } else if !known.contains(&name.as_str()) {
            errors.push(
                InputError::invalid(
                    Code::UnknownHeader,
                    &file,
                    Some(header_line),
                    format!("unknown roster column `{name}`"),
                )
                .at_cell(i)
                .help(Some(
                    did_you_mean(name, known.iter().copied()).unwrap_or_else(|| {
                        format!("the policy's roster has {}", list_names(&known))
                    }),
                )),
            );
        } else if at.insert(name.as_str(), i).is_some() {
            errors.push(
                InputError::invalid(
                    Code::DuplicateColumn,
                    &file,
                    Some(header_line),
                    format!("the column `{name}` appears twice"),
                )
                .at_cell(i)
                .help(Some(format!(
                    "keep one `{name}` column: delete the other, or name it after what it holds"
                ))),
            );
        }
    }
    for name in known.iter().filter(|n| **n != "note") {
        if !at.contains_key(name) {
            errors.push(
                InputError::invalid(
                    Code::MissingColumn,
                    &file,
                    Some(header_line),
                    format!("the roster has no `{name}` column"),
                )
                .help(Some(format!(
                    "the policy's roster needs the columns {}",
                    list_names(&known[..known.len() - 1])
                ))),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors.finish(&file));
    }
    let col = |name: &str| at.get(name).copied().unwrap_or(0);
    let (id_at, name_at, dept_at) = (col("person"), col("name"), col("department"));
    let value_at: Vec<usize> = policy.columns.iter().map(|c| col(&c.name)).collect();

    let mut roster = Roster {
        file: file.clone(),
        ..Roster::default()
    };
    // The line each id is first on, valid row or not: a second row with the id is a problem even
    // while the first has problems of its own.
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let mut dept_index: HashMap<String, usize> = HashMap::new();
    let mut row = csv::ByteRecord::new();
    loop {
        match next_row(&mut reader, &mut row, &file) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                errors.push(e);
                break;
            }
        }
        if let Some(e) = quote_problem(&mut reader, &file) {
            errors.push(e);
            continue;
        }
        if is_blank(&row) {
            continue;
        }
        let line = line_of(&row);
        if row.len() > header.len() {
            errors.push(too_many_cells(&file, line, &row, header.len()));
            continue;
        }
        let mut cells = Vec::with_capacity(header.len());
        let mut utf8 = true;
        for i in 0..header.len() {
            match cell_text(row.get(i).unwrap_or(b"")) {
                Ok(t) => cells.push(t),
                Err(()) => utf8 = false,
            }
        }
        if !utf8 {
            errors.push(not_utf8(&file, line));
            break;
        }
        let mut ok = true;
        let mut required = |at: usize, what: &str, errors: &mut Errors| -> String {
            let text = cells[at];
            if text.is_empty() {
                ok = false;
                errors.push(
                    InputError::invalid(
                        Code::MissingValue,
                        &file,
                        Some(line),
                        format!("the {what} is missing"),
                    )
                    .column(&header[at])
                    .at_cell(at),
                );
            }
            text.to_string()
        };
        let id = required(id_at, "person's id", &mut errors);
        let name = required(name_at, "person's name", &mut errors);
        let department = required(dept_at, "department", &mut errors);
        let mut values = Vec::with_capacity(policy.columns.len());
        for (column, &at) in policy.columns.iter().zip(&value_at) {
            let text = cells[at];
            if text.is_empty() {
                ok = false;
                errors.push(
                    InputError::invalid(
                        Code::MissingValue,
                        &file,
                        Some(line),
                        "this cell is empty",
                    )
                    .column(&column.name)
                    .at_cell(at)
                    .help(Some(format!("every person needs a `{}`", column.name))),
                );
                continue;
            }
            match parse_value(text, &column.ty) {
                Ok(v) => values.push(v),
                Err((code, message, help)) => {
                    ok = false;
                    errors.push(
                        InputError::invalid(code, &file, Some(line), message)
                            .column(&column.name)
                            .at_cell(at)
                            .help(help),
                    );
                }
            }
        }
        if !id.is_empty() {
            match first_line.get(&id) {
                Some(&first) => {
                    ok = false;
                    errors.push(
                        InputError::invalid(
                            Code::DuplicatePerson,
                            &file,
                            Some(line),
                            format!("the person `{id}` is listed twice (first on line {first})"),
                        )
                        .column(&header[id_at])
                        .at_cell(id_at)
                        .help(Some(
                            "every person has one row; give each person an id of their own".into(),
                        )),
                    );
                }
                None => {
                    first_line.insert(id.clone(), line);
                }
            }
        }
        if !ok {
            continue;
        }
        let dept = match dept_index.get(&department) {
            Some(&d) => d,
            None => {
                dept_index.insert(department.clone(), roster.departments.len());
                roster.departments.push(department);
                roster.departments.len() - 1
            }
        };
        roster.people.push(Person {
            id,
            name,
            department: dept,
            values,
            line,
        });
    }
    check_heads(policy, &roster, at.get("head").copied(), &mut errors);
    if roster.people.is_empty() && errors.is_empty() {
        errors.push(InputError::invalid(
            Code::EmptyRoster,
            &file,
            None,
            "the roster lists nobody: add one row per person under the header",
        ));
    }
    if errors.is_empty() {
        Ok(roster)
    } else {
        Err(errors.finish(&file))
    }
}

/// With a `head: bool` column, a department has at most one head.
fn check_heads(policy: &Policy, roster: &Roster, head_at: Option<usize>, errors: &mut Errors) {
    let Some(hc) = policy
        .columns
        .iter()
        .position(|c| c.name == "head" && c.ty == ValueType::Bool)
    else {
        return;
    };
    let mut heads: Vec<Option<&Person>> = vec![None; roster.departments.len()];
    for p in &roster.people {
        if p.values.get(hc) != Some(&Value::Bool(true)) {
            continue;
        }
        let Some(slot) = heads.get_mut(p.department) else {
            continue;
        };
        match slot {
            Some(first) => errors.push(
                InputError::invalid(
                    Code::TwoHeads,
                    &roster.file,
                    Some(p.line),
                    format!(
                        "`{}` has two heads: {} (line {}) and {}",
                        roster.departments[p.department], first.id, first.line, p.id
                    ),
                )
                .column("head")
                .at_maybe(head_at)
                .help(Some("mark only one person per department `true`".into())),
            ),
            None => *slot = Some(p),
        }
    }
}

// ------------------------------------------------------------------------------------ records

/// The record files named on the command line: files as given, folders expanded to the `*.csv`
/// inside them sorted by name. A missing path, an empty folder or a file given twice is an error.
pub fn record_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut files: Vec<PathBuf> = Vec::new();
    for path in paths {
        let shown = display(path);
        let meta = std::fs::metadata(path).map_err(|e| {
            InputError::unreadable(
                Code::CannotRead,
                &shown,
                format!("cannot read records: {}", io_reason(&e)),
            )
        })?;
        if meta.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| {
                InputError::unreadable(
                    Code::CannotRead,
                    &shown,
                    format!("cannot list this folder: {}", io_reason(&e)),
                )
            })?;
            let mut inside = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| {
                    InputError::unreadable(
                        Code::CannotRead,
                        &shown,
                        format!("cannot list this folder: {}", io_reason(&e)),
                    )
                })?;
                let p = entry.path();
                let is_csv = p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"));
                if is_csv && p.is_file() {
                    inside.push(p);
                }
            }
            if inside.is_empty() {
                return Err(InputError::unreadable(
                    Code::CannotRead,
                    &shown,
                    "this folder holds no `.csv` files",
                )
                .help(Some(
                    "record files are read by their `.csv` ending; give the folder that holds \
                     them, or the files themselves"
                        .into(),
                )));
            }
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path.clone());
        }
    }
    let mut seen: HashMap<PathBuf, usize> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        let key = std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
        if let Some(first) = seen.insert(key, i) {
            return Err(InputError::unreadable(
                Code::FileGivenTwice,
                &display(f),
                format!(
                    "this file is given twice (also as `{}`); its records would count twice",
                    display(&files[first])
                ),
            )
            .help(Some(
                "give each record file once: a folder, or the files in it, not both".into(),
            )));
        }
    }
    if files.len() > u32::MAX as usize {
        return Err(InputError::unreadable(
            Code::CannotRead,
            "records",
            "too many record files",
        ));
    }
    Ok(files)
}

/// What the reader knows about the policy, built once for all files.
struct Vocabulary<'p> {
    policy: &'p Policy,
    roster: &'p Roster,
    /// Kind by id and by label. The tables read for every record use a fast hash: their keys come
    /// from the branch's own files, and nobody gains by making them collide.
    kinds: FxHashMap<&'p str, usize>,
    /// Person ids. Millions of records look people up at random, so a short id is kept inside the
    /// table itself: a lookup then reads no memory outside the table.
    people: People,
    departments: FxHashMap<&'p str, usize>,
    /// Every field name of every kind, for header validation.
    field_names: Vec<&'p str>,
}

impl<'p> Vocabulary<'p> {
    fn new(policy: &'p Policy, roster: &'p Roster) -> Self {
        let mut kinds = FxHashMap::default();
        for (i, k) in policy.kinds.iter().enumerate() {
            kinds.insert(k.id.as_str(), i);
            kinds.insert(k.label.as_str(), i);
        }
        let mut field_names: Vec<&str> = Vec::new();
        for k in &policy.kinds {
            for f in &k.fields {
                if !field_names.contains(&f.name.as_str()) {
                    field_names.push(&f.name);
                }
            }
        }
        Vocabulary {
            policy,
            roster,
            kinds,
            people: People::new(roster),
            departments: roster
                .departments
                .iter()
                .enumerate()
                .map(|(i, d)| (d.as_str(), i))
                .collect(),
            field_names,
        }
    }
}

/// The roster's people by id. The hash is exposed so that a batch of ids can be hashed in one
/// pass and looked up in another (see [`Worker::process`]).
struct People {
    table: hashbrown::HashTable<(IdKey, usize)>,
    hasher: FxBuildHasher,
}

impl People {
    fn new(roster: &Roster) -> Self {
        let hasher = FxBuildHasher;
        let mut table = hashbrown::HashTable::with_capacity(roster.people.len());
        for (i, p) in roster.people.iter().enumerate() {
            let key = IdKey::new(&p.id);
            let h = hasher.hash_one(&key);
            // Ids are unique (the roster reader reports a repeated one); the first one wins.
            if table.find(h, |(k, _)| *k == key).is_none() {
                table.insert_unique(h, (key, i), |(k, _)| hasher.hash_one(k));
            }
        }
        People { table, hasher }
    }

    fn hash(&self, key: &IdKey) -> u64 {
        self.hasher.hash_one(key)
    }

    fn find(&self, hash: u64, key: &IdKey) -> Option<usize> {
        self.table.find(hash, |(k, _)| k == key).map(|(_, p)| *p)
    }

    fn get(&self, key: &IdKey) -> Option<usize> {
        self.find(self.hash(key), key)
    }
}

/// A person id as a hash key: inline when it fits (ids are short codes like `D07`), else boxed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum IdKey {
    Short(u8, [u8; 22]),
    Long(Box<str>),
}

impl IdKey {
    /// The key of an id given as raw bytes; `None` when a long one is not UTF-8 (a short one is
    /// compared as bytes, and only valid ids are in the table).
    fn from_bytes(id: &[u8]) -> Option<Self> {
        Self::short(id).or_else(|| std::str::from_utf8(id).ok().map(IdKey::new))
    }

    fn new(id: &str) -> Self {
        Self::short(id.as_bytes()).unwrap_or_else(|| IdKey::Long(Box::from(id)))
    }

    fn short(id: &[u8]) -> Option<Self> {
        let len = u8::try_from(id.len()).ok().filter(|&l| l <= 22)?;
        let mut inline = [0; 22];
        inline[..id.len()].copy_from_slice(id);
        Some(IdKey::Short(len, inline))
    }
}

/// Where each column of one file is.
struct Layout {
    date: usize,
    kind: usize,
    person: Option<usize>,
    department: Option<usize>,
    /// Per kind, per field: the column holding it.
    fields: Vec<Vec<Option<usize>>>,
    /// Per kind: the field columns of other kinds, which must be empty on its rows.
    foreign: Vec<Vec<usize>>,
    names: Vec<String>,
}

const RECORD_BUILTIN: [&str; 5] = ["date", "kind", "person", "department", "note"];

fn layout(voc: &Vocabulary<'_>, header: Header, file: &str, errors: &mut Errors) -> Option<Layout> {
    let Header {
        line,
        names: header,
    } = header;
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut ok = true;
    for (i, name) in header.iter().enumerate() {
        let known =
            RECORD_BUILTIN.contains(&name.as_str()) || voc.field_names.contains(&name.as_str());
        if name.is_empty() {
            ok = false;
            errors.push(unnamed_column(file, line, i));
        } else if !known {
            ok = false;
            let candidates = RECORD_BUILTIN
                .iter()
                .copied()
                .chain(voc.field_names.iter().copied());
            errors.push(
                InputError::invalid(
                    Code::UnknownHeader,
                    file,
                    Some(line),
                    format!("unknown column `{name}`"),
                )
                .at_cell(i)
                .help(Some(did_you_mean(name, candidates).unwrap_or_else(|| {
                    "a record file has `date`, `kind`, `person` and/or `department`, `note`, \
                         and the fields the policy declares for its record kinds"
                        .into()
                }))),
            );
        } else if at.insert(name.as_str(), i).is_some() {
            ok = false;
            errors.push(
                InputError::invalid(
                    Code::DuplicateColumn,
                    file,
                    Some(line),
                    format!("the column `{name}` appears twice"),
                )
                .at_cell(i)
                .help(Some(format!(
                    "keep one `{name}` column: delete the other, or name it after what it holds"
                ))),
            );
        }
    }
    for needed in ["date", "kind"] {
        if !at.contains_key(needed) {
            ok = false;
            errors.push(
                InputError::invalid(
                    Code::MissingColumn,
                    file,
                    Some(line),
                    format!("the header has no `{needed}` column"),
                )
                .help(Some(
                    "the first row names the columns: `date,kind,person,…`".into(),
                )),
            );
        }
    }
    if !at.contains_key("person") && !at.contains_key("department") {
        ok = false;
        errors.push(
            InputError::invalid(
                Code::MissingColumn,
                file,
                Some(line),
                "the header has neither a `person` nor a `department` column",
            )
            .help(Some(
                "records name whom they are about in one of these columns".into(),
            )),
        );
    }
    if !ok {
        return None;
    }
    let field_cols: Vec<Option<usize>> =
        voc.field_names.iter().map(|n| at.get(n).copied()).collect();
    let mut fields = Vec::new();
    let mut foreign = Vec::new();
    for k in &voc.policy.kinds {
        fields.push(
            k.fields
                .iter()
                .map(|f| at.get(f.name.as_str()).copied())
                .collect(),
        );
        foreign.push(
            voc.field_names
                .iter()
                .zip(&field_cols)
                .filter(|(n, _)| !k.fields.iter().any(|f| f.name == **n))
                .filter_map(|(_, c)| *c)
                .collect(),
        );
    }
    Some(Layout {
        date: at.get("date").copied().unwrap_or(0),
        kind: at.get("kind").copied().unwrap_or(0),
        person: at.get("person").copied(),
        department: at.get("department").copied(),
        fields,
        foreign,
        names: header,
    })
}

/// `YYYY-MM-DD`, also `YYYY/M/D` and `YYYY-M-D` as spreadsheets export dates.
pub fn parse_day(text: &str) -> Option<(i32, u8, u8)> {
    // The common form, `2020-03-02`, without splitting.
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *text.as_bytes() {
        let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
        if digits.iter().all(u8::is_ascii_digit) {
            let n = |a: u8| i32::from(a - b'0');
            let year = n(y0) * 1000 + n(y1) * 100 + n(y2) * 10 + n(y3);
            let (month, day) = (
                (m0 - b'0') * 10 + (m1 - b'0'),
                (d0 - b'0') * 10 + (d1 - b'0'),
            );
            let valid = (1..=12).contains(&month)
                && day >= 1
                && day <= super::run::days_in_month(year, month);
            return valid.then_some((year, month, day));
        }
    }
    let sep = if text.contains('/') { '/' } else { '-' };
    let mut parts = text.split(sep);
    let year = parts.next()?;
    let month = parts.next()?;
    let day = parts.next()?;
    if parts.next().is_some()
        || year.len() != 4
        || !(1..=2).contains(&month.len())
        || !(1..=2).contains(&day.len())
        || ![year, month, day]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (year, month, day) = (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    if !(1..=12).contains(&month) || day == 0 || day > super::run::days_in_month(year, month) {
        return None;
    }
    Some((year, month, day))
}

/// Rows handed from the reading thread to a worker: raw CSV rows of one file.
struct Batch {
    file: usize,
    layout: Arc<Layout>,
    rows: Vec<csv::ByteRecord>,
    len: usize,
}

/// Rows per batch: enough to make handing them over cheap, few enough to keep memory flat.
const BATCH: usize = 4096;

/// Where validated records go: the evaluator's accumulators.
pub trait Sink {
    /// Takes one valid record.
    fn add(&mut self, rec: &Record<'_>);
    /// Announces a record that [`Sink::add`] will take shortly, so that the memory it will touch
    /// can be loaded meanwhile. Only a hint; the default does nothing.
    fn prefetch(&self, _rec: &Record<'_>) {}
}

/// A validated row waiting in a batch: the record, its fields being `values[fields]`.
struct Pending {
    kind: usize,
    month: u8,
    day: u8,
    subject: Subject,
    fields: std::ops::Range<usize>,
    line: u32,
}

/// How many records ahead of the one being added the memory of the next is requested.
const AHEAD: usize = 8;

/// One worker's state: its own problems and buffers, and its own sink.
struct Worker<'v, 'p> {
    voc: &'v Vocabulary<'p>,
    files: &'v [String],
    errors: Errors,
    /// The fields of the batch's valid rows, one after the other.
    values: Vec<Value>,
    pending: Vec<Pending>,
    /// Per row of the batch: the person its `person` cell names, when looked up ahead.
    people: Vec<Option<usize>>,
    /// The batch's person cells as keys, with their hashes.
    keys: Vec<Option<(u64, IdKey)>>,
    /// An empty row to stand in for the one being read.
    spare: Option<csv::ByteRecord>,
    /// Files found not to be UTF-8 here, with the first bad line: the rest of such a file is skipped.
    not_utf8: Vec<(usize, usize)>,
}

impl Worker<'_, '_> {
    /// Validates a batch, then hands its records to `sink`. Records are added in two passes so
    /// that, while one is added, the accumulators of one a few rows further on are being loaded:
    /// a district's records hit people at random, and waiting for memory is most of the work.
    fn process<S: Sink>(&mut self, batch: &mut Batch, sink: &mut S) {
        let file = self.files.get(batch.file).map_or("", String::as_str);
        self.values.clear();
        self.pending.clear();
        let layout = &batch.layout;
        // The people of the whole batch are looked up first, in a loop of nothing else: the
        // processor then waits for several of these lookups (scattered over a large table) at
        // once instead of one after the other. A cell not found here is looked up again below,
        // where a problem gets its message.
        self.people.clear();
        if let Some(col) = layout.person {
            let people = &self.voc.people;
            // Hashed first, then looked up in a loop that does nothing else.
            self.keys.clear();
            self.keys.extend(batch.rows[..batch.len].iter().map(|row| {
                IdKey::from_bytes(row.get(col).unwrap_or(b"").trim_ascii())
                    .map(|key| (people.hash(&key), key))
            }));
            self.people.extend(
                self.keys
                    .iter()
                    .map(|k| k.as_ref().and_then(|(h, key)| people.find(*h, key))),
            );
        }
        for (i, row) in batch.rows[..batch.len].iter_mut().enumerate() {
            if self.not_utf8.iter().any(|(f, _)| *f == batch.file) {
                break;
            }
            let at = RowAt {
                line: line_of(row),
                person: self.people.get(i).copied().flatten(),
            };
            let line = at.line;
            let start = self.values.len();
            // The whole row is checked for UTF-8 at once, which is much cheaper than cell by
            // cell; a row that fails is read cell by cell, to find the cell at fault.
            // The row is swapped out for a spare (taking it would allocate a new empty one).
            let spare = self.spare.take().unwrap_or_default();
            let got = match csv::StringRecord::from_byte_record(std::mem::replace(row, spare)) {
                Ok(text) => {
                    let got = read_row(
                        self.voc,
                        layout,
                        Cells::Text(&text),
                        file,
                        at,
                        &mut self.values,
                        &mut self.errors,
                    );
                    self.spare = Some(std::mem::replace(row, text.into_byte_record()));
                    got
                }
                Err(e) => {
                    self.spare = Some(std::mem::replace(row, e.into_byte_record()));
                    read_row(
                        self.voc,
                        layout,
                        Cells::Bytes(row),
                        file,
                        at,
                        &mut self.values,
                        &mut self.errors,
                    )
                }
            };
            match got {
                Row::Record(kind, month, day, subject) if self.errors.is_empty() => {
                    self.pending.push(Pending {
                        kind,
                        month,
                        day,
                        subject,
                        fields: start..self.values.len(),
                        line: u32::try_from(line).unwrap_or(u32::MAX),
                    });
                }
                Row::Record(..) | Row::Invalid => self.values.truncate(start),
                Row::NotUtf8 => {
                    self.values.truncate(start);
                    self.not_utf8.push((batch.file, line));
                }
            }
        }
        if !self.errors.is_empty() {
            // Nothing will be computed: the rows are only being checked.
            return;
        }
        let file = u32::try_from(batch.file).unwrap_or(u32::MAX);
        let values = &self.values;
        let record = |p: &Pending| Record {
            kind: p.kind,
            month: p.month,
            day: p.day,
            subject: p.subject,
            fields: values.get(p.fields.clone()).unwrap_or(&[]),
            origin: Origin { file, line: p.line },
        };
        for (i, p) in self.pending.iter().enumerate() {
            if let Some(ahead) = self.pending.get(i + AHEAD) {
                sink.prefetch(&record(ahead));
            }
            sink.add(&record(p));
        }
    }
}

/// Reads every record file once, validating each row and handing each valid record to one of
/// `sinks`. With several sinks, rows are validated and added on that many threads, each
/// sink receiving a share of the records (the caller merges them; sums do not depend on which
/// thread saw which record). Returns every problem found, in file and line order, the same
/// whatever the number of threads. Once a problem is found, rows are still validated but no
/// longer handed on.
pub fn read_records<S: Sink + Send>(
    policy: &Policy,
    roster: &Roster,
    files: &[PathBuf],
    sinks: &mut [S],
) -> Vec<InputError> {
    let voc = Vocabulary::new(policy, roster);
    let names: Vec<String> = files.iter().map(|f| display(f)).collect();
    let worker = || Worker {
        voc: &voc,
        files: &names,
        errors: Errors::new(),
        values: Vec::new(),
        pending: Vec::new(),
        people: Vec::new(),
        keys: Vec::new(),
        spare: None,
        not_utf8: Vec::new(),
    };
    let mut reading = Errors::new();
    let mut workers = Vec::new();
    match sinks {
        [] => {}
        [sink] => {
            let mut w = worker();
            let mut batch = None;
            read_batches(files, &names, &voc, &mut reading, &mut batch, &mut |b| {
                w.process(b, sink);
            });
            workers.push(w);
        }
        _ => std::thread::scope(|scope| {
            let mut senders = Vec::new();
            let mut handles = Vec::new();
            let (free_tx, free_rx) = std::sync::mpsc::channel::<Vec<csv::ByteRecord>>();
            for sink in sinks.iter_mut() {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(2);
                let free = free_tx.clone();
                let mut w = worker();
                let spawned = std::thread::Builder::new().spawn_scoped(scope, move || {
                    for mut batch in rx {
                        w.process(&mut batch, sink);
                        let _ = free.send(batch.rows);
                    }
                    w
                });
                if let Ok(h) = spawned {
                    senders.push(tx);
                    handles.push(h);
                }
            }
            if senders.is_empty() {
                reading.push(InputError::unreadable(
                    Code::CannotRead,
                    "",
                    "could not start a thread to read the records",
                ));
                return;
            }
            let mut next = 0;
            let mut batch = None;
            read_batches(files, &names, &voc, &mut reading, &mut batch, &mut |b| {
                let rows = free_rx.try_recv().unwrap_or_default();
                let full = std::mem::replace(
                    b,
                    Batch {
                        file: b.file,
                        layout: Arc::clone(&b.layout),
                        rows,
                        len: 0,
                    },
                );
                // A worker that has stopped has stopped for good; the others take its share.
                let mut pending = Some(full);
                for _ in 0..senders.len() {
                    let Some(full) = pending.take() else { break };
                    match senders[next % senders.len()].send(full) {
                        Ok(()) => {}
                        Err(std::sync::mpsc::SendError(back)) => pending = Some(back),
                    }
                    next += 1;
                }
            });
            drop(senders);
            for h in handles {
                match h.join() {
                    Ok(w) => workers.push(w),
                    Err(_) => reading.push(InputError::unreadable(
                        Code::CannotRead,
                        "",
                        "a thread reading the records stopped unexpectedly; this is a bug in tally",
                    )),
                }
            }
        }),
    }

    // Every problem, in file and line order, whichever thread found it.
    let index: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut more = reading.more;
    let mut all = reading.list;
    let mut bad_files: Vec<(usize, usize)> = Vec::new();
    for w in workers {
        more += w.errors.more;
        all.extend(w.errors.list);
        bad_files.extend(w.not_utf8);
    }
    bad_files.sort_unstable();
    bad_files.dedup_by_key(|(f, _)| *f);
    for (f, line) in bad_files {
        all.push(not_utf8(names.get(f).map_or("", String::as_str), line));
    }
    all.sort_by_key(|e| {
        (
            index.get(e.file.as_str()).copied().unwrap_or(0),
            e.line.unwrap_or(0),
        )
    });
    if all.len() > MAX_ERRORS {
        more += all.len() - MAX_ERRORS;
        all.truncate(MAX_ERRORS);
    }
    Errors { list: all, more }.finish("")
}

/// Reads the files in order, filling `batch` with raw rows and calling `full` each time it holds
/// [`BATCH`] rows or a file ends. Problems with whole files or the CSV itself go to `errors`.
fn read_batches(
    files: &[PathBuf],
    names: &[String],
    voc: &Vocabulary<'_>,
    errors: &mut Errors,
    batch: &mut Option<Batch>,
    full: &mut dyn FnMut(&mut Batch),
) {
    for (index, path) in files.iter().enumerate() {
        let file = names.get(index).map_or("", String::as_str);
        let mut reader = match open(path) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let header = match read_header(&mut reader, file) {
            Ok(Some(h)) => h,
            Ok(None) => continue, // an empty file holds no records
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some(layout) = layout(voc, header, file, errors) else {
            continue;
        };
        let layout = Arc::new(layout);
        let b = batch.get_or_insert_with(|| Batch {
            file: index,
            layout: Arc::clone(&layout),
            rows: Vec::new(),
            len: 0,
        });
        b.file = index;
        b.layout = layout;
        b.len = 0;
        loop {
            if b.len == b.rows.len() {
                b.rows.push(csv::ByteRecord::new());
            }
            match next_row(&mut reader, &mut b.rows[b.len], file) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    errors.push(e);
                    break;
                }
            }
            if let Some(e) = quote_problem(&mut reader, file) {
                errors.push(e);
                continue;
            }
            if is_blank(&b.rows[b.len]) {
                continue;
            }
            b.len += 1;
            if b.len == BATCH {
                full(b);
                b.len = 0;
            }
        }
        if b.len > 0 {
            full(b);
            b.len = 0;
        }
    }
}

enum Row {
    Record(usize, u8, u8, Subject),
    Invalid,
    NotUtf8,
}

/// Where a row is, and the person its `person` cell names if that was looked up ahead.
#[derive(Clone, Copy)]
struct RowAt {
    line: usize,
    person: Option<usize>,
}

/// A row's cells: known to be UTF-8 as a whole, or still to be checked cell by cell.
#[derive(Clone, Copy)]
enum Cells<'a> {
    Text(&'a csv::StringRecord),
    Bytes(&'a csv::ByteRecord),
}

impl<'a> Cells<'a> {
    /// The cell at `at`, trimmed (empty past the end of the row); `Err` when it is not UTF-8.
    fn text(self, at: usize) -> Result<&'a str, ()> {
        match self {
            Cells::Text(row) => Ok(row.get(at).unwrap_or("").trim()),
            Cells::Bytes(row) => cell_text(row.get(at).unwrap_or(b"")),
        }
    }

    fn bytes(self) -> &'a csv::ByteRecord {
        match self {
            Cells::Text(row) => row.as_byte_record(),
            Cells::Bytes(row) => row,
        }
    }
}

/// Validates one row. Problems are pushed to `errors`; the kind's fields are appended to `values`.
fn read_row(
    voc: &Vocabulary<'_>,
    layout: &Layout,
    row: Cells<'_>,
    file: &str,
    at: RowAt,
    values: &mut Vec<Value>,
    errors: &mut Errors,
) -> Row {
    let line = at.line;
    let cell = |at: usize| row.text(at);
    let row = row.bytes();
    let err = |code: Code, column: usize, message: String| {
        InputError::invalid(code, file, Some(line), message)
            .column(&layout.names[column])
            .at_cell(column)
    };
    if row.len() > layout.names.len() {
        errors.push(too_many_cells(file, line, row, layout.names.len()));
        return Row::Invalid;
    }
    // Every cell that is read is checked for UTF-8 as it is read; only `note` is never read.
    let mut ok = true;

    // kind
    let Ok(kind_text) = cell(layout.kind) else {
        return Row::NotUtf8;
    };
    let kind = match voc.kinds.get(kind_text) {
        Some(&k) => Some(k),
        None => {
            let (code, message) = if kind_text.is_empty() {
                (Code::MissingValue, "the record kind is missing".to_string())
            } else {
                (
                    Code::UnknownKind,
                    format!("unknown record kind `{kind_text}`"),
                )
            };
            let candidates = voc
                .policy
                .kinds
                .iter()
                .flat_map(|k| [k.id.as_str(), k.label.as_str()]);
            errors.push(err(code, layout.kind, message).help(
                did_you_mean(kind_text, candidates).or_else(|| {
                    Some(
                        "write a kind's id (like `late`) or its label as the policy declares it"
                            .into(),
                    )
                }),
            ));
            None
        }
    };

    // date
    let Ok(date_text) = cell(layout.date) else {
        return Row::NotUtf8;
    };
    let mut when = None;
    match parse_day(date_text) {
        None => {
            ok = false;
            let (code, message) = if date_text.is_empty() {
                (Code::MissingValue, "the date is missing".to_string())
            } else {
                (Code::BadDate, format!("`{date_text}` is not a date"))
            };
            errors.push(err(code, layout.date, message).help(Some(format!(
                "write dates like `{}-03-02`",
                voc.policy.year
            ))));
        }
        Some((year, month, day)) if year != voc.policy.year => {
            ok = false;
            errors.push(
                err(
                    Code::OutsideYear,
                    layout.date,
                    format!(
                        "{date_text} is outside the policy's year {}",
                        voc.policy.year
                    ),
                )
                .help(Some(format!(
                    "this policy scores {}; records of {year} belong to another year's policy",
                    voc.policy.year
                ))),
            );
            let _ = (month, day);
        }
        Some((_, month, day)) => when = Some((month, day)),
    }

    let Some(kind_id) = kind else {
        return Row::Invalid;
    };
    let kind = &voc.policy.kinds[kind_id];

    // subject
    let person_text = match layout.person.map(cell) {
        Some(Err(())) => return Row::NotUtf8,
        Some(Ok(t)) => t,
        None => "",
    };
    let dept_text = match layout.department.map(cell) {
        Some(Err(())) => return Row::NotUtf8,
        Some(Ok(t)) => t,
        None => "",
    };
    let subject = subject(
        voc,
        layout,
        kind,
        (person_text, at.person),
        dept_text,
        file,
        line,
        errors,
    );
    ok &= subject.is_some();

    // fields
    for (field, col) in kind.fields.iter().zip(&layout.fields[kind_id]) {
        let text = match col.map(cell) {
            Some(Err(())) => return Row::NotUtf8,
            Some(Ok(t)) => t,
            None => "",
        };
        if text.is_empty() {
            if field.optional {
                values.push(Value::Missing);
            } else {
                ok = false;
                let e = match col {
                    Some(c) => err(
                        Code::MissingValue,
                        *c,
                        format!("`{}` records need a value for `{}`", kind.id, field.name),
                    ),
                    None => InputError::invalid(
                        Code::MissingColumn,
                        file,
                        Some(line),
                        format!(
                            "`{}` records need a value for `{}`, but this file has no `{}` column",
                            kind.id, field.name, field.name
                        ),
                    ),
                };
                errors.push(e);
            }
            continue;
        }
        match parse_value(text, &field.ty) {
            Ok(v) => values.push(v),
            Err((code, message, help)) => {
                ok = false;
                if let Some(c) = col {
                    errors.push(err(code, *c, message).help(help));
                }
            }
        }
    }
    for &c in &layout.foreign[kind_id] {
        match cell(c) {
            Err(()) => return Row::NotUtf8,
            Ok("") => {}
            Ok(text) => {
                ok = false;
                let has = if kind.fields.is_empty() {
                    format!("`{}` records have no fields", kind.id)
                } else {
                    let names: Vec<&str> = kind.fields.iter().map(|f| f.name.as_str()).collect();
                    format!("`{}` records have {}", kind.id, list_names(&names))
                };
                errors.push(
                    err(
                        Code::OtherKindsField,
                        c,
                        format!(
                            "`{text}` is in a column that `{}` ({}) records do not have",
                            kind.id, kind.label
                        ),
                    )
                    .help(Some(format!(
                        "{has}; leave this cell empty or move the value to a note"
                    ))),
                );
            }
        }
    }
    match (ok, when, subject) {
        (true, Some((month, day)), Some(subject)) => Row::Record(kind_id, month, day, subject),
        _ => Row::Invalid,
    }
}

/// Whom a record names, as its kind allows.
#[allow(clippy::too_many_arguments)]
fn subject(
    voc: &Vocabulary<'_>,
    layout: &Layout,
    kind: &Kind,
    (person, found): (&str, Option<usize>),
    department: &str,
    file: &str,
    line: usize,
    errors: &mut Errors,
) -> Option<Subject> {
    let s = kind.subjects;
    let at = |col: Option<usize>, name: &str| {
        InputError::invalid(Code::WrongSubject, file, Some(line), String::new())
            .column(col.map_or(name, |c| layout.names[c].as_str()))
            .at_maybe(col)
    };
    let with = |mut e: InputError, code: Code, message: String, help: Option<String>| {
        e.code = Some(code);
        e.message = message;
        e.help = help;
        e
    };
    let whom = || {
        let mut w = Vec::new();
        if s.person {
            w.push("a person");
        }
        if s.department {
            w.push("a department");
        }
        if s.town {
            w.push("the whole town (no person, no department)");
        }
        w.join(" or ")
    };
    let lookup_person =
        |errors: &mut Errors| match found.or_else(|| voc.people.get(&IdKey::new(person))) {
            Some(p) => Some(p),
            None => {
                errors.push(with(
                    at(layout.person, "person"),
                    Code::UnknownPerson,
                    format!("unknown person `{person}`"),
                    voc.roster
                        .unknown_person_help(person, "the `person` column takes the id:")
                        .or_else(|| Some("the person must be listed in the roster".into())),
                ));
                None
            }
        };
    let lookup_dept = |errors: &mut Errors| match voc.departments.get(department) {
        Some(&d) => Some(d),
        None => {
            errors.push(with(
                at(layout.department, "department"),
                Code::UnknownDepartment,
                format!("unknown department `{department}`"),
                did_you_mean(
                    department,
                    voc.roster.departments.iter().map(String::as_str),
                )
                .or_else(|| {
                    Some(
                        "departments are the ones named in the roster's `department` column".into(),
                    )
                }),
            ));
            None
        }
    };
    match (person.is_empty(), department.is_empty()) {
        (false, _) if s.person => {
            let p = lookup_person(errors)?;
            if !department.is_empty() {
                // A department beside a person must be the person's own.
                let d = lookup_dept(errors)?;
                if voc.roster.people.get(p).map(|x| x.department) != Some(d) {
                    errors.push(with(
                        at(layout.department, "department"),
                        Code::WrongSubject,
                        format!(
                            "`{person}` is not in `{department}`; a `{}` record is about one person",
                            kind.id
                        ),
                        Some("leave the department empty on records about a person".into()),
                    ));
                    return None;
                }
            }
            Some(Subject::Person(p))
        }
        (false, _) => {
            errors.push(with(
                at(layout.person, "person"),
                Code::WrongSubject,
                format!(
                    "a `{}` ({}) record names {}, not a person",
                    kind.id,
                    kind.label,
                    whom()
                ),
                Some("leave the person empty".into()),
            ));
            None
        }
        (true, false) if s.department => lookup_dept(errors).map(Subject::Department),
        (true, false) => {
            errors.push(with(
                at(layout.department, "department"),
                Code::WrongSubject,
                format!(
                    "a `{}` ({}) record names {}, not a department",
                    kind.id,
                    kind.label,
                    whom()
                ),
                Some(if s.person {
                    "put the person's id in the `person` column and leave the department empty"
                        .into()
                } else {
                    "leave the department empty".into()
                }),
            ));
            None
        }
        (true, true) if s.town => Some(Subject::Town),
        (true, true) => {
            let col = if s.person {
                layout.person
            } else {
                layout.department
            };
            let name = if s.person { "person" } else { "department" };
            errors.push(with(
                at(col, name),
                Code::MissingValue,
                format!(
                    "a `{}` ({}) record must name {}",
                    kind.id,
                    kind.label,
                    whom()
                ),
                None,
            ));
            None
        }
    }
}

#[cfg(test)]
mod quote_tests {
    #![allow(clippy::unwrap_used)]

    use super::{QuoteProblem, Quotes};
    use proptest::prelude::*;

    fn problems(text: &str) -> Vec<(u64, QuoteProblem)> {
        let mut q = Quotes::new();
        // Fed in pieces, as the reader's buffer hands them over.
        for piece in text.as_bytes().chunks(3) {
            q.scan(piece);
        }
        q.end();
        q.found.into_iter().collect()
    }

    #[test]
    fn each_kind_of_problem_at_the_line_its_quote_opens() {
        use QuoteProblem::{AfterSpaces, ClosedInside, Unclosed};
        assert_eq!(problems("a,b\n1,\"x\ny\"\n2,\"z"), [(4, Unclosed)]);
        assert_eq!(problems("a\n\"x\n\"y\n"), [(2, ClosedInside)]);
        assert_eq!(problems("a\n\"x\" \t y\n"), [(2, ClosedInside)]);
        assert_eq!(problems("a,b\n1, \"x\"\n"), [(2, AfterSpaces)]);
        assert_eq!(problems("a\n\"x\"\r\n\"\"\n\"a\"\"b\"\nc\"d\n"), []);
        // A byte-order mark before a quoted first cell, as the reader strips it.
        assert_eq!(problems("\u{feff}\"a\"b\n"), [(1, ClosedInside)]);
        assert_eq!(problems("\u{feff}\"a,b\",c\n"), []);
        assert_eq!(problems("\u{feff}\u{feff}\"a\"\n"), []);
    }

    proptest! {
        /// Whatever the cells hold, a file written the way a CSV writer writes it has no quote
        /// problem.
        #[test]
        fn what_a_csv_writer_writes_is_never_a_problem(
            rows in prop::collection::vec(prop::collection::vec("[a-z ,\"\r\n\t]{0,6}", 1..4), 0..6),
            crlf in any::<bool>(),
        ) {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            for row in &rows {
                w.write_record(row).unwrap();
            }
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            prop_assert_eq!(problems(&text), vec![], "{:?}", text);
        }
    }
}
