//! `valid until FIELD` with no duration: a yearly card's carry (§31, 农村居民信用积分 第三十条). A
//! record of an earlier year counts on this year's card while its fault is uncorrected.

use super::*;

/// The carry `valid until FIELD` of a `per` rule: only on a `card year` policy, without `repeat`,
/// `once` or `highest per`, on a rule that gives points only, with FIELD a `date` field of every
/// kind of the rule. `None` after reporting why it cannot have it.
pub(super) fn carry(
    cx: &mut Checker,
    rule: &ast::Rule,
    v: &ast::Validity,
    repeat: Option<&ast::Spanned<rust_decimal::Decimal>>,
    kinds: &[model::KindId],
    effects: &[ast::Effect],
) -> Option<Box<model::Validity>> {
    let until = v.until.as_ref()?;
    if cx.balance {
        cx.push(
            Diag::error(
                Code::Misplaced,
                v.span,
                crate::tr!(
                    "on a balance card `valid` says how long an entry counts",
                    "按余额记分时，`valid` 要写明一笔分管多久"
                ),
            )
            .label(crate::tr!("no duration", "没有期限"))
            .help(crate::tr!(
                format!(
                    "write the duration before `until`: `valid 1 year until {}`",
                    until.node
                ),
                format!("在 `until` 前写上期限：`valid 1 year until {}`", until.node)
            )),
        );
        return None;
    }
    if cx.card != crate::ops::Period::Year {
        cx.push(
            Diag::error(Code::Misplaced, v.span, crate::tr!(
                "`valid until FIELD` needs a yearly card",
                "`valid until FIELD` 只能用于一年一张记分卡"
            ))
                .label(crate::tr!(
                    "entries of this policy count in the month of their record",
                    "本政策文件的分数只计入记录所在的月份"
                ))
                .help(crate::tr!(
                    "write `card year` after the `policy` line: an uncorrected fault of an earlier year is then carried into the year's card",
                    "在 `policy` 那一行后面写 `card year`：以前年度没整改的失信记录就顺延计入本年度的记分卡"
                )),
        );
        return None;
    }
    let mut ok = true;
    if let Some(r) = repeat {
        ok = false;
        misplaced_with_carry(cx, r.span.into(), "repeat");
    }
    for m in &rule.modifiers {
        match m {
            Modifier::Once(_) => {
                ok = false;
                misplaced_with_carry(cx, m.span(), "once");
            }
            Modifier::Highest { .. } => {
                ok = false;
                misplaced_with_carry(cx, m.span(), "highest per");
            }
            _ => {}
        }
    }
    for e in effects {
        if !matches!(e, ast::Effect::Amount(_)) {
            ok = false;
            cx.push(
                Diag::error(Code::Misplaced, e.span(), crate::tr!(
                    "a carried rule gives points only",
                    "顺延计入的条款只能加分或扣分"
                ))
                    .label(crate::tr!(
                        "not points",
                        "不是分值"
                    ))
                    .help(crate::tr!(
                        "a grade, a score, a flag or an exclusion is for the year of its record: write it as a rule of its own without `valid`",
                        "等次、分数、备注和不参加评价只管记录所在的年度：把它写成另一条不带 `valid` 的条款"
                    )),
            );
        }
    }
    let field = super::validity::date_field(cx, until, kinds)?;
    if !ok {
        return None;
    }
    Some(Box::new(model::Validity {
        durations: Vec::new(),
        pick: model::ValidPick::Fixed,
        repeat: None,
        from: None,
        since: None,
        until: Some(field),
        text: format!("valid until {}", until.node),
    }))
}

/// Reports `word` (`repeat`, `once`, `highest per`) on a rule that carries its records.
fn misplaced_with_carry(cx: &mut Checker, span: Span, word: &str) {
    cx.push(
        Diag::error(
            Code::Misplaced,
            span,
            crate::tr!(
                format!("`{word}` and `valid until FIELD` are not written on one rule"),
                format!("同一条条款不能既写 `{word}` 又写 `valid until FIELD`")
            ),
        )
        .label(crate::tr!(
            "a carried record counts on its own",
            "顺延计入的记录单独计分"
        ))
        .help(crate::tr!(
            format!(
                "an uncorrected fault of an earlier year counts at its full value on this year's card, beside the year's own records: remove `{word}`"
            ),
            format!(
                "以前年度没整改的失信记录按原分值计入本年度，与本年度的记录并列计分：去掉 `{word}`"
            )
        )),
    );
}
