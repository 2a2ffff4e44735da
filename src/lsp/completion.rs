//! Completion: record kinds, the fields of a kind after `kind.`, the fields and enumeration values
//! a rule can read, roster columns, grades after `grade at most`, and the language's keywords.

use lsp_types::{CompletionItem, CompletionItemKind};

use super::document::Document;
use crate::syntax::ast::{self, Ast, Decl, FieldType};

/// The language's words (grammar/policy.pest), units, rounding modes, targets and subjects.
const KEYWORDS: &[&str] = &[
    "policy",
    "year",
    "total",
    "annual",
    "round",
    "roster",
    "record",
    "by",
    "optional",
    "whole",
    "not",
    "scored",
    "section",
    "item",
    "adjustments",
    "grades",
    "for",
    "per",
    "when",
    "base",
    "where",
    "zero",
    "flag",
    "grade",
    "at",
    "most",
    "to",
    "from",
    "cap",
    "score",
    "demote",
    "freeze",
    "exclude",
    "card",
    "top",
    "of",
    "highest",
    "once",
    "rank",
    "lowest",
    "scaled",
    "or",
    "and",
    "in",
    "else",
    "count",
    "sum",
    "mean",
    "min",
    "max",
    "floor",
    "ceil",
    "month",
    "quarter",
    "quarters",
    "ledger",
    "derive",
    "points",
    "days",
    "hours",
    "households",
    "number",
    "text",
    "bool",
    "time",
    "half-up",
    "half-even",
    "down",
    "up",
    "person",
    "department",
    "town",
    "members",
    "staff",
    "head",
];

pub fn complete(doc: &Document, offset: usize) -> Vec<CompletionItem> {
    let Some(ast) = doc.known.as_ref() else {
        return keywords();
    };
    let line_start = doc.text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &doc.text[line_start..offset];
    // The word being typed, and what stands before it.
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let head = &before[..word_start];
    if let Some(owner) = head.strip_suffix('.') {
        let kind_start = owner
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let kind = &owner[kind_start..];
        return records(ast)
            .filter(|r| r.id.node == kind)
            .flat_map(|r| fields(r, &doc.text))
            .collect();
    }
    let words: Vec<&str> = head.split_whitespace().collect();
    if words.ends_with(&["grade", "at", "most"]) || words.ends_with(&["demote", "to"]) {
        return grades(ast);
    }
    if words.last() == Some(&"to") {
        return targets(ast);
    }
    if words.len() >= 3 && words[words.len() - 3] == "to" && words.ends_with(&["of"]) {
        return columns_of_unit(ast, "group");
    }
    let mut out = keywords();
    for r in records(ast) {
        out.push(CompletionItem {
            label: r.id.node.clone(),
            kind: Some(CompletionItemKind::CLASS),
            detail: Some(crate::tr!(
                format!("record kind “{}”", r.label.node),
                format!("记录类型“{}”", r.label.node)
            )),
            ..CompletionItem::default()
        });
    }
    for decl in &ast.decls {
        if let Decl::Roster(roster) = decl {
            for c in &roster.columns {
                out.push(CompletionItem {
                    label: c.name.node.clone(),
                    kind: Some(CompletionItemKind::PROPERTY),
                    detail: Some(crate::tr!("roster column", "花名册列").to_string()),
                    ..CompletionItem::default()
                });
                out.extend(values(c, crate::tr!("roster column", "花名册列")));
            }
        }
    }
    // The fields of the kinds the rule under the cursor reads (`per late, absent …`).
    for kind in rule_kinds(doc, offset) {
        for r in records(ast).filter(|r| r.id.node == kind) {
            out.extend(fields(r, &doc.text));
        }
    }
    out
}

/// After `to`: the built-in targets and the roles (the `bool` roster columns).
fn targets(ast: &Ast) -> Vec<CompletionItem> {
    let mut out: Vec<CompletionItem> = ["person", "members", "staff", "head"]
        .iter()
        .map(|k| CompletionItem {
            label: (*k).to_string(),
            kind: Some(CompletionItemKind::KEYWORD),
            ..CompletionItem::default()
        })
        .collect();
    out.extend(columns_of_unit(ast, "bool"));
    out
}

/// The roster columns declared with the unit `unit` (`bool`: a role; `group`: a group), with
/// what they are as targets.
fn columns_of_unit(ast: &Ast, unit: &str) -> Vec<CompletionItem> {
    let detail = if unit == "bool" {
        crate::tr!(
            "role: everyone it marks `true` in the record's department",
            "职务：记录所在部门里这一列标为 `true` 的人"
        )
    } else {
        crate::tr!("group of the record's person", "记录上那个人所在的分组")
    };
    let mut out = Vec::new();
    for decl in &ast.decls {
        if let Decl::Roster(roster) = decl {
            for c in &roster.columns {
                if matches!(&c.ty, FieldType::Scalar { unit: u, .. } if u.node == unit) {
                    out.push(CompletionItem {
                        label: c.name.node.clone(),
                        kind: Some(CompletionItemKind::PROPERTY),
                        detail: Some(detail.to_string()),
                        ..CompletionItem::default()
                    });
                }
            }
        }
    }
    out
}

fn keywords() -> Vec<CompletionItem> {
    KEYWORDS
        .iter()
        .map(|k| CompletionItem {
            label: (*k).to_string(),
            kind: Some(CompletionItemKind::KEYWORD),
            ..CompletionItem::default()
        })
        .collect()
}

fn records(ast: &Ast) -> impl Iterator<Item = &ast::RecordDecl> {
    ast.decls.iter().filter_map(|d| match d {
        Decl::Record(r) => Some(r),
        _ => None,
    })
}

fn fields(r: &ast::RecordDecl, text: &str) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    for f in &r.fields {
        out.push(CompletionItem {
            label: f.name.node.clone(),
            kind: Some(CompletionItemKind::FIELD),
            detail: Some(
                text.get(f.span.start..f.span.end)
                    .filter(|t| t.starts_with(&f.name.node))
                    .map_or_else(
                        || {
                            crate::tr!(
                                format!("field of `{}`", r.id.node),
                                format!("`{}` 的字段", r.id.node)
                            )
                        },
                        str::to_string,
                    ),
            ),
            ..CompletionItem::default()
        });
        out.extend(values(
            f,
            &crate::tr!(
                format!("value of `{}.{}`", r.id.node, f.name.node),
                format!("`{}.{}` 的值", r.id.node, f.name.node)
            ),
        ));
    }
    out
}

fn values(f: &ast::FieldDecl, detail: &str) -> Vec<CompletionItem> {
    match &f.ty {
        FieldType::Enum(values) => values
            .iter()
            .map(|v| CompletionItem {
                label: v.node.clone(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: Some(detail.to_string()),
                ..CompletionItem::default()
            })
            .collect(),
        FieldType::Scalar { .. } | FieldType::HeadOf(_) => Vec::new(),
    }
}

fn grades(ast: &Ast) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    for decl in &ast.decls {
        if let Decl::Grades(g) = decl {
            for b in &g.bands {
                out.push(CompletionItem {
                    label: b.name.node.clone(),
                    kind: Some(CompletionItemKind::ENUM_MEMBER),
                    detail: b.min.as_ref().map(|m| {
                        crate::tr!(
                            format!("grade from {} points", m.node),
                            format!("{} 分及以上的等次", m.node)
                        )
                    }),
                    ..CompletionItem::default()
                });
            }
        }
    }
    out
}

/// The record kinds a `per` rule around the offset reads, by the tree of the current text.
fn rule_kinds(doc: &Document, offset: usize) -> Vec<String> {
    let Some(ast) = doc.ast.as_ref() else {
        return Vec::new();
    };
    let inside = |r: &ast::Rule| r.span.start <= offset && offset <= r.span.end;
    let rules = ast.decls.iter().flat_map(|d| -> Vec<&ast::Rule> {
        match d {
            Decl::Section(s) => s.items.iter().flat_map(|i| i.rules.iter()).collect(),
            Decl::Adjustments(a) => a.rules.iter().collect(),
            _ => Vec::new(),
        }
    });
    for rule in rules {
        if let (true, ast::RuleBody::Per { events, .. }) = (inside(rule), &rule.body) {
            return events.iter().map(|e| e.kind.node.clone()).collect();
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use lsp_types::Url;

    use super::*;
    use crate::lsp::document::Language;

    const POLICY: &str = "policy \"p\" year 2020 total 100\nannual = sum(months) / 12\n\nroster {\n  secretary: bool\n  village: group\n  role: a | b\n}\n\nrecord fault \"f\" by person\n\nsection s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per fault -5 to secretary of village\n  }\n}\n\ngrades {\n  A >= 90\n  B\n}\n";

    fn labels_at(at: &str) -> Vec<String> {
        let uri = Url::parse("file:///t/p.policy").unwrap();
        let doc = Document::new(&uri, Language::Policy, POLICY.to_string(), None);
        let offset = POLICY.find(at).unwrap() + at.len();
        complete(&doc, offset)
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    #[test]
    fn after_to_the_targets_and_the_roles_after_of_the_groups() {
        assert_eq!(
            labels_at("-5 to "),
            ["person", "members", "staff", "head", "secretary"]
        );
        assert_eq!(labels_at("to secretary of "), ["village"]);
    }
}
