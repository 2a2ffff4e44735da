//! The JSON form of a problem: one object per line, the same fields in the same order for every
//! problem, with `null` for what is not known.

use serde::Serialize;

use super::{Diag, Severity, Source};

/// One problem as a JSON object. `tally check --format json` gives the fields up to `column` and
/// `help`; the problems of `eval`, `explain` and `diff` also give `column_name` (in a CSV file
/// `column` is the cell's position in its row, 1 for the first, and `column_name` its header) and,
/// in `diff`, `policy` (the revision the inputs were read against).
#[derive(Serialize)]
pub struct Json<'a> {
    pub code: Option<&'static str>,
    pub severity: Severity,
    pub message: &'a str,
    pub file: Option<&'a str>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Absent (`None`) on the lines of `tally check`; `Some(None)` is `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column_name: Option<Option<&'a str>>,
    pub help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<&'a str>,
}

impl<'a> Json<'a> {
    /// Every field a problem line of `eval`, `explain` and `diff` has (`column_name` too).
    pub fn every_field(mut self) -> Self {
        self.column_name.get_or_insert(None);
        self
    }

    /// In `diff`, the revision of the policy the inputs were read against.
    pub fn policy(mut self, policy: Option<&'a str>) -> Self {
        self.policy = policy;
        self
    }
}

/// A diagnostic at spans of `source`, as `tally check --format json` gives it.
pub fn to_json<'a>(diag: &'a Diag, source: &'a Source) -> Json<'a> {
    json(diag, Some(source))
}

/// Any problem as a JSON object: at spans of `source`, or at its [`super::DataPlace`].
pub fn json<'a>(diag: &'a Diag, source: Option<&'a Source>) -> Json<'a> {
    let mut out = Json {
        code: Some(diag.code.as_str()),
        severity: diag.severity,
        message: &diag.message,
        file: None,
        line: None,
        column: None,
        column_name: None,
        help: diag.help.as_deref(),
        policy: None,
    };
    match (&diag.at, source) {
        (Some(at), _) => {
            out.file = (!at.file.is_empty()).then_some(at.file.as_str());
            out.line = at.line;
            out.column = at.position.map(|p| usize::from(p.get()));
            out.column_name = Some(at.column.as_deref());
        }
        (None, Some(source)) => {
            let (line, column) = source.line_col(diag.primary.span.start);
            out.file = Some(&source.name);
            out.line = Some(line);
            out.column = Some(column);
        }
        (None, None) => {}
    }
    out
}
