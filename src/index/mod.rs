//! The search index: classified records in a tantivy index, searched, counted and read back.
//!
//! One document per record id. [`IndexWriter::upsert`] deletes any earlier document with the same
//! id and adds the new one; tantivy applies the delete to documents added before it only, so in
//! one commit the last version written wins, and re-running a job never duplicates a record.
//! Commits are atomic: a process killed at any moment leaves the index as of its last commit, and
//! running the same job again reaches the same final state.
//!
//! The text field is indexed with the Kashev analyzer, registered on the index as the `kashev`
//! tokenizer with the lexicon as its vocabulary ([`crate::analyze::index_terms`]), and the same
//! analyzer reads queries, so a Hebrew query matches prefixed and inflected forms as the
//! classifier does.
//!
//! Each commit carries a payload ([`IndexInfo`]): the index schema version and the fingerprint of
//! the lexicon the records were classified with. Opening an index with other lexicons is reported
//! by [`Index::lexicon_mismatch`]; `kashev reindex` re-classifies the stored texts.

pub mod customer;
pub mod facets;
pub mod query;
pub mod search;
pub mod trends;

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{DateTime, Directory as _, IndexReader, ReloadPolicy, TantivyDocument, Term};

use crate::analyze::{KashevTokenizer, TOKENIZER_NAME};
use crate::classify::{Classification, Classifier, LabelScore, Scratch};
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::record::Record;

/// Version of the index layout; an index of another version must be rebuilt.
pub const INDEX_SCHEMA_VERSION: u32 = 3;

/// The index directory used when none is given.
pub const DEFAULT_INDEX_DIR: &str = "kashev-index";

/// The fields of a Kashev index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The record id (raw, indexed: the upsert key).
    pub id: Field,
    /// The customer id (raw, fast).
    pub customer_id: Field,
    /// The channel (raw, fast).
    pub channel: Field,
    /// The agent id (raw, fast).
    pub agent_id: Field,
    /// The language the record was classified as (raw, fast).
    pub lang: Field,
    /// When the record was written (fast date, seconds).
    pub timestamp: Field,
    /// When the document was written to the index (fast date, microseconds): what scheduled alert
    /// runs keep their place by. Re-indexing a record moves it to the end.
    pub indexed_at: Field,
    /// The text, indexed with the Kashev analyzer, with positions, and stored as written.
    pub text: Field,
    /// The complaint and churn labels (multi-valued, raw, fast).
    pub labels: Field,
    /// The groups of the labels: `complaint`, `churn` (multi-valued, raw, fast).
    pub groups: Field,
    /// The sentiment score in [−1, 1] (fast).
    pub sentiment: Field,
    /// positive / negative / neutral (raw, fast).
    pub sentiment_label: Field,
    /// The churn risk in [0, 1] (fast).
    pub churn_risk: Field,
    /// The classification as JSON (stored): sentiment with evidence, labels with evidence.
    pub classification: Field,
    /// The rest of the record as JSON (stored): the language given, `meta`.
    pub record: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let raw = STRING | STORED | FAST;
        let date =
            DateOptions::from(INDEXED | STORED | FAST).set_precision(DateTimePrecision::Seconds);
        let text = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(TOKENIZER_NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            customer_id: b.add_text_field("customer_id", raw.clone()),
            channel: b.add_text_field("channel", raw.clone()),
            agent_id: b.add_text_field("agent_id", raw.clone()),
            lang: b.add_text_field("lang", raw.clone()),
            timestamp: b.add_date_field("timestamp", date),
            indexed_at: b.add_date_field(
                "indexed_at",
                DateOptions::from(INDEXED | STORED | FAST)
                    .set_precision(DateTimePrecision::Microseconds),
            ),
            text: b.add_text_field("text", text),
            labels: b.add_text_field("labels", raw.clone()),
            groups: b.add_text_field("groups", STRING | FAST),
            sentiment: b.add_f64_field("sentiment", INDEXED | STORED | FAST),
            sentiment_label: b.add_text_field("sentiment_label", raw),
            churn_risk: b.add_f64_field("churn_risk", INDEXED | STORED | FAST),
            classification: b.add_text_field("classification", STORED),
            record: b.add_text_field("record", STORED),
        };
        (b.build(), fields)
    }
}

/// What an index records about itself in every commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexInfo {
    /// [`INDEX_SCHEMA_VERSION`] when it was written.
    pub schema_version: u32,
    /// The fingerprint of the lexicon its records were classified with.
    pub lexicon: String,
}

/// A Kashev index directory, open.
#[derive(Clone)]
pub struct Index {
    dir: PathBuf,
    index: tantivy::Index,
    fields: Fields,
    lexicon: Lexicon,
    info: Option<IndexInfo>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("dir", &self.dir)
            .field("info", &self.info)
            .finish()
    }
}

impl Index {
    /// Opens the index in `dir`, creating it (and the directory) when there is none.
    ///
    /// # Errors
    /// When the directory cannot be created, holds something that is not a Kashev index of this
    /// schema version, or tantivy fails.
    pub fn open_or_create(dir: &Path, lexicon: Lexicon) -> Result<Index> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (schema, fields) = Fields::schema();
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(|e| {
            Error::Usage(format!("{}: cannot open as an index: {e}", dir.display()))
        })?;
        let exists = directory
            .exists(Path::new("meta.json"))
            .map_err(|e| Error::Usage(format!("{}: {e}", dir.display())))?;
        if exists {
            return Index::open(dir, lexicon);
        }
        let index = tantivy::Index::create(directory, schema, tantivy::IndexSettings::default())?;
        let index = Index {
            dir: dir.to_path_buf(),
            index,
            fields,
            lexicon,
            info: None,
        };
        index.register_tokenizer();
        Ok(index)
    }

    /// Opens the existing index in `dir`.
    ///
    /// # Errors
    /// When there is no index in `dir` (a usage error: run `kashev index` first), when it is not a
    /// Kashev index of this schema version, or when tantivy fails.
    pub fn open(dir: &Path, lexicon: Lexicon) -> Result<Index> {
        if !dir.join("meta.json").is_file() {
            return Err(Error::Usage(format!(
                "no index in {} (build one with `kashev index INPUT --index {}`)",
                dir.display(),
                dir.display()
            )));
        }
        let index = tantivy::Index::open_in_dir(dir)?;
        let (expected, fields) = Fields::schema();
        if index.schema() != expected {
            return Err(Error::Usage(format!(
                "{} is not a Kashev index of schema version {INDEX_SCHEMA_VERSION}: rebuild it",
                dir.display()
            )));
        }
        let info = match index.load_metas()?.payload {
            Some(payload) => Some(serde_json::from_str::<IndexInfo>(&payload).map_err(|e| {
                Error::Usage(format!("{}: unreadable index payload: {e}", dir.display()))
            })?),
            None => None,
        };
        if let Some(info) = &info
            && info.schema_version != INDEX_SCHEMA_VERSION
        {
            return Err(Error::Usage(format!(
                "{} has index schema version {}, this kashev writes {INDEX_SCHEMA_VERSION}: rebuild it",
                dir.display(),
                info.schema_version
            )));
        }
        let index = Index {
            dir: dir.to_path_buf(),
            index,
            fields,
            lexicon,
            info,
        };
        index.register_tokenizer();
        Ok(index)
    }

    fn register_tokenizer(&self) {
        KashevTokenizer::new(self.lexicon.analyzer().clone())
            .with_known_keys(std::sync::Arc::new(self.lexicon.clone()))
            .register(&self.index);
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The lexicon queries are read with (and records are classified with when indexing).
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The tantivy index.
    pub fn tantivy(&self) -> &tantivy::Index {
        &self.index
    }

    /// What the last commit recorded (`None` for an index never committed to by Kashev).
    pub fn info(&self) -> Option<&IndexInfo> {
        self.info.as_ref()
    }

    /// When the index was built with other lexicons than the ones it was opened with: a message
    /// saying so and what to do.
    pub fn lexicon_mismatch(&self) -> Option<String> {
        let info = self.info.as_ref()?;
        let current = self.lexicon.fingerprint().to_string();
        (info.lexicon != current).then(|| {
            format!(
                "{} was classified with lexicon {}, the lexicons in use are {current}: labels in the \
                 index are from the old lexicons until `kashev reindex --index {}` re-classifies them",
                self.dir.display(),
                info.lexicon,
                self.dir.display()
            )
        })
    }

    /// A reader that follows commits.
    ///
    /// # Errors
    /// When tantivy fails.
    pub fn reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?)
    }

    /// A writer with `threads` indexing threads sharing `heap_bytes` of indexing memory (tantivy's
    /// minimum is 15 MB per thread).
    ///
    /// # Errors
    /// When another process holds the index's writer lock, or tantivy fails.
    pub fn writer(&self, threads: usize, heap_bytes: usize) -> Result<IndexWriter> {
        let threads = threads.max(1);
        let writer = self
            .index
            .writer_with_num_threads(threads, heap_bytes.max(threads * (16 << 20)))
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::Usage(format!(
                    "{} is being written by another process",
                    self.dir.display()
                )),
                e => Error::Index(e),
            })?;
        // The index as the writer found it (no one else can add to it while the writer holds the
        // lock): an upsert asks it whether an id may be there already.
        let before = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map(|reader: IndexReader| reader.searcher())?;
        let known = KnownIds {
            before: (before.num_docs() > 0).then_some(before),
            seen: Some(std::collections::HashSet::new()),
        };
        Ok(IndexWriter {
            writer,
            known,
            fields: self.fields,
            info: IndexInfo {
                schema_version: INDEX_SCHEMA_VERSION,
                lexicon: self.lexicon.fingerprint().to_string(),
            },
            pending: 0,
            redact: false,
        })
    }
}

/// What is stored of a record besides its indexed fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct StoredRecord {
    /// The language the input gave (not the detected one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    /// The record's other fields.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    meta: Map<String, Value>,
}

/// What is stored of a classification.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredClassification {
    /// The language classified as.
    pub lang: String,
    /// The sentiment, with its evidence.
    pub sentiment: StoredSentiment,
    /// The labels, with their evidence.
    pub labels: Vec<StoredLabel>,
    /// The churn risk.
    pub churn_risk: f64,
}

impl StoredClassification {
    /// Every piece of evidence, the labels' then the sentiment's, to rewrite in place.
    pub fn evidence_mut(&mut self) -> impl Iterator<Item = &mut StoredEvidence> {
        self.labels
            .iter_mut()
            .flat_map(|l| l.evidence.iter_mut())
            .chain(self.sentiment.evidence.iter_mut())
    }
}

/// Stored sentiment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredSentiment {
    /// In [−1, 1].
    pub score: f64,
    /// positive / negative / neutral.
    pub label: String,
    /// Its evidence.
    #[serde(default)]
    pub evidence: Vec<StoredEvidence>,
}

/// A stored label.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredLabel {
    /// The label.
    pub label: String,
    /// Its score.
    pub score: f64,
    /// Its evidence.
    pub evidence: Vec<StoredEvidence>,
}

/// Stored evidence: the same shape as the classify output's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredEvidence {
    /// Byte offset in the text.
    pub start: usize,
    /// Byte offset one past it.
    pub end: usize,
    /// The matched text.
    pub text: String,
    /// The lexicon entry, `file:line`.
    pub entry: String,
    /// The modifiers that applied.
    #[serde(default)]
    pub modifiers: Vec<String>,
}

/// Records per parallel chunk in [`IndexWriter::build`].
const CHUNK: usize = 128;

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::new());
}

/// The documents of one chunk of records, with what their classification counted.
#[derive(Debug)]
pub struct BuiltChunk {
    /// Record id and document, in input order.
    pub docs: Vec<(String, TantivyDocument)>,
    /// Every label reported, once per record that has it.
    pub labels: Vec<String>,
    /// Records per sentiment: positive, negative, neutral.
    pub sentiment: [u64; 3],
}

/// Writes classified records into an [`Index`].
pub struct IndexWriter {
    writer: tantivy::IndexWriter<TantivyDocument>,
    known: KnownIds,
    fields: Fields,
    info: IndexInfo,
    pending: u64,
    redact: bool,
}

impl IndexWriter {
    /// Builds the document for a record and its classification, without touching the index:
    /// callers may build documents in parallel.
    pub fn document(fields: &Fields, record: &Record, c: &Classification) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.id, &record.id);
        for (field, value) in [
            (fields.customer_id, &record.customer_id),
            (fields.channel, &record.channel),
            (fields.agent_id, &record.agent_id),
        ] {
            if let Some(value) = value {
                doc.add_text(field, value);
            }
        }
        doc.add_text(fields.lang, &c.lang);
        doc.add_date(
            fields.indexed_at,
            DateTime::from_timestamp_micros(Timestamp::now().as_microsecond()),
        );
        if let Some(ts) = record.timestamp {
            doc.add_date(
                fields.timestamp,
                DateTime::from_timestamp_secs(ts.as_second()),
            );
        }
        // The text is analysed again by the tokenizer registered on the index (the same
        // analyzer): handing tantivy the classifier's tokens as a pre-tokenized string costs more,
        // as tantivy 0.27 keeps those in the document as JSON and parses them back.
        doc.add_text(fields.text, &record.text);
        let mut groups: Vec<&str> = Vec::new();
        for label in &c.labels {
            doc.add_text(fields.labels, &label.label);
            let group = label.label.split('.').next().unwrap_or("");
            if !groups.contains(&group) {
                groups.push(group);
                doc.add_text(fields.groups, group);
            }
        }
        doc.add_f64(fields.sentiment, c.sentiment.score);
        doc.add_text(fields.sentiment_label, c.sentiment.label.as_str());
        doc.add_f64(fields.churn_risk, c.churn_risk);
        #[derive(Serialize)]
        struct Stored<'a> {
            lang: &'a str,
            sentiment: &'a crate::classify::Sentiment,
            labels: &'a [LabelScore],
            churn_risk: f64,
        }
        let stored = Stored {
            lang: &c.lang,
            sentiment: &c.sentiment,
            labels: &c.labels,
            churn_risk: c.churn_risk,
        };
        doc.add_text(
            fields.classification,
            serde_json::to_string(&stored).expect("a classification serialises"),
        );
        let rest = StoredRecord {
            lang: record.lang.clone(),
            meta: record.meta.clone(),
        };
        doc.add_text(
            fields.record,
            serde_json::to_string(&rest).expect("a record serialises"),
        );
        doc
    }

    /// Classifies `records` on every core and builds their documents, in chunks, in input order.
    pub fn build(&self, classifier: &Classifier, records: &[Record]) -> Vec<BuiltChunk> {
        use rayon::prelude::*;
        let fields = &self.fields;
        records
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut out = BuiltChunk {
                    docs: Vec::with_capacity(chunk.len()),
                    labels: Vec::new(),
                    sentiment: [0; 3],
                };
                let mut analysis = crate::analyze::Analysis::new();
                SCRATCH.with_borrow_mut(|scratch| {
                    for record in chunk {
                        let mut c =
                            classifier.classify_with(&record.text, record.lang.as_deref(), scratch);
                        let masked = if self.redact {
                            redact_record(
                                classifier.lexicon().analyzer(),
                                record,
                                &mut c,
                                &mut analysis,
                            )
                        } else {
                            None
                        };
                        let doc =
                            IndexWriter::document(fields, masked.as_ref().unwrap_or(record), &c);
                        out.docs.push((record.id.clone(), doc));
                        out.sentiment[match c.sentiment.label {
                            crate::eval::Polarity::Positive => 0,
                            crate::eval::Polarity::Negative => 1,
                            crate::eval::Polarity::Neutral => 2,
                        }] += 1;
                        out.labels.extend(c.labels.into_iter().map(|l| l.label));
                    }
                });
                out
            })
            .collect()
    }

    /// Makes [`IndexWriter::build`] store records with their personal data masked (text, meta
    /// and evidence; see [`crate::analyze::pii`]): classification still sees the original text.
    pub fn set_redact(&mut self, redact: bool) {
        self.redact = redact;
    }

    /// The fields documents are built for.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Replaces any document with `id` by `doc` (effective at the next commit).
    ///
    /// # Errors
    /// When tantivy fails.
    pub fn upsert(&mut self, id: &str, doc: TantivyDocument) -> Result<()> {
        let term = Term::from_field_text(self.fields.id, id);
        if self.known.may_hold(self.fields.id, id, &term)? {
            self.writer.delete_term(term);
        }
        self.writer.add_document(doc)?;
        self.pending += 1;
        Ok(())
    }

    /// Documents upserted since the last commit.
    pub fn pending(&self) -> u64 {
        self.pending
    }

    /// Commits everything upserted so far, atomically, with the index payload.
    ///
    /// # Errors
    /// When tantivy fails (nothing of this commit is visible then).
    pub fn commit(&mut self) -> Result<()> {
        let payload = serde_json::to_string(&self.info).expect("index info serialises");
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.pending = 0;
        Ok(())
    }

    /// Deletes every document (effective at the next commit), for a rebuild.
    ///
    /// # Errors
    /// When tantivy fails.
    pub fn delete_all(&mut self) -> Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Waits for merges to finish and releases the writer lock.
    ///
    /// # Errors
    /// When a merge failed.
    pub fn finish(self) -> Result<()> {
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}

/// The ids an [`IndexWriter`] may find already in its index: those it wrote itself (by a 64-bit
/// hash) and those of the index as it was when the writer opened. A tantivy delete is not free (a
/// query weight per call, applied to every segment at commit, about a tenth of the indexing time
/// of a fresh index), so an upsert deletes only an id that may be there. A hash collision costs
/// one needless delete, never a missed one.
struct KnownIds {
    /// The committed index when the writer opened, unless it was empty.
    before: Option<tantivy::Searcher>,
    /// Hashes of the ids upserted by this writer; `None` once [`KnownIds::MAX_SEEN`] were, from
    /// when every upsert deletes (a long-running `watch` keeps its memory bounded).
    seen: Option<std::collections::HashSet<u64>>,
}

impl KnownIds {
    /// The most ids remembered (about 32 MB).
    const MAX_SEEN: usize = 2_000_000;

    /// Whether a document with `id` may be in the index (committed or pending), and remembers
    /// that it will be.
    fn may_hold(&mut self, field: Field, id: &str, term: &Term) -> Result<bool> {
        let Some(seen) = &mut self.seen else {
            return Ok(true);
        };
        let hash = {
            use std::hash::{BuildHasher, BuildHasherDefault};
            BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(id)
        };
        if !seen.insert(hash) {
            return Ok(true);
        }
        if seen.len() > Self::MAX_SEEN {
            self.seen = None;
        }
        let Some(before) = &self.before else {
            return Ok(false);
        };
        for segment in before.segment_readers() {
            let terms = segment.inverted_index(field)?;
            if terms
                .get_term_info(term)
                .map_err(|e| Error::Index(e.into()))?
                .is_some()
            {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The record with its personal data masked (text and meta) and the evidence of `c` read from
/// the masked text, or `None` when it holds none (see [`crate::analyze::pii`]).
pub fn redact_record(
    analyzer: &crate::analyze::Analyzer,
    record: &Record,
    c: &mut Classification,
    analysis: &mut crate::analyze::Analysis,
) -> Option<Record> {
    let mut masked = record.clone();
    let changed = mask_record(analyzer, &mut masked, analysis, |text| {
        reread_evidence(
            text,
            c.evidence_mut().map(|e| (e.start, e.end, &mut e.text)),
        );
    });
    changed.then_some(masked)
}

/// Masks the personal data in a record's text and meta fields; `reread` is given the masked text
/// (before it replaces the record's) so evidence can be read from it. Returns whether anything
/// was masked.
fn mask_record(
    analyzer: &crate::analyze::Analyzer,
    record: &mut Record,
    analysis: &mut crate::analyze::Analysis,
    reread: impl FnOnce(&str),
) -> bool {
    use crate::analyze::pii;
    let mut changed = false;
    if let Some(text) = pii::mask(analyzer, &record.text, analysis) {
        reread(&text);
        record.text = text;
        changed = true;
    }
    for value in record.meta.values_mut() {
        changed |= pii::mask_json(analyzer, value, analysis);
    }
    changed
}

/// Sets each evidence text (start, end, text) to what its span holds in `text`.
fn reread_evidence<'a>(text: &str, evidence: impl Iterator<Item = (usize, usize, &'a mut String)>) {
    for (start, end, surface) in evidence {
        if let Some(s) = text.get(start..end) {
            *surface = s.to_string();
        }
    }
}

/// A record as read back from the index.
#[derive(Debug, Clone)]
pub struct StoredDoc {
    /// The record (id, text, customer, channel, agent, timestamp, the given language, meta).
    pub record: Record,
    /// Its classification.
    pub classification: StoredClassification,
}

impl StoredDoc {
    /// Masks the personal data in the text, the meta fields and the evidence (offsets stay
    /// valid: see [`crate::analyze::pii`]). Returns whether anything was masked.
    pub fn mask_pii(
        &mut self,
        analyzer: &crate::analyze::Analyzer,
        analysis: &mut crate::analyze::Analysis,
    ) -> bool {
        let c = &mut self.classification;
        mask_record(analyzer, &mut self.record, analysis, |text| {
            reread_evidence(
                text,
                c.evidence_mut().map(|e| (e.start, e.end, &mut e.text)),
            );
        })
    }

    /// Reads a stored document.
    ///
    /// # Errors
    /// When a stored field is missing or unreadable (an index not written by this version).
    pub fn from_document(fields: &Fields, doc: &TantivyDocument) -> Result<StoredDoc> {
        use tantivy::schema::Value as _;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let broken = |what: &str| Error::Usage(format!("index document without a readable {what}"));
        let id = text(fields.id).ok_or_else(|| broken("id"))?;
        let rest: StoredRecord =
            serde_json::from_str(&text(fields.record).ok_or_else(|| broken("record"))?)?;
        let classification: StoredClassification = serde_json::from_str(
            &text(fields.classification).ok_or_else(|| broken("classification"))?,
        )?;
        let timestamp = doc
            .get_first(fields.timestamp)
            .and_then(|v| v.as_datetime())
            .and_then(|d| Timestamp::from_second(d.into_timestamp_secs()).ok());
        Ok(StoredDoc {
            record: Record {
                id,
                text: text(fields.text).ok_or_else(|| broken("text"))?,
                customer_id: text(fields.customer_id),
                channel: text(fields.channel),
                agent_id: text(fields.agent_id),
                timestamp,
                lang: rest.lang,
                meta: rest.meta,
            },
            classification,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored texts of the committed index, by id.
    fn texts(index: &Index) -> Vec<(String, String)> {
        use tantivy::collector::DocSetCollector;
        use tantivy::query::AllQuery;
        let reader = index.reader().expect("a reader");
        reader.reload().expect("reload");
        let searcher = reader.searcher();
        let mut out: Vec<(String, String)> = searcher
            .search(&AllQuery, &DocSetCollector)
            .expect("search")
            .into_iter()
            .map(|address| {
                let doc: TantivyDocument = searcher.doc(address).expect("a stored document");
                let record = StoredDoc::from_document(index.fields(), &doc)
                    .expect("a Kashev document")
                    .record;
                (record.id, record.text)
            })
            .collect();
        out.sort();
        out
    }

    fn upsert_all(index: &Index, writer: &mut IndexWriter, records: &[(&str, &str)]) {
        let classifier = Classifier::new(index.lexicon().clone());
        for (id, text) in records {
            let mut record = Record::from_text(*text);
            record.id = id.to_string();
            let c = classifier.classify(&record.text, None);
            let doc = IndexWriter::document(index.fields(), &record, &c);
            writer.upsert(id, doc).expect("upsert");
        }
    }

    #[test]
    fn upserts_delete_only_what_may_be_there_and_never_duplicate() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let index = Index::open_or_create(dir.path(), Lexicon::embedded().expect("lexicons"))
            .expect("an index");
        let mut writer = index.writer(1, 16 << 20).expect("a writer");
        assert!(writer.known.before.is_none(), "a fresh index holds nothing");
        // Twice in one commit, and again after a commit: the last version wins each time.
        upsert_all(
            &index,
            &mut writer,
            &[("a", "a one"), ("b", "b one"), ("a", "a two")],
        );
        writer.commit().expect("commit");
        upsert_all(&index, &mut writer, &[("b", "b two")]);
        writer.commit().expect("commit");
        writer.finish().expect("merges");
        assert_eq!(
            texts(&index),
            [("a".into(), "a two".into()), ("b".into(), "b two".into())]
        );

        // A writer on a non-empty index finds the ids it holds; one that forgot what it wrote
        // deletes on every upsert.
        let mut writer = index.writer(1, 16 << 20).expect("a writer");
        assert!(writer.known.before.is_some());
        upsert_all(&index, &mut writer, &[("a", "a three"), ("c", "c one")]);
        writer.known.seen = None;
        upsert_all(&index, &mut writer, &[("c", "c two"), ("b", "b three")]);
        writer.commit().expect("commit");
        writer.finish().expect("merges");
        assert_eq!(
            texts(&index),
            [
                ("a".into(), "a three".into()),
                ("b".into(), "b three".into()),
                ("c".into(), "c two".into())
            ]
        );
    }
}
