//! Whatever a scenario file holds, `tally test` reports it and never panics; and after `--accept`
//! any scenario that could be evaluated passes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use tally::scenario::parse::parse;
use tally::scenario::run::{RunOptions, Status, run};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A folder with the shared facts, where scenarios can be written.
fn folder(tag: &str) -> PathBuf {
    let dir = common::temp_dir(tag);
    std::fs::copy(
        root().join("policies/dashuipo-2020.tests/common.facts"),
        dir.join("common.facts"),
    )
    .unwrap();
    dir
}

const LATE: &str = include_str!("../policies/dashuipo-2020.tests/2.1.1-late-early-absent.scenario");

/// Pieces that mean something to the scenario reader, to splice into a real scenario.
const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "  ",
    "\"",
    "“",
    "#",
    ",",
    "..",
    "-",
    "scenario ",
    "roster\n",
    "records\n",
    "expect\n",
    "use \"common.facts\"\n",
    "as of ",
    "total ",
    "item ",
    "flags ",
    "grade ",
    "final ",
    "none",
    "2020-13",
    "2020-02..2020-01",
    "9999999999999999999999999999999",
    "\u{feff}",
    "，",
    "；",
    "0",
    ".5",
];

fn mutated() -> impl Strategy<Value = String> {
    proptest::collection::vec((0..LATE.len(), 0..PIECES.len(), 0usize..4), 1..6).prop_map(|edits| {
        let mut text = LATE.to_string();
        for (at, piece, cut) in edits {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(at..end, PIECES[piece]);
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_read_without_panicking(text in "\\PC*") {
        let _ = parse(&text, false);
        let _ = parse(&text, true);
    }

    #[test]
    fn a_mangled_scenario_is_reported_then_accepted_then_passes(text in mutated()) {
        let policy = common::policy(common::DASHUIPO);
        let dir = folder("mangled");
        let path = dir.join("mangled.scenario");
        std::fs::write(&path, &text).unwrap();
        let accept = RunOptions {
            accept: true,
            colour: false,
            encoding: Default::default(),
        };
        let check = RunOptions {
            accept: false,
            colour: false,
            encoding: Default::default(),
        };
        let first = run(&policy, &path, &check);
        if first.status == Status::Error {
            prop_assert!(!first.problems.is_empty());
        }
        let accepted = run(&policy, &path, &accept);
        if accepted.status != Status::Error {
            let again = run(&policy, &path, &check);
            prop_assert_eq!(again.status, Status::Passed, "{}\n{}", std::fs::read_to_string(&path).unwrap(), again.problems);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Wrong values of every kind, in runs of months and on the year: `--accept` rewrites them
    /// and nothing above the `expect` block.
    #[test]
    fn accept_makes_any_expectation_pass(
        totals in proptest::collection::vec((0u32..200_000, 0u32..3), 4),
        item in 0u32..100,
        grade in 0usize..6,
        flags in 0usize..3,
        gap in 1usize..4,
    ) {
        let policy = common::policy(common::DASHUIPO);
        let dir = folder("accept");
        let path = dir.join("wrong.scenario");
        let head = LATE.split("expect\n").next().unwrap();
        let number = |(n, places): (u32, u32)| {
            let d = rust_decimal::Decimal::new(i64::from(n), places);
            d.to_string()
        };
        let sp = " ".repeat(gap);
        let grades = ["五星级", "四星级", "三星级", "二星级", "一星级", "零星级"];
        let flag = ["none", "予辞退", "予辞退;取消评先资格"][flags];
        let text = format!(
            "{head}expect\n  A 2020-03{sp}total {}{sp}item attendance {item}  # 三月\n  A 2020-04..2020-12{sp}total {}\n  H 2020-02..2020-12 total {}  flags {flag}\n  A 2020{sp}total {}{sp}grade {}{sp}flags {flag}\n",
            number(totals[0]), number(totals[1]), number(totals[2]), number(totals[3]), grades[grade]
        );
        std::fs::write(&path, &text).unwrap();
        let accept = RunOptions {
            accept: true,
            colour: false,
            encoding: Default::default(),
        };
        let check = RunOptions {
            accept: false,
            colour: false,
            encoding: Default::default(),
        };
        let first = run(&policy, &path, &accept);
        prop_assert!(first.status != Status::Error, "{}", first.problems);
        let again = run(&policy, &path, &check);
        let written = std::fs::read_to_string(&path).unwrap();
        prop_assert_eq!(again.status, Status::Passed, "{}", written);
        prop_assert!(written.starts_with(head));
        prop_assert!(written.contains("  # 三月\n"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
