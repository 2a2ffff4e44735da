//! Policy text in, syntax tree out.
//!
//! `parse` reads bytes, checks they are UTF-8 and not absurdly nested, runs the pest grammar and walks
//! its pairs into our own [`ast::Ast`]. pest's types never leave this module. A syntax error does not
//! stop the parse: the broken line (or, if it opens or closes a block, the whole declaration) is set
//! aside and parsing starts again, so every error of the file is reported.

pub mod ast;
mod build;
// The characters of the ground floor, where `syntax::chars` has always been found.
pub use crate::chars;
mod comments;
mod errors;

use crate::diag::{Code, Diag, Source};
use ast::{Ast, Span};
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "grammar/policy.pest"]
struct PolicyParser;

/// How deep brackets may nest. Real policies use three or four levels.
pub const MAX_NESTING: usize = 32;
/// How many syntax errors are reported before giving up on a file.
const MAX_ERRORS: usize = 30;

/// Turns raw bytes into a [`Source`], or explains where the file stops being UTF-8.
pub fn decode(name: &str, bytes: &[u8]) -> Result<Source, Box<(Source, Diag)>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(name, text)),
        Err(e) => {
            let valid = e.valid_up_to();
            // Show the file with the bad bytes replaced by `�`, and point at the first of them, so
            // the user sees the line and the place.
            let shown = String::from_utf8_lossy(bytes).into_owned();
            let end = valid + shown[valid..].chars().next().map_or(0, char::len_utf8);
            let diag = Diag::error(
                Code::InvalidUtf8,
                Span::new(valid, end),
                crate::tr!("this file is not valid UTF-8", "这个文件不是 UTF-8 编码"),
            )
            .label(crate::tr!(
                format!("byte {} is not UTF-8", valid + 1),
                format!("第 {} 个字节不是 UTF-8", valid + 1)
            ))
            .help(crate::tr!(
                "save the file as UTF-8 (in WPS or Excel: 另存为 → 编码 UTF-8); GBK is not read",
                "请把文件另存为 UTF-8 编码（WPS 或 Excel 中：另存为 → 编码 UTF-8）；GBK 编码的文件读不了"
            ));
            Err(Box::new((Source::new(name, shown), diag)))
        }
    }
}

/// Parses a whole policy. Returns the tree when there is no syntax error, and every error otherwise.
pub fn parse(source: &Source) -> Result<Ast, Vec<Diag>> {
    // Old Mac files end their lines with a lone `\r`: read as `\n` (one byte too, so offsets stay).
    let text: &str = &crate::diag::lone_cr_as_lf(&source.text);
    if let Some(diag) = check_nesting(text) {
        return Err(vec![diag]);
    }
    let mut work = text.to_string();
    let mut errors = Vec::new();
    loop {
        match PolicyParser::parse(Rule::file, &work) {
            Ok(mut pairs) => {
                if !errors.is_empty() {
                    return Err(errors);
                }
                let Some(file) = pairs.next() else {
                    return Err(vec![Diag::error(
                        Code::Syntax,
                        Span::new(0, 0),
                        crate::tr!("the policy could not be read", "政策文件读不出来"),
                    )]);
                };
                let mut builder = build::Builder::default();
                let decls = builder.file(file);
                if !builder.errors.is_empty() {
                    return Err(builder.errors);
                }
                return Ok(Ast {
                    decls,
                    comments: comments::collect(text),
                });
            }
            Err(err) => {
                let (diag, recovery) = errors::convert(&err, &work);
                errors.push(diag);
                let recovered = match recovery {
                    errors::Recovery::Line(at) => recover(&mut work, at),
                    errors::Recovery::Unopened(header, at) => {
                        let start = work[..header.min(work.len())]
                            .rfind('\n')
                            .map_or(0, |i| i + 1);
                        let end = unmatched_close(&work, at).unwrap_or(work.len());
                        blank(&mut work, start, end)
                    }
                };
                if errors.len() >= MAX_ERRORS || !recovered {
                    return Err(errors);
                }
            }
        }
    }
}

/// Blanks out the text that failed at `at` so the next attempt can go on past it. Offsets stay put
/// (only non-newline characters become spaces), so later errors point at the right place.
fn recover(work: &mut String, at: usize) -> bool {
    let at = at.min(work.len());
    let line_start = work[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = work[at..].find('\n').map_or(work.len(), |i| at + i);
    let line = &work[line_start..line_end];
    let blank_line = !line.contains(['{', '}']) && !line.trim().is_empty();
    let (start, end) = if blank_line {
        (line_start, line_end)
    } else {
        declaration_around(work, at)
    };
    blank(work, start, end)
}

/// Replaces `start..end` with spaces, keeping newlines; false when there was nothing to blank.
fn blank(work: &mut String, start: usize, end: usize) -> bool {
    let Some(part) = work.get(start..end) else {
        return false;
    };
    if part.chars().all(char::is_whitespace) {
        return false;
    }
    let blanked: String = part
        .chars()
        .map(|c| {
            if c == '\n' {
                "\n".to_string()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    work.replace_range(start..end, &blanked);
    true
}

/// Just past the first `}` after `at` that closes nothing opened after `at` (braces in texts and
/// comments do not count).
fn unmatched_close(work: &str, at: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in code_chars(work.get(at..)?) {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(at + i + 1),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The characters of `text` that are code: not inside a quoted text (which ends at its closing
/// quote or, unterminated, at the end of the line) and not in a `#` comment.
fn code_chars(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    text.char_indices().filter(move |&(_, c)| {
        if in_comment {
            in_comment = c != '\n';
            return false;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' | '\n' => in_string = false,
                _ => {}
            }
            return false;
        }
        match c {
            '#' => in_comment = true,
            '"' => in_string = true,
            _ => return true,
        }
        false
    })
}

const DECL_WORDS: &[&str] = &[
    "policy",
    "annual",
    "round",
    "roster",
    "record",
    "section",
    "adjustments",
    "grades",
];

/// The top-level declaration containing `at`: from the last line that starts with a declaration
/// word at or before `at`, to the next such line after it.
fn declaration_around(work: &str, at: usize) -> (usize, usize) {
    let starts_decl = |line: &str| {
        DECL_WORDS.iter().any(|w| {
            line.strip_prefix(w)
                .is_some_and(|rest| rest.starts_with([' ', '\t', '{', '"']) || rest.is_empty())
        })
    };
    let mut line_starts = vec![0];
    line_starts.extend(work.match_indices('\n').map(|(i, _)| i + 1));
    let mut start = 0;
    let mut end = work.len();
    for &ls in &line_starts {
        let line_end = work[ls..].find('\n').map_or(work.len(), |i| ls + i);
        if !starts_decl(&work[ls..line_end]) {
            continue;
        }
        if ls <= at {
            start = ls;
        } else {
            end = ls;
            break;
        }
    }
    if start >= end {
        return (at, work.len());
    }
    (start, end)
}

/// Rejects bracket nesting deeper than [`MAX_NESTING`] before pest recurses into it.
fn check_nesting(text: &str) -> Option<Diag> {
    let mut depth = 0usize;
    for (i, c) in code_chars(text) {
        match c {
            '(' | '{' | '[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(
                        Diag::error(
                            Code::TooDeep,
                            Span::new(i, i + 1),
                            crate::tr!(
                                format!("brackets nest more than {MAX_NESTING} deep"),
                                format!("括号套了超过 {MAX_NESTING} 层")
                            ),
                        )
                        .label(crate::tr!("this bracket is too deep", "这个括号套得太深"))
                        .help(crate::tr!(
                            "split the expression, or check for a missing closing bracket",
                            "把表达式拆开写，或者检查是不是漏了右括号"
                        )),
                    );
                }
            }
            ')' | '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests;
