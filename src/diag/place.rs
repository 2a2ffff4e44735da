//! Problems outside a policy: in a roster or a record file, found while scoring a record, or on the
//! command line. Their place is a [`DataPlace`]; [`plain`] writes them on a line of their own, and
//! [`Problems`] lists them up to [`MAX_SHOWN`] and counts the rest.

use std::num::NonZeroU16;

use super::{Code, Diag, MAX_SHOWN, briefly};

/// Where in a data file a problem is: the file as given, the line (the row of a sheet), the
/// cell's column by its header and by its position.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataPlace {
    /// The file as the user named it; empty when the problem is about no file.
    pub file: String,
    /// Which of the record files read (as the records' origins count them), when the problem was
    /// found while scoring a record: [`Diag::name_files`] gives it its `file`.
    pub record_file: Option<u32>,
    /// 1-based line, when the problem is on a line.
    pub line: Option<usize>,
    /// The column's header name, when the problem is in one cell.
    pub column: Option<Box<str>>,
    /// The 1-based position of the cell in its row (or in the header), when that is known (and
    /// below 65536).
    pub position: Option<NonZeroU16>,
    /// Whether `file` is a sheet of a workbook (`2020-03.xlsx!迟到`): `line` is then its row, and
    /// `position` the cell's column counted from column A.
    pub sheet: bool,
    /// The file is missing or unreadable: the command could not run (rather than: the data does
    /// not fit the policy).
    pub unreadable: bool,
    /// Whether the text form starts with the file (no: the message names it itself).
    pub named_in_message: bool,
}

impl Diag {
    /// A problem in a data file, on `line` when it is on a line. The message is cut to a length a
    /// person reads: it may quote a cell, and a 100 KB cell is not echoed back whole.
    pub fn in_file(
        code: Code,
        file: &str,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diag::placed(
            code,
            DataPlace {
                file: file.to_string(),
                line,
                ..DataPlace::default()
            },
            briefly(&message.into()),
        )
    }

    /// A file that is missing or cannot be read: the command cannot run.
    pub fn unreadable(code: Code, file: &str, message: impl Into<String>) -> Self {
        let mut d = Diag::in_file(code, file, None, message);
        d.place_mut().unreadable = true;
        d
    }

    /// A problem with the command itself (an argument, an output), about no file's line.
    pub fn command(code: Code, message: impl Into<String>) -> Self {
        Diag::placed(code, DataPlace::default(), message.into())
    }

    /// A problem with a whole file whose message names it: the JSON form gives it as `file`.
    pub fn about_file(code: Code, file: &str, message: impl Into<String>) -> Self {
        let place = DataPlace {
            file: file.to_string(),
            named_in_message: true,
            unreadable: true,
            ..DataPlace::default()
        };
        Diag::placed(code, place, message.into())
    }

    /// A problem found while scoring, about the record at `origin` (the index of its file among
    /// those read, and its line) when it is about one.
    pub fn at_record(code: Code, origin: Option<(u32, u32)>, message: impl Into<String>) -> Self {
        let place = match origin {
            Some((file, line)) => DataPlace {
                record_file: Some(file),
                line: Some(line as usize),
                ..DataPlace::default()
            },
            None => DataPlace::default(),
        };
        Diag::placed(code, place, message.into())
    }

    fn placed(code: Code, place: DataPlace, message: String) -> Self {
        let mut d = Diag::error(code, crate::span::Span::default(), message);
        d.at = Some(Box::new(place));
        d
    }

    /// The place in a data file, made empty if the problem had none.
    pub fn place_mut(&mut self) -> &mut DataPlace {
        self.at.get_or_insert_with(Box::default)
    }

    /// The cell's column, by its header name.
    pub fn column(mut self, column: &str) -> Self {
        self.place_mut().column = Some(column.into());
        self
    }

    /// The cell's 0-based index in its row.
    pub fn at_cell(mut self, index: usize) -> Self {
        self.place_mut().position = u16::try_from(index + 1).ok().and_then(NonZeroU16::new);
        self
    }

    pub fn at_maybe(self, index: Option<usize>) -> Self {
        match index {
            Some(i) => self.at_cell(i),
            None => self,
        }
    }

    /// The file is a sheet of a workbook: its line is a row, its cell counted from column A.
    pub fn in_sheet(mut self) -> Self {
        self.place_mut().sheet = true;
        self
    }

    /// The help, if any, cut like the message of [`Diag::in_file`].
    pub fn help_cut(mut self, help: Option<String>) -> Self {
        self.help = help.as_deref().map(briefly);
        self
    }

    /// Where in a data file the problem is, if it is not at spans of a source.
    pub fn place(&self) -> Option<&DataPlace> {
        self.at.as_deref()
    }

    /// The data file the problem is in (empty when none).
    pub fn data_file(&self) -> &str {
        self.place().map_or("", |p| p.file.as_str())
    }

    /// The line of the data file the problem is on.
    pub fn data_line(&self) -> Option<usize> {
        self.place().and_then(|p| p.line)
    }

    /// Whether a file could not be read at all (the command could not run).
    pub fn is_unreadable(&self) -> bool {
        self.place().is_some_and(|p| p.unreadable)
    }

    /// Gives a problem found while scoring a record the name of its file: `files` are the record
    /// files in the order the records' origins count them, as the user should see their names.
    pub fn name_files(&mut self, files: &[std::path::PathBuf]) {
        let Some(at) = self.at.as_deref_mut() else {
            return;
        };
        if let Some(file) = at.record_file.and_then(|i| files.get(i as usize)) {
            at.file = crate::sheet_path::shown(file);
            at.sheet = crate::sheet_path::split(file).is_some();
        }
    }
}

/// A problem on a line of its own: `file:line: column `x`: message [code]` (a sheet's cell as
/// spreadsheets name it: `2020-03.xlsx!迟到!B7`), then `  help: …` on the next line.
pub fn plain(diag: &Diag) -> String {
    let mut out = String::new();
    if let Some(at) = diag
        .place()
        .filter(|a| !a.file.is_empty() && !a.named_in_message)
    {
        out.push_str(&at.file);
        match (at.line, at.sheet) {
            (Some(line), false) => out.push_str(&format!(":{line}")),
            (Some(line), true) => {
                let column = at.position.map_or_else(String::new, |p| {
                    crate::sheet_path::column_letters(usize::from(p.get()) - 1)
                });
                out.push_str(&format!("!{column}{line}"));
            }
            (None, _) => {}
        }
        if let Some(column) = &at.column {
            out.push_str(&crate::tr!(
                format!(": column `{column}`"),
                format!(": `{column}` 列")
            ));
        }
        out.push_str(": ");
    }
    out.push_str(&diag.message);
    out.push_str(&format!(" [{}]", diag.code.as_str()));
    if let Some(help) = &diag.help {
        out.push_str(&format!("\n  {}{help}", super::help_mark()));
    }
    out
}

impl From<Box<Diag>> for Diag {
    fn from(boxed: Box<Diag>) -> Diag {
        *boxed
    }
}

impl Default for Problems {
    /// No problem found reading.
    fn default() -> Self {
        Problems::new(Stage::Reading)
    }
}

/// Which stage found a list of problems: it says how the problems left out are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading a roster or record files: the reader keeps [`MAX_SHOWN`] and counts the rest.
    Reading,
    /// Scoring the records that were read.
    Scoring,
}

/// A list of problems, and how many more were found and not kept.
#[derive(Clone, Debug)]
pub struct Problems {
    pub list: Vec<Diag>,
    /// How many problems were found beyond those in `list`.
    pub more: usize,
    pub stage: Stage,
    /// The file every problem is in, when they are all in one (a roster): the closing line names it.
    pub file: String,
}

impl Problems {
    pub fn new(stage: Stage) -> Self {
        Problems {
            list: Vec::new(),
            more: 0,
            stage,
            file: String::new(),
        }
    }

    /// One problem: a list of one.
    pub fn one(stage: Stage, problem: Diag) -> Self {
        Problems {
            list: vec![problem],
            ..Problems::new(stage)
        }
    }

    /// Keeps the problem if fewer than [`MAX_SHOWN`] are kept, else counts it.
    pub fn push(&mut self, problem: impl Into<Diag>) {
        if self.list.len() < MAX_SHOWN {
            self.list.push(problem.into());
        } else {
            self.more += 1;
        }
    }

    /// The problems, all in `file`: the closing line names it.
    pub fn finished(mut self, file: &str) -> Problems {
        self.file = file.to_string();
        self
    }

    pub fn extend(&mut self, other: Problems) {
        self.more += other.more;
        for p in other.list {
            self.push(p);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every problem found, kept or counted.
    pub fn total(&self) -> usize {
        self.list.len() + self.more
    }

    /// Whether a file could not be read at all (the command could not run).
    pub fn unreadable(&self) -> bool {
        self.list.iter().any(Diag::is_unreadable)
    }

    /// The problems to list, and how many are left out: a reader keeps what it lists as it reads
    /// (a workbook's roster, its cells' problems and its rows'), scoring keeps every problem and
    /// [`MAX_SHOWN`] are listed.
    pub fn shown(&self) -> (&[Diag], usize) {
        let n = match self.stage {
            Stage::Reading => self.list.len(),
            Stage::Scoring => self.list.len().min(MAX_SHOWN),
        };
        let shown = &self.list[..n];
        (shown, self.total() - shown.len())
    }

    /// The line after the problems listed, saying how many are left out, if any are.
    pub fn closing_line(&self) -> Option<String> {
        let (_, left) = self.shown();
        let file = if self.file.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.file)
        };
        (left > 0).then(|| match self.stage {
            Stage::Reading => crate::tr!(
                format!(
                    "{file}and {left} more problem{}; fix the ones above and run again",
                    if left == 1 { "" } else { "s" }
                ),
                format!("{file}另外还有 {left} 个问题；先改好上面这些，再运行一次")
            ),
            Stage::Scoring => crate::tr!(
                format!("… and {left} more problems while scoring"),
                format!("…… 计分时另外还有 {left} 个问题")
            ),
        })
    }
}

/// An I/O error as a user reads it, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    if let Some(own) = e.get_ref() {
        // A reason tally gave itself.
        return own.to_string();
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            crate::tr!("no such file or folder", "没有这个文件或文件夹").to_string()
        }
        std::io::ErrorKind::PermissionDenied => {
            crate::tr!("permission denied", "没有权限").to_string()
        }
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}
