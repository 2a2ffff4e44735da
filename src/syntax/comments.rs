//! The comment side table: every `#` comment outside a quoted text, in order, with its span.

use super::ast::{Comment, Span};

pub fn collect(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut code_on_line = false;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                '\n' => {
                    in_string = false;
                    code_on_line = false;
                }
                _ => {}
            }
            continue;
        }
        match c {
            '#' => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                let body = &text[i + 1..end];
                out.push(Comment {
                    text: body.trim_end_matches('\r').to_string(),
                    span: Span::new(i, end).into(),
                    trailing: code_on_line,
                });
                // Skip to the newline; the loop sees it next and resets the line state.
                while let Some((j, _)) = chars.clone().next() {
                    if j >= end {
                        break;
                    }
                    chars.next();
                }
            }
            '\n' => code_on_line = false,
            '"' => {
                in_string = true;
                code_on_line = true;
            }
            c if c.is_whitespace() || c == '\u{FEFF}' => {}
            _ => code_on_line = true,
        }
    }
    out
}
