//! The abstract grid every phase works on, and everything that depends on which way the flow
//! runs: cells along the flow (*main*) and across it (*cross*), the drawing built in those
//! coordinates, the spacing that differs between flows across and down ([`Axis`]), and the
//! mapping onto columns and rows for each of the four directions ([`Orientation`], used by
//! phase 7 only).

use super::types::{Endpoint, Route};
use crate::geom::{Point, Rect, Side};
use crate::model::Direction;

/// Cells between a frame's border and the boxes inside it, border included: the border and
/// one blank line, where an arrowhead or a line's first cell sits clear of the border. A flow
/// down or up keeps only the border past a frame's last rank where no head stands there
/// (`frames::Frames::take_in_dummies`).
pub(super) const FRAME_MARGIN: i64 = 2;

/// The same across a flow that runs right or left, in rows, for a frame no line enters through
/// its top or bottom border: the border only. Arrows meet boxes on their left and right sides
/// there, so nothing needs the blank row, and a blank row inside each frame made stacked groups
/// taller than the same boxes without them (seven boxes in three pairs: 20 lines against 12).
/// A service's line comes in from above or below and keeps the blank row for its arrowhead.
const FRAME_MARGIN_ACROSS_ROWS: i64 = 1;

/// Which way the main axis runs on the page, and the spacing that follows from it.
///
/// Flowing across (right or left), a rank is a column of boxes and pins sit on vertical sides,
/// one text row apart. Flowing down or up, a rank is a row, pins sit on horizontal sides and a
/// label stands beside a vertical line, so gaps across the flow are counted in columns, which
/// are narrower than rows: they are larger.
#[derive(Debug, Clone, Copy)]
pub(super) struct Axis {
    /// The flow runs down or up: the main axis is vertical on the page.
    pub vertical: bool,
}

/// The main-axis widths of a channel's parts that do not depend on what it holds.
#[derive(Debug, Clone, Copy)]
pub(super) struct ChannelSpacing {
    /// The narrowest channel between two ranks, where no track runs (a channel with tracks is
    /// wider anyway): down, a cell of line and the arrowhead (`│`, `▼`: rows are tall);
    /// across, three cells of line before it (`───▶`: columns are narrow).
    pub min_width: i64,
    /// Blanks between a left-pin label zone and the tracks: the label's padding and a gap.
    pub left_pad: i64,
    /// Blanks between the tracks and a right-pin label zone, which also leaves room for the
    /// arrowhead next to the label.
    pub right_pad: i64,
}

impl Axis {
    pub const fn of(direction: Direction) -> Self {
        Self { vertical: direction.is_vertical() }
    }

    /// The (main, cross) lengths of something `width` columns wide and `height` rows tall.
    pub const fn along(self, width: i64, height: i64) -> (i64, i64) {
        if self.vertical { (height, width) } else { (width, height) }
    }

    /// Cells between a frame's border and its boxes across the main axis, border included;
    /// `served`: a service's line comes in to one of its boxes.
    pub const fn frame_margin_cross(self, served: bool) -> i64 {
        if self.vertical || served { FRAME_MARGIN } else { FRAME_MARGIN_ACROSS_ROWS }
    }

    /// Blank cells between neighbours in a rank. Flowing down, in columns: boxes get air, as
    /// on a whiteboard (three), a line passing between boxes a blank each side. Across, in
    /// rows: one blank row, a text row high, is as much air as two columns, and boxes stacked
    /// in a rank with one row between them read as apart; a second row only made every rank
    /// taller (generated 10,000 boxes: 1.72 -> 1.46 of dot's area per box).
    pub const fn gap(self, a_dummy: bool, b_dummy: bool) -> i64 {
        match (self.vertical, a_dummy || b_dummy) {
            (false, _) => 1,
            (true, false) => 3,
            (true, true) => 2,
        }
    }

    /// Minimum distance between two pins on one side: one row across, and a blank column
    /// between two vertical lines down.
    pub const fn pin_pitch(self) -> i64 {
        if self.vertical { 2 } else { 1 }
    }

    /// How much room along the cross axis a label (width, height) needs next to its pin:
    /// across, its rows; down, its columns and the line, a blank and the label's padding.
    pub const fn label_footprint(self, size: (usize, usize)) -> i64 {
        if self.vertical { size.0 as i64 + 3 } else { size.1 as i64 }
    }

    /// A label's length along the main axis: its width across, its height down.
    pub const fn label_main(self, size: (usize, usize)) -> i64 {
        if self.vertical { size.1 as i64 } else { size.0 as i64 }
    }

    /// A label's rectangle in a channel's label zone starting at `zone_start`, next to the pin
    /// on cross cell `pin`: across, on the pin's row with a blank each side; down, beside the
    /// line, past a blank.
    pub const fn label_rect(self, zone_start: i64, pin: i64, (w, h): (i64, i64)) -> AbsRect {
        if self.vertical {
            AbsRect { main0: zone_start + 1, cross0: pin + 1, main_len: h, cross_len: w + 1 }
        } else {
            AbsRect { main0: zone_start + 1, cross0: pin, main_len: w + 2, cross_len: h }
        }
    }

    /// Channel widths: a track (a column across, a row down) and the cells around it.
    pub const fn channel(self) -> ChannelSpacing {
        if self.vertical {
            ChannelSpacing { min_width: 2, left_pad: 2, right_pad: 3 }
        } else {
            ChannelSpacing { min_width: 4, left_pad: 4, right_pad: 5 }
        }
    }
}

/// A cell in abstract coordinates: `m` along the flow, `c` across it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pt {
    pub m: i64,
    pub c: i64,
}

impl Pt {
    pub const fn new(m: i64, c: i64) -> Self {
        Self { m, c }
    }
}

/// A direction in abstract coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dir {
    MainPlus,
    MainMinus,
    CrossMinus,
    CrossPlus,
}

/// A rectangle in abstract coordinates.
#[derive(Debug, Clone, Copy)]
pub(super) struct AbsRect {
    pub main0: i64,
    pub cross0: i64,
    pub main_len: i64,
    pub cross_len: i64,
}

/// A route in abstract coordinates; see [`super::Route`].
#[derive(Debug, Clone)]
pub(super) struct AbsRoute {
    pub net: usize,
    pub edge: Option<usize>,
    pub from: Endpoint,
    pub to: Endpoint,
    pub points: Vec<Pt>,
    pub head: Dir,
}

/// A label's rectangle in abstract coordinates; see [`super::PlacedLabel`].
#[derive(Debug, Clone, Copy)]
pub(super) struct AbsLabel {
    pub edge: usize,
    pub rect: AbsRect,
}

/// The cells a set of rectangles and routes covers, in abstract coordinates.
#[derive(Debug, Clone, Copy)]
pub(super) struct Extent {
    pub main0: i64,
    pub cross0: i64,
    /// One past the last main-axis cell.
    pub main_end: i64,
    /// One past the last cross-axis cell.
    pub cross_end: i64,
}

impl Extent {
    pub fn of<'a>(rects: impl Iterator<Item = &'a AbsRect>, routes: &[AbsRoute]) -> Extent {
        let mut e =
            Extent { main0: i64::MAX, cross0: i64::MAX, main_end: i64::MIN, cross_end: i64::MIN };
        let mut cover = |m0: i64, c0: i64, m1: i64, c1: i64| {
            e.main0 = e.main0.min(m0);
            e.cross0 = e.cross0.min(c0);
            e.main_end = e.main_end.max(m1);
            e.cross_end = e.cross_end.max(c1);
        };
        for r in rects {
            cover(r.main0, r.cross0, r.main0 + r.main_len, r.cross0 + r.cross_len);
        }
        for p in routes.iter().flat_map(|r| &r.points) {
            cover(p.m, p.c, p.m + 1, p.c + 1);
        }
        if e.main0 > e.main_end {
            return Extent { main0: 0, cross0: 0, main_end: 0, cross_end: 0 };
        }
        e
    }
}

/// The drawing in abstract coordinates, as the phases build it up.
#[derive(Debug, Clone, Default)]
pub(super) struct Drawing {
    /// Box borders, in diagram order.
    pub boxes: Vec<AbsRect>,
    /// Group frames, in diagram order; `None` for a group without boxes.
    pub frames: Vec<Option<AbsRect>>,
    /// Label rectangles.
    pub labels: Vec<AbsLabel>,
    /// Routes: the diagram's arrows in order, then the services' arrows.
    pub routes: Vec<AbsRoute>,
    /// Service blocks, in diagram order.
    pub services: Vec<AbsRect>,
}

impl Drawing {
    /// The cells everything drawn so far covers.
    pub fn extent(&self) -> Extent {
        let rects = self.boxes.iter().chain(&self.services).chain(self.frames.iter().flatten());
        Extent::of(rects.chain(self.labels.iter().map(|l| &l.rect)), &self.routes)
    }
}

/// Drops repeated points and the middle of three collinear ones.
pub(super) fn simplify(points: Vec<Pt>) -> Vec<Pt> {
    let mut out: Vec<Pt> = Vec::with_capacity(points.len());
    for p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let collinear = (a.m == b.m && b.m == p.m) || (a.c == b.c && b.c == p.c);
            // Keep a point where the line doubles back (a self-loop's turn).
            let between = if a.m == b.m {
                (a.c - b.c).signum() != (p.c - b.c).signum()
            } else {
                (a.m - b.m).signum() != (p.m - b.m).signum()
            };
            if collinear && between {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// Maps abstract coordinates onto the grid for one direction.
#[derive(Debug, Clone)]
pub(super) struct Orientation {
    pub direction: Direction,
    /// Main-axis cells from the grid's origin to the end of the drawing or of its channels.
    main_extent: i64,
    /// The abstract cell at the grid's origin.
    min_main: i64,
    min_cross: i64,
    /// Everything drawn, in abstract coordinates.
    all: Extent,
}

impl Orientation {
    /// The orientation of a drawing covering `all`, whose channels end at main cell
    /// `channels_end`: the grid starts at main cell 0 (or where the drawing does, if earlier)
    /// and at the drawing's first cross cell.
    pub fn new(direction: Direction, all: Extent, channels_end: i64) -> Self {
        let (min_main, min_cross) = (all.main0.min(0), all.cross0);
        let max_main = all.main_end.max(channels_end);
        Self { direction, main_extent: max_main - min_main, min_main, min_cross, all }
    }

    /// The canvas, (width, height) in cells: the grid's origin to the far corner of everything
    /// drawn.
    pub fn canvas(&self) -> (usize, usize) {
        let all = self.all;
        let (main_len, cross_len) = (all.main_end - all.main0, all.cross_end - all.cross0);
        let r = self.rect(AbsRect { main0: all.main0, cross0: all.cross0, main_len, cross_len });
        (r.right(), r.bottom())
    }

    /// Routes onto the grid.
    pub fn routes(&self, routes: Vec<AbsRoute>) -> Vec<Route> {
        routes
            .into_iter()
            .map(|r| Route {
                net: r.net,
                edge: r.edge,
                from: r.from,
                to: r.to,
                points: r.points.iter().map(|&p| self.point(p)).collect(),
                head: self.side(r.head),
            })
            .collect()
    }

    fn norm(&self, m: i64, c: i64) -> (usize, usize) {
        ((m - self.min_main) as usize, (c - self.min_cross) as usize)
    }

    pub fn point(&self, p: Pt) -> Point {
        let (m, c) = self.norm(p.m, p.c);
        let flip = |m: usize| self.main_extent as usize - 1 - m;
        match self.direction {
            Direction::Right => Point::new(m, c),
            Direction::Left => Point::new(flip(m), c),
            Direction::Down => Point::new(c, m),
            Direction::Up => Point::new(c, flip(m)),
        }
    }

    pub fn rect(&self, r: AbsRect) -> Rect {
        let (m, c) = self.norm(r.main0, r.cross0);
        let (ml, cl) = (r.main_len as usize, r.cross_len as usize);
        let flip = self.main_extent as usize - m - ml;
        match self.direction {
            Direction::Right => Rect::new(m, c, ml, cl),
            Direction::Left => Rect::new(flip, c, ml, cl),
            Direction::Down => Rect::new(c, m, cl, ml),
            Direction::Up => Rect::new(c, flip, cl, ml),
        }
    }

    pub fn side(&self, d: Dir) -> Side {
        let main = match self.direction {
            Direction::Right => Side::Right,
            Direction::Left => Side::Left,
            Direction::Down => Side::Down,
            Direction::Up => Side::Up,
        };
        let cross_plus = if self.direction.is_vertical() { Side::Right } else { Side::Down };
        match d {
            Dir::MainPlus => main,
            Dir::MainMinus => main.opposite(),
            Dir::CrossMinus => cross_plus.opposite(),
            Dir::CrossPlus => cross_plus,
        }
    }
}
