//! User text for `-f ascii`, prepared before layout so boxes are sized for the text drawn.
//!
//! The ASCII charset promises a 7-bit *drawing* (lines, corners, heads, bullets); the user's
//! words are kept as written, `Café`, `→` and `数据` included. Only when asked
//! ([`AsciiText::Fold`](crate::style::AsciiText), `--ascii-text fold`) is the text folded to
//! 7-bit too: common typographic symbols get their usual ASCII spelling (`→` becomes `->`),
//! accented Latin letters lose their accents, and anything else becomes `?` per grapheme.

use unicode_segmentation::UnicodeSegmentation;

use super::Diagram;
use crate::text::{TextBlock, TextLine};

/// Spells `s` in 7-bit ASCII.
///
/// ```
/// use archdraw::model::ascii::fold;
/// assert_eq!(fold("Reverse ETL → CRM"), "Reverse ETL -> CRM");
/// assert_eq!(fold("Café — naïve"), "Cafe -- naive");
/// assert_eq!(fold("数据"), "??");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for g in s.graphemes(true) {
        if g.is_ascii() {
            out.push_str(g);
            continue;
        }
        let base = g.chars().next().unwrap_or('?');
        match symbol(base) {
            Some(spelled) => out.push_str(spelled),
            None => out.push(latin(base).unwrap_or('?')),
        }
    }
    out
}

fn symbol(c: char) -> Option<&'static str> {
    Some(match c {
        '→' | '⟶' | '➔' | '➜' => "->",
        '←' | '⟵' => "<-",
        '↔' | '⟷' => "<->",
        '⇒' => "=>",
        '⇐' => "<=",
        '↑' => "^",
        '↓' => "v",
        '—' | '―' => "--",
        '–' | '‐' | '‑' | '−' => "-",
        '…' => "...",
        '“' | '”' | '„' | '«' | '»' => "\"",
        '‘' | '’' | '‚' | '′' => "'",
        '•' | '·' | '∙' | '●' => "*",
        '×' => "x",
        '÷' => "/",
        '≤' => "<=",
        '≥' => ">=",
        '≠' => "!=",
        '≈' => "~",
        '±' => "+/-",
        '©' => "(c)",
        '®' => "(R)",
        '™' => "(TM)",
        '°' => "deg",
        '€' => "EUR",
        '£' => "GBP",
        '\u{a0}' | '\u{2007}' | '\u{202f}' => " ",
        _ => return None,
    })
}

/// The unaccented letter for Latin-1 and common Latin Extended-A letters.
fn latin(c: char) -> Option<char> {
    const TABLE: &[(&str, char)] = &[
        ("ÀÁÂÃÄÅĀĂĄ", 'A'),
        ("àáâãäåāăą", 'a'),
        ("ÇĆĈĊČ", 'C'),
        ("çćĉċč", 'c'),
        ("ĎĐ", 'D'),
        ("ďđ", 'd'),
        ("ÈÉÊËĒĔĖĘĚ", 'E'),
        ("èéêëēĕėęě", 'e'),
        ("ĜĞĠĢ", 'G'),
        ("ĝğġģ", 'g'),
        ("ÌÍÎÏĨĪĬĮİ", 'I'),
        ("ìíîïĩīĭįı", 'i'),
        ("ŁĹĻĽ", 'L'),
        ("łĺļľ", 'l'),
        ("ÑŃŅŇ", 'N'),
        ("ñńņň", 'n'),
        ("ÒÓÔÕÖØŌŎŐ", 'O'),
        ("òóôõöøōŏő", 'o'),
        ("ŔŖŘ", 'R'),
        ("ŕŗř", 'r'),
        ("ŚŜŞŠ", 'S'),
        ("śŝşšß", 's'),
        ("ŢŤ", 'T'),
        ("ţť", 't'),
        ("ÙÚÛÜŨŪŬŮŰŲ", 'U'),
        ("ùúûüũūŭůűų", 'u'),
        ("ÝŸ", 'Y'),
        ("ýÿ", 'y'),
        ("ŹŻŽ", 'Z'),
        ("źżž", 'z'),
    ];
    TABLE.iter().find(|(from, _)| from.contains(c)).map(|&(_, to)| to)
}

fn fold_block(block: &TextBlock) -> TextBlock {
    TextBlock { lines: block.lines.iter().map(|l| TextLine::new(&fold(&l.text))).collect() }
}

impl Diagram {
    /// The same diagram with every text folded to 7-bit ASCII (see [`fold`]): what
    /// `--ascii-text fold` draws. The words then differ from the spec's; by default the ASCII
    /// drawing keeps them as written (only its lines are 7-bit).
    ///
    /// ```
    /// use archdraw::{parse, Diagram};
    /// let spec = parse("boxes: [{id: a, title: Ingest → Lake}]\narrows: [{a -> a: ETL → CRM}]");
    /// let diagram = Diagram::from_spec(&spec.unwrap()).unwrap().to_ascii_folded();
    /// assert_eq!(diagram.nodes[0].title.lines[0].text, "Ingest -> Lake");
    /// assert_eq!(diagram.edges[0].label.as_ref().unwrap().lines[0].text, "ETL -> CRM");
    /// ```
    pub fn to_ascii_folded(&self) -> Diagram {
        let mut d = self.clone();
        d.title = d.title.as_deref().map(fold);
        for node in &mut d.nodes {
            node.title = fold_block(&node.title);
            node.text = fold_block(&node.text);
            node.items = node.items.iter().map(fold_block).collect();
        }
        for edge in &mut d.edges {
            edge.label = edge.label.as_ref().map(fold_block);
        }
        for service in &mut d.services {
            service.title = fold_block(&service.title);
            service.text = fold_block(&service.text);
        }
        for group in &mut d.groups {
            group.title = fold_block(&group.title);
        }
        d
    }
}
