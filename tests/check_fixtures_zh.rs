//! Every diagnostic `tally check` can give, in Chinese (`--lang zh`): the fixtures of
//! `tests/fixtures/check/` rendered as a Chinese user sees them, without colour. Every test here
//! speaks Chinese, so setting the language for the whole test binary is safe.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use tally::compile::{Compiled, compile};
use tally::diag::render;
use tally::lang::{self, Lang};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

/// Compiles a file in Chinese under its file name, so that snapshots do not depend on where the
/// crate is.
fn compile_zh(path: &Path) -> Compiled {
    lang::set(Lang::Zh);
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    compile(&name, &bytes)
}

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_fixture_as_a_chinese_user_sees_it() {
    insta::glob!("fixtures/check/*.policy", |path| {
        let compiled = compile_zh(path);
        insta::assert_snapshot!(render(&compiled.diags, &compiled.source, false));
    });
}

/// A code whose message, label or help has no Chinese text fails here: each fixture's diagnostics
/// are all written in Chinese (code names and quoted policy text aside).
#[test]
fn every_fixture_speaks_chinese() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "policy"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let mut english = Vec::new();
    for path in &paths {
        let compiled = compile_zh(path);
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let Some(first) = compiled.diags.first() else {
            english.push(format!("{stem}: no diagnostic"));
            continue;
        };
        if !has_chinese(&first.message) {
            english.push(format!("{stem}: message {:?}", first.message));
        }
        if !has_chinese(&first.primary.text) {
            english.push(format!("{stem}: label {:?}", first.primary.text));
        }
        if !first.help.as_deref().is_some_and(has_chinese) {
            english.push(format!("{stem}: help {:?}", first.help));
        }
        // The other places a diagnostic points at: in Chinese too, unless they only name
        // something of the policy (`office`).
        for label in first.secondary.iter() {
            let only_code = label.text.starts_with('`')
                && label.text.ends_with('`')
                && label.text.matches('`').count() == 2;
            if !has_chinese(&label.text) && !only_code {
                english.push(format!("{stem}: other label {:?}", label.text));
            }
        }
    }
    assert!(
        english.is_empty(),
        "not in Chinese:\n{}",
        english.join("\n")
    );
}

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

/// The syntax slips a secretary makes, each with the hint for it in Chinese: the parser picks its
/// hint by what the grammar expected, whatever the language of the words for it.
#[test]
fn syntax_slips_get_their_hint_in_chinese() {
    let cases: &[(&str, &str)] = &[
        ("record visit", "record per"),
        ("[1.1] per", "[2.1.2 per"),
        ("[1.1] per", "[2。1] per"),
        ("per late -5", "per late 5"),
        ("[1.1] per late -5", "[1.1] when count(late) in year > 5 -5"),
        ("A >= 90 \"a\"", "\"A\" >= 90 \"a\""),
        ("A >= 90 \"a\"", "A >= 90 a"),
        (
            "[1.1] per late -5",
            "[1.1] when (count(late) in year > 5: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year > 5): -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year ＞ 5: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year > 50%: -5",
        ),
        (
            "[1.1] per late -5",
            "[1.1] when count(late) in year > 5 & 1: -5",
        ),
        ("per late -5 cap 20", "per late -5 cap 20 late"),
        ("per late -5", "per late -5；"),
        ("per late -5", "per\u{200B}late -5"),
        ("item a \"A\" 100 {", "item a \"A\" 100"),
    ];
    let mut out = String::new();
    let mut english = Vec::new();
    for (from, to) in cases {
        assert!(BASE.contains(from), "{from}");
        lang::set(Lang::Zh);
        let compiled = compile("p.policy", BASE.replacen(from, to, 1).as_bytes());
        let first = compiled.diags.first().unwrap();
        let shown: String = to.escape_debug().collect();
        out.push_str(&format!(
            "{shown}\n  {}\n    标签: {}\n    帮助: {}\n\n",
            first.message,
            first.primary.text,
            first.help.as_deref().unwrap_or("-")
        ));
        if !has_chinese(&first.message) || !first.help.as_deref().is_some_and(has_chinese) {
            english.push(shown);
        }
    }
    assert!(
        english.is_empty(),
        "no Chinese hint for {english:?}:\n{out}"
    );
    insta::assert_snapshot!(out);
}

/// Item budgets that disagree for some people only: the people are named in Chinese.
#[test]
fn item_budgets_of_some_people_in_chinese() {
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/dashuipo-2020.policy"),
    )
    .unwrap();
    let from = "item projects \"项目服务人员\" 300";
    assert!(shipped.contains(from));
    let text = shipped.replacen(from, "item projects \"项目服务人员\" 250", 1);
    lang::set(Lang::Zh);
    let compiled = compile("p.policy", text.as_bytes());
    let messages: Vec<&str> = compiled.diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        ["对 role 为项目服务人员的人员，`central` 各项目分值合计 250，不是 300"]
    );
}
