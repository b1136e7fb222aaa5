//! The Mermaid flowchart reader: a hand-written recursive-descent parser over the source,
//! one pass, no backtracking beyond a few characters of look-ahead.
//!
//! It reads what Mermaid's own grammar (`flow.jison`) reads for the statements people write:
//! the `flowchart`/`graph` header and direction, nodes with their shapes and text, links of
//! every stroke and head with their labels, chains and `&` fans, `subgraph … end`, `%%`
//! comments, front matter and accessibility titles. Styling statements are skipped with a
//! warning. Anything else is an error at its position, worded in Mermaid's terms.

use std::collections::{HashMap, HashSet};

use super::Warnings;
use super::graph::{Cluster, Edge, Graph, Node, Stroke, Text};
use super::label;
use crate::diagnostic::{Diagnostic, Error, Span};
use crate::model::{Direction, Limits};
use crate::spec::escape;

/// Subgraphs nested deeper than this are refused: no diagram needs it, and group titles
/// repeat every ancestor's title.
const MAX_DEPTH: usize = 32;

pub(crate) fn parse(
    source: &str,
    limits: &Limits,
    warnings: &mut Warnings,
) -> Result<Graph, Error> {
    let mut parser = Parser {
        src: source,
        pos: 0,
        line: 1,
        col: 1,
        limits,
        warnings,
        graph: Graph { subgraph_ids_are_nodes: true, ..Graph::default() },
        index: HashMap::new(),
        stack: Vec::new(),
        subgraph_ids: HashMap::new(),
        service_marks: Vec::new(),
        edge_ids: HashSet::new(),
    };
    parser.document()?;
    Ok(parser.graph)
}

/// A position in the source.
#[derive(Debug, Clone, Copy)]
struct Mark {
    pos: usize,
    line: usize,
    col: usize,
}

/// An open subgraph and the nodes its own statements mention.
#[derive(Debug)]
struct Frame {
    cluster: usize,
    mentions: Vec<usize>,
    span: Span,
}

/// How a link is drawn in Mermaid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    None,
    Arrow,
    Circle,
    Cross,
}

/// A link token: `-->`, `-.->`, `==>`, `<-->`, `--o`, `~~~`, or the `--` that opens `-- text -->`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LinkToken {
    /// Its length in bytes.
    len: usize,
    stroke: Stroke,
    tail: Head,
    head: Head,
    /// More dashes, dots or equals signs than the shortest link: a longer edge in Mermaid.
    longer: bool,
    /// `--`, `==` or `-.` followed by text: the link's closing half comes after the text.
    opens_text: bool,
}

/// A parsed link.
#[derive(Debug)]
struct Link {
    token: LinkToken,
    label: Option<Text>,
    span: Span,
}

struct Parser<'a, 'w> {
    src: &'a str,
    pos: usize,
    line: usize,
    col: usize,
    limits: &'a Limits,
    warnings: &'w mut Warnings,
    graph: Graph,
    index: HashMap<String, usize>,
    stack: Vec<Frame>,
    subgraph_ids: HashMap<String, Span>,
    /// `class a,b service` statements, applied once every node is known.
    service_marks: Vec<(String, Span)>,
    /// Ids given to links (`e1@-->`), so `e1@{ … }` is not taken for a node.
    edge_ids: HashSet<String>,
}

impl Parser<'_, '_> {
    // --- the cursor ------------------------------------------------------------------------

    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn starts_with(&self, s: &str) -> bool {
        self.rest().starts_with(s)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        match c {
            '\n' => {
                self.line += 1;
                self.col = 1;
            }
            // A CR is half of a CRLF (the LF moves on a line) or a line end of its own.
            '\r' if self.peek() != Some('\n') => {
                self.line += 1;
                self.col = 1;
            }
            '\r' => {}
            _ => self.col += 1,
        }
        Some(c)
    }

    /// Moves over `bytes` bytes of the current line (no line breaks in them).
    fn advance(&mut self, bytes: usize) {
        let end = self.pos + bytes;
        while self.pos < end && self.bump().is_some() {}
    }

    fn mark(&self) -> Mark {
        Mark { pos: self.pos, line: self.line, col: self.col }
    }

    /// The span from `mark` to here; one that runs past its line covers the rest of it.
    fn span_from(&self, mark: Mark) -> Span {
        let len = if self.line == mark.line {
            self.col - mark.col
        } else {
            self.src[mark.pos..].split(['\n', '\r']).next().map_or(0, |l| l.chars().count())
        };
        Span::new(mark.line, mark.col, len)
    }

    fn here(&self, len: usize) -> Span {
        Span::new(self.line, self.col, len)
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
    }

    fn take_while(&mut self, mut keep: impl FnMut(char) -> bool) -> &str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if !keep(c) {
                break;
            }
            self.bump();
        }
        &self.src[start..self.pos]
    }

    /// Whether the statement ends here: a line end, `;`, the end, or a `%%` comment.
    fn at_statement_end(&self) -> bool {
        matches!(self.peek(), None | Some('\n' | '\r' | ';')) || self.starts_with("%%")
    }

    /// Skips to the end of the statement: the line's end or a `;` outside quotes.
    fn skip_statement(&mut self) {
        let mut quoted = false;
        while let Some(c) = self.peek() {
            match c {
                '\n' | '\r' => break,
                ';' if !quoted => break,
                '"' => quoted = !quoted,
                _ => {}
            }
            self.bump();
        }
    }

    /// Skips white space, line ends, `;` and `%%` comments between statements.
    fn skip_separators(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\n' | '\r' | ';') => {
                    self.bump();
                }
                Some('%') if self.starts_with("%%") => self.comment(),
                _ => break,
            }
        }
    }

    /// A `%%` comment to the end of its line, or a `%%{ … }%%` directive (warned about).
    fn comment(&mut self) {
        if self.starts_with("%%{") {
            let mark = self.mark();
            let len = self.rest().find("}%%").map_or(self.rest().len(), |end| end + 3);
            let end = self.pos + len;
            while self.pos < end && self.bump().is_some() {}
            let span = self.span_from(mark);
            self.warnings.add(
                "directive",
                span,
                || {
                    "`%%{…}%%` directives are ignored: archdraw has its own layout and styles"
                        .to_owned()
                },
                None,
            );
            return;
        }
        while !matches!(self.peek(), None | Some('\n' | '\r')) {
            self.bump();
        }
    }

    fn error(&self, span: Span, message: impl Into<String>, help: Option<&str>) -> Error {
        let mut d = Diagnostic::new(message).with_span(span);
        d.help = help.map(str::to_owned);
        d.into()
    }

    /// "unexpected …: expected `wanted`" at the current character.
    fn unexpected(&self, wanted: &str) -> Error {
        let Some(c) = self.peek() else {
            return self.error(
                self.here(0),
                format!("the diagram ends here, but Mermaid expects {wanted}"),
                None,
            );
        };
        if self.starts_with("->") || self.starts_with("=>") {
            return self.error(
                self.here(2),
                format!("`{}` is not a Mermaid link", &self.rest()[..2]),
                Some("write `-->` for an arrow, `---` for a line, `-.->` dotted, `==>` thick"),
            );
        }
        let help = match c {
            '"' => Some("a node id is not quoted; quote its text instead: `id[\"text\"]`"),
            '[' | '(' | '{' | '>' => Some("a node's text follows its id: `id[text]`"),
            _ if c.is_alphanumeric() => {
                Some("end a statement with a line break or `;` before the next one")
            }
            _ => None,
        };
        let shown = if c.is_control() { c.escape_default().to_string() } else { c.to_string() };
        self.error(self.here(1), format!("unexpected `{shown}`: Mermaid expects {wanted}"), help)
    }

    // --- the document ----------------------------------------------------------------------

    fn document(&mut self) -> Result<(), Error> {
        self.front_matter()?;
        self.skip_separators();
        self.header()?;
        loop {
            self.skip_separators();
            if self.peek().is_none() {
                break;
            }
            self.statement()?;
        }
        if let Some(frame) = self.stack.last() {
            return Err(self.error(
                frame.span,
                "this subgraph is never closed",
                Some("end it with a line holding `end`"),
            ));
        }
        for (id, span) in std::mem::take(&mut self.service_marks) {
            if let Some(&n) = self.index.get(&id) {
                let node = &mut self.graph.nodes[n];
                node.service.get_or_insert(span);
                node.defined = true;
            }
        }
        Ok(())
    }

    /// `---` front matter: its `title:` is the diagram's title; other keys are ignored.
    fn front_matter(&mut self) -> Result<(), Error> {
        let first = self.rest().split('\n').next().unwrap_or("");
        if first.trim_end() != "---" {
            return Ok(());
        }
        let open = self.here(3);
        self.skip_line();
        loop {
            let Some(line) =
                self.rest().split('\n').next().filter(|_| self.peek().is_some()).map(str::to_owned)
            else {
                return Err(self.error(
                    open,
                    "the front matter opened here is never closed",
                    Some("end it with a line holding `---`"),
                ));
            };
            let line = line.trim_end_matches('\r');
            if line.trim_end() == "---" {
                self.skip_line();
                return Ok(());
            }
            let starts_key = line.starts_with(|c: char| c.is_alphanumeric() || c == '_');
            if let (true, Some((raw_key, value))) = (starts_key, line.split_once(':')) {
                let key = raw_key.trim();
                let value_col = self.col + raw_key.chars().count() + 1;
                if key == "title" {
                    let value_trimmed = value.trim_start();
                    let col = value_col + value.chars().count() - value_trimmed.chars().count();
                    let title = yaml_scalar(value_trimmed);
                    if !title.is_empty() {
                        let span =
                            Span::new(self.line, col, value_trimmed.trim_end().chars().count());
                        self.graph.title = Some(Text { value: title, span });
                    }
                } else {
                    let span = Span::new(self.line, self.col, key.chars().count());
                    self.warnings.add_named(
                        "front-matter",
                        key,
                        span,
                        "front matter keys are ignored: {}",
                        Some("archdraw has its own layout and styles"),
                    );
                }
            }
            self.skip_line();
        }
    }

    /// Moves past the current line and its line break.
    fn skip_line(&mut self) {
        while !matches!(self.bump(), None | Some('\n')) {}
    }

    /// `flowchart LR`, `graph TD`, `graph` (top to bottom).
    fn header(&mut self) -> Result<(), Error> {
        let mark = self.mark();
        let word = self.take_while(|c| !c.is_whitespace() && c != ';').to_owned();
        let span = self.span_from(mark);
        match word.as_str() {
            "flowchart" | "graph" | "flowchart-elk" => {}
            "" => return Err(self.unexpected("`flowchart` or `graph` to start a flowchart")),
            other => {
                return Err(match diagram_kind(other) {
                    Some(kind) => self.error(
                        span,
                        format!("this is a Mermaid {kind}; archdraw reads flowcharts only"),
                        Some("a flowchart starts with `flowchart LR` or `graph TD`"),
                    ),
                    None => self.error(
                        span,
                        format!(
                            "a Mermaid flowchart starts with `flowchart` or `graph`, not `{}`",
                            escape(other)
                        ),
                        Some("write `flowchart LR` (or TD, RL, BT) on the first line"),
                    ),
                });
            }
        }
        self.skip_spaces();
        let mut direction = Direction::Down;
        if !self.at_statement_end() {
            let mark = self.mark();
            let word = self.take_while(|c| !c.is_whitespace() && c != ';').to_owned();
            direction = match word.to_ascii_uppercase().as_str() {
                "LR" | ">" => Direction::Right,
                "RL" | "<" => Direction::Left,
                "TB" | "TD" | "V" => Direction::Down,
                "BT" | "^" => Direction::Up,
                _ => {
                    return Err(self.error(
                        self.span_from(mark),
                        format!("unknown flowchart direction `{}`", escape(&word)),
                        Some("the directions are TB (or TD), BT, LR and RL"),
                    ));
                }
            };
            self.skip_spaces();
            if !self.at_statement_end() {
                return Err(self.unexpected("a line break or `;` after the direction"));
            }
        }
        self.graph.direction = Some(direction);
        Ok(())
    }

    // --- statements --------------------------------------------------------------------------

    fn statement(&mut self) -> Result<(), Error> {
        let word: String = self.rest().chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let after = self.rest()[word.len()..].chars().next();
        let ends_word = matches!(after, None | Some(' ' | '\t' | '\n' | '\r' | ';'));
        let mark = self.mark();
        match word.as_str() {
            "subgraph" if ends_word => self.subgraph(),
            "end" if ends_word => self.end(),
            "classDef" if ends_word => {
                self.advance(word.len());
                self.skip_spaces();
                let name: String = self.rest().chars().take_while(|c| !c.is_whitespace()).collect();
                self.skip_statement();
                if name != "service" {
                    let span = self.span_from(mark);
                    self.ignored(
                        "classDef",
                        span,
                        "`classDef` is ignored: archdraw has no per-node styles yet",
                    );
                }
                Ok(())
            }
            "class" if ends_word => self.class_statement(mark),
            "style" if ends_word => {
                self.skip_statement();
                let span = self.span_from(mark);
                self.ignored(
                    "style",
                    span,
                    "`style` is ignored: archdraw has no per-node styles yet",
                );
                Ok(())
            }
            "linkStyle" if ends_word => {
                self.skip_statement();
                let span = self.span_from(mark);
                self.ignored(
                    "linkStyle",
                    span,
                    "`linkStyle` is ignored: archdraw has no per-link styles yet",
                );
                Ok(())
            }
            "click" if ends_word => {
                self.skip_statement();
                let span = self.span_from(mark);
                self.ignored(
                    "click",
                    span,
                    "`click` is ignored: a drawing has no links or callbacks",
                );
                Ok(())
            }
            "direction" if ends_word => {
                self.skip_statement();
                let span = self.span_from(mark);
                self.ignored(
                    "direction",
                    span,
                    "`direction` inside a subgraph is ignored: the whole diagram flows one way",
                );
                Ok(())
            }
            "accTitle"
                if self.rest()[word.len()..].trim_start_matches([' ', '\t']).starts_with(':') =>
            {
                self.acc_title()
            }
            "accDescr" => {
                self.advance(word.len());
                self.skip_spaces();
                if self.peek() == Some('{') {
                    while !matches!(self.bump(), None | Some('}')) {}
                } else {
                    while !matches!(self.peek(), None | Some('\n' | '\r')) {
                        self.bump();
                    }
                }
                let span = self.span_from(mark);
                self.ignored(
                    "accDescr",
                    span,
                    "`accDescr` is ignored: archdraw has no description",
                );
                Ok(())
            }
            _ => {
                let id_len = node_id_len(self.rest());
                if id_len > 0
                    && self.rest()[id_len..].starts_with("@{")
                    && self.edge_ids.contains(&self.rest()[..id_len])
                {
                    // `e1@{ animate: true }` describes the link named e1: no node.
                    self.advance(id_len);
                    self.shape_data_body()?;
                    let span = self.span_from(mark);
                    self.ignored("edge-data", span, "link properties (`id@{ … }`) are ignored");
                    return Ok(());
                }
                self.vertex_statement()
            }
        }
    }

    fn ignored(&mut self, kind: &'static str, span: Span, message: &'static str) {
        self.warnings.add(kind, span, || message.to_owned(), None);
    }

    /// `accTitle: text`: the diagram's title unless front matter gave one.
    fn acc_title(&mut self) -> Result<(), Error> {
        while self.bump() != Some(':') {}
        self.skip_spaces();
        let mark = self.mark();
        let text = self.take_while(|c| c != '\n' && c != '\r').trim_end().to_owned();
        let span = self.span_from(mark);
        if self.graph.title.is_none() && !text.is_empty() {
            self.graph.title = Some(Text { value: label::mermaid(&text).text, span });
        }
        Ok(())
    }

    /// `class a,b name`: the class `service` marks services; others are ignored.
    fn class_statement(&mut self, mark: Mark) -> Result<(), Error> {
        self.advance("class".len());
        self.skip_spaces();
        let ids_mark = self.mark();
        let ids = self.take_while(|c| !c.is_whitespace() && c != ';').to_owned();
        let ids_span = self.span_from(ids_mark);
        self.skip_spaces();
        let class = self.take_while(|c| !c.is_whitespace() && c != ';').to_owned();
        if ids.is_empty() || class.is_empty() {
            return Err(self.error(
                self.span_from(mark),
                "a `class` statement names nodes and a class: `class a,b className`",
                Some("`class` is a Mermaid keyword, so it cannot be a node id"),
            ));
        }
        self.skip_statement();
        if class.split(',').any(|c| c == "service") {
            for id in ids.split(',').map(str::trim).filter(|id| !id.is_empty()) {
                self.service_marks.push((id.to_owned(), ids_span));
            }
        } else {
            let span = self.span_from(mark);
            self.ignored(
                "class",
                span,
                "classes (`class`, `:::`) are ignored: archdraw has no per-node styles yet",
            );
        }
        Ok(())
    }

    /// `subgraph id [title]`, `subgraph id["title"]`, `subgraph title`, `subgraph "title"`.
    fn subgraph(&mut self) -> Result<(), Error> {
        let mark = self.mark();
        self.advance("subgraph".len());
        let keyword = self.span_from(mark);
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(
                keyword,
                format!("subgraphs are nested more than {MAX_DEPTH} deep"),
                Some("flatten the diagram"),
            ));
        }
        self.skip_spaces();
        let (id, title) = if self.at_statement_end() {
            (None, Text { value: String::new(), span: keyword })
        } else if self.peek() == Some('"') {
            let title = self.string()?;
            let id = (!title.value.contains(char::is_whitespace) && !title.value.is_empty())
                .then(|| (title.value.clone(), title.span));
            (id, title)
        } else {
            let id_mark = self.mark();
            let raw =
                self.take_while(|c| !matches!(c, '[' | '\n' | '\r' | ';')).trim_end().to_owned();
            let id_span = Span::new(id_mark.line, id_mark.col, raw.chars().count());
            if self.peek() == Some('[') {
                self.bump();
                self.skip_spaces();
                let title = if self.peek() == Some('"') {
                    self.string()?
                } else {
                    let tmark = self.mark();
                    let text = self.take_while(|c| !matches!(c, ']' | '\n' | '\r')).to_owned();
                    Text { value: text, span: self.span_from(tmark) }
                };
                self.skip_spaces();
                if self.peek() != Some(']') {
                    return Err(self.unexpected("`]` to end the subgraph's title"));
                }
                self.bump();
                if raw.contains(char::is_whitespace) {
                    return Err(self.error(
                        id_span,
                        format!("a subgraph id cannot contain spaces: `{}`", escape(&raw)),
                        Some("write `subgraph id [title]`"),
                    ));
                }
                ((!raw.is_empty()).then_some((raw, id_span)), title)
            } else {
                let id = (!raw.contains(char::is_whitespace)).then(|| (raw.clone(), id_span));
                (id, Text { value: raw, span: id_span })
            }
        };
        self.skip_spaces();
        if !self.at_statement_end() {
            return Err(self.unexpected("a line break after the subgraph's title"));
        }
        let decoded = label::mermaid(&title.value);
        if decoded.dropped_markup {
            self.markup_warning(title.span);
        }
        let title = Text { value: label::trim_lines(&decoded.text), span: title.span };
        if let Some((id, span)) = &id {
            if let Some(first) = self.subgraph_ids.get(id) {
                return Err(self.error(
                    *span,
                    format!("subgraph `{}` is declared twice", escape(id)),
                    Some(&format!(
                        "the first is on line {}; give each subgraph its own id",
                        first.line
                    )),
                ));
            }
            self.subgraph_ids.insert(id.clone(), *span);
        }
        if self.graph.clusters.len() >= self.limits.max_boxes {
            return Err(self.error(
                keyword,
                format!("too many subgraphs: over the limit of {}", self.limits.max_boxes),
                Some("split the diagram into smaller ones"),
            ));
        }
        let cluster = self.graph.clusters.len();
        self.graph.clusters.push(Cluster {
            id: id.map(|(id, _)| id),
            title,
            parent: self.stack.last().map(|f| f.cluster),
            span: keyword,
        });
        self.stack.push(Frame { cluster, mentions: Vec::new(), span: keyword });
        Ok(())
    }

    /// `end`: closes the innermost subgraph, which takes every node its statements mention
    /// that no subgraph closed before has taken (Mermaid's rule).
    fn end(&mut self) -> Result<(), Error> {
        let span = self.here(3);
        self.advance(3);
        let Some(frame) = self.stack.pop() else {
            return Err(self.error(
                span,
                "`end` without an open `subgraph`",
                Some("`end` is a Mermaid keyword; a node cannot be called `end` (write `End`)"),
            ));
        };
        for n in frame.mentions {
            let node = &mut self.graph.nodes[n];
            if node.cluster.is_none() {
                node.cluster = Some(frame.cluster);
            }
        }
        self.skip_spaces();
        if !self.at_statement_end() {
            return Err(self.unexpected("a line break after `end`"));
        }
        Ok(())
    }

    /// `a --> b --> c`, `a & b --> c`, `a[text]`.
    fn vertex_statement(&mut self) -> Result<(), Error> {
        let mut left = self.vertex_group()?;
        loop {
            self.skip_spaces();
            if self.at_statement_end() {
                return Ok(());
            }
            let Some(link) = self.link()? else {
                return Err(
                    self.unexpected("a link such as `-->`, `&` or the end of the statement")
                );
            };
            self.skip_spaces();
            if self.at_statement_end() {
                return Err(self.error(
                    link.span,
                    "this link has no node after it",
                    Some("a link joins two nodes: `a --> b`"),
                ));
            }
            let right = self.vertex_group()?;
            self.add_links(&left, &right, link)?;
            left = right;
        }
    }

    /// `a & b & c`.
    fn vertex_group(&mut self) -> Result<Vec<usize>, Error> {
        let mut group = vec![self.vertex()?];
        loop {
            let save = self.mark();
            self.skip_spaces();
            if self.peek() == Some('&') {
                self.bump();
                self.skip_spaces();
                group.push(self.vertex()?);
            } else {
                self.pos = save.pos;
                self.line = save.line;
                self.col = save.col;
                return Ok(group);
            }
        }
    }

    /// One node: `id`, `id[text]` (any shape), `id:::class`, `id@{ … }`.
    fn vertex(&mut self) -> Result<usize, Error> {
        let mark = self.mark();
        let id = self.node_id().to_owned();
        let span = self.span_from(mark);
        if id.is_empty() {
            return Err(self.unexpected("a node id"));
        }
        if id == "end" || id == "subgraph" {
            return Err(self.error(
                span,
                format!("`{id}` is a Mermaid keyword and cannot be a node id"),
                Some("capitalise it (`End`) or give the node another id: `e[end]`"),
            ));
        }
        let save = self.mark();
        self.skip_spaces();
        let shaped = if matches!(self.peek(), Some('[' | '(' | '{'))
            || (self.pos == save.pos && self.peek() == Some('>'))
        {
            Some(self.shape()?)
        } else {
            self.pos = save.pos;
            self.line = save.line;
            self.col = save.col;
            None
        };
        let mut service = None;
        let mut defined = shaped.is_some();
        if self.starts_with(":::") {
            let cmark = self.mark();
            self.advance(3);
            let class = self.take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ','));
            if class.is_empty() {
                return Err(self.unexpected("a class name after `:::`"));
            }
            let is_service = class.split(',').any(|c| c == "service");
            let cspan = self.span_from(cmark);
            defined = true;
            if is_service {
                service = Some(cspan);
            } else {
                self.ignored(
                    "class",
                    cspan,
                    "classes (`class`, `:::`) are ignored: archdraw has no per-node styles yet",
                );
            }
        }
        let mut data = None;
        if self.starts_with("@{") {
            data = Some(self.shape_data()?);
            defined = true;
        }
        let n = self.node(&id, span)?;
        let node = &mut self.graph.nodes[n];
        node.defined |= defined;
        if let Some(s) = service {
            node.service.get_or_insert(s);
        }
        if let Some((shape, text)) = shaped {
            node.label = Some(text);
            let whole = self.span_from(mark);
            self.shape_warning(shape, whole);
        }
        if let Some((shape, text)) = data {
            if let Some(text) = text {
                self.graph.nodes[n].label = Some(text);
            }
            if let Some((name, shape_span)) = shape
                && !matches!(name.as_str(), "rect" | "rectangle" | "proc" | "process")
            {
                self.warnings.add_named(
                    "shape-data",
                    &name,
                    shape_span,
                    "shapes drawn as plain boxes: {}",
                    Some("archdraw draws boxes only, for now"),
                );
            }
        }
        if let Some(frame) = self.stack.last_mut() {
            frame.mentions.push(n);
        }
        Ok(n)
    }

    /// The node with `id`, made on first mention.
    fn node(&mut self, id: &str, span: Span) -> Result<usize, Error> {
        if let Some(&n) = self.index.get(id) {
            return Ok(n);
        }
        if self.graph.nodes.len() >= self.limits.max_boxes {
            return Err(self.error(
                span,
                format!("too many nodes: over the limit of {}", self.limits.max_boxes),
                Some("split the diagram into smaller ones"),
            ));
        }
        let n = self.graph.nodes.len();
        self.graph.nodes.push(Node::new(id.to_owned(), span));
        self.index.insert(id.to_owned(), n);
        Ok(n)
    }

    /// A node id: see [`node_id_len`].
    fn node_id(&mut self) -> &str {
        let start = self.pos;
        let len = node_id_len(self.rest());
        self.advance(len);
        &self.src[start..self.pos]
    }

    /// A node's shape and text: `[text]`, `(text)`, `{text}`, `([text])` and the others.
    fn shape(&mut self) -> Result<(Shape, Text), Error> {
        let open_mark = self.mark();
        let &(shape, open, closers) = SHAPES
            .iter()
            .find(|(_, open, _)| self.starts_with(open))
            .ok_or_else(|| self.unexpected("a node shape"))?;
        if shape == Shape::Props {
            return Err(self.error(
                self.here(2),
                "`[|…|…]` node properties are not read by archdraw",
                Some("write the node as `id[text]`"),
            ));
        }
        self.advance(open.len());
        let text = if self.rest().trim_start_matches([' ', '\t']).starts_with('"') {
            self.skip_spaces();
            let text = self.string()?;
            self.skip_spaces();
            text
        } else {
            let mark = self.mark();
            loop {
                if closers.iter().any(|(close, _)| self.starts_with(close)) {
                    break;
                }
                match self.peek() {
                    None | Some('\n' | '\r') => {
                        return Err(self.error(
                            self.span_from(open_mark),
                            format!("this node's text is not closed with `{}`", closers[0].0),
                            None,
                        ));
                    }
                    Some(c @ ('[' | ']' | '(' | ')' | '{' | '}' | '|' | '"')) => {
                        return Err(self.error(
                            self.here(1),
                            format!("`{c}` inside a node's text must be quoted in Mermaid"),
                            Some("quote the whole text: `id[\"text (with brackets)\"]`"),
                        ));
                    }
                    Some(_) => {
                        self.bump();
                    }
                }
            }
            let value = self.src[mark.pos..self.pos].to_owned();
            Text { value, span: self.span_from(mark) }
        };
        let Some(&(close, shape)) = closers.iter().find(|(close, _)| self.starts_with(close))
        else {
            return Err(self.unexpected(&format!("`{}` to close the node's text", closers[0].0)));
        };
        self.advance(close.len());
        let decoded = label::mermaid(&text.value);
        if decoded.dropped_markup {
            self.markup_warning(text.span);
        }
        Ok((shape, Text { value: decoded.text, span: text.span }))
    }

    fn shape_warning(&mut self, shape: Shape, span: Span) {
        let Some((written, name)) = shape.describe() else { return };
        self.warnings.add(
            shape.kind(),
            span,
            || {
                format!(
                    "`{written}` ({name}) is drawn as a box: archdraw draws boxes only, for now"
                )
            },
            None,
        );
    }

    fn markup_warning(&mut self, span: Span) {
        self.ignored(
            "markup",
            span,
            "HTML formatting tags (`<b>`, `<i>`, …) are dropped; their text is kept",
        );
    }

    /// `"text"` or a Markdown string `` "`text`" ``, which may span lines.
    fn string(&mut self) -> Result<Text, Error> {
        let mark = self.mark();
        let markdown = self.starts_with("\"`");
        self.advance(if markdown { 2 } else { 1 });
        let close = if markdown { "`\"" } else { "\"" };
        let body_start = self.pos;
        loop {
            if self.starts_with(close) {
                break;
            }
            if self.bump().is_none() {
                return Err(self.error(
                    Span::new(mark.line, mark.col, 1),
                    "this string is never closed",
                    Some(if markdown {
                        "a Markdown string ends with a backquote and a quote: \"`text`\""
                    } else {
                        "end it with `\"`; write a quote inside text as `#quot;`"
                    }),
                ));
            }
        }
        let value = self.src[body_start..self.pos].to_owned();
        self.advance(close.len());
        Ok(Text { value, span: self.span_from(mark) })
    }

    /// `@{ shape: cyl, label: "Orders" }`: the shape's name and the label, if given.
    #[allow(clippy::type_complexity)]
    fn shape_data(&mut self) -> Result<(Option<(String, Span)>, Option<Text>), Error> {
        let (entries, _) = self.shape_data_body()?;
        let mut shape = None;
        let mut text = None;
        for (key, value, span) in entries {
            match key.as_str() {
                "shape" => shape = Some((value, span)),
                "label" => {
                    let decoded = label::mermaid(&value);
                    if decoded.dropped_markup {
                        self.markup_warning(span);
                    }
                    text = Some(Text { value: decoded.text, span });
                }
                _ => self.warnings.add_named(
                    "node-data",
                    &key,
                    span,
                    "node properties are ignored: {}",
                    None,
                ),
            }
        }
        Ok((shape, text))
    }

    /// The `key: value` entries of `@{ … }`, each with the position of its value.
    #[allow(clippy::type_complexity)]
    fn shape_data_body(&mut self) -> Result<(Vec<(String, String, Span)>, Span), Error> {
        let mark = self.mark();
        self.advance(2);
        let mut entries = Vec::new();
        loop {
            while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r' | ',')) {
                self.bump();
            }
            match self.peek() {
                Some('}') => {
                    self.bump();
                    return Ok((entries, self.span_from(mark)));
                }
                None => {
                    return Err(self.error(
                        Span::new(mark.line, mark.col, 2),
                        "this `@{` is never closed with `}`",
                        None,
                    ));
                }
                _ => {}
            }
            let key = self.take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-')).to_owned();
            self.skip_spaces();
            if key.is_empty() || self.peek() != Some(':') {
                return Err(self.unexpected("`key: value` inside `@{ … }`"));
            }
            self.bump();
            self.skip_spaces();
            let vmark = self.mark();
            let value = if self.peek() == Some('"') {
                let s = self.string()?;
                s.value
            } else {
                self.take_while(|c| !matches!(c, ',' | '}' | '\n' | '\r')).trim().to_owned()
            };
            entries.push((key, value, self.span_from(vmark)));
        }
    }

    /// A link and its label, or `None` when no link starts here.
    fn link(&mut self) -> Result<Option<Link>, Error> {
        let mark = self.mark();
        if let Some(at) = self.edge_id_len() {
            let id = self.rest()[..at].to_owned();
            self.advance(at + 1);
            let span = self.span_from(mark);
            self.edge_ids.insert(id);
            self.ignored("edge-id", span, "link ids (`id@-->`) are ignored");
        }
        let Some(token) = scan_link(self.rest()) else {
            self.pos = mark.pos;
            self.line = mark.line;
            self.col = mark.col;
            return Ok(None);
        };
        self.advance(token.len);
        let mut token = token;
        let mut label = None;
        if token.opens_text {
            self.skip_spaces();
            let (text, closing) = self.link_text(token, mark)?;
            label = Some(text);
            token = LinkToken {
                len: token.len + closing.len,
                head: closing.head,
                longer: token.longer || closing.longer,
                opens_text: false,
                ..token
            };
        }
        let span = self.span_from(mark);
        self.skip_spaces();
        if self.peek() == Some('|') {
            if label.is_some() {
                return Err(self.error(
                    self.here(1),
                    "this link already has a label",
                    Some("write the label once: `a -- text --> b` or `a -->|text| b`"),
                ));
            }
            let pmark = self.mark();
            self.bump();
            self.skip_spaces();
            let text = if self.peek() == Some('"') {
                let t = self.string()?;
                self.skip_spaces();
                t
            } else {
                let tmark = self.mark();
                self.take_while(|c| !matches!(c, '|' | '\n' | '\r'));
                let value = self.src[tmark.pos..self.pos].to_owned();
                Text { value, span: self.span_from(tmark) }
            };
            if self.peek() != Some('|') {
                return Err(self.error(
                    self.span_from(pmark),
                    "this link label is not closed with `|`",
                    Some("write `-->|label|`"),
                ));
            }
            self.bump();
            label = Some(text);
        }
        let label = match label {
            Some(text) => {
                let decoded = label::mermaid(&text.value);
                if decoded.dropped_markup {
                    self.markup_warning(text.span);
                }
                Some(Text { value: label::trim_lines(&decoded.text), span: text.span })
            }
            None => None,
        };
        Ok(Some(Link { token, label, span }))
    }

    /// `e1@` before a link: the length of the id, when one is there. Ids are short, so the
    /// look-ahead is bounded (a long line must not be rescanned at every link).
    fn edge_id_len(&self) -> Option<usize> {
        const MAX_ID: usize = 200;
        let rest = self.rest();
        let (at, c) = rest
            .char_indices()
            .take(MAX_ID)
            .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))?;
        (c == '@' && at > 0 && scan_link(&rest[at + 1..]).is_some()).then_some(at)
    }

    /// The text of `-- text -->` (after the opening `--`) and the closing token.
    fn link_text(&mut self, open: LinkToken, mark: Mark) -> Result<(Text, LinkToken), Error> {
        let unclosed = |p: &Self| {
            let wanted = match open.stroke {
                Stroke::Thick => "`== text ==>`",
                Stroke::Dotted => "`-. text .->`",
                _ => "`-- text -->`",
            };
            p.error(
                p.span_from(mark),
                "this link's text is not closed",
                Some(&format!("write {wanted} on one line")),
            )
        };
        let text = if self.peek() == Some('"') {
            let t = self.string()?;
            self.skip_spaces();
            t
        } else {
            let tmark = self.mark();
            while closing_at(self.rest(), open.stroke).is_none() {
                match self.peek() {
                    None | Some('\n' | '\r') => return Err(unclosed(self)),
                    // A run of link characters that does not close the link here does not
                    // close it from any later place in the run either: skip it whole, so a
                    // long run costs one pass, not one per character.
                    Some(c @ ('-' | '=' | '.' | '~')) => {
                        while self.peek() == Some(c) {
                            self.bump();
                        }
                    }
                    _ => {
                        self.bump();
                    }
                }
            }
            let value = self.src[tmark.pos..self.pos].to_owned();
            Text { value, span: self.span_from(tmark) }
        };
        let Some(closing) = closing_at(self.rest(), open.stroke) else {
            return Err(unclosed(self));
        };
        self.advance(closing.len);
        Ok((text, closing))
    }

    /// The edges of one link between two groups of nodes.
    fn add_links(&mut self, left: &[usize], right: &[usize], link: Link) -> Result<(), Error> {
        let token = link.token;
        if token.stroke == Stroke::Invisible {
            self.ignored(
                "invisible",
                link.span,
                "invisible links (`~~~`) are not drawn: archdraw places boxes itself",
            );
            return Ok(());
        }
        let both = token.tail != Head::None && token.head != Head::None;
        let per_pair = if both { 2 } else { 1 };
        let count = left.len().saturating_mul(right.len()).saturating_mul(per_pair);
        if self.graph.edges.len().saturating_add(count) > self.limits.max_arrows {
            return Err(self.error(
                link.span,
                format!("too many links: over the limit of {}", self.limits.max_arrows),
                Some("split the diagram into smaller ones"),
            ));
        }
        if token.longer {
            self.ignored(
                "length",
                link.span,
                "longer links (`--->`) are drawn at the usual length: archdraw places boxes itself",
            );
        }
        let heads = [token.tail, token.head];
        if heads.iter().any(|h| matches!(h, Head::Circle | Head::Cross)) {
            self.ignored(
                "head",
                link.span,
                "circle and cross ends (`--o`, `--x`) are drawn as arrowheads",
            );
        }
        // Mermaid reads a link by its end: `<---` ends in `-`, so it is an open link like `---`
        // (only `<-->` and friends are two-way).
        if token.head == Head::None {
            self.ignored(
                "open",
                link.span,
                "links without an arrowhead (`---`) are drawn as arrows from the first node to \
                 the second",
            );
        }
        if both {
            self.ignored(
                "two-way",
                link.span,
                "two-way links (`<-->`) are drawn as two arrows, one each way",
            );
        }
        for &a in left {
            for &b in right {
                self.graph.edges.push(Edge {
                    from: a,
                    to: b,
                    label: link.label.clone(),
                    stroke: token.stroke,
                    style_warning: style_warning(token.stroke),
                    span: link.span,
                });
                if both {
                    // The pair is one link in the source: its style is warned about once.
                    self.graph.edges.push(Edge {
                        from: b,
                        to: a,
                        label: None,
                        stroke: token.stroke,
                        style_warning: None,
                        span: link.span,
                    });
                }
            }
        }
        Ok(())
    }
}

/// The warning a link's stroke gets unless it is a service's (which is dotted by design).
fn style_warning(stroke: Stroke) -> Option<(&'static str, &'static str)> {
    match stroke {
        Stroke::Dotted => Some(("dotted", "dotted links (`-.->`) are drawn as solid arrows")),
        Stroke::Thick => Some(("thick", "thick links (`==>`) are drawn as plain arrows")),
        Stroke::Solid | Stroke::Invisible => None,
    }
}

/// The node shapes, longest opener first; each with its possible closers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Rect,
    Round,
    Stadium,
    Subroutine,
    Cylinder,
    Circle,
    DoubleCircle,
    Asymmetric,
    Diamond,
    Hexagon,
    LeanRight,
    LeanLeft,
    Trapezoid,
    InvTrapezoid,
    Ellipse,
    Props,
}

/// The closing delimiters a shape's opener may end with, and the shape each one makes.
type Closers = &'static [(&'static str, Shape)];

const SHAPES: &[(Shape, &str, Closers)] = &[
    (Shape::DoubleCircle, "(((", &[(")))", Shape::DoubleCircle)]),
    (Shape::Stadium, "([", &[("])", Shape::Stadium)]),
    (Shape::Subroutine, "[[", &[("]]", Shape::Subroutine)]),
    (Shape::Cylinder, "[(", &[(")]", Shape::Cylinder)]),
    (Shape::Props, "[|", &[]),
    (Shape::LeanRight, "[/", &[("/]", Shape::LeanRight), ("\\]", Shape::Trapezoid)]),
    (Shape::LeanLeft, "[\\", &[("\\]", Shape::LeanLeft), ("/]", Shape::InvTrapezoid)]),
    (Shape::Circle, "((", &[("))", Shape::Circle)]),
    (Shape::Hexagon, "{{", &[("}}", Shape::Hexagon)]),
    (Shape::Ellipse, "(-", &[("-)", Shape::Ellipse)]),
    (Shape::Rect, "[", &[("]", Shape::Rect)]),
    (Shape::Round, "(", &[(")", Shape::Round)]),
    (Shape::Diamond, "{", &[("}", Shape::Diamond)]),
    (Shape::Asymmetric, ">", &[("]", Shape::Asymmetric)]),
];

impl Shape {
    /// How it is written and called, or `None` for the rectangle archdraw draws.
    const fn describe(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Shape::Rect | Shape::Props => return None,
            Shape::Round => ("(…)", "a rounded box"),
            Shape::Stadium => ("([…])", "a stadium"),
            Shape::Subroutine => ("[[…]]", "a subroutine"),
            Shape::Cylinder => ("[(…)]", "a cylinder"),
            Shape::Circle => ("((…))", "a circle"),
            Shape::DoubleCircle => ("(((…)))", "a double circle"),
            Shape::Asymmetric => (">…]", "an asymmetric shape"),
            Shape::Diamond => ("{…}", "a decision diamond"),
            Shape::Hexagon => ("{{…}}", "a hexagon"),
            Shape::LeanRight => ("[/…/]", "a parallelogram"),
            Shape::LeanLeft => ("[\\…\\]", "a parallelogram"),
            Shape::Trapezoid => ("[/…\\]", "a trapezoid"),
            Shape::InvTrapezoid => ("[\\…/]", "an inverted trapezoid"),
            Shape::Ellipse => ("(-…-)", "an ellipse"),
        })
    }

    const fn kind(self) -> &'static str {
        match self {
            Shape::Rect | Shape::Props => "shape-rect",
            Shape::Round => "shape-round",
            Shape::Stadium => "shape-stadium",
            Shape::Subroutine => "shape-subroutine",
            Shape::Cylinder => "shape-cylinder",
            Shape::Circle => "shape-circle",
            Shape::DoubleCircle => "shape-double-circle",
            Shape::Asymmetric => "shape-asymmetric",
            Shape::Diamond => "shape-diamond",
            Shape::Hexagon => "shape-hexagon",
            Shape::LeanRight => "shape-lean-right",
            Shape::LeanLeft => "shape-lean-left",
            Shape::Trapezoid => "shape-trapezoid",
            Shape::InvTrapezoid => "shape-inv-trapezoid",
            Shape::Ellipse => "shape-ellipse",
        }
    }
}

/// The length in bytes of the node id at the start of `s`: letters, digits and `_ / + $ !`,
/// and `-` or `.` where they do not start a link.
fn node_id_len(s: &str) -> usize {
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let ok = c.is_alphanumeric()
            || matches!(c, '_' | '/' | '+' | '$' | '!')
            || (c == '-' && !matches!(next, Some('-' | '>' | '.')))
            || (c == '.' && !matches!(next, Some('-')));
        if !ok {
            return i;
        }
    }
    s.len()
}

fn head_of(c: Option<char>) -> Head {
    match c {
        Some('>' | '<') => Head::Arrow,
        Some('o') => Head::Circle,
        Some('x') => Head::Cross,
        _ => Head::None,
    }
}

/// The link token at the start of `s`, as Mermaid's lexer reads one.
fn scan_link(s: &str) -> Option<LinkToken> {
    let bytes = s.as_bytes();
    if s.starts_with("~~~") {
        let len = bytes.iter().take_while(|&&b| b == b'~').count();
        return Some(LinkToken {
            len,
            stroke: Stroke::Invisible,
            tail: Head::None,
            head: Head::None,
            longer: false,
            opens_text: false,
        });
    }
    let (tail, body) = match bytes.first() {
        Some(b'<' | b'x' | b'o')
            if s[1..].starts_with("--") || s[1..].starts_with("==") || s[1..].starts_with("-.") =>
        {
            (head_of(s.chars().next()), &s[1..])
        }
        _ => (Head::None, s),
    };
    let offset = s.len() - body.len();
    let token = |len: usize, stroke, head, longer, opens_text| {
        Some(LinkToken { len: offset + len, stroke, tail, head, longer, opens_text })
    };
    for (c, stroke) in [('-', Stroke::Solid), ('=', Stroke::Thick)] {
        let run = body.chars().take_while(|&x| x == c).count();
        if run < 2 {
            continue;
        }
        let next = body[run..].chars().next();
        return match next {
            Some('>' | 'x' | 'o') => token(run + 1, stroke, head_of(next), run > 2, false),
            _ if run >= 3 => token(run, stroke, Head::None, run > 3, false),
            _ => token(run, stroke, Head::None, false, true),
        };
    }
    // Dotted: `-.->`, `-.-`, `-..->`, or `-.` opening `-. text .->`.
    if let Some(after_dash) = body.strip_prefix('-') {
        let dots = after_dash.chars().take_while(|&x| x == '.').count();
        if dots == 0 {
            return None;
        }
        let after_dots = &after_dash[dots..];
        if let Some(after) = after_dots.strip_prefix('-') {
            let next = after.chars().next();
            let head = head_of(next.filter(|c| matches!(c, '>' | 'x' | 'o')));
            let len = 1 + dots + 1 + usize::from(head != Head::None);
            return token(len, Stroke::Dotted, head, dots > 1, false);
        }
        if dots == 1 {
            return token(2, Stroke::Dotted, Head::None, false, true);
        }
    }
    None
}

/// The closing half of `-- text -->` at the start of `s`, for a link of `stroke`. A closing
/// half never has a tail marker: `-- fix-->` is labelled `fix`, not `fi` with a cross.
fn closing_at(s: &str, stroke: Stroke) -> Option<LinkToken> {
    let trimmed = s.trim_start_matches([' ', '\t']);
    let spaces = s.len() - trimmed.len();
    let token = scan_link(trimmed)
        .filter(|t| !t.opens_text && t.tail == Head::None)
        .or_else(|| dotted_close(trimmed))?;
    (token.stroke == stroke).then_some(LinkToken { len: spaces + token.len, ..token })
}

/// `.->`, `..-`: the closing half of a dotted link written without its leading dash.
fn dotted_close(s: &str) -> Option<LinkToken> {
    let dots = s.chars().take_while(|&c| c == '.').count();
    if dots == 0 {
        return None;
    }
    let after = s[dots..].strip_prefix('-')?;
    let next = after.chars().next();
    let head = head_of(next.filter(|c| matches!(c, '>' | 'x' | 'o')));
    Some(LinkToken {
        len: dots + 1 + usize::from(head != Head::None),
        stroke: Stroke::Dotted,
        tail: Head::None,
        head,
        longer: dots > 1,
        opens_text: false,
    })
}

/// The kind of a Mermaid diagram that is not a flowchart, from its first word.
pub(crate) fn diagram_kind(word: &str) -> Option<&'static str> {
    Some(match word {
        "sequenceDiagram" => "sequence diagram",
        "classDiagram" | "classDiagram-v2" => "class diagram",
        "stateDiagram" | "stateDiagram-v2" => "state diagram",
        "erDiagram" => "entity relationship diagram",
        "gantt" => "Gantt chart",
        "pie" => "pie chart",
        "journey" => "user journey",
        "gitGraph" => "Git graph",
        "mindmap" => "mind map",
        "timeline" => "timeline",
        "quadrantChart" => "quadrant chart",
        "requirementDiagram" => "requirement diagram",
        "C4Context" | "C4Container" | "C4Component" | "C4Dynamic" | "C4Deployment" => "C4 diagram",
        "sankey-beta" | "sankey" => "Sankey diagram",
        "xychart-beta" | "xychart" => "XY chart",
        "block-beta" | "block" => "block diagram",
        "packet-beta" | "packet" => "packet diagram",
        "architecture-beta" | "architecture" => "architecture diagram",
        "kanban" => "Kanban board",
        "radar-beta" => "radar chart",
        "treemap-beta" | "treemap" => "treemap",
        "zenuml" => "ZenUML diagram",
        _ => return None,
    })
}

/// A YAML scalar as front matter writes a title: plain, `"double"` or `'single'` quoted.
fn yaml_scalar(value: &str) -> String {
    let value = value.trim();
    if let Some(body) = value.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('u') => {
                        let hex: String = chars.by_ref().take(4).collect();
                        out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                    }
                    Some(other) => out.push(other),
                    None => {}
                },
                c => out.push(c),
            }
        }
        out
    } else if let Some(body) = value.strip_prefix('\'') {
        let mut out = String::new();
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    out.push('\'');
                } else {
                    break;
                }
            } else {
                out.push(c);
            }
        }
        out
    } else {
        value.split(" #").next().unwrap_or("").trim().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(s: &str) -> Option<(usize, Stroke, Head, Head, bool, bool)> {
        scan_link(s).map(|t| (t.len, t.stroke, t.tail, t.head, t.longer, t.opens_text))
    }

    #[test]
    fn links_are_scanned_like_mermaid() {
        use Head::{Arrow, Circle, Cross, None as No};
        use Stroke::{Dotted, Invisible, Solid, Thick};
        assert_eq!(token("--> b"), Some((3, Solid, No, Arrow, false, false)));
        assert_eq!(token("---> b"), Some((4, Solid, No, Arrow, true, false)));
        assert_eq!(token("--- b"), Some((3, Solid, No, No, false, false)));
        assert_eq!(token("<--> b"), Some((4, Solid, Arrow, Arrow, false, false)));
        assert_eq!(token("--o b"), Some((3, Solid, No, Circle, false, false)));
        assert_eq!(token("x--x b"), Some((4, Solid, Cross, Cross, false, false)));
        assert_eq!(token("-.-> b"), Some((4, Dotted, No, Arrow, false, false)));
        assert_eq!(token("-.- b"), Some((3, Dotted, No, No, false, false)));
        assert_eq!(token("-..-> b"), Some((5, Dotted, No, Arrow, true, false)));
        assert_eq!(token("==> b"), Some((3, Thick, No, Arrow, false, false)));
        assert_eq!(token("<==> b"), Some((4, Thick, Arrow, Arrow, false, false)));
        assert_eq!(token("~~~ b"), Some((3, Invisible, No, No, false, false)));
        assert_eq!(token("-- text --> b"), Some((2, Solid, No, No, false, true)));
        assert_eq!(token("-. text .-> b"), Some((2, Dotted, No, No, false, true)));
        assert_eq!(token("== text ==> b"), Some((2, Thick, No, No, false, true)));
        assert_eq!(token("-> b"), None);
        assert_eq!(token("b"), None);
        assert_eq!(token("xy"), None);
    }

    #[test]
    fn closings_of_link_text() {
        assert_eq!(
            closing_at(" --> b", Stroke::Solid).map(|t| (t.len, t.head)),
            Some((4, Head::Arrow))
        );
        assert_eq!(
            closing_at(" .-> b", Stroke::Dotted).map(|t| (t.len, t.head)),
            Some((4, Head::Arrow))
        );
        assert_eq!(closing_at("-.-> b", Stroke::Dotted).map(|t| t.len), Some(4));
        assert_eq!(closing_at(" ==> b", Stroke::Solid), None);
        assert_eq!(closing_at("text", Stroke::Solid), None);
    }

    #[test]
    fn front_matter_scalars() {
        assert_eq!(yaml_scalar("\"A \\\"quoted\\\" \\u00e9\""), "A \"quoted\" é");
        assert_eq!(yaml_scalar("'it''s'"), "it's");
        assert_eq!(yaml_scalar("Plain title # comment"), "Plain title");
    }
}
