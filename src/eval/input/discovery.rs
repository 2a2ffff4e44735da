//! Which record files a `--records` argument names (a file, or every `*.csv` and workbook of a
//! folder), with each workbook given as its sheets (see [`crate::sheet_path`]).

use super::*;

/// The record files named on the command line: files as given, folders expanded to the `*.csv`
/// and workbooks inside them sorted by name (not the lock files `~$…` that Excel and WPS keep
/// beside an open workbook), each workbook as its sheets in order but those named [`SKIPPED_SHEETS`].
/// A missing path, an empty folder, a file given twice or a workbook that cannot be read is an
/// error.
pub fn record_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Box<Diag>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for path in paths {
        let shown = display(path);
        let meta = std::fs::metadata(path).map_err(|e| {
            Diag::unreadable(
                Code::CannotRead,
                &shown,
                crate::tr!(
                    format!("cannot read records: {}", io_reason(&e)),
                    format!("读不了记录：{}", io_reason(&e))
                ),
            )
        })?;
        if meta.is_dir() {
            files.extend(folder_files(path, &shown)?);
        } else {
            files.push(path.clone());
        }
    }
    once_each(&files)?;
    let files = as_sheets(files)?;
    if files.len() > u32::MAX as usize {
        return Err(Diag::unreadable(
            Code::CannotRead,
            "records",
            crate::tr!("too many record files", "记录文件太多"),
        )
        .into());
    }
    Ok(files)
}

/// The record files of a folder: the `*.csv` and workbooks inside, sorted by name, without the
/// lock files of an open workbook; none, or a file beside its twin (`2020-03.csv` beside
/// `2020-03.xlsx`), is an error.
fn folder_files(path: &Path, shown: &str) -> Result<Vec<PathBuf>, Box<Diag>> {
    let entries = std::fs::read_dir(path)
        .map_err(|e| Diag::unreadable(Code::CannotRead, shown, cannot_list(&e)))?;
    let mut inside = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| Diag::unreadable(Code::CannotRead, shown, cannot_list(&e)))?;
        let p = entry.path();
        let is_csv = p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"));
        let is_lock = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("~$") || n.starts_with(".~lock"));
        if (is_csv || is_workbook(&p) || is_wps(&p)) && !is_lock && p.is_file() {
            inside.push(p);
        }
    }
    if inside.is_empty() {
        return Err(Diag::unreadable(
            Code::CannotRead,
            shown,
            crate::tr!(
                "this folder holds no `.csv` files and no workbooks",
                "这个文件夹里没有 `.csv` 文件，也没有工作簿"
            ),
        )
        .help_cut(Some(
            crate::tr!(
                "record files are read by their ending (`.csv`, `.xlsx`, `.xls`, `.ods`); give \
                 the folder that holds them, or the files themselves",
                "记录文件按扩展名（`.csv`、`.xlsx`、`.xls`、`.ods`）来认；\
                 给出装着它们的文件夹，或者直接给出这些文件"
            )
            .into(),
        ))
        .into());
    }
    inside.sort();
    // `2020-03.csv` beside `2020-03.xlsx`: one is most likely saved from the other.
    let lower = |s: Option<&std::ffi::OsStr>| {
        s.map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default()
    };
    let twins = |a: &Path, b: &Path| {
        lower(a.file_stem()) == lower(b.file_stem()) && lower(a.extension()) != lower(b.extension())
    };
    for (i, a) in inside.iter().enumerate() {
        if let Some(b) = inside[i + 1..].iter().find(|b| twins(a, b)) {
            return Err(Diag::unreadable(
                Code::FileGivenTwice,
                &display(b),
                crate::tr!(
                    format!(
                        "`{}` beside this file has the same name: one is most likely saved \
                         from the other, and their records would count twice",
                        display(a)
                    ),
                    format!(
                        "旁边的 `{}` 和这个文件同名：多半是一个从另一个另存来的，记录会算两遍",
                        display(a)
                    )
                ),
            )
            .help_cut(Some(
                crate::tr!(
                    "keep one of them in the records folder (move the other away), or give \
                     the files themselves",
                    "记录文件夹里只留一个（另一个挪走），或者直接给出这些文件"
                )
                .into(),
            ))
            .into());
        }
    }
    Ok(inside)
}

/// Each file given once: hard links and symbolic links to one file are that file.
fn once_each(files: &[PathBuf]) -> Result<(), Box<Diag>> {
    let mut seen: HashMap<crate::files::FileKey, usize> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        let key = crate::files::file_key(f);
        if let Some(first) = seen.insert(key, i) {
            return Err(Diag::unreadable(
                Code::FileGivenTwice,
                &display(f),
                crate::tr!(
                    format!(
                        "this file is given twice (also as `{}`); its records would count twice",
                        display(&files[first])
                    ),
                    format!(
                        "这个文件给了两次（另一次是 `{}`）；它的记录会算两遍",
                        display(&files[first])
                    )
                ),
            )
            .help_cut(Some(
                crate::tr!(
                    "give each record file once: a folder, or the files in it, not both",
                    "每个记录文件只给一次：给文件夹，或者给文件夹里的文件，不要两样都给"
                )
                .into(),
            ))
            .into());
        }
    }
    Ok(())
}

/// Each workbook as its sheets (but those named [`SKIPPED_SHEETS`]); a WPS file is an error.
fn as_sheets(files: Vec<PathBuf>) -> Result<Vec<PathBuf>, Box<Diag>> {
    let mut expanded = Vec::with_capacity(files.len());
    for f in files {
        if is_wps(&f) {
            return Err(wps_error(&display(&f)).into());
        }
        if !is_workbook(&f) {
            expanded.push(f);
            continue;
        }
        let book = open_workbook(&f)?;
        for sheet in book.sheet_names() {
            if !is_skipped_sheet(&sheet) {
                expanded.push(crate::sheet_path::sheet_path(&f, &sheet));
            }
        }
    }
    Ok(expanded)
}

/// Sheets of a record workbook that hold no records: the record-entry template's instructions and
/// roster.
pub const SKIPPED_SHEETS: [&str; 6] = [
    "说明",
    "填写说明",
    "instructions",
    "花名册",
    "roster",
    "人员名单",
];

/// Whether a sheet of a record workbook is one of [`SKIPPED_SHEETS`] (in any case).
pub fn is_skipped_sheet(name: &str) -> bool {
    let name = name.trim();
    SKIPPED_SHEETS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// A folder whose files cannot be listed, and why.
fn cannot_list(e: &std::io::Error) -> String {
    crate::tr!(
        format!("cannot list this folder: {}", io_reason(e)),
        format!("列不出这个文件夹里的文件：{}", io_reason(e))
    )
}
