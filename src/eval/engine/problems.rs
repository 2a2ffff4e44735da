//! What goes wrong with one record: arithmetic that cannot be computed for it, an effect that
//! reaches nobody, and how a rule is named in the message.

use super::*;

/// A rule named in Chinese by its clause (`条款 [2.4] `, a space before the words that follow), or
/// `这条规则` when it has none.
pub(super) fn zh_rule(clause: &str) -> String {
    if clause.is_empty() {
        "这条规则".to_string()
    } else {
        format!("条款 {} ", clause.trim_end())
    }
}

/// What cannot be computed for one record (`what`: the rule or the filter): an error at the
/// record's line. A record kind's fields are all there, so only the arithmetic can fail.
pub(super) fn record_problem(what: &str, origin: Origin, gap: Gap) -> Diag {
    let (code, message, help) = match gap {
        Gap::DivisionByZero => (
            Code::DividesByZero,
            crate::tr!(
                format!("{what} divides by zero for this record"),
                crate::lang::spaced(&format!("{what}在这条记录上除以零"))
            ),
            crate::tr!(
                "a value it divides by is zero here; correct the record, or divide by something that cannot be zero",
                "这里作除数的值是零；改正这条记录，或者改用不会是零的除数"
            ),
        ),
        Gap::Overflow => (
            Code::ArithmeticOverflow,
            crate::tr!(
                format!("{what} needs more digits than tally can compute exactly for this record"),
                crate::lang::spaced(&format!("{what}在这条记录上位数太多，tally 算不精确"))
            ),
            crate::tr!(
                "look for a wrong amount in the policy or a wrong value in the record",
                "查一查政策文件里有没有写错的分值，这条记录里有没有填错的值"
            ),
        ),
        Gap::Missing(_) | Gap::Repeated(_) | Gap::Reported => (
            Code::Internal,
            crate::tr!(
                format!("{what} reads a value this record does not give"),
                crate::lang::spaced(&format!("{what}要读的值这条记录没有"))
            ),
            crate::tr!(
                "report this policy to the tally maintainers: `check` should have refused it",
                "请把这个政策文件报给 tally 的维护者：`check` 本该拒收它"
            ),
        ),
    };
    scoring_problem(code, Some(origin), message, Some(help.into()))
}

impl Engine<'_> {
    /// A per-event rule that cannot compute its amount or filter for a record: an error at the
    /// record's line (a record kind's fields are all there, so only the arithmetic can fail).
    pub(super) fn record_gap(&mut self, r: usize, rec: &Record<'_>, gap: Gap) {
        let what = crate::tr!(
            format!("rule {}", self.rules[r].rule.text),
            format!("条款 {}", self.rules[r].rule.text)
        );
        let error = record_problem(&what, rec.origin, gap);
        self.errors.push(error);
    }

    pub(super) fn clause_of(&self, r: usize) -> String {
        self.rules[r]
            .rule
            .clause
            .as_ref()
            .map_or_else(String::new, |c| format!("[{c}] "))
    }

    /// `to FIELD` on a record whose field names nobody.
    #[cold]
    pub(super) fn no_person_in_field(&mut self, r: usize, f: usize, origin: Origin) {
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
    }

    /// `to members`, `to staff` or `to head` on a record about the whole town.
    #[cold]
    pub(super) fn no_department(&mut self, r: usize, target: Target, origin: Origin) {
        let clause = self.clause_of(r);
        let rule_zh = zh_rule(&clause);
        let whom = match target {
            Target::Members => crate::tr!("the members", "全体人员").to_string(),
            Target::Staff => crate::tr!("the staff", "一般工作人员").to_string(),
            Target::Role(c, _) => {
                let role = self.policy.columns.get(c).map_or("", |c| c.name.as_str());
                crate::tr!(format!("the `{role}`"), format!(" `{role}` "))
            }
            _ => crate::tr!("the head", "负责人").to_string(),
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
    }

    /// `to person` on a record that names no person.
    #[cold]
    pub(super) fn no_person(&mut self, r: usize, origin: Origin) {
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
    }

    /// `to head` of department `d`, which the roster gives no head.
    #[cold]
    pub(super) fn no_head(&mut self, r: usize, d: usize, origin: Origin) {
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
    }

    /// `to head of G` for group `g` of roster column `column`, which the roster gives no head.
    #[cold]
    pub(super) fn no_group_head(&mut self, r: usize, column: usize, g: usize, origin: Origin) {
        let clause = self.clause_of(r);
        let rule_zh = zh_rule(&clause);
        let name = self
            .groups
            .get(column)
            .and_then(Option::as_ref)
            .and_then(|groups| groups.names.get(g).cloned())
            .unwrap_or_default();
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
    }

    /// `to ROLE` (`to ROLE of G`) where nobody in the record's department (group) holds the role.
    #[cold]
    pub(super) fn no_role(&mut self, r: usize, role: usize, place: RolePlace, origin: Origin) {
        let clause = self.clause_of(r);
        let rule_zh = zh_rule(&clause);
        let columns = &self.policy.columns;
        let role = columns.get(role).map_or("", |c| c.name.as_str());
        let (en, zh) = match place {
            RolePlace::Department(d) => {
                let name = self.roster.departments.get(d).cloned().unwrap_or_default();
                (format!("`{name}`"), format!("`{name}`"))
            }
            RolePlace::Group(g, i) => {
                let column = columns.get(g).map_or("", |c| c.name.as_str());
                let name = self
                    .groups
                    .get(g)
                    .and_then(Option::as_ref)
                    .and_then(|groups| groups.names.get(i).cloned())
                    .unwrap_or_default();
                (
                    format!("the {column} `{name}`"),
                    format!("{column} 为 `{name}` 的分组"),
                )
            }
        };
        self.errors.push(scoring_problem(
            Code::NoRole,
            Some(origin),
            crate::tr!(
                format!("rule {clause}gives points to the `{role}` of {en}, but the roster marks nobody `{role}` there"),
                format!("{rule_zh}的分记到{zh}的 `{role}` 头上，但花名册在那里没有标 `{role}` 的人")
            ),
            Some(crate::tr!(
                format!("mark the person who holds the role `true` in the roster's `{role}` column"),
                format!("在花名册的 `{role}` 列给担任这个职务的人标 `true`")
            )),
        ));
    }
}
