//! The explanation tree as indented text, and the check that its lines add up.

use super::Node;
use crate::exact::Exact;

/// A value as the text tree shows it: exactly, with at least the policy's decimals, so that the
/// lines add up as printed; a repeating value with its repeat in brackets (`825.(3)`).
pub(super) fn exact(v: Exact, places: u32) -> String {
    v.display_places(places)
}

/// The tree as indented text: points in a right-aligned column on the left, so that long rule
/// texts never push them out of sight, and the tree to their right.
pub fn render(node: &Node, places: u32) -> String {
    let mut lines: Vec<(String, String)> = Vec::new();
    walk(node, "", "", places, &mut lines);
    let width = lines
        .iter()
        .map(|(_, p)| p.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (label, points) in lines {
        out.push_str(&format!("{points:>width$}  {label}"));
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('\n');
    }
    out
}

fn walk(node: &Node, first: &str, rest: &str, places: u32, lines: &mut Vec<(String, String)>) {
    // Rule and base labels are their source text, citation included.
    let points = node.value.map_or_else(String::new, |v| {
        let s = exact(v, places);
        if v.is_positive() && !first.is_empty() {
            format!("+{s}")
        } else {
            s
        }
    });
    lines.push((format!("{first}{}", node.label), points));
    if !node.records.is_empty() {
        lines.push((
            crate::tr!(
                format!("{rest}    records: {}", node.records.join(", ")),
                format!("{rest}    记录：{}", node.records.join(", "))
            ),
            String::new(),
        ));
    }
    for n in &node.notes {
        lines.push((format!("{rest}    {n}"), String::new()));
    }
    let count = node.children.len();
    for (i, child) in node.children.iter().enumerate() {
        let last = i + 1 == count;
        let (f, r) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        walk(
            child,
            &format!("{rest}{f}"),
            &format!("{rest}{r}"),
            places,
            lines,
        );
    }
}

/// Every node with children must add up; returns the labels of the ones that do not. A ledger's
/// subtree under a line of another unit (the card's points) is not part of its sum.
pub fn unbalanced(node: &Node) -> Vec<String> {
    let mut out = Vec::new();
    let same: Vec<&Node> = node
        .children
        .iter()
        .filter(|c| c.ledger.is_none() || c.ledger == node.ledger)
        .collect();
    let with_points: Vec<Exact> = same.iter().filter_map(|c| c.value).collect();
    if let Some(v) = node.value {
        if !same.is_empty() && with_points.len() == same.len() {
            match Exact::sum(with_points.iter().copied()) {
                Some(sum) if sum == v => {}
                Some(sum) => out.push(format!("{}: {} != {}", node.label, v, sum)),
                None => out.push(crate::tr!(
                    format!("{}: its lines do not add up exactly", node.label),
                    format!("{}：各行加起来不完全相等", node.label)
                )),
            }
        }
    }
    for c in &node.children {
        out.extend(unbalanced(c));
    }
    out
}
