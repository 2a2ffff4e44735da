//! Hover: what a record kind, a field, a column, an item or a grade is, and what a rule belongs to
//! and can cost.

mod rules;
mod scores;

use crate::check::bounds::Bounds;
use crate::syntax::ast::{self, Ast, Decl, Span};

use super::document::Document;
use super::index::Symbol;
use rules::rule_in_item;
use scores::{item_said, scores};

/// The hover text (Markdown) and the span it is about.
pub fn hover(doc: &Document, offset: usize) -> Option<(String, Span)> {
    let ast = doc.ast.as_ref()?;
    let text = &doc.text;
    if let Some(o) = doc.index.as_ref().and_then(|i| i.at(offset)) {
        let said = symbol(ast, text, &o.symbol, doc.bounds.as_ref())?;
        return Some((said, o.span));
    }
    // Not on a name: the innermost declaration, band or rule around the cursor.
    if let Some(said) = super::ledger::hover(ast, offset) {
        return Some(said);
    }
    let inside = |s: Span| s.start <= offset && offset < s.end;
    for decl in &ast.decls {
        match decl {
            Decl::Record(r) if inside(*r.span) => {
                return Some((record(r, text), *r.span));
            }
            Decl::Rank(r) if inside(*r.span) => return Some((super::rank_hover::rank(r), *r.span)),
            Decl::Grades(g) => {
                if let Some(b) = g.bands.iter().find(|b| inside(*b.span)) {
                    return Some((band(b), *b.span));
                }
            }
            Decl::Section(s) => {
                if let Some(item) = s.items.iter().find(|i| inside(*i.span)) {
                    if let Some(rule) = item.rules.iter().find(|r| inside(*r.span)) {
                        let said = rule_in_item(rule, item, s)
                            + &scores(doc.bounds.as_ref(), &item.id.node);
                        return Some((said, *rule.span));
                    }
                    return Some((item_said(item, s, doc.bounds.as_ref()), *item.span));
                }
            }
            Decl::Adjustments(a) => {
                if let Some(rule) = a.rules.iter().find(|r| inside(*r.span)) {
                    let said = crate::tr!(
                        format!(
                            "**rule** {}\n\nin the adjustments `{}` “{}”: its points go to the monthly total, unclamped",
                            clause(rule),
                            a.id.node,
                            a.label.node
                        ),
                        format!(
                            "**条款** {}\n\n属于调整 `{}`“{}”：分数直接记入当月总分，不受项目分值限制",
                            clause(rule),
                            a.id.node,
                            a.label.node
                        )
                    );
                    return Some((said, *rule.span));
                }
            }
            _ => {}
        }
    }
    None
}

fn source(text: &str, span: Span) -> &str {
    text.get(span.start..span.end).unwrap_or("").trim()
}

fn clause(rule: &ast::Rule) -> String {
    match &rule.citation {
        Some(c) => format!("`[{}]`", c.node),
        None => crate::tr!("without a clause", "（没有条款号）").to_string(),
    }
}

fn symbol(ast: &Ast, text: &str, symbol: &Symbol, bounds: Option<&Bounds>) -> Option<String> {
    for decl in &ast.decls {
        match (decl, symbol) {
            (Decl::Record(r), Symbol::Kind(id)) if &r.id.node == id => {
                return Some(record(r, text));
            }
            (Decl::Record(r), Symbol::Field(kind, name)) if &r.id.node == kind => {
                return field(r, name, text);
            }
            (Decl::Roster(r), Symbol::Column(name)) => {
                let c = r.columns.iter().find(|c| &c.name.node == name)?;
                let c = source(text, *c.span);
                return Some(crate::tr!(
                    format!("**roster column** `{c}`"),
                    format!("**花名册列** `{c}`")
                ));
            }
            (Decl::Section(s), Symbol::Section(id)) if &s.id.node == id => {
                return Some(section(s));
            }
            (Decl::Section(s), Symbol::Item(id)) => {
                if let Some(item) = s.items.iter().find(|i| &i.id.node == id) {
                    return Some(item_said(item, s, bounds));
                }
            }
            (Decl::Adjustments(a), Symbol::Adjustments(id)) if &a.id.node == id => {
                return Some(adjustments(a));
            }
            (Decl::Cap(c), Symbol::Cap(id)) if &c.id.node == id => {
                let balance = ast
                    .decls
                    .iter()
                    .any(|d| matches!(d, Decl::Card(card) if card.balance));
                return Some(cap(c, balance));
            }
            (Decl::Once(o), Symbol::Once(id)) if &o.id.node == id => {
                return Some(once(o));
            }
            (Decl::Grades(g), Symbol::Grade(name)) => {
                if let Some(b) = g.bands.iter().find(|b| &b.name.node == name) {
                    return Some(band(b));
                }
            }
            _ => {}
        }
    }
    None
}

/// A record kind's field, named `name`; `None` when the kind has no such field.
fn field(r: &ast::RecordDecl, name: &str, text: &str) -> Option<String> {
    let f = r.fields.iter().find(|f| f.name.node == name)?;
    Some(crate::tr!(
        format!(
            "**field** `{}`\n\nof the record kind `{}` “{}”",
            source(text, *f.span),
            r.id.node,
            r.label.node
        ),
        format!(
            "**字段** `{}`\n\n属于记录类型 `{}`“{}”",
            source(text, *f.span),
            r.id.node,
            r.label.node
        )
    ))
}

fn section(s: &ast::SectionDecl) -> String {
    let items = crate::lang::counted(s.items.len(), "item", "个项目");
    crate::tr!(
        format!(
            "**section** `{}` “{}”\n\nbudget {} points, {items}",
            s.id.node, s.label.node, s.budget.node,
        ),
        format!(
            "**部分** `{}`“{}”\n\n分值 {} 分，{items}",
            s.id.node, s.label.node, s.budget.node,
        )
    )
}

fn adjustments(a: &ast::AdjustmentsDecl) -> String {
    let rules = crate::lang::counted(a.rules.len(), "rule", "条规则");
    crate::tr!(
        format!(
            "**adjustments** `{}` “{}”\n\n{rules}; their points go to the monthly total, unclamped",
            a.id.node, a.label.node,
        ),
        format!(
            "**调整** `{}`“{}”\n\n{rules}；分数直接记入当月总分，不受项目分值限制",
            a.id.node, a.label.node,
        )
    )
}

/// A cap: its limit over its period; on a balance card, a cap over a year counts the records
/// dated in one year.
fn cap(c: &ast::CapDecl, balance: bool) -> String {
    let period = c
        .period
        .as_ref()
        .map_or(crate::ops::Period::Month, |p| p.node);
    if balance && period == crate::ops::Period::Year {
        return crate::tr!(
            format!(
                "**cap** `{}` “{}”\n\nat most {} points from the records of one person dated in one year, shared by every rule that says `cap {}`; each entry keeps the part that fits, in date order, and counts while it is valid",
                c.id.node, c.label.node, c.limit.node, c.id.node
            ),
            format!(
                "**封顶** `{}`“{}”\n\n同一个人日期在同一年的记录最多 {} 分，写了 `cap {}` 的规则共用；按日期顺序，每笔只计封顶内的部分，在有效期内计入",
                c.id.node, c.label.node, c.limit.node, c.id.node
            )
        );
    }
    crate::tr!(
        format!(
            "**cap** `{}` “{}”\n\nat most {} points a {}, shared by every rule that says `cap {}`",
            c.id.node,
            c.label.node,
            c.limit.node,
            period.keyword(),
            c.id.node
        ),
        format!(
            "**封顶** `{}`“{}”\n\n每{}最多 {} 分，写了 `cap {}` 的规则共用",
            c.id.node,
            c.label.node,
            period.chinese(),
            c.limit.node,
            c.id.node
        )
    )
}

fn once(o: &ast::OnceDecl) -> String {
    let same = match &o.by {
        Some(f) if f.node == "date" => crate::tr!("on the same date", "同一天").to_string(),
        Some(f) => crate::tr!(
            format!("with the same `{}`", f.node),
            format!("`{}` 相同", f.node)
        ),
        None => String::new(),
    };
    let period = o
        .period
        .as_ref()
        .map_or(crate::ops::Period::Year, |p| p.node);
    let act = if same.is_empty() {
        crate::tr!(
            format!(
                "a subject's records in one {} are one act",
                period.keyword()
            ),
            format!("同一对象一{}内的记录算一件事", period.chinese())
        )
    } else {
        crate::tr!(
            format!(
                "records of one subject {same} in one {} are one act",
                period.keyword()
            ),
            crate::lang::spaced(&format!(
                "同一对象一{}内{same}的记录算一件事",
                period.chinese()
            ))
        )
    };
    crate::tr!(
        format!(
            "**once** `{}` “{}”\n\n{act}; it counts once across the rules that say `once {}`: the largest reward or the most severe deduction",
            o.id.node, o.label.node, o.id.node
        ),
        format!(
            "**只计一次** `{}`“{}”\n\n{act}；在写了 `once {}` 的规则里只算一次：取最高的加分或最重的扣分",
            o.id.node, o.label.node, o.id.node
        )
    )
}

fn record(r: &ast::RecordDecl, text: &str) -> String {
    let subjects: Vec<&str> = r.subjects.iter().map(|s| s.node.as_str()).collect();
    let mut out = crate::tr!(
        format!(
            "**record kind** `{}` “{}”\n\nby {}",
            r.id.node,
            r.label.node,
            subjects.join(" | ")
        ),
        format!(
            "**记录类型** `{}`“{}”\n\n记的是 {}",
            r.id.node,
            r.label.node,
            subjects.join(" | ")
        )
    );
    if r.fields.is_empty() {
        out.push_str(crate::tr!(
            "\n\nno fields besides the date and whom it names",
            "\n\n除了日期和记的是谁，没有别的字段"
        ));
    } else {
        out.push_str(crate::tr!("\n\nfields:", "\n\n字段："));
        for f in &r.fields {
            out.push_str(&format!("\n- `{}`", source(text, *f.span)));
        }
    }
    out.push_str(if r.not_scored {
        crate::tr!(
            "\n\nnot scored: its records are read and checked, never scored",
            "\n\n不计分：记录照样读取、检查，但不计分"
        )
    } else {
        crate::tr!("\n\nscored", "\n\n计分")
    });
    out
}

fn band(b: &ast::Band) -> String {
    let threshold = match &b.min {
        Some(min) if b.above => crate::tr!(
            format!("above {} points", min.node),
            format!("{} 分以上（不含）", min.node)
        ),
        Some(min) => crate::tr!(
            format!("from {} points", min.node),
            format!("{} 分及以上", min.node)
        ),
        None => crate::tr!("below every other band", "低于其他各等次").to_string(),
    };
    let consequence = match &b.text {
        Some(t) => format!("\n\n{}", t.node),
        None => String::new(),
    };
    crate::tr!(
        format!("**grade** `{}`: {threshold}{consequence}", b.name.node),
        format!("**等次** `{}`：{threshold}{consequence}", b.name.node)
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use lsp_types::Url;

    use super::*;
    use crate::lsp::document::Language;

    fn hover_at(text: &str, at: &str) -> String {
        let uri = Url::parse("file:///t/p.policy").unwrap();
        let doc = Document::new(&uri, Language::Policy, text.to_string(), None);
        let offset = text.find(at).unwrap_or_default() + 1;
        hover(&doc, offset)
            .map(|(said, _)| said)
            .unwrap_or_default()
    }

    const POLICY: &str = r#"policy "p" year 2020 total 100
card year

roster {
  role: a | b
}

record late "迟到" by person

section s "s" 100 {
  item first "first" 100 for role in {a} {
    [1] per late -5 cap 20 in year
  }
  item second "second" 100 for role in {b} {
    [2] per late -1
  }
}

grades {
  A >= 90
  B
}
"#;

    /// On a balance card a cap over a year counts the records dated in one year.
    #[test]
    fn a_cap_over_a_year_on_a_balance_card() {
        let text = std::fs::read_to_string("policies/wendeng-credit-2020.policy").unwrap();
        let said = hover_at(&text, "donations \"捐款\"");
        assert!(
            said.contains("at most 40 points from the records of one person dated in one year"),
            "{said}"
        );
    }

    /// On a card a year, an item some people do not have: its range on the card, and that.
    #[test]
    fn an_item_for_some_people_on_a_year_card() {
        let said = hover_at(POLICY, "first \"first\"");
        assert!(
            said.ends_with(
                "the item scores 80 to 100 on the year's card; only some people have it"
            ),
            "{said}"
        );
        let said = hover_at(POLICY, "[2]");
        assert!(
            said.ends_with("the item scores 0 to 100 on the year's card; only some people have it"),
            "{said}"
        );
    }
}
