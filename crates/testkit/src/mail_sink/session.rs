//! One SMTP session: the command loop and the `DATA` reader.

use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::{MAX_MESSAGE_BYTES, ReceivedMail, SinkState};

/// Longest command or data line accepted, CRLF included (RFC 5321 asks for at least 512 and 1000).
const MAX_LINE_BYTES: usize = 4096;

/// The open mail transaction.
struct Transaction {
    mail_from: String,
    rcpt_to: Vec<String>,
}

/// What reading a line produced.
enum Line {
    Text(Vec<u8>),
    TooLong,
    Closed,
}

/// Runs a session until `QUIT`, the client closes, or an I/O error.
pub(crate) async fn run(stream: TcpStream, state: Arc<SinkState>) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let _ = converse(&mut reader, &mut write, &state).await;
}

async fn converse<R, W>(
    reader: &mut BufReader<R>,
    write: &mut W,
    state: &SinkState,
) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    reply(
        write,
        &["220 127.0.0.1 ESMTP sellerlink-testkit MailSink ready"],
    )
    .await?;
    let mut helo: Option<String> = None;
    let mut transaction: Option<Transaction> = None;
    loop {
        let line = match read_line(reader).await? {
            Line::Text(line) => String::from_utf8_lossy(&line).into_owned(),
            Line::TooLong => {
                reply(write, &["500 5.5.6 line too long; closing"]).await?;
                return Ok(());
            }
            Line::Closed => return Ok(()),
        };
        let (verb, argument) = match line.split_once(' ') {
            Some((verb, argument)) => (verb.to_ascii_uppercase(), argument.trim()),
            None => (line.trim().to_ascii_uppercase(), ""),
        };
        match verb.as_str() {
            "EHLO" | "HELO" if argument.is_empty() => {
                reply(write, &["501 5.5.4 a domain or address is required"]).await?;
            }
            "EHLO" => {
                helo = Some(argument.to_owned());
                transaction = None;
                let greets = format!("250-127.0.0.1 greets {argument}");
                let size = format!("250 SIZE {MAX_MESSAGE_BYTES}");
                reply(write, &[&greets, "250-8BITMIME", &size]).await?;
            }
            "HELO" => {
                helo = Some(argument.to_owned());
                transaction = None;
                reply(write, &["250 127.0.0.1"]).await?;
            }
            "MAIL" => {
                let answer = if helo.is_none() {
                    "503 5.5.1 send EHLO or HELO first".to_owned()
                } else if transaction.is_some() {
                    "503 5.5.1 a transaction is already open; send RSET first".to_owned()
                } else {
                    match mail_from(argument) {
                        Ok(from) => {
                            transaction = Some(Transaction {
                                mail_from: from,
                                rcpt_to: Vec::new(),
                            });
                            "250 2.1.0 OK".to_owned()
                        }
                        Err(answer) => answer,
                    }
                };
                reply(write, &[&answer]).await?;
            }
            "RCPT" => {
                let answer = match transaction.as_mut() {
                    None => "503 5.5.1 send MAIL FROM first".to_owned(),
                    Some(open) => match path_argument(argument, "TO:") {
                        Some((to, _)) if !to.is_empty() => {
                            open.rcpt_to.push(to);
                            "250 2.1.5 OK".to_owned()
                        }
                        _ => "501 5.5.4 expected RCPT TO:<address>".to_owned(),
                    },
                };
                reply(write, &[&answer]).await?;
            }
            "DATA" => {
                if !argument.is_empty() {
                    reply(write, &["501 5.5.4 DATA takes no argument"]).await?;
                    continue;
                }
                let Some(open) = transaction.take_if(|t| !t.rcpt_to.is_empty()) else {
                    reply(write, &["503 5.5.1 send RCPT TO first"]).await?;
                    continue;
                };
                reply(write, &["354 End data with <CR><LF>.<CR><LF>"]).await?;
                let Some(data) = read_data(reader).await? else {
                    reply(write, &["500 5.5.6 line too long; closing"]).await?;
                    return Ok(());
                };
                let answer = if data.len() > MAX_MESSAGE_BYTES {
                    "552 5.3.4 message exceeds the advertised SIZE".to_owned()
                } else if state.take_failure() {
                    "451 4.3.0 temporary failure injected by MailSink; try again later".to_owned()
                } else {
                    let number = state.record(ReceivedMail {
                        helo: helo.clone().unwrap_or_default(),
                        mail_from: open.mail_from,
                        rcpt_to: open.rcpt_to,
                        data,
                    });
                    format!("250 2.0.0 OK queued as {number}")
                };
                reply(write, &[&answer]).await?;
            }
            "RSET" => {
                transaction = None;
                reply(write, &["250 2.0.0 OK"]).await?;
            }
            "NOOP" => reply(write, &["250 2.0.0 OK"]).await?,
            "QUIT" => {
                reply(write, &["221 2.0.0 Bye"]).await?;
                return Ok(());
            }
            "VRFY" | "EXPN" | "HELP" | "STARTTLS" | "AUTH" | "BDAT" | "ETRN" | "TURN" => {
                reply(write, &["502 5.5.1 command not implemented by MailSink"]).await?;
            }
            _ => reply(write, &["500 5.5.2 command not recognized"]).await?,
        }
    }
}

/// Parses `FROM:<path> [SIZE=n] [BODY=7BIT|8BITMIME]`; the error is the reply to send.
fn mail_from(argument: &str) -> Result<String, String> {
    let Some((from, parameters)) = path_argument(argument, "FROM:") else {
        return Err("501 5.5.4 expected MAIL FROM:<address>".to_owned());
    };
    for parameter in parameters.split_whitespace() {
        let (key, value) = parameter.split_once('=').unwrap_or((parameter, ""));
        match key.to_ascii_uppercase().as_str() {
            "SIZE" => match value.parse::<usize>() {
                Ok(size) if size <= super::MAX_MESSAGE_BYTES => {}
                Ok(_) => return Err("552 5.3.4 message exceeds the advertised SIZE".to_owned()),
                Err(_) => return Err("501 5.5.4 SIZE needs a number".to_owned()),
            },
            "BODY" if matches!(value.to_ascii_uppercase().as_str(), "7BIT" | "8BITMIME") => {}
            _ => return Err(format!("555 5.5.4 unsupported parameter {parameter}")),
        }
    }
    Ok(from)
}

/// Splits `FROM:<path> rest` (the keyword case-insensitive, spaces after the colon tolerated) into the
/// path without brackets and the rest.
fn path_argument<'a>(argument: &'a str, keyword: &str) -> Option<(String, &'a str)> {
    let head = argument.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = argument[keyword.len()..].trim_start();
    let rest = rest.strip_prefix('<')?;
    let end = rest.find('>')?;
    Some((rest[..end].to_owned(), rest[end + 1..].trim()))
}

/// Reads the message after `354` up to the lone `.`, undoing dot-stuffing; `None` if a line is too long.
async fn read_data<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut data = Vec::new();
    loop {
        let line = match read_line(reader).await? {
            Line::Text(line) => line,
            Line::TooLong => return Ok(None),
            Line::Closed => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the client closed the connection during DATA",
                ));
            }
        };
        if line == b"." {
            return Ok(Some(data));
        }
        let unstuffed = line.strip_prefix(b".").unwrap_or(&line);
        // Keep reading past the limit so the reply comes after the final dot, but stop storing.
        if data.len() <= MAX_MESSAGE_BYTES {
            data.extend_from_slice(unstuffed);
            data.extend_from_slice(b"\r\n");
        }
    }
}

/// Reads one line without its CRLF (a bare LF is accepted too).
async fn read_line<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> std::io::Result<Line> {
    let mut line = Vec::new();
    let limit = u64::try_from(MAX_LINE_BYTES).unwrap_or(u64::MAX);
    let read = (&mut *reader)
        .take(limit)
        .read_until(b'\n', &mut line)
        .await?;
    if read == 0 {
        return Ok(Line::Closed);
    }
    if line.last() != Some(&b'\n') {
        return Ok(if read >= MAX_LINE_BYTES {
            Line::TooLong
        } else {
            Line::Closed
        });
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Line::Text(line))
}

/// Writes a (possibly multi-line) reply; each entry is one line without CRLF.
async fn reply<W: AsyncWrite + Unpin>(write: &mut W, lines: &[&str]) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    for line in lines {
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
    }
    write.write_all(&bytes).await?;
    write.flush().await
}
