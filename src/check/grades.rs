//! The `grades` block: bands from the highest threshold down, `>=` or `>`, their quotas.

use rust_decimal::Decimal;

use super::Checker;
use super::decls::once;
use super::model;
use crate::diag::{Code, Diag, closest, did_you_mean, list_names};
use crate::syntax::ast::{self, Decl, Span};

pub fn grades(cx: &mut Checker, ast: &ast::Ast) {
    let mut found: Option<&ast::GradesDecl> = None;
    for decl in &ast.decls {
        if let Decl::Grades(g) = decl {
            let first = found.map_or(g.span, |f| f.span);
            once(cx, &mut found, g, *g.span, "grades", *first);
        }
    }
    let Some(g) = found else {
        let at = ast.decls.last().map_or(Span::new(0, 0), Decl::span);
        cx.push(
            Diag::error(Code::MissingGrades, Span::new(at.end, at.end), "the policy has no `grades` block")
                .label("expected by the end of the file")
                .help("add `grades { 优秀 >= 900 \"…\"  合格 >= 600 \"…\"  不合格 \"…\" }`, highest first"),
        );
        return;
    };
    if g.bands.is_empty() {
        cx.push(
            Diag::error(
                Code::GradeOrder,
                g.span,
                "the `grades` block names no grade",
            )
            .label("empty")
            .help("list the grades highest first, each with its threshold, the last without one"),
        );
        return;
    }
    let last = g.bands.len() - 1;
    let mut prev: Option<(&ast::Band, Decimal, bool)> = None;
    for (i, band) in g.bands.iter().enumerate() {
        if let Some(first) = g.bands[..i].iter().find(|b| b.name.node == band.name.node) {
            cx.push(
                Diag::error(
                    Code::DuplicateId,
                    band.name.span,
                    format!("the grade `{}` is named twice", band.name.node),
                )
                .label("named again")
                .also(first.name.span, "first named here")
                .help("name each grade once"),
            );
            continue;
        }
        let symbol = if band.above { ">" } else { ">=" };
        match (&band.min, i == last) {
            (None, false) => cx.push(
                Diag::error(Code::GradeOrder, band.span, format!("the grade `{}` has no threshold but is not the last", band.name.node))
                    .label("no `>=` threshold")
                    .help("only the last grade, for everything below, goes without a threshold; add `>= N` (or `> N` for scores above N only)"),
            ),
            (Some(min), true) => cx.push(
                Diag::error(Code::GradeOrder, band.span, format!("no grade for scores below {}", min.node))
                    .label("the last grade has a threshold")
                    .help(format!("remove `{symbol} {}` so that `{}` takes every lower score, or add a last grade without a threshold", min.node, band.name.node)),
            ),
            _ => {}
        }
        // Thresholds rank by their number, then `> N` above `>= N`: each grade must rank below
        // the one before it, or it takes no score that grade has not taken already.
        if let (Some(min), Some((p, pmin, pabove))) = (&band.min, prev) {
            let psymbol = if pabove { ">" } else { ">=" };
            match (min.node, band.above).cmp(&(pmin, pabove)) {
                std::cmp::Ordering::Greater => cx.push(
                    Diag::error(
                        Code::GradeOrder,
                        min.span,
                        format!(
                            "`{}` ({symbol} {}) comes after `{}` ({psymbol} {})",
                            band.name.node, min.node, p.name.node, pmin
                        ),
                    )
                    .label("higher than the grade before it")
                    .also(p.span, "listed first")
                    .help("list grades from the highest threshold to the lowest"),
                ),
                std::cmp::Ordering::Equal => cx.push(
                    Diag::error(
                        Code::GradeUnreachable,
                        band.span,
                        format!("no score can get the grade `{}`", band.name.node),
                    )
                    .label(format!(
                        "`{}` already takes every score {psymbol} {}",
                        p.name.node, pmin
                    ))
                    .also(p.span, "same threshold")
                    .help("give this grade a lower threshold, or delete it"),
                ),
                std::cmp::Ordering::Less => {}
            }
        }
        if let Some(min) = &band.min {
            prev = Some((band, min.node, band.above));
        }
        let quota = band.quota.as_ref().and_then(|q| quota(cx, q, i == last));
        cx.grades.push(model::Grade {
            name: band.name.node.clone(),
            min: band.min.as_ref().map(|m| m.node),
            above: band.above,
            quota,
            text: band
                .text
                .as_ref()
                .map(|t| t.node.clone())
                .unwrap_or_default(),
            span: *band.span,
        });
    }
}

/// A grade's quota: a share above 0 and at most 100, of everybody, of each department, or of each
/// value of a roster column; never on the last grade, which takes everybody left.
fn quota(cx: &mut Checker, q: &ast::Quota, last: bool) -> Option<model::Quota> {
    if last {
        cx.push(
            Diag::error(
                Code::GradeOrder,
                q.span,
                "the last grade cannot have a quota",
            )
            .label("the last grade takes everybody the grades above it leave")
            .help("put the quota on a grade above it, or remove it"),
        );
        return None;
    }
    let p = q.percent.node;
    if p <= Decimal::ZERO || p > Decimal::ONE_HUNDRED {
        cx.push(
            Diag::error(
                Code::BadRange,
                q.percent.span,
                "a quota is a share from above 0 to 100 percent",
            )
            .label("not a share of the group")
            .help("write the share the regulation sets, like `top 20%`"),
        );
        return None;
    }
    let of = match &q.of {
        None => model::QuotaGroup::Everybody,
        Some(n) if n.node == "department" => model::QuotaGroup::Department,
        Some(n) => match cx.column(&n.node) {
            Some(c) => model::QuotaGroup::Column(c),
            None => {
                let mut names: Vec<String> = vec!["department".to_string()];
                names.extend(cx.columns.iter().map(|c| c.name.clone()));
                let help =
                    did_you_mean(&n.node, names.iter().map(String::as_str)).unwrap_or_else(|| {
                        format!(
                            "a quota is shared within `department` or a roster column: {}",
                            list_names(&names)
                        )
                    });
                cx.push(
                    Diag::error(
                        Code::UnknownColumn,
                        n.span,
                        format!("the roster has no column `{}`", n.node),
                    )
                    .label("not a roster column, in a grade's quota")
                    .help(help)
                    .fix(n.span, closest(&n.node, names.iter().map(String::as_str))),
                );
                return None;
            }
        },
    };
    Some(model::Quota { percent: p, of })
}
