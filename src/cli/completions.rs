//! `tally completions SHELL`: the shell's completion script for every command and flag, made
//! from the same definitions as the command line itself.

use clap::CommandFactory;

use super::{Cli, Exit};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete in
    #[arg(value_enum)]
    shell: Shell,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

pub fn run(args: &Args) -> Exit {
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tally", &mut script);
    if super::output::out(&String::from_utf8_lossy(&script)) {
        Exit::Ok
    } else {
        Exit::CouldNotRun
    }
}
