//! Expressions: name resolution, types and units, lowering to [`model::Expr`].

use rust_decimal::Decimal;

use super::Checker;
use super::interval;
use super::model::{self, ExprKind as M, KindId, Unit, ValueType};
use crate::diag::{Code, Diag, did_you_mean, list_names};
use crate::exact::Exact;
use crate::syntax::ast::{self, AggFn, BinOp, ExprKind as A, Span, TableKey, Window};

/// What an expression may read where it stands.
#[derive(Clone, Debug)]
pub struct Scope {
    /// Kinds whose fields a bare name may name (the record being looked at).
    pub record_kinds: Vec<KindId>,
    /// Aggregates and year facts allowed.
    pub aggregates: bool,
    /// `sum(months)` allowed (the annual formula).
    pub months: bool,
    /// Where the expression stands, for messages: "a `for` condition".
    pub place: &'static str,
}

impl Scope {
    pub fn annual() -> Self {
        Scope {
            record_kinds: Vec::new(),
            aggregates: false,
            months: true,
            place: "the annual formula",
        }
    }

    pub fn roster_only(place: &'static str) -> Self {
        Scope {
            record_kinds: Vec::new(),
            aggregates: false,
            months: false,
            place,
        }
    }

    /// Inside a `per` rule: one record at a time, its fields by name. The engine sees that record
    /// alone, so aggregates and year facts cannot be read there.
    pub fn record(record_kinds: Vec<KindId>, place: &'static str) -> Self {
        Scope {
            record_kinds,
            aggregates: false,
            months: false,
            place,
        }
    }

    pub fn rule(record_kinds: Vec<KindId>, place: &'static str) -> Self {
        Scope {
            record_kinds,
            aggregates: true,
            months: false,
            place,
        }
    }
}

/// The type of an expression while it is checked.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Num(Unit),
    /// A number written in the policy: it takes the unit of what it meets.
    Lit,
    Bool,
    Text,
    Enum(Vec<String>),
    /// A bare name that is neither a field nor a column: an enumeration value if it meets one.
    Name(String, Span),
    /// Already reported.
    Error,
}

impl Ty {
    pub fn is_numeric(&self) -> bool {
        matches!(self, Ty::Num(_) | Ty::Lit)
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Ty::Error)
    }

    pub fn describe(&self) -> String {
        match self {
            Ty::Num(Unit::Number) => "a number".into(),
            Ty::Num(u) => format!("in {}", u.name()),
            Ty::Lit => "a number".into(),
            Ty::Bool => "a condition (true or false)".into(),
            Ty::Text => "text".into(),
            Ty::Enum(values) => format!("one of {}", list_names(values)),
            Ty::Name(n, _) => format!("the name `{n}`"),
            Ty::Error => "unknown".into(),
        }
    }

    pub fn of_value(ty: &ValueType) -> Ty {
        match ty {
            ValueType::Number { unit, .. } => Ty::Num(*unit),
            ValueType::Text => Ty::Text,
            ValueType::Bool => Ty::Bool,
            ValueType::Enum(v) => Ty::Enum(v.clone()),
        }
    }
}

fn node(kind: M, span: Span) -> model::Expr {
    model::Expr { kind, span }
}

fn error_node(span: Span) -> (model::Expr, Ty) {
    (node(M::Number(Decimal::ZERO), span), Ty::Error)
}

/// Lowers an expression and settles any bare name left over (reporting it as unknown).
pub fn lower(cx: &mut Checker, e: &ast::Expr, scope: &Scope) -> (model::Expr, Ty) {
    let out = lower_raw(cx, e, scope);
    settle(cx, out, scope)
}

/// Lowers a condition: it must be true or false.
pub fn condition(cx: &mut Checker, e: &ast::Expr, scope: &Scope) -> model::Expr {
    let (expr, ty) = lower(cx, e, scope);
    if !matches!(ty, Ty::Bool | Ty::Error) {
        cx.push(
            Diag::error(
                Code::TypeMismatch,
                e.span,
                format!("{} must be true or false", scope.place),
            )
            .label(format!("this is {}", ty.describe()))
            .help(if scope.aggregates {
                "compare it with something, like `count(late) > 3`"
            } else {
                "name a yes-or-no column like `head`, or compare one, like `role in {片长}`"
            }),
        );
    }
    expr
}

/// A bare name nobody resolved: report it in the terms of the scope.
fn settle(cx: &mut Checker, (expr, ty): (model::Expr, Ty), scope: &Scope) -> (model::Expr, Ty) {
    let Ty::Name(name, span) = &ty else {
        return (expr, ty);
    };
    unknown_name(cx, name, *span, scope);
    (expr, Ty::Error)
}

fn unknown_name(cx: &mut Checker, name: &str, span: Span, scope: &Scope) {
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
            .help(help),
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
            .help(help),
        );
    }
}

fn lower_raw(cx: &mut Checker, e: &ast::Expr, scope: &Scope) -> (model::Expr, Ty) {
    let span = e.span;
    match &e.kind {
        A::Number(n) => (node(M::Number(*n), span), Ty::Lit),
        A::Text(t) => (node(M::Text(t.clone()), span), Ty::Text),
        A::Error => error_node(span),
        A::Paren(inner) => lower_raw(cx, inner, scope),
        A::Path(name, None) => bare_name(cx, name, scope),
        A::Path(kind, Some(field)) => {
            aggregate(cx, e, None, kind, Some(field), None, Window::Year, scope)
        }
        A::Aggregate {
            func,
            of,
            field,
            filter,
        } => aggregate(
            cx,
            e,
            Some(*func),
            of,
            field.as_ref(),
            filter.as_deref(),
            Window::Month,
            scope,
        ),
        A::Windowed(inner, window) => windowed(cx, inner, window, scope),
        A::Not(inner) => not(cx, inner, span, scope),
        A::Neg(inner) => neg(cx, inner, span, scope),
        A::Binary(op, l, r) => binary(cx, *op, l, r, span, scope),
        A::Member(inner, names) => member(cx, inner, names, span, scope),
        A::Table(key, entries) => table(cx, key, entries, span, scope),
    }
}

// Each construct has its own function, so that the frame of `lower_raw`, which stays on the
// stack once per level of a deep expression, holds only what every level needs.

fn windowed(
    cx: &mut Checker,
    inner: &ast::Expr,
    window: &ast::Spanned<Window>,
    scope: &Scope,
) -> (model::Expr, Ty) {
    let mut target = inner;
    while let A::Paren(x) = &target.kind {
        target = x;
    }
    match &target.kind {
        A::Aggregate {
            func,
            of,
            field,
            filter,
        } => aggregate(
            cx,
            target,
            Some(*func),
            of,
            field.as_ref(),
            filter.as_deref(),
            window.node,
            scope,
        ),
        A::Path(kind, Some(field)) => aggregate(
            cx,
            target,
            None,
            kind,
            Some(field),
            None,
            window.node,
            scope,
        ),
        _ => {
            cx.push(
                Diag::error(
                    Code::Misplaced,
                    window.span,
                    "a window applies to an aggregate",
                )
                .label("nothing to count or sum here")
                .help("write the window right after an aggregate: `count(absent) in year`"),
            );
            lower_raw(cx, inner, scope)
        }
    }
}

fn not(cx: &mut Checker, inner: &ast::Expr, span: Span, scope: &Scope) -> (model::Expr, Ty) {
    let (x, ty) = lower(cx, inner, scope);
    expect_bool(cx, &ty, inner.span, "`not`");
    (node(M::Not(Box::new(x)), span), Ty::Bool)
}

fn neg(cx: &mut Checker, inner: &ast::Expr, span: Span, scope: &Scope) -> (model::Expr, Ty) {
    let (x, ty) = lower(cx, inner, scope);
    let ty = expect_number(cx, ty, inner.span, "`-`");
    (node(M::Neg(Box::new(x)), span), ty)
}

fn member(
    cx: &mut Checker,
    inner: &ast::Expr,
    names: &[ast::Name],
    span: Span,
    scope: &Scope,
) -> (model::Expr, Ty) {
    let (x, ty) = lower(cx, inner, scope);
    let indices = match &ty {
        Ty::Enum(values) => names
            .iter()
            .filter_map(|n| enum_value(cx, values, &n.node, n.span))
            .collect(),
        Ty::Error => Vec::new(),
        other => {
            cx.push(
                Diag::error(
                    Code::TypeMismatch,
                    inner.span,
                    "`in {…}` needs a value from a list",
                )
                .label(format!("this is {}", other.describe()))
                .help(
                    "use `in {…}` with a column or field whose type lists its values, like `role`",
                ),
            );
            Vec::new()
        }
    };
    (node(M::Member(Box::new(x), indices), span), Ty::Bool)
}

fn bare_name(cx: &mut Checker, name: &ast::Name, scope: &Scope) -> (model::Expr, Ty) {
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
        return error_node(span);
    }
    if let Some(found) = record_field(cx, &scope.record_kinds, &name.node, span) {
        return found;
    }
    if let Some(c) = cx.column(&name.node) {
        if cx.is_untyped(cx.columns[c].span) {
            return error_node(span);
        }
        let nameless = scope
            .record_kinds
            .iter()
            .map(|&k| &cx.kinds[k])
            // An amount is worked out once per record: a record of the kind that names a
            // department or the town has no one's column to read, and would give nothing.
            .find(|k| {
                !k.subjects.person
                    || (scope.place == "an amount" && (k.subjects.department || k.subjects.town))
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
            return error_node(span);
        }
        let ty = Ty::of_value(&cx.columns[c].ty);
        return (node(M::Column(c), span), ty);
    }
    (
        node(M::Number(Decimal::ZERO), span),
        Ty::Name(name.node.clone(), span),
    )
}

/// A field of the record being looked at. With several kinds (`per late, absent`), each must have
/// it, at the same place and with the same type.
fn record_field(
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
            .help(format!("write `{id}`")),
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
        .help(help),
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
        .help(help),
    );
    None
}

#[allow(clippy::too_many_arguments)]
fn aggregate(
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
            Some(AggFn::Count) => (node(M::Months(AggFn::Count), span), Ty::Num(Unit::Number)),
            Some(f) => (node(M::Months(f), span), Ty::Num(Unit::Points)),
            None => error_node(span),
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
        return error_node(span);
    }
    let Some(kind) = resolve_kind(cx, of) else {
        return error_node(span);
    };
    let field_id = match field {
        Some(f) => match resolve_field(cx, kind, f) {
            Some(i) => Some(i),
            None => return error_node(span),
        },
        None => None,
    };
    if field_id.is_some_and(|i| cx.is_untyped(cx.kinds[kind].fields[i].span)) {
        return error_node(span);
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
            return error_node(span);
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
            return error_node(span);
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
            return error_node(span);
        }
        (None, Some(t)) => Ty::of_value(t),
        (None, None) => return error_node(span),
    };
    let filter = filter.map(|f| {
        let inner = Scope::record(vec![kind], "a `where` filter");
        condition(cx, f, &inner)
    });
    let window_word = match window {
        Window::Year => "year",
        Window::Month => "month",
    };
    let text = format!("{} in {window_word}", cx.text(span));
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
    (node(kind_node, span), ty)
}

/// What an aggregate does to a field, for "cannot … `x`".
fn verb(f: AggFn) -> &'static str {
    match f {
        AggFn::Count => "count",
        AggFn::Sum => "add up",
        AggFn::Mean => "average",
        AggFn::Min => "take the smallest",
        AggFn::Max => "take the largest",
    }
}

fn numeric_fields_help(cx: &Checker, kind: KindId, f: AggFn) -> String {
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

fn enum_value(cx: &mut Checker, values: &[String], name: &str, span: Span) -> Option<usize> {
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
        .help(help),
    );
    None
}

fn expect_bool(cx: &mut Checker, ty: &Ty, span: Span, what: &str) {
    if !matches!(ty, Ty::Bool | Ty::Error) {
        cx.push(
            Diag::error(
                Code::TypeMismatch,
                span,
                format!("{what} needs a condition"),
            )
            .label(format!("this is {}", ty.describe()))
            .help("compare it with something, like `count(late) > 3`"),
        );
    }
}

fn expect_number(cx: &mut Checker, ty: Ty, span: Span, what: &str) -> Ty {
    match ty {
        Ty::Num(_) | Ty::Lit | Ty::Error => ty,
        other => {
            cx.push(
                Diag::error(Code::TypeMismatch, span, format!("{what} needs a number"))
                    .label(format!("this is {}", other.describe()))
                    .help("only numbers can be added, multiplied or compared by size"),
            );
            Ty::Error
        }
    }
}

/// The unit two quantities share when added, subtracted or compared.
fn same_unit(a: &Ty, b: &Ty) -> Option<Ty> {
    match (a, b) {
        (Ty::Error, _) | (_, Ty::Error) => Some(Ty::Error),
        (Ty::Lit, x) | (x, Ty::Lit) => Some(x.clone()),
        (Ty::Num(u), Ty::Num(v)) if u == v => Some(Ty::Num(*u)),
        _ => None,
    }
}

fn binary(
    cx: &mut Checker,
    op: BinOp,
    l: &ast::Expr,
    r: &ast::Expr,
    span: Span,
    scope: &Scope,
) -> (model::Expr, Ty) {
    let left = lower_raw(cx, l, scope);
    let right = lower_raw(cx, r, scope);
    combine(cx, op, (l, left), (r, right), span, scope)
}

/// Types an operator applied to two lowered operands.
fn combine(
    cx: &mut Checker,
    op: BinOp,
    (l, (lx, lt)): (&ast::Expr, (model::Expr, Ty)),
    (r, (rx, rt)): (&ast::Expr, (model::Expr, Ty)),
    span: Span,
    scope: &Scope,
) -> (model::Expr, Ty) {
    let make =
        |lx: model::Expr, rx: model::Expr| node(M::Binary(op, Box::new(lx), Box::new(rx)), span);
    match op {
        BinOp::And | BinOp::Or => {
            let (lx, lt) = settle(cx, (lx, lt), scope);
            let (rx, rt) = settle(cx, (rx, rt), scope);
            expect_bool(cx, &lt, l.span, &format!("`{}`", op.symbol()));
            expect_bool(cx, &rt, r.span, &format!("`{}`", op.symbol()));
            (make(lx, rx), Ty::Bool)
        }
        BinOp::Eq | BinOp::Ne => {
            let (lx, rx) = match (&lt, &rt) {
                (Ty::Enum(values), Ty::Name(n, s)) => {
                    let v = enum_value(cx, values, n, *s)
                        .map_or(M::Number(Decimal::ZERO), M::EnumValue);
                    (lx, node(v, rx.span))
                }
                (Ty::Name(n, s), Ty::Enum(values)) => {
                    let v = enum_value(cx, values, n, *s)
                        .map_or(M::Number(Decimal::ZERO), M::EnumValue);
                    (node(v, lx.span), rx)
                }
                _ => {
                    let (lx, lt) = settle(cx, (lx, lt.clone()), scope);
                    let (rx, rt) = settle(cx, (rx, rt.clone()), scope);
                    let ok = match (&lt, &rt) {
                        (Ty::Error, _) | (_, Ty::Error) => true,
                        (Ty::Enum(a), Ty::Enum(b)) => a == b,
                        (Ty::Text, Ty::Text) | (Ty::Bool, Ty::Bool) => true,
                        (a, b) if a.is_numeric() && b.is_numeric() => {
                            if same_unit(a, b).is_none() {
                                unit_mismatch(cx, op, l, &lt, r, &rt);
                            }
                            true
                        }
                        _ => false,
                    };
                    if !ok {
                        let at = operator_span(cx, op, l.span, r.span);
                        cx.push(
                            Diag::error(
                                Code::TypeMismatch,
                                at,
                                format!("cannot compare {} with {}", lt.describe(), rt.describe()),
                            )
                            .label("these two cannot be equal")
                            .also(l.span, lt.describe())
                            .also(r.span, rt.describe())
                            .help("compare a field with one of its values, or two numbers"),
                        );
                    }
                    (lx, rx)
                }
            };
            (make(lx, rx), Ty::Bool)
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let (lx, lt) = settle(cx, (lx, lt), scope);
            let (rx, rt) = settle(cx, (rx, rt), scope);
            let lt = expect_number(cx, lt, l.span, &format!("`{}`", op.symbol()));
            let rt = expect_number(cx, rt, r.span, &format!("`{}`", op.symbol()));
            if same_unit(&lt, &rt).is_none() {
                unit_mismatch(cx, op, l, &lt, r, &rt);
            }
            (make(lx, rx), Ty::Bool)
        }
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
            let (lx, lt) = settle(cx, (lx, lt), scope);
            let (rx, rt) = settle(cx, (rx, rt), scope);
            let lt = expect_number(cx, lt, l.span, &format!("`{}`", op.symbol()));
            let rt = expect_number(cx, rt, r.span, &format!("`{}`", op.symbol()));
            let number = Ty::Num(Unit::Number);
            let result = match op {
                BinOp::Add | BinOp::Sub => same_unit(&lt, &rt),
                BinOp::Mul => match (&lt, &rt) {
                    (Ty::Error, _) | (_, Ty::Error) => Some(Ty::Error),
                    (Ty::Lit, x) | (x, Ty::Lit) => Some(x.clone()),
                    (a, b) if *a == number => Some(b.clone()),
                    (a, b) if *b == number => Some(a.clone()),
                    _ => None,
                },
                _ => match (&lt, &rt) {
                    (Ty::Error, _) | (_, Ty::Error) => Some(Ty::Error),
                    (x, Ty::Lit) => Some(x.clone()),
                    (x, b) if *b == number => Some(x.clone()),
                    (a, b) if a == b => Some(number),
                    (Ty::Lit, _) => Some(number),
                    _ => None,
                },
            };
            let ty = match result {
                Some(t) => t,
                None => {
                    unit_mismatch(cx, op, l, &lt, r, &rt);
                    Ty::Error
                }
            };
            if op == BinOp::Div && !rt.is_error() && !ty.is_error() {
                divisor(cx, &rx, r.span, scope);
            }
            let made = make(lx, rx);
            if !ty.is_error() {
                too_large(cx, &made, span);
            }
            (made, ty)
        }
    }
}

/// A divisor that is always 0 is an error; one that can be 0 for some records or some person is
/// a warning (the evaluation then stops with an error for that person and period).
fn divisor(cx: &mut Checker, rx: &model::Expr, span: Span, scope: &Scope) {
    if interval::always_zero(cx, rx, &scope.record_kinds) {
        cx.push(
            Diag::error(Code::DivisionByZero, span, "division by zero")
                .label("this is always 0")
                .help("divide by a number other than 0, like `sum(months) / 12`"),
        );
    } else if interval::may_be_zero(cx, rx, &scope.record_kinds) {
        cx.push(
            Diag::warning(Code::DivisorMayBeZero, span, "the divisor can be 0")
                .label("can be 0 for some person or month")
                .help("where it is 0 the evaluation gives no score but an error for that person and period; for an average of records write `mean(…)`, or divide by a number"),
        );
    }
}

/// The exact value of an expression made of numbers written in the policy: `None` when it reads
/// anything else, `Some(None)` when it cannot be computed exactly (too large, or a division by 0).
fn constant(e: &model::Expr) -> Option<Option<Exact>> {
    Some(match &e.kind {
        model::ExprKind::Number(n) => Some(Exact::from_decimal(*n)),
        model::ExprKind::Neg(x) => constant(x)?.and_then(Exact::checked_neg),
        model::ExprKind::Binary(op, a, b) => {
            let (a, b) = (constant(a)?, constant(b)?);
            let (a, b) = (a?, b?);
            match op {
                BinOp::Add => a.checked_add(b),
                BinOp::Sub => a.checked_sub(b),
                BinOp::Mul => a.checked_mul(b),
                BinOp::Div => a.checked_div(b),
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// The numbers written in a product (`sum(months) * 100 * 12` gives 1200), when there are some.
fn constant_factor(e: &model::Expr) -> Option<Option<Exact>> {
    match &e.kind {
        model::ExprKind::Binary(BinOp::Mul, a, b) => match (constant_factor(a), constant_factor(b))
        {
            (Some(x), Some(y)) => Some(x.zip(y).and_then(|(x, y)| x.checked_mul(y))),
            (Some(x), None) | (None, Some(x)) => Some(x),
            (None, None) => None,
        },
        _ => constant(e).filter(|v| v.is_none_or(|v| !v.is_zero())),
    }
}

/// Numbers written in the policy that no evaluation could compute: an arithmetic on them that
/// does not fit, or a product whose written factors alone take any value that is not 0 past the
/// largest score tally can publish. Reported once, where it first happens.
fn too_large(cx: &mut Checker, e: &model::Expr, span: Span) {
    let model::ExprKind::Binary(op, a, b) = &e.kind else {
        return;
    };
    let fits = |x: &model::Expr| !matches!(constant(x), Some(None));
    if !fits(a) || !fits(b) {
        return;
    }
    let (label, help) = if matches!(constant(e), Some(None)) && *op != BinOp::Div {
        (
            "too large to compute exactly",
            "write the number the policy means; no score can be this large",
        )
    } else if *op == BinOp::Mul && constant(e).is_none() {
        let parts_fit = |x: &model::Expr| !matches!(constant_factor(x), Some(None));
        let largest = Exact::from_decimal(Decimal::MAX);
        match constant_factor(e) {
            Some(f) if parts_fit(a) && parts_fit(b) && f.is_none_or(|f| f.abs() > largest) => (
                "multiplies any score past the largest tally can publish",
                "a factor this large gives no score but an error for everyone; write the rate the regulation means",
            ),
            _ => return,
        }
    } else {
        return;
    };
    cx.push(
        Diag::error(Code::TooLarge, span, "a number too large to compute")
            .label(label)
            .help(help),
    );
}

/// A quantity's unit as a noun: "days", "a plain number".
fn unit_noun(ty: &Ty) -> String {
    match ty {
        Ty::Num(Unit::Number) => "a plain number".into(),
        Ty::Num(u) => u.name().into(),
        other => other.describe(),
    }
}

/// The operator between two operands, found in the text between them; the whole expression when
/// it cannot be told.
fn operator_span(cx: &Checker, op: BinOp, l: Span, r: Span) -> Span {
    let text: &str = &cx.source.text;
    let found = text
        .get(l.end..r.start)
        .and_then(|gap| gap.rfind(op.symbol()));
    match found {
        Some(i) => Span::new(l.end + i, l.end + i + op.symbol().len()),
        None => l.to(r),
    }
}

fn unit_mismatch(cx: &mut Checker, op: BinOp, l: &ast::Expr, lt: &Ty, r: &ast::Expr, rt: &Ty) {
    let (ln, rn) = (unit_noun(lt), unit_noun(rt));
    let message = match op {
        BinOp::Add => format!("cannot add {ln} and {rn}"),
        BinOp::Sub => format!("cannot subtract {rn} from {ln}"),
        BinOp::Mul => format!("cannot multiply {ln} by {rn}"),
        BinOp::Div => format!("cannot divide {ln} by {rn}"),
        _ => format!("cannot compare {ln} with {rn}"),
    };
    let plain = [lt, rt].contains(&&Ty::Num(Unit::Number));
    let help = match op {
        BinOp::Mul | BinOp::Div => {
            "multiply or divide a quantity by a written number or a plain `number`, like `5 * sum(volunteer.hours)`".to_string()
        }
        _ if plain => {
            "a field declared `number` has no unit; declare both in the same unit, or compare with a written number like `15`, which takes the unit of what it meets".to_string()
        }
        _ => {
            "days go with days and hours with hours; a written number like `15` takes the unit of what it meets".to_string()
        }
    };
    let at = operator_span(cx, op, l.span, r.span);
    let side = |t: &Ty| match t {
        Ty::Num(Unit::Number) => "a plain number".to_string(),
        other => other.describe(),
    };
    cx.push(
        Diag::error(Code::UnitMismatch, at, message)
            .label("the units differ")
            .also(l.span, side(lt))
            .also(r.span, side(rt))
            .help(help),
    );
}

fn table(
    cx: &mut Checker,
    key: &ast::Expr,
    entries: &[ast::TableEntry],
    span: Span,
    scope: &Scope,
) -> (model::Expr, Ty) {
    let (kx, kt) = lower(cx, key, scope);
    let mut out = Vec::new();
    let mut default = None;
    let mut result: Option<Ty> = None;
    let mut seen: Vec<(model::TableKey, Span)> = Vec::new();
    for entry in entries {
        let (vx, vt) = lower(cx, &entry.value, scope);
        let vt = expect_number(cx, vt, entry.value.span, "a table entry");
        result = match result {
            None => Some(vt),
            Some(prev) => match same_unit(&prev, &vt) {
                Some(t) => Some(t),
                None => {
                    cx.push(
                        Diag::error(
                            Code::UnitMismatch,
                            entry.value.span,
                            "the entries of a table must have one unit",
                        )
                        .label(format!("this is {}", vt.describe()))
                        .help("give every entry the same unit"),
                    );
                    Some(prev)
                }
            },
        };
        let k = match (&entry.key.node, &kt) {
            (TableKey::Else, _) => {
                default = Some(Box::new(vx));
                continue;
            }
            (TableKey::Name(n), Ty::Enum(values)) => {
                enum_value(cx, values, n, entry.key.span).map(model::TableKey::Enum)
            }
            (TableKey::Number(n), t) if t.is_numeric() => Some(model::TableKey::Number(*n)),
            (_, Ty::Error) => None,
            (_, t) => {
                cx.push(
                    Diag::error(Code::TypeMismatch, entry.key.span, "this key does not fit the table's value")
                        .label(format!("the table looks up {}", t.describe()))
                        .also(key.span, "looked up here")
                        .help("key a table by the values of a list (`city: 10`) or by whole numbers (`1: 300`)"),
                );
                None
            }
        };
        if let Some(k) = k {
            if let Some((_, first)) = seen.iter().find(|(s, _)| *s == k) {
                cx.push(
                    Diag::error(
                        Code::IncompleteTable,
                        entry.key.span,
                        "this key is in the table twice",
                    )
                    .label("listed again")
                    .also(*first, "first listed here")
                    .help("list each key once"),
                );
            } else {
                seen.push((k.clone(), entry.key.span));
                out.push((k, vx));
            }
        }
    }
    if default.is_none() {
        match &kt {
            Ty::Enum(values) => {
                let missing: Vec<&String> = values
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !seen.iter().any(|(k, _)| *k == model::TableKey::Enum(*i)))
                    .map(|(_, v)| v)
                    .collect();
                if !missing.is_empty() {
                    cx.push(
                        Diag::error(
                            Code::IncompleteTable,
                            span,
                            format!("the table leaves out {}", list_names(&missing)),
                        )
                        .label("not every value has an entry")
                        .help(format!(
                            "add {}, or an `else: …` entry",
                            missing
                                .iter()
                                .map(|m| format!("`{m}: …`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    );
                }
            }
            t if t.is_numeric() => cx.push(
                Diag::error(
                    Code::IncompleteTable,
                    span,
                    "a table over numbers needs an `else` entry",
                )
                .label("no `else`")
                .help("add `else: 0` (or the value for every number not listed)"),
            ),
            _ => {}
        }
    }
    if !matches!(kt, Ty::Enum(_) | Ty::Error) && !kt.is_numeric() {
        cx.push(
            Diag::error(
                Code::TypeMismatch,
                key.span,
                "a table looks up a value from a list or a number",
            )
            .label(format!("this is {}", kt.describe()))
            .help("write the table after a field like `level`"),
        );
    }
    let ty = result.unwrap_or(Ty::Lit);
    (
        node(
            M::Table {
                key: Box::new(kx),
                entries: out,
                default,
            },
            span,
        ),
        ty,
    )
}

/// Whether the amount reads like a rate: a written number times a quantity (`5 * (100 - …)`).
pub fn is_rate(e: &ast::Expr) -> bool {
    match &e.kind {
        A::Paren(x) => is_rate(x),
        A::Binary(BinOp::Mul, a, b) => is_literal(a) || is_literal(b),
        _ => false,
    }
}

fn is_literal(e: &ast::Expr) -> bool {
    match &e.kind {
        A::Number(_) => true,
        A::Paren(x) | A::Neg(x) => is_literal(x),
        _ => false,
    }
}
