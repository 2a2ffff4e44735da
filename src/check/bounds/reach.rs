//! Which grades can be given, and how: by score, by a set score, set by a `grade` effect, lowered
//! to by `grade at most`, or to people left out of a quota.

use super::*;

/// Which grades a published result in `published`, a `grade` effect, a `grade at most` or a quota
/// can give.
pub(super) fn grades(policy: &Policy, published: &Range, raised: &Raised) -> Vec<GradeReach> {
    let n = policy.grades.len();
    let (mut by, mut threshold_reachable) = by_score(policy, published);
    // A `score N` gives the grade of N.
    let mut scored: Vec<Vec<&str>> = vec![Vec::new(); n];
    for (score, rule) in &raised.scores {
        if let Some(i) = policy.grades.iter().position(|g| g.takes_exact(*score)) {
            for t in threshold_reachable.iter_mut().skip(i) {
                *t = true;
            }
            if !scored[i].contains(&rule.as_str()) {
                scored[i].push(rule);
            }
        }
    }
    for g in 0..n {
        if !scored[g].is_empty() {
            by[g].push(crate::tr!(
                format!("by the score {} sets", scored[g].join(", ")),
                format!("凭 {} 定的分", scored[g].join("、"))
            ));
        }
    }
    let set = per_grade(&raised.grades, n);
    let lowered = per_grade(&raised.caps, n);
    for g in 0..n {
        if !set[g].is_empty() {
            by[g].push(crate::tr!(
                format!("set by {}", set[g].join(", ")),
                format!("由 {} 直接定", set[g].join("、"))
            ));
        }
    }
    for g in 0..n {
        // A cap lowers a higher grade, given by score or set.
        if !lowered[g].is_empty() && (0..g).any(|j| !by[j].is_empty()) {
            by[g].push(crate::tr!(
                format!("lowered to it by {}", lowered[g].join(", ")),
                format!("由 {} 降到这个等次", lowered[g].join("、"))
            ));
        }
    }
    for i in 0..n.saturating_sub(1) {
        if policy.grades[i].quota.is_some() && !by[i].is_empty() {
            let s = crate::tr!(
                format!("left out of the quota of `{}`", policy.grades[i].name),
                format!("`{}` 名额以外的", policy.grades[i].name)
            );
            by[i + 1].push(s);
        }
    }
    policy
        .grades
        .iter()
        .zip(by)
        .zip(threshold_reachable)
        .map(|((g, by), threshold_reachable)| GradeReach {
            name: g.name.clone(),
            threshold: g.threshold(),
            by,
            threshold_reachable,
        })
        .collect()
}

/// Per grade, whether the published result can reach its threshold, and "by score" where the
/// result can lie between its threshold and the one above.
fn by_score(policy: &Policy, published: &Range) -> (Vec<Vec<String>>, Vec<bool>) {
    let (lo, hi) = (published.lo.value(), published.hi.value());
    let n = policy.grades.len();
    let mut by: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut threshold_reachable = vec![true; n];
    for (i, g) in policy.grades.iter().enumerate() {
        // The result can reach the threshold…
        let up = match g.min.map(Exact::from_decimal) {
            None => true,
            Some(t) => hi.is_none_or(|h| if g.above { h > t } else { h >= t }),
        };
        threshold_reachable[i] = up;
        // …and stay below the grade above.
        let down = match i.checked_sub(1).and_then(|p| policy.grades.get(p)) {
            None => true,
            Some(p) => match p.min.map(Exact::from_decimal) {
                None => true,
                Some(t) => lo.is_none_or(|l| if p.above { l <= t } else { l < t }),
            },
        };
        if up && down {
            by[i].push(crate::tr!("by score", "凭分数").to_string());
        }
    }
    (by, threshold_reachable)
}

/// The rules that raise each grade, each named once.
fn per_grade(raised: &[(GradeId, String)], n: usize) -> Vec<Vec<&str>> {
    let mut per: Vec<Vec<&str>> = vec![Vec::new(); n];
    for (g, rule) in raised {
        if let Some(s) = per.get_mut(*g).filter(|s| !s.contains(&rule.as_str())) {
            s.push(rule);
        }
    }
    per
}
