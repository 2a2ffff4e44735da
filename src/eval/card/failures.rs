//! What can go wrong while a card is made, and how it is told.

use super::*;

/// What can go wrong on one person's card: a missing fact leaves the result not final; a division
/// by zero or a number too large to hold exactly is an error naming what failed, for whom and
/// when (once per rule and person, at the first month it happens).
pub(super) struct Failures<'a> {
    pub(super) person: &'a str,
    pub(super) year: i32,
    pub(super) gaps: BTreeSet<Gap>,
    pub(super) reported: BTreeSet<String>,
    pub(super) errors: &'a mut Vec<Diag>,
}

impl Failures<'_> {
    /// `2020-03`, or the year alone.
    fn period(&self, month: Option<u8>) -> String {
        match month {
            Some(m) => format!("{}-{m:02}", self.year),
            None => self.year.to_string(),
        }
    }

    /// Reports once per kind of problem and what failed (`key`), at the first month it happens.
    fn report(&mut self, key: String, code: Code, message: String, help: &str) {
        if self.reported.insert(key) {
            self.errors
                .push(scoring_problem(code, None, message, Some(help.into())));
        }
    }

    pub(super) fn note(&mut self, gap: Gap, what: &str, month: Option<u8>) {
        let (code, (verb, verb_zh), help) = match gap {
            Gap::Missing(_) | Gap::Repeated(_) => {
                self.gaps.insert(gap);
                return;
            }
            Gap::Reported => return,
            Gap::DivisionByZero => (
                Code::DividesByZero,
                ("divides by zero", "除以零"),
                crate::tr!(
                    "a value it divides by is zero here; guard the rule with a condition, or divide by something that cannot be zero",
                    "这里作除数的值是零；给这条规则加个条件挡住，或者改用不会是零的除数"
                ),
            ),
            Gap::Overflow => (
                Code::ArithmeticOverflow,
                (
                    "needs more digits than tally can compute exactly",
                    "位数太多，tally 算不精确",
                ),
                crate::tr!(
                    "look for a wrong amount in the policy or a wrong value in the records; a long fraction (a mean over many records) can need more digits than a score",
                    "查一查政策文件里有没有写错的分值，记录里有没有填错的值；除不尽的小数（比如许多记录的平均数）要的位数可能比分数多"
                ),
            ),
        };
        let message = crate::tr!(
            format!(
                "{what} {verb} for `{}` in {}",
                self.person,
                self.period(month)
            ),
            crate::lang::spaced(&format!(
                "算 `{}` {} 的分时，{what}{verb_zh}",
                self.person,
                self.period(month)
            ))
        );
        self.report(format!("{code:?} {what}"), code, message, help);
    }

    /// `a + b`, or zero after reporting the overflow (`what` names the sum, made only then).
    pub(super) fn add<W: AsRef<str>>(
        &mut self,
        a: Exact,
        b: Exact,
        what: impl FnOnce() -> W,
        month: Option<u8>,
    ) -> Exact {
        a.checked_add(b).unwrap_or_else(|| {
            self.note(Gap::Overflow, what().as_ref(), month);
            Exact::ZERO
        })
    }

    /// A total rounded for publication, or zero after reporting that it does not fit.
    pub(super) fn publish(&mut self, policy: &Policy, total: Exact, month: Option<u8>) -> Decimal {
        if let Some(published) = total.round(policy.round_places, policy.rounding) {
            return published;
        }
        let message = crate::tr!(
            format!(
                "the total for `{}` in {} is too large to publish with {} decimals ({})",
                self.person,
                self.period(month),
                policy.round_places,
                total.display_places(0)
            ),
            format!(
                "`{}` {} 的总分太大，保留 {} 位小数发布不了（{}）",
                self.person,
                self.period(month),
                policy.round_places,
                total.display_places(0)
            )
        );
        self.report(
            "publish".into(),
            Code::ArithmeticOverflow,
            message,
            crate::tr!(
                "no score can be this large: look for a wrong amount in the policy or a wrong value in the records",
                "哪个分数都不会这么大：查一查政策文件里有没有写错的分值，记录里有没有填错的值"
            ),
        );
        Decimal::ZERO
    }
}
