//! The finished layout: the public types a renderer reads.

use serde::Serialize;

use crate::geom::{Point, Rect, Side};
use crate::model::Direction;

/// What a line inside a box or service block is, which decides how renderers draw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A title line: centred, bold in SVG.
    Title,
    /// A paragraph line: centred.
    Text,
    /// The first line of a bullet item: `x` is where its text starts; the renderer draws the
    /// bullet at `x - 2`, leaving a space between bullet and text.
    Bullet,
    /// A continuation line of a wrapped bullet item.
    Continuation,
}

/// A line of text at an absolute cell position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedText {
    /// What the line is.
    pub kind: LineKind,
    /// The text (no control characters).
    pub text: String,
    /// Width in cells.
    pub width: usize,
    /// Column of the first grapheme.
    pub x: usize,
    /// Row.
    pub y: usize,
}

/// A box of the main flow, placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedBox {
    /// The box's id.
    pub id: String,
    /// Its border rectangle.
    pub rect: Rect,
    /// Its text lines, inside the border.
    pub lines: Vec<PlacedText>,
}

/// A control-plane service, placed: a block of text with no border.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedService {
    /// The service's id.
    pub id: String,
    /// The area its text covers.
    pub rect: Rect,
    /// Its text lines.
    pub lines: Vec<PlacedText>,
}

/// A group's titled frame, placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedGroup {
    /// The group's id.
    pub id: String,
    /// The frame rectangle.
    pub rect: Rect,
    /// The title, drawn into the top border.
    pub title: PlacedText,
}

/// One end of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "index")]
pub enum Endpoint {
    /// A box, by index into [`Layout::boxes`].
    Box(usize),
    /// A service, by index into [`Layout::services`].
    Service(usize),
}

/// The drawn path of one arrow.
///
/// # Guarantees
///
/// - `points` has at least two points; consecutive points share a row or a column.
/// - The first point is the cell next to the tail's border, the last the arrowhead's cell,
///   next to the head's border; `head` is the way the arrowhead points.
/// - Routes with the same `net` may share cells (a trunk); routes of different nets only ever
///   cross at right angles. Routes of one net may also cross at right angles where their
///   later hops are separate nets (arrows of one fan-out); renderers draw that as a crossing.
/// - Lines cross a frame's border straight through, never along it or at a corner, and never
///   through its title.
///
/// [`verify`](super::verify) checks these on a layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    /// Arrows that share a trunk share a net number.
    pub net: usize,
    /// The arrow's index in [`Diagram::edges`](crate::Diagram::edges), or `None` for a
    /// service's arrow.
    pub edge: Option<usize>,
    /// Where the arrow starts.
    pub from: Endpoint,
    /// Where the arrowhead is.
    pub to: Endpoint,
    /// Corner points of the orthogonal polyline, tail first.
    pub points: Vec<Point>,
    /// The way the arrowhead points.
    pub head: Side,
}

/// The cells where a horizontal stretch of a route of `across` passes through a vertical
/// stretch of a route of `down` of another net, strictly inside both: crossings, not a line
/// ending on another or turning at it. A cell may appear more than once.
pub(crate) fn crossing_cells<'r>(
    across: impl IntoIterator<Item = &'r Route>,
    down: impl IntoIterator<Item = &'r Route>,
) -> Vec<Point> {
    let stretches = |routes: &mut dyn Iterator<Item = &'r Route>, horizontal: bool| {
        let mut out = Vec::new();
        for r in routes {
            for w in r.points.windows(2) {
                let (a, b) = (w[0], w[1]);
                if horizontal && a.y == b.y && a.x != b.x {
                    out.push((r.net, a.y, a.x.min(b.x), a.x.max(b.x)));
                } else if !horizontal && a.x == b.x && a.y != b.y {
                    out.push((r.net, a.x, a.y.min(b.y), a.y.max(b.y)));
                }
            }
        }
        out
    };
    let rows = stretches(&mut across.into_iter(), true);
    let columns = stretches(&mut down.into_iter(), false);
    let mut cells = Vec::new();
    for &(net, y, x0, x1) in &rows {
        for &(other, x, y0, y1) in &columns {
            if net != other && x0 < x && x < x1 && y0 < y && y < y1 {
                cells.push(Point::new(x, y));
            }
        }
    }
    cells
}

/// An arrow's label, placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedLabel {
    /// The arrow's index in [`Diagram::edges`](crate::Diagram::edges).
    pub edge: usize,
    /// The area the label covers, padding included.
    pub rect: Rect,
    /// The label's lines.
    pub lines: Vec<PlacedText>,
}

impl PlacedLabel {
    /// The label of arrow `edge`, `text` set in `rect`: its lines one cell in from the left
    /// edge (the padding), one under another from the top.
    pub(crate) fn set(edge: usize, rect: Rect, text: &crate::text::TextBlock) -> Self {
        let lines = text
            .lines
            .iter()
            .enumerate()
            .map(|(i, line)| PlacedText {
                kind: LineKind::Text,
                text: line.text.clone(),
                width: line.width,
                x: rect.x + 1,
                y: rect.y + i,
            })
            .collect();
        Self { edge, rect, lines }
    }
}

/// A finished layout: everything a renderer needs, in cells.
///
/// # Guarantees
///
/// Boxes, services, frames and labels lie inside `width` × `height` and do not overlap one
/// another (a frame contains exactly its group's boxes); routes run only through free cells.
/// Every text line lies inside its box, block or label, and every labelled arrow has one label,
/// next to its line. [`verify`](super::verify) checks these on a layout, as `layout()` does in
/// debug builds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layout {
    /// The diagram's title, if any.
    pub title: Option<String>,
    /// The flow direction used (it may differ from the spec's when a width limit forced `down`).
    pub direction: Direction,
    /// Canvas width in cells.
    pub width: usize,
    /// Canvas height in cells.
    pub height: usize,
    /// The boxes, in diagram order.
    pub boxes: Vec<PlacedBox>,
    /// The services, in diagram order.
    pub services: Vec<PlacedService>,
    /// The group frames, in diagram order.
    pub groups: Vec<PlacedGroup>,
    /// The arrows' routes: diagram arrows first, in order, then service arrows.
    pub routes: Vec<Route>,
    /// The arrows' labels.
    pub labels: Vec<PlacedLabel>,
}

impl Layout {
    /// Every line of text placed, each with whether it is an arrow's label: boxes' lines,
    /// services' lines, group titles that are not empty, then labels' lines.
    pub(crate) fn text_lines(&self) -> impl Iterator<Item = (&PlacedText, bool)> {
        let blocks = self.boxes.iter().flat_map(|b| &b.lines);
        blocks
            .chain(self.services.iter().flat_map(|s| &s.lines))
            .chain(self.groups.iter().map(|g| &g.title).filter(|t| !t.text.is_empty()))
            .map(|line| (line, false))
            .chain(self.labels.iter().flat_map(|l| &l.lines).map(|line| (line, true)))
    }
}
