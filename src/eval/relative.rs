//! Items relative to the best of their group (`item work "工作实绩" 600 scaled of department`,
//! §32): in every card, the item scores its own value ÷ the best own value of the item in the
//! person's group in that card × its budget. The own values are read from a first making of every
//! card (where a scaled item scores its own value, unclamped), the bests taken per group and per
//! card, and the cards made again with them. People not evaluated in the year, and people who do
//! not have the item, are in no group's best.

use super::Roster;
use super::outcome::{PersonResult, scoring_problem};
use crate::check::model::Policy;
use crate::codes::Code;
use crate::date::Date;
use crate::diag::Diag;
use crate::exact::Exact;

/// The best own value of a group in one card, and who has it (roster indices, in roster order).
#[derive(Clone, Debug)]
pub struct Best {
    pub value: Exact,
    pub people: Vec<usize>,
}

/// One scaled item's groups and their bests.
#[derive(Clone, Debug)]
struct ItemBests {
    /// Per roster person: their group, an index into `keys`.
    group_of: Vec<usize>,
    /// Per group: its key (`东山村`, `category 重点人群`, `东山村, category 重点人群`).
    keys: Vec<String>,
    /// Per group, per card (by the card's last month, 1..=12, at index month - 1).
    best: Vec<Vec<Option<Best>>>,
}

/// The bests of every scaled item of a policy.
#[derive(Clone, Debug)]
pub struct Bests {
    /// Per flat item (as the engine lists them): `None` unless the item is scaled.
    items: Vec<Option<ItemBests>>,
}

/// Whether a policy has an item scaled to its group's best: its cards are then made twice.
pub fn needed(policy: &Policy) -> bool {
    policy
        .sections
        .iter()
        .any(|s| s.items.iter().any(|i| i.scaled.is_some()))
}

impl Bests {
    /// The bests from the first making of every card, where each scaled item's score is the
    /// person's own value of it.
    pub fn from_results(
        policy: &Policy,
        roster: &Roster,
        items: &[(usize, usize)],
        people: &[PersonResult],
    ) -> Bests {
        let items = items
            .iter()
            .enumerate()
            .map(|(flat, &(s, i))| {
                let of = policy.sections[s].items[i].scaled.as_deref()?;
                Some(item_bests(policy, roster, flat, of, people))
            })
            .collect();
        Bests { items }
    }

    /// Person `p`'s group under flat item `flat`, and its best in the card of `month` (1..=12);
    /// `None` when the item is not scaled; no best when nobody of the group is evaluated.
    pub fn lookup(&self, flat: usize, p: usize, month: u8) -> Option<(&str, Option<&Best>)> {
        let item = self.items.get(flat)?.as_ref()?;
        let g = *item.group_of.get(p)?;
        let best = item
            .best
            .get(g)
            .and_then(|b| b.get(usize::from(month).wrapping_sub(1)))
            .and_then(Option::as_ref);
        Some((item.keys.get(g).map_or("", String::as_str), best))
    }
}

fn item_bests(
    policy: &Policy,
    roster: &Roster,
    flat: usize,
    of: &[crate::check::model::QuotaGroup],
    people: &[PersonResult],
) -> ItemBests {
    let mut keys: Vec<String> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let group_of = roster
        .people
        .iter()
        .map(|person| {
            let key = super::quota::combined_key(policy, roster, person, of);
            *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                keys.len() - 1
            })
        })
        .collect::<Vec<usize>>();
    let mut best: Vec<Vec<Option<Best>>> = vec![vec![None; 12]; keys.len()];
    for result in people {
        // Somebody not evaluated this year is in no group.
        if result.annual.excluded.is_some() {
            continue;
        }
        let Some(&g) = group_of.get(result.person) else {
            continue;
        };
        let cards = result.months.iter().chain(result.year_card.as_deref());
        for card in cards {
            // `None`: the person does not have the item.
            let Some(own) = card.items.get(flat) else {
                continue;
            };
            let Some(slot) = best[g].get_mut(usize::from(card.month).wrapping_sub(1)) else {
                continue;
            };
            match slot {
                Some(b) if b.value == own => b.people.push(result.person),
                Some(b) if b.value > own => {}
                _ => {
                    *slot = Some(Best {
                        value: own,
                        people: vec![result.person],
                    });
                }
            }
        }
    }
    ItemBests {
        group_of,
        keys,
        best,
    }
}

impl Bests {
    /// The groups whose best is 0 or below in a card that is over on the report day (`reading`):
    /// one problem per item and group, naming those cards. A card still to come may have no
    /// points yet; it scores 0 and is no problem.
    pub fn problems(&self, policy: &Policy, items: &[(usize, usize)], reading: Date) -> Vec<Diag> {
        let mut out = Vec::new();
        for (flat, bests) in self.items.iter().enumerate() {
            let (Some(bests), Some(&(s, i))) = (bests, items.get(flat)) else {
                continue;
            };
            let item = &policy.sections[s].items[i];
            for (g, cards) in bests.best.iter().enumerate() {
                let bad: Vec<(String, Exact)> = cards
                    .iter()
                    .enumerate()
                    .filter_map(|(m, b)| {
                        let month = (m + 1) as u8;
                        let b = b.as_ref().filter(|b| !b.value.is_positive())?;
                        let over = Date::end_of_month(policy.year, month) <= reading;
                        over.then(|| (crate::report::card_label(policy, month), b.value))
                    })
                    .collect();
                if !bad.is_empty() {
                    let group = bests.keys.get(g).map_or("", String::as_str);
                    out.push(zero_best(&item.id, group, &bad));
                }
            }
        }
        out
    }
}

/// A group whose best own value of a scaled item is 0 or below in cards that are over: every
/// score would divide by zero, or be turned round.
#[cold]
fn zero_best(item: &str, group: &str, cards: &[(String, Exact)]) -> Diag {
    let group = if group.is_empty() {
        crate::tr!("everybody", "全体人员")
    } else {
        group
    };
    let listed: Vec<String> = cards
        .iter()
        .map(|(card, best)| {
            let best = best.plain();
            crate::tr!(format!("{card}: {best}"), format!("{card} 为 {best}"))
        })
        .collect();
    let listed = listed.join(crate::tr!(", ", "，"));
    scoring_problem(
        Code::DividesByZero,
        None,
        crate::tr!(
            format!(
                "item `{item}` is scaled to the best of `{group}`, which is 0 or below in {listed}"
            ),
            format!("项目 `{item}` 按 `{group}` 的最高分折算，但这些期的最高分不大于 0：{listed}")
        ),
        Some(
            crate::tr!(
                "only a group whose best is above 0 can be scaled (a best of 0 divides by zero, one below 0 would put the worst first); check the group's records, or give the item a base",
                "只有最高分大于 0 的组才能折算（最高分为 0 会除以零，小于 0 会把最差的排到最前）；检查这个组的记录，或者给项目一个基础分"
            )
            .into(),
        ),
    )
}
