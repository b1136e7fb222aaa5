//! Phase 6: the control plane. Services sit in one row past the far side of the main flow
//! (under it when the flow runs right or left, beside it when it runs down or up), ordered by
//! the boxes they serve, with an arrow from each service into the middle of each box's far side.
//!
//! A service serving several boxes is one net: a trunk along a track row of the band, with a
//! branch into each box. Track rows are shared by nets whose spans do not meet.

use super::axis::{AbsRect, AbsRoute, Dir, Pt, simplify};
use super::place::Spacing;
use super::types::Endpoint;

/// What a service's arrows aim at.
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub node: usize,
    /// Main-axis cell of the port on the box's far side.
    pub port: i64,
    /// Cross-axis cell of the arrowhead (just past the box's far side).
    pub head: i64,
    /// The column the arrow climbs from the band (the port itself, or a lane in a channel).
    pub entry: i64,
    /// For a box that has other nodes past it: the row the arrow turns on towards its lane.
    pub turn: Option<i64>,
}

/// How far a service block may move from its place to find a clear cell for its arrow.
const SHIFT: i64 = 3;

/// Places the service blocks and routes their arrows. `blocks[s]` is service `s`'s size
/// (main, cross); `anchors[s]` the main-axis offsets in its block where an arrow may start
/// (at its text); `targets[s]` its served boxes; `far_edge` the first cross cell past the
/// drawing. Routes get net numbers from `first_net` on.
pub(super) fn place(
    blocks: &[(i64, i64)],
    anchors: &[Vec<i64>],
    targets: &[Vec<Target>],
    far_edge: i64,
    first_net: usize,
    spacing: Spacing,
) -> (Vec<AbsRect>, Vec<AbsRoute>) {
    // Under a rightward flow an arrow climbs into the middle of a block's top; beside a
    // downward flow it leaves the block's first line, whose text starts right at the arrow.
    let anchor_offset = |s: usize| if spacing.vertical { 0 } else { blocks[s].0 / 2 };
    let n = blocks.len();
    if n == 0 {
        return (Vec::new(), Vec::new());
    }
    // Desired anchor (main-axis centre) of each block: the median of its entry columns.
    let desired: Vec<i64> = targets
        .iter()
        .map(|ts| {
            let mut cols: Vec<i64> = ts.iter().map(|t| t.entry).collect();
            cols.sort_unstable();
            cols.get(cols.len().saturating_sub(1) / 2).copied().unwrap_or(0)
        })
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&s| (desired[s], s));
    // Left edges as close to their targets as a gap of 3 between blocks allows.
    let mut shift = Vec::with_capacity(n);
    let mut acc = 0;
    for &s in &order {
        shift.push(acc);
        acc += blocks[s].0 + 3;
    }
    let wanted: Vec<(i64, i64)> =
        order.iter().zip(&shift).map(|(&s, &sh)| (desired[s] - anchor_offset(s) - sh, 1)).collect();
    let mut left = vec![0i64; n];
    for ((&s, &sh), z) in order.iter().zip(&shift).zip(super::place::isotonic(&wanted)) {
        left[s] = z + sh;
    }
    // An anchor keeps a free column between it and another service's climbing arrow.
    let entries: Vec<(usize, i64)> = targets
        .iter()
        .enumerate()
        .flat_map(|(s, ts)| ts.iter().map(move |t| (s, t.entry)))
        .collect();
    let mut anchor: Vec<i64> = (0..n).map(|s| left[s] + anchor_offset(s)).collect();
    for (i, &s) in order.iter().enumerate() {
        // How close an anchor comes to another service's climbing arrow: on it (2), in the
        // next column (1, and a line crossing both would read `|+|`), or clear of it (0).
        let clash = |a: i64| {
            entries
                .iter()
                .filter(|&&(o, _)| o != s)
                .map(|&(_, c)| match (c - a).abs() {
                    0 => 2,
                    1 => 1,
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        };
        // The block may move a few cells where its neighbours leave room, when no allowed
        // cell is clear where it stands (a one-line block has a single row to leave from).
        let room_before = match i {
            0 => SHIFT,
            _ => left[s] - (left[order[i - 1]] + blocks[order[i - 1]].0 + 3),
        };
        let room_after = match order.get(i + 1) {
            None => SHIFT,
            Some(&next) => left[next] - (left[s] + blocks[s].0 + 3),
        };
        let preferred = anchor[s];
        // Among the allowed cells, the clearest, then the least moved, then the nearest the
        // preferred one.
        let start = left[s];
        let best = (-room_before.clamp(0, SHIFT)..=room_after.clamp(0, SHIFT))
            .flat_map(|shift| anchors[s].iter().map(move |&o| (shift, start + shift + o)))
            .min_by_key(|&(shift, a)| (clash(a), shift.abs(), (a - preferred).abs(), a));
        if let Some((shift, a)) = best {
            left[s] += shift;
            anchor[s] = a;
        }
    }

    // Track rows for the nets that do not run straight.
    let bends = |s: usize| targets[s].len() > 1 || targets[s].iter().any(|t| t.entry != anchor[s]);
    let mut spans: Vec<(i64, i64, usize)> = (0..n)
        .filter(|&s| bends(s))
        .map(|s| {
            let lo = targets[s].iter().map(|t| t.entry).chain([anchor[s]]).min().unwrap_or(0);
            let hi = targets[s].iter().map(|t| t.entry).chain([anchor[s]]).max().unwrap_or(0);
            (lo, hi, s)
        })
        .collect();
    spans.sort_unstable();
    // A service's tail runs from its block to its track; another's branch runs from its own
    // track towards its box. Where the tail lies on that branch's line, or right next to it,
    // the service needs a track nearer the blocks (a higher one) than the other's, or the two
    // lines would overlap, or run side by side where a third crosses both (`─││─`).
    let entry_rows: Vec<(usize, i64)> = (0..n)
        .filter(|&s| bends(s))
        .flat_map(|s| targets[s].iter().map(move |t| (s, t.entry)))
        .collect();
    // For each service, the others it must lie past, worked out once.
    let below: Vec<Vec<usize>> = (0..n)
        .map(|s| {
            entry_rows
                .iter()
                .filter(|&&(o, row)| o != s && (row - anchor[s]).abs() <= 1)
                .map(|&(o, _)| o)
                .collect()
        })
        .collect();
    // Services in rounds: each after the ones it must lie past (a cycle, two services each
    // beside the other's branch, is left as it falls).
    let mut level = vec![0usize; n];
    for _ in 0..n {
        let mut changed = false;
        for &(_, _, s) in &spans {
            let need = below[s].iter().map(|&o| level[o] + 1).max().unwrap_or(0);
            if need > level[s] && need < n {
                level[s] = need;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    spans.sort_by_key(|&(lo, hi, s)| (level[s], lo, hi, s));
    // Each track holds spans that leave a free row between them.
    let mut track_spans: Vec<Vec<(i64, i64)>> = Vec::new();
    let mut track_of = vec![0usize; n];
    for &(lo, hi, s) in &spans {
        let first = below[s].iter().map(|&o| track_of[o] + 1).max().unwrap_or(0);
        let free = |taken: &Vec<(i64, i64)>| taken.iter().all(|&(a, b)| b + 1 < lo || hi + 1 < a);
        let k = match (first..track_spans.len()).find(|&k| free(&track_spans[k])) {
            Some(k) => k,
            None => {
                track_spans.resize(track_spans.len().max(first) + 1, Vec::new());
                track_spans.len() - 1
            }
        };
        track_spans[k].push((lo, hi));
        track_of[s] = k;
    }
    let band = far_edge + 1;
    let tracks = track_spans.len() as i64;
    let block_cross = band + 1 + 2 * tracks;
    let rects: Vec<AbsRect> = (0..n)
        .map(|s| AbsRect {
            main0: left[s],
            cross0: block_cross,
            main_len: blocks[s].0,
            cross_len: blocks[s].1,
        })
        .collect();

    let mut routes = Vec::new();
    for s in 0..n {
        let tail = Pt::new(anchor[s], block_cross - 1);
        for t in &targets[s] {
            let mut pts = vec![tail];
            if bends(s) {
                let row = band + 1 + 2 * track_of[s] as i64;
                pts.push(Pt::new(anchor[s], row));
                pts.push(Pt::new(t.entry, row));
            }
            if let Some(turn) = t.turn {
                pts.push(Pt::new(t.entry, turn));
                pts.push(Pt::new(t.port, turn));
            }
            pts.push(Pt::new(t.port, t.head));
            routes.push(AbsRoute {
                net: first_net + s,
                edge: None,
                from: Endpoint::Service(s),
                to: Endpoint::Box(t.node),
                points: simplify(pts),
                head: Dir::CrossMinus,
            });
        }
    }
    (rects, routes)
}
