//! What a revision declares, as keyed entities to compare: the header, the rules and bases by
//! the clause they cite, budgets, grades, caps, `once` groups, ranks, ledgers, record kinds and
//! roster columns, each as the text a reader compares.

use super::{Entity, Subject};
use crate::check::Policy;
use crate::check::model::{Kind, ValueType};

/// Everything a revision declares that a reader compares, keyed: the header, the rules by clause,
/// the budgets, grades, record kinds and roster columns.
pub(super) fn entities(p: &Policy) -> Vec<Entity> {
    let mut out = Vec::new();
    let header = |key: &str, text: String| Entity {
        subject: Subject::Header,
        key: key.to_string(),
        place: String::new(),
        text,
    };
    out.push(header("title", format!("policy \"{}\"", p.title)));
    out.push(header("total", format!("total {}", p.total.normalize())));
    out.push(header(
        "annual",
        match p.card {
            _ if p.balance => "card balance".to_string(),
            crate::ops::Period::Year => "card year".to_string(),
            crate::ops::Period::Quarter => format!("card quarter; annual = {}", p.annual_text),
            _ => format!("annual = {}", p.annual_text),
        },
    ));
    out.push(header(
        "round",
        format!("round {} {}", p.round_places, p.rounding.keyword()),
    ));
    for c in &p.columns {
        out.push(Entity {
            subject: Subject::Roster,
            key: c.name.clone(),
            place: "roster".into(),
            text: format!("{}: {}", c.name, type_text(&c.ty)),
        });
    }
    for k in &p.kinds {
        out.push(Entity {
            subject: Subject::Record,
            key: k.id.clone(),
            place: String::new(),
            text: kind_text(k),
        });
    }
    for c in p.caps.iter() {
        if let Some((id, label)) = &c.name {
            out.push(Entity {
                subject: Subject::Cap,
                key: id.clone(),
                place: String::new(),
                text: cap_text(c, id, label),
            });
        }
    }
    for o in &p.onces {
        out.push(Entity {
            subject: Subject::Once,
            key: o.id.clone(),
            place: String::new(),
            text: once_text(o),
        });
    }
    for r in &p.ranks {
        out.push(Entity {
            subject: Subject::Rank,
            key: r.id.clone(),
            place: String::new(),
            text: rank_text(p, r),
        });
    }
    for s in &p.sections {
        section(s, &mut out);
        scaled_items(p, s, &mut out);
    }
    ledgers(p, &mut out);
    for block in &p.adjustments {
        let place = format!("{} {}", block.id, block.label);
        for r in &block.rules {
            out.push(rule(&r.clause, &place, &r.text));
        }
    }
    for g in &p.grades {
        out.push(Entity {
            subject: Subject::Grade,
            key: g.name.clone(),
            place: "grades".into(),
            text: grade_text(p, g),
        });
    }
    out
}

/// A section's budget, and each of its items' budget, whom it applies to, its bases and rules.
fn section(s: &crate::check::model::Section, out: &mut Vec<Entity>) {
    out.push(Entity {
        subject: Subject::Budget,
        key: format!("section {}", s.id),
        place: format!("section {} {}", s.id, s.label),
        text: s.budget.normalize().to_string(),
    });
    for item in &s.items {
        let place = format!("{} {}", item.id, item.label);
        out.push(Entity {
            subject: Subject::Budget,
            key: format!("item {}", item.id),
            place: format!("item {place}"),
            text: item.budget.normalize().to_string(),
        });
        out.push(Entity {
            subject: Subject::Applies,
            key: format!("item {}", item.id),
            place: format!("item {place}"),
            text: item
                .applies_text
                .as_ref()
                .map_or_else(|| "everybody".to_string(), |t| format!("for {t}")),
        });
        for b in &item.bases {
            out.push(rule(&b.clause, &place, &b.text));
        }
        for r in &item.rules {
            out.push(rule(&r.clause, &place, &r.text));
        }
    }
}

/// An item scaled to its group's best (§32), as its budget's companion: `scaled of department`.
fn scaled_items(p: &Policy, s: &crate::check::model::Section, out: &mut Vec<Entity>) {
    for item in &s.items {
        if let Some(of) = &item.scaled {
            out.push(Entity {
                subject: Subject::Budget,
                key: format!("item {} scaled", item.id),
                place: format!("item {} {}", item.id, item.label),
                text: p.scaled_text(of),
            });
        }
    }
}

/// The ledgers as declared, the sections booked in them and the values derived in them (§30).
fn ledgers(p: &Policy, out: &mut Vec<Entity>) {
    let ledger = |l: usize| p.ledgers.get(l).map_or("", |l| l.id.as_str());
    let entity = |key: String, text: String| Entity {
        subject: Subject::Ledger,
        key,
        place: String::new(),
        text,
    };
    for l in &p.ledgers {
        out.push(entity(
            l.id.clone(),
            format!("ledger {} \"{}\"", l.id, l.unit),
        ));
    }
    for s in &p.sections {
        if let Some(l) = s.ledger {
            out.push(entity(
                format!("section {}", s.id),
                format!("section {} in {}", s.id, ledger(l)),
            ));
        }
    }
    for d in &p.derives {
        out.push(entity(
            format!("derive {}", d.id),
            format!(
                "derive {} \"{}\" in {} = {}",
                d.id,
                d.label,
                ledger(d.ledger),
                d.text
            ),
        ));
    }
}

/// A named cap as it is written: `cap donations "区级平台捐款" 40 in year`.
fn cap_text(c: &crate::check::model::Cap, id: &str, label: &str) -> String {
    let mut text = format!("cap {id} \"{label}\" {}", c.limit.normalize());
    if c.period != crate::ops::Period::Month {
        text.push_str(&format!(" in {}", c.period.keyword()));
    }
    text
}

/// A `once` group as it is written: `once act "同一事项" per date in year`.
fn rank_text(p: &Policy, r: &crate::check::model::Rank) -> String {
    let mut of = match r.of {
        crate::check::model::QuotaGroup::Everybody => String::new(),
        crate::check::model::QuotaGroup::Department => " of department".to_string(),
        crate::check::model::QuotaGroup::Column(c) => {
            format!(" of {}", p.columns.get(c).map_or("", |c| c.name.as_str()))
        }
    };
    for &g in &r.also {
        of.push_str(&format!(", {}", p.group_name(g)));
    }
    let mut text = format!("rank {} \"{}\"{of}", r.id, r.label);
    if r.by.is_some() {
        let order = if r.lowest { "lowest " } else { "" };
        text.push_str(&format!(" by {order}{}", r.by_text));
    }
    match &r.gives {
        Some(crate::check::model::RankGives::Points(table)) => {
            let shown: Vec<String> = table.iter().map(|(p, x)| format!("{p}: {x}")).collect();
            text.push_str(&format!(" +{{ {} }}", shown.join(", ")));
        }
        Some(crate::check::model::RankGives::Scaled(n)) => text.push_str(&format!(" scaled {n}")),
        None => {}
    }
    text
}

fn once_text(o: &crate::check::model::Once) -> String {
    let mut text = format!("once {} \"{}\"", o.id, o.label);
    match &o.by {
        crate::check::model::OnceBy::Period => {}
        crate::check::model::OnceBy::Date => text.push_str(" per date"),
        crate::check::model::OnceBy::Field { name, .. } => {
            text.push_str(&format!(" per {name}"));
        }
    }
    if let Some(period) = o.period {
        text.push_str(&format!(" in {}", period.keyword()));
    }
    text
}

/// A grade's threshold and quota: `>= 90 top 20% of department`.
fn grade_text(p: &Policy, g: &crate::check::model::Grade) -> String {
    let mut text = g
        .threshold()
        .unwrap_or_else(|| "everything below".to_string());
    if let Some(q) = &g.quota {
        text.push_str(&format!(" top {}%", q.percent.normalize()));
        match q.of {
            crate::check::model::QuotaGroup::Everybody => {}
            crate::check::model::QuotaGroup::Department => {
                text.push_str(" of department");
            }
            crate::check::model::QuotaGroup::Column(c) => {
                if let Some(col) = p.columns.get(c) {
                    text.push_str(&format!(" of {}", col.name));
                }
            }
        }
        for &g in &q.also {
            text.push_str(&format!(", {}", p.group_name(g)));
        }
    }
    text
}

/// A rule or a base, known by its clause, in its item or adjustments block.
fn rule(clause: &Option<String>, place: &str, text: &str) -> Entity {
    Entity {
        subject: Subject::Rule,
        key: clause.clone().unwrap_or_default(),
        place: place.to_string(),
        text: text.to_string(),
    }
}

fn type_text(ty: &ValueType) -> String {
    match ty {
        ValueType::Text => "text".into(),
        ValueType::Person => "person".into(),
        ValueType::Time => "time".into(),
        ValueType::Date => "date".into(),
        ValueType::Group => "group".into(),
        ValueType::HeadOf(_) => "head of a group".into(),
        ValueType::Bool => "bool".into(),
        ValueType::Enum(values) => values.join(" | "),
        ValueType::Number {
            unit,
            whole,
            min,
            max,
        } => {
            let mut s = String::new();
            if *whole {
                s.push_str("whole ");
            }
            s.push_str(unit.name());
            match (min, max) {
                (Some(a), Some(b)) => s.push_str(&format!(" {}..{}", a.normalize(), b.normalize())),
                (Some(a), None) => s.push_str(&format!(" >= {}", a.normalize())),
                (None, Some(b)) => s.push_str(&format!(" <= {}", b.normalize())),
                (None, None) => {}
            }
            s
        }
    }
}

fn kind_text(k: &Kind) -> String {
    let mut by = Vec::new();
    if k.subjects.person {
        by.push("person");
    }
    if k.subjects.department {
        by.push("department");
    }
    if k.subjects.town {
        by.push("town");
    }
    let mut s = format!("record {} \"{}\" by {}", k.id, k.label, by.join(" | "));
    if !k.fields.is_empty() {
        let fields: Vec<String> = k
            .fields
            .iter()
            .map(|f| {
                let opt = if f.optional { " optional" } else { "" };
                format!("{}: {}{opt}", f.name, type_text(&f.ty))
            })
            .collect();
        s.push_str(&format!(" {{ {} }}", fields.join(", ")));
    }
    if k.not_scored {
        s.push_str(" not scored");
    }
    s
}
