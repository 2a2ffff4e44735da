//! `tally check POLICY...`: errors and warnings, as miette reports or JSON lines.

use super::common::print_problem;
use crate::codes::Code;
use std::path::PathBuf;

use clap::ValueEnum;

use super::Exit;
use super::common::{fail, load_policy, policies};
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
        match args.format {
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
                            &format!("cannot print a diagnostic as JSON: {e}"),
                        ),
                    }
                }
            }
        }
    }
    if matches!(args.format, Format::Human) && checked > 0 {
        let files = checked;
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        println_err!(
            "checked {}: {}, {}",
            plural(files, "file"),
            plural(errors, "error"),
            plural(warnings, "warning")
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
