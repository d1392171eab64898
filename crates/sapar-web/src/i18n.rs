//! The four languages of the workplace — Russian (the default, the agreement's working
//! language), Kazakh, Kyrgyz and English — from Fluent files compiled into the binary, with
//! CLDR plural rules, and dates and numbers written as each language writes them.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use jiff::civil::Date;
use unic_langid::LanguageIdentifier;

/// A language of the workplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Ru,
    Kk,
    Ky,
    En,
}

impl Lang {
    /// Every language, in the order the language switch lists them.
    pub const ALL: [Lang; 4] = [Lang::Ru, Lang::Kk, Lang::Ky, Lang::En];

    /// BCP 47 tag, as in `lang=` attributes, cookies and `?lang=`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::Ky => "ky",
            Lang::En => "en",
        }
    }

    /// The language's own name for itself, as the switch shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::Ru => "Русский",
            Lang::Kk => "Қазақша",
            Lang::Ky => "Кыргызча",
            Lang::En => "English",
        }
    }

    /// Parses a tag; unknown tags are `None`.
    pub fn parse(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(tag.trim()))
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Ru => include_str!("../locales/ru.ftl"),
            Lang::Kk => include_str!("../locales/kk.ftl"),
            Lang::Ky => include_str!("../locales/ky.ftl"),
            Lang::En => include_str!("../locales/en.ftl"),
        }
    }

    /// A date as the language writes it: `03.12.2026` in Russian, Kazakh and Kyrgyz, ISO 8601
    /// in English.
    pub fn date(self, date: Date) -> String {
        match self {
            Lang::En => date.to_string(),
            Lang::Ru | Lang::Kk | Lang::Ky => format!("{:02}.{:02}.{:04}", date.day(), date.month(), date.year()),
        }
    }

    /// An instant in the host state's zone, to the minute.
    pub fn date_time(self, at: jiff::Zoned) -> String {
        format!("{} {:02}:{:02}", self.date(at.date()), at.hour(), at.minute())
    }

    /// A whole number with the language's grouping: a no-break space in Russian, Kazakh and
    /// Kyrgyz (`1 000 000`), a comma in English (`1,000,000`).
    pub fn number(self, n: i64) -> String {
        let separator = match self {
            Lang::En => ',',
            Lang::Ru | Lang::Kk | Lang::Ky => '\u{a0}',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(c);
        }
        out
    }
}

struct Catalogue {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let bundles = Lang::ALL
        .into_iter()
        .map(|lang| {
            // The files are part of the binary and checked by the tests below; a syntax error in
            // one is a build defect, and the entries that did parse are still used.
            let resource = match FluentResource::try_new(lang.source().to_owned()) {
                Ok(resource) => resource,
                Err((partial, errors)) => {
                    tracing::error!(lang = lang.tag(), ?errors, "translation file has errors");
                    partial
                }
            };
            let id: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Isolation marks would land inside attribute values and copied text.
            bundle.set_use_isolating(false);
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(lang = lang.tag(), ?errors, "translation file repeats a key");
            }
            (lang, bundle)
        })
        .collect();
    Catalogue { bundles }
});

/// The text of `key` in `lang` with `args`; a missing key shows as the key itself (the tests
/// make sure none is missing).
pub fn translate(lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
    let Some(bundle) = CATALOGUE.bundles.get(&lang) else { return key.to_owned() };
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else { return key.to_owned() };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!(lang = lang.tag(), key, ?errors, "translation could not be formatted");
    }
    text.into_owned()
}

/// The text of `key` in `lang` with one numeric argument `count` (plural forms choose by it).
pub fn translate_count(lang: Lang, key: &str, count: i64) -> String {
    let mut args = FluentArgs::new();
    args.set("count", FluentValue::from(count));
    translate(lang, key, Some(&args))
}

/// Every message id of one language's file, for the completeness checks.
pub fn keys(lang: Lang) -> Vec<String> {
    let resource = match FluentResource::try_new(lang.source().to_owned()) {
        Ok(resource) => resource,
        Err((partial, _)) => partial,
    };
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// Parse errors of one language's file (none expected).
pub fn syntax_errors(lang: Lang) -> Vec<String> {
    match FluentResource::try_new(lang.source().to_owned()) {
        Ok(_) => Vec::new(),
        Err((_, errors)) => errors.iter().map(|e| format!("{e:?}")).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_dates_are_day_month_year_and_english_iso() {
        let d = jiff::civil::date(2026, 12, 3);
        assert_eq!(Lang::Ru.date(d), "03.12.2026");
        assert_eq!(Lang::Kk.date(d), "03.12.2026");
        assert_eq!(Lang::En.date(d), "2026-12-03");
    }

    #[test]
    fn numbers_group_thousands_as_each_language_does() {
        assert_eq!(Lang::Ru.number(1_000_000), "1\u{a0}000\u{a0}000");
        assert_eq!(Lang::En.number(1_234_567), "1,234,567");
        assert_eq!(Lang::En.number(999), "999");
        assert_eq!(Lang::Ky.number(-12_000), "-12\u{a0}000");
    }

    #[test]
    fn every_language_file_parses_without_errors() {
        for lang in Lang::ALL {
            assert_eq!(syntax_errors(lang), Vec::<String>::new(), "{}.ftl", lang.tag());
        }
    }

    #[test]
    fn every_key_exists_in_every_language() {
        let russian: std::collections::BTreeSet<String> = keys(Lang::Ru).into_iter().collect();
        assert!(russian.len() > 50, "the Russian catalogue looks truncated: {} keys", russian.len());
        for lang in Lang::ALL {
            let theirs: std::collections::BTreeSet<String> = keys(lang).into_iter().collect();
            let missing: Vec<_> = russian.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&russian).collect();
            assert!(missing.is_empty(), "{}.ftl lacks {missing:?}", lang.tag());
            assert!(extra.is_empty(), "{}.ftl has keys Russian lacks: {extra:?}", lang.tag());
        }
    }

    /// Every literal key the pages name: `.t("…")` and `.tn("…", …)` calls in the templates and
    /// the sources, and, in the sources, the literals of the navigation, error pages, form
    /// refusals, bans and the control register's history. Keys built from a closed list are checked beside that list.
    fn literal_keys() -> std::collections::BTreeSet<String> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("src"), &mut files);
        walk(&root.join("templates"), &mut files);
        assert!(files.len() > 20, "the sources and templates were not found under {}", root.display());
        let literal_prefixes = ["nav-", "error-", "form-error-", "ban-", "control-history-"];
        let mut keys = std::collections::BTreeSet::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let source = file.extension().is_some_and(|e| e == "rs");
            for (i, _) in text.match_indices('"') {
                let rest = &text[i + 1..];
                let Some(end) = rest.find('"') else { continue };
                let literal = &rest[..end];
                let is_key = !literal.is_empty()
                    && literal.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !literal.ends_with('-');
                let called = text[..i].ends_with(".t(") || text[..i].ends_with(".tn(");
                let listed = source && literal_prefixes.iter().any(|p| literal.starts_with(p));
                if is_key && (called || listed) {
                    keys.insert(literal.to_owned());
                }
            }
        }
        keys
    }

    #[test]
    fn every_key_the_pages_name_exists_in_russian_and_so_in_every_language() {
        let russian: std::collections::BTreeSet<String> = keys(Lang::Ru).into_iter().collect();
        let named = literal_keys();
        assert!(named.contains("nav-control") && named.contains("control-decision-title"), "{named:?}");
        let missing: Vec<&String> = named.difference(&russian).collect();
        assert!(missing.is_empty(), "ru.ftl lacks keys the pages name: {missing:?}");
    }

    #[test]
    fn russian_plurals_choose_one_few_and_many() {
        assert_eq!(translate_count(Lang::Ru, "days-count", 1), "1 день");
        assert_eq!(translate_count(Lang::Ru, "days-count", 3), "3 дня");
        assert_eq!(translate_count(Lang::Ru, "days-count", 5), "5 дней");
        assert_eq!(translate_count(Lang::Ru, "days-count", 21), "21 день");
        assert_eq!(translate_count(Lang::Ru, "days-count", 11), "11 дней");
        assert_eq!(translate_count(Lang::En, "days-count", 1), "1 day");
        assert_eq!(translate_count(Lang::En, "days-count", 2), "2 days");
    }
}
