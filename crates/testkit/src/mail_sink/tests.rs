//! The sink driven over a raw socket, so each reply code is checked as a client sees it.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use super::*;

struct Client {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

impl Client {
    async fn connect(sink: &MailSink) -> (Self, String) {
        let stream = TcpStream::connect(sink.address()).await.unwrap();
        let (read, writer) = stream.into_split();
        let mut client = Self {
            reader: BufReader::new(read),
            writer,
        };
        let greeting = client.reply().await;
        (client, greeting)
    }

    /// Reads one reply (all lines of a multi-line one), joined with `\n`.
    async fn reply(&mut self) -> String {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).await.unwrap();
            let line = line.trim_end().to_owned();
            let last = line.as_bytes().get(3) != Some(&b'-');
            lines.push(line);
            if last {
                return lines.join("\n");
            }
        }
    }

    async fn send(&mut self, raw: &str) -> String {
        self.writer.write_all(raw.as_bytes()).await.unwrap();
        self.reply().await
    }
}

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn a_full_transaction_is_recorded_with_dots_unstuffed() {
    let sink = MailSink::start().await.unwrap();
    let (mut c, greeting) = Client::connect(&sink).await;
    assert!(greeting.starts_with("220 "), "{greeting}");
    let ehlo = c.send("EHLO client.test\r\n").await;
    assert!(ehlo.starts_with("250-"), "{ehlo}");
    assert!(ehlo.contains("250-8BITMIME"), "{ehlo}");
    assert!(
        ehlo.ends_with(&format!("250 SIZE {MAX_MESSAGE_BYTES}")),
        "{ehlo}"
    );
    assert_eq!(
        c.send("MAIL FROM:<a@example.com> BODY=8BITMIME SIZE=100\r\n")
            .await,
        "250 2.1.0 OK"
    );
    assert_eq!(c.send("RCPT TO:<b@example.com>\r\n").await, "250 2.1.5 OK");
    assert_eq!(c.send("rcpt to: <c@example.com>\r\n").await, "250 2.1.5 OK");
    assert!(c.send("DATA\r\n").await.starts_with("354 "));
    let queued = c.send("Subject: hi\r\n\r\n..leading dot\r\n.\r\n").await;
    assert_eq!(queued, "250 2.0.0 OK queued as 1");
    assert_eq!(c.send("QUIT\r\n").await, "221 2.0.0 Bye");

    let mail = sink.wait_for(1, WAIT).await.unwrap().remove(0);
    assert_eq!(mail.helo, "client.test");
    assert_eq!(mail.mail_from, "a@example.com");
    assert_eq!(mail.rcpt_to, ["b@example.com", "c@example.com"]);
    assert_eq!(mail.data, b"Subject: hi\r\n\r\n.leading dot\r\n");
    assert_eq!(mail.parsed().header("Subject"), Some("hi"));
}

#[tokio::test]
async fn commands_out_of_order_get_503_and_unknown_ones_500_or_502() {
    let sink = MailSink::start().await.unwrap();
    let (mut c, _) = Client::connect(&sink).await;
    assert!(
        c.send("MAIL FROM:<a@example.com>\r\n")
            .await
            .starts_with("503 ")
    );
    assert!(c.send("HELO\r\n").await.starts_with("501 "));
    assert_eq!(c.send("HELO client.test\r\n").await, "250 127.0.0.1");
    assert!(
        c.send("RCPT TO:<b@example.com>\r\n")
            .await
            .starts_with("503 ")
    );
    assert!(c.send("DATA\r\n").await.starts_with("503 "));
    assert!(
        c.send("MAIL FROM:<a@example.com> FOO=1\r\n")
            .await
            .starts_with("555 ")
    );
    assert!(
        c.send("MAIL FROM:a@example.com\r\n")
            .await
            .starts_with("501 ")
    );
    assert_eq!(c.send("MAIL FROM:<>\r\n").await, "250 2.1.0 OK");
    assert!(
        c.send("MAIL FROM:<a@example.com>\r\n")
            .await
            .starts_with("503 ")
    );
    assert!(
        c.send("DATA\r\n").await.starts_with("503 "),
        "DATA needs a recipient"
    );
    assert!(c.send("RCPT TO:<>\r\n").await.starts_with("501 "));
    assert_eq!(c.send("RSET\r\n").await, "250 2.0.0 OK");
    assert!(
        c.send("RCPT TO:<b@example.com>\r\n")
            .await
            .starts_with("503 "),
        "RSET ended it"
    );
    assert_eq!(c.send("NOOP\r\n").await, "250 2.0.0 OK");
    assert!(c.send("STARTTLS\r\n").await.starts_with("502 "));
    assert!(c.send("XYZZY\r\n").await.starts_with("500 "));
    assert!(
        c.send("MAIL FROM:<a@example.com> SIZE=999999999\r\n")
            .await
            .starts_with("552 ")
    );
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn injected_failures_answer_451_then_deliveries_succeed() {
    let sink = MailSink::start().await.unwrap();
    sink.fail_next(1);
    let (mut c, _) = Client::connect(&sink).await;
    c.send("EHLO client.test\r\n").await;
    for expected in ["451 4.3.0", "250 2.0.0 OK queued as 1"] {
        assert_eq!(
            c.send("MAIL FROM:<a@example.com>\r\n").await,
            "250 2.1.0 OK"
        );
        assert_eq!(c.send("RCPT TO:<b@example.com>\r\n").await, "250 2.1.5 OK");
        c.send("DATA\r\n").await;
        let answer = c.send("Subject: x\r\n\r\nbody\r\n.\r\n").await;
        assert!(answer.starts_with(expected), "{answer}");
    }
    assert_eq!(sink.pending_failures(), 0);
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn waiting_for_more_than_arrives_times_out_with_the_count() {
    let sink = MailSink::start().await.unwrap();
    let error = sink
        .wait_for(1, Duration::from_millis(20))
        .await
        .unwrap_err();
    assert_eq!((error.expected, error.received), (1, 0));
}
