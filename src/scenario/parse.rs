//! Scenario text → [`ScenarioFile`], line by line. Every problem is a [`Diag`] with its span; a
//! line with a problem is left out and the rest of the file is still read, so that one run reports
//! every mistake.

use super::expect;
use super::lex::{self, Tok, needs};
use super::{Block, Expect, Place, Row, ScenarioFile};
use crate::diag::{Code, Diag, did_you_mean, list_names};
use crate::eval::Date;
use crate::syntax::ast::{Span, Spanned};

/// The keywords that start a line, as a user reads them.
const KEYWORDS: [&str; 6] = ["scenario", "as of", "use", "roster", "records", "expect"];

/// What the indented lines below belong to.
enum Open {
    Nothing,
    /// A keyword whose rows come from files (`records "…"`): indented lines here are a mistake.
    Paths(&'static str),
    /// An unknown keyword, already reported: the lines indented under it are not reported again.
    Unknown,
    Roster(Block),
    Records(Block),
    Expect(Expect),
}

struct Parser {
    file: ScenarioFile,
    diags: Vec<Diag>,
    /// A file pulled in by `use`: it gives a roster, records and `as of` only.
    used: bool,
    open: Open,
    /// A `scenario` line was seen, even one that could not be read.
    titled: bool,
}

/// Reads a scenario file (`used`: a file pulled in by `use`, which has no title or expectations).
pub fn parse(text: &str, used: bool) -> (ScenarioFile, Vec<Diag>) {
    let mut p = Parser {
        file: ScenarioFile::default(),
        diags: Vec::new(),
        used,
        open: Open::Nothing,
        titled: false,
    };
    // Notepad saves UTF-8 with a byte-order mark.
    let (text, mut offset) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = n + 1;
        let line = raw.trim_end_matches(['\n', '\r']);
        p.line(line, offset, line_no, offset + raw.len());
        offset += raw.len();
    }
    p.close();
    if !used && !p.titled {
        p.diags.push(
            Diag::error(Code::ScenarioMissing, Span::new(0, 0), crate::tr!("this scenario has no title", "这个场景没有标题"))
                .label(crate::tr!("expected `scenario \"…\"` here", "这里应该是 `scenario \"…\"`"))
                .help(crate::tr!("start the file with a line like `scenario \"迟到三次扣15分\"` that says what it shows", "文件第一行写 `scenario \"迟到三次扣15分\"` 这样的一行，说明这个场景要说明什么")),
        );
    }
    (p.file, p.diags)
}

impl Parser {
    fn line(&mut self, line: &str, offset: usize, line_no: usize, next: usize) {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            return;
        }
        if line.starts_with(char::is_whitespace) {
            self.indented(line, offset, line_no, next);
        } else {
            self.close();
            self.keyword(line, offset, line_no, next);
        }
    }

    /// Ends the open block, keeping what it read.
    fn close(&mut self) {
        match std::mem::replace(&mut self.open, Open::Nothing) {
            Open::Roster(b) => self.file.rosters.push(Place::Inline(b)),
            Open::Records(b) => self.file.records.push(Place::Inline(b)),
            Open::Expect(e) => self.file.expect = Some(e),
            Open::Nothing | Open::Paths(_) | Open::Unknown => {}
        }
    }

    fn indented(&mut self, line: &str, offset: usize, line_no: usize, next: usize) {
        let indent_len = line.len() - line.trim_start().len();
        let start = offset + indent_len;
        let span = Span::new(start, offset + line.trim_end().len());
        match &mut self.open {
            Open::Roster(block) | Open::Records(block) => match lex::cells(line, offset) {
                Ok(cells) if cells.is_empty() => {}
                Ok(cells) => {
                    let end = cells.last().map_or(span.end, |c| c.span.end);
                    block.rows.push(Row {
                        line: line_no,
                        span: Span::new(start, end.max(start)),
                        cells,
                    });
                }
                Err(d) => self.diags.push(d),
            },
            Open::Expect(_) => match expect::line(line, offset, line_no) {
                Ok(Some(e)) => {
                    if let Open::Expect(block) = &mut self.open {
                        block.lines.push(e);
                        block.end = next;
                    }
                }
                Ok(None) => {}
                Err(d) => self.diags.push(d),
            },
            Open::Unknown => {}
            Open::Paths(keyword) => {
                let keyword = *keyword;
                self.diags.push(
                    Diag::error(Code::ScenarioSyntax, span, crate::tr!("this line belongs to no block", "这一行不属于任何块"))
                        .label(crate::tr!("indented under a line that reads files", "缩进在一行读文件的语句下面"))
                        .help(format!(
                            "`{keyword} \"…\"` reads its rows from files; for rows written here, \
                             put them under a line that says only `{keyword}`"
                        )),
                );
            }
            Open::Nothing => self.diags.push(
                Diag::error(Code::ScenarioSyntax, span, crate::tr!("this line belongs to no block", "这一行不属于任何块"))
                    .label(crate::tr!("indented, but no `roster`, `records` or `expect` is open above it", "缩进了，但上面没有打开的 `roster`、`records` 或 `expect`"))
                    .help(crate::tr!("indent only the rows of a `roster`, `records` or `expect` block; start other lines at the beginning of the line", "只有 `roster`、`records` 或 `expect` 块里的行才缩进；其他行顶格写")),
            ),
        }
    }

    /// A line that starts with a keyword (`scenario`, `as of`, `use`, `roster`, `records`,
    /// `expect`): the block or value it opens.
    fn keyword(&mut self, line: &str, offset: usize, line_no: usize, next: usize) {
        self.titled |= line.split_whitespace().next() == Some("scenario");
        let toks = match lex::words(line, offset) {
            Ok(t) => t,
            Err(d) => {
                self.diags.push(d);
                return;
            }
        };
        let Some((first, rest)) = toks.split_first() else {
            return;
        };
        let span_all = Span::new(
            first.span.start,
            rest.last().map_or(first.span.end, |t| t.span.end),
        );
        match first.text.as_str() {
            "scenario" | "expect" if self.used => self.diags.push(
                Diag::error(
                    Code::ScenarioSyntax,
                    first.span,
                    crate::tr!(format!("a used file has no `{}`", first.text), format!("被 `use` 的文件里不能有 `{}`", first.text)),
                )
                .label(crate::tr!("only in the scenario itself", "只能写在场景本身"))
                .help(crate::tr!("a file pulled in by `use` gives `roster`, `records` and `as of`; the title and the expectations belong to the scenario that uses it", "`use` 引入的文件只提供 `roster`、`records` 和 `as of`；标题和预期写在用它的场景里")),
            ),
            "scenario" => self.title(first, rest, line, offset),
            "as" => self.as_of(first, rest),
            "use" => {
                if rest.is_empty() {
                    self.diags.push(needs(first.span, crate::tr!("`use` needs a file", "`use` 要写一个文件"), "use \"common.facts\""));
                }
                self.file.uses.extend(rest.iter().cloned());
            }
            "roster" | "records" => self.paths(first, rest, span_all, line_no),
            "expect" => self.expect_block(first, rest, next),
            other => self.unknown(first, other, line, offset),
        }
    }

    /// `roster` or `records`: a block of rows when nothing follows, else the files named.
    fn paths(&mut self, first: &Tok, rest: &[Tok], span_all: Span, line_no: usize) {
        let roster = first.text == "roster";
        let keyword = if roster { "roster" } else { "records" };
        if rest.is_empty() {
            let block = Block {
                keyword: first.span,
                line: line_no,
                rows: Vec::new(),
            };
            self.open = if roster {
                Open::Roster(block)
            } else {
                Open::Records(block)
            };
            return;
        }
        if roster && rest.len() > 1 {
            self.diags.push(
                Diag::error(
                    Code::ScenarioSyntax,
                    span_all,
                    crate::tr!("a roster is one file", "花名册只是一个文件"),
                )
                .label(crate::tr!("more than one file", "不止一个文件"))
                .help(crate::tr!(
                    "name one roster file: `roster \"people.csv\"`",
                    "只写一个花名册文件：`roster \"people.csv\"`"
                )),
            );
            return;
        }
        let place = Place::Paths {
            keyword: first.span,
            paths: rest.to_vec(),
        };
        if roster {
            self.file.rosters.push(place);
        } else {
            self.file.records.push(place);
        }
        self.open = Open::Paths(keyword);
    }

    /// `expect`: the block of expectation lines, once a scenario.
    fn expect_block(&mut self, first: &Tok, rest: &[Tok], next: usize) {
        if let Some(extra) = rest.first() {
            self.diags.push(
                Diag::error(
                    Code::ScenarioSyntax,
                    extra.span,
                    crate::tr!("`expect` stands alone on its line", "`expect` 要单独占一行"),
                )
                .label(crate::tr!("unexpected", "这里不该有东西"))
                .help(crate::tr!(
                    "put the expectations on the indented lines below `expect`",
                    "预期写在 `expect` 下面的缩进行里"
                )),
            );
        }
        if let Some(first_expect) = &self.file.expect {
            self.diags.push(
                Diag::error(
                    Code::ScenarioDuplicate,
                    first.span,
                    crate::tr!("a second `expect` block", "第二个 `expect` 块"),
                )
                .label(crate::tr!("again here", "这里又写了一次"))
                .also(
                    first_expect.keyword,
                    crate::tr!("first here", "第一次在这里"),
                )
                .help(crate::tr!(
                    "keep all expectations in one `expect` block",
                    "所有预期都写在一个 `expect` 块里"
                )),
            );
            self.open = Open::Unknown;
            return;
        }
        self.open = Open::Expect(Expect {
            keyword: first.span,
            lines: Vec::new(),
            end: next,
        });
    }

    /// A line that starts with no keyword: a row that is not indented, or an unknown key.
    fn unknown(&mut self, first: &Tok, other: &str, line: &str, offset: usize) {
        let looks_like_row = other.starts_with(|c: char| c.is_ascii_digit()) || line.contains(',');
        if looks_like_row {
            let end = offset + line.trim_end().len();
            self.diags.push(
                Diag::error(
                    Code::ScenarioSyntax,
                    Span::new(first.span.start, end),
                    crate::tr!("this row is not indented", "这一行没有缩进"),
                )
                .label(crate::tr!("a row, where a line starting with a keyword is expected", "这里应该是以关键字开头的一行，却是一行数据"))
                .help(crate::tr!("rows of a `roster`, `records` or `expect` block are indented: put two spaces before it", "`roster`、`records` 或 `expect` 块里的行要缩进：前面加两个空格")),
            );
            return;
        }
        self.diags.push(
            Diag::error(
                Code::ScenarioUnknownKey,
                first.span,
                crate::tr!(
                    format!("unknown key `{other}`"),
                    format!("没有 `{other}` 这个关键字")
                ),
            )
            .label(crate::tr!("not a scenario keyword", "不是场景的关键字"))
            .help(did_you_mean(other, KEYWORDS).unwrap_or_else(|| {
                crate::tr!(
                    format!("a line starts with {}", list_names(&KEYWORDS)),
                    format!("每行以 {} 开头", list_names(&KEYWORDS))
                )
            }))
            .fix(first.span, crate::diag::closest(other, KEYWORDS)),
        );
        self.open = Open::Unknown;
    }

    fn title(&mut self, first: &Tok, rest: &[Tok], line: &str, offset: usize) {
        let (Some(a), Some(b)) = (rest.first(), rest.last()) else {
            self.diags.push(needs(
                first.span,
                crate::tr!("`scenario` needs a title", "`scenario` 要写一个标题"),
                "scenario \"迟到三次扣15分\"",
            ));
            return;
        };
        let text = if rest.len() == 1 {
            a.text.clone()
        } else {
            line.get(a.span.start - offset..b.span.end - offset)
                .unwrap_or_default()
                .to_string()
        };
        let span = Span::new(a.span.start, b.span.end);
        if let Some(t) = &self.file.title {
            self.diags.push(
                Diag::error(
                    Code::ScenarioDuplicate,
                    span,
                    crate::tr!("a second title", "第二个标题"),
                )
                .label(crate::tr!("again here", "这里又写了一次"))
                .also(t.span, crate::tr!("first here", "第一次在这里"))
                .help(crate::tr!(
                    "a scenario has one `scenario \"…\"` line",
                    "一个场景只有一行 `scenario \"…\"`"
                )),
            );
            return;
        }
        self.file.title = Some(Spanned::new(text, span));
    }

    fn as_of(&mut self, first: &Tok, rest: &[Tok]) {
        let example = "as of 2021-01-05";
        let [of, date] = rest else {
            let span = rest.last().map_or(first.span, |t| first.span.to(t.span));
            self.diags.push(needs(
                span,
                crate::tr!("`as of` needs one date", "`as of` 要写一个日期"),
                example,
            ));
            return;
        };
        if of.text != "of" {
            self.diags.push(
                Diag::error(
                    Code::ScenarioUnknownKey,
                    of.span,
                    crate::tr!(
                        format!("unknown key `as {}`", of.text),
                        format!("没有 `as {}` 这个关键字", of.text)
                    ),
                )
                .label(crate::tr!("expected `of`", "这里应该是 `of`"))
                .help(crate::tr!(
                    format!("write `{example}`"),
                    format!("写成 `{example}`")
                )),
            );
            return;
        }
        let Some(Date { year, month, day }) = Date::parse(&date.text) else {
            self.diags.push(
                Diag::error(
                    Code::ScenarioBadValue,
                    date.span,
                    crate::tr!(
                        format!("`{}` is not a date", date.text),
                        format!("`{}` 不是日期", date.text)
                    ),
                )
                .label(crate::tr!("expected a date", "这里应该是日期"))
                .help(crate::tr!(
                    format!("write the day as year-month-day: `{example}`"),
                    format!("日期按年-月-日写：`{example}`")
                )),
            );
            return;
        };
        let span = first.span.to(date.span);
        if let Some(a) = &self.file.as_of {
            self.diags.push(
                Diag::error(
                    Code::ScenarioDuplicate,
                    span,
                    crate::tr!("a second `as of`", "第二个 `as of`"),
                )
                .label(crate::tr!("again here", "这里又写了一次"))
                .also(a.span, crate::tr!("first here", "第一次在这里"))
                .help(crate::tr!(
                    "a scenario is reported on one day",
                    "一个场景只按一天统计"
                )),
            );
            return;
        }
        self.file.as_of = Some(Spanned::new(Date { year, month, day }, span));
    }
}
