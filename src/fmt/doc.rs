//! One unit's text with the places where it may be broken, and the choice of where to break it.
//!
//! A rule is written on one line when it fits in [`WIDTH`] display columns. Otherwise it is broken
//! before binary operators (and before its modifiers, `for …`, `cap …`, `highest per …`), the
//! outermost first. A break's rank is its bracket depth, then how loosely its operator binds
//! (modifiers, `or`, `and`, comparisons, `+ -`, `* /`), then which expression or bracket it is in.
//! The first rank whose breaks make every line fit is taken, together with the looser operators
//! of the same expression (breaking at `and` but not at the `or` around it would misread); failing
//! that, the outermost ranks together, one more at a time.
//!
//! Outside brackets a continuation line is indented four columns past the unit, four more for each
//! looser operator broken in the same expression; inside brackets the operator hangs so that the
//! operand lines up with the first one after the bracket.

use unicode_width::UnicodeWidthStr;

/// The widest a line may be, in display columns (a Chinese character takes two).
pub const WIDTH: usize = 100;

/// Where a break sits: bracket depth, binding (0 for modifiers, higher binds tighter), and the
/// expression or bracket it belongs to.
pub type Rank = (usize, u8, usize);

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
    /// The expression or bracket being written, innermost last; 0 (no expression) for modifiers.
    groups: Vec<usize>,
    next_group: usize,
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
        let group = self.groups.last().copied().unwrap_or(0);
        self.pieces.push(Piece::Break {
            rank: (self.depth, binding, group),
            op: op.width(),
        });
    }

    /// A top-level expression starts: its operators break together.
    pub fn begin(&mut self) {
        self.next_group += 1;
        self.groups.push(self.next_group);
    }

    pub fn end(&mut self) {
        self.groups.pop();
    }

    /// Just after an opening bracket.
    pub fn open(&mut self) {
        self.depth += 1;
        self.begin();
        self.pieces.push(Piece::Open);
    }

    /// Just before a closing bracket.
    pub fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.end();
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
        // A rank with the looser operators of its expression: `a or b and c` never breaks at
        // `and` alone.
        candidates.extend(ranks.iter().map(|&(depth, binding, group)| {
            ranks
                .iter()
                .copied()
                .filter(|&(d, b, g)| {
                    (d, b, g) == (depth, binding, group)
                        || (d == depth && g == group && b >= 1 && b < binding)
                })
                .collect()
        }));
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
                    let looser = broken
                        .iter()
                        .filter(|&&(d, b, g)| d == rank.0 && g == rank.2 && b >= 1 && b < rank.1)
                        .count();
                    col = 4 * looser
                        + match aligns.last() {
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
