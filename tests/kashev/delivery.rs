//! Alert delivery through the library, against real receivers on 127.0.0.1: an HTTP server that
//! fails on demand or is down, an SMTP relay, a file. Each receiver is a std `TcpListener` thread
//! that stops by itself when the test drops it, or after a minute at most.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use jiff::{SignedDuration, Timestamp};
use kashev::alerts::deliver::{Deliverer, DeliveryReport};
use kashev::alerts::store::{DeliveryStatus, RetryFilter, Store};
use kashev::alerts::{Alert, Destination, Event, LabelHit, PAYLOAD_VERSION, Span, Window};
use sha2::Sha256;

use crate::receivers::{HttpReceiver, serve};
use crate::util::tempdir;

/// A test clock that only moves when told to.
#[derive(Clone)]
struct TestClock(Arc<Mutex<Timestamp>>);

impl TestClock {
    fn new() -> TestClock {
        TestClock(Arc::new(Mutex::new(Timestamp::now())))
    }

    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }

    fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap();
        *now += SignedDuration::try_from(by).unwrap();
    }
}

/// A deliverer on `clock` whose jitter always draws the top of the range, so that retries are due
/// exactly `min(600 s, 2^(n−1) s)` after the n-th failure.
fn deliverer(clock: &TestClock) -> Deliverer {
    let clock = clock.clone();
    Deliverer::builder()
        .clock(move || clock.now())
        .jitter(|| 1.0)
        .build()
}

fn alert(id: &str, customer: &str) -> Alert {
    let at: Timestamp = "2026-03-01T10:00:00Z".parse().unwrap();
    let record = Event {
        id: format!("{id}-r1"),
        customer_id: Some(customer.into()),
        channel: Some("chat".into()),
        lang: "he".into(),
        timestamp: at,
        sentiment: -0.7,
        sentiment_label: "negative".into(),
        labels: vec![LabelHit {
            label: "churn.cancel_intent".into(),
            score: 0.95,
            evidence: vec![Span {
                start: 0,
                end: 21,
                text: "רוצה לבטל את המנוי".into(),
                entry: "lexicons/he/churn.tsv:7".into(),
            }],
        }],
        churn_risk: 0.88,
        text: "רוצה לבטל את המנוי, נמאס לי".into(),
        meta: serde_json::Map::new(),
    };
    Alert {
        v: PAYLOAD_VERSION,
        alert_id: id.into(),
        idempotency_key: format!("{id}:0"),
        subscription: "retention".into(),
        rule: "churn.cancel_intent".into(),
        customer_id: Some(customer.into()),
        churn_risk: 0.88,
        records: vec![record.into()],
        window: Window { start: at, end: at },
        first_seen: at,
        last_seen: at,
        updates: 0,
    }
}

fn webhook(url: &str, max_attempts: u32) -> Destination {
    Destination::Webhook {
        url: url.into(),
        secret_env: None,
        slack: false,
        timeout_ms: 2_000,
        max_attempts,
    }
}

/// A store at `dir/state.sqlite` holding `alerts`, each queued for `destination`.
fn store_with(dir: &Path, alerts: &[Alert], destination: &Destination) -> Store {
    let mut store = Store::open(dir.join("state.sqlite")).unwrap();
    store
        .record(alerts, |_| vec![destination.clone()], &[], &[])
        .unwrap();
    store
}

/// The only delivery in the store.
fn only_delivery(store: &Store, alert_id: &str) -> kashev::alerts::store::Delivery {
    let mut deliveries = store.deliveries_of(alert_id).unwrap();
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
    deliveries.remove(0)
}

#[test]
fn a_webhook_that_fails_twice_gets_the_alert_on_the_third_attempt() {
    let dir = tempdir();
    let receiver = HttpReceiver::start(2);
    let sent = alert("A-1", "C-17");
    let store = store_with(
        dir.path(),
        std::slice::from_ref(&sent),
        &webhook(&receiver.url(), 5),
    );
    let clock = TestClock::new();
    let deliverer = deliverer(&clock);

    let report = deliverer.deliver_due(&store, 10).unwrap();
    assert_eq!((report.attempted, report.retrying), (1, 1), "{report:?}");
    assert!(report.failures[0].1.contains("HTTP 500"), "{report:?}");
    // Not due again until the backoff (1 s after the first failure) has passed.
    assert_eq!(deliverer.deliver_due(&store, 10).unwrap().attempted, 0);
    clock.advance(Duration::from_secs(1));
    let report = deliverer.deliver_due(&store, 10).unwrap();
    assert_eq!(report.retrying, 1, "{report:?}");
    clock.advance(Duration::from_millis(1_999));
    assert_eq!(deliverer.deliver_due(&store, 10).unwrap().attempted, 0);
    clock.advance(Duration::from_millis(1));
    let report = deliverer.deliver_due(&store, 10).unwrap();
    assert_eq!(report.delivered, 1, "{report:?}");

    let delivery = only_delivery(&store, "A-1");
    assert_eq!(delivery.status, DeliveryStatus::Delivered);
    assert_eq!(delivery.attempts, 3);
    let requests = receiver.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.header("Idempotency-Key"), Some("A-1:0"));
        assert_eq!(request.header("Content-Type"), Some("application/json"));
        assert_eq!(request.header("X-Kashev-Signature"), None);
        let received: Alert = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(received, sent);
    }
    // The receiver, dropping repeats by key, holds exactly one alert.
    let logical: BTreeSet<&str> = requests
        .iter()
        .filter_map(|r| r.header("Idempotency-Key"))
        .collect();
    assert_eq!(logical.len(), 1);
    // Nothing left to do.
    clock.advance(Duration::from_secs(3_600));
    assert_eq!(
        deliverer.deliver_due(&store, 10).unwrap(),
        DeliveryReport::default()
    );
}

#[test]
fn a_receiver_that_is_down_dead_letters_then_retry_delivers() {
    let dir = tempdir();
    // A port that nothing listens on: bound, then released.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/hook");
    let store = store_with(dir.path(), &[alert("A-2", "C-3")], &webhook(&url, 3));
    let clock = TestClock::new();
    let deliverer = deliverer(&clock);

    let mut dead = 0;
    for _ in 0..3 {
        let report = deliverer.deliver_due(&store, 10).unwrap();
        assert_eq!(report.attempted, 1, "{report:?}");
        dead += report.dead;
        clock.advance(Duration::from_secs(600));
    }
    assert_eq!(dead, 1);
    assert_eq!(deliverer.deliver_due(&store, 10).unwrap().attempted, 0);
    let delivery = only_delivery(&store, "A-2");
    assert_eq!(delivery.status, DeliveryStatus::Dead);
    assert_eq!(delivery.attempts, 3);

    let letters = store.dead_letters().unwrap();
    assert_eq!(letters.len(), 1);
    let letter = &letters[0];
    assert_eq!(letter.alert_id, "A-2");
    assert_eq!(letter.subscription, "retention");
    assert_eq!(letter.attempts, 3);
    let error = letter.last_error.as_deref().unwrap();
    assert!(
        error.contains("connection failed") && error.contains(&format!("127.0.0.1:{port}")),
        "{error}"
    );
    let status = store.status().unwrap();
    assert_eq!(status.deliveries.dead, 1);
    assert_eq!(status.subscriptions["retention"].deliveries.dead, 1);

    // `kashev alerts retry`: back to pending with a fresh count, then the receiver comes up.
    let filter = RetryFilter {
        subscription: Some("retention".into()),
        ..RetryFilter::default()
    };
    assert_eq!(store.retry_dead(&filter).unwrap(), 1);
    let delivery = only_delivery(&store, "A-2");
    assert_eq!(
        (delivery.status, delivery.attempts),
        (DeliveryStatus::Pending, 0)
    );
    let receiver = HttpReceiver::start_on(TcpListener::bind(("127.0.0.1", port)).unwrap(), 0);
    let report = deliverer.deliver_due(&store, 10).unwrap();
    assert_eq!(report.delivered, 1, "{report:?}");
    assert_eq!(receiver.requests().len(), 1);
    assert_eq!(
        only_delivery(&store, "A-2").status,
        DeliveryStatus::Delivered
    );
    assert!(store.dead_letters().unwrap().is_empty());
}

#[test]
fn a_receiver_that_never_answers_times_out() {
    let dir = tempdir();
    // Bound but never accepting: the connection and the request sit in the kernel's queue, and
    // no response ever comes.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", silent.local_addr().unwrap());
    let destination = Destination::Webhook {
        url,
        secret_env: None,
        slack: false,
        timeout_ms: 200,
        max_attempts: 4,
    };
    let store = store_with(dir.path(), &[alert("A-12", "C-8")], &destination);
    let started = Instant::now();
    let report = deliverer(&TestClock::new())
        .deliver_due(&store, 10)
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(report.retrying, 1, "{report:?}");
    assert!(
        report.failures[0].1.contains("timed out after 200 ms"),
        "{report:?}"
    );
    drop(silent);
}

#[test]
fn signed_webhooks_verify_at_the_receiver() {
    const SECRET: &str = "s3cret-shared-with-the-receiver";
    let dir = tempdir();
    let receiver = HttpReceiver::start(0);
    let destination = Destination::Webhook {
        url: receiver.url(),
        secret_env: Some("KASHEV_TEST_WEBHOOK_SECRET".into()),
        slack: false,
        timeout_ms: 2_000,
        max_attempts: 3,
    };
    let store = store_with(dir.path(), &[alert("A-3", "C-9")], &destination);
    let clock = TestClock::new();
    let deliverer = {
        let clock = clock.clone();
        Deliverer::builder()
            .clock(move || clock.now())
            .secrets(|name| (name == "KASHEV_TEST_WEBHOOK_SECRET").then(|| SECRET.to_string()))
            .build()
    };
    assert_eq!(deliverer.deliver_due(&store, 10).unwrap().delivered, 1);

    let requests = receiver.requests();
    let request = &requests[0];
    let timestamp = request.header("X-Kashev-Timestamp").unwrap();
    assert_eq!(timestamp, clock.now().as_second().to_string());
    let signature = request.header("X-Kashev-Signature").unwrap();
    let hex = signature.strip_prefix("sha256=").unwrap();
    let expected = decode_hex(hex);
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(&request.body);
    mac.verify_slice(&expected).expect("the signature verifies");
    // A tampered body does not.
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{{}}").as_bytes());
    assert!(mac.verify_slice(&expected).is_err());
}

#[test]
fn a_missing_secret_is_a_delivery_error_not_an_unsigned_send() {
    let dir = tempdir();
    let receiver = HttpReceiver::start(0);
    let destination = Destination::Webhook {
        url: receiver.url(),
        secret_env: Some("KASHEV_TEST_SECRET_THAT_IS_NEVER_SET".into()),
        slack: false,
        timeout_ms: 2_000,
        max_attempts: 1,
    };
    let store = store_with(dir.path(), &[alert("A-4", "C-1")], &destination);
    // The default deliverer reads the real process environment.
    let report = Deliverer::default().deliver_due(&store, 10).unwrap();
    assert_eq!(report.dead, 1, "{report:?}");
    assert!(
        report.failures[0]
            .1
            .contains("KASHEV_TEST_SECRET_THAT_IS_NEVER_SET is not set"),
        "{report:?}"
    );
    assert!(receiver.requests().is_empty());
    let letters = store.dead_letters().unwrap();
    assert!(
        letters[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("KASHEV_TEST_SECRET_THAT_IS_NEVER_SET")
    );
}

#[test]
fn slack_webhooks_get_a_slack_message() {
    let dir = tempdir();
    let receiver = HttpReceiver::start(0);
    let destination = Destination::Webhook {
        url: receiver.url(),
        secret_env: None,
        slack: true,
        timeout_ms: 2_000,
        max_attempts: 3,
    };
    let store = store_with(dir.path(), &[alert("A-5", "C-2")], &destination);
    assert_eq!(
        deliverer(&TestClock::new())
            .deliver_due(&store, 10)
            .unwrap()
            .delivered,
        1
    );
    let requests = receiver.requests();
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        body["text"],
        "[kashev] retention: churn.cancel_intent — customer C-2"
    );
    let blocks = body["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["type"], "section");
    let records = blocks[1]["text"]["text"].as_str().unwrap();
    assert!(
        records.contains("churn.cancel_intent (\"רוצה לבטל את המנוי\")"),
        "{records}"
    );
    assert_eq!(requests[0].header("Idempotency-Key"), Some("A-5:0"));
}

#[test]
fn killed_between_sending_and_confirming_the_alert_is_sent_again_with_the_same_key() {
    let dir = tempdir();
    let receiver = HttpReceiver::start(0);
    let clock;
    {
        let store = store_with(
            dir.path(),
            &[alert("A-6", "C-4")],
            &webhook(&receiver.url(), 5),
        );
        clock = TestClock::new();
        let due = store.due(clock.now(), 10).unwrap();
        // Sent, then the process dies before `mark_delivered`.
        deliverer(&clock).send(&due[0]).unwrap();
    }
    let store = Store::open(dir.path().join("state.sqlite")).unwrap();
    let due = store.due(clock.now(), 10).unwrap();
    assert_eq!(due.len(), 1, "unconfirmed, so still due");
    let report = deliverer(&clock).deliver_due(&store, 10).unwrap();
    assert_eq!(report.delivered, 1);
    let keys: Vec<String> = receiver
        .requests()
        .iter()
        .map(|r| r.header("Idempotency-Key").unwrap().to_string())
        .collect();
    assert_eq!(keys, ["A-6:0", "A-6:0"]);
    assert_eq!(store.ledger(10).unwrap().len(), 1);
    assert!(store.due(Timestamp::MAX, 10).unwrap().is_empty());
}

#[test]
fn file_and_stdout_destinations_write_one_json_line_per_alert() {
    let dir = tempdir();
    let path = dir.path().join("alerts.jsonl");
    std::fs::write(&path, "{\"earlier\":true}\n").unwrap();
    let file = Destination::File {
        path: path.to_string_lossy().into_owned(),
    };
    let alerts = [alert("A-7", "C-5"), alert("A-8", "C-6")];
    let mut store = Store::open(dir.path().join("state.sqlite")).unwrap();
    store
        .record(
            &alerts,
            |_| vec![file.clone(), Destination::Stdout],
            &[],
            &[],
        )
        .unwrap();

    let captured = Arc::new(Mutex::new(Vec::new()));
    let clock = TestClock::new();
    let deliverer = {
        let clock = clock.clone();
        Deliverer::builder()
            .clock(move || clock.now())
            .stdout(SharedBuffer(Arc::clone(&captured)))
            .build()
    };
    assert_eq!(deliverer.deliver_due(&store, 10).unwrap().delivered, 4);

    let written = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines.len(), 3, "{written}");
    assert_eq!(lines[0], "{\"earlier\":true}");
    let in_file: Vec<Alert> = lines[1..]
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(in_file, alerts);
    let printed = String::from_utf8(captured.lock().unwrap().clone()).unwrap();
    let on_stdout: Vec<Alert> = printed
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(on_stdout, alerts);

    // A file in a directory that does not exist is a failure with the path, not a panic.
    let missing = Destination::File {
        path: dir
            .path()
            .join("no/such/dir/a.jsonl")
            .to_string_lossy()
            .into_owned(),
    };
    store
        .record(&[alert("A-9", "C-7")], |_| vec![missing.clone()], &[], &[])
        .unwrap();
    // Recorded after the test clock was read: let the clock catch up with the store's.
    clock.advance(Duration::from_secs(1));
    let report = deliverer.deliver_due(&store, 10).unwrap();
    assert_eq!(report.retrying, 1, "{report:?}");
    assert!(report.failures[0].1.contains("no/such/dir"), "{report:?}");
}

/// A writer whose bytes the test can read afterwards.
struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What a test SMTP relay received.
#[derive(Debug, Default, Clone)]
struct Mail {
    helo: bool,
    from: String,
    recipients: Vec<String>,
    data: String,
}

/// A relay speaking just enough SMTP for one message: 220, 250 to EHLO/HELO/MAIL/RCPT, 354 to
/// DATA, the message up to `CRLF.CRLF`, 250, and 221 to QUIT.
fn smtp_relay() -> (SocketAddr, Arc<AtomicBool>, JoinHandle<Option<Mail>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut mail = None;
            serve(&listener, &stop, |stream| {
                mail = smtp_session(stream);
                stop.store(true, Ordering::SeqCst);
            });
            mail
        })
    };
    (addr, stop, thread)
}

fn smtp_session(stream: &mut TcpStream) -> Option<Mail> {
    let mut writer = stream.try_clone().ok()?;
    let mut reader = BufReader::new(stream);
    let mut mail = Mail::default();
    writer.write_all(b"220 relay.test ESMTP\r\n").ok()?;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            mail.helo = true;
            writer.write_all(b"250 relay.test\r\n").ok()?;
        } else if let Some(from) = upper.strip_prefix("MAIL FROM:") {
            mail.from = command[command.len() - from.len()..].to_string();
            writer.write_all(b"250 OK\r\n").ok()?;
        } else if let Some(to) = upper.strip_prefix("RCPT TO:") {
            mail.recipients
                .push(command[command.len() - to.len()..].to_string());
            writer.write_all(b"250 OK\r\n").ok()?;
        } else if upper == "DATA" {
            writer.write_all(b"354 go ahead\r\n").ok()?;
            let mut data = Vec::new();
            while !(data.ends_with(b"\r\n.\r\n") || data == b".\r\n") {
                let mut chunk = Vec::new();
                if reader.read_until(b'\n', &mut chunk).ok()? == 0 {
                    return None;
                }
                // Undo dot-stuffing, except on the terminating line.
                if chunk.starts_with(b"..") {
                    chunk.remove(0);
                }
                data.extend_from_slice(&chunk);
            }
            data.truncate(data.len() - 5);
            mail.data = String::from_utf8(data).ok()?;
            writer.write_all(b"250 queued\r\n").ok()?;
        } else if upper == "QUIT" {
            writer.write_all(b"221 bye\r\n").ok()?;
            return Some(mail);
        } else {
            writer.write_all(b"502 not implemented\r\n").ok()?;
        }
    }
}

#[test]
fn email_reaches_the_smtp_relay_with_subject_summary_and_payload() {
    let dir = tempdir();
    let (addr, stop, relay) = smtp_relay();
    let destination = Destination::Email {
        relay: addr.to_string(),
        from: "kashev@example.test".into(),
        to: vec!["retention@example.test".into(), "lead@example.test".into()],
        max_attempts: 3,
    };
    let sent = alert("A-10", "C-42");
    let store = store_with(dir.path(), std::slice::from_ref(&sent), &destination);
    let report = deliverer(&TestClock::new())
        .deliver_due(&store, 10)
        .unwrap();
    assert_eq!(report.delivered, 1, "{report:?}");
    stop.store(true, Ordering::SeqCst);
    let mail = relay.join().unwrap().expect("the relay got a message");

    assert!(mail.helo);
    assert_eq!(mail.from, "<kashev@example.test>");
    assert_eq!(
        mail.recipients,
        ["<retention@example.test>", "<lead@example.test>"]
    );
    let (head, body) = mail.data.split_once("\r\n\r\n").unwrap();
    let headers = unfold(head);
    assert_eq!(
        decode_words(header(&headers, "Subject")),
        "[kashev] retention: churn.cancel_intent — customer C-42"
    );
    assert!(header(&headers, "To").contains("lead@example.test"));
    let body = decode_body(header(&headers, "Content-Transfer-Encoding"), body);
    for needle in [
        "Subscription: retention",
        "Customer: C-42",
        "churn.cancel_intent (0.95): \"רוצה לבטל את המנוי\" at 0..21 [lexicons/he/churn.tsv:7]",
        "Payload (JSON):",
    ] {
        assert!(body.contains(needle), "{needle:?} missing in:\n{body}");
    }
    let json = &body[body.find("Payload (JSON):\n").unwrap() + 16..];
    let carried: Alert = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(carried, sent);
}

#[test]
fn an_unreachable_relay_is_retried() {
    let dir = tempdir();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let destination = Destination::Email {
        relay: format!("127.0.0.1:{port}"),
        from: "kashev@example.test".into(),
        to: vec!["retention@example.test".into()],
        max_attempts: 2,
    };
    let store = store_with(dir.path(), &[alert("A-11", "C-1")], &destination);
    let report = deliverer(&TestClock::new())
        .deliver_due(&store, 10)
        .unwrap();
    assert_eq!(report.retrying, 1, "{report:?}");
    assert!(report.failures[0].1.contains("SMTP"), "{report:?}");
}

/// Header lines with continuation lines joined.
fn unfold(head: &str) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.to_string(), value.trim().to_string()));
        }
    }
    headers
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map_or("", |(_, v)| v.as_str())
}

/// RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) decoded; whitespace between two
/// encoded words dropped.
fn decode_words(value: &str) -> String {
    let mut out = Vec::new();
    for word in value.split_whitespace() {
        let inner = word
            .strip_prefix("=?")
            .and_then(|w| w.strip_suffix("?="))
            .and_then(|w| {
                let mut parts = w.splitn(3, '?');
                Some((parts.next()?, parts.next()?, parts.next()?))
            });
        match inner {
            Some((_, encoding, text)) if encoding.eq_ignore_ascii_case("b") => {
                out.push(String::from_utf8(decode_base64(text)).unwrap());
            }
            Some((_, encoding, text)) if encoding.eq_ignore_ascii_case("q") => {
                let bytes = decode_quoted_printable(&text.replace('_', " "));
                out.push(String::from_utf8(bytes).unwrap());
            }
            _ => out.push(format!(" {word} ")),
        }
    }
    out.concat()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode_body(encoding: &str, body: &str) -> String {
    let bytes = match encoding.to_ascii_lowercase().as_str() {
        "base64" => decode_base64(body),
        "quoted-printable" => decode_quoted_printable(body),
        _ => body.as_bytes().to_vec(),
    };
    String::from_utf8(bytes).unwrap().replace("\r\n", "\n")
}

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let Some(value) = ALPHABET.iter().position(|&a| a == c) else {
            continue; // line breaks and padding
        };
        acc = (acc << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn decode_quoted_printable(text: &str) -> Vec<u8> {
    let text = text.replace("=\r\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn decode_hex(hex: &str) -> Vec<u8> {
    assert_eq!(hex.len() % 2, 0, "{hex}");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}
