//! One scenario from start to end: read it and its inputs, evaluate the policy, compare with the
//! expectations, explain what failed, and on `--accept` write the actual results into it.

use std::path::{Path, PathBuf};

use super::ExpectLine;
use super::accept;
use super::compare::{compare, resolve};
use super::explain::explain;
use super::inputs::{Prepared, Problem};
use super::load::{self, Loaded};
use crate::check::Policy;
use crate::diag::{self, Diag};
use crate::eval::outcome::Outcome;
use crate::eval::{Coverage, Date, Options, evaluate_with_coverage};

pub use super::compare::Failure;

pub struct RunOptions {
    /// Write the actual results into a failing scenario, or into one without expectations.
    pub accept: bool,
    /// Colour in rendered diagnostics.
    pub colour: bool,
    /// How the roster and record files the scenarios name are encoded.
    pub encoding: crate::eval::input::Encoding,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    /// No expectations yet.
    New,
    /// Could not run: a problem in the scenario, a file it names, or its rows.
    Error,
    /// Failed, and the actual results were written into it.
    Accepted,
    /// Had no expectations, and the actual results were written into it.
    Filled,
}

pub struct ScenarioRun {
    pub path: PathBuf,
    pub title: String,
    pub status: Status,
    /// How many values were compared.
    pub checks: usize,
    pub failures: Vec<Failure>,
    /// For the first failing people and periods: a heading and the explanation tree.
    pub explained: Vec<(String, String)>,
    /// Diagnostics and input problems, rendered.
    pub problems: String,
    /// Which rules took effect, when the scenario was evaluated.
    pub coverage: Option<Coverage>,
}

pub fn run(policy: &Policy, path: &Path, options: &RunOptions) -> ScenarioRun {
    let mut out = ScenarioRun {
        path: path.to_path_buf(),
        title: String::new(),
        status: Status::Error,
        checks: 0,
        failures: Vec::new(),
        explained: Vec::new(),
        problems: String::new(),
        coverage: None,
    };
    let Some((loaded, prepared, outcome, as_of)) = evaluated(policy, path, options, &mut out)
    else {
        return out;
    };
    let lines: &[ExpectLine] = loaded.file().expect.as_ref().map_or(&[], |e| &e.lines);
    let resolved = match resolve(policy, &prepared, lines) {
        Ok(r) => r,
        Err(diags) => {
            let list = diags.into_iter().map(|d| Problem::Diag(0, d)).collect();
            out.problems = render_problems(&loaded, list, options.colour);
            return out;
        }
    };
    let text = loaded.parts[0].source.text.as_str();
    if resolved.is_empty() {
        out.status = Status::New;
        if options.accept {
            let lines = accept::fresh_lines(policy, &prepared.roster, &outcome);
            let new = accept::rewrite(text, loaded.file().expect.as_ref(), &[], &lines);
            out.status = save(&mut out, path, &new, Status::Filled);
        }
        return out;
    }
    let mut results = Vec::new();
    for r in &resolved {
        results.push(compare(
            policy,
            &prepared,
            &outcome,
            r,
            &mut out.checks,
            &mut out.failures,
        ));
    }
    if out.failures.is_empty() {
        out.status = Status::Passed;
        return out;
    }
    out.status = Status::Failed;
    if options.accept {
        let new = accept::rewrite(text, loaded.file().expect.as_ref(), &results, &[]);
        out.status = save(&mut out, path, &new, Status::Accepted);
        return out;
    }
    out.explained = explain(policy, &prepared, as_of, &out.failures);
    out
}

/// A scenario read, its inputs prepared and evaluated, as of its report day; `None` after putting
/// why not in `out.problems`. Sets `out`'s title and coverage.
fn evaluated(
    policy: &Policy,
    path: &Path,
    options: &RunOptions,
    out: &mut ScenarioRun,
) -> Option<(Loaded, Prepared, Outcome, Date)> {
    let loaded = match load::load(path) {
        Ok(l) => l,
        Err(cannot) => {
            out.problems = format!("{}{}\n", diag::error_mark(), diag::plain(&cannot));
            return None;
        }
    };
    out.title = loaded
        .file()
        .title
        .as_ref()
        .map_or_else(String::new, |t| t.node.clone());
    if loaded.has_errors() {
        let problems: Vec<Problem> = loaded
            .diags
            .iter()
            .map(|(p, d)| Problem::Diag(*p, d.clone()))
            .collect();
        out.problems = render_problems(&loaded, problems, options.colour);
        return None;
    }
    let prepared = match loaded.prepare(policy, options.encoding) {
        Ok(p) => p,
        Err(e) => {
            out.problems = render_problems(&loaded, e.problems, options.colour);
            return None;
        }
    };
    let as_of = loaded.as_of.unwrap_or(Date {
        year: policy.year + 1,
        month: 1,
        day: 1,
    });
    let evaluated = evaluate_with_coverage(
        policy,
        &prepared.roster,
        &prepared.files,
        &Options {
            as_of,
            trace: None,
            encoding: prepared.encoding,
            memory: prepared.memory.clone(),
            reading: Default::default(),
            threads: None,
        },
    );
    let (outcome, _, coverage) = match evaluated {
        Ok(x) => x,
        Err(problems) => {
            let list = prepared.problems(&problems);
            out.problems = render_problems(&loaded, list, options.colour);
            return None;
        }
    };
    out.coverage = Some(coverage);
    Some((loaded, prepared, outcome, as_of))
}

/// Writes the rewritten scenario (through a temporary file and a rename).
fn save(out: &mut ScenarioRun, path: &Path, text: &str, done: Status) -> Status {
    match crate::files::replace(path, text.as_bytes()) {
        Ok(()) => done,
        Err(e) => {
            out.problems = crate::tr!(
                format!(
                    "error: cannot write `{}`: {}\n",
                    super::tidy(path).display(),
                    crate::eval::input::io_reason(&e)
                ),
                format!(
                    "错误：写不了 `{}`：{}\n",
                    super::tidy(path).display(),
                    crate::eval::input::io_reason(&e)
                )
            );
            Status::Error
        }
    }
}

fn render_problems(loaded: &Loaded, problems: Vec<Problem>, colour: bool) -> String {
    let mut by_part: Vec<Vec<Diag>> = vec![Vec::new(); loaded.parts.len()];
    let mut texts = Vec::new();
    for p in problems {
        match p {
            Problem::Diag(part, d) => {
                if let Some(list) = by_part.get_mut(part) {
                    list.push(d);
                }
            }
            Problem::Text(t) => texts.push(t),
        }
    }
    let mut out = String::new();
    for (part, mut diags) in loaded.parts.iter().zip(by_part) {
        diag::sort(&mut diags);
        out.push_str(&diag::render(&diags, &part.source, colour));
    }
    for t in texts {
        out.push_str(&t);
        out.push('\n');
    }
    out
}
