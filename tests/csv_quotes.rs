//! Quotes in records and roster cells: a quote opened and never closed, closed in the middle of a
//! cell, or after spaces where it opens nothing, is an error naming the file and the line the
//! quote opened on; no row is swallowed. Properly quoted cells (commas, doubled quotes, several
//! lines, CRLF) are read as they are.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Year;

/// The Dashuipo year with line `line` (1-based) of `file` replaced by `with` (which may hold
/// several lines).
fn edited(tag: &str, file: &str, line: usize, with: &str) -> Year {
    let year = Year::new(tag);
    let path = year.path(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[line - 1] = with;
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    year
}

fn eval(year: &Year) -> common::Out {
    year.with_inputs(&["eval", "year.policy", "--format", "csv"])
}

/// The results of the unedited year.
fn baseline() -> String {
    eval(&Year::new("quotes-baseline")).ok()
}

const MARCH: &str = "records/2020-03.csv";
/// Line 3 of March: a volunteer row with a note.
const ROW: &str = "2020-03-04,volunteer,D01,,,2,,,,,,,,,,,,";

#[test]
fn a_bad_quote_is_an_error_at_the_line_it_opens() {
    let cases: Vec<(&str, String)> = vec![
        ("never closed", format!("{ROW}\"植树义务劳动")),
        (
            "never closed, in the middle",
            format!("{ROW}\"植树\n2020-03-05,late,D02,,,,,,,,,,,,,,,"),
        ),
        ("closed in the middle", format!("{ROW}\"植树\"义务劳动")),
        (
            "text after spaces after the close",
            format!("{ROW}\"植树\" 劳动"),
        ),
        (
            "a doubled quote then text",
            format!("{ROW}\"植树\"\"\"劳动"),
        ),
        (
            "closed in the middle of a date",
            "\"2020-03\"-04,volunteer,D01,,,2,,,,,,,,,,,,".to_string(),
        ),
        (
            "after spaces",
            "2020-03-04,volunteer,D01,,,2,,,,,,,,,,,, \"植树,劳动\"".to_string(),
        ),
        ("a lone quote", format!("{ROW}\"")),
        ("never closed across lines", format!("{ROW}\"first\nsecond")),
    ];
    let mut seen = String::new();
    for (what, line) in &cases {
        let year = edited("quotes-bad", MARCH, 3, line);
        let out = eval(&year);
        assert_eq!(out.code, Some(1), "{what}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{what}");
        assert!(
            out.stderr.starts_with("error: records/2020-03.csv:3: "),
            "{what}: {}",
            out.stderr
        );
        seen.push_str(&format!("--- {what}\n{}", out.stderr));
    }
    insta::assert_snapshot!(seen);
}

/// An unclosed quote on the last row, where nothing follows to be swallowed, is still an error;
/// so is one in the header, and one in the roster.
#[test]
fn a_bad_quote_anywhere_in_any_file() {
    let last =
        std::fs::read_to_string(common::root().join("policies/dashuipo-2020/records/2020-03.csv"))
            .unwrap()
            .lines()
            .count();
    let mut seen = String::new();
    for (file, line, with) in [
        (MARCH, last, format!("{ROW}\"note")),
        (
            MARCH,
            1,
            "date,kind,\"person,department,days,hours,households,score,rater,rank,tier,responsibility,points,level,award,result,reason,note".to_string(),
        ),
        ("roster.csv", 3, "D02,\"李秀英,党政办公室,包村干部,false,false".to_string()),
        ("roster.csv", 4, "D03,\"张\"伟,党政办公室,包村干部,false,false".to_string()),
    ] {
        let year = edited("quotes-anywhere", file, line, &with);
        let out = eval(&year);
        assert_ne!(out.code, Some(0), "{file}:{line}");
        assert!(out.stdout.is_empty());
        assert!(
            out.stderr.starts_with(&format!("error: {file}:{line}: ")),
            "{}",
            out.stderr
        );
        seen.push_str(&out.stderr);
    }
    insta::assert_snapshot!(seen.replace(&last.to_string(), "[LAST]"));
}

/// Two bad quotes far apart: both are reported, and the rows between are read.
#[test]
fn every_bad_quote_is_reported() {
    let year = Year::new("quotes-two");
    let path = year.path(MARCH);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[2] = format!("{ROW}\"a\"b");
    lines[9].push_str("\"c\"d");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let out = eval(&year);
    assert_eq!(out.code, Some(1));
    let located: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(located.len(), 2, "{}", out.stderr);
    assert!(located[0].starts_with("error: records/2020-03.csv:3: "));
    assert!(located[1].starts_with("error: records/2020-03.csv:10: "));
}

/// Quoted cells written the way spreadsheets write them are read as they are: the results are
/// those of the unedited year (notes do not count), and no row is lost.
#[test]
fn well_quoted_cells_are_read() {
    let expected = baseline();
    for good in [
        format!("{ROW}\"植树,义务劳动\""),
        format!("{ROW}\"say \"\"hi\"\" twice\""),
        format!("{ROW}\"first line\nsecond line, with a comma\n\nfourth\""),
        format!("{ROW}\"植树\"  "),
        format!("{ROW}\"\""),
        format!("{ROW}he said \"hi\""),
        format!("{ROW}\"植树\"\r"),
        "\"2020-03-04\",\"volunteer\",\"D01\",,,\"2\",,,,,,,,,,,,\"note\"".to_string(),
    ] {
        let year = edited("quotes-good", MARCH, 3, &good);
        let out = eval(&year);
        assert_eq!(out.code, Some(0), "{good:?}: {}", out.stderr);
        assert_eq!(out.stdout, expected, "{good:?}");
    }
}

/// A multi-line cell before a bad row: the bad row's line is counted past the cell's lines.
#[test]
fn lines_are_counted_past_a_multi_line_cell() {
    let year = edited(
        "quotes-lines",
        MARCH,
        3,
        &format!("{ROW}\"one\ntwo\nthree\"\n2020-03-05,late,D02,,,,,,,,,,,,,,,\"x\"y"),
    );
    let out = eval(&year);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.starts_with("error: records/2020-03.csv:6: "),
        "{}",
        out.stderr
    );
}

/// A file saved with a byte-order mark and every cell quoted (as some spreadsheets save "CSV
/// UTF-8") is read as it is; a bad quote in its first cell is still found.
#[test]
fn a_byte_order_mark_before_a_quoted_header() {
    let expected = baseline();
    let year = Year::new("quotes-bom");
    let path = year.path(MARCH);
    let text = std::fs::read_to_string(&path).unwrap();
    let quoted: Vec<String> = text
        .lines()
        .map(|l| {
            l.split(',')
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    std::fs::write(&path, format!("\u{feff}{}\n", quoted.join("\n"))).unwrap();
    assert_eq!(eval(&year).ok(), expected);
    let broken = format!(
        "\u{feff}{}\n",
        quoted.join("\n").replacen("\"date\"", "\"date\"x", 1)
    );
    std::fs::write(&path, broken).unwrap();
    let out = eval(&year);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.starts_with(
            "error: records/2020-03.csv:1: a quoted cell that opens here is closed in the middle"
        ),
        "{}",
        out.stderr
    );
}
