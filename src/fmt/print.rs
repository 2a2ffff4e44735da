//! The canonical text of each piece of the tree: expressions, rules, fields, bands.
//!
//! Every token of the tree is written in its order, with single spaces between; only the optional
//! punctuation changes (commas between fields and bands are dropped, commas between table entries
//! are written, the colon after `per` events is written only before a `where` filter needs it).
//! So the text parses back to the same tree.

use super::doc::Doc;
use crate::syntax::ast::*;

/// Bindings for [`Doc::brk`]: modifiers break first, then the loosest operators.
const MODIFIER: u8 = 0;

fn binding(op: BinOp) -> u8 {
    match op {
        BinOp::Or => 1,
        BinOp::And => 2,
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 3,
        BinOp::Add | BinOp::Sub => 4,
        BinOp::Mul | BinOp::Div => 5,
    }
}

/// A text in double quotes, escaped so that the parser reads back the same text.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `0..100`, `>= 1`, `<= 5`.
pub fn range(r: &RangeDecl) -> String {
    match (r.min, r.max) {
        (Some(a), Some(b)) => format!("{a}..{b}"),
        (Some(a), None) => format!(">= {a}"),
        (None, Some(b)) => format!("<= {b}"),
        (None, None) => String::new(),
    }
}

/// `name: type`, `name: a | b optional`.
pub fn field(f: &FieldDecl) -> String {
    let mut out = format!("{}: ", f.name.node);
    match &f.ty {
        FieldType::Enum(values) => {
            let names: Vec<&str> = values.iter().map(|v| v.node.as_str()).collect();
            out.push_str(&names.join(" | "));
        }
        FieldType::HeadOf(group) => out.push_str(&format!("head of {}", group.node)),
        FieldType::Scalar {
            whole,
            unit,
            range: r,
        } => {
            if *whole {
                out.push_str("whole ");
            }
            out.push_str(&unit.node);
            if let Some(r) = r {
                let r = range(&r.node);
                if !r.is_empty() {
                    out.push(' ');
                    out.push_str(&r);
                }
            }
        }
    }
    if f.optional {
        out.push_str(" optional");
    }
    out
}

/// `cap donations "区级平台捐款" 40 in year`.
pub fn cap_decl(c: &CapDecl) -> String {
    let mut out = format!(
        "cap {} {} {}",
        c.id.node,
        quote(&c.label.node),
        c.limit.node
    );
    if let Some(p) = &c.period {
        out.push_str(&format!(" in {}", p.node.keyword()));
    }
    out
}

/// `once incident "同一行为" per case in year`.
pub fn once_decl(o: &OnceDecl) -> String {
    let mut out = format!("once {} {}", o.id.node, quote(&o.label.node));
    if let Some(by) = &o.by {
        out.push_str(&format!(" per {}", by.node));
    }
    if let Some(p) = &o.period {
        out.push_str(&format!(" in {}", p.node.keyword()));
    }
    out
}

/// `rank standing "村内名次" of village`.
pub fn rank_decl(r: &RankDecl) -> String {
    let mut out = format!("rank {} {}", r.id.node, quote(&r.label.node));
    if let Some(of) = &r.of {
        out.push_str(&format!(" of {}", of.node));
        for also in &r.also {
            out.push_str(&format!(", {}", also.node));
        }
    }
    if let Some(by) = &r.by {
        out.push_str(if r.lowest { " by lowest " } else { " by " });
        out.push_str(&crate::fmt::expr_text(by));
    }
    match r.gives.as_ref().map(|g| &g.node) {
        Some(RankGives::Scaled(n)) => out.push_str(&format!(" scaled {}", n.node)),
        Some(RankGives::Points { minus, entries }) => {
            let shown: Vec<String> = entries
                .iter()
                .map(|(place, points)| format!("{}: {}", place.node, points.node))
                .collect();
            out.push_str(&format!(
                " {}{{ {} }}",
                if *minus { "-" } else { "+" },
                shown.join(", ")
            ));
        }
        None => {}
    }
    out
}

/// `name >= 950 "text"`.
pub fn band(b: &Band) -> String {
    let mut out = b.name.node.clone();
    if let Some(min) = &b.min {
        let symbol = if b.above { ">" } else { ">=" };
        out.push_str(&format!(" {symbol} {}", min.node));
    }
    if let Some(q) = &b.quota {
        out.push_str(&format!(" top {}%", q.percent.node));
        if let Some(of) = &q.of {
            out.push_str(&format!(" of {}", of.node));
            for also in &q.also {
                out.push_str(&format!(", {}", also.node));
            }
        }
    }
    if let Some(text) = &b.text {
        out.push(' ');
        out.push_str(&quote(&text.node));
    }
    out
}

/// An expression on one line.
pub fn flat(e: &Expr) -> String {
    let mut doc = Doc::default();
    expr(&mut doc, e);
    doc.flat()
}

/// An expression of its own (a condition, an amount, a base): its operators break together.
fn top(doc: &mut Doc, e: &Expr) {
    doc.begin();
    expr(doc, e);
    doc.end();
}

fn expr(doc: &mut Doc, e: &Expr) {
    expr_only(doc, e);
    doc.mark(e.span.end);
}

/// An expression's text without its closing mark.
// Long on purpose: one arm per expression kind, exhaustively (a new kind must be printed here).
fn expr_only(doc: &mut Doc, e: &Expr) {
    match &e.kind {
        ExprKind::Number(n) => doc.text(n.to_string()),
        ExprKind::Text(t) => doc.text(quote(t)),
        ExprKind::Clock(s) => doc.text(crate::ops::clock_text(*s)),
        ExprKind::Path(a, b) => {
            doc.text(&a.node);
            if let Some(b) = b {
                doc.text(".");
                doc.text(&b.node);
            }
        }
        ExprKind::Aggregate {
            func,
            of,
            field,
            filter,
        } => {
            doc.text(func.keyword());
            doc.text("(");
            doc.open();
            doc.text(&of.node);
            if let Some(f) = field {
                doc.text(".");
                doc.text(&f.node);
            }
            if let Some(filter) = filter {
                doc.text(" where ");
                expr(doc, filter);
            }
            doc.close();
            doc.text(")");
        }
        ExprKind::Windowed(inner, window) => {
            expr(doc, inner);
            doc.text(match window.node {
                Window::Year => " in year",
                Window::Month => " in month",
                Window::Quarter => " in quarter",
            });
        }
        ExprKind::Member(inner, names) => {
            expr(doc, inner);
            doc.text(" in {");
            doc.list_open();
            for (i, name) in names.iter().enumerate() {
                if i > 0 {
                    doc.text(",");
                }
                doc.item(true, if i > 0 { " " } else { "" });
                doc.text(&name.node);
                doc.mark(name.span.end);
            }
            doc.item(false, "");
            doc.list_close();
            doc.text("}");
        }
        ExprKind::Table(inner, entries) => {
            expr(doc, inner);
            doc.text(" {");
            doc.list_open();
            for (i, entry) in entries.iter().enumerate() {
                if i > 0 {
                    doc.text(",");
                }
                doc.item(true, " ");
                doc.open();
                match &entry.key.node {
                    TableKey::Else => doc.text("else"),
                    TableKey::Name(n) => doc.text(n),
                    TableKey::Number(n) => doc.text(n.to_string()),
                    TableKey::Bound(op, n) => doc.text(format!("{} {n}", op.symbol())),
                }
                doc.mark(entry.key.span.end);
                doc.text(": ");
                expr(doc, &entry.value);
                doc.close();
            }
            doc.item(false, " ");
            doc.list_close();
            doc.text("}");
        }
        ExprKind::Not(inner) => {
            doc.text("not ");
            expr(doc, inner);
        }
        ExprKind::Neg(inner) => {
            doc.text("-");
            expr(doc, inner);
        }
        ExprKind::Binary(op, lhs, rhs) => {
            expr(doc, lhs);
            doc.brk(binding(*op), op.symbol());
            doc.text(op.symbol());
            doc.text(" ");
            expr(doc, rhs);
        }
        ExprKind::Call(func, args) => {
            doc.text(func.node.keyword());
            doc.text("(");
            doc.open();
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    doc.text(", ");
                }
                expr(doc, arg);
            }
            doc.close();
            doc.text(")");
        }
        ExprKind::Convert(ledger, inner) => {
            doc.text(format!("{}(", ledger.node));
            doc.open();
            expr(doc, inner);
            doc.close();
            doc.text(")");
        }
        ExprKind::Paren(inner) => {
            doc.text("(");
            doc.open();
            expr(doc, inner);
            doc.close();
            doc.text(")");
        }
        ExprKind::Error => {}
    }
}

/// `[2.1.1] per late, early_leave -5 cap 40` with its break points.
pub fn rule(r: &Rule) -> Doc {
    let mut doc = Doc::default();
    if let Some(c) = &r.citation {
        doc.text(format!("[{}]", c.node));
        doc.mark(c.span.end);
        doc.text(" ");
    }
    match &r.body {
        RuleBody::Per {
            events,
            filter,
            effects: fx,
        } => {
            let names: Vec<String> = events
                .iter()
                .map(|e| match &e.per_field {
                    Some(f) => format!("{}.{}", e.kind.node, f.node),
                    None => e.kind.node.clone(),
                })
                .collect();
            doc.text(format!("per {}", names.join(", ")));
            if let Some(last) = events.last() {
                doc.mark(
                    last.per_field
                        .as_ref()
                        .map_or(last.kind.span.end, |f| f.span.end),
                );
            }
            if let Some(filter) = filter {
                doc.text(" where ");
                top(&mut doc, filter);
                doc.text(":");
            }
            before_effects(&mut doc, fx);
            effects(&mut doc, fx);
        }
        RuleBody::When {
            condition,
            effects: fx,
        } => {
            doc.text("when ");
            top(&mut doc, condition);
            doc.text(":");
            // A long `when` rule breaks between its condition and its effects before it breaks
            // inside either: `sum(hours) in year\n    >= 10: +5` would split the condition.
            doc.brk_effects();
            effects(&mut doc, fx);
        }
        RuleBody::Base { value } => {
            doc.text("base ");
            top(&mut doc, value);
        }
    }
    for m in &r.modifiers {
        modifier(&mut doc, m);
    }
    doc
}

/// One modifier of a rule (`cap 40 in year`, `once act`, `for …`, `valid …`), after a break
/// point of its own.
fn modifier(doc: &mut Doc, m: &Modifier) {
    match m {
        Modifier::Cap(n, period) => {
            doc.brk(MODIFIER, "cap");
            doc.text(format!("cap {}", n.node));
            doc.mark(n.span.end);
            if let Some(p) = period {
                doc.text(format!(" in {}", p.node.keyword()));
                doc.mark(p.span.end);
            }
        }
        Modifier::SharedCap(name) => {
            doc.brk(MODIFIER, "cap");
            doc.text(format!("cap {}", name.node));
            doc.mark(name.span.end);
        }
        Modifier::Once(name) => {
            doc.brk(MODIFIER, "once");
            doc.text(format!("once {}", name.node));
            doc.mark(name.span.end);
        }
        Modifier::Highest { field, .. } => {
            doc.brk(MODIFIER, "highest");
            doc.text(format!("highest per {}", field.node));
            doc.mark(field.span.end);
        }
        Modifier::For(e) => {
            doc.brk(MODIFIER, "for");
            doc.text("for ");
            top(doc, e);
        }
        Modifier::Guard(e) => {
            doc.brk(MODIFIER, "when");
            doc.text("when ");
            top(doc, e);
        }
        Modifier::Valid(v) => {
            doc.brk(MODIFIER, "valid");
            doc.text("valid ");
            validity(doc, v);
            doc.mark(v.span.end);
        }
        Modifier::Repeat(n) => {
            doc.brk(MODIFIER, "repeat");
            doc.text(format!("repeat * {}", n.node));
            doc.mark(n.span.end);
        }
    }
}

/// What follows `valid`, a table of durations breaking like a table of values when it is long.
fn validity(doc: &mut Doc, v: &crate::syntax::ast::Validity) {
    use crate::syntax::ast::Durations;
    match &v.durations {
        // `valid until FIELD`: the `until` below follows `valid` directly.
        Durations::Unwritten => {}
        Durations::Fixed(d) => {
            doc.text(d.node.to_string());
            doc.mark(d.span.end);
        }
        Durations::Table { field, entries } => {
            if let Some(f) = field {
                doc.text(format!("{} ", f.node));
                doc.mark(f.span.end);
            }
            doc.text("{");
            doc.list_open();
            for (i, entry) in entries.iter().enumerate() {
                if i > 0 {
                    doc.text(",");
                }
                doc.item(true, " ");
                doc.open();
                match &entry.key.node {
                    TableKey::Else => doc.text("else"),
                    TableKey::Name(n) => doc.text(n),
                    TableKey::Number(n) => doc.text(n.to_string()),
                    TableKey::Bound(op, n) => doc.text(format!("{} {n}", op.symbol())),
                }
                doc.mark(entry.key.span.end);
                doc.text(format!(": {}", entry.duration.node));
                doc.mark(entry.duration.span.end);
                doc.close();
            }
            doc.item(false, " ");
            doc.list_close();
            doc.text("}");
        }
    }
    if let Some(f) = &v.from {
        doc.text(format!(" from {}", f.node));
        doc.mark(f.span.end);
    }
    if let Some(f) = &v.since {
        doc.text(format!(" since {}", f.node));
        doc.mark(f.span.end);
    }
    if let Some(f) = &v.until {
        let gap = if matches!(v.durations, Durations::Unwritten) {
            ""
        } else {
            " "
        };
        doc.text(format!("{gap}until {}", f.node));
        doc.mark(f.span.end);
    }
}

/// What follows `valid`: `2 years`, `{ <= 40: 1 year, else: 2 years }`, `level { city: 2 years }`.
pub fn validity_text(v: &crate::syntax::ast::Validity) -> String {
    use crate::syntax::ast::Durations;
    let mut from = v
        .from
        .as_ref()
        .map_or(String::new(), |f| format!(" from {}", f.node));
    for (word, f) in [("since", &v.since), ("until", &v.until)] {
        if let Some(f) = f {
            from.push_str(&format!(" {word} {}", f.node));
        }
    }
    let durations = match &v.durations {
        Durations::Unwritten => return from.trim_start().to_string(),
        Durations::Fixed(d) => d.node.to_string(),
        Durations::Table { field, entries } => {
            let entries: Vec<String> = entries
                .iter()
                .map(|e| {
                    let key = match &e.key.node {
                        TableKey::Else => "else".to_string(),
                        TableKey::Name(n) => n.clone(),
                        TableKey::Number(n) => n.to_string(),
                        TableKey::Bound(op, n) => format!("{} {n}", op.symbol()),
                    };
                    format!("{key}: {}", e.duration.node)
                })
                .collect();
            let field = field
                .as_ref()
                .map_or(String::new(), |f| format!("{} ", f.node));
            format!("{field}{{ {} }}", entries.join(", "))
        }
    };
    durations + &from
}

/// The space before a rule's effects. When an amount is a sum or difference (`-a * 2 - b * 3`),
/// it may become a line break: a long rule then breaks before the amount's sign rather than inside
/// the amount, where `- b * 3` on a line of its own would read as a rule's effect of its own.
fn before_effects(doc: &mut Doc, effects: &[Effect]) {
    let signed_sum = effects.iter().any(|e| {
        matches!(e, Effect::Amount(a)
            if matches!(a.value.kind, ExprKind::Binary(BinOp::Add | BinOp::Sub, _, _)))
    });
    if signed_sum {
        doc.brk_effects();
    } else {
        doc.text(" ");
    }
}

fn effects(doc: &mut Doc, effects: &[Effect]) {
    for (i, effect) in effects.iter().enumerate() {
        if i > 0 {
            doc.text(", ");
        }
        match effect {
            Effect::Zero(_) => doc.text("zero"),
            Effect::Flag(text) => doc.text(format!("flag {}", quote(&text.node))),
            Effect::GradeCap { grade, .. } => doc.text(format!("grade at most {}", grade.node)),
            Effect::Exclude(t) => doc.text(format!("exclude {}", quote(&t.node))),
            Effect::SetGrade { grade, .. } => doc.text(format!("grade {}", grade.node)),
            Effect::SetScore(n) => doc.text(format!("score {}", n.node)),
            Effect::Demote { grade, .. } => doc.text(format!("demote to {}", grade.node)),
            Effect::Freeze { block, .. } => doc.text(format!("freeze {}", block.node)),
            Effect::Amount(a) => {
                doc.text(match a.sign {
                    Sign::Plus => "+",
                    Sign::Minus => "-",
                });
                top(doc, &a.value);
                if let Some(within) = &a.within {
                    doc.text(format!(" in {}", range(&within.node)));
                }
                if let Some(target) = &a.target {
                    doc.text(format!(" to {}", target.node));
                    if let Some(group) = &a.target_group {
                        doc.text(format!(" of {}", group.node));
                    }
                }
                if a.from_total {
                    doc.text(" from total");
                }
            }
        }
        doc.mark(effect.span().end);
    }
}

/// `annual = sum(months) / 12` with its break points.
pub fn annual(formula: &Expr) -> Doc {
    let mut doc = Doc::default();
    doc.text("annual = ");
    top(&mut doc, formula);
    doc
}

/// `derive pay "绩效工资" in money = …` (§30).
pub fn derive(d: &DeriveDecl) -> Doc {
    let mut doc = Doc::default();
    doc.text(format!(
        "derive {} {} in {} = ",
        d.id.node,
        quote(&d.label.node),
        d.ledger.node
    ));
    top(&mut doc, &d.formula);
    doc
}

/// `item id "label" 100 for role in {…} {`, with its member sets as lists.
pub fn item_header(item: &ItemDecl) -> Doc {
    let mut doc = Doc::default();
    doc.text(format!(
        "item {} {} {}",
        item.id.node,
        quote(&item.label.node),
        item.budget.node
    ));
    doc.mark(item.budget.span.end);
    if let Some(scaled) = &item.scaled {
        doc.text(crate::fmt::relative::scaled_text(scaled));
    }
    if let Some(applies) = &item.applies {
        doc.text(" for ");
        top(&mut doc, applies);
    }
    doc.text(" {");
    doc
}
