//! One open document: its text, its line index, and what reading it gave (the syntax tree and the
//! diagnostics of a policy; the diagnostics of a scenario).

use lsp_types::Url;

use super::index::Index;
use super::position::Lines;
use crate::diag::Diag;
use crate::syntax::ast::Ast;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    Policy,
    Scenario,
}

pub struct Document {
    pub text: String,
    pub language: Language,
    pub lines: Lines,
    /// The syntax tree, when the policy parses.
    pub ast: Option<Ast>,
    pub index: Option<Index>,
    /// The last syntax tree the document had (this one, or the one before an edit that does not
    /// parse yet): the names completion offers.
    pub known: Option<Ast>,
    pub diags: Vec<Diag>,
    /// What each item can score, when the policy checks without an error.
    pub bounds: Option<crate::check::bounds::Bounds>,
}

impl Language {
    /// A scenario by its language id or its name; anything else is read as a policy.
    pub fn of(uri: &Url, language_id: Option<&str>) -> Self {
        if language_id == Some("tally-scenario") || uri.path().ends_with(".scenario") {
            Language::Scenario
        } else {
            Language::Policy
        }
    }
}

impl Document {
    pub fn new(uri: &Url, language: Language, text: String, known: Option<Ast>) -> Self {
        let name = uri
            .path_segments()
            .and_then(|mut s| s.next_back())
            .unwrap_or("policy")
            .to_string();
        let lines = Lines::new(&text);
        let (ast, diags, bounds) = match language {
            Language::Policy => {
                let compiled = crate::compile::compile(&name, text.as_bytes());
                let ast = crate::syntax::parse(&compiled.source).ok();
                let bounds = compiled.policy.as_ref().map(crate::check::bounds::bounds);
                (ast, compiled.diags, bounds)
            }
            Language::Scenario => {
                let (_, mut diags) = crate::scenario::parse::parse(&text, false);
                crate::diag::sort(&mut diags);
                (None, diags, None)
            }
        };
        let index = ast.as_ref().map(Index::new);
        let known = ast.clone().or(known);
        Document {
            text,
            language,
            lines,
            ast,
            index,
            known,
            diags,
            bounds,
        }
    }
}
