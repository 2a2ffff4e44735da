//! `tally eval --format xlsx --output F.xlsx`: a workbook read back with calamine holds what the
//! CSV form says, a sheet per month and one for the year, scores as numbers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

const POLICY: &str = "policies/dashuipo-2020.policy";
const ROSTER: &str = "policies/dashuipo-2020/roster.csv";
const RECORDS: &str = "policies/dashuipo-2020/records";

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn eval(extra: &[&std::ffi::OsStr]) -> common::Out {
    let mut args: Vec<&std::ffi::OsStr> = [
        "eval",
        POLICY,
        "--roster",
        ROSTER,
        "--records",
        RECORDS,
        "--as-of",
        "2021-01-05",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    args.extend(extra);
    common::cli(args)
}

/// A sheet's rows as text: numbers with two decimals (the Dashuipo policy's).
fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|d| match d {
                    Data::Float(f) => format!("{f:.2}"),
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_workbook_holds_what_the_csv_says() {
    let dir = Dir(common::temp_dir("xlsx-out"));
    let file = dir.0.join("结果.xlsx");
    // `--format xlsx` is implied by the ending.
    assert_eq!(
        eval(&[OsStrRef::new("--output"), file.as_os_str()]).ok(),
        ""
    );
    let csv = eval(&["--format".as_ref(), "csv".as_ref()]).ok();
    let book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
    let mut expected: Vec<String> = (1..=12).map(|m| format!("2020-{m:02}")).collect();
    expected.push("2020".into());
    assert_eq!(book.sheet_names(), expected);
    let roster = std::fs::read_to_string(common::root().join(ROSTER)).unwrap();
    let department = |id: &str| {
        roster
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap()
            .split(',')
            .nth(2)
            .unwrap()
            .to_string()
    };
    let mut from_book = Vec::new();
    for sheet in &expected {
        let rows = sheet_rows(&file, sheet);
        let header = &rows[0];
        if sheet == "2020" {
            assert_eq!(
                header,
                &["人员编号", "姓名", "部门", "得分", "等级", "最终", "标记"]
            );
        } else {
            assert_eq!(
                header,
                &["人员编号", "姓名", "部门", "得分", "最终", "标记"]
            );
        }
        for r in &rows[1..] {
            assert_eq!(r[2], department(&r[0]));
            let (grade, fin, flags) = if sheet == "2020" {
                (r[4].as_str(), &r[5], &r[6])
            } else {
                ("", &r[4], &r[5])
            };
            from_book.push((
                r[0].clone(),
                format!(
                    "{},{},{sheet},{},{grade},{},{}",
                    r[0],
                    r[1],
                    r[3],
                    if fin == "是" { "true" } else { "false" },
                    flags.replace('；', ";")
                ),
            ));
        }
    }
    // The CSV lists each person's months and year together; the workbook a sheet per period.
    from_book.sort_by(|a, b| a.0.cmp(&b.0));
    let lines: Vec<String> = from_book.into_iter().map(|(_, l)| l).collect();
    let csv_lines: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(lines, csv_lines);
}

type OsStrRef = std::ffi::OsStr;

#[test]
fn one_period_gives_one_sheet() {
    let dir = Dir(common::temp_dir("xlsx-period"));
    let file = dir.0.join("march.xlsx");
    let out = eval(&[
        "--format".as_ref(),
        "xlsx".as_ref(),
        "--period".as_ref(),
        "2020-03".as_ref(),
        "--output".as_ref(),
        file.as_os_str(),
    ]);
    assert_eq!(out.ok(), "");
    let book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
    assert_eq!(book.sheet_names(), ["2020-03"]);
    let rows = sheet_rows(&file, "2020-03");
    assert_eq!(rows[1][..4], ["D01", "王建国", "党政办公室", "983.00"]);
}

/// A workbook is never written to standard output.
#[test]
fn xlsx_to_standard_output_is_refused() {
    for extra in [
        &["--format", "xlsx"][..],
        &["--format", "xlsx", "--output", "-"],
    ] {
        let args: Vec<&std::ffi::OsStr> = extra.iter().map(std::ffi::OsStr::new).collect();
        let out = eval(&args);
        assert_eq!(out.code, Some(2));
        assert!(out.stdout.is_empty());
        assert_eq!(
            out.stderr,
            "error: a workbook is not written to the standard output [tally::bad-argument]\n  \
             help: give `--output FILE.xlsx`, or choose another `--format`\n"
        );
    }
}

/// A part of an xlsx package as text.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

/// Every sheet's header is frozen, the font is a Chinese one, and a column of Chinese text is as
/// wide as its text in display columns (two per character), not cut short.
#[test]
fn frozen_headers_a_chinese_font_and_widths_for_chinese() {
    let dir = Dir(common::temp_dir("xlsx-look"));
    let file = dir.0.join("r.xlsx");
    assert_eq!(eval(&["--output".as_ref(), file.as_os_str()]).ok(), "");
    for n in 1..=13 {
        let sheet = part(&file, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(sheet.contains(r#"state="frozen""#), "sheet{n}");
    }
    assert!(part(&file, "xl/styles.xml").contains(r#"val="SimSun""#));
    // The department column (C): its longest name, 经济发展办公室, is 7 characters, 14 columns.
    let year = part(&file, "xl/worksheets/sheet13.xml");
    let col = year
        .split("<col ")
        .find(|c| c.contains(r#"min="3""#))
        .unwrap();
    let width: f64 = col
        .split(r#"width=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(width >= 16.0, "{col}");
}
