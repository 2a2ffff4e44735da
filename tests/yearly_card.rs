//! `card year`: one card a year instead of twelve (文登区农村居民信用积分: 基础分1000 − 减分 + 加分,
//! one year's card). Every record counts at its full value; caps still count by the records'
//! months; `when` rules and the items' clamps apply once; there is no annual formula and no month.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

const DIR: &str = "tests/fixtures/yearly";

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

#[test]
fn one_card_for_the_year() {
    // A: 1000, +10 for 55 hours (the `>= 50` step), donations of 25 + 25 points held to the
    // shared 40, help once a month (April twice, May once: 2): 1052, 四星 (above 1040).
    // B: 1000 - 30 = 970, 一星.
    let out = tally(&["eval", "--format", "csv"]).ok();
    assert_eq!(
        out,
        "person,name,period,total,grade,final,flags\nA,甲,2020,1052.00,四星,true,\nB,乙,2020,970.00,一星,true,\n"
    );
}

#[test]
fn explain_shows_the_year_card() {
    let out = tally(&["explain", "--person", "A"]).ok();
    insta::assert_snapshot!(out.replace("tests/fixtures/yearly/", ""));
}

#[test]
fn there_is_no_month_to_ask_for() {
    let out = tally(&["eval", "--period", "2020-03"]);
    assert_eq!(out.code, Some(2), "{}", out.both());
    assert!(
        out.stderr
            .contains("the policy keeps one card a year (`card year`), so there is no `2020-03`"),
        "{}",
        out.stderr
    );
    let out = tally(&["explain", "--person", "A", "--period", "2020-03"]);
    assert_ne!(out.code, Some(0), "{}", out.both());
}

#[test]
fn a_yearly_card_is_checked() {
    let text = std::fs::read_to_string(common::root().join(DIR).join("card.policy")).unwrap();
    let errors = common::check_errors;
    assert!(errors(&text).is_empty(), "{:?}", errors(&text));
    assert_eq!(
        errors(&text.replace("card year\n", "card year\nannual = sum(months) / 12\n")),
        ["tally::bad-annual: a policy with one card a year has no annual formula"]
    );
    assert_eq!(
        errors(&text.replace("card year\n", "card year\ncard month\n")),
        ["tally::duplicate-declaration: a second `card` declaration"]
    );
    assert_eq!(
        errors(&text.replace(
            "+sum(volunteer.hours) {",
            "+sum(volunteer.hours) in month {"
        )),
        ["tally::misplaced: a policy with one card a year has no month to read"]
    );
    // Monthly cards still need their annual formula.
    assert_eq!(
        errors(&text.replace("card year\n", "card month\n")),
        ["tally::missing-header: the policy does not say how the annual result is computed"]
    );
}

#[test]
fn fmt_keeps_the_card() {
    let text = std::fs::read_to_string(common::root().join(DIR).join("card.policy")).unwrap();
    let out = tally::fmt::format(&tally::diag::Source::new(
        "p.policy",
        text.replace("card year", "card   year"),
    ))
    .unwrap();
    assert_eq!(out, text);
}

#[test]
fn the_notice_board_has_no_month_chart() {
    let dir = common::temp_dir("yearly-publish");
    let page = dir.join("公示.html");
    let out = common::cli([
        "publish".to_string(),
        format!("{DIR}/card.policy"),
        "--roster".into(),
        format!("{DIR}/roster.csv"),
        "--records".into(),
        format!("{DIR}/records.csv"),
        "--period".into(),
        "2020".into(),
        "-o".into(),
        page.display().to_string(),
    ]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("各等级人数"), "{html}");
    assert!(!html.contains("逐月平均得分"), "{html}");
    assert!(html.contains("1052.00"), "{html}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_of_a_set_score_on_a_yearly_card() {
    let text = std::fs::read_to_string(common::root().join(DIR).join("card.policy"))
        .unwrap()
        .replace(
            "  [2.1] per fault -points\n",
            "  [2.1] per fault -points, score 0\n",
        );
    let dir = common::temp_dir("yearly-set");
    common::write(&dir, "p.policy", &text);
    let out = common::cli([
        "explain".to_string(),
        dir.join("p.policy").display().to_string(),
        "--roster".into(),
        format!("{DIR}/roster.csv"),
        "--records".into(),
        format!("{DIR}/records.csv"),
        "--person".into(),
        "B".into(),
    ])
    .ok();
    let _ = std::fs::remove_dir_all(&dir);
    let head: Vec<&str> = out.lines().take(3).collect();
    assert_eq!(
        head,
        [
            "  970.00  B 乙 (一组) — 2020",
            "              published 0.00: the card gives 970.00 (half-up to 2 decimals), and the score is set to 0.00 (2020-06, by [2.1])",
            "              grade by score: 零星",
        ]
    );
}

#[test]
fn the_results_workbook_has_the_year_only() {
    use calamine::Reader;
    let dir = common::temp_dir("yearly-xlsx");
    let book = dir.join("结果.xlsx");
    let out = tally(&["eval", "--output", &book.display().to_string()]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    let wb: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    assert_eq!(wb.sheet_names(), ["2020"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_scenario_checks_the_year_cards_items() {
    let dir = common::temp_dir("yearly-scenario");
    let text = std::fs::read_to_string(common::root().join(DIR).join("card.policy")).unwrap();
    common::write(&dir, "p.policy", &text);
    std::fs::create_dir_all(dir.join("p.tests")).unwrap();
    std::fs::write(
        dir.join("p.tests").join("a.scenario"),
        "scenario \"year card\"\nroster\n  person, name, department, student\n  A, 甲, 一组, false\nrecords\n  2020-03-01, help, A\n  2020-03-02, help, A\nexpect\n  A 2020 item credit 1000 total 1001\n",
    )
    .unwrap();
    let policy = dir.join("p.policy").display().to_string();
    let out = common::cli(["test", policy.as_str()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, Some(0), "{}", out.both());
}
