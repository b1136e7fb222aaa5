//! Phase 2: the order of nodes within each rank, chosen to reduce crossings.
//!
//! Barycenter sweeps down and up the ranks (Sugiyama; dot's `mincross` without its
//! transposition), keeping the best order seen by an exact crossing count. Every tie is broken
//! by the previous position, so the result depends on input order only. Connected components
//! are kept in blocks, in the order of their first box, so they sit side by side.

use std::cmp::Ordering;

use super::disjoint::DisjointSets;
use super::rank::Layered;

/// Ordering sweeps (down and up) for a diagram of ordinary size: the crossing count rarely
/// improves after a handful, and each sweep keeps the best order seen so far.
const SWEEPS: usize = 6;

/// Diagrams of more layered nodes than this get fewer sweeps...
const LARGE: usize = 2_000;
/// ...and of more than this, fewer still.
const HUGE: usize = 20_000;

/// How many sweeps a phase that sweeps the ranks (ordering, placement) makes over `nodes`
/// layered nodes: `full` for ordinary diagrams, fewer for large ones, whose sweeps each take
/// long and gain little (bench/RESULTS.md has the timings).
pub(super) fn sweeps(nodes: usize, full: usize) -> usize {
    if nodes > HUGE {
        2
    } else if nodes > LARGE {
        4
    } else {
        full
    }
}

/// How a node sorts within its rank: component, block barycenter, group, own barycenter,
/// previous position, node.
type SortKey = (usize, (usize, usize), usize, (usize, usize), usize, usize);

/// The order of every rank and each node's position in its rank.
#[derive(Debug, Clone)]
pub(super) struct Order {
    pub layers: Vec<Vec<usize>>,
    pub pos: Vec<usize>,
    /// Group numbers in their cross order, the same in every rank.
    pub groups: Vec<usize>,
}

/// Orders the layered graph. `pinned_last` marks nodes that must end their rank (boxes with a
/// service arrow coming in from the far side); `group` gives each node's group, if any.
pub(super) fn order(g: &Layered, pinned_last: &[bool], group: &[Option<usize>]) -> Order {
    let n = g.len();
    let (up, down) = adjacency(g);
    let component = components(n, &up, group);

    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); g.ranks];
    for v in 0..n {
        layers[g.rank[v]].push(v);
    }
    let mut pos = vec![0usize; n];
    let sort =
        |layers: &mut Vec<Vec<usize>>, pos: &mut Vec<usize>, r: usize, adj: &[Vec<usize>]| {
            let bary: Vec<(usize, usize)> = layers[r]
                .iter()
                .map(|&v| {
                    if adj[v].is_empty() {
                        (pos[v], 1)
                    } else {
                        (adj[v].iter().map(|&w| pos[w]).sum(), adj[v].len())
                    }
                })
                .collect();
            // A group's members move as one block, keyed by all their neighbours together, so
            // that its frame can enclose them and nothing else.
            let mut block: std::collections::BTreeMap<usize, (usize, usize)> = Default::default();
            for (&v, b) in layers[r].iter().zip(&bary) {
                if let Some(k) = group.get(v).copied().flatten() {
                    let e = block.entry(k).or_default();
                    e.0 += b.0;
                    e.1 += b.1;
                }
            }
            let mut keyed: Vec<SortKey> = layers[r]
                .iter()
                .zip(&bary)
                .map(|(&v, &b)| match group.get(v).copied().flatten() {
                    Some(k) => (component[v], block[&k], k, b, pos[v], v),
                    None => (component[v], b, usize::MAX, b, pos[v], v),
                })
                .collect();
            keyed.sort_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| cmp_ratio(a.1, b.1))
                    .then_with(|| a.2.cmp(&b.2))
                    .then_with(|| cmp_ratio(a.3, b.3))
                    .then_with(|| a.4.cmp(&b.4))
            });
            layers[r] = keyed.into_iter().map(|k| k.5).collect();
            for (i, &v) in layers[r].iter().enumerate() {
                pos[v] = i;
            }
        };
    // Initial order: components in order, then input order.
    for r in 0..g.ranks {
        for (i, &v) in layers[r].iter().enumerate() {
            pos[v] = i;
        }
        sort(&mut layers, &mut pos, r, &up);
    }
    let mut best = (crossings(&layers, &down, &pos), layers.clone());
    // Each sweep is O(E log V); big diagrams get fewer of them.
    for _ in 0..sweeps(n, SWEEPS) {
        for r in 1..g.ranks {
            sort(&mut layers, &mut pos, r, &up);
        }
        for r in (0..g.ranks.saturating_sub(1)).rev() {
            sort(&mut layers, &mut pos, r, &down);
        }
        let count = crossings(&layers, &down, &pos);
        if count < best.0 {
            best = (count, layers.clone());
        }
        if count == 0 {
            break;
        }
    }
    let mut layers = best.1;
    for layer in &mut layers {
        // A stable partition keeps the crossing-reduced order within each part. A pinned group
        // member takes its whole block along, so groups stay contiguous.
        let pinned_group: Vec<usize> = layer
            .iter()
            .filter(|&&v| pinned_last.get(v).copied().unwrap_or(false))
            .filter_map(|&v| group.get(v).copied().flatten())
            .collect();
        let is_pinned = |v: usize| {
            pinned_last.get(v).copied().unwrap_or(false)
                || group.get(v).copied().flatten().is_some_and(|k| pinned_group.contains(&k))
        };
        let (mut free, pinned): (Vec<usize>, Vec<usize>) =
            layer.iter().partition(|&&v| !is_pinned(v));
        free.extend(pinned);
        *layer = free;
    }
    let groups = align_groups(&mut layers, group, &component);
    for layer in &layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    Order { layers, pos, groups }
}

/// Puts the groups in one cross order, the same in every rank, and returns it. Frames are
/// rectangles over all the ranks a group spans: if group A came before B in one rank and
/// after it in the next, no placement could keep their frames apart. The order is by each
/// group's mean relative position over its ranks; within a rank only the group blocks trade
/// places, every other node keeps its slot.
fn align_groups(
    layers: &mut [Vec<usize>],
    group: &[Option<usize>],
    component: &[usize],
) -> Vec<usize> {
    let group_of = |v: usize| group.get(v).copied().flatten();
    let count = group.iter().flatten().map(|&k| k + 1).max().unwrap_or(0);
    if count == 0 {
        return Vec::new();
    }
    // Mean of (position / rank length), kept as an exact fraction's numerator and count.
    const SCALE: u128 = 1 << 32;
    let mut mean = vec![(0u128, 0u128); count];
    let mut part = vec![usize::MAX; count];
    for layer in layers.iter() {
        let mut seen = vec![false; count];
        for (i, &v) in layer.iter().enumerate() {
            if let Some(k) = group_of(v)
                && !seen[k]
            {
                seen[k] = true;
                mean[k].0 += i as u128 * SCALE / layer.len() as u128;
                mean[k].1 += 1;
                part[k] = part[k].min(component[v]);
            }
        }
    }
    let mut order: Vec<usize> = (0..count).filter(|&k| mean[k].1 > 0).collect();
    order.sort_by(|&a, &b| {
        part[a]
            .cmp(&part[b])
            .then_with(|| (mean[a].0 * mean[b].1).cmp(&(mean[b].0 * mean[a].1)))
            .then_with(|| a.cmp(&b))
    });
    let mut rank_of = vec![0usize; count];
    for (i, &k) in order.iter().enumerate() {
        rank_of[k] = i;
    }
    for layer in layers.iter_mut() {
        // Each group's members in this rank, in their current order.
        let mut blocks: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for &v in layer.iter() {
            if let Some(k) = group_of(v) {
                blocks.entry(rank_of[k]).or_default().push(v);
            }
        }
        if blocks.len() < 2 {
            continue;
        }
        let mut sorted = blocks.into_values();
        let mut placed = vec![false; count];
        let mut out = Vec::with_capacity(layer.len());
        for &v in layer.iter() {
            match group_of(v) {
                None => out.push(v),
                Some(k) if !placed[k] => {
                    placed[k] = true;
                    out.extend(sorted.next().unwrap_or_default());
                }
                Some(_) => {}
            }
        }
        *layer = out;
    }
    order
}

/// Compares `a.0 / a.1` with `b.0 / b.1` exactly.
fn cmp_ratio(a: (usize, usize), b: (usize, usize)) -> Ordering {
    (a.0 as u128 * b.1 as u128).cmp(&(b.0 as u128 * a.1 as u128))
}

/// Neighbours in the rank above and below, from the chains' consecutive nodes.
pub(super) fn adjacency(g: &Layered) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut up = vec![Vec::new(); g.len()];
    let mut down = vec![Vec::new(); g.len()];
    for chain in &g.chains {
        for pair in chain.nodes.windows(2) {
            down[pair[0]].push(pair[1]);
            up[pair[1]].push(pair[0]);
        }
    }
    (up, down)
}

/// Component number of every node, numbered in order of each component's smallest node. A
/// group's members count as connected: its frame cannot enclose parts drawn apart.
fn components(n: usize, up: &[Vec<usize>], group: &[Option<usize>]) -> Vec<usize> {
    let mut sets = DisjointSets::new(n);
    for (v, ups) in up.iter().enumerate().take(n) {
        for &w in ups {
            sets.union(v, w);
        }
    }
    // Each member joins its group's first member.
    let mut first_member: Vec<Option<usize>> = Vec::new();
    for (v, k) in group.iter().enumerate().take(n) {
        let Some(k) = *k else { continue };
        if first_member.len() <= k {
            first_member.resize(k + 1, None);
        }
        match first_member[k] {
            Some(first) => sets.union(v, first),
            None => first_member[k] = Some(v),
        }
    }
    (0..n).map(|v| sets.find(v)).collect()
}

/// Total crossings between consecutive ranks (accumulator counting, O(E log V) per pair).
fn crossings(layers: &[Vec<usize>], down: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut total = 0;
    for r in 0..layers.len().saturating_sub(1) {
        let mut targets: Vec<usize> = Vec::new();
        for &v in &layers[r] {
            let mut below: Vec<usize> = down[v].iter().map(|&w| pos[w]).collect();
            below.sort_unstable();
            targets.extend(below);
        }
        let size = layers[r + 1].len() + 1;
        let mut tree = vec![0usize; size + 1];
        for (seen, &t) in targets.iter().enumerate() {
            // Edges seen so far that end strictly to the right of t cross this one.
            let mut i = t + 1;
            let mut at_or_left = 0;
            while i > 0 {
                at_or_left += tree[i];
                i -= i & i.wrapping_neg();
            }
            total += seen - at_or_left;
            let mut i = t + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::super::rank::rank;
    use super::*;

    #[test]
    fn crossing_pair_is_untangled() {
        // 0→3, 1→2 listed so that input order crosses them.
        let g = rank(4, &[(0, 3), (1, 2)], &[]);
        let o = order(&g, &[false; 4], &[]);
        assert_eq!(o.pos[0] < o.pos[1], o.pos[3] < o.pos[2]);
    }

    #[test]
    fn crossings_are_counted() {
        let g = rank(4, &[(0, 3), (1, 2)], &[]);
        let (_, down) = adjacency(&g);
        let layers = vec![vec![0, 1], vec![2, 3]];
        let mut pos = vec![0; 4];
        for l in &layers {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i;
            }
        }
        assert_eq!(crossings(&layers, &down, &pos), 1);
    }

    #[test]
    fn pinned_nodes_end_their_rank() {
        let g = rank(3, &[(0, 1), (0, 2)], &[]);
        let o = order(&g, &[false, true, false], &[]);
        assert_eq!(o.layers[1], [2, 1]);
    }
}
