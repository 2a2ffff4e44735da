//! Sections, items, adjustments and their rules.

use std::collections::HashMap;

use super::Checker;
use super::expr::{Scope, Ty, condition, is_rate, lower, resolve_field, resolve_kind};
use super::model::{self, Target, Unit, ValueType};
use crate::diag::{Code, Diag, did_you_mean, list_names};
use crate::syntax::ast::{self, Decl, ExprKind as A, Modifier, RuleBody, Sign, Span};

/// Where a rule stands: inside an item (its budget) or in an adjustments block.
#[derive(Clone, Copy)]
enum Place {
    Item,
    Adjustments,
}

pub fn bodies(cx: &mut Checker, ast: &ast::Ast) -> (Vec<model::Section>, Vec<model::Adjustments>) {
    let mut sections = Vec::new();
    let mut adjustments = Vec::new();
    let mut block_ids: HashMap<String, Span> = HashMap::new();
    let mut block_labels: HashMap<String, Span> = HashMap::new();
    let mut item_ids: HashMap<String, Span> = HashMap::new();
    let mut item_labels: HashMap<String, Span> = HashMap::new();
    for decl in &ast.decls {
        match decl {
            Decl::Section(s) => {
                super::decls::empty_label(cx, &s.label, "section", &s.id.node);
                unique(
                    cx,
                    &mut block_ids,
                    &s.id.node,
                    s.id.span,
                    "a section or adjustments block",
                    Code::DuplicateId,
                );
                unique(
                    cx,
                    &mut block_labels,
                    &s.label.node,
                    s.label.span,
                    "a section or adjustments block",
                    Code::DuplicateLabel,
                );
                let mut items = Vec::new();
                for item in &s.items {
                    super::decls::empty_label(cx, &item.label, "item", &item.id.node);
                    unique(
                        cx,
                        &mut item_ids,
                        &item.id.node,
                        item.id.span,
                        "an item",
                        Code::DuplicateId,
                    );
                    unique(
                        cx,
                        &mut item_labels,
                        &item.label.node,
                        item.label.span,
                        "an item",
                        Code::DuplicateLabel,
                    );
                    items.push(check_item(cx, item));
                }
                sections.push(model::Section {
                    id: s.id.node.clone(),
                    label: s.label.node.clone(),
                    budget: s.budget.node,
                    items,
                    span: s.span,
                });
            }
            Decl::Adjustments(a) => {
                super::decls::empty_label(cx, &a.label, "adjustments block", &a.id.node);
                unique(
                    cx,
                    &mut block_ids,
                    &a.id.node,
                    a.id.span,
                    "a section or adjustments block",
                    Code::DuplicateId,
                );
                unique(
                    cx,
                    &mut block_labels,
                    &a.label.node,
                    a.label.span,
                    "a section or adjustments block",
                    Code::DuplicateLabel,
                );
                let rules = a
                    .rules
                    .iter()
                    .filter_map(|r| check_rule(cx, r, Place::Adjustments, None))
                    .collect();
                adjustments.push(model::Adjustments {
                    id: a.id.node.clone(),
                    label: a.label.node.clone(),
                    rules,
                    span: a.span,
                });
            }
            _ => {}
        }
    }
    (sections, adjustments)
}

fn unique(
    cx: &mut Checker,
    seen: &mut HashMap<String, Span>,
    key: &str,
    span: Span,
    what: &str,
    code: Code,
) {
    if let Some(first) = seen.get(key) {
        let word = if code == Code::DuplicateId {
            "id"
        } else {
            "label"
        };
        cx.push(
            Diag::error(
                code,
                span,
                format!("the {word} `{key}` is already used by {what}"),
            )
            .label("used again")
            .also(*first, "first used here")
            .help(format!(
                "give each {} its own {word}",
                what.trim_start_matches("a ").trim_start_matches("an ")
            )),
        );
    } else {
        seen.insert(key.to_string(), span);
    }
}

fn check_item(cx: &mut Checker, item: &ast::ItemDecl) -> model::Item {
    let errors = cx.errors();
    let applies = item
        .applies
        .as_ref()
        .map(|e| condition(cx, e, &Scope::roster_only("an item's `for` condition")));
    if cx.errors() > errors {
        cx.unsure.push((item.span.start, item.span.end));
    }
    let mut bases = Vec::new();
    let mut rules = Vec::new();
    for rule in &item.rules {
        if let RuleBody::Base { value } = &rule.body {
            if let Some(b) = check_base(cx, rule, value) {
                bases.push(b);
            }
        } else if let Some(r) = check_rule(cx, rule, Place::Item, Some(item)) {
            rules.push(r);
        }
    }
    model::Item {
        id: item.id.node.clone(),
        label: item.label.node.clone(),
        budget: item.budget.node,
        applies,
        applies_text: item.applies.as_ref().map(crate::fmt::expr_text),
        bases,
        rules,
        span: item.span,
    }
}

/// The `for` modifier of a rule, checked; other modifiers are reported where they do not belong.
fn applies_of(cx: &mut Checker, rule: &ast::Rule, allow_cap: bool) -> Option<model::Expr> {
    let mut applies = None;
    let mut seen_for: Option<Span> = None;
    for m in &rule.modifiers {
        match m {
            Modifier::For(e) => {
                if let Some(first) = seen_for {
                    cx.push(
                        Diag::error(Code::Misplaced, e.span, "a rule has at most one `for`")
                            .label("second `for`")
                            .also(first, "first `for`")
                            .help("join the conditions with `and`: `for head and temporary`"),
                    );
                    continue;
                }
                seen_for = Some(e.span);
                applies = Some(condition(
                    cx,
                    e,
                    &Scope::roster_only("a rule's `for` condition"),
                ));
            }
            Modifier::Cap(_) | Modifier::Highest { .. } if !allow_cap => {
                let word = if matches!(m, Modifier::Cap(_)) {
                    "cap"
                } else {
                    "highest per"
                };
                cx.push(
                    Diag::error(
                        Code::Misplaced,
                        m.span(),
                        format!("`{word}` belongs to a `per` rule"),
                    )
                    .label("no records to limit here")
                    .help(format!(
                        "`{word}` limits what the records of a `per` rule give; remove it here"
                    )),
                );
            }
            _ => {}
        }
    }
    applies
}

fn check_base(cx: &mut Checker, rule: &ast::Rule, value: &ast::Expr) -> Option<model::Base> {
    let errors = cx.errors();
    let applies = applies_of(cx, rule, false);
    if cx.errors() > errors {
        cx.unsure.push((rule.span.start, rule.span.end));
    }
    let (expr, ty) = lower(cx, value, &Scope::rule(Vec::new(), "a base"));
    super::expr::beyond_publication(cx, &expr);
    points_like(cx, &ty, value, "a base");
    let formula = formula(cx, &expr);
    Some(model::Base {
        clause: rule.citation.as_ref().map(|c| c.node.clone()),
        text: crate::fmt::rule_text(rule),
        formula,
        value: expr,
        applies,
        span: rule.span,
    })
}

/// An expression's source text split around its aggregates and facts (see [`model::FormulaPart`]), the
/// text as written (white space is squeezed when it is shown).
fn formula(cx: &Checker, value: &model::Expr) -> Vec<model::FormulaPart> {
    let raw = |a: usize, b: usize| cx.source.text.get(a..b).unwrap_or("").to_string();
    let mut found = value.aggregates();
    found.sort_by_key(|(s, _)| s.start);
    let mut parts = Vec::new();
    let mut at = value.span.start;
    for (span, id) in found {
        if span.start < at {
            // Nested or overlapping: the formula cannot be cut cleanly; show none.
            return Vec::new();
        }
        if span.start > at {
            parts.push(model::FormulaPart::Text(raw(at, span.start)));
        }
        parts.push(model::FormulaPart::Value(id));
        at = after_window(&cx.source.text, span.end).min(value.span.end);
    }
    if at < value.span.end {
        parts.push(model::FormulaPart::Text(raw(at, value.span.end)));
    }
    parts
}

/// Where the text after an aggregate ends once its window (`in year`, `in month`) is passed: an
/// aggregate's span leaves the window out, but its value is the windowed one.
fn after_window(text: &str, at: usize) -> usize {
    let Some(rest) = text.get(at..) else {
        return at;
    };
    let trimmed = rest.trim_start();
    let Some(words) = trimmed.strip_prefix("in") else {
        return at;
    };
    if !words.starts_with(char::is_whitespace) {
        return at;
    }
    let words = words.trim_start();
    for window in ["year", "month"] {
        if let Some(after) = words.strip_prefix(window) {
            if !after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                return text.len() - after.len();
            }
        }
    }
    at
}

/// Amounts and bases are points; a plain number counts as points, and so does a written rate
/// times a quantity (`5 * (100 - sum(visit.households) in year)`: five points per household).
fn points_like(cx: &mut Checker, ty: &Ty, e: &ast::Expr, what: &str) {
    match ty {
        Ty::Num(Unit::Points | Unit::Number) | Ty::Lit | Ty::Error => {}
        Ty::Num(u) if is_rate(e) => {
            let _ = u;
        }
        Ty::Num(u) => cx.push(
            Diag::error(
                Code::NotPoints,
                e.span,
                format!("{what} must be in points, not in {}", u.name()),
            )
            .label(format!("this is in {}", u.name()))
            .help(format!(
                "turn it into points with a rate, like `5 * …` for five points per {}",
                u.name().trim_end_matches('s')
            )),
        ),
        other => cx.push(
            Diag::error(
                Code::TypeMismatch,
                e.span,
                format!("{what} must be a number of points"),
            )
            .label(format!("this is {}", other.describe()))
            .help("write a number, a field in points, or a table like `level { city: 10, … }`"),
        ),
    }
}

fn check_rule(
    cx: &mut Checker,
    rule: &ast::Rule,
    place: Place,
    item: Option<&ast::ItemDecl>,
) -> Option<model::Rule> {
    let clause = rule.citation.as_ref().map(|c| c.node.clone());
    let text = crate::fmt::rule_text(rule);
    let body = match &rule.body {
        RuleBody::Base { value } => {
            cx.push(
                Diag::error(Code::Misplaced, value.span.to(rule.span), "`base` belongs inside an item")
                    .label("a base outside an item")
                    .help("an adjustments block only gives or takes points; move the base into the item it sets"),
            );
            return None;
        }
        RuleBody::Per {
            events,
            filter,
            effects,
        } => {
            let mut kinds = Vec::new();
            let mut specs = Vec::new();
            for ev in events {
                let Some(k) = resolve_kind(cx, &ev.kind) else {
                    continue;
                };
                let per_field = match &ev.per_field {
                    Some(f) => {
                        let Some(i) = resolve_field(cx, k, f) else {
                            continue;
                        };
                        let field = &cx.kinds[k].fields[i];
                        let numeric = matches!(field.ty, ValueType::Number { .. });
                        if !numeric && !cx.is_untyped(field.span) {
                            cx.push(
                                Diag::error(
                                    Code::NotNumeric,
                                    f.span,
                                    format!(
                                        "`per {}.{}` needs a number field",
                                        ev.kind.node, f.node
                                    ),
                                )
                                .label("not a number")
                                .help(format!("write `per {}` to count records", ev.kind.node)),
                            );
                        }
                        Some(i)
                    }
                    None => None,
                };
                kinds.push(k);
                specs.push(model::EventSpec { kind: k, per_field });
            }
            if specs.len() != events.len() {
                return None;
            }
            let scope = Scope::record(kinds.clone(), "a `where` filter");
            let filter = filter.as_ref().map(|f| condition(cx, f, &scope));
            let scope = Scope::record(kinds.clone(), "an amount");
            let effects = check_effects(cx, effects, place, &scope, true);
            let mut cap = None;
            let mut highest = None;
            for m in &rule.modifiers {
                match m {
                    Modifier::Cap(c) => {
                        if c.node <= rust_decimal::Decimal::ZERO {
                            cx.push(
                                Diag::error(Code::BadRange, c.span, "a cap must be above zero")
                                    .label("not above zero")
                                    .help("write how many points the rule may give or take in a month, like `cap 40`"),
                            );
                        }
                        cap = Some(c.node);
                        if let Some(item) = item {
                            if c.node >= item.budget.node {
                                cx.push(
                                    Diag::warning(Code::CapNeverBinds, c.span, format!("`cap {}` can never bind", c.node))
                                        .label(format!("the item holds only {} points", item.budget.node))
                                        .also(item.budget.span, "the item's budget")
                                        .help("the item's floor stops deductions first; lower the cap or remove it"),
                                );
                            }
                        }
                    }
                    Modifier::Highest { field, .. } => {
                        if kinds.len() != 1 {
                            cx.push(
                                Diag::error(
                                    Code::Misplaced,
                                    m.span(),
                                    "`highest per` needs a rule about one record kind",
                                )
                                .label("several kinds")
                                .help("write one rule per kind"),
                            );
                        } else if let Some(i) = resolve_field(cx, kinds[0], field) {
                            highest = Some(i);
                            let factor = specs.first().and_then(|s| s.per_field);
                            highest_signs(cx, &effects, kinds[0], factor, m.span());
                        }
                    }
                    Modifier::For(_) => {}
                }
            }
            model::RuleBody::Per {
                events: specs,
                filter,
                effects,
                cap,
                highest,
            }
        }
        RuleBody::When {
            condition: cond,
            effects,
        } => {
            let scope = Scope::rule(Vec::new(), "a `when` condition");
            let condition = condition(cx, cond, &scope);
            let scope = Scope::rule(Vec::new(), "an amount");
            let effects = check_effects(cx, effects, place, &scope, false);
            model::RuleBody::When { condition, effects }
        }
    };
    let applies = applies_of(cx, rule, matches!(body, model::RuleBody::Per { .. }));
    let formula = match &body {
        model::RuleBody::When { condition, .. } => formula(cx, condition),
        model::RuleBody::Per { .. } => Vec::new(),
    };
    Some(model::Rule {
        clause,
        applies,
        body,
        text,
        formula,
        span: rule.span,
    })
}

/// `highest per` keeps the record with the largest effect by size: the biggest reward or the most
/// severe deduction. An amount that can be either for different records makes that a comparison
/// of a reward with a deduction by size alone: a warning.
fn highest_signs(
    cx: &mut Checker,
    effects: &[model::Effect],
    kind: usize,
    factor: Option<usize>,
    span: Span,
) {
    let Some(amount) = effects.iter().find_map(|e| match e {
        model::Effect::Points { amount, .. } => Some(amount),
        _ => None,
    }) else {
        return;
    };
    let zero = rust_decimal::Decimal::ZERO;
    let (mut lo, mut hi) = super::interval::bounds(cx, amount, &[kind]);
    // `per bonus.points +1`: the amount is multiplied by the field's value.
    if let Some(f) = factor {
        let field = model::Expr {
            kind: model::ExprKind::RecordField(f),
            span,
        };
        let (fl, fh) = super::interval::bounds(cx, &field, &[kind]);
        let can_be = |l: Option<_>, h: Option<_>, neg: bool| {
            if neg {
                l.is_none_or(|l| l < zero)
            } else {
                h.is_none_or(|h| h > zero)
            }
        };
        // The product can be below 0 when one side can be below and the other above.
        let below = (can_be(lo, hi, true) && can_be(fl, fh, false))
            || (can_be(lo, hi, false) && can_be(fl, fh, true));
        let above = (can_be(lo, hi, false) && can_be(fl, fh, false))
            || (can_be(lo, hi, true) && can_be(fl, fh, true));
        lo = if below { None } else { Some(zero) };
        hi = if above { None } else { Some(zero) };
    }
    if lo.is_none_or(|l| l < zero) && hi.is_none_or(|h| h > zero) {
        cx.push(
            Diag::warning(
                Code::HighestMixedSigns,
                span,
                "the amount can be a reward for one record and a deduction for another",
            )
            .label("keeps the record with the largest effect by size")
            .also(amount.span, "can be above or below 0")
            .help("`highest per` keeps the biggest reward or the most severe deduction; write one rule for rewards and one for deductions, or declare the field's range so that its sign is known"),
        );
    }
}

fn check_effects(
    cx: &mut Checker,
    effects: &[ast::Effect],
    place: Place,
    scope: &Scope,
    per: bool,
) -> Vec<model::Effect> {
    let mut out = Vec::new();
    for effect in effects {
        match effect {
            ast::Effect::Zero(span) => {
                if matches!(place, Place::Adjustments) {
                    cx.push(
                        Diag::error(Code::Misplaced, *span, "`zero` belongs inside an item")
                            .label("no item to zero here")
                            .help("`zero` sets the item's score to 0; in an adjustments block take points instead, like `-100`"),
                    );
                    continue;
                }
                out.push(model::Effect::Zero);
            }
            ast::Effect::Flag(text) => {
                if text.node.trim().is_empty() {
                    cx.push(
                        Diag::error(Code::EmptyLabel, text.span, "a flag with an empty text")
                            .label("no text here")
                            .help("write the consequence the regulation names, like `flag \"予辞退\"`; it is printed beside the person's result"),
                    );
                    continue;
                }
                out.push(model::Effect::Flag(text.node.clone()));
            }
            ast::Effect::GradeCap { grade, .. } => match cx.grade(&grade.node) {
                Some(g) => out.push(model::Effect::GradeCap(g)),
                None => {
                    let names: Vec<String> = cx.grades.iter().map(|g| g.name.clone()).collect();
                    let help = did_you_mean(&grade.node, names.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("the grades are {}", list_names(&names)));
                    cx.push(
                        Diag::error(
                            Code::UnknownGrade,
                            grade.span,
                            format!("unknown grade `{}`", grade.node),
                        )
                        .label("not in the `grades` block")
                        .help(help),
                    );
                }
            },
            ast::Effect::Amount(a) => {
                if let Some(e) = amount(cx, a, scope, per) {
                    out.push(e);
                }
            }
        }
    }
    out
}

/// An amount as it reads: a `-` before it negates its first term, as it would anywhere else, so
/// `-a * 20 - b * 30` takes both products (not `-(a * 20 - b * 30)`), and `-5 * (100 - x)` and
/// `-(a + b)` negate the whole.
fn signed(value: &ast::Expr) -> ast::Expr {
    match &value.kind {
        A::Binary(op @ (ast::BinOp::Add | ast::BinOp::Sub), l, r) => ast::Expr {
            kind: A::Binary(*op, Box::new(signed(l)), r.clone()),
            span: value.span,
        },
        _ => ast::Expr {
            kind: A::Neg(Box::new(value.clone())),
            span: value.span,
        },
    }
}

fn amount(cx: &mut Checker, a: &ast::Amount, scope: &Scope, per: bool) -> Option<model::Effect> {
    let written = match a.sign {
        Sign::Minus => signed(&a.value),
        Sign::Plus => a.value.clone(),
    };
    let (value, ty) = lower(cx, &written, scope);
    super::expr::beyond_publication(cx, &value);
    points_like(cx, &ty, &a.value, "an amount");
    if let Some(within) = &a.within {
        check_within(cx, a, within, scope);
    }
    let target = match &a.target {
        None => Target::Subject,
        Some(t) => {
            if !per {
                cx.push(
                    Diag::error(
                        Code::Misplaced,
                        t.span,
                        "a `when` rule gives its points to the person scored",
                    )
                    .label("no record to take a target from")
                    .help("remove `to …`; targets belong to `per` rules"),
                );
                return None;
            }
            let target = match t.node.as_str() {
                "person" => Target::Person,
                "members" => Target::Members,
                "staff" => Target::Staff,
                "head" => Target::Head,
                other => {
                    let reachable: Vec<&(&str, Target, &str)> = TARGETS
                        .iter()
                        .filter(|&&(_, t, _)| target_problem(cx, t, scope).is_none())
                        .collect();
                    let names: Vec<&str> = reachable.iter().map(|x| x.0).collect();
                    let listed: Vec<String> = reachable
                        .iter()
                        .map(|(n, _, what)| format!("`to {n}` ({what})"))
                        .collect();
                    let help = did_you_mean(other, names.iter().copied()).unwrap_or_else(|| {
                        if listed.is_empty() {
                            "these records reach no one but the person scored; remove `to …`"
                                .to_string()
                        } else {
                            format!("these records can go {}", join_or(&listed))
                        }
                    });
                    cx.push(
                        Diag::error(
                            Code::UnknownTarget,
                            t.span,
                            format!("unknown target `{other}`"),
                        )
                        .label("not a target")
                        .help(help),
                    );
                    return None;
                }
            };
            check_target(cx, target, t.span, scope);
            target
        }
    };
    Some(model::Effect::Points {
        amount: value,
        target,
        from_total: a.from_total,
        span: a.span,
    })
}

/// Every target a rule may name, with what it means.
const TARGETS: &[(&str, Target, &str)] = &[
    ("person", Target::Person, "the person the record names"),
    ("members", Target::Members, "everyone in the department"),
    ("staff", Target::Staff, "the department without its head"),
    ("head", Target::Head, "the department's head"),
];

fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// Why the rule's records cannot reach a target.
enum Unreachable {
    /// A kind names neither whom the target needs (the message says which).
    Kind(String),
    /// `staff` and `head` need the roster column `head`.
    NoHead,
}

/// Why the rule's records cannot reach a target, if they cannot.
fn target_problem(cx: &Checker, target: Target, scope: &Scope) -> Option<Unreachable> {
    let mut kinds = scope.record_kinds.iter().map(|&k| &cx.kinds[k]);
    let unreachable = match target {
        Target::Person => kinds
            .find(|k| !k.subjects.person)
            .map(|k| format!("`{}` records do not name a person", k.id)),
        Target::Members | Target::Staff | Target::Head => kinds
            .find(|k| !k.subjects.person && !k.subjects.department)
            .map(|k| format!("`{}` records name no department and no person", k.id)),
        Target::Subject => None,
    };
    if let Some(p) = unreachable {
        return Some(Unreachable::Kind(p));
    }
    let has_head = cx
        .columns
        .iter()
        .any(|c| c.name == "head" && c.ty == ValueType::Bool);
    if matches!(target, Target::Staff | Target::Head) && !has_head {
        return Some(Unreachable::NoHead);
    }
    None
}

fn check_target(cx: &mut Checker, target: Target, span: Span, scope: &Scope) {
    let diag = match target_problem(cx, target, scope) {
        None => return,
        Some(Unreachable::NoHead) => Diag::error(
            Code::BadTarget,
            span,
            "the roster does not say who heads a department",
        )
        .label("needs the roster column `head`")
        .help("declare `head: bool` in `roster { … }` and mark each department's head `true`"),
        Some(Unreachable::Kind(message)) => {
            let others: Vec<String> = TARGETS
                .iter()
                .filter(|&&(_, t, _)| t != target && target_problem(cx, t, scope).is_none())
                .map(|(n, _, _)| format!("`to {n}`"))
                .collect();
            let help = if others.is_empty() {
                "declare the kind `by person | department`, or remove `to …`".to_string()
            } else {
                format!(
                    "these records can go {}; or declare the kind `by person | department`",
                    join_or(&others)
                )
            };
            Diag::error(Code::BadTarget, span, message)
                .label("cannot be reached from these records")
                .help(help)
        }
    };
    cx.push(diag);
}

fn check_within(
    cx: &mut Checker,
    a: &ast::Amount,
    within: &ast::Spanned<ast::RangeDecl>,
    scope: &Scope,
) {
    let (Some(lo), Some(hi)) = (within.node.min, within.node.max) else {
        return;
    };
    let mut value = &a.value;
    while let A::Paren(x) = &value.kind {
        value = x;
    }
    let declared = match &value.kind {
        A::Number(n) => Some((Some(*n), Some(*n), format!("{n}"))),
        A::Path(name, None) => scope.record_kinds.first().and_then(|&k| {
            cx.kinds[k]
                .fields
                .iter()
                .find(|f| f.name == name.node)
                .filter(|f| !cx.is_untyped(f.span))
                .map(|f| match &f.ty {
                    ValueType::Number { min, max, .. } => (*min, *max, format!("`{}`", name.node)),
                    _ => (None, None, format!("`{}`", name.node)),
                })
        }),
        _ => None,
    };
    let Some((min, max, what)) = declared else {
        return;
    };
    let inside = min.is_some_and(|m| m >= lo) && max.is_some_and(|m| m <= hi);
    if !inside {
        let shown = match (min, max) {
            (Some(a), Some(b)) if a == b => format!("{a}"),
            (Some(a), Some(b)) => format!("{a}..{b}"),
            (Some(a), None) => format!(">= {a}"),
            (None, Some(b)) => format!("<= {b}"),
            (None, None) => "any number".to_string(),
        };
        cx.push(
            Diag::error(
                Code::AmountRange,
                a.value.span,
                format!("{what} can fall outside {lo}..{hi}"),
            )
            .label(format!("may be {shown}"))
            .also(within.span, "the amount must lie here")
            .help(format!(
                "declare the field's range as `{lo}..{hi}` so records outside it are refused"
            )),
        );
    }
}
