//! Search: a query (see [`super::query`]) and filters in, the matching records out, each with the
//! spans to highlight: the words the query matched and the evidence of its labels.
//!
//! Words go through the same analyzer as the indexed text. A Hebrew word is looked up by its most
//! stripped reading that the lexicon knows (so ביטול finds והביטול, and והביטול finds ביטול); a
//! Hebrew word the lexicon does not know is also looked up with each legal prefix in front of it,
//! but only when the index holds the word itself somewhere, so that a fragment (חיר) never
//! matches the words it hides in (מחיר). English words are looked up by their stem.

use std::collections::HashSet;
use std::ops::Bound;

use jiff::Timestamp;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument, Term};

use super::query::{Node, QueryError, QueryField, parse};
use super::{Index, StoredDoc};
use crate::analyze::{Analysis, IndexTerm, hebrew, index_terms};
use crate::error::{Error, Result};

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (the default when there is a query).
    #[default]
    Relevance,
    /// Newest first (the default for an empty query).
    Time,
}

/// A search: the query, filters, paging and order.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query text; empty lists every record the filters allow.
    pub query: String,
    /// Records carrying any of these labels.
    pub labels: Vec<String>,
    /// Records carrying a label under any of these prefixes (`complaint.`, `churn.`).
    pub label_prefixes: Vec<String>,
    /// Records from any of these channels.
    pub channels: Vec<String>,
    /// Records of any of these customers.
    pub customers: Vec<String>,
    /// Records at or after this time.
    pub since: Option<Timestamp>,
    /// Records before this time.
    pub until: Option<Timestamp>,
    /// Records with any of these sentiment labels.
    pub sentiments: Vec<String>,
    /// Records with at least this churn risk.
    pub min_churn_risk: Option<f64>,
    /// How many results.
    pub limit: usize,
    /// How many results to skip (paging).
    pub offset: usize,
    /// The order; `None` picks relevance for a query, time for an empty one.
    pub sort: Option<Sort>,
    /// Whether to count the matching records per label, label group, channel, sentiment and
    /// language ([`SearchResults::facets`]).
    pub facets: bool,
}

/// The facets counted for a search, in this order.
pub const FACETS: [(&str, &str); 5] = [
    ("labels", "labels"),
    ("groups", "groups"),
    ("channels", "channel"),
    ("sentiment", "sentiment_label"),
    ("lang", "lang"),
];

/// How many values a facet lists at most (the most frequent).
pub const FACET_VALUES: usize = 100;

/// A value of a facet and how many matching records have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value (a label, a channel, …).
    pub key: String,
    /// Matching records with it.
    pub count: u64,
}

/// What a highlighted span is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Mark {
    /// A word the query matched.
    Query,
    /// Evidence of a label (`complaint.billing`, …) or of the sentiment (`sentiment`).
    Evidence {
        /// The label.
        label: String,
    },
}

/// A span of the text to highlight (byte offsets into the record's text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Highlight {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last.
    pub end: usize,
    /// What it is.
    #[serde(flatten)]
    pub mark: Mark,
}

/// One result.
#[derive(Debug, Clone)]
pub struct SearchHit {
    /// The relevance score (for relevance order).
    pub score: Option<f32>,
    /// The record and its classification.
    pub doc: StoredDoc,
    /// The spans to highlight, by start.
    pub highlights: Vec<Highlight>,
}

/// The results of a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// How many records match in all.
    pub total: usize,
    /// The order used.
    pub sort: Sort,
    /// The requested page of them.
    pub hits: Vec<SearchHit>,
    /// When asked for: per facet ([`FACETS`]), the values of all matching records, most frequent
    /// first.
    pub facets: Option<Vec<(&'static str, Vec<FacetCount>)>>,
}

/// A query made ready to run: the tantivy query and the text terms to highlight.
pub struct Compiled {
    /// The query with the filters.
    pub query: Box<dyn Query>,
    /// Whether it has a text part (relevance means something).
    pub has_text: bool,
    highlight_terms: HashSet<String>,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled")
            .field("query", &self.query)
            .field("has_text", &self.has_text)
            .finish()
    }
}

fn query_error(column: usize, message: impl Into<String>) -> Error {
    Error::from(QueryError {
        column,
        message: message.into(),
    })
}

impl From<QueryError> for Error {
    fn from(e: QueryError) -> Error {
        Error::Request {
            field: "query".into(),
            column: Some(e.column),
            message: e.message,
        }
    }
}

fn filter_error(field: &str, message: String) -> Error {
    Error::Request {
        field: field.into(),
        column: None,
        message,
    }
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

fn any_of(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.pop().expect("one query");
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

fn date(ts: Timestamp) -> DateTime {
    DateTime::from_timestamp_secs(ts.as_second())
}

/// Parses one side of a `date:` range: a day (`2026-03-01`, whole), or an RFC 3339 instant.
/// `end` asks for the end of the day.
fn parse_date(text: &str, end: bool) -> Option<Timestamp> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    let day: jiff::civil::Date = text.parse().ok()?;
    let day = if end { day.tomorrow().ok()? } else { day };
    day.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// A time as users write it: a date (`2026-03-01`, its start, UTC), an RFC 3339 time, or a span
/// back from now (`7d`, `24h`, `2w`, `30m`).
///
/// # Errors
/// A message saying which forms are accepted.
pub fn parse_when(s: &str) -> Result<Timestamp, String> {
    let s = s.trim();
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok(ts);
    }
    if let Ok(day) = s.parse::<jiff::civil::Date>() {
        return day
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string());
    }
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let seconds = match unit {
        "d" | "day" | "days" => 86_400,
        "h" | "hour" | "hours" => 3_600,
        "w" | "week" | "weeks" => 7 * 86_400,
        "m" | "min" | "minutes" => 60,
        _ => 0,
    };
    match n.parse::<i64>().ok().and_then(|n| n.checked_mul(seconds)) {
        Some(back) if seconds > 0 => Timestamp::now()
            .checked_sub(jiff::SignedDuration::from_secs(back))
            .map_err(|e| format!("'{s}' reaches too far back: {e}")),
        _ => Err(format!(
            "'{s}' is not a date (2026-03-01), an RFC 3339 time, or a span such as 7d, 24h, 2w"
        )),
    }
}

/// A churn risk bound: a number between 0 and 1.
///
/// # Errors
/// A message saying so.
pub fn parse_risk(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("'{s}' is not a number between 0 and 1")),
    }
}

impl Index {
    /// The complaint and churn labels of the taxonomy.
    fn known_labels(&self) -> Vec<&str> {
        self.lexicon
            .labels()
            .iter()
            .map(|l| l.name())
            .filter(|n| n.starts_with("complaint.") || n.starts_with("churn."))
            .collect()
    }

    fn label_queries(&self, field: Field, label: &str, column: usize) -> Result<Box<dyn Query>> {
        let known = self.known_labels();
        let matching: Vec<&str> = match label.strip_suffix('*') {
            Some(prefix) => known
                .iter()
                .copied()
                .filter(|l| l.starts_with(prefix))
                .collect(),
            None => known.iter().copied().filter(|l| *l == label).collect(),
        };
        if matching.is_empty() {
            let mut near: Vec<&str> = known
                .iter()
                .copied()
                .filter(|l| {
                    let stem = label.trim_end_matches('*');
                    l.contains(stem.rsplit('.').next().unwrap_or(stem))
                })
                .collect();
            near.truncate(5);
            let hint = if near.is_empty() {
                "`kashev lexicon stats` lists the labels".to_string()
            } else {
                format!("did you mean {}?", near.join(", "))
            };
            return Err(query_error(
                column,
                format!("unknown label '{label}': {hint}"),
            ));
        }
        Ok(any_of(
            matching
                .into_iter()
                .map(|l| term_query(Term::from_field_text(field, l)))
                .collect(),
        ))
    }

    /// The terms a text stands for in the index, one per position: the most stripped Hebrew
    /// reading the lexicon knows, else the key (the stem for English words).
    fn text_terms(&self, text: &str, analysis: &mut Analysis) -> Vec<(String, bool)> {
        self.lexicon.analyzer().analyze_into(text, analysis);
        let mut positions: Vec<Vec<IndexTerm<'_>>> = Vec::new();
        index_terms(analysis, Some(&self.lexicon), |t| {
            if positions.len() <= t.position {
                positions.push(Vec::new());
            }
            positions[t.position].push(t);
        });
        positions
            .into_iter()
            .filter_map(|terms| {
                let first = terms.first()?;
                let hebrew = first.text.chars().next().is_some_and(hebrew::is_letter);
                let read = terms.len() > 1;
                let chosen = if hebrew && read {
                    terms.iter().map(|t| t.text).min_by_key(|t| t.len())?
                } else {
                    first.text
                };
                // A word with no known reading may still be prefixed in the index.
                Some((chosen.to_string(), hebrew && !read))
            })
            .collect()
    }

    /// `term` and, for a Hebrew word the lexicon does not know but the index holds, its forms
    /// with each legal prefix that the index holds too.
    fn word_query(&self, searcher: &Searcher, term: &str, expand: bool) -> Result<Box<dyn Query>> {
        let field = self.fields.text;
        let mut queries = vec![term_query(Term::from_field_text(field, term))];
        let long_enough = term.chars().count() >= 3;
        if expand
            && long_enough
            && !self.lexicon.is_known_word(term)
            && searcher.doc_freq(&Term::from_field_text(field, term))? > 0
        {
            let mut prefixed = String::new();
            for prefix in hebrew::LEGAL_PREFIXES {
                prefixed.clear();
                prefixed.push_str(prefix);
                prefixed.push_str(term);
                let t = Term::from_field_text(field, &prefixed);
                if searcher.doc_freq(&t)? > 0 {
                    queries.push(term_query(t));
                }
            }
        }
        Ok(any_of(queries))
    }

    fn compile_node(
        &self,
        searcher: &Searcher,
        node: &Node,
        analysis: &mut Analysis,
        highlight: &mut HashSet<String>,
        positive: bool,
    ) -> Result<Box<dyn Query>> {
        let f = &self.fields;
        Ok(match node {
            Node::And(parts) | Node::Or(parts) => {
                let occur = if matches!(node, Node::And(_)) {
                    Occur::Must
                } else {
                    Occur::Should
                };
                let mut clauses = Vec::with_capacity(parts.len());
                for part in parts {
                    // A NOT part compiles to (every record, minus it): `a NOT b` is a AND NOT b.
                    let q = self.compile_node(searcher, part, analysis, highlight, positive)?;
                    clauses.push((occur, q));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Not(inner) => {
                let q = self.compile_node(searcher, inner, analysis, highlight, !positive)?;
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery)),
                    (Occur::MustNot, q),
                ]))
            }
            Node::Value {
                field,
                text,
                column,
                ..
            } => {
                let column = *column;
                let raw = |field: Field| -> Box<dyn Query> {
                    term_query(Term::from_field_text(field, text))
                };
                match field {
                    QueryField::Text => {
                        let terms = self.text_terms(text, analysis);
                        if terms.is_empty() {
                            return Err(query_error(
                                column,
                                format!("'{text}' has no searchable word (punctuation only)"),
                            ));
                        }
                        if positive {
                            highlight.extend(terms.iter().map(|(t, _)| t.clone()));
                        }
                        if let [(term, expand)] = terms.as_slice() {
                            self.word_query(searcher, term, *expand)?
                        } else {
                            // Several words (or a word the analyzer splits: don't): a phrase.
                            Box::new(PhraseQuery::new(
                                terms
                                    .iter()
                                    .map(|(t, _)| Term::from_field_text(f.text, t))
                                    .collect(),
                            ))
                        }
                    }
                    QueryField::Label => self.label_queries(f.labels, text, column)?,
                    QueryField::Group => {
                        if !matches!(text.as_str(), "complaint" | "churn") {
                            return Err(query_error(
                                column,
                                format!("unknown group '{text}' (groups: complaint, churn)"),
                            ));
                        }
                        raw(f.groups)
                    }
                    QueryField::Sentiment => {
                        if !matches!(text.as_str(), "positive" | "negative" | "neutral") {
                            return Err(query_error(
                                column,
                                format!("unknown sentiment '{text}' (positive, negative, neutral)"),
                            ));
                        }
                        raw(f.sentiment_label)
                    }
                    QueryField::Channel => raw(f.channel),
                    QueryField::Customer => raw(f.customer_id),
                    QueryField::Agent => raw(f.agent_id),
                    QueryField::Lang => raw(f.lang),
                    QueryField::Id => raw(f.id),
                    QueryField::Date => {
                        let Some((from, to)) = text.split_once("..") else {
                            return Err(query_error(
                                column,
                                format!(
                                    "a date is a range FROM..TO (either side may be empty), not '{text}'"
                                ),
                            ));
                        };
                        if from.trim().is_empty() && to.trim().is_empty() {
                            return Err(query_error(
                                column,
                                "a date range needs at least one side: FROM.., ..TO or FROM..TO",
                            ));
                        }
                        let bound = |side: &str, end: bool| -> Result<Bound<Term>> {
                            if side.is_empty() {
                                return Ok(Bound::Unbounded);
                            }
                            let ts = parse_date(side, end).ok_or_else(|| {
                                query_error(
                                    column,
                                    format!(
                                        "'{side}' is not a date (YYYY-MM-DD) or an RFC 3339 time"
                                    ),
                                )
                            })?;
                            let term = Term::from_field_date_for_search(f.timestamp, date(ts));
                            Ok(if end {
                                Bound::Excluded(term)
                            } else {
                                Bound::Included(term)
                            })
                        };
                        Box::new(RangeQuery::new(bound(from, false)?, bound(to, true)?))
                    }
                }
            }
        })
    }

    /// Prepares a request's query and filters.
    ///
    /// # Errors
    /// A usage error for a malformed query (with its column), an unknown label or group, a bad
    /// date; an index error when tantivy fails.
    pub fn compile(&self, searcher: &Searcher, request: &SearchRequest) -> Result<Compiled> {
        let f = &self.fields;
        let node = parse(&request.query)?;
        let mut analysis = Analysis::new();
        let mut highlight_terms = HashSet::new();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let has_text = node.as_ref().is_some_and(has_text_part);
        if let Some(node) = &node {
            clauses.push((
                Occur::Must,
                self.compile_node(searcher, node, &mut analysis, &mut highlight_terms, true)?,
            ));
        }
        let mut labels: Vec<Box<dyn Query>> = Vec::new();
        for label in &request.labels {
            labels.push(
                self.label_queries(f.labels, label, 0)
                    .map_err(|e| match e {
                        Error::Request { message, .. } => filter_error("label", message),
                        e => e,
                    })?,
            );
        }
        for prefix in &request.label_prefixes {
            labels.push(
                self.label_queries(f.labels, &format!("{prefix}*"), 0)
                    .map_err(|_| {
                        filter_error("label_prefix", format!("no label starts with '{prefix}'"))
                    })?,
            );
        }
        if !labels.is_empty() {
            clauses.push((Occur::Must, any_of(labels)));
        }
        for (field, values) in [
            (f.channel, &request.channels),
            (f.customer_id, &request.customers),
            (f.sentiment_label, &request.sentiments),
        ] {
            if !values.is_empty() {
                clauses.push((
                    Occur::Must,
                    any_of(
                        values
                            .iter()
                            .map(|v| term_query(Term::from_field_text(field, v)))
                            .collect(),
                    ),
                ));
            }
        }
        if request.since.is_some() || request.until.is_some() {
            let lower = request.since.map_or(Bound::Unbounded, |ts| {
                Bound::Included(Term::from_field_date_for_search(f.timestamp, date(ts)))
            });
            let upper = request.until.map_or(Bound::Unbounded, |ts| {
                Bound::Excluded(Term::from_field_date_for_search(f.timestamp, date(ts)))
            });
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        if let Some(min) = request.min_churn_risk {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_f64(f.churn_risk, min)),
                    Bound::Unbounded,
                )),
            ));
        }
        let query: Box<dyn Query> = if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        Ok(Compiled {
            query,
            has_text,
            highlight_terms,
        })
    }

    /// Runs a search.
    ///
    /// # Errors
    /// As [`Index::compile`]; an index error when a stored document cannot be read.
    pub fn search(&self, searcher: &Searcher, request: &SearchRequest) -> Result<SearchResults> {
        let compiled = self.compile(searcher, request)?;
        let sort = request.sort.unwrap_or(if compiled.has_text {
            Sort::Relevance
        } else {
            Sort::Time
        });
        let limit = request.limit.max(1);
        let top = TopDocs::with_limit(limit).and_offset(request.offset);
        let (total, found): (usize, Vec<(Option<f32>, DocAddress)>) = match sort {
            Sort::Relevance => {
                let (total, docs) =
                    searcher.search(&compiled.query, &(Count, top.order_by_score()))?;
                (total, docs.into_iter().map(|(s, a)| (Some(s), a)).collect())
            }
            Sort::Time => {
                let collector = top.order_by_fast_field::<DateTime>("timestamp", Order::Desc);
                let (total, docs) = searcher.search(&compiled.query, &(Count, collector))?;
                (total, docs.into_iter().map(|(_, a)| (None, a)).collect())
            }
        };
        let mut analysis = Analysis::new();
        let mut hits = Vec::with_capacity(found.len());
        for (score, address) in found {
            let doc: TantivyDocument = searcher.doc(address)?;
            let doc = StoredDoc::from_document(&self.fields, &doc)?;
            let highlights = self.highlights(&doc, &compiled, &mut analysis);
            hits.push(SearchHit {
                score,
                doc,
                highlights,
            });
        }
        let facets = if request.facets {
            Some(self.facets(searcher, &*compiled.query)?)
        } else {
            None
        };
        Ok(SearchResults {
            total,
            sort,
            hits,
            facets,
        })
    }

    /// Counts the records matching `query` per value of each facet ([`FACETS`]), with one
    /// terms aggregation per facet over the fast fields.
    ///
    /// # Errors
    /// When tantivy fails.
    pub fn facets(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
    ) -> Result<Vec<(&'static str, Vec<FacetCount>)>> {
        use tantivy::aggregation::agg_req::Aggregations;
        use tantivy::aggregation::agg_result::{AggregationResult, BucketResult};
        use tantivy::aggregation::{AggregationCollector, Key};
        let mut request = serde_json::Map::new();
        for (name, field) in FACETS {
            request.insert(
                name.into(),
                serde_json::json!({"terms": {"field": field, "size": FACET_VALUES}}),
            );
        }
        let aggs: Aggregations = serde_json::from_value(serde_json::Value::Object(request))?;
        let collector = AggregationCollector::from_aggs(aggs, Default::default());
        let results = searcher.search(query, &collector)?;
        let mut out = Vec::with_capacity(FACETS.len());
        for (name, _) in FACETS {
            let mut values = Vec::new();
            if let Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) =
                results.0.get(name)
            {
                for b in buckets {
                    let key = match &b.key {
                        Key::Str(s) => s.clone(),
                        other => other.to_string(),
                    };
                    values.push(FacetCount {
                        key,
                        count: b.doc_count,
                    });
                }
            }
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
            out.push((name, values));
        }
        Ok(out)
    }

    /// The spans of a record to highlight: tokens whose index terms the query looked up, and the
    /// evidence of its labels and sentiment.
    pub fn highlights(
        &self,
        doc: &StoredDoc,
        compiled: &Compiled,
        analysis: &mut Analysis,
    ) -> Vec<Highlight> {
        let mut out = Vec::new();
        if !compiled.highlight_terms.is_empty() {
            self.lexicon
                .analyzer()
                .analyze_into(&doc.record.text, analysis);
            let mut last = None;
            index_terms(analysis, Some(&self.lexicon), |t| {
                if last != Some(t.start) && compiled.highlight_terms.contains(t.text) {
                    last = Some(t.start);
                    out.push(Highlight {
                        start: t.start,
                        end: t.end,
                        mark: Mark::Query,
                    });
                }
            });
        }
        push_evidence(doc, &mut out);
        tidy(doc, &mut out);
        out
    }
}

/// The spans of a record to highlight when there is no query: the evidence of its labels and
/// sentiment, by start.
pub fn evidence_highlights(doc: &StoredDoc) -> Vec<Highlight> {
    let mut out = Vec::new();
    push_evidence(doc, &mut out);
    tidy(doc, &mut out);
    out
}

fn push_evidence(doc: &StoredDoc, out: &mut Vec<Highlight>) {
    let c = &doc.classification;
    for label in &c.labels {
        for e in &label.evidence {
            out.push(Highlight {
                start: e.start,
                end: e.end,
                mark: Mark::Evidence {
                    label: label.label.clone(),
                },
            });
        }
    }
    for e in &c.sentiment.evidence {
        out.push(Highlight {
            start: e.start,
            end: e.end,
            mark: Mark::Evidence {
                label: "sentiment".into(),
            },
        });
    }
}

/// Drops spans that do not lie on char boundaries inside the text (a stored document from other
/// lexicons or a damaged store must not make a snippet panic), then sorts and dedups them.
fn tidy(doc: &StoredDoc, out: &mut Vec<Highlight>) {
    let text = &doc.record.text;
    out.retain(|h| {
        h.start < h.end
            && h.end <= text.len()
            && text.is_char_boundary(h.start)
            && text.is_char_boundary(h.end)
    });
    out.sort_by_key(|h| (h.start, h.end));
    out.dedup();
}

fn has_text_part(node: &Node) -> bool {
    match node {
        Node::Value { field, .. } => *field == QueryField::Text,
        Node::And(parts) | Node::Or(parts) => parts.iter().any(has_text_part),
        Node::Not(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::classify::Classifier;
    use crate::lexicon::Lexicon;
    use crate::record::Record;

    /// A small index in a temporary directory.
    fn small_index() -> (tempfile::TempDir, Index) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let index = Index::open_or_create(dir.path(), Lexicon::embedded().expect("lexicons"))
            .expect("an index");
        let mut writer = index.writer(1, 16 << 20).expect("a writer");
        let classifier = Classifier::new(index.lexicon().clone());
        let texts = [
            "הלקוח ביקש את ביטול המנוי, חויב פעמיים",
            "I was charged twice, please refund me or I'm leaving",
            "thanks, the technician was great 😊",
            "הספה לא הגיעה, כבר פעם שלישית שאני מתקשר",
        ];
        let records: Vec<Record> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut r = Record::from_text(*t);
                r.customer_id = Some(format!("C{i}"));
                r.channel = Some(["chat", "email"][i % 2].to_string());
                r.timestamp =
                    Some(Timestamp::from_second(1_770_000_000 + i as i64 * 86_400).unwrap());
                r
            })
            .collect();
        for chunk in writer.build(&classifier, &records) {
            for (id, doc) in chunk.docs {
                writer.upsert(&id, doc).expect("upsert");
            }
        }
        writer.commit().expect("commit");
        writer.finish().expect("merges");
        (dir, index)
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("ביטול".to_string()),
            Just("refund".to_string()),
            Just("\"".to_string()),
            Just("(".to_string()),
            Just(")".to_string()),
            Just("AND".to_string()),
            Just("OR".to_string()),
            Just("NOT".to_string()),
            Just("-".to_string()),
            Just("label:".to_string()),
            Just("label:churn.*".to_string()),
            Just("label:*".to_string()),
            Just("date:".to_string()),
            Just("date:..".to_string()),
            Just("date:2026-02-03..".to_string()),
            Just("..".to_string()),
            Just("channel:chat".to_string()),
            Just("sentiment:negative".to_string()),
            Just(":".to_string()),
            Just("😊".to_string()),
            Just("!!!".to_string()),
            "[a-zא-ת:\"()*.-]{0,6}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Any query either runs or is a usage error naming a column: never a panic, never an
        /// internal error.
        #[test]
        fn any_query_runs_or_is_a_usage_error(pieces in proptest::collection::vec(piece(), 0..7)) {
            thread_local! {
                static INDEX: (tempfile::TempDir, Index) = small_index();
            }
            let query = pieces.join(" ");
            INDEX.with(|(_, index)| {
                let reader = index.reader().expect("a reader");
                let request = SearchRequest { query: query.clone(), limit: 5, ..SearchRequest::default() };
                match index.search(&reader.searcher(), &request) {
                    Ok(results) => prop_assert!(results.hits.len() <= 5),
                    Err(Error::Request { field, column, .. }) => prop_assert!(field == "query" && column.is_some()),
                    Err(e) => prop_assert!(false, "{query:?}: {e}"),
                }
                Ok(())
            })?;
        }
    }
}
