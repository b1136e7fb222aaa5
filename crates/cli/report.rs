//! Diagnostics for a terminal: `file:line:col: message`, the source line with a caret under
//! the problem, then `help: …`.
//!
//! ```text
//! specs/x.yaml:5:15: unknown box 'strage'
//!   |
//! 5 |   - ingest -> strage
//!   |               ^^^^^^
//! help: did you mean 'storage'?
//! ```

use std::fmt::Write as _;

use archdraw::model::text::width;
use archdraw::{Diagnostic, Error};

/// More problems than this are counted, not shown: a broken generated file can have thousands.
const MAX_SHOWN: usize = 50;

/// A source line longer than this many chars is shown as a window around the problem.
const MAX_LINE: usize = 120;

/// An importer's `warnings` for the spec `name` whose text is `source`, located like errors,
/// each marked `warning:`; `None` when there are none.
pub fn warnings(name: &str, source: &str, warnings: Vec<Diagnostic>) -> Option<String> {
    if warnings.is_empty() {
        return None;
    }
    let marked = warnings
        .into_iter()
        .map(|mut w| {
            w.message.insert_str(0, "warning: ");
            w
        })
        .collect();
    Some(render(name, source, &Error::new(marked)))
}

/// Every diagnostic of `error` for the spec `name` whose text is `source`.
pub fn render(name: &str, source: &str, error: &Error) -> String {
    let name = sanitize(name);
    // The library parses without the BOM, so its line 1 columns are counted without it too.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let lines = split_lines(source);
    let mut out = String::new();
    for (i, diagnostic) in error.diagnostics.iter().take(MAX_SHOWN).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_one(&mut out, &name, &lines, diagnostic);
    }
    let hidden = error.diagnostics.len().saturating_sub(MAX_SHOWN);
    if hidden > 0 {
        let _ = writeln!(out, "\n{name}: … and {hidden} more problems");
    }
    out
}

fn render_one(out: &mut String, name: &str, lines: &[&str], diagnostic: &Diagnostic) {
    let span = diagnostic.span;
    match span {
        // The library escapes user text in its messages; this keeps any that slipped through
        // from reaching the terminal raw.
        Some(span) => {
            let message = sanitize(&diagnostic.message);
            let _ = writeln!(out, "{name}:{}:{}: {message}", span.line, span.column);
        }
        None => {
            let _ = writeln!(out, "{name}: {}", sanitize(&diagnostic.message));
        }
    }
    if let Some(span) = span
        && let Some(line) = span.line.checked_sub(1).and_then(|i| lines.get(i))
    {
        snippet(out, span.line, line, span.column.saturating_sub(1), span.len);
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "help: {}", sanitize(help));
    }
}

/// The source line and a caret line under chars `start..start + len` (at least one caret,
/// clipped to the end of the line).
fn snippet(out: &mut String, number: usize, line: &str, start: usize, len: usize) {
    let chars: Vec<char> = line.chars().collect();
    // Long lines (minified YAML, a huge label) are cut to a window around the problem.
    let (from, to) = if chars.len() > MAX_LINE {
        let from = start.saturating_sub(MAX_LINE / 2).min(chars.len());
        (from, (from + MAX_LINE).min(chars.len()))
    } else {
        (0, chars.len())
    };
    let mut shown = String::new();
    let mut before = 0; // cells before the caret
    let mut under = 0; // cells under the span
    if from > 0 {
        shown.push('…');
        before += 1;
    }
    for (i, &c) in chars.iter().enumerate().take(to).skip(from) {
        let cell = display(c);
        let w = width(&cell);
        if i < start {
            before += w;
        } else if i < start + len.max(1) {
            under += w;
        }
        shown.push_str(&cell);
    }
    if to < chars.len() {
        shown.push('…');
    }
    // A problem past the end of the line (a missing value, the end of the file): the window
    // then ends at the line's end, so the caret goes that many cells further right.
    before += start.saturating_sub(chars.len());
    let gutter = number.to_string();
    let pad = " ".repeat(gutter.len());
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{gutter} | {}", shown.trim_end());
    let _ = writeln!(out, "{pad} | {}{}", " ".repeat(before), "^".repeat(under.max(1)));
}

/// How a source char is shown: tabs as four spaces (the same width the caret line counts),
/// other control characters as U+FFFD so they never reach the terminal. So are the characters
/// that reorder or break a terminal line without being control characters (bidi embeddings,
/// overrides and isolates, line and paragraph separators): the spec is refused for holding
/// them, and the snippet that shows where must not do what they do.
fn display(c: char) -> String {
    match c {
        '\t' => "    ".to_owned(),
        c if c.is_control() => '\u{fffd}'.to_string(),
        c if archdraw::model::text::is_hidden_control(c) => '\u{fffd}'.to_string(),
        c => c.to_string(),
    }
}

/// Lines as YAML counts them: `\r\n`, `\n` and a lone `\r` each end a line.
fn split_lines(source: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = source;
    while let Some(end) = rest.find(['\n', '\r']) {
        lines.push(&rest[..end]);
        let skip = if rest[end..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[end + skip..];
    }
    lines.push(rest);
    lines
}

/// A name (a file path) with control characters escaped, so it is safe to print.
/// Bidirectional controls and marks and other invisible formatting characters are escaped too
/// (`\u{202e}`), so a file name cannot reorder the message it is printed in.
pub fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() || archdraw::model::text::is_hidden_control(c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use archdraw::Span;

    use super::*;

    fn one(source: &str, span: Span, help: Option<&str>) -> String {
        let mut d = Diagnostic::new("problem").with_span(span);
        d.help = help.map(str::to_owned);
        render("x.yaml", source, &Error::from(d))
    }

    #[test]
    fn the_header_then_the_line_and_caret_then_help() {
        let got = one("a: 1\nboxes: [bb]\n", Span::new(2, 9, 2), Some("did you mean 'b'?"));
        assert_eq!(
            got,
            "x.yaml:2:9: problem\n  |\n2 | boxes: [bb]\n  |         ^^\nhelp: did you mean 'b'?\n"
        );
    }

    #[test]
    fn carets_line_up_under_wide_characters_and_tabs() {
        let got = one("t: \"数据\tx\" y\n", Span::new(1, 8, 1), None);
        let lines: Vec<_> = got.lines().collect();
        assert_eq!(lines[2], "1 | t: \"数据    x\" y");
        // The caret line is ASCII, so its byte offset is its cell offset.
        let caret = lines[3].find('^').unwrap();
        let x = lines[2].find('x').unwrap();
        // `1 | t: "` (8) + 数据 (4 cells) + the tab's 4 spaces = 16 cells before the x.
        assert_eq!((width(&lines[2][..x]), caret), (16, 16));
    }

    #[test]
    fn crlf_and_lone_cr_end_lines_like_yaml() {
        assert_eq!(split_lines("a\r\nb\rc\nd"), ["a", "b", "c", "d"]);
        let got = one("a: 1\r\nb: 2\r\n", Span::new(2, 4, 1), None);
        assert!(got.contains("2 | b: 2\n  |    ^\n"), "{got}");
    }

    #[test]
    fn a_point_past_the_end_of_the_line_gets_one_caret_there() {
        let got = one("key:\n", Span::new(1, 5, 0), None);
        assert!(got.ends_with("1 | key:\n  |     ^\n"), "{got}");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let got = one("t: a\u{1b}[31m\n", Span::new(1, 5, 1), None);
        assert!(!got.contains('\u{1b}'));
        assert!(got.contains("t: a\u{fffd}[31m"));
        assert_eq!(sanitize("a\u{1b}b"), "a\\u{1b}b");
        assert_eq!(sanitize("evil\u{202e}txt.yaml"), "evil\\u{202e}txt.yaml");
        assert_eq!(sanitize("a\u{2066}b\u{200f}c\u{e0041}"), "a\\u{2066}b\\u{200f}c\\u{e0041}");
        let mut d = Diagnostic::new("unknown box 'a\u{202e}b'").with_span(Span::new(1, 1, 1));
        d.help = Some("did you mean 'a\u{2067}'?".into());
        let got = render("x\u{202e}.yaml", "a\n", &Error::from(d));
        assert!(!got.chars().any(archdraw::model::text::is_hidden_control), "{got}");
        let got = one("t: a\u{202e}b\u{2028}c\n", Span::new(1, 5, 1), None);
        assert!(got.contains("t: a\u{fffd}b\u{fffd}c"), "{got}");
    }

    #[test]
    fn long_lines_are_cut_around_the_problem() {
        let line = format!("{}HERE{}", "x".repeat(500), "y".repeat(500));
        let got = one(&line, Span::new(1, 501, 4), None);
        let lines: Vec<_> = got.lines().collect();
        assert!(lines[2].chars().count() < 140, "{}", lines[2]);
        let caret = lines[3].find('^').unwrap();
        assert_eq!(&lines[2].chars().skip(caret).take(4).collect::<String>(), "HERE");
    }

    #[test]
    fn unlocated_problems_have_no_snippet_and_many_are_capped() {
        let many: Vec<_> = (0..60).map(|i| Diagnostic::new(format!("p{i}"))).collect();
        let got = render("x.yaml", "", &Error::new(many));
        assert!(got.starts_with("x.yaml: p0\n\nx.yaml: p1\n"));
        assert!(got.ends_with("x.yaml: … and 10 more problems\n"), "{got}");
    }
}
