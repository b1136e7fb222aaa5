//! Composition: pieces of a diagram laid out apart, then put together into one [`Layout`].
//!
//! A *piece* is a sub-diagram: some of the diagram's boxes with the arrows between them and
//! the services and groups that belong to them alone. Each piece is laid out on its own by the
//! per-piece engine (`lay_out`, through `layout_once`), which composition treats as a black
//! box: a diagram in, a finished layout on its own canvas out. Composition then moves each
//! piece's layout to its place on a larger canvas and merges them; arrows between pieces (a
//! flow wrapped into rows) are routed afterwards by [`super::band`].
//!
//! Two uses, both from the fitting ladder ([`super::fit`]), which runs after the per-piece
//! engine and before the debug check in [`super::layout`]:
//!
//! - disconnected parts ([`components`]): boxes joined by no arrow, group or service are laid
//!   out apart and packed in rows and columns ([`pack`]), instead of all sharing rank 0;
//! - a long flow wrapped into rows ([`super::cuts`] picks the rows, [`stack`] places them).
//!
//! # Invariants
//!
//! - Every box, service and group of the diagram is in exactly one piece: a group or a service
//!   never spans two pieces (the callers cut only where none does), so its frame or its row of
//!   arrows is the one its piece's layout drew.
//! - A merged layout lists boxes, services and groups in diagram order and its routes as
//!   [`Layout`] promises (the diagram's arrows in order, then each service's arrows), with net
//!   numbers unique across pieces, so it passes [`super::verify`] whenever each piece did and
//!   the pieces' canvases do not overlap.
//! - Pieces are placed on whole cells and never overlap: each keeps its canvas, so whatever it
//!   drew stays clear of every other piece.

use super::band::{self, Wrapped};
use super::content::{self, Wrap};
use super::disjoint::DisjointSets;
use super::frames::TitleFit;
use super::layout_once;
use super::types::{Endpoint, Layout, PlacedLabel, PlacedText, Route};
use crate::geom::{Point, Rect, Side};
use crate::model::{Diagram, Direction, Edge, Group, NodeId, Service};
use crate::text::TextBlock;

/// A sub-diagram, and where its boxes, arrows, services and groups are in the whole one.
#[derive(Debug, Clone)]
pub(super) struct Piece {
    pub diagram: Diagram,
    /// The diagram's index of each of the piece's boxes.
    pub nodes: Vec<usize>,
    /// The diagram's index of each of the piece's arrows.
    pub edges: Vec<usize>,
    /// The diagram's index of each of the piece's services.
    pub services: Vec<usize>,
    /// For each of the piece's services, the positions in the diagram service's `serves` of
    /// the boxes it serves in this piece (all of them, unless the service was split).
    pub serves: Vec<Vec<usize>>,
    /// The diagram's index of each of the piece's groups.
    pub groups: Vec<usize>,
}

/// Which piece each box goes to, and so each arrow, service and group.
#[derive(Debug, Clone)]
pub(super) struct Partition {
    /// Each box's piece.
    pub piece_of: Vec<usize>,
    /// Number of pieces, each holding at least one box.
    pub pieces: usize,
}

impl Partition {
    /// The pieces, in order: piece `k`'s boxes, arrows with both ends in it, and the services
    /// and groups whose boxes (all of them, which the caller makes sure of) are in it.
    pub fn pieces(&self, diagram: &Diagram) -> Vec<Piece> {
        let mut pieces: Vec<Piece> = (0..self.pieces)
            .map(|_| Piece {
                diagram: Diagram {
                    title: None,
                    direction: diagram.direction,
                    direction_given: diagram.direction_given,
                    max_width: None,
                    fit: None,
                    nodes: Vec::new(),
                    edges: Vec::new(),
                    services: Vec::new(),
                    groups: Vec::new(),
                    appearance: diagram.appearance,
                },
                nodes: Vec::new(),
                edges: Vec::new(),
                services: Vec::new(),
                serves: Vec::new(),
                groups: Vec::new(),
            })
            .collect();
        let mut local = vec![0usize; diagram.nodes.len()];
        for (v, node) in diagram.nodes.iter().enumerate() {
            let p = &mut pieces[self.piece_of[v]];
            local[v] = p.nodes.len();
            p.nodes.push(v);
            p.diagram.nodes.push(node.clone());
        }
        let id = |v: NodeId| NodeId(local[v.0]);
        for (e, edge) in diagram.edges.iter().enumerate() {
            let (a, b) = (self.piece_of[edge.from.0], self.piece_of[edge.to.0]);
            if a == b {
                let p = &mut pieces[a];
                p.edges.push(e);
                p.diagram.edges.push(Edge {
                    from: id(edge.from),
                    to: id(edge.to),
                    label: edge.label.clone(),
                });
            }
        }
        for (k, service) in diagram.services.iter().enumerate() {
            let home = self.service_piece(service);
            let p = &mut pieces[home];
            let kept: Vec<usize> = (0..service.serves.len())
                .filter(|&i| self.piece_of[service.serves[i].0] == home)
                .collect();
            p.services.push(k);
            p.diagram.services.push(Service {
                id: service.id.clone(),
                title: service.title.clone(),
                text: service.text.clone(),
                serves: kept.iter().map(|&i| id(service.serves[i])).collect(),
            });
            p.serves.push(kept);
        }
        for (k, group) in diagram.groups.iter().enumerate() {
            let p = &mut pieces[self.piece_of[group.nodes[0].0]];
            p.groups.push(k);
            p.diagram.groups.push(Group {
                id: group.id.clone(),
                title: group.title.clone(),
                nodes: group.nodes.iter().map(|&v| id(v)).collect(),
            });
        }
        pieces
    }
}

impl Partition {
    /// The piece a service is drawn in: the one holding most of the boxes it serves, so that
    /// fewest of its arrows run between pieces; of several such, the one nearest the middle
    /// of its boxes' pieces.
    pub fn service_piece(&self, service: &Service) -> usize {
        let mut count = vec![0usize; self.pieces];
        for v in &service.serves {
            count[self.piece_of[v.0]] += 1;
        }
        let most = count.iter().copied().max().unwrap_or(0);
        // Of the pieces serving most, the one nearest the middle of all its boxes' pieces,
        // so its lines reach up and down the least.
        let mut pieces: Vec<usize> = service.serves.iter().map(|v| self.piece_of[v.0]).collect();
        pieces.sort_unstable();
        let middle = pieces.get(pieces.len().saturating_sub(1) / 2).copied().unwrap_or(0);
        (0..self.pieces)
            .filter(|&k| count[k] == most)
            .min_by_key(|&k| k.abs_diff(middle))
            .unwrap_or(0)
    }
}

/// The diagram's connected parts: boxes joined by arrows, by a group or by a service are in
/// one part. Parts are numbered by their first box, in diagram order.
pub(super) fn components(diagram: &Diagram) -> Partition {
    let n = diagram.nodes.len();
    let mut sets = DisjointSets::new(n);
    for e in &diagram.edges {
        sets.union(e.from.0, e.to.0);
    }
    let joined =
        diagram.groups.iter().map(|g| &g.nodes).chain(diagram.services.iter().map(|s| &s.serves));
    for boxes in joined {
        for w in boxes.windows(2) {
            sets.union(w[0].0, w[1].0);
        }
    }
    let mut number = vec![usize::MAX; n];
    let mut pieces = 0;
    let piece_of = (0..n)
        .map(|v| {
            let root = sets.find(v);
            if number[root] == usize::MAX {
                number[root] = pieces;
                pieces += 1;
            }
            number[root]
        })
        .collect();
    Partition { piece_of, pieces }
}

/// A piece's layout and where its canvas's top-left corner goes.
#[derive(Debug)]
pub(super) struct Placed<'a> {
    pub piece: &'a Piece,
    pub layout: Layout,
    pub at: Point,
}

/// Merges laid-out pieces into one layout of `diagram` drawn in `direction`, with `extra`
/// routes and labels (already on the merged canvas, their nets numbered from
/// [`first_free_net`]) for the arrows between pieces, each route with its position in its
/// service's `serves` if it is a service's. The canvas is as large as everything on it.
pub(super) fn merge(
    diagram: &Diagram,
    direction: Direction,
    placed: Vec<Placed<'_>>,
    extra_routes: Vec<(usize, Route)>,
    extra_labels: Vec<PlacedLabel>,
) -> Layout {
    let mut boxes = vec![None; diagram.nodes.len()];
    let mut services = vec![None; diagram.services.len()];
    let mut groups = vec![None; diagram.groups.len()];
    let mut edge_routes: Vec<Option<Route>> = vec![None; diagram.edges.len()];
    // Each service's arrows with their position in its `serves`.
    let mut service_routes: Vec<Vec<(usize, Route)>> = vec![Vec::new(); diagram.services.len()];
    let mut labels = Vec::new();
    let mut net_base = 0;
    for Placed { piece, layout, at } in placed {
        let (dx, dy) = (at.x, at.y);
        for (i, mut b) in layout.boxes.into_iter().enumerate() {
            b.rect = moved(b.rect, dx, dy);
            move_texts(&mut b.lines, dx, dy);
            boxes[piece.nodes[i]] = Some(b);
        }
        for (k, mut s) in layout.services.into_iter().enumerate() {
            s.rect = moved(s.rect, dx, dy);
            move_texts(&mut s.lines, dx, dy);
            services[piece.services[k]] = Some(s);
        }
        for (k, mut g) in layout.groups.into_iter().enumerate() {
            g.rect = moved(g.rect, dx, dy);
            g.title.x += dx;
            g.title.y += dy;
            groups[piece.groups[k]] = Some(g);
        }
        let endpoint = |e: Endpoint| match e {
            Endpoint::Box(i) => Endpoint::Box(piece.nodes[i]),
            Endpoint::Service(k) => Endpoint::Service(k),
        };
        let nets = layout.routes.iter().map(|r| r.net + 1).max().unwrap_or(0);
        // A service's arrows come in its `serves` order: the n-th is the n-th kept box's.
        let mut served = vec![0usize; piece.services.len()];
        for mut r in layout.routes {
            r.net += net_base;
            r.from = endpoint(r.from);
            r.to = endpoint(r.to);
            for p in &mut r.points {
                *p = Point::new(p.x + dx, p.y + dy);
            }
            match (r.edge, r.from) {
                (Some(e), _) => {
                    let e = piece.edges[e];
                    r.edge = Some(e);
                    edge_routes[e] = Some(r);
                }
                (None, Endpoint::Service(local)) => {
                    let position = piece.serves[local].get(served[local]).copied();
                    served[local] += 1;
                    r.from = Endpoint::Service(piece.services[local]);
                    service_routes[piece.services[local]].push((position.unwrap_or(0), r));
                }
                (None, Endpoint::Box(_)) => {}
            }
        }
        net_base += nets;
        for mut label in layout.labels {
            label.edge = piece.edges[label.edge];
            label.rect = moved(label.rect, dx, dy);
            move_texts(&mut label.lines, dx, dy);
            labels.push(label);
        }
    }
    for (position, r) in extra_routes {
        match (r.edge, r.from) {
            (Some(e), _) => edge_routes[e] = Some(r),
            (None, Endpoint::Service(k)) => service_routes[k].push((position, r)),
            (None, Endpoint::Box(_)) => {}
        }
    }
    for routes in &mut service_routes {
        routes.sort_by_key(|(position, _)| *position);
    }
    labels.extend(extra_labels);
    labels.sort_by_key(|l| l.edge);
    let routes: Vec<Route> = edge_routes
        .into_iter()
        .flatten()
        .chain(service_routes.into_iter().flatten().map(|(_, r)| r))
        .collect();
    let boxes: Vec<_> = boxes.into_iter().flatten().collect();
    let services: Vec<_> = services.into_iter().flatten().collect();
    let groups: Vec<_> = groups.into_iter().flatten().collect();
    let rects = boxes
        .iter()
        .map(|b| b.rect)
        .chain(services.iter().map(|s| s.rect))
        .chain(groups.iter().map(|g| g.rect))
        .chain(labels.iter().map(|l| l.rect));
    let (mut width, mut height) = (0, 0);
    for r in rects {
        width = width.max(r.right());
        height = height.max(r.bottom());
    }
    for p in routes.iter().flat_map(|r| &r.points) {
        width = width.max(p.x + 1);
        height = height.max(p.y + 1);
    }
    Layout {
        title: diagram.title.clone(),
        direction,
        width,
        height,
        boxes,
        services,
        groups,
        routes,
        labels,
    }
}

/// The first net number free after merging pieces whose layouts are `layouts`.
pub(super) fn first_free_net<'a>(layouts: impl Iterator<Item = &'a Layout>) -> usize {
    layouts.map(|l| l.routes.iter().map(|r| r.net + 1).max().unwrap_or(0)).sum()
}

fn moved(r: Rect, dx: usize, dy: usize) -> Rect {
    Rect::new(r.x + dx, r.y + dy, r.width, r.height)
}

fn move_texts(lines: &mut [PlacedText], dx: usize, dy: usize) {
    for t in lines {
        t.x += dx;
        t.y += dy;
    }
}

/// Columns kept free beside the rows of a wrapped flow, when the width limit leaves them, for
/// the arrows that run from one row's end to the next row's start.
const GUTTER: usize = 3;

/// Rows kept free under the last row of a wrapped flow and over the first (dropped when no
/// line takes them), so that an arrow from the last row back up, or from the first row down
/// to a later one, may run round the boxes instead of across the lines between the rows.
/// Four, not two: a label on a line there needs its rows too, and a routing that finds no
/// place for one fails as a whole.
const GUTTER_BELOW: usize = 4;
const GUTTER_ABOVE: usize = 4;

/// A flow cut into pieces (`partition`, from [`super::cuts`]) drawn one under another, each
/// laid out alone `direction`, text wrapped at `wrap`, and the arrows between pieces routed
/// through the bands between them ([`band::route_all`]): the layout, how its frame titles came
/// out and how many arrows run between rows. `None` if an arrow finds no way, or the result
/// breaks a rule of the drawing ([`super::verify`], checked here in every build: a wrapped
/// layout is only ever one candidate among others).
pub(super) fn stack(
    diagram: &Diagram,
    partition: &Partition,
    whole: &Layout,
    wrap: Wrap,
    limit: usize,
) -> Option<(Layout, TitleFit, usize)> {
    let direction = whole.direction;
    let pieces = partition.pieces(diagram);
    let laid: Vec<(Layout, TitleFit)> =
        pieces.iter().map(|p| layout_once(&p.diagram, direction, wrap)).collect();
    let order = flow_order(partition, whole);
    let mut row_of = vec![0; pieces.len()];
    for (row, &k) in order.iter().enumerate() {
        row_of[k] = row;
    }
    let piece_of = &partition.piece_of;
    let arrows =
        diagram.edges.iter().enumerate().filter(|(_, e)| piece_of[e.from.0] != piece_of[e.to.0]);
    let mut wrapped: Vec<Wrapped> = arrows
        .map(|(edge, e)| Wrapped {
            edge: Some(edge),
            position: 0,
            from: (Endpoint::Box(e.from.0), piece_of[e.from.0]),
            to: e.to.0,
            label: e.label.as_ref().filter(|l| !l.is_empty()).map(|l| content::label_text(l, wrap)),
        })
        .collect();
    for (k, s) in diagram.services.iter().enumerate() {
        let home = partition.service_piece(s);
        for (position, v) in s.serves.iter().enumerate() {
            if piece_of[v.0] != home {
                let from = (Endpoint::Service(k), home);
                wrapped.push(Wrapped { edge: None, position, from, to: v.0, label: None });
            }
        }
    }
    // Each band: a blank row, then for each arrow crossing it a row for its line, its label's
    // rows and a blank.
    let mut band = vec![1usize; pieces.len()];
    for a in &wrapped {
        let (ra, rb) = (row_of[a.from.1], row_of[piece_of[a.to]]);
        let rows = 2 + a.label.as_ref().map_or(0, TextBlock::height);
        for b in &mut band[ra.min(rb)..ra.max(rb)] {
            *b += rows;
        }
    }
    let widest = laid.iter().map(|(l, _)| l.width).max().unwrap_or(0);
    let slack = limit.saturating_sub(widest);
    let left = slack.min(GUTTER);
    let right = (slack - left).min(GUTTER);
    let mut at = vec![Point::new(0, 0); pieces.len()];
    let mut y = GUTTER_ABOVE;
    for (row, &k) in order.iter().enumerate() {
        let w = laid[k].0.width;
        let x = left + if direction == Direction::Left { widest - w } else { 0 };
        at[k] = Point::new(x, y);
        y += laid[k].0.height + band[row];
    }
    let height = y - band[order.len() - 1];
    let heights: Vec<usize> = laid.iter().map(|(l, _)| l.height).collect();
    let first_net = first_free_net(laid.iter().map(|(l, _)| l));
    let titles: Vec<TitleFit> = laid.iter().map(|(_, t)| t.clone()).collect();
    let place = |laid: Vec<Layout>| -> Vec<Placed<'_>> {
        pieces
            .iter()
            .zip(laid)
            .zip(&at)
            .map(|((piece, layout), &at)| Placed { piece, layout, at })
            .collect()
    };
    let layouts: Vec<Layout> = laid.into_iter().map(|(l, _)| l).collect();
    let mut pieces_only = merge(diagram, direction, place(layouts.clone()), Vec::new(), Vec::new());
    let canvas = (left + widest + right, height + GUTTER_BELOW);
    let side = flow_side(direction);
    let routes = band::route_all(&mut pieces_only, &wrapped, side, first_net, canvas)?;
    let labels: Vec<PlacedLabel> = pieces_only
        .labels
        .into_iter()
        .filter(|l| wrapped.iter().any(|a| a.edge == Some(l.edge)))
        .collect();
    let mut layout = merge(diagram, direction, place(layouts), routes, labels);
    let bands: Vec<(usize, usize)> = order
        .iter()
        .zip(&order[1..])
        .map(|(&above, &below)| (at[above].y + heights[above], at[below].y))
        .collect();
    compact_bands(&mut layout, &bands);
    shrink_to_fit(&mut layout);
    super::verify(&layout, diagram).ok()?;
    let titles = merged_titles(&pieces, &titles);
    Some((layout, titles, wrapped.len()))
}

/// The pieces of `partition` in the order the flow of `whole` (the layout they were cut from)
/// reaches them, by their earliest box: top to bottom, the first row first.
fn flow_order(partition: &Partition, whole: &Layout) -> Vec<usize> {
    let mut first = vec![usize::MAX; partition.pieces];
    let extent = match whole.direction {
        Direction::Right | Direction::Left => whole.width,
        Direction::Down | Direction::Up => whole.height,
    };
    for (b, &k) in whole.boxes.iter().zip(&partition.piece_of) {
        let r = b.rect;
        let along = match whole.direction {
            Direction::Right => r.x,
            Direction::Left => extent - r.right(),
            Direction::Down => r.y,
            Direction::Up => extent - r.bottom(),
        };
        first[k] = first[k].min(along);
    }
    let mut order: Vec<usize> = (0..partition.pieces).collect();
    order.sort_by_key(|&k| first[k]);
    order
}

/// How the frame titles of composed pieces came out, together.
pub(super) fn merged_titles(pieces: &[Piece], titles: &[TitleFit]) -> TitleFit {
    let (mut most, mut gave_up) = (0, Vec::new());
    for (piece, t) in pieces.iter().zip(titles) {
        match t {
            TitleFit::Fitted { rounds } => most = most.max(*rounds),
            TitleFit::GaveUp { groups } => gave_up.extend(groups.iter().map(|&g| piece.groups[g])),
        }
    }
    if gave_up.is_empty() {
        TitleFit::Fitted { rounds: most }
    } else {
        TitleFit::GaveUp { groups: gave_up }
    }
}

/// The page side a flow running `direction` heads to.
fn flow_side(direction: Direction) -> Side {
    match direction {
        Direction::Right => Side::Right,
        Direction::Left => Side::Left,
        Direction::Down => Side::Down,
        Direction::Up => Side::Up,
    }
}

/// Shortens the bands between rows (`bands`, each rows `start..end`): a run of rows in a band
/// that nothing starts, ends, turns or is written in, only crossed by vertical lines, is cut
/// to one row.
fn compact_bands(layout: &mut Layout, bands: &[(usize, usize)]) {
    let mut used = vec![false; layout.height];
    let mut mark = |from: usize, to: usize| {
        for u in used.iter_mut().take(to).skip(from) {
            *u = true;
        }
    };
    for p in layout.routes.iter().flat_map(|r| &r.points) {
        mark(p.y, p.y + 1);
    }
    for l in &layout.labels {
        mark(l.rect.y, l.rect.bottom());
    }
    // Rows to drop, from each run of free rows in a band all but its first.
    let mut drop = vec![false; layout.height];
    for &(start, end) in bands {
        for y in start + 1..end.min(layout.height) {
            drop[y] = !used[y] && !used[y - 1];
        }
    }
    // New row of each old row: less the dropped rows above it.
    let mut new_row = Vec::with_capacity(layout.height + 1);
    let mut dropped = 0;
    for &d in &drop {
        new_row.push(dropped);
        dropped += usize::from(d);
    }
    new_row.push(dropped);
    if dropped == 0 {
        return;
    }
    let up = |y: usize| y - new_row[y.min(layout.height)];
    for b in &mut layout.boxes {
        b.rect.y = up(b.rect.y);
        b.lines.iter_mut().for_each(|t| t.y = up(t.y));
    }
    for s in &mut layout.services {
        s.rect.y = up(s.rect.y);
        s.lines.iter_mut().for_each(|t| t.y = up(t.y));
    }
    for g in &mut layout.groups {
        g.rect.y = up(g.rect.y);
        g.title.y = up(g.title.y);
    }
    for l in &mut layout.labels {
        l.rect.y = up(l.rect.y);
        l.lines.iter_mut().for_each(|t| t.y = up(t.y));
    }
    for p in layout.routes.iter_mut().flat_map(|r| &mut r.points) {
        p.y = up(p.y);
    }
    layout.height -= dropped;
}

/// Moves everything in `layout` to the top-left corner and sizes the canvas to it.
fn shrink_to_fit(layout: &mut Layout) {
    let rects = layout
        .boxes
        .iter()
        .map(|b| b.rect)
        .chain(layout.services.iter().map(|s| s.rect))
        .chain(layout.groups.iter().map(|g| g.rect))
        .chain(layout.labels.iter().map(|l| l.rect));
    let points = layout.routes.iter().flat_map(|r| &r.points).map(|p| Rect::new(p.x, p.y, 1, 1));
    let all: Vec<Rect> = rects.chain(points).collect();
    let (x0, y0) = all.iter().fold((usize::MAX, usize::MAX), |(x, y), r| (x.min(r.x), y.min(r.y)));
    if x0 == usize::MAX {
        return;
    }
    for b in &mut layout.boxes {
        b.rect = back(b.rect, x0, y0);
        unmove_texts(&mut b.lines, x0, y0);
    }
    for s in &mut layout.services {
        s.rect = back(s.rect, x0, y0);
        unmove_texts(&mut s.lines, x0, y0);
    }
    for g in &mut layout.groups {
        g.rect = back(g.rect, x0, y0);
        g.title.x -= x0;
        g.title.y -= y0;
    }
    for l in &mut layout.labels {
        l.rect = back(l.rect, x0, y0);
        unmove_texts(&mut l.lines, x0, y0);
    }
    for p in layout.routes.iter_mut().flat_map(|r| &mut r.points) {
        *p = Point::new(p.x - x0, p.y - y0);
    }
    layout.width = all.iter().map(|r| r.right() - x0).max().unwrap_or(0);
    layout.height = all.iter().map(|r| r.bottom() - y0).max().unwrap_or(0);
}

fn back(r: Rect, x0: usize, y0: usize) -> Rect {
    Rect::new(r.x - x0, r.y - y0, r.width, r.height)
}

fn unmove_texts(lines: &mut [PlacedText], x0: usize, y0: usize) {
    for t in lines {
        t.x -= x0;
        t.y -= y0;
    }
}

/// Blank columns between two parts side by side.
const PACK_GAP_X: usize = 4;
/// Blank rows between two rows of parts.
const PACK_GAP_Y: usize = 2;
/// Without a width limit, parts are packed towards a drawing this many times as wide as it
/// is tall, in cells: a terminal cell is about twice as tall as it is wide, so this is a
/// landscape page, as a terminal or a README shows it.
const PACK_ASPECT: usize = 3;

/// Where each of the parts of sizes `sizes` (width, height) goes: in rows, left to right in
/// order, a new row when the next part would pass `target` columns (a part wider than that has
/// a row to itself). Rows are as tall as their tallest part, and parts short enough stack in a
/// column under the one before while the column stays within its row: small parts beside a
/// tall one (the few boxes a large generated graph leaves unconnected) fill the height it
/// opens instead of each widening the drawing by its own width.
pub(super) fn pack(sizes: &[(usize, usize)], target: usize) -> Vec<Point> {
    let mut at = Vec::with_capacity(sizes.len());
    // The current row's top and height; the current column's left, width and bottom (rows
    // below the row's top), `None` before the first part.
    let (mut row_y, mut row_height) = (0, 0);
    let mut column: Option<(usize, usize, usize)> = None;
    for &(w, h) in sizes {
        let Some((x, width, bottom)) = column else {
            at.push(Point::new(0, 0));
            (row_height, column) = (h, Some((0, w, h)));
            continue;
        };
        if bottom + PACK_GAP_Y + h <= row_height && x + w <= target.max(width) {
            at.push(Point::new(x, row_y + bottom + PACK_GAP_Y));
            column = Some((x, width.max(w), bottom + PACK_GAP_Y + h));
            continue;
        }
        let next = x + width + PACK_GAP_X;
        if next + w > target {
            row_y += row_height + PACK_GAP_Y;
            (row_height, column) = (h, Some((0, w, h)));
            at.push(Point::new(0, row_y));
        } else {
            row_height = row_height.max(h);
            column = Some((next, w, h));
            at.push(Point::new(next, row_y));
        }
    }
    at
}

/// The width to pack parts of sizes `sizes` into: about `aspect` (columns to rows, in cells) times
/// as wide as tall, else [`PACK_ASPECT`] times, but no wider than `limit` if there is one (without
/// `aspect`, `limit` itself); never narrower than the widest part.
pub(super) fn pack_target(
    sizes: &[(usize, usize)],
    limit: Option<usize>,
    aspect: Option<(u64, u64)>,
) -> usize {
    let widest = sizes.iter().map(|s| s.0).max().unwrap_or(0);
    let shaped = || {
        let area: usize =
            sizes.iter().map(|&(w, h)| (w + PACK_GAP_X).saturating_mul(h + PACK_GAP_Y)).sum();
        // Width w and height area / w with w = aspect × height.
        let (across, down) = aspect.unwrap_or((PACK_ASPECT as u64, 1));
        let scaled = (area as u64).saturating_mul(across) / down.max(1);
        (scaled as f64).sqrt().ceil() as usize
    };
    let target = match (limit, aspect) {
        (Some(limit), None) => limit,
        (Some(limit), Some(_)) => limit.min(shaped()),
        (None, _) => shaped(),
    };
    target.max(widest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagram(yaml: &str) -> Diagram {
        Diagram::from_spec(&crate::parse(yaml).expect("a spec")).expect("a diagram")
    }

    #[test]
    fn parts_are_joined_by_arrows_groups_and_services() {
        let d = diagram(
            "boxes: [{title: A}, {title: B}, {title: C}, {title: D}, {title: E}, {title: F}]\n\
             arrows: [a -> b]\n\
             groups: [{title: G, boxes: [c, d]}]\n\
             services: [{title: S, serves: [b, e]}]\n",
        );
        let parts = components(&d);
        assert_eq!(parts.piece_of, [0, 0, 1, 1, 0, 2]);
        assert_eq!(parts.pieces, 3);
        let pieces = parts.pieces(&d);
        assert_eq!(pieces[0].nodes, [0, 1, 4]);
        assert_eq!(pieces[0].edges, [0]);
        assert_eq!(pieces[0].services, [0]);
        assert_eq!(pieces[0].diagram.services[0].serves, [NodeId(1), NodeId(2)]);
        assert_eq!(pieces[1].groups, [0]);
        assert_eq!(pieces[1].diagram.groups[0].nodes, [NodeId(0), NodeId(1)]);
        assert_eq!(pieces[2].nodes, [5]);
    }

    #[test]
    fn a_service_is_drawn_in_the_piece_with_most_of_its_boxes_else_the_middle_one() {
        let d = diagram(
            "boxes: [{title: A}, {title: B}, {title: C}, {title: D}]\n\
             arrows: [a -> b -> c -> d]\n\
             services: [{title: S, serves: [a, c, d]}, {title: T, serves: [a, b, d]}]\n",
        );
        // Rows A | B | C D: S serves two boxes of the last row, so it is drawn there.
        let rows = Partition { piece_of: vec![0, 1, 2, 2], pieces: 3 };
        assert_eq!(rows.service_piece(&d.services[0]), 2);
        // Rows A | B | C | D: T serves one box in three of them; drawn in the first, its
        // line to D would run down the whole figure, from B's row it reaches both ways.
        let rows = Partition { piece_of: vec![0, 1, 2, 3], pieces: 4 };
        assert_eq!(rows.service_piece(&d.services[1]), 1);
    }

    #[test]
    fn parts_are_packed_in_rows_up_to_the_target() {
        let sizes = [(10, 3), (10, 5), (10, 3), (30, 2)];
        // Two fit in 25 columns (10 + 4 + 10); the third starts a row under the taller one.
        assert_eq!(
            pack(&sizes, 25),
            [Point::new(0, 0), Point::new(14, 0), Point::new(0, 7), Point::new(0, 12)]
        );
        // Short parts after a tall one stack beside it while they fit under its height; the
        // last would pass the target in that column and starts a row.
        let beside_a_tall_one = [(20, 13), (6, 3), (8, 3), (6, 3), (5, 3), (9, 2)];
        assert_eq!(
            pack(&beside_a_tall_one, 42),
            [
                Point::new(0, 0),
                Point::new(24, 0),
                Point::new(24, 5),
                Point::new(24, 10),
                Point::new(36, 0),
                Point::new(0, 15)
            ]
        );
        // A part wider than the target gets a row of its own, and the target grows to it.
        assert_eq!(pack_target(&sizes, Some(20), None), 30);
        // Without a limit, a landscape page: wider than tall.
        let many = vec![(7, 3); 100];
        let target = pack_target(&many, None, None);
        let at = pack(&many, target);
        let height = at.iter().map(|p| p.y + 3).max().unwrap();
        assert!(target > 2 * height && target < 5 * height, "{target} × {height}");
    }
}
