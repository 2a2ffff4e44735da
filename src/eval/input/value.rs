//! Values in cells: numbers in the documented form only, dates, and typed field values.

use super::*;

/// The help for a cell that is not a number.
pub(super) const NUMBER_HELP: &str =
    "write digits with an optional `.` and sign, like `2` or `1.5`";

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
    let not = |help: String| {
        Err((
            Code::NotANumber,
            format!("`{text}` is not a number"),
            Some(help),
        ))
    };
    if !is_plain_number(text) {
        // What a Chinese input method types for digits, signs and the point (`５`, `－`, `。`).
        let ascii = crate::chars::to_ascii(text);
        if ascii != text && is_plain_number(&ascii) {
            return not(format!("write `{ascii}`, in half-width characters"));
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
                .map(|n| format!(", like `{}`", n.normalize()))
                .unwrap_or_default();
            return not(format!(
                "exponents are not read: write the number in full{full}"
            ));
        }
        let plain: String = text
            .chars()
            .filter(|c| !matches!(c, '_' | ',' | '，' | '\'' | ' '))
            .collect();
        if plain != text && is_plain_number(&plain) {
            return not(format!(
                "write `{plain}`, without separators between the digits"
            ));
        }
        if let Some(fraction) = unsigned.strip_prefix('.').filter(|f| is_plain_number(f)) {
            let sign = &text[..text.len() - unsigned.len()];
            return not(format!("write `{sign}0.{fraction}`"));
        }
        if let Some(whole) = text.strip_suffix('.').filter(|w| is_plain_number(w)) {
            return not(format!("write `{whole}`, or digits after the `.`"));
        }
        return not(NUMBER_HELP.into());
    }
    let too_long = || {
        (
            Code::NotANumber,
            format!("`{text}` has more digits than a number here can hold"),
            Some("write a number of at most 28 digits".into()),
        )
    };
    let n: Decimal = text.parse().map_err(|_| too_long())?;
    // The parser rounds digits it cannot hold; a rounded value is not the one written. Up to 28
    // digits nothing can be rounded, so only longer numbers are compared (no strings per cell).
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    if digits > 28 && n.normalize().to_string() != exact_digits(text) {
        return Err(too_long());
    }
    Ok(n)
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
        ValueType::HeadOf(_) => parse_value(text, &ValueType::Bool),
        // Read against the roster where records are read (`row`); a roster has no person column
        // of its own type (the checker refuses one).
        ValueType::Person => Err((
            Code::Internal,
            "a person field is read against the roster".into(),
            None,
        )),
        // Seconds since midnight, exactly.
        ValueType::Time => match crate::ops::clock_seconds(text) {
            Some(s) => Ok(Value::Number(Decimal::from(s))),
            None => Err((
                Code::BadTime,
                format!("`{text}` is not a time of day"),
                Some(
                    "write the time as a clock shows it, like `8:30`, `08:30` or `17:05:30`: hours 0 to 23, minutes and seconds 0 to 59, with a half-width colon"
                        .into(),
                ),
            )),
        },
        ValueType::Date => crate::date::Date::parse(text)
            .map(Value::Date)
            .ok_or_else(|| {
                (
                    Code::BadDate,
                    format!("`{text}` is not a date"),
                    Some("write dates like `2020-03-02`".into()),
                )
            }),
        ValueType::Bool => match text.to_lowercase().as_str() {
            "true" | "是" => Ok(Value::Bool(true)),
            "false" | "否" => Ok(Value::Bool(false)),
            _ => Err((
                Code::NotInList,
                format!("`{text}` is neither `true` nor `false`"),
                Some("write `true` or `false` (or `是` or `否`)".into()),
            )),
        },
        ValueType::Enum(values) => match values.iter().position(|v| v == text) {
            Some(i) => Ok(Value::Enum(i)),
            None => Err((
                Code::NotInList,
                format!("`{text}` is not one of {}", list_names(values)),
                did_you_mean(text, values.iter().map(String::as_str))
                    .or_else(|| Some("write one of these values as the policy spells it".into())),
            )),
        },
        ValueType::Number {
            unit,
            whole,
            min,
            max,
        } => {
            let n = parse_number(text)?;
            let unit = match unit.name() {
                "number" => String::new(),
                name => format!(" {name}"),
            };
            if *whole && !n.fract().is_zero() {
                let of = if unit.is_empty() {
                    String::new()
                } else {
                    format!(" of{unit}")
                };
                return Err((
                    Code::NotWhole,
                    format!("`{text}` is not a whole number{of}"),
                    Some("the policy counts this field in whole numbers, like `2`".into()),
                ));
            }
            let below = min.is_some_and(|m| n < m);
            let above = max.is_some_and(|m| n > m);
            if below || above {
                let range = match (min, max) {
                    (Some(a), Some(b)) => format!("from {a} to {b}"),
                    (Some(a), None) => format!("at least {a}"),
                    (None, Some(b)) => format!("at most {b}"),
                    (None, None) => String::new(),
                };
                return Err((
                    Code::OutOfRange,
                    format!("{n}{unit} is out of range: the policy allows {range}"),
                    Some(
                        "correct the value; if it is right, the policy's range for this field \
                         needs changing"
                            .into(),
                    ),
                ));
            }
            Ok(Value::Number(n.normalize()))
        }
    }
}

// ------------------------------------------------------------------------------------- roster
