//! Painting: boxes, services, frames, labels and arrows as elements, with text fitted to its room.

use std::borrow::Cow;

use super::font::Metrics;
use super::geometry::{
    ArrowGeometry, HOP_RADIUS, JUNCTION_RADIUS, PxRect, STROKE, box_outline, service_outline,
    write_path_data,
};
use super::joins::Joins;
use super::page::PageGrid;
use super::sketch::{self, Rng};
use super::theme::{Palette, Role};
use super::writer::{Writer, push_int};
use crate::geom::Rect;
use crate::layout::{LineKind, PlacedText, Route};

/// Font size in pixels.
pub const FONT_SIZE: u32 = crate::typeface::PAGE_FONT_SIZE as u32;
/// The smallest size a line too wide for its room is set in before it is squeezed instead.
pub const MIN_FONT_SIZE: u32 = 10;

pub(super) const SIZE: i64 = FONT_SIZE as i64;
const MIN_SIZE: i64 = MIN_FONT_SIZE as i64;
const BOX_RADIUS: i64 = 10;
const SERVICE_RADIUS: i64 = 8;
const GROUP_RADIUS: i64 = 12;
const HALO_RADIUS: i64 = 4;
/// Room kept free between text and the outline around it.
pub(super) const TEXT_PAD: i64 = 4;
/// How far a halo reaches past its text on each side.
const HALO_PAD: i64 = 6;
/// The distance between the lines of one arrow label: tighter than a row (24 px), so the
/// lines of one label keep together and apart from the next label's.
const LABEL_LEADING: i64 = 20;

/// The bullet drawn before an item.
pub(super) const BULLET: char = '\u{2022}';

/// What tells boxes and services apart on the page.
#[derive(Debug)]
pub(super) struct NodeStyle {
    /// Class of the `<g>` around the outline and the text.
    class: &'static str,
    radius: i64,
    shape: Role,
    /// The outline alone, for the sketch style's hand strokes over a plain fill.
    outline: Role,
    text: Role,
    dashes: Option<&'static str>,
    /// Where a block's outline lies, from its cell rectangle.
    outline_of: fn(&PageGrid, Rect) -> PxRect,
}

pub(super) const BOX_STYLE: NodeStyle = NodeStyle {
    class: "ad-box",
    radius: BOX_RADIUS,
    shape: Role::BoxShape,
    outline: Role::BoxOutline,
    text: Role::BoxText,
    dashes: None,
    outline_of: box_outline,
};

/// Services are the control plane: dashed and muted, so they read as a row apart from the flow.
pub(super) const SERVICE_STYLE: NodeStyle = NodeStyle {
    class: "ad-service",
    radius: SERVICE_RADIUS,
    shape: Role::ServiceShape,
    outline: Role::ServiceOutline,
    text: Role::ServiceText,
    dashes: Some("6 4"),
    outline_of: service_outline,
};

/// Which end of a line of text its anchor is: SVG's `text-anchor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Start,
    Middle,
    End,
}

/// Where a line of text is anchored, and the room it may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Placement {
    /// The anchor's x.
    x: i64,
    align: Align,
    /// The leftmost and rightmost x the text may reach.
    room: (i64, i64),
    /// How far the text sits below its row, in pixels (negative: above).
    dy: i64,
}

impl Placement {
    const fn new(x: i64, align: Align, room: (i64, i64)) -> Self {
        Self { x, align, room, dy: 0 }
    }

    /// The widest the text may be: centred text is limited by the nearer edge.
    fn available(&self) -> i64 {
        let (left, right) = self.room;
        match self.align {
            Align::Start => right - self.x,
            // Centred on the pixel below an odd room's middle, the text may take the whole
            // room: it overhangs the room's left edge by half a pixel, within the padding.
            Align::Middle if right - self.x == self.x - left + 1 => right - left,
            Align::Middle => 2 * (self.x - left).min(right - self.x),
            Align::End => self.x - left,
        }
        .max(1)
    }

    /// The left and right x of a line `width` wide placed here.
    fn span(&self, width: i64) -> (i64, i64) {
        match self.align {
            Align::Start => (self.x, self.x + width),
            Align::Middle => (self.x - width / 2, self.x + width - width / 2),
            Align::End => (self.x - width, self.x),
        }
    }
}

/// A line's size, fitted to its room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fit {
    /// Font size in pixels.
    size: i64,
    /// Drawn width in pixels, rounded up.
    width: i64,
    /// Set when even [`MIN_FONT_SIZE`] is too wide: the width to squeeze the text to.
    squeeze: Option<i64>,
}

/// Writes painted roles as elements, in one palette and one typeface.
#[derive(Debug)]
pub(super) struct Painter {
    pub(super) palette: &'static Palette,
    pub(super) regular: Metrics,
    pub(super) bold: Metrics,
    /// The sketch style's generator; `None` draws clean lines.
    pub(super) sketch: Option<Rng>,
    /// Where the layout's cells lie on the page.
    pub(super) grid: PageGrid,
}

/// Attributes of an outline: its dashes, and a fill that replaces the role's.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Stroke {
    fill: Option<&'static str>,
    dashes: Option<&'static str>,
}

impl Painter {
    /// A rounded rectangle with its role's class and colours; `stroke_width` and `dashes` when
    /// given. Attributes in name order, as every element's.
    fn rounded_rect(
        &self,
        w: &mut Writer,
        rect: PxRect,
        radius: i64,
        role: Role,
        stroke: Stroke,
        stroke_width: Option<i64>,
    ) {
        let (fill, line) = role.paint(self.palette);
        w.open("rect");
        w.attr("class", role.class());
        w.attr_opt("fill", stroke.fill.or(fill));
        w.attr_num("height", rect.bottom.saturating_sub(rect.top));
        w.attr_num("rx", radius);
        w.attr_opt("stroke", line);
        w.attr_opt("stroke-dasharray", stroke.dashes);
        if let Some(width) = stroke_width {
            w.attr_num("stroke-width", width);
        }
        w.attr_num("width", rect.right.saturating_sub(rect.left));
        w.attr_num("x", rect.left);
        w.attr_num("y", rect.top);
        w.close();
    }

    /// The top and bottom of the halo behind `text`: its row, or, if the row is less high
    /// than the text's line box (the ascent and descent a viewer's getBBox reports), the line
    /// box centred on the row as the text is.
    fn halo_rows(&self, text: &PlacedText) -> (i64, i64) {
        let (top, row) = (self.grid.row(text.y), self.grid.row_height(text.y));
        let metrics = if text.kind == LineKind::Title { &self.bold } else { &self.regular };
        let (upem, height) = (metrics.units_per_em, metrics.ascender + metrics.descender);
        let line_box = ((height * SIZE + upem - 1) / upem).max(row);
        let top = top + (row - line_box).div_euclid(2);
        (top, top + line_box)
    }

    fn halo(&self, w: &mut Writer, rect: PxRect) {
        self.rounded_rect(w, rect, HALO_RADIUS, Role::Halo, Stroke::default(), None);
    }

    /// An outlined shape: a rounded rectangle, or in the sketch style a plain fill under two
    /// passes of hand strokes. With `outline_only`, the sketch style's fill is left out.
    fn outlined(
        &self,
        w: &mut Writer,
        outline: PxRect,
        radius: i64,
        (shape, strokes): (Role, Role),
        stroke: Stroke,
        outline_only: bool,
    ) {
        let Some(rng) = &self.sketch else {
            self.rounded_rect(w, outline, radius, shape, stroke, Some(STROKE));
            return;
        };
        // The fill keeps its role (and so its dark-mode colour) but draws no line of its own.
        if !outline_only {
            self.rounded_rect(w, outline, radius, shape, stroke, Some(0));
        }
        let (_, line) = strokes.paint(self.palette);
        w.open("path");
        w.attr("class", strokes.class());
        w.attr_with("d", |out| {
            sketch::write_rectangle(
                out,
                rng,
                outline.left * 10,
                outline.top * 10,
                outline.right * 10,
                outline.bottom * 10,
                2,
            );
        });
        w.attr("fill", "none");
        w.attr_opt("stroke", line);
        w.attr_opt("stroke-dasharray", stroke.dashes);
        w.attr("stroke-linecap", "round");
        w.attr_num("stroke-width", STROKE);
        w.close();
    }

    /// A box or a service: its outline, then its lines, in a `<g>` carrying its id.
    pub(super) fn node(
        &self,
        w: &mut Writer,
        style: &NodeStyle,
        id: &str,
        rect: Rect,
        lines: &[PlacedText],
    ) {
        let grid = &self.grid;
        let outline = (style.outline_of)(grid, rect);
        w.open("g");
        w.attr("class", style.class);
        w.attr("data-id", id);
        let stroke = Stroke { fill: None, dashes: style.dashes };
        self.outlined(w, outline, style.radius, (style.shape, style.outline), stroke, false);
        // Text keeps clear of the outline: a box's inside is its cells within the border.
        let (left, right) = if style.class == BOX_STYLE.class {
            // Measured in a row inside the border: an arrow may enter the border row right
            // beside a corner.
            let inside = rect.y.saturating_add(1);
            (
                grid.col(rect.x.saturating_add(1), inside),
                grid.col(rect.right().saturating_sub(1), inside),
            )
        } else {
            (outline.left, outline.right)
        };
        let room = (left + TEXT_PAD, (right - TEXT_PAD).max(left + TEXT_PAD));
        let middle = (outline.left + outline.right) / 2;
        let dy = if style.class == BOX_STYLE.class { centring_shift(grid, rect, lines) } else { 0 };
        for line in lines {
            // Titles and paragraphs are centred in the block itself, not on their cells (the
            // grid can only centre to the nearest cell), boxes and services alike.
            let place = match line.kind {
                LineKind::Title | LineKind::Text => Placement::new(middle, Align::Middle, room),
                LineKind::Bullet | LineKind::Continuation => {
                    Placement::new(grid.col(line.x, line.y), Align::Start, room)
                }
            };
            let place = Placement { dy, ..place };
            if line.kind == LineKind::Bullet {
                // The bullet in the cell left of the text, a quarter in: bullet, gap, text.
                let before = line.x.saturating_sub(1);
                let x = grid.col(before, line.y) + grid.col_width(before, line.y) / 4;
                let spot = Placement { dy, ..Placement::new(x, Align::Middle, (0, i64::MAX / 4)) };
                let mut buffer = [0; 4];
                let bullet = Line { text: BULLET.encode_utf8(&mut buffer), ..Line::of(line) };
                self.text(w, bullet, spot, style.text);
            }
            self.text(w, Line::of(line), place, style.text);
        }
        w.close();
    }

    /// A group's dashed frame with its title on a halo that breaks the top border.
    pub(super) fn group(&self, w: &mut Writer, group: &crate::layout::PlacedGroup) {
        w.open("g");
        w.attr("class", "ad-group");
        w.attr("data-id", &group.id);
        let grid = &self.grid;
        let outline = box_outline(grid, group.rect);
        // A frame has no fill: only the outline (in the sketch style, only the strokes).
        let stroke = Stroke { fill: Some("none"), dashes: Some("8 5") };
        let roles = (Role::GroupFrame, Role::GroupFrame);
        self.outlined(w, outline, GROUP_RADIUS, roles, stroke, true);
        let title = &group.title;
        if !title.text.is_empty() {
            // The layout keeps a cell either side of the title clear of arrows; the title may
            // use them, but not the frame's corners.
            let room = (
                grid.mid_x(title.x.saturating_sub(1), title.y).max(outline.left + GROUP_RADIUS),
                grid.mid_x(title.x.saturating_add(title.width), title.y)
                    .min(outline.right - GROUP_RADIUS),
            );
            let place = Placement::new(span_centre(grid, title), Align::Middle, room);
            let line = Line::of(title);
            let fit = self.fit_line(line, place);
            let half = fit.width / 2 + HALO_PAD;
            let (top, bottom) = self.halo_rows(title);
            self.halo(w, PxRect { left: place.x - half, top, right: place.x + half, bottom });
            self.write_text(w, line, place, Role::GroupText, fit);
        }
        w.close();
    }

    /// An arrow's label, against its own line (`line`, the arrow's polyline in pixels): a halo
    /// per line, then the text. See [`label_spot`] for where it goes.
    pub(super) fn label(
        &self,
        w: &mut Writer,
        label: &crate::layout::PlacedLabel,
        line: Option<&[(i64, i64)]>,
    ) {
        w.open("g");
        w.attr("class", "ad-label");
        w.attr_num("data-edge", i64::try_from(label.edge).unwrap_or(i64::MAX));
        let grid = &self.grid;
        let first = label.lines.iter().map(|l| l.y).min().unwrap_or(label.rect.y);
        // Across, with columns sized row by row, the label's area is its lines' own cells and
        // a blank cell's room either side: the cells of its rectangle's padding may hold more
        // room than its text in one row and another thing's in the next.
        let ends = |l: &PlacedText| {
            let last = l.x.saturating_add(l.width.max(1)) - 1;
            (grid.col(l.x, l.y), grid.cell(last, l.y).1)
        };
        let (left, right) = if grid.row_by_row() && !label.lines.is_empty() {
            let pad = i64::try_from(crate::layout::page::GAP_COLUMN).unwrap_or(0);
            let left = label.lines.iter().map(|l| ends(l).0).min().unwrap_or(0);
            (left - pad, label.lines.iter().map(|l| ends(l).1).max().unwrap_or(0) + pad)
        } else {
            (grid.col(label.rect.x, first), grid.col(label.rect.right(), first))
        };
        let area = PxRect {
            left,
            top: grid.row(label.rect.y),
            right,
            bottom: grid.row(label.rect.bottom()),
        };
        let last = label.lines.iter().map(|l| l.y).max().unwrap_or(label.rect.y);
        let block = (grid.row(first), grid.row(last.saturating_add(1)));
        let widest = label
            .lines
            .iter()
            .map(|l| self.fit(&xml_safe(&l.text), l.kind == LineKind::Title, i64::MAX / 4).width)
            .max()
            .unwrap_or(0);
        let spot = label_spot(area, block, widest, line.unwrap_or_default());
        // The lines close up on the one nearest the arrow's line (set more tightly than the
        // grid's rows), so each label reads as one block, apart from its neighbours'.
        let anchor = label
            .lines
            .iter()
            .map(|l| l.y)
            .min_by_key(|&y| (grid.mid_y(y) + spot.place.dy - spot.toward).abs())
            .unwrap_or(first);
        let place_of = |text: &PlacedText| {
            let rows = i64::try_from(text.y).unwrap_or(0) - i64::try_from(anchor).unwrap_or(0);
            let row = grid.row_height(text.y);
            Placement { dy: spot.place.dy + rows * (LABEL_LEADING - row), ..spot.place }
        };
        let mut fits = Vec::with_capacity(label.lines.len());
        for text in &label.lines {
            let place = place_of(text);
            let fit = self.fit_line(Line::of(text), place);
            let (left, right) = place.span(fit.width);
            let (left, right) = (
                (left - HALO_PAD).max(spot.bounds.left),
                (right + HALO_PAD).min(spot.bounds.right),
            );
            if left < right {
                let (top, bottom) = self.halo_rows(text);
                let (top, bottom) = (top + place.dy, bottom + place.dy);
                self.halo(w, PxRect { left, top, right, bottom });
            }
            fits.push(fit);
        }
        for (text, fit) in label.lines.iter().zip(fits) {
            self.write_text(w, Line::of(text), place_of(text), Role::LabelText, fit);
        }
        w.close();
    }

    /// The size `text` is set in to fit `available` pixels.
    fn fit(&self, text: &str, bold: bool, available: i64) -> Fit {
        let metrics = if bold { &self.bold } else { &self.regular };
        let (units, upem) = (metrics.width(text), metrics.units_per_em);
        // Rounded up: a halo or a check may rely on it. Widths are never negative.
        let width_at = |size: i64| (units * size + upem - 1) / upem;
        if width_at(SIZE) <= available {
            return Fit { size: SIZE, width: width_at(SIZE), squeeze: None };
        }
        let size = (available * upem / units.max(1)).clamp(MIN_SIZE, SIZE);
        if width_at(size) <= available {
            Fit { size, width: width_at(size), squeeze: None }
        } else {
            Fit { size, width: available, squeeze: Some(available) }
        }
    }

    /// How `line` is fitted to the room `place` gives it.
    fn fit_line(&self, line: Line<'_>, place: Placement) -> Fit {
        self.fit(&xml_safe(line.text), line.kind == LineKind::Title, place.available())
    }

    /// A `<text>` for `line`, placed and fitted, with its content on the same line (a newline
    /// around it would add spaces under `white-space: pre`).
    fn text(&self, w: &mut Writer, line: Line<'_>, place: Placement, role: Role) {
        let fit = self.fit_line(line, place);
        self.write_text(w, line, place, role, fit);
    }

    /// A `<text>` for `line` at the size `fit` gives.
    fn write_text(&self, w: &mut Writer, line: Line<'_>, place: Placement, role: Role, fit: Fit) {
        let bold = line.kind == LineKind::Title;
        let metrics = if bold { &self.bold } else { &self.regular };
        let (fill, stroke) = role.paint(self.palette);
        w.open("text");
        w.attr("class", role.class());
        w.attr_opt("fill", fill);
        if fit.size != SIZE {
            w.attr_num("font-size", fit.size);
        }
        if bold {
            w.attr("font-weight", "bold");
        }
        if fit.squeeze.is_some() {
            w.attr("lengthAdjust", "spacingAndGlyphs");
        }
        w.attr_opt("stroke", stroke);
        match place.align {
            Align::Start => {}
            Align::Middle => w.attr("text-anchor", "middle"),
            Align::End => w.attr("text-anchor", "end"),
        }
        if let Some(length) = fit.squeeze {
            w.attr_num("textLength", length);
        }
        w.attr_num("x", place.x);
        let (top, row) = (self.grid.row(line.y), self.grid.row_height(line.y));
        w.attr_num("y", baseline(top + place.dy, row, fit.size, metrics));
        w.text(line.text);
    }

    /// An arrow: its line, hopping over the lines it crosses, and its head; nothing for a
    /// route without points. The group carries the arrow's net (and edge), which tell a
    /// crossing from a junction.
    pub(super) fn arrow(&self, w: &mut Writer, route: &Route, geometry: &ArrowGeometry) {
        w.open("g");
        w.attr("class", "ad-arrow");
        if let Some(edge) = route.edge {
            w.attr_num("data-edge", i64::try_from(edge).unwrap_or(i64::MAX));
        }
        w.attr_num("data-net", i64::try_from(route.net).unwrap_or(i64::MAX));
        let in_tenths = |points: &[(i64, i64)]| -> Vec<(i64, i64)> {
            points.iter().map(|&(x, y)| (x * 10, y * 10)).collect()
        };
        if geometry.line.len() >= 2 {
            let (_, stroke) = Role::ArrowLine.paint(self.palette);
            w.open("path");
            w.attr("class", Role::ArrowLine.class());
            w.attr_with("d", |out| match &self.sketch {
                Some(rng) => {
                    let hops: Vec<(usize, i64)> =
                        geometry.hops.iter().map(|&(i, x)| (i, x * 10)).collect();
                    let line = in_tenths(&geometry.line);
                    sketch::write_polyline(out, rng, &line, &hops, HOP_RADIUS * 10);
                }
                None => write_path_data(out, &geometry.line, &geometry.hops),
            });
            w.attr("fill", "none");
            w.attr_opt("stroke", stroke);
            w.attr("stroke-linecap", "round");
            w.attr("stroke-linejoin", "round");
            w.attr_num("stroke-width", STROKE);
            w.close();
        }
        // A thin stroke in the head's own colour rounds its corners a little.
        let (fill, stroke) = Role::ArrowHead.paint(self.palette);
        w.open("polygon");
        w.attr("class", Role::ArrowHead.class());
        w.attr_opt("fill", fill);
        w.attr_with("points", |out| match &self.sketch {
            Some(rng) => sketch::write_polygon(out, rng, &in_tenths(&geometry.head), 5),
            None => {
                for (i, &(x, y)) in geometry.head.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    push_int(out, x);
                    out.push(',');
                    push_int(out, y);
                }
            }
        });
        w.attr_opt("stroke", stroke);
        w.attr("stroke-linejoin", "round");
        w.attr("stroke-width", "1");
        w.close();
        w.close();
    }

    /// The dots where lines of one net join (a fan-out splitting, a fan-in merging), over the
    /// lines, so a split never reads as a crossing.
    pub(super) fn junctions(&self, w: &mut Writer, joins: &Joins) {
        if joins.junctions.is_empty() {
            return;
        }
        let (fill, _) = Role::Junction.paint(self.palette);
        w.open("g");
        w.attr("class", "ad-junctions");
        w.attr_opt("fill", fill);
        for &(y, x) in &joins.junctions {
            w.open("circle");
            w.attr("class", Role::Junction.class());
            w.attr_num("cx", self.grid.mid_x(x, y));
            w.attr_num("cy", self.grid.mid_y(y));
            w.attr_num("r", JUNCTION_RADIUS);
            w.close();
        }
        w.close();
    }
}

/// How far a box's lines move down so they sit in the middle of its inside: a box made taller
/// to line up with its row has its spare rows under its text; half of them go above. A box
/// with a list keeps its title at the top, in line with its neighbours' titles (a list box
/// with a spare row under it reads as padded, not as misplaced).
fn centring_shift(grid: &PageGrid, rect: Rect, lines: &[PlacedText]) -> i64 {
    if lines.iter().any(|l| matches!(l.kind, LineKind::Bullet | LineKind::Continuation)) {
        return 0;
    }
    let (Some(first), Some(last)) =
        (lines.iter().map(|l| l.y).min(), lines.iter().map(|l| l.y).max())
    else {
        return 0;
    };
    // The rows inside the border.
    let (top, bottom) = (rect.y.saturating_add(1), rect.bottom().saturating_sub(2));
    if first < top || last > bottom {
        return 0;
    }
    let above = grid.row(first) - grid.row(top);
    let below = grid.row(bottom.saturating_add(1)) - grid.row(last.saturating_add(1));
    if below > above { (below - above) / 2 } else { 0 }
}

/// Where an arrow's label goes: its placement (with the shift off its rows) and the rectangle
/// its halos keep to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LabelSpot {
    pub(super) place: Placement,
    pub(super) bounds: PxRect,
    /// The y the label's lines close up towards: the arrow's line, or the block's edge
    /// nearest it.
    pub(super) toward: i64,
}

/// How far a label's text keeps from the centre of the line it sits beside: the line's half
/// stroke, a pixel of air, and the halo's padding.
const LABEL_SIDE_GAP: i64 = STROKE / 2 + 1 + HALO_PAD;
/// How far a label's row (its halo) keeps from the centre of the line it sits above or below:
/// the half stroke and a pixel of air, so the label still reads as the line's.
const LABEL_ROW_GAP: i64 = STROKE / 2 + 1;

/// Where a label goes, against its own line.
///
/// The layout gives the label an area (`area`, padding included; its text rows span `block`)
/// next to its route, in whole cells: the text would float up to a cell away from the line, and
/// where several lines run side by side into one box their labels share a row, each as far
/// from its own line as from the next. So the text moves to the segment of its own `line` the
/// area touches:
///
/// - beside a vertical segment, the lines start (or end) just clear of it;
/// - above or below a horizontal one, the block moves down (or up) to it, centred on the area
///   but kept over the segment;
/// - on a segment running through the area, the text stays centred on it, its halo breaking
///   the line.
///
/// The text moves only towards the line, into the gap between the area and the line, which
/// the layout keeps free for the line alone; its halos keep within the area and that gap.
pub(super) fn label_spot(
    area: PxRect,
    block: (i64, i64),
    widest: i64,
    line: &[(i64, i64)],
) -> LabelSpot {
    let middle = (area.left + area.right) / 2;
    let fallback = LabelSpot {
        place: Placement::new(middle, Align::Middle, (area.left + 2, area.right - 2)),
        bounds: area,
        toward: block.0,
    };
    // The segment nearest the area; among equals the one alongside it the longest.
    let nearest = line
        .windows(2)
        .filter(|pair| pair[0] != pair[1])
        .map(|pair| {
            let (a, b) = (pair[0], pair[1]);
            let (x0, x1, y0, y1) = (a.0.min(b.0), a.0.max(b.0), a.1.min(b.1), a.1.max(b.1));
            let gap_x = (area.left - x1).max(x0 - area.right).max(0);
            let gap_y = (area.top - y1).max(y0 - area.bottom).max(0);
            let alongside = if y0 == y1 {
                x1.min(area.right) - x0.max(area.left)
            } else {
                y1.min(area.bottom) - y0.max(area.top)
            };
            ((gap_x + gap_y, -alongside), (x0, x1, y0, y1))
        })
        .min_by_key(|&(key, _)| key);
    let Some((_, (x0, x1, y0, y1))) = nearest else { return fallback };
    if y0 == y1 {
        let y = y0;
        // Centred on the area, kept over the segment where the segment is long enough.
        let half = widest / 2 + HALO_PAD;
        let (lo, hi) = (area.left.max(x0) + half, area.right.min(x1) - half);
        let x = if lo <= hi { middle.clamp(lo, hi) } else { middle };
        let room = (area.left + 2, area.right - 2);
        let (dy, bounds) = if area.bottom <= y {
            let dy = (y - LABEL_ROW_GAP - block.1).max(0);
            (dy, PxRect { bottom: y - LABEL_ROW_GAP, ..area })
        } else if area.top >= y {
            let dy = (y + LABEL_ROW_GAP - block.0).min(0);
            (dy, PxRect { top: y + LABEL_ROW_GAP, ..area })
        } else {
            (0, area)
        };
        LabelSpot {
            place: Placement { dy, ..Placement::new(x, Align::Middle, room) },
            bounds,
            toward: y,
        }
    } else {
        let x = x0;
        if area.left >= x {
            let start = x + LABEL_SIDE_GAP;
            let place = Placement::new(start, Align::Start, (start, area.right - 2));
            LabelSpot {
                place,
                bounds: PxRect { left: x + STROKE / 2 + 1, ..area },
                toward: block.0,
            }
        } else if area.right <= x {
            let end = x - LABEL_SIDE_GAP;
            let place = Placement::new(end, Align::End, (area.left + 2, end));
            LabelSpot {
                place,
                bounds: PxRect { right: x - STROKE / 2 - 1, ..area },
                toward: block.0,
            }
        } else {
            fallback
        }
    }
}

/// What a `<text>` needs of a placed line; the bullet before an item borrows the item's.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line<'a> {
    text: &'a str,
    kind: LineKind,
    /// The row.
    y: usize,
}

impl<'a> Line<'a> {
    fn of(line: &'a PlacedText) -> Self {
        Self { text: &line.text, kind: line.kind, y: line.y }
    }
}

/// The middle of a line's cell span.
pub(super) fn span_centre(grid: &PageGrid, line: &PlacedText) -> i64 {
    let last = line.x.saturating_add(line.width.max(1)) - 1;
    (grid.col(line.x, line.y) + grid.cell(last, line.y).1) / 2
}

/// The baseline that centres a line's ascent and descent at `size` in the row starting at
/// `top`, `row` pixels high.
pub(super) fn baseline(top: i64, row: i64, size: i64, metrics: &Metrics) -> i64 {
    let upem = metrics.units_per_em;
    let height = (metrics.ascender + metrics.descender) * size;
    top + ((row * upem - height) / 2 + metrics.ascender * size) / upem
}

/// `s` with every character XML 1.0 cannot hold (most C0 controls, U+FFFE, U+FFFF) replaced by
/// U+FFFD. The model never produces them, but a hand-built layout may, and the output must
/// still parse.
pub(super) fn xml_safe(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        !(matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}')
            || c == '\u{fffe}'
            || c == '\u{ffff}')
    };
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().map(|c| if allowed(c) { c } else { '\u{fffd}' }).collect())
    }
}
