//! The fuzz targets' checks (`fuzz/src/lib.rs`, compiled in here as it is), replayed on stable by a
//! plain `cargo test`: on the seeds the fuzzers start from (the policies, fixtures and records in
//! the repository) and on every input a fuzzer found a bug with, kept under
//! `tests/fuzz_regressions/<target>/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use std::path::{Path, PathBuf};

/// Every file under the folders (relative to the crate root), in a fixed order.
fn files(dirs: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in dirs {
        walk(&root.join(dir), &mut out);
    }
    out
}

/// The seeds of a target, as `fuzz/README.md` gives them to `cargo fuzz run`, and its
/// regressions; runs the target's check on each, naming the file before it.
fn replay(target: &str, seeds: &[&str], check: impl Fn(&[u8])) -> usize {
    let regressions = format!("tests/fuzz_regressions/{target}");
    let dirs: Vec<&str> = seeds
        .iter()
        .copied()
        .chain([regressions.as_str()])
        .collect();
    let files = files(&dirs);
    for f in &files {
        println!("{target}: {}", f.display());
        check(&std::fs::read(f).unwrap());
    }
    files.len()
}

const POLICIES: &[&str] = &[
    "policies",
    "examples/bench",
    "tests/fixtures/check",
    "tests/fixtures/fmt",
    "tests/fixtures/readme",
];

#[test]
fn compile_seeds_and_regressions() {
    assert!(replay("compile", POLICIES, fuzz::compile) > 60);
}

#[test]
fn fmt_seeds_and_regressions() {
    assert!(replay("fmt", POLICIES, fuzz::fmt) > 60);
}

/// Raw fuzz inputs, and `.case` files: a generated year written out as text (see `fuzz::Case`).
#[test]
fn eval_explain_seeds_and_regressions() {
    let check = |bytes: &[u8]| match std::str::from_utf8(bytes).ok().and_then(fuzz::Case::parse) {
        // A kept case is a year that evaluates: one that stopped evaluating would check nothing.
        Some(case) => assert!(case.check(), "a regression case no longer evaluates"),
        None => fuzz::eval_explain(bytes),
    };
    assert!(replay("eval_explain", &[], check) >= 5);
}

#[test]
fn records_seeds_and_regressions() {
    let seeds = &["policies/dashuipo-2020", "tests/fixtures/records"];
    assert!(replay("records", seeds, fuzz::records) > 30);
}
