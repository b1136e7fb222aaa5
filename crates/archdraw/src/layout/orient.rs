//! Abstract coordinates onto the cell grid for one direction, and text placed in its boxes.

use super::axis::{AbsRect, Dir, Pt};
use super::content;
use super::types::{LineKind, PlacedText};
use crate::geom::{Point, Rect, Side};
use crate::model::Direction;

/// Maps abstract coordinates onto the grid for one direction.
pub(super) struct Orientation {
    pub direction: Direction,
    pub main_extent: i64,
    pub min_main: i64,
    pub min_cross: i64,
}

impl Orientation {
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

/// A box's text, placed inside its border with one cell of padding.
pub(super) fn box_lines(rect: Rect, content: &content::Content) -> Vec<PlacedText> {
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
pub(super) fn block_lines(
    rect: Rect,
    content: &content::Content,
    vertical: bool,
) -> Vec<PlacedText> {
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
