//! Rosters and records in workbooks (`.xlsx` written here with rust_xlsxwriter, read by tally
//! through calamine): one sheet per record kind or one sheet with a `kind` column, mixed with CSV
//! files; dates as date cells, serial numbers or text; merged cells; a used range away from A1.
//! Every problem names its cell, `2020-03.xlsx!迟到!B7`, with the codes CSV problems have.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const POLICY: &str = "policies/dashuipo-2020.policy";
const ROSTER: &str = "policies/dashuipo-2020/roster.csv";
const RECORDS: &str = "policies/dashuipo-2020/records";

/// A cell as a test writes it.
#[derive(Clone, Debug)]
enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date cell (a serial number with a date format).
    Date(u16, u8, u8),
    /// A bare serial number, as a date typed into a cell formatted as a number.
    Serial(f64),
}

fn t(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
    }
}

/// One sheet: its name, where its first cell is (row, column, from 0), its rows, and merged
/// ranges (first row, first column, last row, last column) with their text.
struct Sheet {
    name: String,
    at: (u32, u16),
    rows: Vec<Vec<Cell>>,
    merges: Vec<(u32, u16, u32, u16, String)>,
}

fn sheet(name: &str, rows: Vec<Vec<Cell>>) -> Sheet {
    Sheet {
        name: name.to_string(),
        at: (0, 0),
        rows,
        merges: Vec::new(),
    }
}

fn write_book(path: &Path, sheets: &[Sheet]) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.name).unwrap();
        for (m0, c0, m1, c1, text) in &s.merges {
            ws.merge_range(*m0, *c0, *m1, *c1, text, &Format::new())
                .unwrap();
        }
        for (r, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (s.at.0 + r as u32, s.at.1 + c as u16);
                match cell {
                    Cell::Empty => {}
                    Cell::Text(x) => {
                        ws.write(r, c, x.as_str()).unwrap();
                    }
                    Cell::Number(n) | Cell::Serial(n) => {
                        ws.write(r, c, *n).unwrap();
                    }
                    Cell::Date(y, m, d) => {
                        let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                        ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                    }
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// A temporary folder removed when the test ends.
struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Dir {
    fn new(tag: &str) -> Self {
        Dir(common::temp_dir(tag))
    }

    fn path(&self, name: &str) -> PathBuf {
        let p = self.0.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        p
    }

    /// Runs tally from the crate root with the temporary folder shown as `[TMP]`.
    fn cli(&self, args: &[&std::ffi::OsStr]) -> common::Out {
        let mut out = common::cli(args);
        out.stderr = out
            .stderr
            .replace(&self.0.display().to_string(), "[TMP]")
            .replace('\\', "/");
        out.stdout = out
            .stdout
            .replace(&self.0.display().to_string(), "[TMP]")
            .replace('\\', "/");
        out
    }

    fn eval(&self, roster: &Path, records: &[&Path]) -> common::Out {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "eval".as_ref(),
            POLICY.as_ref(),
            "--roster".as_ref(),
            roster.as_os_str(),
            "--records".as_ref(),
        ];
        args.extend(records.iter().map(|r| r.as_os_str()));
        args.extend(
            ["--as-of", "2021-01-05", "--format", "csv"]
                .iter()
                .map(std::ffi::OsStr::new),
        );
        self.cli(&args)
    }
}

fn csv_results() -> String {
    common::cli([
        "eval",
        POLICY,
        "--roster",
        ROSTER,
        "--records",
        RECORDS,
        "--as-of",
        "2021-01-05",
        "--format",
        "csv",
    ])
    .ok()
}

/// The rows of a Dashuipo record file: its header and its rows, as text.
fn csv_rows(name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let path = common::root().join(RECORDS).join(name);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let header = rows.remove(0);
    (header, rows)
}

/// A record cell as a secretary's sheet holds it: the date as a date cell (or, on every third
/// row, a bare serial number, and on every fifth, text), a number as a number.
fn cell(column: &str, text: &str, row: usize) -> Cell {
    if text.is_empty() {
        return Cell::Empty;
    }
    if column == "date" {
        let mut p = text.split('-').map(|x| x.parse::<u16>().unwrap());
        let (y, m, d) = (
            p.next().unwrap(),
            p.next().unwrap() as u8,
            p.next().unwrap() as u8,
        );
        return match row % 15 {
            0 | 3 | 6 | 9 | 12 => {
                let serial = ExcelDateTime::from_ymd(y, m, d).unwrap().to_excel();
                Cell::Serial(serial)
            }
            5 | 10 => t(&format!("{y}/{m}/{d}")),
            _ => Cell::Date(y, m, d),
        };
    }
    match text.parse::<f64>() {
        Ok(n) if format!("{n}") == text => Cell::Number(n),
        _ => t(text),
    }
}

/// A month's records as one sheet per kind, named by the kind's label or (every other kind) its
/// id as written in the CSV, without a `kind` column.
fn per_kind_sheets(name: &str) -> Vec<Sheet> {
    let (header, rows) = csv_rows(name);
    let kind_at = header.iter().position(|h| h == "kind").unwrap();
    let mut kinds: Vec<String> = Vec::new();
    for r in &rows {
        if !kinds.contains(&r[kind_at]) {
            kinds.push(r[kind_at].clone());
        }
    }
    kinds
        .iter()
        .map(|kind| {
            let mut out = vec![
                header
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != kind_at)
                    .map(|(_, h)| t(h))
                    .collect::<Vec<_>>(),
            ];
            for (i, r) in rows.iter().filter(|r| &r[kind_at] == kind).enumerate() {
                out.push(
                    r.iter()
                        .enumerate()
                        .filter(|(c, _)| *c != kind_at)
                        .map(|(c, x)| cell(&header[c], x, i))
                        .collect(),
                );
            }
            sheet(kind, out)
        })
        .collect()
}

/// The shipped workbook of the Dashuipo year (one sheet per month) evaluates to the results of
/// its CSV files, byte for byte.
#[test]
fn the_shipped_dashuipo_workbook_gives_the_csv_results() {
    let out = common::cli([
        "eval",
        POLICY,
        "--roster",
        ROSTER,
        "--records",
        "policies/dashuipo-2020/records.xlsx",
        "--as-of",
        "2021-01-05",
        "--format",
        "csv",
    ]);
    assert_eq!(out.ok(), csv_results());
}

/// Every month in a workbook of its own with one sheet per kind (named by label or id, dates as
/// date cells, serial numbers and text), the odd months mixed with the even months' CSV files,
/// and the roster in a workbook too: the results of the CSV files.
#[test]
fn per_kind_sheets_mixed_with_csv_give_the_csv_results() {
    let dir = Dir::new("per-kind");
    let mut names: Vec<String> = std::fs::read_dir(common::root().join(RECORDS))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for (i, name) in names.iter().enumerate() {
        let stem = name.trim_end_matches(".csv");
        if i % 2 == 0 {
            write_book(
                &dir.path(&format!("records/{stem}.xlsx")),
                &per_kind_sheets(name),
            );
        } else {
            std::fs::copy(
                common::root().join(RECORDS).join(name),
                dir.path(&format!("records/{name}")),
            )
            .unwrap();
        }
    }
    // The roster as a workbook: a title merged above a header in Chinese, away from A1.
    let roster_text = std::fs::read_to_string(common::root().join(ROSTER)).unwrap();
    let mut rows: Vec<Vec<Cell>> = roster_text
        .lines()
        .map(|l| l.split(',').map(t).collect())
        .collect();
    rows[0][0] = t("人员编号");
    rows[0][1] = t("姓名");
    rows[0][2] = t("部门");
    rows.insert(0, vec![]);
    let roster = dir.path("roster.xlsx");
    write_book(
        &roster,
        &[
            Sheet {
                name: "花名册".into(),
                at: (2, 1),
                rows,
                merges: vec![(0, 1, 0, 6, "大水泊镇机关干部花名册".into())],
            },
            sheet("说明", vec![vec![t("每人一行")]]),
        ],
    );
    let out = dir.eval(&roster, &[&dir.0.join("records")]);
    assert_eq!(out.ok(), csv_results());
}

/// Merged cells: a title over the header, a date merged down over the records of one day, a
/// header cell merged over an empty column; the used range starting at C4.
#[test]
fn merged_cells_and_a_range_away_from_a1() {
    let dir = Dir::new("merged");
    let book = dir.path("2020-03.xlsx");
    let rows = vec![
        vec![t("日期"), t("人员"), t("备注"), Cell::Empty],
        vec![Cell::Date(2020, 3, 2), t("D01"), t("堵车"), Cell::Empty],
        vec![Cell::Empty, t("D02"), Cell::Empty, Cell::Empty],
        vec![Cell::Date(2020, 3, 3), t("D01"), Cell::Empty, Cell::Empty],
    ];
    write_book(
        &book,
        &[Sheet {
            name: "迟到".into(),
            at: (3, 2),
            rows,
            merges: vec![
                (1, 2, 1, 5, "三月迟到登记".into()),
                (4, 2, 5, 2, String::new()),
                (3, 4, 3, 5, "备注".into()),
            ],
        }],
    );
    let csv = dir.path("2020-03.csv");
    std::fs::write(
        &csv,
        "date,kind,person\n2020-03-02,late,D01\n2020-03-02,late,D02\n2020-03-03,late,D01\n",
    )
    .unwrap();
    let roster = common::root().join(ROSTER);
    let from_book = dir.eval(&roster, &[&book]);
    let from_csv = dir.eval(&roster, &[&csv]);
    assert_eq!(from_book.ok(), from_csv.ok());
}

/// Problems in a sheet name their cell, with the codes CSV problems have; nothing is dropped.
#[test]
fn problems_name_their_cell() {
    let dir = Dir::new("cells");
    let book = dir.path("2020-03.xlsx");
    write_book(
        &book,
        &[
            Sheet {
                name: "迟到".into(),
                at: (1, 1),
                rows: vec![
                    vec![t("date"), t("person"), t("note")],
                    vec![Cell::Date(2020, 3, 2), t("D01"), Cell::Empty],
                    vec![t("2020-02-30"), t("D02"), Cell::Empty],
                    vec![Cell::Date(2021, 1, 4), t("王建国"), Cell::Empty],
                    vec![Cell::Serial(43900.0), t("D99"), Cell::Number(3.0)],
                ],
                merges: Vec::new(),
            },
            sheet(
                "事假",
                vec![
                    vec![t("date"), t("person"), t("days")],
                    vec![Cell::Date(2020, 3, 2), t("D01"), Cell::Number(1.5)],
                    vec![Cell::Date(2020, 3, 2), t("D01"), t("两天")],
                    vec![Cell::Date(2020, 3, 2), t("D01"), Cell::Empty],
                ],
            ),
            sheet(
                "mixed",
                vec![
                    vec![t("date"), t("kind"), t("person"), t("hours")],
                    vec![Cell::Date(2020, 3, 2), t("迟倒"), t("D01"), Cell::Empty],
                    vec![
                        Cell::Date(2020, 3, 2),
                        t("volunteer"),
                        t("D01"),
                        Cell::Number(-1.0),
                    ],
                ],
            ),
            sheet("迟到了", vec![vec![t("date"), t("person")]]),
            sheet("Sheet3", vec![]),
        ],
    );
    let out = dir.eval(&common::root().join(ROSTER), &[&book]);
    assert_eq!(out.code, Some(1));
    assert!(out.stdout.is_empty());
    insta::assert_snapshot!(out.stderr);
}

/// `explain` cites a record in a sheet as `file!sheet!row`.
#[test]
fn explain_cites_sheet_rows() {
    let dir = Dir::new("explain");
    let book = dir.path("2020-03.xlsx");
    write_book(
        &book,
        &[sheet(
            "迟到",
            vec![
                vec![t("日期"), t("人员")],
                vec![Cell::Date(2020, 3, 2), t("D01")],
                vec![Cell::Date(2020, 3, 5), t("D01")],
            ],
        )],
    );
    let out = dir.cli(&[
        "explain".as_ref(),
        POLICY.as_ref(),
        "--roster".as_ref(),
        ROSTER.as_ref(),
        "--records".as_ref(),
        book.as_os_str(),
        "--person".as_ref(),
        "D01".as_ref(),
        "--period".as_ref(),
        "2020-03".as_ref(),
        "--as-of".as_ref(),
        "2021-01-05".as_ref(),
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.contains("[TMP]/2020-03.xlsx!迟到!2, !3"),
        "{}",
        out.stdout
    );
}

/// A WPS `.et` file, given or in a records folder, is refused with the way out; Excel's lock
/// files beside an open workbook are not records.
#[test]
fn wps_files_are_refused_and_lock_files_skipped() {
    let dir = Dir::new("wps");
    std::fs::write(dir.path("records/2020-03.et"), b"\xd0\xcf\x11\xe0").unwrap();
    let out = dir.eval(&common::root().join(ROSTER), &[&dir.0.join("records")]);
    assert_eq!(out.code, Some(2));
    insta::assert_snapshot!(out.stderr, @r#"
    error: [TMP]/records/2020-03.et: this is a spreadsheet in WPS's own format (.et), which tally cannot read [tally::cannot-read]
      help: in WPS choose 文件 → 另存为 → "Excel 工作簿 (*.xlsx)", and give tally the .xlsx file
    "#);
    std::fs::remove_file(dir.path("records/2020-03.et")).unwrap();
    write_book(
        &dir.path("records/2020-03.xlsx"),
        &[sheet(
            "迟到",
            vec![
                vec![t("日期"), t("人员")],
                vec![Cell::Date(2020, 3, 2), t("D01")],
            ],
        )],
    );
    std::fs::write(dir.path("records/~$2020-03.xlsx"), b"lock").unwrap();
    let out = dir.eval(&common::root().join(ROSTER), &[&dir.0.join("records")]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // A file that is not a workbook at all says so.
    std::fs::write(dir.path("bad.xlsx"), b"not a zip").unwrap();
    let out = dir.eval(&common::root().join(ROSTER), &[&dir.path("bad.xlsx")]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("cannot read this workbook"),
        "{}",
        out.stderr
    );
}

/// `--output` never writes over a record workbook, nor puts results in a records folder as a
/// workbook the next run would read.
#[test]
fn output_never_writes_over_a_workbook() {
    let dir = Dir::new("guard");
    let book = dir.path("records/2020-03.xlsx");
    write_book(
        &book,
        &[sheet(
            "迟到",
            vec![
                vec![t("日期"), t("人员")],
                vec![Cell::Date(2020, 3, 2), t("D01")],
            ],
        )],
    );
    let before = std::fs::read(&book).unwrap();
    for (records, output) in [
        (book.clone(), book.clone()),
        (dir.0.join("records"), dir.path("records/new.xlsx")),
    ] {
        let out = dir.cli(&[
            "eval".as_ref(),
            POLICY.as_ref(),
            "--roster".as_ref(),
            ROSTER.as_ref(),
            "--records".as_ref(),
            records.as_os_str(),
            "--format".as_ref(),
            "csv".as_ref(),
            "--output".as_ref(),
            output.as_os_str(),
        ]);
        assert_eq!(out.code, Some(2), "{}", out.stderr);
        assert!(out.stderr.contains("will not write"), "{}", out.stderr);
    }
    assert_eq!(std::fs::read(&book).unwrap(), before);
    assert!(!dir.0.join("records/new.xlsx").exists());
}

/// A sheet whose used range spans billions of cells (a value typed at XFD1048576) is refused,
/// not read into memory.
#[test]
fn a_huge_used_range_is_refused() {
    let dir = Dir::new("huge");
    let book = dir.path("2020-03.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("迟到").unwrap();
    ws.write(0, 0, "日期").unwrap();
    ws.write(0, 1, "人员").unwrap();
    ws.write(1_048_575, 16_383, "x").unwrap();
    wb.save(&book).unwrap();
    let out = dir.eval(&common::root().join(ROSTER), &[&book]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    insta::assert_snapshot!(out.stderr, @r"
    error: [TMP]/2020-03.xlsx!迟到: this sheet's used range, A1:XFD1048576, has more than 20000000 cells [tally::cannot-read]
      help: something was typed far away from the records: delete the rows below and the columns right of the records
    1 problem in the inputs; no results were computed
    ");
}

/// A workbook on the 1904 date system (Excel for Mac's old default): date cells and serial
/// numbers in the date column are read as the dates they show.
#[test]
fn the_1904_date_system() {
    let dir = Dir::new("1904");
    let plain = dir.path("plain.xlsx");
    // 2020-03-31 is 43921 in the 1900 system and 42459 in the 1904 one.
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("迟到").unwrap();
    ws.write(0, 0, "日期").unwrap();
    ws.write(0, 1, "人员").unwrap();
    ws.write_number_with_format(1, 0, 42459.0, &date).unwrap();
    ws.write(1, 1, "D01").unwrap();
    ws.write_number(2, 0, 42459.0).unwrap();
    ws.write(2, 1, "D02").unwrap();
    wb.save(&plain).unwrap();
    // The same workbook with the 1904 flag set.
    let book = dir.path("2020-03.xlsx");
    rewrite_part(&plain, &book, "xl/workbook.xml", |text| {
        assert!(text.contains("<workbookPr "), "{text}");
        text.replace("<workbookPr ", "<workbookPr date1904=\"1\" ")
    });
    let csv = dir.path("2020-03.csv");
    std::fs::write(
        &csv,
        "date,kind,person\n2020-03-31,late,D01\n2020-03-31,late,D02\n",
    )
    .unwrap();
    let roster = common::root().join(ROSTER);
    assert_eq!(
        dir.eval(&roster, &[&book]).ok(),
        dir.eval(&roster, &[&csv]).ok()
    );
    // Without the flag the same numbers are dates four years earlier: refused as outside the year.
    assert_eq!(dir.eval(&roster, &[&plain]).code, Some(1));
}

/// Problems in a roster sheet name their cell, and a person listed twice is named by row.
#[test]
fn problems_in_a_roster_sheet() {
    let dir = Dir::new("roster-sheet");
    let roster = dir.path("roster.xlsx");
    write_book(
        &roster,
        &[sheet(
            "Sheet1",
            vec![
                ["person", "name", "department", "role", "head", "temporary"]
                    .map(t)
                    .to_vec(),
                ["D01", "王建国", "党政办公室", "包片委员", "true", "false"]
                    .map(t)
                    .to_vec(),
                ["D01", "李秀英", "党政办公室", "包村干部", "false", "false"]
                    .map(t)
                    .to_vec(),
                ["D02", "", "党政办公室", "片长2", "是", "否"]
                    .map(t)
                    .to_vec(),
            ],
        )],
    );
    let out = dir.eval(&roster, &[&common::root().join(RECORDS)]);
    assert_eq!(out.code, Some(1));
    insta::assert_snapshot!(out.stderr, @r"
    error: [TMP]/roster.xlsx!Sheet1!A3: column `person`: the person `D01` is listed twice (first on row 2) [tally::duplicate-person]
      help: every person has one row; give each person an id of their own
    error: [TMP]/roster.xlsx!Sheet1!B4: column `name`: the person's name is missing [tally::missing-value]
    error: [TMP]/roster.xlsx!Sheet1!D4: column `role`: `片长2` is not one of `包片委员`, `片长`, `包村干部` and `项目服务人员` [tally::not-in-list]
      help: did you mean `片长`?
    3 problems in the roster; no results were computed
    ");
}

/// A cell holding a spreadsheet error (a formula that failed) is a problem wherever it is, even
/// in a text field or the note, where its text would pass for a value.
#[test]
fn spreadsheet_errors_are_problems() {
    let dir = Dir::new("errors");
    let book = dir.path("2020-03.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("表彰").unwrap();
    for (c, h) in ["日期", "部门", "level", "award", "备注"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    ws.write_datetime_with_format(1, 0, ExcelDateTime::from_ymd(2020, 3, 2).unwrap(), &date)
        .unwrap();
    ws.write(1, 1, "党政办公室").unwrap();
    ws.write(1, 2, "city").unwrap();
    ws.write_formula(
        1,
        3,
        rust_xlsxwriter::Formula::new("=VLOOKUP(1,A1:A2,2,0)").set_result("#N/A"),
    )
    .unwrap();
    ws.write_formula(
        1,
        4,
        rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
    )
    .unwrap();
    wb.save(&book).unwrap();
    let out = dir.eval(&common::root().join(ROSTER), &[&book]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    insta::assert_snapshot!(out.stderr, @r"
    error: [TMP]/2020-03.xlsx!表彰!D2: column `award`: this cell holds the spreadsheet error `#N/A`, not a value [tally::missing-value]
      help: correct the formula that gives it, or type the value itself
    error: [TMP]/2020-03.xlsx!表彰!E2: column `备注`: this cell holds the spreadsheet error `#DIV/0!`, not a value [tally::missing-value]
      help: correct the formula that gives it, or type the value itself
    2 problems in the inputs; no results were computed
    ");
}

/// A spreadsheet error in a roster sheet is a problem too, named by its cell.
#[test]
fn spreadsheet_errors_in_a_roster_sheet() {
    let dir = Dir::new("roster-errors");
    let roster = dir.path("roster.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["person", "name", "department", "role", "head", "temporary"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["D01", "", "党政办公室", "包片委员", "true", "false"]
        .iter()
        .enumerate()
    {
        if !v.is_empty() {
            ws.write(1, c as u16, *v).unwrap();
        }
    }
    ws.write_formula(
        1,
        1,
        rust_xlsxwriter::Formula::new("=A9").set_result("#REF!"),
    )
    .unwrap();
    wb.save(&roster).unwrap();
    let out = dir.eval(&roster, &[&common::root().join(RECORDS)]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr.starts_with(
            "error: [TMP]/roster.xlsx!Sheet1!B2: column `name`: this cell holds the spreadsheet error `#REF!`"
        ),
        "{}",
        out.stderr
    );
}

/// A folder holding `2020-03.csv` beside `2020-03.xlsx` (one saved from the other) is refused:
/// their records would count twice.
#[test]
fn a_csv_beside_its_workbook_is_refused() {
    let dir = Dir::new("twins");
    write_book(
        &dir.path("records/2020-03.xlsx"),
        &[sheet(
            "迟到",
            vec![
                vec![t("日期"), t("人员")],
                vec![Cell::Date(2020, 3, 2), t("D01")],
            ],
        )],
    );
    std::fs::write(
        dir.path("records/2020-03.CSV"),
        "date,kind,person\n2020-03-02,late,D01\n",
    )
    .unwrap();
    let out = dir.eval(&common::root().join(ROSTER), &[&dir.0.join("records")]);
    assert_eq!(out.code, Some(2));
    insta::assert_snapshot!(out.stderr, @r"
    error: [TMP]/records/2020-03.xlsx: `[TMP]/records/2020-03.CSV` beside this file has the same name: one is most likely saved from the other, and their records would count twice [tally::file-given-twice]
      help: keep one of them in the records folder (move the other away), or give the files themselves
    ");
}

/// Rewrites one part of an xlsx package.
fn rewrite_part(from: &Path, to: &Path, part: &str, change: impl Fn(String) -> String) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        if name == part {
            bytes = change(String::from_utf8(bytes).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &bytes).unwrap();
    }
    out.finish().unwrap();
}

/// Merged cells that overlap (which Excel never writes) are refused, not followed without end.
#[test]
fn overlapping_merges_are_refused() {
    let dir = Dir::new("overlap");
    let plain = dir.path("plain.xlsx");
    write_book(
        &plain,
        &[sheet(
            "迟到",
            vec![
                vec![t("日期"), t("人员")],
                vec![Cell::Date(2020, 3, 2), t("D01")],
                vec![Cell::Empty, t("D02")],
            ],
        )],
    );
    let book = dir.path("2020-03.xlsx");
    rewrite_part(&plain, &book, "xl/worksheets/sheet1.xml", |xml| {
        let merges = r#"<mergeCell ref="A2:A3"/>"#.repeat(5000);
        xml.replace(
            "</sheetData>",
            &format!(r#"</sheetData><mergeCells count="5000">{merges}</mergeCells>"#),
        )
    });
    let out = dir.eval(&common::root().join(ROSTER), &[&book]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("this sheet's merged cells overlap each other"),
        "{}",
        out.stderr
    );
    // One such merge is read as it shows: the date down the column.
    let once = dir.path("once.xlsx");
    rewrite_part(&plain, &once, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace(
            "</sheetData>",
            r#"</sheetData><mergeCells count="1"><mergeCell ref="A2:A3"/></mergeCells>"#,
        )
    });
    assert_eq!(
        dir.eval(&common::root().join(ROSTER), &[&once]).code,
        Some(0)
    );
}

/// With `--format json`, a problem in a sheet gives the sheet as its file, the row as its line
/// and the column counted from A.
#[test]
fn json_problems_in_a_sheet() {
    let dir = Dir::new("json");
    let book = dir.path("2020-03.xlsx");
    write_book(
        &book,
        &[Sheet {
            name: "迟到".into(),
            at: (2, 1),
            rows: vec![vec![t("日期"), t("人员")], vec![t("2020-02-30"), t("D01")]],
            merges: Vec::new(),
        }],
    );
    let out = dir.cli(&[
        "eval".as_ref(),
        POLICY.as_ref(),
        "--roster".as_ref(),
        ROSTER.as_ref(),
        "--records".as_ref(),
        book.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.code, Some(1));
    let lines = common::json_lines(&out.stderr);
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert_eq!(lines[0]["file"], "[TMP]/2020-03.xlsx!迟到");
    assert_eq!(lines[0]["line"], 4);
    assert_eq!(lines[0]["column"], 2);
    assert_eq!(lines[0]["column_name"], "日期");
    assert_eq!(lines[0]["code"], "tally::bad-date");
}

/// A minimal OpenDocument spreadsheet (as LibreOffice and WPS save `.ods`): a sheet per kind,
/// a date cell, a number and text.
fn write_ods(path: &Path, sheets: &[(&str, &[&[&str]])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    std::io::Write::write_all(&mut zip, b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    std::io::Write::write_all(
        &mut zip,
        br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#,
    )
    .unwrap();
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    for (name, rows) in sheets {
        content.push_str(&format!(r#"<table:table table:name="{name}">"#));
        for row in *rows {
            content.push_str("<table:table-row>");
            for cell in *row {
                let is_date = cell.len() == 10 && cell.as_bytes()[4] == b'-';
                if cell.is_empty() {
                    content.push_str("<table:table-cell/>");
                } else if is_date {
                    content.push_str(&format!(
                        r#"<table:table-cell office:value-type="date" office:date-value="{cell}"><text:p>{cell}</text:p></table:table-cell>"#
                    ));
                } else if cell.parse::<f64>().is_ok() {
                    content.push_str(&format!(
                        r#"<table:table-cell office:value-type="float" office:value="{cell}"><text:p>{cell}</text:p></table:table-cell>"#
                    ));
                } else {
                    content.push_str(&format!(
                        r#"<table:table-cell office:value-type="string"><text:p>{cell}</text:p></table:table-cell>"#
                    ));
                }
            }
            content.push_str("</table:table-row>");
        }
        content.push_str("</table:table>");
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>");
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

/// Records and a roster in `.ods` files are read like the same rows in CSV.
#[test]
fn ods_files_are_read() {
    let dir = Dir::new("ods");
    let book = dir.path("2020-03.ods");
    write_ods(
        &book,
        &[
            (
                "迟到",
                &[
                    &["日期", "人员"],
                    &["2020-03-02", "D01"],
                    &["2020-03-05", "D02"],
                ],
            ),
            (
                "事假",
                &[&["日期", "人员", "days"], &["2020-03-09", "D01", "2"]],
            ),
        ],
    );
    let csv = dir.path("2020-03.csv");
    std::fs::write(
        &csv,
        "date,kind,person,days\n2020-03-02,late,D01,\n2020-03-05,late,D02,\n2020-03-09,personal_leave,D01,2\n",
    )
    .unwrap();
    let roster = common::root().join(ROSTER);
    assert_eq!(
        dir.eval(&roster, &[&book]).ok(),
        dir.eval(&roster, &[&csv]).ok()
    );
    // A problem names its cell in an .ods sheet too.
    let bad = dir.path("bad.ods");
    write_ods(
        &bad,
        &[("迟到", &[&["日期", "人员"], &["2020-03-02", "D99"]])],
    );
    let out = dir.eval(&roster, &[&bad]);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr
            .starts_with("error: [TMP]/bad.ods!迟到!B2: column `人员`: unknown person `D99`"),
        "{}",
        out.stderr
    );
}
