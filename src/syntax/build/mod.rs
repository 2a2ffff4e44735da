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

mod expr;
mod rules;

use expr::*;
use rules::*;

#[derive(Default)]
pub struct Builder {
    pub errors: Vec<Diag>,
    expr_errors: RefCell<Vec<Diag>>,
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.start() + significant_len(s.as_str()))
}

/// `in year`, `in quarter`, `in month`.
pub(super) fn period_of(pair: Pair<'_, Rule>) -> Spanned<Period> {
    let span = span_of(&pair);
    let period = match pair.into_inner().nth(1).map(|p| p.as_rule()) {
        Some(Rule::kw_year) => Period::Year,
        Some(Rule::kw_quarter) => Period::Quarter,
        _ => Period::Month,
    };
    Spanned::new(period, span)
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
                Diag::error(
                    Code::BadNumber,
                    span,
                    crate::tr!("this number is too large", "这个数太大"),
                )
                .label(crate::tr!("too large", "太大"))
                .help(crate::tr!(
                    "write a whole number below 4294967296",
                    "写一个小于 4294967296 的整数"
                )),
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
                        Some(formula) => Decl::Annual(AnnualDecl {
                            formula,
                            span: span.into(),
                        }),
                        None => continue,
                    }
                }
                Rule::round_decl => Decl::Round(self.round(pair)),
                Rule::roster_decl => {
                    let span = span_of(&pair);
                    let columns = self.fields(pair.into_inner());
                    Decl::Roster(RosterDecl {
                        columns,
                        span: span.into(),
                    })
                }
                Rule::record_decl => Decl::Record(self.record(pair)),
                Rule::section_decl => Decl::Section(self.section(pair)),
                Rule::adjustments_decl => Decl::Adjustments(self.adjustments(pair)),
                Rule::cap_decl => Decl::Cap(self.cap(pair)),
                Rule::once_decl => Decl::Once(once_decl(pair)),
                Rule::rank_decl => Decl::Rank(self.rank(pair)),
                Rule::card_decl => {
                    let span = span_of(&pair);
                    let word = pair.into_inner().nth(1).map(|p| p.as_rule());
                    let period = match word {
                        Some(Rule::kw_year) => Period::Year,
                        Some(Rule::kw_quarter) => Period::Quarter,
                        _ => Period::Month,
                    };
                    Decl::Card(CardDecl {
                        period: Spanned::new(period, span),
                        balance: word == Some(Rule::kw_balance),
                        span: span.into(),
                    })
                }
                Rule::grades_decl => Decl::Grades(self.grades(pair)),
                Rule::ledger_decl => Decl::Ledger(ledger_decl(pair)),
                Rule::derive_decl => match self.derive(pair) {
                    Some(d) => Decl::Derive(d),
                    None => continue,
                },
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
            span: span.into(),
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
        RoundDecl {
            places,
            mode,
            span: span.into(),
        }
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
            span: span.into(),
        }
    }

    fn field_type(&mut self, pair: Pair<'_, Rule>) -> FieldType {
        let span = span_of(&pair);
        if pair.as_rule() == Rule::enum_type {
            return FieldType::Enum(pair.into_inner().map(name).collect());
        }
        if pair.as_rule() == Rule::head_type {
            return FieldType::HeadOf(
                pair.into_inner()
                    .find(|p| p.as_rule() == Rule::ident)
                    .map_or_else(|| Spanned::new(String::new(), span), name),
            );
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
            span: span.into(),
        }
    }

    /// `derive pay "绩效工资" in money = …`; `None` when its formula could not be built.
    fn derive(&mut self, pair: Pair<'_, Rule>) -> Option<DeriveDecl> {
        let span = span_of(&pair);
        let mut names = Vec::new();
        let mut label = Spanned::new(String::new(), span);
        let mut formula = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => names.push(name(p)),
                Rule::string => label = unquote(p),
                Rule::expr => formula = Some(self.expr(p)),
                _ => {}
            }
        }
        let mut names = names.into_iter();
        Some(DeriveDecl {
            id: names.next()?,
            label,
            ledger: names.next()?,
            formula: formula?,
            span: span.into(),
        })
    }

    fn section(&mut self, pair: Pair<'_, Rule>) -> SectionDecl {
        let span = span_of(&pair);
        let mut id = Spanned::new(String::new(), span);
        let mut label = Spanned::new(String::new(), span);
        let mut budget = Spanned::new(Decimal::ZERO, span);
        let mut items = Vec::new();
        let mut ledger = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => id = name(p),
                Rule::string => label = unquote(p),
                Rule::number => budget = self.number(p),
                Rule::item_decl => items.push(self.item(p)),
                Rule::booked => ledger = p.into_inner().nth(1).map(name),
                _ => {}
            }
        }
        SectionDecl {
            id,
            label,
            budget,
            ledger,
            items,
            span: span.into(),
        }
    }

    fn item(&mut self, pair: Pair<'_, Rule>) -> ItemDecl {
        let span = span_of(&pair);
        let mut id = Spanned::new(String::new(), span);
        let mut label = Spanned::new(String::new(), span);
        let mut budget = Spanned::new(Decimal::ZERO, span);
        let mut applies = None;
        let mut scaled = None;
        let mut rules = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => id = name(p),
                Rule::string => label = unquote(p),
                Rule::number => budget = self.number(p),
                Rule::item_scaled => {
                    let span = span_of(&p);
                    let of = p
                        .into_inner()
                        .filter(|q| q.as_rule() == Rule::ident)
                        .map(name)
                        .collect();
                    scaled = Some(ItemScaled {
                        of,
                        span: span.into(),
                    });
                }
                Rule::applies => applies = p.into_inner().nth(1).map(|e| self.expr(e)),
                Rule::rule => rules.push(self.rule(p)),
                _ => {}
            }
        }
        ItemDecl {
            id,
            label,
            budget,
            scaled,
            applies,
            rules,
            span: span.into(),
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
            span: span.into(),
        }
    }

    fn quota(&mut self, pair: Pair<'_, Rule>) -> Quota {
        let span = span_of(&pair);
        let mut percent = Spanned::new(Decimal::ZERO, span);
        let mut of = None;
        let mut also = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::number => percent = self.number(p),
                Rule::ident if of.is_some() => also.push(name(p)),
                Rule::ident => of = Some(name(p)),
                _ => {}
            }
        }
        Quota {
            percent,
            of,
            also,
            span: span.into(),
        }
    }

    fn cap(&mut self, pair: Pair<'_, Rule>) -> CapDecl {
        let span = span_of(&pair);
        let mut id = Spanned::new(String::new(), span);
        let mut label = Spanned::new(String::new(), span);
        let mut limit = Spanned::new(Decimal::ZERO, span);
        let mut period = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => id = name(p),
                Rule::string => label = unquote(p),
                Rule::number => limit = self.number(p),
                Rule::period => period = Some(period_of(p)),
                _ => {}
            }
        }
        CapDecl {
            id,
            label,
            limit,
            period,
            span: span.into(),
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
            let mut above = false;
            let mut quota = None;
            for p in band.into_inner() {
                match p.as_rule() {
                    Rule::ident => band_name = name(p),
                    Rule::threshold => above = p.as_str() == ">",
                    Rule::quota => quota = Some(self.quota(p)),
                    Rule::number => min = Some(self.number(p)),
                    Rule::string => text = Some(unquote(p)),
                    _ => {}
                }
            }
            bands.push(Band {
                name: band_name,
                min,
                above,
                quota,
                text,
                span: band_span.into(),
            });
        }
        GradesDecl {
            bands,
            span: span.into(),
        }
    }
}

/// `once incident "同一行为" per case in year`.
fn once_decl(pair: Pair<'_, Rule>) -> OnceDecl {
    let span = span_of(&pair);
    let mut id = Spanned::new(String::new(), span);
    let mut label = Spanned::new(String::new(), span);
    let mut by = None;
    let mut period = None;
    let mut first = true;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::ident if first => {
                id = name(p);
                first = false;
            }
            Rule::ident => by = Some(name(p)),
            Rule::string => label = unquote(p),
            Rule::period => period = Some(period_of(p)),
            _ => {}
        }
    }
    OnceDecl {
        id,
        label,
        by,
        period,
        span: span.into(),
    }
}

/// `ledger money "元"`.
fn ledger_decl(pair: Pair<'_, Rule>) -> LedgerDecl {
    let span = span_of(&pair);
    let mut id = Spanned::new(String::new(), span);
    let mut unit = Spanned::new(String::new(), span);
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::ident => id = name(p),
            Rule::string => unit = unquote(p),
            _ => {}
        }
    }
    LedgerDecl {
        id,
        unit,
        span: span.into(),
    }
}
