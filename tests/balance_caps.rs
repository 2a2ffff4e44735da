//! A cap over a year on a balance card (docs/language.md §25): the entries of one person's
//! records dated in one year, from the rules under the cap, together give at most its limit, in
//! the order of their dates; each entry keeps the part that fits and its own validity.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{check_errors, on_files};

const POLICY: &str = r#"policy "捐款与失信" year 2020 total 1000
card balance

record donation "捐款" by person { yuan: number >= 0 }
record fault "失信" by person
cap donations "捐款" 40 in year

section credit "信用积分" 1000 {
  item score "基础分" 1000 {
    [1] per fault -5 valid 2 years cap 12 in year
  }
}

adjustments trust "守信加分" {
  [2.1] per donation where yuan >= 100 and yuan <= 1000: +floor(yuan / 100) valid 1 year cap donations
  [2.2] per donation where yuan > 1000 and yuan <= 5000: +floor(yuan / 400) valid 1 year cap donations
  [2.3] per donation where yuan > 5000: +floor(yuan / 500) valid 1 year cap donations
}

grades {
  AAA >= 1050
  A >= 960
  D
}
"#;

const ROSTER: &str = "person,name,department\nP1,甲,办公室\nP2,乙,办公室\n";

/// P1 gives as in the reference's example; P2 has faults on both sides of a year's end.
const RECORDS: &str = "date,kind,person,yuan
2019-11-01,donation,P1,20000
2019-12-01,donation,P1,5000
2020-01-10,donation,P1,900
2020-03-01,donation,P1,4000
2020-06-01,donation,P1,8000
2020-09-01,donation,P1,4000
2020-11-01,donation,P1,1000
2019-12-01,fault,P2,
2019-12-15,fault,P2,
2019-12-20,fault,P2,
2020-02-01,fault,P2,
2020-03-01,fault,P2,
2020-04-01,fault,P2,
";

/// `person,period,total` of every line of `eval --format csv` as of `as_of`.
fn totals(as_of: &str) -> Vec<String> {
    let args = ["--as-of", as_of, "--format", "csv"];
    common::period_totals(&on_files("eval", POLICY, ROSTER, RECORDS, &args).ok())
}

#[test]
fn each_year_fills_its_cap_in_date_order_and_each_entry_keeps_its_validity() {
    let got = totals("2021-01-05");
    // P1, by hand: 2019 gives 20 000 yuan floor(20000 / 500) = 40 (through 2020-10-31), then
    // 5 000 yuan 12 of which 0 fit; 2020 gives 9 (Jan), 10 (Mar, 19), 16 (Jun, 35), 10 of
    // which 5 fit (Sep, 40), 10 of which 0 fit (Nov).
    // January 1000 + 40 + 9 = 1049; March + 10 = 1059; June + 16 = 1075; September + 5 = 1080;
    // November (the 2019 entry expired on 10-31) 1080 − 40 = 1040.
    // P2: −5 a fault, at most 12 a year, each valid two years. 2019: −5, −5, −2 (the third
    // reaches 12); 2020: −5 (Feb), −5 (Mar), −2 (Apr). January 1000 − 12 = 988; February 983;
    // March 978; from April 976.
    for expected in [
        "P1,2020-01,1049.00",
        "P1,2020-02,1049.00",
        "P1,2020-03,1059.00",
        "P1,2020-06,1075.00",
        "P1,2020-09,1080.00",
        "P1,2020-10,1080.00",
        "P1,2020-11,1040.00",
        "P1,2020,1040.00",
        "P2,2020-01,988.00",
        "P2,2020-02,983.00",
        "P2,2020-03,978.00",
        "P2,2020-04,976.00",
        "P2,2020,976.00",
    ] {
        assert!(got.iter().any(|l| l == expected), "{expected}: {got:?}");
    }
}

#[test]
fn the_cap_counts_the_records_of_the_year_so_far_on_the_report_day() {
    // As of 2020-09-15 (records after it left out): 40 (2019) + 9 + 10 + 16 + 5 = 80.
    let records: String = RECORDS
        .lines()
        .filter(|l| l.get(..10).is_none_or(|d| d <= "2020-09-15") || l.starts_with("date"))
        .map(|l| format!("{l}\n"))
        .collect();
    let out = on_files(
        "eval",
        POLICY,
        ROSTER,
        &records,
        &["--as-of", "2020-09-15", "--format", "csv"],
    )
    .ok();
    assert!(out.contains("P1,甲,2020,1080.00,AAA,false"), "{out}");
}

#[test]
fn explain_shows_what_the_cap_took_off_each_entry() {
    let args = ["--as-of", "2021-01-05", "--person", "P1"];
    let out = on_files("explain", POLICY, ROSTER, RECORDS, &args).ok();
    insta::assert_snapshot!(out);
    let mut zh = vec!["--lang", "zh"];
    zh.extend_from_slice(&args);
    let out = on_files("explain", POLICY, ROSTER, RECORDS, &zh).ok();
    insta::assert_snapshot!("explain_zh", out);
}

#[test]
fn a_cap_over_a_year_is_refused_where_an_entry_does_not_know_whom_it_reaches() {
    let capped = "[2.1] per donation where yuan >= 100 and yuan <= 1000: +floor(yuan / 100) valid 1 year cap donations";
    let variants: Vec<(&str, String)> = vec![
        ("as written", POLICY.to_string()),
        (
            "a cap over a quarter",
            POLICY.replace("40 in year", "40 in quarter"),
        ),
        (
            "with highest per",
            POLICY.replace(capped, &format!("{capped} highest per yuan")),
        ),
        (
            "with a guard",
            POLICY.replace(capped, &format!("{capped} when count(fault) in year = 0")),
        ),
        (
            "a kind that can name a department",
            POLICY.replace(
                "record fault \"失信\" by person",
                "record fault \"失信\" by person | department",
            ),
        ),
        (
            "to head",
            POLICY
                .replace("total 1000\n", "total 1000\nroster {\n  head: bool\n}\n")
                .replace(
                    "-5 valid 2 years cap 12 in year",
                    "-5 to head valid 2 years cap 12 in year",
                ),
        ),
        (
            "a cap per reading",
            POLICY.replace("cap 12 in year", "cap 12"),
        ),
    ];
    let mut shown = String::new();
    for (what, variant) in &variants {
        shown.push_str(&format!("{what}:\n"));
        for e in check_errors(variant) {
            shown.push_str(&format!("  {e}\n"));
        }
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn the_refusals_read_in_chinese() {
    for (from, to) in [
        ("40 in year", "40 in quarter"),
        (
            "-5 valid 2 years cap 12 in year",
            "-5 valid 2 years cap 12 in year highest per yuan",
        ),
    ] {
        let text = POLICY.replace(from, to).replace(
            "record fault \"失信\" by person",
            "record fault \"失信\" by person { yuan: number >= 0 }",
        );
        let out = common::in_folder(
            &[("p.policy", &text)],
            &["--lang", "zh", "check", "p.policy"],
        );
        assert_eq!(out.code, Some(1), "{}", out.both());
        insta::assert_snapshot!(out.stderr);
    }
}

#[test]
fn bounds_count_a_cap_over_a_year_once_for_each_year_valid_on_one_day() {
    // Donations valid one year: entries of two years can count on one day, 2 × 40 = 80. Faults
    // valid two years: three years, 3 × 12 = 36 below the 1000.
    let out = common::in_folder(&[("p.policy", POLICY)], &["check", "--bounds", "p.policy"]);
    let text = out.both();
    assert!(
        text.contains("trust      守信加分             0    80"),
        "{text}"
    );
    assert!(
        text.contains("score    基础分             964  1000"),
        "{text}"
    );
    // An entry that lasts while its fault continues leaves the cap no bound on one day: only
    // the item's floor holds the faults.
    let open = POLICY
        .replace(
            "record fault \"失信\" by person",
            "record fault \"失信\" by person { ended: date optional }",
        )
        .replace("valid 2 years cap", "valid 2 years from ended cap");
    let out = common::in_folder(&[("p.policy", &open)], &["check", "--bounds", "p.policy"]);
    assert!(
        out.both().contains("score    基础分               0  1000"),
        "{}",
        out.both()
    );
}
