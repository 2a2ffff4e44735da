//! `tally fmt` as a user runs it: the canonical layout of messy policies (snapshots), rewriting in
//! place, `--check`, standard input, folders, syntax errors, and the shipped policies being
//! canonical already.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use tally::diag::Source;
use tally::fmt::format;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary from the crate's folder without colour, `stdin` on its standard input; the
/// crate's folder and `tmp` are replaced by `[ROOT]` and `[TMP]` so snapshots match everywhere.
fn tally_in(args: &[&str], stdin: &[u8], tmp: Option<&Path>) -> Run {
    let mut child = common::tally_command()
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    let clean = |bytes: Vec<u8>| {
        let mut text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains('\u{1b}'), "colour despite NO_COLOR: {text}");
        if let Some(tmp) = tmp {
            text = text.replace(&tmp.display().to_string(), "[TMP]");
        }
        text.replace(&root().display().to_string(), "[ROOT]")
    };
    Run {
        code: out.status.code(),
        stdout: clean(out.stdout),
        stderr: clean(out.stderr),
    }
}

fn tally(args: &[&str], tmp: &Path) -> Run {
    tally_in(args, b"", Some(tmp))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/fmt").join(name)
}

fn formatted(text: &str) -> String {
    format(&Source::new("t.policy", text)).unwrap()
}

/// A temporary folder holding a copy of each named fixture.
fn copies(tag: &str, names: &[&str]) -> PathBuf {
    let dir = common::temp_dir(tag);
    for name in names {
        std::fs::copy(fixture(name), dir.join(name)).unwrap();
    }
    dir
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn every_fixture_in_its_canonical_layout() {
    insta::glob!("fixtures/fmt/*.policy", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let out = formatted(&text);
        assert_eq!(formatted(&out), out, "formatting twice changes nothing");
        insta::assert_snapshot!(out);
    });
}

#[test]
fn a_file_is_rewritten_in_place_and_then_left_alone() {
    let dir = copies("in-place", &["spacing.policy"]);
    let path = dir.join("spacing.policy");
    let before = std::fs::read_to_string(&path).unwrap();
    let run = tally(&["fmt", s(&path)], &dir);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!(run.stderr, @"formatted 1 file: 1 rewritten");
    let after = std::fs::read_to_string(&path).unwrap();
    assert_ne!(after, before);
    assert_eq!(after, formatted(&before));

    let again = tally(&["fmt", s(&path)], &dir);
    assert_eq!(again.code, Some(0));
    insta::assert_snapshot!(again.stderr, @"formatted 1 file: 0 rewritten");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), after);
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_passes_a_canonical_file() {
    let run = tally_in(
        &["fmt", "--check", "policies/dashuipo-2020.policy"],
        b"",
        None,
    );
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!(run.stderr, @"checked 1 file: all in the canonical layout");
}

#[test]
fn check_names_a_file_that_is_not_canonical_and_changes_nothing() {
    let dir = copies("check", &["comments.policy"]);
    let path = dir.join("comments.policy");
    let before = std::fs::read(&path).unwrap();
    let run = tally(&["fmt", "--check", s(&path)], &dir);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "--check writes nothing"
    );
    insta::assert_snapshot!(format!("{}{}", run.stdout, run.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_says_when_only_the_line_endings_change() {
    let dir = common::temp_dir("crlf");
    let path = dir.join("crlf.policy");
    let canonical = formatted(&std::fs::read_to_string(fixture("crlf.policy")).unwrap());
    std::fs::write(&path, canonical.replace('\n', "\r\n")).unwrap();
    let run = tally(&["fmt", "--check", s(&path)], &dir);
    assert_eq!(run.code, Some(1));
    insta::assert_snapshot!(format!("{}{}", run.stdout, run.stderr), @r"
    [TMP]/crlf.policy: not in the canonical layout
    line endings \r\n become \n
    checked 1 file: 1 not in the canonical layout
    ");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_dash_formats_standard_input_to_standard_output() {
    let text = std::fs::read(fixture("crlf.policy")).unwrap();
    let run = tally_in(&["fmt", "-"], &text, None);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr, "", "nothing but the policy is printed");
    assert_eq!(
        run.stdout,
        formatted(std::str::from_utf8(&text).unwrap()),
        "the same text as in place"
    );
    assert!(!run.stdout.contains('\r') && !run.stdout.starts_with('\u{feff}'));

    let check = tally_in(&["fmt", "--check", "-"], run.stdout.as_bytes(), None);
    assert_eq!((check.code, check.stdout.as_str()), (Some(0), ""));
}

#[test]
fn a_syntax_error_is_reported_like_check_does_and_the_file_is_untouched() {
    let dir = common::temp_dir("syntax");
    let path = dir.join("syntax.policy");
    std::fs::copy(root().join("tests/fixtures/check/syntax.policy"), &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let run = tally(&["fmt", s(&path)], &dir);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let check = tally(&["check", s(&path)], &dir);
    // Everything but the closing count, which each command words its own way.
    let report = |text: &str| {
        let lines: Vec<&str> = text.lines().collect();
        lines[..lines.len() - 1].join("\n")
    };
    assert_eq!(
        report(&run.stderr),
        report(&check.stderr),
        "the same report"
    );
    insta::assert_snapshot!(run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_file_cannot_run() {
    let dir = common::temp_dir("missing");
    let run = tally(&["fmt", s(&dir.join("nowhere.policy"))], &dir);
    assert_eq!(run.code, Some(2));
    insta::assert_snapshot!(run.stderr, @"error: cannot read `[TMP]/nowhere.policy`: no such file or folder [tally::cannot-read]");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_means_every_policy_in_it() {
    let dir = copies("folder", &["spacing.policy", "records.policy"]);
    let canonical = formatted(&std::fs::read_to_string(fixture("chinese.policy")).unwrap());
    std::fs::write(dir.join("canonical.policy"), &canonical).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a policy {").unwrap();
    std::fs::create_dir(dir.join("records")).unwrap();
    std::fs::write(
        dir.join("records/x.policy"),
        "not read: folders inside are not",
    )
    .unwrap();

    let run = tally(&["fmt", "--check", s(&dir)], &dir);
    assert_eq!(run.code, Some(1));
    let named: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.ends_with("not in the canonical layout"))
        .collect();
    assert_eq!(
        named,
        [
            "[TMP]/records.policy: not in the canonical layout",
            "[TMP]/spacing.policy: not in the canonical layout"
        ]
    );
    insta::assert_snapshot!(run.stderr, @"checked 3 files: 2 not in the canonical layout");

    let run = tally(&["fmt", s(&dir)], &dir);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr, @"formatted 3 files: 2 rewritten");
    let run = tally(&["fmt", "--check", s(&dir)], &dir);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert_eq!(
        std::fs::read_to_string(dir.join("canonical.policy")).unwrap(),
        canonical
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "not a policy {"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_without_policies_cannot_run() {
    let dir = common::temp_dir("empty");
    let run = tally(&["fmt", "--check", s(&dir)], &dir);
    assert_eq!(run.code, Some(2));
    insta::assert_snapshot!(run.stderr, @"error: no `*.policy` file in `[TMP]` [tally::cannot-read]");
    let _ = std::fs::remove_dir_all(&dir);
}

/// What CI relies on: every shipped policy is already in the canonical layout.
#[test]
fn the_shipped_policies_are_canonical() {
    let run = tally_in(
        &[
            "fmt",
            "--check",
            "policies/",
            "examples/bench/bench.policy",
            "tests/fixtures/readme/revised.policy",
        ],
        b"",
        None,
    );
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!(run.stderr, @"checked 5 files: all in the canonical layout");
}

#[cfg(unix)]
#[test]
fn a_rewritten_file_keeps_its_permissions_and_its_link() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = copies("perms", &["spacing.policy"]);
    let real = dir.join("spacing.policy");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.join("link.policy");
    symlink(&real, &link).unwrap();
    let run = tally(&["fmt", s(&link)], &dir);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert_eq!(
        formatted(&text),
        text,
        "the file it points to was formatted"
    );
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_read_only_file_is_not_replaced() {
    let dir = copies("read-only", &["spacing.policy"]);
    let path = dir.join("spacing.policy");
    let before = std::fs::read_to_string(&path).unwrap();
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let run = tally(&["fmt", s(&path)], &dir);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr, @r"
    error: cannot write `[TMP]/spacing.policy`: the file is read-only [tally::cannot-write]
    formatted 1 file: 0 rewritten, 1 could not be formatted
    ");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file with the lone `\r` line ends of old Mac editors is formatted like the same file with
/// `\n`: its comments end at the `\r`, not at the end of the file.
#[test]
fn lone_carriage_returns_are_line_ends() {
    let text = std::fs::read_to_string(fixture("comments.policy")).unwrap();
    let mac = text.replace('\n', "\r");
    assert_eq!(formatted(&mac), formatted(&text));
}

/// A comment inside a table, a set or a continued condition stays on the line of the entry or
/// operand it follows; a table too long for its line is laid out one entry per line.
#[test]
fn comments_inside_multi_line_constructs_stay_on_their_entry_line() {
    let text = std::fs::read_to_string(fixture("multiline-comments.policy")).unwrap();
    let out = formatted(&text);
    for (code, comment) in [
        ("包片委员,", "# 委员"),
        ("片长", "# 片长"),
        ("city: 5,", "# 市级"),
        ("province: 10,", "# 省级"),
        ("when count(late) in year > 3", "# 多次"),
        ("and sum(leave.days) in year > 5", "# 请假多"),
        ("片长,", "# 两类"),
    ] {
        assert!(
            out.lines()
                .any(|l| l.contains(code) && l.ends_with(comment)),
            "`{comment}` is not on the line of `{code}`:\n{out}"
        );
    }
    assert!(
        out.contains("    [2.2] per honor +level {\n      city: 100,\n"),
        "{out}"
    );
    assert!(
        out.lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 100),
        "{out}"
    );
}

/// An amount stays whole: a long rule breaks before the amount's sign, never inside the amount, so
/// that no `- b * 3` stands on a line of its own looking like a deduction of its own.
#[test]
fn a_signed_sum_is_never_broken_away_from_its_sign() {
    let text = std::fs::read_to_string(fixture("signed-amounts.policy")).unwrap();
    let out = formatted(&text);
    let lines: Vec<&str> = out.lines().collect();
    for head in ["[2.7] when count(late) in year > 3:", "[2.10] per leave"] {
        let at = lines
            .iter()
            .position(|l| l.trim() == head)
            .unwrap_or_else(|| panic!("{out}"));
        assert!(lines[at + 1].trim_start().starts_with('-'), "{out}");
        assert!(!lines[at + 2].trim_start().starts_with('-'), "{out}");
    }
}
