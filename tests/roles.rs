//! Roles as targets (`to secretary`, `to secretary of village`): a record about one person reaches
//! whoever holds a role (a `bool` roster column) in that person's department or group, not the
//! person (文登区农村居民信用积分 附件 失信 党建领域 8–9: 村"两委"干部出现违纪违法行为的，每有1人，
//! 党组织书记扣5分、村委会主任扣3分); a department's record reaches the role in that department.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

const DIR: &str = "tests/fixtures/roles";

fn read(name: &str) -> String {
    std::fs::read_to_string(common::root().join(DIR).join(name)).unwrap()
}

fn eval(policy: &str, roster: &str, records: &str) -> common::Out {
    common::on_files(
        "eval",
        policy,
        roster,
        records,
        &["--format", "csv", "--as-of", "2021-01-05"],
    )
}

#[test]
fn a_record_reaches_the_role_holders_of_its_department_or_group() {
    // By hand (roster.csv: 东山村 A secretary, B director, C member; 西山村 D both posts, E
    // member; F the secretary of 南山村 whose village group is 东山):
    //   C's two violations: A −5 × 2, B −3 × 2; E's: D −5 and −3 (both posts, both rules);
    //   A's own violation: A −5 (the secretary of his own department), B −3;
    //   C's household fault `to secretary of village`: the secretaries of the group 东山, A and F,
    //   −2 each (F by the group, though in another department);
    //   西山村's unit fault `to director`: D −4.
    //   A 1000 − 10 − 5 − 2 = 983; B 1000 − 6 − 3 = 991; C 1000; D 1000 − 8 − 4 = 988; E 1000;
    //   F 998.
    assert_eq!(
        eval(
            &read("village.policy"),
            &read("roster.csv"),
            &read("records.csv")
        )
        .ok(),
        "person,name,period,total,grade,final,flags\n\
         A,甲,2020,983.00,B,true,\n\
         B,乙,2020,991.00,B,true,\n\
         C,丙,2020,1000.00,A,true,\n\
         D,丁,2020,988.00,B,true,\n\
         E,戊,2020,1000.00,A,true,\n\
         F,己,2020,998.00,B,true,\n"
    );
}

#[test]
fn two_holders_of_a_role_are_both_reached_and_a_for_still_filters() {
    // B made a second secretary of 东山村: C's violations reach A and B (−5 × 2 each), A's own
    // reaches A and B (−5 each); B also keeps the director's −3 × 3 and, a secretary of the group
    // 东山 on the committee, takes the household fault's −2: 1000 − 15 − 9 − 2 = 974. With `for
    // committee` on that rule, F (not on the committee) is no longer reached by it.
    let roster = read("roster.csv").replace("B,乙,东山村,false,true", "B,乙,东山村,true,true");
    let policy = read("village.policy").replace(
        "-2 to secretary of village",
        "-2 to secretary of village for committee",
    );
    let out = eval(&policy, &roster, &read("records.csv")).ok();
    let totals = common::period_totals(&out);
    assert_eq!(
        totals,
        [
            "A,2020,983.00",
            "B,2020,974.00",
            "C,2020,1000.00",
            "D,2020,988.00",
            "E,2020,1000.00",
            "F,2020,1000.00"
        ]
    );
}

#[test]
fn an_excluded_role_holder_is_reached_but_has_no_result() {
    // A excluded for the year: the points still reach A's card, which publishes nothing; B is
    // reached as before.
    let policy = read("village.policy")
        .replace(
            "record unit_fault",
            "record away \"不参加评价\" by person\nrecord unit_fault",
        )
        .replace(
            "  [6] per unit_fault -4 to director\n",
            "  [6] per unit_fault -4 to director\n  [28] per away exclude \"不参加评价\"\n",
        );
    let records = format!("{}2020-09-01,away,A,\n", read("records.csv"));
    let out = eval(&policy, &read("roster.csv"), &records).ok();
    assert!(out.contains("\nA,甲,2020,,,true,"), "{out}");
    assert!(out.contains("\nB,乙,2020,991.00,B,true,"), "{out}");
}

#[test]
fn nobody_in_the_role_is_an_error_at_the_record() {
    // 西山村 without a director: E's violation reaches the secretary D, and the director's rule
    // has nobody to reach; likewise the group 东山 without a secretary for the household fault.
    let roster = read("roster.csv").replace("D,丁,西山村,true,true", "D,丁,西山村,true,false");
    let out = eval(&read("village.policy"), &roster, &read("records.csv"));
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!("no_director", out.stderr);
    let roster = read("roster.csv")
        .replace("A,甲,东山村,true", "A,甲,东山村,false")
        .replace("F,己,南山村,true", "F,己,南山村,false");
    let out = eval(&read("village.policy"), &roster, &read("records.csv"));
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!("no_secretary_in_the_group", out.stderr);
}

#[test]
fn a_role_target_is_checked() {
    let errors = common::check_errors;
    let text = read("village.policy");
    assert!(errors(&text).is_empty(), "{:?}", errors(&text));
    // Not a column, nor a field, nor a built-in target.
    assert_eq!(
        errors(&text.replace("-5 to secretary", "-5 to secretarry")),
        ["tally::unknown-target: unknown target `secretarry`"]
    );
    // A column that is not `bool`.
    assert_eq!(
        errors(&text.replace("-3 to director", "-3 to village")),
        ["tally::bad-target: the roster column `village` is not a role: it is not `bool`"]
    );
    assert_eq!(
        errors(&text.replace("-2 to secretary of village", "-2 to village of village")),
        ["tally::bad-target: the roster column `village` is not a role: it is not `bool`"]
    );
    // A group that is not a `group` column.
    assert_eq!(
        errors(&text.replace("-2 to secretary of village", "-2 to secretary of villag")),
        ["tally::unknown-column: the roster has no `group` column `villag`"]
    );
    // A role in the department needs a person or a department; in a group, always a person.
    assert_eq!(
        errors(&text.replace(
            "record committee_violation \"两委干部违纪违法\" by person",
            "record committee_violation \"两委干部违纪违法\" by town"
        )),
        [
            "tally::bad-target: `committee_violation` records name no department and no person",
            "tally::bad-target: `committee_violation` records name no department and no person"
        ]
    );
    assert_eq!(
        errors(&text.replace(
            "record household_fault \"户内失信\" by person",
            "record household_fault \"户内失信\" by person | department"
        )),
        [
            "tally::bad-target: `household_fault` records may name no person, whose group it would be"
        ]
    );
    // A person field of the same name comes first: `to secretary` is then that field.
    let field = text.replace(
        "record committee_violation \"两委干部违纪违法\" by person",
        "record committee_violation \"两委干部违纪违法\" by person { secretary: text }",
    );
    assert_eq!(
        errors(&field),
        ["tally::bad-target: `secretary` of `committee_violation` does not name a person"]
    );
}

#[test]
fn diagnostics_read_in_both_languages() {
    let text = read("village.policy").replace("-3 to director", "-3 to village");
    let out = common::in_folder(&[("p.policy", &text)], &["check", "p.policy"]);
    insta::assert_snapshot!("not_a_role", out.stderr);
    let out = common::in_folder(
        &[("p.policy", &text)],
        &["--lang", "zh", "check", "p.policy"],
    );
    insta::assert_snapshot!("not_a_role_zh", out.stderr);
}

#[test]
fn the_policy_is_in_the_canonical_layout_and_explain_names_the_rule() {
    let out = common::in_folder(
        &[("p.policy", &read("village.policy"))],
        &["fmt", "--check", "p.policy"],
    );
    assert_eq!(out.code, Some(0), "{}", out.both());
    let out = common::on_files(
        "explain",
        &read("village.policy"),
        &read("roster.csv"),
        &read("records.csv"),
        &["--as-of", "2021-01-05", "--person", "F"],
    );
    insta::assert_snapshot!("explain_f", out.ok());
}
