//! `kashev watch` through the real binary: a file written while it is followed, alerts at a real
//! webhook receiver on 127.0.0.1, and a restart that resumes where it stopped.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::receivers::HttpReceiver;
use crate::util::{tempdir, write};

fn line(id: &str, customer: &str, text: &str) -> String {
    json!({"id": id, "customer_id": customer, "channel": "chat",
           "timestamp": "2026-03-01T10:00:00Z", "text": text})
    .to_string()
        + "\n"
}

fn watch(dir: &std::path::Path, input: &std::path::Path, subs: &std::path::Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("kashev"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .args([
            "watch",
            "--quiet",
            "--json",
            "--idle-exit",
            "1.5",
            "--state",
            "state.sqlite",
            "--rejects",
            "rej.jsonl",
        ])
        .arg("--subscriptions")
        .arg(subs)
        .arg(input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// The alert ids the receiver got (one per logical alert, whatever the retries).
fn alerts(receiver: &HttpReceiver) -> Vec<Value> {
    receiver
        .requests()
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).expect("a JSON alert"))
        .collect()
}

#[test]
fn records_written_while_watching_raise_alerts_once_and_a_restart_resumes() {
    let dir = tempdir();
    let receiver = HttpReceiver::start(0);
    let subs = write(
        dir.path(),
        "subs.toml",
        format!(
            "[[subscription]]\nname = \"cancel\"\nrule = {{ kind = \"record\", label = \"churn.cancel_intent\" }}\n\
             destination = {{ type = \"webhook\", url = \"{}\" }}\n",
            receiver.url()
        ),
    );
    let input = dir.path().join("notes.jsonl");
    std::fs::write(&input, line("r1", "C1", "thanks, all good now")).unwrap();

    let child = watch(dir.path(), &input, &subs).spawn().unwrap();
    // Written while it runs: an intent to cancel, a line that is not JSON, an unrelated note.
    std::thread::sleep(Duration::from_millis(300));
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&input)
        .unwrap();
    file.write_all(line("r2", "C2", "I want to cancel my subscription today").as_bytes())
        .unwrap();
    file.write_all(b"{not json\n").unwrap();
    file.write_all(line("r3", "C3", "the router works again").as_bytes())
        .unwrap();
    file.flush().unwrap();
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "one line rejected: {stderr}");
    let rejects = crate::util::jsonl(&std::fs::read(dir.path().join("rej.jsonl")).unwrap());
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["line"], 3, "the reject names its line");
    let summary: Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert_eq!(summary["read"], 4);
    assert_eq!(summary["rejected"], 1);
    assert_eq!(summary["result"]["records"], 3);
    assert_eq!(summary["result"]["alerts_raised"], 1);

    let got = alerts(&receiver);
    assert_eq!(got.len(), 1, "one alert: {got:?}");
    assert_eq!(got[0]["subscription"], "cancel");
    assert_eq!(got[0]["customer_id"], "C2");
    assert_eq!(got[0]["records"][0]["id"], "r2");

    // A restart resumes after the last line: nothing is evaluated or sent again; a new line is.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&input)
        .unwrap();
    file.write_all(line("r4", "C4", "please cancel my account").as_bytes())
        .unwrap();
    drop(file);
    let out = watch(dir.path(), &input, &subs).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary: Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert_eq!(summary["result"]["records"], 1, "{stderr}");
    let got = alerts(&receiver);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[1]["customer_id"], "C4");
}
