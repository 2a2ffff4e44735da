//! The record-entry template (`tally template`): a workbook made from the policy that the
//! secretary fills in every month and gives back to `eval` as it is.
//!
//! - `说明`: how to fill it in, and every kind with whom it names, its fields and the clauses that
//!   read it;
//! - `花名册`: the roster (filled from `--roster` when given);
//! - one sheet per scored record kind, named by its label, headed `日期`, `人员` and/or `部门`,
//!   its fields, `备注`; the kind is the sheet's name, so the sheet has no kind column.
//!
//! Cells are validated as the types say: drop-downs for enumerations, booleans, people (from the
//! roster sheet) and departments; whole or decimal numbers in their range; dates in the policy's
//! year. Headers are frozen and columns as wide as their Chinese text.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, ExcelDateTime, Format, Formula, Workbook, Worksheet,
    XlsxError,
};

use super::xlsx::{FONT, Formats, Widths};
use crate::check::Policy;
use crate::check::model::{Kind, RuleBody, ValueType};
use crate::eval::{Roster, Value};

/// Rows given validation and formats, below the header.
const ROWS: u32 = 1000;

/// The roster sheet's name, which `eval` also looks for in a roster workbook.
pub const ROSTER_SHEET: &str = "花名册";
/// The instructions sheet's name, which `eval` skips among records.
pub const INSTRUCTIONS_SHEET: &str = "说明";

/// The sheet a kind's records go on: its label when that can name a sheet, else its id.
pub fn kind_sheet(kind: &Kind) -> String {
    let label = kind.label.trim();
    let bad = |c: char| matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\');
    let usable = !label.is_empty()
        && label.chars().count() <= 31
        && !label.contains(bad)
        && !label.starts_with('\'')
        && !label.ends_with('\'')
        && !crate::eval::input::is_skipped_sheet(label);
    if usable {
        label.to_string()
    } else {
        kind.id.clone()
    }
}

/// The kinds that get a sheet: those the policy scores.
pub fn template_kinds(policy: &Policy) -> impl Iterator<Item = &Kind> {
    policy.kinds.iter().filter(|k| !k.not_scored)
}

/// The columns of a kind's sheet.
pub fn kind_columns(kind: &Kind) -> Vec<String> {
    let mut out = vec!["日期".to_string()];
    let s = kind.subjects;
    if s.person {
        out.push("人员".into());
    }
    // A town record names nobody; its sheet still has the column a record file needs.
    if s.department || !s.person {
        out.push("部门".into());
    }
    out.extend(kind.fields.iter().map(|f| f.name.clone()));
    out.push("备注".into());
    out
}

/// A type in words, for the instructions and the input prompts.
fn type_words(ty: &ValueType) -> String {
    match ty {
        ValueType::Text => "文字".into(),
        ValueType::Person => "花名册中的人员编号".into(),
        ValueType::Time => "时间，如 8:30 或 17:05:30".into(),
        ValueType::Date => "日期，如 2020-03-02".into(),
        ValueType::Group => "文字（同一组的人填写相同）".into(),
        ValueType::Bool | ValueType::HeadOf(_) => "是 或 否".into(),
        ValueType::Enum(values) => format!("其中之一：{}", values.join("、")),
        ValueType::Number {
            unit,
            whole,
            min,
            max,
        } => {
            let mut w = if *whole { "整数" } else { "数字" }.to_string();
            let unit = match unit.name() {
                "days" => "（天）",
                "hours" => "（小时）",
                "households" => "（户）",
                "points" => "（分）",
                _ => "",
            };
            w.push_str(unit);
            match (min, max) {
                (Some(a), Some(b)) => w.push_str(&format!("，{a} 至 {b}")),
                (Some(a), None) => w.push_str(&format!("，不小于 {a}")),
                (None, Some(b)) => w.push_str(&format!("，不大于 {b}")),
                (None, None) => {}
            }
            w
        }
    }
}

/// The validation a value of this type gets; `None` for text.
fn validation(ty: &ValueType, name: &str) -> Result<Option<DataValidation>, XlsxError> {
    let v = match ty {
        ValueType::Text
        | ValueType::Person
        | ValueType::Group
        | ValueType::Time
        | ValueType::Date => {
            return Ok(None);
        }
        ValueType::Bool | ValueType::HeadOf(_) => {
            DataValidation::new().allow_list_strings(&["是", "否"])?
        }
        ValueType::Enum(values) => match list(values) {
            Some(v) => v,
            None => return Ok(None),
        },
        ValueType::Number {
            whole, min, max, ..
        } => {
            if *whole {
                let lo = min.and_then(|m| m.ceil().to_i32());
                let hi = max.and_then(|m| m.floor().to_i32());
                let rule = match (lo, hi) {
                    (Some(a), Some(b)) => DataValidationRule::Between(a, b),
                    (Some(a), None) => DataValidationRule::GreaterThanOrEqualTo(a),
                    (None, Some(b)) => DataValidationRule::LessThanOrEqualTo(b),
                    (None, None) => DataValidationRule::Between(i32::MIN, i32::MAX),
                };
                DataValidation::new().allow_whole_number(rule)
            } else {
                let f = |d: &Option<Decimal>| d.and_then(|d| d.to_f64());
                let rule = match (f(min), f(max)) {
                    (Some(a), Some(b)) => DataValidationRule::Between(a, b),
                    (Some(a), None) => DataValidationRule::GreaterThanOrEqualTo(a),
                    (None, Some(b)) => DataValidationRule::LessThanOrEqualTo(b),
                    (None, None) => DataValidationRule::Between(-1e15, 1e15),
                };
                DataValidation::new().allow_decimal_number(rule)
            }
        }
    };
    Ok(Some(
        v.set_input_title(cut(name, 32))?
            .set_input_message(cut(&type_words(ty), 255))?
            .set_error_message(cut(&format!("`{name}`：{}", type_words(ty)), 255))?,
    ))
}

/// A drop-down of these values; `None` (no check) where Excel cannot hold them as a list: a value
/// with a comma (which separates the list's values) or a quote, or a list over 255 characters.
fn list(values: &[impl AsRef<str>]) -> Option<DataValidation> {
    let plain = values
        .iter()
        .all(|v| !v.as_ref().contains([',', '"']) && !v.as_ref().is_empty());
    let length: usize = values
        .iter()
        .map(|v| v.as_ref().encode_utf16().count() + 1)
        .sum();
    if !plain || length > 255 {
        return None;
    }
    DataValidation::new().allow_list_strings(values).ok()
}

/// At most `n` characters (Excel's limits on validation texts).
fn cut(text: &str, n: usize) -> String {
    text.chars().take(n).collect()
}

/// The clauses of the rules and bases that read a kind, in policy order.
fn clauses(policy: &Policy, kind: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |c: &Option<String>| {
        if let Some(c) = c {
            if !out.contains(c) {
                out.push(c.clone());
            }
        }
    };
    let reads = |e: &crate::check::model::Expr| {
        e.aggregates()
            .iter()
            .any(|(_, id)| policy.aggregates.get(*id).is_some_and(|a| a.kind == kind))
    };
    let rules = policy
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| {
            i.bases
                .iter()
                .map(|b| (&b.clause, reads(&b.value)))
                .chain(
                    i.rules
                        .iter()
                        .map(|r| (&r.clause, rule_reads(r, kind, &reads))),
                )
                .collect::<Vec<_>>()
        })
        .chain(
            policy
                .adjustments
                .iter()
                .flat_map(|a| &a.rules)
                .map(|r| (&r.clause, rule_reads(r, kind, &reads))),
        );
    for (clause, yes) in rules {
        if yes {
            add(clause);
        }
    }
    out
}

fn rule_reads(
    r: &crate::check::model::Rule,
    kind: usize,
    reads: &dyn Fn(&crate::check::model::Expr) -> bool,
) -> bool {
    match &r.body {
        RuleBody::Per { events, .. } => events.iter().any(|e| e.kind == kind),
        RuleBody::When { condition, .. } => reads(condition),
    }
}

/// The template for a policy, with the roster's people when given.
pub fn template(policy: &Policy, roster: Option<&Roster>) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new(policy.round_places);
    let date = Format::new()
        .set_font_name(FONT)
        .set_num_format("yyyy-mm-dd");
    let plain = Format::new().set_font_name(FONT);
    let mut book = Workbook::new();

    instructions(book.add_worksheet(), policy, &formats)?;

    roster_sheet(book.add_worksheet(), policy, roster, &formats, &plain)?;
    let people = roster.map_or(0, |r| r.people.len());

    // One sheet per scored kind.
    let last = (people as u32).max(ROWS);
    let person_list = Formula::new(format!("='{ROSTER_SHEET}'!$A$2:$A${}", last + 1));
    let departments: Vec<&str> = roster.map_or_else(Vec::new, |r| {
        r.departments.iter().map(String::as_str).collect()
    });
    let (start, end) = (
        ExcelDateTime::from_ymd(policy.year.clamp(1900, 9998) as u16, 1, 1)?,
        ExcelDateTime::from_ymd(policy.year.clamp(1900, 9998) as u16, 12, 31)?,
    );
    for kind in template_kinds(policy) {
        let ws = book.add_worksheet();
        ws.set_name(kind_sheet(kind))?;
        let columns = kind_columns(kind);
        let mut widths = Widths::new(columns.len());
        for (c, h) in columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &formats.header)?;
            widths.see(c, h);
            // Room for a date, an id or a value.
            widths.see(c, "2020-03-02");
            ws.set_column_format(c as u16, if c == 0 { &date } else { &plain })?;
        }
        let year = policy.year;
        ws.add_data_validation(
            1,
            0,
            ROWS,
            0,
            &DataValidation::new()
                .allow_date(DataValidationRule::Between(&start, &end))
                .set_input_title("日期")?
                .set_input_message(format!("{year} 年内的日期，如 {year}-03-02"))?,
        )?;
        for (c, name) in columns.iter().enumerate() {
            let c16 = c as u16;
            let v = match name.as_str() {
                "人员" => Some(
                    DataValidation::new()
                        .allow_list_formula(person_list.clone())
                        .set_input_title("人员")?
                        .set_input_message("花名册中的人员编号")?,
                ),
                "部门" if !departments.is_empty() && kind.subjects.department => {
                    list(&departments)
                }
                _ => match kind.fields.iter().find(|f| &f.name == name) {
                    // A person field takes a roster id, like the `人员` column.
                    Some(f) if f.ty == ValueType::Person => Some(
                        DataValidation::new()
                            .allow_list_formula(person_list.clone())
                            .set_input_title(&f.name)?
                            .set_input_message("花名册中的人员编号")?,
                    ),
                    Some(f) => validation(&f.ty, &f.name)?,
                    None => None,
                },
            };
            if let Some(v) = v {
                ws.add_data_validation(1, c16, ROWS, c16, &v)?;
            }
        }
        widths.apply(ws)?;
        ws.set_freeze_panes(1, 0)?;
    }
    book.save_to_buffer()
}

/// The roster sheet: its columns, and the roster's people when given.
fn roster_sheet(
    ws: &mut Worksheet,
    policy: &Policy,
    roster: Option<&Roster>,
    formats: &Formats,
    plain: &Format,
) -> Result<(), XlsxError> {
    ws.set_name(ROSTER_SHEET)?;
    let mut header: Vec<String> = vec!["人员编号".into(), "姓名".into(), "部门".into()];
    header.extend(policy.columns.iter().map(|c| c.name.clone()));
    let mut widths = Widths::new(header.len());
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &formats.header)?;
        widths.see(c, h);
    }
    for c in 0..header.len() {
        ws.set_column_format(c as u16, plain)?;
    }
    if let Some(roster) = roster {
        for (i, p) in roster.people.iter().enumerate() {
            let r = i as u32 + 1;
            let dept = roster
                .departments
                .get(p.department)
                .map_or("", String::as_str);
            for (c, text) in [p.id.as_str(), p.name.as_str(), dept]
                .into_iter()
                .enumerate()
            {
                ws.write_string(r, c as u16, text)?;
                widths.see(c, text);
            }
            for (j, (v, column)) in p.values.iter().zip(&policy.columns).enumerate() {
                let c = (3 + j) as u16;
                let text = match (v, &column.ty) {
                    (Value::Bool(b), _) => if *b { "是" } else { "否" }.to_string(),
                    (Value::Enum(e), ValueType::Enum(values)) => {
                        values.get(*e).cloned().unwrap_or_default()
                    }
                    (Value::Number(n), _) => {
                        ws.write_number(r, c, n.to_f64().unwrap_or(0.0))?;
                        widths.see(usize::from(c), &n.to_string());
                        continue;
                    }
                    (Value::Text(t), _) => t.clone(),
                    _ => String::new(),
                };
                ws.write_string(r, c, &text)?;
                widths.see(usize::from(c), &text);
            }
        }
    }
    for (j, column) in policy.columns.iter().enumerate() {
        if let Some(v) = validation(&column.ty, &column.name)? {
            ws.add_data_validation(1, (3 + j) as u16, ROWS, (3 + j) as u16, &v)?;
        }
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The instructions sheet: how to fill in the template, and every kind.
fn instructions(ws: &mut Worksheet, policy: &Policy, formats: &Formats) -> Result<(), XlsxError> {
    ws.set_name(INSTRUCTIONS_SHEET)?;
    let plain = Format::new().set_font_name(FONT);
    let wrap = formats.text.clone().set_text_wrap();
    let title = Format::new()
        .set_font_name(FONT)
        .set_bold()
        .set_font_size(14);
    ws.write_string_with_format(0, 0, format!("{} 记录模板", policy.title), &title)?;
    let lines = [
        "每月在各记录类型的工作表中逐行填写记录：一行一条，日期填本年度内的日期，人员填花名册中的人员编号。".to_string(),
        "花名册工作表列出全部人员；人员有变动时先改花名册。".to_string(),
        "工作表名就是记录类型，请勿改名；不用的工作表留空即可。".to_string(),
        "保存为 .xlsx（WPS 中选“另存为 → Excel 工作簿”），然后运行：tally eval 政策文件 --roster 本文件 --records 本文件".to_string(),
    ];
    for (i, l) in lines.iter().enumerate() {
        ws.write_string_with_format(1 + i as u32, 0, l, &plain)?;
    }
    let header = ["工作表", "类型编号", "记录对象", "字段", "条款"];
    let top = 2 + lines.len() as u32;
    let mut widths = Widths::new(header.len());
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &formats.header)?;
        widths.see(c, h);
    }
    for (r, (k, kind)) in (top + 1..).zip(policy.kinds.iter().enumerate()) {
        let mut whom = Vec::new();
        if kind.subjects.person {
            whom.push("人员");
        }
        if kind.subjects.department {
            whom.push("部门");
        }
        if kind.subjects.town {
            whom.push("全镇");
        }
        let fields: Vec<String> = kind
            .fields
            .iter()
            .map(|f| {
                let optional = if f.optional { "，可空" } else { "" };
                format!("{}：{}{optional}", f.name, type_words(&f.ty))
            })
            .collect();
        let sheet = if kind.not_scored {
            format!("（不计分，无工作表）{}", kind.label)
        } else {
            kind_sheet(kind)
        };
        let row = [
            sheet,
            kind.id.clone(),
            whom.join(" 或 "),
            fields.join("\n"),
            clauses(policy, k).join("、"),
        ];
        for (c, text) in row.iter().enumerate() {
            let format = if c == 3 { &wrap } else { &formats.text };
            ws.write_string_with_format(r, c as u16, text, format)?;
            widths.see(c, text);
        }
    }
    widths.apply(ws)?;
    Ok(())
}
