//! A roster or a record file held in memory instead of on disk: a scenario's rows, read like a
//! file's, with problems and origins on the lines of the text they were taken from.

use super::*;

/// CSV text held in memory, read in place of the file named `name`.
#[derive(Clone, Debug)]
pub struct InMemory {
    /// The name it is known by: in a list of record files, the file it stands for.
    pub name: PathBuf,
    /// The text, in UTF-8.
    pub bytes: Arc<[u8]>,
    /// The line its first line stands on in the text it was taken from (1 for a text of its own):
    /// every line a problem or a record's origin names counts from there.
    pub first_line: usize,
}

impl InMemory {
    /// A CSV reader over the text, its lines counted from [`InMemory::first_line`].
    pub(super) fn reader(&self) -> CsvReader {
        use std::io::Read;
        // Empty lines before the text: the reader skips them, and counts them.
        let before = self.first_line.saturating_sub(1) as u64;
        let text = std::io::repeat(b'\n')
            .take(before)
            .chain(std::io::Cursor::new(Arc::clone(&self.bytes)));
        reader(Source::Memory(Box::new(text)))
    }

    /// The header and the rows under it; `None` when the text holds nothing.
    pub(super) fn rows(&self) -> Result<Option<(Header, Rows)>, Box<Diag>> {
        let file = display(&self.name);
        let mut reader = self.reader();
        Ok(read_header(&mut reader, &file, Encoding::Utf8)?.map(|h| (h, Rows::Csv(reader))))
    }
}

/// Reads a roster held in memory and checks it against the policy.
pub fn read_roster_from(policy: &Policy, roster: &InMemory) -> Result<Roster, Problems> {
    let file = display(&roster.name);
    let header = roster
        .rows()
        .map_err(|e| Problems::one(Stage::Reading, *e))?;
    roster_rows(policy, &file, header, Encoding::Utf8)
}
