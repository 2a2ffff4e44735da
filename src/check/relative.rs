//! Groups of two or more columns (`rank … of village, category`) and items relative to the best of
//! their group (`item work "工作实绩" 600 scaled of department`, §32): each name is `department` or
//! a roster column, each written once.

use super::Checker;
use super::grades::{GroupWords, quota_group};
use super::model::QuotaGroup;
use crate::diag::{Code, Diag};
use crate::syntax::ast::{ItemScaled, Name};

/// The words of a rank's group.
fn rank_words() -> GroupWords {
    GroupWords {
        lead: "people are ranked within `department` or a roster column",
        lead_zh: "排名按 `department` 或花名册的一列分组",
        label: "not a roster column, in a rank",
        label_zh: "排名里写的不是花名册的列",
    }
}

/// The further columns of a rank's `of` (after the first, `of`); `None` after reporting one the
/// roster lacks or one written twice.
pub fn also(cx: &mut Checker, of: Option<&Name>, names: &[Name]) -> Option<Vec<QuotaGroup>> {
    let all: Vec<Name> = of.into_iter().chain(names).cloned().collect();
    resolve(cx, &all, 1, rank_words)
}

/// The further columns of a grade quota's `of` (after the first, `of`), as [`also`].
pub fn quota_also(cx: &mut Checker, of: Option<&Name>, names: &[Name]) -> Option<Vec<QuotaGroup>> {
    let all: Vec<Name> = of.into_iter().chain(names).cloned().collect();
    resolve(cx, &all, 1, || GroupWords {
        lead: "a quota is shared within `department` or a roster column",
        lead_zh: "名额比例按 `department` 或花名册的一列来分",
        label: "not a roster column, in a grade's quota",
        label_zh: "等次名额里写的不是花名册的列",
    })
}

/// `scaled of …` of an item: its groups (empty: everybody); `None` after reporting a name that is
/// no group.
pub fn item_groups(cx: &mut Checker, s: &ItemScaled) -> Option<Vec<QuotaGroup>> {
    resolve(cx, &s.of, 0, || GroupWords {
        lead: "an item is scaled within `department` or a roster column",
        lead_zh: "项目按 `department` 或花名册的一列分组折算",
        label: "not a roster column, in an item's `scaled of`",
        label_zh: "项目的 `scaled of` 里写的不是花名册的列",
    })
}

/// The groups of `names` from the `skip`-th on (the ones before are resolved by their owner), each
/// a column or `department` written once among all of `names`.
fn resolve(
    cx: &mut Checker,
    names: &[Name],
    skip: usize,
    words: impl Fn() -> GroupWords,
) -> Option<Vec<QuotaGroup>> {
    let mut out: Vec<QuotaGroup> = Vec::new();
    let mut ok = true;
    for (i, n) in names.iter().enumerate().skip(skip) {
        if let Some(first) = names[..i].iter().find(|f| f.node == n.node) {
            cx.push(
                Diag::error(
                    Code::DuplicateId,
                    n.span,
                    crate::tr!(
                        format!("the group names `{}` twice", n.node),
                        format!("分组里 `{}` 写了两次", n.node)
                    ),
                )
                .label(crate::tr!("named again", "又写了一次"))
                .also(first.span, crate::tr!("first named here", "第一次在这里"))
                .help(crate::tr!(
                    "name each column once: the groups are the combinations of their values",
                    "每一列只写一次：分组是这几列取值的组合"
                )),
            );
            ok = false;
            continue;
        }
        match quota_group(cx, Some(n), words()) {
            Some(g) => out.push(g),
            None => ok = false,
        }
    }
    ok.then_some(out)
}
