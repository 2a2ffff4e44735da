//! `tally fmt` on steps (a `when` rule with a table and `valid`, on a balance card): when the rule
//! does not fit on one line, it is not broken inside a comparison of its condition, whatever the
//! table's length, for a condition that fits a line by itself (or with its `and`s broken).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

fn policy(rule: &str) -> String {
    format!(
        r#"policy "x" year 2020 total 1000
card balance

record volunteer "志愿" by person {{ hours: hours >= 0 }}

section s "s" 1000 {{
  item i "i" 1000 {{
  }}
}}

adjustments trust "守信加分" {{
  {rule}
}}

grades {{
  A >= 960
  D
}}
"#
    )
}

#[test]
fn a_step_rule_keeps_the_comparisons_of_its_condition_whole() {
    let conditions = [
        "sum(volunteer.hours) in year >= 100",
        "sum(volunteer.hours) in year >= 10 and count(volunteer) in year >= 2",
    ];
    let tables = [
        "{ >= 20: 5, else: 2 }",
        "{ >= 300: 50, >= 20: 5, else: 2 }",
        "{ >= 300: 50, >= 250: 40, >= 200: 30, >= 150: 25, >= 100: 20, >= 80: 15, >= 50: 10, >= 20: 5, else: 2 }",
    ];
    for cond in conditions {
        for table in tables {
            let rule =
                format!("[0.5.4] when {cond}: +sum(volunteer.hours) in year {table} valid 1 year");
            let text = policy(&rule);
            let dir = common::temp_dir("fmt-steps");
            let path = common::write(&dir, "p.policy", &text);
            let out = common::cli(["fmt", path.to_str().unwrap()]);
            assert_eq!(out.code, Some(0), "{}", out.both());
            let formatted = std::fs::read_to_string(&path).unwrap();
            let _ = std::fs::remove_dir_all(&dir);
            // No comparison of the condition is broken: at most its `and`s are.
            for part in cond.split(" and ") {
                assert!(formatted.contains(part), "{cond} / {table}\n{formatted}");
            }
            // A condition that fits stays whole on the rule's first line, up to its `:`.
            if cond.len() < 60 {
                assert!(
                    formatted.contains(&format!("[0.5.4] when {cond}:")),
                    "{cond} / {table}\n{formatted}"
                );
            }
            for line in formatted.lines() {
                assert!(
                    unicode_width(line) <= 100 || line.contains(cond),
                    "too wide: {line}"
                );
            }
            // Formatting is stable.
            let again = common::in_folder(
                &[("p.policy", formatted.as_str())],
                &["fmt", "--check", "p.policy"],
            );
            assert_eq!(again.code, Some(0), "{}\n{formatted}", again.both());
        }
    }
}

fn unicode_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}
