//! One unit's text with the places where it may be broken, and the choice of where to break it.
//!
//! A rule is written on one line when it fits in [`WIDTH`] display columns. Otherwise it is broken
//! before binary operators (and before its modifiers, `for …`, `cap …`, `highest per …`), the
//! outermost first: a break's rank is its bracket depth, then how loosely its operator binds
//! (modifiers, `or`, `and`, comparisons, `+ -`, `* /`). The first rank whose breaks alone make
//! every line fit is taken; failing that, the outermost ranks together, one more at a time.
//! Outside brackets a continuation line is indented four columns past the unit; inside brackets
//! its operator hangs so that the operand lines up with the first one after the bracket.

use unicode_width::UnicodeWidthStr;

/// The widest a line may be, in display columns (a Chinese character takes two).
pub const WIDTH: usize = 100;

/// Where a break sits: bracket depth, then binding (0 for modifiers, higher binds tighter).
pub type Rank = (usize, u8);

#[derive(Clone, Debug)]
enum Piece {
    Text(String),
    /// A space, or a new line when its rank is broken; `op` is the width of the operator after it.
    Break {
        rank: Rank,
        op: usize,
    },
    /// Just after an opening bracket: continuation lines inside it line up here.
    Open,
    Close,
}

#[derive(Clone, Debug, Default)]
pub struct Doc {
    pieces: Vec<Piece>,
    depth: usize,
}

impl Doc {
    pub fn text(&mut self, s: impl AsRef<str>) {
        let s = s.as_ref();
        if s.is_empty() {
            return;
        }
        if let Some(Piece::Text(last)) = self.pieces.last_mut() {
            last.push_str(s);
        } else {
            self.pieces.push(Piece::Text(s.to_string()));
        }
    }

    /// A place to break before an operator (or a modifier keyword) of the given binding.
    pub fn brk(&mut self, binding: u8, op: &str) {
        self.pieces.push(Piece::Break {
            rank: (self.depth, binding),
            op: op.width(),
        });
    }

    pub fn open(&mut self) {
        self.depth += 1;
        self.pieces.push(Piece::Open);
    }

    pub fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.pieces.push(Piece::Close);
    }

    /// The text on one line, every break a space.
    pub fn flat(&self) -> String {
        self.lay_out(0, &[]).concat()
    }

    /// The lines of the unit at `indent` columns, broken where it does not fit.
    pub fn lines(&self, indent: usize) -> Vec<String> {
        let mut ranks: Vec<Rank> = self
            .pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Break { rank, .. } => Some(*rank),
                _ => None,
            })
            .collect();
        ranks.sort_unstable();
        ranks.dedup();
        let mut candidates: Vec<Vec<Rank>> = vec![Vec::new()];
        candidates.extend(ranks.iter().map(|r| vec![*r]));
        candidates.extend((2..=ranks.len()).map(|n| ranks[..n].to_vec()));
        let mut best: Option<(usize, Vec<String>)> = None;
        for broken in &candidates {
            let lines = self.lay_out(indent, broken);
            let over = overflow(&lines);
            if over == 0 {
                return lines;
            }
            if best.as_ref().is_none_or(|(b, _)| over < *b) {
                best = Some((over, lines));
            }
        }
        best.map(|(_, lines)| lines).unwrap_or_default()
    }

    fn lay_out(&self, indent: usize, broken: &[Rank]) -> Vec<String> {
        let mut lines = vec![" ".repeat(indent)];
        let mut col = indent;
        let mut aligns: Vec<usize> = Vec::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(s) => {
                    push(&mut lines, s);
                    col += s.width();
                }
                Piece::Open => aligns.push(col),
                Piece::Close => {
                    aligns.pop();
                }
                Piece::Break { rank, op } if broken.contains(rank) => {
                    col = match aligns.last() {
                        Some(at) => at.saturating_sub(op + 1),
                        None => indent + 4,
                    };
                    lines.push(" ".repeat(col));
                }
                Piece::Break { .. } => {
                    push(&mut lines, " ");
                    col += 1;
                }
            }
        }
        lines
    }
}

fn push(lines: &mut [String], s: &str) {
    if let Some(last) = lines.last_mut() {
        last.push_str(s);
    }
}

/// How far the lines reach past [`WIDTH`], all together.
fn overflow(lines: &[String]) -> usize {
    lines.iter().map(|l| l.width().saturating_sub(WIDTH)).sum()
}
