//! Phase 1: ranks. Cycles are broken, every box gets a rank along the flow, and arrows that
//! skip ranks get a chain of dummy nodes, one per rank they pass.
//!
//! Cycle breaking is Eades, Lin and Smyth's greedy heuristic with ties in input order
//! ([`acyclic`](super::acyclic)): a source stays first and a sink last, so a write-back arrow
//! into a source is the one drawn reversed; a group and another group or a box with arrows
//! both ways between them are taken as two units first, so the later direction is drawn back
//! and no frame stretches over the other's length. Ranking is network simplex ([`simplex`]): ranks
//! that minimise the total length of the arrows, so a late-joining input sits next to its
//! successor, then dot's top-bottom balance moves boxes that are free to move into the ranks
//! holding fewest. A group is kept short along the flow as dot's `newrank` keeps a `compact`
//! cluster: a top and a bottom node around its members and a heavy weight between them, so
//! its members share ranks wherever their arrows allow and the frame adds no rank.

use super::simplex::{self, Balance, Edge, Effort};
use crate::model::Diagram;

/// An arrow as the layered graph sees it.
#[derive(Debug, Clone)]
pub(super) struct Chain {
    /// Layered nodes from the lower rank to the higher, both ends included; a self-arrow has
    /// just its box.
    pub nodes: Vec<usize>,
    /// Drawn against the flow: the head is at `nodes[0]`.
    pub reversed: bool,
}

impl Chain {
    pub fn is_self_loop(&self) -> bool {
        self.nodes.len() == 1
    }

    /// Whether the arrowhead stands on the front face of `nodes[0]`, pointing back against the
    /// flow: a reversed arrow's does, and a self-arrow's, which leaves and re-enters that face.
    /// Such a head needs the channel after its node's rank (frames keep a blank for it, routing
    /// a cell of its own line before anything crosses it).
    pub fn head_on_front_face(&self) -> bool {
        self.reversed || self.is_self_loop()
    }

    /// The node at the higher rank's end (a self-arrow's only node): every chain holds at
    /// least one.
    pub fn last(&self) -> usize {
        self.nodes[self.nodes.len() - 1]
    }
}

/// The layered graph: real boxes `0..real`, then dummies.
#[derive(Debug, Clone)]
pub(super) struct Layered {
    /// Number of real boxes; layered nodes at or above this index are dummies.
    pub real: usize,
    /// Rank of every layered node.
    pub rank: Vec<usize>,
    /// One chain per arrow, in arrow order.
    pub chains: Vec<Chain>,
    /// Number of ranks.
    pub ranks: usize,
}

impl Layered {
    pub fn is_dummy(&self, v: usize) -> bool {
        v >= self.real
    }

    pub fn len(&self) -> usize {
        self.rank.len()
    }
}

/// Every arrow of `diagram` as (from, to) box indices, in order: what [`rank`] takes.
pub(super) fn arrows(diagram: &Diagram) -> Vec<(usize, usize)> {
    diagram.edges.iter().map(|e| (e.from.0, e.to.0)).collect()
}

/// How much a rank of a group's span costs against one rank of one arrow: more than any
/// arrow could save (dot's `STRONG_CLUSTER_WEIGHT`).
const GROUP_WEIGHT: i64 = 1000;

/// Pivots the ranking's network simplex may make per box before it settles for the ranks
/// reached: hand-written diagrams need less than one per box, random graphs a few.
const PIVOTS_PER_NODE: usize = 4;

/// How much pivoting the ranking may do at most, in nodes and edges visited: each pivot can
/// pass over the whole graph, so big graphs get fewer pivots (about 200 at 10,000 boxes, where
/// longest-path ranks are nearly optimal anyway, and the least is returned if they are).
const PIVOT_WORK: usize = 5_000_000;

/// Ranks `n` boxes joined by `edges` (from, to), with `group[v]` each box's group, and
/// inserts dummies.
pub(super) fn rank(n: usize, edges: &[(usize, usize)], group: &[Option<usize>]) -> Layered {
    let (rank, reversed) = box_ranks(n, edges, group);
    let ranks = rank.iter().max().map_or(0, |r| r + 1);

    let mut layered = Layered { real: n, rank, chains: Vec::with_capacity(edges.len()), ranks };
    for (&(a, b), &rev) in edges.iter().zip(&reversed) {
        if a == b {
            layered.chains.push(Chain { nodes: vec![a], reversed: false });
            continue;
        }
        let (lo, hi) = if rev { (b, a) } else { (a, b) };
        let mut nodes = vec![lo];
        for r in layered.rank[lo] + 1..layered.rank[hi] {
            nodes.push(layered.rank.len());
            layered.rank.push(r);
        }
        nodes.push(hi);
        layered.chains.push(Chain { nodes, reversed: rev });
    }
    layered
}

/// The rank of every box and which arrows are drawn reversed, before any dummy is made.
///
/// Never more dummies than [`longest_path_ranks`] makes, which is what the layout budget counts:
/// if the group weights (or the pivot cap) would cost more, the longest-path ranks are used.
pub(super) fn box_ranks(
    n: usize,
    edges: &[(usize, usize)],
    group: &[Option<usize>],
) -> (Vec<usize>, Vec<bool>) {
    let reversed = super::acyclic::back_edges_grouped(n, edges, group);
    let dag = forward(edges, &reversed);
    let bound = longest_path(n, &dag);
    let ranks = simplex_ranks(n, &dag, group);
    let span = |rank: &[usize]| dag.iter().map(|&(a, b)| rank[b] - rank[a]).sum::<usize>();
    if span(&ranks) <= span(&bound) { (ranks, reversed) } else { (bound, reversed) }
}

/// Longest-path ranks after the same cycle breaking as [`box_ranks`]: the ranks the layout
/// budget counts dummies on. No ranking the layout makes needs more.
pub(super) fn longest_path_ranks(
    n: usize,
    edges: &[(usize, usize)],
    group: &[Option<usize>],
) -> (Vec<usize>, Vec<bool>) {
    let reversed = super::acyclic::back_edges_grouped(n, edges, group);
    (longest_path(n, &forward(edges, &reversed)), reversed)
}

/// The arrows with the reversed ones turned round, self-arrows left out.
fn forward(edges: &[(usize, usize)], reversed: &[bool]) -> Vec<(usize, usize)> {
    edges
        .iter()
        .zip(reversed)
        .filter(|((a, b), _)| a != b)
        .map(|(&(a, b), &rev)| if rev { (b, a) } else { (a, b) })
        .collect()
}

/// Network-simplex ranks of the acyclic `dag`, each group compacted between a top and a
/// bottom node (numbered after the boxes), then balanced.
fn simplex_ranks(n: usize, dag: &[(usize, usize)], group: &[Option<usize>]) -> Vec<usize> {
    let mut edges: Vec<Edge> =
        dag.iter().map(|&(tail, head)| Edge { tail, head, minlen: 1, weight: 1 }).collect();
    let groups = group.iter().flatten().map(|&k| k + 1).max().unwrap_or(0);
    let mut size = vec![0usize; groups];
    for &k in group.iter().take(n).flatten() {
        size[k] += 1;
    }
    // Group k's top and bottom: nodes n + 2k and n + 2k + 1 (unused for a group of one).
    for (v, &k) in group.iter().enumerate().take(n) {
        if let Some(k) = k.filter(|&k| size[k] > 1) {
            let (top, bottom) = (n + 2 * k, n + 2 * k + 1);
            edges.push(Edge { tail: top, head: v, minlen: 0, weight: 0 });
            edges.push(Edge { tail: v, head: bottom, minlen: 0, weight: 0 });
        }
    }
    for k in (0..groups).filter(|&k| size[k] > 1) {
        edges.push(Edge { tail: n + 2 * k, head: n + 2 * k + 1, minlen: 0, weight: GROUP_WEIGHT });
    }
    let nodes = n + 2 * groups;
    let max_pivots = (PIVOTS_PER_NODE * nodes + 100).min(PIVOT_WORK / (nodes + edges.len()));
    let effort = Effort { max_pivots, ..Effort::default() };
    let solution = simplex::solve(nodes, &edges, None, Balance::Even { counted: n }, effort);
    solution.x[..n].iter().map(|&r| r as usize).collect()
}

/// Longest-path ranks of an acyclic graph: every box as early as its arrows allow.
fn longest_path(n: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        indegree[b] += 1;
        out[a].push(b);
    }
    let mut rank = vec![0usize; n];
    let mut queue: std::collections::VecDeque<usize> =
        (0..n).filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = queue.pop_front() {
        for &w in &out[v] {
            rank[w] = rank[w].max(rank[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_gets_consecutive_ranks() {
        let l = rank(3, &[(0, 1), (1, 2)], &[]);
        assert_eq!(l.rank, [0, 1, 2]);
        assert!(l.chains.iter().all(|c| !c.reversed && c.nodes.len() == 2));
    }

    #[test]
    fn cycle_is_broken_by_reversing_the_back_edge() {
        let l = rank(3, &[(0, 1), (1, 2), (2, 0)], &[]);
        assert_eq!(&l.rank[..3], [0, 1, 2]);
        assert!(l.chains[2].reversed);
        // 0 and 2 are two ranks apart, so the reversed arrow passes one dummy.
        assert_eq!(l.chains[2].nodes.len(), 3);
        assert!(l.is_dummy(l.chains[2].nodes[1]));
    }

    #[test]
    fn late_source_sits_next_to_its_successor() {
        let l = rank(4, &[(0, 1), (1, 2), (3, 2)], &[]);
        assert_eq!(l.rank[3], 1);
    }

    #[test]
    fn two_groups_arrowing_each_other_each_keep_to_their_own_ranks() {
        // The SaaS corpus spec: console 0; control plane {1 API, 2 tenants, 3 provisioner,
        // 4 billing}; data plane {5 router, 6 workers, 7 storage, 8 metering}; customers 9.
        // With metering -> billing forward, billing and tenants would sink below the whole
        // data plane and the control plane's frame span seven ranks.
        let edges = [
            (0, 1),
            (1, 2),
            (1, 3),
            (3, 5),
            (3, 7),
            (9, 5),
            (5, 6),
            (6, 7),
            (6, 8),
            (8, 4),
            (4, 2),
        ];
        let (control, data) = (Some(0), Some(1));
        let group = [None, control, control, control, control, data, data, data, data, None];
        let l = rank(10, &edges, &group);
        let span = |members: &[usize]| {
            let ranks = members.iter().map(|&v| l.rank[v]);
            ranks.clone().max().unwrap() - ranks.min().unwrap()
        };
        assert_eq!(span(&[1, 2, 3, 4]), 1);
        assert_eq!(span(&[5, 6, 7, 8]), 2);
        assert!(l.chains[9].reversed);
        assert!(l.rank[4] < l.rank[5], "billing above the data plane");
    }

    #[test]
    fn self_loop_is_its_own_chain() {
        let l = rank(1, &[(0, 0)], &[]);
        assert!(l.chains[0].is_self_loop());
        assert_eq!(l.ranks, 1);
    }
}
