//! `demote to GRADE` (降级, 第十八条 7: 降级指标对应的扣分分值均按该等级最低分数计算): the grade at most
//! GRADE and the year's result at most the grade's lowest score, which only a band written
//! `NAME >= N` has.

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
