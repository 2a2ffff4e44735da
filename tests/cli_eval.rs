//! What `tally eval` prints on the Dashuipo example year, in each form and for each period, and
//! what it does with `--output`, a period outside the year and a report day before the year ends.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Out;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

const INPUTS: [&str; 5] = [
    "policies/dashuipo-2020.policy",
    "--roster",
    "policies/dashuipo-2020/roster.csv",
    "--records",
    "policies/dashuipo-2020/records",
];

fn eval(extra: &[&str]) -> Out {
    common::cli(["eval"].iter().chain(&INPUTS).chain(extra))
}

/// The output of a run that must succeed without a word on stderr.
fn ok(extra: &[&str]) -> String {
    let stdout = eval(extra).ok();
    assert!(!stdout.is_empty());
    stdout
}

/// The benchmark policy's CSV results for a roster and records written by a test.
fn eval_bench(roster: &Path, records: &Path) -> Out {
    let policy = Path::new("examples/bench/bench.policy");
    let args = ["eval", "--format", "csv"].map(OsStr::new);
    let inputs = [
        OsStr::new("--roster"),
        roster.as_os_str(),
        OsStr::new("--records"),
        records.as_os_str(),
    ];
    common::cli(args.into_iter().chain([policy.as_os_str()]).chain(inputs))
}

/// CSV rows as cells, the header row first.
fn cells(csv: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_table() {
    insta::assert_snapshot!(ok(&["--as-of", "2021-01-05", "--format", "table"]));
}

#[test]
fn csv_of_one_month() {
    let csv = ok(&[
        "--as-of",
        "2021-01-05",
        "--format",
        "csv",
        "--period",
        "2020-03",
    ]);
    let rows = cells(&csv);
    assert_eq!(
        rows[0],
        [
            "person", "name", "period", "total", "grade", "final", "flags"
        ]
    );
    assert_eq!(rows.len(), 1 + 20, "one row per person");
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[2] == "2020-03" && r[4].is_empty())
    );
    insta::assert_snapshot!(csv);
}

#[test]
fn json_of_the_year() {
    let json = ok(&[
        "--as-of",
        "2021-01-05",
        "--format",
        "json",
        "--period",
        "2020",
    ]);
    let _: serde_json::Value = serde_json::from_str(&json).unwrap();
    insta::assert_snapshot!(json);
}

#[test]
fn a_period_outside_the_year_cannot_run() {
    let out = eval(&["--as-of", "2021-01-05", "--period", "2020-13"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    insta::assert_snapshot!(out.stderr);
}

/// Records dated after the report day have not happened as of that day: they are listed
/// (`file:line`) and nothing is computed, rather than counted early. The day itself counts.
#[test]
fn records_dated_after_the_report_day_are_an_error() {
    for (as_of, listed) in [
        ("2020-06-30", "2020-07.csv:2, :3"),
        ("2020-11-30", "2020-12.csv:2, :3"),
        ("2020-12-23", "2020-year-end.csv:2, :3"),
    ] {
        let out = eval(&["--as-of", as_of]);
        assert_eq!(out.code, Some(1), "{as_of}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{}", out.stdout);
        assert!(
            out.stderr.contains(listed) && out.stderr.contains("dated after the report day"),
            "{as_of}: {}",
            out.stderr
        );
    }
    insta::assert_snapshot!(eval(&["--as-of", "2020-06-30"]).stderr);
    // One record, on the day after the report day; on the day itself it counts.
    let temp = TempDir(common::temp_dir("as-of"));
    let records = common::write(&temp.0, "r.csv", "date,kind,person\n2020-03-02,late,D01\n");
    let run = |as_of: &str| {
        common::cli([
            "eval",
            INPUTS[0],
            INPUTS[1],
            INPUTS[2],
            INPUTS[3],
            records.to_str().unwrap(),
            "--as-of",
            as_of,
            "--format",
            "csv",
        ])
    };
    let before = run("2020-03-01");
    assert_eq!(before.code, Some(1), "{}", before.stderr);
    assert!(
        before
            .stderr
            .contains("1 record is dated after the report day 2020-03-01")
    );
    assert!(before.stderr.contains("r.csv:2"), "{}", before.stderr);
    run("2020-03-02").ok();
}

/// A report day before the policy's year has begun has no results to give.
#[test]
fn a_report_day_before_the_year_is_an_error() {
    for as_of in ["2019-12-31", "2019-06-30", "1970-01-01"] {
        let temp = TempDir(common::temp_dir("before"));
        let records = common::write(&temp.0, "r.csv", "date,kind,person\n");
        let out = common::cli([
            "eval",
            INPUTS[0],
            INPUTS[1],
            INPUTS[2],
            INPUTS[3],
            records.to_str().unwrap(),
            "--as-of",
            as_of,
        ]);
        assert_eq!(out.code, Some(1), "{as_of}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{}", out.stdout);
        assert!(
            out.stderr
                .contains(&format!("the report day {as_of} is before 2020")),
            "{}",
            out.stderr
        );
    }
    insta::assert_snapshot!(eval(&["--as-of", "2019-12-31"]).stderr);
}

/// A temporary folder, removed when the test ends, whether it passes or not.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `--output` writes the file whole and prints nothing; what it writes is what csv prints, which
/// is also what a run whose output is not a terminal prints by default.
#[test]
fn output_to_a_file() {
    let temp = TempDir(common::temp_dir("output"));
    let dir = &temp.0;
    let path = dir.join("scores.csv");
    let out = eval(&[
        "--as-of",
        "2021-01-05",
        "--format",
        "csv",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let written = std::fs::read_to_string(&path).unwrap();
    let printed = ok(&["--as-of", "2021-01-05", "--format", "csv"]);
    // The file starts with a byte-order mark, so that Excel reads its Chinese as UTF-8.
    assert_eq!(written, format!("\u{feff}{printed}"));
    assert_eq!(ok(&["--as-of", "2021-01-05"]), printed);
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        [std::ffi::OsString::from("scores.csv")],
        "no temporary file left"
    );
}

/// On 30 June the year-window values (ratings, assessments, the year's leave) are provisional, so
/// no result is final yet; with every record already in, the numbers are those of the full year.
#[test]
fn before_the_year_is_over_nothing_is_final() {
    // The records of the first half year, as they stand at its end and once the year is over
    // (without the year-end facts the year is not final either).
    let half = |as_of: &str| {
        let months = (1..=6).map(|m| format!("policies/dashuipo-2020/records/2020-{m:02}.csv"));
        let args: Vec<String> = ["eval", INPUTS[0], INPUTS[1], INPUTS[2], INPUTS[3]]
            .map(String::from)
            .into_iter()
            .chain(months)
            .chain(["--as-of", as_of, "--format", "csv"].map(String::from))
            .collect();
        common::cli(&args).ok()
    };
    let early = half("2020-06-30");
    let late = half("2021-01-05");
    let (early_rows, late_rows) = (cells(&early), cells(&late));
    assert_eq!(early_rows.len(), 1 + 20 * 13);
    assert_eq!(early_rows.len(), late_rows.len());
    for (e, l) in early_rows[1..].iter().zip(&late_rows[1..]) {
        assert_eq!(e[5], "false", "{e:?}");
        // Without the year-end facts the year is not final after it is over either.
        assert_eq!(l[5], "false", "{l:?}");
        assert_eq!(
            (&e[..5], &e[6]),
            (&l[..5], &l[6]),
            "only `final` may differ"
        );
    }
    insta::assert_snapshot!(early);
}

#[test]
fn a_district_sized_roster_is_written_whole_and_in_roster_order() {
    // More people than one slice of the CSV writer holds, so that several slices are joined.
    let dir = common::temp_dir("district");
    let people = 40_000;
    let mut roster = String::from("person,name,department,role,head,temporary\n");
    // Listed in an order that is not sorted, to see that the output keeps the roster's.
    for i in (0..people).rev() {
        roster.push_str(&format!(
            "Q{i:05},干部{i},部门{},包村干部,false,false\n",
            i % 50
        ));
    }
    let roster_path = dir.join("roster.csv");
    std::fs::write(&roster_path, roster).unwrap();
    let records = dir.join("records.csv");
    std::fs::write(
        &records,
        "date,kind,person,days,hours\n2020-03-02,late,Q00007,,\n2020-05-06,hygiene_fail,Q39999,,\n",
    )
    .unwrap();
    let out = eval_bench(&roster_path, &records);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows = cells(&out.stdout);
    assert_eq!(
        rows[0].join(","),
        "person,name,period,total,grade,final,flags"
    );
    assert_eq!(
        rows.len(),
        1 + people * 13,
        "12 months and the year per person"
    );
    for (n, i) in (0..people).rev().enumerate() {
        let id = format!("Q{i:05}");
        let mine = &rows[1 + n * 13..1 + (n + 1) * 13];
        assert!(mine.iter().all(|r| r[0] == id), "rows of {id} out of place");
        assert_eq!(mine[12][2], "2020");
    }
    // The two records land on their people: 200 − 5 in the month, the year (11 × 200 + 195) / 12.
    let find = |id: &str, period: &str| {
        rows.iter()
            .find(|r| r[0] == id && r[2] == period)
            .map(|r| r[3].clone())
            .unwrap()
    };
    assert_eq!(find("Q00007", "2020-03"), "195.00");
    assert_eq!(find("Q00007", "2020"), "199.58");
    assert_eq!(find("Q39999", "2020-05"), "195.00");
}

#[test]
fn a_file_large_enough_to_read_on_several_threads_gives_exact_results_and_ordered_errors() {
    // Over 8 MB of records, so that they are read on every processor and the partial sums merged.
    let dir = common::temp_dir("threads");
    let mut roster = String::from("person,name,department,role,head,temporary\n");
    for i in 0..2_000 {
        roster.push_str(&format!(
            "P{i:04},干部{i},部门{},包村干部,false,false\n",
            i % 20
        ));
    }
    let roster_path = dir.join("roster.csv");
    std::fs::write(&roster_path, roster).unwrap();
    let rows = 320_000;
    let mut records = String::with_capacity(rows * 32);
    records.push_str("date,kind,person,days,hours\n");
    for n in 0..rows {
        // P0001 is late three times in March: first, middle and last row of the file. P0000 takes
        // one day of personal leave every 20 000 rows: 16 days in the year, one over the limit.
        if n == 0 || n == rows / 2 || n == rows - 1 {
            records.push_str("2020-03-10,late,P0001,,\n");
        } else if n % 20_000 == 10_000 {
            records.push_str("2020-05-04,personal_leave,P0000,1,\n");
        } else {
            let p = 2 + n % 1_998;
            let month = 1 + n % 12;
            records.push_str(&format!("2020-{month:02}-01,meeting_breach,P{p:04},,\n"));
        }
    }
    assert!(records.len() > 8 << 20, "{} bytes", records.len());
    let records_path = dir.join("records.csv");
    std::fs::write(&records_path, &records).unwrap();
    let out = eval_bench(&roster_path, &records_path);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows_out = cells(&out.stdout);
    let find = |id: &str, period: &str| {
        rows_out
            .iter()
            .find(|r| r[0] == id && r[2] == period)
            .map(|r| r[3].clone())
            .unwrap()
    };
    // 200 − 3 × 5 in March; the year (11 × 200 + 185) / 12 = 198.75.
    assert_eq!(find("P0001", "2020-03"), "185.00");
    assert_eq!(find("P0001", "2020"), "198.75");
    // Every one of P0000's 16 days counts, whichever thread read it: 16 > 15 takes 20 points in
    // every month (one day lost would leave 200).
    for period in ["2020-01", "2020-05", "2020-12", "2020"] {
        assert_eq!(find("P0000", period), "180.00", "{period}");
    }

    // Two bad rows far apart: both reported, in line order, and nothing on standard output.
    let bad = records
        .replacen("2020-03-10,late,P0001,,\n", "2020-03-10,lat,P0001,,\n", 1)
        .replace(
            "2020-03-10,late,P0001,,\n2020",
            "2020-03-10,late,P9999,,\n2020",
        );
    let bad_path = dir.join("bad.csv");
    std::fs::write(&bad_path, bad).unwrap();
    let out = eval_bench(&roster_path, &bad_path);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, Some(1));
    assert!(out.stdout.is_empty());
    let stderr = out.stderr;
    let first = stderr.find("bad.csv:2:").expect(&stderr);
    let second = stderr
        .find(&format!("bad.csv:{}:", rows / 2 + 2))
        .expect(&stderr);
    assert!(first < second, "{stderr}");
}
