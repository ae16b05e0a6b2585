//! `kashev generate`: writes a seeded corpus of realistic Hebrew/English customer-service records as
//! JSONL, for trying Kashev out and for benchmarks.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use jiff::civil::Date;
use kashev::Error;
use kashev::generate::GeneratorBuilder;

use super::Outcome;

/// Flags of `kashev generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// How many records to write.
    #[arg(long, short = 'n', value_name = "N")]
    count: u64,
    /// Seed: the same flags and seed write the same bytes on every machine.
    #[arg(long, default_value_t = 1, value_name = "S")]
    seed: u64,
    /// First day of the span (YYYY-MM-DD, UTC).
    #[arg(long, default_value = "2026-01-01", value_name = "DATE")]
    start: Date,
    /// How many days the timestamps spread over.
    #[arg(long, default_value_t = 365, value_name = "DAYS")]
    days: u32,
    /// Share of Hebrew records, from 0 to 1 (the rest are English).
    #[arg(long, default_value_t = 0.65, value_name = "SHARE")]
    hebrew_share: f64,
    /// Number of distinct customers [default: one per eight records].
    #[arg(long, value_name = "N")]
    customers: Option<u64>,
    /// Mean text length to aim for, in UTF-8 bytes.
    #[arg(long, default_value_t = 500, value_name = "BYTES")]
    mean_bytes: usize,
    /// Write to this file instead of standard output (`-` is standard output).
    #[arg(long, short = 'o', value_name = "PATH")]
    output: Option<PathBuf>,
}

/// Runs `kashev generate`.
pub fn run(args: GenerateArgs) -> anyhow::Result<Outcome> {
    let mut builder = GeneratorBuilder::new();
    builder
        .seed(args.seed)
        .count(args.count)
        .start(args.start)
        .days(args.days)
        .hebrew_share(args.hebrew_share)
        .mean_bytes(args.mean_bytes);
    if let Some(customers) = args.customers {
        builder.customers(customers);
    }
    let generator = builder.build()?;

    let output = args.output.filter(|path| path.as_os_str() != "-");
    match output {
        Some(path) => {
            let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
            write(&generator, BufWriter::with_capacity(1 << 16, file))
                .map_err(|e| Error::io(&path, e))?;
        }
        None => {
            let stdout = std::io::stdout().lock();
            write(&generator, BufWriter::with_capacity(1 << 16, stdout))
                .map_err(|e| Error::io("-", e))?;
        }
    }
    Ok(Outcome::Success)
}

fn write(generator: &kashev::generate::Generator, out: impl Write) -> std::io::Result<()> {
    generator.write_jsonl(out).map(drop)
}
