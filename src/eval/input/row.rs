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
                (Code::MissingValue, "the record kind is missing".to_string())
            } else {
                (
                    Code::UnknownKind,
                    format!("unknown record kind `{kind_text}`"),
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
                        "write a kind's id (like `late`) or its label as the policy declares it"
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
                (Code::MissingValue, "the date is missing".to_string())
            } else {
                (Code::BadDate, format!("`{date_text}` is not a date"))
            };
            errors.push(err(code, layout.date, message).help_cut(Some(format!(
                "write dates like `{}-03-02`",
                voc.policy.year
            ))));
        }
        // A balance card reads the entries of earlier years still valid on its reading day.
        Some((year, month, day)) if year < voc.policy.year && voc.policy.balance => {
            when = Some((year, month, day));
        }
        Some((year, month, day)) if year != voc.policy.year => {
            ok = false;
            errors.push(
                err(
                    Code::OutsideYear,
                    layout.date,
                    format!(
                        "{date_text} is outside the policy's year {}",
                        voc.policy.year
                    ),
                )
                .help_cut(Some(format!(
                    "this policy scores {}; records of {year} belong to another year's policy",
                    voc.policy.year
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
                        format!("`{}` records need a value for `{}`", kind.id, field.name),
                    ),
                    None => Diag::in_file(
                        Code::MissingColumn,
                        file,
                        Some(line),
                        format!(
                            "`{}` records need a value for `{}`, but this file has no `{}` column",
                            kind.id, field.name, field.name
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
                            .unknown_person_help(text, &format!("`{}` takes the id:", field.name))
                            .or_else(|| Some("the person must be listed in the roster".into()));
                        errors.push(
                            err(Code::UnknownPerson, *c, format!("unknown person `{text}`"))
                                .help_cut(help),
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
                    format!("`{}` records have no fields", kind.id)
                } else {
                    let names: Vec<&str> = kind.fields.iter().map(|f| f.name.as_str()).collect();
                    format!("`{}` records have {}", kind.id, list_names(&names))
                };
                errors.push(
                    err(
                        Code::OtherKindsField,
                        c,
                        format!(
                            "`{text}` is in a column that `{}` ({}) records do not have",
                            kind.id, kind.label
                        ),
                    )
                    .help_cut(Some(format!(
                        "{has}; leave this cell empty or move the value to a note"
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

/// Whom a record names, as its kind allows.
// Long for its problems: one per way a record can name the wrong subject, each with its help,
// all on the per-record path of `read_row`, where the lookups that succeed return early.
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
            w.push("a person");
        }
        if s.department {
            w.push("a department");
        }
        if s.town {
            w.push("the whole town (no person, no department)");
        }
        w.join(" or ")
    };
    let lookup_person =
        |errors: &mut Problems| match found.or_else(|| voc.people.get(&IdKey::new(person))) {
            Some(p) => Some(p),
            None => {
                errors.push(with(
                    at(layout.person, "person"),
                    Code::UnknownPerson,
                    format!("unknown person `{person}`"),
                    voc.roster
                        .unknown_person_help(person, "the `person` column takes the id:")
                        .or_else(|| Some("the person must be listed in the roster".into())),
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
                format!("unknown department `{department}`"),
                did_you_mean(
                    department,
                    voc.roster.departments.iter().map(String::as_str),
                )
                .or_else(|| {
                    Some(
                        "departments are the ones named in the roster's `department` column".into(),
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
                        format!(
                            "`{person}` is not in `{department}`; a `{}` record is about one person",
                            kind.id
                        ),
                        Some("leave the department empty on records about a person".into()),
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
                format!(
                    "a `{}` ({}) record names {}, not a person",
                    kind.id,
                    kind.label,
                    whom()
                ),
                Some("leave the person empty".into()),
            ));
            None
        }
        (true, false) if s.department => lookup_dept(errors).map(Subject::Department),
        (true, false) => {
            errors.push(with(
                at(layout.department, "department"),
                Code::WrongSubject,
                format!(
                    "a `{}` ({}) record names {}, not a department",
                    kind.id,
                    kind.label,
                    whom()
                ),
                Some(if s.person {
                    "put the person's id in the `person` column and leave the department empty"
                        .into()
                } else {
                    "leave the department empty".into()
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
                format!(
                    "a `{}` ({}) record must name {}",
                    kind.id,
                    kind.label,
                    whom()
                ),
                None,
            ));
            None
        }
    }
}
