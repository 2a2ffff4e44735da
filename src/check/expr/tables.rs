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
        let vt = expect_number(
            cx,
            vt,
            *entry.value.span,
            crate::tr!("a table entry", "对照表的一项"),
        );
        result = Some(joined_unit(cx, result, vt, entry));
        if matches!(entry.key.node, TableKey::Else) {
            default = Some(Box::new(vx));
            continue;
        }
        let k = entry_key(cx, entry, &kt, &seen, key);
        if let Some(k) = k {
            if let Some((_, first)) = seen.iter().find(|(s, _)| *s == k) {
                key_twice(cx, entry, *first);
            } else {
                seen.push((k.clone(), *entry.key.span));
                out.push((k, vx));
            }
        }
    }
    if default.is_none() {
        without_else(cx, &kt, &seen, span, scope);
    }
    if !matches!(kt, Ty::Enum(_) | Ty::Error) && !kt.is_numeric() {
        cx.push(
            Diag::error(
                Code::TypeMismatch,
                key.span,
                crate::tr!(
                    "a table looks up a value from a list or a number",
                    "对照表只能按列表里的取值或按数来查"
                ),
            )
            .label(crate::tr!(
                format!("this is {}", kt.describe()),
                crate::lang::spaced(&format!("这是{}", kt.describe()))
            ))
            .help(crate::tr!(
                "write the table after a field like `level`",
                "把对照表写在字段后面，比如 `level`"
            )),
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

/// Reports a key listed a second time (`first`: where it was listed first).
fn key_twice(cx: &mut Checker, entry: &ast::TableEntry, first: Span) {
    cx.push(
        Diag::error(
            Code::IncompleteTable,
            entry.key.span,
            crate::tr!(
                "this key is in the table twice",
                "这个键在对照表里出现了两次"
            ),
        )
        .label(crate::tr!("listed again", "这里又列了一次"))
        .also(first, crate::tr!("first listed here", "第一次在这里列出"))
        .help(crate::tr!("list each key once", "每个键只列一次")),
    );
}

/// The unit of the table's entries so far, with `vt` the next entry's; an entry of another unit
/// is reported and the table keeps the unit before it.
fn joined_unit(cx: &mut Checker, result: Option<Ty>, vt: Ty, entry: &ast::TableEntry) -> Ty {
    match result {
        None => vt,
        Some(prev) => match same_unit(&prev, &vt) {
            Some(t) => t,
            None => {
                cx.push(
                    Diag::error(
                        Code::UnitMismatch,
                        entry.value.span,
                        crate::tr!(
                            "the entries of a table must have one unit",
                            "对照表各项的单位必须一致"
                        ),
                    )
                    .label(crate::tr!(
                        format!("this is {}", vt.describe()),
                        crate::lang::spaced(&format!("这是{}", vt.describe()))
                    ))
                    .help(crate::tr!(
                        "give every entry the same unit",
                        "每一项用同一个单位"
                    )),
                );
                prev
            }
        },
    }
}

/// The key of one entry, by the type of the value looked up; `None` after reporting a key that
/// does not fit it. A bound no value reaches past the entries before it is a warning.
fn entry_key(
    cx: &mut Checker,
    entry: &ast::TableEntry,
    kt: &Ty,
    seen: &[(model::TableKey, Span)],
    key: &ast::Expr,
) -> Option<model::TableKey> {
    match (&entry.key.node, kt) {
        // `else` is taken before the key is read.
        (TableKey::Else, _) => None,
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
                        crate::tr!(
                            format!("no value reaches `{} {n}`", op.symbol()),
                            format!("没有哪个值能落到 `{} {n}`", op.symbol())
                        ),
                    )
                    .label(crate::tr!(
                        "an entry before it takes every such value",
                        "前面的一项已经把这些值都占了"
                    ))
                    .also(*earlier, crate::tr!("takes them first", "先占了这些值"))
                    .help(crate::tr!(
                        "entries are tried in order: list bounds from the most to the least demanding (`>= 300` before `>= 100`)",
                        "对照表按顺序逐项匹配：界限从严到宽排列（`>= 300` 写在 `>= 100` 前面）"
                    )),
                );
            }
            Some(model::TableKey::Bound(*op, *n))
        }
        (_, Ty::Error) => None,
        (_, t) => {
            cx.push(
                Diag::error(Code::TypeMismatch, entry.key.span, crate::tr!(
                    "this key does not fit the table's value",
                    "这一项的键和对照表要查的值对不上"
                ))
                    .label(crate::tr!(
                        format!("the table looks up {}", t.describe()),
                        crate::lang::spaced(&format!("对照表查的是{}", t.describe()))
                    ))
                    .also(key.span, crate::tr!("looked up here", "在这里查"))
                    .help(crate::tr!(
                        "key a table by the values of a list (`city: 10`), by numbers (`1: 300`), or by bounds on a number (`>= 300: 50`)",
                        "对照表的键可以是列表里的取值（`city: 10`）、数（`1: 300`），或数的界限（`>= 300: 50`）"
                    )),
            );
            None
        }
    }
}

/// A table with no `else` entry: every value of the list it looks up needs an entry, and a table
/// over numbers needs an `else`.
fn without_else(
    cx: &mut Checker,
    kt: &Ty,
    seen: &[(model::TableKey, Span)],
    span: Span,
    scope: &Scope,
) {
    match kt {
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
                        crate::tr!(
                            format!("the table leaves out {}", list_names(&missing)),
                            format!("对照表漏了 {}", list_names(&missing))
                        ),
                    )
                    .label(crate::tr!(
                        "not every value has an entry",
                        "不是每个取值都有对应的一项"
                    ))
                    .help(crate::tr!(
                        format!(
                            "add {}, or an `else: …` entry",
                            missing
                                .iter()
                                .map(|m| format!("`{m}: …`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        format!(
                            "补上 {}，或者加一项 `else: …`",
                            missing
                                .iter()
                                .map(|m| format!("`{m}: …`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    )),
                );
            }
        }
        t if t.is_numeric() => cx.push(
            Diag::error(
                Code::IncompleteTable,
                span,
                crate::tr!(
                    "a table over numbers needs an `else` entry",
                    "按数查的对照表需要一项 `else`"
                ),
            )
            .label(crate::tr!("no `else`", "没有 `else`"))
            .help(if scope.durations {
                crate::tr!(
                    "add `else: 1 year` (or the duration for every number not listed)",
                    "加上 `else: 1 year`（或者其他未列出的数对应的期限）"
                )
            } else {
                crate::tr!(
                    "add `else: 0` (or the value for every number not listed)",
                    "加上 `else: 0`（或者其他未列出的数对应的值）"
                )
            }),
        ),
        _ => {}
    }
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
