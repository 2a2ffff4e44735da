//! Bad records and rosters: every problem names `file:line` and the column, with a did-you-mean
//! where a name was misspelt; the command exits 1 (2 when a file is missing) and prints no results.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

const ROSTER: &str = "person,name,department,role,head,temporary
D01,王建国,党政办公室,包片委员,true,false
D02,李秀英,党政办公室,包村干部,false,false
D05,陈志强,经济发展办公室,项目服务人员,true,false
";

const HEADER: &str = "date,kind,person,department,days,score,rater,note\n";

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `tally eval` on the Dashuipo policy with this roster and these record files.
fn eval(roster: &str, records: &[(&str, &[u8])]) -> Outcome {
    let dir = common::temp_dir("bad");
    std::fs::write(dir.join("roster.csv"), roster).unwrap();
    std::fs::create_dir_all(dir.join("records")).unwrap();
    for (name, bytes) in records {
        std::fs::write(dir.join("records").join(name), bytes).unwrap();
    }
    let out = run_in(&dir, &["--roster", "roster.csv", "--records", "records"]);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn run_in(dir: &Path, args: &[&str]) -> Outcome {
    let policy = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/dashuipo-2020.policy");
    let out = Command::new(env!("CARGO_BIN_EXE_tally"))
        .arg("eval")
        .arg(&policy)
        .args(args)
        .args(["--format", "csv", "--as-of", "2021-01-05"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// One file of records under the usual header; asserts the run failed with nothing printed.
fn rejected(rows: &str) -> String {
    let text = format!("{HEADER}{rows}");
    rejected_files(ROSTER, &[("2020-03.csv", text.as_bytes())])
}

fn rejected_files(roster: &str, records: &[(&str, &[u8])]) -> String {
    let out = eval(roster, records);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stdout.is_empty(),
        "no results on bad input: {}",
        out.stdout
    );
    out.stderr
}

#[test]
fn unknown_kind_with_did_you_mean() {
    insta::assert_snapshot!(rejected("2020-03-02,lat,D01,,,,,\n"));
}

#[test]
fn unknown_person_and_department() {
    insta::assert_snapshot!(rejected(
        "2020-03-02,late,D1,,,,,\n2020-03-03,honor,,党政办,,,,\n"
    ));
}

#[test]
fn bad_dates_and_a_date_outside_the_year() {
    insta::assert_snapshot!(rejected(
        "2020-13-01,late,D01,,,,,\n2020-02-30,late,D01,,,,,\nyesterday,late,D01,,,,,\n2019-12-31,late,D01,,,,,\n"
    ));
}

#[test]
fn fields_missing_out_of_range_of_the_wrong_type_or_not_whole() {
    insta::assert_snapshot!(rejected(
        "2020-03-02,personal_leave,D01,,,,,\n\
         2020-03-02,peer_rating,D01,,,120,leader,\n\
         2020-03-03,personal_leave,D01,,two,,,\n\
         2020-03-04,personal_leave,D01,,1.5,,,\n\
         2020-03-05,peer_rating,D01,,,90,leadr,\n"
    ));
}

#[test]
fn a_value_in_a_field_the_kind_does_not_have() {
    insta::assert_snapshot!(rejected("2020-03-02,late,D01,,2,,,\n"));
}

#[test]
fn whom_a_record_names() {
    insta::assert_snapshot!(rejected(
        "2020-03-02,late,,党政办公室,,,,\n2020-03-02,honor,D01,,,,,\n2020-03-02,late,D01,经济发展办公室,,,,\n"
    ));
}

#[test]
fn header_problems() {
    let bad = "date,kind,person,huors\n2020-03-02,late,D01,\n";
    let no_date = "kind,person\nlate,D01\n";
    insta::assert_snapshot!(rejected_files(
        ROSTER,
        &[("a.csv", bad.as_bytes()), ("b.csv", no_date.as_bytes())]
    ));
}

#[test]
fn a_row_longer_than_the_header() {
    insta::assert_snapshot!(rejected("2020-03-02,late,D01,,,,,,extra\n"));
}

#[test]
fn a_file_saved_as_gbk() {
    // "迟到" in GBK.
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"2020-03-02,\xb3\xd9\xb5\xbd,D01,,,,,\n");
    insta::assert_snapshot!(rejected_files(ROSTER, &[("gbk.csv", &bytes)]));
}

#[test]
fn roster_problems() {
    let roster = "person,name,department,role,head,temporary
D01,王建国,党政办公室,包片委员,true,false
D01,李秀英,党政办公室,包村干部,false,false
D05,陈志强,经济发展办公室,项目服务员,maybe,false
D06,,经济发展办公室,片长,false,false
";
    let records = format!("{HEADER}2020-03-02,late,D01,,,,,\n");
    insta::assert_snapshot!(rejected_files(roster, &[("r.csv", records.as_bytes())]));
}

#[test]
fn roster_header_problems() {
    let roster =
        "person,name,dept,role,head,temporary,grade\nD01,王建国,党政办公室,包片委员,true,false,\n";
    let records = format!("{HEADER}2020-03-02,late,D01,,,,,\n");
    insta::assert_snapshot!(rejected_files(roster, &[("r.csv", records.as_bytes())]));
}

#[test]
fn two_heads_in_one_department() {
    let roster = "person,name,department,role,head,temporary
D01,王建国,党政办公室,包片委员,true,false
D02,李秀英,党政办公室,包村干部,是,否
";
    let records = format!("{HEADER}2020-03-02,late,D01,,,,,\n");
    insta::assert_snapshot!(rejected_files(roster, &[("r.csv", records.as_bytes())]));
}

#[test]
fn many_problems_are_listed_up_to_fifty_then_counted() {
    let rows: String = (0..80).map(|_| "2020-03-02,lat,D01,,,,,\n").collect();
    let err = rejected(&rows);
    assert_eq!(
        err.matches("unknown record kind `lat`").count(),
        50,
        "{err}"
    );
    assert!(err.contains("and 30 more problems"), "{err}");
}

#[test]
fn problems_in_several_files_are_all_reported_in_file_order() {
    let a = format!("{HEADER}2020-03-02,lat,D01,,,,,\n");
    let b = format!("{HEADER}2020-04-02,late,D9,,,,,\n");
    let err = rejected_files(ROSTER, &[("b.csv", b.as_bytes()), ("a.csv", a.as_bytes())]);
    let (ia, ib) = (err.find("a.csv:2").unwrap(), err.find("b.csv:2").unwrap());
    assert!(ia < ib, "{err}");
}

#[test]
fn missing_roster_or_records_cannot_run() {
    let dir = common::temp_dir("missing");
    std::fs::write(dir.join("roster.csv"), ROSTER).unwrap();
    let no_records = run_in(&dir, &["--roster", "roster.csv", "--records", "nowhere"]);
    assert_eq!(no_records.code, Some(2), "{}", no_records.stderr);
    assert!(no_records.stdout.is_empty());
    std::fs::write(dir.join("r.csv"), HEADER).unwrap();
    let no_roster = run_in(&dir, &["--roster", "nobody.csv", "--records", "r.csv"]);
    assert_eq!(no_roster.code, Some(2), "{}", no_roster.stderr);
    insta::assert_snapshot!(format!("{}{}", no_records.stderr, no_roster.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Not problems: a byte-order mark, blank lines, kinds by their Chinese label, dates as a
/// spreadsheet writes them, `是`/`否` in the roster. The one late arrival costs 5 points.
#[test]
fn what_spreadsheets_write_is_accepted() {
    let roster = "person,name,department,role,head,temporary
D01,王建国,党政办公室,包片委员,是,否
";
    let mut records = b"\xEF\xBB\xBF".to_vec();
    records.extend_from_slice(
        format!("{HEADER}\n2020/3/2,迟到,D01,,,,,早上堵车\n,,,,,,,\n").as_bytes(),
    );
    let dir = common::temp_dir("ok");
    std::fs::write(dir.join("roster.csv"), roster).unwrap();
    std::fs::write(dir.join("r.csv"), &records).unwrap();
    let out = run_in(&dir, &["--roster", "roster.csv", "--records", "r.csv"]);
    let _ = std::fs::remove_dir_all(&dir);
    // Year facts are missing, so results are not final, but they are computed.
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let march = out
        .stdout
        .lines()
        .find(|l| l.starts_with("D01,王建国,2020-03,"))
        .unwrap();
    let february = out
        .stdout
        .lines()
        .find(|l| l.starts_with("D01,王建国,2020-02,"))
        .unwrap();
    let total = |l: &str| common::d(l.split(',').nth(3).unwrap());
    assert_eq!(
        total(february) - total(march),
        common::d("5"),
        "{}",
        out.stdout
    );
}
