//! Drawings kept inside source-code comments: the Markdown of [`super`], one comment marker in.
//!
//! A comment block is a run of lines that start, after the same indentation, with the same
//! marker: `//!`, `///` or `//` (Rust, C, Go, JavaScript…), `#` (Python, shell, YAML, TOML…)
//! or `--` (SQL, Lua, Haskell). Without its marker and one space, each line of the block is a
//! line of Markdown, and its ```` ```archdraw ```` blocks are refreshed exactly as in a
//! Markdown file, inside the same comment. In a Rust doc comment that is what rustdoc reads,
//! so the documentation shows the drawing:
//!
//! ```text
//! /// ```archdraw
//! /// boxes: [{title: App}, {title: DB}]
//! /// arrows: [app -> db]
//! /// ```
//! ///
//! /// <!-- archdraw:begin -->
//! /// ```text
//! /// ┌─────┐    ┌────┐
//! /// │ App │───▶│ DB │
//! /// └─────┘    └────┘
//! /// ```
//! /// <!-- archdraw:end -->
//! ```
//!
//! rustdoc refuses `=` in an info string, so a doc comment says `width:72`, not `width=72`.
//!
//! Lines outside comment blocks, and every line of a block that is not the drawing archdraw
//! owns, are copied byte for byte.

use super::{Found, Line, Mermaid, Refreshed, refresh_lines};
use crate::Options;
use crate::diagnostic::{Diagnostic, Error, Span};

/// The comment markers archdraw reads, a longer one before the shorter one it starts with.
pub const MARKERS: [&str; 5] = ["//!", "///", "//", "#", "--"];

/// Brings every drawing in the comments of a source file up to date; returns the whole new
/// file and the warnings.
///
/// # Errors
///
/// Every problem in every block, located in the source file (line, and column counting the
/// comment marker), as [`update`](super::update) reports them for Markdown.
///
/// ```
/// use archdraw::markdown::{Mermaid, refresh_comments};
/// let source = "//! The service.\n//!\n//! ```archdraw ascii\n//! boxes: [{title: App}, {title: DB}]\n//! arrows: [app -> db]\n//! ```\n\nfn main() {}\n";
/// let options = archdraw::Options::default();
/// let refreshed = refresh_comments(source, &options, Mermaid::Marked)?;
/// assert!(refreshed.text.contains("//!\n//! <!-- archdraw:begin -->\n//! ```text\n//! +-----+"));
/// assert!(refreshed.text.ends_with("//! <!-- archdraw:end -->\n\nfn main() {}\n"));
/// // A second run changes nothing.
/// assert_eq!(refresh_comments(&refreshed.text, &options, Mermaid::Marked)?.text, refreshed.text);
///
/// let error = refresh_comments("# ```archdraw\n# boxes: [{title: A}]\n# arrows: [a -> b]\n# ```\n", &options, Mermaid::Marked).unwrap_err();
/// assert_eq!(error.diagnostics[0].message, "unknown box 'b'");
/// assert_eq!(error.diagnostics[0].span.map(|s| (s.line, s.column)), Some((3, 17)));
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn refresh_comments(
    source: &str,
    options: &Options,
    mermaid: Mermaid,
) -> Result<Refreshed, Error> {
    let mut out = String::with_capacity(source.len());
    let mut found = Found::default();
    let lines: Vec<(Line<'_>, Option<&str>)> = super::split_lines(source)
        .into_iter()
        .map(|line| match comment(line.text) {
            Some((lead, prefix)) => {
                let text = &line.text[prefix.len()..];
                (Line { prefix, text, all: line.all }, Some(lead))
            }
            None => (line, None),
        })
        .collect();
    let mut start = 0;
    while start < lines.len() {
        let lead = lines[start].1;
        let end = start + lines[start..].iter().take_while(|(_, l)| *l == lead).count();
        match lead {
            None => lines[start..end].iter().for_each(|(line, _)| out.push_str(line.all)),
            Some(lead) => {
                let block: Vec<Line<'_>> = lines[start..end].iter().map(|(l, _)| *l).collect();
                let mut inner = Found::default();
                refresh_lines(&block, lead, options, mermaid, &mut out, &mut inner);
                let to_file = |d: Diagnostic| to_file(d, &block, start);
                found.problems.extend(inner.problems.into_iter().map(to_file));
                found.warnings.extend(inner.warnings.into_iter().map(to_file));
            }
        }
        start = end;
    }
    found.finish(out)
}

/// A line's comment lead (indentation and marker) and prefix (the lead and one space, when
/// there is one), or `None` when the line is not a comment line.
fn comment(text: &str) -> Option<(&str, &str)> {
    let rest = text.trim_start_matches([' ', '\t']);
    let indent = text.len() - rest.len();
    let marker = MARKERS.iter().find(|m| rest.starts_with(*m))?;
    let lead = &text[..indent + marker.len()];
    let space = usize::from(text[lead.len()..].starts_with(' '));
    Some((lead, &text[..lead.len() + space]))
}

/// A diagnostic positioned in a comment block (lines from 1 at its first line, columns after
/// each line's prefix) positioned in the file instead.
fn to_file(mut diagnostic: Diagnostic, block: &[Line<'_>], start: usize) -> Diagnostic {
    if let Some(span) = diagnostic.span {
        let prefix = block.get(span.line.saturating_sub(1)).map_or(0, |l| l.prefix.chars().count());
        diagnostic.span = Some(Span::new(start + span.line, span.column + prefix, span.len));
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str) -> String {
        match refresh_comments(source, &Options::default(), Mermaid::Marked) {
            Ok(refreshed) => refreshed.text,
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn markers_leads_and_prefixes() {
        assert_eq!(comment("//! x"), Some(("//!", "//! ")));
        assert_eq!(comment("    /// x"), Some(("    ///", "    /// ")));
        assert_eq!(comment("\t//"), Some(("\t//", "\t//")));
        assert_eq!(comment("#  two"), Some(("#", "# ")));
        assert_eq!(comment("-- sql"), Some(("--", "-- ")));
        assert_eq!(comment("let x = 1; // not a comment line"), None);
        assert_eq!(comment("- a list"), None);
    }

    #[test]
    fn every_marker_gets_its_drawing_inside_the_same_comment() {
        for lead in MARKERS.iter().map(|m| m.to_string()).chain(["    ///".to_owned()]) {
            let source = format!(
                "code();\n{lead} Intro.\n{lead}\n{lead} ```archdraw\n{lead} boxes: [{{title: A}}, {{title: B}}]\n\
                 {lead} arrows: [a -> b]\n{lead} ```\ncode();\n"
            );
            let once = run(&source);
            let drawing: Vec<&str> = once.lines().skip(7).take_while(|l| *l != "code();").collect();
            assert_eq!(drawing.first(), Some(&lead.as_str()), "{once}");
            assert_eq!(drawing.get(1), Some(&format!("{lead} <!-- archdraw:begin -->").as_str()));
            assert_eq!(drawing.last(), Some(&format!("{lead} <!-- archdraw:end -->").as_str()));
            assert!(drawing.iter().all(|l| l.starts_with(&lead)), "{once}");
            assert!(drawing.iter().any(|l| l.contains("│ A │")), "{once}");
            assert!(once.starts_with(&source[..source.len() - "code();\n".len()]), "{once}");
            assert!(once.ends_with("<!-- archdraw:end -->\ncode();\n"), "{once}");
            assert_eq!(run(&once), once, "idempotent with {lead:?}");
            // A stale drawing is refreshed, and only it.
            let stale = once.replacen("│ A │", "│ Z │", 1);
            assert_eq!(run(&stale), once);
        }
    }

    #[test]
    fn a_block_ends_where_its_marker_or_indentation_changes() {
        // The `///` block ends at the `//` line, so the spec's fence is never closed inside
        // its own comment: an error at the fence, and nothing in the `//` lines is read.
        let source = "/// ```archdraw\n/// boxes: [{title: A}]\n// ```\n";
        let error = refresh_comments(source, &Options::default(), Mermaid::Marked).unwrap_err();
        assert_eq!(error.diagnostics[0].message, "this archdraw block is never closed");
        assert_eq!(error.diagnostics[0].span.map(|s| (s.line, s.column)), Some((1, 5)));
        // Differently indented comments are different blocks too.
        let source = "  # ```archdraw\n  # boxes: [{title: A}]\n# ```\n";
        assert!(refresh_comments(source, &Options::default(), Mermaid::Marked).is_err());
    }

    #[test]
    fn code_and_other_comments_are_left_byte_for_byte() {
        let source =
            "#!/bin/sh\r\n# ```sh\r\n# ```archdraw\r\n# ```\r\necho '```archdraw'\r\n  //x\t\n";
        assert_eq!(run(source), source);
        // CRLF files get CRLF drawings.
        let source = "# ```archdraw\r\n# boxes: [{title: A}]\r\n# ```\r\necho\r\n";
        let once = run(source);
        assert!(!once.replace("\r\n", "").contains('\n'), "{once:?}");
        assert_eq!(run(&once), once);
    }

    #[test]
    fn mermaid_in_comments_and_errors_located_after_the_marker() {
        let source = "-- ```mermaid archdraw\n-- flowchart LR\n--   a --> b --> c\n-- ```\n";
        let refreshed = refresh_comments(source, &Options::default(), Mermaid::Marked).unwrap();
        assert!(refreshed.text.contains("-- │ a │"), "{}", refreshed.text);
        let broken = "x\n   -- ```mermaid archdraw\n   -- flowchart LR\n   --   a -->\n   -- ```\n";
        let error = refresh_comments(broken, &Options::default(), Mermaid::Marked).unwrap_err();
        let span = error.diagnostics[0].span.expect("located");
        assert_eq!(span.line, 4, "{error}");
        assert!(span.column > "   --   a ".len(), "{error}");
    }
}
