//! The VS Code extension in `editors/vscode/` stays in step with the language: its TextMate
//! grammar highlights every keyword of `grammar/policy.pest`, and it registers the file kinds and
//! language ids `tally lsp` knows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use common::root;
use serde_json::Value;

fn read_json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap()
}

/// Every word of the regular expressions under `matches`.
fn words(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if let (true, Value::String(re)) = (k == "match", v) {
                    out.extend(
                        re.split(|c: char| !(c.is_ascii_lowercase() || c == '-'))
                            .filter(|w| !w.is_empty())
                            .map(str::to_string),
                    );
                }
                words(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| words(v, out)),
        _ => {}
    }
}

#[test]
fn the_textmate_grammar_highlights_every_keyword() {
    let pest = std::fs::read_to_string(root().join("grammar/policy.pest")).unwrap();
    let mut keywords = Vec::new();
    for line in pest.lines() {
        let line = line.trim();
        if line.starts_with("kw_") || line.starts_with("rounding ") {
            // kw_policy = @{ "policy" ~ !XID_CONTINUE }; rounding = { "half-up" | … }
            keywords.extend(line.split('"').skip(1).step_by(2).map(str::to_string));
        }
    }
    assert!(keywords.len() > 40, "{keywords:?}");
    let mut highlighted = BTreeSet::new();
    words(
        &read_json("editors/vscode/syntaxes/tally.tmLanguage.json"),
        &mut highlighted,
    );
    let missing: Vec<&String> = keywords
        .iter()
        .filter(|k| !highlighted.contains(*k))
        .collect();
    assert!(missing.is_empty(), "not highlighted: {missing:?}");
}

#[test]
fn the_extension_registers_policies_and_scenarios() {
    let package = read_json("editors/vscode/package.json");
    let languages = package["contributes"]["languages"].as_array().unwrap();
    let find = |id: &str| {
        languages
            .iter()
            .find(|l| l["id"] == id)
            .unwrap_or_else(|| panic!("no language `{id}`"))
    };
    // `tally lsp` reads a document of language `tally-scenario` as a scenario.
    assert_eq!(find("tally-policy")["extensions"][0], ".policy");
    assert_eq!(find("tally-scenario")["extensions"][0], ".scenario");
    for grammar in package["contributes"]["grammars"].as_array().unwrap() {
        let path = grammar["path"].as_str().unwrap().trim_start_matches("./");
        let scope = read_json(&format!("editors/vscode/{path}"))["scopeName"].clone();
        assert_eq!(scope, grammar["scopeName"], "{path}");
    }
    assert_eq!(package["engines"]["vscode"], "^1.91.0");
    let extension =
        std::fs::read_to_string(root().join("editors/vscode/src/extension.ts")).unwrap();
    assert!(extension.contains(r#"args: ["lsp"]"#), "{extension}");
}
