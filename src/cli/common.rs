//! What several subcommands share: reading a policy file and checking it.

use std::path::Path;

use crate::check::{self, Policy};
use crate::diag::{self, Diag, Source};
use crate::syntax;

/// A policy read and checked: its source, the checked policy when there was no error, and every
/// diagnostic (errors and warnings).
pub struct Loaded {
    pub source: Source,
    pub policy: Option<Policy>,
    pub diags: Vec<Diag>,
}

/// Reads and checks a policy file. `Err` only when the file cannot be read at all.
pub fn load_policy(path: &Path) -> Result<Loaded, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{name}`: {}", io_reason(&e)))?;
    Ok(check_bytes(&name, &bytes))
}

pub fn check_bytes(name: &str, bytes: &[u8]) -> Loaded {
    let source = match syntax::decode(name, bytes) {
        Ok(source) => source,
        Err((source, diag)) => {
            return Loaded {
                source,
                policy: None,
                diags: vec![diag],
            };
        }
    };
    match syntax::parse(&source) {
        Err(mut diags) => {
            diag::sort(&mut diags);
            Loaded {
                source,
                policy: None,
                diags,
            }
        }
        Ok(ast) => {
            let (policy, mut diags) = check::check(&ast, &source);
            diag::sort(&mut diags);
            Loaded {
                source,
                policy,
                diags,
            }
        }
    }
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
