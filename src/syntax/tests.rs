use super::errors::RESERVED;

/// The reserved words a diagnostic lists are the grammar's, every one of them.
#[test]
fn the_reserved_words_said_are_the_grammars() {
    let grammar = include_str!("../../grammar/policy.pest");
    let block = grammar
        .split_once("reserved = @{")
        .and_then(|(_, rest)| rest.split_once('}'))
        .map(|(block, _)| block)
        .unwrap_or_default();
    let mut in_grammar: Vec<&str> = block.split('"').skip(1).step_by(2).collect();
    let mut said = RESERVED.to_vec();
    in_grammar.sort_unstable();
    said.sort_unstable();
    assert!(!said.is_empty());
    assert_eq!(said, in_grammar);
}

/// Every full-width form stands for the ASCII character it is drawn after.
#[test]
fn full_width_forms_map_to_their_ascii() {
    for code in 0xFF01u32..=0xFF5E {
        let c = char::from_u32(code).unwrap_or(' ');
        let ascii = char::from_u32(code - 0xFEE0).unwrap_or(' ');
        assert_eq!(
            super::chars::to_ascii(&c.to_string()),
            ascii.to_string(),
            "{c}"
        );
    }
}
