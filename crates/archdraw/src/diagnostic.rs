//! Problems found in a spec, as plain data.
//!
//! Every user error archdraw can report is a [`Diagnostic`]: a message, where it is (if known)
//! and an optional hint. The library never prints them; the command-line tool renders them
//! with the source line and a caret, and embedders can show them however they like.

use std::fmt;

/// A position in the spec source.
///
/// Lines and columns count from 1. Columns count Unicode scalar values (`char`s), not bytes and
/// not terminal cells, so a renderer can find the spot by walking the line's `chars()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Line, from 1.
    pub line: usize,
    /// Column in `char`s, from 1.
    pub column: usize,
    /// How many `char`s the problem covers; 0 means "at this point".
    pub len: usize,
}

impl Span {
    /// A span starting at `line`:`column` and covering `len` chars.
    pub const fn new(line: usize, column: usize, len: usize) -> Self {
        Self { line, column, len }
    }
}

/// One problem with a spec.
///
/// ```
/// use archdraw::{Diagnostic, Span};
/// let d = Diagnostic::new("unknown box 'bb'")
///     .with_span(Span::new(4, 12, 2))
///     .with_help("did you mean 'b'?");
/// assert_eq!(d.to_string(), "4:12: unknown box 'bb'\nhelp: did you mean 'b'?");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// Where the problem is, when it has a place in the source.
    pub span: Option<Span>,
    /// What is wrong, in one line.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with a message and no position or help.
    pub fn new(message: impl Into<String>) -> Self {
        Self { span: None, message: message.into(), help: None }
    }

    /// Sets the position.
    #[must_use]
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Sets the position if there is one.
    #[must_use]
    pub fn with_span_opt(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    /// Sets the hint.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// `line:column: message`, then `help: …` on its own line when there is help.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(span) = self.span {
            write!(f, "{}:{}: ", span.line, span.column)?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

/// Everything wrong with a spec: one or more [`Diagnostic`]s, sorted by position.
///
/// # Guarantees
///
/// `diagnostics` is never empty. Located diagnostics come first, in source order; diagnostics
/// without a position (an empty file, a file over the size limit) come last.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Error {
    /// The problems, at least one.
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    /// An error holding `diagnostics`, sorted by position (stable: equal positions keep their
    /// order). An empty list becomes a single "unknown problem" diagnostic so the guarantee
    /// holds.
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        if diagnostics.is_empty() {
            diagnostics.push(Diagnostic::new("the spec is invalid"));
        }
        // Unlocated problems sort last: (false, …) < (true, …).
        diagnostics.sort_by_key(|d| (d.span.is_none(), d.span));
        Self { diagnostics }
    }
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Self { diagnostics: vec![diagnostic] }
    }
}

/// The diagnostics, one per paragraph, as [`Diagnostic`]'s `Display` writes them.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

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

    #[test]
    fn errors_sort_by_position_with_unlocated_last() {
        let error = Error::new(vec![
            Diagnostic::new("c"),
            Diagnostic::new("b").with_span(Span::new(3, 1, 1)),
            Diagnostic::new("a").with_span(Span::new(1, 9, 1)),
            Diagnostic::new("a2").with_span(Span::new(1, 9, 1)),
        ]);
        let order: Vec<_> = error.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["a", "a2", "b", "c"]);
        assert_eq!(error.to_string(), "1:9: a\n1:9: a2\n3:1: b\nc");
    }

    #[test]
    fn an_error_is_never_empty() {
        assert_eq!(Error::new(Vec::new()).diagnostics.len(), 1);
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
}
