//! The alert engine: classified records in, recorded and delivered alerts out.
//!
//! It is the one place where the parts meet, used by scheduled runs over the index
//! ([`super::scheduled`], `kashev alerts run`) and by streaming evaluation alike. [`Engine::open`]
//! restores the rule evaluator's windows and the throttle's active alerts from the [`Store`];
//! [`Engine::process`] observes a batch of [`Event`]s in order, throttles the triggers, and
//! records in one store transaction the alerts raised or updated (each queued for its
//! subscription's destination), the changed evaluator and throttle state, and the checkpoint the
//! caller gives. A crash before that commit loses nothing: the caller reads the same records again
//! from the previous checkpoint, and since evaluation is deterministic and alert ids derive from
//! the records, recording them again changes nothing that was already recorded.
//! [`Engine::deliver`] then drains the outbox, batching the alerts of subscriptions with a
//! `digest` into one [`Digest`] per destination and interval.
//!
//! # State layout
//!
//! The state is kept in parts so that a batch writes only what it changed, not every window of
//! every customer: `evaluator` holds the spike counts and the watermark, `evaluator:customer:ID`
//! one customer's window records, and `throttle:HASH` one active alert (per subscription,
//! customer and rule). Parts whose data is pruned away are deleted.
//!
//! # Checkpoints
//!
//! One position for the whole subscriptions file, written under every subscription's name (so
//! that `kashev alerts status` shows it per subscription). [`Engine::checkpoint`] reads it back from
//! the first subscription that has one: a subscription added to the file later starts from there,
//! with the windows the evaluator already holds.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::mpsc;

use jiff::Timestamp;
use rayon::prelude::*;
use serde::Deserialize;
use xxhash_rust::xxh3::xxh3_64;

use super::deliver::{Deliverer, DeliveryReport};
use super::rules::{
    Evaluator, EvaluatorState, Throttle, ThrottleState, Throttled, digest_interval,
};
use super::store::{Checkpoint, Delivery, Position, Recorded, SealedAlert, StateJson, Store};
use super::subscriptions::{Subscription, Subscriptions, can_batch};
use super::{Alert, Destination, Digest, Event, LabelHit, PAYLOAD_VERSION, SharedEvent, Span};
use crate::classify::Classification;
use crate::error::{Error, Result};
use crate::index::StoredDoc;
use crate::record::Record;

/// The state key of the evaluator's spike counts and watermark.
pub const EVALUATOR_KEY: &str = "evaluator";

/// The prefix of the state keys of customers' window records.
pub const CUSTOMER_KEY_PREFIX: &str = "evaluator:customer:";

/// The prefix of the state keys of active alerts.
pub const THROTTLE_KEY_PREFIX: &str = "throttle:";

/// Outbox rows read per delivery round.
const DELIVERY_PAGE: usize = 512;

impl From<&crate::index::StoredEvidence> for Span {
    fn from(e: &crate::index::StoredEvidence) -> Span {
        Span {
            start: e.start,
            end: e.end,
            text: e.text.clone(),
            entry: e.entry.clone(),
        }
    }
}

impl From<&crate::classify::Evidence> for Span {
    fn from(e: &crate::classify::Evidence) -> Span {
        Span {
            start: e.start,
            end: e.end,
            text: e.text.clone(),
            entry: e.entry.to_string(),
        }
    }
}

/// What a classification contributes to an event, however it was obtained.
struct Classified {
    lang: String,
    sentiment: f64,
    sentiment_label: String,
    labels: Vec<LabelHit>,
    churn_risk: f64,
}

impl Event {
    /// The event of `record` with its classification; a record without a timestamp is taken at
    /// `fallback`.
    fn of(record: &Record, c: Classified, fallback: Timestamp) -> Event {
        Event {
            id: record.id.clone(),
            customer_id: record.customer_id.clone(),
            channel: record.channel.clone(),
            lang: c.lang,
            timestamp: record.timestamp.unwrap_or(fallback),
            sentiment: c.sentiment,
            sentiment_label: c.sentiment_label,
            labels: c.labels,
            churn_risk: c.churn_risk,
            text: record.text.clone(),
            meta: record.meta.clone(),
        }
    }

    /// The event of a record read back from the index. A record without a timestamp is taken at
    /// the time it was indexed.
    pub fn from_stored(doc: &StoredDoc, indexed_at: Timestamp) -> Event {
        let c = &doc.classification;
        let labels = c
            .labels
            .iter()
            .map(|l| LabelHit {
                label: l.label.clone(),
                score: l.score,
                evidence: l.evidence.iter().map(Span::from).collect(),
            })
            .collect();
        let classified = Classified {
            lang: c.lang.clone(),
            sentiment: c.sentiment.score,
            sentiment_label: c.sentiment.label.clone(),
            labels,
            churn_risk: c.churn_risk,
        };
        Event::of(&doc.record, classified, indexed_at)
    }

    /// The event of a record just classified. A record without a timestamp is taken at `seen`
    /// (when it arrived).
    pub fn from_classification(record: &Record, c: &Classification, seen: Timestamp) -> Event {
        let labels = c
            .labels
            .iter()
            .map(|l| LabelHit {
                label: l.label.clone(),
                score: l.score,
                evidence: l.evidence.iter().map(Span::from).collect(),
            })
            .collect();
        let classified = Classified {
            lang: c.lang.clone(),
            sentiment: c.sentiment.score,
            sentiment_label: c.sentiment.label.as_str().to_string(),
            labels,
            churn_risk: c.churn_risk,
        };
        Event::of(record, classified, seen)
    }
}

/// What one [`Engine::process`] call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Processed {
    /// Events observed.
    pub events: usize,
    /// Rule triggers.
    pub triggers: usize,
    /// Alerts raised.
    pub raised: usize,
    /// Updates of active alerts.
    pub updated: usize,
    /// Triggers that added nothing to an active alert.
    pub unchanged: usize,
    /// What the store wrote. An alert raised and updated in the same batch is recorded once, in
    /// its latest state.
    pub recorded: Recorded,
}

impl Processed {
    /// Adds another batch's counts to these.
    pub fn merge(&mut self, other: Processed) {
        self.events += other.events;
        self.triggers += other.triggers;
        self.raised += other.raised;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.recorded.alerts += other.recorded.alerts;
        self.recorded.new_alerts += other.recorded.new_alerts;
        self.recorded.queued += other.recorded.queued;
    }
}

/// Evaluates subscriptions over batches of events, records the alerts durably and delivers them.
/// See the [module documentation](self).
#[derive(Debug)]
pub struct Engine {
    store: Store,
    rules: Rules,
}

/// The evaluating half of an [`Engine`]: the subscriptions with their evaluator and throttle,
/// and which parts of their state the store holds. It turns a batch of events into a [`Batch`]
/// to record without touching the store, so that recording one batch and evaluating the next
/// can run side by side.
#[derive(Debug)]
struct Rules {
    subscriptions: Subscriptions,
    evaluator: Evaluator,
    throttle: Throttle,
    /// Customers with a state part in the store.
    stored_customers: HashSet<String>,
    /// Throttle state keys in the store.
    stored_alerts: HashSet<String>,
}

/// A batch evaluated, with everything it records serialised: what one store transaction writes.
#[derive(Debug)]
struct Batch {
    processed: Processed,
    /// The alerts raised or updated, each in its latest state, with its destination and the time
    /// before which its delivery is not due.
    alerts: Vec<(SealedAlert, Destination, Timestamp)>,
    /// State parts to set, or to delete (`None`), in this order.
    states: Vec<(String, Option<StateJson>)>,
    checkpoints: Vec<Checkpoint>,
}

impl Engine {
    /// An engine for these subscriptions, with the evaluator and throttle state restored from
    /// `store`.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the store cannot be read or holds state this version cannot read.
    pub fn open(subscriptions: Subscriptions, store: Store) -> Result<Engine> {
        let mut evaluator = Evaluator::new(&subscriptions);
        let mut throttle = Throttle::new(&subscriptions);
        let unreadable = |key: &str, e: serde_json::Error| Error::State {
            path: store.path().to_path_buf(),
            message: format!("state {key:?}: {e}"),
        };
        let mut state: EvaluatorState = match store.state(EVALUATOR_KEY)? {
            Some(value) => {
                serde_json::from_value(value).map_err(|e| unreadable(EVALUATOR_KEY, e))?
            }
            None => EvaluatorState::default(),
        };
        let mut stored_customers = HashSet::new();
        for (key, text) in store.states_under(CUSTOMER_KEY_PREFIX)? {
            let events: Vec<SharedEvent> =
                serde_json::from_str(&text).map_err(|e| unreadable(&key, e))?;
            let customer = key[CUSTOMER_KEY_PREFIX.len()..].to_string();
            stored_customers.insert(customer.clone());
            state.customers.insert(customer, events);
        }
        evaluator.import(state);
        let mut active = Vec::new();
        let mut stored_alerts = HashSet::new();
        for (key, text) in store.states_under(THROTTLE_KEY_PREFIX)? {
            let alert: Alert = serde_json::from_str(&text).map_err(|e| unreadable(&key, e))?;
            active.push(alert);
            stored_alerts.insert(key);
        }
        throttle.import(ThrottleState { active });
        Ok(Engine {
            store,
            rules: Rules {
                subscriptions,
                evaluator,
                throttle,
                stored_customers,
                stored_alerts,
            },
        })
    }

    /// The subscriptions.
    pub fn subscriptions(&self) -> &Subscriptions {
        &self.rules.subscriptions
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The evaluator (its state is what has been observed so far).
    pub fn evaluator(&self) -> &Evaluator {
        &self.rules.evaluator
    }

    /// How far evaluation has read: the checkpoint of the first subscription that has one.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the store cannot be read.
    pub fn checkpoint(&self) -> Result<Option<Position>> {
        for sub in &self.rules.subscriptions {
            if let Some(position) = self.store.checkpoint(&sub.name)? {
                return Ok(Some(position));
            }
        }
        Ok(None)
    }

    /// Observes `events` in order, throttles their triggers, and records in one transaction the
    /// alerts raised or updated (each in its latest state, queued for its subscription's
    /// destination; a digest subscription's deliveries are due at the end of their interval), the
    /// changed evaluator and throttle state, and `position` as every subscription's checkpoint.
    ///
    /// On an error nothing is recorded, but the in-memory state has moved on: reopen the engine
    /// from the store before going on.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the store cannot be written.
    pub fn process(&mut self, events: Vec<Event>, position: Option<Position>) -> Result<Processed> {
        let batch = self.rules.evaluate(events, position)?;
        record(&mut self.store, &batch)
    }

    /// As [`Engine::process`] on each batch in turn, recording a batch on a second thread while
    /// the next one is read and evaluated; `after_commit` is called with each batch's outcome
    /// once it is recorded, in order. Returns the sum of the outcomes.
    ///
    /// # Errors
    ///
    /// As [`Engine::process`]. The batches recorded before the error stay recorded (each with its
    /// position); reopen the engine from the store before going on.
    pub fn process_batches<I>(
        &mut self,
        batches: I,
        mut after_commit: impl FnMut(&Processed),
    ) -> Result<Processed>
    where
        I: IntoIterator<Item = (Vec<Event>, Option<Position>)>,
    {
        let Engine { store, rules } = self;
        let mut total = Processed::default();
        std::thread::scope(|scope| -> Result<()> {
            // One batch waits while another is recorded: evaluation stays at most two ahead.
            let (to_record, to_writer) = mpsc::sync_channel::<Batch>(1);
            // The batch goes back with its outcome, to be freed on this thread, off the writer's.
            let (to_report, outcomes) = mpsc::channel::<(Result<Processed>, Batch)>();
            scope.spawn(move || {
                for batch in to_writer {
                    let outcome = record(store, &batch);
                    let failed = outcome.is_err();
                    if to_report.send((outcome, batch)).is_err() || failed {
                        break;
                    }
                }
            });
            let mut report = |(outcome, batch): (Result<Processed>, Batch)| -> Result<()> {
                drop(batch);
                let processed = outcome?;
                after_commit(&processed);
                total.merge(processed);
                Ok(())
            };
            for (events, position) in batches {
                while let Ok(outcome) = outcomes.try_recv() {
                    report(outcome)?;
                }
                let batch = rules.evaluate(events, position)?;
                if to_record.send(batch).is_err() {
                    // The writer stopped on an error, which is waiting in `outcomes`.
                    break;
                }
            }
            drop(to_record);
            for outcome in outcomes {
                report(outcome)?;
            }
            Ok(())
        })?;
        Ok(total)
    }

    /// Delivers the due outbox rows: each on its own, except those of subscriptions with a
    /// `digest` (webhook and e-mail destinations), which go as one [`Digest`] per destination and
    /// interval. Each row is attempted at most once per call; rows that fail are due again later
    /// (see [`Deliverer::deliver_due`]).
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the store cannot be read or written. Delivery failures are reported,
    /// not errors.
    pub fn deliver(&self, deliverer: &Deliverer) -> Result<DeliveryReport> {
        deliver_outbox(&self.store, Some(&self.rules.subscriptions), deliverer)
    }
}

impl Rules {
    /// Observes `events` in order and throttles their triggers; returns what to record: the
    /// alerts raised or updated, the evaluator and throttle state that changed, and `position` as
    /// every subscription's checkpoint. What the store holds is taken to be what it will hold
    /// once the batch is recorded.
    fn evaluate(&mut self, events: Vec<Event>, position: Option<Position>) -> Result<Batch> {
        let mut processed = Processed {
            events: events.len(),
            ..Processed::default()
        };
        let mut touched: HashSet<String> = HashSet::new();
        // Latest state per alert id, in the order first raised or updated.
        let mut alerts: Vec<Alert> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        for event in events {
            let event = SharedEvent::new(event);
            if let Some(customer) = &event.customer_id
                && !touched.contains(customer)
            {
                touched.insert(customer.clone());
            }
            for trigger in self.evaluator.observe(&event) {
                processed.triggers += 1;
                let alert = match self.throttle.apply(trigger) {
                    Throttled::Raised(alert) => {
                        processed.raised += 1;
                        alert
                    }
                    Throttled::Updated(alert) => {
                        processed.updated += 1;
                        alert
                    }
                    Throttled::Unchanged(_) => {
                        processed.unchanged += 1;
                        continue;
                    }
                };
                match at.get(&alert.alert_id) {
                    Some(&i) => alerts[i] = alert,
                    None => {
                        at.insert(alert.alert_id.clone(), alerts.len());
                        alerts.push(alert);
                    }
                }
            }
        }
        self.evaluator.prune();
        if let Some(watermark) = self.evaluator.state().watermark {
            self.throttle.prune(watermark);
        }

        let sealed: Vec<SealedAlert> = alerts
            .into_par_iter()
            .map(SealedAlert::new)
            .collect::<Result<_>>()?;
        let mut batch = Batch {
            processed,
            alerts: Vec::with_capacity(sealed.len()),
            states: Vec::new(),
            checkpoints: Vec::new(),
        };

        let state = self.evaluator.state();
        batch.states.push((
            EVALUATOR_KEY.to_string(),
            Some(StateJson::new(&EvaluatorState {
                customers: BTreeMap::new(),
                spikes: state.spikes.clone(),
                watermark: state.watermark,
            })?),
        ));
        let touched: Vec<String> = touched.into_iter().collect();
        let windows: Vec<(String, Option<StateJson>)> = touched
            .par_iter()
            .filter_map(|customer| {
                let key = format!("{CUSTOMER_KEY_PREFIX}{customer}");
                match state.customers.get(customer) {
                    Some(events) => Some(StateJson::new(events).map(|json| (key, Some(json)))),
                    None if self.stored_customers.contains(customer) => Some(Ok((key, None))),
                    None => None,
                }
            })
            .collect::<Result<_>>()?;
        batch.states.extend(windows);
        // Customers whose windows emptied (pruned away, or with a record of theirs in this batch:
        // then removed twice, harmlessly).
        for customer in &self.stored_customers {
            if !state.customers.contains_key(customer) {
                batch
                    .states
                    .push((format!("{CUSTOMER_KEY_PREFIX}{customer}"), None));
            }
        }

        let mut active_keys = HashSet::new();
        for alert in self.throttle.active() {
            let key = throttle_key(alert);
            // An active alert raised or updated in this batch is stored as its payload.
            let json = match at.get(&alert.alert_id) {
                Some(&i) => Some(StateJson::of_sealed(&sealed[i])),
                None if !self.stored_alerts.contains(&key) => Some(StateJson::new(alert)?),
                None => None,
            };
            if let Some(json) = json {
                batch.states.push((key.clone(), Some(json)));
            }
            active_keys.insert(key);
        }
        for key in self.stored_alerts.difference(&active_keys) {
            batch.states.push((key.clone(), None));
        }

        if let Some(position) = position {
            for sub in &self.subscriptions {
                batch.checkpoints.push(Checkpoint {
                    subscription: sub.name.clone(),
                    position: position.clone(),
                });
            }
        }
        for s in sealed {
            let Some(sub) = self.subscriptions.get(&s.alert().subscription) else {
                continue;
            };
            let not_before = match sub.digest {
                Some(every) if can_batch(&sub.destination) => {
                    digest_interval(every, s.alert().last_seen).end
                }
                _ => Timestamp::MIN,
            };
            batch.alerts.push((s, sub.destination.clone(), not_before));
        }

        for customer in touched {
            if self.evaluator.state().customers.contains_key(&customer) {
                self.stored_customers.insert(customer);
            }
        }
        self.stored_customers
            .retain(|c| self.evaluator.state().customers.contains_key(c));
        self.stored_alerts = active_keys;
        Ok(batch)
    }
}

/// Writes `batch` in one store transaction.
fn record(store: &mut Store, batch: &Batch) -> Result<Processed> {
    let mut recording = store.begin()?;
    for (alert, destination, not_before) in &batch.alerts {
        recording.sealed_alert_at(alert, std::slice::from_ref(destination), *not_before)?;
    }
    for (key, value) in &batch.states {
        match value {
            Some(json) => recording.state_json(key, json)?,
            None => recording.remove_state(key)?,
        }
    }
    for checkpoint in &batch.checkpoints {
        recording.checkpoint(checkpoint)?;
    }
    let mut processed = batch.processed;
    processed.recorded = recording.commit()?;
    Ok(processed)
}

/// The state key of an active alert: a hash of its (subscription, customer, rule).
fn throttle_key(alert: &Alert) -> String {
    let mut key = Vec::new();
    for part in [
        alert.subscription.as_str(),
        alert.customer_id.as_deref().unwrap_or("\u{0}none"),
        alert.rule.as_str(),
    ] {
        key.extend_from_slice(&(part.len() as u64).to_le_bytes());
        key.extend_from_slice(part.as_bytes());
    }
    format!("{THROTTLE_KEY_PREFIX}{:016x}", xxh3_64(&key))
}

/// What delivery needs of a queued alert to batch it, read without the records.
#[derive(Deserialize)]
struct AlertHead {
    subscription: String,
    last_seen: Timestamp,
}

/// Delivers the due rows of `store`'s outbox, as [`Engine::deliver`] does. Without
/// `subscriptions` every row goes on its own (a retry of dead digest rows, for one).
///
/// # Errors
///
/// As [`Engine::deliver`].
pub fn deliver_outbox(
    store: &Store,
    subscriptions: Option<&Subscriptions>,
    deliverer: &Deliverer,
) -> Result<DeliveryReport> {
    let digests: HashMap<&str, &Subscription> = subscriptions
        .into_iter()
        .flatten()
        .filter(|s| s.digest.is_some() && can_batch(&s.destination))
        .map(|s| (s.name.as_str(), s))
        .collect();
    let mut report = DeliveryReport::default();
    let mut attempted: HashSet<i64> = HashSet::new();
    loop {
        let due: Vec<Delivery> = store
            .due(
                deliverer.now(),
                DELIVERY_PAGE + attempted.len().min(DELIVERY_PAGE),
            )?
            .into_iter()
            .filter(|d| !attempted.contains(&d.id))
            .collect();
        if due.is_empty() {
            break;
        }
        attempted.extend(due.iter().map(|d| d.id));
        let mut singles = Vec::new();
        // (destination, interval start) → rows.
        let mut batches: BTreeMap<(String, Timestamp), (&Subscription, Vec<Delivery>)> =
            BTreeMap::new();
        for delivery in due {
            let head = if digests.is_empty() {
                None
            } else {
                serde_json::from_str::<AlertHead>(&delivery.payload).ok()
            };
            match head.and_then(|h| digests.get(h.subscription.as_str()).map(|s| (h, *s))) {
                Some((head, sub)) => {
                    let every = sub.digest.unwrap_or(super::subscriptions::DEFAULT_COOLDOWN);
                    let start = digest_interval(every, head.last_seen).start;
                    batches
                        .entry((delivery.destination_json.clone(), start))
                        .or_insert_with(|| (sub, Vec::new()))
                        .1
                        .push(delivery);
                }
                None => singles.push(delivery),
            }
        }
        report.merge(deliverer.deliver(store, singles)?);
        for ((_, start), (sub, rows)) in batches {
            let every = sub.digest.unwrap_or(super::subscriptions::DEFAULT_COOLDOWN);
            let digest = digest_of(&rows, digest_interval(every, start));
            report.merge(deliverer.deliver_digest(store, &rows, &digest)?);
        }
    }
    Ok(report)
}

/// The digest of these rows: each alert once, in its latest state, by `last_seen` then id; the
/// key derived from every row's idempotency key.
fn digest_of(rows: &[Delivery], window: super::Window) -> Digest {
    let mut latest: BTreeMap<String, Alert> = BTreeMap::new();
    for row in rows {
        let Ok(alert) = row.alert() else { continue };
        match latest.get(&alert.alert_id) {
            Some(known) if known.updates >= alert.updates => {}
            _ => {
                latest.insert(alert.alert_id.clone(), alert);
            }
        }
    }
    let mut alerts: Vec<Alert> = latest.into_values().collect();
    alerts.sort_by(|a, b| (a.last_seen, &a.alert_id).cmp(&(b.last_seen, &b.alert_id)));
    let mut keys: Vec<&str> = rows.iter().map(|r| r.idempotency_key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    Digest {
        v: PAYLOAD_VERSION,
        idempotency_key: format!("{:016x}", xxh3_64(keys.join(",").as_bytes())),
        window,
        alerts,
    }
}
