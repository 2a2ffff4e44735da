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
        ["tally::misplaced: a rank reads the whole year, not one month"]
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
