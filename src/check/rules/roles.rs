//! Roles as targets: `to secretary` reaches everyone of the record's department (or of the
//! department of the person it names) whom the `bool` roster column `secretary` marks `true`;
//! `to secretary of village` does the same in the record's person's group of a `group` column
//! (文登区农村居民信用积分 附件: 村"两委"干部出现违纪违法行为的，每有1人，党组织书记扣5分).

use super::*;

/// What a `to NAME` that is no built-in target and no record field names among the roster's
/// columns: `None` when no column has that name, else the role's column or the error to report.
pub(super) fn role_column(cx: &Checker, name: &str, at: ast::At) -> Option<Result<usize, Diag>> {
    let c = cx.columns.iter().position(|c| c.name == name)?;
    if cx.columns[c].ty == ValueType::Bool {
        return Some(Ok(c));
    }
    Some(Err(Diag::error(
        Code::BadTarget,
        at,
        crate::tr!(
            format!("the roster column `{name}` is not a role: it is not `bool`"),
            format!("花名册列 `{name}` 不是职务：它不是 `bool` 列")
        ),
    )
    .label(crate::tr!("not a `bool` column", "不是 `bool` 列"))
    .help(crate::tr!(
        format!(
            "a role target reaches the people a `bool` column marks `true`; to choose people by `{name}`'s value, write `to members` and, after the rule's effects, `for {name} in {{…}}`"
        ),
        format!(
            "职务对象是 `bool` 列标为 `true` 的人；要按 `{name}` 的值挑人，写 `to members`，并在条款效果后面写 `for {name} in {{…}}`"
        )
    ))))
}

/// `to ROLE of G`: the role's column and the group column `G`, or `None` after reporting; `None`
/// without a report when `who` is no column at all (the caller reports the unknown target).
pub(super) fn role_of_group(
    cx: &mut Checker,
    who: &str,
    group: &ast::Name,
    at: ast::At,
) -> Option<Option<Target>> {
    let role = match role_column(cx, who, at)? {
        Ok(c) => c,
        Err(d) => {
            cx.push(d);
            return Some(None);
        }
    };
    let g = cx
        .columns
        .iter()
        .position(|c| c.name == group.node && c.ty == ValueType::Group);
    match g {
        Some(g) => Some(Some(Target::Role(role, Some(g)))),
        None => {
            let groups: Vec<&str> = cx
                .columns
                .iter()
                .filter(|c| c.ty == ValueType::Group)
                .map(|c| c.name.as_str())
                .collect();
            let help = did_you_mean(&group.node, groups.iter().copied()).unwrap_or_else(|| {
                crate::tr!(
                    format!(
                        "`to {who}` alone reaches the `{who}` of the record's department; a group needs `{}: group` in `roster {{ … }}`",
                        group.node
                    ),
                    format!(
                        "只写 `to {who}` 就记给记录所在部门的 `{who}`；按分组要在 `roster {{ … }}` 里声明 `{}: group`",
                        group.node
                    )
                )
            });
            cx.push(
                Diag::error(
                    Code::UnknownColumn,
                    group.span,
                    crate::tr!(
                        format!("the roster has no `group` column `{}`", group.node),
                        format!("花名册没有名为 `{}` 的 `group` 列", group.node)
                    ),
                )
                .label(crate::tr!("not a `group` column", "不是 `group` 列"))
                .help(help),
            );
            Some(None)
        }
    }
}
