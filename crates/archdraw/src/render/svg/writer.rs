//! SVG text written straight into one `String`.
//!
//! The renderer used to build an element tree with the `svg` crate and print it; building,
//! printing and dropping the tree was 60 % of the whole render. This writer produces the same
//! bytes the crate printed, with no tree:
//!
//! - the root's children and the children of every element that holds elements start on a new
//!   line, and its end tag too (`<g>\n<rect/>\n<text>…</text>\n</g>`);
//! - an element that holds text is written on one line (`<text x="1">A &amp; B</text>`);
//! - an element with nothing in it is self-closing (`<rect/>`);
//! - attributes come sorted by name: callers write them in that order, which debug builds check.
//!
//! Every string value goes through one escaping pass that also replaces the characters XML 1.0
//! cannot hold with U+FFFD: `& < > " '` in attribute values, `& < >` in text, as the crate did.
//! Only numbers and path data made here from numbers are written unescaped
//! ([`Writer::attr_with`]).

/// Appends SVG elements to one string. See the module documentation for the format.
#[derive(Debug)]
pub(super) struct Writer {
    out: String,
    /// The names of the open elements, innermost last.
    open: Vec<&'static str>,
    /// Whether the innermost open element's start tag still lacks its `>`.
    in_tag: bool,
    /// The last attribute written on the current element, to check the order in debug builds.
    #[cfg(debug_assertions)]
    last_attribute: &'static str,
}

impl Writer {
    /// A writer whose string holds `capacity` bytes before it has to grow.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Self {
            out: String::with_capacity(capacity),
            open: Vec::with_capacity(8),
            in_tag: false,
            #[cfg(debug_assertions)]
            last_attribute: "",
        }
    }

    /// Starts element `name` inside the current one; attributes follow, then content or
    /// [`close`](Self::close).
    pub(super) fn open(&mut self, name: &'static str) {
        if self.in_tag {
            self.out.push('>');
        }
        if !self.open.is_empty() {
            self.out.push('\n');
        }
        self.out.push('<');
        self.out.push_str(name);
        self.open.push(name);
        self.in_tag = true;
        #[cfg(debug_assertions)]
        {
            self.last_attribute = "";
        }
    }

    /// Writes ` name="`, checking in debug builds that attributes come in sorted order.
    fn attribute_start(&mut self, name: &'static str) {
        debug_assert!(self.in_tag, "attribute {name} outside a start tag");
        #[cfg(debug_assertions)]
        {
            debug_assert!(
                self.last_attribute < name,
                "attribute {name} after {} on <{}>: write them sorted by name",
                self.last_attribute,
                self.open.last().copied().unwrap_or_default()
            );
            self.last_attribute = name;
        }
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
    }

    /// An attribute whose value is escaped.
    pub(super) fn attr(&mut self, name: &'static str, value: &str) {
        self.attribute_start(name);
        escape_into(&mut self.out, value, true);
        self.out.push('"');
    }

    /// An attribute, if it has a value.
    pub(super) fn attr_opt(&mut self, name: &'static str, value: Option<&str>) {
        if let Some(value) = value {
            self.attr(name, value);
        }
    }

    /// An attribute holding one integer.
    pub(super) fn attr_num(&mut self, name: &'static str, value: i64) {
        self.attribute_start(name);
        push_int(&mut self.out, value);
        self.out.push('"');
    }

    /// An attribute whose value `write` appends unescaped: only for numbers and path data
    /// made of them, never for user strings.
    pub(super) fn attr_with(&mut self, name: &'static str, write: impl FnOnce(&mut String)) {
        self.attribute_start(name);
        write(&mut self.out);
        self.out.push('"');
    }

    /// The current element's content, escaped, and its end tag: it holds only this text.
    pub(super) fn text(&mut self, content: &str) {
        debug_assert!(self.in_tag, "text after child elements");
        let name = self.open.pop().unwrap_or_default();
        self.out.push('>');
        escape_into(&mut self.out, content, false);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self.in_tag = false;
    }

    /// Ends the current element: self-closing if nothing was put in it.
    pub(super) fn close(&mut self) {
        let name = self.open.pop().unwrap_or_default();
        if self.in_tag {
            self.out.push_str("/>");
        } else {
            self.out.push_str("\n</");
            self.out.push_str(name);
            self.out.push('>');
        }
        self.in_tag = false;
    }

    /// The document, with every element closed.
    pub(super) fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

/// Appends `value` as decimal digits.
pub(super) fn push_int(out: &mut String, value: i64) {
    let mut digits = [0u8; 20];
    let mut n = value.unsigned_abs();
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if value < 0 {
        out.push('-');
    }
    // ASCII digits are always UTF-8.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// Appends `value` with `&`, `<` and `>` escaped, and `"` and `'` too in an attribute, and every
/// character XML 1.0 cannot hold (C0 controls but tab, line feed and carriage return; U+FFFE,
/// U+FFFF) replaced by U+FFFD.
pub(super) fn escape_into(out: &mut String, value: &str, attribute: bool) {
    let bytes = value.as_bytes();
    // The start of the run of bytes not yet copied; every replacement ends one.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (replacement, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' if attribute => ("&quot;", 1),
            b'\'' if attribute => ("&apos;", 1),
            b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            0..=0x1f => ("\u{fffd}", 1),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
            0xef if matches!(bytes.get(i + 1..i + 3), Some([0xbf, 0xbe | 0xbf])) => ("\u{fffd}", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        // `run..i` and `i + len..` fall on character boundaries: the bytes replaced are ASCII
        // or a whole three-byte character.
        out.push_str(&value[run..i]);
        out.push_str(replacement);
        i += len;
        run = i;
    }
    out.push_str(&value[run..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(value: &str, attribute: bool) -> String {
        let mut out = String::new();
        escape_into(&mut out, value, attribute);
        out
    }

    #[test]
    fn attributes_escape_markup_and_both_quotes() {
        assert_eq!(
            escaped(r#"<a href="x">'&'</a>"#, true),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
    }

    #[test]
    fn text_escapes_markup_and_leaves_quotes() {
        assert_eq!(escaped(r#"</text>"it's" & more"#, false), r#"&lt;/text&gt;"it's" &amp; more"#);
        assert_eq!(escaped("&amp;", false), "&amp;amp;");
    }

    #[test]
    fn characters_xml_cannot_hold_become_replacement_characters() {
        let replaced = "\u{fffd}";
        assert_eq!(
            escaped("a\u{0}b\u{1b}c\u{ffff}d\u{fffe}", false),
            format!("a{replaced}b{replaced}c{replaced}d{replaced}")
        );
        assert_eq!(
            escaped("tab\tnl\ncr\r\u{fffd}\u{fffc}é数👍", true),
            "tab\tnl\ncr\r\u{fffd}\u{fffc}é数👍"
        );
    }

    #[test]
    fn integers_are_written_in_full() {
        for value in [0, 7, -7, 10, 1234567890, i64::MAX, i64::MIN, -100] {
            let mut out = String::new();
            push_int(&mut out, value);
            assert_eq!(out, value.to_string());
        }
    }

    #[test]
    fn elements_nest_as_the_svg_crate_printed_them() {
        let mut w = Writer::with_capacity(0);
        w.open("svg");
        w.attr("class", "a\"b");
        w.attr_num("height", -3);
        w.open("title");
        w.text("x < y");
        w.open("g");
        w.attr("class", "empty");
        w.close();
        w.open("g");
        w.open("rect");
        w.attr_with("d", |out| out.push_str("M0 0"));
        w.close();
        w.open("text");
        w.text("");
        w.close();
        assert_eq!(
            w.finish(),
            "<svg class=\"a&quot;b\" height=\"-3\">\n<title>x &lt; y</title>\n<g class=\"empty\"/>\n\
             <g>\n<rect d=\"M0 0\"/>\n<text></text>\n</g>\n</svg>"
        );
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "sorted by name")]
    fn attributes_out_of_order_are_caught_in_debug_builds() {
        let mut w = Writer::with_capacity(0);
        w.open("rect");
        w.attr_num("y", 1);
        w.attr_num("x", 1);
    }
}
