//! Arithmetic that cannot be done exactly as written is an error, never a saturated, cut or
//! silent value: a division by zero or a number too large to hold, in a per-event amount, a base,
//! a `when` rule, a running sum or the annual formula, names the rule, the person and the period
//! (or the record's line), and nothing is published.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Out, in_folder as run};

const KINDS: &str = "
record late \"迟到\" by person
record bonus \"奖励\" by person { points: points }
record rating \"评分\" by person { score: number 0..100, weight: number }
";

const ROSTER: &str = "person,name,department\nA,甲,办公室\nB,乙,办公室\n";

/// The header of a records file with every field of [`KINDS`].
const RECORDS: &str = "date,kind,person,department,points,score,weight\n";

/// A policy of the kinds above: `annual`, `roster` (a roster block, or nothing), then `body`.
fn policy(annual: &str, roster: &str, body: &str) -> String {
    format!(
        "policy \"算术\" year 2020 total 100\n{annual}\nround 2 half-up\n{roster}{KINDS}\n{body}\ngrades {{\n  A >= 90 \"a\"\n  B \"b\"\n}}\n"
    )
}

/// Section `s` with its one item `i`, holding `rules`.
fn item(rules: &str) -> String {
    format!("section s \"s\" 100 {{\n  item i \"i\" 100 {{\n    {rules}\n  }}\n}}")
}

/// `tally eval` of a policy on the two-person roster and `rows` of records, after `check` has
/// accepted the policy; `args` follow the inputs.
fn eval(policy_text: &str, rows: &str, args: &[&str]) -> Out {
    let records = format!("{RECORDS}{rows}");
    let files = [
        ("p.policy", policy_text),
        ("roster.csv", ROSTER),
        ("records.csv", records.as_str()),
    ];
    let check = run(&files, &["check", "p.policy"]);
    assert_eq!(check.code, Some(0), "check refused it:\n{}", check.both());
    let mut all = vec![
        "eval",
        "p.policy",
        "--roster",
        "roster.csv",
        "--records",
        "records.csv",
    ];
    all.extend_from_slice(args);
    run(&files, &all)
}

/// Standard error of an evaluation that must publish nothing.
fn refused(annual: &str, body: &str, rows: &str) -> String {
    let out = eval(&policy(annual, "", body), rows, &["--format", "csv"]);
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(out.stdout.is_empty(), "published:\n{}", out.stdout);
    out.stderr
}

/// What `tally check` says of a policy.
fn check(policy_text: &str) -> Out {
    run(&[("p.policy", policy_text)], &["check", "p.policy"])
}

const YEAR: &str = "annual = sum(months) / 12";

#[test]
fn an_amount_times_a_field_beyond_any_decimal() {
    insta::assert_snapshot!(refused(
        YEAR,
        &item("[1] per rating.score +9999999999999999999999999999 from total"),
        "2020-03-02,rating,A,,,100,1\n",
    ));
}

#[test]
fn an_annual_formula_beyond_any_number() {
    insta::assert_snapshot!(refused(
        "annual = sum(months) / min(months) * sum(months)",
        &item("[1] per bonus +points from total"),
        "2020-03-02,bonus,A,,9999999999999999999999999999,,\n",
    ));
}

/// Where the policy's own numbers already make it impossible, `check` refuses it.
#[test]
fn check_refuses_factors_no_score_survives() {
    let out = check(&policy(
        "annual = sum(months) * 9999999999999999999999999999 * 9999999999999999999999999999",
        "",
        &item("[1] per bonus +points"),
    ));
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(out.both().contains("tally::too-large"), "{}", out.both());
}

#[test]
fn many_large_records_summed_past_a_decimal() {
    let rows: String = (1..=9)
        .map(|d| format!("2020-03-0{d},bonus,B,,9999999999999999999999999999,,\n"))
        .collect();
    insta::assert_snapshot!(refused(
        YEAR,
        &item("[1] per bonus +points from total"),
        &rows
    ));
}

#[test]
fn a_running_sum_past_what_an_exact_number_holds() {
    let rows: String = (10..=28)
        .map(|d| format!("2020-05-{d},bonus,A,,9999999999999999999999999999,,\n"))
        .collect();
    insta::assert_snapshot!(refused(
        YEAR,
        &item("[1] per bonus +points * 1000000000 from total"),
        &rows,
    ));
}

#[test]
fn a_base_dividing_by_a_count_that_is_zero() {
    insta::assert_snapshot!(refused(
        YEAR,
        &item("[1] base 100 / count(late) in year"),
        "2020-03-02,late,A,,,,\n",
    ));
}

#[test]
fn a_per_event_amount_dividing_by_a_field_that_is_zero() {
    insta::assert_snapshot!(refused(
        YEAR,
        &item("[1] per rating -10 / weight"),
        "2020-03-02,rating,A,,,50,2\n2020-04-02,rating,A,,,50,0\n",
    ));
}

#[test]
fn a_when_rule_dividing_by_a_sum_that_is_zero() {
    insta::assert_snapshot!(refused(
        YEAR,
        &item("[1] when count(late) in year > 0: -10 / sum(rating.weight) in year"),
        "2020-03-02,late,A,,,,\n",
    ));
}

#[test]
fn an_annual_formula_dividing_by_a_zero_month() {
    insta::assert_snapshot!(refused(
        "annual = sum(months) / min(months)",
        &item("[1] per late -100"),
        "2020-03-02,late,A,,,,\n"
    ));
}

/// A division by zero inside an aggregate's `where` is an error at the record, never a record
/// skipped silently.
#[test]
fn a_filter_dividing_by_zero_is_an_error_at_the_record() {
    insta::assert_snapshot!(refused(
        YEAR,
        &item("[1] when count(rating where score / weight > 2) >= 1: -10"),
        "2020-03-02,rating,A,,,50,0\n",
    ));
}

/// A sum that passes a decimal's 28 digits but comes back is still exact: the error is only
/// where the number cannot be held, never a rounding on the way.
#[test]
fn large_amounts_that_cancel_are_exact() {
    let out = eval(
        &policy(YEAR, "", &item("[1] per bonus +points / 3 from total")),
        "2020-03-02,bonus,A,,9999999999999999999999999999,,\n\
         2020-03-03,bonus,A,,9999999999999999999999999999,,\n\
         2020-03-04,bonus,A,,-9999999999999999999999999999,,\n\
         2020-03-05,bonus,A,,-9999999999999999999999999998,,\n\
         2020-03-06,bonus,A,,0.5,,\n",
        &["--format", "csv", "--period", "2020-03"],
    );
    // 100 + (1 + 0.5) / 3 = 100.5
    insta::assert_snapshot!(out.ok());
}

/// A small score whose exact fraction has a long denominator is published, not refused as too
/// large (the rounding works in big integers where it must).
#[test]
fn a_long_fraction_of_a_small_score_is_published() {
    let rows: String = [(1, 17), (2, 23), (3, 89), (4, 97)]
        .iter()
        .map(|(m, w)| format!("2020-0{m}-02,rating,A,,,1.000000000000000000000000001,{w}\n"))
        .collect();
    let out = eval(
        &policy(YEAR, "", &item("[1] per rating +score / weight from total")),
        &rows,
        &["--format", "csv", "--period", "2020"],
    );
    // (1/17 + 1/23 + 1/89 + 1/97) × 1.000000000000000000000000001 / 12 + 100 = 100.0103…
    assert!(out.ok().contains("A,甲,2020,100.01,"));
}

/// A `-` before an amount negates its first term, as it reads: `-weight - 10` takes both, and
/// only brackets make the sign cover a sum.
#[test]
fn a_minus_sign_before_an_amount_reads_as_written() {
    let cases = [
        ("-weight - 10", "85.00"),
        ("-(weight - 10)", "105.00"),
        ("-weight * 2 + 1", "91.00"),
        ("-2 * (10 - weight)", "90.00"),
        ("+weight - 10", "95.00"),
        ("-weight", "95.00"),
    ];
    for (amount, march) in cases {
        let rule = format!("[1] per rating {amount} from total");
        let csv = eval(
            &policy(YEAR, "", &item(&rule)),
            "2020-03-02,rating,A,,,50,5\n",
            &["--format", "csv", "--period", "2020-03"],
        )
        .ok();
        assert!(
            csv.contains(&format!("A,甲,2020-03,{march},")),
            "`{amount}`: expected {march}\n{csv}"
        );
    }
}

/// One rule that fails for every person is listed 50 times, then counted.
#[test]
fn problems_while_scoring_are_listed_at_most_fifty_times() {
    let text = policy(YEAR, "", &item("[1] base 100 / count(late) in year"));
    let mut roster = String::from("person,name,department\n");
    for i in 0..60 {
        roster += &format!("P{i:02},人{i},办公室\n");
    }
    let files = [
        ("p.policy", text.as_str()),
        ("roster.csv", roster.as_str()),
        ("records.csv", "date,kind,person\n"),
    ];
    let inputs = [
        "eval",
        "p.policy",
        "--roster",
        "roster.csv",
        "--records",
        "records.csv",
    ];
    let text = run(&files, &[&inputs[..], &["--format", "csv"]].concat());
    let json = run(&files, &[&inputs[..], &["--format", "json"]].concat());
    assert_eq!(text.code, Some(1));
    let errors = text.stderr.lines().filter(|l| l.starts_with("error: "));
    assert_eq!(errors.count(), 50);
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

/// A capped `from total` rule is explained once, outside the items, where its points go.
#[test]
fn a_capped_rule_from_the_total_is_explained_where_its_points_go() {
    let records =
        format!("{RECORDS}2020-03-02,late,A,,,,\n2020-03-03,late,A,,,,\n2020-03-04,late,A,,,,\n");
    let text = policy(YEAR, "", &item("[1] per late -5 from total cap 10"));
    let out = run(
        &[
            ("p.policy", text.as_str()),
            ("roster.csv", ROSTER),
            ("records.csv", records.as_str()),
        ],
        &[
            "explain",
            "p.policy",
            "--roster",
            "roster.csv",
            "--records",
            "records.csv",
            "--person",
            "A",
            "--period",
            "2020-03",
        ],
    );
    insta::assert_snapshot!(out.ok());
}

/// A roster condition that divides by a column that is 0 for somebody is an error naming them,
/// never a condition taken as false.
#[test]
fn a_roster_condition_dividing_by_zero_is_an_error() {
    let text = policy(
        YEAR,
        "roster {\n  years: number\n  months: number\n}\n",
        &item("[1] per late -10 for years / months > 1"),
    );
    let out = run(
        &[
            ("p.policy", text.as_str()),
            (
                "roster.csv",
                "person,name,department,years,months\nA,甲,办公室,2,0\nB,乙,办公室,2,1\n",
            ),
            (
                "records.csv",
                "date,kind,person\n2020-03-02,late,A\n2020-03-02,late,B\n",
            ),
        ],
        &[
            "eval",
            "p.policy",
            "--roster",
            "roster.csv",
            "--records",
            "records.csv",
            "--format",
            "csv",
        ],
    );
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(out.stdout.is_empty());
    insta::assert_snapshot!(out.stderr);
}

/// Written numbers are computed exactly before a divisor is judged: `1 / 3 * 3 - 1` is 0.
#[test]
fn a_divisor_written_as_an_exact_zero_is_refused() {
    let out = check(&policy(
        "annual = sum(months) / (1 / 3 * 3 - 1)",
        "",
        &item("[1] per bonus +points"),
    ));
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
    let rules = item("[1] per bonus +points from total");
    let old = policy("annual = 0 - sum(months)", "", &rules).replace("round 2", "round 0");
    let new = policy("annual = sum(months)", "", &rules).replace("round 2", "round 0");
    let out = run(
        &[
            ("old.policy", old.as_str()),
            ("new.policy", new.as_str()),
            ("roster.csv", ROSTER),
            (
                "records.csv",
                "date,kind,person,points\n2020-03-02,bonus,A,50000000000000000000000000000\n",
            ),
        ],
        &[
            "diff",
            "old.policy",
            "new.policy",
            "--roster",
            "roster.csv",
            "--records",
            "records.csv",
            "--format",
            "csv",
        ],
    );
    assert_ne!(out.code, Some(101), "{}", out.both());
    insta::assert_snapshot!(out.both());
}

/// Numbers written in the policy whose arithmetic needs more digits than tally computes with are
/// refused by `check`; a large factor divided down again is not.
#[test]
fn check_judges_written_numbers_exactly() {
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
        let out = check(&policy(
            YEAR,
            "",
            &item(&format!("[1] per rating {amount}")),
        ));
        assert_eq!(
            out.both().contains("tally::too-large"),
            refused,
            "`{amount}`:\n{}",
            out.both()
        );
    }
}

/// A number written with more decimals than tally holds is refused, never rounded (to 0) as it
/// is read.
#[test]
fn numbers_with_more_decimals_than_held_are_refused() {
    for amount in [
        "-0.00000000000000000000000000000000000001",
        "-1.00000000000000000000000000001",
        "-0.1234567890123456789012345678",
    ] {
        let out = check(&policy(YEAR, "", &item(&format!("[1] per late {amount}"))));
        let refused = amount.split_once('.').is_some_and(|(_, d)| d.len() > 28);
        assert_eq!(
            out.both().contains("tally::bad-number"),
            refused,
            "`{amount}`:\n{}",
            out.both()
        );
    }
}

/// `in LO..HI` holds for any amount, not only a bare field: its bounds come from the ranges of the
/// fields it reads.
#[test]
fn an_amounts_range_is_checked_whatever_its_form() {
    for (amount, refused) in [
        ("-score / 10 in 0..10", false),
        ("-(score / 10) in 0..10", false),
        ("-score / 5 in 0..10", true),
        ("-points * 2 in 15..40", true),
        ("-(points + 0) in 15..40", true),
        ("-points in 15..40", true),
    ] {
        let kind = if amount.contains("score") {
            "rating"
        } else {
            "bonus"
        };
        let out = check(&policy(
            YEAR,
            "",
            &item(&format!("[1] per {kind} {amount}")),
        ));
        assert_eq!(
            out.both().contains("tally::amount-range"),
            refused,
            "`{amount}`:\n{}",
            out.both()
        );
    }
}

/// Running sums are kept as whole millionths while they fit, and exactly beside that when they
/// do not: a sum that passes nine million million and comes back, a value with seven places,
/// and the minimum, maximum and mean of such values are all exact.
#[test]
fn sums_past_a_cell_of_millionths_stay_exact() {
    let body = item(
        "[1] per rating +weight from total\n    \
         [2] when max(rating.weight) = 9000000000000.5: flag \"max\"\n    \
         [3] when min(rating.weight) = -9000000000000: flag \"min\"\n    \
         [4] when sum(rating.weight) = 0.7500001: flag \"sum\"\n    \
         [5] when mean(rating.weight) = 0.15000002: flag \"mean\"",
    );
    let rows = "2020-03-02,rating,A,,,1,9000000000000.5\n\
                2020-03-03,rating,A,,,1,9000000000000.25\n\
                2020-03-04,rating,A,,,1,-9000000000000\n\
                2020-03-05,rating,A,,,1,-9000000000000\n\
                2020-03-06,rating,A,,,1,0.0000001\n";
    let out = eval(&policy(YEAR, "", &body), rows, &["--format", "csv"]).ok();
    // March: 100 + 0.7500001; the year: 100 + 0.7500001 / 12 = 100.0625000083…
    assert!(
        out.contains("A,甲,2020-03,100.75,,false,max;min;sum;mean"),
        "{out}"
    );
    assert!(out.contains("A,甲,2020,100.06,"), "{out}");
    assert!(out.contains("A,甲,2020-04,100.00,,false,\n"), "{out}");
}
