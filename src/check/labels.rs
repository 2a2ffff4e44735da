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
            crate::tr!(
                format!("{what} holds {}, which cannot be seen", chars::describe(c)),
                crate::lang::spaced(&format!("{what}里有 {}，看不见", chars::describe(c)))
            ),
        )
        .label(crate::tr!("in this text", "在这段文字里"))
        .help(chars::invisible_help(c)),
    );
    true
}

/// A label with no text (an error), or with a character nobody can see (an error); `true` if the
/// label is empty.
pub fn empty_label(cx: &mut Checker, label: &ast::Spanned<String>, what: &str, id: &str) -> bool {
    if !blank(&label.node) {
        hidden_characters(
            cx,
            label,
            &crate::tr!(
                format!("the label of the {what} `{id}`"),
                format!("{what} `{id}` 的名称")
            ),
        );
        return false;
    }
    cx.push(
        Diag::error(
            Code::EmptyLabel,
            label.span,
            crate::tr!(
                format!("the {what} `{id}` has an empty label"),
                format!("{what} `{id}` 的名称是空的")
            ),
        )
        .label(crate::tr!("no text here", "这里没有文字"))
        .help(crate::tr!(
            format!(
                "write the name the regulation gives it, like `\"迟到\"`; reports and record files name the {what} by it"
            ),
            crate::lang::spaced(&format!("写上制度里的叫法，比如 `\"迟到\"`；报表和记录文件都用这个名称来指{what}"))
        )),
    );
    true
}

/// A text matched against the cells of record files or the roster (a kind's label, a string a
/// field is compared with) that has white space at its start or end: a cell has the white space
/// around it taken off before it is compared, so the text could never match one. Reported;
/// `true` if so.
pub fn spaced_ends(cx: &mut Checker, (text, span): (&str, ast::At), what: &str) -> bool {
    let trimmed = text.trim();
    if trimmed == text {
        return false;
    }
    cx.push(
        Diag::error(
            Code::HiddenCharacter,
            span,
            crate::tr!(
                format!(
                    "{what} has white space at its start or end, which no cell of a record file or the roster can match"
                ),
                crate::lang::spaced(&format!("{what}开头或结尾有空白，记录文件和花名册里的格子都对不上"))
            ),
        )
        .label(crate::tr!("white space at an end", "两头有空白"))
        .help(crate::tr!(
            format!(
                "write `\"{trimmed}\"`: the white space around a cell is taken off before it is compared"
            ),
            format!("写成 `\"{trimmed}\"`：每一格两头的空白，在比较之前就去掉了")
        )),
    );
    true
}
