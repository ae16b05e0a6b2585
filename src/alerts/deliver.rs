//! Delivery: drains the state store's outbox to webhooks, Slack, files, stdout and e-mail.
//!
//! It takes the due rows from a [`Store`], sends each one, and records the outcome: confirmed, or
//! failed and scheduled again with exponential backoff and full jitter ([`backoff`]), or dead after
//! the destination's maximum of attempts. A row is confirmed only after its destination accepted
//! it, so a crash in between means it is sent again: delivery is at-least-once, and every attempt
//! for the same alert state carries the same idempotency key (the `Idempotency-Key` header, the
//! payload's `idempotency_key` field) for receivers to drop repeats.
//!
//! Webhooks get the alert payload as JSON (or a Slack-compatible message), signed when the
//! destination names a secret: `X-Kashev-Timestamp` is the Unix time in seconds and
//! `X-Kashev-Signature` is `sha256=` and the lowercase hex HMAC-SHA256 of `"{timestamp}.{body}"`
//! under the secret. A receiver recomputes it from the raw body and rejects stale timestamps.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::OpenOptions;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use jiff::{SignedDuration, Timestamp};
use sha2::Sha256;

use super::store::{DeliveryStatus, Store, describe, redact_url};
use super::{Alert, Destination, Digest};
use crate::Result;
use crate::alerts::store::Delivery;

/// The first retry's ceiling.
pub const BACKOFF_BASE: Duration = Duration::from_secs(1);

/// No retry waits longer than this.
pub const BACKOFF_CAP: Duration = Duration::from_secs(600);

/// How long an SMTP exchange may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// How much of a failed response's body goes into the error.
const ERROR_BODY_LIMIT: u64 = 512;

/// The delay before the next attempt after `failures` failed attempts, with full jitter: a uniform
/// draw from `[0, min(BACKOFF_CAP, BACKOFF_BASE × 2^(failures − 1)))`, where `unit` is the draw
/// scaled to `[0, 1)` (values outside are clamped). Full jitter spreads the retries of many alerts
/// that failed together, so a receiver coming back up is not hit by all of them at once.
pub fn backoff(failures: u32, unit: f64) -> Duration {
    let exponent = failures.saturating_sub(1).min(31);
    let ceiling = BACKOFF_BASE
        .saturating_mul(1u32 << exponent)
        .min(BACKOFF_CAP);
    let unit = if unit.is_finite() {
        unit.clamp(0.0, 1.0)
    } else {
        0.0
    };
    ceiling.mul_f64(unit)
}

/// The `X-Kashev-Signature` value for a body sent at `timestamp` (Unix seconds):
/// `sha256=` + lowercase hex HMAC-SHA256(secret, `"{timestamp}.{body}"`).
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this arm is unreachable in practice.
        Err(_) => return String::from("sha256="),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let code = mac.finalize().into_bytes();
    let mut out = String::with_capacity(7 + code.len() * 2);
    out.push_str("sha256=");
    for byte in code.iter() {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// Why one attempt failed. It is recorded as the delivery's last error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DeliveryError(String);

impl DeliveryError {
    fn new(message: impl Into<String>) -> DeliveryError {
        DeliveryError(message.into())
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.0
    }
}

/// What one [`Deliverer::deliver_due`] pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Deliveries attempted.
    pub attempted: usize,
    /// Confirmed.
    pub delivered: usize,
    /// Failed and scheduled again.
    pub retrying: usize,
    /// Failed for the last time.
    pub dead: usize,
    /// The failures: delivery id and error.
    pub failures: Vec<(i64, String)>,
    /// Digests sent (each confirming several deliveries, counted above one by one).
    pub digests: usize,
}

impl DeliveryReport {
    /// Adds another pass's counts to this one.
    pub fn merge(&mut self, other: DeliveryReport) {
        self.attempted += other.attempted;
        self.delivered += other.delivered;
        self.retrying += other.retrying;
        self.dead += other.dead;
        self.failures.extend(other.failures);
        self.digests += other.digests;
    }
}

type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;
type Jitter = Arc<dyn Fn() -> f64 + Send + Sync>;
type SecretLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;
type SentHook = Arc<dyn Fn(&str) + Send + Sync>;

/// Configures a [`Deliverer`]. The defaults are the system clock, a uniform random jitter, secrets
/// from the process environment and the process's standard output.
pub struct DelivererBuilder {
    clock: Clock,
    jitter: Jitter,
    secrets: SecretLookup,
    stdout: Option<Box<dyn Write + Send>>,
    after_send: Option<SentHook>,
}

impl Default for DelivererBuilder {
    fn default() -> Self {
        DelivererBuilder {
            clock: Arc::new(Timestamp::now),
            jitter: Arc::new(fastrand::f64),
            secrets: Arc::new(|name| std::env::var(name).ok()),
            stdout: None,
            after_send: None,
        }
    }
}

impl std::fmt::Debug for DelivererBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DelivererBuilder").finish_non_exhaustive()
    }
}

impl DelivererBuilder {
    /// The clock that decides what is due, signs requests and schedules retries.
    pub fn clock(&mut self, clock: impl Fn() -> Timestamp + Send + Sync + 'static) -> &mut Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The jitter source: each call returns a draw in `[0, 1)` (see [`backoff`]).
    pub fn jitter(&mut self, jitter: impl Fn() -> f64 + Send + Sync + 'static) -> &mut Self {
        self.jitter = Arc::new(jitter);
        self
    }

    /// Where webhook secrets come from, by variable name (the process environment by default).
    pub fn secrets(
        &mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> &mut Self {
        self.secrets = Arc::new(lookup);
        self
    }

    /// Where the stdout destination writes (the process's standard output by default).
    pub fn stdout(&mut self, out: impl Write + Send + 'static) -> &mut Self {
        self.stdout = Some(Box::new(out));
        self
    }

    /// Called with the idempotency key after each send the destination accepted and before it is
    /// confirmed in the store. A test facility: crash tests abort the process here to leave a
    /// delivery sent but unconfirmed.
    pub fn after_send(&mut self, hook: impl Fn(&str) + Send + Sync + 'static) -> &mut Self {
        self.after_send = Some(Arc::new(hook));
        self
    }

    /// Builds the deliverer.
    pub fn build(&mut self) -> Deliverer {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // A redirected POST would turn into a GET: a redirect is a failure to fix in the
            // subscription, not something to follow.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("kashev/", env!("CARGO_PKG_VERSION")))
            .build();
        let stdout = self
            .stdout
            .take()
            .unwrap_or_else(|| Box::new(std::io::stdout()));
        Deliverer {
            inner: Arc::new(Inner {
                agent: ureq::Agent::new_with_config(config),
                clock: Arc::clone(&self.clock),
                jitter: Arc::clone(&self.jitter),
                secrets: Arc::clone(&self.secrets),
                stdout: Mutex::new(stdout),
                after_send: self.after_send.clone(),
            }),
        }
    }
}

/// Sends due outbox rows to their destinations. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Deliverer {
    inner: Arc<Inner>,
}

struct Inner {
    agent: ureq::Agent,
    clock: Clock,
    jitter: Jitter,
    secrets: SecretLookup,
    stdout: Mutex<Box<dyn Write + Send>>,
    after_send: Option<SentHook>,
}

impl std::fmt::Debug for Deliverer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deliverer").finish_non_exhaustive()
    }
}

impl Default for Deliverer {
    fn default() -> Self {
        Deliverer::builder().build()
    }
}

impl Deliverer {
    /// A builder with the defaults.
    pub fn builder() -> DelivererBuilder {
        DelivererBuilder::default()
    }

    /// Sends up to `limit` due deliveries, one after another, and records each outcome in the
    /// store: confirmed; or failed, due again after [`backoff`]; or dead after its maximum of
    /// attempts.
    ///
    /// # Errors
    ///
    /// [`crate::Error::State`] if the store cannot be read or written. Delivery failures are not
    /// errors: they are recorded and reported.
    pub fn deliver_due(&self, store: &Store, limit: usize) -> Result<DeliveryReport> {
        let due = store.due(self.now(), limit)?;
        self.deliver(store, due)
    }

    /// The deliverer's clock: what is due is decided by it.
    pub fn now(&self) -> Timestamp {
        (self.inner.clock)()
    }

    /// Sends these deliveries (rows of `store`'s outbox), one after another, then records every
    /// outcome as [`Deliverer::deliver_due`] does, in one transaction. Rows for the same file go
    /// in one append and one sync. A crash before the outcomes are recorded sends the rows again
    /// next time, with the same idempotency keys.
    ///
    /// # Errors
    ///
    /// As [`Deliverer::deliver_due`].
    pub fn deliver(&self, store: &Store, deliveries: Vec<Delivery>) -> Result<DeliveryReport> {
        let mut outcomes: Vec<(Vec<&Delivery>, Result<(), DeliveryError>)> = Vec::new();
        let mut files: BTreeMap<String, Vec<&Delivery>> = BTreeMap::new();
        for delivery in &deliveries {
            match delivery.destination() {
                Ok(Destination::File { path }) => files.entry(path).or_default().push(delivery),
                _ => {
                    let outcome = self.send(delivery);
                    if outcome.is_ok() {
                        self.sent(&delivery.idempotency_key);
                    }
                    outcomes.push((vec![delivery], outcome));
                }
            }
        }
        for (path, rows) in files {
            let mut lines = String::new();
            for row in &rows {
                lines.push_str(&row.payload);
                lines.push('\n');
            }
            let outcome = append(&path, &lines).map_err(|e| {
                DeliveryError::new(format!("{}: {e}", describe(&Destination::File { path })))
            });
            if outcome.is_ok() {
                for row in &rows {
                    self.sent(&row.idempotency_key);
                }
            }
            outcomes.push((rows, outcome));
        }
        let mut report = DeliveryReport::default();
        store.in_transaction(|store| {
            // The rows sent are confirmed together; each failure is recorded on its own rows.
            let mut sent: Vec<&Delivery> = Vec::new();
            for (rows, outcome) in outcomes {
                match outcome {
                    Ok(()) => sent.extend(rows),
                    Err(_) => self.record(store, &rows, outcome, &mut report)?,
                }
            }
            self.record(store, &sent, Ok(()), &mut report)
        })?;
        Ok(report)
    }

    /// Sends a digest of several deliveries to their common destination in one request (or
    /// message, or line) and records the outcome on every one of them: all confirmed, or all
    /// failed and scheduled again together.
    ///
    /// # Errors
    ///
    /// As [`Deliverer::deliver_due`].
    pub fn deliver_digest(
        &self,
        store: &Store,
        deliveries: &[Delivery],
        digest: &Digest,
    ) -> Result<DeliveryReport> {
        let mut report = DeliveryReport::default();
        let Some(first) = deliveries.first() else {
            return Ok(report);
        };
        let outcome = first
            .destination()
            .map_err(|e| DeliveryError::new(format!("unreadable destination: {e}")))
            .and_then(|destination| self.send_digest(&destination, digest));
        if outcome.is_ok() {
            self.sent(&digest.idempotency_key);
            report.digests += 1;
        }
        let rows: Vec<&Delivery> = deliveries.iter().collect();
        store.in_transaction(|store| self.record(store, &rows, outcome, &mut report))?;
        Ok(report)
    }

    /// Calls the after-send hook, if any.
    fn sent(&self, idempotency_key: &str) {
        if let Some(hook) = &self.inner.after_send {
            hook(idempotency_key);
        }
    }

    /// Records one send's outcome on the deliveries it carried.
    fn record(
        &self,
        store: &Store,
        deliveries: &[&Delivery],
        outcome: Result<(), DeliveryError>,
        report: &mut DeliveryReport,
    ) -> Result<()> {
        report.attempted += deliveries.len();
        match outcome {
            Ok(()) => {
                let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
                store.mark_all_delivered(&ids)?;
                report.delivered += ids.len();
            }
            Err(error) => {
                let failures = deliveries
                    .iter()
                    .map(|d| d.attempts)
                    .max()
                    .unwrap_or(0)
                    .saturating_add(1);
                let delay = backoff(failures, (self.inner.jitter)());
                let next = SignedDuration::try_from(delay)
                    .ok()
                    .and_then(|d| self.now().checked_add(d).ok())
                    .unwrap_or(Timestamp::MAX);
                for delivery in deliveries {
                    match store.mark_failed(delivery.id, error.message(), next)? {
                        DeliveryStatus::Dead => report.dead += 1,
                        DeliveryStatus::Pending => report.retrying += 1,
                        DeliveryStatus::Delivered => {}
                    }
                    report.failures.push((delivery.id, error.0.clone()));
                }
            }
        }
        Ok(())
    }

    /// Makes one attempt to send a digest, without touching the store.
    ///
    /// # Errors
    ///
    /// A [`DeliveryError`] saying why the destination did not accept it.
    pub fn send_digest(
        &self,
        destination: &Destination,
        digest: &Digest,
    ) -> Result<(), DeliveryError> {
        let payload = serde_json::to_string(digest)
            .map_err(|e| DeliveryError::new(format!("digest payload: {e}")))?;
        match destination {
            Destination::Webhook {
                url,
                secret_env,
                slack,
                timeout_ms,
                ..
            } => {
                let body = if *slack {
                    serde_json::to_string(&slack_digest(digest))
                        .map_err(|e| DeliveryError::new(format!("slack message: {e}")))?
                } else {
                    payload
                };
                self.post(
                    url,
                    secret_env.as_deref(),
                    *timeout_ms,
                    &digest.idempotency_key,
                    body,
                )
            }
            Destination::File { path } => append_line(path, &payload),
            Destination::Stdout => self.write_stdout(&payload),
            Destination::Email {
                relay, from, to, ..
            } => {
                let mut body = String::new();
                for alert in &digest.alerts {
                    body.push_str(&summary(alert));
                    body.push_str("\n----\n\n");
                }
                send_email(relay, from, to, &digest_subject(digest), &body, &payload)
            }
        }
        .map_err(|e| DeliveryError::new(format!("{}: {e}", describe(destination))))
    }

    /// Makes one attempt to send a delivery, without touching the store.
    ///
    /// # Errors
    ///
    /// A [`DeliveryError`] saying why the destination did not accept it.
    pub fn send(&self, delivery: &Delivery) -> Result<(), DeliveryError> {
        let destination = delivery
            .destination()
            .map_err(|e| DeliveryError::new(format!("unreadable destination: {e}")))?;
        match &destination {
            Destination::Webhook {
                url,
                secret_env,
                slack,
                timeout_ms,
                ..
            } => {
                let body = if *slack {
                    let alert = parse_alert(delivery)?;
                    serde_json::to_string(&slack_message(&alert))
                        .map_err(|e| DeliveryError::new(format!("slack message: {e}")))?
                } else {
                    delivery.payload.clone()
                };
                self.post(
                    url,
                    secret_env.as_deref(),
                    *timeout_ms,
                    &delivery.idempotency_key,
                    body,
                )
            }
            Destination::File { path } => append_line(path, &delivery.payload),
            Destination::Stdout => self.write_stdout(&delivery.payload),
            Destination::Email {
                relay, from, to, ..
            } => {
                let alert = parse_alert(delivery)?;
                send_email(
                    relay,
                    from,
                    to,
                    &email_subject(&alert),
                    &summary(&alert),
                    &delivery.payload,
                )
            }
        }
        .map_err(|e| DeliveryError::new(format!("{}: {e}", describe(&destination))))
    }

    fn write_stdout(&self, payload: &str) -> Result<(), DeliveryError> {
        let mut out = self
            .inner
            .stdout
            .lock()
            .map_err(|_| DeliveryError::new("stdout: a writer panicked"))?;
        out.write_all(payload.as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush())
            .map_err(|e| DeliveryError::new(format!("stdout: {e}")))
    }

    fn post(
        &self,
        url: &str,
        secret_env: Option<&str>,
        timeout_ms: u64,
        idempotency_key: &str,
        body: String,
    ) -> Result<(), DeliveryError> {
        let mut request = self
            .inner
            .agent
            .post(url)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotency_key);
        if let Some(name) = secret_env {
            let secret = (self.inner.secrets)(name)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    DeliveryError::new(format!(
                        "the signing secret's environment variable {name} is not set"
                    ))
                })?;
            let timestamp = (self.inner.clock)().as_second();
            request = request
                .header("X-Kashev-Timestamp", timestamp.to_string())
                .header(
                    "X-Kashev-Signature",
                    signature(secret.as_bytes(), timestamp, body.as_bytes()),
                );
        }
        let timeout = Duration::from_millis(timeout_ms.max(1));
        let response = request
            .config()
            .timeout_global(Some(timeout))
            .build()
            .send(body)
            .map_err(|e| DeliveryError::new(describe_http_error(&e, timeout)))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let mut response = response;
        let excerpt = response
            .body_mut()
            .with_config()
            .limit(ERROR_BODY_LIMIT)
            .lossy_utf8(true)
            .read_to_string()
            .unwrap_or_default();
        let excerpt = excerpt.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut message = format!("HTTP {status} from {}", redact_url(url));
        if !excerpt.is_empty() {
            message.push_str(": ");
            message.push_str(&excerpt);
        }
        Err(DeliveryError::new(message))
    }
}

fn describe_http_error(error: &ureq::Error, timeout: Duration) -> String {
    match error {
        ureq::Error::Timeout(_) => format!("timed out after {} ms", timeout.as_millis()),
        ureq::Error::Io(e) => format!("connection failed: {e}"),
        ureq::Error::HostNotFound => "host not found".to_string(),
        other => other.to_string(),
    }
}

fn parse_alert(delivery: &Delivery) -> Result<Alert, DeliveryError> {
    delivery
        .alert()
        .map_err(|e| DeliveryError::new(format!("unreadable payload: {e}")))
}

/// Appends one line and makes it durable before the delivery is confirmed.
fn append_line(path: &str, payload: &str) -> Result<(), DeliveryError> {
    let mut line = String::with_capacity(payload.len() + 1);
    line.push_str(payload);
    line.push('\n');
    append(path, &line)
}

/// Appends whole lines and makes them durable.
fn append(path: &str, line: &str) -> Result<(), DeliveryError> {
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| DeliveryError::new(e.to_string()))?;
    // One write of the whole line, so that concurrent appenders do not interleave within it.
    file.write_all(line.as_bytes())
        .and_then(|()| file.flush())
        .and_then(|()| file.sync_data())
        .map_err(|e| DeliveryError::new(e.to_string()))
}

/// `[kashev] {subscription}: {rule} — customer {id}`.
pub fn email_subject(alert: &Alert) -> String {
    let mut subject = format!("[kashev] {}: {}", alert.subscription, alert.rule);
    if let Some(customer) = &alert.customer_id {
        let _ = write!(subject, " — customer {customer}");
    }
    // Header injection: no line breaks in a subject.
    subject.replace(['\r', '\n'], " ")
}

/// A readable account of an alert: what fired, for whom, and each triggering record with its
/// labels and evidence.
pub fn summary(alert: &Alert) -> String {
    const MAX_RECORDS: usize = 20;
    const MAX_TEXT: usize = 300;
    let mut out = String::new();
    let _ = writeln!(out, "Subscription: {}", alert.subscription);
    let _ = writeln!(out, "Rule: {}", alert.rule);
    if let Some(customer) = &alert.customer_id {
        let _ = writeln!(out, "Customer: {customer}");
    }
    let _ = writeln!(out, "Churn risk: {:.2}", alert.churn_risk);
    let _ = writeln!(
        out,
        "Window: {} to {}",
        alert.window.start, alert.window.end
    );
    let _ = writeln!(
        out,
        "First seen: {}; last seen: {}; updates: {}",
        alert.first_seen, alert.last_seen, alert.updates
    );
    let _ = writeln!(out, "\nRecords ({}):", alert.records.len());
    for record in alert.records.iter().take(MAX_RECORDS) {
        let _ = write!(out, "- {} at {}", record.id, record.timestamp);
        if let Some(channel) = &record.channel {
            let _ = write!(out, ", {channel}");
        }
        let _ = writeln!(
            out,
            ", {}, sentiment {} ({:+.2}), churn risk {:.2}",
            record.lang, record.sentiment_label, record.sentiment, record.churn_risk
        );
        for hit in &record.labels {
            let _ = write!(out, "    {} ({:.2})", hit.label, hit.score);
            let evidence: Vec<String> = hit
                .evidence
                .iter()
                .map(|span| {
                    format!(
                        "\"{}\" at {}..{} [{}]",
                        one_line(&span.text),
                        span.start,
                        span.end,
                        span.entry
                    )
                })
                .collect();
            if evidence.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, ": {}", evidence.join("; "));
            }
        }
        let text = one_line(&record.text);
        let shown: String = text.chars().take(MAX_TEXT).collect();
        let ellipsis = if shown.len() < text.len() { "…" } else { "" };
        let _ = writeln!(out, "    text: {shown}{ellipsis}");
    }
    if alert.records.len() > MAX_RECORDS {
        let _ = writeln!(
            out,
            "- … and {} more (in the payload)",
            alert.records.len() - MAX_RECORDS
        );
    }
    let _ = writeln!(out, "\nAlert id: {}", alert.alert_id);
    let _ = writeln!(out, "Idempotency key: {}", alert.idempotency_key);
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A Slack-compatible message (`text` for notifications, `blocks` for the layout).
pub fn slack_message(alert: &Alert) -> serde_json::Value {
    // Slack rejects section texts over 3,000 characters.
    const SECTION_LIMIT: usize = 2_900;
    let title = email_subject(alert);
    let head = format!(
        "*{}*\n*Rule:* {}\n*Customer:* {}\n*Churn risk:* {:.2}\n*Window:* {} to {}",
        slack_escape(&alert.subscription),
        slack_escape(&alert.rule),
        slack_escape(alert.customer_id.as_deref().unwrap_or("—")),
        alert.churn_risk,
        alert.window.start,
        alert.window.end,
    );
    let mut records = String::new();
    for record in &alert.records {
        let labels: Vec<String> = record
            .labels
            .iter()
            .map(|hit| {
                let evidence: Vec<&str> = hit.evidence.iter().map(|s| s.text.as_str()).collect();
                if evidence.is_empty() {
                    hit.label.clone()
                } else {
                    format!("{} (\"{}\")", hit.label, evidence.join("\", \""))
                }
            })
            .collect();
        let line = format!(
            "• `{}` {}: {}\n",
            slack_escape(&record.id),
            record.timestamp,
            slack_escape(&labels.join(", "))
        );
        if records.chars().count() + line.chars().count() > SECTION_LIMIT {
            records.push('…');
            break;
        }
        records.push_str(&line);
    }
    let mut blocks = vec![serde_json::json!({
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate_chars(&head, SECTION_LIMIT)},
    })];
    if !records.is_empty() {
        blocks.push(serde_json::json!({
            "type": "section",
            "text": {"type": "mrkdwn", "text": records},
        }));
    }
    blocks.push(serde_json::json!({
        "type": "context",
        "elements": [{
            "type": "mrkdwn",
            "text": format!("alert `{}` · key `{}`",
                slack_escape(&alert.alert_id), slack_escape(&alert.idempotency_key)),
        }],
    }));
    serde_json::json!({ "text": title, "blocks": blocks })
}

fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn truncate_chars(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// `[kashev] digest: N alerts, {start} to {end}`.
pub fn digest_subject(digest: &Digest) -> String {
    let n = digest.alerts.len();
    format!(
        "[kashev] digest: {n} alert{}, {} to {}",
        if n == 1 { "" } else { "s" },
        digest.window.start,
        digest.window.end
    )
}

/// A Slack-compatible message for a digest: a heading, then each alert's blocks (Slack takes at
/// most 50 blocks; alerts beyond that are counted in a last line).
pub fn slack_digest(digest: &Digest) -> serde_json::Value {
    const MAX_BLOCKS: usize = 50;
    let title = digest_subject(digest);
    let mut blocks = vec![serde_json::json!({
        "type": "header",
        "text": {"type": "plain_text", "text": truncate_chars(&title, 150)},
    })];
    let mut shown = 0;
    for alert in &digest.alerts {
        let message = slack_message(alert);
        let Some(alert_blocks) = message["blocks"].as_array() else {
            continue;
        };
        if blocks.len() + alert_blocks.len() + 2 > MAX_BLOCKS {
            break;
        }
        blocks.extend(alert_blocks.iter().cloned());
        blocks.push(serde_json::json!({"type": "divider"}));
        shown += 1;
    }
    if shown < digest.alerts.len() {
        blocks.push(serde_json::json!({
            "type": "context",
            "elements": [{"type": "mrkdwn",
                "text": format!("… and {} more alerts", digest.alerts.len() - shown)}],
        }));
    }
    serde_json::json!({ "text": title, "blocks": blocks })
}

fn send_email(
    relay: &str,
    from: &str,
    to: &[String],
    subject: &str,
    summary: &str,
    payload: &str,
) -> Result<(), DeliveryError> {
    use lettre::message::Mailbox;
    use lettre::message::header::ContentType;
    use lettre::transport::smtp::SmtpTransport;
    use lettre::{Message, Transport};

    if to.is_empty() {
        return Err(DeliveryError::new("no recipients"));
    }
    let (host, port) = split_relay(relay)?;
    let from: Mailbox = from
        .parse()
        .map_err(|e| DeliveryError::new(format!("sender {from:?}: {e}")))?;
    let mut message = Message::builder()
        .from(from)
        .subject(subject.replace(['\r', '\n'], " "))
        .header(ContentType::TEXT_PLAIN);
    for recipient in to {
        let mailbox: Mailbox = recipient
            .parse()
            .map_err(|e| DeliveryError::new(format!("recipient {recipient:?}: {e}")))?;
        message = message.to(mailbox);
    }
    let pretty = serde_json::from_str::<serde_json::Value>(payload)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| payload.to_string());
    let body = format!("{summary}\nPayload (JSON):\n{pretty}\n");
    let message = message
        .body(body)
        .map_err(|e| DeliveryError::new(format!("building the message: {e}")))?;
    let transport = SmtpTransport::builder_dangerous(host)
        .port(port)
        .timeout(Some(SMTP_TIMEOUT))
        .build();
    transport
        .send(&message)
        .map(|_| ())
        .map_err(|e| DeliveryError::new(format!("SMTP: {e}")))
}

/// `host:port`, `host` (port 25) or `[v6]:port`.
fn split_relay(relay: &str) -> Result<(String, u16), DeliveryError> {
    let bad = || DeliveryError::new(format!("relay {relay:?} is not host:port"));
    let relay = relay.trim();
    if let Some(rest) = relay.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(bad)?;
        let port = match after.strip_prefix(':') {
            Some(port) => port.parse().map_err(|_| bad())?,
            None if after.is_empty() => 25,
            None => return Err(bad()),
        };
        return Ok((host.to_string(), port));
    }
    match relay.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && !host.contains(':') => {
            Ok((host.to_string(), port.parse().map_err(|_| bad())?))
        }
        None if !relay.is_empty() => Ok((relay.to_string(), 25)),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deliverers_are_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Deliverer>();
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_full_jitter() {
        let cases = [
            ("first failure, top of range", 1, 1.0, 1_000),
            ("second failure", 2, 1.0, 2_000),
            ("third failure, half", 3, 0.5, 2_000),
            ("tenth failure is capped", 10, 1.0, 512_000),
            ("eleventh failure is capped", 11, 1.0, 600_000),
            ("huge count is capped", u32::MAX, 1.0, 600_000),
            ("zero draw", 5, 0.0, 0),
            ("no failures yet behaves like one", 0, 1.0, 1_000),
            ("draw above one is clamped", 1, 7.0, 1_000),
            ("NaN draw is zero", 4, f64::NAN, 0),
        ];
        for (name, failures, unit, ms) in cases {
            assert_eq!(backoff(failures, unit), Duration::from_millis(ms), "{name}");
        }
    }

    #[test]
    fn signature_matches_a_known_vector() {
        // Computed independently: HMAC-SHA256("shh", "1700000000.{\"a\":1}").
        assert_eq!(
            signature(b"shh", 1_700_000_000, br#"{"a":1}"#),
            "sha256=be310eac0f84daf469d630347a950258de768b365563ab68f29f2f783473d547"
        );
        assert_ne!(signature(b"key", 1, b"x"), signature(b"key", 2, b"x"));
        assert_ne!(signature(b"key", 1, b"x"), signature(b"other", 1, b"x"));
        assert_eq!(signature(b"", 1, b"").len(), 7 + 64);
    }

    #[test]
    fn relays_parse() {
        let cases = [
            ("host and port", "127.0.0.1:2525", Some(("127.0.0.1", 2525))),
            ("name without port", "mail.local", Some(("mail.local", 25))),
            ("ipv6 with port", "[::1]:2525", Some(("::1", 2525))),
            ("ipv6 without port", "[::1]", Some(("::1", 25))),
            ("bad port", "host:smtp", None),
            ("empty", "", None),
            ("bare ipv6", "::1", None),
            ("unclosed bracket", "[::1:25", None),
        ];
        for (name, relay, expected) in cases {
            let got = split_relay(relay).ok();
            let expected = expected.map(|(h, p)| (h.to_string(), p));
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn subjects_have_no_line_breaks() {
        let alert = crate::alerts::store::tests::alert("a1", "k1", "sub\r\nBcc: x@y", 0);
        let subject = email_subject(&alert);
        assert!(
            !subject.contains('\n') && !subject.contains('\r'),
            "{subject}"
        );
        assert!(subject.starts_with("[kashev] sub  Bcc: x@y: "), "{subject}");
        assert!(subject.ends_with(" — customer C-1"), "{subject}");
    }

    #[test]
    fn slack_messages_escape_and_stay_under_the_limit() {
        let mut alert = crate::alerts::store::tests::alert("a1", "k1", "<subs>", 0);
        let record = alert.records[0].clone();
        alert.records = vec![record; 500];
        let message = slack_message(&alert);
        assert!(message["text"].as_str().unwrap().contains("<subs>"));
        let blocks = message["blocks"].as_array().unwrap();
        let head = blocks[0]["text"]["text"].as_str().unwrap();
        assert!(head.contains("&lt;subs&gt;"), "{head}");
        let records = blocks[1]["text"]["text"].as_str().unwrap();
        assert!(records.chars().count() <= 3_000);
        assert!(records.ends_with('…'));
    }

    #[test]
    fn summaries_carry_labels_and_evidence() {
        let alert = crate::alerts::store::tests::alert("a1", "k1", "billing-watch", 2);
        let text = summary(&alert);
        for needle in [
            "Subscription: billing-watch",
            "Customer: C-1",
            "complaint.billing (0.90): \"חיוב כפול\" at 0..15 [lexicons/he/complaint.tsv:3]",
            "Idempotency key: k1",
        ] {
            assert!(text.contains(needle), "{needle:?} missing in:\n{text}");
        }
    }

    #[test]
    fn urls_are_redacted_to_their_host() {
        let cases = [
            (
                "https://hooks.slack.com/services/T0/B0/XYZ",
                "https://hooks.slack.com/…",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://user:pw@host/x?y", "http://host/…"),
            ("not a url", "not a url"),
        ];
        for (url, expected) in cases {
            assert_eq!(redact_url(url), expected, "{url}");
        }
    }
}
