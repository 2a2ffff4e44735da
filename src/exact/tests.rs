use super::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

fn q(n: i128, m: i128) -> Exact {
    Exact(Ratio::new(n, m))
}

#[test]
fn thirds_add_up_exactly() {
    let third = q(1, 3);
    let sum = Exact::sum([third, third, third]);
    assert_eq!(sum, Some(Exact::ONE));
}

#[test]
fn the_issue_example_publishes_873_63() {
    // Monthly totals with thirds and sixths whose sum is 10 483.5; / 12 = 873.625.
    let total = q(104835, 10);
    let annual = total.checked_div(Exact::from_int(12));
    assert_eq!(annual, Some(q(6989, 8)));
    assert_eq!(
        annual.and_then(|a| a.round(2, Rounding::HalfUp)),
        Some(d("873.63"))
    );
    assert_eq!(
        annual.and_then(|a| a.round(2, Rounding::HalfEven)),
        Some(d("873.62"))
    );
}

#[test]
fn rounding_modes_on_both_signs() {
    let cases = [
        // value, places, half-up, half-even, down, up
        (q(5, 2), 0, "3", "2", "2", "3"),
        (q(-5, 2), 0, "-3", "-2", "-2", "-3"),
        (q(7, 2), 0, "4", "4", "3", "4"),
        (q(1, 3), 2, "0.33", "0.33", "0.33", "0.34"),
        (q(-2, 3), 2, "-0.67", "-0.67", "-0.66", "-0.67"),
        (q(1, 8), 2, "0.13", "0.12", "0.12", "0.13"),
        (q(10, 1), 2, "10", "10", "10", "10"),
    ];
    for (v, places, hu, he, dn, up) in cases {
        assert_eq!(
            v.round(places, Rounding::HalfUp),
            Some(d(hu)),
            "{v:?} half-up"
        );
        assert_eq!(
            v.round(places, Rounding::HalfEven),
            Some(d(he)),
            "{v:?} half-even"
        );
        assert_eq!(v.round(places, Rounding::Down), Some(d(dn)), "{v:?} down");
        assert_eq!(v.round(places, Rounding::Up), Some(d(up)), "{v:?} up");
    }
}

#[test]
fn decimals_convert_both_ways_exactly() {
    for s in [
        "0",
        "1",
        "-5",
        "0.5",
        "873.625",
        "-0.0001",
        "79228162514264337593543950335",
    ] {
        let e = Exact::from_decimal(d(s));
        assert_eq!(
            e.to_decimal().map(|x| x.normalize()),
            Some(d(s).normalize())
        );
    }
    assert_eq!(q(1, 3).to_decimal(), None);
}

#[test]
fn overflow_is_none_never_a_wrong_value() {
    let big = Exact::from_decimal(d("79228162514264337593543950335"));
    assert_eq!(big.checked_mul(big), None);
    assert!(big.checked_add(big).is_some());
    let huge = Exact(Ratio::new_raw(i128::MAX, 1));
    assert_eq!(huge.checked_add(Exact::ONE), None);
    assert_eq!(Exact::ONE.checked_div(Exact::ZERO), None);
    assert_eq!(huge.round(2, Rounding::HalfUp), None);
}

#[test]
fn small_values_with_long_denominators_round() {
    // About 100.0103: the numerator times 10^2 does not fit an i128, the value does.
    let v = Exact(Ratio::new(
        2025510823000000000000000000000209023,
        20253018000000000000000000000000000,
    ));
    assert_eq!(v.round(2, Rounding::HalfUp), Some(d("100.01")));
    assert_eq!(
        v.checked_neg().and_then(|v| v.round(2, Rounding::Up)),
        Some(d("-100.02"))
    );
    assert_eq!(v.round(0, Rounding::HalfEven), Some(d("100")));
}

#[test]
fn repeats_are_marked() {
    assert_eq!(q(2476, 3).display_places(2), "825.(3)");
    assert_eq!(q(1, 6).display_places(2), "0.1(6)");
    assert_eq!(q(-1, 3).display_places(2), "-0.(3)");
    assert_eq!(q(1, 7).display_places(2), "0.(142857)");
    assert_eq!(q(1, 97).display_places(2), "1/97");
    assert_eq!(q(6989, 8).display_places(2), "873.625");
    assert_eq!(q(5, 1).display_places(2), "5.00");
    assert_eq!(q(-1, 2).display_places(0), "-0.5");
    assert_eq!(q(1, 1024).display_places(2), "0.0009765625");
}

#[test]
fn floor_and_ceil_on_both_signs_and_at_the_ends() {
    assert_eq!(q(-5, 2).floor(), Exact::from_int(-3));
    assert_eq!(q(-5, 2).ceil(), Exact::from_int(-2));
    assert_eq!(q(5, 2).floor(), Exact::from_int(2));
    assert_eq!(q(5, 2).ceil(), Exact::from_int(3));
    assert_eq!(Exact::from_int(-7).floor(), Exact::from_int(-7));
    assert_eq!(Exact::from_int(-7).ceil(), Exact::from_int(-7));
    // The largest numerators: no overflow on either side.
    let big = Exact(Ratio::new_raw(i128::MAX, 3));
    assert_eq!(big.floor().numer(), i128::MAX / 3);
    assert_eq!(big.ceil().numer(), i128::MAX / 3 + 1);
    let low = Exact(Ratio::new_raw(-i128::MAX, 7));
    assert_eq!(low.floor().numer(), (-i128::MAX).div_euclid(7));
    assert_eq!(low.ceil().numer(), -(i128::MAX / 7));
}

#[test]
fn scaled_values_are_in_lowest_terms_on_both_paths() {
    let mantissas = [
        0i128,
        1,
        -1,
        5,
        -25,
        1_000_000,
        -5_000_000,
        123_456_789,
        i128::from(i64::MAX),
        i128::from(i64::MIN),
        i128::from(i64::MAX) + 1,
        -(1i128 << 100),
        3 * 10i128.pow(30),
    ];
    for m in mantissas {
        for scale in [0u32, 1, 2, 6, 17, 18, 19, 28] {
            let e = Exact::from_scaled(m, scale);
            let want = Ratio::new(m, 10i128.pow(scale));
            assert_eq!(
                (e.numer(), e.denom()),
                (*want.numer(), *want.denom()),
                "{m} / 10^{scale}"
            );
        }
    }
}

#[test]
fn scaled_integers_come_back_only_when_whole() {
    assert_eq!(q(1, 3).to_scaled(6), None);
    assert_eq!(q(-5, 2).to_scaled(6), Some(-2_500_000));
    assert_eq!(q(1, 10_000_000).to_scaled(6), None);
    assert_eq!(Exact::from_int(9_223_372_036_855).to_scaled(6), None);
    assert_eq!(
        Exact::from_int(9_223_372_036_854).to_scaled(6),
        Some(9_223_372_036_854_000_000)
    );
}

/// The quotient rounded in 64 bits where the operands fit is the one big integers give, on both
/// sides of the 64-bit limits, for every mode and sign.
#[test]
fn a_rounded_quotient_is_the_big_integers_one() {
    let edges = [
        1i128,
        2,
        3,
        7,
        10,
        12,
        999_999,
        1_000_000,
        i128::from(i64::MAX) - 1,
        i128::from(i64::MAX),
        i128::from(i64::MAX) + 1,
        i128::from(u64::MAX),
        i128::MAX / 3,
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut values: Vec<i128> = edges.to_vec();
    values.extend((0..60).map(|_| i128::from(next() % 100_000)));
    values.extend((0..60).map(|_| i128::from(next() >> 1)));
    for mode in [
        Rounding::HalfUp,
        Rounding::HalfEven,
        Rounding::Up,
        Rounding::Down,
    ] {
        for &num in &values {
            for &den in &values {
                for num in [num, -num] {
                    let want = rounded_quotient_big(BigInt::from(num), BigInt::from(den), mode);
                    assert_eq!(
                        rounded_quotient(num, den, mode),
                        want,
                        "{num} / {den} {mode:?}"
                    );
                }
            }
        }
    }
}

/// A whole number rounds to itself, with the places asked for, as a fraction with denominator 1
/// did before.
#[test]
fn a_whole_number_rounds_to_itself() {
    for n in [0i128, 1, -1, 873, -5, 10i128.pow(20), i128::from(i64::MAX)] {
        for places in [0, 2, 6, 28] {
            let got = Exact::from_scaled(n, 0).round(places, Rounding::HalfUp);
            let want = n
                .checked_mul(10i128.pow(places))
                .and_then(|q| Decimal::try_from_i128_with_scale(q, places).ok());
            assert_eq!(got, want, "{n} to {places} places");
        }
    }
}

/// Sums, quotients, comparisons and scaled forms of decimal fractions, whole numbers and thirds,
/// near and beyond the 64-bit limits, are what the general fraction arithmetic gives.
#[test]
fn fast_paths_agree_with_general_fractions() {
    let dens = [
        1i128, 2, 3, 4, 5, 8, 10, 16, 20, 25, 100, 125, 1000, 3125, 1_000_000, 2_000_000, 7, 12,
    ];
    let nums = [
        0i128,
        1,
        -1,
        3,
        -7,
        29,
        145,
        999_999,
        -1_000_001,
        i128::from(i64::MAX / 1_000_000),
        i128::from(i64::MAX / 1_000_000) + 1,
        i128::from(i64::MAX),
        i128::from(i64::MIN) + 1,
        i128::from(i64::MIN),
        i128::from(i64::MAX) * 3,
    ];
    let values: Vec<Exact> = dens
        .iter()
        .flat_map(|&d| nums.iter().map(move |&n| q(n, d)))
        .collect();
    for a in &values {
        for places in [0, 2, 6, 12, 18, 19] {
            let unit = 10i128.pow(places);
            let want = (unit % a.denom() == 0)
                .then(|| a.numer().checked_mul(unit / a.denom()))
                .flatten()
                .and_then(|v| i64::try_from(v).ok());
            assert_eq!(a.to_scaled(places), want, "{a:?} to {places} places");
        }
        for b in &values {
            assert_eq!(a.cmp(b), a.0.cmp(&b.0), "{a:?} against {b:?}");
            let general = a.0.checked_add(&b.0).and_then(Exact::checked);
            assert_eq!(a.checked_add(*b), general, "{a:?} + {b:?}");
            let general = (!b.is_zero())
                .then(|| a.0.checked_div(&b.0).and_then(Exact::checked))
                .flatten();
            // In lowest terms too (fractions compare equal by value whatever their terms).
            let terms = |x: Option<Exact>| x.map(|x| (x.numer(), x.denom()));
            assert_eq!(terms(a.checked_div(*b)), terms(general), "{a:?} / {b:?}");
        }
    }
}

/// A running sum rounded from its scaled integer is the decimal the exact value rounds to, with
/// the same scale, for every mode, at every number of places, at halves, near the ends of 64 bits.
#[test]
fn a_scaled_sum_rounds_as_its_exact_value() {
    let modes = [
        Rounding::HalfUp,
        Rounding::HalfEven,
        Rounding::Down,
        Rounding::Up,
    ];
    let mut mantissas = vec![
        0, 1, -1, 5, -5, 15, -15, 25, -25, 500_000, -500_000, 1_500_000,
    ];
    mantissas.extend([
        2_500_000,
        -2_500_000,
        199_995_000,
        873_625_000,
        -873_625_000,
    ]);
    mantissas.extend([
        i64::MAX,
        i64::MIN,
        i64::MAX - 1,
        i64::MIN + 1,
        999_999,
        -999_999,
    ]);
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..2_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        // Random magnitudes, many ending in 5 or 0 (halves at some places).
        let digits = state % 19;
        let n = (state >> 8) as i64 % 10i64.pow(digits as u32).max(1);
        mantissas.push(if state.is_multiple_of(3) {
            n - n % 10 + 5
        } else {
            n
        });
    }
    for &m in &mantissas {
        for scale in [0, 1, 2, 6, 8, 18, 19, 25] {
            for places in [0, 1, 2, 3, 6, 7, 12, 28, 40] {
                for mode in modes {
                    let exact = Exact::from_scaled(i128::from(m), scale).round(places, mode);
                    let fast = Exact::round_scaled(m, scale, places, mode);
                    assert_eq!(fast, exact, "{m} scale {scale} places {places} {mode:?}");
                    // The same scale too (200.00, not 200).
                    assert_eq!(
                        fast.map(|d| d.scale()),
                        exact.map(|d| d.scale()),
                        "{m} scale {scale} places {places} {mode:?}"
                    );
                }
            }
        }
    }
}
