//! Edge crossings of a drawn graph, counted the same way for archdraw and for Graphviz as far as
//! their drawings allow.
//!
//! # archdraw (`archdraw render x.yaml -f json`)
//!
//! Routes are orthogonal polylines on the cell grid. Routes of one *net* share a trunk by
//! design (arrows with a common end), so a crossing is a cell where a horizontal run of one net
//! and a vertical run of *another* net pass through each other, strictly inside both segments.
//! Each such cell counts once, however many routes of the two nets run through it: it is one
//! crossing on the page. A corner or an end touching another line is not a crossing (the layout
//! guarantees routes of different nets never do that).
//!
//! # Graphviz (`dot -Tjson x.dot`)
//!
//! Each edge's `pos` is a piecewise cubic Bézier spline, with optional arrowhead tips (`e,x,y`,
//! `s,x,y`). Each Bézier piece is flattened into chords of about [`DOT_CHORD`] points (uniform
//! in the curve parameter), the arrowhead tip is joined on as a straight segment, and crossings
//! between the resulting polylines of *different* edges are counted: proper intersections of
//! two chords, plus lines that pass through each other exactly at a chord end (mirror-image
//! splines do, since they are flattened at the same parameters). Lines that only touch, or
//! that start or end on another line, do not count. The approximation: a 4-point chord is
//! within a fraction of a point of the curve wherever it bends gently, far less than dot's node
//! and rank separations (18 and 36 points), so only near-tangent touches can be miscounted.
//! Every edge is its own line: dot draws no shared trunks, so k parallel edges crossing one
//! line are k crossings, which is what the reader sees.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

/// Which drawing a count came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// archdraw's `-f json` layout.
    Archdraw,
    /// Graphviz `-Tjson` output.
    Dot,
}

/// A point of a Graphviz drawing, in points.
pub type Pt = (f64, f64);

/// Longest chord, in points, that a dot spline is flattened into.
pub const DOT_CHORD: f64 = 4.0;

/// Counts the crossings in archdraw `-f json` output or Graphviz `-Tjson` output, telling
/// which one it was by its keys (`routes` or `directed`).
///
/// # Errors
///
/// Input that is neither, or whose routes or splines are malformed (a diagonal archdraw
/// segment, a dot spline whose point count is not 3k + 1).
pub fn count_json(json: &str) -> Result<(Source, usize), String> {
    #[derive(Deserialize)]
    struct Either {
        routes: Option<Vec<RouteJson>>,
        directed: Option<bool>,
        #[serde(default)]
        edges: Vec<DotEdgeJson>,
    }
    #[derive(Deserialize)]
    struct RouteJson {
        net: usize,
        points: Vec<PointJson>,
    }
    #[derive(Deserialize)]
    struct PointJson {
        x: i64,
        y: i64,
    }
    #[derive(Deserialize)]
    struct DotEdgeJson {
        pos: Option<String>,
    }

    let input: Either = serde_json::from_str(json).map_err(|e| format!("not JSON I know: {e}"))?;
    if let Some(routes) = input.routes {
        let routes: Vec<(usize, Vec<(i64, i64)>)> = routes
            .into_iter()
            .map(|r| (r.net, r.points.into_iter().map(|p| (p.x, p.y)).collect()))
            .collect();
        return Ok((Source::Archdraw, orthogonal_crossings(&routes)?));
    }
    if input.directed.is_some() {
        let lines = input
            .edges
            .iter()
            .filter_map(|e| e.pos.as_deref())
            .map(dot_edge_polyline)
            .collect::<Result<Vec<_>, _>>()?;
        return Ok((Source::Dot, polyline_crossings(&lines)));
    }
    Err("neither archdraw -f json (no `routes`) nor dot -Tjson (no `directed`)".into())
}

/// Crossing cells between orthogonal routes of different nets; see the module docs.
///
/// `routes` are `(net, corner points)`. A sweep over columns keeps the horizontal segments
/// that span the current column in a map by row, so each vertical segment finds the rows it
/// crosses by a range query: O((S + K) log S) for S segments and K crossings.
///
/// # Errors
///
/// A segment that is neither horizontal nor vertical.
pub fn orthogonal_crossings(routes: &[(usize, Vec<(i64, i64)>)]) -> Result<usize, String> {
    struct Horizontal {
        y: i64,
        x: (i64, i64),
        net: usize,
    }
    struct Vertical {
        x: i64,
        y: (i64, i64),
        net: usize,
    }
    let (mut hs, mut vs) = (Vec::new(), Vec::new());
    for (i, (net, points)) in routes.iter().enumerate() {
        for w in points.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            if y0 == y1 && x0 != x1 {
                hs.push(Horizontal { y: y0, x: (x0.min(x1), x0.max(x1)), net: *net });
            } else if x0 == x1 && y0 != y1 {
                vs.push(Vertical { x: x0, y: (y0.min(y1), y0.max(y1)), net: *net });
            } else if x0 != x1 {
                return Err(format!("route {i} has a diagonal segment {:?} → {:?}", w[0], w[1]));
            }
        }
    }

    let mut starts: Vec<usize> = (0..hs.len()).collect();
    starts.sort_by_key(|&i| hs[i].x.0);
    let mut ends: Vec<usize> = (0..hs.len()).collect();
    ends.sort_by_key(|&i| hs[i].x.1);
    vs.sort_by_key(|v| v.x);

    // Rows → nets of the horizontal segments strictly spanning the sweep column.
    let mut active: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    let mut added = vec![false; hs.len()];
    let mut cells: Vec<(i64, i64)> = Vec::new();
    let (mut s, mut e, mut v) = (0, 0, 0);
    while v < vs.len() {
        let x = vs[v].x;
        // Segments ending at or before x no longer pass strictly through column x; segments
        // starting before x now do.
        while e < ends.len() && hs[ends[e]].x.1 <= x {
            let h = &hs[ends[e]];
            // A segment no sweep column fell strictly inside was never added.
            if added[ends[e]]
                && let Some(nets) = active.get_mut(&h.y)
                && let Some(k) = nets.iter().position(|&n| n == h.net)
            {
                nets.swap_remove(k);
                if nets.is_empty() {
                    active.remove(&h.y);
                }
            }
            e += 1;
        }
        while s < starts.len() && hs[starts[s]].x.0 < x {
            let h = &hs[starts[s]];
            if h.x.1 > x {
                active.entry(h.y).or_default().push(h.net);
                added[starts[s]] = true;
            }
            s += 1;
        }
        while v < vs.len() && vs[v].x == x {
            let vert = &vs[v];
            for (&y, nets) in active.range(vert.y.0 + 1..vert.y.1) {
                if nets.iter().any(|&n| n != vert.net) {
                    cells.push((x, y));
                }
            }
            v += 1;
        }
    }
    cells.sort_unstable();
    cells.dedup();
    Ok(cells.len())
}

/// Crossings between different polylines; see the module docs.
///
/// Segments are put into a uniform grid (cell side: twice the mean segment length) by their
/// bounding boxes, and only segments sharing a cell are tested. A pair sharing several cells is
/// tested only in the cell at the low corner of the overlap of their cell ranges, so it counts
/// once without any floating-point tie-breaking.
///
/// Two lines can also cross exactly at a vertex: mirror-image dot splines are flattened at the
/// same parameters and meet at a shared chord end. Such a crossing is counted once, at the
/// segments that *start* at that vertex, by whether the lines' directions there interleave; a
/// line that only touches another and turns back, or that starts or ends on it, is no crossing.
pub fn polyline_crossings(lines: &[Vec<Pt>]) -> usize {
    let mut segments: Vec<Segment> = Vec::new();
    for (line, points) in lines.iter().enumerate() {
        let mut points = points.clone();
        points.dedup();
        segments.extend(points.windows(2).enumerate().map(|(k, w)| Segment {
            a: w[0],
            b: w[1],
            before: k.checked_sub(1).map(|k| points[k]),
            line,
        }));
    }
    if segments.is_empty() {
        return 0;
    }
    let total: f64 = segments.iter().map(|s| (s.b.0 - s.a.0).hypot(s.b.1 - s.a.1)).sum();
    let cell = 2.0 * total / segments.len() as f64;
    let (min_x, min_y) = segments
        .iter()
        .fold((f64::MAX, f64::MAX), |(x, y), s| (x.min(s.a.0).min(s.b.0), y.min(s.a.1).min(s.b.1)));
    let to_cell = |v: f64, min: f64| ((v - min) / cell).floor() as i64;
    // Each segment's range of grid cells, inclusive.
    let ranges: Vec<[i64; 4]> = segments
        .iter()
        .map(|s| {
            [
                to_cell(s.a.0.min(s.b.0), min_x),
                to_cell(s.a.0.max(s.b.0), min_x),
                to_cell(s.a.1.min(s.b.1), min_y),
                to_cell(s.a.1.max(s.b.1), min_y),
            ]
        })
        .collect();
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, r) in ranges.iter().enumerate() {
        for cx in r[0]..=r[1] {
            for cy in r[2]..=r[3] {
                grid.entry((cx, cy)).or_default().push(i);
            }
        }
    }
    let mut crossings = 0;
    // The order cells are visited in does not change the sum.
    #[allow(clippy::iter_over_hash_type)]
    for (&(cx, cy), members) in &grid {
        for (k, &i) in members.iter().enumerate() {
            for &j in &members[k + 1..] {
                let (ri, rj) = (&ranges[i], &ranges[j]);
                if segments[i].line != segments[j].line
                    && (ri[0].max(rj[0]), ri[2].max(rj[2])) == (cx, cy)
                    && crosses(&segments[i], &segments[j])
                {
                    crossings += 1;
                }
            }
        }
    }
    crossings
}

/// A segment of a polyline, with the point before its start (none at the line's start).
#[derive(Debug, Clone, Copy)]
struct Segment {
    a: Pt,
    b: Pt,
    before: Option<Pt>,
    line: usize,
}

/// Whether the lines of `s` and `t` cross at a point this pair of segments is responsible
/// for: inside both; or at the start of one, lying inside the other; or at both starts.
fn crosses(s: &Segment, t: &Segment) -> bool {
    let (o1, o2) = (orient(s.a, s.b, t.a), orient(s.a, s.b, t.b));
    let (o3, o4) = (orient(t.a, t.b, s.a), orient(t.a, t.b, s.b));
    if o1 * o2 < 0 && o3 * o4 < 0 {
        return true;
    }
    if s.a == t.a {
        // Both lines pass through this vertex: they cross if t's two directions there lie on
        // different sides of s's two.
        return match (s.before, t.before) {
            (Some(sp), Some(tp)) => {
                let at = |p: Pt| (p.0 - s.a.0, p.1 - s.a.1);
                let (u1, u2) = (at(sp), at(s.b));
                in_sector(u1, u2, at(tp)) != in_sector(u1, u2, at(t.b))
            }
            _ => false,
        };
    }
    // t's start inside s (not at s's ends): t crosses if its neighbours there are on opposite
    // sides of s. And the same the other way round.
    let passes = |line: &Segment, vertex: &Segment, on_line: i32| {
        on_line == 0
            && vertex.a != line.a
            && vertex.a != line.b
            && strictly_inside(line.a, line.b, vertex.a)
            && vertex
                .before
                .is_some_and(|p| orient(line.a, line.b, p) * orient(line.a, line.b, vertex.b) < 0)
    };
    passes(s, t, o1) || passes(t, s, o3)
}

/// The sign of the turn p → q → r: 1 left, -1 right, 0 straight.
fn orient(p: Pt, q: Pt, r: Pt) -> i32 {
    let cross = (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0);
    if cross > 0.0 {
        1
    } else if cross < 0.0 {
        -1
    } else {
        0
    }
}

/// Whether `p`, known to be on the line through `a` and `b`, lies strictly between them.
fn strictly_inside(a: Pt, b: Pt, p: Pt) -> bool {
    let t = (p.0 - a.0) * (b.0 - a.0) + (p.1 - a.1) * (b.1 - a.1);
    t > 0.0 && t < (b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)
}

/// Whether direction `v` lies strictly inside the sector swept counter-clockwise from `u1`
/// to `u2` (all three are vectors from the same vertex).
fn in_sector(u1: Pt, u2: Pt, v: Pt) -> bool {
    let cross = |p: Pt, q: Pt| p.0 * q.1 - p.1 * q.0;
    if cross(u1, u2) > 0.0 || (cross(u1, u2) == 0.0 && u1.0 * u2.0 + u1.1 * u2.1 < 0.0) {
        // At most a half-turn: inside both bounding half-planes.
        cross(u1, v) > 0.0 && cross(v, u2) > 0.0
    } else {
        // More than a half-turn: outside the closed sector from u2 to u1.
        !(cross(u2, v) >= 0.0 && cross(v, u1) >= 0.0)
    }
}

/// One dot edge's `pos` attribute as a polyline: the arrowtail tip, the flattened spline, the
/// arrowhead tip. Several splines (`;`-separated, from `concentrate=true`) are joined end to
/// end, which is exact when they meet and close enough for counting when they do not.
///
/// # Errors
///
/// A malformed number, or a spline whose point count is not 3k + 1.
pub fn dot_edge_polyline(pos: &str) -> Result<Vec<Pt>, String> {
    let point = |s: &str| -> Result<Pt, String> {
        let (x, y) = s.split_once(',').ok_or_else(|| format!("bad point {s:?} in {pos:?}"))?;
        let num = |v: &str| v.parse::<f64>().map_err(|e| format!("bad number {v:?}: {e}"));
        Ok((num(x)?, num(y.trim_end_matches('!'))?))
    };
    let mut line = Vec::new();
    for spline in pos.split(';') {
        let (mut start, mut end, mut controls) = (None, None, Vec::new());
        for token in spline.split_whitespace() {
            if let Some(p) = token.strip_prefix("s,") {
                start = Some(point(p)?);
            } else if let Some(p) = token.strip_prefix("e,") {
                end = Some(point(p)?);
            } else {
                controls.push(point(token)?);
            }
        }
        if controls.len() % 3 != 1 {
            return Err(format!("a spline of {} points is not 3k + 1 in {pos:?}", controls.len()));
        }
        line.extend(start);
        line.push(controls[0]);
        for piece in controls.windows(4).step_by(3) {
            flatten_cubic([piece[0], piece[1], piece[2], piece[3]], DOT_CHORD, &mut line);
        }
        line.extend(end);
    }
    Ok(line)
}

/// Appends the cubic Bézier `p`, flattened, minus its first point (already in `out`). The
/// chord count comes from the control polygon's length, which bounds the curve's.
fn flatten_cubic(p: [Pt; 4], max_chord: f64, out: &mut Vec<Pt>) {
    let hull: f64 = p.windows(2).map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1)).sum();
    let chords = ((hull / max_chord).ceil() as usize).clamp(1, 1024);
    for k in 1..=chords {
        let t = k as f64 / chords as f64;
        let u = 1.0 - t;
        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
        out.push((
            a * p[0].0 + b * p[1].0 + c * p[2].0 + d * p[3].0,
            a * p[0].1 + b * p[1].1 + c * p[2].1 + d * p[3].1,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(net: usize, points: &[(i64, i64)]) -> (usize, Vec<(i64, i64)>) {
        (net, points.to_vec())
    }

    #[test]
    fn a_plus_of_two_nets_is_one_crossing() {
        let routes = [route(0, &[(0, 5), (10, 5)]), route(1, &[(5, 0), (5, 10)])];
        assert_eq!(orthogonal_crossings(&routes), Ok(1));
    }

    #[test]
    fn the_same_net_never_crosses_itself() {
        let routes = [route(3, &[(0, 5), (10, 5)]), route(3, &[(5, 0), (5, 10)])];
        assert_eq!(orthogonal_crossings(&routes), Ok(0));
    }

    #[test]
    fn touching_at_an_end_or_a_corner_is_not_a_crossing() {
        // T: the vertical ends on the horizontal; L: both turn at one cell; the vertical
        // starting exactly at the horizontal's end.
        let t = [route(0, &[(0, 5), (10, 5)]), route(1, &[(5, 0), (5, 5)])];
        let l = [route(0, &[(0, 5), (5, 5), (5, 9)]), route(1, &[(5, 0), (5, 5), (9, 5)])];
        let end = [route(0, &[(0, 5), (10, 5)]), route(1, &[(10, 0), (10, 9)])];
        assert_eq!(orthogonal_crossings(&t), Ok(0));
        assert_eq!(orthogonal_crossings(&l), Ok(0));
        assert_eq!(orthogonal_crossings(&end), Ok(0));
    }

    #[test]
    fn a_shared_trunk_crossing_a_line_is_one_crossing() {
        // Net 0: two routes sharing the horizontal trunk through (5, 5), then parting.
        let routes = [
            route(0, &[(0, 5), (8, 5), (8, 0)]),
            route(0, &[(0, 5), (8, 5), (8, 9)]),
            route(1, &[(5, 0), (5, 9)]),
            route(2, &[(6, 9), (6, 0)]),
        ];
        assert_eq!(orthogonal_crossings(&routes), Ok(2));
    }

    #[test]
    fn a_route_can_cross_another_many_times_and_itself_never() {
        // A zig-zag of net 0 crossed by a long horizontal of net 1 three times; the zig-zag's
        // own corners are not counted.
        let zig = route(0, &[(1, 0), (1, 9), (3, 9), (3, 0), (5, 0), (5, 9)]);
        let line = route(1, &[(0, 4), (9, 4)]);
        assert_eq!(orthogonal_crossings(&[zig.clone(), line]), Ok(3));
        assert_eq!(orthogonal_crossings(&[zig]), Ok(0));
    }

    #[test]
    fn segments_sharing_the_sweep_column_are_handled() {
        // A horizontal starting in the vertical's column, and one ending there: neither
        // passes strictly through it.
        let routes = [
            route(0, &[(5, 0), (5, 10)]),
            route(1, &[(5, 3), (9, 3)]),
            route(2, &[(0, 7), (5, 7)]),
            route(3, &[(4, 8), (6, 8)]),
        ];
        assert_eq!(orthogonal_crossings(&routes), Ok(1));
    }

    #[test]
    fn a_segment_no_column_falls_inside_does_not_unhook_another() {
        // Two horizontals of net 1 in row 5: a short one (2..4) that no vertical column falls
        // inside, and a long one (0..10). Passing the short one's end must not remove the long
        // one from the sweep.
        let routes = [
            route(1, &[(2, 5), (4, 5)]),
            route(1, &[(0, 5), (10, 5)]),
            route(0, &[(6, 0), (6, 9)]),
        ];
        assert_eq!(orthogonal_crossings(&routes), Ok(1));
    }

    #[test]
    fn diagonal_segments_are_reported() {
        let routes = [route(0, &[(0, 0), (3, 4)])];
        assert!(orthogonal_crossings(&routes).unwrap_err().contains("diagonal"));
    }

    #[test]
    fn polylines_count_proper_crossings_between_different_lines() {
        let x = vec![vec![(0.0, 0.0), (10.0, 10.0)], vec![(0.0, 10.0), (10.0, 0.0)]];
        assert_eq!(polyline_crossings(&x), 1);
        // A line crossing itself does not count; touching at a shared end does not either.
        let own = vec![vec![(0.0, 0.0), (10.0, 10.0), (10.0, 0.0), (0.0, 10.0)]];
        assert_eq!(polyline_crossings(&own), 0);
        let touch = vec![vec![(0.0, 0.0), (5.0, 5.0)], vec![(5.0, 5.0), (10.0, 0.0)]];
        assert_eq!(polyline_crossings(&touch), 0);
        let parallel = vec![vec![(0.0, 0.0), (10.0, 0.0)], vec![(0.0, 1.0), (10.0, 1.0)]];
        assert_eq!(polyline_crossings(&parallel), 0);
    }

    #[test]
    fn long_segments_over_many_grid_cells_count_once() {
        // Many short segments set a small grid cell; the two long diagonals then share a whole
        // block of cells, and their one crossing must still count once.
        let mut lines =
            vec![vec![(0.0, 0.0), (1000.0, 1000.0)], vec![(0.0, 1000.0), (1000.0, 0.0)]];
        lines.extend(
            (0..200).map(|i| vec![(2000.0 + f64::from(i), 0.0), (2000.5 + f64::from(i), 0.5)]),
        );
        assert_eq!(polyline_crossings(&lines), 1);
    }

    #[test]
    fn a_grid_of_lines_crosses_everywhere_even_at_vertices() {
        // 7 horizontal × 5 vertical lines, each drawn in 2-point pieces: 35 crossings. Lines on
        // odd coordinates cross inside pieces; (10, 8) is a vertex of both lines, (3, 8) a vertex
        // of the vertical line inside a piece of the horizontal one, (10, 3) the other way round.
        let piece = |from: Pt, to: Pt| -> Vec<Pt> {
            (0..=20)
                .map(|k| f64::from(k) / 20.0)
                .map(|t| (from.0 + t * (to.0 - from.0), from.1 + t * (to.1 - from.1)))
                .collect()
        };
        let mut lines = Vec::new();
        for i in 0..7 {
            let y = 3.0 + 5.0 * f64::from(i);
            lines.push(piece((0.0, y), (40.0, y)));
        }
        for i in 0..5 {
            let x = 3.0 + 7.0 * f64::from(i);
            lines.push(piece((x, 0.0), (x, 40.0)));
        }
        assert_eq!(polyline_crossings(&lines), 35);
    }

    #[test]
    fn lines_meeting_at_a_vertex_cross_only_if_they_pass_through() {
        let through = vec![
            vec![(0.0, 0.0), (5.0, 5.0), (10.0, 10.0)],
            vec![(0.0, 10.0), (5.0, 5.0), (10.0, 0.0)],
        ];
        assert_eq!(polyline_crossings(&through), 1);
        // The second line comes down to the first one's vertex and goes back up.
        let bounce = vec![
            vec![(0.0, 0.0), (5.0, 5.0), (10.0, 10.0)],
            vec![(0.0, 10.0), (5.0, 5.0), (2.0, 10.0)],
        ];
        assert_eq!(polyline_crossings(&bounce), 0);
        // The same, touching the inside of a segment.
        let touch = vec![vec![(0.0, 0.0), (10.0, 0.0)], vec![(2.0, 5.0), (5.0, 0.0), (8.0, 5.0)]];
        assert_eq!(polyline_crossings(&touch), 0);
        // Fan-out: two lines leaving one point.
        let fan = vec![vec![(0.0, 0.0), (9.0, 1.0)], vec![(0.0, 0.0), (9.0, -1.0)]];
        assert_eq!(polyline_crossings(&fan), 0);
        // A line ending on another (an arrowhead on an edge) is a touch, not a crossing.
        let end = vec![vec![(0.0, 0.0), (10.0, 0.0)], vec![(5.0, 5.0), (5.0, 0.0)]];
        assert_eq!(polyline_crossings(&end), 0);
    }

    /// Random short segments on a small integer lattice (so many touch, share vertices and
    /// run collinear): the grid must count exactly what testing every pair counts.
    #[test]
    fn the_grid_counts_what_every_pair_counts() {
        let mut rng = crate::SplitMix64(42);
        for round in 0..40 {
            let lines: Vec<Vec<Pt>> = (0..12)
                .map(|_| {
                    let len = 2 + rng.below(6);
                    (0..len).map(|_| (rng.below(9) as f64, rng.below(9) as f64)).collect()
                })
                .collect();
            let mut segments = Vec::new();
            for (line, points) in lines.iter().enumerate() {
                let mut points = points.clone();
                points.dedup();
                for (k, w) in points.windows(2).enumerate() {
                    let before = k.checked_sub(1).map(|k| points[k]);
                    segments.push(Segment { a: w[0], b: w[1], before, line });
                }
            }
            let mut every_pair = 0;
            for (i, s) in segments.iter().enumerate() {
                for t in &segments[i + 1..] {
                    every_pair += usize::from(s.line != t.line && crosses(s, t));
                }
            }
            assert_eq!(polyline_crossings(&lines), every_pair, "round {round}");
        }
    }

    /// Random orthogonal routes: the sweep must find exactly the cells a brute-force walk
    /// over every horizontal–vertical pair finds.
    #[test]
    fn the_sweep_counts_what_every_pair_counts() {
        let mut rng = crate::SplitMix64(7);
        for round in 0..40 {
            let routes: Vec<(usize, Vec<(i64, i64)>)> = (0..10)
                .map(|_| {
                    let mut p = (rng.below(12) as i64, rng.below(12) as i64);
                    let mut points = vec![p];
                    for k in 0..1 + rng.below(5) {
                        let step = rng.below(12) as i64;
                        p = if k % 2 == 0 { (step, p.1) } else { (p.0, step) };
                        points.push(p);
                    }
                    points.dedup();
                    (rng.below(4), points)
                })
                .filter(|(_, points)| points.len() >= 2)
                .collect();
            let mut cells = Vec::new();
            for (net, points) in &routes {
                for h in points.windows(2).filter(|w| w[0].1 == w[1].1) {
                    for (other, others) in routes.iter().filter(|(o, _)| o != net) {
                        let _ = other;
                        for v in others.windows(2).filter(|w| w[0].0 == w[1].0) {
                            let (x, y) = (v[0].0, h[0].1);
                            let inside = |v: i64, a: i64, b: i64| a.min(b) < v && v < a.max(b);
                            if inside(x, h[0].0, h[1].0) && inside(y, v[0].1, v[1].1) {
                                cells.push((x, y));
                            }
                        }
                    }
                }
            }
            cells.sort_unstable();
            cells.dedup();
            assert_eq!(orthogonal_crossings(&routes), Ok(cells.len()), "round {round}");
        }
    }

    #[test]
    fn dot_pos_becomes_tail_spline_and_head() {
        let line = dot_edge_polyline("e,100,0 0,0 10,0 20,0 90,0").unwrap();
        assert_eq!(line.first(), Some(&(0.0, 0.0)));
        assert_eq!(line.last(), Some(&(100.0, 0.0)));
        // 90 points of control polygon at ≤ 4 points a chord: 23 chords, plus the two ends.
        assert_eq!(line.len(), 1 + 23 + 1);
        // The flattened points lie on the curve: here the x axis, increasing.
        assert!(line.windows(2).all(|w| w[0].1 == 0.0 && w[0].0 < w[1].0));
        assert!(dot_edge_polyline("0,0 1,1").unwrap_err().contains("3k + 1"));
    }

    #[test]
    fn dot_curves_that_cross_are_counted() {
        // Two mirror-image S-curves swapping sides once: one crossing, and (flattened at the
        // same parameters) exactly at a chord end of both.
        let json = r#"{"directed": true, "edges": [
            {"tail": 0, "head": 1, "pos": "e,100,100 0,0 50,0 50,100 90,100"},
            {"tail": 2, "head": 3, "pos": "e,100,0 0,100 50,100 50,0 90,0"}
        ]}"#;
        assert_eq!(count_json(json), Ok((Source::Dot, 1)));
    }

    #[test]
    fn archdraw_json_is_read() {
        let json = r#"{"width": 10, "routes": [
            {"net": 0, "points": [{"x": 0, "y": 5}, {"x": 10, "y": 5}]},
            {"net": 1, "points": [{"x": 5, "y": 0}, {"x": 5, "y": 10}]}
        ]}"#;
        assert_eq!(count_json(json), Ok((Source::Archdraw, 1)));
        assert!(count_json("{}").is_err());
        assert!(count_json("[1]").is_err());
    }
}
