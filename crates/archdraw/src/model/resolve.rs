//! Spec → model: resolves ids, measures text and collects every problem with its position.
//!
//! Nothing stops at the first problem: every check runs, each problem becomes a located
//! [`Diagnostic`], and the caller gets them all at once, sorted by position.

use std::collections::{BTreeMap, BTreeSet};

use super::{Diagram, Edge, Fit, Group, Node, NodeId, Service};
use crate::diagnostic::{Diagnostic, Error, Span, closest};
use crate::limits::Limits;
use crate::spec::{
    ArrowSpec, BoxSpec, GroupSpec, Location, ScalarSpans, Serves, ServiceSpec, Spanned, Spec,
    chain_links, escape, span_of,
};
use crate::style::Appearance;
use crate::text::TextBlock;

impl Diagram {
    /// Validates `spec` and resolves it into a diagram, with the default [`Limits`].
    ///
    /// # Errors
    ///
    /// Every problem in the spec, each located where possible: duplicate or unknown ids (with a
    /// "did you mean" hint), an arrow chain with fewer than two ids, no boxes, control
    /// characters in text, text over the length limit, too many boxes.
    ///
    /// ```
    /// let spec = archdraw::parse("boxes: [{id: a, title: A}]\narrows: [a -> b]\n")?;
    /// let error = archdraw::Diagram::from_spec(&spec).unwrap_err();
    /// assert_eq!(error.diagnostics[0].message, "unknown box 'b'");
    /// assert_eq!(error.diagnostics[0].span.map(|s| (s.line, s.column)), Some((2, 15)));
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn from_spec(spec: &Spec) -> Result<Diagram, Error> {
        Self::from_spec_with_limits(spec, &Limits::default())
    }

    /// Like [`Diagram::from_spec`], with explicit limits.
    ///
    /// # Errors
    ///
    /// As [`Diagram::from_spec`].
    pub fn from_spec_with_limits(spec: &Spec, limits: &Limits) -> Result<Diagram, Error> {
        Resolver { limits, problems: Vec::new(), ids: BTreeMap::new(), box_ids: Vec::new() }
            .resolve(spec)
    }
}

/// What kind of thing an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Box,
    Service,
    Group,
}

impl Kind {
    const fn noun(self) -> &'static str {
        match self {
            Kind::Box => "box",
            Kind::Service => "service",
            Kind::Group => "group",
        }
    }
}

/// Who owns an id.
#[derive(Debug, Clone, Copy)]
struct Owner {
    kind: Kind,
    index: usize,
    span: Option<Span>,
}

/// Where a reference to a box appears, which decides the wording of its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Arrow,
    LongArrow,
    Serves,
    Group,
}

/// An id as it will be registered: explicit or derived from the title.
struct IdEntry {
    id: String,
    explicit: bool,
    kind: Kind,
    index: usize,
    span: Option<Span>,
}

/// Beyond this many problems, stop computing "did you mean" hints: each costs a pass over every
/// box id, and a spec with that many problems needs no more guesses.
const MAX_SUGGESTIONS: usize = 64;

struct Resolver<'a> {
    limits: &'a Limits,
    problems: Vec<Diagnostic>,
    ids: BTreeMap<String, Owner>,
    /// Box ids and titles in input order, for hints.
    box_ids: Vec<(usize, String, String)>,
}

impl Resolver<'_> {
    fn resolve(mut self, spec: &Spec) -> Result<Diagram, Error> {
        if let Some(error) = self.too_many(spec) {
            return Err(error);
        }
        if spec.boxes.is_empty() {
            self.problems
                .push(Diagnostic::new("the spec has no boxes").with_help(
                    "list at least one under `boxes:`, e.g. `boxes: [{title: Ingest}]`",
                ));
        }
        let title = spec.title.as_ref().and_then(|t| self.checked(t, "the diagram title"));
        if let Some(width) = &spec.max_width
            && width.value == 0
        {
            self.problems.push(
                Diagnostic::new("max_width must be at least 1")
                    .with_span_opt(span_of(&width.referenced))
                    .with_help("leave it out to draw at the natural width"),
            );
        }
        let fit = spec.fit.as_ref().and_then(|fit| match fit.value.parse::<Fit>() {
            Ok(fit) => Some(fit),
            Err(problem) => {
                self.problems.push(
                    Diagnostic::new(format!("fit: {problem}"))
                        .with_span_opt(span_of(&fit.referenced))
                        .with_help(format!("write {}", Fit::EXPECTED)),
                );
                None
            }
        });

        self.register_ids(spec);
        let nodes: Vec<Node> = spec.boxes.iter().map(|b| self.node(b)).collect();
        let edges = self.edges(spec);
        let services: Vec<Service> = spec.services.iter().map(|s| self.service(s)).collect();
        let groups = self.groups(spec);

        if !self.problems.is_empty() {
            return Err(Error::new(self.problems));
        }
        Ok(Diagram {
            title,
            direction: spec.direction.unwrap_or_default(),
            direction_given: spec.direction.is_some(),
            max_width: spec.max_width.as_ref().map(|w| w.value),
            fit,
            nodes,
            edges,
            services,
            groups,
            appearance: Appearance {
                theme: spec.theme.unwrap_or_default(),
                style: spec.style.unwrap_or_default(),
                font: spec.font.unwrap_or_default(),
            },
        })
    }

    /// Refuses oversized specs up front, so nothing below does work proportional to them.
    fn too_many(&self, spec: &Spec) -> Option<Error> {
        let max = self.limits.max_boxes;
        let lists = [
            ("boxes", spec.boxes.get(max).map(|b| &b.title), spec.boxes.len()),
            ("services", spec.services.get(max).map(|s| &s.title), spec.services.len()),
            ("groups", spec.groups.get(max).map(|g| &g.title), spec.groups.len()),
        ];
        lists.into_iter().find_map(|(what, first_over, count)| {
            let first_over = first_over?;
            Some(
                Diagnostic::new(format!("too many {what}: {count}, over the limit of {max}"))
                    .with_span_opt(span_of(&first_over.referenced))
                    .with_help("split the diagram into smaller ones")
                    .into(),
            )
        })
    }

    /// Checks a text for length and control characters, reporting at most one problem.
    fn check(&mut self, value: &str, location: &Location, what: &str) -> bool {
        let len = value.chars().count();
        if len > self.limits.max_text_len {
            self.problems.push(
                Diagnostic::new(format!(
                    "{what} is too long: {len} characters, over the limit of {}",
                    self.limits.max_text_len
                ))
                .with_span_opt(span_of(location))
                .with_help("shorten it; long text is wrapped, so it need not be on one line"),
            );
            return false;
        }
        let all: Vec<char> = value.chars().collect();
        let mut chars = value.chars().enumerate().peekable();
        while let Some((i, c)) = chars.next() {
            // Tabs become spaces and line breaks are explicit breaks (TextBlock::new); a CR is
            // fine only as half of a CRLF.
            let allowed = c == '\t'
                || c == '\n'
                || (c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n'));
            let separator = matches!(c, '\u{2028}' | '\u{2029}');
            if c == '\u{1f3f4}' {
                // A flag of a region (🏴 and tag letters up to a cancel tag) is the one use of
                // tag characters: its tags are part of a visible emoji.
                let tags = emoji_flag_tags(&all[i + 1..]);
                for _ in 0..tags {
                    chars.next();
                }
                continue;
            }
            let tag = is_tag(c);
            if allowed || !(c.is_control() || is_bidi_control(c) || separator || tag) {
                continue;
            }
            let span = ScalarSpans::new(location, value).at(i, 1);
            let diagnostic = if tag {
                Diagnostic::new(format!(
                    "{what} contains the invisible tag character U+{:04X}",
                    u32::from(c)
                ))
                .with_help(
                    "remove it: tag characters draw as nothing, so the drawing would carry text \
                     nobody can see (only an emoji flag such as 🏴 of a region holds them)",
                )
            } else if separator {
                // Not control characters either, but editors and some terminals break the
                // line there, which would tear the box apart.
                Diagnostic::new(format!(
                    "{what} contains the {} separator U+{:04X}",
                    if c == '\u{2028}' { "line" } else { "paragraph" },
                    u32::from(c)
                ))
                .with_help("write a line break instead")
            } else if is_bidi_control(c) {
                Diagnostic::new(format!(
                    "{what} contains the bidirectional control character U+{:04X}",
                    u32::from(c)
                ))
                .with_help(
                    "remove it: it reorders the text around it, so the drawing would not read \
                     as the spec does",
                )
            } else if c == '\u{1b}' || c == '\u{9b}' {
                Diagnostic::new(format!("{what} contains an ANSI escape sequence")).with_help(
                    "remove it: a diagram is plain text, and escape codes break its lines",
                )
            } else {
                Diagnostic::new(format!(
                    "{what} contains the control character U+{:04X}",
                    u32::from(c)
                ))
                .with_help(
                    "remove it; tabs and line breaks are the only control characters allowed",
                )
            };
            self.problems.push(diagnostic.with_span_opt(span));
            return false;
        }
        true
    }

    /// The text if it passes [`Resolver::check`].
    fn checked(&mut self, value: &Spanned<String>, what: &str) -> Option<String> {
        self.check(&value.value, &value.referenced, what).then(|| value.value.clone())
    }

    /// The text measured, or an empty block if it fails [`Resolver::check`] (the error is
    /// recorded; the block is never used then).
    fn block(&mut self, value: &Spanned<String>, what: &str) -> TextBlock {
        if self.check(&value.value, &value.referenced, what) {
            TextBlock::new(&value.value)
        } else {
            TextBlock::default()
        }
    }

    /// The id of a box, service or group, checking an explicit one.
    fn id_of(
        &mut self,
        id: Option<&Spanned<String>>,
        title: &Spanned<String>,
        kind: Kind,
    ) -> Option<(String, bool, Option<Span>)> {
        let noun = kind.noun();
        let Some(id) = id else {
            let derived = default_id(&title.value);
            if derived.is_empty() {
                self.problems.push(
                    Diagnostic::new(format!("this {noun} has an empty title and no id"))
                        .with_span_opt(span_of(&title.referenced))
                        .with_help("give it an `id:` (or a title)"),
                );
                return None;
            }
            return Some((derived, false, span_of(&title.referenced)));
        };
        let span = span_of(&id.referenced);
        if !self.check(&id.value, &id.referenced, &format!("the {noun} id")) {
            return None;
        }
        let problem = if id.value.trim().is_empty() {
            Some(("an id cannot be empty", "write an id, or leave `id:` out to use the title"))
        } else if id.value.trim() != id.value {
            Some(("an id cannot start or end with white space", "remove the spaces at its ends"))
        } else if id.value.contains("->") {
            Some(("an id cannot contain `->`", "`->` separates the ids of an arrow"))
        } else {
            None
        };
        if let Some((message, help)) = problem {
            self.problems.push(Diagnostic::new(message).with_span_opt(span).with_help(help));
            return None;
        }
        Some((id.value.clone(), true, span))
    }

    /// Gives every box, service and group its id and reports duplicates at the later one.
    fn register_ids(&mut self, spec: &Spec) {
        let mut entries = Vec::new();
        let mut add = |this: &mut Self, id, title, kind, index| {
            if let Some((id, explicit, span)) = this.id_of(id, title, kind) {
                entries.push(IdEntry { id, explicit, kind, index, span });
            }
        };
        for (i, b) in spec.boxes.iter().enumerate() {
            add(self, b.id.as_ref(), &b.title, Kind::Box, i);
        }
        for (i, s) in spec.services.iter().enumerate() {
            add(self, s.id.as_ref(), &s.title, Kind::Service, i);
        }
        for (i, g) in spec.groups.iter().enumerate() {
            add(self, g.id.as_ref(), &g.title, Kind::Group, i);
        }
        // Source order decides which of two is "the duplicate", whatever order the keys are in.
        entries.sort_by_key(|e| (e.span.is_none(), e.span));
        for entry in entries {
            if let Some(first) = self.ids.get(&entry.id) {
                let place = match first.span {
                    Some(span) => format!("the {} on line {}", first.kind.noun(), span.line),
                    None => format!("another {}", first.kind.noun()),
                };
                let mut help = format!("{place} already has this id");
                if !entry.explicit {
                    help.push_str(
                        "; ids default to the title, lower-cased with spaces as `-`, so give one \
                         of them an `id:`",
                    );
                }
                self.problems.push(
                    Diagnostic::new(format!("duplicate id '{}'", escape(&entry.id)))
                        .with_span_opt(entry.span)
                        .with_help(help),
                );
                continue;
            }
            if entry.kind == Kind::Box {
                let title = spec.boxes.get(entry.index).map(|b| b.title.value.clone());
                self.box_ids.push((entry.index, entry.id.clone(), title.unwrap_or_default()));
            }
            self.ids
                .insert(entry.id, Owner { kind: entry.kind, index: entry.index, span: entry.span });
        }
        // Hints list box ids in input order.
        self.box_ids.sort_by_key(|(index, _, _)| *index);
    }

    fn node(&mut self, spec: &BoxSpec) -> Node {
        let id = match &spec.id {
            Some(id) => id.value.clone(),
            None => default_id(&spec.title.value),
        };
        let title = self.block(&spec.title, "a box title");
        let text = spec.text.as_ref().map(|t| self.block(t, "a box's text")).unwrap_or_default();
        let items = spec.items.iter().map(|item| self.block(item, "an item")).collect();
        Node { id, title, text, items }
    }

    fn edges(&mut self, spec: &Spec) -> Vec<Edge> {
        let mut edges = Vec::new();
        for entry in &spec.arrows {
            match &entry.value {
                ArrowSpec::Chain(text) => self.chain(text, &entry.referenced, None, &mut edges),
                ArrowSpec::Labelled { arrow, label } => {
                    self.chain(&arrow.value, &arrow.referenced, label.as_ref(), &mut edges);
                }
                ArrowSpec::Long { from, to, label } => {
                    let a =
                        self.box_ref(&from.value, span_of(&from.referenced), Context::LongArrow);
                    let b = self.box_ref(&to.value, span_of(&to.referenced), Context::LongArrow);
                    let label = self.label(label.as_ref());
                    if let (Some(from), Some(to)) = (a, b) {
                        edges.push(Edge { from, to, label });
                    }
                }
            }
            if edges.len() > self.limits.max_arrows {
                // Stop here: the rest would only make the list of problems longer.
                self.problems.push(
                    Diagnostic::new(format!(
                        "too many arrows: over the limit of {}",
                        self.limits.max_arrows
                    ))
                    .with_span_opt(span_of(&entry.referenced))
                    .with_help("split the diagram into smaller ones"),
                );
                break;
            }
        }
        edges
    }

    fn label(&mut self, label: Option<&Spanned<String>>) -> Option<TextBlock> {
        let block = self.block(label?, "an arrow label");
        (!block.is_empty()).then_some(block)
    }

    /// Expands `a -> b -> c` into its arrows.
    fn chain(
        &mut self,
        text: &str,
        location: &Location,
        label: Option<&Spanned<String>>,
        edges: &mut Vec<Edge>,
    ) {
        let links = chain_links(text);
        if links.len() < 2 {
            let help = if ["→", "<-", "=>", "-->"].iter().any(|a| text.contains(a)) {
                "write arrows with `->`, e.g. `a -> b`".to_owned()
            } else {
                format!("an arrow goes from one box to another: `{} -> other`", escape(text.trim()))
            };
            self.problems.push(
                Diagnostic::new(format!(
                    "an arrow needs at least two box ids, but '{}' has one",
                    escape(text.trim())
                ))
                .with_span_opt(span_of(location))
                .with_help(help),
            );
            return;
        }
        let spans = ScalarSpans::new(location, text);
        let mut ids = Vec::with_capacity(links.len());
        for link in &links {
            let span = spans.at(link.start, link.len);
            if link.id.is_empty() {
                self.problems.push(
                    Diagnostic::new("a box id is missing in this arrow")
                        .with_span_opt(span)
                        .with_help("every `->` needs a box id on both sides"),
                );
                ids.push(None);
            } else {
                ids.push(self.box_ref(link.id, span, Context::Arrow));
            }
        }
        if let Some(label) = label
            && links.len() > 2
        {
            self.problems.push(
                Diagnostic::new(format!(
                    "a label belongs to one arrow, but this is a chain of {} arrows",
                    links.len() - 1
                ))
                .with_span_opt(span_of(&label.referenced))
                .with_help("label one arrow at a time: `a -> b: label`"),
            );
        }
        let label = self.label(label);
        for pair in ids.windows(2) {
            if let [Some(from), Some(to)] = *pair {
                edges.push(Edge { from, to, label: label.clone() });
            }
        }
    }

    /// Resolves a reference to a box, reporting anything else.
    fn box_ref(&mut self, name: &str, span: Option<Span>, context: Context) -> Option<NodeId> {
        let owner = self.ids.get(name).copied();
        let (message, help) = match owner {
            Some(Owner { kind: Kind::Box, index, .. }) => return Some(NodeId(index)),
            Some(Owner { kind, .. }) => {
                let help = match (kind, context) {
                    (Kind::Service, Context::Arrow | Context::LongArrow) => {
                        "arrows connect boxes; a service's arrows come from its `serves:`"
                    }
                    (Kind::Service, Context::Serves) => {
                        "a service serves boxes, not other services"
                    }
                    (Kind::Service, Context::Group) => {
                        "services are drawn in their own row, not in groups"
                    }
                    (_, Context::Group) => "groups cannot be nested",
                    (_, Context::Serves) => "a service serves boxes; name the boxes in the group",
                    (_, Context::Arrow | Context::LongArrow) => {
                        "arrows connect boxes; point the arrow at a box in the group"
                    }
                };
                (
                    format!("'{}' is a {}, not a box", escape(name), kind.noun()),
                    Some(help.to_owned()),
                )
            }
            None => (format!("unknown box '{}'", escape(name)), self.suggest(name, context)),
        };
        let mut diagnostic = Diagnostic::new(message).with_span_opt(span);
        diagnostic.help = help;
        self.problems.push(diagnostic);
        None
    }

    /// A hint for an unknown box id: a near miss, a title used as an id, or the list of ids.
    fn suggest(&self, name: &str, context: Context) -> Option<String> {
        if context == Context::LongArrow && name.contains("->") {
            return Some(
                "`from:` and `to:` take one box id each; write chains as `a -> b -> c`".to_owned(),
            );
        }
        let unknown_so_far = self.problems.len();
        if unknown_so_far < MAX_SUGGESTIONS {
            if let Some(near) = closest(name, self.box_ids.iter().map(|(_, id, _)| id.as_str())) {
                return Some(format!("did you mean '{}'?", escape(near)));
            }
            let as_id = default_id(name);
            let by_title = self.box_ids.iter().find(|(_, id, title)| {
                !as_id.is_empty() && (default_id(title) == as_id || *id == as_id)
            });
            if let Some((_, id, title)) = by_title {
                return Some(format!(
                    "did you mean '{}'? (the id of the box titled '{}')",
                    escape(id),
                    escape(title)
                ));
            }
        }
        const LIST_AT_MOST: usize = 8;
        match self.box_ids.len() {
            0 => None,
            n if n <= LIST_AT_MOST => {
                let ids: Vec<String> =
                    self.box_ids.iter().map(|(_, id, _)| format!("'{}'", escape(id))).collect();
                Some(format!("the box ids are {}", ids.join(", ")))
            }
            _ => None,
        }
    }

    fn service(&mut self, spec: &ServiceSpec) -> Service {
        let id = match &spec.id {
            Some(id) => id.value.clone(),
            None => default_id(&spec.title.value),
        };
        let title = self.block(&spec.title, "a service title");
        let text =
            spec.text.as_ref().map(|t| self.block(t, "a service's text")).unwrap_or_default();
        let refs: Vec<(&str, Option<Span>)> = match &spec.serves.value {
            Serves::One(id) => vec![(id.as_str(), span_of(&spec.serves.referenced))],
            Serves::Many(ids) => {
                ids.iter().map(|id| (id.value.as_str(), span_of(&id.referenced))).collect()
            }
        };
        if refs.is_empty() {
            self.problems.push(
                Diagnostic::new("a service must serve at least one box")
                    .with_span_opt(span_of(&spec.serves.referenced))
                    .with_help("name the boxes it serves: `serves: ingest` or `serves: [a, b]`"),
            );
        }
        let mut serves = Vec::new();
        let mut seen = BTreeSet::new();
        for (name, span) in refs {
            let Some(node) = self.box_ref(name, span, Context::Serves) else { continue };
            if !seen.insert(node) {
                self.problems.push(
                    Diagnostic::new(format!("'{}' is listed twice", escape(name)))
                        .with_span_opt(span)
                        .with_help("list each box once"),
                );
            } else {
                serves.push(node);
            }
        }
        Service { id, title, text, serves }
    }

    fn groups(&mut self, spec: &Spec) -> Vec<Group> {
        // Which group each box is in so far; a box can be in one frame only.
        let mut member_of: BTreeMap<NodeId, String> = BTreeMap::new();
        spec.groups.iter().map(|g| self.group(g, &mut member_of)).collect()
    }

    fn group(&mut self, spec: &GroupSpec, member_of: &mut BTreeMap<NodeId, String>) -> Group {
        let id = match &spec.id {
            Some(id) => id.value.clone(),
            None => default_id(&spec.title.value),
        };
        let title = self.block(&spec.title, "a group title");
        if spec.boxes.is_empty() {
            self.problems.push(
                Diagnostic::new("a group needs at least one box")
                    .with_span_opt(span_of(&spec.title.referenced))
                    .with_help("list the ids of its boxes: `boxes: [a, b]`"),
            );
        }
        let mut nodes = Vec::new();
        for reference in &spec.boxes {
            let span = span_of(&reference.referenced);
            let Some(node) = self.box_ref(&reference.value, span, Context::Group) else { continue };
            let name = escape(&reference.value);
            match member_of.get(&node) {
                Some(other) if *other == id => self.problems.push(
                    Diagnostic::new(format!("'{name}' is listed twice in this group"))
                        .with_span_opt(span)
                        .with_help("list each box once"),
                ),
                Some(other) => {
                    let other = escape(other);
                    self.problems.push(
                        Diagnostic::new(format!("box '{name}' is already in group '{other}'"))
                            .with_span_opt(span)
                            .with_help("a box can be in one group only; frames do not overlap"),
                    );
                }
                None => {
                    member_of.insert(node, id.clone());
                    nodes.push(node);
                }
            }
        }
        Group { id, title, nodes }
    }
}

/// The explicit bidirectional formatting characters: embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069). They are not control characters to Unicode, but they
/// reorder the text after them, so `"a\u{202e}b"` could draw as something else than it says
/// (the "Trojan source" trick), and in a grid they scramble the box around them. The implicit
/// marks (U+200E, U+200F) reorder nothing and stay allowed.
const fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The tag characters, U+E0000–U+E007F: invisible copies of ASCII, meant only for emoji
/// flags of regions.
const fn is_tag(c: char) -> bool {
    matches!(c, '\u{e0000}'..='\u{e007f}')
}

/// How many chars at the start of `after` (the text after a 🏴) are the tags of a region
/// flag: tag letters and digits, then the cancel tag U+E007F; 0 if they are not one.
fn emoji_flag_tags(after: &[char]) -> usize {
    let letters = after.iter().take_while(|&&c| matches!(c, '\u{e0020}'..='\u{e007e}')).count();
    if letters > 0 && after.get(letters) == Some(&'\u{e007f}') { letters + 1 } else { 0 }
}

/// The id a box, service or group gets when it has none: its title, lower-cased, with each run
/// of white space replaced by `-` (`Serve layer` → `serve-layer`).
pub(crate) fn default_id(title: &str) -> String {
    title.split_whitespace().collect::<Vec<_>>().join("-").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(yaml: &str) -> Result<Diagram, Error> {
        let spec = crate::parse(yaml).unwrap_or_else(|e| panic!("parse failed: {e}"));
        Diagram::from_spec(&spec)
    }

    /// `(line, column, message, help)` of every problem.
    fn problems(yaml: &str) -> Vec<(usize, usize, String, Option<String>)> {
        match resolve(yaml) {
            Ok(diagram) => panic!("expected problems, got {diagram:?}"),
            Err(error) => error
                .diagnostics
                .into_iter()
                .map(|d| {
                    let (line, column) = d.span.map_or((0, 0), |s| (s.line, s.column));
                    (line, column, d.message, d.help)
                })
                .collect(),
        }
    }

    const FIVE_BOX: &str = include_str!("../../../../specs/five-box.yaml");
    const LAMBDA: &str = include_str!("../../../../specs/lambda.yaml");
    const KAPPA: &str = include_str!("../../../../specs/kappa.yaml");

    #[test]
    fn five_box_resolves() {
        let d = resolve(FIVE_BOX).unwrap();
        let ids: Vec<_> = d.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["sources", "ingest", "storage", "transform", "serve"]);
        let edges: Vec<_> = d.edges.iter().map(|e| (e.from.0, e.to.0)).collect();
        assert_eq!(edges, [(0, 1), (1, 2), (2, 3), (3, 4)]);
        let services: Vec<_> =
            d.services.iter().map(|s| (s.id.as_str(), s.serves.clone())).collect();
        assert_eq!(
            services,
            [
                ("schema-registry", vec![NodeId(1)]),
                ("metadata-catalog", vec![NodeId(2)]),
                ("lineage-tracker", vec![NodeId(3)]),
            ]
        );
        assert_eq!(d.max_width, Some(100));
        assert_eq!(d.nodes[2].items[1].lines[0].text, "Iceberg / Delta Lake");
        assert_eq!(d.title.as_deref(), Some("Data platform — the canonical five boxes"));
    }

    #[test]
    fn lambda_and_kappa_resolve_with_labels() {
        let d = resolve(LAMBDA).unwrap();
        let labels: Vec<_> =
            d.edges.iter().map(|e| e.label.as_ref().map(|l| l.lines[0].text.clone())).collect();
        assert_eq!(
            labels,
            [
                None,
                None,
                Some("approximate real-time view".into()),
                Some("accurate delayed view".into())
            ]
        );
        let d = resolve(KAPPA).unwrap();
        assert_eq!(d.edges[1].label.as_ref().map(TextBlock::height), Some(2));
        assert_eq!(d.nodes[1].text.height(), 2);
    }

    #[test]
    fn unknown_ids_are_located_with_a_near_miss() {
        let got = problems(
            "boxes:\n  - {id: b, title: B}\n  - {id: c, title: C}\narrows:\n  - c -> bb\n",
        );
        assert_eq!(got, [(5, 10, "unknown box 'bb'".into(), Some("did you mean 'b'?".into()))]);
    }

    #[test]
    fn chain_ids_in_quoted_keys_point_inside_the_quotes() {
        let got = problems("boxes: [{id: a, title: A}]\narrows:\n  - \"a -> x\": hi\n");
        assert_eq!(got[0].0..=got[0].1, 3..=11);
    }

    #[test]
    fn a_title_used_as_an_id_gets_the_real_id_suggested() {
        let got = problems(
            "boxes:\n  - {id: speed, title: Speed Layer}\n  - {id: z, title: Z}\narrows: [Speed Layer -> z]\n",
        );
        assert_eq!(got[0].2, "unknown box 'Speed Layer'");
        assert_eq!(
            got[0].3.as_deref(),
            Some("did you mean 'speed'? (the id of the box titled 'Speed Layer')")
        );
    }

    #[test]
    fn every_problem_is_reported_in_source_order() {
        let yaml = "\
boxes:
  - {id: a, title: A}
  - {id: a, title: Again}
  - {title: \"bell\\a\"}
arrows:
  - a -> nope
  - a
  - {from: a, to: svc}
services:
  - {id: svc, title: S, serves: [a, gone, a]}
groups:
  - {title: G, boxes: []}
";
        let got: Vec<_> = problems(yaml).into_iter().map(|(l, c, m, _)| (l, c, m)).collect();
        assert_eq!(
            got,
            [
                (3, 10, "duplicate id 'a'".to_owned()),
                (4, 13, "a box title contains the control character U+0007".to_owned()),
                (6, 10, "unknown box 'nope'".to_owned()),
                (7, 5, "an arrow needs at least two box ids, but 'a' has one".to_owned()),
                (8, 19, "'svc' is a service, not a box".to_owned()),
                (10, 37, "unknown box 'gone'".to_owned()),
                (10, 43, "'a' is listed twice".to_owned()),
                (12, 13, "a group needs at least one box".to_owned()),
            ]
        );
    }

    #[test]
    fn default_ids_collide_with_a_hint() {
        let got = problems("boxes:\n  - title: Kafka\n  - title: kafka\n");
        assert_eq!(got[0].0, 3);
        assert_eq!(got[0].2, "duplicate id 'kafka'");
        assert!(got[0].3.as_deref().unwrap().contains("give one of them an `id:`"));
    }

    #[test]
    fn duplicates_across_kinds_report_the_later_one() {
        let got = problems(
            "services:\n  - {id: x, title: S, serves: x}\nboxes:\n  - {id: x, title: B}\n",
        );
        assert!(got.iter().any(|p| p.0 == 4 && p.2 == "duplicate id 'x'"), "{got:?}");
        assert!(
            got.iter().any(|p| p.3.as_deref() == Some("the service on line 2 already has this id"))
        );
    }

    #[test]
    fn ansi_escapes_are_rejected_and_tabs_allowed() {
        let got = problems("boxes:\n  - {title: \"red \\e[31mtext\"}\n");
        assert_eq!(got[0].2, "a box title contains an ANSI escape sequence");
        assert_eq!(
            (got[0].0, got[0].1),
            (2, 13),
            "the whole quoted scalar: escapes hide the column"
        );
        let d = resolve("boxes:\n  - {title: \"a\\tb\\r\\nc\", items: [\"x\\ty\"]}\n").unwrap();
        assert_eq!(d.nodes[0].title.lines[0].text, "a    b");
        assert_eq!(d.nodes[0].title.height(), 2);
    }

    #[test]
    fn bidi_overrides_are_rejected_where_they_are() {
        let got =
            problems("boxes:\n  - title: ab\u{202e}cd\n  - {title: x, items: [\"\u{2067}y\"]}\n");
        assert_eq!(
            got.iter().map(|p| (p.0, p.1, p.2.as_str())).collect::<Vec<_>>(),
            [
                (2, 14, "a box title contains the bidirectional control character U+202E"),
                (3, 25, "an item contains the bidirectional control character U+2067"),
            ]
        );
        let got = problems("boxes:\n  - title: \"a\u{2028}b\"\n");
        assert_eq!(got[0].2, "a box title contains the line separator U+2028");
        // The marks that only hint a direction are fine.
        assert!(resolve("boxes: [{title: \"a\u{200f}b\"}]\n").is_ok());
    }

    #[test]
    fn tag_characters_are_rejected_except_in_a_region_flag() {
        // "a" followed by the invisible tags for "hi".
        let got = problems("boxes:\n  - title: a\u{e0068}\u{e0069}\n");
        assert_eq!((got[0].0, got[0].1), (2, 13));
        assert_eq!(got[0].2, "a box title contains the invisible tag character U+E0068");
        // Scotland's flag: 🏴 gbsct and the cancel tag.
        let scotland = "\u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}";
        assert!(resolve(&format!("boxes: [{{title: \"{scotland} Glasgow\"}}]\n")).is_ok());
        // A flag without its cancel tag, or tags after it, are not a flag.
        let got = problems("boxes: [{title: \"\u{1f3f4}\u{e0067}\u{e0062}x\"}]\n");
        assert_eq!(got[0].2, "a box title contains the invisible tag character U+E0067");
        let got = problems(&format!("boxes: [{{title: \"{scotland}\u{e0041}\"}}]\n"));
        assert_eq!(got[0].2, "a box title contains the invisible tag character U+E0041");
    }

    #[test]
    fn a_c1_control_in_a_plain_scalar_is_pointed_at_exactly() {
        let got = problems("boxes:\n  - title: ab\u{85}c\n");
        assert_eq!((got[0].0, got[0].1), (2, 14));
        assert_eq!(got[0].2, "a box title contains the control character U+0085");
    }

    #[test]
    fn text_over_the_limit_is_refused() {
        let yaml = format!("boxes:\n  - title: {}\n", "x".repeat(2001));
        let got = problems(&yaml);
        assert_eq!(got[0].2, "a box title is too long: 2001 characters, over the limit of 2000");
    }

    #[test]
    fn too_many_boxes_is_one_early_error() {
        let spec = crate::parse("boxes: [{title: a}, {title: b}, {title: c}]").unwrap();
        let limits = Limits { max_boxes: 2, ..Limits::default() };
        let error = Diagram::from_spec_with_limits(&spec, &limits).unwrap_err();
        assert_eq!(error.diagnostics.len(), 1);
        assert_eq!(error.diagnostics[0].message, "too many boxes: 3, over the limit of 2");
        assert_eq!(error.diagnostics[0].span.map(|s| s.column), Some(41));
    }

    #[test]
    fn arrows_over_the_limit_stop_with_one_error() {
        let spec = crate::parse(
            "boxes: [{id: a, title: A}]\narrows:\n  - a -> a -> a\n  - a -> a\n  - a -> a\n",
        )
        .unwrap();
        let limits = Limits { max_arrows: 2, ..Limits::default() };
        let error = Diagram::from_spec_with_limits(&spec, &limits).unwrap_err();
        assert_eq!(error.diagnostics.len(), 1);
        assert_eq!(error.diagnostics[0].message, "too many arrows: over the limit of 2");
        assert_eq!(error.diagnostics[0].span.map(|s| s.line), Some(4));
        let limits = Limits { max_arrows: 4, ..Limits::default() };
        assert_eq!(Diagram::from_spec_with_limits(&spec, &limits).unwrap().edges.len(), 4);
    }

    #[test]
    fn fit_is_a_ratio_or_none_and_says_whether_the_direction_was_pinned() {
        let d = resolve("fit: \"4:3\"\nboxes: [{title: A}]\n").unwrap();
        assert_eq!(d.fit, Some(Fit::Ratio { width: 4, height: 3 }));
        assert!(!d.direction_given);
        // Unquoted, YAML 1.2 reads 16:9 as a string too.
        let d = resolve("fit: 16:9\ndirection: right\nboxes: [{title: A}]\n").unwrap();
        assert_eq!(d.fit, Some(Fit::SLIDE));
        assert!(d.direction_given);
        assert_eq!(resolve("fit: none\nboxes: [{title: A}]\n").unwrap().fit, Some(Fit::None));
        assert_eq!(resolve("boxes: [{title: A}]\n").unwrap().fit, None);
    }

    #[test]
    fn a_bad_fit_is_located_and_says_what_to_write() {
        let got = problems("boxes: [{title: A}]\nfit: 16x9\n");
        assert_eq!((got[0].0, got[0].1), (2, 6), "{got:?}");
        assert!(got[0].2.starts_with("fit: `16x9` is not a page shape"), "{got:?}");
        assert!(got[0].3.as_deref().is_some_and(|h| h.contains("\"16:9\"")), "{got:?}");
        let got = problems("fit: \"0:9\"\nboxes: [{title: A}]\n");
        assert_eq!((got[0].0, got[0].1), (1, 6), "{got:?}");
        assert!(got[0].2.contains("from 1 to 100"), "{got:?}");
    }

    #[test]
    fn no_boxes_is_an_error() {
        let got = problems("boxes: []\n");
        assert_eq!(got[0].2, "the spec has no boxes");
    }

    #[test]
    fn labels_on_chains_and_empty_links_are_errors() {
        let got = problems(
            "boxes: [{id: a, title: A}, {id: b, title: B}, {id: c, title: C}]\narrows:\n  - a -> b -> c: x\n  - a -> -> b\n",
        );
        let messages: Vec<_> = got.iter().map(|p| (p.0, p.1, p.2.as_str())).collect();
        assert_eq!(
            messages,
            [
                (3, 18, "a label belongs to one arrow, but this is a chain of 2 arrows"),
                (4, 10, "a box id is missing in this arrow"),
            ]
        );
    }

    #[test]
    fn groups_hold_each_box_once() {
        let got = problems(
            "boxes: [{id: a, title: A}, {id: b, title: B}]\ngroups:\n  - {title: G, boxes: [a, a]}\n  - {title: H, boxes: [a, b, g]}\n",
        );
        let messages: Vec<_> = got.iter().map(|p| p.2.as_str()).collect();
        assert_eq!(
            messages,
            [
                "'a' is listed twice in this group",
                "box 'a' is already in group 'g'",
                "'g' is a group, not a box"
            ]
        );
    }

    #[test]
    fn ids_are_checked() {
        let got = problems(
            "boxes:\n  - {id: '', title: A}\n  - {id: ' b', title: B}\n  - {id: 'c->d', title: C}\n  - {title: ''}\n",
        );
        let messages: Vec<_> = got.iter().map(|p| p.2.as_str()).collect();
        assert_eq!(
            messages,
            [
                "an id cannot be empty",
                "an id cannot start or end with white space",
                "an id cannot contain `->`",
                "this box has an empty title and no id",
            ]
        );
    }

    #[test]
    fn default_id_joins_words_with_dashes() {
        assert_eq!(default_id("Serve layer"), "serve-layer");
        assert_eq!(default_id("  schema   registry "), "schema-registry");
        assert_eq!(default_id("Speed\nLayer"), "speed-layer");
    }
}
