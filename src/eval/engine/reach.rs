//! Whom a record's effect reaches: the record's person, a department's members, staff or head,
//! a group of the roster, or the person a record field names.

use super::*;

/// Per effect, the person a `to FIELD` target names on the record (`None` for other targets,
/// and for an empty optional field, which the target then reports).
pub(super) fn named_people(effects: &[Effect], fields: &[Value]) -> Vec<Option<usize>> {
    effects
        .iter()
        .map(|e| match e {
            Effect::Points {
                target: Target::Field(f),
                ..
            } => match fields.get(*f) {
                Some(Value::Person(p)) => Some(*p),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Who a record's effect reaches: one person (no allocation on the common path) or several.
pub(super) enum Reach {
    One(usize),
    Many(Vec<usize>),
}

/// Where a role was looked for: a department, or group `.1` of the `group` column `.0`.
#[derive(Clone, Copy)]
pub(super) enum RolePlace {
    Department(usize),
    Group(usize, usize),
}

impl Engine<'_> {
    /// The people a record's effect reaches, or `None` after reporting why it reaches nobody.
    pub(super) fn targets(
        &mut self,
        r: usize,
        subject: Subject,
        target: Target,
        origin: Origin,
        named: Option<usize>,
    ) -> Option<Reach> {
        // The common case first, without touching anything but the record.
        if let (Target::Subject | Target::Person, Subject::Person(p)) = (target, subject) {
            return Some(Reach::One(p));
        }
        if let Target::Group(who, c) = target {
            return self.group_targets(r, subject, who, c, origin);
        }
        if let Target::Role(role, group) = target {
            return self.role_targets(r, subject, (role, group), origin);
        }
        if let Target::Field(f) = target {
            return match named {
                Some(p) => Some(Reach::One(p)),
                None => {
                    self.no_person_in_field(r, f, origin);
                    None
                }
            };
        }
        let dept = match subject {
            Subject::Person(p) => self.dept_of.get(p).copied(),
            Subject::Department(d) => Some(d),
            Subject::Town => None,
        };
        if let (Target::Members | Target::Staff | Target::Head, Subject::Town) = (target, subject) {
            self.no_department(r, target, origin);
            return None;
        }
        let reach = match (target, subject) {
            (Target::Subject | Target::Person, Subject::Person(p)) => Reach::One(p),
            // Answered above, before the department is looked up.
            (Target::Field(_) | Target::Group(..) | Target::Role(..), _) => return None,
            (Target::Subject, Subject::Town) => {
                Reach::Many((0..self.roster.people.len()).collect())
            }
            (Target::Person, _) => {
                self.no_person(r, origin);
                return None;
            }
            (Target::Subject | Target::Members, _) => Reach::Many(self.members.get(dept?)?.clone()),
            (Target::Staff, _) => {
                let d = dept?;
                let head = self.heads.get(d).copied().flatten();
                Reach::Many(
                    self.members
                        .get(d)?
                        .iter()
                        .copied()
                        .filter(|&p| Some(p) != head)
                        .collect(),
                )
            }
            (Target::Head, _) => {
                let d = dept?;
                match self.heads.get(d).copied().flatten() {
                    Some(h) => Reach::One(h),
                    None => {
                        self.no_head(r, d, origin);
                        return None;
                    }
                }
            }
        };
        Some(reach)
    }

    /// Whether an effect that is not applied (a `once` act's loser, a balance entry being shown)
    /// would reach person `p`. What would go wrong reaching its people is no error here: it is
    /// reported when (and only if) the effect is applied.
    pub(super) fn would_reach(
        &mut self,
        r: usize,
        subject: Subject,
        target: Target,
        origin: Origin,
        named: Option<usize>,
        p: usize,
    ) -> bool {
        let errors = self.errors.len();
        let reach = self.targets(r, subject, target, origin, named);
        self.errors.truncate(errors);
        let reached = match reach {
            Some(Reach::One(x)) => x == p,
            Some(Reach::Many(v)) => v.contains(&p),
            None => false,
        };
        reached
            && self.rule_applies[r]
                .as_ref()
                .is_none_or(|a| a.get(p) == Some(&true))
    }

    /// `to members of G`, `to staff of G`, `to head of G`: in the group of the record's person.
    fn group_targets(
        &mut self,
        r: usize,
        subject: Subject,
        who: GroupWho,
        column: usize,
        origin: Origin,
    ) -> Option<Reach> {
        // The checker lets only kinds that always name a person reach a group.
        let Subject::Person(p) = subject else {
            return None;
        };
        let groups = self.groups.get(column).and_then(Option::as_ref)?;
        let g = *groups.of_person.get(p)?;
        let members = groups.members.get(g)?;
        let head = groups.heads.get(g).copied().flatten();
        match who {
            GroupWho::Members => Some(Reach::Many(members.clone())),
            GroupWho::Staff => Some(Reach::Many(
                members
                    .iter()
                    .copied()
                    .filter(|&m| Some(m) != head)
                    .collect(),
            )),
            GroupWho::Head => match head {
                Some(h) => Some(Reach::One(h)),
                None => {
                    self.no_group_head(r, column, g, origin);
                    None
                }
            },
        }
    }

    /// `to ROLE` and `to ROLE of G`: everyone the role's column marks `true` in the department of
    /// the record (or of its person), or in the group `G` of the record's person; nobody there in
    /// the role is an error, as a department without its head is for `to head`.
    fn role_targets(
        &mut self,
        r: usize,
        subject: Subject,
        (role, group): (usize, Option<usize>),
        origin: Origin,
    ) -> Option<Reach> {
        let (pool, place) = match (group, subject) {
            (Some(g), Subject::Person(p)) => {
                let groups = self.groups.get(g).and_then(Option::as_ref)?;
                let i = *groups.of_person.get(p)?;
                (groups.members.get(i)?, RolePlace::Group(g, i))
            }
            // The checker lets only kinds that always name a person reach a group.
            (Some(_), _) => return None,
            (None, Subject::Town) => {
                self.no_department(r, Target::Role(role, None), origin);
                return None;
            }
            (None, Subject::Person(p)) => {
                let d = *self.dept_of.get(p)?;
                (self.members.get(d)?, RolePlace::Department(d))
            }
            (None, Subject::Department(d)) => (self.members.get(d)?, RolePlace::Department(d)),
        };
        let people = &self.roster.people;
        let holders: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|&m| {
                people
                    .get(m)
                    .is_some_and(|x| x.values.get(role) == Some(&Value::Bool(true)))
            })
            .collect();
        if holders.is_empty() {
            self.no_role(r, role, place, origin);
            return None;
        }
        Some(Reach::Many(holders))
    }
}
