//! The table form, for a terminal: one row per person, columns aligned by display width so
//! Chinese names line up.

use super::{Period, grade_name, period_label, score};
use crate::check::Policy;
use crate::eval::Roster;
use crate::eval::outcome::{Outcome, PersonResult};

pub fn table(policy: &Policy, roster: &Roster, outcome: &Outcome, period: Period) -> String {
    let (title, with_grade) = match period {
        Period::Month(m) => (period_label(policy, m), false),
        _ => (outcome.year.to_string(), true),
    };
    let header = crate::tr!(
        [
            "person",
            "name",
            "department",
            "total",
            "grade",
            "final",
            "flags"
        ],
        ["人员编号", "姓名", "部门", "得分", "等次", "最终", "备注"]
    );
    // The total is right-aligned; the grade is shown for the year only.
    const TOTAL: usize = 3;
    const GRADE: usize = 4;
    let mut rows: Vec<Vec<String>> = vec![
        header
            .iter()
            .enumerate()
            .filter(|(i, _)| with_grade || *i != GRADE)
            .map(|(_, h)| (*h).to_string())
            .collect(),
    ];
    // A column per ledger after the total (§30).
    let n_ledgers = policy.ledgers.len();
    if let Some(h) = rows.first_mut() {
        let ids = policy.ledgers.iter().map(|l| l.id.clone());
        h.splice(TOTAL + 1..TOTAL + 1, ids);
    }
    let mut notes = Vec::new();
    for p in &outcome.people {
        if let Some((row, missing)) = person_row(policy, roster, p, period, with_grade) {
            rows.push(row);
            notes.extend(missing);
        }
    }
    let numeric: Vec<bool> = (0..rows.first().map_or(0, Vec::len))
        .map(|i| (TOTAL..=TOTAL + n_ledgers).contains(&i))
        .collect();
    let mut out = format!("{} — {title}\n\n", policy.title);
    out.push_str(&crate::align::table(&rows, &numeric, ""));
    if !notes.is_empty() {
        out.push_str(crate::tr!(
            "\nnot final, facts missing:\n",
            "\n未最终确定，缺少事实：\n"
        ));
        for n in notes {
            out.push_str(&format!("  {n}\n"));
        }
    }
    out
}

/// A person's row, and a note for each fact missing; `None` when the person or the month is not
/// there.
fn person_row(
    policy: &Policy,
    roster: &Roster,
    p: &PersonResult,
    period: Period,
    with_grade: bool,
) -> Option<(Vec<String>, Vec<String>)> {
    let places = policy.round_places;
    let person = roster.people.get(p.person)?;
    let dept = roster
        .departments
        .get(person.department)
        .cloned()
        .unwrap_or_default();
    let (total, is_final, flags) = match period {
        Period::Month(m) => match p.months.get(usize::from(m) - 1) {
            Some(r) => (r.published, r.is_final, r.flags.join("; ")),
            None => return None,
        },
        _ => (
            p.annual.published,
            p.annual.is_final,
            p.annual.flags.join("; "),
        ),
    };
    let shown = match period {
        Period::Month(_) => score(total, places),
        _ => super::annual_total(p, places),
    };
    let mut row = vec![person.id.clone(), person.name.clone(), dept, shown];
    row.extend(match period {
        Period::Month(m) => p
            .months
            .get(usize::from(m) - 1)
            .map(|card| super::ledgers::card_cells(policy, card))
            .unwrap_or_default(),
        _ => super::ledgers::year_cells(policy, p),
    });
    if with_grade {
        row.push(grade_name(policy, p));
    }
    row.push(
        crate::tr!(
            if is_final { "yes" } else { "no" },
            if is_final { "是" } else { "否" }
        )
        .into(),
    );
    row.push(flags);
    let notes = p
        .missing
        .iter()
        .map(|m| format!("{} {}: {m}", person.id, person.name))
        .collect();
    Some((row, notes))
}
