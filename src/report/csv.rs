//! The CSV form: exactly `person,name,period,total,grade,final,flags`, as PRODUCT.md fixes it.

use super::{Period, grade_name, month_label, score};
use crate::check::Policy;
use crate::eval::Roster;
use crate::eval::outcome::Outcome;

pub fn csv(policy: &Policy, roster: &Roster, outcome: &Outcome, period: Period) -> String {
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let places = policy.round_places;
    let mut rows: Vec<[String; 7]> = Vec::new();
    for p in &outcome.people {
        let Some(person) = roster.people.get(p.person) else {
            continue;
        };
        for m in p.months.iter().filter(|m| period.shows_month(m.month)) {
            rows.push([
                person.id.clone(),
                person.name.clone(),
                month_label(outcome.year, m.month),
                score(m.published, places),
                String::new(),
                m.is_final.to_string(),
                m.flags.join(";"),
            ]);
        }
        if period.shows_year() {
            rows.push([
                person.id.clone(),
                person.name.clone(),
                outcome.year.to_string(),
                score(p.annual.published, places),
                grade_name(policy, p),
                p.annual.is_final.to_string(),
                p.annual.flags.join(";"),
            ]);
        }
    }
    let header = [
        "person", "name", "period", "total", "grade", "final", "flags",
    ];
    // Writing to a Vec cannot fail; an error here would be a bug in the csv crate.
    let _ = w.write_record(header);
    for row in &rows {
        let _ = w.write_record(row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
