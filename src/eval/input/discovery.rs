//! Which record files a `--records` argument names (a file, or every `*.csv` of a folder).

use super::*;

/// The record files named on the command line: files as given, folders expanded to the `*.csv`
/// inside them sorted by name. A missing path, an empty folder or a file given twice is an error.
pub fn record_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut files: Vec<PathBuf> = Vec::new();
    for path in paths {
        let shown = display(path);
        let meta = std::fs::metadata(path).map_err(|e| {
            InputError::unreadable(
                Code::CannotRead,
                &shown,
                format!("cannot read records: {}", io_reason(&e)),
            )
        })?;
        if meta.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| {
                InputError::unreadable(
                    Code::CannotRead,
                    &shown,
                    format!("cannot list this folder: {}", io_reason(&e)),
                )
            })?;
            let mut inside = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| {
                    InputError::unreadable(
                        Code::CannotRead,
                        &shown,
                        format!("cannot list this folder: {}", io_reason(&e)),
                    )
                })?;
                let p = entry.path();
                let is_csv = p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"));
                if is_csv && p.is_file() {
                    inside.push(p);
                }
            }
            if inside.is_empty() {
                return Err(InputError::unreadable(
                    Code::CannotRead,
                    &shown,
                    "this folder holds no `.csv` files",
                )
                .help(Some(
                    "record files are read by their `.csv` ending; give the folder that holds \
                     them, or the files themselves"
                        .into(),
                )));
            }
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path.clone());
        }
    }
    // Hard links and symbolic links to one file are that file.
    let mut seen: HashMap<crate::files::FileKey, usize> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        let key = crate::files::file_key(f);
        if let Some(first) = seen.insert(key, i) {
            return Err(InputError::unreadable(
                Code::FileGivenTwice,
                &display(f),
                format!(
                    "this file is given twice (also as `{}`); its records would count twice",
                    display(&files[first])
                ),
            )
            .help(Some(
                "give each record file once: a folder, or the files in it, not both".into(),
            )));
        }
    }
    if files.len() > u32::MAX as usize {
        return Err(InputError::unreadable(
            Code::CannotRead,
            "records",
            "too many record files",
        ));
    }
    Ok(files)
}
