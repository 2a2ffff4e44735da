//! Rules: citations, `per` and `when` bodies, effects, events.

use super::*;

pub(super) type Rule_ = crate::syntax::ast::Rule;

pub(super) trait DefaultName {
    fn unwrap_or_default_name(self, span: Span) -> Name;
}

impl DefaultName for Option<Name> {
    fn unwrap_or_default_name(self, span: Span) -> Name {
        self.unwrap_or_else(|| Spanned::new(String::new(), span))
    }
}

pub(super) fn event(pair: Pair<'_, Rule>) -> Event {
    let span = span_of(&pair);
    let mut parts = pair.into_inner().map(name);
    let kind = parts.next().unwrap_or_default_name(span);
    Event {
        kind,
        per_field: parts.next(),
        span: span.into(),
    }
}

impl Builder {
    /// A rule: its citation, its body and its modifiers.
    // One arm per part a rule's grammar has, exhaustively: a table, read down.
    pub(super) fn rule(&mut self, pair: Pair<'_, Rule>) -> Rule_ {
        let span = span_of(&pair);
        let mut citation = None;
        let mut body = RuleBody::Base {
            value: Expr {
                kind: ExprKind::Error,
                span: span.into(),
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
                                let mut limit = None;
                                let mut period = None;
                                for c in q.into_inner() {
                                    match c.as_rule() {
                                        Rule::number => limit = Some(self.number(c)),
                                        Rule::period => period = Some(period_of(c)),
                                        Rule::ident => modifiers.push(Modifier::SharedCap(name(c))),
                                        _ => {}
                                    }
                                }
                                if let Some(limit) = limit {
                                    modifiers.push(Modifier::Cap(limit, period));
                                }
                            }
                            Rule::highest => {
                                let s = span_of(&q);
                                if let Some(f) = q.into_inner().nth(2) {
                                    modifiers.push(Modifier::Highest {
                                        field: name(f),
                                        span: s.into(),
                                    });
                                }
                            }
                            Rule::applies => {
                                if let Some(e) = q.into_inner().nth(1) {
                                    modifiers.push(Modifier::For(self.expr(e)));
                                }
                            }
                            Rule::guard => {
                                if let Some(e) = q.into_inner().nth(1) {
                                    modifiers.push(Modifier::Guard(self.expr(e)));
                                }
                            }
                            _ => {}
                        }
                    }
                    let error = || Expr {
                        kind: ExprKind::Error,
                        span: span.into(),
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
            span: span.into(),
        }
    }

    /// One effect of a rule (`-5`, `zero`, `flag "…"`, `grade 零星级`, …).
    // One arm per grammar form of an effect, exhaustively: a table, read down.
    pub(super) fn effect(&mut self, pair: Pair<'_, Rule>) -> Effect {
        let span = span_of(&pair);
        match pair.as_rule() {
            Rule::zero => Effect::Zero(span.into()),
            Rule::flag | Rule::exclude => {
                let exclude = pair.as_rule() == Rule::exclude;
                let text = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::string)
                    .map(unquote)
                    .unwrap_or_else(|| Spanned::new(String::new(), span));
                if exclude {
                    Effect::Exclude(text)
                } else {
                    Effect::Flag(text)
                }
            }
            Rule::grade_cap => {
                let grade = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::ident)
                    .map(name)
                    .unwrap_or_default_name(span);
                Effect::GradeCap {
                    grade,
                    span: span.into(),
                }
            }
            Rule::grade_set => {
                let grade = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::ident)
                    .map(name)
                    .unwrap_or_default_name(span);
                Effect::SetGrade {
                    grade,
                    span: span.into(),
                }
            }
            Rule::score_set => match pair.into_inner().find(|p| p.as_rule() == Rule::number) {
                Some(n) => Effect::SetScore(self.number(n)),
                None => Effect::SetScore(Spanned::new(Decimal::ZERO, span)),
            },
            _ => {
                let mut sign = Sign::Minus;
                let mut value = Expr {
                    kind: ExprKind::Error,
                    span: span.into(),
                };
                let mut target_group = None;
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
                        Rule::target => {
                            let mut names = p.into_inner().filter(|x| x.as_rule() == Rule::ident);
                            target = names.next().map(name);
                            target_group = names.next().map(|g| Box::new(name(g)));
                        }
                        Rule::within => within = Some(self.range(p)),
                        Rule::from_total => from_total = true,
                        _ => {}
                    }
                }
                Effect::Amount(Amount {
                    target_group,
                    sign,
                    value,
                    within,
                    target,
                    from_total,
                    span: span.into(),
                })
            }
        }
    }

    pub(super) fn expr(&self, pair: Pair<'_, Rule>) -> Expr {
        build_expr(pair, &self.expr_errors).0
    }
}
