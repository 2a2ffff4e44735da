//! A yearly card's carry (docs/language.md §31; 文登区农村居民信用积分 第三十条): `valid until FIELD`
//! with no duration on a `card year` policy counts an earlier year's record on this year's card,
//! at its full value, while its fault is uncorrected; corrected in an earlier year, it counts
//! nothing; its `corrected` day is checked as on a balance card.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{check_errors, in_folder};
use proptest::prelude::*;

const DIR: &str = "tests/fixtures/carry";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(common::root().join(DIR).join(name)).unwrap()
}

/// `tally COMMAND` of the fixture policy on its roster and the three years' records, as of
/// 2021-01-05, with `more` arguments; what it printed has the fixture folder written `DIR/`.
fn tally(command: &str, more: &[&str]) -> common::Out {
    let mut args: Vec<String> = vec![command.into(), format!("{DIR}/carry.policy")];
    for a in ["--roster", &format!("{DIR}/roster.csv")] {
        args.push(a.into());
    }
    for year in ["2018", "2019", "2020"] {
        args.push("--records".into());
        args.push(format!("{DIR}/{year}.csv"));
    }
    args.extend(["--as-of".into(), "2021-01-05".into()]);
    args.extend(more.iter().map(|a| a.to_string()));
    let mut out = common::cli(args);
    out.stdout = out.stdout.replace(&format!("{DIR}/"), "DIR/");
    out.stderr = out.stderr.replace(&format!("{DIR}/"), "DIR/");
    out
}

#[test]
fn the_class_of_corrections_by_hand() {
    // A: 2019's building not corrected: −50 carried; 2020's damage corrected in 2020: −10 (the
    //    year's own record counts its year whatever its correction); his lateness of 2018 and
    //    2019 has no carry and counts nothing: 940, B.
    // B: 2019's building corrected 2019-10-01 ended with 2019; 2020's building −50: 950, B.
    // C: 2019's damage corrected 2020-06-01: carried into 2020, the year of its correction: −10:
    //    990, B (not above 990).
    // D: two buildings not corrected, of 2018 and of 2019, both carried: −100: 900, C.
    // E: 2018's damage corrected 2019-03-01 ended with 2019; 2020's lateness −1: 999, A.
    let out = tally("eval", &["--format", "csv"]).ok();
    assert_eq!(
        out,
        "person,name,period,total,grade,final,flags\n\
         A,甲,2020,940.00,B,true,\n\
         B,乙,2020,950.00,B,true,\n\
         C,丙,2020,990.00,B,true,\n\
         D,丁,2020,900.00,C,true,\n\
         E,戊,2020,999.00,A,true,\n"
    );
}

#[test]
fn explain_marks_each_carried_record_and_those_not_carried() {
    let mut shown = String::new();
    for person in ["A", "C", "D", "E"] {
        shown.push_str(&tally("explain", &["--person", person]).ok());
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn explain_in_chinese() {
    let mut shown = tally("explain", &["--person", "D", "--lang", "zh"]).ok();
    shown.push_str(&tally("explain", &["--person", "E", "--lang", "zh"]).ok());
    insta::assert_snapshot!(shown);
}

#[test]
fn explain_json_says_where_a_carried_record_is_from() {
    let out = tally("explain", &["--person", "C", "--format", "json"]).ok();
    let tree: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rule = &tree["children"][1]["children"][0];
    assert_eq!(rule["clause"], "0.2.8.5");
    let carried = &rule["children"][0];
    assert_eq!(carried["carried_from"], "2019-07-01", "{out}");
    assert_eq!(carried["records"][0], "DIR/2019.csv:4", "{out}");
    // Nothing else is marked.
    assert_eq!(out.matches("carried_from").count(), 1, "{out}");
}

/// A `corrected` day before the record's date, after the report day (a day not come yet), or not
/// a day, at its line.
#[test]
fn corrections_that_cannot_be_are_refused() {
    let records = "date,kind,person,corrected\n\
                   2019-05-10,building,A,2019-04-01\n\
                   2019-06-01,damage,B,2021-05-01\n\
                   2020-02-01,damage,C,2020-01-01\n";
    let files = [
        ("p.policy", fixture("carry.policy")),
        ("roster.csv", fixture("roster.csv")),
        ("records.csv", records.to_string()),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let args = [
        "eval",
        "p.policy",
        "--roster",
        "roster.csv",
        "--records",
        "records.csv",
        "--as-of",
        "2021-03-01",
    ];
    let out = in_folder(&files, &args);
    assert_eq!(out.code, Some(1), "{}", out.both());
    let mut zh = vec!["--lang", "zh"];
    zh.extend(args);
    let out_zh = in_folder(&files, &zh);
    insta::assert_snapshot!(format!("{}\n{}", out.stderr, out_zh.stderr));
    // Not a day at all: refused as it is read, like any date.
    let bad = "date,kind,person,corrected\n2019-03-01,building,D,2020-13-01\n";
    let files = [files[0], files[1], ("records.csv", bad)];
    let out = in_folder(&files, &args);
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(
        out.stderr.contains(
            "records.csv:2: column `corrected`: `2020-13-01` is not a date [tally::bad-date]"
        ),
        "{}",
        out.both()
    );
}

/// Without a rule that carries, a yearly card still refuses an earlier year's record.
#[test]
fn a_yearly_card_without_a_carry_refuses_earlier_years() {
    let policy = fixture("carry.policy")
        .replace(" valid until corrected", "")
        .replace(
            "card year",
            "card year\n# no carry: earlier years belong to their own policies",
        );
    let out = in_folder(
        &[
            ("p.policy", &policy),
            ("roster.csv", &fixture("roster.csv")),
            ("2019.csv", &fixture("2019.csv")),
        ],
        &[
            "eval",
            "p.policy",
            "--roster",
            "roster.csv",
            "--records",
            "2019.csv",
        ],
    );
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(out.stderr.contains("tally::outside-year"), "{}", out.both());
}

#[test]
fn check_refuses_what_it_cannot_compute() {
    let text = fixture("carry.policy");
    assert!(check_errors(&text).is_empty(), "{:?}", check_errors(&text));
    let rule = "[0.2.3.2] per building -50 valid until corrected";
    let with = |r: &str| text.replace(rule, r);
    let variants: Vec<(&str, String)> = vec![
        (
            "not a date",
            text.replace(
                "record building \"违法建设拒不拆除\" by person { corrected: date optional }",
                "record building \"违法建设拒不拆除\" by person { corrected: bool }",
            ),
        ),
        (
            "unknown field",
            with("[0.2.3.2] per building -50 valid until fixed"),
        ),
        (
            "a monthly card",
            text.replace("card year\n", "annual = sum(months) / 12\n"),
        ),
        (
            "a quarterly card",
            text.replace("card year\n", "card quarter\nannual = mean(quarters)\n"),
        ),
        (
            "a balance card",
            text.replace("card year\n", "card balance\n"),
        ),
        ("with repeat", with(&format!("{rule} repeat * 2"))),
        (
            "in a once group",
            with(&format!("{rule} once act")).replace(
                "section basis",
                "once act \"一个行为\" in year\n\nsection basis",
            ),
        ),
        (
            "highest per",
            with("[0.2.3.2] per building -50 highest per corrected valid until corrected"),
        ),
        (
            "a direct grade",
            with("[0.2.3.2] per building grade C valid until corrected"),
        ),
        (
            "a duration on a yearly card",
            with("[0.2.3.2] per building -50 valid 1 year until corrected"),
        ),
        (
            "on a when rule",
            text.replace(
                "[0.2.9.1] per late -1",
                "[0.2.9.1] when count(late) in year > 3: -1 valid until corrected",
            ),
        ),
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
fn carry_diagnostics_as_a_user_sees_them_in_english_and_chinese() {
    let text = fixture("carry.policy");
    let mut shown = String::new();
    for variant in [
        text.replace("card year\n", "annual = sum(months) / 12\n"),
        text.replace("card year\n", "card balance\n"),
        text.replace(
            "[0.2.3.2] per building -50 valid until corrected",
            "[0.2.3.2] per building grade C valid until corrected repeat * 2",
        ),
        text.replace(
            "by person { corrected: date optional }\nrecord damage",
            "by person { corrected: text optional }\nrecord damage",
        ),
    ] {
        for lang in ["en", "zh"] {
            let out = in_folder(
                &[("p.policy", &variant)],
                &["--lang", lang, "check", "p.policy"],
            );
            assert_eq!(out.code, Some(1), "{}", out.both());
            shown.push_str(&out.stderr);
        }
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn fmt_writes_a_carry_canonically() {
    let canonical = fixture("carry.policy");
    let messy = canonical.replace("valid until corrected", "valid   until    corrected");
    assert_ne!(messy, canonical);
    let formatted = tally::fmt::format(&tally::diag::Source::new("p.policy", &messy)).unwrap();
    assert_eq!(formatted, canonical);
    let out = common::cli(["check", "--deny-warnings", &format!("{DIR}/carry.policy")]);
    assert_eq!(out.code, Some(0), "{}", out.both());
}

const POLICY: &str = r#"policy "顺延" year 2020 total 1000
card year

record fault "未整改" by person { corrected: date optional }

section basis "基础分" 1000 {
  item basis "基础分" 1000 {
    [23] base 1000
  }
}

adjustments fault "失信" {
  [30] per fault -7 valid until corrected
}

grades {
  A >= 1000
  B
}
"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any records of 2016 to 2020, each corrected on or after its date and by the report day
    /// (2021-01-01), or not at all: the card counts −7 for each record of 2020, and for each
    /// earlier one not corrected or corrected in 2020 or after; none other.
    #[test]
    fn an_earlier_record_counts_exactly_while_uncorrected_in_the_year(
        records in proptest::collection::vec(
            (2016i32..=2020, 1u32..=365, proptest::option::of(0u32..=1800)),
            0..12,
        )
    ) {
        let mut csv = String::from("date,kind,person,corrected\n");
        let mut counted = 0;
        for (year, day, after) in &records {
            let date = chrono_like(*year, *day);
            // Corrected by the report day, 2021-01-01 (a correction after it is refused).
            let corrected = after.map(|a| add_days(date, a)).filter(|c| *c <= (2021, 1, 1));
            let text = corrected.map_or(String::new(), show);
            csv.push_str(&format!("{},fault,A,{text}\n", show(date)));
            if *year == 2020 || corrected.is_none_or(|c| c.0 >= 2020) {
                counted += 1;
            }
        }
        let run = common::run(POLICY, "person,name,department\nA,甲,村\n", &csv);
        prop_assert_eq!(run.annual("A"), common::d(&(1000 - 7 * counted).to_string()));
    }
}

/// Day `n` (1-based, at most 365) of a year, as (year, month, day).
fn chrono_like(year: i32, n: u32) -> (i32, u32, u32) {
    add_days((year, 1, 1), n - 1)
}

/// A day `n` days after another.
fn add_days((mut y, mut m, mut d): (i32, u32, u32), n: u32) -> (i32, u32, u32) {
    for _ in 0..n {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        d += 1;
        if d > days[(m - 1) as usize] {
            d = 1;
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
    }
    (y, m, d)
}

fn show((y, m, d): (i32, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// An earlier year's record naming someone no longer on the roster is refused, never dropped; its
/// help says how to keep a person who has left: on the roster, excluded from the year.
#[test]
fn an_earlier_record_of_someone_not_on_the_roster_is_refused_with_advice() {
    let records = "date,kind,person,corrected\n2019-05-10,building,X,\n";
    let files = [
        ("p.policy", fixture("carry.policy")),
        ("roster.csv", fixture("roster.csv")),
        ("records.csv", records.to_string()),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let args = [
        "eval",
        "p.policy",
        "--roster",
        "roster.csv",
        "--records",
        "records.csv",
    ];
    let out = in_folder(&files, &args);
    assert_eq!(out.code, Some(1), "{}", out.both());
    let mut zh = vec!["--lang", "zh"];
    zh.extend(args);
    let out_zh = in_folder(&files, &zh);
    insta::assert_snapshot!(format!("{}\n{}", out.stderr, out_zh.stderr));
}

/// A correction after the year, known by the report day: the fault was uncorrected through the
/// year, and is carried into it (and would be into the next, the year of its correction).
#[test]
fn a_correction_after_the_year_and_before_the_report_day_carries_the_fault() {
    let records = "date,kind,person,corrected\n2019-05-10,building,A,2021-01-03\n";
    let files = [
        ("p.policy", fixture("carry.policy")),
        ("roster.csv", fixture("roster.csv")),
        ("records.csv", records.to_string()),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let run = |command: &str, more: &[&str]| {
        let mut args = vec![
            command,
            "p.policy",
            "--roster",
            "roster.csv",
            "--records",
            "records.csv",
            "--as-of",
            "2021-01-05",
        ];
        args.extend_from_slice(more);
        in_folder(&files, &args)
    };
    let out = run("eval", &["--format", "csv"]).ok();
    assert!(out.contains("\nA,甲,2020,950.00,B,true,\n"), "{out}");
    let out = run("explain", &["--person", "A"]).ok();
    assert!(
        out.contains("carried from 2019 (its record of 2019-05-10), corrected 2021-01-03: counts through 2021"),
        "{out}"
    );
}
