//! `card quarter`: four cards a year, each made from its quarter's records (a township's quarterly
//! assessment of village cadres, `tests/fixtures/quarterly/`), and the year from the annual formula
//! over the four quarterly totals (`annual = mean(quarters)`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use proptest::prelude::*;
use tally::exact::Exact;

const DIR: &str = "tests/fixtures/quarterly";

fn tally(args: &[&str]) -> common::Out {
    let mut all: Vec<String> = vec![
        args[0].to_string(),
        format!("{DIR}/card.policy"),
        "--roster".into(),
        format!("{DIR}/roster.csv"),
        "--records".into(),
        format!("{DIR}/records.csv"),
    ];
    all.extend(args[1..].iter().map(|a| a.to_string()));
    common::cli(all)
}

fn policy_text() -> String {
    std::fs::read_to_string(common::root().join(DIR).join("card.policy")).unwrap()
}

#[test]
fn four_cards_and_the_mean_of_them() {
    // Worked out by hand (records.csv):
    // A, Q1: lates of 2020-01 (two) and 2020-02 (one), -2 each within the monthly cap of 6: 34;
    //        32 households visited: 60; praise +2 outside the items: 96.
    // A, Q2: three absences in the quarter zero attendance; 20 households: 60 - 10 = 50; three
    //        praises, +6 held to 4 a quarter: 54.
    // A, Q3: four lates in July, -8 held to -6 by the monthly cap, one in August: 40 - 8 = 32;
    //        30 households: 60; 92.
    // A, Q4: nothing recorded; no households: 60 - 30 = 30; 70.
    // A's year: (96 + 54 + 92 + 70) / 4 = 78, 合格.
    // B: 30 households every quarter; one late in December: 100, 100, 100, 98; 99.5, 优秀.
    let out = tally(&["eval", "--format", "csv"]).ok();
    assert_eq!(
        common::period_totals(&out),
        [
            "A,2020-Q1,96.00",
            "A,2020-Q2,54.00",
            "A,2020-Q3,92.00",
            "A,2020-Q4,70.00",
            "A,2020,78.00",
            "B,2020-Q1,100.00",
            "B,2020-Q2,100.00",
            "B,2020-Q3,100.00",
            "B,2020-Q4,98.00",
            "B,2020,99.50",
        ]
    );
    assert!(out.contains("A,甲,2020,78.00,合格,true,"), "{out}");
    assert!(out.contains("B,乙,2020,99.50,优秀,true,"), "{out}");
}

#[test]
fn a_period_is_a_quarter() {
    let out = tally(&["eval", "--format", "csv", "--period", "2020-Q2"]).ok();
    assert_eq!(
        common::period_totals(&out),
        ["A,2020-Q2,54.00", "B,2020-Q2,100.00"]
    );
    let out = tally(&["eval", "--format", "table", "--period", "2020-Q3"]).ok();
    assert!(out.starts_with("村干部季度考核 — 2020-Q3\n"), "{out}");
    for month in ["2020-03", "2020-Q5", "2020-Q0", "2020-Q"] {
        let out = tally(&["eval", "--period", month]);
        assert_eq!(out.code, Some(2), "{}", out.both());
        assert!(
            out.stderr.contains(&format!(
                "the policy keeps quarterly cards (`card quarter`), so there is no `{month}`: write `2020-Q1` to `2020-Q4` for a quarter, or `2020` for the year"
            )),
            "{}",
            out.stderr
        );
    }
    // Another year's quarter: the suggestion is in quarters, as the policy keeps them.
    let out = tally(&["eval", "--period", "2021-Q1"]);
    assert!(
        out.stderr.contains(
            "`2021-Q1` is not a period of this policy: write `2020` for the year or `2020-Q2` for a quarter"
        ),
        "{}",
        out.stderr
    );
    let out = tally(&["eval", "--period", "2020-03", "--lang", "zh"]);
    assert!(
        out.stderr
            .contains("这个政策文件按季度记分（`card quarter`），没有 `2020-03` 这个时段"),
        "{}",
        out.stderr
    );
    // A quarter is a period of quarterly cards only.
    let out = common::cli([
        "eval",
        "tests/fixtures/yearly/card.policy",
        "--roster",
        "tests/fixtures/yearly/roster.csv",
        "--records",
        "tests/fixtures/yearly/records.csv",
        "--period",
        "2020-Q2",
    ]);
    assert_eq!(out.code, Some(2), "{}", out.both());
}

#[test]
fn a_quarter_is_final_once_its_last_month_is_over() {
    // As of 2020-05-15, with the records so far: the first quarter is over, the second is not.
    let records = std::fs::read_to_string(common::root().join(DIR).join("records.csv")).unwrap();
    let early: String = records
        .lines()
        .filter(|l| !l.starts_with("2020") || l.get(..10).is_some_and(|d| d < "2020-05-15"))
        .filter(|l| !l.contains(",B,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let out = common::on_files(
        "eval",
        &policy_text(),
        "person,name,department\nA,甲,一村\n",
        &early,
        &["--as-of", "2020-05-15", "--format", "csv"],
    );
    assert_eq!(
        out.ok(),
        "person,name,period,total,grade,final,flags\n\
         A,甲,2020-Q1,96.00,,true,\n\
         A,甲,2020-Q2,82.00,,false,\n\
         A,甲,2020-Q3,70.00,,false,\n\
         A,甲,2020-Q4,70.00,,false,\n\
         A,甲,2020,79.50,合格,false,\n"
    );
}

#[test]
fn json_rows_name_the_quarters() {
    let out = tally(&["eval", "--format", "json", "--period", "2020-Q1"]).ok();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a = &v[0];
    assert_eq!(a["months"][0]["period"], "2020-Q1");
    assert_eq!(a["months"][0]["exact"], "96");
    assert_eq!(a["months"].as_array().unwrap().len(), 1);
    let out = tally(&["eval", "--format", "json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let periods: Vec<&str> = v[1]["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]);
    assert_eq!(v[1]["annual"]["exact"], "99.5");
}

#[test]
fn a_workbook_has_a_sheet_per_quarter() {
    let dir = common::temp_dir("quarterly-xlsx");
    let path = dir.join("out.xlsx");
    tally(&[
        "eval",
        "--format",
        "xlsx",
        "--output",
        path.to_str().unwrap(),
    ])
    .ok();
    let book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    use calamine::Reader;
    assert_eq!(
        book.sheet_names(),
        ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2020"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_shows_each_quarter_and_the_year() {
    let mut out = String::new();
    for period in ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2020"] {
        out.push_str(&tally(&["explain", "--person", "A", "--period", period]).ok());
    }
    insta::assert_snapshot!(out.replace("tests/fixtures/quarterly/", ""));
    let out = tally(&["explain", "--person", "A", "--period", "2020-06"]);
    assert_eq!(out.code, Some(2), "{}", out.both());
}

#[test]
fn explain_in_chinese() {
    let out = tally(&["explain", "--person", "A", "--lang", "zh"]).ok();
    assert!(out.contains("季度总分合计"), "{out}");
    assert!(out.contains("2020-Q2"), "{out}");
}

#[test]
fn bounds_are_per_quarter_and_for_the_year() {
    let out = common::cli(["check", "--bounds", &format!("{DIR}/card.policy")]);
    insta::assert_snapshot!(out.stdout);
    let out = common::cli([
        "check",
        "--bounds",
        "--lang",
        "zh",
        &format!("{DIR}/card.policy"),
    ]);
    assert!(
        out.stdout.contains("一个人一个季度能得的分"),
        "{}",
        out.stdout
    );
    let out = common::cli([
        "check",
        "--bounds",
        "--format",
        "json",
        &format!("{DIR}/card.policy"),
    ]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let v = &v["bounds"];
    assert_eq!(v["card"], "quarter");
    assert_eq!(v["total"]["month"]["most"], "104");
    assert_eq!(v["total"]["year"]["most"], "416");
}

#[test]
fn its_scenario_passes() {
    let out = common::cli(["test", &format!("{DIR}/card.policy")]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    assert!(out.stdout.contains("1 passed, 0 failed"), "{}", out.stdout);
}

#[test]
fn a_month_in_a_scenario_of_quarterly_cards_is_refused() {
    let scenario = std::fs::read_to_string(
        common::root()
            .join(DIR)
            .join("card.tests/quarters.scenario"),
    )
    .unwrap()
    .replace("A 2020-Q3..Q4    total 70", "A 2020-07        total 70");
    let dir = common::temp_dir("quarterly-scenario");
    std::fs::create_dir_all(dir.join("card.tests")).unwrap();
    common::write(&dir, "card.policy", &policy_text());
    common::write(&dir.join("card.tests"), "q.scenario", &scenario);
    let out = common::cli(["test", dir.join("card.policy").to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(
        out.stdout.contains(
            "the policy keeps quarterly cards (`card quarter`), so there is no `2020-07`"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn a_quarterly_card_is_checked() {
    let text = policy_text();
    let errors = common::check_errors;
    assert!(errors(&text).is_empty(), "{:?}", errors(&text));
    assert_eq!(
        errors(&text.replace("annual = mean(quarters)\n", "")),
        ["tally::missing-header: the policy does not say how the annual result is computed"]
    );
    assert_eq!(
        errors(&text.replace("mean(quarters)", "sum(months) / 12")),
        ["tally::bad-annual: a policy with quarterly cards has no monthly totals"]
    );
    assert_eq!(
        errors(&text.replace("mean(quarters)", "quarters")),
        ["tally::bad-annual: `quarters` is the four quarterly totals, not one number"]
    );
    assert_eq!(
        errors(&text.replace("count(absent) in quarter", "count(absent) in month")),
        ["tally::misplaced: a policy with quarterly cards has no month to read"]
    );
    // `in year` reads the year on a quarterly card too.
    assert!(errors(&text.replace("count(absent) in quarter", "count(absent) in year")).is_empty());
    assert_eq!(
        errors(&text.replace("card quarter\n", "card quarter\ncard year\n")),
        ["tally::duplicate-declaration: a second `card` declaration"]
    );
    // Monthly cards combine months, and read no quarter.
    let monthly = text.replace("card quarter\n", "");
    assert_eq!(
        errors(&monthly),
        [
            "tally::bad-annual: only a policy with quarterly cards (`card quarter`) has quarterly totals",
            "tally::misplaced: only a policy with quarterly cards (`card quarter`) reads a quarter"
        ]
    );
    let monthly = monthly.replace("mean(quarters)", "sum(months) / 12");
    assert_eq!(
        errors(&monthly),
        ["tally::misplaced: only a policy with quarterly cards (`card quarter`) reads a quarter"]
    );
    assert!(errors(&monthly.replace(" in quarter >= 3", " >= 3")).is_empty());
}

#[test]
fn its_diagnostics_as_the_user_sees_them() {
    let text = policy_text()
        .replace("mean(quarters)", "sum(months) / 12")
        .replace("count(absent) in quarter", "count(absent) in month");
    let mut out = String::new();
    for lang in ["en", "zh"] {
        let o = common::in_folder(
            &[("p.policy", &text)],
            &["check", "--lang", lang, "p.policy"],
        );
        out.push_str(&o.stdout);
        out.push_str(&o.stderr);
    }
    insta::assert_snapshot!(out);
}

#[test]
fn fmt_keeps_it_as_it_is() {
    let out = common::cli(["fmt", "--check", &format!("{DIR}/card.policy")]);
    assert_eq!(out.code, Some(0), "{}", out.both());
}

#[test]
fn diff_names_the_card() {
    let text = policy_text();
    let monthly = text
        .replace(
            "card quarter\nannual = mean(quarters)",
            "annual = sum(months) / 12",
        )
        .replace(" in quarter >= 3", " >= 3")
        .replace("cap 4 in quarter", "cap 4");
    let roster = std::fs::read_to_string(common::root().join(DIR).join("roster.csv")).unwrap();
    let records = std::fs::read_to_string(common::root().join(DIR).join("records.csv")).unwrap();
    let out = common::in_folder(
        &[
            ("old.policy", &monthly),
            ("new.policy", &text),
            ("roster.csv", &roster),
            ("records.csv", &records),
        ],
        &[
            "diff",
            "old.policy",
            "new.policy",
            "--roster",
            "roster.csv",
            "--records",
            "records.csv",
        ],
    );
    assert!(
        out.stdout
            .contains("annual: annual = sum(months) / 12 → card quarter; annual = mean(quarters)"),
        "{}",
        out.both()
    );
    // A's year: (96 + 54 + 92 + 70) / 4 = 78, against the twelve months' mean before.
    assert!(out.stdout.contains("75.08  78.00"), "{}", out.stdout);
}

// ------------------------------------------------------------------------------------------------
// The class of inputs: on any records, each quarter's card is what one card a year (`card year`)
// gives for that quarter's records alone, and the year is the mean of the four.

const KINDS: [&str; 4] = ["late", "absent", "visit", "praise"];

fn records(seeds: &[(usize, u8, u8, bool, u8)], quarter: Option<u8>) -> String {
    let mut out = String::from("date,kind,person,households\n");
    for &(kind, month, day, b, households) in seeds {
        if quarter.is_some_and(|q| month.div_ceil(3) != q) {
            continue;
        }
        let kind = KINDS[kind % KINDS.len()];
        let households = if kind == "visit" {
            (households % 40 + 1).to_string()
        } else {
            String::new()
        };
        let who = if b { "B" } else { "A" };
        out.push_str(&format!(
            "2020-{month:02}-{day:02},{kind},{who},{households}\n"
        ));
    }
    out
}

const ROSTER: &str = "person,name,department\nA,甲,一村\nB,乙,二村\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn each_quarter_is_a_yearly_card_of_its_records(
        seeds in proptest::collection::vec((0usize..4, 1u8..=12, 1u8..=28, any::<bool>(), any::<u8>()), 0..40),
    ) {
        let quarterly = policy_text();
        let yearly = quarterly
            .replace("card quarter\nannual = mean(quarters)", "card year")
            .replace(" in quarter", " in year");
        let run = common::run(&quarterly, ROSTER, &records(&seeds, None));
        for id in ["A", "B"] {
            let p = run.person(id);
            prop_assert_eq!(p.months.len(), 4);
            let mut sum = Exact::ZERO;
            for q in 1..=4u8 {
                let alone = common::run(&yearly, ROSTER, &records(&seeds, Some(q)));
                let card = p.months[usize::from(q) - 1].total.get();
                prop_assert_eq!(card, alone.annual(id), "{} Q{}", id, q);
                prop_assert_eq!(p.months[usize::from(q) - 1].month, q * 3);
                sum = sum.checked_add(card).unwrap();
            }
            prop_assert_eq!(p.annual.total, sum.checked_div(Exact::from_int(4)).unwrap());
        }
    }
}
