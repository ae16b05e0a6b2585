//! Trends: how many matching records fall in each time bucket, per key (label, label group,
//! channel or sentiment), with spikes flagged against each key's trailing baseline.
//!
//! Takes a [`TrendsRequest`] (the query and filters of a search, what to group by, the bucket
//! size) and hands back [`Trends`]: a contiguous grid of buckets, one series of counts per key,
//! totals, shares and spikes. Counting is done by tantivy aggregations over fast fields; no
//! document is read except, for each spike, the stored classifications of the records behind it
//! (at most [`TrendsRequest::evidence_docs`]), to name the evidence driving it.
//!
//! Buckets are UTC: days, weeks starting on Monday, calendar months. tantivy's `date_histogram`
//! has fixed intervals only (no calendar month) and aligns 7-day buckets to the epoch, a Thursday,
//! so the bucket boundaries are computed here and counted with one `range` aggregation over the
//! timestamp, the keys as a `terms` sub-aggregation. One code path serves all three intervals, and
//! empty buckets come back with a count of 0. The grid runs from the bucket holding `since` (or
//! the first matching record) to the bucket holding `until` (or the last matching record);
//! records without a timestamp are not counted.
//!
//! Spikes: see [`SpikeTest`].

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde_json::json;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{
    AggregationResult, AggregationResults, BucketEntries, BucketResult, MetricResult,
};
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard, Key};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value as _};
use tantivy::{DateTime, Searcher, TantivyDocument, Term};

use super::search::SearchRequest;
use super::{Index, StoredClassification};
use crate::error::{Error, Result};

/// The most buckets a trend may have (a bucket limit for the aggregation, and a sane table).
pub const MAX_BUCKETS: usize = 20_000;

/// The most distinct keys counted per bucket.
const MAX_KEYS: u32 = 10_000;

/// What the series are: one per value of this field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrendBy {
    /// One series per complaint or churn label (a record with two labels counts in both).
    #[default]
    Label,
    /// One series per label group: `complaint`, `churn`.
    LabelGroup,
    /// One series per channel.
    Channel,
    /// One series per sentiment: positive, negative, neutral.
    Sentiment,
}

impl TrendBy {
    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            TrendBy::Label => "label",
            TrendBy::LabelGroup => "label-group",
            TrendBy::Channel => "channel",
            TrendBy::Sentiment => "sentiment",
        }
    }

    fn field_name(self) -> &'static str {
        match self {
            TrendBy::Label => "labels",
            TrendBy::LabelGroup => "groups",
            TrendBy::Channel => "channel",
            TrendBy::Sentiment => "sentiment_label",
        }
    }
}

/// The size of a bucket. All buckets are in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Interval {
    /// A day, from midnight.
    Day,
    /// A week, from Monday midnight.
    #[default]
    Week,
    /// A calendar month, from midnight on its first day.
    Month,
}

impl Interval {
    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
        }
    }

    /// The first day of the bucket holding `day`.
    pub fn floor(self, day: Date) -> Date {
        match self {
            Interval::Day => day,
            Interval::Week => {
                let back = i64::from(day.weekday().to_monday_zero_offset());
                day.checked_sub(jiff::Span::new().days(back)).unwrap_or(day)
            }
            Interval::Month => day.first_of_month(),
        }
    }

    /// The first day of the bucket after the one starting on `start`.
    ///
    /// # Errors
    /// When it would be past the last date jiff represents (year 9999).
    pub fn next(self, start: Date) -> Result<Date> {
        let span = match self {
            Interval::Day => jiff::Span::new().days(1),
            Interval::Week => jiff::Span::new().days(7),
            Interval::Month => jiff::Span::new().months(1),
        };
        start
            .checked_add(span)
            .map_err(|e| Error::Usage(format!("date out of range: {e}")))
    }

    /// The buckets (their first days, UTC) covering `[from, to)`: from the bucket holding `from`
    /// to the bucket holding the last second before `to`. Empty when `to <= from`.
    ///
    /// # Errors
    /// A usage error when there would be more than [`MAX_BUCKETS`].
    pub fn grid(self, from: Timestamp, to: Timestamp) -> Result<Vec<Date>> {
        let mut out = Vec::new();
        if to <= from {
            return Ok(out);
        }
        let mut day = self.floor(utc_day(from));
        loop {
            out.push(day);
            if out.len() > MAX_BUCKETS {
                return Err(Error::Usage(format!(
                    "more than {MAX_BUCKETS} {}s between {from} and {to}: use a longer --interval \
                     or a narrower --since/--until",
                    self.name()
                )));
            }
            day = self.next(day)?;
            if utc_midnight(day)? >= to.as_second() {
                break;
            }
        }
        Ok(out)
    }
}

fn utc_day(ts: Timestamp) -> Date {
    ts.to_zoned(TimeZone::UTC).date()
}

/// Seconds since the epoch at midnight UTC starting `day`.
fn utc_midnight(day: Date) -> Result<i64> {
    day.to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .map_err(|e| Error::Usage(format!("date out of range: {e}")))
}

/// When a bucket's count is a spike: the upper tail of a Poisson distribution whose mean is the
/// key's trailing baseline.
///
/// For a bucket with count `k` and the counts of the same key in the `window` buckets before it
/// (at least `min_history` of them; earlier buckets are never tested), the expected count is
/// λ = mean(history) + `prior`. The prior keeps a key that was silent from being infinitely
/// surprising: with λ = 1, five records are p ≈ 0.004, six p ≈ 0.0006. The bucket is a spike when
/// `k ≥ min_count`, `k ≥ min_ratio × λ` and P(X ≥ k | λ) < `p_max`. Counts are assumed
/// independent from bucket to bucket; real series are overdispersed (weekly cycles, seasons, a
/// partial first bucket), and with thousands of records per bucket Poisson calls a 5% drift
/// significant, so the ratio keeps only rises a person would act on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpikeTest {
    /// How many preceding buckets make the baseline.
    pub window: usize,
    /// The fewest preceding buckets a bucket needs to be tested.
    pub min_history: usize,
    /// The smallest count that can be a spike.
    pub min_count: u64,
    /// Added to the baseline mean (records per bucket).
    pub prior: f64,
    /// The p-value below which a count is a spike.
    pub p_max: f64,
    /// The smallest count, as a multiple of the expected one (baseline + prior), that can be a
    /// spike.
    pub min_ratio: f64,
}

impl Default for SpikeTest {
    fn default() -> SpikeTest {
        SpikeTest {
            window: 8,
            min_history: 4,
            min_count: 5,
            prior: 1.0,
            p_max: 0.001,
            min_ratio: 1.25,
        }
    }
}

/// How unusual a bucket's count is against its baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpikeScore {
    /// The baseline mean (before the prior is added).
    pub baseline: f64,
    /// P(X ≥ count) for X ~ Poisson(baseline + prior).
    pub p_value: f64,
}

impl SpikeTest {
    /// Tests one count against the counts before it (oldest first; only the last `window` are
    /// used). `Some` when it is a spike.
    pub fn check(&self, history: &[u64], count: u64) -> Option<SpikeScore> {
        let history = &history[history.len().saturating_sub(self.window)..];
        if history.len() < self.min_history.max(1) || count < self.min_count {
            return None;
        }
        let baseline = history.iter().sum::<u64>() as f64 / history.len() as f64;
        let expected = baseline + self.prior;
        if (count as f64) < self.min_ratio * expected {
            return None;
        }
        let p_value = poisson_upper_tail(count, expected);
        (p_value < self.p_max).then_some(SpikeScore { baseline, p_value })
    }

    /// The spikes of a series: each bucket tested against the ones before it.
    pub fn spikes(&self, counts: &[u64]) -> Vec<(usize, SpikeScore)> {
        (0..counts.len())
            .filter_map(|i| self.check(&counts[..i], counts[i]).map(|s| (i, s)))
            .collect()
    }
}

/// ln(n!): exact sums up to 30, Stirling's series beyond (error below 1e-12 there).
fn ln_factorial(n: u64) -> f64 {
    if n <= 30 {
        return (2..=n).map(|i| (i as f64).ln()).sum();
    }
    let n = n as f64;
    n * n.ln() - n + 0.5 * (2.0 * std::f64::consts::PI * n).ln() + 1.0 / (12.0 * n)
        - 1.0 / (360.0 * n * n * n)
}

/// P(X ≥ k) for X ~ Poisson(λ).
pub fn poisson_upper_tail(k: u64, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    let pmf = |i: u64| (-lambda + i as f64 * lambda.ln() - ln_factorial(i)).exp();
    if (k as f64) > lambda {
        // Terms fall from k on: sum the upper tail directly.
        let mut term = pmf(k);
        let mut sum = 0.0;
        let mut i = k;
        while term > sum * 1e-16 && term > 0.0 {
            sum += term;
            i += 1;
            term *= lambda / i as f64;
        }
        sum.min(1.0)
    } else {
        // Terms fall from k − 1 down: sum the lower tail and take the rest.
        let mut term = pmf(k - 1);
        let mut lower = 0.0;
        let mut i = k - 1;
        loop {
            lower += term;
            if i == 0 || term < lower * 1e-16 {
                break;
            }
            term *= i as f64 / lambda;
            i -= 1;
        }
        (1.0 - lower).clamp(0.0, 1.0)
    }
}

/// A trends request.
#[derive(Debug, Clone)]
pub struct TrendsRequest {
    /// The query and filters, as for a search (paging and order are ignored). `since` and `until`
    /// also bound the bucket grid.
    pub search: SearchRequest,
    /// What the series are.
    pub by: TrendBy,
    /// The bucket size.
    pub interval: Interval,
    /// When a count is a spike.
    pub spike_test: SpikeTest,
    /// Whether to read the records behind each spike for its top evidence terms.
    pub evidence: bool,
    /// At most this many records are read per spike.
    pub evidence_docs: usize,
    /// How many evidence terms to keep per spike.
    pub evidence_terms: usize,
}

impl Default for TrendsRequest {
    fn default() -> TrendsRequest {
        TrendsRequest {
            search: SearchRequest::default(),
            by: TrendBy::default(),
            interval: Interval::default(),
            spike_test: SpikeTest::default(),
            evidence: false,
            evidence_docs: 2_000,
            evidence_terms: 5,
        }
    }
}

/// The counts of one key.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The label, group, channel or sentiment.
    pub key: String,
    /// One count per bucket.
    pub counts: Vec<u64>,
    /// The sum of the counts.
    pub total: u64,
    /// `total` over all matching records (keys can overlap: a record may carry two labels).
    pub share: f64,
}

/// An evidence text and how many times it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceCount {
    /// The evidence as most often written (lowercased, trimmed); its count covers every form
    /// of the same lexicon entry.
    pub text: String,
    /// How many times.
    pub count: u64,
}

/// A bucket whose count for a key is far above that key's trailing baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Spike {
    /// The bucket's position in [`Trends::buckets`].
    pub bucket: usize,
    /// The key.
    pub key: String,
    /// Its count in the bucket.
    pub count: u64,
    /// The test's verdict.
    pub score: SpikeScore,
    /// The most frequent evidence of the records behind it (empty unless asked for).
    pub evidence: Vec<EvidenceCount>,
    /// How many records the evidence was read from.
    pub evidence_docs: usize,
}

/// Counts per bucket and key.
#[derive(Debug, Clone, PartialEq)]
pub struct Trends {
    /// The bucket size.
    pub interval: Interval,
    /// What the series are.
    pub by: TrendBy,
    /// The first day (UTC) of each bucket, contiguous; empty when nothing matches.
    pub buckets: Vec<Date>,
    /// Matching records per bucket (whatever their keys).
    pub bucket_totals: Vec<u64>,
    /// Matching records in all buckets.
    pub total: u64,
    /// One series per key with a record, largest total first.
    pub series: Vec<Series>,
    /// Spikes, in bucket order.
    pub spikes: Vec<Spike>,
}

impl Trends {
    /// Whether the bucket `i` of `key` is a spike.
    pub fn is_spike(&self, key: &str, bucket: usize) -> bool {
        self.spikes
            .iter()
            .any(|s| s.bucket == bucket && s.key == key)
    }
}

fn ns(seconds: i64) -> i64 {
    seconds.saturating_mul(1_000_000_000)
}

fn collector(request: serde_json::Value, buckets: usize) -> Result<AggregationCollector> {
    let aggs: Aggregations = serde_json::from_value(request)?;
    let limit = u32::try_from(buckets.saturating_add(2).saturating_mul(1_000)).unwrap_or(u32::MAX);
    Ok(AggregationCollector::from_aggs(
        aggs,
        AggContextParams::new(
            AggregationLimitsGuard::new(None, Some(limit.max(65_000))),
            Default::default(),
        ),
    ))
}

fn unexpected(what: &str) -> Error {
    Error::Usage(format!("unexpected aggregation result for {what}"))
}

impl Index {
    /// Counts the records matching a request per bucket and key, and finds the spikes.
    ///
    /// # Errors
    /// As [`Index::compile`]; a usage error when the range holds more than [`MAX_BUCKETS`]
    /// buckets; an index error when tantivy fails or a stored classification cannot be read.
    pub fn trends(&self, searcher: &Searcher, request: &TrendsRequest) -> Result<Trends> {
        let compiled = self.compile(searcher, &request.search)?;
        let mut trends = Trends {
            interval: request.interval,
            by: request.by,
            buckets: Vec::new(),
            bucket_totals: Vec::new(),
            total: 0,
            series: Vec::new(),
            spikes: Vec::new(),
        };
        let (from, to) = match (request.search.since, request.search.until) {
            (Some(since), Some(until)) => (since, until),
            (since, until) => {
                let Some((first, last)) = self.time_range(searcher, &*compiled.query)? else {
                    return Ok(trends);
                };
                let after_last = Timestamp::from_second(last.saturating_add(1))
                    .map_err(|e| Error::Usage(format!("timestamp out of range: {e}")))?;
                let first = Timestamp::from_second(first)
                    .map_err(|e| Error::Usage(format!("timestamp out of range: {e}")))?;
                (since.unwrap_or(first), until.unwrap_or(after_last))
            }
        };
        let days = request.interval.grid(from, to)?;
        if days.is_empty() {
            return Ok(trends);
        }
        let mut starts = days
            .iter()
            .map(|&d| utc_midnight(d))
            .collect::<Result<Vec<i64>>>()?;
        starts.push(utc_midnight(request.interval.next(days[days.len() - 1])?)?);

        let ranges: Vec<serde_json::Value> = starts
            .windows(2)
            .enumerate()
            .map(|(i, w)| json!({"key": i.to_string(), "from": ns(w[0]), "to": ns(w[1])}))
            .collect();
        let aggs = json!({
            "buckets": {
                "range": {"field": "timestamp", "ranges": ranges, "keyed": false},
                "aggs": {"keys": {"terms": {"field": request.by.field_name(), "size": MAX_KEYS}}}
            }
        });
        let results: AggregationResults =
            searcher.search(&*compiled.query, &collector(aggs, days.len())?)?;
        let Some(AggregationResult::BucketResult(BucketResult::Range { buckets })) =
            results.0.get("buckets")
        else {
            return Err(unexpected("buckets"));
        };
        let entries = match buckets {
            BucketEntries::Vec(v) => v.iter().collect::<Vec<_>>(),
            BucketEntries::HashMap(m) => m.values().collect(),
        };
        let n = days.len();
        let mut bucket_totals = vec![0; n];
        let mut counts: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for entry in entries {
            // The aggregation adds open-ended buckets around the given ranges; they have no index.
            let Key::Str(key) = &entry.key else { continue };
            let Ok(i) = key.parse::<usize>() else {
                continue;
            };
            if i >= n {
                continue;
            }
            bucket_totals[i] = entry.doc_count;
            let Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) =
                entry.sub_aggregation.0.get("keys")
            else {
                return Err(unexpected("keys"));
            };
            for term in buckets {
                let key = match &term.key {
                    Key::Str(s) => s.clone(),
                    other => other.to_string(),
                };
                if !self.wanted_key(request, &key) {
                    continue;
                }
                counts.entry(key).or_insert_with(|| vec![0; n])[i] = term.doc_count;
            }
        }
        let total: u64 = bucket_totals.iter().sum();
        let mut series: Vec<Series> = counts
            .into_iter()
            .map(|(key, counts)| {
                let sum = counts.iter().sum::<u64>();
                Series {
                    key,
                    total: sum,
                    share: if total == 0 {
                        0.0
                    } else {
                        sum as f64 / total as f64
                    },
                    counts,
                }
            })
            .collect();
        series.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.key.cmp(&b.key)));
        let mut spikes: Vec<Spike> = Vec::new();
        for s in &series {
            for (bucket, score) in request.spike_test.spikes(&s.counts) {
                spikes.push(Spike {
                    bucket,
                    key: s.key.clone(),
                    count: s.counts[bucket],
                    score,
                    evidence: Vec::new(),
                    evidence_docs: 0,
                });
            }
        }
        spikes.sort_by(|a, b| a.bucket.cmp(&b.bucket).then_with(|| a.key.cmp(&b.key)));
        if request.evidence {
            for spike in &mut spikes {
                let (from, to) = (starts[spike.bucket], starts[spike.bucket + 1]);
                let (docs, evidence) =
                    self.spike_evidence(searcher, &*compiled.query, request, &spike.key, from, to)?;
                spike.evidence_docs = docs;
                spike.evidence = evidence;
            }
        }
        trends.buckets = days;
        trends.bucket_totals = bucket_totals;
        trends.total = total;
        trends.series = series;
        trends.spikes = spikes;
        Ok(trends)
    }

    /// With `--by label`, the labels asked for by `labels` and `label_prefixes` (when any).
    fn wanted_key(&self, request: &TrendsRequest, key: &str) -> bool {
        let s = &request.search;
        if request.by != TrendBy::Label || (s.labels.is_empty() && s.label_prefixes.is_empty()) {
            return true;
        }
        s.labels.iter().any(|l| match l.strip_suffix('*') {
            Some(prefix) => key.starts_with(prefix),
            None => key == l,
        }) || s.label_prefixes.iter().any(|p| key.starts_with(p.as_str()))
    }

    /// The first and last timestamps (seconds) of the records matching `query`.
    fn time_range(&self, searcher: &Searcher, query: &dyn Query) -> Result<Option<(i64, i64)>> {
        let aggs = json!({
            "first": {"min": {"field": "timestamp"}},
            "last": {"max": {"field": "timestamp"}}
        });
        let results: AggregationResults = searcher.search(query, &collector(aggs, 0)?)?;
        let value = |name: &str| -> Result<Option<i64>> {
            match results.0.get(name) {
                Some(AggregationResult::MetricResult(
                    MetricResult::Min(m) | MetricResult::Max(m),
                )) => Ok(m
                    .value
                    .filter(|v| v.is_finite())
                    .map(|v| (v / 1e9).round() as i64)),
                _ => Err(unexpected(name)),
            }
        };
        Ok(value("first")?.zip(value("last")?))
    }

    /// Reads the stored classifications of (at most `evidence_docs`) records of `key` in
    /// `[from, to)` and counts their evidence for it.
    fn spike_evidence(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &TrendsRequest,
        key: &str,
        from: i64,
        to: i64,
    ) -> Result<(usize, Vec<EvidenceCount>)> {
        let f = &self.fields;
        let field: Field = match request.by {
            TrendBy::Label => f.labels,
            TrendBy::LabelGroup => f.groups,
            TrendBy::Channel => f.channel,
            TrendBy::Sentiment => f.sentiment_label,
        };
        let date = |s: i64| {
            Term::from_field_date_for_search(f.timestamp, DateTime::from_timestamp_secs(s))
        };
        let narrowed = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, key),
                    IndexRecordOption::Basic,
                )),
            ),
            (
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(date(from)),
                    Bound::Excluded(date(to)),
                )),
            ),
        ]);
        let found = searcher.search(
            &narrowed,
            &TopDocs::with_limit(request.evidence_docs.max(1)).order_by_score(),
        )?;
        // Counted per lexicon entry, so that one phrase written with different prefixes
        // (הנהלה, שההנהלה) or cases counts once; shown by its most frequent written form.
        let mut counts: HashMap<String, (u64, HashMap<String, u64>)> = HashMap::new();
        for (_, address) in &found {
            let doc: TantivyDocument = searcher.doc(*address)?;
            let Some(json) = doc.get_first(f.classification).and_then(|v| v.as_str()) else {
                continue;
            };
            let c: StoredClassification = serde_json::from_str(json)?;
            let mut add = |e: &super::StoredEvidence| {
                let text = e.text.trim().to_lowercase();
                if text.is_empty() {
                    return;
                }
                let entry = if e.entry.is_empty() { &text } else { &e.entry };
                let (n, forms) = counts.entry(entry.clone()).or_default();
                *n += 1;
                *forms.entry(text).or_default() += 1;
            };
            match request.by {
                TrendBy::Sentiment => c.sentiment.evidence.iter().for_each(&mut add),
                by => {
                    for label in &c.labels {
                        let wanted = match by {
                            TrendBy::Label => label.label == key,
                            TrendBy::LabelGroup => label.label.split('.').next() == Some(key),
                            _ => true,
                        };
                        if wanted {
                            label.evidence.iter().for_each(&mut add);
                        }
                    }
                }
            }
        }
        let mut top: Vec<EvidenceCount> = counts
            .into_values()
            .map(|(count, forms)| {
                let text = forms
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                    .map(|(form, _)| form)
                    .unwrap_or_default();
                EvidenceCount { text, count }
            })
            .collect();
        top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
        top.truncate(request.evidence_terms);
        Ok((found.len(), top))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (SplitMix64) for Poisson noise.
    struct Noise(u64);

    impl Noise {
        fn next_f64(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }

        /// Knuth's method (fine for small λ).
        fn poisson(&mut self, lambda: f64) -> u64 {
            let limit = (-lambda).exp();
            let mut k = 0;
            let mut p = self.next_f64();
            while p > limit {
                k += 1;
                p *= self.next_f64();
            }
            k
        }
    }

    #[test]
    fn poisson_tail_matches_known_values() {
        let cases = [
            // (k, λ, P(X ≥ k))
            (0, 3.0, 1.0),
            (1, 1.0, 1.0 - (-1.0f64).exp()),
            (5, 1.0, 0.003_659_846_827_343_7),
            (6, 1.0, 0.000_594_184_817_581_4),
            (3, 3.0, 0.576_809_918_873_156),
            (20, 10.0, 0.003_454_341_975_856_7),
        ];
        for (k, lambda, want) in cases {
            let got = poisson_upper_tail(k, lambda);
            assert!(
                (got - want).abs() < 1e-9 * want.max(1e-3),
                "P(X ≥ {k} | {lambda}) = {got}, want {want}"
            );
        }
        assert!(poisson_upper_tail(400, 100.0) < 1e-60);
        assert!((poisson_upper_tail(90, 100.0) - 0.853_654).abs() < 1e-5);
    }

    #[test]
    fn planted_spike_is_detected() {
        let mut counts = vec![3, 4, 2, 5, 3, 4, 3, 2, 4, 3, 3];
        counts.push(25);
        counts.extend([3, 4, 2]);
        let spikes = SpikeTest::default().spikes(&counts);
        assert_eq!(spikes.len(), 1, "{spikes:?}");
        assert_eq!(spikes[0].0, 11);
        assert!(spikes[0].1.p_value < 1e-6);
        assert!((spikes[0].1.baseline - 3.375).abs() < 1e-9);
    }

    #[test]
    fn steady_poisson_noise_is_not_flagged() {
        let test = SpikeTest::default();
        let mut noise = Noise(7);
        let mut flagged = 0;
        let mut tested = 0;
        for lambda in [0.5, 2.0, 5.0, 12.0, 30.0] {
            let counts: Vec<u64> = (0..400).map(|_| noise.poisson(lambda)).collect();
            tested += counts.len();
            flagged += test.spikes(&counts).len();
        }
        // p < 0.001 with a prior: at most a stray flag in 2,000 noisy buckets.
        assert!(flagged <= 2, "{flagged} of {tested} steady buckets flagged");
    }

    #[test]
    fn minimum_count_and_history_are_respected() {
        let test = SpikeTest::default();
        // From silence to four records: very unlikely, but below the minimum count.
        assert_eq!(test.check(&[0; 8], 4), None);
        assert!(test.check(&[0; 8], 6).is_some());
        // Too little history to judge.
        assert_eq!(test.check(&[0, 0, 0], 50), None);
        assert!(test.check(&[0, 0, 0, 0], 50).is_some());
        // Only the last `window` buckets count: an old busy stretch does not hide a spike.
        let mut history = vec![100; 10];
        history.extend([1; 8]);
        assert!(test.check(&history, 20).is_some());
        // Significant under Poisson, but too small a rise to act on.
        assert!(poisson_upper_tail(1150, 1001.0) < 1e-5);
        assert_eq!(test.check(&[1000; 8], 1150), None);
        assert!(test.check(&[1000; 8], 1300).is_some());
        let strict = SpikeTest {
            min_count: 30,
            ..SpikeTest::default()
        };
        assert_eq!(strict.check(&history, 20), None);
    }

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        let cases = [
            (Interval::Week, "2026-03-01", "2026-02-23"), // Sunday
            (Interval::Week, "2026-03-02", "2026-03-02"), // Monday
            (Interval::Week, "2026-01-01", "2025-12-29"), // Thursday, across a year
            (Interval::Month, "2026-02-28", "2026-02-01"),
            (Interval::Month, "2024-02-29", "2024-02-01"),
            (Interval::Day, "2026-03-01", "2026-03-01"),
        ];
        for (interval, d, want) in cases {
            assert_eq!(interval.floor(day(d)), day(want), "{interval:?} {d}");
        }
        assert_eq!(
            Interval::Month.next(day("2026-12-01")).unwrap(),
            day("2027-01-01")
        );
    }

    #[test]
    fn grids_cover_the_range_without_an_empty_bucket_at_the_end() {
        let g = Interval::Week
            .grid(ts("2026-03-01T23:59:59Z"), ts("2026-03-02T00:00:01Z"))
            .unwrap();
        assert_eq!(g, vec![day("2026-02-23"), day("2026-03-02")]);
        // `until` at a bucket boundary is exclusive: no bucket starting at it.
        let g = Interval::Month
            .grid(ts("2026-01-15T00:00:00Z"), ts("2026-03-01T00:00:00Z"))
            .unwrap();
        assert_eq!(g, vec![day("2026-01-01"), day("2026-02-01")]);
        let g = Interval::Day
            .grid(ts("2026-01-01T10:00:00Z"), ts("2026-01-01T10:00:01Z"))
            .unwrap();
        assert_eq!(g, vec![day("2026-01-01")]);
        assert!(
            Interval::Day
                .grid(ts("2026-01-02T00:00:00Z"), ts("2026-01-01T00:00:00Z"))
                .unwrap()
                .is_empty()
        );
        assert!(
            Interval::Day
                .grid(ts("1900-01-01T00:00:00Z"), ts("2100-01-01T00:00:00Z"))
                .is_err()
        );
    }
}
