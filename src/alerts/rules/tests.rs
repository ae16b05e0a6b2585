use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;
use crate::alerts::LabelHit;
use crate::lexicon::Lexicon;

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::embedded().expect("the embedded lexicon loads"))
}

/// Subscriptions from `[[subscription]]` bodies without destinations (stdout is added).
fn subs(bodies: &[&str]) -> Subscriptions {
    let text: String = bodies
        .iter()
        .map(|b| format!("[[subscription]]\n{b}\ndestination = {{ type = \"stdout\" }}\n\n"))
        .collect();
    Subscriptions::parse(&text, "test.toml", lexicon()).unwrap_or_else(|e| panic!("{e}"))
}

const T0: &str = "2026-03-02T00:00:00Z";

fn at(seconds: i64) -> Timestamp {
    T0.parse::<Timestamp>()
        .unwrap()
        .checked_add(jiff::SignedDuration::from_secs(seconds))
        .unwrap()
}

const H: i64 = 3600;
const D: i64 = 86_400;

/// A record of `customer` at `t` seconds after [`T0`] with these labels.
fn ev(id: &str, customer: &str, t: i64, labels: &[&str]) -> Event {
    Event {
        id: id.into(),
        customer_id: (!customer.is_empty()).then(|| customer.to_owned()),
        channel: Some("chat".into()),
        lang: "he".into(),
        timestamp: at(t),
        sentiment: 0.0,
        sentiment_label: "neutral".into(),
        labels: labels
            .iter()
            .map(|l| LabelHit {
                label: (*l).into(),
                score: 0.8,
                evidence: Vec::new(),
            })
            .collect(),
        churn_risk: 0.2,
        text: format!("text of {id}"),
        meta: serde_json::Map::new(),
    }
}

fn negative(mut e: Event, channel: &str) -> Event {
    e.channel = Some(channel.into());
    e.sentiment = -0.6;
    e.sentiment_label = "negative".into();
    e
}

fn shared(e: Event) -> SharedEvent {
    SharedEvent::new(e)
}

/// Every trigger of a stream: (index of the record that fired, subscription, record ids).
fn run(evaluator: &mut Evaluator, events: &[Event]) -> Vec<(usize, String, Vec<String>)> {
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        for t in evaluator.observe(&SharedEvent::new(e.clone())) {
            let ids = t.record_ids().into_iter().map(String::from).collect();
            out.push((i, t.subscription, ids));
        }
    }
    out
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn record_rule_needs_every_condition() {
    let s = subs(&[
        "name = \"cancel\"\nrule = { kind = \"record\", label = \"churn.cancel_intent\" }",
        "name = \"risky-churn\"\nrule = { kind = \"record\", label_prefix = \"churn.\", min_churn_risk = 0.7 }",
    ]);
    let mut risky = ev("3", "c1", 2 * H, &["churn.switch_competitor"]);
    risky.churn_risk = 0.7;
    let events = [
        ev("1", "c1", 0, &["churn.cancel_intent"]),
        ev("2", "", H, &["complaint.billing"]),
        risky,
        ev("4", "", 3 * H, &["churn.cancel_intent"]),
    ];
    let got = run(&mut Evaluator::new(&s), &events);
    assert_eq!(
        got,
        [
            (0, "cancel".into(), ids(&["1"])),
            (2, "risky-churn".into(), ids(&["3"])),
            (3, "cancel".into(), ids(&["4"])),
        ]
    );
}

const WINDOW: &str = "name = \"billing\"\nrule = { kind = \"window\", label = \"complaint.billing\", count = 3, within = \"14d\" }";

#[test]
fn window_rule_includes_a_record_exactly_within_before() {
    let s = subs(&[WINDOW]);
    let billing = ["complaint.billing"];
    // Day 0, 7 and 14 to the second: the first is exactly 14 days before the third, and counts.
    let events = [
        ev("a", "c1", 0, &billing),
        ev("b", "c1", 7 * D, &billing),
        ev("c", "c1", 14 * D, &billing),
    ];
    assert_eq!(
        run(&mut Evaluator::new(&s), &events),
        [(2, "billing".into(), ids(&["a", "b", "c"]))]
    );
    // One second later, it is out; the next record brings the count back to three.
    let events = [
        ev("a", "c1", 0, &billing),
        ev("b", "c1", 7 * D, &billing),
        ev("c", "c1", 14 * D + 1, &billing),
        ev("d", "c1", 15 * D, &billing),
        ev("e", "c1", 16 * D, &billing),
    ];
    assert_eq!(
        run(&mut Evaluator::new(&s), &events),
        [
            (3, "billing".into(), ids(&["b", "c", "d"])),
            (4, "billing".into(), ids(&["b", "c", "d", "e"])),
        ]
    );
}

#[test]
fn window_rule_keeps_customers_and_labels_apart_and_respects_filters() {
    let s = subs(&[&format!(
        "{WINDOW}\nsegment = {{ field = \"segment\", values = [\"business\"] }}"
    )]);
    let business = |mut e: Event| {
        e.meta
            .insert("segment".into(), serde_json::json!("business"));
        e
    };
    let billing = ["complaint.billing"];
    let events = [
        business(ev("1", "c1", 0, &billing)),
        business(ev("2", "c2", H, &billing)),
        business(ev("3", "c1", 2 * H, &["complaint.pricing"])),
        ev("4", "c1", 3 * H, &billing), // no segment: invisible to the subscription
        business(ev("5", "c2", 4 * H, &billing)),
        business(ev("6", "", 5 * H, &billing)), // no customer
        business(ev("7", "c1", 6 * H, &billing)),
        business(ev("8", "c1", 7 * H, &billing)),
    ];
    assert_eq!(
        run(&mut Evaluator::new(&s), &events),
        [(7, "billing".into(), ids(&["1", "7", "8"]))]
    );
}

#[test]
fn a_record_seen_twice_counts_once() {
    let s = subs(&[WINDOW]);
    let billing = ["complaint.billing"];
    let events = [
        ev("1", "c1", 0, &billing),
        ev("2", "c1", H, &billing),
        ev("2", "c1", H, &billing),
        ev("3", "c1", 2 * H, &billing),
    ];
    assert_eq!(
        run(&mut Evaluator::new(&s), &events),
        [(3, "billing".into(), ids(&["1", "2", "3"]))]
    );
}

const SEQUENCE: &str = "name = \"churn-after-complaint\"\nrule = { kind = \"sequence\", first = \"complaint.\", then = \"churn.\", within = \"30d\" }";

#[test]
fn sequence_fires_only_in_order_within_the_window() {
    let s = subs(&[SEQUENCE]);
    let events = [
        // c1: complaint, then churn 10 days later: fires.
        ev("1", "c1", 0, &["complaint.billing"]),
        ev("2", "c1", 10 * D, &["churn.cancel_intent"]),
        // c2: churn first, then a complaint: the wrong order, nothing.
        ev("3", "c2", 0, &["churn.cancel_intent"]),
        ev("4", "c2", D, &["complaint.billing"]),
        // c3: one record with both: not a sequence.
        ev("5", "c3", 0, &["complaint.billing", "churn.cancel_intent"]),
        // c4: 30 days and a second apart: too late.
        ev("6", "c4", 0, &["complaint.refund"]),
        ev("7", "c4", 30 * D + 1, &["churn.switch_competitor"]),
        // c5: the complaint belongs to another customer.
        ev("8", "c6", 0, &["complaint.billing"]),
        ev("9", "c5", D, &["churn.cancel_intent"]),
    ];
    let mut sorted = events.to_vec();
    sorted.sort_by_key(|e| e.timestamp);
    let got = run(&mut Evaluator::new(&s), &sorted);
    let fired: Vec<Vec<String>> = got.into_iter().map(|(_, _, ids)| ids).collect();
    assert_eq!(fired, [ids(&["1", "2"])]);
    // Exactly 30 days apart is within.
    let events = [
        ev("1", "c1", 0, &["complaint.billing"]),
        ev("2", "c1", 30 * D, &["churn.cancel_intent"]),
    ];
    assert_eq!(run(&mut Evaluator::new(&s), &events).len(), 1);
}

const CHANNELS: &str = "name = \"negative-channels\"\nrule = { kind = \"channels\", sentiment = \"negative\", channels = 2, within = \"48h\" }";

#[test]
fn channels_rule_counts_distinct_channels() {
    let s = subs(&[CHANNELS]);
    let events = [
        negative(ev("1", "c1", 0, &[]), "chat"),
        negative(ev("2", "c1", H, &[]), "chat"), // same channel
        ev("3", "c1", 2 * H, &[]),               // not negative
        negative(ev("4", "c2", 3 * H, &[]), "email"), // another customer
        negative(ev("5", "c1", 48 * H, &[]), "email"), // 48h after the first: inclusive
        negative(ev("6", "c3", 0, &[]), "chat"),
    ];
    let mut sorted = events.to_vec();
    sorted.sort_by_key(|e| e.timestamp);
    let got = run(&mut Evaluator::new(&s), &sorted);
    let fired: Vec<Vec<String>> = got.into_iter().map(|(_, _, ids)| ids).collect();
    assert_eq!(fired, [ids(&["1", "2", "5"])]);
    // 48 hours and a second after the last chat: no longer within.
    let events = [
        negative(ev("1", "c1", 0, &[]), "chat"),
        negative(ev("2", "c1", 48 * H + 1, &[]), "phone"),
    ];
    assert!(run(&mut Evaluator::new(&s), &events).is_empty());
}

const SPIKE: &str = "name = \"billing-spike\"\nrule = { kind = \"spike\", label = \"complaint.billing\", interval = \"day\" }";

#[test]
fn spike_fires_once_when_the_bucket_passes_the_test() {
    let s = subs(&[SPIKE]);
    let mut events = Vec::new();
    // One a day for four days: the baseline (mean 1, expected 2 with the prior).
    for day in 0..4 {
        events.push(ev(
            &format!("d{day}"),
            "",
            day * D + H,
            &["complaint.billing"],
        ));
    }
    // Day 4: fifteen. P(X ≥ 8 | 2) ≈ 0.0011, P(X ≥ 9 | 2) ≈ 0.00024: the ninth fires.
    for i in 0..15 {
        events.push(ev(
            &format!("s{i}"),
            "",
            4 * D + H + i,
            &["complaint.billing"],
        ));
    }
    // Other labels do not count.
    events.push(ev("other", "", 4 * D + 2 * H, &["complaint.pricing"]));
    // Day 5: one; day 9 after a gap: one.
    events.push(ev("d5", "", 5 * D + H, &["complaint.billing"]));
    events.push(ev("d9", "", 9 * D + H, &["complaint.billing"]));
    let mut evaluator = Evaluator::new(&s);
    let mut triggers = Vec::new();
    for (i, e) in events.iter().enumerate() {
        for t in evaluator.observe(&SharedEvent::new(e.clone())) {
            triggers.push((i, t));
        }
    }
    assert_eq!(triggers.len(), 1, "{triggers:#?}");
    let (i, t) = &triggers[0];
    assert_eq!(events[*i].id, "s8");
    let spike = t.spike.as_ref().unwrap();
    assert_eq!(spike.count, 9);
    assert_eq!(spike.bucket, "2026-03-06".parse::<Date>().unwrap());
    assert!((spike.baseline - 1.0).abs() < 1e-9);
    assert_eq!(t.customer_id, None);
    assert_eq!(t.events.len(), 9);
    assert_eq!(t.window.start, at(4 * D));
    assert_eq!(t.rule, "spike of complaint.billing per day");
    // The history: days 0–5, then 0s for days 6–8 (the window keeps the last 8 buckets).
    let state = &evaluator.export().spikes["billing-spike"];
    assert_eq!(state.history, [1, 1, 1, 15, 1, 0, 0, 0]);
    assert_eq!(state.count, 1);
}

#[test]
fn state_is_pruned_by_the_longest_window() {
    let s = subs(&[WINDOW, CHANNELS]);
    let mut evaluator = Evaluator::new(&s);
    assert_eq!(
        evaluator.longest_lookback(),
        Some(Duration::from_secs(14 * D as u64))
    );
    evaluator.observe(&shared(ev("1", "c1", 0, &["complaint.billing"])));
    evaluator.observe(&shared(ev("2", "c2", D, &["complaint.billing"])));
    evaluator.observe(&shared(ev("3", "c2", 15 * D + 1, &["complaint.billing"])));
    // c2's first record is pruned as its second arrives; c1 is pruned by the global prune.
    assert_eq!(evaluator.export().customers.len(), 2);
    assert_eq!(evaluator.export().customers["c2"].len(), 1);
    evaluator.prune();
    let state = evaluator.export();
    assert_eq!(state.customers.keys().collect::<Vec<_>>(), ["c2"]);
    // A record no rule looks back at is not kept.
    evaluator.observe(&shared(ev("4", "c9", 15 * D + 1, &["churn.cancel_intent"])));
    assert!(!evaluator.export().customers.contains_key("c9"));
}

fn trigger(subscription: &str, customer: &str, events: Vec<Event>) -> Trigger {
    let events: Vec<SharedEvent> = events.into_iter().map(SharedEvent::new).collect();
    let at = events.last().unwrap().timestamp;
    Trigger {
        subscription: subscription.into(),
        rule: "3 × complaint.billing in 14d".into(),
        customer_id: Some(customer.into()),
        window: span(&events),
        at,
        events,
        spike: None,
    }
}

#[test]
fn throttle_updates_within_the_cooldown_and_raises_after_it() {
    let s = subs(&[&format!("{WINDOW}\ncooldown = \"24h\"")]);
    let mut throttle = Throttle::new(&s);
    let b = ["complaint.billing"];
    let (e1, e2, e3) = (
        ev("1", "c1", 0, &b),
        ev("2", "c1", H, &b),
        ev("3", "c1", 2 * H, &b),
    );
    let first = match throttle.apply(trigger("billing", "c1", vec![e1.clone(), e2.clone()])) {
        Throttled::Raised(a) => a,
        other => panic!("{other:?}"),
    };
    assert_eq!(first.updates, 0);
    assert_eq!(first.first_seen, at(H));
    assert_eq!(
        first.alert_id,
        alert_id("billing", Some("c1"), &first.rule, at(H))
    );
    assert_eq!(first.idempotency_key, idempotency_key(&first.alert_id, 0));
    // Another customer: its own alert.
    let other = throttle.apply(trigger("billing", "c2", vec![ev("9", "c2", H, &b)]));
    assert!(matches!(other, Throttled::Raised(ref a) if a.alert_id != first.alert_id));
    // Within the cooldown: the same alert, updated.
    let updated = match throttle.apply(trigger(
        "billing",
        "c1",
        vec![e1.clone(), e2.clone(), e3.clone()],
    )) {
        Throttled::Updated(a) => a,
        other => panic!("{other:?}"),
    };
    assert_eq!(updated.alert_id, first.alert_id);
    assert_eq!(updated.updates, 1);
    assert_ne!(updated.idempotency_key, first.idempotency_key);
    assert_eq!(updated.last_seen, at(2 * H));
    assert_eq!(updated.first_seen, at(H));
    assert_eq!(updated.records.len(), 3);
    assert_eq!(updated.window.start, at(0));
    // Nothing new: unchanged.
    assert_eq!(
        throttle.apply(trigger("billing", "c1", vec![e2.clone(), e3.clone()])),
        Throttled::Unchanged(first.alert_id.clone())
    );
    // State exported and imported: the next update continues the same alert.
    let state: ThrottleState =
        serde_json::from_str(&serde_json::to_string(&throttle.export()).unwrap()).unwrap();
    let mut restarted = Throttle::new(&s);
    restarted.import(state);
    let e4 = ev("4", "c1", 24 * H + H - 1, &b);
    let again = match restarted.apply(trigger("billing", "c1", vec![e3.clone(), e4.clone()])) {
        Throttled::Updated(a) => a,
        other => panic!("{other:?}"),
    };
    assert_eq!(again.alert_id, first.alert_id);
    assert_eq!(again.updates, 2);
    assert_eq!(again.idempotency_key, idempotency_key(&first.alert_id, 2));
    // At first_seen + cooldown exactly: a new alert with a new id.
    let e5 = ev("5", "c1", 25 * H, &b);
    let new = match restarted.apply(trigger("billing", "c1", vec![e4, e5])) {
        Throttled::Raised(a) => a,
        other => panic!("{other:?}"),
    };
    assert_ne!(new.alert_id, first.alert_id);
    assert_eq!(new.updates, 0);
    assert_eq!(new.first_seen, at(25 * H));
    // Pruning drops only alerts whose cooldown is over.
    restarted.prune(at(26 * H));
    let kept: Vec<String> = restarted
        .export()
        .active
        .into_iter()
        .map(|a| a.alert_id)
        .collect();
    assert_eq!(kept, [new.alert_id]);
}

#[test]
fn digest_groups_per_destination_and_interval() {
    let text = r#"
[[subscription]]
name = "a"
rule = { kind = "record", label = "churn.cancel_intent" }
destination = { type = "webhook", url = "http://127.0.0.1:9/hook" }
digest = "1h"

[[subscription]]
name = "b"
rule = { kind = "record", label = "complaint.billing" }
destination = { type = "webhook", url = "http://127.0.0.1:9/hook" }
digest = "1h"

[[subscription]]
name = "c"
rule = { kind = "record", label = "complaint.billing" }
destination = { type = "webhook", url = "http://127.0.0.1:9/other" }
digest = "1h"

[[subscription]]
name = "now"
rule = { kind = "record", label = "complaint.billing" }
destination = { type = "stdout" }
"#;
    let s = Subscriptions::parse(text, "t.toml", lexicon()).unwrap();
    let mut throttle = Throttle::new(&s);
    let mut alert = |sub: &str, customer: &str, t: i64| -> Alert {
        let mut tr = trigger(sub, customer, vec![ev(customer, customer, t, &[])]);
        tr.rule = sub.into();
        match throttle.apply(tr) {
            Throttled::Raised(a) => a,
            other => panic!("{other:?}"),
        }
    };
    let pending = [
        alert("a", "c1", 10 * 60),
        alert("b", "c2", 50 * 60),
        alert("a", "c3", 70 * 60),
        alert("c", "c4", 20 * 60),
        alert("now", "c5", 5 * 60),
        alert("now", "c6", 5 * 60),
    ];
    let with_subs: Vec<(&Subscription, Alert)> = pending
        .iter()
        .map(|a| (s.get(&a.subscription).unwrap(), a.clone()))
        .collect();
    let batches = digest(with_subs);
    let mut shape: Vec<(Timestamp, Vec<Option<String>>)> = batches
        .iter()
        .map(|b| {
            (
                b.due,
                b.alerts.iter().map(|a| a.customer_id.clone()).collect(),
            )
        })
        .collect();
    // Batches due at the same time to the same destination come in alert-id order: compare
    // those by content.
    shape[..2].sort();
    let c = |s: &str| Some(s.to_owned());
    assert_eq!(
        shape,
        [
            (at(5 * 60), vec![c("c5")]),
            (at(5 * 60), vec![c("c6")]),
            (at(H), vec![c("c1"), c("c2")]),
            (at(H), vec![c("c4")]),
            (at(2 * H), vec![c("c3")]),
        ]
    );
    assert_eq!(
        batches[2].window,
        Window {
            start: at(0),
            end: at(H)
        }
    );
    assert_eq!(batches[2].destination, s.get("a").unwrap().destination);
    assert_eq!(batches[3].destination, s.get("c").unwrap().destination);
}

/// Subscriptions of every kind with short windows, for the property test.
fn every_kind() -> Subscriptions {
    subs(&[
        "name = \"record\"\nrule = { kind = \"record\", label_prefix = \"churn.\" }",
        "name = \"window\"\nrule = { kind = \"window\", label_prefix = \"complaint.\", count = 2, within = \"36h\" }\ncooldown = \"12h\"",
        "name = \"sequence\"\nrule = { kind = \"sequence\", first = \"complaint.billing\", then = \"churn.\", within = \"3d\" }",
        "name = \"channels\"\nrule = { kind = \"channels\", sentiment = \"negative\", channels = 2, within = \"20h\" }\nchannels = [\"chat\", \"email\", \"phone\"]",
        "name = \"spike\"\nrule = { kind = \"spike\", label = \"complaint.billing\", interval = \"day\", min_count = 2, history = 2 }",
    ])
}

fn arbitrary_stream() -> impl Strategy<Value = Vec<Event>> {
    let labels = [
        "complaint.billing",
        "complaint.pricing",
        "churn.cancel_intent",
    ];
    let record = (
        0u8..4,
        0i64..12 * H,
        proptest::sample::subsequence(labels.to_vec(), 0..=2),
        0usize..4,
        any::<bool>(),
    );
    proptest::collection::vec(record, 0..60).prop_map(|records| {
        let mut t = 0;
        let mut out = Vec::new();
        for (i, (customer, gap, labels, channel, neg)) in records.into_iter().enumerate() {
            t += gap;
            let customer = if customer == 3 {
                String::new()
            } else {
                format!("c{customer}")
            };
            let mut e = ev(&format!("r{i}"), &customer, t, &labels);
            e.channel = ["chat", "email", "phone", "sms"]
                .get(channel)
                .map(|c| (*c).into());
            if neg {
                e.sentiment_label = "negative".into();
            }
            e.churn_risk = (i % 10) as f64 / 10.0;
            out.push(e);
        }
        out
    })
}

/// The alerts a stream gives, evaluating it in one go or in two parts with the state exported
/// (as JSON) and imported into fresh components in between.
fn alerts_of(events: &[Event], split: Option<usize>) -> Vec<Throttled> {
    let s = every_kind();
    let mut evaluator = Evaluator::new(&s);
    let mut throttle = Throttle::new(&s);
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if Some(i) == split {
            evaluator.prune();
            throttle.prune(e.timestamp);
            let state = serde_json::to_string(&evaluator.export()).unwrap();
            let throttled = serde_json::to_string(&throttle.export()).unwrap();
            evaluator = Evaluator::new(&s);
            evaluator.import(serde_json::from_str(&state).unwrap());
            throttle = Throttle::new(&s);
            throttle.import(serde_json::from_str(&throttled).unwrap());
        }
        for t in evaluator.observe(&SharedEvent::new(e.clone())) {
            out.push(throttle.apply(t));
        }
    }
    out
}

proptest! {
    #[test]
    fn evaluating_in_two_parts_with_state_carried_over_equals_one_go(
        events in arbitrary_stream(),
        cut in 0.0f64..1.0,
    ) {
        let split = (events.len() as f64 * cut) as usize;
        let whole = alerts_of(&events, None);
        let parts = alerts_of(&events, Some(split));
        prop_assert_eq!(whole, parts);
    }
}

#[test]
fn the_property_test_streams_do_fire() {
    // Guard against a vacuous property: a fixed stream of the same shape fires every kind.
    let mut events = Vec::new();
    for i in 0..12 {
        let mut e = ev(&format!("r{i}"), "c1", i * 6 * H, &["complaint.billing"]);
        e.sentiment_label = "negative".into();
        e.channel = Some(if i % 2 == 0 { "chat" } else { "email" }.into());
        events.push(e);
    }
    events.push(ev("churn", "c1", 72 * H, &["churn.cancel_intent"]));
    // Day 3: a burst of billing complaints from unknown customers (four a day before).
    for i in 0..15 {
        events.push(ev(
            &format!("b{i}"),
            "",
            72 * H + 60 * i,
            &["complaint.billing"],
        ));
    }
    let s = every_kind();
    let mut evaluator = Evaluator::new(&s);
    let fired: BTreeSet<String> = events
        .iter()
        .flat_map(|e| evaluator.observe(&SharedEvent::new(e.clone())))
        .map(|t| t.subscription)
        .collect();
    assert_eq!(
        fired.into_iter().collect::<Vec<_>>(),
        ["channels", "record", "sequence", "spike", "window"]
    );
}
