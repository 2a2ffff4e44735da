//! A large roster with no quote in it is read on two threads: a fifth of its rows here, the rest
//! on another thread, which hands them over in batches. What a user sees must not tell: the
//! people, their lines, and every problem (missing cells, bad values, a person listed twice
//! across the parts or within one, rows of too many cells, the count past those shown) are those
//! of the same roster read one row at a time by the CSV reader, which a quoted cell anywhere
//! makes it take.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use tally::compile::compile;
use tally::diag::plain;
use tally::eval::input;

const POLICY: &str = "policy \"两半\" year 2020 total 100
annual = mean(months)
round 2 half-up
roster {
  head: bool
}
record late \"迟到\" by person
section s \"s\" 100 {
  item i \"i\" 100 {
    [1] per late -5
  }
}
grades {
  A >= 90 \"a\"
  B \"b\"
}
";

/// People enough for more than a megabyte: `P00000` to …, one head per department of ten.
const PEOPLE: usize = 24_000;

/// The roster's rows; `change` may rewrite the row of person `i` (the header is line 1, person
/// `i` on line `i + 2`).
fn roster(change: &dyn Fn(usize, String) -> String) -> String {
    let mut text = String::from("person,name,department,head\n");
    for i in 0..PEOPLE {
        let row = format!(
            "P{i:05},干部名字很长的人{i},某某镇党政综合办公室第{}科,{}",
            i / 10,
            i % 10 == 0
        );
        text.push_str(&change(i, row));
        text.push('\n');
    }
    text
}

/// What reading `text` gives, as a user would see it: the people (with their lines and
/// departments), or the problems as printed and how many more there were.
fn read(text: &str) -> String {
    let policy = compile("p.policy", POLICY.as_bytes()).policy.unwrap();
    let dir = common::temp_dir("roster-parts");
    let path = common::write(&dir, "roster.csv", text);
    match input::read_roster(&policy, &path) {
        Ok(roster) => {
            let people: Vec<String> = (roster.people.iter())
                .map(|p| {
                    let department = &roster.departments[p.department];
                    format!(
                        "{} {} {} {} {:?}",
                        p.line, p.id, p.name, department, p.values
                    )
                })
                .collect();
            format!("{} people\n{}", people.len(), people.join("\n"))
        }
        Err(problems) => {
            let shown: Vec<String> = problems.list.iter().map(plain).collect();
            let shown = shown
                .join("\n")
                .replace(&path.display().to_string(), "roster.csv");
            format!("{} more\n{shown}", problems.more)
        }
    }
}

/// The roster as it is (read on two threads), and with one name quoted (read by the CSV reader,
/// row by row), read alike.
fn alike(text: &str) -> String {
    assert!(text.len() > 1 << 20, "{} bytes", text.len());
    let halved = read(text);
    let quoted = text.replacen(",干部名字很长的人7,", ",\"干部名字很长的人7\",", 1);
    assert_ne!(quoted, text);
    assert_eq!(halved, read(&quoted));
    halved
}

#[test]
fn a_clean_roster_reads_alike() {
    let seen = alike(&roster(&|_, row| row));
    assert!(
        seen.starts_with(&format!("{PEOPLE} people\n2 P00000 ")),
        "{seen:.200}"
    );
    assert!(
        seen.ends_with(&format!(
            "{} P{:05} 干部名字很长的人{1} 某某镇党政综合办公室第2399科 [Bool(false)]",
            PEOPLE + 1,
            PEOPLE - 1
        )),
        "{}",
        &seen[seen.len() - 200..]
    );
}

/// The problems of `text`, read both ways, once with few problems and once with more than are
/// shown (every `every`th person's `head` is wrong).
fn problems_alike(every: usize) -> String {
    // Where the second part starts, about.
    let cut = PEOPLE / 5;
    alike(&roster(&|i, row| {
        let department = format!(",某某镇党政综合办公室第{}科,", i / 10);
        let id = format!("P{i:05}");
        match i {
            // Listed twice: first in the first part, again in the second, and twice within
            // the second.
            i if i == cut + 100 => row.replacen(&id, "P00005", 1),
            i if i == cut + 200 || i == cut + 300 => row.replacen(&id, "P99999", 1),
            // A refused row's id met again below.
            i if i == 40 || i == cut + 400 => (row.replacen(&id, "P77777", 1))
                .replace(",true", ",maybe")
                .replace(",false", ",maybe"),
            // Empty cells on either side of the cut.
            i if i == cut - 1 => row.replace(&department, ",,"),
            i if i == cut + 1 => row.replace(&format!(",干部名字很长的人{i},"), ",,"),
            i if i == cut + 3 => row.replacen(&id, "", 1),
            // Bad values all along.
            i if i % every == 0 => row.replace(",false", ",不是").replace(",true", ",是的吗"),
            // Blank lines.
            i if i == cut + 2 || i == 3 => format!(",,,\n{row}\n   "),
            _ => row,
        }
    }))
}

#[test]
fn problems_in_both_parts_read_alike() {
    let few = problems_alike(2000);
    for told in [
        "`P00005` is listed twice",
        "`P99999` is listed twice",
        "`P77777` is listed twice",
        "the department is missing",
        "the person's name is missing",
        "the person's id is missing",
        "`是的吗`",
    ] {
        assert!(few.contains(told), "{told}: {few}");
    }
    assert!(few.starts_with("0 more\n"), "{few:.200}");
    let many = problems_alike(97);
    let more: usize = many.split(' ').next().unwrap().parse().unwrap();
    assert!(more > 100, "{many:.200}");
}

#[test]
fn a_row_of_too_many_cells_in_the_second_part_reads_alike() {
    // Where the second part starts, about.
    let cut = PEOPLE / 5;
    let seen = alike(&roster(&|i, row| {
        if i == cut + 50 || i == 9 {
            format!("{row},多一格")
        } else {
            row
        }
    }));
    assert!(seen.contains("cells"), "{seen:.2000}");
}

/// Room for the people is made for at most as many as the roster has lines, whatever its first
/// line after the header: a blank one, an empty spreadsheet row, a short row. (It was once
/// guessed from the first line's length: a blank one asked for a place per byte.)
#[test]
fn room_for_the_people_is_bounded_by_the_lines() {
    let policy = compile("p.policy", POLICY.as_bytes()).policy.unwrap();
    let rows = roster(&|_, row| row);
    let (header, body) = rows.split_once('\n').unwrap();
    for first in ["\n", "\r\n", ",,,\n", " \n", "A,甲,乙,false\n"] {
        let text = format!("{header}\n{first}{body}");
        let dir = common::temp_dir("roster-room");
        let path = common::write(&dir, "roster.csv", &text);
        let roster = input::read_roster(&policy, &path).unwrap();
        let lines = text.lines().count();
        assert!(roster.people.len() >= PEOPLE, "{first:?}");
        assert!(
            roster.people.capacity() <= lines,
            "{first:?}: room for {} people in {lines} lines",
            roster.people.capacity()
        );
    }
}
