//! Phase 7: the drawing from abstract coordinates onto the cell grid for one direction (ELK's
//! direction postprocessor), text placed in its boxes, blocks and labels, and the canvas sized.

use super::axis::{AbsRect, AbsRoute, Dir, Drawing, Extent, Pt};
use super::content::{self, Contents};
use super::types::{
    Layout, LineKind, PlacedBox, PlacedGroup, PlacedLabel, PlacedService, PlacedText, Route,
};
use crate::geom::{Point, Rect, Side};
use crate::model::{Diagram, Direction};

/// Maps abstract coordinates onto the grid for one direction.
#[derive(Debug, Clone)]
pub(super) struct Orientation {
    pub direction: Direction,
    /// Main-axis cells from the grid's origin to the end of the drawing or of its channels.
    main_extent: i64,
    /// The abstract cell at the grid's origin.
    min_main: i64,
    min_cross: i64,
    /// Everything drawn, in abstract coordinates.
    all: Extent,
}

impl Orientation {
    /// The orientation of a drawing covering `all`, whose channels end at main cell
    /// `channels_end`: the grid starts at main cell 0 (or where the drawing does, if earlier)
    /// and at the drawing's first cross cell.
    pub fn new(direction: Direction, all: Extent, channels_end: i64) -> Self {
        let (min_main, min_cross) = (all.main0.min(0), all.cross0);
        let max_main = all.main_end.max(channels_end);
        Self { direction, main_extent: max_main - min_main, min_main, min_cross, all }
    }

    /// The canvas, (width, height) in cells: the grid's origin to the far corner of everything
    /// drawn.
    pub fn canvas(&self) -> (usize, usize) {
        let all = self.all;
        let (main_len, cross_len) = (all.main_end - all.main0, all.cross_end - all.cross0);
        let r = self.rect(AbsRect { main0: all.main0, cross0: all.cross0, main_len, cross_len });
        (r.right(), r.bottom())
    }

    /// Routes onto the grid.
    pub fn routes(&self, routes: Vec<AbsRoute>) -> Vec<Route> {
        routes
            .into_iter()
            .map(|r| Route {
                net: r.net,
                edge: r.edge,
                from: r.from,
                to: r.to,
                points: r.points.iter().map(|&p| self.point(p)).collect(),
                head: self.side(r.head),
            })
            .collect()
    }

    fn norm(&self, m: i64, c: i64) -> (usize, usize) {
        ((m - self.min_main) as usize, (c - self.min_cross) as usize)
    }

    pub fn point(&self, p: Pt) -> Point {
        let (m, c) = self.norm(p.m, p.c);
        let flip = |m: usize| self.main_extent as usize - 1 - m;
        match self.direction {
            Direction::Right => Point::new(m, c),
            Direction::Left => Point::new(flip(m), c),
            Direction::Down => Point::new(c, m),
            Direction::Up => Point::new(c, flip(m)),
        }
    }

    pub fn rect(&self, r: AbsRect) -> Rect {
        let (m, c) = self.norm(r.main0, r.cross0);
        let (ml, cl) = (r.main_len as usize, r.cross_len as usize);
        let flip = self.main_extent as usize - m - ml;
        match self.direction {
            Direction::Right => Rect::new(m, c, ml, cl),
            Direction::Left => Rect::new(flip, c, ml, cl),
            Direction::Down => Rect::new(c, m, cl, ml),
            Direction::Up => Rect::new(c, flip, cl, ml),
        }
    }

    pub fn side(&self, d: Dir) -> Side {
        let main = match self.direction {
            Direction::Right => Side::Right,
            Direction::Left => Side::Left,
            Direction::Down => Side::Down,
            Direction::Up => Side::Up,
        };
        let cross_plus = if self.direction.is_vertical() { Side::Right } else { Side::Down };
        match d {
            Dir::MainPlus => main,
            Dir::MainMinus => main.opposite(),
            Dir::CrossMinus => cross_plus.opposite(),
        }
    }
}

/// The finished layout: `drawing` onto the grid, with the texts `contents` holds placed in it,
/// the `routes` and framed `groups` already on the grid.
pub(super) fn finish(
    diagram: &Diagram,
    contents: &Contents,
    drawing: &Drawing,
    grid: &Orientation,
    routes: Vec<Route>,
    groups: Vec<PlacedGroup>,
) -> Layout {
    let boxes = diagram
        .nodes
        .iter()
        .zip(&drawing.boxes)
        .zip(&contents.boxes)
        .map(|((node, &r), content)| {
            let rect = grid.rect(r);
            PlacedBox { id: node.id.clone(), rect, lines: box_lines(rect, content) }
        })
        .collect();
    let vertical = grid.direction.is_vertical();
    let services = diagram
        .services
        .iter()
        .zip(&drawing.services)
        .zip(&contents.services)
        .map(|((service, &r), content)| {
            let rect = grid.rect(r);
            PlacedService {
                id: service.id.clone(),
                rect,
                lines: block_lines(rect, content, vertical),
            }
        })
        .collect();
    let labels = drawing
        .labels
        .iter()
        .filter_map(|l| {
            let rect = grid.rect(l.rect);
            let lines = label_lines(rect, contents.labels[l.edge].as_ref()?);
            Some(PlacedLabel { edge: l.edge, rect, lines })
        })
        .collect();
    let (width, height) = grid.canvas();
    Layout {
        title: diagram.title.clone(),
        direction: grid.direction,
        width,
        height,
        boxes,
        services,
        groups,
        routes,
        labels,
    }
}

/// A label's lines, one cell in from its rectangle's left edge (its padding).
fn label_lines(rect: Rect, text: &crate::text::TextBlock) -> Vec<PlacedText> {
    text.lines
        .iter()
        .enumerate()
        .map(|(i, line)| PlacedText {
            kind: LineKind::Text,
            text: line.text.clone(),
            width: line.width,
            x: rect.x + 1,
            y: rect.y + i,
        })
        .collect()
}

/// A box's text, placed inside its border with one cell of padding.
fn box_lines(rect: Rect, content: &content::Content) -> Vec<PlacedText> {
    let inner = rect.width.saturating_sub(4);
    let left = rect.x + 2;
    content
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.as_ref()?;
            let x = match line.kind {
                LineKind::Title | LineKind::Text => left + (inner - line.line.width) / 2,
                LineKind::Bullet | LineKind::Continuation => left + line.indent,
            };
            Some(PlacedText {
                kind: line.kind,
                text: line.line.text.clone(),
                width: line.line.width,
                x,
                y: rect.y + 1 + i,
            })
        })
        .collect()
}

/// A service's text: lines centred under a rightward flow, flush left (against the arrow)
/// beside a downward one.
fn block_lines(rect: Rect, content: &content::Content, vertical: bool) -> Vec<PlacedText> {
    content
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.as_ref()?;
            Some(PlacedText {
                kind: line.kind,
                text: line.line.text.clone(),
                width: line.line.width,
                x: if vertical { rect.x } else { rect.x + (rect.width - line.line.width) / 2 },
                y: rect.y + i,
            })
        })
        .collect()
}
