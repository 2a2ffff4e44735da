//! Problems, as every stage and every command reports them: a [`Diag`] has a stable code, a
//! one-line message, a help line, and a place: labelled spans in a policy or a scenario, or a
//! [`DataPlace`] in a roster or a record file (its line and cell) or on the command line. A list
//! of them is [`Problems`], which counts those left out instead of keeping them.
//!
//! One renderer per form: [`render`] for people (the source around the spans), [`plain`] for a
//! problem in a data file (`file:line: column `x`: message [code]`), [`json`] for scripts.
//!
//! Message style (after cedar's): lowercase, no final period, user input in backticks, detail in the
//! labels and the help.

use std::sync::Arc;

use serde::Serialize;

use crate::span::Span;

pub use crate::codes::Code;

mod json;
mod place;
mod render;

pub use json::{Json, json, to_json};
pub use place::{DataPlace, Problems, Stage, io_reason, plain};
pub use render::{MAX_SHOWN, briefly, render, stderr_wants_colour};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diag {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    /// (A boxed slice, not a `Vec`: the diagnostic stays within what `Result`s carry cheaply.)
    pub secondary: Box<[Label]>,
    pub help: Option<String>,
    /// The replacement a did-you-mean help suggests, for an editor's quick fix.
    pub fix: Option<Box<Fix>>,
    /// Where the problem is when it is not at the spans of a source: a line or a cell of a data
    /// file, or the command line. The spans are then empty and unused. (Boxed: rare beside the
    /// checker's diagnostics, and the record reader passes problems around in `Result`s.)
    pub at: Option<Box<DataPlace>>,
}

/// Put `replacement` where `span` stands: the name a did-you-mean suggests.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
}

impl Diag {
    pub fn error(code: Code, span: impl Into<Span>, message: impl Into<String>) -> Self {
        Diag {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: Label {
                span: span.into(),
                text: String::new(),
            },
            secondary: Box::default(),
            help: None,
            fix: None,
            at: None,
        }
    }

    pub fn warning(code: Code, span: impl Into<Span>, message: impl Into<String>) -> Self {
        Diag {
            severity: Severity::Warning,
            ..Diag::error(code, span, message)
        }
    }

    /// The text under the primary span.
    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary.text = text.into();
        self
    }

    /// Another place involved (a first definition, the section whose budget disagrees).
    pub fn also(mut self, span: impl Into<Span>, text: impl Into<String>) -> Self {
        let mut all = std::mem::take(&mut self.secondary).into_vec();
        all.push(Label {
            span: span.into(),
            text: text.into(),
        });
        self.secondary = all.into_boxed_slice();
        self
    }

    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = Some(text.into());
        self
    }

    pub fn help_opt(mut self, text: Option<String>) -> Self {
        if text.is_some() {
            self.help = text;
        }
        self
    }

    /// The suggested name, if any, as a fix replacing `span` (where the wrong name stands).
    pub fn fix(mut self, span: impl Into<Span>, replacement: Option<&str>) -> Self {
        if let Some(r) = replacement {
            self.fix = Some(Box::new(Fix {
                span: span.into(),
                replacement: r.to_string(),
            }));
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The mark before a problem said on a line of its own (`error: cannot read …`), in the current
/// language.
pub fn error_mark() -> &'static str {
    crate::tr!("error: ", "错误：")
}

/// The word before a diagnostic's help (`  help: did you mean …`), in the current language; both
/// are six columns wide, so the lines a long help wraps onto stay under its first.
pub fn help_mark() -> &'static str {
    crate::tr!("help: ", "提示：")
}

/// Sorts by position, errors before warnings at the same place, and drops exact repeats.
pub fn sort(diags: &mut Vec<Diag>) {
    diags.sort_by(|a, b| {
        (a.primary.span.start, a.primary.span.end, a.severity, a.code).cmp(&(
            b.primary.span.start,
            b.primary.span.end,
            b.severity,
            b.code,
        ))
    });
    diags.dedup_by(|a, b| {
        a.code == b.code
            && a.message == b.message
            && a.primary.span.start == b.primary.span.start
            && a.primary.span.end == b.primary.span.end
    });
}

/// A named source text, shared by the reports made from it.
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub text: Arc<String>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: Arc::new(text.into()),
        }
    }

    /// 1-based line and column (in characters) of a byte offset. Lines end with `\n`, `\r\n` or a
    /// lone `\r` (old Mac files).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset);
        let bytes = self.text.as_bytes();
        let mut line = 1;
        let mut line_start = 0;
        for (i, &b) in bytes[..offset].iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                line += 1;
                line_start = i + 1;
            }
        }
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }
}

/// `text` with every lone `\r` (the line end of old Mac files) turned into `\n`; `\r\n` stays.
/// Both are one byte, so every offset into the text stays valid.
pub fn lone_cr_as_lf(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        out.push(if lone(i) { '\n' } else { c });
    }
    std::borrow::Cow::Owned(out)
}

pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// "did you mean `x`?" for a near miss among `candidates`: an exact match ignoring case first, then
/// the most similar name above a threshold.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(wrong, candidates).map(|c| {
        crate::tr!(
            format!("did you mean `{c}`?"),
            format!("是不是要写 `{c}`？")
        )
    })
}

pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Case and the full width of the Chinese input mode (`ｌａｔｅ`) do not count.
    let fold = |s: &str| crate::chars::to_ascii(s).to_lowercase();
    let lower = fold(wrong);
    let short = |s: &str| s.chars().count() < 2;
    let length = wrong.chars().count();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if fold(c) == lower {
            return Some(c);
        }
        // Far longer or shorter is no near miss, and the distances cost the product of the
        // lengths: a 100 KB cell must not take seconds to be told it is unknown.
        let other = c.chars().count();
        if length > 2 * other + 4 || other > 2 * length + 4 {
            continue;
        }
        let mut score = strsim::normalized_damerau_levenshtein(wrong, c)
            .max(strsim::jaro_winkler(wrong, c) - 0.1);
        // One character wrong, missing or swapped in a short name (`迟道` for `迟到`) is a near miss
        // however short the name: Chinese labels are two or three characters.
        if !short(wrong) && !short(c) && strsim::damerau_levenshtein(wrong, c) == 1 {
            score = score.max(0.6);
        }
        if score >= 0.6 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `a`, `a or b`, `a, b or c`: alternatives for a message, as given.
pub fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => crate::tr!(
            format!("{} or {last}", rest.join(", ")),
            crate::lang::spaced(&format!("{}或{last}", rest.join("、")))
        ),
    }
}

/// `a`, `a` and `b`, `a`, `b` and `c`: a list for a help line.
pub fn list_names<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => crate::tr!(
            format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
            format!("{} 和 {}", quoted[..n - 1].join("、"), quoted[n - 1])
        ),
    }
}
