//! The demo's source as the learner reads it: highlighted, with each thread's name in the
//! margin of the line it will run next (step mode) or ran last (live and virtual), coloured
//! by its state. It follows the chosen thread; ↑/↓ scroll it by hand.

use super::{panel, timeline};
use crate::engine::{Site, ThreadState, Tid};
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::collections::BTreeMap;

/// A thread's name in the margin.
struct Mark {
    tid: Tid,
    name: String,
    state: ThreadState,
    chosen: bool,
}

/// Each thread's line (0-based) in the demo's source, chosen thread first on each line.
fn marks(app: &App, path: &str) -> BTreeMap<usize, Vec<Mark>> {
    let mut out: BTreeMap<usize, Vec<Mark>> = BTreeMap::new();
    let Some(r) = &app.run else {
        return out;
    };
    let over = r.over();
    for t in &r.trace.threads {
        let state = timeline::state_now(r, t);
        // Once the run is over, threads that did not finish show where they stopped
        // (a deadlock's threads, at the locks they wait for).
        if state == ThreadState::Done {
            continue;
        }
        let next = (!over)
            .then(|| r.status.candidates.iter().find(|c| c.tid == t.tid))
            .flatten()
            .and_then(|c| c.next)
            .and_then(|(_, site)| site);
        let Some(site) = next.or(t.site) else {
            continue;
        };
        if !same_file(&site, path) || site.line == 0 {
            continue;
        }
        out.entry(site.line as usize - 1).or_default().push(Mark {
            tid: t.tid,
            name: t.name.clone(),
            state,
            chosen: app.chosen == Some(t.tid),
        });
    }
    for v in out.values_mut() {
        v.sort_by_key(|m| (!m.chosen, m.tid));
    }
    out
}

fn same_file(site: &Site, path: &str) -> bool {
    site.file == path || site.file.ends_with(path) || path.ends_with(site.file)
}

/// The line the view keeps in sight: the chosen thread's, the first that can move, the
/// busiest.
fn focus(app: &App, marks: &BTreeMap<usize, Vec<Mark>>) -> Option<usize> {
    let line_of = |tid: Tid| {
        marks
            .iter()
            .find(|(_, ms)| ms.iter().any(|m| m.tid == tid))
            .map(|(l, _)| *l)
    };
    if let Some(l) = app.chosen.and_then(line_of) {
        return Some(l);
    }
    if let Some(r) = &app.run
        && let Some(l) = r.status.candidates.iter().find_map(|c| line_of(c.tid))
    {
        return Some(l);
    }
    marks
        .iter()
        .max_by_key(|(l, ms)| (ms.len(), usize::MAX - **l))
        .map(|(l, _)| *l)
}

/// Where the variant's demo function starts, its doc comment included.
fn variant_start(app: &App, lines: &[&str]) -> usize {
    let variant = match &app.run {
        Some(r) => r.variant.as_str(),
        None => app.variant_id(),
    };
    let Some(function) = app.entry().code.function(variant) else {
        return 0;
    };
    // Written as a path (`demo::no_lock`): the function's own name is its last part.
    let name = function.rsplit("::").next().unwrap_or(function).trim();
    let needle = format!("fn {name}(");
    let Some(at) = lines.iter().position(|l| l.contains(&needle)) else {
        return 0;
    };
    let mut start = at;
    while start > 0 && lines[start - 1].trim_start().starts_with("///") {
        start -= 1;
    }
    start
}

/// The panel's inside and the rows left for code (below the challenge strip), for a panel in
/// `area`.
fn code_rows(app: &App, area: Rect, compact: bool) -> (usize, usize) {
    let inner = panel("", compact).inner(area);
    let strip = super::challenges::strip(app, inner.width as usize).len();
    (
        inner.width as usize,
        (inner.height as usize).saturating_sub(strip),
    )
}

fn source_lines(app: &App) -> Option<(&'static str, Vec<&'static str>)> {
    let (path, text) = app.entry().code.source();
    Some((path, text.lines().collect()))
}

/// For a panel in `area`: the first line shown when following the threads (the variant's
/// function from its top while the focus line is in sight there, else just far enough down to
/// show it, so the view moves as little as it can from one step to the next), and the last
/// first line there is (the end of the file at the bottom of the panel).
pub(crate) fn tops(app: &App, area: Rect, compact: bool) -> (usize, usize) {
    let Some((path, lines)) = source_lines(app) else {
        return (0, 0);
    };
    let (_, height) = code_rows(app, area, compact);
    (
        top_for(app, path, &lines, height),
        lines.len().saturating_sub(height),
    )
}

fn top_for(app: &App, path: &str, lines: &[&str], height: usize) -> usize {
    let start = variant_start(app, lines);
    let max = lines.len().saturating_sub(height);
    let top = match focus(app, &marks(app, path)) {
        Some(f) if f >= start && f + 1 < start + height => start,
        Some(f) if f < start => f.saturating_sub(1),
        Some(f) => (f + 2).saturating_sub(height),
        None => start,
    };
    top.min(max)
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, compact: bool) {
    let sw = app.sw();
    let Some((path, lines)) = source_lines(app) else {
        let block = panel(format!(" {} ", sw.source()), compact);
        let p = Paragraph::new(Line::styled(sw.no_source(), theme::dim())).block(block);
        frame.render_widget(p, area);
        return;
    };
    let short: Vec<&str> = path.rsplit('/').take(2).collect();
    let short = short.into_iter().rev().collect::<Vec<_>>().join("/");
    let mut title = vec![Span::raw(format!(" {} ", sw.source_file(&short)))];
    if app.study.source_scroll.is_some() {
        title.push(Span::styled(
            format!("{} ", app.words().more_below()),
            theme::dim(),
        ));
    }
    let block = panel(Line::from(title), compact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut out = super::challenges::strip(app, width);
    let height = (inner.height as usize).saturating_sub(out.len());
    let marks = marks(app, path);
    let top = app
        .study
        .source_scroll
        .unwrap_or_else(|| top_for(app, path, &lines, height))
        .min(lines.len().saturating_sub(height));
    let shown = top..(top + height).min(lines.len());
    let focus = focus(app, &marks);

    let num_w = lines.len().to_string().len();
    // One width for the whole run (the longest name and room for "+N"), so the code does not
    // shift sideways from one step to the next.
    let gutter_w = match &app.run {
        Some(r) if !marks.is_empty() => {
            let longest = r
                .trace
                .threads
                .iter()
                .map(|t| wrap::width(&t.name))
                .max()
                .unwrap_or(4);
            (longest + 3).min((width / 4).clamp(4, 14))
        }
        _ => 0,
    };
    let mut in_comment = false;
    let highlighted: Vec<Vec<(String, Kind)>> = lines
        .iter()
        .map(|l| {
            if compact {
                // Narrow: indent by two instead of four, so more of each line shows.
                let body = l.trim_start_matches(' ');
                let indent = (l.len() - body.len()) / 2;
                highlight(&format!("{}{body}", " ".repeat(indent)), &mut in_comment)
            } else {
                highlight(l, &mut in_comment)
            }
        })
        .collect();
    let code_w = width.saturating_sub(gutter_w + usize::from(gutter_w > 0) + num_w + 2);
    for i in shown {
        let mut spans: Vec<Span> = Vec::new();
        if gutter_w > 0 {
            spans.extend(gutter(marks.get(&i), gutter_w));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(format!("{:>num_w$}", i + 1), theme::dim()));
        let here = marks.contains_key(&i);
        let arrow = match (here, focus == Some(i)) {
            (true, true) => Span::styled("▶", theme::key()),
            (true, false) => Span::styled("›", theme::key()),
            _ => Span::raw(" "),
        };
        spans.push(arrow);
        spans.push(Span::raw(" "));
        let bold = focus == Some(i) && app.chosen.is_some();
        spans.extend(code_spans(&highlighted[i], code_w, bold));
        out.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(out), inner);
}

/// The names on one line, right-aligned in `w` cells: "T1 T2", or "T1 +98" when they do not fit.
fn gutter(marks: Option<&Vec<Mark>>, w: usize) -> Vec<Span<'static>> {
    let Some(marks) = marks else {
        return vec![Span::raw(" ".repeat(w))];
    };
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0;
    for (i, m) in marks.iter().enumerate() {
        let rest = marks.len() - i - 1;
        let more = if rest > 0 {
            format!(" +{rest}").len()
        } else {
            0
        };
        let gap = usize::from(i > 0);
        let name_w = wrap::width(&m.name);
        if used + gap + name_w + more > w {
            let tail = format!("+{}", marks.len() - i);
            let tail = if used == 0 { tail } else { format!(" {tail}") };
            if used + wrap::width(&tail) <= w {
                used += wrap::width(&tail);
                spans.push(Span::styled(tail, theme::dim()));
            }
            break;
        }
        if gap > 0 {
            spans.push(Span::raw(" "));
        }
        let mut style = theme::state(m.state).add_modifier(Modifier::BOLD);
        if m.chosen {
            style = style.patch(theme::selected());
        }
        spans.push(Span::styled(m.name.clone(), style));
        used += gap + name_w;
    }
    let mut out = vec![Span::raw(" ".repeat(w.saturating_sub(used)))];
    out.extend(spans);
    out
}

/// Highlighted pieces cut to `max` cells.
fn code_spans(pieces: &[(String, Kind)], max: usize, bold: bool) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut used = 0;
    for (text, kind) in pieces {
        let w = wrap::width(text);
        let mut style = kind.style();
        if bold {
            style = style.add_modifier(Modifier::BOLD);
        }
        if used + w > max {
            let cut = wrap::truncate(text, max.saturating_sub(used));
            out.push(Span::styled(cut, style));
            break;
        }
        out.push(Span::styled(text.clone(), style));
        used += w;
    }
    out
}

// ---- a small Rust highlighter ----

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Plain,
    Keyword,
    Str,
    Comment,
    Number,
    Macro,
    Type,
    Lifetime,
}

impl Kind {
    fn style(self) -> Style {
        let s = Style::new();
        match self {
            Kind::Plain => s,
            Kind::Keyword => s.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            Kind::Str => s.fg(Color::Green),
            Kind::Comment => s.fg(Color::DarkGray).add_modifier(Modifier::ITALIC),
            Kind::Number => s.fg(Color::Yellow),
            Kind::Macro => s.fg(Color::Cyan),
            Kind::Type => s.fg(Color::LightBlue),
            Kind::Lifetime => s.fg(Color::Magenta),
        }
    }
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while",
];

/// One line of Rust in coloured pieces. `in_comment` carries a `/* */` comment over lines.
fn highlight(line: &str, in_comment: &mut bool) -> Vec<(String, Kind)> {
    let line = line.replace('\t', "    ");
    let chars: Vec<char> = line.chars().collect();
    let mut out: Vec<(String, Kind)> = Vec::new();
    let mut push = |text: String, kind: Kind| match out.last_mut() {
        Some((t, k)) if *k == kind => t.push_str(&text),
        _ => out.push((text, kind)),
    };
    let take = |from: usize, to: usize| chars[from..to.min(chars.len())].iter().collect::<String>();
    let find = |from: usize, pat: &str| {
        let pat: Vec<char> = pat.chars().collect();
        (from..chars.len()).find(|&j| chars[j..].starts_with(&pat))
    };
    let mut i = 0;
    while i < chars.len() {
        if *in_comment {
            match find(i, "*/") {
                Some(end) => {
                    push(take(i, end + 2), Kind::Comment);
                    *in_comment = false;
                    i = end + 2;
                }
                None => {
                    push(take(i, chars.len()), Kind::Comment);
                    i = chars.len();
                }
            }
            continue;
        }
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            push(take(i, chars.len()), Kind::Comment);
            break;
        }
        if c == '/' && next == Some('*') {
            *in_comment = true;
            push(take(i, i + 2), Kind::Comment);
            i += 2;
            continue;
        }
        if c == '"' || (c == 'r' && matches!(next, Some('"') | Some('#'))) {
            // A string, or a raw string r"..." / r#"..."#.
            let (open, close) = if c == '"' {
                (1, "\"".to_string())
            } else {
                let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
                if chars.get(i + 1 + hashes) != Some(&'"') {
                    // `r#ident`, not a string.
                    push(c.to_string(), Kind::Plain);
                    i += 1;
                    continue;
                }
                (2 + hashes, format!("\"{}", "#".repeat(hashes)))
            };
            let mut j = i + open;
            let end = loop {
                match find(j, &close) {
                    Some(k) if c == '"' && escaped(&chars, k) => j = k + 1,
                    Some(k) => break k + close.chars().count(),
                    None => break chars.len(),
                }
            };
            push(take(i, end), Kind::Str);
            i = end;
            continue;
        }
        if c == '\'' {
            // 'x' or '\n' is a character; 'a alone is a lifetime.
            let close = if next == Some('\\') {
                find(i + 2, "'").map(|k| k + 1)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match close {
                Some(end) => {
                    push(take(i, end), Kind::Str);
                    i = end;
                }
                None => {
                    let end = (i + 1..chars.len())
                        .find(|&j| !(chars[j].is_alphanumeric() || chars[j] == '_'))
                        .unwrap_or(chars.len());
                    push(take(i, end), Kind::Lifetime);
                    i = end;
                }
            }
            continue;
        }
        if c.is_ascii_digit() {
            let mut j = i + 1;
            while j < chars.len() {
                let d = chars[j];
                let dot_number = d == '.' && chars.get(j + 1).is_some_and(|n| n.is_ascii_digit());
                if d.is_ascii_alphanumeric() || d == '_' || dot_number {
                    j += 1;
                } else {
                    break;
                }
            }
            push(take(i, j), Kind::Number);
            i = j;
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let word = take(i, j);
            let kind = if chars.get(j) == Some(&'!') && chars.get(j + 1) != Some(&'=') {
                j += 1;
                Kind::Macro
            } else if KEYWORDS.contains(&word.as_str()) {
                Kind::Keyword
            } else if c.is_uppercase() {
                Kind::Type
            } else {
                Kind::Plain
            };
            push(take(i, j), kind);
            i = j;
            continue;
        }
        push(c.to_string(), Kind::Plain);
        i += 1;
    }
    out
}

/// Whether the quote at `k` is escaped by an odd number of backslashes.
fn escaped(chars: &[char], k: usize) -> bool {
    chars[..k].iter().rev().take_while(|&&c| c == '\\').count() % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(String, Kind)> {
        highlight(line, &mut false)
    }

    fn kind_of(line: &str, piece: &str) -> Kind {
        kinds(line)
            .into_iter()
            .find(|(t, _)| t.contains(piece))
            .unwrap_or_else(|| panic!("{piece} in {:?}", kinds(line)))
            .1
    }

    #[test]
    fn keywords_strings_comments_numbers_macros() {
        let l = r#"    let n = Arc::new(Shared::new("n", 100)); // shared"#;
        assert_eq!(kind_of(l, "let"), Kind::Keyword);
        assert_eq!(kind_of(l, "\"n\""), Kind::Str);
        assert_eq!(kind_of(l, "100"), Kind::Number);
        assert_eq!(kind_of(l, "// shared"), Kind::Comment);
        assert_eq!(kind_of(l, "Shared"), Kind::Type);
        assert_eq!(kind_of(r#"format!("T{i}")"#, "format!"), Kind::Macro);
        assert_eq!(kind_of("for i in 1..=5 {", "1"), Kind::Number);
        assert_eq!(kind_of("x != y", "x"), Kind::Plain, "`!=` is no macro");
        // The whole line comes back, piece by piece.
        let joined: String = kinds(l).into_iter().map(|(t, _)| t).collect();
        assert_eq!(joined, l);
    }

    #[test]
    fn escapes_chars_lifetimes_and_block_comments() {
        assert_eq!(kind_of(r#"let s = "a \" b"; x"#, r#"a \" b"#), Kind::Str);
        assert_eq!(kind_of(r#"let s = "a \" b"; x"#, "x"), Kind::Plain);
        assert_eq!(kind_of("let c = 'x';", "'x'"), Kind::Str);
        assert_eq!(kind_of("fn f<'a>(x: &'a str)", "'a"), Kind::Lifetime);
        assert_eq!(kind_of(r##"let r = r#"raw "x""#;"##, "raw"), Kind::Str);
        let mut open = false;
        assert_eq!(
            highlight("a /* start", &mut open).last().unwrap().1,
            Kind::Comment
        );
        assert!(open);
        let rest = highlight("still */ b", &mut open);
        assert_eq!(rest[0], ("still */".to_string(), Kind::Comment));
        assert!(!open);
    }
}
