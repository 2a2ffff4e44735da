//! Items scaled to their group's best (§32), over random own values: each score is the own value
//! ÷ the group's best × the budget, kept to the published places and held to 0..budget, so the best gets the whole budget, the
//! order within a group is kept, and a group whose best is 0 or below is an error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use proptest::prelude::*;
use tally::exact::{Exact, Rounding};

const POLICY: &str = r#"policy "p" year 2020 total 100
card year
round 2 half-up

record task "任务" by person { points: points 0..50 }
record fault "失误" by person { points: points 0..60 }

section s "s" 100 {
  item work "实绩" 100 scaled of department {
    [1] base 10
    [1] per task +points
    [2] per fault -points
  }
}

grades {
  好 >= 60
  差
}
"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn scores_are_the_own_value_over_the_group_best(
        people in prop::collection::vec((0u8..2, 0u32..50, 0u32..60), 1..7)
    ) {
        let mut roster = String::from("person,name,department\n");
        let mut records = String::from("date,kind,person,points\n");
        for (i, (dept, task, fault)) in people.iter().enumerate() {
            roster.push_str(&format!("P{i},人{i},{}\n", ["东", "西"][usize::from(*dept)]));
            records.push_str(&format!("2020-03-01,task,P{i},{task}\n2020-05-01,fault,P{i},{fault}\n"));
        }
        let own: Vec<i64> = people.iter().map(|&(_, t, f)| 10 + i64::from(t) - i64::from(f)).collect();
        let best = |dept: u8| {
            people.iter().zip(&own).filter(|((d, _, _), _)| *d == dept).map(|(_, &o)| o).max()
        };
        let bad = (0..2).any(|d| best(d).is_some_and(|b| b <= 0));
        let run = common::try_run(POLICY, &roster, &records);
        prop_assert_eq!(run.is_err(), bad, "{:?}", run.as_ref().err());
        let Ok(run) = run else { return Ok(()) };
        for (i, &(dept, _, _)) in people.iter().enumerate() {
            let b = best(dept).unwrap();
            let got = run.outcome.people[i].year_card.as_ref().unwrap().items.get(0).unwrap();
            // Kept to the policy's published places (`round 2 half-up`).
            let want = Exact::from_int(own[i].max(0) * 100)
                .checked_div(Exact::from_int(b))
                .and_then(|x| x.round_exact(2, Rounding::HalfUp))
                .unwrap();
            prop_assert_eq!(got, want, "P{}", i);
            prop_assert!(got >= Exact::ZERO && got <= Exact::from_int(100));
            if own[i] == b {
                prop_assert_eq!(got, Exact::from_int(100));
            }
        }
    }
}
