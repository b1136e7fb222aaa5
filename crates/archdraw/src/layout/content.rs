//! Phase 0: what goes inside each box, service block and label, and how big that makes it.
//!
//! Text is wrapped here, at the width the fitting search in [`super::layout`] chose, so every
//! later phase works with final sizes.

use crate::model::{Diagram, Node, Service};
use crate::text::{TextBlock, TextLine};

use super::axis::Axis;
use super::types::LineKind;

/// Cells a box adds around its text across the page: its border and a blank each side
/// (`│ text │`).
const BOX_PAD_ACROSS: i64 = 4;
/// Rows a box adds around its text: its top and bottom borders.
const BOX_PAD_DOWN: i64 = 2;
/// Labels wrap at this many cells (or the box wrap, if narrower): less than box text, as a
/// label widens the whole channel it stands in.
const LABEL_WRAP: usize = 20;
/// Service text wraps this much wider than box text: a service has no border or padding, so
/// its text may take the cells a box spends on them.
const SERVICE_WRAP_EXTRA: usize = 4;

/// Everything phase 0 measures.
#[derive(Debug, Clone)]
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

impl Contents {
    /// Whether each arrow has a label.
    pub fn labelled(&self) -> Vec<bool> {
        self.label_sizes.iter().map(Option::is_some).collect()
    }
}

/// Wraps every text of `diagram` at `wrap` cells and measures the blocks it makes.
pub(super) fn measure(diagram: &Diagram, wrap: usize, axis: Axis) -> Contents {
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
        .map(|e| e.label.as_ref().filter(|l| !l.is_empty()).map(|l| l.wrap(LABEL_WRAP.min(wrap))))
        .collect();
    let label_sizes = labels.iter().map(|l| l.as_ref().map(|l| (l.width(), l.height()))).collect();
    let services: Vec<Content> =
        diagram.services.iter().map(|s| service_content(s, wrap + SERVICE_WRAP_EXTRA)).collect();
    let service_sizes = services
        .iter()
        .map(|c| axis.along(c.width.max(1) as i64, c.height().max(1) as i64))
        .collect();
    Contents { boxes, box_sizes, labels, label_sizes, services, service_sizes }
}

/// A line of content relative to its block: `indent` cells from the block's left text edge.
#[derive(Debug, Clone)]
pub(super) struct ContentLine {
    pub kind: LineKind,
    pub line: TextLine,
    /// For `Bullet` and `Continuation`: columns from the content's left edge to the text.
    pub indent: usize,
}

/// The laid-out content of one box or service block.
#[derive(Debug, Clone)]
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

/// Title, text and bullet items of a box, wrapped to `wrap` cells.
fn node_content(node: &Node, wrap: usize) -> Content {
    let mut lines = Vec::new();
    push_block(&mut lines, &node.title.wrap(wrap), LineKind::Title);
    push_block(&mut lines, &node.text.wrap(wrap), LineKind::Text);
    if !node.items.is_empty() {
        if !lines.is_empty() {
            lines.push(None);
        }
        for item in &node.items {
            let wrapped = item.wrap(wrap.saturating_sub(BULLET_INDENT).max(1));
            for (i, line) in wrapped.lines.into_iter().enumerate() {
                let kind = if i == 0 { LineKind::Bullet } else { LineKind::Continuation };
                lines.push(Some(ContentLine { kind, line, indent: BULLET_INDENT }));
            }
        }
    }
    finish(lines)
}

/// Title and text of a service, wrapped to `wrap` cells.
fn service_content(service: &Service, wrap: usize) -> Content {
    let mut lines = Vec::new();
    push_block(&mut lines, &service.title.wrap(wrap), LineKind::Title);
    push_block(&mut lines, &service.text.wrap(wrap), LineKind::Text);
    finish(lines)
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
