//! `tally diff OLD NEW --roster FILE --records PATH...`: two revisions of a policy evaluated on the
//! same records: the rules that differ, the people whose annual result or grade changes, and how
//! many people each grade holds before and after.

use crate::codes::Code;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::Exit;
use super::common::{checked_policy, fail, json, print_problem, print_problems, problems_as_json};
use super::output::{Input, guard_output, write_output};
use crate::check::Policy;
use crate::diag::{self, Problems};
use crate::diff::{self, Side, Subject, report};
use crate::eval::outcome::Outcome;
use crate::eval::{Date, Options, Roster, evaluate, input};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The policy as it stands
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The revised policy
    #[arg(value_name = "NEW")]
    new: PathBuf,
    /// The roster CSV: one row per person
    #[arg(long, value_name = "FILE")]
    roster: PathBuf,
    /// Record CSV files, or folders of them (every `*.csv` inside, by name)
    #[arg(long, value_name = "PATH", required = true, num_args = 1..)]
    records: Vec<PathBuf>,
    /// The day of the report (YYYY-MM-DD); year-window values are provisional before the year ends
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// The encoding of the CSV files (default: UTF-8, or GBK for a file that is not UTF-8 and is GBK)
    #[arg(long, value_enum, value_name = "ENCODING")]
    encoding: Option<super::inputs::EncodingArg>,
    /// Output form: a table to read, CSV of the people whose result changes, or JSON with everything
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the diff to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Table,
    Csv,
    /// everything as JSON; problems, if any, as JSON lines on standard error
    Json,
}

fn name(p: &Path) -> String {
    p.display().to_string()
}

/// What in `new`'s record vocabulary differs from `old`'s, in words, for the help line.
fn vocabulary(old: &Policy, new: &Policy) -> Vec<String> {
    diff::structure::compare(old, new)
        .into_iter()
        .filter(|c| matches!(c.subject, Subject::Record | Subject::Roster))
        .map(|c| {
            let what = if c.subject == Subject::Record {
                crate::tr!(
                    format!("record kind `{}`", c.key),
                    format!("记录类型 `{}`", c.key)
                )
            } else {
                crate::tr!(
                    format!("roster column `{}`", c.key),
                    format!("花名册列 `{}`", c.key)
                )
            };
            let how = match c.change {
                diff::Change::Added => crate::tr!("added", "新增"),
                diff::Change::Removed => crate::tr!("removed", "删除"),
                _ => crate::tr!("changed", "改动"),
            };
            crate::tr!(format!("{what} {how}"), format!("{what}{how}"))
        })
        .collect()
}

/// Prints why the inputs do not fit one revision, and whose fault it likely is. In JSON, each
/// problem names the revision in its `policy` field, and the problems not listed are counted last.
fn does_not_fit(which: &Path, unfit: &Unfit, old: &Policy, new: &Policy) {
    if json() {
        let policy = name(which);
        print_problems(&unfit.problems, Some(&policy));
        return;
    }
    println_err!(
        "{}",
        crate::tr!(
            format!("error: the {} do not fit `{}`", unfit.what, name(which)),
            format!(
                "错误：{}和 `{}` 对不上",
                match unfit.what {
                    "roster" => "花名册",
                    _ => "记录",
                },
                name(which)
            )
        )
    );
    const SHOWN: usize = 10;
    let lines = unfit.lines();
    let shown = lines.len().min(SHOWN);
    for e in &lines[..shown] {
        for (i, line) in e.lines().enumerate() {
            println_err!("{}{line}", if i == 0 { "  " } else { "    " });
        }
    }
    if unfit.problems.total() > shown {
        let more = unfit.problems.total() - shown;
        println_err!(
            "{}",
            crate::tr!(
                format!("  … and {more} more"),
                format!("  …… 另外还有 {more} 个")
            )
        );
    }
    let changes = vocabulary(old, new);
    if !changes.is_empty() {
        println_err!(
            "{}",
            crate::tr!(
                format!(
                    "  help: the revisions read different records ({}), so they cannot be compared on these; compare them on records both accept",
                    changes.join(", ")
                ),
                format!(
                    "  提示：两个版本读的记录不一样（{}），用这些记录比不了；换两个版本都认的记录来比",
                    changes.join("、")
                )
            )
        );
    }
}

/// Why the inputs could not be evaluated under one revision.
struct Unfit {
    exit: Exit,
    /// "roster" or "records".
    what: &'static str,
    /// The problems as found: those of the reader, or those of scoring.
    problems: Problems,
}

impl Unfit {
    /// One entry per problem listed.
    fn lines(&self) -> Vec<String> {
        self.problems.list.iter().map(diag::plain).collect()
    }
}

fn read_side(
    policy: &Policy,
    roster: &Path,
    files: &[PathBuf],
    as_of: Date,
    encoding: input::Encoding,
) -> Result<(Roster, Outcome), Box<Unfit>> {
    let roster = input::read_roster_in(policy, roster, encoding).map_err(|problems| {
        let exit = if problems.unreadable() {
            Exit::CouldNotRun
        } else {
            Exit::Findings
        };
        Box::new(Unfit {
            exit,
            what: "roster",
            problems,
        })
    })?;
    let options = Options {
        as_of,
        trace: None,
        encoding,
        memory: Vec::new(),
        reading: Default::default(),
        threads: None,
    };
    match evaluate(policy, &roster, files, &options) {
        Ok((outcome, _)) => Ok((roster, outcome)),
        Err(problems) => Err(Box::new(Unfit {
            exit: Exit::Findings,
            what: "records",
            problems,
        })),
    }
}

/// Both revisions read and checked, once the output is known to write over no input; `Err` with
/// the exit after saying why they cannot be compared.
fn revisions(args: &Args) -> Result<(Policy, Policy), Exit> {
    let inputs = [
        Input {
            role: crate::tr!("old policy", "旧政策文件"),
            path: &args.old,
        },
        Input {
            role: crate::tr!("new policy", "新政策文件"),
            path: &args.new,
        },
        Input {
            role: crate::tr!("roster", "花名册"),
            path: &args.roster,
        },
    ];
    guard_output(args.output.as_deref(), &inputs, &args.records)?;
    let (old, new) = match (checked_policy(&args.old), checked_policy(&args.new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    if let Some(why) = diff::not_comparable(&old, &new) {
        fail(
            Code::BadArgument,
            &crate::tr!(
                format!(
                    "`{}` and `{}` cannot be compared: {why}",
                    name(&args.old),
                    name(&args.new)
                ),
                format!(
                    "`{}` 和 `{}` 比不了：{why}",
                    name(&args.old),
                    name(&args.new)
                )
            ),
        );
        return Err(Exit::Findings);
    }
    Ok((old, new))
}

pub fn run(args: &Args) -> Exit {
    problems_as_json(matches!(args.format, Format::Json));
    let as_of = match &args.as_of {
        None => Date::today(),
        Some(text) => match Date::parse(text.trim()) {
            Some(d) => d,
            None => {
                fail(
                    Code::BadArgument,
                    &crate::tr!(
                        format!("`{text}` is not a date: write `--as-of 2021-01-05`"),
                        format!("`{text}` 不是日期：写成 `--as-of 2021-01-05` 这样")
                    ),
                );
                return Exit::CouldNotRun;
            }
        },
    };
    let (old, new) = match revisions(args) {
        Ok(both) => both,
        Err(exit) => return exit,
    };
    let files = match input::record_files(&args.records) {
        Ok(f) => f,
        Err(e) => {
            print_problem(&e, None);
            return Exit::CouldNotRun;
        }
    };
    let mut sides = Vec::new();
    for path in [&args.old, &args.new] {
        let policy = if path == &args.old { &old } else { &new };
        match read_side(
            policy,
            &args.roster,
            &files,
            as_of,
            super::inputs::encoding(args.encoding),
        ) {
            Ok(side) => sides.push(side),
            Err(unfit) => {
                if unfit.exit == Exit::CouldNotRun {
                    print_problems(&unfit.problems, None);
                } else {
                    does_not_fit(path, &unfit, &old, &new);
                }
                return unfit.exit;
            }
        }
    }
    let [(old_roster, old_outcome), (new_roster, new_outcome)] = sides.as_slice() else {
        return Exit::CouldNotRun;
    };
    let (old_name, new_name) = (name(&args.old), name(&args.new));
    let d = diff::diff(
        &Side {
            file: &old_name,
            policy: &old,
            roster: old_roster,
            outcome: old_outcome,
        },
        &Side {
            file: &new_name,
            policy: &new,
            roster: new_roster,
            outcome: new_outcome,
        },
    );
    match args.format {
        Format::Table => write_output(args.output.as_deref(), &report::table(&d)),
        Format::Csv => {
            super::output::write_csv_output(args.output.as_deref(), &[report::csv(&d).as_bytes()])
        }
        Format::Json => write_output(args.output.as_deref(), &report::json(&d)),
    }
}
