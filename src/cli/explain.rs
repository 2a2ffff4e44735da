//! `tally explain POLICY --roster FILE --records PATH... --person ID [--period P]`: one person's
//! score as a tree, every point traced to its clause and record lines.

use clap::ValueEnum;

use super::Exit;
use super::common::{fail, problem, problems_as_json};
use super::inputs::Inputs;
use super::output::write_output;
use crate::codes::Code;
use crate::report::Period;
use crate::report::explain::{Context, Scope, render};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: Inputs,
    /// The person's id, as in the roster's `person` column
    #[arg(long, value_name = "ID")]
    person: String,
    /// A month like `2020-03`, or the year like `2020` (the default)
    #[arg(long, value_name = "PERIOD")]
    period: Option<String>,
    /// Output form
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// an indented tree
    Text,
    /// the same tree as data: every node's points are the sum of its children's; problems, if
    /// any, as JSON lines on standard error
    Json,
}

pub fn run(args: &Args) -> Exit {
    problems_as_json(matches!(args.format, Format::Json));
    let evaluated = args.inputs.evaluate(|roster| {
        match roster.people.iter().position(|p| p.id == args.person) {
            Some(i) => Ok(Some(i)),
            None => {
                let help =
                    roster.unknown_person_help(&args.person, crate::tr!("the id is", "编号是"));
                problem(
                    Code::UnknownPerson,
                    &crate::tr!(
                        format!("no person `{}` in the roster", args.person),
                        format!("花名册里没有 `{}` 这个人", args.person)
                    ),
                    help.as_deref(),
                );
                Err(Exit::Findings)
            }
        }
    });
    let evaluated = match evaluated {
        Ok(e) => e,
        Err(exit) => return exit,
    };
    let Some(trace) = &evaluated.trace else {
        return Exit::CouldNotRun;
    };
    let scope = match args
        .period
        .as_deref()
        .map(|p| Period::parse(p, &evaluated.policy))
    {
        None | Some(Ok(Period::Year | Period::All)) => Scope::Year,
        Some(Ok(Period::Month(m))) => Scope::Month(m),
        Some(Err(msg)) => {
            fail(Code::BadArgument, &msg);
            return Exit::CouldNotRun;
        }
    };
    let cx = Context {
        policy: &evaluated.policy,
        roster: &evaluated.roster,
        files: &evaluated.files,
        trace,
    };
    let tree = match cx.tree(scope) {
        Ok(tree) => tree,
        Err(msg) => {
            fail(Code::ArithmeticOverflow, &msg);
            return Exit::Findings;
        }
    };
    let text = match args.format {
        Format::Text => render(&tree, evaluated.policy.round_places),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&tree).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    write_output(None, &text)
}
