//! Where lines cross and where they join, from the layout's nets: the SVG's hops and dots.
//!
//! The layout's routes run through cell centres. Routes of one net share cells where they
//! share a trunk; routes of different nets meet only at right angles, each passing straight
//! across the other (see [`Route`](crate::layout::Route)). The text renderer tells the two
//! apart cell by cell with *arms* (`├` joins, `─│─` crosses); this module asks the same
//! question of the routes' segments, so its cost follows the number of segments, not their
//! length:
//!
//! - a **junction** is a corner or end of some route where its net's lines reach out in three
//!   or four directions: a fan-out splitting, a fan-in merging. It gets a dot.
//! - a **crossing** is a cell strictly inside a horizontal run of one net and a vertical run
//!   of another (or of the same net, where two of its arrows pass straight across each other,
//!   which the text renderer draws as a crossing too) that is not a junction. The horizontal
//!   line hops over it.

use crate::geom::Point;
use crate::geom::arms::{DOWN, LEFT, RIGHT, UP};
use crate::layout::Layout;

/// The most crossings marked with hops (16 bytes each while found).
const MAX_CROSSINGS: usize = 1 << 20;

/// A maximal straight run of one net along one row (or column): cells `from..=to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Run {
    net: usize,
    line: usize,
    from: usize,
    to: usize,
}

/// The crossings and junctions of a layout's routes, by cell.
#[derive(Debug, Default)]
pub(super) struct Joins {
    /// Cells where a horizontal line hops over a vertical one, as `(row, column)`, sorted.
    hops: Vec<(usize, usize)>,
    /// Cells where lines of one net join, as `(row, column)`, sorted.
    pub(super) junctions: Vec<(usize, usize)>,
}

impl Joins {
    /// The joins of `layout`'s routes.
    pub(super) fn of(layout: &Layout) -> Self {
        let mut rows = Vec::new();
        let mut columns = Vec::new();
        // The ends of routes: the tail cell reaches back to the box it leaves, the head cell on
        // to the arrowhead, as lines of the drawing do.
        let mut stubs: Vec<(usize, usize, usize, u8)> = Vec::new();
        let mut routes_per_net: Vec<(usize, usize)> = Vec::new();
        for route in &layout.routes {
            let points = &route.points;
            for pair in points.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if a.y == b.y && a.x != b.x {
                    rows.push(Run {
                        net: route.net,
                        line: a.y,
                        from: a.x.min(b.x),
                        to: a.x.max(b.x),
                    });
                } else if a.x == b.x && a.y != b.y {
                    columns.push(Run {
                        net: route.net,
                        line: a.x,
                        from: a.y.min(b.y),
                        to: a.y.max(b.y),
                    });
                }
            }
            if let (Some(&first), Some(&last)) = (points.first(), points.last()) {
                let back = super::geometry::endpoint_rect(layout, route.from)
                    .and_then(|rect| towards(rect, first))
                    .or_else(|| {
                        points.iter().find(|&&p| p != first).map(|&second| away(first, second))
                    });
                if let Some(back) = back {
                    stubs.push((route.net, first.y, first.x, back));
                }
                stubs.push((route.net, last.y, last.x, side_arm(route.head)));
            }
            routes_per_net.push((route.net, 1));
        }
        let rows = merged(rows);
        let columns = merged(columns);
        stubs.sort_unstable();
        // One entry per cell, its arms together: a hub's thousands of routes leave one cell.
        stubs.dedup_by(|b, a| {
            let same = (a.0, a.1, a.2) == (b.0, b.1, b.2);
            if same {
                a.3 |= b.3;
            }
            same
        });
        routes_per_net.sort_unstable();
        routes_per_net.dedup_by(|b, a| {
            let same = a.0 == b.0;
            if same {
                a.1 += 1;
            }
            same
        });

        // Junctions: only where a net has several routes can its lines reach out three ways.
        let shared = |net: usize| {
            routes_per_net
                .binary_search_by_key(&net, |&(n, _)| n)
                .is_ok_and(|i| routes_per_net[i].1 > 1)
        };
        let mut junctions = Vec::new();
        for route in layout.routes.iter().filter(|r| shared(r.net)) {
            for &p in &route.points {
                let mut arms = along(&rows, route.net, p.y, p.x, (LEFT, RIGHT))
                    | along(&columns, route.net, p.x, p.y, (UP, DOWN));
                let at = stubs.partition_point(|&(n, y, x, _)| (n, y, x) < (route.net, p.y, p.x));
                if let Some(&(n, y, x, a)) = stubs.get(at)
                    && (n, y, x) == (route.net, p.y, p.x)
                {
                    arms |= a;
                }
                if arms.count_ones() >= 3 {
                    junctions.push((p.y, p.x));
                }
            }
        }
        junctions.sort_unstable();
        junctions.dedup();

        // Past MAX_CROSSINGS the drawing is a thicket no hop makes readable: it gets none,
        // rather than a gigabyte of them.
        let mut hops = crossings(&rows, &columns).unwrap_or_default();
        hops.sort_unstable();
        hops.dedup();
        hops.retain(|cell| junctions.binary_search(cell).is_err());
        Self { hops, junctions }
    }

    /// The columns where a horizontal line on `row` hops, strictly between `a` and `b` (either
    /// order), in increasing order.
    pub(super) fn hops_between(
        &self,
        row: usize,
        a: usize,
        b: usize,
    ) -> impl Iterator<Item = usize> + '_ {
        let (lo, hi) = (a.min(b), a.max(b));
        let start = self.hops.partition_point(|&cell| cell <= (row, lo));
        self.hops[start..].iter().take_while(move |&&(y, x)| y == row && x < hi).map(|&(_, x)| x)
    }
}

/// The arm at `at` pointing away from `other` (a point on its row or column): the tail's
/// stub back to its box when the box is unknown.
fn away(at: Point, other: Point) -> u8 {
    if other.y == at.y {
        if other.x > at.x { LEFT } else { RIGHT }
    } else if other.y > at.y {
        UP
    } else {
        DOWN
    }
}

/// The arm at `cell`, next to `rect`, pointing at it; none if the cell is not beside it.
fn towards(rect: crate::geom::Rect, cell: Point) -> Option<u8> {
    let in_rows = cell.y >= rect.y && cell.y < rect.bottom();
    let in_columns = cell.x >= rect.x && cell.x < rect.right();
    if in_rows && cell.x >= rect.right() {
        Some(LEFT)
    } else if in_rows && cell.x < rect.x {
        Some(RIGHT)
    } else if in_columns && cell.y >= rect.bottom() {
        Some(UP)
    } else if in_columns && cell.y < rect.y {
        Some(DOWN)
    } else {
        None
    }
}

fn side_arm(side: crate::geom::Side) -> u8 {
    match side {
        crate::geom::Side::Up => UP,
        crate::geom::Side::Right => RIGHT,
        crate::geom::Side::Down => DOWN,
        crate::geom::Side::Left => LEFT,
    }
}

/// `runs` sorted, with overlapping or touching runs of one net on one line joined.
fn merged(mut runs: Vec<Run>) -> Vec<Run> {
    runs.sort_unstable();
    let mut out: Vec<Run> = Vec::with_capacity(runs.len());
    for run in runs {
        match out.last_mut() {
            Some(last) if last.net == run.net && last.line == run.line && run.from <= last.to => {
                last.to = last.to.max(run.to);
            }
            _ => out.push(run),
        }
    }
    out
}

/// The arms a net's runs on `line` give the cell at `at`: `(towards lower, towards higher)`.
fn along(runs: &[Run], net: usize, line: usize, at: usize, (lower, higher): (u8, u8)) -> u8 {
    let i = runs.partition_point(|r| (r.net, r.line, r.from) <= (net, line, at));
    let Some(run) = i.checked_sub(1).map(|i| runs[i]) else { return 0 };
    if run.net != net || run.line != line || run.to < at {
        return 0;
    }
    (if run.from < at { lower } else { 0 }) | (if run.to > at { higher } else { 0 })
}

/// Every cell strictly inside both a row run and a column run, as `(row, column)`: a sweep
/// along the columns with the row runs open at each one, so the cost follows the runs and the
/// crossings found.
fn crossings(rows: &[Run], columns: &[Run]) -> Option<Vec<(usize, usize)>> {
    use std::cmp::Reverse;
    use std::collections::{BTreeSet, BinaryHeap};

    let mut by_start: Vec<&Run> = rows.iter().filter(|r| r.to > r.from + 1).collect();
    by_start.sort_unstable_by_key(|r| r.from);
    let mut by_column: Vec<&Run> = columns.iter().filter(|r| r.to > r.from + 1).collect();
    by_column.sort_unstable_by_key(|r| r.line);

    // Open row runs by (row, index), and their ends, soonest first.
    let mut open: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut ends: BinaryHeap<Reverse<(usize, usize, usize)>> = BinaryHeap::new();
    let mut next = 0;
    let mut found = Vec::new();
    for column in by_column {
        let x = column.line;
        while let Some(&run) = by_start.get(next).filter(|r| r.from < x) {
            open.insert((run.line, next));
            ends.push(Reverse((run.to, run.line, next)));
            next += 1;
        }
        while let Some(&Reverse((_, line, i))) = ends.peek().filter(|e| e.0.0 <= x) {
            open.remove(&(line, i));
            ends.pop();
        }
        for &(y, _) in open.range((column.from + 1, 0)..(column.to, 0)) {
            if found.len() == MAX_CROSSINGS {
                return None;
            }
            found.push((y, x));
        }
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::{Rect, Side};
    use crate::layout::{Endpoint, PlacedBox, Route};
    use crate::model::Direction;

    /// A hand-built route: its net, its cells as `(x, y)`, its head's side.
    type HandRoute = (usize, Vec<(usize, usize)>, Side);

    fn layout(routes: Vec<HandRoute>) -> Layout {
        let placed =
            |id: &str| PlacedBox { id: id.into(), rect: Rect::new(0, 0, 1, 1), lines: vec![] };
        Layout {
            title: None,
            direction: Direction::Right,
            width: 40,
            height: 40,
            boxes: vec![placed("a"), placed("b")],
            services: vec![],
            groups: vec![],
            routes: routes
                .into_iter()
                .map(|(net, points, head)| Route {
                    net,
                    edge: None,
                    from: Endpoint::Box(0),
                    to: Endpoint::Box(1),
                    points: points.into_iter().map(|(x, y)| Point::new(x, y)).collect(),
                    head,
                })
                .collect(),
            labels: vec![],
        }
    }

    #[test]
    fn different_nets_crossing_hop_and_do_not_join() {
        // ─│─ at (5, 5): net 0 along row 5, net 1 down column 5.
        let joins = Joins::of(&layout(vec![
            (0, vec![(1, 5), (9, 5)], Side::Right),
            (1, vec![(5, 1), (5, 9)], Side::Down),
        ]));
        assert_eq!(joins.hops, vec![(5, 5)]);
        assert!(joins.junctions.is_empty());
        assert_eq!(joins.hops_between(5, 9, 1).collect::<Vec<_>>(), vec![5]);
        assert_eq!(joins.hops_between(5, 1, 5).count(), 0, "not at a segment's end");
        assert_eq!(joins.hops_between(4, 1, 9).count(), 0);
    }

    #[test]
    fn a_fan_out_splits_at_a_junction() {
        // One net: a trunk along row 5, one branch turning down at column 6.
        let joins = Joins::of(&layout(vec![
            (0, vec![(1, 5), (9, 5)], Side::Right),
            (0, vec![(1, 5), (6, 5), (6, 9)], Side::Down),
        ]));
        assert_eq!(joins.junctions, vec![(5, 6)]);
        assert!(joins.hops.is_empty());
    }

    #[test]
    fn a_split_at_the_tail_cell_is_a_junction() {
        // Both leave the cell next to the box (its back arm points left): right and down.
        let joins = Joins::of(&layout(vec![
            (0, vec![(1, 5), (9, 5)], Side::Right),
            (0, vec![(1, 5), (1, 9)], Side::Down),
        ]));
        assert_eq!(joins.junctions, vec![(5, 1)]);
    }

    #[test]
    fn one_nets_arrows_passing_straight_across_each_other_cross() {
        // Two arrows of one fan-out cross without either turning there: a crossing.
        let joins = Joins::of(&layout(vec![
            (0, vec![(1, 5), (9, 5)], Side::Right),
            (0, vec![(1, 5), (1, 3), (5, 3), (5, 9)], Side::Down),
        ]));
        assert_eq!(joins.hops, vec![(5, 5)]);
        assert_eq!(joins.junctions, vec![(5, 1)]);
    }

    #[test]
    fn a_thicket_of_crossings_gets_no_hops_rather_than_unbounded_memory() {
        // 1,025 rows across 1,024 columns: one crossing past the cap.
        let (across, down) = (1025, 1024);
        let mut routes: Vec<HandRoute> =
            (0..across).map(|i| (i, vec![(0, i + 1), (down + 1, i + 1)], Side::Right)).collect();
        routes.extend(
            (0..down).map(|j| (across + j, vec![(j + 1, 0), (j + 1, across + 1)], Side::Down)),
        );
        assert!(Joins::of(&layout(routes.clone())).hops.is_empty());
        // Under the cap every crossing hops.
        routes.retain(|r| r.0 != 0);
        assert_eq!(Joins::of(&layout(routes)).hops.len(), MAX_CROSSINGS);
    }

    #[test]
    fn a_shared_trunk_is_neither() {
        let joins = Joins::of(&layout(vec![
            (0, vec![(1, 5), (9, 5)], Side::Right),
            (0, vec![(1, 5), (9, 5)], Side::Right),
        ]));
        assert!(joins.hops.is_empty() && joins.junctions.is_empty());
    }

    #[test]
    fn lines_meeting_end_to_end_or_at_corners_do_not_hop() {
        // Net 1's corner touches net 0's line end: not strictly inside both (an invalid
        // layout, drawn without inventing a crossing).
        let joins = Joins::of(&layout(vec![
            (0, vec![(1, 5), (5, 5)], Side::Right),
            (1, vec![(5, 1), (5, 5), (9, 5)], Side::Right),
        ]));
        assert!(joins.hops.is_empty());
    }
}
