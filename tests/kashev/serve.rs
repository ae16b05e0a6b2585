//! `kashev serve`: the HTTP API against a real index, on a real server on 127.0.0.1.

use serde_json::{Value, json};

use crate::util::{Server, index, kashev, repo, succeed, tempdir, write};

fn sample_index(dir: &std::path::Path) -> std::path::PathBuf {
    let idx = dir.join("idx");
    index(dir, &repo("fixtures/sample.jsonl"), &idx, &[]);
    idx
}

#[test]
fn search_answers_with_hits_highlights_facets_and_paging() {
    let dir = tempdir();
    let idx = sample_index(dir.path());
    let server = Server::start(dir.path(), &idx, &[], &[]);

    let a = server.get("/api/search?q=%D7%91%D7%99%D7%98%D7%95%D7%9C&limit=2");
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.content_type.starts_with("application/json"));
    let v = a.json();
    let total = v["total"].as_u64().unwrap();
    assert!(total >= 2, "{v}");
    assert_eq!(v["hits"].as_array().unwrap().len(), 2);
    assert_eq!(v["limit"], 2);
    assert_eq!(v["sort"], "relevance");
    for hit in v["hits"].as_array().unwrap() {
        let text = hit["text"].as_str().unwrap();
        let query_marks: Vec<&str> = hit["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["kind"] == "query")
            .map(|h| {
                &text[h["start"].as_u64().unwrap() as usize..h["end"].as_u64().unwrap() as usize]
            })
            .collect();
        assert!(
            query_marks.iter().any(|m| m.contains("ביטול")),
            "{query_marks:?} in {text}"
        );
    }

    // The same query through the CLI finds the same records in the same order.
    let cli = succeed(
        kashev(dir.path())
            .args(["search", "ביטול", "--limit", "2", "--json", "--index"])
            .arg(&idx),
    );
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(cli["total"], v["total"]);
    let ids = |x: &Value| -> Vec<String> {
        x["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].to_string())
            .collect()
    };
    assert_eq!(ids(&cli), ids(&v));

    // Facets count every matching record, not just the page.
    let all = server.get("/api/search?limit=1").json();
    assert_eq!(all["total"], 300);
    let facet_sum = |name: &str| -> u64 {
        all["facets"][name]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["count"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(facet_sum("channels"), 300);
    assert_eq!(facet_sum("sentiment"), 300);
    assert_eq!(facet_sum("lang"), 300);
    let billing = all["facets"]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "complaint.billing")
        .unwrap()["count"]
        .as_u64()
        .unwrap();
    let filtered = server
        .get("/api/search?label=complaint.billing&limit=200")
        .json();
    assert_eq!(filtered["total"].as_u64().unwrap(), billing);
    assert!(filtered["hits"].as_array().unwrap().iter().all(|h| {
        h["labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["label"] == "complaint.billing")
    }));

    // Facets of a filtered query, and of a query over segments with deleted documents, equal
    // the counts of the hits themselves.
    let check_facets = |path: &str| {
        let v = server.get(path).json();
        let hits = v["hits"].as_array().unwrap();
        assert_eq!(
            hits.len() as u64,
            v["total"].as_u64().unwrap(),
            "{path}: page all of it"
        );
        let mut want: std::collections::BTreeMap<String, u64> = Default::default();
        for h in hits {
            for l in h["labels"].as_array().unwrap() {
                *want
                    .entry(l["label"].as_str().unwrap().to_string())
                    .or_default() += 1;
            }
            *want
                .entry(format!("channel:{}", h["channel"].as_str().unwrap()))
                .or_default() += 1;
            *want
                .entry(format!(
                    "sentiment:{}",
                    h["sentiment"]["label"].as_str().unwrap()
                ))
                .or_default() += 1;
        }
        let mut got: std::collections::BTreeMap<String, u64> = Default::default();
        for (facet, prefix) in [
            ("labels", ""),
            ("channels", "channel:"),
            ("sentiment", "sentiment:"),
        ] {
            for f in v["facets"][facet].as_array().unwrap() {
                got.insert(
                    format!("{prefix}{}", f["key"].as_str().unwrap()),
                    f["count"].as_u64().unwrap(),
                );
            }
        }
        assert_eq!(got, want, "{path}");
    };
    check_facets("/api/search?channel=chat&limit=200");
    check_facets("/api/search?q=cancel&limit=200");
    check_facets("/api/search?q=%D7%97%D7%99%D7%95%D7%91&sort=time&limit=200");

    // Filters combine, empty query lists newest first, paging walks the same list.
    let page1 = server
        .get("/api/search?label_prefix=churn.&channel=chat&channel=agent_note&limit=5")
        .json();
    assert_eq!(page1["sort"], "time");
    let page2 = server
        .get("/api/search?label_prefix=churn.&channel=chat,agent_note&limit=5&offset=5")
        .json();
    assert_eq!(page1["total"], page2["total"]);
    let both = server
        .get("/api/search?label_prefix=churn.&channel=chat&channel=agent_note&limit=10")
        .json();
    let mut paged = ids(&page1);
    paged.extend(ids(&page2));
    assert_eq!(paged, ids(&both));
    let times: Vec<&str> = both["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["timestamp"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    for h in both["hits"].as_array().unwrap() {
        assert!(["chat", "agent_note"].contains(&h["channel"].as_str().unwrap()));
    }
    // Re-index a tenth of the records (upserts leave deleted documents behind) and count again.
    let text = std::fs::read_to_string(repo("fixtures/sample.jsonl")).unwrap();
    let again: Vec<&str> = text.lines().step_by(10).collect();
    let again = write(dir.path(), "again.jsonl", again.join("\n") + "\n");
    let generation = server.get("/api/stats").json()["generation"]
        .as_u64()
        .unwrap();
    index(dir.path(), &again, &idx, &[]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while server.get("/api/stats").json()["generation"]
        .as_u64()
        .unwrap()
        == generation
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the server never saw the commit"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(server.get("/api/search?limit=1").json()["total"], 300);
    check_facets("/api/search?channel=chat&limit=200");
    check_facets("/api/search?sentiment=negative&limit=200");
    let since = server
        .get("/api/search?since=2026-06-01&until=2026-07-01&limit=200")
        .json();
    for h in since["hits"].as_array().unwrap() {
        let t = h["timestamp"].as_str().unwrap();
        assert!(("2026-06-01".."2026-07-01").contains(&t), "{t}");
    }
}

#[test]
fn malformed_requests_get_json_errors_naming_the_field() {
    let dir = tempdir();
    let idx = sample_index(dir.path());
    let server = Server::start(dir.path(), &idx, &[], &[]);
    let cases: [(&str, &str, u16, Value); 9] = [
        (
            "GET",
            "/api/search?q=(billing",
            400,
            json!({"field": "q", "column": 1}),
        ),
        (
            "GET",
            "/api/search?q=label:complaint.biling",
            400,
            json!({"field": "q", "column": 7}),
        ),
        (
            "GET",
            "/api/search?label=complaint.nope",
            400,
            json!({"field": "label"}),
        ),
        ("GET", "/api/search?lable=x", 400, json!({"field": "lable"})),
        (
            "GET",
            "/api/search?limit=5000",
            400,
            json!({"field": "limit"}),
        ),
        (
            "GET",
            "/api/search?since=yesterday",
            400,
            json!({"field": "since"}),
        ),
        (
            "GET",
            "/api/trends?interval=hour",
            400,
            json!({"field": "interval"}),
        ),
        (
            "GET",
            "/api/customers/C1?limit=x",
            400,
            json!({"field": "limit"}),
        ),
        (
            "GET",
            "/api/search?sentiment=angry",
            400,
            json!({"field": "sentiment"}),
        ),
    ];
    for (method, path, status, want) in cases {
        let a = server.call(method, path, None, None);
        assert_eq!(a.status, status, "{path}: {}", a.body);
        let error = &a.json()["error"];
        assert!(!error["message"].as_str().unwrap().is_empty(), "{path}");
        for (k, v) in want.as_object().unwrap() {
            assert_eq!(&error[k], v, "{path}: {error}");
        }
    }
    let a = server.get("/api/search?q=label:complaint.biling");
    assert!(
        a.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown label")
    );

    let a = server.call("DELETE", "/api/stats", None, None);
    assert_eq!(a.status, 405);
    assert!(a.json()["error"]["message"].as_str().is_some());
    let a = server.get("/api/nothing");
    assert_eq!(a.status, 404);
    assert!(
        a.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/api/nothing")
    );
    assert_eq!(server.get("/api/customers/nobody").status, 404);
    let a = server.call("POST", "/api/explain", None, Some("{not json"));
    assert_eq!(
        (a.status, a.json()["error"]["field"].clone()),
        (400, json!("body"))
    );
    let a = server.call("POST", "/api/explain", None, Some("{\"txt\": \"x\"}"));
    assert_eq!(
        (a.status, a.json()["error"]["field"].clone()),
        (400, json!("text"))
    );
    let big = format!("{{\"text\": \"{}\"}}", "א".repeat(600_000));
    let a = server.call("POST", "/api/explain", None, Some(&big));
    assert_eq!(a.status, 413, "{}", a.body);
    assert!(
        a.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("limit")
    );
    // The server is still well.
    assert_eq!(server.get("/api/stats").status, 200);
}

#[test]
fn trends_customer_explain_labels_and_stats_match_the_cli() {
    let dir = tempdir();
    let idx = sample_index(dir.path());
    let server = Server::start(dir.path(), &idx, &[], &[]);

    let api = server.get("/api/trends?by=label&interval=month&label_prefix=complaint.");
    assert_eq!(api.status, 200, "{}", api.body);
    let api = api.json();
    let cli = succeed(
        kashev(dir.path())
            .args([
                "trends",
                "--by",
                "label",
                "--interval",
                "month",
                "--label-prefix",
                "complaint.",
                "--json",
                "--spikes",
                "--index",
            ])
            .arg(&idx),
    );
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(api, cli);
    assert!(
        api["series"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["key"].as_str().unwrap().starts_with("complaint."))
    );

    let csv = server.get("/api/trends?by=channel&interval=month&format=csv");
    assert_eq!(csv.status, 200);
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(
        csv.header("content-disposition")
            .unwrap()
            .contains("kashev-trends-channel-month.csv")
    );
    let rows: Vec<&str> = csv.body.lines().collect();
    assert_eq!(rows[0], "bucket_start,key,count");
    let counted: u64 = rows[1..]
        .iter()
        .map(|r| r.rsplit(',').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(counted, 300);

    let customer = server.get("/api/customers/C1000017").json();
    let cli = succeed(
        kashev(dir.path())
            .args(["customer", "C1000017", "--json", "--index"])
            .arg(&idx),
    );
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(customer["total"], cli["total"]);
    assert_eq!(customer["trajectory"], cli["trajectory"]);
    assert_eq!(
        customer["records"].as_array().unwrap().len(),
        cli["records"].as_array().unwrap().len()
    );

    let text = "כבר פעם שלישית שאני מתקשר, אם לא תסדרו אני עוזב";
    let body = json!({"text": text}).to_string();
    let explain = server.call("POST", "/api/explain", None, Some(&body));
    assert_eq!(explain.status, 200, "{}", explain.body);
    let cli = succeed(kashev(dir.path()).args(["explain", "--json", text]));
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(explain.json(), cli);

    let labels = server.get("/api/labels").json();
    let labels = labels["labels"].as_array().unwrap();
    assert!(labels.iter().any(|l| l["label"] == "churn.cancel_intent"
        && l["group"] == "churn"
        && !l["he"].as_str().unwrap().is_empty()));
    let stats = server.get("/api/stats").json();
    assert_eq!(stats["docs"], 300);
    assert_eq!(stats["schema_version"], 3);
    assert_eq!(stats["lexicon_fingerprint"], stats["lexicon"]);
    assert!(stats["size_bytes"].as_u64().unwrap() > 10_000);

    let openapi = server.get("/api/openapi.json").json();
    assert_eq!(
        openapi["openapi"].as_str().unwrap().split('.').next(),
        Some("3")
    );
    for path in [
        "/api/search",
        "/api/trends",
        "/api/customers/{id}",
        "/api/explain",
        "/api/labels",
        "/api/stats",
        "/api/subscriptions",
        "/api/subscriptions/{name}",
        "/api/alerts",
        "/api/alerts/status",
        "/api/me",
    ] {
        assert!(
            openapi["paths"].get(path).is_some(),
            "{path} missing from openapi.json"
        );
    }

    let page = server.get("/search?q=x");
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    let js = server.get("/assets/app.js");
    assert_eq!(js.status, 200);
    assert!(js.content_type.starts_with("text/javascript"));
    assert_eq!(server.get("/assets/nope.js").status, 404);
}

const PII_RECORDS: &str = r#"{"id":"p1","customer_id":"C9","channel":"chat","timestamp":"2026-03-02T10:00:00Z","text":"חייבו אותי פעמיים החודש, תחזרו אליי ל-054-1234567 או dana@example.co.il","email":"dana@example.co.il"}
{"id":"p2","customer_id":"C9","channel":"email","timestamp":"2026-03-03T10:00:00Z","text":"I want to cancel my account. Card 4111 1111 1111 1111 was charged twice."}
"#;

const TOKENS: &str = "# name scopes token\nanalyst read 0123456789abcdef01\nlead read,admin,pii fedcba9876543210fe\n";

#[test]
fn tokens_scopes_and_personal_data() {
    let dir = tempdir();
    let input = write(dir.path(), "pii.jsonl", PII_RECORDS);
    let idx = dir.path().join("idx");
    index(dir.path(), &input, &idx, &[]);
    let tokens = write(dir.path(), "tokens.txt", TOKENS);
    let subs = dir.path().join("subs.toml");
    std::fs::copy(repo("fixtures/subscriptions.toml"), &subs).unwrap();
    let server = Server::start(
        dir.path(),
        &idx,
        &[
            "--tokens-file",
            tokens.to_str().unwrap(),
            "--subscriptions",
            subs.to_str().unwrap(),
        ],
        &[("KASHEV_API_TOKENS", "bot read zzzzzzzzzzzzzzzzzzzz")],
    );
    let analyst = Some("0123456789abcdef01");
    let lead = Some("fedcba9876543210fe");

    let a = server.get("/api/search");
    assert_eq!(a.status, 401);
    assert!(a.header("www-authenticate").unwrap().starts_with("Bearer"));
    assert_eq!(
        server
            .call("GET", "/api/search", Some("0123456789abcdef00"), None)
            .status,
        401
    );
    let me = server.get("/api/me").json();
    assert_eq!(me["auth_required"], true);
    assert_eq!(me["scopes"], json!([]));
    let me = server.call("GET", "/api/me", analyst, None).json();
    assert_eq!(
        (me["scopes"].clone(), me["pii"].clone()),
        (json!(["read"]), json!(false))
    );
    assert_eq!(
        server
            .call("GET", "/api/stats", Some("zzzzzzzzzzzzzzzzzzzz"), None)
            .status,
        200
    );

    // A read token sees personal data masked, offsets intact; a pii token sees it.
    let masked = server
        .call("GET", "/api/search?q=id:p1", analyst, None)
        .json();
    let hit = &masked["hits"][0];
    let text = hit["text"].as_str().unwrap();
    assert!(
        text.contains("***-*******") && text.contains("****@*******.**.**"),
        "{text}"
    );
    assert!(!text.contains("1234567") && !text.contains("dana"));
    assert_eq!(hit["meta"]["email"], "****@*******.**.**");
    for l in hit["labels"].as_array().unwrap() {
        for e in l["evidence"].as_array().unwrap() {
            let (s, t) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[s..t], e["text"].as_str().unwrap());
        }
    }
    let clear = server.call("GET", "/api/search?q=id:p1", lead, None).json();
    assert!(
        clear["hits"][0]["text"]
            .as_str()
            .unwrap()
            .contains("054-1234567")
    );
    assert_eq!(clear["hits"][0]["meta"]["email"], "dana@example.co.il");
    let card = server
        .call("GET", "/api/customers/C9", analyst, None)
        .json();
    let texts: Vec<&str> = card["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("**** **** **** ****")),
        "{texts:?}"
    );
    assert!(texts.iter().all(|t| !t.contains("4111")));

    // Scopes: read may not edit, admin may.
    let new = json!({"name": "web-made", "rule": {"kind": "record", "label": "churn.cancel_intent"}, "destination": {"type": "stdout"}}).to_string();
    let a = server.call("POST", "/api/subscriptions", analyst, Some(&new));
    assert_eq!(a.status, 403, "{}", a.body);
    assert_eq!(
        server
            .call("POST", "/api/subscriptions", lead, Some(&new))
            .status,
        201
    );
    // A webhook URL is shown only to admins.
    let listed = server
        .call("GET", "/api/subscriptions", analyst, None)
        .json();
    let hook = listed["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "cancel-intent")
        .unwrap();
    assert!(
        !hook["destination"]["url"]
            .as_str()
            .unwrap()
            .contains("127.0.0.1")
    );
    let listed = server.call("GET", "/api/subscriptions", lead, None).json();
    let hook = listed["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "cancel-intent")
        .unwrap();
    assert!(
        hook["destination"]["url"]
            .as_str()
            .unwrap()
            .contains("127.0.0.1")
    );

    // The log names the caller, never the token or the query string.
    std::thread::sleep(std::time::Duration::from_millis(100));
    let log = server.log();
    assert!(log.contains("GET /api/search 401"), "{log}");
    assert!(log.contains(" analyst") && log.contains(" lead"), "{log}");
    for secret in ["0123456789abcdef", "fedcba9876543210", "zzzzzzzz", "id:p1"] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}

#[test]
fn a_public_address_needs_tokens() {
    let dir = tempdir();
    let idx = sample_index(dir.path());
    kashev(dir.path())
        .args(["serve", "--addr", "0.0.0.0:0", "--index"])
        .arg(&idx)
        .env_remove("KASHEV_API_TOKENS")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "refusing to serve on 0.0.0.0:0 without API tokens",
        ));
    kashev(dir.path())
        .args(["serve", "--index", "missing-index"])
        .assert()
        .code(2);
    let bad = write(dir.path(), "tokens.txt", "x read short\n");
    kashev(dir.path())
        .args(["serve", "--tokens-file"])
        .arg(&bad)
        .arg("--index")
        .arg(&idx)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "tokens.txt:1: token 'x' is shorter than 16 characters",
        ));
}

#[test]
fn index_redact_stores_no_personal_data() {
    let dir = tempdir();
    let input = write(dir.path(), "pii.jsonl", PII_RECORDS);
    let idx = dir.path().join("idx");
    index(dir.path(), &input, &idx, &["--redact".as_ref()]);
    let tokens = write(dir.path(), "tokens.txt", TOKENS);
    let server = Server::start(
        dir.path(),
        &idx,
        &["--tokens-file", tokens.to_str().unwrap()],
        &[],
    );
    // Even a pii token sees it masked: the index does not hold it.
    let v = server
        .call(
            "GET",
            "/api/search?customer=C9",
            Some("fedcba9876543210fe"),
            None,
        )
        .json();
    assert_eq!(v["total"], 2);
    for hit in v["hits"].as_array().unwrap() {
        let text = hit["text"].as_str().unwrap();
        assert!(
            !text.contains("1234567") && !text.contains("4111") && !text.contains("dana"),
            "{text}"
        );
        // Classification read the original: the labels are there, with evidence on the masked text.
        assert!(!hit["labels"].as_array().unwrap().is_empty(), "{hit}");
        for l in hit["labels"].as_array().unwrap() {
            for e in l["evidence"].as_array().unwrap() {
                let (s, t) = (
                    e["start"].as_u64().unwrap() as usize,
                    e["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(&text[s..t], e["text"].as_str().unwrap());
            }
        }
    }
    // The CLI, which never masks, reads it masked too: the index does not hold it.
    let out = succeed(
        kashev(dir.path())
            .args(["search", "", "--json", "--index"])
            .arg(&idx),
    );
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.contains("054-1234567") && !out.contains("dana@") && !out.contains("4111"),
        "{out}"
    );
    // Without --redact the index does hold it (so the check above can fail).
    let plain = dir.path().join("plain");
    index(dir.path(), &input, &plain, &[]);
    let v = server
        .call("GET", "/api/stats", Some("fedcba9876543210fe"), None)
        .json();
    assert_eq!(v["docs"], 2);
    let out = succeed(
        kashev(dir.path())
            .args(["search", "", "--json", "--index"])
            .arg(&plain),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("054-1234567"));
}

#[test]
fn subscriptions_are_edited_in_the_file_and_validated_like_it() {
    let dir = tempdir();
    let idx = sample_index(dir.path());
    let subs = dir.path().join("subs.toml");
    std::fs::copy(repo("fixtures/subscriptions.toml"), &subs).unwrap();
    let original = std::fs::read_to_string(&subs).unwrap();
    let server = Server::start(
        dir.path(),
        &idx,
        &["--subscriptions", subs.to_str().unwrap()],
        &[],
    );

    let listed = server.get("/api/subscriptions").json();
    let names: Vec<&str> = listed["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "cancel-intent",
            "repeat-billing-complaints",
            "churn-after-complaint",
            "negative-across-channels",
            "billing-spike"
        ]
    );
    assert!(
        listed["subscriptions"][1]["describe"]["rule"]
            .as_str()
            .unwrap()
            .contains("3")
    );

    let new = json!({
        "name": "vip-churn",
        "rule": {"kind": "window", "label_prefix": "churn.", "count": 2, "within": "30d"},
        "channels": ["chat", "phone"],
        "destination": {"type": "file", "path": "vip.jsonl"},
        "cooldown": "7d"
    });
    let a = server.call("POST", "/api/subscriptions", None, Some(&new.to_string()));
    assert_eq!(a.status, 201, "{}", a.body);
    let text = std::fs::read_to_string(&subs).unwrap();
    assert!(text.starts_with(&original), "the rest of the file is kept");
    succeed(kashev(dir.path()).args(["alerts", "check"]).arg(&subs));
    let got = server.get("/api/subscriptions/vip-churn").json();
    assert_eq!(got["rule"]["within"], "30d");
    assert_eq!(got["channels"], json!(["chat", "phone"]));

    // Problems come back with their fields, exactly as the file check words them.
    let bad = json!({
        "name": "broken",
        "rule": {"kind": "window", "label": "complaint.biling", "count": 3, "within": "2 weeks"},
        "destination": {"type": "webhook", "url": "ftp://x"},
        "cooldown": "soon"
    });
    let a = server.call("POST", "/api/subscriptions", None, Some(&bad.to_string()));
    assert_eq!(a.status, 422, "{}", a.body);
    let problems = a.json()["error"]["problems"].as_array().unwrap().clone();
    let fields: Vec<&str> = problems
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    for f in ["rule.label", "rule.within", "destination.url", "cooldown"] {
        assert!(fields.contains(&f), "{f} not in {problems:?}");
    }
    let label = problems
        .iter()
        .find(|p| p["field"] == "rule.label")
        .unwrap();
    assert!(
        label["message"]
            .as_str()
            .unwrap()
            .contains("did you mean \"complaint.billing\""),
        "{label}"
    );
    assert_eq!(
        std::fs::read_to_string(&subs).unwrap(),
        text,
        "a refused edit writes nothing"
    );
    let a = server.call("POST", "/api/subscriptions", None, Some(&new.to_string()));
    assert_eq!(
        (a.status, a.json()["error"]["field"].clone()),
        (409, json!("name"))
    );

    // Replace keeps its place; delete removes only it.
    let changed = json!({"name": "vip-churn", "rule": {"kind": "record", "min_churn_risk": 0.8}, "destination": {"type": "stdout"}});
    let a = server.call(
        "PUT",
        "/api/subscriptions/vip-churn",
        None,
        Some(&changed.to_string()),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        server.get("/api/subscriptions/vip-churn").json()["rule"]["kind"],
        "record"
    );
    assert_eq!(
        server
            .call(
                "PUT",
                "/api/subscriptions/nope",
                None,
                Some(&changed.to_string())
            )
            .status,
        404
    );
    assert_eq!(
        server
            .call("DELETE", "/api/subscriptions/vip-churn", None, None)
            .status,
        204
    );
    assert_eq!(
        std::fs::read_to_string(&subs).unwrap().trim_end(),
        original.trim_end()
    );
    assert_eq!(server.get("/api/subscriptions/vip-churn").status, 404);

    // Without a subscriptions file the endpoints say so.
    let bare = Server::start(dir.path(), &idx, &[], &[]);
    assert_eq!(bare.get("/api/subscriptions").status, 503);
    assert_eq!(bare.get("/api/me").json()["subscriptions"], false);
}

#[test]
fn alerts_and_their_delivery_status_are_listed() {
    let dir = tempdir();
    let idx = sample_index(dir.path());
    let subs = write(
        dir.path(),
        "subs.toml",
        "[[subscription]]\nname = \"cancel\"\nrule = { kind = \"record\", label = \"churn.cancel_intent\" }\ndestination = { type = \"file\", path = \"alerts.jsonl\" }\n",
    );
    succeed(
        kashev(dir.path())
            .args(["alerts", "run", "--subscriptions"])
            .arg(&subs)
            .arg("--index")
            .arg(&idx),
    );
    let delivered = std::fs::read_to_string(dir.path().join("alerts.jsonl"))
        .unwrap()
        .lines()
        .count();
    assert!(delivered > 0);
    let server = Server::start(
        dir.path(),
        &idx,
        &["--subscriptions", subs.to_str().unwrap()],
        &[],
    );
    let alerts = server.get("/api/alerts?limit=1000").json();
    let alerts = alerts["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), delivered);
    assert!(
        alerts
            .iter()
            .all(|a| a["subscription"] == "cancel" && a["payload"]["alert_id"] == a["alert_id"])
    );
    let last: Vec<&str> = alerts
        .iter()
        .map(|a| a["last_seen"].as_str().unwrap())
        .collect();
    assert!(last.windows(2).all(|w| w[0] >= w[1]), "latest first");
    assert_eq!(
        server.get("/api/alerts?subscription=other").json()["alerts"],
        json!([])
    );
    let status = server.get("/api/alerts/status").json();
    assert_eq!(status["delivered"].as_u64().unwrap() as usize, delivered);
    assert_eq!(
        status["subscriptions"]["cancel"]["alerts"]
            .as_u64()
            .unwrap() as usize,
        delivered
    );
}

#[test]
fn readers_see_new_commits_while_kashev_index_writes() {
    let dir = tempdir();
    let corpus = dir.path().join("corpus.jsonl");
    succeed(
        kashev(dir.path())
            .args(["generate", "--count", "3000", "--seed", "5", "-o"])
            .arg(&corpus),
    );
    let text = std::fs::read_to_string(&corpus).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let first = write(dir.path(), "first.jsonl", lines[..1000].join("\n") + "\n");
    let rest = write(dir.path(), "rest.jsonl", lines[1000..].join("\n") + "\n");
    let idx = dir.path().join("idx");
    index(dir.path(), &first, &idx, &[]);
    let server = std::sync::Arc::new(Server::start(dir.path(), &idx, &["--quiet"], &[]));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|i| {
            let server = server.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let path = [
                    "/api/search?limit=5",
                    "/api/search?q=label:churn.*&limit=5",
                    "/api/trends?interval=month&evidence=false",
                ][i];
                let mut seen = Vec::new();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let a = server.get(path);
                    assert_eq!(a.status, 200, "{path}: {}", a.body);
                    seen.push(a.json()["total"].as_u64().unwrap());
                }
                seen
            })
        })
        .collect();
    succeed(
        kashev(dir.path())
            .args(["index", "--commit-every", "400", "--index"])
            .arg(&idx)
            .arg(&rest),
    );
    // The reader follows commits (it polls the index's meta file): wait for the last one.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while server.get("/api/stats").json()["docs"] != 3000 {
        assert!(
            std::time::Instant::now() < deadline,
            "the server never saw the last commit"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for r in readers {
        let seen = r.join().expect("a reader thread");
        assert!(!seen.is_empty());
        assert!(
            seen.windows(2).all(|w| w[0] <= w[1]),
            "counts went back: {seen:?}"
        );
    }
    assert_eq!(server.get("/api/search?limit=1").json()["total"], 3000);
}

#[test]
fn sigterm_shuts_down_gracefully() {
    let dir = tempdir();
    let idx = sample_index(dir.path());
    let mut server = Server::start(dir.path(), &idx, &[], &[]);
    assert_eq!(server.get("/api/stats").status, 200);
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = server.wait(10).expect("the server exits after SIGTERM");
    assert!(status.success(), "{status:?}");
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(server.log().contains("shutting down"), "{}", server.log());
}
