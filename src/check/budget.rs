//! Budgets: items add up to their section for every kind of person, sections to the total; and at
//! most one base of an item applies to any person.
//!
//! "Every kind of person" is every combination of the enumeration and bool roster columns that the
//! `for` conditions read (a handful in practice), so items that are alternatives for different roles
//! (2.3.1 and 2.3.2) are counted once for each role, not added together.

use rust_decimal::Decimal;

use super::Checker;
use super::decls::Header;
use super::model::{self, ExprKind as M, ValueType};
use crate::diag::{Code, Diag};
use crate::syntax::ast::{self, BinOp, Decl};

/// A roster value in a combination: an enumeration index or a bool.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Val {
    Enum(usize),
    Bool(bool),
}

const MAX_COMBINATIONS: usize = 4096;

/// Every combination of the given columns' values, or `None` when there are too many to try.
fn combinations(cx: &Checker, columns: &[usize]) -> Option<Vec<Vec<Option<Val>>>> {
    combinations_of(&cx.columns, columns)
}

/// [`combinations`] over a checked policy's roster columns.
pub(super) fn combinations_of(
    all: &[model::Column],
    columns: &[usize],
) -> Option<Vec<Vec<Option<Val>>>> {
    let mut combos: Vec<Vec<Option<Val>>> = vec![vec![None; all.len()]];
    for &c in columns {
        let Some(column) = all.get(c) else { continue };
        let values: Vec<Val> = match &column.ty {
            ValueType::Enum(v) => (0..v.len()).map(Val::Enum).collect(),
            ValueType::Bool => vec![Val::Bool(false), Val::Bool(true)],
            _ => continue,
        };
        if combos.len() * values.len() > MAX_COMBINATIONS {
            return None;
        }
        combos = combos
            .into_iter()
            .flat_map(|combo| {
                values.iter().map(move |&v| {
                    let mut next = combo.clone();
                    next[c] = Some(v);
                    next
                })
            })
            .collect();
    }
    Some(combos)
}

pub(super) fn columns_read(e: &model::Expr, out: &mut Vec<usize>) {
    match &e.kind {
        M::Column(c) if !out.contains(c) => out.push(*c),
        M::Column(_) => {}
        M::Not(x) | M::Neg(x) => columns_read(x, out),
        M::Member(x, _) => columns_read(x, out),
        M::Binary(_, a, b) => {
            columns_read(a, out);
            columns_read(b, out);
        }
        M::Call(_, args) => {
            for a in args {
                columns_read(a, out);
            }
        }
        _ => {}
    }
}

/// Evaluates a roster condition on a combination; `None` when it reads something else.
pub(super) fn holds(e: &model::Expr, combo: &[Option<Val>]) -> Option<bool> {
    match &e.kind {
        M::Column(c) => match combo.get(*c)? {
            Some(Val::Bool(b)) => Some(*b),
            _ => None,
        },
        M::Not(x) => holds(x, combo).map(|b| !b),
        M::Member(x, set) => match &x.kind {
            M::Column(c) => match combo.get(*c)? {
                Some(Val::Enum(i)) => Some(set.contains(i)),
                _ => None,
            },
            _ => None,
        },
        M::Binary(op @ (BinOp::And | BinOp::Or), a, b) => {
            let (a, b) = (holds(a, combo)?, holds(b, combo)?);
            Some(if *op == BinOp::And { a && b } else { a || b })
        }
        M::Binary(op @ (BinOp::Eq | BinOp::Ne), a, b) => {
            let value = |x: &model::Expr| match &x.kind {
                M::Column(c) => combo.get(*c).copied().flatten(),
                M::EnumValue(i) => Some(Val::Enum(*i)),
                _ => None,
            };
            let same = value(a)? == value(b)?;
            Some(if *op == BinOp::Eq { same } else { !same })
        }
        _ => None,
    }
}

/// Describes a combination in words: "role 项目服务人员, not head".
fn describe(cx: &Checker, columns: &[usize], combo: &[Option<Val>]) -> String {
    let parts: Vec<String> = columns
        .iter()
        .filter_map(|&c| {
            let col = &cx.columns[c];
            match (combo[c], &col.ty) {
                (Some(Val::Enum(i)), ValueType::Enum(v)) => Some(crate::tr!(
                    format!("{} {}", col.name, v[i]),
                    crate::lang::spaced(&format!("{}为{}", col.name, v[i]))
                )),
                (Some(Val::Bool(true)), _) => Some(col.name.clone()),
                (Some(Val::Bool(false)), _) => Some(crate::tr!(
                    format!("not {}", col.name),
                    crate::lang::spaced(&format!("非{}", col.name))
                )),
                _ => None,
            }
        })
        .collect();
    parts.join(crate::tr!(", ", "、"))
}

pub fn check_sections(
    cx: &mut Checker,
    header: &Header,
    sections: &[model::Section],
    ast: &ast::Ast,
) {
    let spans: Vec<&ast::SectionDecl> = ast
        .decls
        .iter()
        .filter_map(|d| match d {
            Decl::Section(s) => Some(s),
            _ => None,
        })
        .collect();
    for (section, decl) in sections.iter().zip(&spans) {
        if section.items.iter().any(|i| cx.is_unsure(i.span)) {
            continue;
        }
        let mut columns = Vec::new();
        for item in &section.items {
            if let Some(a) = &item.applies {
                columns_read(a, &mut columns);
            }
        }
        let Some(combos) = combinations(cx, &columns) else {
            continue;
        };
        for combo in &combos {
            // `None` once the sum is past what a decimal holds (budgets of 29 digits).
            let mut sum = Some(Decimal::ZERO);
            let mut undecided = false;
            for item in &section.items {
                match item.applies.as_ref().map(|a| holds(a, combo)) {
                    None | Some(Some(true)) => sum = sum.and_then(|s| s.checked_add(item.budget)),
                    Some(Some(false)) => {}
                    Some(None) => undecided = true,
                }
            }
            if undecided || sum == Some(section.budget) {
                continue;
            }
            items_off(cx, section, decl, (&columns, combo), sum);
            break;
        }
    }
    section_totals(cx, header, sections, &spans);
}

/// Reports a section whose items, for the people of `combo`, add up to `sum` (`None`: past what
/// a decimal holds) instead of the section's budget.
fn items_off(
    cx: &mut Checker,
    section: &model::Section,
    decl: &ast::SectionDecl,
    (columns, combo): (&[usize], &[Option<Val>]),
    sum: Option<Decimal>,
) {
    let who = describe(cx, columns, combo);
    let sum_text = sum.map_or_else(
        || crate::tr!("more than tally can count", "超出 tally 能计算的范围").to_string(),
        |s| s.to_string(),
    );
    let message = if who.is_empty() {
        crate::tr!(
            format!(
                "the items of `{}` add up to {sum_text}, not {}",
                section.id, section.budget
            ),
            format!(
                "`{}` 各项目分值合计 {sum_text}，不是 {}",
                section.id, section.budget
            )
        )
    } else {
        crate::tr!(
            format!(
                "for a person with {who}, the items of `{}` add up to {sum_text}, not {}",
                section.id, section.budget
            ),
            crate::lang::spaced(&format!(
                "对{who}的人员，`{}` 各项目分值合计 {sum_text}，不是 {}",
                section.id, section.budget
            ))
        )
    };
    let mut d = Diag::error(Code::ItemBudgets, decl.budget.span, message).label(crate::tr!(
        format!("the section holds {}", section.budget),
        format!("本板块分值为 {}", section.budget)
    ));
    for item in &decl.items {
        d = d.also(item.budget.span, format!("`{}`", item.id.node));
    }
    let diff = sum.and_then(|s| section.budget.checked_sub(s));
    let help = if let Some(diff) = diff.filter(|d| *d > Decimal::ZERO) {
        crate::tr!(
            format!("{diff} points are not given to any item; add an item or raise a budget"),
            format!("有 {diff} 分没有分到任何项目；加一个项目，或者调高某项分值")
        )
    } else {
        let over = diff.map_or_else(
            || crate::tr!("too many points", "分值太多").into(),
            |d| crate::tr!(format!("{} points too many", -d), format!("多出 {} 分", -d)),
        );
        crate::tr!(
            format!("the items hold {over}; lower a budget, or make items alternatives with `for`"),
            crate::lang::spaced(&format!(
                "各项目{over}；调低某项分值，或者用 `for` 把几个项目设成按人员分别适用"
            ))
        )
    };
    cx.push(d.help(help));
}

/// The sections' budgets must add up to the policy's total (and a policy needs sections).
fn section_totals(
    cx: &mut Checker,
    header: &Header,
    sections: &[model::Section],
    spans: &[&ast::SectionDecl],
) {
    if spans.is_empty() {
        cx.push(
            Diag::error(
                Code::SectionBudgets,
                header.total_span,
                crate::tr!(
                    format!("the policy has no sections to hold its {} points", header.total),
                    format!("政策文件没有板块来承载这 {} 分", header.total)
                ),
            )
            .label(crate::tr!("nothing adds up to this total", "没有任何分值合计成这个总分"))
            .help(crate::tr!(
                "declare the sections and their items: `section office \"机关工作\" 300 { item … }`; without them everybody scores 0",
                "写上各板块和其中的项目：`section office \"机关工作\" 300 { item … }`；不写的话人人都是 0 分"
            )),
        );
        return;
    }
    // A section booked in a ledger (`in money`, §30) holds 元, not a share of the points.
    let total = sections
        .iter()
        .filter(|s| s.ledger.is_none())
        .try_fold(Decimal::ZERO, |sum, s| sum.checked_add(s.budget));
    if total != Some(header.total) {
        let total = total.map_or_else(
            || crate::tr!("more than tally can count", "超出 tally 能计算的范围").to_string(),
            |t| t.to_string(),
        );
        let mut d = Diag::error(
            Code::SectionBudgets,
            header.total_span,
            crate::tr!(
                format!("the sections add up to {total}, not {}", header.total),
                format!("各板块分值合计 {total}，不是 {}", header.total)
            ),
        )
        .label(crate::tr!(
            format!("the policy's total is {}", header.total),
            format!("政策文件的总分是 {}", header.total)
        ));
        for s in spans.iter().filter(|s| s.ledger.is_none()) {
            d = d.also(s.budget.span, format!("`{}`", s.id.node));
        }
        cx.push(d.help(crate::tr!(
            "change a section's budget or the total so that they agree",
            "修改板块分值或总分，让两者一致"
        )));
    }
}

pub fn check_bases(cx: &mut Checker, sections: &[model::Section]) {
    for item in sections.iter().flat_map(|s| &s.items) {
        if item.bases.len() < 2
            || cx.is_unsure(item.span)
            || item.bases.iter().any(|b| cx.is_unsure(b.span))
        {
            continue;
        }
        let mut columns = Vec::new();
        for a in item
            .bases
            .iter()
            .filter_map(|b| b.applies.as_ref())
            .chain(&item.applies)
        {
            columns_read(a, &mut columns);
        }
        let Some(combos) = combinations(cx, &columns) else {
            continue;
        };
        'combos: for combo in &combos {
            if item.applies.as_ref().and_then(|a| holds(a, combo)) == Some(false) {
                continue;
            }
            let applying: Vec<&model::Base> = item
                .bases
                .iter()
                .filter(|b| {
                    b.applies
                        .as_ref()
                        .is_none_or(|a| holds(a, combo) != Some(false))
                })
                .collect();
            if let [first, second, ..] = applying.as_slice() {
                let who = describe(cx, &columns, combo);
                let who = if who.is_empty() {
                    crate::tr!("every person", "所有人员").to_string()
                } else {
                    crate::tr!(
                        format!("a person with {who}"),
                        crate::lang::spaced(&format!("{who}的人员"))
                    )
                };
                cx.push(
                    Diag::error(Code::OverlappingBases, second.span, crate::tr!(
                        format!("two bases of `{}` apply to {who}", item.id),
                        crate::lang::spaced(&format!("`{}` 有两个基础分同时适用于{who}", item.id))
                    ))
                        .label(crate::tr!("this base", "这个基础分"))
                        .also(first.span, crate::tr!("and this one", "和这个"))
                        .help(crate::tr!(
                            "give each base a `for` condition so that exactly one applies to each person",
                            "给每个基础分加上 `for` 条件，让每个人只适用其中一个"
                        )),
                );
                break 'combos;
            }
        }
    }
}
