//! What `tally test` prints: a line per scenario, then what failed with the explanation lines
//! behind it, then the rules no scenario exercises, then the count.

use crate::lang::Lang;
use crate::tr;
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
        let (passed, failed) = (self.passed, self.failed);
        let mut s = tr!(
            format!("{passed} passed, {failed} failed"),
            format!("{passed} 个通过，{failed} 个未通过")
        );
        let n = self.new;
        if n > 0 {
            s.push_str(&tr!(format!(", {n} new"), format!("，{n} 个新的")));
        }
        let n = self.accepted;
        if n > 0 {
            s.push_str(&tr!(format!(", {n} accepted"), format!("，{n} 个已接受")));
        }
        let n = self.filled;
        if n > 0 {
            s.push_str(&tr!(format!(", {n} filled in"), format!("，{n} 个已填写")));
        }
        s
    }
}

fn word(status: Status) -> &'static str {
    match status {
        Status::Passed => tr!("ok", "通过"),
        Status::Failed => tr!("FAILED", "未通过"),
        Status::New => tr!("new", "新"),
        Status::Error => tr!("error", "出错"),
        Status::Accepted => tr!("accepted", "已接受"),
        Status::Filled => tr!("filled in", "已填写"),
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
            Status::New => title.push_str(tr!(
                " (no expectations yet: `--accept` fills them in)",
                "（还没有预期：`--accept` 会填上）"
            )),
            Status::Filled => title.push_str(tr!(" (expectations written)", "（预期已写入）")),
            Status::Passed | Status::Accepted => {
                let values = crate::lang::counted(r.checks, "value", "个值");
                title.push_str(&tr!(format!(" ({values})"), format!("（{values}）")));
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
            let accepted = r.status == Status::Accepted;
            let (verb, now) = match (accepted, crate::lang::current()) {
                (true, Lang::En) => ("was", "now"),
                (false, Lang::En) => ("expected", "actual"),
                (true, Lang::Zh) => ("原为", "现为"),
                (false, Lang::Zh) => ("预期", "实际"),
            };
            let (line, person, name, period, key) = (f.line, &f.person, &f.name, &f.period, &f.key);
            let (expected, actual) = (&f.expected, &f.actual);
            out.push_str(&tr!(
                format!("  line {line}: {person} {name} {period} {key}: {verb} {expected}, {now} {actual}{delta}\n"),
                format!("  第 {line} 行：{person} {name} {period} {key}：{verb} {expected}，{now} {actual}{delta}\n")
            ));
        }
        for (heading, tree) in &r.explained {
            out.push_str(&tr!(
                format!("\n  explain {heading}:\n"),
                format!("\n  解释 {heading}：\n")
            ));
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
        return tr!(
            format!(
                "every rule of {policy} is exercised by a scenario ({total} rules and bases)\n"
            ),
            format!("{policy} 的每条规则都有场景覆盖（共 {total} 条规则和基础分）\n")
        );
    }
    let n = missed.len();
    let mut out = tr!(
        format!("rules of {policy} no scenario exercises: {n} of {total}\n"),
        format!("{policy} 中没有场景覆盖的规则：{total} 条中有 {n} 条\n")
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
