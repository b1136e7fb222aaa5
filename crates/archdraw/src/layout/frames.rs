//! Group frames: a titled frame around each group's boxes that holds nothing else.
//!
//! Ordering keeps a group's members together in every rank and placement keeps a margin
//! between them and their neighbours in the rank (see [`super::place::separation`]). The frame
//! spans all its members' ranks, though, so [`clear_frames`] then moves whatever still reaches
//! into it.

use super::axis::AbsRect;
use super::place::{Cross, FRAME_MARGIN, Spacing, separation};
use super::rank::Layered;

/// The cross cells a group's boxes take, first to one past the last, stretched so the frame
/// around them is at least `min_frame_len` long (its title, when the title runs across).
pub(super) fn cross_extent(members: &[usize], cross: &Cross, min_frame_len: i64) -> (i64, i64) {
    let lo = members.iter().map(|&v| cross.top[v]).min().unwrap_or(0);
    let hi = members.iter().map(|&v| cross.top[v] + cross.reach[v]).max().unwrap_or(0);
    (lo, hi.max(lo + min_frame_len - 2 * FRAME_MARGIN))
}

/// The frame of a group in abstract coordinates, from its members' boxes, at least
/// `min_len` (main, cross) long so its title fits in its border.
pub(super) fn frame(
    members: &[usize],
    boxes: &[AbsRect],
    cross: &Cross,
    min_len: (i64, i64),
) -> Option<AbsRect> {
    let first = *members.first()?;
    let (mut m0, mut m1) = (boxes[first].main0, boxes[first].main0 + boxes[first].main_len);
    for &v in members {
        m0 = m0.min(boxes[v].main0);
        m1 = m1.max(boxes[v].main0 + boxes[v].main_len);
    }
    let (c0, c1) = cross_extent(members, cross, min_len.1);
    Some(AbsRect {
        main0: m0 - FRAME_MARGIN,
        cross0: c0 - FRAME_MARGIN,
        main_len: (m1 - m0 + 2 * FRAME_MARGIN).max(min_len.0),
        cross_len: c1 - c0 + 2 * FRAME_MARGIN,
    })
}

/// Keeps every frame clear of nodes that are not its group's: in each rank the frame spans,
/// nodes ordered before the group must end above the frame (else the group moves down), and
/// nodes after it, or in a rank without members, must start below it.
pub(super) fn clear_frames(
    g: &Layered,
    layers: &[Vec<usize>],
    cross: &mut Cross,
    groups: &[Vec<usize>],
    cross_order: &[usize],
    min_cross_len: &[i64],
    spacing: Spacing,
) {
    // Room between a frame's edge and a node outside it: border, blank inside, blank outside.
    let margin = FRAME_MARGIN + 2;
    let group = cross.group.clone();
    // A node in another group brings its own frame's border and inner blank.
    let framed = |v: usize| if group[v].is_some() { FRAME_MARGIN } else { 0 };
    // In cross order, so a frame once cleared is never pushed into again: each group only
    // moves itself and what comes after it. For each cleared frame: where its boxes end
    // across (before the margin) and the ranks it spans.
    let mut cleared: Vec<Option<(i64, (usize, usize))>> = vec![None; groups.len()];
    for &k in cross_order {
        let members = &groups[k];
        if members.is_empty() {
            continue;
        }
        let r0 = members.iter().map(|&v| g.rank[v]).min().unwrap_or(0);
        let r1 = members.iter().map(|&v| g.rank[v]).max().unwrap_or(0);
        let spanned = &layers[r0..=r1];
        let first_member = |layer: &[usize]| layer.iter().position(|&v| group[v] == Some(k));

        let lo = members.iter().map(|&v| cross.top[v]).min().unwrap_or(0);
        let need = spanned
            .iter()
            .flat_map(|layer| {
                // In a rank without members, the groups cleared before lie above this one.
                let before: Vec<usize> = match first_member(layer) {
                    Some(i) => layer[..i].to_vec(),
                    None => layer
                        .iter()
                        .copied()
                        .filter(|&v| group[v].is_some_and(|j| cleared[j].is_some()))
                        .collect(),
                };
                before.into_iter().map(|v| cross.top[v] + cross.reach[v] + margin + framed(v))
            })
            .max()
            .unwrap_or(lo);
        // A frame cleared before that spans some of the same ranks lies wholly above this one,
        // even where it has no members (one frame may span the other's ranks).
        let need = cleared
            .iter()
            .flatten()
            .filter(|(_, (a, b))| *a <= r1 && r0 <= *b)
            .map(|(end, _)| end + margin + FRAME_MARGIN)
            .fold(need, i64::max);
        if need > lo {
            for &v in members {
                cross.top[v] += need - lo;
            }
            for layer in spanned {
                if let Some(i) = first_member(layer) {
                    settle(g, layer, i + 1, cross, spacing);
                }
            }
        }

        let (lo, hi) = cross_extent(members, cross, min_cross_len[k]);
        cleared[k] = Some((hi, (r0, r1)));
        for layer in spanned {
            let start = match first_member(layer) {
                Some(_) => layer.iter().rposition(|&v| group[v] == Some(k)).map_or(0, |i| i + 1),
                None => 0,
            };
            for i in start..layer.len() {
                let v = layer[i];
                if group[v].is_some_and(|j| j != k && cleared[j].is_some()) {
                    continue;
                }
                let clear_above = cross.top[v] + cross.reach[v] + margin + framed(v) <= lo;
                if !clear_above && cross.top[v] < hi + margin + framed(v) {
                    cross.top[v] = hi + margin + framed(v);
                    settle(g, layer, i + 1, cross, spacing);
                }
            }
        }
    }
}

/// Moves nodes from `from` on down until each keeps its separation from the one before.
fn settle(g: &Layered, layer: &[usize], from: usize, cross: &mut Cross, spacing: Spacing) {
    for j in from.max(1)..layer.len() {
        let need = cross.top[layer[j - 1]] + separation(g, cross, layer[j - 1], layer[j], spacing);
        cross.top[layer[j]] = cross.top[layer[j]].max(need);
    }
}
