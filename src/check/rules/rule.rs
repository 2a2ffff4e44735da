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
                            crate::tr!(
                                "`highest per` needs a rule about one record kind",
                                "`highest per` 要求条款只针对一种记录类型"
                            ),
                        )
                        .label(crate::tr!("several kinds", "有几种记录类型"))
                        .help(crate::tr!(
                            "write one rule per kind",
                            "每种记录类型各写一条条款"
                        )),
                    );
                } else if let Some(i) = resolve_field(cx, kinds[0], field) {
                    highest = Some((i, m.span()));
                    let factor = specs.first().and_then(|s| s.per_field);
                    highest_signs(cx, effects, kinds[0], factor, m.span());
                }
            }
            Modifier::Once(name) => {
                if let Some((_, first)) = &once {
                    cx.push(
                        Diag::error(
                            Code::Misplaced,
                            name.span,
                            crate::tr!(
                                "a rule is in at most one `once` group",
                                "一条条款最多只能属于一个 `once` 组"
                            ),
                        )
                        .label(crate::tr!("second group", "第二个组"))
                        .also(*first, crate::tr!("first group", "第一个组"))
                        .help(crate::tr!(
                            "keep one: an act counts once within the group it names",
                            "只留一个：同一件事在它所属的组里只计一次"
                        )),
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
                        crate::tr!("no amount", "没有分值")
                    } else {
                        crate::tr!("several amounts", "有几个分值")
                    };
                    cx.push(
                        Diag::error(
                            Code::Misplaced,
                            name.span,
                            crate::tr!(
                                format!(
                                    "a rule in a `once` group needs exactly one amount, and this one has {said}"
                                ),
                                crate::lang::spaced(&format!("`once` 组里的条款必须正好有一个分值，而这一条{said}"))
                            ),
                        )
                        .label(crate::tr!(
                            "compares the rule's amount with the group's other rules'",
                            "拿这条条款的分值和组里其他条款比较"
                        ))
                        .also(rule.span, crate::tr!("the rule", "这条条款"))
                        .help(crate::tr!(
                            "the act keeps the rule with the largest amount: give the rule one amount (`+5`, `-points`), and write other amounts as rules of their own",
                            "同一件事按分值最大的那条条款计：给这条条款只写一个分值（`+5`、`-points`），其他分值各自另写条款"
                        )),
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
                            crate::tr!(
                                "a rule has at most one `when` after its effects",
                                "一条条款在分值后面最多只能有一个 `when`"
                            ),
                        )
                        .label(crate::tr!("second `when`", "第二个 `when`"))
                        .also(*first, crate::tr!("first `when`", "第一个 `when`"))
                        .help(crate::tr!(
                            "join the conditions with `and`",
                            "用 `and` 把条件连起来"
                        )),
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
                            crate::tr!(
                                format!(
                                    "a `when` after the effects cannot read the record's `{}`",
                                    name.node
                                ),
                                format!("写在分值后面的 `when` 不能读取记录的 `{}`", name.node)
                            ),
                        )
                        .label(crate::tr!(
                            format!("a field of `{kind}` records"),
                            format!("`{kind}` 记录的字段")
                        ))
                        .help(crate::tr!(
                            format!(
                                "the guard reads the person's months and year; to choose records, write `where {} …` after the kind",
                                name.node
                            ),
                            format!("这个条件看的是人员的月度和年度情况；要筛选记录，在记录类型后面写 `where {} …`", name.node)
                        )),
                    );
                    continue;
                }
                let scope = Scope::rule(
                    Vec::new(),
                    crate::tr!("a rule's `when` guard", "条款后面的 `when` 条件"),
                );
                let g = condition(cx, e, &scope);
                if let Some(other) = effects
                    .iter()
                    .find(|x| !matches!(x, model::Effect::Points { .. }))
                {
                    let what = match other {
                        model::Effect::Zero => "`zero`",
                        model::Effect::Flag(_) => crate::tr!("a flag", "备注"),
                        model::Effect::SetGrade(_) => crate::tr!("a grade", "等次"),
                        model::Effect::Exclude(_) => crate::tr!("an exclusion", "取消资格"),
                        model::Effect::SetScore(_) => crate::tr!("a score", "定分"),
                        _ => crate::tr!("a grade cap", "等次上限"),
                    };
                    cx.push(
                        Diag::error(Code::Misplaced, e.span, crate::tr!(
                            format!(
                                "`when` after the effects holds back points only, and this rule also gives {what}"
                            ),
                            crate::lang::spaced(&format!("写在分值后面的 `when` 只能扣住分值不给，而这条条款还有{what}"))
                        ))
                            .label(crate::tr!("holds back the rule's points", "扣住这条条款的分值"))
                            .also(rule.span, crate::tr!("the rule", "这条条款"))
                            .help(crate::tr!(
                                "write the other effect as a `when` rule of its own: `when CONDITION: zero`",
                                "把另一项处理单独写成一条 `when` 条款：`when CONDITION: zero`"
                            )),
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
                crate::tr!(
                    "`once` and `highest per` on one rule",
                    "一条条款同时用了 `once` 和 `highest per`"
                ),
            )
            .label(crate::tr!("one act among the group's rules", "在组内各条款中认定同一件事"))
            .also(h, crate::tr!("one record among the rule's own", "在本条款的记录中取一条"))
            .help(crate::tr!(
                "a `once` group keeps one effect per act already: declare it `per FIELD` with the field of `highest per`, and remove `highest per`",
                "`once` 组本来就是每件事只留一项：把组声明成 `per FIELD`（用 `highest per` 的那个字段），再去掉 `highest per`"
            )),
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
    let Some(amount) = model::first_points(effects) else {
        return;
    };
    let (below, above) = crate::check::once::signs(cx, amount, kind, factor, span);
    if below && above {
        cx.push(
            Diag::warning(
                Code::HighestMixedSigns,
                span,
                crate::tr!(
                    "the amount can be a reward for one record and a deduction for another",
                    "这个分值可能对一条记录是加分、对另一条是扣分"
                ),
            )
            .label(crate::tr!("keeps the record with the largest effect by size", "保留绝对值最大的那条记录"))
            .also(amount.span, crate::tr!("can be above or below 0", "可能大于 0，也可能小于 0"))
            .help(crate::tr!(
                "`highest per` keeps the biggest reward or the most severe deduction; write one rule for rewards and one for deductions, or declare the field's range so that its sign is known",
                "`highest per` 保留加得最多或扣得最重的一项：加分和扣分各写一条条款，或者写明字段的取值范围，让正负号确定下来"
            )),
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
                        Diag::error(Code::Misplaced, *span, crate::tr!(
                            "`zero` belongs inside an item",
                            "`zero` 只能写在项目里面"
                        ))
                            .label(crate::tr!("no item to zero here", "这里没有项目可以清零"))
                            .help(crate::tr!(
                                "`zero` sets the item's score to 0; in an adjustments block take points instead, like `-100`",
                                "`zero` 把项目得分清零；奖惩块里请改成扣分，比如 `-100`"
                            )),
                    );
                    continue;
                }
                out.push(model::Effect::Zero);
            }
            ast::Effect::Flag(text) => {
                let empty = crate::tr!(
                    (
                        "a flag with an empty text",
                        "write the consequence the regulation names, like `flag \"予辞退\"`; it is printed beside the person's result"
                    ),
                    (
                        "备注的文字是空的",
                        "写上制度规定的处理，比如 `flag \"予辞退\"`；它会作为备注印在这个人的结果旁边"
                    )
                );
                let what = crate::tr!("the flag's text", "备注的文字");
                if let Some(text) = effect_text(cx, text, empty, what) {
                    out.push(model::Effect::Flag(text));
                }
            }
            ast::Effect::Exclude(text) => {
                let empty = crate::tr!(
                    (
                        "an exclusion with an empty reason",
                        "write why the person is not evaluated, like `exclude \"在校学生\"`; it is printed beside the person's year"
                    ),
                    (
                        "取消资格没有写理由",
                        "写明这个人为什么不参加考核，比如 `exclude \"在校学生\"`；它会印在这个人的年度结果旁边"
                    )
                );
                let what = crate::tr!("the exclusion's reason", "取消资格的理由");
                if let Some(text) = effect_text(cx, text, empty, what) {
                    out.push(model::Effect::Exclude(text));
                }
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
                        Diag::error(
                            Code::TooLarge,
                            n.span,
                            crate::tr!("a score too large to publish", "分数太大，无法公布"),
                        )
                        .label(crate::tr!(
                            format!("cannot be published with {places} decimals"),
                            format!("保留 {places} 位小数无法公布")
                        ))
                        .help(crate::tr!(
                            "write the result the regulation sets, like `score 0`",
                            "写上制度规定的结果，比如 `score 0`"
                        )),
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

/// The text of a `flag` or `exclude` effect; `None` after reporting an empty one (`empty` is the
/// message and the help). A character nobody can see is reported as well (`what` names the text).
fn effect_text(
    cx: &mut Checker,
    text: &ast::Spanned<String>,
    (message, help): (&str, &str),
    what: &str,
) -> Option<String> {
    if crate::check::decls::blank(&text.node) {
        cx.push(
            Diag::error(Code::EmptyLabel, text.span, message)
                .label(crate::tr!("no text here", "这里没有文字"))
                .help(help),
        );
        return None;
    }
    crate::check::decls::hidden_characters(cx, text, what);
    Some(text.node.clone())
}

/// The grade a `grade …` effect names; `None` after reporting one the `grades` block lacks.
fn known_grade(cx: &mut Checker, grade: &ast::Name) -> Option<model::GradeId> {
    if let Some(g) = cx.grade(&grade.node) {
        return Some(g);
    }
    let names: Vec<String> = cx.grades.iter().map(|g| g.name.clone()).collect();
    let help = did_you_mean(&grade.node, names.iter().map(String::as_str)).unwrap_or_else(|| {
        crate::tr!(
            format!("the grades are {}", list_names(&names)),
            format!("等次有 {}", list_names(&names))
        )
    });
    cx.push(
        Diag::error(
            Code::UnknownGrade,
            grade.span,
            crate::tr!(
                format!("unknown grade `{}`", grade.node),
                format!("没有 `{}` 这个等次", grade.node)
            ),
        )
        .label(crate::tr!(
            "not in the `grades` block",
            "不在 `grades` 这一块里"
        ))
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
                    Diag::error(
                        Code::BadRange,
                        c.span,
                        crate::tr!("a cap must be above zero", "封顶必须大于零"),
                    )
                    .label(crate::tr!("not above zero", "没有大于零"))
                    .help(crate::tr!(
                        "write how many points the rule may give or take in a month, like `cap 40`",
                        "写明这条条款一个月最多能加或扣多少分，比如 `cap 40`"
                    )),
                );
            }
            let period = period.as_ref().map_or(Period::Month, |p| p.node);
            if let (Some(item), Period::Month) = (item, period) {
                if c.node >= item.budget.node {
                    cx.push(
                        Diag::warning(
                            Code::CapNeverBinds,
                            c.span,
                            crate::tr!(
                                format!("`cap {}` can never bind", c.node),
                                format!("`cap {}` 永远不起作用", c.node)
                            ),
                        )
                        .label(crate::tr!(
                            format!("the item holds only {} points", item.budget.node),
                            format!("这个项目只有 {} 分", item.budget.node)
                        ))
                        .also(
                            item.budget.span,
                            crate::tr!("the item's budget", "项目分值"),
                        )
                        .help(crate::tr!(
                            "the item's floor stops deductions first; lower the cap or remove it",
                            "项目扣到 0 分就不再扣了，封顶起不到作用；调低封顶或者去掉它"
                        )),
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
                        .unwrap_or_else(|| crate::tr!(
                            format!(
                                "declare it before the sections: `cap {} \"…\" 40 in year`, or write the rule's own `cap 40`",
                                name.node
                            ),
                            format!(
                                "在各板块之前声明它：`cap {} \"…\" 40 in year`，或者给这条条款单独写 `cap 40`",
                                name.node
                            )
                        ));
                    cx.push(
                        Diag::error(
                            Code::UnknownCap,
                            name.span,
                            crate::tr!(
                                format!("unknown cap `{}`", name.node),
                                format!("没有 `{}` 这个封顶", name.node)
                            ),
                        )
                        .label(crate::tr!(
                            "no cap declared with this id",
                            "没有声明过这个代号的封顶"
                        ))
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
            Diag::error(
                Code::Misplaced,
                span,
                crate::tr!("a rule has at most one cap", "一条条款最多只能有一个封顶"),
            )
            .label(crate::tr!("second cap", "第二个封顶"))
            .also(*first, crate::tr!("first cap", "第一个封顶"))
            .help(crate::tr!(
                "keep one: a rule's own `cap 40`, or the shared cap it counts towards",
                "只留一个：条款自己的 `cap 40`，或者它计入的共用封顶"
            )),
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
