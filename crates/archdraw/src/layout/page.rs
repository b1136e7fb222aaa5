//! What each column and row of a finished layout carries: text, strokes, or neither. The SVG
//! sizes its page grid from this (a text row is a text row high, a stroke-only row just high
//! enough for a line, the rest a few pixels of air), and the page fitting estimates a
//! candidate's shape on the page from it.

use super::types::{Endpoint, Layout, LineKind, Route};
use crate::geom::{Point, Side};
use crate::typeface::{Metrics, PAGE_FONT_SIZE, Typeface};

/// Height of a text row on the page, in pixels: the bundled faces' line box at 16 px (their
/// ascent and descent, 1.36 em, rounded up), so lines of text in rows one under another, and
/// their halos, never overlap; 1.375 em of leading, where a terminal cell's 1.5 em spread a
/// slide's boxes and labels a twelfth taller than they read.
pub(crate) const TEXT_ROW: u64 = 22;
/// Height of a row carrying strokes but no text, as wide as a stroke column: room for a hop's
/// arc over a line (radius 5 px), a rounded corner, half an arrowhead. Most rows of a drawing
/// are such rows (borders, channels' tracks), so each pixel here is a few percent of its height.
pub(crate) const LINE_ROW: u64 = 10;
/// Width of a column carrying strokes but no text: a hop's half width and a rounded corner's
/// radius either side.
pub(crate) const LINE_COLUMN: u64 = 10;
/// Height of a row (width of a column) whose only strokes are arrowheads' last cells, each
/// entering its box straight after a cell of its own line no other line crosses: the head
/// (10 px) reaches from the box's border, half a stroke row (5 px) in, over this row, so a
/// full stroke row would leave a blank before every box a line enters.
pub(crate) const HEAD_ROW: u64 = 6;
/// Height of a row nothing runs along (vertical lines may pass through it): air.
pub(crate) const GAP_ROW: u64 = 4;
/// Width of a column nothing runs down (horizontal lines may pass through it): air.
pub(crate) const GAP_COLUMN: u64 = 4;
/// About how wide a text column comes out on average, for a page's shape in cells (packing
/// parts): the bundled sans averages about 0.55 em a letter, 9 px at 16 px.
pub(crate) const TEXT_COLUMN_ESTIMATE: u64 = 9;
/// The margin around the drawing, in pixels.
pub(crate) const MARGIN: u64 = 24;
/// Width of one terminal cell in pixels: the least width of the column holding an item's
/// bullet (and the SVG's unit past the layout's edge).
pub(crate) const TEXT_CELL_WIDTH: u64 = 12;
/// The narrowest a text column gets: text of thin letters still leaves a box room for its
/// corners.
const MIN_TEXT_COLUMN: i64 = 6;
/// Room a label line's columns keep beyond its measured width.
pub(crate) const LABEL_SLACK: i64 = 4;
/// The least width of the cells either side of a frame's title: the title's halo may use
/// them, but not the frame's rounded corner, which takes the border cell and most of these.
pub(crate) const FRAME_TITLE_SIDE: i64 = 14;

/// What one column or row carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Carries {
    /// Some line of text (a box's, a service's, a label's or a frame's title) lies in it.
    pub(crate) text: bool,
    /// A stroke runs along it or turns in it: a box's or a frame's border, the line a
    /// service's outline runs in, an arrow's corner or end. A straight line only passing
    /// across it does not count: it needs no room there.
    pub(crate) stroke: bool,
    /// An arrow's last cell lies in it, the head ending across it (see [`slim_heads`]), and
    /// no other stroke: it needs a head's room ([`HEAD_ROW`]).
    pub(crate) head: bool,
}

/// The columns and rows of `layout`, in order.
pub(crate) fn carries(layout: &Layout) -> (Vec<Carries>, Vec<Carries>) {
    let mut columns = vec![Carries::default(); layout.width];
    let mut rows = vec![Carries::default(); layout.height];
    let stroke = |tracks: &mut Vec<Carries>, i: Option<usize>| {
        if let Some(track) = i.and_then(|i| tracks.get_mut(i)) {
            track.stroke = true;
        }
    };
    for rect in layout.boxes.iter().map(|b| b.rect).chain(layout.groups.iter().map(|g| g.rect)) {
        stroke(&mut columns, Some(rect.x));
        stroke(&mut columns, rect.right().checked_sub(1));
        stroke(&mut rows, Some(rect.y));
        stroke(&mut rows, rect.bottom().checked_sub(1));
    }
    // A service's text has no border cells: its outline runs in the cells around it.
    for rect in layout.services.iter().map(|s| s.rect) {
        stroke(&mut columns, rect.x.checked_sub(1));
        stroke(&mut columns, Some(rect.right()));
        stroke(&mut rows, rect.y.checked_sub(1));
        stroke(&mut rows, Some(rect.bottom()));
    }
    for (route, slim) in layout.routes.iter().zip(slim_heads(layout)) {
        let skip = usize::from(straight_tail(layout, route));
        let ends = route.points.len().saturating_sub(usize::from(slim));
        for p in route.points.iter().take(ends).skip(skip) {
            stroke(&mut columns, Some(p.x));
            stroke(&mut rows, Some(p.y));
        }
        let Some(p) = route.points.last().filter(|_| slim) else { continue };
        let (along, across) = match route.head {
            Side::Up | Side::Down => (&mut columns[p.x], &mut rows[p.y]),
            Side::Left | Side::Right => (&mut rows[p.y], &mut columns[p.x]),
        };
        along.stroke = true;
        across.head = true;
    }
    for (line, _) in layout.text_lines() {
        let end = line.x.saturating_add(line.width.max(1)).min(columns.len());
        for column in columns.iter_mut().take(end).skip(line.x) {
            column.text = true;
        }
        if let Some(row) = rows.get_mut(line.y) {
            row.text = true;
        }
    }
    (columns, rows)
}

/// Whether `route` leaves its box straight on: its first cell, beside the box, is neither a
/// corner nor an arrowhead, so the line only passes through it and it needs no stroke's room
/// (the line's other end in that row or column has it).
pub(crate) fn straight_tail(layout: &Layout, route: &Route) -> bool {
    let Endpoint::Box(i) = route.from else { return false };
    let (Some(rect), [p, q, ..]) = (layout.boxes.get(i).map(|b| b.rect), route.points.as_slice())
    else {
        return false;
    };
    let beside_rows = p.y >= rect.y && p.y < rect.bottom();
    let beside_columns = p.x >= rect.x && p.x < rect.right();
    (beside_rows && p.x == rect.right() && q.y == p.y && q.x > p.x)
        || (beside_rows && p.x + 1 == rect.x && q.y == p.y && q.x < p.x)
        || (beside_columns && p.y == rect.bottom() && q.x == p.x && q.y > p.y)
        || (beside_columns && p.y + 1 == rect.y && q.x == p.x && q.y < p.y)
}

/// For each route of `layout`, whether its last cell needs only a head's room across the
/// head's direction ([`HEAD_ROW`]): the route ends in a box, straight after a cell of its own
/// line (not a corner, whose rounding would run into the head) that no other line crosses
/// (whose hop would), and no other route has a point in that cell but its own end with the
/// same head (a fan-in's arrows share their head).
pub(crate) fn slim_heads(layout: &Layout) -> Vec<bool> {
    let mut slim = vec![false; layout.routes.len()];
    // Each candidate's head cell and the cell before it, as (row, column, route).
    let mut ends = Vec::new();
    let mut befores = Vec::new();
    for (i, route) in layout.routes.iter().enumerate() {
        let Endpoint::Box(_) = route.to else { continue };
        let [.., p, q] = route.points.as_slice() else { continue };
        if p.x.abs_diff(q.x) + p.y.abs_diff(q.y) < 2 {
            continue;
        }
        let before = match route.head {
            Side::Down => Point::new(q.x, q.y.wrapping_sub(1)),
            Side::Up => Point::new(q.x, q.y + 1),
            Side::Right => Point::new(q.x.wrapping_sub(1), q.y),
            Side::Left => Point::new(q.x + 1, q.y),
        };
        slim[i] = true;
        ends.push((q.y, q.x, i));
        befores.push((before.y, before.x, i));
    }
    if ends.is_empty() {
        return slim;
    }
    ends.sort_unstable();
    befores.sort_unstable();
    let mut befores_by_column: Vec<_> = befores.iter().map(|&(y, x, i)| (x, y, i)).collect();
    befores_by_column.sort_unstable();
    // Routes are few next to cells: each point and straight stretch is looked up in the sorted
    // lists. A stretch crosses the cells strictly inside it.
    let across = |i: usize| matches!(layout.routes[i].head, Side::Left | Side::Right);
    for (j, route) in layout.routes.iter().enumerate() {
        let last = route.points.len().saturating_sub(1);
        for (k, p) in route.points.iter().enumerate() {
            // Another route's head in the cell is the same head (arrows of a fan-in).
            for &(_, _, i) in within(&ends, p.y, p.x, p.x) {
                slim[i] &= k == last && route.head == layout.routes[i].head;
            }
        }
        for w in route.points.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a.y == b.y && a.x.abs_diff(b.x) >= 2 {
                for &(_, _, i) in within(&befores, a.y, a.x.min(b.x) + 1, a.x.max(b.x) - 1) {
                    slim[i] &= i == j || across(i);
                }
            } else if a.x == b.x && a.y.abs_diff(b.y) >= 2 {
                let (lo, hi) = (a.y.min(b.y) + 1, a.y.max(b.y) - 1);
                for &(_, _, i) in within(&befores_by_column, a.x, lo, hi) {
                    slim[i] &= i == j || !across(i);
                }
            }
        }
    }
    slim
}

/// The entries of `list` (sorted by line, then place along it) on line `line` from `lo` to
/// `hi`.
fn within(
    list: &[(usize, usize, usize)],
    line: usize,
    lo: usize,
    hi: usize,
) -> &[(usize, usize, usize)] {
    let from = list.partition_point(|&(l, at, _)| (l, at) < (line, lo));
    let to = list.partition_point(|&(l, at, _)| (l, at) <= (line, hi));
    &list[from..to.max(from)]
}

/// The width of every column and the height of every row of `layout` on the page, in pixels,
/// its text measured with `measure` (the drawn width in pixels of a line; `true` for a title,
/// set bold). The SVG lays its page grid out by these; the page fitting estimates a
/// candidate's shape by them.
///
/// A row carrying text keeps a text row's height, the columns a line of text covers are
/// together as wide as the line measured needs ([`fill`]), and the rest shrink to what strokes
/// need (a line, a rounded corner, a hop, an arrowhead) or to a few pixels of air.
pub(crate) fn track_sizes(
    layout: &Layout,
    measure: impl Fn(&str, bool) -> i64,
) -> (Vec<i64>, Vec<i64>) {
    let (columns, rows) = carries(layout);
    let size = |carries: &Carries, line: u64, gap: u64| {
        let pixels = match carries {
            Carries { stroke: true, .. } => line,
            Carries { head: true, .. } => HEAD_ROW,
            _ => gap,
        };
        i64::try_from(pixels).unwrap_or(i64::MAX)
    };
    let mut widths: Vec<i64> = columns.iter().map(|c| size(c, LINE_COLUMN, GAP_COLUMN)).collect();
    let heights: Vec<i64> = rows
        .iter()
        .map(|r| if r.text { TEXT_ROW as i64 } else { size(r, LINE_ROW, GAP_ROW) })
        .collect();
    // Blocks' lines have padding cells around them; a label's may fill its area, which it
    // keeps 2 px from and starts a little past the line it sits beside.
    let mut needs = Vec::new();
    for (line, label) in layout.text_lines() {
        let slack = if label { LABEL_SLACK } else { 0 };
        let width = measure(&line.text, line.kind == LineKind::Title) + slack;
        let end = line.x.saturating_add(line.width.max(1)).min(widths.len());
        if line.x < end {
            needs.push(TextNeed { start: line.x, end, width, y: line.y });
        }
        for column in widths.iter_mut().take(end).skip(line.x) {
            *column = (*column).max(MIN_TEXT_COLUMN);
        }
        // An item's bullet sits in the cell before its text, a quarter in, as wide as a
        // terminal cell so bullet, gap and text keep their spacing.
        if line.kind == LineKind::Bullet
            && let Some(width) = line.x.checked_sub(1).and_then(|x| widths.get_mut(x))
        {
            *width = (*width).max(TEXT_CELL_WIDTH as i64);
        }
    }
    // The lines needing the most pixels a cell first: they set their columns' widths, and a
    // line needing less then counts what its columns already hold (widened for a line above
    // or below it) before widening any. Giving every line's columns an equal share instead
    // made each column as wide as the widest share over it: drawings 4-11 % wider.
    needs.sort_by(|a, b| {
        let per_cell = |n: &TextNeed| n.width * 1024 / (n.end - n.start) as i64;
        per_cell(b).cmp(&per_cell(a)).then((a.y, a.start).cmp(&(b.y, b.start)))
    });
    for need in &needs {
        fill(&mut widths[need.start..need.end], need.width);
    }
    for title in layout.groups.iter().map(|g| &g.title).filter(|t| !t.text.is_empty()) {
        for x in [title.x.checked_sub(1), title.x.checked_add(title.width)] {
            if let Some(width) = x.and_then(|x| widths.get_mut(x)) {
                *width = (*width).max(FRAME_TITLE_SIDE);
            }
        }
    }
    (widths, heights)
}

/// A line of text: the columns it covers and the pixels it needs across them.
struct TextNeed {
    start: usize,
    end: usize,
    width: i64,
    y: usize,
}

/// Widens `columns` so that together they hold `width` pixels, raising the narrowest first
/// (water-filling): columns already widened for other text keep their width and count
/// towards this line's, and the rest rise to one level.
fn fill(columns: &mut [i64], width: i64) {
    let held: i64 = columns.iter().sum();
    if held >= width || columns.is_empty() {
        return;
    }
    // The lowest level that holds `width`: what the columns hold with every narrower one
    // raised to it grows with the level, so a binary search finds it.
    let holds = |level: i64| columns.iter().map(|&c| c.max(level)).sum::<i64>() >= width;
    let (mut low, mut high) = (0, width);
    while low < high {
        let mid = low + (high - low) / 2;
        if holds(mid) { high = mid } else { low = mid + 1 }
    }
    for column in columns.iter_mut() {
        *column = (*column).max(low);
    }
}

/// How large `layout` comes out on the page, in pixels, margin included: its tracks sized as
/// the SVG sizes them ([`track_sizes`]), its text measured in the default typeface (another
/// typeface draws a little wider or narrower).
pub(crate) fn estimated_size(layout: &Layout) -> (u64, u64) {
    let regular = Metrics::new(Typeface::Sans, false);
    let bold = Metrics::new(Typeface::Sans, true);
    let measure = |text: &str, is_bold: bool| {
        if is_bold { &bold } else { &regular }.pixels(text, PAGE_FONT_SIZE)
    };
    let (widths, heights) = track_sizes(layout, measure);
    let total = |sizes: Vec<i64>| sizes.into_iter().map(i64::unsigned_abs).sum::<u64>();
    let width = match super::row_columns::row_columns(layout, measure) {
        Some(columns) => columns.width().unsigned_abs(),
        None => total(widths),
    };
    (2 * MARGIN + width, 2 * MARGIN + total(heights))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::{Point, Rect, Side};
    use crate::layout::{Endpoint, LineKind, PlacedBox, PlacedText, Route};
    use crate::model::Direction;

    #[test]
    fn text_borders_and_arrow_turns_are_told_from_lines_passing_and_blank_space() {
        // ┌────┐
        // │ A  │──┐     column 8 holds the arrow's corner, 6-7 only the line passing along
        // └────┘  │     row 2: a border and a vertical line passing down
        //         ▼     row 3: the arrow's end
        let title = PlacedText { kind: LineKind::Title, text: "A".into(), width: 1, x: 2, y: 1 };
        let layout = Layout {
            title: None,
            direction: Direction::Right,
            width: 10,
            height: 5,
            boxes: vec![PlacedBox {
                id: "a".into(),
                rect: Rect::new(0, 0, 6, 3),
                lines: vec![title],
            }],
            services: vec![],
            groups: vec![],
            routes: vec![Route {
                net: 0,
                edge: None,
                from: Endpoint::Box(0),
                to: Endpoint::Box(0),
                points: vec![Point::new(6, 1), Point::new(8, 1), Point::new(8, 3)],
                head: Side::Down,
            }],
            labels: vec![],
        };
        let (columns, rows) = carries(&layout);
        let kinds = |tracks: &[Carries]| -> String {
            tracks
                .iter()
                .map(|t| match (t.text, t.stroke, t.head) {
                    (true, _, _) => 'T',
                    (false, true, _) => 'S',
                    (false, false, true) => 'H',
                    (false, false, false) => '.',
                })
                .collect()
        };
        // The arrow leaves the box straight on: its first cell (6) only passes the line on;
        // its head's row (3) needs only a head's room, after a straight cell of its line.
        assert_eq!(kinds(&columns), "S.T..S..S.");
        assert_eq!(kinds(&rows), "STSH.");
        // Three stroke columns, five gaps, one text column as wide as a bold "A" (rounded up
        // to even pixels) and, past the arrow's corner, a column nothing uses in any row (two
        // pixels); a text row, three stroke rows, a gap.
        let a = Metrics::new(Typeface::Sans, true).pixels("A", PAGE_FONT_SIZE);
        let text = (a + a % 2).unsigned_abs();
        assert!((9..=14).contains(&text), "{text} px");
        let width = 2 * MARGIN + 3 * LINE_COLUMN + 5 * GAP_COLUMN + 2 + text;
        let height = 2 * MARGIN + TEXT_ROW + 2 * LINE_ROW + HEAD_ROW + GAP_ROW;
        assert_eq!(estimated_size(&layout), (width, height));
    }

    #[test]
    fn a_line_leaving_its_box_straight_on_only_passes_through_its_first_cell() {
        let box_at = |rect| PlacedBox { id: "a".into(), rect, lines: vec![] };
        let route = |from, points: &[(usize, usize)]| Route {
            net: 0,
            edge: None,
            from,
            to: Endpoint::Box(0),
            points: points.iter().map(|&(x, y)| Point::new(x, y)).collect(),
            head: Side::Down,
        };
        let layout = Layout {
            title: None,
            direction: Direction::Right,
            width: 20,
            height: 20,
            boxes: vec![box_at(Rect::new(5, 5, 6, 3))],
            services: vec![],
            groups: vec![],
            routes: vec![],
            labels: vec![],
        };
        let straight =
            |from, points: &[(usize, usize)]| straight_tail(&layout, &route(from, points));
        let a = Endpoint::Box(0);
        // Out of each side, on along the way it left.
        assert!(straight(a, &[(11, 6), (15, 6)]));
        assert!(straight(a, &[(4, 6), (1, 6)]));
        assert!(straight(a, &[(7, 8), (7, 12)]));
        assert!(straight(a, &[(7, 4), (7, 1)]));
        // Turning in its first cell, or back along the box, it needs a corner's room there.
        assert!(!straight(a, &[(11, 6), (11, 12)]));
        assert!(!straight(a, &[(7, 8), (12, 8)]));
        assert!(!straight(a, &[(11, 6), (9, 6)]));
        // From a corner cell of the box's row or column, or from a service: not a box's side.
        assert!(!straight(a, &[(11, 4), (15, 4)]));
        assert!(!straight(Endpoint::Service(0), &[(11, 6), (15, 6)]));
        assert!(!straight(a, &[(11, 6)]));
    }

    #[test]
    fn a_head_needs_only_its_own_room_after_a_straight_uncrossed_cell_of_its_line() {
        // Box B at rows 6-8; arrows end in row 5 above it, going down.
        let box_at = |rect| PlacedBox { id: "b".into(), rect, lines: vec![] };
        let route = |net, to, points: &[(usize, usize)], head| Route {
            net,
            edge: None,
            from: Endpoint::Box(0),
            to,
            points: points.iter().map(|&(x, y)| Point::new(x, y)).collect(),
            head,
        };
        let layout = |routes| Layout {
            title: None,
            direction: Direction::Down,
            width: 30,
            height: 12,
            boxes: vec![box_at(Rect::new(0, 0, 4, 3)), box_at(Rect::new(2, 6, 20, 3))],
            services: vec![],
            groups: vec![],
            routes,
            labels: vec![],
        };
        let b = Endpoint::Box(1);
        let straight = route(0, b, &[(3, 3), (3, 5)], Side::Down);
        let turning = route(1, b, &[(6, 4), (8, 4), (8, 5)], Side::Down);
        let into_service = route(2, Endpoint::Service(0), &[(11, 3), (11, 5)], Side::Down);
        let crossed = route(3, b, &[(14, 2), (14, 5)], Side::Down);
        let crossing = route(4, Endpoint::Box(0), &[(12, 4), (17, 4), (17, 5)], Side::Down);
        let shared = route(5, b, &[(20, 2), (20, 5)], Side::Down);
        let sharing = route(6, Endpoint::Box(0), &[(22, 5), (20, 5)], Side::Left);
        // A fan-in: two arrows joining before their one head.
        let fan = route(7, b, &[(25, 2), (25, 5)], Side::Down);
        let joining = route(7, b, &[(28, 1), (28, 3), (25, 3), (25, 5)], Side::Down);
        let slim = slim_heads(&layout(vec![
            straight,
            turning,
            into_service,
            crossed,
            crossing,
            shared,
            sharing,
            fan,
            joining,
        ]));
        // The first and the fan-in's; the others turn just before the head (8, 17), end in a
        // service (11), are crossed just before it (14) or share the head's cell with another
        // head (20, 20).
        assert_eq!(slim, [true, false, false, false, false, false, false, true, true]);
    }

    #[test]
    fn a_line_counts_what_its_columns_hold_and_raises_the_narrowest() {
        // A column widened to 20 px for the line above, three at the least text width: 50 px
        // of text raise the three to 10 each (an equal share would make each 13).
        let mut columns = [20, 6, 6, 6];
        fill(&mut columns, 50);
        assert_eq!(columns, [20, 10, 10, 10]);
        // Already holding it: nothing changes.
        fill(&mut columns, 45);
        assert_eq!(columns, [20, 10, 10, 10]);
        // Not divisible: the level is the least that holds it.
        let mut columns = [4, 4, 4];
        fill(&mut columns, 31);
        assert_eq!(columns, [11, 11, 11]);
    }
}
