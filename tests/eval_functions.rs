//! `min`, `max`, `floor`, `ceil` and `round` in amounts, conditions and bases: each computed
//! exactly as written, on both signs, and shown in explanations with their values put in.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{d, run};

const ROSTER: &str = "person,name,department\nA,甲,办公室\nB,乙,办公室\n";

/// A donation earns 1 point per 100 yuan, at most 5 a record ("每捐款100元加1分，最高5分");
/// volunteering earns 2 points per started 3 hours in a month, at most 10; the rating item's base
/// is the year's mean rating on a 30-point scale, rounded to one decimal; late arrivals cost the
/// larger of 1 point and a tenth of the minutes, rounded.
const POLICY: &str = r#"policy "函数" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record donation "捐款" by person { yuan: number >= 0 }
record volunteer "志愿服务" by person { hours: hours >= 0 }
record rating "评分" by person { score: number 0..100 }
record late "迟到" by person { minutes: whole number >= 1 }

section s "s" 100 {
  item i "捐款" 30 {
    [1] base 0
    [1] per donation +min(floor(yuan / 100), 5)
  }
  item j "志愿" 30 {
    [2] base 0
    [2] when sum(volunteer.hours) in month > 0: +min(2 * ceil(sum(volunteer.hours) in month / 3), 10)
  }
  item k "评分" 30 {
    [3] base round(30 * mean(rating.score) in year / 100, 1)
  }
  item l "考勤" 10 {
    [4] per late -max(1, round(minutes / 10))
  }
}

grades {
  A >= 90 "a"
  B "b"
}
"#;

const RECORDS: &str = "date,kind,person,yuan,hours,score,minutes
2020-01-05,donation,A,250,,,
2020-01-06,donation,A,1999,,,
2020-01-07,donation,B,99.99,,,
2020-02-01,volunteer,A,,7,,
2020-02-09,volunteer,A,,2,,
2020-03-01,volunteer,B,,0.5,,
2020-03-01,rating,A,,,83.33,
2020-03-01,rating,B,,,90,
2020-03-02,rating,A,,,91,
2020-04-01,late,A,,,,4
2020-04-02,late,A,,,,15
2020-04-03,late,B,,,,34
";

#[test]
fn functions_compute_exactly_as_written() {
    let r = run(POLICY, ROSTER, RECORDS);
    // floor(250 / 100) = 2 and min(floor(1999 / 100), 5) = 5; 99.99 yuan earns nothing.
    assert_eq!(r.item("A", 1, "i"), Some(d("7")));
    assert_eq!(r.item("B", 1, "i"), Some(d("0")));
    // 9 hours in February: ceil(9 / 3) = 3, so 6 points; half an hour still starts a block.
    assert_eq!(r.item("A", 2, "j"), Some(d("6")));
    assert_eq!(r.item("B", 3, "j"), Some(d("2")));
    // 30 * (83.33 + 91) / 2 / 100 = 26.1495 → 26.1; 30 * 90 / 100 = 27.
    assert_eq!(r.item("A", 1, "k"), Some(d("26.1")));
    assert_eq!(r.item("B", 1, "k"), Some(d("27")));
    // max(1, round(0.4)) = 1 and max(1, round(1.5)) = 2 (half away from zero); round(3.4) = 3.
    assert_eq!(r.item("A", 4, "l"), Some(d("7")));
    assert_eq!(r.item("B", 4, "l"), Some(d("7")));
    assert_eq!(r.month("A", 1), d("43.1"));
}

#[test]
fn floor_ceil_and_round_on_both_signs() {
    let policy = r#"policy "符号" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record adjust "调整" by person { x: points }

section s "s" 100 {
  item i "i" 100 {
    [1] per adjust +floor(x), +ceil(x), +round(x), +round(x, 1)
  }
}

grades {
  A >= 90 "a"
  B "b"
}
"#;
    let records = "date,kind,person,x\n2020-01-05,adjust,A,-2.25\n2020-02-05,adjust,A,-2.5\n2020-03-05,adjust,A,2.5\n";
    let r = run(policy, ROSTER, records);
    // The item starts at its budget, 100, and is clamped to it: so take the points below it.
    // -2.25: floor -3, ceil -2, round -2, round to 1 place -2.3 (half away from zero).
    assert_eq!(r.month("A", 1), d("90.7"));
    // -2.5: floor -3, ceil -2, round -3, round to 1 place -2.5.
    assert_eq!(r.month("A", 2), d("89.5"));
    // +2.5 on a full item: clamped at the budget.
    assert_eq!(r.month("A", 3), d("100"));
}

#[test]
fn explain_shows_functions_with_their_values_put_in() {
    let files = [
        ("p.policy", POLICY),
        ("roster.csv", ROSTER),
        ("records.csv", RECORDS),
    ];
    let explain = |period: &str| {
        common::in_folder(
            &files,
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
                period,
            ],
        )
        .ok()
    };
    insta::assert_snapshot!("explain_functions_february", explain("2020-02"));
    insta::assert_snapshot!("explain_functions_april", explain("2020-04"));
}

#[test]
fn wrong_arguments_are_refused_with_their_code() {
    let cases = [
        "-min(count(late))",
        "-max(count(late))",
        "-floor(count(late), 2)",
        "-ceil(count(late), 1, 2)",
        "-round(count(late), 1, 2)",
        "-round(count(late), 1.5)",
        "-round(count(late), 11)",
        "-round(count(late), -1)",
        "-round(count(late), count(late))",
    ];
    for amount in cases {
        let policy = POLICY
            .replace("-max(1, round(minutes / 10))", "-1")
            .replace(
                "  item l \"考勤\" 10 {\n",
                &format!("  item l \"考勤\" 10 {{\n    [4] when count(late) > 0: {amount}\n"),
            );
        let compiled = tally::compile::compile("p.policy", policy.as_bytes());
        let codes: Vec<&str> = compiled
            .diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(codes, ["tally::function-arguments"], "{amount}");
    }
}

#[test]
fn values_of_different_units_are_refused() {
    let policy = POLICY.replace(
        "+min(2 * ceil(sum(volunteer.hours) in month / 3), 10)",
        "+2 * min(sum(volunteer.hours) in month, count(donation) in month)",
    );
    let compiled = tally::compile::compile("p.policy", policy.as_bytes());
    let codes: Vec<&str> = compiled
        .diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["tally::unit-mismatch"]);
}

#[test]
fn rounding_a_value_that_needs_no_rounding_keeps_it_however_large() {
    let policy = POLICY.replace(
        "    [1] per donation +min(floor(yuan / 100), 5)\n",
        "    [1] per donation +min(round(yuan * 1000000000000000000, 10) / 1000000000000000000, 5)\n",
    );
    let records = "date,kind,person,yuan,hours,score,minutes\n2020-01-05,donation,A,300,,,\n";
    let r = run(&policy, ROSTER, records);
    assert_eq!(r.item("A", 1, "i"), Some(d("5")));
}

#[test]
fn checked_ranges_follow_rounding_to_places() {
    let policy = POLICY.replace(
        "[4] per late -max(1, round(minutes / 10))",
        "[4] per late -round(minutes / 30, 1) in 0..3.4",
    );
    let bounded = policy.replace(
        "record late \"迟到\" by person { minutes: whole number >= 1 }",
        "record late \"迟到\" by person { minutes: whole number 1..100 }",
    );
    let codes = |t: &str| -> Vec<String> {
        tally::compile::compile("p.policy", t.as_bytes())
            .diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.as_str().to_string())
            .collect()
    };
    // 100 / 30 = 3.33…, rounded up at one place: 3.4, inside 0..3.4.
    assert_eq!(codes(&bounded), Vec::<String>::new());
}

#[test]
fn written_numbers_are_judged_through_functions_and_tables() {
    let annual = |formula: &str| {
        let text = POLICY.replace("annual = sum(months) / 12", &format!("annual = {formula}"));
        tally::compile::compile("p.policy", text.as_bytes())
            .diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.as_str().to_string())
            .collect::<Vec<_>>()
    };
    let huge = "sum(months) * 9999999999999999999999999999 * 9999999999999999999999999999 / 12";
    assert_eq!(annual(&format!("floor({huge})")), ["tally::too-large"]);
    assert_eq!(annual(&format!("max({huge}, 0)")), ["tally::too-large"]);
    // A table looked up by a written number is its entry: 12 is below 99, so this divides by 0.
    assert_eq!(
        annual("sum(months) / 12 { >= 99: 100, else: 0 }"),
        ["tally::division-by-zero"]
    );
    assert!(annual("sum(months) / 12 { >= 10: 12, else: 0 }").is_empty());
}

#[test]
fn no_comparison_with_an_empty_optional_field_holds() {
    let policy = r#"policy "空" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record bonus "加分" by person { points: points 0..10 optional, tag: a | b optional }

section s "s" 100 {
  item i "i" 100 {
    [1] base 50
    [2] per bonus where points = 0: +1
    [3] per bonus where points != 0: +2
    [4] per bonus where points < 5: +4
    [5] per bonus where tag != a: +8
    [6] per bonus +points
  }
}

grades {
  A >= 90 "a"
  B "b"
}
"#;
    let records = "date,kind,person,points,tag\n2020-01-05,bonus,A,,\n2020-02-05,bonus,A,0,b\n";
    let r = run(policy, ROSTER, records);
    // Empty: nothing holds, and the amount `+points` is 0.
    assert_eq!(r.item("A", 1, "i"), Some(d("50")));
    // 0 and b: `= 0`, `< 5` and `!= a` hold.
    assert_eq!(r.item("A", 2, "i"), Some(d("63")));
}
