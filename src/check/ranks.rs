//! `rank ID "LABEL" of GROUP`: each person's place in their group by published result (文登区农村
//! 居民信用积分 第二十一条: 普通村民和重点人群……分类实施评价、计分、排名). Ranks read the published
//! results and change none of them; they are checked here: a unique id, a label, a group that is
//! `department` or a roster column.

use super::Checker;
use super::expr::{Scope, Ty, lower};
use super::model::{self, QuotaGroup, RankGives};
use crate::diag::{Code, Diag};
use crate::ops::Window;
use crate::syntax::ast::{self, Decl};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// The declared ranks, in order; one with an error is reported and left out.
pub fn declarations(cx: &mut Checker, ast: &ast::Ast) -> Vec<model::Rank> {
    let mut seen: Vec<&ast::RankDecl> = Vec::new();
    let mut out = Vec::new();
    for decl in &ast.decls {
        let Decl::Rank(r) = decl else { continue };
        if let Some(first) = seen.iter().find(|f| f.id.node == r.id.node) {
            cx.push(
                Diag::error(
                    Code::DuplicateId,
                    r.id.span,
                    crate::tr!(
                        format!("the rank `{}` is declared twice", r.id.node),
                        format!("排名 `{}` 声明了两次", r.id.node)
                    ),
                )
                .label(crate::tr!("declared again", "又声明了一次"))
                .also(
                    first.id.span,
                    crate::tr!("first declared here", "第一次在这里声明"),
                )
                .help(crate::tr!(
                    "give each rank its own id",
                    "每个排名用不同的代号"
                )),
            );
            continue;
        }
        seen.push(r);
        super::labels::empty_label(cx, &r.label, crate::tr!("rank", "排名"), &r.id.node);
        let by = r.by.as_ref().map(|e| value(cx, e));
        let Some(of) = group(cx, r.of.as_ref()) else {
            continue;
        };
        let Some(also) = super::relative::also(cx, r.of.as_ref(), &r.also) else {
            continue;
        };
        let by = match by {
            Some(None) => continue,
            Some(Some(e)) => Some(e),
            None => None,
        };
        let gives = match &r.gives {
            None => None,
            Some(g) => match gives(cx, g, r.by.is_some()) {
                Some(g) => Some(g),
                None => continue,
            },
        };
        out.push(model::Rank {
            id: r.id.node.clone(),
            label: r.label.node.clone(),
            of,
            also,
            by,
            lowest: r.lowest,
            by_text: r.by.as_ref().map(crate::fmt::expr_text).unwrap_or_default(),
            gives,
            span: *r.span,
        });
    }
    out
}

/// `by EXPR`: a number for the person, read over the year (roster columns, aggregates and facts
/// `in year`); `None` after reporting what is wrong.
fn value(cx: &mut Checker, e: &ast::Expr) -> Option<model::Expr> {
    let scope = Scope::rule(Vec::new(), crate::tr!("a rank's value", "排名依据的值"));
    let errors = cx.diags.iter().filter(|d| d.is_error()).count();
    let (lowered, ty) = lower(cx, e, &scope);
    if cx.diags.iter().filter(|d| d.is_error()).count() > errors {
        return None;
    }
    if !matches!(ty, Ty::Num(_) | Ty::Lit) {
        cx.push(
            Diag::error(
                Code::TypeMismatch,
                e.span,
                crate::tr!("a rank's value must be a number", "排名依据的值必须是数"),
            )
            .label(crate::tr!(
                format!("this is {}", ty.describe()),
                crate::lang::spaced(&format!("这是{}", ty.describe()))
            ))
            .help(crate::tr!(
                "rank by a number, such as `mean(rating.place) in year`",
                "按一个数排名，比如 `mean(rating.place) in year`"
            )),
        );
        return None;
    }
    let monthly = lowered.aggregates().into_iter().find(|&(_, id)| {
        cx.aggregates
            .get(id)
            .is_some_and(|a| a.window != Window::Year)
    });
    if let Some((span, _)) = monthly {
        cx.push(
            Diag::error(
                Code::Misplaced,
                span,
                crate::tr!(
                    "a rank reads the whole year, not a month or a quarter",
                    "排名读的是全年，不是某一个月或某一季度"
                ),
            )
            .label(crate::tr!(
                "a value of one month or quarter",
                "这是某一个月或某一季度的值"
            ))
            .help(crate::tr!(
                "write `in year` after it",
                "在它后面写 `in year`"
            )),
        );
        return None;
    }
    Some(lowered)
}

/// `+{ 1: 10, 2: 8 }`: places are whole numbers from 1, each written once; `scaled N`: N above 0,
/// on a rank by the published result (a result scaled to another value's best would mix the two).
fn gives(cx: &mut Checker, g: &ast::Spanned<ast::RankGives>, by: bool) -> Option<RankGives> {
    match &g.node {
        ast::RankGives::Scaled(n) => {
            if by {
                cx.push(
                    Diag::error(
                        Code::Misplaced,
                        g.span,
                        crate::tr!(
                            "`scaled` needs a rank by the published result",
                            "`scaled` 只能用于按公布得分的排名"
                        ),
                    )
                    .label(crate::tr!(
                        "the result would be scaled to another value's best",
                        "结果会按另一个值的最好值折算"
                    ))
                    .help(crate::tr!(
                        "remove `by …`, or give points by place (`+{ 1: 10, 2: 8 }`)",
                        "去掉 `by …`，或者按名次给分（`+{ 1: 10, 2: 8 }`）"
                    )),
                );
                return None;
            }
            if n.node <= Decimal::ZERO {
                cx.push(
                    Diag::error(
                        Code::BadRange,
                        n.span,
                        crate::tr!(
                            "a result is scaled to a number above 0",
                            "折算的满分要大于 0"
                        ),
                    )
                    .label(crate::tr!("not above 0", "不大于 0"))
                    .help(crate::tr!(
                        "write the score the best of the group gets, like `scaled 600`",
                        "写上组内最好的人得到的分数，比如 `scaled 600`"
                    )),
                );
                return None;
            }
            Some(RankGives::Scaled(n.node))
        }
        ast::RankGives::Points { minus, entries } => points(cx, *minus, entries),
    }
}

/// `+{ 1: 10, 2: 8 }` (`-{ … }` when `minus`): each place a whole number from 1, written once.
fn points(
    cx: &mut Checker,
    minus: bool,
    entries: &[(ast::Spanned<Decimal>, ast::Spanned<Decimal>)],
) -> Option<RankGives> {
    let mut out: Vec<(usize, Decimal)> = Vec::new();
    let mut ok = true;
    for (place, points) in entries {
        let whole = place.node.fract().is_zero() && place.node >= Decimal::ONE;
        let Some(p) = whole.then(|| place.node.to_usize()).flatten() else {
            cx.push(
                Diag::error(
                    Code::BadRange,
                    place.span,
                    crate::tr!("a place is a whole number from 1", "名次是从 1 起的整数"),
                )
                .label(crate::tr!("not a place", "不是名次"))
                .help(crate::tr!(
                    "write the places the regulation gives points to: `+{ 1: 10, 2: 8, 3: 6 }`",
                    "写上制度给分的名次：`+{ 1: 10, 2: 8, 3: 6 }`"
                )),
            );
            ok = false;
            continue;
        };
        if out.iter().any(|&(q, _)| q == p) {
            cx.push(
                Diag::error(
                    Code::BadRange,
                    place.span,
                    crate::tr!(
                        format!("place {p} is given points twice"),
                        format!("第 {p} 名写了两次分数")
                    ),
                )
                .label(crate::tr!("written again", "又写了一次"))
                .help(crate::tr!("write each place once", "每个名次只写一次")),
            );
            ok = false;
            continue;
        }
        out.push((p, if minus { -points.node } else { points.node }));
    }
    ok.then_some(RankGives::Points(out))
}

/// `of department`, `of COLUMN`, or everybody; `None` after reporting a column the roster lacks.
fn group(cx: &mut Checker, of: Option<&ast::Name>) -> Option<QuotaGroup> {
    super::grades::quota_group(
        cx,
        of,
        super::grades::GroupWords {
            lead: "people are ranked within `department` or a roster column",
            lead_zh: "排名按 `department` 或花名册的一列分组",
            label: "not a roster column, in a rank",
            label_zh: "排名里写的不是花名册的列",
        },
    )
}
