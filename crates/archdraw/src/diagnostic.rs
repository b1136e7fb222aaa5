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
}
