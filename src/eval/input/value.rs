//! Values in cells: numbers in the documented form only, dates, and typed field values.

use super::*;
use crate::check::model::Unit;

/// The help for a cell that is not a number.
pub(super) fn number_help() -> &'static str {
    crate::tr!(
        "write digits with an optional `.` and sign, like `2` or `1.5`",
        "用数字写，可以带小数点和正负号，比如 `2` 或 `1.5`"
    )
}

/// Whether `text` is a number as records write them: an optional sign, digits, and an optional
/// `.` followed by digits (`2`, `-1.5`, `+3`). No exponent (`1e3`), no `_` or thousands
/// separator, no bare `.` at either end: the forms the policy language takes.
pub(super) fn is_plain_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

/// Reads a number cell, refusing every form the documented format does not have, with the form
/// to write instead where there is one.
pub(super) fn parse_number(text: &str) -> Result<Decimal, Problem> {
    if let Some(n) = short_number(text) {
        return Ok(n);
    }
    if !is_plain_number(text) {
        return Err((
            Code::NotANumber,
            crate::tr!(
                format!("`{text}` is not a number"),
                format!("`{text}` 不是数字")
            ),
            Some(not_a_number_help(text)),
        ));
    }
    let n: Decimal = text.parse().map_err(|_| too_long(text))?;
    // The parser rounds digits it cannot hold; a rounded value is not the one written. Up to 28
    // digits nothing can be rounded, so only longer numbers are compared (no strings per cell).
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    if digits > 28 && n.normalize().to_string() != exact_digits(text) {
        return Err(too_long(text));
    }
    Ok(n)
}

/// A number in the documented form without a sign and of at most 18 digits (nearly every cell),
/// read as the decimal parser reads it (the places as written), without it; `None` for any other.
fn short_number(text: &str) -> Option<Decimal> {
    let (m, places) = plain_digits(text.as_bytes())?;
    Decimal::try_from_i128_with_scale(i128::from(m), places).ok()
}

/// A number in the documented form without a sign and of at most 18 digits (digits, at most one
/// point with digits on both sides): its digits as one integer, and its places.
pub(super) fn plain_digits(bytes: &[u8]) -> Option<(i64, u32)> {
    if bytes.len() > 19 {
        return None;
    }
    let (mut m, mut point) = (0i64, None);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => m = m.checked_mul(10)?.checked_add(i64::from(b - b'0'))?,
            // A point with digits on both sides.
            b'.' if point.is_none() && i > 0 && i + 1 < bytes.len() => point = Some(i),
            _ => return None,
        }
    }
    let digits = bytes.len() - usize::from(point.is_some());
    if digits == 0 || digits > 18 {
        return None;
    }
    let places = point.map_or(0, |i| bytes.len() - i - 1);
    Some((m, u32::try_from(places).ok()?))
}

/// The help for a cell that is not a number in the documented form: the form to write instead
/// where the cell is one written another way (full-width, with an exponent, with separators,
/// with a bare `.`), else the documented form.
#[cold]
fn not_a_number_help(text: &str) -> String {
    // What a Chinese input method types for digits, signs and the point (`５`, `－`, `。`).
    let ascii = crate::chars::to_ascii(text);
    if ascii != text && is_plain_number(&ascii) {
        return crate::tr!(
            format!("write `{ascii}`, in half-width characters"),
            format!("写成 `{ascii}`，用半角字符")
        );
    }
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    if unsigned.contains(['e', 'E'])
        && unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, 'e' | 'E' | '.' | '+' | '-'))
    {
        let full = Decimal::from_scientific(text)
            .ok()
            .map(|n| {
                crate::tr!(
                    format!(", like `{}`", n.normalize()),
                    format!("，比如 `{}`", n.normalize())
                )
            })
            .unwrap_or_default();
        return crate::tr!(
            format!("exponents are not read: write the number in full{full}"),
            format!("不认科学计数法：把数写全{full}")
        );
    }
    let plain: String = text
        .chars()
        .filter(|c| !matches!(c, '_' | ',' | '，' | '\'' | ' '))
        .collect();
    if plain != text && is_plain_number(&plain) {
        return crate::tr!(
            format!("write `{plain}`, without separators between the digits"),
            format!("写成 `{plain}`，数字之间不加分隔符")
        );
    }
    if let Some(fraction) = unsigned.strip_prefix('.').filter(|f| is_plain_number(f)) {
        let sign = &text[..text.len() - unsigned.len()];
        return crate::tr!(
            format!("write `{sign}0.{fraction}`"),
            format!("写成 `{sign}0.{fraction}`")
        );
    }
    if let Some(whole) = text.strip_suffix('.').filter(|w| is_plain_number(w)) {
        return crate::tr!(
            format!("write `{whole}`, or digits after the `.`"),
            format!("写成 `{whole}`，或者在 `.` 后面写上数字")
        );
    }
    number_help().into()
}

/// The problem of a number in the documented form with more digits than a decimal holds.
#[cold]
fn too_long(text: &str) -> Problem {
    (
        Code::NotANumber,
        crate::tr!(
            format!("`{text}` has more digits than a number here can hold"),
            format!("`{text}` 位数太多，这里的数放不下")
        ),
        Some(crate::tr!("write a number of at most 28 digits", "数字最多写 28 位").into()),
    )
}

/// A number in the documented form as its shortest writing: no `+`, no leading zeros, no
/// trailing zeros after the `.`, `0` for any zero.
pub(super) fn exact_digits(text: &str) -> String {
    let negative = text.starts_with('-');
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    let mut out = String::new();
    if negative && !(whole.is_empty() && fraction.is_empty()) {
        out.push('-');
    }
    out.push_str(if whole.is_empty() { "0" } else { whole });
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// What is wrong with a cell: its code, the message and the help (the caller adds where).
pub(super) type Problem = (Code, String, Option<String>);

/// Parses a value of a declared type. The error is the message to show (the caller adds where).
pub(super) fn parse_value(text: &str, ty: &ValueType) -> Result<Value, Problem> {
    match ty {
        ValueType::Text | ValueType::Group => Ok(Value::Text(text.to_string())),
        ValueType::HeadOf(_) => parse_bool(text),
        // Read against the roster where records are read (`row`); a roster has no person column
        // of its own type (the checker refuses one).
        ValueType::Person => Err((
            Code::Internal,
            "a person field is read against the roster".into(),
            None,
        )),
        ValueType::Time => parse_time(text),
        ValueType::Date => parse_date(text),
        ValueType::Bool => parse_bool(text),
        ValueType::Enum(values) => parse_enum(text, values),
        ValueType::Number {
            unit,
            whole,
            min,
            max,
        } => {
            let n = parse_number(text)?;
            if *whole && !n.fract().is_zero() {
                return Err(not_whole(text, *unit));
            }
            let below = min.is_some_and(|m| n < m);
            let above = max.is_some_and(|m| n > m);
            if below || above {
                return Err(out_of_range(n, *unit, *min, *max));
            }
            Ok(Value::Number(n.normalize()))
        }
    }
}

/// A time of day, as seconds since midnight, exactly.
fn parse_time(text: &str) -> Result<Value, Problem> {
    match crate::ops::clock_seconds(text) {
        Some(s) => Ok(Value::Number(Decimal::from(s))),
        None => Err((
            Code::BadTime,
            crate::tr!(
                format!("`{text}` is not a time of day"),
                format!("`{text}` 不是钟点时间")
            ),
            Some(
                crate::tr!(
                    "write the time as a clock shows it, like `8:30`, `08:30` or `17:05:30`: hours 0 to 23, minutes and seconds 0 to 59, with a half-width colon",
                    "按钟表上的写法写时间，比如 `8:30`、`08:30` 或 `17:05:30`：时 0 到 23，分和秒 0 到 59，冒号用半角"
                )
                .into(),
            ),
        )),
    }
}

/// A date, as `2020-03-02`.
fn parse_date(text: &str) -> Result<Value, Problem> {
    crate::date::Date::parse(text)
        .map(Value::Date)
        .ok_or_else(|| {
            (
                Code::BadDate,
                crate::tr!(
                    format!("`{text}` is not a date"),
                    format!("`{text}` 不是日期")
                ),
                Some(
                    crate::tr!(
                        "write dates like `2020-03-02`",
                        "日期写成 `2020-03-02` 这样"
                    )
                    .into(),
                ),
            )
        })
}

/// `true` or `false`, in any case, or `是` or `否`.
fn parse_bool(text: &str) -> Result<Value, Problem> {
    // The usual spellings first, without lowering a copy of the cell (a roster has a cell of a
    // `bool` column per person).
    match text {
        "true" | "是" => return Ok(Value::Bool(true)),
        "false" | "否" => return Ok(Value::Bool(false)),
        _ => {}
    }
    match text.to_lowercase().as_str() {
        "true" | "是" => Ok(Value::Bool(true)),
        "false" | "否" => Ok(Value::Bool(false)),
        _ => Err((
            Code::NotInList,
            crate::tr!(
                format!("`{text}` is neither `true` nor `false`"),
                format!("`{text}` 既不是 `true` 也不是 `false`")
            ),
            Some(
                crate::tr!(
                    "write `true` or `false` (or `是` or `否`)",
                    "写 `true` 或 `false`（也可以写 `是` 或 `否`）"
                )
                .into(),
            ),
        )),
    }
}

/// One of an enumeration's values, as the policy spells it.
fn parse_enum(text: &str, values: &[String]) -> Result<Value, Problem> {
    match values.iter().position(|v| v == text) {
        Some(i) => Ok(Value::Enum(i)),
        None => Err((
            Code::NotInList,
            crate::tr!(
                format!("`{text}` is not one of {}", list_names(values)),
                format!("`{text}` 不在 {} 之中", list_names(values))
            ),
            did_you_mean(text, values.iter().map(String::as_str)).or_else(|| {
                Some(
                    crate::tr!(
                        "write one of these values as the policy spells it",
                        "照政策文件里的写法，写其中一个值"
                    )
                    .into(),
                )
            }),
        )),
    }
}

/// A unit's name as messages put it after a number: ` days` in English (nothing for a plain
/// number), and its Chinese name.
fn unit_names(unit: Unit) -> (String, &'static str) {
    let (zh_unit, _) = unit.chinese();
    let unit = match unit.name() {
        "number" => String::new(),
        name => format!(" {name}"),
    };
    (unit, zh_unit)
}

/// The problem of a fraction in a field counted in whole numbers.
#[cold]
fn not_whole(text: &str, unit: Unit) -> Problem {
    let (unit, zh_unit) = unit_names(unit);
    let of = if unit.is_empty() {
        String::new()
    } else {
        format!(" of{unit}")
    };
    let zh_whole = if zh_unit.is_empty() {
        "整数".to_string()
    } else {
        format!("整{zh_unit}")
    };
    (
        Code::NotWhole,
        crate::tr!(
            format!("`{text}` is not a whole number{of}"),
            format!("`{text}` 不是{zh_whole}数")
        ),
        Some(
            crate::tr!(
                "the policy counts this field in whole numbers, like `2`",
                "政策文件规定这个字段按整数计，比如 `2`"
            )
            .into(),
        ),
    )
}

/// The problem of a number outside the range the policy declares for its field.
#[cold]
fn out_of_range(n: Decimal, unit: Unit, min: Option<Decimal>, max: Option<Decimal>) -> Problem {
    let (unit, zh_unit) = unit_names(unit);
    let range = match (min, max) {
        (Some(a), Some(b)) => crate::tr!(format!("from {a} to {b}"), format!("{a}到{b}{zh_unit}")),
        (Some(a), None) => crate::tr!(format!("at least {a}"), format!("最少{a}{zh_unit}")),
        (None, Some(b)) => crate::tr!(format!("at most {b}"), format!("最多{b}{zh_unit}")),
        (None, None) => String::new(),
    };
    (
        Code::OutOfRange,
        crate::tr!(
            format!("{n}{unit} is out of range: the policy allows {range}"),
            crate::lang::spaced(&format!("{n}{zh_unit}超出范围：政策文件规定{range}"))
        ),
        Some(
            crate::tr!(
                "correct the value; if it is right, the policy's range for this field \
                 needs changing",
                "改正这个值；如果它没错，就要改政策文件里这个字段的范围"
            )
            .into(),
        ),
    )
}

// ------------------------------------------------------------------------------------- roster

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use super::*;

    /// Every text of up to six characters from digits, a point and a sign, and long numbers about
    /// the 18-digit bound: a short number is read as the decimal parser reads it, to the places as
    /// written, and only a number in the documented form is.
    #[test]
    fn a_short_number_is_read_as_the_decimal_parser_reads_it() {
        let alphabet = ['0', '1', '9', '.', '-', '+', 'x'];
        let mut texts = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..6 {
            texts = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            all.extend(texts.iter().cloned());
        }
        for digits in 16..=21 {
            let whole = "9".repeat(digits);
            all.push(whole.clone());
            all.push(format!("0{whole}"));
            for at in 1..digits {
                all.push(format!("{}.{}", &whole[..at], &whole[at..]));
            }
        }
        let mut read = 0;
        for text in &all {
            let Some(n) = short_number(text) else {
                continue;
            };
            read += 1;
            assert!(is_plain_number(text), "{text}");
            let parsed: Decimal = text.parse().expect("a plain number parses");
            assert_eq!(
                (n.mantissa(), n.scale()),
                (parsed.mantissa(), parsed.scale()),
                "{text}"
            );
        }
        assert!(read > 1000, "{read}");
    }
}
