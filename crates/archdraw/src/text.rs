//! Text measured in terminal cells, one grapheme per cell.
//!
//! Width is measured per grapheme cluster with `unicode-width`, never per `char`: a flag, a
//! skin-toned emoji or a ZWJ family is one grapheme two cells wide, and summing char widths
//! gets those wrong. Graphemes of width zero on their own (U+200B and friends) are dropped so
//! that every kept grapheme owns at least one cell.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Tabs in user text become this many spaces.
pub const TAB_WIDTH: usize = 4;

/// The graphemes of `s` with their width in cells (1 or 2); zero-width graphemes are skipped.
pub fn graphemes(s: &str) -> impl Iterator<Item = (&str, usize)> {
    // Printable ASCII, most text of most diagrams, is one one-cell grapheme per byte:
    // segmenting it costs more than it says.
    let ascii = s.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
    let (simple, segmented) = if ascii { (Some(s), None) } else { (None, Some(s)) };
    let simple = simple.into_iter().flat_map(|s| (0..s.len()).map(move |i| (&s[i..=i], 1)));
    let segmented = segmented.into_iter().flat_map(|s| {
        s.graphemes(true).filter_map(|g| {
            let w = g.width();
            (w > 0).then_some((g, w.min(2)))
        })
    });
    simple.chain(segmented)
}

/// Whether grapheme `g`, right at the end of a line, could read as part of a drawing's lines:
/// an ASCII line glyph or arrowhead of either direction (`- | + < > ^ v`), or any box-drawing,
/// block, arrow or geometric-shape character. Text the layout glues a line to must not start
/// with one: a `|` under a vertical line reads as the line going on, and a `-` under it (the
/// `--` of `<!--`) as a line it joins, in either case a line that ends nowhere.
///
/// ```
/// use archdraw::text::reads_as_a_line;
/// assert!(reads_as_a_line("|") && reads_as_a_line("-") && reads_as_a_line(">"));
/// assert!(reads_as_a_line("─") && reads_as_a_line("→"));
/// assert!(!reads_as_a_line("a") && !reads_as_a_line("数"));
/// ```
pub fn reads_as_a_line(g: &str) -> bool {
    g.chars().any(|c| {
        "-|+<>^v".contains(c)
            || ('\u{2190}'..='\u{21FF}').contains(&c)
            || ('\u{2500}'..='\u{25FF}').contains(&c)
    })
}

/// The width of `s` in terminal cells, measured grapheme by grapheme.
///
/// ```
/// use archdraw::text::width;
/// assert_eq!(width("abc"), 3);
/// assert_eq!(width("数据"), 4);
/// assert_eq!(width("👍🏽"), 2);
/// ```
pub fn width(s: &str) -> usize {
    if s.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return s.len();
    }
    graphemes(s).map(|(_, w)| w).sum()
}

/// Whether `c` changes how the text around it is ordered or broken while drawing as nothing:
/// the bidirectional controls and marks (U+200E, U+200F, U+061C, U+202A–U+202E,
/// U+2066–U+2069), the line and paragraph separators and the tag characters
/// (U+E0000–U+E007F). Messages and file names show such characters escaped, like control
/// characters, so quoting a name cannot reorder the message around it.
///
/// ```
/// use archdraw::model::text::is_hidden_control;
/// assert!(is_hidden_control('\u{202e}') && is_hidden_control('\u{e0041}'));
/// assert!(!is_hidden_control('a') && !is_hidden_control('א'));
/// ```
pub const fn is_hidden_control(c: char) -> bool {
    matches!(
        c,
        '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}' | '\u{e0000}'..='\u{e007f}'
    )
}

/// One line of text and its width in cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextLine {
    /// The text, without line breaks or control characters.
    pub text: String,
    /// Width in terminal cells.
    pub width: usize,
}

impl TextLine {
    /// Measures `text`, which must not contain a line break.
    pub fn new(text: &str) -> Self {
        let text: String = graphemes(text).map(|(g, _)| g).collect();
        let width = width(&text);
        Self { text, width }
    }
}

/// A paragraph of lines, each measured.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct TextBlock {
    /// The lines, top to bottom.
    pub lines: Vec<TextLine>,
}

impl TextBlock {
    /// Splits `text` at explicit line breaks (`\n`, `\r\n`), turns tabs into spaces and trims
    /// trailing spaces. Control characters must have been rejected before.
    ///
    /// ```
    /// use archdraw::text::TextBlock;
    /// let block = TextBlock::new("Speed Layer\n(Flink)");
    /// assert_eq!(block.height(), 2);
    /// assert_eq!(block.width(), 11);
    /// ```
    pub fn new(text: &str) -> Self {
        let lines = text
            .lines()
            .map(|line| TextLine::new(line.replace('\t', &" ".repeat(TAB_WIDTH)).trim_end()))
            .collect();
        Self { lines }
    }

    /// Width of the widest line.
    pub fn width(&self) -> usize {
        self.lines.iter().map(|l| l.width).max().unwrap_or(0)
    }

    /// Number of lines.
    pub fn height(&self) -> usize {
        self.lines.len()
    }

    /// Whether there is no visible text at all.
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.width == 0)
    }

    /// Word-wraps every line to at most `max` cells (at least 1). Words longer than `max` are
    /// broken between graphemes; explicit line breaks are kept.
    ///
    /// ```
    /// use archdraw::text::TextBlock;
    /// let wrapped = TextBlock::new("Iceberg / Delta Lake").wrap(10);
    /// let lines: Vec<_> = wrapped.lines.iter().map(|l| l.text.as_str()).collect();
    /// assert_eq!(lines, ["Iceberg /", "Delta Lake"]);
    /// ```
    pub fn wrap(&self, max: usize) -> TextBlock {
        let max = max.max(2);
        let mut lines = Vec::new();
        for line in &self.lines {
            if line.width <= max {
                lines.push(line.clone());
                continue;
            }
            wrap_line(&line.text, max, &mut lines);
        }
        TextBlock { lines }
    }
}

/// Greedy word wrap of one line into `out`.
fn wrap_line(text: &str, max: usize, out: &mut Vec<TextLine>) {
    let mut current = String::new();
    let mut current_width = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word_width = width(word);
        let needed = if current.is_empty() { word_width } else { current_width + 1 + word_width };
        if needed <= max {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            current_width = needed;
            continue;
        }
        if !current.is_empty() {
            out.push(TextLine { text: std::mem::take(&mut current), width: current_width });
            current_width = 0;
        }
        if word_width <= max {
            current.push_str(word);
            current_width = word_width;
            continue;
        }
        // A word longer than the whole line: break it between graphemes.
        for (g, w) in graphemes(word) {
            if current_width + w > max {
                out.push(TextLine { text: std::mem::take(&mut current), width: current_width });
                current_width = 0;
            }
            current.push_str(g);
            current_width += w;
        }
    }
    if !current.is_empty() {
        out.push(TextLine { text: current, width: current_width });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the layout's word counting relies on to skip measuring short words.
    #[test]
    fn no_character_is_wider_than_its_utf8_bytes() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            assert!(width(s) <= s.len(), "{c:?} is {} cells in {} bytes", width(s), s.len());
        }
    }

    #[test]
    fn wide_graphemes_take_two_cells() {
        assert_eq!(width("用户登录"), 8);
        assert_eq!(width("👨‍👩‍👧"), 2);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("a\u{200B}b"), 2);
    }

    #[test]
    fn printable_ascii_is_measured_as_segmenting_it_would() {
        let ascii: String = (b' '..=b'~').map(char::from).collect();
        let segmented: Vec<(&str, usize)> =
            ascii.graphemes(true).map(|g| (g, g.width().min(2))).collect();
        assert_eq!(graphemes(&ascii).collect::<Vec<_>>(), segmented);
        assert_eq!(width(&ascii), segmented.len());
        // Any other character sends the whole text down the segmenting path.
        assert_eq!(graphemes("a\u{200B}e\u{301}").collect::<Vec<_>>(), [("a", 1), ("e\u{301}", 1)]);
    }

    #[test]
    fn wrap_breaks_long_words_between_graphemes() {
        let lines: Vec<_> =
            TextBlock::new("数据数据数据").wrap(5).lines.into_iter().map(|l| l.text).collect();
        assert_eq!(lines, ["数据", "数据", "数据"]);
    }

    #[test]
    fn tabs_become_spaces_and_trailing_spaces_go() {
        let block = TextBlock::new("a\tb  \nc");
        assert_eq!(block.lines[0].text, "a    b");
        assert_eq!(block.lines[1].text, "c");
    }
}
