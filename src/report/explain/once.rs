//! Overrides in words. Why a `once` act kept its record: a direct grade (`grade D`) counts before
//! any amount, the lowest grade first (第十八条 2, 按直接判级或最高减分计算); else the largest amount
//! by size. And a score set by a demotion (`demote to C`).

use crate::check::Policy;
use crate::check::model::{Effect, RuleBody};
use crate::eval::plan::flat_rules;

/// The direct grade rule `r` (a flat rule index) sets: its name and index, the lowest if several.
pub(super) fn direct_grade(policy: &Policy, r: usize) -> Option<(usize, String)> {
    let (rules, _) = flat_rules(policy);
    let RuleBody::Per { effects, .. } = &rules.get(r)?.rule.body else {
        return None;
    };
    let g = effects.iter().filter_map(Effect::direct_grade).max()?;
    Some((g, policy.grades.get(g)?.name.clone()))
}

/// What a dropped record of rule `dropped` would have given, in words, when it is a direct grade
/// with no points (``grade C``); `None` for a record of points.
pub(super) fn dropped_grade(
    policy: &Policy,
    dropped: &crate::exact::Exact,
    r: usize,
) -> Option<String> {
    if !dropped.is_zero() {
        return None;
    }
    let (_, name) = direct_grade(policy, r)?;
    Some(crate::tr!(
        format!("grade {name}"),
        format!("直接判为 {name}")
    ))
}

/// Why the winner's record counts rather than the dropped one's, when a direct grade decided it:
/// `; a direct grade counts before any amount`, or `; the lower direct grade counts`; empty when
/// amounts were compared.
pub(super) fn why(policy: &Policy, dropped: usize, winner: usize) -> String {
    let Some((w, name)) = direct_grade(policy, winner) else {
        return String::new();
    };
    match direct_grade(policy, dropped) {
        Some((d, _)) if d < w => crate::tr!(
            format!(": grade {name} is the lower direct grade"),
            format!("：直接判为 {name} 的等级更低")
        ),
        Some(_) => crate::tr!(
            format!(": the same direct grade {name}, the earlier record"),
            format!("：同为直接判为 {name}，以在先的记录为准")
        ),
        None => crate::tr!(
            format!(": its direct grade {name} counts before any amount"),
            format!("：直接判为 {name}，先于任何分值")
        ),
    }
}

/// After a score set for the year: `, the lowest score of C (demote to C)` when rule `r` (a flat
/// rule index) set it by a demotion, else empty.
pub(super) fn demotion(policy: &Policy, r: Option<usize>) -> String {
    let (rules, _) = flat_rules(policy);
    let Some(rule) = r.and_then(|r| rules.get(r)) else {
        return String::new();
    };
    let (RuleBody::Per { effects, .. } | RuleBody::When { effects, .. }) = &rule.rule.body;
    let Some(name) = effects.iter().find_map(|e| match e {
        Effect::Demote { grade, .. } => policy.grades.get(*grade).map(|g| g.name.as_str()),
        _ => None,
    }) else {
        return String::new();
    };
    crate::tr!(
        format!(", the lowest score of {name} (demote to {name})"),
        format!("，即 {name} 的最低分（降为 {name}）")
    )
}

/// After an entry's window: `, ended by `repaired` 2020-06-30` when its `until FIELD` cut it short
/// (a fault corrected, a direct grade repaired), else empty.
pub(super) fn ended(policy: &Policy, w: &crate::eval::EntryWindow) -> String {
    let Some(day) = w.ended else {
        return String::new();
    };
    let (rules, _) = flat_rules(policy);
    let field = rules.get(w.rule).and_then(|rr| match &rr.rule.body {
        RuleBody::Per {
            events, validity, ..
        } => {
            let f = validity.as_ref()?.until?;
            let kind = policy.kinds.get(events.first()?.kind)?;
            Some(kind.fields.get(f)?.name.clone())
        }
        RuleBody::When { .. } => None,
    });
    let field = field.unwrap_or_default();
    crate::tr!(
        format!(", ended by `{field}` {day}"),
        format!("，因 `{field}` {day} 而终止")
    )
}
