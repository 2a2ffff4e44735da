//! Syntax diagnostics a branch secretary can act on: invisible characters named by code point and
//! name, every character of the Chinese input mode with what to write instead, reserved words,
//! unclosed citations, misspelt labels, and no false claims of an unclosed `(` or quote.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;

use tally::compile::{Compiled, compile};
use tally::diag::render;

const BASE: &str = "policy \"t\" year 2020 total 100
annual = sum(months) / 12
round 2 half-up
record late \"迟到\" by person
record visit \"走访\" by person { households: number >= 0 }
section s \"S\" 100 {
  item a \"A\" 100 {
    [1.1] per late -5 cap 20
    [1.2] per visit +1 cap 10
  }
}
grades {
  A >= 90 \"a\"
  B \"b\"
}
";

/// The base policy with `from` replaced (once) by `to`, compiled.
fn variant(from: &str, to: &str) -> Compiled {
    assert!(BASE.contains(from), "{from}");
    compile("p.policy", BASE.replacen(from, to, 1).as_bytes())
}

/// The errors of a variant in one line each: where, message, label and help.
fn errors_of(compiled: &Compiled) -> String {
    let mut out = String::new();
    for d in compiled.diags.iter().filter(|d| d.is_error()) {
        let (line, col) = compiled.source.line_col(d.primary.span.start);
        writeln!(
            out,
            "  {line}:{col} {}\n    label: {}\n    help: {}",
            d.message,
            d.primary.text,
            d.help.as_deref().unwrap_or("-")
        )
        .unwrap();
    }
    out
}

/// Each variant with the errors it gets, for one snapshot.
fn table(cases: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (from, to) in cases {
        let compiled = variant(from, to);
        let shown: String = to.escape_debug().collect();
        writeln!(out, "{shown}\n{}", errors_of(&compiled)).unwrap();
    }
    out
}

/// Invisible characters, where code is expected.
const INVISIBLE: &[char] = &[
    '\u{00A0}',
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{2060}',
    '\u{FEFF}',
    '\0',
    '\u{0007}',
    '\u{000B}',
    '\u{000C}',
    '\u{0085}',
    '\u{00AD}',
    '\u{1680}',
    '\u{2000}',
    '\u{2002}',
    '\u{2003}',
    '\u{2007}',
    '\u{2009}',
    '\u{200A}',
    '\u{200E}',
    '\u{200F}',
    '\u{2028}',
    '\u{2029}',
    '\u{202A}',
    '\u{202E}',
    '\u{202F}',
    '\u{205F}',
    '\u{2066}',
    '\u{3164}',
    '\u{FE0F}',
    '\u{E0020}',
];

#[test]
fn invisible_characters_are_named_by_code_point_and_name() {
    let mut out = String::new();
    for &c in INVISIBLE {
        for (from, to) in [
            ("per late -5", format!("per late{c}-5")),
            ("per late -5", format!("per late -5{c}0")),
            ("A >= 90", format!("A >={c}90")),
        ] {
            let compiled = variant(from, &to);
            let errors: Vec<_> = compiled.diags.iter().filter(|d| d.is_error()).collect();
            let code = format!("U+{:04X} ", u32::from(c));
            assert!(
                errors.iter().any(|d| d.message.contains(&code)),
                "{c:?} in {to:?} is not named: {}",
                errors_of(&compiled)
            );
            for d in &errors {
                let said = format!("{} {:?}", d.message, d.help);
                assert!(!said.contains(&format!("`{c}`")), "{c:?} shown raw: {said}");
                assert!(!said.contains("``"), "an empty name: {said}");
            }
        }
        let compiled = variant("per late -5", &format!("per late{c}-5"));
        writeln!(out, "{}\n{}", c.escape_unicode(), errors_of(&compiled)).unwrap();
    }
    insta::assert_snapshot!(out);
}

/// What the user sees for a no-break space pasted from a web page.
#[test]
fn a_no_break_space_as_the_user_sees_it() {
    let compiled = variant("per late -5", "per late\u{00A0}-5");
    insta::assert_snapshot!(render(&compiled.diags, &compiled.source, false));
}

/// A byte-order mark opens a file saved by Notepad, or a line where two files were pasted
/// together; the ideographic space of the Chinese input mode is white space: none is an error.
#[test]
fn byte_order_marks_at_line_starts_and_ideographic_spaces_are_white_space() {
    let text = format!(
        "\u{FEFF}{}",
        BASE.replace("per late -5", "per\u{3000}late\u{3000}-5")
            .replace("\nsection", "\n\u{FEFF}section")
    );
    let compiled = compile("p.policy", text.as_bytes());
    assert!(
        compiled.diags.iter().all(|d| !d.is_error()),
        "{}",
        errors_of(&compiled)
    );
}

#[test]
fn every_chinese_input_mode_character_says_what_to_write_instead() {
    let cases: &[(&str, &str)] = &[
        ("per late -5", "per late -５"),
        ("per late -5", "per late -５０"),
        ("per late -5", "per late －5"),
        ("per late -5", "per late ＋5"),
        ("per late -5", "per late –5"),
        ("per late -5", "per late —5"),
        ("per late -5", "per late −5"),
        ("per late -5", "per late -5 ｃａｐ 20"),
        ("per late -5", "per late -5；"),
        ("per late -5", "per late -5，flag \"x\""),
        ("per late -5", "per late：-5"),
        ("per late -5", "per late -5。"),
        ("per late -5", "per late -50%"),
        ("per late -5", "per late -50％"),
        ("[1.1]", "[2。1。2]"),
        ("[1.1]", "[1．1]"),
        ("[1.1]", "［1.1］"),
        ("[1.1]", "【1.1】"),
        ("[1.1]", "[1.1】"),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year ≥ 3: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year ≤ 3: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year ＞ 3: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year ＜ 3: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year ＝ 3: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year ！= 3: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year ≠ 3: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year ＞＝ 3: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year ！＝ 3: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count（late) in year > 3: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late） in year > 3: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in ｙｅａｒ > 3: -5",
        ),
        ("[1.1] per late -5", "[1.1] base 2 × count(late) in year"),
        ("[1.1] per late -5", "[1.1] base 2 ÷ count(late) in year"),
        ("[1.2] per visit +1", "[1.2] per visit -visit．households"),
        (
            "[1.2] per visit +1",
            "[1.2] when sum(visit．households) in year > 5: +1",
        ),
        ("A >= 90 \"a\"", "A >= 90 “a”"),
        ("A >= 90 \"a\"", "A >= 90 ‘a’"),
        ("policy \"t\"", "policy 《t》"),
        ("per late -5", "per late -5 ＆"),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year > 3 && count(late) in year < 9: -5",
        ),
    ];
    let out = table(cases);
    for block in out.split("\n\n").filter(|b| !b.trim().is_empty()) {
        assert!(
            block.contains("instead")
                || block.contains("write `")
                || block.contains("remove the Chinese full stop")
                || block.contains("is written as a number")
                || block.contains("no `;`")
                || block.contains("write `and`"),
            "no replacement said:\n{block}"
        );
        assert!(
            !block.contains("is not closed"),
            "a false claim of an unclosed bracket:\n{block}"
        );
    }
    insta::assert_snapshot!(out);
}

#[test]
fn reserved_words_as_names_say_they_are_reserved() {
    let cases: &[(&str, &str)] = &[
        ("record visit", "record per"),
        ("record visit", "record for"),
        ("item a ", "item for "),
        ("section s ", "section in "),
        ("households: number", "where: number"),
        ("B \"b\"", "else \"b\""),
        ("households: number", "kind: per | city, households: number"),
        ("[1.2] per visit +1", "[1.2] per visit +1 to for"),
        ("[1.2] per visit +1", "[1.2] per visit grade at most for"),
    ];
    let out = table(cases);
    let compiled = variant("record visit", "record per");
    let rendered = render(&compiled.diags, &compiled.source, false);
    assert!(
        rendered.contains("policy, else)"),
        "the help is cut: {rendered}"
    );
    for block in out.split("\n\n").filter(|b| !b.trim().is_empty()) {
        assert!(block.contains("is a reserved word"), "{block}");
        assert!(block.contains("rename it"), "{block}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn slips_get_the_right_hint() {
    let cases: &[(&str, &str)] = &[
        // a citation without its `]`
        ("[1.1] per", "[2.1.2 per"),
        ("[1.1] per", "[2 per"),
        ("[1.1] per", "[ 2.1.2 per"),
        ("[1.1] per", "[２.１] per"),
        // a quoted grade name: the quote is closed, the name needs none
        ("A >= 90 \"a\"", "\"A\" >= 90 \"a\""),
        ("[1.1] per late -5", "[1.1] per late grade at most \"A\""),
        // a quote that is not closed on its line
        ("A >= 90 \"a\"", "A >= 90 \"a"),
        // a percent sign or a full-width full stop inside balanced brackets: no unclosed `(`
        (
            "[1.1] per late -5",
            "[1.1] when (count(late) in year > 50%): -5",
        ),
        (
            "[1.2] per visit +1",
            "[1.2] when sum(visit．households) in year > 5: +1",
        ),
        // a `(` that really is unclosed
        (
            "[1.1] per late -5",
            "[1.1] when (count(late) in year > 5: -5",
        ),
        // misspelt Chinese labels: the kind with the close label, by its id
        ("per late -5", "per 迟道 -5"),
        ("per late -5", "per 到迟 -5"),
        ("per visit +1", "per 走坊 +1"),
        ("per late -5", "per ｌａｔｅ -5"),
    ];
    insta::assert_snapshot!(table(cases));
}

/// `from` written after other modifiers: the help says where it goes, not to delete it.
#[test]
fn from_after_other_modifiers_says_where_it_goes() {
    insta::assert_snapshot!(table(&[
        (
            "[1.1] per late -5",
            "[1.1] per late -5 valid 1 year repeat * 2 from ended"
        ),
        ("[1.1] per late -5", "[1.1] per late -5 cap 20 from total"),
    ]));
}

/// Old Mac files end lines with a lone `\r`: comments end there, every rule is read, and a report
/// gives the right line and shows that line alone.
#[test]
fn lone_carriage_returns_end_lines() {
    let text = BASE
        .replace("[1.1] per late -5", "# 迟到扣分\n    [1.1] per late -5")
        .replace('\n', "\r");
    let compiled = compile("mac.policy", text.as_bytes());
    assert!(
        compiled.diags.iter().all(|d| !d.is_error()),
        "{}",
        errors_of(&compiled)
    );
    let policy = compiled.policy.unwrap();
    assert_eq!(policy.sections[0].items[0].rules.len(), 2);

    let broken = text.replace("per visit +1", "per visit +");
    let compiled = compile("mac.policy", broken.as_bytes());
    let rendered = render(&compiled.diags, &compiled.source, false);
    let at: Vec<_> = compiled
        .diags
        .iter()
        .map(|d| compiled.source.line_col(d.primary.span.start))
        .collect();
    assert_eq!(at, [(10, 23)], "{rendered}");
    insta::assert_snapshot!(rendered);
}

/// A policy with many mistakes: 50 reports, then how many more there are.
#[test]
fn at_most_fifty_reports_then_how_many_more() {
    let rules: String = (0..80)
        .map(|i| format!("    [1.{i}] per late{i} -5\n"))
        .collect();
    let text = BASE.replace("    [1.1] per late -5 cap 20\n", &rules);
    let compiled = compile("many.policy", text.as_bytes());
    assert_eq!(compiled.diags.iter().filter(|d| d.is_error()).count(), 80);
    let rendered = render(&compiled.diags, &compiled.source, false);
    assert_eq!(rendered.matches("tally::").count(), 50);
    let last = rendered.trim_end().lines().last().unwrap();
    insta::assert_snapshot!(last, @"and 31 more (31 errors, 0 warnings) not shown; fix the ones above and run again");
}

/// A line of half a megabyte is shown cut around the place reported, with its true line and
/// column; a long name is quoted cut short.
#[test]
fn long_lines_are_cut_around_the_place_reported() {
    let long = format!(
        "[1.1] per late -5, flag \"{}\" % cap 20",
        "迟到".repeat(100_000)
    );
    let text = BASE.replace("[1.1] per late -5 cap 20", &long);
    let compiled = compile("long.policy", text.as_bytes());
    let rendered = render(&compiled.diags, &compiled.source, false);
    assert!(rendered.len() < 2_000, "{} bytes", rendered.len());
    insta::assert_snapshot!(rendered);

    let name = "a".repeat(500_000);
    let text = BASE.replace("per late -5", &format!("per {name} -5"));
    let compiled = compile("name.policy", text.as_bytes());
    let rendered = render(&compiled.diags, &compiled.source, false);
    assert!(rendered.len() < 4_000, "{} bytes", rendered.len());
    assert!(rendered.contains("name.policy:8:15"), "{rendered}");

    // a token found where it is not expected is quoted cut short too
    let text = BASE.replace("per late -5", &format!("per late -5 {name}"));
    let compiled = compile("token.policy", text.as_bytes());
    assert!(
        compiled.diags[0].message.len() < 400,
        "{}",
        compiled.diags[0].message.len()
    );
}
