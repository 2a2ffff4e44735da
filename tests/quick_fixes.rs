//! Every "did you mean `x`?" a policy or scenario diagnostic gives carries the fix an editor can
//! apply: `x` put where the wrong name stands.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tally::codes::Code;
use tally::compile::compile;
use tally::diag::Diag;

/// The name a help suggests, if it is a did-you-mean of a name.
fn suggested(diag: &Diag) -> Option<&str> {
    let help = diag.help.as_deref()?;
    let rest = help.strip_prefix("did you mean `")?;
    let name = &rest[..rest.find('`')?];
    Some(name)
}

fn check(diags: &[Diag], text: &str, file: &str, fixes: &mut usize) {
    for diag in diags {
        // The one did-you-mean that is no name: its fix is made from the text by the editor side.
        if diag.code == Code::NeverFires {
            continue;
        }
        let Some(name) = suggested(diag) else {
            assert!(
                diag.fix.is_none() || diag.help.is_some(),
                "{file}: {diag:?}"
            );
            continue;
        };
        let fix = diag
            .fix
            .as_ref()
            .unwrap_or_else(|| panic!("{file}: no fix for {diag:?}"));
        // A misspelt label's fix is the kind's id, which the help names after it.
        let help = diag.help.as_deref().unwrap_or("");
        assert!(
            fix.replacement == name || help.ends_with(&format!("write `{}`", fix.replacement)),
            "{file}: the fix `{}` is not the suggestion in {help:?}",
            fix.replacement
        );
        let wrong = &text[fix.span.start..fix.span.end];
        assert_ne!(wrong, fix.replacement, "{file}");
        assert_eq!(
            fix.span, diag.primary.span,
            "{file}: the fix replaces the name reported"
        );
        *fixes += 1;
    }
}

#[test]
fn every_did_you_mean_in_the_fixtures_has_a_fix() {
    let mut fixes = 0;
    for folder in ["tests/fixtures/check", "tests/fixtures/scenario"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let file = path.display().to_string();
            match path.extension().and_then(|x| x.to_str()) {
                Some("policy") => check(
                    &compile(&file, text.as_bytes()).diags,
                    &text,
                    &file,
                    &mut fixes,
                ),
                Some("scenario") => {
                    let (_, diags) = tally::scenario::parse::parse(&text, false);
                    check(&diags, &text, &file, &mut fixes);
                }
                _ => {}
            }
        }
    }
    assert!(fixes >= 5, "only {fixes} fixes seen");
}

#[test]
fn a_misspelt_label_and_a_misspelt_type_are_fixed() {
    let policy = "policy \"测试\" year 2020 total 100\nannual = sum(months) / 12\nround 2 half-up\n\
        record late \"迟到\" by persn { days: whole dayz }\n\
        section s \"一\" 100 {\n  item a \"考勤\" 100 {\n    [1] per 迟道 -5\n  }\n}\n\
        grades {\n  好 >= 90 \"优秀\"\n  差\n}\n";
    let compiled = compile("t.policy", policy.as_bytes());
    let fixes: Vec<(String, String)> = compiled
        .diags
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .map(|f| {
            (
                policy[f.span.start..f.span.end].to_string(),
                f.replacement.clone(),
            )
        })
        .collect();
    let want = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        fixes,
        vec![
            want("persn", "person"),
            want("dayz", "days"),
            want("迟道", "late")
        ]
    );
}
