//! Comments and blank lines among the units, and the final text.
//!
//! A comment is placed by its offset against the units' source ranges:
//! - inside a unit (the unit is written on fewer lines than it was): the first becomes the unit's
//!   trailing comment, the others own-line comments right after it;
//! - after a unit's last token on the same line: the unit's trailing comment (or, when the unit
//!   has one already, an own-line comment right after it);
//! - otherwise: an own-line comment before the next unit, indented like it (inside the block before
//!   a `}`, at column 0 at the end of the file).
//!
//! A blank line before a unit or an own-line comment is kept (runs become one), except right after
//! a `{`, before a `}` and at the start of the file. At the top level, a `roster`, `section`,
//! `adjustments` or `grades` block always has a blank line before and after it, together with
//! the comments that lead into the next unit.

use super::units::{Kind, Unit};
use crate::syntax::ast::Comment;

#[derive(Default)]
struct Around {
    /// Own-line comments before the unit, each with whether a blank line preceded it.
    before: Vec<(String, bool)>,
    trailing: Option<String>,
    after: Vec<String>,
}

pub fn render(units: &[Unit], comments: &[Comment], text: &str) -> String {
    let around = place(units, comments, text);
    let mut out = Out::default();
    for (i, a) in around.iter().enumerate() {
        let unit = units.get(i);
        let prev = i.checked_sub(1).and_then(|p| units.get(p));
        let comment_indent = comment_indent(units, i);
        // A top-level block is set off by a blank line, unless the source has one in the gap.
        let forced = prev.is_some_and(|p| p.block && p.kind == Kind::Close)
            || unit.is_some_and(|u| u.block && u.kind == Kind::Open);
        let unit_blank = unit.is_some_and(|u| blank_before(text, u.start));
        let gap_has_blank = a.before.iter().any(|(_, b)| *b) || unit_blank;
        let mut force_pending = forced && !gap_has_blank && unit.is_some();
        for (body, blank) in &a.before {
            out.blank_if(*blank || force_pending);
            force_pending = false;
            out.line(format!("{comment_indent}#{body}"), false);
        }
        let Some(unit) = unit else { continue };
        let closing = unit.kind == Kind::Close;
        if !closing {
            out.blank_if(unit_blank || force_pending);
        }
        let n = unit.lines.len();
        for (k, l) in unit.lines.iter().enumerate() {
            let mut line = l.clone();
            if k + 1 == n {
                if let Some(t) = &a.trailing {
                    line.push_str("  #");
                    line.push_str(t);
                }
            }
            out.line(line, unit.kind == Kind::Open && k + 1 == n);
        }
        let after_indent = comment_indent_after(units, i);
        for body in &a.after {
            out.line(format!("{after_indent}#{body}"), false);
        }
    }
    out.finish()
}

/// Where each comment goes: before a unit (or the file's end), trailing a unit's last line, or
/// after it. A comment written inside a unit, after its own token, is the unit's already.
fn place(units: &[Unit], comments: &[Comment], text: &str) -> Vec<Around> {
    // One more slot than units: the comments at the end of the file.
    let mut around: Vec<Around> = (0..=units.len()).map(|_| Around::default()).collect();
    let mut u = 0usize; // the first unit that starts after the comment
    for c in comments {
        while u < units.len() && units[u].start <= c.span.start {
            u += 1;
        }
        if u > 0 && units[u - 1].taken.contains(&c.span.start) {
            // written inside its unit, after its own token
            continue;
        }
        let body = c.text.trim_end().to_string();
        let prev = u
            .checked_sub(1)
            .and_then(|p| units.get(p).map(|unit| (p, unit)));
        let joined = match prev {
            Some((p, unit)) if c.span.start < unit.end => Some(p),
            Some((p, unit))
                if c.trailing
                    && text
                        .get(unit.end..c.span.start)
                        .is_some_and(|between| !between.contains('\n')) =>
            {
                Some(p)
            }
            _ => None,
        };
        match joined {
            Some(p) => {
                let a = &mut around[p];
                if a.trailing.is_none() && a.after.is_empty() {
                    a.trailing = Some(body);
                } else {
                    a.after.push(body);
                }
            }
            None => around[u]
                .before
                .push((body, blank_before(text, c.span.start))),
        }
    }
    around
}

/// The indentation of own-line comments placed before unit `i`.
fn comment_indent(units: &[Unit], i: usize) -> String {
    match units.get(i) {
        None => String::new(),
        Some(u) if u.kind == Kind::Close => "  ".repeat(u.depth + 1),
        Some(u) => "  ".repeat(u.depth),
    }
}

/// Comments moved after unit `i` are indented like the unit that follows them, where they would
/// be placed if the output were formatted again.
fn comment_indent_after(units: &[Unit], i: usize) -> String {
    comment_indent(units, i + 1)
}

/// Whether an empty line stands between `at` and the code or comment before it.
fn blank_before(text: &str, at: usize) -> bool {
    let Some(before) = text.get(..at) else {
        return false;
    };
    let mut newlines = 0;
    for c in before.chars().rev() {
        if c == '\n' {
            newlines += 1;
        } else if !(c.is_whitespace() || c == '\u{FEFF}') {
            return newlines >= 2;
        }
    }
    false
}

#[derive(Default)]
struct Out {
    text: String,
    /// Nothing written yet, or the last line opened a block: no blank line may follow.
    no_blank: bool,
    started: bool,
}

impl Out {
    fn blank_if(&mut self, wanted: bool) {
        if wanted && self.started && !self.no_blank {
            self.text.push('\n');
        }
    }

    fn line(&mut self, line: String, opens: bool) {
        self.text.push_str(line.trim_end());
        self.text.push('\n');
        self.started = true;
        self.no_blank = opens;
    }

    fn finish(self) -> String {
        self.text
    }
}
