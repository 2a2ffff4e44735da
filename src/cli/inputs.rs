//! The inputs of the commands that evaluate, and how results are written.

use crate::codes::Code;
use std::path::{Path, PathBuf};

use super::Exit;
use super::common::{checked_policy, fail, print_problem, print_problems, problem_count};
use super::output::{Input, guard_output};
use crate::check::Policy;
use crate::eval::outcome::Outcome;
use crate::eval::{Date, Options, Roster, Trace, evaluate, input};

/// The inputs of every command that evaluates: a policy, a roster, record files, the report day.
#[derive(Debug, clap::Args)]
pub struct Inputs {
    /// The policy file
    #[arg(value_name = "POLICY")]
    pub policy: PathBuf,
    /// The roster CSV: one row per person
    #[arg(long, value_name = "FILE")]
    pub roster: PathBuf,
    /// Record CSV files, or folders of them (every `*.csv` inside, by name)
    #[arg(long, value_name = "PATH", required = true, num_args = 1..)]
    pub records: Vec<PathBuf>,
    /// The day of the report (YYYY-MM-DD); year-window values are provisional before the year ends
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The encoding of the CSV files (default: UTF-8, or GBK for a file that is not UTF-8 and is GBK)
    #[arg(long, value_enum, value_name = "ENCODING")]
    pub encoding: Option<EncodingArg>,
}

/// `--encoding`: how the roster and the record CSV files are encoded.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum EncodingArg {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030, of which GBK is a part
    #[value(name = "gb18030")]
    Gb18030,
    /// read as GB18030, of which GBK is a part
    #[value(name = "gbk")]
    Gbk,
}

/// The encoding `--encoding` asks for; without it, UTF-8 or GBK as each file is.
pub fn encoding(arg: Option<EncodingArg>) -> input::Encoding {
    match arg {
        None => input::Encoding::Auto,
        Some(EncodingArg::Utf8) => input::Encoding::Utf8,
        Some(EncodingArg::Gb18030 | EncodingArg::Gbk) => input::Encoding::Gb18030,
    }
}

/// A policy evaluated on its inputs.
pub struct Evaluated {
    pub policy: Policy,
    pub roster: Roster,
    pub files: Vec<PathBuf>,
    pub outcome: Outcome,
    pub trace: Option<Trace>,
}

/// A policy and a roster read, with the record files to read and how.
pub struct Loaded {
    pub policy: Policy,
    pub roster: Roster,
    pub files: Vec<PathBuf>,
    pub options: Options,
}

impl Loaded {
    /// The spinner shown while the records are read and the cards made.
    pub fn progress(&self) -> super::progress::Progress {
        let (people, files) = (self.roster.people.len(), self.files.len());
        super::progress::Progress::start(crate::tr!(
            format!("scoring {people} people on {files} record files"),
            format!("正在按 {files} 个记录文件给 {people} 人计分")
        ))
    }
}

/// Prints the problems found in the inputs, with their count: the exit for them.
pub fn input_problems(problems: &crate::diag::Problems) -> Exit {
    print_problems(problems, None);
    problem_count(
        problems.total(),
        crate::tr!("in the inputs", "输入的文件里"),
    );
    Exit::Findings
}

impl Inputs {
    /// Refuses an `--output` that would overwrite one of these inputs (see [`guard_output`]).
    pub fn guard(&self, output: Option<&Path>) -> Result<(), Exit> {
        let inputs = [
            Input {
                role: crate::tr!("policy", "政策文件"),
                path: &self.policy,
            },
            Input {
                role: crate::tr!("roster", "花名册"),
                path: &self.roster,
            },
        ];
        guard_output(output, &inputs, &self.records)
    }

    /// Reads, checks and evaluates, printing every problem to stderr. `pick` chooses the person to
    /// trace once the roster is read (for `explain`).
    pub fn evaluate(
        &self,
        pick: impl FnOnce(&Roster) -> Result<Option<usize>, Exit>,
    ) -> Result<Evaluated, Exit> {
        let loaded = self.load(pick)?;
        let progress = loaded.progress();
        let evaluated = evaluate(
            &loaded.policy,
            &loaded.roster,
            &loaded.files,
            &loaded.options,
        );
        drop(progress);
        match evaluated {
            Ok((outcome, trace)) => Ok(Evaluated {
                policy: loaded.policy,
                roster: loaded.roster,
                files: loaded.files,
                outcome,
                trace,
            }),
            Err(problems) => Err(input_problems(&problems)),
        }
    }

    /// The policy checked and the roster read, with the record files to read: every problem with
    /// them printed to stderr. `pick` chooses the person to trace once the roster is read.
    pub fn load(
        &self,
        pick: impl FnOnce(&Roster) -> Result<Option<usize>, Exit>,
    ) -> Result<Loaded, Exit> {
        let as_of = self.as_of()?;
        let policy = checked_policy(&self.policy)?;
        let encoding = encoding(self.encoding);
        let (files, roster) = self.read_inputs(&policy, encoding)?;
        let trace = pick(&roster)?;
        let options = Options {
            as_of,
            trace,
            encoding,
            memory: Vec::new(),
            reading: Default::default(),
            threads: None,
        };
        Ok(Loaded {
            policy,
            roster,
            files,
            options,
        })
    }

    /// The day `--as-of` names, or today.
    fn as_of(&self) -> Result<Date, Exit> {
        match &self.as_of {
            None => Ok(Date::today()),
            Some(text) => Date::parse(text.trim()).ok_or_else(|| {
                fail(
                    Code::BadArgument,
                    &crate::tr!(
                        format!("`{text}` is not a date: write `--as-of 2021-01-05`"),
                        format!("`{text}` 不是日期：写成 `--as-of 2021-01-05` 这样")
                    ),
                );
                Exit::CouldNotRun
            }),
        }
    }

    /// The record files and the roster, or every problem with either printed.
    fn read_inputs(
        &self,
        policy: &Policy,
        encoding: input::Encoding,
    ) -> Result<(Vec<PathBuf>, Roster), Exit> {
        // Both are read before either is reported, so that a missing roster and a missing records
        // folder show up in one run.
        let files = input::record_files(&self.records);
        let roster = input::read_roster_in(policy, &self.roster, encoding);
        match (files, roster) {
            (Ok(files), Ok(roster)) => Ok((files, roster)),
            (files, roster) => {
                let mut exit = Exit::Findings;
                if let Err(e) = files {
                    print_problem(&e, None);
                    exit = Exit::CouldNotRun;
                }
                if let Err(errors) = roster {
                    print_problems(&errors, None);
                    if errors.unreadable() {
                        exit = Exit::CouldNotRun;
                    } else {
                        problem_count(errors.total(), crate::tr!("in the roster", "花名册里"));
                    }
                }
                Err(exit)
            }
        }
    }
}
