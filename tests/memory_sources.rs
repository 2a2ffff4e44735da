//! A roster or record file held in memory (a scenario's rows): read like a file, with every line
//! counted from where its first line stands, and nothing written to disk.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use tally::compile::compile;
use tally::diag::plain;
use tally::eval::evaluate;
use tally::eval::input::{self, InMemory};

fn dashuipo() -> tally::check::Policy {
    let text = std::fs::read(common::root().join("policies/dashuipo-2020.policy")).unwrap();
    compile("dashuipo-2020.policy", &text).policy.unwrap()
}

fn text(name: &str, text: &str, first_line: usize) -> InMemory {
    InMemory {
        name: PathBuf::from(name),
        bytes: text.as_bytes().into(),
        first_line,
    }
}

const ROSTER: &str = "person,name,department,role,head,temporary
D01,王建国,党政办公室,包片委员,true,false
D02,李秀英,党政办公室,包村干部,false,false
";

#[test]
fn a_roster_in_memory_is_read_and_its_problems_are_on_its_own_lines() {
    let policy = dashuipo();
    let roster = input::read_roster_from(&policy, &text("名单", ROSTER, 1)).unwrap();
    assert_eq!(roster.people.len(), 2);

    let twice = format!("{ROSTER}D01,王建国,党政办公室,包片委员,false,false\n");
    let errors = input::read_roster_from(&policy, &text("名单", &twice, 10)).unwrap_err();
    let lines: Vec<String> = errors.list.iter().map(plain).collect();
    assert_eq!(errors.list.len(), 1, "{lines:?}");
    // The header on line 10, the repeated person on the fourth line of the text: line 13.
    assert!(lines[0].starts_with("名单:13: "), "{lines:?}");
    assert!(lines[0].contains("[tally::duplicate-person]"), "{lines:?}");
}

#[test]
fn records_in_memory_are_read_in_place_of_a_file_that_does_not_exist() {
    let policy = dashuipo();
    let roster = input::read_roster_from(&policy, &text("名单", ROSTER, 1)).unwrap();
    let options = |memory: Vec<InMemory>| common::options_2021(None, memory);
    let name = "no-such-folder/scenario.scenario#1";
    let files = [PathBuf::from(name)];

    let good = "date,kind,person\n2020-03-02,late,D02\n";
    let (outcome, _) = evaluate(
        &policy,
        &roster,
        &files,
        &options(vec![text(name, good, 5)]),
    )
    .unwrap_or_else(|p| panic!("{:?}", p.list.iter().map(plain).collect::<Vec<_>>()));
    assert_eq!(outcome.people.len(), 2);

    // A wrong row is told at its line counted from the first: 5 (the header), then 6, 7.
    let bad = "date,kind,person\n2020-03-02,late,D02\n2020-03-03,lat,D02\n";
    let problems = evaluate(&policy, &roster, &files, &options(vec![text(name, bad, 5)]))
        .err()
        .unwrap();
    let lines: Vec<String> = problems.list.iter().map(plain).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with(&format!(
            "{name}:7: column `kind`: unknown record kind `lat`"
        )),
        "{lines:?}"
    );

    // Without the text in memory, the file is looked for on disk, and is not there.
    let missing = evaluate(&policy, &roster, &files, &options(Vec::new()))
        .err()
        .unwrap();
    assert!(missing.unreadable(), "{:?}", missing.list);
}

/// `tally test` runs a scenario with rows of its own without a temporary folder: it runs where no
/// temporary folder can be made.
#[test]
fn a_scenario_with_rows_of_its_own_needs_no_temporary_folder() {
    let blocked = common::temp_dir("no-tmp").join("a-file");
    std::fs::create_dir_all(blocked.parent().unwrap()).unwrap();
    std::fs::write(&blocked, "not a folder").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tally"))
        .args([
            "test",
            "policies/dashuipo-2020.tests/2.1.1-absent-over-five.scenario",
        ])
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        // Under a file: no folder can be made there.
        .env("TMPDIR", &blocked)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(blocked.parent().unwrap());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
}
