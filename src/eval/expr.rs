//! Evaluation of checked expressions, in the two places they stand: on one record (filters and
//! per-event amounts) and on one person's card in one month (conditions, bases, `when` amounts).

use super::{Person, Value};
use crate::check::model::{AggId, Expr, ExprKind as M, TableKey};
use crate::exact::Exact;
use crate::exact::Rounding;
use crate::ops::{AggFn, BinOp, Func};
use rust_decimal::prelude::ToPrimitive;

/// A value while evaluating.
#[derive(Clone, Debug, PartialEq)]
pub enum V<'a> {
    Num(Exact),
    Bool(bool),
    Enum(usize),
    Text(&'a str),
    /// An optional field left empty: no comparison with it holds, and as an amount it is 0.
    /// Arithmetic on it has no value either (`17:30 - left` is not 17:30 minus midnight).
    Missing,
}

/// Why an expression has no value: a fact is missing (the result is then not final), or the
/// arithmetic cannot be done exactly as written (an error: a division by zero, or a number too
/// large to hold exactly).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gap {
    /// The aggregate or fact with this id has no record to read.
    Missing(AggId),
    /// More than one record where the policy reads a single fact.
    Repeated(AggId),
    DivisionByZero,
    Overflow,
    /// A running sum the engine could not keep, already reported as an error: no value, and
    /// nothing more to say.
    Reported,
}

pub type Result<T> = std::result::Result<T, Gap>;

/// What an expression can read besides numbers written in the policy.
pub trait Env {
    fn field(&self, _field: usize) -> Option<&Value> {
        None
    }
    fn person(&self) -> Option<&Person>;
    fn aggregate(&self, id: AggId) -> Result<Exact>;
    fn months(&self, _func: AggFn) -> Result<Exact> {
        Ok(Exact::ZERO)
    }
}

/// The environment of one record: its fields, and the roster row of the person it names (what a
/// `per` rule's filter and amounts and an aggregate's filter read).
pub struct RecordEnv<'a> {
    pub fields: &'a [Value],
    pub person: Option<&'a Person>,
}

impl Env for RecordEnv<'_> {
    fn field(&self, field: usize) -> Option<&Value> {
        self.fields.get(field)
    }
    fn person(&self) -> Option<&Person> {
        self.person
    }
    fn aggregate(&self, id: AggId) -> Result<Exact> {
        Err(Gap::Missing(id))
    }
}

pub(super) fn value(v: &Value) -> V<'_> {
    match v {
        Value::Number(n) => V::Num(Exact::from_decimal(*n)),
        Value::Text(t) => V::Text(t),
        Value::Bool(b) => V::Bool(*b),
        Value::Enum(i) => V::Enum(*i),
        // The checker lets no expression read a person field (it is only a target).
        // Nor a date field (only `valid … from FIELD` reads it).
        Value::Person(_) | Value::Date(_) => V::Text(""),
        // Only optional fields are missing: no comparison with them holds (`=`, `!=`, `<`, …).
        Value::Missing => V::Missing,
    }
}

pub fn eval<'a, E: Env>(e: &'a Expr, env: &'a E) -> Result<V<'a>> {
    Ok(match &e.kind {
        M::Number(n) => V::Num(Exact::from_decimal(*n)),
        M::Text(t) => V::Text(t),
        M::EnumValue(i) => V::Enum(*i),
        M::RecordField(f) => env.field(*f).map_or(V::Text(""), value),
        M::Column(c) => env
            .person()
            .and_then(|p| p.values.get(*c))
            .map_or(V::Text(""), value),
        M::Fact(id) | M::Aggregate(id) => V::Num(env.aggregate(*id)?),
        M::Months(func) => V::Num(env.months(*func)?),
        M::Not(x) => V::Bool(!truth(x, env)?),
        M::Neg(x) => match eval(x, env)? {
            V::Missing => V::Missing,
            v => V::Num(num(v).checked_neg().ok_or(Gap::Overflow)?),
        },
        M::Member(x, set) => match eval(x, env)? {
            V::Enum(i) => V::Bool(set.contains(&i)),
            _ => V::Bool(false),
        },
        M::Table {
            key,
            entries,
            default,
        } => {
            let k = eval(key, env)?;
            let hit = entries.iter().find(|(tk, _)| key_holds(tk, &k));
            match (hit, default) {
                (Some((_, v)), _) => V::Num(number(v, env)?),
                (None, Some(d)) => V::Num(number(d, env)?),
                (None, None) => V::Num(Exact::ZERO),
            }
        }
        M::Binary(op, a, b) => binary(*op, a, b, env)?,
        M::Call(func, args) => {
            let mut values = Vec::with_capacity(args.len());
            for a in args {
                match eval(a, env)? {
                    V::Missing => return Ok(V::Missing),
                    v => values.push(num(v)),
                }
            }
            V::Num(call(*func, &values, args)?)
        }
    })
}

/// Whether a table's key (`a`, `3`, `>= 10`) holds for a value.
pub(super) fn key_holds(key: &TableKey, v: &V<'_>) -> bool {
    match (key, v) {
        (TableKey::Enum(a), V::Enum(b)) => a == b,
        (TableKey::Number(a), V::Num(b)) => Exact::from_decimal(*a) == *b,
        (TableKey::Bound(op, n), V::Num(b)) => {
            let n = Exact::from_decimal(*n);
            match op {
                BinOp::Ge => *b >= n,
                BinOp::Gt => *b > n,
                BinOp::Le => *b <= n,
                _ => *b < n,
            }
        }
        _ => false,
    }
}

/// A value as a number: anything but a number counts as 0.
fn num(v: V<'_>) -> Exact {
    match v {
        V::Num(n) => n,
        _ => Exact::ZERO,
    }
}

/// `min`, `max`, `floor`, `ceil` and `round` (half away from zero, to the places written as its
/// second value, which the checker made a whole number from 0 to 10).
fn call(func: Func, values: &[Exact], args: &[Expr]) -> Result<Exact> {
    let mut values = values.iter().copied();
    let first = values.next().unwrap_or(Exact::ZERO);
    Ok(match func {
        Func::Min => values.fold(first, |m, v| m.min(v)),
        Func::Max => values.fold(first, |m, v| m.max(v)),
        Func::Floor => first.floor(),
        Func::Ceil => first.ceil(),
        Func::Round => {
            let places = match args.get(1).map(|a| &a.kind) {
                Some(M::Number(n)) => n.to_u32().unwrap_or(0),
                _ => 0,
            };
            first
                .round_exact(places, Rounding::HalfUp)
                .ok_or(Gap::Overflow)?
        }
    })
}

pub fn number<E: Env>(e: &Expr, env: &E) -> Result<Exact> {
    Ok(num(eval(e, env)?))
}

/// Whether a per-event rule reads a record, and with what factor: `None` when its filter does
/// not hold or its `per KIND.FIELD` field is not a number (an empty optional one); else the
/// field's value for a `per KIND.FIELD` rule, nothing for a plain `per KIND` one. The engine and
/// the compiled reader both ask this, in this order, so both count the same records.
pub fn rule_reads(
    filter: Option<&Expr>,
    per_field: Option<usize>,
    env: &RecordEnv<'_>,
) -> Result<Option<Option<Exact>>> {
    if let Some(f) = filter {
        if !truth(f, env)? {
            return Ok(None);
        }
    }
    Ok(match per_field.map(|f| env.fields.get(f)) {
        None => Some(None),
        Some(Some(Value::Number(n))) => Some(Some(Exact::from_decimal(*n))),
        Some(_) => None,
    })
}

/// The points of one effect's amount on a record, times the rule's factor (see [`rule_reads`]).
pub fn effect_points(amount: &Expr, env: &RecordEnv<'_>, factor: Option<Exact>) -> Result<Exact> {
    let a = number(amount, env)?;
    match factor {
        None => Ok(a),
        Some(f) => a.checked_mul(f).ok_or(Gap::Overflow),
    }
}

pub fn truth<E: Env>(e: &Expr, env: &E) -> Result<bool> {
    match eval(e, env)? {
        V::Bool(b) => Ok(b),
        _ => Ok(false),
    }
}

fn binary<'a, E: Env>(op: BinOp, a: &'a Expr, b: &'a Expr, env: &'a E) -> Result<V<'a>> {
    Ok(match op {
        BinOp::And => V::Bool(truth(a, env)? && truth(b, env)?),
        BinOp::Or => V::Bool(truth(a, env)? || truth(b, env)?),
        BinOp::Eq | BinOp::Ne => {
            let (x, y) = (eval(a, env)?, eval(b, env)?);
            let missing = x == V::Missing || y == V::Missing;
            V::Bool(!missing && ((x == y) == (op == BinOp::Eq)))
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let as_number = |v: V<'_>| match v {
                V::Num(n) => Some(n),
                V::Missing => None,
                _ => Some(Exact::ZERO),
            };
            let (Some(x), Some(y)) = (as_number(eval(a, env)?), as_number(eval(b, env)?)) else {
                return Ok(V::Bool(false));
            };
            V::Bool(match op {
                BinOp::Lt => x < y,
                BinOp::Le => x <= y,
                BinOp::Gt => x > y,
                _ => x >= y,
            })
        }
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
            let (x, y) = (eval(a, env)?, eval(b, env)?);
            if x == V::Missing || y == V::Missing {
                return Ok(V::Missing);
            }
            let (x, y) = (num(x), num(y));
            V::Num(match op {
                BinOp::Add => x.checked_add(y).ok_or(Gap::Overflow)?,
                BinOp::Sub => x.checked_sub(y).ok_or(Gap::Overflow)?,
                BinOp::Mul => x.checked_mul(y).ok_or(Gap::Overflow)?,
                _ => {
                    if y.is_zero() {
                        return Err(Gap::DivisionByZero);
                    }
                    x.checked_div(y).ok_or(Gap::Overflow)?
                }
            })
        }
    })
}

/// Whether an expression reads an aggregate or fact (so it must wait for all records).
pub fn reads_aggregates(e: &Expr) -> bool {
    match &e.kind {
        M::Fact(_) | M::Aggregate(_) => true,
        M::Not(x) | M::Neg(x) | M::Member(x, _) => reads_aggregates(x),
        M::Binary(_, a, b) => reads_aggregates(a) || reads_aggregates(b),
        M::Call(_, args) => args.iter().any(reads_aggregates),
        M::Table {
            key,
            entries,
            default,
        } => {
            reads_aggregates(key)
                || entries.iter().any(|(_, v)| reads_aggregates(v))
                || default.as_deref().is_some_and(reads_aggregates)
        }
        _ => false,
    }
}
