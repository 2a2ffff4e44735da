//! The bounds as a table for people and as JSON for programs.

use serde_json::{Value, json};

use super::{Bounds, End, Overflow, Range, Row, Scores};
use crate::check::model::Policy;
use crate::ops::Period;

/// Footnotes: each reason a side is unbounded, numbered once.
#[derive(Default)]
struct Notes(Vec<String>);

impl Notes {
    fn end(&mut self, e: &End) -> String {
        match e {
            End::At(x) => x.display_places(0),
            End::Open(why) => format!("unbounded [{}]", self.number(why)),
        }
    }

    fn number(&mut self, why: &str) -> usize {
        match self.0.iter().position(|w| w == why) {
            Some(i) => i + 1,
            None => {
                self.0.push(why.to_string());
                self.0.len()
            }
        }
    }
}

/// A row's cells: name, label, then least and most (for the month, then the year).
fn cells(notes: &mut Notes, name: String, label: String, s: &Scores, card: Period) -> Vec<String> {
    let mut row = vec![name, label];
    if card == Period::Month {
        match &s.month {
            Some(m) => {
                row.push(notes.end(&m.lo));
                row.push(notes.end(&m.hi));
            }
            None => row.extend(["-".to_string(), "-".to_string()]),
        }
    }
    row.push(notes.end(&s.year.lo));
    row.push(notes.end(&s.year.hi));
    row
}

fn label(r: &Row) -> String {
    if r.everybody {
        r.label.clone()
    } else {
        format!("{} (some people)", r.label)
    }
}

fn range_cells(
    notes: &mut Notes,
    name: &str,
    label: String,
    r: &Range,
    card: Period,
) -> Vec<String> {
    let mut row = vec![name.to_string(), label];
    if card == Period::Month {
        row.extend([String::new(), String::new()]);
    }
    row.push(notes.end(&r.lo));
    row.push(notes.end(&r.hi));
    row
}

/// The table `tally check --bounds` prints for a policy.
pub fn text(policy: &Policy, b: &Bounds) -> String {
    let mut notes = Notes::default();
    let card = b.card;
    let mut out = String::new();
    match card {
        _ if b.balance => out.push_str(&format!(
            "bounds of \"{}\": what one person's balance card can read on any day (a month's snapshot, or the year's reading day)\n\n",
            policy.title
        )),
        Period::Month => out.push_str(&format!(
            "bounds of \"{}\": what one person can score in a month, and in the year (the twelve months added up)\n\n",
            policy.title
        )),
        _ => out.push_str(&format!(
            "bounds of \"{}\": what one person can score on the year's card\n\n",
            policy.title
        )),
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head = vec![String::new(), String::new()];
    if card == Period::Month {
        head.extend(["month".into(), String::new(), "year".into(), String::new()]);
        rows.push(head);
        rows.push(vec![
            String::new(),
            String::new(),
            "least".into(),
            "most".into(),
            "least".into(),
            "most".into(),
        ]);
    } else {
        head.extend(["least".into(), "most".into()]);
        rows.push(head);
    }
    for s in &b.sections {
        rows.push(cells(
            &mut notes,
            s.row.id.clone(),
            label(&s.row),
            &s.row.scores,
            card,
        ));
        for i in &s.items {
            rows.push(cells(
                &mut notes,
                format!("  {}", i.id),
                label(i),
                &i.scores,
                card,
            ));
        }
    }
    for o in &b.outside {
        rows.push(cells(&mut notes, o.id.clone(), label(o), &o.scores, card));
    }
    rows.push(cells(
        &mut notes,
        "total".into(),
        String::new(),
        &b.total,
        card,
    ));
    if let Some(a) = &b.annual {
        rows.push(range_cells(
            &mut notes,
            "annual",
            policy.annual_text.clone(),
            a,
            card,
        ));
    }
    rows.push(range_cells(
        &mut notes,
        "published",
        format!(
            "round {} {}",
            policy.round_places,
            policy.rounding.keyword()
        ),
        &b.published,
        card,
    ));
    let right: Vec<bool> = (0..rows.first().map_or(0, Vec::len))
        .map(|c| c >= 2)
        .collect();
    out.push_str(&crate::align::table(&rows, &right, ""));
    out.push_str("\ngrades\n");
    let grade_rows: Vec<Vec<String>> = b
        .grades
        .iter()
        .map(|g| {
            vec![
                g.name.clone(),
                g.threshold.clone().unwrap_or_default(),
                if g.by.is_empty() {
                    "unreachable".to_string()
                } else {
                    g.by.join("; ")
                },
            ]
        })
        .collect();
    out.push_str(&crate::align::table(&grade_rows, &[], "  "));
    if !b.excluded.is_empty() {
        out.push_str(&format!(
            "  (none: not evaluated, excluded by {})\n",
            b.excluded.join(", ")
        ));
    }
    out.push('\n');
    match &b.overflow {
        Overflow::Impossible {
            largest,
            step,
            records,
        } => {
            let steps = if *step == 1 {
                "whole numbers".to_string()
            } else {
                format!("in steps of 1/{step}")
            };
            out.push_str(&format!(
                "overflow: not possible; every value scoring computes lies within ±{} ({steps}), and exact sums of such values hold for more than 10^{records} records\n",
                largest.display_places(0)
            ));
        }
        Overflow::Possible(why) => {
            let n = notes.number(why);
            out.push_str(&format!("overflow: not ruled out [{n}]\n"));
        }
    }
    if !notes.0.is_empty() {
        out.push('\n');
        for (i, why) in notes.0.iter().enumerate() {
            out.push_str(&format!("[{}] {why}\n", i + 1));
        }
    }
    out
}

fn end_json(e: &End) -> Value {
    match e {
        End::At(x) => json!(x.plain()),
        End::Open(why) => json!({ "unbounded": why }),
    }
}

fn range_json(r: &Range) -> Value {
    json!({ "least": end_json(&r.lo), "most": end_json(&r.hi) })
}

fn scores_json(s: &Scores) -> Value {
    json!({
        "month": s.month.as_ref().map(range_json),
        "year": range_json(&s.year),
    })
}

fn row_json(r: &Row) -> Value {
    json!({
        "id": r.id,
        "label": r.label,
        "everybody": r.everybody,
        "month": r.scores.month.as_ref().map(range_json),
        "year": range_json(&r.scores.year),
    })
}

/// The bounds as one JSON object (numbers as exact decimals or fractions, in strings).
pub fn json(policy: &Policy, b: &Bounds) -> Value {
    json!({
        "policy": policy.title,
        "card": match b.card { _ if b.balance => "balance", Period::Month => "month", _ => "year" },
        "sections": b.sections.iter().map(|s| {
            let mut v = row_json(&s.row);
            v["items"] = s.items.iter().map(row_json).collect();
            v
        }).collect::<Vec<_>>(),
        "outside": b.outside.iter().map(row_json).collect::<Vec<_>>(),
        "total": scores_json(&b.total),
        "annual": b.annual.as_ref().map(range_json),
        "published": range_json(&b.published),
        "excluded_by": b.excluded,
        "grades": b.grades.iter().map(|g| json!({
            "name": g.name,
            "threshold": g.threshold,
            "reachable": !g.by.is_empty(),
            "by": g.by,
        })).collect::<Vec<_>>(),
        "overflow": match &b.overflow {
            Overflow::Impossible { largest, step, records } => json!({
                "possible": false,
                "largest": largest.plain(),
                "step": format!("1/{step}"),
                "records": format!("10^{records}"),
            }),
            Overflow::Possible(why) => json!({ "possible": true, "why": why }),
        },
    })
}
