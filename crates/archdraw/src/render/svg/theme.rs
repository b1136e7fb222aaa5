//! Colour themes: the palettes, and which painted role takes which colour.

use crate::style::Theme;

impl Theme {
    /// The palette written into attributes.
    pub(super) const fn palette(self) -> &'static Palette {
        match self {
            Theme::Light | Theme::Auto => &LIGHT,
            Theme::Dark => &DARK,
        }
    }
}

/// One colour per thing drawn; all are `#rrggbb` literals, never user input.
#[derive(Debug)]
pub(super) struct Palette {
    pub(super) background: &'static str,
    pub(super) box_fill: &'static str,
    pub(super) box_stroke: &'static str,
    pub(super) text: &'static str,
    pub(super) service_fill: &'static str,
    pub(super) service_stroke: &'static str,
    pub(super) service_text: &'static str,
    pub(super) group_stroke: &'static str,
    pub(super) group_text: &'static str,
    pub(super) arrow: &'static str,
    pub(super) label_text: &'static str,
}

pub(super) const LIGHT: Palette = Palette {
    background: "#ffffff",
    box_fill: "#ffffff",
    box_stroke: "#1f2937",
    text: "#111827",
    service_fill: "#f3f4f6",
    service_stroke: "#9ca3af",
    service_text: "#4b5563",
    group_stroke: "#9ca3af",
    group_text: "#4b5563",
    arrow: "#374151",
    label_text: "#374151",
};

pub(super) const DARK: Palette = Palette {
    background: "#111827",
    box_fill: "#1f2937",
    box_stroke: "#d1d5db",
    text: "#f9fafb",
    service_fill: "#18212f",
    service_stroke: "#6b7280",
    service_text: "#9ca3af",
    group_stroke: "#6b7280",
    group_text: "#9ca3af",
    arrow: "#d1d5db",
    label_text: "#d1d5db",
};

/// What a painted element is; decides its class and its theme colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Background,
    BoxShape,
    /// A box's outline alone (the sketch style's strokes).
    BoxOutline,
    BoxText,
    ServiceShape,
    /// A service's outline alone (the sketch style's strokes).
    ServiceOutline,
    ServiceText,
    GroupFrame,
    GroupText,
    /// The background-coloured patch behind labels and frame titles.
    Halo,
    ArrowLine,
    ArrowHead,
    /// The dot where lines of one net join.
    Junction,
    LabelText,
}

impl Role {
    /// Every role, in the order their dark-mode rules are written.
    pub(super) const ALL: [Role; 14] = [
        Role::Background,
        Role::BoxShape,
        Role::BoxOutline,
        Role::BoxText,
        Role::ServiceShape,
        Role::ServiceOutline,
        Role::ServiceText,
        Role::GroupFrame,
        Role::GroupText,
        Role::Halo,
        Role::ArrowLine,
        Role::ArrowHead,
        Role::Junction,
        Role::LabelText,
    ];

    /// The class name. The `ad-` prefix keeps a host page's own `.box`, `.label`, … rules off
    /// diagrams inlined into it.
    pub(super) const fn class(self) -> &'static str {
        match self {
            Role::Background => "ad-bg",
            Role::BoxShape => "ad-box-shape",
            Role::BoxOutline => "ad-box-outline",
            Role::BoxText => "ad-box-text",
            Role::ServiceShape => "ad-service-shape",
            Role::ServiceOutline => "ad-service-outline",
            Role::ServiceText => "ad-service-text",
            Role::GroupFrame => "ad-group-frame",
            Role::GroupText => "ad-group-text",
            Role::Halo => "ad-halo",
            Role::ArrowLine => "ad-arrow-line",
            Role::ArrowHead => "ad-arrow-head",
            Role::Junction => "ad-junction",
            Role::LabelText => "ad-label-text",
        }
    }

    /// The role's `(fill, stroke)` colours in `palette`; `None` leaves that property alone.
    pub(super) const fn paint(
        self,
        palette: &Palette,
    ) -> (Option<&'static str>, Option<&'static str>) {
        match self {
            Role::Background | Role::Halo => (Some(palette.background), None),
            Role::BoxShape => (Some(palette.box_fill), Some(palette.box_stroke)),
            Role::BoxOutline => (None, Some(palette.box_stroke)),
            Role::BoxText => (Some(palette.text), None),
            Role::ServiceShape => (Some(palette.service_fill), Some(palette.service_stroke)),
            Role::ServiceOutline => (None, Some(palette.service_stroke)),
            Role::ServiceText => (Some(palette.service_text), None),
            Role::GroupFrame => (None, Some(palette.group_stroke)),
            Role::GroupText => (Some(palette.group_text), None),
            Role::ArrowLine => (None, Some(palette.arrow)),
            Role::ArrowHead => (Some(palette.arrow), Some(palette.arrow)),
            Role::Junction => (Some(palette.arrow), None),
            Role::LabelText => (Some(palette.label_text), None),
        }
    }
}

/// The `Auto` theme's style sheet: the dark palette under a `prefers-color-scheme` query, every
/// rule scoped to the diagram's own class so two diagrams on one page never restyle each other.
///
/// `scope` must already be a safe class name (see `scope_class` in the parent module).
pub(super) fn dark_mode_css(scope: &str) -> String {
    let mut css = String::from("@media (prefers-color-scheme: dark){");
    for role in Role::ALL {
        let (fill, stroke) = role.paint(&DARK);
        css.push_str(&format!(".{scope} .{}{{", role.class()));
        let mut first = true;
        for (property, colour) in [("fill", fill), ("stroke", stroke)] {
            if let Some(colour) = colour {
                if !first {
                    css.push(';');
                }
                css.push_str(&format!("{property}:{colour}"));
                first = false;
            }
        }
        css.push('}');
    }
    css.push('}');
    css
}
