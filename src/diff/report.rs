//! The forms of a diff: a table for people to read, CSV of the people whose result changes (for a
//! spreadsheet), and JSON with everything.

use serde::Serialize;

use super::{Change, Diff, GradeCount, PersonChange, StructChange, Subject};
use crate::lang::Lang;
use crate::report::score;
use crate::tr;

/// A structural change as lines: a heading, then what it read before and after.
fn change_lines(c: &StructChange) -> Vec<String> {
    let before = c.before.as_deref().unwrap_or("");
    let after = c.after.as_deref().unwrap_or("");
    let what = subject_name(c);
    let one_line = matches!(
        c.subject,
        Subject::Budget
            | Subject::Applies
            | Subject::Grade
            | Subject::Cap
            | Subject::Once
            | Subject::Rank
            | Subject::Header
            | Subject::Ledger
    );
    if one_line {
        let line = match c.change {
            Change::Added => tr!(
                format!("{what} added: {after}"),
                format!("新增{what}：{after}")
            ),
            Change::Removed => tr!(
                format!("{what} removed: {before}"),
                format!("删去{what}：{before}")
            ),
            _ => tr!(
                format!("{what}: {before} → {after}"),
                format!("{what}：{before} → {after}")
            ),
        };
        return vec![line];
    }
    let mut lines = vec![heading(c, &what)];
    if c.before.is_some() && c.change != Change::Moved {
        lines.push(tr!(
            format!("    before  {before}"),
            format!("    原为  {before}")
        ));
    }
    if c.after.is_some() {
        lines.push(tr!(
            format!("    after   {after}"),
            format!("    现为  {after}")
        ));
    }
    lines
}

/// What a ledger's change is about: the ledger, a value derived in one, a section booked in one.
fn ledger_name(key: &str) -> String {
    if let Some(d) = key.strip_prefix("derive ") {
        tr!(format!("derived value `{d}`"), format!("派生值 `{d}`"))
    } else if let Some(s) = key.strip_prefix("section ") {
        tr!(
            format!("ledger of section `{s}`"),
            format!("板块 `{s}` 的分账")
        )
    } else {
        tr!(format!("ledger `{key}`"), format!("分账 `{key}`"))
    }
}

/// What a structural change is about: `[2.1]`, `budget of 1.2`, `grade 优秀`, …
fn subject_name(c: &StructChange) -> String {
    let (key, place) = (&c.key, &c.place);
    match c.subject {
        Subject::Rule if c.key.is_empty() => tr!("(no clause)", "（无条款号）").to_string(),
        Subject::Rule => format!("[{key}]"),
        Subject::Budget => tr!(format!("budget of {place}"), format!("{place} 的分值")),
        Subject::Applies => tr!(format!("who has {place}"), format!("{place} 的适用人员")),
        Subject::Grade => tr!(format!("grade {key}"), format!("等次 {key}")),
        Subject::Record => tr!(format!("record kind `{key}`"), format!("记录类型 `{key}`")),
        Subject::Cap => tr!(format!("cap `{key}`"), format!("封顶 `{key}`")),
        Subject::Once => tr!(format!("group `{key}`"), format!("不重复计分组 `{key}`")),
        Subject::Rank => tr!(format!("rank `{key}`"), format!("排名 `{key}`")),
        Subject::Roster => tr!(
            format!("roster column `{key}`"),
            format!("花名册列 `{key}`")
        ),
        Subject::Header => c.key.clone(),
        Subject::Ledger => ledger_name(key),
    }
}

/// The heading of a change told in several lines: what changed, and where.
fn heading(c: &StructChange, what: &str) -> String {
    let amounts = || {
        c.amounts
            .iter()
            .map(|a| format!("{} → {}", a.before, a.after))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let place = match (c.place.is_empty(), crate::lang::current()) {
        (true, _) => String::new(),
        (false, Lang::En) => format!(" in {}", c.place),
        (false, Lang::Zh) => format!("（{}）", c.place),
    };
    match c.change {
        Change::Added => tr!(
            format!("{what} added{place}"),
            format!("新增 {what}{place}")
        ),
        Change::Removed => tr!(
            format!("{what} removed{place}"),
            format!("删去 {what}{place}")
        ),
        Change::Amounts => {
            let amounts = amounts();
            tr!(
                format!("{what} amounts changed{place}: {amounts}"),
                format!("{what} 分值改变{place}：{amounts}")
            )
        }
        Change::Moved => {
            let from = c.moved_from.as_deref().unwrap_or("?");
            let to = &c.place;
            tr!(
                format!("{what} moved from {from} to {to}"),
                format!("{what} 从 {from} 移到 {to}")
            )
        }
        Change::Changed => tr!(
            format!("{what} changed{place}"),
            format!("{what} 改变{place}")
        ),
    }
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
    let header = tr!(
        [
            "person",
            "name",
            "department",
            "before",
            "after",
            "delta",
            "grade"
        ],
        [
            "人员编号",
            "姓名",
            "部门",
            "修改前",
            "修改后",
            "变化",
            "等次"
        ]
    );
    let mut rows = vec![header.map(str::to_string).to_vec()];
    // A column of flags when somebody's change is in them (a flag raised or dropped, another
    // reason for an exclusion).
    let flags = d.people.iter().any(|p| p.flags_before != p.flags_after);
    if flags {
        rows[0].push(tr!("flags", "备注").to_string());
    }
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
        if flags {
            let shown = |f: &str| {
                if f.is_empty() {
                    "-".to_string()
                } else {
                    f.to_string()
                }
            };
            let cell = if p.flags_before == p.flags_after {
                p.flags_after.clone()
            } else {
                format!("{} → {}", shown(&p.flags_before), shown(&p.flags_after))
            };
            if let Some(row) = rows.last_mut() {
                row.push(cell);
            }
        }
    }
    let right: &[bool] = if flags {
        &[false, false, false, true, true, true, false, false]
    } else {
        &[false, false, false, true, true, true, false]
    };
    let table = crate::align::table(&rows, right, "  ");
    (table, provisional)
}

/// How many people each grade holds before and after, aligned.
fn grade_table(d: &Diff) -> String {
    let header = tr!(
        ["grade", "before", "after", "change"],
        ["等次", "修改前", "修改后", "变化"]
    );
    let mut rows = vec![header.map(str::to_string).to_vec()];
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
        let was = &d.old.title;
        out.push_str(&tr!(
            format!("  (was: {was})\n"),
            format!("  （原为：{was}）\n")
        ));
    }
    out.push('\n');
    let n = d.rules.len();
    if d.rules.is_empty() {
        out.push_str(tr!("rules that differ: none\n", "改变的规则：无\n"));
    } else {
        out.push_str(&tr!(
            format!("rules that differ: {n}\n"),
            format!("改变的规则：{n} 处\n")
        ));
        for c in &d.rules {
            for l in change_lines(c) {
                out.push_str(&format!("  {l}\n"));
            }
        }
    }
    out.push('\n');
    let (n, total) = (d.people.len(), d.people_total);
    if d.people.is_empty() {
        out.push_str(&tr!(
            format!("people whose annual result changes: none of {total}\n"),
            format!("年度结果改变的人员：{total} 人中无\n")
        ));
    } else {
        out.push_str(&tr!(
            format!("people whose annual result changes: {n} of {total}\n"),
            format!("年度结果改变的人员：{total} 人中有 {n} 人\n")
        ));
        let (table, provisional) = people_table(d);
        out.push_str(&table);
        if provisional {
            out.push_str(tr!(
                "  * not final: a year-window value is provisional or a fact is missing\n",
                "  * 未最终确定：全年数据尚未完整，或缺少事实\n"
            ));
        }
    }
    out.push_str(&super::ledgers::tables(d));
    out.push('\n');
    out.push_str(tr!("people per grade\n", "各等次人数\n"));
    out.push_str(&grade_table(d));
    out
}

/// One row per person whose result changes: `person,name,department,before,after,delta,grade_before,grade_after,flags_before,flags_after`,
/// then per ledger `ID_before,ID_after,ID_delta` (§30); the people whose ledger values alone
/// change follow.
pub fn csv(d: &Diff) -> String {
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header: Vec<String> = [
        "person",
        "name",
        "department",
        "before",
        "after",
        "delta",
        "grade_before",
        "grade_after",
        "flags_before",
        "flags_after",
    ]
    .map(str::to_string)
    .to_vec();
    header.extend(super::ledgers::csv_header(d));
    let _ = w.write_record(&header);
    for p in d.people.iter().chain(&d.ledger_only) {
        let [before, after, delta] = figures(d, p);
        // Text cells are kept from running as formulas; the figures are numbers.
        let text = crate::report::text_cell;
        let mut row: Vec<String> = vec![
            text(&p.person).into(),
            text(&p.name).into(),
            text(&p.department).into(),
            before,
            after,
            delta,
            text(&p.grade_before).into(),
            text(&p.grade_after).into(),
            text(&p.flags_before).into(),
            text(&p.flags_after).into(),
        ];
        row.extend(super::ledgers::csv_cells(d, p));
        let _ = w.write_record(&row);
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
    flags_before: &'a str,
    flags_after: &'a str,
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    old: &'a super::Revision,
    new: &'a super::Revision,
    rules: &'a [StructChange],
    people: Vec<JsonPerson<'a>>,
    people_total: usize,
    grades: &'a [GradeCount],
    /// Per ledger (§30), the people whose year's value changes; absent without ledgers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ledgers: Vec<super::ledgers::JsonLedger<'a>>,
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
                    flags_before: &p.flags_before,
                    flags_after: &p.flags_after,
                }
            })
            .collect(),
        people_total: d.people_total,
        grades: &d.grades,
        ledgers: super::ledgers::json(d),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
