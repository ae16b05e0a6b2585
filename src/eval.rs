//! Quality measurement against gold-labelled text: the metrics and the report of `kashev eval`.
//!
//! It takes gold-labelled JSONL — one `{"id", "text", "lang", "gold": {...}}` object a line, the shape
//! of `fixtures/gold/` and of the shared development sets — read by [`GoldReader`], and for each
//! record the classifier's [`Prediction`]. An [`Evaluation`] accumulates the pairs in bounded memory
//! and hands on an [`EvalReport`]: sentiment accuracy, 3-class and polar macro-F1, per-class scores
//! and the confusion matrix, Pearson r against the gold valence, precision / recall / F1 for complaint,
//! churn and each label, and the worst errors with the classifier's evidence. The report serialises to
//! JSON and renders as text ([`std::fmt::Display`]); [`EvalReport::check`] compares it with
//! [`Floors`] so that CI fails when quality drops.
//!
//! The module does not classify: the caller maps each [`GoldRecord`] to a [`Prediction`].
//!
//! # Definitions
//!
//! Every metric is measured on the rows whose gold has the key it needs, and reports that number of
//! rows (`n`). A metric over no rows is absent (`None`, `null` in JSON), never NaN.
//!
//! - **Precision, recall, F1** of a class: `tp / (tp + fp)`, `tp / (tp + fn)` and their harmonic
//!   mean; a ratio whose denominator is zero is 0.
//! - **3-class macro-F1**: the mean of the F1 of each sentiment class that occurs in the gold or the
//!   predictions of the measured rows (scikit-learn's `f1_score(average="macro")`).
//! - **Polar macro-F1**: on the rows whose gold sentiment is positive or negative only, the mean of
//!   the positive F1 and the negative F1. A neutral prediction on such a row is a false negative for
//!   the gold class and a false positive for no class; neutral-gold rows are left out. It measures the
//!   polarity decision without rewarding a classifier for hedging to neutral.
//! - **Pearson r** between the predicted score and the gold valence, over the rows with a valence;
//!   absent when fewer than two rows, or when either series has zero variance.
//! - **Labels**: on rows whose gold has `labels`, each label is a binary decision per row; the micro
//!   scores sum the counts over every label seen in the gold or the predictions (so their `n` and
//!   `tn` count (row, label) pairs).
//!
//! # Examples
//!
//! ```
//! use kashev::eval::{EvalOptions, Evaluation, Floors, GoldRecord, Polarity, Prediction};
//!
//! let line = r#"{"id":"1","text":"awful service","gold":{"sentiment":"negative","complaint":true}}"#;
//! let record: GoldRecord = serde_json::from_str(line)?;
//! let prediction = Prediction {
//!     sentiment: Polarity::Negative,
//!     score: -0.8,
//!     complaint: true,
//!     churn: false,
//!     labels: vec![],
//!     evidence: "awful service (-2.5)".into(),
//! };
//! let mut evaluation = Evaluation::new(EvalOptions::default());
//! evaluation.add(&record, &prediction);
//! let report = evaluation.report("notes.jsonl");
//! assert_eq!(report.sentiment.as_ref().map(|s| s.accuracy), Some(1.0));
//! let floors = Floors { complaint_f1: Some(0.8), churn_f1: Some(0.8), ..Floors::default() };
//! // No row has `gold.churn`, so the churn floor cannot be met.
//! assert_eq!(report.check(&floors).len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::record::Record;
use crate::{Error, Result};

/// The sentiment of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    /// Favourable.
    Positive,
    /// Unfavourable.
    Negative,
    /// Neither, or balanced.
    Neutral,
}

impl Polarity {
    /// Every polarity, in the order used by the confusion matrix and the per-class scores.
    pub const ALL: [Polarity; 3] = [Polarity::Positive, Polarity::Negative, Polarity::Neutral];

    /// The lower-case name used in JSON: `positive`, `negative` or `neutral`.
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Positive => "positive",
            Polarity::Negative => "negative",
            Polarity::Neutral => "neutral",
        }
    }

    /// The polarity's position in [`Polarity::ALL`].
    fn index(self) -> usize {
        match self {
            Polarity::Positive => 0,
            Polarity::Negative => 1,
            Polarity::Neutral => 2,
        }
    }

    /// The score that stands for the class when no gold valence is known: +1, -1 or 0.
    fn target(self) -> f64 {
        match self {
            Polarity::Positive => 1.0,
            Polarity::Negative => -1.0,
            Polarity::Neutral => 0.0,
        }
    }
}

impl fmt::Display for Polarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Polarity {
    type Err = Error;

    fn from_str(s: &str) -> Result<Polarity> {
        match s {
            "positive" => Ok(Polarity::Positive),
            "negative" => Ok(Polarity::Negative),
            "neutral" => Ok(Polarity::Neutral),
            _ => Err(Error::Usage(format!(
                "unknown polarity {s:?} (expected positive, negative or neutral)"
            ))),
        }
    }
}

/// The gold labels of one record; a key the source does not give is `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Gold {
    /// The sentiment class.
    #[serde(default)]
    pub sentiment: Option<Polarity>,
    /// The source's numeric rating, on the source's own scale (−4..4 for the VADER tweets, −1..1 for
    /// HebEMO).
    #[serde(default)]
    pub valence: Option<f64>,
    /// The source's intent name.
    #[serde(default)]
    pub intent: Option<String>,
    /// Whether the text is a complaint.
    #[serde(default)]
    pub complaint: Option<bool>,
    /// Whether the text signals churn.
    #[serde(default)]
    pub churn: Option<bool>,
    /// Whether the text is off the topic of its source.
    #[serde(default)]
    pub off_topic: Option<bool>,
    /// The complaint and churn labels the text carries (`complaint.billing`, `churn.cancel_intent`).
    #[serde(default)]
    pub labels: Option<Vec<String>>,
}

/// One line of a gold file: a text and its gold labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldRecord {
    /// The record's id.
    pub id: String,
    /// The text.
    pub text: String,
    /// The language (`he`, `en`), when given.
    #[serde(default)]
    pub lang: Option<String>,
    /// The channel (`chat`, `agent_note`, …), when given.
    #[serde(default)]
    pub channel: Option<String>,
    /// The gold labels.
    pub gold: Gold,
}

impl GoldRecord {
    /// The record to classify: id, text, language and channel; the gold labels are not part of it.
    pub fn to_record(&self) -> Record {
        Record {
            id: self.id.clone(),
            text: self.text.clone(),
            customer_id: None,
            channel: self.channel.clone(),
            agent_id: None,
            timestamp: None,
            lang: self.lang.clone(),
            meta: serde_json::Map::new(),
        }
    }
}

/// Streams [`GoldRecord`]s from gold-labelled JSONL, one object a line.
///
/// Each item is a record, or a bad line as `file:line: reason` (not JSON, missing `id` or `text`,
/// unknown sentiment, …); bad lines are counted and skipped. Blank lines are ignored. A read failure
/// yields one last `Err` and ends the stream; [`GoldReader::finish`] then returns it as an
/// [`Error::Io`].
#[derive(Debug)]
pub struct GoldReader<R> {
    input: R,
    name: String,
    path: PathBuf,
    line: u64,
    buf: Vec<u8>,
    rejected: u64,
    failure: Option<std::io::Error>,
    done: bool,
}

impl GoldReader<BufReader<File>> {
    /// Opens a gold file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be opened.
    pub fn open(path: impl AsRef<Path>) -> Result<GoldReader<BufReader<File>>> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let mut reader = GoldReader::new(BufReader::new(file), path.display().to_string());
        reader.path = path.to_path_buf();
        Ok(reader)
    }
}

impl<R: BufRead> GoldReader<R> {
    /// Reads gold records from `input`; `name` (a path, `-`) starts every message.
    pub fn new(input: R, name: impl Into<String>) -> GoldReader<R> {
        let name = name.into();
        GoldReader {
            input,
            path: PathBuf::from(&name),
            name,
            line: 0,
            buf: Vec::new(),
            rejected: 0,
            failure: None,
            done: false,
        }
    }

    /// How many lines were rejected so far.
    pub fn rejected(&self) -> u64 {
        self.rejected
    }

    /// Ends the reading: the number of rejected lines.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when reading failed before the end of the input.
    pub fn finish(self) -> Result<u64> {
        match self.failure {
            Some(e) => Err(Error::io(self.path, e)),
            None => Ok(self.rejected),
        }
    }

    fn parse_line(&self) -> std::result::Result<GoldRecord, String> {
        let mut bytes = self.buf.as_slice();
        if self.line == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let text = std::str::from_utf8(bytes).map_err(|e| {
            format!(
                "{}:{}: line is not valid UTF-8 (at byte {})",
                self.name,
                self.line,
                e.valid_up_to()
            )
        })?;
        serde_json::from_str::<GoldRecord>(text).map_err(|e| {
            let message = e.to_string();
            // serde_json adds " at line 1 column N"; the line is ours to give.
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            format!("{}:{}:{}: {message}", self.name, self.line, e.column())
        })
    }
}

impl<R: BufRead> Iterator for GoldReader<R> {
    type Item = std::result::Result<GoldRecord, String>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.buf.clear();
            match self.input.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line += 1;
                    if self.buf.trim_ascii().is_empty() {
                        continue;
                    }
                    let parsed = self.parse_line();
                    if parsed.is_err() {
                        self.rejected += 1;
                    }
                    return Some(parsed);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.done = true;
                    let message = format!("{}:{}: read failed: {e}", self.name, self.line + 1);
                    self.failure = Some(e);
                    return Some(Err(message));
                }
            }
        }
        None
    }
}

/// What the classifier said about one record, as far as the evaluation needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The sentiment class.
    pub sentiment: Polarity,
    /// The sentiment score, in [-1, 1].
    pub score: f64,
    /// Whether any complaint label was assigned.
    pub complaint: bool,
    /// Whether any churn label was assigned.
    pub churn: bool,
    /// The complaint and churn labels assigned.
    pub labels: Vec<String>,
    /// A short human summary of the hits behind the decision, shown with the worst examples.
    pub evidence: String,
}

/// Settings of an [`Evaluation`].
#[derive(Debug, Clone, PartialEq)]
pub struct EvalOptions {
    /// How many of the worst examples to keep per kind of error (`--show N`); 0 keeps none.
    pub show: usize,
    /// The largest magnitude of the gold valence scale (4 for −4..4), used to bring the valence into
    /// [-1, 1] when ranking sentiment errors. `None` (or a value that is not positive and finite)
    /// infers it: the largest |valence| seen so far, rounded up to a whole number, at least 1.
    /// Pearson r does not depend on it.
    pub valence_scale: Option<f64>,
}

impl Default for EvalOptions {
    fn default() -> EvalOptions {
        EvalOptions {
            show: 10,
            valence_scale: None,
        }
    }
}

/// Accumulates gold/prediction pairs; [`Evaluation::report`] computes the metrics.
///
/// Memory is bounded: counters, and at most [`EvalOptions::show`] examples per kind of error.
#[derive(Debug, Clone)]
pub struct Evaluation {
    options: EvalOptions,
    inferred_scale: f64,
    rows: u64,
    rejected: u64,
    confusion: [[u64; 3]; 3],
    valence: Correlator,
    complaint: BinaryCounts,
    churn: BinaryCounts,
    label_rows: u64,
    labels: BTreeMap<String, BinaryCounts>,
    worst_sentiment: WorstList,
    complaint_false_positives: WorstList,
    complaint_false_negatives: WorstList,
    churn_false_positives: WorstList,
    churn_false_negatives: WorstList,
}

impl Evaluation {
    /// An empty evaluation.
    pub fn new(options: EvalOptions) -> Evaluation {
        let show = options.show;
        Evaluation {
            options,
            inferred_scale: 1.0,
            rows: 0,
            rejected: 0,
            confusion: [[0; 3]; 3],
            valence: Correlator::default(),
            complaint: BinaryCounts::default(),
            churn: BinaryCounts::default(),
            label_rows: 0,
            labels: BTreeMap::new(),
            worst_sentiment: WorstList::new(show),
            complaint_false_positives: WorstList::new(show),
            complaint_false_negatives: WorstList::new(show),
            churn_false_positives: WorstList::new(show),
            churn_false_negatives: WorstList::new(show),
        }
    }

    /// Counts one input line that could not be read as a gold record.
    pub fn add_rejected(&mut self) {
        self.rejected += 1;
    }

    /// Adds one record and the classifier's prediction for it.
    pub fn add(&mut self, record: &GoldRecord, prediction: &Prediction) {
        let seq = self.rows;
        self.rows += 1;
        let gold = &record.gold;

        if let Some(valence) = gold.valence.filter(|v| v.is_finite()) {
            self.inferred_scale = self.inferred_scale.max(valence.abs().ceil());
            if prediction.score.is_finite() {
                self.valence.add(prediction.score, valence);
            }
        }

        if let Some(expected) = gold.sentiment {
            self.confusion[expected.index()][prediction.sentiment.index()] += 1;
            if expected != prediction.sentiment {
                let distance = match gold.valence.filter(|v| v.is_finite()) {
                    Some(valence) => (self.normalise(valence) - prediction.score).abs(),
                    None => (expected.target() - prediction.score).abs(),
                };
                self.worst_sentiment
                    .offer(distance, seq, record, prediction);
            }
        }

        if let Some(expected) = gold.complaint {
            self.complaint.add(expected, prediction.complaint);
            let list = match (expected, prediction.complaint) {
                (false, true) => Some(&mut self.complaint_false_positives),
                (true, false) => Some(&mut self.complaint_false_negatives),
                _ => None,
            };
            // No confidence to rank by: the first errors in input order are kept.
            if let Some(list) = list {
                list.offer(0.0, seq, record, prediction);
            }
        }

        if let Some(expected) = gold.churn {
            self.churn.add(expected, prediction.churn);
            let list = match (expected, prediction.churn) {
                (false, true) => Some(&mut self.churn_false_positives),
                (true, false) => Some(&mut self.churn_false_negatives),
                _ => None,
            };
            if let Some(list) = list {
                list.offer(0.0, seq, record, prediction);
            }
        }

        if let Some(expected) = &gold.labels {
            self.label_rows += 1;
            let expected: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
            let predicted: BTreeSet<&str> = prediction.labels.iter().map(String::as_str).collect();
            for &label in expected.union(&predicted) {
                self.labels
                    .entry(label.to_string())
                    .or_default()
                    .add(expected.contains(label), predicted.contains(label));
            }
        }
    }

    /// The gold valence brought into [-1, 1].
    fn normalise(&self, valence: f64) -> f64 {
        let scale = match self.options.valence_scale {
            Some(scale) if scale.is_finite() && scale > 0.0 => scale,
            _ => self.inferred_scale,
        };
        (valence / scale).clamp(-1.0, 1.0)
    }

    /// The metrics over everything added so far; `name` (usually the file) heads the report.
    pub fn report(&self, name: impl Into<String>) -> EvalReport {
        EvalReport {
            name: name.into(),
            rows: self.rows,
            rejected: self.rejected,
            sentiment: SentimentScores::from_confusion(self.confusion),
            valence: (self.valence.n > 0).then(|| Correlation {
                n: self.valence.n,
                pearson_r: self.valence.pearson(),
            }),
            complaint: self.complaint.scores(),
            churn: self.churn.scores(),
            labels: self.label_scores(),
            worst: WorstExamples {
                sentiment: self.worst_sentiment.sorted(),
                complaint_false_positives: self.complaint_false_positives.sorted(),
                complaint_false_negatives: self.complaint_false_negatives.sorted(),
                churn_false_positives: self.churn_false_positives.sorted(),
                churn_false_negatives: self.churn_false_negatives.sorted(),
            },
        }
    }

    fn label_scores(&self) -> Option<LabelScores> {
        if self.label_rows == 0 {
            return None;
        }
        let mut micro = BinaryCounts::default();
        let mut per_label = BTreeMap::new();
        for (label, counts) in &self.labels {
            // Only rows where the label was gold or predicted are counted; the rest are its `tn`.
            let counts = counts.with_rows(self.label_rows);
            micro.tp += counts.tp;
            micro.fp += counts.fp;
            micro.fn_ += counts.fn_;
            micro.tn += counts.tn;
            per_label.insert(label.clone(), counts.to_scores());
        }
        Some(LabelScores {
            n: self.label_rows,
            micro: micro.to_scores(),
            per_label,
        })
    }
}

/// Reads a gold file, asks `predict` for each record, and reports.
///
/// Each bad line is passed to `on_reject` as `file:line: reason`, counted in
/// [`EvalReport::rejected`], and skipped. The report is named after `path`.
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be opened or read.
pub fn evaluate_file(
    path: impl AsRef<Path>,
    options: EvalOptions,
    mut predict: impl FnMut(&GoldRecord) -> Prediction,
    mut on_reject: impl FnMut(&str),
) -> Result<EvalReport> {
    let path = path.as_ref();
    let mut reader = GoldReader::open(path)?;
    let mut evaluation = Evaluation::new(options);
    for item in &mut reader {
        match item {
            Ok(record) => {
                let prediction = predict(&record);
                evaluation.add(&record, &prediction);
            }
            Err(message) => on_reject(&message),
        }
    }
    // A read failure ends the stream as an error, not as one more rejected line.
    evaluation.rejected = reader.finish()?;
    Ok(evaluation.report(path.display().to_string()))
}

/// Counts of a binary decision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct BinaryCounts {
    tp: u64,
    fp: u64,
    fn_: u64,
    tn: u64,
}

impl BinaryCounts {
    fn add(&mut self, expected: bool, predicted: bool) {
        match (expected, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    /// The same counts, with `tn` filled in so that they sum to `rows`.
    fn with_rows(mut self, rows: u64) -> BinaryCounts {
        self.tn = rows.saturating_sub(self.tp + self.fp + self.fn_);
        self
    }

    fn n(&self) -> u64 {
        self.tp + self.fp + self.fn_ + self.tn
    }

    fn scores(&self) -> Option<BinaryScores> {
        (self.n() > 0).then(|| self.to_scores())
    }

    fn to_scores(self) -> BinaryScores {
        let (precision, recall, f1) = precision_recall_f1(self.tp, self.fp, self.fn_);
        BinaryScores {
            n: self.n(),
            tp: self.tp,
            fp: self.fp,
            fn_: self.fn_,
            tn: self.tn,
            precision,
            recall,
            f1,
        }
    }
}

/// `num / den`, 0 when `den` is 0.
fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// Precision, recall and F1 from counts; a zero denominator gives 0.
fn precision_recall_f1(tp: u64, fp: u64, fn_: u64) -> (f64, f64, f64) {
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    // 2tp / (2tp + fp + fn) is the harmonic mean of the two, without a 0/0 when both are 0.
    let f1 = ratio(2 * tp, 2 * tp + fp + fn_);
    (precision, recall, f1)
}

/// Online Pearson correlation (Welford's update: stable, one pass, no stored series).
#[derive(Debug, Clone, Copy, Default)]
struct Correlator {
    n: u64,
    mean_x: f64,
    mean_y: f64,
    m2_x: f64,
    m2_y: f64,
    c_xy: f64,
}

impl Correlator {
    fn add(&mut self, x: f64, y: f64) {
        self.n += 1;
        let n = self.n as f64;
        let dx = x - self.mean_x;
        let dy = y - self.mean_y;
        self.mean_x += dx / n;
        self.mean_y += dy / n;
        self.m2_x += dx * (x - self.mean_x);
        self.m2_y += dy * (y - self.mean_y);
        self.c_xy += dx * (y - self.mean_y);
    }

    fn pearson(&self) -> Option<f64> {
        if self.n < 2 || self.m2_x <= 0.0 || self.m2_y <= 0.0 {
            return None;
        }
        let r = self.c_xy / (self.m2_x.sqrt() * self.m2_y.sqrt());
        r.is_finite().then(|| r.clamp(-1.0, 1.0))
    }
}

/// An example waiting in a [`WorstList`]: greater is worse (larger key, then earlier in the input).
#[derive(Debug, Clone)]
struct Ranked {
    key: f64,
    seq: u64,
    example: WorstExample,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Ranked) -> Ordering {
        self.key
            .total_cmp(&other.key)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Ranked) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Ranked) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// The `capacity` worst examples seen: a min-heap whose top is the mildest one kept.
#[derive(Debug, Clone)]
struct WorstList {
    capacity: usize,
    heap: BinaryHeap<Reverse<Ranked>>,
}

impl WorstList {
    fn new(capacity: usize) -> WorstList {
        WorstList {
            capacity,
            heap: BinaryHeap::new(),
        }
    }

    /// Keeps the example if it is among the worst; the record is copied only then. `seq` grows with
    /// every call, so a tie goes to the example kept first.
    fn offer(&mut self, key: f64, seq: u64, record: &GoldRecord, prediction: &Prediction) {
        if self.capacity == 0 {
            return;
        }
        if self.heap.len() == self.capacity {
            match self.heap.peek() {
                Some(Reverse(mildest)) if key.total_cmp(&mildest.key) == Ordering::Greater => {
                    self.heap.pop();
                }
                _ => return,
            }
        }
        self.heap.push(Reverse(Ranked {
            key,
            seq,
            example: WorstExample {
                id: record.id.clone(),
                text: record.text.clone(),
                gold: record.gold.clone(),
                predicted: prediction.clone(),
                distance: key,
            },
        }));
    }

    /// The examples kept, worst first.
    fn sorted(&self) -> Vec<WorstExample> {
        self.heap
            .clone()
            .into_sorted_vec()
            .into_iter()
            .map(|Reverse(ranked)| ranked.example)
            .collect()
    }
}

/// The quality of one gold file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// What was evaluated, usually the file's path.
    pub name: String,
    /// Records evaluated.
    pub rows: u64,
    /// Input lines that could not be read as gold records.
    pub rejected: u64,
    /// Sentiment scores, over the rows with a gold sentiment.
    pub sentiment: Option<SentimentScores>,
    /// Correlation of the predicted score with the gold valence, over the rows with a valence.
    pub valence: Option<Correlation>,
    /// Complaint detection, over the rows with a gold `complaint`.
    pub complaint: Option<BinaryScores>,
    /// Churn detection, over the rows with a gold `churn`.
    pub churn: Option<BinaryScores>,
    /// Label assignment, over the rows with gold `labels`.
    pub labels: Option<LabelScores>,
    /// The worst errors, worst first.
    pub worst: WorstExamples,
}

/// Sentiment classification scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentimentScores {
    /// Rows with a gold sentiment.
    pub n: u64,
    /// Share of rows whose predicted class is the gold class.
    pub accuracy: f64,
    /// Macro-F1 over the classes present in the gold or the predictions.
    pub macro_f1: f64,
    /// Rows whose gold sentiment is positive or negative.
    pub polar_n: u64,
    /// Mean of the positive and negative F1 on the polar rows (see the module's definitions); `None`
    /// without polar rows.
    pub polar_macro_f1: Option<f64>,
    /// Precision, recall and F1 of each class, in [`Polarity::ALL`] order.
    pub per_class: Vec<ClassScores>,
    /// The confusion matrix.
    pub confusion: Confusion,
}

impl SentimentScores {
    fn from_confusion(counts: [[u64; 3]; 3]) -> Option<SentimentScores> {
        let n: u64 = counts.iter().flatten().sum();
        if n == 0 {
            return None;
        }
        let correct: u64 = (0..3).map(|k| counts[k][k]).sum();
        let per_class: Vec<ClassScores> = Polarity::ALL
            .iter()
            .map(|&class| {
                let k = class.index();
                let support: u64 = counts[k].iter().sum();
                let predicted: u64 = counts.iter().map(|row| row[k]).sum();
                let tp = counts[k][k];
                let (precision, recall, f1) = precision_recall_f1(tp, predicted - tp, support - tp);
                ClassScores {
                    class,
                    precision,
                    recall,
                    f1,
                    support,
                    predicted,
                }
            })
            .collect();
        let present: Vec<f64> = per_class
            .iter()
            .filter(|c| c.support + c.predicted > 0)
            .map(|c| c.f1)
            .collect();
        let macro_f1 = present.iter().sum::<f64>() / present.len() as f64;

        let (pos, neg) = (Polarity::Positive.index(), Polarity::Negative.index());
        let polar_n: u64 = counts[pos].iter().sum::<u64>() + counts[neg].iter().sum::<u64>();
        let polar_macro_f1 = (polar_n > 0).then(|| {
            let f1 = |class: usize, other: usize| {
                let support: u64 = counts[class].iter().sum();
                let tp = counts[class][class];
                precision_recall_f1(tp, counts[other][class], support - tp).2
            };
            (f1(pos, neg) + f1(neg, pos)) / 2.0
        });

        Some(SentimentScores {
            n,
            accuracy: ratio(correct, n),
            macro_f1,
            polar_n,
            polar_macro_f1,
            per_class,
            confusion: Confusion {
                classes: Polarity::ALL,
                counts,
            },
        })
    }
}

/// Scores of one sentiment class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassScores {
    /// The class.
    pub class: Polarity,
    /// Share of the rows predicted as the class that are gold in it.
    pub precision: f64,
    /// Share of the rows gold in the class that are predicted as it.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Rows gold in the class.
    pub support: u64,
    /// Rows predicted as the class.
    pub predicted: u64,
}

/// Counts of gold class (rows) against predicted class (columns).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confusion {
    /// The classes, in row and column order.
    pub classes: [Polarity; 3],
    /// `counts[gold][predicted]`.
    pub counts: [[u64; 3]; 3],
}

/// Correlation between the predicted score and the gold valence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    /// Rows with a valence (and a finite predicted score).
    pub n: u64,
    /// Pearson's r; `None` below two rows or when a series is constant.
    pub pearson_r: Option<f64>,
}

/// Scores of a binary decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BinaryScores {
    /// Rows measured.
    pub n: u64,
    /// True positives.
    pub tp: u64,
    /// False positives.
    pub fp: u64,
    /// False negatives.
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// True negatives.
    pub tn: u64,
    /// `tp / (tp + fp)`, 0 when nothing was predicted.
    pub precision: f64,
    /// `tp / (tp + fn)`, 0 when nothing is gold.
    pub recall: f64,
    /// Harmonic mean of precision and recall, 0 when both are 0.
    pub f1: f64,
}

/// Label assignment scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelScores {
    /// Rows with gold `labels`.
    pub n: u64,
    /// Counts summed over all labels; `n` and `tn` count (row, label) pairs.
    pub micro: BinaryScores,
    /// Each label found in the gold or the predictions.
    pub per_label: BTreeMap<String, BinaryScores>,
}

/// The worst errors of each kind, worst first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WorstExamples {
    /// Wrong sentiment class, ranked by |gold valence − predicted score| (valence brought into
    /// [-1, 1]) when the valence is known, else by the distance of the predicted score from the gold
    /// class's +1 / 0 / −1.
    pub sentiment: Vec<WorstExample>,
    /// Complaint predicted, gold says no (first ones in input order).
    pub complaint_false_positives: Vec<WorstExample>,
    /// Complaint missed (first ones in input order).
    pub complaint_false_negatives: Vec<WorstExample>,
    /// Churn predicted, gold says no (first ones in input order).
    pub churn_false_positives: Vec<WorstExample>,
    /// Churn missed (first ones in input order).
    pub churn_false_negatives: Vec<WorstExample>,
}

/// One misclassified record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorstExample {
    /// The record's id.
    pub id: String,
    /// The full text.
    pub text: String,
    /// The gold labels.
    pub gold: Gold,
    /// The prediction, with its evidence.
    pub predicted: Prediction,
    /// The ranking key (0 for complaint and churn errors).
    pub distance: f64,
}

/// Minimum figures one gold file must reach; an absent floor is not checked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Floors {
    /// Minimum sentiment accuracy.
    #[serde(default)]
    pub sentiment_accuracy: Option<f64>,
    /// Minimum 3-class sentiment macro-F1.
    #[serde(default)]
    pub sentiment_macro_f1: Option<f64>,
    /// Minimum polar macro-F1.
    #[serde(default)]
    pub polar_macro_f1: Option<f64>,
    /// Minimum Pearson r against the gold valence.
    #[serde(default)]
    pub pearson_r: Option<f64>,
    /// Minimum complaint F1.
    #[serde(default)]
    pub complaint_f1: Option<f64>,
    /// Minimum churn F1.
    #[serde(default)]
    pub churn_f1: Option<f64>,
    /// Minimum micro-F1 over labels.
    #[serde(default)]
    pub labels_micro_f1: Option<f64>,
}

/// The floor keys of the floors file, in report order.
const FLOOR_KEYS: [&str; 7] = [
    "sentiment_accuracy",
    "sentiment_macro_f1",
    "polar_macro_f1",
    "pearson_r",
    "complaint_f1",
    "churn_f1",
    "labels_micro_f1",
];

impl Floors {
    fn slot(&mut self, key: &str) -> Option<&mut Option<f64>> {
        Some(match key {
            "sentiment_accuracy" => &mut self.sentiment_accuracy,
            "sentiment_macro_f1" => &mut self.sentiment_macro_f1,
            "polar_macro_f1" => &mut self.polar_macro_f1,
            "pearson_r" => &mut self.pearson_r,
            "complaint_f1" => &mut self.complaint_f1,
            "churn_f1" => &mut self.churn_f1,
            "labels_micro_f1" => &mut self.labels_micro_f1,
            _ => return None,
        })
    }
}

impl EvalReport {
    /// Every floor this report misses, one line each (`name: metric 0.712 < floor 0.750`). A floor
    /// on a metric the file cannot measure (no rows with the gold key) is missed too.
    pub fn check(&self, floors: &Floors) -> Vec<String> {
        let sentiment = self.sentiment.as_ref();
        let measured: [(&str, Option<f64>, Option<f64>, &str); 7] = [
            (
                "sentiment accuracy",
                floors.sentiment_accuracy,
                sentiment.map(|s| s.accuracy),
                "no rows with gold.sentiment",
            ),
            (
                "sentiment macro-F1",
                floors.sentiment_macro_f1,
                sentiment.map(|s| s.macro_f1),
                "no rows with gold.sentiment",
            ),
            (
                "polar macro-F1",
                floors.polar_macro_f1,
                sentiment.and_then(|s| s.polar_macro_f1),
                "no rows with a positive or negative gold.sentiment",
            ),
            (
                "Pearson r",
                floors.pearson_r,
                self.valence.as_ref().and_then(|v| v.pearson_r),
                "fewer than two rows with gold.valence, or a constant series",
            ),
            (
                "complaint F1",
                floors.complaint_f1,
                self.complaint.as_ref().map(|s| s.f1),
                "no rows with gold.complaint",
            ),
            (
                "churn F1",
                floors.churn_f1,
                self.churn.as_ref().map(|s| s.f1),
                "no rows with gold.churn",
            ),
            (
                "labels micro-F1",
                floors.labels_micro_f1,
                self.labels.as_ref().map(|s| s.micro.f1),
                "no rows with gold.labels",
            ),
        ];
        measured
            .into_iter()
            .filter_map(|(metric, floor, value, why_absent)| {
                let floor = floor?;
                match value {
                    Some(value) if value >= floor => None,
                    Some(value) => Some(format!(
                        "{}: {metric} {value:.3} < floor {floor:.3}",
                        self.name
                    )),
                    None => Some(format!(
                        "{}: {metric} not measured ({why_absent}); floor {floor:.3}",
                        self.name
                    )),
                }
            })
            .collect()
    }
}

/// Floors for several gold files, read from a small text file:
///
/// ```text
/// # kashev eval floors: one section per gold file, matched by path suffix
/// [fixtures/gold/en.jsonl]
/// sentiment_macro_f1 = 0.70
/// polar_macro_f1 = 0.80
/// complaint_f1 = 0.75
/// churn_f1 = 0.80
/// ```
///
/// A section applies to a report whose name is the section's name or ends with `/` and it
/// (`[en.jsonl]` matches `fixtures/gold/en.jsonl`); when several match, the longest wins. Keys:
/// `sentiment_accuracy`, `sentiment_macro_f1`, `polar_macro_f1`, `pearson_r`, `complaint_f1`,
/// `churn_f1`, `labels_micro_f1`; values in [0, 1] ([-1, 1] for `pearson_r`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FloorTable {
    sections: Vec<(String, Floors)>,
}

impl FloorTable {
    /// Reads a floors file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read, [`Error::Config`] with every problem found.
    pub fn load(path: impl AsRef<Path>) -> Result<FloorTable> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        FloorTable::parse(&text, &path.display().to_string())
    }

    /// Parses the text of a floors file; `source` starts every problem (`source:line: problem`).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] listing every problem: a line that is neither a section, a `key = value`
    /// nor a comment, a key outside a section, an unknown or repeated key, a repeated section, a
    /// value that is not a number in range.
    pub fn parse(text: &str, source: &str) -> Result<FloorTable> {
        let mut sections: Vec<(String, Floors)> = Vec::new();
        let mut problems = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            let at = format!("{source}:{}", index + 1);
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                let name = name.trim().trim_matches('"').trim();
                if name.is_empty() {
                    problems.push(format!("{at}: empty section name"));
                } else if sections.iter().any(|(n, _)| n == name) {
                    problems.push(format!("{at}: section [{name}] appears twice"));
                } else {
                    sections.push((name.to_string(), Floors::default()));
                }
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                problems.push(format!(
                    "{at}: expected `[gold file]` or `key = value`, found {line:?}"
                ));
                continue;
            };
            let (key, value) = (key.trim(), value.trim());
            let Some((_, floors)) = sections.last_mut() else {
                problems.push(format!("{at}: {key} outside a [gold file] section"));
                continue;
            };
            let Some(slot) = floors.slot(key) else {
                problems.push(format!(
                    "{at}: unknown floor {key:?} (expected one of {})",
                    FLOOR_KEYS.join(", ")
                ));
                continue;
            };
            let low = if key == "pearson_r" { -1.0 } else { 0.0 };
            match value.parse::<f64>() {
                Ok(v) if (low..=1.0).contains(&v) => {
                    if slot.replace(v).is_some() {
                        problems.push(format!("{at}: {key} set twice in the section"));
                    }
                }
                _ => problems.push(format!(
                    "{at}: {key} must be a number in [{low}, 1], found {value:?}"
                )),
            }
        }
        if problems.is_empty() {
            Ok(FloorTable { sections })
        } else {
            Err(Error::Config { problems })
        }
    }

    /// The floors that apply to the report named `name`, if any section matches.
    pub fn for_report(&self, name: &str) -> Option<&Floors> {
        self.sections
            .iter()
            .filter(|(section, _)| {
                name == section
                    || name
                        .strip_suffix(section.as_str())
                        .is_some_and(|head| head.ends_with('/'))
            })
            .max_by_key(|(section, _)| section.len())
            .map(|(_, floors)| floors)
    }

    /// Every floor `report` misses ([`EvalReport::check`]); none when no section applies.
    pub fn check(&self, report: &EvalReport) -> Vec<String> {
        self.for_report(&report.name)
            .map_or_else(Vec::new, |floors| report.check(floors))
    }
}

/// Longest text shown per example in the text report, in characters.
const SHOWN_CHARS: usize = 160;

/// Prepares a text for one line of a terminal: bidi controls dropped (so that the text cannot break
/// out of its isolate), line breaks and tabs as spaces, cut to `max` characters with `…`, then wrapped
/// in a first-strong isolate (U+2068 … U+2069) so that Hebrew does not reorder the columns around it.
fn isolate(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 4) + 8);
    out.push('\u{2068}');
    let mut shown = 0;
    for c in text.chars() {
        if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            continue;
        }
        if shown == max {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
        shown += 1;
    }
    out.push('\u{2069}');
    out
}

fn format_option(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

/// Width of the name column of the text report.
const NAME_WIDTH: usize = 22;

/// One line of binary scores; `n` is shown as given (rows, where the scores count row-label pairs).
fn write_binary(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    width: usize,
    n: u64,
    scores: &BinaryScores,
) -> fmt::Result {
    writeln!(
        f,
        "  {name:<width$} n={n:<6} P {:.3}  R {:.3}  F1 {:.3}   tp {} fp {} fn {} tn {}",
        scores.precision, scores.recall, scores.f1, scores.tp, scores.fp, scores.fn_, scores.tn
    )
}

fn write_examples(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    examples: &[WorstExample],
    headline: impl Fn(&WorstExample) -> String,
) -> fmt::Result {
    if examples.is_empty() {
        return Ok(());
    }
    writeln!(f, "  {title}:")?;
    for example in examples {
        writeln!(
            f,
            "    {}  {}  {}",
            isolate(&example.id, 40),
            headline(example),
            isolate(&example.text, SHOWN_CHARS)
        )?;
        let evidence = if example.predicted.evidence.is_empty() {
            "(no evidence)".to_string()
        } else {
            isolate(&example.predicted.evidence, SHOWN_CHARS)
        };
        writeln!(f, "        evidence: {evidence}")?;
    }
    Ok(())
}

fn sentiment_headline(example: &WorstExample) -> String {
    let gold = example.gold.sentiment.map_or("-", Polarity::as_str);
    let mut line = format!(
        "{gold} → {}  score {:+.2}",
        example.predicted.sentiment, example.predicted.score
    );
    if let Some(valence) = example.gold.valence {
        line.push_str(&format!("  valence {valence:+.2}"));
    }
    line
}

/// The headline of a complaint or churn error: `complaint yes → no` and the labels on both sides.
fn decision_headline(
    name: &'static str,
    gold: fn(&Gold) -> Option<bool>,
    predicted: fn(&Prediction) -> bool,
) -> impl Fn(&WorstExample) -> String {
    move |example| {
        let predicted = predicted(&example.predicted);
        let gold = gold(&example.gold).unwrap_or(false);
        let mut line = format!("{name} {} → {}", yes_no(gold), yes_no(predicted));
        if let Some(labels) = &example.gold.labels {
            line.push_str(&format!("  gold labels [{}]", labels.join(" ")));
        }
        line.push_str(&format!(
            "  predicted labels [{}]",
            example.predicted.labels.join(" ")
        ));
        line
    }
}

impl fmt::Display for EvalReport {
    /// The human-readable report: the metrics, the confusion matrix, then the worst examples.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "== {}: {} rows", self.name, self.rows)?;
        if self.rejected > 0 {
            write!(f, ", {} rejected", self.rejected)?;
        }
        writeln!(f)?;

        match &self.sentiment {
            None => writeln!(f, "  sentiment              (no rows with gold.sentiment)")?,
            Some(s) => {
                writeln!(
                    f,
                    "  sentiment              n={:<6} accuracy {:.3}  macro-F1 {:.3}  polar macro-F1 {} (n={})",
                    s.n,
                    s.accuracy,
                    s.macro_f1,
                    format_option(s.polar_macro_f1),
                    s.polar_n
                )?;
                writeln!(
                    f,
                    "    {:<10} {:>9} {:>7} {:>7} {:>7} {:>9}",
                    "class", "precision", "recall", "F1", "gold", "predicted"
                )?;
                for c in &s.per_class {
                    writeln!(
                        f,
                        "    {:<10} {:>9.3} {:>7.3} {:>7.3} {:>7} {:>9}",
                        c.class, c.precision, c.recall, c.f1, c.support, c.predicted
                    )?;
                }
            }
        }
        if let Some(v) = &self.valence {
            writeln!(
                f,
                "  valence                n={:<6} Pearson r {}",
                v.n,
                format_option(v.pearson_r)
            )?;
        }
        if let Some(scores) = &self.complaint {
            write_binary(f, "complaint", NAME_WIDTH, scores.n, scores)?;
        }
        if let Some(scores) = &self.churn {
            write_binary(f, "churn", NAME_WIDTH, scores.n, scores)?;
        }
        if let Some(labels) = &self.labels {
            let longest = labels.per_label.keys().map(|l| l.chars().count() + 2);
            let width = longest.max().unwrap_or(0).max(NAME_WIDTH);
            write_binary(f, "labels (micro)", width, labels.n, &labels.micro)?;
            for (label, scores) in &labels.per_label {
                write_binary(f, &format!("  {label}"), width, scores.n, scores)?;
            }
        }

        if let Some(s) = &self.sentiment {
            writeln!(f, "  confusion (rows gold, columns predicted):")?;
            write!(f, "    {:<10}", "")?;
            for class in s.confusion.classes {
                write!(f, " {:>9}", class)?;
            }
            writeln!(f)?;
            for (class, row) in s.confusion.classes.iter().zip(&s.confusion.counts) {
                write!(f, "    {:<10}", class)?;
                for count in row {
                    write!(f, " {count:>9}")?;
                }
                writeln!(f)?;
            }
        }

        let worst = &self.worst;
        write_examples(
            f,
            "worst sentiment errors",
            &worst.sentiment,
            sentiment_headline,
        )?;
        write_examples(
            f,
            "complaint false negatives",
            &worst.complaint_false_negatives,
            decision_headline("complaint", |g| g.complaint, |p| p.complaint),
        )?;
        write_examples(
            f,
            "complaint false positives",
            &worst.complaint_false_positives,
            decision_headline("complaint", |g| g.complaint, |p| p.complaint),
        )?;
        write_examples(
            f,
            "churn false negatives",
            &worst.churn_false_negatives,
            decision_headline("churn", |g| g.churn, |p| p.churn),
        )?;
        write_examples(
            f,
            "churn false positives",
            &worst.churn_false_positives,
            decision_headline("churn", |g| g.churn, |p| p.churn),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-9;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < EPS
    }

    fn gold_record(id: &str, gold: Gold) -> GoldRecord {
        GoldRecord {
            id: id.to_string(),
            text: format!("text of {id}"),
            lang: Some("en".into()),
            channel: None,
            gold,
        }
    }

    fn sentiment_gold(sentiment: Polarity) -> Gold {
        Gold {
            sentiment: Some(sentiment),
            ..Gold::default()
        }
    }

    fn predict(sentiment: Polarity, score: f64) -> Prediction {
        Prediction {
            sentiment,
            score,
            complaint: false,
            churn: false,
            labels: Vec::new(),
            evidence: String::new(),
        }
    }

    /// Adds `count` rows of gold `g` predicted as `p`.
    fn fill(evaluation: &mut Evaluation, cells: &[(Polarity, Polarity, usize)]) {
        for &(g, p, count) in cells {
            for i in 0..count {
                let record = gold_record(&format!("{g}-{p}-{i}"), sentiment_gold(g));
                evaluation.add(&record, &predict(p, p.target()));
            }
        }
    }

    #[test]
    fn empty_evaluation_reports_nothing_measured() {
        let report = Evaluation::new(EvalOptions::default()).report("empty");
        assert_eq!(report.rows, 0);
        assert!(report.sentiment.is_none());
        assert!(report.valence.is_none());
        assert!(report.complaint.is_none());
        assert!(report.churn.is_none());
        assert!(report.labels.is_none());
        assert_eq!(report.worst, WorstExamples::default());
        let text = report.to_string();
        assert!(text.contains("no rows with gold.sentiment"), "{text}");
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["sentiment"], serde_json::Value::Null);
    }

    #[test]
    fn three_class_confusion_by_hand() {
        use Polarity::{Negative as N, Neutral as U, Positive as P};
        // Rows gold, columns predicted (positive, negative, neutral):
        //   positive  5 1 2   support 8
        //   negative  1 3 1   support 5
        //   neutral   2 0 2   support 4
        // predicted:  8 4 5   n = 17, correct = 10
        let mut evaluation = Evaluation::new(EvalOptions::default());
        fill(
            &mut evaluation,
            &[
                (P, P, 5),
                (P, N, 1),
                (P, U, 2),
                (N, P, 1),
                (N, N, 3),
                (N, U, 1),
                (U, P, 2),
                (U, U, 2),
            ],
        );
        let s = evaluation.report("hand").sentiment.unwrap();
        assert_eq!(s.n, 17);
        assert_eq!(s.confusion.counts, [[5, 1, 2], [1, 3, 1], [2, 0, 2]]);
        assert!(close(s.accuracy, 10.0 / 17.0));
        // positive: P 5/8, R 5/8, F1 5/8. negative: P 3/4, R 3/5, F1 2/3. neutral: P 2/5, R 2/4, F1 4/9.
        let f1: Vec<f64> = s.per_class.iter().map(|c| c.f1).collect();
        assert!(close(f1[0], 5.0 / 8.0) && close(f1[1], 2.0 / 3.0) && close(f1[2], 4.0 / 9.0));
        assert!(close(s.per_class[1].precision, 0.75) && close(s.per_class[1].recall, 0.6));
        assert_eq!((s.per_class[2].support, s.per_class[2].predicted), (4, 5));
        assert!(close(s.macro_f1, (5.0 / 8.0 + 2.0 / 3.0 + 4.0 / 9.0) / 3.0));
        // Polar rows: the first two rows of the matrix, n = 13.
        // positive: tp 5, fp 1 (negative gold → positive), fn 3 → F1 10/14 = 5/7.
        // negative: tp 3, fp 1 (positive gold → negative), fn 2 → F1 6/9 = 2/3.
        assert_eq!(s.polar_n, 13);
        assert!(close(
            s.polar_macro_f1.unwrap(),
            (5.0 / 7.0 + 2.0 / 3.0) / 2.0
        ));
    }

    #[test]
    fn macro_f1_averages_only_classes_that_occur() {
        use Polarity::{Negative as N, Positive as P};
        let mut evaluation = Evaluation::new(EvalOptions::default());
        fill(&mut evaluation, &[(P, P, 3), (P, N, 1)]);
        let s = evaluation.report("two").sentiment.unwrap();
        // positive F1 = 6/7, negative F1 = 0 (predicted once, never gold); neutral absent.
        assert!(close(s.macro_f1, (6.0 / 7.0) / 2.0));
        assert!(close(s.polar_macro_f1.unwrap(), (6.0 / 7.0) / 2.0));
    }

    #[test]
    fn polar_macro_f1_absent_without_polar_rows() {
        let mut evaluation = Evaluation::new(EvalOptions::default());
        fill(
            &mut evaluation,
            &[(Polarity::Neutral, Polarity::Positive, 2)],
        );
        let s = evaluation.report("neutral").sentiment.unwrap();
        assert_eq!(s.polar_n, 0);
        assert_eq!(s.polar_macro_f1, None);
        assert!(close(s.accuracy, 0.0));
        assert!(close(s.macro_f1, 0.0));
    }

    #[test]
    fn precision_recall_f1_with_zero_denominators() {
        let cases = [
            ("nothing at all", (0, 0, 0), (0.0, 0.0, 0.0)),
            ("nothing predicted", (0, 0, 4), (0.0, 0.0, 0.0)),
            ("nothing gold", (0, 3, 0), (0.0, 0.0, 0.0)),
            ("perfect", (2, 0, 0), (1.0, 1.0, 1.0)),
            ("mixed", (2, 1, 3), (2.0 / 3.0, 0.4, 0.5)),
        ];
        for (name, (tp, fp, fn_), (p, r, f)) in cases {
            let (gp, gr, gf) = precision_recall_f1(tp, fp, fn_);
            assert!(
                close(gp, p) && close(gr, r) && close(gf, f),
                "{name}: {gp} {gr} {gf}"
            );
        }
    }

    #[test]
    fn pearson_cases() {
        /// A name, a series of (predicted score, gold valence), the expected r.
        type Case = (&'static str, &'static [(f64, f64)], Option<f64>);
        let cases: [Case; 7] = [
            ("empty", &[], None),
            ("one row", &[(0.5, 1.0)], None),
            ("perfect", &[(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)], Some(1.0)),
            ("inverse", &[(1.0, 3.0), (2.0, 2.0), (3.0, 1.0)], Some(-1.0)),
            // Means 2 and 2: co-deviation sum 1, squared-deviation sums 2 and 2: r = 1 / 2.
            ("half", &[(1.0, 1.0), (2.0, 3.0), (3.0, 2.0)], Some(0.5)),
            (
                "constant prediction",
                &[(0.3, 1.0), (0.3, -2.0), (0.3, 4.0)],
                None,
            ),
            (
                "constant valence",
                &[(0.1, 2.0), (0.5, 2.0), (-0.4, 2.0)],
                None,
            ),
        ];
        for (name, series, expected) in cases {
            let mut c = Correlator::default();
            for &(x, y) in series {
                c.add(x, y);
            }
            match (c.pearson(), expected) {
                (None, None) => {}
                (Some(r), Some(e)) => assert!(close(r, e), "{name}: {r} != {e}"),
                (got, _) => panic!("{name}: got {got:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn valence_correlation_in_report_skips_rows_without_valence_and_nan_scores() {
        let mut evaluation = Evaluation::new(EvalOptions::default());
        let rows = [
            (Some(1.0), 0.1),
            (Some(3.0), 0.2),
            (Some(2.0), 0.3),
            (None, 0.9),
        ];
        for (i, (valence, score)) in rows.into_iter().enumerate() {
            let gold = Gold {
                valence,
                ..Gold::default()
            };
            evaluation.add(
                &gold_record(&i.to_string(), gold),
                &predict(Polarity::Neutral, score),
            );
        }
        let gold = Gold {
            valence: Some(1.0),
            ..Gold::default()
        };
        evaluation.add(
            &gold_record("nan", gold),
            &predict(Polarity::Neutral, f64::NAN),
        );
        let v = evaluation.report("valence").valence.unwrap();
        assert!(close(v.pearson_r.unwrap(), 0.5));
        assert!(close(v.pearson_r.unwrap(), 0.5));
    }

    #[test]
    fn binary_scores_use_rows_with_the_key_only() {
        let mut evaluation = Evaluation::new(EvalOptions::default());
        // (gold complaint, predicted complaint): tp 2, fp 1, fn 1, tn 1, plus one row without the key.
        let rows = [
            (Some(true), true),
            (Some(true), true),
            (Some(false), true),
            (Some(true), false),
            (Some(false), false),
            (None, true),
        ];
        for (i, (complaint, predicted)) in rows.into_iter().enumerate() {
            let gold = Gold {
                complaint,
                ..Gold::default()
            };
            let mut prediction = predict(Polarity::Neutral, 0.0);
            prediction.complaint = predicted;
            evaluation.add(&gold_record(&i.to_string(), gold), &prediction);
        }
        let report = evaluation.report("complaints");
        let c = report.complaint.unwrap();
        assert_eq!((c.n, c.tp, c.fp, c.fn_, c.tn), (5, 2, 1, 1, 1));
        assert!(close(c.precision, 2.0 / 3.0) && close(c.recall, 2.0 / 3.0));
        assert!(close(c.f1, 2.0 / 3.0));
        assert!(report.churn.is_none());
        let ids = |list: &[WorstExample]| list.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&report.worst.complaint_false_positives), ["2"]);
        assert_eq!(ids(&report.worst.complaint_false_negatives), ["3"]);
    }

    #[test]
    fn labels_micro_and_per_label() {
        let mut evaluation = Evaluation::new(EvalOptions::default());
        let rows: [(&[&str], &[&str]); 3] = [
            (
                &["complaint.billing", "churn.cancel_intent"],
                &["complaint.billing"],
            ),
            (&[], &["complaint.billing", "complaint.billing"]),
            (
                &["complaint.wait_time"],
                &["complaint.wait_time", "churn.escalation"],
            ),
        ];
        for (i, (gold, predicted)) in rows.into_iter().enumerate() {
            let gold = Gold {
                labels: Some(gold.iter().map(|s| s.to_string()).collect()),
                ..Gold::default()
            };
            let mut prediction = predict(Polarity::Neutral, 0.0);
            prediction.labels = predicted.iter().map(|s| s.to_string()).collect();
            evaluation.add(&gold_record(&i.to_string(), gold), &prediction);
        }
        // Row without gold labels: not counted.
        let mut prediction = predict(Polarity::Neutral, 0.0);
        prediction.labels = vec!["complaint.billing".into()];
        evaluation.add(&gold_record("x", Gold::default()), &prediction);

        let labels = evaluation.report("labels").labels.unwrap();
        assert_eq!(labels.n, 3);
        let billing = &labels.per_label["complaint.billing"];
        assert_eq!(
            (billing.tp, billing.fp, billing.fn_, billing.tn),
            (1, 1, 0, 1)
        );
        let cancel = &labels.per_label["churn.cancel_intent"];
        assert_eq!((cancel.tp, cancel.fp, cancel.fn_, cancel.tn), (0, 0, 1, 2));
        assert!(close(cancel.f1, 0.0));
        // Micro: tp 2 (billing, wait_time), fp 2 (billing, escalation), fn 1 (cancel_intent).
        let m = &labels.micro;
        assert_eq!((m.tp, m.fp, m.fn_, m.tn), (2, 2, 1, 7));
        assert!(close(m.precision, 0.5) && close(m.recall, 2.0 / 3.0));
        assert!(close(m.f1, 4.0 / 7.0));
    }

    #[test]
    fn worst_list_keeps_the_n_largest_and_first_on_ties() {
        let mut list = WorstList::new(3);
        let keys = [0.5, 1.5, 0.1, 1.5, 2.0, 0.7, 1.5, 0.0];
        for (seq, key) in keys.into_iter().enumerate() {
            let record = gold_record(&seq.to_string(), Gold::default());
            list.offer(key, seq as u64, &record, &predict(Polarity::Neutral, 0.0));
            assert!(list.heap.len() <= 3);
        }
        let kept: Vec<(String, f64)> = list
            .sorted()
            .into_iter()
            .map(|e| (e.id, e.distance))
            .collect();
        assert_eq!(
            kept,
            [("4".into(), 2.0), ("1".into(), 1.5), ("3".into(), 1.5)]
        );

        let mut none = WorstList::new(0);
        none.offer(
            9.0,
            0,
            &gold_record("a", Gold::default()),
            &predict(Polarity::Neutral, 0.0),
        );
        assert!(none.sorted().is_empty());
    }

    #[test]
    fn sentiment_errors_ranked_by_distance() {
        let mut evaluation = Evaluation::new(EvalOptions {
            show: 2,
            valence_scale: None,
        });
        let rows = [
            // (gold, valence, predicted, score) → key
            (Polarity::Positive, None, Polarity::Negative, -0.5), // |1 - (-0.5)| = 1.5
            (Polarity::Positive, None, Polarity::Neutral, 0.0),   // 1.0
            (Polarity::Negative, Some(-4.0), Polarity::Positive, 0.9), // scale 4: |-1 - 0.9| = 1.9
            (Polarity::Neutral, None, Polarity::Neutral, 0.0),    // correct: not listed
            (Polarity::Neutral, None, Polarity::Positive, 0.2),   // 0.2
        ];
        for (i, (gold, valence, predicted, score)) in rows.into_iter().enumerate() {
            let gold = Gold {
                sentiment: Some(gold),
                valence,
                ..Gold::default()
            };
            evaluation.add(
                &gold_record(&i.to_string(), gold),
                &predict(predicted, score),
            );
        }
        let worst = evaluation.report("rank").worst.sentiment;
        let kept: Vec<(&str, f64)> = worst.iter().map(|e| (e.id.as_str(), e.distance)).collect();
        assert_eq!(kept.len(), 2);
        assert_eq!((kept[0].0, kept[1].0), ("2", "0"));
        assert!(close(kept[0].1, 1.9) && close(kept[1].1, 1.5));
    }

    #[test]
    fn explicit_valence_scale_is_used() {
        let mut evaluation = Evaluation::new(EvalOptions {
            show: 1,
            valence_scale: Some(10.0),
        });
        let gold = Gold {
            sentiment: Some(Polarity::Positive),
            valence: Some(5.0),
            ..Gold::default()
        };
        evaluation.add(&gold_record("a", gold), &predict(Polarity::Negative, -0.5));
        let worst = evaluation.report("scale").worst.sentiment;
        assert!(close(worst[0].distance, 1.0));
    }

    #[test]
    fn reader_reports_bad_lines_and_goes_on() {
        let input = concat!(
            "\u{feff}{\"id\":\"a\",\"text\":\"fine\",\"lang\":\"en\",\"gold\":{\"sentiment\":\"positive\",\"valence\":1.5}}\n",
            "\n",
            "not json\n",
            "{\"id\":\"b\",\"text\":\"x\",\"gold\":{\"sentiment\":\"mixed\"}}\n",
            "{\"id\":\"c\",\"lang\":\"he\",\"gold\":{}}\n",
            "{\"id\":\"d\",\"text\":\"שלום\",\"lang\":\"he\",\"channel\":\"chat\",\"gold\":{\"labels\":[]},\"extra\":1}\r\n",
        );
        let mut input = input.as_bytes().to_vec();
        input.extend_from_slice(b"{\"id\":\"e\",\"text\":\"\xff\",\"gold\":{}}\n");
        let mut reader = GoldReader::new(input.as_slice(), "gold.jsonl");
        let items: Vec<_> = (&mut reader).collect();
        assert_eq!(items.len(), 6);
        let a = items[0].as_ref().unwrap();
        assert_eq!(a.gold.sentiment, Some(Polarity::Positive));
        assert_eq!(a.gold.valence, Some(1.5));
        let errors: Vec<&String> = items.iter().filter_map(|i| i.as_ref().err()).collect();
        assert_eq!(errors.len(), 4);
        assert!(errors[0].starts_with("gold.jsonl:3:"), "{}", errors[0]);
        assert!(
            errors[1].starts_with("gold.jsonl:4:") && errors[1].contains("mixed"),
            "{}",
            errors[1]
        );
        assert!(
            errors[2].contains("missing field `text`") && !errors[2].contains("at line"),
            "{}",
            errors[2]
        );
        assert!(
            errors[3].starts_with("gold.jsonl:7: line is not valid UTF-8"),
            "{}",
            errors[3]
        );
        let d = items[4].as_ref().unwrap();
        assert_eq!(d.channel.as_deref(), Some("chat"));
        assert_eq!(d.gold.labels, Some(vec![]));
        assert_eq!(d.to_record().lang.as_deref(), Some("he"));
        assert_eq!(reader.rejected(), 4);
        assert_eq!(reader.finish().unwrap(), 4);
    }

    #[test]
    fn reader_stops_at_a_read_failure() {
        struct Failing;
        impl std::io::Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk on fire"))
            }
        }
        let mut reader = GoldReader::new(BufReader::new(Failing), "broken.jsonl");
        let first = reader.next().unwrap().unwrap_err();
        assert!(first.starts_with("broken.jsonl:1: read failed"), "{first}");
        assert!(reader.next().is_none());
        assert!(matches!(reader.finish(), Err(Error::Io { .. })));
    }

    #[test]
    fn evaluate_file_reads_predicts_and_counts_rejects() {
        let dir = std::env::temp_dir().join(format!("kashev-eval-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("gold.jsonl");
        std::fs::write(
            &path,
            "{\"id\":\"1\",\"text\":\"good\",\"gold\":{\"sentiment\":\"positive\",\"churn\":false}}\n{oops\n",
        )
        .unwrap();
        let mut rejects = Vec::new();
        let report = evaluate_file(
            &path,
            EvalOptions::default(),
            |_| predict(Polarity::Positive, 0.7),
            |message| rejects.push(message.to_string()),
        )
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((report.rows, report.rejected, rejects.len()), (1, 1, 1));
        assert!(rejects[0].contains("gold.jsonl:2:"), "{}", rejects[0]);
        assert_eq!(report.sentiment.unwrap().accuracy, 1.0);
        assert_eq!(report.churn.unwrap().n, 1);

        let missing = evaluate_file(
            dir.join("missing.jsonl"),
            EvalOptions::default(),
            |_| predict(Polarity::Positive, 0.7),
            |_| {},
        );
        assert!(matches!(missing, Err(ref e) if e.is_usage()));
    }

    #[test]
    fn floors_check_lists_every_miss() {
        use Polarity::{Negative as N, Positive as P};
        let mut evaluation = Evaluation::new(EvalOptions::default());
        fill(&mut evaluation, &[(P, P, 3), (N, P, 1)]);
        let report = evaluation.report("fixtures/gold/en.jsonl");
        // accuracy 0.75; positive F1 6/7, negative F1 0 → macro 3/7 ≈ 0.4286.
        let floors = Floors {
            sentiment_accuracy: Some(0.75),
            sentiment_macro_f1: Some(0.5),
            complaint_f1: Some(0.1),
            ..Floors::default()
        };
        let misses = report.check(&floors);
        assert_eq!(
            misses,
            [
                "fixtures/gold/en.jsonl: sentiment macro-F1 0.429 < floor 0.500",
                "fixtures/gold/en.jsonl: complaint F1 not measured (no rows with gold.complaint); floor 0.100",
            ]
        );
        assert!(report.check(&Floors::default()).is_empty());
    }

    #[test]
    fn floor_table_parses_and_matches_by_path_suffix() {
        let text = "\
# floors
[en.jsonl]
sentiment_macro_f1 = 0.70
churn_f1 = 0.8

[fixtures/gold/en.jsonl]
complaint_f1 = 0.75
[\"he.jsonl\"]
pearson_r = -0.5
";
        let table = FloorTable::parse(text, "floors.toml").unwrap();
        let en = table.for_report("./fixtures/gold/en.jsonl").unwrap();
        assert_eq!(en.complaint_f1, Some(0.75));
        assert_eq!(en.sentiment_macro_f1, None);
        assert_eq!(
            table.for_report("other/en.jsonl").unwrap().churn_f1,
            Some(0.8)
        );
        assert_eq!(table.for_report("he.jsonl").unwrap().pearson_r, Some(-0.5));
        assert!(table.for_report("xen.jsonl").is_none());
        assert!(table.for_report("en.jsonl.gz").is_none());
    }

    #[test]
    fn floor_table_reports_every_problem_with_its_line() {
        let text = "\
churn_f1 = 0.5
[a.jsonl]
churn_f1 = 1.5
churn_f1 = x
churn_f1 = 0.5
churn_f1 = 0.6
recall = 0.5
just words
[a.jsonl]
[]
";
        let Err(Error::Config { problems }) = FloorTable::parse(text, "f") else {
            panic!("expected problems");
        };
        let starts: Vec<&str> = problems
            .iter()
            .map(|p| p.split(' ').next().unwrap())
            .collect();
        assert_eq!(
            starts,
            [
                "f:1:", "f:3:", "f:4:", "f:6:", "f:7:", "f:8:", "f:9:", "f:10:"
            ]
        );
        assert!(problems[3].contains("set twice"), "{}", problems[3]);
    }

    #[test]
    fn text_report_isolates_and_truncates_texts() {
        let mut evaluation = Evaluation::new(EvalOptions::default());
        let long = "שירות גרוע ".repeat(40);
        let record = GoldRecord {
            id: "he-1".into(),
            text: format!("{long}\u{2069}\nend"),
            lang: Some("he".into()),
            channel: None,
            gold: Gold {
                sentiment: Some(Polarity::Negative),
                complaint: Some(true),
                ..Gold::default()
            },
        };
        let mut prediction = predict(Polarity::Positive, 0.4);
        prediction.evidence = "גרוע (negated)".into();
        evaluation.add(&record, &prediction);
        let text = evaluation.report("he.jsonl").to_string();
        assert!(text.contains("negative → positive  score +0.40"), "{text}");
        assert!(text.contains("complaint yes → no"), "{text}");
        assert!(
            text.contains("evidence: \u{2068}גרוע (negated)\u{2069}"),
            "{text}"
        );
        for line in text.lines() {
            let opens = line.matches('\u{2068}').count();
            assert_eq!(opens, line.matches('\u{2069}').count(), "{line}");
            assert!(line.chars().count() < 400, "{line}");
        }
        assert!(text.contains("…\u{2069}"));
    }

    #[test]
    fn isolate_cases() {
        let cases = [
            ("plain", "abc", 10, "\u{2068}abc\u{2069}"),
            ("cut", "abcdef", 3, "\u{2068}abc…\u{2069}"),
            ("exact length is not cut", "abc", 3, "\u{2068}abc\u{2069}"),
            ("controls", "a\tb\nc", 10, "\u{2068}a b c\u{2069}"),
            (
                "bidi controls dropped",
                "a\u{202E}b\u{2069}",
                10,
                "\u{2068}ab\u{2069}",
            ),
        ];
        for (name, input, max, expected) in cases {
            assert_eq!(isolate(input, max), expected, "{name}");
        }
    }

    #[test]
    fn polarity_names_round_trip() {
        for polarity in Polarity::ALL {
            assert_eq!(polarity.as_str().parse::<Polarity>().unwrap(), polarity);
            let json = serde_json::to_string(&polarity).unwrap();
            assert_eq!(json, format!("\"{}\"", polarity.as_str()));
        }
        assert!("Positive".parse::<Polarity>().is_err());
    }
}
