//! Grades with a quota (`优秀 >= 90 top 20% of department`): once every card is made, at most that
//! share of each group (rounded down) holds the grade, the best by published result. People tied
//! at the cut are all left out, as a quota is a maximum; whoever is left out takes the next grade
//! down, where that grade's own quota, if any, counts them too.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::outcome::{PersonResult, QuotaNote};
use super::{Person, Roster, Value};
use crate::check::model::{Policy, QuotaGroup, ValueType};

/// Applies every quota of the policy, highest grade first.
pub fn apply(policy: &Policy, roster: &Roster, people: &mut [PersonResult]) {
    for (g, grade) in policy.grades.iter().enumerate() {
        let Some(quota) = &grade.quota else { continue };
        for (group, members) in groups(policy, roster, people, quota.of, &quota.also) {
            apply_to_group(people, g, quota.percent, group, &members);
        }
    }
}

/// The people (by their place in `people`) in each group a quota counts, by the group's key:
/// one group per value of `of`, or per combination of the values of `of` and `also` (§32).
pub(super) fn groups(
    policy: &Policy,
    roster: &Roster,
    people: &[PersonResult],
    of: QuotaGroup,
    also: &[QuotaGroup],
) -> BTreeMap<String, Vec<usize>> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, result) in people.iter().enumerate() {
        let Some(person) = roster.people.get(result.person) else {
            continue;
        };
        // Somebody not evaluated this year is in no group.
        if result.annual.excluded.is_some() {
            continue;
        }
        let key = combined_key(policy, roster, person, std::iter::once(&of).chain(also));
        groups.entry(key).or_default().push(i);
    }
    groups
}

/// The key of `person`'s group by several columns at once (`of village, category`): each
/// column's [`group_key`], joined with `, `.
pub(super) fn combined_key<'g>(
    policy: &Policy,
    roster: &Roster,
    person: &Person,
    of: impl IntoIterator<Item = &'g QuotaGroup>,
) -> String {
    of.into_iter()
        .map(|&g| group_key(policy, roster, person, g))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key of `person`'s group by `of`, shown in explanations: a department's name, a column's
/// name and value (`role 干部`, `head true`), empty for everybody.
pub(super) fn group_key(
    policy: &Policy,
    roster: &Roster,
    person: &super::Person,
    of: QuotaGroup,
) -> String {
    match of {
        QuotaGroup::Everybody => String::new(),
        QuotaGroup::Department => roster
            .departments
            .get(person.department)
            .cloned()
            .unwrap_or_default(),
        QuotaGroup::Column(c) => {
            let col = policy.columns.get(c);
            let value = person
                .values
                .get(c)
                .map_or_else(String::new, |v| key_of(v, col.map(|col| &col.ty)));
            format!("{} {value}", col.map_or("", |col| col.name.as_str()))
        }
    }
}

/// The quota of grade `g` in one group: `percent` of its `members`, rounded down, keep the grade,
/// the best first; the others take the next grade down. Notes each holder's place.
fn apply_to_group(
    people: &mut [PersonResult],
    g: usize,
    percent: Decimal,
    group: String,
    members: &[usize],
) {
    // A share of a whole number of people, rounded down: it fits, as it is at most them.
    let places = (Decimal::from(members.len()) * percent / Decimal::ONE_HUNDRED)
        .floor()
        .to_usize()
        .unwrap_or(0);
    let mut holders: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&i| people[i].annual.grade == g)
        .collect();
    // Best first; the roster's order among equals, so that the result never depends on
    // how the people were split among threads.
    holders.sort_by(|&a, &b| {
        people[b]
            .annual
            .published
            .cmp(&people[a].annual.published)
            .then(people[a].person.cmp(&people[b].person))
    });
    let kept = match (holders.get(places.wrapping_sub(1)), holders.get(places)) {
        (Some(&last), Some(&next))
            if people[last].annual.published == people[next].annual.published =>
        {
            let cut = people[last].annual.published;
            holders
                .iter()
                .take_while(|&&i| people[i].annual.published > cut)
                .count()
        }
        _ => places.min(holders.len()),
    };
    let held = holders.len();
    // Equal results share a rank: one more than the number of better results, which
    // (the holders being best first) are the ones before the first equal result.
    let mut rank = 0;
    for (place, &i) in holders.iter().enumerate() {
        if place == 0 || people[holders[place - 1]].annual.published != people[i].annual.published {
            rank = place + 1;
        }
        let annual = &mut people[i].annual;
        annual.quota.push(QuotaNote {
            grade: g,
            group: group.clone(),
            group_size: members.len(),
            places,
            rank,
            holders: held,
            kept: place < kept,
        });
        if place >= kept {
            annual.grade = g + 1;
        }
    }
}

/// A roster value as the key of its group, as the user wrote it.
fn key_of(v: &Value, ty: Option<&ValueType>) -> String {
    match (v, ty) {
        (Value::Number(n), _) => n.normalize().to_string(),
        (Value::Text(t), _) => t.clone(),
        (Value::Bool(b), _) => b.to_string(),
        (Value::Enum(i), Some(ValueType::Enum(values))) => {
            values.get(*i).cloned().unwrap_or_default()
        }
        (Value::Enum(i), _) => i.to_string(),
        (Value::Person(p), _) => format!("#{p}"),
        (Value::Date(d), _) => d.to_string(),
        (Value::Missing, _) => String::new(),
    }
}
