//! `tally manpage --output DIR` (hidden): the man pages, `tally.1` and one `tally-COMMAND.1` per
//! command, made from the same definitions as the command line itself.

use crate::codes::Code;
use std::path::PathBuf;

use clap::CommandFactory;

use super::common::{fail, io_reason};
use super::{Cli, Exit};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write the pages to (made if missing); pages of the same names are replaced
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
}

pub fn run(args: &Args) -> Exit {
    let dir = &args.output;
    if let Err(e) = std::fs::create_dir_all(dir) {
        fail(
            Code::CannotWrite,
            &crate::tr!(
                format!(
                    "cannot make the folder `{}`: {}",
                    dir.display(),
                    io_reason(&e)
                ),
                format!("建不了文件夹 `{}`：{}", dir.display(), io_reason(&e))
            ),
        );
        return Exit::CouldNotRun;
    }
    match clap_mangen::generate_to(Cli::command(), dir) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            fail(
                Code::CannotWrite,
                &crate::tr!(
                    format!(
                        "cannot write the man pages to `{}`: {}",
                        dir.display(),
                        io_reason(&e)
                    ),
                    format!("写不了使用手册到 `{}`：{}", dir.display(), io_reason(&e))
                ),
            );
            Exit::CouldNotRun
        }
    }
}
