//! Sections, items, adjustments and their rules.

use std::collections::HashMap;

use super::Checker;
use super::expr::{Scope, Ty, condition, is_rate, lower, resolve_field, resolve_kind};
use super::model::{self, Target, Unit, ValueType};
use crate::diag::{Code, Diag, did_you_mean, list_names};
use crate::syntax::ast::{self, Decl, ExprKind as A, Modifier, RuleBody, Sign, Span};

mod amounts;
mod balance_cap;
mod bases;
mod cap;
mod carry;
mod demote;
mod effects;
mod modifiers;
mod roles;
mod rule;
mod steps;
mod validity;

use amounts::*;
use bases::*;
use cap::*;
use effects::*;
use modifiers::*;
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
                named(
                    cx,
                    (&mut block_ids, &mut block_labels),
                    (&s.id, &s.label),
                    (
                        crate::tr!("section", "板块"),
                        crate::tr!("a section or adjustments block", "板块或奖惩块"),
                    ),
                );
                let mut items = Vec::new();
                for item in &s.items {
                    named(
                        cx,
                        (&mut item_ids, &mut item_labels),
                        (&item.id, &item.label),
                        (crate::tr!("item", "项目"), crate::tr!("an item", "项目")),
                    );
                    items.push(check_item(cx, item));
                }
                sections.push(model::Section {
                    id: s.id.node.clone(),
                    label: s.label.node.clone(),
                    budget: s.budget.node,
                    items,
                    span: *s.span,
                    ledger: super::ledgers::section_ledger(cx, s, ast),
                });
            }
            Decl::Adjustments(a) => {
                named(
                    cx,
                    (&mut block_ids, &mut block_labels),
                    (&a.id, &a.label),
                    (
                        crate::tr!("adjustments block", "奖惩块"),
                        crate::tr!("a section or adjustments block", "板块或奖惩块"),
                    ),
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

/// A section's, an adjustments block's or an item's id and label: the label not empty, each unique
/// among those of its sort (`kind` names the declaration, `what` the sort, for messages).
fn named(
    cx: &mut Checker,
    (ids, labels): (&mut HashMap<String, Span>, &mut HashMap<String, Span>),
    (id, label): (&ast::Name, &ast::Spanned<String>),
    (kind, what): (&str, &str),
) {
    super::decls::empty_label(cx, label, kind, &id.node);
    unique(cx, ids, &id.node, *id.span, what, Code::DuplicateId);
    unique(
        cx,
        labels,
        &label.node,
        *label.span,
        what,
        Code::DuplicateLabel,
    );
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
            crate::tr!("id", "代号")
        } else {
            crate::tr!("label", "名称")
        };
        cx.push(
            Diag::error(
                code,
                span,
                crate::tr!(
                    format!("the {word} `{key}` is already used by {what}"),
                    crate::lang::spaced(&format!("{word} `{key}` 已经被另一个{what}用过了"))
                ),
            )
            .label(crate::tr!("used again", "又用了一次"))
            .also(*first, crate::tr!("first used here", "第一次在这里使用"))
            .help(crate::tr!(
                format!(
                    "give each {} its own {word}",
                    what.trim_start_matches("a ").trim_start_matches("an ")
                ),
                crate::lang::spaced(&format!(
                    "每个{}用不同的{word}",
                    what.trim_start_matches("a ").trim_start_matches("an ")
                ))
            )),
        );
    } else {
        seen.insert(key.to_string(), span);
    }
}

fn check_item(cx: &mut Checker, item: &ast::ItemDecl) -> model::Item {
    let errors = cx.errors();
    let applies = item.applies.as_ref().map(|e| {
        condition(
            cx,
            e,
            &Scope::roster_only(crate::tr!("an item's `for` condition", "项目的 `for` 条件")),
        )
    });
    if cx.errors() > errors {
        cx.unsure.push((item.span.start, item.span.end));
    }
    // A group the roster lacks is reported; the item stays scaled (everybody) for the lints.
    let scaled = item
        .scaled
        .as_ref()
        .map(|s| super::relative::item_groups(cx, s).unwrap_or_default());
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
        scaled,
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
                        Diag::error(
                            Code::Misplaced,
                            e.span,
                            crate::tr!(
                                "a rule has at most one `for`",
                                "一条条款最多只能有一个 `for`"
                            ),
                        )
                        .label(crate::tr!("second `for`", "第二个 `for`"))
                        .also(first, crate::tr!("first `for`", "第一个 `for`"))
                        .help(crate::tr!(
                            "join the conditions with `and`: `for head and temporary`",
                            "用 `and` 把条件连起来：`for head and temporary`"
                        )),
                    );
                    continue;
                }
                seen_for = Some(*e.span);
                applies = Some(condition(
                    cx,
                    e,
                    &Scope::roster_only(crate::tr!(
                        "a rule's `for` condition",
                        "条款的 `for` 条件"
                    )),
                ));
            }
            Modifier::Cap(..)
            | Modifier::SharedCap(_)
            | Modifier::Highest { .. }
            | Modifier::Once(_)
            | Modifier::Guard(_)
            | Modifier::Valid(_)
            | Modifier::Repeat(_)
                // On a balance card a `when` rule may say how long its steps count.
                if !(allow_cap || (cx.balance && matches!(m, Modifier::Valid(_)))) =>
            {
                per_only(cx, m);
            }
            _ => {}
        }
    }
    applies
}

/// Reports a modifier that only a `per` rule takes (`cap`, `highest per`, `once`, a guard, `valid`,
/// `repeat`) on a rule that is not one.
fn per_only(cx: &mut Checker, m: &Modifier) {
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
            crate::tr!(
                format!("`{word}` belongs to a `per` rule"),
                format!("`{word}` 只能用在 `per` 条款上")
            ),
        )
        .label(if matches!(m, Modifier::Valid(_) | Modifier::Repeat(_)) {
            crate::tr!("no records to keep here", "这里没有记录可以保留")
        } else {
            crate::tr!("no records to limit here", "这里没有记录可以限制")
        })
        .help(if matches!(m, Modifier::Valid(_) | Modifier::Repeat(_)) {
            crate::tr!(
                format!(
                    "`{word}` says how long each record of a `per` rule counts; write the rule as `per KIND …`, or remove it here"
                ),
                format!(
                    "`{word}` 规定 `per` 条款的每条记录管多久；把这条条款写成 `per KIND …`，或者去掉这里的 `{word}`"
                )
            )
        } else {
            crate::tr!(
                format!(
                    "`{word}` limits what the records of a `per` rule give; remove it here"
                ),
                format!("`{word}` 限制的是 `per` 条款中各条记录的分值；去掉这里的 `{word}`")
            )
        }),
    );
}
