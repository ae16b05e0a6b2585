//! Rule evaluation: classified records in, triggers out; then throttling and digests.
//!
//! Everything here is pure and deterministic, and knows nothing of storage: the state an
//! [`Evaluator`] or a [`Throttle`] keeps can be exported as serde data ([`EvaluatorState`],
//! [`ThrottleState`]) and imported into a fresh one, so a store can persist it and a restart loses
//! nothing. Time is the records' time (their `timestamp`), never the clock, so evaluating the same
//! records again gives the same triggers and the same alert ids.
//!
//! - [`Evaluator::observe`] takes one [`Event`] at a time, in time order, and returns the
//!   [`Trigger`]s it causes. A record that fails a subscription's filters is invisible to it.
//!   - record rule: the record itself matches.
//!   - window rule: the record matches, and with the earlier matching records of its customer no
//!     older than `within` before it (inclusive: exactly `within` earlier still counts) there are
//!     at least `count`. It fires again on every further matching record while that holds; the
//!     throttle turns those into updates of one alert.
//!   - sequence rule: the record matches `then`, and an earlier record of the same customer
//!     (observed before it, another record) matches `first` at most `within` before it
//!     (inclusive). A record carrying both signals does not pair with itself.
//!   - channels rule: the record has the sentiment and a channel, and the customer's records with
//!     that sentiment within `within` (inclusive) span at least `channels` distinct channels.
//!   - spike rule: see [`Evaluator`], "Spikes".
//!
//!   Records without a customer id take part in record and spike rules only. A record id seen
//!   again for the same customer replaces the earlier copy (it is counted once).
//! - [`Throttle::apply`] turns triggers into alerts: one per (subscription, customer, rule) per
//!   cooldown, later triggers within it updating that alert.
//! - [`digest`] groups pending alerts into deliveries per destination and interval.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use super::subscriptions::{DEFAULT_COOLDOWN, Duration, Rule, Subscription, Subscriptions};
use super::{Alert, Destination, Event, PAYLOAD_VERSION, SharedEvent, Window};
use crate::index::trends::{Interval, SpikeTest};

/// The most records a spike trigger carries (the latest of its bucket).
pub const SPIKE_SAMPLE: usize = 20;

/// The most records an alert carries; older ones are dropped first when updates add more.
pub const MAX_ALERT_RECORDS: usize = 200;

/// A bucket's count when a spike rule fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpikeCount {
    /// The first day (UTC) of the bucket.
    pub bucket: Date,
    /// The label's records in it so far.
    pub count: u64,
    /// The baseline mean of the buckets before it.
    pub baseline: f64,
    /// P(X ≥ count) under the baseline (see [`SpikeTest`]).
    pub p_value: f64,
}

/// A rule that fired: which subscription, for whom, on which records.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    /// The subscription's name.
    pub subscription: String,
    /// The rule in words ([`Rule::describe`]).
    pub rule: String,
    /// The customer (none for spikes and for record rules on records without one).
    pub customer_id: Option<String>,
    /// The triggering records, oldest first; the record that fired the rule is the last.
    pub events: Vec<SharedEvent>,
    /// The time the records span (for a spike: from the bucket's start).
    pub window: Window,
    /// When it fired: the time of the record that fired it.
    pub at: Timestamp,
    /// For a spike, the count that fired it.
    pub spike: Option<SpikeCount>,
}

impl Trigger {
    /// The ids of the triggering records.
    pub fn record_ids(&self) -> Vec<&str> {
        self.events.iter().map(|e| e.id.as_str()).collect()
    }
}

/// The counts of one spike subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpikeState {
    /// The first day (UTC) of the current bucket.
    pub bucket: Date,
    /// The label's records in it so far.
    pub count: u64,
    /// The counts of the buckets before it, oldest first (at most the test's window).
    pub history: Vec<u64>,
    /// Whether the current bucket has fired.
    pub fired: bool,
    /// Its latest records (at most [`SPIKE_SAMPLE`]).
    pub sample: Vec<SharedEvent>,
}

/// What an [`Evaluator`] remembers between records, as plain data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EvaluatorState {
    /// Per customer, the records some per-customer rule may still look back at, in the order
    /// observed.
    pub customers: BTreeMap<String, Vec<SharedEvent>>,
    /// Per spike subscription, its bucket counts.
    pub spikes: BTreeMap<String, SpikeState>,
    /// The latest record time observed.
    pub watermark: Option<Timestamp>,
}

/// Evaluates the rules of a set of subscriptions over records in time order.
///
/// # Spikes
///
/// A spike rule counts, per bucket of its interval (UTC days, Monday weeks, calendar months, in
/// record time), the records that pass the filters and carry its label. The first such record of
/// a later bucket closes the current one: its count joins the history, with a 0 for each empty
/// bucket in between. The rule fires once per bucket, on the record that brings the current
/// bucket's count to the first value [`SpikeTest::check`] flags against the history (the test is
/// monotone in the count, so that is the moment the bucket becomes a spike); later records of the
/// same bucket do not fire again, and closing a bucket never fires. Records of a bucket already
/// closed (out of time order) are not counted. The trigger carries the bucket's latest records
/// (at most [`SPIKE_SAMPLE`]) and its count.
#[derive(Debug, Clone)]
pub struct Evaluator {
    subscriptions: Vec<Subscription>,
    /// The longest lookback of the per-customer rules.
    longest: Option<Duration>,
    state: EvaluatorState,
}

impl Evaluator {
    /// An evaluator of these subscriptions, with no state.
    pub fn new(subscriptions: &Subscriptions) -> Evaluator {
        let subscriptions: Vec<Subscription> = subscriptions.iter().cloned().collect();
        let longest = subscriptions.iter().filter_map(|s| s.rule.lookback()).max();
        Evaluator {
            subscriptions,
            longest,
            state: EvaluatorState::default(),
        }
    }

    /// The longest window a per-customer rule looks back (records older than this before the
    /// latest one are dropped from the state).
    pub fn longest_lookback(&self) -> Option<Duration> {
        self.longest
    }

    /// The current state (see [`Evaluator::prune`] to shrink it first).
    pub fn export(&self) -> EvaluatorState {
        self.state.clone()
    }

    /// The current state, borrowed (for persisting parts of it without a copy of the whole).
    pub fn state(&self) -> &EvaluatorState {
        &self.state
    }

    /// Replaces the state with one exported earlier. State of subscriptions no longer present
    /// stays unused and goes with the next [`Evaluator::prune`].
    pub fn import(&mut self, state: EvaluatorState) {
        self.state = state;
    }

    /// Drops what no rule can use any more: customers' records older than the longest window
    /// before the latest record seen, customers left with none, and the counts of spike
    /// subscriptions that are gone.
    pub fn prune(&mut self) {
        let Some(watermark) = self.state.watermark else {
            return;
        };
        let horizon = self.horizon(watermark);
        self.state.customers.retain(|_, events| {
            events.retain(|e| horizon.is_some_and(|h| e.timestamp >= h));
            !events.is_empty()
        });
        let spikes: BTreeSet<&str> = self
            .subscriptions
            .iter()
            .filter(|s| matches!(s.rule, Rule::Spike { .. }))
            .map(|s| s.name.as_str())
            .collect();
        self.state
            .spikes
            .retain(|name, _| spikes.contains(name.as_str()));
    }

    /// The earliest record time any per-customer rule can look back to from `t` (none when no
    /// rule looks back).
    fn horizon(&self, t: Timestamp) -> Option<Timestamp> {
        self.longest
            .map(|d| t.checked_sub(d.signed()).unwrap_or(Timestamp::MIN))
    }

    /// Evaluates every rule on one record; returns the triggers, in subscription order.
    pub fn observe(&mut self, event: &SharedEvent) -> Vec<Trigger> {
        let mut triggers = Vec::new();
        // Taken out of the map while the rules read it, put back (with the record) after.
        let mut history = event
            .customer_id
            .as_ref()
            .and_then(|c| self.state.customers.remove(c))
            .unwrap_or_default();
        let per_customer = event.customer_id.is_some();
        let mut keep = false;
        for sub in &self.subscriptions {
            if !sub.filters.accepts(event) {
                continue;
            }
            let earlier = |within: Duration, wanted: &dyn Fn(&Event) -> bool| -> Vec<SharedEvent> {
                let from = event
                    .timestamp
                    .checked_sub(within.signed())
                    .unwrap_or(Timestamp::MIN);
                history
                    .iter()
                    .filter(|e| {
                        e.id != event.id
                            && e.timestamp >= from
                            && e.timestamp <= event.timestamp
                            && sub.filters.accepts(e)
                            && wanted(e)
                    })
                    .cloned()
                    .collect()
            };
            let fired: Option<Vec<SharedEvent>> = match &sub.rule {
                Rule::Record {
                    label,
                    label_prefix,
                    min_churn_risk,
                } => {
                    let ok = label
                        .as_ref()
                        .is_none_or(|l| event.labels.iter().any(|h| &h.label == l))
                        && label_prefix.as_ref().is_none_or(|p| {
                            event.labels.iter().any(|h| h.label.starts_with(p.as_str()))
                        })
                        && min_churn_risk.is_none_or(|r| event.churn_risk >= r);
                    ok.then(|| vec![event.clone()])
                }
                Rule::Window {
                    labels,
                    count,
                    within,
                } if per_customer && labels.matches_event(event) => {
                    keep = true;
                    let mut events = earlier(*within, &|e| labels.matches_event(e));
                    events.push(event.clone());
                    (events.len() >= *count as usize).then_some(events)
                }
                Rule::Sequence {
                    first,
                    then,
                    within,
                } if per_customer => {
                    keep |= first.matches_event(event);
                    if then.matches_event(event) {
                        keep = true;
                        let mut events = earlier(*within, &|e| first.matches_event(e));
                        (!events.is_empty()).then(|| {
                            events.push(event.clone());
                            events
                        })
                    } else {
                        None
                    }
                }
                Rule::Channels {
                    sentiment,
                    channels,
                    within,
                } if per_customer
                    && event.channel.is_some()
                    && &event.sentiment_label == sentiment =>
                {
                    keep = true;
                    let mut events = earlier(*within, &|e| {
                        e.channel.is_some() && &e.sentiment_label == sentiment
                    });
                    events.push(event.clone());
                    let distinct: BTreeSet<&str> =
                        events.iter().filter_map(|e| e.channel.as_deref()).collect();
                    (distinct.len() >= *channels as usize).then_some(events)
                }
                Rule::Spike {
                    label,
                    interval,
                    test,
                } => {
                    if let Some(trigger) =
                        count_for_spike(&mut self.state.spikes, sub, label, *interval, test, event)
                    {
                        triggers.push(trigger);
                    }
                    None
                }
                Rule::Window { .. } | Rule::Sequence { .. } | Rule::Channels { .. } => None,
            };
            if let Some(events) = fired {
                triggers.push(Trigger {
                    subscription: sub.name.clone(),
                    rule: sub.rule.describe(),
                    customer_id: event.customer_id.clone(),
                    window: span(&events),
                    at: event.timestamp,
                    events,
                    spike: None,
                });
            }
        }
        if let Some(customer) = &event.customer_id {
            if keep {
                let horizon = self.horizon(event.timestamp);
                history.retain(|e| e.id != event.id && horizon.is_none_or(|h| e.timestamp >= h));
                history.push(event.clone());
            }
            if !history.is_empty() {
                self.state.customers.insert(customer.clone(), history);
            }
        }
        if self.state.watermark.is_none_or(|w| event.timestamp > w) {
            self.state.watermark = Some(event.timestamp);
        }
        triggers
    }
}

/// Counts the record for a spike rule when it concerns it; the trigger when the rule fires.
fn count_for_spike(
    spikes: &mut BTreeMap<String, SpikeState>,
    sub: &Subscription,
    label: &str,
    interval: Interval,
    test: &SpikeTest,
    event: &SharedEvent,
) -> Option<Trigger> {
    if !event.labels.iter().any(|h| h.label == label) {
        return None;
    }
    let bucket = interval.floor(event.timestamp.to_zoned(TimeZone::UTC).date());
    let state = spikes
        .entry(sub.name.clone())
        .or_insert_with(|| SpikeState {
            bucket,
            count: 0,
            history: Vec::new(),
            fired: false,
            sample: Vec::new(),
        });
    if bucket < state.bucket {
        return None;
    }
    if bucket > state.bucket {
        close_bucket(state, bucket, interval, test);
    }
    state.count += 1;
    state.sample.push(event.clone());
    if state.sample.len() > SPIKE_SAMPLE {
        state.sample.remove(0);
    }
    if state.fired {
        return None;
    }
    let score = test.check(&state.history, state.count)?;
    state.fired = true;
    let start = state
        .bucket
        .to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(event.timestamp);
    Some(Trigger {
        subscription: sub.name.clone(),
        rule: sub.rule.describe(),
        customer_id: None,
        events: state.sample.clone(),
        window: Window {
            start: start.min(event.timestamp),
            end: event.timestamp,
        },
        at: event.timestamp,
        spike: Some(SpikeCount {
            bucket: state.bucket,
            count: state.count,
            baseline: score.baseline,
            p_value: score.p_value,
        }),
    })
}

/// Moves a spike rule's counts on to the bucket starting on `bucket`.
fn close_bucket(state: &mut SpikeState, bucket: Date, interval: Interval, test: &SpikeTest) {
    state.history.push(state.count);
    let mut next = interval.next(state.bucket);
    let mut zeros = 0;
    while let Ok(day) = next {
        if day >= bucket || zeros >= test.window {
            break;
        }
        state.history.push(0);
        zeros += 1;
        next = interval.next(day);
    }
    let excess = state.history.len().saturating_sub(test.window.max(1));
    state.history.drain(..excess);
    state.bucket = bucket;
    state.count = 0;
    state.fired = false;
    state.sample.clear();
}

/// The time the events span.
fn span(events: &[SharedEvent]) -> Window {
    let start = events.iter().map(|e| e.timestamp).min();
    let end = events.iter().map(|e| e.timestamp).max();
    match start.zip(end) {
        Some((start, end)) => Window { start, end },
        None => Window {
            start: Timestamp::UNIX_EPOCH,
            end: Timestamp::UNIX_EPOCH,
        },
    }
}

/// The id of the alert raised for (subscription, customer, rule) by a trigger at `first`: 16 hex
/// digits of xxh3 over the four, so the same records always give the same id.
pub fn alert_id(
    subscription: &str,
    customer: Option<&str>,
    rule: &str,
    first: Timestamp,
) -> String {
    let mut key = Vec::with_capacity(subscription.len() + rule.len() + 64);
    for part in [
        subscription,
        customer.unwrap_or("\u{0}none"),
        rule,
        &first.as_nanosecond().to_string(),
    ] {
        key.extend_from_slice(&(part.len() as u64).to_le_bytes());
        key.extend_from_slice(part.as_bytes());
    }
    format!("{:016x}", xxh3_64(&key))
}

/// The idempotency key of an alert's state after `updates` updates: 16 hex digits of xxh3 over
/// both. Every delivery of the same state carries the same key.
pub fn idempotency_key(alert_id: &str, updates: u32) -> String {
    format!(
        "{:016x}",
        xxh3_64(format!("{alert_id}#{updates}").as_bytes())
    )
}

/// What the throttle made of a trigger.
#[derive(Debug, Clone, PartialEq)]
pub enum Throttled {
    /// A new alert.
    Raised(Alert),
    /// An alert still within its cooldown, updated with the trigger's new records.
    Updated(Alert),
    /// The trigger added nothing to the active alert with this id (all its records are in it).
    Unchanged(String),
}

/// What a [`Throttle`] remembers, as plain data: the alerts that may still be updated.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ThrottleState {
    /// The latest alert per (subscription, customer, rule), in that order.
    pub active: Vec<Alert>,
}

type ThrottleKey = (String, Option<String>, String);

/// One alert per (subscription, customer, rule) per cooldown.
///
/// The cooldown runs from the alert's `first_seen` (the time of the record that raised it): a
/// trigger earlier than `first_seen + cooldown` updates the alert (its new records are added,
/// `last_seen` and `updates` bumped, the `alert_id` kept, a new `idempotency_key` made for the
/// new state); a trigger at or after that raises a new alert with a new id. Times are the
/// triggers' record times.
#[derive(Debug, Clone)]
pub struct Throttle {
    cooldowns: BTreeMap<String, Duration>,
    active: BTreeMap<ThrottleKey, Alert>,
}

impl Throttle {
    /// A throttle with the cooldowns of these subscriptions (a trigger of a subscription not
    /// among them gets [`DEFAULT_COOLDOWN`]).
    pub fn new(subscriptions: &Subscriptions) -> Throttle {
        Throttle {
            cooldowns: subscriptions
                .iter()
                .map(|s| (s.name.clone(), s.cooldown))
                .collect(),
            active: BTreeMap::new(),
        }
    }

    fn cooldown(&self, subscription: &str) -> Duration {
        self.cooldowns
            .get(subscription)
            .copied()
            .unwrap_or(DEFAULT_COOLDOWN)
    }

    /// Turns a trigger into a new alert, an update of an active one, or nothing new.
    pub fn apply(&mut self, trigger: Trigger) -> Throttled {
        let key = (
            trigger.subscription.clone(),
            trigger.customer_id.clone(),
            trigger.rule.clone(),
        );
        let cooldown = self.cooldown(&trigger.subscription);
        if let Some(alert) = self.active.get_mut(&key) {
            let until = alert
                .first_seen
                .checked_add(cooldown.signed())
                .unwrap_or(Timestamp::MAX);
            if trigger.at < until {
                let known: BTreeSet<&str> = alert.records.iter().map(|e| e.id.as_str()).collect();
                let new: Vec<SharedEvent> = trigger
                    .events
                    .into_iter()
                    .filter(|e| !known.contains(e.id.as_str()))
                    .collect();
                if new.is_empty() {
                    return Throttled::Unchanged(alert.alert_id.clone());
                }
                alert.records.extend(new);
                let excess = alert.records.len().saturating_sub(MAX_ALERT_RECORDS);
                alert.records.drain(..excess);
                alert.churn_risk = alert
                    .records
                    .iter()
                    .map(|e| e.churn_risk)
                    .fold(alert.churn_risk, f64::max);
                alert.window = Window {
                    start: alert.window.start.min(trigger.window.start),
                    end: alert.window.end.max(trigger.window.end),
                };
                alert.last_seen = alert.last_seen.max(trigger.at);
                alert.updates += 1;
                alert.idempotency_key = idempotency_key(&alert.alert_id, alert.updates);
                return Throttled::Updated(alert.clone());
            }
        }
        let alert_id = alert_id(
            &trigger.subscription,
            trigger.customer_id.as_deref(),
            &trigger.rule,
            trigger.at,
        );
        let alert = Alert {
            v: PAYLOAD_VERSION,
            idempotency_key: idempotency_key(&alert_id, 0),
            alert_id,
            subscription: trigger.subscription,
            rule: trigger.rule,
            customer_id: trigger.customer_id,
            churn_risk: trigger
                .events
                .iter()
                .map(|e| e.churn_risk)
                .fold(0.0, f64::max),
            records: trigger.events,
            window: trigger.window,
            first_seen: trigger.at,
            last_seen: trigger.at,
            updates: 0,
        };
        self.active.insert(key, alert.clone());
        Throttled::Raised(alert)
    }

    /// Drops the alerts whose cooldown has ended by `now` (record time): the next trigger for them
    /// raises a new alert whether they are kept or not.
    pub fn prune(&mut self, now: Timestamp) {
        let cooldowns = &self.cooldowns;
        self.active.retain(|(subscription, _, _), alert| {
            let cooldown = cooldowns
                .get(subscription)
                .copied()
                .unwrap_or(DEFAULT_COOLDOWN);
            alert
                .first_seen
                .checked_add(cooldown.signed())
                .ok()
                .is_none_or(|until| now < until)
        });
    }

    /// The active alerts, borrowed, in (subscription, customer, rule) order.
    pub fn active(&self) -> impl Iterator<Item = &Alert> {
        self.active.values()
    }

    /// The active alerts, as plain data.
    pub fn export(&self) -> ThrottleState {
        ThrottleState {
            active: self.active.values().cloned().collect(),
        }
    }

    /// Replaces the active alerts with ones exported earlier.
    pub fn import(&mut self, state: ThrottleState) {
        self.active = state
            .active
            .into_iter()
            .map(|a| {
                (
                    (
                        a.subscription.clone(),
                        a.customer_id.clone(),
                        a.rule.clone(),
                    ),
                    a,
                )
            })
            .collect();
    }
}

/// Alerts to deliver together: one destination, one interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// Where they go.
    pub destination: Destination,
    /// The interval they were batched over (for an alert of a subscription without a digest, its
    /// `last_seen` twice).
    pub window: Window,
    /// When to send the batch: the end of the interval.
    pub due: Timestamp,
    /// The alerts, by `last_seen`, then id.
    pub alerts: Vec<Alert>,
}

/// The digest interval of length `every` that `t` falls in: epoch-aligned, `[start, start +
/// every)`.
pub fn digest_interval(every: Duration, t: Timestamp) -> Window {
    let every_s = i64::try_from(every.seconds()).unwrap_or(i64::MAX).max(1);
    let start_s = t.as_second().div_euclid(every_s) * every_s;
    let start = Timestamp::from_second(start_s).unwrap_or(t);
    let end = start.checked_add(every.signed()).unwrap_or(Timestamp::MAX);
    Window { start, end }
}

/// Groups pending alerts, each with its subscription, into deliveries.
///
/// Alerts of subscriptions with a `digest` go into epoch-aligned intervals of that length by
/// their `last_seen` (`[start, start + digest)`), one batch per destination and interval, due at
/// the interval's end; subscriptions sharing a destination and a digest length share batches.
/// An alert of a subscription without a digest is a batch of its own, due at once (`last_seen`).
/// The batches come by due time, then destination.
pub fn digest<'s>(pending: impl IntoIterator<Item = (&'s Subscription, Alert)>) -> Vec<Batch> {
    let mut groups: BTreeMap<(Timestamp, String, u64, String), Batch> = BTreeMap::new();
    for (sub, alert) in pending {
        let destination_key = format!("{:?}", sub.destination);
        let (window, due, key) = match sub.digest {
            Some(every) => {
                let window = digest_interval(every, alert.last_seen);
                (
                    window,
                    window.end,
                    (window.end, destination_key, every.seconds(), String::new()),
                )
            }
            None => (
                Window {
                    start: alert.last_seen,
                    end: alert.last_seen,
                },
                alert.last_seen,
                (alert.last_seen, destination_key, 0, alert.alert_id.clone()),
            ),
        };
        groups
            .entry(key)
            .or_insert_with(|| Batch {
                destination: sub.destination.clone(),
                window,
                due,
                alerts: Vec::new(),
            })
            .alerts
            .push(alert);
    }
    groups
        .into_values()
        .map(|mut batch| {
            batch
                .alerts
                .sort_by(|a, b| (a.last_seen, &a.alert_id).cmp(&(b.last_seen, &b.alert_id)));
            batch
        })
        .collect()
}

#[cfg(test)]
mod tests;
