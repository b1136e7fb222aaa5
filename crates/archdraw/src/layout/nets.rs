//! Phase 3: nets and ports. The arrows' hops between two adjacent ranks are grouped into nets,
//! each drawn as one connected tree of lines, and every net gets pins on the sides of the nodes
//! it touches.
//!
//! A net has one tail or one head, never several of both, so a reader can always tell which
//! boxes it joins: arrows leaving one box share a trunk (fan-out), arrows entering one box share
//! a trunk (fan-in), and everything else is drawn alone. A trunk is split where another line of
//! the same side would have to pass between its branches (see `fans`). A long arrow shares a
//! trunk in at most one of its hops; otherwise a fan-out and a fan-in would join into one
//! network that seems to link boxes that are not linked.

use super::disjoint::DisjointSets;
use super::rank::{Chain, Layered};

/// Pins are sorted by the mean position of their far ends, compared in integers as
/// `sum × MEAN_SCALE / count`: 720,720 is the least common multiple of 1 to 16, so the mean is
/// exact for up to 16 far ends (with more, two means closer than 1/720,720 tie and the pins
/// keep their order).
const MEAN_SCALE: u128 = 720_720;

/// A side of a node that faces a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Face {
    /// Towards the next rank.
    Front,
    /// Towards the previous rank.
    Back,
}

/// How a net's hops share lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NetKind {
    /// One left pin, several right pins.
    FanOut,
    /// Several left pins, one right pin.
    FanIn,
    /// One hop.
    Solo,
    /// A box's arrow to itself: two left pins (tail, head), no right pin.
    SelfLoop,
}

/// A point where a net meets a node side.
#[derive(Debug, Clone)]
pub(super) struct Pin {
    pub node: usize,
    pub face: Face,
    /// The arrow whose label is written next to this pin, if any.
    pub label: Option<usize>,
    /// Nodes at the other end of this pin's hops (to order pins along a side).
    pub far: Vec<usize>,
    /// Offset of the pin along the node's side, from the node's first cross cell.
    pub offset: i64,
}

/// One hop of an arrow: from a left pin to a right pin in one channel.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hop {
    /// The arrow this hop belongs to.
    pub edge: usize,
    pub left: usize,
    /// `None` for a self-loop, whose second left pin is the head.
    pub right: Option<usize>,
}

/// A connected tree of lines in one channel.
#[derive(Debug, Clone)]
pub(super) struct Net {
    /// Channel `c` lies between rank `c` and rank `c + 1`.
    pub channel: usize,
    pub kind: NetKind,
    pub left: Vec<usize>,
    pub right: Vec<usize>,
    pub hops: Vec<Hop>,
}

/// All nets and pins, and for each arrow its nets hop by hop (in drawn order).
#[derive(Debug, Clone)]
pub(super) struct Nets {
    pub nets: Vec<Net>,
    pub pins: Vec<Pin>,
    /// For every arrow: (net, hop index within that net) for each hop, left to right.
    pub edge_hops: Vec<Vec<(usize, usize)>>,
    /// Pins on each node's front and back side, in order along the side.
    pub front: Vec<Vec<usize>>,
    pub back: Vec<Vec<usize>>,
    /// For every net, its network: the lowest net joined to it through the hops of one arrow.
    /// A network is drawn as one tree of lines, so its routes must not cross one another.
    pub network: Vec<usize>,
}

/// Groups hops into nets and creates their pins. `label_len[e]` is the length of arrow `e`'s
/// label along the flow, 0 without one; `pos` is each node's position within its rank;
/// `labels_beside_lines`: the flow runs down or up, where a label stands beside its line
/// rather than across it.
pub(super) fn build(
    g: &Layered,
    label_len: &[i64],
    pos: &[usize],
    labels_beside_lines: bool,
) -> Nets {
    let labelled: Vec<bool> = label_len.iter().map(|&len| len > 0).collect();
    let mut nets = Nets {
        nets: Vec::new(),
        pins: Vec::new(),
        edge_hops: vec![Vec::new(); g.chains.len()],
        front: vec![Vec::new(); g.len()],
        back: vec![Vec::new(); g.len()],
        network: Vec::new(),
    };
    // Fan-out groups: first hops of forward arrows, keyed by their source.
    let forward = |c: &Chain| !c.reversed && !c.is_self_loop();
    let mut from_node: Vec<Vec<usize>> = vec![Vec::new(); g.len()];
    for (e, chain) in g.chains.iter().enumerate().filter(|(_, c)| forward(c)) {
        from_node[chain.nodes[0]].push(e);
    }
    // Other lines leaving a source's front side: reversed arrows' first hops.
    let mut passers_out: Vec<Vec<usize>> = vec![Vec::new(); g.len()];
    for chain in g.chains.iter().filter(|c| c.reversed && !c.is_self_loop()) {
        passers_out[chain.nodes[0]].push(pos[chain.nodes[1]]);
    }
    // Each arrow's fan, numbered; nets are made in arrow order, as the pins' order along a
    // side breaks ties by pin number.
    let (fan_of, fan_count) =
        number_fans(g.chains.len(), &from_node, |e| pos[g.chains[e].nodes[1]], &passers_out);
    let mut shared = vec![false; g.chains.len()];
    let mut fan_net = vec![usize::MAX; fan_count];
    for (e, chain) in g.chains.iter().enumerate() {
        let Some(fan) = fan_of[e] else { continue };
        let src = chain.nodes[0];
        if fan_net[fan] == usize::MAX {
            let left = nets.add_pin(src, Face::Front, None);
            fan_net[fan] = nets.add_net(g.rank[src], NetKind::FanOut, vec![left]);
        }
        let net = fan_net[fan];
        // A one-hop arrow's label goes next to its head; a longer one's on its last hop.
        let label = (labelled[e] && chain.nodes.len() == 2).then_some(e);
        let right = nets.add_pin(chain.nodes[1], Face::Back, label);
        nets.nets[net].right.push(right);
        nets.attach(net, e, nets.nets[net].left[0], Some(right));
        shared[e] = true;
    }
    let in_fan_out = shared.clone();
    // Fan-in groups: last hops of the remaining forward arrows, keyed by their target.
    let before_last = |c: &Chain| c.nodes[c.nodes.len() - 2];
    let mut into_node: Vec<Vec<usize>> = vec![Vec::new(); g.len()];
    let mut passers_in: Vec<Vec<usize>> = vec![Vec::new(); g.len()];
    // Two arrows from one box into one box never share a fan-in: they would join into one
    // head, read as one arrow. Such twins are drawn alone (a fan-out split apart, or arrows
    // the spec repeats); any other arrow left out of its box's fan-out may join a fan-in.
    let candidate = |e: usize| forward(&g.chains[e]) && !shared[e];
    let mut twins: Vec<(usize, usize)> = (0..g.chains.len())
        .filter(|&e| candidate(e))
        .map(|e| (g.chains[e].nodes[0], g.chains[e].last()))
        .collect();
    twins.sort_unstable();
    let twinned = |key: &(usize, usize)| {
        let at = twins.partition_point(|k| k < key);
        twins.get(at + 1) == Some(key)
    };
    for (e, chain) in g.chains.iter().enumerate().filter(|(_, c)| !c.is_self_loop()) {
        if candidate(e) && !twinned(&(chain.nodes[0], chain.last())) {
            into_node[chain.last()].push(e);
        } else {
            passers_in[chain.last()].push(pos[before_last(chain)]);
        }
    }
    let (fan_of, fan_count) =
        number_fans(g.chains.len(), &into_node, |e| pos[before_last(&g.chains[e])], &passers_in);
    let mut fan_net = vec![usize::MAX; fan_count];
    let mut fan_in_hop: Vec<Option<(usize, usize)>> = vec![None; g.chains.len()];
    for (e, chain) in g.chains.iter().enumerate() {
        let Some(fan) = fan_of[e] else { continue };
        let dst = chain.last();
        if fan_net[fan] == usize::MAX {
            let right = nets.add_pin(dst, Face::Back, None);
            fan_net[fan] = nets.add_net(g.rank[dst] - 1, NetKind::FanIn, Vec::new());
            nets.nets[fan_net[fan]].right.push(right);
        }
        let net = fan_net[fan];
        let label = labelled[e].then_some(e);
        let left = nets.add_pin(before_last(chain), Face::Front, label);
        nets.nets[net].left.push(left);
        let right = nets.nets[net].right[0];
        fan_in_hop[e] = Some((net, nets.nets[net].hops.len()));
        nets.attach(net, e, left, Some(right));
        shared[e] = true;
    }
    let carrier = label_carriers(g, label_len, &in_fan_out, &fan_in_hop, labels_beside_lines);
    // Every hop not in a group, arrow by arrow, left to right.
    for (e, chain) in g.chains.iter().enumerate() {
        if chain.is_self_loop() {
            let v = chain.nodes[0];
            let label = labelled[e].then_some(e);
            let tail = nets.add_pin(v, Face::Front, label);
            let head = nets.add_pin(v, Face::Front, None);
            let net = nets.add_net(g.rank[v], NetKind::SelfLoop, vec![tail, head]);
            nets.attach(net, e, tail, None);
            continue;
        }
        let hops = chain.nodes.len() - 1;
        for k in 0..hops {
            let (a, b) = (chain.nodes[k], chain.nodes[k + 1]);
            let first = k == 0;
            let last = k + 1 == hops;
            if first && in_fan_out[e] {
                continue; // Attached to a fan-out net above.
            }
            if last && fan_in_hop[e].is_some() {
                continue;
            }
            // The label sits on the hop `label_carriers` chose: on the right pin, or, for a
            // reversed arrow drawn down or up, beside the left one (its head's side).
            let label = (labelled[e] && carrier[e] == Some(k)).then_some(e);
            let on_left = chain.reversed && labels_beside_lines;
            let left = nets.add_pin(a, Face::Front, label.filter(|_| on_left));
            let right = nets.add_pin(b, Face::Back, label.filter(|_| !on_left));
            let net = nets.add_net(g.rank[a], NetKind::Solo, vec![left]);
            nets.nets[net].right.push(right);
            nets.attach(net, e, left, Some(right));
        }
    }
    // Hops were attached group by group; put each arrow's hops back in drawn order.
    for (e, hops) in nets.edge_hops.iter_mut().enumerate() {
        hops.sort_by_key(|&(net, _)| nets.nets[net].channel);
        debug_assert!(hops.len() == g.chains[e].nodes.len().saturating_sub(1).max(1));
    }
    nets.fill_far();
    nets.sort_sides(pos);
    nets.join_networks();
    nets
}

/// The hop of each arrow drawn in hops of its own (not a fan's) that carries its label, if it
/// has one. The label sits next to the box the arrow points at: beside the head's pin on the
/// last hop of a forward arrow. A reversed arrow's head is the chain's first node: drawn down
/// or up, its label stands beside that pin; drawn across, a label is written on its line's
/// row, and there it would part the head from its line, so it goes on the first hop's far pin.
///
/// A channel is as long along the flow as the longest label in each of its two label zones.
/// An arrow passing over ranks has a hop in several channels: where the channel by its head
/// would grow for its label and another of its channels already has room for it (a label of
/// a shorter arrow there is as long), the label takes the nearest such hop instead, as dot
/// puts a long arrow's label wherever along it. Arrows are taken in order, each label then
/// counting as there for the next. Only across: drawn down or up, every label stays by its
/// head.
fn label_carriers(
    g: &Layered,
    label_len: &[i64],
    in_fan_out: &[bool],
    fan_in_hop: &[Option<(usize, usize)>],
    labels_beside_lines: bool,
) -> Vec<Option<usize>> {
    let own_hops = |e: usize| {
        let chain = &g.chains[e];
        !chain.is_self_loop()
            && fan_in_hop[e].is_none()
            && chain.nodes.len() > 1 + usize::from(in_fan_out[e])
    };
    let head = |chain: &Chain| if chain.reversed { 0 } else { chain.nodes.len() - 2 };
    let mut carrier: Vec<Option<usize>> =
        (0..g.chains.len()).map(|e| own_hops(e).then(|| head(&g.chains[e]))).collect();
    // Drawn down or up a label stands beside its line, as wide as its text: moved to another
    // hop it spares rows but can widen the drawing by as much (rag-assistant: 104×54 →
    // 116×52). Across, it takes a row or two beside whichever hop it is on.
    if labels_beside_lines {
        return carrier;
    }
    // The widest label each channel already holds by its right pins, across: a one-hop arrow's.
    // Fans-in and self-arrows label a left pin, which a moved label never takes.
    let mut zone = vec![0i64; g.ranks.max(1)];
    for (e, chain) in g.chains.iter().enumerate() {
        let by_left_pin = chain.is_self_loop() || fan_in_hop[e].is_some();
        if !by_left_pin && chain.nodes.len() == 2 {
            let c = g.rank[chain.nodes[0]];
            zone[c] = zone[c].max(label_len[e]);
        }
    }
    for (e, chain) in g.chains.iter().enumerate() {
        let (Some(by_head), len) = (carrier[e], label_len[e]) else { continue };
        if chain.nodes.len() == 2 || len == 0 {
            continue;
        }
        let room = |k: usize| zone[g.rank[chain.nodes[k]]];
        let first = usize::from(in_fan_out[e]);
        let k = if room(by_head) >= len {
            by_head
        } else {
            (first..chain.nodes.len() - 1)
                .filter(|&k| room(k) >= len)
                .min_by_key(|&k| k.abs_diff(by_head))
                .unwrap_or(by_head)
        };
        let c = g.rank[chain.nodes[k]];
        zone[c] = zone[c].max(len);
        carrier[e] = Some(k);
    }
    carrier
}

/// Every arrow's fan (see [`fans`]) over all nodes' sides, numbered, and how many there are.
/// `ends[v]` are the arrows of node `v`'s side, `passers[v]` its other lines' far ends.
fn number_fans(
    arrows: usize,
    ends: &[Vec<usize>],
    far: impl Fn(usize) -> usize + Copy,
    passers: &[Vec<usize>],
) -> (Vec<Option<usize>>, usize) {
    let mut fan_of = vec![None; arrows];
    let mut count = 0;
    for (side, passing) in ends.iter().zip(passers) {
        for fan in fans(side, far, passing) {
            for e in fan {
                fan_of[e] = Some(count);
            }
            count += 1;
        }
    }
    (fan_of, count)
}

/// Splits the arrows `ends` of one node side into fans that share a trunk: runs of at least
/// two, in the order of their far ends (`far`), that no other line of the side (`passers`, the
/// positions of their far ends) has to pass between, strictly inside the run's first and last
/// far ends. A trunk branching to far ends on both
/// sides of another line's far end crosses that line, whatever the order of the pins: two
/// arrows drawn apart cross nothing there. Arrows left out of every fan are drawn alone.
fn fans(ends: &[usize], far: impl Fn(usize) -> usize, passers: &[usize]) -> Vec<Vec<usize>> {
    if ends.len() < 2 {
        return Vec::new();
    }
    let mut sorted = ends.to_vec();
    sorted.sort_by_key(|&e| (far(e), e));
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for e in sorted {
        // A line whose far end is the run's first or last far end can keep outside the
        // trunk; one anywhere inside, even at a branch's own far end, is crossed by it.
        let apart = runs.last().and_then(|run| run.first()).is_none_or(|&first| {
            let (lo, hi) = (far(first), far(e));
            passers.iter().any(|&x| lo < x && x < hi)
        });
        if apart {
            runs.push(Vec::new());
        }
        runs.last_mut().expect("a run was just pushed").push(e);
    }
    runs.retain(|run| run.len() >= 2);
    runs
}

impl Nets {
    fn add_pin(&mut self, node: usize, face: Face, label: Option<usize>) -> usize {
        self.pins.push(Pin { node, face, label, far: Vec::new(), offset: 0 });
        let id = self.pins.len() - 1;
        match face {
            Face::Front => self.front[node].push(id),
            Face::Back => self.back[node].push(id),
        }
        id
    }

    fn add_net(&mut self, channel: usize, kind: NetKind, left: Vec<usize>) -> usize {
        self.nets.push(Net { channel, kind, left, right: Vec::new(), hops: Vec::new() });
        self.nets.len() - 1
    }

    fn attach(&mut self, net: usize, edge: usize, left: usize, right: Option<usize>) {
        self.edge_hops[edge].push((net, self.nets[net].hops.len()));
        self.nets[net].hops.push(Hop { edge, left, right });
    }

    /// Joins nets that carry hops of one arrow into one network number per drawn tree of lines.
    fn join_networks(&mut self) {
        let mut sets = DisjointSets::new(self.nets.len());
        for hops in &self.edge_hops {
            for pair in hops.windows(2) {
                sets.union(pair[0].0, pair[1].0);
            }
        }
        self.network = (0..self.nets.len()).map(|v| sets.find(v)).collect();
    }

    fn fill_far(&mut self) {
        for net in &self.nets {
            for hop in &net.hops {
                if let Some(right) = hop.right {
                    let (a, b) = (self.pins[hop.left].node, self.pins[right].node);
                    self.pins[hop.left].far.push(b);
                    self.pins[right].far.push(a);
                }
            }
        }
    }

    /// Orders pins along each side by where their far ends sit, self-loops last.
    ///
    /// Pins whose far ends tie (two arrows between the same boxes, one each way or one in a
    /// fan) then take the order of the pins they join at the far end: taken in the order they
    /// were made instead, the two lines could swap sides between the boxes and cross. Back
    /// sides follow the front sides first, then front sides the back sides as they now stand,
    /// so where both ends tie the two agree.
    fn sort_sides(&mut self, pos: &[usize]) {
        let pins = &self.pins;
        let key = |p: usize| -> (usize, u128) {
            let pin = &pins[p];
            if pin.far.is_empty() {
                return (1, 0);
            }
            let sum: u128 = pin.far.iter().map(|&v| pos[v] as u128).sum();
            (0, sum * MEAN_SCALE / pin.far.len() as u128)
        };
        for side in self.front.iter_mut().chain(self.back.iter_mut()) {
            side.sort_by_key(|&p| (key(p), p));
        }
        // The one pin at the far end of each pin's hops, for pins with one hop.
        let mut partner: Vec<Option<usize>> = vec![None; pins.len()];
        let mut hops = vec![0usize; pins.len()];
        for hop in self.nets.iter().flat_map(|n| &n.hops) {
            if let Some(right) = hop.right {
                for (p, q) in [(hop.left, right), (right, hop.left)] {
                    hops[p] += 1;
                    partner[p] = Some(q);
                }
            }
        }
        let mut place = vec![0usize; pins.len()];
        for back in [true, false] {
            for side in self.front.iter().chain(&self.back) {
                for (i, &p) in side.iter().enumerate() {
                    place[p] = i;
                }
            }
            let far_place = |p: usize| match partner[p] {
                Some(q) if hops[p] == 1 => place[q],
                _ => usize::MAX,
            };
            let sides = if back { &mut self.back } else { &mut self.front };
            for side in sides {
                side.sort_by_key(|&p| (key(p), far_place(p), p));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::rank::rank;
    use super::*;

    /// Every two pins along one side that join one pin each on the same far side join them in
    /// the same order: their lines do not swap sides between the two nodes.
    fn sides_agree(nets: &Nets) -> Result<(), String> {
        let mut place = vec![(usize::MAX, 0); nets.pins.len()];
        for (v, sides) in [&nets.front, &nets.back].into_iter().enumerate() {
            for (node, side) in sides.iter().enumerate() {
                for (i, &p) in side.iter().enumerate() {
                    place[p] = (2 * node + v, i);
                }
            }
        }
        let mut partners: Vec<Vec<usize>> = vec![Vec::new(); nets.pins.len()];
        for hop in nets.nets.iter().flat_map(|n| &n.hops) {
            if let Some(right) = hop.right {
                partners[hop.left].push(right);
                partners[right].push(hop.left);
            }
        }
        for side in nets.front.iter().chain(&nets.back) {
            for pair in side.windows(2) {
                let (p, q) = (pair[0], pair[1]);
                if let ([a], [b]) = (partners[p].as_slice(), partners[q].as_slice())
                    && place[*a].0 == place[*b].0
                    && place[*a].1 > place[*b].1
                {
                    return Err(format!("pins {p}, {q} join pins {a}, {b} the other way round"));
                }
            }
        }
        Ok(())
    }

    #[test]
    fn arrows_both_ways_do_not_swap_sides_with_a_fan() {
        // Box 0 fans out to 1 and 2; each answers back (drawn reversed, on pins of their own):
        // on 1 and 2 the answer's pin ties with the fan's, and takes its side from box 0.
        let g = rank(3, &[(0, 1), (1, 0), (0, 2), (2, 0)], &[]);
        assert_eq!(g.rank, [0, 1, 1]);
        let nets = build(&g, &[0; 4], &[0, 0, 1], false);
        assert_eq!(sides_agree(&nets), Ok(()));
        // The same arrows listed the other way round, and the far boxes swapped.
        let g = rank(3, &[(2, 0), (0, 2), (1, 0), (0, 1)], &[]);
        let nets = build(&g, &[0; 4], &[0, 1, 0], false);
        assert_eq!(sides_agree(&nets), Ok(()));
    }

    #[test]
    fn a_reversed_arrows_label_stands_by_its_head_when_labels_are_beside_lines() {
        // 0 -> 1 and 1 -> 0, both labelled: the second is drawn reversed, its head on box 0.
        let g = rank(2, &[(0, 1), (1, 0)], &[]);
        assert_eq!(g.rank, [0, 1]);
        assert!(g.chains[1].reversed);
        let labelled_pin = |nets: &Nets, e: usize| {
            let pins = nets.pins.iter().filter(|p| p.label == Some(e));
            pins.map(|p| (p.node, p.face)).collect::<Vec<_>>()
        };
        // Down or up: each label beside the box its arrow points at, on the side facing the
        // other box (the forward one's head is box 1's back, the reversed one's box 0's front).
        let down = build(&g, &[1; 2], &[0, 0], true);
        assert_eq!(labelled_pin(&down, 0), [(1, Face::Back)]);
        assert_eq!(labelled_pin(&down, 1), [(0, Face::Front)]);
        // Across, a label is written on its line's row: the reversed one keeps the far pin, so
        // nothing stands between its head and its line.
        let across = build(&g, &[1; 2], &[0, 0], false);
        assert_eq!(labelled_pin(&across, 0), [(1, Face::Back)]);
        assert_eq!(labelled_pin(&across, 1), [(1, Face::Back)]);
    }
}
