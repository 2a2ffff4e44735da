//! The Wendeng rural credit scheme (`policies/wendeng-rural-2020.policy`, one card a year): it
//! checks clean with warnings denied and is in the canonical layout, and every rule its reading
//! (`policies/wendeng-rural-2020/READING.md`) quotes as in the policy is there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

const POLICY: &str = "policies/wendeng-rural-2020.policy";
const READING: &str = "policies/wendeng-rural-2020/READING.md";

#[test]
fn the_policy_checks_clean_with_warnings_denied() {
    let out = common::cli(["check", "--deny-warnings", POLICY]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    assert!(
        out.both().contains("0 errors, 0 warnings"),
        "{}",
        out.both()
    );
}

#[test]
fn the_policy_is_in_the_canonical_layout() {
    let out = common::cli(["fmt", "--check", POLICY]);
    assert_eq!(out.code, Some(0), "{}", out.both());
}

fn normal(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every rule READING.md quotes in a cell marked **in the policy** (a quoted `per …`, `when …` or
/// `[…] …` rule) is in the policy, up to white space; and the rows table has every one of the 228
/// rows marked either in the policy or out.
#[test]
fn the_rows_said_to_be_in_the_policy_quote_it() {
    let policy = normal(&std::fs::read_to_string(common::root().join(POLICY)).unwrap());
    let reading = std::fs::read_to_string(common::root().join(READING)).unwrap();
    let mut quoted = 0;
    let (mut rows, mut inside, mut out) = (0, 0, 0);
    for line in reading.lines() {
        if line.starts_with("| `0.") {
            rows += 1;
            if line.contains("**in the policy**") {
                inside += 1;
            } else if line.contains("**out**: needs ") {
                out += 1;
            }
        }
        let Some(cell) = line.split("**in the policy**: ").nth(1) else {
            continue;
        };
        for (i, snippet) in cell.split('`').enumerate() {
            let snippet = snippet.replace("\\|", "|");
            let rule_like = snippet.starts_with("per ")
                || snippet.starts_with("when ")
                || (snippet.starts_with('[') && snippet.contains("] "));
            if i % 2 == 1 && rule_like {
                let rule = normal(&snippet);
                assert!(
                    policy.contains(&rule),
                    "READING.md quotes `{rule}`, not in {POLICY}"
                );
                quoted += 1;
            }
        }
    }
    assert_eq!(rows, 228, "the attachment's rows in READING.md");
    assert_eq!((inside, out), (197, 31), "rows in the policy and rows out");
    assert!(quoted >= 120, "only {quoted} rules quoted");
}
