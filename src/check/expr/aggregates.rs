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
    if scope.months && of.node == "months" && field.is_none() {
        return match func {
            Some(AggFn::Count) => (node(M::Months(AggFn::Count), *span), Ty::Num(Unit::Number)),
            Some(f) => (node(M::Months(f), *span), Ty::Num(Unit::Points)),
            None => error_node(*span),
        };
    }
    if !scope.aggregates {
        let what = if func.is_some() {
            "an aggregate"
        } else {
            "a record's field"
        };
        let message = if scope.record_kinds.is_empty() {
            format!("{} cannot read records", scope.place)
        } else {
            format!(
                "{} looks at one record at a time and cannot read others",
                scope.place
            )
        };
        cx.push(
            Diag::error(Code::Misplaced, span, message)
            .label(format!("{what} here"))
            .help(if !scope.record_kinds.is_empty() {
                let kind = &cx.kinds[scope.record_kinds[0]];
                let example = kind.fields.first().map_or_else(String::new, |f| {
                    format!(" (`{}`, not `{}.{}`)", f.name, kind.id, f.name)
                });
                format!("name the fields of the `{}` record alone{example}; to test a count or a year fact, write a `when` rule: `when count({}) > 3: …`", kind.id, kind.id)
            } else if scope.months {
                "the annual formula reads only the monthly totals: `sum(months) / 12`".to_string()
            } else {
                "`for` selects people by roster columns; move record conditions into `when …:`"
                    .to_string()
            }),
        );
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
    let ty = match (func, &field_ty) {
        (Some(AggFn::Count), None) => Ty::Num(Unit::Number),
        (Some(AggFn::Count), Some(_)) => {
            cx.push(
                Diag::error(Code::Misplaced, span, "`count` counts records, not a field")
                    .label("a field here")
                    .help(format!(
                        "write `count({})`, or `sum({}.…)` to add up a field",
                        of.node, of.node
                    )),
            );
            return error_node(*span);
        }
        (Some(f), None) => {
            cx.push(
                Diag::error(
                    Code::NotNumeric,
                    span,
                    format!("`{}({})` names no field", f.keyword(), of.node),
                )
                .label("no field named")
                .help(numeric_fields_help(cx, kind, f)),
            );
            return error_node(*span);
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
                    format!("cannot {} `{}.{fname}`", verb(f), of.node),
                )
                .label(format!("`{fname}` is {}", Ty::of_value(other).describe()))
                .help(numeric_fields_help(cx, kind, f)),
            );
            return error_node(*span);
        }
        // A time of day is compared where its record is read, in a `per` rule's filter: as a
        // fact it would be a number of seconds, shown as such.
        (None, Some(ValueType::Time)) => {
            let fname = field.map_or("", |x| x.node.as_str());
            cx.push(
                Diag::error(
                    Code::NotNumeric,
                    span,
                    format!(
                        "`{}.{fname}` is a time of day, read with its record",
                        of.node
                    ),
                )
                .label("a time of day as a fact")
                .help(format!(
                    "compare it in a `per` rule: `per {} where {fname} > 9:00: …`",
                    of.node
                )),
            );
            return error_node(*span);
        }
        (None, Some(t)) => Ty::of_value(t),
        (None, None) => return error_node(*span),
    };
    let filter = filter.map(|f| {
        let inner = Scope::record(vec![kind], "a `where` filter");
        condition(cx, f, &inner)
    });
    let window_word = match window {
        Window::Year => "year",
        Window::Month => "month",
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

/// What an aggregate does to a field, for "cannot … `x`".
pub(super) fn verb(f: AggFn) -> &'static str {
    match f {
        AggFn::Count => "count",
        AggFn::Sum => "add up",
        AggFn::Mean => "average",
        AggFn::Min => "take the smallest",
        AggFn::Max => "take the largest",
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
        "field"
    } else {
        "fields"
    };
    match numeric.first() {
        Some(first) => format!(
            "`{}` has the number {fields} {}: write `{}({}.{first})`",
            k.id,
            list_names(&numeric),
            f.keyword(),
            k.id
        ),
        None => format!(
            "`{}` has no number field; `count({})` counts its records",
            k.id, k.id
        ),
    }
}
