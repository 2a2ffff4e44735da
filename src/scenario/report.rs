//! What `tally test` prints: a line per scenario, then what failed with the explanation lines
//! behind it, then the rules no scenario exercises, then the count.

use unicode_width::UnicodeWidthStr;

use super::coverage::Unexercised;
use super::run::{ScenarioRun, Status};

/// Counts over every scenario run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub new: usize,
    pub accepted: usize,
    pub filled: usize,
}

impl Counts {
    pub fn add(&mut self, run: &ScenarioRun) {
        match run.status {
            Status::Passed => self.passed += 1,
            Status::Failed | Status::Error => self.failed += 1,
            Status::New => self.new += 1,
            Status::Accepted => self.accepted += 1,
            Status::Filled => self.filled += 1,
        }
    }

    /// `46 passed, 1 failed`, and the new, accepted and filled-in scenarios when there are any.
    pub fn line(&self) -> String {
        let mut s = format!("{} passed, {} failed", self.passed, self.failed);
        if self.new > 0 {
            s.push_str(&format!(", {} new", self.new));
        }
        if self.accepted > 0 {
            s.push_str(&format!(", {} accepted", self.accepted));
        }
        if self.filled > 0 {
            s.push_str(&format!(", {} filled in", self.filled));
        }
        s
    }
}

fn word(status: Status) -> &'static str {
    match status {
        Status::Passed => "ok",
        Status::Failed => "FAILED",
        Status::New => "new",
        Status::Error => "error",
        Status::Accepted => "accepted",
        Status::Filled => "filled in",
    }
}

/// The scenario's name: its file name without `.scenario`.
pub fn name(run: &ScenarioRun) -> String {
    run.path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// One line per scenario: status, name, title.
pub fn summary(runs: &[ScenarioRun]) -> String {
    let mut rows = Vec::new();
    for r in runs {
        let mut title = r.title.clone();
        match r.status {
            Status::New => title.push_str(" (no expectations yet: `--accept` fills them in)"),
            Status::Filled => title.push_str(" (expectations written)"),
            Status::Passed | Status::Accepted => {
                title.push_str(&format!(
                    " ({} value{})",
                    r.checks,
                    if r.checks == 1 { "" } else { "s" }
                ));
            }
            Status::Failed | Status::Error => {}
        }
        rows.push(vec![word(r.status).to_string(), name(r), title]);
    }
    crate::align::table(&rows, &[], "")
}

/// The details of every scenario that did not pass: problems, failed values, explanations.
pub fn details(runs: &[ScenarioRun], folder: &str) -> String {
    let mut out = String::new();
    for r in runs {
        if matches!(r.status, Status::Passed | Status::New | Status::Filled) {
            continue;
        }
        let file = format!("{folder}/{}.scenario", name(r));
        let heading = format!("{file}: {}", r.title);
        out.push_str(&format!("\n{}\n", heading.trim_end_matches([':', ' '])));
        if !r.problems.is_empty() {
            out.push('\n');
            out.push_str(&r.problems);
            continue;
        }
        for f in &r.failures {
            let delta = f.delta.map_or_else(String::new, |d| {
                let d = d.display_places(0);
                if d.starts_with('-') {
                    format!(" ({d})")
                } else {
                    format!(" (+{d})")
                }
            });
            let verb = if r.status == Status::Accepted {
                "was"
            } else {
                "expected"
            };
            let now = if r.status == Status::Accepted {
                "now"
            } else {
                "actual"
            };
            out.push_str(&format!(
                "  line {}: {} {} {} {}: {verb} {}, {now} {}{delta}\n",
                f.line, f.person, f.name, f.period, f.key, f.expected, f.actual
            ));
        }
        for (heading, tree) in &r.explained {
            out.push_str(&format!("\n  explain {heading}:\n"));
            for line in tree.lines() {
                out.push_str(&format!("    {line}\n"));
            }
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Which rules no scenario exercises, or that every one is.
pub fn coverage(policy: &str, total: usize, missed: &[Unexercised]) -> String {
    if missed.is_empty() {
        return format!(
            "every rule of {policy} is exercised by a scenario ({total} rules and bases)\n"
        );
    }
    let mut out = format!(
        "rules of {policy} no scenario exercises: {} of {total}\n",
        missed.len()
    );
    let places: Vec<String> = missed
        .iter()
        .map(|m| format!("{policy}:{}", m.line))
        .collect();
    let w = places.iter().map(|p| p.width()).max().unwrap_or(0);
    for (m, place) in missed.iter().zip(&places) {
        out.push_str(&format!("  {place:<w$}  {}\n", m.text));
    }
    out
}
