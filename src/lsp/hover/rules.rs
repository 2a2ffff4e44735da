//! Hover on a rule: the item it belongs to, its caps, how long its entries count (`valid …`) and
//! whether part of its points go past the item's budget.

use super::clause;
use crate::syntax::ast;

pub(super) fn rule_in_item(
    rule: &ast::Rule,
    item: &ast::ItemDecl,
    section: &ast::SectionDecl,
) -> String {
    let caps: Vec<String> = rule
        .modifiers
        .iter()
        .filter_map(|m| match m {
            ast::Modifier::Cap(c, period) => {
                let period = period
                    .as_ref()
                    .map_or(crate::ops::Period::Month, |p| p.node);
                Some(crate::tr!(
                    format!("at most {} points a {}", c.node, period.keyword()),
                    format!("每{}最多 {} 分", period.chinese(), c.node)
                ))
            }
            ast::Modifier::SharedCap(name) => Some(crate::tr!(
                format!("counts towards the cap `{}`", name.node),
                format!("计入封顶 `{}`", name.node)
            )),
            ast::Modifier::Valid(v) => Some(validity_words(v)),
            ast::Modifier::Repeat(n) => Some(crate::tr!(
                format!("a repeat within that time counts × {}", n.node),
                format!("这段时间内再犯，按 × {} 计", n.node)
            )),
            _ => None,
        })
        .collect();
    let effects: &[ast::Effect] = match &rule.body {
        ast::RuleBody::Per { effects, .. } | ast::RuleBody::When { effects, .. } => effects,
        ast::RuleBody::Base { .. } => &[],
    };
    let from_total = effects
        .iter()
        .any(|e| matches!(e, ast::Effect::Amount(a) if a.from_total));
    let mut out = crate::tr!(
        format!(
            "**rule** {}\n\nin the item `{}` “{}” (budget {} points, section `{}`)",
            clause(rule),
            item.id.node,
            item.label.node,
            item.budget.node,
            section.id.node
        ),
        format!(
            "**条款** {}\n\n属于项目 `{}`“{}”（分值 {} 分，部分 `{}`）",
            clause(rule),
            item.id.node,
            item.label.node,
            item.budget.node,
            section.id.node
        )
    );
    if !caps.is_empty() {
        out.push_str(&crate::tr!(
            format!("; {}", caps.join(", ")),
            format!("；{}", caps.join("，"))
        ));
    }
    if from_total {
        out.push_str(crate::tr!(
            "\n\npart of its points go to the monthly total, past the item's budget",
            "\n\n它的一部分分数越过项目分值，直接记入当月总分"
        ));
    }
    out
}

/// `valid …` in words: how long each entry of the rule counts.
fn validity_words(v: &ast::Validity) -> String {
    let how = match &v.durations {
        // A yearly card's carry (§31): the `until` field is the whole of it.
        ast::Durations::Unwritten => {
            let f = v.until.as_ref().map_or("", |f| f.node.as_str());
            return crate::tr!(
                format!(
                    "each entry counts in its year, and is carried into each later year until the year of its `{f}`"
                ),
                format!("每条记录计入当年；没整改的顺延到以后各年，直到 `{f}` 所在的年度")
            );
        }
        ast::Durations::Fixed(d) => crate::tr!(
            format!("each entry counts for {}", d.node),
            format!("每条记录有效期 {}", d.node)
        ),
        ast::Durations::Table {
            field: None,
            entries,
        } => crate::tr!(
            format!(
                "each entry counts by the size of its points ({})",
                table_words(entries)
            ),
            format!("每条记录按分数大小定有效期（{}）", table_words(entries))
        ),
        ast::Durations::Table {
            field: Some(f),
            entries,
        } => crate::tr!(
            format!(
                "each entry counts by its `{}` ({})",
                f.node,
                table_words(entries)
            ),
            format!(
                "每条记录按它的 `{}` 定有效期（{}）",
                f.node,
                table_words(entries)
            )
        ),
    };
    let how = match &v.since {
        Some(f) => crate::tr!(
            format!(
                "{how}, starting on its `{}` (no entry while that is empty)",
                f.node
            ),
            format!("{how}，从它的 `{}` 起算（这一栏空着时不计）", f.node)
        ),
        None => how,
    };
    let how = match &v.until {
        Some(f) => crate::tr!(
            format!(
                "{how}, and no longer from its `{}` when that is filled",
                f.node
            ),
            format!("{how}；填了 `{}` 的，从那一天起不再计", f.node)
        ),
        None => how,
    };
    match &v.from {
        Some(f) => crate::tr!(
            format!(
                "{how}, counted from its `{}` (and, while that is empty, as long as the fault continues)",
                f.node
            ),
            format!(
                "{how}，从它的 `{}` 算起（这一栏空着时，问题没整改就一直有效）",
                f.node
            )
        ),
        None => how,
    }
}

fn table_words(entries: &[ast::DurationEntry]) -> String {
    entries
        .iter()
        .map(|e| {
            let key = match &e.key.node {
                ast::TableKey::Else => "else".to_string(),
                ast::TableKey::Name(n) => n.clone(),
                ast::TableKey::Number(n) => n.to_string(),
                ast::TableKey::Bound(op, n) => format!("{} {n}", op.symbol()),
            };
            format!("{key}: {}", e.duration.node)
        })
        .collect::<Vec<_>>()
        .join(", ")
}
