//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) read through calamine. A sheet becomes
//! a table of text cells as the CSV reader would give them, its rows numbered as the spreadsheet
//! numbers them and its cells counted from column A, so that every problem names its cell
//! (`2020-03.xlsx!迟到!B7`) and the rows go through the checks CSV rows go through.
//!
//! - The header is the first row naming the `date` column (`person` in a roster); rows above it
//!   (a title) are not read. Headers may be written in Chinese (see [`alias`]).
//! - A merged cell holds its value in its top-left cell only: the value is given to the cells
//!   below it in its column (a date merged over several records), and a header cell covered by a
//!   merge from the left has no name of its own.
//! - Columns with neither a header nor a value (left of the used range, or under a merged title)
//!   are not columns.
//! - Dates are date cells, Excel serial numbers (1900 or 1904 epoch, as the workbook says) in the
//!   date column, or text.

use std::fs::File;
use std::io::BufReader;

use calamine::{Data, Reader};

use super::*;
use crate::sheet_path::is_wps;

/// A cell that holds something, with its place (row, column, from 0).
type Placed = ((u32, u32), Data);

/// The most cells a sheet's used range may span (counted from column A).
const MAX_CELLS: usize = 20_000_000;

/// An open workbook.
pub(super) struct Workbook {
    pub(super) path: PathBuf,
    sheets: calamine::Sheets<BufReader<File>>,
    is_1904: bool,
}

/// What a sheet is read as: its header row is the first naming this role's key column.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Records,
    Roster,
}

/// A sheet as rows of text, like a CSV file's.
pub(super) struct Table {
    pub(super) header: Header,
    pub(super) rows: Vec<csv::ByteRecord>,
    /// Cells holding a spreadsheet error (`#N/A`, `#DIV/0!`) instead of a value: each is a
    /// problem, as its text would pass for a value in a text field.
    pub(super) problems: Vec<Diag>,
}

/// The built-in column a header in Chinese (or in another usual form) stands for; other headers
/// stand for themselves.
pub(super) fn alias(name: &str) -> &str {
    match name {
        "日期" => "date",
        "类型" | "记录类型" | "类别" => "kind",
        "人员" | "人员编号" | "编号" => "person",
        "姓名" => "name",
        "部门" | "科室" => "department",
        "备注" | "说明" => "note",
        other => other,
    }
}

/// The refusal of a WPS spreadsheet in WPS's own format.
pub(super) fn wps_error(file: &str) -> Diag {
    Diag::unreadable(
        Code::CannotRead,
        file,
        crate::tr!(
            "this is a spreadsheet in WPS's own format (.et), which tally cannot read",
            "这是 WPS 自己格式（.et）的表格，tally 读不了"
        ),
    )
    .help_cut(Some(
        crate::tr!(
            "in WPS choose 文件 → 另存为 → \"Excel 工作簿 (*.xlsx)\", and give tally the .xlsx file",
            "在 WPS 里选 文件 → 另存为 → “Excel 工作簿 (*.xlsx)”，把 .xlsx 文件交给 tally"
        )
        .into(),
    ))
}

pub(super) fn open_workbook(path: &Path) -> Result<Workbook, Box<Diag>> {
    let file = display(path);
    if is_wps(path) {
        return Err(wps_error(&file).into());
    }
    let cannot = |why: String| {
        Diag::unreadable(
            Code::CannotRead,
            &file,
            crate::tr!(
                format!("cannot read this workbook: {why}"),
                format!("读不了这个工作簿：{why}")
            ),
        )
    };
    if path.is_dir() {
        return Err(cannot(crate::tr!("it is a folder", "这是个文件夹").into()).into());
    }
    let ending = path
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let opened = match ending.as_str() {
        "xls" => calamine::open_workbook(path)
            .map(calamine::Sheets::Xls)
            .map_err(calamine::Error::Xls),
        "xlsb" => calamine::open_workbook(path)
            .map(calamine::Sheets::Xlsb)
            .map_err(calamine::Error::Xlsb),
        "ods" => calamine::open_workbook(path)
            .map(calamine::Sheets::Ods)
            .map_err(calamine::Error::Ods),
        _ => calamine::open_workbook(path)
            .map(calamine::Sheets::Xlsx)
            .map_err(calamine::Error::Xlsx),
    };
    let sheets = opened.map_err(|e| match &e {
        calamine::Error::Io(io) => cannot(io_reason(io)),
        calamine::Error::Xlsx(calamine::XlsxError::Io(io)) => cannot(io_reason(io)),
        calamine::Error::Xls(calamine::XlsError::Io(io)) => cannot(io_reason(io)),
        calamine::Error::Ods(calamine::OdsError::Io(io)) => cannot(io_reason(io)),
        _ => cannot(crate::tr!(
            format!(
                "it is not a valid .{ending} file ({e}); open it in Excel or WPS and save it again"
            ),
            format!("它不是有效的 .{ending} 文件（{e}）；用 Excel 或 WPS 打开，再保存一次")
        )),
    })?;
    let is_1904 = match &sheets {
        calamine::Sheets::Xlsx(x) => x.has_1904_epoch(),
        calamine::Sheets::Xls(x) => x.has_1904_epoch(),
        calamine::Sheets::Xlsb(x) => x.has_1904_epoch(),
        calamine::Sheets::Ods(_) => false,
    };
    Ok(Workbook {
        path: path.to_path_buf(),
        sheets,
        is_1904,
    })
}

impl Workbook {
    pub(super) fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// The merged cells of a sheet (none where the format does not say).
    fn merges(&mut self, sheet: &str) -> Vec<calamine::Dimensions> {
        match &mut self.sheets {
            calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            calamine::Sheets::Xlsb(_) | calamine::Sheets::Ods(_) => Vec::new(),
        }
    }

    /// The cells of a sheet that hold something, with their places (row, column, from 0). Read
    /// one by one where the format allows (xlsx, xlsb): calamine's ranges are dense, and a cell
    /// typed far away would make one of billions of cells before its size could be refused.
    fn cells(&mut self, sheet: &str, file: &str) -> Result<Vec<Placed>, Box<Diag>> {
        let cannot = |e: String| {
            Diag::unreadable(
                Code::CannotRead,
                file,
                crate::tr!(
                    format!("cannot read this sheet: {e}"),
                    format!("读不了这张工作表：{e}")
                ),
            )
        };
        let mut out = Vec::new();
        match &mut self.sheets {
            calamine::Sheets::Xlsx(x) => {
                let mut reader = match x.worksheet_cells_reader(sheet) {
                    Ok(r) => r,
                    // A chart sheet holds no cells.
                    Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(out),
                    Err(e) => return Err(cannot(e.to_string()).into()),
                };
                while let Some(cell) = reader.next_cell().map_err(|e| cannot(e.to_string()))? {
                    if *cell.get_value() != calamine::DataRef::Empty {
                        out.push((cell.get_position(), Data::from(cell.get_value().clone())));
                    }
                }
            }
            calamine::Sheets::Xlsb(x) => {
                let mut reader = x
                    .worksheet_cells_reader(sheet)
                    .map_err(|e| cannot(e.to_string()))?;
                while let Some(cell) = reader.next_cell().map_err(|e| cannot(e.to_string()))? {
                    if *cell.get_value() != calamine::DataRef::Empty {
                        out.push((cell.get_position(), Data::from(cell.get_value().clone())));
                    }
                }
            }
            calamine::Sheets::Xls(x) => {
                let range = x
                    .worksheet_range(sheet)
                    .map_err(|e| cannot(e.to_string()))?;
                out.extend(used(&range));
            }
            calamine::Sheets::Ods(x) => {
                let range = x
                    .worksheet_range(sheet)
                    .map_err(|e| cannot(e.to_string()))?;
                out.extend(used(&range));
            }
        }
        Ok(out)
    }

    /// Every row of a sheet's used range, from column A, a merged cell's value down its column;
    /// with the 0-based row the first stands on. `None` when the sheet holds nothing.
    fn grid(&mut self, sheet: &str, file: &str) -> Result<Option<Grid>, Box<Diag>> {
        let cells = self.cells(sheet, file)?;
        let (Some(start), Some(end)) = (
            cells
                .iter()
                .map(|(at, _)| *at)
                .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1))),
            cells
                .iter()
                .map(|(at, _)| *at)
                .reduce(|a, b| (a.0.max(b.0), a.1.max(b.1))),
        ) else {
            return Ok(None);
        };
        let width = end.1 as usize + 1;
        let height = (end.0 - start.0) as usize + 1;
        if width.saturating_mul(height) > MAX_CELLS {
            return Err(Diag::in_file(Code::CannotRead, file, None, {
                let range = format!(
                    "{}{}:{}{}",
                    crate::sheet_path::column_letters(start.1 as usize),
                    start.0 + 1,
                    crate::sheet_path::column_letters(end.1 as usize),
                    end.0 + 1
                );
                crate::tr!(
                    format!("this sheet's used range, {range}, has more than {MAX_CELLS} cells"),
                    format!("这张工作表用到的区域 {range} 超过了 {MAX_CELLS} 格")
                )
            })
            .help_cut(Some(
                crate::tr!(
                    "something was typed far away from the records: delete the rows below and the \
                     columns right of the records",
                    "离记录很远的地方填了东西：删掉记录下面的行和右边的列"
                )
                .into(),
            ))
            .into());
        }
        let merges = self.merges(sheet);
        let first_row = start.0;
        // Every row of the used range, from column A.
        let mut grid: Vec<Vec<Data>> = vec![vec![Data::Empty; width]; height];
        for ((r, c), value) in cells {
            if let Some(cell) = grid
                .get_mut((r - first_row) as usize)
                .and_then(|row| row.get_mut(c as usize))
            {
                *cell = value;
            }
        }
        fill_merges(&mut grid, &merges, first_row, end.0, file)?;
        Ok(Some((grid, first_row)))
    }

    /// A sheet as a table; `None` when it holds nothing. `file` names it in problems.
    pub(super) fn table(
        &mut self,
        sheet: &str,
        role: Role,
        file: &str,
    ) -> Result<Option<Table>, Box<Diag>> {
        let Some((grid, first_row)) = self.grid(sheet, file)? else {
            return Ok(None);
        };
        let width = grid.first().map_or(0, Vec::len);
        let key = match role {
            Role::Records => "date",
            Role::Roster => "person",
        };
        let plain = |d: &Data| text(d, false, self.is_1904);
        let names_key = |row: &[Data]| row.iter().any(|d| alias(plain(d).trim()) == key);
        let is_blank_row = |row: &[Data]| row.iter().all(|d| plain(d).trim().is_empty());
        let header_at = grid
            .iter()
            .position(|row| names_key(row))
            .or_else(|| grid.iter().position(|row| !is_blank_row(row)));
        let Some(header_at) = header_at else {
            return Ok(None);
        };
        let header_row = first_row + header_at as u32;
        let names: Vec<String> = grid[header_at]
            .iter()
            .map(|d| plain(d).trim().to_string())
            .collect();
        let date_col = match role {
            Role::Records => names.iter().position(|n| alias(n) == "date"),
            Role::Roster => None,
        };
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        let mut has_data = vec![false; width];
        for (i, cells) in grid.iter().enumerate().skip(header_at + 1) {
            let mut record = csv::ByteRecord::new();
            let row = first_row as usize + i + 1;
            for (c, d) in cells.iter().enumerate() {
                if let Data::Error(e) = d {
                    let name = names.get(c).map_or("", String::as_str);
                    problems.push(spreadsheet_error(e, file, row, (name, c)));
                }
                let t = text(d, Some(c) == date_col, self.is_1904);
                if !t.trim().is_empty() {
                    has_data[c] = true;
                }
                record.push_field(t.as_bytes());
            }
            let mut at = csv::Position::new();
            at.set_line(u64::from(first_row) + i as u64 + 1);
            record.set_position(Some(at));
            rows.push(record);
        }
        // A column with no header and no value is no column; one without a header (under a
        // merged header cell, say) that holds values keeps its empty name, and is refused.
        let ignored: Vec<bool> = names
            .iter()
            .zip(&has_data)
            .map(|(n, data)| n.is_empty() && !data)
            .collect();
        Ok(Some(Table {
            header: Header {
                line: header_row as usize + 1,
                names,
                ignored,
            },
            rows,
            problems,
        }))
    }
}

/// A cell holding a spreadsheet error (`#DIV/0!`) where a value belongs: on the sheet's `row`, in
/// the column named `name` at position `c`.
fn spreadsheet_error(
    e: &impl std::fmt::Display,
    file: &str,
    row: usize,
    (name, c): (&str, usize),
) -> Diag {
    Diag::in_file(
        Code::MissingValue,
        file,
        Some(row),
        crate::tr!(
            format!("this cell holds the spreadsheet error `{e}`, not a value"),
            format!("这一格是表格的出错值 `{e}`，不是数值")
        ),
    )
    .column(name)
    .at_cell(c)
    .help_cut(Some(
        crate::tr!(
            "correct the formula that gives it, or type the value itself",
            "改正算出它的公式，或者直接填上值"
        )
        .into(),
    ))
}

/// Merged cells: the top-left value down its column, in `grid` (whose first row is the sheet's
/// `first_row`, its last `last_row`).
fn fill_merges(
    grid: &mut [Vec<Data>],
    merges: &[calamine::Dimensions],
    first_row: u32,
    last_row: u32,
    file: &str,
) -> Result<(), Box<Diag>> {
    // Merged cells: the top-left value down its column. Cells right of it stay empty: a
    // header cell there has no name of its own. Merges do not overlap, so they cover no more
    // than the grid; a file whose merges do is not followed past that much work.
    let mut budget = grid.len().saturating_mul(grid.first().map_or(0, Vec::len));
    for m in merges {
        let (r0, c0) = m.start;
        let value = r0
            .checked_sub(first_row)
            .and_then(|i| grid.get(i as usize))
            .and_then(|row| row.get(c0 as usize))
            .cloned()
            .unwrap_or(Data::Empty);
        if value == Data::Empty {
            continue;
        }
        for r in r0 + 1..=m.end.0.min(last_row) {
            if budget == 0 {
                return Err(Diag::in_file(
                    Code::CannotRead,
                    file,
                    None,
                    crate::tr!(
                        "this sheet's merged cells overlap each other",
                        "这张工作表的合并单元格互相重叠"
                    ),
                )
                .help_cut(Some(
                    crate::tr!(
                        "open the workbook in Excel or WPS, unmerge the cells and save it again",
                        "用 Excel 或 WPS 打开工作簿，取消合并单元格，再保存一次"
                    )
                    .into(),
                ))
                .into());
            }
            budget -= 1;
            if let Some(cell) = r
                .checked_sub(first_row)
                .and_then(|i| grid.get_mut(i as usize))
                .and_then(|row| row.get_mut(c0 as usize))
            {
                if *cell == Data::Empty {
                    *cell = value.clone();
                }
            }
        }
    }
    Ok(())
}

/// A sheet's rows from column A, and the 0-based row the first stands on.
type Grid = (Vec<Vec<Data>>, u32);

/// The cells of a range that hold something, with their absolute places.
fn used(range: &calamine::Range<Data>) -> Vec<Placed> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .used_cells()
        .filter(|(_, _, v)| **v != Data::Empty)
        .map(|(r, c, v)| ((r0 + r as u32, c0 + c as u32), v.clone()))
        .collect()
}

/// A cell as the text a CSV file would hold. In the date column a number is an Excel serial
/// date; a date cell anywhere is written `2020-03-02`, and a time cell (a time of day with no
/// date, or a duration of less than a day) `08:30:00`.
fn text(d: &Data, date: bool, is_1904: bool) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) if date => serial_date(*i as f64, is_1904).unwrap_or_else(|| i.to_string()),
        Data::Float(f) if date => serial_date(*f, is_1904).unwrap_or_else(|| number_text(*f)),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if !date && (0.0..1.0).contains(&dt.as_f64()) => {
            day_fraction_time(dt.as_f64()).unwrap_or_else(|| number_text(dt.as_f64()))
        }
        Data::DateTime(dt) => {
            let (y, m, day, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTimeIso(s) => match s.get(..10) {
            Some(day) if date && crate::date::Date::parse(day).is_some() => day.to_string(),
            _ => s.clone(),
        },
        Data::DurationIso(s) => iso_duration_time(s).unwrap_or_else(|| s.clone()),
        Data::Error(e) => e.to_string(),
    }
}

/// A number as records write it: whole numbers without a point, others in their shortest form
/// (never with an exponent).
fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A fraction of a day (Excel's time of day: 0.5 is noon) as `12:00:00`, to the nearest second;
/// `None` when it rounds to a whole day.
fn day_fraction_time(f: f64) -> Option<String> {
    let seconds = (f * 86_400.0).round();
    if !(0.0..86_400.0).contains(&seconds) {
        return None;
    }
    let s = seconds as u32;
    Some(format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60))
}

/// An ODS time cell (`PT08H30M00S`) as `08:30:00`; `None` for anything else, or a day or more.
fn iso_duration_time(s: &str) -> Option<String> {
    let rest = s.strip_prefix("PT")?;
    let (h, rest) = rest.split_once('H')?;
    let (m, rest) = rest.split_once('M')?;
    let sec = rest.strip_suffix('S')?;
    let sec = sec.split_once('.').map_or(sec, |(whole, _)| whole);
    let (h, m, sec): (u32, u32, u32) = (h.parse().ok()?, m.parse().ok()?, sec.parse().ok()?);
    (h < 24 && m < 60 && sec < 60).then(|| format!("{h:02}:{m:02}:{sec:02}"))
}

/// An Excel serial date (days since the workbook's epoch) as `2020-03-02`; a time of day is
/// dropped. `None` for a number no date has.
fn serial_date(v: f64, is_1904: bool) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&v) {
        return None;
    }
    let dt = calamine::ExcelDateTime::new(v, calamine::ExcelDateTimeType::DateTime, is_1904);
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_become_the_text_a_csv_file_holds() {
        assert_eq!(number_text(2.0), "2");
        assert_eq!(number_text(-1.5), "-1.5");
        assert_eq!(number_text(0.1), "0.1");
        assert_eq!(serial_date(43921.0, false).as_deref(), Some("2020-03-31"));
        // 1904 epoch: 1462 days less.
        assert_eq!(serial_date(42459.0, true).as_deref(), Some("2020-03-31"));
        assert_eq!(serial_date(43921.75, false).as_deref(), Some("2020-03-31"));
        assert_eq!(serial_date(0.0, false), None);
        assert_eq!(text(&Data::Float(43921.0), false, false), "43921");
        // A time of day: 8:30 is 0.3541(6) of a day, held as the nearest binary fraction.
        let time =
            calamine::ExcelDateTime::new(8.5 / 24.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(text(&Data::DateTime(time), false, false), "08:30:00");
        assert_eq!(day_fraction_time(0.999_999_9), None);
        assert_eq!(
            text(&Data::DurationIso("PT17H05M30S".into()), false, false),
            "17:05:30"
        );
        assert_eq!(iso_duration_time("PT25H00M00S"), None);
        assert_eq!(alias("日期"), "date");
        assert_eq!(alias("days"), "days");
    }
}
