//! `tally eval`: placeholder until the evaluator lands.

use super::Exit;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args) -> Exit {
    Exit::CouldNotRun
}
