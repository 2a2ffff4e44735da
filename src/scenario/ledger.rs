//! Expectations of a ledger's value (§30): `A 2020-03 ledger money 297`, on a card or on the
//! year (the sum of the cards).

use rust_decimal::Decimal;

use super::lex::Tok;
use crate::check::Policy;
use crate::codes::Code;
use crate::diag::{Diag, did_you_mean, list_names};
use crate::eval::ledger::{card_ledgers, year_ledgers};
use crate::eval::outcome::{MonthResult, PersonResult};
use crate::exact::Exact;

/// An expected ledger the policy does not declare.
pub(super) fn unknown_ledger(policy: &Policy, ledger: &Tok) -> Diag {
    let names: Vec<&str> = policy.ledgers.iter().map(|l| l.id.as_str()).collect();
    let help = if names.is_empty() {
        crate::tr!(
            "the policy declares no ledger (`ledger money \"元\"`)",
            "政策文件没有声明分账（`ledger money \"元\"`）"
        )
        .to_string()
    } else {
        did_you_mean(&ledger.text, names.iter().copied()).unwrap_or_else(|| {
            crate::tr!(
                format!("the ledgers are {}", list_names(&names)),
                format!("分账有 {}", list_names(&names))
            )
        })
    };
    Diag::error(
        Code::ScenarioUnknownName,
        ledger.span,
        crate::tr!(
            format!("unknown ledger `{}`", ledger.text),
            format!("没有 `{}` 这个分账", ledger.text)
        ),
    )
    .label(crate::tr!(
        "the policy has no such ledger",
        "政策文件里没有这个分账"
    ))
    .help(help)
}

/// A ledger's value compared: published as the points are, or exact when the expectation has
/// more decimals than the policy publishes.
pub(super) fn actual(
    policy: &Policy,
    p: &PersonResult,
    m: Option<&MonthResult>,
    ledger: usize,
    expected: Decimal,
) -> (String, bool, Option<Exact>) {
    let exact = match m {
        Some(card) => card_ledgers(policy, card).totals.get(ledger).copied(),
        None => year_ledgers(policy, p).get(ledger).copied(),
    }
    .flatten();
    let Some(exact) = exact else {
        return (
            crate::tr!("more than tally can count", "超出 tally 能计算的范围").to_string(),
            false,
            None,
        );
    };
    let value = if expected.scale() > policy.round_places {
        Some(exact)
    } else {
        exact
            .round(policy.round_places, policy.rounding)
            .map(Exact::from_decimal)
    };
    let Some(value) = value else {
        return (exact.display_places(0), false, None);
    };
    let expected = Exact::from_decimal(expected);
    (
        value.display_places(0),
        value == expected,
        value.checked_sub(expected),
    )
}
