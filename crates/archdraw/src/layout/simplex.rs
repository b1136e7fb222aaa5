//! Network simplex: integer positions `x` that minimise `Σ weight · (x[head] − x[tail])`
//! subject to `x[head] − x[tail] ≥ minlen` for every edge (Gansner, Koutsofios, North and Vo,
//! "A technique for drawing directed graphs", 1993). One solver serves two phases, as in dot:
//! ranks along the flow, then positions across it on an auxiliary graph.
//!
//! The constraint graph must be acyclic (every caller builds it so). Components are solved
//! independently, each shifted so its smallest position is 0.
//!
//! How it runs:
//! - A feasible start: the caller's positions, or longest path from the sources.
//! - A feasible spanning tree of tight edges (slack 0), grown from each component's first node;
//!   when no tight edge leaves the tree, the tree moves by the smallest slack of an edge leaving
//!   it. Two heaps keyed so that moving the tree never re-keys them keep this O(E log E).
//! - Pivots: a tree edge with a negative cut value leaves, the non-tree edge of least slack
//!   across the same cut enters. The cut value of the tree edge above node `c` is, up to sign,
//!   the sum over `c`'s subtree of each node's out-weight minus in-weight: edges inside the
//!   subtree cancel. So one postorder pass gives every cut value, and a pivot renumbers only
//!   the subtree of the lowest common ancestor of the entering edge's ends (dot's `update`).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A constraint `x[head] − x[tail] ≥ minlen` with cost `weight · (x[head] − x[tail])`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Edge {
    pub tail: usize,
    pub head: usize,
    pub minlen: i64,
    pub weight: i64,
}

/// What to do with the freedom an optimum leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Balance {
    /// Nothing: positions as the pivots left them.
    None,
    /// dot's `TB_balance`: a node among the first `counted` whose in- and out-weights are
    /// equal and not zero moves, at no cost, to the position between its neighbours that holds
    /// the fewest of those nodes (ranks of even width). Nodes past `counted` are helpers (a
    /// group's top and bottom) and neither count nor move.
    Even { counted: usize },
}

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub(super) struct Effort {
    /// Pivots at most; past it the (feasible) positions reached are returned.
    pub max_pivots: usize,
    /// Work at most, in nodes and edges the pivots visit (a pivot near the tree's root visits
    /// most of the graph); past it, as past `max_pivots`.
    pub max_work: usize,
    /// A leaving edge is the most negative of the first this many negative cut values found
    /// (dot's `searchsize`, 30): cheaper than the most negative of all, nearly as few pivots.
    pub search_size: usize,
}

impl Default for Effort {
    fn default() -> Self {
        Effort { max_pivots: usize::MAX, max_work: usize::MAX, search_size: 30 }
    }
}

/// The positions, and whether the pivots reached an optimum (or stopped at `max_pivots`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Solution {
    pub x: Vec<i64>,
    pub optimal: bool,
    pub pivots: usize,
}

/// Solves the problem for `n` nodes. `start`, if given, must satisfy every constraint.
pub(super) fn solve(
    n: usize,
    edges: &[Edge],
    start: Option<Vec<i64>>,
    balance: Balance,
    effort: Effort,
) -> Solution {
    let mut ns = Simplex::new(n, edges, start);
    ns.feasible_tree();
    ns.number_all();
    let (optimal, pivots) = ns.pivot(effort);
    ns.normalise();
    if let Balance::Even { counted } = balance {
        ns.even_out(counted);
    }
    Solution { x: ns.x, optimal, pivots }
}

/// The sum of `weight · (x[head] − x[tail])`.
pub(super) fn cost(edges: &[Edge], x: &[i64]) -> i64 {
    edges.iter().map(|e| e.weight * (x[e.head] - x[e.tail])).sum()
}

const NONE: usize = usize::MAX;

struct Simplex<'a> {
    edges: &'a [Edge],
    /// Edges at each node, both ways, in edge order: node `v`'s are
    /// `adj[adj_start[v]..adj_start[v + 1]]` (one flat array: the pivots scan them often).
    adj: Vec<usize>,
    adj_start: Vec<usize>,
    x: Vec<i64>,
    in_tree: Vec<bool>,
    /// Tree edges at each node.
    /// Tree edges at each node, with the node at their other end (saves a look-up of the edge
    /// on every step of [`Self::number`]).
    tree_adj: Vec<Vec<(usize, usize)>>,
    /// The tree edges, in a fixed cyclic order for the leaving-edge search.
    tree_edges: Vec<usize>,
    tree_slot: Vec<usize>,
    search_from: usize,
    /// Tree numbering: parent edge, postorder number, smallest postorder number below.
    parent: Vec<usize>,
    lim: Vec<usize>,
    low: Vec<usize>,
    by_lim: Vec<usize>,
    /// Out-weight minus in-weight of each node, and its sum over each node's subtree.
    net_out: Vec<i64>,
    subtree_net_out: Vec<i64>,
    /// Each tree root, with its component's postorder range.
    roots: Vec<usize>,
    /// Nodes and edges the pivots have visited so far.
    work: usize,
    /// The depth-first stack of [`Self::number`], kept between pivots: one pivot renumbers a
    /// subtree, and thousands of pivots would otherwise allocate one stack each.
    stack: Vec<(usize, usize)>,
}

impl<'a> Simplex<'a> {
    fn new(n: usize, edges: &'a [Edge], start: Option<Vec<i64>>) -> Self {
        let mut net_out = vec![0i64; n];
        let mut adj_start = vec![0usize; n + 1];
        for e in edges {
            adj_start[e.tail + 1] += 1;
            if e.head != e.tail {
                adj_start[e.head + 1] += 1;
            }
            net_out[e.tail] += e.weight;
            net_out[e.head] -= e.weight;
        }
        for v in 0..n {
            adj_start[v + 1] += adj_start[v];
        }
        let mut fill = adj_start.clone();
        let mut adj = vec![0usize; adj_start[n]];
        for (i, e) in edges.iter().enumerate() {
            adj[fill[e.tail]] = i;
            fill[e.tail] += 1;
            if e.head != e.tail {
                adj[fill[e.head]] = i;
                fill[e.head] += 1;
            }
        }
        let x = start.unwrap_or_else(|| longest_path(n, edges));
        debug_assert!(edges.iter().all(|e| x[e.head] - x[e.tail] >= e.minlen), "infeasible start");
        Simplex {
            edges,
            adj,
            adj_start,
            x,
            in_tree: vec![false; edges.len()],
            tree_adj: vec![Vec::new(); n],
            tree_edges: Vec::with_capacity(n),
            tree_slot: vec![NONE; edges.len()],
            search_from: 0,
            parent: vec![NONE; n],
            lim: vec![0; n],
            low: vec![0; n],
            by_lim: vec![0; n],
            net_out,
            subtree_net_out: vec![0; n],
            roots: Vec::new(),
            work: 0,
            stack: Vec::new(),
        }
    }

    /// The edges at `v`, both ways, in edge order.
    fn adj(&self, v: usize) -> &[usize] {
        &self.adj[self.adj_start[v]..self.adj_start[v + 1]]
    }

    fn slack(&self, e: usize) -> i64 {
        let e = &self.edges[e];
        self.x[e.head] - self.x[e.tail] - e.minlen
    }

    fn other(&self, e: usize, v: usize) -> usize {
        let e = &self.edges[e];
        if e.tail == v { e.head } else { e.tail }
    }

    fn add_tree_edge(&mut self, e: usize) {
        self.in_tree[e] = true;
        self.tree_slot[e] = self.tree_edges.len();
        self.tree_edges.push(e);
        let (t, h) = (self.edges[e].tail, self.edges[e].head);
        self.tree_adj[t].push((e, h));
        self.tree_adj[h].push((e, t));
    }

    /// A spanning tree of tight edges in every component, moving subtrees as it grows.
    fn feasible_tree(&mut self) {
        let n = self.x.len();
        let mut joined = vec![false; n];
        // A tree node's position is `base + shift`: moving the tree changes only `shift`.
        let mut base = vec![0i64; n];
        for root in 0..n {
            if joined[root] {
                continue;
            }
            self.roots.push(root);
            let mut shift = 0i64;
            let mut members = Vec::new();
            // Edges leaving the tree keyed by slack + shift, edges entering it by slack − shift.
            let mut leaving: BinaryHeap<Reverse<(i64, usize)>> = BinaryHeap::new();
            let mut entering: BinaryHeap<Reverse<(i64, usize)>> = BinaryHeap::new();
            let mut stack = vec![root];
            joined[root] = true;
            base[root] = self.x[root];
            members.push(root);
            loop {
                while let Some(v) = stack.pop() {
                    let xv = base[v] + shift;
                    for i in self.adj_start[v]..self.adj_start[v + 1] {
                        let e = self.adj[i];
                        let w = self.other(e, v);
                        if joined[w] {
                            continue;
                        }
                        let edge = self.edges[e];
                        let slack = if edge.tail == v {
                            self.x[w] - xv - edge.minlen
                        } else {
                            xv - self.x[w] - edge.minlen
                        };
                        if slack == 0 {
                            self.add_tree_edge(e);
                            joined[w] = true;
                            base[w] = self.x[w] - shift;
                            members.push(w);
                            stack.push(w);
                        } else if edge.tail == v {
                            leaving.push(Reverse((slack + shift, e)));
                        } else {
                            entering.push(Reverse((slack - shift, e)));
                        }
                    }
                }
                let outside = |joined: &[bool], e: usize| {
                    let edge = &self.edges[e];
                    !(joined[edge.tail] && joined[edge.head])
                };
                while leaving.peek().is_some_and(|&Reverse((_, e))| !outside(&joined, e)) {
                    leaving.pop();
                }
                while entering.peek().is_some_and(|&Reverse((_, e))| !outside(&joined, e)) {
                    entering.pop();
                }
                let out = leaving.peek().map(|&Reverse((k, e))| (k - shift, e));
                let inn = entering.peek().map(|&Reverse((k, e))| (k + shift, e));
                let (e, w) = match (out, inn) {
                    (None, None) => break,
                    (Some((s, e)), inn) if inn.is_none_or(|(t, _)| s <= t) => {
                        // The tree moves forward until the edge out of it is tight.
                        shift += s;
                        (e, self.edges[e].head)
                    }
                    (_, Some((s, e))) => {
                        shift -= s;
                        (e, self.edges[e].tail)
                    }
                    (Some(_), None) => unreachable!("handled by the guard above"),
                };
                self.add_tree_edge(e);
                joined[w] = true;
                base[w] = self.x[w] - shift;
                members.push(w);
                stack.push(w);
            }
            for v in members {
                self.x[v] = base[v] + shift;
            }
        }
    }

    fn number_all(&mut self) {
        let mut next = 0;
        for i in 0..self.roots.len() {
            next = self.number(self.roots[i], NONE, next);
        }
    }

    /// Numbers the subtree of `root` (reached through `parent_edge`) in postorder from `first`,
    /// and sums net out-weights over it. Returns the next free number.
    fn number(&mut self, root: usize, parent_edge: usize, first: usize) -> usize {
        let mut next = first;
        self.parent[root] = parent_edge;
        self.low[root] = next;
        self.subtree_net_out[root] = self.net_out[root];
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push((root, 0));
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if let Some(&(e, w)) = self.tree_adj[v].get(*i) {
                *i += 1;
                if e == self.parent[v] {
                    continue;
                }
                self.parent[w] = e;
                self.low[w] = next;
                self.subtree_net_out[w] = self.net_out[w];
                stack.push((w, 0));
            } else {
                stack.pop();
                self.lim[v] = next;
                self.by_lim[next] = v;
                next += 1;
                if let Some(&(p, _)) = stack.last() {
                    self.subtree_net_out[p] += self.subtree_net_out[v];
                }
            }
        }
        self.stack = stack;
        next
    }

    /// The end of tree edge `e` farther from the root.
    fn child(&self, e: usize) -> usize {
        let t = self.edges[e].tail;
        if self.parent[t] == e { t } else { self.edges[e].head }
    }

    fn cut_value(&self, e: usize) -> i64 {
        let c = self.child(e);
        if self.edges[e].tail == c { self.subtree_net_out[c] } else { -self.subtree_net_out[c] }
    }

    fn below(&self, v: usize, c: usize) -> bool {
        self.low[c] <= self.lim[v] && self.lim[v] <= self.lim[c]
    }

    fn leave_edge(&mut self, search_size: usize) -> Option<usize> {
        let count = self.tree_edges.len();
        let mut best: Option<(i64, usize)> = None;
        let mut found = 0;
        let mut steps = 0;
        for step in 0..count {
            steps += 1;
            let slot = (self.search_from + step) % count;
            let e = self.tree_edges[slot];
            let cut = self.cut_value(e);
            if cut < 0 {
                if best.is_none_or(|(c, _)| cut < c) {
                    best = Some((cut, slot));
                }
                found += 1;
                if found >= search_size {
                    break;
                }
            }
        }
        self.work += steps;
        let (_, slot) = best?;
        self.search_from = slot + 1;
        Some(self.tree_edges[slot])
    }

    /// The non-tree edge of least slack from the leaving edge's head side to its tail side.
    ///
    /// The edges crossing the cut are found from whichever side has fewer nodes: `c`'s subtree
    /// or the rest of its component (on the 1,000-box bench graph the subtree averaged most of
    /// the graph). The least `(slack, edge)` is the same either way.
    fn enter_edge(&mut self, leaving: usize) -> Option<usize> {
        let c = self.child(leaving);
        // `c`'s subtree is the tail side when `c` is the leaving edge's tail.
        let subtree_is_tail = self.edges[leaving].tail == c;
        let (first, last) = self.component_range(c);
        let inside = self.lim[c] + 1 - self.low[c];
        let from_subtree = 2 * inside <= last + 1 - first;
        let ranges = if from_subtree {
            [self.low[c]..self.lim[c] + 1, 0..0]
        } else {
            [first..self.low[c], self.lim[c] + 1..last + 1]
        };
        let mut best: Option<(i64, usize)> = None;
        let mut work = 0;
        for l in ranges.into_iter().flatten() {
            let v = self.by_lim[l];
            let adj = self.adj(v);
            work += 1 + adj.len();
            for &e in adj {
                if self.in_tree[e] {
                    continue;
                }
                let edge = &self.edges[e];
                // The entering edge's head is on the tail side: in the subtree when that is
                // the tail side, else outside it.
                let crosses = match (from_subtree, subtree_is_tail) {
                    (true, true) => edge.head == v && !self.below(edge.tail, c),
                    (true, false) => edge.tail == v && !self.below(edge.head, c),
                    (false, true) => edge.tail == v && self.below(edge.head, c),
                    (false, false) => edge.head == v && self.below(edge.tail, c),
                };
                if crosses {
                    let s = self.slack(e);
                    if best.is_none_or(|(b, be)| (s, e) < (b, be)) {
                        best = Some((s, e));
                    }
                }
            }
        }
        self.work += work;
        best.map(|(_, e)| e)
    }

    /// The postorder numbers of the component `v` belongs to, first and last.
    fn component_range(&self, v: usize) -> (usize, usize) {
        let at = self.lim[v];
        let i = self.roots.partition_point(|&r| self.lim[r] < at);
        let root = self.roots[i];
        (self.low[root], self.lim[root])
    }

    fn pivot(&mut self, effort: Effort) -> (bool, usize) {
        let mut pivots = 0;
        while pivots < effort.max_pivots && self.work < effort.max_work {
            let Some(leaving) = self.leave_edge(effort.search_size.max(1)) else {
                return (true, pivots);
            };
            let Some(entering) = self.enter_edge(leaving) else {
                // Only zero-weight edges cross: the cut value cannot be negative then.
                debug_assert!(false, "a negative cut value with no entering edge");
                return (false, pivots);
            };
            self.exchange(leaving, entering);
            pivots += 1;
        }
        (false, pivots)
    }

    fn exchange(&mut self, leaving: usize, entering: usize) {
        let c = self.child(leaving);
        let delta = self.slack(entering);
        if delta != 0 {
            // Move the subtree so the entering edge becomes tight.
            let step = if self.edges[leaving].tail == c { -delta } else { delta };
            for l in self.low[c]..=self.lim[c] {
                let v = self.by_lim[l];
                self.x[v] += step;
            }
        }
        // The lowest common ancestor of the entering edge's ends keeps its set of descendants.
        let (t, h) = (self.edges[entering].tail, self.edges[entering].head);
        let mut lca = t;
        while !self.below(h, lca) {
            lca = self.other(self.parent[lca], lca);
        }
        self.in_tree[leaving] = false;
        for v in [self.edges[leaving].tail, self.edges[leaving].head] {
            let list = &mut self.tree_adj[v];
            if let Some(i) = list.iter().position(|&(e, _)| e == leaving) {
                list.remove(i);
            }
        }
        let slot = self.tree_slot[leaving];
        self.tree_slot[leaving] = NONE;
        self.in_tree[entering] = true;
        self.tree_edges[slot] = entering;
        self.tree_slot[entering] = slot;
        self.tree_adj[t].push((entering, h));
        self.tree_adj[h].push((entering, t));
        let parent = self.parent[lca];
        let first = self.low[lca];
        self.work += self.lim[lca] + 1 - first;
        self.number(lca, parent, first);
    }

    /// Shifts each component so its smallest position is 0.
    fn normalise(&mut self) {
        let mut first = 0;
        for &root in &self.roots {
            let range = first..=self.lim[root];
            let min = range.clone().map(|l| self.x[self.by_lim[l]]).min().unwrap_or(0);
            for l in range {
                self.x[self.by_lim[l]] -= min;
            }
            first = self.lim[root] + 1;
        }
    }

    fn even_out(&mut self, counted: usize) {
        let counted = counted.min(self.x.len());
        let max = self.x[..counted].iter().copied().max().unwrap_or(0);
        let mut count = vec![0usize; max as usize + 1];
        for &x in &self.x[..counted] {
            count[x as usize] += 1;
        }
        for v in 0..counted {
            let (mut in_w, mut out_w) = (0, 0);
            let (mut lo, mut hi) = (0, max);
            for &e in self.adj(v) {
                let edge = &self.edges[e];
                if edge.head == v {
                    in_w += edge.weight;
                    lo = lo.max(self.x[edge.tail] + edge.minlen);
                }
                if edge.tail == v {
                    out_w += edge.weight;
                    hi = hi.min(self.x[edge.head] - edge.minlen);
                }
            }
            if in_w != out_w || in_w == 0 {
                continue;
            }
            let here = self.x[v];
            let mut best = here;
            // The nearest ranks first: a long free range (rare) is not scanned to its end.
            for r in (lo.max(0)..=hi).take(BALANCE_SCAN) {
                if count[r as usize] < count[best as usize] {
                    best = r;
                }
            }
            if best != here {
                count[here as usize] -= 1;
                count[best as usize] += 1;
                self.x[v] = best;
            }
        }
    }
}

/// How many positions balancing looks at for one node.
const BALANCE_SCAN: usize = 64;

/// Longest path from the sources: the least positions that meet every constraint, sources at 0.
fn longest_path(n: usize, edges: &[Edge]) -> Vec<i64> {
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in edges.iter().enumerate() {
        indegree[e.head] += 1;
        out[e.tail].push(i);
    }
    let mut x = vec![0i64; n];
    let mut queue: Vec<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    let mut first_pass = vec![true; n];
    while let Some(v) = queue.pop() {
        for &i in &out[v] {
            let e = &edges[i];
            let at = x[v] + e.minlen;
            if first_pass[e.head] || at > x[e.head] {
                x[e.head] = at;
                first_pass[e.head] = false;
            }
            indegree[e.head] -= 1;
            if indegree[e.head] == 0 {
                queue.push(e.head);
            }
        }
    }
    debug_assert!(indegree.iter().all(|&d| d == 0), "the constraint graph has a cycle");
    x
}

#[cfg(test)]
mod tests;
