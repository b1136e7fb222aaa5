//! The text renderer: a [`Layout`] painted onto a grid of cells, Unicode or 7-bit ASCII.
//!
//! Lines are painted as *arms* (up, right, down, left) per cell and per network, and turned
//! into glyphs at the end, so junctions come out right however routes overlap: arms of one
//! network join (`┬`, `├`), arms of two networks cross (as do two routes of one network
//! passing straight across each other), and a crossing is drawn with one line passing and the
//! other broken, never as `┼`, so it cannot be mistaken for a junction: the vertical line
//! passes (`─│─`), except where a horizontal line crosses vertical ones in neighbouring
//! columns, which only reads as going on if the horizontal one passes (`────`). Labels are
//! painted last, over their own line, so nothing overwrites them.
//!
//! Time and memory follow the drawing, not its bounding box: the renderer paints a band of
//! rows at a time and writes it out before the next (so the canvas holds one band), and a
//! trunk that many routes of one net share is painted once. A text run holding right-to-left
//! letters is written between the zero-width isolates FSI and PDI, so a browser keeps the
//! drawing's left-to-right order (see [`render`]). Callers with untrusted input check the
//! drawing's size first with [`crate::layout::check_text`].

use crate::geom::arms::{DOWN, LEFT, RIGHT, UP};
use crate::geom::{Point, Rect, Side};
use crate::layout::{Layout, LineKind, PlacedText};
use crate::text::graphemes;

pub use crate::style::Charset;

/// Marks a crossing drawn with the horizontal line passing.
const BRIDGE: u8 = 16;

/// One cell, kept to eight bytes: large diagrams have millions of them.
#[derive(Debug, Clone, Copy)]
enum Cell {
    Blank,
    /// A grapheme of one `char`; a double-width one is followed by a `Continuation`.
    Char(char),
    /// A grapheme of several `char`s, by index into [`Canvas::clusters`].
    Cluster(u32),
    Continuation,
    /// Line arms of the first network here, and of any other network crossing it.
    Lines {
        net: u32,
        arms: u8,
        crossing: u8,
    },
    Head(Side),
    /// A glyph fixed by the renderer (box borders).
    Fixed(char),
}

/// A window of whole rows of the drawing, `top..top + rows`: the renderer paints a band of
/// rows at a time (and one row each side, which the crossings look at), writes it out and
/// paints the next, so its memory follows the band, not the drawing's bounding box. Painting
/// outside the window does nothing.
struct Canvas {
    width: usize,
    top: usize,
    cells: Vec<Cell>,
    clusters: Vec<String>,
    /// Text runs holding right-to-left letters, as (row, first column, end column): each is
    /// written between FSI and PDI (see [`render`]).
    isolates: Vec<(usize, usize, usize)>,
}

impl Canvas {
    /// The whole drawing as one window (for small drawings and tests).
    #[cfg(test)]
    fn new(width: usize, height: usize) -> Self {
        let mut canvas = Self::empty(width);
        canvas.reset(0, height);
        canvas
    }

    fn empty(width: usize) -> Self {
        Self { width, top: 0, cells: Vec::new(), clusters: Vec::new(), isolates: Vec::new() }
    }

    /// Clears the canvas and moves its window to rows `top..top + rows`.
    fn reset(&mut self, top: usize, rows: usize) {
        self.top = top;
        self.cells.clear();
        self.cells.resize(self.width * rows, Cell::Blank);
        self.clusters.clear();
        self.isolates.clear();
    }

    fn rows(&self) -> usize {
        self.cells.len().checked_div(self.width).unwrap_or(0)
    }

    /// The part of `rows` inside the window, so a tall frame costs each band only its rows.
    fn clip(&self, rows: std::ops::Range<usize>) -> std::ops::Range<usize> {
        rows.start.max(self.top)..rows.end.min(self.top + self.rows())
    }

    fn cell(&mut self, x: usize, y: usize) -> Option<&mut Cell> {
        if x >= self.width || y < self.top {
            return None;
        }
        self.cells.get_mut((y - self.top) * self.width + x)
    }

    fn set(&mut self, x: usize, y: usize, cell: Cell) {
        if let Some(c) = self.cell(x, y) {
            *c = cell;
        }
    }

    /// Adds one route's arms in a cell. Routes of one net join, except where one passes
    /// straight across another: a net's trunk never does that, but arrows of one fan-out
    /// whose later hops are separate nets can cross there, and a junction would close a loop
    /// (which ASCII reads as a box).
    fn arm(&mut self, p: Point, net: usize, new: u8) {
        let net = net as u32;
        let Some(cell) = self.cell(p.x, p.y) else { return };
        match cell {
            Cell::Lines { net: first, arms, .. }
                if *first == net && !straight_across(*arms, new) =>
            {
                *arms |= new;
            }
            Cell::Lines { crossing, .. } => *crossing |= new,
            _ => *cell = Cell::Lines { net, arms: new, crossing: 0 },
        }
    }

    /// Where a horizontal line crosses vertical lines in neighbouring columns, `─││─` would
    /// hide that it goes on; there the horizontal line passes instead (`────`), and each
    /// vertical one is broken for that cell, visibly going on above and below.
    #[cfg(test)]
    fn bridge_side_by_side_crossings(&mut self) {
        self.bridge_rows(0, self.rows());
    }

    /// [`Self::bridge_side_by_side_crossings`] for the window's rows `first..end` (indices
    /// into the window), looking at the rows either side.
    fn bridge_rows(&mut self, first: usize, end: usize) {
        let width = self.width;
        if width == 0 {
            return;
        }
        let crossing = |cells: &[Cell], i: usize| matches!(cells[i], Cell::Lines { crossing, .. } if crossing != 0);
        let beside = |cells: &[Cell], i: usize| {
            let x = i % width;
            (x > 0 && crossing(cells, i - 1)) || (x + 1 < width && crossing(cells, i + 1))
        };
        // A vertical neighbour that shows the line going on: drawn as a straight vertical
        // line (a corner there would read, in ASCII, as `+` turning into the bridge).
        let goes_on = |cells: &[Cell], j: Option<usize>, arm: u8| {
            j.and_then(|j| cells.get(j)).is_some_and(|c| match *c {
                Cell::Lines { arms, crossing: 0, .. } => arms == UP | DOWN,
                Cell::Lines { arms, crossing, .. } => (arms | crossing) & arm != 0,
                _ => false,
            })
        };
        let bridged: Vec<usize> = (first * width..(end * width).min(self.cells.len()))
            .filter(|&i| crossing(&self.cells, i) && beside(&self.cells, i))
            .filter(|&i| {
                let (up, down) = (i.checked_sub(width), Some(i + width));
                goes_on(&self.cells, up, DOWN)
                    && goes_on(&self.cells, down, UP)
                    && !up.is_some_and(|j| crossing(&self.cells, j) && beside(&self.cells, j))
                    && down.is_none_or(|j| {
                        j >= self.cells.len()
                            || !(crossing(&self.cells, j) && beside(&self.cells, j))
                    })
            })
            .collect();
        for i in bridged {
            if let Cell::Lines { crossing, .. } = &mut self.cells[i] {
                *crossing |= BRIDGE;
            }
        }
    }

    /// Writes `text` from column `x`, one grapheme per cell, wide ones over two cells.
    fn text(&mut self, x: usize, y: usize, text: &str) {
        if y < self.top || y >= self.top + self.rows() {
            return;
        }
        if text.chars().any(is_right_to_left) {
            self.isolates.push((y, x, x + crate::model::text::width(text)));
        }
        let mut at = x;
        for (g, w) in graphemes(text) {
            let mut chars = g.chars();
            let cell = match (chars.next(), chars.next()) {
                (Some(c), None) => Cell::Char(c),
                _ => {
                    self.clusters.push(g.to_string());
                    Cell::Cluster((self.clusters.len() - 1) as u32)
                }
            };
            self.set(at, y, cell);
            if w == 2 {
                self.set(at + 1, y, Cell::Continuation);
            }
            at += w;
        }
    }
}

/// Draws `layout` as text: one line per row, no trailing spaces, each line ending in `\n`.
/// A text run with right-to-left letters (Hebrew, Arabic) is written between U+2068 and
/// U+2069, which take no cell: terminals show nothing for them, and bidi-aware viewers keep
/// the boxes in order instead of reversing the line.
///
/// ```
/// use archdraw::layout::{Layout, PlacedBox};
/// use archdraw::geom::Rect;
/// use archdraw::model::Direction;
/// use archdraw::render::text::{render, Charset};
///
/// let layout = Layout {
///     title: None,
///     direction: Direction::Right,
///     width: 3,
///     height: 3,
///     boxes: vec![PlacedBox { id: "a".into(), rect: Rect::new(0, 0, 3, 3), lines: vec![] }],
///     services: vec![],
///     groups: vec![],
///     routes: vec![],
///     labels: vec![],
/// };
/// assert_eq!(render(&layout, Charset::Ascii), "+-+\n| |\n+-+\n");
/// ```
pub fn render(layout: &Layout, charset: Charset) -> String {
    render_in_bands(layout, charset, BAND_CELLS)
}

/// [`render`], a band of about `band_cells` cells at a time.
fn render_in_bands(layout: &Layout, charset: Charset, band_cells: usize) -> String {
    let glyphs = Glyphs::for_charset(charset);
    let items = items(layout);
    let rows: Vec<(usize, usize)> = items.iter().map(|item| item.rows(layout)).collect();
    // Items by their first row; a band paints those that reach into it, in paint order.
    let mut by_first: Vec<(usize, usize)> =
        rows.iter().enumerate().map(|(i, r)| (r.0, i)).collect();
    by_first.sort_unstable();
    let band = (band_cells / layout.width.max(1)).clamp(1, layout.height.max(1));
    let mut out = String::with_capacity(
        layout.width.saturating_add(1).saturating_mul(layout.height).min(1 << 24),
    );
    let mut canvas = Canvas::empty(layout.width);
    let (mut next, mut active): (usize, Vec<usize>) = (0, Vec::new());
    for first in (0..layout.height).step_by(band) {
        let end = (first + band).min(layout.height);
        // One row either side: the crossings of a row look at its neighbours.
        let (top, bottom) = (first.saturating_sub(1), (end + 1).min(layout.height));
        let joining = by_first[next..].partition_point(|&(row, _)| row < bottom);
        active.retain(|&i| rows[i].1 >= top);
        active.extend(by_first[next..next + joining].iter().map(|&(_, i)| i));
        next += joining;
        // Back into paint order: the new ones come by first row, and interleave with the kept.
        if joining > 0 {
            active.sort_unstable();
        }
        canvas.reset(top, bottom - top);
        for &i in &active {
            items[i].paint(layout, &mut canvas, &glyphs);
        }
        canvas.bridge_rows(first - top, end - top);
        serialise_rows(&canvas, &glyphs, first - top, end - top, &mut out);
    }
    out
}

/// About how many cells a band of rows holds (8 bytes each).
const BAND_CELLS: usize = 1 << 18;

/// One thing the renderer paints, in the order painted: frames, then routes (one
/// [`Stroke`] at a time), arrowheads, boxes, services and labels, each in layout order, so that
/// every cell sees the same paints in the same order whichever band it is in.
#[derive(Debug, Clone, Copy)]
enum Item {
    Frame(usize),
    Stroke(usize, Stroke),
    Head(usize),
    Box(usize),
    Service(usize),
    Label(usize),
}

/// Every item of `layout`, in paint order. A straight stretch that an earlier route of its net
/// painted already is left out (see [`Painted`]).
fn items(layout: &Layout) -> Vec<Item> {
    let mut items: Vec<Item> = (0..layout.groups.len()).map(Item::Frame).collect();
    // Every route's strokes, made once, in paint order, each with its route's net.
    let (mut all, mut nets): (Vec<Stroke>, Vec<usize>) = (Vec::new(), Vec::new());
    for route in &layout.routes {
        strokes_into(&route.points, &mut all);
        nets.resize(all.len(), route.net);
    }
    // Every straight stretch, by net, row or column, then paint order; the parts of each not
    // painted before it on its line, by paint order.
    let mut straights: Vec<(usize, bool, usize, usize, usize, usize)> = Vec::new();
    for (&net, &stroke) in nets.iter().zip(&all) {
        if let Stroke::Straight { horizontal, line, from, to } = stroke {
            straights.push((net, horizontal, line, straights.len(), from, to));
        }
    }
    straights.sort_unstable();
    let mut parts: Vec<(usize, usize, usize)> = Vec::with_capacity(straights.len());
    for group in straights.chunk_by(|a, b| (a.0, a.1, a.2) == (b.0, b.1, b.2)) {
        if let [(.., seq, from, to)] = *group {
            parts.push((seq, from, to));
            continue;
        }
        let mut painted = Painted::default();
        for &(.., seq, from, to) in group {
            parts.extend(painted.claim(from, to).into_iter().map(|(from, to)| (seq, from, to)));
        }
    }
    drop(straights);
    parts.sort_unstable();
    let mut parts = parts.into_iter().peekable();
    let mut seq = 0;
    for (net, stroke) in nets.into_iter().zip(all) {
        let Stroke::Straight { horizontal, line, .. } = stroke else {
            items.push(Item::Stroke(net, stroke));
            continue;
        };
        while let Some((_, from, to)) = parts.next_if(|&(s, ..)| s == seq) {
            items.push(Item::Stroke(net, Stroke::Straight { horizontal, line, from, to }));
        }
        seq += 1;
    }
    items.extend(
        (0..layout.routes.len()).filter(|&r| !layout.routes[r].points.is_empty()).map(Item::Head),
    );
    items.extend((0..layout.boxes.len()).map(Item::Box));
    items.extend((0..layout.services.len()).map(Item::Service));
    items.extend((0..layout.labels.len()).map(Item::Label));
    items
}

/// The rows a set of text lines is on, first and last.
fn text_rows(lines: &[PlacedText]) -> (usize, usize) {
    let first = lines.iter().map(|l| l.y).min().unwrap_or(0);
    (first, lines.iter().map(|l| l.y).max().unwrap_or(first))
}

impl Item {
    /// The first and last row it paints.
    fn rows(&self, layout: &Layout) -> (usize, usize) {
        let rect = |r: Rect| (r.y, r.bottom().saturating_sub(1).max(r.y));
        match *self {
            Item::Frame(k) => {
                let (first, last) = rect(layout.groups[k].rect);
                let title = layout.groups[k].title.y;
                (first.min(title), last.max(title))
            }
            Item::Stroke(_, Stroke::Cell(p, _)) => (p.y, p.y),
            Item::Stroke(_, Stroke::Straight { horizontal: true, line, .. }) => (line, line),
            Item::Stroke(_, Stroke::Straight { from, to, .. }) => (from, to),
            Item::Head(r) => layout.routes[r].points.last().map_or((0, 0), |p| (p.y, p.y)),
            Item::Box(k) => {
                let (first, last) = rect(layout.boxes[k].rect);
                let (a, b) = text_rows(&layout.boxes[k].lines);
                (first.min(a), last.max(b))
            }
            Item::Service(k) => text_rows(&layout.services[k].lines),
            Item::Label(k) => text_rows(&layout.labels[k].lines),
        }
    }

    fn paint(&self, layout: &Layout, canvas: &mut Canvas, glyphs: &Glyphs) {
        match *self {
            Item::Frame(k) => {
                let group = &layout.groups[k];
                frame(canvas, group.rect, glyphs);
                let t = &group.title;
                canvas.set(t.x.saturating_sub(1), t.y, Cell::Blank);
                canvas.set(t.x + t.width, t.y, Cell::Blank);
                canvas.text(t.x, t.y, &t.text);
            }
            Item::Stroke(net, Stroke::Cell(p, arms)) => canvas.arm(p, net, arms),
            Item::Stroke(net, Stroke::Straight { horizontal, line, from, to }) => {
                let arms = if horizontal { LEFT | RIGHT } else { UP | DOWN };
                // Only the part inside the window: a long line is painted band by band.
                let (from, to) = if horizontal {
                    (from, to)
                } else {
                    (from.max(canvas.top), to.min((canvas.top + canvas.rows()).saturating_sub(1)))
                };
                for i in from..=to {
                    let p = if horizontal { Point::new(i, line) } else { Point::new(line, i) };
                    canvas.arm(p, net, arms);
                }
            }
            Item::Head(r) => {
                let route = &layout.routes[r];
                if let Some(&head) = route.points.last() {
                    canvas.set(head.x, head.y, Cell::Head(route.head));
                }
            }
            Item::Box(k) => {
                let b = &layout.boxes[k];
                border(canvas, b.rect, glyphs);
                for line in &b.lines {
                    draw_line(canvas, line, glyphs);
                }
            }
            Item::Service(k) => {
                for line in &layout.services[k].lines {
                    draw_line(canvas, line, glyphs);
                }
            }
            Item::Label(k) => {
                // Each line clears its own cells and one each side; a line drawn past a short
                // line stays visible instead of leaving a gap.
                for line in &layout.labels[k].lines {
                    for x in line.x.saturating_sub(1)..line.x + line.width + 1 {
                        canvas.set(x, line.y, Cell::Blank);
                    }
                    canvas.text(line.x, line.y, &line.text);
                }
            }
        }
    }
}

/// What one route paints, in order: single cells with their arms (ends and corners), and the
/// straight stretches between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stroke {
    Cell(Point, u8),
    /// Cells `from..=to` of a row (`horizontal`) or column, each with straight arms.
    Straight {
        horizontal: bool,
        line: usize,
        from: usize,
        to: usize,
    },
}

/// The strokes of one polyline. The tail cell also gets an arm back towards the box it leaves,
/// so a line meets its box without a gap or a stray corner. A cell's arms of one route are
/// merged (arriving, leaving), so the canvas can tell a straight pass from a turn.
#[cfg(test)]
fn strokes(points: &[Point]) -> Vec<Stroke> {
    let mut out = Vec::new();
    strokes_into(points, &mut out);
    out
}

/// [`strokes`], added to `out` (one buffer for every route of a drawing).
fn strokes_into(points: &[Point], out: &mut Vec<Stroke>) {
    let start = out.len();
    out.reserve(2 * points.len() + 1);
    // Merged only with a cell of this route's.
    let cell = |out: &mut Vec<Stroke>, p: Point, a: u8| {
        let own = out.len() > start;
        match out.last_mut() {
            Some(Stroke::Cell(q, arms)) if own && *q == p => *arms |= a,
            _ => out.push(Stroke::Cell(p, a)),
        }
    };
    if let [first, second, ..] = points {
        let (_, back) = crate::geom::arms::of_step(*first, *second);
        cell(out, *first, back);
    }
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a == b {
            continue;
        }
        let (forward, back) = crate::geom::arms::of_step(a, b);
        cell(out, a, forward);
        let horizontal = a.y == b.y;
        let (lo, hi) =
            if horizontal { (a.x.min(b.x), a.x.max(b.x)) } else { (a.y.min(b.y), a.y.max(b.y)) };
        if hi - lo >= 2 {
            let line = if horizontal { a.y } else { a.x };
            out.push(Stroke::Straight { horizontal, line, from: lo + 1, to: hi - 1 });
        }
        cell(out, b, back);
    }
}

/// The straight stretches of one net already painted on one row or column: a trunk that many
/// routes of one net share is painted once, so painting takes time in proportion to the
/// drawing, not to the routes' total length (a fan-out to n boxes would otherwise repaint its
/// trunk n times). Painting a cell again with the same net and straight arms changes nothing,
/// so skipping it draws the same.
#[derive(Debug, Default)]
struct Painted {
    /// Disjoint inclusive ranges, by start.
    ranges: std::collections::BTreeMap<usize, usize>,
}

impl Painted {
    /// The parts of `from..=to` not painted yet; all of it counts as painted afterwards.
    fn claim(&mut self, from: usize, to: usize) -> Vec<(usize, usize)> {
        let ranges = &mut self.ranges;
        let mut touching: Vec<(usize, usize)> = Vec::new();
        if let Some((&s, &e)) = ranges.range(..from).next_back()
            && e.saturating_add(1) >= from
        {
            touching.push((s, e));
        }
        touching.extend(ranges.range(from..=to.saturating_add(1)).map(|(&s, &e)| (s, e)));
        let mut gaps = Vec::new();
        let mut at = from;
        for &(s, e) in &touching {
            if s > at && at <= to {
                gaps.push((at, (s - 1).min(to)));
            }
            at = at.max(e.saturating_add(1));
        }
        if at <= to {
            gaps.push((at, to));
        }
        let (mut lo, mut hi) = (from, to);
        for (s, e) in touching {
            ranges.remove(&s);
            lo = lo.min(s);
            hi = hi.max(e);
        }
        ranges.insert(lo, hi);
        gaps
    }
}

/// Adds one route's strokes to the canvas, skipping straight stretches of its net painted
/// before (`painted` is per net and line).
#[cfg(test)]
fn paint_route(
    canvas: &mut Canvas,
    net: usize,
    points: &[Point],
    painted: &mut std::collections::HashMap<(bool, usize), Painted>,
) {
    for stroke in strokes(points) {
        match stroke {
            Stroke::Cell(p, arms) => canvas.arm(p, net, arms),
            Stroke::Straight { horizontal, line, from, to } => {
                let arms = if horizontal { LEFT | RIGHT } else { UP | DOWN };
                for (lo, hi) in painted.entry((horizontal, line)).or_default().claim(from, to) {
                    for i in lo..=hi {
                        let p = if horizontal { Point::new(i, line) } else { Point::new(line, i) };
                        canvas.arm(p, net, arms);
                    }
                }
            }
        }
    }
}

/// Whether arms `new` pass straight across arms `old` (one vertical, the other horizontal).
fn straight_across(old: u8, new: u8) -> bool {
    (old == UP | DOWN && new == LEFT | RIGHT) || (old == LEFT | RIGHT && new == UP | DOWN)
}

fn border(canvas: &mut Canvas, r: Rect, g: &Glyphs) {
    if r.width < 2 || r.height < 2 {
        return;
    }
    let (right, bottom) = (r.right() - 1, r.bottom() - 1);
    for x in r.x + 1..right {
        canvas.set(x, r.y, Cell::Fixed(g.line[(LEFT | RIGHT) as usize]));
        canvas.set(x, bottom, Cell::Fixed(g.line[(LEFT | RIGHT) as usize]));
    }
    for y in canvas.clip(r.y + 1..bottom) {
        canvas.set(r.x, y, Cell::Fixed(g.line[(UP | DOWN) as usize]));
        canvas.set(right, y, Cell::Fixed(g.line[(UP | DOWN) as usize]));
        for x in r.x + 1..right {
            canvas.set(x, y, Cell::Blank);
        }
    }
    canvas.set(r.x, r.y, Cell::Fixed(g.line[(RIGHT | DOWN) as usize]));
    canvas.set(right, r.y, Cell::Fixed(g.line[(LEFT | DOWN) as usize]));
    canvas.set(r.x, bottom, Cell::Fixed(g.line[(RIGHT | UP) as usize]));
    canvas.set(right, bottom, Cell::Fixed(g.line[(LEFT | UP) as usize]));
}

fn frame(canvas: &mut Canvas, r: Rect, g: &Glyphs) {
    if r.width < 2 || r.height < 2 {
        return;
    }
    let (right, bottom) = (r.right() - 1, r.bottom() - 1);
    for x in r.x..=right {
        canvas.set(x, r.y, Cell::Fixed(g.frame_top));
        canvas.set(x, bottom, Cell::Fixed(g.frame_bottom));
    }
    for y in canvas.clip(r.y + 1..bottom) {
        canvas.set(r.x, y, Cell::Fixed(g.frame_side));
        canvas.set(right, y, Cell::Fixed(g.frame_side));
    }
    let [tl, tr, bl, br] = g.frame_corners;
    canvas.set(r.x, r.y, Cell::Fixed(tl));
    canvas.set(right, r.y, Cell::Fixed(tr));
    canvas.set(r.x, bottom, Cell::Fixed(bl));
    canvas.set(right, bottom, Cell::Fixed(br));
}

fn draw_line(canvas: &mut Canvas, line: &PlacedText, g: &Glyphs) {
    if line.kind == LineKind::Bullet && line.x >= 2 {
        canvas.set(line.x - 2, line.y, Cell::Fixed(g.bullet));
    }
    canvas.text(line.x, line.y, &line.text);
}

#[cfg(test)]
fn serialise(canvas: &Canvas, g: &Glyphs) -> String {
    let mut out = String::new();
    serialise_rows(canvas, g, 0, canvas.rows(), &mut out);
    out
}

/// First Strong Isolate and Pop Directional Isolate: a run of text between them is laid out
/// by bidi-aware viewers (browsers, a `<pre>` or GitHub code block) on its own, and counts as
/// one neutral character for the line around it. Without them a line `│ אב │───▶│ גד │` is one
/// right-to-left run from the first Hebrew letter to the last, box lines included, and a
/// browser draws it reversed: `│ דג │▶───│ בא │`. Both are zero-width (terminals draw
/// nothing for them, and `unicode-width` gives 0).
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// Writes the window's rows `first..end` to `out`: one line per row, no trailing spaces, each
/// ending in `\n`; a text run with right-to-left letters between [`FSI`] and [`PDI`].
fn serialise_rows(canvas: &Canvas, g: &Glyphs, first: usize, end: usize, out: &mut String) {
    if canvas.width == 0 {
        for _ in first..end {
            out.push('\n');
        }
        return;
    }
    let mut isolates = canvas.isolates.clone();
    isolates.sort_unstable();
    let mut next = isolates.partition_point(|&(y, ..)| y < canvas.top + first);
    for (r, row) in canvas.cells.chunks(canvas.width).enumerate().take(end).skip(first) {
        let y = canvas.top + r;
        let here_end = next + isolates[next..].partition_point(|&(row, ..)| row == y);
        let here = &isolates[next..here_end];
        next = here_end;
        let start = out.len();
        for (x, cell) in row.iter().enumerate() {
            if !here.is_empty() {
                here.iter().filter(|&&(_, _, e)| e == x).for_each(|_| out.push(PDI));
                here.iter().filter(|&&(_, s, _)| s == x).for_each(|_| out.push(FSI));
            }
            match cell {
                Cell::Blank => out.push(' '),
                Cell::Char(c) => out.push(*c),
                Cell::Cluster(i) => out.push_str(&canvas.clusters[*i as usize]),
                Cell::Continuation => {}
                Cell::Fixed(c) => out.push(*c),
                Cell::Head(side) => out.push(g.head(*side)),
                Cell::Lines { arms, crossing, .. } => out.push(g.lines(*arms, *crossing)),
            }
        }
        here.iter().filter(|&&(_, _, e)| e >= canvas.width).for_each(|_| out.push(PDI));
        let trimmed = out[start..].trim_end_matches(' ').len();
        out.truncate(start + trimmed);
        out.push('\n');
    }
}

/// Whether `c` is a right-to-left letter or an Arabic digit (Unicode bidi classes R, AL and
/// AN): the scripts from Hebrew to N'Ko and their extensions, and the presentation forms.
/// A text run holding one is isolated (see [`FSI`]). Over-inclusive is harmless: isolating
/// left-to-right text changes nothing.
fn is_right_to_left(c: char) -> bool {
    matches!(
        c,
        '\u{0590}'..='\u{08ff}'
            | '\u{fb1d}'..='\u{fdff}'
            | '\u{fe70}'..='\u{feff}'
            | '\u{10800}'..='\u{10fff}'
            | '\u{1e800}'..='\u{1efff}'
    )
}

/// The characters of one charset.
struct Glyphs {
    /// Line glyph for each set of arms (index = arms bit set).
    line: [char; 16],
    heads: [char; 4],
    bullet: char,
    frame_top: char,
    frame_bottom: char,
    frame_side: char,
    frame_corners: [char; 4],
}

impl Glyphs {
    fn for_charset(charset: Charset) -> Self {
        match charset {
            Charset::Unicode => Self {
                //     0    U    R    UR   D    UD   RD   URD  L    UL   RL   URL  DL   UDL  RDL  all
                line: [
                    ' ', '│', '─', '└', '│', '│', '┌', '├', '─', '┘', '─', '┴', '┐', '┤', '┬', '┼',
                ],
                heads: ['▲', '▶', '▼', '◀'],
                bullet: '•',
                frame_top: '┄',
                frame_bottom: '┄',
                frame_side: '┆',
                frame_corners: ['╭', '╮', '╰', '╯'],
            },
            Charset::Ascii => Self {
                line: [
                    ' ', '|', '-', '+', '|', '|', '+', '+', '-', '+', '-', '+', '+', '+', '+', '+',
                ],
                heads: ['^', '>', 'v', '<'],
                bullet: '*',
                frame_top: '.',
                frame_bottom: '\'',
                frame_side: ':',
                frame_corners: ['.', '.', '\'', '\''],
            },
        }
    }

    fn head(&self, side: Side) -> char {
        match side {
            Side::Up => self.heads[0],
            Side::Right => self.heads[1],
            Side::Down => self.heads[2],
            Side::Left => self.heads[3],
        }
    }

    fn lines(&self, arms: u8, crossing: u8) -> char {
        match crossing {
            0 => self.line[arms as usize],
            _ if crossing & BRIDGE != 0 => self.line[(LEFT | RIGHT) as usize],
            // Networks crossing: the vertical one passes, the horizontal one is broken.
            _ if (arms | crossing) & (UP | DOWN) != 0 => self.line[(UP | DOWN) as usize],
            _ => self.line[(LEFT | RIGHT) as usize],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arms_join_into_junctions_within_a_network() {
        let mut c = Canvas::new(3, 3);
        paint_route(&mut c, 0, &[Point::new(0, 1), Point::new(2, 1)], &mut Default::default());
        // A second arrow from the same tail, branching down: the trunk's junction is a tee.
        paint_route(
            &mut c,
            0,
            &[Point::new(0, 1), Point::new(1, 1), Point::new(1, 2)],
            &mut Default::default(),
        );
        let text = serialise(&c, &Glyphs::for_charset(Charset::Unicode));
        assert_eq!(text, "\n─┬─\n │\n");
    }

    #[test]
    fn a_line_crossing_neighbouring_verticals_passes_over_them() {
        let unicode = Glyphs::for_charset(Charset::Unicode);
        let mut c = Canvas::new(4, 4);
        paint_route(&mut c, 0, &[Point::new(1, 0), Point::new(1, 3)], &mut Default::default());
        paint_route(&mut c, 1, &[Point::new(2, 0), Point::new(2, 3)], &mut Default::default());
        paint_route(&mut c, 2, &[Point::new(0, 1), Point::new(3, 1)], &mut Default::default());
        c.bridge_side_by_side_crossings();
        assert_eq!(serialise(&c, &unicode), " ││\n────\n ││\n ││\n");
        // Where a vertical line turns right beside the crossing, that one is not bridged (in
        // ASCII its corner would read as turning into the bridge); the horizontal line
        // jumps it as usual.
        let mut c = Canvas::new(4, 4);
        paint_route(&mut c, 0, &[Point::new(1, 0), Point::new(1, 3)], &mut Default::default());
        paint_route(
            &mut c,
            1,
            &[Point::new(3, 0), Point::new(2, 0), Point::new(2, 3)],
            &mut Default::default(),
        );
        paint_route(&mut c, 2, &[Point::new(0, 1), Point::new(3, 1)], &mut Default::default());
        c.bridge_side_by_side_crossings();
        assert_eq!(serialise(&c, &unicode), " │┌─\n──│─\n ││\n ││\n");
    }

    #[test]
    fn crossing_networks_draw_the_vertical_line_through() {
        let mut c = Canvas::new(3, 3);
        paint_route(&mut c, 0, &[Point::new(0, 1), Point::new(2, 1)], &mut Default::default());
        paint_route(&mut c, 1, &[Point::new(1, 0), Point::new(1, 2)], &mut Default::default());
        let text = serialise(&c, &Glyphs::for_charset(Charset::Unicode));
        assert_eq!(text, " │\n─│─\n │\n");
    }

    #[test]
    fn routes_of_one_network_passing_straight_across_each_other_cross() {
        let mut c = Canvas::new(3, 3);
        paint_route(&mut c, 0, &[Point::new(0, 1), Point::new(2, 1)], &mut Default::default());
        paint_route(&mut c, 0, &[Point::new(1, 0), Point::new(1, 2)], &mut Default::default());
        // A route turning where another passes still joins it.
        paint_route(
            &mut c,
            0,
            &[Point::new(2, 2), Point::new(1, 2), Point::new(1, 1)],
            &mut Default::default(),
        );
        let text = serialise(&c, &Glyphs::for_charset(Charset::Ascii));
        assert_eq!(text, " |\n-|-\n +-\n");
    }

    #[test]
    fn painted_stretches_are_claimed_once() {
        let mut p = Painted::default();
        assert_eq!(p.claim(5, 9), [(5, 9)]);
        assert_eq!(p.claim(2, 12), [(2, 4), (10, 12)]);
        assert_eq!(p.claim(4, 11), []);
        assert_eq!(p.claim(20, 21), [(20, 21)]);
        assert_eq!(p.claim(13, 30), [(13, 19), (22, 30)]);
        assert_eq!(p.ranges.iter().collect::<Vec<_>>(), [(&2, &30)]);
    }

    #[test]
    fn a_shared_trunk_draws_the_same_painted_once() {
        // A fan-out: every route runs down the same trunk to its own row.
        let routes: Vec<Vec<Point>> = (1..8)
            .map(|k| {
                vec![Point::new(0, 0), Point::new(1, 0), Point::new(1, 2 * k), Point::new(3, 2 * k)]
            })
            .collect();
        let glyphs = Glyphs::for_charset(Charset::Unicode);
        let mut shared = std::collections::HashMap::new();
        let (mut once, mut every) = (Canvas::new(4, 15), Canvas::new(4, 15));
        for r in &routes {
            paint_route(&mut once, 0, r, &mut shared);
            paint_route(&mut every, 0, r, &mut Default::default());
        }
        let drawn = serialise(&once, &glyphs);
        assert_eq!(drawn, serialise(&every, &glyphs));
        assert!(drawn.starts_with("─┐\n │\n ├──\n"), "{drawn}");
        assert!(drawn.ends_with(" └──\n"), "{drawn}");
    }

    #[test]
    fn right_to_left_text_is_isolated_without_taking_cells() {
        let yaml =
            "boxes: [{id: a, title: שלום}, {id: b, title: مرحبا, items: [x]}]\narrows: [a -> b: א]";
        let text = crate::render(yaml, &crate::Options::default()).unwrap();
        let line = text.lines().find(|l| l.contains("שלום")).unwrap();
        assert!(line.contains("│ \u{2068}שלום\u{2069} │"), "{line}");
        assert!(line.contains("\u{2068}א\u{2069}"), "{line}");
        // Without the marks, every row is as wide as before: they take no cell.
        let plain: String = text.chars().filter(|&c| !matches!(c, FSI | PDI)).collect();
        let widths: Vec<usize> = plain.lines().map(crate::model::text::width).collect();
        assert_eq!(widths.iter().max(), Some(&widths[0]), "{plain}");
        // Left-to-right text gets none.
        let ltr = crate::render("boxes: [{title: A}]", &crate::Options::default()).unwrap();
        assert!(!ltr.contains(FSI));
    }

    #[test]
    fn bands_draw_what_one_canvas_draws() {
        // Small bands, so a frame, a tall box and long lines cross band edges.
        let yaml = "boxes:\n  - {id: a, title: A, items: [1, 2, 3, 4, 5, 6]}\n  - {id: b, title: B}\n  \
                    - {id: c, title: C}\n  - {id: d, title: D}\narrows: [a -> b, a -> c, a -> d, b -> d: x]\n\
                    groups: [{title: G, boxes: [b, c]}]\nservices: [{title: S, serves: [a, d]}]\n";
        bands_match_one_canvas(yaml);
        // Lines crossing the top of a frame that starts below them: the frame is painted
        // first (its border must not cover them) though its first row comes later.
        bands_match_one_canvas(
            "boxes: [{id: x, title: X}, {id: a1, title: A1}, {id: b1, title: B1}, {id: a2, title: A2}, \
             {id: b2, title: B2}]\narrows: [x -> a1, x -> b1, a1 -> b2, b1 -> a2]\n\
             groups: [{title: GA, boxes: [a1, a2]}, {title: GB, boxes: [b1, b2]}]\n",
        );
    }

    fn bands_match_one_canvas(yaml: &str) {
        let spec = crate::parse(yaml).unwrap();
        let diagram = crate::Diagram::from_spec(&spec).unwrap();
        let layout = crate::layout(&diagram, &Default::default());
        let glyphs = Glyphs::for_charset(Charset::Unicode);
        let mut whole = Canvas::new(layout.width, layout.height);
        for item in items(&layout) {
            item.paint(&layout, &mut whole, &glyphs);
        }
        whole.bridge_side_by_side_crossings();
        let expected = serialise(&whole, &glyphs);
        assert!(layout.height > 10, "{expected}");
        for rows in [1, 2, 3, 5] {
            let banded = render_in_bands(&layout, Charset::Unicode, rows * layout.width);
            assert_eq!(banded, expected, "bands of {rows} rows");
        }
        assert_eq!(render(&layout, Charset::Unicode), expected);
    }

    #[test]
    fn wide_graphemes_take_two_cells_and_rows_lose_trailing_spaces() {
        let mut c = Canvas::new(6, 1);
        c.text(0, 0, "数a");
        let text = serialise(&c, &Glyphs::for_charset(Charset::Unicode));
        assert_eq!(text, "数a\n");
    }
}
