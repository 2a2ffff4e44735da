//! A scenario and the files it uses, read: its title, `as of`, its one roster and its records,
//! as written, before any policy is involved.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::lex::Tok;
use super::{Place, ScenarioFile, parse, tidy};
use crate::diag::{Code, Diag, Source};
use crate::eval::Date;
use crate::syntax::ast::Span;

/// The scenario file itself (index 0) or a file it uses.
pub struct Part {
    pub path: PathBuf,
    pub source: Source,
    pub file: ScenarioFile,
}

/// A scenario read with the files it uses, before any policy is involved.
pub struct Loaded {
    pub parts: Vec<Part>,
    /// Problems found, each in the part it concerns.
    pub diags: Vec<(usize, Diag)>,
    /// The part and place of the one roster.
    pub roster: Option<(usize, Place)>,
    pub records: Vec<(usize, Place)>,
    pub as_of: Option<Date>,
}

impl Loaded {
    pub fn file(&self) -> &ScenarioFile {
        &self.parts[0].file
    }

    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(|(_, d)| d.is_error())
    }
}

pub(super) fn shown(path: &Path) -> String {
    tidy(path).display().to_string()
}

fn read_source(path: &Path) -> Result<(Source, Option<Diag>), Box<Diag>> {
    let bytes = std::fs::read(path).map_err(|e| {
        let name = shown(path);
        let message = crate::tr!(
            format!("cannot read `{name}`: {}", crate::diag::io_reason(&e)),
            format!("读不了 `{name}`：{}", crate::diag::io_reason(&e))
        );
        Diag::about_file(Code::CannotRead, &name, message)
    })?;
    match crate::syntax::decode(&shown(path), &bytes) {
        Ok(source) => Ok((source, None)),
        Err(bad) => {
            let (source, diag) = *bad;
            Ok((source, Some(diag)))
        }
    }
}

/// Reads a scenario and every file it uses. `Err` only when the scenario itself cannot be read.
pub fn load(path: &Path) -> Result<Loaded, Box<Diag>> {
    let (source, bad) = read_source(path)?;
    let mut diags = Vec::new();
    if let Some(d) = bad {
        diags.push((0, d));
    }
    let (file, found) = parse::parse(&source.text, false);
    diags.extend(found.into_iter().map(|d| (0, d)));
    let mut parts = vec![Part {
        path: path.to_path_buf(),
        source,
        file,
    }];
    let mut seen: HashSet<PathBuf> = HashSet::new();
    seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()));
    // Per part: its file, and the part that uses it, to tell a loop from a file used twice.
    let mut keys = vec![std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())];
    let mut used_by: Vec<Option<usize>> = vec![None];
    let mut next = 0;
    while next < parts.len() {
        let uses: Vec<Tok> = parts[next].file.uses.clone();
        let dir = parts[next].path.parent().map(Path::to_path_buf);
        for tok in uses {
            let target = dir.as_deref().unwrap_or(Path::new("")).join(&tok.text);
            let key = std::fs::canonicalize(&target).unwrap_or_else(|_| target.clone());
            if !seen.insert(key.clone()) {
                let mut up = Some(next);
                let mut in_loop = false;
                while let Some(i) = up {
                    in_loop |= keys.get(i) == Some(&key);
                    up = used_by.get(i).copied().flatten();
                }
                diags.push((next, used_again(&tok, in_loop)));
                continue;
            }
            match read_source(&target) {
                Ok((source, bad)) => {
                    let at = parts.len();
                    if let Some(d) = bad {
                        diags.push((at, d));
                    }
                    let (file, found) = parse::parse(&source.text, true);
                    diags.extend(found.into_iter().map(|d| (at, d)));
                    keys.push(key);
                    used_by.push(Some(next));
                    parts.push(Part {
                        path: target,
                        source,
                        file,
                    });
                }
                Err(cannot) => diags.push((
                    next,
                    Diag::error(Code::ScenarioFile, tok.span, cannot.message)
                        .label(crate::tr!("this file", "这个文件"))
                        .help(crate::tr!(
                            "paths are relative to the folder of the file that names them",
                            "路径从写它的那个文件所在的文件夹算起"
                        )),
                )),
            }
        }
        next += 1;
    }
    let mut loaded = Loaded {
        parts,
        diags,
        roster: None,
        records: Vec::new(),
        as_of: None,
    };
    gather(&mut loaded);
    Ok(loaded)
}

/// A file a scenario uses a second time: in a loop of `use`s, or twice.
fn used_again(tok: &Tok, in_loop: bool) -> Diag {
    if in_loop {
        Diag::error(
            Code::ScenarioFile,
            tok.span,
            crate::tr!(
                format!("`{}` uses itself", tok.text),
                format!("`{}` 用了它自己", tok.text)
            ),
        )
        .label(crate::tr!(
            "this `use` leads back to a file that is being read",
            "这个 `use` 又绕回到正在读的文件"
        ))
        .help(crate::tr!(
            "remove the `use` that closes the loop",
            "删掉绕成圈的那个 `use`"
        ))
    } else {
        Diag::error(
            Code::ScenarioFile,
            tok.span,
            crate::tr!(
                format!("`{}` is used twice", tok.text),
                format!("`{}` 用了两次", tok.text)
            ),
        )
        .label(crate::tr!(
            "already used by this scenario",
            "这个场景已经用过"
        ))
        .help(crate::tr!(
            "use each file once: its records would count twice",
            "每个文件只用一次：不然它的记录会算两遍"
        ))
    }
}

/// The roster, records and `as of` of all parts together: one roster, one `as of`.
fn gather(l: &mut Loaded) {
    let mut as_of_at: Option<usize> = None;
    for (i, part) in l.parts.iter().enumerate() {
        for place in &part.file.rosters {
            match &l.roster {
                None => l.roster = Some((i, place.clone())),
                Some((first, _)) => {
                    let elsewhere = if *first == i {
                        crate::tr!("above", "在上面").to_string()
                    } else {
                        let name = &l.parts[*first].source.name;
                        crate::tr!(format!("in `{name}`"), format!("在 `{name}` 里"))
                    };
                    l.diags.push((
                        i,
                        Diag::error(Code::ScenarioDuplicate, keyword(place), crate::tr!("a second roster", "第二份花名册"))
                            .label(crate::tr!("again here", "这里又写了一次"))
                            .help(crate::tr!(format!(
                                "a scenario has one roster; the first is {elsewhere}: put every person in it"
                            ), format!(
                                "一个场景只有一份花名册；第一份{elsewhere}：把所有人都写进去"
                            ))),
                    ));
                }
            }
        }
        l.records
            .extend(part.file.records.iter().map(|p| (i, p.clone())));
        if let Some(a) = &part.file.as_of {
            match as_of_at {
                None => {
                    as_of_at = Some(i);
                    l.as_of = Some(a.node);
                }
                Some(first) => l.diags.push((
                    i,
                    Diag::error(
                        Code::ScenarioDuplicate,
                        a.span,
                        crate::tr!("a second `as of`", "第二个 `as of`"),
                    )
                    .label(crate::tr!("again here", "这里又写了一次"))
                    .help(crate::tr!(
                        format!(
                            "the first is in `{}`: a scenario is reported on one day",
                            l.parts[first].source.name
                        ),
                        format!(
                            "第一个在 `{}` 里：一个场景只按一天统计",
                            l.parts[first].source.name
                        )
                    )),
                )),
            }
        }
    }
    // A used file that could not be read may well have held the roster.
    let unread = l.diags.iter().any(|(_, d)| d.code == Code::ScenarioFile);
    if l.roster.is_none() && !unread {
        let at = l.parts[0]
            .file
            .title
            .as_ref()
            .map_or(Span::new(0, 0), |t| *t.span);
        l.diags.push((
            0,
            Diag::error(Code::ScenarioMissing, at, crate::tr!("this scenario has no roster", "这个场景没有花名册"))
                .label(crate::tr!("in this scenario", "在这个场景里"))
                .help(crate::tr!("add a `roster` line with one indented row per person, or `roster \"people.csv\"`, or `use` a file that has one", "加一行 `roster`，下面每人缩进写一行；或者写 `roster \"people.csv\"`；或者 `use` 一个有花名册的文件")),
        ));
    }
}

pub(super) fn keyword(place: &Place) -> Span {
    match place {
        Place::Paths { keyword, .. } => *keyword,
        Place::Inline(b) => b.keyword,
    }
}
