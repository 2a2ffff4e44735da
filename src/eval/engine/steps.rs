//! Steps on a year's running total on a balance card: a `when` rule with `valid` (`when
//! sum(volunteer.hours) in year >= 10: +sum(volunteer.hours) in year { … } valid 1 year`). The
//! records it reads are kept (each as its part of one sum or count); once all are in, each
//! person's records of each year are gone through in date order, and on each day one is dated
//! the rule is decided on the year's totals so far. Each time it gives more (by size) than it gave
//! before in that year, it gives an entry of that amount from that day, valid as written; on a
//! day, of one year's entries valid then, the largest counts (the highest step reached).

use super::validity::{Entry, Lasts, duration_of};
use super::*;
use crate::check::model::Expr;
use crate::date::Date;

/// The `when` rules with `valid`, what they read, and the records kept for them.
#[derive(Default)]
pub(super) struct Steps {
    /// Each rule, with the sums and counts it reads.
    rules: Vec<(usize, Vec<AggId>)>,
    /// Per record kind: the sums and counts the rules read of it.
    by_kind: Vec<Vec<AggId>>,
    records: Vec<StepRecord>,
}

/// A record's part of one sum or count, for the person it names.
struct StepRecord {
    person: usize,
    date: Date,
    origin: Origin,
    agg: AggId,
    value: Exact,
}

impl Steps {
    pub(super) fn new(policy: &Policy, rules: &[RuleRef<'_>]) -> Steps {
        let mut steps = Steps {
            by_kind: vec![Vec::new(); policy.kinds.len()],
            ..Steps::default()
        };
        if !policy.balance {
            return steps;
        }
        for (r, rr) in rules.iter().enumerate() {
            let RuleBody::When {
                condition,
                effects,
                validity: Some(_),
            } = &rr.rule.body
            else {
                continue;
            };
            let mut reads = Vec::new();
            let amounts = effects.iter().filter_map(|e| match e {
                Effect::Points { amount, .. } => Some(amount),
                _ => None,
            });
            for e in std::iter::once(condition).chain(amounts) {
                for (_, id) in e.aggregates() {
                    if !reads.contains(&id) {
                        reads.push(id);
                    }
                    let Some(kind) = policy.aggregates.get(id).map(|a| a.kind) else {
                        continue;
                    };
                    if let Some(list) = steps.by_kind.get_mut(kind) {
                        if !list.contains(&id) {
                            list.push(id);
                        }
                    }
                }
            }
            steps.rules.push((r, reads));
        }
        steps
    }

    /// Takes the records another engine kept (a share of the same records, on another thread).
    pub(super) fn merge(&mut self, other: Steps) {
        self.records.extend(other.records);
    }
}

/// A person on one day of the year, as a step rule sees them: the year's sums and counts so far.
struct StepEnv<'a> {
    person: Option<&'a Person>,
    totals: &'a [(AggId, Exact)],
}

impl Env for StepEnv<'_> {
    fn person(&self) -> Option<&Person> {
        self.person
    }
    fn aggregate(&self, id: AggId) -> expr::Result<Exact> {
        Ok(self
            .totals
            .iter()
            .find(|(a, _)| *a == id)
            .map_or(Exact::ZERO, |(_, v)| *v))
    }
}

impl Engine<'_> {
    /// Keeps a record's part of the sums and counts a step rule reads, when it names a person.
    pub(super) fn keep_step_record(&mut self, rec: &Record<'_>) {
        let Subject::Person(p) = rec.subject else {
            return;
        };
        let Some(aggs) = self.steps.by_kind.get(rec.kind) else {
            return;
        };
        if aggs.is_empty() {
            return;
        }
        let env = RecordEnv {
            fields: rec.fields,
            person: self.roster.people.get(p),
        };
        let date = rec.date();
        for i in 0..aggs.len() {
            let id = self.steps.by_kind[rec.kind][i];
            let agg = &self.policy.aggregates[id];
            if let Some(f) = &agg.filter {
                match expr::truth(f, &env) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(gap) => {
                        // The year's records are reported by the aggregates' own pass.
                        if rec.year != self.policy.year {
                            let what = crate::tr!(
                                format!("the filter of `{}`", agg.text),
                                format!("`{}` 的筛选条件", agg.text)
                            );
                            self.errors.push(record_problem(&what, rec.origin, gap));
                        }
                        continue;
                    }
                }
            }
            let value = match (agg.func, agg.field.and_then(|f| rec.fields.get(f))) {
                (Some(AggFn::Count), _) => Exact::ONE,
                (_, Some(Value::Number(n))) => Exact::from_decimal(*n),
                _ => continue,
            };
            self.steps.records.push(StepRecord {
                person: p,
                date,
                origin: rec.origin,
                agg: id,
                value,
            });
        }
    }

    /// Each step rule's entries, from the records kept: call once, before the entries are
    /// counted on the snapshots.
    pub(super) fn step_entries(&mut self) {
        let mut records = std::mem::take(&mut self.steps.records);
        records.sort_by_key(|s| (s.person, s.date.year, s.date, s.origin, s.agg));
        let rules = self.steps.rules.clone();
        for (r, reads) in rules {
            // The records of what this rule reads, each person's years in turn.
            let mine: Vec<&StepRecord> =
                records.iter().filter(|s| reads.contains(&s.agg)).collect();
            let mut start = 0;
            while start < mine.len() {
                let (person, year) = (mine[start].person, mine[start].date.year);
                let end = mine[start..]
                    .iter()
                    .position(|s| (s.person, s.date.year) != (person, year))
                    .map_or(mine.len(), |n| start + n);
                self.steps_of_year(r, person, &mine[start..end]);
                start = end;
            }
        }
    }

    /// One person's year through step rule `r`: an entry for each day the rule gives more than
    /// it gave before in the year.
    fn steps_of_year(&mut self, r: usize, person: usize, records: &[&StepRecord]) {
        let rule = self.rules[r].rule;
        let RuleBody::When {
            condition,
            effects,
            validity: Some(validity),
        } = &rule.body
        else {
            return;
        };
        let mut totals: Vec<(AggId, Exact)> = Vec::new();
        let mut best = Exact::ZERO;
        for (i, s) in records.iter().enumerate() {
            match totals.iter_mut().find(|(a, _)| *a == s.agg) {
                Some((_, v)) => match v.checked_add(s.value) {
                    Some(x) => *v = x,
                    None => return self.step_gap(r, s.origin, Gap::Overflow),
                },
                None => totals.push((s.agg, s.value)),
            }
            // Decided once a day, after the day's last record.
            if records.get(i + 1).is_some_and(|n| n.date == s.date) {
                continue;
            }
            let env = StepEnv {
                person: self.roster.people.get(person),
                totals: &totals,
            };
            let amounts = match decide(condition, effects, &env) {
                Ok(Some(a)) => a,
                Ok(None) => continue,
                Err(gap) => return self.step_gap(r, s.origin, gap),
            };
            let size = super::validity::size(&amounts);
            if size <= best {
                continue;
            }
            best = size;
            let duration = duration_of(validity, &[], &amounts);
            self.entries.push(Entry {
                rule: r,
                subject: Subject::Person(person),
                start: s.date,
                lasts: Lasts {
                    duration: Some(duration),
                    from: None,
                    continuing: false,
                    starts: None,
                    until: None,
                },
                amounts,
                named: Vec::new(),
                origin: s.origin,
                // One group a year: on a day the highest step valid then counts.
                group: Some(GroupKey::Number(Decimal::from(s.date.year))),
                capped: None,
            });
        }
    }

    fn step_gap(&mut self, r: usize, origin: Origin, gap: Gap) {
        let what = crate::tr!(
            format!("rule {}", self.rules[r].rule.text),
            format!("条款 {}", self.rules[r].rule.text)
        );
        self.errors.push(record_problem(&what, origin, gap));
    }
}

/// A step rule's amounts on the totals so far, if its condition holds.
fn decide(
    condition: &Expr,
    effects: &[Effect],
    env: &StepEnv<'_>,
) -> expr::Result<Option<Vec<Option<Exact>>>> {
    if !expr::truth(condition, env)? {
        return Ok(None);
    }
    let mut amounts = Vec::with_capacity(effects.len());
    for e in effects {
        amounts.push(match e {
            Effect::Points { amount, .. } => Some(expr::number(amount, env)?),
            _ => None,
        });
    }
    Ok(Some(amounts))
}
