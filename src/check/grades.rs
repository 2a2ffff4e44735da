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
        missing_grades(cx, ast);
        return;
    };
    if g.bands.is_empty() {
        cx.push(
            Diag::error(
                Code::GradeOrder,
                g.span,
                crate::tr!(
                    "the `grades` block names no grade",
                    "`grades` 这一块里一个等次也没有"
                ),
            )
            .label(crate::tr!("empty", "是空的"))
            .help(crate::tr!(
                "list the grades highest first, each with its threshold, the last without one",
                "从高到低列出各个等次，每个写上分数线，最后一个不写"
            )),
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
                    crate::tr!(
                        format!("the grade `{}` is named twice", band.name.node),
                        format!("等次 `{}` 写了两次", band.name.node)
                    ),
                )
                .label(crate::tr!("named again", "这里又写了一次"))
                .also(
                    first.name.span,
                    crate::tr!("first named here", "第一次在这里写"),
                )
                .help(crate::tr!("name each grade once", "每个等次只写一次")),
            );
            continue;
        }
        let symbol = if band.above { ">" } else { ">=" };
        threshold_place(cx, band, symbol, i == last);
        // Thresholds rank by their number, then `> N` above `>= N`: each grade must rank below
        // the one before it, or it takes no score that grade has not taken already.
        if let (Some(min), Some(p)) = (&band.min, prev) {
            threshold_order(cx, band, min, symbol, p);
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

/// Reports a policy without a `grades` block, at the end of its last declaration.
fn missing_grades(cx: &mut Checker, ast: &ast::Ast) {
    let at = ast.decls.last().map_or(Span::new(0, 0), Decl::span);
    cx.push(
        Diag::error(
            Code::MissingGrades,
            Span::new(at.end, at.end),
            crate::tr!(
                "the policy has no `grades` block",
                "政策文件没有 `grades`（等次）这一块"
            ),
        )
        .label(crate::tr!(
            "expected by the end of the file",
            "文件结束前应当有这一块"
        ))
        .help(crate::tr!(
            "add `grades { 优秀 >= 900 \"…\"  合格 >= 600 \"…\"  不合格 \"…\" }`, highest first",
            "加上 `grades { 优秀 >= 900 \"…\"  合格 >= 600 \"…\"  不合格 \"…\" }`，从高到低排"
        )),
    );
}

/// A threshold where it stands: every grade has one but the last, which takes every lower score.
fn threshold_place(cx: &mut Checker, band: &ast::Band, symbol: &str, last: bool) {
    match (&band.min, last) {
        (None, false) => cx.push(
            Diag::error(Code::GradeOrder, band.span, crate::tr!(
                format!("the grade `{}` has no threshold but is not the last", band.name.node),
                format!("等次 `{}` 没有分数线，但它不是最后一个", band.name.node)
            ))
                .label(crate::tr!("no `>=` threshold", "没有 `>=` 分数线"))
                .help(crate::tr!(
                    "only the last grade, for everything below, goes without a threshold; add `>= N` (or `> N` for scores above N only)",
                    "只有最后一个等次（兜住以下所有分数）可以不写分数线；请加上 `>= N`（或者 `> N`，表示高于 N 分才算）"
                )),
        ),
        (Some(min), true) => cx.push(
            Diag::error(Code::GradeOrder, band.span, crate::tr!(
                format!("no grade for scores below {}", min.node),
                format!("低于 {} 分的没有对应等次", min.node)
            ))
                .label(crate::tr!("the last grade has a threshold", "最后一个等次写了分数线"))
                .help(crate::tr!(
                    format!(
                        "remove `{symbol} {}` so that `{}` takes every lower score, or add a last grade without a threshold",
                        min.node,
                        band.name.node
                    ),
                    format!(
                        "去掉 `{symbol} {0}`，让 `{1}` 兜住所有更低的分数；或者再加一个不写分数线的等次",
                        min.node,
                        band.name.node
                    )
                )),
        ),
        _ => {}
    }
}

/// Each threshold must rank below the one before it (`p`, its number and whether it is `> N`).
fn threshold_order(
    cx: &mut Checker,
    band: &ast::Band,
    min: &ast::Spanned<Decimal>,
    symbol: &str,
    (p, pmin, pabove): (&ast::Band, Decimal, bool),
) {
    let psymbol = if pabove { ">" } else { ">=" };
    match (min.node, band.above).cmp(&(pmin, pabove)) {
        std::cmp::Ordering::Greater => cx.push(
            Diag::error(
                Code::GradeOrder,
                min.span,
                crate::tr!(
                    format!(
                        "`{}` ({symbol} {}) comes after `{}` ({psymbol} {})",
                        band.name.node, min.node, p.name.node, pmin
                    ),
                    format!(
                        "`{}`（{symbol} {}）排在 `{}`（{psymbol} {}）后面",
                        band.name.node, min.node, p.name.node, pmin
                    )
                ),
            )
            .label(crate::tr!(
                "higher than the grade before it",
                "比前一个等次的分数线还高"
            ))
            .also(p.span, crate::tr!("listed first", "排在前面的"))
            .help(crate::tr!(
                "list grades from the highest threshold to the lowest",
                "等次按分数线从高到低排列"
            )),
        ),
        std::cmp::Ordering::Equal => cx.push(
            Diag::error(
                Code::GradeUnreachable,
                band.span,
                crate::tr!(
                    format!("no score can get the grade `{}`", band.name.node),
                    format!("任何分数都评不上等次 `{}`", band.name.node)
                ),
            )
            .label(crate::tr!(
                format!(
                    "`{}` already takes every score {psymbol} {}",
                    p.name.node, pmin
                ),
                format!("`{}` 已经包括了所有 {psymbol} {} 的分数", p.name.node, pmin)
            ))
            .also(p.span, crate::tr!("same threshold", "分数线相同"))
            .help(crate::tr!(
                "give this grade a lower threshold, or delete it",
                "把这个等次的分数线调低，或者删掉它"
            )),
        ),
        std::cmp::Ordering::Less => {}
    }
}

/// A grade's quota: a share above 0 and at most 100, of everybody, of each department, or of each
/// value of a roster column; never on the last grade, which takes everybody left.
fn quota(cx: &mut Checker, q: &ast::Quota, last: bool) -> Option<model::Quota> {
    if last {
        quota_on_last(cx, q);
        return None;
    }
    let p = q.percent.node;
    if p <= Decimal::ZERO || p > Decimal::ONE_HUNDRED {
        cx.push(
            Diag::error(
                Code::BadRange,
                q.percent.span,
                crate::tr!(
                    "a quota is a share from above 0 to 100 percent",
                    "名额比例要大于 0，不超过 100%"
                ),
            )
            .label(crate::tr!("not a share of the group", "不是一个比例"))
            .help(crate::tr!(
                "write the share the regulation sets, like `top 20%`",
                "写上制度规定的比例，比如 `top 20%`"
            )),
        );
        return None;
    }
    let of = quota_group(
        cx,
        q.of.as_ref(),
        GroupWords {
            lead: "a quota is shared within `department` or a roster column",
            lead_zh: "名额比例按 `department` 或花名册的一列来分",
            label: "not a roster column, in a grade's quota",
            label_zh: "等次名额里写的不是花名册的列",
        },
    )?;
    let also = super::relative::quota_also(cx, q.of.as_ref(), &q.also)?;
    Some(model::Quota {
        percent: p,
        of,
        also,
    })
}

/// Reports a quota on the last grade, which takes everybody the grades above it leave.
fn quota_on_last(cx: &mut Checker, q: &ast::Quota) {
    cx.push(
        Diag::error(
            Code::GradeOrder,
            q.span,
            crate::tr!(
                "the last grade cannot have a quota",
                "最后一个等次不能设名额比例"
            ),
        )
        .label(crate::tr!(
            "the last grade takes everybody the grades above it leave",
            "最后一个等次兜住上面各等次剩下的所有人"
        ))
        .help(crate::tr!(
            "put the quota on a grade above it, or remove it",
            "把名额比例放到上面的等次，或者去掉"
        )),
    );
}

/// How a grouping by `of …` is named in its messages (a grade's quota, a rank).
pub(super) struct GroupWords {
    /// `a quota is shared within `department` or a roster column`, before the columns.
    pub(super) lead: &'static str,
    pub(super) lead_zh: &'static str,
    pub(super) label: &'static str,
    pub(super) label_zh: &'static str,
}

/// `of department`, `of COLUMN`, or everybody (no `of`); `None` after reporting a column the
/// roster lacks, with the closest name.
pub(super) fn quota_group(
    cx: &mut Checker,
    of: Option<&ast::Name>,
    words: GroupWords,
) -> Option<model::QuotaGroup> {
    let Some(n) = of else {
        return Some(model::QuotaGroup::Everybody);
    };
    if n.node == "department" {
        return Some(model::QuotaGroup::Department);
    }
    if let Some(c) = cx.column(&n.node) {
        return Some(model::QuotaGroup::Column(c));
    }
    let mut names: Vec<String> = vec!["department".to_string()];
    names.extend(cx.columns.iter().map(|c| c.name.clone()));
    let help = did_you_mean(&n.node, names.iter().map(String::as_str)).unwrap_or_else(|| {
        crate::tr!(
            format!("{}: {}", words.lead, list_names(&names)),
            format!("{}：{}", words.lead_zh, list_names(&names))
        )
    });
    cx.push(
        Diag::error(
            Code::UnknownColumn,
            n.span,
            crate::tr!(
                format!("the roster has no column `{}`", n.node),
                format!("花名册没有 `{}` 这一列", n.node)
            ),
        )
        .label(crate::tr!(words.label, words.label_zh))
        .help(help)
        .fix(n.span, closest(&n.node, names.iter().map(String::as_str))),
    );
    None
}
