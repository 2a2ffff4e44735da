//! The plan the evaluation runs, read by the engine, the cards, the explanations and the coverage
//! reports alike: the rules in policy order with where their points go, the flat list of items,
//! whom an item, a base or a rule applies to, and which base an item takes for a person.

use super::expr::{self, Env, Gap};
use super::outcome::scoring_problem;
use super::{Person, Roster};
use crate::check::model::{AggId, Base, Expr, Item, Policy, Rule};
use crate::codes::Code;
use crate::diag::Diag;
use crate::exact::Exact;

/// Where a rule's points go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Home {
    /// Index into the flat list of items.
    Item(usize),
    Adjustments,
}

/// A rule of the policy with its place, in policy order (sections' items, then adjustments).
#[derive(Clone, Debug)]
pub struct RuleRef<'p> {
    pub rule: &'p Rule,
    pub home: Home,
}

/// Every rule of the policy with its home, in policy order, and the flat list of items as
/// (section, item) indices. The engine and the explanations number rules and items this way.
pub fn flat_rules(policy: &Policy) -> (Vec<RuleRef<'_>>, Vec<(usize, usize)>) {
    let mut rules = Vec::new();
    let mut items = Vec::new();
    for (s, section) in policy.sections.iter().enumerate() {
        for (i, item) in section.items.iter().enumerate() {
            let flat = items.len();
            items.push((s, i));
            rules.extend(item.rules.iter().map(|rule| RuleRef {
                rule,
                home: Home::Item(flat),
            }));
        }
    }
    for block in &policy.adjustments {
        rules.extend(block.rules.iter().map(|rule| RuleRef {
            rule,
            home: Home::Adjustments,
        }));
    }
    (rules, items)
}

/// The base an item takes for a person: the first whose `for` holds (its index and the base), or
/// `None` when the item starts at its budget.
pub fn base_for<'i>(item: &'i Item, person: &Person) -> Option<(usize, &'i Base)> {
    item.bases
        .iter()
        .enumerate()
        .find(|(_, b)| b.applies.as_ref().is_none_or(|a| roster_holds(a, person)))
}

/// Every roster condition of the policy (an item's, a base's or a rule's `for`) that cannot be
/// computed for somebody (a division by a column that is 0 for them): one error per condition,
/// naming the first such person. Checked once, before scoring, so that no condition is taken as
/// false silently.
pub fn roster_condition_problems(policy: &Policy, roster: &Roster) -> Vec<Diag> {
    let mut errors = Vec::new();
    for (condition, what) in roster_conditions(policy) {
        let failed = roster.people.iter().find_map(|p| {
            roster_test(condition, p)
                .err()
                .filter(|g| matches!(g, Gap::DivisionByZero | Gap::Overflow))
                .map(|g| (p, g))
        });
        if let Some((p, gap)) = failed {
            errors.push(condition_problem(&what, p, gap));
        }
    }
    errors
}

/// Every roster condition of the policy, with what it is the `for` of, in the policy's order.
fn roster_conditions(policy: &Policy) -> Vec<(&Expr, String)> {
    let mut conditions: Vec<(&Expr, String)> = Vec::new();
    for section in &policy.sections {
        for item in &section.items {
            if let Some(a) = &item.applies {
                conditions.push((
                    a,
                    crate::tr!(
                        format!("the `for` of item `{}`", item.id),
                        format!("项目 `{}` 的 `for`", item.id)
                    ),
                ));
            }
            for b in &item.bases {
                if let Some(a) = &b.applies {
                    conditions.push((
                        a,
                        crate::tr!(
                            format!("the `for` of {}", b.text),
                            format!("{} 的 `for`", b.text)
                        ),
                    ));
                }
            }
            for r in &item.rules {
                if let Some(a) = &r.applies {
                    conditions.push((
                        a,
                        crate::tr!(
                            format!("the `for` of rule {}", r.text),
                            format!("条款 {} 的 `for`", r.text)
                        ),
                    ));
                }
            }
        }
    }
    for block in &policy.adjustments {
        for r in &block.rules {
            if let Some(a) = &r.applies {
                conditions.push((
                    a,
                    crate::tr!(
                        format!("the `for` of rule {}", r.text),
                        format!("条款 {} 的 `for`", r.text)
                    ),
                ));
            }
        }
    }
    conditions
}

/// The problem of a roster condition (`what`) that cannot be computed for the person `p`.
fn condition_problem(what: &str, p: &Person, gap: Gap) -> Diag {
    let (code, verb, verb_zh, help) = match gap {
        Gap::DivisionByZero => (
            Code::DividesByZero,
            "divides by zero",
            "除以零",
            crate::tr!(
                "a roster value it divides by is zero for this person; correct the roster, or write the condition without the division",
                "花名册里这个人作除数的值是零；改正花名册，或者把条件改成不用除法的写法"
            ),
        ),
        _ => (
            Code::ArithmeticOverflow,
            "needs more digits than tally can compute exactly",
            "位数太多，tally 算不精确",
            crate::tr!(
                "look for a wrong factor in the condition, or a wrong value in the roster",
                "查一查条件里有没有写错的系数，花名册里有没有填错的值"
            ),
        ),
    };
    scoring_problem(
        code,
        None,
        crate::tr!(
            format!("{what} {verb} for `{}` (roster line {})", p.id, p.line),
            crate::lang::spaced(&format!(
                "{what}对 `{}`（花名册第 {} 行）{verb_zh}",
                p.id, p.line
            ))
        ),
        Some(help.into()),
    )
}

/// A roster-only condition on one person: the arithmetic may fail (a division by a column that
/// is 0), which [`roster_condition_problems`] reports before any scoring.
pub fn roster_test(e: &Expr, p: &Person) -> expr::Result<bool> {
    struct PersonEnv<'a>(&'a Person);
    impl Env for PersonEnv<'_> {
        fn person(&self) -> Option<&Person> {
            Some(self.0)
        }
        fn aggregate(&self, id: AggId) -> expr::Result<Exact> {
            Err(Gap::Missing(id))
        }
    }
    expr::truth(e, &PersonEnv(p))
}

/// A roster-only condition on one person, once [`roster_condition_problems`] found none.
pub fn roster_holds(e: &Expr, p: &Person) -> bool {
    roster_test(e, p).unwrap_or(false)
}
