//! `tally eval POLICY --roster FILE --records PATH...`: every person's monthly and annual scores.

use crate::codes::Code;
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::ValueEnum;

use super::Exit;
use super::common::{fail, problem, problems_as_json};
use super::inputs::{Inputs, Loaded, input_problems};
use super::output::{
    cannot_write_file, output_file, replace_csv_with, replaced_whole, write_bytes_output,
    write_csv_with, write_output,
};
use super::progress::Progress;
use crate::eval::stream::{Scored, Stream, evaluate_streamed};
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
    let loaded = match args.inputs.load(|_| Ok(None)) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let exit = score_and_write(args, format, &loaded);
    // The process ends right after this: a district's roster is a hundred thousand small blocks,
    // and the system takes the memory back at once.
    std::mem::forget(loaded);
    exit
}

/// Scores the year and writes the results in `format`; every problem printed.
fn score_and_write(args: &Args, format: Option<Format>, loaded: &Loaded) -> Exit {
    let (policy, roster) = (&loaded.policy, &loaded.roster);
    let progress = loaded.progress();
    let scored = match evaluate_streamed(policy, roster, &loaded.files, &loaded.options) {
        Ok(scored) => scored,
        Err(problems) => {
            drop(progress);
            return input_problems(&problems);
        }
    };
    let period = match &args.period {
        None => report::Period::All,
        Some(p) => match Period::parse(p, policy) {
            Ok(p) => p,
            Err(msg) => {
                // The cards' problems are told first, as they are when every card is made.
                let made = scored.whole();
                drop(progress);
                if let Err(problems) = made {
                    return input_problems(&problems);
                }
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
    let outcome = match (format, scored) {
        (Format::Csv, Scored::Streamed(stream)) => {
            return streamed_csv(
                args.output.as_deref(),
                (policy, roster),
                &stream,
                period,
                progress,
            );
        }
        (_, scored) => scored.whole(),
    };
    drop(progress);
    let outcome = match outcome {
        Ok((outcome, _)) => outcome,
        Err(problems) => return input_problems(&problems),
    };
    let exit = match format {
        Format::Table => write_output(
            args.output.as_deref(),
            &report::table(policy, roster, &outcome, period),
        ),
        Format::Csv => write_csv_with(args.output.as_deref(), &mut |out| {
            report::write_csv(policy, roster, &outcome, period, out)
        }),
        Format::Json => write_output(
            args.output.as_deref(),
            &report::json(policy, roster, &outcome, period),
        ),
        Format::Xlsx => match report::xlsx(policy, roster, &outcome, period) {
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
    // A district's results are millions of small blocks (a tenth of a second to free one by
    // one), and the process ends right after this.
    std::mem::forget(outcome);
    exit
}

/// The CSV of a year whose cards are made as their rows are written (see
/// [`crate::eval::stream`]). A file replaced whole is written as the cards are made, and put in
/// place only if no card had a problem; standard output, a FIFO or a device, where nothing written
/// can be taken back, gets the rows only once every card is made without one. The cards'
/// problems are told before a file that cannot be written, as when every card is made first; the
/// spinner is gone before anything is printed.
fn streamed_csv(
    output: Option<&std::path::Path>,
    (policy, roster): (&crate::check::Policy, &crate::eval::Roster),
    stream: &Stream<'_>,
    period: Period,
    progress: Progress,
) -> Exit {
    let mut problems = None;
    if let Some(file) = output_file(output).filter(|_| replaced_whole(output)) {
        let written = replace_csv_with(file, &mut |out| {
            report::write_csv_streamed(policy, roster, stream, period, out)?;
            stream.finish().map_err(|found| {
                problems = Some(found);
                std::io::Error::other("a card had a problem")
            })
        });
        if written.is_err() && problems.is_none() {
            // The file failed before every card was made: the rest are made, for their problems.
            let _ =
                report::write_csv_streamed(policy, roster, stream, period, &mut std::io::sink());
            problems = stream.finish().err();
        }
        drop(progress);
        return match (written, problems) {
            (_, Some(problems)) => input_problems(&problems),
            (Ok(()), None) => Exit::Ok,
            (Err(e), None) => cannot_write_file(file, &e),
        };
    }
    let mut rows = Vec::new();
    // Writing to memory cannot fail.
    let _ = report::write_csv_streamed(policy, roster, stream, period, &mut rows);
    let made = stream.finish();
    drop(progress);
    if let Err(problems) = made {
        return input_problems(&problems);
    }
    write_csv_with(output, &mut |out| out.write_all(&rows))
}

/// A "could not run" problem with its help.
fn fail_with(message: &str, help: &str) {
    problem(Code::BadArgument, message, Some(help));
}
