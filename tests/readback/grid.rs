//! The cell grid the read-back works on: one grapheme per cell, measured with the read-back's
//! own width table (see [`super::width`]), not with the crate the model measures user text
//! with. A double-width grapheme owns its cell and the continuation cell to its right, so
//! columns here are terminal columns.

use unicode_segmentation::UnicodeSegmentation;

use super::width::grapheme_width;

/// One terminal cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The grapheme drawn here; empty for the right half of a double-width grapheme.
    pub grapheme: String,
}

impl Cell {
    fn blank() -> Self {
        Self { grapheme: " ".to_owned() }
    }

    /// The right half of a double-width grapheme.
    pub fn is_continuation(&self) -> bool {
        self.grapheme.is_empty()
    }

    /// The cell's character when its grapheme is a single `char` (every glyph the renderer
    /// draws lines with is one).
    pub fn ch(&self) -> Option<char> {
        let mut chars = self.grapheme.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    }

    pub fn is_blank(&self) -> bool {
        self.ch() == Some(' ')
    }
}

/// The text as a rectangle of cells, short rows padded with blanks.
#[derive(Debug, Clone)]
pub struct Grid {
    rows: Vec<Vec<Cell>>,
    pub width: usize,
}

impl Grid {
    /// Splits `text` into rows and graphemes. Fails on control characters and zero-width
    /// graphemes: the renderer must never emit them, and they would shift columns.
    pub fn new(text: &str) -> Result<Self, String> {
        let mut rows = Vec::new();
        for (r, line) in text.strip_suffix('\n').unwrap_or(text).split('\n').enumerate() {
            let mut row = Vec::new();
            // The renderer isolates right-to-left text between FSI and PDI (zero-width, for
            // browsers); a terminal shows nothing for them, so neither does the grid.
            let line: String =
                line.chars().filter(|c| !matches!(c, '\u{2068}' | '\u{2069}')).collect();
            for g in line.graphemes(true) {
                if g.chars().any(char::is_control) {
                    return Err(format!("control character {g:?} at row {r} col {}", row.len()));
                }
                let w = grapheme_width(g);
                if w == 0 {
                    return Err(format!("zero-width grapheme {g:?} at row {r} col {}", row.len()));
                }
                row.push(Cell { grapheme: g.to_owned() });
                if w >= 2 {
                    row.push(Cell { grapheme: String::new() });
                }
            }
            rows.push(row);
        }
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        for row in &mut rows {
            row.resize(width, Cell::blank());
        }
        Ok(Self { rows, width })
    }

    pub fn height(&self) -> usize {
        self.rows.len()
    }

    /// The cell at row `r`, column `c`, if inside the grid.
    pub fn get(&self, r: usize, c: usize) -> Option<&Cell> {
        self.rows.get(r).and_then(|row| row.get(c))
    }

    /// The character at `(r, c)`, or `None` outside the grid or for multi-char graphemes.
    pub fn ch(&self, r: usize, c: usize) -> Option<char> {
        self.get(r, c).and_then(Cell::ch)
    }

    /// The text of row `r` from column `from` up to (not including) `to`, continuation cells
    /// skipped.
    pub fn text(&self, r: usize, from: usize, to: usize) -> String {
        self.rows[r][from..to].iter().map(|cell| cell.grapheme.as_str()).collect()
    }
}
