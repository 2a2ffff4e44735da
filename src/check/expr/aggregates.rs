//! Aggregates over records (`count`, `sum`, `mean`, `min`, `max`, with `where` and a window).

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn aggregate(
    cx: &mut Checker,
    whole: &ast::Expr,
    func: Option<AggFn>,
    of: &ast::Name,
    field: Option<&ast::Name>,
    filter: Option<&ast::Expr>,
    window: Window,
    scope: &Scope,
) -> (model::Expr, Ty) {
    let span = whole.span;
    if scope.months && field.is_none() {
        if let Some(found) = card_totals(cx, of, func, *span) {
            return found;
        }
    }
    if scope.months && of.node == "months" && field.is_none() {
        return match func {
            Some(AggFn::Count) => (node(M::Months(AggFn::Count), *span), Ty::Num(Unit::Number)),
            Some(f) => (node(M::Months(f), *span), Ty::Num(Unit::Points)),
            None => error_node(*span),
        };
    }
    if !scope.aggregates {
        cannot_read_records(cx, span, func, scope);
        return error_node(*span);
    }
    let Some(kind) = resolve_kind(cx, of) else {
        return error_node(*span);
    };
    let field_id = match field {
        Some(f) => match resolve_field(cx, kind, f) {
            Some(i) => Some(i),
            None => return error_node(*span),
        },
        None => None,
    };
    if field_id.is_some_and(|i| cx.is_untyped(cx.kinds[kind].fields[i].span)) {
        return error_node(*span);
    }
    let field_ty = field_id.map(|i| cx.kinds[kind].fields[i].ty.clone());
    let Some(ty) = aggregate_type(cx, span, func, of, field, kind, field_ty.as_ref()) else {
        return error_node(*span);
    };
    let filter = filter.map(|f| {
        let inner = Scope::record(
            vec![kind],
            crate::tr!("a `where` filter", "`where` 筛选条件"),
        );
        condition(cx, f, &inner)
    });
    let window_word = match window {
        Window::Year => "year",
        Window::Month => "month",
        Window::Quarter => "quarter",
    };
    let text = format!("{} in {window_word}", cx.text(*span));
    let id = match cx.aggregates.iter().position(|a| a.text == text) {
        Some(i) => i,
        None => {
            cx.aggregates.push(model::Aggregate {
                func,
                kind,
                field: field_id,
                filter,
                window,
                text,
            });
            cx.aggregates.len() - 1
        }
    };
    let kind_node = if func.is_some() {
        M::Aggregate(id)
    } else {
        M::Fact(id)
    };
    (node(kind_node, *span), ty)
}

/// Reports an aggregate or a record's field where no records can be read (`scope.aggregates` is
/// off): a rule's `for`, a `where` filter, the annual formula.
fn cannot_read_records(cx: &mut Checker, span: ast::At, func: Option<AggFn>, scope: &Scope) {
    let what = if func.is_some() {
        crate::tr!("an aggregate", "统计")
    } else {
        crate::tr!("a record's field", "记录的字段")
    };
    let message = if scope.record_kinds.is_empty() {
        crate::tr!(
            format!("{} cannot read records", scope.place),
            crate::lang::spaced(&format!("{}不能读取记录", scope.place))
        )
    } else {
        crate::tr!(
            format!(
                "{} looks at one record at a time and cannot read others",
                scope.place
            ),
            crate::lang::spaced(&format!(
                "{}一次只看一条记录，不能读取别的记录",
                scope.place
            ))
        )
    };
    cx.push(
        Diag::error(Code::Misplaced, span, message)
        .label(crate::tr!(
            format!("{what} here"),
            crate::lang::spaced(&format!("这里是{what}"))
        ))
        .help(if !scope.record_kinds.is_empty() {
            let kind = &cx.kinds[scope.record_kinds[0]];
            let example = kind.fields.first().map_or_else(String::new, |f| {
                crate::tr!(
                    format!(" (`{}`, not `{}.{}`)", f.name, kind.id, f.name),
                    format!("（写 `{}`，不写 `{}.{}`）", f.name, kind.id, f.name)
                )
            });
            crate::tr!(
                format!(
                    "name the fields of the `{}` record alone{example}; to test a count or a year fact, write a `when` rule: `when count({}) > 3: …`",
                    kind.id,
                    kind.id
                ),
                crate::lang::spaced(&format!(
                    "直接写 `{}` 记录的字段名{example}；要判断次数或全年情况，写一条 `when` 条款：`when count({}) > 3: …`",
                    kind.id,
                    kind.id)
                )
            )
        } else if scope.months {
            crate::tr!(
                "the annual formula reads only the monthly totals: `sum(months) / 12`",
                "年度计算公式只读取月度总分：`sum(months) / 12`"
            ).to_string()
        } else {
            crate::tr!(
                "`for` selects people by roster columns; move record conditions into `when …:`",
                "`for` 是按花名册的列挑选人员；对记录的条件请写到 `when …:` 里"
            )
                .to_string()
        }),
    );
}

/// The type of `func(of.field)`; `None` after reporting a field it cannot read (`count` of a
/// field, a sum of no field or of a field that is not a number, a time of day as a fact).
// Long on purpose: one arm per pairing of function and field type, each with its own message.
fn aggregate_type(
    cx: &mut Checker,
    span: ast::At,
    func: Option<AggFn>,
    of: &ast::Name,
    field: Option<&ast::Name>,
    kind: KindId,
    field_ty: Option<&ValueType>,
) -> Option<Ty> {
    Some(match (func, field_ty) {
        (Some(AggFn::Count), None) => Ty::Num(Unit::Number),
        (Some(AggFn::Count), Some(_)) => {
            cx.push(
                Diag::error(
                    Code::Misplaced,
                    span,
                    crate::tr!(
                        "`count` counts records, not a field",
                        "`count` 数的是记录条数，不是字段"
                    ),
                )
                .label(crate::tr!("a field here", "这里是字段"))
                .help(crate::tr!(
                    format!(
                        "write `count({})`, or `sum({}.…)` to add up a field",
                        of.node, of.node
                    ),
                    format!(
                        "写 `count({})`，或者用 `sum({}.…)` 把某个字段加起来",
                        of.node, of.node
                    )
                )),
            );
            return None;
        }
        (Some(f), None) => {
            cx.push(
                Diag::error(
                    Code::NotNumeric,
                    span,
                    crate::tr!(
                        format!("`{}({})` names no field", f.keyword(), of.node),
                        format!("`{}({})` 没有写字段", f.keyword(), of.node)
                    ),
                )
                .label(crate::tr!("no field named", "没有写字段"))
                .help(numeric_fields_help(cx, kind, f)),
            );
            return None;
        }
        (Some(f), Some(ValueType::Number { unit, .. })) => {
            let _ = f;
            Ty::Num(*unit)
        }
        (Some(f), Some(other)) => {
            let fname = field.map_or("", |x| x.node.as_str());
            cx.push(
                Diag::error(
                    Code::NotNumeric,
                    span,
                    crate::tr!(
                        format!("cannot {} `{}.{fname}`", verb(f), of.node),
                        format!("`{}.{fname}` 无法{}", of.node, verb(f))
                    ),
                )
                .label(crate::tr!(
                    format!("`{fname}` is {}", Ty::of_value(other).describe()),
                    crate::lang::spaced(&format!("`{fname}` 是{}", Ty::of_value(other).describe()))
                ))
                .help(numeric_fields_help(cx, kind, f)),
            );
            return None;
        }
        // A time of day is compared where its record is read, in a `per` rule's filter: as a
        // fact it would be a number of seconds, shown as such.
        (None, Some(ValueType::Time)) => {
            let fname = field.map_or("", |x| x.node.as_str());
            cx.push(
                Diag::error(
                    Code::NotNumeric,
                    span,
                    crate::tr!(
                        format!(
                            "`{}.{fname}` is a time of day, read with its record",
                            of.node
                        ),
                        format!("`{}.{fname}` 是时刻，要和它所在的记录一起读", of.node)
                    ),
                )
                .label(crate::tr!("a time of day as a fact", "把时刻当成统计结果"))
                .help(crate::tr!(
                    format!(
                        "compare it in a `per` rule: `per {} where {fname} > 9:00: …`",
                        of.node
                    ),
                    format!(
                        "在 `per` 条款里比较：`per {} where {fname} > 9:00: …`",
                        of.node
                    )
                )),
            );
            return None;
        }
        (None, Some(t)) => Ty::of_value(t),
        (None, None) => return None,
    })
}

/// What an aggregate does to a field, for "cannot … `x`".
pub(super) fn verb(f: AggFn) -> &'static str {
    match f {
        AggFn::Count => crate::tr!("count", "计数"),
        AggFn::Sum => crate::tr!("add up", "求和"),
        AggFn::Mean => crate::tr!("average", "求平均"),
        AggFn::Min => crate::tr!("take the smallest", "取最小值"),
        AggFn::Max => crate::tr!("take the largest", "取最大值"),
    }
}

pub(super) fn numeric_fields_help(cx: &Checker, kind: KindId, f: AggFn) -> String {
    let k = &cx.kinds[kind];
    let numeric: Vec<&str> = k
        .fields
        .iter()
        .filter(|x| matches!(x.ty, ValueType::Number { .. }))
        .map(|x| x.name.as_str())
        .collect();
    let fields = if numeric.len() == 1 {
        crate::tr!("field", "字段")
    } else {
        crate::tr!("fields", "字段")
    };
    match numeric.first() {
        Some(first) => crate::tr!(
            format!(
                "`{}` has the number {fields} {}: write `{}({}.{first})`",
                k.id,
                list_names(&numeric),
                f.keyword(),
                k.id
            ),
            crate::lang::spaced(&format!(
                "`{}` 的数值{fields}有 {}：写 `{}({}.{first})`",
                k.id,
                list_names(&numeric),
                f.keyword(),
                k.id
            ))
        ),
        None => crate::tr!(
            format!(
                "`{}` has no number field; `count({})` counts its records",
                k.id, k.id
            ),
            format!(
                "`{}` 没有数值字段；`count({})` 数的是它的记录条数",
                k.id, k.id
            )
        ),
    }
}
