//! Every name of a policy that stands for something declared: record kinds, fields, roster
//! columns, sections, items, adjustment blocks and grades, where each is declared and where each
//! is used. Read from the syntax tree, so navigation works while the checker still finds errors.

use std::collections::HashMap;

use crate::syntax::ast::{self, Ast, Decl, Expr, ExprKind, Span};

/// What a name stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Symbol {
    Kind(String),
    /// A record kind's field: (kind, field).
    Field(String, String),
    Column(String),
    Section(String),
    Item(String),
    Adjustments(String),
    Grade(String),
    /// A declared cap (`cap donations "…" 40 in year`).
    Cap(String),
    /// A declared group of rules that count once per act (`once incident "…" per case`).
    Once(String),
}

/// One place a name stands.
#[derive(Clone, Debug)]
pub struct Occurrence {
    pub span: Span,
    pub symbol: Symbol,
    /// The declaration itself, not a use.
    pub def: bool,
}

/// The occurrences of a policy, in reading order.
pub struct Index {
    pub occurrences: Vec<Occurrence>,
}

impl Index {
    pub fn new(ast: &Ast) -> Self {
        let mut walker = Walker {
            fields: HashMap::new(),
            columns: Vec::new(),
            out: Vec::new(),
        };
        for decl in &ast.decls {
            match decl {
                Decl::Record(r) => {
                    let names = r.fields.iter().map(|f| f.name.node.clone()).collect();
                    walker.fields.entry(r.id.node.clone()).or_insert(names);
                }
                Decl::Roster(r) => {
                    walker
                        .columns
                        .extend(r.columns.iter().map(|c| c.name.node.clone()));
                }
                _ => {}
            }
        }
        for decl in &ast.decls {
            walker.decl(decl);
        }
        Index {
            occurrences: walker.out,
        }
    }

    /// The occurrence under a byte offset (a cursor just after a name is on it).
    pub fn at(&self, offset: usize) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .find(|o| o.span.start <= offset && offset < o.span.end)
            .or_else(|| {
                self.occurrences
                    .iter()
                    .find(|o| o.span.end == offset && o.span.start < offset)
            })
    }

    /// Where a symbol is declared.
    pub fn definition(&self, symbol: &Symbol) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .find(|o| o.def && &o.symbol == symbol)
    }

    /// Every occurrence of a symbol, its declaration included when asked.
    pub fn references<'a>(
        &'a self,
        symbol: &'a Symbol,
        with_declaration: bool,
    ) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.occurrences
            .iter()
            .filter(move |o| &o.symbol == symbol && (with_declaration || !o.def))
    }
}

struct Walker {
    /// The fields of every declared record kind.
    fields: HashMap<String, Vec<String>>,
    columns: Vec<String>,
    out: Vec<Occurrence>,
}

impl Walker {
    fn push(&mut self, span: Span, symbol: Symbol, def: bool) {
        self.out.push(Occurrence { span, symbol, def });
    }

    fn decl(&mut self, decl: &Decl) {
        match decl {
            Decl::Roster(r) => {
                for c in &r.columns {
                    self.push(*c.name.span, Symbol::Column(c.name.node.clone()), true);
                }
            }
            Decl::Record(r) => {
                self.push(*r.id.span, Symbol::Kind(r.id.node.clone()), true);
                for f in &r.fields {
                    let field = Symbol::Field(r.id.node.clone(), f.name.node.clone());
                    self.push(*f.name.span, field, true);
                }
            }
            Decl::Section(s) => {
                self.push(*s.id.span, Symbol::Section(s.id.node.clone()), true);
                for item in &s.items {
                    self.push(*item.id.span, Symbol::Item(item.id.node.clone()), true);
                    for of in item.scaled.iter().flat_map(|s| &s.of) {
                        if self.columns.contains(&of.node) {
                            self.push(*of.span, Symbol::Column(of.node.clone()), false);
                        }
                    }
                    if let Some(applies) = &item.applies {
                        self.expr(applies, &[]);
                    }
                    for rule in &item.rules {
                        self.rule(rule);
                    }
                }
            }
            Decl::Adjustments(a) => {
                self.push(*a.id.span, Symbol::Adjustments(a.id.node.clone()), true);
                for rule in &a.rules {
                    self.rule(rule);
                }
            }
            Decl::Grades(g) => {
                for band in &g.bands {
                    self.push(*band.name.span, Symbol::Grade(band.name.node.clone()), true);
                }
            }
            Decl::Cap(c) => self.push(*c.id.span, Symbol::Cap(c.id.node.clone()), true),
            Decl::Once(o) => self.push(*o.id.span, Symbol::Once(o.id.node.clone()), true),
            Decl::Rank(r) => {
                for of in r.of.iter().chain(&r.also) {
                    if self.columns.contains(&of.node) {
                        self.push(*of.span, Symbol::Column(of.node.clone()), false);
                    }
                }
                if let Some(by) = &r.by {
                    self.expr(by, &[]);
                }
            }
            Decl::Annual(a) => self.expr(&a.formula, &[]),
            Decl::Derive(d) => self.expr(&d.formula, &[]),
            Decl::Policy(_) | Decl::Round(_) | Decl::Card(_) | Decl::Ledger(_) => {}
        }
    }

    fn rule(&mut self, rule: &ast::Rule) {
        let mut scope: Vec<String> = Vec::new();
        match &rule.body {
            ast::RuleBody::Per {
                events,
                filter,
                effects,
            } => {
                for ev in events {
                    self.push(*ev.kind.span, Symbol::Kind(ev.kind.node.clone()), false);
                    if let Some(f) = &ev.per_field {
                        let field = Symbol::Field(ev.kind.node.clone(), f.node.clone());
                        self.push(*f.span, field, false);
                    }
                    scope.push(ev.kind.node.clone());
                }
                if let Some(filter) = filter {
                    self.expr(filter, &scope);
                }
                self.effects(effects, &scope);
            }
            ast::RuleBody::When { condition, effects } => {
                self.expr(condition, &[]);
                self.effects(effects, &[]);
            }
            ast::RuleBody::Base { value } => self.expr(value, &[]),
        }
        for m in &rule.modifiers {
            match m {
                ast::Modifier::Highest { field, .. } => {
                    if let Some(kind) = self.owner(&scope, &field.node) {
                        self.push(*field.span, Symbol::Field(kind, field.node.clone()), false);
                    }
                }
                ast::Modifier::For(e) | ast::Modifier::Guard(e) => self.expr(e, &[]),
                ast::Modifier::SharedCap(name) => {
                    self.push(*name.span, Symbol::Cap(name.node.clone()), false);
                }
                ast::Modifier::Once(name) => {
                    self.push(*name.span, Symbol::Once(name.node.clone()), false);
                }
                ast::Modifier::Cap(..) | ast::Modifier::Repeat(_) => {}
                ast::Modifier::Valid(v) => {
                    let keyed = match &v.durations {
                        ast::Durations::Table { field, .. } => field.as_ref(),
                        ast::Durations::Fixed(_) | ast::Durations::Unwritten => None,
                    };
                    for field in keyed
                        .into_iter()
                        .chain(&v.from)
                        .chain(&v.since)
                        .chain(&v.until)
                    {
                        if let Some(kind) = self.owner(&scope, &field.node) {
                            self.push(*field.span, Symbol::Field(kind, field.node.clone()), false);
                        }
                    }
                }
            }
        }
    }

    fn effects(&mut self, effects: &[ast::Effect], scope: &[String]) {
        for effect in effects {
            match effect {
                ast::Effect::GradeCap { grade, .. }
                | ast::Effect::SetGrade { grade, .. }
                | ast::Effect::Demote { grade, .. } => {
                    self.push(*grade.span, Symbol::Grade(grade.node.clone()), false);
                }
                ast::Effect::Amount(a) => {
                    self.expr(&a.value, scope);
                    self.target(a, scope);
                }
                ast::Effect::Zero(_)
                | ast::Effect::Freeze { .. }
                | ast::Effect::Flag(_)
                | ast::Effect::Exclude(_)
                | ast::Effect::SetScore(_) => {}
            }
        }
    }

    /// `to beneficiary` (a field), `to secretary` (a role: a roster column), `of household` (a
    /// group column); the built-in targets are no symbol.
    fn target(&mut self, a: &ast::Amount, scope: &[String]) {
        if let Some(t) = &a.target {
            if let Some(kind) = self.owner(scope, &t.node) {
                self.push(*t.span, Symbol::Field(kind, t.node.clone()), false);
            } else if self.columns.contains(&t.node) {
                self.push(*t.span, Symbol::Column(t.node.clone()), false);
            }
        }
        if let Some(g) = a.target_group.as_deref() {
            if self.columns.contains(&g.node) {
                self.push(*g.span, Symbol::Column(g.node.clone()), false);
            }
        }
    }

    /// The first kind in scope that has the field.
    fn owner(&self, scope: &[String], field: &str) -> Option<String> {
        scope
            .iter()
            .find(|k| {
                self.fields
                    .get(*k)
                    .is_some_and(|fs| fs.iter().any(|f| f == field))
            })
            .cloned()
    }

    fn expr(&mut self, e: &Expr, scope: &[String]) {
        match &e.kind {
            ExprKind::Path(first, None) => {
                if let Some(kind) = self.owner(scope, &first.node) {
                    self.push(*first.span, Symbol::Field(kind, first.node.clone()), false);
                } else if self.columns.contains(&first.node) {
                    self.push(*first.span, Symbol::Column(first.node.clone()), false);
                } else if self.fields.contains_key(&first.node) {
                    self.push(*first.span, Symbol::Kind(first.node.clone()), false);
                }
            }
            ExprKind::Path(first, Some(second)) => {
                if self.fields.contains_key(&first.node) {
                    self.push(*first.span, Symbol::Kind(first.node.clone()), false);
                    let field = Symbol::Field(first.node.clone(), second.node.clone());
                    self.push(*second.span, field, false);
                }
            }
            ExprKind::Aggregate {
                of, field, filter, ..
            } => {
                self.push(*of.span, Symbol::Kind(of.node.clone()), false);
                if let Some(f) = field {
                    self.push(
                        *f.span,
                        Symbol::Field(of.node.clone(), f.node.clone()),
                        false,
                    );
                }
                if let Some(filter) = filter {
                    self.expr(filter, std::slice::from_ref(&of.node));
                }
            }
            ExprKind::Windowed(inner, _)
            | ExprKind::Member(inner, _)
            | ExprKind::Not(inner)
            | ExprKind::Neg(inner)
            | ExprKind::Paren(inner)
            | ExprKind::Convert(_, inner) => self.expr(inner, scope),
            ExprKind::Table(key, entries) => {
                self.expr(key, scope);
                for entry in entries {
                    self.expr(&entry.value, scope);
                }
            }
            ExprKind::Binary(_, a, b) => {
                self.expr(a, scope);
                self.expr(b, scope);
            }
            ExprKind::Call(_, args) => {
                for a in args {
                    self.expr(a, scope);
                }
            }
            ExprKind::Number(_) | ExprKind::Clock(_) | ExprKind::Text(_) | ExprKind::Error => {}
        }
    }
}
