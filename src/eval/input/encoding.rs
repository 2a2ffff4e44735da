//! The text encodings of CSV files: UTF-8, or GBK as Chinese Excel and WPS save CSV by default
//! (read as GB18030, of which GBK is a part).
//!
//! A file is read as UTF-8 first. One that is not UTF-8 is read as GB18030 when every byte of it
//! is GB18030 text; else it is refused. Nothing is ever decoded with replacement characters, so no
//! cell is silently changed.

use super::*;

/// How the text of the roster and the record files is encoded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8; a file that is not is read as GB18030 if it is that, and refused otherwise.
    #[default]
    Auto,
    /// UTF-8 only.
    Utf8,
    /// GB18030 (and so GBK); a file that starts with UTF-8's byte-order mark is UTF-8.
    Gb18030,
}

/// A file's text as UTF-8, decoded from GB18030 (strictly: no replacement characters). `Err`
/// holds the 1-based line of the first bytes that are not GB18030.
pub(super) fn decode_gb18030(bytes: &[u8]) -> Result<String, usize> {
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => Err(first_bad_line(bytes)),
    }
}

/// The line of the first bytes the GB18030 decoder refuses.
fn first_bad_line(bytes: &[u8]) -> usize {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(4096);
    let mut read_all = 0;
    loop {
        out.clear();
        let rest = bytes.get(read_all..).unwrap_or(&[]);
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        read_all += read;
        match result {
            encoding_rs::DecoderResult::OutputFull => {}
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::Malformed(bad, after) => {
                read_all = read_all.saturating_sub(usize::from(bad) + usize::from(after));
                break;
            }
        }
    }
    let before = bytes.get(..read_all).unwrap_or(bytes);
    memchr::memchr_iter(b'\n', before).count() + 1
}

/// Whether a file that is not UTF-8 is GB18030 text: `Err` with the line of the first bytes that
/// are not. `None` for a file holding a 0 byte, which is in no text file: such a file is UTF-16 (or
/// not text), which GB18030 would decode without complaint.
pub(super) fn gb18030_line(bytes: &[u8]) -> Option<Result<(), usize>> {
    if memchr::memchr(0, bytes).is_some() {
        return None;
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(_) => Some(Ok(())),
        None => Some(Err(first_bad_line(bytes))),
    }
}

/// A file's text as the CSV reader reads it: known to be UTF-8 (checked whole, or decoded from
/// GB18030), or bytes to be checked cell by cell as they are read.
pub(super) enum Decoded {
    Text(String),
    Bytes(Vec<u8>),
}

impl AsRef<[u8]> for Decoded {
    fn as_ref(&self) -> &[u8] {
        match self {
            Decoded::Text(text) => text.as_bytes(),
            Decoded::Bytes(bytes) => bytes,
        }
    }
}

/// The bytes of a file as the CSV reader reads them, decoded as `encoding` asks: UTF-8 text is
/// given as it is (and checked cell by cell as it is read), GB18030 text as UTF-8.
pub(super) fn decoded(
    bytes: Vec<u8>,
    encoding: Encoding,
    file: &str,
) -> Result<Decoded, Box<Diag>> {
    match encoding {
        Encoding::Utf8 => Ok(Decoded::Bytes(bytes)),
        Encoding::Auto => {
            let (bytes, utf8_line) = match simdutf8::compat::from_utf8(&bytes) {
                Ok(_) => {
                    // SAFETY: the bytes were just checked to be UTF-8, and are not changed since.
                    let text = unsafe { String::from_utf8_unchecked(bytes) };
                    return Ok(Decoded::Text(text));
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    let line = memchr::memchr_iter(b'\n', &bytes[..valid]).count() + 1;
                    (bytes, line)
                }
            };
            match gb18030_line(&bytes) {
                // UTF-16, most likely: read as UTF-8, which names it.
                None => Ok(Decoded::Bytes(bytes)),
                Some(Ok(())) => decode_gb18030(&bytes)
                    .map(Decoded::Text)
                    .map_err(|line| not_utf8(file, line, encoding).into()),
                // Neither: at the line where the reading that got further stopped.
                Some(Err(line)) => Err(not_utf8(file, line.max(utf8_line), encoding).into()),
            }
        }
        Encoding::Gb18030 => {
            // A file that starts with UTF-8's byte-order mark says it is UTF-8 (as browsers
            // read a page whatever its declared encoding): read as that, and checked as it is read.
            if bytes.starts_with(b"\xEF\xBB\xBF") {
                return Ok(Decoded::Bytes(bytes));
            }
            decode_gb18030(&bytes)
                .map(Decoded::Text)
                .map_err(|line| not_utf8(file, line, encoding).into())
        }
    }
}

/// A file whose text is not in the encoding it is read in.
pub(super) fn not_utf8(file: &str, line: usize, encoding: Encoding) -> Diag {
    let (message, help) = match encoding {
        Encoding::Auto => (
            crate::tr!(
                "this file is neither UTF-8 nor GBK (GB18030) text",
                "这个文件既不是 UTF-8 文本，也不是 GBK（GB18030）文本"
            ),
            crate::tr!(
                "in Excel or WPS choose \"Save as\" → \"CSV UTF-8\"",
                "在 Excel 或 WPS 里选“另存为”→“CSV UTF-8”"
            ),
        ),
        Encoding::Utf8 => (
            crate::tr!("this file is not UTF-8 text", "这个文件不是 UTF-8 文本"),
            crate::tr!(
                "it was probably saved in a Chinese legacy encoding (GBK): leave out `--encoding \
                 utf-8` to read it, or in Excel or WPS choose \"Save as\" → \"CSV UTF-8\"",
                "它多半是按老的中文编码（GBK）保存的：去掉 `--encoding utf-8` 就能读，\
                 或者在 Excel 或 WPS 里选“另存为”→“CSV UTF-8”"
            ),
        ),
        Encoding::Gb18030 => (
            crate::tr!(
                "this file is not GBK (GB18030) text",
                "这个文件不是 GBK（GB18030）文本"
            ),
            crate::tr!(
                "leave out `--encoding` to read UTF-8 files, or in Excel or WPS choose \"Save as\" \
                 → \"CSV UTF-8\"",
                "去掉 `--encoding` 就能读 UTF-8 文件，或者在 Excel 或 WPS 里选“另存为”→“CSV UTF-8”"
            ),
        ),
    };
    Diag::in_file(Code::NotUtf8, file, Some(line), message).help_cut(Some(help.into()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn gbk_is_decoded_and_the_first_bad_line_found() {
        let (gbk, _, bad) = encoding_rs::GBK.encode("date,kind\n2020-03-02,迟到\n");
        assert!(!bad);
        assert_eq!(
            decode_gb18030(&gbk).unwrap(),
            "date,kind\n2020-03-02,迟到\n"
        );
        let mut broken = gbk.into_owned();
        broken.extend_from_slice(b"a\n\xff\n");
        assert_eq!(decode_gb18030(&broken), Err(4));
        assert_eq!(first_bad_line(b"\x81"), 1);
        assert_eq!(gb18030_line(b"a\0b"), None);
        assert_eq!(gb18030_line(b"a\n\xb3\xd9\n\xff"), Some(Err(3)));
    }
}
