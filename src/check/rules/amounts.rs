//! Amounts (points, their sign, their range) and targets (who gets the points).

use super::*;
use crate::check::model::GroupWho;

/// An amount as it reads: a `-` before it negates its first term, as it would anywhere else, so
/// `-a * 20 - b * 30` takes both products (not `-(a * 20 - b * 30)`), and `-5 * (100 - x)` and
/// `-(a + b)` negate the whole.
pub(super) fn signed(value: &ast::Expr) -> ast::Expr {
    match &value.kind {
        A::Binary(op @ (ast::BinOp::Add | ast::BinOp::Sub), l, r) => ast::Expr {
            kind: A::Binary(*op, Box::new(signed(l)), r.clone()),
            span: value.span,
        },
        _ => ast::Expr {
            kind: A::Neg(Box::new(value.clone())),
            span: value.span,
        },
    }
}

pub(super) fn amount(
    cx: &mut Checker,
    a: &ast::Amount,
    scope: &Scope,
    per: bool,
) -> Option<model::Effect> {
    let written = match a.sign {
        Sign::Minus => signed(&a.value),
        Sign::Plus => a.value.clone(),
    };
    let (value, ty) = lower(cx, &written, scope);
    crate::check::expr::beyond_publication(cx, &value);
    points_like(cx, &ty, &a.value, crate::tr!("an amount", "分值"));
    if let Some(within) = &a.within {
        check_within(cx, a, &value, within, scope);
    }
    let target = match &a.target {
        None => Target::Subject,
        Some(t) => {
            if !per {
                cx.push(
                    Diag::error(
                        Code::Misplaced,
                        t.span,
                        crate::tr!(
                            "a `when` rule gives its points to the person scored",
                            "`when` 条款的分值只记给被考核的本人"
                        ),
                    )
                    .label(crate::tr!(
                        "no record to take a target from",
                        "没有记录可以指明记给谁"
                    ))
                    .help(crate::tr!(
                        "remove `to …`; targets belong to `per` rules",
                        "去掉 `to …`；只有 `per` 条款才能指定记给谁"
                    )),
                );
                return None;
            }
            let target = match (t.node.as_str(), &a.target_group) {
                (who, Some(g)) => group_target(cx, who, g, t.span)?,
                (name, None) => match name {
                    "person" => Target::Person,
                    "members" => Target::Members,
                    "staff" => Target::Staff,
                    "head" => Target::Head,
                    other if person_field(cx, scope, other).is_some() => {
                        match person_field(cx, scope, other) {
                            Some(Ok(f)) => Target::Field(f),
                            Some(Err(d)) => {
                                cx.push(d.at(t.span));
                                return None;
                            }
                            None => return None,
                        }
                    }
                    other => match super::roles::role_column(cx, other, t.span) {
                        Some(Ok(c)) => Target::Role(c, None),
                        Some(Err(d)) => {
                            cx.push(d);
                            return None;
                        }
                        None => {
                            unknown_target(cx, other, t.span, scope);
                            return None;
                        }
                    },
                },
            };
            check_target(cx, target, *t.span, scope);
            target
        }
    };
    Some(model::Effect::Points {
        amount: value,
        target,
        from_total: a.from_total,
        span: *a.span,
    })
}

/// Reports a `to …` that names no target, with the targets the rule's records can reach.
fn unknown_target(cx: &mut Checker, other: &str, span: ast::At, scope: &Scope) {
    let reachable: Vec<&(&str, Target, &str)> = TARGETS
        .iter()
        .filter(|&&(_, t, _)| target_problem(cx, t, scope).is_none())
        .collect();
    let names: Vec<&str> = reachable.iter().map(|x| x.0).collect();
    let listed: Vec<String> = reachable
        .iter()
        .map(|(n, _, what)| {
            crate::tr!(
                format!("`to {n}` ({what})"),
                format!(
                    "`to {n}`（{}）",
                    match *n {
                        "person" => "记录上写的那个人",
                        "members" => "本部门所有人",
                        "staff" => "本部门除负责人以外的人",
                        _ => "本部门负责人",
                    }
                )
            )
        })
        .collect();
    let help = did_you_mean(other, names.iter().copied()).unwrap_or_else(|| {
        if listed.is_empty() {
            crate::tr!(
                "these records reach no one but the person scored; remove `to …`",
                "这些记录只能记给被考核的本人；去掉 `to …`"
            )
            .to_string()
        } else {
            crate::tr!(
                format!("these records can go {}", crate::diag::join_or(&listed)),
                format!("这些记录可以记给 {}", crate::diag::join_or(&listed))
            )
        }
    });
    cx.push(
        Diag::error(
            Code::UnknownTarget,
            span,
            crate::tr!(
                format!("unknown target `{other}`"),
                format!("没有 `{other}` 这个记分对象")
            ),
        )
        .label(crate::tr!("not a target", "不是记分对象"))
        .help(help)
        .fix(span, crate::diag::closest(other, names.iter().copied())),
    );
}

/// Every target a rule may name, with what it means.
pub(super) const TARGETS: &[(&str, Target, &str)] = &[
    ("person", Target::Person, "the person the record names"),
    ("members", Target::Members, "everyone in the department"),
    ("staff", Target::Staff, "the department without its head"),
    ("head", Target::Head, "the department's head"),
];

/// Why the rule's records cannot reach a target.
pub(super) enum Unreachable {
    /// A kind names neither whom the target needs (the message says which).
    Kind(String),
    /// `staff` and `head` need the roster column `head`.
    NoHead,
    /// `staff of G` and `head of G` need a roster column `head of G`.
    NoGroupHead(String),
}

/// Why the rule's records cannot reach a target, if they cannot.
pub(super) fn target_problem(cx: &Checker, target: Target, scope: &Scope) -> Option<Unreachable> {
    let mut kinds = scope.record_kinds.iter().map(|&k| &cx.kinds[k]);
    let unreachable = match target {
        Target::Person => kinds.find(|k| !k.subjects.person).map(|k| {
            crate::tr!(
                format!("`{}` records do not name a person", k.id),
                format!("`{}` 记录没有写明是哪个人", k.id)
            )
        }),
        Target::Members | Target::Staff | Target::Head | Target::Role(_, None) => kinds
            .find(|k| !k.subjects.person && !k.subjects.department)
            .map(|k| {
                crate::tr!(
                    format!("`{}` records name no department and no person", k.id),
                    format!("`{}` 记录既没有写部门也没有写人员", k.id)
                )
            }),
        Target::Subject | Target::Field(_) => None,
        // A group of the roster is reached through the person a record names.
        Target::Group(..) | Target::Role(_, Some(_)) => kinds
            .find(|k| k.subjects.department || k.subjects.town)
            .map(|k| {
                crate::tr!(
                    format!(
                        "`{}` records may name no person, whose group it would be",
                        k.id
                    ),
                    format!("`{}` 记录可能不写人员，也就找不到所属的分组", k.id)
                )
            }),
    };
    if let Some(p) = unreachable {
        return Some(Unreachable::Kind(p));
    }
    let has_head = cx
        .columns
        .iter()
        .any(|c| c.name == "head" && c.ty == ValueType::Bool);
    if matches!(target, Target::Staff | Target::Head) && !has_head {
        return Some(Unreachable::NoHead);
    }
    if let Target::Group(GroupWho::Staff | GroupWho::Head, g) = target {
        if !cx.columns.iter().any(|c| c.ty == ValueType::HeadOf(g)) {
            let name = cx
                .columns
                .get(g)
                .map_or_else(String::new, |c| c.name.clone());
            return Some(Unreachable::NoGroupHead(name));
        }
    }
    None
}

pub(super) fn check_target(cx: &mut Checker, target: Target, span: Span, scope: &Scope) {
    let diag = match target_problem(cx, target, scope) {
        None => return,
        Some(Unreachable::NoHead) => Diag::error(
            Code::BadTarget,
            span,
            crate::tr!("the roster does not say who heads a department", "花名册没有写明谁是部门负责人"),
        )
        .label(crate::tr!("needs the roster column `head`", "需要花名册列 `head`"))
        .help(crate::tr!(
            "declare `head: bool` in `roster { … }` and mark each department's head `true`",
            "在 `roster { … }` 里声明 `head: bool`，并把每个部门的负责人标为 `true`"
        )),
        Some(Unreachable::NoGroupHead(g)) => Diag::error(
            Code::BadTarget,
            span,
            crate::tr!(
                format!("the roster does not say who heads each `{g}`"),
                format!("花名册没有写明每个 `{g}` 的负责人是谁")
            ),
        )
        .label(crate::tr!(
            format!("needs a roster column `head of {g}`"),
            format!("需要一个 `head of {g}` 的花名册列")
        ))
        .help(crate::tr!(
            format!(
                "declare a column like `{g}_head: head of {g}` in `roster {{ … }}` and mark each head `true`"
            ),
            format!("在 `roster {{ … }}` 里声明一列，比如 `{g}_head: head of {g}`，并把每个负责人标为 `true`")
        )),
        Some(Unreachable::Kind(message)) => {
            let others: Vec<String> = TARGETS
                .iter()
                .filter(|&&(_, t, _)| t != target && target_problem(cx, t, scope).is_none())
                .map(|(n, _, _)| format!("`to {n}`"))
                .collect();
            let help = if others.is_empty() {
                crate::tr!(
                    "declare the kind `by person | department`, or remove `to …`",
                    "把记录类型声明为 `by person | department`，或者去掉 `to …`"
                ).to_string()
            } else {
                crate::tr!(
                    format!(
                        "these records can go {}; or declare the kind `by person | department`",
                        crate::diag::join_or(&others)
                    ),
                    format!(
                        "这些记录可以记给 {}；或者把记录类型声明为 `by person | department`",
                        crate::diag::join_or(&others)
                    )
                )
            };
            Diag::error(Code::BadTarget, span, message)
                .label(crate::tr!("cannot be reached from these records", "从这些记录找不到这个对象"))
                .help(help)
        }
    };
    cx.push(diag);
}

/// `in LO..HI`: the amount's size must stay within, as the fields it reads are declared. `value`
/// is the amount as lowered, its sign applied.
pub(super) fn check_within(
    cx: &mut Checker,
    a: &ast::Amount,
    value: &model::Expr,
    within: &ast::Spanned<ast::RangeDecl>,
    scope: &Scope,
) {
    let (Some(lo), Some(hi)) = (within.node.min, within.node.max) else {
        return;
    };
    let mut written = &a.value;
    while let A::Paren(x) = &written.kind {
        written = x;
    }
    let declared = declared_bounds(cx, (a, written), value, scope);
    let Some((min, max, what)) = declared else {
        return;
    };
    let inside = min.is_some_and(|m| m >= lo) && max.is_some_and(|m| m <= hi);
    if !inside {
        let shown = match (min, max) {
            (Some(a), Some(b)) if a == b => format!("{a}"),
            (Some(a), Some(b)) => format!("{a}..{b}"),
            (Some(a), None) => format!(">= {a}"),
            (None, Some(b)) => format!("<= {b}"),
            (None, None) => crate::tr!("any number", "任意数").to_string(),
        };
        cx.push(
            Diag::error(
                Code::AmountRange,
                a.value.span,
                crate::tr!(
                    format!("{what} can fall outside {lo}..{hi}"),
                    crate::lang::spaced(&format!("{what}可能超出 {lo}..{hi}"))
                ),
            )
            .label(crate::tr!(
                format!("may be {shown}"),
                format!("可能是 {shown}")
            ))
            .also(within.span, crate::tr!("the amount must lie here", "分值必须在这个范围内"))
            .help(if matches!(written.kind, A::Path(..) | A::Number(_)) {
                crate::tr!(
                    format!(
                        "declare the field's range as `{lo}..{hi}` so records outside it are refused"
                    ),
                    format!("把字段的取值范围声明为 `{lo}..{hi}`，超出范围的记录就会被拒收")
                )
            } else {
                crate::tr!(
                    format!(
                        "declare the ranges of the fields it reads so that it stays within `{lo}..{hi}`"
                    ),
                    format!("声明它用到的各字段的取值范围，让它不超出 `{lo}..{hi}`")
                )
            }),
        );
    }
}

/// The bounds an amount can take as written (`written`, its parentheses taken off): a number, a
/// field as declared, or any other amount as the fields it reads are declared; with how to name
/// it in a message.
fn declared_bounds(
    cx: &Checker,
    (a, written): (&ast::Amount, &ast::Expr),
    value: &model::Expr,
    scope: &Scope,
) -> Option<(
    Option<rust_decimal::Decimal>,
    Option<rust_decimal::Decimal>,
    String,
)> {
    match &written.kind {
        A::Number(n) => Some((Some(*n), Some(*n), format!("{n}"))),
        A::Path(name, None) => scope.record_kinds.first().and_then(|&k| {
            cx.kinds[k]
                .fields
                .iter()
                .find(|f| f.name == name.node)
                .filter(|f| !cx.is_untyped(f.span))
                .map(|f| match &f.ty {
                    ValueType::Number { min, max, .. } => (*min, *max, format!("`{}`", name.node)),
                    _ => (None, None, format!("`{}`", name.node)),
                })
        }),
        // Any other amount: its bounds as the fields it reads are declared, the sign undone.
        _ => {
            let (low, high) = crate::check::interval::bounds(cx, value, &scope.record_kinds);
            let (min, max) = match a.sign {
                Sign::Minus => (high.map(|h| -h), low.map(|l| -l)),
                Sign::Plus => (low, high),
            };
            Some((min, max, crate::tr!("the amount", "分值").to_string()))
        }
    }
}

/// `to FIELD`: a `person` field of the rule's one record kind; `None` when no kind of the rule
/// has a field of that name, else the field or what is wrong with naming it.
fn person_field(cx: &Checker, scope: &Scope, name: &str) -> Option<Result<usize, TargetFault>> {
    let kinds = &scope.record_kinds;
    let owner = kinds.iter().find_map(|&k| {
        cx.kinds[k]
            .fields
            .iter()
            .position(|f| f.name == name)
            .map(|f| (k, f))
    })?;
    let (k, f) = owner;
    if kinds.len() != 1 {
        return Some(Err(TargetFault::SeveralKinds(name.to_string())));
    }
    if cx.kinds[k].fields[f].ty != ValueType::Person {
        return Some(Err(TargetFault::NotPerson(
            name.to_string(),
            cx.kinds[k].id.clone(),
        )));
    }
    if cx.kinds[k].fields[f].optional {
        return Some(Err(TargetFault::Optional(
            name.to_string(),
            cx.kinds[k].id.clone(),
        )));
    }
    Some(Ok(f))
}

/// Why a field cannot be a rule's target.
pub(super) enum TargetFault {
    SeveralKinds(String),
    NotPerson(String, String),
    /// An optional field may be empty: the points would reach nobody.
    Optional(String, String),
}

impl TargetFault {
    fn at(self, span: crate::span::At) -> Diag {
        match self {
            TargetFault::SeveralKinds(f) => Diag::error(
                Code::Misplaced,
                span,
                crate::tr!(
                    format!("`to {f}` needs a rule about one record kind"),
                    format!("`to {f}` 要求条款只针对一种记录类型")
                ),
            )
            .label(crate::tr!("the rule reads several kinds", "这条条款涉及几种记录类型"))
            .help(crate::tr!(
                "write one rule per kind, each with its own `to …`",
                "每种记录类型各写一条条款，各自写 `to …`"
            )),
            TargetFault::NotPerson(f, kind) => Diag::error(
                Code::BadTarget,
                span,
                crate::tr!(
                    format!("`{f}` of `{kind}` does not name a person"),
                    format!("`{kind}` 的 `{f}` 不是人员")
                ),
            )
            .label(crate::tr!("not a `person` field", "不是 `person` 字段"))
            .help(crate::tr!(
                format!("declare it `{f}: person` for the records to name whom the points go to"),
                format!("把它声明为 `{f}: person`，记录就能写明分数记给谁")
            )),
            TargetFault::Optional(f, kind) => Diag::error(
                Code::BadTarget,
                span,
                crate::tr!(
                    format!(
                        "`{f}` of `{kind}` is optional, so a record may name nobody to give the points to"
                    ),
                    format!("`{kind}` 的 `{f}` 是选填的，记录可能没写分数记给谁")
                ),
            )
            .label(crate::tr!("an optional `person` field", "选填的 `person` 字段"))
            .help(crate::tr!(
                format!(
                    "remove `optional` from `{f}`, so that every `{kind}` record names the person"
                ),
                format!("去掉 `{f}` 的 `optional`，让每条 `{kind}` 记录都写明人员")
            )),
        }
    }
}

/// `to members of G`, `to staff of G`, `to head of G`, where `G` is a roster `group` column.
fn group_target(
    cx: &mut Checker,
    who: &str,
    group: &ast::Name,
    at: crate::span::At,
) -> Option<Target> {
    let who = match who {
        "members" => GroupWho::Members,
        "staff" => GroupWho::Staff,
        "head" => GroupWho::Head,
        other => {
            if let Some(role) = super::roles::role_of_group(cx, other, group, at) {
                return role;
            }
            cx.push(
                Diag::error(Code::UnknownTarget, at, crate::tr!(
                    format!("unknown target `{other} of {}`", group.node),
                    format!("没有 `{other} of {}` 这个记分对象", group.node)
                ))
                    .label(crate::tr!(
                        "not `members`, `staff` or `head`",
                        "不是 `members`、`staff` 或 `head`"
                    ))
                    .help(crate::tr!(
                        format!(
                            "a group's targets are `to members of {g}`, `to staff of {g}` and `to head of {g}`",
                            g = group.node
                        ),
                        format!(
                            "分组的记分对象是 `to members of {g}`、`to staff of {g}` 和 `to head of {g}`",
                            g = group.node
                        )
                    )),
            );
            return None;
        }
    };
    match cx
        .columns
        .iter()
        .position(|c| c.name == group.node && c.ty == ValueType::Group)
    {
        Some(c) => Some(Target::Group(who, c)),
        None => {
            let groups: Vec<&str> = cx
                .columns
                .iter()
                .filter(|c| c.ty == ValueType::Group)
                .map(|c| c.name.as_str())
                .collect();
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
                .help(
                    crate::diag::did_you_mean(&group.node, groups.iter().copied()).unwrap_or_else(
                        || {
                            crate::tr!(
                                format!("declare it in `roster {{ … }}`: `{}: group`", group.node),
                                format!("在 `roster {{ … }}` 里声明它：`{}: group`", group.node)
                            )
                        },
                    ),
                ),
            );
            None
        }
    }
}
