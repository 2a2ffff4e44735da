//! `tally check POLICY...`: errors and warnings, as miette reports or JSON lines.

use super::common::print_problem;
use crate::codes::Code;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::Exit;
use super::common::{fail, load_policy, policies};
use crate::check::bounds;
use crate::compile::Compiled;
use crate::diag::{self, Severity};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy files to check, or folders (every `*.policy` in them)
    #[arg(required = true, value_name = "POLICY")]
    files: Vec<PathBuf>,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors (exit 1 when there is any)
    #[arg(long)]
    deny_warnings: bool,
    /// Also print what every item, section and the total can score at least and at most, in a
    /// month and in the year, and which grades can be given (as one JSON object a policy with
    /// `--format json`)
    #[arg(long)]
    bounds: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// miette reports with the offending text underlined
    Human,
    /// one JSON object per diagnostic and line
    Json,
}

pub fn run(args: &Args) -> Exit {
    let colour = diag::stderr_wants_colour();
    let mut findings = false;
    let mut could_not_run = false;
    let (mut errors, mut warnings, mut checked) = (0usize, 0usize, 0usize);
    let mut files = Vec::new();
    for path in &args.files {
        match policies(path) {
            Ok(found) => files.extend(found),
            Err(d) => {
                print_problem(&d, None);
                could_not_run = true;
            }
        }
    }
    for path in &files {
        let loaded = match load_policy(path) {
            Ok(l) => l,
            Err(d) => {
                print_problem(&d, None);
                could_not_run = true;
                continue;
            }
        };
        checked += 1;
        for d in &loaded.diags {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
        }
        findings |= loaded
            .diags
            .iter()
            .any(|d| d.is_error() || args.deny_warnings);
        print_diags(args.format, &loaded, colour);
        print_bounds(args, path, &loaded);
    }
    if matches!(args.format, Format::Human) && checked > 0 {
        use crate::lang::counted;
        let (files, errors, warnings) = (
            counted(checked, "file", "个文件"),
            counted(errors, "error", "个错误"),
            counted(warnings, "warning", "个警告"),
        );
        println_err!(
            "{}",
            crate::tr!(
                format!("checked {files}: {errors}, {warnings}"),
                format!("已检查 {files}：{errors}，{warnings}")
            )
        );
    }
    if could_not_run {
        Exit::CouldNotRun
    } else if findings {
        Exit::Findings
    } else {
        Exit::Ok
    }
}

/// A policy's diagnostics, as miette reports on stderr or JSON lines on stdout.
fn print_diags(format: Format, loaded: &Compiled, colour: bool) {
    match format {
        Format::Human => {
            print_err!("{}", diag::render(&loaded.diags, &loaded.source, colour));
        }
        Format::Json => {
            for d in &loaded.diags {
                let json = diag::to_json(d, &loaded.source);
                match serde_json::to_string(&json) {
                    Ok(line) => println_out!("{line}"),
                    Err(e) => fail(
                        Code::Internal,
                        &crate::tr!(
                            format!("cannot print a diagnostic as JSON: {e}"),
                            format!("诊断信息输出不成 JSON：{e}")
                        ),
                    ),
                }
            }
        }
    }
}

/// With `--bounds`: what the policy can score, or why there are no bounds.
fn print_bounds(args: &Args, path: &Path, loaded: &Compiled) {
    if args.bounds && loaded.policy.is_none() {
        println_err!(
            "{}",
            crate::tr!(
                format!("no bounds for `{}`: it has errors", path.display()),
                format!("`{}` 有错误，算不出分值范围", path.display())
            )
        );
    }
    if let (true, Some(policy)) = (args.bounds, &loaded.policy) {
        let b = bounds::bounds(policy);
        match args.format {
            Format::Human => print_out!("{}", bounds::show::text(policy, &b)),
            Format::Json => {
                let json = serde_json::json!({ "bounds": bounds::show::json(policy, &b) });
                match serde_json::to_string(&json) {
                    Ok(line) => println_out!("{line}"),
                    Err(e) => fail(
                        Code::Internal,
                        &crate::tr!(
                            format!("cannot print the bounds as JSON: {e}"),
                            format!("分值范围输出不成 JSON：{e}")
                        ),
                    ),
                }
            }
        }
    }
}
