//! A failing scenario explained: for the first failing people and periods, the explanation tree of
//! `tally explain`, cut down to what moved.

use std::collections::HashMap;

use super::compare::{Failure, unit_label};
use super::inputs::Prepared;
use crate::check::Policy;
use crate::eval::{Date, Options, evaluate};
use crate::report::explain::{Context, Node, Scope, render};

/// Each failing person and period once (the year is month 0), with the item to cut its tree to
/// when every failing value of it is that item's.
fn wanted(prepared: &Prepared, failures: &[Failure]) -> Vec<(usize, u8, Option<String>)> {
    let mut wanted: Vec<(usize, u8, Option<String>)> = Vec::new();
    for f in failures {
        let Some(p) = prepared.roster.people.iter().position(|x| x.id == f.person) else {
            continue;
        };
        let month = f.month.unwrap_or(0);
        let item = f.key.strip_prefix("item ").map(str::to_string);
        match wanted
            .iter_mut()
            .find(|(wp, wm, _)| *wp == p && *wm == month)
        {
            // Several values of one person and period: one tree, cut to an item only when every
            // failing value is that item.
            Some((_, _, focus)) => {
                if *focus != item {
                    *focus = None;
                }
            }
            None => wanted.push((p, month, item)),
        }
    }
    wanted
}

/// How many people and periods a failing scenario explains.
const EXPLAINED: usize = 3;

/// The explanation trees of the first failing people and periods, cut down to what moved: items
/// at their full budget are left out, and a failing item is shown alone.
pub fn explain(
    policy: &Policy,
    prepared: &Prepared,
    as_of: Date,
    failures: &[Failure],
) -> Vec<(String, String)> {
    let wanted = wanted(prepared, failures);
    let mut out = Vec::new();
    let mut traces = HashMap::new();
    for (p, month, item) in wanted.into_iter().take(EXPLAINED) {
        let trace = traces.entry(p).or_insert_with(|| {
            evaluate(
                policy,
                &prepared.roster,
                &prepared.files,
                &Options {
                    as_of,
                    trace: Some(p),
                    encoding: prepared.encoding,
                    memory: prepared.memory.clone(),
                    reading: Default::default(),
                    threads: None,
                },
            )
            .ok()
            .and_then(|(_, t)| t)
        });
        let Some(trace) = trace.as_ref() else {
            continue;
        };
        let cx = Context {
            policy,
            roster: &prepared.roster,
            files: &prepared.shown,
            trace,
        };
        let tree = cx.tree(if month == 0 {
            Scope::Year
        } else {
            Scope::Month(month)
        });
        let person = &prepared.roster.people[p];
        let heading = format!(
            "{} {}, {}",
            person.id,
            person.name,
            unit_label(policy, month)
        );
        let mut tree = match tree {
            Ok(tree) => tree,
            // The same problem `tally explain` tells, with its code.
            Err(msg) => {
                let code = crate::codes::Code::ArithmeticOverflow.as_str();
                out.push((heading, format!("{msg} [{code}]\n")));
                continue;
            }
        };
        if month > 0 {
            match &item {
                Some(id) => only_item(&mut tree, id, policy),
                None => without_full_items(&mut tree, policy),
            }
        }
        out.push((heading, render(&tree, policy.round_places)));
    }
    out
}

/// An item at its full budget with nothing but its base behind it: nothing moved there.
fn untouched(item: &Node, policy: &Policy) -> bool {
    let id = item.label.split(' ').next().unwrap_or("");
    let full = policy
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.id == id)
        .map(|i| i.budget.normalize().to_string());
    // The base's line, as the explanation labels it in the language it speaks.
    let base = crate::tr!("base:", "基础分：");
    matches!(item.children.as_slice(), [only] if only.label.starts_with(base))
        && full.is_some()
        && item.points == full
}

fn without_full_items(tree: &mut Node, policy: &Policy) {
    let mut left_out = false;
    for section in &mut tree.children {
        let before = section.children.len();
        section.children.retain(|item| !untouched(item, policy));
        left_out |= section.children.len() < before;
    }
    tree.children.retain(|s| !s.children.is_empty());
    if left_out {
        tree.notes.push(
            crate::tr!(
                "items at their full budget are left out",
                "满分的项目不列出"
            )
            .to_string(),
        );
    }
}

fn only_item(tree: &mut Node, id: &str, policy: &Policy) {
    let id = policy
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.id == id || i.label == id)
        .map_or(id, |i| i.id.as_str());
    let prefix = format!("{id} ");
    for section in &mut tree.children {
        section
            .children
            .retain(|item| item.label.starts_with(&prefix));
    }
    tree.children.retain(|s| !s.children.is_empty());
}
