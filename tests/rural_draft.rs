//! The draft of the Wendeng rural credit scheme (`policies/wendeng-rural-2020.draft.policy`): it
//! checks clean with warnings denied, and on its example village the tool agrees with the table
//! worked out by hand in `policies/wendeng-rural-2020/READING.md` (its ```expected block).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

const POLICY: &str = "policies/wendeng-rural-2020.draft.policy";
const ROSTER: &str = "policies/wendeng-rural-2020/draft-records/roster.csv";
const RECORDS: &str = "policies/wendeng-rural-2020/draft-records/records";
const READING: &str = "policies/wendeng-rural-2020/READING.md";

#[test]
fn the_draft_checks_clean_with_warnings_denied() {
    let out = common::cli(["check", "--deny-warnings", POLICY]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    assert!(
        out.both().contains("0 errors, 0 warnings"),
        "{}",
        out.both()
    );
}

/// Every person of the ```expected block: the twelve monthly totals, the annual result and the
/// grade, exactly as READING.md works them out.
#[test]
fn the_draft_agrees_with_the_hand_computed_table() {
    let reading = std::fs::read_to_string(common::root().join(READING)).unwrap();
    let block = reading
        .split("```expected\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("READING.md has an ```expected block");

    let csv_out = common::cli([
        "eval",
        POLICY,
        "--roster",
        ROSTER,
        "--records",
        RECORDS,
        "--format",
        "csv",
        "--as-of",
        "2021-01-05",
    ])
    .ok();
    // (person, period) → (total, grade, final)
    let mut got: BTreeMap<(String, String), (String, String, String)> = BTreeMap::new();
    for row in csv::Reader::from_reader(csv_out.as_bytes()).records() {
        let row = row.unwrap();
        got.insert(
            (row[0].to_string(), row[2].to_string()),
            (row[3].to_string(), row[4].to_string(), row[5].to_string()),
        );
    }

    let mut people = 0;
    // person,months,annual,grade
    for row in csv::Reader::from_reader(block.as_bytes()).records() {
        let row = row.unwrap();
        let person = &row[0];
        for month in 1..=12 {
            let period = format!("2020-{month:02}");
            let have = got
                .get(&(person.to_string(), period.clone()))
                .unwrap_or_else(|| panic!("no result for {person} {period}"));
            assert_eq!(
                (have.0.as_str(), have.2.as_str()),
                (&row[1], "true"),
                "{person} {period}"
            );
        }
        let have = got
            .get(&(person.to_string(), "2020".to_string()))
            .unwrap_or_else(|| panic!("no annual result for {person}"));
        assert_eq!(
            (have.0.as_str(), have.1.as_str(), have.2.as_str()),
            (&row[2], &row[3], "true"),
            "{person} 2020"
        );
        people += 1;
    }
    assert_eq!(people, 6, "the example village has six people");
    assert_eq!(got.len(), 6 * 13, "no one else is scored");
}

/// A record of a row the draft cannot say yet is refused, not silently scored as nothing.
#[test]
fn a_record_of_a_row_the_draft_leaves_out_is_refused() {
    let dir = common::temp_dir("rural-draft");
    let records = common::write(
        &dir,
        "2020.csv",
        "date,kind,person,department,hours,stars,satisfaction,result,months,note\n\
         2020-05-20,无偿献血,R05,,,,,,,\n",
    );
    let out = common::cli([
        "eval",
        POLICY,
        "--roster",
        ROSTER,
        "--records",
        records.to_str().unwrap(),
        "--as-of",
        "2021-01-05",
    ]);
    assert_ne!(out.code, Some(0), "{}", out.both());
    assert!(out.both().contains("无偿献血"), "{}", out.both());
}

const SKETCH: &str = "policies/wendeng-rural-2020/yearly-sketch.policy";

/// The rows READING.md writes as "Once Y exists: `per …`" are collected in the sketch file, which
/// checks clean: the sketches use only constructs tally has, with the right names, types and units.
#[test]
fn the_yearly_card_sketches_check_clean_and_match_the_reading() {
    let out = common::cli(["check", "--deny-warnings", SKETCH]);
    assert_eq!(out.code, Some(0), "{}", out.both());

    let normal = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let sketch = normal(&std::fs::read_to_string(common::root().join(SKETCH)).unwrap());
    let reading = std::fs::read_to_string(common::root().join(READING)).unwrap();
    let mut found = 0;
    for line in reading.lines().filter(|l| l.contains("Once Y exists:")) {
        let cell = line.split("Once Y exists:").nth(1).unwrap();
        for (i, snippet) in cell.split('`').enumerate() {
            if i % 2 == 1 && snippet.starts_with("per ") {
                let rule = normal(&snippet.replace("\\|", "|"));
                assert!(
                    sketch.contains(&rule),
                    "READING.md's sketch `{rule}` is not in {SKETCH}"
                );
                found += 1;
            }
        }
    }
    assert!(found >= 100, "only {found} sketches found in READING.md");
}

/// Every row READING.md calls expressible quotes a rule of the draft exactly (up to white space).
#[test]
fn the_rows_called_expressible_quote_the_draft() {
    let normal = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let draft = normal(&std::fs::read_to_string(common::root().join(POLICY)).unwrap());
    let reading = std::fs::read_to_string(common::root().join(READING)).unwrap();
    let mut found = 0;
    for line in reading
        .lines()
        .filter(|l| l.contains("**expressible**: `["))
    {
        let rule = line.split("**expressible**: `").nth(1).unwrap();
        let rule = normal(rule.split('`').next().unwrap());
        assert!(draft.contains(&rule), "`{rule}` is not in the draft");
        found += 1;
    }
    // seven rows' rules and the article table's direct grading
    assert_eq!(found, 8, "the rules READING.md quotes as expressible");
}
