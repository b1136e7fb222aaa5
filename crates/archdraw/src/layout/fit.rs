//! Fitting: the per-piece engine (`lay_out`) run as often as a width limit needs, and its
//! layouts composed, so that a drawing meets `max_width` with its words whole.
//!
//! This is the outermost step of [`super::layout`]: it decides what `lay_out` is asked to
//! draw (which part of the diagram, which way, with text wrapped how wide) and keeps the best
//! answer. First the diagram's disconnected parts are split apart ([`compose::components`]),
//! each fitted alone and then packed in rows and columns. Each part then climbs the ladder
//! (research note `layered-layout.md` §5):
//!
//! 1. as asked: if it fits, that is the drawing;
//! 2. text wrapped narrower, at spaces;
//! 3. a flow across wrapped into rows ([`super::cuts`], [`compose::stack`]), or a flow down
//!    whose ranks are too wide split into slices drawn one under another;
//! 4. the flow turned down, with boxes wider than usual when that makes it shorter;
//!
//! and of every drawing tried the best is kept ([`Score`]): one that fits beats one that does
//! not, fewer broken words beat more, then the smaller area, a turned flow or arrows run back
//! across the drawing counting as extra area. Words are broken only where a width limit leaves
//! no room for them whole ([`content::Wrap::word_cap`]), so every rung keeps them whole when it
//! can. How many drawings are tried is bounded by [`budget::Tries`]: each is a whole layout.

use super::budget::{self, Tries};
use super::bus;
use super::compose::{self, Partition, Placed};
use super::content::{self, BOX_PAD_ACROSS, Wrap};
use super::cuts::Blocks;
use super::frames::TitleFit;
use super::types::Layout;
use super::{DEFAULT_WRAP, layout_once};
use crate::model::{Diagram, Direction};

/// Wrap widths tried, widest first, when a width limit is set: down to eight cells, below
/// which a box holds too few letters of a word to read it.
const WRAPS: [usize; 8] = [24, 20, 18, 16, 14, 12, 10, 8];

/// Wider wraps tried for a flow down: a box as wide as its title makes a shorter drawing.
const WIDE_WRAPS: [usize; 2] = [36, 30];

/// A layout, how its frame titles came out, and what it cost the reader.
#[derive(Debug)]
pub(super) struct Fitted {
    pub layout: Layout,
    pub titles: TitleFit,
    /// Arrows run from one row of a wrapped flow to another.
    pub wrapped: usize,
    /// Words broken to make it fit.
    pub broken: usize,
    /// Cells where lines of two different nets cross.
    pub crossings: usize,
}

impl Fitted {
    fn new(layout: Layout, titles: TitleFit, wrapped: usize, broken: usize) -> Self {
        let crossings = crossings(&layout);
        Fitted { layout, titles, wrapped, broken, crossings }
    }
}

/// Past this many pairs of a horizontal and a vertical segment, crossings are not counted
/// (every candidate of such a diagram then counts 0): the ladder compares them pair by pair.
const MOST_SEGMENT_PAIRS: usize = 4_000_000;

/// Cells where a horizontal segment of one net passes through a vertical one of another,
/// both straight there (not at an end or a corner).
fn crossings(layout: &Layout) -> usize {
    let (mut across, mut down) = (Vec::new(), Vec::new());
    for r in &layout.routes {
        for w in r.points.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a.y == b.y && a.x != b.x {
                across.push((r.net, a.y, a.x.min(b.x), a.x.max(b.x)));
            } else if a.x == b.x && a.y != b.y {
                down.push((r.net, a.x, a.y.min(b.y), a.y.max(b.y)));
            }
        }
    }
    if across.len().saturating_mul(down.len()) > MOST_SEGMENT_PAIRS {
        return 0;
    }
    let mut cells: Vec<(usize, usize)> = Vec::new();
    for &(net, y, x0, x1) in &across {
        for &(other, x, y0, y1) in &down {
            if net != other && x0 < x && x < x1 && y0 < y && y < y1 {
                cells.push((x, y));
            }
        }
    }
    cells.sort_unstable();
    cells.dedup();
    cells.len()
}

/// How good a fit is: lower is better, compared in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    /// How many columns past the limit (0 when it fits).
    over: usize,
    broken: usize,
    /// Area, a turned flow and arrows between rows counted extra.
    cost: u64,
}

impl Fitted {
    fn score(&self, limit: usize, asked: Direction) -> Score {
        let l = &self.layout;
        let area = (l.width as u64) * (l.height as u64);
        // A flow turned from the way the spec asked reads worse than one kept: a fifth more.
        let turned = if l.direction == asked { 5 } else { 6 };
        // Each arrow run back across the drawing to the next row costs a tenth more, each
        // crossing of two lines a fifth: rows that save area by crossing lines read worse.
        let cost = area * turned * (10 + self.wrapped as u64 + 2 * self.crossings as u64);
        Score { over: l.width.saturating_sub(limit), broken: self.broken, cost }
    }
}

/// Without a width limit, a word is kept whole up to this many cells: a box as wide as an
/// 80-column terminal. Only a longer one (a hash, a URL with no break) is broken.
const UNLIMITED_WORD_CAP: usize = 76;

/// The words `limit` leaves room for whole in a box: its text, less border and padding.
fn word_cap(limit: Option<usize>) -> usize {
    limit.map_or(UNLIMITED_WORD_CAP, |l| l.saturating_sub(BOX_PAD_ACROSS as usize))
}

/// The layout of `diagram` that fits `limit` columns best (see the module notes); without a
/// limit, the layout as asked, its disconnected parts packed.
pub(super) fn fit_width(diagram: &Diagram, limit: Option<usize>) -> (Layout, TitleFit) {
    let mut tries = Tries::new(diagram);
    let parts = compose::components(diagram);
    if parts.pieces <= 1 {
        let fitted = fit_part(diagram, limit, &mut tries);
        return (fitted.layout, fitted.titles);
    }
    let pieces = parts.pieces(diagram);
    let fitted: Vec<Fitted> =
        pieces.iter().map(|p| fit_part(&p.diagram, limit, &mut tries)).collect();
    let sizes: Vec<(usize, usize)> =
        fitted.iter().map(|f| (f.layout.width, f.layout.height)).collect();
    let at = compose::pack(&sizes, compose::pack_target(&sizes, limit));
    let titles: Vec<TitleFit> = fitted.iter().map(|f| f.titles.clone()).collect();
    let titles = compose::merged_titles(&pieces, &titles);
    // The drawing's direction is its largest part's.
    let largest = (0..pieces.len()).max_by_key(|&k| (pieces[k].nodes.len(), usize::MAX - k));
    let direction = largest.map_or(diagram.direction, |k| fitted[k].layout.direction);
    let placed = pieces
        .iter()
        .zip(fitted)
        .zip(at)
        .map(|((piece, f), at)| Placed { piece, layout: f.layout, at })
        .collect();
    (compose::merge(diagram, direction, placed, Vec::new(), Vec::new()), titles)
}

/// One connected diagram climbing the ladder.
fn fit_part(diagram: &Diagram, limit: Option<usize>, tries: &mut Tries) -> Fitted {
    let asked = diagram.direction;
    let cap = word_cap(limit);
    if bus::applies(diagram) {
        return fit_bus(diagram, limit, cap);
    }
    let elements = budget::elements(diagram);
    let once = |direction: Direction, width: usize| {
        let wrap = Wrap { width, word_cap: cap };
        let (layout, titles) = layout_once(diagram, direction, wrap);
        Fitted::new(layout, titles, 0, content::broken_words(diagram, wrap))
    };
    let natural = once(asked, DEFAULT_WRAP);
    let Some(limit) = limit else { return natural };
    if natural.layout.width <= limit || !tries.spend(elements) {
        return natural;
    }
    let mut ladder =
        Ladder { best: natural, limit, asked, tries, elements, done: [false; 3], spent: false };
    let whole = ladder.best.layout.clone();
    ladder.rows(diagram, DEFAULT_WRAP, cap, &whole);
    let turned = if asked.is_vertical() { asked } else { Direction::Down };
    let wide = if asked.is_vertical() { &WIDE_WRAPS[..] } else { &[36, 30, DEFAULT_WRAP][..] };
    for &width in wide {
        if let Some(whole) = ladder.offer(Mode::Turned, || once(turned, width)) {
            ladder.rows(diagram, width, cap, &whole);
        }
    }
    for width in WRAPS.into_iter().skip(1) {
        if let Some(whole) = ladder.offer(Mode::Asked, || once(asked, width)) {
            ladder.rows(diagram, width, cap, &whole);
        }
        if !asked.is_vertical()
            && let Some(whole) = ladder.offer(Mode::Turned, || once(turned, width))
        {
            ladder.rows(diagram, width, cap, &whole);
        }
    }
    ladder.best
}

/// Boxes served by one service and joined by nothing else ([`bus`]): rows of boxes, their text
/// wrapped narrower only while a box alone is wider than `limit`.
fn fit_bus(diagram: &Diagram, limit: Option<usize>, cap: usize) -> Fitted {
    let mut best: Option<Fitted> = None;
    for width in WRAPS {
        let wrap = Wrap { width, word_cap: cap };
        let (layout, titles) = bus::lay_out(diagram, limit, wrap);
        let fits = limit.is_none_or(|l| layout.width <= l);
        let fitted = Fitted::new(layout, titles, 0, content::broken_words(diagram, wrap));
        if fits || best.as_ref().is_some_and(|b| fitted.layout.width >= b.layout.width) {
            return if fits { fitted } else { best.unwrap_or(fitted) };
        }
        best = Some(fitted);
    }
    best.expect("WRAPS is not empty")
}

/// The rungs of the ladder, each stopped at its first fit: narrower text in the same mode
/// gives taller boxes, rarely a better drawing.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// The flow as asked, text narrower.
    Asked,
    /// The flow wrapped into rows.
    Rows,
    /// The flow turned down (or, for a flow down, its boxes wider).
    Turned,
}

/// The best drawing so far, and what is left to try.
struct Ladder<'t> {
    best: Fitted,
    limit: usize,
    asked: Direction,
    tries: &'t mut Tries,
    elements: usize,
    /// Modes that have fitted (indexed by `Mode as usize`).
    done: [bool; 3],
    /// The budget is spent.
    spent: bool,
}

impl Ladder<'_> {
    /// Tries a drawing of `mode`, unless that mode has fitted or the budget is spent, and keeps
    /// it if it beats the best so far. Returns its layout if it was made and does not fit (the
    /// rows rung cuts it).
    fn offer(&mut self, mode: Mode, make: impl FnOnce() -> Fitted) -> Option<Layout> {
        if self.spent || self.done[mode as usize] {
            return None;
        }
        let fitted = make();
        self.spent = !self.tries.spend(self.elements);
        let fits = fitted.layout.width <= self.limit;
        self.done[mode as usize] |= fits;
        let layout = (!fits).then(|| fitted.layout.clone());
        self.keep(fitted);
        layout
    }

    fn keep(&mut self, fitted: Fitted) {
        if fitted.score(self.limit, self.asked) < self.best.score(self.limit, self.asked) {
            self.best = fitted;
        }
    }

    /// The flow of `whole` (the diagram drawn its way, text wrapped at `width`) wrapped
    /// into about as few rows as its measured width needs: one fewer, as many, one more.
    fn rows(&mut self, diagram: &Diagram, width: usize, cap: usize, whole: &Layout) {
        if self.spent || self.done[Mode::Rows as usize] || whole.width <= self.limit {
            return;
        }
        if diagram.nodes.len() > ROWS_MOST_BOXES || diagram.edges.len() > ROWS_MOST_ARROWS {
            return;
        }
        let blocks = Blocks::of(diagram, whole);
        let Some(fewest) = blocks.fewest_pieces(self.limit) else { return };
        let wrap = Wrap { width, word_cap: cap };
        // Measured on the whole drawing, a piece is wider than it will be alone (its last
        // channel, labels of arrows elsewhere): one row fewer may fit too.
        let loose = self.limit + self.limit / 4;
        let tries =
            [(fewest.saturating_sub(1), loose), (fewest, self.limit), (fewest + 1, self.limit)];
        for (pieces, room) in tries.into_iter().filter(|&(k, _)| k >= 2) {
            let Some(starts) = blocks.cut(pieces, room) else { continue };
            let partition: Partition = blocks.partition(&starts);
            let stacked = compose::stack(diagram, &partition, whole, wrap, self.limit);
            self.spent = !self.tries.spend(self.elements);
            if let Some((layout, titles, wrapped)) = stacked {
                self.done[Mode::Rows as usize] |= layout.width <= self.limit;
                let broken = content::broken_words(diagram, wrap);
                self.keep(Fitted::new(layout, titles, wrapped, broken));
            }
            if self.spent {
                return;
            }
        }
    }
}

/// Flows wrapped into rows route their arrows between rows cell by cell: past this many
/// boxes or arrows the ladder does without rows.
const ROWS_MOST_BOXES: usize = 300;
const ROWS_MOST_ARROWS: usize = 600;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::{Point, Side};
    use crate::layout::types::{Endpoint, Route};

    fn route(net: usize, points: &[(usize, usize)]) -> Route {
        Route {
            net,
            edge: None,
            from: Endpoint::Box(0),
            to: Endpoint::Box(1),
            points: points.iter().map(|&(x, y)| Point::new(x, y)).collect(),
            head: Side::Down,
        }
    }

    fn layout_of(routes: Vec<Route>) -> Layout {
        Layout {
            title: None,
            direction: Direction::Right,
            width: 20,
            height: 20,
            boxes: Vec::new(),
            services: Vec::new(),
            groups: Vec::new(),
            routes,
            labels: Vec::new(),
        }
    }

    #[test]
    fn crossings_count_lines_of_other_nets_passing_straight_through() {
        // A plus: one crossing; the same lines in one net (a trunk): none.
        let plus = [route(0, &[(0, 5), (10, 5)]), route(1, &[(5, 0), (5, 10)])];
        assert_eq!(crossings(&layout_of(plus.to_vec())), 1);
        let trunk = [route(0, &[(0, 5), (10, 5)]), route(0, &[(5, 0), (5, 10)])];
        assert_eq!(crossings(&layout_of(trunk.to_vec())), 0);
        // A line that ends on another (a T) or turns at it does not cross it.
        let tee = [route(0, &[(0, 5), (10, 5)]), route(1, &[(5, 0), (5, 5)])];
        assert_eq!(crossings(&layout_of(tee.to_vec())), 0);
    }

    #[test]
    fn a_fit_that_crosses_more_lines_costs_more() {
        let fitted = |routes| Fitted::new(layout_of(routes), TitleFit::Fitted { rounds: 1 }, 0, 0);
        let plain = fitted(vec![route(0, &[(0, 5), (10, 5)]), route(1, &[(12, 0), (12, 10)])]);
        let crossed = fitted(vec![route(0, &[(0, 5), (10, 5)]), route(1, &[(5, 0), (5, 10)])]);
        let (asked, limit) = (Direction::Right, 40);
        assert!(plain.score(limit, asked) < crossed.score(limit, asked));
    }
}
