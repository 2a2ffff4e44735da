//! The same records give byte-identical results whatever the order of their rows and of their
//! files, however they are split into files, and whatever the order of the columns, the line
//! endings or the blank lines in each file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

const POLICY: &str = "policies/dashuipo-2020.policy";
const ROSTER: &str = "policies/dashuipo-2020/roster.csv";

use common::root;

/// Runs `tally` with `args`, then `--records` and the paths; returns stdout of a successful run.
fn tally(args: &[&str], records: &[PathBuf]) -> String {
    let args = args.iter().map(std::ffi::OsStr::new);
    let inputs =
        ["--roster", ROSTER, "--as-of", "2021-01-05", "--records"].map(std::ffi::OsStr::new);
    common::cli(
        args.chain(inputs)
            .chain(records.iter().map(|r| r.as_os_str())),
    )
    .ok()
}

/// The example year's record files, in name order.
fn original_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("policies/dashuipo-2020/records"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 13, "12 months and the year's end");
    files
}

/// A temporary folder, removed when the test ends, whether it passes or not.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fixed-seed linear congruential generator: the same numbers on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from((self.0 >> 33) % n as u64).unwrap()
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Every data row of the example year (the files share one header).
fn all_rows(files: &[PathBuf]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for f in files {
        let mut r = csv::Reader::from_path(f).unwrap();
        let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        assert!(header.as_ref().is_none_or(|x| *x == h), "{}", f.display());
        header = Some(h);
        for row in r.records() {
            rows.push(row.unwrap().iter().map(str::to_string).collect());
        }
    }
    (header.unwrap(), rows)
}

/// How one of the files is written.
struct Shape {
    /// Header positions, in the order the columns are written.
    columns: Vec<usize>,
    crlf: bool,
    bom: bool,
    blank_lines: bool,
}

fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>], shape: &Shape) {
    let mut w = csv::WriterBuilder::new()
        .terminator(if shape.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    w.write_record(shape.columns.iter().map(|&i| &header[i]))
        .unwrap();
    for row in rows {
        w.write_record(shape.columns.iter().map(|&i| &row[i]))
            .unwrap();
    }
    let body = w.into_inner().unwrap();
    let mut bytes = Vec::new();
    if shape.bom {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    if shape.blank_lines {
        // A blank line before the header, and one after every tenth row.
        let end: &[u8] = if shape.crlf { b"\r\n" } else { b"\n" };
        bytes.extend_from_slice(end);
        for (i, line) in body.split_inclusive(|&b| b == b'\n').enumerate() {
            bytes.extend_from_slice(line);
            if i % 10 == 9 {
                bytes.extend_from_slice(end);
            }
        }
    } else {
        bytes.extend_from_slice(&body);
    }
    std::fs::write(path, bytes).unwrap();
}

/// The columns a group of rows needs: all but the field columns that are empty on every row (and
/// the note, every other time), in an order of their own.
fn columns_for(header: &[String], rows: &[Vec<String>], k: usize, rng: &mut Lcg) -> Vec<usize> {
    let always = ["date", "kind", "person", "department"];
    let mut columns: Vec<usize> = (0..header.len())
        .filter(|&i| {
            always.contains(&header[i].as_str())
                || (header[i] == "note" && k.is_multiple_of(2))
                || rows.iter().any(|r| !r[i].is_empty())
        })
        .collect();
    rng.shuffle(&mut columns);
    columns
}

#[test]
fn rows_files_and_columns_in_any_order_give_identical_bytes() {
    let originals = original_files();
    let csv_form = ["eval", POLICY, "--format", "csv"];
    let json_form = ["eval", POLICY, "--format", "json"];
    let want_csv = tally(&csv_form, &originals);
    let want_json = tally(&json_form, &originals);
    assert!(want_csv.lines().count() > 20 * 13, "{want_csv}");

    let (header, mut rows) = all_rows(&originals);
    assert!(rows.len() > 100, "only {} rows", rows.len());
    let mut rng = Lcg(2020);
    rng.shuffle(&mut rows);
    let temp = TempDir(common::temp_dir("order"));
    let dir = &temp.0;

    // (a) every row in one shuffled file.
    let one = dir.join("all.csv");
    let plain = Shape {
        columns: (0..header.len()).collect(),
        crlf: false,
        bom: false,
        blank_lines: false,
    };
    write_csv(&one, &header, &rows, &plain);

    // (b) seven files in a folder, of uneven sizes, each with its own header: its own columns in
    // its own order, some with `\r\n` line ends, a byte-order mark or blank lines.
    let split_dir = dir.join("split");
    std::fs::create_dir_all(&split_dir).unwrap();
    let mut cuts: Vec<usize> = (0..6).map(|_| rng.below(rows.len())).collect();
    cuts.extend([0, rows.len()]);
    cuts.sort_unstable();
    let mut headers = std::collections::BTreeSet::new();
    for (k, part) in cuts.windows(2).enumerate() {
        let chunk = &rows[part[0]..part[1]];
        let shape = Shape {
            columns: columns_for(&header, chunk, k, &mut rng),
            crlf: k % 3 == 1,
            bom: k % 4 == 2,
            blank_lines: k % 3 == 2,
        };
        headers.insert(shape.columns.clone());
        write_csv(
            &split_dir.join(format!("part-{k}.csv")),
            &header,
            chunk,
            &shape,
        );
    }
    assert_eq!(headers.len(), 7, "every file has a header of its own");
    let split = vec![split_dir];

    // (c) the original files named in reverse order.
    let reversed: Vec<PathBuf> = originals.iter().rev().cloned().collect();

    let one = vec![one];
    for (name, records) in [
        ("one shuffled file", one.clone()),
        ("seven files, columns reordered", split.clone()),
        ("the files in reverse order", reversed.clone()),
    ] {
        assert_eq!(tally(&csv_form, &records), want_csv, "csv: {name}");
        assert_eq!(tally(&json_form, &records), want_json, "json: {name}");
    }

    // Explanations of every period of one person. With the files in reverse order they are the
    // same, record lines included (each record is still on its line). Shuffled, the records are on
    // other lines of other files, so the `records:` lines are left out of the comparison; every
    // point, label and note must still be the same.
    let without_records = |text: &str| -> String {
        text.lines()
            .filter(|l| !l.trim_start_matches([' ', '│']).starts_with("records:"))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let periods = (1..=12)
        .map(|m| format!("2020-{m:02}"))
        .chain(["2020".to_string()]);
    let mut cited = 0;
    for period in periods {
        let explain = ["explain", POLICY, "--person", "D07", "--period", &period];
        let want = tally(&explain, &originals);
        cited += want.matches("records:").count();
        assert_eq!(tally(&explain, &reversed), want, "D07 {period}");
        let want = without_records(&want);
        assert_eq!(
            without_records(&tally(&explain, &one)),
            want,
            "D07 {period}"
        );
        assert_eq!(
            without_records(&tally(&explain, &split)),
            want,
            "D07 {period}"
        );
    }
    assert!(
        cited > 5,
        "D07's explanations cite only {cited} record lines"
    );
}
