//! What each fuzz target checks, one function per target. The same file is compiled into the
//! crate's `tests/fuzz_regressions.rs`, so that a plain `cargo test` on stable replays the seeds
//! and every input the fuzzers ever found through exactly these checks.
//!
//! Each function takes the fuzzer's bytes and panics on what would be a bug: a panic inside tally,
//! or a broken promise (the formatter's laws, an explanation that does not add up to the total).

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use arbitrary::{Result as Arb, Unstructured};
use tally::check::Policy;
use tally::check::model::ValueType;
use tally::compile::compile as compile_policy;
use tally::diag::{self, Source};
use tally::eval::{Date, Options, Reading, Roster, days_in_month, evaluate, input};
use tally::exact::Exact;
use tally::fmt::{FmtError, format};
use tally::report::explain::{Context, Scope, render, unbalanced};
use tally::syntax::{self, ast::Ast};

/// The repository's root folder.
fn root() -> &'static Path {
    static ROOT: LazyLock<PathBuf> = LazyLock::new(|| {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        // Compiled in the fuzz crate (`fuzz/`) or in the crate's own tests (the root).
        if here.join("policies").is_dir() {
            here.to_path_buf()
        } else {
            here.join("..")
        }
    });
    &ROOT
}

/// A file of this process and thread under the temporary folder, for the library's readers, which
/// read paths. Removed by [`Scratch::drop`].
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, bytes: &[u8]) -> Scratch {
        let thread = format!("{:?}", std::thread::current().id());
        let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
        let dir = std::env::temp_dir().join(format!("tally-fuzz-{}-{thread}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("a temporary file");
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

// ------------------------------------------------------------------------------------- compile

/// Any bytes as a policy: read, parsed and checked without a panic; a policy comes back exactly
/// when there is no error; every diagnostic renders, as text and as JSON.
pub fn compile(data: &[u8]) {
    let compiled = compile_policy("fuzz.policy", data);
    let errors = compiled.diags.iter().filter(|d| d.is_error()).count();
    assert_eq!(
        compiled.policy.is_some(),
        errors == 0,
        "a policy with {errors} error(s) came back {}",
        if compiled.policy.is_some() {
            "checked"
        } else {
            "empty"
        }
    );
    let text = diag::render(&compiled.diags, &compiled.source, false);
    assert_eq!(text.is_empty(), compiled.diags.is_empty());
    for d in &compiled.diags {
        let _ = serde_json::to_string(&diag::to_json(d, &compiled.source)).expect("JSON");
    }
}

// ------------------------------------------------------------------------------------------ fmt

fn parse(text: &str) -> Option<Ast> {
    syntax::parse(&Source::new("fuzz.policy", text)).ok()
}

fn comments(ast: &Ast) -> Vec<String> {
    ast.comments
        .iter()
        .map(|c| c.text.trim_end().to_string())
        .collect()
}

/// Any bytes that read and parse as a policy: the formatter accepts them (its safety net never
/// refuses), formatting its result again changes nothing, the result parses to the same tree and
/// keeps every comment, in order.
pub fn fmt(data: &[u8]) {
    let Ok(source) = syntax::decode("fuzz.policy", data) else {
        return;
    };
    let Ok(ast) = syntax::parse(&source) else {
        return;
    };
    let out = match format(&source) {
        Ok(out) => out,
        Err(FmtError::WouldChange(why)) => {
            panic!(
                "the formatter refuses a policy that parses: {why}\n{}",
                source.text
            )
        }
        Err(FmtError::Syntax(_)) => panic!("parses, yet fmt says it does not"),
    };
    let again = format(&Source::new("fuzz.policy", &out))
        .unwrap_or_else(|e| panic!("the formatted text does not format: {e:?}\n{out}"));
    assert_eq!(again, out, "formatting twice changes the text");
    let formatted = parse(&out).expect("the formatted text parses");
    assert!(formatted.decls == ast.decls, "the tree changes:\n{out}");
    assert_eq!(
        comments(&formatted),
        comments(&ast),
        "the comments change:\n{out}"
    );
    assert!(out.is_empty() || (out.ends_with('\n') && !out.ends_with("\n\n")));
    assert!(!out.starts_with('\n') && !out.starts_with('\u{feff}'));
    for line in out.lines() {
        assert_eq!(line, line.trim_end(), "a trailing blank:\n{out}");
    }
}

// ---------------------------------------------------------------------------------- eval_explain

/// The policies we have that check without error, with their paths from the repository's root:
/// the shipped one first, then the benchmark's and every fixture that is only warned about (the
/// ledgers' among them).
fn policies() -> &'static [(String, Policy)] {
    static POLICIES: LazyLock<Vec<(String, Policy)>> = LazyLock::new(|| {
        let mut files = vec![
            "policies/dashuipo-2020.policy".to_string(),
            "examples/bench/bench.policy".to_string(),
        ];
        for dir in ["check", "fmt", "readme", "ledgers"] {
            let dir = format!("tests/fixtures/{dir}");
            let mut found: Vec<String> = std::fs::read_dir(root().join(&dir))
                .map(|entries| {
                    entries
                        .filter_map(|e| Some(e.ok()?.file_name().to_str()?.to_string()))
                        .filter(|name| name.ends_with(".policy"))
                        .map(|name| format!("{dir}/{name}"))
                        .collect()
                })
                .unwrap_or_default();
            found.sort();
            files.extend(found);
        }
        let policies: Vec<(String, Policy)> = files
            .into_iter()
            .filter_map(|p| {
                let policy = compile_policy("p.policy", &std::fs::read(root().join(&p)).ok()?);
                Some((p, policy.policy?))
            })
            .collect();
        assert!(policies.len() > 5, "only {} policies check", policies.len());
        policies
    });
    &POLICIES
}

const DEPARTMENTS: &[&str] = &["党政办公室", "经济发展办公室", "社会事务办公室", "x"];
const TEXTS: &[&str] = &[
    "备注",
    "a,b",
    "\"quoted\"",
    "=SUM(1;2)",
    "line\nbreak",
    "-2+3",
];

/// A cell for a value of this type: one the policy accepts, or now and then, when `hostile`, any
/// text at all.
fn cell(ty: &ValueType, optional: bool, hostile: bool, u: &mut Unstructured) -> Arb<String> {
    if optional && u.ratio(1, 4)? {
        return Ok(String::new());
    }
    if hostile && u.ratio(1, 16)? {
        return Ok(u.arbitrary::<&str>()?.to_string());
    }
    Ok(match ty {
        ValueType::Number {
            whole, min, max, ..
        } => {
            let lo = min.map_or(0, |m| m.trunc().try_into().unwrap_or(0i64));
            let hi = max.map_or(lo + 300, |m| m.trunc().try_into().unwrap_or(lo));
            let n = u.int_in_range(lo.min(hi)..=hi.max(lo))?;
            let frac = if *whole || n >= hi {
                ""
            } else {
                *u.choose(&["", ".5", ".25", ".125", ".3", ".01"])?
            };
            format!("{n}{frac}")
        }
        ValueType::Text => u.choose(TEXTS)?.to_string(),
        // Mostly false: a column such as `head` may be true for one person per department only.
        ValueType::Bool => u
            .choose(&["true", "false", "false", "false", "false"])?
            .to_string(),
        ValueType::Enum(values) if !values.is_empty() => u.choose(values)?.clone(),
        ValueType::Enum(_) => String::new(),
        // People are `P0`, `P1`, … (see `gen_roster`): one of the first, now and then a stranger.
        ValueType::Person => u.choose(&["P0", "P1", "P2", "P9"])?.to_string(),
        ValueType::Group => u.choose(&["王家", "李家", "张家"])?.to_string(),
        // Mostly false, as for `head`: a group has one head at most.
        ValueType::HeadOf(_) => u.choose(&["true", "false", "false", "false"])?.to_string(),
        // Times of day, and now and then one no clock shows.
        ValueType::Time => u
            .choose(&[
                "8:30", "08:30", "9:00", "17:05:30", "0:00", "23:59:59", "24:00", "9:60",
            ])?
            .to_string(),
        // A day a continuing fault ended: mostly in the year, now and then before it.
        ValueType::Date => u
            .choose(&[
                "2020-06-30",
                "2020-01-01",
                "2019-12-31",
                "2020-02-29",
                "2018-03-01",
            ])?
            .to_string(),
    })
}

fn csv_text(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(row).expect("CSV in memory");
    }
    w.into_inner().expect("CSV in memory")
}

/// A roster for the policy: ids, names, departments and a value for each column. Also how many
/// people, and the departments it names.
fn gen_roster(
    policy: &Policy,
    hostile: bool,
    u: &mut Unstructured,
) -> Arb<(Vec<u8>, usize, Vec<String>)> {
    let mut rows = vec![
        ["person", "name", "department"]
            .iter()
            .map(ToString::to_string)
            .chain(policy.columns.iter().map(|c| c.name.clone()))
            .collect::<Vec<String>>(),
    ];
    let people = u.int_in_range(1..=6)?;
    let mut departments: Vec<String> = Vec::new();
    for i in 0..people {
        let department = u.choose(DEPARTMENTS)?.to_string();
        if !departments.contains(&department) {
            departments.push(department.clone());
        }
        let mut row = vec![
            format!("P{i}"),
            u.choose(&["王建国", "李秀英", "张伟", "P0"])?.to_string(),
            department,
        ];
        for c in &policy.columns {
            row.push(cell(&c.ty, false, hostile, u)?);
        }
        rows.push(row);
    }
    Ok((csv_text(&rows), people, departments))
}

/// A date in the policy's year, or now and then, when `hostile`, one outside it or not a date.
fn gen_date(year: i32, hostile: bool, u: &mut Unstructured) -> Arb<String> {
    let month = u.int_in_range(1..=12u8)?;
    let day = u.int_in_range(1..=days_in_month(year, month))?;
    if !hostile {
        return Ok(format!("{year}-{month:02}-{day:02}"));
    }
    Ok(match u.int_in_range(0..=16u8)? {
        0 => format!("{}-{month:02}-{day:02}", year + 1),
        // An earlier year: refused, or on a balance card read while its entries are valid.
        3 => format!("{}-{month:02}-{:02}", year - 2, day.min(28)),
        1 => format!("{year}-{month:02}-{:02}", day + 3),
        2 => format!("{year}/{month}/{day}"),
        _ => format!("{year}-{month:02}-{day:02}"),
    })
}

/// Records for the policy's kinds, each naming a subject it may name.
fn gen_records(
    policy: &Policy,
    people: usize,
    departments: &[String],
    hostile: bool,
    u: &mut Unstructured,
) -> Arb<Vec<u8>> {
    let mut fields: Vec<String> = Vec::new();
    for k in &policy.kinds {
        for f in &k.fields {
            if !fields.contains(&f.name) {
                fields.push(f.name.clone());
            }
        }
    }
    let head: Vec<String> = ["date", "kind", "person", "department"]
        .iter()
        .map(ToString::to_string)
        .chain(fields.iter().cloned())
        .collect();
    let mut rows = vec![head];
    let count = u.int_in_range(0..=60)?;
    for _ in 0..count {
        if policy.kinds.is_empty() || u.is_empty() {
            break;
        }
        let kind = u.choose(&policy.kinds)?;
        let name = if u.ratio(1, 3)? {
            &kind.label
        } else {
            &kind.id
        };
        let mut subjects = Vec::new();
        let s = kind.subjects;
        for (allowed, which) in [(s.person, 0), (s.department, 1), (s.town, 2)] {
            if allowed {
                subjects.push(which);
            }
        }
        let which = if subjects.is_empty() {
            2
        } else {
            *u.choose(&subjects)?
        };
        let (person, department) = match which {
            0 => {
                let p = u.int_in_range(0..=people.saturating_sub(1))?;
                (format!("P{p}"), String::new())
            }
            1 if hostile => (String::new(), u.choose(DEPARTMENTS)?.to_string()),
            1 => (String::new(), u.choose(departments)?.clone()),
            _ => (String::new(), String::new()),
        };
        let mut row = vec![
            gen_date(policy.year, hostile, u)?,
            name.clone(),
            person,
            department,
        ];
        for f in &fields {
            row.push(match kind.fields.iter().find(|kf| &kf.name == f) {
                Some(kf) => cell(&kf.ty, kf.optional, hostile, u)?,
                None => String::new(),
            });
        }
        rows.push(row);
    }
    Ok(csv_text(&rows))
}

/// Checks one traced evaluation: it scores everybody as the evaluation without a trace does, every
/// period's tree adds up, its top line is the total the evaluation published, and it renders as
/// text and as JSON. Whether it evaluated.
fn check_explain(
    policy: &Policy,
    roster: &Roster,
    files: &[PathBuf],
    as_of: Date,
    person: usize,
) -> bool {
    let options = Options {
        as_of,
        trace: Some(person),
        encoding: input::Encoding::Auto,
        memory: Vec::new(),
        reading: Default::default(),
        threads: None,
    };
    let (outcome, trace) = match evaluate(policy, roster, files, &options) {
        Ok(done) => done,
        Err(problems) => {
            let show = std::env::var_os("TALLY_FUZZ_SHOW").is_some();
            for e in &problems.list {
                let text = tally::diag::plain(e);
                if show {
                    eprintln!("{text}");
                }
            }
            assert!(
                !problems.is_empty(),
                "an evaluation failed without saying why"
            );
            return false;
        }
    };
    assert_eq!(outcome.people.len(), roster.people.len());
    // Explaining somebody changes nobody's score.
    let plain = Options {
        as_of,
        trace: None,
        encoding: input::Encoding::Auto,
        memory: Vec::new(),
        reading: Default::default(),
        threads: None,
    };
    // The records read one by one on two threads give what the compiled reading gave.
    let one_by_one = Options {
        reading: Reading::OneByOne,
        threads: Some(2),
        ..plain.clone()
    };
    match (
        evaluate(policy, roster, files, &plain),
        evaluate(policy, roster, files, &one_by_one),
    ) {
        (Ok((a, _)), Ok((b, _))) => assert_eq!(
            format!("{:?}", a.people),
            format!("{:?}", b.people),
            "the compiled reading and the one-by-one reading differ"
        ),
        (Err(_), Err(_)) => {}
        _ => panic!("one reading fails where the other does not"),
    }
    match evaluate(policy, roster, files, &plain) {
        Ok((untraced, None)) => assert_eq!(
            format!("{:?}", untraced.people),
            format!("{:?}", outcome.people),
            "the scores differ when a person is traced"
        ),
        Ok((_, Some(_))) => panic!("a trace nobody asked for"),
        Err(_) => panic!("fails only when nobody is traced"),
    }
    let trace = trace.expect("a trace of the person asked for");
    let cx = Context {
        policy,
        roster,
        files,
        trace: &trace,
    };
    let result = &outcome.people[person];
    for scope in (1..=12).map(Scope::Month).chain([Scope::Year]) {
        // A tree whose lines need more digits than tally computes with is refused, never shown
        // wrong; the generated years stay far below that, so a refusal is a finding too.
        let tree = match cx.tree(scope) {
            Ok(tree) => tree,
            Err(why) => panic!("{scope:?}: explain refused the tree: {why}"),
        };
        let wrong = unbalanced(&tree);
        assert!(
            wrong.is_empty(),
            "{scope:?}: the lines do not add up: {wrong:?}"
        );
        // A month's line is its exact total; the year's is the published result, reached from
        // the exact monthly totals by one line for the annual formula and the rounding.
        let total = match scope {
            Scope::Month(m) => result.months[usize::from(m) - 1].total.get(),
            Scope::Year => Exact::from_decimal(result.annual.published),
        };
        assert_eq!(
            tree.points.as_deref(),
            Some(total.plain().as_str()),
            "{scope:?}: the explanation's total is not the published one"
        );
        let _ = render(&tree, policy.round_places);
        let _ = serde_json::to_string(&tree).expect("JSON");
    }
    true
}

/// One evaluation to check: a policy we have (its path), a roster and records for it, the report
/// day and the person explained. A regression file `NAME.case` holds one as text, as
/// `TALLY_FUZZ_SHOW=1` prints the case a fuzz input stands for.
pub struct Case {
    pub policy: String,
    pub as_of: Date,
    pub person: usize,
    pub roster: String,
    pub records: String,
}

impl std::fmt::Display for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "policy {}", self.policy)?;
        writeln!(f, "as-of {}", self.as_of)?;
        writeln!(f, "person {}", self.person)?;
        write!(
            f,
            "--- roster\n{}--- records\n{}",
            self.roster, self.records
        )
    }
}

impl Case {
    /// The case a fuzz input stands for, drawn from its bytes; `None` when they run out early.
    pub fn generate(data: &[u8]) -> Option<Case> {
        let mut u = Unstructured::new(data);
        let policies = policies();
        let mut draw = || -> Arb<Case> {
            // The shipped policy half the time.
            let which = if u.ratio(1, 2)? {
                0
            } else {
                u.choose_index(policies.len())?
            };
            let (path, policy) = &policies[which];
            // A quarter of the years have wrong cells and dates among the good ones.
            let hostile = u.ratio(1, 4)?;
            let (roster, people, departments) = gen_roster(policy, hostile, &mut u)?;
            let records = gen_records(policy, people, &departments, hostile, &mut u)?;
            let as_of = if u.ratio(3, 4)? {
                Date {
                    year: policy.year + 1,
                    month: 1,
                    day: u.int_in_range(1..=5)?,
                }
            } else {
                let month = u.int_in_range(1..=12)?;
                Date {
                    year: policy.year,
                    month,
                    day: u.int_in_range(1..=days_in_month(policy.year, month))?,
                }
            };
            Ok(Case {
                policy: path.clone(),
                as_of,
                person: u.int_in_range(0..=people.saturating_sub(1))?,
                roster: String::from_utf8_lossy(&roster).into_owned(),
                records: String::from_utf8_lossy(&records).into_owned(),
            })
        };
        draw().ok()
    }

    /// A case written as [`Case`]'s `Display` writes it.
    pub fn parse(text: &str) -> Option<Case> {
        let (head, rest) = text.split_once("--- roster\n")?;
        let (roster, records) = rest.split_once("--- records\n")?;
        let mut policy = None;
        let mut as_of = None;
        let mut person = None;
        for line in head.lines() {
            match line.split_once(' ')? {
                ("policy", p) => policy = Some(p.to_string()),
                ("as-of", d) => {
                    as_of = Some(Date::parse(d)?);
                }
                ("person", n) => person = n.parse().ok(),
                _ => return None,
            }
        }
        Some(Case {
            policy: policy?,
            as_of: as_of?,
            person: person?,
            roster: roster.to_string(),
            records: records.to_string(),
        })
    }

    /// Evaluates the case: no panic, and when it evaluates the person's explanation adds up.
    /// Whether it evaluated.
    pub fn check(&self) -> bool {
        let (_, policy) = policies()
            .iter()
            .find(|(p, _)| *p == self.policy)
            .unwrap_or_else(|| panic!("no policy {} that checks", self.policy));
        let roster_file = Scratch::new("roster.csv", self.roster.as_bytes());
        let records_file = Scratch::new("records.csv", self.records.as_bytes());
        let roster = match input::read_roster(policy, &roster_file.0) {
            Ok(r) => r,
            Err(errors) => {
                assert!(!errors.is_empty());
                if std::env::var_os("TALLY_FUZZ_SHOW").is_some() {
                    eprintln!("{}", tally::diag::plain(&errors.list[0]));
                }
                return false;
            }
        };
        if roster.people.is_empty() {
            return false;
        }
        let files = input::record_files(std::slice::from_ref(&records_file.0)).expect("one file");
        let person = self.person % roster.people.len();
        check_explain(policy, &roster, &files, self.as_of, person)
    }
}

/// A policy we have, a roster and records generated for it from the bytes, a report day and a
/// person: the evaluation never panics, and the person's explanation adds up to their total.
pub fn eval_explain(data: &[u8]) {
    let Some(case) = Case::generate(data) else {
        return;
    };
    if std::env::var_os("TALLY_FUZZ_SHOW").is_some() {
        // What a failing input stands for, to keep as a `.case` regression file.
        eprint!("{case}");
    }
    let _ = case.check();
}

// --------------------------------------------------------------------------------------- records

/// The shipped roster and the shipped year's record files.
fn shipped() -> &'static (Roster, Vec<PathBuf>) {
    static SHIPPED: LazyLock<(Roster, Vec<PathBuf>)> = LazyLock::new(|| {
        let root = root();
        let roster = input::read_roster(
            &policies()[0].1,
            &root.join("policies/dashuipo-2020/roster.csv"),
        )
        .expect("the shipped roster reads");
        let files = input::record_files(&[root.join("policies/dashuipo-2020/records")])
            .expect("the shipped records");
        (roster, files)
    });
    &SHIPPED
}

/// Any bytes as a record file read with the shipped policy and roster, and as a roster read with
/// the shipped policy and records: no panic, every problem said, and what reads evaluates and
/// explains as [`check_explain`] wants.
pub fn records(data: &[u8]) {
    let policy = &policies()[0].1;
    let as_of = Date {
        year: policy.year + 1,
        month: 1,
        day: 5,
    };
    let (roster, files) = shipped();
    let file = Scratch::new("records.csv", data);
    let records = input::record_files(std::slice::from_ref(&file.0)).expect("one file");
    let _ = check_explain(
        policy,
        roster,
        &records,
        as_of,
        data.len() % roster.people.len(),
    );
    let file = Scratch::new("roster.csv", data);
    match input::read_roster(policy, &file.0) {
        Ok(roster) => {
            if !roster.people.is_empty() {
                let person = data.len() % roster.people.len();
                let _ = check_explain(policy, &roster, files, as_of, person);
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in &errors.list {
                let _ = tally::diag::plain(e);
            }
        }
    }
}
