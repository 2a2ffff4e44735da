//! Making one person's card: the months (or the one year card), then the year.

use super::*;

/// One person's card while it is made: what the months share (the problems found, each cap's
/// running total, the flags and the grade cap of the year), the scratch sums of the month, and
/// what explanations keep.
pub(super) struct Maker<'a, 'p> {
    pub(super) engine: &'a Engine<'p>,
    pub(super) p: usize,
    pub(super) person: &'a Person,
    pub(super) keep: bool,
    pub(super) fail: Failures<'a>,
    /// Per cap: what its rules counted so far in the cap's current period (always within it).
    pub(super) used: Few<Exact>,
    /// Per cap: its limit.
    pub(super) limits: Few<Exact>,
    /// Months may be made in whole millionths ([`Maker::integer_month`]): the engine allows it
    /// ([`Engine::integer_plan`]), no explanation is kept, and no record raised a flag, a grade
    /// cap or an override for the person.
    pub(super) integer: bool,
    /// The card of the first month in which nothing happened to the person, on a policy where
    /// all such months are alike ([`Engine::quiet_alike`]).
    pub(super) quiet_card: Option<MonthResult>,
    /// The months in which nothing happened to the person ([`Engine::quiet_months`]), on a
    /// policy where all such months are alike and when no explanation is kept; else none.
    pub(super) quiet_months: u16,
    /// Per rule whose condition is the same in every month ([`Engine::steady`]): what it gave,
    /// once asked. Held inline for a policy of up to sixteen rules: one is made per person.
    pub(super) steady: smallvec::SmallVec<[Option<expr::Result<bool>>; 16]>,
    /// Per item, what the person's roster row decides once for the year: `None` when the item
    /// does not apply to them, else its budget and the base that applies (if one is written).
    pub(super) setup: Few<Option<ItemSetup<'a>>>,
    /// The month's points per item, before the clamp.
    pub(super) sums: Few<Exact>,
    /// Per item: a `zero` hit it this month.
    pub(super) zero: Few<bool>,
    pub(super) when_hits: Vec<WhenHit>,
    pub(super) capped: Vec<Withheld>,
    pub(super) parts: Vec<Vec<Option<ItemTrace>>>,
    pub(super) year_flags: BTreeSet<usize>,
    /// The first rule (by month, then policy order) that raised each flag of the year.
    pub(super) flag_rules: BTreeMap<usize, (u8, usize)>,
    /// The lowest grade any rule allows, the first month it was raised, and the rule that did.
    pub(super) grade_cap: Option<(usize, u8, usize)>,
    /// The lowest grade any rule set (`grade 零星级`), the first month, and the rule.
    pub(super) set_grade: Option<(usize, u8, usize)>,
    /// The lowest score any rule set (`score 0`), the first month, and the rule.
    pub(super) set_score: Option<(Decimal, u8, usize)>,
    /// The lowest score a demotion allows (`demote to C`: C's lowest score), the first month,
    /// and the rule.
    pub(super) floor: Option<(Decimal, u8, usize)>,
    /// The first exclusion raised (its reason's index), its month, and the rule.
    pub(super) excluded: Option<(usize, u8, usize)>,
}

/// The condition and effects of a `when` rule the card decides month by month; `None` for any
/// other rule, and for a `when` rule with `valid` (a balance card's steps give entries instead).
pub(super) fn monthly_when(body: &RuleBody) -> Option<(&crate::check::model::Expr, &[Effect])> {
    match body {
        RuleBody::When {
            condition,
            effects,
            validity: None,
        } => Some((condition, effects)),
        _ => None,
    }
}

/// An item's budget and its base that applies, for one person.
pub(super) type ItemSetup<'a> = (Exact, Option<(usize, &'a crate::check::model::Base)>);

/// [`Maker::setup`] for `person`.
pub(super) fn item_setup<'a>(engine: &Engine<'a>, person: &Person) -> Few<Option<ItemSetup<'a>>> {
    let policy = engine.policy;
    engine
        .items
        .iter()
        .map(|&(s, i)| {
            let item = &policy.sections[s].items[i];
            let applies = item
                .applies
                .as_ref()
                .is_none_or(|a| roster_holds(a, person));
            applies.then(|| (Exact::from_decimal(item.budget), base_for(item, person)))
        })
        .collect()
}

impl Maker<'_, '_> {
    fn raise_flag(&mut self, flag: usize, month: u8, rule: usize) {
        let first = self.flag_rules.entry(flag).or_insert((month, rule));
        *first = (*first).min((month, rule));
    }

    fn raise_grade_cap(&mut self, grade: usize, month: u8, rule: usize) {
        if self
            .grade_cap
            .is_none_or(|(c, cm, cr)| grade > c || (grade == c && (month, rule) < (cm, cr)))
        {
            self.grade_cap = Some((grade, month, rule));
        }
    }

    /// A grade or score set for the year: the lowest grade, the lowest score, the earliest on a tie.
    fn raise_override(&mut self, o: Override, month: u8, rule: usize) {
        match o {
            Override::Grade(g) => {
                if self
                    .set_grade
                    .is_none_or(|(c, cm, cr)| g > c || (g == c && (month, rule) < (cm, cr)))
                {
                    self.set_grade = Some((g, month, rule));
                }
            }
            Override::Exclude(t) => {
                if self
                    .excluded
                    .is_none_or(|(_, cm, cr)| (month, rule) < (cm, cr))
                {
                    self.excluded = Some((t, month, rule));
                }
            }
            Override::Score(n) => {
                if self
                    .set_score
                    .is_none_or(|(c, cm, cr)| n < c || (n == c && (month, rule) < (cm, cr)))
                {
                    self.set_score = Some((n, month, rule));
                }
            }
            Override::Floor(n) => {
                if self
                    .floor
                    .is_none_or(|(c, cm, cr)| n < c || (n == c && (month, rule) < (cm, cr)))
                {
                    self.floor = Some((n, month, rule));
                }
            }
        }
    }

    /// Adds points where a rule of `home` puts them: into its item, or outside the items.
    fn book(
        &mut self,
        home: Home,
        from_total: bool,
        points: Exact,
        outside: &mut Exact,
        what: &str,
        month: u8,
    ) {
        match (home, from_total) {
            (Home::Item(i), false) => {
                self.sums[i] = self.fail.add(self.sums[i], points, || what, Some(month));
            }
            _ => *outside = self.fail.add(*outside, points, || what, Some(month)),
        }
    }

    /// Month `m` (0-based): the engine's sums, then the rules the card decides (capped, guarded
    /// and `when` rules), then the items' bases and clamps.
    pub(super) fn month(
        &mut self,
        m: usize,
        month_final: bool,
        env: &CardEnv<'_, '_>,
    ) -> MonthResult {
        let month = (m + 1) as u8;
        // A month in which nothing happened to the person, on a policy where all such months
        // are alike: the card of the first one, again.
        let quiet = (self.quiet_months >> m) & 1 == 1;
        if let Some(alike) = self.quiet_card.as_ref().filter(|_| quiet) {
            let mut card = alike.clone();
            card.month = month;
            card.is_final = month_final;
            self.reset_caps(month);
            return card;
        }
        let noted = (self.fail.errors.len(), self.fail.gaps.len());
        let integer = if self.integer {
            self.integer_month(m, month_final, env)
        } else {
            None
        };
        let card = match integer {
            Some(card) => card,
            None => self.general_month(m, month_final, env),
        };
        // Kept only if the month noted nothing: a problem is told at the first month it is met.
        if quiet && noted == (self.fail.errors.len(), self.fail.gaps.len()) {
            self.quiet_card = Some(card.clone());
        }
        card
    }

    /// Month `m` (0-based) in exact fractions, whatever the policy and the records.
    fn general_month(&mut self, m: usize, month_final: bool, env: &CardEnv<'_, '_>) -> MonthResult {
        let engine = self.engine;
        let policy = engine.policy;
        let p = self.p;
        let month = (m + 1) as u8;
        let (mut outside, mut flags) = self.month_start(m);
        for &r in &engine.decided {
            if engine.rule_applies[r].as_ref().is_some_and(|a| !a[p]) {
                continue;
            }
            if let Some(acc) = engine.capped(r, p, m) {
                self.held_or_capped(r, acc, env, month, &mut outside);
            } else {
                self.when_rule(r, env, month, &mut outside, &mut flags);
            }
        }
        let (items, total) = self.items(env, month, outside);
        self.year_flags.extend(flags.iter().copied());
        MonthResult {
            month,
            total: total.into(),
            published: self.fail.publish(policy, total, Some(month)),
            items,
            outside: outside.into(),
            flags: flags
                .iter()
                .map(|f| engine.flag_texts[*f].clone())
                .collect(),
            is_final: month_final,
        }
    }

    /// The caps whose period begins in `month` start again from nothing.
    fn reset_caps(&mut self, month: u8) {
        for (l, c) in self.engine.policy.caps.iter().enumerate() {
            if c.period.starts(month) {
                self.used[l] = Exact::ZERO;
            }
        }
    }

    /// One card for a stretch of months (`card year`: the twelve; `card quarter`: a quarter's
    /// three), `envs` being the stretch's months in order: every month's records in order (so
    /// that caps and guards count as the months go), then the `when` rules once, then the items'
    /// bases and clamps once. Returns the card's exact total, its points outside the items, the
    /// items' scores and the card's flags.
    pub(super) fn period_card(
        &mut self,
        envs: &[CardEnv<'_, '_>],
    ) -> (Exact, Exact, ItemScores, BTreeSet<usize>) {
        let engine = self.engine;
        let (p, n_items) = (self.p, engine.items.len());
        let mut sums: Few<Exact> = smallvec::smallvec![Exact::ZERO; n_items];
        let mut zero: Few<bool> = smallvec::smallvec![false; n_items];
        let mut outside = Exact::ZERO;
        let mut flags = BTreeSet::new();
        let what = || match engine.policy.card {
            Period::Quarter => crate::tr!("the points of the quarter", "本季度的分"),
            _ => crate::tr!("the points of the year", "全年的分"),
        };
        for env in envs {
            let m = env.month;
            let month = (m + 1) as u8;
            let (mut month_outside, month_flags) = self.month_start(m);
            flags.extend(month_flags);
            for r in 0..engine.rules.len() {
                if engine.rule_applies[r].as_ref().is_some_and(|a| !a[p]) {
                    continue;
                }
                if let Some(acc) = engine.capped(r, p, m) {
                    self.held_or_capped(r, acc, env, month, &mut month_outside);
                }
            }
            for (total, s) in sums.iter_mut().zip(&self.sums) {
                *total = self.fail.add(*total, *s, what, Some(month));
            }
            for (z, y) in zero.iter_mut().zip(&self.zero) {
                *z |= *y;
            }
            outside = self.fail.add(outside, month_outside, what, Some(month));
        }
        self.sums = sums;
        self.zero = zero;
        if let Some(env) = envs.last() {
            let last = (env.month + 1) as u8;
            for r in 0..engine.rules.len() {
                // Only `when` rules: the others were counted month by month above.
                if engine.rule_applies[r].as_ref().is_none_or(|a| a[p]) {
                    self.when_rule(r, env, last, &mut outside, &mut flags);
                }
            }
            let (items, total) = self.items(env, last, outside);
            self.year_flags.extend(flags.iter().copied());
            return (total, outside, items, flags);
        }
        (Exact::ZERO, Exact::ZERO, ItemScores::default(), flags)
    }

    /// The start of month `m` (0-based): the caps whose period begins, the engine's sums of the
    /// month into `sums` and `zero`, and the flags, grade caps and overrides its records raised.
    /// Returns the points outside the items and the month's flags.
    fn month_start(&mut self, m: usize) -> (Exact, BTreeSet<usize>) {
        let engine = self.engine;
        let (p, n_items) = (self.p, engine.items.len());
        let month = (m + 1) as u8;
        self.reset_caps(month);
        let outside = match engine.item_sums(p, m, &mut self.sums) {
            Ok(o) => o,
            Err(g) => {
                self.fail.note(
                    g,
                    crate::tr!("the points of the month", "当月的分"),
                    Some(month),
                );
                self.sums.clear();
                self.sums.resize(n_items, Exact::ZERO);
                Exact::ZERO
            }
        };
        self.zero.clear();
        self.zero.extend_from_slice(engine.zeroed(p, m));
        let mut flags: BTreeSet<usize> = BTreeSet::new();
        for &(fm, f, r) in engine.flags.of(p) {
            if fm == month {
                flags.insert(f);
                self.raise_flag(f, month, r);
            }
        }
        for &(cm, g, r) in engine.caps.of(p) {
            if cm == month {
                self.raise_grade_cap(g, month, r);
            }
        }
        for &(om, o, r) in engine.overrides.of(p) {
            if om == month {
                self.raise_override(o, month, r);
            }
        }
        (outside, flags)
    }

    /// A `per` rule whose points the engine summed apart: its guard may hold them back, its cap
    /// counts what takes the cap's running total towards its limit, by size.
    fn held_or_capped(
        &mut self,
        r: usize,
        acc: expr::Result<Exact>,
        env: &CardEnv<'_, '_>,
        month: u8,
        outside: &mut Exact,
    ) {
        let rr = &self.engine.rules[r];
        let RuleBody::Per { cap, guard, .. } = &rr.rule.body else {
            return;
        };
        let what = rr.rule.text.as_str();
        let raw = acc.unwrap_or_else(|g| {
            self.fail.note(g, what, Some(month));
            Exact::ZERO
        });
        // Nothing counted this month: the cap's running total stays where it is (always within
        // the cap), and nothing is booked or kept for an explanation.
        if raw.is_zero() {
            return;
        }
        let held = guard.as_ref().is_some_and(|g| match expr::truth(g, env) {
            Ok(holds) => !holds,
            Err(gap) => {
                self.fail.note(gap, what, Some(month));
                true
            }
        });
        let policy = self.engine.policy;
        // On a balance card a cap over a year took its part off each entry as the entries were
        // settled; what is valid on the day counts whole.
        let cap = cap.as_ref().filter(|c| {
            !(policy.balance
                && policy
                    .caps
                    .get(**c)
                    .is_some_and(|c| c.period != Period::Month))
        });
        let counted = match (held, cap) {
            (true, _) => Exact::ZERO,
            (false, None) => raw,
            (false, Some(cap_id)) => {
                let limit = self.limits[*cap_id];
                let before = self.used[*cap_id];
                let after = self
                    .fail
                    .add(before, raw, || what, Some(month))
                    .clamp(limit.checked_neg().unwrap_or(Exact::ZERO), limit);
                self.used[*cap_id] = after;
                // Both within the cap, so the difference fits.
                after.checked_sub(before).unwrap_or(Exact::ZERO)
            }
        };
        if self.keep {
            self.capped.push(Withheld {
                rule: r,
                month,
                raw,
                counted,
                held,
            });
        }
        self.book(
            rr.home,
            rr.rule.body.from_total(),
            counted,
            outside,
            what,
            month,
        );
    }

    /// A `when` rule: its effects, in a month where its condition holds.
    fn when_rule(
        &mut self,
        r: usize,
        env: &CardEnv<'_, '_>,
        month: u8,
        outside: &mut Exact,
        flags: &mut BTreeSet<usize>,
    ) {
        let engine = self.engine;
        let rr = &engine.rules[r];
        let Some((condition, effects)) = monthly_when(&rr.rule.body) else {
            return;
        };
        let what = rr.rule.text.as_str();
        match self.holds(r, condition, env) {
            Ok(true) => {}
            Ok(false) => return,
            Err(g) => return self.fail.note(g, what, Some(month)),
        }
        for effect in effects {
            match effect {
                Effect::Points {
                    amount, from_total, ..
                } => {
                    let a = match expr::number(amount, env) {
                        Ok(a) => a,
                        Err(g) => {
                            self.fail.note(g, what, Some(month));
                            continue;
                        }
                    };
                    if self.keep {
                        self.when_hits.push(WhenHit {
                            rule: r,
                            month,
                            points: a,
                            zero: false,
                            outside: *from_total || rr.home == Home::Adjustments,
                        });
                    }
                    self.book(rr.home, *from_total, a, outside, what, month);
                }
                Effect::Zero => {
                    if let Home::Item(i) = rr.home {
                        self.zero[i] = true;
                        if self.keep {
                            self.when_hits.push(WhenHit {
                                rule: r,
                                month,
                                points: Exact::ZERO,
                                zero: true,
                                outside: false,
                            });
                        }
                    }
                }
                Effect::Flag(t) => {
                    if let Some(id) = engine.flag_texts.iter().position(|x| x == t) {
                        flags.insert(id);
                        self.raise_flag(id, month, r);
                    }
                }
                Effect::GradeCap(g) => self.raise_grade_cap(*g, month, r),
                Effect::SetGrade(g) => self.raise_override(Override::Grade(*g), month, r),
                Effect::SetScore(n) => self.raise_override(Override::Score(*n), month, r),
                Effect::Demote { grade, floor } => {
                    self.raise_grade_cap(*grade, month, r);
                    self.raise_override(Override::Floor(*floor), month, r);
                }
                // Only on a balance card's `per` rules, which the engine counts.
                Effect::Freeze(_) => {}
                Effect::Exclude(t) => {
                    if let Some(id) = engine.flag_texts.iter().position(|x| x == t) {
                        self.raise_override(Override::Exclude(id), month, r);
                    }
                }
            }
        }
    }

    /// Whether the condition of `when` rule `r` holds this month: asked once a year when it is
    /// the same in every month ([`Engine::steady`]).
    pub(super) fn holds(
        &mut self,
        r: usize,
        condition: &crate::check::model::Expr,
        env: &CardEnv<'_, '_>,
    ) -> expr::Result<bool> {
        match self.steady.get_mut(r) {
            Some(steady) if self.engine.steady.get(r).copied().unwrap_or(false) => steady
                .get_or_insert_with(|| expr::truth(condition, env))
                .clone(),
            _ => expr::truth(condition, env),
        }
    }

    /// Every item's score for the month (its base plus its points, clamped to 0..budget, or 0
    /// when zeroed) and the month's total.
    fn items(&mut self, env: &CardEnv<'_, '_>, month: u8, outside: Exact) -> (ItemScores, Exact) {
        let engine = self.engine;
        let policy = engine.policy;
        let n_items = engine.items.len();
        let mut items = ItemScores::with_capacity(n_items);
        let mut item_parts = Vec::with_capacity(if self.keep { n_items } else { 0 });
        let mut total = outside;
        for (flat, &(s, i)) in engine.items.iter().enumerate() {
            let item = &policy.sections[s].items[i];
            let Some((budget, base_rule)) = self.setup.get(flat).copied().flatten() else {
                items.push(None);
                if self.keep {
                    item_parts.push(None);
                }
                continue;
            };
            let base = match base_rule {
                None => budget,
                Some((_, b)) => expr::number(&b.value, env).unwrap_or_else(|g| {
                    self.fail.note(g, &b.text, Some(month));
                    Exact::ZERO
                }),
            };
            let what = || {
                crate::tr!(
                    format!("the points of item `{}`", item.id),
                    format!("项目 `{}` 的分", item.id)
                )
            };
            let running = self.fail.add(base, self.sums[flat], what, Some(month));
            // An item scaled to its group's best (§32) is clamped after the scaling.
            let (score, relative) = if item.scaled.is_some() {
                self.scaled(flat, running, budget, month)
            } else if self.zero[flat] {
                (Exact::ZERO, None)
            } else {
                (running.clamp(Exact::ZERO, budget), None)
            };
            // An item of a section booked in a ledger (`in money`, §30) is not in the points.
            if policy.sections[s].ledger.is_none() {
                total = self.fail.add(
                    total,
                    score,
                    || crate::tr!("the total", "总分"),
                    Some(month),
                );
            }
            items.push(Some(score));
            if self.keep {
                let before = relative.map_or(running, |(_, scaled)| scaled);
                let clamp = score.checked_sub(before).unwrap_or_else(|| {
                    self.fail.note(Gap::Overflow, &what(), Some(month));
                    Exact::ZERO
                });
                item_parts.push(Some(ItemTrace {
                    base_rule: base_rule.map(|(b, _)| b),
                    base,
                    effects: self.sums[flat],
                    running,
                    score,
                    clamp,
                    zeroed: self.zero[flat],
                    relative,
                }));
            }
        }
        if self.keep {
            self.parts.push(item_parts);
        }
        (items, total)
    }
}
