//! `kashev index`, `kashev search`: a real index in a temporary directory, through the binary.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::util::{jsonl, kashev, summary_json, tempdir, write};

/// Indexes `input` into `dir/ix`, asserting success; returns the `--json` summary.
fn index(dir: &Path, input: &Path) -> Value {
    let out = kashev(dir)
        .args(["index", "--index", "ix", "--json"])
        .arg(input)
        .output()
        .expect("kashev runs");
    assert!(
        out.status.success(),
        "index failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    summary_json(&out.stderr)
}

/// Runs a search with `--json` and extra arguments; returns the result object.
fn search(dir: &Path, query: &str, extra: &[&str]) -> Value {
    let mut cmd = kashev(dir);
    cmd.args(["search", "--index", "ix", "--json", query]);
    if !extra.contains(&"--limit") {
        cmd.args(["--limit", "1000"]);
    }
    let out = cmd.args(extra).output().expect("kashev runs");
    assert!(
        out.status.success(),
        "search {query:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("search --json prints one object")
}

fn ids(result: &Value) -> BTreeSet<String> {
    result["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

fn record(id: &str, text: &str, customer: &str, channel: &str, ts: &str) -> String {
    json!({"id": id, "text": text, "customer_id": customer, "channel": channel, "timestamp": ts})
        .to_string()
        + "\n"
}

/// A small corpus for search: Hebrew with prefixes, English, several channels and customers.
fn corpus() -> String {
    [
        record("h1", "דיברתי איתכם על הביטול של החבילה ואף אחד לא חזר אליי", "C1", "chat", "2026-03-02T10:00:00Z"),
        record("h2", "המחיר עלה שוב בלי שום הודעה, זה פשוט לא הוגן", "C2", "email", "2026-03-03T10:00:00Z"),
        record("h3", "הזמנתי ספה לפני חודש והיא עדיין לא הגיעה", "C3", "social", "2026-03-04T10:00:00Z"),
        record("h4", "איפה הספה שלי? כבר שבועיים אני מחכה", "C3", "chat", "2026-03-05T10:00:00Z"),
        record("e1", "I was charged twice this month, please refund the double charge", "C4", "email", "2026-03-06T10:00:00Z"),
        record("e2", "If this isn't fixed by Friday I'm cancelling my account and moving to another provider", "C4", "chat", "2026-03-07T10:00:00Z"),
        record("e3", "Thank you, the technician was great and everything works now", "C5", "survey", "2026-03-08T10:00:00Z"),
        record("h5", "לק' מבקש לבטל את המנוי, הועבר לשימור", "C6", "agent_note", "2026-03-09T10:00:00Z"),
    ]
    .concat()
}

#[test]
fn reindexing_the_same_input_never_duplicates_and_the_last_version_wins() {
    let dir = tempdir();
    let input = write(dir.path(), "sample.jsonl", corpus());
    let first = index(dir.path(), &input);
    assert_eq!(first["result"]["documents"], 8);
    let again = index(dir.path(), &input);
    assert_eq!(again["result"]["documents"], 8, "same input, same count");

    // An overlapping job: two records changed, one new.
    let changed = [
        record(
            "e3",
            "The technician never showed up. Third time I'm calling about this.",
            "C5",
            "survey",
            "2026-03-08T10:00:00Z",
        ),
        record(
            "h2",
            "המחיר ירד, תודה רבה",
            "C2",
            "email",
            "2026-03-03T10:00:00Z",
        ),
        record(
            "n1",
            "new record about a broken router",
            "C7",
            "chat",
            "2026-03-10T10:00:00Z",
        ),
    ]
    .concat();
    let update = write(dir.path(), "update.jsonl", changed);
    let after = index(dir.path(), &update);
    assert_eq!(after["result"]["documents"], 9);
    let technician = search(dir.path(), "technician", &[]);
    assert_eq!(ids(&technician), BTreeSet::from(["e3".to_string()]));
    let hit = &technician["hits"][0];
    assert!(hit["text"].as_str().unwrap().contains("never showed up"));
    assert!(
        hit["labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["label"] == "complaint.delivery_installation"
                || l["label"] == "complaint.repeat_contact"),
        "the new version's labels: {hit}"
    );
    // Duplicate ids inside one input: the last line wins.
    let dups = [
        record("d1", "first version", "C8", "chat", "2026-03-11T10:00:00Z"),
        record(
            "d1",
            "second version of the record",
            "C8",
            "chat",
            "2026-03-11T10:00:00Z",
        ),
    ]
    .concat();
    let dups = write(dir.path(), "dups.jsonl", dups);
    assert_eq!(index(dir.path(), &dups)["result"]["documents"], 10);
    let d1 = search(dir.path(), "id:d1", &[]);
    assert_eq!(d1["total"], 1);
    assert_eq!(d1["hits"][0]["text"], "second version of the record");
}

#[test]
fn hebrew_queries_match_prefixed_forms_and_never_fragments() {
    let dir = tempdir();
    let input = write(dir.path(), "c.jsonl", corpus());
    index(dir.path(), &input);
    let cases: &[(&str, &[&str])] = &[
        // A lexicon word finds its prefixed forms, and a prefixed query finds the plain form.
        ("ביטול", &["h1"]),
        ("והביטול", &["h1"]),
        ("מחיר", &["h2"]),
        // A word the lexicon does not know: prefixed forms found because the index holds it.
        ("ספה", &["h3", "h4"]),
        ("הספה", &["h4"]),
        // Fragments of words never match.
        ("חיר", &[]),
        ("פה", &[]),
        // English words by stem.
        ("charges", &["e1"]),
        ("cancel", &["e2"]),
        // Phrases keep word order; field terms; boolean operators.
        ("\"double charge\"", &["e1"]),
        ("\"charge double\"", &[]),
        ("label:churn.cancel_intent", &["e2", "h5"]),
        ("label:churn.* AND channel:chat", &["e2"]),
        ("ספה NOT channel:chat", &["h3"]),
        ("ספה OR technician", &["h3", "h4", "e3"]),
        ("group:complaint channel:email", &["e1", "h2"]),
        ("date:2026-03-05..2026-03-06", &["h4", "e1"]),
    ];
    for (query, want) in cases {
        let got = ids(&search(dir.path(), query, &[]));
        let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "query {query:?}");
    }
    // The query word is highlighted in the prefixed form it matched.
    let result = search(dir.path(), "ביטול", &[]);
    let hit = &result["hits"][0];
    let text = hit["text"].as_str().unwrap();
    let query_marks: Vec<&str> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "query")
        .map(|h| &text[h["start"].as_u64().unwrap() as usize..h["end"].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(query_marks, ["הביטול"]);
}

#[test]
fn filters_narrow_and_an_empty_query_lists_newest_first() {
    let dir = tempdir();
    let input = write(dir.path(), "c.jsonl", corpus());
    index(dir.path(), &input);
    let all = search(dir.path(), "", &[]);
    assert_eq!(all["total"], 8);
    let order: Vec<&str> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["h5", "e3", "e2", "e1", "h4", "h3", "h2", "h1"]);
    let cases: &[(&[&str], &[&str])] = &[
        (&["--channel", "chat"], &["h1", "h4", "e2"]),
        (
            &["--channel", "chat", "--channel", "email"],
            &["h1", "h4", "e2", "e1", "h2"],
        ),
        (&["--customer", "C3"], &["h3", "h4"]),
        (&["--label", "churn.cancel_intent"], &["e2", "h5"]),
        (&["--label-prefix", "churn."], &["e2", "h5"]),
        (
            &["--since", "2026-03-07", "--until", "2026-03-09"],
            &["e2", "e3"],
        ),
        (&["--sentiment", "positive"], &["e3"]),
        (&["--min-churn-risk", "0.5"], &["e2", "h5"]),
    ];
    for (flags, want) in cases {
        let got = ids(&search(dir.path(), "", flags));
        let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "flags {flags:?}");
    }
    // Paging.
    let page = search(dir.path(), "", &["--limit", "3", "--offset", "3"]);
    let page: Vec<&str> = page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(page, ["e1", "h4", "h3"]);
}

#[test]
fn the_terminal_view_shows_labels_and_a_marked_snippet() {
    let dir = tempdir();
    let input = write(dir.path(), "c.jsonl", corpus());
    index(dir.path(), &input);
    let out = kashev(dir.path())
        .args(["search", "--index", "ix", "charged"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("1 matching records"), "{text}");
    assert!(
        text.contains("2026-03-06 10:00  email  customer C4"),
        "{text}"
    );
    assert!(text.contains("complaint.billing"), "{text}");
    assert!(text.contains("«charged»"), "{text}");
    assert!(text.contains("[["), "evidence marked: {text}");
    assert!(!text.contains('\u{1b}'), "no colour when NO_COLOR is set");
}

#[test]
fn malformed_queries_unknown_labels_and_missing_indexes_are_usage_errors() {
    let dir = tempdir();
    let input = write(dir.path(), "c.jsonl", corpus());
    index(dir.path(), &input);
    let cases = [
        ("(refund", "column 1: this '(' is never closed"),
        ("refund AND", "column 11"),
        ("label:complaint.biling", "unknown label 'complaint.biling'"),
        ("colour:red", "unknown field 'colour'"),
        ("date:yesterday", "FROM..TO"),
        ("date:..", "needs at least one side"),
    ];
    for (query, message) in cases {
        kashev(dir.path())
            .args(["search", "--index", "ix", query])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(message));
    }
    kashev(dir.path())
        .args(["search", "--index", "nowhere", "refund"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no index in nowhere"));
    kashev(dir.path())
        .args(["search", "--index", "ix", "", "--label", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--label: unknown label 'nope'"));
}

#[test]
fn rejected_records_are_counted_and_the_rest_indexed() {
    let dir = tempdir();
    let input = write(
        dir.path(),
        "mixed.jsonl",
        format!(
            "{}not json\n{}",
            record("a", "the bill is wrong", "C1", "chat", "2026-01-01"),
            record("b", "love it", "C1", "chat", "2026-01-02")
        ),
    );
    let out = kashev(dir.path())
        .args(["index", "--index", "ix", "--json", "--rejects", "rej.jsonl"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = summary_json(&out.stderr);
    assert_eq!(summary["read"], 3);
    assert_eq!(summary["rejected"], 1);
    assert_eq!(summary["result"]["documents"], 2);
    let rejects = jsonl(&std::fs::read(dir.path().join("rej.jsonl")).unwrap());
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["line"], 2);
}

/// The number of documents the last commit of `dir/ix` made visible, or `None` before the first.
fn committed_docs(dir: &Path) -> Option<u64> {
    let meta = std::fs::read_to_string(dir.join("ix").join("meta.json")).ok()?;
    let meta: Value = serde_json::from_str(&meta).ok()?;
    meta.get("payload")?.as_str()?;
    Some(
        meta["segments"]
            .as_array()?
            .iter()
            .map(|s| {
                s["max_doc"].as_u64().unwrap_or(0)
                    - s["deletes"]["num_deleted_docs"].as_u64().unwrap_or(0)
            })
            .sum(),
    )
}

#[test]
fn a_run_killed_mid_way_leaves_a_whole_index_and_the_rerun_completes_it() {
    let dir = tempdir();
    let corpus = dir.path().join("corpus.jsonl");
    let generated = kashev(dir.path())
        .args(["generate", "--count", "6000", "--seed", "5"])
        .output()
        .unwrap();
    assert!(generated.status.success());
    std::fs::write(&corpus, &generated.stdout).unwrap();

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kashev"))
        .current_dir(dir.path())
        .args(["index", "--index", "ix", "--quiet", "--commit-every", "250"])
        .arg(&corpus)
        .spawn()
        .unwrap();
    // Wait for the first commit, then a little longer, then kill -9.
    let started = Instant::now();
    while committed_docs(dir.path()).is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no commit in 2 minutes"
        );
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(150));
    let killed = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    // The index opens and holds whole records only: every stored document reads back.
    let partial = search(dir.path(), "", &["--limit", "10000"]);
    let partial_total = partial["total"].as_u64().unwrap();
    assert_eq!(Some(partial_total), committed_docs(dir.path()));
    eprintln!("killed: {killed}, {partial_total} records committed before the kill");
    if killed {
        assert!(
            partial_total < 6000,
            "killed before the end: {partial_total}"
        );
    }
    assert_eq!(
        partial_total % 250,
        0,
        "only whole commits are visible: {partial_total}"
    );
    for hit in partial["hits"].as_array().unwrap() {
        assert!(!hit["text"].as_str().unwrap().is_empty());
        assert!(hit["sentiment"]["label"].is_string());
    }

    // Running the job again reaches the state of an uninterrupted run.
    let rerun = index(dir.path(), &corpus);
    assert_eq!(rerun["result"]["documents"], 6000);
    let clean = tempdir();
    let reference = index(clean.path(), &corpus);
    assert_eq!(reference["result"]["documents"], 6000);
    let after: Vec<Value> = search(dir.path(), "", &["--limit", "10000", "--sort", "time"])["hits"]
        .as_array()
        .unwrap()
        .clone();
    let expected: Vec<Value> =
        search(clean.path(), "", &["--limit", "10000", "--sort", "time"])["hits"]
            .as_array()
            .unwrap()
            .clone();
    let key = |hits: &[Value]| -> BTreeSet<String> {
        hits.iter()
            .map(|h| format!("{}|{}|{}", h["id"], h["labels"], h["churn_risk"]))
            .collect()
    };
    assert_eq!(key(&after), key(&expected));
}
