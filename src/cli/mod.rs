//! The command line: clap definitions and one module per subcommand. Kept thin: each subcommand
//! reads its inputs, calls the stages and prints what they return.

#![deny(clippy::print_stdout, clippy::print_stderr)]

#[macro_use]
mod output;

mod check;
mod clap_zh;
mod common;
mod completions;
mod diff;
mod eval;
mod explain;
mod fmt;
mod help_zh;
mod inputs;
mod lsp;
mod manpage;
mod progress;
mod publish;
mod template;
mod test;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::lang::{self, Lang};

/// What a command ends with, as PRODUCT.md fixes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Everything fine.
    Ok = 0,
    /// Findings: errors in a policy or records, a failing test, a file not canonical.
    Findings = 1,
    /// The command itself could not run: a missing file, bad flags.
    CouldNotRun = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "tally",
    version,
    about = "Check, evaluate and explain scoring policies written like the regulation they implement"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of messages: zh (中文) or en; without it, a `zh` locale (LC_ALL, LC_MESSAGES,
    /// LANG) gives Chinese and any other English
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    lang: Option<LangArg>,
}

/// The values of `--lang`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum LangArg {
    Zh,
    En,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse and type-check policies; print every error and warning
    #[command(alias = "lint")]
    Check(check::Args),
    /// Evaluate a policy against a roster and records: every person's monthly and annual scores
    Eval(eval::Args),
    /// Show one person's score as a tree: every point traced to its clause and record lines
    Explain(explain::Args),
    /// Run the scenarios beside a policy and compare the results with their expectations
    Test(test::Args),
    /// Rewrite policies in the canonical layout, keeping every comment; `--check` changes nothing
    Fmt(fmt::Args),
    /// Compare two revisions of a policy on the same records: rules, people and grades that change
    Diff(diff::Args),
    /// Run the language server for editors (LSP on standard input and output)
    Lsp(lsp::Args),
    /// Print the shell completion script for bash, zsh, fish or PowerShell
    Completions(completions::Args),
    /// Write the man pages (`tally.1`, `tally-check.1`, …) to a folder
    #[command(hide = true)]
    Manpage(manpage::Args),
    /// Write one period's notice-board sheet: a print-ready workbook (.xlsx) or web page (.html)
    Publish(publish::Args),
    /// Make the record-entry workbook from a policy: a roster sheet and a sheet per record kind
    Template(template::Args),
}

pub fn run() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The language is known before clap reads the arguments: its help and errors are in it.
    match asked_lang(&args) {
        Some(l) => lang::choose(l),
        None => lang::set(lang::of_environment()),
    }
    let mut cmd = Cli::command();
    if lang::current() == Lang::Zh {
        cmd = help_zh::localise(cmd);
    }
    let parsed = cmd
        .try_get_matches_from_mut(args)
        .and_then(|m| Cli::from_arg_matches(&m))
        .map_err(|e| e.format(&mut cmd));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return parse_failed(&e),
    };
    // What clap read, for the commands; the same as read above.
    match cli.lang {
        Some(LangArg::Zh) => lang::choose(Lang::Zh),
        Some(LangArg::En) => lang::choose(Lang::En),
        None => {}
    }
    let exit = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Manpage(args) => manpage::run(&args),
        Command::Template(args) => template::run(&args),
        Command::Publish(args) => publish::run(&args),
    };
    if output::failed() {
        Exit::CouldNotRun.into()
    } else {
        exit.into()
    }
}

/// The language `--lang zh|en` asks for, read before clap parses (the last one given wins, as
/// with clap); `None` without one, or with a value clap will refuse.
fn asked_lang(args: &[std::ffi::OsString]) -> Option<Lang> {
    let mut asked = None;
    let mut words = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        let value = match word {
            "--" => break,
            "--lang" => words.next(),
            _ => word.strip_prefix("--lang="),
        };
        match value {
            Some("zh") => asked = Some(Lang::Zh),
            Some("en") => asked = Some(Lang::En),
            _ => {}
        }
    }
    asked
}

/// Prints what clap has to say instead of running a command: the help or the version (exit 0), or
/// a parse error (exit 2), in Chinese when that is the language.
fn parse_failed(e: &clap::Error) -> ExitCode {
    let chinese = if lang::current() == Lang::Zh {
        clap_zh::message(e)
    } else {
        None
    };
    match chinese {
        Some(text) => output::err(&text),
        None => {
            if let Err(io) = e.print() {
                output::record_failure(&io, e.use_stderr());
            }
        }
    }
    if output::failed() || e.use_stderr() {
        Exit::CouldNotRun.into()
    } else {
        Exit::Ok.into()
    }
}
