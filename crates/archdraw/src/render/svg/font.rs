//! The bundled typefaces embedded in the SVG: subsets of them holding the glyphs a drawing
//! uses. Their metrics live in [`crate::typeface`], which the layout's page fitting shares.
//!
//! # The fonts
//!
//! `crates/archdraw/fonts/` holds Noto Sans, Noto Sans Mono and Comic Neue (for the sketch
//! style), regular and bold, all under the SIL Open Font License 1.1 (the licence texts lie
//! beside them). `prepare.py` there made them from Debian's packages: cut down to Latin, Greek,
//! Cyrillic, punctuation, arrows and shapes, without hinting, and without kerning or ligature
//! tables, so every renderer places glyphs by their `hmtx` advances alone: exactly the widths
//! measured here.
//!
//! # Why our own subsetter
//!
//! An SVG embeds only the glyphs it draws. The Rust subsetters on crates.io did not fit:
//! `subsetter` (typst's) says of its own output that it is for PDF only, with the `cmap` table
//! removed, which browsers need; `allsorts` writes web-ready subsets but brings 45 crates,
//! among them C zlib and self-referential structs, into a library whose SVG path has had six
//! small dependencies. Our fonts are ours to prepare, so the subsetter here only has to handle
//! what they hold: TrueType outlines (simple and composite glyphs), BMP characters, and the
//! eleven tables a browser's font sanitiser (OTS in Chromium) asks for. The browser test loads
//! every subset in Chromium and fails if one is rejected.

use std::collections::{BTreeMap, BTreeSet};

use ttf_parser::{Face, GlyphId, Tag};

pub(crate) use crate::typeface::{Metrics, Typeface};

/// `bytes` in standard base64 with padding (RFC 4648 §4): the alphabet `A–Z a–z 0–9 + /` and
/// `=`, none of which means anything in XML or inside a CSS `url(…)`.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn read_u16(data: &[u8], at: usize) -> Option<u16> {
    data.get(at..at.checked_add(2)?).map(|b| u16::from_be_bytes([b[0], b[1]]))
}

fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at.checked_add(4)?).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn write_u16(data: &mut [u8], at: usize, value: u16) {
    if let Some(slot) = data.get_mut(at..at + 2) {
        slot.copy_from_slice(&value.to_be_bytes());
    }
}

fn write_u32(data: &mut [u8], at: usize, value: u32) {
    if let Some(slot) = data.get_mut(at..at + 4) {
        slot.copy_from_slice(&value.to_be_bytes());
    }
}

/// The byte offsets of the glyph ids in a composite glyph's component records; none for a
/// simple glyph. `None` if the records run past the glyph's end.
fn component_offsets(glyph: &[u8]) -> Option<Vec<usize>> {
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAVE_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const HAVE_XY_SCALE: u16 = 0x0040;
    const HAVE_TWO_BY_TWO: u16 = 0x0080;
    let mut offsets = Vec::new();
    // numberOfContours, then the bounding box: ten bytes; negative contours mean composite.
    if glyph.len() < 10 || (read_u16(glyph, 0)? as i16) >= 0 {
        return Some(offsets);
    }
    let mut at = 10;
    loop {
        let flags = read_u16(glyph, at)?;
        read_u16(glyph, at + 2)?;
        offsets.push(at + 2);
        at += 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        at += if flags & HAVE_SCALE != 0 {
            2
        } else if flags & HAVE_XY_SCALE != 0 {
            4
        } else if flags & HAVE_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE_COMPONENTS == 0 {
            return Some(offsets);
        }
    }
}

/// A `cmap` table with one format 4 subtable (Windows, Unicode BMP) mapping `pairs`, sorted by
/// character, to their new glyph ids. Runs of consecutive characters on consecutive glyphs share
/// a segment.
fn cmap(pairs: &[(u16, u16)]) -> Vec<u8> {
    // (start, end, delta) per segment, then the required final 0xFFFF segment.
    let mut segments: Vec<(u16, u16, u16)> = Vec::new();
    for &(code, glyph) in pairs {
        let delta = glyph.wrapping_sub(code);
        match segments.last_mut() {
            Some((_, end, d)) if *d == delta && end.checked_add(1) == Some(code) => *end = code,
            _ => segments.push((code, code, delta)),
        }
    }
    if segments.last().is_none_or(|s| s.1 != 0xFFFF) {
        segments.push((0xFFFF, 0xFFFF, 1));
    }
    let count = segments.len() as u16;
    let search_range = 2 * (1u16 << (15 - count.leading_zeros()));
    let entry_selector = (search_range / 2).trailing_zeros() as u16;
    let length = 16 + 8 * segments.len();
    let mut out = Vec::with_capacity(12 + length);
    // Header: version 0, one encoding record (platform 3, encoding 1) at offset 12.
    for v in [0u16, 1, 3, 1] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&12u32.to_be_bytes());
    for v in
        [4, length as u16, 0, count * 2, search_range, entry_selector, count * 2 - search_range]
    {
        out.extend_from_slice(&v.to_be_bytes());
    }
    segments.iter().for_each(|s| out.extend_from_slice(&s.1.to_be_bytes()));
    out.extend_from_slice(&0u16.to_be_bytes());
    segments.iter().for_each(|s| out.extend_from_slice(&s.0.to_be_bytes()));
    segments.iter().for_each(|s| out.extend_from_slice(&s.2.to_be_bytes()));
    segments.iter().for_each(|_| out.extend_from_slice(&0u16.to_be_bytes()));
    out
}

/// The OpenType checksum: the table as big-endian 32-bit words, zero-padded, summed.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// A TrueType font holding only the glyphs `font` draws `chars` with (and `.notdef`, and the
/// parts of composite glyphs), renumbered from 0, with a `cmap` for exactly those characters.
///
/// Outlines and advances are copied byte for byte. Characters outside the Basic Multilingual
/// Plane and characters the font lacks are left out (the bundled fonts have none of the
/// former). `None` if `font` is not a TrueType-outline font this can read.
pub(crate) fn subset(font: &[u8], chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let face = Face::parse(font, 0).ok()?;
    let raw = face.raw_face();
    let table = |tag: &[u8; 4]| raw.table(Tag::from_bytes(tag));
    let (head, hhea, maxp) = (table(b"head")?, table(b"hhea")?, table(b"maxp")?);
    let (glyf, loca, os2, name) =
        (table(b"glyf")?, table(b"loca")?, table(b"OS/2")?, table(b"name")?);
    let post = table(b"post")?.get(..32)?;
    let long_loca = read_u16(head, 50)? == 1;
    let glyph = |id: u16| -> Option<&[u8]> {
        let i = usize::from(id);
        let (start, end) = if long_loca {
            (read_u32(loca, 4 * i)? as usize, read_u32(loca, 4 * i + 4)? as usize)
        } else {
            (2 * usize::from(read_u16(loca, 2 * i)?), 2 * usize::from(read_u16(loca, 2 * i + 2)?))
        };
        glyf.get(start..end)
    };

    // New glyph order: .notdef, the characters' glyphs in character order (so consecutive
    // letters share cmap segments), then composite parts as they are found.
    let mut order: Vec<u16> = vec![0];
    let mut new_id: BTreeMap<u16, u16> = BTreeMap::from([(0, 0)]);
    let mut add = |old: u16, order: &mut Vec<u16>| -> u16 {
        *new_id.entry(old).or_insert_with(|| {
            order.push(old);
            (order.len() - 1) as u16
        })
    };
    let mut pairs: Vec<(u16, u16)> = Vec::new();
    for &c in chars {
        let (Ok(code), Some(g)) = (u16::try_from(u32::from(c)), face.glyph_index(c)) else {
            continue;
        };
        let id = add(g.0, &mut order);
        pairs.push((code, id));
    }
    let mut i = 0;
    while i < order.len() {
        let data = glyph(order[i])?;
        for at in component_offsets(data)? {
            add(read_u16(data, at)?, &mut order);
        }
        i += 1;
    }

    let mut glyf_out = Vec::new();
    let mut loca_out = Vec::with_capacity(4 * (order.len() + 1));
    let mut hmtx_out = Vec::with_capacity(4 * order.len());
    for &old in &order {
        let mut data = glyph(old)?.to_vec();
        for at in component_offsets(&data)? {
            let part = read_u16(&data, at)?;
            write_u16(&mut data, at, *new_id.get(&part)?);
        }
        loca_out.extend_from_slice(&(glyf_out.len() as u32).to_be_bytes());
        glyf_out.extend_from_slice(&data);
        glyf_out.resize(glyf_out.len().next_multiple_of(4), 0);
        let advance = face.glyph_hor_advance(GlyphId(old)).unwrap_or(0);
        let bearing = face.glyph_hor_side_bearing(GlyphId(old)).unwrap_or(0);
        hmtx_out.extend_from_slice(&advance.to_be_bytes());
        hmtx_out.extend_from_slice(&bearing.to_be_bytes());
    }
    loca_out.extend_from_slice(&(glyf_out.len() as u32).to_be_bytes());
    let count = order.len() as u16;

    let mut head_out = head.get(..54)?.to_vec();
    write_u32(&mut head_out, 8, 0); // checkSumAdjustment, set once the font is whole
    write_u16(&mut head_out, 50, 1); // long loca offsets
    let mut hhea_out = hhea.get(..36)?.to_vec();
    write_u16(&mut hhea_out, 34, count); // numberOfHMetrics: every glyph has its own
    let mut maxp_out = maxp.to_vec();
    write_u16(&mut maxp_out, 4, count);
    let mut post_out = post.to_vec();
    write_u32(&mut post_out, 0, 0x0003_0000); // version 3: no glyph names

    // Sorted by tag, as the table directory must be.
    let tables: [(&[u8; 4], Vec<u8>); 10] = [
        (b"OS/2", os2.to_vec()),
        (b"cmap", cmap(&pairs)),
        (b"glyf", glyf_out),
        (b"head", head_out),
        (b"hhea", hhea_out),
        (b"hmtx", hmtx_out),
        (b"loca", loca_out),
        (b"maxp", maxp_out),
        (b"name", name.to_vec()),
        (b"post", post_out),
    ];
    let n = tables.len() as u16;
    let search_range = 16 * (1u16 << (15 - n.leading_zeros()));
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n, search_range, (search_range / 16).trailing_zeros() as u16, n * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = 0;
    for (tag, data) in &tables {
        if *tag == b"head" {
            head_at = offset;
        }
        out.extend_from_slice(*tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    write_u32(&mut out, head_at + 8, adjustment);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in vectors {
            assert_eq!(base64(input.as_bytes()), expected);
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn a_subset_draws_the_same_glyphs_and_nothing_else() {
        for typeface in Typeface::ALL {
            for bold in [false, true] {
                let data = typeface.data(bold);
                // Å and é are composite in Noto (base letter plus accent).
                let chars: BTreeSet<char> = "Hello, Wörld → Åé •".chars().collect();
                let small = subset(data, &chars).expect("bundled fonts subset");
                assert!(small.len() * 10 < data.len(), "{typeface:?}: {} bytes", small.len());
                let (full, part) = (Face::parse(data, 0).unwrap(), Face::parse(&small, 0).unwrap());
                for &c in &chars {
                    let (a, b) = (full.glyph_index(c).unwrap(), part.glyph_index(c).unwrap());
                    assert_eq!(full.glyph_hor_advance(a), part.glyph_hor_advance(b), "{c:?}");
                    assert_eq!(full.glyph_bounding_box(a), part.glyph_bounding_box(b), "{c:?}");
                    let outline = |face: &Face<'_>, g| {
                        let mut pen = Pen(Vec::new());
                        face.outline_glyph(g, &mut pen);
                        pen.0
                    };
                    assert_eq!(outline(&full, a), outline(&part, b), "{typeface:?} {c:?}");
                }
                assert_eq!(part.glyph_index('x'), None, "only the asked-for characters");
                assert_eq!(part.units_per_em(), full.units_per_em());
                assert_eq!(
                    (part.ascender(), part.descender()),
                    (full.ascender(), full.descender())
                );
                // The checksum adjustment makes the whole font sum to the magic number.
                assert_eq!(checksum(&small), 0xB1B0_AFBA, "{typeface:?}");
            }
        }
    }

    #[test]
    fn subsets_are_deterministic_and_refuse_what_is_not_a_font() {
        let chars: BTreeSet<char> = "abc".chars().collect();
        let data = Typeface::Sans.data(false);
        assert_eq!(subset(data, &chars), subset(data, &chars));
        assert_eq!(subset(b"not a font", &chars), None);
        assert_eq!(subset(&data[..100], &chars), None);
    }

    #[test]
    fn cmap_segments_join_runs() {
        let table = cmap(&[(65, 1), (66, 2), (67, 3), (70, 4)]);
        // Two runs plus the final segment.
        assert_eq!(read_u16(&table, 12 + 6), Some(6), "segCountX2");
    }

    /// Records an outline as text, to compare two glyphs.
    struct Pen(Vec<String>);

    impl ttf_parser::OutlineBuilder for Pen {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("M{x} {y}"));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("L{x} {y}"));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.push(format!("Q{x1} {y1} {x} {y}"));
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.push(format!("C{x1} {y1} {x2} {y2} {x} {y}"));
        }
        fn close(&mut self) {
            self.0.push("Z".to_owned());
        }
    }
}
