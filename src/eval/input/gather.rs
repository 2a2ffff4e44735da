//! Every problem the reading threads found, gathered in file and line order, and the files that
//! turned out not to be UTF-8: read again as GB18030, or said once at the line where the reading
//! stopped.

use super::*;

/// Every problem found, whichever thread found it, in file and line order (at most
/// [`MAX_SHOWN`], the rest counted), each file that is not UTF-8 said once. With `retry`, the
/// files streamed as UTF-8 that are GB18030 are returned as `Err`, to be read again as that.
pub(super) fn gather(
    files: Files<'_>,
    names: &[String],
    encodings: &[Encoding],
    retry: bool,
    reading: Problems,
    workers: Vec<Worker<'_, '_>>,
) -> Result<Problems, Vec<usize>> {
    // Every problem, in file and line order, whichever thread found it.
    let index: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut more = reading.more;
    let mut all = reading.list;
    let mut bad_files: Vec<(usize, usize)> = Vec::new();
    for w in workers {
        more += w.errors.more;
        all.extend(w.errors.list);
        bad_files.extend(w.not_utf8);
    }
    bad_files.sort_unstable();
    bad_files.dedup_by_key(|(f, _)| *f);
    let encoding = |f: usize| encodings.get(f).copied().unwrap_or_default();
    // Files streamed as UTF-8 that are not, whether in a row or in the header: GB18030 ones are
    // read again as that; the others are said to be neither at the line where the reading that
    // got further stopped.
    let mut not_utf8_files: Vec<usize> = bad_files.iter().map(|(f, _)| *f).collect();
    not_utf8_files.extend(
        all.iter()
            .filter(|e| e.code == Code::NotUtf8)
            .filter_map(|e| index.get(e.data_file()).copied()),
    );
    not_utf8_files.sort_unstable();
    not_utf8_files.dedup();
    let gb_lines = gb18030_lines(files, encodings, not_utf8_files, retry)?;
    for e in &mut all {
        let gb = index
            .get(e.data_file())
            .and_then(|f| gb_lines.get(f))
            .copied();
        if let (Code::NotUtf8, Some(gb)) = (e.code, gb) {
            let at = e.place_mut();
            at.line = Some(at.line.map_or(gb, |l| l.max(gb)));
        }
    }
    for (f, mut line) in bad_files {
        if let Some(&gb) = gb_lines.get(&f) {
            line = line.max(gb);
        }
        all.push(not_utf8(
            names.get(f).map_or("", String::as_str),
            line,
            encoding(f),
        ));
    }
    mark_sheets(files, names, &mut all);
    all.sort_by_key(|e| {
        (
            index.get(e.data_file()).copied().unwrap_or(0),
            e.data_line().unwrap_or(0),
        )
    });
    if all.len() > MAX_SHOWN {
        more += all.len() - MAX_SHOWN;
        all.truncate(MAX_SHOWN);
    }
    Ok(Problems {
        list: all,
        more,
        ..Problems::new(Stage::Reading)
    })
}

/// Marks each problem in a sheet as one, so that it names its cell.
fn mark_sheets(files: Files<'_>, names: &[String], all: &mut [Diag]) {
    let sheets: std::collections::HashSet<&str> = files
        .paths
        .iter()
        .zip(names)
        .filter(|(f, _)| crate::sheet_path::split(f).is_some())
        .map(|(_, n)| n.as_str())
        .collect();
    for e in all {
        let sheet = sheets.contains(e.data_file());
        e.place_mut().sheet = sheet;
    }
}

/// Of the files streamed as UTF-8 that are not (`not_utf8`, in order), those read as
/// [`Encoding::Auto`]: with `retry`, the GB18030 ones as `Err`; else the line at which each stops
/// being GB18030 either.
fn gb18030_lines(
    files: Files<'_>,
    encodings: &[Encoding],
    not_utf8: Vec<usize>,
    retry: bool,
) -> Result<HashMap<usize, usize>, Vec<usize>> {
    let encoding = |f: usize| encodings.get(f).copied().unwrap_or_default();
    let mut again = Vec::new();
    let mut gb_lines: HashMap<usize, usize> = HashMap::new();
    for f in not_utf8 {
        if encoding(f) != Encoding::Auto {
            continue;
        }
        let Some(bytes) = files.paths.get(f).and_then(|p| std::fs::read(p).ok()) else {
            continue;
        };
        match gb18030_line(&bytes) {
            Some(Ok(())) if retry => again.push(f),
            Some(Err(line)) => {
                gb_lines.insert(f, line);
            }
            _ => {}
        }
    }
    if !again.is_empty() {
        return Err(again);
    }
    Ok(gb_lines)
}
