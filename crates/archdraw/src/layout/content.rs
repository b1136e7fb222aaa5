//! Phase 0: what goes inside each box, service block and label, and how big that makes it.
//!
//! Text is wrapped here, at the width the fitting search in [`super::layout`] chose, so every
//! later phase works with final sizes. A block whose longest word is wider than that width is
//! wrapped at its longest word instead, up to [`Wrap::word_cap`]: words are broken only where a
//! width limit leaves no room for them whole.

use crate::model::{Diagram, Node, Service};
use crate::text::{TextBlock, TextLine};

use super::axis::Axis;
use super::types::LineKind;

/// Cells a box adds around its text across the page: its border and a blank each side
/// (`│ text │`).
pub(super) const BOX_PAD_ACROSS: i64 = 4;
/// Rows a box adds around its text: its top and bottom borders.
const BOX_PAD_DOWN: i64 = 2;
/// Labels wrap at this many cells (or the box wrap, if narrower): less than box text, as a
/// label widens the whole channel it stands in.
const LABEL_WRAP: usize = 20;
/// Service text wraps this much wider than box text: a service has no border or padding, so
/// its text may take the cells a box spends on them.
const SERVICE_WRAP_EXTRA: usize = 4;

/// Everything phase 0 measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Contents {
    /// Each box's text, in diagram order.
    pub boxes: Vec<Content>,
    /// Each box's (main, cross) lengths, border included.
    pub box_sizes: Vec<(i64, i64)>,
    /// Each arrow's label, wrapped; `None` for an arrow without one.
    pub labels: Vec<Option<TextBlock>>,
    /// Each label's (width, height) in cells.
    pub label_sizes: Vec<Option<(usize, usize)>>,
    /// Each service's text.
    pub services: Vec<Content>,
    /// Each service block's (main, cross) lengths.
    pub service_sizes: Vec<(i64, i64)>,
}

/// How wide text is wrapped: lines of at most `width` cells, widened for a block whose longest
/// word is wider, up to `word_cap` cells, so that words stay whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Wrap {
    /// The widest line, in cells, a block of short words gets.
    pub width: usize,
    /// The widest a block may grow to keep a long word whole; a longer word is broken.
    pub word_cap: usize,
}

impl Wrap {
    /// Text as drawn without a width limit.
    #[cfg(test)]
    pub const NATURAL: Wrap = Wrap { width: super::DEFAULT_WRAP, word_cap: super::DEFAULT_WRAP };

    /// The width to wrap `block` at, `base` cells unless a longer word asks for more.
    fn of(self, block: &TextBlock, base: usize, indent: usize) -> usize {
        let longest = longest_word(block);
        base.max(longest.min(self.word_cap.saturating_sub(indent)))
    }
}

/// The widest word of `block`, in cells.
pub(super) fn longest_word(block: &TextBlock) -> usize {
    block.lines.iter().flat_map(|l| l.text.split(' ')).map(crate::text::width).max().unwrap_or(0)
}

/// Wraps every text of `diagram` at `wrap` and measures the blocks it makes.
pub(super) fn measure(diagram: &Diagram, wrap: Wrap, axis: Axis) -> Contents {
    let boxes: Vec<Content> = diagram.nodes.iter().map(|n| node_content(n, wrap)).collect();
    let box_sizes = boxes
        .iter()
        .map(|c| {
            let (width, height) = (c.width.max(1) as i64, c.height().max(1) as i64);
            axis.along(width + BOX_PAD_ACROSS, height + BOX_PAD_DOWN)
        })
        .collect();
    let labels: Vec<Option<TextBlock>> = diagram
        .edges
        .iter()
        .map(|e| Some(label_text(e.label.as_ref().filter(|l| !l.is_empty())?, wrap)))
        .collect();
    let label_sizes = labels.iter().map(|l| l.as_ref().map(|l| (l.width(), l.height()))).collect();
    let services: Vec<Content> =
        diagram.services.iter().map(|s| service_content(s, wrap, axis.vertical)).collect();
    let service_sizes = services
        .iter()
        .map(|c| axis.along(c.width.max(1) as i64, c.height().max(1) as i64))
        .collect();
    Contents { boxes, box_sizes, labels, label_sizes, services, service_sizes }
}

/// An arrow's label, wrapped at `wrap` (narrower than box text: see [`LABEL_WRAP`]).
pub(super) fn label_text(label: &TextBlock, wrap: Wrap) -> TextBlock {
    label.wrap(wrap.of(label, LABEL_WRAP.min(wrap.width), 0))
}

/// How many words of `diagram`'s text wrapping at `wrap` breaks: each wider than the line
/// its block is wrapped to, which happens only past [`Wrap::word_cap`].
pub(super) fn broken_words(diagram: &Diagram, wrap: Wrap) -> usize {
    let broken = |block: &TextBlock, base: usize, indent: usize| {
        let line = wrap.of(block, base, indent).max(2);
        let words = block.lines.iter().flat_map(|l| l.text.split(' '));
        // A word is never wider than its UTF-8 bytes (a wide character takes three or four),
        // so most words need no measuring.
        words.filter(|w| w.len() > line && crate::text::width(w) > line).count()
    };
    let items_base = wrap.width.saturating_sub(BULLET_INDENT).max(1);
    let boxes = diagram.nodes.iter().map(|n| {
        let items: usize = n.items.iter().map(|i| broken(i, items_base, BULLET_INDENT)).sum();
        broken(&n.title, wrap.width, 0) + broken(&n.text, wrap.width, 0) + items
    });
    let service_base = wrap.width + SERVICE_WRAP_EXTRA;
    let services = diagram
        .services
        .iter()
        .map(|s| broken(&s.title, service_base, 0) + broken(&s.text, service_base, 0));
    let label_base = LABEL_WRAP.min(wrap.width);
    let labels =
        diagram.edges.iter().filter_map(|e| e.label.as_ref()).map(|l| broken(l, label_base, 0));
    boxes.chain(services).chain(labels).sum()
}

/// A line of content relative to its block: `indent` cells from the block's left text edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ContentLine {
    pub kind: LineKind,
    pub line: TextLine,
    /// For `Bullet` and `Continuation`: columns from the content's left edge to the text.
    pub indent: usize,
}

/// The laid-out content of one box or service block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Content {
    /// Lines top to bottom; `None` is a blank separator line.
    pub lines: Vec<Option<ContentLine>>,
    /// Width of the widest line in cells, bullets and indents included.
    pub width: usize,
}

impl Content {
    pub fn height(&self) -> usize {
        self.lines.len()
    }
}

/// Cells between a bullet item's left edge and its text: the bullet and one space.
pub(super) const BULLET_INDENT: usize = 2;

/// Title, text and bullet items of a box, wrapped at `wrap`. A long word widens its block,
/// and so the box: the other blocks are then wrapped again at the box's width, so a text is
/// not folded into more lines than the box it sits in needs (`raw` / `append-only` under an
/// item as wide as both).
fn node_content(node: &Node, wrap: Wrap) -> Content {
    let first = node_lines(node, wrap, wrap.width);
    if first.width <= wrap.width {
        return first;
    }
    // Greedy wrapping at a wider line never takes more lines, and no line passes the box.
    node_lines(node, wrap, first.width)
}

/// [`node_content`] with every block wrapped at `width` (items at `width` less their indent)
/// unless a longer word asks for more.
fn node_lines(node: &Node, wrap: Wrap, width: usize) -> Content {
    let mut lines = Vec::new();
    let whole = |block: &TextBlock| block.wrap(wrap.of(block, width, 0));
    push_block(&mut lines, &whole(&node.title), LineKind::Title);
    push_block(&mut lines, &whole(&node.text), LineKind::Text);
    if !node.items.is_empty() {
        if !lines.is_empty() {
            lines.push(None);
        }
        for item in &node.items {
            let base = width.saturating_sub(BULLET_INDENT).max(1);
            let wrapped = item.wrap(wrap.of(item, base, BULLET_INDENT));
            for (i, line) in wrapped.lines.into_iter().enumerate() {
                let kind = if i == 0 { LineKind::Bullet } else { LineKind::Continuation };
                lines.push(Some(ContentLine { kind, line, indent: BULLET_INDENT }));
            }
        }
    }
    finish(lines)
}

/// Title and text of a service, wrapped at `wrap` widened by [`SERVICE_WRAP_EXTRA`].
/// A service block's text. `vertical`: the flow runs down or up, so the service's arrow
/// meets the start of one of its lines; else it meets its first line from above or below.
fn service_content(service: &Service, wrap: Wrap, vertical: bool) -> Content {
    let lines_at = |base: usize| {
        let mut lines = Vec::new();
        let whole = |block: &TextBlock| block.wrap(wrap.of(block, base, 0));
        push_block(&mut lines, &whole(&service.title), LineKind::Title);
        push_block(&mut lines, &whole(&service.text), LineKind::Text);
        finish(lines)
    };
    // As for a box (see [`node_content`]): a long word's width is the block's for every line.
    let base = wrap.width + SERVICE_WRAP_EXTRA;
    let mut content = lines_at(base);
    if content.width > base {
        content = lines_at(content.width);
    }
    if !service_text_takes_an_arrow(&content, vertical) {
        // Every place the arrow could meet the text would read as its line going on (a title
        // `|` under a vertical line, `--flag` after a horizontal one): a blank margin gives
        // the arrow a place to end beside the text instead of glued to it.
        if vertical {
            content.lines.insert(0, None);
        } else {
            content.width += 2;
        }
    }
    content
}

/// Whether some grapheme a service's arrow may meet (see [`service_content`]) does not read as
/// the arrow's line going on.
pub(super) fn service_text_takes_an_arrow(content: &Content, vertical: bool) -> bool {
    if vertical {
        content.lines.iter().flatten().any(|l| {
            crate::text::graphemes(&l.line.text)
                .next()
                .is_some_and(|(g, _)| !crate::text::reads_as_a_line(g))
        })
    } else {
        content.lines.first().and_then(Option::as_ref).is_none_or(|l| {
            crate::text::graphemes(&l.line.text).any(|(g, _)| !crate::text::reads_as_a_line(g))
        })
    }
}

fn push_block(lines: &mut Vec<Option<ContentLine>>, block: &TextBlock, kind: LineKind) {
    lines.extend(
        block.lines.iter().map(|line| Some(ContentLine { kind, line: line.clone(), indent: 0 })),
    );
}

fn finish(lines: Vec<Option<ContentLine>>) -> Content {
    let width = lines.iter().flatten().map(|l| l.indent + l.line.width).max().unwrap_or(0);
    Content { lines, width }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagram(yaml: &str) -> Diagram {
        Diagram::from_spec(&crate::parse(yaml).expect("a spec")).expect("a diagram")
    }

    fn texts(content: &Content) -> Vec<String> {
        content
            .lines
            .iter()
            .map(|l| l.as_ref().map_or(String::new(), |l| l.line.text.clone()))
            .collect()
    }

    #[test]
    fn text_is_wrapped_at_the_width_a_long_word_gives_the_box() {
        let d = diagram(
            "boxes:\n  - {title: Bronze, text: raw append-only, items: [schema-on-read-and-replay]}\n\
             services:\n  - {title: Unity-Catalog-Governance, text: governance and lineage of tables, \
             serves: [bronze]}\n",
        );
        let wrap = Wrap { width: 10, word_cap: 40 };
        let box_content = node_content(&d.nodes[0], wrap);
        // The item's word makes the box 27 cells wide: the text fits on one line of it.
        assert_eq!(box_content.width, 27);
        assert_eq!(
            texts(&box_content),
            ["Bronze", "raw append-only", "", "schema-on-read-and-replay"]
        );
        // Narrower than the word, the box's text stays wrapped at the width asked.
        let narrow = node_content(&d.nodes[0], Wrap { width: 10, word_cap: 12 });
        assert_eq!(texts(&narrow)[..3], ["Bronze", "raw", "append-only"]);
        let service = service_content(&d.services[0], wrap, false);
        // The service's title is 24 cells wide: its text takes two lines, not three at 14 cells.
        assert_eq!(
            texts(&service),
            ["Unity-Catalog-Governance", "governance and lineage", "of tables"]
        );
    }
}
