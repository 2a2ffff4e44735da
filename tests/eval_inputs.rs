//! `tally eval` on records and rosters that do not fit the Dashuipo policy: every problem names
//! `file:line` and the column, with a did-you-mean where a name was misspelt; the run exits 1 (2
//! when a file or folder is missing) and prints no results. What spreadsheets write (Chinese kind
//! labels, `2020/3/2`, a byte-order mark, blank lines, `是`/`否`) is accepted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

const POLICY: &str = "policies/dashuipo-2020.policy";

const ROSTER: &str = "person,name,department,role,head,temporary
D01,王建国,党政办公室,包片委员,true,false
D02,李秀英,党政办公室,包村干部,false,false
D05,陈志强,经济发展办公室,项目服务人员,true,false
";

/// Enough columns for every kind the cases use.
const HEADER: &str = "date,kind,person,department,days,score,rater,level,award,note\n";

/// A temporary folder with a roster and record files, and what `tally eval` made of them.
struct Case {
    dir: PathBuf,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `stderr` with the temporary folder written as `[TMP]` and `/` between folders everywhere.
fn scrub(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[TMP]")
        .replace('\\', "/")
}

/// Writes `roster.csv` and the record files under `records/`, then runs `tally eval` from the
/// crate root on them with `args` (paths relative to the temporary folder are made absolute).
fn run(roster: Option<&[u8]>, records: &[(&str, &[u8])], args: &[&str]) -> Case {
    let dir = common::temp_dir("inputs");
    if let Some(roster) = roster {
        std::fs::write(dir.join("roster.csv"), roster).unwrap();
    }
    if !records.is_empty() {
        std::fs::create_dir_all(dir.join("records")).unwrap();
    }
    for (name, bytes) in records {
        std::fs::write(dir.join("records").join(name), bytes).unwrap();
    }
    let mut cmd = common::tally_command();
    cmd.arg("eval").arg(POLICY);
    for arg in args {
        match arg.strip_prefix('@') {
            Some(rel) => cmd.arg(dir.join(rel)),
            None => cmd.arg(arg),
        };
    }
    let out = cmd
        .args(["--format", "csv", "--as-of", "2021-01-05"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Case {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: scrub(&String::from_utf8_lossy(&out.stderr), &dir),
        dir,
    }
}

/// The usual roster and a folder of record files.
fn eval(roster: &str, records: &[(&str, &[u8])]) -> Case {
    run(
        Some(roster.as_bytes()),
        records,
        &["--roster", "@roster.csv", "--records", "@records"],
    )
}

/// Asserts the run failed on its inputs with nothing printed; returns what it said.
fn rejected_with(case: &Case, code: i32) -> String {
    assert_eq!(case.code, Some(code), "{}", case.stderr);
    assert!(
        case.stdout.is_empty(),
        "no results on bad input:\n{}",
        case.stdout
    );
    assert!(!case.stderr.is_empty());
    case.stderr.clone()
}

/// Rows under the usual header in one file, `records/2020-03.csv`.
fn rows(rows: &str) -> String {
    let text = format!("{HEADER}{rows}");
    rejected_with(&eval(ROSTER, &[("2020-03.csv", text.as_bytes())]), 1)
}

/// A roster with problems, and one valid record.
fn roster(roster: &str) -> String {
    let records = format!("{HEADER}2020-03-02,late,D01,,,,,,,\n");
    rejected_with(&eval(roster, &[("2020-03.csv", records.as_bytes())]), 1)
}

/// D01's March total less his February total, on records accepted as they are.
fn march_cost(roster: &str, records: &[(&str, &[u8])]) -> tally::exact::Exact {
    let case = eval(roster, records);
    assert_eq!(case.code, Some(0), "{}", case.stderr);
    assert!(case.stderr.is_empty(), "{}", case.stderr);
    let total = |period: &str| {
        let prefix = format!("D01,王建国,{period},");
        let line = case
            .stdout
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no {period} row:\n{}", case.stdout));
        common::d(line.split(',').nth(3).unwrap())
    };
    total("2020-02").checked_sub(total("2020-03")).unwrap()
}

// ------------------------------------------------------------------------------------ records

#[test]
fn a_misspelt_kind() {
    insta::assert_snapshot!(rows("2020-03-02,lat,D01,,,,,,,\n"));
}

#[test]
fn a_kind_given_by_its_chinese_label_is_accepted() {
    let records = format!("{HEADER}2020-03-02,迟到,D01,,,,,,,\n");
    assert_eq!(
        march_cost(ROSTER, &[("2020-03.csv", records.as_bytes())]),
        common::d("5"),
        "one late arrival costs 5 points"
    );
}

#[test]
fn an_unknown_person() {
    insta::assert_snapshot!(rows("2020-03-02,late,D1,,,,,,,\n"));
}

#[test]
fn a_person_id_with_spaces_around_it_is_accepted() {
    // Spaces, tabs and the full-width space an IME types are all trimmed from a cell.
    let records = format!(
        "{HEADER}2020-03-02,late, D01 ,,,,,,,\n2020-03-03,late,\tD01,,,,,,,\n2020-03-04,late,\u{3000}D01\u{3000},,,,,,,\n"
    );
    assert_eq!(
        march_cost(ROSTER, &[("2020-03.csv", records.as_bytes())]),
        common::d("15"),
        "three late arrivals cost 5 points each"
    );
}

#[test]
fn a_person_given_by_name() {
    insta::assert_snapshot!(rows("2020-03-02,late,王建国,,,,,,,\n"));
}

#[test]
fn a_name_two_people_share() {
    let roster = format!("{ROSTER}D09,王建国,社会事务办公室,包村干部,false,false\n");
    let records = format!("{HEADER}2020-03-02,late,王建国,,,,,,,\n");
    let out = rejected_with(&eval(&roster, &[("2020-03.csv", records.as_bytes())]), 1);
    assert!(
        out.contains(
            "help: `王建国` is the name of `D01` and `D09`; write the id of the one meant"
        ),
        "{out}"
    );
}

#[test]
fn an_unknown_department() {
    insta::assert_snapshot!(rows("2020-03-02,honor,,党政办,,,,city,先进集体,\n"));
}

#[test]
fn dates_that_are_not_dates() {
    insta::assert_snapshot!(rows(
        "2020-13-01,late,D01,,,,,,,\n\
         2020-02-30,late,D01,,,,,,,\n\
         yesterday,late,D01,,,,,,,\n"
    ));
}

#[test]
fn dates_outside_the_policy_year() {
    insta::assert_snapshot!(rows(
        "2019-12-31,late,D01,,,,,,,\n2021-01-01,late,D01,,,,,,,\n"
    ));
}

#[test]
fn dates_as_spreadsheets_write_them_are_accepted() {
    let records = format!("{HEADER}2020/3/2,late,D01,,,,,,,\n2020-3-9,late,D01,,,,,,,\n");
    assert_eq!(
        march_cost(ROSTER, &[("2020-03.csv", records.as_bytes())]),
        common::d("10")
    );
}

#[test]
fn a_required_field_left_empty() {
    insta::assert_snapshot!(rows("2020-03-02,personal_leave,D01,,,,,,,\n"));
}

#[test]
fn a_value_out_of_range() {
    insta::assert_snapshot!(rows("2020-03-02,peer_rating,D01,,,120,leader,,,\n"));
}

#[test]
fn a_value_of_the_wrong_type() {
    insta::assert_snapshot!(rows("2020-03-02,personal_leave,D01,,two,,,,,\n"));
}

#[test]
fn a_fraction_where_a_whole_number_is_required() {
    insta::assert_snapshot!(rows("2020-03-02,personal_leave,D01,,1.5,,,,,\n"));
}

#[test]
fn a_value_not_in_the_list() {
    insta::assert_snapshot!(rows("2020-03-02,peer_rating,D01,,,90,leadr,,,\n"));
}

#[test]
fn a_value_in_a_field_the_kind_does_not_have() {
    insta::assert_snapshot!(rows("2020-03-02,late,D01,,2,,,,,\n"));
}

#[test]
fn a_person_only_kind_naming_a_department() {
    insta::assert_snapshot!(rows("2020-03-02,late,,党政办公室,,,,,,\n"));
}

#[test]
fn a_department_kind_naming_a_person() {
    insta::assert_snapshot!(rows("2020-03-02,honor,D01,,,,,city,先进集体,\n"));
}

#[test]
fn an_unknown_column() {
    let text = "date,kind,person,huors\n2020-03-02,late,D01,\n";
    insta::assert_snapshot!(rejected_with(
        &eval(ROSTER, &[("2020-03.csv", text.as_bytes())]),
        1
    ));
}

#[test]
fn a_header_without_date() {
    let text = "kind,person\nlate,D01\n";
    insta::assert_snapshot!(rejected_with(
        &eval(ROSTER, &[("2020-03.csv", text.as_bytes())]),
        1
    ));
}

#[test]
fn a_header_without_whom_the_records_are_about() {
    let text = "date,kind,note\n2020-03-02,late,\n";
    insta::assert_snapshot!(rejected_with(
        &eval(ROSTER, &[("2020-03.csv", text.as_bytes())]),
        1
    ));
}

#[test]
fn a_header_cell_without_a_name() {
    let text = "date,kind,person,,note\n2020-03-02,late,D01,,\n";
    insta::assert_snapshot!(rejected_with(
        &eval(ROSTER, &[("2020-03.csv", text.as_bytes())]),
        1
    ));
}

#[test]
fn rows_with_more_cells_than_the_header() {
    insta::assert_snapshot!(rows(
        "2020-03-02,late,D01,,,,,,,早上堵车,又迟到\n2020-03-03,late,D01,,,,,,,,,\n"
    ));
}

#[test]
fn a_file_saved_as_gbk_is_read() {
    // "迟到" in GBK.
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"2020-03-02,\xb3\xd9\xb5\xbd,D01,,,,,,,\n");
    assert_eq!(march_cost(ROSTER, &[("gbk.csv", &bytes)]), common::d("5"));
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(format!("{HEADER}2020-03-02,late,D01,,,,,,,\n").as_bytes());
    assert_eq!(
        march_cost(ROSTER, &[("2020-03.csv", &bytes)]),
        common::d("5")
    );
}

#[test]
fn blank_lines_are_skipped() {
    let text = format!("\n{HEADER}\n2020-03-02,late,D01,,,,,,,\n\n,,,,,,,,,\n   \n");
    assert_eq!(
        march_cost(ROSTER, &[("2020-03.csv", text.as_bytes())]),
        common::d("5")
    );
}

/// Lines are counted as an editor counts them: blank lines included, whatever ends them (Excel
/// on Windows writes `\r\n`), and a quoted cell over two lines takes two.
#[test]
fn line_numbers_count_blank_lines_and_any_line_ending() {
    let lf = "\ndate,kind,person,note\n\n2020-03-02,lat,D01,\n\n\n2020-03-03,lat,D01,\n";
    let crlf = "date,kind,person,note\r\n2020-03-02,late,D01,\r\n2020-03-03,lat,D01,\r\n\r\n\
                2020-03-04,late,D01,\"two\r\nlines\"\r\n2020-03-05,lat,D01,";
    let err = rejected_with(
        &eval(
            ROSTER,
            &[("a.csv", lf.as_bytes()), ("b.csv", crlf.as_bytes())],
        ),
        1,
    );
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(
        lines,
        [
            "error: [TMP]/records/a.csv:4: column `kind`: unknown record kind `lat` [tally::unknown-kind]",
            "error: [TMP]/records/a.csv:7: column `kind`: unknown record kind `lat` [tally::unknown-kind]",
            "error: [TMP]/records/b.csv:3: column `kind`: unknown record kind `lat` [tally::unknown-kind]",
            "error: [TMP]/records/b.csv:7: column `kind`: unknown record kind `lat` [tally::unknown-kind]",
        ],
        "{err}"
    );
}

#[test]
fn a_file_with_old_mac_line_endings() {
    let text = "date,kind,person\r2020-03-02,late,D01\r";
    insta::assert_snapshot!(rejected_with(
        &eval(ROSTER, &[("mac.csv", text.as_bytes())]),
        1
    ));
}

// ------------------------------------------------------------------------------------- roster

#[test]
fn a_person_listed_twice() {
    insta::assert_snapshot!(roster(
        "person,name,department,role,head,temporary
D01,王建国,党政办公室,包片委员,true,false
D01,李秀英,党政办公室,包村干部,false,false
"
    ));
}

/// An id is first on the row it is first on, whether that row is kept or refused for another
/// problem; an empty id is missing, never listed twice; `true`, `是`, `TRUE` and `True` all read.
#[test]
fn a_person_listed_twice_after_a_refused_row() {
    insta::assert_snapshot!(roster(
        "person,name,department,role,head,temporary
D01,王建国,党政办公室,包片委员,true,false
D02,,党政办公室,包村干部,false,false
D02,李秀英,党政办公室,包村干部,false,false
D03,张伟,党政办公室,包村干部,maybe,false
D03,张伟,党政办公室,包村干部,false,否
D03,张伟,党政办公室,包村干部,False,FALSE
,刘洋,党政办公室,包村干部,false,false
,陈静,党政办公室,包村干部,false,false
D04,杨帆,综合办,包村干部,是,false
D05,赵磊,综合办,包村干部,TRUE,false
D01,王建国,综合办,包片委员,True,false
"
    ));
}

#[test]
fn two_heads_in_one_department() {
    insta::assert_snapshot!(roster(
        "person,name,department,role,head,temporary
D01,王建国,党政办公室,包片委员,true,false
D02,李秀英,党政办公室,包村干部,true,false
"
    ));
}

#[test]
fn a_yes_or_no_that_is_neither() {
    insta::assert_snapshot!(roster(
        "person,name,department,role,head,temporary
D01,王建国,党政办公室,包片委员,maybe,false
"
    ));
}

#[test]
fn yes_and_no_in_chinese_are_accepted() {
    let roster = "person,name,department,role,head,temporary
D01,王建国,党政办公室,包片委员,是,否
D02,李秀英,党政办公室,包村干部,否,是
";
    let records = format!("{HEADER}2020-03-02,late,D01,,,,,,,\n");
    assert_eq!(
        march_cost(roster, &[("2020-03.csv", records.as_bytes())]),
        common::d("5")
    );
}

#[test]
fn an_unknown_roster_column() {
    insta::assert_snapshot!(roster(
        "person,name,department,role,haed,temporary
D01,王建国,党政办公室,包片委员,true,false
"
    ));
}

#[test]
fn a_missing_roster_column() {
    insta::assert_snapshot!(roster(
        "person,name,department,role,head
D01,王建国,党政办公室,包片委员,true
"
    ));
}

// ------------------------------------------------------------------------ files and folders

#[test]
fn a_missing_roster_file() {
    let records = format!("{HEADER}2020-03-02,late,D01,,,,,,,\n");
    let case = run(
        None,
        &[("2020-03.csv", records.as_bytes())],
        &["--roster", "@roster.csv", "--records", "@records"],
    );
    insta::assert_snapshot!(rejected_with(&case, 2));
}

#[test]
fn a_missing_records_folder() {
    let case = run(
        Some(ROSTER.as_bytes()),
        &[],
        &["--roster", "@roster.csv", "--records", "@records"],
    );
    insta::assert_snapshot!(rejected_with(&case, 2));
}

#[test]
fn a_missing_roster_and_a_missing_records_folder_in_one_run() {
    let case = run(
        None,
        &[],
        &["--roster", "@roster.csv", "--records", "@records"],
    );
    insta::assert_snapshot!(rejected_with(&case, 2));
}

#[test]
fn a_folder_given_as_the_roster() {
    let records = format!("{HEADER}2020-03-02,late,D01,,,,,,,\n");
    let case = run(
        Some(ROSTER.as_bytes()),
        &[("2020-03.csv", records.as_bytes())],
        &["--roster", "@records", "--records", "@records"],
    );
    insta::assert_snapshot!(rejected_with(&case, 2));
}

// ----------------------------------------------------------------------------- many problems

#[test]
fn many_problems_are_listed_up_to_fifty_then_counted() {
    let bad: String = (0..80).map(|_| "2020-03-02,lat,D01,,,,,,,\n").collect();
    let err = rows(&bad);
    let listed = err.lines().filter(|l| l.starts_with("error:")).count();
    assert_eq!(listed, 50, "{err}");
    // The first fifty rows, in order: lines 2 to 51.
    assert!(err.contains("records/2020-03.csv:2: "), "{err}");
    assert!(err.contains("records/2020-03.csv:51: "), "{err}");
    assert!(!err.contains("records/2020-03.csv:52: "), "{err}");
    let tail: Vec<&str> = err.lines().rev().take(2).collect();
    assert_eq!(
        tail,
        [
            "80 problems in the inputs; no results were computed",
            "and 30 more problems; fix the ones above and run again",
        ],
        "{err}"
    );
}

#[test]
fn problems_in_several_files_are_all_reported_in_one_run() {
    let a = format!("{HEADER}2020-01-06,lat,D01,,,,,,,\n2020-01-07,late,D9,,,,,,,\n");
    let b = "date,kind,person\n2020-02-30,late,D01\n".to_string();
    let c = format!("{HEADER}2020-03-02,personal_leave,D02,,two,,,,,\n");
    insta::assert_snapshot!(rejected_with(
        &eval(
            ROSTER,
            &[
                ("2020-03.csv", c.as_bytes()),
                ("2020-01.csv", a.as_bytes()),
                ("2020-02.csv", b.as_bytes()),
            ],
        ),
        1
    ));
}
