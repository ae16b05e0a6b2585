//! `kashev eval`: accuracy on gold-labelled JSONL (sentiment, complaint, churn, labels), with the
//! worst misclassified examples and their evidence; optional floors fail the run when quality drops.

use std::io::Write;
use std::path::PathBuf;

use kashev::classify::{Classification, Classifier, Scratch};
use kashev::eval::{EvalOptions, EvalReport, FloorTable, Prediction, evaluate_file};
use kashev::lexicon::Group;

use super::Outcome;
use super::lexicon_args::LexiconArgs;

/// Flags of `kashev eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Gold-labelled JSONL files: {"id", "text", "lang"?, "gold": {"sentiment"?, "valence"?,
    /// "complaint"?, "churn"?, "labels"?}}.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// How many of the worst examples to show per kind of error.
    #[arg(long, default_value_t = 10, value_name = "N")]
    show: usize,
    /// Print the reports as JSON (one object per file, as a JSON array).
    #[arg(long)]
    json: bool,
    /// Minimum figures per file (sections `[file name]` with `key = value` lines: sentiment_macro_f1,
    /// polar_macro_f1, complaint_f1, churn_f1, …); the run exits with code 4 when one is missed.
    #[arg(long, value_name = "FILE")]
    floors: Option<PathBuf>,
    #[command(flatten)]
    lexicons: LexiconArgs,
}

/// Maps a classification to what the metrics compare with the gold.
pub fn prediction(c: &Classification) -> Prediction {
    let mut evidence: Vec<String> = c
        .labels
        .iter()
        .map(|l| {
            let texts: Vec<&str> = l.evidence.iter().map(|e| e.text.as_str()).collect();
            format!("{} {:.2} [{}]", l.label, l.score, texts.join(" | "))
        })
        .collect();
    let sentiment: Vec<String> = c
        .sentiment
        .evidence
        .iter()
        .map(|e| {
            let mods: Vec<&str> = e.modifiers.iter().map(|m| m.as_str()).collect();
            if mods.is_empty() {
                e.text.clone()
            } else {
                format!("{} ({})", e.text, mods.join(","))
            }
        })
        .collect();
    if !sentiment.is_empty() {
        evidence.push(format!("sentiment [{}]", sentiment.join(" | ")));
    }
    Prediction {
        sentiment: c.sentiment.label,
        score: c.sentiment.score,
        complaint: c.has_group(Group::Complaint),
        churn: c.has_group(Group::Churn),
        labels: c.labels.iter().map(|l| l.label.clone()).collect(),
        evidence: evidence.join("; "),
    }
}

/// Runs `kashev eval`.
pub fn run(args: EvalArgs) -> anyhow::Result<Outcome> {
    let classifier = Classifier::new(args.lexicons.load()?);
    let floors = args.floors.as_ref().map(FloorTable::load).transpose()?;
    let mut scratch = Scratch::new();
    let mut reports: Vec<EvalReport> = Vec::new();
    for file in &args.files {
        let options = EvalOptions {
            show: args.show,
            ..EvalOptions::default()
        };
        let report = evaluate_file(
            file,
            options,
            |gold| {
                let c = classifier.classify_with(&gold.text, gold.lang.as_deref(), &mut scratch);
                prediction(&c)
            },
            |reject| eprintln!("kashev: {reject}"),
        )?;
        reports.push(report);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &reports)?;
        writeln!(out)?;
    } else {
        for report in &reports {
            writeln!(out, "{report}")?;
        }
    }
    out.flush()?;
    let mut missed = Vec::new();
    if let Some(floors) = &floors {
        for report in &reports {
            missed.extend(floors.check(report));
        }
    }
    for m in &missed {
        eprintln!("kashev: below floor: {m}");
    }
    if !missed.is_empty() {
        return Ok(Outcome::BelowFloors);
    }
    if reports.iter().any(|r| r.rejected > 0) {
        return Ok(Outcome::Rejected);
    }
    Ok(Outcome::Success)
}
