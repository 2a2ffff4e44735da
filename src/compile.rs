//! The front half of the pipeline in one call: bytes → source → syntax tree → checked policy.

use crate::check::{self, Policy};
use crate::diag::{self, Diag, Source};
use crate::syntax;

/// A policy read and checked: its source, the checked policy when there was no error, and every
/// diagnostic (errors and warnings) sorted by position.
pub struct Compiled {
    pub source: Source,
    pub policy: Option<Policy>,
    pub diags: Vec<Diag>,
}

pub fn compile(name: &str, bytes: &[u8]) -> Compiled {
    let source = match syntax::decode(name, bytes) {
        Ok(source) => source,
        Err(bad) => {
            let (source, diag) = *bad;
            return Compiled {
                source,
                policy: None,
                diags: vec![diag],
            };
        }
    };
    let (policy, mut diags) = match syntax::parse(&source) {
        Err(diags) => (None, diags),
        Ok(ast) => check::check(&ast, &source),
    };
    diag::sort(&mut diags);
    Compiled {
        source,
        policy,
        diags,
    }
}
