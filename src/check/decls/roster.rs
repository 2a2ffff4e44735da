//! The roster's columns: none built in, none twice, none optional, and only the types a person's
//! row can hold.

use std::collections::HashMap;

use super::super::Checker;
use super::super::model::{self, ValueType};
use super::{BUILTIN_COLUMNS, once, value_type};
use crate::diag::{Code, Diag, list_names};
use crate::syntax::ast::{self, Decl, Span};

pub fn roster(cx: &mut Checker, ast: &ast::Ast) {
    let mut found: Option<&ast::RosterDecl> = None;
    for decl in &ast.decls {
        if let Decl::Roster(r) = decl {
            let first = found.map_or(r.span, |f| f.span);
            once(cx, &mut found, r, *r.span, "roster", *first);
        }
    }
    let Some(r) = found else { return };
    cx.has_roster = true;
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for col in &r.columns {
        if BUILTIN_COLUMNS.contains(&col.name.node.as_str()) {
            builtin_column(cx, col);
            continue;
        }
        if let Some(first) = seen.get(col.name.node.as_str()) {
            cx.push(
                Diag::error(
                    Code::DuplicateId,
                    col.name.span,
                    crate::tr!(
                        format!("the roster column `{}` is declared twice", col.name.node),
                        format!("花名册列 `{}` 声明了两次", col.name.node)
                    ),
                )
                .label(crate::tr!("declared again", "又声明了一次"))
                .also(
                    *first,
                    crate::tr!("first declared here", "第一次在这里声明"),
                )
                .help(crate::tr!("declare each column once", "每一列只声明一次")),
            );
            continue;
        }
        seen.insert(&col.name.node, *col.name.span);
        if col.optional {
            optional_column(cx, col);
        }
        let ty = value_type(cx, &col.ty, &col.name.node);
        if let Some(ty) = &ty {
            record_type(cx, col, ty);
        }
        let ty = ty.unwrap_or_else(|| {
            cx.untyped.push((col.span.start, col.span.end));
            ValueType::Text
        });
        cx.columns.push(model::Column {
            name: col.name.node.clone(),
            ty,
            span: *col.span,
        });
    }
}

/// A column every roster has whatever the policy declares.
fn builtin_column(cx: &mut Checker, col: &ast::FieldDecl) {
    cx.push(
        Diag::error(
            Code::ReservedName,
            col.name.span,
            crate::tr!(
                format!("`{}` is a built-in roster column", col.name.node),
                format!("`{}` 是花名册自带的列", col.name.node)
            ),
        )
        .label(crate::tr!("always present", "总是有这一列"))
        .help(crate::tr!(
            format!(
                "every roster has {}; delete this line",
                list_names(BUILTIN_COLUMNS)
            ),
            format!("每份花名册都有 {}；删掉这一行", list_names(BUILTIN_COLUMNS))
        )),
    );
}

/// `optional` on a roster column.
fn optional_column(cx: &mut Checker, col: &ast::FieldDecl) {
    // The roster is one row per person with every column filled: an empty cell is
    // refused when it is read, so `optional` here would promise what never happens.
    cx.push(
        Diag::error(
            Code::Misplaced,
            col.span,
            crate::tr!(
                format!("the roster column `{}` cannot be optional", col.name.node),
                format!("花名册列 `{}` 不能是 optional", col.name.node)
            ),
        )
        .label(crate::tr!("`optional` is for record fields", "`optional` 只用于记录的字段"))
        .help(crate::tr!(
            "every person's row fills every roster column; remove `optional`, and give people without a value one that says so (a `none` value in the list, or `false`)",
            "花名册里每个人的每一列都要填；去掉 `optional`，没有的人填一个表示没有的值（列表里的 `none` 值，或 `false`）"
        )),
    );
}

/// A type only a record field may have: a date, a person, a time of day.
fn record_type(cx: &mut Checker, col: &ast::FieldDecl, ty: &ValueType) {
    if *ty == ValueType::Date {
        cx.push(
        Diag::error(
            Code::Misplaced,
            col.span,
            crate::tr!(
                format!("the roster column `{}` cannot be a date", col.name.node),
                format!("花名册列 `{}` 不能是日期", col.name.node)
            ),
        )
        .label(crate::tr!("`date` is a record field's type", "`date` 是记录字段的类型"))
        .help(crate::tr!(
            "a record field `…: date` says when a continuing fault ended (`valid … from FIELD`); in the roster, write the column as `text`",
            "记录字段 `…: date` 写的是持续性问题何时结束（`valid … from FIELD`）；花名册里这一列写成 `text`"
        )),
    );
    }
    if *ty == ValueType::Person {
        cx.push(
        Diag::error(
            Code::Misplaced,
            col.span,
            crate::tr!(
                format!("the roster column `{}` cannot be a person", col.name.node),
                format!("花名册列 `{}` 不能是人员", col.name.node)
            ),
        )
        .label(crate::tr!("`person` is a record field's type", "`person` 是记录字段的类型"))
        .help(crate::tr!(
            "a record field `…: person` names whom points go to (`to FIELD`); in the roster, write the column as `text`",
            "记录字段 `…: person` 写的是分数记给谁（`to FIELD`）；花名册里这一列写成 `text`"
        )),
    );
    }
    if *ty == ValueType::Time {
        cx.push(
        Diag::error(
            Code::Misplaced,
            col.span,
            crate::tr!(
                format!(
                    "the roster column `{}` cannot be a time of day",
                    col.name.node
                ),
                format!("花名册列 `{}` 不能是时刻", col.name.node)
            ),
        )
        .label(crate::tr!("`time` is a record field's type", "`time` 是记录字段的类型"))
        .help(crate::tr!(
            "a time of day belongs to an event (when someone arrived): declare it as a field of that record kind",
            "时刻属于某件事（比如几点到岗）：把它声明为那个记录类型的字段"
        )),
    );
    }
}
