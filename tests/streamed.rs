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
use tally::eval::stream::{Scored, Year, evaluate_streamed};
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

/// The CSV of every card made first, and of the cards made as they are written, for `period`, of
/// a shipped policy and its example.
fn both_ways(name: &str, copies: usize, period: &str) -> (String, Vec<u8>, bool) {
    let dir = common::root().join("policies");
    let records = vec![dir.join(name).join("records")];
    both_ways_of(
        &dir.join(format!("{name}.policy")),
        (&dir.join(name).join("roster.csv"), &records),
        copies,
        period,
    )
}

/// [`both_ways`] of any policy, roster and records.
fn both_ways_of(
    policy: &std::path::Path,
    (roster, records): (&std::path::Path, &[PathBuf]),
    copies: usize,
    period: &str,
) -> (String, Vec<u8>, bool) {
    let name = policy.file_name().unwrap().to_string_lossy();
    let text = std::fs::read(policy).unwrap();
    let policy = compile(&name, &text).policy.unwrap();
    let roster = InMemory {
        name: PathBuf::from("roster.csv"),
        bytes: roster_text(roster, copies).into_bytes().into(),
        first_line: 1,
    };
    let roster = input::read_roster_from(&policy, &roster)
        .unwrap_or_else(|p| panic!("{:?}", p.list.iter().map(plain).collect::<Vec<_>>()));
    let files = input::record_files(records).unwrap();
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

/// How many people's years a streamed policy makes without their whole card, and how many with.
fn quick_and_carded(
    policy: &std::path::Path,
    roster: &std::path::Path,
    records: &[PathBuf],
) -> (usize, usize) {
    let text = std::fs::read(policy).unwrap();
    let policy = compile("p.policy", &text).policy.unwrap();
    let roster = InMemory {
        name: PathBuf::from("roster.csv"),
        bytes: std::fs::read(roster).unwrap().into(),
        first_line: 1,
    };
    let roster = input::read_roster_from(&policy, &roster).unwrap();
    let files = input::record_files(records).unwrap();
    let Scored::Streamed(stream) = evaluate_streamed(&policy, &roster, &files, &options()).unwrap()
    else {
        panic!("not streamed");
    };
    let years = stream.years(0..stream.len());
    let quick = years
        .iter()
        .filter(|y| matches!(y, Year::Quick(..)))
        .count();
    (quick, years.len() - quick)
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

/// Dashuipo's people are of both kinds: most of the example's years are made without their whole
/// card, and those with a flag or a grade cap, or still missing a fact, are made in full, in the
/// same slice.
#[test]
fn dashuipo_years_are_made_both_ways() {
    let dir = common::root().join("policies");
    let (quick, carded) = quick_and_carded(
        &dir.join("dashuipo-2020.policy"),
        &dir.join("dashuipo-2020").join("roster.csv"),
        &[dir.join("dashuipo-2020").join("records")],
    );
    assert!(
        quick > carded && carded > 0,
        "{quick} quick, {carded} carded"
    );
}

/// The test policies that stream, each with its roster and records: their rows are the same
/// bytes whichever way their cards are made, with a roster copied many times too (people in
/// several slices, made by more than one thread).
#[test]
fn fixture_policies_give_the_same_rows_both_ways() {
    let fixtures = common::root().join("tests").join("fixtures");
    for (dir, policy) in [
        ("ledgers", "pay.policy"),
        ("quarterly", "card.policy"),
        ("households", "household.policy"),
        ("roles", "village.policy"),
        ("validity", "credit.policy"),
        ("yearly", "card.policy"),
    ] {
        let dir = fixtures.join(dir);
        let records = vec![dir.join("records.csv")];
        for copies in [0, 400] {
            for period in ["", "2020"] {
                let (at_once, streamed, _) = both_ways_of(
                    &dir.join(policy),
                    (&dir.join("roster.csv"), &records),
                    copies,
                    period,
                );
                assert!(at_once.lines().count() > copies, "{policy}: {at_once}");
                assert!(
                    at_once.as_bytes() == streamed.as_slice(),
                    "{policy} ×{copies} {period}: the rows differ"
                );
            }
        }
    }
}

/// A policy with a per-event cap, thirds, `zero`, a flag, a grade cap and a rule for heads.
const MIXED: &str = include_str!("fixtures/streamed/mixed.policy");

/// Many people with records drawn at random (the same each run): some with none, some with a
/// flag or a grade cap, most with a few whole points; with `odd`, some with thirds and points past
/// a millionth too (the engine then keeps exact sums, and no month is taken for another). Their
/// rows are the same bytes whichever way their cards are made, and both ways are taken.
fn random_years(odd: bool) {
    let dir = common::temp_dir("streamed-mixed");
    let mut roster = String::from("person,name,department,head\n");
    let mut records = String::from("date,kind,person,points\n");
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let points: &[&str] = if odd {
        &["2", "0.25", "1.0000001", "9.999999"]
    } else {
        &["2", "0.25", "7", "9.999999"]
    };
    for i in 0..3000 {
        let head = i % 300 == 0;
        roster.push_str(&format!("P{i:04},人{i},科{},{head}\n", i / 300));
        for _ in 0..next(12) * next(3) {
            let date = format!("2020-{:02}-{:02}", 1 + next(12), 1 + next(28));
            match next(10) {
                0..=4 => records.push_str(&format!("{date},late,P{i:04},\n")),
                5..=7 => records.push_str(&format!("{date},absent,P{i:04},\n")),
                8 => records.push_str(&format!("{date},praise,P{i:04},{}.5\n", next(10))),
                _ => {
                    let points = points[next(4) as usize];
                    records.push_str(&format!("{date},praise,P{i:04},{points}\n"));
                }
            }
        }
    }
    // Somebody whose quarter's cap is used up in February: after a quiet month starts the next
    // quarter, May's late counts in full.
    roster.push_str("Q0001,季,科0,false\n");
    for date in [
        "2020-02-03",
        "2020-02-04",
        "2020-02-05",
        "2020-02-06",
        "2020-05-06",
    ] {
        records.push_str(&format!("{date},late,Q0001,\n"));
    }
    // Thirds are kept exactly too.
    let policy = if odd {
        MIXED.to_string()
    } else {
        MIXED.replace("-10 / 3", "-3")
    };
    for (name, text) in [
        ("mixed.policy", policy.as_str()),
        ("roster.csv", roster.as_str()),
        ("records.csv", records.as_str()),
    ] {
        common::write(&dir, name, text);
    }
    let files = [dir.join("records.csv")];
    let (quick, carded) =
        quick_and_carded(&dir.join("mixed.policy"), &dir.join("roster.csv"), &files);
    assert!(
        quick > 1000 && carded > 100,
        "{quick} quick, {carded} carded"
    );
    for period in ["", "2020-05", "2020"] {
        let (at_once, streamed, was_streamed) = both_ways_of(
            &dir.join("mixed.policy"),
            (&dir.join("roster.csv"), &files),
            0,
            period,
        );
        assert!(was_streamed);
        assert!(
            at_once.as_bytes() == streamed.as_slice(),
            "odd {odd} {period}: the rows differ"
        );
    }
}

#[test]
fn random_years_give_the_same_rows_both_ways() {
    random_years(false);
}

#[test]
fn random_years_with_exact_sums_give_the_same_rows_both_ways() {
    random_years(true);
}

/// A policy whose second item's base is a fact about the person.
const FACT: &str = "policy \"事实\" year 2020 total 100
annual = mean(months)
round 2 half-up
roster {
  veteran: bool
}
record late \"迟到\" by person
record review \"评定\" by person { score: points 0..40 }
section s \"s\" 100 {
  item a \"考勤\" 60 {
    [1] per late -5
  }
  item b \"评定\" 40 {
    [2] base review.score
  }
}
grades {
  A >= 90 \"a\"
  B \"b\"
}
";

/// People nothing in the records touched, whose roster rows read alike, have one year made for
/// all of them; somebody with a fact recorded about them, or a late day, is not one of them,
/// wherever they stand among the others.
#[test]
fn people_untouched_alike_share_a_year_and_nobody_else_does() {
    let dir = common::temp_dir("streamed-blank");
    let mut roster = String::from("person,name,department,veteran\n");
    let mut records = String::from("date,kind,person,score\n");
    for i in 0..3000 {
        roster.push_str(&format!("P{i:04},人{i},科{},{}\n", i % 7, i % 5 == 0));
        // Everybody has the fact but one person in a hundred, who has none.
        if i % 100 != 17 {
            let score = if i < 2 { 40 } else { 20 + i % 13 };
            records.push_str(&format!("2020-06-01,review,P{i:04},{score}\n"));
        }
        if i % 11 == 3 {
            records.push_str(&format!("2020-02-03,late,P{i:04},\n"));
        }
    }
    for (name, text) in [
        ("fact.policy", FACT),
        ("roster.csv", roster.as_str()),
        ("records.csv", records.as_str()),
    ] {
        common::write(&dir, name, text);
    }
    let files = [dir.join("records.csv")];
    let (at_once, streamed, was_streamed) = both_ways_of(
        &dir.join("fact.policy"),
        (&dir.join("roster.csv"), &files),
        0,
        "",
    );
    assert!(was_streamed);
    assert!(at_once.as_bytes() == streamed.as_slice(), "the rows differ");
    // Without the fact, the year is not final.
    assert!(at_once.contains("\nP0017,人17,2020,"), "{at_once:.300}");
    assert!(!at_once.contains("\nP0017,人17,2020,40.00"));
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
