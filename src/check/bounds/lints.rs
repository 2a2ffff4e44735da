//! Warnings the score bounds give: a grade's threshold above the highest result the policy can
//! give, and a grade no person can get at all.

use super::{Bounds, End};
use crate::check::model::Policy;
use crate::codes::Code;
use crate::diag::Diag;

fn shown(e: &End) -> Option<String> {
    e.value().map(|x| x.display_places(0))
}

pub fn grades(policy: &Policy, b: &Bounds) -> Vec<Diag> {
    let mut out = Vec::new();
    for (g, reach) in policy.grades.iter().zip(&b.grades) {
        let threshold = reach.threshold.clone().unwrap_or_default();
        if !reach.threshold_reachable {
            let most = shown(&b.published.hi).unwrap_or_default();
            let other = if reach.by.is_empty() {
                String::new()
            } else {
                format!(" (the grade is still given {})", reach.by.join("; "))
            };
            out.push(
                Diag::warning(
                    Code::ThresholdAboveMaximum,
                    g.span,
                    format!(
                        "no annual result can reach the threshold of `{}` ({threshold})",
                        g.name
                    ),
                )
                .label(format!("the highest published annual result is {most}"))
                .help(format!(
                    "lower the threshold to what the policy can give, or raise the budgets, rewards or caps that hold the result down (`tally check --bounds` shows them){other}"
                )),
            );
        } else if reach.by.is_empty() {
            let least = shown(&b.published.lo).unwrap_or_default();
            out.push(
                Diag::warning(
                    Code::GradeUnreachable,
                    g.span,
                    format!("no person can get the grade `{}`", g.name),
                )
                .label(format!("every published annual result is at least {least}"))
                .help(
                    "raise the grade's threshold, or delete it if the policy never gives it (`tally check --bounds` shows what can be scored)",
                ),
            );
        }
    }
    out
}
