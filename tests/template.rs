//! `tally template`: the record-entry workbook made from the policy. It is read back with
//! calamine (sheets, headers, roster, validation present), filled in programmatically on its own
//! layout, and the filled workbook evaluates as the equivalent CSV files do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const POLICY: &str = "policies/dashuipo-2020.policy";
const ROSTER: &str = "policies/dashuipo-2020/roster.csv";
const RECORDS: &str = "policies/dashuipo-2020/records";

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn template(dir: &Dir, name: &str, extra: &[&str]) -> (PathBuf, common::Out) {
    let out_path = dir.0.join(name);
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "template".as_ref(),
        POLICY.as_ref(),
        "-o".as_ref(),
        out_path.as_os_str(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let mut out = common::cli(args);
    out.stderr = out.stderr.replace(&dir.0.display().to_string(), "[TMP]");
    (out_path, out)
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}

/// Every sheet of a workbook: its name and rows as text.
fn read_book(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range.rows().map(|r| r.iter().map(text).collect()).collect();
            (name, rows)
        })
        .collect()
}

/// A part of the xlsx package as text.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
    s
}

#[test]
fn the_template_has_the_roster_a_sheet_per_scored_kind_and_validation() {
    let dir = Dir(common::temp_dir("template"));
    let (path, out) = template(&dir, "记录模板.xlsx", &["--roster", ROSTER]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let book = read_book(&path);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[..4], ["说明", "花名册", "迟到", "早退"]);
    // 免计假 is not scored: no sheet.
    assert!(!names.contains(&"免计假"));
    // 37 kinds, 36 of them scored.
    assert_eq!(names.len(), 2 + 36);
    let sheet = |name: &str| &book.iter().find(|(n, _)| n == name).unwrap().1;
    let header = |name: &str| sheet(name)[0].join(",");
    assert_eq!(header("迟到"), "日期,人员,备注");
    assert_eq!(header("事假"), "日期,人员,days,备注");
    assert_eq!(header("群众举报"), "日期,人员,部门,responsibility,备注");
    assert_eq!(header("项目建设考核名次"), "日期,部门,rank,备注");
    assert_eq!(header("表彰"), "日期,部门,level,award,备注");
    // The roster, as the CSV has it (booleans as 是/否).
    let roster = sheet("花名册");
    assert_eq!(
        roster[0].join(","),
        "人员编号,姓名,部门,role,head,temporary"
    );
    assert_eq!(roster[1].join(","), "D01,王建国,党政办公室,包片委员,是,否");
    assert_eq!(roster.len(), 21);
    // The instructions name each kind with its clauses.
    let instructions = sheet("说明");
    let late = instructions.iter().find(|r| r[1] == "late").unwrap();
    assert_eq!(late[0], "迟到");
    assert!(late[4].contains("2.1.1"), "{late:?}");
    // Validation: the date in the year, people from the roster sheet, enumerations and whole
    // numbers with their ranges (sheets are numbered in order).
    let xml = |name: &str| {
        let n = names.iter().position(|x| *x == name).unwrap() + 1;
        part(&path, &format!("xl/worksheets/sheet{n}.xml"))
    };
    let leave = xml("事假");
    assert!(leave.contains(r#"type="date""#), "{leave}");
    assert!(leave.contains("'花名册'!$A$2:$A$1001"), "{leave}");
    assert!(leave.contains(r#"type="whole""#) && leave.contains("<formula1>1</formula1>"));
    let rating = xml("民主评议");
    assert!(
        rating.contains(r#"type="list""#) && rating.contains("leader,staff"),
        "{rating}"
    );
    assert!(rating.contains(r#"type="decimal""#), "{rating}");
    let roster_xml = xml("花名册");
    assert!(roster_xml.contains("\"是,否\""), "{roster_xml}");
    for name in &names {
        assert!(xml(name).contains(r#"state="frozen""#) || *name == "说明");
    }
}

/// A cell of a filled-in record sheet.
enum Cell {
    Text(String),
    Number(f64),
    Date(u16, u8, u8),
}

/// The template filled in with the Dashuipo year: each CSV row written on its kind's sheet, under
/// the template's own header, as a secretary would type it (dates as date cells, numbers as
/// numbers). Sheets are copied in the template's order; the roster sheet as it is.
fn fill(template: &Path, out: &Path) {
    let book = read_book(template);
    // Which sheet each kind's records go on: by the kind's label or id.
    let mut rows_by_sheet: HashMap<String, Vec<Vec<Cell>>> = HashMap::new();
    let policy =
        tally::compile::compile(POLICY, &std::fs::read(common::root().join(POLICY)).unwrap())
            .policy
            .unwrap();
    let sheet_of = |kind: &str| {
        let k = policy
            .kinds
            .iter()
            .find(|k| k.id == kind || k.label == kind)
            .unwrap();
        [k.label.clone(), k.id.clone()]
            .into_iter()
            .find(|n| book.iter().any(|(s, _)| s == n))
            // A kind without a sheet (not scored): the secretary adds one, named by its label.
            .unwrap_or_else(|| k.label.clone())
    };
    let headers: HashMap<&str, &Vec<String>> = book
        .iter()
        .filter_map(|(n, rows)| rows.first().map(|h| (n.as_str(), h)))
        .collect();
    let mut files: Vec<_> = std::fs::read_dir(common::root().join(RECORDS))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut extra_sheets: Vec<String> = Vec::new();
    for f in files {
        let mut reader = csv::Reader::from_path(&f).unwrap();
        let csv_header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        for row in reader.records() {
            let row = row.unwrap();
            let get = |name: &str| {
                csv_header
                    .iter()
                    .position(|h| h == name)
                    .map_or("", |i| &row[i])
            };
            let sheet = sheet_of(get("kind"));
            let default_header: Vec<String> = vec!["日期", "人员", "部门", "days", "备注"]
                .into_iter()
                .map(String::from)
                .collect();
            let header = match headers.get(sheet.as_str()) {
                Some(h) => (*h).clone(),
                None => {
                    if !extra_sheets.contains(&sheet) {
                        extra_sheets.push(sheet.clone());
                    }
                    default_header
                }
            };
            let cells = header
                .iter()
                .map(|h| {
                    let column = match h.as_str() {
                        "日期" => "date",
                        "人员" => "person",
                        "部门" => "department",
                        "备注" => "note",
                        field => field,
                    };
                    let value = get(column);
                    if column == "date" {
                        let mut p = value.split('-').map(|x| x.parse::<u16>().unwrap());
                        return Cell::Date(
                            p.next().unwrap(),
                            p.next().unwrap() as u8,
                            p.next().unwrap() as u8,
                        );
                    }
                    match value.parse::<f64>() {
                        Ok(n) if format!("{n}") == value => Cell::Number(n),
                        _ => Cell::Text(value.to_string()),
                    }
                })
                .collect();
            rows_by_sheet.entry(sheet).or_default().push(cells);
        }
    }
    let mut filled = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut sheets: Vec<(String, Vec<Vec<String>>)> = book.clone();
    for extra in &extra_sheets {
        sheets.push((
            extra.clone(),
            vec![
                ["日期", "人员", "部门", "days", "备注"]
                    .into_iter()
                    .map(String::from)
                    .collect(),
            ],
        ));
    }
    for (name, rows) in &sheets {
        let ws = filled.add_worksheet();
        ws.set_name(name).unwrap();
        // What the template holds (headers, the roster, the instructions), as text.
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write(r as u32, c as u16, v.as_str()).unwrap();
                }
            }
        }
        for (i, cells) in rows_by_sheet.get(name).into_iter().flatten().enumerate() {
            let r = rows.len() as u32 + i as u32;
            for (c, cell) in cells.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) if t.is_empty() => {}
                    Cell::Text(t) => {
                        ws.write(r, c, t.as_str()).unwrap();
                    }
                    Cell::Number(n) => {
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
    filled.save(out).unwrap();
}

/// The template filled in with the Dashuipo year evaluates as the year's CSV files, with the
/// template's roster sheet as the roster.
#[test]
fn a_filled_template_evaluates_as_the_csv_files() {
    let dir = Dir(common::temp_dir("template-fill"));
    let (path, out) = template(&dir, "记录模板.xlsx", &["--roster", ROSTER]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let filled = dir.0.join("2020年记录.xlsx");
    fill(&path, &filled);
    let args = |roster: &Path, records: &Path| -> Vec<std::ffi::OsString> {
        vec![
            "eval".into(),
            POLICY.into(),
            "--roster".into(),
            roster.into(),
            "--records".into(),
            records.into(),
            "--as-of".into(),
            "2021-01-05".into(),
            "--format".into(),
            "csv".into(),
        ]
    };
    let from_book = common::cli(args(&filled, &filled)).ok();
    let from_csv = common::cli(args(Path::new(ROSTER), Path::new(RECORDS))).ok();
    assert_eq!(from_book, from_csv);
}

/// The template never overwrites a file without `--replace` (it may hold records filled in
/// since), never writes over its inputs, and is never written to standard output.
#[test]
fn the_template_never_overwrites_without_being_asked() {
    let dir = Dir(common::temp_dir("template-guard"));
    let existing = dir.0.join("filled.xlsx");
    std::fs::write(&existing, b"my records").unwrap();
    let (_, out) = template(&dir, "filled.xlsx", &[]);
    assert_eq!(out.code, Some(2));
    insta::assert_snapshot!(out.stderr, @r"
    error: will not write the template to `[TMP]/filled.xlsx`: the file exists, and may hold records filled in since [tally::cannot-write]
      help: name a new file, or add `--replace` to write over this one
    ");
    assert_eq!(std::fs::read(&existing).unwrap(), b"my records");
    let (_, out) = template(&dir, "filled.xlsx", &["--replace"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_ne!(std::fs::read(&existing).unwrap(), b"my records");

    let roster = dir.0.join("roster.csv");
    std::fs::copy(common::root().join(ROSTER), &roster).unwrap();
    let out = common::cli([
        "template".as_ref(),
        POLICY.as_ref(),
        "--roster".as_ref(),
        roster.as_os_str(),
        "-o".as_ref(),
        roster.as_os_str(),
        "--replace".as_ref(),
    ]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("which would be overwritten"),
        "{}",
        out.stderr
    );
    let out = common::cli(["template", POLICY, "-o", "-"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("not written to the standard output"));
}

/// Departments that cannot be a drop-down (a name with a comma, which separates a list's values)
/// get no drop-down rather than a wrong one; the template is still made.
#[test]
fn a_department_with_a_comma_gets_no_drop_down() {
    let dir = Dir(common::temp_dir("template-comma"));
    let roster = dir.0.join("roster.csv");
    let text = std::fs::read_to_string(common::root().join(ROSTER))
        .unwrap()
        .replace("党政办公室", "\"党政办公室,综合\"");
    std::fs::write(&roster, text).unwrap();
    let (path, out) = template(&dir, "t.xlsx", &["--roster", roster.to_str().unwrap()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let book = read_book(&path);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    let n = names.iter().position(|x| *x == "表彰").unwrap() + 1;
    let honor = part(&path, &format!("xl/worksheets/sheet{n}.xml"));
    assert!(!honor.contains("党政办公室"), "{honor}");
    // The level's drop-down is still there.
    assert!(honor.contains("city,prefecture,province,nation"), "{honor}");
}
