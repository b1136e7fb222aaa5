//! The drawing rules a layout keeps, checked on the finished [`Layout`].
//!
//! [`verify`] states the `# Guarantees` of [`Layout`] and [`Route`](super::Route) as code:
//! [`layout`](super::layout) asserts it in debug builds, and the property tests and the fuzz
//! target call it on every layout they make. It takes time and memory in proportion to the
//! drawing (its rectangles, their rows, and the cells of its routes), never to pairs of
//! things, so debug builds stay usable on large diagrams. The implementation notes in
//! [`super`] list which phase keeps each rule and which fixtures show it broken.

use std::collections::BTreeMap;
use std::fmt;

use super::types::{Endpoint, Layout, LineKind, PlacedText};
use crate::geom::arms::{DOWN, LEFT, RIGHT, UP};
use crate::geom::{Point, Rect, Side};
use crate::model::Diagram;

/// A rule of the drawing; see [`verify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// A placed box, service and group for each of the diagram's, in order; a route for each
    /// arrow, in order, then each service's arrows.
    Counts,
    /// Every box, service, frame and label is not empty and lies inside the canvas, and so does
    /// every route point.
    InsideCanvas,
    /// Boxes, services and labels do not overlap one another.
    NoOverlap,
    /// Frames do not overlap; each holds exactly its group's boxes, inside its border, and no
    /// service or label lies on its border.
    FrameHoldsItsGroup,
    /// A frame's title lies in its border, between its corners.
    TitleInBorder,
    /// Every text line lies inside its box's border, its service's block or its label's area.
    TextInside,
    /// A route is a polyline of at least two points, each step along a row or a column.
    Orthogonal,
    /// A route starts next to its tail (a service's arrow at its text) and ends next to its
    /// head, pointing into it.
    EndsAtItsBoxes,
    /// A route runs through no box, service or label (its own arrow's label excepted).
    ThroughFreeCells,
    /// No line runs through a frame's title or the blank either side of it.
    TitleClearOfLines,
    /// Lines of different nets meet only at right angles, one straight across the other.
    CrossAtRightAngles,
    /// No line crosses another in the cell right behind an arrowhead: the head is fed by at
    /// least one cell of its own line (`─▶`, never `│▶` with a line crossing the `│`).
    HeadClearOfCrossings,
    /// Lines cross a frame's border straight through, never along it or at a corner.
    CrossFramesStraight,
    /// One label for each labelled arrow, next to the arrow's own line.
    LabelsByTheirLines,
}

impl Rule {
    /// The rule in words.
    pub const fn describe(self) -> &'static str {
        match self {
            Rule::Counts => "one placed item per diagram item, routes in order",
            Rule::InsideCanvas => "everything inside the canvas",
            Rule::NoOverlap => "boxes, services and labels do not overlap",
            Rule::FrameHoldsItsGroup => "a frame holds exactly its group's boxes",
            Rule::TitleInBorder => "a frame's title lies in its border",
            Rule::TextInside => "text lies inside its box, block or label",
            Rule::Orthogonal => "routes are orthogonal polylines",
            Rule::EndsAtItsBoxes => "routes end next to their boxes",
            Rule::ThroughFreeCells => "routes run through free cells",
            Rule::TitleClearOfLines => "no line runs through a frame's title",
            Rule::CrossAtRightAngles => "different nets cross only at right angles",
            Rule::HeadClearOfCrossings => "no crossing right behind an arrowhead",
            Rule::CrossFramesStraight => "lines cross frame borders straight",
            Rule::LabelsByTheirLines => "every label next to its own line",
        }
    }
}

/// A rule a layout breaks, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule broken.
    pub rule: Rule,
    /// What breaks it, with ids and cell positions.
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({:?}): {}", self.rule.describe(), self.rule, self.detail)
    }
}

impl std::error::Error for Violation {}

/// Checks that `layout`, made from `diagram`, keeps every [`Rule`]; the first rule broken if
/// not.
///
/// ```
/// use archdraw::layout::{LayoutOptions, verify};
/// let spec = archdraw::parse("boxes: [{title: A}, {title: B}]\narrows: [a -> b]\n")?;
/// let diagram = archdraw::Diagram::from_spec(&spec)?;
/// let mut layout = archdraw::layout(&diagram, &LayoutOptions::default());
/// assert_eq!(verify(&layout, &diagram), Ok(()));
///
/// // Box B moved onto box A.
/// layout.boxes[1].rect = layout.boxes[0].rect;
/// let broken = verify(&layout, &diagram).unwrap_err();
/// assert_eq!(broken.rule, archdraw::layout::Rule::NoOverlap);
/// # Ok::<(), archdraw::Error>(())
/// ```
///
/// # Errors
///
/// The first [`Violation`] found, rules checked in the order [`Rule`] lists them.
pub fn verify(layout: &Layout, diagram: &Diagram) -> Result<(), Violation> {
    let check = Check { l: layout, d: diagram };
    check.counts()?;
    check.inside_canvas()?;
    let solid = check.no_overlap()?;
    check.frames()?;
    check.text_inside()?;
    check.routes(&solid)?;
    let arms = Arms::of(layout);
    check.titles(&arms)?;
    check.crossings(&arms)?;
    check.heads(&arms)?;
    check.frame_borders(&arms)?;
    check.labels()
}

fn broken<T>(rule: Rule, detail: String) -> Result<T, Violation> {
    Err(Violation { rule, detail })
}

/// Something drawn that lines must not run through, named for messages.
struct Solid {
    name: String,
    rect: Rect,
    /// For a label: its arrow, whose own line may run through it.
    label_of: Option<usize>,
}

/// Boxes, services and labels, and the rows they cover.
struct Indexed {
    rows: Rows,
    items: Vec<Solid>,
}

struct Check<'a> {
    l: &'a Layout,
    d: &'a Diagram,
}

impl Check<'_> {
    fn counts(&self) -> Result<(), Violation> {
        let (l, d) = (self.l, self.d);
        let placed = (l.boxes.len(), l.services.len(), l.groups.len());
        let wanted = (d.nodes.len(), d.services.len(), d.groups.len());
        if placed != wanted {
            return broken(
                Rule::Counts,
                format!("(boxes, services, groups) placed {placed:?}, the diagram has {wanted:?}"),
            );
        }
        let arrows = d
            .edges
            .iter()
            .enumerate()
            .map(|(e, x)| (Some(e), Endpoint::Box(x.from.0), Endpoint::Box(x.to.0)));
        let services = d.services.iter().enumerate().flat_map(|(k, s)| {
            s.serves.iter().map(move |b| (None, Endpoint::Service(k), Endpoint::Box(b.0)))
        });
        let wanted: Vec<_> = arrows.chain(services).collect();
        let got: Vec<_> = l.routes.iter().map(|r| (r.edge, r.from, r.to)).collect();
        if let Some(k) = (0..wanted.len().max(got.len())).find(|&k| wanted.get(k) != got.get(k)) {
            let (want, got) = (wanted.get(k), got.get(k));
            return broken(Rule::Counts, format!("route {k} is {got:?}, wanted {want:?}"));
        }
        Ok(())
    }

    /// Boxes, services and labels, named.
    fn solid(&self) -> Vec<Solid> {
        let l = self.l;
        let solid =
            |name: String, rect: Rect, label_of: Option<usize>| Solid { name, rect, label_of };
        let boxes = l.boxes.iter().map(|b| solid(format!("box {}", b.id), b.rect, None));
        let services = l.services.iter().map(|s| solid(format!("service {}", s.id), s.rect, None));
        let labels = l
            .labels
            .iter()
            .map(|x| solid(format!("label of arrow {}", x.edge), x.rect, Some(x.edge)));
        boxes.chain(services).chain(labels).collect()
    }

    fn inside_canvas(&self) -> Result<(), Violation> {
        let l = self.l;
        let frames = l.groups.iter().map(|g| Solid {
            name: format!("frame {}", g.id),
            rect: g.rect,
            label_of: None,
        });
        for Solid { name, rect: r, .. } in self.solid().into_iter().chain(frames) {
            let inside = r.right() <= l.width && r.bottom() <= l.height;
            if r.width == 0 || r.height == 0 || !inside {
                let canvas = format!("{}x{}", l.width, l.height);
                return broken(Rule::InsideCanvas, format!("{name} at {r:?}, canvas {canvas}"));
            }
        }
        for (k, r) in l.routes.iter().enumerate() {
            if let Some(p) = r.points.iter().find(|p| p.x >= l.width || p.y >= l.height) {
                return broken(Rule::InsideCanvas, format!("route {k}: point {p:?}"));
            }
        }
        Ok(())
    }

    /// Checks that boxes, services and labels are disjoint; returns them indexed by row.
    fn no_overlap(&self) -> Result<Indexed, Violation> {
        let items = self.solid();
        let rows = Rows::new(self.l.height, items.iter().map(|s| s.rect));
        if let Some((a, b)) = rows.overlap() {
            let (a, b) = (&items[a], &items[b]);
            let detail = format!("{} at {:?} overlaps {} at {:?}", a.name, a.rect, b.name, b.rect);
            return broken(Rule::NoOverlap, detail);
        }
        Ok(Indexed { rows, items })
    }

    fn frames(&self) -> Result<(), Violation> {
        let l = self.l;
        let fail = |detail: String| broken(Rule::FrameHoldsItsGroup, detail);
        let frames = Rows::new(l.height, l.groups.iter().map(|g| g.rect));
        if let Some((a, b)) = frames.overlap() {
            return fail(format!("frame {} overlaps frame {}", l.groups[a].id, l.groups[b].id));
        }
        let mut group_of: Vec<Vec<usize>> = vec![Vec::new(); l.boxes.len()];
        for (k, group) in self.d.groups.iter().enumerate() {
            for n in &group.nodes {
                group_of[n.0].push(k);
            }
        }
        for (b, placed) in l.boxes.iter().enumerate() {
            for &k in &group_of[b] {
                if !within(inner(l.groups[k].rect), placed.rect) {
                    return fail(format!(
                        "box {} is not inside its frame {}",
                        placed.id, l.groups[k].id
                    ));
                }
            }
            if let Some(k) = frames.overlapping(placed.rect).find(|k| !group_of[b].contains(k)) {
                return fail(format!("box {} overlaps frame {}", placed.id, l.groups[k].id));
            }
        }
        for s in &l.services {
            if let Some(k) = frames.overlapping(s.rect).next() {
                return fail(format!("service {} overlaps frame {}", s.id, l.groups[k].id));
            }
        }
        for x in &l.labels {
            if let Some(k) =
                frames.overlapping(x.rect).find(|&k| !within(inner(l.groups[k].rect), x.rect))
            {
                return fail(format!("label of arrow {} lies on frame {}", x.edge, l.groups[k].id));
            }
        }
        for g in &l.groups {
            let (f, t) = (g.rect, &g.title);
            let on_border = t.y == f.y || t.y + 1 == f.bottom();
            if !on_border || t.x < f.x + 1 || t.x + t.width + 1 > f.right() {
                let at = format!("({}, {})", t.x, t.y);
                return broken(
                    Rule::TitleInBorder,
                    format!("frame {} title at {at}, border {f:?}", g.id),
                );
            }
        }
        Ok(())
    }

    fn text_inside(&self) -> Result<(), Violation> {
        let l = self.l;
        let fail = |what: String, t: &PlacedText| {
            broken(Rule::TextInside, format!("{what} line {:?}", t.text))
        };
        for b in &l.boxes {
            if let Some(t) = b.lines.iter().find(|t| !text_inside(b.rect, t, 1)) {
                return fail(format!("box {}", b.id), t);
            }
        }
        for s in &l.services {
            if let Some(t) = s.lines.iter().find(|t| !text_inside(s.rect, t, 0)) {
                return fail(format!("service {}", s.id), t);
            }
        }
        for x in &l.labels {
            if let Some(t) = x.lines.iter().find(|t| !text_inside(x.rect, t, 0)) {
                return fail(format!("label of arrow {}", x.edge), t);
            }
        }
        Ok(())
    }

    fn routes(&self, solid: &Indexed) -> Result<(), Violation> {
        let l = self.l;
        let rect_of = |e: Endpoint| match e {
            Endpoint::Box(i) => l.boxes[i].rect,
            Endpoint::Service(k) => l.services[k].rect,
        };
        for (k, r) in l.routes.iter().enumerate() {
            let what = format!("route {k} ({:?} -> {:?})", r.from, r.to);
            if r.points.len() < 2 {
                return broken(Rule::Orthogonal, format!("{what} has {} points", r.points.len()));
            }
            if let Some(w) =
                r.points.windows(2).find(|w| w[0] == w[1] || (w[0].x != w[1].x && w[0].y != w[1].y))
            {
                return broken(Rule::Orthogonal, format!("{what}: {:?} to {:?}", w[0], w[1]));
            }
            let (tail, head) = (r.points[0], r.points[r.points.len() - 1]);
            let from_service = matches!(r.from, Endpoint::Service(_));
            if touches(rect_of(r.from), tail, from_service).is_none() {
                let detail =
                    format!("{what} starts at {tail:?}, not next to {:?}", rect_of(r.from));
                return broken(Rule::EndsAtItsBoxes, detail);
            }
            if let Endpoint::Service(s) = r.from
                && !at_service_text(l, s, tail)
            {
                let detail = format!("{what} starts at {tail:?}, beside its service's text");
                return broken(Rule::EndsAtItsBoxes, detail);
            }
            if touches(rect_of(r.to), head, false) != Some(r.head) {
                let detail = format!(
                    "{what} ends at {head:?} pointing {:?}, not into {:?}",
                    r.head,
                    rect_of(r.to)
                );
                return broken(Rule::EndsAtItsBoxes, detail);
            }
            for (p, _) in crate::geom::arms::of_route(&r.points) {
                let Some(i) = solid.rows.at(p) else { continue };
                let Solid { name, rect, label_of } = &solid.items[i];
                if !(r.edge.is_some() && *label_of == r.edge) {
                    return broken(
                        Rule::ThroughFreeCells,
                        format!("{what} runs through {name} at {p:?} ({rect:?})"),
                    );
                }
            }
        }
        Ok(())
    }

    fn titles(&self, arms: &Arms) -> Result<(), Violation> {
        for g in &self.l.groups {
            let t = &g.title;
            if t.text.is_empty() {
                continue;
            }
            if let Some(x) =
                (t.x.saturating_sub(1)..=t.x + t.width).find(|&x| arms.all(x, t.y) != 0)
            {
                let detail = format!("frame {} title {:?} at column {x} row {}", g.id, t.text, t.y);
                return broken(Rule::TitleClearOfLines, detail);
            }
        }
        Ok(())
    }

    fn crossings(&self, arms: &Arms) -> Result<(), Violation> {
        for (&(x, y), nets) in &arms.shared {
            let mut kinds: Vec<u8> = nets.values().copied().collect();
            kinds.sort_unstable();
            if kinds != [UP | DOWN, LEFT | RIGHT] {
                let nets: Vec<_> = nets.iter().map(|(n, a)| (n, arms_glyph(*a))).collect();
                return broken(
                    Rule::CrossAtRightAngles,
                    format!("nets {nets:?} meet at column {x} row {y}"),
                );
            }
        }
        Ok(())
    }

    /// A crossing in the cell behind a head makes the head seem to hang off the crossed line
    /// (fixture 09).
    fn heads(&self, arms: &Arms) -> Result<(), Violation> {
        for (k, r) in self.l.routes.iter().enumerate() {
            let Some(&head) = r.points.last() else { continue };
            let behind = match r.head {
                Side::Up => Some((head.x, head.y + 1)),
                Side::Down => head.y.checked_sub(1).map(|y| (head.x, y)),
                Side::Left => Some((head.x + 1, head.y)),
                Side::Right => head.x.checked_sub(1).map(|x| (x, head.y)),
            };
            if let Some((x, y)) = behind
                && arms.shared.contains_key(&(x, y))
            {
                let detail = format!(
                    "route {k} ({:?} -> {:?}): lines cross at column {x} row {y}, behind its \
                     head at {head:?}",
                    r.from, r.to
                );
                return broken(Rule::HeadClearOfCrossings, detail);
            }
        }
        Ok(())
    }

    fn frame_borders(&self, arms: &Arms) -> Result<(), Violation> {
        for g in &self.l.groups {
            let f = g.rect;
            let (right, bottom) = (f.right() - 1, f.bottom() - 1);
            let top_and_bottom = (f.x..=right).flat_map(|x| [(x, f.y), (x, bottom)]);
            let sides = (f.y..=bottom).flat_map(|y| [(f.x, y), (right, y)]);
            for (x, y) in top_and_bottom.chain(sides) {
                let a = arms.all(x, y);
                let corner = (x == f.x || x == right) && (y == f.y || y == bottom);
                let side = x == f.x || x == right;
                let ok = a == 0 || (!corner && a == if side { LEFT | RIGHT } else { UP | DOWN });
                if !ok {
                    let detail = format!("a line runs along frame {} at column {x} row {y}", g.id);
                    return broken(Rule::CrossFramesStraight, detail);
                }
            }
        }
        Ok(())
    }

    fn labels(&self) -> Result<(), Violation> {
        let l = self.l;
        let mut count = vec![0usize; self.d.edges.len()];
        for x in &l.labels {
            let Some(c) = count.get_mut(x.edge) else {
                return broken(
                    Rule::LabelsByTheirLines,
                    format!("a label of arrow {}, which does not exist", x.edge),
                );
            };
            *c += 1;
            let r = x.rect;
            let near =
                Rect::new(r.x.saturating_sub(1), r.y.saturating_sub(1), r.width + 2, r.height + 2);
            let on_route = crate::geom::arms::of_route(&l.routes[x.edge].points)
                .iter()
                .any(|(p, _)| near.contains(*p));
            if !on_route {
                let detail =
                    format!("the label of arrow {} at {r:?} is away from its line", x.edge);
                return broken(Rule::LabelsByTheirLines, detail);
            }
        }
        for (e, edge) in self.d.edges.iter().enumerate() {
            let want = usize::from(edge.label.as_ref().is_some_and(|t| !t.is_empty()));
            if count[e] != want {
                let detail = format!("arrow {e} has {} labels, wants {want}", count[e]);
                return broken(Rule::LabelsByTheirLines, detail);
            }
        }
        Ok(())
    }
}

/// A frame's inside: the cells within its border.
const fn inner(f: Rect) -> Rect {
    Rect::new(f.x + 1, f.y + 1, f.width.saturating_sub(2), f.height.saturating_sub(2))
}

/// Whether `r` lies within `area`.
const fn within(area: Rect, r: Rect) -> bool {
    r.x >= area.x && r.y >= area.y && r.right() <= area.right() && r.bottom() <= area.bottom()
}

/// Whether a text line lies inside `r` with `pad` cells to spare (a bullet two cells left of
/// its text).
fn text_inside(r: Rect, t: &PlacedText, pad: usize) -> bool {
    let left = if t.kind == LineKind::Bullet { t.x.checked_sub(2) } else { Some(t.x) };
    left.is_some_and(|x| x >= r.x + pad)
        && t.x + t.width + pad <= r.right()
        && t.y >= r.y + pad
        && t.y + pad < r.bottom()
}

/// Whether `p`, the first cell of a service's arrow, touches a line of the service's text
/// (a blank between two of its words counts, as a reader sees it).
///
/// The grapheme the arrow meets must not read as its line going on (a `|` under a vertical
/// line); where every one would, the arrow ends diagonally next to the text, on the block's
/// blank margin.
fn at_service_text(l: &Layout, k: usize, p: Point) -> bool {
    let s = &l.services[k];
    fn grapheme_at(t: &PlacedText, x: usize) -> Option<&str> {
        crate::text::graphemes(&t.text)
            .scan(t.x, |at, (g, w)| {
                let start = *at;
                *at += w;
                Some((start, w, g))
            })
            .find(|&(start, w, _)| x >= start && x < start + w)
            .map(|(_, _, g)| g)
    }
    let meets = s.lines.iter().any(|t| {
        let beside = t.y == p.y && (p.x + 1 == t.x || p.x == t.x + t.width);
        let over = (p.y + 1 == t.y || p.y == t.y + 1) && p.x >= t.x && p.x < t.x + t.width;
        if beside {
            let x = if p.x < t.x { t.x } else { t.x + t.width - 1 };
            grapheme_at(t, x).is_some_and(|g| !crate::text::reads_as_a_line(g))
        } else if over {
            // A blank between two words counts: the reader sees the words on both sides.
            grapheme_at(t, p.x).is_none_or(|g| !crate::text::reads_as_a_line(g))
        } else {
            false
        }
    });
    let diagonal = || {
        let margin = [(0, 1), (0, -1), (1, 0), (-1, 0)].iter().any(|&(dx, dy)| {
            let (x, y) = (p.x.checked_add_signed(dx), p.y.checked_add_signed(dy));
            x.zip(y).is_some_and(|(x, y)| s.rect.contains(Point::new(x, y)))
        });
        margin
            && s.lines.iter().any(|t| {
                (p.y + 1 == t.y || p.y == t.y + 1) && (p.x + 1 == t.x || p.x == t.x + t.width)
            })
    };
    meets || diagonal()
}

/// If `p` lies just outside `r`, beside one of its sides, the way from `p` into `r`. Cells
/// beside a corner count only with `corners`.
fn touches(r: Rect, p: Point, corners: bool) -> Option<Side> {
    let (inner_x, inner_y) = if corners {
        (p.x >= r.x && p.x < r.right(), p.y >= r.y && p.y < r.bottom())
    } else {
        (p.x > r.x && p.x + 1 < r.right(), p.y > r.y && p.y + 1 < r.bottom())
    };
    if inner_y && p.x + 1 == r.x {
        Some(Side::Right)
    } else if inner_y && p.x == r.right() {
        Some(Side::Left)
    } else if inner_x && p.y + 1 == r.y {
        Some(Side::Down)
    } else if inner_x && p.y == r.bottom() {
        Some(Side::Up)
    } else {
        None
    }
}

/// Rectangles by the rows they cover, each row's sorted by first column: finding what covers a
/// cell, or whether two overlap, costs time in proportion to their total height.
struct Rows {
    rows: Vec<Vec<(usize, usize, usize)>>,
}

impl Rows {
    /// `rects` (numbered in order) by row; rows past `height` are left out (see
    /// [`Rule::InsideCanvas`]).
    fn new(height: usize, rects: impl Iterator<Item = Rect>) -> Self {
        let mut rows: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); height];
        for (i, r) in rects.enumerate() {
            for row in rows.iter_mut().take(r.bottom()).skip(r.y) {
                row.push((r.x, r.right(), i));
            }
        }
        for row in &mut rows {
            row.sort_unstable();
        }
        Self { rows }
    }

    /// Two rectangles sharing a cell, if any: in each row, one starting before the furthest
    /// end so far.
    fn overlap(&self) -> Option<(usize, usize)> {
        for row in &self.rows {
            let mut furthest: Option<(usize, usize)> = None;
            for &(x0, x1, i) in row {
                if let Some((end, j)) = furthest
                    && x0 < end
                    && x0 < x1
                {
                    return Some((j.min(i), j.max(i)));
                }
                if x0 < x1 && furthest.is_none_or(|(end, _)| x1 > end) {
                    furthest = Some((x1, i));
                }
            }
        }
        None
    }

    /// The rectangle covering `p`, of rectangles known not to overlap.
    fn at(&self, p: Point) -> Option<usize> {
        let row = self.rows.get(p.y)?;
        let i = row.partition_point(|&(x0, _, _)| x0 <= p.x).checked_sub(1)?;
        let (_, x1, id) = row[i];
        (p.x < x1).then_some(id)
    }

    /// The rectangles sharing a cell with `r`, of rectangles known not to overlap; one may
    /// come up more than once.
    fn overlapping(&self, r: Rect) -> impl Iterator<Item = usize> + '_ {
        let rows = self.rows.get(r.y..r.bottom().min(self.rows.len())).unwrap_or_default();
        rows.iter().flat_map(move |row| {
            let first = row.partition_point(|&(_, x1, _)| x1 <= r.x);
            row[first..].iter().take_while(move |&&(x0, _, _)| x0 < r.right()).map(|&(_, _, id)| id)
        })
    }
}

/// The line arms the text renderer paints, per cell and per net.
struct Arms {
    width: usize,
    /// Every cell lines pass (by index, row by row), sorted, with the arms of all its lines.
    cells: Vec<(usize, u8)>,
    /// Cells where several nets meet: every net's arms there. A route passing straight
    /// across another of its own net crosses it as another net would (the renderer draws it
    /// so); its arms are kept under `!net`.
    shared: BTreeMap<(usize, usize), BTreeMap<usize, u8>>,
}

impl Arms {
    /// The arms of every route, painted in order as the text renderer paints them: sorted by
    /// cell (stably, so each cell sees its routes in order), then merged cell by cell.
    fn of(l: &Layout) -> Self {
        let mut painted: Vec<(usize, usize, u8)> = Vec::new();
        for r in &l.routes {
            let cells =
                crate::geom::arms::of_route(&r.points).into_iter().filter(|(p, _)| p.x < l.width);
            painted.extend(cells.map(|(p, a)| (p.y * l.width + p.x, r.net, a)));
        }
        painted.sort_by_key(|&(cell, _, _)| cell);
        let mut arms = Self { width: l.width, cells: Vec::new(), shared: BTreeMap::new() };
        for lines in painted.chunk_by(|a, b| a.0 == b.0) {
            let (cell, first_net, mut first) = lines[0];
            let mut nets: Option<BTreeMap<usize, u8>> = None;
            for &(_, net, a) in &lines[1..] {
                match &mut nets {
                    // One net's lines join, unless one passes straight across another.
                    None if first_net == net && !straight_across(first, a) => first |= a,
                    _ => {
                        let itself = first_net == net && straight_across(first, a);
                        let nets = nets.get_or_insert_with(|| [(first_net, first)].into());
                        *nets.entry(if itself { !net } else { net }).or_default() |= a;
                    }
                }
            }
            let all = nets.as_ref().map_or(first, |n| n.values().fold(0, |acc, a| acc | a));
            arms.cells.push((cell, all));
            if let Some(nets) = nets {
                arms.shared.insert((cell % l.width, cell / l.width), nets);
            }
        }
        arms
    }

    /// The arms of every net in a cell, together; 0 for a cell without lines.
    fn all(&self, x: usize, y: usize) -> u8 {
        if x >= self.width {
            return 0;
        }
        let cell = y * self.width + x;
        self.cells.binary_search_by_key(&cell, |&(c, _)| c).map_or(0, |i| self.cells[i].1)
    }
}

/// Whether arms `new` pass straight across arms `old` (one vertical, the other horizontal).
fn straight_across(old: u8, new: u8) -> bool {
    (old == UP | DOWN && new == LEFT | RIGHT) || (old == LEFT | RIGHT && new == UP | DOWN)
}

fn arms_glyph(a: u8) -> char {
    match a {
        x if x == LEFT | RIGHT => '─',
        x if x == UP | DOWN => '│',
        x if x == RIGHT | DOWN => '┌',
        x if x == LEFT | DOWN => '┐',
        x if x == UP | RIGHT => '└',
        x if x == UP | LEFT => '┘',
        x if x == UP | DOWN | RIGHT => '├',
        x if x == UP | DOWN | LEFT => '┤',
        x if x == LEFT | RIGHT | DOWN => '┬',
        x if x == LEFT | RIGHT | UP => '┴',
        15 => '┼',
        _ => '·',
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Route;

    fn laid_out(yaml: &str) -> (Layout, Diagram) {
        let spec = crate::parse(yaml).expect("a valid spec");
        let diagram = Diagram::from_spec(&spec).expect("a valid diagram");
        (super::super::layout(&diagram, &super::super::LayoutOptions::default()), diagram)
    }

    fn rule(l: &Layout, d: &Diagram) -> Option<Rule> {
        verify(l, d).err().map(|v| v.rule)
    }

    #[test]
    fn broken_routes_and_labels_are_caught() {
        let yaml = "boxes: [{title: A}, {title: B}, {title: C}]\narrows: [a -> b: x, a -> c]\n";
        let (l, d) = laid_out(yaml);
        assert_eq!(rule(&l, &d), None);

        let mut bent = l.clone();
        let last = bent.routes[0].points.len() - 1;
        bent.routes[0].points[last].y += 1;
        assert!(matches!(rule(&bent, &d), Some(Rule::Orthogonal | Rule::EndsAtItsBoxes)));

        // The two arrows out of A share a trunk: as two nets, they would run along each other.
        let mut apart = l.clone();
        apart.routes[1].net += 100;
        assert_eq!(rule(&apart, &d), Some(Rule::CrossAtRightAngles));

        let mut unlabelled = l.clone();
        unlabelled.labels.clear();
        assert_eq!(rule(&unlabelled, &d), Some(Rule::LabelsByTheirLines));

        let mut reordered = l;
        reordered.routes.swap(0, 1);
        assert_eq!(rule(&reordered, &d), Some(Rule::Counts));
    }

    #[test]
    fn frames_hold_their_group_and_keep_their_title_clear() {
        let yaml = "direction: down\nboxes: [{title: A}, {title: B}]\narrows: [a -> b]\n\
                    groups: [{title: G, boxes: [b]}]\n";
        let (l, d) = laid_out(yaml);
        assert_eq!(rule(&l, &d), None);

        // The arrow enters the frame through its top border; the title moved onto it.
        let mut covered = l.clone();
        let column = covered.routes[0].points.iter().map(|p| p.x).find(|&x| {
            let f = covered.groups[0].rect;
            x > f.x + 1 && x + 2 < f.right()
        });
        covered.groups[0].title.x = column.expect("the arrow crosses the top border");
        assert_eq!(rule(&covered, &d), Some(Rule::TitleClearOfLines));

        let mut outside = l;
        outside.groups[0].rect.x += outside.groups[0].rect.width;
        outside.width += 2 * outside.groups[0].rect.width;
        assert_eq!(rule(&outside, &d), Some(Rule::FrameHoldsItsGroup));
    }

    #[test]
    fn rows_find_overlaps_and_covers() {
        let rects = [Rect::new(0, 0, 4, 2), Rect::new(5, 1, 2, 2), Rect::new(1, 3, 2, 1)];
        let rows = Rows::new(5, rects.into_iter());
        assert_eq!(rows.overlap(), None);
        assert_eq!(rows.at(Point::new(3, 1)), Some(0));
        assert_eq!(rows.at(Point::new(4, 1)), None);
        assert_eq!(rows.at(Point::new(6, 2)), Some(1));
        assert_eq!(rows.overlapping(Rect::new(2, 1, 4, 3)).collect::<Vec<_>>(), [0, 1, 1, 2]);
        // A wide one spanning a narrow one met later in the row.
        let rects = [Rect::new(0, 0, 9, 1), Rect::new(2, 0, 1, 1), Rect::new(4, 0, 1, 1)];
        let rows = Rows::new(2, rects.into_iter());
        assert_eq!(rows.overlap(), Some((0, 1)));
    }

    #[test]
    fn arms_tell_crossings_from_runs_along() {
        let l = |points: Vec<Vec<Point>>| Layout {
            title: None,
            direction: crate::model::Direction::Right,
            width: 9,
            height: 9,
            boxes: Vec::new(),
            services: Vec::new(),
            groups: Vec::new(),
            routes: points
                .into_iter()
                .enumerate()
                .map(|(net, points)| Route {
                    net,
                    edge: None,
                    from: Endpoint::Box(0),
                    to: Endpoint::Box(0),
                    points,
                    head: Side::Right,
                })
                .collect(),
            labels: Vec::new(),
        };
        let across = Arms::of(&l(vec![
            vec![Point::new(0, 4), Point::new(8, 4)],
            vec![Point::new(4, 0), Point::new(4, 8)],
        ]));
        assert_eq!(across.all(4, 4), 15);
        assert_eq!(
            across.shared[&(4, 4)].values().copied().collect::<Vec<_>>(),
            [LEFT | RIGHT, UP | DOWN]
        );
        let along = Arms::of(&l(vec![
            vec![Point::new(0, 4), Point::new(8, 4)],
            vec![Point::new(2, 4), Point::new(6, 4)],
        ]));
        assert_eq!(
            along.shared[&(4, 4)].values().copied().collect::<Vec<_>>(),
            [LEFT | RIGHT, LEFT | RIGHT]
        );
    }
}
