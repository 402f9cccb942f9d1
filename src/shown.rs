//! Text from outside (lesson files, arguments) made safe to print: control characters are
//! escaped (`\u{1b}`), as the screen never draws them raw, and input echoed in an error is cut
//! at a readable length.

/// An echoed input is cut after this many characters.
pub const MAX_ECHO_CHARS: usize = 60;

/// A whole error line is cut (in its middle) past this many characters.
pub const MAX_ERROR_CHARS: usize = 300;

/// `s` with every control character written as its escape, e.g. ESC as `\u{1b}`.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// [`escape_controls`], keeping line breaks: for whole outputs of several lines.
pub fn escape_controls_but_newlines(s: &str) -> String {
    s.split('\n')
        .map(escape_controls)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Input echoed in a message: escaped, and cut after [`MAX_ECHO_CHARS`] characters.
pub fn shown(s: &str) -> String {
    let escaped = escape_controls(s);
    if escaped.chars().count() <= MAX_ECHO_CHARS {
        return escaped;
    }
    let cut: String = escaped.chars().take(MAX_ECHO_CHARS).collect();
    format!("{cut}…")
}

/// A one-line error as printed: escaped, on one line, and cut in its middle when too long (so
/// its start and its advice at the end both stay).
pub fn error_line(s: &str) -> String {
    let one = escape_controls(&s.replace('\n', " "));
    let n = one.chars().count();
    if n <= MAX_ERROR_CHARS {
        return one;
    }
    let head: String = one.chars().take(MAX_ERROR_CHARS * 2 / 3).collect();
    let tail: String = one.chars().skip(n - MAX_ERROR_CHARS / 4).collect();
    format!("{head} … {tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_cuts() {
        assert_eq!(escape_controls("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(escape_controls_but_newlines("a\nb\r"), "a\nb\\u{d}");
        assert_eq!(shown(&"x".repeat(100)).chars().count(), MAX_ECHO_CHARS + 1);
        let long = format!("start {} end", "y".repeat(1000));
        let line = error_line(&long);
        assert!(
            line.starts_with("start ") && line.ends_with(" end"),
            "{line}"
        );
        assert!(line.chars().count() < MAX_ERROR_CHARS + 10);
    }
}
