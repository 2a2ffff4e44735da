//! What several subcommands share: reading a policy file and checking it.

use std::path::Path;

use super::Exit;
use crate::check::Policy;
use crate::compile::{Compiled, compile};
use crate::diag;

/// Reads and checks a policy file. `Err` only when the file cannot be read at all.
pub fn load_policy(path: &Path) -> Result<Compiled, String> {
    let name = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{name}`: {}", io_reason(&e)))?;
    Ok(compile(&name, &bytes))
}

/// Reads and checks a policy that is about to be evaluated: its errors are printed, and the exit
/// to give is returned, when it cannot be.
pub fn checked_policy(path: &Path) -> Result<Policy, Exit> {
    let compiled = load_policy(path).map_err(|msg| {
        fail(&msg);
        Exit::CouldNotRun
    })?;
    match compiled.policy {
        Some(p) => Ok(p),
        None => {
            let errors: Vec<_> = compiled
                .diags
                .into_iter()
                .filter(|d| d.is_error())
                .collect();
            print_err!(
                "{}",
                diag::render(&errors, &compiled.source, diag::stderr_wants_colour())
            );
            println_err!(
                "the policy has errors; run `tally check {}` and fix them first",
                path.display()
            );
            Err(Exit::Findings)
        }
    }
}

pub use crate::eval::input::io_reason;

/// Prints a "could not run" message the way every subcommand does.
pub fn fail(message: &str) {
    println_err!("error: {message}");
}
