//! The Wendeng rural credit scheme (`policies/wendeng-rural-2020.policy`, one card a year): it
//! checks clean with warnings denied and is in the canonical layout, and every rule its reading
//! (`policies/wendeng-rural-2020/READING.md`) quotes as in the policy is there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

const POLICY: &str = "policies/wendeng-rural-2020.policy";
const READING: &str = "policies/wendeng-rural-2020/READING.md";

#[test]
fn the_policy_checks_clean_with_warnings_denied() {
    let out = common::cli(["check", "--deny-warnings", POLICY]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    assert!(
        out.both().contains("0 errors, 0 warnings"),
        "{}",
        out.both()
    );
}

#[test]
fn the_policy_is_in_the_canonical_layout() {
    let out = common::cli(["fmt", "--check", POLICY]);
    assert_eq!(out.code, Some(0), "{}", out.both());
}

fn normal(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every rule READING.md quotes in a cell marked **in the policy** (a quoted `per …`, `when …` or
/// `[…] …` rule) is in the policy, up to white space; and the rows table has every one of the 228
/// rows marked either in the policy or out.
#[test]
fn the_rows_said_to_be_in_the_policy_quote_it() {
    let policy = normal(&std::fs::read_to_string(common::root().join(POLICY)).unwrap());
    let reading = std::fs::read_to_string(common::root().join(READING)).unwrap();
    let mut quoted = 0;
    let (mut rows, mut inside, mut out) = (0, 0, 0);
    for line in reading.lines() {
        if line.starts_with("| `0.") {
            rows += 1;
            if line.contains("**in the policy**") {
                inside += 1;
            } else if line.contains("**out**: needs ") {
                out += 1;
            }
        }
        let Some(cell) = line.split("**in the policy**: ").nth(1) else {
            continue;
        };
        for (i, snippet) in cell.split('`').enumerate() {
            let snippet = snippet.replace("\\|", "|");
            let rule_like = snippet.starts_with("per ")
                || snippet.starts_with("when ")
                || (snippet.starts_with('[') && snippet.contains("] "));
            if i % 2 == 1 && rule_like {
                let rule = normal(&snippet);
                assert!(
                    policy.contains(&rule),
                    "READING.md quotes `{rule}`, not in {POLICY}"
                );
                quoted += 1;
            }
        }
    }
    assert_eq!(rows, 228, "the attachment's rows in READING.md");
    assert_eq!((inside, out), (228, 0), "rows in the policy and rows out");
    assert!(quoted >= 120, "only {quoted} rules quoted");
}

const ROSTER: &str = "policies/wendeng-rural-2020/roster.csv";
const RECORDS: &str = "policies/wendeng-rural-2020/records";

/// Every person of the ```expected block: the year's total and grade, exactly as READING.md works
/// them out (both empty for a person excluded under art. 28), all final; nobody else is scored.
#[test]
fn the_example_village_agrees_with_the_hand_computed_table() {
    let reading = std::fs::read_to_string(common::root().join(READING)).unwrap();
    let block = reading
        .split("```expected\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("READING.md has an ```expected block");

    let out = common::cli([
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
    // person → (period, total, grade, final)
    let mut got = std::collections::BTreeMap::new();
    for row in csv::Reader::from_reader(out.as_bytes()).records() {
        let row = row.unwrap();
        let previous = got.insert(
            row[0].to_string(),
            (
                row[2].to_string(),
                row[3].to_string(),
                row[4].to_string(),
                row[5].to_string(),
            ),
        );
        assert!(previous.is_none(), "one row a person on a yearly card");
    }

    let mut people = 0;
    for row in csv::Reader::from_reader(block.as_bytes()).records() {
        let row = row.unwrap();
        let person = &row[0];
        let have = got
            .get(person)
            .unwrap_or_else(|| panic!("no result for {person}"));
        assert_eq!(
            (
                have.0.as_str(),
                have.1.as_str(),
                have.2.as_str(),
                have.3.as_str()
            ),
            ("2020", &row[1], &row[2], "true"),
            "{person}"
        );
        people += 1;
    }
    assert_eq!(people, 10, "the example village has ten people");
    assert_eq!(got.len(), 10, "no one else is scored");
}

/// Every person of the ```places block (art. 21, `rank village_category "分类排名" of category`):
/// their category, place and the number ranked in it, exactly as READING.md works them out; the
/// excluded person has no place.
#[test]
fn the_example_village_ranks_each_category_as_worked_out_by_hand() {
    let reading = std::fs::read_to_string(common::root().join(READING)).unwrap();
    let block = reading
        .split("```places\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("READING.md has a ```places block");
    let out = common::cli([
        "eval",
        POLICY,
        "--roster",
        ROSTER,
        "--records",
        RECORDS,
        "--format",
        "json",
        "--as-of",
        "2021-01-05",
    ])
    .ok();
    let people: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut got = Vec::new();
    for p in people.as_array().unwrap() {
        for r in p["annual"]["ranks"].as_array().cloned().unwrap_or_default() {
            let group = r["group"].as_str().unwrap();
            got.push(format!(
                "{},{},{},{}",
                p["person"].as_str().unwrap(),
                group.trim_start_matches("category "),
                r["place"],
                r["of"]
            ));
        }
    }
    let want: Vec<&str> = block.lines().skip(1).collect();
    assert_eq!(got, want);
}

/// The person at school is excluded with the reason of art. 28(一), not scored 0.
#[test]
fn the_person_at_school_is_excluded_with_the_reason() {
    let out = common::cli([
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
    let line = out.lines().find(|l| l.starts_with("R09,")).unwrap();
    assert_eq!(line, "R09,吴敏,2020,,,true,在校学生");
}

/// A record of a kind the policy does not have (a village's own row it has not written) is
/// refused, not silently scored as nothing.
#[test]
fn a_record_of_a_kind_not_in_the_policy_is_refused() {
    let dir = common::temp_dir("wendeng-rural");
    let records = common::write(
        &dir,
        "2020.csv",
        "date,kind,person,department,note\n2020-05-20,违法建设拒不拆除并擅自加盖,R05,,\n",
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
    assert!(
        out.both().contains("违法建设拒不拆除并擅自加盖"),
        "{}",
        out.both()
    );
}

/// Art. 30: the example's records of 2019 (`records/2019-carried.csv`): R08's building, never
/// demolished, and R01's unpaid damage, paid in 2020, are carried into the 2020 card, each with
/// its record's file and line; R10's damage, paid in 2019, is shown not carried.
#[test]
fn explain_shows_the_faults_carried_from_2019() {
    let mut lines = Vec::new();
    for person in ["R01", "R08", "R10"] {
        let out = common::cli([
            "explain",
            POLICY,
            "--roster",
            ROSTER,
            "--records",
            RECORDS,
            "--person",
            person,
            "--as-of",
            "2021-01-05",
        ])
        .ok();
        lines.push(out.lines().next().unwrap_or_default().trim().to_string());
        let mut keep = false;
        for line in out.lines() {
            if line.contains("valid until corrected") {
                keep = true;
            } else if !line.contains("carried") && !line.contains("2019-carried.csv") {
                keep = false;
            }
            if keep {
                lines.push(line.trim().to_string());
            }
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

/// The scenarios of `policies/wendeng-rural-2020.tests` pass, and every rule is exercised by one.
#[test]
fn the_scenarios_pass_and_exercise_every_rule() {
    let out = common::cli(["test", POLICY]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    let both = out.both();
    assert!(both.contains(" 0 failed"), "{both}");
    assert!(
        both.contains(
            "every rule of policies/wendeng-rural-2020.policy is exercised by a scenario"
        ),
        "{both}"
    );
}

/// R03's qualification as an information collector and his 四星 rating are one act of the year
/// (`once collector`): explain shows the +5 not counted, and the +20 that counts.
#[test]
fn explain_shows_the_collector_qualification_not_counted() {
    let out = common::cli([
        "explain",
        POLICY,
        "--roster",
        ROSTER,
        "--records",
        RECORDS,
        "--person",
        "R03",
        "--as-of",
        "2021-01-05",
    ])
    .ok();
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("collector") || l.contains("2020-year.csv:1"))
        .map(str::trim)
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}
