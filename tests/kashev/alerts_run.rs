//! `kashev alerts run`, `status` and `retry` through the real binary: a real index in a temporary
//! directory, planted record sequences with known alert counts, real webhook receivers on
//! 127.0.0.1, and crashes at the two dangerous moments (after recording, after sending).

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::receivers::{HttpReceiver, free_port};
use crate::util::{index, jsonl, kashev, tempdir, write};

/// Exit code: nothing was delivered and nothing is failing.
const NOTHING_TO_DO: i32 = 5;
/// Exit code: deliveries failed and are pending or dead.
const FAILURES_PENDING: i32 = 6;

const BILLING: &str = "I was charged twice on my bill this month, please refund the double charge";
const BILLING_HE: &str = "חויבתי פעמיים בחשבונית החודש";
const INSTALLATION: &str = "The technician never showed up for the installation appointment";
const CANCEL: &str = "I want to cancel my subscription";
const THANKS: &str = "Thanks, everything works fine now";

/// A record `days` (may be fractional) after 2026-01-05T10:00:00Z.
fn record(id: &str, customer: &str, days: f64, text: &str) -> String {
    let seconds = 1_767_607_200 + (days * 86_400.0) as i64;
    let timestamp = jiff::Timestamp::from_second(seconds).unwrap();
    serde_json::json!({
        "id": id, "customer_id": customer, "channel": "chat",
        "timestamp": timestamp.to_string(), "text": text,
    })
    .to_string()
}

/// The planted records of the first batch. Expected:
/// - window (3 × complaint.billing in 14d): A fires on day 45 (B's three are 20 days apart): 1;
/// - sequence (churn.* after complaint.* within 30d): C (complaint day 0, cancel day 20): 1; D
///   cancels before complaining, E cancels 45 days after: none;
/// - record (churn.cancel_intent): C, D, E: 3.
fn first_batch() -> Vec<String> {
    vec![
        record("a1", "A", 35.0, BILLING),
        record("a2", "A", 40.0, BILLING_HE),
        record("a3", "A", 45.0, BILLING),
        record("b1", "B", 0.0, BILLING),
        record("b2", "B", 20.0, BILLING),
        record("b3", "B", 40.0, BILLING),
        record("c1", "C", 0.0, INSTALLATION),
        record("c2", "C", 20.0, CANCEL),
        record("d1", "D", 0.0, CANCEL),
        record("d2", "D", 5.0, INSTALLATION),
        record("e1", "E", 0.0, INSTALLATION),
        record("e2", "E", 45.0, CANCEL),
        record("f1", "F", 3.0, THANKS),
        record("f2", "F", 4.0, THANKS),
    ]
}

fn subscriptions(dir: &Path, destination: &str) -> std::path::PathBuf {
    let text = format!(
        r#"
[[subscription]]
name = "repeat-billing"
rule = {{ kind = "window", label = "complaint.billing", count = 3, within = "14d" }}
destination = {destination}
cooldown = "30d"

[[subscription]]
name = "churn-after-complaint"
rule = {{ kind = "sequence", first = "complaint.", then = "churn.", within = "30d" }}
destination = {destination}

[[subscription]]
name = "cancel-intent"
rule = {{ kind = "record", label = "churn.cancel_intent" }}
destination = {destination}
"#
    );
    write(dir, "subscriptions.toml", text)
}

/// The subscriptions of [`subscriptions`], delivering to `receiver`.
fn webhook_subscriptions(dir: &Path, receiver: &HttpReceiver) -> std::path::PathBuf {
    subscriptions(
        dir,
        &format!(r#"{{ type = "webhook", url = "{}" }}"#, receiver.url()),
    )
}

/// Writes `records` as JSONL and indexes them into `dir/ix`.
fn index_records(dir: &Path, name: &str, records: &[String]) {
    let input = write(dir, name, records.join("\n") + "\n");
    index(dir, &input, &dir.join("ix"), &["--quiet".as_ref()]);
}

fn alerts(dir: &Path, args: &[&str]) -> Output {
    kashev(dir)
        .arg("alerts")
        .args(args)
        .output()
        .expect("kashev runs")
}

fn run(dir: &Path) -> Output {
    alerts(
        dir,
        &[
            "run",
            "--subscriptions",
            "subscriptions.toml",
            "--index",
            "ix",
            "--json",
        ],
    )
}

fn run_crashing(dir: &Path, hook: &str) -> Output {
    kashev(dir)
        .env("KASHEV_TEST_CRASH", hook)
        .args([
            "alerts",
            "run",
            "--subscriptions",
            "subscriptions.toml",
            "--index",
            "ix",
        ])
        .output()
        .expect("kashev runs")
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

fn explain(out: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn status(dir: &Path) -> Value {
    let out = alerts(dir, &["status", "--index", "ix", "--json"]);
    assert_eq!(code(&out), Some(0), "{}", explain(&out));
    serde_json::from_slice(&out.stdout).expect("status is JSON")
}

/// Alerts per subscription in the ledger.
fn ledger_counts(status: &Value) -> BTreeMap<String, u64> {
    status["subscriptions"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, s)| (name.clone(), s["alerts"].as_u64().unwrap()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// Alerts per subscription in delivered payloads, each logical alert state once.
fn by_subscription(payloads: &[Value]) -> BTreeMap<String, u64> {
    let mut seen = BTreeSet::new();
    let mut out = BTreeMap::new();
    for p in payloads {
        if seen.insert(p["idempotency_key"].as_str().unwrap().to_string()) {
            *out.entry(p["subscription"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    out
}

#[test]
fn planted_sequences_fire_exactly_and_never_twice() {
    let dir = tempdir();
    let dir = dir.path();
    subscriptions(dir, r#"{ type = "file", path = "alerts.jsonl" }"#);
    index_records(dir, "first.jsonl", &first_batch());

    let out = run(dir);
    assert_eq!(code(&out), Some(0), "{}", explain(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["records"], 14);
    assert_eq!(summary["delivered"], 5);
    let delivered = jsonl(&std::fs::read(dir.join("alerts.jsonl")).unwrap());
    let expected = counts(&[
        ("cancel-intent", 3),
        ("churn-after-complaint", 1),
        ("repeat-billing", 1),
    ]);
    assert_eq!(by_subscription(&delivered), expected);
    assert_eq!(ledger_counts(&status(dir)), expected);
    let window = delivered
        .iter()
        .find(|p| p["subscription"] == "repeat-billing")
        .unwrap();
    assert_eq!(window["customer_id"], "A");
    assert_eq!(window["records"].as_array().unwrap().len(), 3);
    assert_eq!(window["updates"], 0);
    let sequence = delivered
        .iter()
        .find(|p| p["subscription"] == "churn-after-complaint")
        .unwrap();
    assert_eq!(sequence["customer_id"], "C");
    let ids: Vec<&str> = sequence["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["c1", "c2"]);
    let evidence = &sequence["records"][1]["labels"][0]["evidence"][0];
    assert_eq!(evidence["text"].as_str().map(str::is_empty), Some(false));

    // Nothing new: the second run delivers nothing and says so.
    let out = run(dir);
    assert_eq!(code(&out), Some(NOTHING_TO_DO), "{}", explain(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["records"], 0);
    assert_eq!(
        jsonl(&std::fs::read(dir.join("alerts.jsonl")).unwrap()).len(),
        5
    );

    // A fourth billing complaint of A within the cooldown: an update of the same alert, not a
    // second one. B's fourth makes no window (day 42 and day 40 only). Filler for F fires nothing.
    index_records(
        dir,
        "second.jsonl",
        &[
            record("a4", "A", 47.0, BILLING),
            record("b4", "B", 42.0, BILLING),
            record("f3", "F", 50.0, THANKS),
        ],
    );
    let out = run(dir);
    assert_eq!(code(&out), Some(0), "{}", explain(&out));
    let delivered = jsonl(&std::fs::read(dir.join("alerts.jsonl")).unwrap());
    assert_eq!(delivered.len(), 6);
    let update = &delivered[5];
    assert_eq!(update["subscription"], "repeat-billing");
    assert_eq!(update["alert_id"], window["alert_id"]);
    assert_ne!(update["idempotency_key"], window["idempotency_key"]);
    assert_eq!(update["updates"], 1);
    assert_eq!(update["records"].as_array().unwrap().len(), 4);
    assert_eq!(ledger_counts(&status(dir)), expected);

    let out = run(dir);
    assert_eq!(code(&out), Some(NOTHING_TO_DO), "{}", explain(&out));
    assert_eq!(
        jsonl(&std::fs::read(dir.join("alerts.jsonl")).unwrap()).len(),
        6
    );
}

#[test]
fn windows_reach_back_across_runs() {
    // The third complaint arrives in a later run: the window still sees the first two, kept in
    // the state store between runs.
    let dir = tempdir();
    let dir = dir.path();
    subscriptions(dir, r#"{ type = "file", path = "alerts.jsonl" }"#);
    index_records(
        dir,
        "first.jsonl",
        &[
            record("a1", "A", 0.0, BILLING),
            record("a2", "A", 5.0, BILLING),
        ],
    );
    let out = run(dir);
    assert_eq!(code(&out), Some(NOTHING_TO_DO), "{}", explain(&out));
    index_records(dir, "second.jsonl", &[record("a3", "A", 13.0, BILLING)]);
    let out = run(dir);
    assert_eq!(code(&out), Some(0), "{}", explain(&out));
    let delivered = jsonl(&std::fs::read(dir.join("alerts.jsonl")).unwrap());
    assert_eq!(
        by_subscription(&delivered),
        counts(&[("repeat-billing", 1)])
    );
    assert_eq!(delivered[0]["records"].as_array().unwrap().len(), 3);
}

#[test]
fn killed_after_recording_delivers_everything_on_restart_without_duplicates() {
    let dir = tempdir();
    let dir = dir.path();
    let receiver = HttpReceiver::start(0);
    webhook_subscriptions(dir, &receiver);
    index_records(dir, "first.jsonl", &first_batch());

    let out = run_crashing(dir, "after-record");
    assert!(!out.status.success(), "{}", explain(&out));
    assert_eq!(code(&out), None, "killed by a signal: {}", explain(&out));
    assert!(
        receiver.requests().is_empty(),
        "nothing sent before the crash"
    );
    let recorded = status(dir);
    assert_eq!(recorded["alerts"], 5);
    assert_eq!(recorded["pending"], 5);

    let out = run(dir);
    assert_eq!(code(&out), Some(0), "{}", explain(&out));
    let payloads: Vec<Value> = receiver
        .requests()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(payloads.len(), 5);
    let keys: BTreeSet<&str> = payloads
        .iter()
        .map(|p| p["idempotency_key"].as_str().unwrap())
        .collect();
    assert_eq!(keys.len(), 5, "no alert sent twice");
    let after = status(dir);
    assert_eq!(after["alerts"], 5, "the ledger holds no duplicates");
    assert_eq!(after["delivered"], 5);
    assert_eq!(after["pending"], 0);

    let out = run(dir);
    assert_eq!(code(&out), Some(NOTHING_TO_DO), "{}", explain(&out));
    assert_eq!(receiver.requests().len(), 5);
}

#[test]
fn killed_after_sending_sends_again_with_the_same_key() {
    let dir = tempdir();
    let dir = dir.path();
    let receiver = HttpReceiver::start(0);
    webhook_subscriptions(dir, &receiver);
    index_records(dir, "first.jsonl", &first_batch());

    let out = run_crashing(dir, "after-send");
    assert_eq!(code(&out), None, "killed by a signal: {}", explain(&out));
    let first = receiver.requests();
    assert_eq!(
        first.len(),
        1,
        "aborted right after the first accepted send"
    );
    let first_key = first[0].header("Idempotency-Key").unwrap().to_string();
    assert_eq!(status(dir)["delivered"], 0, "sent but not confirmed");

    let out = run(dir);
    assert_eq!(code(&out), Some(0), "{}", explain(&out));
    let requests = receiver.requests();
    assert_eq!(requests.len(), 6, "the unconfirmed one is sent again");
    let keys: Vec<&str> = requests
        .iter()
        .map(|r| r.header("Idempotency-Key").unwrap())
        .collect();
    assert_eq!(keys.iter().filter(|k| **k == first_key).count(), 2);
    // The receiver drops repeats by key: exactly one logical alert each.
    let payloads: Vec<Value> = requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(
        by_subscription(&payloads),
        counts(&[
            ("cancel-intent", 3),
            ("churn-after-complaint", 1),
            ("repeat-billing", 1),
        ])
    );
    let after = status(dir);
    assert_eq!(after["alerts"], 5);
    assert_eq!(after["delivered"], 5);
}

#[test]
fn a_receiver_down_for_the_whole_run_is_retried_once_it_is_up() {
    let dir = tempdir();
    let dir = dir.path();
    let port = free_port();
    subscriptions(
        dir,
        &format!(
            r#"{{ type = "webhook", url = "http://127.0.0.1:{port}/hooks", max_attempts = 1, timeout_ms = 2000 }}"#
        ),
    );
    index_records(dir, "first.jsonl", &first_batch());

    let out = run(dir);
    assert_eq!(code(&out), Some(FAILURES_PENDING), "{}", explain(&out));
    let down = status(dir);
    assert_eq!(down["dead"], 5);
    let dead = down["dead_letters"].as_array().unwrap();
    assert_eq!(dead.len(), 5);
    for letter in dead {
        let error = letter["last_error"].as_str().unwrap();
        assert!(error.contains("connection failed"), "{error}");
        assert_eq!(
            letter["destination"],
            format!("webhook http://127.0.0.1:{port}/…")
        );
    }
    let text = alerts(dir, &["status", "--index", "ix"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("dead: delivery"), "{text}");

    // Still down: a second run has nothing new and the failures are still pending.
    let out = run(dir);
    assert_eq!(code(&out), Some(FAILURES_PENDING), "{}", explain(&out));

    let receiver = HttpReceiver::start_on(TcpListener::bind(("127.0.0.1", port)).unwrap(), 0);
    let out = alerts(
        dir,
        &["retry", "--index", "ix", "--subscription", "cancel-intent"],
    );
    assert_eq!(code(&out), Some(FAILURES_PENDING), "{}", explain(&out));
    assert_eq!(
        receiver.requests().len(),
        3,
        "only that subscription's dead letters"
    );
    let out = alerts(dir, &["retry", "--index", "ix"]);
    assert_eq!(code(&out), Some(0), "{}", explain(&out));
    assert_eq!(receiver.requests().len(), 5);
    let up = status(dir);
    assert_eq!(up["dead"], 0);
    assert_eq!(up["delivered"], 5);
    let out = alerts(dir, &["retry", "--index", "ix"]);
    assert_eq!(code(&out), Some(NOTHING_TO_DO), "{}", explain(&out));
}

#[test]
fn digest_subscriptions_send_one_request_per_interval() {
    let dir = tempdir();
    let dir = dir.path();
    let receiver = HttpReceiver::start(0);
    write(
        dir,
        "subscriptions.toml",
        format!(
            r#"
[[subscription]]
name = "cancel-intent"
rule = {{ kind = "record", label = "churn.cancel_intent" }}
destination = {{ type = "webhook", url = "{}" }}
digest = "1d"
"#,
            receiver.url()
        ),
    );
    index_records(
        dir,
        "first.jsonl",
        &[
            record("g1", "G", 0.0, CANCEL),
            record("h1", "H", 0.1, CANCEL),
            record("i1", "I", 2.0, CANCEL),
        ],
    );
    let out = run(dir);
    assert_eq!(code(&out), Some(0), "{}", explain(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["digests"], 2);
    assert_eq!(summary["delivered"], 3);
    let digests: Vec<Value> = receiver
        .requests()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let sizes: Vec<usize> = digests
        .iter()
        .map(|d| {
            assert_eq!(d["kind"], "digest");
            d["alerts"].as_array().unwrap().len()
        })
        .collect();
    assert_eq!(sizes, [2, 1]);
    let customers: Vec<&str> = digests[0]["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["customer_id"].as_str().unwrap())
        .collect();
    assert_eq!(customers, ["G", "H"]);
    let out = run(dir);
    assert_eq!(code(&out), Some(NOTHING_TO_DO), "{}", explain(&out));
}

#[test]
fn bad_state_and_missing_index_are_usage_errors() {
    let dir = tempdir();
    let dir = dir.path();
    subscriptions(dir, r#"{ type = "stdout" }"#);
    let out = run(dir);
    assert_eq!(code(&out), Some(2), "{}", explain(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no index"));
    index_records(dir, "first.jsonl", &first_batch());
    write(
        dir,
        "junk.sqlite",
        b"\x00\x01 not a database at all, just some junk bytes here",
    );
    let out = alerts(
        dir,
        &[
            "run",
            "--subscriptions",
            "subscriptions.toml",
            "--index",
            "ix",
            "--state",
            "junk.sqlite",
        ],
    );
    assert!(matches!(code(&out), Some(2 | 3)), "{}", explain(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("junk.sqlite"),
        "{}",
        explain(&out)
    );
}

/// Planted sequences and a planted spike inside a generated corpus: the planted customers get
/// exactly the alerts their records call for, whatever the generated records around them do, the
/// spike is flagged on its day, and a second run adds nothing.
#[test]
fn planted_sequences_and_a_spike_in_generated_data_fire_exactly() {
    let dir = tempdir();
    let generated = kashev(dir.path())
        .args(["generate", "--count", "3000", "--seed", "3"])
        .output()
        .unwrap();
    assert!(generated.status.success());
    let mut lines: Vec<String> = String::from_utf8(generated.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    // The generated year starts 2026-01-01; day offsets below count from 2026-01-05.
    let planted = [
        // P-WIN: three billing complaints in 10 days (one alert), a fourth inside the cooldown (an
        // update, not a second alert).
        record("p1", "P-WIN", 100.0, BILLING),
        record("p2", "P-WIN", 104.0, BILLING_HE),
        record("p3", "P-WIN", 110.0, BILLING),
        record("p4", "P-WIN", 112.0, BILLING),
        // P-SLOW: three billing complaints 20 days apart: no window alert.
        record("q1", "P-SLOW", 100.0, BILLING),
        record("q2", "P-SLOW", 120.0, BILLING),
        record("q3", "P-SLOW", 140.0, BILLING),
        // P-SEQ: a complaint, then a cancel intent 12 days later: one sequence alert.
        record("s1", "P-SEQ", 150.0, INSTALLATION),
        record("s2", "P-SEQ", 162.0, CANCEL),
        // P-REV: the cancel intent first, the complaint after: no sequence alert.
        record("v1", "P-REV", 150.0, CANCEL),
        record("v2", "P-REV", 155.0, INSTALLATION),
    ];
    lines.extend(planted.iter().cloned());
    // The spike: 40 legal threats on one day, from 40 customers.
    for i in 0..40 {
        lines.push(record(
            &format!("x{i}"),
            &format!("P-SPIKE-{i}"),
            200.0 + f64::from(i) / 100.0,
            "I'm taking this to small claims court, my lawyer will be in touch",
        ));
    }
    index_records(dir.path(), "corpus.jsonl", &lines);
    let subs = r#"
[[subscription]]
name = "repeat-billing"
rule = { kind = "window", label = "complaint.billing", count = 3, within = "14d" }
destination = { type = "file", path = "alerts.jsonl" }
cooldown = "30d"

[[subscription]]
name = "churn-after-complaint"
rule = { kind = "sequence", first = "complaint.", then = "churn.", within = "30d" }
destination = { type = "file", path = "alerts.jsonl" }

[[subscription]]
name = "legal-spike"
rule = { kind = "spike", label = "churn.legal_threat", interval = "day" }
destination = { type = "file", path = "alerts.jsonl" }
"#;
    write(dir.path(), "subscriptions.toml", subs);
    let out = run(dir.path());
    assert_eq!(code(&out), Some(0), "{}", explain(&out));
    let payloads = jsonl(&std::fs::read(dir.path().join("alerts.jsonl")).unwrap());
    let of = |customer: &str, subscription: &str| -> Vec<&Value> {
        payloads
            .iter()
            .filter(|p| p["customer_id"] == customer && p["subscription"] == subscription)
            .collect()
    };
    // P-WIN: raised on the third complaint and updated by the fourth, within one run: delivered
    // once, in its latest state.
    let win = of("P-WIN", "repeat-billing");
    assert_eq!(win.len(), 1, "{win:?}");
    assert_eq!(win[0]["updates"], 1);
    let ids: Vec<&str> = win[0]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["p1", "p2", "p3", "p4"]);
    assert!(of("P-SLOW", "repeat-billing").is_empty());
    let seq = of("P-SEQ", "churn-after-complaint");
    assert_eq!(seq.len(), 1, "{seq:?}");
    let ids: BTreeSet<&str> = seq[0]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, BTreeSet::from(["s1", "s2"]));
    assert!(of("P-REV", "churn-after-complaint").is_empty());
    // The spike: flagged on the planted day (2026-07-24), once.
    let spikes: Vec<&Value> = payloads
        .iter()
        .filter(|p| {
            p["subscription"] == "legal-spike"
                && p["window"]["end"]
                    .as_str()
                    .unwrap()
                    .starts_with("2026-07-24")
        })
        .collect();
    assert_eq!(spikes.len(), 1, "{spikes:?}");

    // Nothing twice: a second run has nothing to do and delivers nothing more.
    let again = run(dir.path());
    assert_eq!(code(&again), Some(NOTHING_TO_DO), "{}", explain(&again));
    let after = jsonl(&std::fs::read(dir.path().join("alerts.jsonl")).unwrap());
    assert_eq!(after.len(), payloads.len());
}
