//! How a drawing looks, as opposed to what it says: the charset of the text drawing, and the
//! theme, style and font of the SVG and PNG drawings.
//!
//! Each is defined once, here. The spec reads `theme:`, `style:` and `font:` into these types,
//! the model resolves them into the diagram's [`Appearance`], the command line sets them from
//! its flags (with the cargo feature `clap`, they are its value enums, with the command line's
//! own help words) and the renderers draw with them. Nothing here depends on any other part of the crate.

use serde::{Deserialize, Serialize};

/// Which characters the text renderer draws lines with. Layout needs it too: the text drawn
/// in the open is kept from reading as a line before boxes are sized for it (see [`crate::layout::LayoutOptions::charset`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Charset {
    /// Unicode light box drawing (`┌─┐│└┘├┤┬┴`), heads `▶◀▲▼`, bullets `•`.
    #[default]
    Unicode,
    /// Only 7-bit characters: `+ - |`, heads `> < ^ v`, bullets `*`.
    Ascii,
}

/// What `-f ascii` does with text written outside 7-bit ASCII (`Café`, `→`, `数据`). Only the
/// drawing (lines, corners, heads, bullets) is 7-bit by default; the user's words are theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum AsciiText {
    /// Kept as written: only the drawing is 7-bit.
    #[default]
    #[cfg_attr(feature = "clap", value(help = "Words as written; only the lines are 7-bit"))]
    Keep,
    /// Transliterated to 7-bit ASCII (`→` as `->`, `é` as `e`, anything else `?`), for
    /// consumers that accept nothing but 7-bit bytes. The words then differ from the spec's.
    #[cfg_attr(
        feature = "clap",
        value(help = "Words spelled in 7-bit ASCII (→ as ->, é as e, 数 as ?)")
    )]
    Fold,
}

/// The colours an SVG is drawn in; the spec's `theme:`.
///
/// `Light` and `Dark` write their colours straight into presentation attributes (`fill=`,
/// `stroke=`), so renderers without CSS media queries (resvg, image viewers) show them as meant.
/// `Auto` writes the light colours the same way and adds a `<style>` whose
/// `@media (prefers-color-scheme: dark)` rules switch a browser to the dark colours; CSS rules win
/// over presentation attributes, and tools that ignore the media query still get the light look.
/// A PNG cannot follow a viewer's preference, so it draws `Auto` light.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
#[schemars(description = "`theme:` — the SVG colour scheme.")]
pub enum Theme {
    /// Dark lines on a light background.
    #[default]
    #[cfg_attr(feature = "clap", value(help = "Dark lines on white"))]
    Light,
    /// Light lines on a dark background.
    #[cfg_attr(feature = "clap", value(help = "Light lines on dark slate"))]
    Dark,
    /// Follow the viewer's light/dark preference.
    #[cfg_attr(
        feature = "clap",
        value(help = "Light, or dark where the viewer's browser prefers it (PNG: light)")
    )]
    Auto,
}

/// How SVG and PNG lines are drawn; the spec's `style:`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
#[schemars(description = "`style:` — how SVG lines are drawn.")]
pub enum Style {
    /// Straight, even lines.
    #[default]
    Clean,
    /// Hand-drawn look: wobbly doubled outlines, bowed arrows and the hand-drawn Comic Neue
    /// font (unless the font is [`Font::Mono`]). The wobble is seeded by the layout, so the same
    /// diagram is always drawn the same way.
    #[schemars(description = "Hand-drawn look.")]
    Sketch,
}

/// The typeface SVG and PNG text is set in; the spec's `font:`. The sketch style has its own
/// hand-drawn face unless this is [`Font::Mono`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
#[schemars(description = "`font:` — the typeface SVG text is set in.")]
pub enum Font {
    /// Proportional sans-serif (the hand-drawn face under `style: sketch`).
    #[default]
    #[cfg_attr(
        feature = "clap",
        value(help = "Proportional sans-serif (hand-drawn with --sketch)")
    )]
    Sans,
    /// Monospace, every character one cell wide, like the text drawing.
    #[cfg_attr(feature = "clap", value(help = "Monospace, like the text drawing"))]
    Mono,
}

/// How an SVG or PNG drawing of a diagram looks, every choice made: the spec's `theme:`,
/// `style:` and `font:`, with the defaults where it has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Appearance {
    /// The colours.
    pub theme: Theme,
    /// Clean or hand-drawn lines.
    pub style: Style,
    /// The typeface.
    pub font: Font,
}

impl Appearance {
    /// This appearance with the choices given replacing its own, as command-line flags replace
    /// a spec's keys.
    ///
    /// ```
    /// use archdraw::style::{Appearance, Font, Style, Theme};
    /// let spec = Appearance { theme: Theme::Dark, ..Appearance::default() };
    /// let drawn = spec.overridden(None, Some(Style::Sketch), None);
    /// assert_eq!(drawn, Appearance { theme: Theme::Dark, style: Style::Sketch, font: Font::Sans });
    /// ```
    #[must_use]
    pub fn overridden(
        self,
        theme: Option<Theme>,
        style: Option<Style>,
        font: Option<Font>,
    ) -> Self {
        Self {
            theme: theme.unwrap_or(self.theme),
            style: style.unwrap_or(self.style),
            font: font.unwrap_or(self.font),
        }
    }
}
