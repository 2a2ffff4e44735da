//! Evaluation of checked expressions, in the two places they stand: on one record (filters and
//! per-event amounts) and on one person's card in one month (conditions, bases, `when` amounts).

use rust_decimal::Decimal;

use super::{Person, Value};
use crate::check::model::{AggId, Expr, ExprKind as M, TableKey};
use crate::syntax::ast::{AggFn, BinOp};

/// A value while evaluating.
#[derive(Clone, Debug, PartialEq)]
pub enum V<'a> {
    Num(Decimal),
    Bool(bool),
    Enum(usize),
    Text(&'a str),
}

/// Why an expression has no value: a fact is missing, or a division by zero.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gap {
    /// The aggregate or fact with this id has no record to read.
    Missing(AggId),
    /// More than one record where the policy reads a single fact.
    Repeated(AggId),
    DivisionByZero,
}

pub type Result<T> = std::result::Result<T, Gap>;

/// What an expression can read besides numbers written in the policy.
pub trait Env {
    fn field(&self, _field: usize) -> Option<&Value> {
        None
    }
    fn person(&self) -> Option<&Person>;
    fn aggregate(&self, id: AggId) -> Result<Decimal>;
    fn months(&self, _func: AggFn) -> Decimal {
        Decimal::ZERO
    }
}

fn value(v: &Value) -> V<'_> {
    match v {
        Value::Number(n) => V::Num(*n),
        Value::Text(t) => V::Text(t),
        Value::Bool(b) => V::Bool(*b),
        Value::Enum(i) => V::Enum(*i),
        // Only optional fields are missing; a comparison with them is simply false.
        Value::Missing => V::Text(""),
    }
}

pub fn eval<'a, E: Env>(e: &'a Expr, env: &'a E) -> Result<V<'a>> {
    Ok(match &e.kind {
        M::Number(n) => V::Num(*n),
        M::Text(t) => V::Text(t),
        M::EnumValue(i) => V::Enum(*i),
        M::RecordField(f) => env.field(*f).map_or(V::Text(""), value),
        M::Column(c) => env
            .person()
            .and_then(|p| p.values.get(*c))
            .map_or(V::Text(""), value),
        M::Fact(id) | M::Aggregate(id) => V::Num(env.aggregate(*id)?),
        M::Months(func) => V::Num(env.months(*func)),
        M::Not(x) => V::Bool(!truth(x, env)?),
        M::Neg(x) => V::Num(-number(x, env)?),
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
            let hit = entries.iter().find(|(tk, _)| match (tk, &k) {
                (TableKey::Enum(a), V::Enum(b)) => a == b,
                (TableKey::Number(a), V::Num(b)) => a == b,
                _ => false,
            });
            match (hit, default) {
                (Some((_, v)), _) => V::Num(number(v, env)?),
                (None, Some(d)) => V::Num(number(d, env)?),
                (None, None) => V::Num(Decimal::ZERO),
            }
        }
        M::Binary(op, a, b) => binary(*op, a, b, env)?,
    })
}

pub fn number<E: Env>(e: &Expr, env: &E) -> Result<Decimal> {
    match eval(e, env)? {
        V::Num(n) => Ok(n),
        _ => Ok(Decimal::ZERO),
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
        BinOp::Eq => V::Bool(eval(a, env)? == eval(b, env)?),
        BinOp::Ne => V::Bool(eval(a, env)? != eval(b, env)?),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let (x, y) = (number(a, env)?, number(b, env)?);
            V::Bool(match op {
                BinOp::Lt => x < y,
                BinOp::Le => x <= y,
                BinOp::Gt => x > y,
                _ => x >= y,
            })
        }
        BinOp::Add => V::Num(number(a, env)?.saturating_add(number(b, env)?)),
        BinOp::Sub => V::Num(number(a, env)?.saturating_sub(number(b, env)?)),
        BinOp::Mul => V::Num(number(a, env)?.saturating_mul(number(b, env)?)),
        BinOp::Div => {
            let d = number(b, env)?;
            if d.is_zero() {
                return Err(Gap::DivisionByZero);
            }
            V::Num(number(a, env)?.checked_div(d).unwrap_or(Decimal::MAX))
        }
    })
}

/// Whether an expression reads an aggregate or fact (so it must wait for all records).
pub fn reads_aggregates(e: &Expr) -> bool {
    match &e.kind {
        M::Fact(_) | M::Aggregate(_) => true,
        M::Not(x) | M::Neg(x) | M::Member(x, _) => reads_aggregates(x),
        M::Binary(_, a, b) => reads_aggregates(a) || reads_aggregates(b),
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
