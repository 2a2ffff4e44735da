//! Declarations: the header, the roster, record kinds and caps.

mod kinds;
mod roster;
mod types;

use rust_decimal::Decimal;

use super::Checker;
use super::expr::{Scope, lower};
use super::model;
use crate::diag::{Code, Diag};
use crate::ops::Period;
use crate::syntax::ast::{self, Decl, Rounding, Span};

pub use super::labels::{blank, empty_label, hidden_characters, spaced_ends};
pub use kinds::kinds;
pub use roster::roster;
use types::value_type;

pub struct Header {
    pub title: String,
    pub year: i32,
    pub total: Decimal,
    pub total_span: Span,
    pub round_places: u32,
    pub rounding: Rounding,
}

/// Columns every roster has whatever the policy declares.
pub const BUILTIN_COLUMNS: &[&str] = &["person", "name", "department"];
/// Columns every record file may have besides the kinds' fields.
pub const BUILTIN_RECORD_COLUMNS: &[&str] = &["date", "kind", "person", "department", "note"];

/// Reports a second declaration of something that may appear once.
pub(super) fn once<'a, T>(
    cx: &mut Checker,
    found: &mut Option<&'a T>,
    new: &'a T,
    span: Span,
    what: &str,
    first: Span,
) {
    if found.is_some() {
        cx.push(
            Diag::error(
                Code::DuplicateDecl,
                span,
                crate::tr!(
                    format!("a second `{what}` declaration"),
                    format!("`{what}` 声明了两次")
                ),
            )
            .label(crate::tr!("declared again here", "这里又声明了一次"))
            .also(first, crate::tr!("first declared here", "第一次在这里声明"))
            .help(crate::tr!(
                format!("a policy has one `{what}`; merge the two or delete one"),
                format!("一个政策文件只能有一个 `{what}`：把两处合并，或者删掉一处")
            )),
        );
    } else {
        *found = Some(new);
    }
}

pub fn header(cx: &mut Checker, ast: &ast::Ast) -> Option<Header> {
    let mut policy: Option<&ast::PolicyDecl> = None;
    let mut round: Option<&ast::RoundDecl> = None;
    for decl in &ast.decls {
        match decl {
            Decl::Policy(p) => {
                let first = policy.map_or(p.span, |f| f.span);
                once(cx, &mut policy, p, *p.span, "policy", *first);
            }
            Decl::Round(r) => {
                let first = round.map_or(r.span, |f| f.span);
                once(cx, &mut round, r, *r.span, "round", *first);
            }
            _ => {}
        }
    }
    let Some(p) = policy else {
        cx.push(
            Diag::error(Code::MissingHeader, Span::new(0, 0), crate::tr!(
                "the policy has no `policy` line",
                "政策文件没有 `policy` 这一行"
            ))
                .label(crate::tr!("expected at the top of the file", "应当写在文件开头"))
                .help(crate::tr!(
                    "start the file with a line like `policy \"大水泊镇机关干部信用管理办法\" year 2020 total 1000`",
                    "文件第一行写成这样：`policy \"大水泊镇机关干部信用管理办法\" year 2020 total 1000`"
                )),
        );
        return None;
    };
    if !(1900..=9999).contains(&p.year.node) {
        cx.push(
            Diag::error(
                Code::BadNumber,
                p.year.span,
                crate::tr!(
                    format!("`{}` is not a year", p.year.node),
                    format!("`{}` 不是年份", p.year.node)
                ),
            )
            .label(crate::tr!("not a year", "不是年份"))
            .help(crate::tr!(
                "write the policy year with four digits, like `year 2020`",
                "政策年度写四位数字，比如 `year 2020`"
            )),
        );
    }
    if let Some(r) = round {
        if r.places.node > 6 {
            cx.push(
                Diag::error(
                    Code::BadNumber,
                    r.places.span,
                    crate::tr!(
                        "scores are published with at most 6 decimals",
                        "公布的分数最多保留 6 位小数"
                    ),
                )
                .label(crate::tr!("too many decimals", "小数位太多"))
                .help(crate::tr!(
                    "write `round 2 half-up`",
                    "写成 `round 2 half-up`"
                )),
            );
        }
    }
    Some(Header {
        title: p.title.node.clone(),
        year: i32::try_from(p.year.node).unwrap_or(0),
        total: p.total.node,
        total_span: *p.total.span,
        round_places: round.map_or(2, |r| r.places.node.min(6)),
        rounding: round.map_or(Rounding::HalfUp, |r| r.mode.node),
    })
}

/// `card month` (the default), `card quarter`, `card year` or `card balance` (whether it is one),
/// declared at most once.
pub fn card(cx: &mut Checker, ast: &ast::Ast) -> (Period, bool) {
    let mut found: Option<&ast::CardDecl> = None;
    for decl in &ast.decls {
        if let Decl::Card(c) = decl {
            let first = found.map_or(c.span, |f| f.span);
            once(cx, &mut found, c, *c.span, "card", *first);
        }
    }
    found.map_or((Period::Month, false), |c| (c.period.node, c.balance))
}

pub fn annual(cx: &mut Checker, ast: &ast::Ast) -> model::Expr {
    let mut found: Option<&ast::AnnualDecl> = None;
    for decl in &ast.decls {
        if let Decl::Annual(a) = decl {
            let first = found.map_or(a.span, |f| f.span);
            once(cx, &mut found, a, *a.span, "annual", *first);
        }
    }
    if cx.card == Period::Year || cx.balance {
        // One card a year is the year's result: there are no months to combine. A balance's
        // result is the card on the reading day.
        if let Some(a) = found {
            annual_without_months(cx, a);
        }
        return model::Expr {
            kind: model::ExprKind::Number(Decimal::ZERO),
            span: Span::new(0, 0),
        };
    }
    let Some(a) = found else {
        let at = ast.decls.first().map_or(Span::new(0, 0), Decl::span);
        cx.push(
            Diag::error(
                Code::MissingHeader,
                at,
                crate::tr!(
                    "the policy does not say how the annual result is computed",
                    "政策文件没有写年度结果怎么算"
                ),
            )
            .label(crate::tr!("the policy starts here", "政策文件从这里开始"))
            .help(if cx.card == Period::Quarter {
                crate::tr!(
                    "add a line `annual = sum(quarters)` after the `policy` line",
                    "在 `policy` 那一行后面加一行 `annual = sum(quarters)`"
                )
            } else {
                crate::tr!(
                    "add a line `annual = sum(months) / 12` after the `policy` line",
                    "在 `policy` 那一行后面加一行 `annual = sum(months) / 12`"
                )
            }),
        );
        return model::Expr {
            kind: model::ExprKind::Number(Decimal::ZERO),
            span: Span::new(0, 0),
        };
    };
    let (expr, ty) = lower(cx, &a.formula, &Scope::annual());
    super::expr::beyond_publication(cx, &expr);
    if !ty.is_numeric() && !ty.is_error() {
        cx.push(
            Diag::error(
                Code::BadAnnual,
                a.formula.span,
                crate::tr!(
                    "the annual formula must give a number",
                    "年度计算公式的结果必须是数"
                ),
            )
            .label(crate::tr!(
                format!("this is {}", ty.describe()),
                crate::lang::spaced(&format!("这是{}", ty.describe()))
            ))
            .help(if cx.card == Period::Quarter {
                crate::tr!(
                    "write `annual = sum(quarters)`",
                    "写成 `annual = sum(quarters)`"
                )
            } else {
                crate::tr!(
                    "write `annual = sum(months) / 12`",
                    "写成 `annual = sum(months) / 12`"
                )
            }),
        );
    }
    expr
}

/// An `annual` line on a policy with one card a year or a balance card: there are no months to
/// combine.
fn annual_without_months(cx: &mut Checker, a: &ast::AnnualDecl) {
    let (message, help) = if cx.balance {
        (
            crate::tr!(
                "a policy with a balance card has no annual formula",
                "按余额记分的政策文件不写年度计算公式"
            ),
            crate::tr!(
                "remove this line: the year's result is the balance on the reading day",
                "删掉这一行：全年结果就是读数当天的余额"
            ),
        )
    } else {
        (
            crate::tr!(
                "a policy with one card a year has no annual formula",
                "一年一张记分卡的政策文件不写年度计算公式"
            ),
            crate::tr!(
                "remove this line: the year's card is the annual result",
                "删掉这一行：这一年的记分卡就是年度结果"
            ),
        )
    };
    cx.push(
        Diag::error(Code::BadAnnual, a.span, message)
            .label(crate::tr!(
                "there are no monthly totals to combine",
                "没有月度总分可以合计"
            ))
            .help(help),
    );
}

/// The declared caps (`cap donations "区级平台捐款" 40 in year`), in order, before any rule names
/// them.
pub fn caps(cx: &mut Checker, ast: &ast::Ast) {
    let mut seen: Vec<&ast::CapDecl> = Vec::new();
    for decl in &ast.decls {
        let Decl::Cap(c) = decl else { continue };
        if let Some(first) = seen.iter().find(|f| f.id.node == c.id.node) {
            cx.push(
                Diag::error(
                    Code::DuplicateId,
                    c.id.span,
                    crate::tr!(
                        format!("the cap `{}` is declared twice", c.id.node),
                        format!("封顶 `{}` 声明了两次", c.id.node)
                    ),
                )
                .label(crate::tr!("declared again", "又声明了一次"))
                .also(
                    first.id.span,
                    crate::tr!("first declared here", "第一次在这里声明"),
                )
                .help(crate::tr!(
                    "give each cap its own id",
                    "每个封顶用不同的代号"
                )),
            );
            continue;
        }
        empty_label(cx, &c.label, crate::tr!("cap", "封顶"), &c.id.node);
        if c.limit.node <= Decimal::ZERO {
            cx.push(
                Diag::error(
                    Code::BadRange,
                    c.limit.span,
                    crate::tr!("a cap must be above zero", "封顶必须大于零"),
                )
                .label(crate::tr!("not above zero", "没有大于零"))
                .help(crate::tr!(
                    "write how many points the rules may give or take together, like `40 in year`",
                    "写明这些条款合计最多能加或扣多少分，比如 `40 in year`"
                )),
            );
        }
        seen.push(c);
        cx.caps.push(model::Cap {
            limit: c.limit.node,
            period: c.period.as_ref().map_or(Period::Month, |p| p.node),
            name: Some((c.id.node.clone(), c.label.node.clone())),
            span: *c.span,
        });
    }
}
