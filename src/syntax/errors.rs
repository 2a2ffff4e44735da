//! pest's errors, said in words a policy writer knows.

use super::Rule;
use crate::diag::{Code, Diag};
use crate::syntax::ast::Span;
use pest::error::{ErrorVariant, InputLocation};

pub fn convert(err: &pest::error::Error<Rule>, text: &str) -> Diag {
    let at = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let at = at.min(text.len());
    let found = found_at(text, at);
    let span = Span::new(at, at + found.map_or(0, str::len));
    let expected = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => expected_words(positives),
        ErrorVariant::CustomError { message } => vec![message.clone()],
    };
    let what = match found {
        Some(tok) => format!("`{tok}`"),
        None => "the end of the file".to_string(),
    };
    let message = if let Some(block) = open_brace_missing(text, at) {
        format!("expected `{{` after the {block}, found {what}")
    } else if expected.is_empty() {
        format!("unexpected {what}")
    } else {
        format!("expected {}, found {what}", join_or(&expected))
    };
    let mut diag = Diag::error(Code::Syntax, span, message).label(match found {
        Some(_) => "not expected here",
        None => "the file ends here",
    });
    if let Some(help) = help_for(found, &expected, text, at) {
        diag = diag.help(help);
    }
    diag
}

/// Whether the error comes right after a section's or an item's header (its budget, or its
/// `for …`), where the block's `{` belongs; the grammar only names `for` there, which misleads.
fn open_brace_missing(text: &str, at: usize) -> Option<&'static str> {
    let before = &text[..at];
    let line_start = before.trim_end().rfind('\n').map_or(0, |i| i + 1);
    let line = before[line_start..].trim();
    let ends_like_header = line.ends_with(|c: char| c.is_ascii_digit() || c == '}');
    if !ends_like_header || line.contains('{') && !line.contains(" for ") {
        return None;
    }
    if line.starts_with("item ") {
        Some("item budget")
    } else if line.starts_with("section ") {
        Some("section budget")
    } else {
        None
    }
}

/// The token at `at`: a word, a number, or a single other character.
fn found_at(text: &str, at: usize) -> Option<&str> {
    let rest = &text[at..];
    let first = rest.chars().next()?;
    let len = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    Some(&rest[..len])
}

fn join_or(words: &[String]) -> String {
    match words.len() {
        0 => String::new(),
        1 => words[0].clone(),
        n => format!("{} or {}", words[..n - 1].join(", "), words[n - 1]),
    }
}

fn expected_words(rules: &[Rule]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for r in rules {
        let w = word(*r);
        if !w.is_empty() && !words.iter().any(|x| x == w) {
            words.push(w.to_string());
        }
    }
    words
}

/// What each grammar rule is called when it is missing.
fn word(r: Rule) -> &'static str {
    match r {
        Rule::EOI => "the end of the file",
        Rule::policy_decl | Rule::kw_policy => "`policy`",
        Rule::annual_decl | Rule::kw_annual => "`annual`",
        Rule::round_decl | Rule::kw_round => "`round`",
        Rule::roster_decl | Rule::kw_roster => "`roster`",
        Rule::record_decl | Rule::kw_record => "`record`",
        Rule::section_decl | Rule::kw_section => "`section`",
        Rule::item_decl | Rule::kw_item => "`item`",
        Rule::adjustments_decl | Rule::kw_adjustments => "`adjustments`",
        Rule::grades_decl | Rule::kw_grades => "`grades`",
        Rule::band => "a grade band (`五星级 >= 950 \"…\"`)",
        Rule::kw_year => "`year`",
        Rule::kw_total => "`total`",
        Rule::rounding => "a rounding mode (`half-up`, `half-even`, `down`, `up`)",
        Rule::subjects | Rule::subject => "whom the record names (`person`, `department`, `town`)",
        Rule::kw_by => "`by`",
        Rule::record_body => "`{` and the record's fields",
        Rule::field => "a field (`days: whole days >= 1`)",
        Rule::field_type | Rule::scalar_type | Rule::enum_type => {
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
        Rule::kw_at => "`at`",
        Rule::kw_most => "`most`",
        Rule::target | Rule::kw_to => "`to`",
        Rule::from_total | Rule::kw_from => "`from total`",
        Rule::cap | Rule::kw_cap => "`cap`",
        Rule::highest | Rule::kw_highest => "`highest per …`",
        Rule::applies | Rule::kw_for => "`for`",
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
        Rule::aggregate | Rule::agg_fn => "an aggregate (`count(…)`, `sum(…)`)",
        Rule::kw_count | Rule::kw_sum | Rule::kw_mean | Rule::kw_min | Rule::kw_max => {
            "an aggregate (`count(…)`, `sum(…)`)"
        }
        Rule::path => "a name",
        Rule::string | Rule::inner => "a quoted text (`\"…\"`)",
        Rule::number | Rule::integer => "a number",
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
        | Rule::primary => "",
    }
}

/// A hint for the common slips: Chinese punctuation, a missing sign, a missing brace.
fn help_for(found: Option<&str>, expected: &[String], text: &str, at: usize) -> Option<String> {
    let replacement = |c: &str| match c {
        "“" | "”" => Some("\""),
        "，" => Some(","),
        "：" => Some(":"),
        "（" => Some("("),
        "）" => Some(")"),
        "【" => Some("["),
        "】" => Some("]"),
        "｛" => Some("{"),
        "｝" => Some("}"),
        "－" => Some("-"),
        "＋" => Some("+"),
        "。" => Some(""),
        _ => None,
    };
    if let Some(tok) = found {
        if let Some(r) = replacement(tok) {
            return Some(if r.is_empty() {
                format!("remove the Chinese full stop `{tok}`")
            } else {
                format!("`{tok}` is Chinese punctuation; write `{r}` instead")
            });
        }
    }
    let starts_with_digit = found.is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
    if expected
        .iter()
        .any(|e| e.contains("`+` or `-`") || (starts_with_digit && e.starts_with("an effect")))
    {
        return Some("write the sign of the points: `-5` takes points, `+5` gives them".into());
    }
    if found.is_none() && text[..at].matches('{').count() > text[..at].matches('}').count() {
        return Some("a `{` is not closed: add `}` at the end of the block".into());
    }
    None
}
