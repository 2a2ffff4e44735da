//! The language tally speaks to its user: English or Chinese. It is chosen once, when a command
//! starts ([`set`]): `--lang zh|en`, else the locale ([`from_locale`]), else English. Codes, CSV
//! and JSON field names and the words of the policy language are the same in both.
//!
//! A message is written in both languages where it is made, with [`tr!`](crate::tr): the two texts
//! side by side, so that neither can be forgotten and both take the same values.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

/// A language tally can speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

static CURRENT: AtomicU8 = AtomicU8::new(0);
/// Whether the user chose the language on the command line (`--lang`), over any other wish.
static CHOSEN: AtomicBool = AtomicBool::new(false);

/// Sets the language of every message from now on.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// Sets the language the user asked for on the command line: later wishes ([`prefer`]) give way.
pub fn choose(lang: Lang) {
    set(lang);
    CHOSEN.store(true, Ordering::Relaxed);
}

/// Sets the language an editor asks for (an LSP client's `locale`, a BCP 47 tag such as `zh-CN`
/// or `en`), unless the user chose one with `--lang`.
pub fn prefer(tag: &str) {
    if !CHOSEN.load(Ordering::Relaxed) {
        set(of_tag(tag));
    }
}

/// The language of a locale name or language tag: `zh…` is Chinese, anything else English.
fn of_tag(tag: &str) -> Lang {
    if tag.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("zh")) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The language messages are written in.
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Zh,
        _ => Lang::En,
    }
}

/// The language a POSIX locale asks for: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is
/// set and not empty decides (as `setlocale` reads them); a locale starting with `zh` (`zh_CN.UTF-8`,
/// `zh_TW`, `zh`) gives Chinese, any other English. `var` reads a variable.
pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(|name| var(name).filter(|v| !v.is_empty()));
    locale.map_or(Lang::En, |l| of_tag(&l))
}

/// The language of the process's locale (see [`from_locale`]).
pub fn of_environment() -> Lang {
    from_locale(|name| std::env::var(name).ok())
}

/// One message in both languages, the current one evaluated: `tr!(format!("{n} errors"),
/// format!("{n} 个错误"))`.
#[macro_export]
macro_rules! tr {
    ($en:expr, $zh:expr $(,)?) => {
        match $crate::lang::current() {
            $crate::lang::Lang::En => $en,
            $crate::lang::Lang::Zh => $zh,
        }
    };
}

/// `1 file`, `2 files` in English; `1 个文件` in Chinese (`zh` names the counted thing with its
/// measure word).
pub fn counted(n: usize, en: &str, zh: &str) -> String {
    match current() {
        Lang::En => format!("{n} {en}{}", if n == 1 { "" } else { "s" }),
        Lang::Zh => format!("{n} {zh}"),
    }
}

/// Chinese text set as Chinese is typeset: a space between a Chinese character and a Latin letter,
/// a digit or a code span (`` `late` ``) beside it. What stands inside backticks is left as it is.
/// For a message whose values, filled in, may stand right beside Chinese words.
pub fn spaced(text: &str) -> String {
    let chinese = |c: char| ('\u{3400}'..='\u{9fff}').contains(&c);
    let latin = |c: char| c.is_ascii_alphanumeric();
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_code = false;
    let mut prev = ' ';
    for c in text.chars() {
        if c == '`' {
            if !in_code && chinese(prev) {
                out.push(' ');
            }
            in_code = !in_code;
        } else if !in_code
            && ((chinese(c) && (latin(prev) || prev == '`')) || (chinese(prev) && latin(c)))
        {
            out.push(' ');
        }
        out.push(c);
        prev = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(vars: &[(&str, &str)]) -> Lang {
        from_locale(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_string())
        })
    }

    #[test]
    fn chinese_is_spaced_from_latin_text_and_code() {
        assert_eq!(
            spaced("`points`可能超出 15..40"),
            "`points` 可能超出 15..40"
        );
        assert_eq!(spaced("这里的`where` 条件"), "这里的 `where` 条件");
        assert_eq!(spaced("days和不带单位的数"), "days 和不带单位的数");
        assert_eq!(spaced("有3个"), "有 3 个");
        // Inside backticks nothing changes, nor beside Chinese punctuation.
        assert_eq!(spaced("`迟到a`，`b迟`"), "`迟到a`，`b迟`");
        assert_eq!(spaced("没有 `lat` 这个"), "没有 `lat` 这个");
    }

    #[test]
    fn the_first_set_locale_variable_decides() {
        assert_eq!(locale(&[]), Lang::En);
        assert_eq!(locale(&[("LANG", "zh_CN.UTF-8")]), Lang::Zh);
        assert_eq!(locale(&[("LANG", "ZH_tw")]), Lang::Zh);
        assert_eq!(locale(&[("LANG", "zh")]), Lang::Zh);
        assert_eq!(locale(&[("LANG", "en_US.UTF-8")]), Lang::En);
        assert_eq!(locale(&[("LANG", "C")]), Lang::En);
        assert_eq!(locale(&[("LANG", "z")]), Lang::En);
        // LC_ALL over LC_MESSAGES over LANG; an empty one is not set.
        assert_eq!(
            locale(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")]),
            Lang::En
        );
        assert_eq!(
            locale(&[("LC_ALL", ""), ("LC_MESSAGES", "zh_CN"), ("LANG", "en_US")]),
            Lang::Zh
        );
        assert_eq!(
            locale(&[("LC_MESSAGES", "en_GB"), ("LANG", "zh_CN")]),
            Lang::En
        );
        // A locale that is not text ends nowhere strange.
        assert_eq!(locale(&[("LANG", "中文")]), Lang::En);
    }
}
