//! Word wrapping measured in terminal cells: English breaks at spaces, Chinese between any two
//! characters (never before a closing mark such as "，" or after an opening one such as "“").

use ratatui::text::Span;

/// The cells a string takes (Chinese characters take two).
pub fn width(s: &str) -> usize {
    Span::raw(s).width()
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

/// One unbreakable piece, and whether a space came before it.
struct Token {
    text: String,
    width: usize,
    space_before: bool,
}

fn tokens(line: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut space = false;
    let mut glue_next = false; // the previous token was an opening mark
    for c in line.chars() {
        if c.is_whitespace() {
            space = true;
            glue_next = false;
            continue;
        }
        let w = char_width(c);
        let wide = w > 1;
        let join = match out.last() {
            None => false,
            Some(_) if space => false,
            Some(_) if glue_next || closes(c) => true,
            // A narrow character continues a narrow word; a wide one stands alone.
            Some(last) => !wide && last.text.chars().last().is_none_or(|l| char_width(l) <= 1),
        };
        if join {
            let last = out.last_mut().expect("checked above");
            last.text.push(c);
            last.width += w;
        } else {
            out.push(Token {
                text: c.to_string(),
                width: w,
                space_before: space && !out.is_empty(),
            });
        }
        glue_next = opens(c);
        space = false;
    }
    out
}

/// Wrap `text` to `width` cells. Each `\n` starts a new line; blank lines stay.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for source in text.lines() {
        let mut line = String::new();
        let mut used = 0;
        for t in tokens(source) {
            let gap = usize::from(t.space_before && used > 0);
            if used > 0 && used + gap + t.width > width {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            if used > 0 && t.space_before {
                line.push(' ');
                used += 1;
            }
            if t.width <= width - used.min(width) {
                line.push_str(&t.text);
                used += t.width;
                continue;
            }
            // Longer than a whole line: cut it by characters.
            for c in t.text.chars() {
                let w = char_width(c);
                if used + w > width && used > 0 {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += w;
            }
        }
        lines.push(line);
    }
    lines
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
    fn long_words_are_cut() {
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
    }

    #[test]
    fn truncate_measures_cells() {
        assert_eq!(truncate("中文字", 4), "中…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
