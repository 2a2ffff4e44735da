//! Every diagnostic `tally check` can give, as a user sees it: one fixture per code under
//! `tests/fixtures/check/`, named after the code, rendered without colour.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use tally::codes::Code;
use tally::compile::compile;
use tally::diag::render;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(format!("{name}.policy"))
}

#[test]
fn every_fixture_as_the_user_sees_it() {
    insta::glob!("fixtures/check/*.policy", |path| {
        let bytes = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let compiled = compile(&name, &bytes);
        insta::assert_snapshot!(render(&compiled.diags, &compiled.source, false));
    });
}

/// A new code without a fixture, or a fixture that no longer triggers its code, fails here.
#[test]
fn every_code_has_a_fixture_that_triggers_it() {
    for code in Code::ALL {
        let name = code.as_str().trim_start_matches("tally::");
        let path = fixture(name);
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|_| panic!("no fixture for {}: add {}", code.as_str(), path.display()));
        let compiled = compile(name, &bytes);
        assert!(
            compiled.diags.iter().any(|d| d.code == *code),
            "{} does not trigger {}: it gives {:?}",
            path.display(),
            code.as_str(),
            compiled
                .diags
                .iter()
                .map(|d| d.code.as_str())
                .collect::<Vec<_>>()
        );
    }
}

/// Three independent mistakes in one policy: all three are reported, not only the first.
#[test]
fn three_independent_errors_are_all_reported() {
    let text = std::fs::read_to_string(fixture("unknown-record"))
        .unwrap()
        .replace("sum(leave.days)", "sum(leave.day)")
        .replace("{ city: 5, province: 10 }", "{ city: 5 }");
    let compiled = compile("three.policy", text.as_bytes());
    let errors: Vec<&str> = compiled
        .diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(
        errors,
        [
            "tally::unknown-record",
            "tally::unknown-field",
            "tally::incomplete-table"
        ],
    );
    insta::assert_snapshot!(render(&compiled.diags, &compiled.source, false));
}

/// Syntax errors are all reported too: recovery goes on after the first.
#[test]
fn several_syntax_errors_are_all_reported() {
    let text = std::fs::read_to_string(fixture("syntax"))
        .unwrap()
        .replace("[1.2] base 20 *", "[1.2] base 20 * *")
        .replace("to members", "to members members");
    let compiled = compile("syntax3.policy", text.as_bytes());
    let n = compiled.diags.iter().filter(|d| d.is_error()).count();
    assert!(
        n >= 3,
        "{}",
        render(&compiled.diags, &compiled.source, false)
    );
}
