//! `kashev customer` through the real binary, over an index built with `kashev index`.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::util::{index, kashev, succeed, tempdir, write};

/// Customer C42 over three channels, in Hebrew and English, given out of order: billing
/// complaints on day 0 and day 3 (a repeat) and day 23 (exactly 20 days after the second), a
/// churn signal on day 25, and one record without a time. Bidi controls sit in two Hebrew texts.
const RECORDS: &str = concat!(
    r#"{"id":"c4","customer_id":"C42","channel":"chat","timestamp":"2026-03-26T10:00:00Z","text":"אני רוצה לבטל את המנוי ולעבור לחברה אחרת"}"#,
    "\n",
    r#"{"id":"c2","customer_id":"C42","channel":"email","timestamp":"2026-03-04T10:00:00Z","text":"I was double charged again on my bill, this is a billing error"}"#,
    "\n",
    r#"{"id":"c5","customer_id":"C42","channel":"email","text":"thanks, the agent was very helpful"}"#,
    "\n",
    r#"{"id":"c1","customer_id":"C42","channel":"chat","timestamp":"2026-03-01T10:00:00Z","text":"חויבתי פעמיים על אותו חודש (63 ש\"ח\u200f), חיוב כפול בחשבונית"}"#,
    "\n",
    r#"{"id":"o1","customer_id":"C7","channel":"chat","timestamp":"2026-03-02T10:00:00Z","text":"חיוב כפול שוב"}"#,
    "\n",
    r#"{"id":"c3","customer_id":"C42","channel":"phone","timestamp":"2026-03-24T10:00:00Z","text":"\u202bשוב חיוב כפול בחשבון, זה לא נגמר\u202c"}"#,
    "\n",
);

/// A temporary directory with the records indexed in `idx`.
fn indexed() -> (tempfile::TempDir, PathBuf) {
    let dir = tempdir();
    let input = write(dir.path(), "records.jsonl", RECORDS);
    let idx = dir.path().join("idx");
    index(dir.path(), &input, &idx, &[]);
    (dir, idx)
}

/// `kashev customer ID --index IDX --json` plus `extra`: the object, after checking the exit code.
fn view(dir: &Path, idx: &Path, id: &str, extra: &[&str]) -> Value {
    let out = succeed(
        kashev(dir)
            .args(["customer", id, "--json", "--index"])
            .arg(idx)
            .args(extra),
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not one JSON object: {e}: {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn ids(values: &Value) -> Vec<&str> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect()
}

#[test]
fn customer_json_lists_records_in_time_order_with_the_summary() {
    let (dir, idx) = indexed();
    let v = view(dir.path(), &idx, "C42", &[]);
    assert_eq!(v["customer_id"], "C42");
    assert_eq!(v["total"], 5);
    assert_eq!(
        ids(&v["records"]),
        ["c1", "c2", "c3", "c4", "c5"],
        "oldest first, the record without a time last"
    );
    assert_eq!(v["channels"], json!({"chat": 2, "email": 2, "phone": 1}));
    assert_eq!(v["first_contact"], "2026-03-01T10:00:00Z");
    assert_eq!(v["last_contact"], "2026-03-26T10:00:00Z");
    assert_eq!(v["untimed"], 1);

    // Day 0 and day 3: a repeat; day 23 is 20 days after day 3: not within the default 7.
    let repeats = v["repeats"].as_array().unwrap();
    assert_eq!(repeats.len(), 1, "{repeats:?}");
    assert_eq!(repeats[0]["label"], "complaint.billing");
    assert_eq!(repeats[0]["first"]["id"], "c1");
    assert_eq!(repeats[0]["repeat"]["id"], "c2");
    assert_eq!(repeats[0]["gap_seconds"], 3 * 86_400);

    let t = &v["trajectory"];
    assert_eq!(ids(&t["points"]), ["c1", "c2", "c3", "c4"]);
    assert_eq!(t["rising"], true);
    assert!(t["last"].as_f64().unwrap() > t["first"].as_f64().unwrap());
    assert_eq!(t["max"], t["last"]);
    assert_eq!(t["sparkline"].as_str().unwrap().chars().count(), 4);

    let signals = v["open_signals"].as_array().unwrap();
    assert!(
        signals
            .iter()
            .any(|s| s["label"] == "churn.cancel_intent" && s["last_id"] == "c4"),
        "{signals:?}"
    );
    assert!(
        signals
            .iter()
            .all(|s| s["label"].as_str().unwrap().starts_with("churn."))
    );

    let first = &v["records"][0];
    assert_eq!(first["channel"], "chat");
    assert!(first["labels"].as_array().unwrap().iter().any(
        |l| l["label"] == "complaint.billing" && !l["evidence"].as_array().unwrap().is_empty()
    ));
    let text = first["text"].as_str().unwrap();
    for h in first["highlights"].as_array().unwrap() {
        let (s, e) = (h["start"].as_u64().unwrap(), h["end"].as_u64().unwrap());
        assert!(text.get(s as usize..e as usize).is_some(), "{h}");
    }
    assert!(first["sentiment"]["label"].is_string());
}

#[test]
fn customer_repeat_window_includes_its_boundary() {
    let (dir, idx) = indexed();
    // Day 3 to day 23 is exactly 20 days.
    let v = view(dir.path(), &idx, "C42", &["--repeat-days", "20"]);
    let repeats: Vec<(&str, &str)> = v["repeats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["first"]["id"].as_str().unwrap(),
                r["repeat"]["id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(repeats, [("c1", "c2"), ("c2", "c3")]);
    let v = view(dir.path(), &idx, "C42", &["--repeat-days", "19"]);
    assert_eq!(v["repeats"].as_array().unwrap().len(), 1);
}

#[test]
fn customer_limit_keeps_the_newest_and_summarises_all() {
    let (dir, idx) = indexed();
    let v = view(dir.path(), &idx, "C42", &["--limit", "2"]);
    assert_eq!(ids(&v["records"]), ["c4", "c5"]);
    assert_eq!(
        (v["total"].as_u64(), v["shown"].as_u64()),
        (Some(5), Some(2))
    );
    assert_eq!(v["repeats"].as_array().unwrap().len(), 1);
    assert_eq!(v["trajectory"]["points"].as_array().unwrap().len(), 4);

    let v = view(dir.path(), &idx, "C42", &["--since", "2026-03-20"]);
    assert_eq!(ids(&v["records"]), ["c3", "c4"]);
    assert_eq!(v["repeats"].as_array().unwrap().len(), 0);
}

#[test]
fn customer_text_view_is_readable_hebrew_without_bidi_controls() {
    let (dir, idx) = indexed();
    let out = succeed(
        kashev(dir.path())
            .args(["customer", "C42", "--index"])
            .arg(&idx),
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "customer C42: 5 records (chat 2, email 2, phone 1)",
        "complaint.billing",
        "rising",
        "churn.cancel_intent",
        "חויבתי פעמיים",
        "שוב [[חיוב כפול]] בחשבון",
        "אני [[רוצה לבטל]] את המנוי",
        "double charged",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    let bidi = |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    assert!(!text.chars().any(bidi), "bidi controls in:\n{text}");
    assert!(!text.contains('\x1b'), "no colour with NO_COLOR");
    let at = |id: &str| {
        text.find(&format!("  {id}\n"))
            .unwrap_or_else(|| panic!("{id} in:\n{text}"))
    };
    assert!(
        at("c1") < at("c2") && at("c2") < at("c3") && at("c3") < at("c4") && at("c4") < at("c5")
    );
    assert!(!text.contains("o1"), "another customer's record");
}

#[test]
fn unknown_customer_is_not_an_error() {
    let (dir, idx) = indexed();
    let out = kashev(dir.path())
        .args(["customer", "NOPE", "--index"])
        .arg(&idx)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("no records for customer NOPE in") && stdout.contains("idx"),
        "{stdout}"
    );
    let v = view(dir.path(), &idx, "NOPE", &[]);
    assert_eq!(v["customer_id"], "NOPE");
    assert_eq!(v["records"], json!([]));
    assert_eq!(v["total"], 0);
    assert_eq!(v["repeats"], json!([]));
}

#[test]
fn customer_without_an_index_is_a_usage_error() {
    let dir = tempdir();
    let out = kashev(dir.path())
        .args(["customer", "C42", "--index", "missing"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no index in missing"));
}

#[test]
fn every_record_of_a_large_customer_is_read() {
    let dir = tempdir();
    let n = 1200;
    let mut records = String::new();
    for i in 0..n {
        let ts = jiff::Timestamp::from_second(1_772_323_200 + i * 3_600).unwrap();
        let text = if i % 2 == 0 {
            "I was double charged on my bill"
        } else {
            "thanks, all good now"
        };
        records.push_str(
            &json!({"id": format!("r{i:04}"), "customer_id": "BIG", "channel": "chat",
                    "timestamp": ts.to_string(), "text": text})
            .to_string(),
        );
        records.push('\n');
    }
    let input = write(dir.path(), "big.jsonl", records);
    let idx = dir.path().join("idx");
    index(dir.path(), &input, &idx, &[]);
    let v = view(dir.path(), &idx, "BIG", &[]);
    assert_eq!(v["total"], n);
    assert_eq!(v["shown"], 50);
    let listed = ids(&v["records"]);
    assert_eq!((listed[0], listed[49]), ("r1150", "r1199"), "the newest 50");
    assert_eq!(v["trajectory"]["points"].as_array().unwrap().len(), 1200);
    assert_eq!(
        v["trajectory"]["sparkline"]
            .as_str()
            .unwrap()
            .chars()
            .count(),
        60
    );
    // Every second record repeats the billing complaint of two hours before.
    assert_eq!(v["repeats"].as_array().unwrap().len(), 599);
}
