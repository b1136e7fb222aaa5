//! The text renderer: a [`Layout`] painted onto a grid of cells, Unicode or 7-bit ASCII.
//!
//! Lines are painted as *arms* (up, right, down, left) per cell and per network, and turned
//! into glyphs at the end, so junctions come out right however routes overlap: arms of one
//! network join (`┬`, `├`), arms of two networks cross (as do two routes of one network
//! passing straight across each other), and a crossing is drawn with one line passing and the
//! other broken, never as `┼`, so it cannot be mistaken for a junction: the vertical line
//! passes (`─│─`), except where a horizontal line crosses vertical ones in neighbouring
//! columns, which only reads as going on if the horizontal one passes (`────`). Labels are painted last, over their own line, so nothing
//! overwrites them.

use crate::geom::{Point, Rect, Side};
use crate::layout::{Layout, LineKind, PlacedText};
use crate::model::text::graphemes;

/// Which characters the text renderer draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Charset {
    /// Unicode light box drawing (`┌─┐│└┘├┤┬┴`), heads `▶◀▲▼`, bullets `•`.
    #[default]
    Unicode,
    /// Only 7-bit characters: `+ - |`, heads `> < ^ v`, bullets `*`.
    Ascii,
}

const UP: u8 = 1;
const RIGHT: u8 = 2;
const DOWN: u8 = 4;
const LEFT: u8 = 8;
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

struct Canvas {
    width: usize,
    cells: Vec<Cell>,
    clusters: Vec<String>,
}

impl Canvas {
    fn new(width: usize, height: usize) -> Self {
        Self { width, cells: vec![Cell::Blank; width * height], clusters: Vec::new() }
    }

    fn cell(&mut self, x: usize, y: usize) -> Option<&mut Cell> {
        if x >= self.width {
            return None;
        }
        self.cells.get_mut(y * self.width + x)
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
    fn bridge_side_by_side_crossings(&mut self) {
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
        let bridged: Vec<usize> = (0..self.cells.len())
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
    let mut canvas = Canvas::new(layout.width, layout.height);
    let glyphs = Glyphs::for_charset(charset);

    for group in &layout.groups {
        frame(&mut canvas, group.rect, &glyphs);
        let t = &group.title;
        canvas.set(t.x.saturating_sub(1), t.y, Cell::Blank);
        canvas.set(t.x + t.width, t.y, Cell::Blank);
        canvas.text(t.x, t.y, &t.text);
    }
    let mut painted = Painted::default();
    for route in &layout.routes {
        paint_route(&mut canvas, route.net, &route.points, &mut painted);
    }
    for route in &layout.routes {
        if let Some(&head) = route.points.last() {
            canvas.set(head.x, head.y, Cell::Head(route.head));
        }
    }
    for b in &layout.boxes {
        border(&mut canvas, b.rect, &glyphs);
        for line in &b.lines {
            draw_line(&mut canvas, line, &glyphs);
        }
    }
    for s in &layout.services {
        for line in &s.lines {
            draw_line(&mut canvas, line, &glyphs);
        }
    }
    for label in &layout.labels {
        // Each line clears its own cells and one each side; a line drawn past a short line
        // stays visible instead of leaving a gap.
        for line in &label.lines {
            for x in line.x.saturating_sub(1)..line.x + line.width + 1 {
                canvas.set(x, line.y, Cell::Blank);
            }
            canvas.text(line.x, line.y, &line.text);
        }
    }
    canvas.bridge_side_by_side_crossings();
    serialise(&canvas, &glyphs)
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
fn strokes(points: &[Point]) -> Vec<Stroke> {
    let mut out: Vec<Stroke> = Vec::with_capacity(2 * points.len() + 1);
    let cell = |out: &mut Vec<Stroke>, p: Point, a: u8| match out.last_mut() {
        Some(Stroke::Cell(q, arms)) if *q == p => *arms |= a,
        _ => out.push(Stroke::Cell(p, a)),
    };
    if let [first, second, ..] = points {
        let (_, back) = direction(*first, *second);
        cell(&mut out, *first, back);
    }
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a == b {
            continue;
        }
        let (forward, back) = direction(a, b);
        cell(&mut out, a, forward);
        let horizontal = a.y == b.y;
        let (lo, hi) =
            if horizontal { (a.x.min(b.x), a.x.max(b.x)) } else { (a.y.min(b.y), a.y.max(b.y)) };
        if hi - lo >= 2 {
            let line = if horizontal { a.y } else { a.x };
            out.push(Stroke::Straight { horizontal, line, from: lo + 1, to: hi - 1 });
        }
        cell(&mut out, b, back);
    }
    out
}

/// The straight stretches already painted, per net, row or column: a trunk that many routes of
/// one net share is painted once, so painting takes time in proportion to the drawing, not to
/// the routes' total length (a fan-out to n boxes would otherwise repaint its trunk n times).
/// Painting a cell again with the same net and straight arms changes nothing, so skipping it
/// draws the same.
#[derive(Debug, Default)]
struct Painted {
    /// Disjoint inclusive ranges, by start.
    lines:
        std::collections::HashMap<(usize, bool, usize), std::collections::BTreeMap<usize, usize>>,
}

impl Painted {
    /// The parts of `from..=to` not painted yet; all of it counts as painted afterwards.
    fn claim(
        &mut self,
        net: usize,
        horizontal: bool,
        line: usize,
        from: usize,
        to: usize,
    ) -> Vec<(usize, usize)> {
        let ranges = self.lines.entry((net, horizontal, line)).or_default();
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
/// before.
fn paint_route(canvas: &mut Canvas, net: usize, points: &[Point], painted: &mut Painted) {
    for stroke in strokes(points) {
        match stroke {
            Stroke::Cell(p, arms) => canvas.arm(p, net, arms),
            Stroke::Straight { horizontal, line, from, to } => {
                let arms = if horizontal { LEFT | RIGHT } else { UP | DOWN };
                for (lo, hi) in painted.claim(net, horizontal, line, from, to) {
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

fn direction(a: Point, b: Point) -> (u8, u8) {
    if a.y == b.y {
        if b.x > a.x { (RIGHT, LEFT) } else { (LEFT, RIGHT) }
    } else if b.y > a.y {
        (DOWN, UP)
    } else {
        (UP, DOWN)
    }
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
    for y in r.y + 1..bottom {
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
    for y in r.y + 1..bottom {
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

fn serialise(canvas: &Canvas, g: &Glyphs) -> String {
    let mut out = String::with_capacity(canvas.cells.len() * 2);
    if canvas.width == 0 {
        return out;
    }
    for row in canvas.cells.chunks(canvas.width) {
        let start = out.len();
        for cell in row {
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
        let trimmed = out[start..].trim_end_matches(' ').len();
        out.truncate(start + trimmed);
        out.push('\n');
    }
    out
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
        paint_route(&mut c, 0, &[Point::new(0, 1), Point::new(2, 1)], &mut Painted::default());
        // A second arrow from the same tail, branching down: the trunk's junction is a tee.
        paint_route(
            &mut c,
            0,
            &[Point::new(0, 1), Point::new(1, 1), Point::new(1, 2)],
            &mut Painted::default(),
        );
        let text = serialise(&c, &Glyphs::for_charset(Charset::Unicode));
        assert_eq!(text, "\n─┬─\n │\n");
    }

    #[test]
    fn a_line_crossing_neighbouring_verticals_passes_over_them() {
        let unicode = Glyphs::for_charset(Charset::Unicode);
        let mut c = Canvas::new(4, 4);
        paint_route(&mut c, 0, &[Point::new(1, 0), Point::new(1, 3)], &mut Painted::default());
        paint_route(&mut c, 1, &[Point::new(2, 0), Point::new(2, 3)], &mut Painted::default());
        paint_route(&mut c, 2, &[Point::new(0, 1), Point::new(3, 1)], &mut Painted::default());
        c.bridge_side_by_side_crossings();
        assert_eq!(serialise(&c, &unicode), " ││\n────\n ││\n ││\n");
        // Where a vertical line turns right beside the crossing, that one is not bridged (in
        // ASCII its corner would read as turning into the bridge); the horizontal line
        // jumps it as usual.
        let mut c = Canvas::new(4, 4);
        paint_route(&mut c, 0, &[Point::new(1, 0), Point::new(1, 3)], &mut Painted::default());
        paint_route(
            &mut c,
            1,
            &[Point::new(3, 0), Point::new(2, 0), Point::new(2, 3)],
            &mut Painted::default(),
        );
        paint_route(&mut c, 2, &[Point::new(0, 1), Point::new(3, 1)], &mut Painted::default());
        c.bridge_side_by_side_crossings();
        assert_eq!(serialise(&c, &unicode), " │┌─\n──│─\n ││\n ││\n");
    }

    #[test]
    fn crossing_networks_draw_the_vertical_line_through() {
        let mut c = Canvas::new(3, 3);
        paint_route(&mut c, 0, &[Point::new(0, 1), Point::new(2, 1)], &mut Painted::default());
        paint_route(&mut c, 1, &[Point::new(1, 0), Point::new(1, 2)], &mut Painted::default());
        let text = serialise(&c, &Glyphs::for_charset(Charset::Unicode));
        assert_eq!(text, " │\n─│─\n │\n");
    }

    #[test]
    fn routes_of_one_network_passing_straight_across_each_other_cross() {
        let mut c = Canvas::new(3, 3);
        paint_route(&mut c, 0, &[Point::new(0, 1), Point::new(2, 1)], &mut Painted::default());
        paint_route(&mut c, 0, &[Point::new(1, 0), Point::new(1, 2)], &mut Painted::default());
        // A route turning where another passes still joins it.
        paint_route(
            &mut c,
            0,
            &[Point::new(2, 2), Point::new(1, 2), Point::new(1, 1)],
            &mut Painted::default(),
        );
        let text = serialise(&c, &Glyphs::for_charset(Charset::Ascii));
        assert_eq!(text, " |\n-|-\n +-\n");
    }

    #[test]
    fn painted_stretches_are_claimed_once() {
        let mut p = Painted::default();
        assert_eq!(p.claim(0, true, 3, 5, 9), [(5, 9)]);
        assert_eq!(p.claim(0, true, 3, 2, 12), [(2, 4), (10, 12)]);
        assert_eq!(p.claim(0, true, 3, 4, 11), []);
        // Another net, another row, or a column: not painted yet.
        assert_eq!(p.claim(1, true, 3, 4, 4), [(4, 4)]);
        assert_eq!(p.claim(0, false, 3, 4, 4), [(4, 4)]);
        assert_eq!(p.claim(0, true, 2, 4, 4), [(4, 4)]);
        assert_eq!(p.claim(0, true, 3, 20, 21), [(20, 21)]);
        assert_eq!(p.claim(0, true, 3, 13, 30), [(13, 19), (22, 30)]);
        assert_eq!(p.lines[&(0, true, 3)].iter().collect::<Vec<_>>(), [(&2, &30)]);
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
        let mut shared = Painted::default();
        let (mut once, mut every) = (Canvas::new(4, 15), Canvas::new(4, 15));
        for r in &routes {
            paint_route(&mut once, 0, r, &mut shared);
            paint_route(&mut every, 0, r, &mut Painted::default());
        }
        let drawn = serialise(&once, &glyphs);
        assert_eq!(drawn, serialise(&every, &glyphs));
        assert!(drawn.starts_with("─┐\n │\n ├──\n"), "{drawn}");
        assert!(drawn.ends_with(" └──\n"), "{drawn}");
    }

    #[test]
    fn wide_graphemes_take_two_cells_and_rows_lose_trailing_spaces() {
        let mut c = Canvas::new(6, 1);
        c.text(0, 0, "数a");
        let text = serialise(&c, &Glyphs::for_charset(Charset::Unicode));
        assert_eq!(text, "数a\n");
    }
}
