//! One record row: its cells checked against its kind, its subject found.

use super::*;

pub(super) enum Row {
    /// Kind, year, month, day, subject.
    Record(usize, i32, u8, u8, Subject),
    Invalid,
    NotUtf8,
}

/// Where a row is, and the person its `person` cell names if that was looked up ahead.
#[derive(Clone, Copy)]
pub(super) struct RowAt {
    pub(super) line: usize,
    pub(super) person: Option<usize>,
}

/// A row's cells: known to be UTF-8 as a whole, or still to be checked cell by cell.
#[derive(Clone, Copy)]
pub(super) enum Cells<'a> {
    Text(&'a csv::StringRecord),
    Bytes(&'a csv::ByteRecord),
}

impl<'a> Cells<'a> {
    /// The cell at `at`, trimmed (empty past the end of the row); `Err` when it is not UTF-8.
    pub(super) fn text(self, at: usize) -> Result<&'a str, ()> {
        match self {
            Cells::Text(row) => Ok(row.get(at).unwrap_or("").trim()),
            Cells::Bytes(row) => cell_text(row.get(at).unwrap_or(b"")),
        }
    }

    pub(super) fn bytes(self) -> &'a csv::ByteRecord {
        match self {
            Cells::Text(row) => row.as_byte_record(),
            Cells::Bytes(row) => row,
        }
    }
}

/// Validates one row. Problems are pushed to `errors`; the kind's fields are appended to `values`.
// Long on purpose: this runs once per record (ten million in a district's year), its cells read
// in one pass, and its many problem branches are cold; split it only with the benchmark measured
// before and after.
pub(super) fn read_row(
    voc: &Vocabulary<'_>,
    layout: &Layout,
    row: Cells<'_>,
    file: &str,
    at: RowAt,
    values: &mut Vec<Value>,
    errors: &mut Problems,
) -> Row {
    let line = at.line;
    let cell = |at: usize| row.text(at);
    let row = row.bytes();
    let err = |code: Code, column: usize, message: String| {
        Diag::in_file(code, file, Some(line), message)
            .column(&layout.names[column])
            .at_cell(column)
    };
    if row.len() > layout.names.len() {
        errors.push(too_many_cells(file, line, row, layout.names.len()));
        return Row::Invalid;
    }
    // Every cell that is read is checked for UTF-8 as it is read; only `note` is never read.
    let mut ok = true;

    // kind
    let Ok(kind_text) = cell(layout.kind) else {
        return Row::NotUtf8;
    };
    let kind = match voc.kinds.get(kind_text) {
        Some(&k) => Some(k),
        None => {
            let (code, message) = if kind_text.is_empty() {
                (
                    Code::MissingValue,
                    crate::tr!("the record kind is missing", "没写记录类型").to_string(),
                )
            } else {
                (
                    Code::UnknownKind,
                    crate::tr!(
                        format!("unknown record kind `{kind_text}`"),
                        format!("没有 `{kind_text}` 这个记录类型")
                    ),
                )
            };
            let candidates = voc
                .policy
                .kinds
                .iter()
                .flat_map(|k| [k.id.as_str(), k.label.as_str()]);
            errors.push(err(code, layout.kind, message).help_cut(
                did_you_mean(kind_text, candidates).or_else(|| {
                    Some(
                        crate::tr!(
                            "write a kind's id (like `late`) or its label as the policy declares it",
                            "照政策文件的写法，写记录类型的名称（比如 `late`）或它的中文名"
                        )
                        .into(),
                    )
                }),
            ));
            None
        }
    };

    // date
    let Ok(date_text) = cell(layout.date) else {
        return Row::NotUtf8;
    };
    let mut when = None;
    match crate::date::Date::parse(date_text).map(|d| (d.year, d.month, d.day)) {
        None => {
            ok = false;
            let (code, message) = if date_text.is_empty() {
                (
                    Code::MissingValue,
                    crate::tr!("the date is missing", "没写日期").to_string(),
                )
            } else {
                (
                    Code::BadDate,
                    crate::tr!(
                        format!("`{date_text}` is not a date"),
                        format!("`{date_text}` 不是日期")
                    ),
                )
            };
            let year = voc.policy.year;
            errors.push(err(code, layout.date, message).help_cut(Some(crate::tr!(
                format!("write dates like `{year}-03-02`"),
                format!("日期写成 `{year}-03-02` 这样")
            ))));
        }
        // A balance card reads the entries of earlier years still valid on its reading day, and
        // a yearly card that carries its earlier years' uncorrected faults (§31).
        Some((year, month, day)) if year < voc.policy.year && voc.earlier => {
            when = Some((year, month, day));
        }
        Some((year, month, day)) if year != voc.policy.year => {
            ok = false;
            errors.push(
                err(
                    Code::OutsideYear,
                    layout.date,
                    crate::tr!(
                        format!(
                            "{date_text} is outside the policy's year {}",
                            voc.policy.year
                        ),
                        format!("{date_text} 不在政策文件的年度 {} 年内", voc.policy.year)
                    ),
                )
                .help_cut(Some(crate::tr!(
                    format!(
                        "this policy scores {}; records of {year} belong to another year's policy",
                        voc.policy.year
                    ),
                    format!(
                        "这个政策文件考核 {} 年；{year} 年的记录归那一年的政策文件",
                        voc.policy.year
                    )
                ))),
            );
            let _ = (month, day);
        }
        Some((year, month, day)) => when = Some((year, month, day)),
    }

    let Some(kind_id) = kind else {
        return Row::Invalid;
    };
    let kind = &voc.policy.kinds[kind_id];

    // subject
    let person_text = match layout.person.map(cell) {
        Some(Err(())) => return Row::NotUtf8,
        Some(Ok(t)) => t,
        None => "",
    };
    let dept_text = match layout.department.map(cell) {
        Some(Err(())) => return Row::NotUtf8,
        Some(Ok(t)) => t,
        None => "",
    };
    let before = errors.list.len();
    let subject = subject(
        voc,
        layout,
        kind,
        (person_text, at.person),
        dept_text,
        file,
        line,
        errors,
    );
    ok &= subject.is_some();
    if let Some((year, ..)) = when.filter(|w| w.0 < voc.policy.year) {
        left_the_roster(errors, before, year, person_text);
    }

    // fields
    for (field, col) in kind.fields.iter().zip(&layout.fields[kind_id]) {
        let text = match col.map(cell) {
            Some(Err(())) => return Row::NotUtf8,
            Some(Ok(t)) => t,
            None => "",
        };
        if text.is_empty() {
            if field.optional {
                values.push(Value::Missing);
            } else {
                ok = false;
                let e = match col {
                    Some(c) => err(
                        Code::MissingValue,
                        *c,
                        crate::tr!(
                            format!("`{}` records need a value for `{}`", kind.id, field.name),
                            format!("`{}` 记录要填 `{}`", kind.id, field.name)
                        ),
                    ),
                    None => Diag::in_file(
                        Code::MissingColumn,
                        file,
                        Some(line),
                        crate::tr!(
                            format!(
                                "`{}` records need a value for `{}`, but this file has no `{}` column",
                                kind.id, field.name, field.name
                            ),
                            format!(
                                "`{}` 记录要填 `{}`，但这个文件没有 `{}` 列",
                                kind.id, field.name, field.name
                            )
                        ),
                    ),
                };
                errors.push(e);
            }
            continue;
        }
        if field.ty == ValueType::Person {
            // A person field names somebody on the roster, by id, as the `person` column does.
            match voc.people.get(&IdKey::new(text)) {
                Some(p) => values.push(Value::Person(p)),
                None => {
                    ok = false;
                    if let Some(c) = col {
                        let help = voc
                            .roster
                            .unknown_person_help(
                                text,
                                &crate::tr!(
                                    format!("`{}` takes the id:", field.name),
                                    format!("`{}` 填人员编号：", field.name)
                                ),
                            )
                            .or_else(|| Some(in_roster().into()));
                        errors.push(
                            err(Code::UnknownPerson, *c, unknown_person(text)).help_cut(help),
                        );
                    }
                }
            }
            continue;
        }
        match parse_value(text, &field.ty) {
            Ok(v) => values.push(v),
            Err((code, message, help)) => {
                ok = false;
                if let Some(c) = col {
                    errors.push(err(code, *c, message).help_cut(help));
                }
            }
        }
    }
    for &c in &layout.foreign[kind_id] {
        match cell(c) {
            Err(()) => return Row::NotUtf8,
            Ok("") => {}
            Ok(text) => {
                ok = false;
                let has = if kind.fields.is_empty() {
                    crate::tr!(
                        format!("`{}` records have no fields", kind.id),
                        format!("`{}` 记录没有字段", kind.id)
                    )
                } else {
                    let names: Vec<&str> = kind.fields.iter().map(|f| f.name.as_str()).collect();
                    crate::tr!(
                        format!("`{}` records have {}", kind.id, list_names(&names)),
                        format!("`{}` 记录的字段是 {}", kind.id, list_names(&names))
                    )
                };
                errors.push(
                    err(
                        Code::OtherKindsField,
                        c,
                        crate::tr!(
                            format!(
                                "`{text}` is in a column that `{}` ({}) records do not have",
                                kind.id, kind.label
                            ),
                            format!(
                                "`{text}` 填在了 `{}`（{}）记录没有的列里",
                                kind.id, kind.label
                            )
                        ),
                    )
                    .help_cut(Some(crate::tr!(
                        format!("{has}; leave this cell empty or move the value to a note"),
                        format!("{has}；这一格留空，或者把值挪到备注里")
                    ))),
                );
            }
        }
    }
    match (ok, when, subject) {
        (true, Some((year, month, day)), Some(subject)) => {
            Row::Record(kind_id, year, month, day, subject)
        }
        _ => Row::Invalid,
    }
}

/// The help of an unknown person on an earlier year's record (a balance card, a yearly card that
/// carries, §31): someone who has left stays on the roster and is excluded from the year, so that
/// their earlier records are read, never dropped.
fn left_the_roster(errors: &mut Problems, before: usize, year: i32, person: &str) {
    let Some(e) = errors
        .list
        .get_mut(before..)
        .and_then(|new| new.iter_mut().find(|e| e.code == Code::UnknownPerson))
    else {
        return;
    };
    e.help = Some(crate::tr!(
        format!(
            "a record of {year}: if `{person}` has left, keep them on the roster as they were when they left, and exclude them from this year with a rule of the policy that says `exclude`; their earlier records then count as the policy says (a household's fault still reaches its head), and none is dropped"
        ),
        format!(
            "这是 {year} 年的记录：如果 `{person}` 已经离开，仍把此人按离开时的情况留在花名册里，再用政策文件里写 `exclude` 的条款让此人本年度不参加评价；这样此人以前年度的记录照政策计分（家庭的失信仍扣户主），一条也不会漏掉"
        )
    ));
}

/// Whom a record names, as its kind allows.
// Long because of its problems: one per way a record can name the wrong subject, each with its
// help, all on the per-record path of `read_row`, where the lookups that succeed return early.
#[allow(clippy::too_many_arguments)]
pub(super) fn subject(
    voc: &Vocabulary<'_>,
    layout: &Layout,
    kind: &Kind,
    (person, found): (&str, Option<usize>),
    department: &str,
    file: &str,
    line: usize,
    errors: &mut Problems,
) -> Option<Subject> {
    let s = kind.subjects;
    let at = |col: Option<usize>, name: &str| {
        Diag::in_file(Code::WrongSubject, file, Some(line), String::new())
            .column(col.map_or(name, |c| layout.names[c].as_str()))
            .at_maybe(col)
    };
    let with = |e: Diag, code: Code, message: String, help: Option<String>| {
        Diag {
            code,
            message: crate::diag::briefly(&message),
            ..e
        }
        .help_cut(help)
    };
    let whom = || {
        let mut w = Vec::new();
        if s.person {
            w.push(crate::tr!("a person", "一个人"));
        }
        if s.department {
            w.push(crate::tr!("a department", "一个部门"));
        }
        if s.town {
            w.push(crate::tr!(
                "the whole town (no person, no department)",
                "全镇（不填人员，也不填部门）"
            ));
        }
        w.join(crate::tr!(" or ", "或"))
    };
    let lookup_person =
        |errors: &mut Problems| match found.or_else(|| voc.people.get(&IdKey::new(person))) {
            Some(p) => Some(p),
            None => {
                errors.push(with(
                    at(layout.person, "person"),
                    Code::UnknownPerson,
                    unknown_person(person),
                    voc.roster
                        .unknown_person_help(
                            person,
                            crate::tr!(
                                "the `person` column takes the id:",
                                "`person` 列填人员编号："
                            ),
                        )
                        .or_else(|| Some(in_roster().into())),
                ));
                None
            }
        };
    let lookup_dept = |errors: &mut Problems| match voc.departments.get(department) {
        Some(&d) => Some(d),
        None => {
            errors.push(with(
                at(layout.department, "department"),
                Code::UnknownDepartment,
                crate::tr!(
                    format!("unknown department `{department}`"),
                    format!("花名册里没有 `{department}` 这个部门")
                ),
                did_you_mean(
                    department,
                    voc.roster.departments.iter().map(String::as_str),
                )
                .or_else(|| {
                    Some(
                        crate::tr!(
                            "departments are the ones named in the roster's `department` column",
                            "部门以花名册 `department` 列里写的为准"
                        )
                        .into(),
                    )
                }),
            ));
            None
        }
    };
    match (person.is_empty(), department.is_empty()) {
        (false, _) if s.person => {
            let p = lookup_person(errors)?;
            if !department.is_empty() {
                // A department beside a person must be the person's own.
                let d = lookup_dept(errors)?;
                if voc.roster.people.get(p).map(|x| x.department) != Some(d) {
                    errors.push(with(
                        at(layout.department, "department"),
                        Code::WrongSubject,
                        crate::tr!(
                            format!(
                                "`{person}` is not in `{department}`; a `{}` record is about one person",
                                kind.id
                            ),
                            format!(
                                "`{person}` 不在 `{department}`；`{}` 记录只记一个人",
                                kind.id
                            )
                        ),
                        Some(
                            crate::tr!(
                                "leave the department empty on records about a person",
                                "记个人的记录，部门一栏留空"
                            )
                            .into(),
                        ),
                    ));
                    return None;
                }
            }
            Some(Subject::Person(p))
        }
        (false, _) => {
            errors.push(with(
                at(layout.person, "person"),
                Code::WrongSubject,
                crate::tr!(
                    format!(
                        "a `{}` ({}) record names {}, not a person",
                        kind.id,
                        kind.label,
                        whom()
                    ),
                    format!(
                        "`{}`（{}）记录记的是{}，不是个人",
                        kind.id,
                        kind.label,
                        whom()
                    )
                ),
                Some(crate::tr!("leave the person empty", "人员一栏留空").into()),
            ));
            None
        }
        (true, false) if s.department => lookup_dept(errors).map(Subject::Department),
        (true, false) => {
            errors.push(with(
                at(layout.department, "department"),
                Code::WrongSubject,
                crate::tr!(
                    format!(
                        "a `{}` ({}) record names {}, not a department",
                        kind.id,
                        kind.label,
                        whom()
                    ),
                    format!(
                        "`{}`（{}）记录记的是{}，不是部门",
                        kind.id,
                        kind.label,
                        whom()
                    )
                ),
                Some(if s.person {
                    crate::tr!(
                        "put the person's id in the `person` column and leave the department empty",
                        "把人员编号填在 `person` 列，部门一栏留空"
                    )
                    .into()
                } else {
                    crate::tr!("leave the department empty", "部门一栏留空").into()
                }),
            ));
            None
        }
        (true, true) if s.town => Some(Subject::Town),
        (true, true) => {
            let col = if s.person {
                layout.person
            } else {
                layout.department
            };
            let name = if s.person { "person" } else { "department" };
            errors.push(with(
                at(col, name),
                Code::MissingValue,
                crate::tr!(
                    format!(
                        "a `{}` ({}) record must name {}",
                        kind.id,
                        kind.label,
                        whom()
                    ),
                    format!("`{}`（{}）记录要写明记的是{}", kind.id, kind.label, whom())
                ),
                None,
            ));
            None
        }
    }
}

/// The message for a person id the roster does not list.
fn unknown_person(id: &str) -> String {
    crate::tr!(
        format!("unknown person `{id}`"),
        format!("花名册里没有 `{id}` 这个人")
    )
}

/// The help when no listed id is close to the one written.
fn in_roster() -> &'static str {
    crate::tr!(
        "the person must be listed in the roster",
        "这个人要先列在花名册里"
    )
}
