//! Columns sized row by row: where each cell of a finished layout lies across the page, when
//! every thing is pushed aside only by what shares its rows.
//!
//! [`super::page::track_sizes`] gives each column one width for the whole drawing: the widest
//! text over it anywhere. In a drawing flowing down, a rank's wide title then widens the
//! boxes of every other rank over the same columns, and a label beside one line pushes apart
//! lines far above and below it. Here each row keeps its own column edges instead, as a 1-D
//! compaction (the constraint-graph compaction of VLSI layout and of ELK's orthogonal
//! compactor, along one axis): every vertical thing (a box's or frame's side, a service's
//! outline, a vertical stretch of an arrow, a corner, a line of text) is one variable, the same
//! in every row it spans, and in each row consecutive things keep apart by what lies between
//! them (their own width, a few pixels for each blank cell). The longest path from the left
//! packs everything left, the longest path from the right packs it right, and each thing sits
//! midway (a mean of two solutions of difference constraints is one too, and rounding both
//! down keeps every constraint), so a line leaving a box stays near its middle.
//!
//! Rows keep their order and their heights ([`super::page::track_sizes`]), and within a row
//! cells keep theirs, so the topology stays the layout's: two things that share a row stay
//! apart, and things in different rows cannot meet. What must stay together across rows is
//! glued: an arrow's end to the side of the box it leaves or enters, a label to the line it
//! sits beside.

use super::types::{Endpoint, Layout, LineKind};
use crate::geom::{Point, Rect, Side};
use crate::model::Direction;

use super::page::{GAP_COLUMN, LINE_COLUMN};

/// The least room a blank cell keeps between two things in its row, in pixels.
const BLANK: i64 = GAP_COLUMN as i64;
/// The least room a blank cell keeps before a row's first thing or after its last.
const EDGE_CELL: i64 = 2;
/// The width of a stroke's column: a border, a vertical line, a corner.
const STROKE: i64 = LINE_COLUMN as i64;
/// The width of an arrowhead's last cell before the box it enters (see
/// [`super::page::slim_heads`]).
const HEAD: i64 = super::page::HEAD_ROW as i64;

/// The most (thing, row) pairs the compaction lists, about 40 bytes each with the
/// constraints between them: a few hundred boxes' worth of drawing.
const MAX_MEMBERSHIPS: usize = 1 << 20;

/// A thing occupying cells `at..at + cells` in rows `lo..=hi`, `own` pixels wide.
#[derive(Debug, Clone, Copy)]
struct Piece {
    at: usize,
    cells: usize,
    lo: usize,
    hi: usize,
    own: i64,
}

/// Where every cell of a layout's rows starts across the page, in pixels from the drawing's
/// left edge (margin not included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RowColumns {
    /// Per row, the things in it in order: first cell, cells covered, left pixel, pixels wide.
    rows: Vec<Vec<Anchor>>,
    /// The drawing's width in pixels.
    width: i64,
    /// The grid's columns, [`Self::lead`] included.
    columns: usize,
    /// Columns before the layout's first: one when a service's text starts at the layout's
    /// left edge, for its outline's side, which stands in the column before its text.
    lead: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Anchor {
    at: usize,
    cells: usize,
    x: i64,
    px: i64,
}

impl RowColumns {
    /// The drawing's width in pixels.
    pub(crate) fn width(&self) -> i64 {
        self.width
    }

    /// The left and right edges of what cell `x` of row `y` itself takes: its share of the
    /// thing over it, or of the blank room it lies in. Room left between two things in
    /// adjacent cells belongs to neither.
    pub(crate) fn cell(&self, x: usize, y: usize) -> (i64, i64) {
        self.grid_cell(x + self.lead, y)
    }

    /// The right edge of the column before the layout's first in row `y`, where the outline
    /// of a service whose text starts at the layout's left edge stands; `None` without one.
    pub(crate) fn lead_right(&self, y: usize) -> Option<i64> {
        self.lead.checked_sub(1).map(|x| self.grid_cell(x, y).1)
    }

    /// [`Self::cell`] of the grid's own column `x`, [`Self::lead`] included.
    fn grid_cell(&self, x: usize, y: usize) -> (i64, i64) {
        let Some(row) = self.rows.get(y) else { return (self.col_at(x, y), self.col_at(x + 1, y)) };
        let next = row.partition_point(|a| a.at <= x);
        let before = next.checked_sub(1).map(|i| row[i]);
        if let Some(a) = before
            && x < a.at + a.cells
        {
            let share = |k: usize| a.x + a.px * to_i64(k - a.at) / to_i64(a.cells);
            return (share(x), share(x + 1));
        }
        // One search for both edges (this runs for every point drawn).
        let (from_cell, from_px) = before.map_or((0, 0), |a| (a.at + a.cells, a.x + a.px));
        let right = match row.get(next) {
            Some(a) => {
                let blanks = to_i64(a.at.saturating_sub(from_cell)).max(1);
                from_px + (a.x - from_px) * to_i64(x + 1 - from_cell) / blanks
            }
            None => self.col_at(x + 1, y),
        };
        (self.col_after(row, next, before, x), right)
    }

    /// The column of row `y` holding pixel `x` (from the drawing's left edge): the last whose
    /// left edge is at or before it, 0 before the first.
    pub(crate) fn column_at(&self, x: i64, y: usize) -> usize {
        self.cell_at(x, y).saturating_sub(self.lead)
    }

    /// [`Self::column_at`] among the grid's own columns, [`Self::lead`] included.
    fn cell_at(&self, x: i64, y: usize) -> usize {
        let last = self.columns.saturating_sub(1);
        // The things of the row bound the search to the cells between two of them.
        let (mut low, mut high) = match self.rows.get(y) {
            Some(row) => {
                let next = row.partition_point(|a| a.x <= x);
                let low = next.checked_sub(1).map_or(0, |i| row[i].at);
                let high = row.get(next).map_or(last, |a| a.at.saturating_sub(1).max(low));
                (low, high.min(last))
            }
            None => (0, last),
        };
        while low < high {
            let mid = low + (high - low).div_ceil(2);
            if self.col_at(mid, y) <= x { low = mid } else { high = mid - 1 }
        }
        low
    }

    /// The left edge of column `x` in row `y`, in pixels from the drawing's left edge. Inside
    /// a thing its pixels are shared out evenly over its cells; blank cells between two things
    /// share out the room between them.
    pub(crate) fn col(&self, x: usize, y: usize) -> i64 {
        self.col_at(x + self.lead, y)
    }

    /// [`Self::col`] of the grid's own column `x`, [`Self::lead`] included.
    fn col_at(&self, x: usize, y: usize) -> i64 {
        let Some(row) = self.rows.get(y) else { return BLANK * to_i64(x) };
        let next = row.partition_point(|a| a.at <= x);
        self.col_after(row, next, next.checked_sub(1).map(|i| row[i]), x)
    }

    /// [`Self::col`] once the row's things are searched: `next` the first starting after
    /// cell `x`, `before` the one before it.
    fn col_after(&self, row: &[Anchor], next: usize, before: Option<Anchor>, x: usize) -> i64 {
        if let Some(a) = before
            && x < a.at + a.cells
        {
            return a.x + a.px * to_i64(x - a.at) / to_i64(a.cells);
        }
        // A blank cell: the room between the thing before (or the left edge) and the thing
        // after (or the right edge), shared out over the blank cells between them.
        let (from_cell, from_px) = before.map_or((0, 0), |a| (a.at + a.cells, a.x + a.px));
        let (to_cell, to_px) = row
            .get(next)
            .map_or_else(|| (self.columns.max(x + 1), self.width.max(from_px)), |a| (a.at, a.x));
        let blanks = to_i64(to_cell.saturating_sub(from_cell)).max(1);
        from_px + (to_px - from_px) * to_i64(x - from_cell) / blanks
    }
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX / 4)
}

/// Variables with offsets: `find(p)` is `(root, offset)` with `x(p) = x(root) + offset`.
struct Glue {
    parent: Vec<usize>,
    offset: Vec<i64>,
}

impl Glue {
    fn new(n: usize) -> Self {
        Self { parent: (0..n).collect(), offset: vec![0; n] }
    }

    fn find(&mut self, p: usize) -> (usize, i64) {
        // The root and `p`'s offset from it, then every node on the way pointed at the root
        // with its own offset (no allocation: this runs once a piece).
        let (mut root, mut total) = (p, 0);
        while self.parent[root] != root {
            total += self.offset[root];
            root = self.parent[root];
        }
        let (mut at, mut rest) = (p, total);
        while self.parent[at] != root && at != root {
            let (parent, own) = (self.parent[at], self.offset[at]);
            self.parent[at] = root;
            self.offset[at] = rest;
            rest -= own;
            at = parent;
        }
        (root, total)
    }

    /// Ties `b` to `a` with `x(b) = x(a) + delta`; false if they were tied another way.
    fn tie(&mut self, a: usize, b: usize, delta: i64) -> bool {
        let (ra, oa) = self.find(a);
        let (rb, ob) = self.find(b);
        if ra == rb {
            return ob - oa == delta;
        }
        // x(rb) = x(b) - ob = x(a) + delta - ob = x(ra) + oa + delta - ob
        self.parent[rb] = ra;
        self.offset[rb] = oa + delta - ob;
        true
    }
}

/// Builds the pieces, row memberships and glue of `layout`; `measure` gives a line's pixels.
struct Build {
    pieces: Vec<Piece>,
    /// Extra rows a piece takes part in without spanning them (a label kept over its line).
    shadows: Vec<(usize, usize)>,
    /// `(a, b, delta)`: `x(b) = x(a) + delta`.
    ties: Vec<(usize, usize, i64)>,
    /// The left and right side of every outline drawn around something (boxes, then frames,
    /// then services), in the order their sides are drawn in to what they hold.
    outlines: Vec<(usize, usize)>,
    /// Per row, the cells of a box's top or bottom border between its corners, in order.
    borders: Vec<Vec<(usize, usize)>>,
    /// The flow runs across: its ranks are columns, their boxes lined up on one middle.
    across: bool,
    /// Each box's first column and last column plus one, [`Self::lead`] included.
    box_columns: Vec<(usize, usize)>,
    /// Columns the grid has before the layout's first ([`RowColumns::lead`]): every piece's
    /// column is the layout's plus these.
    lead: usize,
    /// How many of [`Self::outlines`] are services' (the last ones).
    services: usize,
}

impl Build {
    /// A piece at the layout's column `at` (the grid's `at + lead`).
    fn push(&mut self, at: usize, cells: usize, lo: usize, hi: usize, own: i64) -> usize {
        self.push_in_grid(at + self.lead, cells, lo, hi, own)
    }

    /// A piece at the grid's column `at`.
    fn push_in_grid(&mut self, at: usize, cells: usize, lo: usize, hi: usize, own: i64) -> usize {
        self.pieces.push(Piece { at, cells: cells.max(1), lo, hi, own });
        self.pieces.len() - 1
    }
}

/// The columns of `layout` row by row, its text measured with `measure` (pixels of a line;
/// `true` for a title, set bold). `None` if the glue cannot hold or the drawing is past the
/// bound: the caller keeps one width per column then.
pub(crate) fn row_columns(
    layout: &Layout,
    measure: impl Fn(&str, bool) -> i64,
) -> Option<RowColumns> {
    // A service's outline stands in the column before its text; at the layout's left edge
    // the grid gets one more column for it.
    let lead = usize::from(layout.services.iter().any(|s| s.rect.x == 0));
    let mut b = Build {
        pieces: Vec::new(),
        shadows: Vec::new(),
        ties: Vec::new(),
        outlines: Vec::new(),
        borders: vec![Vec::new(); layout.height],
        across: matches!(layout.direction, Direction::Right | Direction::Left),
        box_columns: layout
            .boxes
            .iter()
            .map(|b| (b.rect.x + lead, b.rect.right() + lead))
            .collect(),
        lead,
        services: layout.services.len(),
    };
    let mut sides = Vec::new();
    for rect in layout.boxes.iter().map(|b| b.rect).chain(layout.groups.iter().map(|g| g.rect)) {
        let hi = rect.bottom().checked_sub(1)?;
        let left = b.push(rect.x, 1, rect.y, hi, STROKE);
        let right = b.push(rect.right().checked_sub(1)?, 1, rect.y, hi, STROKE);
        sides.push((rect, left, right));
        b.outlines.push((left, right));
    }
    for rect in layout.boxes.iter().map(|b| b.rect).filter(|r| r.width > 2) {
        for y in [rect.y, rect.bottom() - 1] {
            if let Some(row) = b.borders.get_mut(y) {
                row.push((rect.x + 1 + lead, rect.right() - 1 + lead));
            }
        }
    }
    for row in &mut b.borders {
        row.sort_unstable();
    }
    let boxes = layout.boxes.len();
    for rect in layout.services.iter().map(|s| s.rect) {
        let (lo, hi) = (rect.y.saturating_sub(1), rect.bottom());
        // In the lead column when the text starts at the layout's left edge.
        let left = b.push_in_grid(rect.x + lead - 1, 1, lo, hi, STROKE);
        let right = b.push(rect.right(), 1, lo, hi, STROKE);
        b.outlines.push((left, right));
    }
    push_routes(&mut b, layout, &sides[..boxes]);
    let mut labels = Vec::new();
    let items = layout.boxes.iter().zip(&sides).flat_map(|(placed, &(rect, left, _))| {
        placed.lines.iter().map(move |line| (line, rect, left))
    });
    for (line, rect, left) in items {
        let own = measure(&line.text, line.kind == LineKind::Title);
        let piece = b.push(line.x, line.width, line.y, line.y, own + own % 2);
        if matches!(line.kind, LineKind::Bullet | LineKind::Continuation) && line.x > rect.x + 1 {
            // Items start where the box's padding and the bullet's cell end, like the
            // renderer sets them, not wherever their row has room.
            let bullet = super::page::TEXT_CELL_WIDTH as i64;
            let delta = STROKE + BLANK * to_i64(line.x - rect.x - 2) + bullet;
            b.ties.push((left, piece, delta));
            if line.kind == LineKind::Bullet {
                // The bullet's cell too, or the box's side, the bullet and the item would close
                // a cycle of constraints.
                let cell = b.push(line.x - 1, 1, line.y, line.y, bullet);
                b.ties.push((left, cell, delta - bullet));
            }
        }
    }
    for (line, label) in layout.text_lines().skip(layout.boxes.iter().map(|b| b.lines.len()).sum())
    {
        let slack = if label { super::page::LABEL_SLACK } else { 0 };
        // Even: text centred on a whole pixel keeps its full width either side.
        let own = measure(&line.text, line.kind == LineKind::Title) + slack;
        let own = own + own % 2;
        let piece = b.push(line.x, line.width, line.y, line.y, own);
        if line.kind == LineKind::Bullet && line.x > 0 {
            b.push(line.x - 1, 1, line.y, line.y, super::page::TEXT_CELL_WIDTH as i64);
        }
        if label {
            labels.push(piece);
        }
    }
    for group in &layout.groups {
        let title = &group.title;
        if !title.text.is_empty() && title.x > 0 {
            let side = super::page::FRAME_TITLE_SIDE;
            b.push(title.x - 1, 1, title.y, title.y, side);
            b.push(title.x + title.width, 1, title.y, title.y, side);
        }
    }
    glue_labels(&mut b, layout, &labels);
    solve(&b, layout.width + lead, layout.height)
}

/// The pieces of every route: its vertical stretches, its corners, and its ends glued to the
/// boxes they leave and enter (`sides`: each box's rectangle and its sides' pieces).
fn push_routes(b: &mut Build, layout: &Layout, sides: &[(Rect, usize, usize)]) {
    // Cells where a line turns, ends in a head or leaves a box turning: a stroke's room.
    let straight: Vec<bool> =
        layout.routes.iter().map(|r| super::page::straight_tail(layout, r)).collect();
    let mut turns: Vec<Point> = layout
        .routes
        .iter()
        .zip(&straight)
        .flat_map(|(r, &straight)| r.points.iter().skip(usize::from(straight)))
        .copied()
        .collect();
    turns.sort_unstable_by_key(|p| (p.y, p.x));
    let slim = super::page::slim_heads(layout);
    for ((route, &straight), &slim) in layout.routes.iter().zip(&straight).zip(&slim) {
        let points = &route.points;
        for w in points.windows(2) {
            let (p, q) = (w[0], w[1]);
            if p.x == q.x {
                b.push(p.x, 1, p.y.min(q.y), p.y.max(q.y), STROKE);
            }
        }
        for (k, (end, point)) in
            [(route.from, points.first()), (route.to, points.last())].into_iter().enumerate()
        {
            let Some(&p) = point else { continue };
            // A line leaving its box straight on only passes through its first cell.
            let passing = k == 0
                && straight
                && turns.binary_search_by_key(&(p.y, p.x), |t| (t.y, t.x)).is_err();
            // A head entering its box across the row needs only a head's room.
            let across = matches!(route.head, Side::Left | Side::Right);
            let own = match () {
                _ if passing => BLANK,
                _ if k == 1 && slim && across => HEAD,
                _ => STROKE,
            };
            let piece = b.push(p.x, 1, p.y, p.y, own);
            let Endpoint::Box(i) = end else { continue };
            let Some(&(rect, left, right)) = sides.get(i) else { continue };
            glue_end(b, piece, p, rect, left, right);
        }
        for p in points.iter().skip(1).take(points.len().saturating_sub(2)) {
            b.push(p.x, 1, p.y, p.y, STROKE);
        }
    }
}

/// Glues the piece of an arrow's end cell `p` to the box `rect` it leaves or enters: beside
/// the box, a fixed stroke's width from its side; above or below it, the end reaches into the
/// border row, between the box's two sides.
fn glue_end(
    b: &mut Build,
    piece: usize,
    p: crate::geom::Point,
    rect: Rect,
    left: usize,
    right: usize,
) {
    let within_rows = p.y >= rect.y && p.y < rect.bottom();
    if within_rows && p.x + 1 == rect.x {
        let own = b.pieces[piece].own;
        b.ties.push((left, piece, -own));
    } else if within_rows && p.x == rect.right() {
        b.ties.push((right, piece, STROKE));
    } else if p.x >= rect.x && p.x < rect.right() {
        let border = if p.y < rect.y { rect.y } else { rect.bottom().saturating_sub(1) };
        let (lo, hi) = (p.y.min(border), p.y.max(border));
        b.push(p.x, 1, lo, hi, STROKE);
    }
}

/// A label's lines stay beside their arrow's line: each glued to the nearest vertical stretch
/// of one of its own routes in its row, a fixed distance away, the rest moving with them (or,
/// over or on a horizontal line, with each other); and every label keeps its place among the
/// things in the rows just above and below it, where its halo reaches and a line over which
/// it sits runs.
fn glue_labels(b: &mut Build, layout: &Layout, label_pieces: &[usize]) {
    // Each arrow's routes, found once rather than once a label.
    let mut routes_of: Vec<Vec<&crate::layout::Route>> = Vec::new();
    for route in &layout.routes {
        if let Some(edge) = route.edge {
            if routes_of.len() <= edge {
                routes_of.resize_with(edge + 1, Vec::new);
            }
            routes_of[edge].push(route);
        }
    }
    let mut next = label_pieces.iter().copied();
    for label in &layout.labels {
        let pieces: Vec<usize> = next.by_ref().take(label.lines.len()).collect();
        let own: Vec<(usize, usize)> = routes_of
            .get(label.edge)
            .into_iter()
            .flatten()
            .flat_map(|r| r.points.windows(2))
            .filter(|w| w[0].x == w[1].x)
            .map(|w| (w[0].x, w[0].y.min(w[1].y)..=w[0].y.max(w[1].y)))
            .flat_map(|(x, ys)| ys.map(move |y| (x, y)))
            .collect();
        // The lines of a label move as one block, aligned as the renderer sets them: to the
        // line they sit beside, or centred over or on a horizontal one.
        let mut glued: Option<(usize, Align)> = None;
        // Lines beside the line keep their own distance from it (the renderer sets them all
        // against it, so none is drawn further out than its cells allow).
        let mut lined = Vec::new();
        for (line, &piece) in label.lines.iter().zip(&pieces) {
            let text = b.pieces[piece];
            let end = line.x + line.width.max(1);
            let beside = own
                .iter()
                .filter(|&&(_, y)| y == line.y)
                .map(|&(x, _)| x)
                .filter(|&x| (x < line.x && x + 4 > line.x) || (x >= end && x < end + 3))
                .min_by_key(|&x| if x < line.x { line.x - x } else { x + 1 - end });
            let Some(x) = beside else { continue };
            let route = b.push(x, 1, line.y, line.y, STROKE);
            let (delta, align) = if x < line.x {
                (STROKE + BLANK * to_i64(line.x - x - 1), Align::Start)
            } else {
                (-(text.own + BLANK * to_i64(x - end)), Align::End)
            };
            b.ties.push((route, piece, delta));
            glued = glued.or(Some((piece, align)));
            lined.push(piece);
        }
        let (first, align) = glued.unwrap_or((pieces.first().copied().unwrap_or(0), Align::Middle));
        for &piece in pieces.iter().filter(|&&p| p != first && !lined.contains(&p)) {
            let (own, other) = (b.pieces[first].own, b.pieces[piece].own);
            let delta = match align {
                Align::Start => 0,
                Align::End => own - other,
                Align::Middle => (own - other) / 2,
            };
            b.ties.push((first, piece, delta));
        }
        // Its halo reaches past its rows, its lines close up on the one nearest its arrow and
        // the renderer may move the block within its rectangle towards its line: it keeps
        // clear of what lies beside it in every row of its rectangle and the rows just above
        // and below, too.
        for row in label.rect.y.saturating_sub(1)..=label.rect.bottom() {
            for &piece in pieces.iter().filter(|&&p| b.pieces[p].lo != row) {
                b.shadows.push((piece, row));
            }
        }
    }
}

/// How a label's lines line up with each other.
#[derive(Debug, Clone, Copy)]
enum Align {
    Start,
    End,
    Middle,
}

/// Merges the pieces into variables, keeps consecutive things in each row apart and places
/// every variable midway between its leftmost and rightmost place.
fn solve(b: &Build, columns: usize, rows: usize) -> Option<RowColumns> {
    let n = b.pieces.len();
    let mut glue = Glue::new(n);
    // Pieces at one column whose rows overlap are one thing (a trunk, a corner on its line).
    // In the order rows are read in: by column, the wider first (a shadowed label before a
    // corner under it), then down the column, so that overlapping pieces of one width follow
    // each other.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by_key(|&i| {
        let p = b.pieces[i];
        (p.at, std::cmp::Reverse(p.cells), p.lo, p.hi, i)
    });
    let mut run: Option<(usize, usize, usize)> = None;
    for &i in &order {
        let p = b.pieces[i];
        match run {
            Some((at, hi, first))
                if at == p.at && p.lo <= hi && b.pieces[first].cells == p.cells =>
            {
                if !glue.tie(first, i, 0) {
                    return None;
                }
                run = Some((at, hi.max(p.hi), first));
            }
            _ => run = Some((p.at, p.hi, i)),
        }
    }
    for &(a, c, delta) in &b.ties {
        if !glue.tie(a, c, delta) {
            return None;
        }
    }
    // Every row lists what lies in it: past a bound (drawings of thousands of boxes, long
    // lines over thousands of rows), the single column widths serve instead.
    let memberships = b.pieces.iter().map(|p| p.hi.saturating_sub(p.lo) + 1).sum::<usize>();
    if memberships.saturating_add(b.shadows.len()) > MAX_MEMBERSHIPS {
        return None;
    }
    // A row's things, each with whether it only keeps its place there (a label over the
    // line it sits beside) rather than lying in it.
    // Listed in the order each row is read in (one array, each row a stretch of it).
    let mut starts = vec![0usize; rows + 1];
    for p in &b.pieces {
        for y in p.lo..=p.hi.min(rows.saturating_sub(1)) {
            starts[y + 1] += 1;
        }
    }
    for y in 0..rows {
        starts[y + 1] += starts[y];
    }
    let mut fill = starts.clone();
    let mut listed = vec![0usize; starts[rows]];
    for &i in &order {
        let p = b.pieces[i];
        for y in p.lo..=p.hi.min(rows.saturating_sub(1)) {
            listed[fill[y]] = i;
            fill[y] += 1;
        }
    }
    let members: Vec<&[usize]> = (0..rows).map(|y| &listed[starts[y]..starts[y + 1]]).collect();
    // And per row the things kept in place over it.
    let mut shadows: Vec<Vec<usize>> = vec![Vec::new(); rows];
    for &(piece, row) in &b.shadows {
        if let Some(list) = shadows.get_mut(row) {
            list.push(piece);
        }
    }
    let roots: Vec<(usize, i64)> = (0..n).map(|i| glue.find(i)).collect();
    // Constraints between roots: x(to) - x(from) >= gap. Node n is the left edge, n + 1 the
    // right.
    let (start, end) = (n, n + 1);
    let mut edges: Vec<(usize, usize, i64)> = Vec::new();
    let mut anchors: Vec<Vec<usize>> = Vec::with_capacity(rows);
    for (y, (row, shadows)) in members.iter().zip(&shadows).enumerate() {
        let blank = Blanks(b.borders.get(y).map_or(&[], Vec::as_slice));
        let kept =
            constrain_row(b, &roots, (row, shadows, blank), (columns, start, end), &mut edges)?;
        anchors.push(kept);
    }
    let tails = Adjacent::new(n + 2, &edges, |e| e.0);
    let (left, right, order) = longest((start, end), &edges, &tails)?;
    let width = left[end];
    let at = place(b, &roots, (&edges, &tails), (&left, &right, &order));
    let mut x: Vec<i64> = (0..n)
        .map(|i| {
            let (root, off) = roots[i];
            at[root] + off
        })
        .collect();
    // Outlines drawn in at the drawing's edges leave room there that nothing uses: the
    // drawing's edges are where its rows' first and last things need them, a row's blank cells
    // before its first thing and after its last holding nothing (two pixels each keeps them in
    // order).
    let (mut first, mut last) = (width, 0);
    for kept in &anchors {
        if let (Some(&a), Some(&z)) = (kept.first(), kept.last()) {
            let (before, after) = (b.pieces[a], b.pieces[z]);
            let trailing = columns.saturating_sub(after.at + after.cells);
            first = first.min(x[a] - EDGE_CELL * to_i64(before.at));
            last = last.max(x[z] + after.own + EDGE_CELL * to_i64(trailing));
        }
    }
    let first = first.clamp(0, width);
    let last = last.clamp(first, width);
    for x in &mut x {
        *x -= first;
    }
    let width = last - first;
    let rows = anchors
        .into_iter()
        .map(|kept| {
            kept.into_iter()
                .map(|i| {
                    let p = b.pieces[i];
                    Anchor { at: p.at, cells: p.cells, x: x[i], px: p.own }
                })
                .collect()
        })
        .collect();
    Some(RowColumns { rows, width, columns, lead: b.lead })
}

/// Where each node stands, given its leftmost (`left`) and rightmost (`right`, from the
/// right edge) places: midway between them, then the outlines drawn in to what they hold and,
/// in a flow across, each rank's boxes lined up. Boxes first, then the frames and services
/// around them.
fn place(
    b: &Build,
    roots: &[(usize, i64)],
    (edges, tails): (&[(usize, usize, i64)], &Adjacent),
    (left, right, order): (&[i64], &[i64], &[usize]),
) -> Vec<i64> {
    let nodes = left.len();
    let width = left[nodes - 1];
    let mut at: Vec<i64> =
        (0..nodes).map(|v| (left[v] + (width - right[v])).div_euclid(2)).collect();
    let adjacent = (edges, &Adjacent::new(nodes, edges, |e| e.1), tails);
    let sides: Vec<(usize, usize)> =
        b.outlines.iter().map(|&(l, r)| (roots[l].0, roots[r].0)).collect();
    let (boxes, around) = sides.split_at(b.box_columns.len().min(sides.len()));
    let (frames, services) = around.split_at(around.len().saturating_sub(b.services));
    let held = hug(&mut at, adjacent, boxes.iter().copied(), Within::Sides);
    if b.across {
        let boxes: Vec<RankBox<'_>> = b
            .box_columns
            .iter()
            .zip(boxes.iter().zip(&held))
            .filter(|(_, ((l, r), _))| l != r)
            .map(|(&columns, (&(left, right), texts))| RankBox { left, right, texts, columns })
            .collect();
        let rightmost: Vec<i64> = right.iter().map(|&r| width - r).collect();
        let mut push = Push::new(order);
        align_ranks(&mut at, adjacent, &boxes, (&rightmost, &mut push));
    }
    hug(&mut at, adjacent, frames.iter().copied(), Within::Sides);
    hug(&mut at, adjacent, services.iter().copied(), Within::Room);
    at
}

/// Where [`hug`] may put an outline's sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Within {
    /// Between where they stand: drawn in, never moved out.
    Sides,
    /// Anywhere in the room the things beside them leave: a service's outline (which nothing
    /// is glued to) moved whole to stand centred on the arrow it sends, as the text has it,
    /// rather than wherever midway placement left its sides.
    Room,
}

/// Moves nodes right and whatever they would then crowd after them, in topological order:
/// each node rises to what its edges in need, never past its place in the rightmost packing
/// when the moved nodes stay within theirs.
struct Push {
    /// Each node's place in a topological order.
    index: Vec<usize>,
    queue: std::collections::BinaryHeap<std::cmp::Reverse<(usize, usize)>>,
    queued: Vec<bool>,
}

impl Push {
    fn new(order: &[usize]) -> Self {
        let mut index = vec![0; order.len()];
        for (k, &v) in order.iter().enumerate() {
            index[v] = k;
        }
        let queued = vec![false; order.len()];
        Push { index, queue: std::collections::BinaryHeap::new(), queued }
    }

    /// Notes that `v` moved right: what follows it is pushed on [`Self::settle`].
    fn moved(&mut self, v: usize) {
        if !self.queued[v] {
            self.queued[v] = true;
            self.queue.push(std::cmp::Reverse((self.index[v], v)));
        }
    }

    /// Pushes everything after the moved nodes as far as their edges need.
    fn settle(&mut self, at: &mut [i64], edges: &[(usize, usize, i64)], out: &Adjacent) {
        while let Some(std::cmp::Reverse((_, u))) = self.queue.pop() {
            self.queued[u] = false;
            for &k in out.of(u) {
                let (_, w, gap) = edges[k];
                if at[u] + gap > at[w] {
                    at[w] = at[u] + gap;
                    self.moved(w);
                }
            }
        }
    }
}

/// A box as [`align_ranks`] moves it: its side nodes, the text it holds, its first column and
/// last column plus one.
struct RankBox<'a> {
    left: usize,
    right: usize,
    texts: &'a [usize],
    columns: (usize, usize),
}

/// Draws every outline's sides in to what it holds, `outlines` as (left, right) nodes, in
/// order. Midway between the two packings a side stands in the middle of its room, so a box
/// with free room beside it came out wider than its text. Lines of text that lie between the
/// two sides and nothing else are centred by the renderer wherever their piece stands: the
/// sides need only be as far apart as the widest of them needs, and around everything else
/// inside (an arrow's end on a border), centred on the latter. Each outline is drawn in within
/// where its sides stand now (or, `within` [`Within::Room`], anywhere up to what lies beside
/// them), its text re-centred, the rest kept: every constraint still holds. The drawing's
/// width does not change: its ends stay.
fn hug(
    at: &mut [i64],
    (edges, into, out): (&[(usize, usize, i64)], &Adjacent, &Adjacent),
    outlines: impl Iterator<Item = (usize, usize)>,
    within: Within,
) -> Vec<Vec<usize>> {
    let mut held = Vec::new();
    for (l, r) in outlines {
        held.push(Vec::new());
        if l == r {
            continue;
        }
        // Text between the sides alone: every edge into it from the left side, out of it to
        // the right one.
        let free = |t: usize| {
            t != r
                && into.of(t).iter().all(|&i| edges[i].0 == l)
                && out.of(t).iter().all(|&i| edges[i].1 == r)
        };
        // What the left side keeps room to, the most room to each (an edge a shared row).
        let mut after_left: Vec<(usize, i64)> =
            out.of(l).iter().map(|&i| (edges[i].1, edges[i].2)).collect();
        after_left.sort_unstable_by_key(|&(t, gap)| (t, std::cmp::Reverse(gap)));
        after_left.dedup_by_key(|&mut (t, _)| t);
        let (mut need, mut texts) = (0i64, Vec::new());
        let (mut most_left, mut least_right) = (i64::MAX, i64::MIN);
        for (t, before) in after_left {
            if t == r {
                need = need.max(before);
            } else if free(t) {
                let after = out.of(t).iter().map(|&k| edges[k].2).max().unwrap_or(0);
                need = need.max(before + after);
                texts.push((t, before, after));
            } else {
                most_left = most_left.min(at[t] - before);
            }
        }
        for &i in into.of(r) {
            let (u, _, gap) = edges[i];
            if u != l && !texts.iter().any(|&(t, _, _)| t == u) {
                least_right = least_right.max(at[u] + gap);
            }
        }
        let (now_l, now_r) = (at[l], at[r]);
        // Centred on what else it holds (an arrow's end), or where it stands.
        let centre = if most_left != i64::MAX && least_right != i64::MIN {
            (most_left + least_right).div_euclid(2)
        } else {
            (now_l + now_r).div_euclid(2)
        };
        // The room the sides may use: between where they stand, or up to what lies beside.
        let (lowest, far) = match within {
            Within::Sides => (now_l, now_r),
            Within::Room => {
                let before = into.of(l).iter().map(|&i| at[edges[i].0] + edges[i].2).max();
                let after = out.of(r).iter().map(|&i| at[edges[i].1] - edges[i].2).min();
                (before.unwrap_or(now_l).min(now_l), after.unwrap_or(now_r).max(now_r))
            }
        };
        let highest = most_left.min(far - need);
        let new_l = (centre - need / 2).clamp(lowest, highest.max(lowest));
        let new_r = least_right.max(new_l + need).min(far);
        if new_r - new_l < need || new_l < lowest {
            continue;
        }
        at[l] = new_l;
        at[r] = new_r;
        for &(t, before, after) in &texts {
            at[t] = new_l + before + (new_r - new_l - before - after).div_euclid(2);
        }
        if let Some(last) = held.last_mut() {
            *last = texts.into_iter().map(|(t, _, _)| t).collect();
        }
    }
    held
}

/// In a flow across, lines up the middles of the boxes of each rank, as dot does: each rank's
/// boxes (boxes whose cells share a column) moved whole to the middle the most of them can
/// reach, left within the room its constraints leave it, right also pushing what follows it
/// (`push`), never past its place in the rightmost packing (`rightmost`), so the drawing keeps
/// its width.
fn align_ranks(
    at: &mut [i64],
    (edges, into, out): (&[(usize, usize, i64)], &Adjacent, &Adjacent),
    boxes: &[RankBox<'_>],
    (rightmost, push): (&[i64], &mut Push),
) {
    let mut by_column: Vec<usize> = (0..boxes.len()).collect();
    by_column.sort_unstable_by_key(|&i| (boxes[i].columns, i));
    // Left to right, a rank as long as its boxes still share a column: ranks of frames set at
    // different places overlap without being one.
    let mut ranks: Vec<Vec<usize>> = Vec::new();
    let mut shared = 0..0;
    for i in by_column {
        let (start, stop) = boxes[i].columns;
        match ranks.last_mut() {
            Some(rank) if start < shared.end => {
                rank.push(i);
                shared = shared.start.max(start)..shared.end.min(stop);
            }
            _ => {
                ranks.push(vec![i]);
                shared = start..stop;
            }
        }
    }
    // How far box `i` may move: every edge to or from its sides but those inside it.
    let room = |at: &[i64], i: usize| {
        let RankBox { left: l, right: r, texts, .. } = boxes[i];
        let inside = |v: usize| v == l || v == r || texts.contains(&v);
        let (mut low, mut high) = (i64::MIN, i64::MAX);
        for side in [l, r] {
            for &k in into.of(side) {
                let (u, _, gap) = edges[k];
                if !inside(u) {
                    low = low.max(at[u] + gap - at[side]);
                }
            }
            for &k in out.of(side) {
                let (_, v, gap) = edges[k];
                if !inside(v) {
                    high = high.min(at[v] - gap - at[side]);
                }
            }
        }
        (low.min(0), high.max(0))
    };
    // Right, a box may also push what follows it, as far as its rightmost place.
    let pushable = |at: &[i64], i: usize| {
        let RankBox { left, right, .. } = boxes[i];
        (rightmost[left] - at[left]).min(rightmost[right] - at[right]).max(0)
    };
    for mut rank in ranks.into_iter().filter(|r| r.len() > 1) {
        rank.sort_unstable();
        let middle = |at: &[i64], i: usize| (at[boxes[i].left] + at[boxes[i].right]).div_euclid(2);
        let reach: Vec<(i64, i64)> = rank
            .iter()
            .map(|&i| {
                let (low, high) = room(at, i);
                let high = high.max(pushable(at, i));
                (middle(at, i).saturating_add(low), middle(at, i).saturating_add(high))
            })
            .collect();
        let mut middles: Vec<i64> = rank.iter().map(|&i| middle(at, i)).collect();
        middles.sort_unstable();
        let median = middles[middles.len() / 2];
        let target = most_reached(&reach, median);
        for &i in &rank {
            let (low, high) = room(at, i);
            let wanted = target - middle(at, i);
            // Within its own room it moves alone; further right it pushes what follows.
            let shift = if wanted > high { wanted.min(pushable(at, i)) } else { wanted.max(low) };
            let RankBox { left, right, texts, .. } = boxes[i];
            for v in [left, right].into_iter().chain(texts.iter().copied()) {
                at[v] += shift;
                if shift > high {
                    push.moved(v);
                }
            }
        }
        push.settle(at, edges, out);
    }
}

/// The point the most of the intervals `reach` (each `low..=high`) hold, the nearest to
/// `median` of those, the leftmost of those: one sweep over their ends, not a count per
/// candidate (a rank of thousands of boxes).
fn most_reached(reach: &[(i64, i64)], median: i64) -> i64 {
    // (where, +1 as an interval starts or -1 past its end); starts first at one place.
    let mut ends: Vec<(i64, i64)> =
        reach.iter().flat_map(|&(low, high)| [(low, -1), (high.saturating_add(1), 1)]).collect();
    ends.sort_unstable();
    let (mut held, mut most, mut best) = (0i64, 0i64, median);
    for (k, &(at, change)) in ends.iter().enumerate() {
        held -= change;
        // The stretch from here to the next end is held by `held` intervals.
        let Some(&(next, _)) = ends.get(k + 1) else { break };
        if next <= at {
            continue;
        }
        let here = median.clamp(at, next - 1);
        let better = (held, -(here - median).abs(), -here) > (most, -(best - median).abs(), -best);
        if held > 0 && better {
            (most, best) = (held, here);
        }
    }
    best
}

/// Edges grouped by one of their ends: for each node, the indices of its edges (compressed
/// rows: one allocation, not one per node).
struct Adjacent {
    first: Vec<usize>,
    listed: Vec<usize>,
}

impl Adjacent {
    fn new(
        nodes: usize,
        edges: &[(usize, usize, i64)],
        key: fn(&(usize, usize, i64)) -> usize,
    ) -> Self {
        let mut first = vec![0usize; nodes + 1];
        for e in edges {
            first[key(e) + 1] += 1;
        }
        for v in 0..nodes {
            first[v + 1] += first[v];
        }
        let mut fill = first.clone();
        let mut listed = vec![0usize; edges.len()];
        for (i, e) in edges.iter().enumerate() {
            listed[fill[key(e)]] = i;
            fill[key(e)] += 1;
        }
        Adjacent { first, listed }
    }

    fn of(&self, v: usize) -> &[usize] {
        &self.listed[self.first[v]..self.first[v + 1]]
    }

    fn nodes(&self) -> usize {
        self.first.len() - 1
    }
}

/// The room blank cells of one row keep, given the box borders running along it.
#[derive(Clone, Copy)]
struct Blanks<'a>(&'a [(usize, usize)]);

impl Blanks<'_> {
    /// The least pixels between things ending before cell `from` and starting at cell `to`:
    /// [`BLANK`] for each blank cell, but a box's border between its corners counts once, however
    /// many cells long: the grid spaced an arrow's end along it by the text over it, and on the
    /// page a rounded corner's room from the side is all it needs.
    fn px(self, from: usize, to: usize) -> i64 {
        let cells = to.saturating_sub(from);
        let first = self.0.partition_point(|&(_, end)| end <= from);
        let border: usize = self.0[first..]
            .iter()
            .take_while(|&&(start, _)| start < to)
            .map(|&(start, end)| end.min(to).saturating_sub(start.max(from)))
            .sum();
        BLANK * to_i64(cells - border + border.min(1))
    }
}

/// The constraints of one row, `row` its things in order, `shadows` those kept in place over
/// it and `blank` the room its blank cells keep, into `edges`; the things that lie in it, for
/// its anchors. `None` if two things glued together cannot both keep their room in it.
fn constrain_row(
    b: &Build,
    roots: &[(usize, i64)],
    (row, shadows, blank): (&[usize], &[usize], Blanks<'_>),
    (columns, start, end): (usize, usize, usize),
    edges: &mut Vec<(usize, usize, i64)>,
) -> Option<Vec<usize>> {
    let mut kept: Vec<usize> = Vec::with_capacity(row.len());
    // Per kept thing: the node, the cell after it, and the pixels from its node to its end.
    let mut reach: Vec<(usize, usize, i64)> = Vec::with_capacity(row.len());
    let mut from = (start, 0usize, 0i64);
    for &i in row {
        let p = b.pieces[i];
        let (root, off) = roots[i];
        if let Some(&last) = kept.last() {
            let q = b.pieces[last];
            if roots[last].0 == root && q.at == p.at {
                continue;
            }
            if p.at < q.at + q.cells {
                // Inside another thing's cells: order only.
                let (lroot, loff) = roots[last];
                if lroot != root {
                    edges.push((lroot, root, loff - off));
                }
                continue;
            }
        }
        let blanks = blank.px(from.1, p.at);
        let (node, ahead) = (from.0, from.2);
        if node != root {
            edges.push((node, root, ahead + blanks - off));
        } else if ahead + blanks.min(BLANK) - off > 0 {
            // Things glued together stand where the glue puts them, which is where they are
            // drawn: a label's lines set flush against the line beside it (its shorter lines
            // stand nearer that line than their cells did) only need to stay apart.
            return None;
        }
        from = (root, p.at + p.cells, off + p.own);
        kept.push(i);
        reach.push(from);
    }
    let trailing = to_i64(columns.saturating_sub(from.1));
    edges.push((from.0, end, from.2 + BLANK * trailing));
    // A thing kept in place over this row (a label, whose halo reaches past its own rows)
    // stays clear of what lies wholly before or after its cells here; what lies under its
    // cells is drawn in another row.
    for &s in shadows {
        let p = b.pieces[s];
        let (root, off) = roots[s];
        let before = reach.partition_point(|&(_, after, _)| after <= p.at);
        let (node, after, ahead) = before.checked_sub(1).map_or((start, 0, 0), |k| reach[k]);
        if node != root {
            edges.push((node, root, ahead + blank.px(after, p.at) - off));
        }
        let beyond = kept.partition_point(|&k| b.pieces[k].at < p.at + p.cells);
        match kept.get(beyond) {
            Some(&k) => {
                let (next, noff) = roots[k];
                let gap = blank.px(p.at + p.cells, b.pieces[k].at);
                if next != root {
                    edges.push((root, next, off + p.own + gap - noff));
                }
            }
            None => {
                let trailing = to_i64(columns.saturating_sub(p.at + p.cells));
                edges.push((root, end, off + p.own + BLANK * trailing));
            }
        }
    }
    Some(kept)
}

/// Longest distances over `edges` (`tails`: grouped by their tail) from `ends.0` and to
/// `ends.1`, both in one topological order, and that order; `None` on a cycle. Nodes no path
/// reaches count as 0.
fn longest(
    ends: (usize, usize),
    edges: &[(usize, usize, i64)],
    tails: &Adjacent,
) -> Option<(Vec<i64>, Vec<i64>, Vec<usize>)> {
    let nodes = tails.nodes();
    let mut indegree = vec![0u32; nodes];
    for &(_, c, _) in edges {
        indegree[c] += 1;
    }
    let out = |v: usize| tails.of(v).iter().map(|&k| (edges[k].1, edges[k].2));
    let mut order: Vec<usize> = (0..nodes).filter(|&v| indegree[v] == 0).collect();
    let mut next = 0;
    while let Some(&v) = order.get(next) {
        next += 1;
        for (c, _) in out(v) {
            indegree[c] -= 1;
            if indegree[c] == 0 {
                order.push(c);
            }
        }
    }
    if order.len() < nodes {
        return None;
    }
    let mut from = vec![i64::MIN; nodes];
    from[ends.0] = 0;
    for &v in &order {
        if from[v] != i64::MIN {
            for (c, w) in out(v) {
                from[c] = from[c].max(from[v] + w);
            }
        }
    }
    let mut to = vec![i64::MIN; nodes];
    to[ends.1] = 0;
    for &v in order.iter().rev() {
        for (c, w) in out(v) {
            if to[c] != i64::MIN {
                to[v] = to[v].max(to[c] + w);
            }
        }
    }
    let reached = |d: i64| if d == i64::MIN { 0 } else { d };
    Some((from.into_iter().map(reached).collect(), to.into_iter().map(reached).collect(), order))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::{Point, Side};
    use crate::layout::{PlacedBox, PlacedLabel, PlacedText, Route};
    use crate::model::Direction;

    fn text(kind: LineKind, text: &str, x: usize, y: usize) -> PlacedText {
        PlacedText { kind, text: text.into(), width: crate::text::width(text), x, y }
    }

    /// Two boxes one above the other, an arrow down from the wide one into the narrow one, a
    /// label beside it:
    ///
    /// ```text
    /// ┌────────────────────────────┐   rows 0-2, the title 26 cells
    /// │ WWWWWWWWWWWWWWWWWWWWWWWWWW │
    /// └────────────────────────────┘
    ///      │ feeds                     rows 3-5: the arrow in column 5, the label at 7
    ///      │
    ///      ▼
    ///   ┌─────┐                        rows 6-8
    ///   │  b  │
    ///   └─────┘
    /// ```
    fn two_ranks() -> Layout {
        let wide = "W".repeat(26);
        Layout {
            title: None,
            direction: Direction::Down,
            width: 30,
            height: 9,
            boxes: vec![
                PlacedBox {
                    id: "a".into(),
                    rect: Rect::new(0, 0, 30, 3),
                    lines: vec![text(LineKind::Title, &wide, 2, 1)],
                },
                PlacedBox {
                    id: "b".into(),
                    rect: Rect::new(2, 6, 7, 3),
                    lines: vec![text(LineKind::Title, "b", 5, 7)],
                },
            ],
            services: vec![],
            groups: vec![],
            routes: vec![Route {
                net: 0,
                edge: Some(0),
                from: Endpoint::Box(0),
                to: Endpoint::Box(1),
                points: vec![Point::new(5, 3), Point::new(5, 5)],
                head: Side::Down,
            }],
            labels: vec![PlacedLabel {
                edge: 0,
                rect: Rect::new(6, 3, 7, 1),
                lines: vec![text(LineKind::Text, "feeds", 7, 3)],
            }],
        }
    }

    /// A box whose title starts at cell `x` of its second row.
    fn boxed(id: &str, rect: Rect, title: &str, x: usize) -> PlacedBox {
        PlacedBox { id: id.into(), rect, lines: vec![text(LineKind::Title, title, x, rect.y + 1)] }
    }

    /// Boxes alone in seven rows `width` cells wide, flowing right.
    fn across(width: usize, boxes: Vec<PlacedBox>) -> Layout {
        Layout {
            title: None,
            direction: Direction::Right,
            width,
            height: 7,
            boxes,
            services: vec![],
            groups: vec![],
            routes: vec![],
            labels: vec![],
        }
    }

    /// Ten pixels a letter, bold or not.
    fn measure(text: &str, _bold: bool) -> i64 {
        10 * i64::try_from(crate::text::width(text)).unwrap_or(0)
    }

    #[test]
    fn a_wide_title_in_one_rank_does_not_widen_another_ranks_box() {
        let columns = row_columns(&two_ranks(), measure).expect("the glue holds");
        let sides = |left: usize, right: usize, y: usize| {
            (columns.cell(left, y).0, columns.cell(right, y).1)
        };
        // The wide box holds its 260 px title, 4 px of padding and a 10 px border each side.
        let (a0, a1) = sides(0, 29, 1);
        assert_eq!(a1 - a0, 10 + 4 + 260 + 4 + 10);
        // The narrow one is far narrower: at least its own 10 px letter and two padding cells
        // each side, no more than that and the room its entering arrow keeps from its sides
        // (each side stands midway in its own room, so not always the least).
        let (b0, b1) = sides(2, 8, 7);
        let least = 10 + 2 * 4 + 10 + 2 * 4 + 10;
        assert!(b1 - b0 >= least && b1 - b0 < 2 * least, "{b0}..{b1}");
        // Its sides stand at one place in all its rows.
        for y in 6..9 {
            assert_eq!(sides(2, 8, y), (b0, b1), "row {y}");
        }
        // The arrow runs straight down (one x in its rows), leaves the wide box within it and
        // enters the narrow one between its sides.
        let x = columns.cell(5, 3).0;
        for y in 3..6 {
            assert_eq!(columns.cell(5, y).0, x, "row {y}");
        }
        assert!(a0 < x && x < a1 && b0 < x && x + 10 < b1, "{a0} {x} {a1} / {b0} {b1}");
        // The label stays beside its line: a stroke and one blank cell to its right.
        assert_eq!(columns.cell(7, 3).0, x + 10 + 4);
        assert_eq!(columns.width(), a1);
    }

    #[test]
    fn a_service_at_the_left_edge_gets_a_column_for_its_outline() {
        // Its outline stands in the column before its text, which the layout does not have:
        // the grid gets one in front, room for the outline's side before the text.
        let mut layout = two_ranks();
        layout.services.push(crate::layout::PlacedService {
            id: "s".into(),
            rect: Rect::new(0, 4, 1, 1),
            lines: vec![text(LineKind::Title, "s", 0, 4)],
        });
        let columns = row_columns(&layout, measure).expect("the glue holds");
        assert!(columns.col(0, 4) >= STROKE, "{}", columns.col(0, 4));
        // The layout's columns keep their order and every row its room.
        for y in 0..layout.height {
            for x in 0..layout.width {
                let (left, right) = columns.cell(x, y);
                assert!(left <= right && right <= columns.col(x + 1, y), "cell {x} of row {y}");
            }
        }
        // A pixel finds its own column again, not the one in front.
        assert_eq!(columns.column_at(columns.col(0, 4), 4), 0);
        assert_eq!(columns.column_at(columns.col(5, 3), 3), 5);
    }

    #[test]
    fn a_service_stands_centred_on_the_arrow_it_sends() {
        // Midway between the two packings a service's outline stood to one side of its trunk
        // (Feature flags and Config service in shared-services); the text centres it on it.
        let yaml = include_str!("../../../../bench/quality/specs/shared-services.yaml");
        let d = crate::Diagram::from_spec(&crate::parse(yaml).expect("a spec")).expect("ok");
        let layout = crate::layout(&d, &crate::layout::LayoutOptions::default());
        let columns = row_columns(&layout, measure).expect("the glue holds");
        let mut checked = 0;
        for (k, service) in layout.services.iter().enumerate() {
            let starts: Vec<_> = layout
                .routes
                .iter()
                .filter(|r| r.from == Endpoint::Service(k))
                .filter_map(|r| r.points.first())
                .collect();
            let Some(&&p) = starts.first() else { continue };
            if starts.iter().any(|q| q.x != p.x) {
                continue;
            }
            let (a, b) = columns.cell(p.x, p.y);
            let trunk = (a + b) / 2;
            let rect = service.rect;
            let left = columns.cell(rect.x - 1, p.y).1;
            let right = columns.cell(rect.right(), p.y).0;
            let off = trunk - (left + right) / 2;
            // Audit log has Secrets manager's outline right beside it: no room to move.
            if service.id != "audit-log" {
                assert!(off.abs() <= STROKE / 2, "{}: {off} px off its trunk", service.id);
                checked += 1;
            }
        }
        assert_eq!(checked, 3, "services with one trunk and room beside them");
    }

    #[test]
    fn a_labels_shorter_line_stands_flush_with_the_line_set_against_the_arrow() {
        // A two-line label left of an arrow running down column 20: its first line ends one
        // blank cell before the arrow and is set against it, the second (two letters, thirteen
        // blank cells from the arrow in its row) is set flush with the first, as drawn.
        let mut layout = two_ranks();
        layout.boxes[1] = boxed("b", Rect::new(17, 6, 7, 3), "b", 20);
        layout.routes[0].points = vec![Point::new(20, 3), Point::new(20, 5)];
        layout.labels[0] = PlacedLabel {
            edge: 0,
            rect: Rect::new(4, 3, 16, 2),
            lines: vec![
                text(LineKind::Text, "a longer label", 5, 3),
                text(LineKind::Text, "ab", 5, 4),
            ],
        };
        let columns = row_columns(&layout, measure).expect("the glue holds");
        let first = columns.cell(18, 3).1;
        assert_eq!(columns.cell(6, 4).1, first);
        assert_eq!(columns.cell(20, 3).0, first + BLANK);
    }

    #[test]
    fn a_box_with_room_beside_it_hugs_its_text() {
        // The narrow box stands in 30 columns of free room on its right in its own rows: its
        // sides come in to its letter and padding, not midway into that room.
        let mut layout = two_ranks();
        layout.width = 60;
        layout.boxes[0].rect.width = 60;
        let columns = row_columns(&layout, measure).expect("the glue holds");
        let (b0, b1) = (columns.cell(2, 7).0, columns.cell(8, 7).1);
        assert_eq!(b1 - b0, 10 + 2 * 4 + 10 + 2 * 4 + 10, "{b0}..{b1}");
    }

    #[test]
    fn a_boxs_border_keeps_one_blank_between_what_runs_into_it() {
        // A box's border between its corners in cells 3..15 of a row: any stretch of it counts
        // as one blank cell, the blank cells around it four pixels each.
        let blank = Blanks(&[(3, 15), (20, 22)]);
        assert_eq!(blank.px(3, 11), BLANK);
        assert_eq!(blank.px(4, 5), BLANK);
        assert_eq!(blank.px(0, 3), 3 * BLANK);
        assert_eq!(blank.px(0, 11), 4 * BLANK);
        assert_eq!(blank.px(15, 17), 2 * BLANK);
        assert_eq!(blank.px(16, 22), 4 * BLANK + BLANK);
        assert_eq!(blank.px(5, 5), 0);
    }

    #[test]
    fn in_a_flow_across_a_ranks_boxes_share_a_middle() {
        // A wide box over a narrow one in the same rank (their columns overlap), a box left of
        // the narrow one in its rows: the narrow box's middle comes to the wide one's.
        //
        //           ┌──────────────────┐   rows 0-2, cells 10-29
        //           │ AAAAAAAAAAAAAAAA │
        //           └──────────────────┘
        // ┌────┐      ┌──────┐             rows 4-6: C in cells 0-5, B in 12-19
        // │ CC │      │ BBBB │
        // └────┘      └──────┘
        let mut layout = across(
            30,
            vec![
                boxed("a", Rect::new(10, 0, 20, 3), &"A".repeat(16), 12),
                boxed("c", Rect::new(0, 4, 6, 3), "CC", 2),
                boxed("b", Rect::new(12, 4, 8, 3), "BBBB", 14),
            ],
        );
        let middle = |columns: &RowColumns, left: usize, right: usize, y: usize| {
            columns.cell(left, y).0 + columns.cell(right, y).1
        };
        let columns = row_columns(&layout, measure).expect("the glue holds");
        assert_eq!(middle(&columns, 10, 29, 1), middle(&columns, 12, 19, 5));
        // B is as wide as its text, padding and sides: drawn in, then moved whole.
        assert_eq!(columns.cell(19, 5).1 - columns.cell(12, 5).0, 10 + 4 + 40 + 4 + 10);
        // Flowing down, the two are in different ranks: nothing lines them up.
        layout.direction = Direction::Down;
        let columns = row_columns(&layout, measure).expect("the glue holds");
        assert_ne!(middle(&columns, 10, 29, 1), middle(&columns, 12, 19, 5));
    }

    #[test]
    fn a_box_with_no_room_of_its_own_pushes_what_follows_to_line_up() {
        // As above, with D right after B in its rows: the row is a chain at its least length,
        // so B reaches A's middle only by pushing D along, into the room the row has left.
        let layout = across(
            34,
            vec![
                boxed("a", Rect::new(10, 0, 24, 3), &"A".repeat(20), 12),
                boxed("c", Rect::new(0, 4, 6, 3), "CC", 2),
                boxed("b", Rect::new(12, 4, 8, 3), "BBBB", 14),
                boxed("d", Rect::new(21, 4, 6, 3), "DD", 23),
            ],
        );
        let columns = row_columns(&layout, measure).expect("the glue holds");
        let edges = |left: usize, right: usize, y: usize| {
            (columns.cell(left, y).0, columns.cell(right, y).1)
        };
        let ((a0, a1), (b0, b1), (d0, _)) = (edges(10, 33, 1), edges(12, 19, 5), edges(21, 26, 5));
        assert_eq!(a0 + a1, b0 + b1, "A {a0}..{a1}, B {b0}..{b1}");
        // D keeps its blank cell's room after B, and the drawing its width.
        assert!(d0 >= b1 + 4, "B ends at {b1}, D starts at {d0}");
        assert_eq!(columns.width(), a1);
    }

    #[test]
    fn the_middle_most_boxes_reach_is_the_nearest_to_their_median() {
        let reach = [(0, 10), (5, 20), (30, 40)];
        // Two reach 5..=10: the median itself when it lies there, else the nearest end.
        assert_eq!(most_reached(&reach, 7), 7);
        assert_eq!(most_reached(&reach, 25), 10);
        assert_eq!(most_reached(&reach, -3), 5);
        // One each: the nearest to the median, the leftmost of two as near.
        assert_eq!(most_reached(&[(0, 2), (10, 12)], 5), 2);
        assert_eq!(most_reached(&[(0, 2), (8, 10)], 5), 2);
        assert_eq!(most_reached(&[(0, 2), (7, 10)], 5), 7);
        // A point shared by all.
        assert_eq!(most_reached(&[(3, 3), (0, 9), (3, 8)], 6), 3);
    }
}
