//! The quote checks the csv crate does not make: a scanner that follows the CSV reader's quotes
//! byte for byte as the file is read, and the problems it finds, by the line each quote opened on.

use super::*;

/// What went wrong with a quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum QuoteProblem {
    /// Opened and never closed: every line after it was read into the cell.
    Unclosed,
    /// Closed in the middle of the cell: text follows the closing quote (`"ab"c`).
    ClosedInside,
    /// After spaces at the start of a cell, where it opens nothing (` "a,b"`).
    AfterSpaces,
}

/// Where the CSV reader is in a row, as far as quotes go (the states of `csv_core`'s reader with
/// the settings of [`open`], which this follows byte for byte).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum QuoteState {
    /// At the start of a cell (or of a row).
    Start,
    /// Inside a cell that does not start with a quote: a quote is text.
    Plain,
    /// Spaces at the start of a cell.
    Spaces,
    /// Inside a quoted cell.
    Quoted,
    /// Right after a quote inside a quoted cell: it closes the cell or, doubled, is a quote.
    Closed,
    /// Spaces after the closing quote.
    ClosedSpaces,
}

/// Watches the quotes of a CSV file as the reader reads it. The `csv` crate takes what it is given
/// leniently: a quote never closed swallows every following row into one cell, and text after a
/// closing quote is joined to the cell. Both are found here, by the line the quote opened on, and
/// [`next_row`]'s callers turn them into errors for the row that holds them.
pub(super) struct Quotes {
    pub(super) state: QuoteState,
    /// The line being read (1-based).
    pub(super) line: u64,
    /// The line the current quoted cell opened on.
    pub(super) opened: u64,
    /// Problems found and not yet claimed by a row, in line order.
    pub(super) found: std::collections::VecDeque<(u64, QuoteProblem)>,
    /// Whether bytes have been scanned: the reader skips a byte-order mark at the very start.
    pub(super) started: bool,
}

impl Quotes {
    pub(super) fn new() -> Self {
        Quotes {
            state: QuoteState::Start,
            line: 1,
            opened: 1,
            found: std::collections::VecDeque::new(),
            started: false,
        }
    }

    pub(super) fn scan(&mut self, bytes: &[u8]) {
        // As `csv_core` does: a byte-order mark in the first bytes read is not part of the text.
        let first = !self.started;
        self.started |= !bytes.is_empty();
        let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) if first => rest,
            _ => bytes,
        };
        // Most pieces hold no quote at all: then only the line count and the state at the end
        // matter, and the bytes between the first and the last cell end need no look.
        if memchr::memchr(b'"', bytes).is_none() {
            let lines = |b: &[u8]| memchr::memchr_iter(b'\n', b).count() as u64;
            if self.state == QuoteState::Quoted {
                self.line += lines(bytes);
                return;
            }
            if let (Some(first), Some(last)) = (
                memchr::memchr2(b',', b'\n', bytes),
                memchr::memrchr2(b',', b'\n', bytes),
            ) {
                self.step(&bytes[..=first]);
                // After a cell's end and with no quote, every cell is plain text.
                self.line += lines(&bytes[first + 1..=last]);
                self.state = QuoteState::Start;
                self.step(&bytes[last + 1..]);
                return;
            }
        }
        self.step(bytes);
    }

    /// Follows the quotes byte by byte.
    fn step(&mut self, bytes: &[u8]) {
        use QuoteState::{Closed, ClosedSpaces, Plain, Quoted, Spaces, Start};
        for &b in bytes {
            let space = matches!(b, b' ' | b'\t' | b'\r');
            let ends = matches!(b, b',' | b'\n');
            self.state = match self.state {
                Start if b == b'"' => {
                    self.opened = self.line;
                    Quoted
                }
                Start | Plain | Spaces | ClosedSpaces if ends => Start,
                Start | Spaces if space => Spaces,
                Spaces if b == b'"' => {
                    self.found.push_back((self.line, QuoteProblem::AfterSpaces));
                    Plain
                }
                Start | Plain | Spaces => Plain,
                Quoted if b == b'"' => Closed,
                Quoted => Quoted,
                Closed if b == b'"' => Quoted,
                Closed if ends => Start,
                Closed | ClosedSpaces if space => ClosedSpaces,
                Closed | ClosedSpaces => {
                    self.found
                        .push_back((self.opened, QuoteProblem::ClosedInside));
                    Plain
                }
            };
            if b == b'\n' {
                self.line += 1;
            }
        }
    }

    /// The end of the file: a quoted cell still open was never closed.
    pub(super) fn end(&mut self) {
        if self.state == QuoteState::Quoted {
            self.found.push_back((self.opened, QuoteProblem::Unclosed));
            self.state = QuoteState::Start;
        }
    }
}

/// The first quote problem of the row just read, if any (see [`Quotes`]): the problems on the
/// lines the reader has gone past are this row's, the row having been read whole.
pub(super) fn quote_problem(reader: &mut CsvReader, file: &str) -> Option<Diag> {
    let end = reader.position().line();
    let found = &mut reader.get_mut().quotes.found;
    let mut first = None;
    while let Some(&(line, problem)) = found.front() {
        if line >= end {
            break;
        }
        found.pop_front();
        first.get_or_insert((line, problem));
    }
    let (line, problem) = first?;
    let (code, message, help) = match problem {
        QuoteProblem::Unclosed => (
            Code::UnclosedQuote,
            crate::tr!(
                "a quote (\") opens a cell here and is never closed, so every line after it was \
                 read as part of this cell",
                "这里有个引号（\"）开了一格却一直没有关上，后面的每一行都被当成了这一格的内容"
            ),
            crate::tr!(
                "close the cell's quote; a quote inside a quoted cell is written twice (\"\")",
                "把这一格的引号关上；带引号的格子里要写引号，就连写两个（\"\"）"
            ),
        ),
        QuoteProblem::ClosedInside => (
            Code::MisplacedQuote,
            crate::tr!(
                "a quoted cell that opens here is closed in the middle: text follows its closing \
                 quote (\")",
                "这里带引号的一格在中间就关上了：关上的引号（\"）后面还有文字"
            ),
            crate::tr!(
                "put the whole cell in quotes, and write a quote inside it twice (\"\"), like \
                 \"a \"\"b\"\" c\"",
                "把整格内容放进引号里，格子里的引号连写两个（\"\"），比如 \"a \"\"b\"\" c\""
            ),
        ),
        QuoteProblem::AfterSpaces => (
            Code::MisplacedQuote,
            crate::tr!(
                "a quote (\") after spaces does not open a quoted cell: the cell is read as it \
                 stands, and a comma inside it starts another cell",
                "空格后面的引号（\"）不算带引号的格子：这一格照原样读，里面的逗号会另起一格"
            ),
            crate::tr!("remove the spaces before the quote", "删掉引号前面的空格"),
        ),
    };
    let line = usize::try_from(line).unwrap_or(usize::MAX);
    Some(Diag::in_file(code, file, Some(line), message).help_cut(Some(help.into())))
}

#[cfg(test)]
mod quote_tests {
    #![allow(clippy::unwrap_used)]

    use super::{QuoteProblem, Quotes};
    use proptest::prelude::*;

    proptest! {
        /// Pieces without a quote are skimmed; the outcome is the byte-by-byte one, wherever the
        /// reader's buffer cuts the file.
        #[test]
        fn skimming_pieces_finds_what_stepping_finds(
            text in prop::collection::vec(prop::sample::select(vec![b'a', b' ', b',', b'\n', b'"', b'\r']), 0..200),
            cuts in prop::collection::vec(1usize..40, 1..10),
        ) {
            let mut stepped = Quotes::new();
            stepped.started = true;
            stepped.step(&text);
            stepped.end();
            let mut skimmed = Quotes::new();
            skimmed.started = true;
            let mut rest: &[u8] = &text;
            for cut in cuts.iter().cycle() {
                if rest.is_empty() {
                    break;
                }
                let (piece, after) = rest.split_at((*cut).min(rest.len()));
                skimmed.scan(piece);
                rest = after;
            }
            skimmed.end();
            prop_assert_eq!(&skimmed.found, &stepped.found);
            prop_assert_eq!(skimmed.line, stepped.line);
        }
    }

    fn problems(text: &str) -> Vec<(u64, QuoteProblem)> {
        let mut q = Quotes::new();
        // Fed in pieces, as the reader's buffer hands them over.
        for piece in text.as_bytes().chunks(3) {
            q.scan(piece);
        }
        q.end();
        q.found.into_iter().collect()
    }

    #[test]
    fn each_kind_of_problem_at_the_line_its_quote_opens() {
        use QuoteProblem::{AfterSpaces, ClosedInside, Unclosed};
        assert_eq!(problems("a,b\n1,\"x\ny\"\n2,\"z"), [(4, Unclosed)]);
        assert_eq!(problems("a\n\"x\n\"y\n"), [(2, ClosedInside)]);
        assert_eq!(problems("a\n\"x\" \t y\n"), [(2, ClosedInside)]);
        assert_eq!(problems("a,b\n1, \"x\"\n"), [(2, AfterSpaces)]);
        assert_eq!(problems("a\n\"x\"\r\n\"\"\n\"a\"\"b\"\nc\"d\n"), []);
        // A byte-order mark before a quoted first cell, as the reader strips it.
        assert_eq!(problems("\u{feff}\"a\"b\n"), [(1, ClosedInside)]);
        assert_eq!(problems("\u{feff}\"a,b\",c\n"), []);
        assert_eq!(problems("\u{feff}\u{feff}\"a\"\n"), []);
    }

    proptest! {
        /// Whatever the cells hold, a file written the way a CSV writer writes it has no quote
        /// problem.
        #[test]
        fn what_a_csv_writer_writes_is_never_a_problem(
            rows in prop::collection::vec(prop::collection::vec("[a-z ,\"\r\n\t]{0,6}", 1..4), 0..6),
            crlf in any::<bool>(),
        ) {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            for row in &rows {
                w.write_record(row).unwrap();
            }
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            prop_assert_eq!(problems(&text), vec![], "{:?}", text);
        }
    }
}
