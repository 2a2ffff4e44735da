//! The README's examples are true: every `$ tally …` line in a ```console block is run and its
//! output must be exactly the lines that follow it (standard output, then standard error).
//! `TALLY_UPDATE_README=1 cargo test --test readme` rewrites the outputs after a deliberate change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::root;

/// Runs the binary with whitespace-separated arguments, as a user would type them.
fn run(args: &str) -> (String, Option<i32>) {
    let out = common::cli(args.split_whitespace());
    (out.both(), out.code)
}

/// The README with every console block's outputs replaced by what the commands print now.
fn with_actual_outputs(readme: &str) -> String {
    let mut out = String::new();
    let mut in_console = false;
    let mut skipping = false;
    for line in readme.split_inclusive('\n') {
        let bare = line.trim_end();
        if !in_console {
            in_console = bare == "```console";
            out.push_str(line);
            continue;
        }
        if bare == "```" {
            in_console = false;
            skipping = false;
            out.push_str(line);
        } else if let Some(command) = bare.strip_prefix("$ ") {
            out.push_str(line);
            let args = command
                .strip_prefix("tally ")
                .unwrap_or_else(|| panic!("console blocks run tally only: `{command}`"));
            let (text, _) = run(args);
            for l in text.lines() {
                out.push_str(l.trim_end());
                out.push('\n');
            }
            skipping = true;
        } else if !skipping {
            out.push_str(line);
        }
    }
    out
}

#[test]
fn every_console_example_prints_what_the_readme_shows() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    assert!(readme.contains("```console"), "the README has examples");
    let actual = with_actual_outputs(&readme);
    if actual != readme {
        if std::env::var_os("TALLY_UPDATE_README").is_some() {
            std::fs::write(&path, &actual).unwrap();
        } else {
            let first = readme
                .lines()
                .zip(actual.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "README.md line {}: the example's output changed\n  README: {:?}\n  actual: {:?}\n\
                 rerun with TALLY_UPDATE_README=1 to rewrite the outputs",
                first + 1,
                readme.lines().nth(first),
                actual.lines().nth(first)
            );
        }
    }
}

/// The two commands a newcomer needs: the first runs the main job on the shipped example, the
/// second is the test command, which CI runs too.
#[test]
fn the_two_commands_work() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let sh_blocks = |text: &str| -> Vec<String> {
        text.split("```sh\n")
            .skip(1)
            .filter_map(|b| b.split("```").next())
            .map(|b| b.trim().to_string())
            .collect()
    };
    let (before, two) = readme.split_once("## Two commands").unwrap();
    let blocks = sh_blocks(two);
    let main_job = blocks[0].as_str();
    // The Chinese quick start, above, runs the same job in Chinese.
    let chinese = sh_blocks(before.split_once("## 快速上手（中文）").unwrap().1);
    assert_eq!(chinese, [format!("{main_job} --lang zh")]);
    let args = main_job
        .strip_prefix("cargo run --release -- ")
        .expect("the first command runs tally through cargo");
    let (text, code) = run(args);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("D01,王建国,2020,964.67,五星级,true,"),
        "{text}"
    );
    assert_eq!(blocks[1].trim(), "cargo test");
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test"),
        "CI runs the README's test command"
    );
}
