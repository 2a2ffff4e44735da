//! Diagnostics shared by every stage: a stable code, a one-line message, labelled spans and a help
//! line. Stages produce [`Diag`]s against one source; [`render`] and [`to_json`] show them.
//!
//! Message style (after cedar's): lowercase, no final period, user input in backticks, detail in the
//! labels and the help.

use std::fmt;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    NamedSource, SourceCode, SpanContents,
};
use serde::Serialize;

use crate::span::Span;

pub use crate::codes::Code;

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
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// The replacement a did-you-mean help suggests, for an editor's quick fix.
    pub fix: Option<Box<Fix>>,
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
            secondary: Vec::new(),
            help: None,
            fix: None,
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
        self.secondary.push(Label {
            span: span.into(),
            text: text.into(),
        });
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

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A named source whose `file:line:column` header counts the column in characters, as
/// [`Source::line_col`] and the JSON output do (miette counts bytes, so a Chinese label earlier on
/// the line would push the column of a report past the one its JSON line gives).
#[derive(Clone)]
struct Text {
    named: NamedSource<Arc<String>>,
    source: Source,
    /// Where the report starts in the file, when `named` shows a cut copy of it.
    header: Option<(usize, usize)>,
}

impl SourceCode for Text {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self
            .named
            .read_span(span, context_lines_before, context_lines_after)?;
        if context_lines_before != 0 || context_lines_after != 0 {
            return Ok(contents);
        }
        // Without context, this is the header's reading of where the report starts.
        let (line, column) = self
            .header
            .unwrap_or_else(|| self.source.line_col(contents.span().offset()));
        Ok(Box::new(MietteSpanContents::new_named(
            self.source.name.clone(),
            contents.data(),
            *contents.span(),
            line.saturating_sub(1),
            column.saturating_sub(1),
            contents.line_count(),
        )))
    }
}

/// A [`Diag`] together with its source, as miette wants it.
struct Report<'a> {
    diag: &'a Diag,
    source: Text,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let len = self.source.source.text.len();
        let clamp = move |s: Span| {
            let start = s.start.min(len);
            let end = s.end.clamp(start, len);
            (start, end - start)
        };
        let primary = &self.diag.primary;
        let first = LabeledSpan::new_primary_with_span(
            (!primary.text.is_empty()).then(|| primary.text.clone()),
            clamp(primary.span),
        );
        let rest = self.diag.secondary.iter().map(move |l| {
            LabeledSpan::new_with_span((!l.text.is_empty()).then(|| l.text.clone()), clamp(l.span))
        });
        Some(Box::new(std::iter::once(first).chain(rest)))
    }
}

/// Whether reports on stderr should be coloured: a terminal, and `NO_COLOR` unset.
pub fn stderr_wants_colour() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// How many diagnostics are shown before the rest are only counted.
pub const MAX_SHOWN: usize = 50;
/// A source line longer than this (in bytes) is shown cut around the place reported.
const MAX_LINE: usize = 300;
/// How much of a message, label or help is shown (in characters): they may quote a name or a
/// token of any length.
const MAX_SAID: usize = 600;

/// Renders diagnostics the way `tally check` prints them: at most [`MAX_SHOWN`], then how many
/// more there are; long source lines are cut around the place reported.
pub fn render(diags: &[Diag], source: &Source, colour: bool) -> String {
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let normal = match lone_cr_as_lf(&source.text) {
        std::borrow::Cow::Borrowed(_) => Arc::clone(&source.text),
        std::borrow::Cow::Owned(text) => Arc::new(text),
    };
    let has_long_line = normal.split('\n').any(|l| l.len() > MAX_LINE);
    let mut out = String::new();
    for diag in diags.iter().take(MAX_SHOWN) {
        let shown = said_briefly(diag);
        let (diag, text) = match has_long_line.then(|| cut_long_lines(&shown, &normal)) {
            Some((cut, moved)) => (
                moved,
                Text {
                    named: NamedSource::new(source.name.clone(), Arc::new(cut.clone())),
                    source: Source::new(source.name.clone(), cut),
                    header: Some(source.line_col(diag.primary.span.start)),
                },
            ),
            None => (
                shown,
                Text {
                    named: NamedSource::new(source.name.clone(), Arc::clone(&normal)),
                    source: source.clone(),
                    header: None,
                },
            ),
        };
        let report = Report {
            diag: &diag,
            source: text,
        };
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("{}: {}\n", diag.code.as_str(), diag.message));
        }
        out.push('\n');
    }
    if let Some(rest) = diags.get(MAX_SHOWN..).filter(|r| !r.is_empty()) {
        let errors = rest.iter().filter(|d| d.is_error()).count();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        out.push_str(&format!(
            "and {} more ({}, {}) not shown; fix the ones above and run again\n\n",
            rest.len(),
            plural(errors, "error"),
            plural(rest.len() - errors, "warning"),
        ));
    }
    out
}

/// A message or a help cut to [`MAX_SAID`] characters and marked `…`: it may quote a name, a token
/// or a record's cell of any length.
pub fn briefly(s: &str) -> String {
    match s.char_indices().nth(MAX_SAID) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The diagnostic with its message, labels and help cut to [`MAX_SAID`] characters: they may quote
/// a name or a token of any length.
fn said_briefly(diag: &Diag) -> Diag {
    let cut = briefly;
    let mut d = diag.clone();
    d.message = cut(&d.message);
    d.primary.text = cut(&d.primary.text);
    for l in &mut d.secondary {
        l.text = cut(&l.text);
    }
    d.help = d.help.as_deref().map(cut);
    d
}

/// `text` with every line longer than [`MAX_LINE`] cut to a window around the first label on it
/// (or to its start), marked with `…`; lines stay lines, so line numbers hold. Returns the cut
/// text and the diagnostic with its spans moved into it.
fn cut_long_lines(diag: &Diag, text: &str) -> (String, Diag) {
    let starts: Vec<usize> = std::iter::once(diag.primary.span.start)
        .chain(diag.secondary.iter().map(|l| l.span.start))
        .collect();
    // (original start, original end, start in the cut text) of every kept part, in order.
    let mut kept: Vec<(usize, usize, usize)> = Vec::new();
    let mut out = String::with_capacity(text.len().min(1 << 16));
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        let line_end = line_start + content.len();
        if content.len() <= MAX_LINE {
            kept.push((line_start, line_end, out.len()));
            out.push_str(content);
        } else {
            let anchor = starts
                .iter()
                .copied()
                .filter(|&s| (line_start..=line_end).contains(&s))
                .min()
                .unwrap_or(line_start);
            let from =
                floor_char_boundary(text, anchor.saturating_sub(MAX_LINE / 3).max(line_start));
            let to = ceil_char_boundary(text, (from + MAX_LINE).min(line_end));
            if from > line_start {
                out.push('…');
            }
            kept.push((from, to, out.len()));
            out.push_str(&text[from..to]);
            if to < line_end {
                out.push('…');
            }
        }
        if line.ends_with('\n') {
            out.push('\n');
        }
        line_start += line.len();
    }
    let place = |o: usize| -> usize {
        // The last part starting at or before `o`, clamped into it.
        let i = kept
            .partition_point(|&(start, _, _)| start <= o)
            .saturating_sub(1);
        kept.get(i)
            .map_or(0, |&(start, end, at)| at + o.clamp(start, end) - start)
    };
    let moved = |s: Span| {
        let start = place(s.start);
        Span::new(start, place(s.end).max(start))
    };
    let mut d = diag.clone();
    d.primary.span = moved(d.primary.span);
    for l in &mut d.secondary {
        l.span = moved(l.span);
    }
    (out, d)
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[derive(Serialize)]
pub struct JsonDiag<'a> {
    pub code: &'static str,
    pub severity: Severity,
    pub message: &'a str,
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub help: Option<&'a str>,
}

pub fn to_json<'a>(diag: &'a Diag, source: &'a Source) -> JsonDiag<'a> {
    let (line, column) = source.line_col(diag.primary.span.start);
    JsonDiag {
        code: diag.code.as_str(),
        severity: diag.severity,
        message: &diag.message,
        file: &source.name,
        line,
        column,
        help: diag.help.as_deref(),
    }
}

/// "did you mean `x`?" for a near miss among `candidates`: an exact match ignoring case first, then
/// the most similar name above a threshold.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(wrong, candidates).map(|c| format!("did you mean `{c}`?"))
}

pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Case and the full width of the Chinese input mode (`ｌａｔｅ`) do not count.
    let fold = |s: &str| crate::syntax::chars::to_ascii(s).to_lowercase();
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
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// `a`, `a` and `b`, `a`, `b` and `c`: a list for a help line.
pub fn list_names<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}
