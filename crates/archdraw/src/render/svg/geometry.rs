//! Cells to pixels, and the geometry of outlines and arrows.

use super::writer::push_int;
use crate::geom::{Point, Rect, Side};
use crate::layout::{Endpoint, Layout, Route};

/// Width of one grid cell in pixels.
pub const CELL_WIDTH: u32 = 12;
/// Height of one grid cell in pixels: a text row, with air above and below the letters.
pub const CELL_HEIGHT: u32 = 24;
/// Empty space around the drawing, in pixels, on every side.
pub const MARGIN: u32 = 24;

// Signed copies for arithmetic: outlines of services and halos reach outside their cells.
pub(super) const CW: i64 = CELL_WIDTH as i64;
pub(super) const CH: i64 = CELL_HEIGHT as i64;
pub(super) const M: i64 = MARGIN as i64;
/// How far a service's outline stands off its text: under half a cell, so two services one
/// column apart still show a gap.
const SERVICE_PAD_X: i64 = 4;
const SERVICE_PAD_Y: i64 = 4;
/// Arrowhead length along the arrow and half its width across it.
const HEAD_LENGTH: i64 = 12;
const HEAD_HALF_WIDTH: i64 = 6;
/// How far the arrow's line runs on under its head, so the butt end never shows at the base.
const HEAD_OVERLAP: i64 = 2;
/// Radius of the rounded corners of arrows.
const ROUTE_RADIUS: i64 = 6;

/// A rectangle in pixels, edges inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PxRect {
    pub(super) left: i64,
    pub(super) top: i64,
    pub(super) right: i64,
    pub(super) bottom: i64,
}

/// An arrow in pixels: the polyline of its line, and the head's triangle, tip first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ArrowGeometry {
    pub(super) line: Vec<(i64, i64)>,
    pub(super) head: [(i64, i64); 3],
}

pub(super) fn arrow_geometry(layout: &Layout, route: &Route) -> Option<ArrowGeometry> {
    let first = *route.points.first()?;
    let last = *route.points.last()?;
    let mut line = Vec::with_capacity(route.points.len() + 2);
    if let Some(start) = endpoint(layout, route.from).and_then(|(r, o)| tail_anchor(r, o, first)) {
        line.push(start);
    }
    line.extend(route.points.iter().map(|&p| centre(p)));

    let direction = unit(route.head);
    let tip = head_tip(endpoint(layout, route.to).map(|(_, o)| o), route.head, centre(last));
    let line_end = step(tip, direction, HEAD_OVERLAP - HEAD_LENGTH);
    // Points beyond the line's end on the final axis would fold the line back on itself; this
    // happens when the head's outline is nearer than a head's length (a service's padding).
    while let Some(&p) = line.last() {
        let on_axis = if direction.0 == 0 { p.0 == line_end.0 } else { p.1 == line_end.1 };
        let beyond = along(p, direction) >= along(line_end, direction);
        if on_axis && beyond {
            line.pop();
        } else {
            break;
        }
    }
    line.push(line_end);
    line.dedup();

    let base = step(tip, direction, -HEAD_LENGTH);
    let across = (-direction.1, direction.0);
    let head = [tip, step(base, across, HEAD_HALF_WIDTH), step(base, across, -HEAD_HALF_WIDTH)];
    Some(ArrowGeometry { line, head })
}

/// The cell rectangle and drawn outline of a route's end, if the index is valid.
pub(super) fn endpoint(layout: &Layout, end: Endpoint) -> Option<(Rect, PxRect)> {
    match end {
        Endpoint::Box(i) => layout.boxes.get(i).map(|b| (b.rect, box_outline(b.rect))),
        Endpoint::Service(i) => layout.services.get(i).map(|s| (s.rect, service_outline(s.rect))),
    }
}

/// Where a route leaves its tail: the point on the outline facing `first`, the cell next to it.
pub(super) fn tail_anchor(rect: Rect, outline: PxRect, first: Point) -> Option<(i64, i64)> {
    let (x, y) = centre(first);
    let in_rows = first.y >= rect.y && first.y < rect.bottom();
    let in_columns = first.x >= rect.x && first.x < rect.right();
    if in_rows && first.x >= rect.right() {
        Some((outline.right, y))
    } else if in_rows && first.x < rect.x {
        Some((outline.left, y))
    } else if in_columns && first.y >= rect.bottom() {
        Some((x, outline.bottom))
    } else if in_columns && first.y < rect.y {
        Some((x, outline.top))
    } else {
        None
    }
}

/// Where the arrowhead's tip touches the head's outline, going `head` from the last cell's
/// centre; one cell on when the outline is unknown or not ahead.
pub(super) fn head_tip(outline: Option<PxRect>, head: Side, last: (i64, i64)) -> (i64, i64) {
    let direction = unit(head);
    let one_cell = step(last, direction, if direction.0 == 0 { CH } else { CW });
    let Some(o) = outline else { return one_cell };
    let tip = match head {
        Side::Right => (o.left, last.1),
        Side::Left => (o.right, last.1),
        Side::Down => (last.0, o.top),
        Side::Up => (last.0, o.bottom),
    };
    if along(tip, direction) > along(last, direction) { tip } else { one_cell }
}

/// SVG path data for an orthogonal polyline, with its corners slightly rounded.
#[cfg(test)]
pub(super) fn path_data(points: &[(i64, i64)]) -> String {
    let mut d = String::new();
    write_path_data(&mut d, points);
    d
}

/// Appends [`path_data`]'s path data to `d`.
pub(super) fn write_path_data(d: &mut String, points: &[(i64, i64)]) {
    let Some(&(x, y)) = points.first() else { return };
    let point = |d: &mut String, command: &str, (x, y): (i64, i64)| {
        d.push_str(command);
        push_int(d, x);
        d.push(' ');
        push_int(d, y);
    };
    point(d, "M", (x, y));
    for i in 1..points.len() {
        let corner = points[i];
        let Some(&next) = points.get(i + 1) else {
            point(d, " L", corner);
            break;
        };
        let previous = points[i - 1];
        let (din, len_in) = direction_between(previous, corner);
        let (dout, len_out) = direction_between(corner, next);
        let orthogonal = din.0 * dout.0 + din.1 * dout.1 == 0
            && (din.0 == 0) != (din.1 == 0)
            && (dout.0 == 0) != (dout.1 == 0);
        let radius = ROUTE_RADIUS.min(len_in / 2).min(len_out / 2);
        if orthogonal && radius > 0 {
            point(d, " L", step(corner, din, -radius));
            point(d, " Q", corner);
            point(d, " ", step(corner, dout, radius));
        } else {
            point(d, " L", corner);
        }
    }
}

/// The unit step from `a` towards `b` (each axis -1, 0 or 1) and the longer axis distance.
pub(super) fn direction_between(a: (i64, i64), b: (i64, i64)) -> ((i64, i64), i64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    ((dx.signum(), dy.signum()), dx.abs().max(dy.abs()))
}

pub(super) fn unit(side: Side) -> (i64, i64) {
    match side {
        Side::Up => (0, -1),
        Side::Right => (1, 0),
        Side::Down => (0, 1),
        Side::Left => (-1, 0),
    }
}

pub(super) fn step(p: (i64, i64), direction: (i64, i64), distance: i64) -> (i64, i64) {
    (p.0 + direction.0 * distance, p.1 + direction.1 * distance)
}

/// How far `p` lies along `direction`.
pub(super) fn along(p: (i64, i64), direction: (i64, i64)) -> i64 {
    p.0 * direction.0 + p.1 * direction.1
}

/// A cell count as a signed number; grids never come near the limit, so saturating is only a
/// guard against panics on hand-built layouts.
pub(super) fn cells(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The left edge of column `x`.
pub(super) fn col(x: usize) -> i64 {
    M.saturating_add(cells(x).saturating_mul(CW))
}

/// The top edge of row `y`.
pub(super) fn row(y: usize) -> i64 {
    M.saturating_add(cells(y).saturating_mul(CH))
}

pub(super) fn centre(p: Point) -> (i64, i64) {
    (col(p.x) + CW / 2, row(p.y) + CH / 2)
}

/// A bordered rectangle's outline: through the centres of its border cells.
pub(super) fn box_outline(rect: Rect) -> PxRect {
    let last_column = rect.right().saturating_sub(1).max(rect.x);
    let last_row = rect.bottom().saturating_sub(1).max(rect.y);
    PxRect {
        left: col(rect.x) + CW / 2,
        top: row(rect.y) + CH / 2,
        right: col(last_column) + CW / 2,
        bottom: row(last_row) + CH / 2,
    }
}

/// A service's outline: its text area has no border cells, so the outline stands just outside.
pub(super) fn service_outline(rect: Rect) -> PxRect {
    PxRect {
        left: col(rect.x) - SERVICE_PAD_X,
        top: row(rect.y) - SERVICE_PAD_Y,
        right: col(rect.right()) + SERVICE_PAD_X,
        bottom: row(rect.bottom()) + SERVICE_PAD_Y,
    }
}
