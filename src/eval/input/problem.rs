//! What can be wrong with a roster or a record file: a [`Diag`] placed in the file (its line, its
//! cell), kept in [`Problems`] up to a bound and counted past it.

use super::*;

pub use crate::diag::{Diag, Problems, Stage, io_reason};

pub(super) use crate::diag::did_you_mean;

pub(super) fn display(path: &Path) -> String {
    path.display().to_string()
}
