//! Validity (docs/language.md §25): `card balance` reads one card on a day, with a snapshot for
//! each month; `valid …` keeps an entry for a time (fixed, by the size of its points, by a field);
//! `repeat * N` multiplies a repeat within the validity of an earlier entry; records of earlier
//! years count while still valid.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{check_errors, in_folder, on_files};

const DIR: &str = "tests/fixtures/validity";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(common::root().join(DIR).join(name)).unwrap()
}

/// `tally eval` (or `explain`) of the fixture policy on `records`, as of `as_of`.
fn tally(command: &str, records: &str, as_of: &str, more: &[&str]) -> common::Out {
    let policy = fixture("credit.policy");
    let roster = fixture("roster.csv");
    let mut args = vec![
        command,
        "credit.policy",
        "--roster",
        "roster.csv",
        "--records",
        "records.csv",
        "--as-of",
        as_of,
    ];
    args.extend_from_slice(more);
    in_folder(
        &[
            ("credit.policy", &policy),
            ("roster.csv", &roster),
            ("records.csv", records),
        ],
        &args,
    )
}

/// The year's line of `person` in `eval --format csv`: `total,grade,final`.
fn year_of(records: &str, as_of: &str, person: &str) -> String {
    let out = tally("eval", records, as_of, &["--format", "csv"]).ok();
    out.lines()
        .find(|l| l.starts_with(&format!("{person},")) && l.split(',').nth(2) == Some("2020"))
        .map(|l| l.split(',').skip(3).take(3).collect::<Vec<_>>().join(","))
        .unwrap_or_else(|| panic!("no year line for {person}:\n{out}"))
}

const HEADER: &str = "date,kind,person,points,level\n";

#[test]
fn the_balance_on_any_day_with_a_snapshot_a_month() {
    // A: 1000 − 30 (2019-05-10, valid through 2020-05-09) − 60 (2020-03-01, a repeat within the
    // first one's year: × 2) + 10 (a city honour of 2019-12-01, two years).
    let records = fixture("records.csv");
    assert_eq!(year_of(&records, "2020-04-30", "A"), "920.00,B,false");
    assert_eq!(year_of(&records, "2020-05-09", "A"), "920.00,B,false");
    assert_eq!(year_of(&records, "2020-05-10", "A"), "950.00,B,false");
    assert_eq!(year_of(&records, "2020-12-31", "A"), "950.00,B,true");
    // B: a direct grade C of 2018-06-01 still valid (3 years); the one of 2017 expired at the end
    // of 2019. A fault of 50 (2 years) and a repeat of 10 within it (× 2): 1000 − 50 − 20 = 930,
    // grade B by score, set to C.
    assert_eq!(year_of(&records, "2021-01-15", "B"), "930.00,C,true");
    let out = tally("eval", &records, "2020-06-15", &["--format", "csv"]).ok();
    insta::assert_snapshot!(out);
}

#[test]
fn explain_shows_which_entries_count_on_the_reading_day() {
    let records = fixture("records.csv");
    let out = tally("explain", &records, "2020-06-15", &["--person", "A"]).ok();
    insta::assert_snapshot!(out);
    let out = tally("explain", &records, "2020-12-31", &["--person", "B"]).ok();
    insta::assert_snapshot!(out);
    // A month is the snapshot on its last day.
    let out = tally(
        "explain",
        &records,
        "2020-12-31",
        &["--person", "A", "--period", "2020-03"],
    )
    .ok();
    insta::assert_snapshot!(out);
}

#[test]
fn an_entry_counts_through_the_day_before_its_anniversary() {
    let records = format!("{HEADER}2019-06-15,fault,A,30,\n");
    assert_eq!(year_of(&records, "2020-06-14", "A"), "970.00,A,false");
    assert_eq!(year_of(&records, "2020-06-15", "A"), "1000.00,A,false");
    // More than 40 points: two years.
    let records = format!("{HEADER}2018-06-15,fault,A,41,\n");
    assert_eq!(year_of(&records, "2020-06-14", "A"), "959.00,B,false");
    assert_eq!(year_of(&records, "2020-06-15", "A"), "1000.00,A,false");
    // A record of the reading day itself counts.
    let records = format!("{HEADER}2020-06-15,fault,A,30,\n");
    assert_eq!(year_of(&records, "2020-06-15", "A"), "970.00,A,false");
}

#[test]
fn leap_days_and_short_months() {
    // From February 29, a year runs through February 28 of the next year.
    let policy = fixture("credit.policy").replace("year 2020", "year 2021");
    let records = format!("{HEADER}2020-02-29,fault,A,30,\n");
    let roster = fixture("roster.csv");
    let run = |as_of: &str| {
        on_files(
            "eval",
            &policy,
            &roster,
            &records,
            &["--as-of", as_of, "--format", "csv", "--period", "2021"],
        )
        .ok()
    };
    assert!(
        run("2021-02-28").contains("A,张伟,2021,970.00"),
        "{}",
        run("2021-02-28")
    );
    assert!(
        run("2021-03-01").contains("A,张伟,2021,1000.00"),
        "{}",
        run("2021-03-01")
    );
    // A month from January 31 runs through the end of February; 10 days from 02-25 through 03-05.
    let text = fixture("credit.policy").replace(
        "valid { <= 40: 1 year, else: 2 years }",
        "valid { <= 40: 1 month, else: 10 days }",
    );
    let records = format!("{HEADER}2020-01-31,fault,A,30,\n2020-02-25,fault,B,50,\n");
    let out = on_files(
        "eval",
        &text,
        &roster,
        &records,
        &["--as-of", "2020-12-31", "--format", "csv"],
    )
    .ok();
    let months: Vec<String> = out
        .lines()
        .filter(|l| l.contains(",2020-0"))
        .map(|l| l.split(',').take(4).collect::<Vec<_>>().join(","))
        .filter(|l| l.contains(",2020-01,") || l.contains(",2020-02,") || l.contains(",2020-03,"))
        .collect();
    assert_eq!(
        months,
        [
            "A,张伟,2020-01,970.00",
            "A,张伟,2020-02,970.00",
            "A,张伟,2020-03,1000.00",
            "B,李娜,2020-01,1000.00",
            "B,李娜,2020-02,950.00",
            "B,李娜,2020-03,1000.00",
        ]
    );
}

#[test]
fn records_of_years_far_before() {
    // 100 years from 1921-01-01 is through 2020-12-31; from 1900, long expired.
    let text = fixture("credit.policy").replace(
        "[20.1] per serious grade C valid 3 years",
        "[20.1] per serious grade C valid 100 years",
    );
    let roster = fixture("roster.csv");
    let eval = |records: &str| {
        on_files(
            "eval",
            &text,
            &roster,
            records,
            &[
                "--as-of",
                "2020-12-31",
                "--format",
                "csv",
                "--period",
                "2020",
            ],
        )
    };
    let out = eval(&format!(
        "{HEADER}1921-01-01,serious,A,,\n1900-01-01,serious,B,,\n"
    ))
    .ok();
    assert_eq!(
        out,
        "person,name,period,total,grade,final,flags\nA,张伟,2020,1000.00,C,true,\nB,李娜,2020,1000.00,A,true,\n"
    );
    // A record of a later year is refused, as on any policy.
    let out = eval(&format!("{HEADER}2021-01-01,fault,A,10,\n"));
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(out.stderr.contains("tally::outside-year"), "{}", out.stderr);
}

#[test]
fn earlier_years_count_only_with_validity() {
    // A rule without `valid` counts its entries until the end of their own year: a record of
    // 2019 gives nothing in 2020, and aggregates read the policy's year only.
    let text = "policy \"余额\" year 2020 total 100\ncard balance\n\nrecord late \"迟到\" by person\n\nsection s \"考勤\" 100 {\n  item a \"考勤\" 100 {\n    [1] per late -5\n    [2] when count(late) >= 2: -1\n  }\n}\n\ngrades {\n  A >= 90\n  B\n}\n";
    let roster = "person,name,department\nA,张伟,办公室\n";
    let records = "date,kind,person\n2019-12-30,late,A\n2019-12-31,late,A\n2020-03-02,late,A\n";
    let out = on_files(
        "eval",
        text,
        roster,
        records,
        &["--as-of", "2020-12-31", "--format", "csv"],
    )
    .ok();
    // January and February 100, from March on 95: the year's running total; no `when` (one
    // late in 2020).
    let totals: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(totals[..3], ["100.00", "100.00", "95.00"]);
    assert_eq!(totals[12], "95.00");
    // `explain` shows the earlier year's entries as expired, not as nothing.
    let out = on_files(
        "explain",
        text,
        roster,
        records,
        &["--as-of", "2020-12-31", "--person", "A"],
    )
    .ok();
    insta::assert_snapshot!(out);
    // Without `card balance` a record of an earlier year is refused.
    let monthly = text.replace("card balance\n", "annual = sum(months) / 12\n");
    let out = on_files("eval", &monthly, roster, records, &[]);
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(
        out.stderr
            .contains("2019-12-30 is outside the policy's year 2020"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_repeat_counts_once_multiplied_from_its_own_amount() {
    // Three faults of 10 within each other's year: 10, then 20 and 20 (not 40); a fourth after
    // the third's year has ended, with the others expired: 10 again. B's fault is not A's repeat.
    let records = format!(
        "{HEADER}2019-01-10,fault,A,10,\n2019-06-01,fault,A,10,\n2020-05-01,fault,A,10,\n2020-02-01,fault,B,10,\n"
    );
    // On 2020-05-31: 2019-06-01's entry (−20, through 2020-05-31) and 2020-05-01's (−20).
    assert_eq!(year_of(&records, "2020-05-31", "A"), "960.00,A,false");
    assert_eq!(year_of(&records, "2020-06-01", "A"), "980.00,A,false");
    assert_eq!(year_of(&records, "2020-06-01", "B"), "990.00,A,false");
}

#[test]
fn a_repeat_within_an_older_window_that_outlasts_a_later_one() {
    // A fault of 50 (2 years, through 2021-01-09), a repeat of 10 within it (×2 = 20, a year
    // from its own 10: through 2020-01-31), and a fault of 10 on 2020-06-01: the second's window
    // has ended but the first's has not, so it is a repeat too. 1000 − 50 − 20 = 930.
    let records =
        format!("{HEADER}2019-01-10,fault,A,50,\n2019-02-01,fault,A,10,\n2020-06-01,fault,A,10,\n");
    assert_eq!(year_of(&records, "2020-06-30", "A"), "930.00,B,false");
}

/// A table of durations over numbers without `else` is told to add a duration, not `else: 0`
/// (which would be a validity of no time, refused in turn).
#[test]
fn a_duration_table_without_else_is_told_to_add_a_duration() {
    let text = fixture("credit.policy").replace(
        "valid { <= 40: 1 year, else: 2 years }",
        "valid { <= 40: 1 year }",
    );
    let out = in_folder(&[("credit.policy", &text)], &["check", "credit.policy"]);
    assert!(
        out.both().contains("tally::incomplete-table"),
        "{}",
        out.both()
    );
    assert!(
        out.both()
            .contains("help: add `else: 1 year` (or the duration for every number not listed)"),
        "{}",
        out.both()
    );
    assert!(!out.both().contains("else: 0"), "{}", out.both());
}

/// The same help in Chinese stays in Chinese.
#[test]
fn a_duration_table_without_else_is_told_to_add_a_duration_in_chinese() {
    let text = fixture("credit.policy").replace(
        "valid { <= 40: 1 year, else: 2 years }",
        "valid { <= 40: 1 year }",
    );
    let out = in_folder(
        &[("credit.policy", &text)],
        &["--lang", "zh", "check", "credit.policy"],
    );
    assert!(
        out.both()
            .contains("加上 `else: 1 year`（或者其他未列出的数对应的期限）"),
        "{}",
        out.both()
    );
    assert!(!out.both().contains("add `else"), "{}", out.both());
}

#[test]
fn validity_is_checked() {
    let text = fixture("credit.policy");
    assert!(check_errors(&text).is_empty(), "{:?}", check_errors(&text));
    let rule = "[20.2] per fault -points valid { <= 40: 1 year, else: 2 years } repeat * 2";
    let variants: Vec<(&str, String)> = vec![
        ("no time", text.replace(rule, "[20.2] per fault -points valid 0 years")),
        ("over 100 years", text.replace(rule, "[20.2] per fault -points valid 101 years")),
        ("over 1200 months", text.replace(rule, "[20.2] per fault -points valid 1201 months")),
        ("over 36500 days", text.replace(rule, "[20.2] per fault -points valid 36501 days")),
        ("a huge number", text.replace(rule, "[20.2] per fault -points valid 99999999999 days")),
        ("repeat zero", text.replace(rule, "[20.2] per fault -points valid 1 year repeat * 0")),
        ("repeat without valid", text.replace(rule, "[20.2] per fault -points repeat * 2")),
        ("valid twice", text.replace(rule, "[20.2] per fault -points valid 1 year valid 2 years")),
        ("no else", text.replace(rule, "[20.2] per fault -points valid { <= 40: 1 year }")),
        (
            "a value left out",
            text.replace("nation: 5 years }", "}"),
        ),
        ("unknown field", text.replace("valid level {", "valid grade_level {")),
        ("unknown value", text.replace("district: 1 year,", "county: 1 year,")),
        ("by size with no points", text.replace("grade C valid 3 years", "grade C valid { <= 40: 1 year, else: 2 years }")),
        ("a key of the wrong kind", text.replace("valid { <= 40:", "valid { city:")),
        ("on a when rule", text.replace("[20.1] per serious grade C valid 3 years", "[20.1] when count(serious) > 0: grade C valid 3 years")),
        ("a monthly card", text.replace("card balance\n", "annual = sum(months) / 12\n")),
        ("a cap over a quarter", text.replace("repeat * 2", "repeat * 2 cap 100 in quarter")),
        ("an annual formula", text.replace("card balance\n", "card balance\nannual = sum(months) / 12\n")),
        ("a month window", text.replace("[20.1] per serious grade C valid 3 years", "[20.1] per serious grade C valid 3 years\n  [9] when count(fault) in month > 3: -1")),
    ];
    let mut shown = String::new();
    for (what, variant) in &variants {
        shown.push_str(&format!("{what}:\n"));
        for e in check_errors(variant) {
            shown.push_str(&format!("  {e}\n"));
        }
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn a_validity_diagnostic_as_the_user_sees_it() {
    let text = fixture("credit.policy").replace(
        "[20.2] per fault -points valid { <= 40: 1 year, else: 2 years } repeat * 2",
        "[20.2] per fault -points valid 0 years repeat * 2",
    );
    let out = in_folder(&[("p.policy", &text)], &["check", "p.policy"]);
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!(out.stderr);
    let text = fixture("credit.policy").replace("card balance\n", "");
    let text = text.replace("total 1000\n", "total 1000\nannual = sum(months) / 12\n");
    let out = in_folder(&[("p.policy", &text)], &["check", "p.policy"]);
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn fmt_writes_validity_canonically() {
    let canonical = fixture("credit.policy");
    let messy = canonical
        .replace(
            "valid { <= 40: 1 year, else: 2 years } repeat * 2",
            "valid{<=40 :1 years ,else:2 year}repeat*2",
        )
        .replace("grade C valid 3 years", "grade C   valid 3   year")
        .replace("card balance", "card   balance");
    assert_ne!(messy, canonical);
    let formatted = tally::fmt::format(&tally::diag::Source::new("p.policy", &messy)).unwrap();
    assert_eq!(formatted, canonical);
}

#[test]
fn scenarios_give_earlier_years_and_expect_a_balance() {
    let out = common::cli(["test", &format!("{DIR}/credit.policy")]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    insta::assert_snapshot!(out.stdout);
    // The same scenario expecting the balance without the repeat's doubling fails.
    let scenario = std::fs::read_to_string(
        common::root()
            .join(DIR)
            .join("credit.tests/20-validity.scenario"),
    )
    .unwrap()
    .replace("A 2020-03  total 920", "A 2020-03  total 950");
    let dir = common::temp_dir("validity-scenario");
    common::write(&dir, "credit.policy", &fixture("credit.policy"));
    std::fs::create_dir_all(dir.join("credit.tests")).unwrap();
    common::write(&dir, "credit.tests/s.scenario", &scenario);
    let out = common::cli(["test", &dir.join("credit.policy").display().to_string()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(
        out.stdout
            .contains("A 张伟 2020-03 total: expected 950, actual 920 (-30)"),
        "{}",
        out.both()
    );
}

/// A continuing fault: its validity runs from the day it ended (第二十条 5).
const CONTINUING: &str = r#"policy "持续状态" year 2020 total 1000
card balance

record building "违法建设" by person { points: points 1..200, ended: date optional }

section credit "信用积分" 1000 {
  item score "基础分" 1000 {
    [20.5] per building -points valid 1 year from ended
  }
}

grades {
  A >= 960
  B
}
"#;

fn continuing(records: &str, as_of: &str, command: &[&str]) -> common::Out {
    let roster = "person,name,department\nA,张伟,办公室\nB,李娜,办公室\nC,王强,办公室\n";
    let mut args = vec![
        command[0],
        "p.policy",
        "--roster",
        "roster.csv",
        "--records",
        "records.csv",
        "--as-of",
        as_of,
    ];
    args.extend_from_slice(&command[1..]);
    in_folder(
        &[
            ("p.policy", CONTINUING),
            ("roster.csv", roster),
            ("records.csv", records),
        ],
        &args,
    )
}

#[test]
fn a_continuing_fault_counts_until_a_year_after_it_ended() {
    // A: a fault of 2015 not ended: it counts. B: ended 2019-03-01, so valid through
    // 2020-02-29 (the record's date, 2018, does not matter). C: ended on 2020-06-30, through
    // 2021-06-29.
    let records = "date,kind,person,points,ended\n2015-04-01,building,A,50,\n2018-01-01,building,B,50,2019-03-01\n2020-01-10,building,C,50,2020-06-30\n";
    let out = continuing(records, "2020-12-31", &["eval", "--format", "csv"]).ok();
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| {
            [",2020-02,", ",2020-03,", ",2020,"]
                .iter()
                .any(|p| l.contains(p))
        })
        .collect();
    assert_eq!(
        lines,
        [
            "A,张伟,2020-02,950.00,,true,",
            "A,张伟,2020-03,950.00,,true,",
            "A,张伟,2020,950.00,B,true,",
            "B,李娜,2020-02,950.00,,true,",
            "B,李娜,2020-03,1000.00,,true,",
            "B,李娜,2020,1000.00,A,true,",
            "C,王强,2020-02,950.00,,true,",
            "C,王强,2020-03,950.00,,true,",
            "C,王强,2020,950.00,B,true,",
        ]
    );
    let out = continuing(records, "2020-12-31", &["explain", "--person", "A"]).ok();
    insta::assert_snapshot!(out);
}

#[test]
fn a_fault_cannot_end_before_it_is_recorded() {
    let records = "date,kind,person,points,ended\n2020-03-01,building,A,50,2020-02-28\n2020-03-01,building,B,50,2020-13-01\n";
    let out = continuing(records, "2020-12-31", &["eval"]);
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!(out.stderr);
    let records = "date,kind,person,points,ended\n2020-03-01,building,A,50,2020-02-28\n";
    let out = continuing(records, "2020-12-31", &["eval"]);
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn a_date_field_is_only_read_by_valid_from() {
    let errors: Vec<String> = [
        CONTINUING.replace(
            "per building -points",
            "per building where ended > 0: -points",
        ),
        CONTINUING.replace("from ended", "from points"),
        CONTINUING.replace("from ended", "from end"),
        CONTINUING.replace(
            "card balance\n",
            "card balance\n\nroster {\n  joined: date\n}\n",
        ),
        CONTINUING.replace("ended: date optional", "ended: dates optional"),
    ]
    .iter()
    .flat_map(|t| check_errors(t))
    .collect();
    insta::assert_snapshot!(errors.join("\n"));
}

#[test]
fn diff_shows_a_changed_validity_and_whom_it_moves() {
    let old = fixture("credit.policy");
    let new = old
        .replace("grade C valid 3 years", "grade C valid 2 years")
        .replace("repeat * 2", "repeat * 3");
    let out = in_folder(
        &[
            ("old.policy", &old),
            ("new.policy", &new),
            ("roster.csv", &fixture("roster.csv")),
            ("records.csv", &fixture("records.csv")),
        ],
        &[
            "diff",
            "old.policy",
            "new.policy",
            "--roster",
            "roster.csv",
            "--records",
            "records.csv",
            "--as-of",
            "2020-12-31",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.both());
    insta::assert_snapshot!(out.stdout);
    // `card balance` is part of the policy's header.
    let monthly = old
        .replace("card balance\n", "annual = sum(months) / 12\n")
        .replace(" valid { <= 40: 1 year, else: 2 years } repeat * 2", "")
        .replace("\n      valid level { district: 1 year, city: 2 years, province: 3 years, nation: 5 years }", "")
        .replace(" valid 3 years", "");
    assert!(
        check_errors(&monthly).is_empty(),
        "{:?}",
        check_errors(&monthly)
    );
    let out = in_folder(
        &[
            ("old.policy", &monthly),
            ("new.policy", &old),
            ("roster.csv", &fixture("roster.csv")),
            (
                "records.csv",
                "date,kind,person,points,level\n2020-03-01,fault,A,30,\n",
            ),
        ],
        &[
            "diff",
            "old.policy",
            "new.policy",
            "--roster",
            "roster.csv",
            "--records",
            "records.csv",
            "--as-of",
            "2020-12-31",
        ],
    );
    assert!(out.stdout.contains("card balance"), "{}", out.both());
}

#[test]
fn tables_by_a_number_field_and_an_empty_optional_field() {
    let text = r#"policy "按字段" year 2020 total 1000
card balance

record fault "失信行为" by person { points: points 1..200, level: minor | major optional }
record honor "表彰" by person { award: text, level: number 1..5 }

section credit "信用积分" 1000 {
  item score "基础分" 1000 {
    [1] per fault -points valid level { minor: 1 month, major: 1 year }
  }
}

adjustments bonus "加分" {
  [2] per honor +10 valid level { >= 4: 3 years, else: 1 year } highest per award
}

grades {
  A >= 960
  B
}
"#;
    assert!(check_errors(text).is_empty(), "{:?}", check_errors(text));
    let roster = "person,name,department\nA,张伟,办公室\nB,李娜,办公室\n";
    // A: a minor fault of 2020-01-15 (through 02-14), a major one of 2020-01-20 (through
    // 2021-01-19); an empty `level` takes the first duration written (1 month). B: two honours
    // for one award, level 4 (three years) in 2018 and level 2 in 2020: `highest per` keeps one
    // by its points (equal), the earlier, still valid from 2018-03-01 through 2021-02-28.
    let records = "date,kind,person,points,level,award\n2020-01-15,fault,A,10,minor,\n2020-01-20,fault,A,20,major,\n2020-01-25,fault,A,5,,\n2018-03-01,honor,B,,4,先进个人\n2020-03-01,honor,B,,2,先进个人\n";
    let out = on_files(
        "eval",
        text,
        roster,
        records,
        &["--as-of", "2020-12-31", "--format", "csv"],
    )
    .ok();
    let picked: Vec<&str> = out
        .lines()
        .filter(|l| {
            [",2020-01,", ",2020-02,", ",2020,"]
                .iter()
                .any(|p| l.contains(p))
        })
        .collect();
    assert_eq!(
        picked,
        [
            "A,张伟,2020-01,965.00,,true,",
            "A,张伟,2020-02,980.00,,true,",
            "A,张伟,2020,980.00,A,true,",
            "B,李娜,2020-01,1010.00,,true,",
            "B,李娜,2020-02,1010.00,,true,",
            "B,李娜,2020,1010.00,A,true,",
        ]
    );
}

#[test]
fn highest_per_compares_the_entries_valid_on_each_day() {
    let text = r#"policy "同一奖项取最高" year 2020 total 1000
card balance

record honor "表彰" by person { award: text, level: city | nation }

section credit "信用积分" 1000 {
  item score "基础分" 1000 {
    [1] base 1000
  }
}

adjustments bonus "加分" {
  [2] per honor +level { city: 10, nation: 50 } valid level { city: 2 years, nation: 5 years }
      highest per award
}

grades {
  A >= 960
  B
}
"#;
    assert!(check_errors(text).is_empty(), "{:?}", check_errors(text));
    let roster = "person,name,department\nA,张伟,办公室\n";
    // 先进个人: national in 2015 (through 2020-05-31) and city in 2019 (through 2021-02-28): the
    // national one counts while valid, then the city one. 优秀党员: city in 2020-02.
    let records = "date,kind,person,award,level\n2015-06-01,honor,A,先进个人,nation\n2019-03-01,honor,A,先进个人,city\n2020-02-01,honor,A,优秀党员,city\n";
    let run = |as_of: &str, command: &[&str]| {
        let mut args = vec![
            command[0],
            "p.policy",
            "--roster",
            "roster.csv",
            "--records",
            "records.csv",
            "--as-of",
            as_of,
        ];
        args.extend_from_slice(&command[1..]);
        in_folder(
            &[
                ("p.policy", text),
                ("roster.csv", roster),
                ("records.csv", records),
            ],
            &args,
        )
        .ok()
    };
    let out = run("2020-12-31", &["eval", "--format", "csv"]);
    let totals: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(
        totals,
        [
            "1050.00", "1060.00", "1060.00", "1060.00", "1060.00", "1020.00", "1020.00", "1020.00",
            "1020.00", "1020.00", "1020.00", "1020.00", "1020.00"
        ]
    );
    insta::assert_snapshot!(run("2020-04-30", &["explain", "--person", "A"]));
}

#[test]
fn valid_on_a_when_rule_as_the_user_sees_it() {
    let text = fixture("credit.policy").replace(
        "[20.1] per serious grade C valid 3 years",
        "[20.1] when count(serious) > 0: grade C valid 3 years",
    );
    let out = in_folder(&[("p.policy", &text)], &["check", "p.policy"]);
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!(out.stderr);
}

/// An entry valid on no snapshot (an earlier year's, expired) is applied to nobody, so what would
/// go wrong reaching its people (a department without a head) is no problem: `explain` shows the
/// card that `eval` computes instead of failing on the entry it lists.
#[test]
fn explain_of_an_expired_entry_reaching_nobody_is_no_problem() {
    let policy = fixture("credit.policy")
        .replace("card balance\n", "card balance\n\nroster { head: bool }\n")
        .replace(
            "record serious \"严重失信\" by person\n",
            "record serious \"严重失信\" by person\nrecord warn \"警示\" by person\n",
        )
        .replace(
            "  [20.1] per serious grade C valid 3 years\n",
            "  [20.1] per serious grade C valid 3 years\n  [20.4] per warn -1 to head valid 1 month\n",
        );
    assert!(
        check_errors(&policy).is_empty(),
        "{:?}",
        check_errors(&policy)
    );
    let roster = "person,name,department,head\nA,张伟,办公室,false\nB,李娜,办公室,false\n";
    let records = format!("{HEADER}2019-01-05,warn,B,,\n");
    let run = |command: &str, more: &[&str]| {
        let mut args = vec![
            command,
            "credit.policy",
            "--roster",
            "roster.csv",
            "--records",
            "records.csv",
            "--as-of",
            "2020-12-31",
        ];
        args.extend_from_slice(more);
        in_folder(
            &[
                ("credit.policy", &policy),
                ("roster.csv", roster),
                ("records.csv", &records),
            ],
            &args,
        )
    };
    run("eval", &[]).ok();
    for person in ["A", "B"] {
        let out = run("explain", &["--person", person]).ok();
        assert!(!out.contains("no-head"), "{out}");
    }
}
