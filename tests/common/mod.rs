//! Helpers shared by the integration tests: compile a policy, write inputs to a temporary folder,
//! evaluate, and look results up by person and period.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rust_decimal::Decimal;
use tally::check::Policy;
use tally::compile::compile;
use tally::eval::outcome::{Outcome, PersonResult};
use tally::eval::{Date, Options, Roster, evaluate, input};
use tally::exact::Exact;

pub const DASHUIPO: &str = include_str!("../../policies/dashuipo-2020.policy");

/// A fresh empty folder under the system's temporary folder.
pub fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "tally-test-{}-{}-{tag}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn policy(text: &str) -> Policy {
    let compiled = compile("test.policy", text.as_bytes());
    let errors: Vec<_> = compiled.diags.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "policy has errors: {errors:#?}");
    compiled.policy.unwrap()
}

pub struct Run {
    pub policy: Policy,
    pub roster: Roster,
    pub outcome: Outcome,
}

impl Run {
    pub fn person(&self, id: &str) -> &PersonResult {
        let idx = self.roster.people.iter().position(|p| p.id == id).unwrap();
        &self.outcome.people[idx]
    }

    /// The exact monthly total of a person (month 1..=12).
    pub fn month(&self, id: &str, month: u8) -> Exact {
        self.person(id).months[usize::from(month) - 1].total.get()
    }

    /// An item's score for a person in a month, by item id.
    pub fn item(&self, id: &str, month: u8, item: &str) -> Option<Exact> {
        let flat = self
            .policy
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .position(|i| i.id == item)
            .unwrap_or_else(|| panic!("no item `{item}`"));
        self.person(id).months[usize::from(month) - 1]
            .items
            .get(flat)
    }

    pub fn annual(&self, id: &str) -> Exact {
        self.person(id).annual.total
    }

    pub fn grade(&self, id: &str) -> String {
        self.policy.grades[self.person(id).annual.grade]
            .name
            .clone()
    }
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Evaluates a policy on a roster and records given as CSV text, as of the year's end.
pub fn run(policy_text: &str, roster: &str, records: &str) -> Run {
    try_run(policy_text, roster, records).unwrap_or_else(|e| panic!("evaluation failed: {e}"))
}

/// Every problem, a line each, as `tally::diag::plain` shows it.
pub fn problems_text(problems: &tally::diag::Problems) -> String {
    problems
        .list
        .iter()
        .map(tally::diag::plain)
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn try_run(policy_text: &str, roster: &str, records: &str) -> Result<Run, String> {
    let policy = policy(policy_text);
    let (roster, outcome) = run_in(&policy, roster, records)?;
    Ok(Run {
        policy,
        roster,
        outcome,
    })
}

/// Reads the roster and records, held in memory as `roster.csv` and `records.csv`, and evaluates
/// them after the year is over.
fn run_in(policy: &Policy, roster: &str, records: &str) -> Result<(Roster, Outcome), String> {
    let in_memory = |name: &str, text: &str| input::InMemory {
        name: PathBuf::from(name),
        bytes: text.as_bytes().into(),
        first_line: 1,
    };
    let roster = input::read_roster_from(policy, &in_memory("roster.csv", roster))
        .map_err(|e| problems_text(&e))?;
    let files = [PathBuf::from("records.csv")];
    let options = Options {
        as_of: Date {
            year: policy.year + 1,
            month: 1,
            day: 1,
        },
        trace: None,
        encoding: input::Encoding::Auto,
        memory: vec![in_memory("records.csv", records)],
        reading: Default::default(),
        threads: None,
    };
    let (outcome, _) = evaluate(policy, &roster, &files, &options).map_err(|p| {
        // The reader's problems with their places, scoring's by their messages.
        let lines: Vec<String> = p
            .list
            .iter()
            .map(|e| match p.stage {
                tally::diag::Stage::Reading => tally::diag::plain(e),
                tally::diag::Stage::Scoring => e.message.clone(),
            })
            .collect();
        lines.join("\n")
    })?;
    Ok((roster, outcome))
}

/// An exact value written as a decimal.
pub fn d(text: &str) -> Exact {
    Exact::from_decimal(text.parse::<Decimal>().unwrap())
}

/// The crate's root folder, where the tests run the binary.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What one run of the binary printed, and its exit code.
pub struct Out {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Both streams, standard output first.
    pub fn both(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// The standard output of a run that must succeed without a word on standard error.
    pub fn ok(self) -> String {
        assert_eq!(self.code, Some(0), "{}", self.stderr);
        assert!(self.stderr.is_empty(), "{}", self.stderr);
        self.stdout
    }
}

/// The binary, in English and without colour whatever the locale of the machine running the
/// tests (`--lang` on the command line still chooses).
pub fn tally_command() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tally"));
    command
        .env("NO_COLOR", "1")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    command
}

/// Runs the binary from the crate root, without colour.
pub fn cli<S: AsRef<std::ffi::OsStr>>(args: impl IntoIterator<Item = S>) -> Out {
    cli_in(root(), args)
}

/// Runs the binary from `dir`, without colour.
pub fn cli_in<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: impl IntoIterator<Item = S>) -> Out {
    let out = tally_command()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs the binary from the crate root without colour: standard output then standard error, and
/// the exit code.
pub fn tally_output(args: &[&str]) -> (String, i32) {
    let out = cli(args);
    (out.both(), out.code.unwrap_or(-1))
}

/// A copy of the Dashuipo year in a temporary folder (removed when the test ends), so that a
/// failing test destroys nothing in the repository.
pub struct Year {
    pub dir: PathBuf,
}

impl Drop for Year {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Year {
    pub fn new(tag: &str) -> Self {
        let dir = temp_dir(tag);
        let from = root().join("policies");
        std::fs::copy(from.join("dashuipo-2020.policy"), dir.join("year.policy")).unwrap();
        std::fs::copy(
            from.join("dashuipo-2020/roster.csv"),
            dir.join("roster.csv"),
        )
        .unwrap();
        std::fs::create_dir(dir.join("records")).unwrap();
        for entry in std::fs::read_dir(from.join("dashuipo-2020/records")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join("records").join(entry.file_name())).unwrap();
        }
        Year { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Every file of the year and its bytes, to see that nothing changed.
    pub fn contents(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            let mut entries: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for p in entries {
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push((p.clone(), std::fs::read(&p).unwrap()));
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.dir, &mut out);
        out
    }

    pub fn eval(&self, output: &Path) -> Out {
        self.run(&["eval", "year.policy"], output)
    }

    pub fn diff(&self, output: &Path) -> Out {
        self.run(&["diff", "year.policy", "new.policy"], output)
    }

    /// Runs a command in the year's folder with its roster and records, writing `--output`.
    pub fn run(&self, command: &[&str], output: &Path) -> Out {
        let mut args: Vec<std::ffi::OsString> = command.iter().map(Into::into).collect();
        args.push("--output".into());
        args.push(output.as_os_str().to_owned());
        self.with_inputs(&args)
    }

    /// Runs a command in the year's folder with its roster and records as of 2021-01-05, then
    /// `more`.
    pub fn with_inputs<S: AsRef<std::ffi::OsStr>>(&self, command: &[S]) -> Out {
        let (head, more) = command.split_at(command.len().min(2));
        let out = tally_command()
            .args(head)
            .args([
                "--roster",
                "roster.csv",
                "--records",
                "records",
                "--as-of",
                "2021-01-05",
            ])
            .args(more)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        Out {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }
}

/// Standard error of a run with `--format json`: every line parsed as one JSON object (a line that
/// is not one fails the test).
pub fn json_lines(stderr: &str) -> Vec<serde_json::Value> {
    stderr
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}\n{stderr}"));
            assert!(value.is_object(), "not a JSON object: {line}");
            value
        })
        .collect()
}

/// The errors `tally check` gives a policy text, each as `code: message`.
pub fn check_errors(text: &str) -> Vec<String> {
    compile("p.policy", text.as_bytes())
        .diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code.as_str(), d.message))
        .collect()
}

/// Every diagnostic (errors and warnings) `tally check` gives a policy text, as `code: message`.
pub fn check_diags(text: &str) -> Vec<String> {
    compile("p.policy", text.as_bytes())
        .diags
        .iter()
        .map(|d| format!("{}: {}", d.code.as_str(), d.message))
        .collect()
}

/// Writes `files` (name, text) into a fresh folder and runs `tally` with `args`, where an
/// argument naming one of the files stands for its path; what it printed has the folder's path
/// written `DIR`.
/// Runs `tally COMMAND p.policy --roster roster.csv --records records.csv MORE…` on these three
/// texts written to a fresh folder ([`in_folder`]).
/// `person,period,total` of every result line of `eval --format csv` (its header skipped).
pub fn period_totals(csv: &str) -> Vec<String> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            format!("{},{},{}", c[0], c[2], c[3])
        })
        .collect()
}

pub fn on_files(command: &str, policy: &str, roster: &str, records: &str, more: &[&str]) -> Out {
    let mut args = vec![
        command,
        "p.policy",
        "--roster",
        "roster.csv",
        "--records",
        "records.csv",
    ];
    args.extend_from_slice(more);
    in_folder(
        &[
            ("p.policy", policy),
            ("roster.csv", roster),
            ("records.csv", records),
        ],
        &args,
    )
}

pub fn in_folder(files: &[(&str, &str)], args: &[&str]) -> Out {
    let dir = temp_dir("in-folder");
    for (name, text) in files {
        write(&dir, name, text);
    }
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if files.iter().any(|(name, _)| name == a) {
                dir.join(a).display().to_string()
            } else {
                a.to_string()
            }
        })
        .collect();
    let mut out = cli(&args);
    let _ = std::fs::remove_dir_all(&dir);
    let shown = dir.to_str().unwrap_or_default();
    out.stdout = out.stdout.replace(shown, "DIR");
    out.stderr = out.stderr.replace(shown, "DIR");
    out
}

/// How a year is evaluated in a report made on 2021-01-05 (the 2020 year over): `trace` kept for
/// an explanation, and record files held in `memory`.
pub fn options_2021(trace: Option<usize>, memory: Vec<input::InMemory>) -> Options {
    Options {
        as_of: Date {
            year: 2021,
            month: 1,
            day: 5,
        },
        trace,
        encoding: input::Encoding::Auto,
        memory,
        reading: Default::default(),
        threads: None,
    }
}
