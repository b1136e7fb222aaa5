//! Phase 0: what goes inside each box and service block, and how big that makes it.
//!
//! Text is wrapped here, at the width the fitting search in [`super::layout`] chose, so every
//! later phase works with final sizes.

use crate::model::text::{TextBlock, TextLine};
use crate::model::{Node, Service};

use super::types::LineKind;

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
const BULLET_INDENT: usize = 2;

/// Title, text and bullet items of a box, wrapped to `wrap` cells.
pub(super) fn node_content(node: &Node, wrap: usize) -> Content {
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
pub(super) fn service_content(service: &Service, wrap: usize) -> Content {
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
