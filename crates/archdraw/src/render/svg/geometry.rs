//! The geometry of outlines and arrows on the page grid.

use super::joins::Joins;
use super::page::PageGrid;
use super::writer::push_int;
use crate::geom::{Point, Rect, Side};
use crate::layout::{Endpoint, Layout, Route};

/// Width of one terminal cell in pixels: the page grid's unit past the layout's edge, and the
/// least width of the cell holding an item's bullet.
pub const CELL_WIDTH: u32 = crate::layout::page::TEXT_CELL_WIDTH as u32;
/// Height of a text row in pixels, with air above and below the letters.
pub const CELL_HEIGHT: u32 = crate::layout::page::TEXT_ROW as u32;
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
/// Stroke width of outlines and arrows.
pub(super) const STROKE: i64 = 2;
/// Arrowhead length along the arrow and half its width across it: sized to the stroke, a
/// slender head five strokes long and four wide.
const HEAD_LENGTH: i64 = 5 * STROKE;
const HEAD_HALF_WIDTH: i64 = 2 * STROKE;
/// How far the arrow's line runs on under its head, so the butt end never shows at the base.
const HEAD_OVERLAP: i64 = 2;
/// Radius of the rounded corners of arrows: half a cell's width, the most a corner next to a
/// neighbouring line's crossing leaves room for.
const ROUTE_RADIUS: i64 = 6;
/// Radius of the arc a horizontal line hops over a vertical one with: wide enough to clear
/// the other line's stroke by twice its width, small enough to leave the next cell's corner
/// straight room.
pub(super) const HOP_RADIUS: i64 = 5;
/// Hops whose arcs would come closer than this (lines in neighbouring columns) join into one
/// bridge over all of them.
const HOP_JOIN: i64 = 2 * HOP_RADIUS + 4;
/// Radius of the dot on a junction: a little over twice the stroke, so it reads as a dot on
/// the line, not a thickening of it.
pub(super) const JUNCTION_RADIUS: i64 = 2 * STROKE;

/// A rectangle in pixels, edges inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PxRect {
    pub(super) left: i64,
    pub(super) top: i64,
    pub(super) right: i64,
    pub(super) bottom: i64,
}

/// An arrow in pixels: the polyline of its line, where it hops over other lines, and the
/// head's triangle, tip first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ArrowGeometry {
    pub(super) line: Vec<(i64, i64)>,
    /// The hops, as the index of the segment `line[i]`–`line[i + 1]` they are on and the x of
    /// the line hopped over, in the order the arrow runs.
    pub(super) hops: Vec<(usize, i64)>,
    pub(super) head: [(i64, i64); 3],
}

pub(super) fn arrow_geometry(
    grid: &PageGrid,
    layout: &Layout,
    route: &Route,
    joins: &Joins,
) -> Option<ArrowGeometry> {
    let first = *route.points.first()?;
    let last = *route.points.last()?;
    let mut line = Vec::with_capacity(route.points.len() + 2);
    if let Some(start) =
        endpoint(grid, layout, route.from).and_then(|(r, o)| tail_anchor(grid, r, o, first))
    {
        line.push(start);
    }
    line.extend(route.points.iter().map(|&p| grid.centre(p)));

    let direction = unit(route.head);
    let head_outline = endpoint(grid, layout, route.to).map(|(_, o)| o);
    let tip = head_tip(head_outline, route.head, grid.centre(last));
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
    let hops = hops(grid, &line, joins);
    Some(ArrowGeometry { line, hops, head })
}

/// Where the horizontal segments of `line` pass over a crossing: every hop cell whose centre
/// lies strictly inside a segment on a row's centre line.
fn hops(grid: &PageGrid, line: &[(i64, i64)], joins: &Joins) -> Vec<(usize, i64)> {
    let mut out = Vec::new();
    for (i, pair) in line.windows(2).enumerate() {
        let ((xa, y), (xb, yb)) = (pair[0], pair[1]);
        if y != yb || xa == xb {
            continue;
        }
        let Some(row) = grid.row_centred_at(y) else { continue };
        let (lo, hi) = (xa.min(xb), xa.max(xb));
        let start = out.len();
        let (first, last) = (grid.column_at(lo, row), grid.column_at(hi, row));
        for x in joins.hops_between(row, first, last.saturating_add(1)) {
            let centre = grid.mid_x(x, row);
            if lo < centre && centre < hi {
                out.push((i, centre));
            }
        }
        if xb < xa {
            out[start..].reverse();
        }
    }
    out
}

/// The cell rectangle and drawn outline of a route's end, if the index is valid.
pub(super) fn endpoint(grid: &PageGrid, layout: &Layout, end: Endpoint) -> Option<(Rect, PxRect)> {
    match end {
        Endpoint::Box(i) => layout.boxes.get(i).map(|b| (b.rect, box_outline(grid, b.rect))),
        Endpoint::Service(i) => {
            layout.services.get(i).map(|s| (s.rect, service_outline(grid, s.rect)))
        }
    }
}

/// The cell rectangle of a route's end, if the index is valid.
pub(super) fn endpoint_rect(layout: &Layout, end: Endpoint) -> Option<Rect> {
    match end {
        Endpoint::Box(i) => layout.boxes.get(i).map(|b| b.rect),
        Endpoint::Service(i) => layout.services.get(i).map(|s| s.rect),
    }
}

/// Where a route leaves its tail: the point on the outline facing `first`, the cell next to it.
pub(super) fn tail_anchor(
    grid: &PageGrid,
    rect: Rect,
    outline: PxRect,
    first: Point,
) -> Option<(i64, i64)> {
    let (x, y) = grid.centre(first);
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

/// SVG path data for an orthogonal polyline, with its corners slightly rounded and hops
/// (see [`ArrowGeometry::hops`]) over the lines it crosses.
#[cfg(test)]
pub(super) fn path_data(points: &[(i64, i64)], hops: &[(usize, i64)]) -> String {
    let mut d = String::new();
    write_path_data(&mut d, points, hops);
    d
}

fn push_point(d: &mut String, command: &str, (x, y): (i64, i64)) {
    d.push_str(command);
    push_int(d, x);
    d.push(' ');
    push_int(d, y);
}

/// Appends [`path_data`]'s path data to `d`.
pub(super) fn write_path_data(d: &mut String, points: &[(i64, i64)], hops: &[(usize, i64)]) {
    let Some(&first) = points.first() else { return };
    push_point(d, "M", first);
    // How far the straight part of the segment ending at the current point starts from its
    // first point: the previous corner's radius.
    let mut rounded_in = 0;
    for i in 1..points.len() {
        let (previous, corner) = (points[i - 1], points[i]);
        let (din, len_in) = direction_between(previous, corner);
        let radius = match points.get(i + 1) {
            Some(&next) => {
                let (dout, len_out) = direction_between(corner, next);
                let orthogonal = din.0 * dout.0 + din.1 * dout.1 == 0
                    && (din.0 == 0) != (din.1 == 0)
                    && (dout.0 == 0) != (dout.1 == 0);
                if orthogonal { ROUTE_RADIUS.min(len_in / 2).min(len_out / 2).max(0) } else { 0 }
            }
            None => 0,
        };
        let straight = (step(previous, din, rounded_in), step(corner, din, -radius));
        let on_segment = hops.iter().filter(|&&(segment, _)| segment == i - 1).map(|&(_, x)| x);
        for (first_x, last_x) in hop_groups(on_segment, 1) {
            write_hop(d, straight, din, (first_x, last_x), |d, r, to| {
                push_arc(d, r, din.0 > 0, to);
            });
        }
        match points.get(i + 1) {
            Some(&next) if radius > 0 => {
                let (dout, _) = direction_between(corner, next);
                push_point(d, " L", straight.1);
                push_point(d, " Q", corner);
                push_point(d, " ", step(corner, dout, radius));
            }
            _ => push_point(d, " L", corner),
        }
        rounded_in = radius;
    }
}

/// Groups the x positions of hops on one segment (in travel order) into bridges: runs whose
/// neighbours are closer than [`HOP_JOIN`]. Each group is its first and last x. Positions are
/// in pixels times `unit` (10 for the sketch style's tenths).
pub(super) fn hop_groups(xs: impl Iterator<Item = i64>, unit: i64) -> Vec<(i64, i64)> {
    let mut groups: Vec<(i64, i64)> = Vec::new();
    for x in xs {
        match groups.last_mut() {
            Some(group) if (x - group.1).abs() < HOP_JOIN * unit => group.1 = x,
            _ => groups.push((x, x)),
        }
    }
    groups
}

/// Writes one hop (or bridge over several lines) from `first_x` to `last_x` on the horizontal
/// segment whose straight part is `straight`, running `direction`: a line to the hop's start,
/// then the arc (or two quarter arcs and the bridge's top) written by `arc`, which gets the
/// radius and the point to reach. The radius shrinks when the straight part is too short,
/// which only a hand-built layout makes; under 2 pixels there is no hop.
pub(super) fn write_hop(
    d: &mut String,
    straight: ((i64, i64), (i64, i64)),
    direction: (i64, i64),
    (first_x, last_x): (i64, i64),
    mut arc: impl FnMut(&mut String, i64, (i64, i64)),
) {
    let y = straight.0.1;
    let s = direction.0;
    let room = (first_x - straight.0.0) * s;
    let room = room.min((straight.1.0 - last_x) * s);
    let r = HOP_RADIUS.min(room);
    if r < 2 {
        return;
    }
    push_point(d, " L", (first_x - r * s, y));
    if first_x == last_x {
        arc(d, r, (last_x + r * s, y));
    } else {
        arc(d, r, (first_x, y - r));
        push_point(d, " L", (last_x, y - r));
        arc(d, r, (last_x + r * s, y));
    }
}

/// An arc of radius `r` to `to`, bulging up: clockwise on the page when the line runs right.
fn push_arc(d: &mut String, r: i64, rightwards: bool, to: (i64, i64)) {
    d.push_str(" A");
    push_int(d, r);
    d.push(' ');
    push_int(d, r);
    d.push_str(if rightwards { " 0 0 1 " } else { " 0 0 0 " });
    push_int(d, to.0);
    d.push(' ');
    push_int(d, to.1);
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

/// A bordered rectangle's outline: through the centres of its border cells.
pub(super) fn box_outline(grid: &PageGrid, rect: Rect) -> PxRect {
    let last_column = rect.right().saturating_sub(1).max(rect.x);
    let last_row = rect.bottom().saturating_sub(1).max(rect.y);
    PxRect {
        left: grid.mid_x(rect.x, rect.y),
        top: grid.mid_y(rect.y),
        right: grid.mid_x(last_column, rect.y),
        bottom: grid.mid_y(last_row),
    }
}

/// A service's outline: its text area has no border cells, so the outline stands just outside.
pub(super) fn service_outline(grid: &PageGrid, rect: Rect) -> PxRect {
    PxRect {
        // The outline's columns, not the text's: a line of text may start past the first.
        left: match rect.x.checked_sub(1) {
            Some(outline) => grid.cell(outline, rect.y).1,
            // The column the page grid keeps before the layout's first for it, where the
            // outline's side stands: the text may be centred well inside it.
            None => grid.lead_right(rect.y).unwrap_or_else(|| grid.col(0, rect.y)),
        } - SERVICE_PAD_X,
        top: grid.row(rect.y) - SERVICE_PAD_Y,
        right: grid.cell(rect.right(), rect.y).0 + SERVICE_PAD_X,
        bottom: grid.row(rect.bottom()) + SERVICE_PAD_Y,
    }
}
