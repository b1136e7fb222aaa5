//! Phase 5: channels. Each channel between two ranks gets its width and its tracks, then every
//! hop becomes an orthogonal polyline and every label a rectangle.
//!
//! A channel is three zones along the main axis: labels next to the left pins, vertical tracks
//! (one per net that has to change rows), labels next to the right pins. Lines cross only at
//! right angles, and never run along each other: a net's horizontal from its left pin ends at
//! its track, one from a right pin starts at its track, so when a row holds a left pin of net
//! `a` and a right pin of net `b`, `a`'s track must come first (the vertical constraint graph
//! of channel routing). Where those constraints form a cycle, one net takes a dogleg: its left
//! pins go to an extra track before all others, then along a free row to its own track.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use super::axis::{AbsLabel, AbsRect, AbsRoute, Dir, Pt, simplify};
use super::nets::{Face, NetKind, Nets};
use super::place::{Cross, FRAME_MARGIN, Spacing};
use super::rank::Layered;
use super::types::Endpoint;

/// Where each rank's column starts and how wide it is, along the main axis.
#[derive(Debug, Clone)]
pub(super) struct Columns {
    pub start: Vec<i64>,
    pub width: Vec<i64>,
    /// One past the last cell of the last channel.
    pub end: i64,
    /// Where each channel's service lanes start (lane `i` is at `lane_start + 1 + 2i`).
    pub lane_start: Vec<i64>,
}

impl Columns {
    /// Main-axis start of a node's border (boxes are centred in their column).
    pub fn node_start(&self, rank: usize, main_len: i64) -> i64 {
        self.start[rank] + (self.width[rank] - main_len) / 2
    }
}

/// Track assignment of one net.
#[derive(Debug, Clone, Copy, Default)]
struct Tracks {
    /// Index of the net's track among its channel's tracks.
    main: Option<usize>,
    /// For a dogleg: the extra track its left pins use, and the free row it crosses on.
    dogleg: Option<(usize, i64)>,
}

/// A group frame as the channels see it: which ranks it spans, and how long it must be
/// along the main axis (its title, when the title runs along that axis).
#[derive(Debug, Clone)]
pub(super) struct FrameSpan<'a> {
    pub first_rank: usize,
    pub last_rank: usize,
    pub members: &'a [usize],
    pub min_main_len: i64,
    /// The cross cells of its top and bottom borders.
    pub border_rows: [i64; 2],
}

impl FrameSpan<'_> {
    /// Main-axis cells of the frame, border to border (end exclusive), once its ranks' columns
    /// are placed.
    pub fn main_range(&self, columns: &Columns, cross: &Cross, rank: &[usize]) -> (i64, i64) {
        let (mut start, mut end) = (i64::MAX, i64::MIN);
        for &v in self.members {
            let s = columns.node_start(rank[v], cross.main_len[v]);
            start = start.min(s);
            end = end.max(s + cross.main_len[v]);
        }
        let start = start - FRAME_MARGIN;
        (start, (end + FRAME_MARGIN).max(start + self.min_main_len))
    }
}

/// Routes every hop and places every label.
///
/// Channels next to a frame's side start past its border (plus a blank cell), so no track,
/// lane or label ever lies on a frame border: lines cross borders only at right angles.
pub(super) fn route(
    g: &Layered,
    nets: &Nets,
    cross: &Cross,
    labels: &[Option<(usize, usize)>],
    lanes: &[usize],
    frames: &[FrameSpan<'_>],
    spacing: Spacing,
) -> (Columns, Vec<AbsRoute>, Vec<AbsLabel>) {
    let pin_row = |p: usize| cross.top[nets.pins[p].node] + nets.pins[p].offset;
    let channels = g.ranks.max(1);
    let mut by_channel: Vec<Vec<usize>> = vec![Vec::new(); channels];
    for (i, net) in nets.nets.iter().enumerate() {
        by_channel[net.channel].push(i);
    }

    let mut tracks = vec![Tracks::default(); nets.nets.len()];
    let mut track_count = vec![0usize; channels];
    for (c, members) in by_channel.iter().enumerate() {
        // A dogleg must not run along the border of a frame this channel lies inside.
        let borders: BTreeSet<i64> = frames
            .iter()
            .filter(|f| f.first_rank <= c && c < f.last_rank)
            .flat_map(|f| f.border_rows)
            .collect();
        track_count[c] =
            assign_tracks(nets, members, &pin_row, &borders, spacing.vertical, &mut tracks);
    }

    // Zone widths from the labels each side holds.
    let label_main = |e: usize| -> i64 {
        labels[e].map_or(0, |(w, h)| if spacing.vertical { h as i64 } else { w as i64 })
    };
    let mut left_zone = vec![0i64; channels];
    let mut right_zone = vec![0i64; channels];
    for pin in &nets.pins {
        let Some(e) = pin.label else { continue };
        match pin.face {
            Face::Front => {
                let c = g.rank[pin.node];
                left_zone[c] = left_zone[c].max(label_main(e));
            }
            Face::Back => {
                let c = g.rank[pin.node] - 1;
                right_zone[c] = right_zone[c].max(label_main(e));
            }
        }
    }
    let (min_channel, left_pad, right_pad) = if spacing.vertical { (3, 2, 3) } else { (4, 4, 5) };
    let mut column_width = vec![1i64; g.ranks];
    for v in 0..g.real {
        column_width[g.rank[v]] = column_width[g.rank[v]].max(cross.main_len[v]);
    }
    let has_self_loop_at_end =
        nets.nets.iter().any(|n| n.kind == NetKind::SelfLoop && n.channel + 1 == g.ranks);
    let mut columns = Columns {
        start: vec![0; g.ranks],
        width: column_width,
        end: 0,
        lane_start: vec![0; channels],
    };
    let mut channel_start = vec![0i64; channels];
    let mut zone_right_start = vec![0i64; channels];
    let mut at = 0;
    for c in 0..channels {
        if c < g.ranks {
            columns.start[c] = at;
            at += columns.width[c];
        }
        // A frame ending in this rank: the channel starts one blank cell past its border.
        for f in frames.iter().filter(|f| f.last_rank == c) {
            at = at.max(f.main_range(&columns, cross, &g.rank).1 + 1);
        }
        let last = c + 1 >= g.ranks;
        // Lanes for service arrows that climb past other nodes come first, right by the column.
        columns.lane_start[c] = at;
        let lane_cells = 2 * lanes.get(c).copied().unwrap_or(0) as i64;
        at += lane_cells;
        if last && lane_cells > 0 {
            at += 1;
        }
        if last && !has_self_loop_at_end {
            channel_start[c] = at;
            zone_right_start[c] = at;
            continue;
        }
        let wl = if left_zone[c] > 0 { left_zone[c] + left_pad } else { 1 };
        let t = track_count[c] as i64;
        let tz = if t > 0 { 2 * t - 1 } else { 0 };
        let wr = if last {
            1
        } else if right_zone[c] > 0 {
            right_zone[c] + right_pad
        } else {
            2
        };
        let width = (wl + tz + wr).max(if last { 0 } else { min_channel });
        channel_start[c] = at;
        zone_right_start[c] = at + wl + tz;
        at += width;
        // A frame starting in the next rank has its border up to two cells before that
        // column: keep the channel's last track or label clear of it.
        if frames.iter().any(|f| f.first_rank == c + 1) {
            at += FRAME_MARGIN;
        }
    }
    columns.end = at;
    let track_main = |c: usize, k: usize| -> i64 {
        let wl = if left_zone[c] > 0 { left_zone[c] + left_pad } else { 1 };
        channel_start[c] + wl + 2 * k as i64
    };

    // Where a pin's line leaves its node along the main axis.
    let pin_main = |p: usize| -> i64 {
        let pin = &nets.pins[p];
        let r = g.rank[pin.node];
        match (pin.face, g.is_dummy(pin.node)) {
            (Face::Front, true) => columns.start[r] + columns.width[r],
            (Face::Back, true) => columns.start[r] + columns.width[r] - 1,
            (Face::Front, false) => {
                columns.node_start(r, cross.main_len[pin.node]) + cross.main_len[pin.node]
            }
            (Face::Back, false) => columns.node_start(r, cross.main_len[pin.node]) - 1,
        }
    };

    // Each hop's polyline.
    let mut hop_points: Vec<Vec<Vec<Pt>>> =
        nets.nets.iter().map(|n| vec![Vec::new(); n.hops.len()]).collect();
    for (i, net) in nets.nets.iter().enumerate() {
        let c = net.channel;
        let tr = tracks[i];
        for (h, hop) in net.hops.iter().enumerate() {
            let (xs, yl) = (pin_main(hop.left), pin_row(hop.left));
            let mut pts = vec![Pt::new(xs, yl)];
            let mut left_end = yl;
            if let Some((entry, row)) = tr.dogleg {
                let te = track_main(c, entry);
                pts.push(Pt::new(te, yl));
                pts.push(Pt::new(te, row));
                left_end = row;
            }
            match (hop.right, tr.main) {
                (None, Some(k)) => {
                    // Self-loop: out, along the track, and back into the same side.
                    let head = net.left[1];
                    let t = track_main(c, k);
                    pts.push(Pt::new(t, left_end));
                    pts.push(Pt::new(t, pin_row(head)));
                    pts.push(Pt::new(pin_main(head), pin_row(head)));
                }
                (Some(right), Some(k)) => {
                    let t = track_main(c, k);
                    pts.push(Pt::new(t, left_end));
                    pts.push(Pt::new(t, pin_row(right)));
                    pts.push(Pt::new(pin_main(right), pin_row(right)));
                }
                (Some(right), None) => pts.push(Pt::new(pin_main(right), pin_row(right))),
                (None, None) => {}
            }
            hop_points[i][h] = pts;
        }
    }

    // Whole arrows: hops joined left to right, reversed ones turned round.
    let mut routes = Vec::with_capacity(g.chains.len());
    for (e, chain) in g.chains.iter().enumerate() {
        let mut points: Vec<Pt> = Vec::new();
        for &(net, h) in &nets.edge_hops[e] {
            points.extend(hop_points[net][h].iter().copied());
        }
        let head =
            if chain.is_self_loop() || chain.reversed { Dir::MainMinus } else { Dir::MainPlus };
        if chain.reversed {
            points.reverse();
        }
        let (from, to) = if chain.reversed {
            (*chain.nodes.last().unwrap_or(&0), chain.nodes[0])
        } else {
            (chain.nodes[0], *chain.nodes.last().unwrap_or(&0))
        };
        let net = nets.edge_hops[e].first().map_or(0, |&(n, _)| n);
        routes.push(AbsRoute {
            net,
            edge: Some(e),
            from: Endpoint::Box(from),
            to: Endpoint::Box(to),
            points: simplify(points),
            head,
        });
    }

    // Labels next to their pins.
    let mut placed = Vec::new();
    for pin in &nets.pins {
        let Some(e) = pin.label else { continue };
        let Some((w, h)) = labels[e] else { continue };
        let (w, h) = (w as i64, h as i64);
        let row = cross.top[pin.node] + pin.offset;
        let zone_start = match pin.face {
            Face::Front => channel_start[g.rank[pin.node]],
            Face::Back => zone_right_start[g.rank[pin.node] - 1],
        };
        let (main0, cross0, main_len, cross_len) = if spacing.vertical {
            (zone_start + 1, row + 1, h, w + 1)
        } else {
            (zone_start + 1, row, w + 2, h)
        };
        placed.push(AbsLabel { edge: e, rect: AbsRect { main0, cross0, main_len, cross_len } });
    }
    (columns, routes, placed)
}

/// Orders the tracks of one channel; returns how many tracks it uses. `vertical`: the layout
/// runs down or up, so tracks are drawn as rows and the lines from pins as vertical lines.
fn assign_tracks(
    nets: &Nets,
    members: &[usize],
    pin_row: &dyn Fn(usize) -> i64,
    borders: &BTreeSet<i64>,
    vertical: bool,
    tracks: &mut [Tracks],
) -> usize {
    let needs_track = |i: usize| {
        let net = &nets.nets[i];
        !(net.kind == NetKind::Solo && pin_row(net.left[0]) == pin_row(net.right[0]))
    };
    let routed: Vec<usize> = members.iter().copied().filter(|&i| needs_track(i)).collect();
    if routed.is_empty() {
        return 0;
    }
    // Which routed net has a left pin and which a right pin in each row.
    let mut rows: BTreeMap<i64, (Option<usize>, Option<usize>)> = BTreeMap::new();
    let mut pin_rows: BTreeSet<i64> = BTreeSet::new();
    for &i in members {
        let net = &nets.nets[i];
        for &p in &net.left {
            pin_rows.insert(pin_row(p));
        }
        for &p in &net.right {
            pin_rows.insert(pin_row(p));
        }
    }
    for &i in &routed {
        let net = &nets.nets[i];
        for &p in &net.left {
            rows.entry(pin_row(p)).or_default().0 = Some(i);
        }
        for &p in &net.right {
            rows.entry(pin_row(p)).or_default().1 = Some(i);
        }
    }
    // Constraint a → b: a's track comes before b's.
    let index: BTreeMap<usize, usize> = routed.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); routed.len()];
    let mut indegree = vec![0usize; routed.len()];
    for (&_, &(l, r)) in &rows {
        if let (Some(a), Some(b)) = (l, r)
            && a != b
        {
            succ[index[&a]].push(index[&b]);
            indegree[index[&b]] += 1;
        }
    }
    // Drawn down or up, a left pin's line and another net's right-pin line in the next row
    // are vertical lines in neighbouring columns; where both run past the same rows and a
    // third net's track crosses them there, it is drawn `─││─`, and nobody can tell the track
    // goes on. Where a third net spans both rows, putting the left pin's net first keeps the
    // two lines from running side by side, wherever that adds no cycle.
    if vertical {
        let spans: Vec<(i64, i64)> = routed
            .iter()
            .map(|&i| {
                let net = &nets.nets[i];
                let rows = net.left.iter().chain(&net.right).map(|&p| pin_row(p));
                rows.fold((i64::MAX, i64::MIN), |(lo, hi), r| (lo.min(r), hi.max(r)))
            })
            .collect();
        for (&row, &(l, _)) in &rows {
            let Some(a) = l else { continue };
            for next in [row - 1, row + 1] {
                let Some(&(_, Some(b))) = rows.get(&next) else { continue };
                let (ka, kb) = (index[&a], index[&b]);
                let (lo, hi) = (row.min(next), row.max(next));
                let crossed = spans
                    .iter()
                    .enumerate()
                    .any(|(kc, &(l, h))| kc != ka && kc != kb && l <= lo && hi <= h);
                if a != b && crossed && !succ[ka].contains(&kb) && !reaches(&succ, kb, ka) {
                    succ[ka].push(kb);
                    indegree[kb] += 1;
                }
            }
        }
    }
    // Prefer the order that crosses least: nets going down further left the lower they start,
    // nets going up further left the higher they start.
    let key = |k: usize| -> (i64, i64, usize) {
        let net = &nets.nets[routed[k]];
        let mean = |ps: &[usize]| {
            if ps.is_empty() {
                0
            } else {
                ps.iter().map(|&p| pin_row(p)).sum::<i64>() / ps.len() as i64
            }
        };
        let (l, r) = (mean(&net.left), mean(&net.right));
        if net.right.is_empty() || r >= l { (0, -l, k) } else { (1, l, k) }
    };
    let mut ready: BinaryHeap<Reverse<(i64, i64, usize)>> =
        (0..routed.len()).filter(|&k| indegree[k] == 0).map(|k| Reverse(key(k))).collect();
    let mut placed = vec![false; routed.len()];
    let mut order = Vec::with_capacity(routed.len());
    let mut doglegs: Vec<usize> = Vec::new();
    let mut used_rows: BTreeSet<i64> = BTreeSet::new();
    while order.len() < routed.len() {
        if let Some(Reverse((_, _, k))) = ready.pop() {
            if placed[k] {
                continue;
            }
            placed[k] = true;
            order.push(k);
            for &s in &succ[k] {
                indegree[s] -= 1;
                if indegree[s] == 0 {
                    ready.push(Reverse(key(s)));
                }
            }
            continue;
        }
        // A cycle: the first unplaced net that still constrains others takes a dogleg, which
        // frees its left pins from the order.
        let Some(k) = (0..routed.len()).find(|&k| !placed[k] && !succ[k].is_empty()) else { break };
        let net = &nets.nets[routed[k]];
        let all: Vec<i64> = net.left.iter().chain(&net.right).map(|&p| pin_row(p)).collect();
        let target = all.iter().sum::<i64>() / all.len().max(1) as i64;
        let free =
            |r: &i64| !pin_rows.contains(r) && !used_rows.contains(r) && !borders.contains(r);
        // Drawn down or up, the dogleg is a vertical line: beside another one, a track
        // crossing both would read `─││─`; so it keeps a free row each side if it can.
        let clear = |r: &i64| !vertical || (free(&(r - 1)) && free(&(r + 1)));
        let near = |d: i64| [target + d, target - d - 1];
        let span = all.iter().max().unwrap_or(&target) - all.iter().min().unwrap_or(&target);
        let row = (0..=span + 2)
            .flat_map(near)
            .find(|r| free(r) && clear(r))
            .or_else(|| (0..).flat_map(near).find(free))
            .unwrap_or(target);
        used_rows.insert(row);
        tracks[routed[k]].dogleg = Some((doglegs.len(), row));
        doglegs.push(k);
        for s in std::mem::take(&mut succ[k]) {
            indegree[s] -= 1;
            if indegree[s] == 0 && !placed[s] {
                ready.push(Reverse(key(s)));
            }
        }
    }
    // Pack nets into as few tracks as possible (the constrained left-edge algorithm): a track
    // takes, top to bottom, nets whose vertical spans leave a row free between them and whose
    // predecessors all sit in tracks further left.
    //
    // When the layout runs down or up, the free row between two nets sharing a track must not
    // be one a line crosses the track on (a pin's row, a dogleg's row): the two nets' corners
    // would sit right beside that line, drawn `+|+` in ASCII, which is how ASCII draws a line
    // jumping a vertical one. (Across a horizontal line, corners stacked above and below it
    // cannot be read so: a vertical line is never broken where lines cross.)
    let crossed = |row: i64| vertical && (pin_rows.contains(&row) || used_rows.contains(&row));
    let span = |k: usize| -> (i64, i64) {
        let net = &nets.nets[routed[k]];
        let left: Vec<i64> = match tracks[routed[k]].dogleg {
            Some((_, row)) => vec![row],
            None => net.left.iter().map(|&p| pin_row(p)).collect(),
        };
        let rows = left.into_iter().chain(net.right.iter().map(|&p| pin_row(p)));
        rows.fold((i64::MAX, i64::MIN), |(lo, hi), r| (lo.min(r), hi.max(r)))
    };
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); routed.len()];
    for (k, ss) in succ.iter().enumerate() {
        for &t in ss {
            preds[t].push(k);
        }
    }
    // Nets of one network (hops of arrows that share a trunk in another channel) should not
    // cross one another: the renderer draws such a crossing as a crossing, but lines of one
    // fan that cross look tangled. The packing below reorders nets that nothing ties, so two
    // nets of one network that cross less in the order found above are tied to it. Every tie
    // points forward in that order: the constraints stay acyclic.
    let mut by_network: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &k in &order {
        by_network.entry(nets.network[routed[k]]).or_default().push(k);
    }
    let left_rows = |k: usize| -> Vec<i64> {
        match tracks[routed[k]].dogleg {
            Some((_, row)) => vec![row],
            None => nets.nets[routed[k]].left.iter().map(|&p| pin_row(p)).collect(),
        }
    };
    let right_rows =
        |k: usize| -> Vec<i64> { nets.nets[routed[k]].right.iter().map(|&p| pin_row(p)).collect() };
    // Crossings between `a` and `b` with `a`'s track first: `b`'s lines from its left pins
    // pass `a`'s track, `a`'s lines to its right pins pass `b`'s.
    let crossings = |a: usize, b: usize| -> usize {
        let ((a0, a1), (b0, b1)) = (span(a), span(b));
        left_rows(b).iter().filter(|&&r| a0 <= r && r <= a1).count()
            + right_rows(a).iter().filter(|&&r| b0 <= r && r <= b1).count()
    };
    // Thousands of repeated arrows would make the pairs cost quadratic time and memory; past
    // this many pairs in a channel, the plain packing decides.
    let mut budget: usize = 1 << 20;
    for members in by_network.values() {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                if budget == 0 {
                    break;
                }
                budget -= 1;
                let ((a0, a1), (b0, b1)) = (span(a), span(b));
                if a1 < b0 || b1 < a0 {
                    continue; // Apart: no order crosses.
                }
                if crossings(a, b) < crossings(b, a) {
                    preds[b].push(a);
                }
            }
        }
    }
    let mut by_start: Vec<(i64, i64, usize)> = order
        .iter()
        .map(|&k| {
            let (lo, hi) = span(k);
            (lo, hi, k)
        })
        .collect();
    by_start.sort_unstable();
    let mut track_of: Vec<Option<usize>> = vec![None; routed.len()];
    let mut left = routed.len();
    let mut track = 0;
    while left > 0 {
        let mut last_end = i64::MIN;
        let mut took = false;
        for &(lo, hi, k) in &by_start {
            if track_of[k].is_some() || lo <= last_end.saturating_add(1) {
                continue;
            }
            if lo == last_end.saturating_add(2) && crossed(last_end + 1) {
                continue;
            }
            if preds[k].iter().all(|&p| track_of[p].is_some_and(|t| t < track)) {
                track_of[k] = Some(track);
                last_end = hi;
                left -= 1;
                took = true;
            }
        }
        if !took && track > routed.len() {
            break; // Unreachable for an acyclic graph; a guard against looping forever.
        }
        track += 1;
    }
    let entries = doglegs.len();
    for (k, t) in track_of.iter().enumerate() {
        tracks[routed[k]].main = Some(entries + t.unwrap_or(track));
    }
    entries + track
}

/// Whether `to` can be reached from `from` along `succ`.
fn reaches(succ: &[Vec<usize>], from: usize, to: usize) -> bool {
    let mut seen = vec![false; succ.len()];
    let mut stack = vec![from];
    while let Some(k) = stack.pop() {
        if k == to {
            return true;
        }
        if !std::mem::replace(&mut seen[k], true) {
            stack.extend(&succ[k]);
        }
    }
    false
}
