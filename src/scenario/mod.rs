//! Scenarios: small stories beside a policy (`NAME.tests/*.scenario`) that say what the policy must
//! give. A scenario names a roster and records (inline or by path) and the expected results per
//! person and period; `tally test` evaluates the policy on them and compares.
//!
//! Text in, results out: [`parse`] turns a scenario's text into a [`ScenarioFile`] with spans and
//! diagnostics; [`load`] reads the files it `use`s; [`inputs`] writes inline rows where the record
//! reader can read them and maps its messages back to the scenario's lines; [`compare`] checks the
//! expectations against the results, and [`explain`] shows what lies behind a failure; [`run`]
//! does all of it for one scenario; [`accept`] rewrites the `expect` block with the actual
//! results; [`coverage`] and [`report`] make what `tally test` prints.
//!
//! The format, line by line (`#` starts a comment; lines of a block are indented):
//!
//! ```text
//! scenario "迟到三次扣15分"          # the title
//! as of 2021-01-05                   # optional: the day of the report (default: the year is over)
//! use "common.facts"                 # roster and records from another file in this format
//! roster                             # or: roster "../people.csv"
//!   D01, 王建国, 党政办公室, 包片委员, true, false
//! records                            # or: records "../records" "more.csv"
//!   2020-03-02, late, D01            # date, kind, whom it names, then the kind's fields
//! expect
//!   D01 2020-03  total 985  item attendance 25
//!   D01 2020     total 998.75  grade 五星级  flags none
//! ```

pub mod accept;
pub mod compare;
pub mod coverage;
mod expect;
pub mod explain;
mod flags;
pub mod inputs;
mod ledger;
mod lex;
pub mod load;
pub mod parse;
pub mod report;
mod rows;
pub mod run;

use rust_decimal::Decimal;

use crate::eval::Date;
use crate::syntax::ast::{Span, Spanned};

pub use lex::Tok;

/// One scenario file as written: every part with its span, nothing checked against a policy yet.
#[derive(Clone, Debug, Default)]
pub struct ScenarioFile {
    pub title: Option<Spanned<String>>,
    pub as_of: Option<Spanned<Date>>,
    /// `use "path"`, as written (relative to the file).
    pub uses: Vec<Tok>,
    pub rosters: Vec<Place>,
    pub records: Vec<Place>,
    pub expect: Option<Expect>,
}

/// Where a roster or records come from: paths as written, or rows in the file itself.
#[derive(Clone, Debug)]
pub enum Place {
    Paths { keyword: Span, paths: Vec<Tok> },
    Inline(Block),
}

/// The indented rows under `roster` or `records`.
#[derive(Clone, Debug)]
pub struct Block {
    pub keyword: Span,
    /// 1-based line of the keyword.
    pub line: usize,
    pub rows: Vec<Row>,
}

/// One roster or record row: its cells, trimmed, with their spans.
#[derive(Clone, Debug)]
pub struct Row {
    /// 1-based line in the file.
    pub line: usize,
    /// The row without indentation and comment.
    pub span: Span,
    pub cells: Vec<Tok>,
}

/// The `expect` block.
#[derive(Clone, Debug)]
pub struct Expect {
    pub keyword: Span,
    pub lines: Vec<ExpectLine>,
    /// Byte offset just after the block's last line (its newline included): where new lines go.
    pub end: usize,
}

/// `D01 2020-03  total 985  item attendance 25`.
#[derive(Clone, Debug)]
pub struct ExpectLine {
    pub line: usize,
    /// From the first character to the end of the line before its newline (comment included).
    pub whole: Span,
    /// The expectation itself, without indentation and comment.
    pub span: Span,
    pub indent: String,
    /// The trailing comment, `#` included, if any.
    pub comment: Option<String>,
    pub person: Tok,
    pub period: Spanned<PeriodSpec>,
    pub checks: Vec<Check>,
}

/// A year, one month, or a run of months (`2020-03..2020-05`); on quarterly cards one quarter or a
/// run of quarters (`2020-Q2`, `2020-Q1..2020-Q3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodSpec {
    Year(i32),
    Months {
        year: i32,
        from: u8,
        to: u8,
    },
    /// Quarters 1..=4.
    Quarters {
        year: i32,
        from: u8,
        to: u8,
    },
}

impl PeriodSpec {
    pub fn year(self) -> i32 {
        match self {
            PeriodSpec::Year(y)
            | PeriodSpec::Months { year: y, .. }
            | PeriodSpec::Quarters { year: y, .. } => y,
        }
    }

    /// The months it covers (none for the year); of quarters, each one's last month, under which
    /// its card is kept.
    pub fn months(self) -> Vec<u8> {
        match self {
            PeriodSpec::Year(_) => Vec::new(),
            PeriodSpec::Months { from, to, .. } => (from..=to).collect(),
            PeriodSpec::Quarters { from, to, .. } => (from..=to).map(|q| q * 3).collect(),
        }
    }

    pub fn text(self) -> String {
        match self {
            PeriodSpec::Year(y) => y.to_string(),
            PeriodSpec::Months { year, from, to } if from == to => format!("{year}-{from:02}"),
            PeriodSpec::Months { year, from, to } => format!("{year}-{from:02}..{year}-{to:02}"),
            PeriodSpec::Quarters { year, from, to } if from == to => format!("{year}-Q{from}"),
            PeriodSpec::Quarters { year, from, to } => format!("{year}-Q{from}..{year}-Q{to}"),
        }
    }
}

/// One expected value on an expectation line.
#[derive(Clone, Debug)]
pub struct Check {
    /// The key, as written.
    pub key: Tok,
    pub what: Expected,
    /// The value's token (for `item`, the score's): what `--accept` replaces.
    pub value: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// The published total (or the exact one, when written with more decimals than published).
    Total(Decimal),
    Grade(Tok),
    Flags(Vec<String>),
    /// An item's score; `None`: the item does not apply to the person.
    Item {
        item: Tok,
        score: Option<Decimal>,
    },
    Final(bool),
    /// `total excluded` or `grade excluded`: the person is not evaluated this year (`exclude`).
    Excluded(&'static str),
    /// `ledger money 297`: a ledger's value on the card, or the year's sum of the cards (§30).
    Ledger {
        ledger: Tok,
        value: Decimal,
    },
}

impl Expected {
    /// The key and, for items, the item: what two checks must differ in.
    pub fn slot(&self) -> String {
        match self {
            Expected::Total(_) => "total".into(),
            Expected::Grade(_) => "grade".into(),
            Expected::Flags(_) => "flags".into(),
            Expected::Item { item, .. } => format!("item {}", item.text),
            Expected::Final(_) => "final".into(),
            Expected::Excluded(key) => (*key).into(),
            Expected::Ledger { ledger, .. } => format!("ledger {}", ledger.text),
        }
    }
}

/// The scenarios of a policy: `NAME.tests/*.scenario` beside `NAME.policy`, by file name.
pub fn folder_of(policy: &std::path::Path) -> std::path::PathBuf {
    let stem = policy
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    policy.with_file_name(format!("{stem}.tests"))
}

/// The policy a scenario folder belongs to: `NAME.policy` beside `NAME.tests/`.
pub fn policy_of(folder: &std::path::Path) -> Option<std::path::PathBuf> {
    let name = folder.file_name()?.to_string_lossy().into_owned();
    let stem = name.strip_suffix(".tests")?;
    Some(folder.with_file_name(format!("{stem}.policy")))
}

/// Every `*.scenario` file in a folder, sorted by name.
pub fn scenarios_in(folder: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if path.extension().is_some_and(|x| x == "scenario") && path.is_file() {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// `a/b/../c` → `a/c`, without touching the file system: for paths shown to the user.
pub fn tidy(path: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir if !out.is_empty() => {}
            Component::ParentDir
                if out
                    .last()
                    .is_some_and(|l| matches!(l, Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}
