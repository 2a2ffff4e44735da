//! Checked policy and inputs in, scores out. Knows nothing of policy text: it sees the checked
//! [`Policy`], the [`Roster`] and a stream of typed [`Record`]s.
//!
//! `input` reads and validates the roster and record files (every problem with its file, line and
//! column); `engine` accumulates records per person and month in one pass and computes the cards.

pub mod input;
pub mod plan;

use rust_decimal::Decimal;

use crate::check::model::KindId;

/// A value read from a roster cell or a record field, already checked against its declared type.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(Decimal),
    Text(String),
    Bool(bool),
    /// Index into the enumeration's values.
    Enum(usize),
    /// A person of the roster (a `person` field), by index into [`Roster::people`].
    Person(usize),
    /// A calendar day (a `date` field).
    Date(crate::date::Date),
    /// An optional field left empty.
    Missing,
}

#[derive(Clone, Debug)]
pub struct Person {
    pub id: String,
    pub name: String,
    /// Index into [`Roster::departments`].
    pub department: usize,
    /// One value per declared roster column, in the policy's order.
    pub values: Vec<Value>,
    /// 1-based line in the roster file.
    pub line: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Roster {
    /// The roster file as given on the command line (for messages).
    pub file: String,
    /// In file order.
    pub people: Vec<Person>,
    /// Distinct department names, in order of first appearance.
    pub departments: Vec<String>,
}

impl Roster {
    /// Help for a person id the roster does not have: when it is somebody's name, the id to write
    /// instead (`the_id` introduces it: "the id is"); else a close id, if any.
    pub fn unknown_person_help(&self, text: &str, the_id: &str) -> Option<String> {
        let named: Vec<&str> = self
            .people
            .iter()
            .filter(|p| p.name == text)
            .map(|p| p.id.as_str())
            .collect();
        match named.as_slice() {
            [] => crate::diag::did_you_mean(text, self.people.iter().map(|p| p.id.as_str())),
            [id] => Some(crate::tr!(
                format!("`{text}` is a name; {the_id} `{id}`"),
                format!("`{text}` 是姓名；{the_id} `{id}`")
            )),
            _ => Some(crate::tr!(
                format!(
                    "`{text}` is the name of {}; write the id of the one meant",
                    crate::diag::list_names(&named)
                ),
                format!(
                    "叫 `{text}` 的有 {}；写要记的那个人的编号",
                    crate::diag::list_names(&named)
                )
            )),
        }
    }
}

/// Whom a record names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    /// Index into [`Roster::people`].
    Person(usize),
    /// Index into [`Roster::departments`].
    Department(usize),
    Town,
}

/// Where a record came from: an index into the list of record files, and its 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: u32,
    pub line: u32,
}

/// One validated record, borrowed from the reader's buffer.
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    pub kind: KindId,
    /// The policy's year, or an earlier one on a balance card (`card balance`) or a yearly card
    /// that carries (§31).
    pub year: i32,
    /// 1..=12.
    pub month: u8,
    pub day: u8,
    pub subject: Subject,
    /// One value per field of the kind, in declaration order ([`Value::Missing`] for an empty optional).
    pub fields: &'a [Value],
    pub origin: Origin,
}

impl Record<'_> {
    /// The record's day.
    pub fn date(&self) -> crate::date::Date {
        crate::date::Date {
            year: self.year,
            month: self.month,
            day: self.day,
        }
    }
}

mod card;
/// A person's scratch lists while their card is made (one entry per cap, rule, item or
/// aggregate): held inline for a policy of a few, without a heap allocation per person.
type Few<T> = smallvec::SmallVec<[T; 4]>;
/// Ledgers beside the points (§30).
pub use card::ledger;
mod engine;
pub mod kernel;
pub use engine::{Carried, EntryWindow, policy_carries};
pub mod expr;
pub mod outcome;
mod prefetch;
mod quota;
mod rank;
pub mod relative;
pub mod run;
pub mod stream;
pub mod trace;

pub use crate::diag::Problems;
pub use engine::Dropped;
pub use run::{
    Coverage, Date, Options, Reading, Trace, compiles, days_in_month, evaluate,
    evaluate_with_coverage,
};

/// `records/2020-03.csv:4, :17, :22`: consecutive lines of one file folded after the first
/// (`origins` in order).
pub fn fold_origins(files: &[std::path::PathBuf], origins: &[Origin]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut last_file = None;
    for o in origins.iter() {
        let file = files
            .get(o.file as usize)
            .map_or(std::path::Path::new(""), |f| f.as_path());
        if last_file == Some(o.file) {
            out.push(crate::sheet_path::next_line(file, o.line));
        } else {
            out.push(crate::sheet_path::place(file, o.line));
            last_file = Some(o.file);
        }
    }
    out
}
