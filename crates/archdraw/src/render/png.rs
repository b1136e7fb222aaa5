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
use crate::Layout;
use crate::diagnostic::{Diagnostic, Error};

/// The most pixels a PNG may have (about 40 megapixels, 160 MB while drawing): a width limit in
/// the spec or a smaller scale brings a larger drawing under it.
pub const MAX_PIXELS: u64 = 40_000_000;

/// Options for the PNG renderer.
///
/// ```
/// use archdraw::render::png::PngOptions;
/// use archdraw::render::svg::{SvgOptions, Theme};
/// let options = PngOptions {
///     svg: SvgOptions { theme: Theme::Dark, ..SvgOptions::default() },
///     scale: 3,
/// };
/// # assert_eq!(PngOptions::default().scale, 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PngOptions {
    /// How the drawing looks; see [`SvgOptions`]. `embed_font` is ignored, and
    /// [`Theme::Auto`] is drawn as [`Theme::Light`].
    pub svg: SvgOptions,
    /// Pixels per SVG pixel (default 2: sharp on high-density screens and projectors).
    pub scale: u32,
}

impl Default for PngOptions {
    fn default() -> Self {
        Self { svg: SvgOptions::default(), scale: 2 }
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
    let (width, height) = svg::canvas_size(layout);
    let scale = u64::from(options.scale);
    let (width, height) = (width.saturating_mul(scale), height.saturating_mul(scale));
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
    let zoom = options.scale as f32;
    resvg::render(&tree, tiny_skia::Transform::from_scale(zoom, zoom), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| PngError::Internal(e.to_string()))
}

/// Renders a parsed spec as PNG: its `theme:` and `style:` ([`SvgOptions::for_spec`]) at
/// `scale`, laid out as [`crate::render_spec`] does (`options.format` is not used).
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
pub fn render_spec(
    spec: &crate::Spec,
    options: &crate::Options,
    scale: u32,
) -> Result<Vec<u8>, Error> {
    let diagram = crate::check_spec(spec, &options.limits)?;
    let layout =
        crate::layout(&diagram, &crate::layout::LayoutOptions { max_width: options.max_width });
    let png = PngOptions { svg: SvgOptions::for_spec(spec), scale };
    render(&layout, &png).map_err(|e| {
        let help = match e {
            PngError::TooLarge { .. } => "use a smaller --scale, or set max_width in the spec",
            _ => "please report this as a bug",
        };
        Error::from(Diagnostic::new(e.to_string()).with_help(help))
    })
}
