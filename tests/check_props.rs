//! Whatever the bytes, checking a policy gives diagnostics, never a panic or a stack overflow.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use tally::compile::{Compiled, compile};
use tally::diag::render;

const DASHUIPO: &str = include_str!("../policies/dashuipo-2020.policy");

/// The stack of a thread Rust spawns (a main thread has 8 MiB): checking must fit in it, whatever
/// the input. Unbounded recursion on the inputs below (10 000 levels) would overflow it at once.
const THREAD_STACK: usize = 2 * 1024 * 1024;

/// Checks and renders on a thread with [`THREAD_STACK`]; returns the codes given, or fails the test
/// if checking panicked. (A stack overflow aborts the whole test binary, which fails it too.)
fn check_on_a_thread(bytes: Vec<u8>) -> Vec<&'static str> {
    let done = std::thread::Builder::new()
        .stack_size(THREAD_STACK)
        .spawn(move || {
            let compiled = compile("fuzz.policy", &bytes);
            let rendered = render(&compiled.diags, &compiled.source, false);
            consistent(&compiled, &rendered);
            compiled
                .diags
                .iter()
                .map(|d| d.code.as_str())
                .collect::<Vec<_>>()
        })
        .unwrap()
        .join();
    match done {
        Ok(codes) => codes,
        Err(_) => panic!("checking panicked"),
    }
}

/// What holds for every result: a usable policy has no error, every diagnostic is rendered, and
/// every span lies inside the source.
fn consistent(compiled: &Compiled, rendered: &str) {
    let has_error = compiled.diags.iter().any(|d| d.is_error());
    assert!(!(has_error && compiled.policy.is_some()));
    let len = compiled.source.text.len();
    for d in &compiled.diags {
        assert!(d.primary.span.start <= d.primary.span.end && d.primary.span.end <= len);
        assert!(rendered.contains(d.code.as_str()));
    }
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
    "\r\n",
    "per ",
    "when ",
    "base ",
    "cap ",
    "cap 40",
    "zero",
    "from total",
    "to head",
    "to ",
    "for ",
    "highest per ",
    "grade at most ",
    "flag \"x\"",
    "-",
    "+",
    "*",
    "/",
    ":",
    ",",
    "..",
    ">=",
    "in year",
    "in {",
    "count(",
    "sum(",
    "mean(",
    "not ",
    "and ",
    "or ",
    "item x \"x\" 10 {",
    "section s \"s\" 10 {",
    "record r \"r\" by person",
    "grades {",
    "policy \"p\" year 2020 total 1000",
    "99999999999999999999999999999999",
    "0.000000000000000000000000000001",
    "迟到",
    "，",
    "“",
    "（",
    "\u{3000}",
    "\u{FEFF}",
    "\u{0}",
    "\\",
];

/// One edit of a text: the places and lengths are taken modulo the text's size.
#[derive(Clone, Debug)]
enum Edit {
    DeleteRange(usize, usize),
    InsertToken(usize, usize),
    DuplicateRange(usize, usize),
    SwapRanges(usize, usize, usize),
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0usize..1_000_000;
    prop_oneof![
        (at.clone(), 0usize..60).prop_map(|(a, n)| Edit::DeleteRange(a, n)),
        (at.clone(), 0..TOKENS.len()).prop_map(|(a, t)| Edit::InsertToken(a, t)),
        (at.clone(), 0usize..200).prop_map(|(a, n)| Edit::DuplicateRange(a, n)),
        (at.clone(), at.clone(), 1usize..40).prop_map(|(a, b, n)| Edit::SwapRanges(a, b, n)),
        at.clone().prop_map(Edit::DeleteLine),
        at.clone().prop_map(Edit::DuplicateLine),
        (at.clone(), at).prop_map(|(a, b)| Edit::SwapLines(a, b)),
    ]
}

/// The char boundary at or before `at % (len + 1)`.
fn place(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn range(text: &str, at: usize, len: usize) -> (usize, usize) {
    let start = place(text, at);
    let end = place(text, (start + len).min(text.len()));
    (start, end.max(start))
}

fn apply(text: &mut String, edit: &Edit) {
    match *edit {
        Edit::DeleteRange(a, n) => {
            let (s, e) = range(text, a, n);
            text.replace_range(s..e, "");
        }
        Edit::InsertToken(a, t) => {
            let at = place(text, a);
            text.insert_str(at, TOKENS[t]);
        }
        Edit::DuplicateRange(a, n) => {
            let (s, e) = range(text, a, n);
            let piece = text[s..e].to_string();
            text.insert_str(s, &piece);
        }
        Edit::SwapRanges(a, b, n) => {
            let (s1, e1) = range(text, a, n);
            let (s2, e2) = range(text, b, n);
            if e1 <= s2 || e2 <= s1 {
                let (first, second) = if s1 < s2 {
                    ((s1, e1), (s2, e2))
                } else {
                    ((s2, e2), (s1, e1))
                };
                let one = text[first.0..first.1].to_string();
                let two = text[second.0..second.1].to_string();
                text.replace_range(second.0..second.1, &one);
                text.replace_range(first.0..first.1, &two);
            }
        }
        Edit::DeleteLine(a) | Edit::DuplicateLine(a) | Edit::SwapLines(a, _) => {
            let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
            let i = a % lines.len();
            match *edit {
                Edit::DeleteLine(_) => {
                    lines.remove(i);
                }
                Edit::DuplicateLine(_) => {
                    let line = lines[i].clone();
                    lines.insert(i, line);
                }
                Edit::SwapLines(_, b) => {
                    let j = b % lines.len();
                    lines.swap(i, j);
                }
                _ => {}
            }
            *text = lines.join("\n");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check_on_a_thread(bytes);
    }

    /// Bytes that are mostly the language's own characters get past the first token, unlike
    /// arbitrary bytes.
    #[test]
    fn arbitrary_text_of_policy_characters_never_panics(
        text in "[ \n\t\"#(){}\\[\\]:,.=<>+*/0-9a-z_迟到-]{0,400}"
    ) {
        check_on_a_thread(text.into_bytes());
    }

    #[test]
    fn mutations_of_the_shipped_policy_never_panic(
        edits in proptest::collection::vec(edit(), 1..10)
    ) {
        let mut text = DASHUIPO.to_string();
        for e in &edits {
            apply(&mut text, e);
        }
        check_on_a_thread(text.into_bytes());
    }

    /// Edits on bytes, not characters: a multi-byte character cut in half is reported as bad UTF-8.
    #[test]
    fn byte_mutations_of_the_shipped_policy_never_panic(
        edits in proptest::collection::vec((0usize..1_000_000, 0usize..8, any::<u8>()), 1..6)
    ) {
        let mut bytes = DASHUIPO.as_bytes().to_vec();
        for (at, len, byte) in edits {
            let at = at % (bytes.len() + 1);
            let end = (at + len).min(bytes.len());
            bytes.splice(at..end, [byte]);
        }
        let valid = std::str::from_utf8(&bytes).is_ok();
        let codes = check_on_a_thread(bytes);
        if !valid {
            prop_assert_eq!(codes, vec!["tally::invalid-utf8"]);
        }
    }
}

/// The shipped policy with one more rule, `extra`, in the item `attendance` (two blocks deep).
fn with_rule(extra: &str) -> Vec<u8> {
    let rule = "[2.1.1] per late, early_leave, absent -5";
    assert!(DASHUIPO.contains(rule));
    DASHUIPO
        .replacen(rule, &format!("{rule}\n    {extra}"), 1)
        .into_bytes()
}

/// Deep nesting and long chains are refused with a diagnostic, whatever the construct.
#[test]
fn deep_nesting_is_a_diagnostic_not_a_crash() {
    let n = 10_000;
    let shapes: Vec<(&str, String)> = vec![
        ("brackets", format!("[2.1.1] per late -{}5", "(".repeat(n))),
        (
            "closed brackets",
            format!("[2.1.1] per late -{}5{}", "(".repeat(n), ")".repeat(n)),
        ),
        (
            "not",
            format!("[2.1.1] when {}count(late) > 1: -5", "not ".repeat(n)),
        ),
        ("minus", format!("[2.1.1] per late -{}5", "-".repeat(n))),
        (
            "not in brackets",
            format!(
                "[2.1.1] when {}count(late) > 1{}: -5",
                "not (".repeat(n),
                ")".repeat(n)
            ),
        ),
        (
            "minus in brackets",
            format!("[2.1.1] per late -{}5{}", "-(".repeat(n), ")".repeat(n)),
        ),
        (
            "tables",
            format!("[2.1.1] per late -{}5", "level { city: ".repeat(n / 4)),
        ),
        (
            "sets",
            format!("[2.1.1] per late -5 for role in {}", "{".repeat(n)),
        ),
        ("citations", "[".repeat(n)),
        (
            "additions",
            format!("[2.1.1] per late -{}1", "1 + ".repeat(n)),
        ),
        (
            "conjunctions",
            format!(
                "[2.1.1] when {}count(late) > 1: -5",
                "count(late) > 1 and ".repeat(n)
            ),
        ),
        (
            "multiplications",
            format!("[2.1.1] per late -{}1", "2 * ".repeat(n)),
        ),
        (
            "windows",
            format!("[2.1.1] when count(late){}> 1: -5", " in year".repeat(n)),
        ),
    ];
    for (what, rule) in shapes {
        let codes = check_on_a_thread(with_rule(&rule));
        assert!(
            !codes.is_empty()
                && codes
                    .iter()
                    .all(|c| ["tally::too-deep", "tally::syntax"].contains(c)),
            "{what}: expected too-deep or syntax, got {codes:?}"
        );
    }
}

/// The same shapes as a whole file, with no policy around them.
#[test]
fn a_file_of_nothing_but_nesting_is_a_diagnostic_not_a_crash() {
    for shape in ["(", "{", "[", "not ", "-", "1 + ", "\"", "#", "}", ")"] {
        let codes = check_on_a_thread(shape.repeat(50_000).into_bytes());
        assert!(!codes.is_empty(), "{shape:?}");
    }
}

/// The deepest expressions the language accepts still check, with room to spare: the limits are
/// low enough to be safe, and high enough for real rules.
#[test]
fn the_deepest_accepted_nesting_checks_on_a_thread_stack() {
    // the section, the item and `count(` take three levels of brackets
    let d = tally::syntax::MAX_NESTING - 3;
    let shapes = [
        format!(
            "[2.1.1] when {}count(late) > 1{}: -5",
            "(".repeat(d),
            ")".repeat(d)
        ),
        format!(
            "[2.1.1] when {}count(late) > 1{}: -5",
            "not (".repeat(d),
            ")".repeat(d)
        ),
        format!("[2.1.1] per late -{}5{}", "-(".repeat(d), ")".repeat(d)),
        format!(
            "[2.1.1] when {}count(late){} > 1: -5",
            "(1 + ".repeat(d),
            ")".repeat(d)
        ),
        format!("[2.1.1] when count(late){} > 1: -5", " + 1".repeat(60)),
        format!(
            "[2.1.1] when count(late) > 1{}: -5",
            " and count(late) > 1".repeat(40)
        ),
        format!("[2.1.1] per late -1{}", " * 2 - 1".repeat(30)),
    ];
    for rule in &shapes {
        let codes = check_on_a_thread(with_rule(rule));
        assert_eq!(codes, Vec::<&str>::new(), "{rule}");
    }
    let deeper = shapes[0].replacen('(', "((", 1).replacen(')', "))", 1);
    assert_eq!(check_on_a_thread(with_rule(&deeper)), ["tally::too-deep"]);
    let longer = format!("[2.1.1] when count(late){} > 1: -5", " + 1".repeat(70));
    assert_eq!(check_on_a_thread(with_rule(&longer)), ["tally::too-deep"]);
}

/// A syntax error on every line gives many errors but stops at a bounded number, quickly.
#[test]
fn many_syntax_errors_stop_at_a_bound() {
    let text: String = DASHUIPO
        .lines()
        .map(|l| {
            if l.trim_start().starts_with('[') {
                format!("{l} )")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let codes = check_on_a_thread(text.into_bytes());
    assert!(codes.len() > 3 && codes.len() <= 30, "{}", codes.len());
    assert!(codes.iter().all(|c| *c == "tally::syntax"));
}
