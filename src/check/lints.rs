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
                crate::tr!(
                    format!("the record kind `{id}` is never used"),
                    format!("记录类型 `{id}` 没有用到")
                ),
            )
            .label(crate::tr!("no rule reads it", "没有条款用到它"))
            .help(
                crate::tr!(
                    "write a rule for it, delete it, or mark it `not scored` if it is kept on file only",
                    "为它写一条条款、删掉它，或者如果只是存档备查，标上 `not scored`"
                ),
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
                Diag::warning(Code::NoCitation, ast::Span::new(start, word_end), crate::tr!(
                    "this rule cites no clause",
                    "这条条款没有注明制度条款编号"
                ))
                    .label(crate::tr!("no `[…]` before the rule", "条款前面没有 `[…]`"))
                    .help(crate::tr!(
                        "write the clause it implements in front, like `[2.1.1] per late -5`, so every score can be traced",
                        "在前面写上它对应的制度条款，比如 `[2.1.1] per late -5`，这样每一分都能查到出处"
                    )),
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
                    crate::tr!(
                        "this rule repeats an earlier one",
                        "这条条款和前面的一条重复"
                    ),
                )
                .label(crate::tr!("the same rule again", "又写了一遍同样的条款"))
                .also(
                    first.span,
                    crate::tr!("first written here", "第一次写在这里"),
                )
                .help(crate::tr!(
                    "both apply, so the effect counts twice; delete one of them",
                    "两条都会生效，分数会算两次；删掉其中一条"
                )),
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
                        Diag::warning(
                            Code::NeverFires,
                            e.span,
                            crate::tr!("this condition can never hold", "这个条件永远不会成立"),
                        )
                        .label(crate::tr!("a count is never below zero", "次数不会小于零"))
                        .help(crate::tr!(
                            "did you mean `>` instead of `<`?",
                            "是不是要把 `<` 写成 `>`？"
                        )),
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
    // A scaled item's own value is in any unit (§32): only the scaled score is held to the budget.
    if item.scaled.is_some() {
        return;
    }
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
                    Diag::warning(Code::AmountOverBudget, *span, crate::tr!(
                        format!("one record takes {n} points from an item of {}", item.budget),
                        format!("一条记录扣 {n} 分，而这个项目只有 {} 分", item.budget)
                    ))
                        .label(crate::tr!("larger than the item's budget", "超过了项目分值"))
                        .also(item.span, crate::tr!(
                            format!("`{}` holds {}", item.id, item.budget),
                            format!("`{}` 的分值是 {}", item.id, item.budget)
                        ))
                        .help(crate::tr!(
                            "the item's floor at 0 will cut it; if the regulation takes it from the whole score, add `from total`",
                            "项目最低扣到 0 分，多出的部分扣不到；如果制度规定从总分里扣，加上 `from total`"
                        )),
                );
            }
        }
    }
}
