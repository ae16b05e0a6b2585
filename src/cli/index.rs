//! `kashev index`: classify records and write them into the search index in one streaming pass;
//! `kashev reindex`: re-classify what an index holds with the current lexicons.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kashev::classify::Classifier;
use kashev::index::{DEFAULT_INDEX_DIR, Index, StoredDoc};
use kashev::record::Record;
use tantivy::TantivyDocument;

use super::Outcome;
use super::classify::{read_batch, sentiment_counts};
use super::input::{InputArgs, RunReport};
use super::lexicon_args::LexiconArgs;

/// The index directory flag, shared by every command that reads or writes an index.
#[derive(Debug, Clone, clap::Args)]
pub struct IndexDirArgs {
    /// The index directory.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_INDEX_DIR)]
    pub index: PathBuf,
}

/// Flags of `kashev index`.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    #[command(flatten)]
    input: Box<InputArgs>,

    #[command(flatten)]
    dir: IndexDirArgs,

    #[command(flatten)]
    lexicons: LexiconArgs,

    /// Commit after this many records (and at the end). A run killed between commits loses only
    /// the records since the last one; running it again puts them in.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    commit_every: u64,

    /// Indexing memory for tantivy, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(32..=4000))]
    heap_mib: u32,

    /// tantivy indexing threads (classification runs on every core besides).
    #[arg(long, value_name = "N", default_value_t = 2,
          value_parser = clap::value_parser!(u32).range(1..=16))]
    index_threads: u32,

    /// Store the records with their personal data masked: phone numbers, e-mail addresses,
    /// Israeli ID and card numbers in the text and the other fields become `*` (classification
    /// still reads the original text; offsets stay valid).
    #[arg(long)]
    redact: bool,
}

/// Flags of `kashev reindex`.
#[derive(Debug, clap::Args)]
pub struct ReindexArgs {
    #[command(flatten)]
    dir: IndexDirArgs,

    #[command(flatten)]
    lexicons: LexiconArgs,

    /// Indexing memory for tantivy, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(32..=4000))]
    heap_mib: u32,

    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
}

/// What is said of the index at the end of a run.
#[derive(Debug, serde::Serialize)]
struct IndexSummary {
    index: String,
    documents: u64,
    commits: u64,
    bytes_on_disk: u64,
    records_per_second: f64,
    lexicon: String,
}

impl IndexSummary {
    fn lines(&self) -> Vec<String> {
        vec![format!(
            "index {}: {} documents, {:.1} MB on disk, {} commits, {:.0} records/s",
            self.index,
            self.documents,
            self.bytes_on_disk as f64 / 1e6,
            self.commits,
            self.records_per_second
        )]
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn summary(
    index: &Index,
    commits: u64,
    records: u64,
    started: Instant,
) -> anyhow::Result<IndexSummary> {
    let reader = index.reader()?;
    reader.reload()?;
    Ok(IndexSummary {
        index: index.dir().display().to_string(),
        documents: reader.searcher().num_docs(),
        commits,
        bytes_on_disk: dir_size(index.dir()),
        records_per_second: records as f64 / started.elapsed().as_secs_f64().max(1e-9),
        lexicon: index.lexicon().fingerprint().to_string(),
    })
}

/// Runs `kashev index`.
pub fn run(args: IndexArgs) -> anyhow::Result<Outcome> {
    if args.commit_every == 0 {
        return Err(super::UsageError("--commit-every must be at least 1".into()).into());
    }
    let lexicon = args.lexicons.load()?;
    let index = Index::open_or_create(&args.dir.index, lexicon.clone())?;
    if let Some(mismatch) = index.lexicon_mismatch() {
        return Err(super::UsageError(format!(
            "{mismatch}; refusing to mix classifications in one index"
        ))
        .into());
    }
    let mut writer = index.writer(args.index_threads as usize, (args.heap_mib as usize) << 20)?;
    writer.set_redact(args.redact);
    let classifier = Classifier::new(lexicon);
    let mut sources = args.input.sources()?;
    let mut report = RunReport::start(&args.input)?;
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut sentiment = [0u64; 3];
    let started = Instant::now();
    let mut commits = 0u64;
    let mut records = 0u64;
    let result = (|| -> anyhow::Result<()> {
        let mut batch = read_batch(&mut sources, &mut report)?;
        while !batch.is_empty() {
            let (next, built) = rayon::join(
                || read_batch(&mut sources, &mut report),
                || writer.build(&classifier, &batch),
            );
            for chunk in built {
                for (id, doc) in chunk.docs {
                    writer.upsert(&id, doc)?;
                    records += 1;
                    if writer.pending() >= args.commit_every {
                        writer.commit()?;
                        commits += 1;
                    }
                }
                for label in chunk.labels {
                    *counts.entry(label).or_default() += 1;
                }
                for (total, n) in sentiment.iter_mut().zip(chunk.sentiment) {
                    *total += n;
                }
            }
            batch = next?;
        }
        // Always commit at the end: an empty run still leaves an index that opens.
        writer.commit()?;
        commits += 1;
        Ok(())
    })();
    report.set_counts(sentiment_counts(sentiment), counts);
    match result {
        Ok(()) => {
            writer.finish()?;
            let summary = summary(&index, commits, records, started)?;
            report.set_extra(summary.lines(), serde_json::to_value(&summary)?);
            report.finish(&sources)
        }
        Err(e) => {
            report.abort(&sources, &e);
            Err(e)
        }
    }
}

/// Runs `kashev reindex`: reads every stored record, classifies it with the current lexicons, and
/// writes it back, in one commit (a failure leaves the index as it was).
pub fn reindex(args: ReindexArgs) -> anyhow::Result<Outcome> {
    use tantivy::collector::DocSetCollector;
    use tantivy::query::AllQuery;

    let lexicon = args.lexicons.load()?;
    let index = Index::open(&args.dir.index, lexicon.clone())?;
    let started = Instant::now();
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let addresses = searcher.search(&AllQuery, &DocSetCollector)?;
    let mut writer = index.writer(2, (args.heap_mib as usize) << 20)?;
    let classifier = Classifier::new(lexicon);
    let fields = *index.fields();
    let addresses: Vec<_> = addresses.into_iter().collect();
    let mut records = 0u64;
    for part in addresses.chunks(super::classify::BATCH) {
        let stored: Vec<Record> = part
            .iter()
            .map(|&address| {
                let doc: TantivyDocument = searcher.doc(address)?;
                Ok(StoredDoc::from_document(&fields, &doc)?.record)
            })
            .collect::<anyhow::Result<_>>()?;
        for chunk in writer.build(&classifier, &stored) {
            for (id, doc) in chunk.docs {
                writer.upsert(&id, doc)?;
                records += 1;
            }
        }
    }
    writer.commit()?;
    writer.finish()?;
    let summary = summary(&index, 1, records, started)?;
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        eprintln!("kashev: re-classified {records} records");
        for line in summary.lines() {
            eprintln!("kashev: {line}");
        }
    }
    Ok(Outcome::Success)
}
