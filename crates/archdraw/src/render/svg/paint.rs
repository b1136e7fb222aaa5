//! Painting: boxes, services, frames, labels and arrows as elements, with text fitted to its room.

use std::borrow::Cow;

use super::font::Metrics;
use super::geometry::{
    CH, CW, PxRect, arrow_geometry, box_outline, cells, col, row, service_outline, write_path_data,
};
use super::sketch::{self, Rng};
use super::theme::{Palette, Role};
use super::writer::{Writer, push_int};
use crate::geom::Rect;
use crate::layout::{Layout, LineKind, PlacedText, Route};

/// Font size in pixels.
pub const FONT_SIZE: u32 = 16;
/// The smallest size a line too wide for its room is set in before it is squeezed instead.
pub const MIN_FONT_SIZE: u32 = 10;

pub(super) const SIZE: i64 = FONT_SIZE as i64;
const MIN_SIZE: i64 = MIN_FONT_SIZE as i64;
/// Stroke width of outlines and arrows.
const STROKE: i64 = 2;
const BOX_RADIUS: i64 = 10;
const SERVICE_RADIUS: i64 = 8;
const GROUP_RADIUS: i64 = 12;
const HALO_RADIUS: i64 = 4;
/// Room kept free between text and the outline around it.
pub(super) const TEXT_PAD: i64 = 4;
/// How far a halo reaches past its text on each side.
const HALO_PAD: i64 = 6;

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
    outline_of: fn(Rect) -> PxRect,
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

/// Where a line of text is anchored, and the room it may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Placement {
    /// The anchor's x.
    x: i64,
    /// Centred on `x` (else starting at it).
    centred: bool,
    /// The leftmost and rightmost x the text may reach.
    room: (i64, i64),
}

impl Placement {
    /// The widest the text may be: centred text is limited by the nearer edge.
    fn available(&self) -> i64 {
        let (left, right) = self.room;
        if self.centred { 2 * (self.x - left).min(right - self.x) } else { right - self.x }.max(1)
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
        let outline = (style.outline_of)(rect);
        w.open("g");
        w.attr("class", style.class);
        w.attr("data-id", id);
        let stroke = Stroke { fill: None, dashes: style.dashes };
        self.outlined(w, outline, style.radius, (style.shape, style.outline), stroke, false);
        // Text keeps clear of the outline: a box's inside is its cells within the border.
        let (left, right) = if style.class == BOX_STYLE.class {
            (col(rect.x.saturating_add(1)), col(rect.right().saturating_sub(1)))
        } else {
            (outline.left, outline.right)
        };
        let room = (left + TEXT_PAD, (right - TEXT_PAD).max(left + TEXT_PAD));
        let middle = (outline.left + outline.right) / 2;
        for line in lines {
            let place = match line.kind {
                // Box titles and paragraphs are centred in the box itself, not on their cells:
                // the grid can only centre to the nearest cell.
                LineKind::Title | LineKind::Text if style.class == BOX_STYLE.class => {
                    Placement { x: middle, centred: true, room }
                }
                LineKind::Title | LineKind::Text => {
                    Placement { x: span_centre(line), centred: true, room }
                }
                LineKind::Bullet | LineKind::Continuation => {
                    Placement { x: col(line.x), centred: false, room }
                }
            };
            if line.kind == LineKind::Bullet {
                // The bullet one cell left of the text: bullet, gap, text.
                let spot = Placement {
                    x: col(line.x) - CW + CW / 4,
                    centred: true,
                    room: (0, i64::MAX / 4),
                };
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
        let outline = box_outline(group.rect);
        // A frame has no fill: only the outline (in the sketch style, only the strokes).
        let stroke = Stroke { fill: Some("none"), dashes: Some("8 5") };
        let roles = (Role::GroupFrame, Role::GroupFrame);
        self.outlined(w, outline, GROUP_RADIUS, roles, stroke, true);
        let title = &group.title;
        if !title.text.is_empty() {
            // The layout keeps a cell either side of the title clear of arrows; the title may
            // use them, but not the frame's corners.
            let room = (
                (col(title.x.saturating_sub(1)) + CW / 2).max(outline.left + GROUP_RADIUS),
                (col(title.x.saturating_add(title.width)) + CW / 2)
                    .min(outline.right - GROUP_RADIUS),
            );
            let place = Placement { x: span_centre(title), centred: true, room };
            let line = Line::of(title);
            let fit = self.fit_line(line, place);
            let half = fit.width / 2 + HALO_PAD;
            self.halo(
                w,
                PxRect {
                    left: place.x - half,
                    top: row(title.y),
                    right: place.x + half,
                    bottom: row(title.y.saturating_add(1)),
                },
            );
            self.write_text(w, line, place, Role::GroupText, fit);
        }
        w.close();
    }

    /// An arrow's label: a halo per line, a little wider than its text but never outside the
    /// label's area, then the text, centred in the area. A line running on through the label
    /// shows up again past the halo.
    pub(super) fn label(&self, w: &mut Writer, label: &crate::layout::PlacedLabel) {
        w.open("g");
        w.attr("class", "ad-label");
        let area = (col(label.rect.x), col(label.rect.right()));
        // Lines are centred on the label as a block; the grid starts them all at one column.
        let middle = (area.0 + area.1) / 2;
        let place = Placement { x: middle, centred: true, room: (area.0 + 2, area.1 - 2) };
        let mut fits = Vec::with_capacity(label.lines.len());
        for line in &label.lines {
            let fit = self.fit_line(Line::of(line), place);
            let half = fit.width / 2 + HALO_PAD;
            let (left, right) = ((place.x - half).max(area.0), (place.x + half).min(area.1));
            if left < right {
                let (top, bottom) = (row(line.y), row(line.y.saturating_add(1)));
                self.halo(w, PxRect { left, top, right, bottom });
            }
            fits.push(fit);
        }
        for (line, fit) in label.lines.iter().zip(fits) {
            self.write_text(w, Line::of(line), place, Role::LabelText, fit);
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
        if place.centred {
            w.attr("text-anchor", "middle");
        }
        if let Some(length) = fit.squeeze {
            w.attr_num("textLength", length);
        }
        w.attr_num("x", place.x);
        w.attr_num("y", baseline(row(line.y), fit.size, metrics));
        w.text(line.text);
    }

    /// An arrow: its line and its head; nothing for a route without points.
    pub(super) fn arrow(&self, w: &mut Writer, layout: &Layout, route: &Route) {
        let Some(geometry) = arrow_geometry(layout, route) else { return };
        w.open("g");
        w.attr("class", "ad-arrow");
        let in_tenths = |points: &[(i64, i64)]| -> Vec<(i64, i64)> {
            points.iter().map(|&(x, y)| (x * 10, y * 10)).collect()
        };
        if geometry.line.len() >= 2 {
            let (_, stroke) = Role::ArrowLine.paint(self.palette);
            w.open("path");
            w.attr("class", Role::ArrowLine.class());
            w.attr_with("d", |out| match &self.sketch {
                Some(rng) => sketch::write_polyline(out, rng, &in_tenths(&geometry.line)),
                None => write_path_data(out, &geometry.line),
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
            Some(rng) => sketch::write_polygon(out, rng, &in_tenths(&geometry.head), 8),
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

/// The middle of a line's cell span; `CW` is even, so this is exact.
pub(super) fn span_centre(line: &PlacedText) -> i64 {
    col(line.x) + cells(line.width).saturating_mul(CW / 2)
}

/// The baseline that centres a line's ascent and descent at `size` in the row starting at
/// `top`, so the text's box (what `getBBox` reports) stays within its row.
pub(super) fn baseline(top: i64, size: i64, metrics: &Metrics) -> i64 {
    let upem = metrics.units_per_em;
    let height = (metrics.ascender + metrics.descender) * size;
    top + ((CH * upem - height) / 2 + metrics.ascender * size) / upem
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
