//! What several subcommands share: reading a policy file and checking it.

use std::path::Path;

use crate::compile::{Compiled, compile};

/// Reads and checks a policy file. `Err` only when the file cannot be read at all.
pub fn load_policy(path: &Path) -> Result<Compiled, String> {
    let name = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{name}`: {}", io_reason(&e)))?;
    Ok(compile(&name, &bytes))
}

pub use crate::eval::input::io_reason;

/// Prints a "could not run" message the way every subcommand does.
pub fn fail(message: &str) {
    eprintln!("error: {message}");
}
