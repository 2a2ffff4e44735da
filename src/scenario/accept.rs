//! `tally test --accept`: the actual results written into a scenario's `expect` block. Only that
//! block changes: a wrong value is replaced where it stands (the columns after it kept aligned), a
//! run of months whose months now differ is split into runs, and a scenario without expectations
//! gets them appended. Comments, blank lines and every other line stay as they were.

use unicode_width::UnicodeWidthStr;

use super::flags::flags_text;
use super::{Expect, ExpectLine, PeriodSpec};
use crate::check::Policy;
use crate::eval::Roster;
use crate::eval::outcome::Outcome;
use crate::syntax::ast::Span;

/// What the policy gave for one check of an expectation line in one unit (a month or the year).
#[derive(Clone, Debug)]
pub struct Actual {
    /// As a scenario writes it.
    pub text: String,
    pub ok: bool,
}

/// An expectation line and, per unit it covers, the actual value of each of its checks.
pub struct LineResult<'a> {
    pub line: &'a ExpectLine,
    pub units: Vec<(PeriodSpec, Vec<Actual>)>,
}

/// The scenario's text with the failing values of `results` replaced and `fresh` lines (for a
/// scenario without expectations) appended to the `expect` block, made if there is none.
pub fn rewrite(
    text: &str,
    expect: Option<&Expect>,
    results: &[LineResult<'_>],
    fresh: &[String],
) -> String {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut edits: Vec<(Span, String)> = Vec::new();
    for lr in results {
        if lr.units.iter().all(|(_, a)| a.iter().all(|x| x.ok)) {
            continue;
        }
        let n = lr.line.checks.len();
        let uniform = (0..n).all(|c| {
            lr.units
                .windows(2)
                .all(|w| w[0].1.get(c).map(|a| &a.text) == w[1].1.get(c).map(|a| &a.text))
        });
        if uniform {
            let Some((_, first)) = lr.units.first() else {
                continue;
            };
            for (check, actual) in lr.line.checks.iter().zip(first) {
                if !actual.ok {
                    edits.push(in_place(text, check.value, &actual.text));
                }
            }
        } else {
            edits.push(split(text, lr, nl));
        }
    }
    if !fresh.is_empty() {
        let indent = "  ";
        let mut block: String = fresh.iter().map(|l| format!("{indent}{l}{nl}")).collect();
        let at = match expect {
            Some(e) => e.end.min(text.len()),
            None => {
                let mut head = String::new();
                if !text.is_empty() && !text.ends_with('\n') {
                    head.push_str(nl);
                }
                head.push_str(&format!("expect{nl}"));
                block.insert_str(0, &head);
                text.len()
            }
        };
        if at > 0 && !text.get(..at).unwrap_or("").ends_with('\n') && expect.is_some() {
            block.insert_str(0, nl);
        }
        edits.push((Span::new(at, at), block));
    }
    edits.sort_by_key(|(s, _)| std::cmp::Reverse((s.start, s.end)));
    let mut out = text.to_string();
    for (span, new) in edits {
        if span.start <= span.end
            && span.end <= out.len()
            && out.is_char_boundary(span.start)
            && out.is_char_boundary(span.end)
        {
            out.replace_range(span.start..span.end, &new);
        }
    }
    out
}

/// Replaces one value, keeping the next column where it was when there is room.
fn in_place(text: &str, span: Span, new: &str) -> (Span, String) {
    let rest = text.get(span.end..).unwrap_or("");
    let gap = rest.bytes().take_while(|b| *b == b' ').count();
    let follows = rest
        .get(gap..)
        .and_then(|r| r.chars().next())
        .is_some_and(|c| c != '\n' && c != '\r' && c != '\t');
    if !follows || gap == 0 {
        return (span, new.to_string());
    }
    let old = text.get(span.start..span.end).unwrap_or("");
    let spaces = (old.width() + gap)
        .saturating_sub(new.width())
        .max(gap.min(2));
    (
        Span::new(span.start, span.end + gap),
        format!("{new}{}", " ".repeat(spaces)),
    )
}

/// A line whose months now differ, as one line per run of months with the same values.
fn split(text: &str, lr: &LineResult<'_>, nl: &str) -> (Span, String) {
    let src = |s: Span| text.get(s.start..s.end).unwrap_or("").to_string();
    let line = lr.line;
    // Per unit, the value of each check as it will be written: as written when it held.
    let values: Vec<(PeriodSpec, Vec<String>)> = lr
        .units
        .iter()
        .map(|(spec, actuals)| {
            let v = line
                .checks
                .iter()
                .zip(actuals)
                .map(|(c, a)| if a.ok { src(c.value) } else { a.text.clone() })
                .collect();
            (*spec, v)
        })
        .collect();
    let mut runs: Vec<(PeriodSpec, &Vec<String>)> = Vec::new();
    for (spec, v) in &values {
        match runs.last_mut() {
            Some((PeriodSpec::Months { to, .. } | PeriodSpec::Quarters { to, .. }, last))
                if *last == v =>
            {
                if let PeriodSpec::Months { to: t, .. } | PeriodSpec::Quarters { to: t, .. } = spec
                {
                    *to = *t;
                }
            }
            _ => runs.push((*spec, v)),
        }
    }
    // Each run is the original line with its period and values replaced, its spacing kept.
    let period_old = src(*line.period.span);
    let head = text
        .get(line.person.span.start..line.period.span.start)
        .unwrap_or(" ");
    let after_period = match line.checks.first() {
        Some(c) => text
            .get(line.period.span.end..c.key.span.start)
            .unwrap_or(" "),
        None => " ",
    };
    let mut lines = Vec::new();
    for (spec, v) in runs {
        let period = spec.text();
        let gap = (period_old.width() + after_period.len())
            .saturating_sub(period.width())
            .max(after_period.len().min(2))
            .max(1);
        let mut l = format!("{head}{period}{}", " ".repeat(gap));
        for (i, (c, value)) in line.checks.iter().zip(v).enumerate() {
            l.push_str(text.get(c.key.span.start..c.value.start).unwrap_or(""));
            l.push_str(value);
            if let Some(next) = line.checks.get(i + 1) {
                let old_gap = text.get(c.value.end..next.key.span.start).unwrap_or(" ");
                let spaces = (src(c.value).width() + old_gap.len())
                    .saturating_sub(value.width())
                    .max(old_gap.len().min(2))
                    .max(1);
                l.push_str(&" ".repeat(spaces));
            }
        }
        lines.push(l);
    }
    if let (Some(first), Some(comment)) = (lines.first_mut(), &line.comment) {
        first.push_str("  ");
        first.push_str(comment);
    }
    let joined = lines.join(&format!("{nl}{}", line.indent));
    (line.whole, joined)
}

/// Expectations for a scenario that has none: every person of the roster, each run of months with
/// the same total and flags on one line, then the year with its grade and flags.
pub fn fresh_lines(policy: &Policy, roster: &Roster, outcome: &Outcome) -> Vec<String> {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for result in &outcome.people {
        let Some(person) = roster.people.get(result.person) else {
            continue;
        };
        let mut runs: Vec<(u8, u8, String)> = Vec::new();
        for m in &result.months {
            let mut rest = format!("total {}", m.published.normalize());
            if !m.flags.is_empty() {
                rest.push_str(&format!("  flags {}", flags_text(&m.flags)));
            }
            if !m.is_final {
                rest.push_str("  final no");
            }
            match runs.last_mut() {
                Some((_, to, last)) if *last == rest => *to = m.month,
                _ => runs.push((m.month, m.month, rest)),
            }
        }
        for (from, to, rest) in runs {
            let spec = if policy.card == crate::ops::Period::Quarter && !policy.balance {
                PeriodSpec::Quarters {
                    year: policy.year,
                    from: from / 3,
                    to: to / 3,
                }
            } else {
                PeriodSpec::Months {
                    year: policy.year,
                    from,
                    to,
                }
            };
            rows.push((person.id.clone(), spec.text(), rest));
        }
        let a = &result.annual;
        let grade = policy
            .grades
            .get(a.grade)
            .map_or_else(String::new, |g| g.name.clone());
        // Somebody not evaluated this year has no total and no grade: the flags (the reason
        // first) are what a scenario can expect of them.
        let mut rest = if a.excluded.is_some() {
            format!("flags {}", flags_text(&a.flags))
        } else {
            format!(
                "total {}  grade {grade}  flags {}",
                a.published.normalize(),
                flags_text(&a.flags)
            )
        };
        if !a.is_final {
            rest.push_str("  final no");
        }
        rows.push((person.id.clone(), policy.year.to_string(), rest));
    }
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(p, q, rest)| vec![p, q, rest])
        .collect();
    crate::align::columns(&rows, &[], "")
}
