//! Arrows between pieces of a composed layout (a flow wrapped into rows): each routed on the
//! finished cell grid, from one row's end through the band between rows to the next row's
//! start, and its label placed beside its own line.
//!
//! The pieces are already drawn, so this is a maze router (a shortest path over cells and
//! headings, bends and crossings costing extra) over what they left free, in the spirit of
//! ELK's wrapped-edge routing but on cells. It keeps the rules [`super::verify`] checks and
//! the text read-back relies on: a line runs only through free cells; it crosses another line
//! only at a right angle, through a straight stretch of it, never at an end, a corner or a
//! crossing; it crosses a frame's border straight, never at a corner or its title; it never
//! runs right beside another line (so no arm of one points at the other, and no ASCII corner
//! flanks another line); it leaves its tail and enters its head straight, on a side's inner
//! cells. Arrows are routed one after another, each becoming an obstacle for the next.

use std::cmp::Reverse;

use super::types::{Endpoint, Layout, PlacedLabel, PlacedService, Route, crossing_cells};
use crate::geom::arms::{DOWN, LEFT, RIGHT, UP};
use crate::geom::{Point, Rect, Side};
use crate::text::TextBlock;

/// Extra cost of a bend, in cells of line.
const BEND: u32 = 4;
/// Extra cost of crossing another line, in the routings [`route_all`] tries: a detour of up to
/// that many cells (bends counted) is drawn rather than a crossing. The dearer price finds
/// the longer detours, but makes a search look at every cheaper way first, which in a large
/// drawing can be more than [`MOST_EXPANDED`]: both are tried, the routing crossing fewest
/// lines kept.
const CROSS: [u32; 2] = [12, 30];
/// Extra cost of branching off another arrow's line from the same box (a fan's junction).
const BRANCH: u32 = 8;
/// Extra cost of crossing a frame's border.
const BORDER: u32 = 30;
/// Extra cost of a cell right next to a box or a service.
const NEAR: u32 = 1;
/// Extra cost of leaving or entering a box on a side across the flow, and against it.
const SIDE_ACROSS: u32 = 3;
const SIDE_AGAINST: u32 = 10;

/// States a search expands before it gives up: a way that exists is found long before
/// (the search heads for the target), and one that does not would otherwise cost a visit to
/// every cell of the drawing.
const MOST_EXPANDED: usize = 40_000;

/// What a cell holds, as the router sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Free,
    /// Nothing runs here: a box, service or label, a frame's corner or title.
    Blocked,
    /// A frame's border, crossed straight across it; `vertical` for a side border.
    Border {
        vertical: bool,
    },
    /// A line: crossed at a right angle where it runs straight (`Some(vertical)`), else not.
    Line {
        straight: Option<bool>,
    },
}

/// The composed canvas, as obstacles.
#[derive(Debug, Clone)]
pub(super) struct Grid {
    width: usize,
    height: usize,
    cells: Vec<Cell>,
    /// Cells next to a box or service: allowed, at a small cost.
    near: Vec<bool>,
    /// Cells next to a label or a service's text: kept clear, so no line reads as running
    /// along text that is not its own.
    keep_off: Vec<bool>,
}

/// The four headings, as (dx, dy) and the bit of the arm pointing that way.
const HEADINGS: [(isize, isize, u8); 4] = [(0, -1, UP), (1, 0, RIGHT), (0, 1, DOWN), (-1, 0, LEFT)];

fn side_of(heading: usize) -> Side {
    [Side::Up, Side::Right, Side::Down, Side::Left][heading]
}

fn heading_of(side: Side) -> usize {
    match side {
        Side::Up => 0,
        Side::Right => 1,
        Side::Down => 2,
        Side::Left => 3,
    }
}

impl Grid {
    /// The obstacles of `layout` on a canvas `width` × `height` (at least the layout's).
    pub fn new(layout: &Layout, width: usize, height: usize) -> Self {
        let size = width * height;
        let mut grid = Self {
            width,
            height,
            cells: vec![Cell::Free; size],
            near: vec![false; size],
            keep_off: vec![false; size],
        };
        for b in &layout.boxes {
            grid.block(b.rect, true);
        }
        for s in &layout.services {
            grid.block(s.rect, true);
            grid.keep_around(s.rect);
        }
        for l in &layout.labels {
            grid.block(l.rect, false);
            grid.keep_around(l.rect);
        }
        for g in &layout.groups {
            let f = g.rect;
            let (right, bottom) = (f.right() - 1, f.bottom() - 1);
            for x in f.x..=right {
                for y in [f.y, bottom] {
                    grid.set(x, y, Cell::Border { vertical: false });
                }
            }
            for y in f.y..=bottom {
                for x in [f.x, right] {
                    let corner = y == f.y || y == bottom;
                    grid.set(
                        x,
                        y,
                        if corner { Cell::Blocked } else { Cell::Border { vertical: true } },
                    );
                }
            }
            let t = &g.title;
            if !t.text.is_empty() {
                for x in t.x.saturating_sub(1)..=t.x + t.width {
                    grid.set(x, t.y, Cell::Blocked);
                }
            }
        }
        grid.add_lines(&layout.routes);
        grid
    }

    fn index(&self, x: usize, y: usize) -> Option<usize> {
        (x < self.width && y < self.height).then(|| y * self.width + x)
    }

    fn set(&mut self, x: usize, y: usize, cell: Cell) {
        if let Some(i) = self.index(x, y) {
            self.cells[i] = cell;
        }
    }

    fn block(&mut self, r: Rect, near: bool) {
        for y in r.y..r.bottom() {
            for x in r.x..r.right() {
                self.set(x, y, Cell::Blocked);
            }
        }
        if near {
            for (x, y) in ring(r) {
                if let Some(i) = self.index(x, y) {
                    self.near[i] = true;
                }
            }
        }
    }

    fn keep_around(&mut self, r: Rect) {
        for (x, y) in ring(r) {
            if let Some(i) = self.index(x, y) {
                self.keep_off[i] = true;
            }
        }
    }

    /// Marks the cells of `routes`: straight stretches of one net can be crossed; corners,
    /// junctions, crossings, the two cells at each end and line cells on a frame's border
    /// cannot.
    fn add_lines(&mut self, routes: &[Route]) {
        let mut painted: Vec<(usize, usize, u8)> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        for r in routes {
            let cells = crate::geom::arms::of_route(&r.points);
            let n = cells.len();
            for (k, &(p, arms)) in cells.iter().enumerate() {
                let Some(i) = self.index(p.x, p.y) else { continue };
                painted.push((i, r.net, arms));
                if k < 2 || k + 2 >= n {
                    ends.push(i);
                }
            }
        }
        painted.sort_by_key(|&(i, _, _)| i);
        for cell in painted.chunk_by(|a, b| a.0 == b.0) {
            let (i, net, _) = cell[0];
            let one_net = cell.iter().all(|&(_, n, _)| n == net);
            let arms = cell.iter().fold(0, |acc, &(_, _, a)| acc | a);
            let straight = match arms {
                a if one_net && a == UP | DOWN => Some(true),
                a if one_net && a == LEFT | RIGHT => Some(false),
                _ => None,
            };
            self.cells[i] = match self.cells[i] {
                Cell::Free => Cell::Line { straight },
                _ => Cell::Line { straight: None },
            };
        }
        for i in ends {
            self.cells[i] = Cell::Line { straight: None };
        }
    }

    fn is_line(&self, x: usize, y: usize) -> bool {
        self.index(x, y).is_some_and(|i| matches!(self.cells[i], Cell::Line { .. }))
    }

    /// The cell one step from (x, y) heading `h`, if on the grid.
    fn step(&self, x: usize, y: usize, h: usize) -> Option<(usize, usize)> {
        let (dx, dy, _) = HEADINGS[h];
        let (x, y) = (x.checked_add_signed(dx)?, y.checked_add_signed(dy)?);
        (x < self.width && y < self.height).then_some((x, y))
    }

    /// Whether a line running heading `h` has another line beside it at (x, y).
    fn line_beside(&self, x: usize, y: usize, h: usize) -> bool {
        [(h + 1) % 4, (h + 3) % 4]
            .iter()
            .any(|&s| self.step(x, y, s).is_some_and(|(a, b)| self.is_line(a, b)))
    }

    /// A free cell a line may end at, running heading `h`.
    fn free_end(&self, x: usize, y: usize, h: usize) -> bool {
        self.index(x, y).is_some_and(|i| self.cells[i] == Cell::Free && !self.keep_off[i])
            && !self.line_beside(x, y, h)
    }

    /// Routes an arrow from one of the cells `tails` (with the heading leaving its box or
    /// service; next to a service's text with `service`) to box `to` (its border rectangle) in
    /// a drawing whose flow runs `flow`: the polyline from the tail's cell to the arrowhead's
    /// cell, the way the head points and what the way cost (lines crossed, then the search's
    /// cost). `None` if no way is free.
    ///
    /// An A* search over (cell, heading), on a copy of the grid one cell larger all round (an
    /// off-grid frame no step enters), so a step is an index plus an offset.
    ///
    /// `branches` are further starts on a line already drawn for another arrow from the same
    /// tail (cells where it runs straight, each with a heading off it): a way from one of them
    /// shares that line as a fan's trunk, and its path begins at the junction.
    pub fn route(
        &self,
        tails: &[Port],
        branches: &[Port],
        service: bool,
        to: Rect,
        flow: Side,
        cross: u32,
    ) -> Option<(Vec<Point>, Side, Cost)> {
        let flow = heading_of(flow);
        let preference = |h: usize| match (h + 4 - flow) % 4 {
            0 => 0,
            2 => SIDE_AGAINST,
            _ => SIDE_ACROSS,
        };
        let search = Search::new(self, cross);
        let mut goal = vec![NO_GOAL; search.cells.len()];
        for (x, y, h) in ports(to) {
            // Entering the box heads opposite to leaving it: the head points that way.
            let h = (h + 2) % 4;
            if self.free_end(x, y, h) {
                goal[search.at(x, y)] = h as u8;
            }
        }
        let mut starts = Vec::new();
        for &(x, y, h) in tails {
            // A service's arrow starts right by its text, in the ring kept clear around it.
            let free = if service {
                self.index(x, y).is_some_and(|i| self.cells[i] == Cell::Free)
                    && !self.line_beside(x, y, h)
            } else {
                self.free_end(x, y, h)
            };
            let i = search.at(x, y);
            if free && goal[i] == NO_GOAL {
                starts.push((i, h, preference(h)));
            }
        }
        // A fan's junction costs a little more than a way of its own from the box: where
        // both are easy, the drawing keeps its arrows apart.
        for &(x, y, h) in branches {
            starts.push((search.at(x, y), h, preference(h) + BRANCH));
        }
        if starts.is_empty() || goal.iter().all(|&g| g == NO_GOAL) {
            return None;
        }
        let (found, spent) = search.run(&starts, &goal, to, preference)?;
        // A branch's junction is its own trunk, not a line crossed.
        let crossed = found.iter().skip(1).filter(|&&(i, _)| search.cells[i].line).count();
        let head = side_of(found.last().map_or(0, |&(_, h)| h));
        let points: Vec<Point> = found.iter().map(|&(i, _)| search.point(i)).collect();
        let mut seen: Vec<usize> = found.iter().map(|&(i, _)| i).collect();
        seen.sort_unstable();
        if seen.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        Some((corners(points), head, Cost { crossed, spent }))
    }

    /// Marks a routed line, so the next arrows keep off it or cross it properly.
    pub fn add_route(&mut self, route: &Route) {
        self.add_lines(std::slice::from_ref(route));
    }

    /// A place for a label of `size` (width, height, padding included) on `points`, its
    /// arrow's line, where every other label of the layout goes and a reader looks for it: on
    /// its longest horizontal stretch, else just right of a vertical one; clear by a cell of
    /// everything but its own line. (Above, below or left of a line a label reads as floating,
    /// or as the next line's.)
    pub fn label_place(&self, points: &[Point], size: (usize, usize)) -> Option<Rect> {
        let (w, h) = size;
        let mut stretches: Vec<(usize, Point, Point)> = points
            .windows(2)
            .map(|s| (s[0].x.abs_diff(s[1].x) + s[0].y.abs_diff(s[1].y), s[0], s[1]))
            .collect();
        // Horizontal stretches first, longest first.
        stretches.sort_by_key(|&(len, a, b)| (a.y != b.y, Reverse(len)));
        let own: Vec<(Point, u8)> = crate::geom::arms::of_route(points);
        for (_, a, b) in stretches {
            let mut spots: Vec<Rect> = Vec::new();
            if a.y == b.y {
                let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
                if x1 + 1 < x0 + w {
                    continue;
                }
                let mid = (x0 + x1 + 1).saturating_sub(w) / 2;
                // On the line first, as the layout draws every other label (`─ label ─▶`):
                // its first row on the stretch, further rows below, a cell of line kept on
                // each side so the corner or head stays visible.
                if x0 + 2 + w < x1 {
                    for x in centred(x0 + 2, x1 - 1 - w, mid) {
                        let r = Rect::new(x, a.y, w, h);
                        if self.label_fits_on(r, &own, a.y) {
                            return Some(r);
                        }
                    }
                }
            } else {
                let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
                if y1 + 1 < y0 + h {
                    continue;
                }
                let mid = (y0 + y1 + 1).saturating_sub(h) / 2;
                for y in centred(y0, y1 + 1 - h, mid) {
                    spots.push(Rect::new(a.x + 1, y, w, h));
                }
            }
            if let Some(&r) = spots.iter().find(|&&r| self.label_fits(r, &own)) {
                return Some(r);
            }
        }
        None
    }

    /// Whether a label may take `r`: free cells, and a free ring around it but for its own
    /// line (`own`).
    fn label_fits(&self, r: Rect, own: &[(Point, u8)]) -> bool {
        self.label_fits_on(r, own, usize::MAX)
    }

    /// [`Self::label_fits`], where the label's row `on` may hold its own line (a label set on
    /// its line).
    fn label_fits_on(&self, r: Rect, own: &[(Point, u8)], on: usize) -> bool {
        if r.right() > self.width || r.bottom() > self.height {
            return false;
        }
        let is_own = |x: usize, y: usize| own.iter().any(|(p, _)| p.x == x && p.y == y);
        let inside = (r.y..r.bottom()).all(|y| {
            (r.x..r.right()).all(|x| {
                let i = y * self.width + x;
                (self.cells[i] == Cell::Free && !self.keep_off[i]) || (y == on && is_own(x, y))
            })
        });
        inside
            && ring(r).all(|(x, y)| {
                self.index(x, y).is_none_or(|i| {
                    self.cells[i] == Cell::Free || own.iter().any(|(p, _)| p.x == x && p.y == y)
                })
            })
    }

    /// Marks a placed label: nothing runs through it or right beside it.
    pub fn add_label(&mut self, r: Rect) {
        self.block(r, false);
        self.keep_around(r);
    }
}

/// A priority queue of search states for small whole priorities that never go below the last
/// one taken (an A* search with a consistent estimate): a list of states per priority.
#[derive(Debug, Default)]
struct Buckets {
    buckets: Vec<Vec<usize>>,
    /// The lowest priority that may hold states.
    current: usize,
}

impl Buckets {
    fn push(&mut self, priority: u32, state: usize) {
        let p = (priority as usize).max(self.current);
        if self.buckets.len() <= p {
            self.buckets.resize_with(p + 1, Vec::new);
        }
        self.buckets[p].push(state);
    }

    /// A state of the lowest priority, last in first out.
    fn pop(&mut self) -> Option<(u32, usize)> {
        while self.current < self.buckets.len() {
            if let Some(state) = self.buckets[self.current].pop() {
                return Some((self.current as u32, state));
            }
            self.current += 1;
        }
        None
    }
}

/// No goal at a cell.
const NO_GOAL: u8 = u8::MAX;

/// What a step into a cell costs, per axis of the step (0: no step may enter it).
#[derive(Debug, Clone, Copy, Default)]
struct Costs {
    across: u8,
    down: u8,
    /// The line must go on straight from here (a crossing or a frame's border).
    straight: bool,
    line: bool,
}

/// The grid as one search reads it: padded by an off-grid frame, each cell's step costs.
struct Search {
    /// Padded width.
    width: usize,
    cells: Vec<Costs>,
    /// Index offsets of a step heading up, right, down, left.
    steps: [isize; 4],
}

impl Search {
    fn new(grid: &Grid, cross: u32) -> Self {
        let width = grid.width + 2;
        let size = width * (grid.height + 2);
        let padded = |i: usize| (i / grid.width + 1) * width + i % grid.width + 1;
        let mut line = vec![false; size];
        for (i, c) in grid.cells.iter().enumerate() {
            line[padded(i)] = matches!(c, Cell::Line { .. });
        }
        let mut cells = vec![Costs::default(); size];
        for (i, &cell) in grid.cells.iter().enumerate() {
            let p = padded(i);
            let c = &mut cells[p];
            match cell {
                Cell::Free if !grid.keep_off[i] => {
                    let cost = 1 + if grid.near[i] { NEAR as u8 } else { 0 };
                    // A line runs neither right beside another nor with one's arm pointing
                    // at it.
                    c.across = if line[p - width] || line[p + width] { 0 } else { cost };
                    c.down = if line[p - 1] || line[p + 1] { 0 } else { cost };
                }
                Cell::Free | Cell::Blocked => {}
                Cell::Border { vertical } => {
                    let cost = (1 + BORDER) as u8;
                    *c = Costs {
                        across: if vertical { cost } else { 0 },
                        down: if vertical { 0 } else { cost },
                        straight: true,
                        line: false,
                    };
                }
                // Not across a line right beside a label: the text renderer blanks the cell
                // between them, and the crossed line would read as ending in the open. Still
                // a line: no corner may flank it (fixture 42).
                Cell::Line { .. } if grid.keep_off[i] => c.line = true,
                Cell::Line { straight } => {
                    let cost = (1 + cross) as u8;
                    *c = Costs {
                        across: if straight == Some(true) { cost } else { 0 },
                        down: if straight == Some(false) { cost } else { 0 },
                        straight: true,
                        line: true,
                    };
                }
            }
        }
        let w = width as isize;
        Self { width, cells, steps: [-w, 1, w, -1] }
    }

    fn at(&self, x: usize, y: usize) -> usize {
        (y + 1) * self.width + x + 1
    }

    fn point(&self, i: usize) -> Point {
        Point::new(i % self.width - 1, i / self.width - 1)
    }

    /// The cheapest path from one of `starts` (cell, heading leaving the box, extra cost) to a
    /// cell `goal` marks with the heading it is entered by, towards box `to`; `end_cost`
    /// adds the cost of the heading the head arrives with. The path's cells with their
    /// headings, tail first.
    fn run(
        &self,
        starts: &[(usize, usize, u32)],
        goal: &[u8],
        to: Rect,
        end_cost: impl Fn(usize) -> u32,
    ) -> Option<(Vec<(usize, usize)>, u32)> {
        let states = self.cells.len() * 4;
        let mut dist = vec![u32::MAX; states];
        let mut prev = vec![u32::MAX; states];
        let mut closed = vec![false; states];
        let mut is_start = vec![false; self.cells.len()];
        // What is left is at least the steps to the ring of cells around the head's box.
        let (gx0, gy0) = (to.x, to.y);
        let (gx1, gy1) = (to.right() + 1, to.bottom() + 1);
        let estimate = |i: usize| {
            let (x, y) = (i % self.width, i / self.width);
            let dx = gx0.saturating_sub(x) + x.saturating_sub(gx1);
            let dy = gy0.saturating_sub(y) + y.saturating_sub(gy1);
            (dx + dy) as u32
        };
        let mut queue = Buckets::default();
        for &(i, h, cost) in starts {
            is_start[i] = true;
            let state = i * 4 + h;
            dist[state] = cost;
            queue.push(cost + estimate(i), state);
        }
        let mut expanded = 0usize;
        let found = loop {
            let (_, state) = queue.pop()?;
            let (i, h) = (state / 4, state % 4);
            let cost = dist[state];
            // The first time a state is taken its cost is final (the estimate is consistent).
            if closed[state] {
                continue;
            }
            closed[state] = true;
            if usize::from(goal[i]) == h && !is_start[i] {
                break state;
            }
            expanded += 1;
            if expanded > MOST_EXPANDED {
                return None;
            }
            let straight_only = is_start[i] || self.cells[i].straight;
            for turn in [0, 1, 3] {
                let nh = (h + turn) % 4;
                if turn != 0 {
                    // No turn at a crossing or a tail, nor a corner flanking the line ahead.
                    let ahead = i.wrapping_add_signed(self.steps[h]);
                    if straight_only || self.cells[ahead].line {
                        continue;
                    }
                }
                let j = i.wrapping_add_signed(self.steps[nh]);
                let c = &self.cells[j];
                let step = u32::from(if nh % 2 == 1 { c.across } else { c.down });
                if step == 0 {
                    continue;
                }
                let arriving = usize::from(goal[j]) == nh;
                // An arrowhead keeps a cell of its own line behind it: never right past a
                // crossing (`verify`'s HeadClearOfCrossings).
                if arriving && self.cells[i].line {
                    continue;
                }
                let arrive = if arriving { end_cost(nh) } else { 0 };
                let next = cost + step + if turn != 0 { BEND } else { 0 } + arrive;
                let ns = j * 4 + nh;
                if next < dist[ns] {
                    dist[ns] = next;
                    prev[ns] = state as u32;
                    queue.push(next + estimate(j), ns);
                }
            }
        };
        let spent = dist[found];
        let mut state = found;
        let mut path = vec![(state / 4, state % 4)];
        while prev[state] != u32::MAX {
            state = prev[state] as usize;
            path.push((state / 4, state % 4));
        }
        path.reverse();
        Some((path, spent))
    }
}

/// Positions `lo..=hi`, the nearest to `mid` first.
fn centred(lo: usize, hi: usize, mid: usize) -> impl Iterator<Item = usize> {
    let mid = mid.clamp(lo, hi.max(lo));
    let span = hi.saturating_sub(lo);
    (0..=2 * span).filter_map(move |k| {
        let d = k.div_ceil(2);
        let p = if k % 2 == 1 { mid.checked_sub(d)? } else { mid + d };
        (lo..=hi).contains(&p).then_some(p)
    })
}

/// The cells around `r`, one cell out (some may be off the grid's top or left: skipped).
fn ring(r: Rect) -> impl Iterator<Item = (usize, usize)> {
    let (x0, y0) = (r.x.checked_sub(1), r.y.checked_sub(1));
    let (x1, y1) = (r.right(), r.bottom());
    let top_bottom = (r.x.saturating_sub(1)..=x1)
        .flat_map(move |x| [y0.map(|y| (x, y)), Some((x, y1))])
        .flatten();
    let sides = (r.y..y1).flat_map(move |y| [x0.map(|x| (x, y)), Some((x1, y))]).flatten();
    top_bottom.chain(sides)
}

/// The cells just outside `r`'s sides where a line may end, away from its corners, each with
/// the heading that leads away from the box.
fn ports(r: Rect) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for y in r.y + 1..r.bottom().saturating_sub(1) {
        out.push((r.right(), y, 1));
        if let Some(x) = r.x.checked_sub(1) {
            out.push((x, y, 3));
        }
    }
    for x in r.x + 1..r.right().saturating_sub(1) {
        out.push((x, r.bottom(), 2));
        if let Some(y) = r.y.checked_sub(1) {
            out.push((x, y, 0));
        }
    }
    out
}

/// The corner points of a path of neighbouring cells: its ends and every turn.
fn corners(cells: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(cells.len());
    for p in cells {
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            if (a.x == b.x && b.x == p.x) || (a.y == b.y && b.y == p.y) {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// An arrow between pieces, to route.
#[derive(Debug, Clone)]
pub(super) struct Wrapped {
    /// Its index among the diagram's arrows; `None` for a service's arrow.
    pub edge: Option<usize>,
    /// For a service's arrow, the box's position in the service's `serves`.
    pub position: usize,
    /// Its tail (a box or a service, by index into the layout's), and the piece that holds it.
    pub from: (Endpoint, usize),
    /// Its head, by index into the layout's boxes.
    pub to: usize,
    /// Its label, wrapped.
    pub label: Option<TextBlock>,
}

/// What a routed way costs: lines of other arrows crossed, then the search's own cost
/// (length, bends, frames crossed). Summed over arrows, compared in that order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Cost {
    crossed: usize,
    spent: u32,
}

impl std::ops::Add for Cost {
    type Output = Cost;
    fn add(self, other: Cost) -> Cost {
        Cost {
            crossed: self.crossed + other.crossed,
            spent: self.spent.saturating_add(other.spent),
        }
    }
}

/// Routes `arrows` through `layout` (the pieces, merged) in a flow running `flow`, each in
/// a net of its own from `first_net` on, on a canvas `width` × `height` (at least the
/// layout's), and places their labels in the layout. Returns the routes, each with its
/// position among its service's arrows (see [`super::compose::merge`]); `None` if some arrow
/// found no way or its label no place.
///
/// Each arrow routed becomes an obstacle for the next, so the order decides which lines cross:
/// an arrow routed first takes the shortest way, and one reaching a farther row may then find
/// it only across the first. The arrows are routed in a few orders ([`orders`]) and the
/// routing whose lines cross fewest (then cost least) is kept.
pub(super) fn route_all(
    layout: &mut Layout,
    arrows: &[Wrapped],
    flow: Side,
    first_net: usize,
    (width, height): (usize, usize),
) -> Option<Vec<(usize, Route)>> {
    let grid = Grid::new(layout, width, height);
    let mut best: Option<Routing> = None;
    let work = width.saturating_mul(height).saturating_mul(arrows.len());
    let tries = CROSS
        .iter()
        .flat_map(|&cross| orders(layout, arrows).into_iter().map(move |o| (cross, o)))
        .take(if work <= ALTERNATIVES_MOST_WORK { usize::MAX } else { 1 });
    for (cross, order) in tries {
        let bound = best.as_ref().map(|b| b.cost);
        let Some(routing) =
            route_in_order(&grid, layout, arrows, &order, flow, first_net, cross, bound)
        else {
            continue;
        };
        let done = routing.cost.crossed == 0;
        if best.as_ref().is_none_or(|b| routing.cost < b.cost) {
            best = Some(routing);
        }
        if done {
            break;
        }
    }
    let mut best = best?;
    if best.cost.crossed > 0 && work <= ALTERNATIVES_MOST_WORK {
        reroute_crossed(&grid, layout, arrows, &mut best, flow);
    }
    layout.labels.extend(best.labels);
    Some(best.routes)
}

/// Rips up and routes again, one at a time, each arrow whose line crosses another, with every
/// other line in place (PathFinder's rip-up and reroute, once round): a line routed early
/// took the shortest way before the lines it now crosses existed, and with them in place it
/// may find a way round. The new way is kept where it crosses fewer lines. Arrows sharing a
/// trunk keep theirs (a branch's way starts on it).
fn reroute_crossed(
    grid: &Grid,
    layout: &Layout,
    arrows: &[Wrapped],
    routing: &mut Routing,
    flow: Side,
) {
    let cross = CROSS[CROSS.len() - 1];
    for (k, a) in arrows.iter().enumerate() {
        let net = routing.routes[k].1.net;
        if routing.routes.iter().filter(|(_, r)| r.net == net).count() > 1 {
            continue;
        }
        let others = || {
            let band = routing.routes.iter().enumerate().filter(|&(j, _)| j != k);
            layout.routes.iter().chain(band.map(|(_, (_, r))| r))
        };
        let before = lines_crossed(&routing.routes[k].1, others());
        if before == 0 {
            continue;
        }
        let own_label = |l: &PlacedLabel| a.edge == Some(l.edge);
        let mut without = grid.clone();
        for r in others().skip(layout.routes.len()) {
            without.add_route(r);
        }
        for l in routing.labels.iter().filter(|l| !own_label(l)) {
            without.add_label(l.rect);
        }
        let tails = match a.from.0 {
            Endpoint::Box(i) => ports(layout.boxes[i].rect),
            Endpoint::Service(s) => service_ports(&layout.services[s]),
        };
        let service = matches!(a.from.0, Endpoint::Service(_));
        let to = layout.boxes[a.to].rect;
        let Some((points, head, _)) = without.route(&tails, &[], service, to, flow, cross) else {
            continue;
        };
        let route = Route { points, head, ..routing.routes[k].1.clone() };
        if lines_crossed(&route, others()) >= before {
            continue;
        }
        let label = match (&a.label, a.edge) {
            (Some(text), Some(edge)) => {
                without.add_route(&route);
                let size = (text.width() + 2, text.height());
                let Some(rect) = without.label_place(&route.points, size) else { continue };
                Some(PlacedLabel::set(edge, rect, text))
            }
            _ => None,
        };
        routing.routes[k].1 = route;
        if let Some(label) = label {
            let at = routing.labels.iter().position(own_label).expect("a labelled arrow's label");
            routing.labels[at] = label;
        }
    }
}

/// How many cells `route` crosses a line of `others` (other nets) in.
fn lines_crossed<'r>(route: &'r Route, others: impl Iterator<Item = &'r Route>) -> usize {
    let others: Vec<&Route> = others.collect();
    let mut cells = crossing_cells([route], others.iter().copied());
    cells.extend(crossing_cells(others, [route]));
    cells.sort_unstable_by_key(|p| (p.y, p.x));
    cells.dedup();
    cells.len()
}

/// The arrows routed in one order: their routes in the arrows' order, their labels, the cost.
struct Routing {
    routes: Vec<(usize, Route)>,
    labels: Vec<PlacedLabel>,
    cost: Cost,
}

/// The orders [`route_all`] tries, as indices into `arrows`: as given (the diagram's order,
/// services' arrows last); the arrows spanning the least of the drawing first, so that they
/// take the inner ways and the longer ones go round them; and the longest first.
fn orders(layout: &Layout, arrows: &[Wrapped]) -> Vec<Vec<usize>> {
    let given: Vec<usize> = (0..arrows.len()).collect();
    if arrows.len() < 2 {
        return vec![given];
    }
    let rect = |e: Endpoint| match e {
        Endpoint::Box(i) => layout.boxes[i].rect,
        Endpoint::Service(s) => layout.services[s].rect,
    };
    // Rows apart, then columns apart: how far the way has to go at least.
    let span = |a: &Wrapped| {
        let (r, t) = (rect(a.from.0), layout.boxes[a.to].rect);
        let rows = t.y.saturating_sub(r.bottom()) + r.y.saturating_sub(t.bottom());
        let columns = t.x.saturating_sub(r.right()) + r.x.saturating_sub(t.right());
        (rows, columns)
    };
    let mut short = given.clone();
    short.sort_by_key(|&k| span(&arrows[k]));
    let mut long = given.clone();
    long.sort_by_key(|&k| Reverse(span(&arrows[k])));
    let mut out = vec![given];
    for order in [short, long] {
        if !out.contains(&order) {
            out.push(order);
        }
    }
    out
}

/// The most search work (canvas cells × arrows) for which [`route_all`] tries the other
/// orders and the dearer crossing price: each try routes every arrow again, and on a large
/// canvas each arrow's search may expand [`MOST_EXPANDED`] states (a 32-box figure's fitting
/// took ten times as long with them). Past it, the arrows are routed once, as given. Every
/// corpus spec but the two largest stays under it.
const ALTERNATIVES_MOST_WORK: usize = 100_000;

/// Routes `arrows` one after another in `order` on a copy of `grid`; `None` if one finds no
/// way or its label no place, or once the routing costs `bound` or more (it cannot beat the
/// routing that cost that).
#[allow(clippy::too_many_arguments)]
fn route_in_order(
    grid: &Grid,
    layout: &Layout,
    arrows: &[Wrapped],
    order: &[usize],
    flow: Side,
    first_net: usize,
    cross: u32,
    bound: Option<Cost>,
) -> Option<Routing> {
    let mut grid = grid.clone();
    let mut routes: Vec<Option<(usize, Route)>> = vec![None; arrows.len()];
    let mut labels: Vec<(usize, PlacedLabel)> = Vec::new();
    let mut cost = Cost::default();
    for &k in order {
        let a = &arrows[k];
        let tails = match a.from.0 {
            Endpoint::Box(i) => ports(layout.boxes[i].rect),
            Endpoint::Service(s) => service_ports(&layout.services[s]),
        };
        let service = matches!(a.from.0, Endpoint::Service(_));
        let to = layout.boxes[a.to].rect;
        let trunks = fan_trunks(&grid, arrows, &routes, k);
        let branches: Vec<Port> =
            trunks.iter().flat_map(|(_, junctions)| junctions.iter().copied()).collect();
        let (points, head, spent) = grid.route(&tails, &branches, service, to, flow, cross)?;
        cost = cost + spent;
        if bound.is_some_and(|b| cost >= b) {
            return None;
        }
        // A way that starts on another arrow's line is a branch of that arrow's net: its
        // polyline runs the trunk from their tail to the junction, then its own way.
        let start = points[0];
        let trunk =
            trunks.iter().find(|(_, js)| js.iter().any(|&(x, y, _)| Point::new(x, y) == start));
        let (net, points) = match trunk {
            Some(&(j, _)) => {
                let (_, shared) = routes[j].as_ref().expect("a trunk is routed");
                (shared.net, joined(&shared.points, start, &points))
            }
            None => (first_net + k, points),
        };
        let route =
            Route { net, edge: a.edge, from: a.from.0, to: Endpoint::Box(a.to), points, head };
        grid.add_route(&route);
        if let (Some(text), Some(edge)) = (&a.label, a.edge) {
            let size = (text.width() + 2, text.height());
            let rect = grid.label_place(&route.points, size)?;
            grid.add_label(rect);
            labels.push((k, PlacedLabel::set(edge, rect, text)));
        }
        routes[k] = Some((a.position, route));
    }
    // Labels in the arrows' order, as routing them as given places them.
    labels.sort_by_key(|&(k, _)| k);
    Some(Routing {
        routes: routes.into_iter().collect::<Option<Vec<_>>>()?,
        labels: labels.into_iter().map(|(_, l)| l).collect(),
        cost,
    })
}

/// A cell a line may start from, with the heading it leaves by (0 up, 1 right, 2 down, 3 left).
type Port = (usize, usize, usize);

/// The routes arrow `k` may branch off as a fan: earlier arrows from the same box, both
/// without a label (a label on a shared trunk would name no one arrow), each with its
/// junctions, the cells where its line runs straight and alone (not at its ends, not where
/// another line crosses it), with the headings off it.
fn fan_trunks(
    grid: &Grid,
    arrows: &[Wrapped],
    routes: &[Option<(usize, Route)>],
    k: usize,
) -> Vec<(usize, Vec<Port>)> {
    let a = &arrows[k];
    let Endpoint::Box(tail) = a.from.0 else { return Vec::new() };
    if a.label.is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (j, other) in arrows.iter().enumerate() {
        let Some((_, route)) = &routes[j] else { continue };
        if other.from.0 != Endpoint::Box(tail) || other.label.is_some() {
            continue;
        }
        let mut junctions = Vec::new();
        for (p, _) in crate::geom::arms::of_route(&route.points) {
            let Some(i) = grid.index(p.x, p.y) else { continue };
            if let Cell::Line { straight: Some(vertical) } = grid.cells[i] {
                let off = if vertical { [1, 3] } else { [0, 2] };
                junctions.extend(off.map(|h| (p.x, p.y, h)));
            }
        }
        out.push((j, junctions));
    }
    out
}

/// A branch's whole polyline: `trunk` (corner points, tail first) up to `junction`, a cell
/// it passes straight through, then `branch` (corner points from the junction on).
fn joined(trunk: &[Point], junction: Point, branch: &[Point]) -> Vec<Point> {
    let on = |a: Point, b: Point| {
        (a.x == b.x
            && a.x == junction.x
            && a.y.min(b.y) <= junction.y
            && junction.y <= a.y.max(b.y))
            || (a.y == b.y
                && a.y == junction.y
                && a.x.min(b.x) <= junction.x
                && junction.x <= a.x.max(b.x))
    };
    let segment = trunk.windows(2).position(|w| on(w[0], w[1])).unwrap_or(0);
    let cells: Vec<Point> = trunk[..=segment]
        .iter()
        .copied()
        .chain(std::iter::once(junction))
        .chain(branch[1..].iter().copied())
        .collect();
    corners(cells)
}

/// The cells a service's arrow may start at: beside, over or under a line of its text, off
/// its block, each with the heading that leads away from the text.
fn service_ports(s: &PlacedService) -> Vec<(usize, usize, usize)> {
    let r = s.rect;
    let mut out = Vec::new();
    for t in &s.lines {
        let cells: Vec<(usize, &str)> = crate::text::graphemes(&t.text)
            .scan(t.x, |x, (g, w)| {
                let at = *x;
                *x += w;
                Some((at, g))
            })
            .collect();
        // A line glued to text that looks like a line (`C++-+`, `v` under a `|`) reads as
        // going on through the word, in ASCII above all: such an end is no port.
        let clear = |g: Option<&(usize, &str)>| g.is_none_or(|(_, g)| !looks_like_a_line(g));
        if t.x == r.x && t.x > 0 && clear(cells.first()) {
            out.push((t.x - 1, t.y, 3));
        }
        if t.x + t.width == r.right() && clear(cells.last()) {
            out.push((t.x + t.width, t.y, 1));
        }
        for &(x, g) in &cells {
            if looks_like_a_line(g) {
                continue;
            }
            if t.y == r.y && t.y > 0 {
                out.push((x, t.y - 1, 0));
            }
            if t.y + 1 == r.bottom() {
                out.push((x, t.y + 1, 2));
            }
        }
    }
    out
}

/// Whether a grapheme of text could be taken for a piece of line or an arrowhead, in
/// Unicode or ASCII drawings.
fn looks_like_a_line(g: &str) -> bool {
    g.chars().any(|c| {
        matches!(c, '+' | '-' | '|' | '<' | '>' | '^' | 'v' | 'V' | '=' | '~' | '_')
            || ('\u{2190}'..='\u{21FF}').contains(&c)
            || ('\u{2500}'..='\u{259F}').contains(&c)
            || ('\u{25A0}'..='\u{25FF}').contains(&c)
    })
}

#[cfg(test)]
mod tests {
    use super::super::types::PlacedBox;
    use super::*;
    use crate::model::Direction;

    #[test]
    fn centred_positions_start_in_the_middle() {
        assert_eq!(centred(2, 6, 4).collect::<Vec<_>>(), [4, 3, 5, 2, 6]);
        assert_eq!(centred(0, 0, 3).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn an_arrowhead_is_never_routed_right_past_a_crossing() {
        // Box A, box B to its right, and another net's line running down between them with
        // one cell free beside B: the straight way from A's side to B's crosses that line in the
        // cell just behind the head, where a reader cannot tell the head's line from the
        // crossed one; the route must cross farther from B and come in another way.
        let boxed = |id: &str, rect| PlacedBox { id: id.into(), rect, lines: Vec::new() };
        let (a, b) = (Rect::new(0, 2, 6, 3), Rect::new(12, 2, 6, 3));
        let wall = Route {
            net: 9,
            edge: None,
            from: Endpoint::Box(0),
            to: Endpoint::Box(1),
            points: vec![Point::new(10, 0), Point::new(10, 11)],
            head: Side::Down,
        };
        let layout = Layout {
            title: None,
            direction: Direction::Right,
            width: 24,
            height: 12,
            boxes: vec![boxed("a", a), boxed("b", b)],
            services: Vec::new(),
            groups: Vec::new(),
            routes: vec![wall],
            labels: Vec::new(),
        };
        let grid = Grid::new(&layout, 24, 12);
        let (points, _, cost) =
            grid.route(&ports(a), &[], false, b, Side::Right, CROSS[0]).expect("a way");
        assert_eq!(cost.crossed, 1, "{points:?}");
        let head = points[points.len() - 1];
        let behind = points[points.len() - 2];
        // The cell behind the head, on the head's own last stretch, is not the crossed line's.
        let before_head = if behind.y == head.y {
            Point::new(if behind.x < head.x { head.x - 1 } else { head.x + 1 }, head.y)
        } else {
            Point::new(head.x, if behind.y < head.y { head.y - 1 } else { head.y + 1 })
        };
        assert_ne!(before_head.x, 10, "{points:?}");
    }

    #[test]
    fn corners_keep_the_ends_and_the_turns() {
        let cells = [(0, 0), (1, 0), (2, 0), (2, 1), (2, 2), (3, 2)]
            .map(|(x, y)| Point::new(x, y))
            .to_vec();
        assert_eq!(
            corners(cells),
            [(0, 0), (2, 0), (2, 2), (3, 2)].map(|(x, y)| Point::new(x, y)).to_vec()
        );
    }
}
