//! Tables by value (`level { city: 10, province: 40 }`).

use super::*;

pub(super) fn table(
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
        let vt = expect_number(cx, vt, *entry.value.span, "a table entry");
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
                enum_value(cx, values, n, *entry.key.span).map(model::TableKey::Enum)
            }
            (TableKey::Number(n), t) if t.is_numeric() => Some(model::TableKey::Number(*n)),
            (TableKey::Bound(op, n), t) if t.is_numeric() => {
                if let Some((_, earlier)) = seen.iter().find(|(k, _)| covers(k, *op, *n)) {
                    cx.push(
                        Diag::warning(
                            Code::NeverFires,
                            entry.key.span,
                            format!("no value reaches `{} {n}`", op.symbol()),
                        )
                        .label("an entry before it takes every such value")
                        .also(*earlier, "takes them first")
                        .help("entries are tried in order: list bounds from the most to the least demanding (`>= 300` before `>= 100`)"),
                    );
                }
                Some(model::TableKey::Bound(*op, *n))
            }
            (_, Ty::Error) => None,
            (_, t) => {
                cx.push(
                    Diag::error(Code::TypeMismatch, entry.key.span, "this key does not fit the table's value")
                        .label(format!("the table looks up {}", t.describe()))
                        .also(key.span, "looked up here")
                        .help("key a table by the values of a list (`city: 10`), by numbers (`1: 300`), or by bounds on a number (`>= 300: 50`)"),
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
                seen.push((k.clone(), *entry.key.span));
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

/// Whether an earlier key takes every value `OP n` would: a lower bound at or below another
/// lower bound (`>= 10` before `>= 20`), an upper bound at or above another upper bound.
fn covers(earlier: &model::TableKey, op: BinOp, n: Decimal) -> bool {
    let model::TableKey::Bound(e, m) = earlier else {
        return false;
    };
    match (e, op) {
        (BinOp::Ge, BinOp::Ge | BinOp::Gt) => n >= *m,
        (BinOp::Gt, BinOp::Gt) => n >= *m,
        (BinOp::Gt, BinOp::Ge) => n > *m,
        (BinOp::Le, BinOp::Le | BinOp::Lt) => n <= *m,
        (BinOp::Lt, BinOp::Lt) => n <= *m,
        (BinOp::Lt, BinOp::Le) => n < *m,
        _ => false,
    }
}
