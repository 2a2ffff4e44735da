//! The type a roster column or a record field declares: a unit with its range, a list of values,
//! a `group`'s head, or one of the plain types; each mistake reported where it is written.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::super::Checker;
use super::super::model::{Unit, ValueType};
use crate::diag::{Code, Diag, closest, did_you_mean};
use crate::syntax::ast::{self, Span};

/// The declared type; `None` (after reporting it) when it names no type tally knows.
pub(super) fn value_type(cx: &mut Checker, ty: &ast::FieldType, what: &str) -> Option<ValueType> {
    match ty {
        ast::FieldType::HeadOf(group) => {
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
                                    group.node,
                                    group.node
                                ),
                                format!(
                                    "先声明分组：`{0}: group`，再写 `{what}: head of {1}`",
                                    group.node,
                                    group.node
                                )
                            )
                        }),
                    ),
                );
            }
            found.map(ValueType::HeadOf)
        }
        ast::FieldType::Enum(values) => {
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
            Some(ValueType::Enum(
                values.iter().map(|v| v.node.clone()).collect(),
            ))
        }
        ast::FieldType::Scalar { whole, unit, range } => {
            let numeric = Unit::ALL
                .iter()
                .find(|(n, _)| *n == unit.node)
                .map(|(_, u)| *u);
            let (min, max) = range
                .as_ref()
                .map_or((None, None), |r| (r.node.min, r.node.max));
            if let Some(r) = range {
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
            if let (true, Some(r)) = (*whole && numeric.is_some(), range) {
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
            match (numeric, unit.node.as_str()) {
                (Some(u), _) => Some(ValueType::Number {
                    unit: u,
                    whole: *whole,
                    min,
                    max,
                }),
                (None, "text" | "bool" | "person" | "group" | "time" | "date") => {
                    if *whole || range.is_some() {
                        let at = range.as_ref().map_or(unit.span, |r| r.span);
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
                        "text" => Some(ValueType::Text),
                        "person" => Some(ValueType::Person),
                        "date" => Some(ValueType::Date),
                        "group" => Some(ValueType::Group),
                        "time" => Some(ValueType::Time),
                        _ => Some(ValueType::Bool),
                    }
                }
                (None, _) => {
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
                    None
                }
            }
        }
    }
}
