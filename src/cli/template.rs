//! `tally template POLICY [--roster FILE] --output 记录模板.xlsx`: the record-entry workbook made
//! from the policy (see [`crate::report::template`]).

use crate::codes::Code;
use std::path::{Path, PathBuf};

use super::Exit;
use super::common::{checked_policy, print_problems, problem, problem_count};
use super::output::{Input, guard_output, output_file, write_bytes_output};
use crate::eval::input;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The policy file
    #[arg(value_name = "POLICY")]
    policy: PathBuf,
    /// A roster (CSV or workbook) to fill the template's roster sheet with
    #[arg(long, value_name = "FILE")]
    roster: Option<PathBuf>,
    /// The workbook to write, like `记录模板.xlsx`
    #[arg(long, short = 'o', value_name = "FILE")]
    output: PathBuf,
    /// Replace the output file if it exists (it may hold records filled in since)
    #[arg(long)]
    replace: bool,
}

pub fn run(args: &Args) -> Exit {
    let Some(output) = output_file(Some(&args.output)) else {
        problem(
            Code::BadArgument,
            crate::tr!(
                "a workbook is not written to the standard output",
                "工作簿不往标准输出写"
            ),
            Some(crate::tr!(
                "give `--output 记录模板.xlsx`",
                "给出 `--output 记录模板.xlsx`"
            )),
        );
        return Exit::CouldNotRun;
    };
    if let Err(exit) = guard(args, output) {
        return exit;
    }
    let policy = match checked_policy(&args.policy) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let roster = match &args.roster {
        None => None,
        Some(path) => match input::read_roster(&policy, path) {
            Ok(r) => Some(r),
            Err(errors) => {
                print_problems(&errors, None);
                if errors.unreadable() {
                    return Exit::CouldNotRun;
                }
                problem_count(errors.total(), crate::tr!("in the roster", "花名册里"));
                return Exit::Findings;
            }
        },
    };
    match crate::report::template::template(&policy, roster.as_ref()) {
        Ok(bytes) => write_bytes_output(Some(output), &bytes),
        Err(e) => {
            problem(
                Code::CannotWrite,
                &crate::tr!(
                    format!("cannot make the template: {e}"),
                    format!("生成不了模板：{e}")
                ),
                None,
            );
            Exit::CouldNotRun
        }
    }
}

/// Refuses an `--output` that names an input, or a file that exists without `--replace`.
fn guard(args: &Args, output: &Path) -> Result<(), Exit> {
    let mut inputs = vec![Input {
        role: crate::tr!("policy", "政策文件"),
        path: &args.policy,
    }];
    if let Some(roster) = &args.roster {
        inputs.push(Input {
            role: crate::tr!("roster", "花名册"),
            path: roster,
        });
    }
    guard_output(Some(output), &inputs, &[])?;
    if output.exists() && !args.replace {
        problem(
            Code::CannotWrite,
            &crate::tr!(
                format!(
                    "will not write the template to `{}`: the file exists, and may hold records filled in since",
                    output.display()
                ),
                format!(
                    "不把模板写进 `{}`：这个文件已经有了，里面可能已经填了记录",
                    output.display()
                )
            ),
            Some(crate::tr!(
                "name a new file, or add `--replace` to write over this one",
                "换一个新文件名，或者加上 `--replace` 覆盖这个文件"
            )),
        );
        return Err(Exit::CouldNotRun);
    }
    Ok(())
}
