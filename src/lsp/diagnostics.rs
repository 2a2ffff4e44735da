//! A document's diagnostics as LSP diagnostics: the main label gives the range, the other labels
//! the related information, the help is appended to the message, the code is the diagnostic code.

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Url,
};

use super::document::Document;
use crate::diag::{Diag, Severity};

pub fn to_lsp(uri: &Url, doc: &Document) -> Vec<Diagnostic> {
    doc.diags.iter().map(|d| one(uri, doc, d)).collect()
}

fn one(uri: &Url, doc: &Document, diag: &Diag) -> Diagnostic {
    let mut message = diag.message.clone();
    if !diag.primary.text.is_empty() {
        message.push_str(&format!(": {}", diag.primary.text));
    }
    if let Some(help) = &diag.help {
        message.push_str(&format!("\n{}{help}", crate::diag::help_mark()));
    }
    let related: Vec<DiagnosticRelatedInformation> = diag
        .secondary
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), doc.lines.range(l.span)),
            message: if l.text.is_empty() {
                crate::tr!("see here", "见这里").to_string()
            } else {
                l.text.clone()
            },
        })
        .collect();
    Diagnostic {
        range: doc.lines.range(diag.primary.span),
        severity: Some(match diag.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diag.code.as_str().to_string())),
        source: Some("tally".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}
