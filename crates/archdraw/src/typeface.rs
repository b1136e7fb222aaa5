//! The bundled typefaces and their metrics: how wide a line of text comes out on the page.
//!
//! Shared by the SVG renderer, which sizes its page grid by them and embeds the fonts
//! (`render::svg::font` has the files' story and the subsetter), and by the layout's page
//! fitting, which estimates a candidate drawing's shape on the page before choosing it.

use ttf_parser::Face;

/// The size text is set at on the page, in pixels.
pub(crate) const PAGE_FONT_SIZE: i64 = 16;

/// A bundled typeface, regular and bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Typeface {
    Sans,
    Mono,
    /// Comic Neue, for the sketch style.
    Hand,
}

static SANS_REGULAR: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");
static MONO_REGULAR: &[u8] = include_bytes!("../fonts/NotoSansMono-Regular.ttf");
static MONO_BOLD: &[u8] = include_bytes!("../fonts/NotoSansMono-Bold.ttf");
static HAND_REGULAR: &[u8] = include_bytes!("../fonts/ComicNeue-Regular.ttf");
static HAND_BOLD: &[u8] = include_bytes!("../fonts/ComicNeue-Bold.ttf");

impl Typeface {
    /// Every bundled typeface.
    #[cfg_attr(not(feature = "png"), allow(dead_code))]
    pub(crate) const ALL: [Typeface; 3] = [Typeface::Sans, Typeface::Mono, Typeface::Hand];

    /// The family name in the font files' `name` tables, which resvg looks fonts up by.
    pub(crate) const fn family(self) -> &'static str {
        match self {
            Typeface::Sans => "Noto Sans",
            Typeface::Mono => "Noto Sans Mono",
            Typeface::Hand => "Comic Neue",
        }
    }

    /// A short name for the embedded family's name.
    pub(crate) const fn key(self) -> &'static str {
        match self {
            Typeface::Sans => "sans",
            Typeface::Mono => "mono",
            Typeface::Hand => "hand",
        }
    }

    /// The generic family a viewer falls back to for characters the font lacks.
    pub(crate) const fn generic(self) -> &'static str {
        match self {
            Typeface::Sans | Typeface::Hand => "sans-serif",
            Typeface::Mono => "monospace",
        }
    }

    /// The font file of the regular or bold face.
    pub(crate) const fn data(self, bold: bool) -> &'static [u8] {
        match (self, bold) {
            (Typeface::Sans, false) => SANS_REGULAR,
            (Typeface::Sans, true) => SANS_BOLD,
            (Typeface::Mono, false) => MONO_REGULAR,
            (Typeface::Mono, true) => MONO_BOLD,
            (Typeface::Hand, false) => HAND_REGULAR,
            (Typeface::Hand, true) => HAND_BOLD,
        }
    }
}

/// What a grapheme the font lacks is measured as, per terminal cell, in thousandths of an em:
/// a viewer draws it in some fallback font, whose CJK and emoji glyphs run 1 to 1.3 em for
/// two cells. Measuring generously only ever makes a line smaller, never lets it overflow.
const MISSING_PER_CELL: i64 = 650;

/// Horizontal and vertical metrics of one face, in font units.
#[derive(Debug)]
pub(crate) struct Metrics {
    face: Option<Face<'static>>,
    /// The advances of printable ASCII (`' '..='~'`), looked up once: most text is ASCII.
    ascii: [Option<i64>; 95],
    /// Font units per em.
    pub(crate) units_per_em: i64,
    /// Height above the baseline of the line box.
    pub(crate) ascender: i64,
    /// Depth below the baseline of the line box, positive.
    pub(crate) descender: i64,
}

impl Metrics {
    pub(crate) fn new(typeface: Typeface, bold: bool) -> Self {
        // The bundled fonts always parse (a unit test says so); if one ever did not, text is
        // measured by terminal cells instead, which still never panics.
        let face = Face::parse(typeface.data(bold), 0).ok();
        let (units_per_em, ascender, descender) = face.as_ref().map_or((1000, 1069, 293), |f| {
            let upem = i64::from(f.units_per_em());
            (upem, i64::from(f.ascender()), -i64::from(f.descender()))
        });
        let mut metrics = Self {
            face,
            ascii: [None; 95],
            units_per_em: units_per_em.max(1),
            ascender,
            descender,
        };
        for (slot, c) in (0..95).zip(' '..='~') {
            metrics.ascii[slot] = metrics.advance(c);
        }
        metrics
    }

    /// The advance of `c` in font units, if the face has a glyph for it.
    fn advance(&self, c: char) -> Option<i64> {
        let face = self.face.as_ref()?;
        let glyph = face.glyph_index(c)?;
        face.glyph_hor_advance(glyph).map(i64::from)
    }

    /// Whether the face draws `c` itself (the PNG renderer names what it cannot draw).
    #[cfg(any(feature = "png", test))]
    pub(crate) fn has(&self, c: char) -> bool {
        self.face.as_ref().and_then(|f| f.glyph_index(c)).is_some()
    }

    /// The width of `text` in font units: glyph advances summed, no kerning (the bundled fonts
    /// have none). A grapheme with any character the face lacks counts [`MISSING_PER_CELL`]
    /// per terminal cell.
    pub(crate) fn width(&self, text: &str) -> i64 {
        // Printable ASCII characters are graphemes of one cell each: no segmenting needed.
        if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            let missing = MISSING_PER_CELL * self.units_per_em / 1000;
            return text
                .bytes()
                .map(|b| self.ascii[usize::from(b - b' ')].unwrap_or(missing))
                .sum();
        }
        crate::text::graphemes(text)
            .map(|(grapheme, cells)| {
                let advances: Option<i64> = grapheme.chars().map(|c| self.advance(c)).sum();
                let missing = cells as i64 * MISSING_PER_CELL * self.units_per_em / 1000;
                advances.unwrap_or(missing)
            })
            .sum()
    }

    /// The drawn width of `text` set at `size` pixels, in whole pixels rounded up.
    pub(crate) fn pixels(&self, text: &str, size: i64) -> i64 {
        let (units, upem) = (self.width(text), self.units_per_em);
        (units * size + upem - 1) / upem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_parse_and_cover_what_specs_use() {
        for typeface in Typeface::ALL {
            for bold in [false, true] {
                let metrics = Metrics::new(typeface, bold);
                assert!(metrics.face.is_some(), "{typeface:?} bold={bold}");
                for c in "AZaz09 •→—…éßΩЖ".chars() {
                    assert!(metrics.has(c), "{typeface:?} bold={bold} lacks {c:?}");
                }
            }
        }
    }

    #[test]
    fn widths_follow_the_advances() {
        let sans = Metrics::new(Typeface::Sans, false);
        assert!(sans.width("WWWW") > 3 * sans.width("iiii"), "proportional");
        assert_eq!(sans.width("ab"), sans.width("a") + sans.width("b"), "no kerning");
        let mono = Metrics::new(Typeface::Mono, false);
        assert_eq!(mono.width("WWWW"), mono.width("iiii"));
        assert_eq!(mono.width("W"), 600, "Noto Sans Mono advances 0.6 em");
        // CJK is not in the font: two cells, measured at 0.65 em a cell.
        assert_eq!(sans.width("数"), 1300);
        assert_eq!(sans.width("👍🏽"), 1300, "one grapheme, not two emoji");
    }

    #[test]
    fn pixels_round_up() {
        let sans = Metrics::new(Typeface::Sans, false);
        let units = sans.width("Ingest");
        let px = sans.pixels("Ingest", 16);
        assert!(px * sans.units_per_em >= units * 16, "{px} px");
        assert!((px - 1) * sans.units_per_em < units * 16, "{px} px");
    }
}
