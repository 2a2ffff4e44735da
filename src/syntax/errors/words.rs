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
// Long on purpose: one arm per grammar rule, exhaustively; a new rule must be named here.
pub(super) fn word(r: Rule) -> &'static str {
    match r {
        Rule::EOI => crate::tr!("the end of the file", "文件结尾"),
        Rule::policy_decl | Rule::kw_policy => "`policy`",
        Rule::annual_decl | Rule::kw_annual => "`annual`",
        Rule::round_decl | Rule::kw_round => "`round`",
        Rule::card_decl | Rule::kw_card => {
            crate::tr!("`card month` or `card year`", "`card month` 或 `card year`")
        }
        Rule::kw_balance => "`balance`",
        // Like a guard, `valid` and `repeat` are left out of what could follow a rule's effects:
        // they belong to balance cards only, and the list is long enough.
        Rule::validity | Rule::repeat => "",
        Rule::valid_from => crate::tr!("`from` and a date field", "`from` 加一个日期字段"),
        Rule::valid_since | Rule::kw_since => {
            crate::tr!("`since` and a date field", "`since` 加一个日期字段")
        }
        Rule::valid_until | Rule::kw_until => {
            crate::tr!("`until` and a date field", "`until` 加一个日期字段")
        }
        Rule::kw_valid => "",
        Rule::duration_table | Rule::duration_entry => {
            crate::tr!(
                "a table of durations (`{ <= 40: 1 year, else: 2 years }`)",
                "期限对照表（`{ <= 40: 1 year, else: 2 years }`）"
            )
        }
        Rule::duration | Rule::time_unit | Rule::kw_years | Rule::kw_months | Rule::kw_days => {
            crate::tr!(
                "a duration (`1 year`, `6 months`, `30 days`)",
                "期限（`1 year`、`6 months`、`30 days`）"
            )
        }
        Rule::kw_repeat => "",
        // Ledgers (§30) are left out of what could come next, as `valid` is: the lists of what
        // may start a declaration or follow a number stay as they were.
        Rule::ledger_decl | Rule::derive_decl | Rule::kw_ledger | Rule::kw_derive => "",
        Rule::booked | Rule::convert => "",
        Rule::roster_decl | Rule::kw_roster => "`roster`",
        Rule::record_decl | Rule::kw_record => "`record`",
        Rule::section_decl | Rule::kw_section => "`section`",
        Rule::item_decl | Rule::kw_item => "`item`",
        Rule::adjustments_decl | Rule::kw_adjustments => "`adjustments`",
        Rule::grades_decl | Rule::kw_grades => "`grades`",
        Rule::band => crate::tr!(
            "a grade band (`五星级 >= 950 \"…\"`)",
            "等次档（`五星级 >= 950 \"…\"`）"
        ),
        Rule::threshold => crate::tr!("`>=` or `>` and a threshold", "`>=` 或 `>` 加分数线"),
        Rule::quota | Rule::kw_top => crate::tr!("a quota (`top 20%`)", "名额比例（`top 20%`）"),
        Rule::kw_of => crate::tr!("`of` and a roster column", "`of` 加花名册的一列"),
        Rule::kw_year => "`year`",
        Rule::kw_total => "`total`",
        Rule::rounding => crate::tr!(
            "a rounding mode (`half-up`, `half-even`, `down`, `up`)",
            "取舍方式（`half-up`、`half-even`、`down`、`up`）"
        ),
        Rule::subjects | Rule::subject => crate::tr!(
            "whom the record names (`person`, `department`, `town`)",
            "记录的对象（`person`、`department`、`town`）"
        ),
        Rule::kw_by => "`by`",
        Rule::record_body => crate::tr!("`{` and the record's fields", "`{` 和记录的字段"),
        Rule::open => "`{`",
        Rule::field => crate::tr!(
            "a field (`days: whole days >= 1`)",
            "字段（`days: whole days >= 1`）"
        ),
        Rule::field_type | Rule::scalar_type | Rule::enum_type | Rule::head_type => {
            crate::tr!(
                "a type (`points`, `days`, `text`, `a | b`, …)",
                "类型（`points`、`days`、`text`、`a | b` 等）"
            )
        }
        Rule::optional | Rule::kw_optional => "`optional`",
        Rule::range | Rule::within => {
            crate::tr!("a range (`0..100`, `>= 1`)", "取值范围（`0..100`、`>= 1`）")
        }
        Rule::signed => crate::tr!("a number", "数字"),
        Rule::rule => crate::tr!(
            "a rule (`per …`, `when …`, `base …`)",
            "条款（`per …`、`when …`、`base …`）"
        ),
        Rule::citation => crate::tr!("a clause citation (`[2.1.1]`)", "条款编号（`[2.1.1]`）"),
        Rule::clause_id => crate::tr!("a clause id like `2.1.1`", "像 `2.1.1` 这样的条款编号"),
        Rule::per_rule | Rule::kw_per => "`per`",
        Rule::when_rule | Rule::kw_when => "`when`",
        Rule::base_rule | Rule::kw_base => "`base`",
        Rule::events | Rule::event => crate::tr!("a record kind", "记录类型"),
        Rule::filter | Rule::kw_where => "`where`",
        Rule::effects | Rule::amount => crate::tr!(
            "an effect (`-5`, `+level {…}`, `zero`, `flag \"…\"`)",
            "扣加分或处理（`-5`、`+level {…}`、`zero`、`flag \"…\"`）"
        ),
        Rule::sign => crate::tr!("`+` or `-` before the amount", "分值前的 `+` 或 `-`"),
        Rule::zero | Rule::kw_zero => "`zero`",
        Rule::flag | Rule::kw_flag => "`flag`",
        Rule::grade_cap | Rule::kw_grade => "`grade at most …`",
        Rule::grade_set => "`grade …`",
        Rule::score_set | Rule::kw_score => "`score …`",
        Rule::demote | Rule::kw_demote => "`demote to …`",
        Rule::freeze | Rule::kw_freeze => "`freeze …`",
        Rule::exclude | Rule::kw_exclude => "`exclude \"…\"`",
        Rule::kw_at => "`at`",
        Rule::kw_most => "`most`",
        Rule::target | Rule::kw_to => "`to`",
        Rule::from_total | Rule::kw_from => "`from total`",
        Rule::cap | Rule::kw_cap | Rule::cap_decl => "`cap`",
        Rule::period => crate::tr!(
            "`in year`, `in quarter` or `in month`",
            "`in year`、`in quarter` 或 `in month`"
        ),
        Rule::kw_quarter => "`quarter`",
        Rule::highest | Rule::kw_highest => "`highest per …`",
        // Like a guard, `once ID` is left out of the list of what may follow a rule's effects:
        // the list names the common continuations, and a group is declared before it is named.
        Rule::once | Rule::kw_once => "",
        Rule::once_decl => "`once …`",
        Rule::rank_decl | Rule::kw_rank => "`rank …`",
        Rule::rank_by => "`by …`",
        Rule::lowest | Rule::kw_lowest => "`lowest`",
        Rule::place_points => "points by place (`+{ 1: 10, 2: 8 }`)",
        Rule::place_entry => "a place and its points (`1: 10`)",
        Rule::scaled | Rule::kw_scaled | Rule::item_scaled => "`scaled …`",
        Rule::applies | Rule::kw_for => "`for`",
        // Where a guard could follow, a `when` rule could too: "a rule (`per …`, `when …`, …)"
        // already says `when`.
        Rule::guard => "",
        Rule::expr | Rule::term | Rule::paren => crate::tr!("an expression", "表达式"),
        Rule::or | Rule::kw_or => "`or`",
        Rule::and | Rule::kw_and => "`and`",
        Rule::le | Rule::ge | Rule::ne | Rule::eq | Rule::lt | Rule::gt => {
            crate::tr!("a comparison", "比较符号")
        }
        Rule::add | Rule::sub | Rule::mul | Rule::div => crate::tr!("an operator", "运算符"),
        Rule::not | Rule::kw_not => "`not`",
        Rule::neg => "`-`",
        Rule::window | Rule::kw_in => "`in`",
        Rule::kw_month => "`month`",
        Rule::member => crate::tr!("a set (`{a, b}`)", "集合（`{a, b}`）"),
        Rule::table => crate::tr!("a table (`{ city: 10, … }`)", "对照表（`{ city: 10, … }`）"),
        Rule::entry | Rule::kw_else => {
            crate::tr!("a table entry (`city: 10`)", "对照表的一项（`city: 10`）")
        }
        Rule::bound => crate::tr!("a bound (`>= 300`)", "界限（`>= 300`）"),
        Rule::aggregate | Rule::agg_fn => crate::tr!(
            "an aggregate (`count(…)`, `sum(…)`)",
            "统计（`count(…)`、`sum(…)`）"
        ),
        Rule::kw_count | Rule::kw_sum | Rule::kw_mean | Rule::kw_min | Rule::kw_max => {
            crate::tr!(
                "an aggregate (`count(…)`, `sum(…)`)",
                "统计（`count(…)`、`sum(…)`）"
            )
        }
        Rule::call | Rule::func | Rule::kw_floor | Rule::kw_ceil => {
            crate::tr!(
                "a function (`min(…)`, `max(…)`, `floor(…)`, `ceil(…)`, `round(…)`)",
                "函数（`min(…)`、`max(…)`、`floor(…)`、`ceil(…)`、`round(…)`）"
            )
        }
        Rule::path => crate::tr!("a name", "名称"),
        Rule::string | Rule::inner => {
            crate::tr!("a quoted text (`\"…\"`)", "带引号的文字（`\"…\"`）")
        }
        Rule::number | Rule::integer => crate::tr!("a number", "数字"),
        Rule::clock => crate::tr!("a time of day (`9:00`)", "时刻（`9:00`）"),
        Rule::ident | Rule::reserved => crate::tr!("a name", "名称"),
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
