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

/// Most counters one record adds to beyond its kind's count (a kernel needing more is not used).
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
