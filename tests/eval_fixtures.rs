//! Every problem scoring can find once the inputs are read, as a user sees it: one fixture per
//! code under `tests/fixtures/eval/`, a folder named after the code holding `records.csv`, and
//! when the Dashuipo year does not serve, `test.policy`, `roster.csv` and `as-of` (the report day;
//! 2021-01-05 when absent).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use tally::codes::Code;

const FIXTURES: &str = "tests/fixtures/eval";

/// The codes no input can give: `tally::internal` is a policy `check` should have refused.
const WITHOUT_FIXTURE: &[Code] = &[Code::Internal];

fn short(code: Code) -> &'static str {
    code.as_str().trim_start_matches("tally::")
}

/// `tally eval` on a fixture folder, with `--format` `format`.
fn eval(dir: &Path, format: &str) -> common::Out {
    let own = |name: &str, dashuipo: &str| {
        let p = dir.join(name);
        if common::root().join(&p).exists() {
            p
        } else {
            PathBuf::from(dashuipo)
        }
    };
    let as_of = std::fs::read_to_string(common::root().join(dir).join("as-of"))
        .map_or_else(|_| "2021-01-05".to_string(), |t| t.trim().to_string());
    common::cli([
        "eval".as_ref(),
        own("test.policy", "policies/dashuipo-2020.policy").as_os_str(),
        "--roster".as_ref(),
        own("roster.csv", "policies/dashuipo-2020/roster.csv").as_os_str(),
        "--records".as_ref(),
        dir.join("records.csv").as_os_str(),
        "--as-of".as_ref(),
        as_of.as_ref(),
        "--format".as_ref(),
        format.as_ref(),
    ])
}

/// A new scoring code without a fixture, or a fixture that no longer gives its code alone, fails
/// here; the text form ends each problem's line with its code, the JSON form gives it as `code`.
#[test]
fn every_eval_code_has_a_fixture_that_triggers_it_and_nothing_else() {
    for &code in Code::EVAL {
        if WITHOUT_FIXTURE.contains(&code) {
            continue;
        }
        let dir = Path::new(FIXTURES).join(short(code));
        assert!(
            common::root().join(&dir).join("records.csv").exists(),
            "no fixture for {}: add {}/records.csv",
            code.as_str(),
            dir.display()
        );

        let text = eval(&dir, "csv");
        assert_eq!(text.code, Some(1), "{}: {}", dir.display(), text.stderr);
        assert!(text.stdout.is_empty(), "{}: {}", dir.display(), text.stdout);
        let found: Vec<&str> = text
            .stderr
            .lines()
            .filter_map(|l| l.strip_prefix("error: "))
            .map(|l| {
                let start = l
                    .rfind(" [tally::")
                    .unwrap_or_else(|| panic!("no code: {l}"));
                &l[start + 2..l.len() - 1]
            })
            .collect();
        assert!(
            !found.is_empty() && found.iter().all(|c| *c == code.as_str()),
            "{} should give {} alone; it gives {found:?}:\n{}",
            dir.display(),
            code.as_str(),
            text.stderr
        );

        let json = eval(&dir, "json");
        assert_eq!(json.code, Some(1), "{}: {}", dir.display(), json.stderr);
        assert!(json.stdout.is_empty(), "{}: {}", dir.display(), json.stdout);
        let lines = common::json_lines(&json.stderr);
        assert_eq!(lines.len(), found.len(), "{}", json.stderr);
        for line in &lines {
            assert_eq!(line["code"], code.as_str(), "{line}");
            assert_eq!(line["severity"], "error", "{line}");
        }
        insta::assert_snapshot!(short(code), json.stderr);
    }
}

/// Every fixture is about a scoring code.
#[test]
fn every_fixture_is_about_a_code() {
    for entry in std::fs::read_dir(common::root().join(FIXTURES)).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            Code::EVAL
                .iter()
                .any(|c| short(*c) == name && !WITHOUT_FIXTURE.contains(c)),
            "{FIXTURES}/{name} is about no scoring code"
        );
    }
}

/// The scoring codes are apart from every other list.
#[test]
fn eval_codes_are_their_own_list() {
    for code in Code::EVAL {
        assert!(!Code::ALL.contains(code), "{code:?}");
        assert!(!Code::SCENARIO.contains(code), "{code:?}");
        assert!(!Code::RECORDS.contains(code), "{code:?}");
    }
}
