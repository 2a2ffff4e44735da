//! Columns of text aligned by display width (a Chinese character takes two columns), for every
//! table tally prints.

use unicode_width::UnicodeWidthStr;

/// The rows as lines: each line starts with `indent`, cells are two spaces apart and padded to
/// their column's widest cell (on the left where `right` says a column holds numbers), and no
/// line ends in spaces.
pub fn columns(rows: &[Vec<String>], right: &[bool], indent: &str) -> Vec<String> {
    let count = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..count)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |x| x.width()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|row| {
            let mut line = String::from(indent);
            for (c, cell) in row.iter().enumerate() {
                let pad = " ".repeat(widths[c].saturating_sub(cell.width()));
                if c > 0 {
                    line.push_str("  ");
                }
                if right.get(c).copied().unwrap_or(false) {
                    line.push_str(&pad);
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.push_str(&pad);
                }
            }
            line.truncate(line.trim_end().len());
            line
        })
        .collect()
}

/// [`columns`] as one text, a line break after each line.
pub fn table(rows: &[Vec<String>], right: &[bool], indent: &str) -> String {
    let mut out = String::new();
    for line in columns(rows, right, indent) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_twice() {
        let rows = vec![
            vec!["person".to_string(), "name".into(), "total".into()],
            vec!["D01".to_string(), "王建国".into(), "964.67".into()],
        ];
        assert_eq!(
            table(&rows, &[false, false, true], ""),
            "person  name     total\nD01     王建国  964.67\n"
        );
    }
}
