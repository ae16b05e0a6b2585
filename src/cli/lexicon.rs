//! `kashev lexicon check` and `kashev lexicon stats`: the lexicon owner's view of the lexicon files.

use std::io::Write;
use std::path::PathBuf;

use kashev::lexicon::{Checked, LexiconBuilder, LexiconStats};

use super::Outcome;

/// Flags of `kashev lexicon`.
#[derive(Debug, clap::Args)]
pub struct LexiconArgs {
    #[command(subcommand)]
    command: LexiconCommand,
}

#[derive(Debug, clap::Subcommand)]
enum LexiconCommand {
    /// Validate a lexicon directory (or the embedded defaults): print every problem as
    /// `file:line: message`, warnings marked `warning:`, then a summary. Exits 2 on any error.
    Check(CheckArgs),
    /// Count entries per label and language and per file, the vocabulary and the automaton's
    /// patterns, and print the lexicon's fingerprint.
    Stats(StatsArgs),
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The lexicon directory to check (the embedded defaults when absent).
    dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct StatsArgs {
    /// A lexicon directory to use instead of the embedded defaults.
    #[arg(long, value_name = "DIR")]
    lexicons: Option<PathBuf>,
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
}

/// Runs `kashev lexicon`.
pub fn run(args: LexiconArgs) -> anyhow::Result<Outcome> {
    match args.command {
        LexiconCommand::Check(args) => check(args),
        LexiconCommand::Stats(args) => stats(args),
    }
}

fn builder(dir: Option<PathBuf>) -> LexiconBuilder {
    let mut builder = LexiconBuilder::new();
    if let Some(dir) = dir {
        builder.dir(dir);
    }
    builder
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

fn check(args: CheckArgs) -> anyhow::Result<Outcome> {
    let Checked {
        lexicon,
        errors,
        warnings,
        origin,
    } = builder(args.dir).check();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut all: Vec<(String, usize, String)> = Vec::new();
    for p in &errors {
        all.push((p.file.clone(), p.line, p.to_string()));
    }
    for p in &warnings {
        let text = if p.line > 0 {
            format!("{}:{}: warning: {}", p.file, p.line, p.message)
        } else {
            format!("{}: warning: {}", p.file, p.message)
        };
        all.push((p.file.clone(), p.line, text));
    }
    // Errors and warnings interleaved in file order, as an editor would visit them.
    all.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    for (_, _, text) in &all {
        writeln!(out, "{text}")?;
    }
    let counts = format!(
        "{}, {}",
        plural(errors.len(), "error"),
        plural(warnings.len(), "warning")
    );
    match lexicon {
        Some(lexicon) if errors.is_empty() => {
            writeln!(
                out,
                "{origin}: ok: {} entries, {counts}",
                lexicon.entries().len()
            )?;
            out.flush()?;
            Ok(Outcome::Success)
        }
        _ => {
            out.flush()?;
            Err(kashev::Error::Config {
                problems: vec![format!("{origin}: {counts}")],
            }
            .into())
        }
    }
}

fn stats(args: StatsArgs) -> anyhow::Result<Outcome> {
    let lexicon = builder(args.lexicons).build()?;
    let stats = lexicon.stats();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        write_stats(&mut out, &stats)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn write_stats(out: &mut impl Write, s: &LexiconStats) -> std::io::Result<()> {
    writeln!(out, "lexicon:     {}", s.origin)?;
    writeln!(out, "fingerprint: {}", s.fingerprint)?;
    let languages: Vec<String> = s
        .languages
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    writeln!(out, "entries:     {} ({})", s.entries, languages.join(", "))?;
    writeln!(out)?;
    writeln!(out, "{:<24} {:>7}", "file", "entries")?;
    for f in &s.files {
        writeln!(out, "{:<24} {:>7}", f.file, f.entries)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<34} {:<10} {:>6} {:>6} {:>6} {:>6}",
        "label", "group", "he", "en", "shared", "total"
    )?;
    for l in &s.labels {
        writeln!(
            out,
            "{:<34} {:<10} {:>6} {:>6} {:>6} {:>6}",
            l.label,
            l.group.as_str(),
            l.he,
            l.en,
            l.shared,
            l.he + l.en + l.shared
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "vocabulary:  {} words, {}",
        s.vocabulary,
        plural(s.wildcards, "wildcard")
    )?;
    writeln!(
        out,
        "automaton:   {} phrase patterns; {} words found directly; {} entries anchored ({} with gap=N)",
        s.patterns, s.direct_words, s.anchored_entries, s.gap_entries
    )?;
    writeln!(
        out,
        "warnings:    {} (see `kashev lexicon check`)",
        s.warnings
    )?;
    Ok(())
}
