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
                crate::tr!(
                    format!(" (the grade is still given {})", reach.by.join("; ")),
                    crate::lang::spaced(&format!("（这个等次仍能评上：{}）", reach.by.join("；")))
                )
            };
            out.push(
                Diag::warning(
                    Code::ThresholdAboveMaximum,
                    g.span,
                    crate::tr!(
                        format!(
                            "no annual result can reach the threshold of `{}` ({threshold})",
                            g.name
                        ),
                        format!("任何年度结果都达不到 `{}` 的分数线（{threshold}）", g.name)
                    ),
                )
                .label(crate::tr!(
                    format!("the highest published annual result is {most}"),
                    format!("公布的年度结果最高是 {most}")
                ))
                .help(crate::tr!(
                    format!(
                        "lower the threshold to what the policy can give, or raise the budgets, rewards or caps that hold the result down (`tally check --bounds` shows them){other}"
                    ),
                    format!("把分数线降到政策能给到的分数，或者调高压住结果的分值、加分或封顶（`tally check --bounds` 会列出来）{other}")
                )),
            );
        } else if reach.by.is_empty() {
            let least = shown(&b.published.lo).unwrap_or_default();
            out.push(
                Diag::warning(
                    Code::GradeUnreachable,
                    g.span,
                    crate::tr!(
                        format!("no person can get the grade `{}`", g.name),
                        format!("谁也评不上等次 `{}`", g.name)
                    ),
                )
                .label(crate::tr!(
                    format!("every published annual result is at least {least}"),
                    format!("公布的年度结果最低也有 {least}")
                ))
                .help(
                    crate::tr!(
                        "raise the grade's threshold, or delete it if the policy never gives it (`tally check --bounds` shows what can be scored)",
                        "调高这个等次的分数线；如果政策根本不会给出这个等次，就删掉它（`tally check --bounds` 会列出能得多少分）"
                    ),
                ),
            );
        }
    }
    out
}

/// An item scaled to its group's best (§32) whose own value can never be above 0: every card's
/// best is 0 or below, and no score can be divided by it. `eval` would refuse every year, so
/// `check` refuses the policy.
pub fn scaled(policy: &Policy, b: &Bounds) -> Vec<Diag> {
    let items = policy.sections.iter().flat_map(|s| &s.items);
    items
        .filter(|i| b.never_positive.contains(&i.id))
        .map(|item| {
            let id = &item.id;
            Diag::error(
                Code::DividesByZero,
                item.span,
                crate::tr!(
                    format!("item `{id}` is scaled to its group's best, but its own value is never above 0"),
                    format!("项目 `{id}` 按组内最高分折算，但它自己的分从来不会大于 0")
                ),
            )
            .label(crate::tr!(
                "every group's best would be 0 or below: nothing to divide by",
                "每个组的最高分都会是 0 或更低：没法用来除"
            ))
            .help(crate::tr!(
                "give the item a base its rules take points from (`base 100`), or rewards that raise it, so that the best of a group is above 0",
                "给这个项目一个基础分让扣分从中扣（`base 100`），或者加上能加分的规则，让组内最高分大于 0"
            ))
        })
        .collect()
}
