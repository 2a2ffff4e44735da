//! Ledgers beside the points (§30 of the reference): their declarations, the sections booked in
//! them, and the values derived from each card's total, typed so that points and a ledger's unit
//! (元) are never added, compared or multiplied together without an explicit `money(…)`.

use super::Checker;
use super::model::{self, LedgerExpr};
use crate::codes::Code;
use crate::diag::Diag;
use crate::exact::Exact;
use crate::ops::{BinOp, Func};
use crate::syntax::ast::{self, Decl, Effect, ExprKind as A, Modifier, Span};

/// The unit of a derived value's part.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Unit {
    /// A number written in the policy: it takes the unit of what it meets.
    Lit,
    Points,
    Ledger(usize),
}

fn ledger_decls(ast: &ast::Ast) -> Vec<&ast::LedgerDecl> {
    ast.decls
        .iter()
        .filter_map(|d| match d {
            Decl::Ledger(l) => Some(l),
            _ => None,
        })
        .collect()
}

/// The declared ledgers; a name declared twice, and ledgers on a balance card, are reported.
/// The ids of the declared ledgers, as written (before they are checked), for the expressions
/// that name one.
pub fn ids(ast: &ast::Ast) -> Vec<String> {
    ledger_decls(ast)
        .iter()
        .map(|l| l.id.node.clone())
        .collect()
}

/// The columns of eval's results a ledger's column would stand beside.
const RESULT_COLUMNS: [&str; 7] = [
    "person", "name", "period", "total", "grade", "final", "flags",
];

pub fn declarations(cx: &mut Checker, ast: &ast::Ast) -> Vec<model::Ledger> {
    let mut ledgers: Vec<model::Ledger> = Vec::new();
    for l in ledger_decls(ast) {
        if cx.balance {
            cx.push(
                Diag::error(
                    Code::Misplaced,
                    *l.span,
                    crate::tr!(
                        "a balance card has no ledgers",
                        "余额卡（`card balance`）没有分账"
                    ),
                )
                .label(crate::tr!("a ledger beside the points", "与分数并列的分账"))
                .help(crate::tr!(
                    "ledgers are paid card by card: use them with monthly, quarterly or yearly cards",
                    "分账按卡结算：只能用于月卡、季卡或年卡"
                )),
            );
        }
        // A ledger is a column of eval's CSV, beside these.
        if RESULT_COLUMNS.contains(&l.id.node.as_str()) {
            cx.push(
                Diag::error(
                    Code::DuplicateId,
                    l.id.span,
                    crate::tr!(
                        format!("`{}` is a column of the results already", l.id.node),
                        format!("`{}` 已经是结果里的一列", l.id.node)
                    ),
                )
                .help(crate::tr!(
                    "name the ledger after what it counts: `money`, `pay`",
                    "按分账记的东西起名：`money`、`pay`"
                )),
            );
            continue;
        }
        if let Some(first) = ledgers.iter().find(|x| x.id == l.id.node) {
            let first = first.span;
            cx.push(
                Diag::error(
                    Code::DuplicateId,
                    l.id.span,
                    crate::tr!(
                        format!("the ledger `{}` is declared twice", l.id.node),
                        format!("分账 `{}` 声明了两次", l.id.node)
                    ),
                )
                .also(first, crate::tr!("first declared here", "第一次在这里声明"))
                .help(crate::tr!(
                    "give each ledger its own name",
                    "每个分账起一个不同的名字"
                )),
            );
            continue;
        }
        ledgers.push(model::Ledger {
            id: l.id.node.clone(),
            unit: l.unit.node.clone(),
            span: *l.span,
        });
    }
    ledgers
}

fn mismatch(span: Span, en: String, zh: String, help: (&str, &str)) -> Diag {
    Diag::error(Code::LedgerMismatch, span, crate::tr!(en, zh))
        .label(crate::tr!(
            "points and a ledger are kept apart",
            "分数和分账分开计算"
        ))
        .help(crate::tr!(help.0, help.1))
}

/// The index of the ledger a name stands for, or a reported error.
fn resolve(cx: &mut Checker, ast: &ast::Ast, name: &ast::Name) -> Option<usize> {
    let found = ledger_decls(ast)
        .iter()
        .position(|l| l.id.node == name.node);
    if found.is_none() {
        cx.push(mismatch(
            *name.span,
            format!("there is no ledger `{}`", name.node),
            format!("没有名为 `{}` 的分账", name.node),
            (
                "declare it after `policy`: `ledger money \"元\"`",
                "在 `policy` 之后声明：`ledger money \"元\"`",
            ),
        ));
    }
    found
}

/// The ledger a section is booked in (`in money`). What is shared with the points (`from total`,
/// grades, a declared cap) cannot stand in such a section, and is reported.
pub fn section_ledger(cx: &mut Checker, s: &ast::SectionDecl, ast: &ast::Ast) -> Option<usize> {
    let name = s.ledger.as_ref()?;
    let ledger = resolve(cx, ast, name)?;
    for rule in s.items.iter().flat_map(|i| &i.rules) {
        let effects = match &rule.body {
            ast::RuleBody::Per { effects, .. } | ast::RuleBody::When { effects, .. } => {
                effects.as_slice()
            }
            ast::RuleBody::Base { .. } => &[],
        };
        for e in effects {
            let shared = match e {
                Effect::Amount(a) if a.from_total => Some(("`from total`", "`from total`")),
                Effect::GradeCap { .. } | Effect::SetGrade { .. } | Effect::Demote { .. } => {
                    Some(("a grade", "等次"))
                }
                Effect::SetScore(_) | Effect::Exclude(_) => Some(("the year's result", "年度结果")),
                _ => None,
            };
            if let Some(what) = shared {
                cx.push(shared_in_ledger(e.span(), what, &name.node));
            }
        }
        for m in &rule.modifiers {
            if let Modifier::SharedCap(cap) = m {
                cx.push(shared_in_ledger(
                    *cap.span,
                    ("a declared cap", "共用的上限"),
                    &name.node,
                ));
            }
        }
    }
    Some(ledger)
}

fn shared_in_ledger(span: Span, (what, zh): (&str, &str), ledger: &str) -> Diag {
    mismatch(
        span,
        format!("{what} cannot be set from a section booked in the ledger `{ledger}`"),
        format!("记入分账 `{ledger}` 的板块不能设定{zh}"),
        (
            "a ledger's section books only its own items; move this rule to a section of points",
            "分账板块只记它自己的项目；把这条规则移到计分的板块里",
        ),
    )
}

/// The derived values, in order; each may read `total`, a ledger's booked sections and the
/// values derived before it.
pub fn derives(cx: &mut Checker, ast: &ast::Ast, ledgers: &[model::Ledger]) -> Vec<model::Derive> {
    let mut out: Vec<model::Derive> = Vec::new();
    for d in ast.decls.iter().filter_map(|d| match d {
        Decl::Derive(d) => Some(d),
        _ => None,
    }) {
        // By the ledgers kept (a name declared twice is kept once), so indices agree.
        let Some(ledger) = ledgers.iter().position(|l| l.id == d.ledger.node) else {
            resolve(cx, ast, &d.ledger);
            continue;
        };
        if d.id.node == "total"
            || ledgers.iter().any(|l| l.id == d.id.node)
            || out.iter().any(|x| x.id == d.id.node)
        {
            cx.push(
                Diag::error(
                    Code::DuplicateId,
                    d.id.span,
                    crate::tr!(
                        format!("`{}` already names a value of the card", d.id.node),
                        format!("`{}` 已经是卡上某个值的名字", d.id.node)
                    ),
                )
                .help(crate::tr!(
                    "give the derived value a name of its own",
                    "给这个派生值另起一个名字"
                )),
            );
            continue;
        }
        let mut typer = Typer {
            cx,
            ledgers,
            derives: &out,
        };
        let Some((formula, unit)) = typer.lower(&d.formula) else {
            continue;
        };
        if !matches!(unit, Unit::Lit) && unit != Unit::Ledger(ledger) {
            let unit_name = describe(ledgers, unit);
            let Some(l) = ledgers.get(ledger) else {
                continue;
            };
            cx.push(
                mismatch(
                    *d.formula.span,
                    format!(
                        "`{}` is booked in `{}` ({}), but its formula is in {unit_name}",
                        d.id.node, l.id, l.unit
                    ),
                    format!(
                        "`{}` 记入 `{}`（{}），但它的公式算出的是{unit_name}",
                        d.id.node, l.id, l.unit
                    ),
                    (
                        "count points in the ledger explicitly: `money(900 - total)`",
                        "把分数明确换算到分账：`money(900 - total)`",
                    ),
                )
                .label(crate::tr!(
                    format!("this is in {unit_name}"),
                    format!("这是{unit_name}")
                )),
            );
            continue;
        }
        out.push(model::Derive {
            id: d.id.node.clone(),
            label: d.label.node.clone(),
            ledger,
            formula,
            text: crate::fmt::expr_text(&d.formula),
            span: *d.span,
        });
    }
    out
}

fn describe(ledgers: &[model::Ledger], unit: Unit) -> String {
    match unit {
        Unit::Lit => crate::tr!("a number", "数").into(),
        Unit::Points => crate::tr!("points", "分").into(),
        Unit::Ledger(l) => ledgers
            .get(l)
            .map_or_else(String::new, |l| format!("{} (`{}`)", l.unit, l.id)),
    }
}

struct Typer<'c, 's, 'a> {
    cx: &'c mut Checker<'s>,
    ledgers: &'a [model::Ledger],
    derives: &'a [model::Derive],
}

impl Typer<'_, '_, '_> {
    fn lower(&mut self, e: &ast::Expr) -> Option<(LedgerExpr, Unit)> {
        match &e.kind {
            A::Number(n) => Some((LedgerExpr::Number(Exact::from_decimal(*n)), Unit::Lit)),
            A::Paren(inner) => self.lower(inner),
            A::Neg(inner) => {
                let (x, u) = self.lower(inner)?;
                Some((LedgerExpr::Neg(Box::new(x)), u))
            }
            A::Path(name, None) => self.name(name),
            A::Convert(name, inner) => self.convert(name, inner, *e.span),
            A::Binary(op, l, r) => self.binary(*op, l, r, *e.span),
            A::Call(func, args) => self.call(func, args, *e.span),
            _ => {
                self.cx.push(mismatch(
                    *e.span,
                    "a derived value reads only numbers, `total`, ledgers and values derived before it".into(),
                    "派生值只能读数、`total`、分账和在它之前的派生值".into(),
                    (
                        "work it out from the card's total: `3000 - 5 * money(max(0, 900 - total))`",
                        "从卡的总分算出：`3000 - 5 * money(max(0, 900 - total))`",
                    ),
                ));
                None
            }
        }
    }

    fn name(&mut self, name: &ast::Name) -> Option<(LedgerExpr, Unit)> {
        if name.node == "total" {
            return Some((LedgerExpr::Total, Unit::Points));
        }
        if let Some(l) = self.ledgers.iter().position(|l| l.id == name.node) {
            return Some((LedgerExpr::Booked(l), Unit::Ledger(l)));
        }
        if let Some(d) = self.derives.iter().position(|d| d.id == name.node) {
            return Some((LedgerExpr::Derived(d), Unit::Ledger(self.derives[d].ledger)));
        }
        self.cx.push(mismatch(
            *name.span,
            format!("`{}` is not a value of the card", name.node),
            format!("`{}` 不是卡上的值", name.node),
            (
                "a derived value reads `total`, a ledger's name, or a value derived before it",
                "派生值可以读 `total`、分账的名字，或在它之前的派生值",
            ),
        ));
        None
    }

    fn convert(
        &mut self,
        name: &ast::Name,
        inner: &ast::Expr,
        span: Span,
    ) -> Option<(LedgerExpr, Unit)> {
        let ledger = self.ledgers.iter().position(|l| l.id == name.node);
        let (x, u) = self.lower(inner)?;
        let Some(ledger) = ledger else {
            self.cx.push(mismatch(
                *name.span,
                format!("there is no ledger `{}`", name.node),
                format!("没有名为 `{}` 的分账", name.node),
                (
                    "declare it after `policy`: `ledger money \"元\"`",
                    "在 `policy` 之后声明：`ledger money \"元\"`",
                ),
            ));
            return None;
        };
        if let Unit::Ledger(from) = u {
            let what = describe(self.ledgers, Unit::Ledger(from));
            self.cx.push(mismatch(
                span,
                format!("`{}(…)` counts points in the ledger, not {what}", name.node),
                format!("`{}(…)` 把分数换算到分账，不能换算{what}", name.node),
                (
                    "convert points only: `money(900 - total)`",
                    "只换算分数：`money(900 - total)`",
                ),
            ));
            return None;
        }
        Some((x, Unit::Ledger(ledger)))
    }

    fn binary(
        &mut self,
        op: BinOp,
        l: &ast::Expr,
        r: &ast::Expr,
        span: Span,
    ) -> Option<(LedgerExpr, Unit)> {
        let left = self.lower(l);
        let right = self.lower(r);
        let ((lx, lu), (rx, ru)) = (left?, right?);
        let unit = match op {
            BinOp::Add | BinOp::Sub => same(lu, ru),
            BinOp::Mul => match (lu, ru) {
                (Unit::Lit, u) | (u, Unit::Lit) => Some(u),
                _ => None,
            },
            // Only by a number written in the policy, other than 0: a derived value cannot fail.
            BinOp::Div if !matches!(&rx, LedgerExpr::Number(n) if !n.is_zero()) => {
                self.cx.push(bad_divisor(r, &rx));
                return None;
            }
            BinOp::Div => match (lu, ru) {
                (u, Unit::Lit) => Some(u),
                (a, b) if a == b => Some(Unit::Lit),
                _ => None,
            },
            _ => {
                self.cx.push(mismatch(
                    span,
                    "a derived value is a number, not a condition".into(),
                    "派生值是一个数，不是条件".into(),
                    (
                        "use `min` and `max` for thresholds: `max(0, 900 - total)`",
                        "用 `min` 和 `max` 表示门槛：`max(0, 900 - total)`",
                    ),
                ));
                return None;
            }
        };
        let Some(unit) = unit else {
            let (a, b) = (describe(self.ledgers, lu), describe(self.ledgers, ru));
            self.cx.push(
                mismatch(
                    span,
                    format!("cannot {} {a} and {b}", verb(op)),
                    format!("{a}和{b}不能{}", verb_zh(op)),
                    (
                        "points and a ledger's unit do not mix; count points in the ledger explicitly: `5 * money(900 - total)`",
                        "分数和分账的单位不能混用；把分数明确换算到分账：`5 * money(900 - total)`",
                    ),
                )
                .also(l.span, a)
                .also(r.span, b),
            );
            return None;
        };
        Some((LedgerExpr::Binary(op, Box::new(lx), Box::new(rx)), unit))
    }

    fn call(
        &mut self,
        func: &ast::Spanned<Func>,
        args: &[ast::Expr],
        span: Span,
    ) -> Option<(LedgerExpr, Unit)> {
        let wanted = match func.node {
            Func::Min | Func::Max => args.len() >= 2,
            Func::Floor | Func::Ceil => args.len() == 1,
            Func::Round => {
                args.len() == 2
                    && matches!(&args[1].kind, A::Number(n) if n.fract().is_zero() && *n <= 10.into())
            }
        };
        if !wanted {
            self.cx.push(
                Diag::error(
                    Code::FunctionArguments,
                    span,
                    crate::tr!(
                        format!("`{}` is not given the values it takes", func.node.keyword()),
                        format!("`{}` 的参数不对", func.node.keyword())
                    ),
                )
                .help(crate::tr!(
                    "`min(a, b)`, `max(a, b)`, `floor(x)`, `ceil(x)`, `round(x, 2)`",
                    "`min(a, b)`、`max(a, b)`、`floor(x)`、`ceil(x)`、`round(x, 2)`"
                )),
            );
            return None;
        }
        let mut lowered = Vec::with_capacity(args.len());
        let mut unit = Some(Unit::Lit);
        for (n, a) in args.iter().enumerate() {
            let (x, u) = self.lower(a)?;
            if func.node == Func::Round && n == 1 {
                lowered.push(x);
                continue;
            }
            let joined = unit.and_then(|v| same(v, u));
            if joined.is_none() {
                let (was, now) = (describe(self.ledgers, unit?), describe(self.ledgers, u));
                self.cx.push(mismatch(
                    *a.span,
                    format!("`{}` is given {was} and {now}", func.node.keyword()),
                    format!("`{}` 的参数既有{was}又有{now}", func.node.keyword()),
                    (
                        "points and a ledger's unit do not mix; count points in the ledger explicitly: `money(total)`",
                        "分数和分账的单位不能混用；把分数明确换算到分账：`money(total)`",
                    ),
                ));
                return None;
            }
            unit = joined;
            lowered.push(x);
        }
        Some((LedgerExpr::Call(func.node, lowered), unit?))
    }
}

/// A divisor of a derived value that is not a number other than 0, its label naming it.
fn bad_divisor(r: &ast::Expr, lowered: &LedgerExpr) -> Diag {
    let text = crate::fmt::expr_text(r);
    let label = if matches!(lowered, LedgerExpr::Number(_)) {
        crate::tr!(
            format!("the divisor `{text}` is 0"),
            format!("除数 `{text}` 为 0")
        )
    } else {
        crate::tr!(
            format!("the divisor `{text}` is not a number written in the policy"),
            format!("除数 `{text}` 不是政策文件里写定的数")
        )
    };
    mismatch(
        *r.span,
        "a derived value divides only by a number other than 0".into(),
        "派生值只能除以不为 0 的数".into(),
        (
            "write the divisor as a number: `total / 10`",
            "把除数写成一个数：`total / 10`",
        ),
    )
    .label(label)
}

/// The unit two quantities share when added, subtracted or compared.
fn same(a: Unit, b: Unit) -> Option<Unit> {
    match (a, b) {
        (Unit::Lit, x) | (x, Unit::Lit) => Some(x),
        (x, y) if x == y => Some(x),
        _ => None,
    }
}

fn verb(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "add",
        BinOp::Sub => "subtract",
        BinOp::Mul => "multiply",
        _ => "divide",
    }
}

fn verb_zh(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "相加",
        BinOp::Sub => "相减",
        BinOp::Mul => "相乘",
        _ => "相除",
    }
}
