//! archdraw's layout, read from its `-f json` form, and the measures taken on it.

use serde::Deserialize;

use crate::crossings::orthogonal_crossings;

/// archdraw's layout (`archdraw render -f json`), the parts the benchmark reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Drawn {
    /// The flow direction drawn (`right`, `down`, `left`, `up`): a width limit may have turned
    /// the spec's flow down.
    pub direction: String,
    /// Canvas width in cells.
    pub width: usize,
    /// Canvas height in cells.
    pub height: usize,
    /// The boxes, in the spec's order.
    pub boxes: Vec<Block>,
    /// The services, in the spec's order.
    pub services: Vec<Block>,
    /// The group frames, in the spec's order.
    pub groups: Vec<Frame>,
    /// Every arrow's route: the spec's arrows first, then service arrows.
    pub routes: Vec<Route>,
    /// The arrows' labels.
    pub labels: Vec<Label>,
}

/// A rectangle of cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Rect {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
}

/// A line of text placed on the grid.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Line {
    /// `title`, `text`, `bullet` or `continuation`.
    pub kind: String,
    pub text: String,
    /// Width in cells.
    pub width: usize,
    pub x: i64,
    pub y: i64,
}

/// A box or a service block.
#[derive(Debug, Clone, Deserialize)]
pub struct Block {
    pub id: String,
    pub rect: Rect,
    pub lines: Vec<Line>,
}

/// A group's frame.
#[derive(Debug, Clone, Deserialize)]
pub struct Frame {
    pub id: String,
    pub rect: Rect,
    pub title: Line,
}

/// One end of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct End {
    /// `box` or `service`.
    pub kind: EndKind,
    pub index: usize,
}

/// What a route end is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndKind {
    Box,
    Service,
}

/// A cell of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Point {
    pub x: i64,
    pub y: i64,
}

/// One arrow's orthogonal polyline.
#[derive(Debug, Clone, Deserialize)]
pub struct Route {
    /// Routes sharing a trunk share a net.
    pub net: usize,
    /// The spec arrow's index, or `None` for a service arrow.
    pub edge: Option<usize>,
    pub from: End,
    pub to: End,
    /// Corner points, tail first.
    pub points: Vec<Point>,
}

/// An arrow's label.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    /// The spec arrow's index.
    pub edge: usize,
    pub lines: Vec<Line>,
}

impl Drawn {
    /// Reads `archdraw render -f json` output.
    ///
    /// # Errors
    ///
    /// JSON that is not an archdraw layout.
    pub fn from_json(json: &str) -> Result<Self, String> {
        serde_json::from_str(json).map_err(|e| format!("not an archdraw layout: {e}"))
    }

    /// Whether the flow runs down or up (ranks advance along rows).
    pub fn is_vertical(&self) -> bool {
        matches!(self.direction.as_str(), "down" | "up")
    }

    /// Crossing cells between routes of different nets (a trunk crossed counts once); see
    /// [`crate::crossings`].
    ///
    /// # Errors
    ///
    /// A diagonal segment.
    pub fn crossings(&self) -> Result<usize, String> {
        let routes: Vec<(usize, Vec<(i64, i64)>)> = self
            .routes
            .iter()
            .map(|r| (r.net, r.points.iter().map(|p| (p.x, p.y)).collect()))
            .collect();
        orthogonal_crossings(&routes)
    }

    /// Corners of every route, in route order.
    pub fn bends(&self) -> Vec<usize> {
        self.routes.iter().map(|r| corners(&r.points)).collect()
    }

    /// The label lines of spec arrow `edge`, top to bottom.
    pub fn label_lines(&self, edge: usize) -> Option<Vec<String>> {
        self.labels
            .iter()
            .find(|l| l.edge == edge)
            .map(|l| l.lines.iter().map(|line| line.text.clone()).collect())
    }
}

/// Corners of an orthogonal polyline: points where the direction changes (repeated and
/// collinear points are not corners).
pub fn corners(points: &[Point]) -> usize {
    let steps: Vec<(i64, i64)> = points
        .windows(2)
        .map(|w| ((w[1].x - w[0].x).signum(), (w[1].y - w[0].y).signum()))
        .filter(|&d| d != (0, 0))
        .collect();
    steps.windows(2).filter(|w| w[0] != w[1]).count()
}

/// How a text's words came out in a drawing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordCount {
    /// Words of the spec.
    pub words: usize,
    /// Words split across lines (the pieces, read in order, give the word).
    pub broken: usize,
    /// Words not drawn as written: rewritten, folded, or missing.
    pub changed: usize,
}

impl std::ops::AddAssign for WordCount {
    fn add_assign(&mut self, other: Self) {
        self.words += other.words;
        self.broken += other.broken;
        self.changed += other.changed;
    }
}

/// Compares the `words` of one spec text (a box's title, text and items in order, a label, …)
/// with the `lines` drawn for it.
///
/// Walks both in order: a drawn token equal to the word is the word, whole; a run of tokens
/// each ending its line and together spelling the word is the word broken; anything else is a
/// changed word (the walk then moves on one token, which resynchronises on the next word).
pub fn compare_words(words: &[&str], lines: &[&str]) -> WordCount {
    // (token, line index)
    let tokens: Vec<(&str, usize)> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.split_whitespace().map(move |t| (t, i)))
        .collect();
    let mut count = WordCount { words: words.len(), ..WordCount::default() };
    let mut i = 0;
    for &word in words {
        let Some(&(token, _)) = tokens.get(i) else {
            count.changed += 1;
            continue;
        };
        if token == word {
            i += 1;
            continue;
        }
        // Pieces: each one the last token of its line, the next the first of the next line.
        let mut spelled = token.to_owned();
        let mut j = i;
        while spelled.len() < word.len()
            && word.starts_with(&spelled)
            && j + 1 < tokens.len()
            && tokens[j + 1].1 == tokens[j].1 + 1
        {
            j += 1;
            spelled.push_str(tokens[j].0);
        }
        if j > i && spelled == word {
            count.broken += 1;
            i = j + 1;
        } else {
            count.changed += 1;
            i += 1;
        }
    }
    count
}

/// How far the boxes of a layered drawing spread along the cross axis, against what they need.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Stretch {
    /// The drawing's cross extent ÷ the fullest rank's boxes, at their natural sizes, packed with
    /// the same gaps: 1 when the fullest rank fills the drawing (the issue reports about 3 for
    /// the 10,000-box figure of its day).
    pub ratio: f64,
    /// The largest distance, in cells along the cross axis, between a box and its nearest
    /// parent (the parent whose centre is closest).
    pub max_parent_offset: f64,
    /// Boxes whose nearest parent is farther than the fullest rank's packed extent ÷ 4 along
    /// the cross axis (a child that far from every parent has drifted off).
    pub displaced: usize,
}

/// A box of a layered drawing, along the cross axis, in cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrossSpan {
    /// The box's rank in the generator's layering.
    pub rank: usize,
    /// First cell along the cross axis.
    pub start: f64,
    /// Length along the cross axis, as drawn.
    pub len: f64,
    /// Length along the cross axis at the box's natural size (before any stretching for pins):
    /// what the packed ranks are measured with, the same for every tool.
    pub natural: f64,
}

/// Measures [`Stretch`] for boxes with known ranks, `edges` as (parent, child) and `gap` the
/// cells left between neighbours in a rank.
pub fn stretch(boxes: &[CrossSpan], edges: &[(usize, usize)], gap: f64) -> Stretch {
    if boxes.is_empty() {
        return Stretch::default();
    }
    let ranks = boxes.iter().map(|b| b.rank).max().unwrap_or(0) + 1;
    let mut packed = vec![0.0f64; ranks];
    let mut count = vec![0usize; ranks];
    for b in boxes {
        packed[b.rank] += b.natural;
        count[b.rank] += 1;
    }
    let needed =
        (0..ranks).map(|r| packed[r] + gap * count[r].saturating_sub(1) as f64).fold(0.0, f64::max);
    let low = boxes.iter().map(|b| b.start).fold(f64::INFINITY, f64::min);
    let high = boxes.iter().map(|b| b.start + b.len).fold(f64::NEG_INFINITY, f64::max);

    let centre = |b: &CrossSpan| b.start + b.len / 2.0;
    let mut nearest = vec![f64::INFINITY; boxes.len()];
    for &(parent, child) in edges {
        let d = (centre(&boxes[child]) - centre(&boxes[parent])).abs();
        nearest[child] = nearest[child].min(d);
    }
    let offsets: Vec<f64> = nearest.into_iter().filter(|d| d.is_finite()).collect();
    Stretch {
        ratio: if needed > 0.0 { (high - low) / needed } else { 1.0 },
        max_parent_offset: offsets.iter().copied().fold(0.0, f64::max),
        displaced: offsets.iter().filter(|&&d| d > needed / 4.0).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(list: &[(i64, i64)]) -> Vec<Point> {
        list.iter().map(|&(x, y)| Point { x, y }).collect()
    }

    #[test]
    fn corners_count_changes_of_direction() {
        assert_eq!(corners(&pts(&[(0, 0), (5, 0)])), 0);
        assert_eq!(corners(&pts(&[(0, 0), (5, 0), (5, 3)])), 1);
        assert_eq!(corners(&pts(&[(0, 0), (5, 0), (5, 3), (9, 3)])), 2);
        // A collinear or repeated point is no corner.
        assert_eq!(corners(&pts(&[(0, 0), (2, 0), (2, 0), (5, 0), (5, 3)])), 1);
    }

    #[test]
    fn whole_broken_and_changed_words() {
        let whole = compare_words(&["Inventory", "service"], &["Inventory service"]);
        assert_eq!(whole, WordCount { words: 2, broken: 0, changed: 0 });
        let wrapped = compare_words(&["Inventory", "service"], &["Inventory", "service"]);
        assert_eq!(wrapped, WordCount { words: 2, broken: 0, changed: 0 });
        let broken = compare_words(&["Inventory", "service"], &["Inventor", "y service"]);
        assert_eq!(broken, WordCount { words: 2, broken: 1, changed: 0 });
        let three = compare_words(&["schema-on-read"], &["sche", "ma-on", "-read"]);
        assert_eq!(three, WordCount { words: 1, broken: 1, changed: 0 });
        let changed = compare_words(&["--full-refresh", "now"], &["~~full-refresh now"]);
        assert_eq!(changed, WordCount { words: 2, broken: 0, changed: 1 });
        // Pieces on one line are not a broken word: that is a changed one.
        let split = compare_words(&["OrderPlaced"], &["OrderPla ced"]);
        assert_eq!(split.changed, 1);
        let missing = compare_words(&["a", "b"], &["a"]);
        assert_eq!(missing, WordCount { words: 2, broken: 0, changed: 1 });
    }

    #[test]
    fn stretch_of_a_tidy_and_a_drifting_drawing() {
        // Two ranks of two boxes, 3 cells tall, gap 2: the fullest rank needs 8 cells.
        let span = |rank, start| CrossSpan { rank, start, len: 3.0, natural: 3.0 };
        let tidy = [span(0, 0.0), span(0, 5.0), span(1, 0.0), span(1, 5.0)];
        let edges = [(0, 2), (1, 3), (0, 3)];
        let s = stretch(&tidy, &edges, 2.0);
        assert_eq!(s, Stretch { ratio: 1.0, max_parent_offset: 0.0, displaced: 0 });
        // The last box drifts 40 cells away from both parents.
        let mut drift = tidy;
        drift[3].start = 45.0;
        let s = stretch(&drift, &edges, 2.0);
        assert_eq!(s.ratio, 6.0);
        assert_eq!(s.max_parent_offset, 40.0);
        assert_eq!(s.displaced, 1);
        // Boxes drawn taller than their natural size do not make the fullest rank "need" more.
        let mut tall = tidy;
        tall[0].len = 6.0;
        tall[1].start = 8.0;
        tall[1].len = 6.0;
        assert_eq!(stretch(&tall, &edges, 2.0).ratio, 14.0 / 8.0);
    }
}
