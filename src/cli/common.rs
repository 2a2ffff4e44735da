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

/// An I/O error as a user reads it, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
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

/// Prints a "could not run" message the way every subcommand does.
pub fn fail(message: &str) {
    eprintln!("error: {message}");
}
