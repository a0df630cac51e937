//! Just enough of MIME (RFC 2045–2047, 5322) to assert on the e-mails tests receive: unfolded headers,
//! encoded-word decoding, multipart splitting, and base64 / quoted-printable bodies. UTF-8 and US-ASCII
//! are the only charsets decoded.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// A message or a MIME part: headers and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedMail {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl ParsedMail {
    /// Splits raw bytes into unfolded headers and the body (after the first empty line).
    pub fn parse(raw: &[u8]) -> Self {
        let (head, body) = split_head(raw);
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in String::from_utf8_lossy(head).split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            if line.starts_with([' ', '\t']) {
                // A folded continuation: unfolding removes only the line break.
                if let Some((_, value)) = headers.last_mut() {
                    value.push_str(line);
                }
                continue;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
            }
        }
        Self {
            headers,
            body: body.to_vec(),
        }
    }

    /// All headers, unfolded, in order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first header with this name (case-insensitive), still encoded.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// How many headers have this name.
    pub fn header_count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    }

    /// The first header with this name with RFC 2047 encoded words decoded.
    pub fn decoded_header(&self, name: &str) -> Option<String> {
        self.header(name).map(decode_words)
    }

    /// The media type in lower case, e.g. `multipart/alternative` (`text/plain` when absent).
    pub fn mime_type(&self) -> String {
        self.header("Content-Type")
            .and_then(|value| value.split(';').next())
            .map_or_else(
                || "text/plain".to_owned(),
                |t| t.trim().to_ascii_lowercase(),
            )
    }

    /// A `Content-Type` parameter, e.g. `charset` or `boundary`, without quotes.
    pub fn content_type_parameter(&self, parameter: &str) -> Option<String> {
        let value = self.header("Content-Type")?;
        value.split(';').skip(1).find_map(|part| {
            let (key, value) = part.split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case(parameter)
                .then(|| value.trim().trim_matches('"').to_owned())
        })
    }

    /// The raw body, still transfer-encoded.
    pub fn raw_body(&self) -> &[u8] {
        &self.body
    }

    /// The body decoded from its `Content-Transfer-Encoding` (base64, quoted-printable, or as is).
    pub fn decoded_body(&self) -> Vec<u8> {
        let encoding = self
            .header("Content-Transfer-Encoding")
            .map(|value| value.trim().to_ascii_lowercase());
        match encoding.as_deref() {
            Some("base64") => {
                let compact: Vec<u8> = self
                    .body
                    .iter()
                    .copied()
                    .filter(|b| !b.is_ascii_whitespace())
                    .collect();
                STANDARD.decode(compact).unwrap_or_default()
            }
            Some("quoted-printable") => decode_quoted_printable(&self.body),
            _ => self.body.clone(),
        }
    }

    /// The decoded body as text with `\n` line ends.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.decoded_body()).replace("\r\n", "\n")
    }

    /// The parts of a multipart body (empty for a single part).
    pub fn parts(&self) -> Vec<ParsedMail> {
        if !self.mime_type().starts_with("multipart/") {
            return Vec::new();
        }
        let Some(boundary) = self.content_type_parameter("boundary") else {
            return Vec::new();
        };
        let delimiter = format!("--{boundary}");
        let text = String::from_utf8_lossy(&self.body).replace("\r\n", "\n");
        let mut parts = Vec::new();
        let mut current: Option<Vec<&str>> = None;
        for line in text.split('\n') {
            let trimmed = line.trim_end();
            if trimmed == delimiter || trimmed == format!("{delimiter}--") {
                if let Some(lines) = current.take() {
                    parts.push(ParsedMail::parse(lines.join("\r\n").as_bytes()));
                }
                if trimmed.ends_with("--") && trimmed.len() == delimiter.len() + 2 {
                    break;
                }
                current = Some(Vec::new());
            } else if let Some(lines) = current.as_mut() {
                lines.push(line);
            }
        }
        parts
    }

    /// The first part (depth first, this one included) of the given media type, e.g. `text/html`.
    pub fn find_part(&self, mime_type: &str) -> Option<ParsedMail> {
        if self.mime_type() == mime_type {
            return Some(self.clone());
        }
        self.parts()
            .iter()
            .find_map(|part| part.find_part(mime_type))
    }
}

/// Splits at the first empty line (CRLF CRLF or LF LF).
fn split_head(raw: &[u8]) -> (&[u8], &[u8]) {
    for (index, window) in raw.windows(2).enumerate() {
        if window == b"\n\n" {
            return (&raw[..index], &raw[index + 2..]);
        }
        if window == b"\n\r" && raw.get(index + 2) == Some(&b'\n') {
            return (&raw[..index], &raw[index + 3..]);
        }
    }
    (raw, &[])
}

/// Decodes RFC 2047 encoded words (`=?utf-8?B?…?=`, `=?utf-8?Q?…?=`); white space between two adjacent
/// encoded words is dropped, and their bytes are joined before UTF-8 decoding.
pub fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut gap = String::new();
    let mut rest = value;
    loop {
        let Some(start) = rest.find("=?") else {
            flush(&mut out, &mut pending);
            out.push_str(&gap);
            out.push_str(rest);
            return out;
        };
        let (before, from_start) = rest.split_at(start);
        match encoded_word(from_start) {
            Some((bytes, length)) => {
                if before.trim().is_empty() && !pending.is_empty() {
                    // Adjacent encoded words: the white space between them does not count.
                } else {
                    flush(&mut out, &mut pending);
                    out.push_str(&gap);
                    out.push_str(before);
                }
                gap.clear();
                pending.extend(bytes);
                rest = &from_start[length..];
                let spaces = rest.len() - rest.trim_start().len();
                gap.push_str(&rest[..spaces]);
                rest = &rest[spaces..];
            }
            None => {
                flush(&mut out, &mut pending);
                out.push_str(&gap);
                gap.clear();
                out.push_str(before);
                out.push_str("=?");
                rest = &from_start[2..];
            }
        }
    }
}

fn flush(out: &mut String, pending: &mut Vec<u8>) {
    if !pending.is_empty() {
        out.push_str(&String::from_utf8_lossy(pending));
        pending.clear();
    }
}

/// Decodes one encoded word at the start of `text`: its bytes and its length in `text`.
fn encoded_word(text: &str) -> Option<(Vec<u8>, usize)> {
    let inner = text.strip_prefix("=?")?;
    let (charset, inner) = inner.split_once('?')?;
    let (encoding, inner) = inner.split_once('?')?;
    let end = inner.find("?=")?;
    let payload = &inner[..end];
    // RFC 2231 allows a language after `*`: `utf-8*ja`.
    let name = charset.split('*').next().unwrap_or(charset);
    if !(name.eq_ignore_ascii_case("utf-8") || name.eq_ignore_ascii_case("us-ascii")) {
        return None;
    }
    let bytes = match encoding {
        "B" | "b" => STANDARD.decode(payload).ok()?,
        "Q" | "q" => decode_quoted_printable(payload.replace('_', " ").as_bytes()),
        _ => return None,
    };
    let length = 2 + charset.len() + 1 + encoding.len() + 1 + end + 2;
    Some((bytes, length))
}

/// Decodes quoted-printable: `=XX` bytes and `=` soft line breaks.
fn decode_quoted_printable(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut index = 0;
    while index < input.len() {
        let byte = input[index];
        if byte != b'=' {
            out.push(byte);
            index += 1;
            continue;
        }
        match input.get(index + 1..index + 3) {
            Some(b"\r\n") => index += 3,
            Some([b'\n', _]) => index += 2,
            Some(hex) => match std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(decoded) => {
                    out.push(decoded);
                    index += 3;
                }
                None => {
                    out.push(b'=');
                    index += 1;
                }
            },
            None => {
                // `=` (or `=` and one byte) at the very end: a soft break unless a byte follows it.
                if input
                    .get(index + 1)
                    .is_some_and(|next| !matches!(next, b'\r' | b'\n'))
                {
                    out.extend_from_slice(&input[index..]);
                }
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
