//! The quickest reading of a line: a record of a kind without fields, written as exports write
//! it (its kind's id or label, a `2020-03-02` date, an id of the roster's shape, nothing else in
//! it), taken straight from the raw cells. Anything else about a line, even a space around a
//! cell, leaves it to [`Job::cells`], which reads it in full: what this takes, that would have
//! taken the same way, and it never gives up on a file itself.

use super::line::{Cut, LineBatch};
use super::*;
use crate::date::Date;

/// The kinds a line may be read quickly as: by slot ([`Kinds::slot`] of the name), a name of the
/// kind (its id or its label) and the kind.
pub(super) struct Quick<'p> {
    slots: Vec<Option<(&'p [u8], usize)>>,
}

impl<'p> Quick<'p> {
    /// The kinds of `voc` counted by `kernel` whose records are about a person and have no
    /// fields, nor rules that compute from them, by every name that finds them as written.
    pub(super) fn new(voc: &Vocabulary<'p>, kernel: &Kernel) -> Quick<'p> {
        let mut slots: Vec<Option<(&'p [u8], usize)>> = vec![None; 256];
        // A name two share a slot with is left to the full reading.
        let mut shared = vec![false; 256];
        for (k, kind) in voc.policy.kinds.iter().enumerate() {
            let counted = kernel.routed.get(k) == Some(&false)
                && kernel.kinds.get(k).is_some_and(|o| o.computed.is_empty());
            if !counted || !kind.fields.is_empty() || !kind.subjects.person {
                continue;
            }
            for name in [kind.id.as_str(), kind.label.as_str()] {
                // Only a name the full reading finds as it is written (no space to trim, the
                // same kind by it).
                if name.is_empty() || trimmed(name) != name || voc.kinds.get(name) != Some(&k) {
                    continue;
                }
                let s = Kinds::slot(name.as_bytes());
                match &slots[s] {
                    Some((other, _)) if *other == name.as_bytes() => {}
                    Some(_) => shared[s] = true,
                    None => slots[s] = Some((name.as_bytes(), k)),
                }
            }
        }
        for (slot, shared) in slots.iter_mut().zip(shared) {
            if shared {
                *slot = None;
            }
        }
        Quick { slots }
    }

    /// The kind named by `name` as written, when it is one read quickly.
    fn kind(&self, name: &[u8]) -> Option<usize> {
        match self.slots.get(Kinds::slot(name))? {
            Some((n, k)) if *n == name => Some(*k),
            _ => None,
        }
    }
}

impl Job<'_, '_> {
    /// Reads a line of a kind [`Quick`] knows, exactly as [`Job::cells`] would; `false` when the
    /// line is anything else, for `cells` to read.
    pub(super) fn quick(&self, cut: &Cut<'_>, batch: &mut LineBatch<'_>) -> bool {
        self.quick_row(cut, batch).is_some()
    }

    fn quick_row(&self, cut: &Cut<'_>, batch: &mut LineBatch<'_>) -> Option<()> {
        let layout = self.layout;
        if cut.cells != layout.names.len() {
            return None;
        }
        let k = self.quick.kind(cut.raw(layout.kind)?)?;
        // A date as the full reading parses it, with no space to trim: a digit at each end.
        let date = Date::parse_bytes(cut.raw(layout.date)?)?;
        if date.year != self.voc.policy.year || date > self.as_of {
            return None;
        }
        let id = cut.raw(layout.person?)?;
        // An id of the roster's shape, with no space to trim.
        let plain = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
        if !plain(id.first()) || !plain(id.last()) {
            return None;
        }
        let n = self.voc.people.number(id)??;
        let empty = |c: usize| cut.raw(c).is_some_and(<[u8]>::is_empty);
        if !layout.department.is_none_or(empty) || !layout.foreign.get(k)?.iter().all(|&c| empty(c))
        {
            return None;
        }
        batch.counted(n, k, date.month)
    }
}
