//! No command panics on an I/O error: a closed pipe (`tally check … | head -c1`) ends the output
//! quietly with the command's own exit code, a full disk (`>/dev/full`, `2>/dev/full`) is an
//! error with exit 2.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::{Command, Stdio};

const POLICY: &str = "policies/dashuipo-2020.policy";
const ROSTER: &str = "policies/dashuipo-2020/roster.csv";
const RECORDS: &str = "policies/dashuipo-2020/records";

/// One invocation of every subcommand that prints, on standard output or standard error.
fn invocations() -> Vec<Vec<&'static str>> {
    let inputs = [
        "--roster",
        ROSTER,
        "--records",
        RECORDS,
        "--as-of",
        "2021-01-05",
    ];
    let with = |head: &[&'static str]| -> Vec<&'static str> {
        head.iter().copied().chain(inputs).collect()
    };
    vec![
        vec!["check", "tests/fixtures/check/syntax.policy"],
        vec![
            "check",
            "--format",
            "json",
            "tests/fixtures/check/syntax.policy",
        ],
        with(&["eval", POLICY, "--format", "csv"]),
        with(&["eval", POLICY, "--format", "table"]),
        with(&["explain", POLICY, "--person", "D01"]),
        with(&["diff", POLICY, POLICY]),
        vec!["test", POLICY],
        vec!["fmt", "--check", "tests/fixtures/fmt/spacing.policy"],
        vec!["fmt", "-"],
        vec!["--help"],
        vec!["eval", "--help"],
    ]
}

/// A process's output streams: what it wrote where it could be read, and its exit code.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Where a stream of the child goes.
#[derive(Clone, Copy, PartialEq)]
enum To {
    Read,
    Full,
    ClosedPipe,
}

fn stdio(to: To) -> Stdio {
    match to {
        To::Read => Stdio::piped(),
        To::Full => Stdio::from(std::fs::File::create("/dev/full").unwrap()),
        To::ClosedPipe => {
            // The write end of a pipe whose reader has already exited.
            let mut reader = Command::new("true").stdin(Stdio::piped()).spawn().unwrap();
            let write_end = reader.stdin.take().unwrap();
            reader.wait().unwrap();
            Stdio::from(write_end)
        }
    }
}

fn run(args: &[&str], out: To, err: To) -> Ran {
    let mut child = common::tally_command()
        .args(args)
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::piped())
        .stdout(stdio(out))
        .stderr(stdio(err))
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.write_all(b"policy \"x\"   year 2020\n");
    }
    let output = child.wait_with_output().unwrap();
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn a_full_standard_output_is_an_error_with_exit_2() {
    for args in invocations() {
        let normal = run(&args, To::Read, To::Read);
        if normal.stdout.is_empty() {
            continue;
        }
        let full = run(&args, To::Full, To::Read);
        assert_eq!(full.code, Some(2), "{args:?}: {}", full.stderr);
        assert!(
            full.stderr.starts_with(
                "error: cannot write to the standard output: No space left on device\n"
            ),
            "{args:?}: {}",
            full.stderr
        );
        assert!(
            !full.stderr.contains("panicked"),
            "{args:?}: {}",
            full.stderr
        );
    }
}

#[test]
fn a_full_standard_error_exits_2_silently() {
    for args in invocations() {
        let normal = run(&args, To::Read, To::Read);
        if normal.stderr.is_empty() {
            continue;
        }
        let full = run(&args, To::Read, To::Full);
        assert_eq!(full.code, Some(2), "{args:?}");
        assert_eq!(full.stdout, normal.stdout, "{args:?}");
    }
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_commands_own_exit_code() {
    for args in invocations() {
        let normal = run(&args, To::Read, To::Read);
        let closed = run(&args, To::ClosedPipe, To::Read);
        assert_eq!(closed.code, normal.code, "{args:?}: {}", closed.stderr);
        assert_eq!(closed.stderr, normal.stderr, "{args:?}");
        if !normal.stderr.is_empty() {
            let closed = run(&args, To::Read, To::ClosedPipe);
            assert_eq!(closed.code, normal.code, "{args:?}");
            assert_eq!(closed.stdout, normal.stdout, "{args:?}");
        }
    }
}
