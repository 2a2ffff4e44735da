//! What changed in the policy text itself: rules and bases matched by the clause they cite, item
//! and section budgets by id, grade bands by name, record kinds and roster columns by name, and the
//! header. A rule whose text differs only in its numbers is a change of amounts.

use std::cmp::Ordering;

use serde::Serialize;

mod entities;

use crate::check::Policy;
use entities::entities;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    /// Only numbers differ.
    Amounts,
    /// The same text in another item or block.
    Moved,
    /// Anything else.
    Changed,
}

/// What a change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    Rule,
    Budget,
    /// Who an item applies to (its `for`).
    Applies,
    Grade,
    Record,
    /// A declared cap that several rules share.
    Cap,
    /// A declared `once` group: rules that count once per act.
    Once,
    /// A declared rank (`rank standing "…" of village`).
    Rank,
    Roster,
    Header,
    /// A ledger, a value derived in one, or a section booked in one (§30).
    Ledger,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StructChange {
    pub subject: Subject,
    pub change: Change,
    /// The clause a rule cites; a budget's item or section, a grade's name, a kind's id.
    pub key: String,
    /// Where it lives: the item or block of a rule (in the new revision when it is there).
    pub place: String,
    /// For a moved rule: where it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// For changed amounts: each number that changed.
    pub amounts: Vec<Amount>,
}

/// A number of a rule, budget or grade band that a revision changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Amount {
    pub before: String,
    pub after: String,
}

/// One thing of a revision that the other can have too.
struct Entity {
    subject: Subject,
    key: String,
    place: String,
    text: String,
}

/// A text with its numbers taken out, and the numbers. A sign written against a number (`-5`)
/// belongs to it; a digit inside a name does not start a number.
fn numbers(text: &str) -> (String, Vec<String>) {
    let mut masked = String::new();
    let mut found = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i == 0 {
            None
        } else {
            chars.get(i - 1).copied()
        };
        let starts_word = prev.is_none_or(|p| !(p.is_alphanumeric() || p == '_' || p == '.'));
        let signed = (c == '-' || c == '+')
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
            && starts_word;
        if (c.is_ascii_digit() && starts_word) || signed {
            let mut n = String::from(c);
            i += 1;
            while let Some(&d) = chars.get(i) {
                // A clock time (`9:00`, `8:30:15`) is one number: its minutes are not another.
                let clock = d == ':'
                    && !n.contains('.')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                    && chars.get(i + 2).is_some_and(char::is_ascii_digit)
                    && !chars.get(i + 3).is_some_and(char::is_ascii_digit);
                if d.is_ascii_digit() || d == '.' || clock {
                    n.push(d);
                    i += 1;
                } else {
                    break;
                }
            }
            found.push(n);
            masked.push('#');
            continue;
        }
        masked.push(c);
        i += 1;
    }
    (masked, found)
}

/// Clause ids in reading order: `2.1.2` before `2.1.10`; rules without a clause last.
fn clause_order(a: &str, b: &str) -> Ordering {
    let parts = |s: &str| -> Vec<Result<u64, String>> {
        s.split('.')
            .map(|p| p.parse::<u64>().map_err(|_| p.to_string()))
            .collect()
    };
    let (pa, pb) = (parts(a), parts(b));
    for (x, y) in pa.iter().zip(&pb) {
        let o = match (x, y) {
            (Ok(x), Ok(y)) => x.cmp(y),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            (Err(x), Err(y)) => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.len().cmp(&pb.len())
}

/// Every structural difference between two revisions, rules first (by clause), then budgets,
/// grades, record kinds, roster columns and the header.
pub fn compare(old: &Policy, new: &Policy) -> Vec<StructChange> {
    let mut before = entities(old);
    let mut after = entities(new);
    let change = struct_change;
    drop_unchanged(&mut before, &mut after);
    let mut out = pair_up(&mut before, &mut after);
    for b in &before {
        out.push(change(
            b.subject,
            Change::Removed,
            &b.key,
            &b.place,
            Some(b),
            None,
        ));
    }
    for a in &after {
        out.push(change(
            a.subject,
            Change::Added,
            &a.key,
            &a.place,
            None,
            Some(a),
        ));
    }
    in_order(&mut out);
    out
}

/// Leaves out of both lists what is the same thing in the same place.
fn drop_unchanged(before: &mut Vec<Entity>, after: &mut Vec<Entity>) {
    before.retain(|b| {
        match after.iter().position(|a| {
            a.subject == b.subject && a.key == b.key && a.place == b.place && a.text == b.text
        }) {
            Some(i) => {
                after.remove(i);
                false
            }
            None => true,
        }
    });
}

/// Pairs what is left of the two lists, pass by pass, as changes; what no pass pairs stays in
/// the lists.
fn pair_up(before: &mut Vec<Entity>, after: &mut Vec<Entity>) -> Vec<StructChange> {
    let mut out = Vec::new();
    let change = struct_change;
    // 2. budgets, grades, kinds, columns, header: matched by key alone.
    // 3. rules: the same text with other numbers, in the same place: amounts.
    // 4. rules: the same text in another place: moved.
    // 5. rules: what is left of one clause in one place, in order: changed.
    type Same = fn(&Entity, &Entity) -> bool;
    let passes: [(Same, Change); 4] = [
        (
            |b, a| b.subject != Subject::Rule && a.key == b.key,
            Change::Changed,
        ),
        (
            |b, a| a.place == b.place && numbers(&a.text).0 == numbers(&b.text).0,
            Change::Amounts,
        ),
        (|b, a| a.text == b.text, Change::Moved),
        (|b, a| a.place == b.place, Change::Changed),
    ];
    for (same, kind) in passes {
        let mut i = 0;
        while i < before.len() {
            let b = &before[i];
            let found = after
                .iter()
                .position(|a| a.subject == b.subject && a.key == b.key && same(b, a));
            match found {
                Some(j) => {
                    let a = after.remove(j);
                    let b = before.remove(i);
                    let kind =
                        if b.subject != Subject::Rule && numbers(&a.text).0 == numbers(&b.text).0 {
                            Change::Amounts
                        } else {
                            kind
                        };
                    out.push(change(
                        b.subject,
                        kind,
                        &b.key,
                        &a.place,
                        Some(&b),
                        Some(&a),
                    ));
                }
                None => i += 1,
            }
        }
    }
    out
}

/// One change, with the amounts that differ when only amounts do, and where a moved rule was.
fn struct_change(
    subject: Subject,
    change: Change,
    key: &str,
    place: &str,
    b: Option<&Entity>,
    a: Option<&Entity>,
) -> StructChange {
    let amounts = match (b, a, change) {
        (Some(b), Some(a), Change::Amounts) => {
            let (_, nb) = numbers(&b.text);
            let (_, na) = numbers(&a.text);
            nb.into_iter()
                .zip(na)
                .filter(|(x, y)| x != y)
                .map(|(before, after)| Amount { before, after })
                .collect()
        }
        _ => Vec::new(),
    };
    StructChange {
        subject,
        change,
        key: key.to_string(),
        place: place.to_string(),
        moved_from: match (b, change) {
            (Some(b), Change::Moved) => Some(b.place.clone()),
            _ => None,
        },
        before: b.map(|e| e.text.clone()),
        after: a.map(|e| e.text.clone()),
        amounts,
    }
}

/// Rules first, by clause, then budgets, grades, record kinds, roster columns and the header.
fn in_order(out: &mut [StructChange]) {
    out.sort_by(|x, y| {
        x.subject
            .cmp(&y.subject)
            .then_with(|| {
                if x.subject == Subject::Rule {
                    clause_order(&x.key, &y.key)
                } else {
                    Ordering::Equal
                }
            })
            .then_with(|| x.before.cmp(&y.before))
            .then_with(|| x.after.cmp(&y.after))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_sign_and_leave_names_alone() {
        let (m, n) = numbers("[2.1.1] per late, early_leave -5 cap 40 to d2");
        assert_eq!(m, "[#] per late, early_leave # cap # to d2");
        assert_eq!(n, ["2.1.1", "-5", "40"]);
        let (_, n) = numbers("base 300 - 15 * (project_rank.rank - 1)");
        assert_eq!(n, ["300", "15", "1"]);
    }

    #[test]
    fn a_clock_time_is_one_number() {
        // `9:00` → `9:30` is that change, not `00 → 30`.
        let (m, n) =
            numbers("[2] per arrival where arrived > 9:30: -2 * ceil((arrived - 8:30:15) / 30)");
        assert_eq!(
            m,
            "[#] per arrival where arrived > #: # * ceil((arrived - #) / #)"
        );
        assert_eq!(n, ["2", "9:30", "-2", "8:30:15", "30"]);
    }

    #[test]
    fn clauses_in_reading_order() {
        let mut v = vec!["3.10", "2.1.10", "3.2", "2.1.2", "5", "", "4.1"];
        v.sort_by(|a, b| clause_order(a, b));
        assert_eq!(v, ["2.1.2", "2.1.10", "3.2", "3.10", "4.1", "5", ""]);
    }
}
