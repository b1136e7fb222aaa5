//! What both readers produce, and how it becomes a [`Spec`].
//!
//! A [`Graph`] is the source diagram as declared: nodes in the order first mentioned, edges as
//! written (already split into arrows: a two-way link is two edges), and a tree of clusters.
//! [`lower`] maps it onto what archdraw draws: flat groups, services, arrows between boxes.

use std::collections::{HashMap, HashSet};

use super::{Warnings, located};
use crate::diagnostic::{Diagnostic, Error, Span};
use crate::model::Direction;
use crate::spec::{ArrowSpec, BoxSpec, GroupSpec, Serves, ServiceSpec, Spanned, Spec, escape};

/// A text and where it is written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text {
    pub value: String,
    pub span: Span,
}

/// A node as declared.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub id: String,
    /// Where the node is first mentioned.
    pub span: Span,
    /// Its text, when the source gives one (otherwise the id is its title).
    pub label: Option<Text>,
    /// Whether the source gives it text, a shape or a class anywhere: a Mermaid subgraph id
    /// may be linked to, but not defined as a node too.
    pub defined: bool,
    /// The innermost cluster it belongs to.
    pub cluster: Option<usize>,
    /// Where it is given the class `service`, if it is.
    pub service: Option<Span>,
    /// DOT `style=invis`: laid out by Graphviz, never drawn.
    pub hidden: bool,
}

impl Node {
    pub fn new(id: String, span: Span) -> Self {
        Self { id, span, label: None, defined: false, cluster: None, service: None, hidden: false }
    }
}

/// How a link's line is drawn in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stroke {
    Solid,
    /// Dotted or dashed: a service's arrows are.
    Dotted,
    Thick,
    Invisible,
}

/// One arrow, tail to head.
#[derive(Debug, Clone)]
pub(crate) struct Edge {
    pub from: usize,
    pub to: usize,
    pub label: Option<Text>,
    pub stroke: Stroke,
    /// The warning (kind, message) its stroke gets unless it is a service's arrow.
    pub style_warning: Option<(&'static str, &'static str)>,
    pub span: Span,
}

/// A Mermaid subgraph or DOT cluster.
#[derive(Debug, Clone)]
pub(crate) struct Cluster {
    /// The id links may name (Mermaid) or the cluster's name (DOT).
    pub id: Option<String>,
    pub title: Text,
    pub parent: Option<usize>,
    pub span: Span,
}

/// A diagram as its source declares it.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    pub title: Option<Text>,
    pub direction: Option<Direction>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub clusters: Vec<Cluster>,
    /// Mermaid: a node id that is also a subgraph id names the subgraph.
    pub subgraph_ids_are_nodes: bool,
}

/// The edges leaving each node, by index into `graph.edges`: so that per-node questions cost
/// the node's own edges, not every edge.
fn outgoing(graph: &Graph) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); graph.nodes.len()];
    for (i, e) in graph.edges.iter().enumerate() {
        out[e.from].push(i);
    }
    out
}

/// How a node ends up in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Box(usize),
    Service(usize),
    /// A Mermaid subgraph id used as a node: links to it reach the subgraph.
    Subgraph(usize),
    Hidden,
}

/// Maps `graph` onto a [`Spec`], reporting what does not map exactly.
pub(crate) fn lower(graph: Graph, warnings: &mut Warnings) -> Result<Spec, Error> {
    let outgoing = outgoing(&graph);
    let roles = roles(&graph, &outgoing, warnings)?;
    let mut ids = IdMaker::default();
    let mut boxes = Vec::new();
    let mut box_ids = HashMap::new();
    let mut services = Vec::new();
    let mut service_nodes = Vec::new();
    for (n, node) in graph.nodes.iter().enumerate() {
        match roles[n] {
            Role::Box(_) => {
                let id = ids.make(&node.id, "node");
                box_ids.insert(n, id.clone());
                boxes.push(box_spec(node, id, warnings));
            }
            Role::Service(_) => {
                let id = ids.make(&node.id, "service");
                service_nodes.push((n, id));
            }
            Role::Subgraph(_) | Role::Hidden => {}
        }
    }
    let mut resolver = Resolver::new(&graph, &roles, &outgoing);
    let mut arrows = Vec::new();
    let mut problems = Vec::new();
    for edge in &graph.edges {
        if let Role::Service(_) = roles[edge.from] {
            continue; // its arrows are its `serves:`
        }
        if let Some((kind, message)) = edge.style_warning {
            warnings.add(kind, edge.span, || message.to_owned(), None);
        }
        let from = resolver.end(edge, edge.from, Side::From, warnings, &mut problems);
        let to = resolver.end(edge, edge.to, Side::To, warnings, &mut problems);
        let (Some(from), Some(to)) = (from, to) else { continue };
        let from = located(box_ids[&from].clone(), edge.span);
        let to = located(box_ids[&to].clone(), edge.span);
        let label = edge.label.as_ref().map(|l| located(l.value.clone(), l.span));
        arrows.push(located(ArrowSpec::Long { from, to, label }, edge.span));
    }
    if !problems.is_empty() {
        return Err(Error::new(problems));
    }
    for (n, id) in service_nodes {
        let node = &graph.nodes[n];
        let serves: Vec<Spanned<String>> = outgoing[n]
            .iter()
            .map(|&i| &graph.edges[i])
            .map(|e| located(box_ids[&e.to].clone(), e.span))
            .fold(Vec::new(), |mut acc, id| {
                if !acc.iter().any(|a: &Spanned<String>| a.value == id.value) {
                    acc.push(id);
                }
                acc
            });
        let (title, text, _) = split_label(node);
        services.push(ServiceSpec {
            id: Some(located(id, node.span)),
            title,
            text,
            serves: located(Serves::Many(serves), node.span),
        });
    }
    let groups = groups(&graph, &roles, &box_ids, &mut ids, warnings);
    Ok(Spec {
        schema: None,
        title: graph.title.map(|t| located(t.value, t.span)),
        direction: graph.direction,
        max_width: None,
        fit: None,
        theme: None,
        style: None,
        font: None,
        boxes,
        arrows,
        services,
        groups,
    })
}

/// What each node becomes, with the services checked and subgraph ids recognised.
fn roles(
    graph: &Graph,
    outgoing: &[Vec<usize>],
    warnings: &mut Warnings,
) -> Result<Vec<Role>, Error> {
    let cluster_ids: HashMap<&str, usize> = if graph.subgraph_ids_are_nodes {
        graph
            .clusters
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.id.as_deref().map(|id| (id, i)))
            .collect()
    } else {
        HashMap::new()
    };
    let mut problems = Vec::new();
    let mut has_incoming = vec![false; graph.nodes.len()];
    for e in &graph.edges {
        if e.from != e.to {
            has_incoming[e.to] = true;
        }
    }
    let mut roles = Vec::with_capacity(graph.nodes.len());
    for (n, node) in graph.nodes.iter().enumerate() {
        if let Some(&c) = cluster_ids.get(node.id.as_str()) {
            if node.defined {
                problems.push(
                    Diagnostic::new(format!(
                        "`{}` is both a node and a subgraph",
                        escape(&node.id)
                    ))
                    .with_span(node.span)
                    .with_help(
                        "Mermaid draws the subgraph for this id; rename the node or the subgraph",
                    ),
                );
            }
            roles.push(Role::Subgraph(c));
        } else if node.hidden {
            roles.push(Role::Hidden);
        } else if let Some(span) = node.service {
            match service_problem(graph, n, &outgoing[n], has_incoming[n], &cluster_ids) {
                None => roles.push(Role::Service(n)),
                Some(why) => {
                    warnings.add(
                        "service-class",
                        span,
                        || {
                            format!(
                                "`{}` has the class `service` but is drawn as a box: {why}",
                                escape(&node.id)
                            )
                        },
                        Some(
                            "a service has only dashed or dotted links, all leaving it, \
                             unlabelled, and is in no subgraph",
                        ),
                    );
                    roles.push(Role::Box(n));
                }
            }
        } else {
            roles.push(Role::Box(n));
        }
    }
    if problems.is_empty() { Ok(roles) } else { Err(Error::new(problems)) }
}

/// Why node `n`, marked as a service, cannot be drawn as one.
fn service_problem(
    graph: &Graph,
    n: usize,
    outgoing: &[usize],
    has_incoming: bool,
    cluster_ids: &HashMap<&str, usize>,
) -> Option<&'static str> {
    if graph.nodes[n].cluster.is_some() {
        return Some("it is inside a subgraph");
    }
    if has_incoming {
        return Some("a link points at it");
    }
    if outgoing.is_empty() {
        return Some("it has no links");
    }
    for e in outgoing.iter().map(|&i| &graph.edges[i]) {
        let target = &graph.nodes[e.to];
        if e.stroke != Stroke::Dotted {
            return Some("one of its links is solid");
        }
        if e.label.is_some() {
            return Some("one of its links has a label");
        }
        if e.to == n || target.hidden || cluster_ids.contains_key(target.id.as_str()) {
            return Some("one of its links does not reach another node");
        }
    }
    None
}

/// Which end of an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    From,
    To,
}

/// Resolves edge ends to nodes, a subgraph end to one node inside it.
struct Resolver<'a> {
    graph: &'a Graph,
    roles: &'a [Role],
    /// The boxes inside each cluster, at any depth, in node order.
    members: Vec<Vec<usize>>,
    /// The edges leaving each node.
    outgoing: &'a [Vec<usize>],
    /// The box chosen for (cluster, side), once worked out.
    chosen: HashMap<(usize, bool), Option<usize>>,
}

impl<'a> Resolver<'a> {
    fn new(graph: &'a Graph, roles: &'a [Role], outgoing: &'a [Vec<usize>]) -> Self {
        // Each box joins its cluster and every ancestor: at most MAX_DEPTH of them.
        let mut members = vec![Vec::new(); graph.clusters.len()];
        for (n, node) in graph.nodes.iter().enumerate() {
            if !matches!(roles[n], Role::Box(_)) {
                continue;
            }
            let mut at = node.cluster;
            while let Some(c) = at {
                members[c].push(n);
                at = graph.clusters[c].parent;
            }
        }
        Self { graph, roles, members, outgoing, chosen: HashMap::new() }
    }

    /// The box an edge end is drawn at, or `None` (hidden, or an error recorded).
    fn end(
        &mut self,
        edge: &Edge,
        n: usize,
        side: Side,
        warnings: &mut Warnings,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        match self.roles[n] {
            Role::Box(_) => Some(n),
            Role::Hidden => None,
            // A service's own links are its `serves:`, and nothing links to a service (or it
            // would be a box), so no edge end is one.
            Role::Service(_) => None,
            Role::Subgraph(c) => {
                let key = (c, side == Side::To);
                let chosen = match self.chosen.get(&key) {
                    Some(&chosen) => chosen,
                    None => {
                        let chosen = self.representative(c, side);
                        self.chosen.insert(key, chosen);
                        chosen
                    }
                };
                let cluster = &self.graph.clusters[c];
                let name = escape(cluster.id.as_deref().unwrap_or(&cluster.title.value));
                match chosen {
                    Some(node) => {
                        let node_id = escape(&self.graph.nodes[node].id);
                        warnings.add(
                            if side == Side::To {
                                "subgraph-link-to"
                            } else {
                                "subgraph-link-from"
                            },
                            edge.span,
                            || match side {
                                Side::To => format!(
                                    "the link to subgraph `{name}` is drawn to its node \
                                     `{node_id}`: archdraw cannot point arrows at frames yet"
                                ),
                                Side::From => format!(
                                    "the link from subgraph `{name}` is drawn from its node \
                                     `{node_id}`: archdraw cannot draw arrows from frames yet"
                                ),
                            },
                            Some(
                                "a link to a subgraph goes to its first node that nothing inside \
                                 it links to; a link from one leaves its last node that links to \
                                 nothing inside it; link the nodes themselves to choose",
                            ),
                        );
                        Some(node)
                    }
                    None => {
                        problems.push(
                            Diagnostic::new(format!(
                                "subgraph `{name}` has no nodes, so this link cannot reach it"
                            ))
                            .with_span(edge.span)
                            .with_help("add a node to the subgraph, or link to a node instead"),
                        );
                        None
                    }
                }
            }
        }
    }

    /// The node a link to (or from) cluster `c` is drawn at: the first node of the cluster no
    /// other node inside links to (the last one that links to no other inside, for a link
    /// from it); failing that the first (last) node.
    fn representative(&self, c: usize, side: Side) -> Option<usize> {
        let members = &self.members[c];
        let member_set: HashSet<usize> = members.iter().copied().collect();
        let mut linked = HashSet::new();
        // Links among the members, from the members' own edges: a box is in the member lists
        // of at most MAX_DEPTH clusters, so all clusters together cost that many passes.
        for &m in members {
            for e in self.outgoing[m].iter().map(|&i| &self.graph.edges[i]) {
                if e.to != m && member_set.contains(&e.to) {
                    linked.insert(if side == Side::To { e.to } else { m });
                }
            }
        }
        match side {
            Side::To => members.iter().find(|n| !linked.contains(n)).or(members.first()).copied(),
            Side::From => {
                members.iter().rev().find(|n| !linked.contains(n)).or(members.last()).copied()
            }
        }
    }
}

/// The groups: one per cluster holding boxes directly, titled with its ancestors' titles when
/// nested.
fn groups(
    graph: &Graph,
    roles: &[Role],
    box_ids: &HashMap<usize, String>,
    ids: &mut IdMaker,
    warnings: &mut Warnings,
) -> Vec<GroupSpec> {
    let mut direct: Vec<Vec<usize>> = vec![Vec::new(); graph.clusters.len()];
    let mut any_inside = vec![false; graph.clusters.len()];
    for (n, node) in graph.nodes.iter().enumerate() {
        if !matches!(roles[n], Role::Box(_)) {
            continue;
        }
        if let Some(c) = node.cluster {
            direct[c].push(n);
            let mut at = Some(c);
            while let Some(a) = at {
                any_inside[a] = true;
                at = graph.clusters[a].parent;
            }
        }
    }
    let mut groups = Vec::new();
    for (c, cluster) in graph.clusters.iter().enumerate() {
        if !any_inside[c] {
            warnings.add(
                "empty-subgraph",
                cluster.span,
                || {
                    format!(
                        "subgraph `{}` has no nodes and is not drawn",
                        escape(cluster.id.as_deref().unwrap_or(&cluster.title.value))
                    )
                },
                Some("an archdraw group frames at least one box"),
            );
            continue;
        }
        if direct[c].is_empty() {
            continue; // drawn through its children's titles
        }
        let mut title = cluster.title.value.clone();
        if cluster.parent.is_some() {
            let mut path = vec![cluster.title.value.as_str()];
            let mut at = cluster.parent;
            while let Some(p) = at {
                path.push(&graph.clusters[p].title.value);
                at = graph.clusters[p].parent;
            }
            path.reverse();
            title = path.join(" / ");
            warnings.add(
                "nested-subgraph",
                cluster.span,
                || {
                    format!(
                        "nested subgraphs are drawn as separate frames, this one titled \
                         `{}`: archdraw groups do not nest yet",
                        escape(&title)
                    )
                },
                None,
            );
        }
        let id = ids.make(cluster.id.as_deref().unwrap_or(""), "group");
        let boxes = direct[c].iter().map(|n| located(box_ids[n].clone(), cluster.span)).collect();
        groups.push(GroupSpec {
            id: Some(located(id, cluster.span)),
            title: located(title, cluster.title.span),
            boxes,
        });
    }
    groups
}

/// A box from a node: title, text and items from its label's lines.
fn box_spec(node: &Node, id: String, warnings: &mut Warnings) -> BoxSpec {
    let (title, text, items) = split_label(node);
    if title.value.is_empty() {
        warnings.add(
            "empty-label",
            node.span,
            || format!("`{}` has an empty label; its box is titled with its id", escape(&node.id)),
            None,
        );
    }
    let title = if title.value.is_empty() { located(node.id.clone(), node.span) } else { title };
    BoxSpec { id: Some(located(id, node.span)), title, text, items }
}

/// A label's lines as a title (the first non-blank line), items (the lines from the first
/// one starting `• ` on, when every later line is a bullet or an indented continuation) and
/// text (the lines in between).
#[allow(clippy::type_complexity)]
fn split_label(node: &Node) -> (Spanned<String>, Option<Spanned<String>>, Vec<Spanned<String>>) {
    let Some(label) = &node.label else {
        return (located(node.id.clone(), node.span), None, Vec::new());
    };
    let span = label.span;
    let lines: Vec<&str> = label.value.split('\n').collect();
    let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) else {
        return (located(String::new(), span), None, Vec::new());
    };
    let title = lines[first].trim().to_owned();
    let rest = &lines[first + 1..];
    let is_bullet = |l: &str| l.trim_start().starts_with("• ");
    let items_from = rest.iter().position(|l| is_bullet(l)).filter(|&i| {
        rest[i + 1..].iter().all(|l| is_bullet(l) || l.starts_with(char::is_whitespace))
    });
    let (text_lines, item_lines) = match items_from {
        Some(i) => rest.split_at(i),
        None => (rest, &[][..]),
    };
    let text_lines: Vec<&str> = text_lines.iter().map(|l| l.trim()).collect();
    let start = text_lines.iter().position(|l| !l.is_empty()).unwrap_or(text_lines.len());
    let end = text_lines.iter().rposition(|l| !l.is_empty()).map_or(start, |e| e + 1);
    let text = text_lines[start..end].join("\n");
    let mut items: Vec<String> = Vec::new();
    for line in item_lines {
        match line.trim_start().strip_prefix("• ") {
            Some(item) => items.push(item.trim().to_owned()),
            None => {
                if let Some(last) = items.last_mut() {
                    last.push('\n');
                    last.push_str(line.trim());
                }
            }
        }
    }
    (
        located(title, span),
        (!text.is_empty()).then(|| located(text, span)),
        items.into_iter().map(|i| located(i, span)).collect(),
    )
}

/// Unique ids, kept as written when archdraw accepts them.
#[derive(Debug, Default)]
struct IdMaker {
    used: HashSet<String>,
}

impl IdMaker {
    fn make(&mut self, wanted: &str, fallback: &str) -> String {
        let ok = !wanted.is_empty()
            && wanted.trim() == wanted
            && !wanted.contains("->")
            && wanted.chars().count() <= 200
            && !wanted.chars().any(|c| c.is_control() || is_format_control(c));
        let numbered =
            |n: usize| if ok { format!("{wanted}-{n}") } else { format!("{fallback}-{n}") };
        let mut id = if ok { wanted.to_owned() } else { numbered(1) };
        let mut n = 1;
        while self.used.contains(&id) {
            n += 1;
            id = numbered(n);
        }
        self.used.insert(id.clone());
        id
    }
}

/// Bidirectional controls and line/paragraph separators, which archdraw refuses in text.
fn is_format_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(label: &str) -> Node {
        let mut n = Node::new("n".to_owned(), Span::new(1, 1, 1));
        n.label = Some(Text { value: label.to_owned(), span: Span::new(1, 1, 1) });
        n
    }

    fn parts(label: &str) -> (String, Option<String>, Vec<String>) {
        let (t, x, i) = split_label(&node(label));
        (t.value, x.map(|x| x.value), i.into_iter().map(|i| i.value).collect())
    }

    #[test]
    fn labels_split_into_title_text_and_items() {
        assert_eq!(parts("Kafka"), ("Kafka".into(), None, vec![]));
        assert_eq!(
            parts("Kafka\n(durable)\nlog"),
            ("Kafka".into(), Some("(durable)\nlog".into()), vec![])
        );
        assert_eq!(
            parts("Ingest\n• Kafka\n• CDC\n  stream"),
            ("Ingest".into(), None, vec!["Kafka".into(), "CDC\nstream".into()])
        );
        // A bullet followed by plain text is text, not an item.
        assert_eq!(parts("A\n• x\ny"), ("A".into(), Some("• x\ny".into()), vec![]));
    }

    #[test]
    fn ids_are_kept_when_valid_and_made_unique() {
        let mut ids = IdMaker::default();
        assert_eq!(ids.make("api", "node"), "api");
        assert_eq!(ids.make("api", "node"), "api-2");
        assert_eq!(ids.make("a -> b", "node"), "node-1");
        assert_eq!(ids.make("", "group"), "group-1");
        assert_eq!(ids.make(" x", "node"), "node-2");
    }
}
