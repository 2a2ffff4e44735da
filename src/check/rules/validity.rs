//! `valid …` and `repeat * N` on a `per` rule.

use super::*;
use crate::date::Duration;
use crate::syntax::ast::{Durations, TableEntry};

/// A `per` rule's validity, checked: `None` when it has none (or after reporting why it cannot
/// have the one written).
pub(super) fn validity(
    cx: &mut Checker,
    rule: &ast::Rule,
    kinds: &[model::KindId],
    effects: &[ast::Effect],
) -> Option<Box<model::Validity>> {
    let (valid, repeat) = valid_and_repeat(cx, rule);
    let v = valid?;
    // `valid until FIELD` alone: a yearly card's carry (§31).
    if matches!(v.durations, Durations::Unwritten) {
        return super::carry::carry(cx, rule, v, repeat, kinds, effects);
    }
    if !cx.balance {
        cx.push(
            Diag::error(Code::Misplaced, v.span, crate::tr!(
                "`valid` needs a balance card",
                "`valid` 只能用于按余额记分"
            ))
                .label(crate::tr!(
                    "entries of this policy count in the month of their record",
                    "本政策文件的分数只计入记录所在的月份"
                ))
                .help(crate::tr!(
                    "write `card balance` after the `policy` line: the card is then read on a day, with the entries valid that day",
                    "在 `policy` 那一行后面写 `card balance`：记分卡就按某一天读数，计入当天仍有效的分"
                )),
        );
        return None;
    }
    let mut ok = true;
    if let Some(r) = repeat {
        ok &= repeat_above_zero(cx, r);
    }
    let written: Vec<&ast::Spanned<Duration>> = match &v.durations {
        Durations::Unwritten => Vec::new(),
        Durations::Fixed(d) => vec![d],
        Durations::Table { entries, .. } => entries.iter().map(|e| &e.duration).collect(),
    };
    for d in &written {
        ok &= duration_in_range(cx, d);
    }
    let durations: Vec<Duration> = written.iter().map(|d| d.node).collect();
    let pick = match &v.durations {
        Durations::Unwritten | Durations::Fixed(_) => Some(model::ValidPick::Fixed),
        Durations::Table { field, entries } => {
            table(cx, field.as_ref(), entries, kinds, effects, *v.span)
        }
    };
    let pick = pick?;
    let from = match &v.from {
        None => None,
        Some(f) => Some(from_field(cx, f, kinds)?),
    };
    let since = match &v.since {
        None => None,
        Some(f) => Some(from_field(cx, f, kinds)?),
    };
    let until = match &v.until {
        None => None,
        Some(f) => Some(from_field(cx, f, kinds)?),
    };
    if !ok {
        return None;
    }
    let mut text = format!("valid {}", crate::fmt::validity_text(v));
    if let Some(r) = repeat {
        text.push_str(&format!(" repeat * {}", r.node));
    }
    Some(Box::new(model::Validity {
        durations,
        pick,
        from,
        since,
        until,
        repeat: repeat.map(|r| r.node),
        text,
    }))
}

/// A rule's `valid` and `repeat` modifiers, each written at most once; a `repeat` without a
/// `valid` is reported.
fn valid_and_repeat<'r>(
    cx: &mut Checker,
    rule: &'r ast::Rule,
) -> (
    Option<&'r ast::Validity>,
    Option<&'r ast::Spanned<rust_decimal::Decimal>>,
) {
    let mut valid: Option<&ast::Validity> = None;
    let mut repeat: Option<&ast::Spanned<rust_decimal::Decimal>> = None;
    for m in &rule.modifiers {
        match m {
            Modifier::Valid(v) => match valid {
                Some(first) => twice(cx, "valid", m.span(), *first.span),
                None => valid = Some(v),
            },
            Modifier::Repeat(n) => match repeat {
                Some(first) => twice(cx, "repeat", m.span(), *first.span),
                None => repeat = Some(n),
            },
            _ => {}
        }
    }
    if let (Some(r), None) = (repeat, valid) {
        cx.push(
            Diag::error(
                Code::Misplaced,
                r.span,
                crate::tr!(
                    "`repeat` needs `valid` on the same rule",
                    "`repeat` 要求同一条条款上有 `valid`"
                ),
            )
            .label(crate::tr!(
                "a repeat within which time?",
                "在多长时间内重复？"
            ))
            .help(crate::tr!(
                "say how long an entry counts first: `valid 1 year repeat * 2`",
                "先写明一笔分管多久：`valid 1 year repeat * 2`"
            )),
        );
    }
    (valid, repeat)
}

/// `repeat * N` must count more than zero times; `false` after reporting one that does not.
fn repeat_above_zero(cx: &mut Checker, r: &ast::Spanned<rust_decimal::Decimal>) -> bool {
    if r.node > rust_decimal::Decimal::ZERO {
        return true;
    }
    cx.push(
        Diag::error(
            Code::BadRange,
            r.span,
            crate::tr!(
                "a repeat must count more than zero times",
                "重复次数必须大于零"
            ),
        )
        .label(crate::tr!("not above zero", "没有大于零"))
        .help(crate::tr!(
            "write how many times a repeat counts its amount, like `repeat * 2`",
            "写明重复时分值计几倍，比如 `repeat * 2`"
        )),
    );
    false
}

/// A date field a validity reads (`from`, `since`, `until`), as [`from_field`] checks it.
pub(super) fn date_field(
    cx: &mut Checker,
    f: &ast::Name,
    kinds: &[model::KindId],
) -> Option<model::FieldId> {
    from_field(cx, f, kinds)
}

/// `from FIELD`: a `date` field of the rule's record kind (of each, for a rule about several).
fn from_field(cx: &mut Checker, f: &ast::Name, kinds: &[model::KindId]) -> Option<model::FieldId> {
    let mut found = None;
    for &k in kinds {
        let i = resolve_field(cx, k, f)?;
        let field = &cx.kinds[k].fields[i];
        if field.ty != ValueType::Date {
            let kind = cx.kinds[k].id.clone();
            cx.push(
                Diag::error(
                    Code::TypeMismatch,
                    f.span,
                    crate::tr!(
                        format!("`{}` of `{kind}` is not a date", f.node),
                        format!("`{kind}` 的 `{}` 不是日期", f.node)
                    ),
                )
                .label(crate::tr!("a validity runs from a date", "有效期要从一个日期算起"))
                .help(crate::tr!(
                    format!(
                        "declare the field as a date, `{}: date optional`, filled in when the fault ends",
                        f.node
                    ),
                    format!("把这个字段声明为日期：`{}: date optional`，问题整改完时填上", f.node)
                )),
            );
            return None;
        }
        if found.is_some_and(|j| j != i) {
            cx.push(
                Diag::error(Code::Misplaced, f.span, crate::tr!(
                    format!("`{}` is not the same field in every kind of the rule", f.node),
                    format!("在这条条款的各记录类型中，`{}` 不是同一个字段", f.node)
                ))
                    .label(crate::tr!("a different field in each kind", "每种记录类型里是不同的字段"))
                    .help(crate::tr!(
                        "declare the date field in the same place in every kind, or write one rule per kind",
                        "在每种记录类型里用同样方式声明这个日期字段，或者每种记录类型各写一条条款"
                    )),
            );
            return None;
        }
        found = Some(i);
    }
    found
}

pub(super) fn twice(cx: &mut Checker, word: &str, span: Span, first: Span) {
    cx.push(
        Diag::error(
            Code::Misplaced,
            span,
            crate::tr!(
                format!("a rule has at most one `{word}`"),
                format!("一条条款最多只能有一个 `{word}`")
            ),
        )
        .label(crate::tr!(
            format!("second `{word}`"),
            format!("第二个 `{word}`")
        ))
        .also(
            first,
            crate::tr!(format!("first `{word}`"), format!("第一个 `{word}`")),
        )
        .help(crate::tr!("keep one", "只留一个")),
    );
}

/// A duration of at least one day and at most 100 years.
fn duration_in_range(cx: &mut Checker, d: &ast::Spanned<Duration>) -> bool {
    let longest = Duration::longest(d.node.unit);
    if d.node.count == 0 {
        cx.push(
            Diag::error(Code::BadRange, d.span, crate::tr!(
                "an entry must stay valid for some time",
                "一笔分的有效期不能为零"
            ))
                .label(crate::tr!("valid for no time at all", "有效期为零"))
                .help(crate::tr!(
                    "write how long the regulation keeps the entry, like `valid 1 year`; a rule whose entries never count can be removed",
                    "写上制度规定的有效期，比如 `valid 1 year`；分数永远不计的条款可以删掉"
                )),
        );
        return false;
    }
    if d.node.count > longest {
        let longest = Duration {
            count: longest,
            unit: d.node.unit,
        };
        cx.push(
            Diag::error(
                Code::BadRange,
                d.span,
                crate::tr!(
                    format!("`{}` is longer than tally keeps an entry", d.node),
                    format!("`{}` 超过了 tally 能保留一笔分的期限", d.node)
                ),
            )
            .label(crate::tr!(
                format!("at most {longest}"),
                format!("最长 {longest}")
            ))
            .help(crate::tr!(
                "an entry is valid for at most 100 years",
                "一笔分的有效期最长 100 年"
            )),
        );
        return false;
    }
    true
}

/// A table of durations, checked as a table of numbers would be (its keys against the field's
/// values or bounds, every value covered or an `else`): by a field of the record, or by the size
/// of the rule's first amount.
fn table(
    cx: &mut Checker,
    field: Option<&ast::Name>,
    entries: &[ast::DurationEntry],
    kinds: &[model::KindId],
    effects: &[ast::Effect],
    span: Span,
) -> Option<model::ValidPick> {
    let key = table_key(cx, field, effects, span)?;
    let table = ast::Expr {
        kind: A::Table(
            Box::new(key),
            entries
                .iter()
                .enumerate()
                .map(|(i, e)| TableEntry {
                    key: e.key.clone(),
                    value: ast::Expr {
                        kind: A::Number(rust_decimal::Decimal::from(i)),
                        span: e.duration.span,
                    },
                })
                .collect(),
        ),
        span: span.into(),
    };
    let before = cx.diags.iter().filter(|d| d.is_error()).count();
    let scope = Scope::record(
        kinds.to_vec(),
        crate::tr!("a table of durations", "期限对照表"),
    )
    .before_reaching()
    .durations();
    let (lowered, _) = lower(cx, &table, &scope);
    if cx.diags.iter().filter(|d| d.is_error()).count() > before {
        return None;
    }
    let model::ExprKind::Table {
        key,
        entries,
        default,
    } = lowered.kind
    else {
        return None;
    };
    let index = |e: &model::Expr| match e.kind {
        model::ExprKind::Number(n) => usize::try_from(n.mantissa()).ok(),
        _ => None,
    };
    let field = match (field, &key.kind) {
        (None, _) => None,
        (Some(_), model::ExprKind::RecordField(f)) => Some(*f),
        (Some(f), _) => {
            not_a_record_field(cx, f);
            return None;
        }
    };
    Some(model::ValidPick::Table {
        field,
        entries: entries
            .iter()
            .filter_map(|(k, e)| Some((k.clone(), index(e)?)))
            .collect(),
        default: default.as_deref().and_then(index),
    })
}

/// What a table of durations looks up: the field it names, or (`None`) the size of the rule's
/// first amount, which a rule without points lacks (reported; `None`).
fn table_key(
    cx: &mut Checker,
    field: Option<&ast::Name>,
    effects: &[ast::Effect],
    span: Span,
) -> Option<ast::Expr> {
    Some(match field {
        Some(f) => ast::Expr {
            kind: A::Path(f.clone(), None),
            span: f.span,
        },
        None => {
            if !effects.iter().any(|e| matches!(e, ast::Effect::Amount(_))) {
                cx.push(
                    Diag::error(Code::Misplaced, span, crate::tr!(
                        "a table by size needs points to measure",
                        "按分值大小定期限的对照表需要有分值"
                    ))
                        .label(crate::tr!("the rule gives no points", "这条条款不加分也不扣分"))
                        .help(crate::tr!(
                            "key the table by a field of the record, `valid level { city: 2 years, … }`, or write one duration, `valid 2 years`",
                            "按记录的字段来定对照表，`valid level { city: 2 years, … }`，或者只写一个期限，`valid 2 years`"
                        )),
                );
                return None;
            }
            ast::Expr {
                kind: A::Number(rust_decimal::Decimal::ZERO),
                span: span.into(),
            }
        }
    })
}

/// Reports a table of durations keyed by a name that is no field of the rule's records.
fn not_a_record_field(cx: &mut Checker, f: &ast::Name) {
    cx.push(
        Diag::error(
            Code::Misplaced,
            f.span,
            crate::tr!(
                format!("`{}` is not a field of the rule's records", f.node),
                format!("`{}` 不是这条条款记录里的字段", f.node)
            ),
        )
        .label(crate::tr!(
            "a validity is read from the record",
            "有效期从记录里读取"
        ))
        .help(crate::tr!(
            "key the table by a field of the record kind, like `level`",
            "按记录类型的字段来定对照表，比如 `level`"
        )),
    );
}
