//! A service serving many boxes that nothing else joins (no arrow, no group): the boxes packed
//! in rows, one bus from the service reaching every row.
//!
//! The layered engine would put such boxes in one rank (they have no arrows to rank them by)
//! and give each its own lane to the service: a drawing as tall as the boxes and as wide as
//! their lanes, the square of their number in cells (issue 11: 10,000 boxes asked for 9.6 GB).
//! Here the boxes fill rows up to the width limit (or a landscape page without one), each
//! row's arrows leave one branch line under it, the branches hang off one trunk down the left
//! edge, and the service sits under the last row, its stem joining that row's branch:
//!
//! ```text
//! ┌────┐    ┌────┐
//! │ b0 │    │ b1 │
//! └────┘    └────┘
//!    ▲         ▲
//!    │         │
//! ┌──┴─────────┘
//! │
//! │ ┌────┐
//! │ │ b2 │
//! │ └────┘
//! │    ▲
//! │    │
//! └────┴─┐
//!        │
//!     config
//! ```
//!
//! One net, every route from the service's stem to one box, so the drawing keeps every rule
//! of [`super::verify`] and reads back as one arrow per served box.

use super::content::Wrap;
use super::frames::TitleFit;
use super::layout_once;
use super::types::{Endpoint, Layout, PlacedText, Route};
use crate::geom::{Point, Rect, Side};
use crate::model::{Diagram, Direction, NodeId, Service};

/// Fewer boxes than this are drawn by the layered engine, whose single row reads as well.
pub(super) const LEAST_BOXES: usize = 6;

/// Blank columns between two boxes of a row.
const GAP_X: usize = 4;

/// Columns left of the boxes: the trunk and a blank.
const TRUNK: usize = 2;

/// Without a width limit, rows are filled towards a drawing this many times as wide as it is
/// tall, in cells (a terminal cell is about twice as tall as wide: a landscape page).
const ASPECT: usize = 3;

/// Whether `diagram` is drawn here: only boxes, at least [`LEAST_BOXES`], no arrow or group,
/// and one service serving every box once.
pub(super) fn applies(diagram: &Diagram) -> bool {
    let [service] = diagram.services.as_slice() else { return false };
    let n = diagram.nodes.len();
    if n < LEAST_BOXES || !diagram.edges.is_empty() || !diagram.groups.is_empty() {
        return false;
    }
    let mut served = vec![false; n];
    service.serves.len() == n
        && service.serves.iter().all(|v| !std::mem::replace(&mut served[v.0], true))
}

/// The layout of a diagram [`applies`] holds for, its rows no wider than `limit` where a box
/// allows, text wrapped at `wrap`.
pub(super) fn lay_out(diagram: &Diagram, limit: Option<usize>, wrap: Wrap) -> (Layout, TitleFit) {
    let service = &diagram.services[0];
    // The boxes as the engine draws them (text wrapped, sized), in one row of a flow down,
    // and the service's block drawn with one box it serves: both then moved into place.
    let boxes_only =
        Diagram { services: Vec::new(), direction: Direction::Down, ..diagram.clone() };
    let (mut boxes, _) = layout_once(&boxes_only, Direction::Down, wrap);
    // The block as a flow right draws it, for the same reason the stem meets it from above:
    // its lines centred, and `stem_at` a column of its first line that takes an arrow (the
    // middle of the block may be blank, or a `-` that would read as the stem going on).
    let with_service = Diagram {
        nodes: vec![diagram.nodes[0].clone()],
        services: vec![Service { serves: vec![NodeId(0)], ..service.clone() }],
        direction: Direction::Right,
        ..boxes_only
    };
    let (mut block, _) = layout_once(&with_service, Direction::Right, wrap);
    let stem_at = block
        .routes
        .iter()
        .find(|r| r.from == Endpoint::Service(0))
        .and_then(|r| r.points.first())
        .map_or(0, |p| p.x)
        .saturating_sub(block.services[0].rect.x);
    let mut block = block.services.swap_remove(0);

    let sizes: Vec<(usize, usize)> =
        boxes.boxes.iter().map(|b| (b.rect.width, b.rect.height)).collect();
    let target = limit.unwrap_or_else(|| page_width(&sizes));
    let rows = balanced_rows(&sizes, target);
    let trunk = if rows.len() > 1 { TRUNK } else { 0 };

    // Rows top to bottom: boxes top-aligned, then the arrowheads' row, a stem row and the
    // branch; a blank row before the next row of boxes.
    let mut branch_of = Vec::with_capacity(rows.len());
    let mut port = vec![0; sizes.len()];
    let mut y = 0;
    let mut width = block.rect.width;
    for row in &rows {
        let mut x = trunk;
        let height = row.clone().map(|v| sizes[v].1).max().unwrap_or(0);
        for v in row.clone() {
            let b = &mut boxes.boxes[v];
            move_to(&mut b.rect, &mut b.lines, x, y);
            port[v] = x + b.rect.width / 2;
            x += b.rect.width + GAP_X;
        }
        width = width.max(x - GAP_X);
        branch_of.push(y + height + 2);
        y += height + 4;
    }
    let last = *branch_of.last().unwrap_or(&0);
    // The service under the last row, its stem a blank column clear of that row's ports (two
    // lines side by side would read as one, or, in ASCII, as a corner).
    let last_ports: Vec<usize> =
        rows.last().map_or(Vec::new(), |r| r.clone().map(|v| port[v]).collect());
    let top = last + 2;
    let mut left = trunk;
    while last_ports.iter().any(|&p| p.abs_diff(left + stem_at) < 2) {
        left += 1;
    }
    let stem = left + stem_at;
    move_to(&mut block.rect, &mut block.lines, left, top);
    width = width.max(block.rect.x + block.rect.width);

    let mut routes = Vec::with_capacity(sizes.len());
    for (r, row) in rows.iter().enumerate() {
        for v in row.clone() {
            let head = boxes.boxes[v].rect.y + boxes.boxes[v].rect.height;
            let mut points = vec![Point::new(stem, top - 1), Point::new(stem, last)];
            if r + 1 < rows.len() {
                points.push(Point::new(0, last));
                points.push(Point::new(0, branch_of[r]));
            }
            points.push(Point::new(port[v], branch_of[r]));
            points.push(Point::new(port[v], head));
            routes.push(Route {
                net: 0,
                edge: None,
                from: Endpoint::Service(0),
                to: Endpoint::Box(v),
                points: straightened(points),
                head: Side::Up,
            });
        }
    }
    // Routes in the order the service lists its boxes, as `Layout` promises.
    let position: Vec<usize> = {
        let mut at = vec![0; sizes.len()];
        for (i, v) in service.serves.iter().enumerate() {
            at[v.0] = i;
        }
        at
    };
    routes.sort_by_key(|r| match r.to {
        Endpoint::Box(v) => position[v],
        Endpoint::Service(_) => usize::MAX,
    });
    let layout = Layout {
        title: boxes.title.take(),
        direction: diagram.direction,
        width,
        height: block.rect.y + block.rect.height,
        boxes: boxes.boxes,
        services: vec![block],
        groups: Vec::new(),
        routes,
        labels: Vec::new(),
    };
    (layout, TitleFit::Fitted { rounds: 1 })
}

/// As few rows as [`fill_rows`] makes at `target` columns, filled to the narrowest width that
/// still needs no more of them, so the last row is not left with one box.
fn balanced_rows(sizes: &[(usize, usize)], target: usize) -> Vec<std::ops::Range<usize>> {
    let count = fill_rows(sizes, target).len();
    // Fewest rows is monotone in the width: search the narrowest width keeping `count`.
    let (mut low, mut high) = (0, target);
    while low < high {
        let mid = low + (high - low) / 2;
        if fill_rows(sizes, mid).len() <= count {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    fill_rows(sizes, high)
}

/// Runs of box indices, each row as many boxes as fit `target` columns (at least one).
fn fill_rows(sizes: &[(usize, usize)], target: usize) -> Vec<std::ops::Range<usize>> {
    let mut rows = Vec::new();
    let (mut start, mut x) = (0, TRUNK);
    for (v, &(w, _)) in sizes.iter().enumerate() {
        if v > start && x + w > target {
            rows.push(start..v);
            (start, x) = (v, TRUNK);
        }
        x += w + GAP_X;
    }
    if start < sizes.len() {
        rows.push(start..sizes.len());
    }
    rows
}

/// About [`ASPECT`] times as wide as tall for boxes of `sizes`; never narrower than the
/// widest box.
fn page_width(sizes: &[(usize, usize)]) -> usize {
    let area: usize = sizes.iter().map(|&(w, h)| (w + GAP_X).saturating_mul(h + 4)).sum();
    let widest = sizes.iter().map(|s| s.0).max().unwrap_or(0);
    ((area.saturating_mul(ASPECT) as f64).sqrt().ceil() as usize).max(widest + TRUNK)
}

/// Moves `rect` and its text `lines` (which lie inside it) to `(x, y)`.
fn move_to(rect: &mut Rect, lines: &mut [PlacedText], x: usize, y: usize) {
    for t in lines {
        t.x = t.x - rect.x + x;
        t.y = t.y - rect.y + y;
    }
    *rect = Rect::new(x, y, rect.width, rect.height);
}

/// `points` without repeated points or corners that do not turn.
fn straightened(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out.last() == Some(&p) {
            continue;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn diagram(n: usize, max_width: Option<usize>) -> Diagram {
        let mut yaml = String::from("boxes:\n");
        for i in 0..n {
            yaml.push_str(&format!("  - {{id: b{i}, title: box {i}}}\n"));
        }
        let ids: Vec<String> = (0..n).map(|i| format!("b{i}")).collect();
        yaml.push_str(&format!("services:\n  - {{title: config, serves: [{}]}}\n", ids.join(", ")));
        if let Some(w) = max_width {
            yaml.push_str(&format!("max_width: {w}\n"));
        }
        Diagram::from_spec(&crate::parse(&yaml).expect("a spec")).expect("a diagram")
    }

    #[test]
    fn only_boxes_served_by_one_service_and_nothing_else() {
        assert!(applies(&diagram(8, None)));
        assert!(!applies(&diagram(LEAST_BOXES - 1, None)));
        let mut joined = diagram(8, None);
        joined.edges.push(crate::model::Edge { from: NodeId(0), to: NodeId(1), label: None });
        assert!(!applies(&joined));
    }

    #[test]
    fn many_boxes_fill_rows_within_the_limit_and_keep_the_rules() {
        for (n, limit) in [(8, Some(40)), (30, Some(80)), (200, None)] {
            let d = diagram(n, limit);
            let layout = super::super::layout(&d, &Default::default());
            assert_eq!(super::super::verify(&layout, &d), Ok(()), "{n} boxes");
            if let Some(limit) = limit {
                assert!(layout.width <= limit, "{n} boxes: {} > {limit}", layout.width);
            }
            // Rows, not one column: far fewer rows of boxes than boxes.
            let mut tops: Vec<usize> = layout.boxes.iter().map(|b| b.rect.y).collect();
            tops.dedup();
            assert!(tops.len() * 2 <= n, "{n} boxes in {} rows", tops.len());
            assert_eq!(layout.routes.len(), n);
        }
    }

    #[test]
    fn ten_thousand_boxes_make_a_page_not_a_column() {
        let d = diagram(10_000, None);
        let (layout, _) = lay_out(&d, None, Wrap::NATURAL);
        let cells = layout.width * layout.height;
        assert!(cells < 4_000_000, "{}×{}", layout.width, layout.height);
        assert!(layout.width > layout.height, "{}×{}", layout.width, layout.height);
    }
}
