//! Groups of the roster (`household: group`) with their heads (`householder: head of household`):
//! `to members of household`, `to staff of household` and `to head of household` reach the group
//! of the person a record names (文登区农村居民信用积分 第五十条: 失信行为涉及家庭的，扣减家庭户主的
//! 信用分数).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

const DIR: &str = "tests/fixtures/households";

fn policy() -> String {
    std::fs::read_to_string(common::root().join(DIR).join("household.policy")).unwrap()
}

fn eval(policy_text: &str, roster: &str) -> common::Out {
    let records = std::fs::read_to_string(common::root().join(DIR).join("records.csv")).unwrap();
    common::on_files("eval", policy_text, roster, &records, &["--format", "csv"])
}

fn roster() -> String {
    std::fs::read_to_string(common::root().join(DIR).join("roster.csv")).unwrap()
}

#[test]
fn a_record_reaches_the_group_of_its_person() {
    // B's fault costs the head of 王家 (A) 10; C's dog costs every member of 李家 5; A's good
    // deed gives A 2 and 王家's other members (B) 1.
    assert_eq!(
        eval(&policy(), &roster()).ok(),
        "person,name,period,total,grade,final,flags\nA,甲,2020,992.00,B,true,\nB,乙,2020,1001.00,A,true,\nC,丙,2020,995.00,B,true,\nD,丁,2020,995.00,B,true,\n"
    );
}

#[test]
fn a_group_without_its_head_or_with_two_is_an_error() {
    let out = eval(
        &policy(),
        &roster().replace("A,甲,东山村,王家,true", "A,甲,东山村,王家,false"),
    );
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!("no_head", out.stderr);
    let out = eval(
        &policy(),
        &roster().replace("B,乙,东山村,王家,false", "B,乙,东山村,王家,true"),
    );
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!("two_heads", out.stderr);
}

#[test]
fn groups_are_checked() {
    let errors = common::check_errors;
    let text = policy();
    assert!(errors(&text).is_empty(), "{:?}", errors(&text));
    assert_eq!(
        errors(&text.replace("-10 to head of household", "-10 to head of housenold")),
        ["tally::unknown-column: the roster has no `group` column `housenold`"]
    );
    assert_eq!(
        errors(&text.replace("-10 to head of household", "-10 to boss of household")),
        ["tally::unknown-target: unknown target `boss of household`"]
    );
    assert_eq!(
        errors(&text.replace("  householder: head of household\n", "")),
        [
            "tally::bad-target: the roster does not say who heads each `household`",
            "tally::bad-target: the roster does not say who heads each `household`"
        ]
    );
    assert_eq!(
        errors(&text.replace(
            "record fault \"失信\" by person",
            "record fault \"失信\" by person | department"
        )),
        ["tally::bad-target: `fault` records may name no person, whose group it would be"]
    );
    assert_eq!(
        errors(&text.replace(
            "  householder: head of household\n",
            "  householder: head of houses\n"
        )),
        [
            "tally::unknown-column: the roster has no `group` column `houses` above",
            "tally::bad-target: the roster does not say who heads each `household`",
            "tally::bad-target: the roster does not say who heads each `household`"
        ]
    );
    assert_eq!(
        errors(&text.replace(
            "record dog \"犬只管理\" by person",
            "record dog \"犬只管理\" by person { home: group }"
        )),
        ["tally::misplaced: the field `home` cannot be a group or a group's head"]
    );
}
