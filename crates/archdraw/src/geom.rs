//! Value types for the integer cell grid that layout and renderers share, and the direction
//! the main flow takes on it.
//!
//! One unit is one terminal cell: a column wide and a row high. The SVG renderer scales cells
//! to pixels, so every stage works in whole numbers and output never depends on float rounding.

use serde::Serialize;

/// A cell position: `x` is the column, `y` the row, both from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Point {
    /// Column.
    pub x: usize,
    /// Row.
    pub y: usize,
}

impl Point {
    /// A point at column `x`, row `y`.
    pub const fn new(x: usize, y: usize) -> Self {
        Self { x, y }
    }
}

/// An axis-aligned rectangle of cells, borders included.
///
/// # Guarantees
///
/// `width` and `height` count cells; a rectangle covers columns `x..x + width` and rows
/// `y..y + height`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rect {
    /// Left column.
    pub x: usize,
    /// Top row.
    pub y: usize,
    /// Width in cells.
    pub width: usize,
    /// Height in cells.
    pub height: usize,
}

impl Rect {
    /// A rectangle from its top-left corner and size.
    pub const fn new(x: usize, y: usize, width: usize, height: usize) -> Self {
        Self { x, y, width, height }
    }

    /// One past the rightmost column.
    pub const fn right(&self) -> usize {
        self.x + self.width
    }

    /// One past the bottom row.
    pub const fn bottom(&self) -> usize {
        self.y + self.height
    }

    /// Whether the two rectangles share at least one cell.
    pub const fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Whether `p` lies inside the rectangle (borders included).
    pub const fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x < self.right() && p.y >= self.y && p.y < self.bottom()
    }
}

/// One of the four directions on the grid, used for flow direction and arrowheads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Towards smaller rows.
    Up,
    /// Towards larger columns.
    Right,
    /// Towards larger rows.
    Down,
    /// Towards smaller columns.
    Left,
}

impl Side {
    /// The opposite side.
    pub const fn opposite(self) -> Side {
        match self {
            Side::Up => Side::Down,
            Side::Down => Side::Up,
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        }
    }
}

/// Which way the arrows of the main flow point.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right (the default).
    #[default]
    Right,
    /// Top to bottom.
    Down,
    /// Right to left.
    Left,
    /// Bottom to top.
    Up,
}

impl Direction {
    /// Whether ranks advance along rows (`down`, `up`) rather than columns.
    pub const fn is_vertical(self) -> bool {
        matches!(self, Direction::Down | Direction::Up)
    }
}

/// The shape a drawing is fitted to for a page: a spec's `fit: "16:9"`, the CLI's `--fit 16:9`.
///
/// Ratios are width to height in the SVG's units (pixels), not cells: a text cell is twice as
/// tall as it is wide, so a drawing of 16:9 in SVG is 32 columns for every 9 rows as text.
///
/// ```
/// use archdraw::geom::Fit;
/// assert_eq!("16:9".parse::<Fit>(), Ok(Fit::SLIDE));
/// assert_eq!("none".parse::<Fit>(), Ok(Fit::None));
/// assert!("16x9".parse::<Fit>().is_err());
/// assert_eq!(Fit::Ratio { width: 4, height: 3 }.to_string(), "4:3");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fit {
    /// Drawn as laid out, whatever its shape (the text drawing's default).
    None,
    /// About `width` wide for every `height` tall: the direction (unless the spec pins it) and
    /// the wrapping of long flows into rows are chosen to come closest.
    Ratio {
        /// The width part, 1 to [`Fit::MOST`].
        width: u16,
        /// The height part, 1 to [`Fit::MOST`].
        height: u16,
    },
}

impl Fit {
    /// A 16:9 slide: the default for SVG and PNG when the spec pins neither `direction` nor
    /// `fit`.
    pub const SLIDE: Fit = Fit::Ratio { width: 16, height: 9 };
    /// The largest number either side of a ratio may be.
    pub const MOST: u16 = 100;
    /// What a valid value looks like, for error messages.
    pub const EXPECTED: &'static str =
        "a width:height ratio such as \"16:9\", \"4:3\" or \"1:1\", or \"none\"";
}

impl std::str::FromStr for Fit {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("none") {
            return Ok(Fit::None);
        }
        let part = |p: &str| p.trim().parse::<u16>().ok().filter(|&n| (1..=Fit::MOST).contains(&n));
        match s.split_once(':') {
            Some((w, h)) => match (part(w), part(h)) {
                (Some(width), Some(height)) => Ok(Fit::Ratio { width, height }),
                _ => Err(format!(
                    "`{s}` is not a ratio: both sides must be whole numbers from 1 to {}",
                    Fit::MOST
                )),
            },
            None => Err(format!("`{s}` is not a page shape: expected {}", Fit::EXPECTED)),
        }
    }
}

impl std::fmt::Display for Fit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fit::None => f.write_str("none"),
            Fit::Ratio { width, height } => write!(f, "{width}:{height}"),
        }
    }
}

/// The arms of a line cell, the directions it joins, as bits: how the text renderer, the
/// layout's checks and the SVG's junctions agree on what a route paints.
pub(crate) mod arms {
    use super::Point;

    pub const UP: u8 = 1;
    pub const RIGHT: u8 = 2;
    pub const DOWN: u8 = 4;
    pub const LEFT: u8 = 8;

    /// The arms a straight step from `a` to `b` gives its two ends: (at `a`, at `b`).
    pub fn of_step(a: Point, b: Point) -> (u8, u8) {
        if a.y == b.y {
            if b.x > a.x { (RIGHT, LEFT) } else { (LEFT, RIGHT) }
        } else if b.y > a.y {
            (DOWN, UP)
        } else {
            (UP, DOWN)
        }
    }

    /// Every cell of a polyline with the arms the text renderer gives it; the first cell also
    /// points back at the box the line leaves. A cell the route comes back to later is listed
    /// again.
    pub fn of_route(points: &[Point]) -> Vec<(Point, u8)> {
        let mut out: Vec<(Point, u8)> = Vec::new();
        // A cell's two arms are added one after the other (arriving, leaving), so merging with
        // the last cell is enough.
        let mut add = |p: Point, a: u8| match out.last_mut() {
            Some((q, arms)) if *q == p => *arms |= a,
            _ => out.push((p, a)),
        };
        for w in points.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (forward, back) = of_step(a, b);
            let mut p = a;
            while p != b {
                let next = match (b.x.cmp(&p.x), b.y.cmp(&p.y)) {
                    (std::cmp::Ordering::Greater, _) => Point::new(p.x + 1, p.y),
                    (std::cmp::Ordering::Less, _) => Point::new(p.x - 1, p.y),
                    (_, std::cmp::Ordering::Greater) => Point::new(p.x, p.y + 1),
                    _ => Point::new(p.x, p.y - 1),
                };
                add(p, forward);
                add(next, back);
                p = next;
            }
        }
        if let ([first, second, ..], Some((_, arms))) = (points, out.first_mut()) {
            *arms |= of_step(*first, *second).1;
        }
        out
    }
}
