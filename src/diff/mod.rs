//! Two revisions of a policy compared on the same records: which rules differ (by the clause they
//! cite), whose annual result or grade changes, whose year's value in a ledger changes (§30), and
//! how many people each grade holds before and after. Checked policies and outcomes in, a [`Diff`] out; [`report`] prints it.

pub mod ledgers;
pub mod report;
pub mod structure;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::check::Policy;
use crate::eval::Roster;
use crate::eval::outcome::Outcome;
pub use ledgers::LedgerName;
pub use structure::{Change, StructChange, Subject};

/// One person whose annual total or grade differs between the revisions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonChange {
    pub person: String,
    pub name: String,
    pub department: String,
    pub before: Decimal,
    pub after: Decimal,
    /// Exact: two published scores can differ by more than a decimal holds.
    pub delta: crate::exact::Exact,
    pub grade_before: String,
    pub grade_after: String,
    pub final_before: bool,
    pub final_after: bool,
    /// Not evaluated in that revision (`exclude`): no result is shown for it.
    pub excluded_before: bool,
    pub excluded_after: bool,
    /// The year's flags, `;` between them as in `eval`'s CSV (an exclusion's reason first).
    pub flags_before: String,
    pub flags_after: String,
    /// The person's place on the roster.
    pub row: usize,
    /// Per ledger of [`Diff::ledgers`]: the year's value before and after (the sum of the cards,
    /// published; `None` where the revision has no such ledger or no result for the person).
    pub ledgers: Vec<[Option<Decimal>; 2]>,
}

/// How many people a grade holds in each revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GradeCount {
    pub grade: String,
    pub before: usize,
    pub after: usize,
}

/// A revision as the report names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Revision {
    pub file: String,
    pub title: String,
    pub year: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diff {
    pub old: Revision,
    pub new: Revision,
    pub rules: Vec<StructChange>,
    /// Largest change first (by size, then roster order).
    pub people: Vec<PersonChange>,
    /// Everybody on the roster.
    pub people_total: usize,
    pub grades: Vec<GradeCount>,
    /// Decimals of the published totals before and after (each revision rounds its own way);
    /// a change is shown with the larger of the two.
    pub places_before: u32,
    pub places_after: u32,
    /// The ledgers of either revision (§30), the new revision's first.
    pub ledgers: Vec<LedgerName>,
    /// The people whose result and grade stay but a ledger's value changes, in roster order.
    pub ledger_only: Vec<PersonChange>,
}

/// Why two revisions cannot be compared.
pub fn not_comparable(old: &Policy, new: &Policy) -> Option<String> {
    (old.year != new.year).then(|| {
        crate::tr!(
            format!(
                "the revisions are for different years ({} and {}): a revision is compared with the policy of the same year",
                old.year, new.year
            ),
            format!(
                "两个版本不是同一年的（{} 年和 {} 年）：版本只和同一年的政策文件比",
                old.year, new.year
            )
        )
    })
}

/// One revision evaluated: its policy, the roster as it read it, and the outcome.
pub struct Side<'a> {
    pub file: &'a str,
    pub policy: &'a Policy,
    pub roster: &'a Roster,
    pub outcome: &'a Outcome,
}

/// A grade's name in a revision.
fn grade_name(p: &Policy, g: usize) -> String {
    p.grades.get(g).map_or_else(String::new, |x| x.name.clone())
}

/// The people whose published result or grade differs, the largest change first; then those
/// whose ledger values alone differ.
fn changed_people(
    old: &Side<'_>,
    new: &Side<'_>,
    names: &[LedgerName],
) -> (Vec<PersonChange>, Vec<PersonChange>) {
    let grade = grade_name;
    let mut people = Vec::new();
    let mut ledger_only = Vec::new();
    for (i, (b, a)) in old
        .outcome
        .people
        .iter()
        .zip(&new.outcome.people)
        .enumerate()
    {
        let Some(person) = new.roster.people.get(a.person) else {
            continue;
        };
        // Somebody not evaluated in a revision has the grade `excluded` there.
        let shown = |policy: &Policy, r: &crate::eval::outcome::AnnualResult| match r.shown_grade()
        {
            Some(g) => grade(policy, g),
            None => "excluded".to_string(),
        };
        let (gb, ga) = (shown(old.policy, &b.annual), shown(new.policy, &a.annual));
        let (before, after) = (b.annual.published, a.annual.published);
        let (fb, fa) = (b.annual.flags.join(";"), a.annual.flags.join(";"));
        let ledgers = ledgers::year_values(old.policy, b, new.policy, a, names);
        let same = before == after && gb == ga && fb == fa;
        if same && ledgers.iter().all(|[x, y]| x == y) {
            continue;
        }
        let change = PersonChange {
            person: person.id.clone(),
            name: person.name.clone(),
            department: new
                .roster
                .departments
                .get(person.department)
                .cloned()
                .unwrap_or_default(),
            before,
            after,
            delta: crate::exact::Exact::from_decimal(after)
                .checked_sub(crate::exact::Exact::from_decimal(before))
                .unwrap_or_default(),
            grade_before: gb,
            grade_after: ga,
            final_before: b.annual.is_final,
            final_after: a.annual.is_final,
            excluded_before: b.annual.excluded.is_some(),
            excluded_after: a.annual.excluded.is_some(),
            flags_before: fb,
            flags_after: fa,
            row: i,
            ledgers,
        };
        if same {
            ledger_only.push(change);
        } else {
            people.push(change);
        }
    }
    people.sort_by(|x, y| y.delta.abs().cmp(&x.delta.abs()).then(x.row.cmp(&y.row)));
    (people, ledger_only)
}

/// How many people each grade of either revision holds before and after, the new revision's
/// grades first.
fn grade_counts(old: &Side<'_>, new: &Side<'_>) -> Vec<GradeCount> {
    let grade = grade_name;
    let mut grades: Vec<GradeCount> = new
        .policy
        .grades
        .iter()
        .map(|g| GradeCount {
            grade: g.name.clone(),
            before: 0,
            after: 0,
        })
        .collect();
    for g in &old.policy.grades {
        if !grades.iter().any(|x| x.grade == g.name) {
            grades.push(GradeCount {
                grade: g.name.clone(),
                before: 0,
                after: 0,
            });
        }
    }
    for p in old
        .outcome
        .people
        .iter()
        .filter(|p| p.annual.excluded.is_none())
    {
        let name = grade(old.policy, p.annual.grade);
        if let Some(g) = grades.iter_mut().find(|g| g.grade == name) {
            g.before += 1;
        }
    }
    for p in new
        .outcome
        .people
        .iter()
        .filter(|p| p.annual.excluded.is_none())
    {
        let name = grade(new.policy, p.annual.grade);
        if let Some(g) = grades.iter_mut().find(|g| g.grade == name) {
            g.after += 1;
        }
    }
    grades
}

/// Two revisions evaluated on the same inputs, compared: their rules, the people whose result or
/// grade changes, and how many each grade holds.
pub fn diff(old: &Side<'_>, new: &Side<'_>) -> Diff {
    let ledgers = ledgers::names(old.policy, new.policy);
    let (people, ledger_only) = changed_people(old, new, &ledgers);
    let grades = grade_counts(old, new);
    let revision = |s: &Side<'_>| Revision {
        file: s.file.to_string(),
        title: s.policy.title.clone(),
        year: s.policy.year,
    };
    Diff {
        old: revision(old),
        new: revision(new),
        rules: structure::compare(old.policy, new.policy),
        people,
        people_total: new.outcome.people.len(),
        grades,
        places_before: old.policy.round_places,
        places_after: new.policy.round_places,
        ledgers,
        ledger_only,
    }
}
