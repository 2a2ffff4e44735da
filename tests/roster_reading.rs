//! A roster without quotes is cut at its commas and line breaks directly; one with a quote
//! anywhere is read by the CSV reader. Both give the same people and the same problems, at the
//! same lines: checked on generated rosters with blank lines, lines of white space, carriage
//! returns, rows too short and too long, repeated ids, empty and wrong cells.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use proptest::prelude::*;
use tally::compile::compile;
use tally::eval::input;

const POLICY: &str = r#"policy "roster" year 2020 total 100
annual = sum(months) / 12

roster {
  role: 甲 | 乙
  head: bool
}

record late "迟到" by person

section s "s" 100 {
  item a "a" 100 {
    [1] per late -5
  }
}

grades {
  A >= 90
  B
}
"#;

/// How one line of the roster is written.
#[derive(Clone, Debug)]
enum Line {
    /// A person: id number, name, department, role, head; each cell maybe padded or emptied.
    Person(u8, u8, u8, bool, bool, u8),
    Blank,
    Spaces,
    Commas,
    /// White space beyond ASCII alone: not a blank line to the CSV reader.
    Ideographic,
    TooMany,
    TooFew,
    /// A carriage return inside a row.
    Return,
}

fn line() -> impl Strategy<Value = Line> {
    prop_oneof![
        12 => (0..30u8, 0..5u8, 0..3u8, any::<bool>(), any::<bool>(), 0..12u8)
            .prop_map(|(i, n, d, r, h, odd)| Line::Person(i, n, d, r, h, odd)),
        1 => Just(Line::Blank),
        1 => Just(Line::Spaces),
        1 => Just(Line::Commas),
        1 => Just(Line::Ideographic),
        1 => Just(Line::TooMany),
        1 => Just(Line::TooFew),
        1 => Just(Line::Return),
    ]
}

fn write(lines: &[Line], crlf: bool, quoted: bool) -> String {
    let mut text = String::from("person,name,department,role,head,note\n");
    for l in lines {
        let row = match l {
            Line::Person(i, n, d, r, h, odd) => {
                let mut cells = [
                    format!("P{i:02}"),
                    format!("人{n}"),
                    format!("部门{d}"),
                    (if *r { "甲" } else { "乙" }).to_string(),
                    h.to_string(),
                    String::new(),
                ];
                match odd {
                    0..=4 => cells[usize::from(*odd)].clear(),
                    5 => cells[3] = "丙".into(),
                    6 => cells[4] = "yes".into(),
                    7 => cells[0] = format!(" {} ", cells[0]),
                    8 => cells[1] = format!("\u{3000}{}", cells[1]),
                    9 => cells[5] = "备注".into(),
                    _ => {}
                }
                cells.join(",")
            }
            Line::Blank => String::new(),
            Line::Spaces => " \t ".into(),
            Line::Commas => ",,, ,".into(),
            Line::Ideographic => "\u{3000},\u{a0}".into(),
            Line::TooMany => "P90,多,部门0,甲,true,,extra".into(),
            Line::TooFew => "P91,少".into(),
            Line::Return => "P92,回\r车,部门0,甲,true,".into(),
        };
        text.push_str(&row);
        text.push_str(if crlf { "\r\n" } else { "\n" });
    }
    // A last person of its own: with a quoted note, the file has a quote and is read by the CSV
    // reader; else the same person without one.
    text.push_str(if quoted {
        "Z99,末,部门0,甲,false,\"x\"\n"
    } else {
        "Z99,末,部门0,甲,false,x\n"
    });
    text
}

/// The roster's people, or its problems, as text.
fn read(policy: &tally::check::Policy, text: &str) -> String {
    let dir = common::temp_dir("roster");
    let path = dir.join("roster.csv");
    std::fs::write(&path, text).unwrap();
    let got = match input::read_roster(policy, &path) {
        Ok(roster) => format!("{:?}\n{:?}", roster.people, roster.departments),
        Err(problems) => {
            let mut shown: Vec<String> = problems.list.iter().map(tally::diag::plain).collect();
            shown.push(format!("and {} more", problems.more));
            shown.join("\n")
        }
    };
    let _ = std::fs::remove_dir_all(&dir);
    got.replace(dir.to_str().unwrap(), "")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn a_roster_reads_the_same_cut_directly_and_by_the_csv_reader(
        lines in prop::collection::vec(line(), 0..40),
        crlf in any::<bool>(),
    ) {
        let policy = compile("test.policy", POLICY.as_bytes()).policy.unwrap();
        let direct = read(&policy, &write(&lines, crlf, false));
        let by_reader = read(&policy, &write(&lines, crlf, true));
        prop_assert_eq!(direct, by_reader);
    }
}
