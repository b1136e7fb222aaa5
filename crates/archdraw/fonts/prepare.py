#!/usr/bin/env python3
"""Rebuilds the fonts vendored in this folder from Debian's font packages.

Run from this folder, with fontTools installed (`pip install fonttools`):

    apt-get download fonts-noto-core fonts-noto-mono fonts-comic-neue
    for d in *.deb; do dpkg-deb -x "$d" debs; done
    python3 prepare.py debs

Why the fonts are changed rather than copied (the SIL Open Font License allows it; none of the
three families has a Reserved Font Name, so the changed files keep their names):

- Only the scripts a diagram label is likely to hold are kept (Latin, Greek, Cyrillic,
  punctuation, currency, arrows, maths, shapes), which takes each file from ~500 KB to a
  fraction of that.
- Hinting is dropped: it only matters to small-size screen rasterisers and is most of the bytes.
- The OpenType layout tables (GSUB, GPOS, GDEF) and `kern` are dropped, so every renderer
  (browsers, resvg) places glyphs by their `hmtx` advances alone: exactly the widths archdraw
  measures. Kerning or ligatures would make a drawn line narrower than measured, never wider,
  but dropping them makes measured and drawn widths identical.
- Comic Neue ships with CFF outlines; it is converted to TrueType (quadratic) outlines so that
  archdraw's subsetter, which handles `glyf` fonts only, can embed it.
- Characters a font lacks within those ranges are merged in from the next font of its chain:
  Noto Sans lacks arrows (`→`), taken from Noto Sans Mono; Comic Neue lacks most accented
  letters, taken from Noto Sans. One file per face then covers every kept character, so
  measuring, the browser and resvg all use the same glyphs without per-character fallback.
"""
import sys
import tempfile
from pathlib import Path

from fontTools import merge, subset
from fontTools.ttLib import TTFont, newTable
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

UNICODES = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1, Latin Extended-A and -B
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x2000, 0x206F),  # General Punctuation (dashes, quotes, bullet, ellipsis)
    (0x20A0, 0x20CF),  # Currency
    (0x2100, 0x214F),  # Letterlike (™, №)
    (0x2190, 0x21FF),  # Arrows
    (0x2212, 0x2212),  # minus
    (0x2218, 0x221E),  # ring, bullet, roots, proportional, infinity
    (0x2248, 0x2248),  # almost equal
    (0x2260, 0x2265),  # not equal, less/greater or equal
    (0x2500, 0x257F),  # Box Drawing (in the monospace font)
    (0x25A0, 0x25FF),  # Geometric Shapes
]

NOTO = "usr/share/fonts/truetype/noto/"
COMIC = "usr/share/fonts/opentype/comic-neue/"
# Output file: the source, then the fonts characters it lacks are taken from, in order.
SOURCES = {
    "NotoSans-Regular.ttf": [NOTO + "NotoSans-Regular.ttf", NOTO + "NotoSansMono-Regular.ttf"],
    "NotoSans-Bold.ttf": [NOTO + "NotoSans-Bold.ttf", NOTO + "NotoSansMono-Bold.ttf"],
    "NotoSansMono-Regular.ttf": [NOTO + "NotoSansMono-Regular.ttf"],
    "NotoSansMono-Bold.ttf": [NOTO + "NotoSansMono-Bold.ttf"],
    "ComicNeue-Regular.ttf": [
        COMIC + "ComicNeue-Regular.otf",
        NOTO + "NotoSans-Regular.ttf",
        NOTO + "NotoSansMono-Regular.ttf",
    ],
    "ComicNeue-Bold.ttf": [
        COMIC + "ComicNeue-Bold.otf",
        NOTO + "NotoSans-Bold.ttf",
        NOTO + "NotoSansMono-Bold.ttf",
    ],
}


def cff_to_glyf(font):
    """Replaces CFF outlines by TrueType ones (cubic curves approximated by quadratics)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.maxComponentElements = max(
        (len(g.components) for g in glyf.glyphs.values() if hasattr(g, "components")), default=0)
    maxp.maxComponentDepth = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 2.0
    font["post"].extraNames = []
    font["post"].mapping = {}
    font["post"].glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def prepared(path, unicodes):
    """`path` cut down to `unicodes`, without hinting or layout tables, with glyf outlines."""
    font = TTFont(path)
    if "CFF " in font:
        cff_to_glyf(font)
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "DSIG", "hdmx", "LTSH", "VDMX"]
    options.name_IDs = ["*"]  # keep copyright, licence and URLs in the font
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_bounds = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    return font


def main(root):
    here = Path(__file__).parent
    wanted = {u for a, b in UNICODES for u in range(a, b + 1)}
    for out, chain in SOURCES.items():
        font = prepared(Path(root) / chain[0], sorted(wanted))
        for fallback in chain[1:]:
            missing = sorted(wanted - set(font.getBestCmap()))
            extra = prepared(Path(root) / fallback, missing)
            if not extra.getBestCmap():
                continue
            # The merger reads files; both fonts go through a temporary folder.
            with tempfile.TemporaryDirectory() as tmp:
                a, b = Path(tmp) / "a.ttf", Path(tmp) / "b.ttf"
                font.save(a)
                extra.save(b)
                merger = merge.Merger(merge.Options(drop_tables=["gasp", "vhea", "vmtx"]))
                font = merger.merge([str(a), str(b)])
                # The merged font is the first one's: its names (and licence fields) stand.
                font["name"] = TTFont(a)["name"]
        font.save(here / out)
        print(f"{out}: {(here / out).stat().st_size} bytes, {len(font.getBestCmap())} characters")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "debs")
