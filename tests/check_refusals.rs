//! What `check` accepts, `eval` computes as written: each class of policy that used to pass the
//! checker and then scored something else than it says is refused (or warned about), in several
//! spellings. The fixtures under `tests/fixtures/check/` show one of each as the user sees it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tally::compile::compile;
use tally::diag::render;

const BASE: &str = r#"policy "测试办法" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

roster {
  role: 片长 | 包村干部
  head: bool
  rank: whole number 1..5
  level: number 0..3
}

record late "迟到" by person
record leave "事假" by person { days: whole days >= 1 }
record rating "评议" by person { score: number 0..100, weight: number 1..5 }
record wedding "婚假" by person { days: whole days >= 1 } not scored
record honor "表彰" by department { level: city | province }
record flood "防汛" by town { hours: hours >= 0 }
record complaint "举报" by person | department { points: points 1..10 }
record bonus "加减分" by person { points: points -10..10, cause: text, hours: hours 1..5 }

section office "机关工作" 100 {
  item attendance "考勤" 100 {
    [1.1] per late -5 cap 20
    [1.2] base 100
  }
}

grades {
  优秀 >= 90 "评为优秀"
  合格 >= 85 "合格"
  不合格 "不合格"
}
"#;

/// The base policy with one more rule in the attendance item.
fn with_rule(rule: &str) -> String {
    BASE.replace(
        "    [1.2] base 100\n",
        &format!("    [1.2] base 100\n    [1.3] {rule}\n"),
    )
}

/// Every code the policy gives, errors marked `error:`, warnings `warning:`; kinds the one rule
/// under test leaves unused are not listed.
fn codes(text: &str) -> Vec<String> {
    let compiled = compile("t.policy", text.as_bytes());
    assert_eq!(
        compiled.policy.is_some(),
        !compiled.diags.iter().any(|d| d.is_error())
    );
    compiled
        .diags
        .iter()
        .filter(|d| d.code.as_str() != "tally::unused-record")
        .map(|d| {
            let level = if d.is_error() { "error" } else { "warning" };
            format!("{level}: {}", d.code.as_str())
        })
        .collect()
}

fn rendered(text: &str) -> String {
    let mut compiled = compile("t.policy", text.as_bytes());
    compiled
        .diags
        .retain(|d| d.code.as_str() != "tally::unused-record");
    render(&compiled.diags, &compiled.source, false)
}

#[test]
fn the_base_policy_is_clean() {
    assert_eq!(codes(BASE), Vec::<String>::new(), "{}", rendered(BASE));
}

#[test]
fn a_policy_without_sections_is_an_error() {
    let cut = |text: &str| {
        let start = text.find("section office").unwrap();
        let end = text.find("grades {").unwrap();
        format!("{}{}", &text[..start], &text[end..])
    };
    let bare = cut(BASE);
    assert!(
        codes(&bare).contains(&"error: tally::section-budgets".to_string()),
        "{}",
        rendered(&bare)
    );
    // Adjustments alone do not make a card either.
    let adjustments = bare.replace(
        "grades {",
        "adjustments rewards \"奖惩\" {\n  [3.1] per late -1\n}\n\ngrades {",
    );
    assert_eq!(codes(&adjustments), ["error: tally::section-budgets"]);
    insta::assert_snapshot!(rendered(&adjustments));
}

#[test]
fn a_rule_reading_a_not_scored_kind_is_an_error() {
    for rule in [
        "per wedding -5",
        "per wedding.days -1",
        "when count(wedding) in year > 0: -5",
        "when sum(wedding.days) > 3: -5",
        "when count(late) > 0 or count(wedding where days > 3) > 0: -5",
        "when wedding.days > 3: -5",
    ] {
        assert_eq!(
            codes(&with_rule(rule)),
            ["error: tally::not-scored"],
            "{rule}: {}",
            rendered(&with_rule(rule))
        );
    }
    let base = BASE.replace(
        "[1.2] base 100",
        "[1.2] base 100 - sum(wedding.days) in year",
    );
    assert_eq!(codes(&base), ["error: tally::not-scored"]);
}

#[test]
fn an_aggregate_or_a_fact_inside_a_per_rule_is_an_error() {
    for rule in [
        "per late where count(late) > 3: -5",
        "per late where count(late) in year > 3: -5",
        "per leave where sum(leave.days) in year > 3: -5",
        "per leave where days > 1 and count(late) > 0: -5",
        "per leave where leave.days > 3: -5",
        "per late -count(late)",
        "per rating -5 * mean(rating.score) in year / 100",
    ] {
        assert_eq!(
            codes(&with_rule(rule)),
            ["error: tally::misplaced"],
            "{rule}: {}",
            rendered(&with_rule(rule))
        );
    }
    insta::assert_snapshot!(rendered(&with_rule(
        "per late where count(late) in year > 3: -5"
    )));
}

#[test]
fn a_roster_column_read_from_records_that_name_no_person_is_an_error() {
    for rule in [
        "when count(honor where role in {片长}) > 0: -5",
        "when count(honor where head) in year > 0: -5",
        "when sum(flood.hours where head) > 10: -5",
        "when count(flood where rank > 3) > 0: -5",
        "per flood where role in {片长}: -5",
        "per honor where head: -5 to members",
        "per flood -level",
        "per complaint -level",
        "per complaint -role { 片长: 5, 包村干部: 3 }",
        // A complaint may name a department: its filter, read before the record reaches anybody,
        // would have no one's column to read (and `not head` would hold for every member).
        "per complaint where head: -points",
        "per complaint where not head: -points",
    ] {
        assert_eq!(
            codes(&with_rule(rule)),
            ["error: tally::misplaced"],
            "{rule}: {}",
            rendered(&with_rule(rule))
        );
    }
    insta::assert_snapshot!(rendered(&with_rule(
        "when count(honor where role in {片长}) > 0: -5"
    )));
    // Records that name a person: the column is that person's.
    for rule in [
        "when count(late where head) > 0: -5",
        "per late where role in {片长}: -5",
        "per flood -5 for role in {片长}",
        "per complaint -points for head",
        "per late -level",
    ] {
        assert_eq!(codes(&with_rule(rule)), Vec::<String>::new(), "{rule}");
    }
    insta::assert_snapshot!(
        "department_record_filter",
        rendered(&with_rule("per complaint where head: -points"))
    );
}

#[test]
fn the_annual_formula_reads_no_roster_column() {
    let text = BASE.replace(
        "annual = sum(months) / 12",
        "annual = sum(months) / 12 + rank",
    );
    assert_eq!(
        codes(&text),
        ["error: tally::bad-annual"],
        "{}",
        rendered(&text)
    );
    insta::assert_snapshot!(rendered(&text));
}

#[test]
fn a_divisor_that_is_always_zero_is_an_error() {
    let annual =
        |formula: &str| BASE.replace("annual = sum(months) / 12", &format!("annual = {formula}"));
    for text in [
        annual("sum(months) / 0"),
        annual("sum(months) / 0.00"),
        annual("sum(months) / (1 - 1)"),
        annual("sum(months) / -0"),
        annual("sum(months) / (12 * 0)"),
        annual("sum(months) / (count(months) - 12)"),
        annual("sum(months) / 12 / 0"),
        BASE.replace("[1.2] base 100", "[1.2] base 40 / 0"),
        with_rule("per late -5 / (2 - 2)"),
        with_rule("when count(late) / 0 > 1: -5"),
        with_rule("per honor -10 / level { city: 0, province: 0 } to members"),
    ] {
        assert_eq!(
            codes(&text),
            ["error: tally::division-by-zero"],
            "{}",
            rendered(&text)
        );
    }
    insta::assert_snapshot!(rendered(
        &BASE.replace("[1.2] base 100", "[1.2] base 40 / 0")
    ));
}

#[test]
fn a_divisor_that_can_be_zero_is_a_warning() {
    for rule in [
        "when sum(leave.days) / count(leave) > 3: -5",
        "when sum(leave.days) in year / sum(leave.days) in month > 3: -5",
        "when 10 / mean(rating.score) in year > 3: -5",
        "when 10 / level > 3: -5",
        "when 10 / (rank - 1) > 3: -5",
        "per rating -50 / score",
        "when 10 / (2 * count(late)) > 3: -5",
        "per honor -10 / level { city: 0, province: 5 } to members",
    ] {
        assert_eq!(
            codes(&with_rule(rule)),
            ["warning: tally::divisor-may-be-zero"],
            "{rule}: {}",
            rendered(&with_rule(rule))
        );
    }
    // Divisors that cannot be 0: a number, a range without 0, a count plus one.
    for rule in [
        "when 10 / rank > 3: -5",
        "per rating -50 / weight",
        "when count(late) / (count(late) + 1) > 0.5: -5",
        "when 10 / (rank * 2) > 3: -5",
        "when 10 / (rank + level) > 3: -5",
        "when 10 / mean(rating.weight) in year > 3: -5",
        "when 10 / -rank < 3: -5",
    ] {
        assert_eq!(
            codes(&with_rule(rule)),
            Vec::<String>::new(),
            "{rule}: {}",
            rendered(&with_rule(rule))
        );
    }
}

#[test]
fn a_whole_field_with_a_fractional_bound_is_an_error() {
    for ty in [
        "whole days 0.5..3",
        "whole days 1..2.5",
        "whole days >= 0.5",
        "whole days <= 2.5",
        "whole days -0.5..3",
    ] {
        let text = BASE.replacen("days: whole days >= 1 }", &format!("days: {ty} }}"), 1);
        assert_eq!(
            codes(&text),
            ["error: tally::bad-range"],
            "{ty}: {}",
            rendered(&text)
        );
    }
    let text = BASE.replacen("days: whole days >= 1 }", "days: whole days 0.5..3 }", 1);
    insta::assert_snapshot!(rendered(&text));
    for ty in ["days 0.5..3", "whole days 1.0..3", "whole days 0..3"] {
        let text = BASE.replacen("days: whole days >= 1 }", &format!("days: {ty} }}"), 1);
        assert_eq!(codes(&text), Vec::<String>::new(), "{ty}");
    }
}

#[test]
fn an_empty_label_is_an_error() {
    for text in [
        BASE.replace("record late \"迟到\"", "record late \"\""),
        BASE.replace("record late \"迟到\"", "record late \"  \""),
        BASE.replace("record late \"迟到\"", "record late \"\u{3000}\""),
        BASE.replace("section office \"机关工作\"", "section office \"\""),
        BASE.replace("item attendance \"考勤\"", "item attendance \"\""),
        with_rule("per late flag \"\""),
        with_rule("when count(late) > 3: -5, flag \" \""),
        with_rule("per late flag \"\u{200B}\""),
        BASE.replace("record late \"迟到\"", "record late \"\u{FEFF}\u{200D}\""),
    ] {
        assert_eq!(
            codes(&text),
            ["error: tally::empty-label"],
            "{}",
            rendered(&text)
        );
    }
}

/// A label or a flag that holds a character nobody can see or type is an error: a label with a
/// zero-width space never matches the label typed in a record file, and a control character in a
/// flag would be written into the published files.
#[test]
fn a_hidden_character_in_a_label_or_a_flag_is_an_error() {
    for text in [
        BASE.replace("record late \"迟到\"", "record late \"迟\u{200B}到\""),
        BASE.replace("record late \"迟到\"", "record late \"迟到\u{FEFF}\""),
        BASE.replace(
            "section office \"机关工作\"",
            "section office \"机关\u{202E}工作\"",
        ),
        BASE.replace("item attendance \"考勤\"", "item attendance \"考\u{7}勤\""),
        with_rule("per late flag \"予\u{1B}[31m辞退\""),
        with_rule("when count(late) > 3: flag \"予辞退\u{200C}\""),
    ] {
        assert_eq!(
            codes(&text),
            ["error: tally::hidden-character"],
            "{}",
            rendered(&text)
        );
    }
    // A visible space inside a label is no hidden character (at an end, see
    // `a_label_with_white_space_at_an_end_is_an_error`).
    let spaced = BASE.replace("record late \"迟到\"", "record late \"迟 到\u{3000}了\"");
    assert!(codes(&spaced).is_empty(), "{}", rendered(&spaced));
}

/// `highest per` keeps the largest effect by size; where an amount can be a reward for one record
/// and a deduction for another, that is a comparison by size alone, and the checker says so.
#[test]
fn highest_over_an_amount_of_either_sign_is_a_warning() {
    for rule in [
        "per bonus +points highest per cause",
        "per bonus -points highest per cause",
        "per bonus.points +1 highest per cause",
        "per bonus.points -2 highest per cause",
        "per bonus +points - 5 highest per cause",
        "per bonus.hours +points highest per cause",
    ] {
        assert_eq!(
            codes(&with_rule(rule)),
            ["warning: tally::highest-mixed-signs"],
            "{rule}: {}",
            rendered(&with_rule(rule))
        );
    }
    for rule in [
        "per bonus +5 highest per cause",
        "per bonus -5 highest per cause",
        "per bonus.hours -2 highest per cause",
        "per bonus.hours +2 highest per cause",
        "per rating -score highest per weight",
        "per bonus +points + 10 highest per cause",
    ] {
        assert_eq!(
            codes(&with_rule(rule)),
            Vec::<String>::new(),
            "{rule}: {}",
            rendered(&with_rule(rule))
        );
    }
}

/// Budgets too large to add up are reported as not adding up, never a crash.
#[test]
fn budgets_too_large_to_add_up_are_an_error() {
    let big = "79228162514264337593543950335";
    let two_sections = BASE.replace(
        "grades {",
        &format!("section more \"更多\" {big} {{\n  item extra \"额外\" {big} {{\n    [2.1] per late -1\n  }}\n}}\n\ngrades {{"),
    )
    .replace("section office \"机关工作\" 100", &format!("section office \"机关工作\" {big}"))
    .replace("item attendance \"考勤\" 100", &format!("item attendance \"考勤\" {big}"));
    assert_eq!(
        codes(&two_sections),
        ["error: tally::section-budgets"],
        "{}",
        rendered(&two_sections)
    );
    let two_items = BASE.replace(
        "  item attendance \"考勤\" 100 {",
        &format!("  item extra \"额外\" {big} {{\n    [2.1] per late -1\n  }}\n  item attendance \"考勤\" {big} {{"),
    );
    let found = codes(&two_items);
    assert!(
        found.contains(&"error: tally::item-budgets".to_string()),
        "{}",
        rendered(&two_items)
    );
}

/// A divisor that a decimal would round to 0 but is not 0 is not called a division by zero.
#[test]
fn a_tiny_divisor_is_not_zero() {
    let text = with_rule("when count(late) / (0.0000000000000000000000000001 * 0.1) > 1: -5");
    assert_eq!(codes(&text), Vec::<String>::new(), "{}", rendered(&text));
}

#[test]
fn a_roster_column_cannot_be_optional() {
    let text = BASE.replace(
        "  rank: whole number 1..5",
        "  rank: whole number 1..5 optional",
    );
    assert_eq!(
        codes(&text),
        ["error: tally::misplaced"],
        "{}",
        rendered(&text)
    );
    insta::assert_snapshot!(rendered(&text));
}

/// A kind's label that is another kind's id names two kinds in a record file: it is refused
/// whether that kind is declared before it or after it (records would otherwise go to the one
/// declared last, unseen). A label that is the kind's own id names the kind either way.
#[test]
fn a_label_that_is_another_kinds_id_is_an_error() {
    let label = |from: &str, to: &str| {
        assert!(BASE.contains(from), "{from}");
        BASE.replace(from, to)
    };
    for (from, to) in [
        // Ids declared after the kind.
        ("record late \"迟到\"", "record late \"leave\""),
        ("record honor \"表彰\"", "record honor \"bonus\""),
        // Ids declared before it.
        ("record leave \"事假\"", "record leave \"late\""),
        ("record bonus \"加减分\"", "record bonus \"honor\""),
    ] {
        let policy = label(from, to);
        assert_eq!(
            codes(&policy),
            ["error: tally::duplicate-label"],
            "{to}: {}",
            rendered(&policy)
        );
    }
    let own = label("record late \"迟到\"", "record late \"late\"");
    assert_eq!(codes(&own), Vec::<String>::new(), "{}", rendered(&own));
    insta::assert_snapshot!(rendered(&label(
        "record late \"迟到\"",
        "record late \"leave\""
    )));
}

/// A kind's label with white space at either end can name no record (a record file's cells are
/// trimmed before their kind is looked up): refused once, whatever the white space.
#[test]
fn a_label_with_white_space_at_an_end_is_an_error() {
    for label in [
        " 迟到",
        "迟到 ",
        "  迟到  ",
        "迟到\u{3000}",
        "\u{a0}迟到",
        "迟到\t",
    ] {
        let policy = BASE.replace("record late \"迟到\"", &format!("record late \"{label}\""));
        assert_eq!(
            codes(&policy),
            ["error: tally::hidden-character"],
            "{label:?}: {}",
            rendered(&policy)
        );
    }
    // White space inside a label is the label's own.
    let inside = BASE.replace("record late \"迟到\"", "record late \"上班 迟到\"");
    assert_eq!(
        codes(&inside),
        Vec::<String>::new(),
        "{}",
        rendered(&inside)
    );
    insta::assert_snapshot!(rendered(
        &BASE.replace("record late \"迟到\"", "record late \"迟到 \"")
    ));
}

/// A string a text field or column is compared with, with white space at either end, could never
/// match a cell (cells are trimmed before they are compared): refused once, wherever it stands.
#[test]
fn a_compared_text_with_white_space_at_an_end_is_an_error() {
    for rule in [
        "per bonus where cause = \" 抗洪\": -5",
        "per bonus where \"抗洪\u{3000}\" != cause: -5",
        "when count(bonus where cause = \"抗洪 \") in year > 1: -5",
        "per bonus where cause = \"抗洪\t\": -5",
    ] {
        assert_eq!(
            codes(&with_rule(rule)),
            ["error: tally::hidden-character"],
            "{rule}: {}",
            rendered(&with_rule(rule))
        );
    }
    // White space inside a string is the string's own.
    let inside = with_rule("per bonus where cause = \"抗 洪\": -5");
    assert_eq!(
        codes(&inside),
        Vec::<String>::new(),
        "{}",
        rendered(&inside)
    );
    insta::assert_snapshot!(rendered(&with_rule(
        "per bonus where cause = \"抗洪 \": -5"
    )));
}
