//! Command-line interface: clap structs hold the raw flags; each command resolves them into the
//! library's settings once, then drives the pipeline.

mod alerts;
mod classify;
mod customer;
mod eval;
mod explain;
mod generate;
mod index;
mod input;
mod lexicon;
mod lexicon_args;
mod records;
mod search;
mod serve;
mod tokenize;
mod trends;
mod watch;

use clap::{Parser, Subcommand};

use crate::exit;

/// Kashev (קשב): mines Hebrew and English customer-service text for complaints, sentiment and churn
/// signals.
#[derive(Debug, Parser)]
#[command(name = "kashev", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Classify records: sentiment, complaint and churn labels with evidence, and churn risk, one
    /// JSON object per record, in input order.
    Classify(classify::ClassifyArgs),
    /// Explain why a text gets its tags: tokens, lexicon hits with file:line, modifiers, scores.
    Explain(explain::ExplainArgs),
    /// Measure accuracy on gold-labelled JSONL: sentiment, complaint, churn, labels.
    Eval(eval::EvalArgs),
    /// Read records from any source, normalise them, and write them as JSONL (id, text, customer_id,
    /// channel, agent_id, timestamp in UTC, lang, and every other field as given).
    Records(records::RecordsArgs),
    /// Show how the analyzer splits a text: offsets, surface, key, script, flags, prefix readings.
    Tokenize(tokenize::TokenizeArgs),
    /// Write a realistic, seeded corpus of Hebrew/English customer-service records as JSONL.
    Generate(generate::GenerateArgs),
    /// Check lexicon files (every problem as file:line: message) and count what they hold.
    Lexicon(lexicon::LexiconArgs),
    /// Classify records and write them into the search index (upsert by id, commits in batches).
    Index(index::IndexArgs),
    /// Re-classify every record an index holds with the current lexicons.
    Reindex(index::ReindexArgs),
    /// Search the index: words, "phrases", AND/OR/NOT, label:…, channel:…, and filters.
    Search(search::SearchArgs),
    /// One customer's records across channels in time order, with contacts per channel, repeat
    /// contacts, the churn-risk trajectory and open churn signals.
    Customer(customer::CustomerArgs),
    /// Count matching records per day, week or month and per label, group, channel or sentiment,
    /// with spikes flagged against each one's recent baseline.
    Trends(trends::TrendsArgs),
    /// Churn-signal alerts: check a subscriptions file, run the subscriptions over the index and
    /// deliver, show the state, retry failed deliveries.
    Alerts(alerts::AlertsArgs),
    /// Classify records as they arrive (stdin, or a file followed like `tail -F`), optionally
    /// index them, and evaluate the alert subscriptions at once.
    Watch(watch::WatchArgs),
    /// Serve the JSON API and the web workspace over an index (search, trends, customers,
    /// explain, alert subscriptions).
    Serve(serve::ServeArgs),
}

/// How a command finished when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was processed.
    Success,
    /// The run finished, but some input records were rejected.
    Rejected,
    /// An evaluation finished below the floors it was given.
    BelowFloors,
    /// `kashev alerts run`/`retry`: nothing was delivered and nothing failed.
    NothingToDo,
    /// `kashev alerts run`/`retry`: deliveries failed and are waiting for a retry or dead.
    DeliveryFailuresPending,
}

impl Outcome {
    /// The process exit code for this outcome.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => exit::SUCCESS,
            Outcome::Rejected => exit::REJECTED,
            Outcome::BelowFloors => exit::BELOW_FLOORS,
            Outcome::NothingToDo => exit::NOTHING_TO_DO,
            Outcome::DeliveryFailuresPending => exit::DELIVERY_FAILURES_PENDING,
        }
    }
}

/// A mistake in how the command was invoked, found after argument parsing (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Classify(args) => classify::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Records(args) => records::run(args),
        Command::Tokenize(args) => tokenize::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Lexicon(args) => lexicon::run(args),
        Command::Index(args) => index::run(args),
        Command::Reindex(args) => index::reindex(args),
        Command::Search(args) => search::run(args),
        Command::Customer(args) => customer::run(args),
        Command::Trends(args) => trends::run(args),
        Command::Alerts(args) => alerts::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Serve(args) => serve::run(args),
    }
}

/// The text a command was given: its words joined with spaces, or stdin for `-` or nothing.
fn text_argument(words: &[String]) -> anyhow::Result<String> {
    use std::io::Read as _;
    if !(words.is_empty() || words == ["-"]) {
        return Ok(words.join(" "));
    }
    let mut buf = Vec::new();
    anyhow::Context::context(std::io::stdin().read_to_end(&mut buf), "reading stdin")?;
    String::from_utf8(buf).map_err(|e| {
        UsageError(format!(
            "stdin is not valid UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        ))
        .into()
    })
}
