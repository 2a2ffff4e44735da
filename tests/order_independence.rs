//! The same records give byte-identical results whatever the order of their rows and files, and
//! however they are split into files or their columns ordered.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const POLICY: &str = "policies/dashuipo-2020.policy";
const ROSTER: &str = "policies/dashuipo-2020/roster.csv";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tally(args: &[&str], records: &[PathBuf]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .arg("--records")
        .args(records)
        .args(["--as-of", "2021-01-05"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn original_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("policies/dashuipo-2020/records"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// A deterministic shuffle (a linear congruential generator; no randomness between runs).
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from((seed >> 33) % (i as u64 + 1)).unwrap();
        items.swap(i, j);
    }
}

/// Every data row of the example year, as (header, row) cells.
fn all_rows() -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = Vec::new();
    let mut rows = Vec::new();
    for f in original_files() {
        let mut r = csv::Reader::from_path(&f).unwrap();
        header = r.headers().unwrap().iter().map(str::to_string).collect();
        for row in r.records() {
            rows.push(row.unwrap().iter().map(str::to_string).collect());
        }
    }
    (header, rows)
}

fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>], order: &[usize]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(order.iter().map(|&i| &header[i])).unwrap();
    for row in rows {
        w.write_record(order.iter().map(|&i| &row[i])).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn shuffled_split_and_reordered_records_give_identical_bytes() {
    let originals = original_files();
    let forms: [&[&str]; 2] = [
        &["eval", POLICY, "--roster", ROSTER, "--format", "csv"],
        &["eval", POLICY, "--roster", ROSTER, "--format", "json"],
    ];
    let expected: Vec<String> = forms.iter().map(|f| tally(f, &originals)).collect();

    let (header, mut rows) = all_rows();
    shuffle(&mut rows, 7);
    let dir = common::temp_dir("order");

    // (a) one shuffled file.
    let one = dir.join("one.csv");
    let identity: Vec<usize> = (0..header.len()).collect();
    write_csv(&one, &header, &rows, &identity);

    // (b) seven files, each with its columns in another order.
    let mut split = Vec::new();
    for (k, chunk) in rows.chunks(rows.len().div_ceil(7)).enumerate() {
        let mut order = identity.clone();
        shuffle(&mut order, 100 + k as u64);
        let path = dir.join(format!("part-{k}.csv"));
        write_csv(&path, &header, chunk, &order);
        split.push(path);
    }

    // (c) the original files named in reverse order.
    let mut reversed = originals.clone();
    reversed.reverse();

    for (form, want) in forms.iter().zip(&expected) {
        assert_eq!(
            &tally(form, std::slice::from_ref(&one)),
            want,
            "one shuffled file"
        );
        assert_eq!(&tally(form, &split), want, "seven files, columns reordered");
        assert_eq!(&tally(form, &reversed), want, "files in reverse order");
    }

    // Explanations: the same tree, line for line, except the record lines it cites (their file
    // and line numbers are where the records now are).
    let tree = |text: String| -> Vec<String> {
        text.lines()
            .filter(|l| !l.contains("records:"))
            .map(str::to_string)
            .collect()
    };
    let explain = [
        "explain", POLICY, "--roster", ROSTER, "--person", "D07", "--period", "2020-05",
    ];
    let want = tree(tally(&explain, &originals));
    assert!(want.len() > 20, "{want:?}");
    assert_eq!(tree(tally(&explain, &reversed)), want);
    assert_eq!(tree(tally(&explain, &split)), want);
    let _ = std::fs::remove_dir_all(&dir);
}
