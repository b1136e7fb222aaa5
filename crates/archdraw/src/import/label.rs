//! Label text as Mermaid and DOT write it, turned into the text a reader of the drawing sees:
//! line breaks made explicit, entities decoded, formatting markup dropped (its words kept).

/// Decoded label text, and whether formatting markup was dropped from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    pub dropped_markup: bool,
}

/// Inline HTML tags Mermaid and Graphviz render as formatting; their text is kept.
const FORMATTING_TAGS: &[&str] = &[
    "b", "strong", "i", "em", "u", "s", "strike", "del", "ins", "mark", "small", "big", "sub",
    "sup", "code", "kbd", "tt", "span", "font", "o",
];

/// A Mermaid label: `<br>` and line breaks in the source become line breaks, `#quot;`,
/// `#9829;` and `&lt;` style entities are decoded, inline formatting tags (`<b>`, `<i>`) are
/// dropped with their text kept. Markdown markers (`**b**`) are text, kept as written.
pub(crate) fn mermaid(raw: &str) -> Decoded {
    let (text, dropped_markup) = tags(raw, false);
    let text = entities(&text, true);
    Decoded { text: tidy(&text, true), dropped_markup }
}

/// A DOT HTML-like label (`<…>`): tags dropped (`<br/>` and the end of a table row or cell
/// break the line), white space collapsed as HTML does, entities decoded.
pub(crate) fn html(raw: &str) -> Decoded {
    let (text, _) = tags(raw, true);
    let text = entities(&text, false);
    Decoded { text: tidy(&text, false), dropped_markup: true }
}

/// The text between HTML-ish tags: `<br>` a line break, formatting tags dropped; in `all`
/// mode (DOT HTML labels) every tag is dropped and source white space collapses.
fn tags(raw: &str, all: bool) -> (String, bool) {
    let mut out = String::with_capacity(raw.len());
    let mut dropped = false;
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        if all && c.is_whitespace() {
            if !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '<'
            && let Some(tag) = tag_at(rest)
        {
            let name = tag.name.to_ascii_lowercase();
            let breaks =
                name == "br" || (all && tag.closing && matches!(name.as_str(), "tr" | "td"));
            if breaks {
                while out.ends_with(' ') {
                    out.pop();
                }
                // The end of a cell and of its row is one break, not two.
                if !(all && !name.eq("br") && out.ends_with('\n')) {
                    out.push('\n');
                }
                rest = &rest[tag.len..];
                continue;
            }
            if all || FORMATTING_TAGS.contains(&name.as_str()) {
                dropped = true;
                rest = &rest[tag.len..];
                continue;
            }
        }
        if !all && c == '\n' {
            // A line break in a quoted or Markdown string: the indentation around it is
            // source layout, not text.
            while out.ends_with([' ', '\t']) {
                out.pop();
            }
            out.push('\n');
            rest = rest[1..].trim_start_matches([' ', '\t']);
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    (out, dropped)
}

/// An HTML tag at the start of `s`: `<name …>`, `</name>` or `<name/>`.
struct Tag<'a> {
    name: &'a str,
    closing: bool,
    /// Its length in bytes, `<` to `>`.
    len: usize,
}

fn tag_at(s: &str) -> Option<Tag<'_>> {
    // Tags are short; a `<` with no `>` nearby is a less-than sign.
    const MAX_TAG: usize = 200;
    let end = s.char_indices().take(MAX_TAG).find(|&(_, c)| c == '>' || c == '\n')?;
    if end.1 != '>' {
        return None;
    }
    let inner = &s[1..end.0];
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_len = inner.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(inner.len());
    let name = &inner[..name_len];
    let after = &inner[name_len..];
    let well_formed = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && (after.is_empty() || after.starts_with([' ', '/', '\t']));
    well_formed.then_some(Tag { name, closing, len: end.0 + 1 })
}

/// Decodes `&name;`, `&#NN;`, `&#xHH;`, and with `mermaid` also Mermaid's `#name;` and
/// `#NN;`. Unknown names stay as written.
fn entities(s: &str, mermaid: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if (c == '&' || (mermaid && c == '#'))
            && let Some((decoded, len)) = entity_at(&rest[1..], c == '#')
        {
            out.push(decoded);
            rest = &rest[1 + len..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The character of the entity body at the start of `s`, after its `&` (`name;`, `#NN;`,
/// `#xHH;`) or, with `mermaid_hash`, after Mermaid's `#` (`name;`, `NN;`); and the bytes the
/// body spans.
fn entity_at(s: &str, mermaid_hash: bool) -> Option<(char, usize)> {
    let semi = s.char_indices().take(12).find(|&(_, c)| c == ';')?.0;
    let body = &s[..semi];
    let numeric = if mermaid_hash { Some(body) } else { body.strip_prefix('#') };
    let c = match numeric {
        Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            n.parse::<u32>().ok().and_then(char::from_u32)?
        }
        Some(n) if !mermaid_hash && n.starts_with(['x', 'X']) && n.len() > 1 => {
            u32::from_str_radix(&n[1..], 16).ok().and_then(char::from_u32)?
        }
        Some(_) if !mermaid_hash => return None,
        _ => named_entity(body)?,
    };
    Some((c, semi + 1))
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "lArr" => '⇐',
        "rArr" => '⇒',
        "hArr" => '⇔',
        "bull" => '•',
        "middot" => '·',
        "deg" => '°',
        "plusmn" => '±',
        "times" => '×',
        "divide" => '÷',
        "micro" => 'µ',
        "para" => '¶',
        "sect" => '§',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "infin" => '∞',
        "ne" => '≠',
        "le" => '≤',
        "ge" => '≥',
        "check" => '✓',
        "hearts" => '♥',
        "num" => '#',
        "semi" => ';',
        "colon" => ':',
        "vert" => '|',
        "lbrack" => '[',
        "rbrack" => ']',
        "lpar" => '(',
        "rpar" => ')',
        "lbrace" => '{',
        "rbrace" => '}',
        "grave" => '`',
        _ => return None,
    })
}

/// Lines without trailing white space, no blank lines at the ends; with `keep_indent` the
/// lines after the first keep their leading white space (item continuations need it).
fn tidy(s: &str, keep_indent: bool) -> String {
    let lines: Vec<&str> =
        s.split('\n').map(|l| if keep_indent { l.trim_end() } else { l.trim() }).collect();
    let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.trim().is_empty()).map_or(start, |e| e + 1);
    let mut out = lines[start..end].join("\n");
    let leading = out.len() - out.trim_start().len();
    out.drain(..leading);
    out
}

/// Trims every line of `s` and drops blank lines at its ends: for titles and edge labels.
pub(crate) fn trim_lines(s: &str) -> String {
    tidy(s, false)
}

/// A DOT label's escapes: `\n`, `\l`, `\r` break the line, `\N` is the node's name, `\G` the
/// graph's, `\E`, `\T`, `\H` the edge's, its tail's and its head's; `\\` is a backslash and any
/// other escaped character stands for itself.
pub(crate) fn dot_escapes(raw: &str, names: &DotNames<'_>) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'l' | 'r') => out.push('\n'),
            Some('N') => out.push_str(names.node),
            Some('G') => out.push_str(names.graph),
            Some('E') => out.push_str(&format!("{}->{}", names.tail, names.head)),
            Some('T') => out.push_str(names.tail),
            Some('H') => out.push_str(names.head),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    trim_lines(&out)
}

/// What `\N`, `\G`, `\T` and `\H` stand for in a DOT label.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DotNames<'a> {
    pub node: &'a str,
    pub graph: &'a str,
    pub tail: &'a str,
    pub head: &'a str,
}

/// A DOT record label (`shape=record`): `{ }` nesting dropped, each `|` field on its own line,
/// `<port>` names dropped; `\{`, `\|` and friends stand for themselves.
pub(crate) fn record(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    let mut in_port = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&e @ ('{' | '}' | '|' | '<' | '>' | ' ')) => {
                    chars.next();
                    if !in_port {
                        out.push(e);
                    }
                }
                _ => out.push('\\'),
            },
            '<' => in_port = true,
            '>' => in_port = false,
            _ if in_port => {}
            '{' | '}' => {}
            // A field ending in its own line break (`id\l|`) needs no second one.
            '|' if !(out.ends_with("\\l") || out.ends_with("\\n") || out.ends_with("\\r")) => {
                out.push_str("\\n");
            }
            '|' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_labels_break_lines_and_decode_entities() {
        let d = mermaid("Speed layer<br>(Flink)<BR/>x<br />y");
        assert_eq!(d.text, "Speed layer\n(Flink)\nx\ny");
        assert!(!d.dropped_markup);
        assert_eq!(
            mermaid("A #quot;quoted#quot; #9829; &lt;b&gt; #35;1").text,
            "A \"quoted\" ♥ <b> #1"
        );
        // An unknown entity and a `#` that is not one stay as written.
        assert_eq!(mermaid("C# and #nope; and &foo;").text, "C# and #nope; and &foo;");
    }

    #[test]
    fn formatting_tags_are_dropped_with_their_words_kept() {
        let d = mermaid("<b>Bold</b> and <i>it</i>, **md** kept");
        assert_eq!(d.text, "Bold and it, **md** kept");
        assert!(d.dropped_markup);
        // Not a tag: kept.
        assert_eq!(mermaid("List<String> a < b").text, "List<String> a < b");
    }

    #[test]
    fn source_line_breaks_lose_their_indentation() {
        assert_eq!(mermaid("Line one\n      line two  \n").text, "Line one\nline two");
    }

    #[test]
    fn html_labels_keep_text_and_rows() {
        let d = html("<table><tr><td><b>API</b></td></tr><tr><td>v2   &amp; v3</td></tr></table>");
        assert_eq!(d.text, "API\nv2 & v3");
        assert_eq!(html("one<br/>two").text, "one\ntwo");
    }

    #[test]
    fn dot_escapes_follow_graphviz() {
        let names = DotNames { node: "db", graph: "G", tail: "a", head: "b" };
        assert_eq!(dot_escapes(r"\N\nline\lx\\y \q", &names), "db\nline\nx\\y q");
        assert_eq!(dot_escapes(r"\T to \H\l", &names), "a to b");
    }

    #[test]
    fn records_become_lines() {
        assert_eq!(record("{<f0> left|<f1> mid\\|dle|right}"), r" left\n mid|dle\nright");
        assert_eq!(record("{User|id\\l|name\\l}"), r"User\nid\lname\l");
    }
}
