//! Terminal cell widths, the read-back's own: a grapheme is measured from the table in
//! `widths.rs` (generated from the Unicode Character Database by `widths.py`), never with the
//! `unicode-width` crate the library measures text with. So a width the library gets wrong
//! shows as a misaligned border here instead of being agreed with.
//!
//! A grapheme (an extended grapheme cluster: a base character and what modifies it) is
//!
//! - 0 cells if its first character is a combining mark, a format character (U+200B, the
//!   joiners, U+FEFF …) or a conjoining Hangul vowel or final: it has no cell of its own;
//! - 2 cells if its first character is East Asian Wide or Fullwidth (CJK, Hangul syllables,
//!   fullwidth forms, and every emoji with emoji presentation: `🚀`, and with its modifiers
//!   and joiners `👍🏽`, `👨‍👩‍👧`);
//! - 2 cells if it holds the emoji presentation selector U+FE0F after a base that is not a
//!   letter (`⚙️`, `❤️`, keycaps `1️⃣`), or is a pair of regional indicators (a flag, `🇯🇵`);
//! - 1 cell otherwise.
//!
//! Not modelled, because terminals do not agree on them: the text presentation selector
//! U+FE0E (`⭐︎`), East Asian Ambiguous characters (always 1 here), and characters added
//! after the table's Unicode version (always 1 here).

use super::widths::{WIDE, ZERO};

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let c = u32::from(c);
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Whether `c` alone is two cells wide.
pub fn is_wide(c: char) -> bool {
    in_table(WIDE, c)
}

/// Whether `c` takes no cell of its own.
pub fn is_zero_width(c: char) -> bool {
    in_table(ZERO, c)
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// The cells one grapheme takes in a terminal: 0, 1 or 2 (see the module documentation).
pub fn grapheme_width(g: &str) -> usize {
    let mut chars = g.chars();
    let Some(base) = chars.next() else { return 0 };
    if is_zero_width(base) {
        return 0;
    }
    if is_wide(base) {
        return 2;
    }
    let emoji_style = g.contains('\u{FE0F}') && !base.is_alphabetic();
    let flag = is_regional_indicator(base) && chars.next().is_some_and(is_regional_indicator);
    if emoji_style || flag { 2 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    #[test]
    fn the_table_is_sorted_and_disjoint() {
        for table in [WIDE, ZERO] {
            assert!(table.iter().all(|(lo, hi)| lo <= hi));
            assert!(table.windows(2).all(|w| w[0].1 < w[1].0), "overlapping or unsorted ranges");
        }
    }

    #[test]
    fn hand_picked_graphemes() {
        let cases = [
            ("a", 1),
            ("é", 1),
            ("e\u{301}", 1),
            ("数", 2),
            ("ｶ", 1),  // halfwidth katakana
            ("Ａ", 2), // fullwidth A
            ("한", 2),
            ("🚀", 2),
            ("👍🏽", 2),
            ("👨‍👩‍👧", 2),
            ("🇯🇵", 2),
            ("⚙️", 2),
            ("⚙", 1),
            ("1\u{FE0F}\u{20E3}", 2),
            ("\u{200B}", 0),
            ("\u{301}", 0),
            ("─", 1),
            ("▶", 1),
            ("•", 1),
        ];
        for (g, want) in cases {
            assert_eq!(grapheme_width(g), want, "{g:?}");
        }
    }

    /// The table agrees with unicode-width (what the library measures with) wherever terminals
    /// agree: every character of every block the gallery and the property tests write in, and
    /// every grapheme of the gallery's specs. A disagreement here means one of the two is wrong
    /// about how a terminal draws that text.
    #[test]
    fn agrees_with_unicode_width_where_terminals_agree() {
        use unicode_width::UnicodeWidthStr;
        let blocks: &[(u32, u32)] = &[
            (0x20, 0x7E),     // ASCII
            (0xA1, 0x24F),    // Latin-1, Latin Extended-A and -B
            (0x370, 0x3FF),   // Greek
            (0x400, 0x4FF),   // Cyrillic
            (0x2010, 0x205E), // general punctuation
            (0x2190, 0x21FF), // arrows
            (0x2500, 0x25FF), // box drawing, blocks, geometric shapes
            // Miscellaneous symbols, but for the trigram and digram symbols Unicode 16
            // made wide (terminals still draw them narrow).
            (0x2600, 0x262F),
            (0x2638, 0x2689),
            (0x2690, 0x26FF),
            (0x2700, 0x27BF), // dingbats
            // CJK punctuation, but for the Hangul tone marks (spacing marks, drawn 0 or 2).
            (0x3000, 0x302D),
            (0x3030, 0x303D),
            (0x3041, 0x30FF), // kana
            (0x4E00, 0x9FFF), // CJK ideographs
            (0xAC00, 0xD7A3), // Hangul syllables
            // Half- and fullwidth forms, but for the halfwidth Hangul filler (drawn 0 or 1).
            (0xFF01, 0xFF9F),
            (0xFFA1, 0xFFEE),
            (0x1F300, 0x1F64F), // pictographs, emoticons
            (0x1F680, 0x1F6D7), // transport
            (0x1F900, 0x1F9FF), // supplemental symbols and pictographs
        ];
        let mut differ = Vec::new();
        for &(lo, hi) in blocks {
            for c in (lo..=hi).filter_map(char::from_u32) {
                let s = c.to_string();
                if grapheme_width(&s) != s.width() {
                    differ.push(format!(
                        "U+{:04X} ours {} theirs {}",
                        u32::from(c),
                        grapheme_width(&s),
                        s.width()
                    ));
                }
            }
        }
        let specs = concat!(env!("CARGO_MANIFEST_DIR"), "/specs");
        for entry in std::fs::read_dir(specs).expect("specs/") {
            let text = std::fs::read_to_string(entry.expect("an entry").path()).expect("a spec");
            for g in text.graphemes(true).filter(|g| !g.chars().any(char::is_control)) {
                if grapheme_width(g) != g.width() {
                    differ.push(format!("{g:?} ours {} theirs {}", grapheme_width(g), g.width()));
                }
            }
        }
        assert!(differ.is_empty(), "{} differences:\n{}", differ.len(), differ.join("\n"));
    }
}
