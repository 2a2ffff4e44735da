//! Go to definition, find references, and the outline (document symbols).

use lsp_types::{DocumentSymbol, Location, SymbolKind, Url};

use super::document::Document;
use crate::syntax::ast::{self, Decl, Span};

pub fn definition(uri: &Url, doc: &Document, offset: usize) -> Option<Location> {
    let index = doc.index.as_ref()?;
    let here = index.at(offset)?;
    let def = index.definition(&here.symbol)?;
    Some(Location::new(uri.clone(), doc.lines.range(def.span)))
}

pub fn references(
    uri: &Url,
    doc: &Document,
    offset: usize,
    with_declaration: bool,
) -> Vec<Location> {
    let Some(index) = doc.index.as_ref() else {
        return Vec::new();
    };
    let Some(here) = index.at(offset) else {
        return Vec::new();
    };
    index
        .references(&here.symbol, with_declaration)
        .map(|o| Location::new(uri.clone(), doc.lines.range(o.span)))
        .collect()
}

/// Sections → items → rules (by clause), and the record kinds, adjustments and grades.
// One arm per declaration, exhaustively (a new declaration must be listed here): a table.
pub fn symbols(doc: &Document) -> Vec<DocumentSymbol> {
    let Some(ast) = doc.ast.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for decl in &ast.decls {
        match decl {
            Decl::Card(_) => {}
            Decl::Record(r) => out.push(symbol(
                doc,
                (r.id.node.clone(), Some(r.label.node.clone())),
                SymbolKind::STRUCT,
                (*r.span, *r.id.span),
                None,
            )),
            Decl::Section(s) => out.push(section_symbol(doc, s)),
            Decl::Cap(c) => out.push(symbol(
                doc,
                (
                    c.id.node.clone(),
                    Some(format!(
                        "{} ({} a {})",
                        c.label.node,
                        c.limit.node,
                        c.period.as_ref().map_or("month", |p| p.node.keyword())
                    )),
                ),
                SymbolKind::CONSTANT,
                (*c.span, *c.id.span),
                None,
            )),
            Decl::Once(o) => out.push(symbol(
                doc,
                (o.id.node.clone(), Some(o.label.node.clone())),
                SymbolKind::CONSTANT,
                (*o.span, *o.id.span),
                None,
            )),
            Decl::Rank(r) => out.push(symbol(
                doc,
                (r.id.node.clone(), Some(r.label.node.clone())),
                SymbolKind::CONSTANT,
                (*r.span, *r.id.span),
                None,
            )),
            Decl::Adjustments(a) => out.push(symbol(
                doc,
                (a.id.node.clone(), Some(a.label.node.clone())),
                SymbolKind::MODULE,
                (*a.span, *a.id.span),
                Some(rule_symbols(doc, &a.rules)),
            )),
            Decl::Grades(g) => out.push(grades_symbol(doc, g)),
            Decl::Ledger(l) => out.push(symbol(
                doc,
                (l.id.node.clone(), Some(l.unit.node.clone())),
                SymbolKind::CONSTANT,
                (*l.span, *l.id.span),
                None,
            )),
            Decl::Derive(d) => out.push(symbol(
                doc,
                (d.id.node.clone(), Some(d.label.node.clone())),
                SymbolKind::CONSTANT,
                (*d.span, *d.id.span),
                None,
            )),
            Decl::Policy(_) | Decl::Annual(_) | Decl::Round(_) | Decl::Roster(_) => {}
        }
    }
    out
}

/// One outline entry: its name and detail, its kind, the span it covers and the span of its name,
/// and the entries inside it.
fn symbol(
    doc: &Document,
    (name, detail): (String, Option<String>),
    kind: SymbolKind,
    (span, at): (Span, Span),
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    #[allow(deprecated)]
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: doc.lines.range(span),
        selection_range: doc.lines.range(at),
        children,
    }
}

/// Rules by their clause (or first words), with their form as the detail.
fn rule_symbols(doc: &Document, rules: &[ast::Rule]) -> Vec<DocumentSymbol> {
    rules
        .iter()
        .map(|r| {
            let (name, at) = match &r.citation {
                Some(c) => (format!("[{}]", c.node), c.span),
                None => (first_words(&doc.text, *r.span), r.span),
            };
            let what = match r.body {
                ast::RuleBody::Per { .. } => "per",
                ast::RuleBody::When { .. } => "when",
                ast::RuleBody::Base { .. } => "base",
            };
            symbol(
                doc,
                (name, Some(what.to_string())),
                SymbolKind::EVENT,
                (*r.span, *at),
                None,
            )
        })
        .collect()
}

/// A section with its items, each with its rules.
fn section_symbol(doc: &Document, s: &ast::SectionDecl) -> DocumentSymbol {
    let items = s
        .items
        .iter()
        .map(|i| {
            symbol(
                doc,
                (
                    i.id.node.clone(),
                    Some(format!("{} ({})", i.label.node, i.budget.node)),
                ),
                SymbolKind::METHOD,
                (*i.span, *i.id.span),
                Some(rule_symbols(doc, &i.rules)),
            )
        })
        .collect();
    symbol(
        doc,
        (
            s.id.node.clone(),
            Some(format!("{} ({})", s.label.node, s.budget.node)),
        ),
        SymbolKind::MODULE,
        (*s.span, *s.id.span),
        Some(items),
    )
}

/// The grades with their bands, each with its threshold.
fn grades_symbol(doc: &Document, g: &ast::GradesDecl) -> DocumentSymbol {
    let bands = g
        .bands
        .iter()
        .map(|b| {
            let symbol_text = if b.above { ">" } else { ">=" };
            let detail = b.min.as_ref().map(|m| format!("{symbol_text} {}", m.node));
            symbol(
                doc,
                (b.name.node.clone(), detail),
                SymbolKind::ENUM_MEMBER,
                (*b.span, *b.name.span),
                None,
            )
        })
        .collect();
    symbol(
        doc,
        ("grades".to_string(), None),
        SymbolKind::ENUM,
        (*g.span, *g.span),
        Some(bands),
    )
}

/// A rule without a clause is named by its first words.
fn first_words(text: &str, span: Span) -> String {
    let said = text.get(span.start..span.end).unwrap_or("rule");
    let words: Vec<&str> = said.split_whitespace().take(4).collect();
    words.join(" ")
}
