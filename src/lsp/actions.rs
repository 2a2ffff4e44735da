//! Quick fixes (every did-you-mean a diagnostic carries) and formatting through `tally fmt`.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Url, WorkspaceEdit,
};

use super::diagnostics;
use super::document::{Document, Language};
use crate::diag::{Code, Diag, Fix, Source};
use crate::syntax::ast::Span;

/// The fixes of the diagnostics whose main label meets `range`.
pub fn code_actions(uri: &Url, doc: &Document, range: Range) -> Vec<CodeActionOrCommand> {
    let Some(wanted) = doc.lines.span(range) else {
        return Vec::new();
    };
    let lsp = diagnostics::to_lsp(uri, doc);
    let mut out = Vec::new();
    for (diag, shown) in doc.diags.iter().zip(lsp) {
        let Some(fix) = diag
            .fix
            .as_deref()
            .cloned()
            .or_else(|| turned_round(doc, diag))
        else {
            continue;
        };
        let span = diag.primary.span;
        if span.end < wanted.start || wanted.end < span.start {
            continue;
        }
        let wrong = doc.text.get(fix.span.start..fix.span.end).unwrap_or("");
        let edit = TextEdit::new(doc.lines.range(fix.span), fix.replacement.clone());
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: crate::tr!(
                format!("Replace `{wrong}` with `{}`", fix.replacement),
                format!("把 `{wrong}` 改成 `{}`", fix.replacement)
            ),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![shown]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(true),
            ..CodeAction::default()
        }));
    }
    out
}

/// "did you mean `>` instead of `<`?" of a condition that can never hold (`count(late) < 0`):
/// the tree keeps no span for the operator, so it is found in the text, the last `<` of the
/// condition (its right side is a number).
fn turned_round(doc: &Document, diag: &Diag) -> Option<Fix> {
    if diag.code != Code::NeverFires {
        return None;
    }
    let span = diag.primary.span;
    let at = span.start + doc.text.get(span.start..span.end)?.rfind('<')?;
    Some(Fix {
        span: Span::new(at, at + 1),
        replacement: ">".to_string(),
    })
}

/// The edits that put a policy in its canonical layout: none when it is already, `None` when it
/// cannot be formatted (it does not parse).
pub fn format(doc: &Document) -> Option<Vec<TextEdit>> {
    if doc.language != Language::Policy {
        return None;
    }
    let formatted = crate::fmt::format(&Source::new("policy", doc.text.as_str())).ok()?;
    if formatted == doc.text {
        return Some(Vec::new());
    }
    Some(vec![TextEdit::new(doc.lines.all(), formatted)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::document::Language;

    #[test]
    fn a_condition_that_never_holds_is_turned_round() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/check/never-fires.policy"
        ))
        .unwrap_or_default();
        let uri = Url::parse("file:///never-fires.policy").ok();
        let Some(uri) = uri else { return };
        let doc = Document::new(&uri, Language::Policy, text.clone(), None);
        let at = text.find("count(late) < 0").unwrap_or(0);
        let range = doc.lines.range(Span::new(at, at + 3));
        let actions = code_actions(&uri, &doc, range);
        let CodeActionOrCommand::CodeAction(action) = &actions[0] else {
            unreachable!("only code actions are made")
        };
        let edit = &action
            .edit
            .as_ref()
            .and_then(|e| e.changes.as_ref())
            .map(|c| c[&uri].clone());
        let edit = &edit.as_ref().map(|e| e[0].clone());
        let Some(edit) = edit else {
            unreachable!("a fix has an edit")
        };
        let span = doc.lines.span(edit.range);
        assert_eq!(span.and_then(|s| text.get(s.start..s.end)), Some("<"));
        assert_eq!(edit.new_text, ">");
    }
}
