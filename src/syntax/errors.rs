//! pest's errors, said in words a policy writer knows.

use super::Rule;
use super::chars;
use crate::diag::{Code, Diag};
use crate::syntax::ast::Span;
use pest::error::{ErrorVariant, InputLocation};

/// How the parser should set the broken text aside before trying again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recovery {
    /// Blank the line around this offset (or its declaration, if the line opens or closes a block).
    Line(usize),
    /// A block whose `{` is missing: blank from the line of its header (the first offset) to the
    /// `}` that would have closed it, found from the second offset on.
    Unopened(usize, usize),
}

pub fn convert(err: &pest::error::Error<Rule>, text: &str) -> (Diag, Recovery) {
    let at = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let at = at.min(text.len());
    let found = found_at(text, at);
    let expected = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => expected_words(positives),
        ErrorVariant::CustomError { message } => vec![message.clone()],
    };
    if let Some(special) = found.and_then(|tok| reserved_as_name(tok, &expected, at)) {
        return (special, Recovery::Line(at));
    }
    if let Some(special) = unclosed_citation(found, text, at) {
        return (special, Recovery::Line(at));
    }
    let unseen = found
        .and_then(|tok| tok.chars().next())
        .filter(|&c| chars::invisible(c));
    let what = match (found, unseen) {
        (_, Some(c)) => chars::describe(c),
        (Some(tok), None) => match tok.char_indices().nth(40) {
            Some((cut, _)) => format!("`{}…`", &tok[..cut]),
            None => format!("`{tok}`"),
        },
        (None, _) => "the end of the file".to_string(),
    };
    let wants_open = matches!(&err.variant, ErrorVariant::ParsingError { positives, .. }
        if positives.contains(&Rule::open));
    if let Some(unopened) = wants_open.then(|| unopened_block(text, at)).flatten() {
        return unopened;
    }
    // When what comes next starts a new line and a new rule or block, the mistake is at the end of
    // the line before (`cap` without its number, a header without `{`): point there. At the end of
    // the file, point at the last thing written.
    let unfinished = match found {
        Some(tok) if starts_something(tok) => previous_token(text, at, true),
        Some(_) => None,
        None => previous_token(text, at, false),
    };
    let wanted = if expected.is_empty() {
        String::new()
    } else {
        crate::diag::join_or(&expected)
    };
    let message = match (unfinished, wanted.is_empty()) {
        (_, true) => format!("unexpected {what}"),
        (Some(prev), false) if found.is_some() => {
            let prev = &text[prev.start..prev.end];
            if prev.starts_with('"')
                || prev.chars().count() > 24
                || prev.chars().any(chars::invisible)
            {
                format!("expected {wanted} at the end of the line")
            } else {
                format!("expected {wanted} after `{prev}`")
            }
        }
        _ => format!("expected {wanted}, found {what}"),
    };
    let mut diag = match unfinished {
        Some(prev) => Diag::error(Code::Syntax, prev, message).label(match found {
            Some(_) => "something is missing after this",
            None => "the file ends after this",
        }),
        None => {
            let span = Span::new(at, at + found.map_or(0, str::len));
            Diag::error(Code::Syntax, span, message).label(match (found, unseen) {
                (_, Some(c)) if c.is_whitespace() => "not an ordinary space",
                (_, Some(_)) => "an invisible character",
                (Some(_), None) => "not expected here",
                (None, _) => "the file ends here",
            })
        }
    };
    if let Some(help) = help_for(
        found,
        &expected,
        text,
        at,
        unfinished.map_or(at, |p| p.start),
    ) {
        diag = diag.help(help);
    }
    let recovery = match (unfinished, found) {
        (Some(prev), Some(_)) => Recovery::Line(prev.start),
        _ => Recovery::Line(at),
    };
    (diag, recovery)
}

/// A reserved word where a name was expected (`record per "…"`, `item for "…"`): said as such, with
/// how to rename it.
fn reserved_as_name(tok: &str, expected: &[String], at: usize) -> Option<Diag> {
    use pest::Parser;
    let wants_name = expected.iter().any(|e| {
        e == "a name"
            || e == "a record kind"
            || e.starts_with("a field")
            || e.starts_with("a grade band")
            || e.starts_with("a table entry")
            || e.starts_with("a type")
    });
    let reserved = super::PolicyParser::parse(Rule::reserved, tok)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_some_and(|pair| pair.as_str().len() == tok.len());
    if !wants_name || !reserved {
        return None;
    }
    Some(
        Diag::error(
            Code::Syntax,
            Span::new(at, at + tok.len()),
            format!("`{tok}` is a reserved word and cannot be a name"),
        )
        .label("reserved word")
        .help(format!(
            "rename it, here and wherever it is used: `{tok}_1`, a longer word or a Chinese name \
             (reserved: {})",
            RESERVED.join(", ")
        )),
    )
}

/// The words the grammar reserves (`reserved` in grammar/policy.pest).
pub(super) const RESERVED: &[&str] = &[
    "per",
    "when",
    "base",
    "for",
    "in",
    "where",
    "to",
    "from",
    "cap",
    "zero",
    "flag",
    "grade",
    "highest",
    "and",
    "or",
    "not",
    "item",
    "section",
    "record",
    "roster",
    "grades",
    "adjustments",
    "policy",
    "else",
];

/// A clause citation whose `]` is missing (`[2.1.2 per late -5`): pest sees only that the rule
/// cannot start with `[`.
fn unclosed_citation(found: Option<&str>, text: &str, at: usize) -> Option<Diag> {
    if found != Some("[") {
        return None;
    }
    let rest = text[at + 1..].trim_start_matches([' ', '\t']);
    let body = text.len() - rest.len();
    // Written with the Chinese input mode (`[2。1。2]`, `[2.1.2】`): say what to write.
    let cited = rest
        .find(|c: char| c.is_whitespace() || c == '\n')
        .map_or(rest, |i| &rest[..i]);
    let cited = cited.find(['】', '］', ']']).map_or(cited, |i| {
        &cited[..i + cited[i..].chars().next().map_or(0, char::len_utf8)]
    });
    let fixed = chars::to_ascii(cited);
    if fixed != cited && fixed.starts_with(|c: char| c.is_ascii_digit()) {
        let fixed = fixed.trim_end_matches(']');
        return Some(
            Diag::error(
                Code::Syntax,
                Span::new(at, body + cited.len()),
                format!("the clause citation `[{cited}` is typed with Chinese punctuation"),
            )
            .label("Chinese punctuation in the citation")
            .help(format!("write `[{fixed}]`")),
        );
    }
    let id_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let id = rest[..id_len].trim_end_matches('.');
    let after = rest[id_len..].trim_start_matches([' ', '\t']);
    if id.is_empty() || after.starts_with(']') {
        return None;
    }
    Some(
        Diag::error(
            Code::Syntax,
            Span::new(at, body + id.len()),
            format!("the clause citation `[{id}` is missing its `]`"),
        )
        .label("`]` missing after this")
        .help(format!("close it: `[{id}]`")),
    )
}

/// Whether a token begins a rule, a block or a declaration: after an unfinished line, this is
/// where pest notices, one line too late.
fn starts_something(tok: &str) -> bool {
    matches!(
        tok,
        "[" | "}"
            | "per"
            | "when"
            | "base"
            | "item"
            | "section"
            | "adjustments"
            | "record"
            | "roster"
            | "grades"
            | "policy"
            | "annual"
            | "round"
    )
}

/// The last token before `at`, skipping white space and comments, when it does not open or close a
/// block (and, with `other_line`, only when it is on an earlier line).
fn previous_token(text: &str, at: usize, other_line: bool) -> Option<Span> {
    let mut end = at;
    let mut crossed_line = false;
    loop {
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let code = strip_comment(&text[line_start..end]);
        let trimmed = code.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
        if !trimmed.is_empty() {
            end = line_start + trimmed.len();
            break;
        }
        if line_start == 0 {
            return None;
        }
        crossed_line = true;
        end = line_start - 1;
    }
    if other_line && !crossed_line {
        return None;
    }
    let before = &text[..end];
    let last = before.chars().next_back()?;
    if matches!(last, '{' | '}') {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '-';
    let start = if last == '"' {
        // a quoted text: back to its opening quote
        before[..end - 1].rfind('"').unwrap_or(end - 1)
    } else if is_word(last) {
        before
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_word(c))
            .last()
            .map_or(end - last.len_utf8(), |(i, _)| i)
    } else {
        end - last.len_utf8()
    };
    Some(Span::new(start, end))
}

/// A line without its `#` comment (a `#` inside a quoted text is kept).
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '#' {
            return &line[..i];
        }
    }
    line
}

/// The report for a block whose `{` is missing, the parser having expected one at `at`: pointed at
/// the end of the block's header, which is the last line with code before `at` (comment and blank
/// lines in between do not count). `None` when that line heads no block.
fn unopened_block(text: &str, at: usize) -> Option<(Diag, Recovery)> {
    let mut end = at;
    let (line_start, header) = loop {
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let code = strip_comment(&text[line_start..end]).trim();
        if !code.is_empty() || line_start == 0 {
            break (line_start, code);
        }
        end = line_start - 1;
    };
    let block = match header.split_whitespace().next()? {
        "item" if header.contains(" for ") => "item's `for` condition",
        "item" => "item budget",
        "section" => "section budget",
        "adjustments" => "block's label",
        "grades" => "word `grades`",
        "roster" => "word `roster`",
        _ => return None,
    };
    // The header's last word, where the `{` belongs.
    let header_end = text[line_start..]
        .find(header)
        .map_or(at, |i| line_start + i + header.len());
    let last = header.rsplit(char::is_whitespace).next().unwrap_or(header);
    let span = Span::new(header_end - last.len(), header_end);
    let diag = Diag::error(
        Code::Syntax,
        span,
        format!("expected `{{` after the {block}"),
    )
    .label("`{` expected after this")
    .help(format!(
        "open the block at the end of its first line: `{header} {{`"
    ));
    Some((diag, Recovery::Unopened(line_start, at)))
}

/// The token at `at`: a word, a number, or a single other character.
fn found_at(text: &str, at: usize) -> Option<&str> {
    let rest = &text[at..];
    let first = rest.chars().next()?;
    let punct = |c: char| !c.is_alphanumeric() && chars::ime(c).is_some();
    let len = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len())
    } else if punct(first) {
        // a run typed in the Chinese input mode, as `＞＝`
        rest.find(|c: char| !punct(c)).unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    Some(&rest[..len])
}

fn expected_words(rules: &[Rule]) -> Vec<String> {
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

/// A hint for the common slips: Chinese punctuation, a missing sign, a missing `:`, quotes or brace.
/// `at` is where parsing stopped, `problem` where the mistake is reported.
fn help_for(
    found: Option<&str>,
    expected: &[String],
    text: &str,
    at: usize,
    problem: usize,
) -> Option<String> {
    if let Some(tok) = found {
        if let Some(help) = char_help(tok, text, at) {
            return Some(help);
        }
    }
    let starts_with_digit = found.is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
    if expected
        .iter()
        .any(|e| e.contains("`+` or `-`") || (starts_with_digit && e.starts_with("an effect")))
    {
        return Some("write the sign of the points: `-5` takes points, `+5` gives them".into());
    }
    if found == Some("\"") {
        let rest = &text[at + 1..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        return Some(match line.split_once('"') {
            Some((name, _)) if expected.iter().any(|e| e == "a name") => {
                format!("names are written without quotes: `{name}`")
            }
            Some(_) => "a quoted text is not expected here".into(),
            None => "a quoted text ends with `\"` on the same line; close it there".into(),
        });
    }
    if let Some(tok) = found.filter(|t| t.starts_with(|c: char| c.is_alphanumeric() || c == '_')) {
        if expected.iter().any(|e| e.starts_with("a quoted text")) {
            return Some(format!("put the text in double quotes: `\"{tok}\"`"));
        }
    }
    let line_start = text[..problem].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[problem..]
        .find('\n')
        .map_or(text.len(), |i| problem + i);
    let line = strip_comment(&text[line_start..line_end]);
    let rule = line.trim_start();
    let rule = match rule.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or(rest, |(_, r)| r),
        None => rule,
    };
    let when_without_colon = rule.trim_start().starts_with("when ") && !line.contains(':');
    if when_without_colon {
        return Some(
            "a `when` rule puts `:` between its condition and its effect: `when count(absent) in year > 5: zero`"
                .into(),
        );
    }
    let operator = |t: &str| {
        matches!(
            t,
            "*" | "/" | "+" | "=" | "<" | ">" | "!" | ":" | "," | ")" | "and" | "or"
        )
    };
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = strip_comment(&text[line_start..at]);
    let open = before.matches('(').count();
    let closed = before.matches(')').count();
    // A `(` is unclosed only if the whole line has more `(` than `)`: one closed after the place
    // where parsing stopped is not missing.
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let whole = strip_comment(&text[line_start..line_end]);
    let unclosed = whole.matches('(').count() > whole.matches(')').count();
    if found == Some(")") && closed >= open {
        return Some("this `)` closes no `(`; delete it".into());
    }
    if let Some(tok) = found {
        if expected.iter().any(|e| e == "an expression") && operator(tok) {
            return Some(format!(
                "`{tok}` needs a value before it: a number, a field or an aggregate like `count(late)`"
            ));
        }
        if open > closed && unclosed && tok != "(" {
            return Some("a `(` is not closed: add `)` where the bracketed part ends".into());
        }
        let word = tok.starts_with(|c: char| c.is_alphanumeric() || c == '_');
        if word && expected.iter().any(|e| e.starts_with("a rule")) {
            return Some(format!(
                "the rule is complete before `{tok}`: delete it, or start a new rule with `per`, `when` or `base`"
            ));
        }
    }
    if found.is_none() && text[..at].matches('{').count() > text[..at].matches('}').count() {
        return Some("a `{` is not closed: add `}` at the end of the block".into());
    }
    None
}

/// A hint for a character the language does not have but the writer meant another: an invisible
/// one, or one typed in the Chinese input mode.
fn char_help(tok: &str, text: &str, at: usize) -> Option<String> {
    let first = tok.chars().next()?;
    if chars::invisible(first) {
        return Some(chars::invisible_help(first));
    }
    if first == '。' {
        // Between numbers, as in `[2。1。2]`, it stands for `.`.
        let is_id = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || c == '。';
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_id(c) || c == '.')
            .last()
            .map_or(at, |(i, _)| i);
        let end = text[at..]
            .find(|c: char| !(is_id(c) || c == '.'))
            .map_or(text.len(), |i| at + i);
        let run = &text[start..end];
        let fixed = chars::to_ascii(run);
        return Some(if fixed.contains('.') && start < at {
            format!("`。` is the Chinese full stop; write `.` between the numbers: `{fixed}`")
        } else {
            format!("remove the Chinese full stop `{tok}`")
        });
    }
    if first == '%' || first == '％' {
        return Some(
            "a percentage is written as a number: `50%` is `0.5` (or `* 50 / 100`)".to_string(),
        );
    }
    if first == '&' || first == '＆' {
        return Some(format!("`{tok}` is not an operator here; write `and`"));
    }
    if first == '；' {
        return Some(
            "`；` is Chinese punctuation and the policy language has no `;`: separate effects with \
             `,` and start each rule on its own line"
                .to_string(),
        );
    }
    if tok.chars().count() == 1 {
        let (ascii, kind) = chars::ime(first)?;
        return Some(format!("`{tok}` is {kind}; write `{ascii}` instead"));
    }
    let fixed = chars::to_ascii(tok);
    (fixed != tok).then(|| {
        format!("`{tok}` is typed in full width (the Chinese input mode); write `{fixed}` instead")
    })
}
