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
                format!("a second `{what}` declaration"),
            )
            .label("declared again here")
            .also(first, "first declared here")
            .help(format!(
                "a policy has one `{what}`; merge the two or delete one"
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
            Diag::error(Code::MissingHeader, Span::new(0, 0), "the policy has no `policy` line")
                .label("expected at the top of the file")
                .help("start the file with a line like `policy \"大水泊镇机关干部信用管理办法\" year 2020 total 1000`"),
        );
        return None;
    };
    if !(1900..=9999).contains(&p.year.node) {
        cx.push(
            Diag::error(
                Code::BadNumber,
                p.year.span,
                format!("`{}` is not a year", p.year.node),
            )
            .label("not a year")
            .help("write the policy year with four digits, like `year 2020`"),
        );
    }
    if let Some(r) = round {
        if r.places.node > 6 {
            cx.push(
                Diag::error(
                    Code::BadNumber,
                    r.places.span,
                    "scores are published with at most 6 decimals",
                )
                .label("too many decimals")
                .help("write `round 2 half-up`"),
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
                    "a policy with a balance card has no annual formula",
                    "remove this line: the year's result is the balance on the reading day",
                )
            } else {
                (
                    "a policy with one card a year has no annual formula",
                    "remove this line: the year's card is the annual result",
                )
            };
            cx.push(
                Diag::error(Code::BadAnnual, a.span, message)
                    .label("there are no monthly totals to combine")
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
                "the policy does not say how the annual result is computed",
            )
            .label("the policy starts here")
            .help("add a line `annual = sum(months) / 12` after the `policy` line"),
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
                "the annual formula must give a number",
            )
            .label(format!("this is {}", ty.describe()))
            .help("write `annual = sum(months) / 12`"),
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
                        format!("the roster has no `group` column `{}` above", group.node),
                    )
                    .label("not a `group` column declared before this one")
                    .help(
                        did_you_mean(&group.node, groups.iter().copied()).unwrap_or_else(|| {
                            format!(
                                "declare the groups first: `{}: group`, then `{what}: head of {}`",
                                group.node, group.node
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
                            format!("`{}` is listed twice", v.node),
                        )
                        .label("listed again")
                        .also(*first, "first listed here")
                        .help("list each value once"),
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
                                format!("the range {lo}..{hi} is empty"),
                            )
                            .label("the lower end is above the upper end")
                            .help(format!("write `{hi}..{lo}`")),
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
                            format!("a `whole` field cannot have the bound {bound}"),
                        )
                        .label("not a whole number")
                        .help(format!(
                            "write the whole numbers the field may hold: `{written}`, or remove `whole`"
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
                                format!("`{}` cannot be whole or have a range", unit.node),
                            )
                            .label("only numbers have ranges")
                            .help(format!("write `{what}: {}`", unit.node)),
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
                            format!(
                                "a type is a unit ({}), `text`, `bool`, or the values separated by `|`, like `city | province`",
                                units.join(", ")
                            )
                        });
                    cx.push(
                        Diag::error(
                            Code::UnknownType,
                            unit.span,
                            format!("unknown type `{}`", unit.node),
                        )
                        .label("not a type")
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
                    format!("`{}` is a built-in roster column", col.name.node),
                )
                .label("always present")
                .help(format!(
                    "every roster has {}; delete this line",
                    list_names(BUILTIN_COLUMNS)
                )),
            );
            continue;
        }
        if let Some(first) = seen.get(col.name.node.as_str()) {
            cx.push(
                Diag::error(
                    Code::DuplicateId,
                    col.name.span,
                    format!("the roster column `{}` is declared twice", col.name.node),
                )
                .label("declared again")
                .also(*first, "first declared here")
                .help("declare each column once"),
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
                    format!("the roster column `{}` cannot be optional", col.name.node),
                )
                .label("`optional` is for record fields")
                .help("every person's row fills every roster column; remove `optional`, and give people without a value one that says so (a `none` value in the list, or `false`)"),
            );
        }
        let ty = value_type(cx, &col.ty, &col.name.node).map(|ty| {
            if ty == ValueType::Date {
                cx.push(
                    Diag::error(
                        Code::Misplaced,
                        col.span,
                        format!("the roster column `{}` cannot be a date", col.name.node),
                    )
                    .label("`date` is a record field's type")
                    .help("a record field `…: date` says when a continuing fault ended (`valid … from FIELD`); in the roster, write the column as `text`"),
                );
            }
            if ty == ValueType::Person {
                cx.push(
                    Diag::error(
                        Code::Misplaced,
                        col.span,
                        format!("the roster column `{}` cannot be a person", col.name.node),
                    )
                    .label("`person` is a record field's type")
                    .help("a record field `…: person` names whom points go to (`to FIELD`); in the roster, write the column as `text`"),
                );
            }
            if ty == ValueType::Time {
                cx.push(
                    Diag::error(
                        Code::Misplaced,
                        col.span,
                        format!("the roster column `{}` cannot be a time of day", col.name.node),
                    )
                    .label("`time` is a record field's type")
                    .help("a time of day belongs to an event (when someone arrived): declare it as a field of that record kind"),
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
                    format!("the record kind `{}` is declared twice", r.id.node),
                )
                .label("declared again")
                .also(first_span, "first declared here")
                .help("rename one of them, or delete the second"),
            );
            continue;
        }
        if empty_label(cx, &r.label, "record kind", &r.id.node) {
            // Reported; an empty label is not compared with the others.
        } else if let Some(first) = labels.get(r.label.node.as_str()) {
            cx.push(
                Diag::error(
                    Code::DuplicateLabel,
                    r.label.span,
                    format!("two record kinds are labelled `{}`", r.label.node),
                )
                .label("label used again")
                .also(*first, "first used here")
                .help("record files may name a kind by its label, so labels must differ"),
            );
        } else {
            labels.insert(&r.label.node, *r.label.span);
        }
        if cx.kind_index.contains_key(&r.label.node) {
            cx.push(
                Diag::error(
                    Code::DuplicateLabel,
                    r.label.span,
                    format!("`{}` is the id of another record kind", r.label.node),
                )
                .label("used as a label here")
                .help("record files may name a kind by id or label, so neither may repeat another"),
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
                            "a record names a `person`, a `department`, or the `town`".into()
                        });
                    cx.push(
                        Diag::error(
                            Code::UnknownSubject,
                            s.span,
                            format!("a record cannot name a `{other}`"),
                        )
                        .label("not `person`, `department` or `town`")
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
                        format!("`{}` is a built-in record column", f.name.node),
                    )
                    .label("reserved")
                    .help(format!(
                        "record files always have {}; name this field differently",
                        list_names(BUILTIN_RECORD_COLUMNS)
                    )),
                );
                continue;
            }
            if let Some(first) = fields.iter().find(|x| x.name == f.name.node) {
                cx.push(
                    Diag::error(
                        Code::DuplicateId,
                        f.name.span,
                        format!("the field `{}` is declared twice", f.name.node),
                    )
                    .label("declared again")
                    .also(first.span, "first declared here")
                    .help("declare each field once"),
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
                        format!("the field `{}` cannot be a group or a group's head", f.name.node),
                    )
                    .label("groups are the roster's")
                    .help("declare groups in `roster { … }` (`household: group`); a record reaches one through its person, `to head of household`"),
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
                    format!("the cap `{}` is declared twice", c.id.node),
                )
                .label("declared again")
                .also(first.id.span, "first declared here")
                .help("give each cap its own id"),
            );
            continue;
        }
        empty_label(cx, &c.label, "cap", &c.id.node);
        if c.limit.node <= Decimal::ZERO {
            cx.push(
                Diag::error(Code::BadRange, c.limit.span, "a cap must be above zero")
                    .label("not above zero")
                    .help("write how many points the rules may give or take together, like `40 in year`"),
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
