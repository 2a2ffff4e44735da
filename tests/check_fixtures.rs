//! Every diagnostic `tally check` can give, as a user sees it: one fixture per code under
//! `tests/fixtures/check/`, named after the code, rendered without colour.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use tally::codes::Code;
use tally::compile::{Compiled, compile};
use tally::diag::render;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

fn fixture(name: &str) -> PathBuf {
    fixtures().join(format!("{name}.policy"))
}

/// A fixture's name: the code it is about, without `tally::`.
fn short(code: Code) -> &'static str {
    code.as_str().trim_start_matches("tally::")
}

/// Compiles a file under its file name, so that snapshots do not depend on where the crate is.
fn compile_file(path: &Path) -> Compiled {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    compile(&name, &bytes)
}

fn code_is_error(compiled: &Compiled) -> bool {
    compiled.diags.iter().any(|d| d.is_error())
}

fn codes(compiled: &Compiled) -> Vec<&'static str> {
    compiled.diags.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn every_fixture_as_the_user_sees_it() {
    insta::glob!("fixtures/check/*.policy", |path| {
        let compiled = compile_file(path);
        insta::assert_snapshot!(render(&compiled.diags, &compiled.source, false));
    });
}

/// A new code without a fixture, or a fixture that no longer triggers its code, fails here.
#[test]
fn every_code_has_a_fixture_that_triggers_it() {
    for &code in Code::ALL {
        let path = fixture(short(code));
        assert!(
            path.is_file(),
            "no fixture for {}: add {}",
            code.as_str(),
            path.display()
        );
        let compiled = compile_file(&path);
        assert!(
            compiled.diags.iter().any(|d| d.code == code),
            "{} does not trigger {}: it gives {:?}",
            path.display(),
            code.as_str(),
            codes(&compiled)
        );
    }
}

/// Each fixture shows one mistake: nothing else is reported, so the snapshot shows that code alone,
/// and a diagnostic that drags others after it (an error reported twice in other words) shows up.
#[test]
fn every_fixture_gives_its_own_code_and_nothing_else() {
    let mut names: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "policy"))
        .collect();
    names.sort();
    assert!(names.len() >= Code::ALL.len());
    for path in names {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let code = Code::ALL
            .iter()
            .copied()
            .find(|&c| short(c) == stem)
            .unwrap_or_else(|| panic!("{} is named after no code", path.display()));
        let compiled = compile_file(&path);
        assert_eq!(
            codes(&compiled),
            [code.as_str()],
            "{} should give {} once and nothing else",
            path.display(),
            code.as_str()
        );
        assert_eq!(
            compiled.policy.is_some(),
            !code_is_error(&compiled),
            "{}: a policy is usable exactly when it has no error",
            path.display()
        );
    }
}

/// What the bar asks of every diagnostic: the place is labelled, and the help says what to write.
#[test]
fn every_diagnostic_has_a_label_and_a_help() {
    for &code in Code::ALL {
        let compiled = compile_file(&fixture(short(code)));
        for d in &compiled.diags {
            assert!(!d.primary.text.is_empty(), "{}: no label", code.as_str());
            assert!(
                d.help.as_deref().is_some_and(|h| !h.is_empty()),
                "{}: no help",
                code.as_str()
            );
            assert!(
                !d.message.ends_with('.') && d.message.starts_with(|c: char| !c.is_uppercase()),
                "{}: messages are lowercase without a final period: {}",
                code.as_str(),
                d.message
            );
            for word in ["Rule::", "_decl", "kw_", "EOI", "SOI"] {
                let text = format!("{} {} {:?}", d.message, d.primary.text, d.help);
                assert!(!text.contains(word), "grammar names leak: {text}");
            }
        }
    }
}

/// Three independent mistakes in one policy: all three are reported, not only the first.
#[test]
fn three_independent_errors_are_all_reported() {
    let text = std::fs::read_to_string(fixture("unknown-record"))
        .unwrap()
        .replace("sum(leave.days)", "sum(leave.day)")
        .replace("{ city: 5, province: 10 }", "{ city: 5 }");
    let compiled = compile("three.policy", text.as_bytes());
    assert_eq!(
        codes(&compiled),
        [
            "tally::unknown-record",
            "tally::unknown-field",
            "tally::incomplete-table"
        ],
    );
    assert!(compiled.policy.is_none());
    insta::assert_snapshot!(render(&compiled.diags, &compiled.source, false));
}

/// Syntax errors are all reported too: recovery goes on after the first, and a missing `{` is
/// reported once, not once for every rule of the block it should have opened.
#[test]
fn several_syntax_errors_are_all_reported() {
    let text = std::fs::read_to_string(fixture("syntax"))
        .unwrap()
        .replace("[1.2] base 20 *", "[1.2] base 20 * *")
        .replace("to members", "to members members");
    let compiled = compile("syntax3.policy", text.as_bytes());
    let rendered = render(&compiled.diags, &compiled.source, false);
    assert_eq!(codes(&compiled), ["tally::syntax"; 3], "{rendered}",);
    let lines: Vec<usize> = compiled
        .diags
        .iter()
        .map(|d| compiled.source.line_col(d.primary.span.start).0)
        .collect();
    assert_eq!(lines, [18, 23, 29], "{rendered}");
    insta::assert_snapshot!(rendered);
}

/// A line left unfinished is reported where it ends, not where the next line begins.
#[test]
fn an_unfinished_line_is_reported_where_it_ends() {
    let text = std::fs::read_to_string(fixture("unknown-record"))
        .unwrap()
        .replace("per lat -5 cap 20", "per late -5 cap")
        .replace("in year > 15: -10", "in year > 15 -10");
    let compiled = compile("unfinished.policy", text.as_bytes());
    let rendered = render(&compiled.diags, &compiled.source, false);
    let at: Vec<(usize, usize)> = compiled
        .diags
        .iter()
        .map(|d| compiled.source.line_col(d.primary.span.start))
        .collect();
    assert_eq!(at, [(19, 23), (20, 45)], "{rendered}");
    insta::assert_snapshot!(rendered);
}

/// A block left unopened is named as such even when comment lines stand between its header and
/// its first rule, and braces inside comments do not count when the parser skips the block: one
/// error, not a cascade through the rest of the file.
#[test]
fn a_missing_brace_is_found_across_comments() {
    let text = "policy \"t\" year 2020 total 100\nannual = sum(months) / 12\nround 2 half-up\n\
                record late \"迟到\" by person\nsection s \"S\" 100 {\n  item a \"A\" 100\n    \
                # 注意 } 不要删\n    [1] per late -5  # 另见 {\n  }\n  item b \"B\" 0 {\n    \
                [2] per late -1\n  }\n}\ngrades {\n  A >= 90 \"a\"\n  B \"b\"\n}\n";
    let compiled = compile("unopened.policy", text.as_bytes());
    let rendered = render(&compiled.diags, &compiled.source, false);
    assert_eq!(compiled.diags.len(), 1, "{rendered}");
    insta::assert_snapshot!(rendered);
}

/// Every kind of block whose `{` is forgotten gets one error naming it, however the file goes on.
#[test]
fn a_forgotten_brace_is_one_error_for_every_kind_of_block() {
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/dashuipo-2020.policy"),
    )
    .unwrap();
    for (header, block) in [
        ("roster {", "the word `roster`"),
        ("section office \"机关工作\" 300 {", "the section budget"),
        (
            "item attendance \"机关作息及请销假制度\" 40 {",
            "the item budget",
        ),
        (
            "item projects \"项目服务人员\" 300 for role in {项目服务人员} {",
            "the item's `for` condition",
        ),
        ("adjustments rewards \"奖惩办法\" {", "the block's label"),
        ("grades {", "the word `grades`"),
    ] {
        assert!(shipped.contains(header), "{header}");
        let text = shipped.replacen(header, header.trim_end_matches(" {"), 1);
        let compiled = compile("unopened.policy", text.as_bytes());
        let rendered = render(&compiled.diags, &compiled.source, false);
        assert_eq!(compiled.diags.len(), 1, "{header}\n{rendered}");
        assert_eq!(
            compiled.diags[0].message,
            format!("expected `{{` after {block}"),
            "{rendered}"
        );
    }
}

/// The shipped policy is the model every fixture is cut from: it checks clean.
#[test]
fn the_shipped_policy_checks_clean() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/dashuipo-2020.policy");
    let compiled = compile_file(&path);
    assert_eq!(codes(&compiled), Vec::<&str>::new());
    assert!(compiled.policy.is_some());
}
