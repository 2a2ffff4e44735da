//! Finishing one person's card: the year from its months.

use super::*;

impl Maker<'_, '_> {
    /// The year: the annual formula over the months, its rounding, the grade with any grade cap,
    /// the flags, and what was missing (which leaves the results not final).
    /// `card_total`: the year's card, on a policy with one card a year (there is then no annual
    /// formula and no month).
    pub(super) fn finish(
        self,
        mut months: Vec<MonthResult>,
        year_final: bool,
        card_total: Option<Exact>,
    ) -> Card {
        let Maker {
            engine,
            p,
            person,
            mut fail,
            parts,
            when_hits,
            capped,
            year_flags,
            flag_rules,
            grade_cap,
            set_grade,
            set_score,
            floor,
            excluded,
            ..
        } = self;
        let policy = engine.policy;
        let annual_total = annual_total(policy, &mut fail, &months, card_total);
        // A demotion's lowest score holds the result at most there: a score set to it.
        let set_score = demoted(set_score, floor, annual_total);
        let by_formula = fail.publish(policy, annual_total, None);
        // A score set for the year replaces what the formula gave, exactly.
        // It is published like any result: rounded with the policy's `round`.
        let (formula_total, (annual_total, published)) = match set_score {
            Some((n, _, _)) => {
                let set = Exact::from_decimal(n);
                (annual_total, (set, fail.publish(policy, set, None)))
            }
            None => (annual_total, (annual_total, by_formula)),
        };
        let grade_by_score = grade_of(policy, published);
        let grade = set_grade.map_or(grade_by_score, |(g, _, _)| g);
        let grade = grade_cap.map_or(grade, |(c, _, _)| grade.max(c));
        let Failures { gaps, errors, .. } = fail;
        let missing = missing(engine, p, person, &gaps, errors);
        let complete = missing.is_empty();
        for m in &mut months {
            m.is_final &= complete;
        }
        Card {
            result: PersonResult {
                person: p,
                annual: AnnualResult {
                    total: annual_total,
                    published,
                    grade,
                    grade_by_score,
                    grade_cap: grade_cap.map(|(g, m, _)| (g, m)),
                    set_grade: set_grade.map(|(g, m, _)| (g, m)),
                    set_score: set_score.map(|(_, m, _)| Box::new((formula_total, by_formula, m))),
                    floor: floor.map(|(f, _, _)| f),
                    before_ranks: None,
                    quota: Vec::new(),
                    ranks: Vec::new(),
                    excluded: excluded.map(|(t, m, _)| {
                        Box::new((engine.flag_texts.get(t).cloned().unwrap_or_default(), m))
                    }),
                    flags: year_flag_texts(engine, excluded, &year_flags),
                    is_final: year_final && complete,
                },
                months,
                year_card: None,
                missing,
            },
            parts,
            when_hits,
            capped,
            flag_rules: flag_rules
                .into_iter()
                .map(|(f, (_, r))| (engine.flag_texts[f].clone(), r))
                .collect(),
            cap_rule: grade_cap.map(|(_, _, r)| r),
            set_grade_rule: set_grade.map(|(_, _, r)| r),
            set_score_rule: set_score.map(|(_, _, r)| r),
            exclude_rule: excluded.map(|(_, _, r)| r),
            year_card: None,
            reading: None,
        }
    }
}

/// The year's total before any score set for it: the card's on a policy with one card a year,
/// else the annual formula over the months' totals (zero, noted in `fail`, if it cannot be
/// computed).
fn annual_total(
    policy: &Policy,
    fail: &mut Failures<'_>,
    months: &[MonthResult],
    card_total: Option<Exact>,
) -> Exact {
    match card_total {
        Some(t) => t,
        None => expr::number(&policy.annual, &MonthsEnv(months)).unwrap_or_else(|g| {
            let what = crate::tr!(
                format!("the annual formula `{}`", policy.annual_text),
                format!("年度公式 `{}`", policy.annual_text)
            );
            fail.note(g, &what, None);
            Exact::ZERO
        }),
    }
}

/// What the year still lacks, one line per missing fact; a fact recorded more than once where the
/// policy reads one value goes to `errors` instead.
fn missing(
    engine: &Engine<'_>,
    p: usize,
    person: &Person,
    gaps: &BTreeSet<Gap>,
    errors: &mut Vec<Diag>,
) -> Vec<String> {
    let policy = engine.policy;
    let mut missing = Vec::new();
    for g in gaps {
        match g {
            Gap::Missing(id) => {
                let text = &policy.aggregates[*id].text;
                missing.push(crate::tr!(
                    format!("no record for `{text}`"),
                    format!("还没有 `{text}` 的记录")
                ))
            }
            Gap::DivisionByZero | Gap::Overflow | Gap::Reported => {}
            Gap::Repeated(id) => {
                let agg = &policy.aggregates[*id];
                let kind = &policy.kinds[agg.kind].id;
                errors.push(scoring_problem(
                    Code::RepeatedFact,
                    engine.fact_origins(*id, p).get(1).copied(),
                    crate::tr!(
                        format!(
                            "`{}` is recorded more than once for `{}`, but the policy reads one value (`{}`)",
                            kind, person.id, agg.text
                        ),
                        format!(
                            "`{}` 给 `{}` 记了不止一次，但政策文件只读一个值（`{}`）",
                            kind, person.id, agg.text
                        )
                    ),
                    Some(crate::tr!(
                        format!("keep one `{kind}` record and delete the others"),
                        format!("只留一条 `{kind}` 记录，删掉其余的")
                    )),
                ));
            }
        }
    }
    missing
}

/// The year's flags as written. An exclusion's reason leads them, where every output shows it.
fn year_flag_texts(
    engine: &Engine<'_>,
    excluded: Option<(usize, u8, usize)>,
    year_flags: &BTreeSet<usize>,
) -> Vec<String> {
    excluded
        .map(|(t, _, _)| t)
        .into_iter()
        .chain(
            year_flags
                .iter()
                .copied()
                .filter(|f| Some(*f) != excluded.map(|e| e.0)),
        )
        .map(|f| engine.flag_texts[f].clone())
        .collect()
}

/// The score set for the year once a demotion (`demote to C`) is taken into account: C's lowest
/// score `floor` when it is below what the year would publish otherwise (the score set, else
/// the formula's `total`), else the score set as it was.
fn demoted(
    set_score: Option<(Decimal, u8, usize)>,
    floor: Option<(Decimal, u8, usize)>,
    total: Exact,
) -> Option<(Decimal, u8, usize)> {
    let Some((f, fm, fr)) = floor else {
        return set_score;
    };
    let above = match set_score {
        Some((n, _, _)) => f < n,
        None => Exact::from_decimal(f) < total,
    };
    if above { Some((f, fm, fr)) } else { set_score }
}
