//! Group frames: a titled frame around each group's boxes that holds nothing else.
//!
//! A frame is a feature across the phases, not a phase of its own. What it adds, in the order it
//! runs (ELK layered would call these intermediate processors):
//!
//! | When | What | Where |
//! |---|---|---|
//! | before phase 0 | membership (a box belongs to the first group that lists it); each frame's least length, from its title | [`Frames::of`] |
//! | after phase 1 | the dummies of an arrow between two members join their group, so the arrow runs inside the frame (dot's intra-cluster virtual nodes) | [`Frames::take_in_dummies`] |
//! | phase 2 | a group's members ordered as one block, the groups in one cross order in every rank | `order::order` (its `group` key), `order::align_groups` |
//! | phase 4 | a frame's margin between members and their neighbours in a rank | [`Frames::mark_members`], `place::separation` |
//! | after phase 4 | whatever still reaches into a frame is moved out | [`Frames::clear`] |
//! | end of phase 4 | frames as tight as their members allow, the rest kept on its side | [`Frames::boxes`], `place::compact` |
//! | phase 5 | channels start past frame borders; doglegs keep off them | [`Frames::spans`], `route::route` |
//! | after phase 5 | the frames' rectangles | [`Frames::rects`] |
//! | after phase 7 | each title in its top border, clear of the arrows crossing it | [`titled`] |
//! | around it all | the layout is made again with longer frames until every title fits | [`fit_titles`] |

use super::axis::{AbsRect, Axis, FRAME_MARGIN, Orientation};
use super::order::Order;
use super::place::{FrameBox, Geometry, separation};
use super::rank::Layered;
use super::types::{LineKind, PlacedGroup, PlacedText, Route};
use crate::geom::Rect;
use crate::model::{Diagram, Direction};
use crate::text::{TextBlock, width};

/// A frame's title sits in its top border, `╭ Title ╮`: the corners and a blank each side take
/// this many cells besides the title.
const TITLE_EXTRA: i64 = 4;

/// Cells a lengthened frame needs past the last arrow crossing its top border besides its
/// title, `│ T ┄╮`: a blank before the title, then a blank, a dash and the corner after it.
const TITLE_PAST_ARROWS: i64 = 4;

/// How many times the layout is made again for frame titles crowded by arrows. Lengthening a
/// frame can move the arrows that cross it; in every fixture and property-test case one or two
/// rounds settle it, so three leave room to spare while bounding the cost at four layouts.
pub(super) const TITLE_ROUNDS: usize = 3;

/// The groups of one layout: who belongs where, and how long each frame must be.
#[derive(Debug, Clone)]
pub(super) struct Frames {
    /// Each box's group, if any.
    group_of: Vec<Option<usize>>,
    /// Each group's boxes, in the order the group lists them.
    members: Vec<Vec<usize>>,
    /// Each frame's least (main, cross) length: its title's room in its border.
    min_len: Vec<(i64, i64)>,
    /// Each frame's margin across the flow (see [`Axis::frame_margin_cross`]).
    cross_margin: Vec<i64>,
    /// Each frame's margins along the flow, border included: before its first rank (always
    /// [`FRAME_MARGIN`]), past its last (see [`Frames::take_in_dummies`]).
    main_margins: Vec<(i64, i64)>,
    /// The flow runs down or up (see [`Frames::take_in_dummies`]).
    vertical: bool,
    /// Each layered node's faces (front, back) whose channel lies outside its frame: the front
    /// of a member in its frame's last rank, the back of one in its first. A label standing
    /// there is drawn past the frame's border, so the frame need not reach across for it.
    outside: Vec<[bool; 2]>,
}

/// A group frame as the channels see it: which ranks it spans, and how long it must be along
/// the main axis (its title, when the title runs along that axis).
#[derive(Debug, Clone)]
pub(super) struct FrameSpan<'a> {
    pub first_rank: usize,
    pub last_rank: usize,
    pub members: &'a [usize],
    pub min_main_len: i64,
    /// Its margins along the flow, before its first rank and past its last.
    pub main_margins: (i64, i64),
    /// The cross cells of its top and bottom borders.
    pub border_rows: [i64; 2],
}

/// A frame title that found no room between the arrows crossing its frame's top border.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CrowdedTitle {
    pub group: usize,
    /// The frame length along its top border that gives the title room past those arrows.
    pub room: i64,
}

/// How the frame titles came out of [`fit_titles`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TitleFit {
    /// Every title lies clear of arrows, after this many layouts made again.
    Fitted { rounds: usize },
    /// After [`TITLE_ROUNDS`] more layouts these groups' titles still had no room; each is drawn
    /// at the start of its border, where arrows cross it.
    GaveUp { groups: Vec<usize> },
}

/// Makes a layout with `lay_out`, given each group's least frame length along its top border,
/// and makes it again with the frames of crowded titles lengthened, at most [`TITLE_ROUNDS`]
/// times, until every title fits. Returns the last layout and how the titles came out.
///
/// `lay_out`'s flag says whether to compact the placement. Compaction pulls a frame in round
/// its members, and the arrows crossing its top border move with them, so a longer frame may
/// not give the title the room it asked for; when the rounds run out, they are taken again
/// uncompacted, as placed, where lengthening a frame does make room.
pub(super) fn fit_titles<T>(
    groups: usize,
    mut lay_out: impl FnMut(&[i64], bool) -> (T, Vec<CrowdedTitle>),
) -> (T, TitleFit) {
    let mut title_room = vec![0i64; groups];
    let mut rounds = 0;
    let mut gave_up = None;
    // Compacted, then (only if that gives up) uncompacted: each up to TITLE_ROUNDS more times.
    for compact in [true, false] {
        for _ in 0..=TITLE_ROUNDS {
            let (layout, crowded) = lay_out(&title_room, compact);
            if crowded.is_empty() {
                return (layout, TitleFit::Fitted { rounds });
            }
            for c in &crowded {
                title_room[c.group] = title_room[c.group].max(c.room);
            }
            if compact {
                let groups = crowded.iter().map(|c| c.group).collect();
                gave_up = Some((layout, TitleFit::GaveUp { groups }));
            }
            rounds += 1;
        }
    }
    // The compacted layout, with the titles it could not fit.
    gave_up.expect("TITLE_ROUNDS + 1 layouts were made compacted")
}

/// Each box's group: the first that lists it.
pub(super) fn group_of(diagram: &Diagram) -> Vec<Option<usize>> {
    let mut group_of: Vec<Option<usize>> = vec![None; diagram.nodes.len()];
    for (k, group) in diagram.groups.iter().enumerate() {
        for v in &group.nodes {
            group_of[v.0].get_or_insert(k);
        }
    }
    group_of
}

impl Frames {
    /// Membership and least lengths; `title_room[k]` is how long group `k`'s frame must be
    /// along its top border (from [`fit_titles`]).
    pub fn of(diagram: &Diagram, axis: Axis, title_room: &[i64]) -> Self {
        let group_of = group_of(diagram);
        // Members in the order their group lists them, each once.
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); diagram.groups.len()];
        let mut placed = vec![false; diagram.nodes.len()];
        for (k, group) in diagram.groups.iter().enumerate() {
            for v in &group.nodes {
                if group_of[v.0] == Some(k) && !std::mem::replace(&mut placed[v.0], true) {
                    members[k].push(v.0);
                }
            }
        }
        let min_len = diagram
            .groups
            .iter()
            .zip(title_room)
            .map(|(group, &room)| {
                let title = (width(&title_text(&group.title)) as i64 + TITLE_EXTRA).max(room);
                if axis.vertical { (0, title) } else { (title, 0) }
            })
            .collect();
        let mut served = vec![false; diagram.nodes.len()];
        for v in diagram.services.iter().flat_map(|s| &s.serves) {
            served[v.0] = true;
        }
        let cross_margin =
            members.iter().map(|m| axis.frame_margin_cross(m.iter().any(|&v| served[v]))).collect();
        let main_margins = vec![(FRAME_MARGIN, FRAME_MARGIN); diagram.groups.len()];
        Self {
            group_of,
            members,
            min_len,
            cross_margin,
            main_margins,
            vertical: axis.vertical,
            outside: Vec::new(),
        }
    }

    /// Each box's group; the ordering keeps members together.
    pub fn group_of(&self) -> &[Option<usize>] {
        &self.group_of
    }

    /// Takes into each group the dummies of the arrows between two of its members, as dot
    /// keeps an intra-cluster edge's virtual nodes in the cluster: such an arrow then runs
    /// inside its frame instead of leaving it, around other frames, and coming back.
    pub fn take_in_dummies(&mut self, g: &Layered) {
        self.group_of.resize(g.len(), None);
        for chain in &g.chains {
            let (first, last) = (chain.nodes[0], chain.last());
            let Some(k) = self.group_of[first] else { continue };
            if self.group_of[last] != Some(k) {
                continue;
            }
            for &v in chain.nodes.iter().filter(|&&v| g.is_dummy(v)) {
                if self.group_of[v].is_none() {
                    self.group_of[v] = Some(k);
                    self.members[k].push(v);
                }
            }
        }
        self.outside = vec![[false; 2]; g.len()];
        // The nodes with an arrowhead on their front face.
        let mut front_head = vec![false; g.len()];
        for chain in g.chains.iter().filter(|c| c.head_on_front_face()) {
            front_head[chain.nodes[0]] = true;
        }
        for (k, members) in self.members.iter().enumerate() {
            let ranks = members.iter().map(|&v| g.rank[v]);
            let (Some(first), Some(last)) = (ranks.clone().min(), ranks.max()) else { continue };
            for &v in members {
                self.outside[v] = [g.rank[v] == last, g.rank[v] == first];
            }
            // Down or up, the border past the last rank may follow the boxes straight away, as
            // a frame's borders across the flow do in a flow across (rows are tall; lines leave
            // through it), unless an arrowhead stands on a last-rank member's front face: it
            // needs the blank. Before the first rank the blank stays: heads into the frame stand
            // there, and where none does, a border right over the boxes gives the arrows
            // passing through it less room round the title (ride-hailing-platform then missed
            // its 120 columns).
            let head_at_end = members.iter().any(|&v| g.rank[v] == last && front_head[v]);
            if self.vertical && !head_at_end {
                self.main_margins[k].1 = 1;
            }
        }
    }

    /// Tells the placement which nodes are framed and each frame's margin, so it keeps the
    /// margin around them.
    pub fn mark_members(&self, geometry: &mut Geometry) {
        geometry.frame_margin.clone_from(&self.cross_margin);
        for (v, &k) in self.group_of.iter().enumerate() {
            geometry.group[v] = k;
        }
    }

    /// Keeps every frame clear of nodes that are not its group's: in each rank the frame spans,
    /// nodes ordered before the group must end above the frame (else the group moves down), and
    /// nodes after it, or in a rank without members, must start below it.
    pub fn clear(&self, g: &Layered, ord: &Order, geometry: &mut Geometry, axis: Axis) {
        let min_cross: Vec<i64> = self.min_len.iter().map(|m| m.1).collect();
        // In cross order, so a frame once cleared is never pushed into again: each group only
        // moves itself and what comes after it. For each cleared frame: where its boxes end
        // across (before the margin) and the ranks it spans.
        let mut cleared: Vec<Option<(i64, (usize, usize))>> = vec![None; self.members.len()];
        for &k in &ord.groups {
            let members = &self.members[k];
            if members.is_empty() {
                continue;
            }
            let r0 = members.iter().map(|&v| g.rank[v]).min().unwrap_or(0);
            let r1 = members.iter().map(|&v| g.rank[v]).max().unwrap_or(0);
            let clearing = Clearing { g, k, spanned: &ord.layers[r0..=r1], axis };
            clearing.move_below_earlier(members, &cleared, (r0, r1), geometry);
            let margin = self.cross_margin[k];
            // Everything a member reaches, labels past the frame included: the frames and
            // nodes cleared after it then keep clear of those labels too, which the
            // compaction's start relies on.
            let full =
                members.iter().map(|&v| (geometry.top[v], geometry.top[v] + geometry.reach[v]));
            let (lo, hi) = inside(around(full, min_cross[k], (margin, margin)), margin);
            cleared[k] = Some((hi, (r0, r1)));
            clearing.move_later_below(&cleared, (lo, hi), geometry);
        }
    }

    /// The frames as placement's compaction sees them, one for each group.
    pub fn boxes(&self, g: &Layered) -> Vec<FrameBox<'_>> {
        self.members
            .iter()
            .zip(&self.min_len)
            .zip(&self.cross_margin)
            .map(|((m, &(_, min_cross)), &margin)| FrameBox {
                members: m,
                ranks: (
                    m.iter().map(|&v| g.rank[v]).min().unwrap_or(0),
                    m.iter().map(|&v| g.rank[v]).max().unwrap_or(0),
                ),
                min_inner: (min_cross - 2 * margin).max(0),
                outside: &self.outside,
            })
            .collect()
    }

    /// The frames as the channels see them (groups without boxes have none).
    pub fn spans(&self, g: &Layered, geometry: &Geometry) -> Vec<FrameSpan<'_>> {
        self.members
            .iter()
            .zip(&self.min_len)
            .zip(&self.cross_margin)
            .zip(&self.main_margins)
            .filter(|(((m, _), _), _)| !m.is_empty())
            .map(|(((m, &(min_main_len, min_cross_len)), &margin), &main_margins)| {
                let (lo, hi) = cross_extent(m, &self.outside, geometry, min_cross_len, margin);
                FrameSpan {
                    first_rank: m.iter().map(|&v| g.rank[v]).min().unwrap_or(0),
                    last_rank: m.iter().map(|&v| g.rank[v]).max().unwrap_or(0),
                    members: m,
                    min_main_len,
                    main_margins,
                    border_rows: [lo - margin, hi + margin - 1],
                }
            })
            .collect()
    }

    /// Each group's frame around its members' `boxes`; `None` for a group without boxes.
    pub fn rects(&self, boxes: &[AbsRect], geometry: &Geometry) -> Vec<Option<AbsRect>> {
        self.members
            .iter()
            .zip(&self.min_len)
            .zip(&self.cross_margin)
            .zip(&self.main_margins)
            .map(|(((members, &(min_main, min_cross)), &cross_margin), &main_margins)| {
                // Along the flow a frame holds its boxes; its dummies lie between them.
                let mains = members
                    .iter()
                    .filter(|&&v| v < boxes.len())
                    .map(|&v| (boxes[v].main0, boxes[v].main0 + boxes[v].main_len));
                let (main0, main_end) = around(mains, min_main, main_margins)?;
                let cells = cross_cells(members, &self.outside, geometry);
                let (cross0, cross_end) = around(cells, min_cross, (cross_margin, cross_margin))?;
                Some(AbsRect {
                    main0,
                    cross0,
                    main_len: main_end - main0,
                    cross_len: cross_end - cross0,
                })
            })
            .collect()
    }
}

impl FrameSpan<'_> {
    /// Main-axis cells of the frame, border to border (end exclusive), once its members'
    /// borders start at `start_of(v)` along the main axis.
    pub fn main_range(&self, geometry: &Geometry, start_of: impl Fn(usize) -> i64) -> (i64, i64) {
        let mains = self.members.iter().map(|&v| {
            let start = start_of(v);
            (start, start + geometry.main_len[v])
        });
        around(mains, self.min_main_len, self.main_margins).unwrap_or_default()
    }
}

/// The one rule for a frame's extent along either axis: the cells it takes, from its first
/// border cell to one past its last, around its members' cells (first, one past the last) with
/// `margins` before and after them (the axis's frame margins), and at least `min_len` long
/// (room for its title, where the title runs along this axis). `None` without members.
fn around(
    cells: impl IntoIterator<Item = (i64, i64)>,
    min_len: i64,
    (before, after): (i64, i64),
) -> Option<(i64, i64)> {
    let (lo, hi) = cells.into_iter().reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))?;
    let start = lo - before;
    Some((start, (hi + after).max(start + min_len)))
}

/// The cross cells each member takes inside its frame: its box, and its pins and labels on the
/// faces whose channels the frame spans (see [`Frames::outside`]).
fn cross_cells<'a>(
    members: &'a [usize],
    outside: &'a [[bool; 2]],
    geometry: &'a Geometry,
) -> impl Iterator<Item = (i64, i64)> + 'a {
    members.iter().map(|&v| (geometry.top[v], geometry.top[v] + inner_reach(geometry, outside, v)))
}

/// How far past its first cross cell node `v` reaches inside its frame: what it reaches
/// ([`Geometry::reach`]) less the labels on faces whose channels lie outside the frame.
pub(super) fn inner_reach(geometry: &Geometry, outside: &[[bool; 2]], v: usize) -> i64 {
    let sides = geometry.sides[v];
    let faces = outside.get(v).copied().unwrap_or_default();
    let face = |f: usize| if faces[f] { 0 } else { sides.face_reach[f] };
    sides.body.max(face(0)).max(face(1))
}

/// The cross cells inside a group's frame, first to one past the last: its boxes' cells,
/// stretched so the frame is at least `min_frame_len` long.
fn cross_extent(
    members: &[usize],
    outside: &[[bool; 2]],
    geometry: &Geometry,
    min_frame_len: i64,
    margin: i64,
) -> (i64, i64) {
    inside(around(cross_cells(members, outside, geometry), min_frame_len, (margin, margin)), margin)
}

/// A frame's extent from [`around`] without its margins.
fn inside(extent: Option<(i64, i64)>, margin: i64) -> (i64, i64) {
    extent.map_or((0, 0), |(start, end)| (start + margin, end - margin))
}

/// One group's frame being cleared.
struct Clearing<'a> {
    g: &'a Layered,
    k: usize,
    /// The ranks the frame spans, in order.
    spanned: &'a [Vec<usize>],
    axis: Axis,
}

impl Clearing<'_> {
    /// Room between a frame's inner edge and a node outside it: the frame's margin and a blank
    /// outside.
    fn margin(&self, geometry: &Geometry) -> i64 {
        geometry.frame_margin[self.k] + 1
    }

    fn first_member(&self, layer: &[usize], geometry: &Geometry) -> Option<usize> {
        layer.iter().position(|&v| geometry.group[v] == Some(self.k))
    }

    /// A node in another group brings its own frame's margin.
    fn framed(geometry: &Geometry, v: usize) -> i64 {
        geometry.group[v].map_or(0, |j| geometry.frame_margin[j])
    }

    /// Moves the group down past the nodes ordered before it in each spanned rank (in a rank
    /// without members, past the groups cleared before) and past every frame cleared before
    /// that shares a rank with it.
    fn move_below_earlier(
        &self,
        members: &[usize],
        cleared: &[Option<(i64, (usize, usize))>],
        (r0, r1): (usize, usize),
        geometry: &mut Geometry,
    ) {
        let lo = members.iter().map(|&v| geometry.top[v]).min().unwrap_or(0);
        let need = self
            .spanned
            .iter()
            .flat_map(|layer| {
                // In a rank without members, the groups cleared before lie above this one.
                let before: Vec<usize> = match self.first_member(layer, geometry) {
                    Some(i) => layer[..i].to_vec(),
                    None => layer
                        .iter()
                        .copied()
                        .filter(|&v| geometry.group[v].is_some_and(|j| cleared[j].is_some()))
                        .collect(),
                };
                before.into_iter().map(|v| {
                    geometry.top[v]
                        + geometry.reach[v]
                        + self.margin(geometry)
                        + Self::framed(geometry, v)
                })
            })
            .max()
            .unwrap_or(lo);
        // A frame cleared before that spans some of the same ranks lies wholly above this one,
        // even where it has no members (one frame may span the other's ranks).
        let need = cleared
            .iter()
            .enumerate()
            .filter_map(|(j, c)| c.map(|c| (j, c)))
            .filter(|(_, (_, (a, b)))| *a <= r1 && r0 <= *b)
            .map(|(j, (end, _))| end + self.margin(geometry) + geometry.frame_margin[j])
            .fold(need, i64::max);
        if need > lo {
            for &v in members {
                geometry.top[v] += need - lo;
            }
            for layer in self.spanned {
                if let Some(i) = self.first_member(layer, geometry) {
                    settle(self.g, layer, i + 1, geometry, self.axis);
                }
            }
        }
    }

    /// Moves below the frame, whose boxes take cross cells `lo..hi`, every node after the group
    /// in a spanned rank (every node, in a rank without members) that reaches into it, except
    /// members of groups cleared before.
    fn move_later_below(
        &self,
        cleared: &[Option<(i64, (usize, usize))>],
        (lo, hi): (i64, i64),
        geometry: &mut Geometry,
    ) {
        for layer in self.spanned {
            let start = match self.first_member(layer, geometry) {
                Some(_) => layer
                    .iter()
                    .rposition(|&v| geometry.group[v] == Some(self.k))
                    .map_or(0, |i| i + 1),
                None => 0,
            };
            for i in start..layer.len() {
                let v = layer[i];
                if geometry.group[v].is_some_and(|j| j != self.k && cleared[j].is_some()) {
                    continue;
                }
                let outside = self.margin(geometry) + Self::framed(geometry, v);
                let clear_above = geometry.top[v] + geometry.reach[v] + outside <= lo;
                if !clear_above && geometry.top[v] < hi + outside {
                    geometry.top[v] = hi + outside;
                    settle(self.g, layer, i + 1, geometry, self.axis);
                }
            }
        }
    }
}

/// Moves nodes from `from` on down until each keeps its separation from the one before.
fn settle(g: &Layered, layer: &[usize], from: usize, geometry: &mut Geometry, axis: Axis) {
    for j in from.max(1)..layer.len() {
        let need =
            geometry.top[layer[j - 1]] + separation(g, geometry, layer[j - 1], layer[j], axis);
        geometry.top[layer[j]] = geometry.top[layer[j]].max(need);
    }
}

/// Each group's frame on the grid with its title in the top border, where no arrow crosses it,
/// and the titles that found no room there.
pub(super) fn titled(
    diagram: &Diagram,
    grid: &Orientation,
    frames: &[Option<AbsRect>],
    routes: &[Route],
) -> (Vec<PlacedGroup>, Vec<CrowdedTitle>) {
    let mut crowded = Vec::new();
    let groups = diagram
        .groups
        .iter()
        .zip(frames)
        .enumerate()
        .filter_map(|(k, (group, frame))| {
            let rect = grid.rect((*frame)?);
            let title = place_title(rect, &group.title, routes).unwrap_or_else(|(first, last)| {
                let text = title_text(&group.title);
                let width = width(&text);
                // Lengthened, a frame grows away from its first rank: rightwards, except in a
                // flow running left. The title then goes one cell past the arrows, as `│ T ┄╮`
                // or `╭┄ T │`; `right - first` counts the first arrow's own column.
                let past = width as i64 + TITLE_PAST_ARROWS;
                let room = if grid.direction == Direction::Left {
                    (rect.right() - first) as i64 + past - 1
                } else {
                    (last + 1 - rect.x) as i64 + past
                };
                crowded.push(CrowdedTitle { group: k, room });
                PlacedText { kind: LineKind::Title, text, width, x: rect.x + 2, y: rect.y }
            });
            Some(PlacedGroup { id: group.id.clone(), rect, title })
        })
        .collect();
    (groups, crowded)
}

/// A frame title on one line, as its border shows it.
fn title_text(title: &TextBlock) -> String {
    title.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// A frame's title in its top border, where no arrow crosses it or its padding. If the
/// arrows leave it no room: the first and last columns they cross the border at.
fn place_title(
    rect: Rect,
    title: &TextBlock,
    routes: &[Route],
) -> Result<PlacedText, (usize, usize)> {
    let text = title_text(title);
    let width = width(&text);
    let y = rect.y;
    // Each segment once, its columns on the border row marked as a difference array: filling
    // every segment's columns took seconds for a frame crossed by thousands of arrows.
    let mut starts = vec![0i64; rect.width + 1];
    for w in routes.iter().flat_map(|r| r.points.windows(2)) {
        let (a, b) = (w[0], w[1]);
        let (x0, x1) = (a.x.min(b.x).max(rect.x), a.x.max(b.x).min(rect.right().saturating_sub(1)));
        if a.y.min(b.y) <= y && y <= a.y.max(b.y) && x0 <= x1 {
            starts[x0 - rect.x] += 1;
            starts[x1 + 1 - rect.x] -= 1;
        }
    }
    let crossed: Vec<bool> = starts[..rect.width]
        .iter()
        .scan(0i64, |depth, &d| {
            *depth += d;
            Some(*depth > 0)
        })
        .collect();
    let free = |x: usize| !crossed[x - rect.x];
    let fits = |x: usize| x + width + 1 < rect.right() && (x - 1..x + width + 1).all(free);
    match (rect.x + 2..rect.right().saturating_sub(width + 1)).find(|&x| fits(x)) {
        Some(x) => Ok(PlacedText { kind: LineKind::Title, text, width, x, y }),
        None => {
            let first = crossed.iter().position(|&c| c).unwrap_or(0);
            let last = crossed.iter().rposition(|&c| c).unwrap_or(0);
            Err((rect.x + first, rect.x + last))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in layout whose title needs `needs` cells of frame: it is crowded until given
    /// that much room, and asks for `step` more each time.
    /// Uncompacted, it needs only `loose` cells.
    fn crowded_until(
        needs: i64,
        step: i64,
        loose: i64,
    ) -> impl FnMut(&[i64], bool) -> (i64, Vec<CrowdedTitle>) {
        move |room: &[i64], compact: bool| {
            let needs = if compact { needs } else { loose };
            let crowded =
                (room[0] < needs).then_some(CrowdedTitle { group: 0, room: room[0] + step });
            (room[0] + 1000 * i64::from(!compact), crowded.into_iter().collect())
        }
    }

    #[test]
    fn titles_fit_after_rounds_or_the_loop_gives_up() {
        let fitted = |rounds| TitleFit::Fitted { rounds };
        assert_eq!(fit_titles(1, crowded_until(0, 5, 0)), (0, fitted(0)));
        assert_eq!(fit_titles(1, crowded_until(10, 5, 0)), (10, fitted(2)));
        let gave_up = fit_titles(1, crowded_until(100, 5, 100));
        assert_eq!(gave_up, (5 * TITLE_ROUNDS as i64, TitleFit::GaveUp { groups: vec![0] }));
        // Crowded after every round compacted, but not uncompacted with the room asked for:
        // that layout (marked by its 1000) is drawn.
        let loose = fit_titles(1, crowded_until(100, 5, 20));
        let room = 5 * (TITLE_ROUNDS as i64 + 1);
        assert_eq!(loose, (1000 + room, fitted(TITLE_ROUNDS + 1)));
        // Uncompacted, the rounds go on lengthening the frame.
        let later = fit_titles(1, crowded_until(100, 5, 30));
        assert_eq!(later, (1000 + room + 10, fitted(TITLE_ROUNDS + 3)));
    }
}
