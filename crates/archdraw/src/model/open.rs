//! Text drawn in the open (service text, arrow labels, group titles), kept from reading as
//! part of a line in the text renderers.
//!
//! Outside a box nothing but blanks separates text from the lines around it, so text written
//! with the glyphs lines are drawn with reads exactly like a line: `S00 ->` under a service
//! looks like a line ending in an arrowhead that points at no box, and a label `L00 --` on a
//! horizontal line (`-- L00 -- --`) hides where the label ends. The rule, for both charsets:
//! **text in the open never uses a glyph lines are drawn with, except a `-` or `|` between
//! two letters or digits (`real-time`, `a|b`) and a `+` right after one (`C++`), which read
//! as part of a word.** Everything else is replaced by a look-alike that is not a line glyph,
//! one cell for one cell. In Unicode the heads `▶◀▲▼` are replaced too; in ASCII `> < ^ v` stay
//! (`v` is a letter), as they read as heads only at the end of a line, and no line is left in
//! the text to feed them.
//!
//! Text inside a box's border is left alone: the border tells it from lines. The diagram's
//! title is not drawn by the text renderers.

use super::Diagram;
use crate::text::{TextBlock, TextLine};

/// `text` (as written, or [folded](super::ascii::fold)) with every `-`, `|` and `+` that
/// could read as a line replaced: a dash run touching `<` or `>` becomes `=` (an arrow in words
/// stays an arrow, `->` becomes `=>`), any other dash run `~`, a `|` becomes `/` and a `+`
/// becomes `&`. Hyphens and bars between two letters or digits, and `+` after one, stay.
///
/// ```
/// use archdraw::model::open::ascii;
/// assert_eq!(ascii("ETL -> CRM"), "ETL => CRM");
/// assert_eq!(ascii("a <-> b, c <-- d"), "a <=> b, c <== d");
/// assert_eq!(ascii("real-time -- nightly - 5"), "real-time ~~ nightly ~ 5");
/// assert_eq!(ascii("GET | POST, a|b, C++ + Rust"), "GET / POST, a|b, C++ & Rust");
/// ```
pub fn ascii(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let word = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|c| c.is_alphanumeric());
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !matches!(c, '-' | '|' | '+') {
            out.push(c);
            i += 1;
            continue;
        }
        let end = (i..chars.len()).find(|&j| chars[j] != c).unwrap_or(chars.len());
        let (before, after) = (i.checked_sub(1), Some(end));
        let keep = match c {
            '+' => word(before),
            _ => end - i == 1 && word(before) && word(after),
        };
        let spelled = match c {
            _ if keep => c,
            '-' if before.is_some_and(|b| chars[b] == '<') || chars.get(end) == Some(&'>') => '=',
            '-' => '~',
            '|' => '/',
            _ => '&',
        };
        out.extend(std::iter::repeat_n(spelled, end - i));
        i = end;
    }
    out
}

/// `text` with every glyph the Unicode text renderer draws lines, arrowheads and frame
/// borders with replaced by its ASCII look-alike, which `-f text` never draws lines with:
/// `─` and `┄` become `-`, `│` and `┆` `|`, corners, tees and `┼` `+`, heads `> < ^ v`.
///
/// ```
/// use archdraw::model::open::unicode;
/// assert_eq!(unicode("a ─▶ b │ c ┼ d"), "a -> b | c + d");
/// assert_eq!(unicode("Zürich → 数据"), "Zürich → 数据");
/// ```
pub fn unicode(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '─' | '┄' => '-',
            '│' | '┆' => '|',
            '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' | '╭' | '╮' | '╰' | '╯' => {
                '+'
            }
            '▶' => '>',
            '◀' => '<',
            '▲' => '^',
            '▼' => 'v',
            _ => c,
        })
        .collect()
}

fn block(b: &TextBlock, f: fn(&str) -> String) -> TextBlock {
    TextBlock { lines: b.lines.iter().map(|l| TextLine::new(&f(&l.text))).collect() }
}

impl Diagram {
    /// Applies `f` to every text the text renderer draws in the open: service text, arrow
    /// labels and group titles (the diagram's title is not drawn in text).
    pub(crate) fn map_open_text(&mut self, f: fn(&str) -> String) {
        for edge in &mut self.edges {
            edge.label = edge.label.as_ref().map(|l| block(l, f));
        }
        for service in &mut self.services {
            service.title = block(&service.title, f);
            service.text = block(&service.text, f);
        }
        for group in &mut self.groups {
            // A group title sits in its frame's border, where a `|` even between letters reads
            // as a line crossing the border.
            let title = block(&group.title, f);
            group.title = TextBlock {
                lines: title
                    .lines
                    .iter()
                    .map(|l| TextLine::new(&l.text.replace('|', "/")))
                    .collect(),
            };
        }
    }

    /// The same diagram with the text drawn in the open cleared of the glyphs `-f text` draws
    /// lines with (see [`unicode`]); text inside boxes is kept as written.
    ///
    /// ```
    /// use archdraw::{parse, Diagram};
    /// let spec = parse("boxes: [{id: a, title: A}]\nservices: [{id: s, title: a ─▶ b, serves: a}]");
    /// let diagram = Diagram::from_spec(&spec.unwrap()).unwrap().to_unicode_text();
    /// assert_eq!(diagram.services[0].title.lines[0].text, "a -> b");
    /// ```
    pub fn to_unicode_text(&self) -> Diagram {
        let mut d = self.clone();
        d.map_open_text(unicode);
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_keeps_words_and_replaces_line_glyphs() {
        assert_eq!(ascii("-"), "~");
        assert_eq!(ascii("->"), "=>");
        assert_eq!(ascii("<-"), "<=");
        assert_eq!(ascii("-5"), "~5");
        assert_eq!(ascii("a-"), "a~");
        assert_eq!(ascii("a--b"), "a~~b");
        assert_eq!(ascii("a->b"), "a=>b");
        assert_eq!(ascii("+/-"), "&/~");
        assert_eq!(ascii("x+/-1"), "x+/~1");
        assert_eq!(ascii("|"), "/");
        assert_eq!(ascii("a||b"), "a//b");
        assert_eq!(ascii("v > ^ <"), "v > ^ <");
    }
}
