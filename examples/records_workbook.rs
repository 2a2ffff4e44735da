//! Writes a folder of record CSV files as one workbook, one sheet per file (named after it), the
//! way a secretary keeps them in Excel: dates as date cells, numbers as numbers, the rest as text.
//!
//! ```sh
//! cargo run --example records_workbook -- policies/dashuipo-2020/records policies/dashuipo-2020/records.xlsx
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, folder, out] = args.as_slice() else {
        panic!("usage: records_workbook FOLDER OUT.xlsx");
    };
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    let mut book = Workbook::new();
    let date = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_font_name("SimSun");
    let text = Format::new().set_font_name("SimSun");
    for file in &files {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let sheet = book.add_worksheet();
        sheet.set_name(&name).unwrap();
        write_csv(sheet, file, &date, &text);
        sheet.set_freeze_panes(1, 0).unwrap();
        sheet.set_column_width(0, 12).unwrap();
        sheet.set_column_width(1, 16).unwrap();
    }
    book.save(out).unwrap();
}

fn write_csv(sheet: &mut rust_xlsxwriter::Worksheet, file: &Path, date: &Format, text: &Format) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(file)
        .unwrap();
    let mut date_col = None;
    for (r, row) in reader.records().enumerate() {
        let row = row.unwrap();
        let r = r as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            if r == 0 {
                if cell == "date" {
                    date_col = Some(c);
                }
                sheet.write_with_format(r, c, cell, text).unwrap();
                continue;
            }
            if cell.is_empty() {
                continue;
            }
            if Some(c) == date_col {
                if let Some(d) = ymd(cell) {
                    sheet.write_datetime_with_format(r, c, d, date).unwrap();
                    continue;
                }
            }
            // A number only where it reads back as written (`007` stays text).
            match cell.parse::<f64>() {
                Ok(n) if format!("{n}") == cell => {
                    sheet.write_number(r, c, n).unwrap();
                }
                _ => {
                    sheet.write_with_format(r, c, cell, text).unwrap();
                }
            }
        }
    }
}

fn ymd(text: &str) -> Option<ExcelDateTime> {
    let mut parts = text.split('-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    ExcelDateTime::from_ymd(y, m, d).ok()
}
