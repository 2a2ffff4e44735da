//! The one calendar: calendar days, how they are written, months' lengths and today.

/// A calendar day (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

#[inline]
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// The day when it is a real one.
    #[inline]
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// The last day of a month.
    pub fn end_of_month(year: i32, month: u8) -> Date {
        Date {
            year,
            month,
            day: days_in_month(year, month),
        }
    }

    /// `YYYY-MM-DD`, also `YYYY/M/D` and `YYYY-M-D` as spreadsheets export dates; a real day.
    #[inline]
    pub fn parse(text: &str) -> Option<Date> {
        Date::parse_bytes(text.as_bytes())
    }

    /// [`Date::parse`] of a text given as its bytes (`None` when they are not UTF-8).
    #[inline(always)]
    pub fn parse_bytes(text: &[u8]) -> Option<Date> {
        // The common form, `2020-03-02`, without splitting: records hold millions of them.
        if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *text {
            // The eight digits at once: each byte from 0x30 to 0x39 has 3 as its high half,
            // before and after adding 6 (no byte can carry into the next one).
            let w = u64::from_le_bytes([y0, y1, y2, y3, m0, m1, d0, d1]);
            let high = 0xF0F0_F0F0_F0F0_F0F0_u64;
            let threes = 0x3030_3030_3030_3030_u64;
            if w & high == threes && w.wrapping_add(0x0606_0606_0606_0606) & high == threes {
                let [y0, y1, y2, y3, m0, m1, d0, d1] = (w - threes).to_le_bytes();
                let year = i32::from(y0) * 1000 + i32::from(y1) * 100 + i32::from(y2) * 10;
                return Date::new(year + i32::from(y3), m0 * 10 + m1, d0 * 10 + d1);
            }
        }
        Date::parse_other(std::str::from_utf8(text).ok()?)
    }

    /// [`Date::parse`] of a date not written `2020-03-02`.
    #[cold]
    fn parse_other(text: &str) -> Option<Date> {
        let sep = if text.contains('/') { '/' } else { '-' };
        let mut parts = text.split(sep);
        let year = parts.next()?;
        let month = parts.next()?;
        let day = parts.next()?;
        if parts.next().is_some()
            || year.len() != 4
            || !(1..=2).contains(&month.len())
            || !(1..=2).contains(&day.len())
            || ![year, month, day]
                .iter()
                .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    /// Today (UTC), from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The first day past a duration that starts on this day: the same day of the month that
    /// many years or months later, or the first day of the next month where that day does not
    /// exist (February 29 in a common year, the 31st of a short month); or that many days later.
    pub fn after(self, d: Duration) -> Date {
        let months = match d.unit {
            TimeUnit::Day => return Date::from_days(self.days() + i64::from(d.count)),
            TimeUnit::Year => i64::from(d.count) * 12,
            TimeUnit::Month => i64::from(d.count),
        };
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + months;
        let year = i32::try_from(index.div_euclid(12)).unwrap_or(i32::MAX);
        let month = u8::try_from(index.rem_euclid(12) + 1).unwrap_or(12);
        match Date::new(year, month, self.day) {
            Some(day) => day,
            None => Date::from_days(Date::end_of_month(year, month).days() + 1),
        }
    }

    /// The day before this one.
    pub fn before(self) -> Date {
        Date::from_days(self.days() - 1)
    }

    /// The civil date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }
}

/// How long an entry stays valid: `2 years`, `6 months`, `30 days`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Duration {
    pub count: u32,
    pub unit: TimeUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    Year,
    Month,
    Day,
}

impl Duration {
    /// The longest duration a policy may write: 100 years, in its unit.
    pub fn longest(unit: TimeUnit) -> u32 {
        match unit {
            TimeUnit::Year => 100,
            TimeUnit::Month => 1200,
            TimeUnit::Day => 36_500,
        }
    }
}

impl std::fmt::Display for Duration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = match self.unit {
            TimeUnit::Year => "year",
            TimeUnit::Month => "month",
            TimeUnit::Day => "day",
        };
        let s = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {word}{s}", self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The common form is read as the general reading reads it: every ASCII character in each
    /// place of a date, and every month and day number of three years.
    #[test]
    fn the_common_form_reads_as_any_form_reads() {
        for at in 0..10 {
            for c in (0u8..=0x7f).map(char::from) {
                let mut text: Vec<char> = "2020-03-02".chars().collect();
                text[at] = c;
                let text: String = text.into_iter().collect();
                assert_eq!(Date::parse(&text), Date::parse_other(&text), "{text:?}");
            }
        }
        for year in [1900, 2000, 2020] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year}-{month:02}-{day:02}");
                    assert_eq!(Date::parse(&text), Date::parse_other(&text), "{text}");
                }
            }
        }
    }

    #[test]
    fn days_as_written() {
        let d = |y, m, d| {
            Some(Date {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!(Date::parse("2020-03-02"), d(2020, 3, 2));
        assert_eq!(Date::parse("2020/3/2"), d(2020, 3, 2));
        assert_eq!(Date::parse("2020-3-02"), d(2020, 3, 2));
        assert_eq!(Date::parse("2020-02-29"), d(2020, 2, 29));
        for bad in [
            "2021-02-29",
            "2020-13-01",
            "2020-00-10",
            "2020-01-32",
            "20-1-1",
            "2020-1",
            "",
            "2020-01-01-01",
            "２０２０-01-01",
            "2020/01-01",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert_eq!(Date::parse("1900-02-29"), None);
        assert_eq!(Date::parse("2000-02-29"), d(2000, 2, 29));
    }

    #[test]
    fn durations_end_on_the_same_day_or_the_next_month() {
        let d = |y, m, d| Date {
            year: y,
            month: m,
            day: d,
        };
        let dur = |count, unit| Duration { count, unit };
        assert_eq!(d(2020, 3, 2).after(dur(1, TimeUnit::Year)), d(2021, 3, 2));
        assert_eq!(d(2020, 2, 29).after(dur(1, TimeUnit::Year)), d(2021, 3, 1));
        assert_eq!(d(2020, 2, 29).after(dur(4, TimeUnit::Year)), d(2024, 2, 29));
        assert_eq!(d(2020, 1, 31).after(dur(1, TimeUnit::Month)), d(2020, 3, 1));
        assert_eq!(
            d(2020, 11, 30).after(dur(2, TimeUnit::Month)),
            d(2021, 1, 30)
        );
        assert_eq!(d(2020, 12, 31).after(dur(1, TimeUnit::Day)), d(2021, 1, 1));
        assert_eq!(d(2020, 2, 28).after(dur(1, TimeUnit::Day)), d(2020, 2, 29));
        assert_eq!(
            d(9999, 12, 31).after(dur(100, TimeUnit::Year)),
            d(10099, 12, 31)
        );
        assert_eq!(d(2021, 3, 1).before(), d(2021, 2, 28));
        for day in [d(1970, 1, 1), d(2000, 2, 29), d(1, 1, 1), d(9999, 12, 31)] {
            assert_eq!(Date::from_days(day.days()), day);
        }
    }

    #[test]
    fn today_is_a_real_day() {
        let t = Date::today();
        assert!(t.year >= 2024);
        assert_eq!(Date::new(t.year, t.month, t.day), Some(t));
    }
}
