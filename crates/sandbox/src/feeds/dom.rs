//! A small element tree for feed documents, built with quick-xml. Element names are local names
//! (namespace prefixes dropped); text is unescaped and trimmed.

use quick_xml::Reader;
use quick_xml::events::Event;

/// One element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// Local name.
    pub name: String,
    /// Concatenated text content, trimmed.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<Element>,
}

impl Element {
    /// The first child with this name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child with this name, if present and non-empty.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty())
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("XML parsing error: {0}")]
pub struct ParseError(pub String);

fn predefined(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

/// Parses a whole document and returns its root element.
pub fn parse(bytes: &[u8]) -> Result<Element, ParseError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ParseError(format!("the document is not UTF-8 ({e})")))?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ParseError(format!("{e} at byte {}", reader.buffer_position())))?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(ParseError("content after the root element".into()));
                }
                stack.push(Element {
                    name: start.local_name().as_ref().to_owned(),
                    ..Element::default()
                });
            }
            Event::Empty(start) => {
                let element = Element {
                    name: start.local_name().as_ref().to_owned(),
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err(ParseError("content after the root element".into())),
                }
            }
            Event::End(_) => {
                let mut element = stack
                    .pop()
                    .ok_or_else(|| ParseError("unexpected closing tag".into()))?;
                element.text = element.text.trim().to_owned();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(text) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&text.xml10_content());
                } else if !text.trim().is_empty() {
                    return Err(ParseError("text outside the root element".into()));
                }
            }
            Event::CData(data) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&data);
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => predefined(&reference)
                        .ok_or_else(|| ParseError(format!("unknown entity &{};", &*reference)))?,
                    Err(e) => return Err(ParseError(e.to_string())),
                };
                if let Some(current) = stack.last_mut() {
                    current.text.push(resolved);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(ParseError(format!(
            "unclosed element <{}>",
            stack.last().map(|e| e.name.as_str()).unwrap_or("")
        )));
    }
    root.ok_or_else(|| ParseError("the document has no root element".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entities_and_nesting() {
        let doc = parse(
            "<?xml version=\"1.0\"?><a x=\"1\"><b> x &amp; y&#x41; </b><c/><b>2</b></a>".as_bytes(),
        )
        .unwrap();
        assert_eq!(doc.name, "a");
        assert_eq!(doc.child_text("b"), Some("x & yA"));
        assert_eq!(doc.children_named("b").count(), 2);
        assert!(doc.child("c").is_some());
        assert!(parse(b"<a><b></a>").is_err());
        assert!(parse(b"<a>").is_err());
        assert!(parse(b"").is_err());
    }
}
