//! Reading the roster against the policy's declared columns.

use super::*;

pub(super) const ROSTER_BUILTIN: [&str; 3] = ["person", "name", "department"];

/// Reads the roster: one row per person, the built-in columns `person`, `name`, `department` and
/// the columns the policy's roster declaration names (a `note` column is allowed and ignored).
pub fn read_roster(policy: &Policy, path: &Path) -> Result<Roster, Problems> {
    read_roster_in(policy, path, Encoding::Auto)
}

/// [`read_roster`] from a CSV file in the given encoding, or from a workbook: its one sheet
/// holding anything, or the one named `花名册` or `roster`.
pub fn read_roster_in(
    policy: &Policy,
    path: &Path,
    encoding: Encoding,
) -> Result<Roster, Problems> {
    if is_workbook(path) || is_wps(path) {
        let (file, table) = roster_sheet(path).map_err(|e| Problems::one(Stage::Reading, *e))?;
        let mut cell_errors = Vec::new();
        let header = table.map(|t| {
            cell_errors = t.problems;
            (t.header, Rows::Sheet(t.rows.into_iter()))
        });
        let read = roster_rows(policy, &file, header, encoding);
        let mut errors = match read {
            Ok(roster) if cell_errors.is_empty() => return Ok(roster),
            Ok(_) => Problems {
                file: file.clone(),
                ..Problems::new(Stage::Reading)
            },
            Err(errors) => errors,
        };
        // The spreadsheet errors first, then the rest, each in row order.
        if !cell_errors.is_empty() {
            cell_errors.truncate(MAX_SHOWN);
            cell_errors.append(&mut errors.list);
            cell_errors.sort_by_key(Diag::data_line);
            errors.list = cell_errors;
        }
        for e in &mut errors.list {
            let sheet = e.data_line().is_some() && e.data_file() == file;
            e.place_mut().sheet = sheet;
        }
        return Err(errors);
    }
    let file = display(path);
    let one = |e: Box<Diag>| Problems::one(Stage::Reading, *e);
    let mut reader = open_decoded(path, encoding).map_err(one)?;
    let header = read_header(&mut reader, &file, encoding).map_err(one)?;
    roster_rows(
        policy,
        &file,
        header.map(|h| (h, Rows::Csv(reader))),
        encoding,
    )
}

/// The roster's sheet of a workbook, with its name (`roster.xlsx!花名册`) and its table (`None`
/// when it is empty).
fn roster_sheet(path: &Path) -> Result<(String, Option<Table>), Box<Diag>> {
    let mut book = open_workbook(path)?;
    let names = book.sheet_names();
    let named = |n: &String| {
        let n = n.trim();
        n == "花名册" || n == "人员名单" || n.eq_ignore_ascii_case("roster")
    };
    let file_of =
        |sheet: &str| crate::sheet_path::shown(&crate::sheet_path::sheet_path(path, sheet));
    if let Some(sheet) = names.iter().find(|n| named(n)).or(match names.as_slice() {
        [only] => Some(only),
        _ => None,
    }) {
        let file = file_of(sheet);
        let table = book.table(sheet, Role::Roster, &file)?;
        return Ok((file, table));
    }
    // Else the one sheet that holds anything.
    let mut found = Vec::new();
    for sheet in &names {
        let file = file_of(sheet);
        if let Some(table) = book.table(sheet, Role::Roster, &file)? {
            found.push((file, table));
        }
    }
    if found.len() == 1 {
        if let Some((file, table)) = found.pop() {
            return Ok((file, Some(table)));
        }
    }
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    Err(Diag::unreadable(
        Code::CannotRead,
        &display(path),
        crate::tr!(
            format!(
                "this workbook has the sheets {} and none is named `花名册` or `roster`",
                quoted.join(", ")
            ),
            format!(
                "这个工作簿有工作表 {}，没有一张叫 `花名册` 或 `roster`",
                quoted.join("、")
            )
        ),
    )
    .help_cut(Some(
        crate::tr!(
            "name the roster's sheet `花名册`, or keep the roster alone in its workbook",
            "把花名册那张工作表命名为 `花名册`，或者让花名册单独放一个工作簿"
        )
        .into(),
    ))
    .into())
}

/// Reads the roster's rows under its header (`None`: the file is empty).
pub(super) fn roster_rows(
    policy: &Policy,
    file: &str,
    header: Option<(Header, Rows)>,
    encoding: Encoding,
) -> Result<Roster, Problems> {
    let file = file.to_string();
    let mut errors = Problems::new(Stage::Reading);
    let Some((header, mut reader)) = header else {
        return Err(Problems::one(
            Stage::Reading,
            Diag::in_file(
                Code::EmptyRoster,
                &file,
                None,
                crate::tr!(
                    "the roster is empty: it needs a header row and one row per person",
                    "花名册是空的：要有一行表头，每人一行"
                ),
            ),
        ));
    };
    let at = roster_columns(policy, &file, &header, &mut errors);
    if !errors.is_empty() {
        return Err(errors.finished(&file));
    }
    let sheet = RosterSheet::new(policy, &file, &header.names, &at, &reader);
    let mut roster = Roster {
        file: file.clone(),
        ..Roster::default()
    };
    let width = header.names.len();
    read_people(
        &sheet,
        &mut reader,
        width,
        encoding,
        &mut roster,
        &mut errors,
    );
    check_heads(policy, &roster, &at, sheet.line_word, &mut errors);
    if roster.people.is_empty() && errors.is_empty() {
        errors.push(Diag::in_file(
            Code::EmptyRoster,
            &file,
            None,
            crate::tr!(
                "the roster lists nobody: add one row per person under the header",
                "花名册里一个人也没有：在表头下面每人添一行"
            ),
        ));
    }
    if errors.is_empty() {
        Ok(roster)
    } else {
        Err(errors.finished(&file))
    }
}

/// Reads the people of a roster's rows into `roster`, saying in `errors` what is wrong with a row.
fn read_people(
    sheet: &RosterSheet<'_>,
    reader: &mut Rows,
    width: usize,
    encoding: Encoding,
    roster: &mut Roster,
    errors: &mut Problems,
) {
    let mut people = People::default();
    if let Some((text, line)) = plain_rows(reader) {
        let noted = (errors.list.len(), errors.more);
        if people
            .plain(sheet, text, line, width, roster, errors)
            .is_some()
        {
            return;
        }
        // A row read otherwise: all of them are, from the first.
        people = People::default();
        roster.people.clear();
        roster.departments.clear();
        errors.list.truncate(noted.0);
        errors.more = noted.1;
    }
    let mut row = csv::ByteRecord::new();
    loop {
        let (line, cells) = match next_row_cells(reader, &mut row, sheet.file, width, encoding) {
            Next::End(problem) => {
                if let Some(e) = problem {
                    errors.push(e);
                }
                break;
            }
            Next::Skip(problem) => {
                if let Some(e) = problem {
                    errors.push(e);
                }
                continue;
            }
            Next::Row(line, cells) => (line, cells),
        };
        let read = sheet.read_row(&cells, line);
        people.take(sheet, line, read, roster, errors);
    }
}

/// The rows of a CSV roster decoded beforehand, with the line the first one is on, when they can
/// be cut at their commas and line breaks alone: no quote anywhere (a quoted cell can hold
/// both), and UTF-8 throughout.
fn plain_rows(reader: &Rows) -> Option<(&str, usize)> {
    let Rows::Csv(reader) = reader else {
        return None;
    };
    let Source::Decoded(text) = &reader.get_ref().inner else {
        return None;
    };
    let at = reader.position();
    let from = usize::try_from(at.byte()).ok()?;
    // Text known to be UTF-8 is not checked again.
    let rest = match text.get_ref() {
        Decoded::Text(text) => text.get(from..)?,
        Decoded::Bytes(bytes) => std::str::from_utf8(bytes.get(from..)?).ok()?,
    };
    if memchr::memchr(b'"', rest.as_bytes()).is_some() {
        return None;
    }
    Some((rest, usize::try_from(at.line()).ok()?))
}

/// The people of a roster as its rows are read: the line each id is first on, and the
/// departments by name.
#[derive(Default)]
struct People {
    seen: FirstLines,
    departments: FxHashMap<String, usize>,
}

impl People {
    /// The rows of `text` (see [`plain_rows`]), the first on `line`, read as the CSV reader reads
    /// them (see [`split_rows`]). `None` (and the rows are to be read again the general way) at
    /// a row of more cells than the header has. A large roster's later rows are read on another
    /// thread (see [`parts`]), which hands them over in batches as it goes; once its own rows are
    /// read, this thread sets each batch's rows against those above them, in order, so that
    /// everything told is as when one thread reads them all.
    fn plain(
        &mut self,
        sheet: &RosterSheet<'_>,
        text: &str,
        line: usize,
        width: usize,
        roster: &mut Roster,
        errors: &mut Problems,
    ) -> Option<()> {
        // Room for every row at once: at most as many as there are lines, and as many lines of
        // six bytes (`a,b,c` and a line break, the least a person's row is) as the text holds,
        // however many blank lines it has. Only if it can be had: else the lists grow as they
        // fill. The table of ids is touched where ids fall in it: never made for more than a
        // million at once, whatever the lines.
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
        let rows = lines.min(text.len() / 6 + 1);
        let _ = roster.people.try_reserve(rows);
        self.seen.reserve(rows.min(1 << 20));
        let (first, later) = parts(text, line);
        std::thread::scope(|scope| {
            let (give, batches) = std::sync::mpsc::channel();
            // A `later` part is read on a thread of its own, or here if none can be had.
            let reader = later.map(|later| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || {
                        // Once this thread stops taking them (a row of too many cells), no more
                        // are read.
                        read_batches(sheet, later, width, &mut |batch| give.send(batch).ok())
                    })
                    .map_err(|_| later)
            });
            split_rows(first, line, width, |at, cells| {
                let read = sheet.read_row(cells, at);
                self.take(sheet, at, read, roster, errors);
                Some(())
            })?;
            match reader {
                None => Some(()),
                Some(Ok(reader)) => {
                    for batch in batches {
                        self.take_all(sheet, batch, roster, errors);
                    }
                    reader.join().ok()?
                }
                Some(Err(later)) => read_batches(sheet, later, width, &mut |batch| {
                    self.take_all(sheet, batch, roster, errors);
                    Some(())
                }),
            }
        })
    }

    /// One row's person into `roster`, or what is wrong with the row into `errors`: `read` is
    /// what the row on `line` says alone, set here against the rows above it.
    fn take(
        &mut self,
        sheet: &RosterSheet<'_>,
        line: usize,
        read: RowRead<'_>,
        roster: &mut Roster,
        errors: &mut Problems,
    ) {
        let id = read.id();
        let (person, new) = sheet.settle(read, line, (&self.seen, &roster.people), errors);
        if new {
            // The id's cell, before the row is let go.
            let kept = person.as_ref().map(|_| roster.people.len());
            self.seen.note(id, line, kept);
        }
        let Some((id, name, department, values)) = person else {
            return;
        };
        let dept = match self.departments.get(department) {
            Some(&d) => d,
            None => {
                self.departments
                    .insert(department.to_string(), roster.departments.len());
                roster.departments.push(department.to_string());
                roster.departments.len() - 1
            }
        };
        roster.people.push(Person {
            id,
            name,
            department: dept,
            values,
            line,
        });
    }

    /// [`People::take`] of each read row of a batch, in order.
    fn take_all(
        &mut self,
        sheet: &RosterSheet<'_>,
        batch: Vec<(usize, RowRead<'_>)>,
        roster: &mut Roster,
        errors: &mut Problems,
    ) {
        for (at, read) in batch {
            self.take(sheet, at, read, roster, errors);
        }
    }
}

/// What each row of `text`, its first on `line`, says alone, with its line, handed to `batch` a
/// few thousand rows at a time, in order; `None` at a row of more than `width` cells, or once
/// `batch` wants no more.
fn read_batches<'t>(
    sheet: &RosterSheet<'_>,
    (text, line): (&'t str, usize),
    width: usize,
    batch: &mut dyn FnMut(Vec<(usize, RowRead<'t>)>) -> Option<()>,
) -> Option<()> {
    const BATCH: usize = 4096;
    let mut reads = Vec::with_capacity(BATCH);
    // Problems of these rows so far: past as many as are shown, a row's are only counted (they
    // are settled after these, and would be counted then), so that a roster wrong on every row
    // is not held in memory problem by problem.
    let mut told = 0usize;
    split_rows(text, line, width, |at, cells| {
        let mut read = sheet.read_row(cells, at);
        if told >= MAX_SHOWN {
            read.count_only();
        }
        told += read.problems();
        reads.push((at, read));
        if reads.len() == BATCH {
            batch(std::mem::replace(&mut reads, Vec::with_capacity(BATCH)))?;
        }
        Some(())
    })?;
    batch(reads)
}

/// The size from which a roster's rows are worth reading on two threads (on a machine with more
/// than one processor).
const TWO_THREADS_FROM: usize = 1 << 20;

/// `text`, its first row on `line`, as one part or as two split at a line break a fifth in, the
/// later with the line its first row is on. The thread that reads the first part sets every row
/// against those above it too, which takes more than half as long as reading one: a fifth of
/// the rows here, the rest on the other thread, and the two are done at about the same time.
fn parts(text: &str, line: usize) -> (&str, Option<(&str, usize)>) {
    if text.len() < TWO_THREADS_FROM || cores() < 2 {
        return (text, None);
    }
    let middle = text.len() / 5;
    let Some(cut) = memchr::memchr(b'\n', text.as_bytes().get(middle..).unwrap_or_default())
        .map(|i| middle + i + 1)
    else {
        return (text, None);
    };
    match (text.get(..cut), text.get(cut..)) {
        (Some(first), Some(second)) => {
            let lines = memchr::memchr_iter(b'\n', first.as_bytes()).count();
            (first, Some((second, line + lines)))
        }
        _ => (text, None),
    }
}

/// Calls `row` with each row of `text` (see [`plain_rows`]), the first on `line`, and its cells,
/// read as the CSV reader reads them: a line of ASCII white space and commas alone is passed
/// over, a carriage return is text (trimmed at the ends of cells), and a row has `width` cells
/// (the missing ones empty). `None` at a row of more cells than that, or once `row` gives `None`.
fn split_rows<'t>(
    text: &'t str,
    mut line: usize,
    width: usize,
    mut row: impl FnMut(usize, &[&'t str]) -> Option<()>,
) -> Option<()> {
    let mut cells: smallvec::SmallVec<[&str; 8]> = smallvec::SmallVec::with_capacity(width);
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', bytes.get(start..)?).map_or(bytes.len(), |i| start + i);
        let this = text.get(start..end)?;
        let at = line;
        (start, line) = (end + 1, line + 1);
        // A line of ASCII white space and commas alone, as `is_blank` tells a row.
        if this.bytes().all(|b| b == b',' || b.is_ascii_whitespace()) {
            continue;
        }
        cells.clear();
        let mut from = 0;
        loop {
            if cells.len() == width {
                return None;
            }
            let to =
                memchr::memchr(b',', this.as_bytes().get(from..)?).map_or(this.len(), |i| from + i);
            cells.push(trimmed(this.get(from..to)?));
            if to == this.len() {
                break;
            }
            from = to + 1;
        }
        cells.resize(width, "");
        row(at, &cells)?;
    }
    Some(())
}

/// What the next row of a roster is.
enum Next<'r> {
    /// The end of the rows, after a problem that stops the reading if there is one.
    End(Option<Diag>),
    /// A row to pass over: blank, or with a problem.
    Skip(Option<Diag>),
    /// A row's line and its cells (as many as the header has names; a roster has few columns,
    /// held without a heap allocation per row).
    Row(usize, smallvec::SmallVec<[&'r str; 8]>),
}

/// Reads the next row of a roster into `row` and gives its cells.
fn next_row_cells<'r>(
    reader: &mut Rows,
    row: &'r mut csv::ByteRecord,
    file: &str,
    width: usize,
    encoding: Encoding,
) -> Next<'r> {
    match reader.next(row, file) {
        Ok(true) => {}
        Ok(false) => return Next::End(None),
        Err(e) => return Next::End(Some(*e)),
    }
    if let Some(e) = reader.quote_problem(file) {
        return Next::Skip(Some(e));
    }
    if is_blank(row) {
        return Next::Skip(None);
    }
    let line = line_of(row);
    if row.len() > width {
        return Next::Skip(Some(too_many_cells(file, line, row, width)));
    }
    let row: &'r csv::ByteRecord = row;
    match row_cells(row, width) {
        Some(cells) => Next::Row(line, cells),
        None => Next::End(Some(not_utf8(file, line, encoding))),
    }
}

/// The first `width` cells of a row as text, trimmed (empty past its end); `None` when one is not
/// UTF-8. The row's bytes are checked once, and each cell is text when the whole is and the cell
/// starts and ends between characters.
fn row_cells(row: &csv::ByteRecord, width: usize) -> Option<smallvec::SmallVec<[&str; 8]>> {
    let whole = std::str::from_utf8(row.as_slice()).ok();
    let mut cells = smallvec::SmallVec::with_capacity(width);
    for i in 0..width {
        let cell = match (whole, row.range(i)) {
            (_, None) => "",
            (Some(text), Some(range)) => match text.get(range.clone()) {
                Some(cell) => cell,
                None => std::str::from_utf8(row.as_slice().get(range)?).ok()?,
            },
            (None, Some(range)) => std::str::from_utf8(row.as_slice().get(range)?).ok()?,
        };
        cells.push(trimmed(cell));
    }
    Some(cells)
}

/// Which header position holds each built-in and declared column; a column without a name, one
/// the roster cannot have, one named twice and one missing are problems.
fn roster_columns<'h>(
    policy: &Policy,
    file: &str,
    header: &'h Header,
    errors: &mut Problems,
) -> HashMap<&'h str, usize> {
    let known: Vec<&str> = ROSTER_BUILTIN
        .iter()
        .copied()
        .chain(policy.columns.iter().map(|c| c.name.as_str()))
        .chain(["note"])
        .collect();
    let header_line = header.line;
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (i, written) in header.names.iter().enumerate() {
        if header.ignored.get(i) == Some(&true) {
            continue;
        }
        let name = alias(written);
        if name.is_empty() {
            errors.push(unnamed_column(file, header_line, i));
        } else if !known.contains(&name) {
            errors.push(unknown_roster_column(
                &known,
                (written, name),
                file,
                header_line,
                i,
            ));
        } else if at.insert(name, i).is_some() {
            errors.push(
                Diag::in_file(
                    Code::DuplicateColumn,
                    file,
                    Some(header_line),
                    duplicate_column(name),
                )
                .at_cell(i)
                .help_cut(Some(duplicate_column_help(name))),
            );
        }
    }
    missing_roster_columns(&known, &at, file, header_line, errors);
    at
}

/// A roster column the policy's roster does not have (`written` as the header writes it, `name`
/// as read); `known` are the columns it has.
fn unknown_roster_column(
    known: &[&str],
    (written, name): (&str, &str),
    file: &str,
    header_line: usize,
    i: usize,
) -> Diag {
    Diag::in_file(
        Code::UnknownHeader,
        file,
        Some(header_line),
        crate::tr!(
            format!("unknown roster column `{written}`"),
            format!("花名册没有 `{written}` 这一列")
        ),
    )
    .at_cell(i)
    .help_cut(Some(
        did_you_mean(name, known.iter().copied()).unwrap_or_else(|| {
            crate::tr!(
                format!("the policy's roster has {}", list_names(known)),
                format!("政策文件规定的花名册列是 {}", list_names(known))
            )
        }),
    ))
}

/// Says which of the roster's columns (`known`, ending with the optional `note`) the header lacks.
fn missing_roster_columns(
    known: &[&str],
    at: &HashMap<&str, usize>,
    file: &str,
    header_line: usize,
    errors: &mut Problems,
) {
    for name in known.iter().filter(|n| **n != "note") {
        if !at.contains_key(name) {
            errors.push(
                Diag::in_file(
                    Code::MissingColumn,
                    file,
                    Some(header_line),
                    crate::tr!(
                        format!("the roster has no `{name}` column"),
                        format!("花名册没有 `{name}` 列")
                    ),
                )
                .help_cut(Some(crate::tr!(
                    format!(
                        "the policy's roster needs the columns {}",
                        list_names(&known[..known.len() - 1])
                    ),
                    format!(
                        "政策文件规定花名册要有这些列：{}",
                        list_names(&known[..known.len() - 1])
                    )
                ))),
            );
        }
    }
}

/// Each group has at most one head: a department by the `head: bool` column, the groups of a
/// `group` column by its `head of` column.
pub(super) fn check_heads<'r>(
    policy: &Policy,
    roster: &'r Roster,
    at: &HashMap<&str, usize>,
    line_word: &str,
    errors: &mut Problems,
) {
    for (hc, col) in policy.columns.iter().enumerate() {
        // The group a person is in, and what a group is called (`None`: a department).
        let group_of = |p: &'r Person| -> Option<&'r str> {
            match col.ty {
                ValueType::Bool if col.name == "head" => {
                    roster.departments.get(p.department).map(String::as_str)
                }
                ValueType::HeadOf(gc) => match p.values.get(gc) {
                    Some(Value::Text(t)) => Some(t.as_str()),
                    _ => Some(""),
                },
                _ => None,
            }
        };
        let what = match col.ty {
            ValueType::Bool if col.name == "head" => None,
            ValueType::HeadOf(gc) => policy.columns.get(gc).map(|c| c.name.as_str()),
            _ => continue,
        };
        let mut heads: FxHashMap<&str, &Person> = FxHashMap::default();
        for p in &roster.people {
            if p.values.get(hc) != Some(&Value::Bool(true)) {
                continue;
            }
            let Some(group) = group_of(p) else { continue };
            if let Some(first) = heads.get(&group) {
                let (named, per) = match what {
                    None => (format!("`{group}`"), crate::tr!("department", "部门")),
                    Some(w) => (
                        crate::tr!(format!("the {w} `{group}`"), format!("{w} 为 `{group}` 的")),
                        w,
                    ),
                };
                errors.push(
                    Diag::in_file(
                        Code::TwoHeads,
                        &roster.file,
                        Some(p.line),
                        crate::tr!(
                            format!(
                                "{named} has two heads: {} ({line_word} {}) and {}",
                                first.id, first.line, p.id
                            ),
                            crate::lang::spaced(&format!(
                                "{named}有两个负责人：{}（第 {} 行）和 {}",
                                first.id, first.line, p.id
                            ))
                        ),
                    )
                    .column(&col.name)
                    .at_maybe(at.get(col.name.as_str()).copied())
                    .help_cut(Some(crate::tr!(
                        format!("mark only one person per {per} `true`"),
                        crate::lang::spaced(&format!("每个{per}只给一个人标 `true`"))
                    ))),
                );
            } else {
                heads.insert(group, p);
            }
        }
    }
}

// ------------------------------------------------------------------------------------ records

/// The message for a column named twice in a header.
pub(super) fn duplicate_column(name: &str) -> String {
    crate::tr!(
        format!("the column `{name}` appears twice"),
        format!("`{name}` 列出现了两次")
    )
}

/// The help for a column named twice in a header.
pub(super) fn duplicate_column_help(name: &str) -> String {
    crate::tr!(
        format!("keep one `{name}` column: delete the other, or name it after what it holds"),
        format!("只留一个 `{name}` 列：删掉另一个，或者按它装的内容另起列名")
    )
}

#[cfg(test)]
mod tests {
    use super::row_cells;

    fn cells(fields: &[&[u8]], width: usize) -> Option<Vec<String>> {
        let row = csv::ByteRecord::from(fields.to_vec());
        row_cells(&row, width).map(|c| c.iter().map(|s| s.to_string()).collect())
    }

    /// Cells are text, trimmed, empty past the row's end; a cell that is not UTF-8 is refused
    /// even when the row's bytes together are (a character cut between two cells).
    #[test]
    fn a_rows_cells_are_text_only_when_each_is() {
        let got = cells(
            &[
                " \u{8fdf}到 ".as_bytes(),
                b"x",
                "\u{3000}a\u{3000}".as_bytes(),
            ],
            4,
        );
        assert_eq!(
            got,
            Some(vec!["迟到".into(), "x".into(), "a".into(), String::new()])
        );
        // 迟 is E8 BF 9F: cut after its second byte, the row's bytes are still UTF-8.
        assert_eq!(cells(&[b"a\xe8\xbf", b"\x9fb"], 2), None);
        assert_eq!(cells(&[b"ok", b"\xff"], 2), None);
        assert_eq!(cells(&[b"\xff", b"ok"], 1), None);
        // A cell past the width is not read.
        assert_eq!(cells(&[b"ok", b"\xff"], 1), Some(vec!["ok".into()]));
    }
}
