//! Declarations: the header, the roster, record kinds and grade bands.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::Checker;
use super::expr::{Scope, lower};
use super::model::{self, Subjects, Unit, ValueType};
use crate::diag::{Code, Diag, closest, did_you_mean, list_names};
use crate::ops::Period;
use crate::syntax::ast::{self, Decl, Rounding, Span};

pub use super::labels::{blank, empty_label, hidden_characters};

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

/// `card month` (the default), `card year` or `card balance` (whether it is one), declared at most
/// once.
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
            .help(crate::tr!(
                "add a line `annual = sum(months) / 12` after the `policy` line",
                "在 `policy` 那一行后面加一行 `annual = sum(months) / 12`"
            )),
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
            .help(crate::tr!(
                "write `annual = sum(months) / 12`",
                "写成 `annual = sum(months) / 12`"
            )),
        );
    }
    expr
}

/// The declared type; `None` (after reporting it) when it names no type tally knows.
fn value_type(cx: &mut Checker, ty: &ast::FieldType, what: &str) -> Option<ValueType> {
    match ty {
        ast::FieldType::HeadOf(group) => {
            let found = cx
                .columns
                .iter()
                .position(|c| c.name == group.node && c.ty == ValueType::Group);
            if found.is_none() {
                let groups: Vec<&str> = cx
                    .columns
                    .iter()
                    .filter(|c| c.ty == ValueType::Group)
                    .map(|c| c.name.as_str())
                    .collect();
                cx.push(
                    Diag::error(
                        Code::UnknownColumn,
                        group.span,
                        crate::tr!(
                            format!("the roster has no `group` column `{}` above", group.node),
                            format!("花名册前面没有名为 `{}` 的 `group` 列", group.node)
                        ),
                    )
                    .label(crate::tr!(
                        "not a `group` column declared before this one",
                        "不是在这一列之前声明的 `group` 列"
                    ))
                    .help(
                        did_you_mean(&group.node, groups.iter().copied()).unwrap_or_else(|| {
                            crate::tr!(
                                format!(
                                    "declare the groups first: `{}: group`, then `{what}: head of {}`",
                                    group.node,
                                    group.node
                                ),
                                format!(
                                    "先声明分组：`{0}: group`，再写 `{what}: head of {1}`",
                                    group.node,
                                    group.node
                                )
                            )
                        }),
                    ),
                );
            }
            found.map(ValueType::HeadOf)
        }
        ast::FieldType::Enum(values) => {
            let mut seen: HashMap<&str, Span> = HashMap::new();
            for v in values {
                if let Some(first) = seen.get(v.node.as_str()) {
                    cx.push(
                        Diag::error(
                            Code::DuplicateId,
                            v.span,
                            crate::tr!(
                                format!("`{}` is listed twice", v.node),
                                format!("`{}` 列了两次", v.node)
                            ),
                        )
                        .label(crate::tr!("listed again", "这里又列了一次"))
                        .also(*first, crate::tr!("first listed here", "第一次在这里列出"))
                        .help(crate::tr!("list each value once", "每个值只列一次")),
                    );
                } else {
                    seen.insert(&v.node, *v.span);
                }
            }
            Some(ValueType::Enum(
                values.iter().map(|v| v.node.clone()).collect(),
            ))
        }
        ast::FieldType::Scalar { whole, unit, range } => {
            let numeric = Unit::ALL
                .iter()
                .find(|(n, _)| *n == unit.node)
                .map(|(_, u)| *u);
            let (min, max) = range
                .as_ref()
                .map_or((None, None), |r| (r.node.min, r.node.max));
            if let Some(r) = range {
                if let (Some(lo), Some(hi)) = (r.node.min, r.node.max) {
                    if lo > hi {
                        cx.push(
                            Diag::error(
                                Code::BadRange,
                                r.span,
                                crate::tr!(
                                    format!("the range {lo}..{hi} is empty"),
                                    format!("范围 {lo}..{hi} 是空的")
                                ),
                            )
                            .label(crate::tr!(
                                "the lower end is above the upper end",
                                "下限比上限还大"
                            ))
                            .help(crate::tr!(
                                format!("write `{hi}..{lo}`"),
                                format!("写成 `{hi}..{lo}`")
                            )),
                        );
                    }
                }
            }
            if let (true, Some(r)) = (*whole && numeric.is_some(), range) {
                let fractional = [min, max]
                    .into_iter()
                    .flatten()
                    .find(|b| !b.fract().is_zero());
                if let Some(bound) = fractional {
                    let whole_range = |b: Option<Decimal>, up: bool| {
                        b.map(|b| {
                            if up { b.ceil() } else { b.floor() }
                                .normalize()
                                .to_string()
                        })
                    };
                    let written = match (whole_range(min, true), whole_range(max, false)) {
                        (Some(lo), Some(hi)) => format!("{lo}..{hi}"),
                        (Some(lo), None) => format!(">= {lo}"),
                        (None, Some(hi)) => format!("<= {hi}"),
                        (None, None) => String::new(),
                    };
                    cx.push(
                        Diag::error(
                            Code::BadRange,
                            r.span,
                            crate::tr!(
                                format!("a `whole` field cannot have the bound {bound}"),
                                format!("`whole` 字段不能用 {bound} 作界限")
                            ),
                        )
                        .label(crate::tr!("not a whole number", "不是整数"))
                        .help(crate::tr!(
                            format!(
                                "write the whole numbers the field may hold: `{written}`, or remove `whole`"
                            ),
                            format!("写出这个字段可以取的整数：`{written}`，或者去掉 `whole`")
                        )),
                    );
                }
            }
            match (numeric, unit.node.as_str()) {
                (Some(u), _) => Some(ValueType::Number {
                    unit: u,
                    whole: *whole,
                    min,
                    max,
                }),
                (None, "text" | "bool" | "person" | "group" | "time" | "date") => {
                    if *whole || range.is_some() {
                        let at = range.as_ref().map_or(unit.span, |r| r.span);
                        cx.push(
                            Diag::error(
                                Code::BadRange,
                                at,
                                crate::tr!(
                                    format!("`{}` cannot be whole or have a range", unit.node),
                                    format!("`{}` 不能加 `whole`，也不能有取值范围", unit.node)
                                ),
                            )
                            .label(crate::tr!(
                                "only numbers have ranges",
                                "只有数值才有取值范围"
                            ))
                            .help(crate::tr!(
                                format!("write `{what}: {}`", unit.node),
                                format!("写成 `{what}: {}`", unit.node)
                            )),
                        );
                    }
                    match unit.node.as_str() {
                        "text" => Some(ValueType::Text),
                        "person" => Some(ValueType::Person),
                        "date" => Some(ValueType::Date),
                        "group" => Some(ValueType::Group),
                        "time" => Some(ValueType::Time),
                        _ => Some(ValueType::Bool),
                    }
                }
                (None, _) => {
                    let mut names: Vec<&str> = Unit::ALL.iter().map(|(n, _)| *n).collect();
                    names.extend(["text", "bool", "person", "group", "time", "date"]);
                    let help =
                        did_you_mean(&unit.node, names.iter().copied()).unwrap_or_else(|| {
                            let units: Vec<String> =
                                Unit::ALL.iter().map(|(n, _)| format!("`{n}`")).collect();
                            crate::tr!(
                                format!(
                                    "a type is a unit ({}), `text`, `bool`, or the values separated by `|`, like `city | province`",
                                    units.join(", ")
                                ),
                                format!(
                                    "类型可以是单位（{}）、`text`、`bool`，或者用 `|` 隔开的几个取值，比如 `city | province`",
                                    units.join("、")
                                )
                            )
                        });
                    cx.push(
                        Diag::error(
                            Code::UnknownType,
                            unit.span,
                            crate::tr!(
                                format!("unknown type `{}`", unit.node),
                                format!("没有 `{}` 这个类型", unit.node)
                            ),
                        )
                        .label(crate::tr!("not a type", "不是类型"))
                        .help(help)
                        .fix(unit.span, closest(&unit.node, names.iter().copied())),
                    );
                    None
                }
            }
        }
    }
}

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
        let ty = value_type(cx, &col.ty, &col.name.node).map(|ty| {
            if ty == ValueType::Date {
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
            if ty == ValueType::Person {
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
            if ty == ValueType::Time {
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
            ty
        });
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

pub fn kinds(cx: &mut Checker, ast: &ast::Ast) {
    let mut labels: HashMap<&str, Span> = HashMap::new();
    for decl in &ast.decls {
        let Decl::Record(r) = decl else { continue };
        if let Some(&first) = cx.kind_index.get(&r.id.node) {
            let first_span = cx.kinds[first].span;
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
            continue;
        }
        if empty_label(
            cx,
            &r.label,
            crate::tr!("record kind", "记录类型"),
            &r.id.node,
        ) {
            // Reported; an empty label is not compared with the others.
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
        if cx.kind_index.contains_key(&r.label.node) {
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
                .help(crate::tr!(
                    "record files may name a kind by id or label, so neither may repeat another",
                    "记录文件可以用代号或名称来写记录类型，所以两者都不能和别的重复"
                )),
            );
        }
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
