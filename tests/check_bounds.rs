//! `tally check --bounds`: what every item, section and the total can score at least and at most,
//! the annual result's range and the grades that can be given, as a user sees them; and the two
//! warnings the bounds give (`threshold-above-maximum`, `grade-unreachable`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{check_diags, cli, in_folder};

fn bounds_of(path: &str) -> String {
    let out = cli(["check", "--bounds", path]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    out.stdout
}

#[test]
fn dashuipo_bounds() {
    insta::assert_snapshot!(bounds_of("policies/dashuipo-2020.policy"));
}

#[test]
fn wendeng_rural_bounds() {
    insta::assert_snapshot!(bounds_of("policies/wendeng-rural-2020.policy"));
}

/// On a balance card each row has one range: what the card can read on any day, a snapshot or
/// the year's reading day (earlier years' entries included); the grades come from it.
#[test]
fn wendeng_credit_balance_bounds() {
    insta::assert_snapshot!(bounds_of("policies/wendeng-credit-2020.policy"));
    insta::assert_snapshot!(
        "validity_fixture_bounds",
        bounds_of("tests/fixtures/validity/credit.policy")
    );
}

/// One small policy a construct: caps of a month, a quarter, a year and shared; amounts from
/// tables, bands and functions; `zero`; bases; `from total`; alternatives by `for`; `score`,
/// `grade`, `grade at most`, `exclude` and quotas; a card a year; records without a cap.
#[test]
fn every_bounds_fixture_as_the_user_sees_it() {
    insta::glob!("fixtures/bounds/*.policy", |path| {
        let out = cli(["check", "--deny-warnings", "--bounds"]
            .map(std::ffi::OsStr::new)
            .into_iter()
            .chain([path.as_os_str()]));
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        insta::assert_snapshot!(out.stdout);
    });
}

#[test]
fn without_bounds_check_prints_no_table() {
    let out = cli(["check", "tests/fixtures/bounds/caps.policy"]);
    assert_eq!(out.code, Some(0));
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

/// A policy with errors has no bounds, and says so after its errors.
#[test]
fn a_policy_with_errors_has_no_bounds() {
    let out = cli([
        "check",
        "--bounds",
        "tests/fixtures/check/unknown-record.policy",
    ]);
    assert_eq!(out.code, Some(1));
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr.ends_with(
            "no bounds for `tests/fixtures/check/unknown-record.policy`: it has errors\nchecked 1 file: 1 error, 0 warnings\n"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn bounds_as_json() {
    let out = cli([
        "check",
        "--bounds",
        "--format",
        "json",
        "tests/fixtures/bounds/caps.policy",
        "tests/fixtures/bounds/unbounded.policy",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    let caps = &lines[0]["bounds"];
    assert_eq!(caps["policy"], "封顶");
    assert_eq!(caps["card"], "month");
    assert_eq!(caps["total"]["month"]["least"], "68");
    assert_eq!(caps["total"]["month"]["most"], "144");
    assert_eq!(caps["total"]["year"]["most"], "1255");
    assert_eq!(caps["annual"]["most"], "1255/12");
    assert_eq!(caps["published"]["most"], "104.58");
    assert_eq!(caps["sections"][0]["items"][0]["id"], "attendance");
    assert_eq!(caps["sections"][0]["items"][0]["month"]["least"], "31");
    assert_eq!(caps["outside"][0]["year"]["most"], "55");
    assert_eq!(caps["grades"][2]["name"], "C");
    assert_eq!(caps["grades"][2]["reachable"], true);
    let open = &lines[1]["bounds"];
    assert!(
        open["total"]["month"]["most"]["unbounded"]
            .as_str()
            .unwrap()
            .contains("[3] per honor"),
        "{open}"
    );
    assert_eq!(open["overflow"]["possible"], true);
}

const GRADED: &str = r#"policy "等次" year 2020 total 100
annual = sum(months) / 12

record late "迟到" by person

section s "日常" 100 {
  item attendance "考勤" 100 {
    [1] per late -5 cap 30
  }
}

grades {
  GRADES
}
"#;

fn graded(grades: &str) -> Vec<String> {
    check_diags(&GRADED.replace("GRADES", grades))
}

/// Every annual result is within 70..100 here: the threshold above 100, or at 100 with `>`, is
/// out of reach; at 100 with `>=` it is not.
#[test]
fn a_threshold_above_the_highest_result_is_a_warning() {
    for grades in [
        "A >= 100.01\n  B",
        "A > 100\n  B",
        "A >= 1000\n  B >= 80\n  C",
    ] {
        assert_eq!(
            graded(grades),
            [format!(
                "tally::threshold-above-maximum: no annual result can reach the threshold of `A` ({})",
                grades.lines().next().unwrap().trim_start_matches("A ")
            )],
            "{grades}"
        );
    }
    for grades in ["A >= 100\n  B >= 80\n  C", "A > 99.99\n  B >= 75\n  C"] {
        assert_eq!(graded(grades), Vec::<String>::new(), "{grades}");
    }
}

/// The last band below every result, or a band between the lowest result and the band above.
#[test]
fn a_grade_below_every_result_is_a_warning() {
    assert_eq!(
        graded("A >= 90\n  B >= 60\n  C"),
        ["tally::grade-unreachable: no person can get the grade `C`"]
    );
    assert_eq!(
        graded("A >= 90\n  B >= 65\n  C >= 60\n  D"),
        [
            "tally::grade-unreachable: no person can get the grade `C`",
            "tally::grade-unreachable: no person can get the grade `D`"
        ]
    );
    // At 70 with `>` the lowest result, exactly 70, is below the band.
    assert_eq!(graded("A > 70\n  B"), Vec::<String>::new());
    assert_eq!(
        graded("A >= 70\n  B"),
        ["tally::grade-unreachable: no person can get the grade `B`"]
    );
}

/// A grade no score reaches can still be given by a rule: set, lowered to, or by a quota.
#[test]
fn a_grade_given_by_a_rule_is_reachable() {
    let with = |rule: &str, grades: &str| {
        check_diags(
            &GRADED
                .replace("GRADES", grades)
                .replace(
                    "record late \"迟到\" by person\n",
                    "record late \"迟到\" by person\nrecord fraud \"造假\" by person\n",
                )
                .replace(
                    "    [1] per late -5 cap 30\n",
                    &format!("    [1] per late -5 cap 30\n    [2] per fraud {rule}\n"),
                ),
        )
    };
    assert_eq!(
        with("grade C", "A >= 90\n  B >= 60\n  C"),
        Vec::<String>::new()
    );
    assert_eq!(
        with("score 0", "A >= 90\n  B >= 60\n  C"),
        Vec::<String>::new()
    );
    assert_eq!(
        with("grade at most C", "A >= 90\n  B >= 60\n  C"),
        Vec::<String>::new()
    );
    // Whoever a quota leaves out takes the next grade, below every result here.
    assert_eq!(
        check_diags(&GRADED.replace("GRADES", "A >= 70 top 10%\n  B")),
        Vec::<String>::new()
    );
    assert_eq!(
        check_diags(&GRADED.replace("GRADES", "A >= 80 top 10%\n  B >= 70 top 10%\n  C")),
        Vec::<String>::new()
    );
}

/// The warnings as a user sees them.
#[test]
fn the_bound_warnings_as_the_user_sees_them() {
    let out = in_folder(
        &[(
            "p.policy",
            &GRADED.replace("GRADES", "A >= 120\n  B >= 60\n  C"),
        )],
        &["check", "p.policy"],
    );
    insta::assert_snapshot!(out.stderr);
}

/// Past 256 kinds of person (here 2^9), the rules' `for` are not told apart, the items' still
/// are: the bounds stay sound, looser.
#[test]
fn many_kinds_of_person_are_bounded_together() {
    let columns: String = (0..9).map(|i| format!("  c{i}: bool\n")).collect();
    let rules: String = (0..9)
        .map(|i| format!("    [{i}] per late -1 cap 3 for c{i}\n"))
        .collect();
    let text = format!(
        "policy \"多\" year 2020 total 100\nannual = sum(months) / 12\n\nroster {{\n{columns}}}\n\nrecord late \"迟到\" by person\n\nsection s \"s\" 100 {{\n  item a \"a\" 100 for c0 {{\n{rules}  }}\n  item b \"b\" 100 for not c0 {{\n    [9] per late -2 cap 1\n  }}\n}}\n\ngrades {{\n  A >= 90\n  B\n}}\n"
    );
    let out = in_folder(
        &[("p.policy", &text)],
        &["check", "--bounds", "--format", "json", "p.policy"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let b: serde_json::Value = serde_json::from_str(out.stdout.lines().last().unwrap()).unwrap();
    let items = &b["bounds"]["sections"][0]["items"];
    assert_eq!(items[0]["month"]["least"], "73");
    assert_eq!(items[1]["month"]["least"], "99");
    // One item or the other on every card: never both, never none.
    assert_eq!(b["bounds"]["total"]["month"]["least"], "73");
    assert_eq!(b["bounds"]["total"]["month"]["most"], "100");
}

/// The overflow claim counts the fractions a clamp or a cap can give: a budget of 100.5 makes
/// halves, a cap of 2.25 quarters.
#[test]
fn the_overflow_claim_counts_budgets_and_caps() {
    let text = "policy \"半\" year 2020 total 100.5\ncard year\n\nrecord late \"迟到\" by person\n\nsection s \"s\" 100.5 {\n  item a \"a\" 100.5 {\n    [1] per late -1 cap 3 in year\n  }\n}\n\nadjustments adj \"adj\" {\n  [2] per late +1 cap 2.25 in year\n}\n\ngrades {\n  A >= 99\n  B\n}\n";
    let out = in_folder(
        &[("p.policy", text)],
        &["check", "--bounds", "--format", "json", "p.policy"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let b: serde_json::Value = serde_json::from_str(out.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(b["bounds"]["overflow"]["possible"], false, "{b}");
    assert_eq!(b["bounds"]["overflow"]["step"], "1/4", "{b}");
    assert_eq!(b["bounds"]["total"]["year"]["least"], "97.5", "{b}");
    assert_eq!(b["bounds"]["total"]["year"]["most"], "102.75", "{b}");
}

/// The overflow claim counts what `repeat * N` makes of an amount: a fault of up to 200 points
/// repeated × 1000 is a value of 200 000 before the cap; × 1.5 makes halves.
#[test]
fn the_overflow_claim_counts_repeats() {
    let text = |factor: &str| {
        format!(
            "policy \"信用\" year 2020 total 1000\ncard balance\n\nrecord fault \"失信\" by person {{ points: whole points 1..200 }}\n\nsection s \"s\" 1000 {{\n  item a \"a\" 1000 {{\n    [1] per fault -points valid 1 year repeat * {factor} cap 100\n  }}\n}}\n\ngrades {{\n  A >= 960\n  B\n}}\n"
        )
    };
    let claim = |factor: &str| {
        let out = in_folder(
            &[("p.policy", &text(factor))],
            &["check", "--bounds", "--format", "json", "p.policy"],
        );
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let b: serde_json::Value =
            serde_json::from_str(out.stdout.lines().last().unwrap()).unwrap();
        b["bounds"]["overflow"].clone()
    };
    let big = claim("1000");
    assert_eq!(big["possible"], false, "{big}");
    assert_eq!(big["largest"], "200000", "{big}");
    let half = claim("1.5");
    assert_eq!(half["step"], "1/2", "{half}");
}

/// A table keyed by a list's value, and amounts from times of day, are bounded values: the
/// overflow claim does not call the key (`level`) or the time (`arrived`) a value without bound.
#[test]
fn the_overflow_claim_reads_list_keys_and_times() {
    let claim = |text: &str| {
        let out = in_folder(
            &[("p.policy", text)],
            &["check", "--bounds", "--format", "json", "p.policy"],
        );
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let b: serde_json::Value =
            serde_json::from_str(out.stdout.lines().last().unwrap()).unwrap();
        b["bounds"]["overflow"].clone()
    };
    let head = "policy \"p\" year 2020 total 100\nannual = sum(months) / 12\n\n";
    let tail = "\ngrades {\n  A >= 60\n  B\n}\n";
    let by_level = format!(
        "{head}record honor \"表彰\" by person {{ level: district | city }}\n\nsection s \"s\" 100 {{\n  item i \"i\" 100 {{\n    [1] per honor +level {{ district: 5, city: 10 }} cap 30\n  }}\n}}\n{tail}"
    );
    let by_time = format!(
        "{head}record arrival \"到岗\" by person {{ arrived: time }}\n\nsection s \"s\" 100 {{\n  item i \"i\" 100 {{\n    [1] per arrival where arrived > 9:00: -2 * ceil((arrived - 9:00) / 30) cap 20\n  }}\n}}\n{tail}"
    );
    for text in [by_level, by_time] {
        let c = claim(&text);
        assert_eq!(c["possible"], false, "{c}\n{text}");
    }
}
