//! The notice-board sheet (`tally publish`): one period's results as the branch pins them on the
//! wall and sends them upward, as a print-ready workbook or as HTML that prints from a browser.
//!
//! Both hold the title, the unit, the period, the table (序号, 人员编号, 姓名, 部门, 得分, a column
//! per ledger (§30), and for the year 等级, for a month the change against the month before), the
//! flags, the number of people per grade (the year), and the signature lines 制表人, 审核人, 日期.
//! The workbook is set up for A4 (fit to the page's width, the header row repeated on every page,
//! page numbers in the footer); the HTML has print CSS and two charts drawn as inline SVG: people
//! per grade (the year) and the month-by-month average total of the period's people. No font is
//! bundled: the user's Office or browser fonts are used.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use super::xlsx::{FONT, Formats, Widths, score_number};
use crate::check::Policy;
use crate::eval::Roster;
use crate::eval::outcome::Outcome;

/// The period published: a month (1..=12) or the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Published {
    Month(u8),
    Year,
}

/// What is published, and for whom.
pub struct Board<'a> {
    pub policy: &'a Policy,
    pub roster: &'a Roster,
    pub outcome: &'a Outcome,
    pub period: Published,
    /// The unit publishing (`大水泊镇党委`); a blank to fill in by hand when not given.
    pub unit: Option<&'a str>,
}

/// One person's line.
pub struct Line {
    pub id: String,
    pub name: String,
    pub department: String,
    /// `None` for somebody not evaluated this year.
    pub total: Option<Decimal>,
    pub grade: Option<String>,
    pub flags: String,
    /// Against the month before (a month after January).
    pub change: Option<Decimal>,
    /// Per ledger (§30): the card's value, or the year's (the sum of the cards), as eval
    /// publishes it; `None` for somebody not evaluated this year.
    pub ledgers: Vec<Option<Decimal>>,
}

impl Board<'_> {
    pub fn title(&self) -> String {
        format!("{}考核结果公示", self.policy.title)
    }

    pub fn period_label(&self) -> String {
        match self.period {
            Published::Month(m) if self.quarterly() => {
                format!("{}年第{}季度", self.outcome.year, m.div_ceil(3))
            }
            Published::Month(m) => format!("{}年{}月", self.outcome.year, m),
            Published::Year => format!("{}年度", self.outcome.year),
        }
    }

    /// Every person's line, in roster order.
    pub fn lines(&self) -> Vec<Line> {
        let mut out = Vec::new();
        for p in &self.outcome.people {
            let Some(person) = self.roster.people.get(p.person) else {
                continue;
            };
            let department = self
                .roster
                .departments
                .get(person.department)
                .cloned()
                .unwrap_or_default();
            let month = |m: u8| p.months.iter().find(|x| x.month == m);
            let (total, grade, flags, change, ledgers) = match self.period {
                Published::Year => (
                    p.annual.shown_total(),
                    p.annual
                        .shown_grade()
                        .and_then(|g| self.policy.grades.get(g))
                        .map(|g| g.name.clone()),
                    p.annual.flags.join("；"),
                    None,
                    super::ledgers::year_values(self.policy, p),
                ),
                Published::Month(m) => {
                    let Some(now) = month(m) else { continue };
                    // Against the card before: the month before, or the quarter before.
                    let step = if self.quarterly() { 3 } else { 1 };
                    let before = m.checked_sub(step).and_then(month);
                    (
                        Some(now.published),
                        None,
                        now.flags.join("；"),
                        before.map(|b| now.published - b.published),
                        super::ledgers::card_values(self.policy, now),
                    )
                }
            };
            out.push(Line {
                id: person.id.clone(),
                name: person.name.clone(),
                department,
                total,
                grade,
                flags,
                change,
                ledgers,
            });
        }
        out
    }

    /// People per grade (the year), highest grade first, every grade listed.
    pub fn grade_counts(&self) -> Vec<(String, usize)> {
        if self.period != Published::Year {
            return Vec::new();
        }
        self.policy
            .grades
            .iter()
            .enumerate()
            .map(|(g, grade)| {
                let n = self
                    .outcome
                    .people
                    .iter()
                    .filter(|p| p.annual.shown_grade() == Some(g))
                    .count();
                (grade.name.clone(), n)
            })
            .collect()
    }

    /// The average published total of the people per month, January to the period's month (or
    /// December), rounded to the policy's decimals.
    pub fn monthly_averages(&self) -> Vec<(u8, Decimal)> {
        let last = match self.period {
            Published::Month(m) => m,
            Published::Year => 12,
        };
        (1..=last)
            .filter_map(|m| {
                let totals: Vec<Decimal> = self
                    .outcome
                    .people
                    .iter()
                    .filter_map(|p| p.months.iter().find(|x| x.month == m))
                    .map(|x| x.published)
                    .collect();
                let n = Decimal::from(totals.len());
                let sum: Decimal = totals.iter().copied().sum();
                (!totals.is_empty())
                    .then(|| (m, sum.checked_div(n).unwrap_or_default()))
                    .map(|(m, a)| (m, a.round_dp(self.policy.round_places)))
            })
            .collect()
    }

    /// Whether the policy keeps quarterly cards: each card is then a quarter, kept under its last
    /// month.
    fn quarterly(&self) -> bool {
        self.policy.card == crate::ops::Period::Quarter && !self.policy.balance
    }

    /// The columns: after 得分 one per ledger (§30), named as eval's columns are, with its unit.
    fn header(&self) -> Vec<String> {
        let mut h: Vec<String> = ["序号", "人员编号", "姓名", "部门", "得分"]
            .map(str::to_string)
            .to_vec();
        for l in &self.policy.ledgers {
            h.push(format!("{}（{}）", l.id, l.unit));
        }
        h.push(
            match self.period {
                Published::Year => "等级",
                Published::Month(_) if self.quarterly() => "较上季度",
                Published::Month(_) => "较上月",
            }
            .to_string(),
        );
        h.push("备注".to_string());
        h
    }
}

/// A change as published: with its sign, `+5.00`, `-3.00`, `0.00`; `—` when there is none.
fn change_text(d: Option<Decimal>, places: u32) -> String {
    match d {
        None => "—".into(),
        Some(d) if d > Decimal::ZERO => format!("+{}", super::score(d, places)),
        Some(d) => super::score(d, places),
    }
}

const SIGNATURES: &str = "制表人：__________    审核人：__________    日期：____年__月__日";

/// The people's lines under the header row `top`; returns how many there are.
fn write_lines(
    ws: &mut rust_xlsxwriter::Worksheet,
    board: &Board<'_>,
    top: u32,
    formats: &Formats,
    change: &Format,
    widths: &mut Widths,
) -> Result<usize, XlsxError> {
    let places = board.policy.round_places;
    let lines = board.lines();
    for (i, l) in lines.iter().enumerate() {
        let r = top + 1 + i as u32;
        let n = (i + 1).to_string();
        let texts = [n.as_str(), &l.id, &l.name, &l.department];
        for (c, t) in texts.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, *t, &formats.text)?;
            widths.see(c, t);
        }
        // The total, then each ledger's value (§30): numbers in the published decimals.
        for (c, value) in std::iter::once(l.total)
            .chain(l.ledgers.iter().copied())
            .enumerate()
        {
            let c = 4 + c;
            match value {
                Some(v) => {
                    ws.write_number_with_format(
                        r,
                        c as u16,
                        score_number(v, places),
                        &formats.score,
                    )?;
                    widths.see(c, &super::score(v, places));
                }
                None => {
                    ws.write_string_with_format(r, c as u16, "", &formats.text)?;
                }
            }
        }
        let next = 5 + l.ledgers.len();
        let col = next as u16;
        match board.period {
            Published::Year => {
                let g = l.grade.as_deref().unwrap_or("");
                ws.write_string_with_format(r, col, g, &formats.text)?;
                widths.see(next, g);
            }
            Published::Month(_) => match l.change {
                Some(d) => {
                    ws.write_number_with_format(r, col, score_number(d, places), change)?;
                    widths.see(next, &change_text(Some(d), places));
                }
                None => {
                    ws.write_string_with_format(r, col, "—", &formats.text)?;
                }
            },
        }
        ws.write_string_with_format(r, col + 1, &l.flags, &formats.text)?;
        widths.see(next + 1, &l.flags);
    }
    Ok(lines.len())
}

/// The notice-board sheet as a workbook, set up to print on A4.
pub fn publish_xlsx(board: &Board<'_>) -> Result<Vec<u8>, XlsxError> {
    let places = board.policy.round_places;
    let formats = Formats::new(places);
    let base = Format::new().set_font_name(FONT);
    let title = base
        .clone()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let change = formats.score.clone().set_num_format(if places == 0 {
        "+0;-0;0".to_string()
    } else {
        let d = "0".repeat(places as usize);
        format!("+0.{d};-0.{d};0.{d}")
    });
    let header = board.header();
    let last_col = (header.len() - 1) as u16;
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("公示")?;
    ws.merge_range(0, 0, 0, last_col, &board.title(), &title)?;
    ws.set_row_height(0, 30)?;
    let unit = format!("单位：{}", board.unit.unwrap_or("____________"));
    let mid = last_col / 2;
    ws.merge_range(1, 0, 1, mid, &unit, &base)?;
    ws.merge_range(
        1,
        mid + 1,
        1,
        last_col,
        &format!("期间：{}", board.period_label()),
        &base.clone().set_align(FormatAlign::Right),
    )?;
    let top = 3u32;
    let mut widths = Widths::new(header.len());
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, h, &formats.header)?;
        widths.see(c, h);
    }
    let lines = write_lines(ws, board, top, &formats, &change, &mut widths)?;
    let mut r = top + 1 + lines as u32 + 1;
    let counts = board.grade_counts();
    if !counts.is_empty() {
        ws.write_string_with_format(r, 1, "等级", &formats.header)?;
        ws.write_string_with_format(r, 2, "人数", &formats.header)?;
        for (i, (g, n)) in counts.iter().enumerate() {
            let row = r + 1 + i as u32;
            ws.write_string_with_format(row, 1, g, &formats.text)?;
            ws.write_number_with_format(row, 2, *n as f64, &formats.text)?;
            widths.see(1, g);
        }
        r += counts.len() as u32 + 2;
    }
    ws.merge_range(r + 1, 0, r + 1, last_col, SIGNATURES, &base)?;
    widths.apply(ws)?;
    // A4, the table's width on one page, the header on every page, page numbers below.
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(top, top)?;
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.set_print_area(0, 0, r + 1, last_col)?;
    ws.set_freeze_panes(top + 1, 0)?;
    book.save_to_buffer()
}

/// Text as HTML: `<`, `>`, `&` and quotes escaped.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
@page { size: A4; margin: 15mm 12mm; }
body { font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif; margin: 0 auto; padding: 8pt 0; max-width: 190mm; color: #000; }
h1 { text-align: center; font-size: 20pt; margin: 0 0 6pt; }
.meta { display: flex; justify-content: space-between; margin: 0 0 8pt; }
table { border-collapse: collapse; width: 100%; font-size: 11pt; }
th, td { border: 1px solid #000; padding: 2pt 5pt; }
th { background: #ddebf7; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.grades { width: auto; margin-top: 10pt; }
.charts { display: flex; justify-content: space-between; gap: 10pt; margin-top: 12pt; break-inside: avoid; page-break-inside: avoid; }
figure { margin: 0; flex: 0 1 auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { text-align: center; font-weight: bold; margin-bottom: 4pt; }
svg text { font-size: 9px; font-family: sans-serif; }
.sign { margin-top: 24pt; word-spacing: 2em; }
@media print { th { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"#;

/// A bar chart as inline SVG: bars with their values above and labels below.
fn bars(bars: &[(String, f64, String)], max: f64, min: f64) -> String {
    let n = bars.len().max(1) as f64;
    // Room for a value like `950.42` over every bar; drawn at its own size, so that the text of
    // both charts is one size.
    let (w, h, pad, foot) = (34.0 * n + 48.0, 180.0, 24.0, 28.0);
    let slot = (w - 2.0 * pad) / n;
    let span = (max - min).max(1.0);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img">"#
    );
    svg.push_str(&format!(
        r##"<line x1="{pad}" y1="{y}" x2="{x2}" y2="{y}" stroke="#000"/>"##,
        y = h - foot,
        x2 = w - pad
    ));
    for (i, (label, value, shown)) in bars.iter().enumerate() {
        let bar_h = ((value - min) / span * (h - foot - 2.0 * pad)).max(0.0);
        let x = pad + i as f64 * slot + slot * 0.15;
        let y = h - foot - bar_h;
        let bw = slot * 0.7;
        svg.push_str(&format!(
            r##"<rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{bar_h:.1}" fill="#5b9bd5"><title>{l}：{s}</title></rect>"##,
            l = esc(label),
            s = esc(shown)
        ));
        svg.push_str(&format!(
            r#"<text x="{cx:.1}" y="{ty:.1}" text-anchor="middle">{s}</text>"#,
            cx = x + bw / 2.0,
            ty = y - 3.0,
            s = esc(shown)
        ));
        svg.push_str(&format!(
            r#"<text x="{cx:.1}" y="{ly:.1}" text-anchor="middle">{l}</text>"#,
            cx = x + bw / 2.0,
            ly = h - foot + 14.0,
            l = esc(label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The charts of the web page: how many people each grade holds, and each month's mean score.
fn charts(board: &Board<'_>, counts: &[(String, usize)]) -> String {
    use rust_decimal::prelude::ToPrimitive;
    let places = board.policy.round_places;
    let mut h = String::new();
    h.push_str("<div class=\"charts\">\n");
    if !counts.is_empty() {
        let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0) as f64;
        let data: Vec<(String, f64, String)> = counts
            .iter()
            .map(|(g, n)| (g.clone(), *n as f64, n.to_string()))
            .collect();
        h.push_str(&format!(
            "<figure class=\"chart grades-chart\"><figcaption>各等级人数</figcaption>{}</figure>\n",
            bars(&data, max, 0.0)
        ));
    }
    let months = board.monthly_averages();
    let values: Vec<f64> = months
        .iter()
        .map(|(_, a)| a.to_f64().unwrap_or(0.0))
        .collect();
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let low = values.iter().copied().fold(f64::MAX, f64::min);
    // Bars start a little below the lowest month, so that differences show.
    let floor = if low.is_finite() {
        (low - (max - low).max(10.0)).max(0.0)
    } else {
        0.0
    };
    let data: Vec<(String, f64, String)> = months
        .iter()
        .zip(&values)
        .map(|((m, a), v)| {
            let label = if board.quarterly() {
                format!("第{}季度", m.div_ceil(3))
            } else {
                format!("{m}月")
            };
            (label, *v, super::score(*a, places))
        })
        .collect();
    // A policy with one card a year has no months to draw.
    if !data.is_empty() {
        h.push_str(&format!(
            "<figure class=\"chart months-chart\"><figcaption>{}</figcaption>{}</figure>\n",
            if board.quarterly() {
                "逐季度平均得分"
            } else {
                "逐月平均得分"
            },
            bars(&data, max, floor)
        ));
    }
    h.push_str("</div>\n");
    h
}

/// The notice-board sheet as an HTML page that prints cleanly from a browser.
pub fn publish_html(board: &Board<'_>) -> String {
    let places = board.policy.round_places;
    let title = board.title();
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!(
        "<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&title)
    ));
    h.push_str(&format!("<h1>{}</h1>\n", esc(&title)));
    h.push_str(&format!(
        "<p class=\"meta\"><span>单位：{}</span><span>期间：{}</span></p>\n",
        esc(board.unit.unwrap_or("____________")),
        esc(&board.period_label())
    ));
    h.push_str("<table class=\"results\">\n<thead><tr>");
    for c in board.header() {
        h.push_str(&format!("<th>{}</th>", esc(&c)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (i, l) in board.lines().iter().enumerate() {
        let third = match board.period {
            Published::Year => format!("<td>{}</td>", esc(l.grade.as_deref().unwrap_or(""))),
            Published::Month(_) => format!(
                "<td class=\"num\">{}</td>",
                esc(&change_text(l.change, places))
            ),
        };
        // Each ledger's value after the total (§30).
        let ledgers: String = l
            .ledgers
            .iter()
            .map(|v| {
                format!(
                    "<td class=\"num\">{}</td>",
                    v.map_or_else(String::new, |v| super::score(v, places))
                )
            })
            .collect();
        h.push_str(&format!(
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>{ledgers}{third}<td>{}</td></tr>\n",
            i + 1,
            esc(&l.id),
            esc(&l.name),
            esc(&l.department),
            l.total.map_or_else(String::new, |t| super::score(t, places)),
            esc(&l.flags)
        ));
    }
    h.push_str("</tbody>\n</table>\n");
    let counts = board.grade_counts();
    if !counts.is_empty() {
        h.push_str("<table class=\"grades\">\n<thead><tr><th>等级</th><th>人数</th></tr></thead>\n<tbody>\n");
        for (g, n) in &counts {
            h.push_str(&format!(
                "<tr><td>{}</td><td class=\"num\">{n}</td></tr>\n",
                esc(g)
            ));
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str(&charts(board, &counts));
    h.push_str(&format!("<p class=\"sign\">{}</p>\n", esc(SIGNATURES)));
    h.push_str("</body>\n</html>\n");
    h
}
