//! One line of a scenario's `expect` block: a person, a period, and the values expected, each with
//! its span so that `--accept` can replace it where it stands.

use rust_decimal::Decimal;

use super::lex::needs;
use super::lex::{self, Tok};
use super::{Check, ExpectLine, Expected, PeriodSpec};
use crate::diag::{Code, Diag, did_you_mean, list_names};
use crate::syntax::ast::{Span, Spanned};

/// The keys of an expectation line.
const KEYS: [&str; 5] = ["total", "grade", "flags", "item", "final"];

/// One line of the `expect` block, or `None` for a line with only a comment.
pub fn line(line: &str, offset: usize, line_no: usize) -> Result<Option<ExpectLine>, Diag> {
    let toks = lex::words(line, offset)?;
    let (Some(first), Some(last)) = (toks.first(), toks.last()) else {
        return Ok(None);
    };
    let indent_len = line.len() - line.trim_start().len();
    let span = Span::new(first.span.start, last.span.end);
    let example = "D01 2020-03  total 985";
    let [person, period, rest @ ..] = toks.as_slice() else {
        return Err(needs(
            span,
            crate::tr!(
                "an expectation names a person, a period and what to expect",
                "一条预期要写人、时段和预期的结果"
            ),
            example,
        ));
    };
    let spec = period_spec(period)?;
    let checks = checks(rest)?;
    if checks.is_empty() {
        return Err(needs(
            span,
            crate::tr!("this expectation expects nothing", "这条预期什么也没预期"),
            example,
        ));
    }
    let end = offset + line.trim_end().len();
    let after = line.get(last.span.end - offset..).unwrap_or("").trim();
    Ok(Some(ExpectLine {
        line: line_no,
        whole: Span::new(offset + indent_len, end),
        span,
        indent: line.get(..indent_len).unwrap_or("").to_string(),
        comment: after.starts_with('#').then(|| after.to_string()),
        person: person.clone(),
        period: Spanned::new(spec, period.span),
        checks,
    }))
}

/// The checks of an expectation line: each key with its value.
fn checks(rest: &[Tok]) -> Result<Vec<Check>, Diag> {
    let mut checks = Vec::new();
    let mut i = 0;
    while let Some(key) = rest.get(i) {
        let value =
            |n: usize| -> Result<&Tok, Diag> { rest.get(i + n).ok_or_else(|| missing_value(key)) };
        let (what, tok, used) = match key.text.as_str() {
            // `excluded`: the year has no total and no grade (`exclude "…"` in the policy).
            "total" | "grade" if value(1)?.text == "excluded" => {
                let v = value(1)?;
                let key = if key.text == "total" {
                    "total"
                } else {
                    "grade"
                };
                (Expected::Excluded(key), v, 2)
            }
            "total" => {
                let v = value(1)?;
                (Expected::Total(decimal(v)?), v, 2)
            }
            "grade" => {
                let v = value(1)?;
                (Expected::Grade(v.clone()), v, 2)
            }
            "flags" | "flag" => {
                let v = value(1)?;
                (Expected::Flags(flags(&v.text)), v, 2)
            }
            "final" => {
                let v = value(1)?;
                let yes = yes_or_no(v)?;
                (Expected::Final(yes), v, 2)
            }
            "item" => {
                let item = value(1)?;
                let v = value(2)?;
                let score = match v.text.as_str() {
                    "none" | "-" => None,
                    _ => Some(decimal(v)?),
                };
                (
                    Expected::Item {
                        item: item.clone(),
                        score,
                    },
                    v,
                    3,
                )
            }
            "ledger" => {
                let ledger = value(1)?;
                let v = value(2)?;
                let value = decimal(v)?;
                let ledger = ledger.clone();
                (Expected::Ledger { ledger, value }, v, 3)
            }
            other => return Err(unknown_key(key, other)),
        };
        checks.push(Check {
            key: key.clone(),
            what,
            value: tok.span,
        });
        i += used;
    }
    Ok(checks)
}

/// A key without its value, with an example of one.
fn missing_value(key: &Tok) -> Diag {
    let example = match key.text.as_str() {
        "item" => "item attendance 25",
        "ledger" => "ledger money 297",
        "grade" => "grade 五星级",
        "flags" => "flags 予辞退",
        "final" => "final no",
        _ => "total 985",
    };
    needs(
        key.span,
        &crate::tr!(
            format!("`{}` needs a value", key.text),
            format!("`{}` 要写一个值", key.text)
        ),
        example,
    )
}

/// `final`'s value: `yes` or `true`, `no` or `false`.
fn yes_or_no(v: &Tok) -> Result<bool, Diag> {
    match v.text.as_str() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        _ => Err(Diag::error(
            Code::ScenarioBadValue,
            v.span,
            crate::tr!(
                format!("`{}` is not yes or no", v.text),
                format!("`{}` 不是 yes 也不是 no", v.text)
            ),
        )
        .label(crate::tr!(
            "expected `yes` or `no`",
            "这里应该是 `yes` 或 `no`"
        ))
        .help(crate::tr!(
            "`final no` expects a provisional result, `final yes` a final one",
            "`final no` 预期的是暂定结果，`final yes` 预期的是最终结果"
        ))),
    }
}

/// A key an expectation line does not have.
fn unknown_key(key: &Tok, other: &str) -> Diag {
    Diag::error(
        Code::ScenarioUnknownKey,
        key.span,
        crate::tr!(
            format!("unknown key `{other}`"),
            format!("没有 `{other}` 这个关键字")
        ),
    )
    .label(crate::tr!("not something a result has", "结果里没有这一项"))
    .help(did_you_mean(other, KEYS).unwrap_or_else(|| format!("expect {}", list_names(&KEYS))))
    .fix(key.span, crate::diag::closest(other, KEYS))
}

/// `none` or `-` for no flags; else flags separated by `;` (or a full-width `；`).
fn flags(text: &str) -> Vec<String> {
    if text == "none" || text == "-" {
        return Vec::new();
    }
    super::flags::flag_set([text])
}

fn decimal(t: &Tok) -> Result<Decimal, Diag> {
    let text = t.text.strip_prefix('+').unwrap_or(&t.text);
    let ok = !text.is_empty()
        && text
            .trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        // Past 28 decimals a decimal would round what is written.
        && text.split_once('.').is_none_or(|(_, d)| d.len() <= 28);
    match text.parse::<Decimal>() {
        Ok(d) if ok => Ok(d),
        _ => Err(Diag::error(
            Code::ScenarioBadValue,
            t.span,
            crate::tr!(
                format!("`{}` is not a number", t.text),
                format!("`{}` 不是数字", t.text)
            ),
        )
        .label(crate::tr!("expected a number", "这里应该是数字"))
        .help(crate::tr!(
            "write points with a decimal point if needed: `985`, `998.75`, `-20`",
            "分数照常写，要小数就带小数点：`985`、`998.75`、`-20`"
        ))),
    }
}

/// `2020-Q2`, `2020-Q1..2020-Q3` or `2020-Q1..Q3`: `None` when the text names no quarter, an
/// empty answer when it names one wrongly (a quarter past 4, a run backwards or across years).
fn quarters(text: &str) -> Option<Option<PeriodSpec>> {
    let quarter = |s: &str| -> Option<u8> {
        let q = s.strip_prefix(['Q', 'q'])?;
        (q.len() == 1).then(|| q.parse().ok()).flatten()
    };
    let (from, to) = text
        .split_once("..")
        .map_or((text, None), |(a, b)| (a, Some(b)));
    let (y, q) = from.split_once('-')?;
    let q = quarter(q)?;
    let year: i32 = (y.len() == 4).then(|| y.parse().ok()).flatten()?;
    let to = match to {
        None => Some(q),
        Some(b) => match b.split_once('-') {
            Some((y2, q2)) if y2.parse::<i32>().ok() == Some(year) => quarter(q2),
            Some(_) => None,
            None => quarter(b),
        },
    };
    Some(
        to.filter(|to| (1..=4).contains(&q) && (q..=4).contains(to))
            .map(|to| PeriodSpec::Quarters { year, from: q, to }),
    )
}

/// `2020`, `2020-03`, `2020-03..2020-05` or `2020-03..05`; on quarterly cards `2020-Q2`.
fn period_spec(t: &Tok) -> Result<PeriodSpec, Diag> {
    let bad = || {
        Diag::error(
            Code::ScenarioBadValue,
            t.span,
            crate::tr!(
                format!("`{}` is not a period", t.text),
                format!("`{}` 不是时段", t.text)
            ),
        )
        .label(crate::tr!(
            "expected a year or months",
            "这里应该是年份或月份"
        ))
        .help(crate::tr!(
            "write the year (`2020`), a month (`2020-03`) or a run of months (`2020-03..2020-05`)",
            "写年份（`2020`）、月份（`2020-03`）或连续几个月（`2020-03..2020-05`）"
        ))
    };
    let number = |s: &str, digits: std::ops::RangeInclusive<usize>| -> Option<u32> {
        (digits.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let month = |s: &str| -> Option<(i32, u8)> {
        let (y, m) = s.split_once('-')?;
        let y = i32::try_from(number(y, 4..=4)?).ok()?;
        let m = u8::try_from(number(m, 1..=2)?).ok()?;
        (1..=12).contains(&m).then_some((y, m))
    };
    let text = t.text.as_str();
    if let Some(y) = number(text, 4..=4) {
        return i32::try_from(y).map(PeriodSpec::Year).map_err(|_| bad());
    }
    if let Some(q) = quarters(text) {
        // A quarter written wrong is told how to write a quarter, not a month.
        return q.ok_or_else(|| {
            bad()
                .label(crate::tr!("expected a quarter", "这里应该是季度"))
                .help(crate::tr!(
                    "write a quarter (`2020-Q1` to `2020-Q4`) or a run of quarters going forward (`2020-Q1..2020-Q2`)",
                    "写一个季度（`2020-Q1` 到 `2020-Q4`）或从前往后的连续几个季度（`2020-Q1..2020-Q2`）"
                ))
        });
    }
    let (from, to) = match text.split_once("..") {
        None => {
            let (year, m) = month(text).ok_or_else(bad)?;
            return Ok(PeriodSpec::Months {
                year,
                from: m,
                to: m,
            });
        }
        Some((a, b)) => {
            let (year, from) = month(a).ok_or_else(bad)?;
            let to = match month(b) {
                Some((y2, m)) if y2 == year => m,
                Some(_) => {
                    return Err(bad().help(crate::tr!(
                        "a run of months lies within one year",
                        "连续几个月要在同一年内"
                    )));
                }
                None => u8::try_from(number(b, 1..=2).ok_or_else(bad)?).map_err(|_| bad())?,
            };
            if !(1..=12).contains(&to) {
                return Err(bad());
            }
            (PeriodSpec::Months { year, from, to }, from <= to)
        }
    };
    if !to {
        return Err(bad().help(crate::tr!(
            "a run of months goes forward: `2020-03..2020-05`",
            "连续几个月要从前往后写：`2020-03..2020-05`"
        )));
    }
    Ok(from)
}
