//! The PNG renderer (cargo feature `png`): the SVG drawing rasterised by resvg.
//!
//! No browser, no system fonts, no network: resvg reads the SVG, the text is set in the fonts
//! bundled with archdraw (loaded from memory into resvg's font database, which is given no other
//! font), and tiny-skia paints it. The SVG drawn is the one [`svg::render`] makes with colours
//! already in attributes, which resvg reads reliably: [`Theme::Auto`] is drawn light, as a PNG
//! cannot follow a viewer's preference, and no `@font-face` is embedded, as resvg takes fonts
//! from its database instead. Characters none of the bundled fonts has (CJK, emoji) are left
//! out of the picture.
//!
//! The same layout and options give the same bytes: resvg draws with its own integer-exact
//! rasteriser, and the PNG encoder writes no timestamps.

use std::fmt;
use std::sync::Arc;

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};

use super::svg::{self, SvgOptions, Theme, Typeface};
use crate::diagnostic::{Diagnostic, Error};
use crate::layout::Layout;
use crate::pipeline::Options;
use crate::spec::Spec;

/// The most pixels a PNG may have (about 40 megapixels, 160 MB while drawing): a width limit in
/// the spec or a smaller scale brings a larger drawing under it.
pub const MAX_PIXELS: u64 = 40_000_000;

/// Options for the PNG renderer.
///
/// ```
/// use archdraw::render::png::{PngOptions, SLIDE};
/// use archdraw::render::svg::{SvgOptions, Theme};
/// let options = PngOptions {
///     svg: SvgOptions { theme: Theme::Dark, ..SvgOptions::default() },
///     scale: 3,
///     fit_inside: None,
/// };
/// # assert_eq!(PngOptions::default().scale, 2);
/// # assert_eq!(PngOptions::default().fit_inside, Some(SLIDE));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PngOptions {
    /// How the drawing looks; see [`SvgOptions`]. `embed_font` is ignored, and
    /// [`Theme::Auto`] is drawn as [`Theme::Light`].
    pub svg: SvgOptions,
    /// Pixels per SVG pixel (default 2: sharp on high-density screens and projectors); with
    /// `fit_inside`, the most.
    pub scale: u32,
    /// Width and height in pixels the picture is scaled down to fit inside, keeping its shape
    /// (default [`SLIDE`]); `None` draws at `scale` exactly, however large.
    pub fit_inside: Option<(u32, u32)>,
}

/// A 1920 × 1080 slide: the size a PNG is drawn to fit inside unless a scale is given.
pub const SLIDE: (u32, u32) = (1920, 1080);

impl Default for PngOptions {
    fn default() -> Self {
        Self { svg: SvgOptions::default(), scale: 2, fit_inside: Some(SLIDE) }
    }
}

/// The picture's size in pixels and the zoom from SVG pixels for an SVG of `width` × `height`:
/// `scale` times, or, if that would not fit inside `fit_inside`, as large as fits (the longer
/// side, relative to the box, filling it; never below one pixel).
fn picture_size(
    (width, height): (u64, u64),
    scale: u32,
    fit_inside: Option<(u32, u32)>,
) -> (u64, u64, f32) {
    let scale = u64::from(scale);
    let scaled = (width.saturating_mul(scale), height.saturating_mul(scale), scale as f32);
    let Some((most_w, most_h)) = fit_inside.map(|(w, h)| (u64::from(w), u64::from(h))) else {
        return scaled;
    };
    if scaled.0 <= most_w && scaled.1 <= most_h || width == 0 || height == 0 {
        return scaled;
    }
    // Integer arithmetic for the size, so every platform draws the same pixels.
    if width.saturating_mul(most_h) >= height.saturating_mul(most_w) {
        (most_w, (height * most_w / width).max(1), most_w as f32 / width as f32)
    } else {
        ((width * most_h / height).max(1), most_h, most_h as f32 / height as f32)
    }
}

/// Why no PNG was made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PngError {
    /// The scale was zero.
    ZeroScale,
    /// The picture would have more than [`MAX_PIXELS`] pixels.
    TooLarge {
        /// Width in pixels at the asked-for scale.
        width: u64,
        /// Height in pixels at the asked-for scale.
        height: u64,
    },
    /// resvg could not read the SVG or tiny-skia could not encode the picture. Neither happens
    /// with archdraw's own SVG; the variant keeps the renderer free of panics all the same.
    Internal(String),
}

impl fmt::Display for PngError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PngError::ZeroScale => write!(f, "the PNG scale must be at least 1"),
            PngError::TooLarge { width, height } => write!(
                f,
                "the PNG would be {width} × {height} pixels, over the limit of {MAX_PIXELS}"
            ),
            PngError::Internal(message) => write!(f, "could not draw the PNG: {message}"),
        }
    }
}

impl std::error::Error for PngError {}

/// A font database holding the bundled fonts and nothing else; the generic families point at
/// them, so `sans-serif` and `monospace` in the SVG resolve to the fonts text was measured in.
fn font_database() -> fontdb::Database {
    let mut db = fontdb::Database::new();
    for typeface in Typeface::ALL {
        for bold in [false, true] {
            db.load_font_source(fontdb::Source::Binary(Arc::new(typeface.data(bold))));
        }
    }
    db.set_sans_serif_family(Typeface::Sans.family());
    db.set_monospace_family(Typeface::Mono.family());
    db.set_cursive_family(Typeface::Hand.family());
    db
}

/// Draws `layout` as a PNG file's bytes.
///
/// # Errors
///
/// [`PngError::ZeroScale`] and [`PngError::TooLarge`]; see [`MAX_PIXELS`].
///
/// ```
/// use archdraw::layout::LayoutOptions;
/// use archdraw::render::png::{PngOptions, render};
///
/// let spec = archdraw::parse("boxes: [{title: App}, {title: DB}]\narrows: [app -> db]\n")?;
/// let diagram = archdraw::Diagram::from_spec(&spec)?;
/// let layout = archdraw::layout(&diagram, &LayoutOptions::default());
/// let png = render(&layout, &PngOptions::default()).expect("a small diagram");
/// assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn render(layout: &Layout, options: &PngOptions) -> Result<Vec<u8>, PngError> {
    if options.scale == 0 {
        return Err(PngError::ZeroScale);
    }
    let svg_options = SvgOptions {
        theme: if options.svg.theme == Theme::Auto { Theme::Light } else { options.svg.theme },
        embed_font: false,
        ..options.svg.clone()
    };
    let document = svg::render(layout, &svg_options);

    // The size comes from the layout, before any parsing, so an oversized picture is refused
    // cheaply. It matches the SVG's own width and height.
    let (width, height, zoom) =
        picture_size(svg::canvas_size(layout, &svg_options), options.scale, options.fit_inside);
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(PngError::TooLarge { width, height });
    }

    let usvg_options = usvg::Options {
        fontdb: Arc::new(font_database()),
        font_family: Typeface::Sans.family().to_owned(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&document, &usvg_options)
        .map_err(|e| PngError::Internal(e.to_string()))?;
    let too_large = || PngError::TooLarge { width, height };
    let mut pixmap = tiny_skia::Pixmap::new(
        u32::try_from(width).map_err(|_| too_large())?,
        u32::try_from(height).map_err(|_| too_large())?,
    )
    .ok_or_else(too_large)?;
    resvg::render(&tree, tiny_skia::Transform::from_scale(zoom, zoom), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| PngError::Internal(e.to_string()))
}

/// Renders a parsed spec as PNG at `scale`: laid out as [`crate::render_spec`] lays out an SVG,
/// with the spec's `theme:`, `style:` and `font:` unless `options` overrides them
/// (`options.format` is not used). [`render_spec_sized`] draws it to fit a slide instead.
///
/// # Errors
///
/// Every semantic problem in the spec, as [`crate::render_spec`]; a [`PngError`] as one
/// diagnostic without a location.
///
/// ```
/// let spec = archdraw::parse("theme: dark\nboxes: [{title: App}]\n")?;
/// let png = archdraw::render::png::render_spec(&spec, &archdraw::Options::default(), 1)?;
/// assert!(png.starts_with(b"\x89PNG"));
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn render_spec(spec: &Spec, options: &Options, scale: u32) -> Result<Vec<u8>, Error> {
    render_spec_sized(spec, options, scale, None)
}

/// [`render_spec`], the picture scaled down to fit inside `fit_inside` pixels if `scale`
/// would make it larger (see [`PngOptions::fit_inside`]).
///
/// # Errors
///
/// As [`render_spec`].
///
/// ```
/// use archdraw::render::png::{SLIDE, render_spec_sized};
/// let boxes: Vec<String> = (0..40).map(|k| format!("{{title: Step {k}}}")).collect();
/// let spec = archdraw::parse(&format!("boxes: [{}]\n", boxes.join(", ")))?;
/// let png = render_spec_sized(&spec, &archdraw::Options::default(), 2, Some(SLIDE))?;
/// // The PNG header's width and height: inside 1920 × 1080.
/// let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
/// assert!(size(16) <= 1920 && size(20) <= 1080);
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn render_spec_sized(
    spec: &Spec,
    options: &Options,
    scale: u32,
    fit_inside: Option<(u32, u32)>,
) -> Result<Vec<u8>, Error> {
    render_spec_drawn(spec, options, scale, fit_inside).map(|drawn| drawn.png)
}

/// A PNG and what it could not draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// The PNG file's bytes.
    pub png: Vec<u8>,
    /// The characters of the drawing's text the bundled fonts have no glyph for, each once, in
    /// the order first met ([`missing_glyphs`]): the picture leaves them out, so a caller
    /// should say so.
    pub missing: Vec<char>,
}

/// [`render_spec_sized`], and the characters of its text the picture could not draw.
///
/// # Errors
///
/// As [`render_spec`].
///
/// ```
/// use archdraw::render::png::render_spec_drawn;
/// let spec = archdraw::parse("boxes: [{title: 数据湖}, {title: Lake}]\n")?;
/// let drawn = render_spec_drawn(&spec, &archdraw::Options::default(), 1, None)?;
/// assert!(drawn.png.starts_with(b"\x89PNG"));
/// assert_eq!(drawn.missing, ['数', '据', '湖']);
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn render_spec_drawn(
    spec: &Spec,
    options: &Options,
    scale: u32,
    fit_inside: Option<(u32, u32)>,
) -> Result<Drawn, Error> {
    let (layout, appearance) = crate::pipeline::lay_out(spec, options, None, true)?;
    let png = PngOptions { svg: SvgOptions::for_appearance(appearance), scale, fit_inside };
    let missing = missing_glyphs(&layout);
    let png = render(&layout, &png).map_err(|e| {
        let help = match e {
            PngError::TooLarge { .. } => "use a smaller --scale, or set max_width in the spec",
            _ => "please report this as a bug",
        };
        Error::from(Diagnostic::new(e.to_string()).with_help(help))
    })?;
    Ok(Drawn { png, missing })
}

/// The characters of `layout`'s text that none of the bundled fonts has a glyph for (CJK and
/// emoji: they cover Latin, Greek, Cyrillic and common symbols), each once, in the order first
/// met. A PNG is drawn with no fonts but the bundled ones, so it leaves them out; an SVG keeps
/// them, its viewer's fonts drawing what the embedded ones lack.
///
/// ```
/// use archdraw::render::png::missing_glyphs;
/// let spec = archdraw::parse("boxes: [{title: Café, text: 東京 🚀}]\n")?;
/// let layout = archdraw::layout(&archdraw::Diagram::from_spec(&spec)?, &Default::default());
/// assert_eq!(missing_glyphs(&layout), ['東', '京', '🚀']);
/// # Ok::<(), archdraw::Error>(())
/// ```
pub fn missing_glyphs(layout: &Layout) -> Vec<char> {
    let faces: Vec<crate::typeface::Metrics> = Typeface::ALL
        .into_iter()
        .flat_map(|typeface| {
            [false, true].map(|bold| crate::typeface::Metrics::new(typeface, bold))
        })
        .collect();
    // Marks of no width (joiners, variation selectors, bidi marks) draw nothing anyway.
    let drawn = |c: &char| !c.is_whitespace() && crate::text::width(c.encode_utf8(&mut [0; 4])) > 0;
    // Each character looked up once: a spec of thousands of distinct CJK characters stays linear.
    let mut seen = std::collections::BTreeSet::new();
    let mut missing = Vec::new();
    for (line, _) in layout.text_lines() {
        for c in line.text.chars().filter(drawn) {
            if seen.insert(c) && !faces.iter().any(|face| face.has(c)) {
                missing.push(c);
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_that_fits_the_slide_at_its_scale_keeps_it() {
        assert_eq!(picture_size((600, 400), 2, Some(SLIDE)), (1200, 800, 2.0));
        assert_eq!(picture_size((6000, 400), 2, None), (12000, 800, 2.0));
    }

    #[test]
    fn a_larger_picture_is_scaled_to_fit_inside_the_slide() {
        // Wide: the width fills the slide.
        assert_eq!(picture_size((3840, 1000), 2, Some(SLIDE)), (1920, 500, 0.5));
        // Tall: the height does.
        let (w, h, zoom) = picture_size((1000, 2160), 2, Some(SLIDE));
        assert_eq!((w, h, zoom), (500, 1080, 0.5));
        // Exactly 16:9 at scale 1.5 fills it.
        let (w, h, _) = picture_size((1600, 900), 2, Some(SLIDE));
        assert_eq!((w, h), (1920, 1080));
    }
}
