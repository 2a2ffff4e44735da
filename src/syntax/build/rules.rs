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
                            _ => self.modifier(q, &mut modifiers),
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

    /// A rule's modifier (`cap 40 in year`, `cap donations`, `highest per level`, `once act`,
    /// `for …`, `when …`, `valid …`, `repeat * 2`), added to `modifiers`; anything else adds none.
    fn modifier(&mut self, q: Pair<'_, Rule>, modifiers: &mut Vec<Modifier>) {
        match q.as_rule() {
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
            Rule::once => {
                if let Some(g) = q.into_inner().nth(1) {
                    modifiers.push(Modifier::Once(name(g)));
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
            Rule::validity => modifiers.push(self.validity(q)),
            Rule::repeat => {
                if let Some(n) = q.into_inner().find(|c| c.as_rule() == Rule::number) {
                    modifiers.push(Modifier::Repeat(self.number(n)));
                }
            }
            _ => {}
        }
    }

    /// `valid 2 years`, `valid { <= 40: 1 year, else: 2 years }`, `valid level { … }`.
    fn validity(&mut self, pair: Pair<'_, Rule>) -> Modifier {
        let span = span_of(&pair);
        let mut durations = Durations::Unwritten;
        let (mut from, mut since, mut until) = (None, None, None);
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::duration => durations = Durations::Fixed(self.duration(p)),
                Rule::duration_table => {
                    let mut field = None;
                    let mut entries = Vec::new();
                    for e in p.into_inner() {
                        match e.as_rule() {
                            Rule::ident => field = Some(name(e)),
                            Rule::duration_entry => {
                                let mut parts = e.into_inner();
                                let (Some(key), Some(d)) = (parts.next(), parts.next()) else {
                                    continue;
                                };
                                let key = self.table_key(key);
                                entries.push(DurationEntry {
                                    key,
                                    duration: self.duration(d),
                                });
                            }
                            _ => {}
                        }
                    }
                    durations = Durations::Table { field, entries };
                }
                Rule::valid_from => from = p.into_inner().nth(1).map(name),
                Rule::valid_since => since = p.into_inner().nth(1).map(name),
                Rule::valid_until => until = p.into_inner().nth(1).map(name),
                _ => {}
            }
        }
        Modifier::Valid(Box::new(Validity {
            durations,
            from,
            since,
            until,
            span: span.into(),
        }))
    }

    /// `2 years`: a whole number and a unit of time.
    fn duration(&mut self, pair: Pair<'_, Rule>) -> Spanned<Duration> {
        let span = span_of(&pair);
        let mut count = 0;
        let mut unit = TimeUnit::Year;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::integer => count = self.integer(p).node,
                Rule::time_unit => {
                    unit = match p.into_inner().next().map(|w| w.as_rule()) {
                        Some(Rule::kw_months) => TimeUnit::Month,
                        Some(Rule::kw_days) => TimeUnit::Day,
                        _ => TimeUnit::Year,
                    }
                }
                _ => {}
            }
        }
        Spanned::new(Duration { count, unit }, span)
    }

    /// A table entry's key: `else`, a bound (`<= 40`), a value's name or a number.
    fn table_key(&mut self, key: Pair<'_, Rule>) -> Spanned<TableKey> {
        let kspan = span_of(&key);
        let k = match key.as_rule() {
            Rule::kw_else => TableKey::Else,
            Rule::number => TableKey::Number(self.decimal(key.as_str(), kspan)),
            Rule::bound => {
                let text = key.as_str();
                let op = [
                    (">=", BinOp::Ge),
                    ("<=", BinOp::Le),
                    (">", BinOp::Gt),
                    ("<", BinOp::Lt),
                ]
                .into_iter()
                .find_map(|(sym, op)| text.starts_with(sym).then_some(op))
                .unwrap_or(BinOp::Ge);
                let number = key
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::signed)
                    .map_or("", |p| p.as_str());
                TableKey::Bound(op, self.decimal(number, kspan))
            }
            _ => TableKey::Name(key.as_str().to_string()),
        };
        Spanned::new(k, kspan)
    }

    /// One effect of a rule (`-5`, `zero`, `flag "…"`, `grade 零星级`, …).
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
            Rule::demote => {
                let grade = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::ident)
                    .map(name)
                    .unwrap_or_default_name(span);
                Effect::Demote {
                    grade,
                    span: span.into(),
                }
            }
            Rule::freeze => {
                let block = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::ident)
                    .map(name)
                    .unwrap_or_default_name(span);
                Effect::Freeze {
                    block,
                    span: span.into(),
                }
            }
            Rule::score_set => match pair.into_inner().find(|p| p.as_rule() == Rule::number) {
                Some(n) => Effect::SetScore(self.number(n)),
                None => Effect::SetScore(Spanned::new(Decimal::ZERO, span)),
            },
            _ => Effect::Amount(self.amount(pair, span)),
        }
    }

    /// An amount: its sign and value, whom it goes to, its bounds, and whether it is taken from the
    /// total.
    fn amount(&mut self, pair: Pair<'_, Rule>, span: Span) -> Amount {
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
        Amount {
            target_group,
            sign,
            value,
            within,
            target,
            from_total,
            span: span.into(),
        }
    }

    /// `rank standing "村内名次" of village by lowest mean(rating.place) in year`.
    pub(super) fn rank(&mut self, pair: Pair<'_, Rule>) -> RankDecl {
        let span = span_of(&pair);
        let mut id = Spanned::new(String::new(), span);
        let mut label = Spanned::new(String::new(), span);
        let (mut of, mut by, mut lowest, mut gives) = (None, None, false, None);
        let mut also = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident if id.node.is_empty() => id = name(p),
                Rule::ident if of.is_some() => also.push(name(p)),
                Rule::ident => of = Some(name(p)),
                Rule::string => label = unquote(p),
                Rule::place_points | Rule::scaled => gives = Some(self.rank_gives(p)),
                Rule::rank_by => {
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::lowest => lowest = true,
                            Rule::expr => by = Some(self.expr(q)),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        RankDecl {
            id,
            label,
            of,
            also,
            by,
            lowest,
            gives,
            span: span.into(),
        }
    }

    /// `+{ 1: 10, 2: 8 }` or `scaled 600`.
    fn rank_gives(&mut self, pair: Pair<'_, Rule>) -> Spanned<RankGives> {
        let span = span_of(&pair);
        let scaled = pair.as_rule() == Rule::scaled;
        let mut minus = false;
        let mut entries = Vec::new();
        let mut factor = Spanned::new(Decimal::ZERO, span);
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::sign => minus = p.as_str() == "-",
                Rule::number => factor = self.number(p),
                Rule::place_entry => {
                    let mut inner = p.into_inner();
                    if let (Some(place), Some(points)) = (inner.next(), inner.next()) {
                        let place = self.number(place);
                        let points = self.number(points);
                        entries.push((place, points));
                    }
                }
                _ => {}
            }
        }
        let gives = if scaled {
            RankGives::Scaled(factor)
        } else {
            RankGives::Points { minus, entries }
        };
        Spanned::new(gives, span)
    }

    pub(super) fn expr(&self, pair: Pair<'_, Rule>) -> Expr {
        build_expr(pair, &self.expr_errors).0
    }
}
