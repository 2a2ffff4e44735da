//! Rosters and record files in GBK (GB18030), as Chinese Excel and WPS save CSV: read as UTF-8
//! first, then as GB18030 strictly; a file that is neither is refused at the line at fault, and
//! `--encoding` forces one reading.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

const POLICY: &str = "policies/dashuipo-2020.policy";

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "{text}");
    bytes.into_owned()
}

fn dashuipo(name: &str) -> String {
    std::fs::read_to_string(common::root().join("policies/dashuipo-2020").join(name)).unwrap()
}

/// A temporary folder removed when the test ends.
struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Dir {
    fn new(tag: &str) -> Self {
        Dir(common::temp_dir(tag))
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// `tally eval` on the Dashuipo policy with this roster and these records.
    fn eval(&self, roster: &Path, records: &Path, extra: &[&str]) -> common::Out {
        let mut args: Vec<std::ffi::OsString> = vec![
            "eval".into(),
            POLICY.into(),
            "--roster".into(),
            roster.into(),
            "--records".into(),
            records.into(),
            "--as-of".into(),
            "2021-01-05".into(),
            "--format".into(),
            "csv".into(),
        ];
        args.extend(extra.iter().map(Into::into));
        let mut out = common::cli(args);
        out.stderr = out
            .stderr
            .replace(&self.0.display().to_string(), "[TMP]")
            .replace('\\', "/");
        out
    }
}

/// The Dashuipo year's results from its own (UTF-8) files.
fn utf8_results() -> String {
    common::cli([
        "eval",
        POLICY,
        "--roster",
        "policies/dashuipo-2020/roster.csv",
        "--records",
        "policies/dashuipo-2020/records",
        "--as-of",
        "2021-01-05",
        "--format",
        "csv",
    ])
    .ok()
}

/// The Dashuipo roster and every record file saved as GBK give the results of the UTF-8 files,
/// found by themselves or with `--encoding gbk` / `gb18030`.
#[test]
fn the_dashuipo_year_in_gbk_gives_the_same_results() {
    let dir = Dir::new("gbk-year");
    let roster = dir.write("roster.csv", &gbk(&dashuipo("roster.csv")));
    let folder = common::root().join("policies/dashuipo-2020/records");
    let mut names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    for name in &names {
        let text = std::fs::read_to_string(folder.join(name)).unwrap();
        dir.write(&format!("records/{}", name.to_string_lossy()), &gbk(&text));
    }
    let expected = utf8_results();
    for extra in [&[][..], &["--encoding", "gbk"], &["--encoding", "gb18030"]] {
        let out = dir.eval(&roster, &dir.0.join("records"), extra);
        assert_eq!(out.ok(), expected, "{extra:?}");
    }
}

/// A big file whose Chinese comes after thousands of ASCII rows (read past the first batches as
/// UTF-8 before its GBK shows) is counted once, as the same file in UTF-8 is.
#[test]
fn a_big_gbk_file_whose_chinese_comes_late_counts_every_row_once() {
    let dir = Dir::new("gbk-late");
    let roster = common::root().join("policies/dashuipo-2020/roster.csv");
    let mut text = String::from("date,kind,person,note\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "2020-03-{:02},late,D{:02},\n",
            1 + i % 28,
            1 + i % 9
        ));
    }
    text.push_str("2020-03-31,迟到,D01,堵车\n");
    let utf8 = dir.write("utf8.csv", text.as_bytes());
    let gbk = dir.write("gbk.csv", &gbk(&text));
    let expected = dir.eval(&roster, &utf8, &[]).ok();
    assert_eq!(dir.eval(&roster, &gbk, &[]).ok(), expected);
}

/// A GBK file with a bad row: the problem is on the row's own line and cell, with the Chinese
/// read right.
#[test]
fn a_problem_in_a_gbk_file_is_located_right() {
    let dir = Dir::new("gbk-bad");
    let roster = common::root().join("policies/dashuipo-2020/roster.csv");
    let text = "date,kind,person,note\n2020-03-02,迟到,D01,堵车\n\n\"2020-03-03\",迟道,D02,\"两行\n备注\"\n2020-03-04,早退,王建国,\n";
    let records = dir.write("2020-03.csv", &gbk(text));
    let out = dir.eval(&roster, &records, &[]);
    assert_eq!(out.code, Some(1));
    assert!(out.stdout.is_empty());
    insta::assert_snapshot!(out.stderr, @r"
    error: [TMP]/2020-03.csv:4: column `kind`: unknown record kind `迟道` [tally::unknown-kind]
      help: did you mean `迟到`?
    error: [TMP]/2020-03.csv:6: column `person`: unknown person `王建国` [tally::unknown-person]
      help: `王建国` is a name; the `person` column takes the id: `D01`
    2 problems in the inputs; no results were computed
    ");
}

/// A file that is neither UTF-8 nor GBK is refused at its first bad line, as records and as the
/// roster; nothing is guessed.
#[test]
fn a_file_that_is_neither_is_refused_at_the_bad_line() {
    let dir = Dir::new("neither");
    let roster = common::root().join("policies/dashuipo-2020/roster.csv");
    let mut bytes = gbk("date,kind,person,note\n2020-03-02,迟到,D01,\n");
    bytes.extend_from_slice(b"2020-03-03,late,D02,\xff\xfe\n");
    let records = dir.write("2020-03.csv", &bytes);
    let out = dir.eval(&roster, &records, &[]);
    assert_eq!(out.code, Some(1));
    insta::assert_snapshot!(out.stderr, @r#"
    error: [TMP]/2020-03.csv:3: this file is neither UTF-8 nor GBK (GB18030) text [tally::not-utf8]
      help: in Excel or WPS choose "Save as" → "CSV UTF-8"
    1 problem in the inputs; no results were computed
    "#);

    let mut roster_bytes = gbk(&dashuipo("roster.csv"));
    roster_bytes.extend_from_slice(b"D99,\x81\x20,x,y,false,false\n");
    let bad_roster = dir.write("roster.csv", &roster_bytes);
    let out = dir.eval(
        &bad_roster,
        &common::root().join("policies/dashuipo-2020/records"),
        &[],
    );
    assert_eq!(out.code, Some(1));
    insta::assert_snapshot!(out.stderr, @r#"
    error: [TMP]/roster.csv:22: this file is neither UTF-8 nor GBK (GB18030) text [tally::not-utf8]
      help: in Excel or WPS choose "Save as" → "CSV UTF-8"
    1 problem in the roster; no results were computed
    "#);
}

/// `--encoding utf-8` reads UTF-8 only; `--encoding gbk` (for the roster and the records alike)
/// refuses a file that is not GBK, and reads a file that says it is UTF-8 with its byte-order
/// mark as UTF-8.
#[test]
fn a_forced_encoding_is_kept_to() {
    let dir = Dir::new("forced");
    let roster = common::root().join("policies/dashuipo-2020/roster.csv");
    let records = dir.write(
        "gbk.csv",
        &gbk("date,kind,person,note\n2020-03-02,迟到,D01,\n"),
    );
    let out = dir.eval(&roster, &records, &["--encoding", "utf-8"]);
    assert_eq!(out.code, Some(1));
    insta::assert_snapshot!(out.stderr, @r#"
    error: [TMP]/gbk.csv:2: this file is not UTF-8 text [tally::not-utf8]
      help: it was probably saved in a Chinese legacy encoding (GBK): leave out `--encoding utf-8` to read it, or in Excel or WPS choose "Save as" → "CSV UTF-8"
    1 problem in the inputs; no results were computed
    "#);

    let bom = dir.write(
        "bom.csv",
        "\u{feff}date,kind,person,note\n2020-03-02,迟到,D01,\n".as_bytes(),
    );
    let gbk_roster = dir.write("roster.csv", &gbk(&dashuipo("roster.csv")));
    let plain = dir.eval(&roster, &bom, &[]).ok();
    assert_eq!(
        dir.eval(&gbk_roster, &bom, &["--encoding", "gbk"]).ok(),
        plain
    );
    let bad = dir.write(
        "bad.csv",
        b"date,kind,person,note\n2020-03-02,late,D01,\xff\n",
    );
    let out2 = dir.eval(&gbk_roster, &bad, &["--encoding", "gb18030"]);
    assert_eq!(out2.code, Some(1));
    insta::assert_snapshot!(out2.stderr, @r#"
    error: [TMP]/bad.csv:2: this file is not GBK (GB18030) text [tally::not-utf8]
      help: leave out `--encoding` to read UTF-8 files, or in Excel or WPS choose "Save as" → "CSV UTF-8"
    1 problem in the inputs; no results were computed
    "#);
}

/// A GBK roster is read with `explain` and `diff` too.
#[test]
fn explain_and_diff_read_gbk() {
    let dir = Dir::new("gbk-explain");
    let roster = dir.write("roster.csv", &gbk(&dashuipo("roster.csv")));
    let records = dir.write(
        "2020-03.csv",
        &gbk("date,kind,person,note\n2020-03-02,迟到,D01,堵车\n"),
    );
    let out = common::cli([
        "explain".as_ref(),
        POLICY.as_ref(),
        "--roster".as_ref(),
        roster.as_os_str(),
        "--records".as_ref(),
        records.as_os_str(),
        "--as-of".as_ref(),
        "2021-01-05".as_ref(),
        "--person".as_ref(),
        "D01".as_ref(),
        "--period".as_ref(),
        "2020-03".as_ref(),
        "--encoding".as_ref(),
        "gbk".as_ref(),
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("2020-03.csv:2"), "{}", out.stdout);
    let out = common::cli([
        "diff".as_ref(),
        POLICY.as_ref(),
        POLICY.as_ref(),
        "--roster".as_ref(),
        roster.as_os_str(),
        "--records".as_ref(),
        records.as_os_str(),
        "--as-of".as_ref(),
        "2021-01-05".as_ref(),
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

// ------------------------------------------------------------------------ byte-order mark out

fn eval_to(output: &Path, format: &str) -> common::Out {
    common::cli([
        "eval".as_ref(),
        POLICY.as_ref(),
        "--roster".as_ref(),
        "policies/dashuipo-2020/roster.csv".as_ref(),
        "--records".as_ref(),
        "policies/dashuipo-2020/records".as_ref(),
        "--as-of".as_ref(),
        "2021-01-05".as_ref(),
        "--format".as_ref(),
        format.as_ref(),
        "--output".as_ref(),
        output.as_os_str(),
    ])
}

/// CSV written to a file starts with a UTF-8 byte-order mark, so that Excel reads its Chinese
/// right; on standard output it does not, nor do JSON and tables in a file. Replacing a file
/// keeps one mark.
#[test]
fn csv_written_to_a_file_starts_with_a_byte_order_mark() {
    let dir = Dir::new("bom-out");
    let stdout = utf8_results();
    assert!(!stdout.starts_with('\u{feff}'));
    let file = dir.0.join("results.csv");
    for _ in 0..2 {
        assert_eq!(eval_to(&file, "csv").ok(), "");
        let written = std::fs::read_to_string(&file).unwrap();
        assert_eq!(written, format!("\u{feff}{stdout}"));
    }
    for format in ["json", "table"] {
        let other = dir.0.join(format!("results.{format}"));
        assert_eq!(eval_to(&other, format).ok(), "");
        let written = std::fs::read_to_string(&other).unwrap();
        assert!(!written.starts_with('\u{feff}'), "{format}");
    }
    let diff = dir.0.join("diff.csv");
    let out = common::cli([
        "diff".as_ref(),
        POLICY.as_ref(),
        POLICY.as_ref(),
        "--roster".as_ref(),
        "policies/dashuipo-2020/roster.csv".as_ref(),
        "--records".as_ref(),
        "policies/dashuipo-2020/records".as_ref(),
        "--as-of".as_ref(),
        "2021-01-05".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--output".as_ref(),
        diff.as_os_str(),
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        std::fs::read_to_string(&diff)
            .unwrap()
            .starts_with("\u{feff}")
    );
    // `-` is standard output: no mark there.
    let out = eval_to(Path::new("-"), "csv").ok();
    assert_eq!(out, stdout);
}

/// `--output` still never writes over an input, CSV or not.
#[test]
fn csv_output_never_writes_over_an_input() {
    let dir = Dir::new("bom-guard");
    let roster = dir.write("roster.csv", dashuipo("roster.csv").as_bytes());
    let before = std::fs::read(&roster).unwrap();
    let out = common::cli([
        "eval".as_ref(),
        POLICY.as_ref(),
        "--roster".as_ref(),
        roster.as_os_str(),
        "--records".as_ref(),
        "policies/dashuipo-2020/records".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--output".as_ref(),
        roster.as_os_str(),
    ]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("will not write the results"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(&roster).unwrap(), before);
}

/// A roster and record files that start with a byte-order mark, as tally and Excel write CSV,
/// are read as without it.
#[test]
fn files_with_a_byte_order_mark_are_read() {
    let dir = Dir::new("bom-in");
    let roster = dir.write(
        "roster.csv",
        format!("\u{feff}{}", dashuipo("roster.csv")).as_bytes(),
    );
    let folder = common::root().join("policies/dashuipo-2020/records");
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        dir.write(
            &format!("records/{name}"),
            format!("\u{feff}{text}").as_bytes(),
        );
    }
    let out = dir.eval(&roster, &dir.0.join("records"), &[]);
    assert_eq!(out.ok(), utf8_results());
}

/// `tally test` reads the GBK roster and records a scenario names, by themselves or with
/// `--encoding gbk`; the scenario's own rows are read as UTF-8 whatever `--encoding` says.
#[test]
fn scenarios_read_gbk_files() {
    let dir = Dir::new("gbk-scenario");
    std::fs::copy(common::root().join(POLICY), dir.0.join("p.policy")).unwrap();
    dir.write("p.tests/roster.csv", &gbk(&dashuipo("roster.csv")));
    dir.write(
        "p.tests/2020-03.csv",
        &gbk("date,kind,person,note\n2020-03-02,迟到,D01,堵车\n"),
    );
    dir.write(
        "p.tests/x.scenario",
        "scenario \"GBK files beside rows written here\"\nroster \"roster.csv\"\nrecords \"2020-03.csv\"\nrecords\n  2020-03-09, 早退, D01\nexpect\n  D01 2020-03 total 230\n"
            .as_bytes(),
    );
    let test = |extra: &[&str]| {
        let mut args: Vec<std::ffi::OsString> = vec!["test".into(), dir.0.join("p.policy").into()];
        args.extend(extra.iter().map(Into::into));
        common::cli(args)
    };
    for extra in [&[][..], &["--encoding", "gbk"]] {
        let out = test(extra);
        assert_eq!(out.code, Some(0), "{extra:?}: {}{}", out.stdout, out.stderr);
        assert!(out.stdout.contains("1 passed, 0 failed"), "{}", out.stdout);
    }
    let out = test(&["--encoding", "utf-8"]);
    assert_eq!(out.code, Some(1));
    assert!(out.both().contains("tally::not-utf8"), "{}", out.both());
}
