//! `tally explain` on the Dashuipo example year. For every person and every period (the twelve
//! months and the year) each line's points are the sum of the lines under it, in the JSON form and
//! in the text a user reads, and the top line is the total `tally eval` publishes. Then the trees
//! of a few people as a user sees them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::Out;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;
use tally::eval::{Date, Options, evaluate, input};
use tally::report::explain::{Context, Scope, render};

const POLICY: &str = "policies/dashuipo-2020.policy";
const ROSTER: &str = "policies/dashuipo-2020/roster.csv";
const RECORDS: &str = "policies/dashuipo-2020/records";

/// `tally COMMAND POLICY ARGS... --roster --records --as-of 2021-01-05`.
fn tally(command: &str, args: &[&str]) -> Out {
    let inputs = [
        "--roster",
        ROSTER,
        "--records",
        RECORDS,
        "--as-of",
        "2021-01-05",
    ];
    common::cli([command, POLICY].iter().chain(args).chain(&inputs))
}

fn ok(command: &str, args: &[&str]) -> String {
    tally(command, args).ok()
}

/// The 13 periods: the months, then the year.
fn periods() -> Vec<String> {
    (1..=12)
        .map(|m| format!("2020-{m:02}"))
        .chain(["2020".to_string()])
        .collect()
}

/// What `tally eval --format csv` publishes, by (person, period).
fn published() -> BTreeMap<(String, String), Decimal> {
    let csv = ok("eval", &["--format", "csv"]);
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|row| {
            let row = row.unwrap();
            (
                (row[0].to_string(), row[2].to_string()),
                row[3].parse().unwrap(),
            )
        })
        .collect()
}

fn points(node: &Value) -> Option<Decimal> {
    node["points"].as_str().map(|p| p.parse().unwrap())
}

/// Checks that a node's points are the sum of those of its children that carry points, and the
/// same all the way down; returns how many sums were checked.
fn check_sums(node: &Value, path: &str) -> usize {
    let here = format!("{path} / {}", node["label"].as_str().unwrap());
    let children = node["children"].as_array().map_or(&[][..], Vec::as_slice);
    let carried: Vec<Decimal> = children.iter().filter_map(points).collect();
    let mut checked = 0;
    if let (Some(total), false) = (points(node), carried.is_empty()) {
        let sum: Decimal = carried.iter().sum();
        assert_eq!(sum, total, "the lines under `{here}` do not add up");
        checked += 1;
    }
    checked + children.iter().map(|c| check_sums(c, &here)).sum::<usize>()
}

fn half_up(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

#[test]
fn every_json_tree_adds_up_to_the_published_total() {
    let published = published();
    let people: Vec<String> = published
        .keys()
        .map(|(p, _)| p.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(people.len(), 20);
    let jobs: Vec<(&String, String)> = people
        .iter()
        .flat_map(|p| periods().into_iter().map(move |period| (p, period)))
        .collect();
    assert_eq!(jobs.len(), 20 * 13);
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let sums: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(jobs.len().div_ceil(threads))
            .map(|chunk| {
                let published = &published;
                scope.spawn(move || {
                    let mut sums = 0;
                    for (person, period) in chunk {
                        let json = ok(
                            "explain",
                            &["--person", person, "--period", period, "--format", "json"],
                        );
                        let tree: Value = serde_json::from_str(&json).unwrap();
                        sums += check_sums(&tree, &format!("{person} {period}"));
                        let top = points(&tree).unwrap();
                        let want = published[&((*person).clone(), period.clone())];
                        if period.len() == 4 {
                            // The year's top line is the published result itself.
                            assert_eq!(top, want, "{person} {period}");
                        } else {
                            // A month's top line is its exact total; rounded, it is the published one.
                            assert_eq!(half_up(top), want, "{person} {period}");
                            let notes = tree["notes"].as_array().unwrap();
                            assert!(
                                notes.contains(&Value::from(format!("published {want}"))),
                                "{person} {period}: {notes:?}"
                            );
                        }
                    }
                    sums
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    // Each month has its sections, items and year a line per month: far more than ten sums a tree.
    assert!(sums > 20 * 13 * 10, "only {sums} sums checked");
}

/// One line of the text tree: how deep it is, and its points as printed.
struct Line {
    depth: usize,
    label: String,
    points: String,
}

/// The lines of a text tree that carry a node (notes and record lines are left out). A node's
/// line is its points, right-aligned, two spaces, then `├─ ` or `└─ ` after three characters per
/// level above it; the top line has no branch.
fn tree_lines(text: &str) -> Vec<Line> {
    let mut lines = text.lines();
    let top = lines.next().unwrap();
    let width = top.len() - top.trim_start().len() + top.trim_start().find("  ").unwrap();
    let mut out = vec![Line {
        depth: 0,
        label: top[width + 2..].to_string(),
        points: top[..width].trim().to_string(),
    }];
    for line in lines {
        let chars: Vec<char> = line.chars().collect();
        let (points, tree): (String, String) = (
            chars[..width].iter().collect(),
            chars[width + 2..].iter().collect(),
        );
        let Some(branch) = tree.find("├─ ").or_else(|| tree.find("└─ ")) else {
            assert!(points.trim().is_empty(), "a note with points: {line}");
            continue;
        };
        let depth = tree[..branch].chars().count() / 3 + 1;
        out.push(Line {
            depth,
            label: tree[branch..].chars().skip(3).collect(),
            points: points.trim().to_string(),
        });
    }
    out
}

/// Checks that every printed line with lines under it is the sum of their printed points; returns
/// how many sums were checked.
fn check_text_sums(text: &str, what: &str) -> usize {
    let lines = tree_lines(text);
    for line in &lines {
        // In the example year no line's points have so many decimals that they are cut short.
        assert!(!line.points.ends_with('…'), "{what}: {}", line.label);
    }
    let mut checked = 0;
    for (i, line) in lines.iter().enumerate() {
        let children: Vec<&Line> = lines[i + 1..]
            .iter()
            .take_while(|l| l.depth > line.depth)
            .filter(|l| l.depth == line.depth + 1)
            .collect();
        if children.is_empty() || line.points.is_empty() {
            continue;
        }
        if children.iter().any(|c| c.points.is_empty()) {
            continue;
        }
        let value = |p: &str| -> Decimal { p.trim_start_matches('+').parse().unwrap() };
        let sum: Decimal = children.iter().map(|c| value(&c.points)).sum();
        assert_eq!(
            sum,
            value(&line.points),
            "{what}: the printed lines under `{}` do not add up:\n{text}",
            line.label
        );
        checked += 1;
    }
    checked
}

/// The same check on the text trees, built in this process for speed: one evaluation per person,
/// then the tree of each period rendered as `tally explain` prints it.
#[test]
fn every_text_tree_adds_up_as_printed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(root.join(POLICY)).unwrap();
    let policy = tally::compile::compile(POLICY, &bytes).policy.unwrap();
    let roster = input::read_roster(&policy, &root.join(ROSTER)).unwrap();
    let files: Vec<PathBuf> = input::record_files(&[root.join(RECORDS)]).unwrap();
    let mut sums = 0;
    for person in 0..roster.people.len() {
        let options = Options {
            as_of: Date {
                year: 2021,
                month: 1,
                day: 5,
            },
            trace: Some(person),
            encoding: input::Encoding::Auto,
            memory: Vec::new(),
            reading: Default::default(),
            threads: None,
        };
        let Ok((_, Some(trace))) = evaluate(&policy, &roster, &files, &options) else {
            panic!("the example year does not evaluate");
        };
        let cx = Context {
            policy: &policy,
            roster: &roster,
            files: &files,
            trace: &trace,
        };
        let scopes = (1..=12).map(Scope::Month).chain([Scope::Year]);
        for scope in scopes {
            let text = render(&cx.tree(scope).unwrap(), policy.round_places);
            let what = format!("{} {scope:?}", roster.people[person].id);
            sums += check_text_sums(&text, &what);
        }
    }
    assert!(sums > 20 * 13 * 10, "only {sums} sums checked");
}

#[test]
fn the_year_of_a_person_with_a_flag() {
    insta::assert_snapshot!(ok("explain", &["--person", "D07"]));
}

#[test]
fn a_month_with_a_zeroed_item_clamps_and_year_windows() {
    insta::assert_snapshot!(ok("explain", &["--person", "D07", "--period", "2020-05"]));
}

#[test]
fn a_year_with_a_capped_grade() {
    insta::assert_snapshot!(ok("explain", &["--person", "D15", "--period", "2020"]));
}

#[test]
fn a_year_whose_average_is_not_exact() {
    insta::assert_snapshot!(ok("explain", &["--person", "D19", "--period", "2020"]));
}

/// Monthly totals with more decimals than are published: the year adds up the exact ones.
#[test]
fn a_year_of_months_published_rounded() {
    let text = ok("explain", &["--person", "D09"]);
    assert!(
        text.contains("+922.625  │  ├─ 2020-01 (published 922.63)"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn an_unknown_person() {
    let out = tally("explain", &["--person", "D7"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn a_person_given_by_name() {
    let out = tally("explain", &["--person", "赵磊"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    insta::assert_snapshot!(out.stderr);
}

/// Two rules raise the same flag, two rules cap the grade without giving points: the year names
/// the rule that raised each for this person, not the first rule in the policy that could have.
#[test]
fn a_flag_and_a_grade_cap_name_the_rule_that_raised_them() {
    let policy = r#"policy "测试办法" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

roster {
  role: teacher | nurse
}

record late "迟到" by person
record absent "缺岗" by person

section work "工作" 100 {
  item duty "职责" 100 {
    [1.1] per late -1, flag "警告"
    [1.2] per absent -2, flag "警告"
    [1.3] per absent grade at most fair
    [1.4] when count(late) in year >= 2: grade at most poor
  }
}

grades {
  good >= 90 "好"
  fair >= 60 "中"
  poor "差"
}
"#;
    let dir = common::temp_dir("raised");
    let policy = common::write(&dir, "a.policy", policy);
    let roster = common::write(
        &dir,
        "roster.csv",
        "person,name,department,role\nA,甲,办,teacher\nB,乙,办,teacher\n",
    );
    let records = common::write(
        &dir,
        "records.csv",
        "date,kind,person\n2020-03-02,absent,A\n2020-05-02,late,B\n2020-06-02,late,B\n",
    );
    let head = |person: &str| {
        let out = common::cli([
            "explain".as_ref(),
            policy.as_os_str(),
            "--roster".as_ref(),
            roster.as_os_str(),
            "--records".as_ref(),
            records.as_os_str(),
            "--as-of".as_ref(),
            "2021-01-01".as_ref(),
            "--person".as_ref(),
            person.as_ref(),
        ])
        .ok();
        out.lines().take(4).collect::<Vec<_>>().join("\n")
    };
    let text = format!("{}\n{}", head("A"), head("B"));
    let _ = std::fs::remove_dir_all(&dir);
    insta::assert_snapshot!(text, @r"
       99.83  A 甲 (办) — 2020
                  grade by score: good
                  grade at most fair (2020-03, by [1.3]): grade fair
                  flag: 警告 (raised by [1.2])
       99.83  B 乙 (办) — 2020
                  grade by score: good
                  grade at most poor (2020-01, by [1.4]): grade poor
                  flag: 警告 (raised by [1.1])
    ");
}

/// A capped rule of an item (the benchmark policy's `per late, early_leave -5 cap 40`) is shown
/// once, in its item: not a second time "outside the items", where its points would not add up to
/// that line's 0.
#[test]
fn a_capped_rule_of_an_item_is_shown_in_its_item_only() {
    let dir = common::temp_dir("capped");
    let roster = common::write(
        &dir,
        "roster.csv",
        "person,name,department,role,head,temporary\nP1,王建国,办,片长,false,false\n",
    );
    let records = common::write(
        &dir,
        "records.csv",
        // Ten late arrivals: 50 points, of which the cap counts 40.
        "date,kind,person,days,hours\n2020-03-02,late,P1,,\n2020-03-03,late,P1,,\n2020-03-04,late,P1,,\n2020-03-05,late,P1,,\n2020-03-06,late,P1,,\n2020-03-07,late,P1,,\n2020-03-08,late,P1,,\n2020-03-09,late,P1,,\n2020-03-10,late,P1,,\n2020-03-11,late,P1,,\n",
    );
    let out = common::cli([
        "explain".as_ref(),
        "examples/bench/bench.policy".as_ref(),
        "--roster".as_ref(),
        roster.as_os_str(),
        "--records".as_ref(),
        records.as_os_str(),
        "--as-of".as_ref(),
        "2021-01-01".as_ref(),
        "--person".as_ref(),
        "P1".as_ref(),
        "--period".as_ref(),
        "2020-03".as_ref(),
    ])
    .ok()
    .replace(&records.display().to_string(), "records.csv");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.matches("cap 40").count(), 1, "{out}");
    insta::assert_snapshot!(out, @r"
     160.00  P1 王建国 (办) — 2020-03
                 published 160.00
    +160.00  └─ office 机关工作
     +60.00     ├─ attendance 考勤 (budget 100)
    +100.00     │  ├─ base: the budget
     -40.00     │  └─ [1] per late, early_leave -5 cap 40
     -50.00     │     ├─ 10 record(s)
                │     │      records: records.csv:2, :3, :4, :5, :6, :7, :8, :9, :10, :11
     +10.00     │     └─ cap: -50 → -40 counted
    +100.00     └─ hygiene 卫生与活动 (budget 100)
    +100.00        └─ base: the budget
    ");
}
