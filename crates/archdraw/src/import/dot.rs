//! The Graphviz DOT reader: a tokenizer and a recursive-descent parser for the DOT language
//! (`strict`, `graph`/`digraph`, node, edge and attribute statements, subgraphs and
//! clusters), one pass over the source.
//!
//! Attributes archdraw has a meaning for are read: `label`, `shape`, `style`, `class` and
//! `dir` on nodes and edges, `rankdir` and `label` on the graph and its clusters. Every other
//! attribute is ignored, and named in one warning per kind of statement.

use std::collections::HashMap;

use super::Warnings;
use super::graph::{Cluster, Edge, Graph, Node, Stroke, Text};
use super::label::{self, DotNames};
use crate::diagnostic::{Diagnostic, Error, Span};
use crate::model::{Direction, Limits};
use crate::spec::escape;

/// Subgraphs nested deeper than this are refused (the parser recurses once per level).
const MAX_DEPTH: usize = 32;

pub(crate) fn parse(
    source: &str,
    limits: &Limits,
    warnings: &mut Warnings,
) -> Result<Graph, Error> {
    let mut parser = Parser {
        lexer: Lexer { src: source, pos: 0, line: 1, col: 1, line_start: true },
        peeked: None,
        limits,
        warnings,
        // Graphviz lays graphs out top to bottom unless rankdir says otherwise.
        graph: Graph { direction: Some(Direction::Down), ..Graph::default() },
        index: HashMap::new(),
        attrs: Vec::new(),
        directed: true,
        strict: false,
        name: String::new(),
        strict_edges: HashMap::new(),
    };
    parser.document()?;
    parser.finish_nodes();
    Ok(parser.graph)
}

// --- tokens ------------------------------------------------------------------------------------

/// How an id was written, which decides how its text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    Plain,
    Quoted,
    Html,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Id(String, Quote),
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Semi,
    Comma,
    Eq,
    Colon,
    Plus,
    /// `->` (true) or `--` (false).
    EdgeOp(bool),
    Eof,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    span: Span,
}

impl Token {
    /// Whether this is the plain keyword `word` (DOT keywords ignore case).
    fn is_keyword(&self, word: &str) -> bool {
        matches!(&self.tok, Tok::Id(text, Quote::Plain) if text.eq_ignore_ascii_case(word))
    }
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    line: usize,
    col: usize,
    /// Only white space since the last line break: a `#` here starts a preprocessor line.
    line_start: bool,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        match c {
            '\n' => {
                self.line += 1;
                self.col = 1;
                self.line_start = true;
            }
            '\r' if self.peek() != Some('\n') => {
                self.line += 1;
                self.col = 1;
                self.line_start = true;
            }
            '\r' => {}
            c => {
                self.col += 1;
                if !c.is_whitespace() {
                    self.line_start = false;
                }
            }
        }
        Some(c)
    }

    fn error(&self, span: Span, message: impl Into<String>, help: Option<&str>) -> Error {
        let mut d = Diagnostic::new(message).with_span(span);
        d.help = help.map(str::to_owned);
        d.into()
    }

    /// Skips white space and comments: `//` and `/* */`, and `#` lines (C preprocessor output).
    fn skip_trivia(&mut self) -> Result<(), Error> {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some('#') if self.line_start => {
                    while !matches!(self.peek(), None | Some('\n' | '\r')) {
                        self.bump();
                    }
                }
                Some('/') if self.rest().starts_with("//") => {
                    while !matches!(self.peek(), None | Some('\n' | '\r')) {
                        self.bump();
                    }
                }
                Some('/') if self.rest().starts_with("/*") => {
                    let span = Span::new(self.line, self.col, 2);
                    self.bump();
                    self.bump();
                    loop {
                        if self.rest().starts_with("*/") {
                            self.bump();
                            self.bump();
                            break;
                        }
                        if self.bump().is_none() {
                            return Err(self.error(
                                span,
                                "this comment is never closed",
                                Some("end it with `*/`"),
                            ));
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn next(&mut self) -> Result<Token, Error> {
        self.skip_trivia()?;
        let (line, col, start) = (self.line, self.col, self.pos);
        let span = |lexer: &Self| {
            let len = if lexer.line == line { lexer.col - col } else { 1 };
            Span::new(line, col, len)
        };
        let Some(c) = self.peek() else {
            return Ok(Token { tok: Tok::Eof, span: Span::new(line, col, 0) });
        };
        let single = match c {
            '{' => Some(Tok::LBrace),
            '}' => Some(Tok::RBrace),
            '[' => Some(Tok::LBracket),
            ']' => Some(Tok::RBracket),
            ';' => Some(Tok::Semi),
            ',' => Some(Tok::Comma),
            '=' => Some(Tok::Eq),
            ':' => Some(Tok::Colon),
            '+' => Some(Tok::Plus),
            _ => None,
        };
        if let Some(tok) = single {
            self.bump();
            return Ok(Token { tok, span: span(self) });
        }
        if self.rest().starts_with("->") || self.rest().starts_with("--") {
            let directed = self.rest().starts_with("->");
            self.bump();
            self.bump();
            return Ok(Token { tok: Tok::EdgeOp(directed), span: span(self) });
        }
        if c == '"' {
            return self.quoted(line, col);
        }
        if c == '<' {
            return self.html(line, col);
        }
        if c == '-' || c == '.' || c.is_ascii_digit() {
            self.bump();
            while matches!(self.peek(), Some(d) if d.is_ascii_digit() || d == '.') {
                self.bump();
            }
            let text = self.src[start..self.pos].to_owned();
            if text == "-" || text == "." {
                return Err(self.error(
                    span(self),
                    format!("unexpected `{text}`"),
                    Some("edges are written `a -> b` (digraph) or `a -- b` (graph)"),
                ));
            }
            return Ok(Token { tok: Tok::Id(text, Quote::Plain), span: span(self) });
        }
        if c.is_alphabetic() || c == '_' || !c.is_ascii() {
            while matches!(self.peek(), Some(d) if d.is_alphanumeric() || d == '_' || (!d.is_ascii() && !d.is_whitespace()))
            {
                self.bump();
            }
            let text = self.src[start..self.pos].to_owned();
            return Ok(Token { tok: Tok::Id(text, Quote::Plain), span: span(self) });
        }
        let shown = if c.is_control() { c.escape_default().to_string() } else { c.to_string() };
        Err(self.error(
            Span::new(line, col, 1),
            format!("unexpected `{shown}` in DOT"),
            Some("names other than letters, digits and `_` are quoted: \"my node\""),
        ))
    }

    /// `"…"`: `\"` is a quote, backslash-newline continues the line, other escapes are kept
    /// for the label reader.
    fn quoted(&mut self, line: usize, col: usize) -> Result<Token, Error> {
        self.bump();
        let mut text = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(self.error(
                        Span::new(line, col, 1),
                        "this string is never closed",
                        Some("end it with `\"`; a quote inside it is written `\\\"`"),
                    ));
                }
                Some('"') => break,
                Some('\\') => match self.peek() {
                    Some('"') => {
                        self.bump();
                        text.push('"');
                    }
                    Some('\\') => {
                        self.bump();
                        text.push_str("\\\\");
                    }
                    Some('\n') => {
                        self.bump();
                    }
                    Some('\r') => {
                        self.bump();
                        if self.peek() == Some('\n') {
                            self.bump();
                        }
                    }
                    _ => text.push('\\'),
                },
                Some(c) => text.push(c),
            }
        }
        let len = if self.line == line { self.col - col } else { 1 };
        Ok(Token { tok: Tok::Id(text, Quote::Quoted), span: Span::new(line, col, len) })
    }

    /// `<…>` with nested angle brackets: an HTML-like label.
    fn html(&mut self, line: usize, col: usize) -> Result<Token, Error> {
        self.bump();
        let start = self.pos;
        let mut depth = 1usize;
        loop {
            match self.bump() {
                None => {
                    return Err(self.error(
                        Span::new(line, col, 1),
                        "this HTML-like label is never closed with `>`",
                        None,
                    ));
                }
                Some('<') => depth += 1,
                Some('>') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Some(_) => {}
            }
        }
        let text = self.src[start..self.pos - 1].to_owned();
        let len = if self.line == line { self.col - col } else { 1 };
        Ok(Token { tok: Tok::Id(text, Quote::Html), span: Span::new(line, col, len) })
    }
}

// --- the parser --------------------------------------------------------------------------------

/// One `key=value` attribute.
#[derive(Debug, Clone)]
struct Attr {
    key: String,
    key_span: Span,
    value: String,
    quote: Quote,
    value_span: Span,
}

/// Default node and edge attributes in a scope (`node [shape=box]`).
#[derive(Debug, Clone, Default)]
struct Defaults {
    node: Vec<Attr>,
    edge: Vec<Attr>,
}

/// The attributes archdraw reads from a node, as last set.
#[derive(Debug, Clone, Default)]
struct NodeAttrs {
    label: Option<Attr>,
    shape: Option<Attr>,
}

/// What kind of block a statement list is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Root,
    Cluster(usize),
    Subgraph,
}

struct Parser<'a, 'w> {
    lexer: Lexer<'a>,
    peeked: Option<Token>,
    limits: &'a Limits,
    warnings: &'w mut Warnings,
    graph: Graph,
    index: HashMap<String, usize>,
    /// Per node, parallel to `graph.nodes`.
    attrs: Vec<NodeAttrs>,
    directed: bool,
    strict: bool,
    /// The graph's name, for `\G`.
    name: String,
    /// `strict`: the edge already made for each (tail, head).
    strict_edges: HashMap<(usize, usize), usize>,
}

impl Parser<'_, '_> {
    fn peek(&mut self) -> Result<&Token, Error> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lexer.next()?);
        }
        Ok(self.peeked.as_ref().unwrap_or_else(|| unreachable!("just filled")))
    }

    fn next(&mut self) -> Result<Token, Error> {
        match self.peeked.take() {
            Some(token) => Ok(token),
            None => self.lexer.next(),
        }
    }

    fn error(&self, span: Span, message: impl Into<String>, help: Option<&str>) -> Error {
        self.lexer.error(span, message, help)
    }

    /// "syntax error: expected …" at `token`.
    fn expected(&self, token: &Token, wanted: &str) -> Error {
        let found = match &token.tok {
            Tok::Eof => "the end of the file".to_owned(),
            Tok::Id(text, _) => format!("`{}`", escape(text)),
            Tok::EdgeOp(true) => "`->`".to_owned(),
            Tok::EdgeOp(false) => "`--`".to_owned(),
            other => format!("`{}`", tok_text(other)),
        };
        self.error(token.span, format!("expected {wanted}, found {found}"), None)
    }

    fn document(&mut self) -> Result<(), Error> {
        let mut token = self.next()?;
        if token.is_keyword("strict") {
            self.strict = true;
            token = self.next()?;
        }
        if token.is_keyword("digraph") {
            self.directed = true;
        } else if token.is_keyword("graph") {
            self.directed = false;
        } else {
            return Err(self.error(
                token.span,
                "a DOT file starts with `digraph` or `graph`",
                Some("write `digraph name { a -> b }`"),
            ));
        }
        let mut token = self.next()?;
        if let Tok::Id(name, _) = &token.tok {
            self.name = name.clone();
            token = self.next()?;
        }
        if token.tok != Tok::LBrace {
            return Err(self.expected(&token, "`{` to open the graph"));
        }
        let mut defaults = Defaults::default();
        self.statements(&mut defaults, Block::Root, None, 0)?;
        let after = self.next()?;
        if after.tok != Tok::Eof {
            return Err(self.error(
                after.span,
                "a second graph starts here; archdraw reads one graph per file",
                Some("split the graphs into files of their own"),
            ));
        }
        Ok(())
    }

    /// Statements up to the closing `}` (consumed); the nodes they mention, for edges whose
    /// end is this block (`{a b} -> c`).
    fn statements(
        &mut self,
        defaults: &mut Defaults,
        block: Block,
        cluster: Option<usize>,
        depth: usize,
    ) -> Result<Vec<usize>, Error> {
        let mut members = Vec::new();
        loop {
            let token = self.peek()?.clone();
            match &token.tok {
                Tok::RBrace => {
                    self.next()?;
                    return Ok(members);
                }
                Tok::Eof => {
                    return Err(self.error(token.span, "the graph is not closed", Some("add `}`")));
                }
                Tok::Semi | Tok::Comma => {
                    self.next()?;
                }
                _ if ["graph", "node", "edge"].iter().any(|k| token.is_keyword(k)) => {
                    self.next()?;
                    let list = self.attr_lists()?;
                    if token.is_keyword("graph") {
                        for attr in list {
                            self.graph_attr(attr, block);
                        }
                    } else if token.is_keyword("node") {
                        for attr in list {
                            self.node_default(defaults, attr);
                        }
                    } else {
                        for attr in list {
                            self.edge_default(defaults, attr);
                        }
                    }
                }
                Tok::Id(..) | Tok::LBrace => {
                    self.statement(defaults, block, cluster, depth, &mut members)?;
                }
                _ => return Err(self.expected(&token, "a statement")),
            }
        }
    }

    /// A node, edge or `key=value` statement, or a subgraph (possibly starting an edge).
    fn statement(
        &mut self,
        defaults: &mut Defaults,
        block: Block,
        cluster: Option<usize>,
        depth: usize,
        members: &mut Vec<usize>,
    ) -> Result<(), Error> {
        let first = self.next()?;
        if let Tok::Id(..) = &first.tok
            && !first.is_keyword("subgraph")
            && self.peek()?.tok == Tok::Eq
        {
            self.next()?;
            let value = self.next()?;
            let attr = self.attr_value(&first, value)?;
            self.graph_attr(attr, block);
            return Ok(());
        }
        let mut ends = vec![self.endpoint(first, defaults, cluster, depth, members)?];
        let mut ops = Vec::new();
        while let Tok::EdgeOp(directed) = self.peek()?.tok {
            let op = self.next()?;
            if directed != self.directed {
                return Err(if self.directed {
                    self.error(
                        op.span,
                        "`--` in a digraph",
                        Some("write `->`, or make it a `graph`"),
                    )
                } else {
                    self.error(
                        op.span,
                        "`->` in an undirected graph",
                        Some("write `--`, or make it a `digraph`"),
                    )
                });
            }
            ops.push(op.span);
            let next = self.next()?;
            ends.push(self.endpoint(next, defaults, cluster, depth, members)?);
        }
        let list = if self.peek()?.tok == Tok::LBracket { self.attr_lists()? } else { Vec::new() };
        if ops.is_empty() {
            // A node statement (or a lone subgraph): its attributes describe the node.
            let (nodes, is_node, span) = &ends[0];
            if *is_node {
                for attr in list {
                    self.node_attr(nodes[0], attr);
                }
            } else if !list.is_empty() {
                return Err(self.error(
                    *span,
                    "a subgraph takes no attribute list",
                    Some("set its attributes inside: `subgraph x { label=\"…\" }`"),
                ));
            }
            return Ok(());
        }
        let mut attrs = defaults.edge.clone();
        attrs.extend(list);
        for (pair, span) in ends.windows(2).zip(ops) {
            self.edges(&pair[0].0, &pair[1].0, &attrs, span)?;
        }
        Ok(())
    }

    /// An edge end: a node id (with an optional port, ignored) or a subgraph. The nodes it
    /// stands for, whether it is a node, and where it is.
    fn endpoint(
        &mut self,
        token: Token,
        defaults: &mut Defaults,
        cluster: Option<usize>,
        depth: usize,
        members: &mut Vec<usize>,
    ) -> Result<(Vec<usize>, bool, Span), Error> {
        if token.tok == Tok::LBrace || token.is_keyword("subgraph") {
            let nodes = self.subgraph(token.clone(), defaults, cluster, depth)?;
            members.extend(&nodes);
            return Ok((nodes, false, token.span));
        }
        let Tok::Id(name, quote) = &token.tok else {
            return Err(self.expected(&token, "a node name or a subgraph"));
        };
        if *quote == Quote::Plain
            && ["node", "edge", "graph", "digraph", "strict"].iter().any(|k| token.is_keyword(k))
        {
            return Err(self.error(
                token.span,
                format!("`{name}` is a DOT keyword"),
                Some(&format!("quote it to use it as a node name: \"{name}\"")),
            ));
        }
        let name = self.concatenated(name.clone(), *quote)?;
        if self.peek()?.tok == Tok::Colon {
            let colon = self.next()?;
            let port = self.next()?;
            if !matches!(port.tok, Tok::Id(..)) {
                return Err(self.expected(&port, "a port name after `:`"));
            }
            if self.peek()?.tok == Tok::Colon {
                self.next()?;
                let compass = self.next()?;
                if !matches!(compass.tok, Tok::Id(..)) {
                    return Err(self.expected(&compass, "a compass point after `:`"));
                }
            }
            self.warnings.add(
                "port",
                colon.span,
                || "ports (`node:port`) are ignored: arrows attach to the box".to_owned(),
                None,
            );
        }
        let n = self.node(&name, token.span, defaults)?;
        self.enter(n, cluster);
        members.push(n);
        Ok((vec![n], true, token.span))
    }

    /// `"a" + "b"`: DOT joins quoted strings with `+`.
    fn concatenated(&mut self, mut text: String, quote: Quote) -> Result<String, Error> {
        if quote != Quote::Quoted {
            return Ok(text);
        }
        while self.peek()?.tok == Tok::Plus {
            self.next()?;
            let more = self.next()?;
            match more.tok {
                Tok::Id(part, Quote::Quoted) => text.push_str(&part),
                _ => return Err(self.expected(&more, "a quoted string after `+`")),
            }
        }
        Ok(text)
    }

    /// `subgraph name { … }` or `{ … }`: its statements, with the scope's defaults inherited.
    fn subgraph(
        &mut self,
        first: Token,
        defaults: &Defaults,
        cluster: Option<usize>,
        depth: usize,
    ) -> Result<Vec<usize>, Error> {
        if depth >= MAX_DEPTH {
            return Err(self.error(
                first.span,
                format!("subgraphs are nested more than {MAX_DEPTH} deep"),
                Some("flatten the graph"),
            ));
        }
        let mut name = None;
        if first.tok != Tok::LBrace {
            let mut token = self.next()?;
            if let Tok::Id(text, quote) = &token.tok {
                name = Some((self.concatenated(text.clone(), *quote)?, token.span));
                token = self.next()?;
            }
            if token.tok != Tok::LBrace {
                return Err(self.expected(&token, "`{` to open the subgraph"));
            }
        }
        let is_cluster = name
            .as_ref()
            .is_some_and(|(n, _)| n.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("cluster")));
        let (block, inner_cluster) = if is_cluster {
            let (full, span) = name.clone().unwrap_or((String::new(), first.span));
            if self.graph.clusters.len() >= self.limits.max_boxes {
                return Err(self.error(
                    span,
                    format!("too many clusters: over the limit of {}", self.limits.max_boxes),
                    Some("split the graph into smaller ones"),
                ));
            }
            let stripped = full[7..].trim_start_matches(['_', '-']);
            let id = if stripped.is_empty() { full.clone() } else { stripped.to_owned() };
            let c = self.graph.clusters.len();
            self.graph.clusters.push(Cluster {
                id: Some(id),
                title: Text { value: String::new(), span },
                parent: cluster,
                span,
            });
            (Block::Cluster(c), Some(c))
        } else {
            (Block::Subgraph, cluster)
        };
        let mut inner = defaults.clone();
        self.statements(&mut inner, block, inner_cluster, depth + 1)
    }

    /// `[a=b, c=d][e=f]`.
    fn attr_lists(&mut self) -> Result<Vec<Attr>, Error> {
        let mut list = Vec::new();
        while self.peek()?.tok == Tok::LBracket {
            self.next()?;
            loop {
                let key = self.next()?;
                match &key.tok {
                    Tok::RBracket => break,
                    Tok::Semi | Tok::Comma => continue,
                    Tok::Id(..) => {}
                    _ => return Err(self.expected(&key, "an attribute name or `]`")),
                }
                if self.peek()?.tok == Tok::Eq {
                    self.next()?;
                    let value = self.next()?;
                    list.push(self.attr_value(&key, value)?);
                } else {
                    // `[key]` alone means key=true.
                    let value =
                        Token { tok: Tok::Id("true".to_owned(), Quote::Plain), span: key.span };
                    list.push(self.attr_value(&key, value)?);
                }
            }
        }
        Ok(list)
    }

    fn attr_value(&mut self, key: &Token, value: Token) -> Result<Attr, Error> {
        let Tok::Id(key_text, _) = &key.tok else {
            return Err(self.expected(key, "an attribute name"));
        };
        let Tok::Id(text, quote) = &value.tok else {
            return Err(self.expected(&value, "an attribute value"));
        };
        let text = self.concatenated(text.clone(), *quote)?;
        Ok(Attr {
            key: key_text.clone(),
            key_span: key.span,
            value: text,
            quote: *quote,
            value_span: value.span,
        })
    }

    /// A graph attribute in `block`: `rankdir` and `label` (the title) at the root, `label`
    /// (the frame's title) in a cluster.
    fn graph_attr(&mut self, attr: Attr, block: Block) {
        match (attr.key.as_str(), block) {
            ("rankdir", Block::Root) => {
                self.graph.direction = Some(match attr.value.to_ascii_uppercase().as_str() {
                    "LR" => Direction::Right,
                    "RL" => Direction::Left,
                    "BT" => Direction::Up,
                    "TB" => Direction::Down,
                    _ => {
                        self.warnings.add(
                            "rankdir",
                            attr.value_span,
                            || {
                                format!(
                                    "unknown rankdir `{}`; the graph flows down",
                                    escape(&attr.value)
                                )
                            },
                            Some("rankdir is one of TB, LR, BT, RL"),
                        );
                        Direction::Down
                    }
                });
            }
            ("label", Block::Root) => {
                let graph_name = self.name.clone();
                let names = DotNames { graph: &graph_name, ..DotNames::default() };
                let value = self.text_of(&attr, &names);
                if !value.is_empty() {
                    self.graph.title = Some(Text { value, span: attr.value_span });
                }
            }
            // Where Graphviz puts the title; archdraw's text has no title line to place.
            ("labelloc" | "labeljust", Block::Root) => {}
            ("label", Block::Cluster(c)) => {
                let graph_name = self.name.clone();
                let names = DotNames { graph: &graph_name, ..DotNames::default() };
                let value = self.text_of(&attr, &names);
                self.graph.clusters[c].title = Text { value, span: attr.value_span };
            }
            (key, Block::Root) => self.warnings.add_named(
                "graph-attr",
                key,
                attr.key_span,
                "graph attributes are ignored: {}",
                None,
            ),
            (key, Block::Cluster(_)) => self.warnings.add_named(
                "cluster-attr",
                key,
                attr.key_span,
                "cluster attributes are ignored: {}",
                None,
            ),
            (key, Block::Subgraph) => self.warnings.add_named(
                "subgraph-attr",
                key,
                attr.key_span,
                "subgraph attributes are ignored: {}",
                Some("only clusters (`subgraph cluster_x`) are drawn, as frames"),
            ),
        }
    }

    /// An attribute's text as shown: HTML-like labels stripped, escapes applied.
    fn text_of(&mut self, attr: &Attr, names: &DotNames<'_>) -> String {
        match attr.quote {
            Quote::Html => {
                self.warnings.add(
                    "html-label",
                    attr.value_span,
                    || {
                        "HTML-like labels (`<…>`) are drawn as their text, without the markup"
                            .to_owned()
                    },
                    None,
                );
                label::html(&attr.value).text
            }
            Quote::Plain | Quote::Quoted => label::dot_escapes(&attr.value, names),
        }
    }

    /// The node called `name`, made with the scope's defaults on first mention.
    fn node(&mut self, name: &str, span: Span, defaults: &Defaults) -> Result<usize, Error> {
        if let Some(&n) = self.index.get(name) {
            return Ok(n);
        }
        if self.graph.nodes.len() >= self.limits.max_boxes {
            return Err(self.error(
                span,
                format!("too many nodes: over the limit of {}", self.limits.max_boxes),
                Some("split the graph into smaller ones"),
            ));
        }
        let n = self.graph.nodes.len();
        self.graph.nodes.push(Node::new(name.to_owned(), span));
        self.attrs.push(NodeAttrs::default());
        self.index.insert(name.to_owned(), n);
        for attr in defaults.node.clone() {
            self.node_attr(n, attr);
        }
        Ok(n)
    }

    /// Puts node `n` in `cluster`: the deepest of the clusters that mention it, or the first
    /// when they are not nested in one another.
    fn enter(&mut self, n: usize, cluster: Option<usize>) {
        let Some(c) = cluster else { return };
        let inside = |mut at: Option<usize>, of: usize, clusters: &[Cluster]| {
            while let Some(a) = at {
                if a == of {
                    return true;
                }
                at = clusters[a].parent;
            }
            false
        };
        match self.graph.nodes[n].cluster {
            None => self.graph.nodes[n].cluster = Some(c),
            Some(current) if inside(Some(c), current, &self.graph.clusters) => {
                self.graph.nodes[n].cluster = Some(c);
            }
            Some(current) if inside(Some(current), c, &self.graph.clusters) => {}
            Some(current) => {
                let node = escape(&self.graph.nodes[n].id);
                let first = self.graph.clusters[current].id.clone().unwrap_or_default();
                let span = self.graph.clusters[c].span;
                self.warnings.add(
                    "two-clusters",
                    span,
                    || {
                        format!(
                            "node `{node}` is in two clusters; it is drawn in the first, `{}`",
                            escape(&first)
                        )
                    },
                    Some("a box is framed by one group only"),
                );
            }
        }
    }

    /// `node [key=value]`: kept (the last value of each key) when archdraw reads the key,
    /// otherwise named in the warning now, once, rather than for every node it would apply to.
    fn node_default(&mut self, defaults: &mut Defaults, attr: Attr) {
        if matches!(attr.key.as_str(), "label" | "shape" | "style" | "class") {
            defaults.node.retain(|a| a.key != attr.key);
            defaults.node.push(attr);
        } else {
            self.warnings.add_named(
                "node-attr",
                &attr.key,
                attr.key_span,
                "node attributes are ignored: {}",
                None,
            );
        }
    }

    /// `edge [key=value]`, as [`Parser::node_default`].
    fn edge_default(&mut self, defaults: &mut Defaults, attr: Attr) {
        if matches!(attr.key.as_str(), "label" | "style" | "dir") {
            defaults.edge.retain(|a| a.key != attr.key);
            defaults.edge.push(attr);
        } else {
            self.warnings.add_named(
                "edge-attr",
                &attr.key,
                attr.key_span,
                "edge attributes are ignored: {}",
                None,
            );
        }
    }

    /// Applies one attribute to node `n`.
    fn node_attr(&mut self, n: usize, attr: Attr) {
        match attr.key.as_str() {
            "label" => self.attrs[n].label = Some(attr),
            "shape" => self.attrs[n].shape = Some(attr),
            "class" => {
                if attr.value.split([' ', ',']).any(|c| c == "service") {
                    self.graph.nodes[n].service.get_or_insert(attr.value_span);
                }
            }
            "style" => {
                for style in attr.value.split(',').map(str::trim) {
                    if style == "invis" {
                        self.graph.nodes[n].hidden = true;
                        self.warnings.add(
                            "invisible-node",
                            attr.value_span,
                            || {
                                "invisible nodes (`style=invis`) are not drawn, nor are their edges"
                                    .to_owned()
                            },
                            None,
                        );
                    } else if !style.is_empty() {
                        self.warnings.add_named(
                            "node-style",
                            style,
                            attr.value_span,
                            "node styles are ignored: {}",
                            Some("archdraw draws plain boxes"),
                        );
                    }
                }
            }
            key => self.warnings.add_named(
                "node-attr",
                key,
                attr.key_span,
                "node attributes are ignored: {}",
                None,
            ),
        }
    }

    /// The edges of one `a -> b` step between two lists of nodes.
    fn edges(
        &mut self,
        tails: &[usize],
        heads: &[usize],
        attrs: &[Attr],
        span: Span,
    ) -> Result<(), Error> {
        let mut stroke = Stroke::Solid;
        let mut dir = if self.directed { "forward" } else { "none" };
        let mut label_attr = None;
        for attr in attrs {
            match attr.key.as_str() {
                "label" => label_attr = Some(attr),
                "style" => {
                    for style in attr.value.split(',').map(str::trim) {
                        match style {
                            "dashed" | "dotted" => stroke = Stroke::Dotted,
                            "bold" => stroke = Stroke::Thick,
                            "invis" => stroke = Stroke::Invisible,
                            "solid" | "" => {}
                            other => self.warnings.add_named(
                                "edge-style",
                                other,
                                attr.value_span,
                                "edge styles are ignored: {}",
                                None,
                            ),
                        }
                    }
                }
                "dir" => {
                    dir = match attr.value.as_str() {
                        "forward" => "forward",
                        "back" => "back",
                        "both" => "both",
                        "none" => "none",
                        _ => dir,
                    };
                }
                key => self.warnings.add_named(
                    "edge-attr",
                    key,
                    attr.key_span,
                    "edge attributes are ignored: {}",
                    None,
                ),
            }
        }
        if stroke == Stroke::Invisible {
            self.warnings.add(
                "invisible-edge",
                span,
                || "invisible edges (`style=invis`) are not drawn".to_owned(),
                None,
            );
            return Ok(());
        }
        let per_pair = if dir == "both" { 2 } else { 1 };
        let count = tails.len().saturating_mul(heads.len()).saturating_mul(per_pair);
        if self.graph.edges.len().saturating_add(count) > self.limits.max_arrows {
            return Err(self.error(
                span,
                format!("too many edges: over the limit of {}", self.limits.max_arrows),
                Some("split the graph into smaller ones"),
            ));
        }
        match dir {
            "none" if self.directed => self.warnings.add(
                "dir-none",
                span,
                || "edges without arrowheads (`dir=none`) are drawn as arrows from tail to head".to_owned(),
                None,
            ),
            "none" => self.warnings.add(
                "undirected",
                span,
                || "the graph is undirected: its edges are drawn as arrows from the first node to the second".to_owned(),
                Some("write `digraph` and `->` to say which way each edge goes"),
            ),
            "both" => self.warnings.add(
                "dir-both",
                span,
                || "two-way edges (`dir=both`) are drawn as two arrows, one each way".to_owned(),
                None,
            ),
            _ => {}
        }
        let style_warning = match stroke {
            Stroke::Dotted => Some(("dashed", "dashed and dotted edges are drawn as solid arrows")),
            Stroke::Thick => Some(("bold", "bold edges are drawn as plain arrows")),
            _ => None,
        };
        for &t in tails {
            for &h in heads {
                let names = DotNames {
                    node: "",
                    graph: &self.name.clone(),
                    tail: &self.graph.nodes[t].id.clone(),
                    head: &self.graph.nodes[h].id.clone(),
                };
                let label =
                    label_attr.map(|a| Text { value: self.text_of(a, &names), span: a.value_span });
                let (from, to) = if dir == "back" { (h, t) } else { (t, h) };
                if self.strict {
                    let key = if self.directed { (t, h) } else { (t.min(h), t.max(h)) };
                    if let Some(&e) = self.strict_edges.get(&key) {
                        if label.is_some() {
                            self.graph.edges[e].label = label;
                        }
                        continue;
                    }
                    self.strict_edges.insert(key, self.graph.edges.len());
                }
                self.graph.edges.push(Edge {
                    from,
                    to,
                    label: label.clone(),
                    stroke,
                    style_warning,
                    span,
                });
                if dir == "both" {
                    self.graph.edges.push(Edge {
                        from: h,
                        to: t,
                        label: None,
                        stroke,
                        style_warning,
                        span,
                    });
                }
            }
        }
        Ok(())
    }

    /// Every node's label and shape, now that its attributes are final.
    fn finish_nodes(&mut self) {
        for n in 0..self.graph.nodes.len() {
            let attrs = std::mem::take(&mut self.attrs[n]);
            let id = self.graph.nodes[n].id.clone();
            let mut record = false;
            if let Some(shape) = &attrs.shape {
                let name = shape.value.as_str();
                let service = self.graph.nodes[n].service.is_some()
                    && matches!(name, "plaintext" | "plain" | "none");
                record = matches!(name, "record" | "Mrecord");
                if !service && !matches!(name, "box" | "rect" | "rectangle" | "square") {
                    self.warnings.add_named(
                        "shape",
                        name,
                        shape.value_span,
                        "shapes drawn as plain boxes: {}",
                        Some("archdraw draws boxes only, for now"),
                    );
                }
                self.graph.nodes[n].defined = true;
            }
            if let Some(attr) = &attrs.label {
                let names =
                    DotNames { node: &id, graph: &self.name.clone(), ..DotNames::default() };
                let value = if record && attr.quote != Quote::Html {
                    self.warnings.add(
                        "record",
                        attr.value_span,
                        || "record labels are drawn as one line per field".to_owned(),
                        None,
                    );
                    label::dot_escapes(&label::record(&attr.value), &names)
                } else {
                    self.text_of(attr, &names)
                };
                self.graph.nodes[n].label = Some(Text { value, span: attr.value_span });
            }
        }
    }
}

fn tok_text(tok: &Tok) -> &'static str {
    match tok {
        Tok::LBrace => "{",
        Tok::RBrace => "}",
        Tok::LBracket => "[",
        Tok::RBracket => "]",
        Tok::Semi => ";",
        Tok::Comma => ",",
        Tok::Eq => "=",
        Tok::Colon => ":",
        Tok::Plus => "+",
        Tok::EdgeOp(true) => "->",
        Tok::EdgeOp(false) => "--",
        Tok::Id(..) | Tok::Eof => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(src: &str) -> Vec<Tok> {
        let mut lexer = Lexer { src, pos: 0, line: 1, col: 1, line_start: true };
        let mut out = Vec::new();
        loop {
            let t = lexer.next().unwrap();
            if t.tok == Tok::Eof {
                return out;
            }
            out.push(t.tok);
        }
    }

    #[test]
    fn the_lexer_reads_ids_strings_comments_and_operators() {
        use Quote::{Html, Plain, Quoted};
        let id = |s: &str, q| Tok::Id(s.to_owned(), q);
        assert_eq!(
            tokens("a->\"b c\" -- -1.5 // x\n/* y */ <<b>B</b>> 数据\n# line\n"),
            vec![
                id("a", Plain),
                Tok::EdgeOp(true),
                id("b c", Quoted),
                Tok::EdgeOp(false),
                id("-1.5", Plain),
                id("<b>B</b>", Html),
                id("数据", Plain),
            ]
        );
        assert_eq!(
            tokens(
                r#""a\"b\\c\
d""#
            ),
            vec![id(r#"a"b\\cd"#, Quoted)]
        );
    }
}
