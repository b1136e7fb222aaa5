//! What a drawing must say, and [`compare`]: whether a read-back [`Picture`] says it.
//!
//! An [`Expected`] is plain data: boxes, arrows (chains expanded, repeats kept), services and
//! groups with their text as the spec writes it. It is built from the spec's text by
//! `tests/oracle.rs` or from the property generator's own lists, never from the library's
//! model, so a bug in the library cannot also move what the tests expect.
//!
//! # What [`compare`] checks
//!
//! - Every box is drawn once, with its title, text and bullet items, words in order (white
//!   space is not compared: wrapping may break a line anywhere, even inside a long word).
//! - Every service is drawn once with its title and text; every frame once, titled as its
//!   group, around exactly its group's boxes.
//! - The arrows drawn are exactly the spec's arrows and service arrows, as a multiset: a
//!   repeated arrow must be drawn as often as it is written, and a reversed one is a different
//!   arrow.
//! - Every label is drawn once, with its words, on its own arrow (the read-back has put it on
//!   exactly one).
//!
//! Drawn things are told apart by all of their text, not only by their first line. Boxes
//! whose text is the same in the spec are interchangeable: nothing in any drawing could tell
//! them apart. Boxes that differ in the spec but not in the drawing are an error, never a
//! guess.
//!
//! # How text is compared
//!
//! Graphemes are compared one by one, white space and zero-width characters ignored, and every
//! one must be drawn as the spec writes it, in both charsets and wherever it stands: in a box,
//! in the open (service text, labels) or in a frame's title. Only the drawing is 7-bit in
//! ASCII; a user's `→`, `数`, `é`, `--flag` or `|` is drawn as written.

use std::collections::BTreeMap;

use unicode_segmentation::UnicodeSegmentation;

use super::width::grapheme_width;
use super::{Charset, End, Picture};

/// What a drawing must say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expected {
    /// The diagram's title (SVG only).
    pub title: Option<String>,
    pub boxes: Vec<ExpectedBox>,
    /// Every arrow, chains expanded, in the order written.
    pub arrows: Vec<ExpectedArrow>,
    pub services: Vec<ExpectedService>,
    pub groups: Vec<ExpectedGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedBox {
    pub id: String,
    pub title: String,
    pub text: Option<String>,
    pub items: Vec<String>,
}

/// An arrow between boxes (indexes into [`Expected::boxes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedArrow {
    pub from: usize,
    pub to: usize,
    /// `None` when the spec gives none, or only white space.
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedService {
    pub id: String,
    pub title: String,
    pub text: Option<String>,
    /// The boxes it serves (indexes into [`Expected::boxes`]), in the order written.
    pub serves: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedGroup {
    pub id: String,
    pub title: String,
    /// Its boxes (indexes into [`Expected::boxes`]).
    pub boxes: Vec<usize>,
}

impl ExpectedBox {
    /// Title, text and items as drawn in a box, bullets included.
    fn pieces(&self, charset: Charset) -> Vec<Piece<'_>> {
        let bullet = match charset {
            Charset::Unicode => "•",
            Charset::Ascii => "*",
        };
        let mut out = vec![Piece::Text(&self.title)];
        out.extend(self.text.as_deref().map(Piece::Text));
        for item in &self.items {
            out.extend([Piece::Drawn(bullet), Piece::Text(item)]);
        }
        out
    }
}

/// A part of what must be drawn.
#[derive(Debug, Clone, Copy)]
pub enum Piece<'a> {
    /// The user's text, drawn as written.
    Text(&'a str),
    /// Drawn exactly so (a bullet).
    Drawn(&'a str),
}

/// The graphemes of `s` that take a cell and are not white space.
fn visible(s: &str) -> impl Iterator<Item = &str> {
    s.graphemes(true).filter(|g| !g.chars().all(char::is_whitespace) && grapheme_width(g) > 0)
}

/// Whether `drawn` (lines read from a drawing) says `want`, grapheme for grapheme, white
/// space aside.
pub fn says(want: &[Piece<'_>], drawn: &[String]) -> bool {
    let got = drawn.iter().flat_map(|l| visible(l));
    let wanted = want.iter().flat_map(|piece| match piece {
        Piece::Text(s) | Piece::Drawn(s) => visible(s),
    });
    got.eq(wanted)
}

/// A maximum matching of `n` left items to `m` right items that `ok(l, r)` allows to pair:
/// for each left item, its right item.
fn matching(n: usize, m: usize, ok: &dyn Fn(usize, usize) -> bool) -> Vec<Option<usize>> {
    fn augment(
        l: usize,
        m: usize,
        ok: &dyn Fn(usize, usize) -> bool,
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for r in 0..m {
            if seen[r] || !ok(l, r) {
                continue;
            }
            seen[r] = true;
            if owner[r].is_none_or(|other| augment(other, m, ok, seen, owner)) {
                owner[r] = Some(l);
                return true;
            }
        }
        false
    }
    let mut owner: Vec<Option<usize>> = vec![None; m];
    for l in 0..n {
        augment(l, m, ok, &mut vec![false; m], &mut owner);
    }
    let mut of_left = vec![None; n];
    for (r, l) in owner.iter().enumerate() {
        if let Some(l) = l {
            of_left[*l] = Some(r);
        }
    }
    of_left
}

/// Which expected item each drawn item is, by what both say. `same[e]` is the first expected
/// item saying exactly what `e` says (the spec's twins, interchangeable). Fails if some drawn
/// item matches none left over, or could be either of two that differ in the spec.
fn identify(
    what: &str,
    drawn: usize,
    expected: usize,
    same: &[usize],
    ok: &dyn Fn(usize, usize) -> bool,
    name: &dyn Fn(usize) -> String,
    want_name: &dyn Fn(usize) -> String,
) -> Result<Vec<usize>, String> {
    // The pairing matrix, once: `says` is the costly part.
    let table: Vec<Vec<bool>> =
        (0..drawn).map(|d| (0..expected).map(|e| ok(d, e)).collect()).collect();
    let full = |allowed: &dyn Fn(usize, usize) -> bool| {
        let m = matching(drawn, expected, &|d, e| table[d][e] && allowed(d, e));
        m.iter().all(Option::is_some).then_some(m)
    };
    let Some(found) = full(&|_, _| true).filter(|_| drawn == expected) else {
        let m = matching(drawn, expected, &|d, e| table[d][e]);
        let unmatched: Vec<String> =
            (0..drawn).filter(|&d| m[d].is_none()).map(|d| format!("{:?}", name(d))).collect();
        let missing: Vec<String> = (0..expected)
            .filter(|e| !m.contains(&Some(*e)))
            .map(|e| format!("{:?}", want_name(e)))
            .collect();
        return Err(format!(
            "{what}: {drawn} drawn, {expected} in the spec; drawn but not in the spec: [{}]; in \
             the spec but not drawn: [{}]",
            unmatched.join(", "),
            missing.join(", ")
        ));
    };
    let classes: Vec<usize> = found.iter().map(|e| same[e.expect("a full matching")]).collect();
    for d in 0..drawn {
        // Is there another full matching giving `d` something the spec tells apart?
        let class = classes[d];
        if (0..expected).filter(|&e| table[d][e]).all(|e| same[e] == class) {
            continue;
        }
        if let Some(other) = full(&|x, e| x != d || same[e] != class) {
            let e = other[d].expect("a full matching");
            return Err(format!(
                "{what}: the drawing cannot tell {:?} from {:?} (drawn as {:?})",
                want_name(class),
                want_name(e),
                name(d)
            ));
        }
    }
    Ok(classes)
}

/// For each item, the first one equal to it.
fn twins<T: PartialEq>(items: &[T]) -> Vec<usize> {
    (0..items.len())
        .map(|i| items.iter().position(|x| *x == items[i]).expect("itself at least"))
        .collect()
}

/// Whether `picture`, read from a drawing in `charset`, says what `expected` says (see the
/// module documentation). Fails listing every difference found.
pub fn compare(expected: &Expected, picture: &Picture, charset: Charset) -> Result<(), String> {
    let e = expected;
    let p = picture;
    let mut problems = Vec::new();

    // Boxes.
    let box_same = twins(&e.boxes);
    let boxes = identify(
        "boxes",
        p.boxes.len(),
        e.boxes.len(),
        &box_same,
        &|d, x| says(&e.boxes[x].pieces(charset), &p.boxes[d].lines),
        &|d| p.boxes[d].lines.join(" / "),
        &|x| e.boxes[x].title.clone(),
    );
    // Nothing below can be compared without knowing which box is which.
    let boxes = boxes?;

    // Services.
    let service_key: Vec<(&str, Option<&str>)> =
        e.services.iter().map(|s| (s.title.as_str(), s.text.as_deref())).collect();
    let service_same = twins(&service_key);
    let service_pieces = |x: usize| {
        let s = &e.services[x];
        let mut pieces = vec![Piece::Text(&s.title)];
        pieces.extend(s.text.as_deref().map(Piece::Text));
        pieces
    };
    let services = identify(
        "services",
        p.services.len(),
        e.services.len(),
        &service_same,
        &|d, x| says(&service_pieces(x), &p.services[d].lines),
        &|d| p.services[d].lines.join(" / "),
        &|x| e.services[x].title.clone(),
    )
    .unwrap_or_else(|problem| {
        problems.push(problem);
        Vec::new()
    });

    // Frames: titled as their group, around exactly its boxes.
    let members = |boxes_in: Vec<usize>| {
        let mut m = boxes_in;
        m.sort_unstable();
        m
    };
    let group_members: Vec<Vec<usize>> =
        e.groups.iter().map(|g| members(g.boxes.iter().map(|&b| box_same[b]).collect())).collect();
    let frame_members: Vec<Vec<usize>> = p
        .frames
        .iter()
        .map(|f| {
            members(
                p.boxes
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.rect.overlaps(&f.rect))
                    .map(|(i, _)| boxes[i])
                    .collect(),
            )
        })
        .collect();
    let group_key: Vec<(&str, &Vec<usize>)> =
        e.groups.iter().zip(&group_members).map(|(g, m)| (g.title.as_str(), m)).collect();
    if let Err(problem) = identify(
        "frames (title and boxes)",
        p.frames.len(),
        e.groups.len(),
        &twins(&group_key),
        &|d, x| {
            frame_members[d] == group_members[x]
                && says(
                    &[Piece::Text(&e.groups[x].title)],
                    std::slice::from_ref(&p.frames[d].title),
                )
        },
        &|d| format!("{} around {:?}", p.frames[d].title, frame_members[d]),
        &|x| format!("{} around {:?}", e.groups[x].title, group_members[x]),
    ) {
        problems.push(problem);
    }

    // Arrows, as a multiset of (tail, head) by identity.
    type Key = (End, usize);
    let title = |end: End| match end {
        End::Box(x) => e.boxes[x].title.clone(),
        End::Service(x) => e.services[x].title.clone(),
    };
    let mut want: BTreeMap<Key, usize> = BTreeMap::new();
    for a in &e.arrows {
        *want.entry((End::Box(box_same[a.from]), box_same[a.to])).or_default() += 1;
    }
    for (k, s) in e.services.iter().enumerate() {
        for &b in &s.serves {
            *want.entry((End::Service(service_same[k]), box_same[b])).or_default() += 1;
        }
    }
    let drawn_key = |a: &super::FoundArrow| -> Option<Key> {
        let from = match a.from {
            End::Box(b) => End::Box(boxes[b]),
            End::Service(k) => End::Service(*services.get(k)?),
        };
        Some((from, boxes[a.to]))
    };
    let mut got: BTreeMap<Key, usize> = BTreeMap::new();
    for a in &p.arrows {
        if let Some(key) = drawn_key(a) {
            *got.entry(key).or_default() += 1;
        }
    }
    if services.len() == p.services.len() && want != got {
        let keys: std::collections::BTreeSet<&Key> = want.keys().chain(got.keys()).collect();
        let diff: Vec<String> = keys
            .into_iter()
            .filter_map(|k| {
                let (w, g) = (want.get(k).copied().unwrap_or(0), got.get(k).copied().unwrap_or(0));
                (w != g).then(|| {
                    format!(
                        "{:?} -> {:?}: {w} in the spec, {g} drawn",
                        title(k.0),
                        title(End::Box(k.1))
                    )
                })
            })
            .collect();
        problems.push(format!("arrows differ from the spec:\n  {}", diff.join("\n  ")));
    }

    // Labels: each on an arrow with the same ends, saying the label's words.
    let labelled: Vec<usize> =
        (0..e.arrows.len()).filter(|&a| e.arrows[a].label.is_some()).collect();
    let label_ok = |d: usize, x: usize| {
        let a = &e.arrows[labelled[x]];
        let found = &p.labels[d];
        drawn_key(&p.arrows[found.arrow]) == Some((End::Box(box_same[a.from]), box_same[a.to]))
            && says(&[Piece::Text(a.label.as_deref().expect("labelled"))], &found.lines)
    };
    let m = matching(p.labels.len(), labelled.len(), &label_ok);
    let stray: Vec<String> = (0..p.labels.len())
        .filter(|&d| m[d].is_none())
        .map(|d| {
            let l = &p.labels[d];
            let a = &p.arrows[l.arrow];
            let from = match a.from {
                End::Box(b) => p.boxes[b].name.clone(),
                End::Service(k) => p.services[k].name.clone(),
            };
            format!("{:?} on {from:?} -> {:?}", l.lines.join(" / "), p.boxes[a.to].name)
        })
        .collect();
    let missing: Vec<String> = (0..labelled.len())
        .filter(|x| !m.contains(&Some(*x)))
        .map(|x| {
            let a = &e.arrows[labelled[x]];
            format!(
                "{:?} on {:?} -> {:?}",
                a.label.as_deref().unwrap_or_default(),
                e.boxes[a.from].title,
                e.boxes[a.to].title
            )
        })
        .collect();
    if !stray.is_empty() || !missing.is_empty() {
        problems.push(format!(
            "labels differ from the spec\n  drawn, not in the spec: {stray:?}\n  in the spec, \
             not drawn: {missing:?}"
        ));
    }

    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}
