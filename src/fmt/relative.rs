//! The layout of an item relative to its group's best (§32): ` scaled of village, category`.

use crate::syntax::ast::ItemScaled;

/// ` scaled`, ` scaled of department`, ` scaled of village, category`, after an item's budget.
pub fn scaled_text(s: &ItemScaled) -> String {
    let names: Vec<&str> = s.of.iter().map(|n| n.node.as_str()).collect();
    if names.is_empty() {
        " scaled".to_string()
    } else {
        format!(" scaled of {}", names.join(", "))
    }
}
