//! The compiled reading (records counted by the policy's kernel, files split between threads at
//! line breaks) gives what reading every record one by one gives: the same scores for plainly
//! valid files, and for anything else the same problems, at the same places. Checked on generated
//! record files, clean and messy, cut between one to four threads at every possible place.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use proptest::prelude::*;
use tally::compile::compile;
use tally::eval::{Date, Options, Reading, Roster, evaluate, input};

/// A policy the kernel compiles: capped and uncapped per-event points, points per hour with
/// decimals, `zero` and `from total`, rules and items for some roles only, year-window counts,
/// sums and means, optional and enumerated fields, and rules computed from each record: filters,
/// points read from a field (an empty one has no value: an error both ways), points by a table;
/// and kinds the kernel hands to the engine record by record (a flag, the highest per title).
const POLICY: &str = r#"policy "reading" year 2020 total 200
annual = sum(months) / 12
round 2 half-up

roster {
  role: 甲 | 乙
}

record late "迟到" by person
record leave "事假" by person { days: whole days 1..31 }
record volunteer "志愿服务" by person { hours: hours >= 0, place: text optional }
record fault "违纪" by person { level: minor | major }
record drinking "酒驾" by person
record praise "表扬" by person
record complaint "投诉" by person { responsibility: department | personal, points: points 1..10 optional }
record honor "表彰" by person { level: city | province }
record award "奖励" by person { title: text, size: points 1..50 }

section office "机关" 200 {
  item attendance "考勤" 100 {
    [1] per late -5 cap 40
    [1] when sum(leave.days) in year > 15: -20
    [1] when count(late) in year > 5: zero
    [1] per fault -3 for role in {乙}
    [1] per complaint where responsibility = personal: -20
    [1] per complaint where responsibility = department: -points
  }
  item work "工作" 100 for role in {甲} {
    [2] per volunteer.hours +0.5
    [2] per fault -10 for role in {甲}
    [2] when mean(volunteer.hours) in year > 3: +5
    [2] per drinking zero, -100 from total, flag "检查"
    [2] per praise +2.5
    [2] per honor +level { city: 10, province: 20.5 }
    [2] per fault where level = major: zero
  }
  item other "其他" 100 for role in {乙} {
    [3] per fault -7
    [3] per volunteer.hours +0.25 cap 10
    [3] per award +size highest per title
  }
}

grades {
  A >= 190 "top"
  B >= 150 "middle"
  C "bottom"
}
"#;

const PEOPLE: usize = 6;

fn roster_text() -> String {
    roster_text_of(PEOPLE)
}

/// A roster of `people`, named as the generated rows name them.
fn roster_text_of(people: usize) -> String {
    let mut text = String::from("person,name,department,role\n");
    for p in 0..people {
        let role = if p % 2 == 0 { "甲" } else { "乙" };
        text.push_str(&format!("P{p:02},人{p},部门{},{role}\n", p % 3));
    }
    text
}

fn policy() -> tally::check::Policy {
    compiled(POLICY)
}

fn roster(policy: &tally::check::Policy) -> Roster {
    roster_of(policy, roster_text())
}

/// The roster `text` (a CSV file's), read for `policy`.
fn roster_of(policy: &tally::check::Policy, text: impl Into<Vec<u8>>) -> Roster {
    let roster = input::InMemory {
        name: PathBuf::from("roster.csv"),
        bytes: text.into().into(),
        first_line: 1,
    };
    input::read_roster_from(policy, &roster).unwrap()
}

/// A policy written in a test, compiled.
fn compiled(text: &str) -> tally::check::Policy {
    compile("test.policy", text.as_bytes()).policy.unwrap()
}

/// A policy of 2020 named `name` out of `total`, with the annual average, two places half up,
/// `body` (roster, records, sections), and two grades (`A` from 95% of the total).
fn policy_of(name: &str, total: u32, body: &str) -> tally::check::Policy {
    compiled(&policy_text(name, total, body))
}

/// The text of [`policy_of`].
fn policy_text(name: &str, total: u32, body: &str) -> String {
    format!(
        "policy \"{name}\" year 2020 total {total}\n\
         annual = sum(months) / 12\n\
         round 2 half-up\n\
         {body}\n\
         grades {{\n  A >= {} \"top\"\n  B \"rest\"\n}}\n",
        total / 20 * 19
    )
}

/// One generated row: which kind, person, day and values, and how it is written.
#[derive(Clone, Debug)]
struct Row {
    kind: usize,
    person: usize,
    month: u8,
    day: u8,
    days: u8,
    hours: (u16, u8),
    place: bool,
    major: bool,
    /// 0: plainly; else a way of writing it that only the validating reader takes (or refuses).
    odd: u8,
}

fn row() -> impl Strategy<Value = Row> {
    (
        0..9usize,
        0..PEOPLE,
        1..=12u8,
        1..=31u8,
        0..20u8,
        (0..30u16, 0..4u8),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(kind, person, month, day, days, hours, place, major)| Row {
                kind,
                person,
                month,
                day,
                days,
                hours,
                place,
                major,
                odd: 0,
            },
        )
}

const KINDS: [&str; 9] = [
    "late",
    "事假",
    "volunteer",
    "违纪",
    "drinking",
    "表扬",
    "complaint",
    "表彰",
    "award",
];

fn write_row(r: &Row, out: &mut String) {
    let mut person = format!("P{:02}", r.person);
    let day = r.day.min(tally::eval::days_in_month(2020, r.month));
    let mut date = format!("2020-{:02}-{day:02}", r.month);
    let mut kind = KINDS[r.kind].to_string();
    let (mut days, mut hours, mut place, mut level) = (String::new(), String::new(), "", "");
    let (mut responsibility, mut points) = ("", String::new());
    let (mut title, mut size) = ("", String::new());
    match r.kind {
        1 => days = r.days.to_string(),
        2 => {
            hours = match r.hours.1 {
                0 => r.hours.0.to_string(),
                1 => format!("{}.5", r.hours.0),
                2 => format!("{}.25", r.hours.0),
                _ => format!("{}.125", r.hours.0),
            };
            if r.place {
                place = "村委会";
            }
        }
        3 => level = if r.major { "major" } else { "minor" },
        6 => {
            responsibility = if r.major { "department" } else { "personal" };
            // Now and then empty: the department's points then have no value.
            if r.days != 0 {
                points = (r.days % 10 + 1).to_string();
            }
        }
        7 => level = if r.major { "province" } else { "city" },
        8 => {
            title = if r.place {
                "先进个人"
            } else {
                "优秀党员"
            };
            size = (r.days % 50 + 1).to_string();
        }
        _ => {}
    }
    let mut department = String::new();
    let mut line_end = "\n";
    let mut note = String::new();
    match r.odd {
        0 => {}
        1 => kind = format!("\"{kind}\""),
        2 => kind = format!(" {kind} "),
        3 => line_end = "\r\n",
        4 => date = format!("2020/{}/{}", r.month, day),
        5 => date = "2021-01-03".into(),
        6 => department = "部门0".into(),
        7 => hours = "0.1234567".into(),
        8 => note = "\"备注,有逗号\"".into(),
        9 => days = String::new(),
        10 => kind = "lat".into(),
        11 => out.push('\n'),
        12 => person = "P99".into(),
        13 => level = "huge",
        // Written otherwise than exports write them, yet valid (the kernel's quickest reading
        // leaves them to its full one): spaces around an id or a date, a department of spaces,
        // an ideographic space after a kind.
        14 => person = format!(" {person}"),
        15 => date = format!("{date} "),
        16 => department = " ".into(),
        17 => kind = format!("{kind}\u{3000}"),
        // Not valid: a field another kind has, on a row of a kind without it; an id in another
        // case; a date with a space inside.
        18 => days = "3".into(),
        19 => person = person.to_lowercase(),
        20 => date = date.replacen('-', " -", 1),
        // A day of the year before (not this year's, though before the report day).
        21 => date = date.replacen("2020", "2019", 1),
        // Days (on a leave; on any other kind, a field it does not have): with a space before
        // them (valid), in part (not whole days), none (fewer than the least allowed).
        22 => days = format!(" {}", r.days.max(1)),
        23 => days = "1.5".into(),
        // Dates written as exports write them that are no day of the year (each refused both
        // ways), and a leap day (valid in 2020).
        25 => date = "2020-02-30".into(),
        26 => date = "2020-13-01".into(),
        27 => date = "2020-00-10".into(),
        28 => date = "2020-02-29".into(),
        29 => date = "2020-1a-01".into(),
        // More days than a leave may have (on another kind, a field it does not have).
        30 => days = "32".into(),
        _ => days = "0".into(),
    }
    out.push_str(&format!(
        "{date},{kind},{person},{department},{days},{hours},{place},{level},{responsibility},{points},{title},{size},{note}{line_end}"
    ));
}

/// Row `i` of a plainly written file, about `person`: its kind, month, day and values vary
/// with `i`.
fn plain_row(i: usize, person: usize) -> Row {
    Row {
        kind: i % KINDS.len(),
        person,
        month: (i % 12 + 1) as u8,
        day: (i % 28 + 1) as u8,
        days: (i % 5 + 1) as u8,
        hours: ((i % 7) as u16, (i % 4) as u8),
        place: i.is_multiple_of(3),
        major: i.is_multiple_of(2),
        odd: 0,
    }
}

/// At most one row of a file written oddly: most files are plainly valid, so that most cases are
/// read by the kernel, and the others show that anything odd is left to the validating reader.
fn oddity() -> impl Strategy<Value = Option<(usize, u8)>> {
    prop_oneof![3 => Just(None), 1 => (0..60usize, 1..=30u8).prop_map(Some)]
}

fn records_text(rows: &[Row], bom: bool, last_newline: bool) -> String {
    let mut text = String::new();
    if bom {
        text.push('\u{feff}');
    }
    text.push_str(
        "date,kind,person,department,days,hours,place,level,responsibility,points,title,size,note\n",
    );
    for r in rows {
        write_row(r, &mut text);
    }
    if !last_newline && text.ends_with('\n') {
        text.pop();
    }
    text
}

/// What an evaluation gives, as text: every person's scores, or every problem.
fn evaluated(
    policy: &tally::check::Policy,
    roster: &Roster,
    files: &[PathBuf],
    reading: Reading,
    threads: usize,
) -> String {
    match evaluate(policy, roster, files, &options(reading, threads)) {
        Ok((outcome, _)) => format!("{:?}", outcome.people),
        Err(problems) => common::problems_text(&problems),
    }
}

/// The year 2020, read `reading` on `threads`.
fn options(reading: Reading, threads: usize) -> Options {
    Options {
        as_of: Date {
            year: 2020,
            month: 12,
            day: 31,
        },
        trace: None,
        encoding: input::Encoding::Auto,
        memory: Vec::new(),
        reading,
        threads: Some(threads),
    }
}

#[test]
fn the_policy_here_and_the_shipped_one_compile() {
    let policy = policy();
    assert!(tally::eval::compiles(&policy, &roster(&policy)));
    // The Dashuipo policy compiles too: its kinds whose rules send points to department heads,
    // raise flags or keep the highest honour per award are handed to the engine record by record.
    let text = std::fs::read(common::root().join("policies/dashuipo-2020.policy")).unwrap();
    let dashuipo = compile("dashuipo-2020.policy", &text).policy.unwrap();
    let roster = input::read_roster(
        &dashuipo,
        &common::root().join("policies/dashuipo-2020/roster.csv"),
    )
    .unwrap();
    assert!(tally::eval::compiles(&dashuipo, &roster));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn the_compiled_reading_gives_what_the_one_by_one_reading_gives(
        mut rows in prop::collection::vec(row(), 0..60),
        second in prop::collection::vec(row(), 0..20),
        odd in oddity(),
        bom in any::<bool>(),
        last_newline in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        if let Some((at, how)) = odd {
            if let Some(r) = rows.get_mut(at) {
                r.odd = how;
            }
        }
        let policy = policy();
        let roster = roster(&policy);
        let dir = common::temp_dir("compiled");
        let first = dir.join("a.csv");
        let mut text = records_text(&rows, bom, last_newline);
        // As Excel writes CSV on Windows: every line ends with a carriage return and a line feed.
        if crlf {
            text = text.replace("\r\n", "\n").replace('\n', "\r\n");
        }
        std::fs::write(&first, text).unwrap();
        let other = dir.join("b.csv");
        std::fs::write(&other, records_text(&second, false, true)).unwrap();
        let files = [first, other];
        let expected = evaluated(&policy, &roster, &files, Reading::OneByOne, 1);
        for threads in 1..=4 {
            let got = evaluated(&policy, &roster, &files, Reading::Compiled, threads);
            prop_assert_eq!(&got, &expected, "{} threads", threads);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Plainly valid files are counted by the kernel, not handed to the reading one by one (which
/// gives the same scores, slowly): lines ending in a line feed or in a carriage return and a line
/// feed, a last line with or without a line break, with or without a byte-order mark, on one to
/// four threads. Each way, the scores are the one-by-one reading's.
#[test]
fn plainly_valid_files_are_read_by_the_kernel() {
    let policy = policy();
    // Enough rows that each thread sends full bundles of adds to the others, over enough people
    // that no card is at its cap or zeroed whatever the records.
    let people = 3_000;
    let roster = roster_of(&policy, roster_text_of(people));
    let rows: Vec<Row> = (0..20_000usize)
        .map(|i| plain_row(i, i * 7 % people))
        .collect();
    let dir = common::temp_dir("plain-kernel");
    let file = dir.join("a.csv");
    for (bom, last_newline, crlf) in [
        (false, true, false),
        (true, false, false),
        (false, false, true),
        (true, true, true),
    ] {
        let mut text = records_text(&rows, bom, last_newline);
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        std::fs::write(&file, text).unwrap();
        let files = [file.clone()];
        let expected = evaluated(&policy, &roster, &files, Reading::OneByOne, 1);
        assert!(expected.starts_with("[PersonResult"), "{expected}");
        for threads in 1..=4 {
            let options = options(Reading::Compiled, threads);
            assert!(
                tally::eval::run::read_by_kernel(&policy, &roster, &files, &options),
                "bom {bom}, last line break {last_newline}, crlf {crlf}, {threads} threads"
            );
            let got = evaluated(&policy, &roster, &files, Reading::Compiled, threads);
            assert_eq!(got, expected, "{threads} threads");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The shipped Dashuipo year, read both ways on one to four threads: its counted kinds and the
/// kinds it hands to the engine (points to department heads, flags, the highest honour per
/// award) give the same cards; with the heads struck from the roster, the same problems at the
/// same lines.
#[test]
fn the_dashuipo_year_reads_the_same_both_ways() {
    let root = common::root().join("policies/dashuipo-2020");
    let text = std::fs::read(common::root().join("policies/dashuipo-2020.policy")).unwrap();
    let policy = compile("dashuipo-2020.policy", &text).policy.unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("records"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let roster_text = std::fs::read_to_string(root.join("roster.csv")).unwrap();
    let headless = roster_text.replace(",true,", ",false,");
    for text in [roster_text, headless] {
        let roster = roster_of(&policy, text);
        let expected = evaluated(&policy, &roster, &files, Reading::OneByOne, 1);
        for threads in 1..=4 {
            let got = evaluated(&policy, &roster, &files, Reading::Compiled, threads);
            assert_eq!(got, expected, "{threads} threads");
        }
    }
}

/// A line longer than the reader's buffer (a note of several megabytes) is read whole, on any
/// number of threads, as the one-by-one reading reads it.
#[test]
fn a_line_longer_than_the_buffer_reads_the_same() {
    let policy = policy();
    let roster = roster(&policy);
    let dir = common::temp_dir("long-line");
    let file = dir.join("a.csv");
    let header = "date,kind,person,department,days,hours,place,level,responsibility,points,title,size,note\n";
    let mut text = String::from(header);
    for m in 1..=12 {
        text.push_str(&format!("2020-{m:02}-03,late,P01,,,,,,,,,,\n"));
    }
    text.push_str(&format!(
        "2020-05-04,volunteer,P02,,,2.5,,,,,,,{}\n",
        "备".repeat(1 << 20)
    ));
    text.push_str("2020-06-04,late,P02,,,,,,,,,,\n");
    std::fs::write(&file, text).unwrap();
    let files = [file];
    let expected = evaluated(&policy, &roster, &files, Reading::OneByOne, 1);
    // Scores, not problems.
    assert!(expected.starts_with("[PersonResult"), "{expected}");
    for threads in 1..=4 {
        let got = evaluated(&policy, &roster, &files, Reading::Compiled, threads);
        assert_eq!(got, expected, "{threads} threads");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A roster of twenty thousand people, read on one and two threads: the same cards as the
/// one-by-one reading, `zero` marks included, for people at the start, the middle and the end of
/// the roster.
#[test]
fn a_large_roster_reads_the_same_both_ways() {
    let policy = policy_of(
        "large",
        200,
        r#"roster {
  role: 甲 | 乙
}
record late "迟到" by person
record volunteer "志愿服务" by person { hours: hours >= 0 }
record fault "违纪" by person
section s "s" 200 {
  item a "a" 100 {
    [1] per late -5 cap 40
    [1] per volunteer.hours -0.5
  }
  item b "b" 100 for role in {甲} {
    [2] per fault zero
    [2] when mean(volunteer.hours) in year > 3: -7
  }
  item c "c" 100 for role in {乙} {
    [3] per fault -10
  }
}
"#,
    );
    let people = 20_000;
    let mut roster_text = String::from("person,name,department,role\n");
    for p in 0..people {
        let role = if p % 2 == 0 { "甲" } else { "乙" };
        roster_text.push_str(&format!("P{p:05},人{p},部门{},{role}\n", p % 7));
    }
    let roster = roster_of(&policy, roster_text);
    let dir = common::temp_dir("large-roster");
    let file = dir.join("a.csv");
    let mut text = String::from("date,kind,person,hours\n");
    for p in (0..people)
        .step_by(97)
        .chain([1, 9_999, 10_000, 19_998, 19_999])
    {
        let m = p % 12 + 1;
        text.push_str(&format!("2020-{m:02}-03,late,P{p:05},\n"));
        text.push_str(&format!("2020-{m:02}-04,volunteer,P{p:05},2.5\n"));
        text.push_str(&format!("2020-{m:02}-05,fault,P{p:05},\n"));
    }
    // Then hours so many that their counters would overflow, in one month of a person of each
    // half of the roster: the compiled reading gives up, and the one-by-one reading keeps the
    // sums exactly beside their cells.
    let mut huge = text.clone();
    for p in [3, 19_996] {
        for day in 1..=30 {
            huge.push_str(&format!(
                "2020-07-{day:02},volunteer,P{p:05},900000000000\n"
            ));
        }
    }
    for text in [text, huge] {
        std::fs::write(&file, text).unwrap();
        let files = [file.clone()];
        let expected = evaluated(&policy, &roster, &files, Reading::OneByOne, 1);
        assert!(
            expected.starts_with("[PersonResult"),
            "{}",
            &expected[..500.min(expected.len())]
        );
        for threads in [1, 2] {
            let got = evaluated(&policy, &roster, &files, Reading::Compiled, threads);
            assert!(got == expected, "{threads} threads: the cards differ");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sums past what 32 bits hold, reached by one value or by many, read both ways on one to four
/// threads: the same cards, each on the side of the thresholds its exact sum is.
#[test]
fn sums_past_32_bits_read_the_same_both_ways() {
    let policy = policy_of(
        "wide",
        100,
        r#"record gift "礼" by person { hours: hours >= 0 }
section s "s" 100 {
  item a "a" 100 {
    [1] when sum(gift.hours) in year > 4294967296.5: -10
    [1] when sum(gift.hours) in year > 4294967297: -20
    [1] when count(gift) in year > 40: -1
  }
}
"#,
    );
    let roster = roster_of(
        &policy,
        "person,name,department\nP0,a,x\nP1,b,x\nP2,c,x\nP3,d,x\n",
    );
    let dir = common::temp_dir("wide-sums");
    let file = dir.join("a.csv");
    let mut text = String::from("date,kind,person,hours\n");
    // P0: two values past 32 bits each, and a little: past the first threshold only.
    for (day, hours) in [(1, "2147483648"), (2, "2147483648"), (3, "0.75")] {
        text.push_str(&format!("2020-03-{day:02},gift,P0,{hours}\n"));
    }
    // P1: exactly on the first threshold, in one month and across two.
    for (month, hours) in [(4, "4000000000"), (5, "294967296.5")] {
        text.push_str(&format!("2020-{month:02}-09,gift,P1,{hours}\n"));
    }
    // P2: 43 values whose running total passes 32 bits in the middle of a month: both thresholds.
    // P3: the same values taken back down by nothing (hours are never negative), in many months.
    for i in 0..43 {
        text.push_str(&format!("2020-06-{:02},gift,P2,100000000\n", i % 28 + 1));
        text.push_str(&format!("2020-{:02}-01,gift,P3,99999999.99\n", i % 12 + 1));
    }
    std::fs::write(&file, text).unwrap();
    let files = [file];
    let expected = evaluated(&policy, &roster, &files, Reading::OneByOne, 1);
    assert!(expected.starts_with("[PersonResult"), "{expected}");
    for threads in 1..=4 {
        let got = evaluated(&policy, &roster, &files, Reading::Compiled, threads);
        assert!(got == expected, "{threads} threads: the cards differ");
    }
    // Each person on their own side of the thresholds: 90, 100, 69 and 69 for the year.
    let totals: Vec<&str> = expected
        .split("annual: AnnualResult { total: ")
        .skip(1)
        .map(|rest| rest.split(',').next().unwrap_or(""))
        .collect();
    let numerators = ["numer: 90", "numer: 100", "numer: 69", "numer: 69"];
    assert_eq!(totals.len(), numerators.len(), "{expected}");
    for (total, want) in totals.iter().zip(numerators) {
        assert!(total.ends_with(want), "{total} is not {want}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A kind whose records add to more than eight counters is read record by record (its counters
/// would weigh on every person-month); one of eight is counted.
#[test]
fn a_kind_of_many_sums_is_read_record_by_record() {
    let wide = |fields: usize| {
        let names: Vec<String> = (1..=fields).map(|f| format!("f{f}: hours >= 0")).collect();
        let rules: Vec<String> = (1..=fields)
            .map(|f| format!("    [1] per wide.f{f} +0.5"))
            .collect();
        let body = format!(
            "record wide \"宽\" by person {{ {} }}\n\
             section s \"s\" 100 {{\n  item a \"a\" 100 {{\n{}\n  }}\n}}",
            names.join(", "),
            rules.join("\n")
        );
        policy_of("wide", 100, &body)
    };
    for (fields, counted) in [(8, true), (9, false)] {
        let policy = wide(fields);
        let roster = roster_of(&policy, "person,name,department\nP0,a,x\n");
        assert_eq!(
            tally::eval::compiles(&policy, &roster),
            counted,
            "{fields} fields"
        );
    }
}

/// The cards do not read the sums of a person nothing was ever added to (most of a large roster
/// with few records): a person whose only record zeroes an item, gives points outside the items,
/// or counts towards their department's aggregate still has it on their card, both ways, while
/// the people without records keep the full score.
#[test]
fn people_with_only_a_zero_or_points_outside_the_items_are_not_taken_for_quiet() {
    let policy = policy_of(
        "sparse",
        200,
        r#"record fault "违纪" by person
record outside "另扣" by person
record inspection "督查" by department
section s "s" 200 {
  item a "a" 100 {
    [1] per fault zero
  }
  item b "b" 100 {
    [2] per outside -4 from total
    [2] when count(inspection) in year > 0: -3
  }
}
"#,
    );
    let roster = roster_of(
        &policy,
        "person,name,department\nP0,a,x\nP1,b,x\nP2,c,x\nP3,d,y\nP4,e,y\n",
    );
    let dir = common::temp_dir("sparse-marks");
    let file = dir.join("a.csv");
    std::fs::write(
        &file,
        "date,kind,person,department\n\
         2020-03-02,fault,P1,\n\
         2020-05-06,outside,P2,\n\
         2020-08-09,inspection,,y\n",
    )
    .unwrap();
    let files = [file];
    // Per person, the twelve months' published totals.
    let full = vec!["200.00"; 12];
    let zeroed_in_march = {
        let mut m = full.clone();
        m[2] = "100.00";
        m
    };
    let outside_in_may = {
        let mut m = full.clone();
        m[4] = "196.00";
        m
    };
    let inspected = vec!["197.00"; 12];
    let expected = [
        full.clone(),
        zeroed_in_march,
        outside_in_may,
        inspected.clone(),
        inspected,
    ];
    assert_monthly_totals_both_ways(&policy, &roster, &files, &expected);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A counted rule with a `for` of its own gives its points to the people it names alone, into
/// its item's sum and into a capped rule's: the same totals both ways, the counted way taken.
#[test]
fn a_counted_rule_for_some_people_gives_points_to_them_alone() {
    let policy = policy_of(
        "for",
        200,
        r#"roster {
  role: 甲 | 乙
}
record late "迟到" by person
section s "s" 200 {
  item a "a" 100 {
    [1] per late -5 for role in {甲}
    [1] per late -1
  }
  item b "b" 100 {
    [2] per late -4 cap 6 for role in {乙}
  }
}
"#,
    );
    let roster = roster_of(
        &policy,
        "person,name,department,role\nP0,a,x,甲\nP1,b,x,乙\nP2,c,x,甲\n",
    );
    let dir = common::temp_dir("counted-for");
    let file = dir.join("a.csv");
    std::fs::write(
        &file,
        "date,kind,person\n2020-03-02,late,P0\n2020-03-03,late,P0\n\
         2020-03-02,late,P1\n2020-03-03,late,P1\n",
    )
    .unwrap();
    let files = [file];
    // March: P0 (甲) -10 and -2 in a; P1 (乙) -2 in a and -8 capped at -6 in b; P2 nothing.
    let march = |total: &str| {
        let mut m = vec!["200.00".to_string(); 12];
        m[2] = total.to_string();
        m
    };
    let expected = vec![march("188.00"), march("192.00"), march("200.00")];
    assert_monthly_totals_both_ways(&policy, &roster, &files, &expected);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each person's twelve published monthly totals are `expected`, read one by one and the counted
/// way (which is taken), on one and two threads.
fn assert_monthly_totals_both_ways<T: AsRef<str> + std::fmt::Debug>(
    policy: &tally::check::Policy,
    roster: &Roster,
    files: &[PathBuf],
    expected: &[Vec<T>],
) {
    let expected: Vec<Vec<&str>> = (expected.iter())
        .map(|months| months.iter().map(AsRef::as_ref).collect())
        .collect();
    for reading in [Reading::OneByOne, Reading::Compiled] {
        for threads in [1, 2] {
            let options = options(reading, threads);
            if reading == Reading::Compiled {
                assert!(tally::eval::run::read_by_kernel(
                    policy, roster, files, &options
                ));
            }
            let (outcome, _) = evaluate(policy, roster, files, &options)
                .unwrap_or_else(|p| panic!("{}", common::problems_text(&p)));
            let got: Vec<Vec<String>> = (outcome.people.iter())
                .map(|p| p.months.iter().map(|m| m.published.to_string()).collect())
                .collect();
            assert_eq!(got, expected, "{reading:?} on {threads} threads");
        }
    }
}

/// Every odd way of writing a row, on a row of every kind among plainly written ones: the compiled
/// reading gives the scores or the problems the one-by-one reading gives, and reads with the
/// kernel what is valid however it is written (spaces, other date forms).
#[test]
fn every_odd_row_of_every_kind_reads_the_same_both_ways() {
    let policy = policy();
    let roster = roster(&policy);
    let dir = common::temp_dir("odd-rows");
    let file = dir.join("a.csv");
    let plain = |i: usize| plain_row(i, i % PEOPLE);
    let mut kernel_read = 0;
    for odd in 1..=30u8 {
        for kind in 0..KINDS.len() {
            let mut rows: Vec<Row> = (0..30).map(plain).collect();
            rows[5] = Row {
                kind,
                odd,
                ..plain(5)
            };
            std::fs::write(&file, records_text(&rows, false, true)).unwrap();
            let files = [file.clone()];
            let expected = evaluated(&policy, &roster, &files, Reading::OneByOne, 1);
            for threads in [1, 2] {
                let got = evaluated(&policy, &roster, &files, Reading::Compiled, threads);
                assert_eq!(got, expected, "odd {odd}, kind {kind}, {threads} threads");
            }
            let by_kernel = tally::eval::run::read_by_kernel(
                &policy,
                &roster,
                &files,
                &options(Reading::Compiled, 1),
            );
            // Spaces around an id, a date, a kind or a leave's days, a department of spaces, a
            // date written with slashes and a leap day are valid, and the kernel reads them.
            if [2, 4, 14, 15, 16, 17, 28].contains(&odd) || (odd == 22 && kind == 1) {
                assert!(by_kernel, "odd {odd}, kind {kind}: {expected}");
                assert!(
                    expected.starts_with("[PersonResult"),
                    "odd {odd}: {expected}"
                );
            }
            kernel_read += usize::from(by_kernel);
        }
    }
    assert!(kernel_read > 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A report day inside the year: records dated after it are refused both ways (the problems the
/// one-by-one reading tells), and a file with none after it reads the same both ways.
#[test]
fn records_after_an_inner_report_day_read_the_same_both_ways() {
    let policy = policy();
    let roster = roster(&policy);
    let dir = common::temp_dir("inner-report-day");
    let file = dir.join("a.csv");
    let as_of = Date {
        year: 2020,
        month: 6,
        day: 30,
    };
    let evaluated_on = |reading, threads| {
        let options = Options {
            as_of,
            ..options(reading, threads)
        };
        match evaluate(&policy, &roster, std::slice::from_ref(&file), &options) {
            Ok((outcome, _)) => format!("{:?}", outcome.people),
            Err(problems) => common::problems_text(&problems),
        }
    };
    // Rows of every kind in the first half of the year; then one of them moved a day past it.
    let rows: Vec<Row> = (0..40)
        .map(|i| Row {
            month: (i % 6 + 1) as u8,
            ..plain_row(i, i % PEOPLE)
        })
        .collect();
    for late in [None, Some(0), Some(2), Some(5)] {
        let mut rows = rows.clone();
        if let Some(at) = late {
            rows[at] = Row {
                month: 7,
                day: 1,
                ..rows[at].clone()
            };
        }
        std::fs::write(&file, records_text(&rows, false, true)).unwrap();
        let expected = evaluated_on(Reading::OneByOne, 1);
        assert_eq!(
            expected.starts_with("[PersonResult"),
            late.is_none(),
            "{expected}"
        );
        for threads in [1, 2] {
            let got = evaluated_on(Reading::Compiled, threads);
            assert_eq!(got, expected, "row {late:?} late, {threads} threads");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A kind's label that is another kind's id would name two kinds: the checker refuses it, so no
/// reading has to choose. Every name a policy may give (ids, labels, a label in the words of
/// another kind's id) reads the same in the full reading and the quickest one, with or without
/// spaces around it.
#[test]
fn kinds_named_by_id_or_label_read_the_same_both_ways() {
    let body = |late: &str, early: &str| {
        format!(
            "roster {{\n  role: 甲 | 乙\n}}\n\
             record late \"{late}\" by person\n\
             record early \"迟到\" by person\n\
             section office \"机关\" 100 {{\n  item attendance \"考勤\" 100 {{\n    \
             [1] per late -5\n    [1] per early {early}\n  }}\n}}"
        )
    };
    let clash = policy_text("labels", 100, &body("early", "-1"));
    assert!(compile("test.policy", clash.as_bytes()).policy.is_none());
    // `early` is counted, or (with a flag) handed to the engine record by record: the quickest
    // reading must not take one kind's name for the other's in either case.
    for early in ["-1", "-1, flag \"早退\""] {
        let policy = policy_of("labels", 100, &body("early leave", early));
        assert_label_read_as_written(&policy);
    }
}

/// Records naming kinds by `early`, `late`, `early leave` and `迟到`, as written and with spaces
/// around them, read the same both ways, and by the kernel.
fn assert_label_read_as_written(policy: &tally::check::Policy) {
    let roster = roster(policy);
    let dir = common::temp_dir("label-id");
    let file = dir.join("a.csv");
    let names = [
        "early",
        "late",
        "early leave",
        "迟到",
        " early",
        "early ",
        " early leave",
        "迟到\u{3000}",
    ];
    let mut text = String::from("date,kind,person\n");
    for (i, name) in names.iter().enumerate() {
        for month in 1..=12 {
            let person = (i + month) % PEOPLE;
            text.push_str(&format!("2020-{month:02}-0{},{name},P{person:02}\n", i + 1));
        }
    }
    std::fs::write(&file, text).unwrap();
    let files = [file];
    let expected = evaluated(policy, &roster, &files, Reading::OneByOne, 1);
    assert!(expected.starts_with("[PersonResult"), "{expected}");
    for threads in [1, 2] {
        let options = options(Reading::Compiled, threads);
        assert!(tally::eval::run::read_by_kernel(
            policy, &roster, &files, &options
        ));
        let got = evaluated(policy, &roster, &files, Reading::Compiled, threads);
        assert_eq!(got, expected, "{threads} threads");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
