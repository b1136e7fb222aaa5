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
//!   point at it). A `│` with line cells pointing at it from both sides is a crossing: the
//!   horizontal line jumps over it, the vertical one passes through, and they stay separate
//!   networks. Where the vertical lines crossed stand side by side, the horizontal one passes
//!   instead: a `─` whose neighbours above and below point at it is a crossing of the vertical
//!   line.
//! - Heads `▶◀▲▼` (ASCII `> < ^ v`) sit next to the border of the box they point into, fed by
//!   the line cell right behind them; a crossing right behind a head (`◀│─`) leaves the head
//!   hanging off the line it crosses, and is an error.
//! - A line end touching a box border is a source at that box; touching a text block (with no
//!   border) is a source at a service named by the block's first line.
//! - A label is text interrupting a horizontal line as `─ label ─` (one blank, text with single
//!   blanks inside, one blank, then the line resumes), its further lines right below it from
//!   the same column; or text beside a vertical line, every line starting two cells right of
//!   it (`│ label`). It must be on the route of exactly one arrow, and no other arrow's line
//!   may touch it from the left or right. Any other text outside boxes and frame titles must
//!   be a service's.
//!
//! # ASCII words and lines
//!
//! The read-back's own reading of ASCII, as a person reads it (deliberately not the rules the
//! library's sanitiser writes by): a `-` with a letter or digit on both sides is a hyphen; a
//! `|` there is part of a word unless a line's `|` or `+` stands right above or below it (a
//! line would be seen running through the word); a `+` right after a letter, a digit or such
//! a `+` is part of a word ("C++") unless a `-` follows it or a line's `|` or `+` stands above
//! or below it. (A `|` or `+` that is itself part of a word by these rules is no line's.) `> < ^ v` are heads only where a line leads into them. Everything else in `-|+` is a
//! line, and must then join up like one.

#![allow(dead_code, reason = "shared by several test modules; not each uses every item")]

pub mod expect;
mod grid;
#[cfg(test)]
mod tests;
pub mod width;
#[rustfmt::skip]
mod widths;

use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use archdraw::geom::Rect;
pub use archdraw::render::text::Charset;

use grid::Grid;
use unicode_segmentation::UnicodeSegmentation;

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

/// An arrow's label: text interrupting a horizontal line (`─ text ─`), with any further lines
/// right below it, or text beside a vertical line (`│ text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLabel {
    /// The first line, trimmed.
    pub text: String,
    /// Row of the first line.
    pub row: usize,
    /// Column of the label's first cell.
    pub col: usize,
    /// Every line, trimmed, top to bottom.
    pub lines: Vec<String>,
    /// The arrow it labels: an index into [`Picture::arrows`].
    pub arrow: usize,
}

/// Where an arrow starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum End {
    /// An index into [`Picture::boxes`].
    Box(usize),
    /// An index into [`Picture::services`].
    Service(usize),
}

/// One arrow: a source of a line network and one of its arrowheads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundArrow {
    pub from: End,
    /// The box the head points into: an index into [`Picture::boxes`].
    pub to: usize,
    /// The head's (row, column).
    pub head: (usize, usize),
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
    /// Labels, in reading order of their first cell, each on its arrow.
    pub labels: Vec<FoundLabel>,
    /// `(source name, target name)`, one per (network source, arrowhead) pair, sorted.
    pub edges: Vec<(String, String)>,
    /// The same arrows by index, in reading order of their networks.
    pub arrows: Vec<FoundArrow>,
}

/// Parses `text`, drawn with `charset`, back into a [`Picture`].
///
/// Fails on anything the conventions forbid: a line ending in the open, an arrowhead pointing at
/// no box or attached to no line (a crossing right behind a head counts as none), a network
/// without arrowhead or without source, a line touching a box corner, control characters, a
/// label not on exactly one arrow or touching another arrow's line, text that belongs to
/// nothing.
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

/// Fails if the ASCII drawing `text` has a character over 127 that the spec's `source` does
/// not have: the drawing (lines, corners, heads, bullets) is 7-bit, and any text beyond ASCII
/// is the user's (whether it reads as written is [`expect::compare`]'s to check).
pub fn seven_bit_drawing(text: &str, source: &str) -> Result<(), String> {
    for (r, line) in text.lines().enumerate() {
        // The renderer wraps right-to-left text in bidi isolates (U+2066 to U+2069), so that
        // it cannot reorder the line around it.
        let drawn = |c: char| !c.is_ascii() && !('\u{2066}'..='\u{2069}').contains(&c);
        if let Some(c) = line.chars().find(|&c| drawn(c) && !source.contains(c)) {
            return Err(format!("{c:?} on row {r} is neither 7-bit nor the spec's: {line:?}"));
        }
    }
    Ok(())
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

/// The width in terminal cells of each line of `text`, measured grapheme by grapheme with the
/// read-back's own table (a CJK character or an emoji is two cells; see [`width`]).
pub fn cell_width_of_each_line(text: &str) -> Vec<usize> {
    text.lines().map(|line| line.graphemes(true).map(width::grapheme_width).sum()).collect()
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
        let (boxes, frames, links) = (Vec::new(), Vec::new(), BTreeMap::new());
        Ok(Self { grid, ascii, g, class, boxes, frames, links })
    }

    fn read(mut self) -> Result<Picture, String> {
        self.find_boxes();
        self.find_frames();
        self.classify();
        let mut loose_heads = Vec::new();
        if self.ascii {
            self.ascii_text_plus();
            loose_heads = self.ascii_heads();
            self.ascii_plus_arms();
        }
        self.loose_glyphs_are_text();
        for (r, c) in loose_heads {
            let behind = self.class_at((r, c), self.ascii_head_dir((r, c)).opposite());
            if matches!(behind, Some(Class::Line(_))) {
                return Err(format!("arrowhead at row {r} col {c} points at no box"));
            }
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

    /// ASCII: whether the cell that way holds a letter or a digit.
    fn wordy_at(&self, p: Pos, d: Dir) -> bool {
        self.ch_at(p, d).is_some_and(|c| c.is_ascii_alphanumeric())
    }

    /// ASCII: a `|` with a letter or digit on both sides.
    fn bar_in_word(&self, p: Pos) -> bool {
        self.ch(p) == Some('|') && self.wordy_at(p, Dir::Left) && self.wordy_at(p, Dir::Right)
    }

    /// ASCII: a `+` right after a letter, a digit or such a `+` ("C++").
    fn plus_after_word(&self, p: Pos) -> bool {
        let mut q = p;
        while self.ch(q) == Some('+') {
            if self.wordy_at(q, Dir::Left) {
                return true;
            }
            match self.step(q, Dir::Left) {
                Some(left) => q = left,
                None => return false,
            }
        }
        false
    }

    /// ASCII: whether a vertical line goes on from `p` up or down: a `|` or `+` there that is
    /// not itself part of a word.
    fn line_above_or_below(&self, p: Pos) -> bool {
        [Dir::Up, Dir::Down].into_iter().filter_map(|d| self.step(p, d)).any(|q| match self.ch(q) {
            Some('|') => !self.bar_in_word(q),
            Some('+') => !self.plus_after_word(q),
            _ => false,
        })
    }

    /// The directions a line or head cell connects to (a head connects backwards only).
    fn arms(&self, p: Pos) -> u8 {
        match self.class(p) {
            Class::Line(arms) => arms,
            Class::Head(d) => d.opposite().bit(),
            _ => 0,
        }
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
        // The title lies between the border runs from each corner (crossing lines included):
        // whatever glyphs it is written with, nothing crosses there.
        let border_at = |c: usize| {
            self.ch((top, c)) == Some(self.g.frame_top) || self.crosses_frame((top, c), false)
        };
        let mut title_start = left + 1;
        while title_start < right && border_at(title_start) {
            title_start += 1;
        }
        let mut title_end = right;
        while title_end > title_start && border_at(title_end - 1) {
            title_end -= 1;
        }
        for c in left + 1..right {
            if (title_start..title_end).contains(&c) {
                title.push_str(&self.grid.text(top, c, c + 1));
                self.class[top][c] = Class::Frame;
            } else if self.crosses_frame((top, c), false) {
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
        // The border runs from each corner up to one blank on each side of the title; what
        // lies between those blanks is the title, whatever it is written with (`...` in an
        // ASCII frame whose border is dots).
        let title = title.trim_start_matches(border);
        let title = title.strip_prefix(' ').unwrap_or(title).trim_end_matches(border);
        let title = title.strip_suffix(' ').unwrap_or(title).to_owned();
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
                // A `-` between two letters or digits is a hyphen ("real-time"); a `|` there
                // is part of a word too ("a|b"), unless a vertical line goes on above or below
                // it, which a reader would see running through the word.
                let between_letters = self.wordy_at(p, Dir::Left) && self.wordy_at(p, Dir::Right);
                match ch {
                    '-' if !between_letters => Class::Line(LEFT | RIGHT),
                    '|' if !between_letters || self.line_above_or_below(p) => {
                        Class::Line(UP | DOWN)
                    }
                    '+' => Class::Line(0), // arms decided by its neighbours, later
                    _ => Class::Text,      // heads are decided later too
                }
            };
        }
    }

    /// ASCII: a `+` right after a letter or digit (or after such a `+`) is text, as in "C++",
    /// unless a line goes on from it: a `-` right after it, or a `|` or `+` above or below,
    /// make it a corner a reader would follow.
    fn ascii_text_plus(&mut self) {
        for p in self.positions() {
            let (r, c) = p;
            if self.ch(p) == Some('+') && self.class(p) == Class::Line(0) {
                let after_word = self.wordy_at(p, Dir::Left)
                    || (self.ch_at(p, Dir::Left) == Some('+')
                        && self.class_at(p, Dir::Left) == Some(Class::Text));
                let goes_on = self.ch_at(p, Dir::Right) == Some('-') || self.line_above_or_below(p);
                if after_word && !goes_on {
                    self.class[r][c] = Class::Text;
                }
            }
        }
    }

    /// ASCII: `> < ^ v` are heads only when a line leads into them; then they must point into a
    /// box's border, or be part of a word (a letter beside them). Returns those that point at
    /// no box: an error if the line leading into them is one (see
    /// [`loose_glyphs_are_text`](Self::loose_glyphs_are_text)).
    fn ascii_heads(&mut self) -> Vec<Pos> {
        let mut loose = Vec::new();
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
            if !line_at(behind, &[straight, '+']) {
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
                    loose.push(p);
                }
            }
        }
        loose
    }

    /// ASCII: the way the head glyph at `p` points.
    fn ascii_head_dir(&self, p: Pos) -> Dir {
        self.ch(p).and_then(|ch| self.g.head(ch)).expect("a head glyph")
    }

    /// Line glyphs that join no box are text: a user's `->`, `--`, `|` or `───` written in the
    /// open. Every line of a drawing runs from a box (or a service's text) to an arrowhead at a
    /// box, so a piece of line that reaches no box border and no such head, directly or through
    /// the lines it joins (crossings included), cannot be a line; a person reads it as the
    /// words it is. (A line drawn by mistake is then read as stray text, which belongs to
    /// nothing in the spec and fails the comparison.)
    fn loose_glyphs_are_text(&mut self) {
        let w = self.grid.width;
        let idx = |(r, c): Pos| r * w + c;
        let mut uf = UnionFind::new(self.grid.height() * w);
        let mut anchored = vec![false; self.grid.height() * w];
        let is_line = |class: Class| matches!(class, Class::Line(_) | Class::Head(_));
        for p in self.positions() {
            if !is_line(self.class(p)) {
                continue;
            }
            if let Class::Head(d) = self.class(p)
                && self.step(p, d).and_then(|q| self.facing_box(q, d)).is_some()
            {
                anchored[idx(p)] = true;
            }
            for d in DIRS.into_iter().filter(|d| self.arms(p) & d.bit() != 0) {
                let Some(q) = self.step(p, d) else { continue };
                if matches!(self.class(q), Class::Box(_)) {
                    anchored[idx(p)] = true;
                } else if (d.is_horizontal() && self.is_crossing(q))
                    || (!d.is_horizontal() && self.is_bridge(q))
                {
                    if let Some(beyond) = self.step(q, d) {
                        uf.union(idx(p), idx(beyond));
                    }
                } else if self.arms(q) & d.opposite().bit() != 0 {
                    uf.union(idx(p), idx(q));
                } else if self.ascii
                    && self.class(q) == Class::Text
                    && self.ch(q).and_then(|ch| self.g.head(ch)) == Some(d)
                    && self.step(q, d).and_then(|x| self.facing_box(x, d)).is_some()
                {
                    anchored[idx(p)] = true;
                }
            }
        }
        let mut roots = vec![false; anchored.len()];
        for p in self.positions() {
            if anchored[idx(p)] {
                roots[uf.find(idx(p))] = true;
            }
        }
        for p in self.positions() {
            if is_line(self.class(p)) && !roots[uf.find(idx(p))] {
                self.class[p.0][p.1] = Class::Text;
            }
        }
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
    /// are line cells pointing at it (ASCII: each is a `-` or a `+`). A head beside it does
    /// not count: a head is fed by the cell right behind it.
    fn is_crossing(&self, p: Pos) -> bool {
        if self.ch(p) != Some(self.g.v) || !matches!(self.class(p), Class::Line(_)) {
            return false;
        }
        if self.ascii {
            let side = |d| {
                (matches!(self.class_at(p, d), Some(Class::Line(_)))
                    && matches!(self.ch_at(p, d), Some('-' | '+')))
            };
            side(Dir::Left) && side(Dir::Right)
        } else {
            let side = |d: Dir| matches!(self.class_at(p, d), Some(Class::Line(a)) if a & d.opposite().bit() != 0);
            side(Dir::Left) && side(Dir::Right)
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
            for x in c + 2..end - 1 {
                self.class[r][x] = Class::Label;
            }
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

    /// The text cell right beside blank `q`, across the way `d` a line reached it by (left or
    /// right of a vertical line's end, above or below a horizontal one's), if any.
    fn text_beside(&self, q: Pos, d: Dir) -> Option<Pos> {
        let across = if d.is_horizontal() { [Dir::Up, Dir::Down] } else { [Dir::Left, Dir::Right] };
        across.into_iter().filter_map(|a| self.step(q, a)).find(|&t| self.class(t) == Class::Text)
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
        // Which line cells join which, for following one arrow through its network.
        let mut adjacent: HashMap<Pos, Vec<Pos>> = HashMap::new();
        let mut join = |uf: &mut UnionFind, p: Pos, q: Pos| {
            uf.union(idx(p), idx(q));
            adjacent.entry(p).or_default().push(q);
            adjacent.entry(q).or_default().push(p);
        };
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
                            join(&mut uf, p, q);
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
                            join(&mut uf, p, beyond);
                            continue;
                        }
                        if self.arms(q) & d.opposite().bit() != 0 {
                            join(&mut uf, p, q);
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
                            // A line may meet a service at a blank beside its text: between
                            // two words of its first or last line (the reference figure does),
                            // or, where the text's every glyph would read as the line going on
                            // (a service titled `|`), on the blank margin next to it.
                            Class::Blank if let Some(word) = self.text_beside(q, d) => {
                                let block = blocks.of(&self, word);
                                sources.push((p, Source::Block(block)));
                            }
                            _ => return Err(format!("line ends in the open at row {r} col {c}")),
                        }
                    }
                }
                Class::Head(d) => {
                    // Fed by the line cell right behind it: a crossing there would leave the
                    // head hanging off the line it crosses (`◀│─`), which reads as that line's.
                    let back = d.opposite();
                    let attached = self.step(p, back).is_some_and(|q| {
                        self.arms(q) & d.bit() != 0 || self.links.contains_key(&(p, back))
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
            sources: BTreeMap<Source, Vec<Pos>>,
            heads: Vec<(Pos, usize)>,
        }
        let mut nets: BTreeMap<usize, Net> = BTreeMap::new();
        for p in self.positions() {
            if matches!(self.class(p), Class::Line(_) | Class::Head(_)) {
                nets.entry(uf.find(idx(p))).or_default().first.get_or_insert(p);
            }
        }
        for (p, s) in sources {
            let net = nets.get_mut(&uf.find(idx(p))).expect("every line cell has a net");
            net.sources.entry(s).or_default().push(p);
        }
        for (p, b) in heads {
            nets.get_mut(&uf.find(idx(p))).expect("every head has a net").heads.push((p, b));
        }

        let by_block = blocks.services(&self);
        // Services in reading order of their first cell; `service_of[block]` is the index.
        let mut order: Vec<(usize, &FoundService)> =
            by_block.iter().map(|(k, s)| (*k, s)).collect();
        order.sort_by_key(|(_, s)| (s.rect.y, s.rect.x));
        let service_of: BTreeMap<usize, usize> =
            order.iter().enumerate().map(|(i, (k, _))| (*k, i)).collect();
        let services: Vec<FoundService> = order.into_iter().map(|(_, s)| s.clone()).collect();
        let end = |s: &Source| match s {
            Source::Box(b) => End::Box(*b),
            Source::Block(k) => End::Service(service_of[k]),
        };

        let mut arrows = Vec::new();
        // For each arrow: its network's root and the cells its line leaves its source from.
        let mut arrow_cells: Vec<(usize, Vec<Pos>)> = Vec::new();
        let mut ordered: Vec<(&usize, &Net)> = nets.iter().collect();
        ordered.sort_by_key(|(_, n)| n.first);
        for (&root, net) in ordered {
            let (r, c) = net.first.expect("a net has a cell");
            if net.heads.is_empty() {
                return Err(format!("the line at row {r} col {c} reaches no arrowhead"));
            }
            if net.sources.is_empty() {
                return Err(format!("the line at row {r} col {c} starts at no box or service"));
            }
            for (s, cells) in &net.sources {
                for &(head, to) in &net.heads {
                    arrows.push(FoundArrow { from: end(s), to, head });
                    arrow_cells.push((root, cells.clone()));
                }
            }
        }
        let name = |e: End| match e {
            End::Box(b) => self.boxes[b].name.clone(),
            End::Service(k) => services[k].name.clone(),
        };
        let mut edges: Vec<Pair> =
            arrows.iter().map(|a| (name(a.from), self.boxes[a.to].name.clone())).collect();
        edges.sort();

        let in_service: BTreeSet<Pos> = blocks.cells.iter().flatten().copied().collect();
        let net_of = |p: Pos, uf: &mut UnionFind| uf.find(idx(p));
        let paths = Paths { adjacent: &adjacent, arrows: &arrows, arrow_cells: &arrow_cells };
        let labels = self.labels_on_arrows(&in_service, &paths, &mut |p| net_of(p, &mut uf))?;
        Ok(Picture { boxes: self.boxes, services, frames: self.frames, labels, edges, arrows })
    }

    /// Every label with the one arrow it belongs to, and no text left over.
    ///
    /// A label belongs to an arrow by one of two conventions, exactly:
    ///
    /// - inline: its first line interrupts a horizontal line (`─ text ─`), and its other lines
    ///   sit right below, starting in the same column;
    /// - beside: every line starts two cells right of a vertical line (`│ text`).
    ///
    /// The line it is written on must lie on the route of exactly one arrow (one tail, one
    /// head), so a label on a trunk shared by a fan-out is an error; and no other arrow's line
    /// may touch it from the left or right (glued on, no blank between), where a reader would
    /// take the text for part of that line. (A line passing right above or below does not
    /// change which line a label is written on.) Text that is neither in a box, a frame title,
    /// a service nor such a label is an error.
    fn labels_on_arrows(
        &self,
        in_service: &BTreeSet<Pos>,
        paths: &Paths<'_>,
        net_of: &mut dyn FnMut(Pos) -> usize,
    ) -> Result<Vec<FoundLabel>, String> {
        let is_text = |p: Pos| {
            matches!(self.class(p), Class::Text | Class::Label) && !in_service.contains(&p)
        };
        // The run of text starting at `p` on its row: cells of its class (an inline label's, or
        // free text) and single blanks between.
        let run = |(r, c): Pos| -> Vec<Pos> {
            let class = self.class[r][c];
            let same = |x: usize| self.class[r][x] == class && is_text((r, x));
            let mut cells = Vec::new();
            let mut x = c;
            while x < self.grid.width {
                if same(x) {
                    cells.push((r, x));
                    x += 1;
                } else if self.class[r][x] == Class::Blank && x + 1 < self.grid.width && same(x + 1)
                {
                    x += 1;
                } else {
                    break;
                }
            }
            cells
        };
        let starts_run = |(r, c): Pos| {
            is_text((r, c))
                && (c == 0
                    || !(is_text((r, c - 1))
                        || (c >= 2 && self.class[r][c - 1] == Class::Blank && is_text((r, c - 2)))))
        };
        let vertical_line = |p: Pos| match self.class(p) {
            Class::Line(a) => a & (UP | DOWN) != 0,
            Class::Head(d) => !d.is_horizontal(),
            _ => false,
        };

        struct Raw {
            cells: Vec<Pos>,
            lines: Vec<String>,
            row: usize,
            col: usize,
            anchors: Vec<Pos>,
        }
        let text_of = |cells: &[Pos]| -> String {
            let (r, c0) = cells[0];
            let c1 = cells.last().expect("a run has a cell").1;
            self.grid.text(r, c0, c1 + 1).trim().to_owned()
        };
        let mut taken: BTreeSet<Pos> = BTreeSet::new();
        let mut raw: Vec<Raw> = Vec::new();
        // Inline labels and the lines below them.
        for (&(p, d), &q) in &self.links {
            if d != Dir::Right {
                continue;
            }
            let (r, c) = (p.0, p.1 + 2);
            let first = run((r, c));
            let mut cells = first.clone();
            let mut lines = vec![text_of(&first)];
            let mut y = r + 1;
            // Further lines: free text (not another line's inline label) from the same column.
            while y < self.grid.height() && starts_run((y, c)) && self.class[y][c] == Class::Text {
                let more = run((y, c));
                lines.push(text_of(&more));
                cells.extend(more);
                y += 1;
            }
            taken.extend(cells.iter().copied());
            raw.push(Raw { cells, lines, row: r, col: c, anchors: vec![p, q] });
        }
        // Labels beside vertical lines, line by line, joined when they stack.
        for p in self.positions() {
            let (r, c) = p;
            if taken.contains(&p) || !starts_run(p) || c < 2 {
                continue;
            }
            if self.class[r][c - 1] != Class::Blank || !vertical_line((r, c - 2)) {
                continue;
            }
            let cells = run(p);
            let line = text_of(&cells);
            taken.extend(cells.iter().copied());
            match raw.iter_mut().find(|l| {
                l.col == c
                    && l.row + l.lines.len() == r
                    && l.anchors.last().is_some_and(|a| a.0 + 1 == r)
            }) {
                Some(label) => {
                    label.lines.push(line);
                    label.cells.extend(cells);
                    label.anchors.push((r, c - 2));
                }
                None => raw.push(Raw {
                    cells,
                    lines: vec![line],
                    row: r,
                    col: c,
                    anchors: vec![(r, c - 2)],
                }),
            }
        }
        if let Some((r, c)) = self.positions().find(|&p| is_text(p) && !taken.contains(&p)) {
            let text = run((r, c)).first().map_or(String::new(), |_| text_of(&run((r, c))));
            return Err(format!(
                "text {text:?} at row {r} col {c} is in no box, frame, service or label"
            ));
        }

        let mut labels = Vec::new();
        let mut labelled: BTreeMap<usize, String> = BTreeMap::new();
        raw.sort_by_key(|l| (l.row, l.col));
        for l in raw {
            let (r, c, text) = (l.row, l.col, &l.lines[0]);
            let net = net_of(l.anchors[0]);
            let one_net = l.anchors.iter().all(|&x| net_of(x) == net);
            let candidates: Vec<usize> = (0..paths.arrows.len())
                .filter(|&a| one_net && paths.arrow_cells[a].0 == net)
                .filter(|&a| {
                    let on = paths.route(a);
                    l.anchors.iter().all(|x| on.contains(x))
                })
                .collect();
            let [arrow] = candidates[..] else {
                return Err(if candidates.is_empty() {
                    format!("label {text:?} at row {r} col {c} is on no one arrow's line")
                } else {
                    format!(
                        "label {text:?} at row {r} col {c} is on a line {} arrows share",
                        candidates.len()
                    )
                });
            };
            let route = paths.route(arrow);
            for &(y, x) in &l.cells {
                for d in [Dir::Left, Dir::Right] {
                    let Some(q) = self.step((y, x), d) else { continue };
                    let line = matches!(self.class(q), Class::Line(_) | Class::Head(_));
                    if line && !route.contains(&q) {
                        return Err(format!(
                            "label {text:?} at row {r} col {c} touches another arrow's line at \
                             row {} col {}",
                            q.0, q.1
                        ));
                    }
                }
            }
            if let Some(other) = labelled.insert(arrow, text.clone()) {
                return Err(format!("labels {other:?} and {text:?} are on one arrow"));
            }
            labels.push(FoundLabel { text: text.clone(), row: r, col: c, lines: l.lines, arrow });
        }
        Ok(labels)
    }
}

/// Following one arrow through its network: the cells on its route from its tail to its head.
struct Paths<'a> {
    adjacent: &'a HashMap<Pos, Vec<Pos>>,
    arrows: &'a [FoundArrow],
    /// Per arrow: its network's root and the cells where its line leaves its source.
    arrow_cells: &'a [(usize, Vec<Pos>)],
}

impl Paths<'_> {
    fn distances(&self, from: &[Pos]) -> HashMap<Pos, usize> {
        let mut dist: HashMap<Pos, usize> = from.iter().map(|&p| (p, 0)).collect();
        let mut queue: std::collections::VecDeque<Pos> = from.iter().copied().collect();
        while let Some(p) = queue.pop_front() {
            let d = dist[&p];
            for &q in self.adjacent.get(&p).map_or(&[][..], Vec::as_slice) {
                if let std::collections::hash_map::Entry::Vacant(e) = dist.entry(q) {
                    e.insert(d + 1);
                    queue.push_back(q);
                }
            }
        }
        dist
    }

    /// The cells on a shortest way from arrow `a`'s tail cells to its head (in a tree of lines,
    /// the way).
    fn route(&self, a: usize) -> BTreeSet<Pos> {
        let head = self.arrows[a].head;
        let from_tail = self.distances(&self.arrow_cells[a].1);
        let from_head = self.distances(&[head]);
        let Some(&length) = from_tail.get(&head) else { return BTreeSet::new() };
        from_tail
            .iter()
            .filter(|(p, d)| from_head.get(p).is_some_and(|h| *d + h == length))
            .map(|(p, _)| *p)
            .collect()
    }
}

/// Borderless text blocks: text cells joined across single blanks within a row, and rows
/// joined where their text (single blanks between words included) stands directly above or
/// below other text: a centred short line under a gap between two words belongs to the block.
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
        let blank = |p: Option<Pos>| p.filter(|&q| reader.class(q) == Class::Blank);
        // A blank between two words of a row: part of the row's text.
        let gap = |q: Option<Pos>| {
            blank(q).filter(|&q| {
                text(reader.step(q, Dir::Left)).is_some()
                    && text(reader.step(q, Dir::Right)).is_some()
            })
        };
        let mut stack = vec![start];
        let mut cells = Vec::new();
        self.of_cell.insert(start, k);
        while let Some(p) = stack.pop() {
            cells.push(p);
            let mut next = Vec::new();
            for d in [Dir::Up, Dir::Down] {
                let q = reader.step(p, d);
                next.push(text(q));
                // Text above or below with a gap between two of its words right here.
                if let Some(q) = gap(q) {
                    next.push(text(reader.step(q, Dir::Left)));
                    next.push(text(reader.step(q, Dir::Right)));
                }
            }
            for d in [Dir::Left, Dir::Right] {
                let q = reader.step(p, d);
                next.push(text(q));
                if let Some(q) = blank(q) {
                    let beyond = text(reader.step(q, d));
                    next.push(beyond);
                    // Text right above or below the gap between two words.
                    if beyond.is_some() {
                        next.push(text(reader.step(q, Dir::Up)));
                        next.push(text(reader.step(q, Dir::Down)));
                    }
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
