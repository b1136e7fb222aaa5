//! [`parse`](crate::parse): YAML text to a [`Spec`], and the YAML parser's errors turned into
//! diagnostics in our words.

use serde_saphyr::ExternalMessageSource;
use serde_saphyr::granit_parser::ErrorKind as ScanKind;

use super::{Spec, escape, span_of};
use crate::diagnostic::{Diagnostic, Error, Span, closest};
use crate::limits::Limits;

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
            // The scanner says what stopped it as a kind, not only in words.
            match scan_error_kind(other) {
                Some(
                    ScanKind::TabNotAllowed
                    | ScanKind::TabInBlockIndentation
                    | ScanKind::TabInIndentation
                    | ScanKind::TabAtBlockScalarStart
                    | ScanKind::TabInPlainScalar,
                ) => return tab_diagnostic(source, span, message),
                Some(ScanKind::RecursionLimitExceeded) => {
                    return Diagnostic::new("the spec is nested too deeply")
                        .with_span_opt(span)
                        .with_help("a spec needs only a few levels: lists of maps of text");
                }
                _ => {}
            }
            (message, None)
        }
    };
    let mut diagnostic = Diagnostic::new(escape_controls(&message)).with_span_opt(span);
    diagnostic.help = help;
    diagnostic
}

/// What the YAML scanner (granit-parser, under serde-saphyr) stopped at, when it was the
/// scanner that stopped.
fn scan_error_kind(error: &serde_saphyr::Error) -> Option<&ScanKind> {
    match error {
        serde_saphyr::Error::ExternalMessage { source, .. } => match &**source {
            ExternalMessageSource::Parser(scan) => Some(scan.kind()),
            _ => None,
        },
        _ => None,
    }
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

    /// Where we turn the YAML parser's errors into our words by their text (serde-saphyr gives
    /// what it expected as a string), every such string we know is pinned here, so an upgrade
    /// that rewords one fails this test instead of quietly showing the parser's own wording.
    #[test]
    fn the_parser_wording_we_translate_is_pinned() {
        let cases = [
            // `E::Unexpected { expected: "sequence start" }`
            (
                "boxes: 5\n",
                "1:8: expected a list\nhelp: write a list: `[a, b]`, or one `- item` per line",
            ),
            // `E::Unexpected { expected: "mapping start" }`
            (
                "boxes: [5]\n",
                "1:9: expected a map of `key: value` pairs\nhelp: write `key: value` pairs",
            ),
            // `E::Unexpected { expected: "string scalar" }`
            (
                "boxes: [{title: [a]}]\n",
                "1:17: expected text\n\
                 help: write plain text; quote it if it starts with `[`, `{` or `*`",
            ),
            // `E::SerdeInvalidType { unexpected: "unit value" }`
            (
                "boxes: [{title: a}]\nservices: [{title: s, serves: ~}]\n",
                "2:23: expected a box id or a list of box ids, found nothing",
            ),
            // `E::InvalidScalar { ty: "u64" }`
            ("max_width: abc\nboxes: [{title: a}]\n", "1:12: expected a whole number, found `abc`"),
        ];
        for (yaml, want) in cases {
            assert_eq!(first(parse(yaml)).to_string(), want, "{yaml:?}");
        }
    }

    #[test]
    fn scanner_errors_are_told_by_their_kind() {
        // A tab where the scanner read a plain scalar, and one in block indentation: both are
        // pointed at where the tab is.
        let d = first(parse("boxes:\n  - title: a\n\t  items: [x]\n"));
        assert_eq!(
            (d.message.as_str(), d.span.map(|s| (s.line, s.column))),
            ("a tab in the indentation", Some((3, 1)))
        );
        let d = first(parse("boxes:\n\t- title: a\n"));
        assert_eq!(
            (d.message.as_str(), d.span.map(|s| (s.line, s.column))),
            ("a tab in the indentation", Some((2, 1)))
        );
        // Flow collections nested past the scanner's own limit.
        let d = first(parse(&format!("boxes: {}\n", "[".repeat(300))));
        assert_eq!(d.message, "the spec is nested too deeply");
        // A message holding "tab" is no tab: this key's name once was taken for one.
        let d = first(parse("boxes: [{title: a}]\narrows:\n  - {a -> b: x, stable: y}\n"));
        assert!(d.message.contains("also has `stable`") && d.help.is_none(), "{d:?}");
    }
}
