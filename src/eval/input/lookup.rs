//! Lookup tables for reading records: kinds by id or label, people by id, departments, and
//! each file's column layout.

use super::*;

/// What the reader knows about the policy, built once for all files.
pub(super) struct Vocabulary<'p> {
    pub(super) policy: &'p Policy,
    pub(super) roster: &'p Roster,
    /// Kind by id and by label. The tables read for every record use a fast hash: their keys come
    /// from the branch's own files, and nobody gains by making them collide.
    pub(super) kinds: FxHashMap<&'p str, usize>,
    /// Person ids. Millions of records look people up at random, so a short id is kept inside the
    /// table itself: a lookup then reads no memory outside the table.
    pub(super) people: People,
    pub(super) departments: FxHashMap<&'p str, usize>,
    /// Every field name of every kind, for header validation.
    pub(super) field_names: Vec<&'p str>,
    /// Records of earlier years are read: a balance card, or a yearly card that carries (§31).
    pub(super) earlier: bool,
}

impl<'p> Vocabulary<'p> {
    pub(super) fn new(policy: &'p Policy, roster: &'p Roster) -> Self {
        let mut kinds = FxHashMap::default();
        for (i, k) in policy.kinds.iter().enumerate() {
            kinds.insert(k.id.as_str(), i);
            kinds.insert(k.label.as_str(), i);
        }
        let mut field_names: Vec<&str> = Vec::new();
        for k in &policy.kinds {
            for f in &k.fields {
                if !field_names.contains(&f.name.as_str()) {
                    field_names.push(&f.name);
                }
            }
        }
        Vocabulary {
            policy,
            roster,
            kinds,
            people: People::new(roster),
            departments: roster
                .departments
                .iter()
                .enumerate()
                .map(|(i, d)| (d.as_str(), i))
                .collect(),
            field_names,
            earlier: policy.balance || crate::eval::policy_carries(policy),
        }
    }
}

/// The roster's people by id. The hash is exposed so that a batch of ids can be hashed in one
/// pass and looked up in another (see [`Worker::process`]).
pub(super) struct People {
    pub(super) table: hashbrown::HashTable<(IdKey, usize)>,
    pub(super) hasher: FxBuildHasher,
}

impl People {
    pub(super) fn new(roster: &Roster) -> Self {
        let hasher = FxBuildHasher;
        let mut table = hashbrown::HashTable::with_capacity(roster.people.len());
        for (i, p) in roster.people.iter().enumerate() {
            let key = IdKey::new(&p.id);
            let h = hasher.hash_one(&key);
            // Ids are unique (the roster reader reports a repeated one); the first one wins.
            if table.find(h, |(k, _)| *k == key).is_none() {
                table.insert_unique(h, (key, i), |(k, _)| hasher.hash_one(k));
            }
        }
        People { table, hasher }
    }

    pub(super) fn hash(&self, key: &IdKey) -> u64 {
        self.hasher.hash_one(key)
    }

    pub(super) fn find(&self, hash: u64, key: &IdKey) -> Option<usize> {
        self.table.find(hash, |(k, _)| k == key).map(|(_, p)| *p)
    }

    pub(super) fn get(&self, key: &IdKey) -> Option<usize> {
        self.find(self.hash(key), key)
    }
}

/// A person id as a hash key: inline when it fits (ids are short codes like `D07`), else boxed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum IdKey {
    Short(u8, [u8; 22]),
    Long(Box<str>),
}

impl IdKey {
    /// The key of an id given as raw bytes; `None` when a long one is not UTF-8 (a short one is
    /// compared as bytes, and only valid ids are in the table).
    pub(super) fn from_bytes(id: &[u8]) -> Option<Self> {
        Self::short(id).or_else(|| std::str::from_utf8(id).ok().map(IdKey::new))
    }

    pub(super) fn new(id: &str) -> Self {
        Self::short(id.as_bytes()).unwrap_or_else(|| IdKey::Long(Box::from(id)))
    }

    pub(super) fn short(id: &[u8]) -> Option<Self> {
        let len = u8::try_from(id.len()).ok().filter(|&l| l <= 22)?;
        let mut inline = [0; 22];
        inline[..id.len()].copy_from_slice(id);
        Some(IdKey::Short(len, inline))
    }
}

/// Where each column of one file is.
pub(super) struct Layout {
    pub(super) date: usize,
    pub(super) kind: usize,
    pub(super) person: Option<usize>,
    pub(super) department: Option<usize>,
    /// Per kind, per field: the column holding it.
    pub(super) fields: Vec<Vec<Option<usize>>>,
    /// Per kind: the field columns of other kinds, which must be empty on its rows.
    pub(super) foreign: Vec<Vec<usize>>,
    pub(super) names: Vec<String>,
}

pub(super) const RECORD_BUILTIN: [&str; 5] = ["date", "kind", "person", "department", "note"];

/// Which header position holds each column a record file has; a column without a name, one no
/// record has, one named twice and a missing `date`, `kind` or subject column are problems.
fn record_columns<'h>(
    voc: &Vocabulary<'_>,
    header: &'h Header,
    file: &str,
    errors: &mut Problems,
) -> Option<HashMap<&'h str, usize>> {
    let line = header.line;
    let ignored = &header.ignored;
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut ok = true;
    for (i, name) in header.names.iter().enumerate() {
        if ignored.get(i) == Some(&true) {
            continue;
        }
        let written = name;
        let name = alias(written);
        let known = RECORD_BUILTIN.contains(&name) || voc.field_names.contains(&name);
        if name.is_empty() {
            ok = false;
            errors.push(unnamed_column(file, line, i));
        } else if !known {
            ok = false;
            errors.push(unknown_record_column(voc, (written, name), file, line, i));
        } else if at.insert(name, i).is_some() {
            ok = false;
            errors.push(
                Diag::in_file(
                    Code::DuplicateColumn,
                    file,
                    Some(line),
                    super::roster::duplicate_column(written),
                )
                .at_cell(i)
                .help_cut(Some(super::roster::duplicate_column_help(name))),
            );
        }
    }
    ok &= has_needed_columns(&at, file, line, errors);
    ok.then_some(at)
}

/// A record file's column no record has (`written` as the header writes it, `name` as read).
fn unknown_record_column(
    voc: &Vocabulary<'_>,
    (written, name): (&str, &str),
    file: &str,
    line: usize,
    i: usize,
) -> Diag {
    let candidates = RECORD_BUILTIN
        .iter()
        .copied()
        .chain(voc.field_names.iter().copied());
    Diag::in_file(
        Code::UnknownHeader,
        file,
        Some(line),
        crate::tr!(
            format!("unknown column `{written}`"),
            format!("没有 `{written}` 这一列")
        ),
    )
    .at_cell(i)
    .help_cut(Some(did_you_mean(name, candidates).unwrap_or_else(|| {
        crate::tr!(
            "a record file has `date`, `kind`, `person` and/or `department`, `note`, \
             and the fields the policy declares for its record kinds",
            "记录文件的列是 `date`、`kind`、`person` 和（或）`department`、`note`，\
             再加上政策文件给各记录类型规定的字段"
        )
        .into()
    })))
}

/// Whether a record file's header has the `date` and `kind` columns and one naming whom a record
/// is about; says what is missing.
fn has_needed_columns(
    at: &HashMap<&str, usize>,
    file: &str,
    line: usize,
    errors: &mut Problems,
) -> bool {
    let mut ok = true;
    for needed in ["date", "kind"] {
        if !at.contains_key(needed) {
            ok = false;
            errors.push(
                Diag::in_file(
                    Code::MissingColumn,
                    file,
                    Some(line),
                    crate::tr!(
                        format!("the header has no `{needed}` column"),
                        format!("表头没有 `{needed}` 列")
                    ),
                )
                .help_cut(Some(
                    crate::tr!(
                        "the first row names the columns: `date,kind,person,…`",
                        "第一行写列名：`date,kind,person,…`"
                    )
                    .into(),
                )),
            );
        }
    }
    if !at.contains_key("person") && !at.contains_key("department") {
        ok = false;
        errors.push(
            Diag::in_file(
                Code::MissingColumn,
                file,
                Some(line),
                crate::tr!(
                    "the header has neither a `person` nor a `department` column",
                    "表头既没有 `person` 列，也没有 `department` 列"
                ),
            )
            .help_cut(Some(
                crate::tr!(
                    "records name whom they are about in one of these columns",
                    "记录要在这两列之一写明记的是谁"
                )
                .into(),
            )),
        );
    }
    ok
}

/// Where a record file's columns are, for each kind; `None` after saying what is wrong with the
/// header.
pub(super) fn layout(
    voc: &Vocabulary<'_>,
    header: Header,
    file: &str,
    errors: &mut Problems,
) -> Option<Layout> {
    let at = record_columns(voc, &header, file, errors)?;
    let field_cols: Vec<Option<usize>> =
        voc.field_names.iter().map(|n| at.get(n).copied()).collect();
    let mut fields = Vec::new();
    let mut foreign = Vec::new();
    for k in &voc.policy.kinds {
        fields.push(
            k.fields
                .iter()
                .map(|f| at.get(f.name.as_str()).copied())
                .collect(),
        );
        foreign.push(
            voc.field_names
                .iter()
                .zip(&field_cols)
                .filter(|(n, _)| !k.fields.iter().any(|f| f.name == **n))
                .filter_map(|(_, c)| *c)
                .collect(),
        );
    }
    Some(Layout {
        date: at.get("date").copied().unwrap_or(0),
        kind: at.get("kind").copied().unwrap_or(0),
        person: at.get("person").copied(),
        department: at.get("department").copied(),
        fields,
        foreign,
        names: header.names,
    })
}
