//! Byte offsets (what spans hold) to LSP positions and back. LSP counts a column in UTF-16 code
//! units: a Chinese character is one, a character outside the Basic Multilingual Plane (an emoji,
//! a rare Ext-B name character) two. Lines end with `\n`, `\r\n` or a lone `\r`, as the policy
//! reader reads them.

use line_index::{LineCol, LineIndex, TextSize, WideEncoding, WideLineCol};
use lsp_types::{Position, Range};

use crate::syntax::ast::Span;

/// The line index of one document's text.
pub struct Lines {
    index: LineIndex,
    text: String,
}

impl Lines {
    pub fn new(text: &str) -> Self {
        // A lone `\r` ends a line as `\n` does; both are one byte, so offsets stay valid.
        let text = crate::diag::lone_cr_as_lf(text).into_owned();
        // The index counts in `u32`; a text that long is no policy, and is indexed as empty.
        let index = if u32::try_from(text.len()).is_ok_and(|n| n < u32::MAX) {
            LineIndex::new(&text)
        } else {
            LineIndex::new("")
        };
        Lines { index, text }
    }

    /// The position of a byte offset; an offset past the end or inside a character is moved back
    /// to the character's start.
    pub fn position(&self, offset: usize) -> Position {
        let len = u32::from(self.index.len()) as usize;
        let mut offset = offset.min(len);
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let at = TextSize::new(u32::try_from(offset).unwrap_or(0));
        let wide = self
            .index
            .try_line_col(at)
            .and_then(|lc| self.index.to_wide(WideEncoding::Utf16, lc));
        match wide {
            Some(w) => Position::new(w.line, w.col),
            None => Position::new(0, 0),
        }
    }

    pub fn range(&self, span: Span) -> Range {
        let start = self.position(span.start);
        let end = self.position(span.end.max(span.start));
        Range::new(start, end)
    }

    /// The byte offset of a position: `None` for a line past the end; a column past the end of
    /// its line means the line's end, one inside a character its start.
    pub fn offset(&self, position: Position) -> Option<usize> {
        let line = self.index.line(position.line)?;
        let (start, end) = (usize::from(line.start()), usize::from(line.end()));
        // The line's content, without its line end.
        let content = self.text.get(start..end)?.trim_end_matches(['\n', '\r']);
        let wide = WideLineCol {
            line: position.line,
            col: position.character,
        };
        let col = self
            .index
            .to_utf8(WideEncoding::Utf16, wide)
            .map_or(content.len(), |LineCol { col, .. }| col as usize)
            .min(content.len());
        let mut offset = start + col;
        while offset > start && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        Some(offset)
    }

    /// The span of a range, or `None` when it starts past the end.
    pub fn span(&self, range: Range) -> Option<Span> {
        let start = self.offset(range.start)?;
        let end = self.offset(range.end).unwrap_or(self.text.len());
        Some(Span::new(start, end.max(start)))
    }

    /// The whole text's range.
    pub fn all(&self) -> Range {
        Range::new(Position::new(0, 0), self.position(self.text.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn chinese_characters_are_one_unit_each() {
        let text = "record late \"迟到\" by person\n迟到 x";
        let lines = Lines::new(text);
        let x = text.rfind('x').unwrap_or(0);
        assert_eq!(lines.position(x), pos(1, 3));
        assert_eq!(lines.offset(pos(1, 3)), Some(x));
        let quote = text.find('"').unwrap_or(0);
        // `"迟到"`: the closing quote is 3 units after the opening one, 7 bytes.
        assert_eq!(lines.position(quote + 7), pos(0, 15));
        assert_eq!(lines.offset(pos(0, 15)), Some(quote + 7));
    }

    #[test]
    fn supplementary_characters_are_two_units() {
        // 𠮷 (U+20BB7, Ext-B) and 😀 are four bytes and two UTF-16 units.
        let text = "a𠮷b😀c";
        let lines = Lines::new(text);
        assert_eq!(lines.position(1), pos(0, 1));
        assert_eq!(lines.position(5), pos(0, 3));
        assert_eq!(lines.position(10), pos(0, 6));
        assert_eq!(lines.offset(pos(0, 3)), Some(5));
        assert_eq!(lines.offset(pos(0, 6)), Some(10));
        // Inside a surrogate pair: the character's start.
        assert_eq!(lines.offset(pos(0, 2)), Some(1));
        // Inside a character's bytes: its start.
        assert_eq!(lines.position(3), pos(0, 1));
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "ab\r\n迟到\rcd\n";
        let lines = Lines::new(text);
        let c = text.find('c').unwrap_or(0);
        assert_eq!(lines.position(c), pos(2, 0));
        assert_eq!(lines.offset(pos(2, 0)), Some(c));
        assert_eq!(lines.position(4), pos(1, 0));
        // A column past the end of a line is its end, before `\r\n`.
        assert_eq!(lines.offset(pos(0, 99)), Some(2));
        assert_eq!(lines.offset(pos(1, 99)), Some(10));
        assert_eq!(lines.position(text.len()), pos(3, 0));
    }

    proptest::proptest! {
        /// Any text, any offset, any position: no panic; a character's start goes to a position
        /// and back to itself.
        #[test]
        fn offsets_and_positions_round_trip(
            text in "[a-z\r\n迟到𠮷😀 \t]{0,40}",
            offset in 0usize..60,
            line in 0u32..8,
            character in 0u32..50,
        ) {
            let lines = Lines::new(&text);
            let back = lines.position(offset);
            if offset <= text.len() && text.is_char_boundary(offset)
                && !(text.as_bytes().get(offset) == Some(&b'\n') && offset > 0 && text.as_bytes()[offset - 1] == b'\r')
            {
                proptest::prop_assert_eq!(lines.offset(back), Some(offset));
            }
            if let Some(o) = lines.offset(Position::new(line, character)) {
                proptest::prop_assert!(o <= text.len() && text.is_char_boundary(o));
            }
        }
    }

    #[test]
    fn positions_out_of_the_text_do_not_panic() {
        let lines = Lines::new("abc");
        assert_eq!(lines.offset(pos(5, 0)), None);
        assert_eq!(lines.offset(pos(0, u32::MAX)), Some(3));
        assert_eq!(lines.position(usize::MAX), pos(0, 3));
        let empty = Lines::new("");
        assert_eq!(empty.offset(pos(0, 0)), Some(0));
        assert_eq!(empty.position(7), pos(0, 0));
    }
}
