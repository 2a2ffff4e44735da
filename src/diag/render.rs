//! The human form of a diagnostic: miette's report of the source around its spans, long lines cut
//! around the place reported, and long messages cut.

use std::fmt;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    NamedSource, SourceCode, SpanContents,
};

use super::{Diag, Severity, Source, floor_char_boundary, lone_cr_as_lf};
use crate::span::Span;

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
        if crate::lang::current() == crate::lang::Lang::Zh {
            // miette writes `help:` in English before it: [`help_line`] says it instead.
            return None;
        }
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

/// How wide reports are drawn, in columns.
const WIDTH: usize = 100;

/// A help line under a report as miette draws it (its footer), with the word before it in the
/// current language: miette writes `help:` and has no setting for the word. Wrapped as miette
/// wraps it, the lines after the first under the text of the first.
/// `mark` is the word, indented and styled as miette's theme styles it.
fn help_line(help: &str, mark: &str) -> String {
    let options = textwrap::Options::new(WIDTH - 2)
        .initial_indent(mark)
        .subsequent_indent("        ");
    format!("{}\n", textwrap::fill(help, options))
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
    let help_mark = format!("  {}", theme.styles.help.style(super::help_mark()));
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
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
        if let Some(help) = diag
            .help
            .as_deref()
            .filter(|_| miette::Diagnostic::help(&report).is_none())
        {
            out.push_str(&help_line(help, &help_mark));
        }
        out.push('\n');
    }
    if let Some(rest) = diags.get(MAX_SHOWN..).filter(|r| !r.is_empty()) {
        let n = rest.len();
        let e = rest.iter().filter(|d| d.is_error()).count();
        let errors = crate::lang::counted(e, "error", "个错误");
        let warnings = crate::lang::counted(n - e, "warning", "个警告");
        out.push_str(&crate::tr!(
            format!("and {n} more ({errors}, {warnings}) not shown; fix the ones above and run again\n\n"),
            format!("另外还有 {n} 条没有列出（{errors}，{warnings}）；先改好上面这些，再运行一次\n\n")
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
    for l in d.secondary.iter_mut() {
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
    for l in d.secondary.iter_mut() {
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
