//! Every problem a roster or a record file can have, as a user sees it: one fixture per code under
//! `tests/fixtures/records/`, named after the code. `NAME.csv` is a record file read with the
//! Dashuipo policy and roster, `NAME.roster.csv` a roster read with the Dashuipo policy, and a
//! folder `NAME/` is given to `--records` as it is. A `NAME.policy` beside them is read instead
//! of the Dashuipo policy (for a field type the Dashuipo policy has not, such as `time`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use tally::codes::Code;

const FIXTURES: &str = "tests/fixtures/records";

/// A fixture's name: the code it is about, without `tally::`.
fn short(code: Code) -> &'static str {
    code.as_str().trim_start_matches("tally::")
}

/// The fixture for a code, relative to the crate root, if there is one.
fn fixture(code: Code) -> Option<PathBuf> {
    let name = short(code);
    [
        format!("{name}.csv"),
        format!("{name}.roster.csv"),
        name.to_string(),
    ]
    .into_iter()
    .map(|f| Path::new(FIXTURES).join(f))
    .find(|p| common::root().join(p).exists())
}

/// What `tally eval` says about a fixture.
fn eval(fixture: &Path) -> common::Out {
    let is_roster = fixture.to_string_lossy().ends_with(".roster.csv");
    let (roster, records) = if is_roster {
        (fixture, Path::new("policies/dashuipo-2020/records"))
    } else {
        (Path::new("policies/dashuipo-2020/roster.csv"), fixture)
    };
    let name = fixture.file_name().unwrap_or_default().to_string_lossy();
    let own = fixture.with_file_name(format!(
        "{}.policy",
        name.trim_end_matches(".csv").trim_end_matches(".roster")
    ));
    let policy = if common::root().join(&own).is_file() {
        own
    } else {
        PathBuf::from("policies/dashuipo-2020.policy")
    };
    common::cli([
        "eval".as_ref(),
        policy.as_os_str(),
        "--roster".as_ref(),
        roster.as_os_str(),
        "--records".as_ref(),
        records.as_os_str(),
        "--as-of".as_ref(),
        "2021-01-05".as_ref(),
    ])
}

/// The codes a run printed, in order.
fn codes(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|l| {
            let start = l.rfind(" [tally::")?;
            l[start + 2..].strip_suffix(']')
        })
        .collect()
}

/// A new code without a fixture, or a fixture that no longer triggers its code, or that triggers
/// another one too, fails here.
#[test]
fn every_code_has_a_fixture_that_triggers_it_and_nothing_else() {
    for &code in Code::RECORDS {
        let path = fixture(code).unwrap_or_else(|| {
            panic!(
                "no fixture for {}: add {FIXTURES}/{}.csv (or .roster.csv, or a folder)",
                code.as_str(),
                short(code)
            )
        });
        let out = eval(&path);
        assert!(out.stdout.is_empty(), "{}: {}", path.display(), out.stdout);
        assert_ne!(out.code, Some(0), "{}", path.display());
        let found = codes(&out.stderr);
        assert!(
            !found.is_empty() && found.iter().all(|c| *c == code.as_str()),
            "{} should give {} alone; it gives {found:?}:\n{}",
            path.display(),
            code.as_str(),
            out.stderr
        );
        insta::assert_snapshot!(short(code), out.stderr);
    }
}

/// Every fixture is about a code that exists.
#[test]
fn every_fixture_is_about_a_code() {
    for entry in std::fs::read_dir(common::root().join(FIXTURES)).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let code = name
            .trim_end_matches(".csv")
            .trim_end_matches(".policy")
            .trim_end_matches(".roster");
        assert!(
            Code::RECORDS.iter().any(|c| short(*c) == code),
            "{FIXTURES}/{name} is about no record code"
        );
    }
}

/// The record codes are apart from the policy checker's and the scenarios' codes.
#[test]
fn record_codes_are_their_own_list() {
    for code in Code::RECORDS {
        assert!(!Code::ALL.contains(code), "{code:?}");
        assert!(!Code::SCENARIO.contains(code), "{code:?}");
    }
}
