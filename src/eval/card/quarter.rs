//! Quarterly cards (`card quarter`): four cards a year, each made from its quarter's three months
//! as one card (caps and guards counting as the months go, `when` rules, bases and clamps once a
//! quarter), and the year from the annual formula over the four quarterly totals.

use super::*;

/// The four quarters, then the year. Each quarter is a [`MonthResult`] whose `month` is the
/// quarter's last month (3, 6, 9, 12), so that a period filter and the explanations name it.
pub(super) fn quarter_card(
    mut maker: Maker<'_, '_>,
    envs: &[CardEnv<'_, '_>],
    finals: &[bool; MONTHS],
    year_final: bool,
) -> Card {
    let engine = maker.engine;
    let policy = engine.policy;
    let mut quarters = Vec::with_capacity(4);
    for (quarter, months) in envs.chunks(3).enumerate() {
        let last = quarter * 3 + 2;
        let month = (last + 1) as u8;
        let (total, outside, items, flags) = maker.period_card(months);
        quarters.push(MonthResult {
            month,
            total: total.into(),
            published: maker.fail.publish(policy, total, Some(month)),
            items,
            outside: outside.into(),
            flags: flags
                .iter()
                .map(|f| engine.flag_texts[*f].clone())
                .collect(),
            // A quarter is final once its last month is.
            is_final: finals.get(last).copied().unwrap_or(false),
        });
    }
    maker.finish(quarters, year_final, None)
}
