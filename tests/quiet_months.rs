//! A month in which nothing happened to a person (no record, no points, no flag) has the same card
//! as every other such month of theirs when the policy's `when` rules, their points and the bases
//! read only the year and the roster; the cards of such months are then made once per person. A
//! traced person's card (for `explain`) is always made month by month, so every person's result,
//! traced and not, must be the same: here on the Dashuipo year and on policies that mix quiet and
//! busy months with caps over quarters, steady `when` rules (points, `zero`, flags, grade caps,
//! `from total`), bases read from facts that some people lack, and rules that read the month.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use tally::diag::plain;
use tally::eval::input::{self, InMemory};
use tally::eval::{Options, evaluate};

fn options(trace: Option<usize>, memory: Vec<InMemory>) -> Options {
    common::options_2021(trace, memory)
}

fn text(name: &str, text: &str) -> InMemory {
    InMemory {
        name: PathBuf::from(name),
        bytes: text.as_bytes().into(),
        first_line: 1,
    }
}

/// Every person's result, made with the person traced and without: the same, person by person.
fn same_traced_or_not(policy_text: &str, roster: &str, records: &str) {
    let policy = common::policy(policy_text);
    let roster = input::read_roster_from(&policy, &text("roster.csv", roster))
        .unwrap_or_else(|p| panic!("{:?}", p.list.iter().map(plain).collect::<Vec<_>>()));
    let files = [PathBuf::from("records.csv")];
    let memory = || vec![text("records.csv", records)];
    let (all, _) = evaluate(&policy, &roster, &files, &options(None, memory()))
        .unwrap_or_else(|p| panic!("{:?}", p.list.iter().map(plain).collect::<Vec<_>>()));
    for p in 0..roster.people.len() {
        let (traced, trace) = evaluate(&policy, &roster, &files, &options(Some(p), memory()))
            .unwrap_or_else(|e| panic!("{:?}", e.list.iter().map(plain).collect::<Vec<_>>()));
        assert!(trace.is_some());
        assert_eq!(
            format!("{:#?}", traced.people[p]),
            format!("{:#?}", all.people[p]),
            "{}",
            roster.people[p].id
        );
    }
}

#[test]
fn the_dashuipo_year_is_the_same_traced_or_not() {
    let dir = common::root().join("policies");
    let policy = std::fs::read_to_string(dir.join("dashuipo-2020.policy")).unwrap();
    let roster = std::fs::read_to_string(dir.join("dashuipo-2020/roster.csv")).unwrap();
    // Every month's records in one file, under one header.
    let mut records = String::new();
    let files = input::record_files(&[dir.join("dashuipo-2020/records")]).unwrap();
    for (i, f) in files.iter().enumerate() {
        let body = std::fs::read_to_string(f).unwrap();
        let mut lines = body.lines();
        let header = lines.next().unwrap();
        if i == 0 {
            records.push_str(header);
            records.push('\n');
        } else {
            assert_eq!(header, records.lines().next().unwrap(), "{f:?}");
        }
        for l in lines {
            records.push_str(l);
            records.push('\n');
        }
    }
    same_traced_or_not(&policy, &roster, &records);
}

const ROSTER: &str = "person,name,department,role
A,甲,办公室,staff
B,乙,办公室,lead
C,丙,财务室,staff
D,丁,财务室,lead
E,戊,财务室,staff
";

const KINDS: &str = "
roster {
  role: staff | lead
}
record late \"迟到\" by person
record absent \"缺岗\" by person
record bonus \"奖励\" by person { points: points }
record rating \"评分\" by person { score: number 0..100 }
";

/// Records in some months only, for some people only: most months of most people are quiet.
const RECORDS: &str = "date,kind,person,points,score
2020-01-06,late,A,,
2020-02-03,late,A,,
2020-02-04,late,A,,
2020-04-07,late,A,,
2020-04-08,late,A,,
2020-04-09,late,A,,
2020-03-03,absent,B,,
2020-05-11,absent,B,,
2020-05-12,absent,B,,
2020-06-01,absent,B,,
2020-08-03,bonus,C,12.5,
2020-11-02,bonus,C,-3,
2020-03-02,rating,A,,80
2020-03-02,rating,B,,40
2020-07-01,rating,C,,95
2020-12-31,late,D,,
";

fn policy(rules: &str, bases: &str) -> String {
    format!(
        "policy \"静月\" year 2020 total 100
annual = sum(months) / 12
round 2 half-up
{KINDS}
cap lateness \"迟到\" 20 in quarter
section s \"s\" 100 {{
  item i \"i\" 60 {{
{bases}
{rules}
  }}
  item j \"j\" 40 {{
    [2] per absent -10
  }}
}}
grades {{
  A >= 90 \"a\"
  B >= 60 \"b\"
  C \"c\"
}}
"
    )
}

#[test]
fn steady_rules_with_quarter_caps_are_the_same_traced_or_not() {
    let rules = "    [1] per late -8 cap lateness
    [1] per absent -3 cap 4 in quarter
    [1] when count(late) in year > 4: -5
    [1] when count(late) in year >= 6: zero, flag \"迟到六次\"
    [1] when sum(bonus.points) in year > 0: +2 from total
    [1] when role = lead and count(late) in year = 0: +1";
    same_traced_or_not(&policy(rules, ""), ROSTER, RECORDS);
}

#[test]
fn a_base_from_a_year_mean_some_lack_is_the_same_traced_or_not() {
    // C, D and E have no rating: their base is missing, every month is not final.
    let bases = "    [1] base 60 * mean(rating.score) in year / 100";
    same_traced_or_not(
        &policy("    [1] per late -8 cap lateness", bases),
        ROSTER,
        RECORDS,
    );
}

#[test]
fn rules_that_read_the_month_are_the_same_traced_or_not() {
    // Not steady: every month is made on its own.
    let rules = "    [1] per late -8 cap lateness
    [1] when count(late) in month = 0: +1
    [1] when count(absent) in year >= 2: -4";
    same_traced_or_not(&policy(rules, ""), ROSTER, RECORDS);
}

#[test]
fn a_month_whose_only_record_zeroes_an_item_is_not_quiet() {
    // A late record here only zeroes item i: no points, no count. Its month is not like the
    // months in which nothing happened.
    let rules = "    [1] per late zero
    [1] when count(absent) in year >= 2: -4";
    same_traced_or_not(&policy(rules, ""), ROSTER, RECORDS);
}
