//! The tables records are looked up in: ids by number, kind names compared as words.

use super::Dense;

/// Where each id is found in a table of `roster`'s ids (`None` inside: nobody), or `None`
/// when the roster's ids do not have one shape.
fn found(roster: &[&str], ids: &[&str]) -> Option<Vec<Option<usize>>> {
    let d = Dense::new(roster.iter().copied())?;
    Some(ids.iter().map(|id| d.find(id.as_bytes())).collect())
}

/// The eight bytes read at once give what reading them one by one gives, for every width
/// and every byte at every place (digits, their neighbours '/' and ':', letters, UTF-8).
#[test]
fn eight_digits_read_at_once_are_read_as_one_by_one() {
    let one_by_one = |bytes: &[u8]| {
        bytes.iter().try_fold(0usize, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + usize::from(b - b'0'))
        })
    };
    let alphabet: Vec<u8> = (b'0'..=b'9')
        .chain([
            b'/',
            b':',
            b'P',
            b' ',
            0,
            0x7f,
            0x80,
            0xe5,
            0xff,
            0x36 + 0x80,
        ])
        .collect();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..200_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let bytes: [u8; 8] = std::array::from_fn(|i| {
            let pick = (state >> (i * 7)) as usize;
            // Mostly digits, so that whole numbers come up as often as bad bytes.
            if pick % 8 < 6 {
                b'0' + (pick / 8 % 10) as u8
            } else {
                alphabet[pick / 8 % alphabet.len()]
            }
        });
        for width in 0..=8 {
            assert_eq!(
                super::eight_digits(bytes, width),
                one_by_one(&bytes[8 - width..]),
                "{bytes:?} width {width}"
            );
        }
    }
    assert_eq!(super::eight_digits(*b"99999999", 8), Some(99_999_999));
    assert_eq!(super::eight_digits(*b"P0057449", 7), Some(57_449));
    assert_eq!(super::eight_digits(*b"P0057449", 9), None);
}

/// Names compared as words are equal exactly when their bytes are, at every length (one
/// differing byte at every place, and names of other lengths).
#[test]
fn names_compared_as_words_are_the_same_bytes() {
    for len in 0..40usize {
        let a: Vec<u8> = (0..len).map(|i| (i * 37 % 251) as u8).collect();
        assert!(super::same(&a, &a.clone()), "{len}");
        for at in 0..len {
            let mut b = a.clone();
            b[at] ^= 0x20;
            assert!(!super::same(&a, &b), "{len} {at}");
        }
        assert!(!super::same(&a, &a[..len.saturating_sub(1)]) || len == 0);
        let mut longer = a.clone();
        longer.push(0);
        assert!(!super::same(&a, &longer), "{len}");
    }
}

#[test]
fn ids_of_one_shape_are_found_by_number() {
    let roster = ["P0003", "P0001", "P0010"];
    assert_eq!(
        found(&roster, &["P0003", "P0001", "P0010"]),
        Some(vec![Some(0), Some(1), Some(2)])
    );
    // Numbers nobody has, in the table and past it; then other shapes, which are nobody's:
    // another width, another prefix, a sign, spaces, a letter among the digits, nothing.
    let nobody = [
        "P0002", "P9999", "P003", "P00003", "Q0003", "p0003", "P+003", " P0003", "P0003 ", "P00a3",
        "",
    ];
    assert_eq!(found(&roster, &nobody), Some(vec![None; nobody.len()]));
    // Ids of eight bytes or more (read eight at once), up to nine digits (one by one).
    for (roster, more) in [
        (["P0000003", "P0000001", "P0000010"], "P00000010"),
        (["P000000003", "P000000001", "P000000010"], "P0000000010"),
        (
            ["干部0000003", "干部0000001", "干部0000010"],
            "干部00000010",
        ),
    ] {
        let [a, b, c] = roster;
        assert_eq!(
            found(&roster, &[c, b, a]),
            Some(vec![Some(2), Some(1), Some(0)])
        );
        let other: Vec<String> = [a.replace('3', "a"), a.replace('3', "/"), more.into()]
            .into_iter()
            .chain([
                a.replacen('0', ":", 1),
                a.replacen(|c: char| !c.is_ascii_digit(), "Q", 1),
                format!(" {a}"),
            ])
            .collect();
        let other: Vec<&str> = other.iter().map(String::as_str).collect();
        assert_eq!(found(&roster, &other), Some(vec![None; other.len()]));
    }
}

#[test]
fn a_prefix_may_be_any_text_and_may_be_empty() {
    assert_eq!(
        found(&["干部07", "干部12"], &["干部12", "干部7"]),
        Some(vec![Some(1), None])
    );
    assert_eq!(
        found(&["007", "120"], &["120", "7"]),
        Some(vec![Some(1), None])
    );
}

#[test]
fn ids_of_several_shapes_or_spread_wide_keep_the_hash_table() {
    for roster in [
        &["P1", "P10"][..],
        &["P01", "Q02"],
        &["ABC", "ABD"],
        &["P0000000001"],
        &["P000001", "P999999"],
        &[],
    ] {
        assert_eq!(found(roster, &[]), None, "{roster:?}");
    }
}

#[test]
fn a_repeated_id_keeps_the_first() {
    assert_eq!(found(&["D07", "D08", "D07"], &["D07"]), Some(vec![Some(0)]));
}

/// Every name is found, whether it has a slot of its own or shares one (a thousand names
/// share many), and no other text is.
#[test]
fn every_kind_is_found_by_id_and_label_and_nothing_else() {
    for count in [0usize, 1, 14, 40, 1000] {
        let names: Vec<String> = (0..count)
            .map(|i| match i % 3 {
                0 => format!("k{i}"),
                1 => format!("类别{i}"),
                _ => "x".repeat(i % 40 + 1),
            })
            .collect();
        let map: rustc_hash::FxHashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let kinds = super::Kinds::new(map.clone());
        for (name, k) in &map {
            assert_eq!(kinds.get(name), Some(k), "{name}");
        }
        for other in ["", "k", "类别", "y", "k99999", "xx类别"] {
            assert_eq!(kinds.get(other), map.get(other), "{other}");
        }
    }
}
