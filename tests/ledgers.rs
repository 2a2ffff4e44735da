//! Ledgers beside the points (§30): an attendance bonus in 元 less 1 元 per lateness, and the
//! performance pay derived from each month's total (`tests/fixtures/ledgers/`), each ledger in a
//! column of its own; the typing that keeps points and 元 apart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use proptest::prelude::*;
use tally::eval::ledger::{card_ledgers, year_ledgers};
use tally::exact::Exact;

const DIR: &str = "tests/fixtures/ledgers";

fn tally(args: &[&str]) -> common::Out {
    let mut all: Vec<String> = vec![
        args[0].to_string(),
        format!("{DIR}/pay.policy"),
        "--roster".into(),
        format!("{DIR}/roster.csv"),
        "--records".into(),
        format!("{DIR}/records.csv"),
    ];
    all.extend(args[1..].iter().map(|a| a.to_string()));
    common::cli(all)
}

fn policy_text() -> String {
    std::fs::read_to_string(common::root().join(DIR).join("pay.policy")).unwrap()
}

#[test]
fn the_bonus_and_the_pay_by_hand() {
    // Worked out by hand (records.csv):
    // A, 2020-03: three lates, -2 points each: 994 points; bonus 300 - 3 = 297 元; 994 >= 900, so
    //             the full pay of 3000 元: 3297 元.
    // A, 2020-05: three errors, -50 each: 850 points; pay 3000 - 5 * 50 = 2750; bonus 300: 3050.
    // A's other ten months: 1000 points, 300 + 3000 = 3300 元. Year: 33000 + 3297 + 3050 = 39347.
    // C, 2020-07: five errors: 750 points; pay 3000 - 5 * 150 = 2250; 2550 元.
    // C, 2020-08: twenty errors: the item clamps at 0; pay 3000 - 4500 is held at 0: 300 元.
    // C's year: 33000 + 2550 + 300 = 35850. B: 3300 a month, 39600.
    // The points never see the 元: A's year is (11000 - 6 - 150) / 12 = 987.
    let out = tally(&["eval", "--format", "csv"]).ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "person,name,period,total,money,grade,final,flags");
    for row in [
        "A,甲,2020-01,1000.00,3300.00,,true,",
        "A,甲,2020-03,994.00,3297.00,,true,",
        "A,甲,2020-05,850.00,3050.00,,true,",
        "A,甲,2020,987.00,39347.00,优秀,true,",
        "B,乙,2020,1000.00,39600.00,优秀,true,",
        "C,丙,2020-07,750.00,2550.00,,true,",
        "C,丙,2020-08,0.00,300.00,,true,",
        "C,丙,2020,895.83,35850.00,合格,true,",
    ] {
        assert!(lines.contains(&row), "no `{row}` in\n{out}");
    }
}

#[test]
fn the_json_has_an_object_of_ledgers() {
    let out = tally(&["eval", "--format", "json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a = &v[0];
    assert_eq!(a["months"][2]["ledgers"]["money"], "3297.00");
    assert_eq!(a["annual"]["ledgers"]["money"], "39347.00");
}

#[test]
fn the_table_has_a_column_per_ledger() {
    let out = tally(&["eval", "--period", "2020-03"]).ok();
    assert!(out.contains("money"), "{out}");
    assert!(out.contains("3297.00"), "{out}");
}

/// The fixture's policy on one person's records of one month.
fn one_month(lates: usize, errors: usize) -> (Exact, Exact, Exact) {
    let mut records = String::from("date,kind,person\n");
    for _ in 0..lates {
        records.push_str("2020-04-01,late,A\n");
    }
    for _ in 0..errors {
        records.push_str("2020-04-02,error,A\n");
    }
    let run = common::run(
        &policy_text(),
        "person,name,department\nA,甲,办公室\n",
        &records,
    );
    let card = &run.person("A").months[3];
    let l = card_ledgers(&run.policy, card);
    (card.total.get(), l.booked[0], l.derived[0])
}

#[test]
fn no_records_give_the_whole_bonus_and_the_whole_pay() {
    let (total, bonus, pay) = one_month(0, 0);
    assert_eq!(
        (total, bonus, pay),
        (common::d("1000"), common::d("300"), common::d("3000"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// k lates give a bonus of max(0, 300 - k) 元; the pay follows the points total alone:
    /// 3000 at 900 or more, 5 元 less per point short, never below 0; the money column is the sum.
    #[test]
    fn the_bonus_and_the_pay_follow_their_formulas(lates in 0usize..320, errors in 0usize..24) {
        let (total, bonus, pay) = one_month(lates, errors);
        let points = (1000 - 2 * lates as i64 - 50 * errors as i64).max(0);
        prop_assert_eq!(total, Exact::from_int(points));
        prop_assert_eq!(bonus, Exact::from_int((300 - lates as i64).max(0)));
        let expected = (3000 - 5 * (900 - points).max(0)).max(0);
        prop_assert_eq!(pay, Exact::from_int(expected));
    }
}

#[test]
fn the_year_is_the_sum_of_the_cards_on_every_kind_of_card() {
    // The same bonus on monthly, quarterly and yearly cards: k lates over the year cost k 元 of
    // one bonus a card; the year's money is the cards' sum.
    let policy = |card: &str, annual: &str| {
        format!(
            "policy \"p\" year 2020 total 100\n{card}\n{annual}\nround 2 half-up\nledger money \"元\"\nrecord late \"迟到\" by person\nsection s \"s\" 100 {{ item i \"i\" 100 {{ per late -1 }} }}\nsection b \"全勤奖\" 300 in money {{ item f \"全勤奖\" 300 {{ per late -1 }} }}\ngrades {{ 合格 >= 60\n 不合格 }}\n"
        )
    };
    let records = "date,kind,person\n2020-01-05,late,A\n2020-02-05,late,A\n2020-11-05,late,A\n";
    let roster = "person,name,department\nA,甲,办公室\n";
    for (card, annual, cards) in [
        ("card month", "annual = sum(months) / 12", 12),
        ("card quarter", "annual = mean(quarters)", 4),
        ("card year", "", 1),
    ] {
        let text = policy(card, annual);
        let run = common::run(&text, roster, records);
        let year = year_ledgers(&run.policy, run.person("A"));
        let expected = Exact::from_int(300 * cards - 3);
        assert_eq!(year, vec![Some(expected)], "{card}");
    }
}

#[test]
fn points_and_yuan_do_not_mix() {
    let base = |extra: &str, section: &str| {
        format!(
            "policy \"p\" year 2020 total 100\nannual = sum(months) / 12\nround 2 half-up\nledger money \"元\"\nrecord late \"迟到\" by person\nsection s \"s\" 100 {{ item i \"i\" 100 {{ per late -1 }} }}\nsection b \"全勤奖\" 300 in money {{ item f \"全勤奖\" 300 {{ {section} }} }}\n{extra}\ngrades {{ 合格 >= 60\n 不合格 }}\n"
        )
    };
    let refused = [
        // Points added to 元, compared, multiplied by 元, a bare total booked in 元.
        base(
            "derive pay \"x\" in money = 3000 - 5 * max(0, 900 - total)",
            "per late -1",
        ),
        base("derive pay \"x\" in money = money + total", "per late -1"),
        base(
            "derive pay \"x\" in money = money(total) * money(total)",
            "per late -1",
        ),
        base("derive pay \"x\" in money = total", "per late -1"),
        base(
            "derive pay \"x\" in money = max(money, total)",
            "per late -1",
        ),
        base("derive pay \"x\" in money = money(money)", "per late -1"),
        base(
            "derive pay \"x\" in money = money(total) / total",
            "per late -1",
        ),
        base(
            "derive pay \"x\" in money = money(total) / 0",
            "per late -1",
        ),
        base(
            "derive pay \"x\" in money = money(total) > 5",
            "per late -1",
        ),
        base("derive pay \"x\" in cash = money(total)", "per late -1"),
        base("derive pay \"x\" in money = count(late)", "per late -1"),
        // What is shared with the points, in a ledger's section.
        base("", "per late -1 from total"),
        base("", "per late: grade 不合格"),
        base("", "per late -1, demote to 合格"),
        // A conversion outside a derive.
        base("", "per late -money(1)"),
    ];
    for text in refused {
        let errors = common::check_errors(&text);
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("tally::ledger-mismatch")),
            "{text}\n{errors:?}"
        );
    }
    let accepted = [
        base(
            "derive pay \"x\" in money = 3000 - 5 * money(max(0, 900 - total))",
            "per late -1",
        ),
        base(
            "derive pay \"x\" in money = money + 2 * money(total) / 3",
            "per late -1",
        ),
        base(
            "derive pay \"x\" in money = round(money(total) / 3, 2)",
            "per late -1",
        ),
        base(
            "derive pay \"x\" in money = 100\nderive more \"y\" in money = pay * 2",
            "per late -1",
        ),
    ];
    for text in accepted {
        assert_eq!(common::check_errors(&text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn a_balance_card_has_no_ledgers() {
    let text = "policy \"p\" year 2020 total 100\ncard balance\nannual = sum(months) / 12\nround 2 half-up\nledger money \"元\"\nrecord late \"迟到\" by person\nsection s \"s\" 100 { item i \"i\" 100 { per late -1 valid 1 year } }\ngrades { 合格 >= 60\n 不合格 }\n";
    let errors = common::check_errors(text);
    assert!(
        errors.iter().any(|e| e.starts_with("tally::misplaced")),
        "{errors:?}"
    );
}

/// A node's value, and whether the values of its children that carry one add up to it, all the
/// way down (a ledger's subtree under the card's points is in its own unit, not in their sum);
/// returns how many sums were checked.
fn sums(node: &serde_json::Value) -> usize {
    let value = |n: &serde_json::Value| {
        n["points"]
            .as_str()
            .map(|p| p.parse::<rust_decimal::Decimal>().unwrap())
    };
    let children = node["children"].as_array().map_or(&[][..], Vec::as_slice);
    let carried: Vec<_> = children
        .iter()
        .filter(|c| c.get("ledger").is_none() || c.get("ledger") == node.get("ledger"))
        .filter_map(value)
        .collect();
    let mut checked = 0;
    if let (Some(total), false) = (value(node), carried.is_empty()) {
        assert_eq!(
            carried.iter().sum::<rust_decimal::Decimal>(),
            total,
            "{node}"
        );
        checked += 1;
    }
    checked + children.iter().map(sums).sum::<usize>()
}

#[test]
fn every_card_explains_its_points_and_each_ledger_exactly() {
    // Every person, month and year: a subtree for the points (the published total) and one for
    // the money (the CSV's value), each summing exactly.
    let csv = tally(&["eval", "--format", "csv"]).ok();
    for row in csv.lines().skip(1) {
        let c: Vec<&str> = row.split(',').collect();
        let json = tally(&[
            "explain", "--person", c[0], "--period", c[2], "--format", "json",
        ])
        .ok();
        let tree: serde_json::Value = serde_json::from_str(&json).unwrap();
        let kids = tree["children"].as_array().unwrap();
        assert_eq!(kids.len(), 2, "{json}");
        assert_eq!(kids[0]["label"], "points");
        // The year's money line is the sum of the cards, one line a card.
        let label = kids[1]["label"].as_str().unwrap();
        assert!(label.starts_with("money (元)"), "{label}");
        let round = |v: &serde_json::Value| {
            let d: rust_decimal::Decimal = v["points"].as_str().unwrap().parse().unwrap();
            format!("{:.2}", d)
        };
        assert_eq!(round(&kids[0]), c[3], "{row}");
        assert_eq!(round(&kids[1]), c[4], "{row}");
        // The top line is the card's points (the year's published result); the money subtree
        // says which ledger it is in.
        assert_eq!(round(&tree), c[3], "{row}");
        assert_eq!(kids[1]["ledger"], "money", "{json}");
        assert!(sums(&tree) >= 3, "{json}");
    }
}

#[test]
fn scenarios_expect_a_ledger_on_a_card_and_on_the_year() {
    let out = common::cli(["test", &format!("{DIR}/pay.policy")]).ok();
    assert!(out.contains("1 passed, 0 failed"), "{out}");
    // A wrong value fails with its difference; an unknown ledger is named.
    let text = std::fs::read_to_string(format!("{DIR}/pay.tests/bonus.scenario")).unwrap();
    let dir = common::temp_dir("ledger-scenario");
    std::fs::write(dir.join("p.policy"), policy_text()).unwrap();
    std::fs::create_dir_all(dir.join("p.tests")).unwrap();
    let wrong = text.replace("ledger money 3050", "ledger money 3051");
    std::fs::write(dir.join("p.tests/a.scenario"), &wrong).unwrap();
    let out = common::cli(["test", dir.join("p.policy").to_str().unwrap()]);
    assert!(
        out.stdout
            .contains("ledger money: expected 3051, actual 3050 (-1)"),
        "{}",
        out.both()
    );
    let unknown = text.replace("ledger money 3300", "ledger cash 3300");
    std::fs::write(dir.join("p.tests/a.scenario"), &unknown).unwrap();
    let out = common::cli(["test", dir.join("p.policy").to_str().unwrap()]);
    assert!(
        out.both().contains("unknown ledger `cash`"),
        "{}",
        out.both()
    );
}

#[test]
fn the_workbook_has_a_column_per_ledger() {
    use calamine::{Data, Reader};
    let dir = common::temp_dir("ledger-xlsx");
    let file = dir.join("out.xlsx");
    tally(&[
        "eval",
        "--format",
        "xlsx",
        "--output",
        file.to_str().unwrap(),
    ])
    .ok();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
    let rows = |book: &mut calamine::Xlsx<_>, sheet: &str| -> Vec<Vec<String>> {
        let range = book.worksheet_range(sheet).unwrap();
        range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|d| match d {
                        Data::Float(f) => format!("{f:.2}"),
                        Data::String(s) => s.clone(),
                        _ => String::new(),
                    })
                    .collect()
            })
            .collect()
    };
    let march = rows(&mut book, "2020-03");
    assert_eq!(march[0][3..5], ["得分", "money"]);
    assert_eq!(march[1][..5], ["A", "甲", "办公室", "994.00", "3297.00"]);
    let year = rows(&mut book, "2020");
    assert_eq!(year[0][3..6], ["得分", "money", "等级"]);
    assert_eq!(
        year[1][..6],
        ["A", "甲", "办公室", "987.00", "39347.00", "优秀"]
    );
}

#[test]
fn diff_lists_a_ledger_added_removed_or_changed() {
    let dir = common::temp_dir("ledger-diff");
    let old = dir.join("old.policy");
    std::fs::write(&old, policy_text()).unwrap();
    let revise = |name: &str, edits: &[(&str, &str)]| {
        let mut text = policy_text();
        for (a, b) in edits {
            assert!(text.contains(a), "{a}");
            text = text.replace(a, b);
        }
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = common::cli([
            "diff",
            old.to_str().unwrap(),
            path.to_str().unwrap(),
            "--roster",
            &format!("{DIR}/roster.csv"),
            "--records",
            &format!("{DIR}/records.csv"),
        ]);
        out.ok()
    };
    let out = revise(
        "a.policy",
        &[(
            "ledger money \"元\"",
            "ledger money \"元\"\nledger leave \"天\"",
        )],
    );
    assert!(
        out.contains("ledger `leave` added: ledger leave \"天\""),
        "{out}"
    );
    let out = revise("b.policy", &[("3000 - 5 * money", "3200 - 5 * money")]);
    assert!(out.contains("derived value `pay`: derive pay"), "{out}");
    assert!(out.contains("max(0, 3200 - 5"), "{out}");
    // The bonus booked in points instead of 元: the section's booking is gone, and it becomes
    // a share of the points (the policy's total grows with it).
    let out = revise(
        "c.policy",
        &[("300 in money {", "300 {"), ("total 1000", "total 1300")],
    );
    assert!(
        out.contains("ledger of section `bonus` removed: section bonus in money"),
        "{out}"
    );
}

#[test]
fn bounds_keep_a_ledger_section_out_of_the_points_total() {
    let out = common::cli(["check", "--bounds", &format!("{DIR}/pay.policy")]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    let out = out.stdout;
    let line = |start: &str| {
        out.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no `{start}` in\n{out}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(line("bonus"), "bonus 全勤奖 (in money 元) 0 300 0 3600");
    assert_eq!(line("total"), "total 0 1000 0 12000");
}

#[test]
fn a_ledger_declared_twice_is_reported_and_nothing_breaks() {
    // Whatever ledgers are declared twice, before or after the one a derived value names.
    for decls in [
        "ledger a \"x\"\nledger a \"y\"\nledger money \"元\"",
        "ledger money \"元\"\nledger money \"元\"",
        "ledger b \"x\"\nledger money \"元\"\nledger b \"x\"",
    ] {
        let text = format!(
            "policy \"p\" year 2020 total 100\nannual = sum(months) / 12\n{decls}\nrecord late \"迟到\" by person\nsection s \"s\" 100 {{ item i \"i\" 100 {{ per late -1 }} }}\nsection b \"全勤奖\" 300 in money {{ item f \"全勤奖\" 300 {{ per late -1 }} }}\nderive pay \"x\" in money = money(total) + 1\ngrades {{ 合格 >= 60\n 不合格 }}\n"
        );
        let errors = common::check_errors(&text);
        assert!(
            errors.iter().any(|e| e.starts_with("tally::duplicate-id")),
            "{text}\n{errors:?}"
        );
    }
}

/// What cannot be compared or published is refused: a `once` group across a ledger and the points
/// (yuan and points have no common size), a ledger named as a column of the results.
#[test]
fn a_once_group_or_a_column_name_across_the_ledger_is_refused() {
    let text = policy_text();
    let once = text
        .replace(
            "ledger money \"元\"",
            "ledger money \"元\"\nonce act \"一个差错\" per case",
        )
        .replace(
            "record error \"工作差错\" by person",
            "record error \"工作差错\" by person { case: text }",
        )
        .replace("[2.2] per error -50", "[2.2] per error -50 once act")
        .replace(
            "[5.1] per late -1",
            "[5.1] per late -1\n    [5.2] per error -100 once act",
        );
    let errors = common::check_errors(&once);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("tally::ledger-mismatch: the `once` group `act`")),
        "{errors:?}"
    );
    for column in ["total", "flags", "final", "person"] {
        let named = text
            .replace("ledger money", &format!("ledger {column}"))
            .replace(" in money", &format!(" in {column}"))
            .replace("money(", &format!("{column}("));
        let errors = common::check_errors(&named);
        assert!(
            errors.iter().any(|e| e.starts_with("tally::duplicate-id")),
            "{column}: {errors:?}"
        );
    }
}

/// A derived value past what tally computes exactly stops the results with the person and the
/// card named; it is never published as an empty cell.
#[test]
fn a_derived_value_too_large_is_an_error_not_an_empty_cell() {
    let text = policy_text().replace(
        "derive pay \"绩效工资\" in money = max(0, 3000 - 5 * money(max(0, 900 - total)))",
        "derive pay \"绩效工资\" in money = 99999999999999999999999999 * money(total) * 99999999999999999999999999",
    );
    // On monthly cards the first card is named; on one card a year, the year.
    let yearly = text.replace("annual = mean(months)", "card year");
    for (text, card) in [(text, "2020-01"), (yearly, "2020")] {
        overflow_names_the_card(&text, card);
    }
}

fn overflow_names_the_card(text: &str, card: &str) {
    let dir = common::temp_dir("ledger-overflow");
    std::fs::write(dir.join("p.policy"), text).unwrap();
    let out = common::cli([
        "eval".to_string(),
        dir.join("p.policy").to_string_lossy().into_owned(),
        "--roster".into(),
        format!("{DIR}/roster.csv"),
        "--records".into(),
        format!("{DIR}/records.csv"),
        "--format".into(),
        "csv".into(),
    ]);
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(
        out.stderr.contains(
            &format!("a ledger value of `A` in {card} needs more digits than tally can compute exactly [tally::arithmetic-overflow]")
        ),
        "{}",
        out.both()
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A person not evaluated in the year (`exclude`) publishes no year's value in a ledger either;
/// the cards keep theirs, as the monthly points do.
#[test]
fn an_excluded_person_has_no_years_ledger_value() {
    let text = policy_text()
        .replace(
            "record error \"工作差错\" by person",
            "record error \"工作差错\" by person\nrecord away \"调离\" by person",
        )
        .replace(
            "[2.2] per error -50",
            "[2.2] per error -50\n    [2.3] per away exclude \"调离\"",
        );
    let records = std::fs::read_to_string(common::root().join(DIR).join("records.csv")).unwrap();
    let records = format!("{}\n2020-06-01,away,C\n", records.trim_end());
    let roster = std::fs::read_to_string(common::root().join(DIR).join("roster.csv")).unwrap();
    let out = common::on_files("eval", &text, &roster, &records, &["--format", "csv"]).ok();
    let year: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("C,丙,2020,"))
        .collect();
    assert_eq!(year, ["C,丙,2020,,,,true,调离"], "{out}");
    assert!(out.contains("C,丙,2020-07,750.00,2550.00,,true,"), "{out}");
}

/// A call of a name that is neither a function nor a declared ledger says so, with or without
/// ledgers in the policy; a declared ledger's conversion outside a `derive` is a ledger mismatch.
#[test]
fn an_unknown_function_is_not_taken_for_a_ledger() {
    let text = policy_text();
    for policy in [
        text.replace("[2.1] per late -2", "[2.1] per late -foo(2)"),
        text.replace("ledger money \"元\"", "")
            .replace(" in money", "")
            .replace("derive pay", "# derive pay")
            .replace("[2.1] per late -2", "[2.1] per late -foo(2)"),
    ] {
        let errors = common::check_errors(&policy);
        assert!(
            errors.contains(&"tally::syntax: there is no function or ledger `foo`".to_string()),
            "{errors:?}"
        );
    }
    let errors =
        common::check_errors(&text.replace("[2.1] per late -2", "[2.1] per late -money(2)"));
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("tally::ledger-mismatch")),
        "{errors:?}"
    );
}
