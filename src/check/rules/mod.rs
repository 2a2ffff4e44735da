//! Sections, items, adjustments and their rules.

use std::collections::HashMap;

use super::Checker;
use super::expr::{Scope, Ty, condition, is_rate, lower, resolve_field, resolve_kind};
use super::model::{self, Target, Unit, ValueType};
use crate::diag::{Code, Diag, did_you_mean, list_names};
use crate::syntax::ast::{self, Decl, ExprKind as A, Modifier, RuleBody, Sign, Span};

mod amounts;
mod bases;
mod rule;
mod validity;

use amounts::*;
use bases::*;
use rule::*;

/// Where a rule stands: inside an item (its budget) or in an adjustments block.
#[derive(Clone, Copy)]
enum Place {
    Item,
    Adjustments,
}

pub fn bodies(cx: &mut Checker, ast: &ast::Ast) -> (Vec<model::Section>, Vec<model::Adjustments>) {
    let mut sections = Vec::new();
    let mut adjustments = Vec::new();
    let mut block_ids: HashMap<String, Span> = HashMap::new();
    let mut block_labels: HashMap<String, Span> = HashMap::new();
    let mut item_ids: HashMap<String, Span> = HashMap::new();
    let mut item_labels: HashMap<String, Span> = HashMap::new();
    for decl in &ast.decls {
        match decl {
            Decl::Section(s) => {
                super::decls::empty_label(cx, &s.label, "section", &s.id.node);
                unique(
                    cx,
                    &mut block_ids,
                    &s.id.node,
                    *s.id.span,
                    "a section or adjustments block",
                    Code::DuplicateId,
                );
                unique(
                    cx,
                    &mut block_labels,
                    &s.label.node,
                    *s.label.span,
                    "a section or adjustments block",
                    Code::DuplicateLabel,
                );
                let mut items = Vec::new();
                for item in &s.items {
                    super::decls::empty_label(cx, &item.label, "item", &item.id.node);
                    unique(
                        cx,
                        &mut item_ids,
                        &item.id.node,
                        *item.id.span,
                        "an item",
                        Code::DuplicateId,
                    );
                    unique(
                        cx,
                        &mut item_labels,
                        &item.label.node,
                        *item.label.span,
                        "an item",
                        Code::DuplicateLabel,
                    );
                    items.push(check_item(cx, item));
                }
                sections.push(model::Section {
                    id: s.id.node.clone(),
                    label: s.label.node.clone(),
                    budget: s.budget.node,
                    items,
                    span: *s.span,
                });
            }
            Decl::Adjustments(a) => {
                super::decls::empty_label(cx, &a.label, "adjustments block", &a.id.node);
                unique(
                    cx,
                    &mut block_ids,
                    &a.id.node,
                    *a.id.span,
                    "a section or adjustments block",
                    Code::DuplicateId,
                );
                unique(
                    cx,
                    &mut block_labels,
                    &a.label.node,
                    *a.label.span,
                    "a section or adjustments block",
                    Code::DuplicateLabel,
                );
                let rules = a
                    .rules
                    .iter()
                    .filter_map(|r| check_rule(cx, r, Place::Adjustments, None))
                    .collect();
                adjustments.push(model::Adjustments {
                    id: a.id.node.clone(),
                    label: a.label.node.clone(),
                    rules,
                    span: *a.span,
                });
            }
            _ => {}
        }
    }
    (sections, adjustments)
}

fn unique(
    cx: &mut Checker,
    seen: &mut HashMap<String, Span>,
    key: &str,
    span: Span,
    what: &str,
    code: Code,
) {
    if let Some(first) = seen.get(key) {
        let word = if code == Code::DuplicateId {
            "id"
        } else {
            "label"
        };
        cx.push(
            Diag::error(
                code,
                span,
                format!("the {word} `{key}` is already used by {what}"),
            )
            .label("used again")
            .also(*first, "first used here")
            .help(format!(
                "give each {} its own {word}",
                what.trim_start_matches("a ").trim_start_matches("an ")
            )),
        );
    } else {
        seen.insert(key.to_string(), span);
    }
}

fn check_item(cx: &mut Checker, item: &ast::ItemDecl) -> model::Item {
    let errors = cx.errors();
    let applies = item
        .applies
        .as_ref()
        .map(|e| condition(cx, e, &Scope::roster_only("an item's `for` condition")));
    if cx.errors() > errors {
        cx.unsure.push((item.span.start, item.span.end));
    }
    let mut bases = Vec::new();
    let mut rules = Vec::new();
    for rule in &item.rules {
        if let RuleBody::Base { value } = &rule.body {
            if let Some(b) = check_base(cx, rule, value) {
                bases.push(b);
            }
        } else if let Some(r) = check_rule(cx, rule, Place::Item, Some(item)) {
            rules.push(r);
        }
    }
    model::Item {
        id: item.id.node.clone(),
        label: item.label.node.clone(),
        budget: item.budget.node,
        applies,
        applies_text: item.applies.as_ref().map(crate::fmt::expr_text),
        bases,
        rules,
        span: *item.span,
    }
}

/// The `for` modifier of a rule, checked; other modifiers are reported where they do not belong.
fn applies_of(cx: &mut Checker, rule: &ast::Rule, allow_cap: bool) -> Option<model::Expr> {
    let mut applies = None;
    let mut seen_for: Option<Span> = None;
    for m in &rule.modifiers {
        match m {
            Modifier::For(e) => {
                if let Some(first) = seen_for {
                    cx.push(
                        Diag::error(Code::Misplaced, e.span, "a rule has at most one `for`")
                            .label("second `for`")
                            .also(first, "first `for`")
                            .help("join the conditions with `and`: `for head and temporary`"),
                    );
                    continue;
                }
                seen_for = Some(*e.span);
                applies = Some(condition(
                    cx,
                    e,
                    &Scope::roster_only("a rule's `for` condition"),
                ));
            }
            Modifier::Cap(..)
            | Modifier::SharedCap(_)
            | Modifier::Highest { .. }
            | Modifier::Once(_)
            | Modifier::Guard(_)
            | Modifier::Valid(_)
            | Modifier::Repeat(_)
                if !allow_cap =>
            {
                let word = match m {
                    Modifier::Cap(..) | Modifier::SharedCap(_) => "cap",
                    Modifier::Guard(_) => "when",
                    Modifier::Once(_) => "once",
                    Modifier::Valid(_) => "valid",
                    Modifier::Repeat(_) => "repeat",
                    _ => "highest per",
                };
                cx.push(
                    Diag::error(
                        Code::Misplaced,
                        m.span(),
                        format!("`{word}` belongs to a `per` rule"),
                    )
                    .label(if matches!(m, Modifier::Valid(_) | Modifier::Repeat(_)) {
                        "no records to keep here"
                    } else {
                        "no records to limit here"
                    })
                    .help(if matches!(m, Modifier::Valid(_) | Modifier::Repeat(_)) {
                        format!("`{word}` says how long each record of a `per` rule counts; write the rule as `per KIND …`, or remove it here")
                    } else {
                        format!(
                            "`{word}` limits what the records of a `per` rule give; remove it here"
                        )
                    }),
                );
            }
            _ => {}
        }
    }
    applies
}
