//! `tally check` as a user runs it: exit codes (0 clean, 1 findings, 2 could not run), the reports
//! on standard error, JSON lines on standard output, `--deny-warnings`, several files, `lint`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::Out;

const SHIPPED: &str = "policies/dashuipo-2020.policy";
const ERRORS: &str = "tests/fixtures/check/unknown-record.policy";
const WARNING: &str = "tests/fixtures/check/no-citation.policy";

/// Runs the binary from the crate's folder, without colour; absolute paths are replaced by
/// `[ROOT]` so that snapshots match on every machine.
fn tally(args: &[&str]) -> Out {
    let root = common::root().display().to_string();
    let clean = |text: String| {
        assert!(!text.contains('\u{1b}'), "colour despite NO_COLOR: {text}");
        text.replace(&root, "[ROOT]")
    };
    let out = common::cli(args);
    Out {
        code: out.code,
        stdout: clean(out.stdout),
        stderr: clean(out.stderr),
    }
}

#[test]
fn the_shipped_policy_is_clean() {
    let run = tally(&["check", SHIPPED]);
    assert_eq!(run.code, Some(0), "{}", run.both());
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!(run.stderr, @"checked 1 file: 0 errors, 0 warnings");
}

#[test]
fn the_shipped_policy_is_clean_even_with_warnings_denied() {
    let run = tally(&["check", "--deny-warnings", SHIPPED]);
    assert_eq!(run.code, Some(0), "{}", run.both());
}

#[test]
fn errors_exit_1_with_a_report_for_each() {
    let run = tally(&["check", ERRORS]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "", "reports go to standard error");
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn three_errors_in_one_file_are_all_reported() {
    let dir = std::env::temp_dir().join(format!("tally-cli-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("three.policy");
    let text =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(ERRORS))
            .unwrap()
            .replace("sum(leave.days)", "sum(leave.day)")
            .replace("{ city: 5, province: 10 }", "{ city: 5 }");
    std::fs::write(&path, text).unwrap();
    let run = tally(&["check", "--format", "json", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(run.code, Some(1));
    let codes: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["code"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        codes,
        [
            "tally::unknown-record",
            "tally::unknown-field",
            "tally::incomplete-table"
        ]
    );
}

/// The fields PRODUCT.md promises, and no others: code, severity, message, file, line, column,
/// help.
#[test]
fn json_gives_one_object_per_diagnostic() {
    let run = tally(&["check", "--format", "json", ERRORS, WARNING]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stderr, "", "nothing but JSON is printed");
    let objects: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 2);
    for v in &objects {
        let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "code", "column", "file", "help", "line", "message", "severity"
            ]
        );
    }
    assert_eq!(objects[0]["code"], "tally::unknown-record");
    assert_eq!(objects[0]["severity"], "error");
    assert_eq!(objects[0]["file"], ERRORS);
    assert_eq!(
        (&objects[0]["line"], &objects[0]["column"]),
        (&19.into(), &15.into())
    );
    assert_eq!(objects[1]["severity"], "warning");
    insta::assert_snapshot!(run.stdout);
}

/// A column counts characters, not bytes: Chinese text earlier on the line does not shift it, and
/// the report's `file:line:column` agrees with the JSON line.
#[test]
fn columns_count_characters_in_reports_and_json() {
    let file = "tests/fixtures/check/unknown-value.policy";
    let json = tally(&["check", "--format", "json", file]);
    let v: serde_json::Value = serde_json::from_str(json.stdout.lines().next().unwrap()).unwrap();
    // `  item villages "包村" 40 for role in {包村} {`: the second `包村` is the 38th character
    assert_eq!((&v["line"], &v["column"]), (&28.into(), &38.into()));
    let human = tally(&["check", file]);
    assert!(
        human.stderr.contains(&format!("[{file}:28:38]")),
        "{}",
        human.stderr
    );
}

#[test]
fn a_clean_policy_prints_no_json() {
    let run = tally(&["check", "--format", "json", SHIPPED]);
    assert_eq!(run.code, Some(0));
    assert_eq!(run.both(), "");
}

#[test]
fn warnings_alone_pass_unless_denied() {
    let allowed = tally(&["check", WARNING]);
    assert_eq!(allowed.code, Some(0));
    let denied = tally(&["check", "--deny-warnings", WARNING]);
    assert_eq!(denied.code, Some(1));
    assert_eq!(allowed.both(), denied.both(), "the same report either way");
    insta::assert_snapshot!(denied.stderr);
}

#[test]
fn a_missing_file_cannot_run() {
    let run = tally(&["check", "nowhere.policy"]);
    assert_eq!(run.code, Some(2));
    insta::assert_snapshot!(run.both());
}

/// The files that can be read are still checked; the run as a whole could not be completed.
#[test]
fn a_missing_file_among_others_still_checks_the_others() {
    let run = tally(&["check", "nowhere.policy", ERRORS]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("cannot read `nowhere.policy`"));
    assert!(run.stderr.contains("tally::unknown-record"));
    assert!(run.stderr.contains("checked 1 file: 1 error, 0 warnings"));
}

#[test]
fn bad_flags_cannot_run() {
    assert_eq!(tally(&["check", "--format", "xml", SHIPPED]).code, Some(2));
    assert_eq!(tally(&["check", "--no-such-flag", SHIPPED]).code, Some(2));
    assert_eq!(tally(&["check"]).code, Some(2), "a policy is required");
}

#[test]
fn several_files_at_once() {
    let run = tally(&[
        "check",
        SHIPPED,
        ERRORS,
        WARNING,
        "tests/fixtures/check/invalid-utf8.policy",
    ]);
    assert_eq!(run.code, Some(1));
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn lint_is_another_name_for_check() {
    for args in [
        vec![ERRORS],
        vec!["--format", "json", ERRORS, WARNING],
        vec!["--deny-warnings", WARNING],
        vec![SHIPPED],
    ] {
        let check = tally(&[&["check"], args.as_slice()].concat());
        let lint = tally(&[&["lint"], args.as_slice()].concat());
        assert_eq!(check.code, lint.code, "{args:?}");
        assert_eq!(check.both(), lint.both(), "{args:?}");
    }
}

/// A folder stands for every `*.policy` in it, by name, as for `tally fmt`; other files are left
/// alone, and a folder without policies cannot run.
#[test]
fn a_folder_checks_every_policy_in_it() {
    let dir = common::temp_dir("check-folder");
    let root = common::root();
    std::fs::copy(root.join(SHIPPED), dir.join("a.policy")).unwrap();
    std::fs::copy(root.join(ERRORS), dir.join("b.policy")).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a policy").unwrap();
    let run = tally(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.both());
    let files: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let file = v["file"].as_str().unwrap();
            Path::new(file)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(
        !files.is_empty() && files.iter().all(|f| f == "b.policy"),
        "{files:?}"
    );
    let run = tally(&["check", dir.to_str().unwrap()]);
    assert!(
        run.stderr
            .ends_with("checked 2 files: 1 error, 0 warnings\n"),
        "{}",
        run.stderr
    );

    let empty = common::temp_dir("check-empty");
    let run = tally(&["check", empty.to_str().unwrap()]);
    assert_eq!(run.code, Some(2), "{}", run.both());
    assert!(
        run.stderr.contains("no `*.policy` file in"),
        "{}",
        run.stderr
    );
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&empty).unwrap();
}
