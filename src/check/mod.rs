//! Syntax tree in, checked policy and diagnostics out.
//!
//! `check` resolves every name (record kinds, fields, roster columns, enumeration values, grades),
//! types every expression (units included), verifies budgets and grade bands, and runs the lints.
//! Errors make the policy unusable (`None`); warnings do not.

pub mod bounds;
mod budget;
mod decls;
mod expr;
mod grades;
mod interval;
mod labels;
mod ledgers;
mod lints;
pub mod model;
mod once;
mod ranks;
mod relative;
mod rules;

use std::collections::HashMap;

pub use model::Policy;

use crate::diag::{Diag, Source};
use crate::syntax::ast::{self, Span};

/// Checks a parsed policy. Returns the checked policy when there is no error, and every
/// diagnostic (errors and warnings) in any case.
pub fn check(ast: &ast::Ast, source: &Source) -> (Option<Policy>, Vec<Diag>) {
    let mut cx = Checker::new(source);
    let header = decls::header(&mut cx, ast);
    (cx.card, cx.balance) = decls::card(&mut cx, ast);
    if let Some(h) = &header {
        cx.publication = (h.round_places, h.rounding);
    }
    decls::roster(&mut cx, ast);
    decls::kinds(&mut cx, ast);
    grades::grades(&mut cx, ast);
    decls::caps(&mut cx, ast);
    once::declarations(&mut cx, ast);
    let ranks = ranks::declarations(&mut cx, ast);
    cx.blocks = ast
        .decls
        .iter()
        .filter_map(|d| match d {
            ast::Decl::Adjustments(a) => Some(a.id.node.clone()),
            _ => None,
        })
        .collect();
    cx.ledger_ids = ledgers::ids(ast);
    let (sections, adjustments) = rules::bodies(&mut cx, ast);
    once::groups(&mut cx, &sections, &adjustments);
    let annual = decls::annual(&mut cx, ast);
    let ledgers = ledgers::declarations(&mut cx, ast);
    let derives = ledgers::derives(&mut cx, ast, &ledgers);
    let annual_text = ast
        .decls
        .iter()
        .find_map(|d| match d {
            ast::Decl::Annual(a) => Some(crate::fmt::expr_text(&a.formula)),
            _ => None,
        })
        .unwrap_or_default();
    if let Some(h) = &header {
        budget::check_sections(&mut cx, h, &sections, ast);
    }
    budget::check_bases(&mut cx, &sections);
    lints::run(&mut cx, ast, &sections, &adjustments);

    let has_error = cx.diags.iter().any(Diag::is_error);
    let policy = match (header, has_error) {
        (Some(h), false) => Some(Policy {
            title: h.title,
            year: h.year,
            total: h.total,
            annual,
            annual_text,
            round_places: h.round_places,
            rounding: h.rounding,
            card: cx.card,
            balance: cx.balance,
            columns: cx.columns,
            kinds: cx.kinds,
            sections,
            adjustments,
            grades: cx.grades,
            aggregates: cx.aggregates,
            caps: cx.caps,
            onces: cx.onces,
            ranks,
            ledgers,
            derives,
        }),
        _ => None,
    };
    if let Some(p) = &policy {
        let b = bounds::bounds(p);
        cx.diags.extend(bounds::lints::grades(p, &b));
        cx.diags.extend(bounds::lints::scaled(p, &b));
    }
    (policy, cx.diags)
}

/// What the checker knows while it walks the tree.
pub(crate) struct Checker<'s> {
    pub source: &'s Source,
    pub diags: Vec<Diag>,
    pub columns: Vec<model::Column>,
    pub kinds: Vec<model::Kind>,
    pub kind_index: HashMap<String, model::KindId>,
    pub grades: Vec<model::Grade>,
    pub aggregates: Vec<model::Aggregate>,
    pub caps: Vec<model::Cap>,
    /// The declared `once` groups; a `per FIELD` group's fields are resolved once its rules are.
    pub onces: Vec<model::Once>,
    /// Per `once` group: the span of its `per FIELD` name, for diagnostics.
    pub once_by_span: Vec<Option<Span>>,
    /// One card a month, or one a year (`card year`).
    pub card: crate::ops::Period,
    /// `card balance`: one card read on a day, with validity (§25 of the reference).
    pub balance: bool,
    /// How results are published (`round 2 half-up`): what a `score N` must fit.
    pub publication: (u32, crate::exact::Rounding),
    /// Kinds some rule reads, for the unused-record lint.
    pub used_kinds: Vec<bool>,
    /// Whether a `roster` block was seen (columns may still be empty).
    pub has_roster: bool,
    /// Fields and roster columns (their name spans) whose type was not understood: already
    /// reported, so what reads them is not reported again.
    pub untyped: Vec<(usize, usize)>,
    /// Items and bases (their spans) whose `for` condition has an error: budgets and overlapping
    /// bases cannot be told for them, and guessing would only repeat the error.
    pub unsure: Vec<(usize, usize)>,
    /// The adjustments blocks' ids, in order, before their rules are read (`freeze ID`).
    pub blocks: Vec<String>,
    /// The declared ledgers' ids, before any expression is read (`money(…)`).
    pub ledger_ids: Vec<String>,
}

impl<'s> Checker<'s> {
    fn new(source: &'s Source) -> Self {
        Checker {
            source,
            diags: Vec::new(),
            columns: Vec::new(),
            kinds: Vec::new(),
            kind_index: HashMap::new(),
            grades: Vec::new(),
            aggregates: Vec::new(),
            caps: Vec::new(),
            onces: Vec::new(),
            once_by_span: Vec::new(),
            card: crate::ops::Period::Month,
            balance: false,
            publication: (2, crate::exact::Rounding::HalfUp),
            used_kinds: Vec::new(),
            has_roster: false,
            untyped: Vec::new(),
            unsure: Vec::new(),
            blocks: Vec::new(),
            ledger_ids: Vec::new(),
        }
    }

    pub fn errors(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    pub fn is_untyped(&self, span: Span) -> bool {
        self.untyped.contains(&(span.start, span.end))
    }

    pub fn is_unsure(&self, span: Span) -> bool {
        self.unsure.contains(&(span.start, span.end))
    }

    pub fn push(&mut self, d: Diag) {
        self.diags.push(d);
    }

    /// The source text under a span, on one line (for explanations and rule texts).
    pub fn text(&self, span: Span) -> String {
        let text: &str = &self.source.text;
        let s = text.get(span.start..span.end).unwrap_or("");
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    pub fn column(&self, name: &str) -> Option<model::ColumnId> {
        self.columns.iter().position(|c| c.name == name)
    }

    pub fn grade(&self, name: &str) -> Option<model::GradeId> {
        self.grades.iter().position(|g| g.name == name)
    }
}
