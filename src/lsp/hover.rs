//! Hover: what a record kind, a field, a column, an item or a grade is, and what a rule belongs to
//! and can cost.

use crate::check::bounds::{Bounds, End, Range};
use crate::syntax::ast::{self, Ast, Decl, Span};

use super::document::Document;
use super::index::Symbol;

/// The hover text (Markdown) and the span it is about.
pub fn hover(doc: &Document, offset: usize) -> Option<(String, Span)> {
    let ast = doc.ast.as_ref()?;
    let text = &doc.text;
    if let Some(o) = doc.index.as_ref().and_then(|i| i.at(offset)) {
        let said = symbol(ast, text, &o.symbol, doc.bounds.as_ref())?;
        return Some((said, o.span));
    }
    // Not on a name: the innermost declaration, band or rule around the cursor.
    let inside = |s: Span| s.start <= offset && offset < s.end;
    for decl in &ast.decls {
        match decl {
            Decl::Record(r) if inside(*r.span) => {
                return Some((record(r, text), *r.span));
            }
            Decl::Grades(g) => {
                if let Some(b) = g.bands.iter().find(|b| inside(*b.span)) {
                    return Some((band(b), *b.span));
                }
            }
            Decl::Section(s) => {
                if let Some(item) = s.items.iter().find(|i| inside(*i.span)) {
                    if let Some(rule) = item.rules.iter().find(|r| inside(*r.span)) {
                        let said = rule_in_item(rule, item, s)
                            + &scores(doc.bounds.as_ref(), &item.id.node);
                        return Some((said, *rule.span));
                    }
                    return Some((item_said(item, s, doc.bounds.as_ref()), *item.span));
                }
            }
            Decl::Adjustments(a) => {
                if let Some(rule) = a.rules.iter().find(|r| inside(*r.span)) {
                    let said = format!(
                        "**rule** {}\n\nin the adjustments `{}` “{}”: its points go to the monthly total, unclamped",
                        clause(rule),
                        a.id.node,
                        a.label.node
                    );
                    return Some((said, *rule.span));
                }
            }
            _ => {}
        }
    }
    None
}

fn source(text: &str, span: Span) -> &str {
    text.get(span.start..span.end).unwrap_or("").trim()
}

fn clause(rule: &ast::Rule) -> String {
    match &rule.citation {
        Some(c) => format!("`[{}]`", c.node),
        None => "without a clause".to_string(),
    }
}

fn symbol(ast: &Ast, text: &str, symbol: &Symbol, bounds: Option<&Bounds>) -> Option<String> {
    for decl in &ast.decls {
        match (decl, symbol) {
            (Decl::Record(r), Symbol::Kind(id)) if &r.id.node == id => {
                return Some(record(r, text));
            }
            (Decl::Record(r), Symbol::Field(kind, name)) if &r.id.node == kind => {
                let f = r.fields.iter().find(|f| &f.name.node == name)?;
                return Some(format!(
                    "**field** `{}`\n\nof the record kind `{}` “{}”",
                    source(text, *f.span),
                    r.id.node,
                    r.label.node
                ));
            }
            (Decl::Roster(r), Symbol::Column(name)) => {
                let c = r.columns.iter().find(|c| &c.name.node == name)?;
                return Some(format!("**roster column** `{}`", source(text, *c.span)));
            }
            (Decl::Section(s), Symbol::Section(id)) if &s.id.node == id => {
                return Some(format!(
                    "**section** `{}` “{}”\n\nbudget {} points, {}",
                    s.id.node,
                    s.label.node,
                    s.budget.node,
                    counted(s.items.len(), "item")
                ));
            }
            (Decl::Section(s), Symbol::Item(id)) => {
                if let Some(item) = s.items.iter().find(|i| &i.id.node == id) {
                    return Some(item_said(item, s, bounds));
                }
            }
            (Decl::Adjustments(a), Symbol::Adjustments(id)) if &a.id.node == id => {
                return Some(format!(
                    "**adjustments** `{}` “{}”\n\n{}; their points go to the monthly total, unclamped",
                    a.id.node,
                    a.label.node,
                    counted(a.rules.len(), "rule")
                ));
            }
            (Decl::Cap(c), Symbol::Cap(id)) if &c.id.node == id => {
                let period = c.period.as_ref().map_or("month", |p| p.node.keyword());
                return Some(format!(
                    "**cap** `{}` “{}”\n\nat most {} points a {period}, shared by every rule that says `cap {}`",
                    c.id.node, c.label.node, c.limit.node, c.id.node
                ));
            }
            (Decl::Once(o), Symbol::Once(id)) if &o.id.node == id => {
                let same = match &o.by {
                    Some(f) if f.node == "date" => "on the same date".to_string(),
                    Some(f) => format!("with the same `{}`", f.node),
                    None => String::new(),
                };
                let period = o.period.as_ref().map_or("year", |p| p.node.keyword());
                let act = if same.is_empty() {
                    format!("a subject's records in one {period} are one act")
                } else {
                    format!("records of one subject {same} in one {period} are one act")
                };
                return Some(format!(
                    "**once** `{}` “{}”\n\n{act}; it counts once across the rules that say `once {}`: the largest reward or the most severe deduction",
                    o.id.node, o.label.node, o.id.node
                ));
            }
            (Decl::Grades(g), Symbol::Grade(name)) => {
                if let Some(b) = g.bands.iter().find(|b| &b.name.node == name) {
                    return Some(band(b));
                }
            }
            _ => {}
        }
    }
    None
}

fn record(r: &ast::RecordDecl, text: &str) -> String {
    let subjects: Vec<&str> = r.subjects.iter().map(|s| s.node.as_str()).collect();
    let mut out = format!(
        "**record kind** `{}` “{}”\n\nby {}",
        r.id.node,
        r.label.node,
        subjects.join(" | ")
    );
    if r.fields.is_empty() {
        out.push_str("\n\nno fields besides the date and whom it names");
    } else {
        out.push_str("\n\nfields:");
        for f in &r.fields {
            out.push_str(&format!("\n- `{}`", source(text, *f.span)));
        }
    }
    out.push_str(if r.not_scored {
        "\n\nnot scored: its records are read and checked, never scored"
    } else {
        "\n\nscored"
    });
    out
}

fn band(b: &ast::Band) -> String {
    let threshold = match &b.min {
        Some(min) if b.above => format!("above {} points", min.node),
        Some(min) => format!("from {} points", min.node),
        None => "below every other band".to_string(),
    };
    let consequence = match &b.text {
        Some(t) => format!("\n\n{}", t.node),
        None => String::new(),
    };
    format!("**grade** `{}`: {threshold}{consequence}", b.name.node)
}

fn end(e: &End) -> String {
    match e {
        End::At(x) => x.display_places(0),
        End::Open(_) => "unbounded".to_string(),
    }
}

fn range(r: &Range) -> String {
    format!("{} to {}", end(&r.lo), end(&r.hi))
}

/// What the item can score, from `tally check --bounds`; nothing when the policy has errors. An
/// item is held to `0..budget`, so both ends are numbers.
fn scores(bounds: Option<&Bounds>, id: &str) -> String {
    let Some(row) = bounds.and_then(|b| b.item(id)) else {
        return String::new();
    };
    let balance = bounds.is_some_and(|b| b.balance);
    let mut out = match &row.scores.month {
        _ if balance => format!(
            "\n\nthe item reads {} on any day of the balance card",
            range(&row.scores.year)
        ),
        Some(month) => format!(
            "\n\nthe item scores {} in a month, {} in the year (the twelve months added up)",
            range(month),
            range(&row.scores.year)
        ),
        None => format!(
            "\n\nthe item scores {} on the year's card",
            range(&row.scores.year)
        ),
    };
    if !row.everybody {
        out.push_str("; only some people have it");
    }
    out
}

fn item_said(item: &ast::ItemDecl, section: &ast::SectionDecl, bounds: Option<&Bounds>) -> String {
    let said = format!(
        "**item** `{}` “{}”\n\nbudget {} points, in the section `{}` “{}”; {}",
        item.id.node,
        item.label.node,
        item.budget.node,
        section.id.node,
        section.label.node,
        counted(item.rules.len(), "rule")
    );
    said + &scores(bounds, &item.id.node)
}

/// `1 rule`, `2 rules`.
fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn rule_in_item(rule: &ast::Rule, item: &ast::ItemDecl, section: &ast::SectionDecl) -> String {
    let caps: Vec<String> = rule
        .modifiers
        .iter()
        .filter_map(|m| match m {
            ast::Modifier::Cap(c, period) => Some(format!(
                "at most {} points a {}",
                c.node,
                period.as_ref().map_or("month", |p| p.node.keyword())
            )),
            ast::Modifier::SharedCap(name) => {
                Some(format!("counts towards the cap `{}`", name.node))
            }
            ast::Modifier::Valid(v) => Some(validity_words(v)),
            ast::Modifier::Repeat(n) => {
                Some(format!("a repeat within that time counts × {}", n.node))
            }
            _ => None,
        })
        .collect();
    let effects: &[ast::Effect] = match &rule.body {
        ast::RuleBody::Per { effects, .. } | ast::RuleBody::When { effects, .. } => effects,
        ast::RuleBody::Base { .. } => &[],
    };
    let from_total = effects
        .iter()
        .any(|e| matches!(e, ast::Effect::Amount(a) if a.from_total));
    let mut out = format!(
        "**rule** {}\n\nin the item `{}` “{}” (budget {} points, section `{}`)",
        clause(rule),
        item.id.node,
        item.label.node,
        item.budget.node,
        section.id.node
    );
    if !caps.is_empty() {
        out.push_str(&format!("; {}", caps.join(", ")));
    }
    if from_total {
        out.push_str("\n\npart of its points go to the monthly total, past the item's budget");
    }
    out
}

/// `valid …` in words: how long each entry of the rule counts.
fn validity_words(v: &ast::Validity) -> String {
    let how = match &v.durations {
        ast::Durations::Fixed(d) => format!("each entry counts for {}", d.node),
        ast::Durations::Table {
            field: None,
            entries,
        } => format!(
            "each entry counts by the size of its points ({})",
            table_words(entries)
        ),
        ast::Durations::Table {
            field: Some(f),
            entries,
        } => format!(
            "each entry counts by its `{}` ({})",
            f.node,
            table_words(entries)
        ),
    };
    match &v.from {
        Some(f) => format!(
            "{how}, counted from its `{}` (and, while that is empty, as long as the fault continues)",
            f.node
        ),
        None => how,
    }
}

fn table_words(entries: &[ast::DurationEntry]) -> String {
    entries
        .iter()
        .map(|e| {
            let key = match &e.key.node {
                ast::TableKey::Else => "else".to_string(),
                ast::TableKey::Name(n) => n.clone(),
                ast::TableKey::Number(n) => n.to_string(),
                ast::TableKey::Bound(op, n) => format!("{} {n}", op.symbol()),
            };
            format!("{key}: {}", e.duration.node)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use lsp_types::Url;

    use super::*;
    use crate::lsp::document::Language;

    fn hover_at(text: &str, at: &str) -> String {
        let uri = Url::parse("file:///t/p.policy").unwrap();
        let doc = Document::new(&uri, Language::Policy, text.to_string(), None);
        let offset = text.find(at).unwrap_or_default() + 1;
        hover(&doc, offset)
            .map(|(said, _)| said)
            .unwrap_or_default()
    }

    const POLICY: &str = r#"policy "p" year 2020 total 100
card year

roster {
  role: a | b
}

record late "迟到" by person

section s "s" 100 {
  item first "first" 100 for role in {a} {
    [1] per late -5 cap 20 in year
  }
  item second "second" 100 for role in {b} {
    [2] per late -1
  }
}

grades {
  A >= 90
  B
}
"#;

    /// On a card a year, an item some people do not have: its range on the card, and that.
    #[test]
    fn an_item_for_some_people_on_a_year_card() {
        let said = hover_at(POLICY, "first \"first\"");
        assert!(
            said.ends_with(
                "the item scores 80 to 100 on the year's card; only some people have it"
            ),
            "{said}"
        );
        let said = hover_at(POLICY, "[2]");
        assert!(
            said.ends_with("the item scores 0 to 100 on the year's card; only some people have it"),
            "{said}"
        );
    }
}
