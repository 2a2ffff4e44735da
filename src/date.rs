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
    pub fn parse(text: &str) -> Option<Date> {
        // The common form, `2020-03-02`, without splitting: records hold millions of them.
        if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *text.as_bytes() {
            let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
            if digits.iter().all(u8::is_ascii_digit) {
                let n = |a: u8| i32::from(a - b'0');
                let year = n(y0) * 1000 + n(y1) * 100 + n(y2) * 10 + n(y3);
                let (month, day) = (
                    (m0 - b'0') * 10 + (m1 - b'0'),
                    (d0 - b'0') * 10 + (d1 - b'0'),
                );
                return Date::new(year, month, day);
            }
        }
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
        let days = i64::try_from(secs / 86_400).unwrap_or(0);
        // Days since 1970-01-01 to a civil date.
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn today_is_a_real_day() {
        let t = Date::today();
        assert!(t.year >= 2024);
        assert_eq!(Date::new(t.year, t.month, t.day), Some(t));
    }
}
