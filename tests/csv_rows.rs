//! The CSV rows are the bytes the csv crate writes for the cells a reader sees, whatever the
//! roster's ids and names hold (commas, quotes, line breaks, a leading `=` or its full-width
//! form, tabs, long Unicode): the rows of every period, on a policy with ledgers and flags and on
//! one without, are compared with rows written cell by cell with `csv::Writer::write_record`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use tally::compile::compile;
use tally::eval::outcome::Outcome;
use tally::eval::{Options, Person, Roster, evaluate};
use tally::report::{self, Period, annual_total, grade_name, ledgers, score, text_cell};

/// Flags that need quoting and guarding, raised in some months.
const FLAGS: &str = "policy \"旗\" year 2020 total 100
annual = sum(months) / 12
round 3 half-up
record late \"迟到\" by person
record absent \"缺岗\" by person
section s \"s\" 100 {
  item i \"i\" 100 {
    [1] per late -5.125, flag \"=迟到,\\\"多\\\"\"
    [2] per absent -1, flag \"＋缺岗\"
    [3] when count(absent) in year > 2: flag \"a;b\", flag \"\\\"q\\\"\"
  }
}
grades {
  A >= 99
  B >= 90 \"中\"
  C
}
";

/// Ids and names a spreadsheet or a CSV reader could take for something else.
fn hostile() -> Vec<(String, String)> {
    let texts = [
        "a,b",
        "say \"hi\"",
        "\"",
        "line\nbreak",
        "cr\rhere",
        "crlf\r\n",
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "\tTab",
        "\rCR",
        "＝全角",
        "＋全角",
        "－全角",
        "＠全角",
        "tab\tin",
        " spaced ",
        "'quoted",
        "",
        "=cmd|' /C calc'!A0",
        "plain",
        "张三",
    ];
    let long: String = "長い名前、\"引用\",改行\n".repeat(40);
    let mut people = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        people.push((format!("{t}{i}"), t.to_string()));
        people.push((format!("{i}{t}"), format!("{t}{t}")));
    }
    people.push(("long".into(), long.clone()));
    people.push((format!("={long}"), long));
    people
}

fn roster() -> Roster {
    let people = hostile()
        .into_iter()
        .enumerate()
        .map(|(i, (id, name))| Person {
            id,
            name,
            department: 0,
            values: Vec::new(),
            line: i + 2,
        })
        .collect();
    Roster {
        file: "roster.csv".into(),
        people,
        departments: vec!["办公室".into()],
    }
}

fn options() -> Options {
    common::options_2021(None, Vec::new())
}

/// The rows of `period` written cell by cell, with the header.
fn reference(
    policy: &tally::check::Policy,
    roster: &Roster,
    outcome: &Outcome,
    period: Period,
) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_writer(Vec::new());
    let mut header = vec!["person", "name", "period", "total"];
    header.extend(policy.ledgers.iter().map(|l| l.id.as_str()));
    header.extend(["grade", "final", "flags"]);
    w.write_record(&header).unwrap();
    let places = policy.round_places;
    for p in &outcome.people {
        let person = &roster.people[p.person];
        let id = text_cell(&person.id).into_owned();
        let name = text_cell(&person.name).into_owned();
        for m in p.months.iter().filter(|m| period.shows_month(m.month)) {
            let mut row = vec![
                id.clone(),
                name.clone(),
                report::period_label(policy, m.month),
                score(m.published, places),
            ];
            row.extend(ledgers::card_cells(policy, m));
            row.push(String::new());
            row.push(m.is_final.to_string());
            row.push(text_cell(&m.flags.join(";")).into_owned());
            w.write_record(&row).unwrap();
        }
        if period.shows_year() {
            let mut row = vec![
                id.clone(),
                name.clone(),
                outcome.year.to_string(),
                annual_total(p, places),
            ];
            row.extend(ledgers::year_cells(policy, p));
            row.push(text_cell(&grade_name(policy, p)).into_owned());
            row.push(p.annual.is_final.to_string());
            row.push(text_cell(&p.annual.flags.join(";")).into_owned());
            w.write_record(&row).unwrap();
        }
    }
    w.into_inner().unwrap()
}

/// Compares the rows of every period; gives those of the whole year.
fn check(name: &str, policy_text: &str, records: &str) -> String {
    let policy = compile(name, policy_text.as_bytes()).policy.unwrap();
    let roster = roster();
    let dir = common::temp_dir("csv_rows");
    common::write(&dir, "records.csv", records);
    let files = vec![dir.join("records.csv")];
    let (outcome, _) = evaluate(&policy, &roster, &files, &options())
        .unwrap_or_else(|p| panic!("{:?}", p.list.len()));
    let mut periods = vec![Period::All, Period::Year];
    periods.extend((1..=12).map(Period::Month));
    for period in periods {
        let made = report::csv(&policy, &roster, &outcome, period);
        let wanted = reference(&policy, &roster, &outcome, period);
        assert!(
            made.as_bytes() == wanted.as_slice(),
            "{name} {period:?}:\n{made}\nwanted:\n{}",
            String::from_utf8_lossy(&wanted)
        );
    }
    report::csv(&policy, &roster, &outcome, Period::All)
}

/// Records for some of the hostile people: several flags, and some months without any.
fn records(kinds: &[&str]) -> String {
    let mut text = String::from("date,kind,person\n");
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for (i, (id, _)) in hostile().iter().enumerate().step_by(3) {
        for (k, kind) in kinds.iter().enumerate() {
            for day in 0..=(i + k) % 4 {
                let date = format!("2020-{:02}-{:02}", 1 + (i + k) % 12, 1 + day);
                w.write_record([date.as_str(), kind, id.as_str()]).unwrap();
            }
        }
    }
    text.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
    text
}

#[test]
fn rows_of_hostile_ids_and_names_are_the_csv_crates() {
    let pay =
        std::fs::read_to_string(common::root().join("tests/fixtures/ledgers/pay.policy")).unwrap();
    let rows = check("pay.policy", &pay, &records(&["late", "error"]));
    // Quoted ids and names, and guarded ones.
    for row in [
        "\n\"a,b0\",\"a,b\",",
        "\n\"\"\"2\",\"\"\"\",",
        "\n'=1+16,'=1+1,",
        "\n\"'\rCR11\",",
    ] {
        assert!(rows.contains(row), "no {row:?} in\n{rows}");
    }
    let rows = check("flags.policy", FLAGS, &records(&["late", "absent"]));
    // The flags are quoted and guarded.
    for cell in ["\"'=迟到,\"\"多\"\"", "＋缺岗", "a;b;\"\"q\"\""] {
        assert!(rows.contains(cell), "no {cell} in\n{rows}");
    }
}
