//! The compiled form of a policy's per-record work, as the fast reader follows it and the engine
//! builds and absorbs it (`eval::engine`'s `compiled.rs`): which counters a record of each kind
//! adds to, and how the counters make the engine's running sums. Between the two on purpose: the
//! reader and the engine both use it, and neither uses the other for it.

use crate::check::model::Expr;

/// Months of a card year: the engine's sums and the kernel's counters are kept per person and
/// month.
pub const MONTHS: usize = 12;

/// The integer counters a record adds to, per person and month, and how they become the engine's
/// running sums.
pub struct Kernel {
    /// Counters per person and month.
    pub width: usize,
    /// Decimal places of every field sum: a field value with more places is not counted here.
    pub scale: u32,
    /// Per record kind, what a record of it adds.
    pub kinds: Vec<KindOps>,
    /// Per record kind: its records are handed to the engine one by one (a rule of it sends
    /// points to others, keeps the highest, raises a flag, …), not counted.
    pub routed: Vec<bool>,
    /// Per running-sum slot of the engine, the counters it is made of.
    pub(crate) terms: Vec<Term>,
    /// The largest scale of a term's product: the scale the running sums are assembled at.
    pub(crate) places: u32,
}

/// What one record of a kind adds: 1 to `count`, each summed field's value to its counter, and
/// what each rule computed from its fields gives to that rule's counter.
#[derive(Clone, Default)]
pub struct KindOps {
    pub count: Option<usize>,
    /// (field of the kind, counter).
    pub sums: Vec<(usize, usize)>,
    pub computed: Vec<Computed>,
}

/// One effect of a rule whose filter or amount reads the record's fields (`per complaint where
/// responsibility = personal: -20`, `+level { city: 10, … }`, `+points`), worked out for each
/// record as it is read, with the evaluator's own expressions.
#[derive(Clone)]
pub struct Computed {
    pub filter: Option<Expr>,
    /// The points of one record (times its `per_field`); `None`: the record is only counted (a
    /// `zero`).
    pub amount: Option<Expr>,
    pub per_field: Option<usize>,
    pub counter: usize,
}

/// Most counters one record of a kind adds to beyond its kind's count for the kernel to count
/// it: past that, the counters (people × months × width, whether or not anybody has such a
/// record) cost more than reading the kind's records one by one (a roster of 100 000 and a
/// kind of 40 summed fields: twice the memory and a third more time).
pub const MAX_ADDS: usize = 8;

/// One part of a running sum: `coef` (scaled by 10^`coef_scale`) times a counter (scaled by
/// 10^`counter_scale`), counted for a person only when the rule applies to them.
#[derive(Clone)]
pub(crate) struct Term {
    pub(crate) slot: usize,
    pub(crate) counter: usize,
    pub(crate) coef: i128,
    pub(crate) coef_scale: u32,
    pub(crate) counter_scale: u32,
    pub(crate) rule: Option<usize>,
    /// A `zero` effect: the item is zeroed in the months where the counter is not 0.
    pub(crate) zero: Option<usize>,
}

/// The counters of every person and month: 32-bit, as nearly every count and sum fits in that,
/// with what does not fit kept exactly beside them. Each person-month's counters take a power of
/// two of them (up to 16: one cache line) and start on a cache line, so that adding a record
/// reads one line of memory.
pub struct Counters {
    /// Counters per person-month, as laid out: [`Kernel::width`] rounded up.
    stride: usize,
    /// Where the first person-month starts in `cells`, so that it is on a cache line.
    start: usize,
    /// Counters in use from `start`: person-months times `stride`.
    len: usize,
    cells: Vec<i32>,
    /// What an add could not fit in the 32-bit counter at an index, added up (rare: a value or
    /// a total past ±2 147 483 647 in the counter's scaled units).
    carry: rustc_hash::FxHashMap<usize, i64>,
    /// Whether anything was added yet, or every page written ([`Counters::touch`]).
    used: bool,
}

/// Bytes in a cache line.
const LINE: usize = 64;

/// Bytes in the smallest page of memory.
const PAGE: usize = 4096;

impl Counters {
    /// Zeroed counters of `width` for `people`, for every month; `None` when they would not fit
    /// in memory's addresses.
    pub fn new(people: usize, width: usize) -> Option<Counters> {
        let stride = Counters::stride(width);
        let len = people.checked_mul(MONTHS)?.checked_mul(stride)?;
        let cells = vec![0i32; len.checked_add(LINE / 4)?];
        // The address is only looked at, to skip the counters before the first cache line.
        let misaligned = cells.as_ptr() as usize % LINE;
        let start = ((LINE - misaligned) % LINE) / 4;
        Some(Counters {
            stride,
            start,
            len,
            cells,
            carry: rustc_hash::FxHashMap::default(),
            used: false,
        })
    }

    /// Counters per person-month for `width` of them: up to a cache line's worth, the next
    /// power of two.
    fn stride(width: usize) -> usize {
        if width <= LINE / 4 {
            width.next_power_of_two()
        } else {
            width
        }
    }

    /// The bytes the counters take.
    pub fn size(&self) -> usize {
        self.cells.len() * std::mem::size_of::<i32>()
    }

    /// The bytes [`Counters::new`] takes for `people` and `width` (saturating).
    pub fn bytes(people: usize, width: usize) -> usize {
        people
            .saturating_mul(MONTHS)
            .saturating_mul(Counters::stride(width))
            .saturating_mul(std::mem::size_of::<i32>())
    }

    /// Where counter `counter` of person-month `cell` (`person * 12 + month`) is.
    #[inline]
    pub fn at(&self, cell: usize, counter: usize) -> usize {
        self.start + cell * self.stride + counter
    }

    /// Adds `value` to the counter at `at`; `None` when the total would not fit in 64 bits.
    #[inline]
    pub fn add(&mut self, at: usize, value: i64) -> Option<()> {
        self.used = true;
        let slot = self.cells.get_mut(at)?;
        match i32::try_from(value).ok().and_then(|v| slot.checked_add(v)) {
            Some(sum) => *slot = sum,
            None => {
                let carried = self.carry.entry(at).or_insert(0);
                *carried = carried.checked_add(value)?;
            }
        }
        Some(())
    }

    /// Writes every page of the counters (with the zeros they hold) before they are added to
    /// at random. Fresh memory is first mapped to one shared page of zeros when it is read, and
    /// copied when it is then written, which on a machine of several processors makes the
    /// kernel interrupt the others to forget the old mapping: an add reads its counter first, so
    /// nearly every page paid that (a tenth of a large reading's time). A page written first is
    /// only ever mapped once.
    ///
    /// Only counters nothing was added to are written so (the zeros would overwrite counts): once
    /// anything is added, it does nothing.
    pub fn touch(&mut self) {
        if std::mem::replace(&mut self.used, true) {
            return;
        }
        for c in self
            .cells
            .iter_mut()
            .step_by(PAGE / std::mem::size_of::<i32>())
        {
            *c = 0;
        }
    }

    /// Starts loading the counters of person-month `cell`, which will be added to soon.
    #[inline]
    pub fn prefetch(&self, cell: usize) {
        if let Some(c) = self.cells.get(self.at(cell, 0)) {
            crate::eval::prefetch::prefetch(c);
        }
    }

    /// Adds `other`'s counters (laid out alike) to these; `None` when a total would not fit in
    /// 64 bits.
    pub fn merge(&mut self, other: &Counters) -> Option<()> {
        self.used = true;
        let theirs = other.cells.get(other.start..other.start + other.len)?;
        let mine_start = self.start;
        let mine = self.cells.get_mut(mine_start..mine_start + self.len)?;
        if mine.len() != theirs.len() {
            return None;
        }
        for (i, (m, &t)) in mine.iter_mut().zip(theirs).enumerate() {
            match m.checked_add(t) {
                Some(sum) => *m = sum,
                None => {
                    let carried = self.carry.entry(mine_start + i).or_insert(0);
                    *carried = carried.checked_add(i64::from(t))?;
                }
            }
        }
        for (&at, &v) in &other.carry {
            let carried = self.carry.entry(at - other.start + mine_start).or_insert(0);
            *carried = carried.checked_add(v)?;
        }
        Some(())
    }

    /// The `width` counters of person-month `cell` into `row`; `false` when they are all 0.
    /// `None` when a counter's total does not fit in 64 bits.
    #[inline]
    pub fn row(&self, cell: usize, row: &mut [i64]) -> Option<bool> {
        let at = self.at(cell, 0);
        let cells = self.cells.get(at..at + row.len())?;
        // Most person-months of a large roster have no records: told by one compare of the
        // counters, which the loop of nothing else lets the compiler make for several at once.
        let mut any = cells.iter().fold(0, |acc, &c| acc | c) != 0;
        if !any && self.carry.is_empty() {
            return Some(false);
        }
        for (r, &c) in row.iter_mut().zip(cells) {
            *r = i64::from(c);
        }
        if !self.carry.is_empty() {
            for (i, r) in row.iter_mut().enumerate() {
                if let Some(&v) = self.carry.get(&(at + i)) {
                    *r = r.checked_add(v)?;
                    any |= *r != 0;
                }
            }
        }
        Some(any)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::Counters;

    /// Counters added to, merged and read back hold what 128-bit sums of the same adds hold,
    /// with values and totals past 32 bits (carried beside the counters), and refuse a total past
    /// 64 bits.
    #[test]
    fn counters_add_up_exactly_past_32_bits() {
        let (people, width) = (7, 5);
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let cells = people * super::MONTHS;
        let mut want = vec![0i128; cells * width];
        let mut parts: Vec<Counters> = (0..3)
            .map(|_| Counters::new(people, width).expect("counters"))
            .collect();
        for _ in 0..20_000 {
            let (cell, c) = ((next() as usize) % cells, (next() as usize) % width);
            let value = match next() % 4 {
                0 => 1,
                1 => (next() % 2000) as i64 - 1000,
                2 => i64::from(i32::MAX) - (next() % 3) as i64,
                _ => (next() >> 30) as i64 * if next() % 2 == 0 { 1 } else { -1 },
            };
            let part = &mut parts[(next() as usize) % 3];
            let at = part.at(cell, c);
            part.add(at, value).expect("fits");
            want[cell * width + c] += i128::from(value);
        }
        let mut all = parts.into_iter();
        let mut total = all.next().expect("a part");
        for part in all {
            total.merge(&part).expect("fits");
        }
        let mut row = vec![0i64; width];
        for cell in 0..cells {
            let any = total.row(cell, &mut row).expect("fits");
            let expected = &want[cell * width..(cell + 1) * width];
            assert_eq!(
                row.iter().map(|&v| i128::from(v)).collect::<Vec<_>>(),
                expected,
                "{cell}"
            );
            assert_eq!(any, expected.iter().any(|&v| v != 0), "{cell}");
        }
        // A total past 64 bits is refused, not wrapped.
        let at = total.at(3, 1);
        total.add(at, i64::MAX).expect("fits");
        total.add(at, -i64::MAX).expect("fits");
        total.add(at, i64::MAX).expect("fits");
        let refused = (0..4).any(|_| total.add(at, i64::MAX).is_none());
        assert!(refused);
    }

    /// Writing the pages of counters already added to changes none of them.
    #[test]
    fn touching_counters_in_use_keeps_their_counts() {
        let (people, width) = (300, 3);
        let mut counters = Counters::new(people, width).expect("counters");
        let cells = people * super::MONTHS;
        for cell in 0..cells {
            for c in 0..width {
                let at = counters.at(cell, c);
                counters
                    .add(at, (cell * width + c) as i64 + 1)
                    .expect("fits");
            }
        }
        counters.touch();
        let mut row = vec![0i64; width];
        for cell in 0..cells {
            counters.row(cell, &mut row).expect("fits");
            let want: Vec<i64> = (0..width).map(|c| (cell * width + c) as i64 + 1).collect();
            assert_eq!(row, want, "{cell}");
        }
    }

    /// Each person-month's counters start on a cache line when they fit in one.
    #[test]
    fn a_person_months_counters_share_one_cache_line() {
        for width in 1..=16 {
            let counters = Counters::new(3, width).expect("counters");
            for cell in 0..36 {
                let first = &counters.cells[counters.at(cell, 0)];
                let last = &counters.cells[counters.at(cell, width - 1)];
                let line = |c: &i32| std::ptr::from_ref(c) as usize / 64;
                assert_eq!(line(first), line(last), "{width} {cell}");
            }
        }
    }
}
