//! A `per` rule's modifiers: its cap, `highest per`, `once` and its `when` guard.

use super::*;

/// A `per` rule's modifiers: its cap (its own, or a declared one it shares), `highest per` and its
/// `when` guard (`for` is read with every rule's, in `applies_of`).
pub(super) fn per_modifiers(
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
                if let Some(h) = highest_of(cx, m, field, kinds, specs, effects) {
                    highest = Some(h);
                }
            }
            Modifier::Once(name) => {
                if let Some(o) = once_of(cx, rule, name, &once, effects) {
                    once = Some(o);
                }
            }
            Modifier::For(_) | Modifier::Valid(_) | Modifier::Repeat(_) => {}
            Modifier::Guard(e) => {
                if let Some(g) = guard_of(cx, rule, e, &guard, kinds, effects) {
                    guard = Some(g);
                }
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

/// `highest per FIELD`: the field, on a rule about one record kind.
fn highest_of(
    cx: &mut Checker,
    m: &Modifier,
    field: &ast::Name,
    kinds: &[model::KindId],
    specs: &[model::EventSpec],
    effects: &[model::Effect],
) -> Option<(model::FieldId, Span)> {
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
        let factor = specs.first().and_then(|s| s.per_field);
        highest_signs(cx, effects, kinds[0], factor, m.span());
        return Some((i, m.span()));
    }
    None
}

/// `once GROUP`: the group, for a rule in no other group and with exactly one amount.
fn once_of(
    cx: &mut Checker,
    rule: &ast::Rule,
    name: &ast::Name,
    once: &Option<(model::OnceId, Span)>,
    effects: &[model::Effect],
) -> Option<(model::OnceId, Span)> {
    if let Some((_, first)) = once {
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
        return None;
    }
    let g = crate::check::once::resolve(cx, name)?;
    let amounts = effects
        .iter()
        .filter(|e| matches!(e, model::Effect::Points { .. }))
        .count();
    // A direct grade (`grade D`) ranks before every amount (第十八条 2, 按直接判级……计算): a rule
    // with one may have no amount; it may not have two grades.
    let grades = effects
        .iter()
        .filter(|e| e.direct_grade().is_some())
        .count();
    if amounts > 1 || grades > 1 || amounts + grades == 0 {
        let said = if grades > 1 {
            crate::tr!("several direct grades", "有几个直接判级")
        } else if amounts == 0 {
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
                        "a rule in a `once` group needs exactly one amount or one direct grade, and this one has {said}"
                    ),
                    crate::lang::spaced(&format!("`once` 组里的条款必须正好有一个分值或一个直接判级，而这一条{said}"))
                ),
            )
            .label(crate::tr!(
                "compares the rule's amount with the group's other rules'",
                "拿这条条款的分值和组里其他条款比较"
            ))
            .also(rule.span, crate::tr!("the rule", "这条条款"))
            .help(crate::tr!(
                "the act keeps its direct grade (`grade D`), the lowest of them, or else the rule with the largest amount: give the rule one amount (`+5`, `-points`) or one grade, and write the others as rules of their own",
                "同一件事按直接判级（`grade D`，取最低的）计，没有直接判级的按分值最大的那条条款计：给这条条款只写一个分值（`+5`、`-points`）或一个等级，其他的各自另写条款"
            )),
        );
        return None;
    }
    Some((g, *name.span))
}

/// A `when` guard after the effects: one per rule, reading no field of the rule's records, on a
/// rule that gives points only.
fn guard_of(
    cx: &mut Checker,
    rule: &ast::Rule,
    e: &ast::Expr,
    guard: &Option<(model::Expr, Span)>,
    kinds: &[model::KindId],
    effects: &[model::Effect],
) -> Option<(model::Expr, Span)> {
    if let Some((_, first)) = guard {
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
        return None;
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
        return None;
    }
    let scope = Scope::rule(
        Vec::new(),
        crate::tr!("a rule's `when` guard", "条款后面的 `when` 条件"),
    );
    let g = condition(cx, e, &scope);
    guard_holds_points_only(cx, rule, e, effects);
    Some((g, *e.span))
}

/// A guard holds back points only: reports the first effect of the rule that is not points.
fn guard_holds_points_only(
    cx: &mut Checker,
    rule: &ast::Rule,
    e: &ast::Expr,
    effects: &[model::Effect],
) {
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
            model::Effect::Demote { .. } => crate::tr!("a demotion", "降级"),
            model::Effect::Freeze(_) => crate::tr!("a freeze", "冻结加分"),
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
        A::Not(x)
        | A::Neg(x)
        | A::Paren(x)
        | A::Member(x, _)
        | A::Windowed(x, _)
        | A::Convert(_, x) => record_field_in(cx, x, kinds),
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
