//! The table form, for a terminal: one row per person, columns aligned by display width so
//! Chinese names line up.

use unicode_width::UnicodeWidthStr;

use super::{Period, grade_name, month_label, score};
use crate::check::Policy;
use crate::eval::Roster;
use crate::eval::outcome::Outcome;

pub fn table(policy: &Policy, roster: &Roster, outcome: &Outcome, period: Period) -> String {
    let places = policy.round_places;
    let (title, with_grade) = match period {
        Period::Month(m) => (month_label(outcome.year, m), false),
        _ => (outcome.year.to_string(), true),
    };
    let mut rows: Vec<Vec<String>> = vec![
        [
            "person",
            "name",
            "department",
            "total",
            "grade",
            "final",
            "flags",
        ]
        .iter()
        .filter(|h| with_grade || **h != "grade")
        .map(|h| (*h).to_string())
        .collect(),
    ];
    let mut notes = Vec::new();
    for p in &outcome.people {
        let Some(person) = roster.people.get(p.person) else {
            continue;
        };
        let dept = roster
            .departments
            .get(person.department)
            .cloned()
            .unwrap_or_default();
        let (total, is_final, flags) = match period {
            Period::Month(m) => match p.months.get(usize::from(m) - 1) {
                Some(r) => (r.published, r.is_final, r.flags.join("; ")),
                None => continue,
            },
            _ => (
                p.annual.published,
                p.annual.is_final,
                p.annual.flags.join("; "),
            ),
        };
        let mut row = vec![
            person.id.clone(),
            person.name.clone(),
            dept,
            score(total, places),
        ];
        if with_grade {
            row.push(grade_name(policy, p));
        }
        row.push(if is_final { "yes".into() } else { "no".into() });
        row.push(flags);
        rows.push(row);
        for m in &p.missing {
            notes.push(format!("{} {}: {m}", person.id, person.name));
        }
    }
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r[c].width()).max().unwrap_or(0))
        .collect();
    let numeric = |c: usize| rows[0][c] == "total";
    let mut out = format!("{} — {title}\n\n", policy.title);
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c].saturating_sub(cell.width());
            if c > 0 {
                line.push_str("  ");
            }
            if numeric(c) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if c + 1 < columns {
                    line.push_str(&" ".repeat(pad));
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if !notes.is_empty() {
        out.push_str("\nnot final, facts missing:\n");
        for n in notes {
            out.push_str(&format!("  {n}\n"));
        }
    }
    out
}
