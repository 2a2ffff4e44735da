//! Scores out: the CSV, JSON and table forms of an evaluation. Nothing here computes a score; it
//! only formats what `eval` produced.

mod csv;
pub mod explain;
mod json;
pub mod publish;
mod table;
pub mod template;
pub mod xlsx;

pub use self::csv::{csv, csv_parts, text_cell};
pub use self::json::json;
pub use self::table::table;
pub use self::xlsx::xlsx;

use rust_decimal::Decimal;

use crate::check::Policy;
use crate::eval::outcome::PersonResult;

/// Which rows to show: every month and the year, one month, or the year alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    All,
    Month(u8),
    Year,
}

impl Period {
    /// Parses `2020-03` or `2020` against the policy: its year, and whether it keeps monthly
    /// cards.
    pub fn parse(text: &str, policy: &Policy) -> Result<Period, String> {
        let year = policy.year;
        let wrong = || {
            crate::tr!(
                format!(
                    "`{text}` is not a period of this policy: write `{year}` for the year or `{year}-03` for a month"
                ),
                format!(
                    "`{text}` 不是这个政策文件的考核时段：全年写 `{year}`，单月写成 `{year}-03` 这样"
                )
            )
        };
        let (y, m) = match text.split_once('-') {
            Some((y, m)) => (y, Some(m)),
            None => (text, None),
        };
        if y.parse::<i32>().ok() != Some(year) {
            return Err(wrong());
        }
        match m {
            None => Ok(Period::Year),
            Some(_) if policy.card == crate::ops::Period::Year => Err(crate::tr!(
                format!(
                    "the policy keeps one card a year (`card year`), so there is no `{text}`: write `{year}`"
                ),
                format!(
                    "这个政策文件一年一张记分卡（`card year`），没有 `{text}` 这个时段：写 `{year}`"
                )
            )),
            Some(m) => match m.parse::<u8>() {
                Ok(m @ 1..=12) => Ok(Period::Month(m)),
                _ => Err(wrong()),
            },
        }
    }

    pub fn shows_month(self, month: u8) -> bool {
        matches!(self, Period::All) || self == Period::Month(month)
    }

    pub fn shows_year(self) -> bool {
        matches!(self, Period::All | Period::Year)
    }
}

/// A score as published: exactly the policy's number of decimals.
pub fn score(d: Decimal, places: u32) -> String {
    let mut x = d;
    x.rescale(places);
    x.to_string()
}

pub fn month_label(year: i32, month: u8) -> String {
    format!("{year}-{month:02}")
}

/// The year's grade as shown: empty for somebody not evaluated this year.
pub fn grade_name(policy: &Policy, person: &PersonResult) -> String {
    person
        .annual
        .shown_grade()
        .and_then(|g| policy.grades.get(g))
        .map(|g| g.name.clone())
        .unwrap_or_default()
}

/// The year's published result as shown: empty for somebody not evaluated this year.
pub fn annual_total(person: &PersonResult, places: u32) -> String {
    person
        .annual
        .shown_total()
        .map_or_else(String::new, |t| score(t, places))
}
