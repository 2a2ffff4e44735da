//! What several subcommands share: reading a policy file and checking it, and saying what went
//! wrong, as text or (with `--format json`) as one JSON object per line on standard error.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::Exit;
use crate::check::Policy;
use crate::codes::Code;
use crate::compile::{Compiled, compile};
use crate::diag::{self, Severity};
use crate::eval::input::InputError;
use crate::eval::outcome::EvalError;

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

/// One problem as a JSON line: the fields and their order are those of `tally check --format
/// json`, with `null` for what is not known. In a CSV file `column` is the cell's position in its
/// row (1 for the first) and `column_name` its header.
#[derive(Serialize)]
struct JsonProblem<'a> {
    code: Option<&'static str>,
    severity: Severity,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    column_name: Option<&'a str>,
    help: Option<&'a str>,
    /// In `diff`, the revision of the policy the inputs were read against.
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
}

impl<'a> JsonProblem<'a> {
    fn new(code: Option<Code>, message: &'a str, help: Option<&'a str>) -> Self {
        JsonProblem {
            code: code.map(Code::as_str),
            severity: Severity::Error,
            message,
            file: None,
            line: None,
            column: None,
            column_name: None,
            help,
            policy: None,
        }
    }
}

/// Prints a value as one JSON line on standard error.
fn print_json(value: &impl Serialize) {
    match serde_json::to_string(value) {
        Ok(line) => println_err!("{line}"),
        // Not reachable with the plain structs printed here; said in words rather than lost.
        Err(e) => println_err!("error: cannot print a problem as JSON: {e}"),
    }
}

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
        let file = path.display().to_string();
        problem_in(Some(Code::CannotRead), Some(&file), &msg, None);
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
                    let j = diag::to_json(d, &compiled.source);
                    print_json(&JsonProblem {
                        code: Some(j.code),
                        severity: j.severity,
                        file: Some(j.file),
                        line: Some(j.line),
                        column: Some(j.column),
                        ..JsonProblem::new(None, j.message, j.help)
                    });
                }
                return Err(Exit::Findings);
            }
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
    problem(None, message, None);
}

/// Prints a problem that is about no line of a file: `error: message [code]`, then its help.
pub fn problem(code: Option<Code>, message: &str, help: Option<&str>) {
    problem_in(code, None, message, help);
}

/// [`problem`] about a whole file (the message names it in text; JSON gives it as `file`).
fn problem_in(code: Option<Code>, file: Option<&str>, message: &str, help: Option<&str>) {
    if json() {
        print_json(&JsonProblem {
            file,
            ..JsonProblem::new(code, message, help)
        });
        return;
    }
    match code {
        Some(code) => println_err!("error: {message} [{}]", code.as_str()),
        None => println_err!("error: {message}"),
    }
    if let Some(h) = help {
        println_err!("  help: {h}");
    }
}

/// Prints the problems a roster or the record files have. In text the reader's line counting the
/// problems left out closes them; in JSON that count comes last of all (see [`more_problems`]).
pub fn input_problems(errors: &[InputError], policy: Option<&str>) {
    for e in errors {
        if e.more > 0 {
            if !json() {
                // Not a problem itself: the line that counts the problems left out.
                println_err!("{e}");
            }
        } else if json() {
            print_json(&JsonProblem {
                file: (!e.file.is_empty()).then_some(e.file.as_str()),
                line: e.line,
                column: e.position.map(|p| usize::from(p.get())),
                column_name: e.column.as_deref(),
                policy,
                ..JsonProblem::new(e.code, &e.message, e.help.as_deref())
            });
        } else {
            println_err!("error: {e}");
        }
    }
}

/// Problems found while scoring listed at most; one wrong rule can fail for every person.
const EVAL_SHOWN: usize = 50;

/// Prints problems found while scoring, `files` being the record files their origins count: at
/// most [`EVAL_SHOWN`], then (in text) how many more. Returns how many were left out, for
/// [`more_problems`].
pub fn eval_problems(errors: &[EvalError], files: &[PathBuf], policy: Option<&str>) -> usize {
    let left = errors.len().saturating_sub(EVAL_SHOWN);
    for e in errors.iter().take(EVAL_SHOWN) {
        if json() {
            let file = e
                .origin
                .and_then(|o| files.get(o.file as usize))
                .map(|f| crate::sheet_path::shown(f));
            print_json(&JsonProblem {
                file: file.as_deref(),
                line: e.origin.map(|o| o.line as usize),
                policy,
                ..JsonProblem::new(Some(e.code), &e.message, e.help.as_deref())
            });
        } else {
            println_err!("error: {}", e.located(files));
        }
    }
    if left > 0 && !json() {
        println_err!("… and {left} more problems while scoring");
    }
    left
}

/// In JSON, the problems found and not listed, as a count after every problem listed:
/// `{"more": N}`, never a problem of its own. (Text has the reader's line among the problems.)
pub fn more_problems(more: usize) {
    if json() && more > 0 {
        print_json(&serde_json::json!({ "more": more }));
    }
}

/// The closing line after a list of problems; JSON lines have none, as `check`'s have none.
pub fn problem_count(n: usize, place: &str) {
    if json() {
        return;
    }
    println_err!(
        "{n} problem{} {place}; no results were computed",
        if n == 1 { "" } else { "s" }
    );
}

/// How many problems a reader found and did not list.
pub fn left_out(errors: &[InputError]) -> usize {
    errors.iter().map(|e| e.more as usize).sum()
}

/// A policy file, or every `*.policy` of a folder, by name.
pub fn policies(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let shown = path.display();
    let entries =
        std::fs::read_dir(path).map_err(|e| format!("cannot read `{shown}`: {}", io_reason(&e)))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "policy"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no `*.policy` file in `{shown}`"));
    }
    Ok(files)
}
