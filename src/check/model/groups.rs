//! The names of the groups a rank, a quota or a scaled item counts within (§28, §32), as written.

use super::{Policy, QuotaGroup};

impl Policy {
    /// `department`, a roster column's name, or empty for everybody.
    pub fn group_name(&self, g: QuotaGroup) -> &str {
        match g {
            QuotaGroup::Everybody => "",
            QuotaGroup::Department => "department",
            QuotaGroup::Column(c) => self.columns.get(c).map_or("", |c| c.name.as_str()),
        }
    }

    /// An item's `scaled of …` as written: `scaled`, `scaled of village, category`.
    pub fn scaled_text(&self, of: &[QuotaGroup]) -> String {
        let names: Vec<&str> = of.iter().map(|&g| self.group_name(g)).collect();
        if names.is_empty() {
            "scaled".to_string()
        } else {
            format!("scaled of {}", names.join(", "))
        }
    }
}
