//! PNG output (feature `png`): the same input gives the same bytes, and the picture shows the
//! text. resvg is given only archdraw's bundled fonts, so text that shows here was set in them:
//! without a font resvg draws no text at all.

use archdraw::Layout;
use archdraw::layout::LayoutOptions;
use archdraw::render::png::{MAX_PIXELS, PngError, PngOptions, render};
use archdraw::render::svg::{CELL_HEIGHT, CELL_WIDTH, MARGIN, Style, SvgOptions, Theme};
use resvg::tiny_skia::Pixmap;

fn layout_of(path: &str) -> Layout {
    let source = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let spec = archdraw::parse(&source).unwrap_or_else(|e| panic!("{path}: {e}"));
    let diagram = archdraw::Diagram::from_spec(&spec).unwrap_or_else(|e| panic!("{path}: {e}"));
    archdraw::layout(&diagram, &LayoutOptions::default())
}

fn options(theme: Theme, style: Style, scale: u32) -> PngOptions {
    PngOptions {
        svg: SvgOptions { theme, style, ..SvgOptions::default() },
        scale,
        fit_inside: None,
    }
}

/// Pixels inside each box (its cells within the border) that differ clearly from the box's
/// fill, which is the top-left pixel inside it.
fn ink_per_box(layout: &Layout, png: &[u8], scale: u32) -> Vec<(String, usize)> {
    let pixmap = Pixmap::decode_png(png).expect("a PNG that decodes");
    let (cw, ch, m) = (CELL_WIDTH * scale, CELL_HEIGHT * scale, MARGIN * scale);
    layout
        .boxes
        .iter()
        .map(|b| {
            let (x0, y0) = (m + (b.rect.x as u32 + 1) * cw, m + (b.rect.y as u32 + 1) * ch);
            let (x1, y1) =
                (m + (b.rect.right() as u32 - 1) * cw, m + (b.rect.bottom() as u32 - 1) * ch);
            let fill = pixmap.pixel(x0 + 2, y0 + 2).expect("inside the picture");
            let mut ink = 0;
            for y in y0..y1 {
                for x in x0..x1 {
                    let p = pixmap.pixel(x, y).expect("inside the picture");
                    let diff = |a: u8, b: u8| (i32::from(a) - i32::from(b)).abs();
                    if diff(p.red(), fill.red())
                        + diff(p.green(), fill.green())
                        + diff(p.blue(), fill.blue())
                        > 96
                    {
                        ink += 1;
                    }
                }
            }
            (b.id.clone(), ink)
        })
        .collect()
}

#[test]
fn png_is_deterministic() {
    let layout = layout_of("specs/five-box.yaml");
    for (theme, style) in
        [(Theme::Light, Style::Clean), (Theme::Dark, Style::Clean), (Theme::Light, Style::Sketch)]
    {
        let options = options(theme, style, 1);
        let first = render(&layout, &options).unwrap();
        let second = render(&layout.clone(), &options).unwrap();
        assert!(first == second, "{theme:?} {style:?}: two renders differ");
        assert!(first.starts_with(b"\x89PNG\r\n\x1a\n"));
        // No timestamp or text chunks that could vary between runs.
        for chunk in [&b"tIME"[..], b"tEXt", b"iTXt", b"zTXt"] {
            assert!(!first.windows(4).any(|w| w == chunk), "{chunk:?} chunk");
        }
    }
}

#[test]
fn png_shows_the_text_in_every_box() {
    for (spec, theme) in [("specs/five-box.yaml", Theme::Light), ("specs/lambda.yaml", Theme::Dark)]
    {
        let layout = layout_of(spec);
        let png = render(&layout, &options(theme, Style::Clean, 2)).unwrap();
        for (id, ink) in ink_per_box(&layout, &png, 2) {
            // A title alone at scale 2 is hundreds of pixels of glyph.
            assert!(ink > 150, "{spec} {theme:?}: box {id} shows {ink} pixels of text");
        }
        // The same boxes without their text are blank inside: the count above is the text.
        let mut blank = layout.clone();
        blank.boxes.iter_mut().for_each(|b| b.lines.clear());
        let png = render(&blank, &options(theme, Style::Clean, 2)).unwrap();
        for (id, ink) in ink_per_box(&blank, &png, 2) {
            assert_eq!(ink, 0, "{spec}: box {id} without text");
        }
    }
}

#[test]
fn png_size_follows_the_scale_and_is_bounded() {
    let layout = layout_of("specs/lambda.yaml");
    let size = |scale| {
        let png = render(&layout, &options(Theme::Light, Style::Clean, scale)).unwrap();
        let pixmap = Pixmap::decode_png(&png).unwrap();
        (pixmap.width(), pixmap.height())
    };
    let (w, h) = size(1);
    assert_eq!(w, 2 * MARGIN + layout.width as u32 * CELL_WIDTH);
    assert_eq!(h, 2 * MARGIN + layout.height as u32 * CELL_HEIGHT);
    assert_eq!(size(3), (3 * w, 3 * h));
    let huge = render(&layout, &options(Theme::Light, Style::Clean, 100));
    assert!(matches!(huge, Err(PngError::TooLarge { .. })), "{huge:?}");
    assert!(u64::from(w) * u64::from(h) * 10_000 > MAX_PIXELS);
    assert_eq!(render(&layout, &options(Theme::Light, Style::Clean, 0)), Err(PngError::ZeroScale));
}

#[test]
fn auto_theme_is_drawn_light_and_dark_is_dark() {
    let layout = layout_of("specs/kappa.yaml");
    let corner = |theme| {
        let png = render(&layout, &options(theme, Style::Clean, 1)).unwrap();
        let p = Pixmap::decode_png(&png).unwrap().pixel(1, 1).unwrap();
        (p.red(), p.green(), p.blue())
    };
    assert_eq!(corner(Theme::Light), (255, 255, 255));
    assert_eq!(corner(Theme::Auto), (255, 255, 255));
    assert_eq!(corner(Theme::Dark), (0x11, 0x18, 0x27));
}
