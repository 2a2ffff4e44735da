//! Generates a roster and a year of records in the Dashuipo vocabulary, for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_records -- --people 100000 --records 10000000 --out /tmp/bench
//! ```
//! writes `/tmp/bench/roster.csv` and `/tmp/bench/records.csv`. `--facts` adds the year-end facts
//! every person needs under the Dashuipo policy (ratings, assessments, tiers, the project rank), so
//! that its results are final. The output depends only on the arguments (a fixed-seed generator).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

const DEPARTMENT_SIZE: usize = 20;
const ROLES: [&str; 4] = ["包片委员", "片长", "包村干部", "项目服务人员"];
/// (kind, weight, field column) for events; the field column gets a value when not empty.
const EVENTS: [(&str, u32, &str); 8] = [
    ("late", 30, ""),
    ("迟到", 10, ""),
    ("early_leave", 15, ""),
    ("absent", 5, ""),
    ("personal_leave", 10, "days"),
    ("hygiene_fail", 15, ""),
    ("volunteer", 10, "hours"),
    ("meeting_breach", 5, ""),
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

struct Args {
    people: usize,
    records: usize,
    out: PathBuf,
    facts: bool,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        people: 1000,
        records: 100_000,
        out: PathBuf::from("bench-data"),
        facts: false,
        seed: 2020,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("`{a}` needs a value"));
        match a.as_str() {
            "--people" => args.people = value()?.parse().map_err(|e| format!("--people: {e}"))?,
            "--records" => {
                args.records = value()?.parse().map_err(|e| format!("--records: {e}"))?
            }
            "--out" => args.out = PathBuf::from(value()?),
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--facts" => args.facts = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if args.people == 0 {
        return Err("--people must be at least 1".into());
    }
    Ok(args)
}

fn department(p: usize) -> usize {
    p / DEPARTMENT_SIZE
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    std::fs::create_dir_all(&args.out)?;
    let mut rng = Rng(args.seed.max(1));

    let mut roster = BufWriter::new(File::create(args.out.join("roster.csv"))?);
    writeln!(roster, "person,name,department,role,head,temporary")?;
    for p in 0..args.people {
        let head = p % DEPARTMENT_SIZE == 0;
        writeln!(
            roster,
            "P{p:07},干部{p},部门{:05},{},{head},{}",
            department(p),
            ROLES[p % 4],
            p % 17 == 3
        )?;
    }
    roster.flush()?;

    let total_weight: u32 = EVENTS.iter().map(|e| e.1).sum();
    let mut out = BufWriter::with_capacity(1 << 20, File::create(args.out.join("records.csv"))?);
    if args.facts {
        writeln!(
            out,
            "date,kind,person,department,days,hours,households,score,rater,rank,tier,note"
        )?;
    } else {
        writeln!(out, "date,kind,person,department,days,hours,note")?;
    }
    let tail = if args.facts { ",,,,," } else { "" };
    for _ in 0..args.records {
        let p = rng.below(args.people as u64);
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let mut pick = rng.below(u64::from(total_weight)) as u32;
        let (kind, _, field) = EVENTS
            .iter()
            .find(|e| {
                if pick < e.1 {
                    true
                } else {
                    pick -= e.1;
                    false
                }
            })
            .copied()
            .unwrap_or(EVENTS[0]);
        let (days, hours) = match field {
            "days" => (format!("{}", 1 + rng.below(3)), String::new()),
            "hours" => (String::new(), format!("{}.{}", rng.below(4), rng.below(10))),
            _ => (String::new(), String::new()),
        };
        writeln!(
            out,
            "2020-{month:02}-{day:02},{kind},P{p:07},,{days},{hours},{tail}"
        )?;
    }
    if args.facts {
        let departments = args.people.div_ceil(DEPARTMENT_SIZE);
        writeln!(out, "2020-12-28,project_rank,,,,,,,,{},,", 1 + rng.below(5))?;
        for d in 0..departments {
            writeln!(
                out,
                "2020-12-28,district_tier,,部门{d:05},,,,,,,{},",
                rng.below(4)
            )?;
        }
        for p in 0..args.people {
            let score = |rng: &mut Rng, lo: u64, span: u64| lo + rng.below(span);
            writeln!(
                out,
                "2020-12-24,peer_rating,P{p:07},,,,,{},leader,,,",
                score(&mut rng, 80, 21)
            )?;
            writeln!(
                out,
                "2020-12-24,peer_rating,P{p:07},,,,,{},staff,,,",
                score(&mut rng, 80, 21)
            )?;
            writeln!(
                out,
                "2020-12-20,visit,P{p:07},,,,{},,,,,",
                score(&mut rng, 90, 30)
            )?;
            match p % 4 {
                0 | 1 => writeln!(
                    out,
                    "2020-12-25,village_score,P{p:07},,,,,{},,,,",
                    score(&mut rng, 80, 21)
                )?,
                2 => writeln!(
                    out,
                    "2020-12-25,liaison_assessed,P{p:07},,,,,{},,,,",
                    score(&mut rng, 250, 51)
                )?,
                _ => {}
            }
            if p % DEPARTMENT_SIZE != 0 {
                writeln!(
                    out,
                    "2020-12-28,head_assessed,P{p:07},,,,,{},,,,",
                    score(&mut rng, 170, 31)
                )?;
            }
        }
    }
    out.flush()?;
    eprintln!(
        "wrote {} people and {} records to {}",
        args.people,
        args.records,
        args.out.display()
    );
    Ok(())
}
