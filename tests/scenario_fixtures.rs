//! Every diagnostic a scenario file can give, as `tally test` prints it: one fixture per code under
//! `tests/fixtures/scenario/`, named after the code, run against the Dashuipo policy and rendered
//! without colour.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use tally::codes::Code;
use tally::scenario::run::{RunOptions, Status, run};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture as a path relative to the crate root, so that messages name it the same way on
/// every machine.
fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(root()).unwrap_or(path).to_path_buf()
}

fn problems(path: &Path) -> String {
    std::env::set_current_dir(root()).unwrap();
    let policy = common::policy(common::DASHUIPO);
    let options = RunOptions {
        accept: false,
        colour: false,
        encoding: Default::default(),
    };
    let r = run(&policy, &relative(path), &options);
    assert_eq!(r.status, Status::Error, "{}", r.problems);
    r.problems
}

#[test]
fn every_fixture_as_the_user_sees_it() {
    insta::glob!("fixtures/scenario/*.scenario", |path| {
        insta::assert_snapshot!(problems(path));
    });
}

/// A new scenario code without a fixture, or a fixture that no longer gives its code, fails here.
#[test]
fn every_scenario_code_has_a_fixture_that_gives_it() {
    for code in Code::SCENARIO {
        let name = code.as_str().trim_start_matches("tally::");
        let path = root()
            .join("tests/fixtures/scenario")
            .join(format!("{name}.scenario"));
        assert!(
            path.is_file(),
            "no fixture for {}: add {}",
            code.as_str(),
            path.display()
        );
        let text = problems(&path);
        assert!(
            text.contains(code.as_str()),
            "{} does not give {}:\n{text}",
            path.display(),
            code.as_str()
        );
    }
}

/// The policy checker's codes and the scenario codes are apart: `tally check` never gives a
/// scenario code, and the scenario codes all say so in their name.
#[test]
fn scenario_codes_are_their_own_list() {
    for code in Code::SCENARIO {
        assert!(!Code::ALL.contains(code), "{code:?}");
        assert!(code.as_str().starts_with("tally::scenario-"), "{code:?}");
    }
}
