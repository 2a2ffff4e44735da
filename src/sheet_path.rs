//! A sheet of a workbook among the record files: `2020-03.xlsx!迟到!`, the workbook's path, the
//! sheet's name and a closing `!`. Record files are paths throughout (origins count them, `explain`
//! and problems name them); a sheet is one of them under this name, and places in it are written
//! the way spreadsheets write them: `2020-03.xlsx!迟到!7` for a row, `2020-03.xlsx!迟到!B7` for
//! a cell.

use std::path::{Path, PathBuf};

/// The endings of the workbooks tally reads (compared without case).
pub const WORKBOOK_ENDINGS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether a path names a workbook, by its ending.
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| WORKBOOK_ENDINGS.iter().any(|e| x.eq_ignore_ascii_case(e)))
}

/// Whether a path names a WPS spreadsheet in WPS's own format (`.et`, `.ett`), which no reader
/// reads.
pub fn is_wps(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("et") || x.eq_ignore_ascii_case("ett"))
}

/// The record file that stands for one sheet of a workbook.
pub fn sheet_path(workbook: &Path, sheet: &str) -> PathBuf {
    PathBuf::from(format!("{}!{sheet}!", workbook.display()))
}

/// The workbook and the sheet a record file stands for, if it stands for a sheet.
pub fn split(path: &Path) -> Option<(PathBuf, &str)> {
    let text = path.to_str()?.strip_suffix('!')?;
    // The workbook's name ends with a workbook ending right before a `!`; the first such `!`
    // starts the sheet's name (which may hold `!` itself).
    text.match_indices('!').find_map(|(at, _)| {
        let workbook = Path::new(&text[..at]);
        is_workbook(workbook).then(|| (workbook.to_path_buf(), &text[at + 1..]))
    })
}

/// The file a record file is read from: the workbook of a sheet, else the file itself.
pub fn file_of(path: &Path) -> PathBuf {
    split(path).map_or_else(|| path.to_path_buf(), |(workbook, _)| workbook)
}

/// A record file as a user reads its name: `2020-03.xlsx!迟到` for a sheet.
pub fn shown(path: &Path) -> String {
    match split(path) {
        Some((workbook, sheet)) => format!("{}!{sheet}", workbook.display()),
        None => path.display().to_string(),
    }
}

/// A line of a record file: `records/2020-03.csv:7`, or `2020-03.xlsx!迟到!7` in a sheet.
pub fn place(path: &Path, line: u32) -> String {
    match split(path) {
        Some(_) => format!("{}!{line}", shown(path)),
        None => format!("{}:{line}", path.display()),
    }
}

/// What follows the first of several lines of one file: `:17`, or `!17` in a sheet.
pub fn next_line(path: &Path, line: u32) -> String {
    match split(path) {
        Some(_) => format!("!{line}"),
        None => format!(":{line}"),
    }
}

/// A column's letters, 0 being `A`: `A`…`Z`, `AA`…
pub fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_are_named_and_split_back() {
        let p = sheet_path(Path::new("a!b/2020-03.XLSX"), "迟到!");
        assert_eq!(p, PathBuf::from("a!b/2020-03.XLSX!迟到!!"));
        assert_eq!(
            split(&p),
            Some((PathBuf::from("a!b/2020-03.XLSX"), "迟到!"))
        );
        assert_eq!(split(Path::new("records/2020-03.csv")), None);
        assert_eq!(split(Path::new("x.csv!a!")), None);
        assert_eq!(place(&p, 7), "a!b/2020-03.XLSX!迟到!!7");
        assert_eq!(place(Path::new("r.csv"), 7), "r.csv:7");
        assert_eq!(file_of(&p), PathBuf::from("a!b/2020-03.XLSX"));
    }

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        let got: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(got, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }
}
