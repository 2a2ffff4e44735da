//! `tally lsp`: the language server, for editors; it speaks LSP on standard input and output.

use super::Exit;
use super::common::fail;
use crate::codes::Code;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; standard input and output are always used
    #[arg(long)]
    stdio: bool,
}

pub fn run(_args: &Args) -> Exit {
    match crate::lsp::run() {
        Ok(()) => Exit::Ok,
        Err(e) => {
            fail(Code::LspConnection, &e);
            Exit::CouldNotRun
        }
    }
}
