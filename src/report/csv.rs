//! The CSV form: exactly `person,name,period,total,grade,final,flags`, as PRODUCT.md fixes it.

use super::{Period, score};
use crate::check::Policy;
use crate::eval::Roster;
use crate::eval::outcome::Outcome;

pub fn csv(policy: &Policy, roster: &Roster, outcome: &Outcome, period: Period) -> String {
    // Written straight into one buffer, row by row: a district's results are over a million rows.
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let places = policy.round_places;
    let months: Vec<String> = (1..=12)
        .map(|m| super::month_label(outcome.year, m))
        .collect();
    let year = outcome.year.to_string();
    let mut flags = String::new();
    // Writing to a Vec cannot fail; an error here would be a bug in the csv crate.
    let _ = w.write_record([
        "person", "name", "period", "total", "grade", "final", "flags",
    ]);
    for p in &outcome.people {
        let Some(person) = roster.people.get(p.person) else {
            continue;
        };
        for m in p.months.iter().filter(|m| period.shows_month(m.month)) {
            let label = months
                .get(usize::from(m.month).saturating_sub(1))
                .map_or("", String::as_str);
            join_into(&mut flags, &m.flags);
            let _ = w.write_record([
                person.id.as_str(),
                person.name.as_str(),
                label,
                score(m.published, places).as_str(),
                "",
                if m.is_final { "true" } else { "false" },
                flags.as_str(),
            ]);
        }
        if period.shows_year() {
            let grade = policy
                .grades
                .get(p.annual.grade)
                .map_or("", |g| g.name.as_str());
            join_into(&mut flags, &p.annual.flags);
            let _ = w.write_record([
                person.id.as_str(),
                person.name.as_str(),
                year.as_str(),
                score(p.annual.published, places).as_str(),
                grade,
                if p.annual.is_final { "true" } else { "false" },
                flags.as_str(),
            ]);
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn join_into(out: &mut String, flags: &[String]) {
    out.clear();
    for (i, f) in flags.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(f);
    }
}
