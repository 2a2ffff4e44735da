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
        if let Target::Field(f) = target {
            return match named {
                Some(p) => Some(Reach::One(p)),
                None => {
                    let clause = self.clause_of(r);
                    let rule_zh = zh_rule(&clause);
                    // `to FIELD` is checked to be on a rule about one record kind.
                    let kind = match &self.rules[r].rule.body {
                        RuleBody::Per { events, .. } => {
                            events.first().and_then(|e| self.policy.kinds.get(e.kind))
                        }
                        RuleBody::When { .. } => None,
                    };
                    let field = kind
                        .and_then(|k| k.fields.get(f))
                        .map_or(String::new(), |f| f.name.clone());
                    self.errors.push(scoring_problem(
                        Code::NoPerson,
                        Some(origin),
                        crate::tr!(
                            format!("rule {clause}gives points to the person in `{field}`, but this record names nobody there"),
                            format!("{rule_zh}的分记到 `{field}` 里写的人头上，但这条记录那里没写人")
                        ),
                        Some(crate::tr!(
                            format!("put a person's id from the roster in the `{field}` column"),
                            format!("在 `{field}` 列填上花名册里的人员编号")
                        )),
                    ));
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
            let clause = self.clause_of(r);
            let rule_zh = zh_rule(&clause);
            let whom = match target {
                Target::Members => crate::tr!("the members", "全体人员"),
                Target::Staff => crate::tr!("the staff", "一般工作人员"),
                _ => crate::tr!("the head", "负责人"),
            };
            self.errors.push(scoring_problem(
                Code::NoDepartment,
                Some(origin),
                crate::tr!(
                    format!("rule {clause}gives points to {whom} of the record's department, but this record is about the whole town"),
                    format!("{rule_zh}的分记到记录所在部门的{whom}头上，但这条记录记的是全镇")
                ),
                Some(
                    crate::tr!(
                        "put the department in the `department` column, or record it as a person's",
                        "在 `department` 列填上部门，或者记到某个人名下"
                    )
                    .into(),
                ),
            ));
            return None;
        }
        let reach = match (target, subject) {
            (Target::Subject | Target::Person, Subject::Person(p)) => Reach::One(p),
            // Answered above, before the department is looked up.
            (Target::Field(_) | Target::Group(..), _) => return None,
            (Target::Subject, Subject::Town) => {
                Reach::Many((0..self.roster.people.len()).collect())
            }
            (Target::Person, _) => {
                let clause = self.clause_of(r);
                let rule_zh = zh_rule(&clause);
                self.errors.push(scoring_problem(
                    Code::NoPerson,
                    Some(origin),
                    crate::tr!(
                        format!("rule {clause}gives points to the person named on the record, but this record names none"),
                        format!("{rule_zh}的分记到记录上写的人头上，但这条记录没写人")
                    ),
                    Some(
                        crate::tr!(
                            "put the person's id in the `person` column",
                            "在 `person` 列填上人员编号"
                        )
                        .into(),
                    ),
                ));
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
                        let clause = self.clause_of(r);
                        let rule_zh = zh_rule(&clause);
                        let name = self.roster.departments.get(d).cloned().unwrap_or_default();
                        self.errors.push(scoring_problem(
                            Code::NoHead,
                            Some(origin),
                            crate::tr!(
                                format!("rule {clause}takes points from the head of `{name}`, but the roster names no head there"),
                                format!("{rule_zh}的分记到 `{name}` 负责人头上，但花名册没标这个部门的负责人")
                            ),
                            Some(
                                crate::tr!(
                                    "mark the department's head `true` in the roster's `head` column",
                                    "在花名册的 `head` 列给部门负责人标 `true`"
                                )
                                .into(),
                            ),
                        ));
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
                    let clause = self.clause_of(r);
                    let rule_zh = zh_rule(&clause);
                    let name = groups.names.get(g).cloned().unwrap_or_default();
                    let columns = &self.policy.columns;
                    let column_name = columns.get(column).map_or("", |c| c.name.as_str());
                    let head_column = columns
                        .iter()
                        .find(|c| c.ty == ValueType::HeadOf(column))
                        .map_or("", |c| c.name.as_str());
                    self.errors.push(scoring_problem(
                        Code::NoHead,
                        Some(origin),
                        crate::tr!(
                            format!("rule {clause}takes points from the head of the {column_name} `{name}`, but the roster names no head there"),
                            format!("{rule_zh}的分记到 {column_name} 为 `{name}` 的负责人头上，但花名册没标负责人")
                        ),
                        Some(crate::tr!(
                            format!("mark the head of `{name}` `true` in the roster's `{head_column}` column"),
                            format!("在花名册的 `{head_column}` 列给 `{name}` 的负责人标 `true`")
                        )),
                    ));
                    None
                }
            },
        }
    }
}
