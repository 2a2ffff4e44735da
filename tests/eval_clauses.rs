//! One test per clause row of READING.md, on the shipped Dashuipo policy: a small roster, the
//! year-end facts that make every base known, and a few records. Every expected number is worked
//! out by hand in the test from READING.md, never copied from the tool's output.
//!
//! The people: `A` (项目服务人员, staff of 党政办) and `H` (项目服务人员, head of 党政办), and where a
//! clause needs them `V` (包片委员), `L` (包村干部), `P` (片长), `T` (temporary staff). With the facts
//! below, every one of them has a perfect card, 1000 points, in every month, until records say
//! otherwise.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{DASHUIPO, d, run, try_run};
use tally::exact::Exact;

const HEADER: &str = "date,kind,person,department,days,hours,households,score,rater,rank,tier,responsibility,points,level,award,result,reason,note\n";

const ROSTER: &str = "person,name,department,role,head,temporary
A,甲,党政办,项目服务人员,false,false
H,乙,党政办,项目服务人员,true,false
V,丙,经发办,包片委员,true,false
L,丁,经发办,包村干部,false,false
P,戊,经发办,片长,false,false
T,己,经发办,项目服务人员,false,true
";

/// Perfect-card facts: ratings of 100, enough visits and volunteer hours, assessed scores at the
/// maximum, the town first in the project ranking, both departments in the top tier.
fn facts() -> String {
    let mut s = String::from(HEADER);
    for p in ["A", "H", "V", "L", "P", "T"] {
        s += &format!("2020-12-20,peer_rating,{p},,,,,100,leader,,,,,,,,,\n");
        s += &format!("2020-12-20,peer_rating,{p},,,,,100,staff,,,,,,,,,\n");
        s += &format!("2020-12-10,visit,{p},,,,100,,,,,,,,,,,\n");
        s += &format!("2020-12-11,volunteer,{p},,,2,,,,,,,,,,,,\n");
    }
    for p in ["A", "L", "P", "T"] {
        s += &format!("2020-12-21,head_assessed,{p},,,,,200,,,,,,,,,,\n");
    }
    s += "2020-12-22,village_score,V,,,,,100,,,,,,,,,,\n";
    s += "2020-12-22,village_score,P,,,,,100,,,,,,,,,,\n";
    s += "2020-12-22,liaison_assessed,L,,,,,300,,,,,,,,,,\n";
    s += "2020-12-23,district_tier,,党政办,,,,,,,0,,,,,,,\n";
    s += "2020-12-23,district_tier,,经发办,,,,,,,0,,,,,,,\n";
    s += "2020-12-23,project_rank,,,,,,,,1,,,,,,,,\n";
    s
}

/// Facts plus the given rows (each a full CSV row without the newline).
fn with(rows: &[&str]) -> String {
    let mut s = facts();
    for r in rows {
        s += r;
        s.push('\n');
    }
    s
}

#[test]
fn baseline_every_person_has_a_perfect_card_every_month() {
    let r = run(DASHUIPO, ROSTER, &facts());
    for p in ["A", "H", "V", "L", "P", "T"] {
        for m in 1..=12 {
            assert_eq!(r.month(p, m), d("1000"), "{p} month {m}");
        }
        assert_eq!(r.annual(p), d("1000"));
        assert_eq!(r.grade(p), "五星级");
        assert!(r.person(p).annual.is_final);
    }
}

#[test]
fn clause_1_3_sections_must_add_up_to_the_total() {
    let broken = DASHUIPO.replace(
        "section rating \"民主评议\" 200",
        "section rating \"民主评议\" 190",
    );
    let compiled = tally::compile::compile("broken.policy", broken.as_bytes());
    let codes: Vec<&str> = compiled.diags.iter().map(|d| d.code.as_str()).collect();
    // 190 holds one item of 200 (items disagree), and 300+190+300+200 = 990 ≠ 1000.
    assert!(codes.contains(&"tally::item-budgets"), "{codes:?}");
    assert!(codes.contains(&"tally::section-budgets"), "{codes:?}");
    assert!(compiled.policy.is_none());
}

#[test]
fn clause_2_1_1_each_late_early_leave_absent_takes_five() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-03-02,late,A,,,,,,,,,,,,,,,",
            "2020-03-09,early_leave,A,,,,,,,,,,,,,,,",
            "2020-03-10,absent,A,,,,,,,,,,,,,,,",
        ]),
    );
    // 40 - 3 × 5 = 25 in March; other months untouched.
    assert_eq!(r.item("A", 3, "attendance"), Some(d("25")));
    assert_eq!(r.month("A", 3), d("985"));
    assert_eq!(r.month("A", 4), d("1000"));
}

#[test]
fn clause_2_1_1_absent_over_five_zeroes_item() {
    let six: Vec<String> = (1..=6)
        .map(|i| format!("2020-01-0{i},absent,A,,,,,,,,,,,,,,,"))
        .collect();
    let rows: Vec<&str> = six.iter().map(String::as_str).collect();
    let r = run(DASHUIPO, ROSTER, &with(&rows));
    // More than five in the year: the item is 0 in every month (year window), not only January.
    for m in 1..=12 {
        assert_eq!(r.item("A", m, "attendance"), Some(d("0")), "month {m}");
    }
    assert_eq!(r.month("A", 7), d("960"));
    // Exactly five: no zeroing, only -5 each in January: 40 - 25 = 15.
    let r = run(DASHUIPO, ROSTER, &with(&rows[..5]));
    assert_eq!(r.item("A", 1, "attendance"), Some(d("15")));
    assert_eq!(r.item("A", 2, "attendance"), Some(d("40")));
}

#[test]
fn clause_2_1_1_leave_over_limits_takes_twenty_every_month() {
    // 16 days of personal leave (> 15): -20 in every month.
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-02-03,personal_leave,A,,10,,,,,,,,,,,,,",
            "2020-05-03,personal_leave,A,,6,,,,,,,,,,,,,",
        ]),
    );
    for m in 1..=12 {
        assert_eq!(r.item("A", m, "attendance"), Some(d("20")), "month {m}");
    }
    // Exactly 15 days: nothing. 41 days of sick leave (> 40): -20.
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-02-03,personal_leave,A,,15,,,,,,,,,,,,,",
            "2020-06-01,sick_leave,H,,41,,,,,,,,,,,,,",
        ]),
    );
    assert_eq!(r.item("A", 1, "attendance"), Some(d("40")));
    assert_eq!(r.item("H", 12, "attendance"), Some(d("20")));
}

#[test]
fn clause_2_1_1_leave_over_three_months_zeroes_item() {
    // Personal leave 31 days (> 30) zeroes; sick leave 91 days (> 90, the reading of 三个月) zeroes.
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-02-03,personal_leave,A,,31,,,,,,,,,,,,,",
            "2020-06-01,sick_leave,H,,91,,,,,,,,,,,,,",
            "2020-06-01,sick_leave,T,,90,,,,,,,,,,,,,",
        ]),
    );
    assert_eq!(r.item("A", 9, "attendance"), Some(d("0")));
    assert_eq!(r.item("H", 9, "attendance"), Some(d("0")));
    // 90 days: over 40 (-20) but not over 90.
    assert_eq!(r.item("T", 9, "attendance"), Some(d("20")));
}

#[test]
fn clause_2_1_1_exempt_leave_is_never_scored() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&["2020-04-01,exempt_leave,A,,120,,,,,,,,,,,,,"]),
    );
    assert_eq!(r.item("A", 4, "attendance"), Some(d("40")));
    assert_eq!(r.annual("A"), d("1000"));
}

#[test]
fn clause_2_1_2_hygiene_fail_takes_five_from_the_responsible_person() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-04-01,hygiene_fail,A,,,,,,,,,,,,,,,",
            "2020-04-15,卫生检查不合格,A,,,,,,,,,,,,,,,",
        ]),
    );
    assert_eq!(r.item("A", 4, "hygiene"), Some(d("50")));
    assert_eq!(r.item("H", 4, "hygiene"), Some(d("60")));
}

#[test]
fn clause_2_1_3_duty_missed_ten_and_incident_fifty_from_total() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-06-01,duty_missed,A,,,,,,,,,,,,,,,",
            "2020-06-02,duty_missed,A,,,,,,,,,,,,,,,",
            "2020-06-20,duty_incident,H,,,,,,,,,,,,,,,",
        ]),
    );
    assert_eq!(r.item("A", 6, "duty"), Some(d("20")));
    // The incident leaves the item at 40 and takes 50 from the total: 1000 - 50.
    assert_eq!(r.item("H", 6, "duty"), Some(d("40")));
    assert_eq!(r.month("H", 6), d("950"));
}

#[test]
fn clause_2_1_4_drinking_zeroes_item_takes_hundred_each_and_flags() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-05-06,drinking,A,,,,,,,,,,,,,,,",
            "2020-05-20,工作日饮酒,A,,,,,,,,,,,,,,,",
        ]),
    );
    assert_eq!(r.item("A", 5, "sobriety"), Some(d("0")));
    // 1000 - 40 (item) - 2 × 100 (from the total) = 760.
    assert_eq!(r.month("A", 5), d("760"));
    let a = r.person("A");
    assert_eq!(
        a.months[4].flags,
        vec!["在全体机关干部会议中做检查".to_string()]
    );
    assert!(a.months[5].flags.is_empty());
    assert_eq!(
        a.annual.flags,
        vec!["在全体机关干部会议中做检查".to_string()]
    );
}

#[test]
fn clause_2_1_5_volunteer_hours_offset_deductions_inside_the_item_only() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-07-01,meeting_breach,A,,,,,,,,,,,,,,,",
            "2020-07-02,volunteer,A,,,1,,,,,,,,,,,,",
            "2020-08-02,volunteer,A,,,3,,,,,,,,,,,,",
        ]),
    );
    // July: 40 - 10 + 5 × 1 = 35. August: 40 + 15, clamped to 40: the surplus is lost.
    assert_eq!(r.item("A", 7, "activities"), Some(d("35")));
    assert_eq!(r.item("A", 8, "activities"), Some(d("40")));
    assert_eq!(r.month("A", 8), d("1000"));
}

#[test]
fn clause_2_1_5_too_few_volunteer_points_in_the_year_takes_twenty() {
    // Replace the baseline's 2 hours by 1.9 hours: 5 × 1.9 = 9.5 points < 10: -20 every month.
    let records = facts().replace(
        "2020-12-11,volunteer,A,,,2,",
        "2020-12-11,volunteer,A,,,1.9,",
    );
    let r = run(DASHUIPO, ROSTER, &records);
    assert_eq!(r.item("A", 3, "activities"), Some(d("20")));
    // December also has the 1.9 hours: 40 + 9.5 - 20 = 29.5.
    assert_eq!(r.item("A", 12, "activities"), Some(d("29.5")));
}

#[test]
fn clause_2_1_5_refused_task_twenty_meeting_breach_ten() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-09-01,task_refused,A,,,,,,,,,,,,,,,",
            "2020-09-02,meeting_breach,A,,,,,,,,,,,,,,,",
        ]),
    );
    assert_eq!(r.item("A", 9, "activities"), Some(d("10")));
}

#[test]
fn clause_2_1_6_missing_households_take_five_each_every_month() {
    // 97 households: 3 missing × 5 = 15 every month → 25.
    let records = facts().replace("2020-12-10,visit,A,,,,100,", "2020-12-10,visit,A,,,,97,");
    let r = run(DASHUIPO, ROSTER, &records);
    assert_eq!(r.item("A", 1, "visits"), Some(d("25")));
    assert_eq!(r.item("A", 12, "visits"), Some(d("25")));
    // 90 households: 10 × 5 = 50 > 40, floored at 0.
    let records = facts().replace("2020-12-10,visit,A,,,,100,", "2020-12-10,visit,A,,,,90,");
    let r = run(DASHUIPO, ROSTER, &records);
    assert_eq!(r.item("A", 6, "visits"), Some(d("0")));
}

#[test]
fn clause_2_1_6_false_visit_note_takes_five() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&["2020-10-10,false_visit_note,A,,,,,,,,,,,,,,,"]),
    );
    assert_eq!(r.item("A", 10, "visits"), Some(d("35")));
}

#[test]
fn clause_2_1_7_utility_breach_takes_ten() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-11-10,utility_breach,A,,,,,,,,,,,,,,,",
            "2020-11-11,utility_breach,A,,,,,,,,,,,,,,,",
        ]),
    );
    assert_eq!(r.item("A", 11, "utilities"), Some(d("20")));
}

#[test]
fn clause_2_2_rating_base_is_half_leaders_half_staff() {
    // Leaders 100 and 70 (mean 85), staff 100 and 40 (mean 70): 200 × (42.5 + 35) / 100 = 155.
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-12-20,peer_rating,A,,,,,70,leader,,,,,,,,,",
            "2020-12-20,peer_rating,A,,,,,40,staff,,,,,,,,,",
        ]),
    );
    assert_eq!(r.item("A", 1, "rating"), Some(d("155")));
    assert_eq!(r.item("A", 12, "rating"), Some(d("155")));
}

#[test]
fn clause_2_3_1_village_and_liaison_bases_and_contact_day_breach() {
    let records = facts()
        .replace(
            "2020-12-22,village_score,V,,,,,100,",
            "2020-12-22,village_score,V,,,,,90,",
        )
        .replace(
            "2020-12-22,liaison_assessed,L,,,,,300,",
            "2020-12-22,liaison_assessed,L,,,,,270,",
        )
        + "2020-12-22,village_score,V,,,,,80,,,,,,,,,,\n2020-04-09,contact_day_breach,P,,,,,,,,,,,,,,,\n";
    let r = run(DASHUIPO, ROSTER, &records);
    // V: 300 × mean(90, 80) / 100 = 255. L: the assessed 270. P: 300 - 50 in April.
    assert_eq!(r.item("V", 2, "villages"), Some(d("255")));
    assert_eq!(r.item("L", 2, "villages"), Some(d("270")));
    assert_eq!(r.item("P", 4, "villages"), Some(d("250")));
    assert_eq!(r.item("P", 5, "villages"), Some(d("300")));
    // The project item does not exist for them, nor the village item for A.
    assert_eq!(r.item("V", 2, "projects"), None);
    assert_eq!(r.item("A", 2, "villages"), None);
}

#[test]
fn clause_2_3_2_project_base_from_the_town_rank() {
    let records = facts().replace(
        "2020-12-23,project_rank,,,,,,,,1,",
        "2020-12-23,project_rank,,,,,,,,3,",
    );
    let r = run(DASHUIPO, ROSTER, &records);
    // 300 - 15 × (3 - 1) = 270.
    assert_eq!(r.item("A", 1, "projects"), Some(d("270")));
    let records = facts().replace(
        "2020-12-23,project_rank,,,,,,,,1,",
        "2020-12-23,project_rank,,,,,,,,25,",
    );
    let r = run(DASHUIPO, ROSTER, &records);
    // 300 - 15 × 24 = -60, floored at 0.
    assert_eq!(r.item("A", 1, "projects"), Some(d("0")));
}

#[test]
fn clause_2_4_head_base_from_tier_staff_base_assessed_and_criticism() {
    let records = facts()
        .replace(
            "2020-12-23,district_tier,,党政办,,,,,,,0,",
            "2020-12-23,district_tier,,党政办,,,,,,,2,",
        )
        .replace(
            "2020-12-21,head_assessed,A,,,,,200,",
            "2020-12-21,head_assessed,A,,,,,180,",
        )
        + "2020-03-03,superior_criticism,A,,,,,,,,,,,,,,,\n2020-04-03,superior_criticism,,党政办,,,,,,,,,,,,,,\n";
    let r = run(DASHUIPO, ROSTER, &records);
    // H heads 党政办: 200 - 15 × 2 = 170. A: assessed 180.
    assert_eq!(r.item("H", 1, "business"), Some(d("170")));
    assert_eq!(r.item("A", 1, "business"), Some(d("180")));
    // March: A criticised: 180 - 30. April: the department: every member, head included.
    assert_eq!(r.item("A", 3, "business"), Some(d("150")));
    assert_eq!(r.item("H", 3, "business"), Some(d("170")));
    assert_eq!(r.item("A", 4, "business"), Some(d("150")));
    assert_eq!(r.item("H", 4, "business"), Some(d("140")));
    // The other department is untouched.
    assert_eq!(r.item("L", 4, "business"), Some(d("200")));
}

#[test]
fn clause_2_4_department_complaint_twenty_to_staff_forty_to_head() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&["2020-05-05,complaint,,经发办,,,,,,,,department,,,,,,"]),
    );
    assert_eq!(r.item("L", 5, "business"), Some(d("180")));
    assert_eq!(r.item("P", 5, "business"), Some(d("180")));
    assert_eq!(r.item("T", 5, "business"), Some(d("180")));
    assert_eq!(r.item("V", 5, "business"), Some(d("160")));
    assert_eq!(r.item("A", 5, "business"), Some(d("200")));
}

#[test]
fn clause_2_4_personal_complaint_twenty_to_person_thirty_to_head() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-05-05,complaint,L,,,,,,,,,personal,,,,,,",
            "2020-06-05,complaint,V,,,,,,,,,personal,,,,,,",
        ]),
    );
    // L -20; the head of L's department (V) -30.
    assert_eq!(r.item("L", 5, "business"), Some(d("180")));
    assert_eq!(r.item("V", 5, "business"), Some(d("170")));
    // A complaint against the head himself: both apply, -50.
    assert_eq!(r.item("V", 6, "business"), Some(d("150")));
    assert_eq!(r.item("P", 5, "business"), Some(d("200")));
}

#[test]
fn clause_3_1_special_contribution_adds_its_points() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&["2020-08-08,special_contribution,A,,,,,,,,,,150,,,,,"]),
    );
    assert_eq!(r.month("A", 8), d("1150"));
    // Out of 100..200 is refused when the records are read.
    let err = try_run(
        DASHUIPO,
        ROSTER,
        &with(&["2020-08-08,special_contribution,A,,,,,,,,,,90,,,,,"]),
    )
    .err()
    .unwrap();
    assert!(err.contains("records.csv:"), "{err}");
}

#[test]
fn clause_3_2_honor_highest_of_the_same_award_counts_in_its_month() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-04-01,honor,,党政办,,,,,,,,,,city,文明单位,,,",
            "2020-11-01,honor,,党政办,,,,,,,,,,province,文明单位,,,",
            "2020-06-01,honor,,党政办,,,,,,,,,,city,档案工作,,,",
        ]),
    );
    // 文明单位: only the province award (+40), in November; 档案工作: city (+10) in June.
    for p in ["A", "H"] {
        assert_eq!(r.month(p, 4), d("1000"));
        assert_eq!(r.month(p, 11), d("1040"));
        assert_eq!(r.month(p, 6), d("1010"));
    }
    assert_eq!(r.month("L", 11), d("1000"));
}

#[test]
fn clause_3_3_to_3_5_meetings_inspections_experience() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-03-01,onsite_meeting,,经发办,,,,,,,,,,nation,,,,",
            "2020-04-01,inspection_host,,经发办,,,,,,,,,,province,,,,",
            "2020-05-01,experience_forwarded,A,,,,,,,,,,,prefecture,,,,",
        ]),
    );
    assert_eq!(r.month("L", 3), d("1200"));
    assert_eq!(r.month("V", 4), d("1040"));
    assert_eq!(r.month("A", 5), d("1040"));
    assert_eq!(r.month("A", 3), d("1000"));
}

#[test]
fn clause_3_6_checks_reward_or_take_by_role() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-06-01,party_building_check,L,,,,,,,,,,,weihai,,good,,",
            "2020-07-01,party_building_check,L,,,,,,,,,,,wendeng,,poor,,",
            "2020-06-01,grassroots_check,P,,,,,,,,,,,wendeng,,good,,",
            "2020-06-01,party_building_check,A,,,,,,,,,,,weihai,,good,,",
        ]),
    );
    assert_eq!(r.month("L", 6), d("1050"));
    assert_eq!(r.month("L", 7), d("950"));
    assert_eq!(r.month("P", 6), d("1020"));
    // A is not 包村干部: the party-building reward is not for A.
    assert_eq!(r.month("A", 6), d("1000"));
}

#[test]
fn clause_3_7_flags_for_sanctions_and_criticised_temporary_staff() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-02-01,superior_criticism,T,,,,,,,,,,,,,,,",
            "2020-03-01,superior_criticism,T,,,,,,,,,,,,,,,",
            "2020-04-01,superior_criticism,T,,,,,,,,,,,,,,,",
            "2020-02-01,superior_criticism,L,,,,,,,,,,,,,,,",
            "2020-03-01,superior_criticism,L,,,,,,,,,,,,,,,",
            "2020-04-01,superior_criticism,L,,,,,,,,,,,,,,,",
            "2020-09-09,sanction,A,,,,,,,,,,20,,,,,",
        ]),
    );
    let dismissal = vec!["予辞退".to_string()];
    // A year-window flag shows in every month and on the year.
    assert_eq!(r.person("T").months[0].flags, dismissal);
    assert_eq!(r.person("T").annual.flags, dismissal);
    // L is not temporary staff.
    assert!(r.person("L").annual.flags.is_empty());
    assert_eq!(
        r.person("A").months[0].flags,
        vec!["取消评先资格".to_string()]
    );
}

#[test]
fn clause_3_8_to_3_10_bonus_assignment_secretary() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-10-01,investment_bonus,A,,,,,,,,,,35.5,,,,,",
            "2020-10-02,temp_assignment,A,,,,,,,,,,,,,,,",
            "2020-10-03,temp_assignment,A,,,,,,,,,,,,,,,",
            "2020-11-01,village_secretary,L,,,,,,,,,,30,,,,,",
        ]),
    );
    assert_eq!(r.month("A", 10), d("1055.5"));
    assert_eq!(r.month("L", 11), d("1030"));
}

#[test]
fn clause_4_1_annual_is_the_mean_of_twelve_months_rounded_half_up() {
    // One adjustment of -10.5 in March: (12000 - 10.5) / 12 = 999.125, published 999.13 (half-up).
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&["2020-03-01,adjustment,A,,,,,,,,,,-10.5,,,,支部研究决定,"]),
    );
    assert_eq!(r.annual("A"), d("999.125"));
    assert_eq!(
        Exact::from_decimal(r.person("A").annual.published),
        d("999.13")
    );
}

#[test]
fn clause_4_2_sanction_takes_its_points_and_caps_the_grade() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&["2020-09-09,sanction,A,,,,,,,,,,30,,,,,"]),
    );
    // September 970; annual (12000 - 30) / 12 = 997.5: 五星级 by score, capped at 二星级.
    assert_eq!(r.month("A", 9), d("970"));
    assert_eq!(r.annual("A"), d("997.5"));
    assert_eq!(r.grade("A"), "二星级");
    assert_eq!(r.person("A").annual.grade_by_score, 0);
}

#[test]
fn clause_4_3_grades_are_read_off_the_published_annual() {
    // -600 in one month: (12000 - 600) / 12 = 950 exactly: 五星级 (>= 950).
    // -601 in one month: 949.916…, published 949.92: 四星级.
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-03-01,adjustment,A,,,,,,,,,,-600,,,,支部决定,",
            "2020-03-01,adjustment,H,,,,,,,,,,-601,,,,支部决定,",
            "2020-03-01,adjustment,L,,,,,,,,,,-3601,,,,支部决定,",
        ]),
    );
    assert_eq!(r.grade("A"), "五星级");
    assert_eq!(r.grade("H"), "四星级");
    // (12000 - 3601) / 12 = 699.916…: below 700, 零星级.
    assert_eq!(r.grade("L"), "零星级");
}

#[test]
fn clause_5_adjustment_gives_or_takes_with_a_reason() {
    let r = run(
        DASHUIPO,
        ROSTER,
        &with(&[
            "2020-06-01,adjustment,A,,,,,,,,,,25,,,,表现突出,",
            "2020-06-02,adjustment,A,,,,,,,,,,-5,,,,迟交材料,",
        ]),
    );
    assert_eq!(r.month("A", 6), d("1020"));
    // The reason is required.
    let err = try_run(
        DASHUIPO,
        ROSTER,
        &with(&["2020-06-01,adjustment,A,,,,,,,,,,25,,,,,"]),
    )
    .err()
    .unwrap();
    assert!(err.contains("reason"), "{err}");
}

#[test]
fn missing_fact_makes_the_result_not_final() {
    // No staff rating for A: the rating base cannot be computed.
    let records = facts().replace("2020-12-20,peer_rating,A,,,,,100,staff,,,,,,,,,\n", "");
    let r = run(DASHUIPO, ROSTER, &records);
    let a = r.person("A");
    assert!(!a.annual.is_final);
    assert!(!a.months[0].is_final);
    assert!(
        a.missing.iter().any(|m| m.contains("peer_rating")),
        "{:?}",
        a.missing
    );
    assert!(r.person("H").annual.is_final);
}
