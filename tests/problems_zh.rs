//! Every problem a record file, a roster, scoring or a command line can give, as a Chinese user
//! sees it (`--lang zh`): the fixtures of `tests/fixtures/records/`, `tests/fixtures/eval/` and
//! `tests/fixtures/command/` run as `records_fixtures.rs`, `eval_fixtures.rs` and
//! `command_fixtures.rs` run them, each snapshotted, and a guard that fails when a problem or its
//! help has no Chinese text. Codes, paths and the words of the policy stay as they are.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use tally::codes::Code;

fn short(code: Code) -> &'static str {
    code.as_str().trim_start_matches("tally::")
}

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// `tally --lang zh` with `args`.
fn zh(args: Vec<OsString>) -> common::Out {
    let mut all: Vec<OsString> = vec!["--lang".into(), "zh".into()];
    all.extend(args);
    common::cli(all)
}

/// Snapshots what fixture `name` of this `kind` printed, and notes its lines not in Chinese.
fn seen(english: &mut Vec<String>, kind: &str, name: &str, stderr: &str) {
    english.extend(
        english_lines(stderr)
            .into_iter()
            .map(|l| format!("{name}: {l}")),
    );
    insta::assert_snapshot!(format!("{kind}_{name}"), stderr);
}

/// Fails with every line noted as not in Chinese.
fn all_chinese(english: &[String]) {
    assert!(
        english.is_empty(),
        "not in Chinese:\n{}",
        english.join("\n")
    );
}

/// The lines of a run's problems that are not in Chinese: every `错误：` line (its message, after
/// the place) and every `提示：` line must have Chinese in it, and no line starts with the English
/// `error: ` or `help: `.
fn english_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            ["error: ", "help: ", "错误：", "提示："]
                .iter()
                .any(|mark| l.starts_with(mark))
        })
        .filter(|l| {
            if l.starts_with("error: ") || l.trim_start().starts_with("help: ") {
                return true;
            }
            // The message after the place (`file:line: `column` 列: `), without the code.
            let text = l.rsplit_once(" [tally::").map_or(*l, |(m, _)| m);
            !has_chinese(text)
        })
        .map(str::to_string)
        .collect()
}

/// `--as-of` for every fixture run here, as the English fixture tests give it.
const AS_OF: &str = "2021-01-05";

/// The arguments of `tally eval` on a record fixture (see `records_fixtures.rs`).
fn record_args(fixture: &Path) -> Vec<OsString> {
    let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
    let (roster, records) = if name.ends_with(".roster.csv") {
        (fixture, Path::new("policies/dashuipo-2020/records"))
    } else {
        (Path::new("policies/dashuipo-2020/roster.csv"), fixture)
    };
    let own = fixture.with_file_name(format!(
        "{}.policy",
        name.trim_end_matches(".csv").trim_end_matches(".roster")
    ));
    let policy = if common::root().join(&own).is_file() {
        own
    } else {
        PathBuf::from("policies/dashuipo-2020.policy")
    };
    vec![
        "eval".into(),
        policy.into(),
        "--roster".into(),
        roster.into(),
        "--records".into(),
        records.into(),
        "--as-of".into(),
        AS_OF.into(),
    ]
}

#[test]
fn every_record_problem_as_a_chinese_user_sees_it() {
    let mut english = Vec::new();
    for &code in Code::RECORDS {
        let name = short(code);
        let fixture = [
            format!("{name}.csv"),
            format!("{name}.roster.csv"),
            name.to_string(),
        ]
        .into_iter()
        .map(|f| Path::new("tests/fixtures/records").join(f))
        .find(|p| common::root().join(p).exists())
        .unwrap_or_else(|| panic!("no fixture for {name}"));
        let out = zh(record_args(&fixture));
        assert_ne!(out.code, Some(0), "{name}");
        assert!(
            out.stderr.contains(&format!("[{}]", code.as_str())),
            "{name}: {}",
            out.stderr
        );
        seen(&mut english, "records", name, &out.stderr);
    }
    all_chinese(&english);
}

#[test]
fn every_scoring_problem_as_a_chinese_user_sees_it() {
    let mut english = Vec::new();
    for &code in Code::EVAL {
        if code == Code::Internal {
            continue;
        }
        let name = short(code);
        let dir = Path::new("tests/fixtures/eval").join(name);
        let own = |file: &str, dashuipo: &str| {
            let p = dir.join(file);
            if common::root().join(&p).exists() {
                p
            } else {
                PathBuf::from(dashuipo)
            }
        };
        let as_of = std::fs::read_to_string(common::root().join(&dir).join("as-of"))
            .map_or_else(|_| AS_OF.to_string(), |t| t.trim().to_string());
        let out = zh(vec![
            "eval".into(),
            own("test.policy", "policies/dashuipo-2020.policy").into(),
            "--roster".into(),
            own("roster.csv", "policies/dashuipo-2020/roster.csv").into(),
            "--records".into(),
            dir.join("records.csv").into(),
            "--as-of".into(),
            as_of.into(),
        ]);
        assert_eq!(out.code, Some(1), "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("[{}]", code.as_str())),
            "{name}: {}",
            out.stderr
        );
        seen(&mut english, "eval", name, &out.stderr);
    }
    all_chinese(&english);
}

#[test]
fn every_command_problem_as_a_chinese_user_sees_it() {
    let mut english = Vec::new();
    for &code in Code::COMMAND {
        if code == Code::LspConnection {
            continue;
        }
        let name = short(code);
        let text =
            std::fs::read_to_string(common::root().join("tests/fixtures/command").join(name))
                .unwrap();
        let out = zh(text
            .lines()
            .filter(|l| !l.is_empty())
            .map(OsString::from)
            .collect());
        assert_eq!(out.code, Some(2), "{name}: {}", out.stderr);
        seen(&mut english, "command", name, &out.stderr);
    }
    all_chinese(&english);
}

/// A roster whose cells are empty: the person's id, name and department, and a column the policy
/// declares, each said in Chinese with the column it is in.
#[test]
fn empty_roster_cells_in_chinese() {
    let dir = common::temp_dir("roster-zh");
    let roster = dir.join("roster.csv");
    std::fs::write(
        &roster,
        "person,name,department,role,head,temporary\n\
         D01,,党政办公室,包片委员,true,false\n\
         D02,李秀英,党政办公室,,false,false\n",
    )
    .unwrap();
    let out = zh(vec![
        "eval".into(),
        "policies/dashuipo-2020.policy".into(),
        "--roster".into(),
        roster.clone().into(),
        "--records".into(),
        "policies/dashuipo-2020/records".into(),
        "--as-of".into(),
        AS_OF.into(),
    ]);
    let shown = out
        .stderr
        .replace(&roster.display().to_string(), "roster.csv");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(english_lines(&shown), Vec::<String>::new(), "{shown}");
    insta::assert_snapshot!(shown);
}
