//! Hover on an item: what it is, and what it can score in a month, a quarter or the year, from
//! `tally check --bounds`.

use crate::check::bounds::{Bounds, End, Range};
use crate::syntax::ast;

fn end(e: &End) -> String {
    match e {
        End::At(x) => x.display_places(0),
        End::Open(_) => crate::tr!("unbounded", "无界").to_string(),
    }
}

fn range(r: &Range) -> String {
    crate::tr!(
        format!("{} to {}", end(&r.lo), end(&r.hi)),
        format!("{} 到 {}", end(&r.lo), end(&r.hi))
    )
}

/// What the item can score, from `tally check --bounds`; nothing when the policy has errors. An
/// item is held to `0..budget`, so both ends are numbers.
pub(super) fn scores(bounds: Option<&Bounds>, id: &str) -> String {
    let Some(row) = bounds.and_then(|b| b.item(id)) else {
        return String::new();
    };
    let balance = bounds.is_some_and(|b| b.balance);
    let quarterly = bounds.is_some_and(|b| b.card == crate::ops::Period::Quarter);
    let mut out = match &row.scores.month {
        Some(quarter) if quarterly => crate::tr!(
            format!(
                "\n\nthe item scores {} in a quarter, {} in the year (the four quarters added up)",
                range(quarter),
                range(&row.scores.year)
            ),
            format!(
                "\n\n这个项目每季度得分 {}，全年得分 {}（四个季度相加）",
                range(quarter),
                range(&row.scores.year)
            )
        ),
        _ if balance => crate::tr!(
            format!(
                "\n\nthe item reads {} on any day of the balance card",
                range(&row.scores.year)
            ),
            format!(
                "\n\n这个项目在积分卡上任何一天的分是 {}",
                range(&row.scores.year)
            )
        ),
        Some(month) => crate::tr!(
            format!(
                "\n\nthe item scores {} in a month, {} in the year (the twelve months added up)",
                range(month),
                range(&row.scores.year)
            ),
            format!(
                "\n\n这个项目每月得分 {}，全年得分 {}（十二个月相加）",
                range(month),
                range(&row.scores.year)
            )
        ),
        None => crate::tr!(
            format!(
                "\n\nthe item scores {} on the year's card",
                range(&row.scores.year)
            ),
            format!("\n\n这个项目在年度考核卡上得分 {}", range(&row.scores.year))
        ),
    };
    if !row.everybody {
        out.push_str(crate::tr!(
            "; only some people have it",
            "；只有部分人员有这个项目"
        ));
    }
    out
}

pub(super) fn item_said(
    item: &ast::ItemDecl,
    section: &ast::SectionDecl,
    bounds: Option<&Bounds>,
) -> String {
    let rules = crate::lang::counted(item.rules.len(), "rule", "条规则");
    let said = crate::tr!(
        format!(
            "**item** `{}` “{}”\n\nbudget {} points, in the section `{}` “{}”; {rules}",
            item.id.node, item.label.node, item.budget.node, section.id.node, section.label.node,
        ),
        format!(
            "**项目** `{}`“{}”\n\n分值 {} 分，属于 `{}`“{}”；{rules}",
            item.id.node, item.label.node, item.budget.node, section.id.node, section.label.node,
        )
    );
    said + &crate::lsp::relative_hover::scaled(item) + &scores(bounds, &item.id.node)
}
