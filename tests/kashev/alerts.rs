//! `kashev alerts check` through the real binary.

use crate::util::{kashev, repo, tempdir, write};

#[test]
fn check_accepts_the_sample_subscriptions_and_summarises_them() {
    let dir = tempdir();
    let out = kashev(dir.path())
        .args(["alerts", "check"])
        .arg(repo("fixtures/subscriptions.toml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "exit {:?}\n{stdout}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "cancel-intent (line 3)",
        "  rule:        record with churn.cancel_intent (record)",
        "  rule:        3 × complaint.billing* in 14d (window)",
        "  filters:     segment in business",
        "  rule:        churn.* after complaint.* within 30d (sequence)",
        "  rule:        negative sentiment on 2 channels within 48h (channels)",
        "  rule:        spike of complaint.billing per day (spike)",
        "  destination: webhook http://127.0.0.1:8080/…, signed with $KASHEV_HOOK_SECRET",
        "  digest:      every 1h",
        "  cooldown:    7d",
    ] {
        assert!(
            stdout.contains(expected),
            "{expected:?} missing from\n{stdout}"
        );
    }
    // The Slack URL is a credential: only its host is shown.
    assert!(!stdout.contains("XXXX"), "{stdout}");
    assert!(
        stdout
            .lines()
            .last()
            .unwrap_or_default()
            .ends_with("subscriptions.toml: ok: 5 subscriptions"),
        "{stdout}"
    );
}

#[test]
fn check_reports_every_problem_with_file_and_line_and_exits_2() {
    let dir = tempdir();
    write(
        dir.path(),
        "subs.toml",
        r#"[[subscription]]
name = "billing"
rule = { kind = "window", label = "complaint.biling", count = 0, within = "14d" }
destination = { type = "webhook", url = "ftp://example.com", secret = "hunter2" }

[[subscription]]
name = "billing"
rule = { kind = "burst" }
destination = { type = "email", relay = "localhost:25", from = "k@example.com" }
cooldown = "1 day"
"#,
    );
    let out = kashev(dir.path())
        .args(["alerts", "check", "subs.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let expected = [
        "subs.toml:3: label: unknown label \"complaint.biling\" (did you mean \"complaint.billing\"?)",
        "subs.toml:3: count must be at least 1, not 0",
        "subs.toml:4: webhook url \"ftp://example.com\" is not http:// or https://",
        "subs.toml:4: \"secret\" is not allowed",
        "subs.toml:6: duplicate subscription name \"billing\" (first at line 1)",
        "subs.toml:8: unknown rule kind \"burst\"",
        "subs.toml:9: an email destination without recipients",
        "subs.toml:10: cooldown: bad duration \"1 day\"",
    ];
    assert_eq!(lines.len(), expected.len(), "{stdout}");
    for (line, want) in lines.iter().zip(expected) {
        assert!(
            line.starts_with(want),
            "{line:?} does not start with {want:?}"
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("subs.toml: 8 problems"), "{stderr}");
    assert!(!stdout.contains("hunter2") && !stderr.contains("hunter2"));
}

#[test]
fn check_of_a_missing_file_exits_2() {
    let dir = tempdir();
    let out = kashev(dir.path())
        .args(["alerts", "check", "nope.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.toml"));
}
