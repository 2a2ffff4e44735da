//! What can be wrong with a roster or a record file: [`InputError`], with its code, file, line
//! and column, and the bounded list of them a reader collects.

use super::*;

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
    /// The column's header name, when the problem is in one cell (boxed: the error is kept small).
    pub column: Option<Box<str>>,
    /// The 1-based position of the cell in its row (or in the header), when that is known (and
    /// below 65536: kept small, as every `Result` of the reader carries an `InputError`).
    pub position: Option<std::num::NonZeroU16>,
    pub message: String,
    pub help: Option<String>,
    /// On the line that closes a long list, how many problems it stands for; 0 on a problem.
    pub more: u32,
    /// Whether `file` is a sheet of a workbook (`2020-03.xlsx!迟到`): `line` is then its row, and
    /// `position` the cell's column counted from column A.
    pub sheet: bool,
}

impl InputError {
    pub(super) fn invalid(
        code: Code,
        file: &str,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        InputError {
            severity: Severity::Invalid,
            code: Some(code),
            file: file.to_string(),
            line,
            column: None,
            position: None,
            // A cell is quoted whole in its message; a 100 KB cell is not echoed back whole.
            message: crate::diag::briefly(&message.into()),
            help: None,
            more: 0,
            sheet: false,
        }
    }

    pub(super) fn unreadable(code: Code, file: &str, message: impl Into<String>) -> Self {
        InputError {
            severity: Severity::Unreadable,
            ..InputError::invalid(code, file, None, message)
        }
    }

    pub(super) fn column(mut self, column: &str) -> Self {
        self.column = Some(column.into());
        self
    }

    /// The cell's 0-based index in its row.
    pub(super) fn at_cell(mut self, index: usize) -> Self {
        self.position = u16::try_from(index + 1)
            .ok()
            .and_then(std::num::NonZeroU16::new);
        self
    }

    pub(super) fn at_maybe(self, index: Option<usize>) -> Self {
        match index {
            Some(i) => self.at_cell(i),
            None => self,
        }
    }

    pub(super) fn help(mut self, help: Option<String>) -> Self {
        self.help = help.as_deref().map(crate::diag::briefly);
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Problems not about one file (the count of problems left out) have no place to name.
        if !self.file.is_empty() {
            write!(f, "{}", self.file)?;
            match (self.line, self.sheet) {
                (Some(line), false) => write!(f, ":{line}")?,
                // A cell as spreadsheets name it: `2020-03.xlsx!迟到!B7`.
                (Some(line), true) => {
                    let column = self.position.map_or_else(String::new, |p| {
                        crate::sheet_path::column_letters(usize::from(p.get()) - 1)
                    });
                    write!(f, "!{column}{line}")?;
                }
                (None, _) => {}
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
pub(super) struct Errors {
    pub(super) list: Vec<InputError>,
    pub(super) more: usize,
}

impl Errors {
    pub(super) fn new() -> Self {
        Errors {
            list: Vec::new(),
            more: 0,
        }
    }

    pub(super) fn push(&mut self, e: InputError) {
        if self.list.len() < MAX_ERRORS {
            self.list.push(e);
        } else {
            self.more += 1;
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub(super) fn finish(mut self, file: &str) -> Vec<InputError> {
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

pub(super) use crate::diag::did_you_mean;

pub(super) fn display(path: &Path) -> String {
    path.display().to_string()
}
