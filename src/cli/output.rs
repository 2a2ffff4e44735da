//! Every byte the commands print (but for the spinner of [`super::progress`], on a terminal only)
//! goes through here, so that an I/O error is handled in one place
//! instead of panicking (`println!` and `eprintln!` panic when they cannot write):
//!
//! - a closed pipe (`tally check … | head -c1`) ends the output quietly: nothing more is written
//!   to that stream, and the command keeps its exit code;
//! - any other failure (a full disk) is an error: it is said on standard error if that still
//!   works, and the command exits 2 ([`failed`]).
//!
//! The results a command writes with `--output` go through [`write_output`], which refuses to
//! write over one of the command's own inputs ([`guard_output`]).

use crate::codes::Code;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::Exit;
use super::common::io_reason;
use crate::files::Writing;

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);
static FAILED: AtomicBool = AtomicBool::new(false);

/// `print!` that never panics: see the module's documentation.
macro_rules! print_out {
    ($($arg:tt)*) => {{ $crate::cli::output::out(&format!($($arg)*)); }};
}

/// `println!` that never panics.
macro_rules! println_out {
    ($($arg:tt)*) => {{ $crate::cli::output::out(&format!("{}\n", format_args!($($arg)*))); }};
}

/// `eprint!` that never panics.
macro_rules! print_err {
    ($($arg:tt)*) => { $crate::cli::output::err(&format!($($arg)*)) };
}

/// `eprintln!` that never panics.
macro_rules! println_err {
    ($($arg:tt)*) => { $crate::cli::output::err(&format!("{}\n", format_args!($($arg)*))) };
}

/// Writes to standard output. `false` when it failed for another reason than a closed pipe (the
/// failure is then reported, and the command will exit 2).
pub fn out(text: &str) -> bool {
    out_parts(&[text.as_bytes()])
}

/// [`out`] for text in parts, written one after the other.
fn out_parts(parts: &[&[u8]]) -> bool {
    out_with(&mut |w| parts.iter().try_for_each(|part| w.write_all(part)))
}

/// [`out`] for text written as it is made.
fn out_with(write: &mut Writing<'_>) -> bool {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return true;
    }
    let mut stdout = std::io::stdout().lock();
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            true
        }
        Err(e) => {
            // Said once: what follows would fail the same way.
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            FAILED.store(true, Ordering::Relaxed);
            err(&stdout_failed(&e));
            false
        }
    }
}

/// Writes to standard error. A failure cannot be said anywhere: a closed pipe is ignored, any
/// other failure makes the command exit 2.
pub fn err(text: &str) {
    if STDERR_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stderr = std::io::stderr().lock();
    if let Err(e) = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.flush())
    {
        STDERR_CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            FAILED.store(true, Ordering::Relaxed);
        }
    }
}

/// Whether writing to standard output or standard error failed (other than on a closed pipe).
pub fn failed() -> bool {
    FAILED.load(Ordering::Relaxed)
}

/// Records a failure to write the help or a usage error (clap writes those itself).
pub fn record_failure(e: &std::io::Error, on_stderr: bool) {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return;
    }
    FAILED.store(true, Ordering::Relaxed);
    if !on_stderr {
        err(&stdout_failed(e));
    }
}

/// `--output -` means standard output, as no `--output` does.
pub fn output_file(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| p.as_os_str() != "-")
}

/// One input of a command, as `--output` must not name it.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// What the file is to the command: "policy", "roster", "records file".
    pub role: &'a str,
    pub path: &'a Path,
}

/// Refuses an `--output` that names one of the command's inputs (by any path: through a link, a
/// `..`, or a hard link): one of `inputs`, or a record file of `record_paths` (given, or found in
/// a folder); a new `*.csv` in a records folder (the next run would read it as records); or a
/// folder. Checked before anything is written.
pub fn guard_output(
    output: Option<&Path>,
    inputs: &[Input<'_>],
    record_paths: &[PathBuf],
) -> Result<(), Exit> {
    let Some(output) = output_file(output) else {
        return Ok(());
    };
    let shown = output.display();
    if output.is_dir() {
        super::common::problem(
            Code::CannotWrite,
            &crate::tr!(
                format!("cannot write `{shown}`: it is a folder"),
                format!("写不了 `{shown}`：这是个文件夹")
            ),
            Some(&crate::tr!(
                format!("name a file for `--output`, such as `{shown}/results.csv`"),
                format!("给 `--output` 一个文件名，比如 `{shown}/results.csv`")
            )),
        );
        return Err(Exit::CouldNotRun);
    }
    let Some(why) = output_clash(output, inputs, record_paths) else {
        return Ok(());
    };
    super::common::problem(
        Code::CannotWrite,
        &crate::tr!(
            format!("will not write the results to `{shown}`: {why}"),
            format!("不把结果写进 `{shown}`：{why}")
        ),
        Some(crate::tr!(
            "write the results to a file of their own, such as `results.csv` outside the records folders",
            "把结果写进单独的文件，比如记录文件夹以外的 `results.csv`"
        )),
    );
    Err(Exit::CouldNotRun)
}

/// Why the results must not be written to `output`: it is one of `inputs` or of the record files
/// of `record_paths`, or it is a new `*.csv` (or workbook) in a records folder.
fn output_clash(output: &Path, inputs: &[Input<'_>], record_paths: &[PathBuf]) -> Option<String> {
    // A sheet's record file is its workbook.
    let mut record_files: Vec<PathBuf> = crate::eval::input::record_files(record_paths)
        .unwrap_or_default()
        .iter()
        .map(|f| crate::sheet_path::file_of(f))
        .collect();
    record_files.dedup();
    let records = record_files.iter().map(|f| Input {
        role: crate::tr!("records file", "记录文件"),
        path: f,
    });
    for input in inputs.iter().copied().chain(records) {
        if crate::files::same_file(output, input.path) {
            return Some(crate::tr!(
                format!(
                    "it is the {} `{}`, which would be overwritten",
                    input.role,
                    input.path.display()
                ),
                crate::lang::spaced(&format!(
                    "它就是{} `{}`，会被覆盖",
                    input.role,
                    input.path.display()
                ))
            ));
        }
    }
    for folder in record_paths.iter().filter(|p| p.is_dir()) {
        let is_csv = output
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("csv"))
            || crate::sheet_path::is_workbook(output);
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if is_csv && crate::files::same_file(parent, folder) {
            return Some(crate::tr!(
                format!(
                    "it is in the records folder `{}`, so the next run would read the results as records",
                    folder.display()
                ),
                format!(
                    "它在记录文件夹 `{}` 里，下次运行会把结果当成记录读进去",
                    folder.display()
                )
            ));
        }
    }
    None
}

/// [`write_output`] for CSV: a file (a regular one, or a new one) starts with a UTF-8 byte-order
/// mark, without which Excel reads a CSV file in the legacy encoding and garbles its Chinese.
/// Standard output, a FIFO and a device get the text alone.
/// The text comes in parts, written one after the other ([`write_csv_with`]: as it is made).
pub fn write_csv_output(path: Option<&Path>, parts: &[&[u8]]) -> Exit {
    write_csv_with(path, &mut |w| {
        parts.iter().try_for_each(|part| w.write_all(part))
    })
}

/// [`write_csv_output`] for a text that `write` writes as it makes it.
pub fn write_csv_with(path: Option<&Path>, write: &mut Writing<'_>) -> Exit {
    let Some(file) = output_file(path) else {
        return if out_with(write) {
            Exit::Ok
        } else {
            Exit::CouldNotRun
        };
    };
    match replace_csv_with(file, write) {
        Ok(()) => Exit::Ok,
        Err(e) => cannot_write_file(file, &e),
    }
}

/// Whether `--output` names a file that is replaced whole (through a temporary file and a
/// rename), so that nothing of it shows until it is all written: not standard output, a FIFO or
/// a device, which are written in place.
pub fn replaced_whole(path: Option<&Path>) -> bool {
    output_file(path).is_some_and(|file| std::fs::metadata(file).map_or(true, |m| m.is_file()))
}

/// Replaces `file` whole with the CSV that `write` writes (after a byte-order mark, for a file),
/// saying nothing: an error, from `write` or the file, leaves the file as it was.
pub fn replace_csv_with(file: &Path, write: &mut Writing<'_>) -> std::io::Result<()> {
    let to_file = match std::fs::metadata(file) {
        Ok(m) => m.is_file(),
        Err(_) => true,
    };
    let mut with_mark = |w: &mut dyn Write| {
        if to_file {
            w.write_all("\u{feff}".as_bytes())?;
        }
        write(w)
    };
    crate::files::replace_with(file, &mut with_mark)
}

/// Says that `file` could not be written, and why.
pub fn cannot_write_file(file: &Path, e: &std::io::Error) -> Exit {
    super::common::fail(Code::CannotWrite, &cannot_write(file, e));
    Exit::CouldNotRun
}

/// [`write_output`] for bytes that are not text (a workbook).
pub fn write_bytes_output(path: Option<&Path>, bytes: &[u8]) -> Exit {
    write_parts(path, &[bytes])
}

/// Writes the parts, one after the other, to the file (as [`write_output`] does); nothing to
/// standard output.
fn write_parts(path: Option<&Path>, parts: &[&[u8]]) -> Exit {
    let Some(path) = output_file(path) else {
        return Exit::CouldNotRun;
    };
    match crate::files::replace_parts(path, parts) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            super::common::fail(Code::CannotWrite, &cannot_write(path, &e));
            Exit::CouldNotRun
        }
    }
}

/// Writes the results to the file (through a temporary file and a rename, so a reader never sees
/// half a file; a FIFO or a device in place) or to standard output.
pub fn write_output(path: Option<&Path>, text: &str) -> Exit {
    let Some(path) = output_file(path) else {
        return if out(text) {
            Exit::Ok
        } else {
            Exit::CouldNotRun
        };
    };
    match crate::files::replace(path, text.as_bytes()) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            super::common::fail(Code::CannotWrite, &cannot_write(path, &e));
            Exit::CouldNotRun
        }
    }
}

/// The line said once when standard output cannot be written.
fn stdout_failed(e: &std::io::Error) -> String {
    crate::tr!(
        format!(
            "error: cannot write to the standard output: {}\n",
            io_reason(e)
        ),
        format!("错误：写不了标准输出：{}\n", io_reason(e))
    )
}

/// A file that cannot be written, and why.
fn cannot_write(path: &Path, e: &std::io::Error) -> String {
    crate::tr!(
        format!("cannot write `{}`: {}", path.display(), io_reason(e)),
        format!("写不了 `{}`：{}", path.display(), io_reason(e))
    )
}
