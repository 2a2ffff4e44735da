//! Ledgers beside the points (§30 of the reference): `ledger money "元"`, sections booked in one
//! (`section bonus "全勤奖" 300 in money { … }`), and values derived from each card's total
//! (`derive pay "绩效工资" in money = 3000 - 5 * money(max(0, 900 - total))`).

use crate::exact::Exact;
use crate::ops::{BinOp, Func};
use crate::syntax::ast::Span;

/// `ledger money "元"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Ledger {
    pub id: String,
    /// The unit as written (`元`), shown after values in explanations.
    pub unit: String,
    pub span: Span,
}

/// `derive pay "绩效工资" in money = …`: booked in `ledger` on every card, after the card's total.
#[derive(Clone, Debug, PartialEq)]
pub struct Derive {
    pub id: String,
    pub label: String,
    pub ledger: usize,
    pub formula: LedgerExpr,
    /// The formula as written, on one line (for explanations and `tally diff`).
    pub text: String,
    pub span: Span,
}

/// A derived value's formula, checked: every unit conversion was explicit and is gone.
#[derive(Clone, Debug, PartialEq)]
pub enum LedgerExpr {
    Number(Exact),
    /// The card's exact points total.
    Total,
    /// What the sections booked in a ledger hold on the card.
    Booked(usize),
    /// A value derived before this one on the same card.
    Derived(usize),
    Neg(Box<LedgerExpr>),
    Binary(BinOp, Box<LedgerExpr>, Box<LedgerExpr>),
    /// `min`, `max`, `floor`, `ceil`, `round` (its places a number written in the policy).
    Call(Func, Vec<LedgerExpr>),
}
