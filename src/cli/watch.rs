//! `kashev watch`: streaming evaluation. Records are classified as they arrive (standard input, or
//! a file followed as it grows, like `tail -F`, surviving rotation), optionally indexed, and
//! evaluated against the subscriptions at once; alerts are recorded and delivered through the same
//! engine as `kashev alerts run`.
//!
//! A reader thread follows the input and hands entries over a bounded channel; the main loop takes
//! what has arrived within a few milliseconds (at most [`BATCH`] records), classifies it, and lets
//! the engine record the batch's alerts, the rule state and the input position in one store
//! transaction, then delivers what is due. A restart resumes from the recorded position with the
//! windows the store holds, so nothing is lost and, since alert ids derive from the records,
//! nothing is raised twice. With `--index`, the position is recorded only with an index commit
//! (every `--commit-ms`), so the records after it are read, indexed and evaluated again after a
//! crash (upsert and alert ids make that harmless).

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use jiff::Timestamp;
use kashev::alerts::Event;
use kashev::alerts::engine::Engine;
use kashev::alerts::store::{self, Position, Store};
use kashev::alerts::subscriptions::Subscriptions;
use kashev::classify::{Classifier, Scratch};
use kashev::index::{Index, IndexWriter, redact_record};
use kashev::source::Position as InputPosition;
use kashev::source::{Entry, FollowerBuilder, Input};

use super::Outcome;
use super::input::{InputArgs, RunReport};
use super::lexicon_args::LexiconArgs;

/// Most records evaluated in one store transaction.
const BATCH: usize = 512;

/// Flags of `kashev watch`.
#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    #[command(flatten)]
    input: Box<InputArgs>,

    /// The subscriptions file (TOML; see `kashev alerts check`).
    #[arg(long, value_name = "FILE")]
    subscriptions: PathBuf,

    /// Also index the records into this index directory.
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,

    /// With --index: store the records with their personal data masked (as `kashev index
    /// --redact`).
    #[arg(long, requires = "index")]
    redact: bool,

    /// The state database (default: kashev-state.sqlite next to the index directory, or in the
    /// current directory without --index). Use one state database per evaluation mode: `watch`
    /// records input positions, `alerts run` index positions.
    #[arg(long, value_name = "PATH")]
    state: Option<PathBuf>,

    /// Start at the end of the file instead of its beginning (when there is no saved position).
    #[arg(long)]
    from_end: bool,

    /// How often to look for new lines in a followed file, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 10)]
    poll_ms: u64,

    /// How long to wait for more records before evaluating a batch, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5)]
    batch_ms: u64,

    /// With --index: commit (and record the input position) at most this often, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2_000)]
    commit_ms: u64,

    /// Stop after this many seconds without a new line (default: follow forever).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    idle_exit: Option<Duration>,

    #[command(flatten)]
    lexicons: LexiconArgs,
}

/// A positive number of seconds (fractions allowed).
fn parse_seconds(s: &str) -> Result<Duration, String> {
    s.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x > 0.0 && *x < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("'{s}' is not a positive number of seconds"))
}

/// What the reader thread hands over: an entry and the input position just after it.
type Item = kashev::Result<(Entry, InputPosition)>;

/// Runs `kashev watch`.
pub fn run(args: WatchArgs) -> anyhow::Result<Outcome> {
    if args.input.inputs.len() > 1 {
        return Err(super::UsageError("kashev watch follows one input".into()).into());
    }
    let lexicon = args.lexicons.load()?;
    let subscriptions = Subscriptions::load(&args.subscriptions, &lexicon)?;
    let state_path = match (&args.state, &args.index) {
        (Some(path), _) => path.clone(),
        (None, Some(index)) => store::default_path(index),
        (None, None) => PathBuf::from("kashev-state.sqlite"),
    };
    let store = Store::open(&state_path)?;
    let mut engine = Engine::open(subscriptions, store)?;
    let deliverer = super::alerts::deliverer();
    let index = match &args.index {
        Some(dir) => Some(Index::open_or_create(dir, lexicon.clone())?),
        None => None,
    };
    if let Some(index) = &index
        && let Some(mismatch) = index.lexicon_mismatch()
    {
        return Err(super::UsageError(format!(
            "{mismatch}; refusing to mix classifications in one index"
        ))
        .into());
    }
    let mut writer = match &index {
        Some(index) => Some(index.writer(1, 64 << 20)?),
        None => None,
    };
    let classifier = Classifier::new(lexicon);
    let mut analysis = kashev::analyze::Analysis::new();

    // Where to start: the position the store recorded, if it is one of this input's.
    let input = Input::from_arg(
        args.input
            .inputs
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("-")),
    );
    let resume = match engine.checkpoint()? {
        Some(Position::Token(text)) => serde_json::from_str::<InputPosition>(&text).ok(),
        _ => None,
    };
    let mut follow = FollowerBuilder::new();
    follow
        .from_end(args.from_end)
        .poll_interval(Duration::from_millis(args.poll_ms.max(1)))
        .idle_timeout(args.idle_exit)
        .resume(resume);
    let settings = args.input.settings()?;
    let mut source = settings.follow(&input, &follow)?;
    let mut report = RunReport::start(&args.input)?;

    let (tx, rx) = mpsc::sync_channel::<Item>(4 * BATCH);
    let reader = std::thread::spawn(move || {
        while let Some(entry) = source.next() {
            let item = entry.map(|e| (e, source.position()));
            let failed = item.is_err();
            if tx.send(item).is_err() || failed {
                break;
            }
        }
        source.tally().clone()
    });

    let mut scratch = Scratch::new();
    let mut events: Vec<Event> = Vec::with_capacity(BATCH);
    let mut last_commit = Instant::now();
    let mut totals = (0u64, 0u64, 0u64); // records, alerts raised, updated
    let batch_wait = Duration::from_millis(args.batch_ms);
    let result = (|| -> anyhow::Result<()> {
        while let Ok(first) = rx.recv() {
            let mut batch = vec![first];
            let deadline = Instant::now() + batch_wait;
            while batch.len() < BATCH {
                match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                    Ok(item) => batch.push(item),
                    Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
                }
            }
            events.clear();
            let mut position = None;
            for item in batch {
                let (entry, at) = item?;
                position = Some(at);
                match entry {
                    Entry::Reject(reject) => report.reject(&reject)?,
                    Entry::Record(record) => {
                        let mut c = classifier.classify_with(
                            &record.text,
                            record.lang.as_deref(),
                            &mut scratch,
                        );
                        if let Some(writer) = &mut writer {
                            let masked = if args.redact {
                                redact_record(
                                    classifier.lexicon().analyzer(),
                                    &record,
                                    &mut c,
                                    &mut analysis,
                                )
                            } else {
                                None
                            };
                            let stored = masked.as_ref().unwrap_or(&record);
                            let doc = IndexWriter::document(writer.fields(), stored, &c);
                            writer.upsert(&record.id, doc)?;
                        }
                        events.push(Event::from_classification(&record, &c, Timestamp::now()));
                    }
                }
            }
            totals.0 += events.len() as u64;
            let position = position
                .map(|p| serde_json::to_string(&p).map(Position::Token))
                .transpose()?;
            // Without an index every batch records its position; with one, only batches whose
            // records an index commit has made durable.
            let checkpoint = match &mut writer {
                None => position,
                Some(writer) if last_commit.elapsed() >= Duration::from_millis(args.commit_ms) => {
                    writer.commit()?;
                    last_commit = Instant::now();
                    position
                }
                Some(_) => None,
            };
            let processed = engine.process(std::mem::take(&mut events), checkpoint)?;
            totals.1 += processed.raised as u64;
            totals.2 += processed.updated as u64;
            engine.deliver(&deliverer)?;
        }
        if let Some(writer) = &mut writer {
            writer.commit()?;
        }
        Ok(())
    })();
    drop(rx);
    let tally = reader
        .join()
        .map_err(|_| anyhow::anyhow!("the input reader stopped unexpectedly"))?;
    result.context("watching")?;
    if let Some(writer) = writer {
        writer.finish()?;
    }
    engine.deliver(&deliverer)?;
    report.set_extra(
        vec![format!(
            "watch: {} records evaluated, {} alerts raised, {} updated; state in {}",
            totals.0,
            totals.1,
            totals.2,
            state_path.display()
        )],
        serde_json::json!({
            "records": totals.0,
            "alerts_raised": totals.1,
            "alerts_updated": totals.2,
            "state": state_path.display().to_string(),
        }),
    );
    report.finish_stream(&tally)
}
