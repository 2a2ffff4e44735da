//! Texts tally prints and matches records by (labels, flags): one nobody can read or see is an
//! error.

use super::Checker;
use crate::diag::{Code, Diag};
use crate::syntax::ast;
use crate::syntax::chars;

/// Whether a text holds nothing anybody can read: only spaces and invisible characters.
pub fn blank(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || chars::invisible(c))
}

/// A text tally prints or matches records by (a label, a flag) that holds a character nobody can
/// see or type: a control character or an invisible format character. Reported; `true` if so.
pub fn hidden_characters(cx: &mut Checker, text: &ast::Spanned<String>, what: &str) -> bool {
    let hidden = |c: char| c.is_control() || (chars::invisible(c) && !c.is_whitespace());
    let Some(c) = text.node.chars().find(|&c| hidden(c)) else {
        return false;
    };
    cx.push(
        Diag::error(
            Code::HiddenCharacter,
            text.span,
            format!("{what} holds {}, which cannot be seen", chars::describe(c)),
        )
        .label("in this text")
        .help(chars::invisible_help(c)),
    );
    true
}

/// A label with no text (an error), or with a character nobody can see (an error); `true` if the
/// label is empty.
pub fn empty_label(cx: &mut Checker, label: &ast::Spanned<String>, what: &str, id: &str) -> bool {
    if !blank(&label.node) {
        hidden_characters(cx, label, &format!("the label of the {what} `{id}`"));
        return false;
    }
    cx.push(
        Diag::error(
            Code::EmptyLabel,
            label.span,
            format!("the {what} `{id}` has an empty label"),
        )
        .label("no text here")
        .help(format!(
            "write the name the regulation gives it, like `\"迟到\"`; reports and record files name the {what} by it"
        )),
    );
    true
}
