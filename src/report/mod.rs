//! Scores out: the CSV, JSON and table forms of an evaluation. Nothing here computes a score; it
//! only formats what `eval` produced.

mod csv;
pub mod explain;
mod json;
pub mod ledgers;
pub mod publish;
mod table;
pub mod template;
pub mod xlsx;

pub use self::csv::{csv, text_cell, write_csv, write_csv_streamed};
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
        let wrong = || match (policy.card, policy.balance) {
            (crate::ops::Period::Quarter, false) => crate::tr!(
                format!(
                    "`{text}` is not a period of this policy: write `{year}` for the year or `{year}-Q2` for a quarter"
                ),
                format!(
                    "`{text}` 不是这个政策文件的考核时段：全年写 `{year}`，单季写成 `{year}-Q2` 这样"
                )
            ),
            (crate::ops::Period::Year, false) => crate::tr!(
                format!(
                    "`{text}` is not a period of this policy: write `{year}` (it keeps one card a year)"
                ),
                format!("`{text}` 不是这个政策文件的考核时段：写 `{year}`（一年一张卡）")
            ),
            _ => crate::tr!(
                format!(
                    "`{text}` is not a period of this policy: write `{year}` for the year or `{year}-03` for a month"
                ),
                format!(
                    "`{text}` 不是这个政策文件的考核时段：全年写 `{year}`，单月写成 `{year}-03` 这样"
                )
            ),
        };
        let (y, m) = match text.split_once('-') {
            Some((y, m)) => (y, Some(m)),
            None => (text, None),
        };
        if y.parse::<i32>().ok() != Some(year) {
            return Err(wrong());
        }
        if policy.card == crate::ops::Period::Quarter && !policy.balance {
            return quarter_period(text, m, year);
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

/// A card's period as shown: `2020-03` for a month; on quarterly cards `2020-Q1`, `month` being
/// any month of the quarter (a quarter's card carries its last month).
pub fn period_label(policy: &Policy, month: u8) -> String {
    if policy.card == crate::ops::Period::Quarter && !policy.balance {
        format!("{}-Q{}", policy.year, month.clamp(1, 12).div_ceil(3))
    } else {
        month_label(policy.year, month)
    }
}

/// A card's name: the year on a policy with one card a year (whose card is kept under its last
/// month), else its period ([`period_label`]).
pub fn card_label(policy: &Policy, month: u8) -> String {
    if policy.card == crate::ops::Period::Year && !policy.balance {
        policy.year.to_string()
    } else {
        period_label(policy, month)
    }
}

/// A period of a policy with quarterly cards: `2020` or `2020-Q2` (the quarter's card is kept
/// under its last month); a month is refused with the quarter form.
fn quarter_period(text: &str, after_dash: Option<&str>, year: i32) -> Result<Period, String> {
    match after_dash {
        None => Ok(Period::Year),
        Some(q) => match q.strip_prefix(['Q', 'q']).map(str::parse::<u8>) {
            Some(Ok(q @ 1..=4)) => Ok(Period::Month(q * 3)),
            _ => Err(crate::tr!(
                format!(
                    "the policy keeps quarterly cards (`card quarter`), so there is no `{text}`: write `{year}-Q1` to `{year}-Q4` for a quarter, or `{year}` for the year"
                ),
                format!(
                    "这个政策文件按季度记分（`card quarter`），没有 `{text}` 这个时段：季度写 `{year}-Q1` 到 `{year}-Q4`，全年写 `{year}`"
                )
            )),
        },
    }
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
