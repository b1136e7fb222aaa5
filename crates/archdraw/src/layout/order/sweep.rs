//! Layer sweeps over one weighted layered graph: the engine of the ordering phase.
//!
//! Each iteration sorts every rank by the weighted median or barycenter of its neighbours in
//! the rank just swept (down the ranks, then up), moves each node to its best place nearby
//! (sifting), then swaps neighbours while the exact two-sided crossing count drops (dot's
//! `transpose`, ELK's two-sided greedy switch). The
//! best order seen is kept; the search stops after a number of iterations without a gain
//! (dot: 24 at most, 8 idle). Nodes only trade places with nodes of their own *block*, so
//! groups stay contiguous and served boxes stay at the end of their rank. Every tie keeps the
//! previous order: the result depends on the start order only.

use std::cmp::Ordering;

/// A layered graph with weighted hops between adjacent ranks, local to one ordering problem.
#[derive(Debug, Clone)]
pub(super) struct Graph {
    /// Each node's rank, `0..ranks`.
    pub rank: Vec<usize>,
    pub ranks: usize,
    /// Neighbours in the rank above and below, with the weight of the hops to them.
    pub up: Vec<Vec<(usize, i64)>>,
    pub down: Vec<Vec<(usize, i64)>>,
    /// Nodes only trade places with nodes of the same block.
    pub block: Vec<usize>,
}

/// How hard the sweeps work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Effort {
    /// Sweep iterations at most (each one sweep, down or up, and its transpositions).
    pub iterations: usize,
    /// Iterations without a gain that end the search.
    pub idle: usize,
    /// Rounds of transposition after each sweep (each round visits the ranks next to a swap).
    pub transpose_rounds: usize,
    /// Sort by weighted median (dot) rather than barycenter (ELK, dagre).
    pub median: bool,
    /// Sift every node after each sweep, at most this many places each way (0: no sifting).
    pub sift: usize,
    /// Every second pair of sweeps, nodes whose keys tie take the reverse of their previous
    /// order (they always do in transposition). Worth it with many starts; from one start it
    /// undoes what the sweeps before built (see [`super::Plan`]).
    pub reverse_ties: bool,
}

/// How a node sorts in a rank: an exact fraction, its weight (0: no neighbour that side).
type Key = (i64, i64);

impl Graph {
    /// `n` nodes with their `rank`s and `hops` (upper, lower, weight); all in one block.
    pub fn new(rank: Vec<usize>, ranks: usize, hops: &[(usize, usize, i64)]) -> Self {
        let n = rank.len();
        let mut up = vec![Vec::new(); n];
        let mut down = vec![Vec::new(); n];
        for &(a, b, w) in hops {
            debug_assert_eq!(rank[a] + 1, rank[b], "a hop joins adjacent ranks");
            down[a].push((b, w));
            up[b].push((a, w));
        }
        Graph { rank, ranks, up, down, block: vec![0; n] }
    }

    pub fn len(&self) -> usize {
        self.rank.len()
    }

    /// Each node's position in its rank.
    pub fn positions(&self, layers: &[Vec<usize>]) -> Vec<usize> {
        let mut pos = vec![0; self.len()];
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
        pos
    }

    /// Sweeps and transpositions from `layers`; the best order seen and its weighted crossings.
    pub fn minimise(&self, mut layers: Vec<Vec<usize>>, effort: Effort) -> (i64, Vec<Vec<usize>>) {
        let mut pos = self.positions(&layers);
        let mut scratch = Scratch::default();
        self.transpose(&mut layers, &mut pos, false, effort.transpose_rounds);
        let mut best = (self.crossings(&layers, &pos, &mut scratch), layers.clone());
        let mut idle = 0;
        for iteration in 0..effort.iterations {
            if best.0 == 0 {
                break;
            }
            // Down, up, down, ...; ties lean the other way every second pair of sweeps, to
            // leave plateaus (dagre's bias, dot's `reverse`).
            let downward = iteration % 2 == 0;
            let lean_right = iteration % 4 >= 2;
            let sort_lean = lean_right && effort.reverse_ties;
            if downward {
                for r in 1..self.ranks {
                    self.sort_rank(&mut layers, &mut pos, r, true, effort.median, sort_lean);
                }
            } else {
                for r in (0..self.ranks.saturating_sub(1)).rev() {
                    self.sort_rank(&mut layers, &mut pos, r, false, effort.median, sort_lean);
                }
            }
            if effort.sift > 0 {
                self.sift(&mut layers, &mut pos, effort.sift);
            }
            self.transpose(&mut layers, &mut pos, lean_right, effort.transpose_rounds);
            let count = self.crossings(&layers, &pos, &mut scratch);
            if count < best.0 {
                best = (count, layers.clone());
                idle = 0;
            } else {
                idle += 1;
                if idle >= effort.idle {
                    break;
                }
            }
        }
        best
    }

    /// The sort key of `v` from its neighbours `adj[v]`.
    fn key(adj: &[(usize, i64)], pos: &[usize], median: bool, buf: &mut Vec<i64>) -> Key {
        let weight: i64 = adj.iter().map(|&(_, w)| w).sum();
        if weight == 0 {
            return (0, 0);
        }
        if !median || adj.len() == 1 {
            let sum: i64 = adj.iter().map(|&(x, w)| w * pos[x] as i64).sum();
            return (sum, weight);
        }
        // dot's weighted median: a position repeated per unit of weight; an even count
        // interpolates the middle two by how spread out each side is.
        buf.clear();
        for &(x, w) in adj {
            for _ in 0..w.min(64) {
                buf.push(pos[x] as i64);
            }
        }
        buf.sort_unstable();
        let m = buf.len() / 2;
        if buf.len() % 2 == 1 {
            return (buf[m], 1);
        }
        if buf.len() == 2 {
            return (buf[0] + buf[1], 2);
        }
        let left = buf[m - 1] - buf[0];
        let right = buf[buf.len() - 1] - buf[m];
        if left + right == 0 {
            return (buf[m - 1] + buf[m], 2);
        }
        (buf[m - 1] * right + buf[m] * left, left + right)
    }

    /// Sorts rank `r` by its nodes' keys from the rank above (or below). Nodes with no
    /// neighbour there keep their slot; ties keep the previous order (or, leaning right, its
    /// reverse).
    fn sort_rank(
        &self,
        layers: &mut [Vec<usize>],
        pos: &mut [usize],
        r: usize,
        from_above: bool,
        median: bool,
        lean_right: bool,
    ) {
        let adj = if from_above { &self.up } else { &self.down };
        let layer = &layers[r];
        if layer.len() < 2 {
            return;
        }
        let mut buf = Vec::new();
        let mut movable: Vec<(Key, usize, usize)> = Vec::with_capacity(layer.len());
        let mut fixed: Vec<bool> = vec![false; layer.len()];
        for (i, &v) in layer.iter().enumerate() {
            let key = Self::key(&adj[v], pos, median, &mut buf);
            if key.1 == 0 {
                fixed[i] = true;
            } else {
                movable.push((key, i, v));
            }
        }
        movable.sort_by(|a, b| {
            let tie = if lean_right { b.1.cmp(&a.1) } else { a.1.cmp(&b.1) };
            cmp_ratio(a.0, b.0).then(tie)
        });
        let mut sorted = Vec::with_capacity(layer.len());
        let mut next = movable.into_iter();
        for (i, &is_fixed) in fixed.iter().enumerate() {
            if is_fixed {
                sorted.push(layer[i]);
            } else {
                sorted.extend(next.next().map(|m| m.2));
            }
        }
        let out = self.respect_blocks(sorted, layer);
        for (i, &v) in out.iter().enumerate() {
            pos[v] = i;
        }
        layers[r] = out;
    }

    /// Blocks keep their slots: the members of each block refill, in sorted order, the slots
    /// their block held before.
    fn respect_blocks(&self, sorted: Vec<usize>, before: &[usize]) -> Vec<usize> {
        let first = self.block[before[0]];
        if before.iter().all(|&v| self.block[v] == first) {
            return sorted;
        }
        let mut queues: std::collections::BTreeMap<usize, std::collections::VecDeque<usize>> =
            Default::default();
        for &v in &sorted {
            queues.entry(self.block[v]).or_default().push_back(v);
        }
        before
            .iter()
            .map(|&slot| {
                queues.get_mut(&self.block[slot]).and_then(|q| q.pop_front()).unwrap_or(slot)
            })
            .collect()
    }

    /// Moves each node of every rank, one at a time, to the place in its block's run where
    /// the crossings of its hops (both sides) are fewest (sifting, Matuszewski, Schönfeld and
    /// Molitor): a node can jump over several others where single swaps would each lose.
    pub fn sift(&self, layers: &mut [Vec<usize>], pos: &mut [usize], window: usize) {
        let mut ends = RankEnds::new(self.len());
        for layer in layers.iter_mut() {
            ends.fill(self, layer, pos);
            let nodes = layer.clone();
            for v in nodes {
                let i = pos[v];
                let block = self.block[v];
                let (mut lo, mut hi) = (i, i);
                while lo > 0 && i - lo < window && self.block[layer[lo - 1]] == block {
                    lo -= 1;
                }
                while hi + 1 < layer.len() && hi - i < window && self.block[layer[hi + 1]] == block
                {
                    hi += 1;
                }
                // Change in crossings with v moved to each place, relative to where it is.
                let (mut best, mut best_at) = (0i64, i);
                let mut delta = 0i64;
                for (j, &u) in layer.iter().enumerate().take(i).skip(lo).rev() {
                    let (v_first, u_first) = ends.pair_crossings(v, u);
                    delta += v_first - u_first;
                    if delta < best {
                        (best, best_at) = (delta, j);
                    }
                }
                delta = 0;
                for (j, &u) in layer.iter().enumerate().take(hi + 1).skip(i + 1) {
                    let (u_first, v_first) = ends.pair_crossings(u, v);
                    delta += u_first - v_first;
                    if delta < best {
                        (best, best_at) = (delta, j);
                    }
                }
                if best_at != i {
                    let v = layer.remove(i);
                    layer.insert(best_at, v);
                    for (k, &w) in
                        layer.iter().enumerate().take(i.max(best_at) + 1).skip(i.min(best_at))
                    {
                        pos[w] = k;
                    }
                }
            }
        }
    }

    /// Swaps neighbours of one block while that lowers the crossings (with `take_equal`, also
    /// while it keeps them), revisiting the ranks next to a change.
    pub fn transpose(
        &self,
        layers: &mut [Vec<usize>],
        pos: &mut [usize],
        take_equal: bool,
        rounds: usize,
    ) {
        let ranks = layers.len();
        let mut dirty = vec![true; ranks];
        let mut ends = RankEnds::new(self.len());
        for _ in 0..rounds {
            let mut changed = false;
            for r in 0..ranks {
                if !dirty[r] {
                    continue;
                }
                dirty[r] = false;
                ends.fill(self, &layers[r], pos);
                let mut improved = false;
                for i in 0..layers[r].len().saturating_sub(1) {
                    let (a, b) = (layers[r][i], layers[r][i + 1]);
                    if self.block[a] != self.block[b] {
                        continue;
                    }
                    let (now, swapped) = ends.pair_crossings(a, b);
                    if now == 0 {
                        continue;
                    }
                    if swapped < now || (take_equal && swapped == now) {
                        layers[r].swap(i, i + 1);
                        pos[a] = i + 1;
                        pos[b] = i;
                        improved |= swapped < now;
                    }
                }
                if improved {
                    changed = true;
                    dirty[r] = true;
                    if r > 0 {
                        dirty[r - 1] = true;
                    }
                    if r + 1 < ranks {
                        dirty[r + 1] = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Weighted crossings between every pair of adjacent ranks (accumulator tree, Barth,
    /// Jünger and Mutzel: O(E log V) per pair).
    pub fn crossings(&self, layers: &[Vec<usize>], pos: &[usize], scratch: &mut Scratch) -> i64 {
        let mut total = 0;
        for r in 0..layers.len().saturating_sub(1) {
            let ends = &mut scratch.ends;
            ends.clear();
            for &v in &layers[r] {
                let start = ends.len();
                ends.extend(self.down[v].iter().map(|&(w, wt)| (pos[w], wt)));
                ends[start..].sort_unstable();
            }
            let size = layers[r + 1].len() + 1;
            let tree = &mut scratch.tree;
            tree.clear();
            tree.resize(size + 1, 0);
            let mut seen = 0i64;
            for &(t, w) in ends.iter() {
                // Hops seen so far that end strictly right of t cross this one.
                let mut i = t + 1;
                let mut at_or_left = 0;
                while i > 0 {
                    at_or_left += tree[i];
                    i -= i & i.wrapping_neg();
                }
                total += w * (seen - at_or_left);
                seen += w;
                let mut i = t + 1;
                while i <= size {
                    tree[i] += w;
                    i += i & i.wrapping_neg();
                }
            }
        }
        total
    }
}

/// The positions (and weights) of the neighbours of one rank's nodes, above and below, in one
/// flat array each: they stay put while that rank alone is reordered (sifting, transposition),
/// and the pair counts those make, most of the ordering's time, then read contiguous memory.
#[derive(Debug)]
struct RankEnds {
    /// Each node's slot in the rank filled last (stale for nodes of other ranks).
    slot: Vec<usize>,
    /// Slot `i`'s neighbours above are `up[up_at[i]..up_at[i + 1]]`; below, likewise.
    up_at: Vec<usize>,
    up: Vec<(usize, i64)>,
    down_at: Vec<usize>,
    down: Vec<(usize, i64)>,
}

impl RankEnds {
    fn new(nodes: usize) -> Self {
        RankEnds {
            slot: vec![0; nodes],
            up_at: Vec::new(),
            up: Vec::new(),
            down_at: Vec::new(),
            down: Vec::new(),
        }
    }

    /// Reads the neighbours of `layer`'s nodes at their current positions.
    fn fill(&mut self, g: &Graph, layer: &[usize], pos: &[usize]) {
        let fill_side = |adj: &[Vec<(usize, i64)>], at: &mut Vec<usize>, ends: &mut Vec<_>| {
            at.clear();
            ends.clear();
            for &v in layer {
                at.push(ends.len());
                ends.extend(adj[v].iter().map(|&(x, w)| (pos[x], w)));
            }
            at.push(ends.len());
        };
        fill_side(&g.up, &mut self.up_at, &mut self.up);
        fill_side(&g.down, &mut self.down_at, &mut self.down);
        for (i, &v) in layer.iter().enumerate() {
            self.slot[v] = i;
        }
    }

    /// Weighted crossings between the hops at `a` and those at `b` (both of the rank filled),
    /// on both sides: with `a` before `b`, and with `b` before `a`. One pass gives both (a pair
    /// of hops to the same neighbour crosses in neither order).
    fn pair_crossings(&self, a: usize, b: usize) -> (i64, i64) {
        let (sa, sb) = (self.slot[a], self.slot[b]);
        let side = |at: &[usize], ends: &[(usize, i64)]| {
            let (mut a_first, mut b_first) = (0, 0);
            for &(px, wx) in &ends[at[sa]..at[sa + 1]] {
                for &(py, wy) in &ends[at[sb]..at[sb + 1]] {
                    // Branch-free: which way a pair of hops crosses is a coin toss to the CPU.
                    let w = wx * wy;
                    a_first += w * i64::from(px > py);
                    b_first += w * i64::from(px < py);
                }
            }
            (a_first, b_first)
        };
        let (up, down) = (side(&self.up_at, &self.up), side(&self.down_at, &self.down));
        (up.0 + down.0, up.1 + down.1)
    }
}

/// Buffers the crossing count reuses.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    ends: Vec<(usize, i64)>,
    tree: Vec<i64>,
}

/// Compares `a.0 / a.1` with `b.0 / b.1` exactly (positive denominators).
pub(super) fn cmp_ratio(a: Key, b: Key) -> Ordering {
    (a.0 as i128 * b.1 as i128).cmp(&(b.0 as i128 * a.1 as i128))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EFFORT: Effort = Effort {
        iterations: 24,
        idle: 8,
        transpose_rounds: 8,
        median: false,
        sift: 0,
        reverse_ties: true,
    };

    fn graph(rank: &[usize], hops: &[(usize, usize)]) -> Graph {
        let ranks = rank.iter().max().map_or(0, |r| r + 1);
        let hops: Vec<_> = hops.iter().map(|&(a, b)| (a, b, 1)).collect();
        Graph::new(rank.to_vec(), ranks, &hops)
    }

    fn count(g: &Graph, layers: &[Vec<usize>]) -> i64 {
        g.crossings(layers, &g.positions(layers), &mut Scratch::default())
    }

    #[test]
    fn crossings_are_counted_with_their_weights() {
        let g = graph(&[0, 0, 1, 1], &[(0, 3), (1, 2)]);
        assert_eq!(count(&g, &[vec![0, 1], vec![2, 3]]), 1);
        assert_eq!(count(&g, &[vec![0, 1], vec![3, 2]]), 0);
        let heavy = Graph::new(vec![0, 0, 1, 1], 2, &[(0, 3, 3), (1, 2, 2)]);
        assert_eq!(count(&heavy, &[vec![0, 1], vec![2, 3]]), 6);
    }

    #[test]
    fn sweeps_untangle_a_tangle() {
        // Four crossings in input order; none in 1 2 0 over 3 5 4.
        let g = graph(&[0, 0, 0, 1, 1, 1], &[(0, 4), (0, 5), (1, 3), (2, 3), (2, 5)]);
        let start = vec![vec![0, 1, 2], vec![3, 4, 5]];
        let before = count(&g, &start);
        let (after, layers) = g.minimise(start, EFFORT);
        assert!(after < before, "{before} → {after}");
        assert_eq!(after, count(&g, &layers));
        assert_eq!(after, 0);
    }

    #[test]
    fn medians_interpolate_and_weigh() {
        let pos = [0, 1, 5, 6];
        let mut buf = Vec::new();
        // Odd count: the middle one.
        assert_eq!(Graph::key(&[(0, 1), (1, 1), (3, 1)], &pos, true, &mut buf), (1, 1));
        // Four: 1 and 5, weighted by the spread on each side (1 and 1): the mean, 3.
        let key = Graph::key(&[(0, 1), (1, 1), (2, 1), (3, 1)], &pos, true, &mut buf);
        assert_eq!(cmp_ratio(key, (3, 1)), Ordering::Equal);
        // A heavy hop pulls the median to itself.
        let key = Graph::key(&[(0, 1), (3, 3)], &pos, true, &mut buf);
        assert_eq!(cmp_ratio(key, (6, 1)), Ordering::Equal);
    }

    #[test]
    fn sifting_moves_a_node_past_several() {
        // v = 0 goes to z = 5, past a = 1 (also to z: no gain) and b = 2 (to x = 3: one
        // crossing saved). Swapping 0 and 1 alone gains nothing; sifting jumps to the end.
        let g = graph(&[0, 0, 0, 1, 1, 1], &[(0, 5), (1, 5), (2, 3), (1, 4)]);
        let mut layers = vec![vec![0, 1, 2], vec![3, 4, 5]];
        let mut pos = g.positions(&layers);
        let before = count(&g, &layers);
        g.sift(&mut layers, &mut pos, usize::MAX);
        assert_eq!(pos, g.positions(&layers), "positions follow the moves");
        assert!(count(&g, &layers) < before, "{layers:?}");
        // A window of 0 places moves nothing.
        let mut still = vec![vec![0, 1, 2], vec![3, 4, 5]];
        let mut pos = g.positions(&still);
        g.sift(&mut still, &mut pos, 0);
        assert_eq!(still, [vec![0, 1, 2], vec![3, 4, 5]]);
    }

    #[test]
    fn blocks_keep_their_slots() {
        // 0 → 3 and 1 → 2 cross, but 2 and 3 are in different blocks: they stay.
        let mut g = graph(&[0, 0, 1, 1], &[(0, 3), (1, 2)]);
        g.block = vec![0, 0, 1, 2];
        let (count, layers) = g.minimise(vec![vec![0, 1], vec![2, 3]], EFFORT);
        assert_eq!(layers[1], [2, 3]);
        // The upper rank may still swap: then the pair does not cross.
        assert_eq!((count, layers[0].clone()), (0, vec![1, 0]));
    }
}
