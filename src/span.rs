//! Where something is written: [`Span`], a byte range in one source, compared like any pair of
//! numbers; and [`At`], the span a syntax tree keeps on its nodes, which takes no part in the tree's
//! equality (two trees are equal when they say the same thing, wherever it is written; the
//! formatter's safety net relies on this), as cedar's `Node` ignores its location.

/// A byte range in one source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The smallest span covering both.
    pub fn to(self, other: impl Into<Span>) -> Span {
        let other = other.into();
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start, s.len()).into()
    }
}

/// A tree node's span: every `At` equals every other, and hashes to nothing, so that comparing
/// two trees compares what they say. Reads as the [`Span`] it holds.
#[derive(Clone, Copy, Debug, Default)]
pub struct At(pub Span);

impl PartialEq for At {
    fn eq(&self, _: &At) -> bool {
        true
    }
}

impl Eq for At {}

/// Consistent with equality: a node's place contributes nothing to a tree's hash.
impl std::hash::Hash for At {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl std::ops::Deref for At {
    type Target = Span;
    fn deref(&self) -> &Span {
        &self.0
    }
}

impl From<At> for Span {
    fn from(at: At) -> Span {
        at.0
    }
}

impl From<Span> for At {
    fn from(span: Span) -> At {
        At(span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_compare_by_place_and_tree_places_do_not() {
        assert_ne!(Span::new(0, 3), Span::new(1, 3));
        assert_eq!(Span::new(1, 3), Span::new(1, 3));
        assert!(Span::new(0, 3) < Span::new(1, 2));
        assert_eq!(At(Span::new(0, 3)), At(Span::new(7, 9)));
        assert_eq!(Span::new(4, 6).to(At(Span::new(1, 2))), Span::new(1, 6));
    }
}
