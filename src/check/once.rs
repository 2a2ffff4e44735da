//! `once` groups: rules that must not stack. "One act matching several items counts once, at the
//! most severe deduction (or the largest bonus)": the declaration says which records are one act
//! (`per FIELD`, `per date`, `in month|quarter|year`), each rule in the group says `once ID`.
//!
//! Declared groups are read before the rules (so that rules can name them); once every rule is
//! checked, each group's `per FIELD` is resolved in every kind its rules read, and its amounts are
//! compared: a group must be all rewards or all deductions, since one act keeps the effect that is
//! largest by size.

use rust_decimal::Decimal;

use super::Checker;
use super::model::{self, OnceBy, RuleBody, ValueType};
use crate::diag::{Code, Diag};
use crate::syntax::ast::{self, Decl, Span};

/// The declared groups, in order, before any rule names them.
pub fn declarations(cx: &mut Checker, ast: &ast::Ast) {
    let mut seen: Vec<&ast::OnceDecl> = Vec::new();
    for decl in &ast.decls {
        let Decl::Once(o) = decl else { continue };
        if let Some(first) = seen.iter().find(|f| f.id.node == o.id.node) {
            cx.push(
                Diag::error(
                    Code::DuplicateId,
                    o.id.span,
                    crate::tr!(
                        format!("the group `{}` is declared twice", o.id.node),
                        format!("不重复计分组 `{}` 声明了两次", o.id.node)
                    ),
                )
                .label(crate::tr!("declared again", "又声明了一次"))
                .also(
                    first.id.span,
                    crate::tr!("first declared here", "第一次在这里声明"),
                )
                .help(crate::tr!(
                    "give each `once` group its own id",
                    "每个 `once` 组用不同的代号"
                )),
            );
            continue;
        }
        super::decls::empty_label(
            cx,
            &o.label,
            crate::tr!("group", "不重复计分组"),
            &o.id.node,
        );
        seen.push(o);
        let by = match &o.by {
            None => OnceBy::Period,
            Some(n) if n.node == "date" => OnceBy::Date,
            Some(n) => OnceBy::Field {
                name: n.node.clone(),
                of_kind: vec![None; cx.kinds.len()],
            },
        };
        cx.onces.push(model::Once {
            id: o.id.node.clone(),
            label: o.label.node.clone(),
            by,
            period: o.period.as_ref().map(|p| p.node),
            span: *o.span,
        });
        cx.once_by_span
            .push(o.by.as_ref().filter(|n| n.node != "date").map(|n| *n.span));
    }
}

/// `once ID` on a rule: the group's index, or an error naming the declared ones.
pub fn resolve(cx: &mut Checker, name: &ast::Name) -> Option<model::OnceId> {
    if let Some(id) = cx.onces.iter().position(|o| o.id == name.node) {
        return Some(id);
    }
    let declared: Vec<&str> = cx.onces.iter().map(|o| o.id.as_str()).collect();
    let help = crate::diag::did_you_mean(&name.node, declared.iter().copied()).unwrap_or_else(|| {
        crate::tr!(
            format!(
                "declare it before the sections: `once {} \"…\" per date` (records of one subject on one date are one act)",
                name.node
            ),
            format!("在各板块之前声明它：`once {} \"…\" per date`（同一对象同一天的记录算一件事）", name.node)
        )
    });
    let fix = crate::diag::closest(&name.node, declared.iter().copied());
    cx.push(
        Diag::error(
            Code::UnknownOnce,
            name.span,
            crate::tr!(
                format!("unknown group `{}`", name.node),
                format!("没有 `{}` 这个不重复计分组", name.node)
            ),
        )
        .label(crate::tr!(
            "no `once` group declared with this id",
            "没有声明过这个代号的 `once` 组"
        ))
        .help(help)
        .fix(name.span, fix),
    );
    None
}

/// After every rule is checked: each group's field in every kind its rules read, and the signs of
/// its amounts.
pub fn groups(cx: &mut Checker, sections: &[model::Section], adjustments: &[model::Adjustments]) {
    // Each rule with the ledger it counts in (`None`: the points).
    let rules: Vec<(&model::Rule, Option<usize>)> = sections
        .iter()
        .flat_map(|s| {
            s.items
                .iter()
                .flat_map(move |i| i.rules.iter().map(move |r| (r, s.ledger)))
        })
        .chain(
            adjustments
                .iter()
                .flat_map(|a| a.rules.iter().map(|r| (r, None))),
        )
        .collect();
    for g in 0..cx.onces.len() {
        let in_group: Vec<(&model::Rule, Option<usize>)> = rules
            .iter()
            .copied()
            .filter(|(r, _)| matches!(r.body, RuleBody::Per { once: Some(o), .. } if o == g))
            .collect();
        let members: Vec<&model::Rule> = in_group.iter().map(|(r, _)| *r).collect();
        field_of_kinds(cx, g, &members);
        signs_of_group(cx, g, &members);
        one_ledger(cx, g, &in_group);
    }
}

/// One act keeps the largest effect by size: yuan and points cannot be compared, so a group's
/// rules all count in the points or all in one ledger.
fn one_ledger(cx: &mut Checker, g: usize, in_group: &[(&model::Rule, Option<usize>)]) {
    let Some(&(first, ledger)) = in_group.first() else {
        return;
    };
    let Some(&(other, _)) = in_group.iter().find(|(_, l)| *l != ledger) else {
        return;
    };
    let id = cx.onces[g].id.clone();
    cx.push(
        Diag::error(
            Code::LedgerMismatch,
            other.span,
            crate::tr!(
                format!("the `once` group `{id}` compares a ledger's amounts with points"),
                format!("`once` 组 `{id}` 把分账的金额和分数放在一起比较")
            ),
        )
        .label(crate::tr!("counts in another ledger", "记在另一个分账里"))
        .also(first.span, crate::tr!("the group's first rule", "这个组的第一条规则"))
        .help(crate::tr!(
            "one act keeps its largest effect, and yuan and points cannot be compared: give the rules of each ledger a group of their own",
            "一个行为只保留最大的一项，而金额和分数没法比较：每个分账的规则各用自己的组"
        )),
    );
}

/// `per FIELD`: every kind of every rule in the group has the field, with one type.
fn field_of_kinds(cx: &mut Checker, g: usize, members: &[&model::Rule]) {
    let OnceBy::Field { name, .. } = &cx.onces[g].by else {
        return;
    };
    let name = name.clone();
    let by_span = cx.once_by_span[g].unwrap_or(cx.onces[g].span);
    // The first kind that has the field, and its type: every other kind's must match it.
    let mut first: Option<(Span, ValueType)> = None;
    let mut of_kind = vec![None; cx.kinds.len()];
    for rule in members {
        let RuleBody::Per { events, .. } = &rule.body else {
            continue;
        };
        for ev in events {
            let kind = &cx.kinds[ev.kind];
            let Some(f) = kind.fields.iter().position(|f| f.name == name) else {
                kind_lacks_field(cx, g, rule.span, ev.kind, (&name, by_span));
                continue;
            };
            let ty = kind.fields[f].ty.clone();
            let fspan = kind.fields[f].span;
            match &first {
                None => first = Some((fspan, ty)),
                Some((_, t)) if same_key_type(t, &ty) => {}
                Some((first_span, _)) => {
                    let first_span = *first_span;
                    let kid = kind.id.clone();
                    cx.push(
                        Diag::error(
                            Code::TypeMismatch,
                            fspan,
                            crate::tr!(
                                format!(
                                    "`{kid}.{name}` has another type than the other kinds' `{name}` in the group `{}`",
                                    cx.onces[g].id
                                ),
                                format!(
                                    "`{kid}.{name}` 的类型和不重复计分组 `{}` 中其他记录类型的 `{name}` 不一样",
                                    cx.onces[g].id
                                )
                            ),
                        )
                        .label(crate::tr!("a different type", "类型不一样"))
                        .also(first_span, crate::tr!("the first kind's field", "第一个记录类型的字段"))
                        .help(crate::tr!(
                            "records are one act when their fields are equal, so declare the field with one type (the same unit, the same list of values) in every kind of the group",
                            "字段相等的记录才算同一件事，所以本组各记录类型中这个字段要声明成同一种类型（同一单位、同一组取值）"
                        )),
                    );
                }
            }
            of_kind[ev.kind] = Some(f);
        }
    }
    if let OnceBy::Field { of_kind: slot, .. } = &mut cx.onces[g].by {
        *slot = of_kind;
    }
}

/// Reports a kind (`k`) of a rule of the group `g` that lacks the field `name` its acts are told
/// apart by (`by_span`, where the group says so).
fn kind_lacks_field(
    cx: &mut Checker,
    g: usize,
    rule_span: Span,
    k: usize,
    (name, by_span): (&str, Span),
) {
    let kind = &cx.kinds[k];
    let (kid, kspan) = (kind.id.clone(), kind.span);
    cx.push(
        Diag::error(
            Code::UnknownField,
            rule_span,
            crate::tr!(
                format!(
                    "`{kid}` has no field `{name}`, which tells the acts of the group `{}` apart",
                    cx.onces[g].id
                ),
                format!(
                    "`{kid}` 没有字段 `{name}`，而不重复计分组 `{}` 要靠它区分是不是同一件事",
                    cx.onces[g].id
                )
            ),
        )
        .label(crate::tr!(
            format!("a rule of the group about `{kid}` records"),
            format!("本组中针对 `{kid}` 记录的条款")
        ))
        .also(by_span, crate::tr!(
            "the group's records are one act by this field",
            "本组按这个字段认定记录是同一件事"
        ))
        .also(kspan, crate::tr!(
            format!("`{kid}` is declared here"),
            format!("`{kid}` 在这里声明")
        ))
        .help(crate::tr!(
            format!(
                "give `{kid}` a field `{name}` of the same type as the other kinds', or group by `per date`"
            ),
            format!("给 `{kid}` 加一个字段 `{name}`，类型和其他记录类型的一致；或者改为按 `per date` 分组")
        )),
    );
}

/// Whether values of two field types can be compared for equality as one act's key.
fn same_key_type(a: &ValueType, b: &ValueType) -> bool {
    match (a, b) {
        (ValueType::Number { unit: x, .. }, ValueType::Number { unit: y, .. }) => x == y,
        (ValueType::Enum(x), ValueType::Enum(y)) => x == y,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// One act keeps the effect largest by size: a group that can give a reward for one record and a
/// deduction for another would compare them by size alone, so it is refused.
fn signs_of_group(cx: &mut Checker, g: usize, members: &[&model::Rule]) {
    let mut below: Option<Span> = None;
    let mut above: Option<Span> = None;
    // A direct grade ranks as the most severe deduction: a group with one holds deductions only.
    let mut graded: Option<Span> = None;
    for rule in members {
        let RuleBody::Per {
            events, effects, ..
        } = &rule.body
        else {
            continue;
        };
        if effects.iter().any(|e| e.direct_grade().is_some()) {
            graded.get_or_insert(rule.span);
        }
        let Some(amount) = model::first_points(effects) else {
            continue;
        };
        for ev in events {
            let (neg, pos) = signs(cx, amount, ev.kind, ev.per_field, rule.span);
            if neg {
                below.get_or_insert(amount.span);
            }
            if pos {
                above.get_or_insert(amount.span);
            }
        }
    }
    if let (Some(grade), Some(a)) = (graded, above) {
        return graded_rewards(cx, g, grade, a);
    }
    if let (Some(b), Some(a)) = (below, above) {
        let once = &cx.onces[g];
        let (id, span) = (once.id.clone(), once.span);
        let mut d = Diag::error(
            Code::OnceMixedSigns,
            span,
            crate::tr!(
                format!(
                    "the group `{id}` can give a reward for one record and a deduction for another"
                ),
                format!("不重复计分组 `{id}` 可能对一条记录加分、对另一条扣分")
            ),
        )
        .label(crate::tr!(
            "one act keeps its largest effect by size",
            "同一件事只保留绝对值最大的那一项"
        ));
        d = if a == b {
            d.also(
                a,
                crate::tr!("can be above or below 0", "可能大于 0，也可能小于 0"),
            )
        } else {
            d.also(a, crate::tr!("can be a reward", "可能是加分"))
                .also(b, crate::tr!("can be a deduction", "可能是扣分"))
        };
        cx.push(d.help(crate::tr!(
            "an act counts once at its most severe deduction or its largest reward: put rewards and deductions in two groups, or declare the fields' ranges so that their signs are known",
            "同一件事只按扣得最重或加得最多的一项计一次：把加分和扣分分成两组，或者写明字段的取值范围，让正负号确定下来"
        )));
    }
}

/// Whether an amount, multiplied by the record's `factor` field if any (`per bonus.points +1`),
/// can be below 0 and above 0 for a record of `kind`.
pub(super) fn signs(
    cx: &Checker,
    amount: &model::Expr,
    kind: usize,
    factor: Option<usize>,
    span: Span,
) -> (bool, bool) {
    let zero = Decimal::ZERO;
    let (lo, hi) = super::interval::bounds(cx, amount, &[kind]);
    let can_be = |l: Option<Decimal>, h: Option<Decimal>, neg: bool| {
        if neg {
            l.is_none_or(|l| l < zero)
        } else {
            h.is_none_or(|h| h > zero)
        }
    };
    let Some(f) = factor else {
        return (can_be(lo, hi, true), can_be(lo, hi, false));
    };
    let field = model::Expr {
        kind: model::ExprKind::RecordField(f),
        span,
    };
    let (fl, fh) = super::interval::bounds(cx, &field, &[kind]);
    // The product can be below 0 when one side can be below and the other above.
    let below = (can_be(lo, hi, true) && can_be(fl, fh, false))
        || (can_be(lo, hi, false) && can_be(fl, fh, true));
    let above = (can_be(lo, hi, false) && can_be(fl, fh, false))
        || (can_be(lo, hi, true) && can_be(fl, fh, true));
    (below, above)
}

/// A group `gi` with a direct grade (`grade`, its rule) and an amount that can be a reward
/// (`reward`): one act keeps the grade before any amount, as the most severe deduction, so a
/// reward in the group would be compared with a grade.
fn graded_rewards(cx: &mut Checker, gi: usize, grade: Span, reward: Span) {
    let once = &cx.onces[gi];
    let (id, span) = (once.id.clone(), once.span);
    cx.push(
        Diag::error(
            Code::OnceMixedSigns,
            span,
            crate::tr!(
                format!("the group `{id}` holds a direct grade and a reward"),
                format!("不重复计分组 `{id}` 里既有直接判级，又有加分")
            ),
        )
        .label(crate::tr!(
            "one act keeps its direct grade before any amount",
            "同一件事先按直接判级计，再看分值"
        ))
        .also(grade, crate::tr!("a direct grade", "直接判级"))
        .also(reward, crate::tr!("can be a reward", "可能是加分"))
        .help(crate::tr!(
            "a direct grade ranks as the most severe deduction (按直接判级或最高减分计算): put it in a group of deductions, and rewards in a group of their own",
            "直接判级按最重的扣分看待（按直接判级或最高减分计算）：把它放进扣分的组，加分另成一组"
        )),
    );
}
