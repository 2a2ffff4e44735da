//! Whatever the bytes, checking a policy gives diagnostics, never a panic or a stack overflow.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use tally::compile::compile;

const DASHUIPO: &str = include_str!("../policies/dashuipo-2020.policy");

/// Runs on a thread with a small stack (256 KiB), so deep recursion would show as a crash here
/// long before it could on a user's machine.
fn check_on_small_stack(bytes: Vec<u8>) {
    let done = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let compiled = compile("fuzz.policy", &bytes);
            let _ = tally::diag::render(&compiled.diags, &compiled.source, false);
            compiled.diags.len()
        })
        .unwrap()
        .join();
    assert!(done.is_ok(), "checking panicked");
}

const TOKENS: &[&str] = &[
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "#",
    "\n",
    "per ",
    "when ",
    "base ",
    "cap ",
    "-",
    "+",
    "*",
    "/",
    ":",
    ",",
    "in year",
    "count(",
    "sum(",
    "not ",
    "and ",
    "for ",
    "to head",
    "zero",
    "item x \"x\" 10 {",
    "section s \"s\" 10 {",
    "99999999999999999999999999999999",
    "迟到",
    "，",
    "“",
    "\u{0}",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check_on_small_stack(bytes);
    }

    #[test]
    fn mutations_of_the_shipped_policy(
        edits in proptest::collection::vec((0usize..100_000, 0usize..40, 0usize..TOKENS.len(), 0u8..3), 1..8)
    ) {
        let mut text = DASHUIPO.to_string();
        for (at, len, token, op) in edits {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) { at -= 1; }
            let mut end = (at + len).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            match op {
                0 => text.replace_range(at..end, ""),
                1 => text.insert_str(at, TOKENS[token]),
                _ => {
                    let piece = text[at..end].to_string();
                    text.insert_str(at, &piece);
                }
            }
        }
        check_on_small_stack(text.into_bytes());
    }
}

#[test]
fn deep_nesting_is_a_diagnostic_not_a_crash() {
    let shapes = [
        "(".repeat(10_000),
        "not ".repeat(10_000),
        "-".repeat(10_000),
        "{a: ".repeat(5_000),
        "1 + ".repeat(10_000) + "1",
        "[".repeat(10_000),
    ];
    for inner in shapes {
        let text = DASHUIPO.replace(
            "[2.1.1] per late, early_leave, absent -5",
            &format!("[2.1.1] per late -{inner}"),
        );
        let bytes = text.into_bytes();
        let compiled = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                compile("deep.policy", &bytes)
                    .diags
                    .iter()
                    .any(|d| d.is_error())
            })
            .unwrap()
            .join();
        assert_eq!(
            compiled.ok(),
            Some(true),
            "deep nesting must be an error, not a crash"
        );
    }
}
