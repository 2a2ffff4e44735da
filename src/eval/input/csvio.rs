//! CSV plumbing: opening a file, rows, cells and the header. The quote checks the csv crate does
//! not make are in `quotes`.

use super::*;

/// A CSV file being read by bytes.
pub(super) type CsvReader = csv::Reader<Terminated<Source>>;

/// Where a CSV reader's bytes come from: the file itself, streamed, or its text decoded to UTF-8
/// beforehand (see [`Encoding`]).
pub(super) enum Source {
    File(std::fs::File),
    Decoded(std::io::Cursor<super::encoding::Decoded>),
    /// Text held in memory, after the empty lines that put its first line where it belongs
    /// (boxed: the reader of a file stays as small as it was).
    Memory(Box<MemoryText>),
}

/// Empty lines, then a text held in memory.
pub(super) type MemoryText =
    std::io::Chain<std::io::Take<std::io::Repeat>, std::io::Cursor<Arc<[u8]>>>;

impl std::io::Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Source::File(f) => f.read(buf),
            Source::Decoded(c) => c.read(buf),
            Source::Memory(m) => m.read(buf),
        }
    }
}

/// A file as the CSV reader sees it: with a final line break added when the file lacks one, so
/// that every row ends with a `\n` and the line it starts on can be counted back from the end
/// (see [`next_row`]); and its quotes watched (see [`Quotes`]).
pub(super) struct Terminated<R> {
    pub(super) inner: R,
    pub(super) last: u8,
    pub(super) done: bool,
    pub(super) quotes: Quotes,
}

impl<R: std::io::Read> std::io::Read for Terminated<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.done {
            self.quotes.end();
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if let Some(read) = buf.get(..n).filter(|b| !b.is_empty()) {
            self.last = read.last().copied().unwrap_or(self.last);
            self.quotes.scan(read);
            return Ok(n);
        }
        self.done = true;
        match buf.first_mut() {
            Some(first) if self.last != b'\n' => {
                *first = b'\n';
                self.quotes.scan(b"\n");
                Ok(1)
            }
            _ => {
                self.quotes.end();
                Ok(0)
            }
        }
    }
}

/// Opens a CSV file for reading by bytes, streamed as it is: UTF-8 is checked as the rows are read.
/// Headers are read by the caller.
pub(super) fn open(path: &Path) -> Result<CsvReader, Box<Diag>> {
    Ok(reader(Source::File(open_file(path)?)))
}

/// Opens a CSV file whose text is decoded whole before it is read (see [`decoded`]).
pub(super) fn open_decoded(path: &Path, encoding: Encoding) -> Result<CsvReader, Box<Diag>> {
    use std::io::Read;
    let mut file = open_file(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| Diag::unreadable(Code::CannotRead, &display(path), cannot_read(&e)))?;
    let text = decoded(bytes, encoding, &display(path))?;
    Ok(reader(Source::Decoded(std::io::Cursor::new(text))))
}

fn open_file(path: &Path) -> Result<std::fs::File, Box<Diag>> {
    let file = std::fs::File::open(path)
        .map_err(|e| Diag::unreadable(Code::CannotRead, &display(path), cannot_read(&e)))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Diag::unreadable(
            Code::CannotRead,
            &display(path),
            crate::tr!(
                "this is a folder, not a CSV file",
                "这是文件夹，不是 CSV 文件"
            ),
        )
        .into());
    }
    Ok(file)
}

pub(super) fn reader(source: Source) -> CsvReader {
    // Rows end at `\n` only: a `\r` before it stays at the end of the last cell, where trimming
    // removes it. With `\r` as a terminator too, a CRLF row would end at its `\r`, and its `\n`
    // would be counted on the next row's account.
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(Terminated {
            inner: source,
            last: b'\n',
            done: false,
            quotes: Quotes::new(),
        })
}

/// The rows under a header: of a CSV file, or of a sheet (see [`Table`]).
pub(super) enum Rows {
    Csv(CsvReader),
    Sheet(std::vec::IntoIter<csv::ByteRecord>),
}

impl Rows {
    /// The next row, as [`next_row`] reads it.
    pub(super) fn next(
        &mut self,
        row: &mut csv::ByteRecord,
        file: &str,
    ) -> Result<bool, Box<Diag>> {
        match self {
            Rows::Csv(reader) => next_row(reader, row, file),
            Rows::Sheet(rows) => match rows.next() {
                Some(next) => {
                    *row = next;
                    Ok(true)
                }
                None => Ok(false),
            },
        }
    }

    /// The quote problem of the row just read (a sheet has none).
    pub(super) fn quote_problem(&mut self, file: &str) -> Option<Diag> {
        match self {
            Rows::Csv(reader) => quote_problem(reader, file),
            Rows::Sheet(_) => None,
        }
    }
}

/// Reads the next row into `row`, with the line it starts on as its position. `Ok(false)` at the
/// end of the file.
///
/// The reader dates a row from where the previous one ended, which is before any blank lines it
/// skips; so the line is counted back from the row's end instead: every row ends with one `\n`
/// (see [`Terminated`]), and a quoted cell may hold more.
pub(super) fn next_row(
    reader: &mut CsvReader,
    row: &mut csv::ByteRecord,
    file: &str,
) -> Result<bool, Box<Diag>> {
    let more = reader.read_byte_record(row).map_err(|e| {
        let line = e.position().map(|p| p.line() as usize);
        let message = match e.kind() {
            csv::ErrorKind::Io(io) => cannot_read(io),
            _ => crate::tr!(
                format!("this line is not valid CSV: {e}"),
                format!("这一行不是有效的 CSV：{e}")
            ),
        };
        Diag::in_file(Code::CannotRead, file, line, message)
    })?;
    if more {
        let end = reader.position().line();
        if let Some(mut start) = row.position().cloned() {
            if end != start.line() + 1 {
                let inside = row.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
                start.set_line(end.saturating_sub(inside + 1).max(1));
                row.set_position(Some(start));
            }
        }
    }
    Ok(more)
}

pub(super) fn line_of(row: &csv::ByteRecord) -> usize {
    row.position().map_or(0, |p| p.line() as usize)
}

pub(super) fn is_blank(row: &csv::ByteRecord) -> bool {
    row.iter()
        .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
}

/// A cell as text, trimmed; `Err` when it is not UTF-8.
pub(super) fn cell_text(cell: &[u8]) -> Result<&str, ()> {
    std::str::from_utf8(cell).map(trimmed).map_err(|_| ())
}

/// A cell without the white space around it, as [`str::trim`] gives it. Nearly every cell has
/// none, which is told from its ends without searching: it starts with a visible ASCII character
/// or the first byte of a character that is never white space (every white space character
/// beyond ASCII starts with byte C2, E1, E2 or E3: U+0085, U+00A0, U+1680, U+2000 to U+205F,
/// U+3000), and ends with a character that is not white space (told from its last byte, nearly
/// always).
#[inline]
pub(super) fn trimmed(cell: &str) -> &str {
    if cell.is_empty() {
        return cell;
    }
    let plain_start = cell
        .as_bytes()
        .first()
        .is_some_and(|&a| a.is_ascii_graphic() || (a >= 0xC3 && !(0xE1..=0xE3).contains(&a)));
    let bytes = cell.as_bytes();
    let plain_end = match *bytes {
        [.., z] if z.is_ascii() => z.is_ascii_graphic(),
        // The last byte of a character beyond ASCII: every white space one ends with a byte
        // from 80 to 8A, or 9F, A0, A8, A9 or AF (U+3000 is E3 80 80, U+00A0 is C2 A0), and
        // starts with C2 (two bytes) or E1 to E3 (three): `退` (E9 80 80) is told from its
        // first byte.
        [.., z] if !matches!(z, 0x80..=0x8A | 0x9F | 0xA0 | 0xA8 | 0xA9 | 0xAF) => true,
        [.., a, _, _] if !(0xE1..=0xE3).contains(&a) && bytes[bytes.len() - 2] != 0xC2 => true,
        _ => cell.chars().next_back().is_some_and(|c| !c.is_whitespace()),
    };
    if plain_start && plain_end {
        cell
    } else {
        cell.trim()
    }
}

/// A header that is not UTF-8: UTF-16 (Excel's "Unicode text", which starts with a byte-order
/// mark `FF FE` or `FE FF`, or puts a 0 byte beside every ASCII letter) is named as such; anything
/// else is most likely GBK.
fn not_utf8_header(file: &str, line: usize, cell: &[u8], encoding: Encoding) -> Diag {
    let utf16 = cell.starts_with(&[0xFF, 0xFE])
        || cell.starts_with(&[0xFE, 0xFF])
        || cell.iter().filter(|&&b| b == 0).count() * 3 >= cell.len().max(1);
    if !utf16 {
        return not_utf8(file, line, encoding);
    }
    Diag::in_file(
        Code::NotUtf8,
        file,
        Some(line),
        crate::tr!(
            "this file is UTF-16 text, not UTF-8",
            "这个文件是 UTF-16 文本，不是 UTF-8"
        ),
    )
    .help_cut(Some(crate::tr!(
        format!(
            "it was saved as UTF-16 (Excel's \"Unicode text\"); {}",
            save_as()
        ),
        format!(
            "它是按 UTF-16（Excel 的“Unicode 文本”）保存的；{}",
            save_as()
        )
    )))
}

/// The header row of a file: the line it is on (blank lines may come before it) and the column
/// names, trimmed, a UTF-8 byte-order mark removed.
pub(super) struct Header {
    pub(super) line: usize,
    pub(super) names: Vec<String>,
    /// Per column, whether it is no column at all (in a sheet: no header and no value); empty
    /// for a CSV file, where every column counts.
    pub(super) ignored: Vec<bool>,
}

pub(super) fn read_header(
    reader: &mut CsvReader,
    file: &str,
    encoding: Encoding,
) -> Result<Option<Header>, Box<Diag>> {
    let mut row = csv::ByteRecord::new();
    loop {
        if !next_row(reader, &mut row, file)? {
            return Ok(None);
        }
        if let Some(e) = quote_problem(reader, file) {
            return Err(e.into());
        }
        if !is_blank(&row) {
            break;
        }
    }
    let line = line_of(&row);
    let mut names = Vec::with_capacity(row.len());
    for (i, cell) in row.iter().enumerate() {
        let cell = if i == 0 {
            cell.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(cell)
        } else {
            cell
        };
        // A 0 byte is no character of a header: UTF-16 without its byte-order mark.
        let text = cell_text(cell)
            .ok()
            .filter(|_| !cell.contains(&0))
            .ok_or_else(|| not_utf8_header(file, line, cell, encoding))?;
        if text.contains('\r') && !text.contains('\n') {
            // Only `\n` ends a row, so a file whose lines end with `\r` alone is one long row.
            return Err(Diag::in_file(
                Code::CrLineEndings,
                file,
                Some(line),
                crate::tr!(
                    "the lines of this file end with a carriage return alone (an old Mac format)",
                    "这个文件每行只以回车符结尾（老式 Mac 格式）"
                ),
            )
            .help_cut(Some(save_as().into()))
            .into());
        }
        names.push(text.to_string());
    }
    Ok(Some(Header {
        line,
        names,
        ignored: Vec::new(),
    }))
}

/// A header cell with no name. Its column cannot be read: every cell needs a column name.
pub(super) fn unnamed_column(file: &str, line: usize, position: usize) -> Diag {
    Diag::in_file(
        Code::UnnamedColumn,
        file,
        Some(line),
        crate::tr!(
            format!("column {} of the header has no name", position + 1),
            format!("表头第 {} 列没有列名", position + 1)
        ),
    )
    .at_cell(position)
    .help_cut(Some(
        crate::tr!(
            "write the column's name in the header, or delete the column if it holds nothing",
            "在表头写上列名；这一列要是空的，就删掉"
        )
        .into(),
    ))
}

/// A row with more cells than the header has names: which cell is past the last column, and what
/// usually put it there.
pub(super) fn too_many_cells(
    file: &str,
    line: usize,
    row: &csv::ByteRecord,
    columns: usize,
) -> Diag {
    let extra = row.iter().enumerate().skip(columns).find_map(|(i, cell)| {
        let text = String::from_utf8_lossy(cell);
        let text = text.trim();
        (!text.is_empty()).then(|| (i, text.chars().take(40).collect::<String>()))
    });
    let cell = extra.as_ref().map_or(columns, |(i, _)| *i);
    let help = match extra {
        Some((i, text)) => crate::tr!(
            format!(
                "cell {} holds `{text}` but has no column; a value that contains a comma must be in \
                 double quotes (\"…\"), or the header needs a name for this column",
                i + 1
            ),
            format!(
                "第 {} 格写着 `{text}`，却没有对应的列；带逗号的值要放在英文双引号里（\"…\"），\
                 不然就要在表头给这一列起个名",
                i + 1
            )
        ),
        None => crate::tr!(
            "the cells past the last column are empty: remove the commas at the end of the row",
            "最后一列后面的格子是空的：删掉行尾多出来的逗号"
        )
        .into(),
    };
    Diag::in_file(
        Code::TooManyCells,
        file,
        Some(line),
        crate::tr!(
            format!(
                "this row has {} cells but the header has {columns}",
                row.len()
            ),
            format!("这一行有 {} 格，表头只有 {columns} 列", row.len())
        ),
    )
    .at_cell(cell)
    .help_cut(Some(help))
}

/// A file that cannot be read, and why.
fn cannot_read(e: &std::io::Error) -> String {
    crate::tr!(
        format!("cannot read this file: {}", io_reason(e)),
        format!("读不了这个文件：{}", io_reason(e))
    )
}

/// How a spreadsheet is saved as the CSV tally reads best.
pub(super) fn save_as() -> &'static str {
    crate::tr!(
        "in Excel or WPS choose \"Save as\" → \"CSV UTF-8\"",
        "在 Excel 或 WPS 里选“另存为”→“CSV UTF-8”"
    )
}

#[cfg(test)]
mod tests {
    /// Every character, alone, first or last in a cell.
    #[test]
    fn a_cell_of_any_character_is_trimmed_as_str_trim_trims_it() {
        let mut cell = String::new();
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            for (before, after) in [("", ""), ("a", ""), ("", "a"), ("迟", "到")] {
                cell.clear();
                cell.push_str(before);
                cell.push(c);
                cell.push_str(after);
                assert_eq!(super::trimmed(&cell), cell.trim(), "{c:?}");
            }
        }
    }

    #[test]
    fn a_cell_is_trimmed_as_str_trim_trims_it() {
        let spaces = [
            "",
            " ",
            "\t",
            "\u{3000}",
            "\u{85}",
            "\u{1680}",
            "\u{2000}",
            "\u{200a}",
            "\u{2028}",
            "\u{2029}",
            "\u{202f}",
            "\u{205f}",
            "\u{b}",
            "\u{c}",
            "\u{a0}",
            "\u{2003}",
            "\u{feff}",
            " \u{3000} ",
        ];
        let middles = [
            "",
            "a",
            "迟到",
            "é",
            "\u{1680}x\u{205f}",
            "ÿ",
            "\u{2028}",
            "\u{85}",
            "ー",
            "P0001",
            "a b",
            "5.5",
            "\u{3000}",
            "-",
            "全角　空格",
        ];
        for before in spaces {
            for middle in middles {
                for after in spaces {
                    let cell = format!("{before}{middle}{after}");
                    assert_eq!(super::trimmed(&cell), cell.trim(), "{cell:?}");
                }
            }
        }
    }
}
