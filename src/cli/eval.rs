//! `tally eval POLICY --roster FILE --records PATH...`: every person's monthly and annual scores.

use crate::codes::Code;
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::ValueEnum;

use super::Exit;
use super::common::{fail, problem, problems_as_json};
use super::inputs::Inputs;
use super::output::{output_file, write_bytes_output, write_csv_with, write_output};
use crate::report::{self, Period};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Output form (default: xlsx for an `--output` ending in `.xlsx`, else table on a terminal,
    /// csv otherwise)
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the results to this file instead of standard output (replaced whole, never half-written)
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Show one period only: a month like `2020-03`, or the year like `2020`
    #[arg(long, value_name = "PERIOD")]
    period: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Table,
    Csv,
    /// the results as JSON; problems, if any, as JSON lines on standard error
    Json,
    /// a workbook (with `--output FILE.xlsx`): a sheet per month and one for the year
    Xlsx,
}

pub fn run(args: &Args) -> Exit {
    problems_as_json(matches!(args.format, Some(Format::Json)));
    let to_xlsx = output_file(args.output.as_deref()).is_some_and(|p| {
        p.extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("xlsx"))
    });
    let format = args.format.or(to_xlsx.then_some(Format::Xlsx));
    if matches!(format, Some(Format::Xlsx)) && output_file(args.output.as_deref()).is_none() {
        fail_with(
            crate::tr!(
                "a workbook is not written to the standard output",
                "工作簿不往标准输出写"
            ),
            crate::tr!(
                "give `--output FILE.xlsx`, or choose another `--format`",
                "给出 `--output FILE.xlsx`，或者换一个 `--format`"
            ),
        );
        return Exit::CouldNotRun;
    }
    if let Err(exit) = args.inputs.guard(args.output.as_deref()) {
        return exit;
    }
    let evaluated = match args.inputs.evaluate(|_| Ok(None)) {
        Ok(e) => e,
        Err(exit) => return exit,
    };
    let (policy, roster, outcome) = (&evaluated.policy, &evaluated.roster, &evaluated.outcome);
    let period = match &args.period {
        None => report::Period::All,
        Some(p) => match Period::parse(p, policy) {
            Ok(p) => p,
            Err(msg) => {
                fail(Code::BadArgument, &msg);
                return Exit::CouldNotRun;
            }
        },
    };
    let format = format.unwrap_or(
        if std::io::stdout().is_terminal() && output_file(args.output.as_deref()).is_none() {
            Format::Table
        } else {
            Format::Csv
        },
    );
    let exit = match format {
        Format::Table => write_output(
            args.output.as_deref(),
            &report::table(policy, roster, outcome, period),
        ),
        Format::Csv => write_csv_with(args.output.as_deref(), &mut |out| {
            report::write_csv(policy, roster, outcome, period, out)
        }),
        Format::Json => write_output(
            args.output.as_deref(),
            &report::json(policy, roster, outcome, period),
        ),
        Format::Xlsx => match report::xlsx(policy, roster, outcome, period) {
            Ok(bytes) => write_bytes_output(args.output.as_deref(), &bytes),
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
    };
    // The process ends right after this: a district's results are millions of small blocks
    // (a tenth of a second to free one by one), and the system takes the memory back at once.
    std::mem::forget(evaluated);
    exit
}

/// A "could not run" problem with its help.
fn fail_with(message: &str, help: &str) {
    problem(Code::BadArgument, message, Some(help));
}
