//! Names in expressions: bare names, record fields, record kinds (by id or Chinese label), enum
//! values, and the help when one is not known.

use super::*;
use crate::diag::closest;

pub(super) fn unknown_name(cx: &mut Checker, name: &str, span: Span, scope: &Scope) {
    if !scope.record_kinds.is_empty() {
        let owner = cx
            .kinds
            .iter()
            .find(|k| k.fields.iter().any(|f| f.name == name))
            .map(|k| k.id.clone());
        let kind_names: Vec<String> = scope
            .record_kinds
            .iter()
            .map(|&k| cx.kinds[k].id.clone())
            .collect();
        let first = kind_names.first().cloned().unwrap_or_default();
        if let Some(owner) = owner {
            cx.push(
                Diag::error(Code::ForeignField, span, format!("`{name}` is a field of `{owner}`, not of `{first}`"))
                    .label(format!("`{first}` has no field `{name}`"))
                    .help(if scope.place == "an amount" {
                        format!("the amount is read from the `{first}` record; write a rule `per {owner} …` for `{owner}` records")
                    } else {
                        format!("{} here reads the `{first}` record; to count `{owner}` records write `count({owner} where …)`", scope.place)
                    }),
            );
            return;
        }
        let mut candidates: Vec<String> = Vec::new();
        for &k in &scope.record_kinds {
            candidates.extend(cx.kinds[k].fields.iter().map(|f| f.name.clone()));
        }
        candidates.extend(cx.columns.iter().map(|c| c.name.clone()));
        let help = did_you_mean(name, candidates.iter().map(String::as_str)).unwrap_or_else(|| {
            if candidates.is_empty() {
                format!("`{first}` has no fields and the roster declares no columns")
            } else {
                format!(
                    "`{first}` records and the roster have {}",
                    list_names(&candidates)
                )
            }
        });
        cx.push(
            Diag::error(
                Code::UnknownField,
                span,
                format!("`{first}` has no field `{name}`"),
            )
            .label("unknown field")
            .help(help)
            .fix(span, closest(name, candidates.iter().map(String::as_str))),
        );
    } else {
        let candidates: Vec<String> = cx.columns.iter().map(|c| c.name.clone()).collect();
        let help = did_you_mean(name, candidates.iter().map(String::as_str)).unwrap_or_else(|| {
            if candidates.is_empty() {
                "the roster declares no columns; add it to `roster { … }`".to_string()
            } else {
                format!(
                    "the roster declares {}; add `{name}` to `roster {{ … }}` if it is a new column",
                    list_names(&candidates)
                )
            }
        });
        cx.push(
            Diag::error(
                Code::UnknownColumn,
                span,
                format!("the roster has no column `{name}`"),
            )
            .label(format!("not a roster column, in {}", scope.place))
            .help(help)
            .fix(span, closest(name, candidates.iter().map(String::as_str))),
        );
    }
}

pub(super) fn bare_name(cx: &mut Checker, name: &ast::Name, scope: &Scope) -> (model::Expr, Ty) {
    let span = name.span;
    if scope.months && name.node == "months" {
        cx.push(
            Diag::error(
                Code::BadAnnual,
                span,
                "`months` is the twelve monthly totals, not one number",
            )
            .label("twelve numbers")
            .help("write `sum(months)`, `mean(months)`, `min(months)` or `max(months)`"),
        );
        return error_node(*span);
    }
    if let Some(found) = record_field(cx, &scope.record_kinds, &name.node, *span) {
        return found;
    }
    if let Some(c) = cx.column(&name.node) {
        if cx.is_untyped(cx.columns[c].span) {
            return error_node(*span);
        }
        if scope.months {
            cx.push(
                Diag::error(
                    Code::BadAnnual,
                    span,
                    format!("the annual formula cannot read the roster column `{}`", name.node),
                )
                .label("a roster column, not a monthly total")
                .help("the annual result is computed from the twelve monthly totals (`sum(months) / 12`); a bonus for some people belongs in a rule with `for`"),
            );
            return error_node(*span);
        }
        let nameless = scope
            .record_kinds
            .iter()
            .map(|&k| &cx.kinds[k])
            // An amount or a rule's filter is worked out once per record, before the record
            // reaches anybody: a record of a kind that names a department or the town has no
            // one's column to read, and would give nothing.
            .find(|k| {
                !k.subjects.person
                    || (scope.before_reaching && (k.subjects.department || k.subjects.town))
            });
        if let Some(kind) = nameless {
            let (id, kind_span) = (kind.id.clone(), kind.span);
            let names = if kind.subjects.person {
                "may name no person"
            } else {
                "name no person"
            };
            cx.push(
                Diag::error(
                    Code::Misplaced,
                    span,
                    format!("`{}` is a roster column, but `{id}` records {names}", name.node),
                )
                .label(format!("no one's `{}` to read in {}", name.node, scope.place))
                .also(kind_span, format!("`{id}` is declared here"))
                .help(format!(
                    "{} reads the record's own fields; to limit the rule to some people, give the rule a `for` on `{}`",
                    scope.place, name.node
                )),
            );
            return error_node(*span);
        }
        let ty = Ty::of_value(&cx.columns[c].ty);
        return (node(M::Column(c), *span), ty);
    }
    (
        node(M::Number(Decimal::ZERO), *span),
        Ty::Name(name.node.clone(), *span),
    )
}

/// A field of the record being looked at. With several kinds (`per late, absent`), each must have
/// it, at the same place and with the same type.
pub(super) fn record_field(
    cx: &mut Checker,
    kinds: &[KindId],
    name: &str,
    span: Span,
) -> Option<(model::Expr, Ty)> {
    let first = *kinds.first()?;
    let idx = cx.kinds[first].fields.iter().position(|f| f.name == name)?;
    if cx.is_untyped(cx.kinds[first].fields[idx].span) {
        return Some(error_node(span));
    }
    let ty = cx.kinds[first].fields[idx].ty.clone();
    if ty == ValueType::Date {
        cx.push(
            Diag::error(
                Code::TypeMismatch,
                span,
                format!("`{name}` is a date: it says when a continuing fault ended, not a value"),
            )
            .label("a `date` field")
            .help(format!(
                "let an entry's validity run from it with `valid 1 year from {name}`"
            )),
        );
        return Some(error_node(span));
    }
    if ty == ValueType::Person {
        cx.push(
            Diag::error(
                Code::TypeMismatch,
                span,
                format!("`{name}` names a person: it says whom points go to, not a value"),
            )
            .label("a `person` field")
            .help(format!(
                "give the rule's points to that person with `to {name}`"
            )),
        );
        return Some(error_node(span));
    }
    for &k in &kinds[1..] {
        let same = cx.kinds[k]
            .fields
            .get(idx)
            .is_some_and(|f| f.name == name && f.ty == ty);
        if !same {
            let (a, b) = (cx.kinds[first].id.clone(), cx.kinds[k].id.clone());
            cx.push(
                Diag::error(
                    Code::UnknownField,
                    span,
                    format!("`{name}` is not a field of every kind of this rule"),
                )
                .label(format!("`{a}` has it, `{b}` does not (or not the same)"))
                .help("write a separate rule for each kind"),
            );
            return Some(error_node(span));
        }
    }
    Some((node(M::RecordField(idx), span), Ty::of_value(&ty)))
}

pub fn resolve_kind(cx: &mut Checker, name: &ast::Name) -> Option<KindId> {
    if let Some(&k) = cx.kind_index.get(&name.node) {
        cx.used_kinds[k] = true;
        if cx.kinds[k].not_scored {
            let kind = &cx.kinds[k];
            let (id, span) = (kind.id.clone(), kind.span);
            cx.push(
                Diag::error(
                    Code::NotScored,
                    name.span,
                    format!("`{id}` is declared `not scored`, but this rule scores it"),
                )
                .label("read by a rule")
                .also(span, "declared `not scored` here")
                .help(format!(
                    "remove this rule, or remove `not scored` from `{id}` if its records count"
                )),
            );
            return None;
        }
        return Some(k);
    }
    if let Some(k) = cx.kinds.iter().position(|k| k.label == name.node) {
        let id = cx.kinds[k].id.clone();
        cx.push(
            Diag::error(
                Code::UnknownRecord,
                name.span,
                format!("`{}` is a label; rules name record kinds by id", name.node),
            )
            .label("a label")
            .help(format!("write `{id}`"))
            .fix(name.span, Some(&id)),
        );
        return None;
    }
    let ids: Vec<String> = cx.kinds.iter().map(|k| k.id.clone()).collect();
    // A misspelt label (`迟道` for `迟到`): name the kind it is close to, by its id.
    let by_label = || {
        let labels = cx.kinds.iter().map(|k| k.label.as_str());
        let label = crate::diag::closest(&name.node, labels)?;
        let kind = cx.kinds.iter().find(|k| k.label == label)?;
        Some(format!(
            "did you mean `{label}`? rules name record kinds by id: write `{}`",
            kind.id
        ))
    };
    let near = closest(&name.node, ids.iter().map(String::as_str)).or_else(|| {
        let label = closest(&name.node, cx.kinds.iter().map(|k| k.label.as_str()))?;
        cx.kinds
            .iter()
            .find(|k| k.label == label)
            .map(|k| k.id.as_str())
    });
    let fix = near.map(str::to_string);
    let help = did_you_mean(&name.node, ids.iter().map(String::as_str))
        .or_else(by_label)
        .unwrap_or_else(|| format!("declare it first: `record {} \"…\" by person`", name.node));
    cx.push(
        Diag::error(
            Code::UnknownRecord,
            name.span,
            format!("unknown record kind `{}`", name.node),
        )
        .label("not declared")
        .help(help)
        .fix(name.span, fix.as_deref()),
    );
    None
}

pub fn resolve_field(cx: &mut Checker, kind: KindId, name: &ast::Name) -> Option<model::FieldId> {
    if let Some(i) = cx.kinds[kind]
        .fields
        .iter()
        .position(|f| f.name == name.node)
    {
        return Some(i);
    }
    let k = &cx.kinds[kind];
    let names: Vec<&str> = k.fields.iter().map(|f| f.name.as_str()).collect();
    let fix = closest(&name.node, names.iter().copied()).map(str::to_string);
    let help = did_you_mean(&name.node, names.iter().copied()).unwrap_or_else(|| {
        if names.is_empty() {
            format!(
                "`{}` records have no fields besides the date and whom they name",
                k.id
            )
        } else {
            format!("`{}` records have {}", k.id, list_names(&names))
        }
    });
    let (id, span) = (k.id.clone(), k.span);
    cx.push(
        Diag::error(
            Code::UnknownField,
            name.span,
            format!("`{id}` has no field `{}`", name.node),
        )
        .label("unknown field")
        .also(span, format!("`{id}` is declared here"))
        .help(help)
        .fix(name.span, fix.as_deref()),
    );
    None
}

pub(super) fn enum_value(
    cx: &mut Checker,
    values: &[String],
    name: &str,
    span: Span,
) -> Option<usize> {
    if let Some(i) = values.iter().position(|v| v == name) {
        return Some(i);
    }
    let help = did_you_mean(name, values.iter().map(String::as_str))
        .unwrap_or_else(|| format!("the values are {}", list_names(values)));
    cx.push(
        Diag::error(
            Code::UnknownValue,
            span,
            format!("`{name}` is not one of the values"),
        )
        .label(format!("not one of {}", list_names(values)))
        .help(help)
        .fix(span, closest(name, values.iter().map(String::as_str))),
    );
    None
}
