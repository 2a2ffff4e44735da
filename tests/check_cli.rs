//! `tally check` as a user runs it: exit codes, the graphical report, JSON, --deny-warnings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn check(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let mut text = String::from_utf8(out.stdout).unwrap();
    text.push_str(&String::from_utf8(out.stderr).unwrap());
    (out.status.code(), text)
}

#[test]
fn errors_exit_1_with_every_diagnostic() {
    let (code, out) = check(&["check", "tests/fixtures/check/unknown-record.policy"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(out);
}

#[test]
fn json_gives_one_object_per_diagnostic() {
    let (code, out) = check(&[
        "lint",
        "--format",
        "json",
        "tests/fixtures/check/unknown-record.policy",
        "tests/fixtures/check/no-citation.policy",
    ]);
    assert_eq!(code, Some(1));
    for line in out.lines().filter(|l| l.starts_with('{')) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in [
            "code", "severity", "message", "file", "line", "column", "help",
        ] {
            assert!(v.get(key).is_some(), "`{key}` missing in {line}");
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn warnings_alone_pass_unless_denied() {
    let file = "tests/fixtures/check/no-citation.policy";
    assert_eq!(check(&["check", file]).0, Some(0));
    assert_eq!(check(&["check", "--deny-warnings", file]).0, Some(1));
}

#[test]
fn a_missing_file_cannot_run() {
    let (code, out) = check(&["check", "nowhere.policy"]);
    assert_eq!(code, Some(2));
    insta::assert_snapshot!(out);
}
