use std::sync::OnceLock;

use super::*;

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::embedded().expect("the embedded lexicon loads"))
}

fn parse(text: &str) -> Result<Subscriptions> {
    Subscriptions::parse(text, "subs.toml", lexicon())
}

fn problems(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(s) => panic!("expected problems, got {s:?}"),
        Err(Error::Config { problems }) => problems,
        Err(e) => panic!("expected a config error, got {e}"),
    }
}

const VALID: &str = r#"
[[subscription]]
name = "cancel"
rule = { kind = "record", label = "churn.cancel_intent", min_churn_risk = 0.5 }
channels = ["chat", "phone"]
languages = ["he"]
label_prefix = "churn."
min_churn_risk = 0.3
segment = { field = "segment", values = ["business"] }
destination = { type = "webhook", url = "https://hooks.example.com/x", secret_env = "KASHEV_HOOK_SECRET", timeout_ms = 2000, max_attempts = 3 }
cooldown = "12h"

[[subscription]]
name = "billing"
rule = { kind = "window", label = "complaint.billing", count = 3, within = "14d" }
destination = { type = "email", relay = "smtp.example.com:25", from = "k@example.com", to = ["a@example.com", "b@example.com"] }
digest = "1h"

[[subscription]]
name = "sequence"
rule = { kind = "sequence", first = "complaint.", then = "churn.cancel_intent", within = "30d" }
destination = { type = "file", path = "alerts.jsonl" }

[[subscription]]
name = "channels"
rule = { kind = "channels", sentiment = "negative", channels = 2, within = "48h" }
destination = { type = "stdout" }

[[subscription]]
name = "spike"
rule = { kind = "spike", label = "complaint.billing", interval = "week", min_count = 10, history = 6 }
destination = { type = "stdout" }
"#;

#[test]
fn a_valid_file_gives_the_model() {
    let subs = parse(VALID).unwrap();
    assert_eq!(subs.len(), 5);
    assert_eq!(subs.file(), "subs.toml");
    let cancel = subs.get("cancel").unwrap();
    assert_eq!(cancel.line, 2);
    assert_eq!(
        cancel.rule,
        Rule::Record {
            label: Some("churn.cancel_intent".into()),
            label_prefix: None,
            min_churn_risk: Some(0.5),
        }
    );
    assert_eq!(cancel.filters.channels, ["chat", "phone"]);
    assert_eq!(cancel.filters.languages, ["he"]);
    assert_eq!(cancel.filters.label_prefix.as_deref(), Some("churn."));
    assert_eq!(cancel.filters.min_churn_risk, Some(0.3));
    assert_eq!(
        cancel.filters.segment,
        Some(Segment {
            field: "segment".into(),
            values: vec!["business".into()]
        })
    );
    assert_eq!(
        cancel.destination,
        Destination::Webhook {
            url: "https://hooks.example.com/x".into(),
            secret_env: Some("KASHEV_HOOK_SECRET".into()),
            slack: false,
            timeout_ms: 2000,
            max_attempts: 3,
        }
    );
    assert_eq!(cancel.cooldown, Duration::from_secs(12 * 3600));
    assert_eq!(cancel.digest, None);

    let billing = subs.get("billing").unwrap();
    assert_eq!(billing.rule.describe(), "3 × complaint.billing in 14d");
    assert_eq!(billing.cooldown, DEFAULT_COOLDOWN);
    assert_eq!(billing.digest, Some(Duration::from_secs(3600)));

    let sequence = subs.get("sequence").unwrap();
    assert_eq!(
        sequence.rule,
        Rule::Sequence {
            first: LabelMatch::Prefix("complaint.".into()),
            then: LabelMatch::Label("churn.cancel_intent".into()),
            within: Duration::from_secs(30 * 86_400),
        }
    );
    assert_eq!(
        sequence.rule.describe(),
        "churn.cancel_intent after complaint.* within 30d"
    );
    assert_eq!(
        subs.get("channels").unwrap().rule.describe(),
        "negative sentiment on 2 channels within 48h"
    );
    match &subs.get("spike").unwrap().rule {
        Rule::Spike {
            label,
            interval,
            test,
        } => {
            assert_eq!(label, "complaint.billing");
            assert_eq!(*interval, Interval::Week);
            assert_eq!(test.min_count, 10);
            assert_eq!(test.window, 6);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_sample_fixture_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/subscriptions.toml");
    let subs = Subscriptions::load(&path, lexicon()).unwrap();
    let kinds: Vec<&str> = subs.iter().map(|s| s.rule.kind()).collect();
    assert_eq!(kinds, ["record", "window", "sequence", "channels", "spike"]);
}

/// A subscription around a line to vary; the varied line is line 4.
fn with(line: &str) -> String {
    format!("[[subscription]]\nname = \"s\"\ndestination = {{ type = \"stdout\" }}\n{line}\n")
}

/// A subscription whose destination is the given table (line 4).
fn with_destination(destination: &str) -> String {
    format!(
        "[[subscription]]\nname = \"s\"\nrule = {{ kind = \"record\", label = \"churn.cancel_intent\" }}\ndestination = {destination}\n"
    )
}

const RULE: &str = "rule = { kind = \"record\", label = \"churn.cancel_intent\" }";

#[test]
fn every_problem_is_reported_with_its_line() {
    let cases: Vec<(&str, String, usize, &str)> = vec![
        (
            "toml_syntax",
            "[[subscription]]\nname = \"s\"\nrule = { kind = \n".into(),
            3,
            "TOML: ",
        ),
        (
            "unknown_top_level_key",
            format!("colour = \"red\"\n{}", with(RULE)),
            1,
            "unknown key \"colour\"",
        ),
        (
            "unknown_subscription_key",
            with(&format!("{RULE}\ncolor = 1")),
            5,
            "unknown key \"color\" in a subscription",
        ),
        (
            "missing_name",
            format!("[[subscription]]\n{RULE}\ndestination = {{ type = \"stdout\" }}\n"),
            1,
            "subscription without a name",
        ),
        (
            "missing_rule",
            with(""),
            1,
            "subscription \"s\" has no rule",
        ),
        (
            "missing_destination",
            format!("\n[[subscription]]\nname = \"s\"\n{RULE}\n"),
            2,
            "has no destination",
        ),
        (
            "duplicate_name",
            format!("{}\n{}", with(RULE), with(RULE)),
            6,
            "duplicate subscription name \"s\" (first at line 1)",
        ),
        (
            "unknown_rule_kind",
            with("rule = { kind = \"burst\" }"),
            4,
            "unknown rule kind \"burst\"",
        ),
        (
            "rule_without_kind",
            with("rule = { label = \"churn.cancel_intent\" }"),
            4,
            "rule needs a kind",
        ),
        (
            "unknown_rule_key",
            with("rule = { kind = \"record\", label = \"churn.cancel_intent\", lable = 1 }"),
            4,
            "unknown key \"lable\" in a record rule",
        ),
        (
            "unknown_label",
            with("rule = { kind = \"record\", label = \"churn.cancle\" }"),
            4,
            "unknown label \"churn.cancle\"",
        ),
        (
            "misspelt_label",
            with("rule = { kind = \"record\", label = \"complaint.biling\" }"),
            4,
            "unknown label \"complaint.biling\" (did you mean \"complaint.billing\"?)",
        ),
        (
            "label_that_is_a_prefix",
            with("rule = { kind = \"record\", label = \"churn.\" }"),
            4,
            "use label_prefix",
        ),
        (
            "prefix_matching_no_label",
            with(
                "rule = { kind = \"window\", label_prefix = \"billing.\", count = 2, within = \"7d\" }",
            ),
            4,
            "the prefix \"billing.\" matches no label",
        ),
        (
            "filter_prefix_matching_no_label",
            with(&format!("{RULE}\nlabel_prefix = \"sentiment\"")),
            5,
            "the prefix \"sentiment\" matches no label",
        ),
        (
            "sequence_signal_unknown",
            with(
                "rule = { kind = \"sequence\", first = \"complaints.\", then = \"churn.\", within = \"30d\" }",
            ),
            4,
            "first: \"complaints.\" is neither a label nor the prefix of one",
        ),
        (
            "record_rule_without_condition",
            with("rule = { kind = \"record\" }"),
            4,
            "a record rule needs label, label_prefix or min_churn_risk",
        ),
        (
            "window_without_count",
            with("rule = { kind = \"window\", label = \"complaint.billing\", within = \"7d\" }"),
            4,
            "a window rule needs count",
        ),
        (
            "window_with_label_and_prefix",
            with(
                "rule = { kind = \"window\", label = \"complaint.billing\", label_prefix = \"complaint.\", count = 2, within = \"7d\" }",
            ),
            4,
            "label or label_prefix, not both",
        ),
        (
            "count_below_one",
            with(
                "rule = { kind = \"window\", label = \"complaint.billing\", count = 0, within = \"7d\" }",
            ),
            4,
            "count must be at least 1",
        ),
        (
            "count_not_an_integer",
            with(
                "rule = { kind = \"window\", label = \"complaint.billing\", count = \"3\", within = \"7d\" }",
            ),
            4,
            "count must be an integer, not string",
        ),
        (
            "bad_duration_unit",
            with(
                "rule = { kind = \"window\", label = \"complaint.billing\", count = 3, within = \"14 days\" }",
            ),
            4,
            "within: bad duration \"14 days\"",
        ),
        (
            "zero_duration",
            with(&format!("{RULE}\ncooldown = \"0h\"")),
            5,
            "cooldown: bad duration \"0h\": must be longer than 0",
        ),
        (
            "duration_without_unit",
            with(&format!("{RULE}\ncooldown = \"24\"")),
            5,
            "the number needs a unit",
        ),
        (
            "channels_below_one",
            with("rule = { kind = \"channels\", channels = 0, within = \"48h\" }"),
            4,
            "channels must be at least 1",
        ),
        (
            "unknown_sentiment",
            with(
                "rule = { kind = \"channels\", sentiment = \"angry\", channels = 2, within = \"48h\" }",
            ),
            4,
            "sentiment: \"angry\" is not one of positive, negative, neutral",
        ),
        (
            "spike_bad_interval",
            with("rule = { kind = \"spike\", label = \"complaint.billing\", interval = \"hour\" }"),
            4,
            "interval: \"hour\" is not one of day, week, month",
        ),
        (
            "min_churn_risk_out_of_range",
            with(&format!("{RULE}\nmin_churn_risk = 1.5")),
            5,
            "min_churn_risk must lie between 0 and 1",
        ),
        (
            "unknown_language",
            with(&format!("{RULE}\nlanguages = [\"fr\"]")),
            5,
            "unknown language \"fr\"",
        ),
        (
            "segment_without_values",
            with(&format!("{RULE}\nsegment = {{ field = \"segment\" }}")),
            5,
            "segment needs values",
        ),
        (
            "webhook_url_not_http",
            with_destination("{ type = \"webhook\", url = \"ftp://example.com/hook\" }"),
            4,
            "webhook url \"ftp://example.com/hook\" is not http:// or https://",
        ),
        (
            "webhook_url_without_host",
            with_destination("{ type = \"webhook\", url = \"http:///hook\" }"),
            4,
            "has no host",
        ),
        (
            "webhook_without_url",
            with_destination("{ type = \"webhook\" }"),
            4,
            "a webhook destination needs a url",
        ),
        (
            "inline_secret",
            with_destination("{ type = \"webhook\", url = \"http://x\", secret = \"hunter2\" }"),
            4,
            "\"secret\" is not allowed: secrets are never written in this file",
        ),
        (
            "inline_secret_in_a_multiline_table",
            format!(
                "[[subscription]]\nname = \"s\"\n{RULE}\n\n[subscription.destination]\ntype = \"webhook\"\nurl = \"http://x\"\nsecret = \"hunter2\"\n"
            ),
            8,
            "\"secret\" is not allowed",
        ),
        (
            "secret_env_holding_a_secret",
            with_destination(
                "{ type = \"webhook\", url = \"http://x\", secret_env = \"s3cr3t-value!\" }",
            ),
            4,
            "is not an environment variable name",
        ),
        (
            "email_without_recipients",
            with_destination(
                "{ type = \"email\", relay = \"localhost:25\", from = \"k@example.com\" }",
            ),
            4,
            "an email destination without recipients",
        ),
        (
            "email_with_empty_recipients",
            with_destination(
                "{ type = \"email\", relay = \"localhost:25\", from = \"k@example.com\", to = [] }",
            ),
            4,
            "an email destination without recipients",
        ),
        (
            "email_relay_without_port",
            with_destination(
                "{ type = \"email\", relay = \"localhost\", from = \"k@example.com\", to = [\"a@b\"] }",
            ),
            4,
            "relay \"localhost\" is not host:port",
        ),
        (
            "unknown_destination_type",
            with_destination("{ type = \"pager\" }"),
            4,
            "unknown destination type \"pager\"",
        ),
        (
            "destination_without_type",
            with_destination("{ url = \"http://x\" }"),
            4,
            "destination needs a type",
        ),
        (
            "digest_without_batching_destination",
            format!("{}digest = \"1h\"\n", with(RULE)),
            5,
            "digest needs a destination that can batch alerts",
        ),
        (
            "subscription_as_a_plain_table",
            format!("[subscription]\nname = \"s\"\n{RULE}\n"),
            1,
            "write [[subscription]]",
        ),
        (
            "empty_file",
            "# nothing yet\n".into(),
            1,
            "no [[subscription]] tables",
        ),
    ];
    let mut failures = Vec::new();
    for (name, text, line, message) in &cases {
        let got = match parse(text) {
            Ok(_) => {
                failures.push(format!("{name}: accepted"));
                continue;
            }
            Err(Error::Config { problems }) => problems,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let prefix = format!("subs.toml:{line}: ");
        if !got
            .iter()
            .any(|p| p.starts_with(&prefix) && p.contains(message))
        {
            failures.push(format!("{name}: want {prefix}…{message}…, got {got:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn all_problems_of_a_file_come_at_once_in_line_order() {
    let text = r#"[[subscription]]
name = "a"
rule = { kind = "window", label = "complaint.bill", count = 0, within = "2x" }
destination = { type = "webhook", url = "mailto:x", secret = "s" }

[[subscription]]
name = "a"
rule = { kind = "record", label = "churn.cancel_intent" }
destination = { type = "stdout" }
cooldown = "forever"
"#;
    let got = problems(text);
    let lines: Vec<&str> = got
        .iter()
        .map(|p| p.split(": ").next().unwrap_or_default())
        .collect();
    assert_eq!(
        lines,
        [
            "subs.toml:3",
            "subs.toml:3",
            "subs.toml:3",
            "subs.toml:4",
            "subs.toml:4",
            "subs.toml:6",
            "subs.toml:10",
        ],
        "{got:#?}"
    );
    assert!(
        got[0].ends_with("(it is a prefix: use label_prefix)"),
        "{got:#?}"
    );
    assert!(
        got[5].contains("duplicate subscription name \"a\" (first at line 1)"),
        "{got:#?}"
    );
}

#[test]
fn durations_parse_and_print() {
    let cases = [
        ("90s", 90, "90s"),
        ("30m", 1800, "30m"),
        ("24h", 86_400, "24h"),
        ("48h", 172_800, "48h"),
        ("7d", 604_800, "7d"),
        ("2w", 1_209_600, "14d"),
        ("1d12h", 129_600, "36h"),
        (" 1h30m ", 5_400, "90m"),
    ];
    for (text, seconds, shown) in cases {
        let d = Duration::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(d.seconds(), seconds, "{text}");
        assert_eq!(d.to_string(), shown, "{text}");
    }
    for bad in [
        "",
        "h",
        "5",
        "5y",
        "0d",
        "-1h",
        "1.5h",
        "99999999999999999999s",
        "40000d",
    ] {
        assert!(Duration::parse(bad).is_err(), "{bad:?} accepted");
    }
}

#[test]
fn filters_accept_and_reject() {
    let subs = parse(VALID).unwrap();
    let filters = &subs.get("cancel").unwrap().filters;
    let event = |channel: &str, lang: &str, label: &str, risk: f64, segment: serde_json::Value| {
        let mut meta = serde_json::Map::new();
        meta.insert("segment".into(), segment);
        Event {
            id: "r".into(),
            customer_id: Some("c".into()),
            channel: Some(channel.into()),
            lang: lang.into(),
            timestamp: "2026-01-01T00:00:00Z".parse().unwrap(),
            sentiment: -0.5,
            sentiment_label: "negative".into(),
            labels: vec![super::super::LabelHit {
                label: label.into(),
                score: 1.0,
                evidence: Vec::new(),
            }],
            churn_risk: risk,
            text: String::new(),
            meta,
        }
    };
    let business = || serde_json::json!("business");
    assert!(filters.accepts(&event("chat", "he", "churn.cancel_intent", 0.4, business())));
    assert!(!filters.accepts(&event(
        "email",
        "he",
        "churn.cancel_intent",
        0.4,
        business()
    )));
    assert!(!filters.accepts(&event("chat", "en", "churn.cancel_intent", 0.4, business())));
    assert!(!filters.accepts(&event("chat", "he", "complaint.billing", 0.4, business())));
    assert!(!filters.accepts(&event("chat", "he", "churn.cancel_intent", 0.2, business())));
    assert!(!filters.accepts(&event(
        "chat",
        "he",
        "churn.cancel_intent",
        0.4,
        serde_json::json!("consumer")
    )));
    assert!(!filters.accepts(&event(
        "chat",
        "he",
        "churn.cancel_intent",
        0.4,
        serde_json::Value::Null
    )));
    assert_eq!(
        filters.describe(),
        "channels chat, phone; languages he; labels churn.*; churn risk ≥ 0.3; segment in business"
    );
}

#[test]
fn destinations_are_described_without_secrets() {
    let d = Destination::Webhook {
        url: "https://user:pw@hooks.slack.com/services/T0/B0/SECRET?token=x".into(),
        secret_env: Some("HOOK".into()),
        slack: true,
        timeout_ms: 5000,
        max_attempts: 8,
    };
    let s = describe_destination(&d);
    assert_eq!(
        s,
        "Slack webhook https://hooks.slack.com/…, signed with $HOOK, timeout 5000 ms, 8 attempts"
    );
    assert!(!s.contains("SECRET") && !s.contains("pw") && !s.contains("token"));
}

#[test]
fn invalid_utf8_is_a_problem_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("subs.toml");
    std::fs::write(&path, b"[[subscription]]\nname = \"\xff\"\n").unwrap();
    match Subscriptions::load(&path, lexicon()) {
        Err(Error::Config { problems }) => {
            assert_eq!(problems.len(), 1);
            assert!(problems[0].ends_with(":2: not valid UTF-8"), "{problems:?}");
        }
        other => panic!("{other:?}"),
    }
}

proptest::proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "(\\PC|\n|\\[\\[subscription\\]\\]|name = |rule = \\{ kind = |\"|=|,|\\{|\\}){0,80}") {
        let _ = parse(&text);
    }

    #[test]
    fn arbitrary_durations_never_panic(text in "\\PC{0,12}") {
        let _ = Duration::parse(&text);
    }
}
