//! Record rows written in the usual columns, `date, kind, whom, fields…`: each becomes a row under
//! one header that has every column, the kind's fields in the policy's order.

use super::lex::Tok;
use crate::check::Policy;
use crate::diag::{Code, Diag, did_you_mean};
use crate::eval::Roster;
use crate::syntax::ast::Span;

/// The columns of a record row without a header: `date, kind, whom, fields…` in one file per part.
pub fn union_header(policy: &Policy) -> Vec<String> {
    let mut h: Vec<String> = ["date", "kind", "person", "department"]
        .into_iter()
        .map(str::to_string)
        .collect();
    for k in &policy.kinds {
        for f in &k.fields {
            if !h.contains(&f.name) {
                h.push(f.name.clone());
            }
        }
    }
    h
}

/// A row in the usual columns (`date, kind, whom, fields…`) as a row under the union header, and
/// the column each of its cells went to.
#[allow(clippy::type_complexity)]
pub fn plain_row(
    policy: &Policy,
    roster: &Roster,
    union: &[String],
    row: &super::Row,
) -> Result<(Vec<String>, Vec<(String, Span)>), Diag> {
    let mut out = vec![String::new(); union.len()];
    let mut names = Vec::new();
    let mut put = |column: &str, cell: &Tok, out: &mut Vec<String>| {
        if let Some(i) = union.iter().position(|c| c == column) {
            out[i] = cell.text.clone();
        }
        names.push((column.to_string(), cell.span));
    };
    let (Some(date), Some(kind_cell)) = (row.cells.first(), row.cells.get(1)) else {
        return Err(too_short(row));
    };
    let Some(kind) = policy
        .kinds
        .iter()
        .find(|k| k.id == kind_cell.text || k.label == kind_cell.text)
    else {
        return Err(unknown_kind(policy, kind_cell));
    };
    put("date", date, &mut out);
    put("kind", kind_cell, &mut out);
    let n = kind.fields.len();
    let s = kind.subjects;
    let town_only = s.town && !s.person && !s.department;
    let rest = row.cells.get(2..).unwrap_or(&[]);
    let (who, values) = if town_only && rest.len() == n {
        (None, rest)
    } else {
        (rest.first(), rest.get(1..).unwrap_or(&[]))
    };
    if values.len() > n {
        return Err(too_many_values(kind, values, row));
    }
    if let Some(who) = who.filter(|w| !w.text.is_empty()) {
        let is_person = roster.people.iter().any(|p| p.id == who.text);
        let is_department = roster.departments.contains(&who.text);
        let column = match (s.person, s.department) {
            (false, true) => "department",
            (true, true) if !is_person && is_department => "department",
            _ => "person",
        };
        put(column, who, &mut out);
    }
    for (field, cell) in kind.fields.iter().zip(values) {
        put(&field.name, cell, &mut out);
    }
    Ok((out, names))
}

/// A record row without a date and a kind.
fn too_short(row: &super::Row) -> Diag {
    let help = if row.cells.iter().any(|c| c.text.contains('，')) {
        crate::tr!(
            "separate the cells with an ASCII comma `,`: a full-width `，` is part of the text",
            "格与格之间用半角逗号 `,` 隔开：全角的 `，` 算作文字的一部分"
        )
    } else {
        crate::tr!(
            "a record row is `date, kind, whom it names`, then the kind's fields: `2020-03-02, late, D01`",
            "一行记录依次是 `日期, 记录类型, 记的是谁`，再跟这类记录的字段：`2020-03-02, late, D01`"
        )
    };
    Diag::error(
        Code::ScenarioSyntax,
        row.span,
        crate::tr!(
            "a record needs at least a date and a kind",
            "一条记录至少要有日期和记录类型"
        ),
    )
    .label(crate::tr!("one cell only", "只有一格"))
    .help(help)
}

/// A record row whose kind the policy does not declare.
fn unknown_kind(policy: &Policy, kind_cell: &Tok) -> Diag {
    let names = policy
        .kinds
        .iter()
        .flat_map(|k| [k.id.as_str(), k.label.as_str()]);
    Diag::error(
        Code::ScenarioUnknownName,
        kind_cell.span,
        crate::tr!(
            format!("unknown record kind `{}`", kind_cell.text),
            format!("没有 `{}` 这个记录类型", kind_cell.text)
        ),
    )
    .label(crate::tr!(
        "the policy declares no such kind",
        "政策文件里没有这个记录类型"
    ))
    .help_opt(did_you_mean(&kind_cell.text, names))
}

/// A record row with more values than its kind has fields.
fn too_many_values(kind: &crate::check::model::Kind, values: &[Tok], row: &super::Row) -> Diag {
    let n = kind.fields.len();
    let fields: Vec<&str> = kind.fields.iter().map(|f| f.name.as_str()).collect();
    let extra = values.get(n).map_or(row.span, |c| c.span);
    let has = if fields.is_empty() {
        crate::tr!(
            format!("`{}` records have no fields", kind.id),
            format!("`{}` 记录没有字段", kind.id)
        )
    } else {
        crate::tr!(
            format!(
                "`{}` records have {}",
                kind.id,
                crate::diag::list_names(&fields)
            ),
            format!(
                "`{}` 记录的字段是 {}",
                kind.id,
                crate::diag::list_names(&fields)
            )
        )
    };
    Diag::error(
        Code::ScenarioSyntax,
        Span::new(extra.start, row.span.end),
        crate::tr!(
            format!("too many values for `{}`", kind.id),
            format!("`{}` 的值写多了", kind.id)
        ),
    )
    .label(crate::tr!("one value too many", "多了一个值"))
    .help(crate::tr!(
        format!("{has}; a record row is `date, kind, whom it names` then the fields in that order"),
        format!("{has}；一行记录依次是 `日期, 记录类型, 记的是谁`，再按顺序写字段")
    ))
}
