//! `eval --format csv` makes the cards of a policy where no person's result depends on another's
//! slice by slice as the rows are written (`eval::stream`). The rows are the same bytes as when
//! every card is made first, for every shipped policy and every period; a problem met on any card,
//! in any slice, publishes nothing: a file given with `--output` stays as it was, and standard
//! output gets nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use common::Out;
use tally::compile::compile;
use tally::diag::plain;
use tally::eval::input::{self, InMemory};
use tally::eval::stream::{Scored, evaluate_streamed};
use tally::eval::{Options, evaluate};
use tally::report::{self, Period};

fn options() -> Options {
    common::options_2021(None, Vec::new())
}

/// The shipped roster, then `copies` more of each row under new ids (`D01~7`, in department `党政办公室7`): enough people for
/// several slices of rows, made by more than one thread.
fn roster_text(path: &std::path::Path, copies: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    // Columns that name a group with one head.
    let groups: Vec<usize> = header
        .split(',')
        .enumerate()
        .filter(|(_, c)| ["department", "household"].contains(c))
        .map(|(i, _)| i)
        .collect();
    let mut out = format!("{header}\n");
    let rows: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    for row in &rows {
        out.push_str(row);
        out.push('\n');
    }
    // Each copy in departments (and households) of its own, which have their own heads.
    for copy in 0..copies {
        for row in &rows {
            let cells: Vec<String> = row
                .split(',')
                .enumerate()
                .map(|(i, c)| match i {
                    0 => format!("{c}~{copy}"),
                    i if groups.contains(&i) => format!("{c}{copy}"),
                    _ => c.to_string(),
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    out
}

/// The CSV of every card made first, and of the cards made as they are written, for `period`.
fn both_ways(name: &str, copies: usize, period: &str) -> (String, Vec<u8>, bool) {
    let dir = common::root().join("policies");
    let text = std::fs::read(dir.join(format!("{name}.policy"))).unwrap();
    let policy = compile(&format!("{name}.policy"), &text).policy.unwrap();
    let roster = InMemory {
        name: PathBuf::from("roster.csv"),
        bytes: roster_text(&dir.join(name).join("roster.csv"), copies)
            .into_bytes()
            .into(),
        first_line: 1,
    };
    let roster = input::read_roster_from(&policy, &roster)
        .unwrap_or_else(|p| panic!("{:?}", p.list.iter().map(plain).collect::<Vec<_>>()));
    let files = input::record_files(&[dir.join(name).join("records")]).unwrap();
    let period = match period {
        "" => Period::All,
        p => Period::parse(p, &policy).unwrap(),
    };
    let (outcome, _) = evaluate(&policy, &roster, &files, &options())
        .unwrap_or_else(|p| panic!("{:?}", p.list.iter().map(plain).collect::<Vec<_>>()));
    let at_once = report::csv(&policy, &roster, &outcome, period);
    let scored = evaluate_streamed(&policy, &roster, &files, &options()).unwrap();
    let mut streamed = Vec::new();
    let was_streamed = match &scored {
        Scored::Streamed(stream) => {
            report::write_csv_streamed(&policy, &roster, stream, period, &mut streamed).unwrap();
            stream.finish().unwrap();
            true
        }
        Scored::Whole(outcome, _) => {
            report::write_csv(&policy, &roster, outcome, period, &mut streamed).unwrap();
            false
        }
    };
    (at_once, streamed, was_streamed)
}

#[test]
fn cards_made_as_written_give_the_rows_of_cards_made_first() {
    // Dashuipo and the credit policy stream; the rural policy ranks its villages' people, so its
    // cards are all made first.
    for (name, streams) in [
        ("dashuipo-2020", true),
        ("wendeng-credit-2020", true),
        ("wendeng-rural-2020", false),
    ] {
        for copies in [0, 700] {
            for period in ["", "2020-03", "2020"] {
                if name != "dashuipo-2020" && period == "2020-03" {
                    // The credit policy keeps one card a year; the rural one too.
                    continue;
                }
                let (at_once, streamed, was_streamed) = both_ways(name, copies, period);
                assert_eq!(was_streamed, streams, "{name}");
                assert!(at_once.lines().count() > copies, "{name}: {at_once}");
                assert!(
                    at_once.as_bytes() == streamed.as_slice(),
                    "{name} ×{copies} {period}: the rows differ"
                );
            }
        }
    }
}

/// A policy whose `when` rule divides by zero for whoever was late and never absent.
const POLICY: &str = "policy \"切片\" year 2020 total 100
annual = sum(months) / 12
round 2 half-up
record late \"迟到\" by person
record absent \"缺岗\" by person
section s \"s\" 100 {
  item i \"i\" 100 {
    [1] per late -5
    [2] when count(late) in year > 0: -10 / count(absent) in year
  }
}
grades {
  A >= 90 \"a\"
  B \"b\"
}
";

/// A roster of `n` people, `P00000` to …
fn roster(n: usize) -> String {
    let mut text = String::from("person,name,department\n");
    for i in 0..n {
        text.push_str(&format!("P{i:05},人{i},办公室\n"));
    }
    text
}

fn eval_to(records: &str, output: &[&str], keep: Option<&str>) -> (Out, PathBuf) {
    let n = 10_000;
    let roster = roster(n);
    let mut files = vec![
        ("p.policy", POLICY),
        ("roster.csv", roster.as_str()),
        ("records.csv", records),
    ];
    if let Some(old) = keep {
        files.push(("scores.csv", old));
    }
    let dir = common::temp_dir("streamed");
    for (name, text) in &files {
        common::write(&dir, name, text);
    }
    let mut args = vec![
        "eval",
        "p.policy",
        "--roster",
        "roster.csv",
        "--records",
        "records.csv",
        "--as-of",
        "2021-01-05",
        "--format",
        "csv",
    ];
    args.extend_from_slice(output);
    (common::cli_in(&dir, &args), dir)
}

#[test]
fn a_problem_on_any_card_publishes_nothing() {
    // The person who divides by zero is the first, one in the middle, or the very last, whose
    // card is made in the last slice after every other row is written.
    for who in ["P00000", "P05000", "P09999"] {
        let records = format!(
            "date,kind,person\n2020-03-02,late,{who}\n2020-04-02,late,P00001\n2020-04-03,absent,P00001\n"
        );
        let old = "an earlier year's results\n";
        let (out, dir) = eval_to(&records, &["--output", "scores.csv"], Some(old));
        assert_eq!(out.code, Some(1), "{}", out.both());
        assert!(
            out.stderr
                .contains(&format!("divides by zero for `{who}` in 2020-01")),
            "{}",
            out.stderr
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("scores.csv")).unwrap(),
            old,
            "{who}: the file given was written"
        );
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("tally-"))
            .collect();
        assert!(left.is_empty(), "{left:?}");

        let (out, _) = eval_to(&records, &[], None);
        assert_eq!(out.code, Some(1), "{}", out.both());
        assert!(out.stdout.is_empty(), "published: {}", out.stdout.len());
        assert!(out.stderr.contains("divides by zero"), "{}", out.stderr);
    }
    // Without the problem, every person has a row a month and one for the year.
    let records = "date,kind,person\n2020-04-02,late,P00001\n2020-04-03,absent,P00001\n";
    let (out, dir) = eval_to(records, &["--output", "scores.csv"], Some("old\n"));
    assert_eq!(out.code, Some(0), "{}", out.both());
    let written = std::fs::read_to_string(dir.join("scores.csv")).unwrap();
    assert_eq!(written.lines().count(), 1 + 10_000 * 13);
    assert!(
        written.contains("\nP09999,人9999,2020,100.00,A,true,\n"),
        "{}",
        &written[written.len() - 200..]
    );
    let (printed, _) = eval_to(records, &[], None);
    assert_eq!(format!("\u{feff}{}", printed.stdout), written);
}

#[test]
fn a_problem_in_the_cards_is_told_before_a_wrong_period() {
    let records = "date,kind,person\n2020-03-02,late,P00002\n";
    let (out, _) = eval_to(records, &["--period", "2019-03"], None);
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(out.stderr.contains("divides by zero"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}
