//! The language reference, `docs/language.md`, is true to the language. Its fenced blocks are
//! tagged by what they hold:
//! - ```policy: a whole policy. It must parse and check with no error and no warning (as
//!   `tally check --deny-warnings`), and be in the canonical layout of `tally fmt`.
//! - ```policy-quote: lines of the shipped Dashuipo policy, each of which must be a line of
//!   `policies/dashuipo-2020.policy` as it stands (a line `…` marks lines left out).
//! - ```policy-fragment: a part of a policy, shown and not checked.
//!
//! Every code `tally check` can give is named in the reference, and the README links it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::root;
use tally::codes::Code;
use tally::compile::compile;
use tally::diag::render;

const TAGS: &[&str] = &["policy", "policy-quote", "policy-fragment"];

/// A fenced block: its tag, the line of its opening fence (1-based) and its text.
struct Block {
    tag: String,
    line: usize,
    text: String,
}

fn reference() -> String {
    std::fs::read_to_string(root().join("docs/language.md")).unwrap()
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in markdown.lines().enumerate() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut open, fence) {
            (None, Some(tag)) => {
                open = Some(Block {
                    tag: tag.trim().to_string(),
                    line: i + 1,
                    text: String::new(),
                })
            }
            (Some(_), Some(_)) => out.extend(open.take()),
            (Some(b), None) => {
                b.text.push_str(line);
                b.text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(
        open.is_none(),
        "docs/language.md: a code block is not closed"
    );
    out
}

fn tagged<'a>(blocks: &'a [Block], tag: &'a str) -> impl Iterator<Item = &'a Block> {
    blocks.iter().filter(move |b| b.tag == tag)
}

#[test]
fn every_policy_block_checks_clean_in_the_canonical_layout() {
    let all = blocks(&reference());
    for b in &all {
        assert!(
            !b.tag.starts_with("policy") || TAGS.contains(&b.tag.as_str()),
            "docs/language.md:{}: unknown tag `{}`; use one of {TAGS:?}",
            b.line,
            b.tag
        );
    }
    let policies: Vec<&Block> = tagged(&all, "policy").collect();
    assert!(
        policies.len() >= 8,
        "the reference shows whole policies ({} found)",
        policies.len()
    );
    for b in policies {
        let name = format!("docs/language.md:{}", b.line);
        let compiled = compile(&name, b.text.as_bytes());
        assert!(
            compiled.diags.is_empty(),
            "{name}: the example does not check clean:\n{}",
            render(&compiled.diags, &compiled.source, false)
        );
        let formatted = tally::fmt::format(&compiled.source)
            .unwrap_or_else(|_| panic!("{name}: the example cannot be formatted"));
        assert!(
            formatted == b.text,
            "{name}: the example is not in the canonical layout; `tally fmt` writes it as:\n{formatted}"
        );
    }
}

#[test]
fn every_quoted_line_is_in_the_shipped_policy() {
    let shipped = std::fs::read_to_string(root().join("policies/dashuipo-2020.policy")).unwrap();
    let lines: Vec<&str> = shipped.lines().map(str::trim).collect();
    let all = blocks(&reference());
    let quotes: Vec<&Block> = tagged(&all, "policy-quote").collect();
    assert!(
        quotes.len() >= 10,
        "the reference quotes the shipped policy ({} quotes found)",
        quotes.len()
    );
    for b in quotes {
        for (i, line) in b.text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line == "…" {
                continue;
            }
            assert!(
                lines.contains(&line),
                "docs/language.md:{}: `{line}` is not a line of policies/dashuipo-2020.policy",
                b.line + 1 + i
            );
        }
    }
}

#[test]
fn every_check_code_is_in_the_reference() {
    let text = reference();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !text.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/language.md does not name {missing:?}"
    );
}

#[test]
fn the_readme_links_the_reference() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("(docs/language.md)"));
}
