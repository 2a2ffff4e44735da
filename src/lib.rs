//! tally: a declarative policy language for monthly scoring cards.
//!
//! The stages, each in its own module: [`syntax`] (text → tree), [`check`] (tree → checked policy and
//! diagnostics), [`eval`] (checked policy + records → scores), [`report`] (scores → tables, CSV, JSON,
//! explanations). [`cli`] is the thin command-line layer over them.

pub mod align;
pub mod chars;
pub mod check;
pub mod cli;
pub mod codes;
pub mod compile;
pub mod date;
pub mod diag;
pub mod diff;
pub mod eval;
pub mod exact;
pub mod files;
pub mod fmt;
pub mod lang;
pub mod lsp;
pub mod ops;
pub mod report;
pub mod scenario;
pub mod sheet_path;
pub mod span;
pub mod syntax;
