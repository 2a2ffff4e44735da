//! The compiled form of the accumulation, for the policies whose per-record work is only counting
//! and summing: a record of a kind adds 1 to its kind's count and each field it is summed by to
//! that field's sum, in a few integer counters per person and month ([`Kernel`]). What the rules
//! and aggregates make of those counters (a rule's points are its amount times its kind's count,
//! an aggregate is a count or a sum) is worked out once per person and month afterwards
//! ([`Engine::absorb`]), into the same running sums the record-by-record engine fills.
//!
//! A policy qualifies when every rule that reads records gives its points to the record's own
//! person, with no `highest`, `once`, validity or effect other than points and `zero`, its filter
//! and amounts reading nothing but the record's fields (a rule with constant points is counted; one
//! whose points depend on the record has its points worked out as each record is read, with the
//! evaluator's own expressions, into a counter of its own); and every aggregate is a count, sum
//! or mean without filter. Anything else is left to the engine's record-by-record path.

use super::*;
use crate::check::model::{Expr, ExprKind};
use crate::eval::kernel::{Computed, Counters, Kernel, KindOps, MAX_ADDS, Term};

/// Most decimal places a field value may have to be summed as an integer.
const FIELD_PLACES: u32 = 6;

/// Whether an expression is made of numbers alone (and arithmetic on them).
fn constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Number(_) => true,
        ExprKind::Neg(inner) => constant(inner),
        ExprKind::Binary(_, a, b) => constant(a) && constant(b),
        ExprKind::Call(_, args) => args.iter().all(constant),
        _ => false,
    }
}

/// Whether an expression reads nothing but the record's fields and numbers (no roster column, no
/// aggregate or fact): what a record alone decides.
fn readable(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Number(_)
        | ExprKind::Text(_)
        | ExprKind::EnumValue(_)
        | ExprKind::RecordField(_) => true,
        ExprKind::Column(_) | ExprKind::Fact(_) | ExprKind::Aggregate(_) | ExprKind::Months(_) => {
            false
        }
        ExprKind::Not(inner) | ExprKind::Neg(inner) | ExprKind::Member(inner, _) => readable(inner),
        ExprKind::Binary(_, a, b) => readable(a) && readable(b),
        ExprKind::Call(_, args) => args.iter().all(readable),
        ExprKind::Table {
            key,
            entries,
            default,
        } => {
            readable(key)
                && entries.iter().all(|(_, v)| readable(v))
                && default.as_deref().is_none_or(readable)
        }
    }
}

/// A constant amount as a scaled integer: `(mantissa, scale)`.
fn scaled(e: &Expr) -> Option<(i128, u32)> {
    if !constant(e) {
        return None;
    }
    let d = expr::number(
        e,
        &RecordEnv {
            fields: &[],
            person: None,
        },
    )
    .ok()?
    .to_decimal()?;
    Some((d.mantissa(), d.scale()))
}

/// A kernel being compiled: the counters handed out so far and the terms made of them.
#[derive(Clone)]
struct Compiler {
    width: usize,
    count_of: Vec<Option<usize>>,
    sum_of: FxHashMap<(usize, usize), usize>,
    terms: Vec<Term>,
    /// Per kind: its rules' effects computed record by record.
    computed: Vec<Vec<Computed>>,
}

impl Compiler {
    /// A counter of its own, for one computed effect.
    fn own(&mut self) -> usize {
        self.width += 1;
        self.width - 1
    }

    /// The counter of a kind's records.
    fn count(&mut self, kind: usize) -> usize {
        let width = &mut self.width;
        *self.count_of[kind].get_or_insert_with(|| {
            *width += 1;
            *width - 1
        })
    }

    /// The counter of the sum of a kind's field.
    fn sum(&mut self, kind: usize, field: usize) -> usize {
        let width = &mut self.width;
        *self.sum_of.entry((kind, field)).or_insert_with(|| {
            *width += 1;
            *width - 1
        })
    }

    /// Adds `coef` (scaled) times a counter (of a field's sum or not) to a running sum.
    fn term(
        &mut self,
        slot: usize,
        counter: (usize, bool),
        coef: (i128, u32),
        rule: Option<usize>,
    ) {
        self.terms.push(Term {
            slot,
            counter: counter.0,
            coef: coef.0,
            coef_scale: coef.1,
            counter_scale: if counter.1 { FIELD_PLACES } else { 0 },
            rule,
            zero: None,
        });
    }

    /// An aggregate of kind `k`'s records: a count, a sum or both (a mean).
    fn aggregate(&mut self, engine: &Engine<'_>, k: usize, id: AggId) -> Option<()> {
        let agg = &engine.policy.aggregates[id];
        if agg.filter.is_some()
            || !matches!(agg.func, Some(AggFn::Count | AggFn::Sum | AggFn::Mean))
        {
            return None;
        }
        // An aggregate of a field counts only the records whose field is a number; the reader
        // gives up on a record whose summed field is empty, so every record counts.
        let field = agg.field.map(|f| self.sum(k, f));
        if let Some(c) = engine.count_slot[id] {
            let n = self.count(k);
            self.term(c, (n, false), (1, 0), None);
        }
        if let (Some(v), Some(f)) = (engine.value_slot[id], field) {
            self.term(v, (f, true), (1, 0), None);
        }
        Some(())
    }

    /// A per-event rule `r` on kind `k`'s records: its points, as `apply` adds them, and its
    /// `zero`; `None` for anything else it does.
    fn rule(&mut self, engine: &Engine<'_>, k: usize, r: usize) -> Option<()> {
        let RuleBody::Per {
            events,
            filter,
            effects,
            highest: None,
            once: None,
            validity: None,
            ..
        } = &engine.rules[r].rule.body
        else {
            return None;
        };
        let ev = events.iter().find(|e| e.kind == k)?;
        let computed = filter.is_some()
            || effects
                .iter()
                .any(|e| matches!(e, Effect::Points { amount, .. } if !constant(amount)));
        if computed {
            return self.computed_rule(engine, k, r, filter.as_ref(), ev.per_field, effects);
        }
        let home = engine.rules[r].home;
        let from = match ev.per_field {
            Some(f) => (self.sum(k, f), true),
            None => (self.count(k), false),
        };
        for effect in effects {
            match effect {
                Effect::Points {
                    amount,
                    target: Target::Subject,
                    from_total,
                    ..
                } => {
                    let slot = slot_of(engine, r, *from_total);
                    self.term(slot, from, scaled(amount)?, Some(r));
                }
                // Every record zeroes the item, whatever its field's value.
                Effect::Zero => {
                    if let Home::Item(i) = home {
                        let n = self.count(k);
                        self.zero(n, r, i);
                    }
                }
                _ => return None,
            }
        }
        Some(())
    }

    /// A rule whose filter or amounts read the record: each effect a counter of its own, which
    /// the reader adds the record's points (or 1, for a `zero`) to when the filter holds.
    fn computed_rule(
        &mut self,
        engine: &Engine<'_>,
        k: usize,
        r: usize,
        filter: Option<&Expr>,
        per_field: Option<usize>,
        effects: &[Effect],
    ) -> Option<()> {
        if !filter.is_none_or(readable) {
            return None;
        }
        for effect in effects {
            let (amount, counter) = match effect {
                Effect::Points {
                    amount,
                    target: Target::Subject,
                    from_total,
                    ..
                } if readable(amount) => {
                    let c = self.own();
                    self.term(slot_of(engine, r, *from_total), (c, true), (1, 0), Some(r));
                    (Some(amount.clone()), c)
                }
                Effect::Zero => match engine.rules[r].home {
                    Home::Item(i) => {
                        let c = self.own();
                        self.zero(c, r, i);
                        (None, c)
                    }
                    _ => continue,
                },
                _ => return None,
            };
            self.computed[k].push(Computed {
                filter: filter.cloned(),
                amount,
                per_field,
                counter,
            });
        }
        Some(())
    }

    /// A `zero` of item `i` by rule `r` in the months where `counter` is not 0.
    /// (It adds to no running sum: `absorb` only marks the item.)
    fn zero(&mut self, counter: usize, r: usize, i: usize) {
        self.terms.push(Term {
            slot: 0,
            counter,
            coef: 0,
            coef_scale: 0,
            counter_scale: 0,
            rule: Some(r),
            zero: Some(i),
        });
    }

    fn finish(self, routed: Vec<bool>) -> Option<Kernel> {
        let kinds = routed.len();
        let mut ops = vec![KindOps::default(); kinds];
        for (k, n) in self.count_of.into_iter().enumerate() {
            ops[k].count = n;
        }
        for (k, computed) in self.computed.into_iter().enumerate() {
            ops[k].computed = computed;
        }
        let mut sums: Vec<_> = self.sum_of.into_iter().collect();
        sums.sort_unstable();
        for ((k, f), c) in sums {
            ops[k].sums.push((f, c));
        }
        // A kind adding to many counters is read record by record: every person-month would
        // carry all of its counters, however few such records there are.
        if ops
            .iter()
            .any(|o| o.sums.len() + o.computed.len() > MAX_ADDS)
        {
            return None;
        }
        let places = self
            .terms
            .iter()
            .map(|t| t.coef_scale + t.counter_scale)
            .max()
            .unwrap_or(0);
        if places > 28 {
            return None;
        }
        Some(Kernel {
            width: self.width,
            scale: FIELD_PLACES,
            kinds: ops,
            routed,
            terms: self.terms,
            places,
        })
    }
}

/// The running sum a rule's points go to, as `apply` chooses it: its capped slot, its item's, or
/// the points outside the items.
fn slot_of(engine: &Engine<'_>, r: usize, from_total: bool) -> usize {
    match (engine.capped_slot[r], engine.rules[r].home, from_total) {
        (Some(c), _, _) => c,
        (None, Home::Item(i), false) => i,
        _ => engine.items.len(),
    }
}

impl Engine<'_> {
    /// The compiled form of this engine's per-record work, when the policy qualifies (see the
    /// module's documentation) and nobody is traced.
    pub fn kernel(&self) -> Option<Kernel> {
        if self.policy.balance || self.trace.is_some() || self.hits.is_some() {
            return None;
        }
        let kinds = self.policy.kinds.len();
        let mut compiler = Compiler {
            width: 0,
            count_of: vec![None; kinds],
            sum_of: FxHashMap::default(),
            terms: Vec::new(),
            computed: vec![Vec::new(); kinds],
        };
        // A kind is counted when all its aggregates and rules compile; else its records go to
        // the engine whole.
        let mut routed = vec![false; kinds];
        for (k, routed) in routed.iter_mut().enumerate() {
            let mut trial = compiler.clone();
            // Counters are kept per person: a kind whose records can name a department or the
            // town goes to the engine.
            let s = self.policy.kinds[k].subjects;
            let compiles = !s.department
                && !s.town
                && self.aggs_by_kind[k]
                    .iter()
                    .all(|&id| trial.aggregate(self, k, id).is_some())
                && self.by_kind[k]
                    .iter()
                    .all(|&r| trial.rule(self, k, r).is_some());
            if compiles {
                compiler = trial;
            } else {
                *routed = true;
            }
        }
        if routed.iter().all(|&r| r) {
            return None;
        }
        compiler.finish(routed)
    }

    /// Fills the running sums from the kernel's counters, as adding the records one by one
    /// would have, on `threads` threads by runs of people. `false` when a sum does not fit, which
    /// the record-by-record path reports with the record that broke it.
    ///
    /// It is the first thing added to the engine (the records the kernel hands on come after):
    /// each person-month's sums are written whole, never read first. So their memory is touched
    /// once, by a write, and not first mapped to the zero page and then copied on the write.
    pub fn absorb(&mut self, kernel: &Kernel, counters: &Counters, threads: usize) -> bool {
        let people = self.roster.people.len();
        let (stride, items) = (self.stride, self.items.len());
        // A few thousand people are absorbed before a thread would start.
        let threads = if people < 4096 { 1 } else { threads.max(1) };
        let per = people.div_ceil(threads).max(1);
        let Some(cells) = self.cells.get_mut(..people * MONTHS * stride) else {
            return false;
        };
        let Some(zeros) = self.item_zero.get_mut(..people * MONTHS * items) else {
            return false;
        };
        let Some(written) = self.written.get_mut(..people) else {
            return false;
        };
        let mut runs = Vec::with_capacity(threads);
        let (mut cells, mut zeros, mut written) = (cells, zeros, written);
        for first in (0..people).step_by(per) {
            let n = per.min(people - first);
            let (c, rest_c) = std::mem::take(&mut cells).split_at_mut(n * MONTHS * stride);
            let (z, rest_z) = std::mem::take(&mut zeros).split_at_mut(n * MONTHS * items);
            let (w, rest_w) = std::mem::take(&mut written).split_at_mut(n);
            (cells, zeros, written) = (rest_c, rest_z, rest_w);
            runs.push(Run {
                first,
                cells: c,
                zeros: z,
                written: w,
            });
        }
        let unit = super::cells::PLACES
            .checked_sub(kernel.places)
            .and_then(|shift| 10i64.checked_pow(shift));
        let job = Absorb {
            kernel,
            counters,
            stride,
            items,
            unit,
            terms: planned_terms(kernel, unit, &self.rule_applies),
        };
        let outcomes: Vec<Option<Vec<(usize, i128)>>> = match runs.len() {
            0 => Vec::new(),
            1 => runs.into_iter().map(|run| job.run(run)).collect(),
            _ => std::thread::scope(|scope| {
                let handles: Vec<_> = runs
                    .into_iter()
                    .map(|run| {
                        let job = &job;
                        std::thread::Builder::new().spawn_scoped(scope, move || job.run(run))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.ok().and_then(|h| h.join().ok()).flatten())
                    .collect()
            }),
        };
        for outcome in outcomes {
            let Some(wide) = outcome else {
                return false;
            };
            // Sums that are no whole number of millionths in 64 bits are kept beside their cells.
            for (idx, v) in wide {
                self.add_to_cell(idx, Exact::from_scaled(v, kernel.places), None);
                // A sum past what tally computes exactly: the record-by-record reading tells it
                // at the record that made it so.
                if self.overflowed.contains(&idx) {
                    return false;
                }
            }
        }
        true
    }
}

/// What absorbing counters reads: the same for every run of people.
struct Absorb<'a> {
    kernel: &'a Kernel,
    counters: &'a Counters,
    stride: usize,
    items: usize,
    /// Millionths in one unit of a sum at the kernel's places; `None` past six places.
    unit: Option<i64>,
    /// The kernel's terms, worked out once for every person-month.
    terms: Vec<Planned<'a>>,
}

/// A kernel's term as absorbing takes it: its counter and slot, what one unit of its counter adds
/// to its sum at the kernel's places (`coef` times the power of ten between their scales) and in
/// millionths (`None` when that is past 64 bits, or the kernel's places past six), the people it
/// applies to (all, when `None`), and the item it zeroes instead.
struct Planned<'a> {
    counter: usize,
    slot: usize,
    factor: Factor,
    millionths: Option<i64>,
    applies: Option<&'a [bool]>,
    zero: Option<usize>,
}

impl Planned<'_> {
    /// Whether the term counts for person `p` with `n` in its counter.
    fn counts(&self, p: usize, n: i64) -> bool {
        n != 0 && self.applies.is_none_or(|a| a.get(p) != Some(&false))
    }
}

/// The kernel's terms as absorbing takes them.
fn planned_terms<'a>(
    kernel: &Kernel,
    unit: Option<i64>,
    rule_applies: &'a [Option<Vec<bool>>],
) -> Vec<Planned<'a>> {
    (kernel.terms.iter())
        .map(|t| {
            let shift = kernel.places - t.coef_scale - t.counter_scale;
            let f = 10i128
                .checked_pow(shift)
                .and_then(|p| t.coef.checked_mul(p));
            let factor = match f.and_then(|f| i64::try_from(f).ok()) {
                Some(small) => Factor::Small(small),
                None => Factor::Wide(f),
            };
            Planned {
                counter: t.counter,
                slot: t.slot,
                factor,
                millionths: match factor {
                    Factor::Small(f) => unit.and_then(|u| f.checked_mul(u)),
                    Factor::Wide(_) => None,
                },
                applies: t.rule.and_then(|r| rule_applies.get(r)?.as_deref()),
                zero: t.zero,
            }
        })
        .collect()
}

/// A term's factor: 64-bit nearly always, or 128-bit (`None` when not even that holds it, which
/// only matters if its counter is not 0).
#[derive(Clone, Copy)]
enum Factor {
    Small(i64),
    Wide(Option<i128>),
}

/// A run of people whose sums one thread fills: from person `first`, their cells, item zeros and
/// marks of being written.
struct Run<'c> {
    first: usize,
    cells: &'c mut [i64],
    zeros: &'c mut [bool],
    written: &'c mut [bool],
}

impl Absorb<'_> {
    /// A person-month's sums in millionths, each term's counter times its millionths added up in
    /// 64 bits, as [`Absorb::run`] gives them when nothing overflows: that sum is then the 128-bit
    /// sum times the unit, which fits. `None`, with the item zeros marked and `whole` to be
    /// written again, when a term's millionths or a product or a sum does not fit: the month is
    /// then summed the 128-bit way.
    fn quick(&self, p: usize, row: &[i64], whole: &mut [i64], zeros: &mut [bool]) -> Option<()> {
        whole.fill(0);
        self.each_term(p, row, zeros, |t, n| {
            let sum = whole.get_mut(t.slot)?;
            *sum = sum.checked_add(n.checked_mul(t.millionths?)?)?;
            Some(())
        })
    }

    /// Each term that counts for person `p` in a person-month whose counters are `row`: an item
    /// it zeroes is marked in `zeros`, any other is given to `add` with its counter's value.
    /// `None` as soon as `add` gives `None`.
    #[inline]
    fn each_term(
        &self,
        p: usize,
        row: &[i64],
        zeros: &mut [bool],
        mut add: impl FnMut(&Planned<'_>, i64) -> Option<()>,
    ) -> Option<()> {
        for t in &self.terms {
            let n = *row.get(t.counter)?;
            if !t.counts(p, n) {
                continue;
            }
            match t.zero {
                Some(i) => *zeros.get_mut(i)? = true,
                None => add(t, n)?,
            }
        }
        Some(())
    }

    /// Fills a run's cells; the sums that are no whole number of millionths in 64 bits are given
    /// back (cell index, value at the kernel's places), for the engine to keep beside their cells.
    /// `None` when a sum does not fit in 128 bits.
    fn run(&self, run: Run<'_>) -> Option<Vec<(usize, i128)>> {
        let (kernel, stride, items) = (self.kernel, self.stride, self.items);
        let mut sums = vec![0i128; stride];
        let mut whole = vec![0i64; stride];
        let mut row = vec![0i64; kernel.width];
        let mut wide = Vec::new();
        let people = run.cells.len() / (MONTHS * stride).max(1);
        for q in 0..people {
            let p = run.first + q;
            for m in 0..MONTHS {
                let cell = p * MONTHS + m;
                if !self.counters.row(cell, &mut row)? {
                    continue;
                }
                *run.written.get_mut(q)? = true;
                let at = (q * MONTHS + m) * stride;
                let zeros = run.zeros.get_mut((q * MONTHS + m) * items..)?;
                // Past six places nothing is a whole number of millionths: the 128-bit way at once.
                if self.unit.is_some() && self.quick(p, &row, &mut whole, zeros).is_some() {
                    run.cells.get_mut(at..at + stride)?.copy_from_slice(&whole);
                    continue;
                }
                sums.fill(0);
                self.each_term(p, &row, zeros, |t, n| {
                    // A product of two 64-bit numbers always fits 128 bits.
                    let part = match t.factor {
                        Factor::Small(f) => i128::from(f) * i128::from(n),
                        Factor::Wide(f) => f?.checked_mul(i128::from(n))?,
                    };
                    let sum = sums.get_mut(t.slot)?;
                    *sum = sum.checked_add(part)?;
                    Some(())
                })?;
                // A slot no term added to is 0, which is 0 millionths.
                for (s, (&v, w)) in sums.iter().zip(&mut whole).enumerate() {
                    *w = match self
                        .unit
                        .and_then(|unit| i64::try_from(v).ok()?.checked_mul(unit))
                    {
                        Some(n) => n,
                        None => {
                            wide.push((cell * stride + s, v));
                            0
                        }
                    };
                }
                run.cells.get_mut(at..at + stride)?.copy_from_slice(&whole);
            }
        }
        Some(wide)
    }
}
