//! Group frames: a titled frame around each group's boxes that holds nothing else.
//!
//! Ordering keeps a group's members together in every rank and placement keeps a margin
//! between them and their neighbours in the rank (see [`super::place::separation`]). The frame
//! spans all its members' ranks, though, so [`clear_frames`] then moves whatever still reaches
//! into it.

use super::AbsRect;
use super::place::{Cross, FRAME_MARGIN, Spacing, separation};
use super::rank::Layered;

/// The frame of group `k` in abstract coordinates, from its members' boxes.
pub(super) fn frame(members: &[usize], boxes: &[AbsRect], cross: &Cross) -> Option<AbsRect> {
    let first = *members.first()?;
    let (mut m0, mut m1) = (boxes[first].main0, boxes[first].main0 + boxes[first].main_len);
    let (mut c0, mut c1) = (boxes[first].cross0, cross.top[first] + cross.reach[first]);
    for &v in members {
        let b = boxes[v];
        m0 = m0.min(b.main0);
        m1 = m1.max(b.main0 + b.main_len);
        c0 = c0.min(b.cross0);
        c1 = c1.max(cross.top[v] + cross.reach[v]);
    }
    Some(AbsRect {
        main0: m0 - FRAME_MARGIN,
        cross0: c0 - FRAME_MARGIN,
        main_len: m1 - m0 + 2 * FRAME_MARGIN,
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
    spacing: Spacing,
) {
    // Room between a frame's edge and a node outside it: border, blank inside, blank outside.
    let margin = FRAME_MARGIN + 2;
    for (k, members) in groups.iter().enumerate() {
        if members.is_empty() {
            continue;
        }
        let r0 = members.iter().map(|&v| g.rank[v]).min().unwrap_or(0);
        let r1 = members.iter().map(|&v| g.rank[v]).max().unwrap_or(0);
        let spanned = &layers[r0..=r1];
        let group = cross.group.clone();
        let first_member = |layer: &[usize]| layer.iter().position(|&v| group[v] == Some(k));

        let lo = members.iter().map(|&v| cross.top[v]).min().unwrap_or(0);
        let need = spanned
            .iter()
            .flat_map(|layer| {
                let before = first_member(layer).unwrap_or(0);
                layer[..before].iter().map(|&v| cross.top[v] + cross.reach[v] + margin)
            })
            .max()
            .unwrap_or(lo);
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

        let lo = members.iter().map(|&v| cross.top[v]).min().unwrap_or(0);
        let hi = members.iter().map(|&v| cross.top[v] + cross.reach[v]).max().unwrap_or(0);
        for layer in spanned {
            let start = match first_member(layer) {
                Some(_) => layer.iter().rposition(|&v| group[v] == Some(k)).map_or(0, |i| i + 1),
                None => 0,
            };
            for i in start..layer.len() {
                let v = layer[i];
                let clear_above = cross.top[v] + cross.reach[v] + margin <= lo;
                if !clear_above && cross.top[v] < hi + margin {
                    cross.top[v] = hi + margin;
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
