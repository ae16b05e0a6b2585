//! JSON shapes of what the index answers — records with their classification and highlights,
//! search results, trends, a customer's view — and of an explanation and the alert store's status.
//! The CLI's `--json` output and the HTTP API ([`crate::serve`]) both write these, so a script
//! written against one reads the other.

use std::io;

use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;

use crate::alerts::store::{self, Position, Store};
use crate::classify::{Classifier, Explanation, Scratch};
use crate::index::StoredDoc;
use crate::index::customer::{CustomerView, OpenSignal, RepeatContact, RiskTrajectory};
use crate::index::search::{Highlight, SearchHit, Sort};
use crate::index::trends::{Trends, TrendsRequest};
use crate::lexicon::{Lexicon, TokenForm};
use crate::record::format_timestamp;

/// How many characters the churn-risk sparkline may take.
pub const SPARKLINE_WIDTH: usize = 60;

/// Search results: the total, the order and one page of records.
#[derive(Serialize)]
pub struct JsonResults<'a> {
    /// The query as given.
    pub query: &'a str,
    /// How many records match in all.
    pub total: usize,
    /// How many were skipped.
    pub offset: usize,
    /// The order used.
    pub sort: Sort,
    /// The page.
    pub hits: Vec<JsonHit<'a>>,
}

/// A record with its classification and highlights, as JSON.
#[derive(Serialize)]
pub struct JsonHit<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agent_id: Option<&'a str>,
    lang: &'a str,
    sentiment: &'a crate::index::StoredSentiment,
    labels: &'a [crate::index::StoredLabel],
    churn_risk: f64,
    text: &'a str,
    highlights: &'a [Highlight],
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    meta: &'a serde_json::Map<String, serde_json::Value>,
}

impl<'a> From<&'a SearchHit> for JsonHit<'a> {
    fn from(hit: &'a SearchHit) -> JsonHit<'a> {
        JsonHit::new(&hit.doc, hit.score, &hit.highlights)
    }
}

impl<'a> JsonHit<'a> {
    /// A record in the JSON shape every index command writes.
    pub fn new(doc: &'a StoredDoc, score: Option<f32>, highlights: &'a [Highlight]) -> JsonHit<'a> {
        let r = &doc.record;
        let c = &doc.classification;
        JsonHit {
            id: &r.id,
            score,
            timestamp: r.timestamp.map(crate::record::format_timestamp),
            channel: r.channel.as_deref(),
            customer_id: r.customer_id.as_deref(),
            agent_id: r.agent_id.as_deref(),
            lang: &c.lang,
            sentiment: &c.sentiment,
            labels: &c.labels,
            churn_risk: c.churn_risk,
            text: &r.text,
            highlights,
            meta: &r.meta,
        }
    }
}

/// Trends: buckets, series with counts, totals, shares, the spike test and the spikes.
#[derive(Serialize)]
pub struct JsonTrends<'a> {
    interval: &'static str,
    by: &'static str,
    /// The first day of each bucket (UTC).
    buckets: Vec<String>,
    /// The day after the last bucket (exclusive end), when there are buckets.
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    total: u64,
    bucket_totals: &'a [u64],
    series: Vec<JsonSeries<'a>>,
    spike_test: JsonSpikeTest,
    spikes: Vec<JsonSpike<'a>>,
}

#[derive(Serialize)]
struct JsonSeries<'a> {
    key: &'a str,
    total: u64,
    share: f64,
    counts: &'a [u64],
}

#[derive(Serialize)]
struct JsonSpikeTest {
    test: &'static str,
    window: usize,
    min_history: usize,
    min_count: u64,
    prior: f64,
    p_max: f64,
    min_ratio: f64,
}

#[derive(Serialize)]
struct JsonSpike<'a> {
    bucket: String,
    key: &'a str,
    count: u64,
    baseline: f64,
    p_value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Vec<JsonEvidence<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence_records: Option<usize>,
}

#[derive(Serialize)]
struct JsonEvidence<'a> {
    text: &'a str,
    count: u64,
}

impl<'a> JsonTrends<'a> {
    /// The shape of `t`, computed for `request`.
    pub fn new(t: &'a Trends, request: &TrendsRequest) -> JsonTrends<'a> {
        let test = &request.spike_test;
        JsonTrends {
            interval: t.interval.name(),
            by: t.by.name(),
            buckets: t.buckets.iter().map(Date::to_string).collect(),
            end: t
                .buckets
                .last()
                .and_then(|&d| t.interval.next(d).ok())
                .map(|d| d.to_string()),
            total: t.total,
            bucket_totals: &t.bucket_totals,
            series: t
                .series
                .iter()
                .map(|s| JsonSeries {
                    key: &s.key,
                    total: s.total,
                    share: s.share,
                    counts: &s.counts,
                })
                .collect(),
            spike_test: JsonSpikeTest {
                test: "poisson-upper-tail",
                window: test.window,
                min_history: test.min_history,
                min_count: test.min_count,
                prior: test.prior,
                p_max: test.p_max,
                min_ratio: test.min_ratio,
            },
            spikes: t
                .spikes
                .iter()
                .map(|s| JsonSpike {
                    bucket: t.buckets[s.bucket].to_string(),
                    key: &s.key,
                    count: s.count,
                    baseline: s.score.baseline,
                    p_value: s.score.p_value,
                    evidence: request.evidence.then(|| {
                        s.evidence
                            .iter()
                            .map(|e| JsonEvidence {
                                text: &e.text,
                                count: e.count,
                            })
                            .collect()
                    }),
                    evidence_records: request.evidence.then_some(s.evidence_docs),
                })
                .collect(),
        }
    }
}

/// One customer's view: the summary and the records with their labels, evidence and highlights.
#[derive(Serialize)]
pub struct JsonView<'a> {
    customer_id: &'a str,
    total: usize,
    shown: usize,
    channels: &'a std::collections::BTreeMap<String, usize>,
    first_contact: Option<String>,
    last_contact: Option<String>,
    untimed: usize,
    repeat_days: u32,
    repeats: Vec<JsonRepeat<'a>>,
    trajectory: JsonTrajectory,
    open_signals: Vec<JsonSignal<'a>>,
    records: Vec<JsonHit<'a>>,
}

impl<'a> JsonView<'a> {
    /// The shape of `view`; `repeat_days` is the repeat-contact window it was computed with.
    pub fn new(view: &'a CustomerView, repeat_days: u32) -> JsonView<'a> {
        JsonView {
            customer_id: &view.customer_id,
            total: view.total,
            shown: view.records.len(),
            channels: &view.channels,
            first_contact: view.first_contact.map(format_timestamp),
            last_contact: view.last_contact.map(format_timestamp),
            untimed: view.untimed,
            repeat_days,
            repeats: view.repeats.iter().map(JsonRepeat::from).collect(),
            trajectory: JsonTrajectory::from(&view.trajectory),
            open_signals: view.open_signals.iter().map(JsonSignal::from).collect(),
            records: view
                .records
                .iter()
                .map(|r| JsonHit::new(&r.doc, None, &r.highlights))
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct JsonContactRef<'a> {
    id: &'a str,
    timestamp: String,
}

#[derive(Serialize)]
struct JsonRepeat<'a> {
    label: &'a str,
    first: JsonContactRef<'a>,
    repeat: JsonContactRef<'a>,
    gap_seconds: i64,
    gap_days: f64,
}

impl<'a> From<&'a RepeatContact> for JsonRepeat<'a> {
    fn from(r: &'a RepeatContact) -> JsonRepeat<'a> {
        JsonRepeat {
            label: &r.label,
            first: JsonContactRef {
                id: &r.first_id,
                timestamp: format_timestamp(r.first_time),
            },
            repeat: JsonContactRef {
                id: &r.repeat_id,
                timestamp: format_timestamp(r.repeat_time),
            },
            gap_seconds: r.gap.as_secs(),
            gap_days: r.gap.as_secs_f64() / 86_400.0,
        }
    }
}

#[derive(Serialize)]
struct JsonPoint {
    id: String,
    timestamp: String,
    risk: f64,
}

#[derive(Serialize)]
struct JsonTrajectory {
    first: Option<f64>,
    last: Option<f64>,
    max: Option<f64>,
    rising: bool,
    sparkline: String,
    points: Vec<JsonPoint>,
}

impl From<&RiskTrajectory> for JsonTrajectory {
    fn from(t: &RiskTrajectory) -> JsonTrajectory {
        JsonTrajectory {
            first: t.first(),
            last: t.last(),
            max: t.max(),
            rising: t.rising(),
            sparkline: t.sparkline(SPARKLINE_WIDTH),
            points: t
                .points
                .iter()
                .map(|p| JsonPoint {
                    id: p.id.clone(),
                    timestamp: format_timestamp(p.timestamp),
                    risk: p.risk,
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct JsonSignal<'a> {
    label: &'a str,
    records: usize,
    last_id: &'a str,
    last_timestamp: String,
    max_score: f64,
}

impl<'a> From<&'a OpenSignal> for JsonSignal<'a> {
    fn from(s: &'a OpenSignal) -> JsonSignal<'a> {
        JsonSignal {
            label: &s.label,
            records: s.records,
            last_id: &s.last_id,
            last_timestamp: format_timestamp(s.last_time),
            max_score: s.max_score,
        }
    }
}

/// Writes trends as CSV rows `bucket_start,key,count`: every bucket of every key, zeros included.
///
/// # Errors
/// When writing fails.
pub fn write_trends_csv(out: impl io::Write, t: &Trends) -> csv::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(["bucket_start", "key", "count"])?;
    for (i, &day) in t.buckets.iter().enumerate() {
        let day = day.to_string();
        for s in &t.series {
            csv.write_record([day.as_str(), s.key.as_str(), &s.counts[i].to_string()])?;
        }
    }
    csv.flush()?;
    Ok(())
}

/// An explanation of `text` as JSON: the text, its tokens (offsets, surface, key, kind, flags, the
/// lexicon word and prefix they were read as) and the trace. `scratch` must hold the analysis of
/// the explanation just made with `classifier`.
pub fn explain_json(
    text: &str,
    explanation: &Explanation,
    classifier: &Classifier,
    scratch: &Scratch,
) -> serde_json::Value {
    let lexicon = classifier.lexicon();
    let (analysis, matches) = classifier.last(scratch);
    let forms = matches.token_forms();
    let tokens: Vec<serde_json::Value> = analysis
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({
                "start": t.token.start,
                "end": t.token.end,
                "surface": t.token.surface(text),
                "key": t.key,
                "kind": t.token.kind.as_str(),
                "flags": t.token.flags.names().collect::<Vec<_>>(),
                "read_as": forms.get(i).and_then(|f| form_text(lexicon, f)),
                "prefix": forms.get(i).and_then(|f| match f {
                    TokenForm::Known { reading, .. } => reading.prefix(analysis, t.token),
                    _ => None,
                }),
            })
        })
        .collect();
    json!({ "text": text, "tokens": tokens, "explanation": explanation })
}

/// The lexicon word a token was read as, if any.
pub fn form_text(lexicon: &Lexicon, form: &TokenForm) -> Option<String> {
    match form {
        TokenForm::Known { word, .. } => Some(lexicon.word(*word).to_string()),
        _ => None,
    }
}

/// The alert store's status as JSON: alerts and deliveries per status and subscription,
/// checkpoints, deliveries waiting for a retry and dead letters with their last error.
///
/// # Errors
/// When the store cannot be read.
pub fn store_status_json(store: &Store) -> crate::Result<serde_json::Value> {
    let status = store.status()?;
    let retrying = store.retrying()?;
    let dead = store.dead_letters()?;
    let position = |p: &Option<Position>| match p {
        Some(Position::Offset(n)) => json!(n),
        Some(Position::Token(t)) => json!(t),
        None => serde_json::Value::Null,
    };
    let failed = |rows: &[store::DeadLetter]| -> Vec<serde_json::Value> {
        rows.iter()
            .map(|d| {
                json!({
                    "id": d.id, "alert_id": d.alert_id, "subscription": d.subscription,
                    "customer": d.customer, "rule": d.rule, "destination": d.destination,
                    "attempts": d.attempts, "last_error": d.last_error,
                    "last_attempt_at": d.last_attempt_at.map(|t| t.to_string()),
                })
            })
            .collect()
    };
    let subscriptions: serde_json::Map<String, serde_json::Value> = status
        .subscriptions
        .iter()
        .map(|(name, s)| {
            (
                name.clone(),
                json!({
                    "alerts": s.alerts,
                    "last_alert": s.last_alert.map(|t| t.to_string()),
                    "pending": s.deliveries.pending,
                    "delivered": s.deliveries.delivered,
                    "dead": s.deliveries.dead,
                    "checkpoint": position(&s.checkpoint),
                }),
            )
        })
        .collect();
    Ok(json!({
        "state": status.path.display().to_string(),
        "alerts": status.alerts,
        "pending": status.deliveries.pending,
        "delivered": status.deliveries.delivered,
        "dead": status.deliveries.dead,
        "next_attempt_at": status.next_attempt_at.map(|t| t.to_string()),
        "subscriptions": subscriptions,
        "retrying": failed(&retrying),
        "dead_letters": failed(&dead),
    }))
}
