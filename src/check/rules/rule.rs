//! `per` and `when` rules: what they read; their modifiers, effects and cap have files of their own.

use super::*;

/// Amounts and bases are points; a plain number counts as points, and so does a written rate
/// times a quantity (`5 * (100 - sum(visit.households) in year)`: five points per household).
pub(super) fn points_like(cx: &mut Checker, ty: &Ty, e: &ast::Expr, what: &str) {
    match ty {
        Ty::Num(Unit::Points | Unit::Number) | Ty::Lit | Ty::Error => {}
        Ty::Num(u) if is_rate(e) => {
            let _ = u;
        }
        Ty::Num(u) => cx.push(
            Diag::error(
                Code::NotPoints,
                e.span,
                crate::tr!(
                    format!("{what} must be in points, not in {}", u.name()),
                    crate::lang::spaced(&format!(
                        "{what}必须以分为单位，不能以{}为单位",
                        u.chinese().0
                    ))
                ),
            )
            .label(crate::tr!(
                format!("this is in {}", u.name()),
                format!("这里的单位是{}", u.chinese().0)
            ))
            .help(crate::tr!(
                format!(
                    "turn it into points with a rate, like `5 * …` for five points per {}",
                    u.name().trim_end_matches('s')
                ),
                format!(
                    "乘上一个分值把它换算成分，比如 `5 * …` 表示每{}记 5 分",
                    u.chinese().0
                )
            )),
        ),
        other => cx.push(
            Diag::error(
                Code::TypeMismatch,
                e.span,
                crate::tr!(
                    format!("{what} must be a number of points"),
                    crate::lang::spaced(&format!("{what}必须是分数"))
                ),
            )
            .label(crate::tr!(
                format!("this is {}", other.describe()),
                crate::lang::spaced(&format!("这是{}", other.describe()))
            ))
            .help(crate::tr!(
                "write a number, a field in points, or a table like `level { city: 10, … }`",
                "写一个数、一个以分为单位的字段，或者像 `level { city: 10, … }` 这样的对照表"
            )),
        ),
    }
}

// Long on purpose: one arm per kind of rule body (`base`, `per`, `when`), read where it is written.
pub(super) fn check_rule(
    cx: &mut Checker,
    rule: &ast::Rule,
    place: Place,
    item: Option<&ast::ItemDecl>,
) -> Option<model::Rule> {
    let clause = rule.citation.as_ref().map(|c| c.node.clone());
    let text = crate::fmt::rule_text(rule);
    let body = match &rule.body {
        RuleBody::Base { value } => {
            cx.push(
                Diag::error(Code::Misplaced, value.span.to(rule.span), crate::tr!(
                    "`base` belongs inside an item",
                    "`base` 只能写在项目里面"
                ))
                    .label(crate::tr!("a base outside an item", "项目外面的基础分"))
                    .help(crate::tr!(
                        "an adjustments block only gives or takes points; move the base into the item it sets",
                        "奖惩块只管加分扣分；把基础分移到它所属的项目里"
                    )),
            );
            return None;
        }
        RuleBody::Per {
            events,
            filter,
            effects,
        } => {
            let (kinds, specs) = per_events(cx, events);
            if specs.len() != events.len() {
                return None;
            }
            let scope = Scope::record(
                kinds.clone(),
                crate::tr!("a `where` filter", "`where` 筛选条件"),
            )
            .before_reaching();
            let filter = filter.as_ref().map(|f| condition(cx, f, &scope));
            let scope =
                Scope::record(kinds.clone(), crate::tr!("an amount", "分值")).before_reaching();
            let effects = check_effects(cx, effects, place, &scope, true);
            let (cap, highest, guard, once) =
                per_modifiers(cx, rule, item, &kinds, &specs, &effects);
            let ast_effects = match &rule.body {
                RuleBody::Per { effects, .. } => effects.as_slice(),
                _ => &[],
            };
            let validity = super::validity::validity(cx, rule, &kinds, ast_effects);
            super::demote::freeze_by_person(cx, rule, &kinds, &effects);
            super::balance_cap::balance_cap(
                cx,
                rule,
                &kinds,
                &effects,
                cap,
                (highest.is_some(), guard.is_some()),
            );
            model::RuleBody::Per {
                events: specs,
                filter,
                effects,
                cap,
                guard,
                highest,
                once,
                validity,
            }
        }
        RuleBody::When {
            condition: cond,
            effects,
        } => {
            let scope = Scope::rule(Vec::new(), crate::tr!("a `when` condition", "`when` 条件"));
            let condition = condition(cx, cond, &scope);
            let scope = Scope::rule(Vec::new(), crate::tr!("an amount", "分值"));
            let effects = check_effects(cx, effects, place, &scope, false);
            let validity = super::steps::when_validity(cx, rule, &condition, &effects);
            model::RuleBody::When {
                condition,
                effects,
                validity,
            }
        }
    };
    let applies = applies_of(cx, rule, matches!(body, model::RuleBody::Per { .. }));
    let formula = match &body {
        model::RuleBody::When { condition, .. } => formula(cx, condition),
        model::RuleBody::Per { .. } => Vec::new(),
    };
    Some(model::Rule {
        clause,
        applies,
        body,
        text,
        formula,
        span: *rule.span,
    })
}

/// A `per` rule's record kinds, each with the field its amount is multiplied by (`per
/// volunteer.hours`); kinds or fields that do not resolve are reported and left out.
fn per_events(
    cx: &mut Checker,
    events: &[ast::Event],
) -> (Vec<model::KindId>, Vec<model::EventSpec>) {
    let mut kinds = Vec::new();
    let mut specs = Vec::new();
    for ev in events {
        let Some(k) = resolve_kind(cx, &ev.kind) else {
            continue;
        };
        let per_field = match &ev.per_field {
            Some(f) => {
                let Some(i) = resolve_field(cx, k, f) else {
                    continue;
                };
                let field = &cx.kinds[k].fields[i];
                let numeric = matches!(field.ty, ValueType::Number { .. });
                if !numeric && !cx.is_untyped(field.span) {
                    cx.push(
                        Diag::error(
                            Code::NotNumeric,
                            f.span,
                            crate::tr!(
                                format!("`per {}.{}` needs a number field", ev.kind.node, f.node),
                                format!("`per {}.{}` 需要一个数值字段", ev.kind.node, f.node)
                            ),
                        )
                        .label(crate::tr!("not a number", "不是数值"))
                        .help(crate::tr!(
                            format!("write `per {}` to count records", ev.kind.node),
                            format!("要按记录条数计，写 `per {}`", ev.kind.node)
                        )),
                    );
                }
                Some(i)
            }
            None => None,
        };
        kinds.push(k);
        specs.push(model::EventSpec { kind: k, per_field });
    }
    (kinds, specs)
}
