//! A rule's effects: points, `zero`, `flag`, `exclude` and `grade`.

use super::*;

// Long on purpose: one arm per kind of effect, each a few lines.
pub(super) fn check_effects(
    cx: &mut Checker,
    effects: &[ast::Effect],
    place: Place,
    scope: &Scope,
    per: bool,
) -> Vec<model::Effect> {
    let mut out = Vec::new();
    for effect in effects {
        match effect {
            ast::Effect::Zero(span) => {
                if matches!(place, Place::Adjustments) {
                    cx.push(
                        Diag::error(Code::Misplaced, *span, crate::tr!(
                            "`zero` belongs inside an item",
                            "`zero` 只能写在项目里面"
                        ))
                            .label(crate::tr!("no item to zero here", "这里没有项目可以清零"))
                            .help(crate::tr!(
                                "`zero` sets the item's score to 0; in an adjustments block take points instead, like `-100`",
                                "`zero` 把项目得分清零；奖惩块里请改成扣分，比如 `-100`"
                            )),
                    );
                    continue;
                }
                out.push(model::Effect::Zero);
            }
            ast::Effect::Flag(text) => {
                let empty = crate::tr!(
                    (
                        "a flag with an empty text",
                        "write the consequence the regulation names, like `flag \"予辞退\"`; it is printed beside the person's result"
                    ),
                    (
                        "备注的文字是空的",
                        "写上制度规定的处理，比如 `flag \"予辞退\"`；它会作为备注印在这个人的结果旁边"
                    )
                );
                let what = crate::tr!("the flag's text", "备注的文字");
                if let Some(text) = effect_text(cx, text, empty, what) {
                    out.push(model::Effect::Flag(text));
                }
            }
            ast::Effect::Exclude(text) => {
                let empty = crate::tr!(
                    (
                        "an exclusion with an empty reason",
                        "write why the person is not evaluated, like `exclude \"在校学生\"`; it is printed beside the person's year"
                    ),
                    (
                        "取消资格没有写理由",
                        "写明这个人为什么不参加考核，比如 `exclude \"在校学生\"`；它会印在这个人的年度结果旁边"
                    )
                );
                let what = crate::tr!("the exclusion's reason", "取消资格的理由");
                if let Some(text) = effect_text(cx, text, empty, what) {
                    out.push(model::Effect::Exclude(text));
                }
            }
            ast::Effect::GradeCap { grade, .. } => {
                if let Some(g) = known_grade(cx, grade) {
                    out.push(model::Effect::GradeCap(g));
                }
            }
            ast::Effect::SetGrade { grade, .. } => {
                if let Some(g) = known_grade(cx, grade) {
                    out.push(model::Effect::SetGrade(g));
                }
            }
            // The grammar takes no sign: a score set is never below 0. It is published like any
            // result, so it must fit the policy's `round`.
            ast::Effect::SetScore(n) => {
                let (places, mode) = cx.publication;
                if crate::exact::Exact::from_decimal(n.node)
                    .round(places, mode)
                    .is_none()
                {
                    cx.push(
                        Diag::error(
                            Code::TooLarge,
                            n.span,
                            crate::tr!("a score too large to publish", "分数太大，无法公布"),
                        )
                        .label(crate::tr!(
                            format!("cannot be published with {places} decimals"),
                            format!("保留 {places} 位小数无法公布")
                        ))
                        .help(crate::tr!(
                            "write the result the regulation sets, like `score 0`",
                            "写上制度规定的结果，比如 `score 0`"
                        )),
                    );
                } else {
                    out.push(model::Effect::SetScore(n.node));
                }
            }
            ast::Effect::Freeze { block, span } => {
                if let Some(e) = super::demote::freeze(cx, block, **span, per) {
                    out.push(e);
                }
            }
            ast::Effect::Demote { grade, .. } => {
                if let Some(e) = super::demote::demote(cx, grade) {
                    out.push(e);
                }
            }
            ast::Effect::Amount(a) => {
                if let Some(e) = amount(cx, a, scope, per) {
                    out.push(e);
                }
            }
        }
    }
    out
}

/// The text of a `flag` or `exclude` effect; `None` after reporting an empty one (`empty` is the
/// message and the help). A character nobody can see is reported as well (`what` names the text).
fn effect_text(
    cx: &mut Checker,
    text: &ast::Spanned<String>,
    (message, help): (&str, &str),
    what: &str,
) -> Option<String> {
    if crate::check::decls::blank(&text.node) {
        cx.push(
            Diag::error(Code::EmptyLabel, text.span, message)
                .label(crate::tr!("no text here", "这里没有文字"))
                .help(help),
        );
        return None;
    }
    crate::check::decls::hidden_characters(cx, text, what);
    Some(text.node.clone())
}

/// The grade a `grade …` effect names; `None` after reporting one the `grades` block lacks.
pub(super) fn known_grade(cx: &mut Checker, grade: &ast::Name) -> Option<model::GradeId> {
    if let Some(g) = cx.grade(&grade.node) {
        return Some(g);
    }
    let names: Vec<String> = cx.grades.iter().map(|g| g.name.clone()).collect();
    let help = did_you_mean(&grade.node, names.iter().map(String::as_str)).unwrap_or_else(|| {
        crate::tr!(
            format!("the grades are {}", list_names(&names)),
            format!("等次有 {}", list_names(&names))
        )
    });
    cx.push(
        Diag::error(
            Code::UnknownGrade,
            grade.span,
            crate::tr!(
                format!("unknown grade `{}`", grade.node),
                format!("没有 `{}` 这个等次", grade.node)
            ),
        )
        .label(crate::tr!(
            "not in the `grades` block",
            "不在 `grades` 这一块里"
        ))
        .help(help)
        .fix(
            grade.span,
            crate::diag::closest(&grade.node, names.iter().map(String::as_str)),
        ),
    );
    None
}
