//! Hover on a `rank` declaration: whom it ranks, by what, and what a place gives.

use crate::syntax::ast;

/// `rank standing "村内名次" of village`: whom it ranks, by what, and what a place gives.
pub(super) fn rank(r: &ast::RankDecl) -> String {
    let of = r.of.as_ref().map(|first| {
        std::iter::once(first)
            .chain(&r.also)
            .map(|n| n.node.as_str())
            .collect::<Vec<_>>()
            .join("`, `")
    });
    let by =
        r.by.as_ref()
            .map(crate::fmt::expr_text)
            .map_or_else(String::new, |e| {
                let (order, order_zh) = if r.lowest {
                    ("lowest", "从低到高")
                } else {
                    ("highest", "从高到低")
                };
                crate::tr!(
                    format!("\n\nranked by `{e}`, {order} first, instead of the published result"),
                    format!("\n\n按 `{e}` {order_zh}排名，而不是按公布得分")
                )
            });
    let gives = match r.gives.as_ref().map(|g| &g.node) {
        None => String::new(),
        Some(ast::RankGives::Scaled(n)) => crate::tr!(
            format!(
                "\n\nthen each result becomes result ÷ the group's best × {}, published and graded again",
                n.node
            ),
            format!(
                "\n\n然后每人的结果折算为 得分 ÷ 组内最高分 × {}，重新公布、评定等次",
                n.node
            )
        ),
        Some(ast::RankGives::Points { .. }) => crate::tr!(
            "\n\nthen each place's points are added to the result, published and graded again",
            "\n\n然后按名次加减分，重新公布、评定等次"
        )
        .to_string(),
    };
    let said = crate::tr!(
        format!(
            "**rank** `{}` “{}”\n\neach person's place by published result {}, once every result is published; equal results share a place (1, 2, 2, 4); people not evaluated this year are not ranked",
            r.id.node,
            r.label.node,
            of.map_or_else(
                || "among everybody".to_string(),
                |g| format!("within each `{g}`")
            )
        ),
        format!(
            "**排名** `{}`“{}”\n\n全部结果公布后，{}按公布得分排出名次；得分相同名次相同（1、2、2、4）；本年度不参加评价的人不排名",
            r.id.node,
            r.label.node,
            of.map_or_else(
                || "在全体人员中".to_string(),
                |g| format!("在每个 `{g}` 内")
            )
        )
    );
    said + &by + &gives
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use lsp_types::Url;

    use crate::lsp::document::{Document, Language};
    use crate::lsp::hover::hover;

    fn hover_at(text: &str, at: &str) -> String {
        let uri = Url::parse("file:///t/p.policy").unwrap();
        let doc = Document::new(&uri, Language::Policy, text.to_string(), None);
        let offset = text.find(at).unwrap_or_default() + 1;
        hover(&doc, offset)
            .map(|(said, _)| said)
            .unwrap_or_default()
    }

    /// A role or a group named as a target is its roster column.
    #[test]
    fn a_role_target_is_its_roster_column() {
        let text = std::fs::read_to_string("tests/fixtures/roles/village.policy").unwrap();
        let said = hover_at(&text, "secretary of village");
        assert_eq!(said, "**roster column** `secretary: bool`");
        let said = hover_at(&text, "village\n  [6] per unit_fault");
        assert_eq!(said, "**roster column** `village: group`");
    }

    /// A rank says whom it ranks, by what, and what a place gives.
    #[test]
    fn a_rank_says_what_it_ranks_by_and_gives() {
        let text = std::fs::read_to_string("tests/fixtures/ranks/ranks.policy").unwrap();
        let said = hover_at(&text, "rank rated");
        assert!(said.starts_with("**rank** `rated` “评议排名”"), "{said}");
        assert!(
            said.ends_with("ranked by `mean(rating.place) in year`, lowest first, instead of the published result"),
            "{said}"
        );
        let text = text.replace(
            "rank town \"全镇排名\"",
            "rank town \"全镇排名\" scaled 600",
        );
        let said = hover_at(&text, "rank town");
        assert!(
            said.ends_with("then each result becomes result ÷ the group's best × 600, published and graded again"),
            "{said}"
        );
    }
}
