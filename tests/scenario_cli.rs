//! `tally test` as a user runs it: the shipped scenarios, a policy revision that breaks one, and
//! `--accept` writing the new results back with the smallest possible change to the file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::{root, tally_output as tally};

/// A copy of the Dashuipo policy and its scenarios in a fresh folder, as `dashuipo-2020.policy`
/// and `dashuipo-2020.tests/`, with `edit` applied to the policy text.
fn copy(tag: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let dir = common::temp_dir(tag);
    let policy = edit(common::DASHUIPO);
    std::fs::write(dir.join("dashuipo-2020.policy"), policy).unwrap();
    let tests = dir.join("dashuipo-2020.tests");
    std::fs::create_dir_all(&tests).unwrap();
    for entry in std::fs::read_dir(root().join("policies/dashuipo-2020.tests")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, tests.join(path.file_name().unwrap())).unwrap();
    }
    // The example year's scenario reads `../dashuipo-2020/`.
    let data = dir.join("dashuipo-2020");
    std::fs::create_dir_all(data.join("records")).unwrap();
    std::fs::copy(
        root().join("policies/dashuipo-2020/roster.csv"),
        data.join("roster.csv"),
    )
    .unwrap();
    for entry in std::fs::read_dir(root().join("policies/dashuipo-2020/records")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, data.join("records").join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// The output with the temporary folder shown as `[TMP]`.
fn placeholder(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[TMP]")
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn the_shipped_scenarios_pass_and_exercise_every_rule() {
    let (out, code) = tally(&["test", "policies/dashuipo-2020.policy"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("47 passed, 0 failed\n"), "{out}");
    assert!(out.contains("every rule of policies/dashuipo-2020.policy is exercised"));
    insta::assert_snapshot!(out);
}

/// At least one scenario per clause row of READING.md: every clause id of the policy's rules has a
/// scenario named after it.
#[test]
fn every_clause_has_a_scenario() {
    let names: Vec<String> = std::fs::read_dir(root().join("policies/dashuipo-2020.tests"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let policy = common::policy(common::DASHUIPO);
    let mut clauses: Vec<String> = Vec::new();
    for section in &policy.sections {
        for item in &section.items {
            clauses.extend(item.rules.iter().filter_map(|r| r.clause.clone()));
            clauses.extend(item.bases.iter().filter_map(|b| b.clause.clone()));
        }
    }
    for block in &policy.adjustments {
        clauses.extend(block.rules.iter().filter_map(|r| r.clause.clone()));
    }
    clauses.extend(["1.3".to_string(), "4.1".to_string(), "4.3".to_string()]);
    for clause in clauses {
        let prefix = format!("{clause}-");
        assert!(
            names.iter().any(|n| n.starts_with(&prefix)),
            "no scenario for clause {clause}"
        );
    }
}

#[test]
fn changing_one_amount_fails_the_scenario_about_it() {
    let dir = copy("amount", |p| {
        p.replace(
            "[3.9] per temp_assignment +10",
            "[3.9] per temp_assignment +15",
        )
    });
    let (out, code) = tally(&["test", &s(&dir.join("dashuipo-2020.policy"))]);
    assert_eq!(code, 1, "{out}");
    let failed: Vec<&str> = out.lines().filter(|l| l.starts_with("FAILED")).collect();
    assert_eq!(failed.len(), 1, "{out}");
    assert!(failed[0].contains("3.9-temp-assignment"), "{out}");
    assert!(out.ends_with("46 passed, 1 failed\n"), "{out}");
    insta::assert_snapshot!(placeholder(&out, &dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn accept_writes_the_new_results_and_changes_nothing_else() {
    let dir = copy("accept", |p| {
        p.replace(
            "[3.9] per temp_assignment +10",
            "[3.9] per temp_assignment +15",
        )
    });
    let policy = s(&dir.join("dashuipo-2020.policy"));
    let scenario = dir.join("dashuipo-2020.tests/3.9-temp-assignment.scenario");
    let before = std::fs::read_to_string(&scenario).unwrap();

    let (out, code) = tally(&["test", "--accept", &policy]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("46 passed, 0 failed, 1 accepted\n"), "{out}");
    insta::assert_snapshot!("accept_output", placeholder(&out, &dir));

    let (out, code) = tally(&["test", &policy]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("47 passed, 0 failed\n"), "{out}");

    // Only the two values that changed: October +2 × 15 = 1030, the year 12030 / 12 = 1002.5.
    let after = std::fs::read_to_string(&scenario).unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(b, a)| b != a)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(
        changed,
        [
            ("  A 2020-10  total 1020", "  A 2020-10  total 1030"),
            ("  A 2020     total 1001.67", "  A 2020     total 1002.5"),
        ]
    );
    // Every other scenario is byte for byte as it was.
    for entry in std::fs::read_dir(root().join("policies/dashuipo-2020.tests")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if name == "3.9-temp-assignment.scenario" {
            continue;
        }
        let copy = std::fs::read(dir.join("dashuipo-2020.tests").join(name)).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), copy, "{}", path.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_scenario_without_expectations_is_new_until_accepted() {
    let dir = copy("new", |p| p.to_string());
    let draft = dir.join("dashuipo-2020.tests/draft.scenario");
    std::fs::write(
        &draft,
        "# 两次值班缺岗，预期待定\nscenario \"草稿\"\nuse \"common.facts\"\nrecords\n  2020-06-01, duty_missed, A\n  2020-06-02, duty_missed, A\n",
    )
    .unwrap();
    let (out, code) = tally(&["test", &s(&draft)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("new  draft  草稿 (no expectations yet"),
        "{out}"
    );
    assert!(out.ends_with("0 passed, 0 failed, 1 new\n"), "{out}");

    let (out, code) = tally(&["test", "--accept", &s(&draft)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("filled in"), "{out}");
    assert!(out.ends_with("0 passed, 0 failed, 1 filled in\n"), "{out}");
    insta::assert_snapshot!(std::fs::read_to_string(&draft).unwrap());

    let (out, code) = tally(&["test", &s(&draft)]);
    assert_eq!(code, 0, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_run_of_months_that_no_longer_agrees_is_split() {
    let dir = copy("split", |p| p.to_string());
    let file = dir.join("dashuipo-2020.tests/split.scenario");
    let text = "scenario \"一年都是1000分?\"\nuse \"common.facts\"\nrecords\n  2020-03-02, late, A\nexpect\n  A 2020-01..2020-12 total 1000  item attendance 40  # 全年满分\n  A 2020             total 1000\n";
    std::fs::write(&file, text).unwrap();
    let (out, code) = tally(&["test", &s(&file)]);
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!("split_failure", placeholder(&out, &dir));
    let (out, code) = tally(&["test", "--accept", &s(&file)]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "scenario \"一年都是1000分?\"\nuse \"common.facts\"\nrecords\n  2020-03-02, late, A\nexpect\n  A 2020-01..2020-02 total 1000  item attendance 40  # 全年满分\n  A 2020-03          total 995   item attendance 35\n  A 2020-04..2020-12 total 1000  item attendance 40\n  A 2020             total 999.58\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn accept_keeps_a_byte_order_mark_and_windows_line_ends() {
    let dir = copy("crlf", |p| p.to_string());
    let file = dir.join("dashuipo-2020.tests/notepad.scenario");
    let text = "\u{feff}scenario \"记事本\"\r\nuse \"common.facts\"\r\nrecords\r\n  2020-03-02, late, A\r\nexpect\r\n  A 2020-03  total 1000\r\n";
    std::fs::write(&file, text).unwrap();
    let (out, code) = tally(&["test", "--accept", &s(&file)]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text.replace("total 1000", "total 995")
    );
    // A scenario without expectations gets them with the file's own line ends.
    let file = dir.join("dashuipo-2020.tests/notepad2.scenario");
    std::fs::write(&file, "scenario \"记事本\"\r\nuse \"common.facts\"\r\n").unwrap();
    let (out, code) = tally(&["test", "--accept", &s(&file)]);
    assert_eq!(code, 0, "{out}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains("\r\nexpect\r\n  A  2020-01..2020-12  total 1000\r\n"),
        "{written:?}"
    );
    assert!(!written.replace("\r\n", "").contains('\n'), "{written:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn one_scenario_runs_alone_without_a_coverage_report() {
    let (out, code) = tally(&[
        "test",
        "policies/dashuipo-2020.tests/2.1.4-drinking.scenario",
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "policies/dashuipo-2020.policy: 1 scenario in policies/dashuipo-2020.tests\nok  2.1.4-drinking  工作日饮酒两次：此项不得分，每次从总分扣100分，做检查 (9 values)\n1 passed, 0 failed\n"
    );
}

#[test]
fn rules_no_scenario_exercises_are_listed() {
    // Utility breaches occur in the 2.1.7 scenario and in the example year; without both, the
    // rule is exercised by nobody.
    let dir = copy("coverage", |p| p.to_string());
    for name in ["2.1.7-utilities", "example-year"] {
        std::fs::remove_file(dir.join(format!("dashuipo-2020.tests/{name}.scenario"))).unwrap();
    }
    let (out, code) = tally(&["test", &s(&dir.join("dashuipo-2020.policy"))]);
    assert_eq!(code, 0, "{out}");
    let tail: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("rules of"))
        .collect();
    assert_eq!(
        placeholder(&tail.join("\n"), &dir),
        "rules of [TMP]/dashuipo-2020.policy no scenario exercises: 1 of 41\n  [TMP]/dashuipo-2020.policy:125  [2.1.7] per utility_breach -10\n45 passed, 0 failed"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_policy_without_scenarios_cannot_be_tested() {
    let dir = common::temp_dir("none");
    let policy = dir.join("other.policy");
    std::fs::write(&policy, common::DASHUIPO).unwrap();
    let (out, code) = tally(&["test", &s(&policy)]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(
        placeholder(&out, &dir),
        "error: no scenarios for `[TMP]/other.policy`: write them in `[TMP]/other.tests/NAME.scenario` [tally::cannot-read]\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failing_scenario_shows_the_explanation_of_the_difference() {
    let dir = copy("explain", |p| p.to_string());
    let file = dir.join("dashuipo-2020.tests/wrong.scenario");
    std::fs::write(
        &file,
        "# a hand computation that forgot the from-total part of 2.1.4\nscenario \"饮酒一次\"\nuse \"common.facts\"\nrecords\n  2020-05-06, drinking, A\nexpect\n  A 2020-05  total 960  item sobriety 0\n  A 2020     total 996.67  grade 五星级  flags none\n",
    )
    .unwrap();
    let (out, code) = tally(&["test", &s(&file)]);
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!(placeholder(&out, &dir));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The README's `text` block under "A scenario" is the shipped scenario, as it is.
#[test]
fn the_readme_shows_a_real_scenario() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("```text\n# 2.1.1")
        .expect("the README shows the 2.1.1 scenario")
        + 8;
    let end = start + readme[start..].find("```\n").unwrap();
    let file = std::fs::read_to_string(
        root().join("policies/dashuipo-2020.tests/2.1.1-late-early-absent.scenario"),
    )
    .unwrap();
    assert_eq!(&readme[start..end], file);
}

/// The README's `diff` block is what `--accept` does to the scenario with the revised policy.
#[test]
fn the_readme_shows_what_accept_writes() {
    let dir = common::temp_dir("readme");
    std::fs::copy(
        root().join("tests/fixtures/readme/revised.policy"),
        dir.join("revised.policy"),
    )
    .unwrap();
    let tests = dir.join("revised.tests");
    std::fs::create_dir_all(&tests).unwrap();
    for name in ["common.facts", "3.9-temp-assignment.scenario"] {
        std::fs::copy(
            root()
                .join("tests/fixtures/readme/revised.tests")
                .join(name),
            tests.join(name),
        )
        .unwrap();
    }
    let scenario = tests.join("3.9-temp-assignment.scenario");
    let before = std::fs::read_to_string(&scenario).unwrap();
    let (out, code) = tally(&["test", "--accept", &s(&dir.join("revised.policy"))]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("accepted  3.9-temp-assignment"), "{out}");
    let after = std::fs::read_to_string(&scenario).unwrap();
    let mut actual = Vec::new();
    for (b, a) in before.lines().zip(after.lines()).filter(|(b, a)| b != a) {
        actual.push(format!("-{b}"));
        actual.push(format!("+{a}"));
    }
    // The block lists the removed lines, then the added ones.
    actual.sort_by_key(|l| !l.starts_with('-'));
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("```diff\n").unwrap() + 8;
    let end = start + readme[start..].find("```\n").unwrap();
    let shown: Vec<String> = readme[start..end]
        .lines()
        .filter(|l| {
            (l.starts_with('-') || l.starts_with('+'))
                && !l.starts_with("--")
                && !l.starts_with("++")
        })
        .map(str::to_string)
        .collect();
    assert_eq!(shown, actual);
    // And the scenario in the README's fixture is the shipped one.
    assert_eq!(
        before,
        std::fs::read_to_string(
            root().join("policies/dashuipo-2020.tests/3.9-temp-assignment.scenario")
        )
        .unwrap()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_from_inside_the_scenario_folder() {
    // `x.scenario`, `./x.scenario` and `.` name the folder the user stands in.
    let folder = common::root().join("policies/dashuipo-2020.tests");
    for args in [
        &["test", "3.9-temp-assignment.scenario"][..],
        &["test", "./3.9-temp-assignment.scenario"],
        &["test", "."],
    ] {
        let out = common::tally_command()
            .args(args)
            .current_dir(&folder)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("ok  3.9-temp-assignment"),
            "{args:?}: {stdout}"
        );
    }
}

#[test]
fn flags_with_quotes_and_semicolons_are_written_so_they_read_back() {
    // Flag texts a branch might write: Chinese quotes, a full-width semicolon, an ASCII quote.
    let dir = copy("flags", |p| {
        p.replace(
            "flag \"在全体机关干部会议中做检查\"",
            "flag \"在“全体”会议中做检查\"",
        )
        .replace("flag \"取消评先资格\"", "flag \"取消评先资格；通报\"")
    });
    let file = dir.join("dashuipo-2020.tests/flags.scenario");
    std::fs::write(
        &file,
        "scenario \"旗标\"\nuse \"common.facts\"\nrecords\n  2020-03-03, drinking, A\n  2020-09-09, sanction, A, 20\n",
    )
    .unwrap();
    let (out, code) = tally(&["test", "--accept", &s(&file)]);
    assert_eq!(code, 0, "{out}");
    let filled = std::fs::read_to_string(&file).unwrap();
    assert!(
        filled.contains("flags \"取消评先资格;在“全体”会议中做检查;通报\""),
        "{filled}"
    );
    let (out, code) = tally(&["test", &s(&file)]);
    assert_eq!(code, 0, "the filled scenario passes: {out}");
    let (out, code) = tally(&["test", "--accept", &s(&file)]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        filled,
        "nothing left to accept"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A policy with errors cannot be tested at all: its errors are shown and the run exits 2, as for
/// any input that cannot be read, not 1 as for a failing scenario.
#[test]
fn a_policy_with_errors_cannot_run_its_scenarios() {
    let dir = copy("broken", |p| {
        p.replacen("round 2 half-up", "round 2 half-up\nannual = 1", 1)
    });
    let policy = dir.join("dashuipo-2020.policy");
    let (out, code) = tally(&["test", &s(&policy)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("the policy has errors; run `tally check"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
