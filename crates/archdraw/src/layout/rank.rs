//! Phase 1: ranks. Cycles are broken, every box gets a rank along the flow, and arrows that
//! skip ranks get a chain of dummy nodes, one per rank they pass.
//!
//! Cycle breaking is a depth-first search in input order (Graphviz's choice): an arrow to a box
//! still on the search stack is a back edge and is drawn reversed, with its head at the true
//! target. Ranking is longest path from the sources, then every source is pulled next to its
//! nearest successor so that a late-joining input does not drag a long arrow behind it.

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

/// Ranks `n` boxes joined by `edges` (from, to) and inserts dummies.
pub(super) fn rank(n: usize, edges: &[(usize, usize)]) -> Layered {
    let (rank, reversed) = box_ranks(n, edges);
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

/// The rank of every box, and which arrows are drawn reversed; no dummies yet, so a caller
/// can see how many an arrow would need (its rank span less one) before any are made.
pub(super) fn box_ranks(n: usize, edges: &[(usize, usize)]) -> (Vec<usize>, Vec<bool>) {
    let reversed = back_edges(n, edges);
    let dag: Vec<(usize, usize)> = edges
        .iter()
        .zip(&reversed)
        .filter(|((a, b), _)| a != b)
        .map(|(&(a, b), &rev)| if rev { (b, a) } else { (a, b) })
        .collect();
    (longest_path(n, &dag), reversed)
}

/// Marks the arrows a depth-first search in input order finds pointing back up its stack.
fn back_edges(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &(a, _)) in edges.iter().enumerate() {
        out[a].push(i);
    }
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    let mut state = vec![State::New; n];
    let mut reversed = vec![false; edges.len()];
    // An explicit stack of (node, next out-edge position): diagrams can be deep.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::OnStack;
        stack.push((root, 0));
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&e) = out[v].get(*next) {
                *next += 1;
                let w = edges[e].1;
                match state[w] {
                    State::New => {
                        state[w] = State::OnStack;
                        stack.push((w, 0));
                    }
                    State::OnStack => reversed[e] = w != v,
                    State::Done => {}
                }
            } else {
                state[v] = State::Done;
                stack.pop();
            }
        }
    }
    reversed
}

/// Longest-path ranks of an acyclic graph, then shortened arrows.
fn longest_path(n: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        indegree[b] += 1;
        out[a].push(b);
    }
    let mut rank = vec![0usize; n];
    let mut topo = Vec::with_capacity(n);
    let mut queue: std::collections::VecDeque<usize> =
        (0..n).filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = queue.pop_front() {
        topo.push(v);
        for &w in &out[v] {
            rank[w] = rank[w].max(rank[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    shorten(&mut rank, dag, &topo);
    rank
}

/// Pulls nodes with at least as many arrows out as in up against their successors, sinks
/// first, so that a chain joining late slides along instead of stretching one long arrow back
/// to the first rank. Every rank an arrow skips costs a dummy node and a longer line. (A cheap
/// stand-in for network simplex, which minimises total arrow length exactly.)
fn shorten(rank: &mut [usize], dag: &[(usize, usize)], topo: &[usize]) {
    let n = rank.len();
    let mut indegree = vec![0usize; n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        succs[a].push(b);
        indegree[b] += 1;
    }
    for &v in topo.iter().rev() {
        if succs[v].len() < indegree[v] {
            continue;
        }
        if let Some(nearest) = succs[v].iter().map(|&w| rank[w]).min() {
            rank[v] = nearest - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_gets_consecutive_ranks() {
        let l = rank(3, &[(0, 1), (1, 2)]);
        assert_eq!(l.rank, [0, 1, 2]);
        assert!(l.chains.iter().all(|c| !c.reversed && c.nodes.len() == 2));
    }

    #[test]
    fn cycle_is_broken_by_reversing_the_back_edge() {
        let l = rank(3, &[(0, 1), (1, 2), (2, 0)]);
        assert_eq!(&l.rank[..3], [0, 1, 2]);
        assert!(l.chains[2].reversed);
        // 0 and 2 are two ranks apart, so the reversed arrow passes one dummy.
        assert_eq!(l.chains[2].nodes.len(), 3);
        assert!(l.is_dummy(l.chains[2].nodes[1]));
    }

    #[test]
    fn late_source_sits_next_to_its_successor() {
        let l = rank(4, &[(0, 1), (1, 2), (3, 2)]);
        assert_eq!(l.rank[3], 1);
    }

    #[test]
    fn self_loop_is_its_own_chain() {
        let l = rank(1, &[(0, 0)]);
        assert!(l.chains[0].is_self_loop());
        assert_eq!(l.ranks, 1);
    }
}
