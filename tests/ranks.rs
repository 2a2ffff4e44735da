//! Ranks (`rank village "村内排名" of department`): once every result is published, each person's
//! place in their group by published result (文登区农村居民信用积分 第二十一条: 普通村民和重点人群
//! ……分类实施评价、计分、排名). Equal results share a place (1, 1, 3); people not evaluated this year
//! are in no group; a group of one ranks its one person first.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

const DIR: &str = "tests/fixtures/ranks";

fn read(name: &str) -> String {
    std::fs::read_to_string(common::root().join(DIR).join(name)).unwrap()
}

/// Each person's places, as `P1 town 2/5 best 1020.00; …`, from `eval --format json`.
fn places(policy: &str, roster: &str, records: &str) -> Vec<String> {
    let out = common::on_files(
        "eval",
        policy,
        roster,
        records,
        &["--format", "json", "--as-of", "2021-01-05"],
    )
    .ok();
    let people: serde_json::Value = serde_json::from_str(&out).unwrap();
    people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let ranks = p["annual"]["ranks"].as_array().cloned().unwrap_or_default();
            let said: Vec<String> = ranks
                .iter()
                .map(|r| {
                    format!(
                        "{} {}/{} best {}",
                        r["rank"].as_str().unwrap(),
                        r["place"],
                        r["of"],
                        r["best"].as_str().unwrap_or("null")
                    )
                })
                .collect();
            format!("{} {}", p["person"].as_str().unwrap(), said.join("; "))
        })
        .collect()
}

#[test]
fn places_within_everybody_a_department_and_a_column() {
    // By hand: P1 1010, P2 1010, P3 995, P4 1000 (东山村); P5 1020, P6 excluded (西山村).
    //   town (everybody but P6, 5): P5 1; P1, P2 2 (tied); P4 4; P3 5; best 1020.
    //   village: 东山村 (4) P1, P2 1; P4 3; P3 4; best 1010. 西山村: P5 1 of 1 (P6 is not
    //   ranked, though his 50 would have been the best).
    //   category: 普通村民 (P1, P2, P4) 1, 1, 3, best 1010; 重点人群 (P3, P5) 2, 1, best 1020.
    //   rated (by the lowest mean of the raters' places, in the village): 东山村 P1 (1 + 2) / 2
    //   = 1.5 and P2 (2 + 1) / 2 = 1.5 first, P3 3 third, P4 rated by nobody: no place, still
    //   counted in the 4; 西山村 P5 1 of 1.
    assert_eq!(
        places(
            &read("ranks.policy"),
            &read("roster.csv"),
            &read("records.csv")
        ),
        [
            "P1 town 2/5 best 1020.00; village 1/4 best 1010.00; category 1/3 best 1010.00; rated 1/4 best 1.5",
            "P2 town 2/5 best 1020.00; village 1/4 best 1010.00; category 1/3 best 1010.00; rated 1/4 best 1.5",
            "P3 town 5/5 best 1020.00; village 4/4 best 1010.00; category 2/2 best 1020.00; rated 3/4 best 1.5",
            "P4 town 4/5 best 1020.00; village 3/4 best 1010.00; category 3/3 best 1010.00; rated null/4 best 1.5",
            "P5 town 1/5 best 1020.00; village 1/1 best 1020.00; category 1/2 best 1020.00; rated 1/1 best 1",
            "P6 ",
        ]
    );
}

#[test]
fn ties_everybody_equal_and_an_empty_group() {
    // No records but the exclusions: everybody 1000, all first; nobody rated, so no place and no
    // best under `rated`. P5 excluded as well: 西山村 has nobody ranked and
    // no place is given there; 重点人群 is P3 alone.
    let records =
        "date,kind,person,points,rater,place\n2020-08-01,away,P6,,,\n2020-08-01,away,P5,,,\n";
    assert_eq!(
        places(&read("ranks.policy"), &read("roster.csv"), records),
        [
            "P1 town 1/4 best 1000.00; village 1/4 best 1000.00; category 1/3 best 1000.00; rated null/4 best null",
            "P2 town 1/4 best 1000.00; village 1/4 best 1000.00; category 1/3 best 1000.00; rated null/4 best null",
            "P3 town 1/4 best 1000.00; village 1/4 best 1000.00; category 1/1 best 1000.00; rated null/4 best null",
            "P4 town 1/4 best 1000.00; village 1/4 best 1000.00; category 1/3 best 1000.00; rated null/4 best null",
            "P5 ",
            "P6 ",
        ]
    );
}

#[test]
fn places_follow_the_published_result_not_the_exact_one() {
    // round 0: 1000.4 and 1000.2 both publish 1000 and share the first place; a score set by a
    // rule (`score 0`) ranks as published.
    let policy = read("ranks.policy")
        .replace("round 2 half-up", "round 0 half-up")
        .replace("points 0..50", "number 0..50")
        .replace(
            "[28] per away",
            "[29] per fault where points = 50: score 0\n  [28] per away",
        );
    let records = "date,kind,person,points,rater,place\n2020-03-01,good,P1,0.4,,\n2020-03-01,good,P2,0.2,,\n2020-03-01,fault,P4,50,,\n";
    let got: Vec<String> = places(&policy, &read("roster.csv"), records)
        .iter()
        .map(|s| s.split("; rated").next().unwrap().to_string())
        .collect();
    assert_eq!(
        got[0],
        "P1 town 1/6 best 1000; village 1/4 best 1000; category 1/4 best 1000"
    );
    assert_eq!(
        got[1],
        "P2 town 1/6 best 1000; village 1/4 best 1000; category 1/4 best 1000"
    );
    assert_eq!(
        got[3],
        "P4 town 6/6 best 1000; village 4/4 best 1000; category 4/4 best 1000"
    );
}

#[test]
fn explain_shows_the_places_and_the_best_with_who_has_it() {
    let out = common::on_files(
        "explain",
        &read("ranks.policy"),
        &read("roster.csv"),
        &read("records.csv"),
        &["--as-of", "2021-01-05", "--person", "P3"],
    );
    insta::assert_snapshot!("explain_p3", out.ok());
    let out = common::on_files(
        "explain",
        &read("ranks.policy"),
        &read("roster.csv"),
        &read("records.csv"),
        &["--as-of", "2021-01-05", "--person", "P2", "--lang", "zh"],
    );
    insta::assert_snapshot!("explain_p2_zh", out.ok());
}

#[test]
fn ranks_are_checked_and_keep_their_layout() {
    let errors = common::check_errors;
    let text = read("ranks.policy");
    assert!(errors(&text).is_empty(), "{:?}", errors(&text));
    assert_eq!(
        errors(&text.replace("of category", "of categroy")),
        ["tally::unknown-column: the roster has no column `categroy`"]
    );
    assert_eq!(
        errors(&text.replace("rank village \"村内排名\"", "rank town \"村内排名\"")),
        ["tally::duplicate-id: the rank `town` is declared twice"]
    );
    assert_eq!(
        errors(&text.replace("\"全镇排名\"", "\"\"")),
        ["tally::empty-label: the rank `town` has an empty label"]
    );
    let out = common::in_folder(&[("p.policy", &text)], &["fmt", "--check", "p.policy"]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    // Written loosely, `fmt` puts it back as declared.
    let loose = text.replace(
        "rank village \"村内排名\" of department",
        "rank   village \"村内排名\"\n  of   department",
    );
    let mut fmt = common::tally_command();
    fmt.args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = fmt.spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), loose.as_bytes()).unwrap();
    let formatted = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    assert_eq!(formatted, text);
    let out = common::in_folder(
        &[("p.policy", &text.replace("of category", "of categroy"))],
        &["--lang", "zh", "check", "p.policy"],
    );
    insta::assert_snapshot!("unknown_column_zh", out.stderr);
}

#[test]
fn a_rank_by_a_value_of_the_year_is_checked() {
    let errors = common::check_errors;
    let text = read("ranks.policy");
    assert_eq!(
        errors(
            &text
                .replace("card year\n", "annual = sum(months) / 12\n")
                .replace("mean(rating.place) in year", "mean(rating.place)")
        ),
        ["tally::misplaced: a rank reads the whole year, not a month or a quarter"]
    );
    assert_eq!(
        errors(&text.replace("mean(rating.place) in year", "count(rating) in year > 1")),
        ["tally::type-mismatch: a rank's value must be a number"]
    );
    assert_eq!(
        errors(&text.replace("mean(rating.place) in year", "mean(rating.plase) in year")),
        ["tally::unknown-field: `rating` has no field `plase`"]
    );
}

#[test]
fn a_rank_by_highest_value_and_one_that_divides_by_zero() {
    // By the highest sum of places (a made-up reading, to turn the order round): P3 6 first, P1
    // and P2 3 second; P4 has a sum of 0 (a sum over no records is 0, not missing): fourth.
    let text = read("ranks.policy").replace(
        "by lowest mean(rating.place) in year",
        "by sum(rating.place) in year",
    );
    let got = places(&text, &read("roster.csv"), &read("records.csv"));
    let rated = |s: &str| s.split("; rated ").nth(1).unwrap().to_string();
    assert_eq!(
        got[..4].iter().map(|s| rated(s)).collect::<Vec<_>>(),
        ["2/4 best 6", "2/4 best 6", "1/4 best 6", "4/4 best 6"]
    );
    // 100 / count(rating): P4 has no rating, a division by zero, an error naming him (not P6,
    // who is not evaluated this year and so not ranked).
    let text = read("ranks.policy").replace(
        "by lowest mean(rating.place) in year",
        "by 100 / count(rating) in year",
    );
    let out = common::on_files(
        "eval",
        &text,
        &read("roster.csv"),
        &read("records.csv"),
        &["--as-of", "2021-01-05"],
    );
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!("divides_by_zero", out.stderr);
}

/// The fixture's policy with points by place in the village and the town's results scaled to 600.
fn giving() -> String {
    read("ranks.policy")
        .replace(
            "rank village \"村内排名\" of department",
            "rank village \"村内排名\" of department +{ 1: 10, 2: 8, 3: 6 }",
        )
        .replace(
            "rank town \"全镇排名\"",
            "rank town \"全镇排名\" scaled 600",
        )
}

#[test]
fn a_place_gives_points_and_a_result_is_scaled_to_the_best() {
    // By hand, the ranks in the order declared. town, scaled 600 (best 1020, P5):
    //   P1, P2 1010 × 600 / 1020 = 594.117…; P3 995 → 585.294…; P4 1000 → 588.235…; P5 600.
    // village, by those results, +10/+8/+6: 东山村 P1 and P2 tie first (+10 each: 604.117…),
    //   P4 is third (+6: 594.235…), nobody is second, P3 fourth (nothing); 西山村 P5 first: 610.
    // Published half-up to 2 decimals, from the exact results; all below 1000: 差.
    let out = common::on_files(
        "eval",
        &giving(),
        &read("roster.csv"),
        &read("records.csv"),
        &["--format", "csv", "--as-of", "2021-01-05"],
    );
    assert_eq!(
        common::period_totals(&out.ok()),
        [
            "P1,2020,604.12",
            "P2,2020,604.12",
            "P3,2020,585.29",
            "P4,2020,594.24",
            "P5,2020,610.00",
            "P6,2020,"
        ]
    );
    let out = common::on_files(
        "explain",
        &giving(),
        &read("roster.csv"),
        &read("records.csv"),
        &["--as-of", "2021-01-05", "--person", "P4"],
    );
    insta::assert_snapshot!("explain_gives_p4", out.ok());
}

#[test]
fn points_by_place_regrade_and_leave_a_set_score_alone() {
    // The village's points alone, down to the fourth place: P1 and P2 tie first (+10 each), P4
    // third (1000 + 6 = 1006, 好), P3 fourth (995 + 1 = 996, still 差), P5 first of 西山村.
    let policy = read("ranks.policy")
        .replace(
            "rank village \"村内排名\" of department",
            "rank village \"村内排名\" of department +{ 1: 10, 2: 8, 3: 6, 4: 1 }",
        )
        .replace(
            "[28] per away",
            "[29] per fault where points = 50: score 0\n  [28] per away",
        );
    let out = common::on_files(
        "eval",
        &policy,
        &read("roster.csv"),
        &read("records.csv"),
        &["--format", "csv", "--as-of", "2021-01-05"],
    )
    .ok();
    assert!(out.contains("\nP3,丙,2020,996.00,差,"), "{out}");
    assert!(out.contains("\nP4,丁,2020,1006.00,好,"), "{out}");
    let records = format!("{}2020-09-01,fault,P4,50,,\n", read("records.csv"));
    let out = common::on_files(
        "eval",
        &policy,
        &read("roster.csv"),
        &records,
        &["--format", "csv", "--as-of", "2021-01-05"],
    )
    .ok();
    assert!(out.contains("\nP4,丁,2020,0.00,差,"), "{out}");
    // A `score 0` set on P4 (a fault of 50): his 0 ranks last and stays 0, the place giving
    // nothing; P3 moves up to third: 995 + 6 = 1001, now 好.
    assert!(out.contains("\nP3,丙,2020,1001.00,好,"), "{out}");
}

#[test]
fn what_a_place_gives_is_checked_and_kept_in_its_layout() {
    let errors = common::check_errors;
    let text = giving();
    assert!(errors(&text).is_empty(), "{:?}", errors(&text));
    assert_eq!(
        errors(&text.replace("+{ 1: 10, 2: 8, 3: 6 }", "+{ 0: 10, 2: 8, 2: 6 }")),
        [
            "tally::bad-range: a place is a whole number from 1",
            "tally::bad-range: place 2 is given points twice"
        ]
    );
    assert_eq!(
        errors(&text.replace("scaled 600", "scaled 0")),
        ["tally::bad-range: a result is scaled to a number above 0"]
    );
    assert_eq!(
        errors(&text.replace(
            "by lowest mean(rating.place) in year",
            "by lowest mean(rating.place) in year scaled 100"
        )),
        ["tally::misplaced: `scaled` needs a rank by the published result"]
    );
    let out = common::in_folder(&[("p.policy", &text)], &["fmt", "--check", "p.policy"]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    let taken = text.replace("+{ 1: 10, 2: 8, 3: 6 }", "-{ 1: 0.5, 2: 1 }");
    let out = common::in_folder(&[("p.policy", &taken)], &["fmt", "--check", "p.policy"]);
    assert_eq!(out.code, Some(0), "{}", out.both());
}

#[test]
fn a_group_whose_best_is_zero_cannot_be_scaled() {
    let policy = giving().replace("[23] base 1000", "[23] base 0");
    let records = "date,kind,person,points,rater,place\n2020-08-01,away,P6,,,\n";
    let out = common::on_files(
        "eval",
        &policy,
        &read("roster.csv"),
        records,
        &["--as-of", "2021-01-05"],
    );
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!("scaled_best_zero", out.stderr);
}

#[test]
fn bounds_count_what_the_places_give() {
    // One item of 100, clamped: the card gives 0..100. Points by place add at most 10; scaled to
    // 600 after them, a result never below 0 lies in 0..600.
    let base = "policy \"p\" year 2020 total 100\ncard year\n\nrecord fault \"失信\" by person { points: points 0..50 }\n\nsection s \"s\" 100 {\n  item i \"i\" 100 {\n    [1] per fault -points\n  }\n}\n\nRANKS\ngrades {\n  好 >= 100\n  差\n}\n";
    let published = |ranks: &str| {
        let text = base.replace("RANKS", ranks);
        let out = common::in_folder(&[("p.policy", &text)], &["check", "--bounds", "p.policy"]);
        out.stdout
            .lines()
            .find(|l| l.starts_with("published"))
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(published(""), "published round 2 half-up 0 100");
    assert_eq!(
        published("rank r \"名次\" +{ 1: 10, 2: 8 }\n"),
        "published round 2 half-up 0 110"
    );
    assert_eq!(
        published("rank r \"名次\" -{ 1: 10, 2: 8 }\n"),
        "published round 2 half-up -10 100"
    );
    assert_eq!(
        published("rank r \"名次\" +{ 1: 10 }\nrank s \"折算\" scaled 600\n"),
        "published round 2 half-up 0 600"
    );
}

#[test]
fn ranks_on_quarterly_cards_read_the_annual_result() {
    // Four quarterly cards, each the base 1000 plus its quarter's records, the annual result their
    // mean: 1000 + the year's points / 4. P1, P2 1002.50, P3 998.75, P4 1000, P5 1005: the same
    // order as on the yearly card, the best now 1005 (town, 重点人群) and 1002.50 (东山村,
    // 普通村民). A `by` value read `in quarter` is refused.
    let text =
        read("ranks.policy").replace("card year\n", "card quarter\nannual = mean(quarters)\n");
    assert!(
        common::check_errors(&text).is_empty(),
        "{:?}",
        common::check_errors(&text)
    );
    let got = places(&text, &read("roster.csv"), &read("records.csv"));
    assert_eq!(
        got[0],
        "P1 town 2/5 best 1005.00; village 1/4 best 1002.50; category 1/3 best 1002.50; rated 1/4 best 1.5"
    );
    assert_eq!(
        got[2],
        "P3 town 5/5 best 1005.00; village 4/4 best 1002.50; category 2/2 best 1005.00; rated 3/4 best 1.5"
    );
    assert_eq!(
        common::check_errors(&text.replace(
            "mean(rating.place) in year",
            "mean(rating.place) in quarter"
        )),
        ["tally::misplaced: a rank reads the whole year, not a month or a quarter"]
    );
}

#[test]
fn diff_names_a_rank_added_changed_or_removed() {
    use tally::diff::structure::{Change, Subject, compare};
    let old = common::policy(&read("ranks.policy"));
    let new = common::policy(
        &read("ranks.policy")
            .replace("rank town \"全镇排名\"\n", "")
            .replace("of category\n", "of category +{ 1: 5 }\n"),
    );
    let changes: Vec<(Change, String, Option<String>)> = compare(&old, &new)
        .into_iter()
        .filter(|c| c.subject == Subject::Rank)
        .map(|c| (c.change, c.key, c.after))
        .collect();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(
        changes
            .iter()
            .any(|(c, k, _)| *c == Change::Removed && k == "town")
    );
    assert!(changes.iter().any(|(c, k, after)| *c == Change::Changed
        && k == "category"
        && after.as_deref() == Some("rank category \"分类排名\" of category +{ 1: 5 }")));
}

/// A demoted result stays at most the grade's lowest score whatever a place gives (§29.2), and
/// explain's annual line still says what the formula gave before the rank.
#[test]
fn points_by_place_do_not_lift_a_demoted_result_over_its_floor() {
    let policy = "policy \"t\" year 2020 total 100\nannual = sum(months) / 12\nround 2 half-up\n\
        record late \"迟到\" by person\nrecord demoted \"降为合格\" by person\n\
        section work \"工作\" 100 {\n  item duty \"职责\" 100 {\n    [1] per late -50\n  }\n}\n\
        adjustments results \"结果运用\" {\n  [2] per demoted demote to 合格\n}\n\
        rank town \"全镇\" +{ 1: 30, 2: 30 }\n\
        grades {\n  优秀 >= 90\n  合格 >= 70\n  基本合格 >= 60\n  不合格\n}\n";
    let mut records = String::from("date,kind,person\n");
    for m in 1..=12 {
        records += &format!("2020-{m:02}-01,late,A\n");
    }
    records += "2020-05-01,demoted,A\n2020-05-01,late,B\n";
    let roster = "person,name,department\nA,甲,一村\nB,乙,一村\n";
    // By hand: A's months are 50, the year 50, demoted to 合格 (at most 70): 50 stays; second
    // place gives 30, which would make 80: held at 70. B: (11 × 100 + 50) / 12 = 95.83, first,
    // + 30 = 125.83.
    let out = common::on_files("eval", policy, roster, &records, &["--period", "2020"]).ok();
    assert!(out.contains("A,甲,2020,70.00,合格,"), "{out}");
    assert!(out.contains("B,乙,2020,125.83,优秀,"), "{out}");
    let explained = common::on_files(
        "explain",
        policy,
        roster,
        &records,
        &["--person", "A", "--period", "2020"],
    )
    .ok();
    assert!(
        explained.contains("÷ 12 = 50.00, published 50.00"),
        "{explained}"
    );
}

/// `scaled N` in a group whose best result is below 0 would put the worst first: refused, like a
/// best of 0.
#[test]
fn a_group_whose_best_is_below_zero_cannot_be_scaled() {
    let policy = "policy \"t\" year 2020 total 100\ncard year\nround 2 half-up\n\
        record fault \"f\" by person { points: points 0..500 }\n\
        section basic \"基础分\" 100 {\n  item credit \"信用\" 100 {\n    [1] base 100\n  }\n}\n\
        adjustments points \"奖扣\" {\n  [2] per fault -points\n}\n\
        rank town \"全镇\" scaled 600\n\
        grades {\n  好 >= 60\n  差\n}\n";
    let records = "date,kind,person,points\n2020-03-01,fault,A,300\n2020-03-01,fault,B,200\n";
    let roster = "person,name,department\nA,甲,一村\nB,乙,一村\n";
    let out = common::on_files("eval", policy, roster, records, &[]);
    assert_eq!(out.code, Some(1), "{}", out.both());
    assert!(
        out.stderr.contains(
            "rank `town` scales the results of `everybody` to its best, which is -100 [tally::divides-by-zero]"
        ),
        "{}",
        out.stderr
    );
}
