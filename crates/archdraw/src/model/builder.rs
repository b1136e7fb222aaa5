//! Making a [`Diagram`] in code, without YAML.
//!
//! The builder fills in a [`Spec`] and hands it to [`Diagram::from_spec_with_limits`], so a
//! diagram built in code is checked exactly like one read from a file: unknown or duplicate
//! ids, control characters, text over the limits. Its problems come back together from
//! [`DiagramBuilder::build`], without positions (there is no source to point into).

use serde_saphyr::{Location, Spanned};

use super::{Diagram, Direction, Limits};
use crate::diagnostic::{Diagnostic, Error};
use crate::spec::{ArrowSpec, BoxSpec, GroupSpec, Serves, ServiceSpec, Spec};

/// Builds a [`Diagram`] step by step; start with [`Diagram::builder`].
///
/// Things are added in order: [`node`](Self::node), [`arrow`](Self::arrow),
/// [`service`](Self::service) and [`group`](Self::group) each add one, and the methods after
/// them — [`text`](Self::text), [`items`](Self::items), [`label`](Self::label) — describe the
/// thing added last. A describing method that does not fit the last thing (a label after a
/// box) is reported by [`build`](Self::build), like every other problem.
///
/// ```
/// use archdraw::model::Direction;
/// use archdraw::{Diagram, layout::LayoutOptions, render::text::{render, Charset}};
///
/// let diagram = Diagram::builder()
///     .title("Orders")
///     .direction(Direction::Right)
///     .node("app", "App")
///     .node("db", "Database")
///     .items(["orders", "users"])
///     .arrow("app", "db")
///     .label("SQL")
///     .service("registry", "Schema registry", ["app"])
///     .build()?;
/// assert_eq!(diagram.nodes.len(), 2);
///
/// let text = render(&archdraw::layout(&diagram, &LayoutOptions::default()), Charset::Unicode);
/// assert!(text.contains("Database") && text.contains("• orders") && text.contains("SQL"));
/// # Ok::<(), archdraw::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct DiagramBuilder {
    spec: Spec,
    limits: Limits,
    last: Last,
    /// Describing methods called where they do not fit; reported by `build`.
    misuse: Vec<Diagnostic>,
}

/// What was added last, which decides what `text`, `items` and `label` describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Node,
    Arrow,
    Service,
    Group,
}

impl Last {
    const fn noun(self) -> &'static str {
        match self {
            Last::Nothing => "nothing yet",
            Last::Node => "a box",
            Last::Arrow => "an arrow",
            Last::Service => "a service",
            Last::Group => "a group",
        }
    }
}

/// A value with no source position: the builder has no YAML to point into.
fn unlocated<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Location::UNKNOWN, Location::UNKNOWN)
}

fn texts<I, S>(values: I) -> Vec<Spanned<String>>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    values.into_iter().map(|v| unlocated(v.into())).collect()
}

impl Diagram {
    /// A [`DiagramBuilder`] for a diagram with nothing in it yet.
    ///
    /// ```
    /// let diagram = archdraw::Diagram::builder().node("a", "A").build()?;
    /// assert_eq!(diagram.nodes[0].id, "a");
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn builder() -> DiagramBuilder {
        DiagramBuilder {
            spec: Spec {
                schema: None,
                title: None,
                direction: None,
                max_width: None,
                fit: None,
                theme: None,
                style: None,
                font: None,
                boxes: Vec::new(),
                arrows: Vec::new(),
                services: Vec::new(),
                groups: Vec::new(),
            },
            limits: Limits::default(),
            last: Last::Nothing,
            misuse: Vec::new(),
        }
    }
}

impl DiagramBuilder {
    /// Sets the diagram's title (the SVG `<title>`; not drawn in text).
    ///
    /// ```
    /// let d = archdraw::Diagram::builder().title("Flow").node("a", "A").build()?;
    /// assert_eq!(d.title.as_deref(), Some("Flow"));
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.spec.title = Some(unlocated(title.into()));
        self
    }

    /// Sets which way the main flow points (default: [`Direction::Right`]).
    ///
    /// ```
    /// use archdraw::model::Direction;
    /// let d = archdraw::Diagram::builder().direction(Direction::Down).node("a", "A").build()?;
    /// assert_eq!(d.direction, Direction::Down);
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn direction(mut self, direction: Direction) -> Self {
        self.spec.direction = Some(direction);
        self
    }

    /// Sets the widest the text drawing should be, in cells (the spec's `max_width`).
    ///
    /// ```
    /// let d = archdraw::Diagram::builder().max_width(60).node("a", "A").build()?;
    /// assert_eq!(d.max_width, Some(60));
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn max_width(mut self, cells: usize) -> Self {
        self.spec.max_width = Some(unlocated(cells));
        self
    }

    /// Sets the page shape SVG and PNG drawings are fitted to (the spec's `fit`).
    ///
    /// ```
    /// use archdraw::geom::Fit;
    /// let d = archdraw::Diagram::builder().fit(Fit::SLIDE).node("a", "A").build()?;
    /// assert_eq!(d.fit, Some(Fit::SLIDE));
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn fit(mut self, fit: crate::geom::Fit) -> Self {
        self.spec.fit = Some(unlocated(fit.to_string()));
        self
    }

    /// Sets the limits [`build`](Self::build) checks against (default: [`Limits::default`]).
    ///
    /// ```
    /// let mut limits = archdraw::Limits::default();
    /// limits.max_text_len = 3;
    /// let error = archdraw::Diagram::builder().limits(limits).node("a", "Long").build();
    /// assert!(error.is_err());
    /// ```
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Adds a box with an id (what arrows refer to) and a title (what is drawn).
    ///
    /// ```
    /// let d = archdraw::Diagram::builder().node("db", "Database").build()?;
    /// assert_eq!((d.nodes[0].id.as_str(), d.nodes[0].title.lines[0].text.as_str()), ("db", "Database"));
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn node(mut self, id: impl Into<String>, title: impl Into<String>) -> Self {
        self.spec.boxes.push(BoxSpec {
            id: Some(unlocated(id.into())),
            title: unlocated(title.into()),
            text: None,
            items: Vec::new(),
        });
        self.last = Last::Node;
        self
    }

    /// Sets the paragraph under the title of the box or service added last.
    ///
    /// ```
    /// let d = archdraw::Diagram::builder().node("k", "Kafka").text("(events)").build()?;
    /// assert_eq!(d.nodes[0].text.lines[0].text, "(events)");
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn text(mut self, text: impl Into<String>) -> Self {
        let text = Some(unlocated(text.into()));
        match self.last {
            Last::Node => {
                if let Some(node) = self.spec.boxes.last_mut() {
                    node.text = text;
                }
            }
            Last::Service => {
                if let Some(service) = self.spec.services.last_mut() {
                    service.text = text;
                }
            }
            _ => self.misplaced("text", "a box or a service"),
        }
        self
    }

    /// Adds bullet items to the box added last.
    ///
    /// ```
    /// let d = archdraw::Diagram::builder().node("db", "DB").items(["orders", "users"]).build()?;
    /// assert_eq!(d.nodes[0].items.len(), 2);
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn items<I, S>(mut self, items: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        match (self.last, self.spec.boxes.last_mut()) {
            (Last::Node, Some(node)) => node.items.extend(texts(items)),
            _ => self.misplaced("items", "a box"),
        }
        self
    }

    /// Adds an arrow from one box to another, by id.
    ///
    /// ```
    /// let d = archdraw::Diagram::builder().node("a", "A").node("b", "B").arrow("a", "b").build()?;
    /// assert_eq!((d.edges[0].from.0, d.edges[0].to.0), (0, 1));
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn arrow(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        let (from, to) = (unlocated(from.into()), unlocated(to.into()));
        self.spec.arrows.push(unlocated(ArrowSpec::Long { from, to, label: None }));
        self.last = Last::Arrow;
        self
    }

    /// Labels the arrow added last.
    ///
    /// ```
    /// let d = archdraw::Diagram::builder()
    ///     .node("a", "A").node("b", "B").arrow("a", "b").label("writes")
    ///     .build()?;
    /// assert_eq!(d.edges[0].label.as_ref().unwrap().lines[0].text, "writes");
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn label(mut self, label: impl Into<String>) -> Self {
        let last = self.spec.arrows.last_mut().map(|a| &mut a.value);
        match (self.last, last) {
            (Last::Arrow, Some(ArrowSpec::Long { label: slot, .. })) => {
                *slot = Some(unlocated(label.into()));
            }
            _ => self.misplaced("label", "an arrow"),
        }
        self
    }

    /// Adds a control-plane service with an id, a title and the ids of the boxes it serves.
    ///
    /// ```
    /// let d = archdraw::Diagram::builder()
    ///     .node("a", "A")
    ///     .service("reg", "Registry", ["a"])
    ///     .text("schemas")
    ///     .build()?;
    /// assert_eq!(d.services[0].serves[0].0, 0);
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn service<I, S>(
        mut self,
        id: impl Into<String>,
        title: impl Into<String>,
        serves: I,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.spec.services.push(ServiceSpec {
            id: Some(unlocated(id.into())),
            title: unlocated(title.into()),
            text: None,
            serves: unlocated(Serves::Many(texts(serves))),
        });
        self.last = Last::Service;
        self
    }

    /// Adds a titled frame around some boxes, by id.
    ///
    /// ```
    /// let d = archdraw::Diagram::builder()
    ///     .node("a", "A").node("b", "B")
    ///     .group("g", "Lakehouse", ["a", "b"])
    ///     .build()?;
    /// assert_eq!(d.groups[0].nodes.len(), 2);
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn group<I, S>(mut self, id: impl Into<String>, title: impl Into<String>, boxes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.spec.groups.push(GroupSpec {
            id: Some(unlocated(id.into())),
            title: unlocated(title.into()),
            boxes: texts(boxes),
        });
        self.last = Last::Group;
        self
    }

    /// The spec built so far, as if it had been read from YAML; for
    /// [`render_spec`](crate::render_spec) and the SVG renderer's spec options.
    ///
    /// ```
    /// let spec = archdraw::Diagram::builder().node("a", "A").node("b", "B").arrow("a", "b").into_spec();
    /// let text = archdraw::render_spec(&spec, &archdraw::Options::default())?;
    /// assert!(text.contains('▶'));
    /// # Ok::<(), archdraw::Error>(())
    /// ```
    pub fn into_spec(self) -> Spec {
        self.spec
    }

    /// Checks everything and makes the diagram.
    ///
    /// # Errors
    ///
    /// Every problem at once, as [`Diagram::from_spec`] finds them (unknown or duplicate ids,
    /// no boxes, control characters, text over the limits), plus any describing method called
    /// where it does not fit. None of them has a position.
    ///
    /// ```
    /// let error = archdraw::Diagram::builder().node("a", "A").arrow("a", "b").label("x").build();
    /// assert_eq!(error.unwrap_err().to_string(), "unknown box 'b'\nhelp: the box ids are 'a'");
    ///
    /// let error = archdraw::Diagram::builder().node("a", "A").label("x").build();
    /// assert_eq!(
    ///     error.unwrap_err().diagnostics[0].message,
    ///     "label() describes an arrow, but the last thing added was a box"
    /// );
    /// ```
    pub fn build(self) -> Result<Diagram, Error> {
        match Diagram::from_spec_with_limits(&self.spec, &self.limits) {
            Ok(diagram) if self.misuse.is_empty() => Ok(diagram),
            Ok(_) => Err(Error::new(self.misuse)),
            Err(mut error) => {
                error.diagnostics.extend(self.misuse);
                Err(Error::new(error.diagnostics))
            }
        }
    }

    fn misplaced(&mut self, method: &str, wanted: &str) {
        let found = match self.last {
            Last::Nothing => "nothing was added yet".to_owned(),
            last => format!("the last thing added was {}", last.noun()),
        };
        self.misuse.push(
            Diagnostic::new(format!("{method}() describes {wanted}, but {found}"))
                .with_help(format!("call {method}() right after adding {wanted}")),
        );
    }
}
