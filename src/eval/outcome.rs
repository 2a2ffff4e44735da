//! What evaluation gives: every person's twelve monthly cards and annual result, unrounded and
//! published, with what made a result not final.

use rust_decimal::Decimal;

use smallvec::SmallVec;

use crate::exact::{Exact, STORED_PLACES, Stored};

use super::Origin;
use crate::check::model::GradeId;
use crate::codes::Code;
use crate::diag::Diag;

#[derive(Clone, Debug)]
pub struct Outcome {
    pub year: i32,
    /// Whether the whole year was on record (`--as-of` on or after 31 December).
    pub year_complete: bool,
    /// One per roster person, in roster order.
    pub people: Vec<PersonResult>,
}

#[derive(Clone, Debug)]
pub struct PersonResult {
    /// Index into the roster.
    pub person: usize,
    pub months: Vec<MonthResult>,
    pub annual: AnnualResult,
    /// On a policy with one card a year (`card year`): that card, with its items.
    pub year_card: Option<Box<MonthResult>>,
    /// Facts the policy needed for this person and could not find, in words.
    pub missing: Vec<String>,
}

#[derive(Debug)]
pub struct MonthResult {
    /// 1..=12.
    pub month: u8,
    /// The exact total, as used for the annual result.
    pub total: Stored,
    /// The total rounded for publication.
    pub published: Decimal,
    /// Per item of the policy (sections' items in order): the item's score, or `None` when the
    /// item does not apply to the person.
    pub items: ItemScores,
    /// Points given or taken outside the items: `from total` effects and adjustments.
    pub outside: Stored,
    pub flags: Vec<String>,
    pub is_final: bool,
}

#[derive(Clone, Debug)]
pub struct AnnualResult {
    /// The exact result of the annual formula.
    pub total: Exact,
    pub published: Decimal,
    /// The grade after any grade cap.
    pub grade: GradeId,
    /// The grade the score alone would give.
    pub grade_by_score: GradeId,
    /// The lowest grade cap raised in the year, with the month it was raised in.
    pub grade_cap: Option<(GradeId, u8)>,
    /// A grade set whatever the score (`grade 零星级`), with the month it was set in.
    pub set_grade: Option<(GradeId, u8)>,
    /// A published result set whatever the months gave (`score 0`): what the annual formula
    /// gave (exactly, and published), and the month it was set in; `total` and `published` are
    /// the set score.
    // Boxed, as `excluded` and `year_card` are: rare, in a district's hundred thousand results.
    pub set_score: Option<Box<(Exact, Decimal, u8)>>,
    /// The lowest score of the grade a demotion (`demote to C`) set: the year's result stays at
    /// most this, whatever a rank gives afterwards.
    pub floor: Option<Decimal>,
    /// What the annual formula gave (exactly, and published) when a rank has changed the result
    /// since (`rank … +{ 1: 10 }`, `scaled 600`).
    pub before_ranks: Option<Box<(Exact, Decimal)>>,
    /// The quotas this person's grade met, highest grade first (`top 20% of department`).
    pub quota: Vec<QuotaNote>,
    /// The person's place under each `rank` of the policy that ranks them, in the policy's order.
    pub ranks: Vec<RankNote>,
    /// Not evaluated this year (`exclude "在校学生"`): the reason and the month it was first
    /// raised in. The year then has no published result and no grade.
    pub excluded: Option<Box<(String, u8)>>,
    pub flags: Vec<String>,
    pub is_final: bool,
}

impl AnnualResult {
    /// The published result, unless the person is not evaluated this year.
    pub fn shown_total(&self) -> Option<Decimal> {
        self.excluded.is_none().then_some(self.published)
    }

    /// The grade, unless the person is not evaluated this year.
    pub fn shown_grade(&self) -> Option<GradeId> {
        self.excluded.is_none().then_some(self.grade)
    }
}

/// A person's place under a grade's quota.
#[derive(Clone, Debug)]
pub struct QuotaNote {
    /// The grade with the quota.
    pub grade: GradeId,
    /// The group's key (a department, a column's value; empty for everybody).
    pub group: String,
    pub group_size: usize,
    /// How many of the group may hold the grade.
    pub places: usize,
    /// 1-based, among those whose score gave them the grade, best first.
    pub rank: usize,
    /// How many the score gave the grade to.
    pub holders: usize,
    /// Within the quota: the grade is kept.
    pub kept: bool,
}

/// A person's place in their group under a `rank` of the policy.
#[derive(Clone, Debug)]
pub struct RankNote {
    /// Index into the policy's ranks.
    pub rank: usize,
    /// The group's key (a department, a column's value; empty for everybody).
    pub group: String,
    /// The people ranked in the group (those not evaluated this year are not).
    pub group_size: usize,
    /// 1-based: one more than the number of the group's people with a better value; `None` when
    /// the person's value is missing (a mean over no records).
    pub place: Option<usize>,
    /// The value ranked by: the published result, or the rank's `by`.
    pub value: Option<Exact>,
    /// The group's best value, and who has it (roster indices, in roster order).
    pub best: Option<Exact>,
    pub best_people: Vec<usize>,
    /// What the place gave (`+{ 1: 10 }`, `scaled 600`): the published result before and after.
    pub gave: Option<(Decimal, Decimal)>,
}

/// What a rule can set for the year, whatever the score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Override {
    /// `grade 零星级`.
    Grade(GradeId),
    /// `score 0`.
    Score(Decimal),
    /// `exclude "…"`, by the index of its reason among the policy's flag texts.
    Exclude(usize),
    /// `demote to C`: the result at most C's lowest score (the grade cap is raised beside it).
    Floor(Decimal),
}

/// A problem found while scoring (not while reading): a fact recorded twice, a record whose
/// target does not exist; at the record's line when it is about one record (`code` is one of
/// [`Code::EVAL`]). Like the reader's problems, these stop the results from being printed.
pub fn scoring_problem(
    code: Code,
    origin: Option<Origin>,
    message: String,
    help: Option<String>,
) -> Diag {
    Diag::at_record(code, origin.map(|o| (o.file, o.line)), message).help_opt(help)
}

/// One month's item scores, kept small because a district has a million of them: a whole number
/// of millionths per item, inline for a card of a few items, and the few scores that are not (a
/// third of a point) exactly beside them.
#[derive(Debug, Default)]
pub struct ItemScores {
    /// Per item: its score in millionths, or [`NOT_APPLIED`] when the item does not apply, or
    /// [`IN_FRACTIONS`] when the score is among `fractions`.
    scaled: SmallVec<Inline>,
    // Boxed on purpose: 8 bytes instead of a `Vec`'s 24, in a million copies that are nearly
    // always empty.
    #[allow(clippy::box_collection)]
    fractions: Option<Box<Vec<(usize, Exact)>>>,
}

/// The scores of a card of a few items, held inline.
type Inline = [i64; 4];

/// Marks an item that does not apply to the person.
const NOT_APPLIED: i64 = i64::MIN;
/// Marks an item whose score is kept among the fractions.
const IN_FRACTIONS: i64 = i64::MIN + 1;

/// A quiet month's card is a copy of another's (a district has a million of them): the flags,
/// nearly always none, are not copied one by one.
impl Clone for MonthResult {
    fn clone(&self) -> Self {
        MonthResult {
            month: self.month,
            total: self.total.clone(),
            published: self.published,
            items: self.items.clone(),
            outside: self.outside.clone(),
            flags: if self.flags.is_empty() {
                Vec::new()
            } else {
                self.flags.clone()
            },
            is_final: self.is_final,
        }
    }
}

/// The scores are copied as the integers they are: those held inline as one block
/// (`SmallVec`'s own `Clone` pushes them one by one).
impl Clone for ItemScores {
    fn clone(&self) -> Self {
        let scaled = match self.scaled.as_slice() {
            held if self.scaled.spilled() => SmallVec::from_slice(held),
            held => {
                let mut inline = Inline::default();
                let n = held.len().min(inline.len());
                inline[..n].copy_from_slice(&held[..n]);
                SmallVec::from_buf_and_len(inline, n)
            }
        };
        ItemScores {
            scaled,
            fractions: self.fractions.clone(),
        }
    }
}

impl ItemScores {
    pub fn with_capacity(n: usize) -> ItemScores {
        ItemScores {
            scaled: SmallVec::with_capacity(n),
            fractions: None,
        }
    }

    /// Adds the next item's score (`None`: the item does not apply to the person).
    pub fn push(&mut self, score: Option<Exact>) {
        let at = self.scaled.len();
        match score.map(|s| (s, s.to_scaled(STORED_PLACES))) {
            None => self.scaled.push(NOT_APPLIED),
            Some((_, Some(n))) if n > IN_FRACTIONS => self.scaled.push(n),
            Some((s, _)) => {
                self.scaled.push(IN_FRACTIONS);
                self.fractions.get_or_insert_default().push((at, s));
            }
        }
    }

    /// Adds the next item's score, in millionths.
    pub fn push_millionths(&mut self, score: i64) {
        if score > IN_FRACTIONS {
            self.scaled.push(score);
        } else {
            self.push(Some(Exact::from_scaled(i128::from(score), STORED_PLACES)));
        }
    }

    pub fn len(&self) -> usize {
        self.scaled.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scaled.is_empty()
    }

    /// The score of the item at `i`, or `None` when the item does not apply.
    pub fn get(&self, i: usize) -> Option<Exact> {
        match *self.scaled.get(i)? {
            NOT_APPLIED => None,
            IN_FRACTIONS => self
                .fractions
                .as_ref()?
                .iter()
                .find(|(at, _)| *at == i)
                .map(|(_, s)| *s),
            n => Some(Exact::from_scaled(i128::from(n), STORED_PLACES)),
        }
    }

    /// Every item's score in order, `None` where the item does not apply.
    pub fn iter(&self) -> impl Iterator<Item = Option<Exact>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}
