//! Every word the program shows, in English and Chinese.
//!
//! One shape for all of them: a catalog made with [`catalog!`], a table of entries, each with
//! its English and its Chinese text (a missing language does not compile), and arguments for
//! the ones that take values (`threads(n: usize): "{n} threads" | "{n} 个线程"`), checked by
//! the compiler like any `format!`. The program's own words are in [`app`]; a lesson's words
//! are in its folder (`src/lessons/ID/words.rs`), next to its panel and checks. A test reads
//! every catalog's table (`ENTRIES`): no text empty, the same placeholders in both languages.
//!
//! Why a table of our own rather than an i18n crate: the texts are checked when the program is
//! built (a key, a language or an argument cannot go missing at run time), the language is a
//! value passed along (tests in both languages run side by side), and nothing is read from
//! files at start-up.

pub mod app;
pub mod cli;
pub mod explore;
pub mod log;
pub mod screen;
pub mod study;
pub mod timing;

/// Every catalog's entries with its name: the program's, then every lesson's.
pub fn catalogs() -> Vec<(String, &'static [Entry])> {
    let mut all: Vec<(String, &'static [Entry])> = vec![
        ("app".into(), app::Words::ENTRIES),
        ("log".into(), log::Words::ENTRIES),
        ("cli".into(), cli::Words::ENTRIES),
        ("screen".into(), screen::Words::ENTRIES),
        ("timing".into(), timing::CompareWords::ENTRIES),
        ("study".into(), study::StudyWords::ENTRIES),
        ("explore".into(), explore::Words::ENTRIES),
    ];
    for l in crate::lessons::all() {
        all.push((format!("lessons/{}", l.id()), l.words()));
    }
    all
}

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// The language texts are shown in.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// Every language, in the order a "switch language" key cycles through them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The code used on the command line and in lesson files: `en`, `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The next language in [`Lang::ALL`], wrapping around.
    pub fn next(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "zh" => Ok(Lang::Zh),
            _ => Err(format!("unknown language `{s}` (known: en, zh)")),
        }
    }
}

/// A text in every language. Paragraphs are separated by a blank line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// The same words made in each language by `f`.
    pub fn each(f: impl Fn(Lang) -> String) -> Text {
        Text {
            en: f(Lang::En),
            zh: f(Lang::Zh),
        }
    }

    /// The same text in every language (a number, a name).
    pub fn same(s: impl Into<String>) -> Text {
        let s = s.into();
        Text {
            en: s.clone(),
            zh: s,
        }
    }
}

/// One entry of a catalog as written: its key and its two texts (templates for entries with
/// arguments), for the test that reads every catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: &'static str,
    /// Its arguments, each used in both texts (a bracket's values may be used in one only).
    pub args: &'static [&'static str],
    pub en: &'static str,
    pub zh: &'static str,
}

/// A catalog: a `Copy` type holding the language, with one method per entry.
///
/// ```ignore
/// catalog! {
///     /// The kettle panel's words.
///     pub struct Words;
///     /// Column heading.
///     blocks: "Zhang blocks" | "老张阻塞";
///     tv(s: f64): "TV {s:.1}s" | "电视{s:.1}s";
///     trips(n: u64) [s = if n == 1 { "" } else { "s" }]: "{n} trip{s}" | "跑{n}趟";
/// }
/// ```
///
/// An entry without arguments returns `&'static str`; one with arguments formats a `String`
/// (the bracket defines values both templates may use). `Words(lang)` or `Words::from(lang)`
/// makes one; `Words::ENTRIES` lists them.
#[macro_export]
macro_rules! catalog {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident;
        $(
            $(#[$emeta:meta])*
            $key:ident $( ( $($arg:ident : $ty:ty),* $(,)? ) )? $( [ $($l:ident = $e:expr),* $(,)? ] )? : $en:literal | $zh:literal ;
        )*
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis struct $name(pub $crate::words::Lang);

        impl From<$crate::words::Lang> for $name {
            fn from(lang: $crate::words::Lang) -> $name {
                $name(lang)
            }
        }

        #[allow(clippy::too_many_arguments, dead_code)]
        impl $name {
            $(
                $crate::catalog!(@entry $(#[$emeta])* $key $( ( $($arg : $ty),* ) )? [ $($( $l = $e ),*)? ] $en $zh);
            )*

            /// Every entry as written, for the test that reads every catalog.
            pub const ENTRIES: &'static [$crate::words::Entry] = &[
                $($crate::words::Entry {
                    key: stringify!($key),
                    args: &[$($(stringify!($arg)),*)?],
                    en: $en,
                    zh: $zh,
                }),*
            ];
        }
    };
    (@entry $(#[$emeta:meta])* $key:ident [ ] $en:literal $zh:literal) => {
        $(#[$emeta])*
        pub fn $key(self) -> &'static str {
            match self.0 {
                $crate::words::Lang::En => $en,
                $crate::words::Lang::Zh => $zh,
            }
        }
    };
    (@entry $(#[$emeta:meta])* $key:ident ( $($arg:ident : $ty:ty),* ) [ $($l:ident = $e:expr),* ] $en:literal $zh:literal) => {
        $(#[$emeta])*
        pub fn $key(self, $($arg: $ty),*) -> String {
            $(let $l = $e;)*
            match self.0 {
                $crate::words::Lang::En => format!($en),
                $crate::words::Lang::Zh => format!($zh),
            }
        }
    };
}
