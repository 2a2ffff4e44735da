//! Every diagnostic a scenario file can give, in Chinese (`--lang zh`): the fixtures of
//! `tests/fixtures/scenario/` as `tally test` prints them to a Chinese user, without colour, and a
//! guard that fails when a scenario code's message or help has no Chinese text. Every test here
//! speaks Chinese, so setting the language for the whole test binary is safe.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use tally::codes::Code;
use tally::lang::{self, Lang};
use tally::scenario::run::{RunOptions, Status, run};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(root()).unwrap_or(path).to_path_buf()
}

fn problems_zh(path: &Path) -> String {
    lang::set(Lang::Zh);
    std::env::set_current_dir(root()).unwrap();
    let policy = common::policy(common::DASHUIPO);
    let options = RunOptions {
        accept: false,
        colour: false,
        encoding: Default::default(),
    };
    let r = run(&policy, &relative(path), &options);
    assert_eq!(r.status, Status::Error, "{}", r.problems);
    r.problems
}

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_fixture_as_a_chinese_user_sees_it() {
    insta::glob!("fixtures/scenario/*.scenario", |path| {
        insta::assert_snapshot!(problems_zh(path));
    });
}

/// Each scenario code's fixture: the line that gives the code and its `help:` line, in Chinese.
#[test]
fn every_scenario_code_speaks_chinese() {
    let mut english = Vec::new();
    for code in Code::SCENARIO {
        let name = code.as_str().trim_start_matches("tally::");
        let path = root()
            .join("tests/fixtures/scenario")
            .join(format!("{name}.scenario"));
        let text = problems_zh(&path);
        let lines: Vec<&str> = text.lines().collect();
        let Some(at) = lines.iter().position(|l| l.contains(code.as_str())) else {
            english.push(format!("{name}: no diagnostic"));
            continue;
        };
        // The message is on the code's line or the next one (a rendered report), the help below.
        let message = lines[at..].iter().take(3).any(|l| {
            let l = l.replace(code.as_str(), "");
            has_chinese(&l) && !l.trim_start().starts_with("help:")
        });
        if !message {
            english.push(format!("{name}: message\n{text}"));
        }
        let help = lines[at..]
            .iter()
            .find(|l| l.trim_start().starts_with("help:"));
        if help.is_some_and(|h| !has_chinese(h)) {
            english.push(format!("{name}: {}", help.unwrap_or(&"")));
        }
    }
    assert!(
        english.is_empty(),
        "not in Chinese:\n{}",
        english.join("\n")
    );
}
