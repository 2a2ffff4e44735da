//! The start of the Wendeng district credit scheme for public servants
//! (`policies/wendeng-credit-2020.policy`, a balance card with validity): it checks clean with
//! warnings denied, is in the canonical layout, and its example year gives the results worked out
//! by hand in `policies/wendeng-credit-2020/READING.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

const POLICY: &str = "policies/wendeng-credit-2020.policy";

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

fn eval(as_of: &str) -> String {
    common::cli([
        "eval",
        POLICY,
        "--roster",
        "policies/wendeng-credit-2020/roster.csv",
        "--records",
        "policies/wendeng-credit-2020/records",
        "--as-of",
        as_of,
        "--format",
        "csv",
    ])
    .ok()
}

/// `person,period,total,grade` of the lines for `periods`.
fn lines(out: &str, periods: &[&str]) -> Vec<String> {
    out.lines()
        .filter_map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            periods
                .contains(&c[2])
                .then(|| format!("{},{},{},{}", c[0], c[2], c[3], c[4]))
        })
        .collect()
}

#[test]
fn the_example_year_gives_the_balances_worked_out_by_hand() {
    let out = eval("2021-01-05");
    // G01: 书面检查 2019-04-10 (−5, through 2020-04-09) and its repeat 2020-02-20 (−10, through
    // 2021-02-19); 献血 2020-06-01 (+10, a year). Donations (守信 10, at most 40 a year by the
    // donation's date, each valid a year): 2019-06-15 30 000 yuan floor(30000 / 1000) = 30
    // (through 2020-06-14), 2019-10-08 6 000 yuan floor(6000 / 500) = 12 of which 10 fit
    // (through 2020-10-07); 2020-04-01 900 yuan 9, 2020-08-01 12 000 yuan 12 (21),
    // 2020-11-20 10 000 yuan (the 5001–10000 row) floor(10000 / 500) = 20 of which 19 fit (40).
    // On 2020-12-31: 1000 − 10 + 10 + 9 + 12 + 19 = 1040, AA (1030–1049).
    assert_eq!(
        lines(&out, &["2020"]),
        [
            "G01,2020,1040,AA",
            "G02,2020,1040,AA",
            "G03,2020,1020,C",
            "G04,2020,940,B",
            "G05,2020,970,A",
            "G06,2020,950,B",
        ]
    );
    let snapshots = lines(
        &out,
        &[
            "2020-01", "2020-03", "2020-04", "2020-05", "2020-06", "2020-07", "2020-08", "2020-09",
            "2020-10", "2020-11",
        ],
    );
    for expected in [
        // G01, month by month: January 1000 − 5 + 30 + 10 = 1035; March 1000 − 5 − 10 + 40 =
        // 1025; April (the first 书面检查 expired on 04-09) 1000 − 10 + 40 + 9 = 1039; June (the
        // 30 expired on 06-14) 1000 − 10 + 10 + 10 + 9 = 1019; August + 12 = 1031; October (the
        // 10 expired on 10-07) 1021; November + 19 = 1040.
        "G01,2020-01,1035,",
        "G01,2020-03,1025,",
        "G01,2020-04,1039,",
        "G01,2020-06,1019,",
        "G01,2020-08,1031,",
        "G01,2020-10,1021,",
        "G01,2020-11,1040,",
        // G02: 严重警告 2018-09-01 −70 (through 2020-08-31); 志愿服务 (守信 4, the highest step of
        // a year's hours, valid a year from the day reached): 2019-09-01 25 h, step 20 h +5
        // (through 2020-08-31); 2020-04-18 30 h +5; 2020-10-15 55 h, step 50 h +10 in its place;
        // 地市级表彰 2020-05-15 +30. January 1000 − 70 + 5 = 935; April + 5 (2020's step beside
        // 2019's) = 940; June + 30 = 970; September (the −70 and 2019's step expired)
        // 1000 + 30 + 5 = 1035; October 1000 + 30 + 10 = 1040.
        "G02,2020-01,935,",
        "G02,2020-04,940,",
        "G02,2020-06,970,",
        "G02,2020-09,1035,",
        "G02,2020-10,1040,",
        "G05,2020-05,1100,",
        "G05,2020-06,1000,",
        "G05,2020-07,1030,",
        // The 部门通报批评 of 09-25 is the same act as the 记过 of 10-10, which counts instead.
        "G05,2020-09,1030,",
        "G05,2020-10,970,",
    ] {
        assert!(
            snapshots.iter().any(|l| l == expected),
            "{expected}: {snapshots:?}"
        );
    }
}

/// The example's records dated up to `as_of`, with the days after it left empty, in a folder of
/// their own, evaluated as of that day.
fn eval_until(as_of: &str) -> String {
    let dir = common::temp_dir("wendeng-credit");
    for name in ["earlier.csv", "2020.csv"] {
        let text = std::fs::read_to_string(
            common::root()
                .join("policies/wendeng-credit-2020/records")
                .join(name),
        )
        .unwrap();
        // What is known on that day: the records dated up to it, without the days after it
        // (an end, a correction or a repair yet to come).
        let kept: Vec<String> = text
            .lines()
            .enumerate()
            .filter(|(i, l)| *i == 0 || l.get(..10).is_some_and(|d| d <= as_of))
            .map(|(i, l)| {
                l.split(',')
                    .enumerate()
                    .map(|(c, cell)| {
                        let later = i > 0
                            && c > 0
                            && cell.len() == 10
                            && cell.as_bytes()[4] == b'-'
                            && cell > as_of;
                        if later { "" } else { cell }
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        common::write(&dir, name, &(kept.join("\n") + "\n"));
    }
    let out = common::cli([
        "eval",
        POLICY,
        "--roster",
        "policies/wendeng-credit-2020/roster.csv",
        "--records",
        &dir.display().to_string(),
        "--as-of",
        as_of,
        "--format",
        "csv",
    ])
    .ok();
    let _ = std::fs::remove_dir_all(&dir);
    out
}

#[test]
fn the_balance_is_read_on_the_report_day() {
    // On 2020-05-31 G05's national honour of 2015 is still valid (five years through 05-31).
    let out = eval_until("2020-05-31");
    assert!(
        lines(&out, &["2020"]).contains(&"G05,2020,1100,AAA".to_string()),
        "{out}"
    );
    // G02's 严重警告 of 2018-09-01 counts through 2020-08-31, and so does the volunteering step
    // of 2019-09-01 (+5): 1000 − 70 + 30 + 5 + 5 = 970; the day after, 1000 + 30 + 5 = 1035.
    let out = eval_until("2020-08-31");
    assert!(
        lines(&out, &["2020"]).contains(&"G02,2020,970,A".to_string()),
        "{out}"
    );
    let out = eval_until("2020-09-01");
    assert!(
        lines(&out, &["2020"]).contains(&"G02,2020,1035,AA".to_string()),
        "{out}"
    );
}

/// 守信 10's cap of 40 a year: explain shows, beside the entries it cut, what each would have
/// given and what it counts (G01's 2019-10-08 donation: 12 → 10; 2020-11-20: 20 → 19).
#[test]
fn explain_shows_what_the_yearly_donation_cap_took_off() {
    let out = common::cli([
        "explain",
        POLICY,
        "--roster",
        "policies/wendeng-credit-2020/roster.csv",
        "--records",
        "policies/wendeng-credit-2020/records",
        "--as-of",
        "2021-01-05",
        "--person",
        "G01",
    ])
    .ok();
    for expected in [
        "donation +19: valid 2020-11-20 to 2021-11-19, cap `donations` (40 in year): 20 → 19 counted",
        "donation +10: expired 2019-10-08 to 2020-10-07, cap `donations` (40 in year): 12 → 10 counted",
        "donation +12: valid 2020-08-01 to 2021-07-31\n",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
}

/// 第十八条 2、3: one act counts once, at the most severe (G05's 部门通报批评 −10 and 记过 −60 for
/// the same act 2020-纪-031), or at the largest bonus (G03's 区直部门表彰 +5 and 嘉奖 +20 for the
/// same deed 2020-奖-007).
#[test]
fn one_act_counts_once_at_its_most_severe_record() {
    // As of 2020-09-30 only the 通报批评 is known: 1000 + 30 (见义勇为特别突出) − 10 = 1020, A.
    let out = eval_until("2020-09-30");
    assert!(
        lines(&out, &["2020"]).contains(&"G05,2020,1020,A".to_string()),
        "{out}"
    );
    // With the 记过 of 10-10 the act counts −60 only: 1000 + 30 − 60 = 970 (the year's test),
    // and the September snapshot of the whole year reads 1030, the act's −60 counting from its
    // date. G03: 1000 + 20 = 1020, grade set to C (the +5 dropped).
    for (person, expected) in [
        (
            "G05",
            "accountability -10: not counted: the same act as policies/wendeng-credit-2020/records/2020.csv:14 of [0.3.3] counts (once `fault_act` per act)",
        ),
        (
            "G03",
            "honor +5: not counted: the same act as policies/wendeng-credit-2020/records/2020.csv:4 of [0.5.15] counts (once `merit_act` per act)",
        ),
    ] {
        let out = common::cli([
            "explain",
            POLICY,
            "--roster",
            "policies/wendeng-credit-2020/roster.csv",
            "--records",
            "policies/wendeng-credit-2020/records",
            "--as-of",
            "2021-01-05",
            "--person",
            person,
        ])
        .ok();
        assert!(out.contains(expected), "{expected}\n{out}");
    }
}

/// 第十八条 2, 按直接判级或最高减分计算: G03's 警告处分 of 2020-01-15 (−50) is the same act as the
/// 行政拘留 directly graded C on 2019-11-05 (act 2019-拘-002): the grade counts, the −50 never does.
#[test]
fn a_direct_grade_counts_instead_of_a_deduction_for_the_same_act() {
    for as_of in ["2020-01-31", "2021-01-05"] {
        let out = eval_until(as_of);
        assert!(
            lines(&out, &["2020"])
                .iter()
                .any(|l| l.starts_with("G03,2020,10") && l.ends_with(",C")),
            "{as_of}: {out}"
        );
    }
    let out = eval_until("2020-01-31");
    assert!(
        lines(&out, &["2020"]).contains(&"G03,2020,1000,C".to_string()),
        "{out}"
    );
    let out = common::cli([
        "explain",
        POLICY,
        "--roster",
        "policies/wendeng-credit-2020/roster.csv",
        "--records",
        "policies/wendeng-credit-2020/records",
        "--as-of",
        "2021-01-05",
        "--person",
        "G03",
    ])
    .ok();
    let expected = "government_sanction -50: not counted: the same act as policies/wendeng-credit-2020/records/earlier.csv:9 of [12] counts (once `fault_act` per act): its direct grade C counts before any amount";
    assert!(out.contains(expected), "{expected}\n{out}");
}

/// 第十九条 1: G06, listed as 失信被执行人 on 2019-08-01 (直接判为D级), repaired on 2020-06-30:
/// D through 2020-06-29, then −50 kept two years from the repair.
#[test]
fn a_repair_turns_the_direct_grade_into_a_deduction_kept_two_years() {
    let out = eval_until("2020-06-29");
    assert!(
        lines(&out, &["2020"]).contains(&"G06,2020,1000,D".to_string()),
        "{out}"
    );
    let out = eval("2021-01-05");
    for expected in ["G06,2020-05,1000,", "G06,2020-06,950,", "G06,2020,950,B"] {
        assert!(
            lines(&out, &["2020-05", "2020-06", "2020"]).contains(&expected.to_string()),
            "{expected}: {out}"
        );
    }
}

/// 第十七条: G03's 嘉奖 of 2020-03-03 (+20) is only recorded while the fault directly graded C
/// (2019-11-05) is not corrected; corrected on 2020-06-01, the +20 counts from then while valid.
#[test]
fn bonuses_are_frozen_while_a_directly_graded_fault_is_uncorrected() {
    let out = eval("2021-01-05");
    for expected in [
        "G03,2020-03,1000,",
        "G03,2020-05,1000,",
        "G03,2020-06,1020,",
        "G03,2020,1020,C",
    ] {
        assert!(
            lines(&out, &["2020-03", "2020-05", "2020-06", "2020"]).contains(&expected.to_string()),
            "{expected}: {out}"
        );
    }
    let out = eval_until("2020-04-30");
    assert!(
        lines(&out, &["2020"]).contains(&"G03,2020,1000,C".to_string()),
        "{out}"
    );
}

/// 守信 4's steps: explain lists each step G02 reached with its year, the one that counts and the
/// lower one of the same year that it replaces.
#[test]
fn explain_shows_the_volunteering_steps() {
    let out = common::cli([
        "explain",
        POLICY,
        "--roster",
        "policies/wendeng-credit-2020/roster.csv",
        "--records",
        "policies/wendeng-credit-2020/records",
        "--as-of",
        "2021-01-05",
        "--person",
        "G02",
    ])
    .ok();
    for expected in [
        "[0.5.4] sum(volunteer.hours) in year +10: valid 2020-10-15 to 2021-10-14",
        "[0.5.4] sum(volunteer.hours) in year +5: valid, but a higher step of the same year counts, 2020-04-18 to 2021-04-17",
        "[0.5.4] sum(volunteer.hours) in year +5: expired 2019-09-01 to 2020-08-31",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
}

/// The scenarios of `policies/wendeng-credit-2020.tests` pass, and every rule is exercised by one.
#[test]
fn the_scenarios_pass_and_exercise_every_rule() {
    let out = common::cli(["test", POLICY]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    let both = out.both();
    assert!(both.contains(" 0 failed"), "{both}");
    assert!(
        both.contains(
            "every rule of policies/wendeng-credit-2020.policy is exercised by a scenario"
        ),
        "{both}"
    );
}
