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
