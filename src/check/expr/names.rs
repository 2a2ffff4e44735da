//! Names in expressions: bare names, record fields, record kinds (by id or Chinese label), enum
//! values, and the help when one is not known.

use super::*;
use crate::diag::closest;

pub(super) fn unknown_name(cx: &mut Checker, name: &str, span: Span, scope: &Scope) {
    if scope.record_kinds.is_empty() {
        unknown_column(cx, name, span, scope);
    } else {
        unknown_field(cx, name, span, scope);
    }
}

/// A name that is no field of the records read here (`scope.record_kinds`) nor a roster column.
fn unknown_field(cx: &mut Checker, name: &str, span: Span, scope: &Scope) {
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
        foreign_field(cx, name, span, scope, (&owner, &first));
        return;
    }
    let mut candidates: Vec<String> = Vec::new();
    for &k in &scope.record_kinds {
        candidates.extend(cx.kinds[k].fields.iter().map(|f| f.name.clone()));
    }
    candidates.extend(cx.columns.iter().map(|c| c.name.clone()));
    let help = did_you_mean(name, candidates.iter().map(String::as_str)).unwrap_or_else(|| {
        if candidates.is_empty() {
            crate::tr!(
                format!("`{first}` has no fields and the roster declares no columns"),
                format!("`{first}` 没有字段，花名册也没有声明列")
            )
        } else {
            crate::tr!(
                format!(
                    "`{first}` records and the roster have {}",
                    list_names(&candidates)
                ),
                format!("`{first}` 记录和花名册里有 {}", list_names(&candidates))
            )
        }
    });
    cx.push(
        Diag::error(
            Code::UnknownField,
            span,
            crate::tr!(
                format!("`{first}` has no field `{name}`"),
                format!("`{first}` 没有字段 `{name}`")
            ),
        )
        .label(crate::tr!("unknown field", "没有这个字段"))
        .help(help)
        .fix(span, closest(name, candidates.iter().map(String::as_str))),
    );
}

/// A field of another kind (`owner`) than the records read here (the first of them, `first`).
fn foreign_field(
    cx: &mut Checker,
    name: &str,
    span: Span,
    scope: &Scope,
    (owner, first): (&str, &str),
) {
    cx.push(
        Diag::error(Code::ForeignField, span, crate::tr!(
            format!("`{name}` is a field of `{owner}`, not of `{first}`"),
            format!("`{name}` 是 `{owner}` 的字段，不是 `{first}` 的")
        ))
            .label(crate::tr!(
                format!("`{first}` has no field `{name}`"),
                format!("`{first}` 没有字段 `{name}`")
            ))
            .help(if scope.place == crate::tr!("an amount", "分值") {
                crate::tr!(
                    format!(
                        "the amount is read from the `{first}` record; write a rule `per {owner} …` for `{owner}` records"
                    ),
                    format!("分值是从 `{first}` 记录里读取的；针对 `{owner}` 记录，写一条 `per {owner} …` 条款")
                )
            } else {
                crate::tr!(
                    format!(
                        "{} here reads the `{first}` record; to count `{owner}` records write `count({owner} where …)`",
                        scope.place
                    ),
                    crate::lang::spaced(&format!(
                        "这里的{}读取的是 `{first}` 记录；要数 `{owner}` 记录，写 `count({owner} where …)`",
                        scope.place)
                    )
                )
            }),
    );
}

/// A name that is no roster column, where only the roster is read.
fn unknown_column(cx: &mut Checker, name: &str, span: Span, scope: &Scope) {
    let candidates: Vec<String> = cx.columns.iter().map(|c| c.name.clone()).collect();
    let help = did_you_mean(name, candidates.iter().map(String::as_str)).unwrap_or_else(|| {
        if candidates.is_empty() {
            crate::tr!(
                "the roster declares no columns; add it to `roster { … }`",
                "花名册没有声明列；把它加到 `roster { … }` 里"
            ).to_string()
        } else {
            crate::tr!(
                format!(
                    "the roster declares {}; add `{name}` to `roster {{ … }}` if it is a new column",
                    list_names(&candidates)
                ),
                format!(
                    "花名册声明了 {}；如果 `{name}` 是新的一列，把它加到 `roster {{ … }}` 里",
                    list_names(&candidates)
                )
            )
        }
    });
    cx.push(
        Diag::error(
            Code::UnknownColumn,
            span,
            crate::tr!(
                format!("the roster has no column `{name}`"),
                format!("花名册没有 `{name}` 这一列")
            ),
        )
        .label(crate::tr!(
            format!("not a roster column, in {}", scope.place),
            crate::lang::spaced(&format!("不是花名册的列，用在{}里", scope.place))
        ))
        .help(help)
        .fix(span, closest(name, candidates.iter().map(String::as_str))),
    );
}

pub(super) fn bare_name(cx: &mut Checker, name: &ast::Name, scope: &Scope) -> (model::Expr, Ty) {
    let span = name.span;
    let quarterly = cx.card == crate::ops::Period::Quarter && !cx.balance;
    if scope.months && (quarterly || name.node == "quarters") {
        if let Some(found) = card_totals(cx, name, None, *span) {
            return found;
        }
    }
    if scope.months && name.node == "months" {
        cx.push(
            Diag::error(
                Code::BadAnnual,
                span,
                crate::tr!(
                    "`months` is the twelve monthly totals, not one number",
                    "`months` 是十二个月的月度总分，不是一个数"
                ),
            )
            .label(crate::tr!("twelve numbers", "十二个数"))
            .help(crate::tr!(
                "write `sum(months)`, `mean(months)`, `min(months)` or `max(months)`",
                "写 `sum(months)`、`mean(months)`、`min(months)` 或 `max(months)`"
            )),
        );
        return error_node(*span);
    }
    if let Some(found) = record_field(cx, &scope.record_kinds, &name.node, *span) {
        return found;
    }
    if let Some(c) = cx.column(&name.node) {
        return column_name(cx, name, c, scope);
    }
    (
        node(M::Number(Decimal::ZERO), *span),
        Ty::Name(name.node.clone(), *span),
    )
}

/// A bare name that is the roster column `c`: read where a person's column can be read (not in
/// the annual formula, nor from records that may name no one).
fn column_name(
    cx: &mut Checker,
    name: &ast::Name,
    c: model::ColumnId,
    scope: &Scope,
) -> (model::Expr, Ty) {
    let span = name.span;
    if cx.is_untyped(cx.columns[c].span) {
        return error_node(*span);
    }
    if scope.months {
        cx.push(
            Diag::error(
                Code::BadAnnual,
                span,
                crate::tr!(
                    format!("the annual formula cannot read the roster column `{}`", name.node),
                    format!("年度计算公式不能读取花名册列 `{}`", name.node)
                ),
            )
            .label(crate::tr!("a roster column, not a monthly total", "这是花名册的列，不是月度总分"))
            .help(crate::tr!(
                "the annual result is computed from the twelve monthly totals (`sum(months) / 12`); a bonus for some people belongs in a rule with `for`",
                "年度结果由十二个月的月度总分算出（`sum(months) / 12`）；给部分人员加分，请写一条带 `for` 的条款"
            )),
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
        let (id, kind_span, person) = (kind.id.clone(), kind.span, kind.subjects.person);
        no_ones_column(cx, name, scope, (&id, kind_span, person));
        return error_node(*span);
    }
    let ty = Ty::of_value(&cx.columns[c].ty);
    (node(M::Column(c), *span), ty)
}

/// Reports a roster column read from records of the kind `id` (declared at `kind_span`), which
/// may name no person (`person`: the kind can name one) or reach no one yet where it is read.
fn no_ones_column(
    cx: &mut Checker,
    name: &ast::Name,
    scope: &Scope,
    (id, kind_span, person): (&str, Span, bool),
) {
    let span = name.span;
    let names = if person {
        crate::tr!("may name no person", "可能不写人员")
    } else {
        crate::tr!("name no person", "不写人员")
    };
    cx.push(
        Diag::error(
            Code::Misplaced,
            span,
            crate::tr!(
                format!("`{}` is a roster column, but `{id}` records {names}", name.node),
                crate::lang::spaced(&format!("`{}` 是花名册的列，但 `{id}` 记录{names}", name.node))
            ),
        )
        .label(crate::tr!(
            format!("no one's `{}` to read in {}", name.node, scope.place),
            crate::lang::spaced(&format!("{1}里读不到任何人的 `{0}`", name.node, scope.place))
        ))
        .also(kind_span, crate::tr!(
            format!("`{id}` is declared here"),
            format!("`{id}` 在这里声明")
        ))
        .help(crate::tr!(
            format!(
                "{} reads the record's own fields; to limit the rule to some people, give the rule a `for` on `{}`",
                scope.place,
                name.node
            ),
            crate::lang::spaced(&format!(
                "{}读的是记录自己的字段；要让条款只适用于部分人员，给条款加一个针对 `{}` 的 `for`",
                scope.place,
                name.node)
            )
        )),
    );
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
                crate::tr!(
                    format!(
                        "`{name}` is a date: it says when a continuing fault ended, not a value"
                    ),
                    format!("`{name}` 是日期：它表示持续性问题何时结束，不是一个值")
                ),
            )
            .label(crate::tr!("a `date` field", "`date` 字段"))
            .help(crate::tr!(
                format!("let an entry's validity run from it with `valid 1 year from {name}`"),
                format!("让有效期从它算起：`valid 1 year from {name}`")
            )),
        );
        return Some(error_node(span));
    }
    if ty == ValueType::Person {
        cx.push(
            Diag::error(
                Code::TypeMismatch,
                span,
                crate::tr!(
                    format!("`{name}` names a person: it says whom points go to, not a value"),
                    format!("`{name}` 是人员：它表示分数记给谁，不是一个值")
                ),
            )
            .label(crate::tr!("a `person` field", "`person` 字段"))
            .help(crate::tr!(
                format!("give the rule's points to that person with `to {name}`"),
                format!("用 `to {name}` 把这条条款的分数记给那个人")
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
                    crate::tr!(
                        format!("`{name}` is not a field of every kind of this rule"),
                        format!("不是这条条款的每种记录类型都有 `{name}` 字段")
                    ),
                )
                .label(crate::tr!(
                    format!("`{a}` has it, `{b}` does not (or not the same)"),
                    format!("`{a}` 有，`{b}` 没有（或者不是同一个）")
                ))
                .help(crate::tr!(
                    "write a separate rule for each kind",
                    "每种记录类型各写一条条款"
                )),
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
            not_scored(cx, name, k);
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
                crate::tr!(
                    format!("`{}` is a label; rules name record kinds by id", name.node),
                    format!("`{}` 是名称；条款里要用代号来写记录类型", name.node)
                ),
            )
            .label(crate::tr!("a label", "名称"))
            .help(crate::tr!(format!("write `{id}`"), format!("写成 `{id}`")))
            .fix(name.span, Some(&id)),
        );
        return None;
    }
    unknown_kind(cx, name);
    None
}

/// Reports a rule reading a kind declared `not scored`.
fn not_scored(cx: &mut Checker, name: &ast::Name, k: KindId) {
    let kind = &cx.kinds[k];
    let (id, span) = (kind.id.clone(), kind.span);
    cx.push(
        Diag::error(
            Code::NotScored,
            name.span,
            crate::tr!(
                format!("`{id}` is declared `not scored`, but this rule scores it"),
                format!("`{id}` 声明为 `not scored`，但这条条款给它计分")
            ),
        )
        .label(crate::tr!("read by a rule", "被条款读取"))
        .also(
            span,
            crate::tr!("declared `not scored` here", "在这里声明为 `not scored`"),
        )
        .help(crate::tr!(
            format!("remove this rule, or remove `not scored` from `{id}` if its records count"),
            format!("删掉这条条款；如果它的记录要计分，就去掉 `{id}` 的 `not scored`")
        )),
    );
}

/// Reports a name that is no record kind, with the ids it may have meant.
fn unknown_kind(cx: &mut Checker, name: &ast::Name) {
    let ids: Vec<String> = cx.kinds.iter().map(|k| k.id.clone()).collect();
    // A misspelt label (`迟道` for `迟到`): name the kind it is close to, by its id.
    let by_label = || {
        let labels = cx.kinds.iter().map(|k| k.label.as_str());
        let label = crate::diag::closest(&name.node, labels)?;
        let kind = cx.kinds.iter().find(|k| k.label == label)?;
        Some(crate::tr!(
            format!(
                "did you mean `{label}`? rules name record kinds by id: write `{}`",
                kind.id
            ),
            format!(
                "是不是要写 `{label}`？条款里要用代号来写记录类型：写 `{}`",
                kind.id
            )
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
        .unwrap_or_else(|| {
            crate::tr!(
                format!("declare it first: `record {} \"…\" by person`", name.node),
                format!("先声明它：`record {} \"…\" by person`", name.node)
            )
        });
    cx.push(
        Diag::error(
            Code::UnknownRecord,
            name.span,
            crate::tr!(
                format!("unknown record kind `{}`", name.node),
                format!("没有 `{}` 这个记录类型", name.node)
            ),
        )
        .label(crate::tr!("not declared", "没有声明过"))
        .help(help)
        .fix(name.span, fix.as_deref()),
    );
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
            crate::tr!(
                format!(
                    "`{}` records have no fields besides the date and whom they name",
                    k.id
                ),
                format!("`{}` 记录除了日期和对象以外没有别的字段", k.id)
            )
        } else {
            crate::tr!(
                format!("`{}` records have {}", k.id, list_names(&names)),
                format!("`{}` 记录有 {}", k.id, list_names(&names))
            )
        }
    });
    let (id, span) = (k.id.clone(), k.span);
    cx.push(
        Diag::error(
            Code::UnknownField,
            name.span,
            crate::tr!(
                format!("`{id}` has no field `{}`", name.node),
                format!("`{id}` 没有字段 `{}`", name.node)
            ),
        )
        .label(crate::tr!("unknown field", "没有这个字段"))
        .also(
            span,
            crate::tr!(
                format!("`{id}` is declared here"),
                format!("`{id}` 在这里声明")
            ),
        )
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
    let help = did_you_mean(name, values.iter().map(String::as_str)).unwrap_or_else(|| {
        crate::tr!(
            format!("the values are {}", list_names(values)),
            format!("取值有 {}", list_names(values))
        )
    });
    cx.push(
        Diag::error(
            Code::UnknownValue,
            span,
            crate::tr!(
                format!("`{name}` is not one of the values"),
                format!("`{name}` 不在可选的取值里")
            ),
        )
        .label(crate::tr!(
            format!("not one of {}", list_names(values)),
            format!("不是 {} 中的一个", list_names(values))
        ))
        .help(help)
        .fix(span, closest(name, values.iter().map(String::as_str))),
    );
    None
}
