//! A balance card's year: the snapshot of the reading day is the year's result, and only what
//! is valid on that day (its flags, grade caps, grades and scores set, exclusions) holds for the
//! year.

use super::*;

/// What a card keeps for the year besides its total.
#[derive(Default)]
pub(super) struct YearState {
    year_flags: BTreeSet<usize>,
    flag_rules: BTreeMap<usize, (u8, usize)>,
    grade_cap: Option<(usize, u8, usize)>,
    set_grade: Option<(usize, u8, usize)>,
    set_score: Option<(Decimal, u8, usize)>,
    floor: Option<(Decimal, u8, usize)>,
    excluded: Option<(usize, u8, usize)>,
}

impl Maker<'_, '_> {
    /// Takes what the months so far kept for the year, leaving it empty.
    pub(super) fn take_year_state(&mut self) -> YearState {
        YearState {
            year_flags: std::mem::take(&mut self.year_flags),
            flag_rules: std::mem::take(&mut self.flag_rules),
            grade_cap: self.grade_cap.take(),
            set_grade: self.set_grade.take(),
            set_score: self.set_score.take(),
            floor: self.floor.take(),
            excluded: self.excluded.take(),
        }
    }

    pub(super) fn put_year_state(&mut self, s: YearState) {
        self.year_flags = s.year_flags;
        self.flag_rules = s.flag_rules;
        self.grade_cap = s.grade_cap;
        self.set_grade = s.set_grade;
        self.set_score = s.set_score;
        self.floor = s.floor;
        self.excluded = s.excluded;
    }
}

/// The months of a balance card (each a snapshot), then the year: the snapshot of the reading
/// day, with what holds on that day.
pub(super) fn balance_card(
    mut maker: Maker<'_, '_>,
    envs: &[CardEnv<'_, '_>],
    finals: &[bool; MONTHS],
    year_final: bool,
) -> Card {
    let engine = maker.engine;
    let reading = usize::from(engine.reading.month.clamp(1, 12) - 1);
    let mut months = Vec::with_capacity(MONTHS);
    let mut kept = YearState::default();
    for ((m, &month_final), env) in finals.iter().enumerate().zip(envs) {
        if m == reading {
            maker.take_year_state();
        }
        months.push(maker.month(m, month_final, env));
        if m == reading {
            kept = maker.take_year_state();
        }
    }
    maker.put_year_state(kept);
    let total = months
        .get(reading)
        .map_or(Exact::ZERO, |r: &MonthResult| r.total.get());
    let mut card = maker.finish(months, year_final, Some(total));
    card.reading = Some(reading);
    card
}
