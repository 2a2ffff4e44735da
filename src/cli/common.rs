//! What several subcommands share: reading a policy file and checking it, and saying what went
//! wrong, as text or (with `--format json`) as one JSON object per line on standard error.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::Exit;
use crate::check::Policy;
use crate::codes::Code;
use crate::compile::{Compiled, compile};
use crate::diag::{self, Diag, Problems};

/// Whether problems are printed as JSON lines: set once by a command given `--format json`.
static JSON: AtomicBool = AtomicBool::new(false);

/// From now on, print every problem on standard error as a JSON object on a line of its own
/// (`eval`, `explain` and `diff` with `--format json`), and nothing else there.
pub fn problems_as_json(on: bool) {
    JSON.store(on, Ordering::Relaxed);
}

/// Whether problems are printed as JSON lines (see [`problems_as_json`]).
pub fn json() -> bool {
    JSON.load(Ordering::Relaxed)
}

/// Prints a value as one JSON line on standard error.
fn print_json(value: &impl Serialize) {
    match serde_json::to_string(value) {
        Ok(line) => println_err!("{line}"),
        // Not reachable with the plain structs printed here; said in words rather than lost.
        Err(e) => println_err!(
            "{}",
            crate::tr!(
                format!("error: cannot print a problem as JSON: {e}"),
                format!("错误：问题输出不成 JSON：{e}")
            )
        ),
    }
}

/// Reads and checks a policy file. `Err` only when the file cannot be read at all.
pub fn load_policy(path: &Path) -> Result<Compiled, Box<Diag>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Diag::about_file(
            Code::CannotRead,
            &name,
            crate::tr!(
                format!("cannot read `{name}`: {}", io_reason(&e)),
                format!("读不了 `{name}`：{}", io_reason(&e))
            ),
        )
    })?;
    Ok(compile(&name, &bytes))
}

/// Reads and checks a policy that is about to be evaluated: its errors are printed, and the exit
/// to give is returned, when it cannot be.
pub fn checked_policy(path: &Path) -> Result<Policy, Exit> {
    let compiled = load_policy(path).map_err(|d| {
        print_problem(&d, None);
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
            if json() {
                for d in &errors {
                    // As `check` gives it, with the fields every problem line has.
                    print_json(&diag::json(d, Some(&compiled.source)).every_field());
                }
                return Err(Exit::Findings);
            }
            print_err!(
                "{}",
                diag::render(&errors, &compiled.source, diag::stderr_wants_colour())
            );
            let shown = path.display();
            println_err!(
                "{}",
                crate::tr!(
                    format!("the policy has errors; run `tally check {shown}` and fix them first"),
                    format!("政策有错误；请先运行 `tally check {shown}` 并改正")
                )
            );
            Err(Exit::Findings)
        }
    }
}

pub use crate::diag::io_reason;

/// Prints a problem with the command itself (an argument, an output): `error: message [code]`.
pub fn fail(code: Code, message: &str) {
    problem(code, message, None);
}

/// [`fail`] with a help line.
pub fn problem(code: Code, message: &str, help: Option<&str>) {
    print_problem(
        &Diag::command(code, message).help_opt(help.map(str::to_string)),
        None,
    );
}

/// Prints a list of problems (a roster's, the record files', or those found while scoring): at
/// most [`diag::MAX_SHOWN`], then how many more were found (in JSON `{"more": N}` after every
/// problem listed, never a problem of its own). In `diff`, `policy` names the revision.
pub fn print_problems(problems: &Problems, policy: Option<&str>) {
    let (shown, left) = problems.shown();
    for d in shown {
        print_problem(d, policy);
    }
    if json() {
        if left > 0 {
            print_json(&serde_json::json!({ "more": left }));
        }
    } else if let Some(line) = problems.closing_line() {
        println_err!("{line}");
    }
}

/// Prints one problem outside a policy: `error: file:line: message [code]` and its help, or a
/// JSON line.
pub fn print_problem(d: &Diag, policy: Option<&str>) {
    if json() {
        print_json(&diag::json(d, None).every_field().policy(policy));
    } else {
        println_err!("{}{}", diag::error_mark(), diag::plain(d));
    }
}

/// The closing line after a list of problems; JSON lines have none, as `check`'s have none.
/// `place` is where they are, in the current language (`in the roster`, `花名册里`).
pub fn problem_count(n: usize, place: &str) {
    if json() {
        return;
    }
    let line = crate::tr!(
        format!(
            "{n} problem{} {place}; no results were computed",
            if n == 1 { "" } else { "s" }
        ),
        format!("{place}有 {n} 个问题，没有算出结果")
    );
    println_err!("{line}");
}

/// A policy file, or every `*.policy` of a folder, by name.
pub fn policies(path: &Path) -> Result<Vec<PathBuf>, Box<Diag>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let shown = path.display();
    let cannot = |message: String| Diag::command(Code::CannotRead, message);
    let entries = std::fs::read_dir(path).map_err(|e| {
        cannot(crate::tr!(
            format!("cannot read `{shown}`: {}", io_reason(&e)),
            format!("读不了 `{shown}`：{}", io_reason(&e))
        ))
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "policy"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(cannot(crate::tr!(
            format!("no `*.policy` file in `{shown}`"),
            format!("`{shown}` 里没有 `*.policy` 文件")
        ))
        .into());
    }
    Ok(files)
}
