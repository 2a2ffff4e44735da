//! `valid …` and `repeat * N` on a `per` rule, and what a balance card allows of caps.

use super::*;
use crate::date::Duration;
use crate::ops::Period;
use crate::syntax::ast::{Durations, TableEntry};

/// A `per` rule's validity, checked: `None` when it has none (or after reporting why it cannot
/// have the one written).
pub(super) fn validity(
    cx: &mut Checker,
    rule: &ast::Rule,
    kinds: &[model::KindId],
    effects: &[ast::Effect],
    cap: Option<model::CapId>,
) -> Option<Box<model::Validity>> {
    if let Some(c) = cap.and_then(|c| cx.caps.get(c)) {
        if cx.balance && c.period != Period::Month {
            let span = rule
                .modifiers
                .iter()
                .find(|m| matches!(m, Modifier::Cap(..) | Modifier::SharedCap(_)))
                .map_or(*rule.span, Modifier::span);
            cx.push(
                Diag::error(
                    Code::Misplaced,
                    span,
                    format!("a balance card has no {} to count a cap in", c.period.keyword()),
                )
                .label(format!("a cap over a {}", c.period.keyword()))
                .help("on a balance card a cap counts per reading: write `cap N` for at most N points from the rule on one day"),
            );
        }
    }
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
                "`repeat` needs `valid` on the same rule",
            )
            .label("a repeat within which time?")
            .help("say how long an entry counts first: `valid 1 year repeat * 2`"),
        );
    }
    let v = valid?;
    if !cx.balance {
        cx.push(
            Diag::error(Code::Misplaced, v.span, "`valid` needs a balance card")
                .label("entries of this policy count in the month of their record")
                .help("write `card balance` after the `policy` line: the card is then read on a day, with the entries valid that day"),
        );
        return None;
    }
    let mut ok = true;
    if let Some(r) = repeat {
        if r.node <= rust_decimal::Decimal::ZERO {
            ok = false;
            cx.push(
                Diag::error(
                    Code::BadRange,
                    r.span,
                    "a repeat must count more than zero times",
                )
                .label("not above zero")
                .help("write how many times a repeat counts its amount, like `repeat * 2`"),
            );
        }
    }
    let written: Vec<&ast::Spanned<Duration>> = match &v.durations {
        Durations::Fixed(d) => vec![d],
        Durations::Table { entries, .. } => entries.iter().map(|e| &e.duration).collect(),
    };
    for d in &written {
        ok &= duration_in_range(cx, d);
    }
    let durations: Vec<Duration> = written.iter().map(|d| d.node).collect();
    let pick = match &v.durations {
        Durations::Fixed(_) => Some(model::ValidPick::Fixed),
        Durations::Table { field, entries } => {
            table(cx, field.as_ref(), entries, kinds, effects, *v.span)
        }
    };
    let pick = pick?;
    let from = match &v.from {
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
        repeat: repeat.map(|r| r.node),
        text,
    }))
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
                    format!("`{}` of `{kind}` is not a date", f.node),
                )
                .label("a validity runs from a date")
                .help(format!(
                    "declare the field as a date, `{}: date optional`, filled in when the fault ends",
                    f.node
                )),
            );
            return None;
        }
        if found.is_some_and(|j| j != i) {
            cx.push(
                Diag::error(Code::Misplaced, f.span, format!("`{}` is not the same field in every kind of the rule", f.node))
                    .label("a different field in each kind")
                    .help("declare the date field in the same place in every kind, or write one rule per kind"),
            );
            return None;
        }
        found = Some(i);
    }
    found
}

fn twice(cx: &mut Checker, word: &str, span: Span, first: Span) {
    cx.push(
        Diag::error(
            Code::Misplaced,
            span,
            format!("a rule has at most one `{word}`"),
        )
        .label(format!("second `{word}`"))
        .also(first, format!("first `{word}`"))
        .help("keep one"),
    );
}

/// A duration of at least one day and at most 100 years.
fn duration_in_range(cx: &mut Checker, d: &ast::Spanned<Duration>) -> bool {
    let longest = Duration::longest(d.node.unit);
    if d.node.count == 0 {
        cx.push(
            Diag::error(Code::BadRange, d.span, "an entry must stay valid for some time")
                .label("valid for no time at all")
                .help("write how long the regulation keeps the entry, like `valid 1 year`; a rule whose entries never count can be removed"),
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
                format!("`{}` is longer than tally keeps an entry", d.node),
            )
            .label(format!("at most {longest}"))
            .help("an entry is valid for at most 100 years"),
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
    let key = match field {
        Some(f) => ast::Expr {
            kind: A::Path(f.clone(), None),
            span: f.span,
        },
        None => {
            if !effects.iter().any(|e| matches!(e, ast::Effect::Amount(_))) {
                cx.push(
                    Diag::error(Code::Misplaced, span, "a table by size needs points to measure")
                        .label("the rule gives no points")
                        .help("key the table by a field of the record, `valid level { city: 2 years, … }`, or write one duration, `valid 2 years`"),
                );
                return None;
            }
            ast::Expr {
                kind: A::Number(rust_decimal::Decimal::ZERO),
                span: span.into(),
            }
        }
    };
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
    let first_new = cx.diags.len();
    let scope = Scope::record(kinds.to_vec(), "a table of durations").before_reaching();
    let (lowered, _) = lower(cx, &table, &scope);
    // A table of numbers is told to add `else: 0`; a duration of 0 is refused, so a table of
    // durations is told to add one that is not.
    for d in cx.diags.iter_mut().skip(first_new) {
        if d.code == Code::IncompleteTable
            && d.help.as_deref().is_some_and(|h| h.contains("`else: 0`"))
        {
            d.help = Some(
                "add `else: 1 year` (or the duration for every number not listed)".to_string(),
            );
        }
    }
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
            cx.push(
                Diag::error(
                    Code::Misplaced,
                    f.span,
                    format!("`{}` is not a field of the rule's records", f.node),
                )
                .label("a validity is read from the record")
                .help("key the table by a field of the record kind, like `level`"),
            );
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
