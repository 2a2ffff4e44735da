//! Record kinds: their ids and labels (each unique, as record files name a kind by either), whom
//! a record names, and their fields.

use std::collections::HashMap;

use super::super::Checker;
use super::super::model::{self, Subjects, ValueType};
use super::{BUILTIN_RECORD_COLUMNS, empty_label, spaced_ends, value_type};
use crate::diag::{Code, Diag, closest, did_you_mean, list_names};
use crate::syntax::ast::{self, Decl, Span};

pub fn kinds(cx: &mut Checker, ast: &ast::Ast) {
    let mut labels: HashMap<&str, Span> = HashMap::new();
    for decl in &ast.decls {
        let Decl::Record(r) = decl else { continue };
        if let Some(&first) = cx.kind_index.get(&r.id.node) {
            let first_span = cx.kinds[first].span;
            duplicate_kind(cx, r, first_span);
            continue;
        }
        label(cx, r, &mut labels);
        let subjects = subjects(cx, r);
        let fields = fields(cx, r);
        cx.kind_index.insert(r.id.node.clone(), cx.kinds.len());
        cx.kinds.push(model::Kind {
            id: r.id.node.clone(),
            label: r.label.node.clone(),
            subjects,
            fields,
            not_scored: r.not_scored,
            span: *r.id.span,
        });
        cx.used_kinds.push(false);
    }
    labels_as_ids(cx, ast);
}

/// A second record kind with an id already declared.
fn duplicate_kind(cx: &mut Checker, r: &ast::RecordDecl, first_span: Span) {
    cx.push(
        Diag::error(
            Code::DuplicateId,
            r.id.span,
            crate::tr!(
                format!("the record kind `{}` is declared twice", r.id.node),
                format!("记录类型 `{}` 声明了两次", r.id.node)
            ),
        )
        .label(crate::tr!("declared again", "又声明了一次"))
        .also(
            first_span,
            crate::tr!("first declared here", "第一次在这里声明"),
        )
        .help(crate::tr!(
            "rename one of them, or delete the second",
            "给其中一个改名，或者删掉第二个"
        )),
    );
}

/// A kind's label: not empty, without white space at either end, not another kind's label (another
/// kind's id is told once every id is known).
fn label<'a>(cx: &mut Checker, r: &'a ast::RecordDecl, labels: &mut HashMap<&'a str, Span>) {
    // A tab or a line break in a label is told as a hidden character, by `empty_label`.
    let hidden = r.label.node.chars().any(char::is_control);
    let what = crate::tr!(
        format!("the label of the record kind `{}`", r.id.node),
        format!("记录类型 `{}` 的名称", r.id.node)
    );
    if empty_label(
        cx,
        &r.label,
        crate::tr!("record kind", "记录类型"),
        &r.id.node,
    ) {
        // Reported; an empty label is not compared with the others.
    } else if !hidden && spaced_ends(cx, (&r.label.node, r.label.span), &what) {
        // Reported; no record names the kind by it, so it is not compared with the others.
    } else if let Some(first) = labels.get(r.label.node.as_str()) {
        cx.push(
            Diag::error(
                Code::DuplicateLabel,
                r.label.span,
                crate::tr!(
                    format!("two record kinds are labelled `{}`", r.label.node),
                    format!("两个记录类型都叫 `{}`", r.label.node)
                ),
            )
            .label(crate::tr!("label used again", "名称又用了一次"))
            .also(*first, crate::tr!("first used here", "第一次在这里使用"))
            .help(crate::tr!(
                "record files may name a kind by its label, so labels must differ",
                "记录文件可以用名称来写记录类型，所以名称不能重复"
            )),
        );
    } else {
        labels.insert(&r.label.node, *r.label.span);
    }
}

/// A kind's label that is another kind's id, declared before it or after it: a record naming it
/// would be counted for one of the two, and nobody would see which. A label that is the kind's
/// own id names the kind either way. Told once every id is known.
fn labels_as_ids(cx: &mut Checker, ast: &ast::Ast) {
    for decl in &ast.decls {
        let Decl::Record(r) = decl else { continue };
        let own = cx.kind_index.get(&r.id.node).copied();
        // A second declaration of an id was reported, and is not a kind.
        if own.is_none_or(|k| cx.kinds[k].span != *r.id.span) {
            continue;
        }
        let Some(&other) = cx.kind_index.get(&r.label.node) else {
            continue;
        };
        if Some(other) == own {
            continue;
        }
        let other_span = cx.kinds[other].span;
        cx.push(
            Diag::error(
                Code::DuplicateLabel,
                r.label.span,
                crate::tr!(
                    format!("`{}` is the id of another record kind", r.label.node),
                    format!("`{}` 是另一个记录类型的代号", r.label.node)
                ),
            )
            .label(crate::tr!("used as a label here", "这里被用作名称"))
            .also(
                other_span,
                crate::tr!("the kind with this id", "用这个代号的记录类型"),
            )
            .help(crate::tr!(
                "record files may name a kind by id or label, so neither may repeat another",
                "记录文件可以用代号或名称来写记录类型，所以两者都不能和别的重复"
            )),
        );
    }
}

/// Whom a record of the kind names: a person, a department, the town.
fn subjects(cx: &mut Checker, r: &ast::RecordDecl) -> Subjects {
    let mut subjects = Subjects::default();
    for s in &r.subjects {
        match s.node.as_str() {
            "person" => subjects.person = true,
            "department" => subjects.department = true,
            "town" => subjects.town = true,
            other => {
                let help = did_you_mean(other, ["person", "department", "town"])
                    .unwrap_or_else(|| {
                        crate::tr!(
                            "a record names a `person`, a `department`, or the `town`",
                            "一条记录的对象是 `person`（人员）、`department`（部门）或 `town`（全镇）"
                        ).into()
                    });
                cx.push(
                    Diag::error(
                        Code::UnknownSubject,
                        s.span,
                        crate::tr!(
                            format!("a record cannot name a `{other}`"),
                            format!("记录的对象不能是 `{other}`")
                        ),
                    )
                    .label(crate::tr!(
                        "not `person`, `department` or `town`",
                        "不是 `person`、`department` 或 `town`"
                    ))
                    .help(help)
                    .fix(s.span, closest(other, ["person", "department", "town"])),
                );
            }
        }
    }
    subjects
}

/// The kind's fields: none built in, none twice, none a group.
fn fields(cx: &mut Checker, r: &ast::RecordDecl) -> Vec<model::Field> {
    let mut fields: Vec<model::Field> = Vec::new();
    for f in &r.fields {
        if BUILTIN_RECORD_COLUMNS.contains(&f.name.node.as_str()) {
            cx.push(
                Diag::error(
                    Code::ReservedName,
                    f.name.span,
                    crate::tr!(
                        format!("`{}` is a built-in record column", f.name.node),
                        format!("`{}` 是记录文件自带的列", f.name.node)
                    ),
                )
                .label(crate::tr!("reserved", "已被占用"))
                .help(crate::tr!(
                    format!(
                        "record files always have {}; name this field differently",
                        list_names(BUILTIN_RECORD_COLUMNS)
                    ),
                    format!(
                        "记录文件总是有 {}；给这个字段换个名称",
                        list_names(BUILTIN_RECORD_COLUMNS)
                    )
                )),
            );
            continue;
        }
        if let Some(first) = fields.iter().find(|x| x.name == f.name.node) {
            cx.push(
                Diag::error(
                    Code::DuplicateId,
                    f.name.span,
                    crate::tr!(
                        format!("the field `{}` is declared twice", f.name.node),
                        format!("字段 `{}` 声明了两次", f.name.node)
                    ),
                )
                .label(crate::tr!("declared again", "又声明了一次"))
                .also(
                    first.span,
                    crate::tr!("first declared here", "第一次在这里声明"),
                )
                .help(crate::tr!("declare each field once", "每个字段只声明一次")),
            );
            continue;
        }
        let ty = value_type(cx, &f.ty, &f.name.node).unwrap_or_else(|| {
            cx.untyped.push((f.name.span.start, f.name.span.end));
            ValueType::Text
        });
        if matches!(ty, ValueType::Group | ValueType::HeadOf(_)) {
            cx.push(
                Diag::error(
                    Code::Misplaced,
                    f.span,
                    crate::tr!(
                        format!(
                            "the field `{}` cannot be a group or a group's head",
                            f.name.node
                        ),
                        format!("字段 `{}` 不能是分组，也不能是分组的负责人", f.name.node)
                    ),
                )
                .label(crate::tr!("groups are the roster's", "分组属于花名册"))
                .help(crate::tr!(
                    "declare groups in `roster { … }` (`household: group`); a record reaches one through its person, `to head of household`",
                    "分组在 `roster { … }` 里声明（`household: group`）；记录通过它的人员关联到分组：`to head of household`"
                )),
            );
        }
        fields.push(model::Field {
            name: f.name.node.clone(),
            ty,
            optional: f.optional,
            span: *f.name.span,
        });
    }
    fields
}
