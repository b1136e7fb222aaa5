//! The sketch style: outlines and arrows redrawn as slightly wobbly hand strokes.
//!
//! Every wobble comes from a small integer generator seeded by a hash of the layout, and every
//! coordinate is computed in tenths of a pixel with integer arithmetic, so the same layout gives
//! the same bytes on every run and platform. Strokes follow what people do with a marker: each
//! side of a box is its own slightly bowed stroke that starts and ends a little off the corner,
//! and boxes get two such passes.

use std::cell::Cell;

use super::writer::push_int;

/// A point in tenths of a pixel.
pub(super) type Tenths = (i64, i64);

/// How far a stroke's ends stray from the true corner, in tenths of a pixel.
const END_JITTER: i64 = 30;
/// How far past a corner a side's stroke may run on, in tenths.
const OVERSHOOT: i64 = 40;
/// The largest bow of a long stroke's middle, in tenths.
const MAX_BOW: i64 = 40;
/// How far an arrow's corner strays, in tenths: with [`MAX_LEG_BOW`], an arrow's line stays
/// within a pixel of its true course, where a label 2 px beside it still reads as its own.
const CORNER_JITTER: i64 = 5;
/// The largest bow of an arrow's leg, in tenths: a quadratic's middle strays half of it.
const MAX_LEG_BOW: i64 = 10;

/// SplitMix64: a tiny, well-mixed generator whose output is fixed by its seed.
#[derive(Debug)]
pub(super) struct Rng(Cell<u64>);

impl Rng {
    pub(super) const fn new(seed: u64) -> Self {
        Rng(Cell::new(seed))
    }

    fn next(&self) -> u64 {
        let state = self.0.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        self.0.set(state);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A whole number in `-spread..=spread`.
    pub(super) fn spread(&self, spread: i64) -> i64 {
        if spread <= 0 {
            return 0;
        }
        let span = (2 * spread + 1) as u64;
        (self.next() % span) as i64 - spread
    }

    /// A whole number in `0..=max`.
    fn upto(&self, max: i64) -> i64 {
        if max <= 0 { 0 } else { (self.next() % (max as u64 + 1)) as i64 }
    }
}

/// A number of tenths as SVG text: `123` → `12.3`, `120` → `12`.
#[cfg(test)]
pub(super) fn tenths(value: i64) -> String {
    let mut out = String::new();
    push_tenths(&mut out, value);
    out
}

/// Appends a number of tenths as SVG text: `123` → `12.3`, `120` → `12`.
fn push_tenths(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    let (whole, fraction) = (value.unsigned_abs() / 10, value.unsigned_abs() % 10);
    // `whole` is at most `u64::MAX / 10`, so it fits an `i64`.
    push_int(out, whole as i64);
    if fraction != 0 {
        out.push('.');
        out.push(char::from(b'0' + fraction as u8));
    }
}

/// Appends a point: its x and y in tenths, separated by a space.
fn push_point(out: &mut String, p: Tenths) {
    push_tenths(out, p.0);
    out.push(' ');
    push_tenths(out, p.1);
}

/// One hand stroke from `a` to `b` as path data: both ends nudged, the middle bowed sideways by
/// up to 2 % of the length (at most [`MAX_BOW`]). `overshoot` lets the ends run on past `a`
/// and `b` along the stroke, as quick strokes at a corner do.
fn stroke(out: &mut String, rng: &Rng, a: Tenths, b: Tenths, overshoot: bool) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = dx.abs().max(dy.abs()).max(1);
    let run = |p: Tenths, sign: i64| {
        if !overshoot {
            return p;
        }
        let extra = rng.upto(OVERSHOOT);
        (p.0 + sign * dx * extra / length, p.1 + sign * dy * extra / length)
    };
    let start = run(a, -1);
    let end = run(b, 1);
    let start = (start.0 + rng.spread(END_JITTER / 2), start.1 + rng.spread(END_JITTER / 2));
    let end = (end.0 + rng.spread(END_JITTER / 2), end.1 + rng.spread(END_JITTER / 2));
    let bow = rng.spread((length / 50).clamp(5, MAX_BOW));
    // The control point: the middle, pushed across the stroke (the normal of a mostly
    // horizontal or vertical stroke is the other axis).
    let middle = ((start.0 + end.0) / 2, (start.1 + end.1) / 2);
    let control =
        if dx.abs() >= dy.abs() { (middle.0, middle.1 + bow) } else { (middle.0 + bow, middle.1) };
    out.push('M');
    push_point(out, start);
    out.push_str(" Q");
    push_point(out, control);
    out.push(' ');
    push_point(out, end);
}

/// A rectangle's outline drawn `passes` times, each side a separate stroke.
#[cfg(test)]
pub(super) fn rectangle(
    rng: &Rng,
    left: i64,
    top: i64,
    right: i64,
    bottom: i64,
    passes: usize,
) -> String {
    let mut d = String::new();
    write_rectangle(&mut d, rng, left, top, right, bottom, passes);
    d
}

/// Appends a rectangle's outline drawn `passes` times, each side a separate stroke, as path
/// data.
pub(super) fn write_rectangle(
    out: &mut String,
    rng: &Rng,
    left: i64,
    top: i64,
    right: i64,
    bottom: i64,
    passes: usize,
) {
    let corners = [(left, top), (right, top), (right, bottom), (left, bottom)];
    for pass in 0..passes {
        for i in 0..4 {
            if pass > 0 || i > 0 {
                out.push(' ');
            }
            stroke(out, rng, corners[i], corners[(i + 1) % 4], true);
        }
    }
}

/// An orthogonal polyline (an arrow's line) as joined hand strokes: each leg bowed, each
/// corner nudged, the first and last points kept where they are so the line still meets its
/// tail and its head. `hops` (in tenths, see [`ArrowGeometry::hops`]) are drawn as arcs of
/// `hop_radius` tenths over the lines crossed, on the leg's chord.
///
/// [`ArrowGeometry::hops`]: super::geometry::ArrowGeometry::hops
#[cfg(test)]
pub(super) fn polyline(rng: &Rng, points: &[Tenths], hops: &[(usize, i64)]) -> String {
    let mut d = String::new();
    write_polyline(&mut d, rng, points, hops, 50);
    d
}

/// Appends [`polyline`]'s path data.
pub(super) fn write_polyline(
    out: &mut String,
    rng: &Rng,
    points: &[Tenths],
    hops: &[(usize, i64)],
    hop_radius: i64,
) {
    let Some(&first) = points.first() else { return };
    let last_index = points.len() - 1;
    let nudged: Vec<Tenths> = points
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            if i == 0 || i == last_index {
                p
            } else {
                (p.0 + rng.spread(CORNER_JITTER), p.1 + rng.spread(CORNER_JITTER))
            }
        })
        .collect();
    out.push('M');
    push_point(out, first);
    for (i, pair) in nudged.windows(2).enumerate() {
        let (a, b) = (pair[0], pair[1]);
        let on_leg = hops.iter().filter(|&&(leg, _)| leg == i).map(|&(_, x)| x);
        let groups = super::geometry::hop_groups(on_leg, 10);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        // The chord's height at `x`: a nudged leg is not quite level.
        let at = |x: i64| if dx == 0 { (x, a.1) } else { (x, a.1 + dy * (x - a.0) / dx) };
        let s = dx.signum();
        let mut from = a;
        for (first_x, last_x) in groups {
            let room = ((first_x - a.0) * s).min((b.0 - last_x) * s);
            let r = hop_radius.min(room);
            if s == 0 || r < 20 {
                continue;
            }
            let start = at(first_x - r * s);
            leg(out, rng, from, start);
            let end = at(last_x + r * s);
            if first_x == last_x {
                push_arc(out, r, s > 0, end);
            } else {
                push_arc(out, r, s > 0, (first_x, start.1 - r));
                out.push_str(" L");
                push_point(out, (last_x, end.1 - r));
                push_arc(out, r, s > 0, end);
            }
            from = end;
        }
        leg(out, rng, from, b);
    }
}

/// One bowed leg of a polyline from `a` (where the path is) to `b`.
fn leg(out: &mut String, rng: &Rng, a: Tenths, b: Tenths) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = dx.abs().max(dy.abs());
    let bow = rng.spread((length / 60).clamp(4, MAX_LEG_BOW));
    let middle = ((a.0 + b.0) / 2, (a.1 + b.1) / 2);
    let control =
        if dx.abs() >= dy.abs() { (middle.0, middle.1 + bow) } else { (middle.0 + bow, middle.1) };
    out.push_str(" Q");
    push_point(out, control);
    out.push(' ');
    push_point(out, b);
}

/// An arc of radius `r` tenths to `to`, bulging up: clockwise on the page when the line runs
/// right.
fn push_arc(out: &mut String, r: i64, rightwards: bool, to: Tenths) {
    out.push_str(" A");
    push_tenths(out, r);
    out.push(' ');
    push_tenths(out, r);
    out.push_str(if rightwards { " 0 0 1 " } else { " 0 0 0 " });
    push_point(out, to);
}

/// Appends a polygon's corners, each nudged by up to `spread` tenths, as a `points` list.
pub(super) fn write_polygon(out: &mut String, rng: &Rng, corners: &[Tenths], spread: i64) {
    for (i, &(x, y)) in corners.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_tenths(out, x + rng.spread(spread));
        out.push(',');
        push_tenths(out, y + rng.spread(spread));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenths_are_written_with_at_most_one_decimal() {
        assert_eq!(tenths(0), "0");
        assert_eq!(tenths(123), "12.3");
        assert_eq!(tenths(120), "12");
        assert_eq!(tenths(-5), "-0.5");
        assert_eq!(tenths(-20), "-2");
    }

    #[test]
    fn the_generator_is_fixed_by_its_seed_and_stays_in_range() {
        let (a, b) = (Rng::new(7), Rng::new(7));
        let xs: Vec<i64> = (0..100).map(|_| a.spread(5)).collect();
        let ys: Vec<i64> = (0..100).map(|_| b.spread(5)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|x| (-5..=5).contains(x)));
        assert!(xs.iter().any(|&x| x != xs[0]), "it varies");
        let other: Vec<i64> = (0..100).map(|_| Rng::new(8).spread(5)).collect();
        assert_ne!(xs, other);
        // SplitMix64's published first output for seed 0.
        assert_eq!(Rng::new(0).next(), 0xe220_a839_7b1d_cdaf);
    }

    #[test]
    fn strokes_stay_near_the_true_outline() {
        let rng = Rng::new(42);
        let d = rectangle(&rng, 100, 100, 1100, 600, 2);
        let numbers: Vec<f64> = d
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(numbers.len(), 2 * 4 * 6, "two passes of four strokes of three points");
        for pair in numbers.chunks(2) {
            let (x, y) = (pair[0] * 10.0, pair[1] * 10.0);
            let near = |v: f64, a: f64, b: f64| v >= a - 80.0 && v <= b + 80.0;
            assert!(near(x, 100.0, 1100.0) && near(y, 100.0, 600.0), "{x},{y} strays: {d}");
        }
    }

    #[test]
    fn polylines_keep_their_ends() {
        let rng = Rng::new(1);
        let d = polyline(&rng, &[(0, 0), (500, 0), (500, 300)], &[]);
        assert!(d.starts_with("M0 0 Q"), "{d}");
        assert!(d.ends_with(" 50 30"), "{d}");
    }

    #[test]
    fn polylines_hop_over_the_lines_they_cross() {
        let rng = Rng::new(1);
        // Running right over x = 20 px, and left over two neighbouring lines as one bridge.
        let d = polyline(
            &rng,
            &[(0, 0), (500, 0), (500, 300), (0, 300)],
            &[(0, 200), (2, 300), (2, 180)],
        );
        assert_eq!(d.matches(" A5 5 0 0 1 ").count(), 1, "{d}");
        assert_eq!(d.matches(" A5 5 0 0 0 ").count(), 2, "{d}");
        assert!(d.contains(" A5 5 0 0 1 25 "), "the hop ends 5 px past the line: {d}");
        assert!(d.ends_with(" 0 30"), "{d}");
    }
}
