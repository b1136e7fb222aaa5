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
//! - Pivots: a tree edge with a negative cut value leaves (the most negative of a few found,
//!   or, on a tight work budget, the most negative per node its pivot walks), the non-tree
//!   edge of least slack across the same cut enters. The cut value of the tree edge above
//!   node `c` is, up to sign, the sum over `c`'s subtree of each node's out-weight minus
//!   in-weight: edges inside the subtree cancel. So one postorder pass gives every cut value.
//! - A pivot walks only the smaller side of the cut (to find the entering edge and to move
//!   that side), and updates parents, subtree sizes and sums along three tree paths (as LEMON
//!   does), where dot renumbers the subtree of the entering edge's ends' lowest common
//!   ancestor, often most of the graph. The rooting differs from dot's, the pivots do not:
//!   cut values and the least-slack entering edge do not depend on where the tree is rooted.

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
    /// A leaving edge is the best (as `leaving` says) of the first this many negative cut
    /// values found (dot's `searchsize`, 30): cheaper than the best of all, nearly as few
    /// pivots.
    pub search_size: usize,
    /// Which of those leaves: dot's steepest, or the steepest per node its pivot walks.
    pub leaving: Leaving,
}

/// Which of the tree edges with a negative cut value found leaves the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Leaving {
    /// The most negative (dot's rule): the steepest descent per unit of slack.
    MostNegative,
    /// The most negative per node of the smaller side of its cut, which is what its pivot
    /// costs: for a problem whose work budget stops the pivots short of the optimum. On the
    /// 10,000-box bench graph's compaction, 4.4 times as many pivots in the same work and 84 %
    /// of the way to the optimum's cost instead of 48 %; at 1,000 boxes, 2 short of it (5,105
    /// against 5,103, where dot's rule stops at 5,225).
    MostNegativePerWork,
}

impl Default for Effort {
    fn default() -> Self {
        Effort {
            max_pivots: usize::MAX,
            max_work: usize::MAX,
            search_size: 30,
            leaving: Leaving::MostNegative,
        }
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
    if n.max(edges.len()) >= u32::MAX as usize {
        // Past what the solver's `u32` arrays index (far past any diagram's limits): the
        // start, feasible, as it is.
        let mut x = start.unwrap_or_else(|| longest_path(n, edges));
        let min = x.iter().copied().min().unwrap_or(0);
        x.iter_mut().for_each(|v| *v -= min);
        return Solution { x, optimal: false, pivots: 0 };
    }
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
    /// The same edges at each node with the out-edges first, up to `out_end[v]`, each with the
    /// node at its other end: a pivot's search looks at one direction only. (`u32`: these
    /// arrays are read in the pivots' inner loops, and half the bytes is fewer cache misses.)
    by_direction: Vec<(u32, u32)>,
    out_end: Vec<usize>,
    x: Vec<i64>,
    /// Tree edges at each node, with the node at their other end: node `v`'s are the first
    /// `tree_degree[v]` of the slots from `adj_start[v]` (a node has no more tree edges than
    /// edges), so the walks over the tree read one flat array. Once the tree is rooted, a
    /// node's parent edge is its first: a walk down the tree takes the rest without a test.
    tree_adj: Vec<(u32, u32)>,
    tree_degree: Vec<usize>,
    /// The tree edges, in a fixed cyclic order for the leaving-edge search.
    tree_edges: Vec<usize>,
    tree_slot: Vec<usize>,
    search_from: usize,
    /// Each node's tree edge towards its component's root (`NONE` at the root), and how many
    /// nodes its subtree holds.
    parent: Vec<usize>,
    size: Vec<usize>,
    /// Out-weight minus in-weight of each node, and its sum over each node's subtree.
    net_out: Vec<i64>,
    subtree_net_out: Vec<i64>,
    /// Each node's component, and each component's root and node count.
    component: Vec<usize>,
    component_root: Vec<usize>,
    component_size: Vec<usize>,
    /// The smaller side of the current pivot's cut: its nodes, each with `mark == stamp`.
    side: Vec<usize>,
    side_is_subtree: bool,
    mark: Vec<u32>,
    stamp: u32,
    /// Nodes and edges the pivots have visited so far.
    work: usize,
    /// The depth-first stack of [`Self::hang`], kept from one component to the next (a
    /// diagram may have thousands).
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
        let mut out_end = adj_start[..n].to_vec();
        let mut by_direction = vec![(0, 0); adj_start[n]];
        for (i, e) in edges.iter().enumerate() {
            by_direction[out_end[e.tail]] = (i as u32, e.head as u32);
            out_end[e.tail] += 1;
        }
        let mut fill = out_end.clone();
        for (i, e) in edges.iter().enumerate() {
            if e.head != e.tail {
                by_direction[fill[e.head]] = (i as u32, e.tail as u32);
                fill[e.head] += 1;
            }
        }
        let x = start.unwrap_or_else(|| longest_path(n, edges));
        debug_assert!(edges.iter().all(|e| x[e.head] - x[e.tail] >= e.minlen), "infeasible start");
        Simplex {
            edges,
            tree_adj: vec![(0, 0); adj.len()],
            adj,
            adj_start,
            by_direction,
            out_end,
            x,
            tree_degree: vec![0; n],
            tree_edges: Vec::with_capacity(n),
            tree_slot: vec![NONE; edges.len()],
            search_from: 0,
            parent: vec![NONE; n],
            size: vec![0; n],
            net_out,
            subtree_net_out: vec![0; n],
            component: vec![0; n],
            component_root: Vec::new(),
            component_size: Vec::new(),
            side: Vec::new(),
            side_is_subtree: true,
            mark: vec![0; n],
            stamp: 0,
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
        self.tree_slot[e] = self.tree_edges.len();
        self.tree_edges.push(e);
        let (t, h) = (self.edges[e].tail, self.edges[e].head);
        self.link(t, e, h);
        self.link(h, e, t);
    }

    fn link(&mut self, v: usize, e: usize, w: usize) {
        self.tree_adj[self.adj_start[v] + self.tree_degree[v]] = (e as u32, w as u32);
        self.tree_degree[v] += 1;
    }

    fn unlink(&mut self, v: usize, e: usize) {
        let first = self.adj_start[v];
        let last = first + self.tree_degree[v] - 1;
        if let Some(i) = (first..=last).find(|&i| self.tree_adj[i].0 as usize == e) {
            self.tree_adj.swap(i, last);
            self.tree_degree[v] -= 1;
        }
    }

    /// Moves `v`'s parent edge to its first tree slot.
    fn put_parent_first(&mut self, v: usize) {
        let parent = self.parent[v];
        if parent == NONE {
            return;
        }
        let first = self.adj_start[v];
        let slots = first..first + self.tree_degree[v];
        if let Some(i) = slots.into_iter().find(|&i| self.tree_adj[i].0 as usize == parent) {
            self.tree_adj.swap(first, i);
        }
    }

    /// The tree edges at `v`, with the node at their other end.
    fn tree_at(&self, v: usize) -> &[(u32, u32)] {
        let first = self.adj_start[v];
        &self.tree_adj[first..first + self.tree_degree[v]]
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
            self.component_root.push(root);
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
        for c in 0..self.component_root.len() {
            let count = self.hang(c);
            self.component_size.push(count);
        }
        for v in 0..self.x.len() {
            self.put_parent_first(v);
        }
        self.work += self.x.len();
    }

    /// Roots component `c`'s tree at its root: sets each node's component, parent edge,
    /// subtree size and subtree net out-weight. Returns the component's node count.
    fn hang(&mut self, c: usize) -> usize {
        let root = self.component_root[c];
        self.parent[root] = NONE;
        self.size[root] = 1;
        self.subtree_net_out[root] = self.net_out[root];
        self.component[root] = c;
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push((root, 0));
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if let Some(&(e, w)) = self.tree_at(v).get(*i) {
                let (e, w) = (e as usize, w as usize);
                *i += 1;
                if e == self.parent[v] {
                    continue;
                }
                self.parent[w] = e;
                self.size[w] = 1;
                self.subtree_net_out[w] = self.net_out[w];
                self.component[w] = c;
                stack.push((w, 0));
            } else {
                stack.pop();
                if let Some(&(p, _)) = stack.last() {
                    self.size[p] += self.size[v];
                    self.subtree_net_out[p] += self.subtree_net_out[v];
                }
            }
        }
        self.stack = stack;
        self.work += self.size[root];
        self.size[root]
    }

    /// Fills `side` with `from` and the nodes below it in the tree but those below tree edge
    /// `skip`, and marks them with a new stamp.
    fn collect(&mut self, from: usize, skip: usize) {
        if self.stamp == u32::MAX {
            self.mark.fill(0);
            self.stamp = 0;
        }
        self.stamp += 1;
        let stamp = self.stamp;
        let mut side = std::mem::take(&mut self.side);
        side.clear();
        side.push(from);
        self.mark[from] = stamp;
        let mut i = 0;
        while i < side.len() {
            let v = side[i];
            i += 1;
            let first = self.adj_start[v];
            let children = first + usize::from(self.parent[v] != NONE);
            for &(e, w) in &self.tree_adj[children..first + self.tree_degree[v]] {
                let (e, w) = (e as usize, w as usize);
                if e != skip {
                    self.mark[w] = stamp;
                    side.push(w);
                }
            }
        }
        self.work += side.len();
        self.side = side;
    }

    fn marked(&self, v: usize) -> bool {
        self.mark[v] == self.stamp
    }

    /// The node above `v` in the tree.
    fn up(&self, v: usize) -> usize {
        self.other(self.parent[v], v)
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

    /// The nodes on the smaller side of tree edge `e`'s cut: what a pivot on it walks.
    fn smaller_side(&self, e: usize) -> i64 {
        let c = self.child(e);
        let inside = self.size[c];
        inside.min(self.component_size[self.component[c]] - inside) as i64
    }

    fn leave_edge(&mut self, search_size: usize, rule: Leaving) -> Option<usize> {
        let count = self.tree_edges.len();
        // (cut value, what a pivot on it costs, slot); the best has the least cut ÷ cost.
        let mut best: Option<(i64, i64, usize)> = None;
        let mut found = 0;
        let mut steps = 0;
        let mut slot = self.search_from % count.max(1);
        for _ in 0..count {
            steps += 1;
            let e = self.tree_edges[slot];
            let cut = self.cut_value(e);
            if cut < 0 {
                let work = match rule {
                    Leaving::MostNegative => 1,
                    Leaving::MostNegativePerWork => self.smaller_side(e).max(1),
                };
                // cut ÷ work < best cut ÷ best work, both works positive, without division.
                let better = |&(c, w, _): &(i64, i64, usize)| {
                    i128::from(cut) * i128::from(w) < i128::from(c) * i128::from(work)
                };
                if best.as_ref().is_none_or(better) {
                    best = Some((cut, work, slot));
                }
                found += 1;
                if found >= search_size {
                    break;
                }
            }
            slot += 1;
            if slot == count {
                slot = 0;
            }
        }
        self.work += steps;
        let (_, _, slot) = best?;
        self.search_from = slot + 1;
        Some(self.tree_edges[slot])
    }

    /// The non-tree edge of least slack from the leaving edge's head side to its tail side.
    ///
    /// The tree without the leaving edge falls into `c`'s subtree and the rest of its
    /// component; the edges crossing are found from whichever side has fewer nodes (on the
    /// 1,000-box bench graph the subtree averaged most of the graph), which is left in `side`
    /// for [`Self::exchange`]. The least `(slack, edge)` is the same either way.
    fn enter_edge(&mut self, leaving: usize) -> Option<usize> {
        let c = self.child(leaving);
        let component = self.component[c];
        let inside = self.size[c];
        self.side_is_subtree = 2 * inside <= self.component_size[component];
        if self.side_is_subtree {
            self.collect(c, leaving);
        } else {
            self.collect(self.component_root[component], leaving);
        }
        // The entering edge's head is on the leaving edge's tail side.
        let side_is_tail = (self.edges[leaving].tail == c) == self.side_is_subtree;
        let mut best: Option<(i64, usize)> = None;
        let mut work = 0;
        for &v in &self.side {
            let edges = if side_is_tail {
                &self.by_direction[self.out_end[v]..self.adj_start[v + 1]]
            } else {
                &self.by_direction[self.adj_start[v]..self.out_end[v]]
            };
            work += 1 + edges.len();
            // No tree edge crosses the cut but the leaving edge, which points the other way.
            for &(e, other) in edges {
                if !self.marked(other as usize) {
                    let e = e as usize;
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

    fn pivot(&mut self, effort: Effort) -> (bool, usize) {
        let mut pivots = 0;
        while pivots < effort.max_pivots && self.work < effort.max_work {
            let Some(leaving) = self.leave_edge(effort.search_size.max(1), effort.leaving) else {
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

    /// Swaps `leaving` for `entering` in the tree, `side` being the smaller side of the cut
    /// (from [`Self::enter_edge`]). Only that side moves; the tree's parents, subtree sizes
    /// and sums change only along three paths (as in LEMON's network simplex), so a pivot
    /// costs the smaller side plus those paths, not a renumbering of the subtree of the
    /// entering edge's lowest common ancestor (which is often most of the graph).
    fn exchange(&mut self, leaving: usize, entering: usize) {
        let c = self.child(leaving);
        let above = self.other(leaving, c);
        let (t, h) = (self.edges[entering].tail, self.edges[entering].head);
        // The entering edge's ends in `c`'s subtree and outside it.
        let (inner_end, outer_end) =
            if self.marked(t) == self.side_is_subtree { (t, h) } else { (h, t) };
        let delta = self.slack(entering);
        if delta != 0 {
            // `c`'s subtree moves by `step` so the entering edge becomes tight; the rest of the
            // component by `-step` instead is the same relative positions.
            let step = if self.edges[leaving].tail == c { -delta } else { delta };
            let step = if self.side_is_subtree { step } else { -step };
            for &v in &self.side {
                self.x[v] += step;
            }
        }
        self.unlink(self.edges[leaving].tail, leaving);
        self.unlink(self.edges[leaving].head, leaving);
        let slot = self.tree_slot[leaving];
        self.tree_slot[leaving] = NONE;
        self.tree_edges[slot] = entering;
        self.tree_slot[entering] = slot;
        self.link(t, entering, h);
        self.link(h, entering, t);
        // The subtree leaves `above`'s path and joins `outer_end`'s, up to where they meet
        // (found by climbing from the end with fewer nodes below it: a node's ancestors all
        // have more).
        let moved = self.size[c];
        let moved_net = self.subtree_net_out[c];
        let (mut u, mut w) = (above, outer_end);
        while u != w {
            self.work += 1;
            if self.size[u] < self.size[w] {
                self.size[u] -= moved;
                self.subtree_net_out[u] -= moved_net;
                u = self.up(u);
            } else {
                self.size[w] += moved;
                self.subtree_net_out[w] += moved_net;
                w = self.up(w);
            }
        }
        // The subtree is hung from its end of the entering edge: only the path from there up
        // to `c` changes direction, and each node on it now has below it the whole subtree but
        // what was below the node before it on the path.
        let mut v = inner_end;
        let mut new_parent = entering;
        let mut before: Option<(usize, i64)> = None;
        loop {
            self.work += 1;
            let old_parent = self.parent[v];
            let old = (self.size[v], self.subtree_net_out[v]);
            self.parent[v] = new_parent;
            self.put_parent_first(v);
            (self.size[v], self.subtree_net_out[v]) = match before {
                None => (moved, moved_net),
                Some((size, net)) => (moved - size, moved_net - net),
            };
            if v == c {
                break;
            }
            before = Some(old);
            new_parent = old_parent;
            v = self.other(old_parent, v);
        }
    }

    /// Shifts each component so its smallest position is 0.
    fn normalise(&mut self) {
        let mut min = vec![i64::MAX; self.component_root.len()];
        for (v, &c) in self.component.iter().enumerate() {
            min[c] = min[c].min(self.x[v]);
        }
        for (v, &c) in self.component.iter().enumerate() {
            self.x[v] -= min[c];
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
