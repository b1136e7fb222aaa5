//! The page grid: where each column and row of the layout's cell grid lies in pixels.
//!
//! The layout is a grid of terminal cells, and a terminal cell is sized for a letter. On the
//! page most rows hold no letters at all (box borders, the channels arrows run in, blank
//! space between ranks) and most gap columns neither, so drawing every cell at a text cell's
//! size makes the picture several times larger than the same graph drawn by Graphviz. Here
//! every column and row gets its own size: a row carrying text keeps a text row's height, a
//! column carrying text is as wide as its text measured in the bundled font needs, and the
//! rest shrink to what strokes need (a line, a rounded corner, a hop, an arrowhead).
//!
//! The map from cells to pixels is monotone, so the drawing's topology is exactly the
//! layout's: whatever `verify` guarantees of the cells holds on the page, and the text
//! renderer never sees any of this.

use super::geometry::{CH, CW, M};
use crate::geom::Point;
use crate::layout::row_columns::{RowColumns, row_columns};
use crate::layout::{Layout, page};

/// The left edge of every column and the top edge of every row, in pixels, margin included;
/// one more edge than cells, the last being the grid's far edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PageGrid {
    columns: Vec<i64>,
    rows: Vec<i64>,
    /// Each row's own column edges, when the layout allows them
    /// ([`crate::layout::row_columns`]); otherwise every row has `columns`.
    across: Option<RowColumns>,
}

impl PageGrid {
    /// Every cell its terminal size, [`CW`] wide and twice as high (the tests' round
    /// numbers).
    #[cfg(test)]
    pub(super) fn uniform(width: usize, height: usize) -> Self {
        Self { columns: edges(&vec![CW; width]), rows: edges(&vec![2 * CW; height]), across: None }
    }

    /// The grid for `layout`, its text measured with `measure` (the drawn width in pixels of a
    /// line at the full font size; `true` for bold).
    pub(super) fn of(layout: &Layout, measure: impl Fn(&str, bool) -> i64) -> Self {
        let (widths, heights) = page::track_sizes(layout, &measure);
        let across = row_columns(layout, &measure);
        Self { columns: edges(&widths), rows: edges(&heights), across }
    }

    /// Whether columns are sized row by row (otherwise one width per column).
    pub(super) fn row_by_row(&self) -> bool {
        self.across.is_some()
    }

    /// The left edge of column `x` in row `y`; past the grid, columns are [`CW`] wide.
    pub(super) fn col(&self, x: usize, y: usize) -> i64 {
        match &self.across {
            Some(across) if x <= self.columns.len().saturating_sub(1) => M + across.col(x, y),
            Some(across) => {
                let beyond = i64::try_from(x + 1 - self.columns.len()).unwrap_or(i64::MAX / 4);
                M + across.width() + beyond.saturating_mul(CW)
            }
            None => edge(&self.columns, x, CW),
        }
    }

    /// The top edge of row `y`; past the grid, rows are [`CH`] high.
    pub(super) fn row(&self, y: usize) -> i64 {
        edge(&self.rows, y, CH)
    }

    /// The width of column `x` in row `y`: what the cell itself takes.
    pub(super) fn col_width(&self, x: usize, y: usize) -> i64 {
        let (left, right) = self.cell(x, y);
        right - left
    }

    /// The left and right edges of cell `x` of row `y` (room left between two things in
    /// adjacent cells belongs to neither).
    pub(super) fn cell(&self, x: usize, y: usize) -> (i64, i64) {
        match &self.across {
            Some(across) if x < self.columns.len() => {
                let (left, right) = across.cell(x, y);
                (M + left, M + right)
            }
            _ => (self.col(x, y), self.col(x.saturating_add(1), y)),
        }
    }

    /// The right edge of the column the grid has before the layout's first in row `y`, if
    /// it has one (for a service's outline beside text at the layout's left edge).
    pub(super) fn lead_right(&self, y: usize) -> Option<i64> {
        self.across.as_ref().and_then(|across| across.lead_right(y)).map(|x| M + x)
    }

    /// The height of row `y`.
    pub(super) fn row_height(&self, y: usize) -> i64 {
        self.row(y.saturating_add(1)) - self.row(y)
    }

    /// The x of column `x`'s centre line in row `y`, where vertical strokes run.
    pub(super) fn mid_x(&self, x: usize, y: usize) -> i64 {
        let (left, right) = self.cell(x, y);
        left + (right - left) / 2
    }

    /// The y of row `y`'s centre line, where horizontal strokes run.
    pub(super) fn mid_y(&self, y: usize) -> i64 {
        self.row(y) + self.row_height(y) / 2
    }

    /// The centre of a cell.
    pub(super) fn centre(&self, p: Point) -> (i64, i64) {
        (self.mid_x(p.x, p.y), self.mid_y(p.y))
    }

    /// The column of row `y` holding pixel `x` (clamped to the grid; 0 before it).
    pub(super) fn column_at(&self, x: i64, y: usize) -> usize {
        match &self.across {
            Some(across) => across.column_at(x - M, y),
            None => self.columns.partition_point(|&edge| edge <= x).saturating_sub(1),
        }
    }

    /// The row whose centre line is at pixel `y`, if any.
    pub(super) fn row_centred_at(&self, y: i64) -> Option<usize> {
        let row = self.rows.partition_point(|&edge| edge <= y).checked_sub(1)?;
        (row + 1 < self.rows.len() && self.mid_y(row) == y).then_some(row)
    }

    /// The canvas: the grid and a margin all round.
    pub(super) fn canvas(&self) -> (i64, i64) {
        let far = |edges: &[i64]| edges.last().copied().unwrap_or(M).saturating_add(M);
        let width = match &self.across {
            Some(across) => across.width().saturating_add(2 * M),
            None => far(&self.columns),
        };
        (width, far(&self.rows))
    }
}

/// The edges of cells `sizes` wide, from the margin.
fn edges(sizes: &[i64]) -> Vec<i64> {
    let mut out = Vec::with_capacity(sizes.len() + 1);
    let mut at = M;
    out.push(at);
    for &size in sizes {
        at = at.saturating_add(size);
        out.push(at);
    }
    out
}

/// Edge `i` of `edges`, continuing past the end in steps of `step`.
fn edge(edges: &[i64], i: usize, step: i64) -> i64 {
    match edges.get(i) {
        Some(&at) => at,
        None => {
            let last = edges.len().saturating_sub(1);
            let beyond = i64::try_from(i - last).unwrap_or(i64::MAX);
            edges.last().copied().unwrap_or(M).saturating_add(beyond.saturating_mul(step))
        }
    }
}
