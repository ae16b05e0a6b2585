//! `kashev alerts`: churn-signal alert subscriptions. `check` validates a subscriptions file and
//! shows what each subscription does; `run` evaluates the records indexed since the last run and
//! delivers the alerts; `status` shows the state store; `retry` sends dead letters again.

use std::io::Write;
use std::path::{Path, PathBuf};

use kashev::alerts::deliver::{Deliverer, DeliveryReport};
use kashev::alerts::engine::{Engine, deliver_outbox};
use kashev::alerts::scheduled::{Evaluated, PAGE, evaluate_index};
use kashev::alerts::store::{self, Position, RetryFilter, Store};
use kashev::alerts::subscriptions::{Subscriptions, describe_destination};
use kashev::index::{DEFAULT_INDEX_DIR, Index};

use super::Outcome;
use super::lexicon_args::LexiconArgs;

/// Test hook: `KASHEV_TEST_CRASH=after-record` aborts the process right after the first page of
/// alerts is committed to the store (before anything is delivered); `after-send` aborts right
/// after the first delivery a destination accepted, before it is confirmed. The crash tests use it
/// to stop the process at exactly those points, as `kill -9` would.
const CRASH_HOOK: &str = "KASHEV_TEST_CRASH";

/// Flags of `kashev alerts`.
#[derive(Debug, clap::Args)]
pub struct AlertsArgs {
    #[command(subcommand)]
    command: AlertsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum AlertsCommand {
    /// Validate a subscriptions file: print every problem as `file:line: message` and exit 2, or
    /// print each subscription (rule in words, filters, destination without secrets, cooldown).
    Check(CheckArgs),
    /// Evaluate the records indexed since the last run against the subscriptions, record the
    /// alerts, and deliver everything due. Exit 0 when alerts were delivered, 5 when there was
    /// nothing to do, 6 when deliveries failed and are pending or dead.
    Run(RunArgs),
    /// Show the state store: alerts and deliveries per status and subscription, checkpoints,
    /// failing deliveries and dead letters with their last errors.
    Status(StateArgs),
    /// Bring dead letters (and failed deliveries waiting for their next attempt) back, then
    /// deliver everything due. Exit codes as for `run`.
    Retry(RetryArgs),
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// The subscriptions file (TOML).
    #[arg(long, value_name = "FILE")]
    subscriptions: PathBuf,
    /// The index directory.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_INDEX_DIR)]
    index: PathBuf,
    /// The state database (default: kashev-state.sqlite next to the index directory).
    #[arg(long, value_name = "PATH")]
    state: Option<PathBuf>,
    #[command(flatten)]
    lexicons: LexiconArgs,
    /// Print the summary as one JSON object on stdout (after any alert a stdout destination
    /// writes).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct StateArgs {
    /// The state database (default: kashev-state.sqlite next to the index directory).
    #[arg(long, value_name = "PATH")]
    state: Option<PathBuf>,
    /// The index directory the state belongs to (only used to find the default state path).
    #[arg(long, value_name = "DIR", default_value = DEFAULT_INDEX_DIR)]
    index: PathBuf,
    /// Print as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct RetryArgs {
    #[command(flatten)]
    state: StateArgs,
    /// Only this subscription's deliveries.
    #[arg(long, value_name = "NAME")]
    subscription: Option<String>,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The subscriptions file (TOML).
    file: PathBuf,
    #[command(flatten)]
    lexicons: LexiconArgs,
}

/// Runs `kashev alerts`.
pub fn run(args: AlertsArgs) -> anyhow::Result<Outcome> {
    match args.command {
        AlertsCommand::Check(args) => check(args),
        AlertsCommand::Run(args) => run_scheduled(args),
        AlertsCommand::Status(args) => status(args),
        AlertsCommand::Retry(args) => retry(args),
    }
}

/// Loads a subscriptions file; its problems go to `out`, one per line, and the error counts them.
fn load_subscriptions(
    file: &Path,
    lexicons: &LexiconArgs,
    out: &mut impl Write,
) -> anyhow::Result<Subscriptions> {
    let lexicon = lexicons.load()?;
    match Subscriptions::load(file, &lexicon) {
        Ok(s) => Ok(s),
        Err(kashev::Error::Config { problems }) => {
            for p in &problems {
                writeln!(out, "{p}")?;
            }
            out.flush()?;
            let n = problems.len();
            Err(kashev::Error::Config {
                problems: vec![format!(
                    "{}: {n} problem{}",
                    file.display(),
                    if n == 1 { "" } else { "s" }
                )],
            }
            .into())
        }
        Err(e) => Err(e.into()),
    }
}

fn check(args: CheckArgs) -> anyhow::Result<Outcome> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let subscriptions = load_subscriptions(&args.file, &args.lexicons, &mut out)?;
    for s in &subscriptions {
        writeln!(out, "{} (line {})", s.name, s.line)?;
        writeln!(
            out,
            "  rule:        {} ({})",
            s.rule.describe(),
            s.rule.kind()
        )?;
        let filters = s.filters.describe();
        if !filters.is_empty() {
            writeln!(out, "  filters:     {filters}")?;
        }
        writeln!(
            out,
            "  destination: {}",
            describe_destination(&s.destination)
        )?;
        writeln!(out, "  cooldown:    {}", s.cooldown)?;
        if let Some(d) = s.digest {
            writeln!(out, "  digest:      every {d}")?;
        }
    }
    let n = subscriptions.len();
    writeln!(
        out,
        "{}: ok: {n} subscription{}",
        subscriptions.file(),
        if n == 1 { "" } else { "s" }
    )?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// The test hook's setting (see [`CRASH_HOOK`]).
fn crash_hook() -> Option<String> {
    std::env::var(CRASH_HOOK).ok().filter(|v| !v.is_empty())
}

pub(super) fn deliverer() -> Deliverer {
    let mut builder = Deliverer::builder();
    if crash_hook().as_deref() == Some("after-send") {
        builder.after_send(|_| std::process::abort());
    }
    builder.build()
}

fn open_store(state: Option<&Path>, index: &Path) -> anyhow::Result<Store> {
    let path = state.map_or_else(|| store::default_path(index), Path::to_path_buf);
    Ok(Store::open(path)?)
}

/// How a run that delivers ends: failures pending, else alerts sent, else nothing to do.
fn delivery_outcome(store: &Store, report: &DeliveryReport) -> anyhow::Result<Outcome> {
    Ok(if store.failures_pending()? > 0 {
        Outcome::DeliveryFailuresPending
    } else if report.delivered > 0 {
        Outcome::Success
    } else {
        Outcome::NothingToDo
    })
}

#[derive(Debug, serde::Serialize)]
struct RunSummary {
    state: String,
    checkpoint_before: Option<i64>,
    checkpoint_after: Option<i64>,
    records: usize,
    unreadable: usize,
    triggers: usize,
    alerts_raised: usize,
    alerts_updated: usize,
    queued: usize,
    delivered: usize,
    digests: usize,
    retrying: usize,
    dead: usize,
    failures_pending: u64,
    seconds: f64,
}

fn run_scheduled(args: RunArgs) -> anyhow::Result<Outcome> {
    let started = std::time::Instant::now();
    let subscriptions =
        load_subscriptions(&args.subscriptions, &args.lexicons, &mut std::io::stderr())?;
    let index = Index::open(&args.index, args.lexicons.load()?)?;
    let store = open_store(args.state.as_deref(), &args.index)?;
    let state = store.path().display().to_string();
    let mut engine = Engine::open(subscriptions, store)?;
    let crash_after_record = crash_hook().as_deref() == Some("after-record");
    let evaluated: Evaluated = evaluate_index(&mut engine, &index, PAGE, |processed| {
        if crash_after_record && processed.recorded.alerts > 0 {
            std::process::abort();
        }
    })?;
    for problem in &evaluated.unreadable {
        eprintln!("kashev: skipped {problem}");
    }
    let report = engine.deliver(&deliverer())?;
    let outcome = delivery_outcome(engine.store(), &report)?;
    let p = &evaluated.processed;
    let summary = RunSummary {
        state,
        checkpoint_before: evaluated.from,
        checkpoint_after: evaluated.to,
        records: p.events,
        unreadable: evaluated.unreadable.len(),
        triggers: p.triggers,
        alerts_raised: p.raised,
        alerts_updated: p.updated,
        queued: p.recorded.queued,
        delivered: report.delivered,
        digests: report.digests,
        retrying: report.retrying,
        dead: report.dead,
        failures_pending: engine.store().failures_pending()?,
        seconds: started.elapsed().as_secs_f64(),
    };
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        eprintln!(
            "kashev: evaluated {} records ({} pages), {} alerts raised, {} updated, {} deliveries queued",
            p.events, evaluated.pages, p.raised, p.updated, p.recorded.queued
        );
        eprintln!(
            "kashev: delivered {} ({} digests), {} failed and will be retried, {} dead; {} failures pending",
            report.delivered,
            report.digests,
            report.retrying,
            report.dead,
            summary.failures_pending
        );
        print_failures(&report);
    }
    Ok(outcome)
}

fn status(args: StateArgs) -> anyhow::Result<Outcome> {
    let store = open_store(args.state.as_deref(), &args.index)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let value = kashev::report::store_status_json(&store)?;
        writeln!(out, "{value}")?;
    } else {
        let status = store.status()?;
        let retrying = store.retrying()?;
        let dead = store.dead_letters()?;
        writeln!(out, "state: {}", status.path.display())?;
        writeln!(
            out,
            "alerts: {}; deliveries: {} pending, {} delivered, {} dead",
            status.alerts,
            status.deliveries.pending,
            status.deliveries.delivered,
            status.deliveries.dead
        )?;
        if let Some(next) = status.next_attempt_at {
            writeln!(out, "next attempt: {next}")?;
        }
        for (name, s) in &status.subscriptions {
            write!(
                out,
                "{name}: {} alerts, {} pending, {} delivered, {} dead",
                s.alerts, s.deliveries.pending, s.deliveries.delivered, s.deliveries.dead
            )?;
            if let Some(last) = s.last_alert {
                write!(out, ", last alert {last}")?;
            }
            match &s.checkpoint {
                Some(Position::Offset(n)) => write!(out, ", checkpoint {n}")?,
                Some(Position::Token(t)) => write!(out, ", checkpoint {t:?}")?,
                None => {}
            }
            writeln!(out)?;
        }
        for (title, rows) in [("retrying", &retrying), ("dead", &dead)] {
            for d in rows {
                writeln!(
                    out,
                    "{title}: delivery {} of alert {} ({}, customer {}) to {}: {} attempts, last error: {}",
                    d.id,
                    d.alert_id,
                    d.subscription,
                    d.customer.as_deref().unwrap_or("-"),
                    d.destination,
                    d.attempts,
                    d.last_error.as_deref().unwrap_or("-")
                )?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn retry(args: RetryArgs) -> anyhow::Result<Outcome> {
    let store = open_store(args.state.state.as_deref(), &args.state.index)?;
    let filter = RetryFilter {
        subscription: args.subscription.clone(),
        delivery_id: None,
    };
    let revived = store.retry_dead(&filter)?;
    let hurried = store.retry_waiting(&filter)?;
    let report = deliver_outbox(&store, None, &deliverer())?;
    let failures_pending = store.failures_pending()?;
    if args.state.json {
        println!(
            "{}",
            serde_json::json!({
                "revived": revived, "hurried": hurried, "delivered": report.delivered,
                "retrying": report.retrying, "dead": report.dead,
                "failures_pending": failures_pending,
            })
        );
    } else {
        eprintln!(
            "kashev: {revived} dead letters and {hurried} waiting deliveries due again; delivered {}, {} failed and will be retried, {} dead",
            report.delivered, report.retrying, report.dead
        );
        print_failures(&report);
    }
    delivery_outcome(&store, &report)
}

/// The first failures of a delivery pass, on stderr (`kashev alerts status` lists them all).
fn print_failures(report: &DeliveryReport) {
    const SHOWN: usize = 10;
    for (id, error) in report.failures.iter().take(SHOWN) {
        eprintln!("kashev: delivery {id} failed: {error}");
    }
    if report.failures.len() > SHOWN {
        eprintln!(
            "kashev: … and {} more failures (see `kashev alerts status`)",
            report.failures.len() - SHOWN
        );
    }
}
