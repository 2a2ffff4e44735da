//! Hover on an item scaled to its group's best (§32): what its score is.

use crate::syntax::ast;

/// "then scaled: its own value ÷ the best own value in its `department` on the same card × 600";
/// nothing for an item that is not scaled.
pub(super) fn scaled(item: &ast::ItemDecl) -> String {
    let Some(s) = &item.scaled else {
        return String::new();
    };
    let names: Vec<&str> = s.of.iter().map(|n| n.node.as_str()).collect();
    let (group, group_zh) = if names.is_empty() {
        ("among everybody".to_string(), "全体人员中".to_string())
    } else {
        let names = names.join("`, `");
        (format!("in its `{names}`"), format!("所在 `{names}` 中"))
    };
    let budget = item.budget.node;
    crate::tr!(
        format!(
            "\n\nscaled: its own value (base and points, not clamped) ÷ the best own value {group} on the same card × {budget}, then held to 0..{budget}"
        ),
        format!(
            "\n\n折算：本人的值（基础分加得分，不封顶保底）÷ 同一期{group_zh}的最高值 × {budget}，再限定在 0..{budget}"
        )
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use crate::diag::Source;
    use crate::syntax::ast::Decl;

    fn said(header: &str) -> String {
        let text = format!(
            "policy \"p\" year 2020 total 600\nannual = sum(months) / 12\nsection s \"s\" 600 {{\n  {header} {{\n  }}\n}}\ngrades {{\n  好\n}}\n"
        );
        let ast = crate::syntax::parse(&Source::new("p.policy", text)).unwrap();
        let item = ast
            .decls
            .iter()
            .find_map(|d| match d {
                Decl::Section(s) => s.items.first().cloned(),
                _ => None,
            })
            .unwrap();
        super::scaled(&item)
    }

    #[test]
    fn the_hover_says_how_a_scaled_item_scores() {
        let two = said("item i \"实绩\" 600 scaled of department, category");
        assert!(
            two.contains(
                "÷ the best own value in its `department`, `category` on the same card × 600"
            ) || two.contains("同一期所在 `department`, `category` 中的最高值 × 600"),
            "{two}"
        );
        let everybody = said("item i \"实绩\" 600 scaled");
        assert!(
            everybody.contains("among everybody") || everybody.contains("全体人员中"),
            "{everybody}"
        );
        assert_eq!(said("item i \"实绩\" 600"), "");
    }
}
