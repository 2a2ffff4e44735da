//! The type a roster column or a record field declares: a unit with its range, a list of values,
//! a `group`'s head, or one of the plain types; each mistake reported where it is written.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::super::Checker;
use super::super::model::{Unit, ValueType};
use crate::diag::{Code, Diag, closest, did_you_mean};
use crate::syntax::ast::{self, Span, Spanned};

/// The declared type; `None` (after reporting it) when it names no type tally knows.
pub(super) fn value_type(cx: &mut Checker, ty: &ast::FieldType, what: &str) -> Option<ValueType> {
    match ty {
        ast::FieldType::HeadOf(group) => head_of(cx, group, what),
        ast::FieldType::Enum(values) => Some(enumeration(cx, values)),
        ast::FieldType::Scalar { whole, unit, range } => {
            scalar(cx, *whole, unit, range.as_ref(), what)
        }
    }
}

/// `head of GROUP`: the `group` column must be declared above.
fn head_of(cx: &mut Checker, group: &ast::Name, what: &str) -> Option<ValueType> {
    let found = cx
        .columns
        .iter()
        .position(|c| c.name == group.node && c.ty == ValueType::Group);
    if found.is_none() {
        let groups: Vec<&str> = cx
            .columns
            .iter()
            .filter(|c| c.ty == ValueType::Group)
            .map(|c| c.name.as_str())
            .collect();
        cx.push(
            Diag::error(
                Code::UnknownColumn,
                group.span,
                crate::tr!(
                    format!("the roster has no `group` column `{}` above", group.node),
                    format!("花名册前面没有名为 `{}` 的 `group` 列", group.node)
                ),
            )
            .label(crate::tr!(
                "not a `group` column declared before this one",
                "不是在这一列之前声明的 `group` 列"
            ))
            .help(
                did_you_mean(&group.node, groups.iter().copied()).unwrap_or_else(|| {
                    crate::tr!(
                        format!(
                            "declare the groups first: `{}: group`, then `{what}: head of {}`",
                            group.node, group.node
                        ),
                        format!(
                            "先声明分组：`{0}: group`，再写 `{what}: head of {1}`",
                            group.node, group.node
                        )
                    )
                }),
            ),
        );
    }
    found.map(ValueType::HeadOf)
}

/// `a | b | c`: each value listed once.
fn enumeration(cx: &mut Checker, values: &[ast::Name]) -> ValueType {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for v in values {
        if let Some(first) = seen.get(v.node.as_str()) {
            cx.push(
                Diag::error(
                    Code::DuplicateId,
                    v.span,
                    crate::tr!(
                        format!("`{}` is listed twice", v.node),
                        format!("`{}` 列了两次", v.node)
                    ),
                )
                .label(crate::tr!("listed again", "这里又列了一次"))
                .also(*first, crate::tr!("first listed here", "第一次在这里列出"))
                .help(crate::tr!("list each value once", "每个值只列一次")),
            );
        } else {
            seen.insert(&v.node, *v.span);
        }
    }
    ValueType::Enum(values.iter().map(|v| v.node.clone()).collect())
}

/// `[whole] unit [range]`: a number with its unit and range, or one of the plain types.
fn scalar(
    cx: &mut Checker,
    whole: bool,
    unit: &ast::Name,
    range: Option<&Spanned<ast::RangeDecl>>,
    what: &str,
) -> Option<ValueType> {
    let numeric = Unit::ALL
        .iter()
        .find(|(n, _)| *n == unit.node)
        .map(|(_, u)| *u);
    let (min, max) = range.map_or((None, None), |r| (r.node.min, r.node.max));
    if let Some(r) = range {
        empty_range(cx, r);
    }
    if let (true, Some(r)) = (whole && numeric.is_some(), range) {
        fractional_bound(cx, r, min, max);
    }
    match (numeric, unit.node.as_str()) {
        (Some(u), _) => Some(ValueType::Number {
            unit: u,
            whole,
            min,
            max,
        }),
        (None, "text" | "bool" | "person" | "group" | "time" | "date") => {
            Some(plain(cx, whole, unit, range, what))
        }
        (None, _) => {
            unknown_type(cx, unit);
            None
        }
    }
}

/// A range whose lower end is above its upper end.
fn empty_range(cx: &mut Checker, r: &Spanned<ast::RangeDecl>) {
    if let (Some(lo), Some(hi)) = (r.node.min, r.node.max) {
        if lo > hi {
            cx.push(
                Diag::error(
                    Code::BadRange,
                    r.span,
                    crate::tr!(
                        format!("the range {lo}..{hi} is empty"),
                        format!("范围 {lo}..{hi} 是空的")
                    ),
                )
                .label(crate::tr!(
                    "the lower end is above the upper end",
                    "下限比上限还大"
                ))
                .help(crate::tr!(
                    format!("write `{hi}..{lo}`"),
                    format!("写成 `{hi}..{lo}`")
                )),
            );
        }
    }
}

/// A bound with a fraction on a `whole` field.
fn fractional_bound(
    cx: &mut Checker,
    r: &Spanned<ast::RangeDecl>,
    min: Option<Decimal>,
    max: Option<Decimal>,
) {
    let fractional = [min, max]
        .into_iter()
        .flatten()
        .find(|b| !b.fract().is_zero());
    if let Some(bound) = fractional {
        let whole_range = |b: Option<Decimal>, up: bool| {
            b.map(|b| {
                if up { b.ceil() } else { b.floor() }
                    .normalize()
                    .to_string()
            })
        };
        let written = match (whole_range(min, true), whole_range(max, false)) {
            (Some(lo), Some(hi)) => format!("{lo}..{hi}"),
            (Some(lo), None) => format!(">= {lo}"),
            (None, Some(hi)) => format!("<= {hi}"),
            (None, None) => String::new(),
        };
        cx.push(
            Diag::error(
                Code::BadRange,
                r.span,
                crate::tr!(
                    format!("a `whole` field cannot have the bound {bound}"),
                    format!("`whole` 字段不能用 {bound} 作界限")
                ),
            )
            .label(crate::tr!("not a whole number", "不是整数"))
            .help(crate::tr!(
                format!(
                    "write the whole numbers the field may hold: `{written}`, or remove `whole`"
                ),
                format!("写出这个字段可以取的整数：`{written}`，或者去掉 `whole`")
            )),
        );
    }
}

/// `text`, `bool`, `person`, `group`, `time` or `date`, which are neither whole nor ranged.
fn plain(
    cx: &mut Checker,
    whole: bool,
    unit: &ast::Name,
    range: Option<&Spanned<ast::RangeDecl>>,
    what: &str,
) -> ValueType {
    if whole || range.is_some() {
        let at = range.map_or(unit.span, |r| r.span);
        cx.push(
            Diag::error(
                Code::BadRange,
                at,
                crate::tr!(
                    format!("`{}` cannot be whole or have a range", unit.node),
                    format!("`{}` 不能加 `whole`，也不能有取值范围", unit.node)
                ),
            )
            .label(crate::tr!(
                "only numbers have ranges",
                "只有数值才有取值范围"
            ))
            .help(crate::tr!(
                format!("write `{what}: {}`", unit.node),
                format!("写成 `{what}: {}`", unit.node)
            )),
        );
    }
    match unit.node.as_str() {
        "text" => ValueType::Text,
        "person" => ValueType::Person,
        "date" => ValueType::Date,
        "group" => ValueType::Group,
        "time" => ValueType::Time,
        _ => ValueType::Bool,
    }
}

/// A type tally does not know.
fn unknown_type(cx: &mut Checker, unit: &ast::Name) {
    let mut names: Vec<&str> = Unit::ALL.iter().map(|(n, _)| *n).collect();
    names.extend(["text", "bool", "person", "group", "time", "date"]);
    let help =
        did_you_mean(&unit.node, names.iter().copied()).unwrap_or_else(|| {
            let units: Vec<String> =
                Unit::ALL.iter().map(|(n, _)| format!("`{n}`")).collect();
            crate::tr!(
                format!(
                    "a type is a unit ({}), `text`, `bool`, or the values separated by `|`, like `city | province`",
                    units.join(", ")
                ),
                format!(
                    "类型可以是单位（{}）、`text`、`bool`，或者用 `|` 隔开的几个取值，比如 `city | province`",
                    units.join("、")
                )
            )
        });
    cx.push(
        Diag::error(
            Code::UnknownType,
            unit.span,
            crate::tr!(
                format!("unknown type `{}`", unit.node),
                format!("没有 `{}` 这个类型", unit.node)
            ),
        )
        .label(crate::tr!("not a type", "不是类型"))
        .help(help)
        .fix(unit.span, closest(&unit.node, names.iter().copied())),
    );
}
