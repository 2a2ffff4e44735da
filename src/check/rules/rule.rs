//! `per` and `when` rules: what they read, their effects, `cap` and `highest per`.

use super::*;
use crate::ops::Period;

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
                format!("{what} must be in points, not in {}", u.name()),
            )
            .label(format!("this is in {}", u.name()))
            .help(format!(
                "turn it into points with a rate, like `5 * …` for five points per {}",
                u.name().trim_end_matches('s')
            )),
        ),
        other => cx.push(
            Diag::error(
                Code::TypeMismatch,
                e.span,
                format!("{what} must be a number of points"),
            )
            .label(format!("this is {}", other.describe()))
            .help("write a number, a field in points, or a table like `level { city: 10, … }`"),
        ),
    }
}

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
                Diag::error(Code::Misplaced, value.span.to(rule.span), "`base` belongs inside an item")
                    .label("a base outside an item")
                    .help("an adjustments block only gives or takes points; move the base into the item it sets"),
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
            let scope = Scope::record(kinds.clone(), "a `where` filter").before_reaching();
            let filter = filter.as_ref().map(|f| condition(cx, f, &scope));
            let scope = Scope::record(kinds.clone(), "an amount").before_reaching();
            let effects = check_effects(cx, effects, place, &scope, true);
            let (cap, highest, guard, once) =
                per_modifiers(cx, rule, item, &kinds, &specs, &effects);
            let ast_effects = match &rule.body {
                RuleBody::Per { effects, .. } => effects.as_slice(),
                _ => &[],
            };
            let validity = super::validity::validity(cx, rule, &kinds, ast_effects, cap);
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
            let scope = Scope::rule(Vec::new(), "a `when` condition");
            let condition = condition(cx, cond, &scope);
            let scope = Scope::rule(Vec::new(), "an amount");
            let effects = check_effects(cx, effects, place, &scope, false);
            model::RuleBody::When { condition, effects }
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
                            format!("`per {}.{}` needs a number field", ev.kind.node, f.node),
                        )
                        .label("not a number")
                        .help(format!("write `per {}` to count records", ev.kind.node)),
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

/// A `per` rule's modifiers: its cap (its own, or a declared one it shares), `highest per` and its
/// `when` guard (`for` is read with every rule's, in `applies_of`).
fn per_modifiers(
    cx: &mut Checker,
    rule: &ast::Rule,
    item: Option<&ast::ItemDecl>,
    kinds: &[model::KindId],
    specs: &[model::EventSpec],
    effects: &[model::Effect],
) -> (
    Option<model::CapId>,
    Option<model::FieldId>,
    Option<model::Expr>,
    Option<model::OnceId>,
) {
    let mut cap = None;
    let mut highest: Option<(model::FieldId, Span)> = None;
    let mut once: Option<(model::OnceId, Span)> = None;
    let mut guard: Option<(model::Expr, Span)> = None;
    for m in &rule.modifiers {
        match m {
            Modifier::Cap(..) | Modifier::SharedCap(_) => {
                // A cap on points taken `from total` is not stopped by the item's floor.
                let in_item = effects.iter().all(|e| {
                    !matches!(
                        e,
                        model::Effect::Points {
                            from_total: true,
                            ..
                        }
                    )
                });
                if let Some(id) = rule_cap(cx, m, item.filter(|_| in_item)) {
                    set_cap(cx, &mut cap, id, m.span());
                }
            }
            Modifier::Highest { field, .. } => {
                if kinds.len() != 1 {
                    cx.push(
                        Diag::error(
                            Code::Misplaced,
                            m.span(),
                            "`highest per` needs a rule about one record kind",
                        )
                        .label("several kinds")
                        .help("write one rule per kind"),
                    );
                } else if let Some(i) = resolve_field(cx, kinds[0], field) {
                    highest = Some((i, m.span()));
                    let factor = specs.first().and_then(|s| s.per_field);
                    highest_signs(cx, effects, kinds[0], factor, m.span());
                }
            }
            Modifier::Once(name) => {
                if cx.balance {
                    cx.push(
                        Diag::error(
                            Code::Misplaced,
                            name.span,
                            "a `once` group cannot be used on a balance card",
                        )
                        .label("one act counted once")
                        .help("a balance keeps each record as an entry with its own validity; comparing the entries of one act is not supported there yet: keep one rule per act, or `highest per` a field within one rule"),
                    );
                    continue;
                }
                if let Some((_, first)) = &once {
                    cx.push(
                        Diag::error(
                            Code::Misplaced,
                            name.span,
                            "a rule is in at most one `once` group",
                        )
                        .label("second group")
                        .also(*first, "first group")
                        .help("keep one: an act counts once within the group it names"),
                    );
                    continue;
                }
                let Some(g) = crate::check::once::resolve(cx, name) else {
                    continue;
                };
                let amounts = effects
                    .iter()
                    .filter(|e| matches!(e, model::Effect::Points { .. }))
                    .count();
                if amounts != 1 {
                    let said = if amounts == 0 {
                        "no amount"
                    } else {
                        "several amounts"
                    };
                    cx.push(
                        Diag::error(
                            Code::Misplaced,
                            name.span,
                            format!("a rule in a `once` group needs exactly one amount, and this one has {said}"),
                        )
                        .label("compares the rule's amount with the group's other rules'")
                        .also(rule.span, "the rule")
                        .help("the act keeps the rule with the largest amount: give the rule one amount (`+5`, `-points`), and write other amounts as rules of their own"),
                    );
                    continue;
                }
                once = Some((g, *name.span));
            }
            Modifier::For(_) | Modifier::Valid(_) | Modifier::Repeat(_) => {}
            Modifier::Guard(e) => {
                if let Some((_, first)) = &guard {
                    cx.push(
                        Diag::error(
                            Code::Misplaced,
                            e.span,
                            "a rule has at most one `when` after its effects",
                        )
                        .label("second `when`")
                        .also(*first, "first `when`")
                        .help("join the conditions with `and`"),
                    );
                    continue;
                }
                // A guard reads the person's months, not the record: a field of the rule's
                // records belongs in its `where` filter.
                if let Some((name, kind)) = record_field_in(cx, e, kinds) {
                    cx.push(
                        Diag::error(
                            Code::Misplaced,
                            name.span,
                            format!("a `when` after the effects cannot read the record's `{}`", name.node),
                        )
                        .label(format!("a field of `{kind}` records"))
                        .help(format!("the guard reads the person's months and year; to choose records, write `where {} …` after the kind", name.node)),
                    );
                    continue;
                }
                let scope = Scope::rule(Vec::new(), "a rule's `when` guard");
                let g = condition(cx, e, &scope);
                if let Some(other) = effects
                    .iter()
                    .find(|x| !matches!(x, model::Effect::Points { .. }))
                {
                    let what = match other {
                        model::Effect::Zero => "`zero`",
                        model::Effect::Flag(_) => "a flag",
                        model::Effect::SetGrade(_) => "a grade",
                        model::Effect::Exclude(_) => "an exclusion",
                        model::Effect::SetScore(_) => "a score",
                        _ => "a grade cap",
                    };
                    cx.push(
                        Diag::error(Code::Misplaced, e.span, format!("`when` after the effects holds back points only, and this rule also gives {what}"))
                            .label("holds back the rule's points")
                            .also(rule.span, "the rule")
                            .help("write the other effect as a `when` rule of its own: `when CONDITION: zero`"),
                    );
                }
                guard = Some((g, *e.span));
            }
        }
    }
    if let (Some((_, h)), Some((_, o))) = (highest, once) {
        cx.push(
            Diag::error(
                Code::Misplaced,
                o,
                "`once` and `highest per` on one rule",
            )
            .label("one act among the group's rules")
            .also(h, "one record among the rule's own")
            .help("a `once` group keeps one effect per act already: declare it `per FIELD` with the field of `highest per`, and remove `highest per`"),
        );
    }
    (
        cap.map(|(id, _)| id),
        highest.map(|(f, _)| f),
        guard.map(|(g, _)| g),
        once.map(|(g, _)| g),
    )
}

/// `highest per` keeps the record with the largest effect by size: the biggest reward or the most
/// severe deduction. An amount that can be either for different records makes that a comparison
/// of a reward with a deduction by size alone: a warning.
pub(super) fn highest_signs(
    cx: &mut Checker,
    effects: &[model::Effect],
    kind: usize,
    factor: Option<usize>,
    span: Span,
) {
    let Some(amount) = effects.iter().find_map(|e| match e {
        model::Effect::Points { amount, .. } => Some(amount),
        _ => None,
    }) else {
        return;
    };
    let (below, above) = crate::check::once::signs(cx, amount, kind, factor, span);
    if below && above {
        cx.push(
            Diag::warning(
                Code::HighestMixedSigns,
                span,
                "the amount can be a reward for one record and a deduction for another",
            )
            .label("keeps the record with the largest effect by size")
            .also(amount.span, "can be above or below 0")
            .help("`highest per` keeps the biggest reward or the most severe deduction; write one rule for rewards and one for deductions, or declare the field's range so that its sign is known"),
        );
    }
}

pub(super) fn check_effects(
    cx: &mut Checker,
    effects: &[ast::Effect],
    place: Place,
    scope: &Scope,
    per: bool,
) -> Vec<model::Effect> {
    let mut out = Vec::new();
    for effect in effects {
        match effect {
            ast::Effect::Zero(span) => {
                if matches!(place, Place::Adjustments) {
                    cx.push(
                        Diag::error(Code::Misplaced, *span, "`zero` belongs inside an item")
                            .label("no item to zero here")
                            .help("`zero` sets the item's score to 0; in an adjustments block take points instead, like `-100`"),
                    );
                    continue;
                }
                out.push(model::Effect::Zero);
            }
            ast::Effect::Flag(text) => {
                if crate::check::decls::blank(&text.node) {
                    cx.push(
                        Diag::error(Code::EmptyLabel, text.span, "a flag with an empty text")
                            .label("no text here")
                            .help("write the consequence the regulation names, like `flag \"予辞退\"`; it is printed beside the person's result"),
                    );
                    continue;
                }
                crate::check::decls::hidden_characters(cx, text, "the flag's text");
                out.push(model::Effect::Flag(text.node.clone()));
            }
            ast::Effect::Exclude(text) => {
                if crate::check::decls::blank(&text.node) {
                    cx.push(
                        Diag::error(Code::EmptyLabel, text.span, "an exclusion with an empty reason")
                            .label("no text here")
                            .help("write why the person is not evaluated, like `exclude \"在校学生\"`; it is printed beside the person's year"),
                    );
                    continue;
                }
                crate::check::decls::hidden_characters(cx, text, "the exclusion's reason");
                out.push(model::Effect::Exclude(text.node.clone()));
            }
            ast::Effect::GradeCap { grade, .. } => {
                if let Some(g) = known_grade(cx, grade) {
                    out.push(model::Effect::GradeCap(g));
                }
            }
            ast::Effect::SetGrade { grade, .. } => {
                if let Some(g) = known_grade(cx, grade) {
                    out.push(model::Effect::SetGrade(g));
                }
            }
            // The grammar takes no sign: a score set is never below 0. It is published like any
            // result, so it must fit the policy's `round`.
            ast::Effect::SetScore(n) => {
                let (places, mode) = cx.publication;
                if crate::exact::Exact::from_decimal(n.node)
                    .round(places, mode)
                    .is_none()
                {
                    cx.push(
                        Diag::error(Code::TooLarge, n.span, "a score too large to publish")
                            .label(format!("cannot be published with {places} decimals"))
                            .help("write the result the regulation sets, like `score 0`"),
                    );
                } else {
                    out.push(model::Effect::SetScore(n.node));
                }
            }
            ast::Effect::Amount(a) => {
                if let Some(e) = amount(cx, a, scope, per) {
                    out.push(e);
                }
            }
        }
    }
    out
}

/// The grade a `grade …` effect names; `None` after reporting one the `grades` block lacks.
fn known_grade(cx: &mut Checker, grade: &ast::Name) -> Option<model::GradeId> {
    if let Some(g) = cx.grade(&grade.node) {
        return Some(g);
    }
    let names: Vec<String> = cx.grades.iter().map(|g| g.name.clone()).collect();
    let help = did_you_mean(&grade.node, names.iter().map(String::as_str))
        .unwrap_or_else(|| format!("the grades are {}", list_names(&names)));
    cx.push(
        Diag::error(
            Code::UnknownGrade,
            grade.span,
            format!("unknown grade `{}`", grade.node),
        )
        .label("not in the `grades` block")
        .help(help)
        .fix(
            grade.span,
            crate::diag::closest(&grade.node, names.iter().map(String::as_str)),
        ),
    );
    None
}

/// The cap a `cap …` modifier puts on its rule: the rule's own (`cap 40`, `cap 3 in year`), or a
/// declared one it shares (`cap donations`); `None` after reporting a cap that cannot be.
fn rule_cap(cx: &mut Checker, m: &Modifier, item: Option<&ast::ItemDecl>) -> Option<model::CapId> {
    match m {
        Modifier::Cap(c, period) => {
            if c.node <= rust_decimal::Decimal::ZERO {
                cx.push(
                    Diag::error(Code::BadRange, c.span, "a cap must be above zero")
                        .label("not above zero")
                        .help("write how many points the rule may give or take in a month, like `cap 40`"),
                );
            }
            let period = period.as_ref().map_or(Period::Month, |p| p.node);
            if let (Some(item), Period::Month) = (item, period) {
                if c.node >= item.budget.node {
                    cx.push(
                        Diag::warning(
                            Code::CapNeverBinds,
                            c.span,
                            format!("`cap {}` can never bind", c.node),
                        )
                        .label(format!("the item holds only {} points", item.budget.node))
                        .also(item.budget.span, "the item's budget")
                        .help(
                            "the item's floor stops deductions first; lower the cap or remove it",
                        ),
                    );
                }
            }
            cx.caps.push(model::Cap {
                limit: c.node,
                period,
                name: None,
                span: m.span(),
            });
            Some(cx.caps.len() - 1)
        }
        Modifier::SharedCap(name) => {
            let found = cx
                .caps
                .iter()
                .position(|c| c.name.as_ref().is_some_and(|(id, _)| *id == name.node));
            match found {
                Some(id) => Some(id),
                None => {
                    let declared: Vec<&str> = cx
                        .caps
                        .iter()
                        .filter_map(|c| c.name.as_ref().map(|(id, _)| id.as_str()))
                        .collect();
                    let help = crate::diag::did_you_mean(&name.node, declared.iter().copied())
                        .unwrap_or_else(|| format!("declare it before the sections: `cap {} \"…\" 40 in year`, or write the rule's own `cap 40`", name.node));
                    cx.push(
                        Diag::error(
                            Code::UnknownCap,
                            name.span,
                            format!("unknown cap `{}`", name.node),
                        )
                        .label("no cap declared with this id")
                        .help(help)
                        .fix(
                            name.span,
                            crate::diag::closest(&name.node, declared.iter().copied()),
                        ),
                    );
                    None
                }
            }
        }
        _ => None,
    }
}

/// Sets the rule's cap; a second cap on one rule is an error (one cap decides what counts).
fn set_cap(cx: &mut Checker, cap: &mut Option<(model::CapId, Span)>, id: model::CapId, span: Span) {
    match cap {
        Some((_, first)) => cx.push(
            Diag::error(Code::Misplaced, span, "a rule has at most one cap")
                .label("second cap")
                .also(*first, "first cap")
                .help("keep one: a rule's own `cap 40`, or the shared cap it counts towards"),
        ),
        None => *cap = Some((id, span)),
    }
}

/// The first bare name in `e` (outside aggregates, which read their own records) that is a field
/// of one of `kinds` and not a roster column, with that kind's id.
fn record_field_in<'e>(
    cx: &Checker,
    e: &'e ast::Expr,
    kinds: &[model::KindId],
) -> Option<(&'e ast::Name, String)> {
    use crate::syntax::ast::ExprKind as A;
    let here = |name: &ast::Name| -> Option<String> {
        if cx.column(&name.node).is_some() {
            return None;
        }
        kinds
            .iter()
            .map(|&k| &cx.kinds[k])
            .find(|k| k.fields.iter().any(|f| f.name == name.node))
            .map(|k| k.id.clone())
    };
    match &e.kind {
        A::Path(name, None) => here(name).map(|k| (name, k)),
        A::Not(x) | A::Neg(x) | A::Paren(x) | A::Member(x, _) | A::Windowed(x, _) => {
            record_field_in(cx, x, kinds)
        }
        A::Binary(_, a, b) => {
            record_field_in(cx, a, kinds).or_else(|| record_field_in(cx, b, kinds))
        }
        A::Table(key, entries) => record_field_in(cx, key, kinds).or_else(|| {
            entries
                .iter()
                .find_map(|en| record_field_in(cx, &en.value, kinds))
        }),
        A::Call(_, args) => args.iter().find_map(|a| record_field_in(cx, a, kinds)),
        A::Number(_)
        | A::Clock(_)
        | A::Text(_)
        | A::Path(_, Some(_))
        | A::Aggregate { .. }
        | A::Error => None,
    }
}
