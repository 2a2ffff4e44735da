//! The workbook form of `eval` (`--format xlsx`): a sheet per month shown and one for the year,
//! the people in roster order, scores as numbers with the policy's decimals, frozen headers.
//! Columns are as wide as their longest text in display columns (a Chinese character is two),
//! counted here with unicode-width: rust_xlsxwriter's `autofit` counts it as one and cuts
//! Chinese short. The font is named (SimSun), as the default (Calibri) has no Chinese.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::{Period, score};
use crate::check::Policy;
use crate::eval::Roster;
use crate::eval::outcome::Outcome;

/// The font every cell is written in: a Chinese one that Windows, Office and WPS have.
pub const FONT: &str = "SimSun";

/// The formats of a workbook tally writes.
pub struct Formats {
    pub header: Format,
    pub text: Format,
    /// A score with the policy's decimals.
    pub score: Format,
}

impl Formats {
    pub fn new(places: u32) -> Self {
        let base = Format::new().set_font_name(FONT).set_font_size(11);
        let decimals = if places == 0 {
            "0".to_string()
        } else {
            format!("0.{}", "0".repeat(places as usize))
        };
        Formats {
            header: base
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Thin)
                .set_background_color(0xDDEBF7),
            text: base.clone().set_border(FormatBorder::Thin),
            score: base.set_border(FormatBorder::Thin).set_num_format(decimals),
        }
    }
}

/// Column widths from the texts of a column: its widest text in display columns, plus a margin.
pub struct Widths(Vec<usize>);

impl Widths {
    pub fn new(n: usize) -> Self {
        Widths(vec![0; n])
    }

    pub fn see(&mut self, column: usize, text: &str) {
        let w = text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
        if let Some(slot) = self.0.get_mut(column) {
            *slot = (*slot).max(w);
        }
    }

    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (c, w) in self.0.iter().enumerate() {
            let width = (*w + 2).clamp(6, 60);
            ws.set_column_width(u16::try_from(c).unwrap_or(u16::MAX), width as f64)?;
        }
        Ok(())
    }
}

/// A published score as the number a spreadsheet holds; the cell's format shows the policy's
/// decimals, so the shown text is the published one.
pub fn score_number(d: Decimal, places: u32) -> f64 {
    let mut x = d;
    x.rescale(places);
    x.to_f64().unwrap_or(0.0)
}

/// One table: a header and rows of cells, each text or a score.
pub enum Cell<'a> {
    Text(&'a str),
    Score(Decimal),
}

/// Writes a header row at `row` and the rows under it; returns the widths seen.
pub fn write_table(
    ws: &mut Worksheet,
    formats: &Formats,
    places: u32,
    row: u32,
    header: &[&str],
    rows: &[Vec<Cell<'_>>],
) -> Result<Widths, XlsxError> {
    let mut widths = Widths::new(header.len());
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &formats.header)?;
        widths.see(c, h);
    }
    for (r, cells) in rows.iter().enumerate() {
        let r = row + 1 + r as u32;
        for (c, cell) in cells.iter().enumerate() {
            match cell {
                Cell::Text(t) => {
                    ws.write_string_with_format(r, c as u16, *t, &formats.text)?;
                    widths.see(c, t);
                }
                Cell::Score(d) => {
                    ws.write_number_with_format(
                        r,
                        c as u16,
                        score_number(*d, places),
                        &formats.score,
                    )?;
                    widths.see(c, &score(*d, places));
                }
            }
        }
    }
    Ok(widths)
}

/// A ledger's published value (an empty cell past what tally can count).
fn ledger_cell<'a>(value: Option<Decimal>) -> Cell<'a> {
    value.map_or(Cell::Text(""), Cell::Score)
}

/// `是` for a final result, `否` for a provisional one.
fn final_text(f: bool) -> &'static str {
    if f { "是" } else { "否" }
}

/// The sheet of one month (`2020-03`).
#[allow(clippy::too_many_arguments)]
fn month_sheet(
    book: &mut Workbook,
    policy: &Policy,
    roster: &Roster,
    outcome: &Outcome,
    month: u8,
    formats: &Formats,
    places: u32,
) -> Result<(), XlsxError> {
    let mut rows = Vec::new();
    let mut flags = Vec::new();
    for p in &outcome.people {
        let m = p.months.iter().find(|m| m.month == month);
        flags.push(m.map(|m| m.flags.join("；")).unwrap_or_default());
    }
    for (p, flag) in outcome.people.iter().zip(&flags) {
        let (Some(person), Some(m)) = (
            roster.people.get(p.person),
            p.months.iter().find(|m| m.month == month),
        ) else {
            continue;
        };
        let dept = roster
            .departments
            .get(person.department)
            .map_or("", String::as_str);
        let mut row = vec![
            Cell::Text(&person.id),
            Cell::Text(&person.name),
            Cell::Text(dept),
            Cell::Score(m.published),
            Cell::Text(final_text(m.is_final)),
            Cell::Text(flag),
        ];
        // A column per ledger after the total (§30).
        let ledgers = super::ledgers::card_values(policy, m);
        row.splice(4..4, ledgers.into_iter().map(ledger_cell));
        rows.push(row);
    }
    let ws = book.add_worksheet();
    ws.set_name(super::period_label(policy, month))?;
    let widths = write_table(
        ws,
        formats,
        places,
        0,
        &super::ledgers::header(
            policy,
            &["人员编号", "姓名", "部门", "得分", "最终", "标记"],
            4,
        ),
        &rows,
    )?;
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The sheet of the year (`2020`), with the grades.
fn year_sheet(
    book: &mut Workbook,
    policy: &Policy,
    roster: &Roster,
    outcome: &Outcome,
    formats: &Formats,
    places: u32,
) -> Result<(), XlsxError> {
    let flags: Vec<String> = outcome
        .people
        .iter()
        .map(|p| p.annual.flags.join("；"))
        .collect();
    let mut rows = Vec::new();
    for (p, flag) in outcome.people.iter().zip(&flags) {
        let Some(person) = roster.people.get(p.person) else {
            continue;
        };
        let dept = roster
            .departments
            .get(person.department)
            .map_or("", String::as_str);
        let grade = p
            .annual
            .shown_grade()
            .and_then(|g| policy.grades.get(g))
            .map_or("", |g| g.name.as_str());
        let mut row = vec![
            Cell::Text(&person.id),
            Cell::Text(&person.name),
            Cell::Text(dept),
            p.annual.shown_total().map_or(Cell::Text(""), Cell::Score),
            Cell::Text(grade),
            Cell::Text(final_text(p.annual.is_final)),
            Cell::Text(flag),
        ];
        let ledgers = super::ledgers::year_values(policy, p);
        row.splice(4..4, ledgers.into_iter().map(ledger_cell));
        rows.push(row);
    }
    let ws = book.add_worksheet();
    ws.set_name(outcome.year.to_string())?;
    let widths = write_table(
        ws,
        formats,
        places,
        0,
        &super::ledgers::header(
            policy,
            &["人员编号", "姓名", "部门", "得分", "等级", "最终", "标记"],
            4,
        ),
        &rows,
    )?;
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The results as a workbook: a sheet per month shown (`2020-03`) and one for the year (`2020`),
/// each with 人员编号, 姓名, 部门, 得分, (等级,) 最终, 标记.
pub fn xlsx(
    policy: &Policy,
    roster: &Roster,
    outcome: &Outcome,
    period: Period,
) -> Result<Vec<u8>, XlsxError> {
    let places = policy.round_places;
    let formats = Formats::new(places);
    let mut book = Workbook::new();
    for month in 1..=12u8 {
        // A policy with one card a year has no month to give a sheet.
        if !period.shows_month(month) || policy.card == crate::ops::Period::Year {
            continue;
        }
        // Quarterly cards: a sheet per quarter (`2020-Q1`), its card kept under its last month.
        if policy.card == crate::ops::Period::Quarter && !policy.balance && month % 3 != 0 {
            continue;
        }
        month_sheet(&mut book, policy, roster, outcome, month, &formats, places)?;
    }
    if period.shows_year() {
        year_sheet(&mut book, policy, roster, outcome, &formats, places)?;
    }
    book.save_to_buffer()
}
