//! Budgets: how big a layout or a text drawing a diagram asks for, checked before the memory is
//! spent, so a small hostile spec gets an error instead of taking the process down.
//!
//! Two checks, one per place where size becomes known:
//!
//! 1. Right after ranking, before any dummy node exists: the layered graph's size, boxes plus
//!    one dummy node for every rank an arrow passes over ([`LayoutSize::nodes`]). Every later
//!    phase (ordering, placement, routing) works on those nodes, so bounding them bounds the
//!    layout's time and memory. The ranks counted are longest-path ranks after the layout's own
//!    cycle breaking; the layout's network-simplex ranks never need more dummies (it falls back
//!    to these ranks if they would), so the bound holds.
//! 2. After layout, before a text renderer allocates anything: the drawing's cells, columns ×
//!    rows ([`check_text`]). The SVG renderer's output grows with the number of boxes and
//!    arrows, not with the area, so it needs no such check.

use super::{Layout, LayoutOptions, rank};
use crate::diagnostic::{Diagnostic, Error};
use crate::model::{Diagram, Limits};

/// How big the layered graph of a diagram is, known before any of it is made.
///
/// ```
/// let spec = archdraw::parse("boxes: [{title: A}, {title: B}, {title: C}]\narrows: [a -> b -> c, a -> c]")?;
/// let diagram = archdraw::Diagram::from_spec(&spec)?;
/// let size = archdraw::layout::LayoutSize::of(&diagram);
/// // `a -> c` passes over B's rank: one dummy node.
/// assert_eq!((size.ranks, size.dummies, size.nodes()), (3, 1, 4));
/// # Ok::<(), archdraw::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LayoutSize {
    /// Boxes.
    pub boxes: usize,
    /// Ranks (columns of a flow across, rows of a flow down).
    pub ranks: usize,
    /// Dummy nodes: one for every rank an arrow passes over without stopping.
    pub dummies: usize,
    /// The arrow that passes over the most ranks, and how many, if any passes one.
    pub longest: Option<(usize, usize)>,
}

impl LayoutSize {
    /// Ranks `diagram` by longest path after the cycle breaking [`layout`](super::layout) does
    /// and counts, without making them, the dummy nodes its arrows need: at least as many as
    /// the layout makes.
    pub fn of(diagram: &Diagram) -> Self {
        let pairs: Vec<(usize, usize)> = diagram.edges.iter().map(|e| (e.from.0, e.to.0)).collect();
        let group = super::frames::group_of(diagram);
        let (rank, _) = rank::longest_path_ranks(diagram.nodes.len(), &pairs, &group);
        let mut dummies = 0usize;
        let mut longest: Option<(usize, usize)> = None;
        for (k, &(a, b)) in pairs.iter().enumerate() {
            let passed = rank[a].abs_diff(rank[b]).saturating_sub(1);
            dummies = dummies.saturating_add(passed);
            if passed > 0 && longest.is_none_or(|(_, most)| passed > most) {
                longest = Some((k, passed));
            }
        }
        let ranks = rank.iter().max().map_or(0, |r| r + 1);
        Self { boxes: diagram.nodes.len(), ranks, dummies, longest }
    }

    /// Nodes of the layered graph: boxes plus dummies.
    pub fn nodes(&self) -> usize {
        self.boxes.saturating_add(self.dummies)
    }
}

/// Lays `diagram` out like [`layout`](super::layout), after checking that its layered graph
/// fits [`Limits::max_layout_nodes`]. Use this for diagrams from input you do not control:
/// a spec of a few kilobytes can ask for millions of dummy nodes (a long chain with an arrow
/// from its first box to every other), which `layout` would try to make.
///
/// # Errors
///
/// One [`Diagnostic`] saying how many nodes the layout would need and naming the arrow that
/// passes over the most ranks, when over the limit.
///
/// ```
/// let mut yaml = String::from("boxes:\n");
/// for i in 0..700 {
///     yaml.push_str(&format!("  - {{title: b{i}}}\n"));
/// }
/// yaml.push_str("arrows:\n");
/// for i in 1..700 {
///     yaml.push_str(&format!("  - b{} -> b{i}\n  - b0 -> b{i}\n", i - 1));
/// }
/// let diagram = archdraw::Diagram::from_spec(&archdraw::parse(&yaml)?)?;
/// let options = archdraw::layout::LayoutOptions::default();
/// let error = archdraw::layout::try_layout(&diagram, &options, &Default::default()).unwrap_err();
/// // 700 boxes, and the arrow to box i passes over i − 1 ranks: 243,951 dummy nodes.
/// assert!(error.diagnostics[0].message.starts_with("too large to lay out: 244,651 nodes"));
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn try_layout(
    diagram: &Diagram,
    options: &LayoutOptions,
    limits: &Limits,
) -> Result<Layout, Error> {
    check_layout(diagram, limits).map_err(|(diagnostic, _)| Error::from(diagnostic))?;
    Ok(super::layout(diagram, options))
}

/// The layered graph's size against [`Limits::max_layout_nodes`]; past it, the problem and the
/// index of the arrow that passes over the most ranks (for the caller to locate in its spec).
pub(crate) fn check_layout(
    diagram: &Diagram,
    limits: &Limits,
) -> Result<LayoutSize, (Diagnostic, Option<usize>)> {
    let size = LayoutSize::of(diagram);
    if size.nodes() <= limits.max_layout_nodes {
        return Ok(size);
    }
    let mut diagnostic = Diagnostic::new(format!(
        "too large to lay out: {} nodes (boxes, plus one for every rank an arrow passes over), \
         over the limit of {}",
        thousands(size.nodes()),
        thousands(limits.max_layout_nodes)
    ));
    let help = "split the diagram, or draw the boxes of long arrows nearer each other";
    diagnostic = match size.longest {
        Some((k, passed)) => {
            let edge = &diagram.edges[k];
            let (from, to) = (&diagram.nodes[edge.from.0].id, &diagram.nodes[edge.to.0].id);
            diagnostic.with_help(format!(
                "arrows that pass over many ranks cost the most (`{} -> {}` passes over {}): \
                 {help}",
                crate::spec::escape(from),
                crate::spec::escape(to),
                thousands(passed)
            ))
        }
        None => diagnostic.with_help(help),
    };
    Err((diagnostic, size.longest.map(|(k, _)| k)))
}

/// A text drawing's size against [`Limits::max_text_cells`]: checked before a text renderer
/// allocates anything.
///
/// # Errors
///
/// One [`Diagnostic`] giving the drawing's size in columns × rows when it has more cells than
/// the limit.
///
/// ```
/// let layout = archdraw::layout(
///     &archdraw::Diagram::from_spec(&archdraw::parse("boxes: [{title: A}]")?)?,
///     &Default::default(),
/// );
/// let mut limits = archdraw::Limits::default();
/// assert!(archdraw::layout::check_text(&layout, &limits).is_ok());
/// limits.max_text_cells = 10;
/// let error = archdraw::layout::check_text(&layout, &limits).unwrap_err();
/// assert_eq!(error.diagnostics[0].message, "too large to draw as text: 5×3 cells, over the limit of 10");
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn check_text(layout: &Layout, limits: &Limits) -> Result<(), Error> {
    let cells = layout.width.saturating_mul(layout.height);
    if cells <= limits.max_text_cells {
        return Ok(());
    }
    Err(Diagnostic::new(format!(
        "too large to draw as text: {}×{} cells, over the limit of {}",
        layout.width,
        layout.height,
        thousands(limits.max_text_cells)
    ))
    .with_help("draw it as SVG (-f svg), narrower (--width), or split it into several diagrams")
    .into())
}

/// Boxes, dummy nodes and arrows laid out in all, over every try, past which fitting a width
/// limit stops trying narrower wraps and keeps the narrowest drawing found (at least two tries
/// are made). Each try is a whole layout, and fitting tries up to sixteen: a diagram of a few
/// thousand boxes (a hub with groups, found by the `shapes` fuzz target) took seconds per
/// format. Small diagrams, the ones a width limit can help, get every try.
const WIDTH_FITTING_ELEMENTS: usize = 30_000;

/// Counts the tries of width fitting against [`WIDTH_FITTING_ELEMENTS`].
#[derive(Debug)]
pub(super) struct Tries {
    per_try: usize,
    spent: usize,
}

impl Tries {
    pub(super) fn new(diagram: &Diagram) -> Self {
        Self { per_try: elements(diagram), spent: 0 }
    }

    /// Records one try of the whole diagram; whether another fits the budget.
    #[cfg(test)]
    pub(super) fn another(&mut self) -> bool {
        self.spend(self.per_try)
    }

    /// Records a try of `elements` (a piece of the diagram, or all of it); whether another as
    /// large fits the budget. The first two tries of the whole diagram's size always do.
    pub(super) fn spend(&mut self, elements: usize) -> bool {
        self.spent = self.spent.saturating_add(elements);
        self.spent < 2 * self.per_try
            || self.spent.saturating_add(elements) <= WIDTH_FITTING_ELEMENTS
    }
}

/// What one layout of `diagram` costs: its boxes, dummy nodes and arrows (at least 1).
pub(super) fn elements(diagram: &Diagram) -> usize {
    LayoutSize::of(diagram).nodes().saturating_add(diagram.edges.len()).max(1)
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_fitting_tries_fewer_widths_for_big_diagrams() {
        let tries = |boxes: usize, arrows: usize| {
            let mut yaml = String::from("boxes:\n");
            for i in 0..boxes {
                yaml.push_str(&format!("  - {{title: b{i}}}\n"));
            }
            yaml.push_str("arrows:\n");
            for i in 0..arrows {
                yaml.push_str(&format!("  - b{} -> b{}\n", i % boxes, (i + 1) % boxes));
            }
            let diagram = Diagram::from_spec(&crate::parse(&yaml).unwrap()).unwrap();
            let mut tries = Tries::new(&diagram);
            (1..).find(|_| !tries.another()).unwrap_or(0)
        };
        // Every wrap and direction for a diagram a width limit can help; two for a big one.
        assert!(tries(50, 60) >= 16);
        assert_eq!(tries(5_000, 5_000), 2);
        assert_eq!(tries(2_000, 1_999), 7);
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(4_498_501), "4,498,501");
    }
}
