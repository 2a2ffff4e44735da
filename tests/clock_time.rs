//! Times of day and durations: a `time` field (`8:30`, `08:30`, `8:30:15`; a time cell in a
//! workbook), compared with clock times written in the policy (`arrived > 9:00`), and the
//! difference of two times in minutes, usable in an amount ("每迟到30分钟扣1分"). Exact: times are
//! whole seconds since midnight, differences exact fractions of minutes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{d, run};

const POLICY: &str = r#"policy "考勤" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record arrival "到岗" by person { arrived: time }
record overtime "加班" by person { start: time, end: time }

section office "机关工作" 100 {
  item attendance "考勤" 100 {
    [1.1] per arrival where arrived > 8:30 and arrived <= 9:00: -1
    [1.2] per arrival where arrived > 9:00: -2 * ceil((arrived - 9:00) / 30)
  }
}

adjustments extra "加班" {
  [2] per overtime where end > start: +0.5 * floor((end - start) / 60)
}

grades {
  合格 >= 60
  不合格
}
"#;

const ROSTER: &str = "person,name,department\nA,甲,办\nB,乙,办\n";

fn records(rows: &[&str]) -> String {
    let mut s = String::from("date,kind,person,arrived,start,end\n");
    for r in rows {
        s += r;
        s.push('\n');
    }
    s
}

#[test]
fn lateness_by_clock_time_and_by_the_started_half_hour() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            // On time, to the second.
            "2020-03-02,arrival,A,8:30,,",
            "2020-03-03,arrival,A,08:30:00,,",
            // Late up to 9:00, the boundary included: 1 each.
            "2020-03-04,arrival,A,8:31,,",
            "2020-03-05,arrival,A,09:00,,",
            // After 9:00: 2 per started half hour.
            "2020-04-01,arrival,A,9:00:01,,",
            "2020-04-02,arrival,A,9:30,,",
            "2020-04-03,arrival,A,9:31,,",
            "2020-04-06,arrival,A,23:59:59,,",
        ]),
    );
    assert_eq!(r.month("A", 3), d("98"));
    // 2 + 2 + 4 + 2 × ceil(899.98(3) / 30) = 2 × 30 = 60.
    assert_eq!(r.month("A", 4), d("32"));
}

#[test]
fn a_duration_is_the_difference_of_two_times_in_minutes() {
    let r = run(
        POLICY,
        ROSTER,
        &records(&[
            // 150 minutes: 2 whole hours, 1 point.
            "2020-05-06,overtime,B,,18:00,20:30",
            // 59 minutes 59 seconds: no whole hour.
            "2020-05-07,overtime,B,,18:00,18:59:59",
            // Past midnight is not after the start: the filter leaves it out.
            "2020-05-08,overtime,B,,22:00,1:00",
        ]),
    );
    assert_eq!(r.month("B", 5), d("101"));
}

#[test]
fn cells_that_are_no_time_of_day_are_refused_where_they_stand() {
    let out = common::on_files(
        "eval",
        POLICY,
        ROSTER,
        &records(&[
            "2020-03-02,arrival,A,24:00,,",
            "2020-03-02,arrival,A,25:61,,",
            "2020-03-02,arrival,A,9:60,,",
            "2020-03-02,arrival,A,8:30:60,,",
            "2020-03-02,arrival,A,9.30,,",
            "2020-03-02,arrival,A,930,,",
            "2020-03-02,arrival,A,9:5,,",
            "2020-03-02,arrival,A,8：30,,",
            "2020-03-02,arrival,A,-8:30,,",
            "2020-03-02,arrival,A,8:30 AM,,",
            "2020-03-02,arrival,A,,,",
            "2020-03-02,arrival,A,１:30,,",
        ]),
        &["--as-of", "2021-01-05"],
    );
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn explain_shows_the_records_behind_lateness() {
    let out = common::on_files(
        "explain",
        POLICY,
        ROSTER,
        &records(&["2020-04-02,arrival,A,8:45,,", "2020-04-03,arrival,A,9:31,,"]),
        &["--person", "A", "--period", "2020-04"],
    )
    .ok();
    insta::assert_snapshot!(out);
}

#[test]
fn times_are_checked() {
    assert!(
        common::check_diags(POLICY).is_empty(),
        "{:?}",
        common::check_diags(POLICY)
    );
    for (from, to, code) in [
        // A time compares with a time, not with a number or a text.
        (
            "arrived > 8:30 and",
            "arrived > 8 and",
            "tally::type-mismatch",
        ),
        (
            "arrived > 8:30 and",
            "arrived > \"8:30\" and",
            "tally::type-mismatch",
        ),
        (
            "arrived > 8:30 and",
            "arrived = 30 and",
            "tally::type-mismatch",
        ),
        // Only the difference of two times: no sum, no product, no negation.
        (
            "(arrived - 9:00) / 30",
            "(arrived + 9:00) / 30",
            "tally::type-mismatch",
        ),
        (
            "(arrived - 9:00) / 30",
            "(arrived - 30) / 30",
            "tally::type-mismatch",
        ),
        (
            "(arrived - 9:00) / 30",
            "(arrived * 2) / 30",
            "tally::type-mismatch",
        ),
        (
            "(arrived - 9:00) / 30",
            "-arrived / 30",
            "tally::type-mismatch",
        ),
        // A difference is in minutes: it becomes points through a rate.
        (
            "-2 * ceil((arrived - 9:00) / 30)",
            "-ceil((arrived - 9:00) / 30)",
            "tally::not-points",
        ),
        // No clock shows these.
        (
            "arrived > 8:30 and",
            "arrived > 24:00 and",
            "tally::bad-number",
        ),
        (
            "arrived > 8:30 and",
            "arrived > 9:60 and",
            "tally::bad-number",
        ),
        (
            "arrived > 8:30 and",
            "arrived > 25:61 and",
            "tally::bad-number",
        ),
        // Counted, summed or multiplied by: a time is no quantity.
        (
            "[1.1] per arrival where",
            "[1.1] when sum(arrival.arrived) > 0: -1\n    [1.3] per arrival where",
            "tally::not-numeric",
        ),
        (
            "[1.1] per arrival where",
            "[1.1] when arrival.arrived in month > 9:00: -1\n    [1.3] per arrival where",
            "tally::not-numeric",
        ),
        (
            "[2] per overtime where",
            "[2] per overtime.start where",
            "tally::not-numeric",
        ),
        // A time of day belongs to an event, not to a person.
        (
            "record arrival",
            "roster {\n  shift_start: time\n}\n\nrecord arrival",
            "tally::misplaced",
        ),
        // A range on a time.
        (
            "{ arrived: time }",
            "{ arrived: time 0..10 }",
            "tally::bad-range",
        ),
    ] {
        assert!(POLICY.contains(from), "{from}");
        let text = POLICY.replacen(from, to, 1);
        let found = common::check_errors(&text);
        assert_eq!(found.len(), 1, "{to}: {found:?}");
        assert!(found[0].starts_with(code), "{to}: {found:?}");
    }
}

#[test]
fn a_table_key_before_a_colon_is_still_a_number() {
    // `5:30` in a table is the key 5 with the amount 30, as before times existed.
    let text = POLICY.replace(
        "[2] per overtime where end > start: +0.5 * floor((end - start) / 60)",
        "[2] per overtime where end > start: +floor((end - start) / 60) {5:30, else: 0}",
    );
    assert!(
        common::check_errors(&text).is_empty(),
        "{:?}",
        common::check_errors(&text)
    );
    let r = run(
        &text,
        ROSTER,
        &records(&["2020-05-06,overtime,B,,12:00,17:00"]),
    );
    assert_eq!(r.month("B", 5), d("130"));
}

#[test]
fn a_time_cell_in_a_workbook_is_read_as_the_clock_shows_it() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = common::temp_dir("clock-workbook");
    let book = dir.join("2020-03.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["date", "kind", "person", "arrived"].iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("h:mm");
    for (r, (day, arrived)) in [(2u8, (8u16, 45u8)), (3, (9, 31)), (4, (8, 30))]
        .iter()
        .enumerate()
    {
        let r = r as u32 + 1;
        ws.write_datetime_with_format(r, 0, ExcelDateTime::from_ymd(2020, 3, *day).unwrap(), &date)
            .unwrap();
        ws.write(r, 1, "arrival").unwrap();
        ws.write(r, 2, "A").unwrap();
        ws.write_datetime_with_format(
            r,
            3,
            ExcelDateTime::from_hms(arrived.0, arrived.1, 0).unwrap(),
            &time,
        )
        .unwrap();
    }
    // A time typed as text.
    ws.write(4, 0, "2020-03-05").unwrap();
    ws.write(4, 1, "arrival").unwrap();
    ws.write(4, 2, "A").unwrap();
    ws.write(4, 3, "8:40").unwrap();
    wb.save(&book).unwrap();
    std::fs::write(dir.join("p.policy"), POLICY).unwrap();
    std::fs::write(dir.join("roster.csv"), ROSTER).unwrap();
    let args = [
        "eval".to_string(),
        dir.join("p.policy").display().to_string(),
        "--roster".into(),
        dir.join("roster.csv").display().to_string(),
        "--records".into(),
        book.display().to_string(),
        "--as-of".into(),
        "2021-01-05".into(),
        "--format".into(),
        "csv".into(),
        "--period".into(),
        "2020-03".into(),
    ];
    let out = common::cli(&args);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, Some(0), "{}", out.both());
    // 8:45 and 8:40: 1 each; 9:31: 2 × 2.
    let row = out.stdout.lines().find(|l| l.starts_with("A,")).unwrap();
    assert!(row.contains(",94.00,"), "{row}");
}

#[test]
fn clock_times_round_trip_through_fmt() {
    let text = POLICY
        .replace("arrived > 8:30 and", "arrived > 08:30 and")
        .replace("arrived <= 9:00:", "arrived <= 09:00:00:");
    let dir = common::temp_dir("clock-fmt");
    let path = dir.join("p.policy");
    std::fs::write(&path, &text).unwrap();
    let out = common::cli(["fmt".as_ref(), path.as_os_str()]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    let formatted = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(formatted, POLICY);
}

#[test]
fn scenarios_write_times_as_records_do() {
    let dir = common::temp_dir("clock-scenario");
    std::fs::write(dir.join("p.policy"), POLICY).unwrap();
    std::fs::create_dir_all(dir.join("p.tests")).unwrap();
    let scenario = |arrival: &str| {
        format!(
            "# 8:45 takes 1, 9:31 takes 2 × 2; overtime of 2½ hours gives 1\n\
             scenario \"迟到与加班\"\n\
             roster\n  A, 甲, 办\n\
             records\n  2020-03-02, arrival, A, {arrival}\n  2020-03-03, arrival, A, 9:31\n  \
             2020-03-04, overtime, A, 18:00, 20:30\n\
             expect\n  A 2020-03  total 96\n"
        )
    };
    std::fs::write(dir.join("p.tests/late.scenario"), scenario("8:45")).unwrap();
    let policy = dir.join("p.policy");
    let out = common::cli(["test".as_ref(), policy.as_os_str()]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    // A time no clock shows is refused at its place in the scenario.
    std::fs::write(dir.join("p.tests/late.scenario"), scenario("24:00")).unwrap();
    let out = common::cli(["test".as_ref(), policy.as_os_str()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_ne!(out.code, Some(0), "{}", out.both());
    assert!(
        out.both().contains("`24:00` is not a time of day")
            && out.both().contains("late.scenario:6:"),
        "{}",
        out.both()
    );
}

#[test]
fn an_empty_optional_time_is_no_time_of_day_in_arithmetic_either() {
    // An empty `left` is not midnight: `17:30 - left` has no value, so no comparison with it
    // holds (as `left < 17:30` does not), a table looked up by it gives its `else` entry, and
    // an amount computed from it is 0, never the 1 050 minutes from midnight.
    let text = r#"policy "签退" year 2020 total 100
annual = sum(months) / 12

record checkout "签退" by person { left: time optional, points: points optional }

section office "机关工作" 100 {
  item attendance "考勤" 100 {
    [1] per checkout where left < 17:30: -1
    [2] per checkout where 17:30 - left > 60: -2
    [3] per checkout -(17:30 - left) { > 0: 3, else: 0 }
    [4] per checkout -1 * ceil((left - 17:30) / 30)
    [5] per checkout where points - 5 < 0: -10
  }
}

grades {
  合格 >= 60
  不合格
}
"#;
    let r = run(
        text,
        ROSTER,
        "date,kind,person,left,points\n\
         2020-03-02,checkout,A,16:00,\n\
         2020-04-01,checkout,A,,\n\
         2020-05-04,checkout,A,18:10,1\n",
    );
    // Left at 16:00: 1 + 2 + 3, and [4] gives back ceil(-3) = -3 → +3.
    assert_eq!(r.month("A", 3), d("97"));
    // An empty time and an empty number: nothing at all.
    assert_eq!(r.month("A", 4), d("100"));
    // 40 minutes after 17:30: [4] takes 2; points 1 is below 5: [5] takes 10.
    assert_eq!(r.month("A", 5), d("88"));
}

#[test]
fn a_duration_met_with_a_time_is_named_as_minutes() {
    // The messages name the units ("minutes"), not "in minutes" as if it were a noun.
    let msgs: Vec<String> = ["arrived - 9:00 > 9:00", "arrived - 9:00 - 9:00 > 1"]
        .iter()
        .flat_map(|cond| {
            let text = POLICY.replace(
                "[1.1] per arrival where arrived > 8:30 and arrived <= 9:00: -1",
                &format!("[1.1] per arrival where {cond}: -1"),
            );
            common::check_errors(&text)
        })
        .collect();
    assert_eq!(
        msgs,
        [
            "tally::type-mismatch: cannot compare minutes with a time of day",
            "tally::type-mismatch: `-` with minutes and a time of day",
        ]
    );
}
