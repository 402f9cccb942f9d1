//! Every word the program shows exists in English and Chinese: every entry of every catalog
//! (the program's and each lesson's) has both texts, with the same placeholders.

use lockstep::words::{Entry, catalogs};
use std::collections::BTreeSet;

/// The `{name}` / `{name:.1}` placeholders of a template, by name.
fn placeholders(t: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = t;
    while let Some(i) = rest.find('{') {
        if rest[i..].starts_with("{{") {
            rest = &rest[i + 2..];
            continue;
        }
        let Some(j) = rest[i..].find('}') else { break };
        let inner = &rest[i + 1..i + j];
        out.insert(inner.split(':').next().unwrap_or("").to_string());
        rest = &rest[i + j + 1..];
    }
    out
}

/// Entries whose Chinese is rightly the same as their English: symbols, names, numbers.
fn same_in_both(e: &Entry) -> bool {
    !e.en.chars().any(|c| c.is_ascii_alphabetic())
        || e.en.chars().filter(|c| c.is_ascii_alphabetic()).count() <= 4
        || placeholders(e.en).len() * 4 >= e.en.chars().filter(|c| c.is_ascii_alphabetic()).count()
}

#[test]
fn every_entry_of_every_catalog_is_in_both_languages() {
    let all = catalogs();
    assert!(all.len() > 1, "the program's catalog and the lessons'");
    let mut problems = Vec::new();
    for (name, entries) in &all {
        let mut keys = BTreeSet::new();
        for e in entries.iter() {
            let here = format!("{name}.{}", e.key);
            if !keys.insert(e.key) {
                problems.push(format!("{here}: written twice"));
            }
            if e.en.trim().is_empty() || e.zh.trim().is_empty() {
                problems.push(format!("{here}: an empty text"));
            }
            for arg in e.args {
                for (lang, t) in [("en", e.en), ("zh", e.zh)] {
                    if !placeholders(t).contains(*arg) {
                        problems.push(format!("{here}: {lang} `{t}` does not show `{arg}`"));
                    }
                }
            }
            if e.en == e.zh && !same_in_both(e) {
                problems.push(format!("{here}: the Chinese is the English `{}`", e.en));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
