#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::syntax::ast::{Decl, Effect, ExprKind, RuleBody};
use rust_decimal::Decimal;

const DASHUIPO: &str = include_str!("../../policies/dashuipo-2020.policy");

const HEADER: &str = "policy \"p\" year 2020 total 100\n";

fn fmt(text: &str) -> String {
    match format(&Source::new("t.policy", text)) {
        Ok(out) => out,
        Err(e) => panic!("{e:?}\n{text}"),
    }
}

fn parse(text: &str) -> Ast {
    syntax::parse(&Source::new("t.policy", text)).unwrap()
}

/// A policy whose one item holds `rules` (each line as given).
fn with_rules(rules: &str) -> String {
    format!("{HEADER}section s \"S\" 100 {{\n  item i \"I\" 100 {{\n{rules}\n  }}\n}}\n")
}

#[test]
fn the_safety_net_passes_a_faithful_text() {
    let ast = parse(DASHUIPO);
    assert_eq!(verify(&ast, &layout(&ast, DASHUIPO)), Ok(()));
}

#[test]
fn the_safety_net_catches_a_changed_rule() {
    let ast = parse(DASHUIPO);
    let text = layout(&ast, DASHUIPO);
    let mut changed = ast.clone();
    let rule = changed
        .decls
        .iter_mut()
        .find_map(|d| match d {
            Decl::Section(s) => s.items.first_mut().and_then(|i| i.rules.first_mut()),
            _ => None,
        })
        .unwrap();
    let RuleBody::Per { effects, .. } = &mut rule.body else {
        panic!("the first rule is a per rule")
    };
    let Effect::Amount(amount) = &mut effects[0] else {
        panic!("the first effect is an amount")
    };
    amount.value.kind = ExprKind::Number(Decimal::from(6));
    let err = verify(&changed, &text).unwrap_err();
    assert!(err.contains("declaration"), "{err}");
}

#[test]
fn the_safety_net_catches_a_lost_or_changed_comment() {
    let ast = parse(DASHUIPO);
    let text = layout(&ast, DASHUIPO);
    let dropped = text.replacen("# 每缺岗一次扣十分\n", "", 1);
    assert_ne!(dropped, text);
    let err = verify(&ast, &dropped).unwrap_err();
    assert!(err.contains("comment") && err.contains("before"), "{err}");
    let edited = text.replacen("# 每缺岗一次扣十分", "# 每缺岗一次扣五分", 1);
    assert!(verify(&ast, &edited).unwrap_err().contains("comment"));
    let broken = text.replacen("round 2 half-up", "round 2 half-way", 1);
    assert_eq!(
        verify(&ast, &broken).unwrap_err(),
        "the formatted text does not parse"
    );
}

#[test]
fn a_syntax_error_gives_the_diagnostics() {
    let Err(FmtError::Syntax(diags)) = format(&Source::new("t", "policy \"p\" year")) else {
        panic!("a syntax error expected")
    };
    assert!(!diags.is_empty());
}

#[test]
fn spacing_is_canonical() {
    let text = "\u{FEFF}policy   \"p\"\tyear 2020\r\ntotal 100\r\nannual=sum(months)/12\r\nround 2   half-up";
    assert_eq!(
        fmt(text),
        "policy \"p\" year 2020 total 100\nannual = sum(months) / 12\nround 2 half-up\n"
    );
}

#[test]
fn texts_are_escaped_again() {
    let out = fmt("policy \"a \\\"b\\\" \\\\ \\q\ttab\" year 2020 total 100");
    assert_eq!(
        out,
        "policy \"a \\\"b\\\" \\\\ q\\ttab\" year 2020 total 100\n"
    );
}

#[test]
fn records_stay_inline_only_when_written_on_one_line_and_fitting() {
    let text = format!(
        "{HEADER}record a \"A\" by person {{ x: days, y: a | b optional }}\n\
         record b \"B\" by person | department {{ x: whole days >= 1\n y: number 0..100 }} not scored\n\
         record c \"C\" by person {{ }}\n"
    );
    assert_eq!(
        fmt(&text),
        format!(
            "{HEADER}record a \"A\" by person {{ x: days, y: a | b optional }}\n\
             record b \"B\" by person | department {{\n  x: whole days >= 1\n  y: number 0..100\n}} not scored\n\
             record c \"C\" by person\n"
        )
    );
}

#[test]
fn the_colon_after_per_only_before_a_filter() {
    let out = fmt(&with_rules(
        "[1] per late: -5\n[2] per late where x=1 :-5 to head,-2\n[3] when a>1:zero cap 5 highest per x",
    ));
    assert!(out.contains("    [1] per late -5\n"), "{out}");
    assert!(
        out.contains("    [2] per late where x = 1: -5 to head, -2\n"),
        "{out}"
    );
    assert!(
        out.contains("    [3] when a > 1: zero cap 5 highest per x\n"),
        "{out}"
    );
}

#[test]
fn a_comment_inside_a_rule_goes_to_its_end_and_the_rest_after_it() {
    let out = fmt(&with_rules(
        "    [1] per late # one\n    # two\n      -5 # three\n    [2] per x -1",
    ));
    assert!(
        out.contains("    [1] per late -5  # one\n    # two\n    # three\n    [2] per x -1\n"),
        "{out}"
    );
}

#[test]
fn comments_before_a_closing_brace_and_at_the_end() {
    let out = fmt(&format!(
        "{HEADER}section s \"S\" 100 {{ item i \"I\" 100 {{\n[1] per x -1\n# last rule\n}}\n# after item\n}} # closing\n\n\n# the end\n"
    ));
    assert_eq!(
        out,
        format!(
            "{HEADER}\nsection s \"S\" 100 {{\n  item i \"I\" 100 {{\n    [1] per x -1\n    # last rule\n  }}\n  # after item\n}}  # closing\n\n# the end\n"
        )
    );
}

#[test]
fn blank_lines_kept_once_never_after_an_opening_or_before_a_closing_brace() {
    let out = fmt(&format!(
        "{HEADER}\n\n\nsection s \"S\" 100 {{\n\n  item a \"A\" 50 {{\n\n  }}\n\n\n  item b \"B\" 50 {{\n  }}\n\n}}\nround 2 up\n"
    ));
    assert_eq!(
        out,
        format!(
            "{HEADER}\nsection s \"S\" 100 {{\n  item a \"A\" 50 {{\n  }}\n\n  item b \"B\" 50 {{\n  }}\n}}\n\nround 2 up\n"
        )
    );
}

#[test]
fn a_block_is_set_off_before_the_comments_that_lead_into_it() {
    let out = fmt(&format!(
        "{HEADER}# the grades\ngrades {{ A >= 1 \"a\", B }}\n"
    ));
    assert_eq!(
        out,
        format!("{HEADER}\n# the grades\ngrades {{\n  A >= 1 \"a\"\n  B\n}}\n")
    );
}

#[test]
fn a_long_rule_breaks_at_its_outermost_operators() {
    let cond = (1..=6)
        .map(|i| format!("sum(kind_{i}.days) in year > {i}0"))
        .collect::<Vec<_>>()
        .join(" or ");
    let out = fmt(&with_rules(&format!("[1] when {cond}: -20")));
    let expected =
        "    [1] when sum(kind_1.days) in year > 10\n        or sum(kind_2.days) in year > 20\n";
    assert!(out.contains(expected), "{out}");
    assert_eq!(fmt(&out), out);
}

#[test]
fn inside_brackets_the_operand_lines_up_after_the_bracket() {
    let long = "[2.2] base 200 * (0.5 * mean(peer_rating.score where rater = leader) in year + 0.5 * mean(peer_rating.score where rater = staff) in year) / 100";
    let out = fmt(&with_rules(long));
    assert!(
        out.contains(
            "    [2.2] base 200 * (0.5 * mean(peer_rating.score where rater = leader) in year\n                    + 0.5 * mean(peer_rating.score where rater = staff) in year) / 100\n"
        ),
        "{out}"
    );
}

#[test]
fn modifiers_break_before_operators() {
    let rule = "[3.6] per party_building_check where result = good: +level { wendeng: 20, weihai: 50 } for role in {包村干部}";
    let out = fmt(&with_rules(rule));
    assert!(
        out.contains("+level { wendeng: 20, weihai: 50 }\n        for role in {包村干部}\n"),
        "{out}"
    );
}

#[test]
fn a_tighter_operator_breaks_only_with_the_looser_ones_around_it_and_deeper() {
    let rule = "[3.3] per honor where level = city or level = prefecture or level = province or level = nation and award = \"国家级\": +level { city: 10, prefecture: 20, province: 40, nation: 100 }";
    let out = fmt(&with_rules(rule));
    assert!(
        out.contains(
            "    [3.3] per honor where level = city\n        or level = prefecture\n        or level = province\n        or level = nation\n            and award = \"国家级\": +level"
        ),
        "{out}"
    );
}

#[test]
fn expressions_of_a_rule_break_on_their_own() {
    let rule = "[2.1.2] when sum(leave.days) in year < 100: -5 * (100 - sum(leave.days) in year) - 2 * (50 - sum(sick.days) in year) - 3 * (30 - count(sick) in year)";
    let out = fmt(&with_rules(rule));
    assert!(
        out.contains(
            "    [2.1.2] when sum(leave.days) in year < 100: -5 * (100 - sum(leave.days) in year)\n        - 2 * (50 - sum(sick.days) in year)\n        - 3 * (30 - count(sick) in year)\n"
        ),
        "{out}"
    );
}
