//! Ranks (`rank standing "村内名次" of village`): once every card is made and every quota met, each
//! person's place in their group by published result. Equal results share a place, one more than
//! the number of better results (1, 2, 2, 4), so a place never depends on the roster's order or on
//! how the people were split among threads. People not evaluated this year are in no group. A
//! rank reads the results and changes none of them.

use super::Roster;
use super::outcome::{PersonResult, RankNote};
use crate::check::model::Policy;

/// Ranks every person under every `rank` of the policy.
pub fn apply(policy: &Policy, roster: &Roster, people: &mut [PersonResult]) {
    for (r, rank) in policy.ranks.iter().enumerate() {
        for (group, members) in super::quota::groups(policy, roster, people, rank.of) {
            rank_group(people, r, group, &members);
        }
    }
}

/// The places of one group's `members` (by their place in `people`) under rank `r`.
fn rank_group(people: &mut [PersonResult], r: usize, group: String, members: &[usize]) {
    let mut results: Vec<_> = members
        .iter()
        .map(|&i| people[i].annual.published)
        .collect();
    results.sort_unstable_by(|a, b| b.cmp(a));
    let Some(&best) = results.first() else {
        return;
    };
    let best_people: Vec<usize> = members
        .iter()
        .filter(|&&i| people[i].annual.published == best)
        .map(|&i| people[i].person)
        .collect();
    for &i in members {
        let own = people[i].annual.published;
        // The results are best first: the better ones are those before the first equal one.
        let better = results.partition_point(|x| *x > own);
        people[i].annual.ranks.push(RankNote {
            rank: r,
            group: group.clone(),
            group_size: members.len(),
            place: better + 1,
            best,
            best_people: best_people.clone(),
        });
    }
}
