//! `kashev tokenize`: shows how the analyzer reads a text — the view lexicon authors work in.

use std::io::Write;

use kashev::analyze::{Analyzer, Lang, TokenRef};
use serde_json::json;

use super::Outcome;

/// Flags of `kashev tokenize`.
#[derive(Debug, clap::Args)]
pub struct TokenizeArgs {
    /// The text to analyse (several words are joined with spaces); `-` or nothing reads stdin.
    text: Vec<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Leave Latin words unstemmed.
    #[arg(long)]
    no_stems: bool,
}

/// Runs `kashev tokenize`.
pub fn run(args: TokenizeArgs) -> anyhow::Result<Outcome> {
    let text = super::text_argument(&args.text)?;
    let analyzer = Analyzer::builder().stems(!args.no_stems).build();
    let analysis = analyzer.analyze(&text);
    let lang = Lang::detect(&text);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let tokens: Vec<serde_json::Value> =
            analysis.iter().map(|t| token_json(&text, &t)).collect();
        let doc = json!({ "text": text, "lang": lang.as_str(), "tokens": tokens });
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        write_table(&mut out, &text, lang, analysis.iter())?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn token_json(text: &str, t: &TokenRef<'_>) -> serde_json::Value {
    let readings: Vec<serde_json::Value> = t
        .prefix_readings()
        .map(|r| json!({ "prefix": r.prefix, "rest": r.rest }))
        .collect();
    json!({
        "start": t.token.start,
        "end": t.token.end,
        "surface": t.token.surface(text),
        "key": t.key,
        "alt": t.alt,
        "stem": (t.stem != t.key).then_some(t.stem),
        "kind": t.token.kind.as_str(),
        "script": t.token.script.as_str(),
        "flags": t.token.flags.names().collect::<Vec<_>>(),
        "prefix_readings": readings,
    })
}

/// Bidi isolation around a cell, so a Hebrew surface does not reorder the columns around it.
fn isolate(s: &str) -> String {
    format!("\u{2068}{s}\u{2069}")
}

fn write_table<'a>(
    out: &mut impl Write,
    text: &str,
    lang: Lang,
    tokens: impl Iterator<Item = TokenRef<'a>>,
) -> std::io::Result<()> {
    writeln!(out, "lang: {lang}")?;
    writeln!(
        out,
        "{:<11} {:<9} {:<7} {:<20} {:<20} flags / readings",
        "offsets", "kind", "script", "surface", "key"
    )?;
    for t in tokens {
        let surface = t.token.surface(text);
        let mut extra: Vec<String> = t.token.flags.names().map(str::to_string).collect();
        if let Some(alt) = t.alt {
            extra.push(format!("alt={}", isolate(alt)));
        }
        if t.stem != t.key {
            extra.push(format!("stem={}", t.stem));
        }
        let readings: Vec<String> = t
            .prefix_readings()
            .map(|r| isolate(&format!("{}+{}", r.prefix, r.rest)))
            .collect();
        if !readings.is_empty() {
            extra.push(format!("prefixes: {}", readings.join(" ")));
        }
        writeln!(
            out,
            "{:<11} {:<9} {:<7} {} {} {}",
            format!("{}..{}", t.token.start, t.token.end),
            t.token.kind.as_str(),
            t.token.script.as_str(),
            pad(&isolate(surface), 20),
            pad(&isolate(t.key), 20),
            extra.join(", ")
        )?;
    }
    Ok(())
}

/// Pads to `width` display columns, counting the characters that take a column.
fn pad(s: &str, width: usize) -> String {
    let shown = s
        .chars()
        .filter(|&c| {
            !kashev::analyze::is_ignorable(c)
                && !matches!(c, '\u{2066}'..='\u{2069}' | '\u{0591}'..='\u{05C7}' | '\u{FE0F}')
        })
        .count();
    format!("{s}{}", " ".repeat(width.saturating_sub(shown)))
}
