//! `kashev classify`: the main job. Records in, one tagged JSON object per record out, in input
//! order, classified in parallel on every core with bounded memory.
//!
//! The reader fills a batch while the previous batch is classified (`rayon::join`), so reading and
//! JSON parsing overlap with classification; each batch is written in order.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context as _;
use kashev::classify::{Classification, Classifier, Scratch};
use kashev::record::{Record, format_timestamp};
use kashev::source::{Entry, Sources};
use rayon::prelude::*;

use super::Outcome;
use super::input::{InputArgs, RunReport};
use super::lexicon_args::LexiconArgs;

/// Version of the output schema (the `v` field).
pub const SCHEMA_VERSION: u32 = 1;

/// Records per batch: large enough to keep both cores busy, small enough to keep memory flat.
pub(super) const BATCH: usize = 2048;

/// Output fields the record's own fields must not overwrite; a record field with one of these names
/// is written as `input_NAME`.
const RESERVED: &[&str] = &[
    "v",
    "id",
    "lang",
    "sentiment",
    "labels",
    "churn_risk",
    "text",
    "customer_id",
    "channel",
    "agent_id",
    "timestamp",
];

/// Flags of `kashev classify`.
#[derive(Debug, clap::Args)]
pub struct ClassifyArgs {
    // Boxed: the input flags are large, and `Command` holds one variant per command.
    #[command(flatten)]
    input: Box<InputArgs>,

    #[command(flatten)]
    lexicons: LexiconArgs,

    /// Write the tagged records to PATH instead of standard output.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::new());
}

/// Writes one record and its classification as a JSON line into `out`.
pub fn write_output(out: &mut Vec<u8>, record: &Record, c: &Classification) {
    #[derive(serde::Serialize)]
    struct Head<'a> {
        v: u32,
        id: &'a str,
        lang: &'a str,
        sentiment: &'a kashev::classify::Sentiment,
        labels: &'a [kashev::classify::LabelScore],
        churn_risk: f64,
        text: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        customer_id: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        channel: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        agent_id: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        timestamp: Option<String>,
    }
    let head = Head {
        v: SCHEMA_VERSION,
        id: &record.id,
        lang: &c.lang,
        sentiment: &c.sentiment,
        labels: &c.labels,
        churn_risk: c.churn_risk,
        text: &record.text,
        customer_id: record.customer_id.as_deref(),
        channel: record.channel.as_deref(),
        agent_id: record.agent_id.as_deref(),
        timestamp: record.timestamp.map(format_timestamp),
    };
    serde_json::to_writer(&mut *out, &head).expect("serialising to memory cannot fail");
    if !record.meta.is_empty() {
        out.pop(); // the closing brace
        for (key, value) in &record.meta {
            out.push(b',');
            if RESERVED.contains(&key.as_str()) {
                serde_json::to_writer(&mut *out, &format!("input_{key}")).expect("in memory");
            } else {
                serde_json::to_writer(&mut *out, key).expect("in memory");
            }
            out.push(b':');
            serde_json::to_writer(&mut *out, value).expect("in memory");
        }
        out.push(b'}');
    }
    out.push(b'\n');
}

/// Records per parallel chunk: each chunk builds its output and counts on one thread.
const CHUNK: usize = 32;

/// One classified chunk: the output lines, the labels seen, and the sentiment counts
/// (positive, negative, neutral).
struct Classified {
    bytes: Vec<u8>,
    labels: Vec<String>,
    sentiment: [u64; 3],
}

fn classify_batch(classifier: &Classifier, batch: &[Record]) -> Vec<Classified> {
    batch
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut out = Classified {
                bytes: Vec::with_capacity(chunk.iter().map(|r| r.text.len() * 2 + 256).sum()),
                labels: Vec::new(),
                sentiment: [0; 3],
            };
            SCRATCH.with_borrow_mut(|scratch| {
                for record in chunk {
                    let c = classifier.classify_with(&record.text, record.lang.as_deref(), scratch);
                    write_output(&mut out.bytes, record, &c);
                    let slot = match c.sentiment.label {
                        kashev::eval::Polarity::Positive => 0,
                        kashev::eval::Polarity::Negative => 1,
                        kashev::eval::Polarity::Neutral => 2,
                    };
                    out.sentiment[slot] += 1;
                    out.labels.extend(c.labels.into_iter().map(|l| l.label));
                }
            });
            out
        })
        .collect()
}

/// Reads up to [`BATCH`] records; rejects go to the report. `Ok(empty)` at the end of input.
pub(super) fn read_batch(
    sources: &mut Sources,
    report: &mut RunReport,
) -> anyhow::Result<Vec<Record>> {
    let mut batch = Vec::with_capacity(BATCH);
    while batch.len() < BATCH {
        let Some(entry) = sources.next() else { break };
        match entry? {
            Entry::Record(record) => batch.push(record),
            Entry::Reject(reject) => report.reject(&reject)?,
        }
        report.tick(sources);
    }
    Ok(batch)
}

/// Runs `kashev classify`.
pub fn run(args: ClassifyArgs) -> anyhow::Result<Outcome> {
    let classifier = Classifier::new(args.lexicons.load()?);
    let mut sources = args.input.sources()?;
    let mut report = RunReport::start(&args.input)?;
    let (mut out, target): (Box<dyn Write + Send>, String) = match &args.output {
        Some(path) => {
            let file = File::create(path).map_err(|e| kashev::Error::io(path, e))?;
            (
                Box::new(BufWriter::with_capacity(256 * 1024, file)),
                path.display().to_string(),
            )
        }
        None => (
            Box::new(BufWriter::with_capacity(256 * 1024, io::stdout())),
            "standard output".into(),
        ),
    };
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut sentiment = [0u64; 3];
    // Three stages overlap: while one batch is classified (in parallel chunks), the output of the
    // batch before it is written and counted, and the next batch is read.
    let result = (|| -> anyhow::Result<()> {
        let mut write = |classified: Vec<Classified>| -> anyhow::Result<()> {
            for chunk in classified {
                out.write_all(&chunk.bytes)
                    .with_context(|| format!("writing to {target}"))?;
                for label in chunk.labels {
                    *counts.entry(label).or_default() += 1;
                }
                for (total, n) in sentiment.iter_mut().zip(chunk.sentiment) {
                    *total += n;
                }
            }
            Ok(())
        };
        let mut batch = read_batch(&mut sources, &mut report)?;
        let mut done: Vec<Classified> = Vec::new();
        while !batch.is_empty() {
            let (next, classified) = rayon::join(
                || -> anyhow::Result<Vec<Record>> {
                    write(std::mem::take(&mut done))?;
                    read_batch(&mut sources, &mut report)
                },
                || classify_batch(&classifier, &batch),
            );
            done = classified;
            batch = next?;
        }
        write(done)?;
        out.flush()
            .with_context(|| format!("writing to {target}"))?;
        Ok(())
    })();
    report.set_counts(sentiment_counts(sentiment), counts);
    match result {
        Ok(()) => report.finish(&sources),
        Err(e) => {
            report.abort(&sources, &e);
            Err(e)
        }
    }
}

pub(super) fn sentiment_counts(s: [u64; 3]) -> BTreeMap<String, u64> {
    [("positive", s[0]), ("negative", s[1]), ("neutral", s[2])]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}
