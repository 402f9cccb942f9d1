//! Text measured and wrapped in terminal cells (a Chinese character takes two).
//!
//! Widths are `unicode-width`'s, the same the screen uses. Wrapping is `textwrap`'s, first fit:
//! each line takes as many pieces as fit, and a piece wider than a whole line is cut by
//! characters. Where a line may break is ours, given to textwrap as its word separator: English
//! at spaces only (never inside `no-lock`, `--param` or `making/eating`), Chinese between any
//! two characters, never before a closing mark such as "，" or after an opening one such as "“".

use textwrap::core::Word;
use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm};
use unicode_width::UnicodeWidthStr;

/// The cells a string takes (Chinese characters take two).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    width(c.encode_utf8(&mut buf))
}

/// Marks that must not start a line.
fn closes(c: char) -> bool {
    "，。、；：！？）」』”’》…,.;:!?)".contains(c)
}

/// Marks that must not end a line.
fn opens(c: char) -> bool {
    "（「『“‘《".contains(c)
}

/// The unbreakable pieces of `line`, each with the whitespace after it. A run of narrow
/// characters is one piece (an English word, `n.set(tmp`); a wide character is a piece of its
/// own, joined by the closing marks after it and to the opening marks before it.
///
/// Why not textwrap's own Unicode separator (UAX #14 through `icu_segmenter`, some 25 more
/// crates): it breaks after a slash ("busy: making/" | "eating", `put`/ | `get`), and never
/// beside a Chinese quotation mark, so "会“顶回" moves as one piece and a line ends short.
fn pieces(line: &str) -> Box<dyn Iterator<Item = Word<'_>> + '_> {
    let mut out = Vec::new();
    // The current piece's start and end, and the last character in it.
    let mut piece: Option<(usize, usize, char)> = None;
    let mut space = false;
    let mut glue_next = false; // the previous character was an opening mark
    let word = |(start, end): (usize, usize), next: usize| {
        let text = &line[start..end];
        Word {
            word: text,
            whitespace: &line[end..next],
            penalty: "",
            width: width(text),
        }
    };
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            space = true;
            glue_next = false;
            continue;
        }
        let end = i + c.len_utf8();
        let join = match piece {
            None => false,
            Some(_) if space => false,
            Some(_) if glue_next || closes(c) => true,
            // A narrow character continues a narrow word; a wide one stands alone.
            Some((.., last)) => char_width(c) <= 1 && char_width(last) <= 1,
        };
        piece = match piece {
            Some((start, _, _)) if join => Some((start, end, c)),
            Some((start, prev_end, _)) => {
                out.push(word((start, prev_end), i));
                Some((i, end, c))
            }
            None => Some((i, end, c)),
        };
        glue_next = opens(c);
        space = false;
    }
    if let Some((start, end, _)) = piece {
        out.push(word((start, end), line.len()));
    }
    Box::new(out.into_iter())
}

/// Wrap `text` to `width` cells. Each `\n` starts a new line; blank lines stay; spaces that
/// start a line are dropped.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let options = Options::new(width.max(1))
        .word_separator(WordSeparator::Custom(pieces))
        .word_splitter(WordSplitter::NoHyphenation)
        .wrap_algorithm(WrapAlgorithm::FirstFit)
        .break_words(true);
    text.lines()
        .flat_map(|line| textwrap::wrap(line.trim_start(), &options))
        .map(|l| l.into_owned())
        .collect()
}

/// Cut `s` to at most `max` cells, ending with "…" when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_breaks_at_spaces() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("aa\n\nbb", 10), ["aa", "", "bb"]);
    }

    #[test]
    fn chinese_breaks_between_characters_but_not_before_a_comma() {
        let lines = wrap("我们启动线程，每个线程", 12);
        assert!(lines.iter().all(|l| width(l) <= 12), "{lines:?}");
        assert!(lines.iter().all(|l| !l.starts_with('，')), "{lines:?}");
        assert_eq!(lines.concat(), "我们启动线程，每个线程");
    }

    #[test]
    fn english_does_not_break_at_slashes_or_hyphens() {
        assert_eq!(wrap("busy: making/eating", 14), ["busy:", "making/eating"]);
        assert_eq!(wrap("run no-lock", 8), ["run", "no-lock"]);
    }

    #[test]
    fn chinese_quotation_marks_stay_with_the_words_they_enclose() {
        let lines = wrap("队列会“顶回去”（背压）", 8);
        assert_eq!(lines.concat(), "队列会“顶回去”（背压）");
        assert_eq!(lines[0], "队列会");
        for l in &lines {
            assert!(width(l) <= 8, "{lines:?}");
            assert!(!l.ends_with('“') && !l.ends_with('（'), "{lines:?}");
            assert!(!l.starts_with('”') && !l.starts_with('）'), "{lines:?}");
        }
    }

    #[test]
    fn spaces_at_either_end_of_a_line_go() {
        assert_eq!(wrap("  aa bb", 4), ["aa", "bb"]);
        assert_eq!(wrap("aa bb ", 10), ["aa bb"]);
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn long_words_are_cut() {
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
    }

    #[test]
    fn truncate_measures_cells() {
        assert_eq!(truncate("中文字", 4), "中…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
