//! `tally completions SHELL` and the man pages, both made from the command line's definitions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{cli, temp_dir};

const COMMANDS: &[&str] = &["check", "eval", "explain", "test", "fmt", "diff", "lsp"];

#[test]
fn every_shell_completes_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = cli(["completions", shell]).ok();
        for command in COMMANDS {
            assert!(
                script.contains(command),
                "{shell}: `{command}` missing from\n{script}"
            );
        }
        // Flags of the commands too.
        assert!(script.contains("deny-warnings"), "{shell}");
    }
}

#[test]
fn an_unknown_shell_is_refused_with_the_ones_there_are() {
    let out = cli(["completions", "tcsh"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .contains("[possible values: bash, zsh, fish, powershell]"),
        "{}",
        out.stderr
    );
}

#[test]
fn man_pages_are_written_for_tally_and_each_command() {
    let dir = temp_dir("man");
    let pages = dir.join("man1");
    let out = cli(["manpage".as_ref(), "--output".as_ref(), pages.as_os_str()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let main = std::fs::read_to_string(pages.join("tally.1")).unwrap();
    assert!(main.contains(".TH tally 1"), "{main}");
    for command in COMMANDS {
        let page = std::fs::read_to_string(pages.join(format!("tally-{command}.1"))).unwrap();
        assert!(page.contains(&format!(".TH tally-{command} 1")), "{page}");
    }
    let check = std::fs::read_to_string(pages.join("tally-check.1")).unwrap();
    assert!(check.contains("deny\\-warnings"), "{check}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn man_pages_into_a_file_are_refused() {
    let dir = temp_dir("man-file");
    let file = dir.join("notes.txt");
    std::fs::write(&file, "mine").unwrap();
    let out = cli(["manpage".as_ref(), "-o".as_ref(), file.as_os_str()]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.starts_with("error: cannot make the folder"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    let _ = std::fs::remove_dir_all(&dir);
}
