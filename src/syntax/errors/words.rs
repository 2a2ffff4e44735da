//! What each grammar rule is called in a message: the words for what was expected.

use super::*;

pub(super) fn expected_words(rules: &[Rule]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for r in rules {
        let w = word(*r);
        if !w.is_empty() && !words.iter().any(|x| x == w) {
            words.push(w.to_string());
        }
    }
    // Where a rule may start, a rule's guard may too (`… -5 when count(x) = 0`): "a rule (`per
    // …`, `when …`, …)" says `when` already.
    if words.iter().any(|w| w == word(Rule::rule)) {
        words.retain(|w| w != word(Rule::kw_when));
    }
    words
}

/// What each grammar rule is called when it is missing.
// One arm per grammar rule, exhaustively: a table, and a new rule must be named here.
fn word(r: Rule) -> &'static str {
    match r {
        Rule::EOI => "the end of the file",
        Rule::policy_decl | Rule::kw_policy => "`policy`",
        Rule::annual_decl | Rule::kw_annual => "`annual`",
        Rule::round_decl | Rule::kw_round => "`round`",
        Rule::card_decl | Rule::kw_card => "`card month` or `card year`",
        Rule::kw_balance => "`balance`",
        // Like a guard, `valid` and `repeat` are left out of what could follow a rule's effects:
        // they belong to balance cards only, and the list is long enough.
        Rule::validity | Rule::repeat => "",
        Rule::valid_from => "`from` and a date field",
        Rule::kw_valid => "",
        Rule::duration_table | Rule::duration_entry => {
            "a table of durations (`{ <= 40: 1 year, else: 2 years }`)"
        }
        Rule::duration | Rule::time_unit | Rule::kw_years | Rule::kw_months | Rule::kw_days => {
            "a duration (`1 year`, `6 months`, `30 days`)"
        }
        Rule::kw_repeat => "",
        Rule::roster_decl | Rule::kw_roster => "`roster`",
        Rule::record_decl | Rule::kw_record => "`record`",
        Rule::section_decl | Rule::kw_section => "`section`",
        Rule::item_decl | Rule::kw_item => "`item`",
        Rule::adjustments_decl | Rule::kw_adjustments => "`adjustments`",
        Rule::grades_decl | Rule::kw_grades => "`grades`",
        Rule::band => "a grade band (`五星级 >= 950 \"…\"`)",
        Rule::threshold => "`>=` or `>` and a threshold",
        Rule::quota | Rule::kw_top => "a quota (`top 20%`)",
        Rule::kw_of => "`of` and a roster column",
        Rule::kw_year => "`year`",
        Rule::kw_total => "`total`",
        Rule::rounding => "a rounding mode (`half-up`, `half-even`, `down`, `up`)",
        Rule::subjects | Rule::subject => "whom the record names (`person`, `department`, `town`)",
        Rule::kw_by => "`by`",
        Rule::record_body => "`{` and the record's fields",
        Rule::open => "`{`",
        Rule::field => "a field (`days: whole days >= 1`)",
        Rule::field_type | Rule::scalar_type | Rule::enum_type | Rule::head_type => {
            "a type (`points`, `days`, `text`, `a | b`, …)"
        }
        Rule::optional | Rule::kw_optional => "`optional`",
        Rule::range | Rule::within => "a range (`0..100`, `>= 1`)",
        Rule::signed => "a number",
        Rule::rule => "a rule (`per …`, `when …`, `base …`)",
        Rule::citation => "a clause citation (`[2.1.1]`)",
        Rule::clause_id => "a clause id like `2.1.1`",
        Rule::per_rule | Rule::kw_per => "`per`",
        Rule::when_rule | Rule::kw_when => "`when`",
        Rule::base_rule | Rule::kw_base => "`base`",
        Rule::events | Rule::event => "a record kind",
        Rule::filter | Rule::kw_where => "`where`",
        Rule::effects | Rule::amount => "an effect (`-5`, `+level {…}`, `zero`, `flag \"…\"`)",
        Rule::sign => "`+` or `-` before the amount",
        Rule::zero | Rule::kw_zero => "`zero`",
        Rule::flag | Rule::kw_flag => "`flag`",
        Rule::grade_cap | Rule::kw_grade => "`grade at most …`",
        Rule::grade_set => "`grade …`",
        Rule::score_set | Rule::kw_score => "`score …`",
        Rule::exclude | Rule::kw_exclude => "`exclude \"…\"`",
        Rule::kw_at => "`at`",
        Rule::kw_most => "`most`",
        Rule::target | Rule::kw_to => "`to`",
        Rule::from_total | Rule::kw_from => "`from total`",
        Rule::cap | Rule::kw_cap | Rule::cap_decl => "`cap`",
        Rule::period => "`in year`, `in quarter` or `in month`",
        Rule::kw_quarter => "`quarter`",
        Rule::highest | Rule::kw_highest => "`highest per …`",
        // Like a guard, `once ID` is left out of the list of what may follow a rule's effects:
        // the list names the common continuations, and a group is declared before it is named.
        Rule::once | Rule::kw_once => "",
        Rule::once_decl => "`once …`",
        Rule::applies | Rule::kw_for => "`for`",
        // Where a guard could follow, a `when` rule could too: "a rule (`per …`, `when …`, …)"
        // already says `when`.
        Rule::guard => "",
        Rule::expr | Rule::term | Rule::paren => "an expression",
        Rule::or | Rule::kw_or => "`or`",
        Rule::and | Rule::kw_and => "`and`",
        Rule::le | Rule::ge | Rule::ne | Rule::eq | Rule::lt | Rule::gt => "a comparison",
        Rule::add | Rule::sub | Rule::mul | Rule::div => "an operator",
        Rule::not | Rule::kw_not => "`not`",
        Rule::neg => "`-`",
        Rule::window | Rule::kw_in => "`in`",
        Rule::kw_month => "`month`",
        Rule::member => "a set (`{a, b}`)",
        Rule::table => "a table (`{ city: 10, … }`)",
        Rule::entry | Rule::kw_else => "a table entry (`city: 10`)",
        Rule::bound => "a bound (`>= 300`)",
        Rule::aggregate | Rule::agg_fn => "an aggregate (`count(…)`, `sum(…)`)",
        Rule::kw_count | Rule::kw_sum | Rule::kw_mean | Rule::kw_min | Rule::kw_max => {
            "an aggregate (`count(…)`, `sum(…)`)"
        }
        Rule::call | Rule::func | Rule::kw_floor | Rule::kw_ceil => {
            "a function (`min(…)`, `max(…)`, `floor(…)`, `ceil(…)`, `round(…)`)"
        }
        Rule::path => "a name",
        Rule::string | Rule::inner => "a quoted text (`\"…\"`)",
        Rule::number | Rule::integer => "a number",
        Rule::clock => "a time of day (`9:00`)",
        Rule::ident | Rule::reserved => "a name",
        Rule::whole | Rule::kw_whole => "`whole`",
        Rule::not_scored | Rule::kw_scored => "`not scored`",
        Rule::WHITESPACE | Rule::COMMENT | Rule::file | Rule::at_least | Rule::at_most => "",
        Rule::decl
        | Rule::effect
        | Rule::modifier
        | Rule::infix
        | Rule::prefix
        | Rule::postfix
        | Rule::primary
        | Rule::unseen => "",
    }
}
