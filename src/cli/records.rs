//! `kashev records`: reads records from any source, normalises them, and writes them as JSON Lines.
//!
//! The simplest sink: each record becomes one `Record::to_json` object per line; rejects are
//! reported by the shared [`RunReport`].

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context as _;
use kashev::source::Entry;

use super::Outcome;
use super::input::{InputArgs, RunReport};

/// Flags of `kashev records`.
#[derive(Debug, clap::Args)]
pub struct RecordsArgs {
    // Boxed: the input flags are large, and `Command` holds one variant per command.
    #[command(flatten)]
    input: Box<InputArgs>,

    /// Write the records to PATH instead of standard output.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
}

/// Runs `kashev records`.
pub fn run(args: RecordsArgs) -> anyhow::Result<Outcome> {
    let mut sources = args.input.sources()?;
    let mut report = RunReport::start(&args.input)?;
    let (mut out, target): (Box<dyn Write>, String) = match &args.output {
        Some(path) => {
            // A bad output path is the user's to fix (exit 2), like a missing input.
            let file = File::create(path).map_err(|e| kashev::Error::io(path, e))?;
            (
                Box::new(BufWriter::with_capacity(64 * 1024, file)),
                path.display().to_string(),
            )
        }
        None => (
            Box::new(BufWriter::with_capacity(64 * 1024, io::stdout().lock())),
            "standard output".to_string(),
        ),
    };
    let mut line = Vec::with_capacity(1024);
    while let Some(entry) = sources.next() {
        let handled = match entry {
            Ok(Entry::Record(record)) => {
                line.clear();
                serde_json::to_writer(&mut line, &record.to_json()).expect("a record serialises");
                line.push(b'\n');
                out.write_all(&line)
                    .with_context(|| format!("writing records to {target}"))
            }
            Ok(Entry::Reject(reject)) => report.reject(&reject),
            Err(e) => Err(e.into()),
        };
        if let Err(e) = handled {
            let _ = out.flush();
            report.abort(&sources, &e);
            return Err(e);
        }
        report.tick(&sources);
    }
    if let Err(e) = out
        .flush()
        .with_context(|| format!("writing records to {target}"))
    {
        report.abort(&sources, &e);
        return Err(e);
    }
    report.finish(&sources)
}
