//! `tally check POLICY...`: errors and warnings, as miette reports or JSON lines.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::Exit;
use super::common::{fail, io_reason, load_policy};
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
            Err(msg) => {
                fail(&msg);
                could_not_run = true;
            }
        }
    }
    for path in &files {
        let loaded = match load_policy(path) {
            Ok(l) => l,
            Err(msg) => {
                fail(&msg);
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
                        Err(e) => fail(&format!("cannot print a diagnostic as JSON: {e}")),
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

/// A policy file, or every `*.policy` of a folder, by name.
fn policies(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let shown = path.display();
    let entries =
        std::fs::read_dir(path).map_err(|e| format!("cannot read `{shown}`: {}", io_reason(&e)))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "policy"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no `*.policy` file in `{shown}`"));
    }
    Ok(files)
}
