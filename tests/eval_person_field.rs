//! A `person` field names somebody on the roster (`beneficiary: person`), and `to FIELD` gives a
//! rule's points to that person: "配偶或子女作为加分对象" (a bonus booked to the spouse or a child).
//! The field is read like the `person` column (an unknown id or an empty cell is refused at its
//! cell); a target field may not be optional; no expression may compute with it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

const POLICY: &str = r#"policy "加分对象" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

record burial "生态安葬" by person { beneficiary: person }
record good_deed "好人好事" by person { helper: person }

section s "s" 100 {
  item i "i" 100 {
    [1] base 90
    [2] per burial +10 to beneficiary
    [3] per good_deed +1, +2 to helper
  }
}

grades {
  A >= 90 "a"
  B "b"
}
"#;

const ROSTER: &str = "person,name,department\nA,甲,村委\nB,乙,村委\nC,丙,村委\n";

fn eval(records: &str) -> common::Out {
    common::on_files(
        "eval",
        POLICY,
        ROSTER,
        records,
        &["--format", "csv", "--period", "2020-03"],
    )
}

#[test]
fn points_go_to_the_person_the_field_names() {
    let out = eval(
        "date,kind,person,beneficiary,helper\n2020-03-01,burial,A,B,\n2020-03-02,good_deed,C,,A\n",
    );
    // B gets the burial's 10; A gets 2 for helping; C gets 1 for the good deed itself.
    assert_eq!(
        out.ok(),
        "person,name,period,total,grade,final,flags\nA,甲,2020-03,92.00,,true,\nB,乙,2020-03,100.00,,true,\nC,丙,2020-03,91.00,,true,\n"
    );
}

#[test]
fn an_unknown_or_missing_person_is_an_error() {
    let out = eval("date,kind,person,beneficiary,helper\n2020-03-01,burial,A,乙,\n");
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!("unknown", out.stderr);
    let out = eval("date,kind,person,beneficiary,helper\n2020-03-02,good_deed,C,,\n");
    assert_eq!(out.code, Some(1), "{}", out.both());
    insta::assert_snapshot!("missing", out.stderr);
    // An optional person field cannot be a target: a record could name nobody.
    let optional = POLICY.replace("{ helper: person }", "{ helper: person optional }");
    let codes = common::check_errors(&optional);
    assert_eq!(
        codes,
        [
            "tally::bad-target: `helper` of `good_deed` is optional, so a record may name nobody to give the points to"
        ]
    );
}

#[test]
fn person_fields_are_checked() {
    let errors = common::check_errors;
    assert!(errors(POLICY).is_empty(), "{:?}", errors(POLICY));
    assert_eq!(
        errors(&POLICY.replace("{ beneficiary: person }", "{ beneficiary: text }")),
        ["tally::bad-target: `beneficiary` of `burial` does not name a person"]
    );
    assert_eq!(
        errors(&POLICY.replace(
            "per burial +10 to beneficiary",
            "per burial, good_deed +10 to beneficiary"
        )),
        ["tally::misplaced: `to beneficiary` needs a rule about one record kind"]
    );
    assert_eq!(
        errors(&POLICY.replace(
            "per burial +10 to beneficiary",
            "per burial where beneficiary = \"B\": +10"
        )),
        [
            "tally::type-mismatch: `beneficiary` names a person: it says whom points go to, not a value"
        ]
    );
    assert_eq!(
        errors(&POLICY.replace(
            "policy \"加分对象\" year 2020 total 100\n",
            "policy \"加分对象\" year 2020 total 100\nroster {\n  spouse: person\n}\n"
        )),
        ["tally::misplaced: the roster column `spouse` cannot be a person"]
    );
}
