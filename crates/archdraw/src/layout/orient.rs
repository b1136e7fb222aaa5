//! Phase 7: the drawing onto the cell grid for one direction (ELK's direction
//! postprocessor, with the mapping itself in [`super::axis::Orientation`]), text placed in its
//! boxes, blocks and labels, and the canvas sized.

use super::axis::{Drawing, Orientation};
use super::content::{self, Contents};
use super::types::{
    Endpoint, Layout, LineKind, PlacedBox, PlacedGroup, PlacedLabel, PlacedService, PlacedText,
    Route,
};
use crate::geom::Rect;
use crate::model::Diagram;

/// The finished layout: `drawing` onto the grid, with the texts `contents` holds placed in it,
/// the `routes` and framed `groups` already on the grid.
pub(super) fn finish(
    diagram: &Diagram,
    contents: &Contents,
    drawing: &Drawing,
    grid: &Orientation,
    routes: Vec<Route>,
    groups: Vec<PlacedGroup>,
) -> Layout {
    let boxes = diagram
        .nodes
        .iter()
        .zip(&drawing.boxes)
        .zip(&contents.boxes)
        .map(|((node, &r), content)| {
            let rect = grid.rect(r);
            PlacedBox { id: node.id.clone(), rect, lines: box_lines(rect, content) }
        })
        .collect();
    let vertical = grid.direction.is_vertical();
    // A block tucked on the near side of its trunk has its arrow past its right side: one pass
    // over the routes, not one per service.
    let mut arrow_right = vec![false; drawing.services.len()];
    for route in &routes {
        if let (Endpoint::Service(k), Some(p)) = (route.from, route.points.first())
            && let Some(&r) = drawing.services.get(k)
        {
            arrow_right[k] |= p.x == grid.rect(r).right();
        }
    }
    let services = diagram
        .services
        .iter()
        .zip(&drawing.services)
        .zip(&contents.services)
        .enumerate()
        .map(|(k, ((service, &r), content))| {
            let rect = grid.rect(r);
            let align = match (vertical, arrow_right[k]) {
                (false, _) => Align::Centre,
                (true, false) => Align::Left,
                (true, true) => Align::Right,
            };
            PlacedService { id: service.id.clone(), rect, lines: block_lines(rect, content, align) }
        })
        .collect();
    let labels = drawing
        .labels
        .iter()
        .filter_map(|l| {
            let rect = grid.rect(l.rect);
            Some(PlacedLabel::set(l.edge, rect, contents.labels[l.edge].as_ref()?))
        })
        .collect();
    let (width, height) = grid.canvas();
    Layout {
        title: diagram.title.clone(),
        direction: grid.direction,
        width,
        height,
        boxes,
        services,
        groups,
        routes,
        labels,
    }
}

/// A box's text, placed inside its border with one cell of padding.
fn box_lines(rect: Rect, content: &content::Content) -> Vec<PlacedText> {
    let inner = rect.width.saturating_sub(4);
    let left = rect.x + 2;
    content
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.as_ref()?;
            let x = match line.kind {
                LineKind::Title | LineKind::Text => left + (inner - line.line.width) / 2,
                LineKind::Bullet | LineKind::Continuation => left + line.indent,
            };
            Some(PlacedText {
                kind: line.kind,
                text: line.line.text.clone(),
                width: line.line.width,
                x,
                y: rect.y + 1 + i,
            })
        })
        .collect()
}

/// How a service block's lines stand in it: against the arrow beside a flow down or up.
#[derive(Debug, Clone, Copy)]
enum Align {
    Left,
    Centre,
    Right,
}

/// A service's text: lines centred under a rightward flow, flush left (against the arrow)
/// beside a downward one, flush right when the arrow leaves past its right side.
fn block_lines(rect: Rect, content: &content::Content, align: Align) -> Vec<PlacedText> {
    content
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.as_ref()?;
            Some(PlacedText {
                kind: line.kind,
                text: line.line.text.clone(),
                width: line.line.width,
                x: match align {
                    Align::Left => rect.x,
                    Align::Centre => rect.x + (rect.width - line.line.width) / 2,
                    Align::Right => rect.x + rect.width - line.line.width,
                },
                y: rect.y + i,
            })
        })
        .collect()
}
