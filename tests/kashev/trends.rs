//! `kashev trends` through the real binary, on real indexes in temporary directories.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde_json::{Value, json};

use crate::util::{jsonl, kashev, succeed, tempdir, write};

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Indexes `input` into `dir/ix`.
fn index(dir: &Path, input: &Path) {
    crate::util::index(dir, input, Path::new("ix"), &["--quiet".as_ref()]);
}

/// Runs `kashev trends --index ix ARGS` in `dir` and parses its JSON.
fn trends_json(dir: &Path, args: &[&str]) -> Value {
    let out = succeed(
        kashev(dir)
            .args(["trends", "--json", "--index", "ix"])
            .args(args),
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `{bucket: {key: count}}` from trends JSON, zeros left out.
fn cells(t: &Value) -> BTreeMap<String, BTreeMap<String, u64>> {
    let buckets: Vec<&str> = t["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    let mut out: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for s in t["series"].as_array().unwrap() {
        let counts = s["counts"].as_array().unwrap();
        assert_eq!(counts.len(), buckets.len(), "one count per bucket");
        for (b, c) in buckets.iter().zip(counts) {
            let c = c.as_u64().unwrap();
            if c > 0 {
                out.entry(b.to_string())
                    .or_default()
                    .insert(s["key"].as_str().unwrap().to_string(), c);
            }
        }
    }
    out
}

fn monday_of(ts: &str) -> Date {
    let day = ts
        .parse::<Timestamp>()
        .unwrap()
        .to_zoned(TimeZone::UTC)
        .date();
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.checked_sub(jiff::Span::new().days(back)).unwrap()
}

#[test]
fn weekly_label_counts_match_the_classify_output() {
    let dir = tempdir();
    let sample = repo("fixtures/sample.jsonl");
    let classified = kashev(dir.path())
        .args(["classify", "--quiet"])
        .arg(&sample)
        .output()
        .unwrap();
    assert!(classified.status.success());
    let mut expected: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut per_week: BTreeMap<String, u64> = BTreeMap::new();
    for record in jsonl(&classified.stdout) {
        let week = monday_of(record["timestamp"].as_str().unwrap()).to_string();
        *per_week.entry(week.clone()).or_default() += 1;
        for label in record["labels"].as_array().unwrap() {
            *expected
                .entry(week.clone())
                .or_default()
                .entry(label["label"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    assert!(expected.values().map(|m| m.len()).sum::<usize>() > 20);

    index(dir.path(), &sample);
    let t = trends_json(dir.path(), &["--by", "label", "--interval", "week"]);
    assert_eq!(t["interval"], "week");
    assert_eq!(t["by"], "label");
    assert_eq!(cells(&t), expected);

    // Contiguous Monday buckets from the first record's week to the last one's.
    let buckets: Vec<Date> = t["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(
        buckets.first().unwrap().to_string(),
        *per_week.keys().next().unwrap()
    );
    assert_eq!(
        buckets.last().unwrap().to_string(),
        *per_week.keys().last().unwrap()
    );
    for w in buckets.windows(2) {
        assert_eq!(w[0].checked_add(jiff::Span::new().days(7)).unwrap(), w[1]);
        assert_eq!(w[0].weekday(), jiff::civil::Weekday::Monday);
    }
    // Totals per bucket are records, whatever their labels; shares are of all records.
    assert_eq!(t["total"], 300);
    for (b, total) in buckets.iter().zip(t["bucket_totals"].as_array().unwrap()) {
        let want = per_week.get(&b.to_string()).copied().unwrap_or(0);
        assert_eq!(total.as_u64().unwrap(), want, "records in the week of {b}");
    }
    for s in t["series"].as_array().unwrap() {
        let share = s["share"].as_f64().unwrap();
        let total = s["total"].as_u64().unwrap();
        assert!((share - total as f64 / 300.0).abs() < 1e-12);
    }

    // The same counts as CSV rows, and a table that names every label.
    let csv = kashev(dir.path())
        .args(["trends", "--csv", "--index", "ix"])
        .output()
        .unwrap();
    assert!(csv.status.success());
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("bucket_start,key,count"));
    let mut from_csv: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut rows = 0;
    for line in lines {
        rows += 1;
        let parts: Vec<&str> = line.split(',').collect();
        let count: u64 = parts[2].parse().unwrap();
        if count > 0 {
            from_csv
                .entry(parts[0].to_string())
                .or_default()
                .insert(parts[1].to_string(), count);
        }
    }
    assert_eq!(from_csv, expected);
    assert_eq!(
        rows,
        buckets.len() * t["series"].as_array().unwrap().len(),
        "zeros included"
    );
    let table = kashev(dir.path())
        .args(["trends", "--index", "ix"])
        .output()
        .unwrap();
    assert!(table.status.success());
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.starts_with("300 matching records by label, weekly"),
        "{table}"
    );
    for s in t["series"].as_array().unwrap() {
        assert!(table.contains(s["key"].as_str().unwrap()));
    }
    assert!(table.contains("all records"));
}

#[test]
fn a_planted_spike_is_flagged_with_its_evidence() {
    let dir = tempdir();
    let texts = [
        "I was charged twice this month",
        "חיוב כפול בחשבונית",
        "I was charged twice this month, please fix it",
    ];
    let start: Timestamp = "2026-03-01T09:00:00Z".parse().unwrap();
    let mut lines = Vec::new();
    let spike_day: usize = 21;
    for day in 0..30 {
        // Steady: two to four records a day; on the spike day, thirty.
        let n: i64 = if day == spike_day {
            30
        } else {
            2 + day as i64 % 3
        };
        for i in 0..n {
            let ts = start
                .checked_add(jiff::SignedDuration::from_hours(24 * day as i64 + i % 10))
                .unwrap();
            lines.push(
                json!({
                    "id": format!("d{day}-{i}"),
                    "text": texts[(i as usize) % texts.len()],
                    "customer_id": format!("C{i}"),
                    "channel": "chat",
                    "timestamp": ts.to_string(),
                })
                .to_string(),
            );
        }
    }
    let input = write(dir.path(), "burst.jsonl", lines.join("\n") + "\n");
    index(dir.path(), &input);
    let t = trends_json(
        dir.path(),
        &["--spikes", "--interval", "day", "--by", "label"],
    );
    let billing = t["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "complaint.billing")
        .unwrap_or_else(|| panic!("no complaint.billing series: {t}"));
    assert_eq!(billing["counts"].as_array().unwrap().len(), 30);
    assert_eq!(billing["counts"][spike_day], 30);
    let spikes = t["spikes"].as_array().unwrap();
    let spike_date = "2026-03-22";
    assert!(
        spikes
            .iter()
            .all(|s| s["bucket"] == spike_date
                && s["key"].as_str().unwrap().starts_with("complaint.")),
        "only the planted day spikes: {spikes:?}"
    );
    let spike = spikes
        .iter()
        .find(|s| s["key"] == "complaint.billing")
        .unwrap_or_else(|| panic!("the billing spike is missed: {spikes:?}"));
    assert_eq!(spike["count"], 30);
    assert!(spike["p_value"].as_f64().unwrap() < 0.001);
    assert_eq!(spike["evidence_records"], 30);
    let evidence = spike["evidence"].as_array().unwrap();
    assert!(!evidence.is_empty() && evidence.len() <= 5, "{evidence:?}");
    for e in evidence {
        let text = e["text"].as_str().unwrap();
        assert_eq!(text, text.trim().to_lowercase());
        assert!(e["count"].as_u64().unwrap() > 0);
    }
    let counts: Vec<u64> = evidence
        .iter()
        .map(|e| e["count"].as_u64().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most frequent first"
    );

    // The table marks it, and --spikes lists it with its evidence.
    let out = kashev(dir.path())
        .args(["trends", "--spikes", "--interval", "day", "--index", "ix"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&format!("! {spike_date}")), "{text}");
    assert!(
        text.contains(&format!("{spike_date}  complaint.billing  30 records")),
        "{text}"
    );
    assert!(text.contains("evidence (from 30 records): "), "{text}");
}

/// Four billing complaints around week and month boundaries.
fn edge_index(dir: &Path) {
    let lines: Vec<String> = [
        ("a", "2026-01-31T23:59:59Z"), // Saturday, last second of January
        ("b", "2026-02-01T00:00:00Z"), // Sunday, first second of February
        ("c", "2026-03-01T23:59:59Z"), // Sunday, last second of a week
        ("d", "2026-03-02T00:00:00Z"), // Monday, first second of the next
    ]
    .iter()
    .map(|(id, ts)| {
        json!({"id": id, "text": "I was charged twice this month", "timestamp": ts}).to_string()
    })
    .collect();
    let input = write(dir, "edges.jsonl", lines.join("\n") + "\n");
    index(dir, &input);
}

fn totals(t: &Value) -> Vec<(String, u64)> {
    t["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .zip(t["bucket_totals"].as_array().unwrap())
        .map(|(b, n)| (b.as_str().unwrap().to_string(), n.as_u64().unwrap()))
        .collect()
}

fn pairs(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    list.iter().map(|(b, n)| (b.to_string(), *n)).collect()
}

#[test]
fn week_and_month_buckets_split_at_monday_and_the_first_midnight() {
    let dir = tempdir();
    edge_index(dir.path());
    let weeks = trends_json(dir.path(), &["--interval", "week"]);
    assert_eq!(
        totals(&weeks),
        pairs(&[
            ("2026-01-26", 2),
            ("2026-02-02", 0),
            ("2026-02-09", 0),
            ("2026-02-16", 0),
            ("2026-02-23", 1),
            ("2026-03-02", 1),
        ])
    );
    assert_eq!(weeks["end"], "2026-03-09");
    let months = trends_json(dir.path(), &["--interval", "month"]);
    assert_eq!(
        totals(&months),
        pairs(&[("2026-01-01", 1), ("2026-02-01", 1), ("2026-03-01", 2)])
    );
    // --since extends the range with empty buckets; --until is exclusive.
    let months = trends_json(
        dir.path(),
        &[
            "--interval",
            "month",
            "--since",
            "2025-12-01",
            "--until",
            "2026-03-02",
        ],
    );
    assert_eq!(
        totals(&months),
        pairs(&[
            ("2025-12-01", 0),
            ("2026-01-01", 1),
            ("2026-02-01", 1),
            ("2026-03-01", 1),
        ])
    );
    let days = trends_json(
        dir.path(),
        &["--interval", "day", "--since", "2026-03-01T12:00:00Z"],
    );
    assert_eq!(
        totals(&days),
        pairs(&[("2026-03-01", 1), ("2026-03-02", 1)])
    );
}

#[test]
fn an_empty_index_gives_an_empty_table_and_bad_flags_are_usage_errors() {
    let dir = tempdir();
    let input = write(dir.path(), "empty.jsonl", "");
    index(dir.path(), &input);
    let t = trends_json(dir.path(), &[]);
    assert_eq!(t["buckets"], json!([]));
    assert_eq!(t["series"], json!([]));
    assert_eq!(t["total"], 0);
    let out = kashev(dir.path())
        .args(["trends", "--index", "ix", "--spikes"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("0 matching records"), "{text}");

    for args in [
        vec!["--by", "customer"],
        vec!["--interval", "year"],
        vec!["--json", "--csv"],
        vec!["--label", "complaint.nonsense"],
        vec!["label:"],
        vec!["--since", "yesterday"],
    ] {
        let out = kashev(dir.path())
            .args(["trends", "--index", "ix"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let out = kashev(dir.path())
        .args(["trends", "--index", "missing"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
