//! Read-back: parses a rendered text diagram back into boxes, services and arrows, so tests can
//! check that the drawing *says* what the spec says, independently of how the layout got there.
//!
//! The parser knows only the drawing conventions (the contract between renderer and reader),
//! never the layout's data: a box is a closed rectangle, an arrow is a connected network of line
//! cells from one or more sources to one or more arrowheads. Each network yields one edge per
//! (source, arrowhead) pair, so a trunk wrongly shared by unrelated arrows shows up as an extra
//! edge, and a line that stops nowhere is an error.
//!
//! Positions in messages and in [`Rect`]s are 0-based rows and terminal columns (cells).
//!
//! # Conventions read (see the issue-2 brief; both charsets unless said)
//!
//! - Box: a complete rectangle `┌─┐│└─┘` (ASCII `+-+|`) with something written inside; its name
//!   is its first non-blank interior line, trimmed. Lines touching it never change its border.
//! - Frame: `╭┄ title ┄╮ ┆ ╰┄╯` (ASCII `.` top row and corners, `'` bottom row, `:` sides);
//!   an arrow crossing it shows its own glyph in the border cell.
//! - Line cells: `─│┌┐└┘├┤┬┴┼` (ASCII `-`, `|`, `+`; a `+` connects to the neighbours that
//!   point at it). A `│` with arms pointing at it from both sides is a crossing: the horizontal
//!   line jumps over it, the vertical one passes through, and they stay separate networks. A
//!   head's arm points back, so the crossing may be right behind a head (`◀│─`, ASCII `<|-`).
//!   Where the vertical lines crossed stand side by side, the horizontal one passes instead: a
//!   `─` whose neighbours above and below point at it is a crossing of the vertical line.
//! - Heads `▶◀▲▼` (ASCII `> < ^ v`) sit next to the border of the box they point into.
//! - A line end touching a box border is a source at that box; touching a text block (with no
//!   border) is a source at a service named by the block's first line.
//! - An inline label interrupts a horizontal line as `─ label ─`: one blank, text (single
//!   blanks allowed inside), one blank, then the line resumes.

#![allow(dead_code, reason = "shared by several test modules; not each uses every item")]

mod grid;
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use archdraw::geom::Rect;
pub use archdraw::render::text::Charset;

use grid::Grid;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// A box found in the drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundBox {
    /// The first non-blank interior line, trimmed.
    pub name: String,
    /// Every non-blank interior line, trimmed, top to bottom.
    pub lines: Vec<String>,
    /// The border rectangle.
    pub rect: Rect,
}

/// A service: a borderless text block that is the source of at least one arrow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundService {
    /// The block's first line, trimmed.
    pub name: String,
    /// Every line of the block, trimmed.
    pub lines: Vec<String>,
    /// The cells the block's text covers.
    pub rect: Rect,
}

/// A group frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFrame {
    /// The title written into the top border.
    pub title: String,
    /// The frame rectangle, border included.
    pub rect: Rect,
}

/// The first line of an inline label (the text interrupting a horizontal line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLabel {
    pub text: String,
    pub row: usize,
    /// Column of the label's first cell.
    pub col: usize,
}

/// What a drawing says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Picture {
    /// Boxes, in reading order of their top-left corners.
    pub boxes: Vec<FoundBox>,
    /// Services, in reading order of their first cell.
    pub services: Vec<FoundService>,
    /// Group frames, in reading order.
    pub frames: Vec<FoundFrame>,
    /// Inline labels, in reading order.
    pub labels: Vec<FoundLabel>,
    /// `(source name, target name)`, one per (network source, arrowhead) pair, sorted.
    pub edges: Vec<(String, String)>,
}

/// Parses `text`, drawn with `charset`, back into a [`Picture`].
///
/// Fails on anything the conventions forbid: a line ending in the open, an arrowhead pointing at
/// no box or attached to no line, a network without arrowhead or without source, a line
/// touching a box corner, control characters.
pub fn read_back(text: &str, charset: Charset) -> Result<Picture, String> {
    Reader::new(text, charset)?.read()
}

/// Fails naming the first line that ends in a space.
pub fn no_trailing_spaces(text: &str) -> Result<(), String> {
    match text.lines().enumerate().find(|(_, line)| line.ends_with(char::is_whitespace)) {
        Some((r, line)) => Err(format!("trailing white space on row {r}: {line:?}")),
        None => Ok(()),
    }
}

/// Fails if two boxes, two frames, a box and a service overlap, or a box straddles a frame's
/// border (a frame must contain a box whole, inside its border, or stay clear of it).
pub fn boxes_do_not_overlap(picture: &Picture) -> Result<(), String> {
    let boxes = picture.boxes.iter().map(|b| (format!("box `{}`", b.name), b.rect));
    let services = picture.services.iter().map(|s| (format!("service `{}`", s.name), s.rect));
    let solid: Vec<_> = boxes.chain(services).collect();
    for (i, (a, ra)) in solid.iter().enumerate() {
        for (b, rb) in &solid[i + 1..] {
            if ra.overlaps(rb) {
                return Err(format!("{a} at {ra:?} overlaps {b} at {rb:?}"));
            }
        }
    }
    for (i, fa) in picture.frames.iter().enumerate() {
        for fb in &picture.frames[i + 1..] {
            if fa.rect.overlaps(&fb.rect) {
                return Err(format!("frame `{}` overlaps frame `{}`", fa.title, fb.title));
            }
        }
        let inner = Rect::new(fa.rect.x + 1, fa.rect.y + 1, fa.rect.width - 2, fa.rect.height - 2);
        for (name, r) in &solid {
            let inside = r.x >= inner.x
                && r.y >= inner.y
                && r.right() <= inner.right()
                && r.bottom() <= inner.bottom();
            if r.overlaps(&fa.rect) && !inside {
                return Err(format!("{name} straddles the border of frame `{}`", fa.title));
            }
        }
    }
    Ok(())
}

/// The width in terminal cells of each line of `text`, measured grapheme by grapheme as the
/// model measures text (a CJK character or an emoji is two cells).
pub fn cell_width_of_each_line(text: &str) -> Vec<usize> {
    text.lines().map(|line| line.graphemes(true).map(|g| g.width()).sum()).collect()
}

/// A (source, target) pair, by name.
pub type Pair = (String, String);

/// `expected` and `actual` as multisets: what is missing from `actual` and what is extra.
pub fn multiset_diff(expected: &[Pair], actual: &[Pair]) -> (Vec<Pair>, Vec<Pair>) {
    let mut extra = actual.to_vec();
    let mut missing = Vec::new();
    for e in expected {
        match extra.iter().position(|a| a == e) {
            Some(i) => {
                extra.remove(i);
            }
            None => missing.push(e.clone()),
        }
    }
    (missing, extra)
}

/// The text in cells `from..from + width` of `row` (a line of a drawing), measured as
/// [`read_back`] measures. Empty past the end of the row.
pub fn cells(row: &str, from: usize, width: usize) -> String {
    match Grid::new(row) {
        Ok(grid) if grid.height() == 1 && from < grid.width => {
            grid.text(0, from, (from + width).min(grid.width))
        }
        _ => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Dir {
    Up,
    Right,
    Down,
    Left,
}

const DIRS: [Dir; 4] = [Dir::Up, Dir::Right, Dir::Down, Dir::Left];
const UP: u8 = 1;
const RIGHT: u8 = 2;
const DOWN: u8 = 4;
const LEFT: u8 = 8;

impl Dir {
    const fn bit(self) -> u8 {
        match self {
            Dir::Up => UP,
            Dir::Right => RIGHT,
            Dir::Down => DOWN,
            Dir::Left => LEFT,
        }
    }

    const fn opposite(self) -> Dir {
        match self {
            Dir::Up => Dir::Down,
            Dir::Right => Dir::Left,
            Dir::Down => Dir::Up,
            Dir::Left => Dir::Right,
        }
    }

    const fn is_horizontal(self) -> bool {
        matches!(self, Dir::Left | Dir::Right)
    }
}

/// The glyphs of one charset.
#[derive(Debug)]
struct Glyphs {
    h: char,
    v: char,
    corners: [char; 4], // top-left, top-right, bottom-left, bottom-right
    frame_corners: [char; 4],
    frame_top: char,
    frame_bottom: char,
    frame_side: char,
    /// Head glyphs and the way each points.
    heads: [(char, Dir); 4],
}

const UNICODE: Glyphs = Glyphs {
    h: '─',
    v: '│',
    corners: ['┌', '┐', '└', '┘'],
    frame_corners: ['╭', '╮', '╰', '╯'],
    frame_top: '┄',
    frame_bottom: '┄',
    frame_side: '┆',
    heads: [('▲', Dir::Up), ('▶', Dir::Right), ('▼', Dir::Down), ('◀', Dir::Left)],
};

const ASCII: Glyphs = Glyphs {
    h: '-',
    v: '|',
    corners: ['+', '+', '+', '+'],
    frame_corners: ['.', '.', '\'', '\''],
    frame_top: '.',
    frame_bottom: '\'',
    frame_side: ':',
    heads: [('^', Dir::Up), ('>', Dir::Right), ('v', Dir::Down), ('<', Dir::Left)],
};

impl Glyphs {
    fn head(&self, c: char) -> Option<Dir> {
        self.heads.iter().find(|(g, _)| *g == c).map(|(_, d)| *d)
    }

    fn is_frame_glyph(&self, c: char) -> bool {
        self.frame_corners.contains(&c)
            || [self.frame_top, self.frame_bottom, self.frame_side].contains(&c)
    }
}

/// Arms of a Unicode line glyph: the directions it connects to.
const fn unicode_arms(c: char) -> u8 {
    match c {
        '─' => LEFT | RIGHT,
        '│' => UP | DOWN,
        '┌' => RIGHT | DOWN,
        '┐' => LEFT | DOWN,
        '└' => UP | RIGHT,
        '┘' => UP | LEFT,
        '├' => UP | DOWN | RIGHT,
        '┤' => UP | DOWN | LEFT,
        '┬' => LEFT | RIGHT | DOWN,
        '┴' => LEFT | RIGHT | UP,
        '┼' => UP | RIGHT | DOWN | LEFT,
        _ => 0,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Unknown,
    Blank,
    /// A cell of box `i`, border or interior.
    Box(usize),
    /// A frame's border glyph or title.
    Frame,
    /// A line cell and its arms.
    Line(u8),
    /// An arrowhead pointing that way.
    Head(Dir),
    /// Borderless text (service text, vertical-line labels, extra label lines).
    Text,
    /// An inline label's text.
    Label,
}

/// Where a line ends without continuing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Box(usize),
    /// A service: the text block with this id.
    Block(usize),
}

type Pos = (usize, usize);

#[derive(Debug)]
struct Reader {
    grid: Grid,
    ascii: bool,
    g: &'static Glyphs,
    class: Vec<Vec<Class>>,
    boxes: Vec<FoundBox>,
    frames: Vec<FoundFrame>,
    labels: Vec<FoundLabel>,
    /// Inline labels join the line cells on either side: (cell, arm) → the cell across.
    links: BTreeMap<(Pos, Dir), Pos>,
}

impl Reader {
    fn new(text: &str, charset: Charset) -> Result<Self, String> {
        let grid = Grid::new(text)?;
        let class = vec![vec![Class::Unknown; grid.width]; grid.height()];
        let (ascii, g) = match charset {
            Charset::Unicode => (false, &UNICODE),
            Charset::Ascii => (true, &ASCII),
        };
        let (boxes, frames, labels, links) = (Vec::new(), Vec::new(), Vec::new(), BTreeMap::new());
        Ok(Self { grid, ascii, g, class, boxes, frames, labels, links })
    }

    fn read(mut self) -> Result<Picture, String> {
        self.find_boxes();
        self.find_frames();
        self.classify();
        if self.ascii {
            self.ascii_text_plus();
            self.ascii_heads()?;
            self.ascii_plus_arms();
        }
        self.find_labels();
        self.trace()
    }

    // --- grid access -------------------------------------------------------------------------

    fn step(&self, (r, c): Pos, d: Dir) -> Option<Pos> {
        let (r, c) = match d {
            Dir::Up => (r.checked_sub(1)?, c),
            Dir::Down => (r + 1, c),
            Dir::Left => (r, c.checked_sub(1)?),
            Dir::Right => (r, c + 1),
        };
        (r < self.grid.height() && c < self.grid.width).then_some((r, c))
    }

    fn ch(&self, (r, c): Pos) -> Option<char> {
        self.grid.ch(r, c)
    }

    fn ch_at(&self, p: Pos, d: Dir) -> Option<char> {
        self.step(p, d).and_then(|q| self.ch(q))
    }

    fn class(&self, (r, c): Pos) -> Class {
        self.class[r][c]
    }

    fn class_at(&self, p: Pos, d: Dir) -> Option<Class> {
        self.step(p, d).map(|q| self.class(q))
    }

    fn wordy_at(&self, p: Pos, d: Dir) -> bool {
        self.step(p, d).is_some_and(|(r, c)| self.grid.get(r, c).is_some_and(|x| x.is_wordy()))
    }

    /// The directions a line or head cell connects to (a head connects backwards only).
    fn arms(&self, p: Pos) -> u8 {
        match self.class(p) {
            Class::Line(arms) => arms,
            Class::Head(d) => d.opposite().bit(),
            _ => 0,
        }
    }

    fn arms_at(&self, p: Pos, d: Dir) -> u8 {
        self.step(p, d).map_or(0, |q| self.arms(q))
    }

    fn positions(&self) -> impl Iterator<Item = Pos> + use<> {
        let (h, w) = (self.grid.height(), self.grid.width);
        (0..h).flat_map(move |r| (0..w).map(move |c| (r, c)))
    }

    // --- boxes and frames --------------------------------------------------------------------

    fn find_boxes(&mut self) {
        for p in self.positions() {
            if self.class(p) == Class::Unknown
                && let Some(rect) = self.try_box(p)
            {
                let i = self.boxes.len();
                let lines: Vec<String> = (rect.y + 1..rect.bottom() - 1)
                    .map(|r| self.grid.text(r, rect.x + 1, rect.right() - 1).trim().to_owned())
                    .filter(|line| !line.is_empty())
                    .collect();
                let name = lines[0].clone();
                self.boxes.push(FoundBox { name, lines, rect });
                for r in rect.y..rect.bottom() {
                    for c in rect.x..rect.right() {
                        self.class[r][c] = Class::Box(i);
                    }
                }
            }
        }
    }

    /// A complete rectangle with its top-left corner at `(r, c)` and text inside.
    fn try_box(&self, (r, c): Pos) -> Option<Rect> {
        let g = self.g;
        let [tl, tr, bl, br] = g.corners;
        let free = |r: usize, c: usize| self.class[r][c] == Class::Unknown;
        let is = |r, c, want| self.grid.ch(r, c) == Some(want) && free(r, c);
        if !is(r, c, tl) {
            return None;
        }
        let mut c2 = c + 1;
        while is(r, c2, g.h) {
            c2 += 1;
        }
        let mut r2 = r + 1;
        while is(r2, c, g.v) {
            r2 += 1;
        }
        let closed = c2 >= c + 2
            && r2 >= r + 2
            && is(r, c2, tr)
            && is(r2, c, bl)
            && is(r2, c2, br)
            && (c + 1..c2).all(|x| is(r2, x, g.h))
            && (r + 1..r2).all(|y| is(y, c2, g.v));
        let written = (r + 1..r2)
            .any(|y| (c + 1..c2).any(|x| !self.grid.text(y, x, x + 1).trim().is_empty()));
        (closed && written).then(|| Rect::new(c, r, c2 - c + 1, r2 - r + 1))
    }

    fn find_frames(&mut self) {
        for p in self.positions() {
            if self.class(p) == Class::Unknown
                && let Some(rect) = self.try_frame(p)
            {
                self.mark_frame(rect);
            }
        }
    }

    /// Whether `p` holds a line glyph crossing a frame border of the given orientation.
    fn crosses_frame(&self, p: Pos, vertical_border: bool) -> bool {
        let want = if vertical_border { self.g.h } else { self.g.v };
        self.ch(p) == Some(want) && self.class(p) == Class::Unknown
    }

    fn try_frame(&self, (r, c): Pos) -> Option<Rect> {
        let g = self.g;
        let [tl, tr, bl, br] = g.frame_corners;
        let is = |p: Pos, want| self.ch(p) == Some(want) && self.class(p) == Class::Unknown;
        let side = |p: Pos| is(p, g.frame_side) || self.crosses_frame(p, true);
        if !is((r, c), tl) {
            return None;
        }
        let mut r2 = r + 1;
        while side((r2, c)) {
            r2 += 1;
        }
        if r2 < r + 2 || !is((r2, c), bl) {
            return None;
        }
        // The bottom border has no title; in ASCII its corner glyph is its border glyph, so
        // every `'` is a candidate corner: take the furthest that closes a frame.
        let mut candidates = Vec::new();
        let mut c2 = c + 1;
        while is((r2, c2), g.frame_bottom)
            || is((r2, c2), br)
            || self.crosses_frame((r2, c2), false)
        {
            if is((r2, c2), br) {
                candidates.push(c2);
            }
            c2 += 1;
        }
        let c2 = candidates
            .into_iter()
            .rev()
            .find(|&c2| c2 >= c + 2 && is((r, c2), tr) && (r + 1..r2).all(|y| side((y, c2))))?;
        Some(Rect::new(c, r, c2 - c + 1, r2 - r + 1))
    }

    /// Marks a frame's border glyphs and title; cells where lines cross stay for the lines.
    fn mark_frame(&mut self, rect: Rect) {
        let (top, bottom, left, right) = (rect.y, rect.bottom() - 1, rect.x, rect.right() - 1);
        let mut title = String::new();
        for c in left + 1..right {
            if self.crosses_frame((top, c), false) {
                title.push(self.g.frame_top);
            } else {
                title.push_str(&self.grid.text(top, c, c + 1));
                self.class[top][c] = Class::Frame;
            }
            if !self.crosses_frame((bottom, c), false) {
                self.class[bottom][c] = Class::Frame;
            }
        }
        for r in top..=bottom {
            for c in [left, right] {
                if !self.crosses_frame((r, c), true) {
                    self.class[r][c] = Class::Frame;
                }
            }
        }
        let border = self.g.frame_top;
        let title = title.trim_matches(|ch| ch == border || ch == ' ').to_owned();
        self.frames.push(FoundFrame { title, rect });
    }

    // --- lines, heads, labels ----------------------------------------------------------------

    /// Classifies every cell not in a box or frame border.
    fn classify(&mut self) {
        for p in self.positions() {
            if self.class(p) != Class::Unknown {
                continue;
            }
            let (r, c) = p;
            let Some(ch) = self.ch(p) else {
                self.class[r][c] = Class::Text; // wide or multi-char grapheme
                continue;
            };
            self.class[r][c] = if ch == ' ' {
                Class::Blank
            } else if !self.ascii {
                match (unicode_arms(ch), self.g.head(ch)) {
                    (0, Some(d)) => Class::Head(d),
                    (0, None) => Class::Text,
                    (arms, _) => Class::Line(arms),
                }
            } else {
                // A `-` or `|` between two letters is part of a word ("real-time", "a|b").
                let in_word = self.wordy_at(p, Dir::Left) && self.wordy_at(p, Dir::Right);
                match ch {
                    '-' if !in_word => Class::Line(LEFT | RIGHT),
                    '|' if !in_word => Class::Line(UP | DOWN),
                    '+' => Class::Line(0), // arms decided by its neighbours, later
                    _ => Class::Text,      // heads are decided later too
                }
            };
        }
    }

    /// ASCII: a `+` right after a letter (or after such a `+`) is text, as in "C++".
    fn ascii_text_plus(&mut self) {
        for p in self.positions() {
            let (r, c) = p;
            if self.ch(p) == Some('+') && self.class(p) == Class::Line(0) {
                let after_word = self.wordy_at(p, Dir::Left)
                    || (self.ch_at(p, Dir::Left) == Some('+')
                        && self.class_at(p, Dir::Left) == Some(Class::Text));
                if after_word {
                    self.class[r][c] = Class::Text;
                }
            }
        }
    }

    /// ASCII: `> < ^ v` are heads only when a line leads into them; then they must point into a
    /// box's border, or be part of a word (a letter beside them), else it is an error.
    fn ascii_heads(&mut self) -> Result<(), String> {
        for p in self.positions() {
            let (r, c) = p;
            let Some(ch) = self.ch(p) else { continue };
            let Some(d) = self.g.head(ch) else { continue };
            if self.class(p) != Class::Text {
                continue;
            }
            let straight = if d.is_horizontal() { '-' } else { '|' };
            let line_at = |q: Option<Pos>, want: &[char]| {
                q.is_some_and(|q| {
                    matches!(self.class(q), Class::Line(_))
                        && self.ch(q).is_some_and(|ch| want.contains(&ch))
                })
            };
            let behind = self.step(p, d.opposite());
            // A horizontal line may jump a vertical one right behind its head (`<|-`): the
            // head is fed from beyond the crossing, as it is in Unicode (`◀│─`).
            let fed = line_at(behind, &[straight, '+'])
                || (d.is_horizontal()
                    && line_at(behind, &['|'])
                    && line_at(behind.and_then(|q| self.step(q, d.opposite())), &['-', '+']));
            if !fed {
                continue;
            }
            if self.step(p, d).and_then(|q| self.facing_box(q, d)).is_some() {
                self.class[r][c] = Class::Head(d);
            } else {
                let in_word = if d.is_horizontal() {
                    self.wordy_at(p, d)
                } else {
                    self.wordy_at(p, Dir::Left) || self.wordy_at(p, Dir::Right)
                };
                if !in_word {
                    return Err(format!("arrowhead '{ch}' at row {r} col {c} points at no box"));
                }
            }
        }
        Ok(())
    }

    /// ASCII: a `+` connects to each neighbour that points at it; one that none points at is
    /// text ("a + b").
    fn ascii_plus_arms(&mut self) {
        let mut arms = Vec::new();
        for p in self.positions() {
            if self.ch(p) != Some('+') || self.class(p) != Class::Line(0) {
                continue;
            }
            let mut a = 0;
            for d in DIRS {
                let Some(q) = self.step(p, d) else { continue };
                let straight = if d.is_horizontal() { '-' } else { '|' };
                let line = matches!(self.class(q), Class::Line(_));
                let points = match self.ch(q) {
                    Some(ch) if line && (ch == straight || ch == '+') => true,
                    _ if d.is_horizontal() && self.is_crossing(q) => true,
                    _ if !d.is_horizontal() && self.is_bridge(q) => true,
                    _ => matches!(self.class(q), Class::Head(h) if h == d),
                };
                if points {
                    a |= d.bit();
                }
            }
            arms.push((p, a));
        }
        for ((r, c), a) in arms {
            self.class[r][c] = if a == 0 { Class::Text } else { Class::Line(a) };
        }
    }

    /// A vertical line cell that a horizontal line jumps over: its left and right neighbours
    /// both point at it (ASCII: each is a `-`, a `+` or a head pointing away from it).
    fn is_crossing(&self, p: Pos) -> bool {
        if self.ch(p) != Some(self.g.v) || !matches!(self.class(p), Class::Line(_)) {
            return false;
        }
        if self.ascii {
            let side = |d| match self.class_at(p, d) {
                Some(Class::Line(_)) => matches!(self.ch_at(p, d), Some('-' | '+')),
                Some(Class::Head(h)) => h == d,
                _ => false,
            };
            side(Dir::Left) && side(Dir::Right)
        } else {
            self.arms_at(p, Dir::Left) & RIGHT != 0 && self.arms_at(p, Dir::Right) & LEFT != 0
        }
    }

    /// A horizontal line cell that a vertical line passes under: its neighbours above and below
    /// are straight vertical lines (`│`, ASCII `|`). The renderer draws a crossing so where a
    /// horizontal line crosses vertical ones in neighbouring columns.
    fn is_bridge(&self, p: Pos) -> bool {
        if self.ch(p) != Some(self.g.h) || !matches!(self.class(p), Class::Line(_)) {
            return false;
        }
        let side = |d| {
            matches!(self.class_at(p, d), Some(Class::Line(_)))
                && self.ch_at(p, d) == Some(self.g.v)
        };
        side(Dir::Up) && side(Dir::Down)
    }

    /// Inline labels: from a horizontal line cell pointing right at a blank, across
    /// `blank, text (single blanks inside), blank` to a line cell pointing back.
    fn find_labels(&mut self) {
        for p in self.positions() {
            if !matches!(self.class(p), Class::Line(a) if a & RIGHT != 0) {
                continue;
            }
            let (r, c) = p;
            let text_at = |c: usize| c < self.grid.width && self.class[r][c] == Class::Text;
            let blank_at = |c: usize| c < self.grid.width && self.class[r][c] == Class::Blank;
            if !blank_at(c + 1) || !text_at(c + 2) {
                continue;
            }
            let mut k = c + 2;
            let end = loop {
                if text_at(k) {
                    k += 1;
                } else if blank_at(k) {
                    if k + 1 < self.grid.width && self.resumes((r, k + 1)) {
                        break Some(k + 1);
                    }
                    if !text_at(k + 1) {
                        break None; // two blanks, or something else: not a label
                    }
                    k += 1;
                } else {
                    break None;
                }
            };
            let Some(end) = end else { continue };
            let text = self.grid.text(r, c + 2, end - 1).trim().to_owned();
            for x in c + 2..end - 1 {
                self.class[r][x] = Class::Label;
            }
            self.labels.push(FoundLabel { text, row: r, col: c + 2 });
            self.links.insert((p, Dir::Right), (r, end));
            self.links.insert(((r, end), Dir::Left), p);
        }
    }

    /// Whether a line resumes at `p` after a label: a cell pointing left, or an ASCII `+`
    /// (whose arm towards a blank cannot be known from its neighbours).
    fn resumes(&self, p: Pos) -> bool {
        self.arms(p) & LEFT != 0
            || (self.ascii && self.ch(p) == Some('+') && matches!(self.class(p), Class::Line(_)))
    }

    /// If `q` (reached by moving `d`) is the border of a box facing a line coming that way,
    /// not a corner, the box.
    fn facing_box(&self, q: Pos, d: Dir) -> Option<usize> {
        let Class::Box(b) = self.class(q) else { return None };
        let rect = self.boxes[b].rect;
        let (r, c) = q;
        let inside_rows = r > rect.y && r < rect.bottom() - 1;
        let inside_cols = c > rect.x && c < rect.right() - 1;
        let ok = match d {
            Dir::Right => c == rect.x && inside_rows,
            Dir::Left => c == rect.right() - 1 && inside_rows,
            Dir::Down => r == rect.y && inside_cols,
            Dir::Up => r == rect.bottom() - 1 && inside_cols,
        };
        ok.then_some(b)
    }

    // --- networks ----------------------------------------------------------------------------

    fn trace(mut self) -> Result<Picture, String> {
        let w = self.grid.width;
        let idx = |(r, c): Pos| r * w + c;
        let mut uf = UnionFind::new(self.grid.height() * w);
        let mut sources: Vec<(Pos, Source)> = Vec::new();
        let mut heads: Vec<(Pos, usize)> = Vec::new();
        let mut blocks = Blocks::default();

        // A `+` at a label's end gets its arm from the label.
        let ends: Vec<Pos> =
            self.links.keys().filter(|(_, d)| *d == Dir::Left).map(|(p, _)| *p).collect();
        for (r, c) in ends {
            if let Class::Line(a) = self.class[r][c] {
                self.class[r][c] = Class::Line(a | LEFT);
            }
        }

        for p in self.positions() {
            let (r, c) = p;
            match self.class(p) {
                Class::Line(arms) => {
                    for d in DIRS.into_iter().filter(|d| arms & d.bit() != 0) {
                        if let Some(&q) = self.links.get(&(p, d)) {
                            uf.union(idx(p), idx(q));
                            continue;
                        }
                        let Some(q) = self.step(p, d) else {
                            return Err(format!(
                                "line ends in the open at row {r} col {c} (edge of the drawing)"
                            ));
                        };
                        if (d.is_horizontal() && self.is_crossing(q))
                            || (!d.is_horizontal() && self.is_bridge(q))
                        {
                            let beyond =
                                self.step(q, d).expect("a crossing has cells on both sides");
                            uf.union(idx(p), idx(beyond));
                            continue;
                        }
                        if self.arms(q) & d.opposite().bit() != 0 {
                            uf.union(idx(p), idx(q));
                            continue;
                        }
                        match self.class(q) {
                            Class::Box(b) => match self.facing_box(q, d) {
                                Some(b) => sources.push((p, Source::Box(b))),
                                None => {
                                    let name = &self.boxes[b].name;
                                    return Err(format!(
                                        "line at row {r} col {c} touches box `{name}` at a corner"
                                    ));
                                }
                            },
                            Class::Text => {
                                let block = blocks.of(&self, q);
                                sources.push((p, Source::Block(block)));
                            }
                            // A vertical line may meet a service between two words of its
                            // first or last line (the reference figure does).
                            Class::Blank
                                if !d.is_horizontal()
                                    && self.class_at(q, Dir::Left) == Some(Class::Text)
                                    && self.class_at(q, Dir::Right) == Some(Class::Text) =>
                            {
                                let word = self.step(q, Dir::Left).expect("has a left neighbour");
                                let block = blocks.of(&self, word);
                                sources.push((p, Source::Block(block)));
                            }
                            _ => return Err(format!("line ends in the open at row {r} col {c}")),
                        }
                    }
                }
                Class::Head(d) => {
                    let back = d.opposite();
                    let attached = self.step(p, back).is_some_and(|q| {
                        if back.is_horizontal() && self.is_crossing(q) {
                            self.arms_at(q, back) & d.bit() != 0
                        } else {
                            self.arms(q) & d.bit() != 0 || self.links.contains_key(&(p, back))
                        }
                    });
                    if !attached {
                        return Err(format!(
                            "arrowhead at row {r} col {c} is not attached to a line"
                        ));
                    }
                    match self.step(p, d).and_then(|q| self.facing_box(q, d)) {
                        Some(b) => heads.push((p, b)),
                        None => {
                            return Err(format!("arrowhead at row {r} col {c} points at no box"));
                        }
                    }
                }
                _ => {}
            }
        }

        // One network per union-find root, named by its first cell in reading order.
        #[derive(Default)]
        struct Net {
            first: Option<Pos>,
            sources: BTreeSet<Source>,
            heads: Vec<usize>,
        }
        let mut nets: BTreeMap<usize, Net> = BTreeMap::new();
        for p in self.positions() {
            if matches!(self.class(p), Class::Line(_) | Class::Head(_)) {
                nets.entry(uf.find(idx(p))).or_default().first.get_or_insert(p);
            }
        }
        for (p, s) in sources {
            nets.get_mut(&uf.find(idx(p))).expect("every line cell has a net").sources.insert(s);
        }
        for (p, b) in heads {
            nets.get_mut(&uf.find(idx(p))).expect("every head has a net").heads.push(b);
        }

        let services = blocks.services(&self);
        let name = |s: &Source| match s {
            Source::Box(b) => self.boxes[*b].name.clone(),
            Source::Block(k) => services[k].name.clone(),
        };
        let mut edges = Vec::new();
        let mut ordered: Vec<&Net> = nets.values().collect();
        ordered.sort_by_key(|n| n.first);
        for net in ordered {
            let (r, c) = net.first.expect("a net has a cell");
            if net.heads.is_empty() {
                return Err(format!("the line at row {r} col {c} reaches no arrowhead"));
            }
            if net.sources.is_empty() {
                return Err(format!("the line at row {r} col {c} starts at no box or service"));
            }
            for s in &net.sources {
                for &h in &net.heads {
                    edges.push((name(s), self.boxes[h].name.clone()));
                }
            }
        }
        edges.sort();
        let mut services: Vec<FoundService> = services.into_values().collect();
        services.sort_by_key(|s| (s.rect.y, s.rect.x));
        Ok(Picture { boxes: self.boxes, services, frames: self.frames, labels: self.labels, edges })
    }
}

/// Borderless text blocks: text cells joined across single blanks within a row and directly
/// above/below each other.
#[derive(Debug, Default)]
struct Blocks {
    of_cell: HashMap<Pos, usize>,
    cells: Vec<Vec<Pos>>,
}

impl Blocks {
    fn of(&mut self, reader: &Reader, start: Pos) -> usize {
        if let Some(&k) = self.of_cell.get(&start) {
            return k;
        }
        let k = self.cells.len();
        let text = |p: Option<Pos>| p.filter(|&q| reader.class(q) == Class::Text);
        let mut stack = vec![start];
        let mut cells = Vec::new();
        self.of_cell.insert(start, k);
        while let Some(p) = stack.pop() {
            cells.push(p);
            let mut next = vec![text(reader.step(p, Dir::Up)), text(reader.step(p, Dir::Down))];
            for d in [Dir::Left, Dir::Right] {
                let q = reader.step(p, d);
                next.push(text(q));
                if q.is_some_and(|q| reader.class(q) == Class::Blank) {
                    next.push(text(q.and_then(|q| reader.step(q, d))));
                }
            }
            for q in next.into_iter().flatten() {
                if let std::collections::hash_map::Entry::Vacant(e) = self.of_cell.entry(q) {
                    e.insert(k);
                    stack.push(q);
                }
            }
        }
        self.cells.push(cells);
        k
    }

    fn services(&self, reader: &Reader) -> BTreeMap<usize, FoundService> {
        let mut out = BTreeMap::new();
        for (k, cells) in self.cells.iter().enumerate() {
            let mut rows: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
            for &(r, c) in cells {
                let span = rows.entry(r).or_insert((c, c));
                span.0 = span.0.min(c);
                span.1 = span.1.max(c);
            }
            let lines: Vec<String> = rows
                .iter()
                .map(|(&r, &(from, to))| reader.grid.text(r, from, to + 1).trim().to_owned())
                .collect();
            let (x0, x1) =
                rows.values().fold((usize::MAX, 0), |(a, b), &(f, t)| (a.min(f), b.max(t)));
            let (y0, y1) = (*rows.keys().next().unwrap(), *rows.keys().next_back().unwrap());
            let rect = Rect::new(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
            out.insert(k, FoundService { name: lines[0].clone(), lines, rect });
        }
        out
    }
}

#[derive(Debug)]
struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> Self {
        Self((0..n).collect())
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        self.0[a.max(b)] = a.min(b);
    }
}
