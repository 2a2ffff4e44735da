//! Reading and validating the roster and the record files against a checked policy.
//!
//! Every problem becomes a [`Diag`] naming the file, the line and the column, with a
//! did-you-mean where a name was misspelt. Nothing is dropped silently: a row is either a valid
//! record handed to the sink, a blank row, or an error. Records are read in one streaming pass
//! (`csv::ByteRecord`, one reused buffer); memory does not grow with the number of records.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::hash::BuildHasher;

use super::{Origin, Person, Record, Roster, Subject, Value};
use crate::check::Policy;
use crate::check::model::{Kind, ValueType};
use crate::codes::Code;
use crate::diag::{MAX_SHOWN, list_names};
use crate::sheet_path::{is_workbook, is_wps};

mod csvio;
mod discovery;
mod encoding;
mod fast;
mod gather;
mod lookup;
mod memory;
mod person;
mod pipeline;
mod problem;
mod quotes;
mod roster;
mod row;
mod threads;
mod value;
mod workbook;

use csvio::*;
pub use discovery::*;
pub use encoding::Encoding;
use encoding::*;
pub use fast::{Sources, count_records};
use gather::*;
use lookup::*;
pub use memory::*;
use person::*;
pub use pipeline::*;
pub use problem::*;
use quotes::*;
pub use roster::*;
use row::*;
pub use threads::{cores, reading_threads};
use value::*;
use workbook::*;
