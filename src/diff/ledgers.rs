//! The people whose ledger values a revision changes (§30): per ledger of either revision, the
//! year's value (the sum of the cards, published) before and after, told as the points' changes
//! are: a table to read, columns of the CSV, and a list in the JSON.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Diff, PersonChange};
use crate::check::Policy;
use crate::eval::outcome::PersonResult;
use crate::exact::Exact;
use crate::report::score;
use crate::tr;

/// A ledger of either revision, by its id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LedgerName {
    pub id: String,
    pub unit: String,
}

/// The ledgers of the new revision, then those only the old one has.
pub fn names(old: &Policy, new: &Policy) -> Vec<LedgerName> {
    let mut out: Vec<LedgerName> = Vec::new();
    for l in new.ledgers.iter().chain(&old.ledgers) {
        if !out.iter().any(|x| x.id == l.id) {
            out.push(LedgerName {
                id: l.id.clone(),
                unit: l.unit.clone(),
            });
        }
    }
    out
}

/// Per ledger named: the person's year's value in the old revision and in the new one.
pub fn year_values(
    old: &Policy,
    before: &PersonResult,
    new: &Policy,
    after: &PersonResult,
    names: &[LedgerName],
) -> Vec<[Option<Decimal>; 2]> {
    if names.is_empty() {
        return Vec::new();
    }
    let values = |policy: &Policy, result: &PersonResult| {
        let year = crate::report::ledgers::year_values(policy, result);
        names
            .iter()
            .map(|n| {
                let at = policy.ledgers.iter().position(|l| l.id == n.id)?;
                year.get(at).copied().flatten()
            })
            .collect::<Vec<_>>()
    };
    let (b, a) = (values(old, before), values(new, after));
    b.into_iter().zip(a).map(|(x, y)| [x, y]).collect()
}

/// One person's change in one ledger: before, after, and the change (none when a side has no
/// value).
pub struct Moved<'d> {
    pub person: &'d PersonChange,
    pub before: Option<Decimal>,
    pub after: Option<Decimal>,
    pub delta: Option<Exact>,
}

/// The people whose value in ledger `l` changes, the largest change first (then roster order).
pub fn moved(d: &Diff, l: usize) -> Vec<Moved<'_>> {
    let mut out: Vec<Moved<'_>> = d
        .people
        .iter()
        .chain(&d.ledger_only)
        .filter_map(|p| {
            let [before, after] = *p.ledgers.get(l)?;
            if before == after {
                return None;
            }
            let delta = before
                .zip(after)
                .and_then(|(b, a)| Exact::from_decimal(a).checked_sub(Exact::from_decimal(b)));
            Some(Moved {
                person: p,
                before,
                after,
                delta,
            })
        })
        .collect();
    let size = |m: &Moved<'_>| m.delta.unwrap_or_default().abs();
    out.sort_by(|x, y| size(y).cmp(&size(x)).then(x.person.row.cmp(&y.person.row)));
    out
}

/// A change's figures: before and after, each with its revision's rounding, and the change with
/// the finer of the two (`+200.00`).
fn figures(d: &Diff, m: &Moved<'_>) -> [String; 3] {
    let shown = |v: Option<Decimal>, places: u32| v.map_or_else(String::new, |v| score(v, places));
    let delta = m.delta.map_or_else(String::new, |x| {
        let s = x.display_places(d.places_before.max(d.places_after));
        if x.is_positive() { format!("+{s}") } else { s }
    });
    [
        shown(m.before, d.places_before),
        shown(m.after, d.places_after),
        delta,
    ]
}

/// Per ledger, the people whose year's value changes, aligned as the points' table is.
pub fn tables(d: &Diff) -> String {
    let total = d.people_total;
    let mut out = String::new();
    for (l, name) in d.ledgers.iter().enumerate() {
        let moved = moved(d, l);
        let (id, unit, n) = (&name.id, &name.unit, moved.len());
        out.push('\n');
        if moved.is_empty() {
            out.push_str(&tr!(
                format!("people whose year's {id} ({unit}) changes: none of {total}\n"),
                format!("全年 {id}（{unit}）改变的人员：{total} 人中无\n")
            ));
            continue;
        }
        out.push_str(&tr!(
            format!("people whose year's {id} ({unit}) changes: {n} of {total}\n"),
            format!("全年 {id}（{unit}）改变的人员：{total} 人中有 {n} 人\n")
        ));
        let header = tr!(
            ["person", "name", "department", "before", "after", "delta"],
            ["人员编号", "姓名", "部门", "修改前", "修改后", "变化"]
        );
        let mut rows = vec![header.map(str::to_string).to_vec()];
        for m in &moved {
            let [before, after, delta] = figures(d, m);
            let p = m.person;
            rows.push(vec![
                p.person.clone(),
                p.name.clone(),
                p.department.clone(),
                before,
                after,
                delta,
            ]);
        }
        out.push_str(&crate::align::table(
            &rows,
            &[false, false, false, true, true, true],
            "  ",
        ));
    }
    out
}

/// The CSV's columns for the ledgers: `money_before,money_after,money_delta` for each.
pub fn csv_header(d: &Diff) -> Vec<String> {
    d.ledgers
        .iter()
        .flat_map(|l| ["before", "after", "delta"].map(|w| format!("{}_{w}", l.id)))
        .collect()
}

/// A person's cells under [`csv_header`]'s columns.
pub fn csv_cells(d: &Diff, p: &PersonChange) -> Vec<String> {
    let mut out = Vec::new();
    for [before, after] in p.ledgers.iter().copied() {
        let m = Moved {
            person: p,
            before,
            after,
            delta: before
                .zip(after)
                .and_then(|(b, a)| Exact::from_decimal(a).checked_sub(Exact::from_decimal(b))),
        };
        let [b, a, delta] = figures(d, &m);
        out.extend([b, a, delta.trim_start_matches('+').to_string()]);
    }
    out
}

/// One ledger's changes in the JSON.
#[derive(Serialize)]
pub struct JsonLedger<'a> {
    id: &'a str,
    unit: &'a str,
    people: Vec<JsonMoved<'a>>,
}

#[derive(Serialize)]
struct JsonMoved<'a> {
    person: &'a str,
    name: &'a str,
    department: &'a str,
    before: String,
    after: String,
    delta: String,
}

/// Per ledger, the people whose year's value changes.
pub fn json(d: &Diff) -> Vec<JsonLedger<'_>> {
    d.ledgers
        .iter()
        .enumerate()
        .map(|(l, name)| JsonLedger {
            id: &name.id,
            unit: &name.unit,
            people: moved(d, l)
                .iter()
                .map(|m| {
                    let [before, after, delta] = figures(d, m);
                    JsonMoved {
                        person: &m.person.person,
                        name: &m.person.name,
                        department: &m.person.department,
                        before,
                        after,
                        delta: delta.trim_start_matches('+').to_string(),
                    }
                })
                .collect(),
        })
        .collect()
}
