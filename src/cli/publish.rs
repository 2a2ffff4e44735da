//! `tally publish POLICY --roster FILE --records PATH... --period 2020-03|2020 -o 公示.xlsx|公示.html`:
//! one period's notice-board sheet (see [`crate::report::publish`]).

use crate::codes::Code;
use std::path::PathBuf;

use super::Exit;
use super::common::{fail, problem};
use super::inputs::Inputs;
use super::output::{output_file, write_bytes_output, write_output};
use crate::report::Period;
use crate::report::publish::{Board, Published, publish_html, publish_xlsx};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: Inputs,
    /// The period published: a month like `2020-03`, or the year like `2020`
    #[arg(long, value_name = "PERIOD")]
    period: String,
    /// The sheet to write: `公示.xlsx` (a workbook set up for A4) or `公示.html` (prints from a
    /// browser)
    #[arg(long, short = 'o', value_name = "FILE")]
    output: PathBuf,
    /// The unit publishing, like `大水泊镇党委` (else a blank to fill in by hand)
    #[arg(long, value_name = "NAME")]
    unit: Option<String>,
}

#[derive(Clone, Copy)]
enum Form {
    Xlsx,
    Html,
}

pub fn run(args: &Args) -> Exit {
    let Some(output) = output_file(Some(&args.output)) else {
        problem(
            Code::BadArgument,
            crate::tr!(
                "the notice-board sheet is written to a file, not to the standard output",
                "公示表写进文件，不往标准输出写"
            ),
            Some(crate::tr!(
                "give `-o 公示.xlsx` or `-o 公示.html`",
                "给出 `-o 公示.xlsx` 或 `-o 公示.html`"
            )),
        );
        return Exit::CouldNotRun;
    };
    let ending = output
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase);
    let form = match ending.as_deref() {
        Some("xlsx") => Form::Xlsx,
        Some("html" | "htm") => Form::Html,
        _ => {
            problem(
                Code::BadArgument,
                &crate::tr!(
                    format!("cannot tell which form to write `{}` in", output.display()),
                    format!("看不出 `{}` 要写成哪种格式", output.display())
                ),
                Some(crate::tr!(
                    "name the file `….xlsx` for a workbook or `….html` for a web page",
                    "工作簿的文件名写成 `….xlsx`，网页写成 `….html`"
                )),
            );
            return Exit::CouldNotRun;
        }
    };
    if let Err(exit) = args.inputs.guard(Some(output)) {
        return exit;
    }
    let evaluated = match args.inputs.evaluate(|_| Ok(None)) {
        Ok(e) => e,
        Err(exit) => return exit,
    };
    let period = match Period::parse(args.period.trim(), &evaluated.policy) {
        Ok(Period::Month(m)) => Published::Month(m),
        Ok(Period::Year | Period::All) => Published::Year,
        Err(msg) => {
            fail(Code::BadArgument, &msg);
            return Exit::CouldNotRun;
        }
    };
    let board = Board {
        policy: &evaluated.policy,
        roster: &evaluated.roster,
        outcome: &evaluated.outcome,
        period,
        unit: args.unit.as_deref(),
    };
    match form {
        Form::Html => write_output(Some(output), &publish_html(&board)),
        Form::Xlsx => match publish_xlsx(&board) {
            Ok(bytes) => write_bytes_output(Some(output), &bytes),
            Err(e) => {
                fail(
                    Code::CannotWrite,
                    &crate::tr!(
                        format!("cannot make the workbook: {e}"),
                        format!("生成不了工作簿：{e}")
                    ),
                );
                Exit::CouldNotRun
            }
        },
    }
}
