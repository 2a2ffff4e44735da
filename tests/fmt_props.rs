//! The formatter's laws, on every policy we have and on variants of them with white space, blank
//! lines and comments moved about: formatting twice changes nothing, the tree (spans aside) stays
//! the same, and every comment is kept, in order, with its text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;
use tally::diag::Source;
use tally::fmt::format;
use tally::syntax::{self, ast::Ast};

/// The shipped policies and every fixture that parses.
static CORPUS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![
        root.join("policies/dashuipo-2020.policy"),
        root.join("examples/bench/bench.policy"),
    ];
    for dir in ["check", "fmt", "readme", "quarterly", "ledgers"] {
        let mut found: Vec<_> = std::fs::read_dir(root.join("tests/fixtures").join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "policy"))
            .collect();
        found.sort();
        files.extend(found);
    }
    let corpus: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(p).ok()?).ok()?;
            parse(&text).map(|_| (p.display().to_string(), text))
        })
        .collect();
    assert!(corpus.len() > 40, "{} policies", corpus.len());
    corpus
});

fn parse(text: &str) -> Option<Ast> {
    syntax::parse(&Source::new("p.policy", text)).ok()
}

fn comments(ast: &Ast) -> Vec<String> {
    ast.comments
        .iter()
        .map(|c| c.text.trim_end().to_string())
        .collect()
}

/// The three laws, and the layout's promises on white space.
fn laws(name: &str, text: &str) {
    let ast = parse(text).unwrap_or_else(|| panic!("{name} does not parse:\n{text}"));
    let out = format(&Source::new("p.policy", text))
        .unwrap_or_else(|e| panic!("{name}: {e:?}\n--- input\n{text}"));
    let again = format(&Source::new("p.policy", &out)).unwrap();
    assert_eq!(
        again, out,
        "{name}: formatting twice changes the text\n--- input\n{text}"
    );
    let formatted = parse(&out).unwrap();
    assert!(
        formatted.decls == ast.decls,
        "{name}: the tree changes\n{out}"
    );
    assert_eq!(
        comments(&formatted),
        comments(&ast),
        "{name}: the comments change\n{out}"
    );
    assert!(out.is_empty() || (out.ends_with('\n') && !out.ends_with("\n\n")));
    assert!(!out.starts_with('\n') && !out.starts_with('\u{feff}'));
    for line in out.lines() {
        assert_eq!(line, line.trim_end(), "{name}: trailing blanks\n{out}");
    }
}

#[test]
fn every_policy_we_have_obeys_the_laws() {
    for (name, text) in CORPUS.iter() {
        laws(name, text);
    }
}

/// Places where white space or a comment may go without changing what the policy says: before
/// white space and around punctuation, outside texts and comments.
fn boundaries(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            if c == '\n' {
                out.push(if text[..i].ends_with('\r') { i - 1 } else { i });
            }
            continue;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    in_string = false;
                    out.push(i + 1);
                }
                _ => {}
            }
            continue;
        }
        match c {
            '#' => {
                in_comment = true;
                out.push(i);
            }
            '"' => {
                in_string = true;
                out.push(i);
            }
            // The colons of a time of day (`8:30`, `9:00:15`) are inside a token.
            ':' if text[..i].ends_with(|c: char| c.is_ascii_digit())
                && text[i + 1..].starts_with(|c: char| c.is_ascii_digit()) => {}
            '{' | '}' | '(' | ')' | ',' | ':' | '[' | ']' | '|' => {
                out.push(i);
                out.push(i + c.len_utf8());
            }
            // Not between the two bytes of a `\r\n`: a lone `\r` ends a line of its own.
            '\n' if text[..i].ends_with('\r') => {}
            c if c.is_whitespace() => out.push(i),
            _ => {}
        }
    }
    out.push(text.len());
    out.dedup();
    out
}

const SPACES: &[&str] = &[
    " ", "\t", "\n", "\r\n", "\n\n", "\n\n\n", "  ", "\u{3000}", "\n  \t",
];

#[derive(Clone, Debug)]
enum Edit {
    /// White space from [`SPACES`] at a boundary.
    Space(usize, usize),
    /// A comment at a boundary, with or without a blank before it.
    Comment(usize, bool),
    /// One blank line fewer.
    Unblank(usize),
    /// A run of white space made as short as it can be.
    Squeeze(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0usize..1_000_000;
    prop_oneof![
        (at.clone(), 0..SPACES.len()).prop_map(|(a, s)| Edit::Space(a, s)),
        (at.clone(), any::<bool>()).prop_map(|(a, b)| Edit::Comment(a, b)),
        at.clone().prop_map(Edit::Unblank),
        at.prop_map(Edit::Squeeze),
    ]
}

/// Applies the edits; returns the text and the comments inserted, in the order they were made.
fn apply(mut text: String, edits: &[Edit]) -> String {
    for (n, e) in edits.iter().enumerate() {
        match *e {
            Edit::Space(a, s) => {
                let b = boundaries(&text);
                text.insert_str(b[a % b.len()], SPACES[s]);
            }
            Edit::Comment(a, blank) => {
                let b = boundaries(&text);
                let words = ["注释", "note", "", "  indented # with a hash"];
                let comment = format!(
                    "{}# {}{n}  \n",
                    if blank { "\n\n" } else { " " },
                    words[n % words.len()]
                );
                text.insert_str(b[a % b.len()], &comment);
            }
            Edit::Unblank(a) => {
                let blanks: Vec<usize> = text.match_indices("\n\n").map(|(i, _)| i).collect();
                if !blanks.is_empty() {
                    let at = blanks[a % blanks.len()];
                    text.replace_range(at..at + 2, "\n");
                }
            }
            Edit::Squeeze(a) => {
                let b: Vec<usize> = boundaries(&text)
                    .into_iter()
                    .filter(|&i| text[i..].starts_with(char::is_whitespace))
                    .collect();
                if !b.is_empty() {
                    let start = b[a % b.len()];
                    let run = text[start..]
                        .find(|c: char| !c.is_whitespace())
                        .unwrap_or(text.len() - start);
                    let short = if text[start..start + run].contains('\n') {
                        "\n"
                    } else {
                        " "
                    };
                    text.replace_range(start..start + run, short);
                }
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Comments inserted anywhere between tokens, white space and blank lines added and removed:
    /// the laws hold, so no comment is ever lost or moved out of order.
    #[test]
    fn variants_obey_the_laws(
        which in 0usize..1000,
        edits in proptest::collection::vec(edit(), 1..16)
    ) {
        let (name, text) = &CORPUS[which % CORPUS.len()];
        let varied = apply(text.clone(), &edits);
        laws(name, &varied);
    }

    /// The shipped policy, most worked on, gets variants of its own.
    #[test]
    fn variants_of_the_shipped_policy_obey_the_laws(
        edits in proptest::collection::vec(edit(), 1..24)
    ) {
        let varied = apply(CORPUS[0].1.clone(), &edits);
        laws("the shipped policy", &varied);
    }

    /// A variant formats to the same text as the policy it comes from when only white space was
    /// moved (no comment added).
    #[test]
    fn white_space_alone_never_changes_the_result(
        which in 0usize..1000,
        edits in proptest::collection::vec(edit(), 1..16)
    ) {
        let (_, text) = &CORPUS[which % CORPUS.len()];
        let edits: Vec<Edit> = edits
            .into_iter()
            .filter(|e| matches!(e, Edit::Space(_, s) if !SPACES[*s].contains('\n')))
            .collect();
        let varied = apply(text.clone(), &edits);
        let a = format(&Source::new("p", text)).unwrap();
        let b = format(&Source::new("p", &varied)).unwrap();
        prop_assert_eq!(a, b);
    }
}
