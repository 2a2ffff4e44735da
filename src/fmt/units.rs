//! The tree as a list of units, one per output line (or per broken rule): a declaration, a block's
//! opening line, a field, a rule, a band, a closing `}`. Each unit keeps the source range it was
//! written from, so that comments can be placed among the units by their offsets.

use super::doc::{Doc, WIDTH};
use super::print;
use crate::syntax::ast::*;
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A line that ends with `{`.
    Open,
    /// A line that starts with `}`.
    Close,
    Plain,
}

#[derive(Clone, Debug)]
pub struct Unit {
    /// Block level: the unit is indented `2 * depth` columns.
    pub depth: usize,
    /// The unit's lines, indentation included (more than one only for a broken rule).
    pub lines: Vec<String>,
    /// The source range from its first token to the end of its last one.
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Opens or closes `roster`, `section`, `adjustments` or `grades`: set off by blank lines.
    pub block: bool,
    /// The comments (by offset) written inside the unit's lines, each after its own token.
    pub taken: Vec<usize>,
}

/// Every unit of the tree, in source order.
pub fn units(decls: &[Decl], text: &str, comments: &[Comment]) -> Vec<Unit> {
    let mut b = Builder {
        text,
        comments,
        out: Vec::new(),
    };
    for d in decls {
        b.decl(d);
    }
    b.out
}

struct Builder<'a> {
    text: &'a str,
    comments: &'a [Comment],
    out: Vec<Unit>,
}

impl Builder<'_> {
    fn push(&mut self, depth: usize, line: String, start: usize, end: usize, kind: Kind) {
        self.out.push(Unit {
            depth,
            lines: vec![format!("{}{line}", indent(depth))],
            start,
            end,
            kind,
            block: false,
            taken: Vec::new(),
        });
    }

    /// A unit laid out by a [`Doc`], with the comments inside `span` placed in it.
    fn push_doc(&mut self, depth: usize, mut doc: Doc, span: Span, kind: Kind) {
        let inside: Vec<(usize, String)> = self
            .comments
            .iter()
            .filter(|c| span.start < c.span.start && c.span.start < span.end)
            .map(|c| (c.span.start, c.text.trim_end().to_string()))
            .collect();
        let taken = doc.attach(&inside);
        self.out.push(Unit {
            depth,
            lines: doc.lines(2 * depth),
            start: span.start,
            end: span.end,
            kind,
            block: false,
            taken,
        });
    }

    /// `header {` at `depth`; `last` is where the header's last token ends.
    fn open(&mut self, depth: usize, header: String, start: usize, last: usize, block: bool) {
        let end = find(self.text, last, '{').map_or(last, |at| at + 1);
        self.push(depth, format!("{header} {{"), start, end, Kind::Open);
        if let Some(u) = self.out.last_mut() {
            u.block = block;
        }
    }

    /// `}` (and what follows it on the line) at `depth`; `from` is where the last inner unit ends.
    fn close(&mut self, depth: usize, line: &str, from: usize, end: usize, block: bool) {
        let start = find(self.text, from, '}').unwrap_or(end.saturating_sub(1));
        self.push(depth, line.to_string(), start, end, Kind::Close);
        if let Some(u) = self.out.last_mut() {
            u.block = block;
        }
    }

    fn decl(&mut self, d: &Decl) {
        match d {
            Decl::Policy(p) => self.push(
                0,
                format!(
                    "policy {} year {} total {}",
                    print::quote(&p.title.node),
                    p.year.node,
                    p.total.node
                ),
                p.span.start,
                p.span.end,
                Kind::Plain,
            ),
            Decl::Annual(a) => self.push_doc(0, print::annual(&a.formula), *a.span, Kind::Plain),
            Decl::Round(r) => self.push(
                0,
                format!("round {} {}", r.places.node, r.mode.node.keyword()),
                r.span.start,
                r.span.end,
                Kind::Plain,
            ),
            Decl::Roster(r) => {
                let header_end = r.span.start + "roster".len();
                self.open(0, "roster".into(), r.span.start, header_end, true);
                self.fields(1, &r.columns);
                let from = r.columns.last().map_or(header_end, |f| f.span.end);
                self.close(0, "}", from, r.span.end, true);
            }
            Decl::Record(r) => self.record(r),
            Decl::Card(c) => self.push(
                0,
                if c.balance {
                    "card balance".to_string()
                } else {
                    format!("card {}", c.period.node.keyword())
                },
                c.span.start,
                c.span.end,
                Kind::Plain,
            ),
            Decl::Cap(c) => self.push(0, print::cap_decl(c), c.span.start, c.span.end, Kind::Plain),
            Decl::Once(o) => self.push(
                0,
                print::once_decl(o),
                o.span.start,
                o.span.end,
                Kind::Plain,
            ),
            Decl::Rank(r) => self.push(
                0,
                print::rank_decl(r),
                r.span.start,
                r.span.end,
                Kind::Plain,
            ),
            Decl::Section(s) => self.section(s),
            Decl::Adjustments(a) => {
                let header = format!("adjustments {} {}", a.id.node, print::quote(&a.label.node));
                self.open(0, header, a.span.start, a.label.span.end, true);
                let last = self.rules(1, &a.rules).unwrap_or(a.label.span.end);
                self.close(0, "}", last, a.span.end, true);
            }
            Decl::Grades(g) => self.grades(g),
            Decl::Ledger(l) => self.push(
                0,
                format!("ledger {} {}", l.id.node, print::quote(&l.unit.node)),
                l.span.start,
                l.span.end,
                Kind::Plain,
            ),
            Decl::Derive(d) => self.push_doc(0, print::derive(d), *d.span, Kind::Plain),
        }
    }

    /// `section ID "label" BUDGET { … }` with its items.
    fn section(&mut self, s: &SectionDecl) {
        let mut header = format!(
            "section {} {} {}",
            s.id.node,
            print::quote(&s.label.node),
            s.budget.node
        );
        // `in money`: booked in a ledger (§30).
        let mut head_end = s.budget.span.end;
        if let Some(l) = &s.ledger {
            header.push_str(&format!(" in {}", l.node));
            head_end = l.span.end;
        }
        self.open(0, header, s.span.start, head_end, true);
        let mut last = head_end;
        for item in &s.items {
            self.item(item);
            last = item.span.end;
        }
        self.close(0, "}", last, s.span.end, true);
    }

    /// `grades { … }`, one band a line.
    fn grades(&mut self, g: &GradesDecl) {
        let header_end = g.span.start + "grades".len();
        self.open(0, "grades".into(), g.span.start, header_end, true);
        let mut last = header_end;
        for band in &g.bands {
            self.push(
                1,
                print::band(band),
                band.span.start,
                band.span.end,
                Kind::Plain,
            );
            last = band.span.end;
        }
        self.close(0, "}", last, g.span.end, true);
    }

    fn fields(&mut self, depth: usize, fields: &[FieldDecl]) {
        for (i, f) in fields.iter().enumerate() {
            let mut text = print::field(f);
            // Fields on their own lines need no comma, except before a field named `optional`,
            // which would otherwise read as this field's `optional`.
            if fields
                .get(i + 1)
                .is_some_and(|next| next.name.node == "optional")
            {
                text.push(',');
            }
            self.push(depth, text, f.span.start, f.span.end, Kind::Plain);
        }
    }

    /// The rules of a block, one unit each; returns where the last one ends.
    fn rules(&mut self, depth: usize, rules: &[Rule]) -> Option<usize> {
        for r in rules {
            self.push_doc(depth, print::rule(r), *r.span, Kind::Plain);
        }
        rules.last().map(|r| r.span.end)
    }

    fn item(&mut self, item: &ItemDecl) {
        let header_end = item
            .applies
            .as_ref()
            .map_or(item.budget.span.end, |a| a.span.end);
        let end = find(self.text, header_end, '{').map_or(header_end, |at| at + 1);
        self.push_doc(
            1,
            print::item_header(item),
            Span::new(item.span.start, end),
            Kind::Open,
        );
        let last = self.rules(2, &item.rules).unwrap_or(header_end);
        self.close(1, "}", last, item.span.end, false);
    }

    fn record(&mut self, r: &RecordDecl) {
        let subjects: Vec<&str> = r.subjects.iter().map(|s| s.node.as_str()).collect();
        let header = format!(
            "record {} {} by {}",
            r.id.node,
            print::quote(&r.label.node),
            subjects.join(" | ")
        );
        let tail = if r.not_scored { " not scored" } else { "" };
        if r.fields.is_empty() {
            self.push(
                0,
                format!("{header}{tail}"),
                r.span.start,
                r.span.end,
                Kind::Plain,
            );
            return;
        }
        let fields: Vec<String> = r.fields.iter().map(print::field).collect();
        let inline = format!("{header} {{ {} }}{tail}", fields.join(", "));
        let header_end = r.subjects.last().map_or(r.label.span.end, |s| s.span.end);
        let last_field = r.fields.last().map_or(header_end, |f| f.span.end);
        let body_start = find(self.text, header_end, '{').unwrap_or(header_end);
        let body_end = find(self.text, last_field, '}').unwrap_or(last_field);
        let one_line = self
            .text
            .get(body_start..body_end)
            .is_some_and(|body| !body.contains('\n'));
        if one_line && inline.width() <= WIDTH {
            self.push(0, inline, r.span.start, r.span.end, Kind::Plain);
            return;
        }
        self.open(0, header, r.span.start, header_end, false);
        self.fields(1, &r.fields);
        self.close(0, &format!("}}{tail}"), last_field, r.span.end, false);
    }
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

/// The offset of `want` after `from`, skipping white space, commas and comments; `None` when
/// something else comes first.
pub fn find(text: &str, from: usize, want: char) -> Option<usize> {
    let mut chars = text.get(from..)?.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == want {
            return Some(from + i);
        }
        if c == '#' {
            for (_, c) in chars.by_ref() {
                if c == '\n' {
                    break;
                }
            }
        } else if !(c.is_whitespace() || c == ',' || c == '\u{FEFF}') {
            return None;
        }
    }
    None
}
