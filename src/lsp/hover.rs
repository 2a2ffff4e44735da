//! Hover: what a record kind, a field, a column, an item or a grade is, and what a rule belongs to
//! and can cost.

use crate::check::bounds::{Bounds, End, Range};
use crate::syntax::ast::{self, Ast, Decl, Span};

use super::document::Document;
use super::index::Symbol;

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
fn scores(bounds: Option<&Bounds>, id: &str) -> String {
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

fn item_said(item: &ast::ItemDecl, section: &ast::SectionDecl, bounds: Option<&Bounds>) -> String {
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
    said + &scores(bounds, &item.id.node)
}

fn rule_in_item(rule: &ast::Rule, item: &ast::ItemDecl, section: &ast::SectionDecl) -> String {
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
