//! Warnings: things that check but are probably not what the writer meant.

use rust_decimal::Decimal;

use super::Checker;
use super::model::{self, ExprKind as M, ValueType};
use crate::diag::{Code, Diag};
use crate::syntax::ast::{self, BinOp, Decl, ExprKind as A, RuleBody};

pub fn run(
    cx: &mut Checker,
    ast: &ast::Ast,
    sections: &[model::Section],
    _adjustments: &[model::Adjustments],
) {
    unused_records(cx);
    for decl in &ast.decls {
        match decl {
            Decl::Section(s) => {
                for item in &s.items {
                    rules_in_block(cx, &item.rules);
                }
            }
            Decl::Adjustments(a) => rules_in_block(cx, &a.rules),
            _ => {}
        }
    }
    for section in sections {
        for item in &section.items {
            over_budget(cx, item);
        }
    }
}

fn unused_records(cx: &mut Checker) {
    let unused: Vec<(String, ast::Span)> = cx
        .kinds
        .iter()
        .zip(&cx.used_kinds)
        .filter(|(k, used)| !**used && !k.not_scored)
        .map(|(k, _)| (k.id.clone(), k.span))
        .collect();
    for (id, span) in unused {
        cx.push(
            Diag::warning(
                Code::UnusedRecord,
                span,
                format!("the record kind `{id}` is never used"),
            )
            .label("no rule reads it")
            .help(
                "write a rule for it, delete it, or mark it `not scored` if it is kept on file only",
            ),
        );
    }
}

fn rules_in_block(cx: &mut Checker, rules: &[ast::Rule]) {
    for (i, rule) in rules.iter().enumerate() {
        if rule.citation.is_none() {
            let start = rule.span.start;
            let word_end = cx.source.text[start..rule.span.end]
                .find(char::is_whitespace)
                .map_or(rule.span.end, |n| start + n);
            cx.push(
                Diag::warning(Code::NoCitation, ast::Span::new(start, word_end), "this rule cites no clause")
                    .label("no `[…]` before the rule")
                    .help("write the clause it implements in front, like `[2.1.1] per late -5`, so every score can be traced"),
            );
        }
        if let Some(first) = rules[..i]
            .iter()
            .find(|r| r.body == rule.body && r.modifiers == rule.modifiers)
        {
            cx.push(
                Diag::warning(
                    Code::DuplicateRule,
                    rule.span,
                    "this rule repeats an earlier one",
                )
                .label("the same rule again")
                .also(first.span, "first written here")
                .help("both apply, so the effect counts twice; delete one of them"),
            );
        }
        let condition = match &rule.body {
            RuleBody::When { condition, .. } => Some(condition),
            RuleBody::Per { filter, .. } => filter.as_ref(),
            RuleBody::Base { .. } => None,
        };
        if let Some(c) = condition {
            never_fires(cx, c);
        }
    }
}

/// `count(…) < 0` and the like: a count is never negative.
fn never_fires(cx: &mut Checker, e: &ast::Expr) {
    match &e.kind {
        A::Binary(BinOp::And | BinOp::Or, a, b) => {
            never_fires(cx, a);
            never_fires(cx, b);
        }
        A::Paren(x) => never_fires(cx, x),
        A::Binary(op @ (BinOp::Lt | BinOp::Le), l, r) if is_count(l) => {
            if let A::Number(n) = r.kind {
                let never = (*op == BinOp::Lt && n <= Decimal::ZERO)
                    || (*op == BinOp::Le && n < Decimal::ZERO);
                if never {
                    cx.push(
                        Diag::warning(Code::NeverFires, e.span, "this condition can never hold")
                            .label("a count is never below zero")
                            .help("did you mean `>` instead of `<`?"),
                    );
                }
            }
        }
        _ => {}
    }
}

fn is_count(e: &ast::Expr) -> bool {
    match &e.kind {
        A::Aggregate { func, .. } => *func == ast::AggFn::Count,
        A::Windowed(x, _) | A::Paren(x) => is_count(x),
        _ => false,
    }
}

/// The largest number of points a single record can take from an item, if it can be told.
fn largest(cx: &Checker, e: &model::Expr, kinds: &[usize]) -> Option<Decimal> {
    match &e.kind {
        M::Number(n) => Some(n.abs()),
        M::Neg(x) => largest(cx, x, kinds),
        M::RecordField(f) => {
            let k = *kinds.first()?;
            match &cx.kinds[k].fields.get(*f)?.ty {
                ValueType::Number { min, max, .. } => Some(
                    min.unwrap_or_default()
                        .abs()
                        .max(max.unwrap_or_default().abs()),
                ),
                _ => None,
            }
        }
        M::Table {
            entries, default, ..
        } => entries
            .iter()
            .map(|(_, v)| v)
            .chain(default.as_deref())
            .map(|v| largest(cx, v, kinds))
            .try_fold(Decimal::ZERO, |acc, v| v.map(|v| acc.max(v))),
        _ => None,
    }
}

fn over_budget(cx: &mut Checker, item: &model::Item) {
    for rule in &item.rules {
        let model::RuleBody::Per {
            events, effects, ..
        } = &rule.body
        else {
            continue;
        };
        if events.iter().any(|e| e.per_field.is_some()) {
            continue;
        }
        let kinds: Vec<usize> = events.iter().map(|e| e.kind).collect();
        for effect in effects {
            let model::Effect::Points {
                amount,
                from_total: false,
                span,
                ..
            } = effect
            else {
                continue;
            };
            let Some(n) = largest(cx, amount, &kinds) else {
                continue;
            };
            if n > item.budget {
                cx.push(
                    Diag::warning(Code::AmountOverBudget, *span, format!("one record takes {n} points from an item of {}", item.budget))
                        .label("larger than the item's budget")
                        .also(item.span, format!("`{}` holds {}", item.id, item.budget))
                        .help("the item's floor at 0 will cut it; if the regulation takes it from the whole score, add `from total`"),
                );
            }
        }
    }
}
