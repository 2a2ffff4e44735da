//! `tally publish`: the notice-board sheet as a print-ready workbook (read back with calamine, its
//! print setup looked up in the package) and as HTML (checked structurally, and as a whole for a
//! month).
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

fn publish(roster: &Path, period: &str, output: &Path, extra: &[&str]) -> common::Out {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "publish".as_ref(),
        POLICY.as_ref(),
        "--roster".as_ref(),
        roster.as_os_str(),
        "--records".as_ref(),
        RECORDS.as_ref(),
        "--as-of".as_ref(),
        "2021-01-05".as_ref(),
        "--period".as_ref(),
        period.as_ref(),
        "-o".as_ref(),
        output.as_os_str(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    common::cli(args)
}

/// `eval`'s CSV lines for a period: person → (total, grade, flags).
fn csv_results(period: &str) -> Vec<(String, String, String, String)> {
    let out = common::cli([
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
        "--period",
        period,
    ])
    .ok();
    out.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (
                c[0].to_string(),
                c[3].to_string(),
                c[4].to_string(),
                c[6].to_string(),
            )
        })
        .collect()
}

fn cell(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f:.2}"),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
    s
}

#[test]
fn the_year_as_a_workbook_set_up_for_a4() {
    let dir = Dir(common::temp_dir("publish-year"));
    let file = dir.0.join("公示.xlsx");
    let out = publish(
        Path::new(ROSTER),
        "2020",
        &file,
        &["--unit", "大水泊镇党委"],
    );
    assert_eq!(out.ok(), "");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
    assert_eq!(book.sheet_names(), ["公示"]);
    let range = book.worksheet_range("公示").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell).collect()).collect();
    assert_eq!(rows[0][0], "大水泊镇2020年机关干部信用管理办法考核结果公示");
    assert_eq!(rows[1][0], "单位：大水泊镇党委");
    assert!(
        rows[1].contains(&"期间：2020年度".to_string()),
        "{:?}",
        rows[1]
    );
    assert_eq!(
        rows[3],
        ["序号", "人员编号", "姓名", "部门", "得分", "等级", "备注"]
    );
    let expected = csv_results("2020");
    for (i, (id, total, grade, flags)) in expected.iter().enumerate() {
        let r = &rows[4 + i];
        assert_eq!(r[0], (i + 1).to_string());
        assert_eq!(&r[1], id);
        assert_eq!(&r[4], total);
        assert_eq!(&r[5], grade);
        assert_eq!(r[6], flags.replace(';', "；"));
    }
    // People per grade, then the signature lines.
    let after = &rows[4 + expected.len()..];
    let grades: Vec<(String, String)> = after
        .iter()
        .filter(|r| r.len() > 2 && r[1].ends_with("星级"))
        .map(|r| (r[1].clone(), r[2].clone()))
        .collect();
    assert_eq!(grades.len(), 6, "{after:?}");
    assert_eq!(grades[0], ("五星级".to_string(), "4.00".to_string()));
    assert!(
        after.iter().any(|r| r[0].starts_with("制表人：")),
        "{after:?}"
    );
    // A4, fit to the page's width, the header row on every page, page numbers in the footer.
    let sheet = part(&file, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"paperSize="9""#), "{sheet}");
    assert!(
        sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#) && sheet.contains(r#"fitToHeight="0""#)
    );
    assert!(
        sheet.contains("&amp;C第 &amp;P 页，共 &amp;N 页"),
        "{sheet}"
    );
    let workbook = part(&file, "xl/workbook.xml");
    assert!(workbook.contains("_xlnm.Print_Titles") && workbook.contains("$4:$4"));
}

#[test]
fn a_month_shows_the_change_against_the_month_before() {
    let dir = Dir(common::temp_dir("publish-month"));
    let file = dir.0.join("三月公示.xlsx");
    assert_eq!(publish(Path::new(ROSTER), "2020-03", &file, &[]).ok(), "");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
    let range = book.worksheet_range("公示").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell).collect()).collect();
    assert_eq!(rows[1][0], "单位：____________");
    assert_eq!(rows[3][5], "较上月");
    let march = csv_results("2020-03");
    let february = csv_results("2020-02");
    for (i, ((id, now, _, _), (_, before, _, _))) in march.iter().zip(&february).enumerate() {
        let r = &rows[4 + i];
        assert_eq!(&r[1], id);
        assert_eq!(&r[4], now);
        let change: f64 = now.parse::<f64>().unwrap() - before.parse::<f64>().unwrap();
        assert_eq!(r[5], format!("{change:.2}"), "{id}");
    }
}

#[test]
fn the_html_prints_cleanly_and_draws_two_charts() {
    let dir = Dir(common::temp_dir("publish-html"));
    // A name that is markup is shown as text.
    let roster = dir.0.join("roster.csv");
    let text = std::fs::read_to_string(common::root().join(ROSTER))
        .unwrap()
        .replace("王建国", "<b>王&建国</b>");
    std::fs::write(&roster, text).unwrap();
    let year = dir.0.join("公示.html");
    assert_eq!(
        publish(&roster, "2020", &year, &["--unit", "大水泊镇党委"]).ok(),
        ""
    );
    let html = std::fs::read_to_string(&year).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("@page { size: A4;"));
    assert!(html.contains("thead { display: table-header-group; }"));
    assert_eq!(html.matches("<svg ").count(), 2);
    assert_eq!(html.matches("<rect ").count(), 6 + 12);
    assert!(html.contains("&lt;b&gt;王&amp;建国&lt;/b&gt;"));
    assert!(!html.contains("<b>"));
    let body = html.split("<tbody>").nth(1).unwrap();
    assert_eq!(
        body.split("</tbody>")
            .next()
            .unwrap()
            .matches("<tr>")
            .count(),
        20
    );
    assert!(html.contains("制表人："));

    // A month: no grades, one chart, the change against the month before; shown whole.
    let month = dir.0.join("三月.html");
    assert_eq!(publish(Path::new(ROSTER), "2020-03", &month, &[]).ok(), "");
    let html = std::fs::read_to_string(&month).unwrap();
    assert_eq!(html.matches("<svg ").count(), 1);
    insta::assert_snapshot!(html);
}

#[test]
fn publish_refuses_what_it_cannot_write() {
    let dir = Dir(common::temp_dir("publish-refuse"));
    let out = publish(Path::new(ROSTER), "2020", Path::new("-"), &[]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("not to the standard output"),
        "{}",
        out.stderr
    );
    let out = publish(Path::new(ROSTER), "2020", &dir.0.join("公示.pdf"), &[]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("cannot tell which form"),
        "{}",
        out.stderr
    );
    let out = publish(Path::new(ROSTER), "2019", &dir.0.join("公示.html"), &[]);
    assert_eq!(out.code, Some(2));
    assert!(!dir.0.join("公示.html").exists());
    // Never over an input.
    let roster = dir.0.join("roster.html");
    std::fs::copy(common::root().join(ROSTER), &roster).unwrap();
    let before = std::fs::read(&roster).unwrap();
    let out = publish(&roster, "2020", &roster, &[]);
    assert_eq!(out.code, Some(2));
    assert_eq!(std::fs::read(&roster).unwrap(), before);
}
