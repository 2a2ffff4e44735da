//! Bases: an item's starting value for some people, and its formula cut for explanations.

use super::*;

pub(super) fn check_base(
    cx: &mut Checker,
    rule: &ast::Rule,
    value: &ast::Expr,
) -> Option<model::Base> {
    let errors = cx.errors();
    let applies = applies_of(cx, rule, false);
    if cx.errors() > errors {
        cx.unsure.push((rule.span.start, rule.span.end));
    }
    let (expr, ty) = lower(
        cx,
        value,
        &Scope::rule(Vec::new(), crate::tr!("a base", "基础分")),
    );
    crate::check::expr::beyond_publication(cx, &expr);
    points_like(cx, &ty, value, crate::tr!("a base", "基础分"));
    let formula = formula(cx, &expr);
    Some(model::Base {
        clause: rule.citation.as_ref().map(|c| c.node.clone()),
        text: crate::fmt::rule_text(rule),
        formula,
        value: expr,
        applies,
        span: *rule.span,
    })
}

/// An expression's source text split around its aggregates and facts (see [`model::FormulaPart`]), the
/// text as written (white space is squeezed when it is shown).
pub(super) fn formula(cx: &Checker, value: &model::Expr) -> Vec<model::FormulaPart> {
    let raw = |a: usize, b: usize| cx.source.text.get(a..b).unwrap_or("").to_string();
    let mut found = value.aggregates();
    found.sort_by_key(|(s, _)| s.start);
    let mut parts = Vec::new();
    let mut at = value.span.start;
    for (span, id) in found {
        if span.start < at {
            // Nested or overlapping: the formula cannot be cut cleanly; show none.
            return Vec::new();
        }
        if span.start > at {
            parts.push(model::FormulaPart::Text(raw(at, span.start)));
        }
        parts.push(model::FormulaPart::Value(id));
        at = after_window(&cx.source.text, span.end).min(value.span.end);
    }
    if at < value.span.end {
        parts.push(model::FormulaPart::Text(raw(at, value.span.end)));
    }
    parts
}

/// Where the text after an aggregate ends once its window (`in year`, `in month`) is passed: an
/// aggregate's span leaves the window out, but its value is the windowed one.
pub(super) fn after_window(text: &str, at: usize) -> usize {
    let Some(rest) = text.get(at..) else {
        return at;
    };
    let trimmed = rest.trim_start();
    let Some(words) = trimmed.strip_prefix("in") else {
        return at;
    };
    if !words.starts_with(char::is_whitespace) {
        return at;
    }
    let words = words.trim_start();
    for window in ["year", "month"] {
        if let Some(after) = words.strip_prefix(window) {
            if !after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                return text.len() - after.len();
            }
        }
    }
    at
}
