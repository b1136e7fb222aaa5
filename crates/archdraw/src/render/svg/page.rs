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

use super::font::Metrics;
use super::geometry::{CH, CW, M};
use crate::geom::Point;
use crate::layout::page::{self, Carries, carries};
use crate::layout::{Layout, LineKind, PlacedText};

// The sizes of stroke-only and blank rows and columns, shared with the page fitting's estimate.
const LINE_ROW: i64 = page::LINE_ROW as i64;
const LINE_COLUMN: i64 = page::LINE_COLUMN as i64;
const GAP_ROW: i64 = page::GAP_ROW as i64;
const GAP_COLUMN: i64 = page::GAP_COLUMN as i64;
/// The narrowest a text column gets: text of thin letters still leaves a box room for its
/// corners.
const MIN_TEXT_COLUMN: i64 = 6;
/// Room a label line's columns keep beyond its measured width.
const LABEL_SLACK: i64 = 4;
/// The least width of the cells either side of a frame's title: the title's halo may use
/// them, but not the frame's rounded corner, which takes the border cell and most of these.
const FRAME_TITLE_SIDE: i64 = 14;

/// The left edge of every column and the top edge of every row, in pixels, margin included;
/// one more edge than cells, the last being the grid's far edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PageGrid {
    columns: Vec<i64>,
    rows: Vec<i64>,
}

impl PageGrid {
    /// Every cell its terminal size: [`CW`] × [`CH`].
    #[cfg(test)]
    pub(super) fn uniform(width: usize, height: usize) -> Self {
        Self { columns: edges(&vec![CW; width]), rows: edges(&vec![CH; height]) }
    }

    /// The grid for `layout`, its text measured with `measure` (the drawn width in pixels of a
    /// line at the full font size; `true` for bold).
    pub(super) fn of(layout: &Layout, measure: impl Fn(&str, bool) -> i64) -> Self {
        let (columns, rows) = carries(layout);
        let size =
            |carries: &Carries, (line, gap): (i64, i64)| if carries.stroke { line } else { gap };
        let mut widths: Vec<i64> =
            columns.iter().map(|c| size(c, (LINE_COLUMN, GAP_COLUMN))).collect();
        let heights: Vec<i64> =
            rows.iter().map(|r| if r.text { CH } else { size(r, (LINE_ROW, GAP_ROW)) }).collect();
        // Blocks' lines have padding cells around them; a label's may fill its area, which it
        // keeps 2 px from and starts a little past the line it sits beside.
        for (line, label) in layout.text_lines() {
            let slack = if label { LABEL_SLACK } else { 0 };
            let width = measure(&line.text, line.kind == LineKind::Title) + slack;
            text_needs(line, width, &mut widths);
            // An item's bullet sits in the cell before its text, a quarter in, as wide as a
            // terminal cell so bullet, gap and text keep their spacing.
            if line.kind == LineKind::Bullet
                && let Some(width) = line.x.checked_sub(1).and_then(|x| widths.get_mut(x))
            {
                *width = (*width).max(CW);
            }
        }
        for title in layout.groups.iter().map(|g| &g.title).filter(|t| !t.text.is_empty()) {
            for x in [title.x.checked_sub(1), title.x.checked_add(title.width)] {
                if let Some(width) = x.and_then(|x| widths.get_mut(x)) {
                    *width = (*width).max(FRAME_TITLE_SIDE);
                }
            }
        }
        Self { columns: edges(&widths), rows: edges(&heights) }
    }

    /// The left edge of column `x`; past the grid, columns are [`CW`] wide.
    pub(super) fn col(&self, x: usize) -> i64 {
        edge(&self.columns, x, CW)
    }

    /// The top edge of row `y`; past the grid, rows are [`CH`] high.
    pub(super) fn row(&self, y: usize) -> i64 {
        edge(&self.rows, y, CH)
    }

    /// The width of column `x`.
    pub(super) fn col_width(&self, x: usize) -> i64 {
        self.col(x.saturating_add(1)) - self.col(x)
    }

    /// The x of column `x`'s centre line, where vertical strokes run.
    pub(super) fn mid_x(&self, x: usize) -> i64 {
        self.col(x) + self.col_width(x) / 2
    }

    /// The y of row `y`'s centre line, where horizontal strokes run.
    pub(super) fn mid_y(&self, y: usize) -> i64 {
        let top = self.row(y);
        top + (self.row(y.saturating_add(1)) - top) / 2
    }

    /// The centre of a cell.
    pub(super) fn centre(&self, p: Point) -> (i64, i64) {
        (self.mid_x(p.x), self.mid_y(p.y))
    }

    /// The column holding pixel `x` (clamped to the grid; 0 before it).
    pub(super) fn column_at(&self, x: i64) -> usize {
        self.columns.partition_point(|&edge| edge <= x).saturating_sub(1)
    }

    /// The row whose centre line is at pixel `y`, if any.
    pub(super) fn row_centred_at(&self, y: i64) -> Option<usize> {
        let row = self.rows.partition_point(|&edge| edge <= y).checked_sub(1)?;
        (row + 1 < self.rows.len() && self.mid_y(row) == y).then_some(row)
    }

    /// The canvas: the grid and a margin all round.
    pub(super) fn canvas(&self) -> (i64, i64) {
        let far = |edges: &[i64]| edges.last().copied().unwrap_or(M).saturating_add(M);
        (far(&self.columns), far(&self.rows))
    }
}

/// Widens the columns `line` covers so that together they hold `width` pixels: each gets its
/// share, rounded up to an even number so centres stay whole pixels.
fn text_needs(line: &PlacedText, width: i64, widths: &mut [i64]) {
    let cells = i64::try_from(line.width.max(1)).unwrap_or(i64::MAX);
    let share = ((width + cells - 1) / cells).max(MIN_TEXT_COLUMN);
    let share = share + share % 2;
    let end = line.x.saturating_add(line.width.max(1)).min(widths.len());
    for column in widths.iter_mut().take(end).skip(line.x) {
        *column = (*column).max(share);
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

/// The drawn width of a line at the full font size, in `metrics`.
pub(super) fn measured(metrics: &Metrics, text: &str, size: i64) -> i64 {
    let (units, upem) = (metrics.width(text), metrics.units_per_em);
    (units * size + upem - 1) / upem
}
