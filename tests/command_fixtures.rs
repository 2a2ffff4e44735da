//! Every problem with a command itself (its arguments, its output), as a user sees it: one fixture
//! per code under `tests/fixtures/command/`, a file named after the code holding the command line,
//! one argument a line, run from the crate's folder.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use tally::codes::Code;

const FIXTURES: &str = "tests/fixtures/command";

/// The codes no command line can give: only an editor's broken connection gives
/// `tally::lsp-connection`.
const WITHOUT_FIXTURE: &[Code] = &[Code::LspConnection];

fn short(code: Code) -> &'static str {
    code.as_str().trim_start_matches("tally::")
}

/// `tally` with the fixture's arguments, and `extra` after them.
fn run(fixture: &Path, extra: &[&str]) -> common::Out {
    let text = std::fs::read_to_string(common::root().join(fixture)).unwrap();
    let args: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    common::cli(args.iter().chain(extra))
}

/// A new command code without a fixture, or a fixture that no longer gives its code alone, fails
/// here: in text each problem's line ends with its code, in JSON it is `code`. Nothing is written.
#[test]
fn every_command_code_has_a_fixture_that_triggers_it_and_nothing_else() {
    for &code in Code::COMMAND {
        if WITHOUT_FIXTURE.contains(&code) {
            continue;
        }
        let fixture = Path::new(FIXTURES).join(short(code));
        assert!(
            common::root().join(&fixture).is_file(),
            "no fixture for {}: add {}",
            code.as_str(),
            fixture.display()
        );
        let text = run(&fixture, &[]);
        assert_eq!(text.code, Some(2), "{}: {}", fixture.display(), text.stderr);
        assert!(text.stdout.is_empty(), "{}", text.stdout);
        let found: Vec<&str> = text
            .stderr
            .lines()
            .filter_map(|l| l.strip_prefix("error: "))
            .collect();
        assert!(
            !found.is_empty()
                && found
                    .iter()
                    .all(|l| l.ends_with(&format!(" [{}]", code.as_str()))),
            "{} should give {} alone:\n{}",
            fixture.display(),
            code.as_str(),
            text.stderr
        );
        insta::assert_snapshot!(short(code), text.stderr);

        let json = run(&fixture, &["--format", "json"]);
        assert_eq!(json.code, Some(2), "{}", json.stderr);
        let lines = common::json_lines(&json.stderr);
        assert_eq!(lines.len(), found.len(), "{}", json.stderr);
        for line in &lines {
            assert_eq!(line["code"], code.as_str(), "{line}");
        }
    }
}

/// Every fixture is about a command code.
#[test]
fn every_fixture_is_about_a_code() {
    for entry in std::fs::read_dir(common::root().join(FIXTURES)).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            Code::COMMAND
                .iter()
                .any(|c| short(*c) == name && !WITHOUT_FIXTURE.contains(c)),
            "{FIXTURES}/{name} is about no command code"
        );
    }
}

/// The command codes are apart from every other list.
#[test]
fn command_codes_are_their_own_list() {
    for code in Code::COMMAND {
        assert!(!Code::ALL.contains(code), "{code:?}");
        assert!(!Code::SCENARIO.contains(code), "{code:?}");
        assert!(!Code::RECORDS.contains(code), "{code:?}");
        assert!(!Code::EVAL.contains(code), "{code:?}");
    }
}
