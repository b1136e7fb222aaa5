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
//! `ascii` for the character set, and `width=N` (or `width:N`, which rustdoc accepts in a doc
//! comment) to fit the drawing into N columns.
//!
//! A ```` ```mermaid ```` block holding a flowchart gets its drawing the same way when it is
//! marked (```` ```mermaid archdraw ````, options after `archdraw`), or, with
//! [`Mermaid::All`], always ([`refresh`]); GitHub still renders the Mermaid itself.
//!
//! Source files carry the same blocks in their comments: [`refresh_comments`] reads each run
//! of `//!`, `///`, `//`, `#` or `--` comment lines as Markdown and keeps the drawing inside
//! the comment, where rustdoc shows it.
//!
//! Errors in a spec are reported at their line and column in the Markdown file.
//!
//! This module's own documentation keeps its diagram that way (`archdraw md` refreshes it, and
//! a test fails when it is stale):
//!
//! ```archdraw width:90
//! boxes:
//!   - {id: file, title: Markdown or source file, items: [archdraw spec, mermaid flowchart]}
//!   - {id: md, title: archdraw md, text: "--check in CI"}
//!   - {id: out, title: The same file, text: "the drawing refreshed\nbetween the markers"}
//! arrows: [file -> md -> out]
//! ```
//!
//! <!-- archdraw:begin -->
//! ```text
//! ┌─────────────────────────┐    ┌───────────────┐    ┌───────────────────────┐
//! │ Markdown or source file │───▶│  archdraw md  │───▶│     The same file     │
//! │                         │    │ --check in CI │    │ the drawing refreshed │
//! │ • archdraw spec         │    │               │    │  between the markers  │
//! │ • mermaid flowchart     │    │               │    │                       │
//! └─────────────────────────┘    └───────────────┘    └───────────────────────┘
//! ```
//! <!-- archdraw:end -->

mod comments;

pub use comments::{MARKERS, refresh_comments};

use crate::diagnostic::{Diagnostic, Error, Span};
use crate::import::Language;
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
    refresh(markdown, options, Mermaid::Marked).map(|refreshed| refreshed.text)
}

/// Which ```` ```mermaid ```` blocks get a drawing.
///
/// ```
/// use archdraw::markdown::{Mermaid, refresh};
/// let doc = "```mermaid\nflowchart LR\n  a --> b\n```\n";
/// let options = archdraw::Options::default();
/// // Not marked: left alone unless every block is asked for.
/// assert_eq!(refresh(doc, &options, Mermaid::Marked)?.text, doc);
/// assert!(refresh(doc, &options, Mermaid::All)?.text.contains("<!-- archdraw:begin -->"));
/// // Marked with `archdraw` after `mermaid`: drawn either way.
/// let marked = doc.replace("```mermaid\n", "```mermaid archdraw ascii\n");
/// assert!(refresh(&marked, &options, Mermaid::Marked)?.text.contains("+---+"));
/// # Ok::<(), archdraw::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mermaid {
    /// Only blocks whose info string says `mermaid archdraw` (options may follow, as after
    /// `archdraw`).
    #[default]
    Marked,
    /// Every ```` ```mermaid ```` block that holds a flowchart. Other kinds of Mermaid diagram
    /// (sequence, class, …) are left as they are, each with a warning.
    All,
}

/// A refreshed document and what is worth telling its author.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Refreshed {
    /// The whole document, with every drawing up to date.
    pub text: String,
    /// Located warnings: what a Mermaid block used that archdraw draws as something near it,
    /// and Mermaid blocks left alone because they are not flowcharts.
    pub warnings: Vec<Diagnostic>,
}

/// Like [`update`], with Mermaid blocks as `mermaid` says, and the warnings.
///
/// # Errors
///
/// As [`update`]; Mermaid errors are located in the Markdown file in Mermaid's terms.
///
/// ```
/// use archdraw::markdown::{Mermaid, refresh};
/// let doc = "```mermaid archdraw\nflowchart LR\n  app[App] --> db[(DB)]\n```\n";
/// let refreshed = refresh(doc, &archdraw::Options::default(), Mermaid::Marked)?;
/// assert!(refreshed.text.contains("│ App │"));
/// // archdraw draws no cylinder yet, and says so, at the node in the Markdown file.
/// assert_eq!(refreshed.warnings[0].span.map(|s| (s.line, s.column)), Some((3, 16)));
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn refresh(markdown: &str, options: &Options, mermaid: Mermaid) -> Result<Refreshed, Error> {
    let lines = split_lines(markdown);
    let mut out = String::with_capacity(markdown.len());
    let mut found = Found::default();
    refresh_lines(&lines, "", options, mermaid, &mut out, &mut found);
    found.finish(out)
}

/// Problems and warnings, gathered over a whole document.
#[derive(Debug, Default)]
struct Found {
    problems: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Found {
    fn finish(self, text: String) -> Result<Refreshed, Error> {
        if self.problems.is_empty() {
            Ok(Refreshed { text, warnings: self.warnings })
        } else {
            Err(Error::new(self.problems))
        }
    }
}

/// The spec language of a fence archdraw draws, and how many words of its info string name
/// it (the options follow them); `None` for a fence archdraw leaves alone. A Mermaid block
/// drawn because of [`Mermaid::All`] takes no options: its info string is not archdraw's.
fn spec_block(info: &str, mermaid: Mermaid) -> Option<(Language, usize)> {
    let mut words = info.split_whitespace();
    match (words.next()?, words.next()) {
        ("archdraw", _) => Some((Language::Yaml, 1)),
        ("mermaid", Some("archdraw")) => Some((Language::Mermaid, 2)),
        ("mermaid", _) if mermaid == Mermaid::All => Some((Language::Mermaid, usize::MAX)),
        _ => None,
    }
}

/// Refreshes the drawings of one Markdown document, given as lines, into `out`. `lead` is the
/// comment marker in front of every line (empty in a Markdown file): new lines get it too.
/// Positions in `found` count lines from 1 at `lines[0]`, and columns after each line's
/// prefix.
fn refresh_lines(
    lines: &[Line<'_>],
    lead: &str,
    options: &Options,
    mermaid: Mermaid,
    out: &mut String,
    found: &mut Found,
) {
    let items = scan(lines);
    // Lines before `copied` are in `out`; every line is copied or replaced exactly once, and
    // every item looked at once, so the work is linear in the file's size.
    let mut copied = 0;
    let copy_to = |out: &mut String, end: usize, copied: &mut usize| {
        for line in &lines[*copied..end.max(*copied)] {
            out.push_str(line.all);
        }
        *copied = (*copied).max(end);
    };
    // A block whose fence is before item `next` lies in a drawing already replaced.
    let mut next = 0;
    for (k, block) in spec_blocks(&items, lines, mermaid) {
        if k <= next {
            continue;
        }
        let block = match block {
            Ok(block) => block,
            Err(unclosed) => {
                found.problems.push(unclosed);
                continue;
            }
        };
        let (fence, names) = (block.fence, block.names);
        let close = fence.line + 1 + block.body.len();
        if names == usize::MAX
            && let Some(kind) = block.mermaid_kind_other_than_flowchart()
        {
            found.warnings.push(
                Diagnostic::new(format!(
                    "this Mermaid {kind} is not a flowchart: archdraw leaves it as it is"
                ))
                .with_span(Span::new(
                    fence.line + 1,
                    fence.indent + 1,
                    fence.marker_len,
                )),
            );
            continue;
        }
        copy_to(out, close + 1, &mut copied);
        let drawing = block.render(options, &mut found.warnings);

        // The drawing block that is there already: after blank lines only, a BEGIN marker, a
        // fenced block opening on the next line, and an END marker right after it closes.
        // Anything else is not what archdraw wrote, and archdraw touches nothing of it.
        let begin = match items.get(k) {
            Some(&Item::Marker { line, begin: true, indent })
                if lines[close + 1..line].iter().all(|l| l.text.trim().is_empty()) =>
            {
                Some((line, indent))
            }
            _ => None,
        };
        let existing = begin.map(|(line, indent)| {
            let drawing = match items.get(k + 1) {
                Some(Item::Fence(f)) if f.line == line + 1 => f.close,
                _ => None,
            };
            let end = drawing.and_then(|c| match items.get(k + 2) {
                Some(&Item::Marker { line: e, begin: false, .. }) if e == c + 1 => Some(e),
                _ => None,
            });
            end.ok_or_else(|| {
                let found = items.get(k + 1).and_then(|item| match item {
                    Item::Fence(f) if f.line == line + 1 => Some(f.close.is_some()),
                    _ => None,
                });
                let message = match found {
                    None => format!("`{BEGIN}` is not followed by a drawing"),
                    Some(false) => format!("the drawing after `{BEGIN}` is never closed"),
                    Some(true) => format!("`{BEGIN}` has no `{END}` right after its drawing"),
                };
                Diagnostic::new(message)
                    .with_span(Span::new(line + 1, indent + 1, BEGIN.len()))
                    .with_help(format!(
                        "nothing was changed: archdraw replaces only `{BEGIN}`, the fenced \
                         drawing right after it and `{END}` right after that; put back what \
                         is missing, or delete the marker and the old drawing to have it \
                         drawn again"
                    ))
            })
        });
        let newline = lines[close].ending_or(lines.iter().find_map(|l| l.ending()));
        match (drawing, existing) {
            (Err(error), _) => found.problems.extend(error.diagnostics),
            (Ok(_), Some(Err(problem))) => found.problems.push(problem),
            (Ok(drawing), Some(Ok(end))) => {
                // Blank lines between the spec and the drawing stay as they are.
                let (begin, _) = begin.unwrap_or((close + 1, 0));
                copy_to(out, begin, &mut copied);
                out.push_str(&drawing_block(&drawing, lead, &fence.indent_text, newline));
                // Whatever ended the END line (nothing, at the end of the file) is kept.
                out.push_str(lines[end].ending().unwrap_or(""));
                copied = end + 1;
                next = k + 3;
            }
            (Ok(drawing), None) => {
                // At the very end of a file with no final line end, the drawing ends the
                // file the same way.
                let at_end = lines[close].ending().is_none();
                if at_end {
                    out.push_str(newline);
                }
                out.push_str(lead);
                out.push_str(newline);
                out.push_str(&drawing_block(&drawing, lead, &fence.indent_text, newline));
                if !at_end {
                    out.push_str(newline);
                }
            }
        }
    }
    copy_to(out, lines.len(), &mut copied);
}

/// A spec block as [`replace`] hands it over: what it is written in, its text, and the words
/// of its info string after the name (`ascii`, `width=72`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SpecBlock {
    /// YAML for ```` ```archdraw ````, Mermaid for ```` ```mermaid archdraw ````.
    pub language: Language,
    /// The spec, without the fence's indentation; its line 1 is the block's first line.
    pub source: String,
    /// The info string's words after `archdraw`.
    pub words: Vec<String>,
}

/// Replaces every spec block, and the drawing [`update`] may have put after it, with what
/// `with` returns for it: for a renderer that shows the drawing in place of the spec (a
/// static site, a book). The replacement is indented like the block; everything else stays
/// byte for byte.
///
/// # Errors
///
/// Every problem `with` returns, located in the Markdown file (a diagnostic with no position
/// points at the block's fence), and the problems [`update`] reports for broken blocks and
/// markers.
///
/// ```
/// use archdraw::markdown::{Mermaid, replace};
/// let doc = "# Flow\n\n```archdraw ascii\nboxes: [{title: A}]\n```\nAfter.\n";
/// let replaced = replace(doc, Mermaid::Marked, |block| {
///     assert_eq!(block.words, ["ascii"]);
///     Ok(format!("<pre>{}</pre>", block.source.trim()))
/// })?;
/// assert_eq!(replaced, "# Flow\n\n<pre>boxes: [{title: A}]</pre>\nAfter.\n");
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn replace(
    markdown: &str,
    mermaid: Mermaid,
    mut with: impl FnMut(&SpecBlock) -> Result<String, Error>,
) -> Result<String, Error> {
    let lines = split_lines(markdown);
    let items = scan(&lines);
    let mut out = String::with_capacity(markdown.len());
    let mut problems = Vec::new();
    let mut copied = 0;
    // A block whose fence is before item `next` lies in a drawing already replaced.
    let mut next = 0;
    for (k, block) in spec_blocks(&items, &lines, mermaid) {
        if k <= next {
            continue;
        }
        let block = match block {
            Ok(block) => block,
            Err(unclosed) => {
                problems.push(unclosed);
                continue;
            }
        };
        let (fence, language, names) = (block.fence, block.language, block.names);
        let close = fence.line + 1 + block.body.len();
        if names == usize::MAX && block.mermaid_kind_other_than_flowchart().is_some() {
            continue;
        }
        let words = fence.info.split_whitespace().skip(names).map(str::to_owned).collect();
        let spec = SpecBlock { language, source: block.source(), words };
        // The drawing `update` wrote, when it is exactly that: it goes with the spec.
        let mut end = close;
        if let (Some(&Item::Marker { line, begin: true, .. }), Some(Item::Fence(f))) =
            (items.get(k), items.get(k + 1))
            && lines[close + 1..line].iter().all(|l| l.text.trim().is_empty())
            && f.line == line + 1
            && let Some(c) = f.close
            && let Some(&Item::Marker { line: e, begin: false, .. }) = items.get(k + 2)
            && e == c + 1
        {
            end = e;
            next = k + 3;
        }
        match with(&spec) {
            Err(error) => problems.extend(error.diagnostics.into_iter().map(|d| block.locate(d))),
            Ok(replacement) => {
                for line in &lines[copied..fence.line] {
                    out.push_str(line.all);
                }
                let newline = lines[close].ending_or(lines.iter().find_map(|l| l.ending()));
                for (n, text) in replacement.lines().enumerate() {
                    if n > 0 {
                        out.push_str(newline);
                    }
                    if !text.is_empty() {
                        out.push_str(&fence.indent_text);
                        out.push_str(text);
                    }
                }
                out.push_str(lines[end].ending().unwrap_or(""));
                copied = end + 1;
            }
        }
    }
    for line in &lines[copied.min(lines.len())..] {
        out.push_str(line.all);
    }
    if problems.is_empty() { Ok(out) } else { Err(Error::new(problems)) }
}

/// What the scanner finds that `update` cares about, in document order.
#[derive(Debug)]
enum Item<'a> {
    /// A fenced code block.
    Fence(Fence<'a>),
    /// A line that is exactly [`BEGIN`] or [`END`], outside any code block or HTML comment.
    Marker { line: usize, begin: bool, indent: usize },
}

/// Where the scanner is, between lines.
#[derive(Debug, Clone, Copy)]
enum State {
    Normal,
    /// Inside the fence `items[item]`, which belongs to the first `depth` list items.
    Fence {
        item: usize,
        depth: usize,
    },
    /// Inside an HTML block of the first `depth` list items, until `end`.
    Html {
        end: HtmlEnd,
        depth: usize,
    },
}

/// How an HTML block ends (CommonMark's seven kinds, grouped by their end condition).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HtmlEnd {
    /// At the first line containing this text (case-insensitive for the tags).
    Contains(&'static str),
    /// At the first line containing any of `</pre>`, `</script>`, `</style>`, `</textarea>`.
    RawTag,
    /// At a blank line.
    Blank,
}

/// Finds the fenced code blocks and the marker lines, the way a CommonMark reader sees the
/// document: a fence or marker counts only with at most three spaces of indentation (four
/// make an indented code block), relative to the list item it is in, and never inside another
/// fenced block or an HTML block (a comment, in particular). One pass over the lines.
///
/// Block quotes are read as plain text: nothing inside one is ever a fence or a marker.
fn scan<'a>(lines: &[Line<'a>]) -> Vec<Item<'a>> {
    let mut items: Vec<Item<'a>> = Vec::new();
    // Content columns of the open list items, outermost first.
    let mut lists: Vec<usize> = Vec::new();
    let mut paragraph = false;
    let mut state = State::Normal;
    for (i, line) in lines.iter().enumerate() {
        let (column, rest) = indentation(line.text);
        let blank = rest.trim().is_empty();
        // A fence or HTML block inside a list item ends with the item: at a non-blank line
        // indented less than the item's content (no lazy lines continue either).
        let ended = |depth: usize| !blank && depth > 0 && column < lists[depth - 1];
        match state {
            State::Fence { item, depth } if !ended(depth) => {
                let Item::Fence(fence) = &mut items[item] else { unreachable!("a fence item") };
                let base = depth.checked_sub(1).map_or(0, |d| lists[d]);
                if column.saturating_sub(base) <= 3 && fence.is_closed_by(rest) {
                    fence.close = Some(i);
                    state = State::Normal;
                }
                continue;
            }
            State::Html { end, depth } if !ended(depth) => {
                if html_ends(end, line.text, blank) {
                    state = State::Normal;
                }
                continue;
            }
            State::Fence { .. } | State::Html { .. } | State::Normal => state = State::Normal,
        }
        if blank {
            paragraph = false;
            continue;
        }
        let mut depth = lists.iter().take_while(|&&c| c <= column).count();
        let mut column = column;
        let mut rest = rest;
        loop {
            let base = depth.checked_sub(1).map_or(0, |d| lists[d]);
            let relative = column.saturating_sub(base);
            let starts_block = relative <= 3 && starts_block(rest, paragraph);
            if depth < lists.len() {
                if paragraph && !starts_block {
                    // A lazy continuation line of a paragraph inside the list item.
                    break;
                }
                lists.truncate(depth);
            }
            if relative >= 4 {
                // Indented code, or a paragraph's continuation: neither opens anything.
                break;
            }
            if let Some(fence) = Fence::open(rest, column, i) {
                items.push(Item::Fence(fence));
                state = State::Fence { item: items.len() - 1, depth };
                paragraph = false;
                break;
            }
            let trimmed = rest.trim_end();
            if trimmed == BEGIN || trimmed == END {
                items.push(Item::Marker { line: i, begin: trimmed == BEGIN, indent: column });
                paragraph = false;
                break;
            }
            if let Some(end) = html_start(rest, paragraph) {
                // The opening line may end the block too (`<!-- note -->`, `<pre>x</pre>`).
                let opener =
                    rest.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(rest.len());
                let opener = match end {
                    HtmlEnd::Contains("-->") => 4,
                    HtmlEnd::Contains(_) => 2,
                    _ => opener,
                };
                if end == HtmlEnd::Blank || !html_ends(end, &rest[opener.min(rest.len())..], false)
                {
                    state = State::Html { end, depth };
                }
                paragraph = false;
                break;
            }
            if let Some(width) = list_marker(rest, paragraph) {
                lists.truncate(depth);
                let content = column + width;
                lists.push(content);
                depth = lists.len();
                let after = &rest[width.min(rest.len())..];
                if after.trim().is_empty() {
                    paragraph = false;
                    break;
                }
                (column, rest) = (content, after);
                paragraph = false;
                continue;
            }
            paragraph = !thematic_break(rest);
            break;
        }
    }
    items
}

/// The indentation of `text` in columns (tabs to the next multiple of four) and the rest.
fn indentation(text: &str) -> (usize, &str) {
    let mut column = 0;
    for (at, c) in text.char_indices() {
        match c {
            ' ' => column += 1,
            '\t' => column += 4 - column % 4,
            _ => return (column, &text[at..]),
        }
    }
    (column, "")
}

/// Whether `rest` (at most three spaces in) starts a block that interrupts a paragraph, so a
/// less-indented line is no lazy continuation.
fn starts_block(rest: &str, paragraph: bool) -> bool {
    rest.starts_with("```")
        || rest.starts_with("~~~")
        || html_start(rest, true).is_some()
        || list_marker(rest, paragraph).is_some()
        || thematic_break(rest)
        || rest.starts_with('>')
        || rest.starts_with('#')
}

/// A thematic break: three or more `-`, `*` or `_`, alone with spaces.
fn thematic_break(rest: &str) -> bool {
    let mut chars = rest.chars().filter(|c| !matches!(c, ' ' | '\t'));
    let Some(first) = chars.next().filter(|c| matches!(c, '-' | '*' | '_')) else {
        return false;
    };
    let mut count = 1;
    for c in chars {
        if c != first {
            return false;
        }
        count += 1;
    }
    count >= 3
}

/// A list item marker at the start of `rest` (`-`, `+`, `*`, or up to nine digits and `.` or
/// `)`, then a space or the line's end): the columns from it to the item's content. While a
/// paragraph is open, only an item with content, and only an ordered one starting at 1, can
/// start (CommonMark's rule against lists made by wrapped numbers).
fn list_marker(rest: &str, paragraph: bool) -> Option<usize> {
    if thematic_break(rest) {
        return None;
    }
    let bytes = rest.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let marker = match bytes.first()? {
        b'-' | b'+' | b'*' => 1,
        _ if (1..=9).contains(&digits) && matches!(bytes.get(digits), Some(b'.' | b')')) => {
            if paragraph && &rest[..digits] != "1" {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    let after = &rest[marker..];
    if after.trim().is_empty() {
        return (!paragraph).then_some(marker + usize::from(!after.is_empty()));
    }
    let spaces = after.len() - after.trim_start_matches(' ').len();
    match spaces {
        0 => None,
        // Five or more spaces: the content is indented code one space past the marker.
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// The HTML block `rest` starts, if any, by how it ends. Kind 7 (any other complete tag alone
/// on its line) cannot interrupt a paragraph.
fn html_start(rest: &str, paragraph: bool) -> Option<HtmlEnd> {
    if !rest.starts_with('<') {
        return None;
    }
    if rest.starts_with("<!--") {
        return Some(HtmlEnd::Contains("-->"));
    }
    if rest.starts_with("<?") {
        return Some(HtmlEnd::Contains("?>"));
    }
    if rest.starts_with("<![CDATA[") {
        return Some(HtmlEnd::Contains("]]>"));
    }
    if rest.as_bytes().get(1).is_some_and(|&b| b == b'!')
        && rest.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic)
    {
        return Some(HtmlEnd::Contains(">"));
    }
    let closing = rest.starts_with("</");
    let name_start = if closing { 2 } else { 1 };
    let name: String = rest[name_start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    let after = &rest[name_start + name.len()..];
    let ends_name =
        after.is_empty() || after.starts_with([' ', '\t', '>']) || after.starts_with("/>");
    if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() || !ends_name {
        return None;
    }
    if !closing && ["pre", "script", "style", "textarea"].contains(&name.as_str()) {
        return Some(HtmlEnd::RawTag);
    }
    if HTML_BLOCK_TAGS.contains(&name.as_str()) {
        return Some(HtmlEnd::Blank);
    }
    // Kind 7: a whole tag, then nothing but white space.
    let tag_end = rest.find('>')?;
    (!paragraph && rest[tag_end + 1..].trim().is_empty()).then_some(HtmlEnd::Blank)
}

/// Whether an HTML block that ends `end` ends on this line.
fn html_ends(end: HtmlEnd, line: &str, blank: bool) -> bool {
    match end {
        HtmlEnd::Blank => blank,
        HtmlEnd::Contains(text) => line.contains(text),
        HtmlEnd::RawTag => {
            let lower = line.to_ascii_lowercase();
            ["</pre>", "</script>", "</style>", "</textarea>"].iter().any(|t| lower.contains(t))
        }
    }
}

/// CommonMark's HTML block kind 6: a line opening or closing one of these starts an HTML block
/// that runs to the next blank line.
const HTML_BLOCK_TAGS: [&str; 62] = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// The drawing block, from BEGIN to END, without a line end after END; every line starts
/// with `lead` (a comment marker, or nothing), then a space unless the line is blank.
fn drawing_block(drawing: &str, lead: &str, indent: &str, newline: &str) -> String {
    // A fence longer than any run of backticks in the drawing, so a label cannot close it.
    let longest = drawing.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut block = String::new();
    let mut texts = vec![BEGIN.to_owned(), format!("{fence}text")];
    texts.extend(drawing.lines().map(str::to_owned));
    texts.extend([fence, END.to_owned()]);
    for (n, text) in texts.iter().enumerate() {
        if n > 0 {
            block.push_str(newline);
        }
        block.push_str(lead);
        if !text.is_empty() {
            if !lead.is_empty() {
                block.push(' ');
            }
            block.push_str(indent);
            block.push_str(text);
        }
    }
    block
}

/// One line of the document: its text, and the text with its prefix (a comment marker, in
/// source code) and its line end.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    prefix: &'a str,
    text: &'a str,
    all: &'a str,
}

impl<'a> Line<'a> {
    /// `\n` or `\r\n`, or `None` on a last line with no line end.
    fn ending(&self) -> Option<&'a str> {
        let ending = &self.all[self.prefix.len() + self.text.len()..];
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
            Line { prefix: "", text, all }
        })
        .collect()
}

/// A fenced code block, from its opening line.
#[derive(Debug)]
struct Fence<'a> {
    /// The line it opens on, from 0.
    line: usize,
    /// Its closing line, from 0; `None` when the document or its list item ends first.
    close: Option<usize>,
    /// The columns before the fence (an `archdraw` block inside a list is indented).
    indent: usize,
    indent_text: String,
    marker: char,
    marker_len: usize,
    info: &'a str,
    /// The column of the info string's first char, from 1.
    info_column: usize,
}

impl<'a> Fence<'a> {
    /// A fence opening with `rest` at `indent` on line `line`: three or more backticks or
    /// tildes, then the info string (which, for backticks, holds no backtick).
    fn open(rest: &'a str, indent: usize, line: usize) -> Option<Self> {
        let marker = rest.chars().next().filter(|&c| c == '`' || c == '~')?;
        let marker_len = rest.len() - rest.trim_start_matches(marker).len();
        let after = &rest[marker_len..];
        let info = after.trim();
        if marker_len < 3 || (marker == '`' && info.contains('`')) {
            return None;
        }
        // Markers are one byte each, so byte counts are columns here.
        let info_column = indent + marker_len + (after.len() - after.trim_start().len()) + 1;
        let indent_text = " ".repeat(indent);
        Some(Self { line, close: None, indent, indent_text, marker, marker_len, info, info_column })
    }

    /// Whether `rest` (the line after its indentation) closes this fence: at least as many of
    /// the same marker, and nothing else.
    fn is_closed_by(&self, rest: &str) -> bool {
        let run = rest.len() - rest.trim_start_matches(self.marker).len();
        run >= self.marker_len && rest[run..].trim().is_empty()
    }

    fn closing(&self) -> String {
        self.marker.to_string().repeat(self.marker_len)
    }
}

/// The blocks archdraw draws among `items` (see [`spec_block`]), each with the index of the
/// item after its fence; a block that is never closed is its problem, located at its fence.
fn spec_blocks<'a, 'b>(
    items: &'a [Item<'b>],
    lines: &'a [Line<'b>],
    mermaid: Mermaid,
) -> impl Iterator<Item = (usize, Result<Block<'a, 'b>, Diagnostic>)> {
    items.iter().enumerate().filter_map(move |(k, item)| {
        let Item::Fence(fence) = item else { return None };
        let (language, names) = spec_block(fence.info, mermaid)?;
        let Some(close) = fence.close else {
            let what = if language == Language::Yaml { "archdraw" } else { "mermaid" };
            let unclosed = Diagnostic::new(format!("this {what} block is never closed"))
                .with_span(Span::new(fence.line + 1, fence.indent + 1, fence.marker_len))
                .with_help(format!("end it with a line of {}", fence.closing()));
            return Some((k + 1, Err(unclosed)));
        };
        let body = &lines[fence.line + 1..close];
        Some((k + 1, Ok(Block { fence, open_line: fence.line + 1, body, language, names })))
    })
}

/// A spec block: its fence, the line it opens on (from 1), the lines between the fences, the
/// language they are in, and how many words of the info string name it.
struct Block<'a, 'b> {
    fence: &'a Fence<'b>,
    open_line: usize,
    body: &'a [Line<'b>],
    language: Language,
    names: usize,
}

impl Block<'_, '_> {
    /// The spec's drawing with the block's options, or its problems located in the file; a
    /// Mermaid reader's warnings go to `warnings`, located too.
    fn render(&self, options: &Options, warnings: &mut Vec<Diagnostic>) -> Result<String, Error> {
        let options = self.options(options)?;
        let locate = |error: Error| {
            let diagnostics = error.diagnostics.into_iter().map(|d| self.locate(d)).collect();
            Error::new(diagnostics)
        };
        let source = self.source();
        let imported =
            crate::import::read(&source, self.language, &options.limits).map_err(locate)?;
        warnings.extend(imported.warnings.into_iter().map(|d| self.locate(d)));
        crate::render_spec(&imported.spec, &options).map_err(locate)
    }

    /// The spec without the fence's indentation, the way a Markdown reader sees it.
    fn source(&self) -> String {
        let mut source = String::new();
        for line in self.body {
            let strip = line.text.len() - line.text.trim_start_matches(' ').len();
            source.push_str(&line.text[strip.min(self.fence.indent)..]);
            source.push('\n');
        }
        source
    }

    /// For a Mermaid block, the kind of diagram it holds when that is not a flowchart (its
    /// first word, after front matter, `%%` comments and blank lines).
    fn mermaid_kind_other_than_flowchart(&self) -> Option<String> {
        let source = self.source();
        let mut lines = source.lines().map(str::trim).peekable();
        if lines.peek() == Some(&"---") {
            lines.next();
            lines.by_ref().find(|l| *l == "---");
        }
        let first = lines.find(|l| !l.is_empty() && !l.starts_with("%%"))?;
        let word = first.split(|c: char| c.is_whitespace() || c == ';').next()?;
        if matches!(word, "flowchart" | "graph" | "flowchart-elk") {
            return None;
        }
        Some(
            crate::import::mermaid_diagram_kind(word)
                .map_or_else(|| format!("diagram `{}`", crate::spec::escape(word)), str::to_owned),
        )
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
        let mut words = 0;
        for word in info.split(' ') {
            let column = self.fence.info_column + offset;
            offset += word.chars().count() + 1;
            if word.is_empty() {
                continue;
            }
            words += 1;
            if words <= self.names {
                continue;
            }
            let span = Span::new(self.open_line, column, word.chars().count());
            match word {
                "text" => options.format = Format::Text,
                "ascii" => options.format = Format::Ascii,
                // `width:N` too, for Rust doc comments: rustdoc rejects `=` in an info string.
                _ => match word
                    .strip_prefix("width=")
                    .or_else(|| word.strip_prefix("width:"))
                    .map(str::parse::<usize>)
                {
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
        // `width:N`, the spelling rustdoc accepts, is the same option.
        let colon = run(&doc.replace("width=30", "width:30"));
        assert_eq!(colon.split(BEGIN).nth(1), Some(drawing));
        let narrow = run(&format!("```archdraw width:6\n{SPEC}```\n"));
        assert_ne!(
            narrow.split(BEGIN).nth(1),
            run(&format!("```archdraw\n{SPEC}```\n")).split(BEGIN).nth(1)
        );

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

    /// A document with two drawn diagrams and prose between and after them.
    fn two_diagrams() -> String {
        run(&format!(
            "# One\n\n```archdraw\n{SPEC}```\n\n## Two\n\nProse.\n\n```archdraw\n{}```\n\nEnd.\n",
            SPEC.replace("{title: A}", "{title: C}").replace("a ->", "c ->")
        ))
    }

    #[test]
    fn a_missing_end_marker_is_an_error_that_changes_nothing() {
        let doc = two_diagrams();
        let broken = doc.replacen(&format!("{END}\n"), "", 1);
        assert_eq!(broken.matches(END).count(), 1);
        let error = update(&broken, &Options::default()).unwrap_err();
        assert_eq!(
            error.diagnostics[0].message,
            format!("`{BEGIN}` has no `{END}` right after its drawing")
        );
        assert_eq!(error.diagnostics[0].span.map(|s| s.line), Some(8));

        // The same with an end marker quoted in a later code sample.
        let quoted = format!("{broken}\n```markdown\n{END}\n```\n");
        let error = update(&quoted, &Options::default()).unwrap_err();
        assert_eq!(error.diagnostics.len(), 1, "{error}");
        // With the drawing's own fence gone too, the marker has no drawing at all.
        let no_fence = doc.replacen("```text\n", "", 1);
        let error = update(&no_fence, &Options::default()).unwrap_err();
        assert_eq!(error.diagnostics[0].message, format!("`{BEGIN}` is not followed by a drawing"));
        let unclosed = format!("```archdraw\n{SPEC}```\n{BEGIN}\n```text\nold\n");
        let error = update(&unclosed, &Options::default()).unwrap_err();
        assert_eq!(
            error.diagnostics[0].message,
            format!("the drawing after `{BEGIN}` is never closed")
        );
    }

    #[test]
    fn marker_like_text_in_a_drawing_is_never_read_as_a_marker() {
        for nasty in [END, BEGIN, "```", "~~~~", "````text", "<!--", "-->", "```archdraw"] {
            let spec = format!(
                "boxes: [{{id: a, title: A}}, {{id: b, title: {nasty:?}}}]\narrows: [a -> b: {nasty:?}]\n\
                 services: [{{title: {nasty:?}, serves: [a]}}]\n"
            );
            let doc = format!("Before.\n\n```archdraw\n{spec}```\n\nAfter.\n");
            let once = run(&doc);
            assert_eq!(run(&once), once, "{nasty}");
            assert!(once.starts_with(&format!("Before.\n\n```archdraw\n{spec}```\n\n{BEGIN}\n")));
            assert!(once.ends_with(&format!("{END}\n\nAfter.\n")), "{once}");
            // The drawing is refreshed in place, not appended to.
            let stale = once.replacen("│ A │", "│ X │", 1);
            assert_eq!(run(&stale), once, "{nasty}");
        }
    }

    #[test]
    fn code_blocks_and_comments_are_not_read() {
        // An indented code block and an HTML comment showing the syntax stay as they are.
        let indent = |by: &str| SPEC.lines().map(|l| format!("{by}{l}\n")).collect::<String>();
        let indented = format!("Text.\n\n    ```archdraw\n{}    ```\n", indent("    "));
        assert_eq!(run(&indented), indented);
        let tab = format!("Text.\n\n\t```archdraw\n{}\t```\n", indent("\t"));
        assert_eq!(run(&tab), tab);
        let comment = format!("<!--\n```archdraw\n{SPEC}```\n-->\n");
        assert_eq!(run(&comment), comment);
        let raw = format!("<pre>\n```archdraw\n{SPEC}```\n</pre>\n");
        assert_eq!(run(&raw), raw);
        // A marker inside a comment or code block is text: the drawing is inserted anew, and
        // the quoted markers stay.
        let doc = format!("```archdraw\n{SPEC}```\n<!-- x\n{BEGIN}\n-->\n");
        let once = run(&doc);
        assert!(once.ends_with(&format!("{END}\n<!-- x\n{BEGIN}\n-->\n")), "{once}");
        assert_eq!(run(&once), once);
        // Four spaces inside a list item are the item's own indentation, not code.
        let nested = format!("- a\n  - b\n\n    ```archdraw\n{}    ```\n", indent("    "));
        let once = run(&nested);
        assert!(once.contains(&format!("\n    {BEGIN}\n")), "{once}");
        assert_eq!(run(&once), once);
        // Outdented text ends a list item, and a fence opened in it.
        let left = "- item\n  ```text\n  x\nout\n```archdraw\nboxes: [{title: A}]\n```\n";
        assert!(run(left).contains(BEGIN));
    }

    #[test]
    fn backticks_in_a_label_get_a_longer_fence() {
        let doc = "```archdraw\nboxes: [{title: \"``` x\"}]\n```\n";
        let once = run(doc);
        assert!(once.contains("````text\n"), "{once}");
        assert_eq!(run(&once), once);
    }
}
