//! Arithmetic that cannot be done exactly as written is an error, never a saturated, cut or
//! silent value: a division by zero or a number too large to hold, in a per-event amount, a base,
//! a `when` rule, a running sum or the annual formula, names the rule, the person and the period
//! (or the record's line), and nothing is published.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{cli, temp_dir, write};

const HEAD: &str = "policy \"算术\" year 2020 total 100\n";

const KINDS: &str = "
record late \"迟到\" by person
record bonus \"奖励\" by person { points: points }
record rating \"评分\" by person { score: number 0..100, weight: number }
";

const ROSTER: &str = "person,name,department\nA,甲,办公室\nB,乙,办公室\n";

/// Evaluates `policy` (after the header) on `records` (rows after the header line); returns
/// standard error with the folder's path taken out, after checking that nothing was published.
fn refused(annual: &str, body: &str, records: &str) -> String {
    let dir = temp_dir("arith");
    let policy = format!(
        "{HEAD}{annual}\nround 2 half-up\n{KINDS}\n{body}\ngrades {{\n  A >= 90 \"a\"\n  B \"b\"\n}}\n"
    );
    let p = write(&dir, "p.policy", &policy);
    let check = cli(["check", p.to_str().unwrap()]);
    assert_eq!(check.code, Some(0), "check refused it:\n{}", check.both());
    let roster = write(&dir, "roster.csv", ROSTER);
    let records = write(
        &dir,
        "records.csv",
        &format!("date,kind,person,department,points,score,weight\n{records}"),
    );
    let out = cli([
        "eval",
        p.to_str().unwrap(),
        "--roster",
        roster.to_str().unwrap(),
        "--records",
        records.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(out.stdout.is_empty(), "published:\n{}", out.stdout);
    out.stderr.replace(dir.to_str().unwrap(), "DIR")
}

const ITEM_BONUS: &str =
    "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per bonus +points\n  }\n}";

#[test]
fn an_amount_times_a_field_beyond_any_decimal() {
    insta::assert_snapshot!(refused(
        "annual = sum(months) / 12",
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per rating.score +9999999999999999999999999999 from total\n  }\n}",
        "2020-03-02,rating,A,,,100,1\n",
    ));
}

#[test]
fn an_annual_formula_beyond_any_number() {
    insta::assert_snapshot!(refused(
        "annual = sum(months) / min(months) * sum(months)",
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per bonus +points from total\n  }\n}",
        "2020-03-02,bonus,A,,9999999999999999999999999999,,\n",
    ));
}

/// Where the policy's own numbers already make it impossible, `check` refuses it.
#[test]
fn check_refuses_factors_no_score_survives() {
    let dir = temp_dir("arith-check");
    let policy = format!(
        "{HEAD}annual = sum(months) * 9999999999999999999999999999 * 9999999999999999999999999999\nround 2 half-up\n{KINDS}\n{ITEM_BONUS}\ngrades {{\n  A >= 90 \"a\"\n  B \"b\"\n}}\n"
    );
    let p = write(&dir, "p.policy", &policy);
    let out = cli(["check", p.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(out.both().contains("tally::too-large"), "{}", out.both());
}

#[test]
fn many_large_records_summed_past_a_decimal() {
    let rows: String = (1..=9)
        .map(|d| format!("2020-03-0{d},bonus,B,,9999999999999999999999999999,,\n"))
        .collect();
    insta::assert_snapshot!(refused(
        "annual = sum(months) / 12",
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per bonus +points from total\n  }\n}",
        &rows,
    ));
}

#[test]
fn a_running_sum_past_what_an_exact_number_holds() {
    let rows: String = (10..=28)
        .map(|d| format!("2020-05-{d},bonus,A,,9999999999999999999999999999,,\n"))
        .collect();
    insta::assert_snapshot!(refused(
        "annual = sum(months) / 12",
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per bonus +points * 1000000000 from total\n  }\n}",
        &rows,
    ));
}

#[test]
fn a_base_dividing_by_a_count_that_is_zero() {
    insta::assert_snapshot!(refused(
        "annual = sum(months) / 12",
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] base 100 / count(late) in year\n  }\n}",
        "2020-03-02,late,A,,,,\n",
    ));
}

#[test]
fn a_per_event_amount_dividing_by_a_field_that_is_zero() {
    insta::assert_snapshot!(refused(
        "annual = sum(months) / 12",
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per rating -10 / weight\n  }\n}",
        "2020-03-02,rating,A,,,50,2\n2020-04-02,rating,A,,,50,0\n",
    ));
}

#[test]
fn a_when_rule_dividing_by_a_sum_that_is_zero() {
    insta::assert_snapshot!(refused(
        "annual = sum(months) / 12",
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] when count(late) in year > 0: -10 / sum(rating.weight) in year\n  }\n}",
        "2020-03-02,late,A,,,,\n",
    ));
}

#[test]
fn an_annual_formula_dividing_by_a_zero_month() {
    insta::assert_snapshot!(refused(
        "annual = sum(months) / min(months)",
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per late -100\n  }\n}",
        "2020-03-02,late,A,,,,\n"
    ));
}

/// A sum that passes a decimal's 28 digits but comes back is still exact: the error is only
/// where the number cannot be held, never a rounding on the way.
#[test]
fn large_amounts_that_cancel_are_exact() {
    let dir = temp_dir("arith-cancel");
    let policy = format!(
        "{HEAD}annual = sum(months) / 12\nround 2 half-up\n{KINDS}\n{}\ngrades {{\n  A >= 90 \"a\"\n  B \"b\"\n}}\n",
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per bonus +points / 3 from total\n  }\n}"
    );
    let p = write(&dir, "p.policy", &policy);
    let roster = write(&dir, "roster.csv", ROSTER);
    let records = write(
        &dir,
        "records.csv",
        "date,kind,person,department,points,score,weight\n\
         2020-03-02,bonus,A,,9999999999999999999999999999,,\n\
         2020-03-03,bonus,A,,9999999999999999999999999999,,\n\
         2020-03-04,bonus,A,,-9999999999999999999999999999,,\n\
         2020-03-05,bonus,A,,-9999999999999999999999999998,,\n\
         2020-03-06,bonus,A,,0.5,,\n",
    );
    let out = cli([
        "eval",
        p.to_str().unwrap(),
        "--roster",
        roster.to_str().unwrap(),
        "--records",
        records.to_str().unwrap(),
        "--format",
        "csv",
        "--period",
        "2020-03",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    // 100 + (1 + 0.5) / 3 = 100.5
    insta::assert_snapshot!(out.ok());
}

/// A `-` before an amount negates its first term, as it reads: `-weight - 10` takes both, and
/// only brackets make the sign cover a sum.
#[test]
fn a_minus_sign_before_an_amount_reads_as_written() {
    let dir = temp_dir("arith-sign");
    let cases = [
        ("-weight - 10", "85.00"),
        ("-(weight - 10)", "105.00"),
        ("-weight * 2 + 1", "91.00"),
        ("-2 * (10 - weight)", "90.00"),
        ("+weight - 10", "95.00"),
        ("-weight", "95.00"),
    ];
    for (amount, march) in cases {
        let policy = format!(
            "{HEAD}annual = sum(months) / 12\nround 2 half-up\n{KINDS}\nsection s \"s\" 100 {{\n  item i \"i\" 100 {{\n    [1] per rating {amount} from total\n  }}\n}}\ngrades {{\n  A >= 90 \"a\"\n  B \"b\"\n}}\n"
        );
        let p = write(&dir, "p.policy", &policy);
        let roster = write(&dir, "roster.csv", ROSTER);
        let records = write(
            &dir,
            "records.csv",
            "date,kind,person,department,points,score,weight\n2020-03-02,rating,A,,,50,5\n",
        );
        let out = cli([
            "eval",
            p.to_str().unwrap(),
            "--roster",
            roster.to_str().unwrap(),
            "--records",
            records.to_str().unwrap(),
            "--format",
            "csv",
            "--period",
            "2020-03",
        ]);
        let csv = out.ok();
        assert!(
            csv.contains(&format!("A,甲,2020-03,{march},")),
            "`{amount}`: expected {march}\n{csv}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// One rule that fails for every person is listed 50 times, then counted.
#[test]
fn problems_while_scoring_are_listed_at_most_fifty_times() {
    let dir = temp_dir("arith-many");
    let policy = format!(
        "{HEAD}annual = sum(months) / 12\nround 2 half-up\n{KINDS}\nsection s \"s\" 100 {{\n  item i \"i\" 100 {{\n    [1] base 100 / count(late) in year\n  }}\n}}\ngrades {{\n  A >= 90 \"a\"\n  B \"b\"\n}}\n"
    );
    let p = write(&dir, "p.policy", &policy);
    let mut roster = String::from("person,name,department\n");
    for i in 0..60 {
        roster += &format!("P{i:02},人{i},办公室\n");
    }
    let roster = write(&dir, "roster.csv", &roster);
    let records = write(&dir, "records.csv", "date,kind,person\n");
    let run = |format: &str| {
        cli([
            "eval",
            p.to_str().unwrap(),
            "--roster",
            roster.to_str().unwrap(),
            "--records",
            records.to_str().unwrap(),
            "--format",
            format,
        ])
    };
    let text = run("csv");
    let json = run("json");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(text.code, Some(1));
    let lines: Vec<&str> = text.stderr.lines().collect();
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("error: ")).count(),
        50
    );
    assert!(
        text.stderr
            .contains("… and 10 more problems while scoring\n"),
        "{}",
        text.stderr
    );
    assert!(
        text.stderr
            .ends_with("60 problems in the inputs; no results were computed\n")
    );
    let json_lines: Vec<&str> = json.stderr.lines().collect();
    assert_eq!(json_lines.len(), 51, "{}", json.stderr);
    assert_eq!(json_lines[50], r#"{"more":10}"#);
}

/// Evaluates a policy body on records (after the header) with `args` after the inputs; the
/// policy must pass `check`.
fn eval_with(body: &str, annual: &str, records: &str, args: &[&str]) -> common::Out {
    let dir = temp_dir("arith-eval");
    let policy = format!(
        "{HEAD}{annual}\nround 2 half-up\n{KINDS}\n{body}\ngrades {{\n  A >= 90 \"a\"\n  B \"b\"\n}}\n"
    );
    let p = write(&dir, "p.policy", &policy);
    let check = cli(["check", p.to_str().unwrap()]);
    assert_eq!(check.code, Some(0), "check refused it:\n{}", check.both());
    let roster = write(&dir, "roster.csv", ROSTER);
    let records = write(
        &dir,
        "records.csv",
        &format!("date,kind,person,department,points,score,weight\n{records}"),
    );
    let mut all = vec![
        "eval".to_string(),
        p.display().to_string(),
        "--roster".into(),
        roster.display().to_string(),
        "--records".into(),
        records.display().to_string(),
    ];
    all.extend(args.iter().map(|a| a.to_string()));
    if args.first() == Some(&"explain") {
        all.remove(0);
        all.retain(|a| a != "explain");
        all.insert(0, "explain".into());
    }
    let mut out = cli(&all);
    let _ = std::fs::remove_dir_all(&dir);
    out.stderr = out.stderr.replace(dir.to_str().unwrap(), "DIR");
    out.stdout = out.stdout.replace(dir.to_str().unwrap(), "DIR");
    out
}

/// A division by zero inside an aggregate's `where` is an error at the record, never a record
/// skipped silently.
#[test]
fn a_filter_dividing_by_zero_is_an_error_at_the_record() {
    let out = eval_with(
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] when count(rating where score / weight > 2) >= 1: -10\n  }\n}",
        "annual = sum(months) / 12",
        "2020-03-02,rating,A,,,50,0\n",
        &["--format", "csv"],
    );
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(out.stdout.is_empty());
    insta::assert_snapshot!(out.stderr);
}

/// A small score whose exact fraction has a long denominator is published, not refused as too
/// large (the rounding works in big integers where it must).
#[test]
fn a_long_fraction_of_a_small_score_is_published() {
    let records: String = [(1, 17), (2, 23), (3, 89), (4, 97)]
        .iter()
        .map(|(m, w)| format!("2020-0{m}-02,rating,A,,,1.000000000000000000000000001,{w}\n"))
        .collect();
    let out = eval_with(
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per rating +score / weight from total\n  }\n}",
        "annual = sum(months) / 12",
        &records,
        &["--format", "csv", "--period", "2020"],
    );
    // (1/17 + 1/23 + 1/89 + 1/97) × 1.000000000000000000000000001 / 12 + 100 = 100.0103…
    assert!(out.ok().contains("A,甲,2020,100.01,"));
}

/// A capped `from total` rule is explained once, outside the items, where its points go.
#[test]
fn a_capped_rule_from_the_total_is_explained_where_its_points_go() {
    let out = eval_with(
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per late -5 from total cap 10\n  }\n}",
        "annual = sum(months) / 12",
        "2020-03-02,late,A,,,,\n2020-03-03,late,A,,,,\n2020-03-04,late,A,,,,\n",
        &["explain", "--person", "A", "--period", "2020-03"],
    );
    insta::assert_snapshot!(out.ok());
}

/// A roster condition that divides by a column that is 0 for somebody is an error naming them,
/// never a condition taken as false.
#[test]
fn a_roster_condition_dividing_by_zero_is_an_error() {
    let dir = temp_dir("arith-roster");
    let policy = format!(
        "{HEAD}annual = sum(months) / 12\nround 2 half-up\nroster {{\n  years: number\n  months: number\n}}\n{KINDS}\nsection s \"s\" 100 {{\n  item i \"i\" 100 {{\n    [1] per late -10 for years / months > 1\n  }}\n}}\ngrades {{\n  A >= 90 \"a\"\n  B \"b\"\n}}\n"
    );
    let p = write(&dir, "p.policy", &policy);
    let roster = write(
        &dir,
        "roster.csv",
        "person,name,department,years,months\nA,甲,办公室,2,0\nB,乙,办公室,2,1\n",
    );
    let records = write(
        &dir,
        "records.csv",
        "date,kind,person\n2020-03-02,late,A\n2020-03-02,late,B\n",
    );
    let out = cli([
        "eval",
        p.to_str().unwrap(),
        "--roster",
        roster.to_str().unwrap(),
        "--records",
        records.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(out.stdout.is_empty());
    insta::assert_snapshot!(out.stderr);
}

/// Written numbers are computed exactly before a divisor is judged: `1 / 3 * 3 - 1` is 0.
#[test]
fn a_divisor_written_as_an_exact_zero_is_refused() {
    let dir = temp_dir("arith-zero");
    let policy = format!(
        "{HEAD}annual = sum(months) / (1 / 3 * 3 - 1)\nround 2 half-up\n{KINDS}\n{ITEM_BONUS}\ngrades {{\n  A >= 90 \"a\"\n  B \"b\"\n}}\n"
    );
    let p = write(&dir, "p.policy", &policy);
    let out = cli(["check", p.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(
        out.both().contains("tally::division-by-zero"),
        "{}",
        out.both()
    );
}

/// Two revisions whose published results differ by more than a decimal holds are compared
/// exactly, never with a panic.
#[test]
fn diff_of_results_further_apart_than_a_decimal_holds() {
    let dir = temp_dir("arith-diff");
    let body =
        "section s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per bonus +points from total\n  }\n}";
    let make = |annual: &str| {
        format!(
            "{HEAD}{annual}\nround 0 half-up\n{KINDS}\n{body}\ngrades {{\n  A >= 90 \"a\"\n  B \"b\"\n}}\n"
        )
    };
    let old = write(&dir, "old.policy", &make("annual = 0 - sum(months)"));
    let new = write(&dir, "new.policy", &make("annual = sum(months)"));
    let roster = write(&dir, "roster.csv", ROSTER);
    let records = write(
        &dir,
        "records.csv",
        "date,kind,person,points\n2020-03-02,bonus,A,50000000000000000000000000000\n",
    );
    let out = cli([
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--roster",
        roster.to_str().unwrap(),
        "--records",
        records.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_ne!(out.code, Some(101), "{}", out.both());
    insta::assert_snapshot!(out.both());
}

/// Numbers written in the policy whose arithmetic needs more digits than tally computes with are
/// refused by `check`; a large factor divided down again is not.
#[test]
fn check_judges_written_numbers_exactly() {
    let dir = temp_dir("arith-written");
    let cases = [
        (
            "-9999999999999999999999999999 * 9999999999999999999999999999",
            true,
        ),
        (
            "-0.0000000000000000000000000001 * 0.0000000000000000000000000001 * 10",
            true,
        ),
        (
            "-score * 1000000000000000000 * 1000000000000 / 10000000000000000000000000000 / 100",
            false,
        ),
        (
            "+score * 0 * 9999999999999999999999999999 * 9999999999999999999999999999",
            false,
        ),
        (
            "-score * 9999999999999999999999999999 * 9999999999999999999999999999 / 12",
            true,
        ),
    ];
    for (amount, refused) in cases {
        let policy = format!(
            "{HEAD}annual = sum(months) / 12\nround 2 half-up\n{KINDS}\nsection s \"s\" 100 {{\n  item i \"i\" 100 {{\n    [1] per rating {amount}\n  }}\n}}\ngrades {{\n  A >= 90 \"a\"\n  B \"b\"\n}}\n"
        );
        let p = write(&dir, "p.policy", &policy);
        let out = cli(["check", p.to_str().unwrap()]);
        assert_eq!(
            out.both().contains("tally::too-large"),
            refused,
            "`{amount}`:\n{}",
            out.both()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
