//! PNG output (feature `png`): the same input gives the same bytes, and the picture shows the
//! text. resvg is given only archdraw's bundled fonts, so text that shows here was set in them:
//! without a font resvg draws no text at all.

use archdraw::Layout;
use archdraw::layout::LayoutOptions;
use archdraw::render::png::{MAX_PIXELS, PngError, PngOptions, render};
use archdraw::render::svg::{Style, SvgOptions, Theme};
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

/// The SVG the PNG is drawn from: what `render` draws with `options`, light for auto.
fn svg_of(layout: &Layout, options: &PngOptions) -> String {
    let theme = if options.svg.theme == Theme::Auto { Theme::Light } else { options.svg.theme };
    let svg = SvgOptions { theme, embed_font: false, ..options.svg.clone() };
    archdraw::render::svg::render(layout, &svg)
}

/// Each box's id and outline `(x, y, width, height)` in SVG pixels, as the SVG draws it.
fn box_outlines(svg: &str) -> Vec<(String, [u32; 4])> {
    let document = roxmltree::Document::parse(svg).expect("well-formed SVG");
    document
        .descendants()
        .filter(|n| n.attribute("class") == Some("ad-box"))
        .map(|g| {
            let shape = g
                .children()
                .find(|n| n.attribute("class") == Some("ad-box-shape"))
                .expect("a box outline");
            let number = |key| shape.attribute(key).and_then(|v| v.parse().ok()).expect(key);
            let id = g.attribute("data-id").unwrap_or_default().to_owned();
            (id, ["x", "y", "width", "height"].map(number))
        })
        .collect()
}

/// Pixels inside each box (its outline, less 6 px for the border's stroke and rounded
/// corners) that differ clearly from the box's fill, which is the top-left pixel inside it.
fn ink_per_box(layout: &Layout, options: &PngOptions, png: &[u8]) -> Vec<(String, usize)> {
    let pixmap = Pixmap::decode_png(png).expect("a PNG that decodes");
    let scale = options.scale;
    box_outlines(&svg_of(layout, options))
        .into_iter()
        .map(|(id, [x, y, width, height])| {
            let (x0, y0) = ((x + 6) * scale, (y + 6) * scale);
            let (x1, y1) = ((x + width - 6) * scale, (y + height - 6) * scale);
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
            (id, ink)
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
        let options = options(theme, Style::Clean, 2);
        let png = render(&layout, &options).unwrap();
        let inked = ink_per_box(&layout, &options, &png);
        assert_eq!(inked.len(), layout.boxes.len());
        for (id, ink) in inked {
            // A title alone at scale 2 is hundreds of pixels of glyph.
            assert!(ink > 150, "{spec} {theme:?}: box {id} shows {ink} pixels of text");
        }
        // The same boxes without their text are blank inside: the count above is the text.
        let mut blank = layout.clone();
        blank.boxes.iter_mut().for_each(|b| b.lines.clear());
        let png = render(&blank, &options).unwrap();
        for (id, ink) in ink_per_box(&blank, &options, &png) {
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
    // The SVG's own size, in pixels.
    let svg = svg_of(&layout, &options(Theme::Light, Style::Clean, 1));
    let document = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let attribute = |key| document.root_element().attribute(key).and_then(|v| v.parse().ok());
    assert_eq!((Some(w), Some(h)), (attribute("width"), attribute("height")));
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
