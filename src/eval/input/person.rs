//! A roster's rows: one person each, read against the policy's declared columns.

use super::*;

/// A roster's columns, known to be all there: what a person's row is read with.
pub(super) struct RosterSheet<'a> {
    policy: &'a Policy,
    pub(super) file: &'a str,
    /// The header's names.
    names: &'a [String],
    /// `line` in a CSV file, `row` in a sheet.
    pub(super) line_word: &'static str,
    pub(super) id: usize,
    name: usize,
    department: usize,
    /// Per column the policy declares, its position.
    values: Vec<usize>,
}

impl<'a> RosterSheet<'a> {
    /// The roster's columns, at the places `at` found them in the header `names`.
    pub(super) fn new(
        policy: &'a Policy,
        file: &'a str,
        names: &'a [String],
        at: &HashMap<&str, usize>,
        reader: &Rows,
    ) -> Self {
        let col = |name: &str| at.get(name).copied().unwrap_or(0);
        RosterSheet {
            policy,
            file,
            names,
            // Where a person is: a line of a CSV file, a row of a sheet.
            line_word: match reader {
                Rows::Csv(_) => "line",
                Rows::Sheet(_) => "row",
            },
            id: col("person"),
            name: col("name"),
            department: col("department"),
            values: policy.columns.iter().map(|c| col(&c.name)).collect(),
        }
    }
}

/// A person's id, name, department and declared values.
pub(super) type PersonCells<'c> = (String, String, &'c str, Vec<Value>);

/// What a row says alone, before it is set against the rows above it: its id's cell, what is
/// wrong with its cells, and its person if nothing is.
pub(super) struct RowRead<'c> {
    id: &'c str,
    problems: Vec<Diag>,
    /// Problems counted but not kept ([`RowRead::count_only`]).
    uncounted: usize,
    person: Option<PersonCells<'c>>,
}

impl<'c> RowRead<'c> {
    /// The row's id's cell.
    pub(super) fn id(&self) -> &'c str {
        self.id
    }

    /// How many problems the row has.
    pub(super) fn problems(&self) -> usize {
        self.problems.len() + self.uncounted
    }

    /// Keeps only how many problems the row has: for a row settled after more problems than are
    /// shown, whose problems would only be counted.
    pub(super) fn count_only(&mut self) {
        self.uncounted += self.problems.len();
        self.problems = Vec::new();
    }
}

impl RosterSheet<'_> {
    /// What a row on `line` says alone ([`RowRead`]): any rows' reads can be made side by side,
    /// and settled in their order.
    pub(super) fn read_row<'c>(&self, cells: &[&'c str], line: usize) -> RowRead<'c> {
        let mut problems = Vec::new();
        let mut required = |at: usize, what: &str| -> &'c str {
            let text = cells.get(at).copied().unwrap_or("");
            if text.is_empty() {
                problems.push(
                    Diag::in_file(
                        Code::MissingValue,
                        self.file,
                        Some(line),
                        crate::tr!(format!("the {what} is missing"), format!("没填{what}")),
                    )
                    .column(self.names.get(at).map_or("", String::as_str))
                    .at_cell(at),
                );
            }
            text
        };
        let id = required(self.id, crate::tr!("person's id", "人员编号"));
        let name = required(self.name, crate::tr!("person's name", "姓名"));
        let department = required(self.department, crate::tr!("department", "部门"));
        let values = self.values(cells, line, &mut problems);
        let person = match values {
            Some(values) if problems.is_empty() => {
                Some((id.to_string(), name.to_string(), department, values))
            }
            _ => None,
        };
        RowRead {
            id,
            problems,
            uncounted: 0,
            person,
        }
    }

    /// A row's read set against the rows above it: its problems told in `errors`, then whether
    /// its id is on no earlier row (`seen` holds the line each id is first on, the ids of
    /// `people` among them). Gives the person, `None` when something is wrong, and whether the id
    /// is new, to be noted in `seen` once the row is kept or refused.
    pub(super) fn settle<'c>(
        &self,
        read: RowRead<'c>,
        line: usize,
        (seen, people): (&FirstLines, &[Person]),
        errors: &mut Problems,
    ) -> (Option<PersonCells<'c>>, bool) {
        let RowRead {
            id,
            problems,
            uncounted,
            person,
        } = read;
        for problem in problems {
            errors.push(problem);
        }
        // Only counted: more than are shown were told before them.
        errors.more += uncounted;
        let new = !id.is_empty() && self.first_time(id, line, (seen, people), errors);
        let kept = if new || id.is_empty() { person } else { None };
        (kept, new)
    }

    /// A person's values of the columns the policy declares, or `None` when a cell is empty or not
    /// of its column's type (said in `errors`).
    fn values(&self, cells: &[&str], line: usize, errors: &mut Vec<Diag>) -> Option<Vec<Value>> {
        let file = self.file;
        let mut ok = true;
        let mut values = Vec::with_capacity(self.policy.columns.len());
        for (column, &at) in self.policy.columns.iter().zip(&self.values) {
            let text = cells.get(at).copied().unwrap_or("");
            if text.is_empty() {
                ok = false;
                errors.push(
                    Diag::in_file(
                        Code::MissingValue,
                        file,
                        Some(line),
                        crate::tr!("this cell is empty", "这一格是空的"),
                    )
                    .column(&column.name)
                    .at_cell(at)
                    .help_cut(Some(crate::tr!(
                        format!("every person needs a `{}`", column.name),
                        format!("每个人都要填 `{}`", column.name)
                    ))),
                );
                continue;
            }
            match parse_value(text, &column.ty) {
                Ok(v) => values.push(v),
                Err((code, message, help)) => {
                    ok = false;
                    errors.push(
                        Diag::in_file(code, file, Some(line), message)
                            .column(&column.name)
                            .at_cell(at)
                            .help_cut(help),
                    );
                }
            }
        }
        ok.then_some(values)
    }

    /// Whether `id` is on no earlier row; says where it was first if not.
    fn first_time(
        &self,
        id: &str,
        line: usize,
        (seen, people): (&FirstLines, &[Person]),
        errors: &mut Problems,
    ) -> bool {
        let Some(first) = seen.first(people, id) else {
            return true;
        };
        let line_word = self.line_word;
        errors.push(
            Diag::in_file(
                Code::DuplicatePerson,
                self.file,
                Some(line),
                crate::tr!(
                    format!("the person `{id}` is listed twice (first on {line_word} {first})"),
                    format!("`{id}` 这个人列了两次（头一次在第 {first} 行）")
                ),
            )
            .column(&self.names[self.id])
            .at_cell(self.id)
            .help_cut(Some(
                crate::tr!(
                    "every person has one row; give each person an id of their own",
                    "每人只占一行；每个人的编号各不相同"
                )
                .into(),
            )),
        );
        false
    }
}

/// The line each id is first on, valid row or not: a second row with the id is a problem even
/// while the first has problems of its own. The ids are not copied: each is read where it is
/// kept, a person's in the roster, a refused row's among `strays` (few).
#[derive(Default)]
pub(super) struct FirstLines {
    table: hashbrown::HashTable<Seen>,
    strays: Vec<String>,
}

/// An id seen: its hash, its first line, and where it is kept.
#[derive(Clone, Copy)]
struct Seen {
    hash: u64,
    line: usize,
    at: Kept,
}

#[derive(Clone, Copy)]
enum Kept {
    /// The id of `people[i]`.
    Person(usize),
    /// `strays[i]`.
    Stray(usize),
}

impl FirstLines {
    /// Room for `n` ids more, made at once rather than doubled (and every id moved) as they come;
    /// if it can be had (else the table grows as they come).
    pub(super) fn reserve(&mut self, n: usize) {
        let _ = self.table.try_reserve(n, |s| s.hash);
    }

    /// The line `id` is first on, if it was seen; `people` are the roster's people so far.
    pub(super) fn first(&self, people: &[Person], id: &str) -> Option<usize> {
        let hash = FxBuildHasher.hash_one(id);
        let found = self.table.find(hash, |s| {
            s.hash == hash && self.id(people, s.at) == Some(id)
        });
        found.map(|s| s.line)
    }

    /// Notes that `id` is first on `line`, held by `people[person]` or else by nobody kept.
    pub(super) fn note(&mut self, id: &str, line: usize, person: Option<usize>) {
        let at = person.map_or_else(
            || {
                self.strays.push(id.to_string());
                Kept::Stray(self.strays.len() - 1)
            },
            Kept::Person,
        );
        let hash = FxBuildHasher.hash_one(id);
        self.table
            .insert_unique(hash, Seen { hash, line, at }, |s| s.hash);
    }

    fn id<'a>(&'a self, people: &'a [Person], at: Kept) -> Option<&'a str> {
        match at {
            Kept::Person(i) => people.get(i).map(|p| p.id.as_str()),
            Kept::Stray(i) => self.strays.get(i).map(String::as_str),
        }
    }
}
