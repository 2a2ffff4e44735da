//! Splitting one line of a scenario: words and quoted texts for keyword and expectation lines,
//! comma-separated cells for roster and record rows. `#` starts a comment outside quotes.

use crate::diag::{Code, Diag};
use crate::syntax::ast::Span;

/// A word or a quoted text, with its span in the file (quotes included).
#[derive(Clone, Debug, PartialEq)]
pub struct Tok {
    pub text: String,
    pub span: Span,
}

/// The closing quote for an opening one: ASCII quotes, and the curly quotes a Chinese input
/// method types.
fn closing(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '“' => Some('”'),
        _ => None,
    }
}

/// The words of a line, `offset` being the line's byte offset in the file. Stops at a comment.
pub fn words(line: &str, offset: usize) -> Result<Vec<Tok>, Diag> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '#' {
            break;
        }
        if let Some(close) = closing(c) {
            chars.next();
            let mut text = String::new();
            let mut end = None;
            for (j, d) in chars.by_ref() {
                if d == close {
                    end = Some(j + d.len_utf8());
                    break;
                }
                text.push(d);
            }
            let Some(end) = end else {
                return Err(unterminated(offset + i, offset + line.len(), close));
            };
            out.push(Tok {
                text,
                span: Span::new(offset + i, offset + end),
            });
            continue;
        }
        let mut end = i;
        let mut text = String::new();
        while let Some(&(j, d)) = chars.peek() {
            if d.is_whitespace() || d == '#' || closing(d).is_some() {
                break;
            }
            text.push(d);
            end = j + d.len_utf8();
            chars.next();
        }
        out.push(Tok {
            text,
            span: Span::new(offset + i, offset + end),
        });
    }
    Ok(out)
}

fn unterminated(start: usize, end: usize, close: char) -> Diag {
    Diag::error(
        Code::ScenarioSyntax,
        Span::new(start, end),
        crate::tr!("unterminated text", "文字没有结束"),
    )
    .label(crate::tr!(
        "this text has no closing quote",
        "这段文字没有后引号"
    ))
    .help(crate::tr!(
        format!("end the text with `{close}` on the same line"),
        format!("在同一行用 `{close}` 结束这段文字")
    ))
}

/// The cells of a roster or record row: split at commas outside double quotes, trimmed; a quoted
/// cell may hold commas, `#` and `""` for a quote. Returns no cells for a blank or comment line.
// Long on purpose: a small lexer (between cells, quoted, plain) clearer whole than split.
pub fn cells(line: &str, offset: usize) -> Result<Vec<Tok>, Diag> {
    let mut out = Vec::new();
    let bytes_end = line.len();
    let mut chars = line.char_indices().peekable();
    // Whether the row has content at all (a comment-only row has none).
    let mut any = false;
    loop {
        while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
            chars.next();
        }
        let Some(&(start, c)) = chars.peek() else {
            if any {
                out.push(Tok {
                    text: String::new(),
                    span: Span::new(offset + bytes_end, offset + bytes_end),
                });
            }
            break;
        };
        if c == '#' {
            if any {
                out.push(Tok {
                    text: String::new(),
                    span: Span::new(offset + start, offset + start),
                });
            }
            break;
        }
        any = true;
        let (text, end) = if c == '"' {
            chars.next();
            let mut text = String::new();
            let mut end = None;
            while let Some((j, d)) = chars.next() {
                if d == '"' {
                    if chars.peek().is_some_and(|&(_, e)| e == '"') {
                        chars.next();
                        text.push('"');
                        continue;
                    }
                    end = Some(j + 1);
                    break;
                }
                text.push(d);
            }
            let Some(end) = end else {
                return Err(unterminated(offset + start, offset + bytes_end, '"'));
            };
            while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
                chars.next();
            }
            if let Some(&(j, d)) = chars.peek() {
                if d != ',' && d != '#' {
                    return Err(Diag::error(
                        Code::ScenarioSyntax,
                        Span::new(offset + j, offset + j + d.len_utf8()),
                        crate::tr!("text after a closing quote", "后引号后面还有文字"),
                    )
                    .label(crate::tr!("expected `,` here", "这里应该是 `,`"))
                    .help(crate::tr!(
                        "a quoted cell ends at its closing quote; put a comma after it",
                        "带引号的一格到后引号就结束了；在后引号后面加个逗号"
                    )));
                }
            }
            (text, end)
        } else {
            let mut text = String::new();
            let mut end = start;
            while let Some(&(j, d)) = chars.peek() {
                if d == ',' || d == '#' {
                    break;
                }
                text.push(d);
                if !d.is_whitespace() {
                    end = j + d.len_utf8();
                }
                chars.next();
            }
            (text.trim_end().to_string(), end)
        };
        out.push(Tok {
            text,
            span: Span::new(offset + start, offset + end),
        });
        match chars.peek() {
            Some(&(_, ',')) => {
                chars.next();
            }
            _ => break,
        }
        // A comma was read: a cell follows, possibly empty.
        if chars
            .peek()
            .is_none_or(|&(_, c)| c == '#' || c == '\r' || c == '\n')
        {
            let at = chars.peek().map_or(bytes_end, |&(j, _)| j);
            out.push(Tok {
                text: String::new(),
                span: Span::new(offset + at, offset + at),
            });
            break;
        }
    }
    Ok(out)
}

/// An incomplete line: what it needs, with an example of the whole line.
pub(super) fn needs(span: Span, message: &str, example: &str) -> crate::diag::Diag {
    crate::diag::Diag::error(crate::codes::Code::ScenarioSyntax, span, message)
        .label(crate::tr!("incomplete", "没写完"))
        .help(crate::tr!(
            format!("for example: `{example}`"),
            format!("比如：`{example}`")
        ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn texts(v: Vec<Tok>) -> Vec<String> {
        v.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn words_and_quotes_and_comments() {
        let w = words(r#"scenario "迟到 三次" # note"#, 0).unwrap();
        assert_eq!(texts(w.clone()), ["scenario", "迟到 三次"]);
        assert_eq!(w[1].span, Span::new(9, 9 + "\"迟到 三次\"".len()));
        assert_eq!(texts(words("use “a b”", 0).unwrap()), ["use", "a b"]);
        assert!(words("use \"abc", 0).is_err());
    }

    #[test]
    fn cells_split_at_commas_outside_quotes() {
        let c = cells(r#"  2020-03-02, late , D01 # x"#, 10).unwrap();
        assert_eq!(texts(c.clone()), ["2020-03-02", "late", "D01"]);
        assert_eq!(c[1].span, Span::new(10 + 14, 10 + 18));
        assert_eq!(
            texts(cells(r#"a, "b, ""c""", , d"#, 0).unwrap()),
            ["a", "b, \"c\"", "", "d"]
        );
        assert_eq!(texts(cells("a,", 0).unwrap()), ["a", ""]);
        assert_eq!(texts(cells("a, # c", 0).unwrap()), ["a", ""]);
        assert!(cells("   # only a comment", 0).unwrap().is_empty());
        assert!(cells(r#""a" b"#, 0).is_err());
        assert!(cells(r#""a"#, 0).is_err());
    }
}
