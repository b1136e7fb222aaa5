//! Abstract coordinates: cells along the flow (*main*) and across it (*cross*).

use super::types::Endpoint;

/// A cell in abstract coordinates: `m` along the flow, `c` across it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pt {
    pub m: i64,
    pub c: i64,
}

impl Pt {
    pub const fn new(m: i64, c: i64) -> Self {
        Self { m, c }
    }
}

/// A direction in abstract coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dir {
    MainPlus,
    MainMinus,
    CrossMinus,
}

/// A rectangle in abstract coordinates.
#[derive(Debug, Clone, Copy)]
pub(super) struct AbsRect {
    pub main0: i64,
    pub cross0: i64,
    pub main_len: i64,
    pub cross_len: i64,
}

#[derive(Debug, Clone)]
pub(super) struct AbsRoute {
    pub net: usize,
    pub edge: Option<usize>,
    pub from: Endpoint,
    pub to: Endpoint,
    pub points: Vec<Pt>,
    pub head: Dir,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct AbsLabel {
    pub edge: usize,
    pub rect: AbsRect,
}

/// The cells a set of rectangles and routes covers, in abstract coordinates.
#[derive(Debug, Clone, Copy)]
pub(super) struct Extent {
    pub main0: i64,
    pub cross0: i64,
    /// One past the last main-axis cell.
    pub main_end: i64,
    /// One past the last cross-axis cell.
    pub cross_end: i64,
}

impl Extent {
    pub fn of<'a>(rects: impl Iterator<Item = &'a AbsRect>, routes: &[AbsRoute]) -> Extent {
        let mut e =
            Extent { main0: i64::MAX, cross0: i64::MAX, main_end: i64::MIN, cross_end: i64::MIN };
        let mut cover = |m0: i64, c0: i64, m1: i64, c1: i64| {
            e.main0 = e.main0.min(m0);
            e.cross0 = e.cross0.min(c0);
            e.main_end = e.main_end.max(m1);
            e.cross_end = e.cross_end.max(c1);
        };
        for r in rects {
            cover(r.main0, r.cross0, r.main0 + r.main_len, r.cross0 + r.cross_len);
        }
        for p in routes.iter().flat_map(|r| &r.points) {
            cover(p.m, p.c, p.m + 1, p.c + 1);
        }
        if e.main0 > e.main_end {
            return Extent { main0: 0, cross0: 0, main_end: 0, cross_end: 0 };
        }
        e
    }
}

/// Drops repeated points and the middle of three collinear ones.
pub(super) fn simplify(points: Vec<Pt>) -> Vec<Pt> {
    let mut out: Vec<Pt> = Vec::with_capacity(points.len());
    for p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let collinear = (a.m == b.m && b.m == p.m) || (a.c == b.c && b.c == p.c);
            // Keep a point where the line doubles back (a self-loop's turn).
            let between = if a.m == b.m {
                (a.c - b.c).signum() != (p.c - b.c).signum()
            } else {
                (a.m - b.m).signum() != (p.m - b.m).signum()
            };
            if collinear && between {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}
