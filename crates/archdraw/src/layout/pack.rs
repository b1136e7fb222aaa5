//! Interval packing: spans of cross cells put side by side into tracks, as the vertical lines of
//! a channel are (see [`super::route`]) and the trunks of the service band (see
//! [`super::services`]).
//!
//! Two spans share a track only with a free cell between them, so their lines never touch. Where
//! that free cell is the only one and another line crosses the track there, the two ends would
//! flank the crossing line; [`Tracks::fits`] refuses that too when asked to.

/// Cells from one track to the next along the main axis: a line and a blank, so neighbouring
/// lines never read as one thick line. Service lanes are tracks too.
pub(super) const TRACK_PITCH: i64 = 2;

/// Tracks and the spans (first cell, last cell) each holds, sorted and pairwise apart.
#[derive(Debug, Clone, Default)]
pub(super) struct Tracks {
    spans: Vec<Vec<(i64, i64)>>,
}

impl Tracks {
    /// How many tracks are in use (empty ones below the last included).
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether `lo..=hi` fits in `track`: a free cell between it and every span there, and where
    /// there is exactly one free cell, not one that `crossed` says a line crosses.
    pub fn fits(&self, track: usize, lo: i64, hi: i64, crossed: &impl Fn(i64) -> bool) -> bool {
        let Some(spans) = self.spans.get(track) else { return true };
        let next = spans.partition_point(|&(a, _)| a <= lo);
        let before = next.checked_sub(1).map(|i| spans[i]);
        let after = spans.get(next).copied();
        let clear_of_before =
            before.is_none_or(|(_, b)| b + 1 < lo && !(b + 2 == lo && crossed(b + 1)));
        let clear_of_after =
            after.is_none_or(|(a, _)| hi + 1 < a && !(hi + 2 == a && crossed(hi + 1)));
        clear_of_before && clear_of_after
    }

    /// Puts `lo..=hi` into `track`, adding empty tracks up to it.
    pub fn put(&mut self, track: usize, lo: i64, hi: i64) {
        if self.spans.len() <= track {
            self.spans.resize(track + 1, Vec::new());
        }
        let spans = &mut self.spans[track];
        let at = spans.partition_point(|&(a, _)| a <= lo);
        spans.insert(at, (lo, hi));
    }

    /// First fit: puts `lo..=hi` into the first track from `from` on where it fits, else into a
    /// new track past every other (and past `from`), and returns that track.
    pub fn first_fit(&mut self, from: usize, lo: i64, hi: i64) -> usize {
        let never = |_: i64| false;
        let track = (from..self.len())
            .find(|&t| self.fits(t, lo, hi, &never))
            .unwrap_or_else(|| self.len().max(from));
        self.put(track, lo, hi);
        track
    }
}

/// The constrained left-edge algorithm: fills one track at a time, top to bottom, with the spans
/// that fit and whose predecessors all lie in earlier tracks, so every constraint `p → k`
/// (`p` in `preds[k]`) ends with `p`'s track before `k`'s and the spans take few tracks.
///
/// `spans` are (first cell, last cell, item) sorted by first cell, for items `0..n`; `crossed`
/// says where a line crosses the tracks (see [`Tracks::fits`]). Returns each item's track
/// (`None` for one never placed, which only a cycle among `preds` can cause) and the number of
/// tracks used, counting one empty track the search gave up at, if any.
pub(super) fn left_edge(
    spans: &[(i64, i64, usize)],
    n: usize,
    preds: &[Vec<usize>],
    crossed: impl Fn(i64) -> bool,
) -> (Vec<Option<usize>>, usize) {
    // Each item waits for its predecessors by count, and learns the first track it may take
    // as they land: linear in the constraints, which can be many (one per crossing pair).
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting: Vec<usize> = vec![0; n];
    for (k, ps) in preds.iter().enumerate().take(n) {
        waiting[k] = ps.len();
        for &p in ps {
            succ[p].push(k);
        }
    }
    let mut earliest = vec![0usize; n];
    let mut tracks = Tracks::default();
    let mut track_of: Vec<Option<usize>> = vec![None; n];
    let mut left = n;
    let mut track = 0;
    while left > 0 {
        let mut took = false;
        let mut landed = Vec::new();
        for &(lo, hi, k) in spans {
            let ready = waiting[k] == 0 && earliest[k] <= track;
            if track_of[k].is_none() && ready && tracks.fits(track, lo, hi, &crossed) {
                tracks.put(track, lo, hi);
                track_of[k] = Some(track);
                landed.push(k);
                left -= 1;
                took = true;
            }
        }
        // Successors of this track's items may only start on the next one.
        for k in landed {
            for &s in &succ[k] {
                waiting[s] -= 1;
                earliest[s] = earliest[s].max(track + 1);
            }
        }
        if !took && track > n {
            break; // Unreachable for acyclic constraints; a guard against looping forever.
        }
        track += 1;
    }
    (track_of, track)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_share_a_track_only_with_a_free_cell_between() {
        let mut t = Tracks::default();
        assert_eq!(t.first_fit(0, 0, 2), 0);
        assert_eq!(t.first_fit(0, 3, 5), 1, "touching 0..=2: a new track");
        assert_eq!(t.first_fit(0, 4, 6), 0, "cell 3 is free between 0..=2 and 4..=6");
        assert_eq!(t.first_fit(0, 1, 1), 1, "cell 2 is free before 3..=5");
        assert_eq!(t.first_fit(0, 1, 4), 2);
        assert_eq!(t.first_fit(5, 0, 0), 5, "never before `from`");
        assert_eq!(t.len(), 6);
    }

    #[test]
    fn a_crossed_gap_of_one_cell_is_refused() {
        let mut t = Tracks::default();
        t.put(0, 0, 2);
        assert!(t.fits(0, 4, 5, &|_| false));
        assert!(!t.fits(0, 4, 5, &|row| row == 3));
        assert!(t.fits(0, 5, 6, &|row| row == 3), "two free cells: the corners stand apart");
    }

    #[test]
    fn left_edge_keeps_predecessors_in_earlier_tracks() {
        // 0 and 1 are apart and could share track 0, but 1 must follow 2, which overlaps 0.
        let spans = [(0, 2, 0), (1, 3, 2), (5, 6, 1)];
        let preds = vec![vec![], vec![2], vec![]];
        let (track_of, tracks) = left_edge(&spans, 3, &preds, |_| false);
        assert_eq!(track_of, [Some(0), Some(2), Some(1)]);
        assert_eq!(tracks, 3);
    }
}
