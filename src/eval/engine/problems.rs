//! What goes wrong with one record: arithmetic that cannot be computed for it, and how a rule
//! is named in the message.

use super::*;

/// A rule named in Chinese by its clause (`条款 [2.4] `, a space before the words that follow), or
/// `这条规则` when it has none.
pub(super) fn zh_rule(clause: &str) -> String {
    if clause.is_empty() {
        "这条规则".to_string()
    } else {
        format!("条款 {} ", clause.trim_end())
    }
}

/// What cannot be computed for one record (`what`: the rule or the filter): an error at the
/// record's line. A record kind's fields are all there, so only the arithmetic can fail.
pub(super) fn record_problem(what: &str, origin: Origin, gap: Gap) -> Diag {
    let (code, message, help) = match gap {
        Gap::DivisionByZero => (
            Code::DividesByZero,
            crate::tr!(
                format!("{what} divides by zero for this record"),
                crate::lang::spaced(&format!("{what}在这条记录上除以零"))
            ),
            crate::tr!(
                "a value it divides by is zero here; correct the record, or divide by something that cannot be zero",
                "这里作除数的值是零；改正这条记录，或者改用不会是零的除数"
            ),
        ),
        Gap::Overflow => (
            Code::ArithmeticOverflow,
            crate::tr!(
                format!("{what} needs more digits than tally can compute exactly for this record"),
                crate::lang::spaced(&format!("{what}在这条记录上位数太多，tally 算不精确"))
            ),
            crate::tr!(
                "look for a wrong amount in the policy or a wrong value in the record",
                "查一查政策文件里有没有写错的分值，这条记录里有没有填错的值"
            ),
        ),
        Gap::Missing(_) | Gap::Repeated(_) | Gap::Reported => (
            Code::Internal,
            crate::tr!(
                format!("{what} reads a value this record does not give"),
                crate::lang::spaced(&format!("{what}要读的值这条记录没有"))
            ),
            crate::tr!(
                "report this policy to the tally maintainers: `check` should have refused it",
                "请把这个政策文件报给 tally 的维护者：`check` 本该拒收它"
            ),
        ),
    };
    scoring_problem(code, Some(origin), message, Some(help.into()))
}

impl Engine<'_> {
    /// A per-event rule that cannot compute its amount or filter for a record: an error at the
    /// record's line (a record kind's fields are all there, so only the arithmetic can fail).
    pub(super) fn record_gap(&mut self, r: usize, rec: &Record<'_>, gap: Gap) {
        let what = crate::tr!(
            format!("rule {}", self.rules[r].rule.text),
            format!("条款 {}", self.rules[r].rule.text)
        );
        let error = record_problem(&what, rec.origin, gap);
        self.errors.push(error);
    }

    pub(super) fn clause_of(&self, r: usize) -> String {
        self.rules[r]
            .rule
            .clause
            .as_ref()
            .map_or_else(String::new, |c| format!("[{c}] "))
    }
}
