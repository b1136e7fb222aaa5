//! The spec as written: serde types for the YAML format, and [`parse`](crate::parse).
//!
//! These types mirror the YAML one to one and check only its shape (unknown keys, wrong types,
//! YAML syntax). Ids are not resolved here: [`Diagram::from_spec`](crate::Diagram::from_spec)
//! does that and reports every semantic problem at once. Every id, reference and text is kept
//! as a [`Spanned`] value so those later problems can point at a line and column.
//!
//! ```yaml
//! title: Lambda architecture        # optional
//! direction: right                  # right (default) | down | left | up
//! boxes:
//!   - {id: source, title: Source events}
//!   - {id: speed, title: Speed Layer, text: (Flink/Storm)}
//!   - {id: serve, title: Serve layer, items: [BI, API]}
//! arrows:
//!   - source -> speed -> serve                   # a chain
//!   - speed -> serve: real-time view             # one arrow with a label
//!   - {from: source, to: serve, label: batch}    # the long form
//! services:
//!   - {title: schema registry, serves: source}   # or serves: [a, b]
//! groups:
//!   - {title: Lakehouse, boxes: [speed, serve]}
//! ```
//!
//! Only hand-written visitors are used for the "one of several shapes" values ([`ArrowSpec`],
//! [`Serves`]): serde's `untagged` enums buffer their input and lose every location.

use std::fmt;

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
pub use serde_saphyr::{Location, Spanned};

use crate::diagnostic::{Diagnostic, Error, Span};
use crate::model::{Direction, Limits};

/// A whole spec file.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "archdraw spec")]
pub struct Spec {
    /// A JSON Schema reference for editors; ignored by archdraw.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// The diagram's title: the SVG `<title>`, not drawn in text.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub title: Option<Spanned<String>>,
    /// Which way the main flow points (default: right).
    #[serde(default)]
    pub direction: Option<Direction>,
    /// The widest the text drawing should be, in terminal cells.
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub max_width: Option<Spanned<usize>>,
    /// The SVG colour theme (default: light).
    #[serde(default)]
    pub theme: Option<Theme>,
    /// The SVG and PNG drawing style (default: clean).
    #[serde(default)]
    pub style: Option<Style>,
    /// The SVG and PNG typeface (default: sans; mono for the terminal look).
    #[serde(default)]
    pub font: Option<Font>,
    /// The boxes of the main flow, in order.
    pub boxes: Vec<BoxSpec>,
    /// The arrows between boxes.
    #[serde(default)]
    #[schemars(with = "Vec<ArrowSpec>")]
    pub arrows: Vec<Spanned<ArrowSpec>>,
    /// Control-plane services, drawn in their own row.
    #[serde(default)]
    pub services: Vec<ServiceSpec>,
    /// Titled frames around boxes.
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
}

/// `theme:` — the SVG colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Dark lines on a light background.
    Light,
    /// Light lines on a dark background.
    Dark,
    /// Follow the viewer's light/dark preference.
    Auto,
}

impl From<Theme> for crate::render::svg::Theme {
    fn from(theme: Theme) -> Self {
        match theme {
            Theme::Light => Self::Light,
            Theme::Dark => Self::Dark,
            Theme::Auto => Self::Auto,
        }
    }
}

/// `style:` — how SVG lines are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// Straight, even lines.
    Clean,
    /// Hand-drawn look.
    Sketch,
}

/// `font:` — the typeface SVG text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Font {
    /// Proportional sans-serif (the hand-drawn face under `style: sketch`).
    Sans,
    /// Monospace, every character one cell wide, like the text drawing.
    Mono,
}

impl From<Font> for crate::render::svg::Font {
    fn from(font: Font) -> Self {
        match font {
            Font::Sans => Self::Sans,
            Font::Mono => Self::Mono,
        }
    }
}

/// A box: `{id, title, text, items}`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BoxSpec {
    /// The id arrows refer to; defaults to the title, lower-cased, spaces → `-`.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub id: Option<Spanned<String>>,
    /// The title, drawn centred.
    #[schemars(with = "Text")]
    pub title: Spanned<String>,
    /// A paragraph centred under the title.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub text: Option<Spanned<String>>,
    /// Bullet items under the text.
    #[serde(default)]
    #[schemars(with = "Vec<Text>")]
    pub items: Vec<Spanned<String>>,
}

/// A control-plane service: `{id, title, text, serves}`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// The service's id; defaults to the title, lower-cased, spaces → `-`.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub id: Option<Spanned<String>>,
    /// The title.
    #[schemars(with = "Text")]
    pub title: Spanned<String>,
    /// A paragraph under the title.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub text: Option<Spanned<String>>,
    /// The boxes the service serves.
    #[schemars(with = "Serves")]
    pub serves: Spanned<Serves>,
}

/// `serves:` — one box id, or a list of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Serves {
    /// `serves: ingest`; its position is the enclosing [`Spanned`]'s.
    One(String),
    /// `serves: [ingest, storage]`.
    Many(Vec<Spanned<String>>),
}

/// A group: `{id, title, boxes}`, drawn as a titled frame around its boxes.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// The group's id; defaults to the title, lower-cased, spaces → `-`.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub id: Option<Spanned<String>>,
    /// The frame's title.
    #[schemars(with = "Text")]
    pub title: Spanned<String>,
    /// The ids of the boxes inside the frame.
    #[schemars(with = "Vec<Text>")]
    pub boxes: Vec<Spanned<String>>,
}

/// One entry of `arrows:`, in any of its three forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArrowSpec {
    /// `a -> b` or a chain `a -> b -> c`: the text as written, not yet split. Its position is
    /// the enclosing [`Spanned`]'s.
    Chain(String),
    /// `a -> b: label` (a one-key map): the arrow text and the label.
    Labelled {
        /// The key, `a -> b`.
        arrow: Spanned<String>,
        /// The value; `None` when left empty (`a -> b:`).
        label: Option<Spanned<String>>,
    },
    /// `{from: a, to: b, label: …}`.
    Long {
        /// The tail's box id.
        from: Spanned<String>,
        /// The head's box id.
        to: Spanned<String>,
        /// The label, if any.
        label: Option<Spanned<String>>,
    },
}

impl<'de> Deserialize<'de> for ArrowSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ArrowVisitor)
    }
}

struct ArrowVisitor;

impl<'de> Visitor<'de> for ArrowVisitor {
    type Value = ArrowSpec;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an arrow: `a -> b`, `a -> b: label` or `{from: a, to: b, label: …}`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ArrowSpec, E> {
        Ok(ArrowSpec::Chain(v.to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ArrowSpec, A::Error> {
        let Some(first) = map.next_key::<Spanned<String>>()? else {
            return Err(de::Error::custom(
                "an empty map is not an arrow: write `a -> b` or `{from: a, to: b}`",
            ));
        };
        // A key holding `->` is the one-key form; anything else is the long form, so a typo
        // like `form:` is reported as an unknown key rather than as a strange arrow.
        if first.value.contains("->") {
            let label = map.next_value::<Option<Spanned<String>>>()?;
            if let Some(extra) = map.next_key::<Spanned<String>>()? {
                return Err(de::Error::custom(format!(
                    "an arrow written `a -> b: label` is a map with one key, but this one also \
                     has `{}`",
                    escape(&extra.value)
                )));
            }
            return Ok(ArrowSpec::Labelled { arrow: first, label });
        }
        const FIELDS: &[&str] = &["from", "to", "label"];
        let (mut from, mut to, mut label, mut seen_label) = (None, None, None, false);
        let mut key = Some(first);
        while let Some(k) = key {
            match k.value.as_str() {
                "from" if from.is_none() => from = Some(map.next_value::<Spanned<String>>()?),
                "to" if to.is_none() => to = Some(map.next_value::<Spanned<String>>()?),
                "label" if !seen_label => {
                    label = map.next_value::<Option<Spanned<String>>>()?;
                    seen_label = true;
                }
                "from" | "to" | "label" => return Err(de::Error::duplicate_field("label")),
                other => return Err(de::Error::unknown_field(other, FIELDS)),
            }
            key = map.next_key::<Spanned<String>>()?;
        }
        let from = from.ok_or_else(|| de::Error::missing_field("from"))?;
        let to = to.ok_or_else(|| de::Error::missing_field("to"))?;
        Ok(ArrowSpec::Long { from, to, label })
    }
}

impl<'de> Deserialize<'de> for Serves {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ServesVisitor)
    }
}

struct ServesVisitor;

impl<'de> Visitor<'de> for ServesVisitor {
    type Value = Serves;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a box id or a list of box ids")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Serves, E> {
        Ok(Serves::One(v.to_owned()))
    }

    // Box ids may be numbers (`id: 7` is the string "7"), so `serves: 7` must work too.
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Serves, E> {
        Ok(Serves::One(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Serves, E> {
        Ok(Serves::One(v.to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Serves, A::Error> {
        let mut ids = Vec::new();
        while let Some(id) = seq.next_element::<Spanned<String>>()? {
            ids.push(id);
        }
        Ok(Serves::Many(ids))
    }
}

/// A text value in the JSON Schema. YAML reads `7` and `true` as a number and a boolean,
/// but archdraw takes any scalar where text belongs (`id: 7` is the id "7"), so the schema
/// must not flag them either.
struct Text;

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Text. A number or `true`/`false` is read as the text it spells.",
            "type": ["string", "number", "boolean"]
        })
    }
}

// The arrow and serves schemas are written by hand because their Deserialize impls are:
// a derive would describe the Rust enums, not the YAML shapes the visitors accept.
impl JsonSchema for ArrowSpec {
    fn schema_name() -> Cow<'static, str> {
        "Arrow".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let text = generator.subschema_for::<Text>();
        let optional_text = generator.subschema_for::<Option<Text>>();
        json_schema!({
            "description": "An arrow: `a -> b`, a chain `a -> b -> c`, `a -> b: label`, or \
                            `{from: a, to: b, label: …}`.",
            "anyOf": [
                {
                    "description": "`a -> b`, or a chain `a -> b -> c`.",
                    "type": "string",
                    "pattern": "->"
                },
                {
                    "description": "`a -> b: label`: one key, the arrow, and its label.",
                    "type": "object",
                    "minProperties": 1,
                    "maxProperties": 1,
                    "patternProperties": { "->": optional_text },
                    "additionalProperties": false
                },
                {
                    "description": "The long form.",
                    "type": "object",
                    "properties": {
                        "from": text.clone(),
                        "to": text,
                        "label": optional_text
                    },
                    "required": ["from", "to"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

impl JsonSchema for Serves {
    fn schema_name() -> Cow<'static, str> {
        "Serves".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let text = generator.subschema_for::<Text>();
        json_schema!({
            "description": "The boxes a service serves: one box id, or a list of them.",
            "anyOf": [text.clone(), { "type": "array", "items": text }]
        })
    }
}

/// The JSON Schema (draft-07) of a spec, pretty-printed with a final newline.
///
/// Generated from the [`Spec`] types, so it always matches what [`parse`](crate::parse)
/// accepts in shape: keys, value types, allowed values. It cannot check ids, which
/// [`Diagram::from_spec`](crate::Diagram::from_spec) resolves. Editors that speak
/// yaml-language-server use it for completion and inline errors; a spec may name it in a
/// `$schema:` key, which archdraw ignores.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&archdraw::spec::json_schema())?;
/// assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
/// assert_eq!(schema["required"][0], "boxes");
/// assert_eq!(schema["additionalProperties"], false);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn json_schema() -> String {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Spec>();
    // A Schema is a serde_json::Value inside, which always serialises.
    let mut json = serde_json::to_string_pretty(&schema)
        .unwrap_or_else(|e| unreachable!("a JSON Schema always serialises: {e}"));
    json.push('\n');
    json
}

/// The position of a spanned value, or `None` when it was not read from YAML.
pub(crate) fn span_of(location: &Location) -> Option<Span> {
    let line = usize::try_from(location.line()).ok()?;
    let column = usize::try_from(location.column()).ok()?;
    if line == 0 || column == 0 {
        return None;
    }
    let len = usize::try_from(location.span().len()).unwrap_or(0);
    Some(Span::new(line, column, len))
}

/// Maps char positions inside a scalar's value to source positions.
///
/// The source text of a plain scalar is its value, and that of a quoted scalar without escapes
/// is its value between two quotes; for anything else (escapes, block scalars, folded lines)
/// the value's chars do not map onto source columns, so the whole scalar is returned.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScalarSpans {
    whole: Option<Span>,
    /// Columns from the scalar's start to its value's first char, when chars map 1:1.
    offset: Option<usize>,
}

impl ScalarSpans {
    /// Measures once, so a long chain can map each of its ids cheaply.
    pub(crate) fn new(location: &Location, value: &str) -> Self {
        let whole = span_of(location);
        let offset = whole.and_then(|whole| {
            if value.contains('\n') {
                return None;
            }
            let chars = value.chars().count();
            if whole.len == chars {
                Some(0)
            } else if whole.len == chars + 2 {
                Some(1)
            } else {
                None
            }
        });
        Self { whole, offset }
    }

    /// The position of the value's chars `start..start + len`.
    pub(crate) fn at(&self, start: usize, len: usize) -> Option<Span> {
        let whole = self.whole?;
        Some(match self.offset {
            Some(offset) => Span::new(whole.line, whole.column + offset + start, len),
            None => whole,
        })
    }
}

/// One id of an arrow chain: its text and where it sits in the chain's text, in chars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Link<'a> {
    pub id: &'a str,
    pub start: usize,
    pub len: usize,
}

/// Splits `a -> b -> c` at every `->`, trimming the white space around each id.
pub(crate) fn chain_links(text: &str) -> Vec<Link<'_>> {
    let mut links = Vec::new();
    let mut start_chars = 0;
    for piece in text.split("->") {
        let leading = piece.len() - piece.trim_start().len();
        let id = piece.trim();
        let start = start_chars + piece[..leading].chars().count();
        links.push(Link { id, start, len: id.chars().count() });
        start_chars += piece.chars().count() + 2;
    }
    links
}

/// Shows user text inside a message: control characters escaped so a message never carries
/// them to a terminal, and very long text shortened.
pub(crate) fn escape(text: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() || crate::model::text::is_hidden_control(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses `yaml` into a [`Spec`]; see [`crate::parse`].
pub(crate) fn parse(yaml: &str, limits: &Limits) -> Result<Spec, Error> {
    // serde-saphyr also skips a BOM, but stripping it here keeps columns on line 1 the same
    // for us, the parser and the CLI's snippet.
    let yaml = yaml.strip_prefix('\u{feff}').unwrap_or(yaml);
    if yaml.len() > limits.max_input_bytes {
        return Err(Diagnostic::new(format!(
            "the spec is too large: {} bytes, over the limit of {} bytes",
            yaml.len(),
            limits.max_input_bytes
        ))
        .with_help("split the diagram into smaller ones")
        .into());
    }
    match serde_saphyr::from_str_with_options::<Option<Spec>>(yaml, parser_options(limits)) {
        Ok(Some(spec)) => Ok(spec),
        Ok(None) => Err(Diagnostic::new("the spec is empty: add `boxes:`")
            .with_help("a minimal spec is `boxes: [{title: Hello}]`")
            .into()),
        Err(error) => Err(yaml_diagnostic(&error, yaml).into()),
    }
}

/// Parser limits: generous for any real spec, tight enough that an alias bomb or a deeply
/// nested file fails fast instead of eating memory.
fn parser_options(limits: &Limits) -> serde_saphyr::Options {
    let bytes = limits.max_input_bytes;
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_documents: 2,
            max_depth: 24,
            max_aliases: 10_000,
            max_anchors: 10_000,
            // Without aliases, nodes and events are bounded by the input size anyway.
            max_nodes: bytes.saturating_add(10_000),
            max_events: bytes.saturating_mul(2).saturating_add(10_000),
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 16,
        },
        with_snippet: false,
    }
}

/// Turns a serde-saphyr error into a diagnostic with our wording for the common cases;
/// `source` is the text that was parsed.
fn yaml_diagnostic(error: &serde_saphyr::Error, source: &str) -> Diagnostic {
    use serde_saphyr::Error as E;
    use serde_saphyr::MessageFormatter;

    let span = error.location().as_ref().and_then(span_of);
    let mut inner = error;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = inner {
        inner = error;
    }
    let (message, help): (String, Option<String>) = match inner {
        E::SerdeUnknownField { field, expected, .. } => (
            format!("unknown key `{}`", escape(field)),
            Some(match closest(field, expected.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the keys allowed here are {}", list(expected)),
            }),
        ),
        E::SerdeUnknownVariant { variant, expected, .. } => (
            format!("unknown value `{}`", escape(variant)),
            Some(format!("expected one of {}", list(expected))),
        ),
        E::SerdeMissingField { field, .. } => {
            (format!("missing key `{field}`"), missing_key_help(field).map(str::to_owned))
        }
        E::SerdeInvalidType { unexpected, expected, .. } => {
            let found = if unexpected == "unit value" { "nothing" } else { unexpected };
            (format!("expected {}, found {found}", describe_expected(expected)), None)
        }
        E::Unexpected { expected, .. } => (
            format!("expected {}", describe_expected(expected)),
            Some(
                match *expected {
                    "sequence start" => "write a list: `[a, b]`, or one `- item` per line",
                    "mapping start" => "write `key: value` pairs",
                    "string scalar" => {
                        "write plain text; quote it if it starts with `[`, `{` or `*`"
                    }
                    _ => "check the indentation and the `-` and `:` around here",
                }
                .to_owned(),
            ),
        ),
        E::InvalidScalar { ty, .. } => {
            let wanted = match *ty {
                "bool" => "true or false",
                t if t.starts_with('f') => "a number",
                _ => "a whole number",
            };
            let found = span.and_then(|s| text_at(source, s));
            (
                match found {
                    Some(found) => format!("expected {wanted}, found `{}`", escape(&found)),
                    None => format!("expected {wanted}"),
                },
                None,
            )
        }
        E::NullIntoString { .. } => (
            "expected text here, found nothing".to_owned(),
            Some("write a value after the `:`, or remove the key".to_owned()),
        ),
        E::DuplicateMappingKey { key, .. } => (
            match key {
                Some(key) => format!("duplicate key `{}`", escape(key)),
                None => "duplicate key".to_owned(),
            },
            Some("a key may appear only once in a map".to_owned()),
        ),
        E::MultipleDocuments { .. } => (
            "a spec is one YAML document, but a second one starts here".to_owned(),
            Some("remove the `---` line, or split the specs into two files".to_owned()),
        ),
        E::Budget { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => (
            "the spec is too large or too deeply nested to read safely".to_owned(),
            Some(
                "YAML aliases (`*name`), nesting and size are limited to guard against \
                 runaway input"
                    .to_owned(),
            ),
        ),
        other => {
            let message = serde_saphyr::UserMessageFormatter.format_message(other).into_owned();
            // A raw control character (an ESC pasted from a terminal, a NUL) stops the YAML
            // scanner; say which one in the words the checks on quoted text use.
            let found = span.and_then(|s| char_at(source, s));
            if let Some(c) = found.filter(|&c| c.is_control() && !matches!(c, '\t' | '\r' | '\n')) {
                let what = if c == '\u{1b}' || c == '\u{9b}' {
                    "an ANSI escape sequence".to_owned()
                } else {
                    format!("the control character U+{:04X}", u32::from(c))
                };
                return Diagnostic::new(format!("the spec contains {what}"))
                    .with_span_opt(span.map(|s| Span::new(s.line, s.column, 1)))
                    .with_help(
                        "remove it; tabs and line breaks are the only control characters allowed",
                    );
            }
            if message.contains("tab") {
                return tab_diagnostic(source, span, message);
            }
            if message.contains("recursion limit") {
                return Diagnostic::new("the spec is nested too deeply")
                    .with_span_opt(span)
                    .with_help("a spec needs only a few levels: lists of maps of text");
            }
            (message, None)
        }
    };
    let mut diagnostic = Diagnostic::new(escape_controls(&message)).with_span_opt(span);
    diagnostic.help = help;
    diagnostic
}

/// The parser reports a tab in the indentation where the scalar before it started; point at
/// the first indenting tab from there on instead, which is what the user has to change.
fn tab_diagnostic(source: &str, span: Option<Span>, message: String) -> Diagnostic {
    let from = span.map_or(0, |s| s.line.saturating_sub(1));
    let tab = source.lines().enumerate().skip(from).find_map(|(i, line)| {
        let indent = &line[..line.len() - line.trim_start().len()];
        indent.chars().position(|c| c == '\t').map(|column| Span::new(i + 1, column + 1, 1))
    });
    let help = "YAML indents with spaces only; replace the tab with spaces";
    match tab {
        Some(tab) => Diagnostic::new("a tab in the indentation").with_span(tab).with_help(help),
        None => Diagnostic::new(escape_controls(&message)).with_span_opt(span).with_help(help),
    }
}

/// The char a span starts at.
fn char_at(source: &str, span: Span) -> Option<char> {
    source.lines().nth(span.line.checked_sub(1)?)?.chars().nth(span.column.checked_sub(1)?)
}

/// The source text a span covers, if it lies on one line.
fn text_at(source: &str, span: Span) -> Option<String> {
    let line = source.lines().nth(span.line.checked_sub(1)?)?;
    let text: String = line.chars().skip(span.column.checked_sub(1)?).take(span.len).collect();
    (!text.is_empty()).then_some(text)
}

/// serde's description of a wanted value, in words a spec author knows.
fn describe_expected(expected: &str) -> String {
    match expected {
        "sequence start" | "a sequence" => "a list".to_owned(),
        "mapping start" | "a map" => "a map of `key: value` pairs".to_owned(),
        "struct Spec" => "a map with `boxes:` and other keys".to_owned(),
        "struct BoxSpec" => "a box: a map with `title:`".to_owned(),
        "struct ServiceSpec" => "a service: a map with `title:` and `serves:`".to_owned(),
        "struct GroupSpec" => "a group: a map with `title:` and `boxes:`".to_owned(),
        "a string" | "string scalar" => "text".to_owned(),
        other => other.to_owned(),
    }
}

fn missing_key_help(field: &str) -> Option<&'static str> {
    Some(match field {
        "boxes" => "list the diagram's boxes under `boxes:`, e.g. `boxes: [{title: Ingest}]`",
        "title" => "every box, service and group needs a `title:`",
        "serves" => "name the boxes this service serves: `serves: ingest` or `serves: [a, b]`",
        "from" | "to" => "the long form of an arrow is `{from: a, to: b, label: …}`",
        _ => return None,
    })
}

/// `` `a`, `b` or `c` ``
fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

fn escape_controls(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> =
                if c.is_control() { c.escape_default().collect() } else { vec![c] };
            escaped
        })
        .collect()
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo
/// (or differs only in case). Ties go to the earlier candidate, so the answer is stable.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Long words are not typos of short ids, and bounding the length bounds the work.
    const MAX_LEN: usize = 64;
    let len = word.chars().count();
    if len == 0 || len > MAX_LEN {
        return None;
    }
    let lower = word.to_lowercase();
    let limit = (len.max(3) / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        if candidate.to_lowercase() == lower {
            return Some(candidate);
        }
        let clen = candidate.chars().count();
        if clen > MAX_LEN || clen.abs_diff(len) > limit {
            continue;
        }
        let d = edit_distance(word, candidate);
        // Replacing every char (`c` for `a`) is not a typo.
        if d <= limit && d < len.max(clen) && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance over chars where swapping two neighbours counts as one edit (optimal string
/// alignment), since `itmes` for `items` is the commonest typo of all.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() {
        return b.len();
    }
    let width = b.len() + 1;
    // Three rows: two back (for transpositions), one back, and the current one.
    let mut rows = vec![vec![0usize; width]; 3];
    rows[1] = (0..width).collect();
    for i in 1..=a.len() {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i;
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[prev][j] + 1).min(rows[cur][j - 1] + 1).min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[prev2][j - 2] + 1);
            }
            rows[cur][j] = d;
        }
    }
    rows[a.len() % 3][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Spec, Error> {
        super::parse(yaml, &Limits::default())
    }

    fn first(result: Result<Spec, Error>) -> Diagnostic {
        match result {
            Ok(spec) => panic!("expected an error, got {spec:?}"),
            Err(error) => error.diagnostics[0].clone(),
        }
    }

    #[test]
    fn reads_every_arrow_form_with_positions() {
        let spec = parse(
            "boxes: [{title: a}]\narrows:\n  - a -> b -> c\n  - \"a -> b\": hi\n  - {from: a, to: b, label: x}\n",
        )
        .unwrap();
        assert_eq!(spec.arrows[0].value, ArrowSpec::Chain("a -> b -> c".to_owned()));
        assert_eq!(span_of(&spec.arrows[0].referenced), Some(Span::new(3, 5, 11)));
        match &spec.arrows[1].value {
            ArrowSpec::Labelled { arrow, label } => {
                assert_eq!(arrow.value, "a -> b");
                assert_eq!(span_of(&arrow.referenced), Some(Span::new(4, 5, 8)));
                assert_eq!(label.as_ref().unwrap().value, "hi");
            }
            other => panic!("{other:?}"),
        }
        match &spec.arrows[2].value {
            ArrowSpec::Long { from, to, label } => {
                assert_eq!((from.value.as_str(), to.value.as_str()), ("a", "b"));
                assert_eq!(span_of(&to.referenced), Some(Span::new(5, 19, 1)));
                assert_eq!(label.as_ref().unwrap().value, "x");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn serves_takes_one_id_or_a_list() {
        let spec = parse(
            "boxes: [{title: a}]\nservices:\n  - {title: s, serves: a}\n  - {title: t, serves: [a, b]}\n",
        )
        .unwrap();
        assert_eq!(spec.services[0].serves.value, Serves::One("a".to_owned()));
        match &spec.services[1].serves.value {
            Serves::Many(ids) => {
                assert_eq!(ids.len(), 2);
                assert_eq!(span_of(&ids[1].referenced), Some(Span::new(4, 28, 1)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn typos_in_keys_are_located_with_a_suggestion() {
        let d = first(parse("boxes:\n  - title: a\n    itmes: [x]\n"));
        assert_eq!(d.message, "unknown key `itmes`");
        assert_eq!(d.span.map(|s| (s.line, s.column)), Some((3, 5)));
        assert_eq!(d.help.as_deref(), Some("did you mean `items`?"));

        let d = first(parse("boxes: [{title: a}]\narrows:\n  - {form: a, to: b}\n"));
        assert_eq!(d.message, "unknown key `form`");
        assert_eq!(d.help.as_deref(), Some("did you mean `from`?"));
    }

    #[test]
    fn empty_documents_say_so() {
        for yaml in ["", "\n", "# only a comment\n", "~\n", "---\n", "\u{feff}"] {
            let d = first(parse(yaml));
            assert_eq!(d.message, "the spec is empty: add `boxes:`", "{yaml:?}");
            assert_eq!(d.span, None);
        }
    }

    #[test]
    fn syntax_errors_are_located() {
        let d = first(parse("boxes: [{title: a}\n"));
        assert!(d.span.is_some(), "{d:?}");
        let d = first(parse("boxes:\n  - title: a\n   title: b\n"));
        assert_eq!(d.span.map(|s| s.line), Some(3), "{d:?}");
    }

    #[test]
    fn oversized_input_is_refused_before_parsing() {
        let limits = Limits { max_input_bytes: 10, ..Limits::default() };
        let d = first(super::parse("boxes: [{title: abc}]", &limits));
        assert!(d.message.starts_with("the spec is too large: 21 bytes"), "{}", d.message);
    }

    #[test]
    fn alias_bombs_stop_at_the_budget() {
        // The spec's types hold no nested lists, so the bomb that fits them is a wide one: one
        // anchored list of 1,000 items replayed by 200 boxes is 200,000 strings from 4 KB.
        let mut yaml =
            format!("boxes:\n  - title: t\n    items: &l [{}]\n", vec!["x"; 1000].join(", "));
        for i in 0..200 {
            yaml.push_str(&format!("  - {{title: b{i}, items: *l}}\n"));
        }
        let d = first(parse(&yaml));
        assert_eq!(d.message, "the spec is too large or too deeply nested to read safely");
        assert!(d.span.is_some(), "{d:?}");
    }

    #[test]
    fn chain_links_know_their_char_offsets() {
        let links = chain_links("数据 -> b->  c ");
        let got: Vec<_> = links.iter().map(|l| (l.id, l.start, l.len)).collect();
        assert_eq!(got, [("数据", 0, 2), ("b", 6, 1), ("c", 11, 1)]);
        assert_eq!(chain_links("a").len(), 1);
        assert_eq!(chain_links("a -> ").last().map(|l| l.id), Some(""));
    }

    #[test]
    fn closest_finds_typos_and_case_slips() {
        let ids = ["ingest", "storage", "serve"];
        assert_eq!(closest("strage", ids), Some("storage"));
        assert_eq!(closest("Serve", ids), Some("serve"));
        assert_eq!(closest("kafka", ids), None);
        assert_eq!(closest("bb", ["b", "c"]), Some("b"));
        assert_eq!(closest("c", ["a", "b"]), None);
        assert_eq!(edit_distance("itmes", "items"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn escape_neutralises_control_characters() {
        assert_eq!(escape("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape(&"x".repeat(100)).chars().count(), 61);
    }
}
