//! Flags as scenarios write and compare them: a set, split at `;` and `；`.

/// Flags as a set, the way a scenario states them: split at `;` and `；` (so a flag text holding
/// one counts as two flags), trimmed, sorted, each once.
pub fn flag_set<'a>(flags: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = flags
        .into_iter()
        .flat_map(|f| f.split([';', '；']))
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Flags as a scenario writes them: `none`, or separated by `;`, quoted when a word would not
/// hold them (white space, `#`, quotes): in `"…"`, or in `“…”` when they contain `"`.
pub fn flags_text(flags: &[String]) -> String {
    let set = flag_set(flags.iter().map(String::as_str));
    if set.is_empty() {
        return "none".into();
    }
    let joined = set.join(";");
    let plain = !joined.contains(|c: char| c.is_whitespace() || matches!(c, '#' | '"' | '“' | '”'));
    if plain {
        joined
    } else if !joined.contains('"') {
        format!("\"{joined}\"")
    } else if !joined.contains('”') {
        format!("“{joined}”")
    } else {
        // Both kinds of closing quote: not writable as one value; the nearest that reads back.
        format!("\"{}\"", joined.replace('"', "'"))
    }
}
