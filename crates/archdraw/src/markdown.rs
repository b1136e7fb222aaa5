//! Diagrams kept inside Markdown: every ```` ```archdraw ```` block is followed by its drawing.
//!
//! A fenced code block whose info string starts with `archdraw` holds a spec. [`update`]
//! puts the spec's drawing right after it, in a fenced `text` block between two markers that
//! archdraw owns, and refreshes that block when it is there already:
//!
//! ````markdown
//! ```archdraw ascii width=72
//! boxes: [{title: App}, {title: DB}]
//! arrows: [app -> db]
//! ```
//!
//! <!-- archdraw:begin -->
//! ```text
//! +-----+    +----+
//! | App |--->| DB |
//! +-----+    +----+
//! ```
//! <!-- archdraw:end -->
//! ````
//!
//! Everything else in the file is left exactly as it was, byte for byte: other code blocks
//! (including an `archdraw` block shown inside a longer fence, as above), text, trailing white
//! space, line ends. New lines follow the line end of the block's own closing fence, so a CRLF
//! file stays CRLF. The drawing block is found again by its markers: it must follow the spec
//! block with nothing but blank lines between them, or a new one is inserted.
//!
//! Options follow `archdraw` in the info string, separated by spaces: `text` (the default) or
//! `ascii` for the character set, and `width=N` to fit the drawing into N columns.
//!
//! Errors in a spec are reported at their line and column in the Markdown file.

use crate::diagnostic::{Diagnostic, Error, Span};
use crate::{Format, Options};

/// The line that opens the drawing block archdraw owns.
///
/// ```
/// let doc = archdraw::markdown::update("```archdraw\nboxes: [{title: A}]\n```\n", &Default::default())?;
/// assert!(doc.contains(&format!("\n{}\n```text\n", archdraw::markdown::BEGIN)));
/// # Ok::<(), archdraw::Error>(())
/// ```
pub const BEGIN: &str = "<!-- archdraw:begin -->";
/// The line that closes the drawing block archdraw owns.
///
/// ```
/// let doc = archdraw::markdown::update("```archdraw\nboxes: [{title: A}]\n```\n", &Default::default())?;
/// assert!(doc.ends_with(&format!("```\n{}\n", archdraw::markdown::END)));
/// # Ok::<(), archdraw::Error>(())
/// ```
pub const END: &str = "<!-- archdraw:end -->";

/// Brings every drawing in a Markdown document up to date; returns the whole new document.
///
/// `options` applies to every block (its limits in particular); a block's info string
/// overrides the format and width. The result equals `markdown` when every drawing is current,
/// so a caller can tell a stale file by comparing.
///
/// # Errors
///
/// Every problem in every block, located in the Markdown file: spec errors, an unknown option
/// in an info string, a spec block that is never closed, a drawing block with no end marker.
///
/// ```
/// let doc = "# Flow\n\n```archdraw\nboxes: [{title: A}, {title: B}]\narrows: [a -> b]\n```\n\nMore text.\n";
/// let updated = archdraw::markdown::update(doc, &archdraw::Options::default())?;
/// assert!(updated.starts_with(doc.strip_suffix("\nMore text.\n").unwrap()));
/// assert!(updated.contains("<!-- archdraw:begin -->\n```text\n┌───┐"));
/// assert!(updated.ends_with("<!-- archdraw:end -->\n\nMore text.\n"));
/// // A second run changes nothing.
/// assert_eq!(archdraw::markdown::update(&updated, &archdraw::Options::default())?, updated);
///
/// let broken = "```archdraw\nboxes: [{title: A}]\narrows: [a -> b]\n```\n";
/// let error = archdraw::markdown::update(broken, &archdraw::Options::default()).unwrap_err();
/// assert_eq!(error.diagnostics[0].message, "unknown box 'b'");
/// assert_eq!(error.diagnostics[0].span.map(|s| (s.line, s.column)), Some((3, 15)));
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn update(markdown: &str, options: &Options) -> Result<String, Error> {
    let lines = split_lines(markdown);
    let mut out = String::with_capacity(markdown.len());
    let mut problems = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let Some(fence) = Fence::open(line.text) else {
            out.push_str(line.all);
            i += 1;
            continue;
        };
        let close = (i + 1..lines.len()).find(|&j| fence.is_closed_by(lines[j].text));
        let is_spec = fence.info.split_whitespace().next() == Some("archdraw");
        if !is_spec {
            // Copied whole, so nothing inside another block (an example of this very
            // syntax in a longer fence) is ever taken for a spec.
            let end = close.map_or(lines.len(), |c| c + 1);
            lines[i..end].iter().for_each(|l| out.push_str(l.all));
            i = end;
            continue;
        }
        let Some(close) = close else {
            problems.push(
                Diagnostic::new("this archdraw block is never closed")
                    .with_span(Span::new(i + 1, fence.indent + 1, fence.marker_len))
                    .with_help(format!("end it with a line of {}", fence.closing())),
            );
            lines[i..].iter().for_each(|l| out.push_str(l.all));
            break;
        };
        lines[i..=close].iter().for_each(|l| out.push_str(l.all));
        let block = Block { fence: &fence, open_line: i + 1, body: &lines[i + 1..close] };
        let drawing = block.render(options);

        // The drawing block that is there already: after blank lines only, from BEGIN to END.
        let mut next = close + 1;
        while next < lines.len() && lines[next].text.trim().is_empty() {
            next += 1;
        }
        let existing = (next < lines.len() && lines[next].text.trim() == BEGIN).then_some(next);
        let existing_end = existing.map(|begin| {
            (begin + 1..lines.len()).find(|&j| lines[j].text.trim() == END).ok_or(begin)
        });
        let newline = lines[close].ending_or(lines.iter().find_map(|l| l.ending()));
        match drawing {
            Err(error) => {
                problems.extend(error.diagnostics);
                i = close + 1;
            }
            Ok(drawing) => match existing_end {
                Some(Err(begin)) => {
                    problems.push(
                        Diagnostic::new(format!("`{BEGIN}` has no `{END}` after it"))
                            .with_span(Span::new(begin + 1, 1, BEGIN.len()))
                            .with_help(format!(
                                "add `{END}` after the drawing, or delete the marker to have \
                                 the drawing inserted again"
                            )),
                    );
                    i = close + 1;
                }
                Some(Ok(end)) => {
                    // Blank lines between the spec and the drawing stay as they are.
                    let begin = next;
                    lines[close + 1..begin].iter().for_each(|l| out.push_str(l.all));
                    let indent = &fence.indent_text;
                    out.push_str(&drawing_block(&drawing, indent, newline));
                    // Whatever ended the END line (nothing, at the end of the file) is kept.
                    out.push_str(lines[end].ending().unwrap_or(""));
                    i = end + 1;
                }
                None => {
                    // At the very end of a file with no final line end, the drawing ends
                    // the file the same way.
                    let at_end = lines[close].ending().is_none();
                    if at_end {
                        out.push_str(newline);
                    }
                    out.push_str(newline);
                    out.push_str(&drawing_block(&drawing, &fence.indent_text, newline));
                    if !at_end {
                        out.push_str(newline);
                    }
                    i = close + 1;
                }
            },
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(Error::new(problems)) }
}

/// The drawing block, from BEGIN to END, without a line end after END.
fn drawing_block(drawing: &str, indent: &str, newline: &str) -> String {
    // A fence longer than any run of backticks in the drawing, so a label cannot close it.
    let longest = drawing.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut block = format!("{indent}{BEGIN}{newline}{indent}{fence}text{newline}");
    for line in drawing.lines() {
        if line.is_empty() {
            block.push_str(newline);
        } else {
            block.push_str(indent);
            block.push_str(line);
            block.push_str(newline);
        }
    }
    block.push_str(&format!("{indent}{fence}{newline}{indent}{END}"));
    block
}

/// One line of the document: its text, and the text with its line end.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    all: &'a str,
}

impl<'a> Line<'a> {
    /// `\n` or `\r\n`, or `None` on a last line with no line end.
    fn ending(&self) -> Option<&'a str> {
        let ending = &self.all[self.text.len()..];
        (!ending.is_empty()).then_some(ending)
    }

    /// This line's ending, else `fallback`, else `\n`.
    fn ending_or(&self, fallback: Option<&'a str>) -> &'a str {
        self.ending().or(fallback).unwrap_or("\n")
    }
}

/// Splits at `\n`, keeping each line's ending (`\n` or `\r\n`) apart from its text.
fn split_lines(text: &str) -> Vec<Line<'_>> {
    text.split_inclusive('\n')
        .map(|all| {
            let text = all.strip_suffix('\n').map_or(all, |t| t.strip_suffix('\r').unwrap_or(t));
            Line { text, all }
        })
        .collect()
}

/// An opening code fence.
#[derive(Debug)]
struct Fence<'a> {
    /// The spaces before the fence, in chars (an `archdraw` block inside a list is indented).
    indent: usize,
    indent_text: String,
    marker: char,
    marker_len: usize,
    info: &'a str,
    /// The column of the info string's first char, from 1.
    info_column: usize,
}

impl<'a> Fence<'a> {
    /// A line that opens a fence: spaces, then three or more backticks or tildes, then the
    /// info string (which, for backticks, holds no backtick).
    fn open(line: &'a str) -> Option<Self> {
        let rest = line.trim_start_matches(' ');
        let indent = line.len() - rest.len();
        let marker = rest.chars().next().filter(|&c| c == '`' || c == '~')?;
        let marker_len = rest.len() - rest.trim_start_matches(marker).len();
        let after = &rest[marker_len..];
        let info = after.trim();
        if marker_len < 3 || (marker == '`' && info.contains('`')) {
            return None;
        }
        // Spaces and markers are one byte each, so byte counts are columns here.
        let info_column = indent + marker_len + (after.len() - after.trim_start().len()) + 1;
        let indent_text = " ".repeat(indent);
        Some(Self { indent, indent_text, marker, marker_len, info, info_column })
    }

    /// Whether `line` closes this fence: at least as many of the same marker, and nothing else.
    fn is_closed_by(&self, line: &str) -> bool {
        let rest = line.trim_start_matches(' ');
        let run = rest.len() - rest.trim_start_matches(self.marker).len();
        run >= self.marker_len && rest[run..].trim().is_empty()
    }

    fn closing(&self) -> String {
        self.marker.to_string().repeat(self.marker_len)
    }
}

/// A spec block: its fence, the line it opens on (from 1), and the lines between the fences.
struct Block<'a, 'b> {
    fence: &'a Fence<'b>,
    open_line: usize,
    body: &'a [Line<'b>],
}

impl Block<'_, '_> {
    /// The spec's drawing with the block's options, or its problems located in the file.
    fn render(&self, options: &Options) -> Result<String, Error> {
        let options = self.options(options)?;
        // The spec without the fence's indentation, the way a Markdown reader sees it.
        let mut yaml = String::new();
        for line in self.body {
            let strip = line.text.len() - line.text.trim_start_matches(' ').len();
            yaml.push_str(&line.text[strip.min(self.fence.indent)..]);
            yaml.push('\n');
        }
        crate::render(&yaml, &options).map_err(|error| {
            let diagnostics = error.diagnostics.into_iter().map(|d| self.locate(d)).collect();
            Error::new(diagnostics)
        })
    }

    /// Moves a diagnostic from the spec's own lines to the Markdown file's; one with no
    /// position is pointed at the opening fence, so the user knows which block it is about.
    fn locate(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        diagnostic.span = Some(match diagnostic.span {
            Some(span) => {
                let line = self.open_line + span.line;
                let stripped = self.body.get(span.line.saturating_sub(1)).map_or(0, |l| {
                    (l.text.len() - l.text.trim_start_matches(' ').len()).min(self.fence.indent)
                });
                Span::new(line, span.column + stripped, span.len)
            }
            None => Span::new(self.open_line, self.fence.indent + 1, self.fence.marker_len),
        });
        diagnostic
    }

    /// The render options: the caller's, with the info string's format and width.
    fn options(&self, base: &Options) -> Result<Options, Error> {
        let mut options = Options { format: Format::Text, ..base.clone() };
        let info = self.fence.info;
        let mut problems = Vec::new();
        let mut offset = 0;
        for (n, word) in info.split(' ').enumerate() {
            let column = self.fence.info_column + offset;
            offset += word.chars().count() + 1;
            if n == 0 || word.is_empty() {
                continue;
            }
            let span = Span::new(self.open_line, column, word.chars().count());
            match word {
                "text" => options.format = Format::Text,
                "ascii" => options.format = Format::Ascii,
                _ => match word.strip_prefix("width=").map(str::parse::<usize>) {
                    Some(Ok(width)) if width > 0 => options.max_width = Some(width),
                    Some(_) => problems.push(
                        Diagnostic::new(format!("`{word}` is not a width"))
                            .with_span(span)
                            .with_help("write a whole number of columns, e.g. `width=72`"),
                    ),
                    None => problems.push(
                        Diagnostic::new(format!("unknown option `{}`", crate::spec::escape(word)))
                            .with_span(span)
                            .with_help("the options are `text`, `ascii` and `width=N`"),
                    ),
                },
            }
        }
        if problems.is_empty() { Ok(options) } else { Err(Error::new(problems)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(doc: &str) -> String {
        update(doc, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    const SPEC: &str = "boxes: [{title: A}, {title: B}]\narrows: [a -> b]\n";

    #[test]
    fn inserts_then_refreshes_and_leaves_the_rest_alone() {
        let doc = format!("# T\n\n```archdraw\n{SPEC}```\nafter  \n");
        let once = run(&doc);
        assert!(once.starts_with(&format!("# T\n\n```archdraw\n{SPEC}```\n\n{BEGIN}\n```text\n")));
        assert!(once.ends_with(&format!("```\n{END}\nafter  \n")), "{once}");
        assert_eq!(run(&once), once);

        // A stale drawing is replaced; the blank lines before it and what follows stay.
        let stale = once.replace("│ A │", "│ X │");
        assert_ne!(stale, once);
        assert_eq!(run(&stale), once);
    }

    #[test]
    fn crlf_files_stay_crlf_and_a_missing_final_newline_is_kept() {
        let doc = format!("x\r\n```archdraw\r\n{}```", SPEC.replace('\n', "\r\n"));
        let once = run(&doc);
        assert!(!once.replace("\r\n", "").contains('\n'), "{once:?}");
        assert!(once.ends_with(END), "{once:?}");
        assert_eq!(run(&once), once);
    }

    #[test]
    fn blocks_inside_other_fences_are_examples_not_specs() {
        let doc = format!("````markdown\n```archdraw\n{SPEC}```\n````\n~~~\n```archdraw\n~~~\n");
        assert_eq!(run(&doc), doc);
    }

    #[test]
    fn info_string_options_apply() {
        let doc = format!("```archdraw ascii width=30\n{SPEC}```\n");
        let once = run(&doc);
        let drawing = once.split(BEGIN).nth(1).unwrap();
        assert!(drawing.is_ascii() && drawing.contains("+---+"), "{drawing}");

        let error =
            update("```archdraw bold width=x\nboxes: [{title: A}]\n```\n", &Options::default())
                .unwrap_err();
        let got: Vec<_> = error
            .diagnostics
            .iter()
            .map(|d| (d.span.map(|s| (s.line, s.column)), d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [(Some((1, 13)), "unknown option `bold`"), (Some((1, 18)), "`width=x` is not a width")]
        );
    }

    #[test]
    fn indented_blocks_are_read_and_drawn_at_their_indent() {
        let doc = "- item\n\n  ```archdraw\n  boxes: [{title: A}]\n  arrows: [a -> b]\n  ```\n";
        let error = update(doc, &Options::default()).unwrap_err();
        assert_eq!(error.diagnostics[0].span.map(|s| (s.line, s.column)), Some((5, 17)));
        let doc = "- item\n\n  ```archdraw\n  boxes: [{title: A}]\n  ```\n";
        let once = run(doc);
        assert!(once.contains(&format!("\n\n  {BEGIN}\n  ```text\n  ┌───┐\n")), "{once}");
        assert_eq!(run(&once), once);
    }

    #[test]
    fn unclosed_blocks_and_markers_are_located_errors() {
        let error = update("text\n```archdraw\nboxes: []\n", &Options::default()).unwrap_err();
        assert_eq!(error.diagnostics[0].message, "this archdraw block is never closed");
        assert_eq!(error.diagnostics[0].span.map(|s| s.line), Some(2));

        let doc = format!("```archdraw\n{SPEC}```\n{BEGIN}\nold\n");
        let error = update(&doc, &Options::default()).unwrap_err();
        assert_eq!(error.diagnostics[0].span.map(|s| s.line), Some(5));
    }

    #[test]
    fn a_spec_error_without_a_position_points_at_the_fence() {
        let error = update("a\n\n```archdraw\n```\n", &Options::default()).unwrap_err();
        assert_eq!(error.diagnostics[0].message, "the spec is empty: add `boxes:`");
        assert_eq!(error.diagnostics[0].span, Some(Span::new(3, 1, 3)));
    }

    #[test]
    fn backticks_in_a_label_get_a_longer_fence() {
        let doc = "```archdraw\nboxes: [{title: \"``` x\"}]\n```\n";
        let once = run(doc);
        assert!(once.contains("````text\n"), "{once}");
        assert_eq!(run(&once), once);
    }
}
