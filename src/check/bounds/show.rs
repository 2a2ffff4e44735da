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
            End::Open(why) => {
                let n = self.number(why);
                crate::tr!(format!("unbounded [{n}]"), format!("无界 [{n}]"))
            }
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
    if card != Period::Year {
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
        crate::tr!(
            format!("{} (some people)", r.label),
            format!("{}（部分人员）", r.label)
        )
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
    if card != Period::Year {
        row.extend([String::new(), String::new()]);
    }
    row.push(notes.end(&r.lo));
    row.push(notes.end(&r.hi));
    row
}

/// The table `tally check --bounds` prints for a policy.
pub fn text(policy: &Policy, b: &Bounds) -> String {
    let mut notes = Notes::default();
    let mut out = heading(policy, b);
    out.push_str(&range_table(policy, b, &mut notes));
    out.push_str(crate::tr!("\ngrades\n", "\n等次\n"));
    out.push_str(&grades_text(b));
    out.push('\n');
    out.push_str(&overflow_line(&b.overflow, &mut notes));
    if !notes.0.is_empty() {
        out.push('\n');
        for (i, why) in notes.0.iter().enumerate() {
            out.push_str(&format!("[{}] {why}\n", i + 1));
        }
    }
    out
}

/// The line that says what the bounds are of: a month and the year, the year's card, or a
/// balance card's reading.
fn heading(policy: &Policy, b: &Bounds) -> String {
    match b.card {
        _ if b.balance => crate::tr!(
            format!(
                "bounds of \"{}\": what one person's balance card can read on any day (a month's snapshot, or the year's reading day)\n\n",
                policy.title
            ),
            format!(
                "“{}”的分值范围：一个人的积分卡在任何一天能显示的分（某月的快照，或年度统计日）\n\n",
                policy.title
            )
        ),
        Period::Quarter => crate::tr!(
            format!(
                "bounds of \"{}\": what one person can score in a quarter, and in the year (the four quarters added up)\n\n",
                policy.title
            ),
            format!(
                "“{}”的分值范围：一个人一个季度能得的分，和全年能得的分（四个季度相加）\n\n",
                policy.title
            )
        ),
        Period::Month => crate::tr!(
            format!(
                "bounds of \"{}\": what one person can score in a month, and in the year (the twelve months added up)\n\n",
                policy.title
            ),
            format!(
                "“{}”的分值范围：一个人一个月能得的分，和全年能得的分（十二个月相加）\n\n",
                policy.title
            )
        ),
        _ => crate::tr!(
            format!(
                "bounds of \"{}\": what one person can score on the year's card\n\n",
                policy.title
            ),
            format!(
                "“{}”的分值范围：一个人在年度考核卡上能得的分\n\n",
                policy.title
            )
        ),
    }
}

/// The table of every row's least and most, then the annual and the published result.
fn range_table(policy: &Policy, b: &Bounds, notes: &mut Notes) -> String {
    let card = b.card;
    let mut rows = head_rows(card);
    for s in &b.sections {
        rows.push(cells(
            notes,
            s.row.id.clone(),
            label(&s.row),
            &s.row.scores,
            card,
        ));
        for i in &s.items {
            rows.push(cells(
                notes,
                format!("  {}", i.id),
                label(i),
                &i.scores,
                card,
            ));
        }
    }
    for o in &b.outside {
        rows.push(cells(notes, o.id.clone(), label(o), &o.scores, card));
    }
    rows.push(cells(
        notes,
        crate::tr!("total", "总分").into(),
        String::new(),
        &b.total,
        card,
    ));
    if let Some(a) = &b.annual {
        rows.push(range_cells(
            notes,
            crate::tr!("annual", "年度"),
            policy.annual_text.clone(),
            a,
            card,
        ));
    }
    rows.push(range_cells(
        notes,
        crate::tr!("published", "发布"),
        format!(
            "round {} {}",
            policy.round_places,
            policy.rounding.keyword()
        ),
        &b.published,
        card,
    ));
    ledger_rows(b, notes, &mut rows);
    let right: Vec<bool> = (0..rows.first().map_or(0, Vec::len))
        .map(|c| c >= 2)
        .collect();
    crate::align::table(&rows, &right, "")
}

/// After a blank line, each ledger's derived values and its value on a card and over the year
/// (§30); nothing without ledgers.
fn ledger_rows(b: &Bounds, notes: &mut Notes, rows: &mut Vec<Vec<String>>) {
    if b.ledgers.is_empty() {
        return;
    }
    rows.push(Vec::new());
    for l in &b.ledgers {
        for d in &l.derived {
            rows.push(cells(notes, d.id.clone(), label(d), &d.scores, b.card));
        }
        let what = crate::tr!(
            format!("ledger ({})", l.unit),
            format!("分账（{}）", l.unit)
        );
        rows.push(cells(notes, l.id.clone(), what, &l.value, b.card));
    }
}

/// The table's head: least and most, under month and year on a policy with monthly cards.
fn head_rows(card: Period) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head = vec![String::new(), String::new()];
    if card != Period::Year {
        head.extend([
            if card == Period::Quarter {
                crate::tr!("quarter", "季度").into()
            } else {
                crate::tr!("month", "月").into()
            },
            String::new(),
            crate::tr!("year", "年").into(),
            String::new(),
        ]);
        rows.push(head);
        let (least, most) = (crate::tr!("least", "最低"), crate::tr!("most", "最高"));
        rows.push(vec![
            String::new(),
            String::new(),
            least.into(),
            most.into(),
            least.into(),
            most.into(),
        ]);
    } else {
        head.extend([
            crate::tr!("least", "最低").into(),
            crate::tr!("most", "最高").into(),
        ]);
        rows.push(head);
    }
    rows
}

/// Each grade with its threshold and how it can be given; who can be left out of the year.
fn grades_text(b: &Bounds) -> String {
    let mut out = String::new();
    let grade_rows: Vec<Vec<String>> = b
        .grades
        .iter()
        .map(|g| {
            vec![
                g.name.clone(),
                g.threshold.clone().unwrap_or_default(),
                if g.by.is_empty() {
                    crate::tr!("unreachable", "达不到").to_string()
                } else {
                    g.by.join(crate::tr!("; ", "；"))
                },
            ]
        })
        .collect();
    out.push_str(&crate::align::table(&grade_rows, &[], "  "));
    if !b.excluded.is_empty() {
        out.push_str(&crate::tr!(
            format!(
                "  (none: not evaluated, excluded by {})\n",
                b.excluded.join(", ")
            ),
            format!("  （无：不参加考核，因为 {}）\n", b.excluded.join("、"))
        ));
    }
    out
}

/// Whether scoring can overflow what tally computes exactly.
fn overflow_line(overflow: &Overflow, notes: &mut Notes) -> String {
    match overflow {
        Overflow::Impossible {
            largest,
            step,
            records,
        } => {
            let steps = if *step == 1 {
                crate::tr!("whole numbers", "都是整数").to_string()
            } else {
                crate::tr!(
                    format!("in steps of 1/{step}"),
                    format!("以 1/{step} 为单位")
                )
            };
            crate::tr!(
                format!(
                    "overflow: not possible; every value scoring computes lies within ±{} ({steps}), and exact sums of such values hold for more than 10^{records} records\n",
                    largest.display_places(0)
                ),
                format!(
                    "溢出：不可能；计分算出的每个值都在 ±{} 以内（{steps}），这样的值精确相加，超过 10^{records} 条记录也放得下\n",
                    largest.display_places(0)
                )
            )
        }
        Overflow::Possible(why) => {
            let n = notes.number(why);
            crate::tr!(
                format!("overflow: not ruled out [{n}]\n"),
                format!("溢出：不能排除 [{n}]\n")
            )
        }
    }
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

/// The bounds as one JSON object (numbers as exact decimals or fractions, in strings); a policy
/// with ledgers has `ledgers` too.
pub fn json(policy: &Policy, b: &Bounds) -> Value {
    let mut v = points_json(policy, b);
    if !b.ledgers.is_empty() {
        v["ledgers"] = b
            .ledgers
            .iter()
            .map(|l| {
                json!({
                    "id": l.id,
                    "unit": l.unit,
                    "derived": l.derived.iter().map(row_json).collect::<Vec<_>>(),
                    "month": l.value.month.as_ref().map(range_json),
                    "year": range_json(&l.value.year),
                })
            })
            .collect();
    }
    v
}

fn points_json(policy: &Policy, b: &Bounds) -> Value {
    json!({
        "policy": policy.title,
        "card": match b.card { _ if b.balance => "balance", Period::Month => "month", Period::Quarter => "quarter", _ => "year" },
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
