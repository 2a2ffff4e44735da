//! One unit's text with the places where it may be broken, and the choice of where to break it.
//!
//! A rule is written on one line when it fits in [`WIDTH`] display columns. Otherwise it is broken
//! before binary operators (and before its modifiers, `for …`, `cap …`, `highest per …`, and
//! between a `when` rule's condition and its effects), the outermost first. A break's rank is its bracket depth, then how loosely its operator binds
//! (modifiers, `or`, `and`, comparisons, `+ -`, `* /`), then which expression or bracket it is in.
//! The first rank whose breaks make every line fit is taken, together with the looser operators
//! of the same expression (breaking at `and` but not at the `or` around it would misread); failing
//! that, the outermost ranks together, one more at a time.
//!
//! Outside brackets a continuation line is indented four columns past the unit, four more for each
//! looser operator broken in the same expression; inside brackets the operator hangs so that the
//! operand lines up with the first one after the bracket.
//!
//! A `{…}` list (a table's entries, a set's members) stays on its line unless it has a comment
//! inside or nothing else makes the unit fit: then it is laid out one entry per line, indented two
//! columns past the line it opens on, its `}` back at that line's indentation.
//!
//! A comment inside the unit stays after the token it follows: it ends that line, so the next
//! place to break (or the list entry that follows) is broken, with the looser operators around it.

use unicode_width::UnicodeWidthStr;

/// The widest a line may be, in display columns (a Chinese character takes two).
pub const WIDTH: usize = 100;

/// Where a break sits: bracket depth, binding (0 for modifiers, higher binds tighter), and the
/// expression or bracket it belongs to.
pub type Rank = (usize, u8, usize);

/// The binding of modifiers and of the break before a rule's effects.
const MODIFIER_BINDING: u8 = 0;

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
    /// Where a token of the source ends (its offset): comments are placed by these.
    Mark(usize),
    /// Around a `{…}` list.
    ListOpen(usize),
    ListClose,
    /// In list `list`: `flat` when the list stays on one line, a new line when it is laid out
    /// one entry per line (before an entry, indented; before the `}`, not).
    Item {
        list: usize,
        entry: bool,
        flat: &'static str,
    },
    /// A comment ending the line here; the break or list item right after it is taken.
    Comment(String),
}

#[derive(Clone, Debug, Default)]
pub struct Doc {
    pieces: Vec<Piece>,
    depth: usize,
    /// The expression or bracket being written, innermost last; 0 (no expression) for modifiers.
    groups: Vec<usize>,
    next_group: usize,
    lists: Vec<usize>,
    next_list: usize,
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

    /// A place to break before a rule's effects: tried after the modifiers and before any
    /// operator.
    pub fn brk_effects(&mut self) {
        self.pieces.push(Piece::Break {
            rank: (self.depth, MODIFIER_BINDING, usize::MAX),
            op: 0,
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

    /// Where a token of the source ends.
    pub fn mark(&mut self, offset: usize) {
        self.pieces.push(Piece::Mark(offset));
    }

    /// A `{…}` list starts, just after its `{`.
    pub fn list_open(&mut self) {
        self.next_list += 1;
        self.lists.push(self.next_list);
        self.pieces.push(Piece::ListOpen(self.next_list));
    }

    /// Before an entry of the list (`flat` is what stands there on one line), or with `entry`
    /// false before its `}`.
    pub fn item(&mut self, entry: bool, flat: &'static str) {
        if let Some(&list) = self.lists.last() {
            self.pieces.push(Piece::Item { list, entry, flat });
        }
    }

    /// Just before the list's `}`.
    pub fn list_close(&mut self) {
        self.lists.pop();
        self.pieces.push(Piece::ListClose);
    }

    /// Places the comments standing inside the unit, each after the last token before it and
    /// before the next break or list item (which it takes). Returns the offsets of the comments
    /// placed; one with nothing to break after it is left to the caller (it ends the unit).
    pub fn attach(&mut self, comments: &[(usize, String)]) -> Vec<usize> {
        let mut placed = Vec::new();
        // (piece index to insert before, comment), in source order.
        let mut inserts: Vec<(usize, String)> = Vec::new();
        for (at, text) in comments {
            let after = self
                .pieces
                .iter()
                .rposition(|p| matches!(p, Piece::Mark(m) if m <= at))
                .map_or(0, |i| i + 1);
            let Some(next) = self.pieces[after..]
                .iter()
                .position(|p| matches!(p, Piece::Break { .. } | Piece::Item { .. }))
            else {
                continue;
            };
            inserts.push((after + next, text.clone()));
            placed.push(*at);
        }
        // From the back, so earlier indices hold; equal indices keep their order.
        for (i, text) in inserts.into_iter().rev() {
            self.pieces.insert(i, Piece::Comment(text));
        }
        placed
    }

    /// The text on one line, every break a space.
    pub fn flat(&self) -> String {
        self.lay_out(0, &[], &[]).0.concat()
    }

    /// The lines of the unit at `indent` columns, broken where it does not fit (and where a
    /// comment ends a line).
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
        // A rank with the looser operators of its expression: `a or b and c` never breaks at
        // `and` alone.
        let with_looser = |(depth, binding, group): Rank| -> Vec<Rank> {
            ranks
                .iter()
                .copied()
                .filter(|&(d, b, g)| {
                    (d, b, g) == (depth, binding, group)
                        || (d == depth && g == group && b >= 1 && b < binding)
                })
                .collect()
        };
        // What comments break: the rank after each, and the lists they stand in.
        let mut forced: Vec<Rank> = Vec::new();
        let mut vertical: Vec<usize> = Vec::new();
        let mut open_lists: Vec<usize> = Vec::new();
        let mut after_comment = false;
        for p in &self.pieces {
            match p {
                Piece::ListOpen(l) => open_lists.push(*l),
                Piece::ListClose => {
                    open_lists.pop();
                }
                Piece::Comment(_) => {
                    after_comment = true;
                    vertical.extend(open_lists.iter().copied());
                }
                Piece::Break { rank, .. } if after_comment => {
                    forced.extend(with_looser(*rank));
                    after_comment = false;
                }
                Piece::Item { .. } => after_comment = false,
                _ => {}
            }
        }
        let mut candidates: Vec<Vec<Rank>> = vec![Vec::new()];
        candidates.extend(ranks.iter().map(|&r| with_looser(r)));
        candidates.extend((2..=ranks.len()).map(|n| ranks[..n].to_vec()));
        for c in &mut candidates {
            c.extend(forced.iter().copied());
            c.sort_unstable();
            c.dedup();
        }
        // Lists stay on their line if any candidate fits so; else all are laid out vertically.
        let all_lists: Vec<usize> = (1..=self.next_list).collect();
        let mut best: Option<(usize, Vec<String>)> = None;
        for lists in [&vertical, &all_lists] {
            for broken in &candidates {
                let (lines, over) = self.lay_out(indent, broken, lists);
                if over == 0 {
                    return lines;
                }
                if best.as_ref().is_none_or(|(b, _)| over < *b) {
                    best = Some((over, lines));
                }
            }
        }
        best.map(|(_, lines)| lines).unwrap_or_default()
    }

    /// The lines, and how far their code reaches past [`WIDTH`] all together (comments aside).
    fn lay_out(&self, indent: usize, broken: &[Rank], vertical: &[usize]) -> (Vec<String>, usize) {
        let mut lines = vec![" ".repeat(indent)];
        let mut widths = vec![indent];
        let mut col = indent;
        let mut aligns: Vec<usize> = Vec::new();
        // The indentation of the line each open list started on.
        let mut bases: Vec<usize> = Vec::new();
        let mut comments: Vec<&str> = Vec::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(s) => {
                    push(&mut lines, s);
                    col += s.width();
                    if let Some(w) = widths.last_mut() {
                        *w = col;
                    }
                }
                Piece::Open => aligns.push(col),
                Piece::Close => {
                    aligns.pop();
                }
                Piece::Mark(_) => {}
                Piece::Comment(c) => comments.push(c),
                Piece::ListOpen(_) => {
                    let line = lines.last().map_or("", String::as_str);
                    bases.push(line.len() - line.trim_start_matches(' ').len());
                }
                Piece::ListClose => {
                    bases.pop();
                }
                Piece::Item { list, entry, flat } => {
                    if vertical.contains(list) {
                        let base = bases.last().copied().unwrap_or(indent);
                        col = if *entry { base + 2 } else { base };
                        new_line(&mut lines, &mut widths, &mut comments, col);
                    } else {
                        push(&mut lines, flat);
                        col += flat.width();
                        if let Some(w) = widths.last_mut() {
                            *w = col;
                        }
                    }
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
                    new_line(&mut lines, &mut widths, &mut comments, col);
                }
                Piece::Break { .. } => {
                    push(&mut lines, " ");
                    col += 1;
                }
            }
        }
        // `attach` leaves no comment without a break after it.
        let over = widths.iter().map(|w| w.saturating_sub(WIDTH)).sum();
        (lines, over)
    }
}

/// A new line at `col`, after the comments waiting to end the current one.
fn new_line(
    lines: &mut Vec<String>,
    widths: &mut Vec<usize>,
    comments: &mut Vec<&str>,
    col: usize,
) {
    for (k, c) in comments.drain(..).enumerate() {
        if k == 0 {
            push(lines, &format!("  #{c}"));
        } else {
            lines.push(format!("{}#{c}", " ".repeat(col)));
            widths.push(0);
        }
    }
    lines.push(" ".repeat(col));
    widths.push(col);
}

fn push(lines: &mut [String], s: &str) {
    if let Some(last) = lines.last_mut() {
        last.push_str(s);
    }
}
