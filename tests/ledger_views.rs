//! Ledgers (§30) as the user sees them beyond `eval`: the bounds of each ledger and derived value
//! (`check --bounds`), the people whose ledger values a revision changes (`diff`), a column per
//! ledger on the notice board (`publish`), and explain's top line; in English and Chinese. Also
//! the messages that name a derived value's divisor.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

const DIR: &str = "tests/fixtures/ledgers";

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

fn policy_text() -> String {
    std::fs::read_to_string(common::root().join(DIR).join("pay.policy")).unwrap()
}

fn zh(args: &[&str]) -> common::Out {
    let mut all = vec!["--lang", "zh"];
    all.extend_from_slice(args);
    common::cli(all)
}

#[test]
fn bounds_list_each_derived_value_and_each_ledger() {
    let policy = fixture("pay.policy");
    let out = bounds(common::cli(["check", "--bounds", &policy]));
    insta::assert_snapshot!("bounds_en", out);
    let out = bounds(zh(&["check", "--bounds", &policy]));
    insta::assert_snapshot!("bounds_zh", out);
    let out = bounds(common::cli([
        "check", "--bounds", "--format", "json", &policy,
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    insta::assert_json_snapshot!("bounds_json_ledgers", v["bounds"]["ledgers"]);
}

/// The fixture on another card, with other derived formulas.
fn variant(card: &str, annual: &str, derives: &str) -> String {
    policy_text()
        .replace("annual = mean(months)", &format!("{card}\n{annual}"))
        .replace(
            "derive pay \"绩效工资\" in money = max(0, 3000 - 5 * money(max(0, 900 - total)))",
            derives,
        )
}

/// The standard output of `check --bounds`, which passes.
fn bounds(out: common::Out) -> String {
    assert_eq!(out.code, Some(0), "{}", out.both());
    out.stdout
}

/// The least and the most of a bounds row, for a card and for the year.
fn row(out: &str, id: &str) -> String {
    out.lines()
        .find(|l| l.split_whitespace().next() == Some(id))
        .unwrap_or_else(|| panic!("no `{id}` in\n{out}"))
        .split_whitespace()
        .filter(|w| w.parse::<f64>().is_ok())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn derived_bounds_follow_their_formulas_on_every_card() {
    // `total` is 0..1000 a card, the bonus 0..300: floor, ceil, round, min and max, a conversion
    // and a value derived before, each held to what it can give.
    let derives = "derive a \"a\" in money = floor(money(total) / 3)\nderive b \"b\" in money = round(money(total) * 0.37, 1) - a\nderive c \"c\" in money = min(money, a) + ceil(money(total) / 7)\nderive d \"d\" in money = -2 * max(money(total) - 900, 0)";
    let dir = common::temp_dir("ledger-bounds");
    for (card, annual, cards) in [
        ("card month", "annual = mean(months)", 12),
        ("card quarter", "annual = mean(quarters)", 4),
        ("card year", "", 1),
    ] {
        let path = dir.join("p.policy");
        std::fs::write(&path, variant(card, annual, derives)).unwrap();
        let out = bounds(common::cli(["check", "--bounds", path.to_str().unwrap()]));
        // a: 0..333; b: 0..370 less a's 0..333; c: 0..300 plus 0..143; d: -200..0; the ledger:
        // the bonus 0..300 plus the four.
        let per_card = [
            ("a", "0 333"),
            ("b", "-333 370"),
            ("c", "0 443"),
            ("d", "-200 0"),
            ("money", "-533 1446"),
        ];
        for (id, range) in per_card {
            let (lo, hi) = range.split_once(' ').unwrap();
            let (lo, hi): (i64, i64) = (lo.parse().unwrap(), hi.parse().unwrap());
            let expected = if cards == 1 {
                format!("{lo} {hi}")
            } else {
                // The year: the ledger's sections over the year, and every card's derived values.
                format!("{lo} {hi} {} {}", lo * cards, hi * cards)
            };
            assert_eq!(row(&out, id), expected, "{card} `{id}`\n{out}");
        }
    }
}

/// `tally diff` of the fixture and a revision, on the fixture's records.
fn diff(revised: &str, extra: &[&str], lang_zh: bool) -> String {
    let dir = common::temp_dir("ledger-views-diff");
    let new = dir.join("new.policy");
    std::fs::write(&new, revised).unwrap();
    let roster = fixture("roster.csv");
    let records = fixture("records.csv");
    let policy = fixture("pay.policy");
    let mut args = vec![
        "diff",
        &policy,
        new.to_str().unwrap(),
        "--roster",
        &roster,
        "--records",
        &records,
    ];
    args.extend_from_slice(extra);
    let out = if lang_zh {
        zh(&args)
    } else {
        common::cli(args)
    };
    out.ok().replace(new.to_str().unwrap(), "new.policy")
}

#[test]
fn diff_lists_the_people_whose_ledger_values_change() {
    // A higher pay for everybody, and a lateness costs 2 points more: A's points and money move,
    // B's and C's money alone.
    let revised = policy_text()
        .replace("3000 - 5 * money", "3200 - 5 * money")
        .replace("[2.1] per late -2", "[2.1] per late -4");
    insta::assert_snapshot!("diff_en", diff(&revised, &[], false));
    insta::assert_snapshot!("diff_zh", diff(&revised, &[], true));
    insta::assert_snapshot!("diff_csv", diff(&revised, &["--format", "csv"], false));
    let json: serde_json::Value =
        serde_json::from_str(&diff(&revised, &["--format", "json"], false)).unwrap();
    insta::assert_json_snapshot!("diff_json_ledgers", json["ledgers"]);
    // A revision that changes no ledger value says so, and one without ledgers lists none.
    let same = policy_text().replace("优秀 >= 950", "优秀 >= 960");
    let out = diff(&same, &[], false);
    assert!(
        out.contains("people whose year's money (元) changes: none of 3"),
        "{out}"
    );
}

#[test]
fn a_ledger_removed_leaves_its_values_empty_after() {
    let out = diff(
        &policy_text()
            .replace("ledger money \"元\"\n", "")
            .replace("300 in money {", "300 {")
            .replace("total 1000", "total 1300")
            .replace(
                "derive pay \"绩效工资\" in money = max(0, 3000 - 5 * money(max(0, 900 - total)))",
                "",
            ),
        &["--format", "csv"],
        false,
    );
    // The old revision has the ledger: its values go (empty after).
    assert!(
        out.lines()
            .next()
            .unwrap()
            .ends_with(",money_before,money_after,money_delta"),
        "{out}"
    );
    assert!(out.contains(",39347.00,,"), "{out}");
}

#[test]
fn the_notice_board_has_a_column_per_ledger() {
    use calamine::{Data, Reader};
    let dir = common::temp_dir("ledger-publish");
    let (policy, roster, records) = (
        fixture("pay.policy"),
        fixture("roster.csv"),
        fixture("records.csv"),
    );
    let publish = |period: &str, file: &std::path::Path| {
        common::cli([
            "publish",
            &policy,
            "--roster",
            &roster,
            "--records",
            &records,
            "--period",
            period,
            "--output",
            file.to_str().unwrap(),
        ])
        .ok()
    };
    let html = dir.join("year.html");
    publish("2020", &html);
    let html = std::fs::read_to_string(&html).unwrap();
    let table = html
        .split("<table class=\"results\">")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    insta::assert_snapshot!("publish_year_html", table);
    let book = dir.join("may.xlsx");
    publish("2020-05", &book);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    let range = book.worksheet_range("公示").unwrap();
    let rows: Vec<Vec<String>> = range
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
        .collect();
    let header = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "序号"))
        .unwrap();
    assert_eq!(
        rows[header][..8],
        [
            "序号",
            "人员编号",
            "姓名",
            "部门",
            "得分",
            "money（元）",
            "较上月",
            "备注"
        ]
    );
    // May: A's three errors, 850 points and 3050 元, 150 points less than April.
    assert_eq!(
        rows[header + 1][..7],
        ["1", "A", "甲", "办公室", "850.00", "3050.00", "-150.00"]
    );
}

#[test]
fn explains_top_line_is_the_points_then_each_ledger() {
    let (policy, roster, records) = (
        fixture("pay.policy"),
        fixture("roster.csv"),
        fixture("records.csv"),
    );
    let explain = |period: &str, lang_zh: bool| {
        let args = [
            "explain",
            &policy,
            "--roster",
            &roster,
            "--records",
            &records,
            "--person",
            "A",
            "--period",
            period,
        ];
        if lang_zh {
            zh(&args)
        } else {
            common::cli(args)
        }
        .ok()
    };
    insta::assert_snapshot!("explain_month_en", explain("2020-05", false));
    insta::assert_snapshot!("explain_month_zh", explain("2020-05", true));
    insta::assert_snapshot!("explain_year_en", explain("2020", false));
    insta::assert_snapshot!("explain_year_zh", explain("2020", true));
}

#[test]
fn a_divisor_error_names_its_divisor() {
    let policy = |formula: &str| {
        policy_text().replace(
            "derive pay \"绩效工资\" in money = max(0, 3000 - 5 * money(max(0, 900 - total)))",
            &format!("derive pay \"绩效工资\" in money = {formula}"),
        )
    };
    let dir = common::temp_dir("ledger-divisor");
    let path = dir.join("p.policy");
    std::fs::write(
        &path,
        policy("money(total) / 0 + money(total) / money + money(total) / (2 * 5 - 10)"),
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let en = common::cli(["check", path]);
    let zh = zh(&["check", path]);
    let show = |o: common::Out| o.both().replace(path, "p.policy");
    insta::assert_snapshot!("divisor_en", show(en));
    insta::assert_snapshot!("divisor_zh", show(zh));
}

#[test]
fn a_quarterly_scenario_outside_the_year_is_told_to_write_a_quarter() {
    let dir = common::temp_dir("ledger-quarter-scenario");
    let text = policy_text().replace(
        "annual = mean(months)",
        "card quarter\nannual = mean(quarters)",
    );
    std::fs::write(dir.join("p.policy"), text).unwrap();
    std::fs::create_dir_all(dir.join("p.tests")).unwrap();
    std::fs::write(
        dir.join("p.tests/a.scenario"),
        "scenario \"s\"\nroster\n  A, 甲, 办公室\nexpect\n  A 2019-Q1  total 3000\n",
    )
    .unwrap();
    // A quarter written wrong, on any policy.
    std::fs::write(
        dir.join("p.tests/b.scenario"),
        "scenario \"s\"\nroster\n  A, 甲, 办公室\nexpect\n  A 2020-Q5  total 3000\n",
    )
    .unwrap();
    let path = dir.join("p.policy");
    let path = path.to_str().unwrap();
    let en = common::cli(["test", path]).both();
    let zh = zh(&["test", path]).both();
    assert!(
        en.contains("help: write `2020` for the year or `2020-Q1` for a quarter"),
        "{en}"
    );
    assert!(
        zh.contains("全年写 `2020`，季度写成 `2020-Q1` 这样"),
        "{zh}"
    );
    assert!(en.contains("expected a quarter"), "{en}");
    assert!(
        en.contains("help: write a quarter (`2020-Q1` to `2020-Q4`)"),
        "{en}"
    );
    assert!(zh.contains("这里应该是季度"), "{zh}");
    assert!(!en.contains("month"), "{en}");
}

#[test]
fn a_rank_value_too_large_is_not_told_about_division() {
    let dir = "tests/fixtures/ranks";
    let text = std::fs::read_to_string(common::root().join(dir).join("ranks.policy"))
        .unwrap()
        .replace(
            "by lowest mean(rating.place) in year",
            "by sum(rating.place) in year * 10000000000000000000 * 10000000000000000000 * 10",
        );
    let roster = std::fs::read_to_string(common::root().join(dir).join("roster.csv")).unwrap();
    let records = std::fs::read_to_string(common::root().join(dir).join("records.csv")).unwrap();
    let out = common::on_files("eval", &text, &roster, &records, &["--as-of", "2021-01-05"]);
    assert_eq!(out.code, Some(1), "{}", out.both());
    let first: Vec<&str> = out.stderr.lines().take(2).collect();
    insta::assert_snapshot!("rank_overflow", first.join("\n"));
    assert!(!out.stderr.contains("divide by zero"), "{}", out.stderr);
    let out = common::on_files(
        "eval",
        &text,
        &roster,
        &records,
        &["--as-of", "2021-01-05", "--lang", "zh"],
    );
    let first: Vec<&str> = out.stderr.lines().take(2).collect();
    insta::assert_snapshot!("rank_overflow_zh", first.join("\n"));
}

#[test]
fn a_roster_condition_too_large_is_not_told_about_division() {
    let text = policy_text()
        .replace(
            "ledger money \"元\"\n",
            "ledger money \"元\"\n\nroster {\n  years: number\n}\n",
        )
        .replace(
            "[2.1] per late -2",
            "[2.1] per late -2 for years * 10000000000000000000 * 10000000000000000000 > 1",
        );
    let roster = "person,name,department,years\nA,甲,办公室,2\n";
    let records = "date,kind,person\n2020-03-02,late,A\n";
    let out = common::on_files("eval", &text, roster, records, &[]);
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!("roster_condition_overflow", out.stderr);
    let out = common::on_files("eval", &text, roster, records, &["--lang", "zh"]);
    insta::assert_snapshot!("roster_condition_overflow_zh", out.stderr);
}
