//! An item relative to the best of its group (`item result "实绩" 600 scaled of department`,
//! §32): in each card the item scores its own value ÷ the group's best own value in that card ×
//! its budget, then clamped to 0..budget ("工作实绩 = 本单位得分 ÷ 第一名单位得分 × 600", a town's
//! 1000-point cadre target scheme). Ranks within a combination of two columns (`of department,
//! category`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::d;

const DIR: &str = "tests/fixtures/relative";

fn read(name: &str) -> String {
    std::fs::read_to_string(common::root().join(DIR).join(name)).unwrap()
}

fn run(policy: &str, records: &str) -> common::Run {
    common::run(policy, &read("roster.csv"), records)
}

/// The policy on quarterly or yearly cards instead of monthly ones.
fn on_cards(card: &str) -> String {
    let annual = match card {
        "quarter" => "card quarter\nannual = sum(quarters) / 4",
        _ => "card year",
    };
    read("relative.policy").replace("annual = sum(months) / 12", annual)
}

#[test]
fn monthly_cards_scale_the_item_to_the_village_best_of_each_month() {
    let r = run(&read("relative.policy"), &read("records.csv"));
    let item = |p: &str, m: u8| r.item(p, m, "result").unwrap();
    // By hand, March (own = base 100 + tasks - faults), 东山村: P1 150, P2 150, P3 100 - 200 =
    // -100, P4 125; the best 150, held by P1 and P2 (a tie: both get the whole 600). P3: -100 ÷
    // 150 × 600 = -400, clamped to 0. P4: 125 ÷ 150 × 600 = 500. 西山村: P5 110; P6 (600) is
    // excluded in April, so not in the best: P5 alone is the best, 600; P6's own card scales to
    // P5's 110: 600 ÷ 110 × 600, clamped to 600.
    assert_eq!(
        ["P1", "P2", "P3", "P4", "P5", "P6"].map(|p| item(p, 3)),
        [d("600"), d("600"), d("0"), d("500"), d("600"), d("600")]
    );
    // Every other month everybody's own value is the base, 100: the best, 600 each.
    for p in ["P1", "P3", "P4", "P5"] {
        assert_eq!(item(p, 2), d("600"), "{p}");
    }
    // The card's total uses the scaled item: P4 500 + 400 = 900 in March; P3 0 + (400 - 200).
    assert_eq!(r.month("P4", 3), d("900"));
    assert_eq!(r.month("P3", 3), d("200"));
    // The annual formula reads the scaled totals: P4 (11 × 1000 + 900) / 12 = 991.6(6).
    assert_eq!(r.person("P4").annual.published, "991.67".parse().unwrap());
    assert_eq!(r.grade("P4"), "优秀");
    assert_eq!(r.grade("P3"), "合格");
}

#[test]
fn quarterly_and_yearly_cards_take_the_best_of_each_card() {
    // February adds 100 to P4: in the first quarter P4's own value is 100 + 100 + 25 = 225, the
    // best of 东山村; P1 and P2 150 ÷ 225 × 600 = 400; P3 0.
    let records = format!("{}2020-02-03,task,P4,100\n", read("records.csv"));
    let r = run(&on_cards("quarter"), &records);
    let q1 = |p: &str| r.item(p, 1, "result").unwrap();
    assert_eq!(
        ["P1", "P2", "P3", "P4", "P5"].map(q1),
        [d("400"), d("400"), d("0"), d("600"), d("600")]
    );
    // The second quarter: everybody the base, 600.
    assert_eq!(r.item("P1", 2, "result").unwrap(), d("600"));
    // One card a year: the own values are the base once and the year's points, the same as the
    // first quarter's here; the year's result is the card's total: P1 400 + 400.
    let r = run(&on_cards("year"), &records);
    let year = |p: &str| {
        r.person(p)
            .year_card
            .as_ref()
            .unwrap()
            .items
            .get(0)
            .unwrap()
    };
    assert_eq!(
        ["P1", "P2", "P3", "P4", "P5"].map(year),
        [d("400"), d("400"), d("0"), d("600"), d("600")]
    );
    assert_eq!(r.annual("P1"), d("800"));
}

#[test]
fn a_zeroed_item_and_people_without_the_item_are_scaled_as_documented() {
    // A `zero` makes the own value 0: P1 zeroed in March leaves P2 the only best (150).
    let policy = read("relative.policy")
        .replace(
            "record leave \"不参加考核\" by person",
            "record leave \"不参加考核\" by person\nrecord veto \"一票否决\" by person",
        )
        .replace(
            "    [2] per fault -points\n  }",
            "    [2] per fault -points\n    [5] per veto zero\n  }",
        );
    let records = format!("{}2020-03-20,veto,P1,\n", read("records.csv"));
    let r = run(&policy, &records);
    assert_eq!(r.item("P1", 3, "result").unwrap(), d("0"));
    assert_eq!(r.item("P2", 3, "result").unwrap(), d("600"));
    assert_eq!(r.item("P4", 3, "result").unwrap(), d("500"));
    // An item for 综合 only: P3 (专业) has no such item and is in no best; P5 (专业) neither.
    let policy = read("relative.policy")
        .replace(
            "600 scaled of department {",
            "600 scaled of department for category in {综合} {",
        )
        .replace(
            "    [2] per fault -points\n  }\n}",
            "    [2] per fault -points\n  }\n  item expert \"专业\" 600 for category in {专业} {\n    [1] base 600\n  }\n}",
        );
    let r = run(&policy, &read("records.csv"));
    assert_eq!(r.item("P3", 3, "result"), None);
    assert_eq!(r.item("P4", 3, "result").unwrap(), d("500"));
}

#[test]
fn everybody_and_a_combination_of_columns_make_the_groups() {
    // `scaled` alone: the town's best in March is P6's 600... but P6 is excluded: the best is
    // P1's and P2's 150, and P5 (110) gets 110 ÷ 150 × 600 = 440.
    let policy = read("relative.policy").replace("scaled of department", "scaled");
    let r = run(&policy, &read("records.csv"));
    assert_eq!(r.item("P5", 3, "result").unwrap(), d("440"));
    // `of department, category`: 东山村 综合 (P1, P2, P4) best 150; 东山村 专业 is P3 alone,
    // whose best -100 is below 0: the month cannot be scaled.
    let policy =
        read("relative.policy").replace("scaled of department", "scaled of department, category");
    let err = common::try_run(&policy, &read("roster.csv"), &read("records.csv")).err();
    assert_eq!(
        err.as_deref(),
        Some(
            "item `result` is scaled to the best of `东山村, category 专业`, which is 0 or below in 2020-03: -100"
        )
    );
}

#[test]
fn a_best_of_zero_in_a_card_that_is_over_divides_by_zero() {
    // No base: a village whose people have no task in a month has a best of 0.
    let policy = read("relative.policy").replace("    [1] base 100\n", "    [1] base 0\n");
    let out = common::on_files(
        "eval",
        &policy,
        &read("roster.csv"),
        &read("records.csv"),
        &["--as-of", "2021-01-05"],
    );
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!("best_zero", out.stderr);
    let out = common::on_files(
        "eval",
        &policy,
        &read("roster.csv"),
        &read("records.csv"),
        &["--as-of", "2021-01-05", "--lang", "zh"],
    );
    insta::assert_snapshot!("best_zero_zh", out.stderr);
    // The months not over yet on the report day score 0 rather than fail: as of 31 March, with
    // tasks in both villages in each month so far, April has a best of 0 and is not over.
    let mut records = String::from("date,kind,person,points\n");
    for m in 1..=3 {
        records.push_str(&format!(
            "2020-0{m}-02,task,P1,50\n2020-0{m}-03,task,P5,10\n"
        ));
    }
    let totals = |period: &str| {
        let out = common::on_files(
            "eval",
            &policy,
            &read("roster.csv"),
            &records,
            &[
                "--as-of",
                "2020-03-31",
                "--period",
                period,
                "--format",
                "csv",
            ],
        );
        common::period_totals(&out.ok())
    };
    // March: P1 and P5 the bests of their villages, 600 + 400; the others own 0: 0 + 400.
    assert_eq!(
        totals("2020-03"),
        [
            "P1,2020-03,1000.00",
            "P2,2020-03,400.00",
            "P3,2020-03,400.00",
            "P4,2020-03,400.00",
            "P5,2020-03,1000.00",
            "P6,2020-03,400.00",
        ]
    );
    assert_eq!(
        totals("2020-04"),
        [
            "P1,2020-04,400.00",
            "P2,2020-04,400.00",
            "P3,2020-04,400.00",
            "P4,2020-04,400.00",
            "P5,2020-04,400.00",
            "P6,2020-04,400.00",
        ]
    );
}

#[test]
fn explain_shows_the_own_value_the_best_and_who_holds_it() {
    let explain = |person: &str, more: &[&str]| {
        let mut args = vec![
            "--as-of",
            "2021-01-05",
            "--person",
            person,
            "--period",
            "2020-03",
        ];
        args.extend_from_slice(more);
        common::on_files(
            "explain",
            &read("relative.policy"),
            &read("roster.csv"),
            &read("records.csv"),
            &args,
        )
        .ok()
    };
    insta::assert_snapshot!("explain_p4_march", explain("P4", &[]));
    insta::assert_snapshot!("explain_p3_march_zh", explain("P3", &["--lang", "zh"]));
}

#[test]
fn ranks_by_a_combination_of_columns() {
    // `rank village "村内排名" of department, category`: 东山村 综合 P1, P2 (1000, tied), P4
    // (991.67); 东山村 专业 P3 alone; 西山村 专业 P5 alone; P6 excluded.
    let out = common::on_files(
        "eval",
        &read("relative.policy"),
        &read("roster.csv"),
        &read("records.csv"),
        &["--as-of", "2021-01-05", "--format", "json"],
    )
    .ok();
    let people: serde_json::Value = serde_json::from_str(&out).unwrap();
    let said: Vec<String> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let r = &p["annual"]["ranks"][0];
            format!(
                "{} {} {}/{}",
                p["person"].as_str().unwrap(),
                r["group"],
                r["place"],
                r["of"]
            )
        })
        .collect();
    assert_eq!(
        said,
        [
            "P1 \"东山村, category 综合\" 1/3",
            "P2 \"东山村, category 综合\" 1/3",
            "P3 \"东山村, category 专业\" 1/1",
            "P4 \"东山村, category 综合\" 3/3",
            "P5 \"西山村, category 专业\" 1/1",
            "P6 null null/null",
        ]
    );
}

#[test]
fn the_groups_are_checked_and_kept_in_their_layout() {
    let errors = common::check_errors;
    let text = read("relative.policy");
    assert!(errors(&text).is_empty(), "{:?}", errors(&text));
    assert_eq!(
        errors(&text.replace("scaled of department", "scaled of villag")),
        ["tally::unknown-column: the roster has no column `villag`"]
    );
    assert_eq!(
        errors(&text.replace("of department, category", "of category, category")),
        ["tally::duplicate-id: the group names `category` twice"]
    );
    assert_eq!(
        errors(&text.replace("of department, category", "of department, categroy")),
        ["tally::unknown-column: the roster has no column `categroy`"]
    );
    let diags = |t: &str, lang: &str| {
        common::in_folder(&[("p.policy", t)], &["--lang", lang, "check", "p.policy"]).stderr
    };
    let wrong = text.replace("scaled of department", "scaled of villag");
    insta::assert_snapshot!("unknown_group", diags(&wrong, "en"));
    insta::assert_snapshot!("unknown_group_zh", diags(&wrong, "zh"));
    // The layout `fmt` writes: loosely written, put back.
    let out = common::in_folder(&[("p.policy", &text)], &["fmt", "--check", "p.policy"]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    let loose = text
        .replace(
            "600 scaled of department {",
            "600   scaled\n  of   department {",
        )
        .replace("of department, category", "of department ,category");
    let mut fmt = common::tally_command();
    fmt.args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = fmt.spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), loose.as_bytes()).unwrap();
    let formatted = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    assert_eq!(formatted, text);
}

#[test]
fn bounds_hold_a_scaled_item_to_its_budget() {
    let out = common::in_folder(
        &[("p.policy", &read("relative.policy"))],
        &["check", "--bounds", "p.policy"],
    );
    let line = out
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("result"))
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    insta::assert_snapshot!("bounds_line", line);
}

#[test]
fn bounds_count_a_scaled_item_in_steps_of_the_published_places() {
    // Whole points, where every other value is in whole steps: the scaled item divides by the
    // group's best, which can be any number, and is kept to the published places (`round 2`),
    // so the year's values are in steps of 1/100 ÷ 12, not 1/12; the sum over a year of prime
    // bests stays exact (`a_year_of_scaled_months_over_large_bests_computes`).
    let text = read("relative.policy").replace("points: points", "points: whole points");
    for (text, steps) in [
        (text.clone(), "(in steps of 1/1200)"),
        (
            text.replace(" scaled of department", ""),
            "(in steps of 1/12)",
        ),
    ] {
        let out = common::in_folder(&[("p.policy", &text)], &["check", "--bounds", "p.policy"]);
        let line = out
            .stdout
            .lines()
            .find(|l| l.starts_with("overflow:"))
            .unwrap_or_default()
            .to_string();
        assert!(line.starts_with("overflow: not possible"), "{}", out.stdout);
        assert!(line.contains(steps), "{line}");
    }
}

#[test]
fn diff_tells_an_item_that_became_scaled() {
    let before = read("relative.policy").replace(" scaled of department", "");
    let out = common::in_folder(
        &[
            ("a.policy", &before),
            ("b.policy", &read("relative.policy")),
            ("roster.csv", &read("roster.csv")),
            ("records.csv", &read("records.csv")),
        ],
        &[
            "diff",
            "a.policy",
            "b.policy",
            "--roster",
            "roster.csv",
            "--records",
            "records.csv",
            "--as-of",
            "2021-01-05",
        ],
    );
    insta::assert_snapshot!("diff_scaled", out.both());
}

#[test]
fn a_grade_quota_within_a_combination_of_columns() {
    // `优秀 >= 950 top 70% of department, category`: 东山村 综合 has P1 1000, P2 1000 and P4
    // 991.67 by score, 70% of 3 = 2 places: P1 and P2 keep 优秀, P4 takes 合格. 西山村 专业 is P5
    // alone: 70% of 1 = 0 places, so 合格. P3 (933.33) is 合格 by score.
    let policy = read("relative.policy")
        .replace("优秀 >= 950", "优秀 >= 950 top 70% of department, category");
    let r = run(&policy, &read("records.csv"));
    assert_eq!(
        ["P1", "P2", "P3", "P4", "P5"].map(|p| r.grade(p)),
        ["优秀", "优秀", "合格", "合格", "合格"]
    );
    assert_eq!(
        common::check_errors(
            &policy.replace("70% of department, category", "70% of department, categroy")
        ),
        ["tally::unknown-column: the roster has no column `categroy`"]
    );
}

#[test]
fn a_scenario_expects_a_scaled_item_like_any_item() {
    let policy = common::root().join(DIR).join("relative.policy");
    let out = common::cli(["test".as_ref(), policy.as_os_str()]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    assert!(out.stdout.contains("1 passed, 0 failed"), "{}", out.stdout);
}

/// A revenue in yuan scaled to the best town's each month (§32's own example of an own value in
/// another unit), on monthly cards averaged over the year.
const REVENUE: &str = r#"policy "营收折算" year 2020 total 1000
annual = sum(months) / 12
round 2 half-up

record revenue "营业收入" by person { yuan: whole number 0..10000000 }

section work "工作实绩" 600 {
  item result "实绩" 600 scaled {
    [1] base 0
    [1] per revenue +yuan
  }
}

section duty "履职" 400 {
  item conduct "作风" 400 {
    [2] base 400
  }
}

grades {
  合格 >= 600
  不合格
}
"#;

#[test]
fn a_scaled_score_is_kept_to_the_published_places() {
    // By hand: T2's 8000 yuan is the best of every month. T1's 3 yuan: 3 ÷ 8000 × 600 = 0.225,
    // half-up to 0.23 (half-even would give 0.22); T3's 5 000: 375 exactly.
    let roster = "person,name,department\nT1,镇1,镇\nT2,镇2,镇\nT3,镇3,镇\n";
    let mut records = String::from("date,kind,person,yuan\n");
    for m in 1..=12 {
        for (t, yuan) in [("T1", 3), ("T2", 8000), ("T3", 5000)] {
            records.push_str(&format!("2020-{m:02}-15,revenue,{t},{yuan}\n"));
        }
    }
    let r = common::run(REVENUE, roster, &records);
    for m in 1..=12 {
        assert_eq!(r.item("T1", m, "result").unwrap(), d("0.23"), "{m}");
        assert_eq!(r.item("T2", m, "result").unwrap(), d("600"), "{m}");
        assert_eq!(r.item("T3", m, "result").unwrap(), d("375"), "{m}");
    }
    // The year: the twelve months' totals (0.23 + 400) averaged, 400.23.
    assert_eq!(r.person("T1").annual.published, "400.23".parse().unwrap());
}

#[test]
fn a_year_of_scaled_months_over_large_bests_computes() {
    // Twelve bests of seven digits with no common factor: unrounded, the year's sum of the
    // scaled months would need a denominator of some eighty digits, more than exact arithmetic
    // holds; kept to the published places, each month is a whole number of hundredths.
    let bests: [i64; 12] = [
        1_000_003, 1_000_033, 1_000_037, 1_000_039, 1_000_081, 1_000_099, 1_000_117, 1_000_121,
        1_000_133, 1_000_151, 1_000_159, 1_000_171,
    ];
    let roster = "person,name,department\nT1,镇1,镇\nT2,镇2,镇\n";
    let mut records = String::from("date,kind,person,yuan\n");
    for (m, best) in bests.iter().enumerate() {
        let m = m + 1;
        records.push_str(&format!("2020-{m:02}-15,revenue,T1,777777\n"));
        records.push_str(&format!("2020-{m:02}-15,revenue,T2,{best}\n"));
    }
    let r = common::run(REVENUE, roster, &records);
    let mut sum = rust_decimal::Decimal::ZERO;
    for (m, best) in bests.iter().enumerate() {
        // 777777 × 600 ÷ best, to two places half-up, worked in integers: hundredths, rounded.
        let hundredths = (777_777 * 600 * 100 * 2 + best) / (2 * best);
        let want = rust_decimal::Decimal::new(hundredths, 2);
        let month = u8::try_from(m + 1).unwrap();
        let got = r.item("T1", month, "result").unwrap();
        assert_eq!(got, tally::exact::Exact::from_decimal(want), "{month}");
        sum += want + rust_decimal::Decimal::from(400);
    }
    let mean = (sum / rust_decimal::Decimal::from(12))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    assert_eq!(r.person("T1").annual.published, mean);
    assert_eq!(
        r.person("T2").annual.published,
        rust_decimal::Decimal::from(1000)
    );
}

#[test]
fn check_refuses_a_scaled_item_whose_own_value_is_never_above_0() {
    // Base 0 and deductions only: every card's best is 0 or below, so eval could never scale.
    let never = r#"policy "p" year 2020 total 100
annual = sum(months) / 12

record fault "失误" by person { points: points 0..60 }

section s "s" 100 {
  item work "实绩" 100 scaled {
    [1] base 0
    [2] per fault -points
  }
}

grades {
  好 >= 60
  差
}
"#;
    let check = |t: &str, lang: &str| {
        common::in_folder(&[("p.policy", t)], &["--lang", lang, "check", "p.policy"])
    };
    let out = check(never, "en");
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    insta::assert_snapshot!("never_above_zero", out.stderr);
    insta::assert_snapshot!("never_above_zero_zh", check(never, "zh").stderr);
    // A base above 0, a reward, or no base (the budget is the base) can make a best above 0.
    for fixed in [
        never.replace("base 0", "base 10"),
        never
            .replace(
                "[2] per fault -points",
                "[2] per fault -points\n    [2] per task +points",
            )
            .replace(
                "\nsection",
                "record task \"任务\" by person { points: points 0..60 }\n\nsection",
            ),
        never.replace("    [1] base 0\n", ""),
    ] {
        let out = check(&fixed, "en");
        assert_eq!(out.code, Some(0), "{fixed}\n{}", out.stderr);
    }
}
