//! Hovers on ledgers (§30 of the reference): a `ledger` declaration, a `derive`, and a section
//! booked in a ledger (`in money`) say what they book and where it shows.

use crate::syntax::ast::{Ast, Decl, Span};

/// What the ledger declaration, derived value or ledger's section around `offset` is.
pub(super) fn hover(ast: &Ast, offset: usize) -> Option<(String, Span)> {
    let inside = |s: Span| s.start <= offset && offset < s.end;
    let unit = |id: &str| {
        ast.decls.iter().find_map(|d| match d {
            Decl::Ledger(l) if l.id.node == id => Some(l.unit.node.clone()),
            _ => None,
        })
    };
    for decl in &ast.decls {
        match decl {
            Decl::Ledger(l) if inside(*l.span) => {
                let said = crate::tr!(
                    format!(
                        "**ledger** `{}` in {}\n\nbeside the points, never added to them: a column of its own on every card; the year is the sum of the cards",
                        l.id.node, l.unit.node
                    ),
                    format!(
                        "**分账** `{}`，单位 {}\n\n与分数并列，从不计入分数：每张卡上单独一列；全年为各卡之和",
                        l.id.node, l.unit.node
                    )
                );
                return Some((said, *l.span));
            }
            Decl::Derive(d) if inside(*d.span) => {
                let u = unit(&d.ledger.node).unwrap_or_default();
                let said = crate::tr!(
                    format!(
                        "**derived value** `{}` “{}”\n\nbooked in the ledger `{}` ({u}) on every card, from the card's points total",
                        d.id.node, d.label.node, d.ledger.node
                    ),
                    format!(
                        "**派生值** `{}`“{}”\n\n每张卡按当卡总分算出，记入分账 `{}`（{u}）",
                        d.id.node, d.label.node, d.ledger.node
                    )
                );
                return Some((said, *d.span));
            }
            Decl::Section(s) if inside(*s.span) => {
                let l = s.ledger.as_ref()?;
                // Only on the section's header: its items have hovers of their own.
                if s.items.iter().any(|i| inside(*i.span)) {
                    return None;
                }
                let u = unit(&l.node).unwrap_or_default();
                let said = crate::tr!(
                    format!(
                        "**section** `{}` “{}”, booked in the ledger `{}` ({u})\n\nits items are clamped to 0..budget as always, but are not in the points total",
                        s.id.node, s.label.node, l.node
                    ),
                    format!(
                        "**板块** `{}`“{}”，记入分账 `{}`（{u}）\n\n各项目照常限定在 0 到分值之间，但不计入分数总分",
                        s.id.node, s.label.node, l.node
                    )
                );
                return Some((said, *s.span));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use lsp_types::Url;

    use crate::lsp::document::{Document, Language};
    use crate::lsp::hover::hover;

    const POLICY: &str = r#"policy "p" year 2020 total 100
annual = sum(months) / 12
ledger money "元"
record late "迟到" by person
section s "s" 100 { item i "i" 100 { per late -1 } }
section bonus "全勤奖" 300 in money { item f "全勤奖" 300 { per late -1 } }
derive pay "绩效工资" in money = 3000 - 5 * money(max(0, 90 - total))
grades { 合格 >= 60
 不合格 }
"#;

    fn hover_at(at: &str, plus: usize) -> String {
        let uri = Url::parse("file:///t/p.policy").unwrap();
        let doc = Document::new(&uri, Language::Policy, POLICY.to_string(), None);
        let offset = POLICY.find(at).unwrap() + plus;
        hover(&doc, offset)
            .map(|(said, _)| said)
            .unwrap_or_default()
    }

    #[test]
    fn a_ledger_a_derived_value_and_a_booked_section_say_what_they_book() {
        assert!(hover_at("ledger money", 1).contains("**ledger** `money` in 元"));
        assert!(hover_at("derive pay", 1).contains("booked in the ledger `money` (元)"));
        assert!(hover_at("300 in money", 5).contains("booked in the ledger `money` (元)"));
        // A section of points says nothing of ledgers; an item keeps its own hover.
        assert!(!hover_at("100 { item", 0).contains("ledger"));
        assert!(!hover_at("per late -1 } }\nderive", 0).contains("booked in the ledger"));
    }
}
