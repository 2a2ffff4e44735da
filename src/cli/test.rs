//! `tally test POLICY... [--accept]`: runs the scenarios beside each policy (`NAME.tests/*.scenario`),
//! prints a line per scenario, what failed and why, the rules no scenario exercises, and the count.

use super::common::print_problem;
use crate::codes::Code;
use crate::diag::Diag;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::Exit;
use super::common::load_policy;
use crate::diag;
use crate::eval::Coverage;
use crate::scenario::coverage::{combine, unexercised};
use crate::scenario::report::{self, Counts};
use crate::scenario::run::{RunOptions, ScenarioRun, run as run_scenario};
use crate::scenario::{folder_of, policy_of, scenarios_in, tidy};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policies (their scenarios are in `NAME.tests/` beside them), scenario folders, or single
    /// scenario files
    #[arg(required = true, value_name = "POLICY")]
    paths: Vec<PathBuf>,
    /// Write the actual results into the failing scenarios, and fill in scenarios that have no
    /// expectations yet
    #[arg(long)]
    accept: bool,
    /// The encoding of the roster and record CSV files the scenarios name (default: UTF-8, or GBK
    /// for a file that is not UTF-8 and is GBK)
    #[arg(long, value_enum, value_name = "ENCODING")]
    encoding: Option<super::inputs::EncodingArg>,
}

/// The scenarios to run for one policy, and whether they are all of its scenarios.
struct Group {
    policy: PathBuf,
    scenarios: Vec<PathBuf>,
    all: bool,
}

fn shown(p: &Path) -> String {
    tidy(p).display().to_string()
}

/// A folder with its name: `.` or the empty parent of `x.scenario` is the current folder, whose
/// name says which policy it tests.
fn named(folder: &Path) -> PathBuf {
    if folder.file_name().is_some() {
        return folder.to_path_buf();
    }
    let here = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    std::fs::canonicalize(here).unwrap_or_else(|_| folder.to_path_buf())
}

/// Which policy and scenarios a path on the command line means.
fn group_of(path: &Path) -> Result<Group, Box<Diag>> {
    if path.extension().is_some_and(|x| x == "scenario") {
        return scenario_group(path);
    }
    let (policy, folder) = if path.is_dir() {
        let path = &named(path);
        let policy = policy_of(path).ok_or_else(|| {
            Diag::command(
                Code::BadArgument,
                crate::tr!(
                    format!(
                        "`{}` is not a scenario folder: scenarios live in `NAME.tests/` beside `NAME.policy`",
                        shown(path)
                    ),
                    format!(
                        "`{}` 不是测试场景文件夹：测试场景放在 `NAME.policy` 旁边的 `NAME.tests/` 里",
                        shown(path)
                    )
                ),
            )
        })?;
        (policy, path.to_path_buf())
    } else {
        (path.to_path_buf(), folder_of(path))
    };
    let scenarios = scenarios_in(&folder).unwrap_or_default();
    if scenarios.is_empty() {
        return Err(Diag::command(
            Code::CannotRead,
            crate::tr!(
                format!(
                    "no scenarios for `{}`: write them in `{}/NAME.scenario`",
                    shown(&policy),
                    shown(&folder)
                ),
                format!(
                    "`{}` 还没有测试场景：写在 `{}/NAME.scenario` 里",
                    shown(&policy),
                    shown(&folder)
                )
            ),
        )
        .into());
    }
    Ok(Group {
        policy,
        scenarios,
        all: true,
    })
}

/// The group of one scenario file: the policy of its folder, and it alone.
fn scenario_group(path: &Path) -> Result<Group, Box<Diag>> {
    let folder = named(path.parent().unwrap_or(Path::new("")));
    let policy = policy_of(&folder).ok_or_else(|| {
        Diag::command(
            Code::BadArgument,
            crate::tr!(
                format!(
                    "cannot tell which policy `{}` tests: scenarios live in `NAME.tests/` beside `NAME.policy`",
                    shown(path)
                ),
                format!(
                    "看不出 `{}` 测的是哪个政策文件：测试场景放在 `NAME.policy` 旁边的 `NAME.tests/` 里",
                    shown(path)
                )
            ),
        )
    })?;
    if !path.is_file() {
        return Err(Diag::command(
            Code::CannotRead,
            crate::tr!(
                format!("cannot read `{}`: no such file", shown(path)),
                format!("读不了 `{}`：没有这个文件", shown(path))
            ),
        )
        .into());
    }
    Ok(Group {
        policy,
        scenarios: vec![path.to_path_buf()],
        all: false,
    })
}

/// The policies and their scenarios the paths name, a policy's scenarios merged; and whether a
/// path named none (said as it is found).
fn groups(paths: &[PathBuf]) -> (Vec<Group>, bool) {
    let mut groups: Vec<Group> = Vec::new();
    let mut could_not_run = false;
    for path in paths {
        match group_of(path) {
            Ok(g) => match groups.iter_mut().find(|x| x.policy == g.policy) {
                Some(x) => {
                    x.all |= g.all;
                    for s in g.scenarios {
                        if !x.scenarios.contains(&s) {
                            x.scenarios.push(s);
                        }
                    }
                    x.scenarios.sort();
                }
                None => groups.push(g),
            },
            Err(d) => {
                print_problem(&d, None);
                could_not_run = true;
            }
        }
    }
    (groups, could_not_run)
}

/// Runs one policy's scenarios, writing their report to `out`; `false` when they could not be run
/// (the policy cannot be read, or has errors).
fn run_group(group: &Group, options: &RunOptions, counts: &mut Counts, out: &mut String) -> bool {
    let compiled = match load_policy(&group.policy) {
        Ok(c) => c,
        Err(d) => {
            print_problem(&d, None);
            return false;
        }
    };
    let folder = group
        .scenarios
        .first()
        .and_then(|s| s.parent())
        .map_or_else(String::new, shown);
    let n = group.scenarios.len();
    let (policy, scenarios) = (
        shown(&group.policy),
        crate::lang::counted(n, "scenario", "个场景"),
    );
    out.push_str(&crate::tr!(
        format!("{policy}: {scenarios} in {folder}\n"),
        format!("{policy}：{folder} 中有 {scenarios}\n")
    ));
    let Some(policy) = &compiled.policy else {
        let errors: Vec<_> = compiled
            .diags
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        out.push_str(&diag::render(&errors, &compiled.source, options.colour));
        let policy = shown(&group.policy);
        out.push_str(&crate::tr!(
            format!("the policy has errors; run `tally check {policy}` and fix them first\n"),
            format!("政策有错误；请先运行 `tally check {policy}` 并改正\n")
        ));
        counts.failed += n;
        // The scenarios could not be run at all.
        return false;
    };
    let runs: Vec<ScenarioRun> = group
        .scenarios
        .iter()
        .map(|s| run_scenario(policy, s, options))
        .collect();
    for r in &runs {
        counts.add(r);
    }
    out.push_str(&report::summary(&runs));
    let details = report::details(&runs, &folder);
    out.push_str(&details);
    if group.all {
        let mut total = Coverage::default();
        for r in &runs {
            if let Some(c) = &r.coverage {
                combine(&mut total, c);
            }
        }
        let (all, missed) = unexercised(policy, &compiled.source, &total);
        if details.is_empty() {
            out.push('\n');
        }
        out.push_str(&report::coverage(&shown(&group.policy), all, &missed));
    }
    true
}

pub fn run(args: &Args) -> Exit {
    let (groups, mut could_not_run) = groups(&args.paths);
    let colour = std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
    let options = RunOptions {
        accept: args.accept,
        colour,
        encoding: super::inputs::encoding(args.encoding),
    };
    let mut counts = Counts::default();
    let mut out = String::new();
    for group in &groups {
        could_not_run |= !run_group(group, &options, &mut counts, &mut out);
    }
    if !groups.is_empty() {
        out.push_str(&counts.line());
        out.push('\n');
    }
    if super::output::write_output(None, &out) != Exit::Ok || could_not_run {
        Exit::CouldNotRun
    } else if counts.failed > 0 || counts.new > 0 {
        Exit::Findings
    } else {
        Exit::Ok
    }
}
