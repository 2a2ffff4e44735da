//! A balance card's caps over a year, `once` acts and steps read on several threads: each reading
//! thread keeps its share of the entries, the acts' candidates and the steps' records, and the
//! merged result is the one a single reader gives.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

const POLICY: &str = r#"policy "t" year 2020 total 1000
card balance

record volunteer "志愿服务" by person { hours: hours >= 0 }
record donation "捐款" by person
record fault "失信" by person { case: text, points: points 1..40 }

cap donations "捐款" 40 in year
once act "同一行为" per case

section s "S" 1000 {
  item i "I" 1000 {
  }
}

adjustments a "加减分" {
  [1] per fault -points valid 1 year once act
  [2] when sum(volunteer.hours) in year >= 10: +sum(volunteer.hours) in year {
    >= 300: 50,
    >= 250: 40,
    >= 200: 30,
    >= 150: 25,
    >= 100: 20,
    >= 80: 15,
    >= 50: 10,
    >= 20: 5,
    else: 2
  } valid 1 year
  [3] per donation +1 valid 1 year cap donations
}

grades {
  A >= 960
  B
}
"#;

#[test]
fn caps_acts_and_steps_read_on_several_threads_count_as_on_one() {
    // Over 8 MB of records, read on every processor. The points are outside the items,
    // unclamped, so that a step, a donation or an act counted twice or not at all shows.
    let dir = common::temp_dir("balance-threads");
    let mut records = String::with_capacity(10 << 20);
    records.push_str("date,kind,person,hours,case,points\n");
    let day = |i: usize| format!("2020-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
    for i in 0..320_000 {
        records.push_str(&format!("{},volunteer,A,1,,\n", day(i)));
    }
    let acts = 20_000;
    for i in 0..acts {
        records.push_str(&format!("{},fault,A,,c{i},10\n", day(i)));
        records.push_str(&format!("{},donation,A,,,\n", day(i + 7)));
    }
    for i in 0..acts {
        records.push_str(&format!("{},fault,A,,c{i},30\n", day(i + 3)));
    }
    assert!(records.len() > 8 << 20, "{} bytes", records.len());
    std::fs::write(dir.join("p.policy"), POLICY).unwrap();
    std::fs::write(
        dir.join("roster.csv"),
        "person,name,department\nA,甲,办公室\n",
    )
    .unwrap();
    std::fs::write(dir.join("records.csv"), &records).unwrap();
    let arg = |name: &str| dir.join(name).display().to_string();
    let out = common::cli([
        "eval".to_string(),
        arg("p.policy"),
        "--roster".into(),
        arg("roster.csv"),
        "--records".into(),
        arg("records.csv"),
        "--as-of".into(),
        "2021-01-05".into(),
        "--format".into(),
        "csv".into(),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // On 2020-12-31: every record is of 2020 and valid a year, so all count. The hours pass 300
    // on January 1 (the records' days repeat every 84: 3 810 hours that day): +50. The donations
    // give 1 each, 40 a year: +40. Each of the 20 000 acts counts its −30 once, not −40 and not
    // −10: 1000 + 50 + 40 − 600 000 = −598 910.
    let row = out
        .stdout
        .lines()
        .find(|l| l.starts_with("A,") && l.contains(",2020,"));
    let row = row.unwrap();
    assert!(row.contains(",-598910.00,"), "{row}");
}
