//! What each column and row of a finished layout carries: text, strokes, or neither. The SVG
//! sizes its page grid from this (a text row is a text row high, a stroke-only row just high
//! enough for a line, the rest a few pixels of air), and the page fitting estimates a
//! candidate's shape on the page from it.

use super::types::Layout;

/// Height of a text row on the page, in pixels.
pub(crate) const TEXT_ROW: u64 = 24;
/// Height of a row carrying strokes but no text: room for a hop's arc over a line, a rounded
/// corner, half an arrowhead.
pub(crate) const LINE_ROW: u64 = 12;
/// Width of a column carrying strokes but no text: a hop's half width and a rounded corner's
/// radius either side.
pub(crate) const LINE_COLUMN: u64 = 10;
/// Height of a row nothing runs along (vertical lines may pass through it): air.
pub(crate) const GAP_ROW: u64 = 4;
/// Width of a column nothing runs down (horizontal lines may pass through it): air.
pub(crate) const GAP_COLUMN: u64 = 4;
/// About how wide a text column comes out, for estimating a drawing's shape before it is
/// drawn: the bundled sans averages about 0.55 em a letter, 9 px at 16 px (the SVG measures
/// each line).
pub(crate) const TEXT_COLUMN_ESTIMATE: u64 = 9;
/// The margin around the drawing, in pixels.
pub(crate) const MARGIN: u64 = 24;

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
    for p in layout.routes.iter().flat_map(|r| &r.points) {
        stroke(&mut columns, Some(p.x));
        stroke(&mut rows, Some(p.y));
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

/// About how large `layout` comes out on the page, in pixels, margin included: its columns and
/// rows sized as the SVG sizes them, text columns at [`TEXT_COLUMN_ESTIMATE`].
pub(crate) fn estimated_size(layout: &Layout) -> (u64, u64) {
    let (columns, rows) = carries(layout);
    let width: u64 = columns
        .iter()
        .map(|c| match (c.text, c.stroke) {
            (true, stroke) => TEXT_COLUMN_ESTIMATE.max(if stroke { LINE_COLUMN } else { 0 }),
            (false, true) => LINE_COLUMN,
            (false, false) => GAP_COLUMN,
        })
        .sum();
    let height: u64 = rows
        .iter()
        .map(|r| match (r.text, r.stroke) {
            (true, _) => TEXT_ROW,
            (false, true) => LINE_ROW,
            (false, false) => GAP_ROW,
        })
        .sum();
    (2 * MARGIN + width, 2 * MARGIN + height)
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
        assert_eq!(kinds(&columns), "S.T..SS.S.");
        assert_eq!(kinds(&rows), "STSS.");
        // Four stroke columns, five gaps, one text column; a text row, three stroke rows, a gap.
        let width = 2 * MARGIN + 4 * LINE_COLUMN + 5 * GAP_COLUMN + TEXT_COLUMN_ESTIMATE;
        let height = 2 * MARGIN + TEXT_ROW + 3 * LINE_ROW + GAP_ROW;
        assert_eq!(estimated_size(&layout), (width, height));
    }
}
