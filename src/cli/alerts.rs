//! `kashev alerts`: churn-signal alert subscriptions. `check` validates a subscriptions file and
//! shows what each subscription does.

use std::io::Write;
use std::path::PathBuf;

use kashev::alerts::subscriptions::{Subscriptions, describe_destination};

use super::Outcome;
use super::lexicon_args::LexiconArgs;

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
    }
}

fn check(args: CheckArgs) -> anyhow::Result<Outcome> {
    let lexicon = args.lexicons.load()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let subscriptions = match Subscriptions::load(&args.file, &lexicon) {
        Ok(s) => s,
        Err(kashev::Error::Config { problems }) => {
            for p in &problems {
                writeln!(out, "{p}")?;
            }
            out.flush()?;
            let n = problems.len();
            return Err(kashev::Error::Config {
                problems: vec![format!(
                    "{}: {n} problem{}",
                    args.file.display(),
                    if n == 1 { "" } else { "s" }
                )],
            }
            .into());
        }
        Err(e) => return Err(e.into()),
    };
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
