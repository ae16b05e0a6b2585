//! Churn-signal alerts: subscriptions, rules over classified records, a durable state store and
//! reliable delivery.
//!
//! The types here are what the parts share: a classified record as rules see it ([`Event`],
//! held as a [`SharedEvent`]), an alert as it is recorded and delivered ([`Alert`]), and where it
//! goes ([`Destination`]).
//!
//! [`store`] keeps the durable state (checkpoints, exported rule state, the alert ledger and the
//! delivery outbox) in SQLite; [`deliver`] drains the outbox to the destinations, at least once.

pub mod deliver;
pub mod engine;
pub mod scheduled;
pub mod store;

pub mod rules;
pub mod subscriptions;

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// Version of the alert payload (the `v` field).
pub const PAYLOAD_VERSION: u32 = 1;

/// Evidence behind a label in an alert: where in the record's text, and which lexicon entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset in the record's text.
    pub start: usize,
    /// Byte offset one past it.
    pub end: usize,
    /// The matched text.
    pub text: String,
    /// The lexicon entry, `file:line`.
    pub entry: String,
}

/// A label of a record, with its score and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelHit {
    /// `complaint.billing`, `churn.cancel_intent`, …
    pub label: String,
    /// In (0, 1].
    pub score: f64,
    /// The evidence.
    #[serde(default)]
    pub evidence: Vec<Span>,
}

/// A classified record, as rules see it and alerts carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The record id.
    pub id: String,
    /// The customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// The channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The language it was classified as.
    pub lang: String,
    /// When it was written (records without a time are taken at the time they were seen).
    pub timestamp: Timestamp,
    /// Sentiment score in [−1, 1].
    pub sentiment: f64,
    /// positive / negative / neutral.
    pub sentiment_label: String,
    /// The complaint and churn labels.
    pub labels: Vec<LabelHit>,
    /// The churn risk in [0, 1].
    pub churn_risk: f64,
    /// The record's text.
    pub text: String,
    /// The record's other fields (a subscription may filter on one, e.g. a customer segment).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub meta: serde_json::Map<String, serde_json::Value>,
}

/// An [`Event`] as the rules keep it: shared, not copied, by a customer's window, the triggers
/// and the alerts it takes part in (a clone is a reference count), and serialised at most once,
/// the first time a payload or a saved window needs it; every later payload copies that JSON.
#[derive(Debug, Clone)]
pub struct SharedEvent(Arc<SharedEventInner>);

#[derive(Debug)]
struct SharedEventInner {
    event: Event,
    json: OnceLock<Option<Box<RawValue>>>,
}

impl SharedEvent {
    /// Shares `event`.
    pub fn new(event: Event) -> SharedEvent {
        SharedEvent(Arc::new(SharedEventInner {
            event,
            json: OnceLock::new(),
        }))
    }

    /// The event's JSON, made on first use.
    fn json(&self) -> Option<&RawValue> {
        self.0
            .json
            .get_or_init(|| serde_json::value::to_raw_value(&self.0.event).ok())
            .as_deref()
    }
}

impl Deref for SharedEvent {
    type Target = Event;

    fn deref(&self) -> &Event {
        &self.0.event
    }
}

impl From<Event> for SharedEvent {
    fn from(event: Event) -> SharedEvent {
        SharedEvent::new(event)
    }
}

impl PartialEq for SharedEvent {
    fn eq(&self, other: &SharedEvent) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.event == other.0.event
    }
}

impl Serialize for SharedEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.json() {
            Some(json) => json.serialize(serializer),
            None => self.0.event.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for SharedEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SharedEvent, D::Error> {
        Event::deserialize(deserializer).map(SharedEvent::new)
    }
}

/// The time window an alert covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// The earliest triggering record's time.
    pub start: Timestamp,
    /// The latest.
    pub end: Timestamp,
}

/// An alert: what fired, for whom, on which records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// [`PAYLOAD_VERSION`].
    pub v: u32,
    /// Unique id of this alert (one per subscription, customer, rule and activation).
    pub alert_id: String,
    /// The same for every delivery of the same alert state: receivers drop repeats by it.
    pub idempotency_key: String,
    /// The subscription's name.
    pub subscription: String,
    /// The rule, described (`3 × complaint.billing in 14d`).
    pub rule: String,
    /// The customer (none for a volume spike).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// The highest churn risk among the triggering records.
    pub churn_risk: f64,
    /// The triggering records (shared with the evaluator's windows and other alerts).
    pub records: Vec<SharedEvent>,
    /// The time they span.
    pub window: Window,
    /// When the alert was first raised.
    pub first_seen: Timestamp,
    /// When it was last updated (a still-active alert is updated, not repeated).
    pub last_seen: Timestamp,
    /// How many times it was updated since it was raised.
    #[serde(default)]
    pub updates: u32,
}

/// Alerts of subscriptions with a `digest`, delivered together: one destination, one digest
/// interval. Serialised as `{"kind": "digest", "v": 1, "idempotency_key": …, "window": {…},
/// "alerts": [alert, …]}`; each alert is the payload it would have had on its own, in its latest
/// state (by `last_seen`, then id). The idempotency key is derived from the keys of the alert
/// states it carries, so a digest sent again after a crash carries the same key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename = "digest")]
pub struct Digest {
    /// [`PAYLOAD_VERSION`].
    pub v: u32,
    /// The same for every delivery of the same digest: receivers drop repeats by it.
    pub idempotency_key: String,
    /// The digest interval.
    pub window: Window,
    /// The alerts.
    pub alerts: Vec<Alert>,
}

/// Where a subscription's alerts go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Destination {
    /// HTTP POST of the alert as JSON.
    Webhook {
        /// The URL (http or https).
        url: String,
        /// The environment variable holding the signing secret: with one, requests carry
        /// `X-Kashev-Timestamp` and `X-Kashev-Signature: sha256=HEX(HMAC-SHA256(secret,
        /// timestamp + "." + body))`. The secret itself is never in the subscriptions file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        secret_env: Option<String>,
        /// Send a Slack-compatible payload (`{"text": …, "blocks": …}`) instead of the alert.
        #[serde(default)]
        slack: bool,
        /// Per-request timeout in milliseconds.
        #[serde(default = "default_timeout_ms")]
        timeout_ms: u64,
        /// Attempts before the delivery is dead-lettered.
        #[serde(default = "default_max_attempts")]
        max_attempts: u32,
    },
    /// Append one JSON line per alert to a file (flushed and fsynced).
    File {
        /// The file.
        path: String,
    },
    /// One JSON line per alert on standard output.
    Stdout,
    /// E-mail through an SMTP relay.
    Email {
        /// `host:port` of the relay.
        relay: String,
        /// The sender.
        from: String,
        /// The recipients.
        to: Vec<String>,
        /// Attempts before the delivery is dead-lettered.
        #[serde(default = "default_max_attempts")]
        max_attempts: u32,
    },
}

fn default_timeout_ms() -> u64 {
    5_000
}

fn default_max_attempts() -> u32 {
    8
}
