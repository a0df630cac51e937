//! A small, fast XML writer for responses and reports: elements, attributes and escaped text.
//! Characters XML 1.0 forbids are dropped.

use std::fmt::Write as _;

/// Builds an XML document in a `String`.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: String,
}

/// Appends `text` to `out` with `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape_into(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&apos;",
            '\t' | '\n' | '\r' => continue,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => "",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        start = i + c.len_utf8();
    }
    out.push_str(&text[start..]);
}

impl XmlWriter {
    /// A document starting with `<?xml version="1.0"?>`.
    pub fn new() -> Self {
        Self::with_declaration("<?xml version=\"1.0\"?>\n")
    }

    /// A document starting with the given declaration (may be empty).
    pub fn with_declaration(declaration: &str) -> Self {
        let mut buf = String::with_capacity(4096);
        buf.push_str(declaration);
        Self { buf }
    }

    /// A writer with room for `capacity` bytes.
    pub fn with_capacity(declaration: &str, capacity: usize) -> Self {
        let mut buf = String::with_capacity(capacity);
        buf.push_str(declaration);
        Self { buf }
    }

    /// `<tag>`.
    pub fn open(&mut self, tag: &str) -> &mut Self {
        self.buf.push('<');
        self.buf.push_str(tag);
        self.buf.push('>');
        self
    }

    /// `<tag a="v" …>`.
    pub fn open_with(&mut self, tag: &str, attributes: &[(&str, &str)]) -> &mut Self {
        self.buf.push('<');
        self.buf.push_str(tag);
        for (name, value) in attributes {
            self.buf.push(' ');
            self.buf.push_str(name);
            self.buf.push_str("=\"");
            escape_into(&mut self.buf, value);
            self.buf.push('"');
        }
        self.buf.push('>');
        self
    }

    /// `</tag>`.
    pub fn close(&mut self, tag: &str) -> &mut Self {
        self.buf.push_str("</");
        self.buf.push_str(tag);
        self.buf.push('>');
        self
    }

    /// `<tag>text</tag>`.
    pub fn leaf(&mut self, tag: &str, text: &str) -> &mut Self {
        self.open(tag);
        escape_into(&mut self.buf, text);
        self.close(tag)
    }

    /// `<tag>…</tag>` with formatted content (escaped).
    pub fn leaf_fmt(&mut self, tag: &str, args: std::fmt::Arguments<'_>) -> &mut Self {
        self.open(tag);
        match args.as_str() {
            Some(s) => escape_into(&mut self.buf, s),
            None => {
                let text = args.to_string();
                escape_into(&mut self.buf, &text);
            }
        }
        self.close(tag)
    }

    /// `<tag>n</tag>` for a number (no escaping needed).
    pub fn leaf_num(&mut self, tag: &str, n: impl std::fmt::Display) -> &mut Self {
        self.open(tag);
        let _ = write!(self.buf, "{n}");
        self.close(tag)
    }

    /// `<tag>true|false</tag>`.
    pub fn leaf_bool(&mut self, tag: &str, value: bool) -> &mut Self {
        self.leaf(tag, if value { "true" } else { "false" })
    }

    /// The leaf, only if `text` is `Some`.
    pub fn leaf_opt(&mut self, tag: &str, text: Option<&str>) -> &mut Self {
        if let Some(text) = text {
            self.leaf(tag, text);
        }
        self
    }

    /// `<tag/>`.
    pub fn empty(&mut self, tag: &str) -> &mut Self {
        self.buf.push('<');
        self.buf.push_str(tag);
        self.buf.push_str("/>");
        self
    }

    /// Raw, already-escaped markup.
    pub fn raw(&mut self, markup: &str) -> &mut Self {
        self.buf.push_str(markup);
        self
    }

    /// The document so far.
    pub fn finish(self) -> String {
        self.buf
    }
}

/// An amount in hundredths as a decimal string with two places: `150700` → `1507.00`.
pub fn money(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_formats() {
        let mut w = XmlWriter::with_declaration("");
        w.open_with("a", &[("x", "1\"2")])
            .leaf("b", "x<y&'z'\u{1}")
            .leaf_num("n", 5)
            .empty("c")
            .close("a");
        assert_eq!(
            w.finish(),
            "<a x=\"1&quot;2\"><b>x&lt;y&amp;&apos;z&apos;</b><n>5</n><c/></a>"
        );
        assert_eq!(money(150_700), "1507.00");
        assert_eq!(money(-5), "-0.05");
    }
}
