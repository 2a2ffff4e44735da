//! `tally fmt POLICY...`: rewrite policies in their canonical layout; `--check` only says which are
//! not; `-` formats standard input to standard output.

use super::common::print_problem;
use crate::codes::Code;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::Exit;
use super::common::{fail, io_reason};
use super::output::write_output;
use crate::diag::{self, Source};
use crate::fmt::{FmtError, format};
use crate::syntax;

/// How many lines of a diff `--check` shows for one file.
const DIFF_LINES: usize = 40;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy files, or folders (every `*.policy` in them); `-` reads standard input and writes
    /// the result to standard output
    #[arg(required = true, value_name = "POLICY")]
    files: Vec<PathBuf>,
    /// Write nothing: name every file that is not in the canonical layout, show what would change,
    /// and exit 1
    #[arg(long)]
    check: bool,
}

/// What one argument stands for.
enum Input {
    Stdin,
    File(PathBuf),
}

#[derive(Default)]
struct Tally {
    files: usize,
    changed: usize,
    with_errors: usize,
    /// Files read but neither checked nor rewritten (an internal error, a failed write).
    failed: usize,
    could_not_run: bool,
}

pub fn run(args: &Args) -> Exit {
    let mut tally = Tally::default();
    let mut inputs = Vec::new();
    for path in &args.files {
        match expand(path) {
            Ok(found) => inputs.extend(found),
            Err(d) => {
                print_problem(&d, None);
                tally.could_not_run = true;
            }
        }
    }
    let mut any_file = false;
    for input in &inputs {
        match input {
            Input::Stdin => stdin(args, &mut tally),
            Input::File(path) => {
                any_file = true;
                file(args, path, &mut tally);
            }
        }
    }
    if any_file {
        summary(args, &tally);
    }
    if tally.could_not_run {
        Exit::CouldNotRun
    } else if tally.with_errors > 0 || (args.check && tally.changed > 0) {
        Exit::Findings
    } else {
        Exit::Ok
    }
}

/// A file, `-`, or every `*.policy` of a folder, by name.
fn expand(path: &Path) -> Result<Vec<Input>, Box<crate::diag::Diag>> {
    if path.as_os_str() == "-" {
        return Ok(vec![Input::Stdin]);
    }
    Ok(super::common::policies(path)?
        .into_iter()
        .map(Input::File)
        .collect())
}

/// The formatted text, or `None` after reporting why there is none.
fn formatted(name: &str, bytes: &[u8], tally: &mut Tally) -> Option<(Source, String)> {
    let colour = diag::stderr_wants_colour();
    let source = match syntax::decode(name, bytes) {
        Ok(source) => source,
        Err(bad) => {
            let (source, diag) = *bad;
            print_err!("{}", diag::render(&[diag], &source, colour));
            tally.with_errors += 1;
            return None;
        }
    };
    match format(&source) {
        Ok(text) => Some((source, text)),
        Err(FmtError::Syntax(mut diags)) => {
            diag::sort(&mut diags);
            print_err!("{}", diag::render(&diags, &source, colour));
            tally.with_errors += 1;
            None
        }
        Err(FmtError::WouldChange(what)) => {
            fail(
                Code::Internal,
                &crate::tr!(
                    format!(
                        "internal error: formatting would change the policy `{name}` ({what}); \
                     nothing was written"
                    ),
                    format!("内部错误：排版会改变政策 `{name}` 的内容（{what}）；什么都没有写")
                ),
            );
            tally.failed += 1;
            tally.could_not_run = true;
            None
        }
    }
}

fn file(args: &Args, path: &Path, tally: &mut Tally) {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            fail(
                Code::CannotRead,
                &crate::tr!(
                    format!("cannot read `{name}`: {}", io_reason(&e)),
                    format!("读不了 `{name}`：{}", io_reason(&e))
                ),
            );
            tally.could_not_run = true;
            return;
        }
    };
    tally.files += 1;
    let Some((source, text)) = formatted(&name, &bytes, tally) else {
        return;
    };
    if *source.text == text {
        return;
    }
    if args.check {
        tally.changed += 1;
        print_out!("{}", diff(&name, &source.text, &text));
    } else if write_output(Some(path), &text) == Exit::Ok {
        tally.changed += 1;
    } else {
        tally.failed += 1;
        tally.could_not_run = true;
    }
}

fn stdin(args: &Args, tally: &mut Tally) {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        fail(
            Code::CannotRead,
            &crate::tr!(
                format!("cannot read the standard input: {}", io_reason(&e)),
                format!("读不了标准输入：{}", io_reason(&e))
            ),
        );
        tally.could_not_run = true;
        return;
    }
    let Some((source, text)) = formatted("<stdin>", &bytes, tally) else {
        return;
    };
    if args.check {
        if *source.text != text {
            tally.changed += 1;
            print_out!("{}", diff("<stdin>", &source.text, &text));
        }
    } else if write_output(None, &text) != Exit::Ok {
        tally.could_not_run = true;
    }
}

/// `name is not formatted`, then a unified diff of what `tally fmt` would change, cut short.
fn diff(name: &str, old: &str, new: &str) -> String {
    let mut out = crate::tr!(
        format!("{name}: not in the canonical layout\n"),
        format!("{name}：不是标准格式\n")
    );
    let crlf = old.contains('\r');
    let old = old.replace("\r\n", "\n");
    let body = similar::TextDiff::from_lines(old.as_str(), new)
        .unified_diff()
        .context_radius(2)
        .header(
            name,
            &crate::tr!(format!("{name} (formatted)"), format!("{name}（排版后）")),
        )
        .to_string();
    let lines: Vec<&str> = body.lines().collect();
    for line in lines.iter().take(DIFF_LINES) {
        out.push_str(line);
        out.push('\n');
    }
    if lines.len() > DIFF_LINES {
        let more = lines.len() - DIFF_LINES;
        out.push_str(&crate::tr!(
            format!("… {more} more lines of differences\n"),
            format!("…… 另有 {more} 行不同\n")
        ));
    }
    if crlf {
        out.push_str(crate::tr!(
            "line endings \\r\\n become \\n\n",
            "行尾的 \\r\\n 改成 \\n\n"
        ));
    }
    out
}

fn summary(args: &Args, tally: &Tally) {
    use crate::tr;
    let files = crate::lang::counted(tally.files, "file", "个文件");
    let mut parts = Vec::new();
    let n = tally.changed;
    if args.check {
        if n > 0 {
            parts.push(tr!(
                format!("{n} not in the canonical layout"),
                format!("{n} 个不是标准格式")
            ));
        } else if tally.with_errors == 0 && tally.failed == 0 {
            parts.push(tr!("all in the canonical layout", "都是标准格式").to_string());
        }
    } else {
        parts.push(tr!(format!("{n} rewritten"), format!("{n} 个已改写")));
    }
    let n = tally.with_errors;
    if n > 0 {
        parts.push(tr!(
            format!("{n} with errors (left unchanged)"),
            format!("{n} 个有错误（未改动）")
        ));
    }
    let n = tally.failed;
    if n > 0 {
        parts.push(tr!(
            format!("{n} could not be formatted"),
            format!("{n} 个无法排版")
        ));
    }
    if tally.files > 0 {
        let parts = parts.join(tr!(", ", "，"));
        println_err!(
            "{}",
            match (args.check, crate::lang::current()) {
                (true, crate::lang::Lang::En) => format!("checked {files}: {parts}"),
                (false, crate::lang::Lang::En) => format!("formatted {files}: {parts}"),
                (true, crate::lang::Lang::Zh) => format!("已检查 {files}：{parts}"),
                (false, crate::lang::Lang::Zh) => format!("已排版 {files}：{parts}"),
            }
        );
    }
}
