//! Published scores are the policy's rounding of the exact value: over generated years of the
//! Dashuipo policy (means of three or more peer ratings with decimals, leave days, volunteer hours),
//! every monthly and annual figure equals the half-up rounding of the exact rational, computed
//! here independently with big-integer fractions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};
use proptest::prelude::*;

use common::{DASHUIPO, run};

const HEADER: &str = "date,kind,person,department,days,hours,households,score,rater,rank,tier,responsibility,points,level,award,result,reason,note\n";

/// One generated person's year.
#[derive(Clone, Debug)]
struct Year {
    /// Ratings in hundredths (0..=10000), at least three of each.
    leaders: Vec<u32>,
    staff: Vec<u32>,
    /// (month, days) of personal leave.
    leave: Vec<(u8, u8)>,
    /// (month, hours in tenths) of volunteering; under 2 hours in the year costs 20 a month.
    volunteer: Vec<(u8, u16)>,
    /// Months of a late arrival (5 points each, in their month).
    late: Vec<u8>,
}

fn year() -> impl Strategy<Value = Year> {
    (
        prop::collection::vec(0u32..=10000, 3..7),
        prop::collection::vec(0u32..=10000, 3..7),
        prop::collection::vec((1u8..=12, 1u8..=9), 0..8),
        prop::collection::vec((1u8..=12, 0u16..=40), 0..6),
        prop::collection::vec(1u8..=12, 0..10),
    )
        .prop_map(|(leaders, staff, leave, volunteer, late)| Year {
            leaders,
            staff,
            leave,
            volunteer,
            late,
        })
}

fn q(n: i64, d: i64) -> BigRational {
    BigRational::new(BigInt::from(n), BigInt::from(d))
}

fn clamp(v: BigRational, low: i64, high: i64) -> BigRational {
    v.max(q(low, 1)).min(q(high, 1))
}

fn mean(values: &[u32]) -> BigRational {
    let sum: i64 = values.iter().map(|&v| i64::from(v)).sum();
    q(sum, 100 * values.len() as i64)
}

/// The exact monthly totals of one person, from the regulation as READING.md reads it: every
/// section at its budget except the peer rating (2.2), attendance (2.1.1: personal leave over 15
/// days in the year −20, over 30 the item is zeroed) and activities (2.1.5: +5 per hour, −20 in
/// every month when the year's hours give under 10 points), each clamped to its item.
fn reference(y: &Year) -> Vec<BigRational> {
    let rating = clamp(
        q(200, 1) * (q(1, 2) * mean(&y.leaders) + q(1, 2) * mean(&y.staff)) / q(100, 1),
        0,
        200,
    );
    let leave_days: i64 = y.leave.iter().map(|&(_, d)| i64::from(d)).sum();
    let tenths: i64 = y.volunteer.iter().map(|&(_, h)| i64::from(h)).sum();
    let year_points = q(5 * tenths, 10);
    (1..=12u8)
        .map(|m| {
            let late = y.late.iter().filter(|&&lm| lm == m).count() as i64;
            let attendance = if leave_days > 30 {
                q(0, 1)
            } else {
                let leave = if leave_days > 15 { 20 } else { 0 };
                clamp(q(40 - 5 * late - leave, 1), 0, 40)
            };
            let hours: i64 = y
                .volunteer
                .iter()
                .filter(|&&(vm, _)| vm == m)
                .map(|&(_, h)| i64::from(h))
                .sum();
            let mut activities = q(40, 1) + q(5 * hours, 10);
            if year_points < q(10, 1) {
                activities -= q(20, 1);
            }
            let activities = clamp(activities, 0, 40);
            // 2.1 less its two generated items, 2.3, 2.4.
            q(220 + 300 + 200, 1) + attendance + activities + rating.clone()
        })
        .collect()
}

/// Half-up to two decimals, written as the CSV writes a published score.
fn half_up(v: &BigRational) -> String {
    let hundredths = (v.abs() * q(100, 1) + q(1, 2)).floor().to_integer();
    let hundredths = hundredths.to_i128().unwrap();
    let sign = if v.is_negative() && hundredths != 0 {
        "-"
    } else {
        ""
    };
    format!("{sign}{}.{:02}", hundredths / 100, hundredths % 100)
}

fn records(people: &[Year]) -> String {
    let mut s = String::from(HEADER);
    for (i, y) in people.iter().enumerate() {
        let p = format!("P{i}");
        for (rater, list) in [("leader", &y.leaders), ("staff", &y.staff)] {
            for r in list {
                s += &format!(
                    "2020-12-20,peer_rating,{p},,,,,{}.{:02},{rater},,,,,,,,,\n",
                    r / 100,
                    r % 100
                );
            }
        }
        s += &format!("2020-12-10,visit,{p},,,,100,,,,,,,,,,,\n");
        s += &format!("2020-12-21,head_assessed,{p},,,,,200,,,,,,,,,,\n");
        for (m, days) in &y.leave {
            s += &format!("2020-{m:02}-03,personal_leave,{p},,{days},,,,,,,,,,,,,\n");
        }
        for m in &y.late {
            s += &format!("2020-{m:02}-04,late,{p},,,,,,,,,,,,,,,\n");
        }
        for (m, h) in &y.volunteer {
            s += &format!(
                "2020-{m:02}-05,volunteer,{p},,,{}.{},,,,,,,,,,,,\n",
                h / 10,
                h % 10
            );
        }
    }
    s += "2020-12-23,project_rank,,,,,,,,1,,,,,,,,\n";
    s
}

fn roster(n: usize) -> String {
    let mut s = String::from("person,name,department,role,head,temporary\n");
    for i in 0..n {
        s += &format!("P{i},人{i},党政办,项目服务人员,false,false\n");
    }
    s
}

fn published(d: rust_decimal::Decimal) -> String {
    let mut x = d;
    x.rescale(2);
    x.to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_published_total_is_the_rounding_of_the_exact_value(
        people in prop::collection::vec(year(), 1..6)
    ) {
        let r = run(DASHUIPO, &roster(people.len()), &records(&people));
        for (i, y) in people.iter().enumerate() {
            let id = format!("P{i}");
            let result = r.person(&id);
            let months = reference(y);
            for (m, exact) in months.iter().enumerate() {
                prop_assert_eq!(
                    published(result.months[m].published),
                    half_up(exact),
                    "{} month {}", id, m + 1
                );
            }
            let annual = months.iter().fold(BigRational::zero(), |a, m| a + m) / q(12, 1);
            prop_assert_eq!(published(result.annual.published), half_up(&annual), "{} annual", id);
            // The exact value itself, in lowest terms.
            let total = &result.annual.total;
            prop_assert_eq!(
                (BigInt::from(total.numer()), BigInt::from(total.denom())),
                (annual.numer().clone(), annual.denom().clone()),
                "{} annual exact", id
            );
        }
    }
}

/// The example: thirds in every month that only add up to a half-cent exactly.
#[test]
fn the_half_cent_reached_through_thirds_is_rounded_up() {
    let y = Year {
        leaders: vec![9000, 9000, 9100],
        staff: vec![8000, 8000, 8000],
        leave: vec![],
        // 2 hours in December: the year's 10 points of volunteering, so no deduction.
        volunteer: vec![(12, 20)],
        late: vec![],
    };
    let mut text = records(std::slice::from_ref(&y));
    text += "2020-03-01,adjustment,P0,,,,,,,,,,-8.5,,,,支部研究决定,\n";
    let r = run(DASHUIPO, &roster(1), &text);
    // 970⅓ in eleven months, 961⅚ in March: 11635.5 / 12 = 969.625, half-up 969.63.
    assert_eq!(published(r.person("P0").annual.published), "969.63");
    assert_eq!(r.person("P0").annual.total.plain(), "969.625");
}
