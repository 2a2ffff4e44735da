//! The spinner of a long evaluation: on a terminal only, cleared before the command ends, never on
//! standard output nor on a standard error that is a pipe or a file. `TALLY_PROGRESS_AFTER_MS=0`
//! shows it at once instead of after a second.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use common::{root, temp_dir};

const EVAL: &[&str] = &[
    "eval",
    "policies/dashuipo-2020.policy",
    "--roster",
    "policies/dashuipo-2020/roster.csv",
    "--records",
    "policies/dashuipo-2020/records",
    "--as-of",
    "2021-01-05",
    "--format",
    "csv",
];

/// Runs the evaluation with `lang` (`--lang …`, or nothing) on a pseudo-terminal, writing its results
/// to a file in a fresh folder: what the terminal showed, and the file's text.
fn on_a_terminal(lang: &[&str]) -> (String, String) {
    let dir = temp_dir("progress");
    let output = dir.join("results.csv");
    let command = format!(
        "{} {} {} --output {}",
        env!("CARGO_BIN_EXE_tally"),
        lang.join(" "),
        EVAL.join(" "),
        output.display()
    );
    // `script` runs the command on a pseudo-terminal and copies what it shows.
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(root())
        .env("TALLY_PROGRESS_AFTER_MS", "0")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .expect("`script` (util-linux) runs a command on a terminal");
    assert!(out.status.success(), "{out:?}");
    let written = std::fs::read_to_string(&output).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (String::from_utf8_lossy(&out.stdout).into_owned(), written)
}

#[test]
fn on_a_terminal_the_spinner_shows_and_is_cleared() {
    let (shown, written) = on_a_terminal(&[]);
    assert!(
        shown.contains("scoring 20 people on 13 record files"),
        "{shown:?}"
    );
    // Cleared: the last thing drawn erases the line.
    assert!(shown.ends_with("\r\u{1b}[2K"), "{shown:?}");
    // The results are what they are without it (a CSV file starts with a byte-order mark for
    // Excel; standard output has none).
    let without = common::cli(EVAL).ok();
    assert_eq!(written.strip_prefix('\u{feff}'), Some(without.as_str()));
}

/// The spinner speaks the user's language: `--lang zh` gives its text in Chinese.
#[test]
fn the_spinner_in_chinese() {
    let (shown, _) = on_a_terminal(&["--lang", "zh"]);
    assert!(
        shown.contains("正在按 13 个记录文件给 20 人计分"),
        "{shown:?}"
    );
}

#[test]
fn off_a_terminal_nothing_is_shown() {
    let plain = common::cli(EVAL);
    let out = common::tally_command()
        .args(EVAL)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("TALLY_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), plain.stdout);
    assert!(!plain.stdout.is_empty());
}

/// A problem met while the cards are made as the results are written is printed after the
/// spinner is cleared: to a file that can be written, to a read-only one (whose problem is the
/// card's, told first) and to the terminal itself.
#[test]
fn the_spinner_is_cleared_before_a_card_problem() {
    let dir = temp_dir("progress-problem");
    let policy = "policy \"p\" year 2020 total 100
annual = sum(months) / 12
round 2 half-up
record late \"迟到\" by person
record absent \"缺岗\" by person
section s \"s\" 100 {
  item i \"i\" 100 {
    [1] when count(late) in year > 0: -10 / count(absent) in year
  }
}
grades {
  A >= 90 \"a\"
  B \"b\"
}
";
    common::write(&dir, "p.policy", policy);
    common::write(&dir, "roster.csv", "person,name,department\nA,甲,办公室\n");
    common::write(&dir, "records.csv", "date,kind,person\n2020-03-02,late,A\n");
    common::write(&dir, "ro.csv", "kept\n");
    let mut read_only = std::fs::metadata(dir.join("ro.csv")).unwrap().permissions();
    read_only.set_readonly(true);
    std::fs::set_permissions(dir.join("ro.csv"), read_only).unwrap();
    for output in ["--output out.csv", "--output ro.csv", ""] {
        let command = format!(
            "{} eval p.policy --roster roster.csv --records records.csv --as-of 2021-01-05 --format csv {output}",
            env!("CARGO_BIN_EXE_tally"),
        );
        let out = Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .current_dir(&dir)
            .env("TALLY_PROGRESS_AFTER_MS", "0")
            .env("NO_COLOR", "1")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .output()
            .expect("`script` (util-linux) runs a command on a terminal");
        let shown = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(out.status.code(), Some(1), "{output}: {shown:?}");
        let at = shown
            .find("divides by zero")
            .unwrap_or_else(|| panic!("{output}: {shown:?}"));
        let cleared = shown.find("\r\u{1b}[2K").unwrap_or(usize::MAX);
        assert!(
            cleared < at,
            "{output}: printed over the spinner: {shown:?}"
        );
        assert!(!shown.contains("cannot write"), "{output}: {shown:?}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("ro.csv")).unwrap(),
        "kept\n"
    );
    assert!(!dir.join("out.csv").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
