//! `valid …` on a `when` rule of a balance card: steps on a year's running total ("参加志愿服务
//! 时间累计达到 20 小时 +5", valid a year). The rule is decided as the records it reads arrive,
//! so it reads the year's sums and counts of the person's records and roster columns only, gives
//! points only, and its validity cannot read a record's field.

use super::*;
use crate::ops::AggFn;
use crate::syntax::ast::Durations;

/// A `when` rule's validity, checked: `None` when it has none, or after reporting why it cannot
/// have the one written (off a balance card `valid` on a `when` rule is reported with the other
/// modifiers of `per` rules).
pub(super) fn when_validity(
    cx: &mut Checker,
    rule: &ast::Rule,
    condition: &model::Expr,
    effects: &[model::Effect],
) -> Option<Box<model::Validity>> {
    if !cx.balance {
        return None;
    }
    let valid = rule.modifiers.iter().find_map(|m| match m {
        Modifier::Valid(v) => Some(v),
        _ => None,
    })?;
    let mut ok = true;
    let field = match &valid.durations {
        Durations::Table { field: Some(f), .. } => Some(f),
        _ => None,
    };
    for f in field
        .into_iter()
        .chain(valid.from.as_ref())
        .chain(valid.since.as_ref())
        .chain(valid.until.as_ref())
    {
        ok = false;
        refuse(
            cx,
            *f.span,
            &crate::tr!(
                format!("a `when` rule has no record to read `{}` of", f.node),
                format!("`when` 条款没有记录可以读 `{}`", f.node)
            ),
            crate::tr!("a field of a record", "记录的字段"),
            crate::tr!(
                "a step's validity is fixed, `valid 1 year`, or by the size of its points, `valid { <= 40: 1 year, else: 2 years }`",
                "按累计档次给的分，有效期写成固定的 `valid 1 year`，或者按分值大小写 `valid { <= 40: 1 year, else: 2 years }`"
            ),
        );
    }
    if effects
        .iter()
        .any(|e| !matches!(e, model::Effect::Points { .. }))
    {
        ok = false;
        refuse(
            cx,
            *valid.span,
            crate::tr!(
                "a `when` rule with `valid` gives points only",
                "带 `valid` 的 `when` 条款只能加分扣分"
            ),
            crate::tr!("an entry of points", "一笔有有效期的分"),
            crate::tr!(
                "write the flag, grade or zero as a rule of its own; a grade kept for a time is a `per` rule, `per KIND grade C valid 3 years`",
                "把标记、定级或清零另写成一条条款；定级保持一段时间，要写成 `per` 条款，比如 `per KIND grade C valid 3 years`"
            ),
        );
    }
    ok &= reads_running_totals(cx, valid, condition, effects);
    if !ok {
        return None;
    }
    let ast_effects = match &rule.body {
        RuleBody::When { effects, .. } => effects.as_slice(),
        _ => &[],
    };
    super::validity::validity(cx, rule, &[], ast_effects)
}

/// A step is decided as each record arrives, on the year's running totals: the rule must read
/// some, and sums and counts only; `false` after reporting one that does not.
fn reads_running_totals(
    cx: &mut Checker,
    valid: &ast::Validity,
    condition: &model::Expr,
    effects: &[model::Effect],
) -> bool {
    let mut ok = true;
    let mut reads = condition.aggregates();
    for e in effects {
        if let model::Effect::Points { amount, .. } = e {
            reads.extend(amount.aggregates());
        }
    }
    if reads.is_empty() {
        ok = false;
        refuse(
            cx,
            *valid.span,
            crate::tr!(
                "a `when` rule with `valid` must read the year's records",
                "带 `valid` 的 `when` 条款必须读当年的记录"
            ),
            crate::tr!("decided when a record arrives", "在记录到来时判断"),
            crate::tr!(
                "read a sum or a count of the year, like `sum(volunteer.hours) in year`",
                "读当年的合计或次数，比如 `sum(volunteer.hours) in year`"
            ),
        );
    }
    for (span, id) in reads {
        let running = cx
            .aggregates
            .get(id)
            .is_some_and(|a| matches!(a.func, Some(AggFn::Sum | AggFn::Count)));
        if !running {
            ok = false;
            refuse(
                cx,
                span,
                crate::tr!(
                    "a `when` rule with `valid` reads sums and counts only",
                    "带 `valid` 的 `when` 条款只能读合计和次数"
                ),
                crate::tr!("not a running total of the year", "不是当年逐条累计的数"),
                crate::tr!(
                    "the rule is decided as each record arrives, on the year's running totals: read `sum(…)` or `count(…)`",
                    "这条条款在每条记录到来时按当年累计的数判断：读 `sum(…)` 或 `count(…)`"
                ),
            );
        }
    }
    ok
}

fn refuse(cx: &mut Checker, span: Span, message: &str, label: &str, help: &str) {
    cx.push(
        Diag::error(Code::Misplaced, span, message.to_string())
            .label(label.to_string())
            .help(help.to_string()),
    );
}
