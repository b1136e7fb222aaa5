//! Where to cut a drawing that is too wide into pieces drawn one under another: ELK's graph
//! wrapping (Rüegg and von Hanxleden, "Wrapping layered graphs", 2018) on the cell grid.
//!
//! The cuts are read off the layout of the whole diagram, so they follow whatever ranks and
//! order the per-piece engine chose without knowing how it chose them: a cut is a column no box
//! covers. In a flow across (right, left) that is a cut between two ranks, and the pieces are
//! runs of ranks (ELK's chunks); in a flow down or up it splits wide ranks, and each piece holds
//! a slice of every rank it reaches.
//!
//! A cut never passes through a group's frame (so each frame lands whole in one piece, as
//! [`super::compose`] requires), and the cuts are chosen so that as few arrows as possible cross
//! them (a pipeline wraps where one arrow does, ELK's SINGLE_EDGE case; others pay per arrow,
//! MULTI_EDGE), a cut between two boxes of one service counting as [`SERVICE_SPLIT`] arrows
//! (its arrows to the boxes in other pieces then run between rows too), and then so that the
//! widest piece, measured on the drawing, is as narrow as possible (balanced rows).

use super::compose::Partition;
use super::types::Layout;
use crate::model::Diagram;

/// Columns of the whole drawing no box, frame or service's boxes cover, as cut candidates.
#[derive(Debug, Clone)]
pub(super) struct Blocks {
    /// Each box's block, left to right.
    block_of: Vec<usize>,
    /// Each block's columns, `start..end`.
    spans: Vec<(usize, usize)>,
    /// Arrows crossing the cut before each block (`crossing[0]` is 0).
    crossing: Vec<usize>,
}

impl Blocks {
    /// The blocks of `whole`, a layout of `diagram`.
    pub fn of(diagram: &Diagram, whole: &Layout) -> Self {
        let n = diagram.nodes.len();
        // (start, end, box or usize::MAX): spans that must stay in one piece.
        let mut spans: Vec<(usize, usize, usize)> =
            whole.boxes.iter().enumerate().map(|(v, b)| (b.rect.x, b.rect.right(), v)).collect();
        spans.extend(whole.groups.iter().map(|g| (g.rect.x, g.rect.right(), usize::MAX)));
        spans.sort_unstable();
        let mut block_of = vec![0; n];
        let mut blocks: Vec<(usize, usize)> = Vec::new();
        for (start, end, v) in spans {
            match blocks.last_mut() {
                Some(last) if start < last.1 => last.1 = last.1.max(end),
                _ => blocks.push((start, end)),
            }
            if v < n {
                block_of[v] = blocks.len() - 1;
            }
        }
        // An arrow from block a to block b crosses every cut between them; a service whose
        // boxes lie in blocks lo..=hi has arrows crossing every cut between those.
        let mut delta = vec![0isize; blocks.len() + 1];
        let mut cross = |a: usize, b: usize, weight: isize| {
            let (lo, hi) = (a.min(b), a.max(b));
            if lo < hi {
                delta[lo + 1] += weight;
                delta[hi + 1] -= weight;
            }
        };
        for e in &diagram.edges {
            cross(block_of[e.from.0], block_of[e.to.0], 1);
        }
        for s in &diagram.services {
            let served = s.serves.iter().map(|v| block_of[v.0]);
            let (lo, hi) = (served.clone().min().unwrap_or(0), served.max().unwrap_or(0));
            cross(lo, hi, SERVICE_SPLIT);
        }
        let mut crossing = Vec::with_capacity(blocks.len());
        let mut running = 0isize;
        for d in &delta[..blocks.len()] {
            running += d;
            crossing.push(running.max(0) as usize);
        }
        Self { block_of, spans: blocks, crossing }
    }

    /// Number of blocks: at most this many pieces.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// The columns blocks `from..to` cover, as one piece.
    fn width(&self, from: usize, to: usize) -> usize {
        self.spans[to - 1].1 - self.spans[from].0
    }

    /// The narrowest piece width possible: the widest single block.
    pub fn narrowest(&self) -> usize {
        (0..self.len()).map(|b| self.width(b, b + 1)).max().unwrap_or(0)
    }

    /// The fewest pieces whose measured widths are each at most `room`, if any.
    pub fn fewest_pieces(&self, room: usize) -> Option<usize> {
        if self.narrowest() > room {
            return None;
        }
        // Greedy: each piece takes as many blocks as fit.
        let (mut pieces, mut from) = (0, 0);
        while from < self.len() {
            let mut to = from + 1;
            while to < self.len() && self.width(from, to + 1) <= room {
                to += 1;
            }
            pieces += 1;
            from = to;
        }
        Some(pieces)
    }

    /// The best cut into `pieces` pieces each at most `room` columns wide, as the first block
    /// of every piece after the first: the fewest arrows crossing cuts, each worth
    /// [`CROSSING_COLUMNS`] columns of the widest piece. `None` if no cut fits.
    pub fn cut(&self, pieces: usize, room: usize) -> Option<Vec<usize>> {
        let m = self.len();
        if pieces < 2 || pieces > m {
            return None;
        }
        // front[j][c]: the Pareto front of (crossings, widest piece) over splits of blocks
        // 0..j into c pieces, each with the split it came from.
        #[derive(Clone, Copy)]
        struct Entry {
            crossings: usize,
            widest: usize,
            from: usize,
            parent: usize,
        }
        let mut front: Vec<Vec<Vec<Entry>>> = vec![vec![Vec::new(); pieces + 1]; m + 1];
        front[0][0].push(Entry { crossings: 0, widest: 0, from: 0, parent: 0 });
        for j in 1..=m {
            for c in 1..=pieces.min(j) {
                let mut entries: Vec<Entry> = Vec::new();
                for i in (c - 1..j).rev() {
                    let w = self.width(i, j);
                    if w > room {
                        break;
                    }
                    let cut = if i > 0 { self.crossing[i] } else { 0 };
                    for (k, e) in front[i][c - 1].iter().enumerate() {
                        entries.push(Entry {
                            crossings: e.crossings + cut,
                            widest: e.widest.max(w),
                            from: i,
                            parent: k,
                        });
                    }
                }
                front[j][c] = pareto(entries, |e| (e.crossings, e.widest));
            }
        }
        let cost = |e: &Entry| e.crossings * CROSSING_COLUMNS + e.widest;
        let best = (0..front[m][pieces].len()).min_by_key(|&k| cost(&front[m][pieces][k]))?;
        let (mut starts, mut j, mut c, mut k) = (Vec::new(), m, pieces, best);
        while c > 0 {
            let e = front[j][c][k];
            if e.from > 0 {
                starts.push(e.from);
            }
            (j, c, k) = (e.from, c - 1, e.parent);
        }
        starts.reverse();
        Some(starts)
    }

    /// Cuts next to `starts` (from [`Self::cut`]): each row's first block moved one block
    /// earlier or later, where every row keeps a block and stays at most `room` columns wide.
    /// The cut that crosses fewest arrows is not always the one whose arrows between rows
    /// cross fewest lines (a back arrow into the last box of the row above crosses nothing;
    /// one into a box before it crosses the arrow wrapping the rows): these are the few
    /// others worth drawing.
    pub fn nearby(&self, starts: &[usize], room: usize) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        for k in 0..starts.len() {
            let lo = if k == 0 { 1 } else { starts[k - 1] + 1 };
            let hi = starts.get(k + 1).copied().unwrap_or(self.len());
            for moved in [starts[k].wrapping_sub(1), starts[k] + 1] {
                if !(lo..hi).contains(&moved) {
                    continue;
                }
                let mut cut = starts.to_vec();
                cut[k] = moved;
                let bounds: Vec<usize> =
                    std::iter::once(0).chain(cut.iter().copied()).chain([self.len()]).collect();
                if bounds.windows(2).all(|w| self.width(w[0], w[1]) <= room) {
                    out.push(cut);
                }
            }
        }
        out
    }

    /// The partition of boxes that `starts` (from [`Self::cut`]) makes.
    pub fn partition(&self, starts: &[usize]) -> Partition {
        let piece_of_block = |b: usize| starts.iter().take_while(|&&s| s <= b).count();
        Partition {
            piece_of: self.block_of.iter().map(|&b| piece_of_block(b)).collect(),
            pieces: starts.len() + 1,
        }
    }
}

/// What cutting between two boxes of one service costs, in arrows crossing the cut: the
/// service is drawn with some of its boxes, and its arrows to the others run between rows, a
/// longer way round than an arrow between neighbours.
const SERVICE_SPLIT: isize = 2;

/// What one more arrow crossing a cut is worth, in columns of the widest piece: balanced rows
/// matter, but a second arrow running back across the drawing costs the reader more.
const CROSSING_COLUMNS: usize = 40;

/// The entries no other beats on both costs `key` gives, fewest of the first cost first; of
/// equal ones, the first.
fn pareto<E: Copy>(mut entries: Vec<E>, key: impl Fn(&E) -> (usize, usize)) -> Vec<E> {
    entries.sort_by_key(&key);
    let mut out: Vec<E> = Vec::new();
    for e in entries {
        if out.last().is_none_or(|last| key(&e).1 < key(last).1) {
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::LayoutOptions;

    fn blocks(yaml: &str) -> (Diagram, Blocks) {
        let d = Diagram::from_spec(&crate::parse(yaml).expect("a spec")).expect("a diagram");
        let whole = super::super::layout(&d, &LayoutOptions::default());
        let b = Blocks::of(&d, &whole);
        (d, b)
    }

    #[test]
    fn a_chain_is_cut_between_ranks_where_one_arrow_crosses() {
        let (_, b) = blocks(
            "boxes: [{title: A}, {title: B}, {title: C}, {title: D}, {title: E}, {title: F}]\n\
             arrows: [a -> b -> c -> d -> e -> f, a -> c]\n",
        );
        assert_eq!(b.len(), 6);
        // a -> c crosses the cut before B's rank and before C's.
        assert_eq!(b.crossing, [0, 2, 2, 1, 1, 1]);
        let room = b.width(0, 3) + 1;
        assert_eq!(b.fewest_pieces(room), Some(2));
        // Three ranks each would balance, but a -> c crosses there: D starts the second row.
        assert_eq!(b.cut(2, room), Some(vec![3]));
        let parts = b.partition(&[3]);
        assert_eq!(parts.piece_of, [0, 0, 0, 1, 1, 1]);
        // Narrower than three ranks: three rows.
        assert_eq!(b.fewest_pieces(b.width(0, 2)), Some(3));
        assert_eq!(b.cut(3, b.width(0, 2)), Some(vec![2, 4]));
    }

    #[test]
    fn a_cut_never_splits_a_group_and_avoids_splitting_a_service() {
        let (_, b) = blocks(
            "boxes: [{title: A}, {title: B}, {title: C}, {title: D}, {title: E}, {title: F}]\n\
             arrows: [a -> b -> c -> d -> e -> f]\n\
             groups: [{title: G, boxes: [b, c]}]\n\
             services: [{title: S, serves: [d, f]}]\n",
        );
        // A | B C | D | E | F: the frame is one block.
        assert_eq!(b.block_of, [0, 1, 1, 2, 3, 4]);
        // Cutting between D and F splits the service: that costs two arrows more.
        assert_eq!(b.crossing, [0, 1, 1, 3, 3]);
        assert_eq!(b.cut(3, usize::MAX), Some(vec![1, 2]));
        assert_eq!(b.cut(6, usize::MAX), None);
    }

    #[test]
    fn nearby_cuts_move_one_row_start_a_block_and_keep_every_row_within_room() {
        let (_, b) = blocks(
            "boxes: [{title: A}, {title: B}, {title: C}, {title: D}, {title: E}, {title: F}]\n\
             arrows: [a -> b -> c -> d -> e -> f]\n",
        );
        assert_eq!(b.nearby(&[2, 4], usize::MAX), [vec![1, 4], vec![3, 4], vec![2, 3], vec![2, 5]]);
        // Rows of at most two blocks: only moves that keep every row that narrow.
        assert_eq!(b.nearby(&[2, 4], b.width(0, 2)), Vec::<Vec<usize>>::new());
        assert_eq!(b.nearby(&[1], b.width(0, 5)), [vec![2]]);
    }

    #[test]
    fn the_widest_piece_is_kept_narrow() {
        let (_, b) = blocks(
            "boxes: [{title: A}, {title: B}, {title: C}, {title: D}]\narrows: [a -> b -> c -> d]\n",
        );
        // Every cut is crossed by one arrow: the two rows are two ranks each.
        assert_eq!(b.cut(2, usize::MAX), Some(vec![2]));
    }
}
