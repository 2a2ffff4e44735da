//! Lookup tables for reading records: kinds by id or label, people by id, departments, and
//! each file's column layout.

use super::*;

/// What the reader knows about the policy, built once for all files.
pub(super) struct Vocabulary<'p> {
    pub(super) policy: &'p Policy,
    pub(super) roster: &'p Roster,
    /// Kind by id and by label (see [`Kinds`]).
    pub(super) kinds: Kinds<'p>,
    /// Person ids. The tables read for every record use a fast hash: their keys come from the
    /// branch's own files, and nobody gains by making them collide. Millions of records look
    /// people up at random, so a short id is kept inside the table itself: a lookup then reads
    /// no memory outside the table.
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
        let kinds = Kinds::new(kinds);
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

/// Kinds by id and by label. A record's kind is looked up in a table of 256 slots by its name's
/// length and its first and last bytes, without hashing it: a policy has a few dozen names,
/// which nearly always each have a slot of their own. A name whose slot another took is found
/// by its hash.
pub(super) struct Kinds<'p> {
    slots: Vec<Option<(&'p str, usize)>>,
    /// The names without a slot of their own.
    rest: FxHashMap<&'p str, usize>,
}

impl<'p> Kinds<'p> {
    pub(super) fn new(names: FxHashMap<&'p str, usize>) -> Self {
        let mut slots = vec![None; 256];
        let mut rest = FxHashMap::default();
        // In order of the names, for the same slots whatever the map's order.
        let mut names: Vec<(&str, usize)> = names.into_iter().collect();
        names.sort_unstable();
        for (name, k) in names {
            match slots.get_mut(Self::slot(name.as_bytes())) {
                Some(slot @ None) => *slot = Some((name, k)),
                _ => {
                    rest.insert(name, k);
                }
            }
        }
        Kinds { slots, rest }
    }

    /// The slot of a name.
    fn slot(b: &[u8]) -> usize {
        let (first, last) = (b.first().copied(), b.last().copied());
        let mixed = b.len().wrapping_mul(0x9e)
            ^ usize::from(first.unwrap_or(0)).wrapping_mul(31)
            ^ usize::from(last.unwrap_or(0));
        mixed & 0xff
    }

    /// The kind named `name` (by its id or its label).
    pub(super) fn get(&self, name: &str) -> Option<&usize> {
        self.get_bytes(name.as_bytes())
    }

    /// [`Kinds::get`] of a name given as its bytes (nobody's when they are not UTF-8).
    #[inline]
    pub(super) fn get_bytes(&self, name: &[u8]) -> Option<&usize> {
        match self.slots.get(Self::slot(name)) {
            Some(Some((slotted, k))) if same(slotted.as_bytes(), name) => Some(k),
            _ if self.rest.is_empty() => None,
            _ => self.rest.get(std::str::from_utf8(name).ok()?),
        }
    }
}

/// Whether two names are the same bytes: a name of 4 to 16 bytes (nearly every kind's id or
/// label) is compared as two words that may overlap, without a call.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() <= 16 {
        if let Some(equal) = ends_equal::<8>(a, b).or_else(|| ends_equal::<4>(a, b)) {
            return equal;
        }
    }
    a == b
}

/// Whether the first `N` bytes and the last `N` bytes of two names are the same; `None` when
/// either is shorter than `N`.
fn ends_equal<const N: usize>(a: &[u8], b: &[u8]) -> Option<bool> {
    let firsts = a.first_chunk::<N>()? == b.first_chunk::<N>()?;
    Some(firsts && a.last_chunk::<N>()? == b.last_chunk::<N>()?)
}

/// The roster's people by id. The hash is exposed so that a batch of ids can be hashed in one
/// pass and looked up in another (see [`Worker::process`]).
pub(super) struct People {
    pub(super) table: hashbrown::HashTable<(IdKey, usize)>,
    pub(super) hasher: FxBuildHasher,
    /// When every id is one prefix and a number of one width (`P0000417`, `D07`): people by
    /// number, which millions of lookups read far faster than the hash table.
    dense: Option<Dense>,
}

/// People whose ids are `prefix` followed by exactly `width` digits, by the number.
struct Dense {
    prefix: Box<[u8]>,
    width: usize,
    /// Per number: the person's index plus one, or 0 when no id has that number.
    slots: Vec<u32>,
}

impl Dense {
    /// The table for `ids`, when they all have one shape and their numbers are not spread much
    /// wider than the roster is long (so the table stays small).
    fn new<'a>(ids: impl ExactSizeIterator<Item = &'a str> + Clone) -> Option<Dense> {
        let count = ids.len();
        let first = ids.clone().next()?.as_bytes();
        let width = first
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=9).contains(&width) {
            return None;
        }
        let prefix: Box<[u8]> = first[..first.len() - width].into();
        let limit = count.checked_mul(4)?.checked_add(1024)?;
        let mut slots: Vec<u32> = Vec::new();
        for (i, id) in ids.enumerate() {
            let n = Dense::number(&prefix, width, id.as_bytes())?;
            if n >= limit {
                return None;
            }
            if slots.len() <= n {
                slots.resize(n + 1, 0);
            }
            // Ids are unique (the roster reader reports a repeated one); the first one wins.
            if slots[n] == 0 {
                slots[n] = u32::try_from(i).ok()?.checked_add(1)?;
            }
        }
        Some(Dense {
            prefix,
            width,
            slots,
        })
    }

    /// The number of an id of the shape, or `None` when it has another shape.
    #[inline]
    fn number(prefix: &[u8], width: usize, id: &[u8]) -> Option<usize> {
        if id.len() != prefix.len() + width {
            return None;
        }
        let (head, digits) = id.split_at(prefix.len());
        // Byte by byte: a prefix is a letter or two, shorter than a call to compare them.
        if head.iter().zip(prefix).any(|(a, b)| a != b) {
            return None;
        }
        // Millions of records name ids like `P0057449`: their last eight bytes read at once.
        if let (Some(last8), true) = (id.last_chunk::<8>(), width <= 8) {
            return eight_digits(*last8, width);
        }
        let mut n = 0usize;
        for &b in digits {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                return None;
            }
            n = n * 10 + usize::from(digit);
        }
        Some(n)
    }

    /// The person with the id: every roster id has the shape, so an id of another shape is
    /// nobody's.
    fn find(&self, id: &[u8]) -> Option<usize> {
        let n = Dense::number(&self.prefix, self.width, id)?;
        (*self.slots.get(n)? as usize).checked_sub(1)
    }
}

/// The number written by the last `width` (at most 8) of eight bytes, when they are all digits.
/// The bytes before them are taken as zeros; the eight are then checked and turned into a
/// number together (each byte from 0x30 to 0x39 has 3 as its high half before and after adding
/// 6), pairs, fours and the eight combined by three multiplications.
#[inline]
fn eight_digits(bytes: [u8; 8], width: usize) -> Option<usize> {
    let skipped = 8usize.checked_sub(width)?;
    let zeros = 0x3030_3030_3030_3030_u64;
    // The first bytes of the text are the word's low bytes.
    let before = if skipped == 0 {
        0
    } else {
        u64::MAX >> (8 * (8 - skipped))
    };
    let w = (u64::from_le_bytes(bytes) & !before) | (zeros & before);
    let high = 0xF0F0_F0F0_F0F0_F0F0_u64;
    if w & high != zeros || w.wrapping_add(0x0606_0606_0606_0606) & high != zeros {
        return None;
    }
    let d = w - zeros;
    let pairs = (d.wrapping_mul(10) + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let fours = (pairs.wrapping_mul(100) + (pairs >> 16)) & 0x0000_FFFF_0000_FFFF;
    let eight = (fours.wrapping_mul(10_000) + (fours >> 32)) & 0xFFFF_FFFF;
    usize::try_from(eight).ok()
}

impl People {
    pub(super) fn new(roster: &Roster) -> Self {
        let dense = Dense::new(roster.people.iter().map(|p| p.id.as_str()));
        let hasher = FxBuildHasher;
        let mut table = hashbrown::HashTable::new();
        // People found by number are never looked up in the table.
        let keyed = if dense.is_some() {
            &[][..]
        } else {
            &roster.people[..]
        };
        table.reserve(keyed.len(), |(k, _): &(IdKey, usize)| hasher.hash_one(k));
        for (i, p) in keyed.iter().enumerate() {
            let key = IdKey::new(&p.id);
            let h = hasher.hash_one(&key);
            // Ids are unique (the roster reader reports a repeated one); the first one wins.
            if table.find(h, |(k, _)| *k == key).is_none() {
                table.insert_unique(h, (key, i), |(k, _)| hasher.hash_one(k));
            }
        }
        People {
            table,
            hasher,
            dense,
        }
    }

    pub(super) fn hash(&self, key: &IdKey) -> u64 {
        if self.dense.is_some() {
            // Not used: `find` reads the number.
            return 0;
        }
        self.hasher.hash_one(key)
    }

    pub(super) fn find(&self, hash: u64, key: &IdKey) -> Option<usize> {
        if let Some(dense) = &self.dense {
            return dense.find(key.bytes());
        }
        self.table.find(hash, |(k, _)| k == key).map(|(_, p)| *p)
    }

    /// The number of an id given as raw bytes, when the ids have one shape (`None` inside: it
    /// has another shape, so nobody has it); `None` when they do not, and the id must be looked
    /// up by [`IdKey`]. [`People::numbered`] then finds the person.
    #[inline]
    pub(super) fn number(&self, id: &[u8]) -> Option<Option<usize>> {
        let d = self.dense.as_ref()?;
        Some(Dense::number(&d.prefix, d.width, id))
    }

    /// The person with the number [`People::number`] gave.
    pub(super) fn numbered(&self, n: usize) -> Option<usize> {
        let slot = *self.dense.as_ref()?.slots.get(n)?;
        (slot as usize).checked_sub(1)
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

    /// The id's bytes.
    pub(super) fn bytes(&self) -> &[u8] {
        match self {
            IdKey::Short(len, inline) => &inline[..usize::from(*len)],
            IdKey::Long(id) => id.as_bytes(),
        }
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
    let missing = |message: String, help: &str| {
        Diag::in_file(Code::MissingColumn, file, Some(line), message).help_cut(Some(help.into()))
    };
    let mut ok = true;
    for needed in ["date", "kind"] {
        if !at.contains_key(needed) {
            ok = false;
            errors.push(missing(
                crate::tr!(
                    format!("the header has no `{needed}` column"),
                    format!("表头没有 `{needed}` 列")
                ),
                crate::tr!(
                    "the first row names the columns: `date,kind,person,…`",
                    "第一行写列名：`date,kind,person,…`"
                ),
            ));
        }
    }
    if !at.contains_key("person") && !at.contains_key("department") {
        ok = false;
        errors.push(missing(
            crate::tr!(
                "the header has neither a `person` nor a `department` column",
                "表头既没有 `person` 列，也没有 `department` 列"
            )
            .into(),
            crate::tr!(
                "records name whom they are about in one of these columns",
                "记录要在这两列之一写明记的是谁"
            ),
        ));
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

#[cfg(test)]
mod tests;
