//! Nothing the user owns is lost: `--output` never writes over one of the command's inputs (by
//! any name: a link, `..`, a hard link), a FIFO or a device is written in place instead of being
//! replaced, `-` is standard output, a folder is named as one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Year;
use std::path::Path;

/// `--output` naming an input, by every kind of name: refused with exit 2 before anything is
/// written, and every file of the year is as it was.
#[test]
fn output_naming_an_input_is_refused() {
    let year = Year::new("output-input");
    std::fs::copy(year.path("year.policy"), year.path("new.policy")).unwrap();
    std::os::unix::fs::symlink(year.path("roster.csv"), year.path("link.csv")).unwrap();
    std::fs::create_dir(year.path("out")).unwrap();
    std::fs::hard_link(year.path("records/2020-03.csv"), year.path("out/march.csv")).unwrap();
    let before = year.contents();
    let cases: [(&str, &str); 12] = [
        ("eval", "year.policy"),
        ("eval", "roster.csv"),
        ("eval", "records/2020-05.csv"),
        ("eval", "./records/../records/2020-05.csv"),
        ("eval", "out/../roster.csv"),
        ("eval", "link.csv"),
        ("eval", "out/march.csv"),
        ("eval", "records/results.csv"),
        ("diff", "new.policy"),
        ("diff", "year.policy"),
        ("diff", "records/2020-01.csv"),
        ("diff", "link.csv"),
    ];
    let mut seen = String::new();
    for (command, output) in cases {
        let out = if command == "eval" {
            year.eval(Path::new(output))
        } else {
            year.diff(Path::new(output))
        };
        assert_eq!(
            out.code,
            Some(2),
            "{command} --output {output}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{}", out.stdout);
        assert_eq!(year.contents(), before, "{command} --output {output} wrote");
        seen.push_str(&format!(
            "$ tally {command} … --output {output}\n{}",
            out.stderr
        ));
    }
    insta::assert_snapshot!(seen);
    // The same run with a fresh file writes it.
    let out = year.eval(Path::new("out/scores.csv"));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        std::fs::read_to_string(year.path("out/scores.csv"))
            .unwrap()
            .starts_with("\u{feff}person,")
    );
}

/// A FIFO stays a FIFO, and the process reading it gets the results.
#[test]
fn output_onto_a_fifo_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let year = Year::new("output-fifo");
    let fifo = year.path("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // The reader waits on the FIFO until tally opens it.
    let reader = std::process::Command::new("cat")
        .arg(&fifo)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = year.eval(&fifo);
    let still_fifo = std::fs::metadata(&fifo).unwrap().file_type().is_fifo();
    if !still_fifo {
        // The reader would wait for ever on a FIFO no longer there.
        let mut reader = reader;
        let _ = reader.kill();
        let _ = reader.wait();
        panic!("the FIFO was replaced by a regular file: {}", out.stderr);
    }
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let read = reader.wait_with_output().unwrap();
    let printed = year.eval(Path::new("-"));
    assert_eq!(printed.code, Some(0), "{}", printed.stderr);
    assert!(printed.stdout.starts_with("person,name,period"));
    assert_eq!(String::from_utf8(read.stdout).unwrap(), printed.stdout);
}

/// `--output -` is standard output, in the form a file would get (CSV).
#[test]
fn output_dash_is_standard_output() {
    let year = Year::new("output-dash");
    let out = year.eval(Path::new("-"));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(!year.path("-").exists(), "a file named `-` was written");
    let out_file = year.eval(Path::new("scores.csv"));
    assert_eq!(out_file.code, Some(0), "{}", out_file.stderr);
    // The file starts with a byte-order mark (for Excel); standard output does not.
    assert_eq!(
        format!("\u{feff}{}", out.stdout),
        std::fs::read_to_string(year.path("scores.csv")).unwrap()
    );
}

/// A folder is named as one, for eval and diff; a read-only file is still refused, and a link to
/// a file that is not an input is followed (the link stays, the file it names is replaced).
#[test]
fn output_onto_a_folder_a_read_only_file_or_a_link() {
    let year = Year::new("output-folder");
    std::fs::copy(year.path("year.policy"), year.path("new.policy")).unwrap();
    std::fs::create_dir(year.path("out")).unwrap();
    let folder = year.eval(Path::new("out"));
    assert_eq!(folder.code, Some(2));
    let diff_folder = year.diff(Path::new("out"));
    assert_eq!(diff_folder.code, Some(2));
    assert_eq!(folder.stderr, diff_folder.stderr);
    std::fs::write(year.path("locked.csv"), "old").unwrap();
    let mut perms = std::fs::metadata(year.path("locked.csv"))
        .unwrap()
        .permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(year.path("locked.csv"), perms).unwrap();
    let locked = year.eval(Path::new("locked.csv"));
    assert_eq!(locked.code, Some(2));
    assert_eq!(
        std::fs::read_to_string(year.path("locked.csv")).unwrap(),
        "old"
    );
    std::fs::write(year.path("out/real.csv"), "old").unwrap();
    std::os::unix::fs::symlink("out/real.csv", year.path("link.csv")).unwrap();
    let linked = year.eval(Path::new("link.csv"));
    assert_eq!(linked.code, Some(0), "{}", linked.stderr);
    assert!(year.path("link.csv").is_symlink());
    assert!(
        std::fs::read_to_string(year.path("out/real.csv"))
            .unwrap()
            .starts_with("\u{feff}person,")
    );
    insta::assert_snapshot!(format!("{}{}", folder.stderr, locked.stderr));
}

/// Roster names, departments and grades that a spreadsheet would run as formulas are written as
/// text (a leading `'`) in every CSV tally writes; numbers, negative ones too, stay numbers.
#[test]
fn csv_cells_never_run_as_formulas() {
    let year = Year::new("csv-injection");
    let roster = std::fs::read_to_string(year.path("roster.csv")).unwrap();
    let hostile = [
        ("王建国", "=cmd|' /C calc'!A0"),
        ("李秀英", "+SUM(1;2)"),
        ("张伟", "@HYPERLINK(\"http://x.example\",\"y\")"),
        ("孙丽", "-2+3"),
        ("陈志强", "＝1+1"),
    ];
    let mut edited = roster.replace("党政办公室", "=1+1");
    for (name, bad) in hostile {
        assert!(edited.contains(name), "{name}");
        let quoted = format!("\"{}\"", bad.replace('"', "\"\""));
        edited = edited.replace(name, &quoted);
    }
    std::fs::write(year.path("roster.csv"), edited).unwrap();
    for entry in std::fs::read_dir(year.path("records")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("党政办公室", "=1+1")).unwrap();
    }
    let policy = std::fs::read_to_string(year.path("year.policy")).unwrap();
    let from = "[2.1.1] per late, early_leave, absent -5";
    assert!(policy.contains(from));
    std::fs::write(
        year.path("new.policy"),
        policy.replace(from, "[2.1.1] per late, early_leave, absent -10"),
    )
    .unwrap();
    let eval = year.with_inputs(&["eval", "year.policy", "--format", "csv", "--period", "2020"]);
    let diff = year.with_inputs(&["diff", "year.policy", "new.policy", "--format", "csv"]);
    let mut seen = String::new();
    for out in [eval, diff] {
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .from_reader(out.stdout.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        for row in &rows {
            for cell in row {
                let formula = cell.starts_with(['=', '+', '@', '\t', '\r', '＝'])
                    || (cell.starts_with('-') && cell.parse::<f64>().is_err());
                assert!(!formula, "{cell:?} in {row:?}");
            }
        }
        let hit: Vec<&str> = out.stdout.lines().filter(|l| l.contains('\'')).collect();
        assert!(hit.len() >= 5, "{}", out.stdout);
        seen.push_str(&hit.join("\n"));
        seen.push('\n');
    }
    insta::assert_snapshot!(seen);
}

/// A record file given twice under other names (a symbolic link, a hard link) is refused: its
/// records would count twice.
#[test]
fn a_record_file_given_twice_under_another_name_is_refused() {
    let year = Year::new("given-twice");
    std::fs::hard_link(year.path("records/2020-02.csv"), year.path("hard.csv")).unwrap();
    std::os::unix::fs::symlink(year.path("records/2020-02.csv"), year.path("soft.csv")).unwrap();
    for other in ["hard.csv", "soft.csv"] {
        let out = common::cli([
            "eval".as_ref(),
            year.path("year.policy").as_os_str(),
            "--roster".as_ref(),
            year.path("roster.csv").as_os_str(),
            "--records".as_ref(),
            year.path("records/2020-02.csv").as_os_str(),
            year.path(other).as_os_str(),
        ]);
        assert_eq!(out.code, Some(2), "{other}: {}", out.both());
        assert!(out.stdout.is_empty(), "{other}");
        assert!(
            out.stderr.contains("file-given-twice"),
            "{other}: {}",
            out.stderr
        );
    }
}

/// A huge bad cell is named, not echoed back whole, and costs no near-miss search over its length.
#[test]
fn a_huge_bad_cell_is_quoted_briefly() {
    let dir = common::temp_dir("huge-cell");
    let big = "D".repeat(100_000);
    let records = common::write(
        &dir,
        "records.csv",
        &format!("date,kind,person\n2020-03-02,late,{big}\n2020-03-03,{big},D01\n"),
    );
    let out = common::cli([
        "eval",
        "policies/dashuipo-2020.policy",
        "--roster",
        "policies/dashuipo-2020/roster.csv",
        "--records",
        records.to_str().unwrap(),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        out.code,
        Some(1),
        "{}",
        &out.stderr[..out.stderr.len().min(2000)]
    );
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("unknown-person") && out.stderr.contains("unknown-kind"));
    for line in out.stderr.lines() {
        assert!(
            line.chars().count() <= 700,
            "a line of {} characters",
            line.len()
        );
    }
}

/// A file saved as UTF-16 (Excel's "Unicode text"), with or without its byte-order mark, either
/// byte order, as records or as the roster, is named UTF-16; a file that is neither UTF-8 nor GBK
/// is named so.
#[test]
fn utf16_files_are_named_as_such() {
    let dir = common::temp_dir("utf16");
    let roster =
        std::fs::read_to_string(common::root().join("policies/dashuipo-2020/roster.csv")).unwrap();
    let records = "date,kind,person\n2020-03-02,late,D01\n";
    let le = |t: &str, bom: bool| {
        let mut b: Vec<u8> = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        b.extend(t.encode_utf16().flat_map(u16::to_le_bytes));
        b
    };
    let be = |t: &str| {
        let mut b = vec![0xFE, 0xFF];
        b.extend(t.encode_utf16().flat_map(u16::to_be_bytes));
        b
    };
    let cases: [(&str, Vec<u8>, bool); 5] = [
        ("records", le(records, true), true),
        ("records", le(records, false), true),
        ("records", be(records), true),
        ("roster", le(&roster, false), true),
        // Neither UTF-8 nor GBK (GBK is read): named as neither.
        ("records", b"\xc8\xd5\xff\xda,kind,person\n".to_vec(), false),
    ];
    for (i, (role, bytes, utf16)) in cases.into_iter().enumerate() {
        let file = dir.join(format!("{i}.csv"));
        std::fs::write(&file, &bytes).unwrap();
        let (roster_arg, records_arg) = if role == "roster" {
            (
                file.clone(),
                common::root().join("policies/dashuipo-2020/records"),
            )
        } else {
            (
                common::root().join("policies/dashuipo-2020/roster.csv"),
                file.clone(),
            )
        };
        let out = common::cli([
            "eval".as_ref(),
            "policies/dashuipo-2020.policy".as_ref(),
            "--roster".as_ref(),
            roster_arg.as_os_str(),
            "--records".as_ref(),
            records_arg.as_os_str(),
        ]);
        assert_eq!(out.code, Some(1), "case {i}: {}", out.stderr);
        assert!(
            out.stderr.contains("tally::not-utf8"),
            "case {i}: {}",
            out.stderr
        );
        assert_eq!(
            out.stderr.contains("UTF-16"),
            utf16,
            "case {i}: {}",
            out.stderr
        );
        assert_eq!(
            out.stderr.contains("GBK"),
            !utf16,
            "case {i}: {}",
            out.stderr
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
