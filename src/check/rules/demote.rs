//! Overrides. `demote to GRADE` (降级, 第十八条 7: 降级指标对应的扣分分值均按该等级最低分数计算): the
//! grade at most GRADE and the year's result at most the grade's lowest score, which only a band
//! written `NAME >= N` has. `freeze BLOCK` (第十七条): on a balance card, while the entry counts,
//! an adjustments block gives the person the record names nothing.

use super::*;

/// The effect of `demote to GRADE`, or `None` after reporting an unknown grade or one without a
/// lowest score.
pub(super) fn demote(cx: &mut Checker, grade: &ast::Name) -> Option<model::Effect> {
    let g = known_grade(cx, grade)?;
    let band = cx.grades.get(g)?;
    if let (Some(floor), false) = (band.min, band.above) {
        return Some(model::Effect::Demote { grade: g, floor });
    }
    let (why, why_zh) = match band.min {
        None => (
            "the last grade takes every lower score: it has no lowest score".to_string(),
            "最后一个等次包括所有更低的分数，没有最低分".to_string(),
        ),
        Some(n) => (
            format!(
                "`{} > {}` takes only scores above {}: it has no lowest score",
                band.name,
                n.normalize(),
                n.normalize()
            ),
            format!(
                "`{} > {}` 只包括高于 {} 的分数，没有最低分",
                band.name,
                n.normalize(),
                n.normalize()
            ),
        ),
    };
    let name = band.name.clone();
    let span = band.span;
    cx.push(
        Diag::error(
            Code::GradeWithoutFloor,
            grade.span,
            crate::tr!(
                format!("`demote to {name}` needs the lowest score of `{name}`, and {why}"),
                crate::lang::spaced(&format!("`demote to {name}` 要用到 `{name}` 的最低分，而{why_zh}"))
            ),
        )
        .label(crate::tr!("a grade without a lowest score", "没有最低分的等次"))
        .also(span, crate::tr!("the grade's band", "这个等次的分数段"))
        .help(crate::tr!(
            format!("to give the grade whatever the score, write `grade {name}`; to cap it, `grade at most {name}`; `demote to` takes a grade written `NAME >= N`"),
            format!("不论分数直接判级请写 `grade {name}`，只限定最高等次请写 `grade at most {name}`；`demote to` 只能用写成 `NAME >= N` 的等次")
        )),
    );
    None
}

/// `freeze BLOCK`: an adjustments block, on a `per` rule of a balance card.
pub(super) fn freeze(
    cx: &mut Checker,
    block: &ast::Name,
    span: Span,
    per: bool,
) -> Option<model::Effect> {
    let Some(b) = cx.blocks.iter().position(|b| *b == block.node) else {
        let names = cx.blocks.clone();
        let help =
            did_you_mean(&block.node, names.iter().map(String::as_str)).unwrap_or_else(|| {
                crate::tr!(
                    format!("the adjustments blocks are {}", list_names(&names)),
                    format!("奖惩块有 {}", list_names(&names))
                )
            });
        cx.push(
            Diag::error(
                Code::UnknownBlock,
                block.span,
                crate::tr!(
                    format!("no adjustments block `{}`", block.node),
                    format!("没有 `{}` 这个奖惩块", block.node)
                ),
            )
            .label(crate::tr!("the block to freeze", "要冻结的奖惩块"))
            .help(help)
            .fix(
                block.span,
                crate::diag::closest(&block.node, names.iter().map(String::as_str)),
            ),
        );
        return None;
    };
    let why = if !cx.balance {
        Some(crate::tr!(
            "`freeze` needs a balance card: it holds a block back on the days its entry counts",
            "`freeze` 只能用于按余额记分：它在这条记录有效的日子里冻结一个奖惩块"
        ))
    } else if !per {
        Some(crate::tr!(
            "`freeze` belongs on a `per` rule: the record it reads says whom it freezes and from when",
            "`freeze` 只能写在 `per` 条款里：由记录说明冻结谁、从哪天起"
        ))
    } else {
        None
    };
    if let Some(why) = why {
        cx.push(
            Diag::error(Code::Misplaced, span, why)
                .label(crate::tr!("freezes a block", "冻结奖惩块"))
                .help(crate::tr!(
                    "write `card balance` after the `policy` line, and `per KIND freeze BLOCK valid DURATION until FIELD`",
                    "在 `policy` 那一行后面写 `card balance`，再写 `per KIND freeze BLOCK valid DURATION until FIELD`"
                )),
        );
        return None;
    }
    Some(model::Effect::Freeze(b))
}

/// A rule that freezes a block reads records that name a person: the one it freezes.
pub(super) fn freeze_by_person(
    cx: &mut Checker,
    rule: &ast::Rule,
    kinds: &[model::KindId],
    effects: &[model::Effect],
) {
    if !effects
        .iter()
        .any(|e| matches!(e, model::Effect::Freeze(_)))
    {
        return;
    }
    let Some(&k) = kinds.iter().find(|&&k| {
        let s = &cx.kinds[k].subjects;
        !s.person || s.department || s.town
    }) else {
        return;
    };
    let kind = cx.kinds[k].id.clone();
    cx.push(
        Diag::error(
            Code::Misplaced,
            rule.span,
            crate::tr!(
                format!("`freeze` reads `{kind}`, whose records need not name one person"),
                format!("`freeze` 读的 `{kind}` 记录不一定指向一个人")
            ),
        )
        .label(crate::tr!(
            "freezes the person a record names",
            "冻结记录所指的那个人"
        ))
        .help(crate::tr!(
            format!("declare `{kind}` `by person`: the person whose bonuses are frozen"),
            format!("把 `{kind}` 声明为 `by person`：被冻结加分的就是这个人")
        )),
    );
}
