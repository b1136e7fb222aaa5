//! The last step of placement: cross positions made as compact as the drawing's rules allow,
//! by network simplex on dot's auxiliary graph (`dot_position`), with each group frame's two
//! borders as variables (as dot's `ln` and `rn` nodes of a cluster).
//!
//! The heuristic placement before it decides which node lies above which and on which side of
//! each frame a node lies; this step keeps those decisions and only moves positions: every
//! rank's separations, every member inside its frame and every other node of the frame's
//! ranks outside it, frames of shared ranks apart. Within them it minimises the weighted
//! length of every hop across the flow (one helper node per hop, below both its pins) plus the
//! frames' lengths, so chains run straight, a frame is as tight as its members allow and the
//! nodes after a group stay on their chain's line. The heuristic positions are the start, so
//! the result is never worse by this measure; a start that breaks a constraint (which the
//! heuristic never leaves) is kept as it is.
//!
//! Asked for the [`Spread::Narrowest`] placement (a flow drawn down that misses its width
//! limit), the drawing's whole cross extent is one more length to minimise, weighing more than
//! all the others together: the narrowest positions the decisions allow, and among those the
//! straightest.

use super::super::axis::Axis;
use super::super::frames::inner_reach;
use super::super::nets::Nets;
use super::super::rank::Layered;
use super::super::simplex::{self, Balance, Edge, Effort, Leaving};
use super::{Geometry, hop_weight, main_lines_of, separation};

/// A group's frame as placement sees it.
#[derive(Debug, Clone)]
pub(in super::super) struct FrameBox<'a> {
    pub members: &'a [usize],
    /// First and last rank of its members.
    pub ranks: (usize, usize),
    /// The least cross length inside its margins (room for a title running across).
    pub min_inner: i64,
    /// Each layered node's faces whose channels lie outside its frame (`Frames::outside`).
    pub outside: &'a [[bool; 2]],
}

/// How much one cell of a frame's length costs against one cell of a light hop's bend.
const FRAME_WEIGHT: i64 = 1;

/// What the compaction minimises: the hops' lengths, main lines weighing more when
/// `main_lines` (as in [`super::place`]), and the frames' lengths; and whether the drawing's
/// extent comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in super::super) struct Aim {
    pub main_lines: bool,
    pub spread: Spread,
}

/// Whether the compaction minimises the drawing's cross extent before everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in super::super) enum Spread {
    /// Hop and frame lengths: chains straight, frames tight.
    Straightest,
    /// The drawing's cross extent first, then hop and frame lengths.
    Narrowest,
}

/// The work (nodes and edges visited) the pivots may spend: at least `WORK_FLOOR`, which takes
/// a hand-written diagram to its optimum, and `WORK_PER_ITEM` per variable and constraint.
/// On the bench graphs that is about 4 ms at 1,000 boxes, most of the way to the optimum
/// (617x221 cells, against 607x222 at the optimum and 613x263 at a tenth of the budget), and
/// 55 ms at 10,000, about 40 % of the way in area (2396x853 from 2432x926; the optimum,
/// 2343x734, would take 1.7 s). Past it, the positions reached are used if they are better
/// than the start.
const WORK_FLOOR: usize = 400_000;
const WORK_PER_ITEM: usize = 150;

/// Frames past this many are not compacted (their pairwise constraints grow quadratically).
const MAX_FRAMES: usize = 200;

/// Layered graphs past this many nodes (boxes and dummies) keep the heuristic positions: the
/// solver's setup alone would cost more than the few pivots its budget allows could gain
/// (a complete graph of 100 boxes has 166,000 dummies). The 10,000-box benchmark graph has
/// about 12,000.
const MAX_NODES: usize = 50_000;

/// Moves the nodes of `layers` along the cross axis to shorten hops and frames (and the whole,
/// as `aim` says); see the module documentation.
pub(in super::super) fn compact(
    g: &Layered,
    nets: &Nets,
    layers: &[Vec<usize>],
    frames: &[FrameBox<'_>],
    geometry: &mut Geometry,
    axis: Axis,
    aim: Aim,
) {
    if frames.len() > MAX_FRAMES || g.len() > MAX_NODES {
        return;
    }
    let build = Problem::build(g, nets, layers, frames, geometry, axis, aim.main_lines);
    let Some(mut problem) = build else {
        return;
    };
    if aim.spread == Spread::Narrowest {
        problem.weigh_extent(layers, geometry);
    }
    let Problem { edges, start, .. } = problem;
    let nodes = start.len();
    let per_item = WORK_PER_ITEM * (nodes + edges.len());
    let max_work = WORK_FLOOR.max(per_item);
    // Where the floor, which takes a hand-written diagram to its optimum, is not what bounds
    // the work, the pivots are likely to stop short: there each pivot is chosen for its gain
    // per node it walks. (Below, both rules reach an optimum, but a different one where
    // several are equally good, and the drawings stay as dot's rule leaves them.)
    let leaving =
        if per_item > WORK_FLOOR { Leaving::MostNegativePerWork } else { Leaving::MostNegative };
    let effort = Effort { max_work, leaving, ..Effort::default() };
    let before = simplex::cost(&edges, &start);
    let solution = simplex::solve(nodes, &edges, Some(start.clone()), Balance::None, effort);
    if simplex::cost(&edges, &solution.x) >= before {
        return;
    }
    // Each component of the constraint graph comes back starting at 0; keep the drawing's
    // first cell where it was.
    let shift = (0..g.len()).map(|v| start[v]).min().unwrap_or(0)
        - (0..g.len()).map(|v| solution.x[v]).min().unwrap_or(0);
    for v in 0..g.len() {
        geometry.top[v] = solution.x[v] + shift;
    }
}

/// The constraint graph and its feasible start (the heuristic positions).
struct Problem {
    edges: Vec<Edge>,
    start: Vec<i64>,
    /// Each frame's two border variables (inner extent), if it has members.
    frame_vars: Vec<Option<(usize, usize)>>,
}

impl Problem {
    fn build(
        g: &Layered,
        nets: &Nets,
        layers: &[Vec<usize>],
        frames: &[FrameBox<'_>],
        geometry: &Geometry,
        axis: Axis,
        main_lines: bool,
    ) -> Option<Self> {
        let n = g.len();
        let mut start = geometry.top.clone();
        let mut edges = Vec::new();
        for layer in layers {
            for pair in layer.windows(2) {
                let minlen = separation(g, geometry, pair[0], pair[1], axis);
                edges.push(Edge { tail: pair[0], head: pair[1], minlen, weight: 0 });
            }
        }
        let frame_vars = frame_constraints(frames, layers, geometry, &mut start, &mut edges)?;
        labels_past_frames(g, frames, &frame_vars, geometry, &start, &mut edges)?;
        let main_line = main_lines_of(g, main_lines);
        for net in &nets.nets {
            for hop in &net.hops {
                let Some(right) = hop.right else { continue };
                let (l, r) = (&nets.pins[hop.left], &nets.pins[right]);
                if l.node == r.node {
                    continue;
                }
                let weight = hop_weight(g, &main_line, hop.edge, l.node, r.node);
                let helper = start.len();
                let (pl, pr) = (geometry.top[l.node] + l.offset, geometry.top[r.node] + r.offset);
                start.push(pl.min(pr));
                edges.push(Edge { tail: helper, head: l.node, minlen: -l.offset, weight });
                edges.push(Edge { tail: helper, head: r.node, minlen: -r.offset, weight });
            }
        }
        debug_assert!(start.len() >= n);
        let feasible = edges.iter().all(|e| start[e.head] - start[e.tail] >= e.minlen);
        feasible.then_some(Problem { edges, start, frame_vars })
    }

    /// Adds the drawing's two cross ends as variables, every node and frame border between
    /// them, and their distance as a length that weighs more than every other together (so no
    /// straighter hop is bought with a wider drawing). The start stays feasible.
    fn weigh_extent(&mut self, layers: &[Vec<usize>], geometry: &Geometry) {
        let weight = self.edges.iter().map(|e| e.weight).sum::<i64>() + 1;
        let (lo, hi) = (self.start.len(), self.start.len() + 1);
        // (variable, cells it needs before it, cells after its position)
        let mut ends: Vec<(usize, i64, i64)> = Vec::new();
        for layer in layers {
            if let (Some(&first), Some(&last)) = (layer.first(), layer.last()) {
                ends.push((first, 0, 0));
                ends.push((last, 0, geometry.reach[last]));
            }
        }
        for (k, vars) in self.frame_vars.iter().enumerate() {
            if let Some((frame_lo, frame_hi)) = *vars {
                let margin = geometry.frame_margin.get(k).copied().unwrap_or(0);
                ends.push((frame_lo, margin, 0));
                ends.push((frame_hi, 0, margin));
            }
        }
        let Some(left) = ends.iter().map(|&(v, before, _)| self.start[v] - before).min() else {
            return;
        };
        let right = ends.iter().map(|&(v, _, after)| self.start[v] + after).max().unwrap_or(left);
        self.start.extend([left, right]);
        for (v, before, after) in ends {
            self.edges.push(Edge { tail: lo, head: v, minlen: before, weight: 0 });
            self.edges.push(Edge { tail: v, head: hi, minlen: after, weight: 0 });
        }
        self.edges.push(Edge { tail: lo, head: hi, minlen: 0, weight });
    }
}

/// Adds each frame's two borders as variables (after the nodes in `start`) and their
/// constraints, and returns each frame's pair of variables; `None` if the positions leave a
/// node or frame on neither side of a frame.
fn frame_constraints(
    frames: &[FrameBox<'_>],
    layers: &[Vec<usize>],
    geometry: &Geometry,
    start: &mut Vec<i64>,
    edges: &mut Vec<Edge>,
) -> Option<Vec<Option<(usize, usize)>>> {
    let top = &geometry.top;
    let reach = &geometry.reach;
    // Each frame's variables and start: (lo, hi) inner cross extent.
    let mut vars: Vec<Option<(usize, usize)>> = Vec::with_capacity(frames.len());
    for (k, frame) in frames.iter().enumerate() {
        let inner = |v: usize| inner_reach(geometry, frame.outside, v);
        let (Some(lo), Some(hi)) = (
            frame.members.iter().map(|&v| top[v]).min(),
            frame.members.iter().map(|&v| top[v] + inner(v)).max(),
        ) else {
            vars.push(None);
            continue;
        };
        let hi = hi.max(lo + frame.min_inner);
        let (lo_var, hi_var) = (start.len(), start.len() + 1);
        start.extend([lo, hi]);
        vars.push(Some((lo_var, hi_var)));
        edges.push(Edge {
            tail: lo_var,
            head: hi_var,
            minlen: frame.min_inner,
            weight: FRAME_WEIGHT,
        });
        // The frame is drawn from its first member, and its title's room counts from there.
        // That member stays first, so the room is counted from one node: counted from each
        // (as before), a frame whose first member lay above the others broke the constraint
        // at the start, and the frames of a flow drawn down were never compacted.
        let first = frame.members.iter().copied().min_by_key(|&v| top[v]).unwrap_or(0);
        for &v in frame.members {
            edges.push(Edge { tail: lo_var, head: v, minlen: 0, weight: 0 });
            edges.push(Edge { tail: v, head: hi_var, minlen: inner(v), weight: 0 });
            if v != first {
                edges.push(Edge { tail: first, head: v, minlen: 0, weight: 0 });
            }
        }
        let minlen = inner(first).max(frame.min_inner);
        edges.push(Edge { tail: first, head: hi_var, minlen, weight: 0 });
        let (r0, r1) = frame.ranks;
        for layer in &layers[r0..=r1] {
            for &v in layer.iter().filter(|&&v| geometry.group[v] != Some(k)) {
                // Its margin and a blank outside, and the other node's own frame margin.
                let outside = geometry.frame_margin[k]
                    + 1
                    + geometry.group[v].map_or(0, |j| geometry.frame_margin[j]);
                if top[v] + reach[v] + outside <= lo {
                    edges.push(Edge {
                        tail: v,
                        head: lo_var,
                        minlen: reach[v] + outside,
                        weight: 0,
                    });
                } else if top[v] >= hi + outside {
                    edges.push(Edge { tail: hi_var, head: v, minlen: outside, weight: 0 });
                } else {
                    return None;
                }
            }
        }
    }
    // Frames that share a rank lie one above the other.
    for (j, a) in frames.iter().enumerate() {
        for (k, b) in frames.iter().enumerate().skip(j + 1) {
            let (Some((a_lo, a_hi)), Some((b_lo, b_hi))) = (vars[j], vars[k]) else { continue };
            if a.ranks.1 < b.ranks.0 || b.ranks.1 < a.ranks.0 {
                continue;
            }
            let apart = geometry.frame_margin[j] + 1 + geometry.frame_margin[k];
            if start[a_hi] + apart <= start[b_lo] {
                edges.push(Edge { tail: a_hi, head: b_lo, minlen: apart, weight: 0 });
            } else if start[b_hi] + apart <= start[a_lo] {
                edges.push(Edge { tail: b_hi, head: a_lo, minlen: apart, weight: 0 });
            } else {
                return None;
            }
        }
    }
    Some(vars)
}

/// Keeps the labels a frame's members set past its first or last rank (in a channel outside
/// the frame, which the frame no longer reaches across for) clear of the borders of every
/// other frame that crosses that channel after them: the label's end, a blank, that frame's
/// margin. `None` if the start breaks this (the placement's clearing keeps it).
fn labels_past_frames(
    g: &Layered,
    frames: &[FrameBox<'_>],
    vars: &[Option<(usize, usize)>],
    geometry: &Geometry,
    start: &[i64],
    edges: &mut Vec<Edge>,
) -> Option<()> {
    for frame in frames {
        for &v in frame.members {
            let faces = frame.outside.get(v).copied().unwrap_or_default();
            let rank = g.rank[v];
            // The channel each outside face opens on, as the ranks on either side of it (none
            // before the first rank).
            let channels = [Some((rank, rank + 1)), rank.checked_sub(1).map(|r| (r, rank))];
            for f in 0..2 {
                let label_reach = geometry.sides[v].face_reach[f];
                if !faces[f] || label_reach <= inner_reach(geometry, frame.outside, v) {
                    continue;
                }
                let Some((before, after)) = channels[f] else { continue };
                for (k, (other, &var)) in frames.iter().zip(vars).enumerate() {
                    let Some((lo, _)) = var else { continue };
                    let crosses = other.ranks.0 <= before && other.ranks.1 >= after;
                    if !crosses || start[lo] <= start[v] {
                        continue;
                    }
                    let margin = geometry.frame_margin.get(k).copied().unwrap_or(0);
                    let minlen = label_reach + 1 + margin;
                    if start[lo] - start[v] < minlen {
                        return None;
                    }
                    edges.push(Edge { tail: v, head: lo, minlen, weight: 0 });
                }
            }
        }
    }
    Some(())
}
