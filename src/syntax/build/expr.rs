//! Expressions: precedence climbing with a depth limit, numbers, primaries.

use super::*;

/// How deep an expression tree may grow (operators chained or nested); real rules stay under ten.
pub(super) const MAX_EXPR_DEPTH: usize = 64;

pub(super) static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
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

pub(super) fn parse_decimal(text: &str, span: Span, errors: &mut Vec<Diag>) -> Decimal {
    // rust_decimal rounds decimals past its 28th place away; a number written must be held
    // exactly, so more decimals than that are refused like too many digits.
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
    let parsed = if decimals > 28 {
        Err(())
    } else {
        Decimal::from_str(text).map_err(|_| ())
    };
    parsed.unwrap_or_else(|()| {
        errors.push(
            Diag::error(
                Code::BadNumber,
                span,
                crate::tr!(
                    format!("`{text}` is not a number tally can hold"),
                    format!("`{text}` 超出了 tally 能处理的数")
                ),
            )
            .label(crate::tr!("too many digits", "位数太多"))
            .help(crate::tr!(
                "a number holds at most 28 decimals and is at most 79228162514264337593543950335",
                "一个数最多 28 位小数，最大 79228162514264337593543950335"
            )),
        );
        Decimal::ZERO
    })
}

/// Builds an expression and returns it with its depth.
// Long because pest's Pratt parser takes every operator's step as a closure of one call.
pub(super) fn build_expr(pair: Pair<'_, Rule>, errors: &RefCell<Vec<Diag>>) -> (Expr, usize) {
    let flat = pair.into_inner().flat_map(|p| {
        if p.as_rule() == Rule::term {
            p.into_inner().collect::<Vec<_>>()
        } else {
            vec![p]
        }
    });
    let too_deep = |span: Span| too_deep(errors, span);
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
            (
                Expr {
                    kind,
                    span: span.into(),
                },
                depth + 1,
            )
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
                        Some(Rule::kw_quarter) => Window::Quarter,
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
                    let (entries, inner_depth) = table_entries(op, errors);
                    if inner_depth + depth >= MAX_EXPR_DEPTH {
                        return too_deep(span);
                    }
                    ExprKind::Table(Box::new(lhs), entries)
                }
            };
            (
                Expr {
                    kind,
                    span: span.into(),
                },
                depth + 1,
            )
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
                    span: span.into(),
                },
                depth,
            )
        })
        .parse(flat)
}

/// An expression nested past [`MAX_EXPR_DEPTH`]: reported once for a long chain, and an error
/// node in its place.
fn too_deep(errors: &RefCell<Vec<Diag>>, span: Span) -> (Expr, usize) {
    let mut errors = errors.borrow_mut();
    // A long chain goes over the limit at every further operator: say it once.
    let reported = errors.iter().any(|d| {
        d.code == Code::TooDeep
            && d.primary.span.start >= span.start
            && d.primary.span.end <= span.end
    });
    if !reported {
        errors.push(
            Diag::error(
                Code::TooDeep,
                span,
                crate::tr!("this expression is too long", "这个表达式太长"),
            )
            .label(crate::tr!(
                format!("more than {MAX_EXPR_DEPTH} operators deep"),
                format!("运算符嵌套超过 {MAX_EXPR_DEPTH} 层")
            ))
            .help(crate::tr!(
                "split it into several rules",
                "拆成几条条款来写"
            )),
        );
    }
    (
        Expr {
            kind: ExprKind::Error,
            span: span.into(),
        },
        MAX_EXPR_DEPTH,
    )
}

/// A table's entries (`{ city: 5, else: 0 }` after an expression), and how deep their values go.
fn table_entries(op: Pair<'_, Rule>, errors: &RefCell<Vec<Diag>>) -> (Vec<TableEntry>, usize) {
    let mut entries = Vec::new();
    let mut inner_depth = 0;
    for entry in op.into_inner() {
        let mut parts = entry.into_inner();
        let (Some(key), Some(value)) = (parts.next(), parts.next()) else {
            continue;
        };
        let kspan = span_of(&key);
        let key = table_key(key, kspan, errors);
        let (value, d) = build_expr(value, errors);
        inner_depth = inner_depth.max(d);
        entries.push(TableEntry {
            key: Spanned::new(key, kspan),
            value,
        });
    }
    (entries, inner_depth)
}

/// A table entry's key: `else`, a number, a bound (`>= 90`) or a name.
fn table_key(key: Pair<'_, Rule>, kspan: Span, errors: &RefCell<Vec<Diag>>) -> TableKey {
    match key.as_rule() {
        Rule::kw_else => TableKey::Else,
        Rule::number => {
            TableKey::Number(parse_decimal(key.as_str(), kspan, &mut errors.borrow_mut()))
        }
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
            // The number is its own token: a comment may stand between.
            let number = key
                .clone()
                .into_inner()
                .find(|p| p.as_rule() == Rule::signed)
                .map_or("", |p| p.as_str());
            TableKey::Bound(op, parse_decimal(number, kspan, &mut errors.borrow_mut()))
        }
        _ => TableKey::Name(key.as_str().to_string()),
    }
}

/// A primary expression: a number, a text, a path, a call, an aggregate, a table, brackets.
pub(super) fn primary(pair: Pair<'_, Rule>, errors: &RefCell<Vec<Diag>>) -> (Expr, usize) {
    let span = span_of(&pair);
    let (kind, depth) = match pair.as_rule() {
        Rule::number => (
            ExprKind::Number(parse_decimal(pair.as_str(), span, &mut errors.borrow_mut())),
            1,
        ),
        Rule::string => (ExprKind::Text(unquote(pair).node), 1),
        Rule::clock => (
            ExprKind::Clock(clock_seconds(pair.as_str(), span, &mut errors.borrow_mut())),
            1,
        ),
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
        Rule::aggregate => aggregate(pair, span, errors),
        Rule::convert => {
            let mut inner = pair.into_inner();
            match (inner.next(), inner.next()) {
                (Some(ledger), Some(e)) => {
                    let (e, d) = build_expr(e, errors);
                    (ExprKind::Convert(name(ledger), Box::new(e)), d + 1)
                }
                _ => (ExprKind::Error, 1),
            }
        }
        Rule::call => {
            let mut inner = pair.into_inner();
            let func = match inner.next() {
                Some(f) => Spanned::new(
                    match f.as_str() {
                        "min" => Func::Min,
                        "max" => Func::Max,
                        "floor" => Func::Floor,
                        "ceil" => Func::Ceil,
                        _ => Func::Round,
                    },
                    span_of(&f),
                ),
                None => {
                    return (
                        Expr {
                            kind: ExprKind::Error,
                            span: span.into(),
                        },
                        1,
                    );
                }
            };
            let mut depth = 1;
            let mut args = Vec::new();
            for p in inner {
                let (e, d) = build_expr(p, errors);
                depth = depth.max(d + 1);
                args.push(e);
            }
            (ExprKind::Call(func, args), depth)
        }
        _ => (ExprKind::Error, 1),
    };
    (
        Expr {
            kind,
            span: span.into(),
        },
        depth,
    )
}

/// The length of `text` without the whitespace and comments that trail it. A pair that ends in an
/// optional part (`modifier*`) takes the blanks and comments after it into its span; a label or a
/// rule's text must stop at its last token.
pub(super) fn significant_len(text: &str) -> usize {
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

/// `9:00`, `08:30`, `8:30:15` as seconds since midnight; a time no clock shows (`24:00`, `9:60`)
/// is an error, and reads as midnight.
fn clock_seconds(text: &str, span: Span, errors: &mut Vec<Diag>) -> u32 {
    match crate::ops::clock_seconds(text) {
        Some(s) => s,
        None => {
            errors.push(
                Diag::error(
                    Code::BadNumber,
                    span,
                    crate::tr!(
                        format!("`{text}` is not a time of day"),
                        format!("`{text}` 不是时刻")
                    ),
                )
                .label(crate::tr!(
                    "hours 0 to 23, minutes and seconds 0 to 59",
                    "小时 0 到 23，分和秒 0 到 59"
                ))
                .help(crate::tr!(
                    "write a time of day like `9:00` or `17:30`; midnight is `0:00`",
                    "时刻写成 `9:00` 或 `17:30` 这样；午夜是 `0:00`"
                )),
            );
            0
        }
    }
}

/// `sum(overtime.hours where …)`: the function, what it reads, its filter, and how deep the filter
/// goes.
fn aggregate(pair: Pair<'_, Rule>, span: Span, errors: &RefCell<Vec<Diag>>) -> (ExprKind, usize) {
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
