//! The forms of a diff: a table for people to read, CSV of the people whose result changes (for a
//! spreadsheet), and JSON with everything.

use serde::Serialize;

use super::{Change, Diff, GradeCount, PersonChange, StructChange, Subject};
use crate::report::score;

/// A structural change as lines: a heading, then what it read before and after.
fn change_lines(c: &StructChange) -> Vec<String> {
    let before = c.before.as_deref().unwrap_or("");
    let after = c.after.as_deref().unwrap_or("");
    let amounts = || {
        c.amounts
            .iter()
            .map(|a| format!("{} → {}", a.before, a.after))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let what = match c.subject {
        Subject::Rule if c.key.is_empty() => "(no clause)".to_string(),
        Subject::Rule => format!("[{}]", c.key),
        Subject::Budget => format!("budget of {}", c.place),
        Subject::Applies => format!("who has {}", c.place),
        Subject::Grade => format!("grade {}", c.key),
        Subject::Record => format!("record kind `{}`", c.key),
        Subject::Cap => format!("cap `{}`", c.key),
        Subject::Roster => format!("roster column `{}`", c.key),
        Subject::Header => c.key.clone(),
    };
    let one_line = matches!(
        c.subject,
        Subject::Budget | Subject::Applies | Subject::Grade | Subject::Cap | Subject::Header
    );
    if one_line {
        let line = match c.change {
            Change::Added => format!("{what} added: {after}"),
            Change::Removed => format!("{what} removed: {before}"),
            _ => format!("{what}: {before} → {after}"),
        };
        return vec![line];
    }
    let place = if c.place.is_empty() {
        String::new()
    } else {
        format!(" in {}", c.place)
    };
    let heading = match c.change {
        Change::Added => format!("{what} added{place}"),
        Change::Removed => format!("{what} removed{place}"),
        Change::Amounts => format!("{what} amounts changed{place}: {}", amounts()),
        Change::Moved => format!(
            "{what} moved from {} to {}",
            c.moved_from.as_deref().unwrap_or("?"),
            c.place
        ),
        Change::Changed => format!("{what} changed{place}"),
    };
    let mut lines = vec![heading];
    if c.before.is_some() && c.change != Change::Moved {
        lines.push(format!("    before  {before}"));
    }
    if c.after.is_some() {
        lines.push(format!("    after   {after}"));
    }
    lines
}

/// A person's annual result before and after, each with its revision's rounding, and the change
/// with the finer of the two.
fn figures(d: &Diff, p: &PersonChange) -> [String; 3] {
    // Somebody not evaluated in a revision has no result there, and no change to show.
    let shown = |excluded: bool, v: rust_decimal::Decimal, places: u32| {
        if excluded {
            String::new()
        } else {
            score(v, places)
        }
    };
    [
        shown(p.excluded_before, p.before, d.places_before),
        shown(p.excluded_after, p.after, d.places_after),
        if p.excluded_before || p.excluded_after {
            String::new()
        } else {
            p.delta.display_places(d.places_before.max(d.places_after))
        },
    ]
}

/// The people whose result changes, aligned, and whether a figure among them is not final.
fn people_table(d: &Diff) -> (String, bool) {
    let mut rows = vec![
        [
            "person",
            "name",
            "department",
            "before",
            "after",
            "delta",
            "grade",
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    let mut provisional = false;
    for p in &d.people {
        let mark = |f: bool| if f { "" } else { "*" };
        provisional |= !p.final_before || !p.final_after;
        let grade = if p.grade_before == p.grade_after {
            p.grade_after.clone()
        } else {
            format!("{} → {}", p.grade_before, p.grade_after)
        };
        let [before, after, delta] = figures(d, p);
        let sign = if p.delta.is_positive() && !delta.is_empty() {
            "+"
        } else {
            ""
        };
        rows.push(vec![
            p.person.clone(),
            p.name.clone(),
            p.department.clone(),
            format!("{before}{}", mark(p.final_before)),
            format!("{after}{}", mark(p.final_after)),
            format!("{sign}{delta}"),
            grade,
        ]);
    }
    let table = crate::align::table(&rows, &[false, false, false, true, true, true, false], "  ");
    (table, provisional)
}

/// How many people each grade holds before and after, aligned.
fn grade_table(d: &Diff) -> String {
    let mut rows = vec![
        ["grade", "before", "after", "change"]
            .map(str::to_string)
            .to_vec(),
    ];
    for g in &d.grades {
        let change = g.after as i64 - g.before as i64;
        rows.push(vec![
            g.grade.clone(),
            g.before.to_string(),
            g.after.to_string(),
            match change {
                0 => String::new(),
                c if c > 0 => format!("+{c}"),
                c => c.to_string(),
            },
        ]);
    }
    crate::align::table(&rows, &[false, true, true, true], "  ")
}

/// The diff as a table to read.
pub fn table(d: &Diff) -> String {
    let mut out = format!(
        "{} → {}: {} ({})\n",
        d.old.file, d.new.file, d.new.title, d.new.year
    );
    if d.old.title != d.new.title {
        out.push_str(&format!("  (was: {})\n", d.old.title));
    }
    out.push('\n');
    if d.rules.is_empty() {
        out.push_str("rules that differ: none\n");
    } else {
        out.push_str(&format!("rules that differ: {}\n", d.rules.len()));
        for c in &d.rules {
            for l in change_lines(c) {
                out.push_str(&format!("  {l}\n"));
            }
        }
    }
    out.push('\n');
    if d.people.is_empty() {
        out.push_str(&format!(
            "people whose annual result changes: none of {}\n",
            d.people_total
        ));
    } else {
        out.push_str(&format!(
            "people whose annual result changes: {} of {}\n",
            d.people.len(),
            d.people_total
        ));
        let (table, provisional) = people_table(d);
        out.push_str(&table);
        if provisional {
            out.push_str(
                "  * not final: a year-window value is provisional or a fact is missing\n",
            );
        }
    }
    out.push('\n');
    out.push_str("people per grade\n");
    out.push_str(&grade_table(d));
    out
}

/// One row per person whose result changes: `person,name,department,before,after,delta,grade_before,grade_after`.
pub fn csv(d: &Diff) -> String {
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record([
        "person",
        "name",
        "department",
        "before",
        "after",
        "delta",
        "grade_before",
        "grade_after",
    ]);
    for p in &d.people {
        let [before, after, delta] = figures(d, p);
        // Text cells are kept from running as formulas; the figures are numbers.
        let text = crate::report::text_cell;
        let _ = w.write_record([
            &*text(&p.person),
            &*text(&p.name),
            &*text(&p.department),
            &before,
            &after,
            &delta,
            &*text(&p.grade_before),
            &*text(&p.grade_after),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[derive(Serialize)]
struct JsonPerson<'a> {
    person: &'a str,
    name: &'a str,
    department: &'a str,
    before: String,
    after: String,
    delta: String,
    grade_before: &'a str,
    grade_after: &'a str,
    final_before: bool,
    final_after: bool,
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    old: &'a super::Revision,
    new: &'a super::Revision,
    rules: &'a [StructChange],
    people: Vec<JsonPerson<'a>>,
    people_total: usize,
    grades: &'a [GradeCount],
}

/// Everything, numbers as strings (so no reader turns them into floats).
pub fn json(d: &Diff) -> String {
    let doc = JsonDiff {
        old: &d.old,
        new: &d.new,
        rules: &d.rules,
        people: d
            .people
            .iter()
            .map(|p| {
                let [before, after, delta] = figures(d, p);
                JsonPerson {
                    person: &p.person,
                    name: &p.name,
                    department: &p.department,
                    before,
                    after,
                    delta,
                    grade_before: &p.grade_before,
                    grade_after: &p.grade_after,
                    final_before: p.final_before,
                    final_after: p.final_after,
                }
            })
            .collect(),
        people_total: d.people_total,
        grades: &d.grades,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
