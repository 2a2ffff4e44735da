//! The walk from pest pairs to the syntax tree.

use std::cell::RefCell;
use std::str::FromStr;
use std::sync::LazyLock;

use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use rust_decimal::Decimal;

use super::Rule;
use super::ast::*;
use crate::diag::{Code, Diag};

/// How deep an expression tree may grow (operators chained or nested); real rules stay under ten.
const MAX_EXPR_DEPTH: usize = 64;

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::or, Assoc::Left))
        .op(Op::infix(Rule::and, Assoc::Left))
        .op(Op::prefix(Rule::not))
        .op(Op::infix(Rule::eq, Assoc::Left)
            | Op::infix(Rule::ne, Assoc::Left)
            | Op::infix(Rule::lt, Assoc::Left)
            | Op::infix(Rule::le, Assoc::Left)
            | Op::infix(Rule::gt, Assoc::Left)
            | Op::infix(Rule::ge, Assoc::Left))
        .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
        .op(Op::infix(Rule::mul, Assoc::Left) | Op::infix(Rule::div, Assoc::Left))
        .op(Op::prefix(Rule::neg))
        .op(Op::postfix(Rule::window) | Op::postfix(Rule::member) | Op::postfix(Rule::table))
});

#[derive(Default)]
pub struct Builder {
    pub errors: Vec<Diag>,
    expr_errors: RefCell<Vec<Diag>>,
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.start() + significant_len(s.as_str()))
}

fn name(pair: Pair<'_, Rule>) -> Name {
    Spanned::new(pair.as_str().to_string(), span_of(&pair))
}

/// The text of a quoted string, with `\"` and `\\` (and any other escaped character) unescaped.
fn unquote(pair: Pair<'_, Rule>) -> Spanned<String> {
    let span = span_of(&pair);
    let raw = pair.into_inner().next().map_or("", |p| p.as_str());
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    Spanned::new(out, span)
}

impl Builder {
    fn number(&mut self, pair: Pair<'_, Rule>) -> Spanned<Decimal> {
        let span = span_of(&pair);
        let value = self.decimal(pair.as_str(), span);
        Spanned::new(value, span)
    }

    fn decimal(&mut self, text: &str, span: Span) -> Decimal {
        parse_decimal(text, span, &mut self.errors)
    }

    fn integer(&mut self, pair: Pair<'_, Rule>) -> Spanned<u32> {
        let span = span_of(&pair);
        let value = pair.as_str().parse::<u32>().unwrap_or_else(|_| {
            self.errors.push(
                Diag::error(Code::BadNumber, span, "this number is too large")
                    .label("too large")
                    .help("write a whole number below 4294967296"),
            );
            0
        });
        Spanned::new(value, span)
    }

    pub fn file(&mut self, file: Pair<'_, Rule>) -> Vec<Decl> {
        let mut decls = Vec::new();
        for pair in file.into_inner() {
            let decl = match pair.as_rule() {
                Rule::policy_decl => Decl::Policy(self.policy(pair)),
                Rule::annual_decl => {
                    let span = span_of(&pair);
                    let formula = pair.into_inner().nth(1).map(|e| self.expr(e));
                    match formula {
                        Some(formula) => Decl::Annual(AnnualDecl { formula, span }),
                        None => continue,
                    }
                }
                Rule::round_decl => Decl::Round(self.round(pair)),
                Rule::roster_decl => {
                    let span = span_of(&pair);
                    let columns = self.fields(pair.into_inner());
                    Decl::Roster(RosterDecl { columns, span })
                }
                Rule::record_decl => Decl::Record(self.record(pair)),
                Rule::section_decl => Decl::Section(self.section(pair)),
                Rule::adjustments_decl => Decl::Adjustments(self.adjustments(pair)),
                Rule::grades_decl => Decl::Grades(self.grades(pair)),
                _ => continue,
            };
            decls.push(decl);
        }
        self.errors.append(&mut self.expr_errors.borrow_mut());
        decls
    }

    fn policy(&mut self, pair: Pair<'_, Rule>) -> PolicyDecl {
        let span = span_of(&pair);
        let mut title = Spanned::new(String::new(), span);
        let mut year = Spanned::new(0, span);
        let mut total = Spanned::new(Decimal::ZERO, span);
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string => title = unquote(p),
                Rule::integer => year = self.integer(p),
                Rule::number => total = self.number(p),
                _ => {}
            }
        }
        PolicyDecl {
            title,
            year,
            total,
            span,
        }
    }

    fn round(&mut self, pair: Pair<'_, Rule>) -> RoundDecl {
        let span = span_of(&pair);
        let mut places = Spanned::new(2, span);
        let mut mode = Spanned::new(Rounding::HalfUp, span);
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::integer => places = self.integer(p),
                Rule::rounding => {
                    let m = match p.as_str() {
                        "half-even" => Rounding::HalfEven,
                        "down" => Rounding::Down,
                        "up" => Rounding::Up,
                        _ => Rounding::HalfUp,
                    };
                    mode = Spanned::new(m, span_of(&p));
                }
                _ => {}
            }
        }
        RoundDecl { places, mode, span }
    }

    fn fields(&mut self, pairs: Pairs<'_, Rule>) -> Vec<FieldDecl> {
        pairs
            .filter(|p| p.as_rule() == Rule::field)
            .map(|p| self.field(p))
            .collect()
    }

    fn field(&mut self, pair: Pair<'_, Rule>) -> FieldDecl {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let field_name = inner.next().map(name).unwrap_or_default_name(span);
        let mut ty = FieldType::Scalar {
            whole: false,
            unit: Spanned::new(String::new(), span),
            range: None,
        };
        let mut optional = false;
        for p in inner {
            match p.as_rule() {
                Rule::field_type => {
                    if let Some(t) = p.into_inner().next() {
                        ty = self.field_type(t);
                    }
                }
                Rule::optional => optional = true,
                _ => {}
            }
        }
        FieldDecl {
            name: field_name,
            ty,
            optional,
            span,
        }
    }

    fn field_type(&mut self, pair: Pair<'_, Rule>) -> FieldType {
        let span = span_of(&pair);
        if pair.as_rule() == Rule::enum_type {
            return FieldType::Enum(pair.into_inner().map(name).collect());
        }
        let mut whole = false;
        let mut unit = Spanned::new(String::new(), span);
        let mut range = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::whole => whole = true,
                Rule::ident => unit = name(p),
                Rule::range => range = Some(self.range(p)),
                _ => {}
            }
        }
        FieldType::Scalar { whole, unit, range }
    }

    fn range(&mut self, pair: Pair<'_, Rule>) -> Spanned<RangeDecl> {
        let span = span_of(&pair);
        let mut bound = None;
        let mut numbers = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::at_least => bound = Some(true),
                Rule::at_most => bound = Some(false),
                Rule::signed => {
                    let s = span_of(&p);
                    numbers.push(self.decimal(p.as_str(), s));
                }
                _ => {}
            }
        }
        let range = match (bound, numbers.as_slice()) {
            (Some(true), [n]) => RangeDecl {
                min: Some(*n),
                max: None,
            },
            (Some(false), [n]) => RangeDecl {
                min: None,
                max: Some(*n),
            },
            (_, [a, b]) => RangeDecl {
                min: Some(*a),
                max: Some(*b),
            },
            _ => RangeDecl {
                min: None,
                max: None,
            },
        };
        Spanned::new(range, span)
    }

    fn record(&mut self, pair: Pair<'_, Rule>) -> RecordDecl {
        let span = span_of(&pair);
        let mut id = Spanned::new(String::new(), span);
        let mut label = Spanned::new(String::new(), span);
        let mut subjects = Vec::new();
        let mut fields = Vec::new();
        let mut not_scored = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::not_scored => not_scored = true,
                Rule::ident => id = name(p),
                Rule::string => label = unquote(p),
                Rule::subjects => {
                    subjects = p
                        .into_inner()
                        .filter_map(|s| s.into_inner().next())
                        .map(name)
                        .collect();
                }
                Rule::record_body => fields = self.fields(p.into_inner()),
                _ => {}
            }
        }
        RecordDecl {
            id,
            label,
            subjects,
            fields,
            not_scored,
            span,
        }
    }

    fn section(&mut self, pair: Pair<'_, Rule>) -> SectionDecl {
        let span = span_of(&pair);
        let mut id = Spanned::new(String::new(), span);
        let mut label = Spanned::new(String::new(), span);
        let mut budget = Spanned::new(Decimal::ZERO, span);
        let mut items = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => id = name(p),
                Rule::string => label = unquote(p),
                Rule::number => budget = self.number(p),
                Rule::item_decl => items.push(self.item(p)),
                _ => {}
            }
        }
        SectionDecl {
            id,
            label,
            budget,
            items,
            span,
        }
    }

    fn item(&mut self, pair: Pair<'_, Rule>) -> ItemDecl {
        let span = span_of(&pair);
        let mut id = Spanned::new(String::new(), span);
        let mut label = Spanned::new(String::new(), span);
        let mut budget = Spanned::new(Decimal::ZERO, span);
        let mut applies = None;
        let mut rules = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => id = name(p),
                Rule::string => label = unquote(p),
                Rule::number => budget = self.number(p),
                Rule::applies => applies = p.into_inner().nth(1).map(|e| self.expr(e)),
                Rule::rule => rules.push(self.rule(p)),
                _ => {}
            }
        }
        ItemDecl {
            id,
            label,
            budget,
            applies,
            rules,
            span,
        }
    }

    fn adjustments(&mut self, pair: Pair<'_, Rule>) -> AdjustmentsDecl {
        let span = span_of(&pair);
        let mut id = Spanned::new(String::new(), span);
        let mut label = Spanned::new(String::new(), span);
        let mut rules = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => id = name(p),
                Rule::string => label = unquote(p),
                Rule::rule => rules.push(self.rule(p)),
                _ => {}
            }
        }
        AdjustmentsDecl {
            id,
            label,
            rules,
            span,
        }
    }

    fn grades(&mut self, pair: Pair<'_, Rule>) -> GradesDecl {
        let span = span_of(&pair);
        let mut bands = Vec::new();
        for band in pair.into_inner().filter(|p| p.as_rule() == Rule::band) {
            let band_span = span_of(&band);
            let mut band_name = Spanned::new(String::new(), band_span);
            let mut min = None;
            let mut text = None;
            for p in band.into_inner() {
                match p.as_rule() {
                    Rule::ident => band_name = name(p),
                    Rule::number => min = Some(self.number(p)),
                    Rule::string => text = Some(unquote(p)),
                    _ => {}
                }
            }
            bands.push(Band {
                name: band_name,
                min,
                text,
                span: band_span,
            });
        }
        GradesDecl { bands, span }
    }

    fn rule(&mut self, pair: Pair<'_, Rule>) -> Rule_ {
        let span = span_of(&pair);
        let mut citation = None;
        let mut body = RuleBody::Base {
            value: Expr {
                kind: ExprKind::Error,
                span,
            },
        };
        let mut modifiers = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::citation => {
                    citation = p
                        .into_inner()
                        .next()
                        .map(|c| Spanned::new(c.as_str().to_string(), span_of(&c)));
                }
                Rule::per_rule | Rule::when_rule | Rule::base_rule => {
                    let kind = p.as_rule();
                    let mut events = Vec::new();
                    let mut filter = None;
                    let mut condition = None;
                    let mut effects = Vec::new();
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::events => {
                                events = q.into_inner().map(event).collect();
                            }
                            Rule::filter => filter = q.into_inner().nth(1).map(|e| self.expr(e)),
                            Rule::expr => condition = Some(self.expr(q)),
                            Rule::effects => {
                                effects = q.into_inner().map(|e| self.effect(e)).collect();
                            }
                            Rule::cap => {
                                if let Some(n) = q.into_inner().nth(1) {
                                    modifiers.push(Modifier::Cap(self.number(n)));
                                }
                            }
                            Rule::highest => {
                                let s = span_of(&q);
                                if let Some(f) = q.into_inner().nth(2) {
                                    modifiers.push(Modifier::Highest {
                                        field: name(f),
                                        span: s,
                                    });
                                }
                            }
                            Rule::applies => {
                                if let Some(e) = q.into_inner().nth(1) {
                                    modifiers.push(Modifier::For(self.expr(e)));
                                }
                            }
                            _ => {}
                        }
                    }
                    let error = || Expr {
                        kind: ExprKind::Error,
                        span,
                    };
                    body = match kind {
                        Rule::per_rule => RuleBody::Per {
                            events,
                            filter,
                            effects,
                        },
                        Rule::when_rule => RuleBody::When {
                            condition: condition.unwrap_or_else(error),
                            effects,
                        },
                        _ => RuleBody::Base {
                            value: condition.unwrap_or_else(error),
                        },
                    };
                }
                _ => {}
            }
        }
        Rule_ {
            citation,
            body,
            modifiers,
            span,
        }
    }

    fn effect(&mut self, pair: Pair<'_, Rule>) -> Effect {
        let span = span_of(&pair);
        match pair.as_rule() {
            Rule::zero => Effect::Zero(span),
            Rule::flag => {
                let text = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::string)
                    .map(unquote)
                    .unwrap_or_else(|| Spanned::new(String::new(), span));
                Effect::Flag(text)
            }
            Rule::grade_cap => {
                let grade = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::ident)
                    .map(name)
                    .unwrap_or_default_name(span);
                Effect::GradeCap { grade, span }
            }
            _ => {
                let mut sign = Sign::Minus;
                let mut value = Expr {
                    kind: ExprKind::Error,
                    span,
                };
                let mut target = None;
                let mut within = None;
                let mut from_total = false;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::sign => {
                            sign = if p.as_str() == "+" {
                                Sign::Plus
                            } else {
                                Sign::Minus
                            }
                        }
                        Rule::expr => value = self.expr(p),
                        Rule::target => target = p.into_inner().nth(1).map(name),
                        Rule::within => within = Some(self.range(p)),
                        Rule::from_total => from_total = true,
                        _ => {}
                    }
                }
                Effect::Amount(Amount {
                    sign,
                    value,
                    within,
                    target,
                    from_total,
                    span,
                })
            }
        }
    }

    fn expr(&self, pair: Pair<'_, Rule>) -> Expr {
        build_expr(pair, &self.expr_errors).0
    }
}

type Rule_ = super::ast::Rule;

trait DefaultName {
    fn unwrap_or_default_name(self, span: Span) -> Name;
}

impl DefaultName for Option<Name> {
    fn unwrap_or_default_name(self, span: Span) -> Name {
        self.unwrap_or_else(|| Spanned::new(String::new(), span))
    }
}

fn event(pair: Pair<'_, Rule>) -> Event {
    let span = span_of(&pair);
    let mut parts = pair.into_inner().map(name);
    let kind = parts.next().unwrap_or_default_name(span);
    Event {
        kind,
        per_field: parts.next(),
        span,
    }
}

fn parse_decimal(text: &str, span: Span, errors: &mut Vec<Diag>) -> Decimal {
    Decimal::from_str(text).unwrap_or_else(|_| {
        errors.push(
            Diag::error(
                Code::BadNumber,
                span,
                format!("`{text}` is not a number tally can hold"),
            )
            .label("too many digits")
            .help("numbers have at most 28 significant digits"),
        );
        Decimal::ZERO
    })
}

/// Builds an expression and returns it with its depth.
fn build_expr(pair: Pair<'_, Rule>, errors: &RefCell<Vec<Diag>>) -> (Expr, usize) {
    let flat = pair.into_inner().flat_map(|p| {
        if p.as_rule() == Rule::term {
            p.into_inner().collect::<Vec<_>>()
        } else {
            vec![p]
        }
    });
    let too_deep = |span: Span| {
        let mut errors = errors.borrow_mut();
        // A long chain goes over the limit at every further operator: say it once.
        let reported = errors.iter().any(|d| {
            d.code == Code::TooDeep
                && d.primary.span.start >= span.start
                && d.primary.span.end <= span.end
        });
        if !reported {
            errors.push(
                Diag::error(Code::TooDeep, span, "this expression is too long")
                    .label(format!("more than {MAX_EXPR_DEPTH} operators deep"))
                    .help("split it into several rules"),
            );
        }
        (
            Expr {
                kind: ExprKind::Error,
                span,
            },
            MAX_EXPR_DEPTH,
        )
    };
    PRATT
        .map_primary(|p| primary(p, errors))
        .map_prefix(|op, (rhs, depth)| {
            let span = span_of(&op).to(rhs.span);
            if depth >= MAX_EXPR_DEPTH {
                return too_deep(span);
            }
            let kind = if op.as_rule() == Rule::not {
                ExprKind::Not(Box::new(rhs))
            } else {
                ExprKind::Neg(Box::new(rhs))
            };
            (Expr { kind, span }, depth + 1)
        })
        .map_postfix(|(lhs, depth), op| {
            let span = lhs.span.to(span_of(&op));
            if depth >= MAX_EXPR_DEPTH {
                return too_deep(span);
            }
            let kind = match op.as_rule() {
                Rule::window => {
                    let w = op.into_inner().nth(1);
                    let window = match w.as_ref().map(|w| w.as_rule()) {
                        Some(Rule::kw_year) => Window::Year,
                        _ => Window::Month,
                    };
                    let wspan = w.as_ref().map_or(span, span_of);
                    ExprKind::Windowed(Box::new(lhs), Spanned::new(window, wspan))
                }
                Rule::member => {
                    let names = op
                        .into_inner()
                        .filter(|p| p.as_rule() == Rule::ident)
                        .map(name)
                        .collect();
                    ExprKind::Member(Box::new(lhs), names)
                }
                _ => {
                    let mut entries = Vec::new();
                    let mut inner_depth = 0;
                    for entry in op.into_inner() {
                        let mut parts = entry.into_inner();
                        let (Some(key), Some(value)) = (parts.next(), parts.next()) else {
                            continue;
                        };
                        let kspan = span_of(&key);
                        let key = match key.as_rule() {
                            Rule::kw_else => TableKey::Else,
                            Rule::number => TableKey::Number(parse_decimal(
                                key.as_str(),
                                kspan,
                                &mut errors.borrow_mut(),
                            )),
                            _ => TableKey::Name(key.as_str().to_string()),
                        };
                        let (value, d) = build_expr(value, errors);
                        inner_depth = inner_depth.max(d);
                        entries.push(TableEntry {
                            key: Spanned::new(key, kspan),
                            value,
                        });
                    }
                    if inner_depth + depth >= MAX_EXPR_DEPTH {
                        return too_deep(span);
                    }
                    ExprKind::Table(Box::new(lhs), entries)
                }
            };
            (Expr { kind, span }, depth + 1)
        })
        .map_infix(|(lhs, ld), op, (rhs, rd)| {
            let span = lhs.span.to(rhs.span);
            let depth = ld.max(rd) + 1;
            if depth > MAX_EXPR_DEPTH {
                return too_deep(span);
            }
            let op = match op.as_rule() {
                Rule::or => BinOp::Or,
                Rule::and => BinOp::And,
                Rule::eq => BinOp::Eq,
                Rule::ne => BinOp::Ne,
                Rule::lt => BinOp::Lt,
                Rule::le => BinOp::Le,
                Rule::gt => BinOp::Gt,
                Rule::ge => BinOp::Ge,
                Rule::add => BinOp::Add,
                Rule::sub => BinOp::Sub,
                Rule::mul => BinOp::Mul,
                _ => BinOp::Div,
            };
            (
                Expr {
                    kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                    span,
                },
                depth,
            )
        })
        .parse(flat)
}

fn primary(pair: Pair<'_, Rule>, errors: &RefCell<Vec<Diag>>) -> (Expr, usize) {
    let span = span_of(&pair);
    let (kind, depth) = match pair.as_rule() {
        Rule::number => (
            ExprKind::Number(parse_decimal(pair.as_str(), span, &mut errors.borrow_mut())),
            1,
        ),
        Rule::string => (ExprKind::Text(unquote(pair).node), 1),
        Rule::path => {
            let mut parts = pair.into_inner().map(name);
            let first = parts.next().unwrap_or_default_name(span);
            (ExprKind::Path(first, parts.next()), 1)
        }
        Rule::paren => match pair.into_inner().next() {
            Some(inner) => {
                let (e, d) = build_expr(inner, errors);
                (ExprKind::Paren(Box::new(e)), d + 1)
            }
            None => (ExprKind::Error, 1),
        },
        Rule::aggregate => {
            let mut func = AggFn::Count;
            let mut of = Spanned::new(String::new(), span);
            let mut field = None;
            let mut filter = None;
            let mut depth = 1;
            for p in pair.into_inner() {
                match p.as_rule() {
                    Rule::agg_fn => {
                        func = match p.as_str() {
                            "sum" => AggFn::Sum,
                            "mean" => AggFn::Mean,
                            "min" => AggFn::Min,
                            "max" => AggFn::Max,
                            _ => AggFn::Count,
                        }
                    }
                    Rule::path => {
                        let mut parts = p.into_inner().map(name);
                        of = parts.next().unwrap_or_default_name(span);
                        field = parts.next();
                    }
                    Rule::expr => {
                        let (e, d) = build_expr(p, errors);
                        depth = d + 1;
                        filter = Some(Box::new(e));
                    }
                    _ => {}
                }
            }
            (
                ExprKind::Aggregate {
                    func,
                    of,
                    field,
                    filter,
                },
                depth,
            )
        }
        _ => (ExprKind::Error, 1),
    };
    (Expr { kind, span }, depth)
}

/// The length of `text` without the whitespace and comments that trail it. A pair that ends in an
/// optional part (`modifier*`) takes the blanks and comments after it into its span; a label or a
/// rule's text must stop at its last token.
fn significant_len(text: &str) -> usize {
    let mut end = 0;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if escaped {
            escaped = false;
            end = i + c.len_utf8();
            continue;
        }
        match c {
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => {
                in_comment = true;
                continue;
            }
            // White space as the grammar has it: a byte-order mark counts too.
            c if (c.is_whitespace() || c == '\u{FEFF}') && !in_string => continue,
            _ => {}
        }
        end = i + c.len_utf8();
    }
    end
}
