//! Policy text in, the same policy in its one canonical layout out (`tally fmt`).
//!
//! The tree is written unit by unit ([`units`]: a declaration, a field, a rule, a band, a block's
//! opening and closing line; a rule too long for a line is broken by [`doc`]), then the comments
//! and blank lines of the source are placed among the units by their offsets ([`place`]).
//!
//! A safety net stands between the result and the user: the formatted text is parsed again and its
//! declarations (spans aside) and comments must be exactly those of the original. If they are not,
//! [`format`] refuses with [`FmtError::WouldChange`] and nothing may be written.

mod doc;
mod place;
mod print;
mod relative;
mod units;

use crate::diag::{Diag, Source};
use crate::syntax::{
    self,
    ast::{self, Ast},
};

#[derive(Debug)]
pub enum FmtError {
    /// The policy does not parse: the diagnostics `tally check` gives for it.
    Syntax(Vec<Diag>),
    /// The formatted text would not say what the original says (a bug in the formatter); says what
    /// would differ.
    WouldChange(String),
}

/// The policy in its canonical layout, checked to parse back to the same tree and comments.
pub fn format(source: &Source) -> Result<String, FmtError> {
    let ast = syntax::parse(source).map_err(FmtError::Syntax)?;
    let formatted = layout(&ast, &crate::diag::lone_cr_as_lf(&source.text));
    verify(&ast, &formatted).map_err(FmtError::WouldChange)?;
    Ok(formatted)
}

/// A rule in the canonical layout on one line, without its comments: how explanations and
/// `tally diff` show it, and what `tally diff` compares.
pub fn rule_text(rule: &ast::Rule) -> String {
    print::rule(rule).flat()
}

/// What follows `valid` in the canonical layout: `2 years`, `{ <= 40: 1 year, else: 2 years }`.
pub fn validity_text(v: &ast::Validity) -> String {
    print::validity_text(v)
}

/// An expression in the canonical layout on one line.
pub fn expr_text(e: &ast::Expr) -> String {
    print::flat(e)
}

/// The canonical text of a parsed policy, without the safety net.
pub fn layout(ast: &Ast, text: &str) -> String {
    let units = units::units(&ast.decls, text, &ast.comments);
    place::render(&units, &ast.comments, text)
}

/// The safety net: `formatted` must parse to the declarations of `original` (spans aside) and
/// keep its comments, in order, with the same text (trailing white space aside). `Err` says what
/// would differ.
pub fn verify(original: &Ast, formatted: &str) -> Result<(), String> {
    let again = syntax::parse(&Source::new("formatted", formatted)).map_err(|_| {
        crate::tr!("the formatted text does not parse", "排版后的文本解析不了").to_string()
    })?;
    if let Some(i) = (0..original.decls.len().max(again.decls.len()))
        .find(|&i| original.decls.get(i) != again.decls.get(i))
    {
        return Err(crate::tr!(
            format!("declaration {} would differ", i + 1),
            format!("第 {} 个声明会变", i + 1)
        ));
    }
    let texts = |ast: &Ast| -> Vec<String> {
        ast.comments
            .iter()
            .map(|c| c.text.trim_end().to_string())
            .collect()
    };
    let (before, after) = (texts(original), texts(&again));
    if before != after {
        let at = before
            .iter()
            .zip(&after)
            .position(|(a, b)| a != b)
            .unwrap_or(before.len().min(after.len()));
        return Err(crate::tr!(
            format!(
                "comment {} would differ ({} comments before, {} after)",
                at + 1,
                before.len(),
                after.len()
            ),
            format!(
                "第 {} 条注释会变（之前 {} 条注释，之后 {} 条）",
                at + 1,
                before.len(),
                after.len()
            )
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
