use super::*;

/// A message written by hand (not by lettre), so the parser is checked against the RFCs rather than
/// against the library whose output it will read.
const SAMPLE: &str = "From: =?utf-8?b?5pel5pys?= <from@example.com>\r\n\
Subject: =?utf-8?b?5pel5pys?=\r\n =?utf-8?b?6Kqe?= and\r\n\tmore\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative;\r\n boundary=\"b-123\"\r\n\
\r\n\
preamble to ignore\r\n\
--b-123\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
44GT44KT44Gr44Gh44Gv44CB5LiW55WM44CCDQrkuozooYznm67jgafjgZnjgIIN\r\n\
Cg==\r\n\
--b-123\r\n\
Content-Type: text/html; charset=\"utf-8\"\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
<p>caf=C3=A9 =E2=86=92 a long line that is wrapped=\r\n\
\x20softly</p>\r\n\
--b-123--\r\n\
epilogue\r\n";

#[test]
fn headers_are_unfolded_and_encoded_words_decoded() {
    let mail = ParsedMail::parse(SAMPLE.as_bytes());
    assert_eq!(
        mail.header("subject"),
        Some("=?utf-8?b?5pel5pys?= =?utf-8?b?6Kqe?= and\tmore")
    );
    assert_eq!(mail.decoded_header("Subject").unwrap(), "日本語 and\tmore");
    assert_eq!(
        mail.decoded_header("From").unwrap(),
        "日本 <from@example.com>"
    );
    assert_eq!(mail.mime_type(), "multipart/alternative");
    assert_eq!(mail.content_type_parameter("boundary").unwrap(), "b-123");
}

#[test]
fn multipart_bodies_are_split_and_decoded() {
    let mail = ParsedMail::parse(SAMPLE.as_bytes());
    let parts = mail.parts();
    assert_eq!(parts.len(), 2, "{parts:#?}");
    assert_eq!(parts[0].mime_type(), "text/plain");
    assert_eq!(parts[0].body_text(), "こんにちは、世界。\n二行目です。\n");
    assert_eq!(parts[1].content_type_parameter("charset").unwrap(), "utf-8");
    assert_eq!(
        parts[1].body_text(),
        "<p>café → a long line that is wrapped softly</p>"
    );
    assert_eq!(mail.find_part("text/html"), Some(parts[1].clone()));
    assert_eq!(mail.find_part("image/png"), None);
}

#[test]
fn q_words_text_around_words_and_foreign_charsets() {
    assert_eq!(
        decode_words("=?UTF-8?Q?caf=C3=A9_au_lait?="),
        "café au lait"
    );
    assert_eq!(
        decode_words("Re: =?utf-8?q?caf=C3=A9?= now"),
        "Re: café now"
    );
    assert_eq!(decode_words("plain text"), "plain text");
    // Only UTF-8 and US-ASCII are decoded; anything else stays as written.
    assert_eq!(
        decode_words("=?iso-2022-jp?B?GyRCRnxLXBsoQg==?="),
        "=?iso-2022-jp?B?GyRCRnxLXBsoQg==?="
    );
}

#[test]
fn quoted_printable_edge_cases() {
    assert_eq!(decode_quoted_printable(b"a=3Db"), b"a=b");
    assert_eq!(decode_quoted_printable(b"soft=\r\nbreak"), b"softbreak");
    assert_eq!(decode_quoted_printable(b"bad=ZZ"), b"bad=ZZ");
    assert_eq!(decode_quoted_printable(b"end="), b"end");
}
