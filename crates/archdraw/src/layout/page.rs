//! What each column and row of a finished layout carries: text, strokes, or neither. The SVG
//! sizes its page grid from this (a text row is a text row high, a stroke-only row just high
//! enough for a line, the rest a few pixels of air), and the page fitting estimates a
//! candidate's shape on the page from it.

use super::types::{Endpoint, Layout, LineKind, Route};
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
    for route in &layout.routes {
        let skip = usize::from(straight_tail(layout, route));
        for p in route.points.iter().skip(skip) {
            stroke(&mut columns, Some(p.x));
            stroke(&mut rows, Some(p.y));
        }
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
        i64::try_from(if carries.stroke { line } else { gap }).unwrap_or(i64::MAX)
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
                .map(|t| match (t.text, t.stroke) {
                    (true, _) => 'T',
                    (false, true) => 'S',
                    (false, false) => '.',
                })
                .collect()
        };
        // The arrow leaves the box straight on: its first cell (6) only passes the line on.
        assert_eq!(kinds(&columns), "S.T..S..S.");
        assert_eq!(kinds(&rows), "STSS.");
        // Three stroke columns, five gaps, one text column as wide as a bold "A" (rounded up
        // to even pixels) and, past the arrow's corner, a column nothing uses in any row (two
        // pixels); a text row, three stroke rows, a gap.
        let a = Metrics::new(Typeface::Sans, true).pixels("A", PAGE_FONT_SIZE);
        let text = (a + a % 2).unsigned_abs();
        assert!((9..=14).contains(&text), "{text} px");
        let width = 2 * MARGIN + 3 * LINE_COLUMN + 5 * GAP_COLUMN + 2 + text;
        let height = 2 * MARGIN + TEXT_ROW + 3 * LINE_ROW + GAP_ROW;
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
